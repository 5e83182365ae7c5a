import DescryTestSupport

/// The LAMMPS fixtures (scripts/gen_desc_fixtures.py), shared with the atoms tests.
let fixtures = FixtureDirectory.lammps

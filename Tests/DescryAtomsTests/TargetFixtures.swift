import DescryTestSupport

/// The LAMMPS fixtures (scripts/gen_desc_fixtures.py), shared with the descriptor tests.
let fixtures = FixtureDirectory.lammps

"""LAMMPS set-up text of the structures that the descriptor fixtures (gen_desc_fixtures.py) and
the descriptor benchmark (bench_desc.py) are computed on: one place for the recipes both use."""

BENCH_HEADER = "\nunits metal\natom_style atomic\natom_modify map array"


def displaced(amount, seed):
    """Random displacement of every atom by up to `amount` Å per axis (LAMMPS displace_atoms)."""
    return f"displace_atoms all random {amount} {amount} {amount} {seed}\n"


def fcc_block(a, cells, mass, amount, seed, extra=""):
    """Periodic fcc crystal, lattice constant `a` Å, region `cells` (LAMMPS 'block' bounds in
    lattice units), one type of `mass`; `extra` commands run before the displacement."""
    return (f"\nboundary p p p\nlattice fcc {a}\nregion box block {cells}\ncreate_box 1 box\n"
            f"create_atoms 1 box\nmass 1 {mass}\n{extra}" + displaced(amount, seed))


def fcc_sphere(a, half_box, sphere, mass, amount, seed):
    """Free fcc nanoparticle: the lattice points of a box of ±`half_box` lattice units inside
    `sphere` ("x y z r" in Å), shrink-wrapped boundaries."""
    return (f"\nboundary s s s\nlattice fcc {a}\nregion box block -{half_box} {half_box} -{half_box} {half_box} "
            f"-{half_box} {half_box}\ncreate_box 1 box\nregion sph sphere {sphere} units box\n"
            f"create_atoms 1 region sph\nmass 1 {mass}\n" + displaced(amount, seed))

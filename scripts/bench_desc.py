#!/usr/bin/env python3
"""Benchmark descry's bispectrum (desc.bispectrum) against LAMMPS compute sna/atom (and
snav/atom) on the same structures, in one run.

Structures (built by LAMMPS, written as dumps with %.17g coordinates):
  Pt nanoparticle: lattice fcc 3.92, sphere r=24.3 Å at (0.3,0.2,0.1), boundary s s s (4013 atoms)
  Al block: lattice fcc 4.05, 20^3 cells, periodic (32000 atoms)
both displaced randomly by up to 0.05 Å; compute parameters
  <rcutfac=4.7> 0.99363 <2J> 0.5 1.0 rmin0 0 switchflag 1 bzeroflag 1 quadraticflag 0.

LAMMPS: one evaluation = `run 1 pre no post no` + lammps_extract_compute (neighbour list
reused, so LAMMPS' time excludes the list build), OMP_NUM_THREADS=1. Each descry measurement
runs right after the LAMMPS measurement of the same structure and parameters.
descry: `descry <script.lua>` (release build: swift build -c release --scratch-path .build-desc)
timing bs:compute(frame, {peratom = false}) with descry.core.clock (wall time; includes
descry's neighbour-list build), threads = 1 and 2. Both: minimum of REPS evaluations after a
warm-up (the machine is shared). Also checks that descry's D-bar agrees with LAMMPS' sum.

Usage: . scripts/lammps_env.sh && nice -n 10 python3 scripts/bench_desc.py [--descry PATH]
       [--quick] [--virial] [--baseline OLD_PATH [--rounds N]]
With --baseline, a second descry binary is timed on every case right after the first, in
alternating order for N rounds (minimum per binary over all rounds), and the table gains the
ratio new/baseline and whether D-bar agrees bit for bit (same %.17g text).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

from lammps_structures import BENCH_HEADER, fcc_block, fcc_sphere

WORK = os.environ.get("DESCRY_BENCH_DIR", "/tmp/descry-bench")

SYSTEMS = {
    "Pt_NP_4013": BENCH_HEADER + fcc_sphere(3.92, 8, "0.3 0.2 0.1 24.3", 195.08, 0.05, 12345),
    "Al_fcc_32000": BENCH_HEADER + fcc_block(4.05, "0 20 0 20 0 20", 26.98, 0.05, 12345),
}
RCUTFAC = 4.7
# The machine is shared: report the minimum of REPS evaluations (after one warm-up) for both
# codes, the usual estimator of uncontended cost.
REPS = 5


def lammps_bench(name, setup, twojmaxes, virial, reps=REPS, after=None):
    """Times LAMMPS; `after(tj, style)` runs right after each LAMMPS measurement (so descry is
    timed under the same machine load)."""
    from lammps import lammps, LMP_STYLE_ATOM, LMP_TYPE_ARRAY
    L = lammps(cmdargs=["-log", "none", "-screen", "none", "-nocite"])
    L.commands_string(setup)
    L.command(f"pair_style zero {RCUTFAC + 0.5}")
    L.command("pair_coeff * *")
    dump = os.path.join(WORK, f"{name}.lammpstrj")
    L.command(f"write_dump all custom {dump} id type x y z modify format float %.17g sort id")
    n = L.get_natoms()
    out = {"natoms": n, "dump": dump}
    for tj in twojmaxes:
        styles = ["sna"] + (["snav"] if virial else [])
        for st in styles:
            cid = f"c{st}{tj}"
            L.command(f"compute {cid} all {st}/atom {RCUTFAC} 0.99363 {tj} 0.5 1.0 "
                      "rmin0 0.0 switchflag 1 bzeroflag 1 quadraticflag 0")
            L.command("run 0 post no")  # setup: init the new compute and its neighbour list
            L.command("run 1 pre no post no")
            arr = L.numpy.extract_compute(cid, LMP_STYLE_ATOM, LMP_TYPE_ARRAY)  # warm-up
            times = []
            for _ in range(reps):
                L.command("run 1 pre no post no")
                t0 = time.perf_counter()
                arr = L.numpy.extract_compute(cid, LMP_STYLE_ATOM, LMP_TYPE_ARRAY)
                times.append(time.perf_counter() - t0)
            if st == "sna":
                ids = L.numpy.extract_atom("id")[:n]
                out[f"dbar{tj}"] = np.array(arr[:n]).sum(axis=0).tolist()
            out[f"{st}{tj}_s"] = min(times)
            L.command(f"uncompute {cid}")
            if after:
                after(tj, st, dump)
    L.close()
    return out


LUA = r"""
local atoms = require "descry.atoms"
local desc = require "descry.desc"
local clock = require("descry.core").clock
local frame = atoms.read(arg[1])
local out = {}
for _, tj in ipairs{%(tjs)s} do
  for _, th in ipairs{1, 2} do
    local bs = desc.bispectrum{twojmax = tj, rcutfac = %(rc)s, rfac0 = 0.99363, threads = th}
    for _, vir in ipairs{%(virs)s} do
      local r = bs:compute(frame, {virial = vir, peratom = false})  -- warm-up
      local ts = {}
      for k = 1, %(reps)d do
        local t0 = clock()
        r = bs:compute(frame, {virial = vir, peratom = false})
        ts[k] = clock() - t0
      end
      table.sort(ts)
      local d = r.sum
      local parts = {}
      for k = 1, d:ncols() do parts[k] = string.format("%%.17g", d:get(1, k)) end
      print(string.format("RESULT %%d %%d %%s %%.6f %%s", tj, th, vir and "snav" or "sna", ts[1], table.concat(parts, ",")))
    end
  end
end
"""


def descry_bench(exe, dump, twojmaxes, virial, only_virial=False):
    script = os.path.join(WORK, "bench.lua")
    virs = "true" if only_virial else ("false, true" if virial else "false")
    with open(script, "w") as f:
        f.write(LUA % dict(tjs=",".join(map(str, twojmaxes)), rc=RCUTFAC, virs=virs, reps=REPS))
    p = subprocess.run([exe, script, dump], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"descry failed:\n{p.stdout}\n{p.stderr}")
    res = {}
    for line in p.stdout.splitlines():
        if line.startswith("RESULT"):
            _, tj, th, st, t, d = line.split(" ", 5)
            res[(int(tj), int(th), st)] = (float(t), [float(x) for x in d.split(",")])
    return res


STREAM_LUA = r"""
local atoms = require "descry.atoms"
local desc = require "descry.desc"
local clock = require("descry.core").clock
local bs = desc.bispectrum{twojmax = 6, rcutfac = 4.7}
local t0 = clock()
local D, V, ts = bs:trajectory(atoms.open(arg[1]), {every = 50, average = 2})
print(string.format("STREAM %d %d %.3f", #ts, D:ncols(), clock() - t0))
"""


def stream_bench(exe, dump, target_bytes=1 << 30):
    """Streams a ~1 GB dump (the Al frame repeated) through bs:trajectory and reports the
    peak resident memory of the descry process (getrusage of the child)."""
    import resource
    big = os.path.join(WORK, "big.lammpstrj")
    with open(dump) as f:
        frame = f.read()
    head, rest = frame.split("\n", 2)[0], frame.split("\n", 2)[2]
    nframes = max(1, target_bytes // len(frame))
    if not os.path.exists(big) or os.path.getsize(big) < 0.9 * target_bytes:
        with open(big, "w") as g:
            for k in range(nframes):
                g.write(f"ITEM: TIMESTEP\n{k * 100}\n{rest}")
    script = os.path.join(WORK, "stream.lua")
    with open(script, "w") as f:
        f.write(STREAM_LUA)
    p = subprocess.run(["/usr/bin/time", "-f", "MAXRSS_KB %M", exe, script, big], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"descry failed:\n{p.stdout}\n{p.stderr}")
    rss = [l for l in p.stderr.splitlines() if l.startswith("MAXRSS_KB")]
    out = [l for l in p.stdout.splitlines() if l.startswith("STREAM")][0].split()
    size = os.path.getsize(big)
    print(f"stream: {size / 2**30:.2f} GiB dump, {nframes} frames of 32000 atoms, {out[1]} averaged rows, "
          f"{float(out[3]):.1f} s, peak RSS {int(rss[0].split()[1]) / 1024:.1f} MiB")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--descry", default=os.path.join(os.path.dirname(__file__), "..",
                                                      ".build-desc", "release", "descry"))
    ap.add_argument("--quick", action="store_true", help="Pt nanoparticle only")
    ap.add_argument("--only", help="one system (Pt_NP_4013 or Al_fcc_32000)")
    ap.add_argument("--twojmax", type=int, nargs="*", default=[6, 8])
    ap.add_argument("--virial", action="store_true", help="also time snav/atom and V-bar")
    ap.add_argument("--stream", action="store_true", help="only: peak memory streaming a 1 GB dump")
    ap.add_argument("--baseline", help="a second descry binary timed interleaved with --descry")
    ap.add_argument("--rounds", type=int, default=1, help="with --baseline: alternating rounds")
    args = ap.parse_args()
    if args.baseline:
        return compare_main(args)
    if args.stream:
        os.makedirs(WORK, exist_ok=True)
        dump = os.path.join(WORK, "Al_fcc_32000.lammpstrj")
        if not os.path.exists(dump):
            lammps_bench("Al_fcc_32000", SYSTEMS["Al_fcc_32000"], [], False)
        stream_bench(args.descry, dump)
        return
    os.makedirs(WORK, exist_ok=True)
    tjs = args.twojmax
    rows = []
    for name, setup in SYSTEMS.items():
        if (args.quick and name != "Pt_NP_4013") or (args.only and name != args.only):
            continue
        de = {}

        def after(tj, st, dump):
            de.update(descry_bench(args.descry, dump, [tj], st == "snav", only_virial=(st == "snav")))
        lm = lammps_bench(name, setup, tjs, args.virial, after=after)
        n = lm["natoms"]
        for tj in tjs:
            for st in (["sna", "snav"] if args.virial else ["sna"]):
                tl = lm[f"{st}{tj}_s"]
                t1, d1 = de[(tj, 1, st)]
                t2, _ = de[(tj, 2, st)]
                ref = np.array(lm[f"dbar{tj}"])
                err = float(np.max(np.abs(np.array(d1) - ref) / (np.abs(ref) + 1e-12)))
                rows.append(dict(system=name, natoms=n, twojmax=tj, kind=st,
                                 lammps_us_per_atom=tl / n * 1e6, descry1_us_per_atom=t1 / n * 1e6,
                                 descry2_us_per_atom=t2 / n * 1e6, ratio_1thread=t1 / tl,
                                 speedup_2threads=t1 / t2, dbar_max_rel_err=err))
    print(f"{'system':14s} {'2J':>3s} {'kind':5s} {'LAMMPS':>9s} {'descry1':>9s} {'descry2':>9s} "
          f"{'ratio':>6s} {'2thr':>5s} {'D̄ rel err':>10s}   (µs/atom)")
    for r in rows:
        print(f"{r['system']:14s} {r['twojmax']:3d} {r['kind']:5s} {r['lammps_us_per_atom']:9.2f} "
              f"{r['descry1_us_per_atom']:9.2f} {r['descry2_us_per_atom']:9.2f} {r['ratio_1thread']:6.3f} "
              f"{r['speedup_2threads']:5.2f} {r['dbar_max_rel_err']:10.2e}")
    with open(os.path.join(WORK, "bench_desc.json"), "w") as f:
        json.dump(rows, f, indent=1)


def best_of(runs):
    """Per-case minimum time over several descry_bench results (and the last D-bar)."""
    out = {}
    for res in runs:
        for key, (t, d) in res.items():
            if key not in out or t < out[key][0]:
                out[key] = (t, d)
    return out


def compare_main(args):
    """Times --descry (new) and --baseline (old) interleaved after each LAMMPS measurement."""
    os.makedirs(WORK, exist_ok=True)
    rows = []
    for name, setup in SYSTEMS.items():
        if (args.quick and name != "Pt_NP_4013") or (args.only and name != args.only):
            continue
        runs = {"new": [], "old": []}
        spread = {}

        def after(tj, st, dump):
            for r in range(args.rounds):
                order = [("new", args.descry), ("old", args.baseline)]
                for tag, exe in (order if r % 2 == 0 else order[::-1]):
                    res = descry_bench(exe, dump, [tj], st == "snav", only_virial=(st == "snav"))
                    runs[tag].append(res)
                    for key, (t, _) in res.items():
                        spread.setdefault((tag,) + key, []).append(t)
        lm = lammps_bench(name, setup, args.twojmax, args.virial, after=after)
        new, old = best_of(runs["new"]), best_of(runs["old"])
        for key in sorted(new):
            tj, th, st = key
            tn, dn = new[key]
            to, do = old[key]
            sn, so = spread[("new",) + key], spread[("old",) + key]
            rows.append((name, tj, st, th, lm[f"{st}{tj}_s"] / lm["natoms"] * 1e6, to / lm["natoms"] * 1e6,
                         tn / lm["natoms"] * 1e6, tn / to, (max(sn) - min(sn)) / min(sn),
                         (max(so) - min(so)) / min(so), dn == do))
    print(f"{'system':14s} {'2J':>3s} {'kind':5s} {'thr':>3s} {'LAMMPS':>8s} {'old':>8s} {'new':>8s} "
          f"{'new/old':>7s} {'spread new':>10s} {'spread old':>10s} {'D̄ bits':>7s}   (µs/atom, min of "
          f"{args.rounds} rounds × {REPS})")
    for r in rows:
        print(f"{r[0]:14s} {r[1]:3d} {r[2]:5s} {r[3]:3d} {r[4]:8.2f} {r[5]:8.2f} {r[6]:8.2f} {r[7]:7.3f} "
              f"{r[8]:10.1%} {r[9]:10.1%} {'same' if r[10] else 'DIFFER':>7s}")


if __name__ == "__main__":
    main()

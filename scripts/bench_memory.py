#!/usr/bin/env python3
"""Memory benchmark (issue 9): peak resident memory of plain Lua loops, written as a user writes
them, against the 200 MB target:
  1. `local t = atoms.open(dump); for f in t.next, t do end` over a LAMMPS dump of SIZE (default
     1 GiB; 32 000 atoms per frame), generated on the fly in a temporary directory and deleted;
  2. 40 rebuilds `f:neighbors(5)` on a 32 000-atom frame (fcc Pt-like density);
  3. 10^6 matrices created and dropped.
Peak RSS is the child's ru_maxrss (os.wait4). A second descry binary may be given to compare
(e.g. the previous main):  scripts/bench_memory.py DESCRY [OTHER_DESCRY] [--size MiB]"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

TARGET_MB = 200
ATOMS = 32000


def write_dump(path, size_bytes, atoms=ATOMS):
    """A LAMMPS `dump custom id type x y z` text file of about size_bytes: one random frame of
    `atoms` atoms in a periodic box at fcc-metal density (0.066 atoms/Å³), repeated with
    increasing timesteps."""
    side = (atoms / 0.066) ** (1 / 3)
    rng = random.Random(1)
    body = "".join(f"{i} 1 {rng.uniform(0, side):.6f} {rng.uniform(0, side):.6f} {rng.uniform(0, side):.6f}\n"
                   for i in range(1, atoms + 1))
    header = ("ITEM: NUMBER OF ATOMS\n{n}\nITEM: BOX BOUNDS pp pp pp\n0 {s:.6f}\n0 {s:.6f}\n0 {s:.6f}\n"
              "ITEM: ATOMS id type x y z\n").format(n=atoms, s=side)
    written, step = 0, 0
    with open(path, "w") as f:
        while written < size_bytes:
            text = f"ITEM: TIMESTEP\n{step}\n" + header + body
            f.write(text)
            written += len(text)
            step += 100
    return step // 100


def peak_rss_mb(descry, code, cwd):
    """Runs `descry -e code` and returns (peak RSS in MB, seconds)."""
    t0 = time.perf_counter()
    p = subprocess.Popen([descry, "-e", code], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    err = p.stderr.read().decode()
    p.stderr.close()
    if status != 0:
        raise RuntimeError(f"{descry} failed: {err.strip()}")
    return usage.ru_maxrss / 1024, dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("descry")
    ap.add_argument("other", nargs="?")
    ap.add_argument("--size", type=int, default=1024, help="dump size in MiB (default 1024)")
    ap.add_argument("--rebuilds", type=int, default=40)
    a = ap.parse_args()
    binaries = [("descry", os.path.abspath(a.descry))]
    if a.other:
        binaries.append(("other", os.path.abspath(a.other)))
    tmp = tempfile.mkdtemp(prefix="descry-bench-memory-")
    try:
        dump = os.path.join(tmp, "big.dump")
        frames = write_dump(dump, a.size << 20)
        cases = [
            (f"trajectory loop, {a.size} MiB dump ({frames} frames × {ATOMS} atoms)",
             f'local t = atoms.open("{dump}"); for f in t.next, t do end'),
            (f"{a.rebuilds} × f:neighbors(5), {ATOMS} atoms",
             f'local f = atoms.read("{dump}"); for i = 1, {a.rebuilds} do local nl = f:neighbors(5) end'),
            ("10^6 matrices created and dropped",
             "for i = 1, 1000000 do local m = la.zeros(10, 10) end"),
        ]
        print(f"== memory: peak RSS of plain Lua loops (target < {TARGET_MB} MB)")
        for title, code in cases:
            print(f"  {title}")
            for label, exe in binaries:
                try:
                    mb, dt = peak_rss_mb(exe, code, tmp)
                    verdict = "ok" if mb < TARGET_MB else "OVER"
                    print(f"    {label:7s} {mb:8.1f} MB  {dt:6.1f} s  {verdict}")
                except RuntimeError as e:
                    print(f"    {label:7s} error: {e}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

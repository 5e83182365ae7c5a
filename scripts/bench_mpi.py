#!/usr/bin/env python3
"""MPI benchmark (issue 14): D̄ (2J = 8, one thread per rank) of a multi-file trajectory with
bs:trajectory{comm = mpi.world} on 2 ranks against 1 rank (both under mpirun, hydra, no core
binding), with the serial run without mpirun beside them, and one process on 2 threads: what the
machine's two cores give to the threaded kernel in the same run (on a shared machine it shows
how much of the second core was free). The trajectory (FILES dump files of
FRAMES frames of a perturbed fcc Cu block of 4·CELLS³ atoms) is generated into a temporary
folder under /tmp, not in git. Rounds alternate 1 and 2 ranks; the best of each is reported
with the speed-up, and the SHA-256 of D̄'s exact text shows the runs agree bit for bit.

  scripts/bench mpi             (= python3 scripts/bench_mpi.py .build/release/descry)
  python3 scripts/bench_mpi.py DESCRY [--files 4] [--frames 8] [--cells 9] [--rounds 3]"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def write_files(folder, files, frames, cells):
    """FILES dumps of FRAMES frames each: fcc Cu (a = 3.615 Å), Gaussian displacements of 0.08 Å."""
    a = 3.615
    base = [((i + dx) * a, (j + dy) * a, (k + dz) * a)
            for i in range(cells) for j in range(cells) for k in range(cells)
            for dx, dy, dz in ((0, 0, 0), (0.5, 0.5, 0), (0.5, 0, 0.5), (0, 0.5, 0.5))]
    side = cells * a
    rng = random.Random(14)
    paths = []
    step = 0
    for f in range(files):
        path = os.path.join(folder, "traj.%d.lammpstrj" % f)
        with open(path, "w") as out:
            for _ in range(frames):
                out.write("ITEM: TIMESTEP\n%d\nITEM: NUMBER OF ATOMS\n%d\nITEM: BOX BOUNDS pp pp pp\n" % (step, len(base)))
                out.write("0 %.6f\n0 %.6f\n0 %.6f\nITEM: ATOMS id type x y z\n" % (side, side, side))
                out.write("".join("%d 1 %.9g %.9g %.9g\n" % (n + 1, x + rng.gauss(0, 0.08), y + rng.gauss(0, 0.08), z + rng.gauss(0, 0.08))
                                  for n, (x, y, z) in enumerate(base)))
                step += 100
        paths.append(path)
    return paths, len(base)


def run(cmd):
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    if r.returncode != 0:
        sys.exit("bench mpi: %s failed: %s" % (" ".join(cmd[:6]), r.stderr[-2000:]))
    line = next(l for l in r.stdout.splitlines() if l.startswith("seconds "))
    words = line.split()
    return float(words[1]), int(words[3]), words[5]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("descry")
    ap.add_argument("--files", type=int, default=4)
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--cells", type=int, default=9)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    mpirun = shutil.which("mpirun.mpich") or shutil.which("mpirun")
    if not mpirun:
        sys.exit("bench mpi: mpirun not found (apt-get install mpich)")
    descry = os.path.abspath(args.descry)
    folder = tempfile.mkdtemp(prefix="descry-bench-mpi-", dir="/tmp")
    try:
        paths, natoms = write_files(folder, args.files, args.frames, args.cells)
        script = os.path.join(ROOT, "scripts", "bench_mpi.lua")
        env_note = "OPENBLAS_NUM_THREADS=1"
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
        best = {}
        shas = set()
        serial = run([descry, script, "serial", "1", *paths])
        shas.add(serial[2])
        for _ in range(args.rounds):
            for n in (1, 2):
                t, rows, sha = run([mpirun, "-n", str(n), "-bind-to", "none", descry, script, "comm", "1", *paths])
                shas.add(sha)
                best[n] = min(best.get(n, t), t)
            t, rows, sha = run([descry, script, "serial", "2", *paths])
            shas.add(sha)
            best["t2"] = min(best.get("t2", t), t)
        frames = args.files * args.frames
        print("D̄ 2J=8 of %d files × %d frames of %d atoms (%d rows), 1 thread per rank, %s, best of %d:"
              % (args.files, args.frames, natoms, rows, env_note, args.rounds))
        print("| run | wall s | µs/atom per frame | speed-up |")
        print("|---|---|---|---|")
        print("| serial, no mpirun | %.3f | %.1f | |" % (serial[0], serial[0] / frames / natoms * 1e6))
        for n in (1, 2):
            print("| mpirun -n %d | %.3f | %.1f | %.2f× |" % (n, best[n], best[n] / frames / natoms * 1e6, best[1] / best[n]))
        print("| 1 process, 2 threads, no mpirun | %.3f | %.1f | %.2f× |" % (best["t2"], best["t2"] / frames / natoms * 1e6, best[1] / best["t2"]))
        print("2 ranks vs 1 rank: %.2f× (target ≥ 1.8×); 2 threads vs 1 rank: %.2f×" % (best[1] / best[2], best[1] / best["t2"]))
        print("D̄ bit-identical across runs: %s" % ("yes" if len(shas) == 1 else "NO (%d different)" % len(shas)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

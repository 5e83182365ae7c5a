#!/usr/bin/env python3
"""descry.la vs numpy on this machine, same cases, one run (issue 3 acceptance):
dgemm 1000x1000, eigh 500x500, svd 500x300 (thin), lstsq 2000x55, and a scripting loop that
fills a 1000x55 matrix element by element then standardises its columns.
Each case is timed in-process (best of several repetitions after a warm-up); descry and numpy
processes alternate for ROUNDS rounds and the best time of each side is kept, which is the
least noisy statistic on a shared machine. First with single-threaded BLAS on both sides
(OPENBLAS_NUM_THREADS=1 for descry's system OpenBLAS and numpy's bundled one), then with
default threads. Prints times and descry/numpy ratios.

Usage: python3 scripts/bench_la.py [path/to/descry]   (default .build/release/descry)
"""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DESCRY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "release", "descry")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))

NUMPY_CASES = r'''
import math, sys, time
import numpy as np

def best(f, reps):
    b = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter(); f(); b = min(b, time.perf_counter() - t0)
    return b

rng = np.random.default_rng(1)
A, B = rng.standard_normal((1000, 1000)), rng.standard_normal((1000, 1000))
M = rng.standard_normal((500, 500)); S = M + M.T
W = rng.standard_normal((500, 300))
X, y = rng.standard_normal((2000, 55)), rng.standard_normal((2000, 1))

def loop():
    Z = np.zeros((1000, 55))
    for i in range(1, 1001):
        for j in range(1, 56):
            Z[i - 1, j - 1] = math.sin(i * 0.01 + j) + j
    S_ = (Z - Z.mean(axis=0)) / Z.std(axis=0)

cases = [("dgemm_1000", 5, lambda: A @ B),
         ("eigh_500", 5, lambda: np.linalg.eigh(S)),
         ("svd_500x300", 5, lambda: np.linalg.svd(W, full_matrices=False)),
         ("lstsq_2000x55", 21, lambda: np.linalg.lstsq(X, y, rcond=None)),
         ("loop_build_standardise_1000x55", 11, loop)]
for name, reps, f in cases:
    f()
    print(f"{name} {best(f, reps):.6e}")
'''


def run(cmd, threads):
    env = dict(os.environ)
    if threads is None:
        env.pop("OPENBLAS_NUM_THREADS", None)
        env.pop("OMP_NUM_THREADS", None)
    else:
        env["OPENBLAS_NUM_THREADS"] = str(threads)
        env["OMP_NUM_THREADS"] = str(threads)
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    return {line.split()[0]: float(line.split()[1]) for line in out.splitlines() if line.strip()}


def main():
    if not os.access(DESCRY, os.X_OK):
        sys.exit(f"bench_la: no descry binary at {DESCRY} (build with swift build -c release)")
    import numpy
    print(f"== la: descry.la vs numpy {numpy.__version__} (best of {ROUNDS} alternating rounds; "
          f"ratio = descry/numpy, < 1 is faster)")
    for label, threads in (("single-threaded BLAS (OPENBLAS_NUM_THREADS=1)", 1), ("default threads", None)):
        d, n = {}, {}
        for _ in range(ROUNDS):
            for side, cmd in ((d, [DESCRY, os.path.join(ROOT, "scripts", "bench_la.lua")]),
                              (n, [sys.executable, "-c", NUMPY_CASES])):
                for k, v in run(cmd, threads).items():
                    side[k] = min(v, side.get(k, v))
        print(f"-- {label}")
        for name in n:
            ratio = d[name] / n[name]
            print(f"  {name:34s} descry {d[name] * 1e3:9.2f} ms   numpy {n[name] * 1e3:9.2f} ms   ratio {ratio:5.2f}")


if __name__ == "__main__":
    main()

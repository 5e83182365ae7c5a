#!/usr/bin/env python3
"""scripts/bench pops: regress.pops against popsregression (the released POPS reference) on the
same data in one run — fit plus predict with bounds on 500 rows. Both sides are timed inside
their own process the same way (after start-up, imports and data loading): each repeat times the
fit and the predict separately; reported are the best fit, the best predict and the best total
(fit + predict of one repeat) over all repeats. The two sides alternate for ROUNDS rounds
(BENCH_ROUNDS, default 3) of `reps` repeats each, the least noisy statistic on a shared machine.
BLAS is single-threaded on both sides (OPENBLAS_NUM_THREADS=1 for descry's system OpenBLAS and
numpy's bundled one, as scripts/bench_stats.py): on 2 shared cores a threaded level-2 LAPACK
panel (the QR) is up to 10× slower under load on either side. Cases: 2000 × 55 and 20 000 × 276 (a
misspecified target: linear part plus a cubic of the first column, intercept fitted).
Usage: python3 scripts/bench_pops.py path/to/descry"""
import os
import subprocess
import sys
import tempfile
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402
from popsregression import POPSRegression  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))

CASES = [(2000, 55, 10), (20000, 276, 1)]


def data(n, p, seed):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p) @ (np.eye(p) + 0.3 * rng.randn(p, p) / np.sqrt(p))
    y = X @ rng.randn(p) + 0.5 * X[:, 0] ** 3 + 1e-3 * rng.randn(n)
    return X, y, X[:500].copy()


def peer(X, y, Xt, reps):
    fit = pred = total = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        m = POPSRegression(fit_intercept=True).fit(X, y)
        t1 = time.perf_counter()
        m.predict(Xt, return_std=True, return_bounds=True, return_epistemic_std=True)
        t2 = time.perf_counter()
        fit, pred, total = min(fit, t1 - t0), min(pred, t2 - t1), min(total, t2 - t0)
    return fit, pred, total


LUA = r'''
local la = require "descry.la"
local regress = require "descry.regress"
local clock = require("descry.core").clock
local X, y, Xt = la.load(arg[1]), la.load(arg[2]), la.load(arg[3])
local reps = tonumber(arg[4])
local yc = y:reshape(y:nrows() * y:ncols(), 1)
local fit, pred, total = math.huge, math.huge, math.huge
for _ = 1, reps do
  local t0 = clock()
  local m = regress.pops(X, yc)
  local t1 = clock()
  m:predict_bounds(Xt)
  local t2 = clock()
  fit, pred, total = math.min(fit, t1 - t0), math.min(pred, t2 - t1), math.min(total, t2 - t0)
end
print(fit, pred, total)
'''


def main():
    descry = sys.argv[1] if len(sys.argv) > 1 else ".build/release/descry"
    print("POPS regression: fit + predict with bounds (500 rows), best wall time of each part (s), 1 BLAS thread, %d rounds" % ROUNDS)
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "bench.lua")
        with open(script, "w") as f:
            f.write(LUA)
        for n, p, reps in CASES:
            X, y, Xt = data(n, p, n + p)
            paths = [os.path.join(tmp, name) for name in ("X.npy", "y.npy", "Xt.npy")]
            for path, a in zip(paths, (X, y.reshape(-1, 1), Xt)):
                np.save(path, a)
            peer_best, ours_best = [float("inf")] * 3, [float("inf")] * 3
            for _ in range(ROUNDS):
                peer_best = [min(a, b) for a, b in zip(peer_best, peer(X, y, Xt, reps))]
                out = subprocess.run([descry, script, *paths, str(reps)], capture_output=True, text=True, check=True)
                ours = map(float, out.stdout.strip().splitlines()[-1].split())
                ours_best = [min(a, b) for a, b in zip(ours_best, ours)]
            f_peer, p_peer, t_peer = peer_best
            f_ours, p_ours, t_ours = ours_best
            print("  %6d x %-4d popsregression fit %8.4f predict %8.4f total %8.4f" % (n, p, f_peer, p_peer, t_peer))
            print("  %6s   %-4s descry         fit %8.4f predict %8.4f total %8.4f" % ("", "", f_ours, p_ours, t_ours))
            print("  %6s   %-4s ratio          fit %7.1fx predict %7.1fx total %7.1fx" % ("", "", f_peer / f_ours, p_peer / p_ours, t_peer / t_ours))


if __name__ == "__main__":
    main()

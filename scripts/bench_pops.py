#!/usr/bin/env python3
"""scripts/bench pops: regress.pops against popsregression (the released POPS reference) on the
same data in one run — fit plus predict with bounds on 500 rows, best of `reps` wall-clock runs,
descry timed inside the process with core.clock. Cases: 2000 × 55 and 20 000 × 276 (a
misspecified target: linear part plus a cubic of the first column, intercept fitted).
Usage: python3 scripts/bench_pops.py path/to/descry"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from popsregression import POPSRegression

CASES = [(2000, 55, 5), (20000, 276, 2)]


def data(n, p, seed):
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p) @ (np.eye(p) + 0.3 * rng.randn(p, p) / np.sqrt(p))
    y = X @ rng.randn(p) + 0.5 * X[:, 0] ** 3 + 1e-3 * rng.randn(n)
    return X, y, X[:500].copy()


def peer(X, y, Xt, reps):
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        m = POPSRegression(fit_intercept=True).fit(X, y)
        m.predict(Xt, return_std=True, return_bounds=True, return_epistemic_std=True)
        best = min(best, time.perf_counter() - t0)
    return best


LUA = r'''
local la = require "descry.la"
local regress = require "descry.regress"
local clock = require("descry.core").clock
local X, y, Xt = la.load(arg[1]), la.load(arg[2]), la.load(arg[3])
local reps = tonumber(arg[4])
local best = math.huge
for _ = 1, reps do
  local t0 = clock()
  local m = regress.pops(X, y:reshape(y:nrows() * y:ncols(), 1))
  m:predict_bounds(Xt)
  best = math.min(best, clock() - t0)
end
print(best)
'''


def main():
    descry = sys.argv[1] if len(sys.argv) > 1 else ".build/release/descry"
    print("POPS regression: fit + predict_bounds(500 rows), best wall time")
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "bench.lua")
        with open(script, "w") as f:
            f.write(LUA)
        for n, p, reps in CASES:
            X, y, Xt = data(n, p, n + p)
            paths = [os.path.join(tmp, name) for name in ("X.npy", "y.npy", "Xt.npy")]
            for path, a in zip(paths, (X, y.reshape(-1, 1), Xt)):
                np.save(path, a)
            t_peer = peer(X, y, Xt, reps)
            out = subprocess.run([descry, script, *paths, str(reps)], capture_output=True, text=True, check=True)
            t_ours = float(out.stdout.strip().splitlines()[-1])
            print("  %6d x %-4d popsregression %8.4f s   descry %8.4f s   ratio %6.1fx" % (n, p, t_peer, t_ours, t_peer / t_ours))


if __name__ == "__main__":
    main()

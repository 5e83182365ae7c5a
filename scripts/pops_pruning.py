#!/usr/bin/env python3
"""Would an exact branch and bound speed up regress.pops predict bounds (max/min of x·δΘ over the
N box draws)? Draws are z uniform in the box along the PCA directions; with the directions sorted
by width, the head part x·z is computed for all draws and the tail is bounded by
Σ|a_k|·max(|lo_k|, |hi_k|) (L1) or ‖a_tail‖·‖z_tail‖ (Cauchy–Schwarz, per draw); only draws that
can still reach the max (or min) need the exact tail. This prints, per head size, the fraction of
draws that survive and the flops (head + exact tail of the survivors) as a fraction of the plain
GEMM, on the data of scripts/bench_pops.py (2000 × 55, 20000 × 276, 500 test rows) and on the
Pt D̄ energy model (standardised D̄ of trajectories 1–8, every third row of 9–12).
Measured result (notes): no exact pruning beats 0.65 of the GEMM; the benchmark keeps the GEMM.
Usage: python3 scripts/pops_pruning.py path/to/descry"""
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_pops import data  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LUA = r'''
local la, regress = require "descry.la", require "descry.regress"
local X, y, Xt = la.load(arg[1]), la.load(arg[2]), la.load(arg[3])
local m = regress.pops(X, y)
local box = m:box(1)
local dirs = box.directions
local d = dirs:ncols()
local w, idx = {}, {}
for k = 1, d do w[k] = box.high[k] - box.low[k]; idx[k] = k end
table.sort(idx, function(a, b) return w[a] > w[b] end)
local D = m:posterior_samples(1)          -- N × (p+1)
local Z = D * dirs                        -- N × d coordinates
local Xa = la.hcat(Xt, la.ones(Xt:nrows(), 1))
local A = Xa * dirs                       -- n × d
local N, n = Z:nrows(), A:nrows()
local ws = {}
for i, k in ipairs(idx) do ws[i] = w[k] end
print(("n=%d N=%d d=%d; widths sorted: first %.3g, 10%% %.3g, 50%% %.3g, last %.3g"):format(n, N, d, ws[1], ws[math.max(1, d // 10)], ws[d // 2], ws[d]))
local exact = A * Z:t()
local emax = exact:max(2)
for _, frac in ipairs({ 0.1, 0.25, 0.5, 0.75, 0.9 }) do
  local mh = math.max(1, math.floor(frac * d))
  local head, tail = {}, {}
  for i = 1, d do if i <= mh then head[#head + 1] = idx[i] else tail[#tail + 1] = idx[i] end end
  local H = A:cols(head) * Z:cols(head):t()
  -- L1 bound: Σ_tail |a_k| max(|lo_k|, |hi_k|)
  local amp = la.zeros(#tail, 1)
  for i, k in ipairs(tail) do amp:set(i, 1, math.max(math.abs(box.low[k]), math.abs(box.high[k]))) end
  local B1 = A:cols(tail):abs() * amp                              -- n × 1
  -- Cauchy–Schwarz per draw: ||a_tail|| ||z_j,tail||
  local an = A:cols(tail):mul(A:cols(tail)):sum(2):sqrt()        -- n × 1
  local zn = Z:cols(tail):mul(Z:cols(tail)):sum(2):sqrt()        -- N × 1
  local Bcs = an * zn:t()                                         -- n × N
  local c1, ccs, ok = 0, 0, true
  local lowL1 = (H - B1 * la.ones(1, N)):max(2)
  local upL1 = H + B1 * la.ones(1, N)
  local lowCS = (H - Bcs):max(2)
  local upCS = H + Bcs
  local cand1 = upL1:ge(lowL1 * la.ones(1, N)):sum()
  local candcs = upCS:ge(lowCS * la.ones(1, N)):sum()
  -- the bounds are exact: every row's true maximum lies between them
  assert((emax - lowCS):min() >= -1e-9 and (upCS:max(2) - emax):min() >= -1e-9, "tail bound violated")
  local hiCS = (H + Bcs):min(2)
  local candmin = (H - Bcs):le(hiCS * la.ones(1, N))
  local union = upCS:ge(lowCS * la.ones(1, N)):add(candmin):clamp(0, 1):sum()
  print(("head %3d of %d: max-side candidates L1 %.3f, Cauchy-Schwarz %.3f; max or min side (C-S) %.3f of the draws; flops (head + exact tail of the candidates) %.2f of the GEMM"):format(mh, d, cand1 / (n * N), candcs / (n * N), union / (n * N), (mh + (d - mh) * union / (n * N)) / d))
end
'''


def main():
    descry = sys.argv[1] if len(sys.argv) > 1 else ".build/release/descry"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "pruning.lua")
        with open(script, "w") as f:
            f.write(LUA)
        cases = []
        for n, p in [(2000, 55), (20000, 276)]:
            X, y, Xt = data(n, p, n + p)
            cases.append((f"bench {n} x {p}", X, y.reshape(-1, 1), Xt))
        D = np.load(os.path.join(ROOT, "data/pt-np-900K/Dbar.npy"))
        E = np.load(os.path.join(ROOT, "data/pt-np-900K/energy_avg.npy"))
        X = D[:8].reshape(-1, D.shape[2])
        mu, sd = X.mean(0), X.std(0)
        Xt = D[8:].reshape(-1, D.shape[2])[::3][:500]
        cases.append(("Pt D̄ energy", (X - mu) / sd, E[:8].reshape(-1, 1), (Xt - mu) / sd))
        for name, X, y, Xt in cases:
            paths = [os.path.join(tmp, s) for s in ("X.npy", "y.npy", "Xt.npy")]
            for path, a in zip(paths, (X, y, Xt)):
                np.save(path, a)
            print(name)
            r = subprocess.run([descry, script] + paths, capture_output=True, text=True, env=env)
            sys.stdout.write(r.stdout)
            if r.returncode != 0:
                sys.stderr.write(r.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

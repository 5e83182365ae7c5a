-- descry.regress/stats/var/idim benchmark cases (run by scripts/bench_stats.py, which times the
-- Python peers on the same data). Usage: descry scripts/bench_stats.lua <data dir>
-- Prints `BENCH <case> <best seconds>` (minimum over repetitions), and the estimates.
local la = require "descry.la"
local var = require "descry.var"
local stats = require "descry.stats"
local idim = require "descry.idim"
local clock = require("descry.core").clock

local dir = arg and arg[1] or "/tmp/descry-bench-stats"
local function best(reps, f)
  local b = math.huge
  for _ = 1, reps do local t0 = clock(); f(); b = math.min(b, clock() - t0) end
  return b
end

local all = la.load(dir .. "/var_trajs.npy")
local M, T = 60, all:nrows() // 60
local trajs = {}
for m = 1, M do trajs[m] = all:rows((m - 1) * T + 1, m * T) end
local X = la.load(dir .. "/cloud.npy")
local Xc = X - X:mean(1)

local out = {}
out[#out + 1] = {"var_ls", best(3, function() var.fit(trajs, 5) end)}
out[#out + 1] = {"var_bagged", best(1, function() var.bagged(trajs, 5, {subsets = 20, coverage = 0.25, seed = 0}) end)}
out[#out + 1] = {"xtx", best(10, function() la.gram(X - X:mean(1)) end)}
out[#out + 1] = {"oas", best(10, function() stats.oas(X) end)}
out[#out + 1] = {"lw", best(10, function() stats.ledoit_wolf(X) end)}
out[#out + 1] = {"pca", best(10, function() stats.pca(X) end)}
out[#out + 1] = {"pca_full", best(10, function() stats.pca(X, {solver = "full"}) end)}
out[#out + 1] = {"twonn", best(2, function() idim.twonn(X) end)}
local dd
out[#out + 1] = {"danco", best(1, function() dd = idim.danco(X, {seed = 0}) end)}
out[#out + 1] = {"twonn_value", (idim.twonn(X))}
out[#out + 1] = {"danco_value", dd}
for _, o in ipairs(out) do print(string.format("BENCH %s %.6e", o[1], o[2])) end

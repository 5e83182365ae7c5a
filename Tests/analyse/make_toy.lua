-- Writes a small synthetic ensemble for the `descry analyse` tests into the folder arg[1]:
-- 4 trajectories t1..t4 of 60 snapshots of a 5-component D̄ from a known stable VAR(1), a shared
-- times.npy (every 0.5 ps), per-trajectory D.npy, thermo.csv (step, pe, temp) with pe linear in
-- D̄, a fix ave/time file dbar.txt of the same D̄, and a 3-column observable g.npy.
local la = require "descry.la"
local var = require "descry.var"
local dir = assert(arg[1], "usage: descry make_toy.lua DIR")
la.seed(20261127)
local T, K = 60, 5
local A = la.eye(K) * 0.8
local model = var.from_table{ kind = "var.model", lag_coef = A, intercept = la.ones(K, 1) * 0.2,
  noise_cov = la.eye(K) * 0.05, residual_cov_mle = la.eye(K) * 0.05, nobs = 100 }
local starts = {}
for m = 1, 4 do starts[m] = la.randn(1, K) end
local sims = model:simulate(starts, T - 1, { noise = true, seed = 7 })
local theta = la.matrix{ { 1.0 }, { -0.5 }, { 0.25 }, { 2.0 }, { 0.1 } }
local times = {}
for k = 1, T do times[k] = 0.5 * k end
la.save(dir .. "/times.npy", la.matrix(times), { vector = true })
for m = 1, 4 do
  local id = "t" .. m
  local D = la.vcat(starts[m], sims[m])
  local sub = dir .. "/" .. id
  require("descry.fs").mkdir(sub)
  la.save(sub .. "/D.npy", D)
  local pe = D * theta + la.randn(T, 1) * 0.01
  local steps = {}
  for k = 1, T do steps[k] = 250 * k end
  local temp = la.randn(T, 1) * 5 + 300
  la.save(sub .. "/thermo.csv", la.hcat(la.matrix(steps), pe, temp), { header = { "step", "pe", "temp" } })
  la.save(sub .. "/g.npy", la.hcat(D:col(1) * 2, D:col(2) - D:col(3), D:col(4) + 1))
  local f = assert(io.open(sub .. "/dbar.txt", "w"))
  f:write("# Time-averaged data for fix dsum\n# TimeStep c_dsum[1] c_dsum[2] c_dsum[3] c_dsum[4] c_dsum[5]\n")
  for k = 1, T do
    local row = { tostring(steps[k]) }
    for j = 1, K do row[#row + 1] = ("%.17g"):format(D:get(k, j)) end
    f:write(table.concat(row, " "), "\n")
  end
  f:close()
end

-- Writes a small ensemble whose D̄ and V̄ come from LAMMPS dumps into the folder arg[1], for
-- `descry analyse` under mpirun (mpi_test.py): 4 trajectories r1..r4 of 24 frames of a
-- 13-atom cluster (two dump files each, a multi-file trajectory), pe.csv per trajectory with
-- the frames' MD steps, and e.lua / e_t3.lua describing it (D̄ on 1 / 3 threads). Deterministic (seeded).
local la, atoms, fs = require "descry.la", require "descry.atoms", require "descry.fs"
local dir = assert(arg[1], "usage: descry make_dump_ensemble.lua DIR")
la.seed(20261127)
local base = {}
for a = 0, 12 do base[#base + 1] = { 2.5 * (a % 3), 2.5 * ((a // 3) % 3), 2.5 * (a // 9) } end
base = la.matrix(base)
for m = 1, 4 do
  local sub = dir .. "/r" .. m
  fs.mkdir(sub)
  local halves, steps, pe = { {}, {} }, {}, {}
  local drift = la.zeros(13, 3)
  for k = 1, 24 do
    drift = drift * 0.9 + la.randn(13, 3) * 0.05
    local f = atoms.frame{ positions = base + drift, timestep = 100 * k,
      box = { lo = { -6, -6, -6 }, hi = { 11, 11, 11 }, periodic = { false, false, false } } }
    local h = halves[k <= 12 and 1 or 2]
    h[#h + 1] = f
    steps[k] = 100 * k
    pe[k] = -3.5 + 0.02 * drift:sum() + 0.01 * m
  end
  atoms.write(sub .. "/dump.1.lammpstrj", halves[1])
  atoms.write(sub .. "/dump.2.lammpstrj", halves[2])
  la.save(sub .. "/pe.csv", la.hcat(la.matrix(steps), la.matrix(pe)), { header = { "step", "pe" } })
end
-- e.lua computes D̄ on 1 thread, e_t3.lua on 3 (otherwise identical)
for _, v in ipairs({ { "e.lua", 1 }, { "e_t3.lua", 3 } }) do
  local f = assert(io.open(dir .. "/" .. v[1], "w"))
  f:write(([[
local bs = { twojmax = 4, rcutfac = 1.0, radelem = { 2.6 }, wj = { 1.0 }, threads = %d }
return { name = "dump ensemble for mpirun", trajectories = { "r1", "r2", "r3", "r4" }, time = { timestep = 0.001 },
  descriptors = { dump = "{id}/dump.*.lammpstrj", bispectrum = bs, convention = "sum" },
  virials = { dump = "{id}/dump.*.lammpstrj", bispectrum = bs, convention = "sum" },
  observables = { pe = { csv = "{id}/pe.csv", column = "pe" } },
  split = { test = { "r4" } },
  analysis = { var = { latent = 3, train = { 1.0, 1.4, 1.8 }, max_order = 2, orders = { 1, 2 } }, plots = false } }
]]):format(v[2]))
  f:close()
end

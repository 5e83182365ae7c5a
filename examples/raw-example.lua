-- Ensemble description of the raw-LAMMPS example data/raw-example (scripts/make-raw-example):
-- 8 NVT trajectories of a 302-atom Cu cluster, each a fix ave/time file of D̄ and a log.lammps
-- with two run blocks — the files a LAMMPS user has. docs/ensemble.md describes every key.
--   descry analyse examples/raw-example.lua --out out/raw-example
local ids = {}
for m = 1, 8 do ids[m] = ("traj%02d"):format(m) end
local dir = "../data/raw-example/{id}/"

return {
  name = "Cu cluster, 302 atoms, EAM Cu_u3, NVT 850 K (8 trajectories of 40 ps, raw LAMMPS outputs)",
  description = "D̄ = compute reduce sum of sna/atom (2J = 6, K = 30) averaged by fix ave/time over 10 samples "
    .. "20 steps apart, every 200 steps; thermo every 200 steps in two run blocks (data/raw-example/README.md).",
  units = "metal",
  natoms = 302,
  trajectories = ids,
  time = { timestep = 0.002, unit = "ps" },          -- 2 fs: times = TimeStep × 0.002 ps
  descriptors = { ave_time = dir .. "dbar.dat", columns = "c_dsum[*]", convention = "sum" },
  observables = {
    pe = { log = dir .. "log.lammps", column = "PotEng", unit = "eV", label = "potential energy" },
    temp = { log = dir .. "log.lammps", column = "Temp", unit = "K", label = "temperature" },
  },
  split = { test = { "traj07", "traj08" } },
  analysis = {
    var = { order = 1, max_order = 2, orders = { 1, 2 }, stride = 1, train = { 5, 10, 15 }, latent = 10,
      bags = 20, coverage = 0.3, samples = 10, observable = "pe" },
    resampling = { factor = 100 },
    idim = { methods = { "twonn", "mle" }, window = 25, step = 12 },
  },
}

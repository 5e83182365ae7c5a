-- Ensemble description of the bundled Pt-nanoparticle data (docs/ensemble.md): 12 LAMMPS
-- trajectories of 555 EAM-Pt atoms at 900 K made by scripts/make-dataset, stored as stacked
-- .npy arrays (leading axis = trajectory). Run: descry analyse data/pt-np-900K/ensemble.lua
local ids = {}
for m = 0, 11 do ids[#ids + 1] = ("member%03d"):format(m) end

return {
  name = "Pt nanoparticles, 555 atoms, EAM Pt_u3, 900 K (12 trajectories, 501 ps each)",
  description = "Real MD by LAMMPS (scripts/make-dataset): each particle melted, quenched and annealed "
    .. "from its own seed, then 501 ps of production; D̄ on positions averaged over 32 fs every 1.5 ps.",
  units = "metal",
  natoms = 555,
  trajectories = ids,
  time = { npy = "times.npy", unit = "ps" },
  descriptors = { npy = "Dbar.npy", stacked = true, convention = "sum" },
  observables = {
    energy = { npy = "energy_avg.npy", stacked = true, label = "potential energy", unit = "eV" },
    fcc = { npy = "cna_avg.npy", stacked = true, column = 1, label = "FCC fraction (CNA)" },
    gr = { npy = "gr.npy", stacked = true, kind = "vector", axis = { npy = "gr_r.npy" }, axis_label = "r (Å)",
      label = "g(r)" },
  },
  split = { test = { "member009", "member010", "member011" } },
  analysis = {
    seed = 1,
    estimator = { method = "bayes_ridge", basis = 8 },
    var = { order = 1, max_order = 3, orders = { 1, 2, 3 }, stride = 3, t0 = 30, train = { 60, 120, 180 },
      bags = 20, coverage = 0.3, samples = 10, latent = 15, observable = "energy" },
    resampling = { factor = 100 },
    idim = { methods = { "twonn", "danco", "mle" }, window = 17, step = 8, discard = 0.1, danco_k = 10, mle_k = 20 },
  },
}

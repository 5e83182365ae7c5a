-- Ensemble description of the bundled Al yielding data (docs/ensemble.md): 12 LAMMPS trajectories
-- of periodic EAM-Al crystals (1741–1859 atoms: 1728 lattice atoms plus each crystal's interstitial
-- Frank loops) pulled along x = [1 0 -1] at 300 K through yield, made by scripts/make-yield-dataset,
-- stored as stacked .npy arrays (leading axis = crystal). The paper's second application (Swinburne,
-- PRL 131, 236101 (2023), Figs. 1 and 3) at small scale.
-- Run: descry analyse data/al-yield-300K/ensemble.lua
--
-- Left out on purpose:
--  * V̄ (Vbar.npy): stored only every second snapshot (vbar_index.npy), and no step of descry analyse
--    uses V̄ — tensor observables are estimated component by component from D̄. The l = 0 tensor
--    estimator Θ·V̄ of Fig. 1a and the intrinsic dimension of D̄ ⊕ V̄ are in scripts/yield-figures.lua.
--  * perfect-dislocation density, junction counts: rare in ~1800-atom boxes, no D̄ estimator beats the
--    mean on held-out crystals (R² ≈ 0); they are scored in scripts/yield-figures.lua.
local ids = {}
for m = 0, 11 do ids[#ids + 1] = ("member%03d"):format(m) end

return {
  name = "Al crystals with dislocation loops yielding under tension, EAM Al_mm, 300 K (12 trajectories, 30 ps each)",
  description = "Real MD by LAMMPS (scripts/make-yield-dataset): 6 × 3 × 6 cells of fcc Al, x = [1 0 -1], "
    .. "y = [1 1 1], z = [1 -2 1], with 1–6 interstitial Frank loops per crystal, equilibrated at 300 K, then "
    .. "uniaxial tension along x at 5e9 /s (y, z at zero stress) to 16 % strain; D̄ of positions averaged "
    .. "over 20 fs every 0.5 ps; structure by OVITO adaptive CNA and dislocation lines by OVITO DXA on the "
    .. "same averaged positions. Yield points (first major avalanche) are in manifest.json.",
  units = "metal",
  -- atom counts per crystal (manifest.json natoms): D̄, V̄ and the energy are sums over atoms
  natoms = { 1756, 1766, 1778, 1804, 1813, 1852, 1741, 1757, 1775, 1791, 1825, 1859 },
  trajectories = ids,
  time = { npy = "times.npy", unit = "ps" },
  descriptors = { npy = "Dbar.npy", stacked = true, convention = "sum" },
  observables = {
    energy = { npy = "energy_avg.npy", stacked = true, label = "potential energy of X̄", unit = "eV" },
    pressure = { npy = "pressure.npy", stacked = true, label = "pressure (instantaneous)", unit = "GPa" },
    stress = { npy = "stress.npy", stacked = true, kind = "tensor", shape = { 6 },
      label = "stress σ (instantaneous; Voigt xx yy zz yz xz xy)", unit = "GPa" },
    fcc = { npy = "fcc.npy", stacked = true, label = "FCC fraction (adaptive CNA)" },
    hcp = { npy = "hcp.npy", stacked = true, label = "HCP fraction (stacking faults)" },
    other = { npy = "other.npy", stacked = true, label = "other ('amorphous') fraction" },
    shockley = { npy = "shockley.npy", stacked = true, label = "Shockley (1/6<112>) line density (DXA)",
      unit = "1e12 cm^-2" },
    dislocations = { npy = "disl_total_density.npy", stacked = true, label = "total dislocation line density (DXA)",
      unit = "1e12 cm^-2" },
  },
  split = { test = { "member009", "member010", "member011" } },
  analysis = {
    seed = 1,
    estimator = { method = "bayes_ridge" },
    -- δτ = 0.5 ps; windows from t0 = 0.5 ps: 9 ps ends before every crystal's yield (the earliest is at
    -- 10 ps), 16 ps spans the earlier half of the yields, 25 ps all but one
    var = { order = "bic", max_order = 5, orders = { 1, 2, 3, 4, 5 }, stride = 1, t0 = 0.5, train = { 9, 16, 25 },
      bags = 20, coverage = 0.3, samples = 10, latent = 6, observable = "shockley" },
    resampling = { factor = 100 },
    -- 5-ps windows of 12 crystals (120 states), every 2.5 ps
    idim = { methods = { "twonn", "danco", "mle" }, window = 10, step = 5, discard = 0.1, danco_k = 10, mle_k = 20 },
  },
}

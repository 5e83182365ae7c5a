-- descry analyse: the coverage step on tiny ensembles whose coverage is known (a well-specified
-- linear observable, and the same observable shifted on the held-out trajectories only, which no
-- band fitted on the training trajectories can cover); analysis.var.epistemic reaching the
-- forecasts; σ_M² undefined (not an abort) when every bagging subset is explosive.
local T = require "descry.test"
local la = require "descry.la"
local fs = require "descry.fs"
local json = require "descry.json"
local stats = require "descry.stats"
local regress = require "descry.regress"
local var = require "descry.var"
local core = require "descry.core"
local analysis = require "descry.analysis"
local acov = require "descry.analysis_coverage"


-- 8 trajectories of 150 snapshots of a 3-component stable VAR(1) D̄; observables
-- lin = D̄·θ + N(0, 0.05²) and shifted = lin + 50 on the held-out trajectories r6–r8 only.
local SHIFT = 50
local known
local function known_ensemble()
  if known then return known end
  local d = T.tempdir("coverage-known")
  la.seed(424242)
  local n, K, M = 150, 3, 8
  local model = var.from_table{ kind = "var.model", lag_coef = la.eye(K) * 0.6, intercept = la.zeros(K, 1),
    noise_cov = la.eye(K) * 0.01, residual_cov_mle = la.eye(K) * 0.01, nobs = 100 }
  local starts = {}
  for m = 1, M do starts[m] = la.randn(1, K) * 0.1 end
  local sims = model:simulate(starts, n - 1, { noise = true, seed = 5 })
  local theta = la.matrix{ { 1.0 }, { -0.5 }, { 0.25 } }
  local times = {}
  for k = 1, n do times[k] = 0.5 * k end
  la.save(d .. "/times.npy", la.matrix(times), { vector = true })
  for m = 1, M do
    local D = la.vcat(starts[m], sims[m])
    local lin = D * theta + la.randn(n, 1) * 0.05
    local sub = d .. "/r" .. m
    fs.mkdir(sub)
    la.save(sub .. "/D.npy", D)
    la.save(sub .. "/lin.npy", lin)
    la.save(sub .. "/shifted.npy", m >= 6 and lin + SHIFT or lin)
  end
  known = d
  return d
end

local function describe(d, name, epistemic)
  core.writefile(d .. "/" .. name, ([[return { name = "known coverage", trajectories = { "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8" },
  time = { npy = "times.npy" }, descriptors = { npy = "{id}/D.npy", convention = "sum" },
  observables = { lin = { npy = "{id}/lin.npy" }, shifted = { npy = "{id}/shifted.npy" } },
  split = { test = { "r6", "r7", "r8" } },
  analysis = { var = { latent = 3, train = { 10, 20, 30 }, bags = 8, samples = 4, epistemic = %q, observable = "lin" },
    coverage = { samples = 100, windows = 3 }, plots = false } }
]]):format(epistemic or "member"))
  return d .. "/" .. name
end

T.test("coverage step: a well-specified estimator's bands cover at their nominal level on held-out trajectories", function()
  local d = known_ensemble()
  local st = analysis.open(describe(d, "known.lua"))
  local C = analysis.step(st, "coverage")
  T.eq(C.outputs, { "lin", "shifted" })
  local lin = C.estimators[1]
  T.eq(lin.n, 450)
  T.eq(#lin.groups, 3)
  T.eq(lin.groups[1].label, "r6")
  -- Bayesian ridge ±2σ on a correct linear model with Gaussian noise: nominal 0.9545, SE √(p(1−p)/450)
  local se = math.sqrt(0.9545 * 0.0455 / 450)
  T.truthy(math.abs(lin.pooled.br_2sigma[1] - 0.9545) < 4 * se, "BR ±2σ coverage " .. lin.pooled.br_2sigma[1])
  -- the epistemic part alone (750 training rows) covers far less
  T.truthy(lin.pooled.br_2sigma_epi[1] < 0.5, "BR ±2σ_epi " .. lin.pooled.br_2sigma_epi[1])
  -- per held-out trajectory, recomputed here from the held-out rows with scikit-learn's recipe
  -- (StandardScaler on the training rows, BayesianRidge mean ± 2 return_std)
  local Dtr, Ytr = {}, {}
  for m = 1, 5 do
    Dtr[m] = la.load(d .. "/r" .. m .. "/D.npy")
    Ytr[m] = la.load(d .. "/r" .. m .. "/lin.npy")
  end
  local sc = stats.standardizer(la.vcat(Dtr))
  local br = regress.bayes_ridge(sc:transform(la.vcat(Dtr)), la.vcat(Ytr))
  for i, m in ipairs({ 6, 7, 8 }) do
    local y = la.load(d .. "/r" .. m .. "/lin.npy")
    local mean, sd = br:predict_std(sc:transform(la.load(d .. "/r" .. m .. "/D.npy")))
    local inside = 0
    for k = 1, y:nrows() do
      if math.abs(y:get(k, 1) - mean:get(k, 1)) <= 2 * sd:get(k, 1) then inside = inside + 1 end
    end
    T.near(lin.groups[i].br_2sigma[1], inside / y:nrows(), 1e-12)
  end
  -- shifted on the held-out trajectories only: nothing fitted on the training ones covers it
  local sh = C.estimators[2]
  for _, b in ipairs({ "pops_bounds", "pops_2std", "br_2sigma", "br_2sigma_epi" }) do T.eq(sh.pooled[b][1], 0) end
  -- forecasts: a correct VAR(1) and a linear observable; VAR-only bands near nominal (the band
  -- has no observation noise: ≈ 0.93 expected), the shifted observable never inside
  local lf, sf = C.summaries[1], C.summaries[2]
  T.eq(lf.ntest, 3)
  T.eq(lf.steps, 149)
  T.eq(#lf.var_only.windows, 3)
  T.truthy(lf.var_only.overall > 0.85 and lf.var_only.overall < 0.99, "VAR-only coverage " .. lf.var_only.overall)
  T.truthy(lf.var_pops.overall >= lf.var_only.overall - 0.02, "VAR+POPS coverage " .. lf.var_pops.overall)
  T.eq(sf.var_only.overall, 0)
  T.eq(sf.var_pops.overall, 0)
end)

T.test("coverage step: report section 8 and coverage.json carry the step's numbers", function()
  local d = known_ensemble()
  local out = T.tempdir("coverage-out") .. "/result"
  local st = analysis.run(describe(d, "known.lua"), { out = out, only = { "coverage" } })
  local C = st.results.coverage
  local text = assert(io.open(out .. "/report.md")):read("a")
  T.truthy(text:find("## 8. Coverage of held-out trajectories", 1, true), "section 8")
  local lin = C.estimators[1]
  local g = lin.groups
  local row = ("| lin | %.3f | %.3f | %.3f | %.3f | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f |"):format(lin.pooled.pops_bounds[1],
    lin.pooled.pops_2std[1], lin.pooled.br_2sigma[1], lin.pooled.br_2sigma_epi[1], g[1].pops_bounds[1], g[1].br_2sigma[1],
    g[2].pops_bounds[1], g[2].br_2sigma[1], g[3].pops_bounds[1], g[3].br_2sigma[1])
  T.truthy(text:find(row, 1, true), "estimator row " .. row)
  T.truthy(text:find("| shifted | 0.000 | 0.000 | 0.000 | 0.000 | 0.000 / 0.000 | 0.000 / 0.000 | 0.000 / 0.000 |", 1, true), "shifted row")
  local sm = C.summaries[1]
  local frow = ("| lin | %.3f / %.3f |"):format(sm.var_only.windows[1].coverage, sm.var_pops.windows[1].coverage)
  T.truthy(text:find(frow, 1, true), "forecast row " .. frow)
  local j = json.load(out .. "/coverage.json")
  T.eq(j.format, "descry.analysis.coverage")
  T.eq(j.coverage.estimators[1].name, "lin")
  T.near(j.coverage.estimators[1].br_2sigma, lin.pooled.br_2sigma[1], 0)
  T.near(j.coverage.forecast[1].var_only.overall, sm.var_only.overall, 0)
  T.eq(j.coverage.forecast[2].var_pops.overall, 0)
  -- a fixed seed gives the same bytes
  local out2 = T.tempdir("coverage-out2") .. "/result"
  analysis.run(describe(d, "known.lua"), { out = out2, only = { "coverage" } })
  for _, f in ipairs({ "report.md", "coverage.json" }) do
    T.eq(fs.sha256(out2 .. "/" .. f), fs.sha256(out .. "/" .. f))
  end
  fs.remove_tree(out)
  fs.remove_tree(out2)
end)

T.test("analysis.var.epistemic reaches the forecasts: mean = no parameter spread; member, diagonal, full differ", function()
  local d = known_ensemble()
  local w, cov = {}, {}
  for _, kind in ipairs({ "member", "mean", "diagonal", "full" }) do
    local st = analysis.open(describe(d, kind .. ".lua", kind))
    T.eq(st.cfg.var.epistemic, kind)
    w[kind] = analysis.step(st, "forecast").windows[2]
    cov[kind] = analysis.step(st, "coverage").summaries[1]
  end
  -- "mean" draws no parameters: the same stream as the T̄-only forecast the step makes beside it
  T.truthy(la.allclose(w.mean.fmean, w.mean.fmean0, 0, 0), "mean: fmean equals the T̄ forecast")
  T.truthy(not la.allclose(w.member.fmean, w.member.fmean0, 1e-9, 0), "member: parameter draws change the forecast")
  T.truthy(not la.allclose(w.member.fstd, w.full.fstd, 1e-9, 0), "full differs from member")
  T.truthy(not la.allclose(w.diagonal.fstd, w.full.fstd, 1e-9, 0), "diagonal differs from full")
  T.truthy(not la.allclose(w.mean.fstd, w.member.fstd, 1e-9, 0), "mean differs from member")
  -- and the coverage step's forecast bands: no parameter spread gives narrower bands
  T.truthy(cov.mean.var_only.width < cov.member.var_only.width, "mean band narrower than member")
  T.truthy(cov.full.var_only.width ~= cov.member.var_only.width, "full band differs from member")
end)

T.test("σ_M² undefined when every bagging subset is explosive: the analysis reports why and continues", function()
  local d = T.tempdir("explosive")
  la.seed(3)
  local n, K = 40, 3
  local times = {}
  for k = 1, n do times[k] = 0.5 * k end
  la.save(d .. "/times.npy", la.matrix(times), { vector = true })
  for m = 1, 4 do
    local c = la.rand(1, K) + 0.5
    local rows = {}
    for k = 1, n do rows[k] = c * (1.08 ^ k) end
    local D = la.vcat(rows) + la.randn(n, K) * 0.01
    fs.mkdir(d .. "/e" .. m)
    la.save(d .. "/e" .. m .. "/D.npy", D)
    la.save(d .. "/e" .. m .. "/y.npy", D:col(1) * 2 + la.randn(n, 1) * 0.01)
  end
  core.writefile(d .. "/ensemble.lua", [[return { name = "explosive", trajectories = { "e1", "e2", "e3", "e4" },
  time = { npy = "times.npy" }, descriptors = { npy = "{id}/D.npy", convention = "sum" },
  observables = { y = { npy = "{id}/y.npy" } }, split = { test = { "e4" } },
  analysis = { steps = { "estimators", "forecast" }, var = { latent = 3, train = { 5, 8, 10 }, bags = 6, samples = 3 } } }
]])
  local st = analysis.run(d .. "/ensemble.lua", { out = d .. "/out" })
  for _, f in ipairs(st.results.forecast.windows) do
    T.eq(f.unstable, 6)
    T.eq(f.s2, nil)
    T.eq(f.Mt, nil)
    T.eq(f.tau_pred, nil)
    T.eq(f.s2_reason, "0 of 6 bagging subsets are stable (spectral radius < 1); σ_M² needs at least 2")
    T.eq(#f.fcM, #f.M0)
  end
  local text = assert(io.open(d .. "/out/report.md")):read("a")
  T.truthy(text:find("| 8 | undefined |", 1, true), "σ_M² undefined in the table")
  T.truthy(text:find("σ_M² undefined (and with it M_σ, M(t), τ_pred and η) — τ_tr = 5 ps: 0 of 6 bagging subsets are stable", 1, true), "reason")
  local fc = json.load(d .. "/out/forecasts.json")
  T.eq(fc.windows[1].sigma_m2, json.null)
  T.eq(fc.windows[1].sigma_m2_undefined, "0 of 6 bagging subsets are stable (spectral radius < 1); σ_M² needs at least 2")
  if st.cfg.plots then T.truthy(fs.kind(d .. "/out/forecast.png") == "file", "forecast figure") end
  fs.remove_tree(d)
end)

T.test("coverage folds: one fold equal to the description's split gives the step's numbers; folds pool every held-out trajectory", function()
  local d = known_ensemble()
  local st = analysis.open(describe(d, "known.lua"))
  local C = analysis.step(st, "coverage")
  local rows = acov.estimator_rows(C)
  local one = acov.folds(st, { { 6, 7, 8 } })
  T.eq(one.outputs, C.outputs)
  for j, r in ipairs(rows) do
    for _, b in ipairs({ "pops_bounds", "pops_2std", "br_2sigma", "br_2sigma_epi" }) do T.near(one.rows[j][b], r[b], 1e-12) end
    T.eq(one.summaries[j].var_pops.overall, C.summaries[j].var_pops.overall)
  end
  local two = acov.folds(st, { { 1, 2, 3, 4 }, { 5, 6, 7, 8 } })
  T.eq(two.ntest, 8)
  local lin = two.rows[1]
  T.eq(#lin.groups, 8)
  T.eq(lin.groups[1].label, "r1")
  T.eq(lin.groups[8].label, "r8")
  local inside, n = 0, 0
  for _, g in ipairs(lin.groups) do
    inside = inside + g.br_2sigma * g.n
    n = n + g.n
  end
  T.eq(n, 1200)
  T.near(lin.br_2sigma, inside / n, 1e-12)
  T.truthy(acov.format_folds(two):find("forecast bands, nominal 0.95, 8 held-out trajectories", 1, true), "format_folds")
  T.raises(function() acov.step(st, { test = { 9 } }) end, "opts.test[1] = 9 is not a trajectory index 1..8")
  T.raises(function() acov.step(st, { test = { 1, 2, 3, 4, 5, 6, 7, 8 } }) end, "at least one trajectory on each side")
end)

T.test("analysis_coverage functions have docstrings", function()
  T.truthy(core.doc(acov), "module docstring")
  for k, v in pairs(acov) do
    if type(v) == "function" then T.truthy(core.doc(v), "analysis_coverage." .. k .. " has no docstring") end
  end
end)

T.test("temporary ensembles removed", function()
  if known then fs.remove_tree(known) end
  known = nil
  T.truthy(true)
end)

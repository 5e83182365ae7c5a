--- descry.coverage: how often uncertainty bands contain held-out data (nominal level vs achieved).
--   * coverage.estimators: POPS (Swinburne & Perez, Mach. Learn.: Sci. Technol. 6, 015008, 2025)
--     against Bayesian ridge for linear estimators Ô = Θ·x + Θ⁰ (eq. 2 of Swinburne, PRL 131,
--     236101, 2023), per output, pooled and per held-out group (trajectory);
--   * coverage.forecast: VAR(P) forecast bands (eq. 3) of an observable with the estimator fixed
--     at its mean Θ ("VAR only") against bands in which each forecast draw also draws Θ from the
--     POPS posterior ("VAR + POPS"), over time, on held-out whole trajectories.
-- All arithmetic is on la matrices (the Swift engine).
local la = require "descry.la"
local regress = require "descry.regress"
local var = require "descry.var"
local core = require "descry.core"

local M = {}

M.estimator_bands = { "pops_bounds", "pops_2std", "br_2sigma", "br_2sigma_epi" }
M.estimator_labels = { pops_bounds = "POPS bounds", pops_2std = "POPS ±2std", br_2sigma = "BR ±2σ",
  br_2sigma_epi = "BR ±2σ_epi" }

--- Per-column fraction of ones of a 0/1 matrix (1 × q), as a Lua array.
local function column_fractions(mask)
  local f = mask:mean(1)
  local out = {}
  for j = 1, f:ncols() do out[j] = f:get(1, j) end
  return out
end

--- coverage.estimators(Xtr, Ytr, Xte, Yte [, groups]) -> result
-- Fits regress.pops and regress.bayes_ridge on (Xtr, Ytr) (one column of Y per output) and
-- counts the held-out rows whose true value lies inside each band: POPS min/max bounds, POPS
-- mean ± 2 std (misspecification + epistemic), Bayesian ridge mean ± 2σ (noise 1/α included) and
-- ± 2σ_epi (its epistemic part alone, √(σ² − 1/α), the part that shrinks as 1/N).
-- groups: optional array with one label per row of Xte (e.g. the held-out trajectory).
-- Returns {n, q, pooled = {band = {fraction per output}}, groups = {{label, n, band = {...}}}}.
function M.estimators(Xtr, Ytr, Xte, Yte, groups)
  local pops = regress.pops(Xtr, Ytr)
  local mean, std, upper, lower = pops:predict_bounds(Xte)
  local br = regress.bayes_ridge(Xtr, Ytr)
  local bm, bs = br:predict_std(Xte)
  local q = Yte:ncols()
  local noise = la.zeros(1, q)
  local alpha = br:alpha()
  for j = 1, q do noise:set(1, j, 1 / alpha[j]) end
  local epi = (bs:mul(bs) - noise):clamp(0, math.huge):sqrt()
  local inside = {
    pops_bounds = Yte:ge(lower):mul(Yte:le(upper)),
    pops_2std = (Yte - mean):abs():le(std * 2),
    br_2sigma = (Yte - bm):abs():le(bs * 2),
    br_2sigma_epi = (Yte - bm):abs():le(epi * 2),
  }
  local res = { n = Yte:nrows(), q = q, pooled = {}, groups = {} }
  for _, b in ipairs(M.estimator_bands) do res.pooled[b] = column_fractions(inside[b]) end
  if groups then
    local labels, seen = {}, {}
    for _, g in ipairs(groups) do
      if not seen[g] then seen[g] = true; labels[#labels + 1] = g end
    end
    for _, g in ipairs(labels) do
      local idx = {}
      for i, h in ipairs(groups) do if h == g then idx[#idx + 1] = i end end
      local rec = { label = g, n = #idx }
      for _, b in ipairs(M.estimator_bands) do rec[b] = column_fractions(inside[b]:rows(idx)) end
      res.groups[#res.groups + 1] = rec
    end
  end
  return res
end

--- coverage.format_estimators(result [, names]) -> text: one line per output with each band's
-- pooled coverage and, in brackets, its range over the groups.
function M.format_estimators(res, names)
  local lines = {}
  for j = 1, res.q do
    local parts = { ("%-8s"):format(names and names[j] or ("y" .. j)) }
    for _, b in ipairs(M.estimator_bands) do
      local lo, hi = math.huge, -math.huge
      for _, g in ipairs(res.groups) do lo = math.min(lo, g[b][j]); hi = math.max(hi, g[b][j]) end
      local range = #res.groups > 0 and (" (%.2f–%.2f)"):format(lo, hi) or ""
      parts[#parts + 1] = ("%s %.3f%s"):format(M.estimator_labels[b], res.pooled[b][j], range)
    end
    lines[#lines + 1] = table.concat(parts, "  ")
  end
  return table.concat(lines, "\n")
end

--- coverage.forecast(opts) -> result
-- Forecast bands of observables on held-out whole trajectories. opts:
--   train: list of training trajectories (T_i × k, e.g. latent D̄), test: list of held-out ones;
--   ytrain / ytest: matching lists of observables (T_i × q, one column per observable);
--   order (P, 1), bags (20), bag_coverage (subset fraction, 0.3), samples per held-out
--   trajectory (200), level (0.95), seed (1), draw (VAR parameter draw: "member", "diagonal",
--   "full"; see bag:sample_params).
-- The bagged VAR and regress.pops (observables on the same coordinates, intercept) are fitted on
-- the training trajectories. Each held-out trajectory is forecast from its first P states,
-- `samples` times (noise and VAR parameter draws). "VAR only": observables at the POPS mean Θ;
-- "VAR + POPS": each forecast draw paired with its own draw of Θ per observable
-- (pops:sample_coef). Bands are the central `level` quantile interval over the draws at each
-- step. Returns {level, steps, ntest, outputs = {{var_only, var_pops}}}, each with inside
-- (steps × ntest 0/1 matrix: held-out value inside the band) and width (steps × ntest band
-- widths); summarise with coverage.summary.
function M.forecast(opts)
  local P = opts.order or 1
  local S = opts.samples or 200
  local level = opts.level or 0.95
  local seed = opts.seed or 1
  local bag = var.fit(opts.train, { order = P, bags = opts.bags or 20, coverage = opts.bag_coverage or 0.3, seed = seed })
  local pops = regress.pops(la.vcat(opts.train), la.vcat(opts.ytrain), { seed = seed })
  local q = opts.ytrain[1]:ncols()
  local mean_theta = la.vcat(pops:coef(), pops:intercept():t())
  local qlo, qhi = (1 - level) / 2, (1 + level) / 2
  local steps = math.huge
  for _, Z in ipairs(opts.test) do steps = math.min(steps, Z:nrows() - P) end
  local acc = {}
  for j = 1, q do acc[j] = { var_only = { inside = {}, width = {} }, var_pops = { inside = {}, width = {} } } end
  for i, Z in ipairs(opts.test) do
    local fc = bag:forecast(Z:rows(1, P), { steps = steps, samples = S, epistemic = opts.draw or "member", seed = seed + i })
    local draws = {}
    for j = 1, q do draws[j] = pops:sample_coef(S, { output = j, seed = seed + 1000 * j + i }) end
    local only, both = {}, {}
    for s, f in ipairs(fc) do
      local Za = la.hcat(f, la.ones(steps, 1))
      only[s] = Za:matmul(mean_theta)
      local theta = {}
      for j = 1, q do theta[j] = draws[j]:rows(s) end
      both[s] = Za:matmul(la.vcat(theta):t())
    end
    local truth = opts.ytest[i]:rows(P + 1, P + steps)
    for j = 1, q do
      local t = truth:col(j)
      for kind, list in pairs({ var_only = only, var_pops = both }) do
        local cols = {}
        for s, m in ipairs(list) do cols[s] = m:col(j) end
        local F = la.hcat(cols)
        local lo, hi = F:quantile(qlo, 2), F:quantile(qhi, 2)
        acc[j][kind].inside[i] = t:ge(lo):mul(t:le(hi))
        acc[j][kind].width[i] = hi - lo
      end
    end
  end
  local res = { level = level, steps = steps, ntest = #opts.test, outputs = {} }
  for j = 1, q do
    res.outputs[j] = {}
    for kind, a in pairs(acc[j]) do res.outputs[j][kind] = { inside = la.hcat(a.inside), width = la.hcat(a.width) } end
  end
  return res
end

--- coverage.summary(results, j [, windows=5]) -> {level, ntest, steps, var_only, var_pops}: for
-- observable j, pooled over a list of coverage.forecast results (e.g. folds; equal steps
-- assumed, the shortest kept): per window of steps {from, to, coverage} and overall coverage,
-- the mean band width, and the per-trajectory overall coverage range {min, max}.
function M.summary(results, j, windows)
  local nw = windows or 5
  local steps = math.huge
  for _, r in ipairs(results) do steps = math.min(steps, r.steps) end
  local out = { level = results[1].level, steps = steps, ntest = 0 }
  for _, r in ipairs(results) do out.ntest = out.ntest + r.ntest end
  for _, kind in ipairs({ "var_only", "var_pops" }) do
    local ins, wid = {}, {}
    for k, r in ipairs(results) do
      ins[k] = r.outputs[j][kind].inside:rows(1, steps)
      wid[k] = r.outputs[j][kind].width:rows(1, steps)
    end
    local inside, width = la.hcat(ins), la.hcat(wid)
    local per_traj = inside:mean(1)
    local rec = { overall = inside:mean(), width = width:mean(), windows = {},
      traj_min = per_traj:min(), traj_max = per_traj:max() }
    for w = 1, nw do
      local a, b = (w - 1) * steps // nw + 1, w * steps // nw
      rec.windows[w] = { from = a, to = b, coverage = inside:rows(a, b):mean() }
    end
    out[kind] = rec
  end
  return out
end

--- coverage.format_summary(summary [, name, dt]) -> text: coverage per time window and overall,
-- VAR only vs VAR+POPS, against the nominal level; dt (time per step) labels windows in time.
function M.format_summary(sm, name, dt)
  local head = ("%s: nominal %.2f, %d held-out trajectories"):format(name or "observable", sm.level, sm.ntest)
  local lines = { head }
  for w, rec in ipairs(sm.var_only.windows) do
    local span = dt and ("t %4.0f–%-4.0f"):format((rec.from - 1) * dt, (rec.to - 1) * dt) or ("steps %3d–%-3d"):format(rec.from, rec.to)
    lines[#lines + 1] = ("  %s  VAR only %.3f  VAR+POPS %.3f"):format(span, rec.coverage, sm.var_pops.windows[w].coverage)
  end
  local o, b = sm.var_only, sm.var_pops
  lines[#lines + 1] = ("  overall      VAR only %.3f (%.2f–%.2f)  VAR+POPS %.3f (%.2f–%.2f)  band width %.3g vs %.3g"):format(
    o.overall, o.traj_min, o.traj_max, b.overall, b.traj_min, b.traj_max, o.width, b.width)
  return table.concat(lines, "\n")
end

core.setdoc(M, "descry.coverage: held-out coverage of uncertainty bands — POPS vs Bayesian ridge estimators, VAR-only vs VAR+POPS forecast bands (nominal level vs achieved).")
core.setdoc(M.estimators, "coverage.estimators(Xtr, Ytr, Xte, Yte [, groups]) -> {n, q, pooled, groups}: fraction of held-out Y inside POPS min/max bounds, POPS ±2std, Bayesian ridge ±2σ and ±2σ_epi, per output, pooled and per group (e.g. held-out trajectory). Swinburne & Perez, MLST 6, 015008 (2025).")
core.setdoc(M.format_estimators, "coverage.format_estimators(result [, names]) -> text, one line per output: pooled coverage of each band and its range over the groups.")
core.setdoc(M.forecast, "coverage.forecast{train, test, ytrain, ytest [, order=1, bags=20, bag_coverage=0.3, samples=200, level=0.95, seed=1, draw=\"member\"]} -> per step and held-out trajectory: inside the central `level` forecast band (0/1) and band width, per observable, VAR only (Θ at the POPS mean) vs VAR + POPS (each forecast draw paired with a POPS draw of Θ); eq. 3 of Swinburne, PRL 131, 236101 (2023).")
core.setdoc(M.summary, "coverage.summary(results, j [, windows=5]) -> coverage of observable j per time window and overall (with the per-trajectory range) and mean band width, VAR only vs VAR+POPS, pooled over coverage.forecast results (folds).")
core.setdoc(M.format_summary, "coverage.format_summary(summary [, name, dt]) -> text: coverage per time window and overall, VAR only vs VAR+POPS, with band widths; dt (time per step) labels the windows in time units.")

return M

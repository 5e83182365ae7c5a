--- descry.analysis_coverage: the "coverage" step of `descry analyse` and its report section — how
-- often uncertainty bands contain held-out MD, on the held-out trajectories of the description
-- (split.test), everything fitted on the training trajectories only:
--   * estimators: POPS (Swinburne & Perez, Mach. Learn.: Sci. Technol. 6, 015008, 2025) bounds
--     and ±2 std against Bayesian ridge ±2σ and its epistemic part ±2σ_epi, for every output of
--     every observable (a scalar; each component of a tensor; the basis coefficients of a vector
--     observable such as g(r)), pooled and per held-out trajectory (descry.coverage.estimators);
--   * forecasts: VAR(P) bands (eq. 3 of Swinburne, PRL 131, 236101, 2023) of the same outputs
--     with the estimator at its mean Θ ("VAR only") against bands whose draws each also draw Θ
--     from the POPS posterior ("VAR + POPS"), each held-out trajectory forecast from its own
--     first P states at t0, coverage per time window and overall (descry.coverage.forecast).
local la, stats, var = require "descry.la", require "descry.stats", require "descry.var"
local coverage, core = require "descry.coverage", require "descry.core"

local M = {}
core.setdoc(M, "descry.analysis_coverage: the coverage step of descry analyse (POPS vs Bayesian ridge on held-out trajectories, VAR-only vs VAR+POPS forecast bands) and its report section.")

--- Rows of the listed trajectories stacked: rec[field] or rec.obs[name].
local function stack(ens, list, get)
  local parts = {}
  for i, t in ipairs(list) do parts[i] = get(ens.trajectories[t]) end
  return la.vcat(parts)
end

--- The outputs of one observable: identity for a scalar or tensor (one output per component), the
-- first `basis` principal components (fitted on the training rows) for a vector observable with
-- more columns. Returns transform(Y) -> outputs and their names.
local function outputs_of(name, info, Ytr, basis)
  if info.kind == "vector" and info.d > basis then
    local pca = stats.pca(Ytr, { n = basis })
    local names = {}
    for l = 1, basis do names[l] = ("%s a%d"):format(name, l) end
    return function(Y) return pca:transform(Y) end, names
  end
  local names = {}
  if info.d == 1 then
    names[1] = name
  else
    for j = 1, info.d do
      names[j] = ("%s %s"):format(name, info.columns and info.columns[j] or (info.kind == "tensor" and "component " or "column ") .. j)
    end
  end
  return function(Y) return Y end, names
end

--- The VAR order of the coverage forecasts: analysis.var.order, or for "aic"/"bic" the criterion
-- on the training trajectories alone (the order step also sees the held-out trajectories' first
-- window), so the step gives the same result alone (--only coverage) and after the others.
local function coverage_order(st, train)
  local v = st.cfg.var
  if math.type(v.order) == "integer" then return v.order end
  local _, best_aic, best_bic = var.select_order(train, v.max_order)
  return v.order == "aic" and best_aic or best_bic
end

--- The training and held-out trajectory indices: the description's split, or opts.test (indices
-- of held-out trajectories) and every other trajectory for training.
local function split_of(st, opts)
  local desc = st.ens.desc
  if not (opts and opts.test) then return desc.train, desc.test end
  local held, test, train = {}, {}, {}
  for i, t in ipairs(opts.test) do
    if math.type(t) ~= "integer" or t < 1 or t > st.ens.M then
      error(("analysis_coverage.step: opts.test[%d] = %s is not a trajectory index 1..%d"):format(i, tostring(t), st.ens.M), 3)
    end
    held[t] = true
  end
  for t = 1, st.ens.M do
    if held[t] then test[#test + 1] = t else train[#train + 1] = t end
  end
  if #train == 0 or #test == 0 then error("analysis_coverage.step: opts.test must leave at least one trajectory on each side", 3) end
  return train, test
end

--- Step "coverage" (see the module docstring). Needs held-out trajectories and at least one
-- observable; stores st.results.coverage = {outputs = {names}, estimators, forecast, summaries,
-- level, samples, order, dtau, times}. opts.test: held-out trajectory indices other than the
-- description's split (the rest train), e.g. for folds (analysis_coverage.folds).
function M.step(st, opts)
  local ens, cfg = st.ens, st.cfg
  local desc = ens.desc
  local train_ids, test_ids = split_of(st, opts)
  local steps = require "descry.analysis_steps"
  local out = { outputs = {}, observables = {}, level = cfg.coverage.level, samples = cfg.coverage.samples }
  if #desc.observable_names == 0 then
    out.skipped = "the description has no observables"
    st.results.coverage = out
    return out
  end
  -- estimator coverage: standardised D̄ of all snapshots, fitted on the training trajectories
  local Dtr = stack(ens, train_ids, function(r) return r.D end)
  local sc = cfg.standardise and stats.standardizer(Dtr) or nil
  local function scale(D) return sc and sc:transform(D) or D end
  local Xtr = scale(Dtr)
  local Xte = scale(stack(ens, test_ids, function(r) return r.D end))
  local groups = {}
  for _, t in ipairs(test_ids) do
    local rec = ens.trajectories[t]
    for _ = 1, rec.D:nrows() do groups[#groups + 1] = rec.id end
  end
  local transforms = {}
  out.estimators = {}
  for _, name in ipairs(desc.observable_names) do
    local info = ens.observables[name]
    local Ytr = stack(ens, train_ids, function(r) return r.obs[name] end)
    local transform, names = outputs_of(name, info, Ytr, cfg.estimator.basis)
    transforms[#transforms + 1] = transform
    local Yte = transform(stack(ens, test_ids, function(r) return r.obs[name] end))
    local res = coverage.estimators(Xtr, transform(Ytr), Xte, Yte, groups)
    out.observables[#out.observables + 1] = { name = name, unit = info.unit, outputs = names }
    out.estimators[#out.estimators + 1] = res
    for _, n in ipairs(names) do out.outputs[#out.outputs + 1] = n end
  end
  -- forecast coverage: latent space and bagged VAR from the training trajectories on the grid
  local g = st.grid or steps.grid(st)
  st.grid = g
  local coarse = {}
  for i, rec in ipairs(ens.trajectories) do coarse[i] = steps.coarse_rows(g, rec.D) end
  local wins = {}
  for k, t in ipairs(train_ids) do wins[k] = coarse[t] end
  local W = la.vcat(wins)
  local sw = cfg.standardise and stats.standardizer(W) or nil
  local function wscale(D) return sw and sw:transform(D) or D end
  local pca = stats.pca(wscale(W), { n = math.min(cfg.var.latent, ens.K, W:nrows() - 1) })
  local function lat(i) return pca:transform(wscale(coarse[i])) end
  local function ys(i)
    local rec, parts = ens.trajectories[i], {}
    for k, name in ipairs(desc.observable_names) do parts[k] = transforms[k](steps.coarse_rows(g, rec.obs[name])) end
    return la.hcat(parts)
  end
  local train, test, ytrain, ytest = {}, {}, {}, {}
  for k, t in ipairs(train_ids) do train[k], ytrain[k] = lat(t), ys(t) end
  for k, t in ipairs(test_ids) do test[k], ytest[k] = lat(t), ys(t) end
  local P = coverage_order(st, train)
  local f = coverage.forecast{ train = train, test = test, ytrain = ytrain, ytest = ytest, order = P,
    bags = cfg.var.bags, bag_coverage = cfg.var.coverage, samples = cfg.coverage.samples, level = cfg.coverage.level,
    seed = cfg.seed, draw = cfg.var.epistemic }
  out.forecast = f
  out.order = P
  out.latent = pca:components():nrows()
  out.dtau = g.dtau
  out.times = g.times
  out.summaries = {}
  local nw = math.min(cfg.coverage.windows, f.steps)
  for j = 1, #out.outputs do out.summaries[j] = coverage.summary({ f }, j, nw) end
  st.results.coverage = out
  return out
end
core.setdoc(M.step, "analysis_coverage.step(st [, {test = {indices}}]) -> held-out coverage of POPS bounds/±2std vs Bayesian ridge ±2σ/±2σ_epi per output (pooled, per held-out trajectory), and of VAR-only vs VAR+POPS forecast bands per time window; everything fitted on the training trajectories.")

--- analysis_coverage.folds(st, folds) -> pooled coverage over folds of held-out trajectories
-- (each fold a list of trajectory indices, the rest training): {outputs, rows = estimator rows
-- (pooled over all held-out snapshots, groups = every held-out trajectory), summaries =
-- forecast coverage per output pooled over the folds (coverage.summary), level, ntest}.
function M.folds(st, folds)
  local runs = {}
  for k, test in ipairs(folds) do runs[k] = M.step(st, { test = test }) end
  local first = runs[1]
  local out = { outputs = first.outputs, level = first.level, rows = {}, summaries = {}, ntest = 0 }
  local per_run = {}
  for k, C in ipairs(runs) do
    per_run[k] = M.estimator_rows(C)
    out.ntest = out.ntest + C.forecast.ntest
  end
  for j, name in ipairs(first.outputs) do
    local row = { name = name, groups = {} }
    for _, b in ipairs(coverage.estimator_bands) do
      local inside, n = 0, 0
      for k in ipairs(runs) do
        for _, g in ipairs(per_run[k][j].groups) do
          inside = inside + g[b] * g.n
          n = n + g.n
        end
      end
      row[b] = inside / n
    end
    for k in ipairs(runs) do
      for _, g in ipairs(per_run[k][j].groups) do row.groups[#row.groups + 1] = g end
    end
    out.rows[j] = row
    local fs = {}
    for k, C in ipairs(runs) do fs[k] = C.forecast end
    out.summaries[j] = coverage.summary(fs, j, math.min(st.cfg.coverage.windows, first.forecast.steps))
  end
  return out
end
core.setdoc(M.folds, "analysis_coverage.folds(st, folds) -> {outputs, rows, summaries, level, ntest}: the coverage step run with each fold of trajectory indices held out, estimator coverage pooled over all held-out snapshots (groups: every held-out trajectory) and forecast coverage pooled over the folds.")

--- analysis_coverage.format_folds(R) -> text: per output, estimator bands pooled (range over
-- held-out trajectories), then forecast coverage VAR only vs VAR + POPS overall (range) and width.
function M.format_folds(R)
  local lines = {}
  for j, r in ipairs(R.rows) do
    local parts = { ("%-20s"):format(r.name) }
    for _, b in ipairs(coverage.estimator_bands) do
      local lo, hi = math.huge, -math.huge
      for _, g in ipairs(r.groups) do lo = math.min(lo, g[b]); hi = math.max(hi, g[b]) end
      parts[#parts + 1] = ("%s %.3f (%.2f–%.2f)"):format(coverage.estimator_labels[b], r[b], lo, hi)
    end
    lines[#lines + 1] = table.concat(parts, "  ")
  end
  lines[#lines + 1] = ("forecast bands, nominal %.2f, %d held-out trajectories:"):format(R.level, R.ntest)
  for j, name in ipairs(R.outputs) do
    local o, b = R.summaries[j].var_only, R.summaries[j].var_pops
    lines[#lines + 1] = ("%-20s VAR only %.3f (%.2f–%.2f)  VAR+POPS %.3f (%.2f–%.2f)  width %.3g → %.3g"):format(name,
      o.overall, o.traj_min, o.traj_max, b.overall, b.traj_min, b.traj_max, o.width, b.width)
  end
  return table.concat(lines, "\n")
end
core.setdoc(M.format_folds, "analysis_coverage.format_folds(pooled) -> text: per output the estimator bands' pooled coverage (range over held-out trajectories) and the forecast coverage VAR only vs VAR + POPS with band widths.")

local function f3(x) return x ~= x and "NaN" or ("%.3f"):format(x) end

-- Copies output j's coverage of every estimator band from `source` into `row`.
local function bands_of_output(source, j, row)
  for _, b in ipairs(coverage.estimator_bands) do row[b] = source[b][j] end
  return row
end

-- Appends to `rows` one row per output of an estimator's coverage result `res`.
local function add_output_rows(rows, res, outputs)
  for j, name in ipairs(outputs) do
    local row = bands_of_output(res.pooled, j, { name = name, groups = {} })
    for i, g in ipairs(res.groups) do row.groups[i] = bands_of_output(g, j, { label = g.label, n = g.n }) end
    rows[#rows + 1] = row
  end
end

--- analysis_coverage.estimator_rows(C) -> per-output rows of the estimator coverage:
-- {name, band = pooled fraction, groups = {{label, n, band = fraction}}}.
function M.estimator_rows(C)
  local rows = {}
  for k, res in ipairs(C.estimators) do add_output_rows(rows, res, C.observables[k].outputs) end
  return rows
end
core.setdoc(M.estimator_rows, "analysis_coverage.estimator_rows(coverage_results) -> per output {name, pops_bounds, pops_2std, br_2sigma, br_2sigma_epi (pooled), groups = per held-out trajectory {label, n, bands}}.")

--- analysis_coverage.report_lines(C, time_unit) -> Markdown lines of the coverage section.
function M.report_lines(C, tu)
  local L = {}
  local function add(s, ...) L[#L + 1] = select("#", ...) > 0 and s:format(...) or s end
  add("## 8. Coverage of held-out trajectories: POPS vs Bayesian ridge, VAR only vs VAR + POPS")
  add("")
  if C.skipped then
    add("Not computed: %s.", C.skipped)
    add("")
    return L
  end
  add("Fraction of held-out values inside each band; everything fitted on the training trajectories only. A vector observable enters through its basis coefficients a_l (principal components of the training rows), a tensor component by component.")
  add("")
  add("Estimators Ô = Θ·D̄ + Θ⁰ on standardised D̄: POPS min/max bounds and POPS mean ± 2 std (misspecification + epistemic, no noise term; Swinburne & Perez, MLST 6, 015008 (2025)); Bayesian ridge mean ± 2σ (noise 1/α included; nominal 95.4 % if the model were right) and ± 2σ_epi (its epistemic part alone, the part that shrinks as 1/N). Pooled over all held-out snapshots, then POPS bounds / BR ±2σ per held-out trajectory.")
  add("")
  local rows = M.estimator_rows(C)
  local head = "| output | POPS bounds | POPS ±2std | BR ±2σ | BR ±2σ_epi |"
  local rule = "|---|---|---|---|---|"
  for _, g in ipairs(rows[1].groups) do head = head .. (" %s (%d) |"):format(g.label, g.n) rule = rule .. "---|" end
  add("%s", head)
  add("%s", rule)
  for _, r in ipairs(rows) do
    local line = ("| %s | %s | %s | %s | %s |"):format(r.name, f3(r.pops_bounds), f3(r.pops_2std), f3(r.br_2sigma), f3(r.br_2sigma_epi))
    for _, g in ipairs(r.groups) do line = line .. (" %s / %s |"):format(f3(g.pops_bounds), f3(g.br_2sigma)) end
    add("%s", line)
  end
  add("")
  local f = C.forecast
  add("Forecasts: bagged VAR(%d) in %d principal components of standardised D̄ (fitted on the training trajectories from t0, δτ = %g %s); each of the %d held-out trajectories forecast %d times from %s alone; band = central %.0f %% of the draws at each time (nominal %.2f). VAR only: the estimator (POPS, latent coordinates) at its mean Θ; VAR + POPS: each forecast draw paired with its own POPS draw of Θ. Coverage per time window (t from t0) and overall (range over the held-out trajectories), mean band width.",
    C.order, C.latent, C.dtau, tu, f.ntest, C.samples, C.order == 1 and "its own state at t0" or ("its own first %d states from t0"):format(C.order), 100 * C.level, C.level)
  add("")
  local sm1 = C.summaries[1]
  head, rule = "| output |", "|---|"
  for _, w in ipairs(sm1.var_only.windows) do
    head = head .. (" t %g–%g %s |"):format(C.times[C.order + w.from] - C.times[1], C.times[C.order + w.to] - C.times[1], tu)
    rule = rule .. "---|"
  end
  add("%s overall VAR only | overall VAR + POPS | band width VAR only → VAR + POPS |", head)
  add("%s---|---|---|", rule)
  for j, name in ipairs(C.outputs) do
    local sm = C.summaries[j]
    local line = ("| %s |"):format(name)
    for w, rec in ipairs(sm.var_only.windows) do line = line .. (" %s / %s |"):format(f3(rec.coverage), f3(sm.var_pops.windows[w].coverage)) end
    local o, b = sm.var_only, sm.var_pops
    line = line .. (" %s (%s–%s) | %s (%s–%s) | %.3g → %.3g |"):format(f3(o.overall), f3(o.traj_min), f3(o.traj_max),
      f3(b.overall), f3(b.traj_min), f3(b.traj_max), o.width, b.width)
    add("%s", line)
  end
  add("")
  add("Window cells: VAR only / VAR + POPS. Coverage below nominal: the band is too narrow (over-confident); above: too wide. Held-out values within a trajectory are correlated in time, so a few trajectories give a coarse estimate.")
  add("")
  return L
end
core.setdoc(M.report_lines, "analysis_coverage.report_lines(coverage_results, time_unit) -> Markdown lines: estimator coverage per output (pooled, per held-out trajectory) and forecast band coverage per time window.")

--- analysis_coverage.totable(C) -> plain table of the coverage numbers for coverage.json.
function M.totable(C)
  if C.skipped then return { skipped = C.skipped } end
  local t = { level = C.level, samples = C.samples, order = C.order, dtau = C.dtau, estimators = M.estimator_rows(C), forecast = {} }
  for j, name in ipairs(C.outputs) do
    local sm = C.summaries[j]
    t.forecast[j] = { name = name, var_only = sm.var_only, var_pops = sm.var_pops, ntest = sm.ntest, steps = sm.steps }
  end
  return t
end
core.setdoc(M.totable, "analysis_coverage.totable(coverage_results) -> table of the numbers (estimator bands per output and held-out trajectory; forecast coverage per window) for coverage.json.")

return M

--- descry.analysis_steps: the steps of the paper's analysis (Swinburne, PRL 131, 236101 (2023))
-- on a loaded ensemble (descry.analysis_data): linear estimators with held-out trajectories
-- (eq. 2), VAR order selection, bagged VAR forecasts with epistemic bands and the confidence
-- M(t) of eqs. 4–5, resampling from N(μ0, Σ0), PCA of the ensemble mean and the intrinsic
-- dimension over windows. Each step takes the state `st` ({ens, cfg, results}) and stores its
-- results in st.results[step]; the numerics are engine calls (la, stats, regress, var, idim).
local la, stats, regress, var = require "descry.la", require "descry.stats", require "descry.regress", require "descry.var"
local idim, core = require "descry.idim", require "descry.core"
local metrics, schema = require "descry.analysis_metrics", require "descry.analysis_schema"

local M = {}
core.setdoc(M, "descry.analysis_steps: the analysis steps (estimators, order, forecast, resampling, pca, idim) on a state {ens, cfg, results}.")

local function fit_linear(method, X, Y)
  if method == "ols" then return regress.ols(X, Y) end
  if method == "ridge" then return regress.ridge(X, Y) end
  return regress.bayes_ridge(X, Y)
end

--- Stacked rows of a field over the given trajectories: la.vcat of rec[field] (or rec.obs[name]).
local function stack(ens, list, field, name)
  local parts = {}
  for i, t in ipairs(list) do
    local rec = ens.trajectories[t]
    parts[i] = name and rec.obs[name] or rec[field]
  end
  return la.vcat(parts)
end
M.stack = core.setdoc(stack, "analysis_steps.stack(ens, list, field [, observable]) -> rows of the listed trajectories stacked.")

--- A scaler for D̄: standardisation fitted on X (scikit-learn StandardScaler) or the identity.
local function scaler(on, X)
  if on then return stats.standardizer(X) end
  return nil
end

local function scale(sc, X) return sc and sc:transform(X) or X end

--- Step "estimators": Ô = Θ·D̄ + Θ⁰ for every observable, trained on the training trajectories,
-- scored on the held-out ones (pooled and per trajectory). Vector observables go through a
-- basis of `basis` principal components of the training data (the paper's g(r; D̄)).
function M.estimators(st)
  local ens, cfg = st.ens, st.cfg
  local desc = ens.desc
  local Dtr = stack(ens, desc.train, "D")
  local sc = scaler(cfg.standardise, Dtr)
  st.scaler = sc
  local Ztr = scale(sc, Dtr)
  local out = { observables = {}, method = cfg.estimator.method, ntrain = #desc.train, ntest = #desc.test }
  for _, name in ipairs(desc.observable_names) do
    local info = ens.observables[name]
    local Ytr = stack(ens, desc.train, nil, name)
    local model, basis
    if info.kind == "vector" and info.d > cfg.estimator.basis then
      basis = stats.pca(Ytr, { n = cfg.estimator.basis })
      model = fit_linear(cfg.estimator.method, Ztr, basis:transform(Ytr))
    else
      model = fit_linear(cfg.estimator.method, Ztr, Ytr)
    end
    local function predict(D)
      local P = model:predict(scale(sc, D))
      return basis and basis:inverse(P) or P
    end
    local r = { name = name, info = info, model = model, basis = basis, predict = predict, per_trajectory = {} }
    local Ys, Ps = {}, {}
    for i, t in ipairs(desc.test) do
      local rec = ens.trajectories[t]
      local Y = rec.obs[name]
      local P = predict(rec.D)
      Ys[i], Ps[i] = Y, P
      local s = metrics.scores(Y, P)
      s.id = rec.id
      r.per_trajectory[i] = s
    end
    r.Ytest, r.Ptest = la.vcat(Ys), la.vcat(Ps)
    r.test = metrics.scores(r.Ytest, r.Ptest)
    r.train = metrics.scores(Ytr, predict(stack(ens, desc.train, "D")))
    out.observables[#out.observables + 1] = r
  end
  st.results.estimators = out
  return out
end
core.setdoc(M.estimators, "analysis_steps.estimators(st) -> linear estimators Ô = Θ·D̄ + Θ⁰ (eq. 2) per observable, scored on held-out trajectories (pooled and per trajectory).")

--- Common forecast grid: first index (time ≥ t0), stride, number of coarse steps to Tmin.
local function grid(st)
  local ens, v = st.ens, st.cfg.var
  local times = ens.trajectories[1].times
  local t0 = v.t0 or times[1]
  local first
  for k = 1, ens.Tmin do
    if times[k] >= t0 - 1e-9 * math.abs(ens.dt) then first = k break end
  end
  if not first then schema.fail(ens.file, "analysis.var.t0", ("t0 = %g lies after the last common snapshot (%g)"):format(t0, times[ens.Tmin])) end
  local stride = v.stride
  local steps = (ens.Tmin - first) // stride + 1
  if steps < 6 then schema.fail(ens.file, "analysis.var.stride", ("only %d coarse steps from t0 with stride %d: lower the stride or t0"):format(steps, stride)) end
  local coarse = {}
  for k = 1, steps do coarse[k] = times[first + (k - 1) * stride] end
  local train = v.train
  if not train then
    local span = coarse[steps] - coarse[1]
    train = { span / 8, span / 4, 3 * span / 8 }
  end
  return { first = first, stride = stride, steps = steps, times = coarse, dtau = ens.dt * stride, train = train }
end
M.grid = core.setdoc(grid, "analysis_steps.grid(st) -> forecast grid {first, stride, steps, times, dtau, train} from analysis.var.")

--- The state's forecast grid, computed once and kept in st.grid.
local function state_grid(st)
  st.grid = st.grid or grid(st)
  return st.grid
end

--- Coarse rows of one trajectory's matrix X on the forecast grid.
local function coarse_rows(g, X)
  local idx = {}
  for k = 1, g.steps do idx[k] = g.first + (k - 1) * g.stride end
  return X:rows(idx)
end
M.coarse_rows = core.setdoc(coarse_rows, "analysis_steps.coarse_rows(grid, X) -> the rows of one trajectory's matrix X on the forecast grid (from grid.first, every grid.stride).")

--- The latent space of a training window: standardisation and PCA fitted on the window's D̄ of all
-- trajectories; returns transform(D) -> latent and the window's trajectories.
local function latent_space(st, g, ntr)
  local ens, v = st.ens, st.cfg.var
  local wins = {}
  for i, rec in ipairs(ens.trajectories) do wins[i] = coarse_rows(g, rec.D):rows(1, ntr) end
  local W = la.vcat(wins)
  local sw = scaler(st.cfg.standardise, W)
  local pca = stats.pca(scale(sw, W), { n = math.min(v.latent, ens.K, W:nrows() - 1) })
  local function transform(D) return pca:transform(scale(sw, D)) end
  return transform, sw, pca
end

--- The observable forecast: name of the scalar observable (analysis.var.observable or the first).
local function forecast_observable(st)
  local name = st.cfg.var.observable
  if name then return name end
  for _, n in ipairs(st.ens.desc.observable_names) do
    if st.ens.observables[n].kind == "scalar" then return n end
  end
  return nil
end

--- Fits the bagged VAR(order) on the first tau_tr of the grid and forecasts the whole ensemble
-- from t0; returns the forecast record (bands, M(t), M_σ, M_0, τ_pred, metrics).
function M.forecast_window(st, g, tau_tr, order)
  local ens, v, seed = st.ens, st.cfg.var, st.cfg.seed
  local ntr = math.floor(tau_tr / g.dtau + 0.5)
  if ntr < order + 2 or ntr >= g.steps then
    schema.fail(ens.file, "analysis.var.train", ("training window τ_tr = %g has %d coarse steps of δτ = %g (need %d..%d)"):format(tau_tr, ntr, g.dtau, order + 2, g.steps - 1))
  end
  local transform, sw, pca = latent_space(st, g, ntr)
  local traj, train, hist = {}, {}, {}
  for i, rec in ipairs(ens.trajectories) do
    traj[i] = transform(coarse_rows(g, rec.D))
    train[i] = traj[i]:rows(1, ntr)
    hist[i] = traj[i]:rows(1, order)
  end
  local bag = var.fit(train, { order = order, bags = v.bags, coverage = v.coverage, seed = seed })
  local nsteps = g.steps - order
  local fc = bag:forecast(hist, { steps = nsteps, samples = v.samples, epistemic = v.epistemic, seed = seed })
  local fc0 = bag:forecast(hist, { steps = nsteps, samples = v.samples, epistemic = false, seed = seed })
  local rec = { tau_tr = tau_tr, ntr = ntr, order = order, bag = bag, scaler = sw, pca = pca, traj = traj,
    hist = hist, rho = bag:mean():spectral_radius(), nsteps = nsteps, unstable = 0 }
  for i = 1, bag:size() do
    if bag:member(i):spectral_radius() >= 1 then rec.unstable = rec.unstable + 1 end
  end
  local oname = forecast_observable(st)
  if oname then
    local Ytr, Str = {}, {}
    for i, t in ipairs(ens.desc.train) do
      Ytr[i] = ens.trajectories[t].obs[oname]
      Str[i] = transform(ens.trajectories[t].D)
    end
    local est = fit_linear(st.cfg.estimator.method, la.vcat(Str), la.vcat(Ytr))
    rec.estimator = est
    local function band(list)
      local cols = {}
      for i, tr in ipairs(list) do cols[i] = est:predict(la.vcat(hist[(i - 1) // v.samples + 1], tr)) end
      local S = la.hcat(cols)
      return S:mean(2), S:std(2)
    end
    rec.fmean, rec.fstd = band(fc)
    rec.fmean0 = band(fc0)
    local md = {}
    for i, r in ipairs(ens.trajectories) do md[i] = coarse_rows(g, r.obs[oname]) end
    rec.md = la.hcat(md)
    rec.metrics = metrics.forecast(rec.md, rec.fmean, rec.fstd, ntr + 1)
    rec.observable = oname
  end
  -- eq. 4: Mahalanobis distance to the training states (OAS shrinkage); eq. 5: M(t)
  local maha = stats.mahalanobis(la.vcat(train), "oas")
  rec.md_M = var.mean_mahalanobis(traj, maha)
  local fct = {}
  for i, tr in ipairs(fc) do fct[i] = la.vcat(hist[(i - 1) // v.samples + 1], tr) end
  local fcM = var.mean_mahalanobis(fct, maha)
  local since = {}
  for k = 1, g.steps do since[k] = g.times[k] - g.times[1] end
  rec.fcM = fcM
  rec.M0 = var.m0(since, ens.M, tau_tr)
  local stable = bag:size() - rec.unstable
  if stable < 2 then
    -- σ_M² is a variance over the stable members' stationary means (an explosive member has
    -- none): with fewer than two it is undefined, and so are M_σ, M(t), τ_pred and η
    rec.s2_reason = ("%d of %d bagging subsets are stable (spectral radius < 1); σ_M² needs at least 2"):format(stable, bag:size())
    return rec
  end
  rec.s2 = var.sigma_m2(bag, maha)
  rec.Mt = var.uncertainty(fcM, since, rec.s2, g.dtau)
  rec.Ms = var.m_sigma(since, rec.s2, g.dtau)
  rec.tau_pred = var.horizon(since, rec.Mt, v.threshold)
  rec.eta = var.efficiency(rec.tau_pred or since[#since], ens.M, tau_tr)
  return rec
end
core.setdoc(M.forecast_window, "analysis_steps.forecast_window(st, grid, tau_tr, P) -> bagged VAR(P) forecast from t0 with bands, ⟨M⟩ of the forecasts (fcM), M(t), M_σ, M_0, τ_pred, η (eqs. 3–5) and metrics; with fewer than two stable bagging subsets σ_M², M(t), M_σ, τ_pred and η are nil and s2_reason says why.")

--- Step "order": AIC/BIC of VAR(P), P = 1..max_order, and the one-step residual for each P of
-- analysis.var.orders, in the latent space of the middle training window.
function M.order(st)
  local g = state_grid(st)
  local v = st.cfg.var
  local mid = g.train[(#g.train + 1) // 2]
  local ntr = math.floor(mid / g.dtau + 0.5)
  if ntr < v.max_order + 3 or ntr >= g.steps then
    schema.fail(st.ens.file, "analysis.var.max_order", ("the middle training window τ_tr = %g has %d coarse steps, too few for max_order = %d"):format(mid, ntr, v.max_order))
  end
  local transform, sw, pca = latent_space(st, g, ntr)
  local lat, train = {}, {}
  for i, rec in ipairs(st.ens.trajectories) do
    lat[i] = transform(coarse_rows(g, rec.D))
    train[i] = lat[i]:rows(1, ntr)
  end
  local ic, best_aic, best_bic = var.select_order(train, v.max_order)
  local conv = var.order_convergence(train, v.orders)
  local chosen = v.order
  if chosen == "aic" then chosen = best_aic elseif chosen == "bic" then chosen = best_bic end
  st.order = chosen
  local out = { tau_tr = mid, ntr = ntr, ic = ic, best_aic = best_aic, best_bic = best_bic, convergence = conv, chosen = chosen }
  -- the least-squares VAR(P) of this window and its noise-free forecast from t0 (deterministic:
  -- the reference the bagged forecasts are compared with, and what an independent numpy
  -- computation reproduces exactly)
  local ols = var.fit(train, chosen)
  out.ols = { model = ols, scaler = sw, pca = pca, tau_tr = mid, order = chosen }
  local oname = forecast_observable(st)
  if oname then
    local Ytr, Str = {}, {}
    for i, t in ipairs(st.ens.desc.train) do
      Ytr[i] = st.ens.trajectories[t].obs[oname]
      Str[i] = transform(st.ens.trajectories[t].D)
    end
    local est = fit_linear(st.cfg.estimator.method, la.vcat(Str), la.vcat(Ytr))
    local hist = {}
    for i, l in ipairs(lat) do hist[i] = l:rows(1, chosen) end
    local sims = ols:simulate(hist, g.steps - chosen, { noise = false })
    local cols = {}
    for i, sim in ipairs(sims) do cols[i] = est:predict(la.vcat(hist[i], sim)) end
    out.ols.estimator = est
    out.ols.observable = oname
    out.ols.fmean = la.hcat(cols):mean(2)
    local md = {}
    for i, r in ipairs(st.ens.trajectories) do md[i] = coarse_rows(g, r.obs[oname]) end
    out.ols.metrics = metrics.forecast(la.hcat(md), out.ols.fmean, out.ols.fmean * 0, ntr + 1)
  end
  st.results.order = out
  return out
end
core.setdoc(M.order, "analysis_steps.order(st) -> VAR order selection (AIC/BIC) and convergence in P on the middle training window.")

--- Step "forecast": bagged VAR forecasts for every training window, and convergence in P on the
-- middle window.
function M.forecast(st)
  local g = state_grid(st)
  local v = st.cfg.var
  local order = st.order or (math.type(v.order) == "integer" and v.order) or M.order(st).chosen
  local out = { grid = g, order = order, windows = {}, orders = {} }
  for i, tau in ipairs(g.train) do out.windows[i] = M.forecast_window(st, g, tau, order) end
  local mid = (#g.train + 1) // 2
  for _, P in ipairs(v.orders) do
    local f = P == order and out.windows[mid] or M.forecast_window(st, g, g.train[mid], P)
    out.orders[#out.orders + 1] = f
  end
  out.mid = mid
  st.results.forecast = out
  return out
end
core.setdoc(M.forecast, "analysis_steps.forecast(st) -> forecasts for every training window and for every order in analysis.var.orders.")

--- Step "resampling": factor × M initial conditions from N(μ0, Σ0) fitted to the MD states at
-- t0, run with the bagged VAR of the middle window (parameters drawn per trajectory).
function M.resampling(st)
  local fcst = st.results.forecast or M.forecast(st)
  local g = fcst.grid
  local f = fcst.windows[fcst.mid]
  local P = f.order
  local n = st.cfg.resampling.factor * st.ens.M
  local windows0 = var.windows(f.traj, P, P)
  local ics = var.resample(windows0, P, n, { seed = st.cfg.seed })
  local sims = f.bag:simulate(ics, g.steps - P, { draw = true, seed = st.cfg.seed })
  local out = { n = n, tau_tr = f.tau_tr, at = {} }
  if f.estimator then
    local ks = { P + 1, math.max(P + 1, math.min(g.steps, g.steps // 3)), g.steps }
    for _, k in ipairs(ks) do
      local rows = {}
      for i, tr in ipairs(sims) do rows[i] = tr:rows(k - P, k - P) end
      local vals = f.estimator:predict(la.vcat(rows))
      out.at[#out.at + 1] = { k = k, time = g.times[k], values = vals, mean = vals:mean(), sd = vals:std(),
        md = f.md:rows(k, k):t(), md_mean = f.md:rows(k, k):mean(), md_sd = f.md:rows(k, k):std() }
    end
  end
  st.results.resampling = out
  return out
end
core.setdoc(M.resampling, "analysis_steps.resampling(st) -> factor·M trajectories from N(μ0, Σ0) run with the bagged VAR; observable distributions.")

--- Standardised D̄ trajectories on the full grid (stride, common length), for the manifold steps.
local function full_trajectories(st)
  local ens, v = st.ens, st.cfg.var
  local all = {}
  for i, rec in ipairs(ens.trajectories) do all[i] = rec.D:rows(1, ens.Tmin) end
  local sc = st.scaler or scaler(st.cfg.standardise, stack(ens, ens.desc.train, "D"))
  st.scaler = sc
  local out = {}
  for i, D in ipairs(all) do
    local idx = {}
    for k = 1, ens.Tmin, v.stride do idx[#idx + 1] = k end
    out[i] = scale(sc, D:rows(idx))
  end
  return out
end

--- Step "pca": principal components of the ensemble mean ⟨D̄⟩(t) (standardised D̄).
function M.pca(st)
  local full = full_trajectories(st)
  local mean = var.moments(full)
  local p = stats.pca(mean, { n = math.min(3, mean:ncols(), mean:nrows() - 1) })
  local times = {}
  local t = st.ens.trajectories[1].times
  for k = 1, mean:nrows() do times[k] = t[1 + (k - 1) * st.cfg.var.stride] end
  local out = { scores = p:transform(mean), ratio = p:explained_variance_ratio(), times = times, steps = mean:nrows() }
  st.results.pca = out
  return out
end
core.setdoc(M.pca, "analysis_steps.pca(st) -> PCA of the ensemble mean of standardised D̄ (scores, explained variance ratio).")

--- Step "idim": intrinsic dimension of all standardised states and over sliding windows.
function M.idim(st)
  local full = full_trajectories(st)
  local d = st.cfg.idim
  local X = la.vcat(full)
  local out = { n = X:nrows(), global = {}, methods = d.methods }
  local function estimate(method, Y)
    if method == "twonn" then return idim.twonn(Y, { discard = d.discard }) end
    if method == "danco" then return idim.danco(Y, { k = d.danco_k, seed = st.cfg.seed }) end
    return idim.mle(Y, { k = d.mle_k })
  end
  for _, m in ipairs(d.methods) do out.global[m] = estimate(m, X) end
  local steps = full[1]:nrows()
  local width = d.window or math.max(10, steps // 6)
  local step = d.step or math.max(1, width // 2)
  if width > steps then schema.fail(st.ens.file, "analysis.idim.window", ("%d steps exceed the %d coarse steps"):format(width, steps)) end
  out.width, out.step = width, step
  out.windows = {}
  for _, m in ipairs(d.methods) do
    if m ~= "mle" then
      local starts, ids = idim.sliding(full, width, { step = step, method = m, seed = st.cfg.seed })
      out.windows[m] = ids
      out.starts = starts
    end
  end
  local t = st.ens.trajectories[1].times
  out.centres = {}
  for i, s in ipairs(out.starts or {}) do
    local a = 1 + (s - 1) * st.cfg.var.stride
    local b = 1 + (s + width - 2) * st.cfg.var.stride
    out.centres[i] = (t[a] + t[math.min(b, #t)]) / 2
  end
  st.results.idim = out
  return out
end
core.setdoc(M.idim, "analysis_steps.idim(st) -> intrinsic dimension (TwoNN, DANCo, MLE) of all states and over sliding windows.")

--- Step "coverage": held-out coverage of estimator and forecast bands (descry.analysis_coverage).
M.coverage = require("descry.analysis_coverage").step

return M

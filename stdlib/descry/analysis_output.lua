--- descry.analysis_output: what `descry analyse` writes besides the report — figures
-- (descry.plot), fitted models as versioned JSON that load back (a saved VAR forecasts from a new
-- state without refitting), and manifest.json with provenance (inputs with sizes and SHA-256,
-- every parameter, descry version, threads, seeds, runtime per stage).
local la, json, fs, var = require "descry.la", require "descry.json", require "descry.fs", require "descry.var"
local regress, core = require "descry.regress", require "descry.core"

local M = {}
core.setdoc(M, "descry.analysis_output: figures, versioned model JSON (load_model) and manifest.json of descry analyse.")

M.model_version = 1

--- Replaces non-finite numbers by json.null and la matrices by {rows, cols, data} tables, so that
-- any result can be written as JSON.
local function clean(v, depth)
  depth = depth or 0
  if depth > 20 then return json.null end
  if type(v) == "number" then
    if v ~= v or v == math.huge or v == -math.huge then return json.null end
    return v
  end
  if la.ismatrix(v) then
    local t = v:totable()
    local data = {}
    local r, c = v:shape()
    for i = 1, r do
      local row = c == 1 and r > 0 and type(t[i]) == "number" and { t[i] } or t[i]
      for j = 1, c do data[#data + 1] = clean(type(row) == "table" and row[j] or row, depth + 1) end
    end
    return { rows = r, cols = c, data = json.array(data) }
  end
  if type(v) == "table" then
    local out = {}
    for k, x in pairs(v) do out[k] = clean(x, depth + 1) end
    return out
  end
  return v
end
M.clean = core.setdoc(clean, "analysis_output.clean(v) -> v with NaN/Inf as json.null and matrices as {rows, cols, data}.")

--- A matrix from a {rows, cols, data} table (json.load of a saved matrix).
local function matrix(t)
  if la.ismatrix(t) then return t end
  local rows = {}
  for i = 1, t.rows do
    local row = {}
    for j = 1, t.cols do row[j] = t.data[(i - 1) * t.cols + j] end
    rows[i] = row
  end
  return la.matrix(rows)
end
M.matrix = core.setdoc(matrix, "analysis_output.matrix(t) -> la.matrix from a {rows, cols, data} table.")

--- Table form of a standardisation and a PCA (the latent map D̄ → latent).
local function latent_table(sc, pca)
  return { scaler = sc and { mean = sc:mean(), scale = sc:scale() } or json.null,
    pca = { mean = pca:mean(), components = pca:components() } }
end

--- Writes the fitted models of the results into dir; returns the file names.
function M.save_models(dir, st)
  local files = {}
  local E = st.results.estimators
  if E then
    local est = { format = "descry.analysis.estimators", version = M.model_version, method = E.method, observables = {} }
    for _, r in ipairs(E.observables) do
      est.observables[r.name] = { label = r.info.label, unit = r.info.unit, model = r.model:totable(),
        scores = { test = r.test, train = r.train, per_trajectory = r.per_trajectory },
        basis = r.basis and { mean = r.basis:mean(), components = r.basis:components() } or json.null }
    end
    est.scaler = st.scaler and { mean = st.scaler:mean(), scale = st.scaler:scale() } or json.null
    json.save(dir .. "/estimators.json", clean(est))
    files[#files + 1] = "estimators.json"
  end
  local O = st.results.order
  if O and O.ols then
    local o = O.ols
    local name = ("var-ols-P%d-tau%g.json"):format(o.order, o.tau_tr)
    local t = { format = "descry.analysis.var", version = M.model_version, fit = "least squares", order = o.order,
      tau_tr = o.tau_tr, dtau = st.grid.dtau, time_unit = st.ens.desc.time_unit,
      latent = latent_table(o.scaler, o.pca), model = o.model:totable(),
      observable = o.estimator and { name = o.observable, model = o.estimator:totable() } or json.null }
    json.save(dir .. "/" .. name, clean(t))
    files[#files + 1] = name
  end
  local F = st.results.forecast
  if F or (O and O.ols and O.ols.fmean) then
    local g = st.grid
    local fc = { format = "descry.analysis.forecasts", version = M.model_version, time_unit = st.ens.desc.time_unit,
      times = g.times, dtau = g.dtau, windows = {} }
    if O and O.ols and O.ols.fmean then
      fc.least_squares = { order = O.ols.order, tau_tr = O.ols.tau_tr, observable = O.ols.observable, mean = O.ols.fmean }
    end
    for i, f in ipairs(F and F.windows or {}) do
      fc.observable = f.observable or json.null
      if f.metrics then
        fc.md_mean = f.metrics.mdmean
        fc.md_se = f.metrics.se
      end
      fc.windows[i] = { tau_tr = f.tau_tr, order = f.order, ntr = f.ntr, mean = f.fmean or json.null, std = f.fstd or json.null,
        mean_Tbar = f.fmean0 or json.null, md_M = f.md_M, M = f.Mt or json.null, M0 = f.M0, M_sigma = f.Ms or json.null, sigma_m2 = f.s2 or json.null,
        sigma_m2_undefined = f.s2_reason or json.null, forecast_M = f.fcM,
        tau_pred = f.tau_pred or json.null, eta = f.eta or json.null, metrics = f.metrics and { mean_abs_err = f.metrics.mean_abs_err,
          mean_err_se = f.metrics.mean_err_se, max_err_se = f.metrics.max_err_se, within_2se = f.metrics.within_2se,
          coverage1 = f.metrics.coverage1, coverage2 = f.metrics.coverage2 } or json.null }
    end
    json.save(dir .. "/forecasts.json", clean(fc))
    files[#files + 1] = "forecasts.json"
  end
  if st.results.coverage then
    json.save(dir .. "/coverage.json", clean({ format = "descry.analysis.coverage", version = M.model_version,
      coverage = require("descry.analysis_coverage").totable(st.results.coverage) }))
    files[#files + 1] = "coverage.json"
  end
  if F then
    for _, f in ipairs(F.windows) do
      local name = ("var-P%d-tau%g.json"):format(f.order, f.tau_tr)
      local t = { format = "descry.analysis.var", version = M.model_version, order = f.order, tau_tr = f.tau_tr,
        dtau = F.grid.dtau, time_unit = st.ens.desc.time_unit, samples = st.cfg.var.samples,
        latent = latent_table(f.scaler, f.pca), model = f.bag:totable(),
        observable = f.estimator and { name = f.observable, model = f.estimator:totable() } or json.null }
      json.save(dir .. "/" .. name, clean(t))
      files[#files + 1] = name
    end
  end
  return files
end
core.setdoc(M.save_models, "analysis_output.save_models(dir, state) -> file names: estimators.json, var-ols-P<P>-tau<τ>.json, forecasts.json and var-P<P>-tau<τ>.json (format version 1).")

-- A saved VAR loaded back.
local Saved = {}
Saved.__index = Saved

--- model:latent(D) -> latent states of D̄ rows (standardise, project on the saved PCA).
function Saved:latent(D)
  local Z = D
  if self.scale then Z = (D - self.scale_mean) / self.scale end
  return (Z - self.pca_mean) * self.components:t()
end
core.setdoc(Saved.latent, "model:latent(D) -> latent states of D̄ rows (saved standardisation and PCA).")

--- model:forecast(D_history, {steps, samples=1, epistemic=true, noise=true, seed}) -> list of latent
-- trajectories continuing the last P rows of the D̄ history (rows in the original D̄ units).
function Saved:forecast(history, opts)
  opts = opts or {}
  local h = self:latent(history)
  if h:nrows() < self.order then error(("model:forecast: the history needs at least P = %d rows, got %d"):format(self.order, h:nrows()), 2) end
  h = h:rows(h:nrows() - self.order + 1, h:nrows())
  local epistemic = opts.epistemic
  if epistemic == nil then epistemic = true end
  return self.bag:forecast({ h }, { steps = opts.steps or error("model:forecast: option 'steps' is required", 2),
    samples = opts.samples or 1, epistemic = epistemic, noise = opts.noise ~= false, seed = opts.seed or 0 })
end
core.setdoc(Saved.forecast, "model:forecast(D_history, {steps, samples=1, epistemic=true, noise=true, seed=0}) -> list of latent trajectories from the last P rows; epistemic: true/\"member\", false/\"mean\", \"diagonal\" or \"full\" (Gaussian draws of T, see bag:sample_params; a least-squares model ignores epistemic).")

--- model:predict(latent) -> the forecast observable of latent rows (nil without one).
function Saved:predict(S)
  return self.observable and self.observable:predict(S) or nil
end
core.setdoc(Saved.predict, "model:predict(latent) -> the forecast observable (nil if none was saved).")

--- Loads a model written by descry analyse (var-*.json): returns an object with :latent(D),
-- :forecast(history, opts), :predict(latent), and fields order, dtau, bag.
function M.load_model(path)
  local t = json.load(path)
  if type(t) ~= "table" or t.format ~= "descry.analysis.var" then
    error(("analysis.load_model: %s is not a saved descry analysis VAR (format %s)"):format(path, tostring(type(t) == "table" and t.format)), 2)
  end
  if t.version ~= M.model_version then
    error(("analysis.load_model: %s has format version %s, this descry reads version %d"):format(path, tostring(t.version), M.model_version), 2)
  end
  local self = setmetatable({ order = t.order, dtau = t.dtau, tau_tr = t.tau_tr }, Saved)
  self.bag = var.from_table(t.model)
  if t.latent.scaler ~= json.null and type(t.latent.scaler) == "table" then
    self.scale_mean = matrix(t.latent.scaler.mean):t()
    self.scale = matrix(t.latent.scaler.scale):t()
  end
  self.pca_mean = matrix(t.latent.pca.mean):t()
  self.components = matrix(t.latent.pca.components)
  if type(t.observable) == "table" then self.observable = regress.from_table(t.observable.model) end
  return self
end
core.setdoc(M.load_model, "analysis_output.load_model(path) -> saved VAR with :latent(D), :forecast(history, {steps, samples, epistemic, seed}), :predict(latent).")

--- What the analysis read, for the manifest: units, the sum/mean convention of D̄ as given and
-- as used (with the atom counts), trajectories with their lengths, observables.
function M.data_summary(ens)
  local desc = ens.desc
  local trajs, obs = {}, {}
  for i, rec in ipairs(ens.trajectories) do
    trajs[i] = { id = rec.id, snapshots = rec.D:nrows(), t_first = rec.times[1], t_last = rec.times[#rec.times] }
  end
  for name, o in pairs(ens.observables) do
    obs[name] = { kind = o.kind, columns = o.d, label = o.label, unit = o.unit }
  end
  return { units = desc.units, time_unit = desc.time_unit, dt = ens.dt, trajectories = trajs,
    descriptors = { source = desc.descriptors_kind, K = ens.K, convention_given = desc.descriptors.convention,
      convention_used = ens.convention, natoms = desc.natoms or json.null,
      note = "sum = LAMMPS compute reduce sum (the paper's eq. 1); mean = reduce ave = sum / natoms" },
    virials = desc.virials and { source = desc.virials_kind, columns = 6 * ens.K } or json.null,
    observables = obs }
end
core.setdoc(M.data_summary, "analysis_output.data_summary(ens) -> table: units, D̄ convention given/used with natoms, trajectories (id, snapshots, first/last time), observables — for the manifest.")

--- Writes manifest.json: provenance of the run.
function M.write_manifest(dir, st, outputs)
  local files = {}
  for _, name in ipairs(outputs) do
    local hex, size = fs.sha256(dir .. "/" .. name)
    files[#files + 1] = { path = name, size = size, sha256 = hex }
  end
  local cfg = {}
  for k, v in pairs(st.cfg) do cfg[k] = v end
  local m = {
    format = "descry.analysis.manifest", version = M.model_version,
    descry = core.version, command = st.command or json.null, description = st.ens.file,
    name = st.ens.desc.name, started_utc = st.started_utc,
    inputs = st.ens.inputs, outputs = files,
    data = M.data_summary(st.ens),
    parameters = cfg,
    split = { train = st.ids_train, test = st.ids_test },
    grid = st.grid and { first_snapshot = st.grid.first, stride = st.grid.stride, steps = st.grid.steps,
      dtau = st.grid.dtau, t0 = st.grid.times[1], train = st.grid.train } or json.null,
    seeds = { all = st.cfg.seed },
    threads = { OPENBLAS_NUM_THREADS = os.getenv("OPENBLAS_NUM_THREADS") or json.null,
      OMP_NUM_THREADS = os.getenv("OMP_NUM_THREADS") or json.null,
      note = "BLAS threads as configured by the environment; descriptor computation from dumps uses desc.bispectrum's threads" },
    runtime_s = st.timings, steps_run = st.steps_run,
  }
  json.save(dir .. "/manifest.json", clean(m))
end
core.setdoc(M.write_manifest, "analysis_output.write_manifest(dir, state, outputs): manifest.json with inputs (size, SHA-256), outputs, parameters, version, threads, seeds, runtime per stage.")

return M

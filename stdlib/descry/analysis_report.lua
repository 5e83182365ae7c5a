--- descry.analysis_report: the Markdown report of `descry analyse` — data and method choices
-- stated from the ensemble description (never a hard-coded system), the metrics defined where
-- they are used, one section per step that ran.
local core = require "descry.core"
local metrics = require "descry.analysis_metrics"

local M = {}
core.setdoc(M, "descry.analysis_report: the Markdown report of descry analyse (data, method choices, metrics, one section per step).")

local function fmt(x, f)
  if x == nil then return "–" end
  if x ~= x then return "NaN" end
  return (f or "%.4g"):format(x)
end

local function pct(x) return x and ("%.0f %%"):format(100 * x) or "–" end

local function ids_of(ens, list)
  local out = {}
  for i, t in ipairs(list) do out[i] = ens.trajectories[t].id end
  return table.concat(out, ", ")
end

local function unit_suffix(info) return (info.unit and info.unit ~= "") and (" (" .. info.unit .. ")") or "" end

--- One line per tensor observable: the held-out R² of each component about its own mean, so a
-- component the invariant D̄ cannot follow (a shear stress) is not hidden in the weighted figure.
function M.tensor_components(E)
  local out = {}
  for _, r in ipairs(E.observables) do
    if r.info.kind == "tensor" then
      local r2 = metrics.r2_outputs(r.Ytest, r.Ptest)
      local parts = {}
      for j, v in ipairs(r2) do
        local name = r.info.columns and r.info.columns[j] or ("component " .. j)
        parts[j] = ("%s %s"):format(name, v ~= v and "constant" or ("%.3f"):format(v))
      end
      out[#out + 1] = ("Held-out R² of each component of %s, pooled over the held-out trajectories: %s."):format(r.info.label, table.concat(parts, ", "))
    end
  end
  return out
end
core.setdoc(M.tensor_components, "analysis_report.tensor_components(estimators) -> lines giving the held-out R² of each component of every tensor observable (analysis_metrics.r2_outputs).")

--- Lines of the report for state st (ens, cfg, results, timings).
function M.lines(st)
  local ens, cfg, R = st.ens, st.cfg, st.results
  local desc = ens.desc
  local tu = desc.time_unit
  local L = {}
  local function add(s, ...) L[#L + 1] = select("#", ...) > 0 and s:format(...) or s end
  add("# %s", desc.name)
  add("")
  if desc.description then add("%s", desc.description) add("") end
  add("Analysis by `descry analyse %s` (descry %s) following Swinburne, *Phys. Rev. Lett.* 131, 236101 (2023).", ens.file, core.version)
  add("")
  add("## Data")
  add("")
  add("- %d trajectories (%s), %s snapshots each, every %g %s from %g %s (LAMMPS units %s).",
    ens.M, ids_of(ens, (function() local t = {} for i = 1, ens.M do t[i] = i end return t end)()),
    ens.Tmin == ens.Tmax and tostring(ens.Tmin) or (ens.Tmin .. "–" .. ens.Tmax), ens.dt, tu,
    ens.trajectories[1].times[1], tu, desc.units)
  add("- D̄: %d components from %s, given as the %s over atoms%s; analysed as the %s.", ens.K, desc.descriptors_kind,
    desc.descriptors.convention, desc.natoms and (" (N = " .. desc.natoms[1] .. (ens.M > 1 and desc.natoms[ens.M] ~= desc.natoms[1] and " …" or "") .. ")") or "",
    ens.convention)
  if desc.virials then add("- V̄: %d columns (6 Voigt components × K).", 6 * ens.K) end
  for _, name in ipairs(desc.observable_names) do
    local o = ens.observables[name]
    add("- observable `%s`: %s%s, %s, %d column%s.", name, o.label, unit_suffix(o), o.kind, o.d, o.d == 1 and "" or "s")
  end
  add("- Held out (whole trajectories, never seen by the estimators): %s. Training: %s.", ids_of(ens, desc.test), ids_of(ens, desc.train))
  add("")
  add("## Method choices")
  add("")
  add("- D̄ %s.", cfg.standardise and "standardised column by column with the mean and standard deviation (divisor n, as scikit-learn's StandardScaler) of the training rows" or "used as given (analysis.standardise = false)")
  add("- Estimators Ô = Θ·D̄ + Θ⁰ (eq. 2) by %s; a vector observable with more than %d columns is regressed through its first %d principal components (fitted on the training trajectories) and mapped back.",
    cfg.estimator.method == "bayes_ridge" and "Bayesian ridge (evidence maximisation, scikit-learn BayesianRidge)" or cfg.estimator.method, cfg.estimator.basis, cfg.estimator.basis)
  add("- R² of a vector observable is computed bin by bin and variance-weighted (1 − Σ_j SS_res,j / Σ_j SS_tot,j, each bin about its own mean; scikit-learn `variance_weighted`). The pooled R² over all bins against one grand mean is shown beside it only, labelled: the fixed shape of e.g. g(r) inflates it.")
  if R.forecast or R.order then
    local g = st.grid
    add("- VAR(P) (eq. 3) of D̄ every δτ = %g %s (stride %d) from t0 = %g %s, in a latent space of the first %d principal components of standardised D̄, both fitted on the training window of all %d trajectories only; bagged Bayesian ridge on %d subsets of %.0f %% of the lag pairs (epistemic spread); %d noisy continuations per trajectory, each drawing its parameters from a random subset.",
      g.dtau, tu, g.stride, g.times[1], tu, cfg.var.latent, ens.M, cfg.var.bags, 100 * cfg.var.coverage, cfg.var.samples)
    add("- Forecast errors are compared with the standard error of the MD ensemble mean, SE = s/√M (s with divisor M − 1). Coverage is the fraction of MD trajectories inside the forecast mean ±1σ and ±2σ (σ: the spread of the forecast trajectories) at each time beyond the training window, averaged over those times, against the nominal 68.3 % and 95.4 %.")
    add("- Confidence (eqs. 4–5): M(D̄) = squared Mahalanobis distance to the training states (OAS shrinkage covariance) divided by the latent dimension; M(t) = ⟨M(D̄)⟩ + M_σ(t), M_σ = σ_M² t/δτ, lower bound M_0 = t/(M τ_tr); τ_pred is where M(t) first reaches %g; η = τ_pred/(M τ_tr).", cfg.var.threshold)
  end
  add("- Seed %d for every random draw.", cfg.seed)
  add("")
  local E = R.estimators
  if E then
    add("## 1. Linear estimators on held-out trajectories")
    add("")
    add("Trained on %d trajectories, tested on %d held-out trajectories (all their snapshots).", E.ntrain, E.ntest)
    add("")
    add("| observable | R² test | R² test, pooled over bins (inflated) | RMSE test | R² train | R² per held-out trajectory |")
    add("|---|---|---|---|---|---|")
    for _, r in ipairs(E.observables) do
      local per = {}
      for i, s in ipairs(r.per_trajectory) do per[i] = ("%s %s"):format(s.id, fmt(s.r2, "%.3f")) end
      local vector = r.info.d > 1
      add("| %s%s%s | %s | %s | %s | %s | %s |", r.info.label, unit_suffix(r.info),
        vector and (r.basis and (", %d-function basis"):format(r.basis:components():nrows()) or "") or "",
        fmt(r.test.r2, "%.4f"), vector and fmt(r.test.r2_pooled, "%.4f") or "(scalar)", fmt(r.test.rmse, "%.4g"),
        fmt(r.train.r2, "%.4f"), table.concat(per, "; "))
    end
    add("")
    add("R² of a vector observable: variance-weighted over bins; per held-out trajectory, R² is about that trajectory's own mean (it can be low when a trajectory varies little).")
    add("")
    for _, line in ipairs(M.tensor_components(E)) do
      add("%s", line)
      add("")
    end
  end
  local O = R.order
  if O then
    add("## 2. VAR order")
    add("")
    add("On the training window τ_tr = %g %s (%d steps) of the middle window, latent space as above.", O.tau_tr, tu, O.ntr)
    add("")
    add("| P | AIC | BIC |")
    add("|---|---|---|")
    for _, e in ipairs(O.ic) do add("| %d | %s | %s |", e.P, fmt(e.aic, "%.2f"), fmt(e.bic, "%.2f")) end
    add("")
    local conv = {}
    for _, c in ipairs(O.convergence) do conv[#conv + 1] = ("P = %d: %s"):format(c.P, fmt(c.rms, "%.4f")) end
    add("Best order: AIC %d, BIC %d; used P = %d. One-step RMS residual (latent units): %s.", O.best_aic, O.best_bic, O.chosen, table.concat(conv, ", "))
    add("")
    if O.ols and O.ols.metrics then
      local m = O.ols.metrics
      add("The least-squares VAR(%d) of this window, run without noise from t0 (deterministic; `forecasts.json`): mean abs err of the ensemble-mean %s beyond the window %s = %s SE of the MD mean (max %s SE).",
        O.chosen, O.ols.observable, fmt(m.mean_abs_err), fmt(m.mean_err_se, "%.2f"), fmt(m.max_err_se, "%.2f"))
      add("")
    end
  end
  local F = R.forecast
  if F then
    local g = F.grid
    add("## 3. VAR(%d) forecasts of the whole ensemble from t0", F.order)
    add("")
    local first = F.windows[1]
    if first.observable then
      local info = ens.observables[first.observable]
      add("Observable: %s%s, through an estimator in the latent space (trained on the training trajectories). Errors of the forecast ensemble mean against the MD ensemble mean.", info.label, unit_suffix(info))
      add("")
      add("| τ_tr (%s) | mean abs err | mean abs err / SE | max abs err / SE | times with abs err ≤ 2 SE | coverage ±1σ (nominal 68 %%) | coverage ±2σ (nominal 95 %%) | abs err ≤ own 1σ | ρ(T̄) | unstable subsets |", tu)
      add("|---|---|---|---|---|---|---|---|---|---|")
      local unstable = 0
      for _, f in ipairs(F.windows) do
        local m = f.metrics
        unstable = unstable + f.unstable
        add("| %g | %s | %s | %s | %s | %s | %s | %s | %s | %d of %d |", f.tau_tr, fmt(m.mean_abs_err), fmt(m.mean_err_se, "%.2f"), fmt(m.max_err_se, "%.2f"),
          pct(m.within_2se), pct(m.coverage1), pct(m.coverage2), pct(m.within_own_1sigma), fmt(f.rho, "%.3f"), f.unstable, f.bag:size())
      end
      add("")
      if unstable > 0 then
        add("Warning: some bagging subsets have a spectral radius ≥ 1 (explosive dynamics); forecasts that draw them diverge. Train on a longer window, more trajectories, or a smaller latent space.")
        add("")
      end
      add("\"abs err ≤ own 1σ\" compares the error of the ensemble *mean* with the spread of single forecast trajectories; it is lenient and shown only for comparison with earlier reports. Judge the forecast by the error in SE units and by the coverage.")
      add("")
      local hz = {}
      local span = g.times[g.steps] - g.times[1]
      for _, frac in ipairs({ 1 / 16, 1 / 8, 1 / 4, 1 / 2, 3 / 4, 1 }) do
        local k = math.floor(frac * span / g.dtau + 0.5) + 1
        if k <= g.steps and (hz[#hz] or 0) < k then hz[#hz + 1] = k end
      end
      local head = ("| t (%s) | MD mean ± SE |"):format(tu)
      local rule = "|---|---|"
      for _, f in ipairs(F.windows) do head = head .. (" τ_tr = %g: err (forecast σ) |"):format(f.tau_tr) rule = rule .. "---|" end
      add("%s", head)
      add("%s", rule)
      for _, k in ipairs(hz) do
        local m1 = first.metrics
        local row = ("| %g | %s ± %s |"):format(g.times[k], fmt(m1.mdmean:get(k, 1), "%.4g"), fmt(m1.se:get(k, 1), "%.2g"))
        for _, f in ipairs(F.windows) do
          row = row .. (" %+.3g (%.3g)%s |"):format(f.metrics.err:get(k, 1), f.fstd:get(k, 1), k <= f.ntr and " train" or "")
        end
        add("%s", row)
      end
      add("")
      local conv = {}
      for _, f in ipairs(F.orders) do
        conv[#conv + 1] = ("P = %d: mean abs err %s (%s SE), coverage ±1σ %s, ρ = %s"):format(f.order, fmt(f.metrics.mean_abs_err), fmt(f.metrics.mean_err_se, "%.2f"), pct(f.metrics.coverage1), fmt(f.rho, "%.3f"))
      end
      add("Convergence in the order P (τ_tr = %g %s): %s.", g.train[F.mid], tu, table.concat(conv, "; "))
      add("")
    end
    add("## 4. Forecast confidence (eqs. 4–5)")
    add("")
    add("| τ_tr (%s) | σ_M² | ⟨M⟩ MD at end | M(t) at end | M_0 at end | M_σ at end | τ_pred (%s) | η |", tu, tu)
    add("|---|---|---|---|---|---|---|---|")
    local undefined = {}
    for _, f in ipairs(F.windows) do
      if f.s2 then
        add("| %g | %s | %s | %s | %s | %s | %s | %s |", f.tau_tr, fmt(f.s2, "%.3g"), fmt(f.md_M[#f.md_M], "%.3f"), fmt(f.Mt[#f.Mt], "%.3f"),
          fmt(f.M0[#f.M0], "%.3f"), fmt(f.Ms[#f.Ms], "%.3f"), f.tau_pred and fmt(f.tau_pred, "%.0f") or "> window",
          (f.tau_pred and "" or "≥ ") .. fmt(f.eta, "%.3f"))
      else
        add("| %g | undefined | %s | – | %s | – | – | – |", f.tau_tr, fmt(f.md_M[#f.md_M], "%.3f"), fmt(f.M0[#f.M0], "%.3f"))
        undefined[#undefined + 1] = ("τ_tr = %g %s: %s"):format(f.tau_tr, tu, f.s2_reason)
      end
    end
    add("")
    if #undefined > 0 then
      add("σ_M² undefined (and with it M_σ, M(t), τ_pred and η) — %s.", table.concat(undefined, "; "))
      add("")
    end
  end
  local S = R.resampling
  if S and #S.at > 0 then
    add("## 5. Resampling")
    add("")
    add("%d initial conditions from N(μ0, Σ0) fitted to the %d MD states at t0, run with the bagged VAR (τ_tr = %g %s, parameters drawn per trajectory).", S.n, ens.M, S.tau_tr, tu)
    add("")
    add("| t (%s) | MD (%d) mean ± sd | resampled (%d) mean ± sd |", tu, ens.M, S.n)
    add("|---|---|---|")
    for _, a in ipairs(S.at) do add("| %g | %s ± %s | %s ± %s |", a.time, fmt(a.md_mean), fmt(a.md_sd, "%.3g"), fmt(a.mean), fmt(a.sd, "%.3g")) end
    add("")
  end
  local P = R.pca
  if P then
    add("## 6. PCA of the ensemble mean ⟨D̄⟩(t)")
    add("")
    local r = {}
    for i = 1, #P.ratio do r[i] = ("PC%d %.1f %%"):format(i, 100 * P.ratio[i]) end
    add("Explained variance: %s (%d steps, standardised D̄).", table.concat(r, ", "), P.steps)
    add("")
  end
  local I = R.idim
  if I then
    add("## 7. Intrinsic dimension")
    add("")
    local g = {}
    for _, m in ipairs(I.methods) do g[#g + 1] = ("%s %.2f"):format(m == "twonn" and "TwoNN" or m == "danco" and "DANCo" or "MLE", I.global[m]) end
    add("All %d standardised states: %s.", I.n, table.concat(g, ", "))
    local w = {}
    for _, m in ipairs(I.methods) do
      local ids = I.windows[m]
      if ids then w[#w + 1] = ("%s %.2f → %.2f (range %.2f–%.2f)"):format(m == "twonn" and "TwoNN" or "DANCo", ids[1], ids[#ids], math.min(table.unpack(ids)), math.max(table.unpack(ids))) end
    end
    if #w > 0 then add("Over %d windows of %d steps (moving by %d): %s, first → last window.", #(I.starts or {}), I.width, I.step, table.concat(w, "; ")) end
    add("")
  end
  if R.coverage then
    for _, line in ipairs(require("descry.analysis_coverage").report_lines(R.coverage, tu)) do add("%s", line) end
  end
  if st.models then
    add("## Files")
    add("")
    local models = {}
    local tables = {}
    for _, f in ipairs(st.models) do
      if f == "coverage.json" then tables[#tables + 1] = f else models[#models + 1] = f end
    end
    local held_out = #tables > 0 and (" Held-out coverage: %s."):format(table.concat(tables, ", ")) or ""
    add("Figures: %s. Fitted models: %s (load a VAR with `require(\"descry.analysis\").load_model(path)`).%s Provenance: manifest.json (inputs with SHA-256, parameters, runtime per stage).",
      (st.figures and #st.figures > 0) and table.concat(st.figures, ", ") or "none", table.concat(models, ", "), held_out)
    add("")
  end
  return L
end
core.setdoc(M.lines, "analysis_report.lines(state) -> array of Markdown lines for the results in state.")

return M

-- descry main job: the Pt-nanoparticle analysis of Swinburne, PRL 131, 236101 (2023), Fig. 2,
-- on the bundled real-MD ensemble data/pt-np-900K (scripts/make-dataset made it with LAMMPS).
--
--   descry scripts/main.lua [--data DIR] [--out DIR] [--stride N] [--latent K] [--order P]
--                           [--t0 PS] [--bags N] [--coverage F] [--seed S] [--no-plots]
--
-- Steps: (1) linear estimators Ô = Θ·D̄ + Θ⁰ (eq. 2) of energy, FCC fraction and g(r), tested on
-- held-out trajectories; (2) bagged VAR(P) forecasts (eq. 3) trained on three window lengths;
-- (3) their confidence M(t) from the Mahalanobis distance (eqs. 4–5); (4) resampling of a 100×
-- larger ensemble from N(μ0, Σ0); (5) PCA of the ensemble mean and the intrinsic dimension.
-- Prints a compact report and writes figures to the output folder.
local la = require "descry.la"
local stats = require "descry.stats"
local regress = require "descry.regress"
local var = require "descry.var"
local idim = require "descry.idim"
local plot = require "descry.plot"
local dataset = require "descry.dataset"
local core = require "descry.core"

local started = core.clock()
local script_dir = (arg and arg[0] or "scripts/main.lua"):match("^(.*)/[^/]*$") or "."

-- ------------------------------------------------------------------ options
local opts = {
  data = script_dir .. "/../data/pt-np-900K", out = "out/pt-np-900K", stride = 3, latent = 15,
  order = 1, t0 = 30, bags = 20, coverage = 0.3, seed = 1, plots = true,
}
local numeric = { stride = "integer", latent = "integer", order = "integer", t0 = "number",
  bags = "integer", coverage = "number", seed = "integer" }

local function usage_error(msg)
  io.stderr:write("descry main: " .. msg .. "\n" ..
    "usage: descry scripts/main.lua [--data DIR] [--out DIR] [--stride N] [--latent K] [--order P]\n" ..
    "                               [--t0 PS] [--bags N] [--coverage F] [--seed S] [--no-plots]\n")
  os.exit(2)
end

do
  local i = 1
  while arg and i <= #arg do
    local a = arg[i]
    local key = a:match("^%-%-([%w%-]+)$")
    if key == "no-plots" then
      opts.plots = false
    elseif key and opts[key] ~= nil then
      local v = arg[i + 1]
      if v == nil then usage_error("option --" .. key .. " needs a value") end
      if numeric[key] then
        local n = tonumber(v)
        if not n or (numeric[key] == "integer" and math.type(math.tointeger(n)) ~= "integer") then
          usage_error(("--%s expects %s, got '%s'"):format(key, numeric[key] == "integer" and "an integer" or "a number", v))
        end
        opts[key] = numeric[key] == "integer" and math.tointeger(n) or n
      else
        opts[key] = v
      end
      i = i + 1
    else
      usage_error("unknown argument '" .. a .. "'")
    end
    i = i + 1
  end
  if opts.stride < 1 then usage_error("--stride must be ≥ 1") end
  if opts.latent < 1 then usage_error("--latent must be ≥ 1") end
  if opts.order < 1 or opts.order > 5 then usage_error("--order must be in 1..5") end
  if not (opts.coverage > 0 and opts.coverage <= 1) then usage_error("--coverage must be in (0, 1]") end
  if opts.bags < 2 then usage_error("--bags must be ≥ 2") end
end

-- ------------------------------------------------------------------ helpers
local function printf(fmt, ...) io.write(fmt:format(...), "\n") end

--- R² over all entries of Y (observed) and P (predicted).
local function r2_all(Y, P)
  local resid = Y - P
  local centred = Y - Y:mean()
  return 1 - resid:mul(resid):sum() / centred:mul(centred):sum()
end

local function rmse_all(Y, P)
  local resid = Y - P
  return math.sqrt(resid:mul(resid):sum() / Y:size())
end

--- Per-step mean and std (as columns) over a list of steps × 1 series.
local function ensemble_band(series)
  local S = la.hcat(series)
  return S:mean(2), S:std(2)
end

local function main()
  local ds = dataset.open(opts.data)
  local D = ds:stacked("Dbar")
  local K = D:ncols()
  local M, T = ds.M, ds.T
  local dtau = ds.dt * opts.stride
  local natoms = ds.manifest.natoms or "?"
  printf("Pt nanoparticles at 900 K: descriptor coarse-graining and forecasting (Swinburne, PRL 131, 236101)")
  printf("data  %s: %d trajectories × %d snapshots every %.1f ps (%s atoms, EAM Pt), D̄ with K = %d",
    opts.data, M, T, ds.dt, tostring(natoms), K)

  -- ============================================================ 1. linear estimators (eq. 2)
  local test_members, train_members = {}, {}
  local n_test = math.max(1, M // 4)
  for m = 1, M do
    if m > M - n_test then test_members[#test_members + 1] = m else train_members[#train_members + 1] = m end
  end
  local rtr, rte = ds:rows(train_members), ds:rows(test_members)
  local st = stats.standardizer(D:rows(rtr))
  local Z = st:transform(D)
  local Ztr, Zte = Z:rows(rtr), Z:rows(rte)

  local E = ds:values("energy_avg")
  local fcc = ds:stacked("cna_avg"):col(1)
  local G = ds:stacked("gr")
  local r = ds:load("gr_r")

  local function fit_scalar(Y)
    local est = regress.bayes_ridge(Ztr, Y:rows(rtr))
    local P = est:predict(Zte)
    return est, P, r2_all(Y:rows(rte), P), rmse_all(Y:rows(rte), P)
  end
  local estE, PE, r2E, rmseE = fit_scalar(E)
  local _, PF, r2F, rmseF = fit_scalar(fcc)
  -- g(r) through a basis expansion g(r) = Σ_l a_l u_l(r): u_l from PCA of the training g(r),
  -- coefficients a_l regressed from D̄ (the paper's g(r; D̄)).
  local nbasis = 8
  local gpca = stats.pca(G:rows(rtr), { n = nbasis })
  local estG = regress.bayes_ridge(Ztr, gpca:transform(G:rows(rtr)))
  local Ghat = gpca:inverse(estG:predict(Zte))
  local Gte = G:rows(rte)
  local r2G, rmseG = r2_all(Gte, Ghat), rmse_all(Gte, Ghat)

  printf("\n1. Linear estimators Ô = Θ·D̄ + Θ⁰ (Bayesian ridge on standardised D̄; trained on %d trajectories,",
    #train_members)
  printf("   tested on the held-out trajectories %d–%d, all %d snapshots each)", test_members[1], test_members[#test_members], T)
  printf("   %-34s %8s %10s", "observable (on time-averaged X)", "R² test", "RMSE test")
  printf("   %-34s %8.4f %10.3g", "potential energy (eV)", r2E, rmseE)
  printf("   %-34s %8.4f %10.3g", "FCC fraction (CNA)", r2F, rmseF)
  printf("   %-34s %8.4f %10.3g", ("g(r), %d-function basis, all bins"):format(nbasis), r2G, rmseG)

  -- ============================================================ 2–3. VAR forecasts and M(t)
  local first = math.floor(opts.t0 / ds.dt + 0.5)          -- snapshot index of t0
  if first < 1 then first = 1 end
  local steps_total = (T - first) // opts.stride + 1      -- coarse steps from t0 to the end
  local function coarse_time(k) return ds:time(first + (k - 1) * opts.stride) end
  local windows_ps = { 60, 120, 180 }
  local Etraj = ds:trajectories(E, { stride = opts.stride, from = first })
  local md_mean, md_std = ensemble_band(Etraj)
  local times = {}
  for k = 1, steps_total do times[k] = coarse_time(k) end
  local forecasts = {}

  printf("\n2. VAR(%d) forecasts of the whole ensemble from t0 = %.1f ps, δτ = %.1f ps, in a %d-component",
    opts.order, coarse_time(1), dtau, opts.latent)
  printf("   PCA latent space of standardised D̄ (fitted on the training window only); bagged Bayesian")
  printf("   ridge, %d subsets × %.0f%% coverage; energy via the estimator of step 1 (in the same latent space)",
    opts.bags, opts.coverage * 100)

  --- Fits the bagged VAR(order) on the first tau_tr ps from t0 and forecasts the whole ensemble.
  local function forecast_window(tau_tr, order)
    local ntr = math.floor(tau_tr / dtau + 0.5)
    if ntr < order + 2 or ntr >= steps_total then
      error(("training window of %g ps has %d steps: choose another --stride/--t0"):format(tau_tr, ntr), 0)
    end
    local wrows = ds:rows(nil, { stride = opts.stride, from = first, to = first + (ntr - 1) * opts.stride })
    local stw = stats.standardizer(D:rows(wrows))
    local pcaw = stats.pca(stw:transform(D:rows(wrows)), { n = math.min(opts.latent, K) })
    local S = pcaw:transform(stw:transform(D))
    local estS = regress.bayes_ridge(S:rows(rtr), E:rows(rtr))
    local traj = ds:trajectories(S, { stride = opts.stride, from = first })
    local train = {}
    for m = 1, M do train[m] = traj[m]:rows(1, ntr) end
    local bag = var.fit(train, { order = order, bags = opts.bags, coverage = opts.coverage, seed = opts.seed })
    local hist = {}
    for m = 1, M do hist[m] = traj[m]:rows(1, order) end
    local nsteps = steps_total - order
    local fc_epi = bag:forecast(hist, { steps = nsteps, samples = 10, epistemic = true, seed = opts.seed })
    local fc_mean = bag:forecast(hist, { steps = nsteps, samples = 10, epistemic = false, seed = opts.seed })
    local function energy_band(fc)
      local series = {}
      for i, tr in ipairs(fc) do
        -- prepend the shared history so that row k is coarse step k
        series[i] = estS:predict(la.vcat(hist[(i - 1) // 10 + 1], tr))
      end
      return ensemble_band(series)
    end
    local fmean, fstd = energy_band(fc_epi)
    local fmean0 = energy_band(fc_mean)

    -- eq. 4: Mahalanobis distance to the training distribution (OAS shrinkage), per snapshot
    local train_states = la.vcat(train)
    local maha = stats.mahalanobis(train_states, "oas")
    local md_M = var.mean_mahalanobis(traj, maha)
    local fc_traj = {}
    for i, tr in ipairs(fc_epi) do fc_traj[i] = la.vcat(hist[(i - 1) // 10 + 1], tr) end
    local fc_M = var.mean_mahalanobis(fc_traj, maha)
    local since = {}
    for k = 1, steps_total do since[k] = times[k] - times[1] end
    local s2 = var.sigma_m2(bag, maha)
    local Mt = var.uncertainty(fc_M, since, s2, dtau)
    local M0 = var.m0(since, M, tau_tr)
    local Ms = var.m_sigma(since, s2, dtau)
    local tau_pred = var.horizon(since, Mt, 2)
    return { tau_tr = tau_tr, ntr = ntr, order = order, bag = bag, fmean = fmean, fstd = fstd, fmean0 = fmean0,
      md_M = md_M, Mt = Mt, M0 = M0, Ms = Ms, s2 = s2, tau_pred = tau_pred, rho = bag:mean():spectral_radius(),
      traj = traj, estS = estS, hist = hist }
  end

  --- Mean |forecast − MD| of the ensemble-mean energy beyond the training window, and the
  --- fraction of those times where the error is within the forecast's own 1σ.
  local function accuracy(f)
    local s, n, inside = 0, 0, 0
    for k = f.ntr + 1, steps_total do
      local e = math.abs(f.fmean:get(k, 1) - md_mean:get(k, 1))
      s = s + e; n = n + 1
      if e <= f.fstd:get(k, 1) then inside = inside + 1 end
    end
    return s / n, inside / n
  end

  for wi, tau_tr in ipairs(windows_ps) do forecasts[wi] = forecast_window(tau_tr, opts.order) end

  -- Forecast error against MD at several horizons, with the forecast's own uncertainty.
  local horizons = {}
  for _, h in ipairs({ 30, 60, 120, 240, 360, 470 }) do
    local k = math.floor(h / dtau + 0.5) + 1
    if k <= steps_total then horizons[#horizons + 1] = k end
  end
  printf("   %-9s %-19s" .. string.rep(" %-28s", #windows_ps), "t (ps)", "MD mean ± sd (eV)",
    table.unpack((function() local h = {} for i, w in ipairs(windows_ps) do h[i] = ("tau_tr = %d ps: err (sd_fc)"):format(w) end return h end)()))
  for _, k in ipairs(horizons) do
    local row = ("   %-9.1f %8.2f ± %-6.2f"):format(times[k], md_mean:get(k, 1), md_std:get(k, 1))
    for _, f in ipairs(forecasts) do
      local tag = k <= f.ntr and "train" or "forecast"
      row = row .. ("   %+6.2f (%5.2f) %-12s"):format(f.fmean:get(k, 1) - md_mean:get(k, 1), f.fstd:get(k, 1), tag)
    end
    printf("%s", row)
  end
  printf("   %-29s" .. string.rep(" %-28s", #windows_ps), "beyond training: mean |err|",
    table.unpack((function()
      local out = {}
      for i, f in ipairs(forecasts) do
        local err, inside = accuracy(f)
        out[i] = ("%.2f eV, %d%% within 1σ"):format(err, math.floor(100 * inside + 0.5))
      end
      return out
    end)()))
  -- Convergence in the order P (the paper's architecture test), middle window.
  local orders = {}
  for P = 1, 3 do
    local f = P == opts.order and forecasts[2] or forecast_window(windows_ps[2], P)
    local err, inside = accuracy(f)
    orders[#orders + 1] = ("P = %d: %.2f eV, %d%%, ρ = %.3f"):format(P, err, math.floor(100 * inside + 0.5), f.rho)
  end
  printf("   convergence in the order P (τ_tr = %d ps; mean |err| beyond training, within 1σ, ρ(T̄)):",
    windows_ps[2])
  printf("   %s", table.concat(orders, "; "))

  printf("\n3. Forecast confidence (eqs. 4–5): M(D̄) = squared Mahalanobis distance / D̃ to the training")
  printf("   states (OAS shrinkage); M(t) = ⟨M(D̄)⟩ + M_σ(t), M_σ = σ_M² t/δτ ≥ M_0 = t/(M τ_tr)")
  printf("   %-10s %8s %10s %12s %10s %10s %10s %12s", "tau_tr(ps)", "rho(T)", "sigma_M^2", "<M> MD end", "M(t) end", "M_0 end", "M_s end", "tau_pred(ps)")
  for _, f in ipairs(forecasts) do
    printf("   %-10d %8.3f %10.3g %12.3f %10.3f %10.3f %10.3f %12s", f.tau_tr, f.rho, f.s2, f.md_M[#f.md_M],
      f.Mt[#f.Mt], f.M0[#f.M0], f.Ms[#f.Ms], f.tau_pred and ("%.0f"):format(f.tau_pred) or "> window")
  end
  local fmid = forecasts[2]
  if fmid.tau_pred then
    printf("   parallel efficiency η = τ_pred/(M τ_tr) = %.3f (τ_tr = %d ps)", var.efficiency(fmid.tau_pred, M, fmid.tau_tr), fmid.tau_tr)
  else
    printf("   M(t) stays below 2 over the whole window for τ_tr = %d ps: η ≥ %.3f", fmid.tau_tr,
      var.efficiency(times[steps_total] - times[1], M, fmid.tau_tr))
  end

  -- ============================================================ 4. resampling N(μ0, Σ0)
  local grow = 100
  local f = forecasts[2]
  local windows0 = var.windows(f.traj, opts.order, opts.order)
  local ics = var.resample(windows0, opts.order, grow * M, { seed = opts.seed })
  local resampled = f.bag:simulate(ics, steps_total - opts.order, { draw = true, seed = opts.seed })
  printf("\n4. Resampling: %d initial conditions from N(μ0, Σ0) fitted to the %d MD states at t0, run with", grow * M, M)
  printf("   the bagged VAR (τ_tr = %d ps, parameters drawn per trajectory); energy distributions:", f.tau_tr)
  printf("   %-9s %-24s %-24s", "t (ps)", ("MD (%d) mean ± sd"):format(M), ("resampled (%d) mean ± sd"):format(grow * M))
  local dist_times, dist_samples = {}, {}
  for _, k in ipairs({ opts.order + 1, math.min(steps_total, math.floor(steps_total / 3)), steps_total }) do
    local vals = {}
    for i, tr in ipairs(resampled) do vals[i] = f.estS:predict(tr:rows(k - opts.order, k - opts.order)):get(1, 1) end
    local v = la.matrix(vals)
    dist_times[#dist_times + 1] = times[k]
    dist_samples[#dist_samples + 1] = { k = k, v = v }
    printf("   %-9.1f %9.2f ± %-11.2f %9.2f ± %-9.2f", times[k], md_mean:get(k, 1), md_std:get(k, 1), v:mean(), v:std())
  end

  -- ============================================================ 5. manifold
  local full = ds:trajectories(Z, { stride = opts.stride })
  local mean_traj = var.moments(full)
  local mpca = stats.pca(mean_traj, { n = 2 })
  local mscores = mpca:transform(mean_traj)
  local ratio = mpca:explained_variance_ratio()
  local Zs = Z:rows(ds:rows(nil, { stride = opts.stride }))
  local d2nn = idim.twonn(Zs, { discard = 0.1 })
  local ddanco = idim.danco(Zs, { k = 10, seed = opts.seed })
  local dmle = idim.mle(Zs, { k = 20 })
  local width = math.max(10, steps_total // 6)
  local starts, ids = idim.sliding(full, width, { step = width // 2, method = "twonn" })
  local starts_d, ids_d = idim.sliding(full, width, { step = width // 2, method = "danco", seed = opts.seed })
  printf("\n5. Descriptor manifold: PCA of the ensemble mean ⟨D̄⟩(t): PC1 %.1f%%, PC2 %.1f%% of its variance;",
    100 * ratio[1], 100 * ratio[2])
  printf("   intrinsic dimension of %d standardised D̄ (one snapshot in %d): TwoNN %.2f, DANCo %.2f, MLE %.2f",
    Zs:nrows(), opts.stride, d2nn, ddanco, dmle)
  printf("   over %d windows of %.0f ps: TwoNN %.2f → %.2f, DANCo %.2f → %.2f (first → last window)",
    #ids, width * dtau, ids[1], ids[#ids], ids_d[1], ids_d[#ids_d])

  -- ============================================================ figures
  if opts.plots then
    local out = opts.out
    local tcol = la.matrix(times)
    plot.figure{ layout = { 1, 3 }, file = out .. "/estimators.png", title = "Linear estimators on held-out trajectories (eq. 2)",
      plot.panel.parity{ actual = E:rows(rte), predicted = PE, label = "energy", title = "potential energy (eV)" },
      plot.panel.parity{ actual = fcc:rows(rte), predicted = PF, label = "FCC", title = "FCC fraction" },
      plot.panel.lines{ x = r, y = la.hcat(Gte:mean(1):t(), Ghat:mean(1):t()), labels = { "MD", "g(r; D̄)" },
        style = { "points", "lines" },
        title = "mean g(r), held-out trajectories", xlabel = "r (Å)", ylabel = "g(r)" },
    }
    local panels = {}
    for _, fc in ipairs(forecasts) do
      panels[#panels + 1] = plot.panel.band{ x = tcol, mean = la.hcat(fc.fmean, fc.fmean0), std = la.hcat(fc.fstd, fc.fstd * 0),
        labels = { "VAR + epistemic", "VAR (T̄)" }, truth = { md_mean, md_mean + md_std, md_mean - md_std },
        truth_label = { "MD mean", "MD ± sd", "" }, title = ("energy, τ_tr = %d ps"):format(fc.tau_tr),
        xlabel = "t (ps)", ylabel = "E (eV)", key = "top right" }
    end
    for _, fc in ipairs(forecasts) do
      panels[#panels + 1] = plot.panel.lines{ x = tcol, y = la.hcat(la.matrix(fc.md_M), la.matrix(fc.Mt),
        la.matrix(fc.M0), la.matrix(fc.Ms)), labels = { "MD ⟨M(D̄)⟩", "forecast M(t)", "M_0", "M_σ" },
        title = ("Mahalanobis, τ_tr = %d ps"):format(fc.tau_tr), xlabel = "t (ps)", ylabel = "M (log scale)",
        logy = true, yrange = { 0.01, nil }, key = "top left" }
    end
    panels.layout = { 2, 3 }
    panels.file = out .. "/forecast.png"
    panels.title = "VAR forecasts from t0 against MD (Fig. 2c–h)"
    plot.figure(panels)
    local hist_panels = { layout = { 1, #dist_samples }, file = out .. "/resampling.png",
      title = ("Energy distributions of a %d× resampled ensemble"):format(grow) }
    for i, s in ipairs(dist_samples) do
      local mdv = {}
      for m = 1, M do mdv[m] = Etraj[m]:get(s.k, 1) end
      hist_panels[i] = plot.panel.hist{ values = { s.v, la.matrix(mdv) }, labels = { "resampled", "MD" }, bins = 25,
        density = true, title = ("t = %.0f ps"):format(dist_times[i]), xlabel = "E (eV)" }
    end
    plot.figure(hist_panels)
    local all_times = {}
    for k = 1, mean_traj:nrows() do all_times[k] = ds:time(1 + (k - 1) * opts.stride) end
    local scol = (la.matrix(starts) + (width / 2 - 1)) * dtau + ds:time(1)
    plot.figure{ layout = { 1, 2 }, file = out .. "/manifold.png", title = "Descriptor manifold (Fig. 3i–j)",
      plot.panel.lines{ x = la.matrix(all_times), y = mscores, labels = { "PC1", "PC2" }, title = "PCA of the ensemble mean ⟨D̄⟩(t)",
        xlabel = "t (ps)", ylabel = "score" },
      plot.panel.lines{ x = scol, y = la.hcat(la.matrix(ids), la.matrix(ids_d)), labels = { "TwoNN", "DANCo" },
        style = "linespoints", title = "intrinsic dimension over time windows", xlabel = "t (ps)", ylabel = "ID" },
    }
    printf("\nfigures: %s/{estimators,forecast,resampling,manifold}.png", out)
  end
  printf("done in %.1f s", core.clock() - started)
end

local ok, err = xpcall(main, function(e)
  if type(e) == "string" and os.getenv("DESCRY_DEBUG") then return debug.traceback(e, 2) end
  return e
end)
if not ok then
  io.stderr:write("descry main: " .. tostring(err) .. "\n(set DESCRY_DEBUG=1 for a traceback)\n")
  os.exit(1)
end

-- descry yielding job: the Al dislocation-network analysis of Swinburne, PRL 131, 236101 (2023),
-- Figs. 1 and 3, on the bundled real-MD ensemble data/al-yield-300K (scripts/make-yield-dataset).
--
--   descry scripts/yield-figures.lua [--data DIR] [--out DIR] [--latent K] [--order P] [--bags N]
--                                    [--coverage F] [--seed S] [--no-plots]
--
-- Steps: (1) tensor estimators of the stress of X̄ from V̄ (l = 0, Θ·V̄) and from D̄ ⊕ V̄, against
-- scalar-only D̄ estimators; dislocation and structure estimators from D̄ — all scored on whole
-- held-out trajectories, pooled and per trajectory; (2) VAR(P) forecasts with P chosen up to 5,
-- trained on pre-yield data only or on windows spanning yield, with the Mahalanobis confidence
-- M(t) (eqs. 4–5) and the coverage of their stated intervals; (3) a 100× ensemble resampled from
-- N(μ0, Σ0) at a pre-yield time; (4) PCA of ⟨D̄⟩(t) and the intrinsic dimension of standardised
-- D̄ ⊕ V̄ in windows through yield. Prints a report, a data digest and writes Fig. 3-like figures.
local la, stats, regress, var = require "descry.la", require "descry.stats", require "descry.regress", require "descry.var"
local idim, plot, dataset, core = require "descry.idim", require "descry.plot", require "descry.dataset", require "descry.core"

local started = core.clock()
local script_dir = (arg and arg[0] or "scripts/yield-figures.lua"):match("^(.*)/[^/]*$") or "."

local opts = { data = script_dir .. "/../data/al-yield-300K", out = "out/al-yield-figures", latent = 6, order = 0,
  bags = 20, coverage = 0.3, seed = 1, plots = true }
local numeric = { latent = "integer", order = "integer", bags = "integer", coverage = "number", seed = "integer" }

local function usage_error(msg)
  io.stderr:write("descry yield-figures: " .. msg .. "\n" ..
    "usage: descry scripts/yield-figures.lua [--data DIR] [--out DIR] [--latent K] [--order P (0 = by BIC, ≤ 5)]\n" ..
    "                                        [--bags N] [--coverage F] [--seed S] [--no-plots]\n")
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
        if numeric[key] == "integer" then n = n and math.tointeger(n) end
        if not n then usage_error(("--%s expects %s, got '%s'"):format(key, numeric[key] == "integer" and "an integer" or "a number", v)) end
        opts[key] = n
      else
        opts[key] = v
      end
      i = i + 1
    else
      usage_error("unknown argument '" .. a .. "'")
    end
    i = i + 1
  end
  if opts.latent < 1 or opts.order < 0 or opts.order > 5 or opts.bags < 2 or not (opts.coverage > 0 and opts.coverage <= 1) then
    usage_error("need --latent ≥ 1, 0 ≤ --order ≤ 5, --bags ≥ 2, 0 < --coverage ≤ 1")
  end
end

local function printf(fmt, ...) print(fmt:format(...)) end

local EV_PER_A3_TO_GPA = 160.21766208
local VOIGT = { "xx", "yy", "zz", "yz", "xz", "xy" }

--- R² of one column, pooled over all rows.
local function r2_col(Y, P)
  local resid = Y - P
  local centred = Y - Y:mean()
  return 1 - resid:mul(resid):sum() / centred:mul(centred):sum()
end

--- Per-trajectory R² (each held-out trajectory of `len` consecutive rows): min and max.
local function r2_per_traj(Y, P, len)
  local lo, hi = math.huge, -math.huge
  for s = 1, Y:nrows(), len do
    local r = r2_col(Y:rows(s, s + len - 1), P:rows(s, s + len - 1))
    lo, hi = math.min(lo, r), math.max(hi, r)
  end
  return lo, hi
end

--- Rows k..k+n-1 of each member's block of `len` rows in a member-major stack (list of index).
local function member_rows(members, len, from, to)
  local out = {}
  for _, m in ipairs(members) do
    for t = from, to do out[#out + 1] = (m - 1) * len + t end
  end
  return out
end

local function main()
  local ds = dataset.open(opts.data)
  local M, T = ds.M, ds.T
  local man = ds.manifest
  local dt = ds.dt
  local D = ds:stacked("Dbar")
  local K = D:ncols()
  local yield = {}
  for m = 1, M do yield[m] = man.yield.index[m] + 1 end        -- 1-based snapshot of the stress peak
  printf("Al dislocation networks yielding under tension: descriptor coarse-graining (Swinburne, PRL 131, 236101)")
  printf("data  %s: %d trajectories × %d snapshots every %.1f ps, %d–%d atoms, strain rate %s",
    opts.data, M, T, dt, math.min(table.unpack(man.natoms)), math.max(table.unpack(man.natoms)), man.protocol.loading:match("%(([^)]*/s)%)") or "?")
  local ys = {}
  for m = 1, M do ys[m] = ("%.3f"):format(man.yield.strain[m]) end
  printf("yield strains (σ_xx peak): %s", table.concat(ys, " "))

  -- held-out members: the last quarter (their loop counts repeat those of training members)
  local train_m, test_m = {}, {}
  local n_test = math.max(1, M // 4)
  for m = 1, M do
    if m > M - n_test then test_m[#test_m + 1] = m else train_m[#train_m + 1] = m end
  end
  local rtr, rte = ds:rows(train_m), ds:rows(test_m)
  local st = stats.standardizer(D:rows(rtr))
  local Z = st:transform(D)

  -- ============================================================ 1. estimators
  -- V̄ snapshots: vbar_index (0-based); the matching D̄ rows
  local vidx = ds:load("vbar_index")
  local T2 = vidx:nrows()
  local vrow = {}
  for m = 1, M do
    for k = 1, T2 do vrow[#vrow + 1] = (m - 1) * T + math.tointeger(vidx:get(k, 1)) + 1 end
  end
  local V = ds:array("Vbar")                                 -- (M·T2·K) × 6
  local n = M * T2
  local Vc = {}
  for c = 1, 6 do Vc[c] = V:col(c):reshape(n, K) end
  local W = ds:stacked("virial_avg"):rows(vrow)             -- n × 6 (eV)
  local vol = ds:values("volume"):rows(vrow)                 -- n × 1 (Å³)
  local vtr = member_rows(train_m, T2, 1, T2)
  local vte = member_rows(test_m, T2, 1, T2)
  -- a common scale per descriptor component for all six V̄ components (keeps Θ·V̄ a tensor map)
  local scale = {}
  for d = 1, K do
    local s = 0
    for c = 1, 6 do local col = Vc[c]:col(d):rows(vtr) s = s + col:mul(col):sum() end
    scale[d] = math.sqrt(s / (6 * #vtr))
    if scale[d] == 0 then scale[d] = 1 end
  end
  local inv = la.matrix(scale):t():pow(-1)                   -- 1 × K
  local Xc = {}
  for c = 1, 6 do Xc[c] = Vc[c]:mul(inv) end
  local Zv = Z:rows(vrow)
  local sigma = (W:mul(vol:pow(-1)) * (-EV_PER_A3_TO_GPA))   -- σ(X̄) in GPa, Voigt, tension positive
  local function sig(rows) return sigma:rows(rows) end

  -- (a) l = 0 tensor estimator Θ·V̄ through regress.tensor_fit (one Θ for all nine components)
  local pairs9 = { { 1, 1 }, { 2, 2 }, { 3, 3 }, { 2, 3 }, { 1, 3 }, { 1, 2 } }
  local function nine(rows)
    local cols = {}
    for d = 1, K do
      for a = 1, 3 do
        for b = 1, 3 do
          local c
          for i, p in ipairs(pairs9) do
            if (p[1] == a and p[2] == b) or (p[1] == b and p[2] == a) then c = i end
          end
          cols[#cols + 1] = Xc[c]:col(d):rows(rows)
        end
      end
    end
    return la.hcat(cols)
  end
  local function nine_target(Y)
    local cols = {}
    for a = 1, 3 do
      for b = 1, 3 do
        for i, p in ipairs(pairs9) do
          if (p[1] == a and p[2] == b) or (p[1] == b and p[2] == a) then cols[#cols + 1] = Y:col(i) end
        end
      end
    end
    return la.hcat(cols)
  end
  local comps = {}
  for a = 1, 3 do for b = 1, 3 do comps[#comps + 1] = { a, b } end end
  local V9tr, V9te = nine(vtr), nine(vte)
  local Wtr9 = nine_target(W:rows(vtr))
  -- ridge strength by leave-one-training-member-out over a grid
  local best_alpha, best_err = nil, math.huge
  for _, alpha in ipairs({ 1e-8, 1e-6, 1e-4, 1e-2, 1 }) do
    local err = 0
    for _, hold in ipairs(train_m) do
      local fit_m, val_m = {}, { hold }
      for _, m in ipairs(train_m) do if m ~= hold then fit_m[#fit_m + 1] = m end end
      local th = regress.tensor_fit(nine(member_rows(fit_m, T2, 1, T2)), nine_target(W:rows(member_rows(fit_m, T2, 1, T2))), comps, alpha)
      local rows = member_rows(val_m, T2, 1, T2)
      local r = regress.tensor_predict(th, nine(rows)) - nine_target(W:rows(rows))
      err = err + r:mul(r):sum()
    end
    if err < best_err then best_alpha, best_err = alpha, err end
  end
  local theta = regress.tensor_fit(V9tr, Wtr9, comps, best_alpha)
  local P9 = regress.tensor_predict(theta, V9te)                -- n_te × 9 (eV)
  local volte = vol:rows(vte)
  local function voigt_from9(P)
    local map = { 1, 5, 9, 6, 3, 2 }                             -- xx yy zz yz xz xy in row-major 3×3
    local cols = {}
    for i = 1, 6 do cols[i] = P:col(map[i]) end
    return la.hcat(cols)
  end
  local Sa = voigt_from9(P9):mul(volte:pow(-1)) * (-EV_PER_A3_TO_GPA)

  -- (b) D̄ ⊕ V̄: Θ·V̄_ab + δ_ab (Θ'·D̄ + c), one stacked Bayesian ridge over all six components
  local function design(rows)
    local blocks = {}
    local zero = la.zeros(#rows, K + 1)
    for c = 1, 6 do
      local iso = c <= 3 and la.hcat(Zv:rows(rows), la.ones(#rows, 1)) or zero
      blocks[c] = la.hcat(Xc[c]:rows(rows), iso)
    end
    return la.vcat(blocks)
  end
  local function stack_cols(Y)
    local cols = {}
    for c = 1, 6 do cols[c] = Y:col(c) end
    return la.vcat(cols)
  end
  local estB = regress.bayes_ridge(design(vtr), stack_cols(W:rows(vtr)), { intercept = false })
  local PB = estB:predict(design(vte))
  local nte = #vte
  local Sb_cols = {}
  for c = 1, 6 do Sb_cols[c] = PB:rows((c - 1) * nte + 1, c * nte) end
  local Sb = la.hcat(Sb_cols):mul(volte:pow(-1)) * (-EV_PER_A3_TO_GPA)

  -- (c) scalar-only D̄: one Bayesian ridge per component on standardised D̄
  local estC = regress.bayes_ridge(Zv:rows(vtr), sigma:rows(vtr))
  local Sc = estC:predict(Zv:rows(vte))

  local Ste = sig(vte)
  printf("\n1a. Stress of X̄, σ = −W(X̄)/V (GPa), on %d held-out trajectories (%d V̄ snapshots each);", #test_m, T2)
  printf("    trained on %d trajectories. R² pooled [min–max per trajectory]:", #train_m)
  printf("    %-4s %-30s %-30s %-30s", "σ", ("Θ·V̄ (tensor_fit, α=%g)"):format(best_alpha), "D̄ ⊕ V̄ (Θ·V̄ + δ(Θ'·D̄+c))", "scalar D̄ per component")
  local r2tab = {}
  for c = 1, 6 do
    local y = Ste:col(c)
    local row = {}
    for _, P in ipairs({ Sa, Sb, Sc }) do
      local r = r2_col(y, P:col(c))
      local lo, hi = r2_per_traj(y, P:col(c), T2)
      row[#row + 1] = ("%7.3f [%6.3f–%6.3f]"):format(r, lo, hi)
      r2tab[#r2tab + 1] = r
    end
    printf("    %-4s %-30s %-30s %-30s", VOIGT[c], row[1], row[2], row[3])
  end
  local ptrue = Ste:col(1) + Ste:col(2) + Ste:col(3)
  local function pr(P) return (P:col(1) + P:col(2) + P:col(3)) * (-1 / 3) end
  ptrue = ptrue * (-1 / 3)
  local r2p = { r2_col(ptrue, pr(Sa)), r2_col(ptrue, pr(Sb)) }
  -- scalar D̄ estimator of the pressure on every snapshot
  local Sall = ds:stacked("virial_avg"):mul(ds:values("volume"):pow(-1)) * EV_PER_A3_TO_GPA
  local pall = (Sall:col(1) + Sall:col(2) + Sall:col(3)) * (1 / 3)   -- p(X̄) = tr W/(3V)
  local estP = regress.bayes_ridge(Z:rows(rtr), pall:rows(rtr))
  local Pp = estP:predict(Z:rows(rte))
  local r2pD = r2_col(pall:rows(rte), Pp)
  local lo, hi = r2_per_traj(pall:rows(rte), Pp, T)
  printf("    pressure p = −tr σ/3: Θ·V̄ %.3f, D̄ ⊕ V̄ %.3f; scalar D̄ (all %d snapshots) %.3f [%.3f–%.3f]",
    r2p[1], r2p[2], T, r2pD, lo, hi)

  -- dislocation and structure estimators from D̄
  local obs = {
    { "shockley", "⟨112⟩/6 Shockley density (10¹² cm⁻²)" }, { "perfect", "⟨110⟩/2 perfect density (10¹² cm⁻²)" },
    { "disl_total_density", "total dislocation density (10¹² cm⁻²)" }, { "junctions", "junctions (nodes ≥ 3 arms)" },
    { "hcp", "HCP fraction (a-CNA)" }, { "other", "other ('amorphous') fraction" }, { "energy_avg", "energy E(X̄) (eV)" },
  }
  printf("\n1b. Scalar estimators Ô = Θ·D̄ + Θ⁰ (Bayesian ridge, standardised D̄), held-out trajectories, all snapshots:")
  printf("    %-40s %8s %18s %10s", "observable", "R² pool", "R² per traj", "RMSE")
  local est = {}
  local Yobs = {}
  for _, o in ipairs(obs) do
    local Y = ds:values(o[1])
    Yobs[o[1]] = Y
    local e = regress.bayes_ridge(Z:rows(rtr), Y:rows(rtr))
    local P = e:predict(Z:rows(rte))
    local r = r2_col(Y:rows(rte), P)
    local l, h = r2_per_traj(Y:rows(rte), P, T)
    local resid = Y:rows(rte) - P
    est[o[1]] = e
    printf("    %-40s %8.3f %8.3f–%-8.3f %10.3g", o[2], r, l, h, math.sqrt(resid:mul(resid):sum() / #rte))
  end
  Yobs.pressure = pall

  -- ============================================================ 2. VAR forecasts across yield
  local ymin, ysum = math.huge, 0
  for _, m in ipairs(train_m) do ymin = math.min(ymin, yield[m]) ysum = ysum + yield[m] end
  local windows = {
    { name = "pre-yield", ntr = ymin - 3 },
    { name = "to yield", ntr = math.min(T - 8, math.floor(ysum / #train_m + 0.5)) },
    { name = "spanning", ntr = T - 8 },
  }
  printf("\n2. VAR forecasts of the held-out trajectories from their first P states; latent space: %d PCs of", opts.latent)
  printf("   standardised D̄ fitted on the training window of the training trajectories; bagged Bayesian ridge")
  printf("   (%d subsets × %.0f%%); observables from the latent state by Bayesian ridge; δτ = %.1f ps.", opts.bags, 100 * opts.coverage, dt)
  printf("   coverage = share of held-out (trajectory, step) values inside the forecast's 5–95%% band (nominal 90%%)")
  local fc_results = {}
  for wi, w in ipairs(windows) do
    local wrows = ds:rows(train_m, { from = 1, to = w.ntr })
    local stw = stats.standardizer(D:rows(wrows))
    local pcaw = stats.pca(stw:transform(D:rows(wrows)), { n = math.min(opts.latent, K) })
    local S = pcaw:transform(stw:transform(D))
    local traj = ds:trajectories(S)
    local train = {}
    for i, m in ipairs(train_m) do train[i] = traj[m]:rows(1, w.ntr) end
    local ic, bestAIC, bestBIC = var.select_order(train, 5)
    local conv = var.order_convergence(train, { 1, 2, 3, 4, 5 })
    local P = opts.order > 0 and opts.order or bestBIC
    local bag = var.fit(train, { order = P, bags = opts.bags, coverage = opts.coverage, seed = opts.seed })
    local hist = {}
    for i, m in ipairs(test_m) do hist[i] = traj[m]:rows(1, P) end
    local ns = 40
    local fc = bag:forecast(hist, { steps = T - P, samples = ns, epistemic = true, seed = opts.seed })
    -- observables in the latent space, trained on all snapshots of the training trajectories
    local maps = {}
    for _, key in ipairs({ "pressure", "shockley", "other", "hcp" }) do
      maps[key] = regress.bayes_ridge(S:rows(rtr), Yobs[key]:rows(rtr))
    end
    local cover, cnt = {}, {}
    local bands = {}
    for key, e in pairs(maps) do
      cover[key], cnt[key] = { beyond = 0, all = 0 }, { beyond = 0, all = 0 }
      local mean_cols, sd_cols = {}, {}
      for i, m in ipairs(test_m) do
        local cols = {}
        for s = 1, ns do cols[s] = e:predict(la.vcat(hist[i], fc[(i - 1) * ns + s])) end
        local A = la.hcat(cols)                                  -- T × ns
        local y = Yobs[key]:rows(ds:rows({ m }))
        local q5, q95 = A:quantile(0.05, 2), A:quantile(0.95, 2)
        for t = P + 1, T do
          local inside = (y:get(t, 1) >= q5:get(t, 1) and y:get(t, 1) <= q95:get(t, 1)) and 1 or 0
          cover[key].all = cover[key].all + inside
          cnt[key].all = cnt[key].all + 1
          if t > w.ntr then
            cover[key].beyond = cover[key].beyond + inside
            cnt[key].beyond = cnt[key].beyond + 1
          end
        end
        mean_cols[i], sd_cols[i] = A:mean(2), A:std(2)
        bands[key] = bands[key] or {}
        bands[key][i] = { mean = A:mean(2), sd = A:std(2), md = y }
      end
    end
    -- Mahalanobis distance to the training-window states
    local maha = stats.mahalanobis(la.vcat(train), "oas")
    local test_traj = {}
    for i, m in ipairs(test_m) do test_traj[i] = traj[m] end
    local mdM = var.mean_mahalanobis(test_traj, maha)
    local fct = {}
    for i = 1, #fc do fct[i] = la.vcat(hist[(i - 1) // ns + 1], fc[i]) end
    local fcM = var.mean_mahalanobis(fct, maha)
    local times = {}
    for k = 1, T do times[k] = (k - 1) * dt end
    local s2 = var.sigma_m2(bag, maha)
    local Mt = var.uncertainty(fcM, times, s2, dt)
    -- M of each held-out trajectory at its own yield point and 10 snapshots later
    local at, pre, post = 0, 0, 0
    local per_crystal = {}
    for i, m in ipairs(test_m) do
      local dist = maha:distance(traj[m])
      local a, b, c = dist[math.max(1, yield[m] - 5)], dist[yield[m]], dist[math.min(T, yield[m] + 10)]
      pre, at, post = pre + a / #test_m, at + b / #test_m, post + c / #test_m
      per_crystal[i] = ("member %d %.2f / %.2f / %.2f"):format(m - 1, a, b, c)
    end
    local rmsconv = {}
    for _, c in ipairs(conv) do rmsconv[#rmsconv + 1] = ("%.3f"):format(c.rms) end
    printf("   window %-9s τ_tr = %4.1f ps (steps 1–%d): order AIC %d, BIC %d → P = %d; one-step RMS P=1..5: %s",
      w.name, w.ntr * dt, w.ntr, bestAIC, bestBIC, P, table.concat(rmsconv, " "))
    local ty = 0
    for _, m in ipairs(test_m) do ty = ty + yield[m] / #test_m end
    ty = math.floor(ty + 0.5)
    local diverged = 0
    for i = 1, #fct do
      local d = maha:distance(fct[i]:rows(T, T))
      if not (d[1] < 1e3) then diverged = diverged + 1 end
    end
    printf("      ρ(T̄) = %.3f; MD M(D̄) of held-out: yield−5 %.2f, at yield %.2f, yield+10 %.2f",
      bag:mean():spectral_radius(), pre, at, post)
    printf("      per held-out crystal (yield−5 / at yield / yield+10): %s", table.concat(per_crystal, "; "))
    printf("      forecast ⟨M⟩ at the held-out mean yield (%.1f ps) %.3g, at the end %.3g; σ_M² = %.3g; M(t) = ⟨M⟩ + M_σ: %.3g, %.3g;",
      (ty - 1) * dt, fcM[ty], fcM[#fcM], s2, Mt[ty], Mt[#Mt])
    printf("      forecasts with M > 1000 at the end (diverged): %d of %d", diverged, #fct)
    local cov = {}
    for _, key in ipairs({ "pressure", "shockley", "other", "hcp" }) do
      cov[#cov + 1] = ("%s %d%% (beyond τ_tr %s)"):format(key, math.floor(100 * cover[key].all / cnt[key].all + 0.5),
        cnt[key].beyond > 0 and ("%d%%"):format(math.floor(100 * cover[key].beyond / cnt[key].beyond + 0.5)) or "–")
    end
    printf("      coverage of the 90%% band: %s", table.concat(cov, ", "))
    fc_results[wi] = { w = w, P = P, bag = bag, traj = traj, S = S, maps = maps, bands = bands, mdM = mdM, Mt = Mt,
      fcM = fcM, times = times, maha = maha, at = at, pre = pre, post = post, cover = cover, cnt = cnt }
  end

  -- ============================================================ 3. resampling from N(μ0, Σ0)
  local f = fc_results[3]
  local t0 = math.max(f.P, windows[1].ntr // 2)
  local all = {}
  for m = 1, M do all[m] = f.traj[m] end
  local w0 = var.windows(all, f.P, t0)
  local grow = 100
  local ics = var.resample(w0, f.P, grow * M, { seed = opts.seed })
  local big = f.bag:simulate(ics, T - t0, { draw = true, seed = opts.seed })
  printf("\n3. Resampling: %d initial conditions from N(μ0, Σ0) fitted to the %d MD states at t0 = %.1f ps (pre-yield),",
    grow * M, M, (t0 - 1) * dt)
  printf("   run with the spanning-window VAR(%d); distributions (mean ± sd) against MD:", f.P)
  local checks = { t0 + 2, math.floor(ysum / #train_m + 0.5), T }
  local resampled = {}
  for _, key in ipairs({ "pressure", "shockley", "other", "hcp" }) do
    local row = {}
    resampled[key] = {}
    for ci, k in ipairs(checks) do
      local vals = {}
      for i, tr in ipairs(big) do vals[i] = f.maps[key]:predict(tr:rows(k - t0, k - t0)):get(1, 1) end
      local v = la.matrix(vals)
      local md = {}
      for m = 1, M do md[m] = Yobs[key]:get((m - 1) * T + k, 1) end
      local mv = la.matrix(md)
      resampled[key][ci] = { v = v, md = mv, k = k }
      row[#row + 1] = ("t=%4.1f: %.3g ± %.2g (MD %.3g ± %.2g)"):format((k - 1) * dt, v:mean(), v:std(), mv:mean(), mv:std())
    end
    printf("   %-9s %s", key, table.concat(row, "; "))
  end

  -- ============================================================ 4. manifold
  local full = ds:trajectories(Z)
  local mean_traj = var.moments(full)
  local mpca = stats.pca(mean_traj, { n = 2 })
  local mscores = mpca:transform(mean_traj)
  local ratio = mpca:explained_variance_ratio()
  local ymean = math.floor(ysum / #train_m + 0.5)
  local function step_len(a, b)
    local s = 0
    for k = a, b - 1 do
      local d = mscores:rows(k + 1, k + 1) - mscores:rows(k, k)
      s = s + math.sqrt(d:mul(d):sum())
    end
    return s / (b - a)
  end
  local function spread(a, b)
    local s = 0
    for k = a, b do
      for m = 1, M do
        local d = mpca:transform(full[m]:rows(k, k)) - mscores:rows(k, k)
        s = s + d:mul(d):sum()
      end
    end
    return math.sqrt(s / ((b - a + 1) * M))
  end
  printf("\n4. PCA of the ensemble mean ⟨D̄⟩(t) (standardised D̄): PC1 %.1f%%, PC2 %.1f%%; mean step |Δ⟨D̄⟩| per",
    100 * ratio[1], 100 * ratio[2])
  printf("   snapshot in (PC1, PC2): before yield %.3f, after %.3f; rms distance of trajectories from the mean:",
    step_len(1, ymean - 2), step_len(ymean + 2, T))
  printf("   before yield %.3f, after %.3f", spread(1, ymean - 2), spread(ymean + 2, T))

  -- intrinsic dimension of standardised D̄ ⊕ V̄, windows aligned on each trajectory's yield
  local Vflat = la.hcat(Vc)                                     -- n × 6K, [c][d]
  local stv = stats.standardizer(Vflat)
  local stD = stats.standardizer(D:rows(vrow))
  local joint = la.hcat(stD:transform(D:rows(vrow)) * (1 / math.sqrt(K)), stv:transform(Vflat) * (1 / math.sqrt(6 * K)))
  -- a trajectory that yields fewer than 2 windows before its end has no post-yield window: left out
  -- (otherwise the common span after yield shrinks to what the latest-yielding crystal has)
  local width = 5
  local vy = {}
  local kept, dropped = {}, {}
  local before, after = math.huge, math.huge
  for m = 1, M do
    local k = 1
    while k < T2 and vidx:get(k + 1, 1) + 1 <= yield[m] do k = k + 1 end
    vy[m] = k
    if T2 - k >= 2 * width then
      kept[#kept + 1] = m
      before, after = math.min(before, k - 1), math.min(after, T2 - k)
    else
      dropped[#dropped + 1] = ("%d (%d V̄ snapshots after yield)"):format(m - 1, T2 - k)
    end
  end
  local aligned = {}
  for i, m in ipairs(kept) do aligned[i] = joint:rows((m - 1) * T2 + vy[m] - before, (m - 1) * T2 + vy[m] + after) end
  local starts, ids = idim.sliding(aligned, width, { step = 1, method = "twonn" })
  local dseeds = {}
  for s = 1, 3 do
    local _, v = idim.sliding(aligned, width, { step = 1, method = "danco", seed = opts.seed + s - 1 })
    dseeds[s] = v
  end
  local idd, idd_sd = {}, {}
  for i = 1, #ids do
    local a, b = 0, 0
    for s = 1, 3 do a = a + dseeds[s][i] / 3 end
    for s = 1, 3 do b = b + (dseeds[s][i] - a) ^ 2 / 2 end
    idd[i], idd_sd[i] = a, math.sqrt(b)
  end
  local rel = {}
  for i, s in ipairs(starts) do rel[i] = (s + (width - 1) / 2 - (before + 1)) * 2 * dt end   -- ps from yield (window centre)
  local function summarise(list, cond)
    local v = {}
    for i = 1, #list do if cond(rel[i]) then v[#v + 1] = list[i] end end
    if #v == 0 then return "–" end
    local mu, sd = 0, 0
    for _, x in ipairs(v) do mu = mu + x / #v end
    for _, x in ipairs(v) do sd = sd + (x - mu) ^ 2 / math.max(1, #v - 1) end
    return ("%.2f ± %.2f (%d windows)"):format(mu, math.sqrt(sd), #v)
  end
  local pre_c = function(r) return r + width * dt <= 0 end
  local post_c = function(r) return r - width * dt >= 0 end
  printf("   intrinsic dimension of standardised D̄ ⊕ V̄ (each block scaled to unit total variance: D̄/√%d ⊕ V̄/√%d),", K, 6 * K)
  printf("   windows of %d V̄ snapshots × %d trajectories aligned on each trajectory's yield%s:", width, #kept,
    #dropped > 0 and (" (left out: member " .. table.concat(dropped, ", member ") .. ")") or "")
  printf("   TwoNN  before yield %s, after %s", summarise(ids, pre_c), summarise(ids, post_c))
  printf("   DANCo  before yield %s, after %s (seed spread ≤ %.2f)", summarise(idd, pre_c), summarise(idd, post_c),
    (function() local x = 0 for i = 1, #idd_sd do x = math.max(x, idd_sd[i]) end return x end)())

  -- ============================================================ digest and figures
  local digest = 0
  for i = 1, #r2tab do digest = digest + r2tab[i] end
  for i = 1, #ids do digest = digest + ids[i] / 100 end
  for _, fr in ipairs(fc_results) do digest = digest + fr.at / 100 end
  printf("\ndigest %.6f", digest)
  if opts.plots then
    local out = opts.out
    local tcol = la.arange(0, T) * dt
    local panels = { layout = { 3, 4 }, file = out .. "/yield-fig3.png", size = { 1800, 1200 },
      title = "Yielding of Al under uniaxial tension (cf. Fig. 3), held-out trajectory " .. test_m[1] }
    local labels = { pressure = "pressure of X̄ (GPa)", shockley = "⟨112⟩/6 density (10¹² cm⁻²)", other = "amorphous fraction" }
    for _, key in ipairs({ "pressure", "shockley", "other" }) do
      local means, sds, truth = {}, {}, {}
      for wi, fr in ipairs(fc_results) do
        means[wi] = fr.bands[key][1].mean
        sds[wi] = fr.bands[key][1].sd
      end
      panels[#panels + 1] = plot.panel.band{ x = tcol, mean = la.hcat(means), std = la.hcat(sds),
        labels = { "VAR pre-yield", "VAR to yield", "VAR spanning" }, truth = { fc_results[1].bands[key][1].md },
        truth_label = { "MD" }, title = labels[key], xlabel = "t (ps)", key = "top left" }
    end
    local mcols = {}
    for wi, fr in ipairs(fc_results) do mcols[#mcols + 1] = la.matrix(fr.mdM) end
    panels[#panels + 1] = plot.panel.lines{ x = tcol, y = la.hcat(mcols), labels = { "pre-yield", "to yield", "spanning" },
      title = "MD ⟨M(D̄)⟩ of held-out, by training window", xlabel = "t (ps)", logy = true }
    for _, key in ipairs({ "pressure", "shockley", "other", "hcp" }) do
      local r = resampled[key][3]
      panels[#panels + 1] = plot.panel.hist{ values = { r.v, r.md }, labels = { "resampled", "MD" }, bins = 25,
        density = true, title = ("%s at t = %.0f ps"):format(key, (r.k - 1) * dt) }
    end
    panels[#panels + 1] = plot.panel.lines{ x = tcol, y = mscores, labels = { "PC1", "PC2" },
      title = "PCA of ⟨D̄⟩(t)", xlabel = "t (ps)" }
    local relcol = la.matrix(rel)
    panels[#panels + 1] = plot.panel.lines{ x = relcol, y = la.hcat(la.matrix(ids), la.matrix(idd), relcol * 0 + 2),
      labels = { "TwoNN", "DANCo", "Von Mises bound 2" }, style = { "linespoints", "linespoints", "lines" },
      title = "ID of D̄ ⊕ V̄", xlabel = "t − t_yield (ps)" }
    local sx = ds:stacked("stress"):col(1)
    local strain = ds:values("strain")
    local sc = {}
    for m = 1, M do sc[m] = sx:rows(ds:rows({ m })) end
    panels[#panels + 1] = plot.panel.lines{ x = strain:rows(ds:rows({ 1 })), y = la.hcat(sc),
      title = "σ_xx (GPa) vs strain, all members", key = "off" }
    plot.figure(panels)
    local pe = {}
    for c = 1, 6 do
      pe[c] = plot.panel.parity{ actual = Ste:col(c), predicted = Sb:col(c), label = "σ_" .. VOIGT[c],
        title = ("σ_%s, D̄ ⊕ V̄ (R² %.2f)"):format(VOIGT[c], r2tab[(c - 1) * 3 + 2]) }
    end
    pe.layout = { 2, 3 }
    pe.file = out .. "/yield-fig1-stress.png"
    pe.title = "Stress tensor of X̄ from D̄ ⊕ V̄ on held-out trajectories (cf. Fig. 1a)"
    plot.figure(pe)
    printf("figures: %s/yield-fig3.png, %s/yield-fig1-stress.png", out, out)
  end
  printf("done in %.1f s", core.clock() - started)
end

local ok, err = xpcall(main, function(e)
  if type(e) == "string" and os.getenv("DESCRY_DEBUG") then return debug.traceback(e, 2) end
  return e
end)
if not ok then
  io.stderr:write("descry yield-figures: " .. tostring(err) .. "\n(set DESCRY_DEBUG=1 for a traceback)\n")
  os.exit(1)
end

-- descry.regress / stats / var / idim bindings: behaviour, errors, and agreement with the
-- scikit-learn / statsmodels / scikit-dimension fixtures (Tests/DescryStatsTests/Fixtures,
-- written by scripts/gen_stats_fixtures.py). The engine is tested in depth by XCTest.
local T = require "descry.test"
local la = require "descry.la"
local regress = require "descry.regress"
local stats = require "descry.stats"
local var = require "descry.var"
local idim = require "descry.idim"
local json = require "descry.json"

local FX = T.here() .. "/../DescryStatsTests/Fixtures/"
local function fixture(name)
  return json.decode(T.read(FX .. name .. ".json"))
end
local function mat(t) return la.matrix(t.data, t.rows, t.cols) end
local function col(t) return la.matrix(t) end

T.test("bayes_ridge matches scikit-learn", function()
  local c = fixture("bayes_ridge").cases[1]
  local X, Y = mat(c.X), mat(c.Y)
  local m = regress.bayes_ridge(X, Y)
  local out = c.fits[1].outputs
  for j = 1, #out do
    T.near(m:coef():col(j), col(out[j].coef), 1e-8)
    T.near(m:alpha()[j], out[j].alpha, 1e-8)
    T.near(m:lambda()[j], out[j].lambda, 1e-8)
  end
  local mean, std = m:predict_std(mat(c.Xtest))
  T.near(std:col(1), col(out[1].pred_std), 1e-8)
  T.raises(function() regress.ols(X, la.zeros(3, 1)) end, "rows")
end)

T.test("covariance, OAS variants and eq. 4", function()
  local c = fixture("covariance").cases[1]
  local X = mat(c.X)
  local S, mu, rho = stats.oas(X)
  T.near(S, mat(c.oas_sklearn), 1e-8); T.near(rho, c.oas_sklearn_shrinkage, 1e-8)
  local S2, _, rho2 = stats.oas(X, "chen")
  T.near(S2, mat(c.oas_chen), 1e-8); T.near(rho2, c.oas_chen_shrinkage, 1e-8)
  local L = stats.ledoit_wolf(X)
  T.near(L, mat(c.lw), 1e-8)
  local M = stats.mahalanobis(X, "oas")
  local d = M:distance(mat(c.queries))
  for i, v in ipairs(c.mahalanobis_scipy_oas) do T.near(d[i], v * v / X:ncols(), 1e-8) end
  local wide = mat(fixture("covariance").cases[2].X)
  T.raises(function() stats.mahalanobis(wide, "empirical") end, "shrinkage")
  T.raises(function() stats.cov(X, "bogus") end, "unknown covariance method")
  local g = stats.mvn(X)
  T.eq(g:sample(5, 3), g:sample(5, 3))
end)

T.test("VAR fit matches numpy on several trajectories", function()
  local fx = fixture("var")
  local trajs = {}
  for i, t in ipairs(fx.trajectories) do trajs[i] = mat(t) end
  local m = var.fit(trajs, fx.P)
  local B = mat(fx.coef)
  T.near(m:lag_coef(), B:rows(2, B:nrows()), 1e-8)
  T.near(m:noise_cov(), mat(fx.residual_cov_unbiased), 1e-8)
  T.raises(function() var.fit({trajs[1], la.zeros(2, 3)}, 2) end, "at least P%+1")
  local bag = var.bagged(trajs, 2, {subsets = 5, coverage = 0.5, seed = 1})
  T.eq(bag:size(), 5)
  local sims = bag:simulate({trajs[1]}, 10, {per = 3, seed = 2})
  T.eq(#sims, 3); T.eq(sims[1]:nrows(), 10)
end)

T.test("intrinsic dimension matches scikit-dimension", function()
  local fx = fixture("idim")
  local X = mat(fx.X)
  local d = idim.twonn(X, {discard = 0.1})
  T.near(d, fx.twonn_skdim["0.1"], 1e-8)
  T.near((idim.mle(X, {k = 20})), fx.mle_skdim.dimension, 1e-8)
  T.raises(function() idim.knn(la.zeros(3, 2), 3) end, "at least k%+1")
end)

T.test("every function has a docstring", function()
  local core = require "descry.core"
  for mname, mod in pairs({regress = regress, stats = stats, var = var, idim = idim}) do
    for name, f in pairs(mod) do
      if type(f) == "function" then
        local d = core.doc(f)
        T.truthy(d and #d > 10, mname .. "." .. name .. " has no docstring")
      end
    end
  end
end)

T.test("fitted models round-trip through JSON", function()
  local fx = fixture("var")
  local trajs = {}
  for i, t in ipairs(fx.trajectories) do trajs[i] = mat(t) end
  local m = var.fit(trajs, 2)
  local path = os.tmpname() .. ".json"
  json.save(path, m:totable())
  local m2 = var.from_table(json.load(path))
  T.near(m2:lag_coef(), m:lag_coef(), 1e-15)
  T.eq(m2:nobs(), m:nobs())
  local a = m:simulate({trajs[1]}, 5, {seed = 4})[1]
  T.near(m2:simulate({trajs[1]}, 5, {seed = 4})[1], a, 1e-15)
  local bag = var.bagged(trajs, 2, {subsets = 4, coverage = 0.5})
  json.save(path, bag:totable())
  local bag2 = var.from_table(json.load(path))
  T.eq(bag2:size(), 4)
  T.near(bag2:dT(), bag:dT(), 1e-14)
  local c = fixture("bayes_ridge").cases[1]
  local r = regress.ridge(mat(c.X), mat(c.Y), {alpha = 2})
  json.save(path, r:totable())
  T.near(regress.from_table(json.load(path)):predict(mat(c.Xtest)), r:predict(mat(c.Xtest)), 1e-14)
  os.remove(path)
end)

T.test("design-sketch entry points: var.fit options, forecast, score", function()
  local fx = fixture("var")
  local trajs = {}
  for i, t in ipairs(fx.trajectories) do trajs[i] = mat(t) end
  local bag = var.fit(trajs, {order = 2, bags = 6, coverage = 0.4, seed = 3})
  T.eq(bag:size(), 6)
  local fc = bag:forecast(trajs[2], {steps = 12, samples = 4, epistemic = true, seed = 1})
  T.eq(#fc, 4); T.eq(fc[4]:nrows(), 12)
  local m = var.fit(trajs, {order = 2})
  T.near(m:lag_coef(), var.fit(trajs, 2):lag_coef(), 0)
  local det = m:forecast({trajs[1]}, {steps = 3, noise = false})
  T.eq(#det, 1)
  T.raises(function() m:forecast(trajs[1], {steps = 3, bogus = 1}) end, "unknown option")
  T.raises(function() var.fit(trajs, {bags = 3}) end, "order")
  local c = fixture("bayes_ridge").cases[1]
  local r = regress.bayesian_ridge(mat(c.X), mat(c.Y))
  T.truthy(r:score(mat(c.X), mat(c.Y)).r2 > 0.9)
end)

T.test("robustness: extreme arguments are errors, not crashes (found by Tests/fuzz)", function()
  T.raises(function() regress.split(2 ^ 53) end, "number of samples must be in 2...")
  T.raises(function() regress.kfold(math.maxinteger, 3) end, "number of samples must be")
  T.raises(function() stats.shrunk(la.ones(7, 4), 0.5) end, "covariance must be square, got 7×4")
  T.raises(function() stats.shrunk(la.eye(3), 3) end, "shrinkage must be in [0, 1]")
  T.raises(function() idim.knn(la.eye(2), math.maxinteger) end, "need at least k+1 points, got 2")
end)

T.test("robustness: 1-based indices are checked (found by Tests/fuzz)", function()
  local Y = la.randn(10, 2)
  T.raises(function() regress.parity(Y, Y, math.mininteger) end, "bad argument #3 to 'regress.parity' (index must be ≥ 1")
  T.raises(function() var.slice({la.randn(5, 2)}, 0) end, "index must be ≥ 1, got 0")
  T.raises(function() var.windows({la.randn(5, 2)}, 1, math.mininteger) end, "index must be ≥ 1")
end)

T.test("bagged VAR forecasts with rank-deficient member noise covariances (few lag pairs per subset)", function()
  la.seed(5)
  local trajs = {}
  for m = 1, 4 do trajs[m] = la.randn(8, 6) end          -- 28 lag pairs, D = 6
  local bag = var.bagged(trajs, 1, {subsets = 5, coverage = 0.2, seed = 3})  -- ~6 pairs per subset
  local fc = bag:forecast({trajs[1]:rows(1, 1)}, {steps = 20, samples = 50, epistemic = true})
  T.eq(#fc, 50)
  for _, f in ipairs(fc) do T.truthy(f:allclose(f) and f:abs():max() < 1e6, "finite forecast") end
  -- a covariance that is clearly not positive semi-definite is still an error
  local bad = var.from_table{kind = "var.model", lag_coef = la.zeros(2, 2), intercept = la.zeros(2, 1),
    noise_cov = la.matrix{{1, 0}, {0, -1}}, residual_cov_mle = la.eye(2), nobs = 10}
  T.raises(function() bad:simulate({la.zeros(1, 2)}, 3) end, "not positive semi-definite")
end)

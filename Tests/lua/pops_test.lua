-- descry.regress.pops: agreement with popsregression 0.4.0 through the binding
-- (Tests/DescryStatsTests/Fixtures/pops.json, written by scripts/gen_pops_fixtures.py), the
-- bad-input table, and save/load through descry.json. The engine is tested in depth by XCTest.
local T = require "descry.test"
local la = require "descry.la"
local regress = require "descry.regress"
local json = require "descry.json"

local FX = T.here() .. "/../DescryStatsTests/Fixtures/"
local fx = json.load(FX .. "pops.json")
local function mat(t) return la.matrix(t.data, t.rows, t.cols) end
local function col(t) return la.matrix(t) end
local function case(name)
  for _, c in ipairs(fx.cases) do if c.name == name then return c end end
  error("no case " .. name)
end

T.test("regress.pops matches popsregression (ensemble posterior: fully deterministic)", function()
  local c = case("poly_ensemble")
  local m = regress.pops(mat(c.X), col(c.y), {posterior = "ensemble"})
  local coef = m:coef()
  local ref = col(c.coef)
  for i = 1, coef:nrows() do T.near(coef:get(i, 1), ref:get(i, 1), 1e-8) end
  T.near(m:intercept():get(1, 1), ref:get(ref:nrows(), 1), 1e-8)
  T.near(m:alpha()[1], c.alpha, 1e-8)
  T.near(m:misspecification_cov(), mat(c.misspecification_sigma), 1e-8)
  T.near(m:sigma(), mat(c.sigma), 1e-8)
  local mean, std, upper, lower, epi = m:predict_bounds(mat(c.Xtest))
  T.near(mean, col(c.predict.mean), 1e-8)
  T.near(std, col(c.predict.std), 1e-8)
  T.near(upper, col(c.predict.max), 1e-8)
  T.near(lower, col(c.predict.min), 1e-8)
  T.near(epi, col(c.predict.epistemic_std), 1e-8)
  T.eq(m:posterior_samples():nrows(), c.mask_count)
end)

T.test("regress.pops hypercube: box as popsregression (up to eigenvector sign)", function()
  local c = case("poly_hypercube")
  local m = regress.pops(mat(c.X), col(c.y))
  local box = m:box()
  local ref = mat(c.support)
  T.eq(box.directions:ncols(), ref:ncols())
  for k = 1, ref:ncols() do
    local dot = 0
    for r = 1, ref:nrows() do dot = dot + box.directions:get(r, k) * ref:get(r, k) end
    local s = dot < 0 and -1 or 1
    for r = 1, ref:nrows() do T.near(s * box.directions:get(r, k), ref:get(r, k), 1e-8, 1e-12) end
    local lo, hi = box.low[k], box.high[k]
    if s < 0 then lo, hi = -hi, -lo end
    T.near(lo, c.low[k], 1e-8); T.near(hi, c.high[k], 1e-8)
  end
  T.eq(box.points, c.mask_count)
  local mean, std = m:predict_std(mat(c.Xtest))
  T.near(mean, col(c.predict.mean), 1e-8)
  T.truthy(std:get(1, 1) > 0)
  local draws = m:sample_coef(7, {seed = 2})
  T.eq(draws:nrows(), 7); T.eq(draws:ncols(), #c.coef)
end)

T.test("regress.pops refuses bad input loudly (popsregression's behaviour in the fixture)", function()
  local n = 0
  for name, c in pairs(fx.bad_inputs) do
    n = n + 1
    local xs = {}
    for i = 1, c.X.rows * c.X.cols do local v = c.X.data[i]
      xs[i] = type(v) == "number" and v or (0 / 0) end
    local ys = {}
    for i = 1, #c.y do ys[i] = type(c.y[i]) == "number" and c.y[i] or (0 / 0) end
    local X = la.matrix(xs, c.X.rows, c.X.cols)
    local Y = la.matrix(ys, #ys, 1)
    T.raises(function() regress.pops(X, Y, {intercept = c.options.fit_intercept}) end, c.descry_error)
  end
  T.eq(n, 6)
  T.raises(function() regress.pops(la.ones(5, 2), la.ones(5, 1), {posterior = "ellipsoid"}) end, "unknown posterior")
  T.raises(function() regress.pops(la.ones(5, 2), la.ones(5, 1), {bogus = 1}) end, "unknown option")
end)

T.test("regress.pops round-trips through json.save / regress.from_table", function()
  local c = case("random_lev0")
  local X = mat(c.X)
  for _, post in ipairs({"hypercube", "ensemble"}) do
    local m = regress.pops(X, col(c.y), {posterior = post, leverage_percentile = 0, seed = 5})
    local path = os.tmpname() .. ".json"
    json.save(path, m:totable())
    local m2 = regress.from_table(json.load(path))
    os.remove(path)
    local a = {m:predict_bounds(mat(c.Xtest))}
    local b = {m2:predict_bounds(mat(c.Xtest))}
    for i = 1, 5 do T.near(b[i], a[i], 1e-12) end
    T.near(m2:sigma(), m:sigma(), 1e-12)
  end
end)

-- Lua face of the issue-13 statistics fixes: VAR standard errors and noise divisor, PCA
-- singular values / noise variance, GRIDE, DANCo statistics (references: statsmodels,
-- scikit-learn, DADApy, scikit-dimension in Tests/DescryStatsTests/Fixtures/stats_fixes.json).
local T = require "descry.test"
local la = require "descry.la"
local var = require "descry.var"
local stats = require "descry.stats"
local idim = require "descry.idim"
local json = require "descry.json"

local fx = json.load(T.here() .. "/../DescryStatsTests/Fixtures/stats_fixes.json")
local function mat(t) return la.matrix(t.data, t.rows, t.cols) end

T.test("var model:stderr and noise_divisor match statsmodels", function()
  local v = fx.var
  local x = mat(v.trajectory)
  local m = var.fit({x}, {order = 2})
  local lag_se, c_se = m:stderr()
  local se = mat(v.stderr)
  T.near(c_se, se:block(1, 1, 1, se:ncols()):t(), 1e-10)
  T.near(lag_se, se:block(2, se:nrows(), 1, se:ncols()), 1e-10)
  T.near(m:noise_cov(), mat(v.sigma_u), 1e-10)
  T.near(var.fit({x}, {order = 2, noise_divisor = "mle"}):noise_cov(), mat(v.sigma_u_mle), 1e-10)
  T.raises(function() var.fit({x}, {order = 2, noise_divisor = "n-1"}) end, "unknown noise_divisor")
  local path = os.tmpname() .. ".json"
  json.save(path, m:totable())
  local a, b = var.from_table(json.load(path)):stderr()
  os.remove(path)
  T.near(a, lag_se, 1e-15)
  local bag = var.bagged({x}, 2, {subsets = 3, coverage = 0.5, noise_divisor = "unbiased"})
  T.raises(function() bag:member(1):stderr() end, "no standard errors")
end)

T.test("pca singular values and noise variance match scikit-learn", function()
  local p = fx.pca
  for _, f in ipairs(p.fits) do
    local m = stats.pca(mat(p.X), {n = f.n_components})
    T.near(m:singular_values(), f.singular_values, 1e-10)
    T.near(m:noise_variance(), f.noise_variance, 1e-10, 1e-14)
  end
end)

T.test("idim.gride matches DADApy; danco exposes its statistics", function()
  local c = fx.gride[1]
  local dims, errs, scales, ranks = idim.gride(mat(c.X), {range_max = c.range_max})
  T.near(dims, c.ids, 1e-8)
  T.near(errs, c.errors, 1e-8)
  T.near(scales, c.scales, 1e-8)
  T.eq(ranks[1], 2)
  local d = fx.danco_swiss_roll
  local dim, di, kl, st = idim.danco(mat(d.X), {seed = 1})
  T.eq(di, 2)
  T.truthy(dim > 2.05 and dim < 2.3, "fractal swiss-roll estimate " .. dim)
  T.truthy(st.dhat > 1.9 and st.dhat < 1.95 and st.mu_tau > 0 and #st.kl == 3)
  T.raises(function() idim.gride(la.ones(2, 2)) end, "too few")
end)

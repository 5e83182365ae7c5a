-- descry.coverage: held-out band coverage, checked where the answer is known. On a well-specified
-- linear model with Gaussian noise Bayesian ridge ±2σ must cover ≈ 95.4 % of held-out values; on
-- a misspecified one (a cubic fitted linearly, no noise) POPS bounds must cover far more than the
-- shrinking epistemic band. Forecast bands from a bag fitted to a simulated VAR(1) must cover
-- ≈ 95 % of held-out trajectories of the same process, and the POPS draws can only widen them.
local T = require "descry.test"
local la = require "descry.la"
local coverage = require "descry.coverage"

local g = la.rng(5)

T.test("coverage.estimators: nominal on a well-specified model, structure of the result", function()
  local n, p = 4000, 5
  local X = g:normal(0, 1, 2 * n, p)
  local theta = la.matrix({ 1, -2, 0.5, 0, 3 }, p, 1)
  local Y = X:matmul(theta) + g:normal(0, 0.3, 2 * n, 1)
  local groups = {}
  for i = 1, n do groups[i] = i <= n / 2 and "a" or "b" end
  local res = coverage.estimators(X:rows(1, n), Y:rows(1, n), X:rows(n + 1, 2 * n), Y:rows(n + 1, 2 * n), groups)
  T.eq(res.n, n)
  T.eq(res.q, 1)
  T.eq(#res.groups, 2)
  T.eq(res.groups[1].label, "a")
  T.eq(res.groups[2].n, n / 2)
  -- ±2σ of a normal: 0.9545; SE of a fraction over n points √(p(1−p)/n) ≈ 0.0033
  T.near(res.pooled.br_2sigma[1], 0.9545, 0, 4 * math.sqrt(0.9545 * 0.0455 / n))
  -- the epistemic part alone is tiny with 4000 points: it covers almost nothing
  T.truthy(res.pooled.br_2sigma_epi[1] < 0.2, "epistemic-only coverage " .. res.pooled.br_2sigma_epi[1])
  local text = coverage.format_estimators(res, { "y" })
  T.truthy(text:find("BR ±2σ 0.9", 1, true), text)
end)

T.test("coverage.estimators: POPS bounds cover a misspecified, noise-free target", function()
  local n = 3000
  local x = g:uniform(-1, 1, 2 * n, 1)
  local X = la.hcat(x, g:normal(0, 1, 2 * n, 2))
  local Y = x:pow(3)
  local res = coverage.estimators(X:rows(1, n), Y:rows(1, n), X:rows(n + 1, 2 * n), Y:rows(n + 1, 2 * n))
  T.truthy(res.pooled.pops_bounds[1] > 0.5, "POPS bounds " .. res.pooled.pops_bounds[1])
  T.truthy(res.pooled.pops_bounds[1] > 3 * res.pooled.br_2sigma_epi[1], "POPS bounds vs BR epistemic")
end)

T.test("coverage.forecast: bands of a bag fitted to a VAR(1) cover held-out trajectories of it", function()
  local A = la.matrix({ 0.8, 0.1, -0.1, 0.6 }, 2, 2)
  local function simulate(steps)
    local x = la.zeros(steps, 2)
    for t = 2, steps do
      x:setrow(t, x:rows(t - 1):matmul(A) + g:normal(0, 0.5, 1, 2))
    end
    return x
  end
  local train, test, ytrain, ytest = {}, {}, {}, {}
  local w = la.matrix({ 2, -1 }, 2, 1)
  for k = 1, 16 do
    local x = simulate(60)
    local y = la.hcat(x:matmul(w) + 1, x:col(1):pow(2))
    if k <= 12 then train[#train + 1], ytrain[#ytrain + 1] = x, y else test[#test + 1], ytest[#ytest + 1] = x, y end
  end
  local res = coverage.forecast { train = train, test = test, ytrain = ytrain, ytest = ytest, samples = 300, seed = 2 }
  T.eq(res.ntest, 4)
  T.eq(res.steps, 59)
  local s = coverage.summary({ res }, 1)
  -- 4 × 59 correlated points: a loose but two-sided check around the nominal 0.95
  T.truthy(s.var_only.overall > 0.85 and s.var_only.overall <= 1, "VAR-only coverage " .. s.var_only.overall)
  -- POPS draws of an exactly linear target add no width that matters; of x₁² they widen the band
  local s2 = coverage.summary({ res }, 2)
  T.truthy(s2.var_pops.width > s2.var_only.width, "POPS widens the band of a misspecified observable")
  T.truthy(s2.var_pops.overall >= s2.var_only.overall, "and covers at least as much")
  T.eq(#s.var_only.windows, 5)
  T.truthy(coverage.format_summary(s, "y", 1):find("VAR+POPS", 1, true))
end)

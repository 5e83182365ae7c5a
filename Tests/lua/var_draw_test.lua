-- descry.var parameter draws through the binding: bag:sample_params and the epistemic option of
-- bag:forecast / draw option of bag:simulate ("member", "mean", "diagonal", "full", booleans).
-- The statistics of the Gaussian draws are tested in depth by XCTest (VARParameterDrawTests).
local T = require "descry.test"
local la = require "descry.la"
local var = require "descry.var"

local function trajectories()
  local g = la.rng(11)
  local out = {}
  for k = 1, 4 do
    local x = la.zeros(200, 2)
    for t = 2, 200 do
      local e = g:normal(0, 1, 1, 2)
      x:set(t, 1, 0.7 * x:get(t - 1, 1) + 0.1 * x:get(t - 1, 2) + 0.2 * e:get(1, 1))
      x:set(t, 2, 0.5 * x:get(t - 1, 2) + 0.2 * e:get(1, 2))
    end
    out[k] = x
  end
  return out
end

local bag = var.fit(trajectories(), { order = 1, bags = 10, coverage = 0.3, seed = 2 })

T.test("bag:sample_params: shapes, members, Gaussian mean and spread", function()
  local m = bag:sample_params(5, { draw = "member", seed = 1 })
  T.eq(m:nrows(), 5)
  T.eq(m:ncols(), 1 * 2 * 2 + 2)
  local mean = bag:sample_params(1, { draw = "mean" })
  local lag = bag:mean():lag_coef()
  T.near(mean:get(1, 1), lag:get(1, 1), 0)
  T.near(mean:get(1, 5), bag:mean():intercept():get(1, 1), 0)
  local n = 4000
  local d = bag:sample_params(n, { draw = "diagonal", seed = 3 })
  local dT = bag:dT()
  -- column 2 is lag_coef(1, 2): mean T̄ within 5 SE, std δT within 5·√(1/2N)
  local mu, sd = d:mean(1), d:std(1)
  T.near(mu:get(1, 2), lag:get(1, 2), 0, 5 * dT:get(1, 2) / math.sqrt(n))
  T.near(sd:get(1, 2), dT:get(1, 2), 0, 5 * dT:get(1, 2) / math.sqrt(2 * n))
  local f = bag:sample_params(n, { draw = "full", seed = 3 })
  T.near(f:std(1):get(1, 2), dT:get(1, 2), 0, 5 * dT:get(1, 2) / math.sqrt(2 * n))
end)

T.test("forecast/simulate accept the draw kinds; bad kinds are errors", function()
  local h = la.zeros(1, 2)
  for _, kind in ipairs({ true, false, "member", "mean", "diagonal", "full" }) do
    local fc = bag:forecast(h, { steps = 4, samples = 3, epistemic = kind, noise = false, seed = 1 })
    T.eq(#fc, 3)
    T.eq(fc[1]:nrows(), 4)
    local sim = bag:simulate({ h }, 4, { draw = kind, per = 2, noise = false, seed = 1 })
    T.eq(#sim, 2)
  end
  -- true and "member" are the same stream
  local a = bag:forecast(h, { steps = 3, samples = 4, epistemic = true, seed = 5 })
  local b = bag:forecast(h, { steps = 3, samples = 4, epistemic = "member", seed = 5 })
  for i = 1, 4 do T.near(a[i], b[i], 0) end
  T.raises(function() bag:forecast(h, { steps = 3, epistemic = "gauss" }) end, "epistemic")
  T.raises(function() bag:simulate({ h }, 3, { draw = 1 }) end, "draw")
  T.raises(function() bag:sample_params(0, { draw = "full" }) end, "draw count")
  T.raises(function() bag:sample_params(3, { draw = "nope" }) end, "draw")
end)

-- descry.la benchmark cases (run by scripts/bench_la.py, which runs the same cases in numpy).
-- Prints one line per case: `<name> <best seconds>` (minimum over the repetitions: the least
-- disturbed run on a shared machine).
local la = require "descry.la"
local clock = require("descry.core").clock

local function best(f, reps)
  local b = math.huge
  for _ = 1, reps do
    local t0 = clock()
    f()
    b = math.min(b, clock() - t0)
  end
  return b
end

la.seed(1)
local A, B = la.randn(1000, 1000), la.randn(1000, 1000)
local M = la.randn(500, 500)
local S = M + M:t()
local W = la.randn(500, 300)
local X, y = la.randn(2000, 55), la.randn(2000, 1)

local cases = {
  { "dgemm_1000", 5, function() local C = A * B end },
  { "eigh_500", 5, function() local w, V = la.eigh(S) end },
  { "svd_500x300", 5, function() local U, s, Vt = la.svd(W) end },
  { "lstsq_2000x55", 21, function() local x = la.lstsq(X, y) end },
  { "loop_build_standardise_1000x55", 11, function()
      local Z = la.zeros(1000, 55)
      for i = 1, 1000 do
        for j = 1, 55 do Z:set(i, j, math.sin(i * 0.01 + j) + j) end
      end
      local S = (Z - Z:mean(1)) / Z:std(1)
    end },
}
for _, c in ipairs(cases) do
  c[3]()  -- warm-up
  print(string.format("%s %.6e", c[1], best(c[3], c[2])))
end

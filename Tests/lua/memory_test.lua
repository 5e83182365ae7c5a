-- Every Swift-backed object reports its memory to Lua's collector (issue 9), so plain loops stay
-- bounded by what is live: streaming a dump, rebuilding neighbour lists, making matrices.
-- Resident memory is sampled inside the loops (/proc/self/statm) and compared with the
-- resident memory before the loop. (scripts/bench memory runs the full-size cases.)
local T = require "descry.test"
local core = require "descry.core"
local la = require "descry.la"
local atoms = require "descry.atoms"

local function rss_mb()
  local f = io.open("/proc/self/statm")
  if not f then return nil end
  local _, resident = f:read("n", "n")
  f:close()
  return resident * 4096 / 2 ^ 20
end

--- Runs step() n times (or until it returns false) and returns the largest rise of resident
-- memory above the level before the loop, in MB.
local function peak_rise_mb(step, n)
  collectgarbage()
  collectgarbage()
  local base = rss_mb()
  local peak = base
  for i = 1, n do
    if step(i) == false then break end
    if i % 4 == 0 then peak = math.max(peak, rss_mb()) end
  end
  return peak - base
end

--- A LAMMPS dump of about `mb` MB: one random frame of `n` atoms repeated.
local function write_dump(path, n, mb)
  local side = (n / 0.066) ^ (1 / 3)
  local rows = {}
  for i = 1, n do
    rows[i] = string.format("%d 1 %.6f %.6f %.6f", i, math.random() * side, math.random() * side, math.random() * side)
  end
  local body = table.concat(rows, "\n") .. "\n"
  local header = string.format("ITEM: NUMBER OF ATOMS\n%d\nITEM: BOX BOUNDS pp pp pp\n0 %.6f\n0 %.6f\n0 %.6f\n" ..
    "ITEM: ATOMS id type x y z\n", n, side, side, side)
  local f = assert(io.open(path, "w"))
  local written, step = 0, 0
  while written < mb * 2 ^ 20 do
    local text = "ITEM: TIMESTEP\n" .. step .. "\n" .. header .. body
    f:write(text)
    written = written + #text
    step = step + 100
  end
  f:close()
  return step // 100
end

T.test("every kind of Swift-backed object reports its memory to the collector", function()
  local stats, var, regress, desc = require "descry.stats", require "descry.var", require "descry.regress",
    require "descry.desc"
  local X = la.randn(50, 3)
  local fr = atoms.frame{ positions = la.rand(500, 3) * 10, box = { lo = { 0, 0, 0 }, hi = { 10, 10, 10 } } }
  local path = os.tmpname()
  atoms.write(path, fr)
  local objects = {
    matrix = la.zeros(100, 10), frame = fr, neighbors = fr:neighbors(3), trajectory = atoms.open(path),
    rng = la.rng(1), pca = stats.pca(X), mahalanobis = stats.mahalanobis(X), mvn = stats.mvn(X),
    standardizer = stats.standardizer(X), linear_model = regress.ols(X, X:col(1)),
    var_model = var.fit({ la.randn(30, 2) }, 1),
    bagged_var = var.bagged({ la.randn(30, 2), la.randn(30, 2) }, 1, { subsets = 3, coverage = 0.5 }),
    bispectrum = desc.bispectrum{ twojmax = 4, rcutfac = 1, radelem = { 0.5 }, wj = { 1 } },
  }
  for kind, o in pairs(objects) do
    T.truthy(type(core.memory(o)) == "number" and core.memory(o) > 0, kind .. " reports no memory")
  end
  T.eq(core.memory(la.zeros(100, 10)), 100 * 10 * 8 + 64)
  T.truthy(core.memory(fr) >= 500 * 24, "a frame reports at least its positions")
  local nl = objects.neighbors
  T.truthy(core.memory(nl) >= nl:count() * 28, "a neighbour list reports at least its pairs")
  T.truthy(core.memory(objects.pca) >= 3 * 3 * 8, "a PCA reports its components")
  T.eq(core.memory({}), nil)
  T.eq(core.memory(1), nil)
  os.remove(path)
end)

T.test("a plain loop over a 100 MB dump stays within 25 MB of resident memory", function()
  local path = os.tmpname()
  local frames = write_dump(path, 16000, 100)
  local t = atoms.open(path)
  local count = 0
  local rise = peak_rise_mb(function()
    local f = t:next()
    if not f then return false end
    count = count + 1
  end, math.huge)
  os.remove(path)
  T.eq(count, frames)
  -- without memory reports every frame stays until a collection: about 75 MB per 100 MB of dump
  T.truthy(rise < 25, string.format("resident memory rose by %.1f MB over %d frames", rise, count))
end)

T.test("12 neighbour-list rebuilds stay within 4 lists of resident memory", function()
  local n, side = 8000, (8000 / 0.066) ^ (1 / 3)
  local f = atoms.frame{ positions = la.rand(n, 3) * side, box = { lo = { 0, 0, 0 }, hi = { side, side, side } } }
  local list_mb = f:neighbors(5):count() * 36 / 2 ^ 20
  local rise = peak_rise_mb(function() local nl = f:neighbors(5) end, 12)
  T.truthy(rise < 4 * list_mb, string.format("resident memory rose by %.1f MB; one list is %.1f MB", rise, list_mb))
end)

T.test("200 000 matrices created and dropped leave resident memory flat", function()
  local rise = peak_rise_mb(function() local m = la.zeros(10, 10) end, 200000)
  T.truthy(rise < 10, string.format("resident memory rose by %.1f MB", rise))
end)

-- descry.la tests: bindings behaviour, errors, and results against numpy reference fixtures
-- (Tests/DescryLinalgTests/Fixtures/la, written by scripts/gen_la_fixtures.py).
local T = require "descry.test"
local la = require "descry.la"
local core = require "descry.core"

local FX = T.here() .. "/../DescryLinalgTests/Fixtures/la/"
local function fx(name) return la.load(FX .. name .. ".npy") end
local function tmpname(ext) return os.tmpname() .. ext end

T.test("constructors and shapes", function()
  local m = la.matrix{{1, 2, 3}, {4, 5, 6}}
  T.eq({m:shape()}, {2, 3})
  T.eq(#m, 2); T.eq(m:size(), 6); T.eq(m:nrows(), 2); T.eq(m:ncols(), 3)
  T.eq(la.zeros(3):totable(), {{0}, {0}, {0}})
  T.eq(la.ones(1, 2):totable(), {{1, 1}})
  T.eq(la.full(2, 2, 7):totable(), {{7, 7}, {7, 7}})
  T.eq(la.eye(2, 3):totable(), {{1, 0, 0}, {0, 1, 0}})
  T.eq(la.matrix({1, 2, 3, 4, 5, 6}, 2, 3), m)
  T.eq(la.matrix{1, 2, 3}:totable(), {{1}, {2}, {3}})
  T.eq(la.linspace(0, 1, 5):totable(true), {0, 0.25, 0.5, 0.75, 1})
  T.eq(la.arange(4):totable(true), {0, 1, 2, 3})
  T.eq(la.arange(1, 2, 0.5):totable(true), {1, 1.5})
  T.eq(la.diag(la.matrix{1, 2}):totable(), {{1, 0}, {0, 2}})
  T.eq(la.diag(m):totable(true), {1, 5})
  T.truthy(la.ismatrix(m)); T.falsy(la.ismatrix({}))
end)

T.test("constructor errors", function()
  T.raises(function() la.zeros("a") end, "bad argument #1 to 'la.zeros' (number expected, got string)")
  T.raises(function() la.zeros(-1, 2) end, "number of rows must be ≥ 0")
  T.raises(function() la.matrix{{1, 2}, {3}} end, "row 2 has 1 elements, row 1 has 2")
  T.raises(function() la.matrix{{1, "x"}} end, "element [1][2] is string, number expected")
  T.raises(function() la.matrix({1, 2, 3}, 2, 2) end, "needs 4 elements, the table has 3")
  T.raises(function() la.matrix(5) end, "la.matrix or table expected, got number")
end)

T.test("element access, negative indices, in-place set", function()
  local m = la.matrix{{1, 2, 3}, {4, 5, 6}}
  T.eq(m:get(2, 3), 6); T.eq(m:get(-1, -1), 6); T.eq(m:get(1, -3), 1)
  T.eq(m:set(1, 1, 10):get(1, 1), 10)
  local v = la.matrix{1, 2, 3}
  T.eq(v:get(3), 3); v:set(-1, 9); T.eq(v:get(3), 9)
  T.raises(function() m:get(3, 1) end, "row index 3 out of range (size 2)")
  T.raises(function() m:get(1) end, "column index needed for a 2×3 matrix")
  T.raises(function() m:get(1.5, 1) end, "number has no integer representation")
end)

T.test("rows, cols, ranges and selections", function()
  local m = la.arange(12):reshape(4, 3)
  T.eq(m:row(2):totable(), {{3, 4, 5}})
  T.eq(m:col(-1):totable(true), {2, 5, 8, 11})
  T.eq(m:rows(2, 3):totable(), {{3, 4, 5}, {6, 7, 8}})
  T.eq(m:rows(-1):totable(), {{9, 10, 11}})
  T.eq(m:cols(1, 2):shape(), 4)
  T.eq(m:rows{4, 1}:totable(), {{9, 10, 11}, {0, 1, 2}})
  T.eq(m:rows{false, true, false, true}:col(1):totable(true), {3, 9})
  T.eq(m:rows(m:col(1):gt(4)):col(1):totable(true), {6, 9})
  T.eq(m:cols{3}:totable(true), {2, 5, 8, 11})
  T.eq(m:block(2, 3, 2, 3):totable(), {{4, 5}, {7, 8}})
  T.eq(m:rows(3, 2):nrows(), 0)
  T.raises(function() m:rows(m:row(1):gt(0)) end, "mask has 3 elements (1×3), expected 4")
  T.raises(function() m:rows{5} end, "row index 5 out of range")
  local c = m:copy():setrow(1, 0):setcol(2, la.matrix{1, 2, 3, 4})
  T.eq(c:row(1):totable(), {{0, 1, 0}}); T.eq(m:get(1, 2), 1)
end)

T.test("transpose, reshape, hcat, vcat, copy semantics", function()
  local m = la.matrix{{1, 2, 3}, {4, 5, 6}}
  T.eq(m:t():totable(), {{1, 4}, {2, 5}, {3, 6}})
  T.eq(m:reshape(3, -1):totable(), {{1, 2}, {3, 4}, {5, 6}})
  T.raises(function() m:reshape(4, 2) end, "cannot reshape 2×3 (6 elements) into 4×2")
  T.eq(la.hcat(m, la.ones(2, 1)):totable(), {{1, 2, 3, 1}, {4, 5, 6, 1}})
  T.eq(la.vcat{m, m}:nrows(), 4)
  T.raises(function() la.hcat(m, la.ones(3, 1)) end, "row counts differ (2×3 and 3×1)")
  local c = m:copy(); c:set(1, 1, 99); T.eq(m:get(1, 1), 1)
end)

T.test("arithmetic, broadcasting and matrix product", function()
  local a = la.matrix{{1, 2}, {3, 4}}
  T.eq((a + 1):totable(), {{2, 3}, {4, 5}})
  T.eq((2 * a):totable(), {{2, 4}, {6, 8}})
  T.eq((1 - a):totable(), {{0, -1}, {-2, -3}})
  T.eq((a / 2):totable(), {{0.5, 1}, {1.5, 2}})
  T.eq((-a):totable(), {{-1, -2}, {-3, -4}})
  T.eq((a ^ 2):totable(), {{1, 4}, {9, 16}})
  T.eq((a * a):totable(), {{7, 10}, {15, 22}})
  T.eq(a:mul(a):totable(), {{1, 4}, {9, 16}})
  T.eq((a - la.matrix{{1, 2}}):totable(), {{0, 0}, {2, 2}})      -- row broadcast
  T.eq((a - la.matrix{1, 3}):totable(), {{0, 1}, {0, 1}})         -- column broadcast
  T.eq(a:matmul(a, {ta = true}):totable(), {{10, 14}, {14, 20}})
  T.truthy(a == la.matrix{{1, 2}, {3, 4}}); T.falsy(a == a:t())
  local msg = T.raises(function() return la.zeros(2, 3) * la.zeros(2, 3) end, "2×3 and 2×3")
  T.truthy(msg:find("not aligned", 1, true), msg)
  T.raises(function() return la.zeros(2, 3) + la.zeros(3, 2) end, "shapes 2×3 and 3×2 cannot be broadcast together")
  T.raises(function() return a + "x" end, "la.matrix or number expected, got string")
end)

T.test("elementwise math and comparisons", function()
  local x = fx("ew_x")
  for _, f in ipairs{"exp", "log", "log2", "log10", "log1p", "expm1", "sqrt", "sin", "cos", "tan", "tanh"} do
    T.near(x[f](x), fx("ew_" .. f), 1e-14)
    T.near(la[f](x), fx("ew_" .. f), 1e-14)
  end
  T.near(la.exp(1), math.exp(1), 1e-15)
  T.eq(la.matrix{-1, 0, 2}:abs():totable(true), {1, 0, 2})
  T.eq(la.matrix{-1, 0, 2}:clamp(0, 1):totable(true), {0, 0, 1})
  T.eq(la.matrix{1, 2, 3}:gt(2):totable(true), {0, 0, 1})
  T.eq(la.matrix{1, 2, 3}:map(function(v) return v * 10 end):totable(true), {10, 20, 30})
  T.raises(function() la.matrix{1}:map(function() return "x" end) end, "returned string")
  T.truthy(la.allclose(x, x + 1e-12)); T.falsy(x:allclose(x + 1e-3))
end)

T.test("reductions with axis match numpy", function()
  local R = fx("red_R")
  for axis, tag in ipairs{"ax1", "ax2"} do
    T.near(R:sum(axis), fx("red_sum_" .. tag), 1e-13)
    T.near(R:mean(axis), fx("red_mean_" .. tag), 1e-13)
    T.near(R:var(axis), fx("red_var0_" .. tag), 1e-13)
    T.near(R:var(axis, 1), fx("red_var1_" .. tag), 1e-13)
    T.near(R:std(axis, 1), fx("red_std1_" .. tag), 1e-13)
    T.near(R:min(axis), fx("red_min_" .. tag), 0)
    T.near(R:max(axis), fx("red_max_" .. tag), 0)
    T.near(R:argmin(axis), fx("red_argmin_" .. tag) + 1, 0)     -- 1-based in Lua
    T.near(R:argmax(axis), fx("red_argmax_" .. tag) + 1, 0)
    T.near(R:cumsum(axis), fx("red_cumsum_" .. tag), 1e-13)
  end
  local all = fx("red_all"):totable(true)
  T.near({R:sum(), R:mean(), R:var(), R:var(nil, 1), R:std(), R:min(), R:max(), R:argmin() - 1, R:argmax() - 1, R:trace()},
         all, 1e-13)
  T.eq(math.type(R:argmax()), "integer")
  T.near(la.norm(R), fx("norm_R"):get(1), 1e-13)
  T.near(R:norm("nuc"), fx("norm_R"):get(2), 1e-12)
  T.near(R:norm(math.huge), fx("norm_R"):get(5), 1e-13)
  T.raises(function() R:sum(3) end, "axis must be 1")
  T.raises(function() R:norm("x") end, "unknown norm 'x'")
  T.near((R - R:mean(1)) / R:std(1, 1), fx("bc_standardised"), 1e-13)
end)

T.test("sort, argsort, median, quantile, cond, rank match numpy", function()
  local R = fx("red_R")
  T.eq(R:sort(1), fx("sort_ax1")); T.eq(R:sort(2), fx("sort_ax2")); T.eq(la.sort(R), fx("sort_all"))
  T.eq(R:argsort(1), fx("argsort_ax1") + 1); T.eq(R:argsort(2), fx("argsort_ax2") + 1)
  T.eq(R:argsort(), fx("argsort_all") + 1)
  T.near(R:median(1), fx("median_ax1"), 1e-14); T.near(la.median(R, 2), fx("median_ax2"), 1e-14)
  local q = fx("quantile_all")
  T.near(R:median(), q:get(1), 1e-14); T.near(R:quantile(0.37), q:get(3), 1e-14)
  T.near(R:quantile(0.37, 1), fx("quantile_037_ax1"), 1e-14)
  T.raises(function() R:quantile(2) end, "quantile must be in [0, 1], got 2")
  local cr = fx("cond_rank")
  T.near(la.cond(R), cr:get(1), 1e-12)
  T.eq(la.rank(R), cr:get(2)); T.eq(la.rank(fx("lstsq_A")), 3)
end)

T.test("dot, outer, trace", function()
  local u, v = la.matrix{1, 2, 3}, la.matrix{{4, 5, 6}}
  T.eq(la.dot(u, v), 32); T.eq(u:dot(u), 14)
  T.eq(la.outer(u, la.matrix{1, 2}):totable(), {{1, 2}, {2, 4}, {3, 6}})
  T.eq(la.trace(la.eye(3) * 2), 6)
  T.raises(function() la.dot(u, la.ones(2)) end, "sizes differ: 3×1 and 2×1")
end)

T.test("LAPACK results match numpy", function()
  T.near(fx("A") * fx("B"), fx("AB"), 1e-12)
  T.near(la.matmul(fx("A"), fx("C"), {ta = true}), fx("AtC"), 1e-12)
  T.near(la.gram(fx("A")), fx("gramA"), 1e-12)
  T.near(la.solve(fx("G"), fx("rhs")), fx("solve_G_rhs"), 1e-10)
  T.near(la.solve(fx("spd"), fx("rhs"), {spd = true}), fx("solve_spd_rhs"), 1e-10)
  T.near(la.cholesky(fx("spd")), fx("chol_spd"), 1e-12)
  T.near(la.inv(fx("G")), fx("inv_G"), 1e-9)
  T.near(fx("G"):det(), fx("det_G"):get(1), 1e-12)
  local sign, logabs = la.logdet(fx("G"))
  T.eq(sign, fx("slogdet_G"):get(1)); T.near(logabs, fx("slogdet_G"):get(2), 1e-12)
  local w, V = la.eigh(fx("sym"))
  T.near(w, fx("eigh_values"), 1e-12)
  -- eigenvectors up to sign: |Vᵀ V_ref| = I
  T.near((V:t() * fx("eigh_vectors")):abs(), la.eye(7), 1e-9, 1e-9)
  local U, s, Vt = la.svd(fx("tall"))
  T.near(s, fx("svd_tall_s"), 1e-12)
  T.near(U * la.diag(s) * Vt, fx("tall"), 1e-12)
  T.eq(select(3, la.svd(fx("wide"), {full = true})):nrows(), 6)
  local x, rank, sv = la.lstsq(fx("lstsq_A"), fx("lstsq_b"))
  T.eq(rank, 3)
  T.near(x, fx("lstsq_x"), 1e-9)
  T.near(sv, fx("lstsq_s"), 1e-12)
  T.near(la.pinv(fx("tall")), fx("pinv_tall"), 1e-12)
  local Q, R = la.qr(fx("tall"))
  T.near(Q, fx("qr_tall_q"), 1e-12); T.near(R, fx("qr_tall_r"), 1e-12)
end)

T.test("singular and non-SPD input are catchable errors", function()
  local singular = la.matrix{{1, 2}, {2, 4}}
  T.raises(function() la.solve(singular, la.ones(2)) end, "la.solve: matrix is singular")
  T.raises(function() la.inv(singular) end, "la.inv: matrix is singular")
  T.raises(function() la.cholesky(fx("nonspd")) end, "la.cholesky: matrix is not positive definite (leading minor 2)")
  T.raises(function() la.solve(fx("nonspd"), la.ones(3), {spd = true}) end, "not positive definite")
  T.raises(function() la.solve(la.eye(3), la.ones(2)) end, "3×3 and 2×1")
  T.raises(function() la.cholesky(la.ones(2, 3)) end, "matrix must be square, got 2×3")
  T.raises(function() la.eigh(la.matrix{{0 / 0, 1}, {1, 1}}) end, "NaN")
  T.raises(function() la.solve(la.eye(2), la.ones(2), {sdp = true}) end, "unknown option 'sdp'")
  T.eq(la.det(singular), 0)
  local sign, logabs = la.logdet(singular)
  T.eq(sign, 0); T.eq(logabs, -math.huge)
end)

T.test("npy files written by numpy: every dtype and order", function()
  local base = {{1.5, -2, 3.25, 0}, {4, 5.5, -6, 7}, {8, 0, 9, -10.5}}
  local ints = {{1, -2, 3, 0}, {4, 5, -6, 7}, {8, 0, 9, -10}}
  local bools = {{1, 1, 1, 0}, {1, 1, 1, 1}, {1, 0, 1, 1}}
  for _, order in ipairs{"c", "f"} do
    T.eq(fx("io_f8_" .. order):totable(), base); T.eq(fx("io_f4_" .. order):totable(), base)
    T.eq(fx("io_i8_" .. order):totable(), ints); T.eq(fx("io_i4_" .. order):totable(), ints)
    T.eq(fx("io_b1_" .. order):totable(), bools)
  end
  T.eq(fx("io_v2"):totable(), base); T.eq(fx("io_v3"):totable(), base)
  T.eq(fx("io_i4_1d"):totable(true), {3, -4, 5})
  T.eq({fx("io_empty"):shape()}, {0, 3})
end)

T.test("npy errors: truncated, unsupported, missing", function()
  T.raises(function() fx("bad_truncated") end, "truncated .npy file")
  T.raises(function() fx("bad_be_f8") end, "unsupported .npy dtype '>f8'")
  T.raises(function() fx("bad_c16") end, "unsupported .npy dtype '<c16'")
  T.raises(function() fx("bad_3d") end, "3 dimensions")
  T.raises(function() la.load("/nonexistent/x.npy") end, "cannot open '/nonexistent/x.npy'")
end)

T.test("npy N-D arrays load flattened to rows × last dimension (numpy reshape(-1, d))", function()
  local m, shape = la.load(FX .. "nd_234_f8.npy", {flatten = true})
  T.eq(shape, {2, 3, 4})
  T.eq({m:shape()}, {6, 4})
  T.eq(m:get(1, 1), -3); T.eq(m:get(2, 1), -1); T.eq(m:get(6, 4), 8.5)  -- 0.5·k − 3, k row-major
  local i4 = la.load(FX .. "nd_234_i4.npy", {flatten = true})
  T.eq(i4:get(5, 3), 18)
  local f4, s4 = la.load(FX .. "nd_2234_f4.npy", {flatten = true})
  T.eq(s4, {2, 2, 3, 4}); T.eq({f4:shape()}, {12, 4}); T.eq(f4:get(12, 4), 47 / 8)
  T.raises(function() la.load(FX .. "nd_234_fortran.npy", {flatten = true}) end, "Fortran-order")
  T.raises(function() la.load(FX .. "nd_234_f8.npy") end, "flatten = true")
  T.raises(function() la.load(FX .. "nd_234_f8.npy", {flaten = true}) end, "unknown option 'flaten'")
  T.eq(select("#", la.load(FX .. "io_f8_c.npy")), 1)
  local _, s2 = la.load(FX .. "io_f8_c.npy", {flatten = true})
  T.eq(s2, {3, 4})
end)

T.test("npy and CSV round trips", function()
  local m = la.matrix{{1.5, -2, 1e-300}, {math.huge, 0.1, -1e300}}
  local p = tmpname(".npy")
  la.save(p, m); T.eq(la.load(p), m)
  la.save(p, la.matrix{1, 2, 3}, {vector = true}); T.eq(la.load(p):totable(true), {1, 2, 3})
  T.raises(function() la.save(p, m, {vector = true}) end, "option 'vector' needs a vector")
  os.remove(p)
  local c = tmpname(".csv")
  la.save(c, m, {header = {"a", "b", "c"}})
  local back, header = la.load(c)
  T.eq(back, m); T.eq(header, {"a", "b", "c"})
  os.remove(c)
  local X = fx("csv_X")
  local fromNumpy, h = la.loadcsv(FX .. "csv_header.csv")
  T.eq(fromNumpy, X); T.eq(h, {"a", "b", "c"})
  T.eq(la.load(FX .. "csv_plain.tsv"), X)
  T.raises(function() la.savecsv(c, m, {header = {"a"}}) end, "header has 1 names for 3 columns")
end)

T.test("CSV options: delimiter, header, errors", function()
  local p = tmpname(".txt")
  local f = io.open(p, "w"); f:write("# comment\nx;y\n1;2.5\n\n3;nan\n"); f:close()
  local m, h = la.loadcsv(p, {delimiter = ";"})
  T.eq(h, {"x", "y"}); T.eq(m:get(2, 1), 3); T.truthy(m:get(2, 2) ~= m:get(2, 2))
  T.raises(function() la.loadcsv(p, {delimiter = ";", header = false}) end, "line 2, field 1: 'x' is not a number")
  T.raises(function() la.loadcsv(p, {delimiter = ";;"}) end, "option 'delimiter' must be one character")
  T.raises(function() la.loadcsv(p, {delim = ";"}) end, "unknown option 'delim'")
  T.raises(function() la.loadcsv(p) end, "line 3, field 1: '1;2.5' is not a number")  -- ',' splits nothing
  os.remove(p)
end)

T.test("seeded random numbers are reproducible", function()
  la.seed(123)
  local a = la.randn(3, 4)
  la.seed(123)
  T.eq(la.randn(3, 4), a)
  local g1, g2 = la.rng(5), la.rng(5)
  T.eq(g1:rand(2, 2), g2:rand(2, 2))
  T.ne(g1:rand(2, 2):totable(), la.rng(6):rand(2, 2):totable())
  local k = la.randint(1, 6, 1000)
  T.truthy(k:min() >= 1 and k:max() <= 6)
  T.eq(k, k:round())
  local u = g1:uniform(-1, 1, 2000)
  T.truthy(u:min() >= -1 and u:max() < 1)
  local z = la.rng(1):normal(10, 2, 20000)
  T.near(z:mean(), 10, 0.01); T.near(z:std(), 2, 0.02)
  local perm = la.rng(3):permutation(10)
  table.sort(perm); T.eq(perm, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  T.eq(g1:seed(), 5)
  la.seed(9); local r1 = la.rng():rand(3)
  la.seed(9); T.eq(la.rng():rand(3), r1)      -- unseeded generators derive from the global seed
  T.raises(function() la.randint(3, 1, 2) end, "empty range 3..1")
  T.truthy(tostring(g1):find("la.rng(seed=5)", 1, true))
end)

T.test("tostring is numpy-like with shape and truncation", function()
  T.eq(tostring(la.matrix{{1.5, -2, 3.25}, {4, 5.5, -6}}),
       "la.matrix 2×3\n[[ 1.5  -2.    3.25]\n [ 4.    5.5  -6.  ]]")
  local big = tostring(la.zeros(2000, 55))
  T.truthy(big:find("la.matrix 2000×55", 1, true))
  T.truthy(big:find("…", 1, true))
  T.truthy(#big < 2000)
  T.eq(la.eye(2):format{header = false}, "[[1. 0.]\n [0. 1.]]")
  T.eq(la.matrix{1 / 3}:format{header = false, precision = 3}, "[[0.333]]")
end)

T.test("every function and method has a docstring", function()
  for name, f in pairs(la) do
    if type(f) == "function" then
      local d = core.doc(f)
      T.truthy(d and #d > 10, "la." .. name .. " has no docstring")
    end
  end
  local methods = getmetatable(la.zeros(1)).__index
  for name, f in pairs(methods) do
    T.truthy(core.doc(f), "matrix:" .. name .. " has no docstring")
  end
  T.truthy(core.doc(la):find("descry.la", 1, true))
  T.truthy(core.doc(la.lstsq):find("dgelsd", 1, true))
end)

T.test("oversized results are errors, not aborts", function()
  local long = la.ones(1e6)
  T.raises(function() return long * long:t() end, "too large for memory")
  T.raises(function() return la.outer(long, long) end, "too large for memory")
  T.raises(function() return long + long:t() end, "too large for memory")
  T.raises(function() return la.diag(long) end, "too large for memory")
  T.raises(function() return la.zeros(2^40, 2^40) end, "too large")
  T.raises(function() return long:reshape(2^40, 2^40) end, "cannot reshape")
  T.raises(function() return la.rng(1):permutation(2^40) end, "too large")
  T.raises(function() return la.arange(0, 1e300) end, "do not fit in memory")
  T.eq(#la.ones(10):format{edgeitems = math.maxinteger} > 0, true)
end)

T.test("temporary matrices are collected (memory reported to Lua's GC)", function()
  local f = io.open("/proc/self/statm")
  if not f then return end
  f:close()
  local function rss_mb()
    local g = io.open("/proc/self/statm"); local _, res = g:read("n", "n"); g:close()
    return res * 4 / 1024
  end
  collectgarbage()
  local before = rss_mb()
  local Z = la.ones(1000, 55)
  for _ = 1, 1500 do local tmp = (Z - 1) / 2 end    -- 3000 temporaries of 440 kB = 1.3 GB in total
  local grown = rss_mb() - before
  T.truthy(grown < 150, string.format("resident memory grew by %.0f MB", grown))
end)

T.test("la.printoptions sets the session's matrix display (numpy set_printoptions)", function()
  local m = la.matrix { { 1 / 3, 2 }, { 0.1 + 0.2, 4 } }
  T.eq(m:format { header = false }, "[[0.33333333 2.        ]\n [0.3        4.        ]]")
  local before = la.printoptions { precision = 3 }
  T.eq(before.precision, 8)
  T.eq(tostring(m), "la.matrix 2×2\n[[0.333 2.   ]\n [0.3   4.   ]]")
  T.eq(m:format { header = false, precision = 5 }, "[[0.33333 2.     ]\n [0.3     4.     ]]")
  la.printoptions { threshold = 3, edgeitems = 1 }
  T.eq(la.zeros(5, 1):format { header = false }, "[[0.]\n …\n [0.]]")
  T.eq(la.printoptions { reset = true }.threshold, 3)
  T.eq(tostring(m), "la.matrix 2×2\n[[0.33333333 2.        ]\n [0.3        4.        ]]")
  T.raises(function() la.printoptions { precision = 18 } end, "precision must be in 0..17")
  T.raises(function() la.printoptions { precison = 3 } end, "unknown option 'precison'")
end)

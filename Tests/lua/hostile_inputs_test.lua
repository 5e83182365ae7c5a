-- Hostile inputs (issue 9, holes 4 and 7): what used to be silently accepted, aborted the
-- process or allocated gigabytes from a tiny file is now a clear, catchable error.
local T = require "descry.test"
local la = require "descry.la"
local atoms = require "descry.atoms"
local json = require "descry.json"
local idim = require "descry.idim"
local regress = require "descry.regress"

local dir = T.tempdir()

local function write(name, text)
  local path = dir .. "/" .. name
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

local function dump(box, lines, n)
  return "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n" .. (n or #lines) .. "\nITEM: BOX BOUNDS pp pp pp\n" ..
    box .. "ITEM: ATOMS id type x y z\n" .. table.concat(lines, "\n") .. "\n"
end
local cube = "0 10\n0 10\n0 10\n"

T.test("dump: non-finite coordinates are refused, naming file and line", function()
  for _, bad in ipairs { "nan", "inf", "-inf", "1e400" } do
    local p = write("c.dump", dump(cube, { "1 1 1 1 1", "2 1 " .. bad .. " 2 2" }))
    T.raises(function() atoms.read(p) end, "c.dump:11: atom 2 has a non%-finite coordinate")
  end
end)

T.test("dump: a blank value line is an error, not a trap (found by the fuzzer)", function()
  local p = write("blank.dump", "ITEM: TIMESTEP\n\nITEM: NUMBER OF ATOMS\n1\n")
  T.raises(function() atoms.read(p) end, "blank.dump:2: column 1 %('TIMESTEP'%) is missing")
  p = write("blank2.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\n")
  T.raises(function() atoms.read(p) end, "blank2.dump:4: column 1 %('NUMBER OF ATOMS'%) is missing")
end)

T.test("log.lammps: a second yaml keywords line after rows is an error, not a trap (fuzzer)", function()
  local p = write("y.log", "LAMMPS (22 Jul 2025)\nPer MPI rank memory allocation (min/avg/max) = 3 | 3 | 3 Mbytes\n" ..
    "---\nkeywords: ['Step', 'Temp', ]\ndata:\n  - [0, 1.5, ]\n  - [10, 2.5, ]\n...\n" ..
    "Loop time \226\128\162 on 1 procs\n---\nkeywords: ['Step', 'Temp', 'Press', ]\ndata:\n" ..
    "Loop time of 0.01 on 1 procs for 10 steps with 4 atoms\n")
  T.raises(function() atoms.read_log(p) end, "y.log:11: yaml keywords line after data rows")
end)

T.test("dump: NaN, infinite and inverted box bounds are refused", function()
  T.raises(function() atoms.read(write("b1.dump", dump("0 nan\n0 10\n0 10\n", { "1 1 1 1 1" }))) end,
    "box bounds in x are not finite")
  T.raises(function() atoms.read(write("b2.dump", dump("0 10\n0 inf\n0 10\n", { "1 1 1 1 1" }))) end,
    "box bounds in y are not finite")
  T.raises(function() atoms.read(write("b3.dump", dump("0 10\n0 10\n10 0\n", { "1 1 1 1 1" }))) end,
    "box bounds in z are empty or inverted")
  T.raises(function() atoms.read(write("b4.dump", dump("0 10\n5 5\n0 10\n", { "1 1 1 1 1" }))) end,
    "box bounds in y are empty or inverted")
end)

T.test("dump: duplicate atom ids are refused", function()
  local p = write("d.dump", dump(cube, { "1 1 1 1 1", "2 1 2 2 2", "1 1 3 3 3" }))
  T.raises(function() atoms.read(p) end, "atom id 1 occurs more than once")
end)

T.test("extxyz: non-finite positions and lattice, duplicate ids are refused", function()
  local p = write("a.xyz", '2\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3\nSi 0 0 0\nSi nan 1 1\n')
  T.raises(function() atoms.read(p) end, "atom 2 has a non%-finite coordinate")
  p = write("b.xyz", '1\nLattice="5 0 0 0 nan 0 0 0 5" Properties=species:S:1:pos:R:3\nSi 0 0 0\n')
  T.raises(function() atoms.read(p) end, "Lattice has a non%-finite number")
  p = write("c.xyz", '2\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3:id:I:1\nSi 0 0 0 7\nSi 1 1 1 7\n')
  T.raises(function() atoms.read(p) end, "atom id 7 occurs more than once")
end)

T.test("extxyz: declared sizes beyond the file are refused before allocating", function()
  -- a 100-byte file declaring 10⁸ per-atom columns (used to reach 2.9 GB, then abort)
  local p = write("w.xyz", "2\nProperties=species:S:1:pos:R:3:foo:R:100000000\nSi 0 0 0 1\n")
  T.raises(function() atoms.read(p) end, "header declares 2 atoms of 100000004 columns")
  -- 5·10⁷ atoms declared, two present (used to allocate 2.3 GB before its error)
  p = write("n.xyz", "50000000\nProperties=species:S:1:pos:R:3\nSi 0 0 0\nSi 1 1 1\n")
  T.raises(function() atoms.read(p) end, "header declares 50000000 atoms")
  -- overflowing column counts
  p = write("o.xyz", "1\nProperties=species:S:1:pos:R:3:a:R:9223372036854775807:b:R:9223372036854775807\nSi 0 0 0\n")
  T.raises(function() atoms.read(p) end, "Properties")
  p = write("dup.xyz", "1\nProperties=species:S:1:pos:R:3:pos:R:1\nSi 0 0 0 1\n")
  T.raises(function() atoms.read(p) end, "Properties names 'pos' twice")
  -- a frame of zero atoms with a huge declared width is fine (nothing to allocate)
  p = write("z.xyz", "0\nProperties=species:S:1:pos:R:3:foo:R:100000000\n")
  T.eq(atoms.read(p):count(), 0)
end)

T.test("data file: non-finite coordinates, inverted box, duplicate ids are refused", function()
  local head = "title\n\n2 atoms\n1 atom types\n\n0 10 xlo xhi\n0 10 ylo yhi\n"
  T.raises(function() atoms.read(write("a.data", head .. "0 10 zlo zhi\n\nAtoms # atomic\n\n1 1 0 0 0\n2 1 inf 0 0\n")) end,
    "non%-finite coordinate")
  T.raises(function() atoms.read(write("b.data", head .. "10 0 zlo zhi\n\nAtoms # atomic\n\n1 1 0 0 0\n2 1 1 0 0\n")) end,
    "box bounds in z are empty or inverted")
  T.raises(function() atoms.read(write("c.data", head .. "0 10 zlo zhi\n\nAtoms # atomic\n\n1 1 0 0 0\n1 1 1 0 0\n")) end,
    "atom id 1 occurs more than once")
end)

local function npy(shape)
  local header = "{'descr': '<f8', 'fortran_order': False, 'shape': " .. shape .. ", }"
  header = header .. string.rep(" ", (64 - (10 + #header + 1) % 64) % 64) .. "\n"
  return "\147NUMPY\1\0" .. string.pack("<I2", #header) .. header
end

T.test("npy: degenerate shapes with a huge dimension are refused at load", function()
  for _, shape in ipairs { "(0, 1000000000000000)", "(1000000000000000, 0)", "(1000000000000000,)" } do
    local p = write("s.npy", npy(shape))
    T.raises(function() la.load(p) end, "too large for memory")
  end
  -- a zero-size array of modest shape still loads, and reduces without trouble
  local m = la.load(write("e.npy", npy("(0, 10)")))
  T.eq({ m:shape() }, { 0, 10 })
  T.eq({ m:sum(1):shape() }, { 1, 10 })
  T.eq({ m:sum(2):shape() }, { 0, 1 })
end)

T.test("CSV: a NUL byte is an error naming line and column", function()
  local p = write("nul.csv", "a,b\n1,2\n3\0,4\n")
  T.raises(function() la.loadcsv(p) end, "line 3, column 2: NUL byte")
  p = write("nul2.csv", "1,2\n3,4\0junk\n")
  T.raises(function() la.loadcsv(p) end, "line 2, column 4: NUL byte")
end)

T.test("CSV: a long single line parses field by field", function()
  local n = 200000
  local p = write("long.csv", string.rep("1.5,", n - 1) .. "2\n")
  local m = la.loadcsv(p)
  T.eq({ m:shape() }, { 1, n })
  T.eq(m:sum(), 1.5 * (n - 1) + 2)
end)

T.test("JSON: invalid UTF-8 and out-of-range numbers are errors", function()
  T.raises(function() json.decode('{"a": "\255"}') end, "invalid UTF%-8")
  T.raises(function() json.decode('"\192\175"') end, "invalid UTF%-8")          -- overlong '/'
  T.raises(function() json.decode('"\237\160\128"') end, "invalid UTF%-8")      -- a surrogate
  T.raises(function() json.decode("[1e400]") end, "out of the range of a double")
  T.raises(function() json.decode("[-1e400]") end, "out of the range of a double")
  T.raises(function() json.load(write("bad.json", '{"k": "\254"}')) end, "bad.json: line 1, column 8: invalid UTF%-8")
  T.eq(json.decode('["é€😀", 1e308]')[1], "é€😀")
end)

T.test("TwoNN on tied distances (a square grid) is an error, not NaN", function()
  local pts = {}
  for i = 1, 10 do for j = 1, 10 do pts[#pts + 1] = { i, j } end end
  T.raises(function() idim.twonn(la.matrix(pts)) end, "tied")
  T.raises(function() idim.twonn(la.matrix(pts), { method = "mle" }) end, "tied")
end)

T.test("regress.from_table: intercept must have one entry per output", function()
  T.raises(function() regress.from_table { coef = la.matrix { { 1 }, { 2 } }, intercept = la.matrix { 1, 2 } } end,
    "intercept is 2×1 but coef is 2×1")
  T.raises(function() regress.from_table { coef = la.matrix { { 1, 2 } }, intercept = la.matrix { { 1, 2 }, { 3, 4 } } } end,
    "intercept is 2×2")
  T.raises(function() regress.from_table { coef = la.matrix { { 0 / 0 } }, intercept = la.matrix { 1 } } end, "finite")
  local m = regress.from_table { coef = la.matrix { { 2 } }, intercept = la.matrix { 1 } }
  T.eq(m:predict(la.matrix { { 3 } }):get(1, 1), 7)
end)

T.test("constructors refuse extra arguments", function()
  T.raises(function() la.zeros(2, 3, 4, 5) end, "bad argument #3 to 'la.zeros' %(unexpected extra argument")
  T.raises(function() la.ones(2, 3, 4) end, "bad argument #3 to 'la.ones'")
  T.raises(function() la.full(2, 3, 1, 9) end, "bad argument #4 to 'la.full'")
  T.raises(function() la.eye(2, 2, 2) end, "bad argument #3 to 'la.eye'")
  T.raises(function() la.linspace(0, 1, 5, 7) end, "bad argument #4 to 'la.linspace'")
  T.raises(function() la.arange(0, 1, 0.5, 2) end, "bad argument #4 to 'la.arange'")
  T.raises(function() la.rand(2, 2, 2) end, "bad argument #3 to 'la.rand'")
  T.raises(function() la.randn(2, 2, 2) end, "bad argument #3 to 'la.randn'")
  T.raises(function() la.uniform(0, 1, 2, 2, 2) end, "bad argument #5 to 'la.uniform'")
  T.raises(function() la.rng(1):rand(2, 2, 2) end, "unexpected extra argument")
  T.raises(function() la.diag(la.eye(2), 1) end, "bad argument #2 to 'la.diag'")
  T.eq({ la.zeros(2, 3, nil):shape() }, { 2, 3 })   -- a trailing nil is no argument
end)

T.test("degenerate shapes: reductions of empty matrices neither abort nor hang", function()
  local m = la.zeros(0, 100000)
  T.eq({ m:sum(1):shape() }, { 1, 100000 })
  T.eq(m:sum(), 0)
  T.eq({ la.zeros(100000, 0):sum(2):shape() }, { 100000, 1 })
  T.raises(function() la.zeros(0, 1 << 31) end, "too large")
end)

T.test("a line longer than 16 MiB is refused before it exhausts memory (dump, gzip bomb)", function()
  local p = write("long.dump", "ITEM: TIMESTEP\n" .. string.rep("1 ", 9 << 20) .. "\n")
  T.raises(function() atoms.read(p) end, "long.dump:2: line longer than 16 MiB")
  os.execute("gzip -f '" .. p .. "'")
  T.raises(function() atoms.read(p .. ".gz") end, "long.dump.gz:2: line longer than 16 MiB")
end)

-- registered last, so it runs after the tests above (T.test only registers)
T.test("clean up the temporary folder", function() os.execute("rm -rf '" .. dir .. "'") end)

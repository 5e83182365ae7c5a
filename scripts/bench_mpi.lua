-- The work of `scripts/bench mpi` (scripts/bench_mpi.py): D̄ (2J = 8, THREADS threads per rank) of a
-- multi-file trajectory, timed between two barriers around bs:trajectory only.
--   [mpirun -n N] descry scripts/bench_mpi.lua comm|serial THREADS FILE...
-- Prints on rank 0: "seconds <wall> rows <T> sha <SHA-256 of the %a text of D̄>".
local atoms, desc, core = require "descry.atoms", require "descry.desc", require "descry.core"
local mpi = require "descry.mpi"
local fs = require "descry.fs"
local mode = assert(arg[1], "usage: bench_mpi.lua comm|serial THREADS FILE...")
local threads = assert(tonumber(arg[2]), "usage: bench_mpi.lua comm|serial THREADS FILE...")
local paths = {}
for k = 3, #arg do paths[#paths + 1] = arg[k] end
local bs = desc.bispectrum{ twojmax = 8, rcutfac = 4.7, radelem = { 0.5 }, wj = { 1.0 }, rfac0 = 0.99363, threads = threads }
local t = atoms.open(paths)
mpi.barrier()
local t0 = core.clock()
local D = bs:trajectory(t, { comm = mode == "comm" and mpi.world or nil })
mpi.barrier()
local seconds = core.clock() - t0
if mpi.rank() == 0 then
  local parts = {}
  for i = 1, D:nrows() do
    for j = 1, D:ncols() do parts[#parts + 1] = ("%a"):format(D:get(i, j)) end
  end
  local sha = fs.sha256_string(table.concat(parts, " "))
  print(("seconds %.4f rows %d sha %s"):format(seconds, D:nrows(), sha))
end

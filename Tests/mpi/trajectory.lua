-- D̄ and V̄ of a multi-file trajectory (the 8 bundled dumps of data/raw-example read as one
-- stream, blocks of 2 frames) written as exact hex floats (%a) to arg[1] by rank 0:
--   descry Tests/mpi/trajectory.lua OUT THREADS [serial|comm]
-- "serial" calls bs:trajectory without a communicator; "comm" spreads the blocks over the
-- ranks of mpi.world. mpi_test.py compares the files byte for byte across rank and thread counts.
local atoms, desc = require "descry.atoms", require "descry.desc"
local mpi = require "descry.mpi"
local out, threads, mode = assert(arg[1]), tonumber(arg[2]) or 1, arg[3] or "comm"
local root = (arg[4] or "data/raw-example") .. "/"
local paths = {}
for m = 1, 8 do paths[m] = root .. ("traj%02d/dump.lammpstrj.gz"):format(m) end
local bs = desc.bispectrum{ twojmax = 6, rcutfac = 4.7, radelem = { 0.5 }, wj = { 1.0 }, rfac0 = 0.99363, threads = threads }
local t = atoms.open(paths)
local D, V, steps = bs:trajectory(t, { average = 2, virial = true, comm = mode == "comm" and mpi.world or nil })
assert(D:nrows() == 24 and V:ncols() == 6 * D:ncols() and #steps == 24, "24 blocks of 2 frames")
local lines = {}
for i = 1, D:nrows() do
  local row = { tostring(steps[i]) }
  for j = 1, D:ncols() do row[#row + 1] = ("%a"):format(D:get(i, j)) end
  for j = 1, V:ncols() do row[#row + 1] = ("%a"):format(V:get(i, j)) end
  lines[i] = table.concat(row, " ")
end
local text = table.concat(lines, "\n") .. "\n"
-- every rank holds the whole result
for k, other in ipairs(mpi.allgather(text)) do assert(other == text, ("rank %d holds other rows"):format(k - 1)) end
if mpi.rank() == 0 then
  local f = assert(io.open(out, "w"))
  f:write(text)
  f:close()
end

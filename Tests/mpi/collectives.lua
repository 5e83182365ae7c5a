-- Every collective of descry.mpi on every kind of value, communicator split and the errors,
-- run by every rank: `mpirun -n N descry Tests/mpi/collectives.lua N` (also without mpirun,
-- N = 1). Expected values are computed locally, in rank order. Any failed check raises, which
-- aborts the job (non-zero exit); success prints "collectives ok: rank R of N" on every rank.
local mpi = require "descry.mpi"
local la = require "descry.la"
local expected_size = tonumber(arg[1]) or 1
local r, n = mpi.rank(), mpi.size()

local function check(cond, what)
  if not cond then error(("rank %d: %s"):format(r, what), 2) end
end
local function same_bits(a, b) return string.pack("<d", a) == string.pack("<d", b) end
local function eq_matrix(a, b)
  if a:nrows() ~= b:nrows() or a:ncols() ~= b:ncols() then return false end
  for i = 1, a:nrows() do
    for j = 1, a:ncols() do
      if not same_bits(a:get(i, j), b:get(i, j)) then return false end
    end
  end
  return true
end
local function eq_list(a, b)
  if #a ~= #b then return false end
  for i = 1, #a do if not same_bits(a[i], b[i]) then return false end end
  return true
end
local function raises(pattern, f, ...)
  local ok, err = pcall(f, ...)
  check(not ok, "expected an error matching '" .. pattern .. "'")
  check(tostring(err):find(pattern, 1, true), "error '" .. tostring(err) .. "' lacks '" .. pattern .. "'")
end

check(n == expected_size, ("size %d, expected %d"):format(n, expected_size))
check(r >= 0 and r < n, "rank out of range")
check(mpi.world:rank() == r and mpi.world:size() == n, "mpi.world disagrees with mpi.rank/size")
check(type(mpi.note) == "string" or mpi.initialized, "without MPI the module says why")
if n > 1 then check(mpi.initialized and type(mpi.library) == "string", "under mpirun MPI is initialised") end

-- the value each rank contributes, of each kind (rank-dependent, with non-trivial bits)
local function number_of(k) return 0.1 * (k + 1) + 1e-17 * k end
local function integer_of(k) return 10 * k + 3 end
local function string_of(k) return ("rank\0%d:"):format(k) .. string.rep("x", k) end
local function list_of(k) return { number_of(k), -k, 1 / 3 + k } end
local function matrix_of(k, rows) return la.matrix{ { number_of(k), k }, { -k * 0.7, 1 / (k + 3) } }:rows(1, rows or 2) end

-- broadcast: from the last rank, every kind, bit for bit
local root = n - 1
check(same_bits(mpi.broadcast(number_of(r), root), number_of(root)), "broadcast number")
check(math.type(mpi.broadcast(integer_of(r), root)) == "integer" and mpi.broadcast(integer_of(r), root) == integer_of(root), "broadcast integer")
check(mpi.broadcast(string_of(r), root) == string_of(root), "broadcast string with NUL")
check(eq_list(mpi.broadcast(list_of(r), root), list_of(root)), "broadcast table")
check(eq_matrix(mpi.broadcast(matrix_of(r), root), matrix_of(root)), "broadcast matrix")
check(mpi.broadcast(r == 0 and "only root" or 42, 0) == "only root", "broadcast ignores the other ranks' values")

-- gather (to root 0 and to the last rank) and allgather, every kind; matrix rows may differ
for _, root_ in ipairs({ 0, n - 1 }) do
  local kinds = {
    { number_of, same_bits }, { integer_of, function(a, b) return a == b and math.type(a) == "integer" end },
    { string_of, function(a, b) return a == b end }, { list_of, eq_list },
    { function(k) return matrix_of(k, k % 2 + 1) end, eq_matrix },
  }
  for ki, kind in ipairs(kinds) do
    local make, eq = kind[1], kind[2]
    local g = mpi.gather(make(r), root_)
    if r == root_ then
      check(#g == n, "gather length")
      for k = 0, n - 1 do check(eq(g[k + 1], make(k)), ("gather kind %d from rank %d"):format(ki, k)) end
    else
      check(g == nil, "gather gives nil off the root")
    end
    local a = mpi.allgather(make(r))
    check(#a == n, "allgather length")
    for k = 0, n - 1 do check(eq(a[k + 1], make(k)), ("allgather kind %d from rank %d"):format(ki, k)) end
  end
end

-- reduce / allreduce: sum, min, max in rank order
local function fold(op, make, combine)
  local acc = make(0)
  for k = 1, n - 1 do acc = combine(op, acc, make(k)) end
  return acc
end
local function num(op, a, b)
  if op == "sum" then return a + b elseif op == "min" then return math.min(a, b) else return math.max(a, b) end
end
local function str(op, a, b)
  if op == "sum" then return a .. b elseif op == "min" then return (b < a) and b or a else return (a < b) and b or a end
end
local function lst(op, a, b)
  local out = {}
  for i = 1, #a do out[i] = num(op, a[i], b[i]) end
  return out
end
local function mat(op, a, b)
  local out = la.zeros(a:nrows(), a:ncols())
  for i = 1, a:nrows() do for j = 1, a:ncols() do out:set(i, j, num(op, a:get(i, j), b:get(i, j))) end end
  return out
end
for _, op in ipairs({ "sum", "min", "max" }) do
  local cases = {
    { number_of, num, same_bits }, { integer_of, num, function(a, b) return a == b and math.type(a) == "integer" end },
    { string_of, str, function(a, b) return a == b end }, { list_of, lst, eq_list },
    { matrix_of, mat, eq_matrix },
  }
  for ci, c in ipairs(cases) do
    local want = fold(op, c[1], c[2])
    local got = mpi.allreduce(c[1](r), op)
    check(c[3](got, want), ("allreduce %s, kind %d"):format(op, ci))
    local red = mpi.reduce(c[1](r), op, n - 1)
    if r == n - 1 then check(c[3](red, want), ("reduce %s, kind %d"):format(op, ci)) else check(red == nil, "reduce gives nil off the root") end
  end
end
-- integers and floats mixed: the sum is a float, as in Lua
local mixed = mpi.allreduce(r == 0 and 1 or 0.5, "sum")
check(mixed == 1 + 0.5 * (n - 1) and math.type(mixed) == (n > 1 and "float" or "integer"), "mixed integer/float sum")
-- NaN propagates through min and max
check(mpi.allreduce(r == n - 1 and 0 / 0 or 1.0, "max") ~= mpi.allreduce(r == n - 1 and 0 / 0 or 1.0, "max"), "NaN through max")

-- communicator split: even and odd ranks, ordered by descending rank (key = -rank)
local color = r % 2
local sub = mpi.split(color, -r)
local members = {}
for k = n - 1, 0, -1 do if k % 2 == color then members[#members + 1] = k end end
check(sub:size() == #members, "split size")
check(members[sub:rank() + 1] == r, "split orders ranks by key")
local member_sum = 0
for _, k in ipairs(members) do member_sum = member_sum + k end
check(sub:allreduce(r, "sum") == member_sum, "allreduce on the sub-communicator")
local g = sub:allgather(r)
check(eq_list(g, members), "allgather on the sub-communicator in key order")
check(sub:broadcast(r, 0) == members[1], "broadcast on the sub-communicator")
sub:barrier()
local none = mpi.split(r == 0 and 0 or nil)
check((r == 0) == (none ~= nil), "split with a nil colour gives nil")
if none then check(none:size() == 1 and none:rank() == 0, "a group of one") end
local nested = sub:split(0)
check(nested:size() == sub:size(), "split of a split")
check(tostring(sub):find("mpi.comm", 1, true), "tostring")

-- errors: every rank raises, nobody waits, and the communicator still works afterwards
if n > 1 then
  raises("mismatched values across ranks", mpi.gather, r == 0 and 1 or "x")
  raises("mismatched values across ranks", mpi.allgather, r == 0 and la.zeros(1, 2) or la.zeros(1, 3))
  raises("mismatched values across ranks", mpi.allreduce, la.ones(r + 1, 1), "sum")
  raises("mismatched values across ranks", mpi.reduce, r == 0 and { 1, 2 } or { 1 }, "min")
  if r == 1 then raises("number expected", mpi.allgather, { 1, "two" }) else raises("rank 1 gave no valid value", mpi.allgather, { 1, 2 }) end
  if r == 0 then raises("number, string, table of numbers or la.matrix expected", mpi.broadcast, print) else raises("root rank 0 gave no valid value", mpi.broadcast, 1) end
end
raises("root rank " .. n .. " is outside", mpi.gather, 1, n)
raises("root rank -1 is outside", mpi.broadcast, 1, -1)
raises("operator 'sum', 'min' or 'max' expected", mpi.allreduce, 1, "prod")
raises("colour must be in", mpi.split, -2)
check(mpi.allreduce(1, "sum") == n, "collectives work after the errors")
mpi.barrier()
print(("collectives ok: rank %d of %d"):format(r, n))

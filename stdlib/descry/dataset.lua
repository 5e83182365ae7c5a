--- descry.dataset: ensembles of descriptor trajectories stored as .npy arrays with a
-- manifest.json (the layout scripts/make-dataset writes, e.g. data/pt-np-900K/):
-- arrays of shape (M, T, ...) hold M trajectories of T snapshots each.
--
--   local ds = dataset.open("data/pt-np-900K")
--   ds.M, ds.T, ds.dt                 -- members, snapshots, snapshot interval (ps)
--   ds:stacked("Dbar")                -- (M·T) × 55, member-major rows
--   ds:trajectories("Dbar", {stride = 3, from = 1, to = T})  -- list of M matrices
--   ds:values("energy_avg")           -- (M·T) × 1 column, same row order as stacked
--   ds:rows(members, {stride, from, to})  -- row indices into stacked arrays
local la = require "descry.la"
local json = require "descry.json"
local core = require "descry.core"

local M = {}
local Dataset = {}
Dataset.__index = Dataset

local errors = require "descry.errors"
local function fail(msg) errors.raise("dataset: " .. msg) end

--- dataset.open(dir) -> dataset. Reads dir/manifest.json (needs fields M, T; times.npy
-- gives the snapshot times). Errors name the missing file.
function M.open(dir)
  if type(dir) ~= "string" then
    errors.argument(1, "dataset.open", "string", dir)
  end
  dir = dir:gsub("/+$", "")
  local ok, manifest = pcall(json.load, dir .. "/manifest.json")
  if not ok then fail("cannot read the dataset in '" .. dir .. "': " .. tostring(manifest):gsub("^.-json%.load: ", "")) end
  if math.type(manifest.M) ~= "integer" or math.type(manifest.T) ~= "integer" then
    fail(dir .. "/manifest.json lacks integer fields M and T")
  end
  local self = setmetatable({ dir = dir, manifest = manifest, M = manifest.M, T = manifest.T,
    cache = {} }, Dataset)
  local okt, times = pcall(la.load, dir .. "/times.npy")
  if okt then
    self.times = times
    self.dt = times:nrows() > 1 and (times:get(2, 1) - times:get(1, 1)) or nil
  end
  return self
end

--- ds:array(name) -> matrix, shape: the .npy file `name` flattened to rows × last dimension.
function Dataset:array(name)
  local hit = self.cache[name]
  if hit then return hit[1], hit[2] end
  local path = self.dir .. "/" .. name .. ".npy"
  local ok, m, shape = pcall(la.load, path, { flatten = true })
  if not ok then fail(tostring(m):gsub("^la%.load: ", "")) end
  if shape[1] ~= self.M then
    fail(("%s has shape {%s}, expected {%d, ...} (one entry per trajectory)"):format(path, table.concat(shape, ", "), self.M))
  end
  self.cache[name] = { m, shape }
  return m, shape
end

--- ds:load(name) -> matrix: an auxiliary .npy file of the dataset (e.g. bin centres), unchecked.
function Dataset:load(name)
  local ok, m = pcall(la.load, self.dir .. "/" .. name .. ".npy")
  if not ok then fail(tostring(m):gsub("^la%.load: ", "")) end
  return m
end

--- ds:stacked(name) -> (M·T) × d matrix of an (M, T, d) array (member-major rows).
function Dataset:stacked(name)
  local m, shape = self:array(name)
  if shape[2] ~= self.T then fail(("%s has %s snapshots per trajectory, expected %d"):format(name, tostring(shape[2]), self.T)) end
  if #shape == 2 then return m:reshape(self.M * self.T, 1) end
  if #shape ~= 3 then fail(name .. " is not an (M, T, d) array") end
  return m
end

--- ds:values(name) -> (M·T) × 1 column of an (M, T) array.
function Dataset:values(name)
  local m, shape = self:array(name)
  if shape[2] ~= self.T then fail(("%s has %s snapshots per trajectory, expected %d"):format(name, tostring(shape[2]), self.T)) end
  if #shape ~= 2 then fail(name .. " is not an (M, T) array") end
  return m:reshape(self.M * self.T, 1)
end

--- ds:rows(members [, {stride=1, from=1, to=T}]) -> array of row indices into stacked arrays
-- for the given members (a list, or nil for all) and snapshots from, from+stride, ... ≤ to.
function Dataset:rows(members, opts)
  opts = opts or {}
  local stride, from, to = opts.stride or 1, opts.from or 1, opts.to or self.T
  if from < 1 or to > self.T or stride < 1 then fail("snapshot range out of 1.." .. self.T) end
  local list = members or {}
  if not members then for m = 1, self.M do list[m] = m end end
  local out = {}
  for _, m in ipairs(list) do
    if m < 1 or m > self.M then fail("member " .. tostring(m) .. " out of 1.." .. self.M) end
    for t = from, to, stride do out[#out + 1] = (m - 1) * self.T + t end
  end
  return out
end

--- ds:trajectories(X [, {stride=1, from=1, to=T, members}]) -> list of matrices, one per member:
-- X is an array name or a stacked (M·T) × d matrix (e.g. transformed descriptors).
function Dataset:trajectories(X, opts)
  opts = opts or {}
  if type(X) == "string" then X = self:stacked(X) end
  local list = opts.members
  if not list then list = {} for m = 1, self.M do list[m] = m end end
  local out = {}
  for i, m in ipairs(list) do
    out[i] = X:rows(self:rows({ m }, opts))
  end
  return out
end

--- ds:time(t) -> time (ps) of snapshot t (1-based).
function Dataset:time(t)
  if not self.times then fail("times.npy missing") end
  return self.times:get(t, 1)
end

function Dataset:__tostring()
  return ("dataset %s: %d trajectories × %d snapshots%s"):format(self.dir, self.M, self.T,
    self.dt and (" every " .. self.dt .. " ps") or "")
end

require("descry.luadoc").attach(M, Dataset)

return M

--- descry.shard: descriptor runs split over independent jobs (a Slurm job array, several
-- machines) that merge exactly (issue 14). Each input file is one trajectory (an ensemble
-- member); D̄ rows (Swinburne, PRL 131, 236101 (2023)) are computed per file with
-- bs:trajectory and concatenated in input order. Shard i of n takes the i-th contiguous block of
-- files and writes a part file: a manifest (parameters, every input path, the SHA-256 and
-- frame rows of its own files) and its rows as exact hexadecimal floats. `merge` checks that
-- the parts agree and cover every file exactly once, and writes the same D.npy + manifest a
-- single-process run writes, bit for bit.
--
--   descry desc --twojmax 6 --rcutfac 4.7 [--average N] [--every K] --shard 2/7 --out part2.json FILE...
--   descry merge --out result part*.json          -- result.npy (T×K) and result.json
--   descry desc --twojmax 6 --rcutfac 4.7 --out result FILE...          -- the same, one process
local desc = require "descry.desc"
local la = require "descry.la"
local json = require "descry.json"
local fs = require "descry.fs"
local core = require "descry.core"
local errors = require "descry.errors"

local M = {}
M.format = "descry-desc-part-1"

local function fail(msg) errors.raise("shard: " .. msg) end

--- shard.parse(text) -> i, n: "i/n" with 1 ≤ i ≤ n (errors name the text).
function M.parse(text)
  local i, n = tostring(text):match("^(%d+)/(%d+)$")
  i, n = tonumber(i), tonumber(n)
  if not i or n < 1 or i < 1 or i > n then fail(("--shard expects i/n with 1 ≤ i ≤ n, got '%s'"):format(tostring(text))) end
  return i, n
end

--- shard.range(i, n, count) -> first, last: the files of shard i of n among `count` files, a
-- contiguous block (last < first when the shard has none).
function M.range(i, n, count)
  return (i - 1) * count // n + 1, i * count // n
end

-- the parameters that define the result: everything but threads
local parameter_keys = { "twojmax", "rcutfac", "rfac0", "rmin0", "radelem", "wj", "switchflag", "bzeroflag",
  "quadraticflag", "bnormflag", "wselfallflag", "average", "every" }

local function canonical(params)
  local out = {}
  for _, k in ipairs(parameter_keys) do out[k] = params[k] end
  return out
end

local function bispectrum(params, threads)
  local opts = { threads = threads }
  for _, k in ipairs(parameter_keys) do
    if k ~= "average" and k ~= "every" then opts[k] = params[k] end
  end
  return desc.bispectrum(opts)
end

--- shard.compute(inputs, params, i, n [, threads]) -> part table: D̄ rows of shard i of n
-- (files first..last of `inputs`, each file a trajectory averaged over params.average frames,
-- every params.every-th frame) with the manifest. params: desc.bispectrum options plus
-- average and every.
function M.compute(inputs, params, i, n, threads)
  local bs = bispectrum(params, threads)
  local first, last = M.range(i, n, #inputs)
  local part = { format = M.format, shard = { i, n }, parameters = canonical(params), inputs = inputs,
    files = {}, ncols = bs:ncols(), rows = {}, timesteps = {} }
  for k = first, last do
    local sha, size = fs.sha256(inputs[k])
    local D, _, steps = bs:trajectory(inputs[k], { average = params.average or 1, every = params.every or 1 })
    part.files[#part.files + 1] = { index = k, path = inputs[k], sha256 = sha, bytes = size,
      first_row = #part.timesteps + 1, nrows = D:nrows() }
    for r = 1, D:nrows() do
      part.timesteps[#part.timesteps + 1] = steps[r]
      for c = 1, D:ncols() do part.rows[#part.rows + 1] = ("%a"):format(D:get(r, c)) end
    end
  end
  return part
end

local function same(a, b)
  return json.encode(a) == json.encode(b)
end

--- shard.merge(parts) -> D (T×K la.matrix), manifest: checks that the parts come from the same
-- parameters and inputs, that shards 1..n are each given exactly once and cover every file
-- exactly once, then concatenates their rows in file order.
function M.merge(parts)
  if #parts == 0 then fail("merge: no parts given") end
  local ref = parts[1]
  local n = ref.shard[2]
  local seen = {}
  for _, p in ipairs(parts) do
    if p.format ~= M.format then fail(("merge: %s is not a descry desc part (format %s)"):format(p.source, tostring(p.format))) end
    if p.shard[2] ~= n then
      fail(("merge: %s is shard %d/%d but %s is shard %d/%d: parts of different splits"):format(
        p.source, p.shard[1], p.shard[2], ref.source, ref.shard[1], n))
    end
    if not same(p.parameters, ref.parameters) or p.ncols ~= ref.ncols then
      fail(("merge: %s and %s were computed with different parameters (%s vs %s)"):format(
        ref.source, p.source, json.encode(ref.parameters), json.encode(p.parameters)))
    end
    if not same(p.inputs, ref.inputs) then
      fail(("merge: %s and %s list different input files"):format(ref.source, p.source))
    end
    local i = p.shard[1]
    if seen[i] then fail(("merge: shard %d/%d given twice (%s and %s): overlapping parts"):format(i, n, seen[i].source, p.source)) end
    seen[i] = p
  end
  local missing = {}
  for i = 1, n do if not seen[i] then missing[#missing + 1] = ("%d/%d"):format(i, n) end end
  if #missing > 0 then fail("merge: missing shard(s) " .. table.concat(missing, ", ")) end
  local covered = {}
  local data, steps, files = {}, {}, {}
  for i = 1, n do
    local p = seen[i]
    local first, last = M.range(i, n, #ref.inputs)
    local expect = math.max(0, last - first + 1)
    if #p.files ~= expect then fail(("merge: %s covers %d files, shard %d/%d should cover %d"):format(p.source, #p.files, i, n, expect)) end
    for j, f in ipairs(p.files) do
      if f.index ~= first + j - 1 or f.path ~= ref.inputs[f.index] then
        fail(("merge: %s covers file %s, expected %s"):format(p.source, tostring(f.path), tostring(ref.inputs[first + j - 1])))
      end
      if covered[f.index] then fail(("merge: file %s covered twice"):format(f.path)) end
      covered[f.index] = true
      files[#files + 1] = { index = f.index, path = f.path, sha256 = f.sha256, bytes = f.bytes,
        first_row = #steps + 1, nrows = f.nrows }
      for r = f.first_row, f.first_row + f.nrows - 1 do
        steps[#steps + 1] = p.timesteps[r]
        for c = 1, p.ncols do
          local v = tonumber(p.rows[(r - 1) * p.ncols + c])
          if not v then fail(("merge: %s has a malformed value in row %d"):format(p.source, r)) end
          data[#data + 1] = v
        end
      end
    end
  end
  for k = 1, #ref.inputs do
    if not covered[k] then fail(("merge: file %s is covered by no part"):format(ref.inputs[k])) end
  end
  local D = la.matrix(data, #steps, ref.ncols)
  return D, { parameters = ref.parameters, inputs = ref.inputs, files = files, timesteps = steps, ncols = ref.ncols }
end

--- shard.write(prefix, D, manifest): prefix.npy (D, T×K) and prefix.json (parameters, inputs
-- with SHA-256 and rows, timesteps), each written atomically.
function M.write(prefix, D, manifest)
  la.save(prefix .. ".npy", D)
  json.save(prefix .. ".json", manifest)
end

--- shard.load(path) -> part table (json.load of a part file, its path as part.source).
function M.load(path)
  local ok, p = pcall(json.load, path)
  if not ok then fail(("cannot read part %s: %s"):format(path, tostring(p))) end
  if type(p) ~= "table" or type(p.shard) ~= "table" then fail(("%s is not a descry desc part"):format(path)) end
  p.source = path
  return p
end

local usage_desc = "usage: descry desc --twojmax N --rcutfac X [--rfac0 X] [--rmin0 X] [--radelem a,b,..] [--wj a,b,..]"
  .. " [--average N] [--every K] [--threads N] [--shard i/n] --out PATH FILE..."

local function numbers(text)
  local out = {}
  for x in tostring(text):gmatch("[^,]+") do
    local v = tonumber(x)
    if not v then fail(("expected numbers separated by commas, got '%s'"):format(text)) end
    out[#out + 1] = v
  end
  return out
end

local value_options = { twojmax = "integer", rcutfac = "number", rfac0 = "number", rmin0 = "number",
  radelem = "list", wj = "list", average = "integer", every = "integer", threads = "integer", shard = "text", out = "text" }

local function parse_args(args)
  local opts, files = {}, {}
  local k = 1
  while k <= #args do
    local a = args[k]
    local name = a:match("^%-%-(.+)$")
    if name then
      local kind = value_options[name]
      if not kind then fail(("unknown option --%s\n%s"):format(name, usage_desc)) end
      local v = args[k + 1]
      if v == nil then fail(("--%s needs a value"):format(name)) end
      if kind == "integer" then
        v = math.tointeger(tonumber(v))
        if not v then fail(("--%s expects an integer, got '%s'"):format(name, args[k + 1])) end
      elseif kind == "number" then
        v = tonumber(v)
        if not v then fail(("--%s expects a number, got '%s'"):format(name, args[k + 1])) end
      elseif kind == "list" then
        v = numbers(v)
      end
      opts[name] = v
      k = k + 2
    else
      for _, p in ipairs(fs.glob(a)) do files[#files + 1] = p end
      if not a:find("[*?%[]") and #fs.glob(a) == 0 then files[#files + 1] = a end
      k = k + 1
    end
  end
  return opts, files
end

--- The exit status of a sub-command whose body ran under pcall: 0, or 2 after printing
-- "descry NAME: message" (the message without its "shard: " prefix).
local function exit_status(name, ok, err)
  if ok then return 0 end
  io.stderr:write("descry " .. name .. ": " .. tostring(err):gsub("^shard: ", "") .. "\n")
  return 2
end

--- shard.command(args) -> exit status: `descry desc` (see the module comment). Writes a part
-- file with --shard, else the merged-form result prefix.npy/prefix.json.
function M.command(args)
  local ok, err = pcall(function()
    local opts, files = parse_args(args)
    if not opts.out then fail("--out is required\n" .. usage_desc) end
    if not opts.twojmax or not opts.rcutfac then fail("--twojmax and --rcutfac are required\n" .. usage_desc) end
    if #files == 0 then fail("no input files\n" .. usage_desc) end
    local params = {}
    for _, key in ipairs(parameter_keys) do params[key] = opts[key] end
    params.average = params.average or 1
    params.every = params.every or 1
    if opts.shard then
      local i, n = M.parse(opts.shard)
      local part = M.compute(files, params, i, n, opts.threads)
      json.save(opts.out, part)
      io.stderr:write(("descry desc: shard %d/%d: %d file(s), %d row(s) -> %s\n"):format(i, n, #part.files, #part.timesteps, opts.out))
    else
      local part = M.compute(files, params, 1, 1, opts.threads)
      part.source = "(this run)"
      local D, manifest = M.merge({ part })
      M.write(opts.out, D, manifest)
      io.stderr:write(("descry desc: %d file(s), %d row(s) -> %s.npy, %s.json\n"):format(#files, D:nrows(), opts.out, opts.out))
    end
  end)
  return exit_status("desc", ok, err)
end

--- shard.merge_command(args) -> exit status: `descry merge --out PREFIX PART...`.
function M.merge_command(args)
  local ok, err = pcall(function()
    local out
    local paths = {}
    local k = 1
    while k <= #args do
      if args[k] == "--out" then
        out = args[k + 1]
        k = k + 2
      else
        paths[#paths + 1] = args[k]
        k = k + 1
      end
    end
    if not out then fail("usage: descry merge --out PREFIX PART...") end
    local parts = {}
    for _, p in ipairs(paths) do parts[#parts + 1] = M.load(p) end
    local D, manifest = M.merge(parts)
    M.write(out, D, manifest)
    io.stderr:write(("descry merge: %d part(s), %d row(s) -> %s.npy, %s.json\n"):format(#parts, D:nrows(), out, out))
  end)
  return exit_status("merge", ok, err)
end

return M

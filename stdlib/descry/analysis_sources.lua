--- descry.analysis_sources: reads the data an ensemble description points at — .npy arrays
-- (per trajectory, or stacked with a leading trajectory axis), CSV with named columns (including
-- OVITO table exports with a '#' header), LAMMPS fix ave/time files, log.lammps thermo columns
-- and dumps from which D̄/V̄ are computed — and checks it like data: missing files, misnamed
-- columns, wrong shapes, unequal counts, unsorted or duplicated times and NaN rows are errors
-- naming the description file and key.
local la, atoms, fs, core = require "descry.la", require "descry.atoms", require "descry.fs", require "descry.core"
local schema = require "descry.analysis_schema"

local M = {}
core.setdoc(M, "descry.analysis_sources: reading and checking the data sources of an ensemble description (npy, csv, ave_time, log, dump).")

--- Path of a source for trajectory tr: {id}, {dir}, {i}, {i0} substituted; relative paths are
-- taken from the description's folder `base`.
function M.path(base, pattern, tr)
  local p = pattern:gsub("{(%w+)}", function(k)
    if k == "id" then return tr.id end
    if k == "dir" then return tr.dir end
    if k == "i" then return tostring(tr.index) end
    if k == "i0" then return tostring(tr.index - 1) end
    return nil
  end)
  if p:sub(1, 1) ~= "/" and base ~= "" then p = base .. "/" .. p end
  return p
end
core.setdoc(M.path, "analysis_sources.path(base, pattern, trajectory) -> path with {id}, {dir}, {i}, {i0} substituted, relative to base.")

-- The context of one loading pass: description file, its folder, caches, and the inputs read.
local Context = {}
Context.__index = Context

--- A loading context for description `file` (folder `base`).
function M.context(file, base)
  return setmetatable({ file = file, base = base, cache = {}, inputs = {}, seen = {} }, Context)
end
core.setdoc(M.context, "analysis_sources.context(file, base) -> loading context (caches, input provenance).")

function Context:fail(key, msg) schema.fail(self.file, key, msg) end

--- Records an input file (path, size, SHA-256) for the manifest, once.
function Context:record(path)
  if self.seen[path] then return end
  self.seen[path] = true
  local hex, size = fs.sha256(path)
  self.inputs[#self.inputs + 1] = { path = path, size = size, sha256 = hex }
end

function Context:need_file(key, path, what)
  if fs.kind(path) ~= "file" then
    self:fail(key, ("file '%s' not found (expected %s)"):format(path, what))
  end
end

local function strip(msg) return (tostring(msg):gsub("^[%w%.]+: ", "")) end

--- Column indices from a selection (names or 1-based indices, a 'c_x[*]' wildcard, or nil for
-- all except `skip`) against the available names.
function Context:select(key, src, names, ncols, skip)
  local want = src.columns
  if src.column ~= nil then want = { src.column } end
  local out = {}
  if want == nil then
    for j = 1, ncols do if j ~= skip then out[#out + 1] = j end end
    return out
  end
  if type(want) == "string" then
    local stem = want:sub(1, -4)
    for j, n in ipairs(names or {}) do
      if n:sub(1, #stem + 1) == stem .. "[" then out[#out + 1] = j end
    end
    if #out == 0 then
      self:fail(key .. ".columns", ("no column matches '%s' (have: %s)"):format(want, table.concat(names or {}, ", ")))
    end
    return out
  end
  for i, c in ipairs(want) do
    local j
    if math.type(c) == "integer" then
      if c > ncols then self:fail(key .. (src.column and ".column" or (".columns[" .. i .. "]")), ("column %d out of range: the file has %d columns"):format(c, ncols)) end
      j = c
    else
      for jj, n in ipairs(names or {}) do if n == c then j = jj end end
      if not j then
        self:fail(key .. (src.column and ".column" or (".columns[" .. i .. "]")),
          ("no column named '%s' (have: %s)"):format(c, names and table.concat(names, ", ") or "no header"))
      end
    end
    out[#out + 1] = j
  end
  return out
end

local function take_columns(m, idx)
  local cols = {}
  for i, j in ipairs(idx) do cols[i] = m:col(j) end
  return la.hcat(cols)
end

--- Names from a '#' header line (OVITO table export: "# \"Timestep\" \"Potential Energy\"").
local function comment_header(path)
  local f = io.open(path, "r")
  if not f then return nil end
  local first
  for line in f:lines() do
    if line:match("%S") then first = line break end
  end
  f:close()
  if not first or not first:match("^%s*#") then return nil end
  local names = {}
  local rest = first:gsub("^%s*#%s*", "")
  for quoted, plain in rest:gmatch('"([^"]*)"%s*|([^%s"]+)') do names[#names + 1] = quoted ~= "" and quoted or plain end
  if #names == 0 then
    for q in rest:gmatch('"([^"]*)"') do names[#names + 1] = q end
    if #names == 0 then for w in rest:gmatch("%S+") do names[#names + 1] = w end end
  end
  return names
end

--- Reads a CSV / whitespace table with named columns.
function Context:read_csv(key, path, src)
  local delim = src.delimiter
  if not delim then delim = (path:match("%.csv$") and ",") or (path:match("%.tsv$") and "\t") or " " end
  local names = comment_header(path)
  local opts = { delimiter = delim }
  if names then opts.header = false end
  local ok, m, header = pcall(la.loadcsv, path, opts)
  if not ok then self:fail(key, "cannot read '" .. path .. "': " .. strip(m)) end
  return m, header or names
end

--- Opens a log.lammps through atoms.read_log (thermo blocks of every run and minimize).
function Context:open_log(key, path)
  if type(atoms.read_log) ~= "function" then
    self:fail(key .. ".log", "this descry has no log.lammps reader (atoms.read_log)")
  end
  local ok, lg = pcall(atoms.read_log, path)
  if not ok then self:fail(key, "cannot read '" .. path .. "': " .. strip(lg)) end
  if #lg == 0 then self:fail(key .. ".log", "'" .. path .. "' holds no thermo output") end
  return lg
end

--- Loads a stacked .npy (leading axis = trajectory) once; returns the slice of trajectory i.
function Context:stacked_npy(key, path, i, ntraj)
  local hit = self.cache[path]
  if not hit then
    local ok, m, shape = pcall(la.load, path, { flatten = true })
    if not ok then self:fail(key, "cannot read '" .. path .. "': " .. strip(m)) end
    if not shape then shape = { m:nrows(), m:ncols() } end
    if shape[1] ~= ntraj then
      self:fail(key .. ".stacked", ("'%s' has shape {%s}: expected {%d, T, ...} (one entry per trajectory)"):format(path, table.concat(shape, ", "), ntraj))
    end
    if #shape < 2 then self:fail(key, ("'%s' is 1-D: a stacked array needs shape (M, T, ...)"):format(path)) end
    local T = shape[2]
    local total = m:size()
    local d = total // (ntraj * T)
    if #shape == 2 and m:ncols() == T then m = m:reshape(ntraj * T, 1) d = 1 end
    m = m:reshape(ntraj * T, d)
    hit = { m = m, T = T, shape = shape }
    self.cache[path] = hit
    self:record(path)
  end
  return hit.m:rows((i - 1) * hit.T + 1, i * hit.T), hit.shape
end

--- Reads source `src` at `key` for trajectory tr: returns matrix (rows × columns), column names
-- (or nil) and the MD step of each row (array, or nil when the source has none).
function Context:read(key, src, tr, ntraj, opts)
  local kind
  for _, k in ipairs(schema.source_kinds) do if src[k] ~= nil then kind = k end end
  local path = M.path(self.base, src[kind], tr)
  local fkey = key .. "." .. kind
  if kind == "dump" then return self:read_dump(fkey, key, path, src, tr, opts) end
  if kind == "positions" then return self:read_positions(fkey, key, path, src) end
  if kind == "npy" and src.stacked then
    self:need_file(fkey, path, "a .npy array of shape (M, T, ...)")
    local m, shape = self:stacked_npy(key, path, tr.index, ntraj)
    if src.column or src.columns then m = take_columns(m, self:select(key, src, nil, m:ncols())) end
    return m, nil, nil, shape
  end
  self:need_file(fkey, path, kind == "npy" and "a .npy array" or ("a " .. kind .. " file"))
  self:record(path)
  local m, names, steps
  if kind == "npy" then
    local ok, mm, shape = pcall(la.load, path, { flatten = true })
    if not ok then self:fail(key, "cannot read '" .. path .. "': " .. strip(mm)) end
    m = mm
    if shape and #shape > 2 then m = m:reshape(shape[1], m:size() // shape[1]) end
    if src.column or src.columns then m = take_columns(m, self:select(key, src, nil, m:ncols())) end
    return m, nil, nil
  elseif kind == "csv" then
    local raw, header = self:read_csv(key, path, src)
    local idx = self:select(key, src, header, raw:ncols())
    m = take_columns(raw, idx)
    names = {}
    for i, j in ipairs(idx) do names[i] = header and header[j] or ("column " .. j) end
    return m, names, nil
  elseif kind == "ave_time" then
    local ok, raw, header = pcall(atoms.avetime, path)
    if not ok then self:fail(key, "cannot read '" .. path .. "': " .. strip(raw)) end
    local idx = self:select(key, src, header, raw:ncols(), 1)
    m = take_columns(raw, idx)
    steps = raw:col(1):totable()
    names = {}
    for i, j in ipairs(idx) do names[i] = header[j] end
    return m, names, M.flatten(steps)
  elseif kind == "log" then
    local lg = self:open_log(key, path)
    local runs
    if src.run ~= nil then
      if math.type(src.run) ~= "integer" or src.run < 1 or src.run > #lg then
        self:fail(key .. ".run", ("expected a thermo block number in 1..%d, got %s"):format(#lg, tostring(src.run)))
      end
      runs = { src.run }
    end
    local header = runs and lg:run(src.run).columns or lg:names()
    local step_col
    for j, n in ipairs(header) do if n == "Step" then step_col = j end end
    local idx = self:select(key, src, header, #header, step_col)
    names = {}
    for i, j in ipairs(idx) do names[i] = header[j] end
    local ok, mm, st = pcall(lg.columns, lg, names, { runs = runs })
    if not ok then self:fail(key, "cannot read '" .. path .. "': " .. strip(mm)) end
    return mm, names, st and M.flatten(st:totable()) or nil
  end
end

--- A flat Lua array from la's totable of a column ({{a}, {b}} or {a, b}).
function M.flatten(t)
  local out = {}
  for i, v in ipairs(t) do out[i] = type(v) == "table" and v[1] or v end
  return out
end
core.setdoc(M.flatten, "analysis_sources.flatten(t) -> flat array from a column's totable().")

--- The MPI world when descry runs under an MPI launcher with more than one rank, else nil.
function M.mpi_world()
  local mpi = require "descry.mpi"
  if mpi.world:size() > 1 then return mpi.world end
  return nil
end
core.setdoc(M.mpi_world, "analysis_sources.mpi_world() -> the descry.mpi world when it has more than one rank (mpirun), else nil.")

--- D̄ (and V̄) of a trajectory computed from its dumps with desc.bispectrum (cached per path,
-- so descriptors and virials from the same dumps are computed once).
function Context:read_dump(fkey, key, path, src, tr, opts)
  local desc = require "descry.desc"
  local paths = fs.glob(path)
  if #paths == 0 then self:fail(fkey, ("no dump file matches '%s'"):format(path)) end
  local ck = "dump:" .. path
  local hit = self.cache[ck]
  if not hit then
    for _, p in ipairs(paths) do self:record(p) end
    local okb, bs = pcall(desc.bispectrum, src.bispectrum)
    if not okb then self:fail(key .. ".bispectrum", strip(bs)) end
    local okt, frames = pcall(atoms.open, paths, src.format and { format = src.format } or nil)
    if not okt then self:fail(fkey, "cannot open '" .. path .. "': " .. strip(frames)) end
    -- under mpirun the blocks of each trajectory are spread over the ranks (bit-identical rows)
    local world = M.mpi_world()
    local ok, D, V, steps = pcall(bs.trajectory, bs, frames, { average = src.average, every = src.every,
      virial = opts and opts.virial or false, threads = src.threads, max = src.max, comm = world })
    if not ok then self:fail(fkey, "cannot compute D̄ from '" .. path .. "': " .. strip(D)) end
    hit = { D = D, V = V, steps = steps }
    self.cache[ck] = hit
  end
  local m = (opts and opts.want == "virials") and hit.V or hit.D
  if not m then self:fail(fkey, "virials from dumps need virials = {dump = same path as descriptors, ...}") end
  return m, nil, hit.steps
end

--- An observable computed from stored positions (dumps, extxyz): g(r) of every frame
-- (f:rdf(rmax, bins), LAMMPS compute rdf) or the mean coordination number within a cutoff
-- (LAMMPS compute coord/atom); rows carry the frames' MD steps for alignment.
function Context:read_positions(fkey, key, path, src)
  local paths = fs.glob(path)
  if #paths == 0 then self:fail(fkey, ("no file matches '%s'"):format(path)) end
  for _, p in ipairs(paths) do self:record(p) end
  local okt, t = pcall(atoms.open, paths, src.format and { format = src.format } or nil)
  if not okt then self:fail(fkey, "cannot open '" .. path .. "': " .. strip(t)) end
  local rows, steps, axis = {}, {}, nil
  local ok, err = pcall(function()
    for f in t.next, t do
      if src.compute == "rdf" then
        local r, g = f:rdf(src.rmax, src.bins, src.volume and { volume = src.volume } or nil)
        axis = axis or r
        rows[#rows + 1] = g:t()
      else
        rows[#rows + 1] = la.matrix{ { f:coordination(src.cutoff):mean() } }
      end
      steps[#steps + 1] = f:timestep()
    end
  end)
  if not ok then self:fail(fkey, "cannot compute " .. src.compute .. " from '" .. path .. "': " .. strip(err)) end
  if #rows == 0 then self:fail(fkey, "'" .. path .. "' holds no frames") end
  self.axis = self.axis or {}
  self.axis[key] = axis
  return la.vcat(rows), nil, steps
end

--- First row of m holding a NaN or infinity (nil when all finite).
function M.first_bad_row(m)
  local s = m:sum()
  if s == s and s ~= math.huge and s ~= -math.huge then return nil end
  local rs = M.flatten(m:sum(2):totable())
  for i, v in ipairs(rs) do
    if v ~= v or v == math.huge or v == -math.huge then return i end
  end
  return nil
end
core.setdoc(M.first_bad_row, "analysis_sources.first_bad_row(m) -> index of the first row with NaN/Inf, or nil.")

for name, f in pairs(Context) do
  if type(f) == "function" and not name:match("^__") then core.setdoc(f, "loading context method " .. name .. " (analysis_sources).") end
end

return M

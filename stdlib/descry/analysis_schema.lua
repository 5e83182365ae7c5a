--- descry.analysis_schema: the ensemble description of `descry analyse` — its keys, their types
-- and defaults, and the validation that turns a mistake into one line naming the description
-- file, the key and what was expected. The schema is documented in docs/ensemble.md.
local core = require "descry.core"

local M = {}
core.setdoc(M, "descry.analysis_schema: keys, defaults and validation of ensemble descriptions (docs/ensemble.md).")

--- Error object of a bad ensemble description: file, key and message. tostring gives the line.
local DescriptionError = {}
DescriptionError.__index = DescriptionError
DescriptionError.__tostring = function(e) return ("%s: %s: %s"):format(e.file, e.key, e.message) end
M.DescriptionError = DescriptionError

--- Raises a DescriptionError for `file`, `key` with `message`.
function M.fail(file, key, message)
  error(setmetatable({ file = file, key = key, message = message }, DescriptionError), 0)
end
core.setdoc(M.fail, "analysis_schema.fail(file, key, message): raises a description error naming file and key.")

--- True when e is a DescriptionError.
function M.is_error(e)
  return getmetatable(e) == DescriptionError
end
core.setdoc(M.is_error, "analysis_schema.is_error(e) -> boolean: e is a description error (file, key, message).")

-- LAMMPS unit styles and the time unit of each (LAMMPS `units` command).
M.time_units = { metal = "ps", real = "fs", si = "s", cgs = "s", electron = "fs", micro = "µs", nano = "ns", lj = "τ" }
M.energy_units = { metal = "eV", real = "kcal/mol", si = "J", cgs = "erg", electron = "Hartree", micro = "pg·µm²/µs²", nano = "ag·nm²/ns²", lj = "ε" }

-- The source kinds and the options each accepts.
M.source_kinds = { "npy", "csv", "ave_time", "log", "dump", "positions" }
local source_options = {
  npy = { stacked = true, column = true, columns = true },
  csv = { column = true, columns = true, delimiter = true },
  ave_time = { column = true, columns = true },
  log = { column = true, columns = true, run = true },
  dump = { bispectrum = true, average = true, every = true, threads = true, max = true, format = true },
  positions = { compute = true, rmax = true, bins = true, cutoff = true, volume = true, format = true },
}

local top_keys = { name = "string", description = "string", units = "string", natoms = "integer or list",
  trajectories = "list or table", time = "table", descriptors = "table", virials = "table",
  observables = "table", split = "table", analysis = "table" }

local analysis_defaults = {
  seed = 1,
  standardise = true,
  steps = { "estimators", "order", "forecast", "resampling", "pca", "idim", "coverage" },
  estimator = { method = "bayes_ridge", basis = 8 },
  var = { order = 1, max_order = 3, orders = { 1, 2, 3 }, stride = 1, t0 = false, train = false, bags = 20,
    coverage = 0.3, samples = 10, latent = 15, observable = false, threshold = 2, epistemic = "member" },
  resampling = { factor = 100 },
  idim = { methods = { "twonn", "danco", "mle" }, window = false, step = false, discard = 0.1, danco_k = 10, mle_k = 20 },
  coverage = { samples = 200, level = 0.95, windows = 5 },
  plots = true,
}
M.analysis_defaults = analysis_defaults
M.steps = { "estimators", "order", "forecast", "resampling", "pca", "idim", "coverage" }

local function is_list(t)
  if type(t) ~= "table" then return false end
  local n = #t
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 or k > n then return false end
  end
  return true
end
M.is_list = core.setdoc(is_list, "analysis_schema.is_list(t) -> boolean: t is a sequence 1..n with no other keys.")

local function sorted_keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = tostring(k) end
  table.sort(out)
  return out
end

--- Fails on any key of t not in `allowed` (a set), naming the nearest key path.
local function check_keys(file, prefix, t, allowed)
  for k in pairs(t) do
    if type(k) ~= "string" or allowed[k] == nil then
      M.fail(file, prefix .. tostring(k), "unknown key (expected one of: " .. table.concat(sorted_keys(allowed), ", ") .. ")")
    end
  end
end

local function expect(file, key, v, kind, detail)
  local ok
  if kind == "string" then ok = type(v) == "string" and v ~= ""
  elseif kind == "integer" then ok = math.type(v) == "integer"
  elseif kind == "positive integer" then ok = math.type(v) == "integer" and v >= 1
  elseif kind == "number" then ok = type(v) == "number" and v == v
  elseif kind == "positive number" then ok = type(v) == "number" and v > 0 and v < math.huge
  elseif kind == "boolean" then ok = type(v) == "boolean"
  elseif kind == "table" then ok = type(v) == "table"
  elseif kind == "list" then ok = is_list(v) and #v > 0
  else error("schema: unknown kind " .. kind) end
  if not ok then
    M.fail(file, key, ("expected %s%s, got %s"):format(kind, detail and (" (" .. detail .. ")") or "",
      type(v) == "string" and ("'" .. v .. "'") or tostring(v)))
  end
  return v
end
M.expect = core.setdoc(expect, "analysis_schema.expect(file, key, value, kind [, detail]) -> value; fails naming file and key unless value is of kind (string, integer, positive integer, number, positive number, boolean, table, list).")

--- Validates one data source table (npy/csv/ave_time/log/dump + options) at `key`.
-- extra: set of additional keys allowed at this level (label, unit, kind, ...).
function M.check_source(file, key, src, extra, allow_dump)
  expect(file, key, src, "table")
  local kind
  for _, k in ipairs(M.source_kinds) do
    if src[k] ~= nil then
      if kind then M.fail(file, key, ("give one source, got both '%s' and '%s'"):format(kind, k)) end
      kind = k
    end
  end
  if not kind then
    M.fail(file, key, "no source: expected one of npy, csv, ave_time, log" .. (allow_dump and ", dump" or ", positions") .. " = PATH")
  end
  if kind == "dump" and not allow_dump then
    M.fail(file, key .. ".dump", "dumps are a source of descriptors and virials only (observables: npy, csv, ave_time, log)")
  end
  expect(file, key .. "." .. kind, src[kind], "string", "a path, relative to the description; {id}, {i}, {i0} are substituted")
  local allowed = { [kind] = true }
  for k in pairs(source_options[kind]) do allowed[k] = true end
  for k in pairs(extra or {}) do allowed[k] = true end
  check_keys(file, key .. ".", src, allowed)
  if src.column ~= nil and src.columns ~= nil then M.fail(file, key, "give column or columns, not both") end
  if src.column ~= nil and not (math.type(src.column) == "integer" and src.column >= 1 or type(src.column) == "string") then
    M.fail(file, key .. ".column", "expected a column name or a 1-based index, got " .. tostring(src.column))
  end
  if src.columns ~= nil then
    if type(src.columns) == "string" then
      if not src.columns:match("%[%*%]$") then
        M.fail(file, key .. ".columns", "expected a list, or a LAMMPS wildcard name ending in [*] such as 'c_dsum[*]'")
      end
    else
      expect(file, key .. ".columns", src.columns, "list")
      for i, c in ipairs(src.columns) do
        if not (math.type(c) == "integer" and c >= 1 or type(c) == "string") then
          M.fail(file, ("%s.columns[%d]"):format(key, i), "expected a column name or a 1-based index, got " .. tostring(c))
        end
      end
    end
  end
  if src.stacked ~= nil then expect(file, key .. ".stacked", src.stacked, "boolean") end
  if kind == "positions" then
    if allow_dump then M.fail(file, key .. ".positions", "positions compute observables (g(r), coordination), not descriptors: use dump = PATH") end
    if src.compute ~= "rdf" and src.compute ~= "coordination" then
      M.fail(file, key .. ".compute", "expected 'rdf' (g(r) of each frame) or 'coordination' (mean coordination number), got " .. tostring(src.compute))
    end
    if src.compute == "rdf" then
      expect(file, key .. ".rmax", src.rmax, "positive number", "largest r of g(r) in Å")
      expect(file, key .. ".bins", src.bins, "positive integer")
      if src.volume ~= nil then expect(file, key .. ".volume", src.volume, "positive number", "Å³; for a free cluster") end
    else
      expect(file, key .. ".cutoff", src.cutoff, "positive number", "coordination cutoff in Å")
    end
  end
  if kind == "dump" then
    expect(file, key .. ".bispectrum", src.bispectrum, "table", "desc.bispectrum parameters: twojmax, rcutfac, radelem, wj, ...")
    for _, o in ipairs({ "average", "every", "threads", "max" }) do
      if src[o] ~= nil then expect(file, key .. "." .. o, src[o], "positive integer") end
    end
  end
  return kind
end
core.setdoc(M.check_source, "analysis_schema.check_source(file, key, src, extra_keys, allow_dump) -> kind: validates a data source {npy|csv|ave_time|log|dump = PATH, column(s), ...}.")

--- Trajectory list: {ids...}, {{id=, dir=}...} or {glob = PATTERN [, id = LUA_PATTERN]}.
local function check_trajectories(file, t, glob)
  local key = "trajectories"
  if type(t) ~= "table" then M.fail(file, key, "expected a list of ids, a list of {id=, dir=} or {glob = PATTERN}, got " .. type(t)) end
  local out = {}
  if t.glob ~= nil then
    check_keys(file, "trajectories.", t, { glob = true, id = true })
    expect(file, "trajectories.glob", t.glob, "string")
    if t.id ~= nil then expect(file, "trajectories.id", t.id, "string", "a Lua pattern with one capture") end
    local paths = glob(t.glob)
    if #paths == 0 then M.fail(file, "trajectories.glob", "no path matches '" .. t.glob .. "'") end
    for i, p in ipairs(paths) do
      local id = p:match("([^/]+)/*$")
      if t.id then
        id = p:match(t.id)
        if not id then M.fail(file, "trajectories.id", ("pattern '%s' does not match '%s'"):format(t.id, p)) end
      end
      out[i] = { id = id, dir = p }
    end
  else
    if not is_list(t) or #t == 0 then
      M.fail(file, key, "expected a non-empty list of ids or {id=, dir=} tables, or {glob = PATTERN}")
    end
    for i, e in ipairs(t) do
      if type(e) == "string" and e ~= "" then
        out[i] = { id = e, dir = e }
      elseif type(e) == "table" then
        check_keys(file, ("trajectories[%d]."):format(i), e, { id = true, dir = true })
        expect(file, ("trajectories[%d].id"):format(i), e.id, "string")
        out[i] = { id = e.id, dir = e.dir or e.id }
      else
        M.fail(file, ("trajectories[%d]"):format(i), "expected an id (string) or {id=, dir=}, got " .. tostring(e))
      end
    end
  end
  local seen = {}
  for i, tr in ipairs(out) do
    if seen[tr.id] then M.fail(file, ("trajectories[%d]"):format(i), ("duplicated id '%s' (also trajectory %d)"):format(tr.id, seen[tr.id])) end
    seen[tr.id] = i
    tr.index = i
  end
  if #out < 2 then M.fail(file, key, "an ensemble needs at least 2 trajectories, got " .. #out) end
  return out
end

--- Merges defaults into the analysis settings (deep for sub-tables), checking keys and types.
local function check_analysis(file, a)
  a = a or {}
  expect(file, "analysis", a, "table")
  check_keys(file, "analysis.", a, analysis_defaults)
  local out = {}
  for k, default in pairs(analysis_defaults) do
    local v = a[k]
    if type(default) == "table" and not is_list(default) then
      if v ~= nil then expect(file, "analysis." .. k, v, "table") end
      v = v or {}
      check_keys(file, "analysis." .. k .. ".", v, default)
      local sub = {}
      for kk, dd in pairs(default) do
        if v[kk] == nil then sub[kk] = dd else sub[kk] = v[kk] end
      end
      out[k] = sub
    elseif v == nil then
      out[k] = default
    else
      out[k] = v
    end
  end
  expect(file, "analysis.seed", out.seed, "integer")
  expect(file, "analysis.standardise", out.standardise, "boolean")
  expect(file, "analysis.plots", out.plots, "boolean")
  expect(file, "analysis.steps", out.steps, "list")
  local known = {}
  for _, s in ipairs(M.steps) do known[s] = true end
  for i, s in ipairs(out.steps) do
    if not known[s] then M.fail(file, ("analysis.steps[%d]"):format(i), ("unknown step '%s' (expected: %s)"):format(tostring(s), table.concat(M.steps, ", "))) end
  end
  local e = out.estimator
  if not ({ bayes_ridge = true, ridge = true, ols = true })[e.method] then
    M.fail(file, "analysis.estimator.method", "expected 'bayes_ridge', 'ridge' or 'ols', got " .. tostring(e.method))
  end
  expect(file, "analysis.estimator.basis", e.basis, "positive integer", "principal components of a vector observable")
  local v = out.var
  if not (math.type(v.order) == "integer" and v.order >= 1 or v.order == "aic" or v.order == "bic") then
    M.fail(file, "analysis.var.order", "expected an integer P ≥ 1, 'aic' or 'bic', got " .. tostring(v.order))
  end
  expect(file, "analysis.var.max_order", v.max_order, "positive integer")
  expect(file, "analysis.var.orders", v.orders, "list")
  for i, p in ipairs(v.orders) do expect(file, ("analysis.var.orders[%d]"):format(i), p, "positive integer") end
  expect(file, "analysis.var.stride", v.stride, "positive integer", "δτ = stride × sampling interval")
  if v.t0 then expect(file, "analysis.var.t0", v.t0, "number") end
  if v.train then
    expect(file, "analysis.var.train", v.train, "list", "training-window lengths τ_tr in time units")
    for i, w in ipairs(v.train) do expect(file, ("analysis.var.train[%d]"):format(i), w, "positive number") end
  end
  expect(file, "analysis.var.bags", v.bags, "positive integer")
  if v.bags < 2 then M.fail(file, "analysis.var.bags", "bagging needs at least 2 subsets, got " .. v.bags) end
  expect(file, "analysis.var.coverage", v.coverage, "positive number")
  if v.coverage > 1 then M.fail(file, "analysis.var.coverage", "expected a fraction in (0, 1], got " .. v.coverage) end
  expect(file, "analysis.var.samples", v.samples, "positive integer")
  expect(file, "analysis.var.latent", v.latent, "positive integer")
  expect(file, "analysis.var.threshold", v.threshold, "positive number")
  local draws = { member = true, mean = true, diagonal = true, full = true }
  if not draws[v.epistemic] then
    M.fail(file, "analysis.var.epistemic", "expected \"member\", \"mean\", \"diagonal\" or \"full\" (the VAR parameter draw of the epistemic forecasts), got " .. tostring(v.epistemic))
  end
  if v.observable then expect(file, "analysis.var.observable", v.observable, "string") end
  local c = out.coverage
  expect(file, "analysis.coverage.samples", c.samples, "positive integer", "forecast draws per held-out trajectory")
  if c.samples < 2 then M.fail(file, "analysis.coverage.samples", "a band needs at least 2 forecast draws, got " .. c.samples) end
  expect(file, "analysis.coverage.level", c.level, "positive number")
  if c.level >= 1 then M.fail(file, "analysis.coverage.level", "expected a probability in (0, 1), got " .. c.level) end
  expect(file, "analysis.coverage.windows", c.windows, "positive integer", "time windows of the forecast coverage")
  expect(file, "analysis.resampling.factor", out.resampling.factor, "positive integer")
  local d = out.idim
  expect(file, "analysis.idim.methods", d.methods, "list")
  for i, m in ipairs(d.methods) do
    if not ({ twonn = true, danco = true, mle = true })[m] then
      M.fail(file, ("analysis.idim.methods[%d]"):format(i), "expected 'twonn', 'danco' or 'mle', got " .. tostring(m))
    end
  end
  if d.window then expect(file, "analysis.idim.window", d.window, "positive integer", "steps per window") end
  if d.step then expect(file, "analysis.idim.step", d.step, "positive integer") end
  expect(file, "analysis.idim.discard", d.discard, "number")
  expect(file, "analysis.idim.danco_k", d.danco_k, "positive integer")
  expect(file, "analysis.idim.mle_k", d.mle_k, "positive integer")
  return out
end

local observable_extra = { label = true, unit = true, kind = true, axis = true, axis_label = true, shape = true }

--- Checks the whole description table `t` read from `file`; returns a normalised copy with the
-- trajectories resolved (glob is the function expanding patterns) and defaults filled in.
function M.check(file, t, glob)
  if type(t) ~= "table" then M.fail(file, "(file)", "the description must return a table, got " .. type(t)) end
  check_keys(file, "", t, top_keys)
  local out = {}
  out.name = expect(file, "name", t.name, "string", "the system, e.g. 'Pt nanoparticles, 555 atoms, 900 K'")
  if t.description ~= nil then out.description = expect(file, "description", t.description, "string") end
  out.units = t.units or "metal"
  if not M.time_units[out.units] then
    M.fail(file, "units", "expected a LAMMPS units style (" .. table.concat(sorted_keys(M.time_units), ", ") .. "), got '" .. tostring(out.units) .. "'")
  end
  out.time_unit = M.time_units[out.units]
  if t.trajectories == nil then M.fail(file, "trajectories", "missing (a list of ids, or {glob = PATTERN})") end
  out.trajectories = check_trajectories(file, t.trajectories, glob)
  local n = #out.trajectories
  if t.natoms ~= nil then
    if math.type(t.natoms) == "integer" then
      if t.natoms < 1 then M.fail(file, "natoms", "expected a positive integer, got " .. t.natoms) end
      out.natoms = {}
      for i = 1, n do out.natoms[i] = t.natoms end
    else
      expect(file, "natoms", t.natoms, "list", "one atom count per trajectory")
      if #t.natoms ~= n then M.fail(file, "natoms", ("expected %d atom counts (one per trajectory), got %d"):format(n, #t.natoms)) end
      for i, v in ipairs(t.natoms) do expect(file, ("natoms[%d]"):format(i), v, "positive integer") end
      out.natoms = t.natoms
    end
  end
  -- time
  if t.time == nil then M.fail(file, "time", "missing: {npy = PATH}, {start = t0, step = Δt} or {timestep = δt} (times from the TimeStep column)") end
  expect(file, "time", t.time, "table")
  local tm = t.time
  if tm.start ~= nil or tm.step ~= nil then
    check_keys(file, "time.", tm, { start = true, step = true, unit = true })
    expect(file, "time.start", tm.start, "number")
    expect(file, "time.step", tm.step, "positive number")
  elseif tm.timestep ~= nil then
    check_keys(file, "time.", tm, { timestep = true, unit = true })
    expect(file, "time.timestep", tm.timestep, "positive number", "MD timestep; times = TimeStep × timestep")
  else
    M.check_source(file, "time", tm, { unit = true })
  end
  if tm.unit ~= nil and tm.unit ~= out.time_unit then
    M.fail(file, "time.unit", ("'%s' does not match units = '%s' (time in %s)"):format(tostring(tm.unit), out.units, out.time_unit))
  end
  out.time = tm
  -- descriptors and virials
  if t.descriptors == nil then M.fail(file, "descriptors", "missing: where D̄ comes from (npy, csv, ave_time or dump) and convention = 'sum'|'mean'") end
  local dsrc = { convention = true, use = true }
  out.descriptors_kind = M.check_source(file, "descriptors", t.descriptors, dsrc, true)
  local conv = t.descriptors.convention
  if conv ~= "sum" and conv ~= "mean" then
    M.fail(file, "descriptors.convention", "expected 'sum' (LAMMPS compute reduce sum, the paper's eq. 1) or 'mean' (reduce ave), got " .. tostring(conv))
  end
  local use = t.descriptors.use or conv
  if use ~= "sum" and use ~= "mean" then M.fail(file, "descriptors.use", "expected 'sum' or 'mean', got " .. tostring(use)) end
  if use ~= conv and not out.natoms then
    M.fail(file, "natoms", ("converting D̄ from %s to %s needs the atom count natoms"):format(conv, use))
  end
  out.descriptors = t.descriptors
  if t.virials ~= nil then
    out.virials_kind = M.check_source(file, "virials", t.virials, dsrc, true)
    if t.virials.convention ~= conv then
      M.fail(file, "virials.convention", ("mixed sum/mean: descriptors.convention = '%s' but virials.convention = '%s'"):format(conv, tostring(t.virials.convention)))
    end
    out.virials = t.virials
  end
  -- observables
  out.observables = {}
  out.observable_names = {}
  if t.observables ~= nil then
    expect(file, "observables", t.observables, "table")
    for name, o in pairs(t.observables) do
      if type(name) ~= "string" or not name:match("^[%a_][%w_]*$") then
        M.fail(file, "observables", "observable names must be identifiers, got " .. tostring(name))
      end
      local key = "observables." .. name
      M.check_source(file, key, o, observable_extra)
      local kind = o.kind or (o.compute == "rdf" and "vector" or "scalar")
      if not ({ scalar = true, vector = true, tensor = true })[kind] then
        M.fail(file, key .. ".kind", "expected 'scalar', 'vector' (e.g. g(r)) or 'tensor' (e.g. a stress tensor), got " .. tostring(kind))
      end
      if kind == "scalar" and type(o.columns) == "table" and #o.columns > 1 then
        M.fail(file, key .. ".columns", ("a scalar observable takes one column, got %d (set kind = 'vector' or 'tensor')"):format(#o.columns))
      end
      if o.axis ~= nil then
        if kind ~= "vector" then M.fail(file, key .. ".axis", "only vector observables have an axis") end
        M.check_source(file, key .. ".axis", o.axis, {})
      end
      if o.label ~= nil then expect(file, key .. ".label", o.label, "string") end
      if o.unit ~= nil then expect(file, key .. ".unit", o.unit, "string") end
      if o.shape ~= nil then expect(file, key .. ".shape", o.shape, "list", "e.g. {3, 3} for a stress tensor") end
      out.observables[name] = o
      out.observable_names[#out.observable_names + 1] = name
    end
    table.sort(out.observable_names)
  end
  -- split
  local ids = {}
  for i, tr in ipairs(out.trajectories) do ids[tr.id] = i end
  local split = t.split or {}
  expect(file, "split", split, "table")
  check_keys(file, "split.", split, { test = true, test_fraction = true })
  if split.test ~= nil and split.test_fraction ~= nil then M.fail(file, "split", "give test or test_fraction, not both") end
  local test = {}
  if split.test ~= nil then
    expect(file, "split.test", split.test, "list", "ids of held-out trajectories")
    for i, id in ipairs(split.test) do
      if not ids[id] then M.fail(file, ("split.test[%d]"):format(i), ("'%s' is not a trajectory id"):format(tostring(id))) end
      test[#test + 1] = ids[id]
    end
  else
    local f = split.test_fraction or 0.25
    expect(file, "split.test_fraction", f, "positive number")
    if f >= 1 then M.fail(file, "split.test_fraction", "expected a fraction in (0, 1), got " .. f) end
    local k = math.max(1, math.floor(n * f))
    for i = n - k + 1, n do test[#test + 1] = i end
  end
  table.sort(test)
  if #test >= n then M.fail(file, "split.test", "every trajectory is held out: keep at least one for training") end
  local is_test = {}
  for _, i in ipairs(test) do is_test[i] = true end
  out.test, out.train = test, {}
  for i = 1, n do if not is_test[i] then out.train[#out.train + 1] = i end end
  out.analysis = check_analysis(file, t.analysis)
  if out.analysis.var.observable and not out.observables[out.analysis.var.observable] then
    M.fail(file, "analysis.var.observable", ("'%s' is not an observable (have: %s)"):format(out.analysis.var.observable, table.concat(out.observable_names, ", ")))
  end
  return out
end
core.setdoc(M.check, "analysis_schema.check(file, t, glob) -> normalised description: validates every key of an ensemble description (docs/ensemble.md), fills defaults, resolves trajectories and the train/test split.")

return M

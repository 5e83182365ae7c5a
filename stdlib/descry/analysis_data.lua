--- descry.analysis_data: an ensemble description file turned into checked data — one record
-- per trajectory with its id, times, D̄ (T × K, in the requested sum/mean convention), optional
-- V̄ and the observables, all on the same rows.
local la, fs, core = require "descry.la", require "descry.fs", require "descry.core"
local schema, sources = require "descry.analysis_schema", require "descry.analysis_sources"

local M = {}
core.setdoc(M, "descry.analysis_data: an ensemble description read into checked per-trajectory data (times, D̄, V̄, observables).")

--- Runs the description file (a Lua chunk returning a table) in a fresh environment with the
-- standard library; returns the table. Syntax and runtime errors are description errors.
function M.read_description(file)
  if fs.kind(file) ~= "file" then schema.fail(file, "(file)", "ensemble description not found") end
  local env = setmetatable({}, { __index = _G })
  local chunk, err = loadfile(file, "t", env)
  if not chunk then schema.fail(file, "(file)", "not valid Lua: " .. tostring(err):gsub("^[^:]*:%d+: ", "")) end
  local ok, t = pcall(chunk)
  if not ok then schema.fail(file, "(file)", "error while running it: " .. tostring(t)) end
  return t
end
core.setdoc(M.read_description, "analysis_data.read_description(file) -> table: runs the description chunk; errors name the file.")

local function rows_check(ctx, key, id, m, T)
  if m:nrows() ~= T then
    ctx:fail(key, ("unequal counts: trajectory '%s' has %d rows, its descriptors have %d"):format(id, m:nrows(), T))
  end
end

local function nan_check(ctx, key, id, m)
  local r = sources.first_bad_row(m)
  if r then ctx:fail(key, ("trajectory '%s': row %d holds NaN or infinite values"):format(id, r)) end
end

--- Rows of `m` (with MD steps `steps`) at the descriptor steps `want`; every wanted step must exist.
local function align(ctx, key, id, m, steps, want)
  local at = {}
  for i, s in ipairs(steps) do
    if at[s] then ctx:fail(key, ("trajectory '%s': step %d appears twice (rows %d and %d)"):format(id, math.tointeger(s) or s, at[s], i)) end
    at[s] = i
  end
  local idx = {}
  for k, s in ipairs(want) do
    local i = at[s]
    if not i then ctx:fail(key, ("trajectory '%s': no row for step %d (row %d of the descriptors)"):format(id, math.tointeger(s) or s, k)) end
    idx[k] = i
  end
  return m:rows(idx)
end

--- Checks that times increase strictly and uniformly; returns Δt.
local function check_times(ctx, key, id, t)
  for k = 2, #t do
    if t[k] == t[k - 1] then ctx:fail(key, ("trajectory '%s': duplicated time %g at rows %d and %d"):format(id, t[k], k - 1, k)) end
    if t[k] < t[k - 1] then ctx:fail(key, ("trajectory '%s': times not sorted (%g at row %d after %g)"):format(id, t[k], k, t[k - 1])) end
  end
  if #t < 2 then ctx:fail(key, ("trajectory '%s' has %d snapshot(s): at least 2 are needed"):format(id, #t)) end
  local dt = t[2] - t[1]
  for k = 3, #t do
    local d = t[k] - t[k - 1]
    if math.abs(d - dt) > 1e-6 * math.abs(dt) + 1e-12 then
      ctx:fail(key, ("trajectory '%s' is not uniformly sampled: Δt = %g at row %d, %g at row 2 (the VAR needs a fixed step)"):format(id, d, k, dt))
    end
  end
  return dt
end

--- ens = analysis_data.load(file): reads and checks the description and all its data.
-- ens.trajectories[i] = {id, index, times (array), D (T×K), V (T×6K or nil), obs = {name = T×d}};
-- ens.desc (normalised description), ens.K, ens.dt, ens.observables[name] = {kind, d, label,
-- unit, axis}, ens.inputs (path, size, sha256), ens.file.
function M.load(file)
  local t = M.read_description(file)
  local base = file:match("^(.*)/[^/]*$") or "."
  local desc = schema.check(file, t, function(pattern)
    local p = pattern:sub(1, 1) == "/" and pattern or (base .. "/" .. pattern)
    local out = fs.glob(p)
    return out
  end)
  local ctx = sources.context(file, base)
  ctx:record(file)
  local n = #desc.trajectories
  local ens = { file = file, base = base, desc = desc, trajectories = {}, observables = {} }
  local conv, use = desc.descriptors.convention, desc.descriptors.use or desc.descriptors.convention
  for i, tr in ipairs(desc.trajectories) do
    local rec = { id = tr.id, index = i, obs = {} }
    local D, _, dsteps = ctx:read("descriptors", desc.descriptors, tr, n, { want = "descriptors", virial = desc.virials ~= nil and desc.virials.dump ~= nil })
    nan_check(ctx, "descriptors", tr.id, D)
    if ens.K and D:ncols() ~= ens.K then
      ctx:fail("descriptors", ("wrong shape: trajectory '%s' has %d descriptor components, trajectory '%s' has %d"):format(tr.id, D:ncols(), desc.trajectories[1].id, ens.K))
    end
    ens.K = D:ncols()
    if use ~= conv then
      local N = desc.natoms[i]
      D = use == "mean" and D / N or D * N
    end
    rec.D = D
    rec.steps = dsteps
    local T = D:nrows()
    -- times
    local tm = desc.time
    local times
    if tm.start ~= nil then
      times = {}
      for k = 1, T do times[k] = tm.start + (k - 1) * tm.step end
    elseif tm.timestep ~= nil then
      if not dsteps then ctx:fail("time.timestep", "times from MD steps need descriptors with a step column (ave_time, log or dump)") end
      times = {}
      for k = 1, T do times[k] = dsteps[k] * tm.timestep end
    else
      local m, _, steps = ctx:read("time", tm, tr, n)
      if m:ncols() ~= 1 then m = m:reshape(m:size(), 1) end
      local shared = not tm.stacked and not tm[schema.source_kinds[1]] or false
      if steps and dsteps then m = align(ctx, "time", tr.id, m, steps, dsteps) end
      if m:nrows() > T and tm.npy and not tm.stacked and not tm.npy:find("{") then m = m:rows(1, T) end
      rows_check(ctx, "time", tr.id, m, T)
      nan_check(ctx, "time", tr.id, m)
      times = sources.flatten(m:totable())
      local _ = shared
    end
    rec.dt = check_times(ctx, "time", tr.id, times)
    rec.times = times
    if desc.virials then
      local V, _, vsteps = ctx:read("virials", desc.virials, tr, n, { want = "virials", virial = true })
      if vsteps and dsteps and desc.virials.dump == nil then V = align(ctx, "virials", tr.id, V, vsteps, dsteps) end
      rows_check(ctx, "virials", tr.id, V, T)
      nan_check(ctx, "virials", tr.id, V)
      if V:ncols() ~= 6 * ens.K then
        ctx:fail("virials", ("wrong shape: trajectory '%s' has %d virial columns, expected 6 × K = %d"):format(tr.id, V:ncols(), 6 * ens.K))
      end
      if use ~= conv then V = use == "mean" and V / desc.natoms[i] or V * desc.natoms[i] end
      rec.V = V
    end
    for _, name in ipairs(desc.observable_names) do
      local o = desc.observables[name]
      local key = "observables." .. name
      local m, names, steps = ctx:read(key, o, tr, n)
      if steps and dsteps then m = align(ctx, key, tr.id, m, steps, dsteps) end
      rows_check(ctx, key, tr.id, m, T)
      nan_check(ctx, key, tr.id, m)
      local info = ens.observables[name]
      local kind = o.kind or (o.compute == "rdf" and "vector" or "scalar")
      if kind == "scalar" and m:ncols() ~= 1 then
        ctx:fail(key, ("wrong shape: a scalar observable needs one column, trajectory '%s' gives %d (choose one with column = ...)"):format(tr.id, m:ncols()))
      end
      if o.shape then
        local prod = 1
        for _, s in ipairs(o.shape) do prod = prod * s end
        if prod ~= m:ncols() then ctx:fail(key .. ".shape", ("shape {%s} has %d entries, the data has %d columns"):format(table.concat(o.shape, ", "), prod, m:ncols())) end
      end
      if info and info.d ~= m:ncols() then
        ctx:fail(key, ("wrong shape: trajectory '%s' has %d columns, trajectory '%s' has %d"):format(tr.id, m:ncols(), desc.trajectories[1].id, info.d))
      end
      if not info then
        info = { name = name, kind = kind, d = m:ncols(), label = o.label or name, unit = o.unit or "", columns = names, axis_label = o.axis_label }
        if not o.axis and ctx.axis and ctx.axis[key] then info.axis = ctx.axis[key] end
        if o.axis then
          local ax = ctx:read(key .. ".axis", o.axis, tr, n)
          if ax:size() ~= m:ncols() then
            ctx:fail(key .. ".axis", ("wrong shape: the axis has %d values, the observable %d columns"):format(ax:size(), m:ncols()))
          end
          info.axis = ax:reshape(ax:size(), 1)
        end
        ens.observables[name] = info
      end
      rec.obs[name] = m
    end
    ens.trajectories[i] = rec
  end
  -- a common time grid: same Δt and start for every trajectory (lengths may differ)
  local first = ens.trajectories[1]
  for _, rec in ipairs(ens.trajectories) do
    if math.abs(rec.dt - first.dt) > 1e-6 * math.abs(first.dt) then
      ctx:fail("time", ("trajectory '%s' is sampled every %g, trajectory '%s' every %g: the ensemble needs one time step"):format(rec.id, rec.dt, first.id, first.dt))
    end
    if math.abs(rec.times[1] - first.times[1]) > 1e-6 * math.abs(first.dt) then
      ctx:fail("time", ("trajectory '%s' starts at %g, trajectory '%s' at %g: the ensemble needs a common start"):format(rec.id, rec.times[1], first.id, first.times[1]))
    end
  end
  ens.dt = first.dt
  ens.M = n
  ens.inputs = ctx.inputs
  ens.convention = use
  local Tmin, Tmax = math.huge, 0
  for _, rec in ipairs(ens.trajectories) do
    Tmin = math.min(Tmin, rec.D:nrows())
    Tmax = math.max(Tmax, rec.D:nrows())
  end
  ens.Tmin, ens.Tmax = Tmin, Tmax
  return ens
end
core.setdoc(M.load, "analysis_data.load(file) -> ens: the checked ensemble (ens.trajectories[i] = {id, times, D, V, obs}, ens.K, ens.dt, ens.observables, ens.inputs with SHA-256). Every problem is one error naming file and key.")

return M

--- descry.analysis: the paper's whole analysis (Swinburne, PRL 131, 236101 (2023)) on an
-- ensemble of LAMMPS trajectories described by an ensemble description (docs/ensemble.md).
-- `descry analyse ENSEMBLE.lua [--out DIR] [--only STEP...]` is analysis.command; the same steps
-- are usable one at a time from scripts, the REPL and notebooks:
--
--   local analysis = require "descry.analysis"
--   local st = analysis.open("data/pt-np-900K/ensemble.lua")   -- checked data + settings
--   analysis.step(st, "estimators")                            -- st.results.estimators
--   analysis.step(st, "forecast")                              -- order, forecasts, M(t)
--   print(table.concat(analysis.report(st), "\n"))
--   analysis.run("data/pt-np-900K/ensemble.lua", {out = "out/pt"})  -- everything, written atomically
local core, fs = require "descry.core", require "descry.fs"
local schema, data, steps, report = require "descry.analysis_schema", require "descry.analysis_data", require "descry.analysis_steps", require "descry.analysis_report"
local output, figures = require "descry.analysis_output", require "descry.analysis_figures"

local M = {}
core.setdoc(M, "descry.analysis: the paper's analysis of an ensemble description (docs/ensemble.md): open, step, report, run, command, load_model.")

M.steps = schema.steps
local titles = { estimators = "linear estimators (eq. 2), held-out trajectories", order = "VAR order selection",
  forecast = "bagged VAR forecasts, eqs. 3–5", resampling = "resampling from N(μ0, Σ0)", pca = "PCA of the ensemble mean",
  idim = "intrinsic dimension", coverage = "held-out coverage: POPS vs Bayesian ridge, VAR only vs VAR + POPS" }
-- steps that need another step's results first
local needs = { resampling = "forecast" }

--- st = analysis.open(file): reads and checks the ensemble description and its data; returns the
-- analysis state {ens, cfg, results, timings}. Errors are description errors (file: key: message).
function M.open(file)
  local t0 = core.clock()
  local ens = data.load(file)
  local st = { ens = ens, cfg = ens.desc.analysis, results = {}, timings = { load = core.clock() - t0 }, steps_run = {},
    started_utc = os.date("!%Y-%m-%dT%H:%M:%SZ") }
  st.ids_train, st.ids_test = {}, {}
  for _, i in ipairs(ens.desc.train) do st.ids_train[#st.ids_train + 1] = ens.trajectories[i].id end
  for _, i in ipairs(ens.desc.test) do st.ids_test[#st.ids_test + 1] = ens.trajectories[i].id end
  return st
end
core.setdoc(M.open, "analysis.open(file) -> state: reads and checks an ensemble description and its data (errors: 'file: key: message').")

--- analysis.step(st, name) -> results of one step (estimators, order, forecast, resampling, pca,
-- idim, coverage), timed into st.timings[name]; prerequisites run first when missing.
function M.step(st, name)
  if not titles[name] then error(("analysis.step: unknown step '%s' (expected: %s)"):format(tostring(name), table.concat(M.steps, ", ")), 2) end
  if needs[name] and not st.results[needs[name]] then M.step(st, needs[name]) end
  local t0 = core.clock()
  local r = steps[name](st)
  st.timings[name] = core.clock() - t0
  st.steps_run[#st.steps_run + 1] = name
  return r
end
core.setdoc(M.step, "analysis.step(state, name) -> results of one step: estimators, order, forecast, resampling, pca, idim.")

--- analysis.report(st) -> array of Markdown lines for the steps run so far.
function M.report(st) return report.lines(st) end
core.setdoc(M.report, "analysis.report(state) -> array of Markdown lines (data, method choices, honest metrics, one section per step).")

--- analysis.load_model(path) -> a saved VAR (var-*.json of an analysis): :latent(D),
-- :forecast(D_history, {steps, samples, epistemic, seed}), :predict(latent).
M.load_model = output.load_model

local function default_out(file)
  local stem = file:match("([^/]+)%.lua$") or file
  if stem == "ensemble" then stem = (file:match("([^/]+)/[^/]+$")) or stem end
  return "out/" .. stem
end

--- analysis.run(file [, {out = DIR, only = {steps...}, quiet = false, progress = io.stderr,
-- command = args}]) -> st. Runs the steps, writes report.md, figures, models and manifest.json
-- into a temporary folder next to DIR and renames it into place only when everything succeeded.
function M.run(file, opts)
  opts = opts or {}
  local progress = opts.progress
  local started = core.clock()
  local function note(fmt_, ...)
    if progress then progress:write(("descry analyse: " .. fmt_ .. "\n"):format(...)) end
  end
  note("reading %s", file)
  local st = M.open(file)
  st.command = opts.command
  note("loaded %d trajectories, K = %d (%.2f s)", st.ens.M, st.ens.K, st.timings.load)
  -- under mpirun the ranks shared the descriptor computation while loading; rank 0 alone runs
  -- the steps and writes the outputs (once, atomically), the others stop here
  local world = require("descry.analysis_sources").mpi_world()
  if world and world:rank() ~= 0 then
    st.rank = world:rank()
    return st
  end
  local want = opts.only or st.cfg.steps
  local selected = {}
  for _, s in ipairs(want) do selected[s] = true end
  local out = opts.out or default_out(file)
  local parent = out:match("^(.*)/[^/]+/*$") or "."
  fs.mkdir(parent)
  local base = out:match("([^/]+)/*$")
  local tmp = fs.mkdtemp(parent .. "/." .. base .. ".partial-")
  local ok, err = xpcall(function()
    local order = {}
    for _, s in ipairs(M.steps) do if selected[s] then order[#order + 1] = s end end
    for i, s in ipairs(order) do
      M.step(st, s)
      note("[%d/%d] %s (%.2f s)", i, #order, titles[s], st.timings[s])
    end
    local written = {}
    if st.cfg.plots then
      local t0 = core.clock()
      st.figures = figures.write(tmp, st)
      st.timings.figures = core.clock() - t0
      note("figures: %s (%.2f s)", table.concat(st.figures, ", "), st.timings.figures)
      for _, f in ipairs(st.figures) do written[#written + 1] = f end
    end
    st.models = output.save_models(tmp, st)
    for _, f in ipairs(st.models) do written[#written + 1] = f end
    local lines = report.lines(st)
    st.report = lines
    local text = table.concat(lines, "\n") .. "\n"
    core.writefile(tmp .. "/report.md", text)
    written[#written + 1] = "report.md"
    st.timings.total = core.clock() - started
    output.write_manifest(tmp, st, written)
    fs.replace_dir(out, tmp)
  end, function(e)
    if type(e) == "string" and os.getenv("DESCRY_DEBUG") then return debug.traceback(e, 2) end
    return e
  end)
  if not ok then
    pcall(fs.remove_tree, tmp)
    error(err, 0)
  end
  st.out = out
  note("done in %.1f s: %s/report.md", core.clock() - started, out)
  return st
end
core.setdoc(M.run, "analysis.run(file [, {out, only, progress, command}]) -> state: all steps, report.md, figures, models, manifest.json written atomically into out.")

local usage = "usage: descry analyse ENSEMBLE.lua [--out DIR] [--only STEP...]\n" ..
  "steps: " .. table.concat(schema.steps, ", ") .. " (docs/ensemble.md describes ENSEMBLE.lua)\n"

--- analysis.command(args) -> exit status: the `descry analyse` command line. 0 on success; 2 for
-- a usage error or a bad description (one line naming file and key); 1 when the analysis fails.
function M.command(args)
  local file, out, only
  local i = 1
  while i <= #args do
    local a = args[i]
    if a == "--out" then
      out = args[i + 1]
      if not out or out == "" then io.stderr:write("descry analyse: --out needs a directory\n" .. usage) return 2 end
      i = i + 2
    elseif a == "--only" then
      only = only or {}
      i = i + 1
      while args[i] and not args[i]:match("^%-%-") do
        if not titles[args[i]] then
          io.stderr:write(("descry analyse: unknown step '%s' after --only (steps: %s)\n"):format(args[i], table.concat(schema.steps, ", ")))
          return 2
        end
        only[#only + 1] = args[i]
        i = i + 1
      end
      if #only == 0 then io.stderr:write("descry analyse: --only needs at least one step\n" .. usage) return 2 end
    elseif a == "-h" or a == "--help" then
      io.stdout:write(usage)
      return 0
    elseif a:match("^%-") then
      io.stderr:write(("descry analyse: unknown option '%s'\n"):format(a) .. usage)
      return 2
    elseif file then
      io.stderr:write(("descry analyse: one ensemble description expected, got '%s' and '%s'\n"):format(file, a) .. usage)
      return 2
    else
      file = a
      i = i + 1
    end
  end
  if not file then io.stderr:write(usage) return 2 end
  local cmd = { "descry", "analyse" }
  for _, a in ipairs(args) do cmd[#cmd + 1] = a end
  local ok, st = pcall(M.run, file, { out = out, only = only, progress = io.stderr, command = cmd })
  if not ok then
    if schema.is_error(st) then
      io.stderr:write("descry analyse: " .. tostring(st) .. "\n")
      return 2
    end
    io.stderr:write("descry analyse: " .. tostring(st) .. "\n")
    return 1
  end
  if st.report then io.stdout:write(table.concat(st.report, "\n"), "\n") end
  return 0
end
core.setdoc(M.command, "analysis.command(args) -> exit status of `descry analyse ENSEMBLE.lua [--out DIR] [--only STEP...]` (2: usage or description error).")

return M

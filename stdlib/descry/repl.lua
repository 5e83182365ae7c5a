--- descry.repl: the globals every descry session shares (help, time, pp) and the REPL's
-- value printer.
local pretty = require "descry.pretty"
local core = require "descry.core"
local M = {}

--- Prints values as the REPL does (pretty printer; several values tab-separated).
function M.show(...)
  pretty.print(...)
end

local function sorted_functions(t)
  local names = {}
  for k, v in pairs(t) do
    if type(k) == "string" and type(v) == "function" and not k:match("^_") then names[#names + 1] = k end
  end
  table.sort(names)
  return names
end

--- The module list of the overview, one line per module of the registry (core.modules()):
-- the REPL global (or the require call) and the module's summary.
local function module_lines()
  local lines = { "Modules (globals in the REPL and notebooks):" }
  for _, m in ipairs(core.modules()) do
    local handle = m.global or ('require "' .. m.name .. '"')
    lines[#lines + 1] = string.format("  %-26s %s", handle, m.summary)
  end
  return table.concat(lines, "\n")
end

local function help_text(v)
  if v == nil then
    return table.concat({
      "descry — Lua 5.4 for descriptors of atomistic simulations.",
      "  help(f) or ?f   documentation of a function, method or module",
      "  time(f, ...)    wall time of a call; %time <code> in the REPL",
      "  pp(v)           pretty-print a value",
      module_lines(),
      "Try: help(la), ?la.zeros",
    }, "\n")
  end
  local doc = core.doc(v)
  local out = {}
  if doc then out[#out + 1] = doc end
  local t = type(v)
  if t == "table" then
    local names = sorted_functions(v)
    if #names > 0 then out[#out + 1] = "Functions: " .. table.concat(names, ", ") end
  elseif t == "userdata" then
    local mt = getmetatable(v)
    if type(mt) == "table" then
      local mdoc = core.doc(mt)
      if mdoc and mdoc ~= doc then out[#out + 1] = mdoc end
      if type(rawget(mt, "__index")) == "table" then
        local names = sorted_functions(rawget(mt, "__index"))
        if #names > 0 then out[#out + 1] = "Methods: " .. table.concat(names, ", ") end
      end
    end
  end
  if #out == 0 then return "no documentation for this " .. t .. " value" end
  return table.concat(out, "\n")
end

--- help([v]) prints the docstring of a function, method, module or object (no argument: overview).
function M.help(...)
  if select("#", ...) == 0 then print(help_text(nil)) return end
  print(help_text((...)))
end

--- time(f, ...) -> ... : calls f(...), prints the wall time, returns f's results.
function M.time(f, ...)
  if type(f) ~= "function" then
    error("bad argument #1 to 'time' (function expected, got " .. type(f) .. ")", 2)
  end
  local t0 = core.clock()
  local r = table.pack(f(...))
  local dt = core.clock() - t0
  local text
  if dt < 1e-3 then text = string.format("%.1f µs", dt * 1e6)
  elseif dt < 1 then text = string.format("%.2f ms", dt * 1e3)
  else text = string.format("%.3f s", dt) end
  io.stderr:write("time: " .. text .. "\n")
  return table.unpack(r, 1, r.n)
end

--- Installs help, time and pp as globals of table G.
function M.install(G)
  G.help, G.time, G.pp = M.help, M.time, pretty.print
  core.setdoc(M.help, "help([v])\nPrints the docstring of a function, method, module or object; no argument: an overview.")
  core.setdoc(M.time, "time(f, ...) -> ...\nCalls f(...), prints its wall time on stderr, returns its results. In the REPL, `%time <code>` does the same for a line.")
  require("descry.stddocs").install(G, core.setdoc)
end

return M

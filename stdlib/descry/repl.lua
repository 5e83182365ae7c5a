--- descry.repl: the globals every descry session shares (help, time, timeit, whos, reload, pp)
-- and the REPL's value printer: `_` (last value), colours, the pager for long output, help
-- search (help("word")), source view (??f), %timeit, %who and !cmd.
local pretty = require "descry.pretty"
local core = require "descry.core"
local luadoc = require "descry.luadoc"
local errors = require "descry.errors"
local M = {}

--- Session settings the REPL sets for an interactive terminal (all false/defaults elsewhere:
-- scripts, pipes and notebooks never page nor colour): interactive (page long output), color
-- (ANSI colours), rows (terminal height), last_source (the chunk being run).
M.settings = { interactive = false, color = false, rows = 24, last_source = nil }

local ESC = string.char(27)
local colors = {
  number = ESC .. "[36m", string = ESC .. "[32m", literal = ESC .. "[35m",
  error = ESC .. "[31m", reset = ESC .. "[0m",
}

--- repl.colorize(text) -> string
-- text with ANSI colours on numbers (cyan), strings (green) and nil/true/false (magenta), for
-- values as pretty.format writes them.
function M.colorize(text)
  local out, i, n = {}, 1, #text
  local function emit(s) out[#out + 1] = s end
  while i <= n do
    local c = text:sub(i, i)
    if c == '"' then
      local j = i + 1
      while j <= n do
        local d = text:sub(j, j)
        if d == "\\" then j = j + 2 elseif d == '"' then break else j = j + 1 end
      end
      emit(colors.string .. text:sub(i, j) .. colors.reset)
      i = j + 1
    elseif c:match("[%a_]") then
      local j = (text:find("[^%w_]", i) or n + 1) - 1
      local w = text:sub(i, j)
      if w == "nil" or w == "true" or w == "false" then w = colors.literal .. w .. colors.reset
      elseif w == "nan" or w == "inf" then w = colors.number .. w .. colors.reset end
      emit(w)
      i = j + 1
    elseif c:match("%d") or ((c == "-" or c == ".") and text:sub(i + 1, i + 1):match("[%d.i]")) then
      local _, j = text:find("^%-?%d*%.?%d*", i)
      local _, e = text:find("^[eE][-+]?%d+", j + 1)
      if e then j = e end
      if text:sub(i, j) == "-" then j = i end
      if text:sub(j + 1, j + 1):match("[%w_]") then
        -- part of a word (0x55…, 2D): no colour
        local k = (text:find("[^%w_]", j + 1) or n + 1) - 1
        emit(text:sub(i, k))
        i = k + 1
      else
        emit(colors.number .. text:sub(i, j) .. colors.reset)
        i = j + 1
      end
    else
      emit(c)
      i = i + 1
    end
  end
  return table.concat(out)
end

--- repl.page(text)
-- Writes text and a newline on stdout; in an interactive terminal session, text longer than
-- the terminal goes through the pager ($PAGER, else `less -R`), as IPython's ? and git do.
-- Never pages in scripts, pipes or notebooks.
function M.page(text)
  local s = M.settings
  if s.interactive then
    local _, newlines = text:gsub("\n", "")
    if newlines + 1 > s.rows - 1 then
      local pager = os.getenv("PAGER")
      if pager == nil or pager == "" then pager = "less -R" end
      io.stdout:flush()
      local p = io.popen(pager, "w")
      if p then
        p:write(text, "\n")
        local ok, _, code = p:close()
        -- a pager that cannot run (127: not found, 126: not executable): print instead
        if ok or (code ~= 127 and code ~= 126) then return end
      end
    end
  end
  print(text)
end

--- repl.show(...)
-- Prints values as the REPL does: pretty printer, several values tab-separated, colours on a
-- terminal, the pager for long output. The first value becomes the global `_`.
function M.show(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = pretty.format((select(i, ...))) end
  rawset(_G, "_", (...))
  local text = table.concat(parts, "\t")
  if M.settings.color then text = M.colorize(text) end
  M.page(text)
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

local function overview()
  return table.concat({
    "descry — Lua 5.4 for descriptors of atomistic simulations.",
    "  help(f) or ?f   documentation of a function, method or module (?m:method works too)",
    "  help(\"word\")    search every docstring for word",
    "  ??f             where a Lua function is defined, and its source",
    "  time(f, ...)    wall time of a call; %time <code> in the REPL",
    "  timeit(f)       min/median time over automatic repeats; %timeit <code> in the REPL",
    "  whos()          your globals with type and shape; %who in the REPL",
    "  reload(\"mod\")   re-load a Lua module after editing it",
    "  pp(v)           pretty-print a value; _ is the last printed value",
    "  !cmd            run a shell command (the line as typed)",
    module_lines(),
    "Try: help(la), ?la.zeros",
  }, "\n")
end

local function help_text(v)
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

-- Every documented function and module reachable from the registry's modules (core.modules(),
-- loaded here if need be), other loaded modules, globals and the userdata classes, as name →
-- value (first name found wins).
local function documented()
  local found, seen = {}, {}
  local function add(name, v)
    if seen[v] or not core.doc(v) then return end
    seen[v] = true
    found[#found + 1] = { name = name, value = v }
  end
  local function scan(prefix, t, sep)
    for k, v in pairs(t) do
      if type(k) == "string" and not k:match("^_") and (type(v) == "function" or type(v) == "table") then
        add(prefix .. sep .. k, v)
      end
    end
  end
  -- every module of the registry, loaded or not yet
  for _, entry in ipairs(core.modules()) do pcall(require, entry.name) end
  local modules = {}
  for name, m in pairs(package.loaded) do
    if type(m) == "table" and type(name) == "string" then modules[#modules + 1] = name end
  end
  table.sort(modules)
  for _, name in ipairs(modules) do
    local m = package.loaded[name]
    if name == "_G" then
      scan("", m, "")
    else
      local short = name:gsub("^descry%.", "")
      add(short, m)
      scan(short, m, ".")
    end
  end
  for name, mt in pairs(debug.getregistry()) do
    if type(name) == "string" and type(mt) == "table" and type(rawget(mt, "__index")) == "table" then
      add(name, mt)
      scan(name, rawget(mt, "__index"), ":")
    end
  end
  table.sort(found, function(a, b) return a.name < b.name end)
  return found
end

--- repl.apropos(word) -> string
-- Every documented function, method and module whose name or docstring contains word
-- (case-insensitive), one per line with the first line of its docstring.
function M.apropos(word)
  local needle = word:lower()
  local lines = {}
  for _, e in ipairs(documented()) do
    local doc = core.doc(e.value)
    if e.name:lower():find(needle, 1, true) or doc:lower():find(needle, 1, true) then
      local first = doc:match("^[^\n]*")
      if first:sub(1, #e.name) == e.name then
        lines[#lines + 1] = first
      else
        lines[#lines + 1] = e.name .. " — " .. first
      end
    end
  end
  if #lines == 0 then return "help: no docstring mentions '" .. word .. "'" end
  return ("help: %d docstrings mention '%s' (help(name) for one)\n  "):format(#lines, word)
    .. table.concat(lines, "\n  ")
end

--- help([v])
-- Prints the docstring of a function, method, module or object; help("word") searches every
-- docstring for word; no argument: an overview. Long text goes through the pager in the REPL.
function M.help(...)
  if select("#", ...) == 0 then M.page(overview()) return end
  local v = ...
  if v == nil then
    local what = (M.settings.last_source or ""):match("^%s*help%s*%((.-)%)%s*;?%s*$")
    local name = (what and what ~= "") and ("'" .. what .. "'") or "the argument"
    M.page("help: " .. name .. " is nil — that name or field does not exist (help() for the overview)")
    return
  end
  if type(v) == "string" then M.page(M.apropos(v)) return end
  M.page(help_text(v))
end

-- The value of expression text typed after ?/?? (m:f means the method m.f); nil and a reason
-- when it cannot be found.
local function lookup(text)
  local expr = text:gsub("^(.-[%w_%]%)])%s*:%s*([%a_][%w_]*)%s*$", "%1.%2")
  local chunk, err = load("return " .. expr, "=help", "t")
  if not chunk then return nil, "'" .. text .. "' is not a name or expression (" .. err .. ")" end
  local ok, v = pcall(chunk)
  if not ok then return nil, text .. ": " .. tostring(v):gsub("^help:1: ", "") end
  if v == nil then
    local parent, field = expr:match("^(.*)%.([%a_][%w_]*)$")
    if parent then
      local pok, p = pcall(load("return " .. parent, "=help", "t") or function() end)
      if pok and p ~= nil then
        return nil, ("%s is nil: %s has no field '%s'"):format(text, parent, field)
      end
    end
    return nil, text .. " is nil — that name or field does not exist"
  end
  return v
end

--- repl.help_expression(text)
-- What `?text` does: help for the value of text (`?m:f` and `?m.f` both work); says which
-- part is nil when the name or field does not exist.
function M.help_expression(text)
  if text:match("^%s*$") then M.page(overview()) return end
  local v, why = lookup(text)
  if v == nil then M.page("help: " .. why) return end
  M.page(help_text(v))
end

--- repl.source_view(text)
-- What `??f` does: the docstring of f, where the Lua function is defined (file:first-last) and
-- its source lines; built-in (C/Swift) functions have no Lua source.
function M.source_view(text)
  local v, why = lookup(text)
  if v == nil then M.page("help: " .. why) return end
  local out = { help_text(v) }
  local inline = package.loaded["descry.inline"]
  if inline and inline.originals[v] then v = inline.originals[v] end   -- plot's own function
  if type(v) ~= "function" then
    out[#out + 1] = "(source view is for functions; this is a " .. type(v) .. ")"
  else
    local info = debug.getinfo(v, "S")
    local path, first, last = luadoc.source(v)
    if info.what == "C" then
      out[#out + 1] = "built-in function (Swift or C): no Lua source"
    elseif not path then
      out[#out + 1] = ("defined in %s, lines %d-%d (typed at the prompt; no file)"):format(
        info.short_src, info.linedefined, info.lastlinedefined)
    else
      out[#out + 1] = ("defined in %s:%d-%d"):format(path, first, last)
      local lines = luadoc.lines(path)
      if lines then
        for k = first, last do out[#out + 1] = ("%5d  %s"):format(k, lines[k] or "") end
      end
    end
  end
  M.page(table.concat(out, "\n"))
end

local function duration(dt)
  if dt < 1e-6 then return string.format("%.1f ns", dt * 1e9) end
  if dt < 1e-3 then return string.format("%.2f µs", dt * 1e6) end
  if dt < 1 then return string.format("%.2f ms", dt * 1e3) end
  return string.format("%.3f s", dt)
end

--- time(f, ...) -> ...
-- Calls f(...), prints its wall time on stderr, returns its results. In the REPL,
-- `%time <code>` does the same for a line.
function M.time(f, ...)
  if type(f) ~= "function" then
    errors.argument(1, "time", "function", f)
  end
  local t0 = core.clock()
  local r = table.pack(f(...))
  local dt = core.clock() - t0
  io.stderr:write("time: " .. duration(dt) .. "\n")
  return table.unpack(r, 1, r.n)
end

--- timeit(f [, {repeat = 7, number = auto}]) -> {min, median, mean, runs, loops, times}
-- Times f() as IPython's %timeit: the loop count is the first of 1, 2, 5, 10, 20, 50, ... whose
-- total time reaches 0.2 s; then `repeat` runs of that many calls. Prints the minimum and the
-- median time per call (seconds in the result). In the REPL, `%timeit <code>` times a line.
function M.timeit(f, opts)
  if type(f) ~= "function" then
    errors.argument(1, "timeit", "function", f)
  end
  if opts ~= nil and type(opts) ~= "table" then
    errors.argument(2, "timeit", "options table", opts)
  end
  opts = opts or {}
  local repeats = opts["repeat"] or 7
  if math.type(repeats) ~= "integer" or repeats < 1 then
    errors.raise("bad argument #2 to 'timeit' (repeat must be a positive integer)")
  end
  local clock = core.clock
  local function run(number)
    local t0 = clock()
    for _ = 1, number do f() end
    return clock() - t0
  end
  local number = opts.number
  if number == nil then
    number = 1
    local steps = { 1, 2, 5 }
    local scale, k = 1, 1
    while run(number) < 0.2 and number < 1e9 do
      k = k + 1
      if k > 3 then k = 1 scale = scale * 10 end
      number = steps[k] * scale
    end
  elseif math.type(number) ~= "integer" or number < 1 then
    errors.raise("bad argument #2 to 'timeit' (number must be a positive integer)")
  end
  local times, total = {}, 0
  for r = 1, repeats do
    times[r] = run(number) / number
    total = total + times[r]
  end
  local sorted = table.move(times, 1, repeats, 1, {})
  table.sort(sorted)
  local median = repeats % 2 == 1 and sorted[(repeats + 1) // 2]
    or (sorted[repeats // 2] + sorted[repeats // 2 + 1]) / 2
  local result = { min = sorted[1], median = median, mean = total / repeats, runs = repeats,
    loops = number, times = times }
  print(("timeit: %s min, %s median per loop (%d runs × %d loop%s)"):format(duration(sorted[1]),
    duration(median), repeats, number, number == 1 and "" or "s"))
  return result
end

--- repl.timeit_code(code)
-- What `%timeit code` does: compiles code as an expression or statements and times it.
function M.timeit_code(code)
  local f = load("return " .. code, "=stdin", "t") or load(code, "=stdin", "t")
  if not f then
    local _, err = load(code, "=stdin", "t")
    error(err, 0)
  end
  M.timeit(f)
end

--- repl.shell(command)
-- What `!command` does in the REPL: runs command with /bin/sh (the line you typed, nothing
-- else) and reports a non-zero exit status.
function M.shell(command)
  io.stdout:flush()
  local ok, how, code = os.execute(command)
  if not ok then io.stderr:write(("!%s: %s %s\n"):format(command, how, tostring(code))) end
end

--- repl.mark_baseline()
-- Remembers the globals that exist now (the session's start), so whos() lists only yours.
function M.mark_baseline()
  M.baseline = {}
  for k in pairs(_G) do M.baseline[k] = true end
end

local function describe(v)
  local t = type(v)
  if t == "table" then
    local mt = getmetatable(v)
    if type(mt) == "table" and rawget(mt, "__tostring") then
      return "table", (tostring(v):match("^[^\n]*"))
    end
    local n, keys = #v, 0
    for _ in pairs(v) do keys = keys + 1 end
    if keys == n then return "table", ("%d items"):format(n) end
    return "table", ("%d keys"):format(keys)
  elseif t == "userdata" then
    local mt = getmetatable(v)
    local name = type(mt) == "table" and rawget(mt, "__name") or "userdata"
    local ok, r, c = pcall(function() return v:shape() end)
    if ok and math.type(r) == "integer" then return name, ("%d×%d"):format(r, c or 1) end
    return name, (tostring(v):match("^[^\n]*"))
  elseif t == "string" then
    return "string", ("%d bytes"):format(#v)
  elseif t == "number" then
    return math.type(v), pretty.number(v)
  elseif t == "function" then
    local info = debug.getinfo(v, "S")
    return "function", info.what == "C" and "built-in" or (info.short_src .. ":" .. info.linedefined)
  end
  return t, tostring(v)
end

--- whos()
-- Lists your globals (those created since the session started; `%who` in the REPL) with type
-- and shape or size, sorted by name.
function M.whos()
  local base = M.baseline or {}
  local names = {}
  for k in pairs(_G) do
    if type(k) == "string" and not base[k] and k ~= "_" then names[#names + 1] = k end
  end
  table.sort(names)
  if #names == 0 then M.page("whos: no globals of yours yet") return end
  local rows = {}
  local w1, w2 = 4, 4
  for _, k in ipairs(names) do
    local t, shape = describe(rawget(_G, k))
    rows[#rows + 1] = { k, t, shape }
    w1, w2 = math.max(w1, #k), math.max(w2, #t)
  end
  local out = { ("%-" .. w1 .. "s  %-" .. w2 .. "s  %s"):format("name", "type", "shape / value") }
  for _, r in ipairs(rows) do
    out[#out + 1] = ("%-" .. w1 .. "s  %-" .. w2 .. "s  %s"):format(r[1], r[2], r[3])
  end
  M.page(table.concat(out, "\n"))
end

--- reload(name) -> module
-- Loads module name again (after editing its file): clears package.loaded[name], requires it,
-- and points every global that held the old module at the new one. On an error the old module
-- stays loaded.
function M.reload(name)
  if type(name) ~= "string" then
    errors.argument(1, "reload", "module name", name)
  end
  local old = package.loaded[name]
  package.loaded[name] = nil
  local ok, new = pcall(require, name)
  if not ok then
    package.loaded[name] = old
    errors.raise(new)
  end
  if old ~= nil then
    for k, v in pairs(_G) do
      if rawequal(v, old) then rawset(_G, k, new) end
    end
  end
  return new
end

--- Installs help, time, timeit, whos, reload and pp as globals of table G.
function M.install(G)
  G.help, G.time, G.pp = M.help, M.time, pretty.print
  G.timeit, G.whos, G.reload = M.timeit, M.whos, M.reload
  require("descry.stddocs").install(G, core.setdoc)
end

luadoc.attach(M)
return M

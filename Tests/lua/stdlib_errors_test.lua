-- Errors raised inside descry's Lua modules name the line of the code that called them (as
-- lauxlib blames the caller), never a line of the stdlib itself: one case per module.
local T = require "descry.test"
local la = require "descry.la"
local plot = require "descry.plot"
local dataset = require "descry.dataset"
local pretty = require "descry.pretty"
local repl = require "descry.repl"
local errors = require "descry.errors"

local here = debug.getinfo(1, "S").short_src

-- Calls fn (a one-line function of this file) and checks that its error names fn's line.
local function blames_here(fn, text)
  local ok, msg = pcall(fn)
  T.falsy(ok, "no error raised")
  local line = debug.getinfo(fn, "S").linedefined
  local position = here .. ":" .. line .. ": "
  T.eq(tostring(msg):sub(1, #position), position, "position of: " .. tostring(msg))
  if text then T.truthy(tostring(msg):find(text, 1, true), tostring(msg)) end
end

T.test("descry.plot errors name the caller's line", function()
  blames_here(function() plot.lines(5) end, "bad argument #1 to 'plot.lines' (options table expected, got number)")
  blames_here(function() plot.lines { x = { 1, 2 } } end, "plot.lines: option 'y' is required")
  blames_here(function() plot.lines { y = {} } end, "'y' is empty")
  blames_here(function() plot.scatter { x = { 1 }, y = { 1, 2 }, colour = 1 } end, "unknown option 'colour'")
  blames_here(function() plot.hist { values = la.zeros(3, 1), bins = 0 } end, "'bins' must be a positive integer")
  blames_here(function() plot.figure { 1 } end, "item 1 is not a panel")
  blames_here(function() plot.figure "x" end, "bad argument #1 to 'plot.figure'")
end)

T.test("descry.dataset errors name the caller's line", function()
  blames_here(function() dataset.open(3) end, "bad argument #1 to 'dataset.open' (string expected, got number)")
  blames_here(function() dataset.open("/nonexistent-descry-dataset") end, "dataset: cannot read the dataset")
end)

T.test("descry.repl (help, time, timeit, reload) errors name the caller's line", function()
  blames_here(function() repl.time(5) end, "bad argument #1 to 'time' (function expected, got number)")
  blames_here(function() repl.timeit("x") end, "bad argument #1 to 'timeit'")
  blames_here(function() repl.timeit(function() end, { ["repeat"] = 0 }) end, "repeat must be a positive integer")
  blames_here(function() repl.reload({}) end, "bad argument #1 to 'reload' (module name expected, got table)")
  blames_here(function() repl.reload("descry_no_such_module") end, "module 'descry_no_such_module' not found")
end)

T.test("descry.pretty and descry.errors errors name the caller's line", function()
  blames_here(function() pretty.format({}, 5) end, "bad argument #2 to 'pretty.format' (options table expected, got number)")
  blames_here(function() errors.raise("plain") end, "plain")
  blames_here(function() errors.argument(1, "f", "string", nil) end, "bad argument #1 to 'f' (string expected, got nil)")
end)

T.test("descry.test assertions name the caller's line", function()
  blames_here(function() T.eq(1, 2) end, "expected 2, got 1")
  blames_here(function() T.near(1.0, 1.5, 1e-6) end, "not near")
  blames_here(function() T.raises(function() end) end, "expected an error, none raised")
  blames_here(function() T.test(1) end, "bad argument #1 to 'test'")
end)

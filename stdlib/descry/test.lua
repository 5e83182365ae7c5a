--- descry.test: a small assertion library for `descry test`.
-- Write tests in files named `*_test.lua`:
--   local T = require "descry.test"
--   T.test("adds", function() T.eq(1 + 1, 2) end)
-- Assertions raise errors located at the caller's line, so failures print file:line.
local errors = require "descry.errors"
local M = {}

local registered = {}

--- T.test(name, fn) registers a test; the runner calls fn() in protected mode.
function M.test(name, fn)
  if type(name) ~= "string" then errors.raise("bad argument #1 to 'test' (string expected)") end
  if type(fn) ~= "function" then errors.raise("bad argument #2 to 'test' (function expected)") end
  registered[#registered + 1] = { name = name, fn = fn }
end

local function show(v)
  local ok, pretty = pcall(require, "descry.pretty")
  if ok then return pretty.format(v, { max_items = 12, max_depth = 3 }) end
  return tostring(v)
end

local function deep_equal(a, b, seen)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  seen = seen or {}
  if seen[a] == b then return true end
  seen[a] = b
  for k, v in pairs(a) do
    if not deep_equal(v, b[k], seen) then return false end
  end
  for k in pairs(b) do
    if a[k] == nil then return false end
  end
  return true
end

--- T.eq(actual, expected [, msg]): equal values (tables compared deeply).
function M.eq(actual, expected, msg)
  if not deep_equal(actual, expected) then
    errors.raise((msg and msg .. ": " or "") .. "expected " .. show(expected) .. ", got " .. show(actual))
  end
end

--- T.ne(a, b [, msg]): values differ.
function M.ne(a, b, msg)
  if deep_equal(a, b) then errors.raise((msg and msg .. ": " or "") .. "values are equal: " .. show(a)) end
end

--- T.truthy(v [, msg]): v is neither nil nor false.
function M.truthy(v, msg)
  if not v then errors.raise((msg or "expected a true value") .. ", got " .. show(v)) end
end

--- T.falsy(v [, msg]): v is nil or false.
function M.falsy(v, msg)
  if v then errors.raise((msg or "expected a false value") .. ", got " .. show(v)) end
end

-- Converts matrices (anything with a :totable() method) to nested tables.
local function plain(v)
  if type(v) == "userdata" or (type(v) == "table" and getmetatable(v)) then
    local ok, t = pcall(function() return v:totable() end)
    if ok and type(t) == "table" then return t end
  end
  return v
end

local function near_diff(a, b, rtol, atol, path)
  if type(a) == "number" and type(b) == "number" then
    if a ~= a and b ~= b then return nil end
    if a == b then return nil end
    if math.abs(a - b) <= atol + rtol * math.abs(b) then return nil end
    return string.format("%s%.17g vs expected %.17g (|diff| = %.3g)", path, a, b, math.abs(a - b))
  end
  a, b = plain(a), plain(b)
  if type(a) ~= "table" or type(b) ~= "table" then
    return path .. "type mismatch: " .. show(a) .. " vs expected " .. show(b)
  end
  if #a ~= #b then return path .. "length " .. #a .. " vs expected " .. #b end
  for i = 1, #b do
    local d = near_diff(a[i], b[i], rtol, atol, path .. "[" .. i .. "]")
    if d then return d end
  end
  return nil
end

--- T.near(actual, expected [, rtol [, atol]]): numbers, arrays or matrices agree elementwise
-- within |a − e| ≤ atol + rtol·|e| (numpy.isclose); rtol defaults to 1e-9, atol to rtol.
function M.near(actual, expected, rtol, atol, msg)
  rtol = rtol or 1e-9
  atol = atol or rtol
  local d = near_diff(actual, expected, rtol, atol, "")
  if d then errors.raise((msg and msg .. ": " or "") .. "not near: " .. d) end
end

--- T.raises(fn, pattern [, ...]): fn(...) raises an error whose message matches `pattern`
-- (a Lua pattern; plain substring match is tried first). Returns the message.
function M.raises(fn, pattern, ...)
  local ok, err = pcall(fn, ...)
  if ok then errors.raise("expected an error" .. (pattern and (" matching '" .. pattern .. "'") or "") .. ", none raised") end
  local msg = tostring(err)
  if pattern and not msg:find(pattern, 1, true) and not msg:find(pattern) then
    errors.raise("error message '" .. msg .. "' does not match '" .. pattern .. "'")
  end
  return msg
end

--- T.here() -> string: the folder of the file that calls it ("." when unknown), so a test finds
-- its fixtures by a path relative to itself, e.g. T.here() .. "/../Fixtures/x.json".
function M.here()
  local source = debug.getinfo(2, "S").source
  return source:match("^@(.*)/[^/]*$") or "."
end

--- T.read(path) -> string: the whole file `path`, read in binary mode (an error when it cannot
-- be opened).
function M.read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("a")
  f:close()
  return text
end

--- T.tempdir([tag]) -> string: a fresh, empty folder $TMPDIR/descry-<tag>-XXXXXX (POSIX mkdtemp,
-- no shell); tag defaults to "test".
function M.tempdir(tag)
  local parent = os.getenv("TMPDIR") or "/tmp"
  return require("descry.fs").mkdtemp(parent .. "/descry-" .. (tag or "test") .. "-")
end

--- T.relerr(a, b) -> number: the largest |a − b| relative to the largest |b|, over two matrices
-- of equal size (an assertion error when their sizes differ).
function M.relerr(a, b)
  local ta, tb = a:totable(true), b:totable(true)
  M.eq(#ta, #tb)
  local d, s = 0, 0
  for i = 1, #ta do
    d = math.max(d, math.abs(ta[i] - tb[i]))
    s = math.max(s, math.abs(tb[i]))
  end
  return d / s
end

--- Runner entry (used by `descry test`): runs file `path`, then its registered tests.
-- Prints failures with file:line; returns passed, failed.
function M._run_file(path)
  registered = {}
  local chunk, err = loadfile(path)
  if not chunk then
    print("FAIL " .. path .. "\n    " .. err)
    return 0, 1
  end
  local ok, lerr = xpcall(chunk, debug.traceback)
  if not ok then
    print("FAIL " .. path .. " (while loading)\n    " .. tostring(lerr):gsub("\n", "\n    "))
    return 0, 1
  end
  if #registered == 0 then return 1, 0 end
  local passed, failed = 0, 0
  for _, t in ipairs(registered) do
    local tok, terr = xpcall(t.fn, function(e)
      return debug.traceback(tostring(e), 2)
    end)
    if tok then
      passed = passed + 1
    else
      failed = failed + 1
      local first, rest = tostring(terr):match("^(.-)\n(.*)$")
      print("FAIL " .. path .. " :: " .. t.name .. "\n    " .. (first or tostring(terr)))
      if os.getenv("DESCRY_TEST_VERBOSE") and rest then print("    " .. rest:gsub("\n", "\n    ")) end
    end
  end
  print(string.format("%-44s %3d ok %3d failed", path, passed, failed))
  return passed, failed
end

if pcall(require, "descry.core") then require("descry.luadoc").attach(M) end
return M

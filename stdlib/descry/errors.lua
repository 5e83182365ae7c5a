--- descry.errors: errors raised by descry's Lua modules blame the caller's line, as lauxlib's
-- luaL_error/luaL_argerror do for C functions: the position in the message is that of the
-- first function outside descry's stdlib folder, however deep inside the stdlib the error
-- was found.
local M = {}

local this_dir = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or ""

local function in_stdlib(info)
  return info.what == "C" or info.source:sub(1, 1 + #this_dir) == "@" .. this_dir
end

--- errors.raise(message)
-- Raises message with the position of the user's line that called into the stdlib (the first
-- stack frame outside descry's stdlib folder). Never returns.
function M.raise(message)
  local k = 2
  while true do
    local info = debug.getinfo(k, "S")
    if info == nil then error(message, 0) end
    if not in_stdlib(info) then error(message, k) end
    k = k + 1
  end
end

--- errors.argument(n, fname, expected, got)
-- Raises "bad argument #n to 'fname' (expected expected, got <type of got>)" at the user's line.
function M.argument(n, fname, expected, got)
  M.raise(("bad argument #%d to '%s' (%s expected, got %s)"):format(n, fname, expected, type(got)))
end

if pcall(require, "descry.core") then require("descry.luadoc").attach(M) end
return M

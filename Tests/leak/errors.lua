-- Raises errors through Swift-implemented functions in every way the bridge reports them
-- (thrown LuaError, bad argument, option errors), catches them, and creates/collects Swift
-- objects. Run under valgrind by Tests/leak/run: no invalid access and no definite leak allowed.
local core = require "descry.core"
local n = tonumber(arg and arg[1]) or 2000
local caught = 0
for i = 1, n do
  if not pcall(core.fail, "boom " .. i) then caught = caught + 1 end
  if not pcall(core.fail, i) then caught = caught + 1 end          -- bad argument
  if not pcall(core.setdoc, 1, "x") then caught = caught + 1 end   -- type error
  local ok = pcall(function() core.fail(string.rep("x", 100)) end)
  if not ok then caught = caught + 1 end
  -- Swift objects created and collected (present when descry.la is built in).
  local okla, la = pcall(require, "descry.la")
  if okla and la.zeros then
    local m = la.zeros(3, 3)
    pcall(function() return m * la.zeros(2, 2) end)
  end
end
collectgarbage()
assert(caught == 4 * n, "caught " .. caught)
print("raised and caught " .. caught .. " errors")

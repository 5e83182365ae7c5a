--- descry.luadoc: docstrings of descry's Lua modules taken from their source comments, so that
-- each is written once: the `---` comment block right above `function M.name(...)` is both the
-- code's comment and what help(M.name) prints; the block at the top of the file documents the
-- module. Also the source view of `??f`.
local M = {}

local file_lines = {}

--- luadoc.lines(path) -> array of strings | nil
-- The lines of a source file (cached; nil when it cannot be read).
function M.lines(path)
  local cached = file_lines[path]
  if cached ~= nil then return cached or nil end
  local f = io.open(path, "r")
  if not f then
    file_lines[path] = false
    return nil
  end
  local lines = {}
  for l in f:lines() do lines[#lines + 1] = l end
  f:close()
  file_lines[path] = lines
  return lines
end

-- The comment block that ends on line `last` (and starts with `---`), as text without the
-- comment markers; nil when there is none.
local function block_ending_at(lines, last)
  local first = last
  while first >= 1 and lines[first]:match("^%s*%-%-") do first = first - 1 end
  first = first + 1
  if first > last then return nil end
  -- the block starts at its `---` line (a plain `--` line above it belongs to other code)
  while first <= last and not lines[first]:match("^%s*%-%-%-") do first = first + 1 end
  if first > last then return nil end
  local out = {}
  for k = first, last do
    local text = lines[k]:gsub("^%s*%-%-%-?%s?", "")
    out[#out + 1] = text
  end
  while out[#out] == "" do out[#out] = nil end
  return table.concat(out, "\n")
end

--- luadoc.source(f) -> path, first, last | nil
-- Where Lua function f is defined: its file and first/last line (nil for C/Swift functions or
-- functions typed at the prompt).
function M.source(f)
  local info = debug.getinfo(f, "S")
  if info.what ~= "Lua" or info.source:sub(1, 1) ~= "@" then return nil end
  return info.source:sub(2), info.linedefined, info.lastlinedefined
end

--- luadoc.comment(f) -> string | nil
-- The `---` comment block directly above the definition of Lua function f.
function M.comment(f)
  local path, first = M.source(f)
  if not path then return nil end
  local lines = M.lines(path)
  if not lines then return nil end
  return block_ending_at(lines, first - 1)
end

--- luadoc.attach(module [, classes...]) -> module
-- Sets the docstring (core.setdoc) of every function of module and of each class table from
-- the comment above its definition, and the module's docstring from the file's first comment
-- block. Functions that already have a docstring keep it.
function M.attach(module, ...)
  local core = require "descry.core"
  local path = debug.getinfo(2, "S").source:match("^@(.*)$")
  local lines = path and M.lines(path)
  if lines and not core.doc(module) then
    local last = 0
    while lines[last + 1] and lines[last + 1]:match("^%-%-") do last = last + 1 end
    local text = block_ending_at(lines, last)
    if text then core.setdoc(module, text) end
  end
  for _, t in ipairs({ module, ... }) do
    for _, v in pairs(t) do
      if type(v) == "function" and not core.doc(v) then
        local text = M.comment(v)
        if text then core.setdoc(v, text) end
      end
    end
  end
  return module
end

M.attach(M)
return M

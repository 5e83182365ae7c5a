--- descry.pretty: readable text for any Lua value, as the REPL shows it.
-- Tables: sorted keys (numbers first, then strings, then others), indentation, short arrays
-- on one line, truncation of long or deep tables, and cycles marked. Values with __tostring
-- (la matrices, structures, fitted models) print through it.
local M = {}

local defaults = { max_items = 40, max_depth = 4, width = 80, indent = "  " }

local keywords = {}
for w in ([[and break do else elseif end false for function goto if in local nil not or
  repeat return then true until while]]):gmatch("%a+") do keywords[w] = true end

local function is_identifier(s)
  return type(s) == "string" and s:match("^[%a_][%w_]*$") and not keywords[s]
end

local type_rank = { number = 1, string = 2, boolean = 3 }

local function key_less(a, b)
  local ra, rb = type_rank[type(a)] or 4, type_rank[type(b)] or 4
  if ra ~= rb then return ra < rb end
  if ra <= 2 then return a < b end
  return tostring(a) < tostring(b)
end

local function scalar(v)
  local t = type(v)
  if t == "string" then return string.format("%q", v):gsub("\\\n", "\\n") end
  if t == "number" then
    if math.type(v) == "integer" then return tostring(v) end
    if v ~= v then return "nan" end
    if v == math.huge then return "inf" elseif v == -math.huge then return "-inf" end
    return string.format("%.14g", v):find("[%.eni]") and string.format("%.14g", v)
      or string.format("%.1f", v)
  end
  local mt = getmetatable(v)
  if mt ~= nil and type(mt) == "table" and rawget(mt, "__tostring") then
    local ok, s = pcall(tostring, v)
    if ok then return s end
    return "<error in __tostring: " .. tostring(s) .. ">"
  end
  return tostring(v)
end

local function has_tostring(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__tostring") ~= nil
end

local function format(v, opts, depth, seen, indent)
  if type(v) ~= "table" or has_tostring(v) then return scalar(v) end
  if seen[v] then return "<cycle: " .. tostring(v) .. ">" end
  if depth >= opts.max_depth then return "{...}" end
  seen[v] = true
  local keys, n = {}, #v
  for k in pairs(v) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, key_less)
  local items, total = {}, n + #keys
  local shown = 0
  local function add(s)
    shown = shown + 1
    items[#items + 1] = s
  end
  for i = 1, n do
    if shown >= opts.max_items then break end
    add(format(v[i], opts, depth + 1, seen, indent .. opts.indent))
  end
  for _, k in ipairs(keys) do
    if shown >= opts.max_items then break end
    local ks = is_identifier(k) and k or ("[" .. scalar(k) .. "]")
    add(ks .. " = " .. format(v[k], opts, depth + 1, seen, indent .. opts.indent))
  end
  seen[v] = nil
  if total > shown then items[#items + 1] = "... (" .. (total - shown) .. " more)" end
  if #items == 0 then return "{}" end
  local one_line = "{" .. table.concat(items, ", ") .. "}"
  if #one_line + #indent <= opts.width and not one_line:find("\n") then return one_line end
  local inner = indent .. opts.indent
  -- Arrays of short scalars wrap like text; anything else goes one item per line.
  local packable = #keys == 0
  for _, s in ipairs(items) do
    if s:find("\n") or #s > 20 then packable = false break end
  end
  if packable then
    local lines, line = {}, ""
    for i, s in ipairs(items) do
      local piece = s .. (i < #items and "," or "")
      if #line > 0 and #inner + #line + 1 + #piece > opts.width then
        lines[#lines + 1] = line
        line = piece
      else
        line = (#line > 0) and (line .. " " .. piece) or piece
      end
    end
    lines[#lines + 1] = line
    return "{\n" .. inner .. table.concat(lines, "\n" .. inner) .. "\n" .. indent .. "}"
  end
  return "{\n" .. inner .. table.concat(items, ",\n" .. inner) .. "\n" .. indent .. "}"
end

--- pretty.format(v [, opts]) -> string
-- Text for v. opts: max_items (40), max_depth (4), width (80), indent ("  ").
function M.format(v, opts)
  local o = {}
  for k, d in pairs(defaults) do o[k] = (opts and opts[k] ~= nil) and opts[k] or d end
  return format(v, o, 0, {}, "")
end

--- pretty.print(...) prints each value formatted, tab-separated, like the REPL.
function M.print(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = M.format((select(i, ...))) end
  print(table.concat(parts, "\t"))
end

do
  local ok, core = pcall(require, "descry.core")
  if ok then
    core.setdoc(M, "descry.pretty: readable text for Lua values (sorted keys, wrapping, truncation, cycles).\n" ..
      "pretty.format(v [, opts]) -> string; pretty.print(...) (the REPL's pp).")
    core.setdoc(M.format, "pretty.format(v [, opts]) -> string\nopts: max_items (40), max_depth (4), width (80), indent.")
    core.setdoc(M.print, "pretty.print(...)\nPretty-prints values: sorted keys, indentation, truncation of long/deep tables, cycles marked.")
  end
end

return M

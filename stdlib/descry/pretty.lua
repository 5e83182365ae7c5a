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

--- pretty.number(x) -> string
-- The shortest decimal text that reads back as exactly the float x (as Python's repr and
-- Julia's show): 0.1 + 0.2 -> "0.30000000000000004", 2^53 -> "9007199254740992.0",
-- 1e300 -> "1e+300". Integers (math.type "integer") print as integers.
function M.number(x)
  if math.type(x) ~= "float" then return tostring(x) end
  if x ~= x then return "nan" end
  if x == math.huge then return "inf" elseif x == -math.huge then return "-inf" end
  -- %.15g already gives the shortest text when it has at most 15 significant digits (normal
  -- numbers); subnormals have fewer digits of precision, so they try every length.
  local s
  for digits = math.abs(x) >= 2.2250738585072014e-308 and 15 or 1, 17 do
    s = string.format("%." .. digits .. "g", x)
    if tonumber(s) == x then break end
  end
  if not s:find("[%.eni]") then s = s .. ".0" end
  return s
end

local function scalar(v)
  local t = type(v)
  if t == "string" then return string.format("%q", v):gsub("\\\n", "\\n") end
  if t == "number" then
    if math.type(v) == "integer" then return tostring(v) end
    if v ~= v then return "nan" end
    if v == math.huge then return "inf" elseif v == -math.huge then return "-inf" end
    return M.number(v)
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
  if opts ~= nil and type(opts) ~= "table" then
    require("descry.errors").argument(2, "pretty.format", "options table", opts)
  end
  local o = {}
  for k, d in pairs(defaults) do o[k] = (opts and opts[k] ~= nil) and opts[k] or d end
  return format(v, o, 0, {}, "")
end

--- pretty.print(...)   (the global pp)
-- Prints each value as pretty.format does, tab-separated, as the REPL shows values: sorted
-- keys, indentation, truncation of long/deep tables, cycles marked.
function M.print(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = M.format((select(i, ...))) end
  print(table.concat(parts, "\t"))
end

if pcall(require, "descry.core") then require("descry.luadoc").attach(M) end

return M

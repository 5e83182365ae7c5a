--- descry.jupyter: descry under a Jupyter frontend (`descry kernel`): the text of a cell's
-- result (execute_result) as the REPL prints it, help text for inspection (Shift-Tab), io.read
-- through the notebook's input box (input_request), display(x) for rich output (display_data:
-- matrices as HTML tables) and descry.plot figures shown inline (PNG and SVG).
local pretty = require "descry.pretty"
local repl = require "descry.repl"
local M = {}

--- jupyter.format(...) -> string
-- The text the REPL prints for the values ...: pretty.format of each, tab-separated, without
-- colours; the first value becomes the global `_`, as at the prompt.
function M.format(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = pretty.format((select(i, ...))) end
  rawset(_G, "_", (...))
  return table.concat(parts, "\t")
end

--- jupyter.help_text(expression) -> string, boolean
-- What `?expression` prints (docstring, functions or methods), collected instead of paged; the
-- boolean is false when expression names nothing.
function M.help_text(expression)
  local out = {}
  local page = repl.page
  repl.page = function(text) out[#out + 1] = tostring(text) end
  local ok, err = pcall(repl.help_expression, expression)
  repl.page = page
  if not ok then return tostring(err), false end
  local text = table.concat(out, "\n")
  return text, text:sub(1, 6) ~= "help: "
end

local function escape_html(s)
  return (s:gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;" }))
end

--- jupyter.html_table(m [, max_rows]) -> string
-- An la.matrix as an HTML table (numbers with %.6g, at most max_rows rows, default 50, then
-- a row saying how many were left out), for display(m).
function M.html_table(m, max_rows)
  max_rows = max_rows or 50
  local r, c = m:shape()
  local out = { "<table>", "<caption>" .. r .. "×" .. c .. " matrix</caption>" }
  for i = 1, math.min(r, max_rows) do
    local cells = {}
    for j = 1, c do cells[j] = "<td>" .. escape_html(string.format("%.6g", m:get(i, j))) .. "</td>" end
    out[#out + 1] = "<tr>" .. table.concat(cells) .. "</tr>"
  end
  if r > max_rows then
    out[#out + 1] = '<tr><td colspan="' .. c .. '">… ' .. (r - max_rows) .. " more rows</td></tr>"
  end
  out[#out + 1] = "</table>"
  return table.concat(out, "\n")
end

local function is_matrix(x)
  local ok, la = pcall(require, "descry.la")
  return ok and la.ismatrix(x)
end

-- io.read through input(): formats "l" (default), "L", "n", "a" and a byte count, each
-- answered by one line typed in the frontend.
local function reader(input)
  return function(...)
    local formats = table.pack(...)
    if formats.n == 0 then formats = { "l", n = 1 } end
    local results = {}
    for i = 1, formats.n do
      local f = formats[i]
      if type(f) == "string" then f = f:gsub("^%*", ""):sub(1, 1) end
      local line = input("")
      if f == "n" then
        results[i] = tonumber(line)
      elseif f == "L" then
        results[i] = line .. "\n"
      elseif f == "l" or f == "a" then
        results[i] = line
      elseif math.type(f) == "integer" then
        results[i] = line:sub(1, f)
      else
        error("bad argument #" .. i .. " to 'read' (invalid format)", 2)
      end
    end
    return table.unpack(results, 1, formats.n)
  end
end

--- jupyter.install(input, send)
-- Called by the kernel at start-up with its functions input(prompt) (a line from the
-- frontend) and send(bundle) (display_data of a MIME type → text table): replaces io.read,
-- defines the global display(x) and makes descry.plot figures without `file` display inline.
function M.install(input, send)
  io.read = reader(input)
  local core = require "descry.core"
  local display = function(x)
    local bundle = { ["text/plain"] = M.format(x) }
    if is_matrix(x) then bundle["text/html"] = M.html_table(x) end
    send(bundle)
  end
  core.setdoc(display, [[display(x)
Shows x in the notebook (display_data): the text the REPL prints, and for an la.matrix an HTML
table too. Only under `descry kernel` (Jupyter).]])
  rawset(_G, "display", display)
  local ok, plot = pcall(require, "descry.plot")
  if ok then
    local inline = require "descry.inline"
    inline.display = send
    inline.install(plot)
  end
end

require("descry.luadoc").attach(M)
return M

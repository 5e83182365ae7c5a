-- descry.jupyter (the Lua side of `descry kernel`): result text as the REPL prints it, help text
-- as `?x` prints it, HTML tables for display(matrix), io.read answered through input(), and
-- figures handed to the kernel's display function as PNG and SVG.
local T = require "descry.test"
local jupyter = require "descry.jupyter"
local pretty = require "descry.pretty"
local la = require "descry.la"

T.test("format: pretty.format of each value, tab-separated; the first value becomes _", function()
  T.eq(jupyter.format(1, "a", { x = 2 }), "1\t\"a\"\t" .. pretty.format({ x = 2 }))
  T.eq(_, 1)
end)

T.test("help_text: the docstring ?la.zeros shows; an unknown name is not found", function()
  local text, found = jupyter.help_text("la.zeros")
  T.truthy(found)
  T.truthy(text:find(require("descry.core").doc(la.zeros), 1, true), text)
  local why, found2 = jupyter.help_text("no_such_name.field")
  T.eq(found2, false)
  T.truthy(why:find("nil", 1, true), why)
end)

T.test("html_table: every entry with %.6g, long matrices cut with a note", function()
  local html = jupyter.html_table(la.matrix({ { 1, 2 }, { 3, 4.5 } }))
  T.truthy(html:find("<td>4.5</td>", 1, true), html)
  T.truthy(html:find("2×2 matrix", 1, true), html)
  local long = jupyter.html_table(la.zeros(60, 1), 50)
  T.truthy(long:find("10 more rows", 1, true), long)
  local _, rows = long:gsub("<tr>", "")
  T.eq(rows, 51)
end)

T.test("install: io.read formats answered by input(), display(x) and figures reach send", function()
  local saved_read, saved_display = io.read, rawget(_G, "display")
  local inline = require "descry.inline"
  local answers, sent = { "hello", "41", "more" }, {}
  jupyter.install(function() return table.remove(answers, 1) end, function(b) sent[#sent + 1] = b end)
  local ok, err = pcall(function()
    local a, n, l = io.read("l", "n", "L")
    T.eq(a, "hello")
    T.eq(n, 41)
    T.eq(l, "more\n")
    display(la.matrix({ { 1, 2 } }))
    T.truthy(sent[1]["text/html"]:find("<td>2</td>", 1, true))
    require("descry.plot").lines{ x = { 1, 2, 3 }, y = { { 1, 4, 9 } }, labels = { "y" } }
    T.eq(sent[2]["image/png"]:sub(1, 4), "iVBO")   -- base64 of "\137PNG"
    T.truthy(sent[2]["image/svg+xml"]:find("<svg", 1, true))
    T.truthy(sent[2]["text/plain"]:find("+-----", 1, true), sent[2]["text/plain"])  -- the REPL's text figure
  end)
  io.read, inline.display = saved_read, nil
  rawset(_G, "display", saved_display)
  assert(ok, err)
end)

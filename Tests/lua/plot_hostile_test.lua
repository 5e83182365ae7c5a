-- descry.plot with hostile text (issue 9, hole 1): every string that reaches gnuplot is data,
-- never code. gnuplot substitutes `back-quoted` shell commands inside double-quoted strings and
-- a newline starts a new command (e.g. "!shell command"); plot text is single-quoted ('' for a
-- quote) and text with a control character is refused. Each attack tries to create a file
-- `pwned` in a fresh folder; the tests assert it never appears.
local T = require "descry.test"
local plot = require "descry.plot"
local la = require "descry.la"

local dir = T.tempdir()
local pwned = dir .. "/pwned"

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

local x = la.linspace(0, 1, 5)
local touch = "`touch " .. pwned .. "`"
-- one line each: back-quotes, a quote then back-quotes, a macro, the plot's data-file
-- placeholder, a gnuplot system() call after closing a quote
local one_line = {
  touch,
  "it's " .. touch,
  "@x " .. touch .. " @x",
  "@DATA1@" .. touch .. "@DATA1@",
  "x' . system('touch " .. pwned .. "') . '",
  '"' .. touch .. '"',
}
local multi_line = {
  "a\n!touch " .. pwned,
  "a\r\n!touch " .. pwned,
  "a\0b",
}

T.test("hostile one-line text in every text option is drawn literally and runs nothing", function()
  for i, text in ipairs(one_line) do
    for _, opt in ipairs { "title", "xlabel", "ylabel" } do
      local o = { x = x, y = x, file = dir .. "/t.svg" }
      o[opt] = text
      local svg = T.read(plot.lines(o))
      T.falsy(exists(pwned), opt .. " " .. i .. " ran a shell command")
      T.truthy(svg:find("touch", 1, true), opt .. " " .. i .. " text is drawn")
    end
    plot.lines { x = x, y = x, labels = { text }, file = dir .. "/l.svg" }
    plot.scatter { x = x, y = x, label = text, file = dir .. "/s.svg" }
    plot.band { x = x, mean = x, std = x * 0 + 0.1, labels = { text }, truth = x, truth_label = text,
      file = dir .. "/b.svg" }
    plot.parity { actual = x, predicted = x, label = text, file = dir .. "/p.svg" }
    plot.hist { values = x, labels = { text }, file = dir .. "/h.svg" }
    plot.heatmap { z = la.eye(3), cblabel = text, file = dir .. "/m.svg" }
    plot.figure { title = text, file = dir .. "/f.svg", plot.panel.lines { y = x, title = text },
      plot.panel.hist { values = x, xlabel = text } }
    T.falsy(exists(pwned), "text " .. i .. " ran a shell command")
  end
end)

T.test("text with a line break or another control character is refused, naming the option", function()
  for _, text in ipairs(multi_line) do
    T.raises(function() plot.lines { x = x, y = x, title = text, file = dir .. "/n.png" } end,
      "plot.lines: title contains a control character")
    T.raises(function() plot.lines { x = x, y = x, xlabel = text, file = dir .. "/n.png" } end,
      "plot.lines: xlabel contains a control character")
    T.raises(function() plot.lines { x = x, y = x, labels = { "ok", text }, y = la.hcat(x, x),
      file = dir .. "/n.png" } end, "plot.lines: label 2 contains a control character")
    T.raises(function() plot.figure { title = text, file = dir .. "/n.png", plot.panel.lines { y = x },
      plot.panel.lines { y = x } } end,
      "plot.figure: title contains a control character")
  end
  T.falsy(exists(pwned))
end)

T.test("CSV column names used as series labels stay data", function()
  local csv = dir .. "/cols.csv"
  local f = assert(io.open(csv, "wb"))
  f:write("t,`touch " .. pwned .. "`\n0,1\n1,2\n2,4\n")
  f:close()
  local m, header = la.loadcsv(csv)
  T.eq(header[2], "`touch " .. pwned .. "`")
  local svg = T.read(plot.lines { x = m:col(1), y = m:col(2), labels = { header[2] }, xlabel = header[1],
    file = dir .. "/csv.svg" })
  T.truthy(svg:find("touch", 1, true))
  T.falsy(exists(pwned))
end)

T.test("key is checked against gnuplot's position words", function()
  T.raises(function() plot.lines { x = x, y = x, labels = { "a" }, key = "top left; system 'touch " .. pwned .. "'",
    file = dir .. "/k.png" } end, "'key': unknown position word 'left;'")
  T.raises(function() plot.lines { x = x, y = x, labels = { "a" }, key = "top\n!touch " .. pwned,
    file = dir .. "/k.png" } end, "'key': unknown position word")
  T.raises(function() plot.lines { x = x, y = x, labels = { "a" }, key = 3, file = dir .. "/k.png" } end,
    "'key' must be a string")
  T.eq(plot.lines { x = x, y = x, labels = { "a" }, key = "bottom right", file = dir .. "/k.png" }, dir .. "/k.png")
  T.falsy(exists(pwned))
end)

T.test("sizes must be positive integers", function()
  T.raises(function() plot.lines { y = x, size = { "1; !touch x", 3 }, file = dir .. "/z.png" } end,
    "'width' must be a positive integer")
  T.raises(function() plot.lines { y = x, height = 2.5, file = dir .. "/z.png" } end,
    "'height' must be a positive integer")
end)

T.test("a hostile output file name is a name, not code", function()
  local name = dir .. "/it's `touch " .. pwned .. "` $(touch " .. pwned .. ").svg"
  T.eq(plot.lines { x = x, y = x, file = name }, name)
  T.truthy(T.read(name):find("<svg", 1, true))
  T.falsy(exists(pwned))
  local dash = dir .. "/-rf.svg"
  T.eq(plot.lines { x = x, y = x, file = dash }, dash)
  T.truthy(exists(dash))
end)

-- registered last, so it runs after the tests above (T.test only registers)
T.test("clean up the temporary folder", function() os.execute("rm -rf '" .. dir .. "'") end)

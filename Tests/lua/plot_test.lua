-- descry.plot: files are real PNG/SVG figures with the requested content; terminal plots print;
-- bad input gives clear errors naming the function.
local T = require "descry.test"
local plot = require "descry.plot"
local la = require "descry.la"

local dir = T.tempdir()

local t = la.linspace(0, 10, 101)

T.test("lines to PNG: a real PNG image of the requested size", function()
  local f = plot.lines{x = t, y = la.hcat(t:sin(), t:cos()), labels = {"sin", "cos"},
    title = "waves", xlabel = "t (ps)", ylabel = "E (eV)", file = dir .. "/a/lines.png", size = {500, 300}}
  T.eq(f, dir .. "/a/lines.png")
  local png = T.read(f)
  T.eq(png:sub(1, 8), "\137PNG\r\n\26\n")
  local w, h = string.unpack(">I4I4", png, 17)
  T.eq({ w, h }, { 500, 300 })
end)

T.test("band, parity, hist, heatmap to SVG carry titles and key text", function()
  local f = plot.band{x = t, mean = t:sin(), std = t * 0 + 0.1, truth = t:cos(), truth_label = "MD",
    title = "forecast band", file = dir .. "/band.svg"}
  local svg = T.read(f)
  T.truthy(svg:find("<svg", 1, true))
  T.truthy(svg:find("forecast band", 1, true))
  T.truthy(svg:find("mean ± 1σ", 1, true))
  T.truthy(svg:find("MD", 1, true))
  -- parity: the key reports R² and RMSE computed from the data (perfect prediction here)
  local a = la.linspace(0, 1, 50)
  svg = T.read(plot.parity{actual = a, predicted = a * 1, label = "energy", file = dir .. "/parity.svg"})
  T.truthy(svg:find("energy: R² = 1.0000, RMSE = 0", 1, true), "parity key")
  svg = T.read(plot.hist{values = la.randn(500, 1), bins = 10, title = "hist", file = dir .. "/h.svg"})
  T.truthy(svg:find("count", 1, true))
  svg = T.read(plot.heatmap{z = la.randn(4, 5), cblabel = "energy", file = dir .. "/m.svg"})
  T.truthy(svg:find("energy", 1, true))
end)

T.test("multi-panel figure", function()
  local f = plot.figure{layout = {1, 2}, file = dir .. "/fig.png", title = "two",
    plot.panel.lines{y = t:sin()}, plot.panel.scatter{x = t, y = t:cos()}}
  T.eq(T.read(f):sub(2, 4), "PNG")
end)

T.test("terminal plot prints text and returns nil", function()
  local out = os.tmpname()
  local saved = io.output()
  io.output(out)
  local r = plot.lines{y = {1, 4, 9, 16}, title = "squares-in-terminal", size = {60, 15}}
  io.output():close()
  io.output(saved)
  T.eq(r, nil)
  T.truthy(T.read(out):find("squares-in-terminal", 1, true))
  os.remove(out)
end)

T.test("bad input: clear errors naming the function", function()
  T.raises(function() plot.lines{x = {1, 2, 3}, y = {1, 2}} end, "plot.lines: 'y' has 2 values but 'x' has 3")
  T.raises(function() plot.lines{y = {1, 2}, colour = "red"} end, "plot.lines: unknown option 'colour'")
  T.raises(function() plot.lines{} end, "plot.lines: option 'y' is required")
  T.raises(function() plot.lines{y = {1, "a"}} end, "plot.lines: 'y'")
  T.raises(function() plot.lines{y = {1, 2}, file = dir .. "/x.pdf"} end, "unsupported file type 'pdf'")
  T.raises(function() plot.hist{values = {1, 2}, bins = 0} end, "'bins' must be a positive integer")
  T.raises(function() plot.lines{y = {1, 2}, yrange = {"a"}, file = dir .. "/r.png"} end, "plot.lines: 'yrange' must be {min, max}")
  T.eq(plot.lines{y = {1, 2}, yrange = {0.5, nil}, logy = true, file = dir .. "/r.png"}, dir .. "/r.png")
  T.raises(function() plot.lines("x") end, "bad argument #1 to 'plot.lines' (options table expected, got string)")
  T.raises(function() plot.figure{layout = {1, 1}, plot.panel.lines{y = {1}}, plot.panel.lines{y = {2}}} end,
    "2 panels do not fit a 1×1 layout")
  T.raises(function() plot.lines{y = {1, 2}, gnuplot = "/nonexistent/gnuplot", file = dir .. "/y.png"} end,
    "gnuplot is not installed")
  T.raises(function() plot.lines{y = {1, 2}, file = "/proc/forbidden/x.png"} end, "cannot write '/proc/forbidden/x.png'")
end)

T.test("docstrings", function()
  T.truthy(core.doc(plot.band):match("^plot%.band"))
  T.truthy(core.doc(plot):match("^descry%.plot"))
end)

os.execute("rm -rf '" .. dir .. "'")

--- descry.plot: figures as PNG or SVG files, or as text in the terminal, one Lua call each.
-- Backend: gnuplot (Debian package gnuplot-nox), driven through a generated script; data
-- goes through la's CSV writer, so no per-point Lua work. The output format follows the file
-- name (.png, .svg); without `file` the figure is drawn in the terminal (gnuplot's dumb
-- terminal). Files are written atomically (core.writefile: temporary file, fsync, rename).
--
--   plot.lines{x = t, y = Y, labels = {"E"}, xlabel = "t (ps)", ylabel = "E (eV)", file = "e.png"}
--   plot.band{x = t, mean = mu, std = sd, truth = y, file = "forecast.svg"}
--   plot.scatter{x = a, y = b}            plot.parity{actual = y, predicted = yhat}
--   plot.hist{values = v, bins = 40}      plot.heatmap{z = M}
--   plot.figure{layout = {2, 2}, file = "all.png", plot.panel.lines{...}, plot.panel.hist{...}}
local la = require "descry.la"
local core = require "descry.core"

local M = { panel = {} }

local palette = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
  "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" }

-- Options every panel accepts, and those of each kind.
local common = { title = true, xlabel = true, ylabel = true, logx = true, logy = true,
  xrange = true, yrange = true, key = true, grid = true }
local figure_options = { file = true, size = true, layout = true, gnuplot = true, width = true,
  height = true, title = true }

local errors = require "descry.errors"
local function fail(fname, msg) errors.raise("plot." .. fname .. ": " .. msg) end

local function check_options(fname, opts, allowed)
  if type(opts) ~= "table" then fail(fname, "options table expected, got " .. type(opts)) end
  for k in pairs(opts) do
    if type(k) ~= "number" and not allowed[k] and not common[k] and not figure_options[k] then
      local names = {}
      for n in pairs(allowed) do names[#names + 1] = n end
      for n in pairs(common) do names[#names + 1] = n end
      table.sort(names)
      fail(fname, "unknown option '" .. tostring(k) .. "' (known: " .. table.concat(names, ", ") .. ")")
    end
  end
end

--- A column (n×1 la.matrix) from a la.matrix vector, or a Lua array of numbers.
local function column(fname, v, what)
  if la.ismatrix(v) then
    local r, c = v:shape()
    if c == 1 then return v end
    if r == 1 then return v:t() end
    fail(fname, "'" .. what .. "' must be a vector, got a " .. r .. "×" .. c .. " matrix")
  elseif type(v) == "table" then
    if #v == 0 then fail(fname, "'" .. what .. "' is empty") end
    local ok, m = pcall(la.matrix, v)
    if not ok then fail(fname, "'" .. what .. "': " .. tostring(m):gsub("^.-: ", "")) end
    local r, c = m:shape()
    if c ~= 1 then fail(fname, "'" .. what .. "' must be a vector, got " .. r .. "×" .. c) end
    return m
  end
  fail(fname, "'" .. what .. "' must be a la.matrix or an array of numbers, got " .. type(v))
end

--- A list of columns: a matrix gives one series per column; a list of vectors one each.
local function series(fname, v, what)
  if la.ismatrix(v) then
    local r, c = v:shape()
    if r == 1 or c == 1 then return { column(fname, v, what) } end
    local out = {}
    for j = 1, c do out[j] = v:col(j) end
    return out
  elseif type(v) == "table" and (la.ismatrix(v[1]) or type(v[1]) == "table") then
    local out = {}
    for i, s in ipairs(v) do out[i] = column(fname, s, what .. "[" .. i .. "]") end
    return out
  end
  return { column(fname, v, what) }
end

local function nrows(m) return (m:shape()) end

--- Text for gnuplot as data, never code: a single-quoted gnuplot string ('' stands for a quote),
-- inside which gnuplot performs no back-quote (shell) substitution, no macro (@name) expansion
-- and no escape processing. A line break would end the gnuplot command and start a new one
-- (e.g. "! shell command"), so text with a control character (newline, carriage return, tab,
-- NUL, …) is rejected with an error naming the option; nothing is silently removed.
local function gp_string(s, fname, what)
  s = tostring(s)
  local bad = s:find("[%c]")
  if bad then
    errors.raise(string.format("plot.%s: %s contains a control character (byte %d at position %d); " ..
      "plot text must be a single line", fname or "figure", what or "text", s:byte(bad), bad))
  end
  return "'" .. s:gsub("'", "''") .. "'"
end

-- Words gnuplot's `set key` accepts for placing the key; `key` is checked against this list so
-- that no other gnuplot command can reach the script through it.
local key_words = { left = true, right = true, center = true, top = true, bottom = true,
  inside = true, outside = true, above = true, below = true, over = true, under = true,
  horizontal = true, vertical = true, lmargin = true, rmargin = true, tmargin = true, bmargin = true }

local function key_text(fname, key)
  if key == nil then return "top left" end
  if type(key) ~= "string" then fail(fname, "'key' must be a string of position words, got " .. type(key)) end
  local words = {}
  for w in key:gmatch("%S+") do
    if not key_words[w] then
      local known = {}
      for k in pairs(key_words) do known[#known + 1] = k end
      table.sort(known)
      fail(fname, "'key': unknown position word '" .. w .. "' (known: " .. table.concat(known, ", ") .. ")")
    end
    words[#words + 1] = w
  end
  if #words == 0 then fail(fname, "'key' is empty") end
  return table.concat(words, " ")
end

--- A positive integer option (pixels or characters), or nil.
local function positive_int(fname, v, what)
  if v == nil then return nil end
  if math.type(v) ~= "integer" or v < 1 or v > 100000 then
    fail(fname, "'" .. what .. "' must be a positive integer (at most 100000), got " .. tostring(v))
  end
  return v
end

local function range_text(r, name, fname)
  if r == nil then return nil end
  if type(r) ~= "table" or (r[1] ~= nil and type(r[1]) ~= "number") or (r[2] ~= nil and type(r[2]) ~= "number") then
    fail(fname, "'" .. name .. "' must be {min, max} (numbers, either may be nil)")
  end
  local function v(x) return x == nil and "*" or string.format("%.17g", x) end
  return "[" .. v(r[1]) .. ":" .. v(r[2]) .. "]"
end

-- A panel is {kind, opts, setup = {lines}, plots = {clauses}, data = {files to write}}.
local Panel = {}
Panel.__index = Panel

local function new_panel(kind, opts)
  return setmetatable({ kind = kind, opts = opts, setup = {}, plots = {}, data = {} }, Panel)
end

--- Registers matrix `m` to be written as data file number k of this panel; returns a token.
function Panel:datafile(m)
  self.data[#self.data + 1] = m
  return "\1" .. #self.data .. "\1"   -- control bytes: never in (checked) user text
end

local function label_of(opts, i, default)
  if opts.labels then return opts.labels[i] end
  if opts.label and i == 1 then return opts.label end
  return default
end

local function same_length(fname, a, b, an, bn)
  if nrows(a) ~= nrows(b) then
    fail(fname, "'" .. an .. "' has " .. nrows(a) .. " values but '" .. bn .. "' has " .. nrows(b))
  end
end

local function x_for(fname, opts, n)
  if opts.x ~= nil then return column(fname, opts.x, "x") end
  return la.arange(1, n + 1)
end

-- ---------------------------------------------------------------- panel kinds

M.panel.lines = function(opts)
  check_options("lines", opts, { x = true, y = true, labels = true, label = true, style = true })
  if opts.y == nil then fail("lines", "option 'y' is required") end
  local ys = series("lines", opts.y, "y")
  local x = x_for("lines", opts, nrows(ys[1]))
  local p = new_panel("lines", opts)
  local styles = type(opts.style) == "table" and opts.style or {}
  for i = 1, #ys do
    local st = styles[i] or (type(opts.style) == "string" and opts.style) or "lines"
    if not ({ lines = 1, points = 1, linespoints = 1 })[st] then
      fail("lines", "style must be 'lines', 'points' or 'linespoints' (or a list of them), got '" .. tostring(st) .. "'")
    end
    styles[i] = st
  end
  for i, y in ipairs(ys) do
    same_length("lines", y, x, "y", "x")
    local f = p:datafile(la.hcat(x, y))
    local t = label_of(opts, i, nil)
    local marks = styles[i] == "lines" and "" or " pt 7 ps 0.6"
    p.plots[#p.plots + 1] = string.format("%s using 1:2 with %s lw 1.5%s lc rgb %q %s", f, styles[i], marks,
      palette[(i - 1) % #palette + 1], t and ("title " .. gp_string(t, "lines", "label " .. i)) or "notitle")
  end
  return p
end

M.panel.scatter = function(opts)
  check_options("scatter", opts, { x = true, y = true, labels = true, label = true, size = true })
  if opts.x == nil or opts.y == nil then fail("scatter", "options 'x' and 'y' are required") end
  local xs, ys = series("scatter", opts.x, "x"), series("scatter", opts.y, "y")
  if #xs ~= #ys and #xs ~= 1 then fail("scatter", "'x' has " .. #xs .. " series but 'y' has " .. #ys) end
  local p = new_panel("scatter", opts)
  for i, y in ipairs(ys) do
    local x = xs[#xs == 1 and 1 or i]
    same_length("scatter", y, x, "y", "x")
    local t = label_of(opts, i, nil)
    p.plots[#p.plots + 1] = string.format("%s using 1:2 with points pt 7 ps %g lc rgb %q %s",
      p:datafile(la.hcat(x, y)), opts.pointsize or 0.6, palette[(i - 1) % #palette + 1],
      t and ("title " .. gp_string(t, "scatter", "label " .. i)) or "notitle")
  end
  return p
end

--- Band: mean ± k·std for one or several series, with optional reference curves (`truth`).
M.panel.band = function(opts)
  check_options("band", opts, { x = true, mean = true, std = true, k = true, labels = true,
    label = true, truth = true, truth_label = true })
  if opts.mean == nil or opts.std == nil then fail("band", "options 'mean' and 'std' are required") end
  local means, stds = series("band", opts.mean, "mean"), series("band", opts.std, "std")
  if #means ~= #stds then fail("band", "'mean' has " .. #means .. " series but 'std' has " .. #stds) end
  local x = x_for("band", opts, nrows(means[1]))
  local k = opts.k or 1
  local p = new_panel("band", opts)
  for i, mu in ipairs(means) do
    same_length("band", mu, x, "mean", "x")
    same_length("band", stds[i], x, "std", "x")
    local color = palette[(i - 1) % #palette + 1]
    local f = p:datafile(la.hcat(x, mu, stds[i]))
    local t = label_of(opts, i, "mean")
    p.plots[#p.plots + 1] = string.format(
      "%s using 1:($2-%g*$3):($2+%g*$3) with filledcurves fs transparent solid 0.25 noborder lc rgb %q title %s",
      f, k, k, color, gp_string(string.format("%s ± %gσ", t, k), "band", "label " .. i))
    p.plots[#p.plots + 1] = string.format("%s using 1:2 with lines lw 2 lc rgb %q notitle", f, color)
  end
  if opts.truth ~= nil then
    local truths = series("band", opts.truth, "truth")
    for i, y in ipairs(truths) do
      same_length("band", y, x, "truth", "x")
      local t = (type(opts.truth_label) == "table" and opts.truth_label[i]) or
        (i == 1 and (opts.truth_label or "reference")) or nil
      p.plots[#p.plots + 1] = string.format("%s using 1:2 with lines lw %s dt %d lc rgb %q %s",
        p:datafile(la.hcat(x, y)), i == 1 and "1.6" or "1", i == 1 and 2 or 3, i == 1 and "#111111" or "#777777",
        (t and t ~= "") and ("title " .. gp_string(t, "band", "truth_label")) or "notitle")
    end
  end
  return p
end

--- Parity plot: predicted against actual with the y = x line; R² and RMSE in the key.
M.panel.parity = function(opts)
  check_options("parity", opts, { actual = true, predicted = true, label = true, labels = true })
  if opts.actual == nil or opts.predicted == nil then
    fail("parity", "options 'actual' and 'predicted' are required")
  end
  local actuals, preds = series("parity", opts.actual, "actual"), series("parity", opts.predicted, "predicted")
  if #actuals ~= #preds then fail("parity", "'actual' and 'predicted' have different series counts") end
  local p = new_panel("parity", opts)
  local lo, hi = math.huge, -math.huge
  for i, a in ipairs(actuals) do
    local y = preds[i]
    same_length("parity", y, a, "predicted", "actual")
    local n = nrows(a)
    local resid = y - a
    local sse = (resid:mul(resid)):sum()
    local centred = a - a:mean()
    local sst = (centred:mul(centred)):sum()
    local r2 = sst > 0 and (1 - sse / sst) or 0 / 0
    local rmse = math.sqrt(sse / n)
    lo = math.min(lo, a:min(), y:min())
    hi = math.max(hi, a:max(), y:max())
    local name = label_of(opts, i, nil)
    local t = string.format("%sR² = %.4f, RMSE = %.4g", name and (name .. ": ") or "", r2, rmse)
    p.plots[#p.plots + 1] = string.format("%s using 1:2 with points pt 7 ps 0.6 lc rgb %q title %s",
      p:datafile(la.hcat(a, y)), palette[(i - 1) % #palette + 1], gp_string(t, "parity", "label " .. i))
  end
  local pad = (hi - lo) * 0.05
  if pad == 0 then pad = math.abs(hi) * 0.05 + 1e-12 end
  lo, hi = lo - pad, hi + pad
  p.setup[#p.setup + 1] = string.format("set xrange [%.17g:%.17g]; set yrange [%.17g:%.17g]", lo, hi, lo, hi)
  p.setup[#p.setup + 1] = "set size ratio -1"
  p.setup[#p.setup + 1] = "set xtics rotate by -35 left"
  p.plots[#p.plots + 1] = 'x with lines dt 2 lc rgb "#555555" title "y = x"'
  p.defaults = { xlabel = "actual", ylabel = "predicted" }
  return p
end

--- Histogram with `bins` equal-width bins over the data range (or `range`), counts or density.
M.panel.hist = function(opts)
  check_options("hist", opts, { values = true, bins = true, range = true, density = true,
    labels = true, label = true })
  if opts.values == nil then fail("hist", "option 'values' is required") end
  local vs = series("hist", opts.values, "values")
  local bins = opts.bins or 30
  if math.type(bins) ~= "integer" or bins < 1 then fail("hist", "'bins' must be a positive integer") end
  local lo, hi = math.huge, -math.huge
  for _, v in ipairs(vs) do lo = math.min(lo, v:min()); hi = math.max(hi, v:max()) end
  if opts.range then lo, hi = opts.range[1], opts.range[2] end
  if not (hi > lo) then hi = lo + 1 end
  local w = (hi - lo) / bins
  local p = new_panel("hist", opts)
  p.setup[#p.setup + 1] = "set style fill transparent solid 0.45 noborder"
  p.setup[#p.setup + 1] = string.format("set xrange [%.17g:%.17g]", lo, hi)
  for i, v in ipairs(vs) do
    local scale = opts.density and 1 / (nrows(v) * w) or 1
    local t = label_of(opts, i, nil)
    -- bin centre of value x; values on the upper edge go into the last bin
    p.plots[#p.plots + 1] = string.format(
      "%s using (($1 < %.17g || $1 > %.17g) ? NaN : %.17g + %.17g*(floor(($1-%.17g)/%.17g) < %d ? floor(($1-%.17g)/%.17g) : %d) + %.17g/2):(%.17g) smooth frequency with boxes lc rgb %q %s",
      p:datafile(v), lo, hi, lo, w, lo, w, bins, lo, w, bins - 1, w, scale,
      palette[(i - 1) % #palette + 1], t and ("title " .. gp_string(t, "hist", "label " .. i)) or "notitle")
  end
  p.defaults = { ylabel = opts.density and "density" or "count" }
  return p
end

--- Heat map of matrix z (rows along y, columns along x), with optional extents x = {min, max}, y = {min, max}.
M.panel.heatmap = function(opts)
  check_options("heatmap", opts, { z = true, x = true, y = true, cblabel = true, palette = true })
  if not la.ismatrix(opts.z) then fail("heatmap", "option 'z' must be a la.matrix") end
  local r, c = opts.z:shape()
  local p = new_panel("heatmap", opts)
  local x0, x1 = 1, c
  local y0, y1 = 1, r
  if opts.x then x0, x1 = opts.x[1], opts.x[2] end
  if opts.y then y0, y1 = opts.y[1], opts.y[2] end
  local dx = c > 1 and (x1 - x0) / (c - 1) or 1
  local dy = r > 1 and (y1 - y0) / (r - 1) or 1
  p.setup[#p.setup + 1] = 'set palette defined (0 "#440154", 0.25 "#3b528b", 0.5 "#21918c", 0.75 "#5ec962", 1 "#fde725")'
  if opts.cblabel then p.setup[#p.setup + 1] = "set cblabel " .. gp_string(opts.cblabel, "heatmap", "cblabel") end
  p.setup[#p.setup + 1] = "set tics out"
  p.setup[#p.setup + 1] = "unset grid"
  p.setup[#p.setup + 1] = string.format("set xrange [%.17g:%.17g]; set yrange [%.17g:%.17g]",
    x0 - dx / 2, x0 + (c - 1) * dx + dx / 2, y0 - dy / 2, y0 + (r - 1) * dy + dy / 2)
  p.plots[#p.plots + 1] = string.format("%s matrix using (%.17g+$1*%.17g):(%.17g+$2*%.17g):3 with image notitle",
    p:datafile(opts.z), x0, dx, y0, dy)
  return p
end

-- ---------------------------------------------------------------- rendering

local function shell_quote(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function panel_script(p, files)
  local o, lines = p.opts, { "reset" }
  local d = p.defaults or {}
  lines[#lines + 1] = "set encoding utf8"
  if o.title then lines[#lines + 1] = "set title " .. gp_string(o.title, p.kind, "title") end
  local xl, yl = o.xlabel or d.xlabel, o.ylabel or d.ylabel
  if xl then lines[#lines + 1] = "set xlabel " .. gp_string(xl, p.kind, "xlabel") end
  if yl then lines[#lines + 1] = "set ylabel " .. gp_string(yl, p.kind, "ylabel") end
  if o.logx then lines[#lines + 1] = "set logscale x" end
  if o.logy then lines[#lines + 1] = "set logscale y" end
  if o.grid ~= false and not p.terminal then
    lines[#lines + 1] = 'set grid xtics ytics lt 1 lw 0.5 lc rgb "#cccccc"'
  end
  local titled = false
  for _, c in ipairs(p.plots) do
    if c:find(" title ", 1, true) then titled = true end
  end
  if titled then
    lines[#lines + 1] = "set key " .. key_text(p.kind, o.key) .. " Left reverse spacing 1.1 width 1 box opaque"
  else
    lines[#lines + 1] = "unset key"
  end
  for _, s in ipairs(p.setup) do lines[#lines + 1] = s end
  if o.xrange then lines[#lines + 1] = "set xrange " .. range_text(o.xrange, "xrange", p.kind) end
  if o.yrange then lines[#lines + 1] = "set yrange " .. range_text(o.yrange, "yrange", p.kind) end
  local clauses = {}
  for i, c in ipairs(p.plots) do
    clauses[i] = c:gsub("\1(%d+)\1", function(k) return gp_string(files[tonumber(k)], p.kind, "data file name") end)
  end
  lines[#lines + 1] = "plot " .. table.concat(clauses, ", \\\n     ")
  return table.concat(lines, "\n")
end

local function terminal_for(file, opts, npanels, rows, cols)
  if opts.size ~= nil and type(opts.size) ~= "table" then fail("figure", "'size' must be {width, height}") end
  local w = positive_int("figure", opts.width or (opts.size and opts.size[1]), "width")
  local h = positive_int("figure", opts.height or (opts.size and opts.size[2]), "height")
  if file == nil then
    return string.format("set terminal dumb size %d,%d", w or 100, h or (npanels > 1 and 24 * rows or 28))
  end
  local ext = file:match("%.(%w+)$")
  ext = ext and ext:lower()
  w = w or 640 * cols
  h = h or 440 * rows
  if ext == "png" then
    return string.format('set terminal pngcairo size %d,%d noenhanced font "sans,10"', w, h)
  elseif ext == "svg" then
    return string.format('set terminal svg size %d,%d dynamic noenhanced font "sans,10" background "#ffffff"', w, h)
  end
  return nil, "unsupported file type '" .. tostring(ext) .. "' (use .png or .svg)"
end

local function make_tempdir()
  local base = os.tmpname()
  os.remove(base)
  local ok = os.execute("mkdir -p -- " .. shell_quote(base))
  if not ok then errors.raise("plot: cannot create a temporary directory") end
  return base
end

local function render(fname, panels, opts)
  local file = opts.file
  if file ~= nil and type(file) ~= "string" then fail(fname, "'file' must be a string") end
  local n = #panels
  local rows, cols = 1, 1
  if opts.layout then
    rows, cols = opts.layout[1], opts.layout[2]
    if math.type(rows) ~= "integer" or math.type(cols) ~= "integer" or rows < 1 or cols < 1 then
      fail(fname, "'layout' must be {rows, cols} of positive integers")
    end
    if rows * cols < n then fail(fname, n .. " panels do not fit a " .. rows .. "×" .. cols .. " layout") end
  elseif n > 1 then
    cols = math.ceil(math.sqrt(n)); rows = math.ceil(n / cols)
  end
  local term, terr = terminal_for(file, opts, n, rows, cols)
  if not term then fail(fname, terr) end
  local dir = make_tempdir()
  local out = file and (dir .. "/figure." .. file:match("%.(%w+)$")) or (dir .. "/figure.txt")
  local script = { term, "set output " .. gp_string(out, fname, "output file name") }
  for i, c in ipairs(palette) do script[#script + 1] = string.format("set linetype %d lc rgb %q lw 1.5", i, c) end
  if n > 1 then
    script[#script + 1] = string.format("set multiplot layout %d,%d%s", rows, cols,
      opts.title and (" title " .. gp_string(opts.title, fname, "title")) or "")
  end
  local k = 0
  for _, p in ipairs(panels) do
    p.terminal = (file == nil)
    local files = {}
    for j, m in ipairs(p.data) do
      k = k + 1
      files[j] = string.format("%s/data%d.tsv", dir, k)
      la.savecsv(files[j], m, { delimiter = "\t" })
    end
    script[#script + 1] = panel_script(p, files)
  end
  if n > 1 then script[#script + 1] = "unset multiplot" end
  script[#script + 1] = "set output"
  local sfile = dir .. "/figure.gp"
  local f = assert(io.open(sfile, "w"))
  f:write(table.concat(script, "\n"), "\n")
  f:close()
  local gnuplot = opts.gnuplot or os.getenv("DESCRY_GNUPLOT") or "gnuplot"
  local errfile = dir .. "/stderr.txt"
  local ok = os.execute(shell_quote(gnuplot) .. " " .. shell_quote(sfile) .. " 2> " .. shell_quote(errfile))
  local ef = io.open(errfile)
  local errtext = ef and ef:read("a") or ""
  if ef then ef:close() end
  local function cleanup() os.execute("rm -rf -- " .. shell_quote(dir)) end
  if not ok then
    cleanup()
    if errtext:find("not found") then
      fail(fname, "gnuplot is not installed (Debian: apt-get install gnuplot-nox)")
    end
    fail(fname, "gnuplot failed: " .. errtext:gsub("%s+$", ""))
  end
  if file == nil then
    local tf = io.open(out)
    local text = tf and tf:read("a") or ""
    if tf then tf:close() end
    cleanup()
    io.write(text)
    return nil
  end
  -- Create the destination's folder, then move the finished figure into place atomically.
  local folder = file:match("^(.*)/[^/]*$")
  if folder and folder ~= "" then os.execute("mkdir -p -- " .. shell_quote(folder) .. " 2>/dev/null") end
  -- (core.writefile: temporary file beside `file`, fsync, rename; the old file survives a failure)
  local ff = io.open(out, "rb")
  local bytes = ff and ff:read("a")
  if ff then ff:close() end
  cleanup()
  if not bytes then fail(fname, "gnuplot wrote no figure") end
  local written, werr = pcall(core.writefile, file, bytes)
  if not written then
    local reason = tostring(werr):match(": ([^:]*)$") or tostring(werr)
    fail(fname, "cannot write '" .. file .. "': " .. reason)
  end
  return file
end

local function single(kind)
  return function(opts)
    if type(opts) ~= "table" then
      errors.argument(1, "plot." .. kind, "options table", opts)
    end
    local p = M.panel[kind](opts)
    return render(kind, { p }, opts)
  end
end

M.lines = single("lines")
M.scatter = single("scatter")
M.band = single("band")
M.parity = single("parity")
M.hist = single("hist")
M.heatmap = single("heatmap")

--- Several panels in one figure: plot.figure{layout = {rows, cols}, file = ..., title = ..., p1, p2, ...}
function M.figure(opts)
  if type(opts) ~= "table" then
    errors.argument(1, "plot.figure", "options table", opts)
  end
  local panels = {}
  for i, p in ipairs(opts) do
    if getmetatable(p) ~= Panel then fail("figure", "item " .. i .. " is not a panel (use plot.panel.<kind>{...})") end
    panels[i] = p
  end
  if #panels == 0 then fail("figure", "no panels given") end
  for k in pairs(opts) do
    if type(k) ~= "number" and not figure_options[k] then fail("figure", "unknown option '" .. tostring(k) .. "'") end
  end
  return render("figure", panels, opts)
end

-- ---------------------------------------------------------------- docstrings

local shared = "Common options: title, xlabel, ylabel, logx, logy, xrange = {min, max}, yrange, key\n" ..
  "(position words such as 'bottom right' or 'outside'; default 'top left'), grid (default true);\n" ..
  "file = 'name.png'|'name.svg'\n" ..
  "Text (titles, labels) is drawn literally, never run by gnuplot; it must be one line (a\n" ..
  "control character such as a newline is an error).\n" ..
  "(absent: drawn in the terminal), size = {w, h} (pixels; characters for the terminal).\n" ..
  "Returns the file name written (nil for the terminal). Needs gnuplot (Debian: gnuplot-nox)."
local docs = {
  lines = "plot.lines{y = Y [, x = t, labels = {...}, style = 'lines'|'points'|'linespoints' or a list per series]} -> file\n" ..
    "Line plot of one series per column of Y (or per vector in a list) against x (default 1..n).",
  scatter = "plot.scatter{x = a, y = b [, labels, pointsize]} -> file\nScatter plot of one or several (x, y) series.",
  band = "plot.band{mean = mu, std = sd [, x = t, k = 1, labels, truth = y, truth_label]} -> file\n" ..
    "Mean ± k·std bands (one per series) with optional dashed reference curves, e.g. a forecast\n" ..
    "with its uncertainty against the held-out MD.",
  parity = "plot.parity{actual = y, predicted = yhat [, label]} -> file\n" ..
    "Predicted against actual values with the y = x line; the key gives R² and RMSE.",
  hist = "plot.hist{values = v [, bins = 30, range = {lo, hi}, density = false, labels]} -> file\n" ..
    "Histogram (counts, or a probability density) of one or several samples over common bins.",
  heatmap = "plot.heatmap{z = M [, x = {xmin, xmax}, y = {ymin, ymax}, cblabel]} -> file\n" ..
    "Heat map of matrix M (columns along x, rows along y) with a viridis-like palette.",
}
for kind, text in pairs(docs) do
  core.setdoc(M[kind], text .. "\n" .. shared)
  core.setdoc(M.panel[kind], "plot.panel." .. kind .. "{...} -> panel\nA panel for plot.figure; options as plot." .. kind .. ".")
end
core.setdoc(M.figure, "plot.figure{p1, p2, ... [, layout = {rows, cols}, title, file, size]} -> file\n" ..
  "Several panels (plot.panel.lines{...}, plot.panel.parity{...}, ...) in one figure.\n" .. shared)
core.setdoc(M, "descry.plot: figures as PNG/SVG files or terminal text, one call each (gnuplot backend).\n" ..
  "lines, scatter, band (mean ± std), parity, hist, heatmap; figure{...} for multi-panel layouts.")

return M

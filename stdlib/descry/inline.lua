--- descry.inline: figures drawn inside the terminal at the REPL prompt. In a terminal that
-- speaks the kitty graphics protocol (kitty, WezTerm, ghostty) a plot without `file` is
-- rendered as PNG and sent inline; in a sixel terminal (mlterm, foot, xterm -ti vt340, ...)
-- gnuplot's sixelgd terminal converts it to sixel; elsewhere plot's text rendering stays.
-- The mode is detected from the environment and overridden with DESCRY_GRAPHICS=kitty|sixel|text
-- or inline.mode = "...". Only the interactive REPL draws inline; scripts, pipes and notebooks
-- always get text.
local M = {}

--- inline.mode: nil (detect) or "kitty", "sixel", "text" to override detection.
M.mode = nil

local sixel_terms = { mlterm = true, foot = true, yaft = true, contour = true, ["xterm-sixel"] = true }

--- inline.detect() -> "kitty" | "sixel" | "text"
-- The graphics mode of this terminal: inline.mode or DESCRY_GRAPHICS when set, else kitty for
-- kitty/WezTerm/ghostty, sixel for terminals known to draw sixel, text otherwise.
function M.detect()
  local forced = M.mode or os.getenv("DESCRY_GRAPHICS")
  if forced == "kitty" or forced == "sixel" or forced == "text" then return forced end
  local term = os.getenv("TERM") or ""
  local program = os.getenv("TERM_PROGRAM") or ""
  if os.getenv("KITTY_WINDOW_ID") or term == "xterm-kitty" or term == "xterm-ghostty"
    or program == "WezTerm" or program == "ghostty" then
    return "kitty"
  end
  if sixel_terms[term] or term:match("^foot") or term:match("^mlterm") then return "sixel" end
  return "text"
end

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

--- inline.base64(bytes) -> string
-- Standard base64 (RFC 4648, with padding) of a byte string.
function M.base64(bytes)
  local out = {}
  for i = 1, #bytes, 3 do
    local a, b, c = bytes:byte(i, i + 2)
    local n = (a << 16) | ((b or 0) << 8) | (c or 0)
    local s1, s2 = (n >> 18) & 63, (n >> 12) & 63
    local s3, s4 = (n >> 6) & 63, n & 63
    out[#out + 1] = alphabet:sub(s1 + 1, s1 + 1) .. alphabet:sub(s2 + 1, s2 + 1)
      .. (b and alphabet:sub(s3 + 1, s3 + 1) or "=") .. (c and alphabet:sub(s4 + 1, s4 + 1) or "=")
  end
  return table.concat(out)
end

--- inline.kitty(png) -> string
-- The kitty graphics protocol escape sequences that display PNG bytes png at the cursor
-- (f=100, a=T, base64 payload in chunks of 4096 with m=1 on all but the last).
function M.kitty(png)
  local data = M.base64(png)
  local parts = {}
  local first = true
  for i = 1, #data, 4096 do
    local chunk = data:sub(i, i + 4095)
    local more = (i + 4096 <= #data) and 1 or 0
    local keys = first and ("f=100,a=T,m=" .. more) or ("m=" .. more)
    parts[#parts + 1] = "\27_G" .. keys .. ";" .. chunk .. "\27\\"
    first = false
  end
  return table.concat(parts) .. "\n"
end

local function read_file(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

local function quote(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

-- Converts a PNG to sixel with gnuplot's sixelgd terminal (the image plotted edge to edge).
local function sixel(png_path, dir)
  local out = dir .. "/figure.six"
  local script = dir .. "/sixel.gp"
  local f = assert(io.open(script, "w"))
  -- the paths are our own temporary names; gnuplot single-quoted strings substitute nothing
  f:write("set terminal sixelgd size 640,440 truecolor\n",
    "set output '", out:gsub("'", "''"), "'\n",
    "unset border\nunset tics\nunset key\nset margins 0,0,0,0\n",
    "plot '", png_path:gsub("'", "''"), "' binary filetype=png with rgbimage\n",
    "set output\n")
  f:close()
  if not os.execute("gnuplot " .. quote(script) .. " 2>/dev/null") then return nil end
  return read_file(out)
end

--- inline.display: nil, or the function(bundle) of the Jupyter kernel (set by descry.jupyter):
-- figures are then sent to the notebook as display_data, whatever the terminal.
M.display = nil

-- render(copy of opts with file = dir/figure.ext) at plot's default pixel size (a `size` given
-- without `file` counts characters of the text rendering, as in a graphics terminal); the bytes.
local function rendered(render, opts, dir, ext)
  local copy = {}
  for k, v in pairs(opts) do copy[k] = v end
  copy.file, copy.size, copy.width, copy.height = dir .. "/figure." .. ext, nil, nil, nil
  render(copy)
  return read_file(copy.file) or error("plot: the " .. ext .. " figure was not written", 0)
end

-- What render(opts) writes with io.write (plot's text rendering, without `file`), captured.
local function text_rendering(render, opts)
  local parts = {}
  local write = io.write
  io.write = function(...)
    for i = 1, select("#", ...) do parts[#parts + 1] = tostring((select(i, ...))) end
    return io.stdout
  end
  local ok = pcall(render, opts)
  io.write = write
  return ok and #parts > 0 and table.concat(parts) or nil
end

--- inline.notebook(render, opts) -> nil
-- Under the Jupyter kernel: renders the figure as PNG and SVG (at plot's default pixel size:
-- without `file`, a `size` counts characters and sizes only the text rendering) and sends both
-- in one display_data through inline.display, with the text rendering the REPL prints as its
-- text/plain (so text-only frontends and lesson checks see the same figure).
-- Returns nil, as a figure drawn as text does.
function M.notebook(render, opts)
  local dir = os.tmpname()
  os.remove(dir)
  os.execute("mkdir -p " .. quote(dir))
  local ok, png = pcall(rendered, render, opts, dir, "png")
  local svg_ok, svg = false, nil
  if ok then svg_ok, svg = pcall(rendered, render, opts, dir, "svg") end
  os.execute("rm -rf " .. quote(dir))
  if not ok then error(png, 0) end
  local bundle = { ["image/png"] = M.base64(png), ["text/plain"] = text_rendering(render, opts) or "<descry figure>" }
  if svg_ok then bundle["image/svg+xml"] = svg end
  M.display(bundle)
  return nil
end

--- inline.show(render, opts) -> nil
-- Draws a figure inline: calls render(copy of opts with file = a temporary PNG), then writes
-- the image to the terminal (kitty or sixel). Returns false when the mode is text. Under the
-- Jupyter kernel (inline.display set) the figure goes to the notebook (inline.notebook).
function M.show(render, opts)
  if M.display then
    M.notebook(render, opts)
    return true
  end
  local mode = M.detect()
  if mode == "text" then return false end
  local dir = os.tmpname()
  os.remove(dir)
  os.execute("mkdir -p " .. quote(dir))
  local copy = {}
  for k, v in pairs(opts) do copy[k] = v end
  copy.file, copy.size, copy.width, copy.height = dir .. "/figure.png", nil, nil, nil
  local ok, err = pcall(render, copy)
  local png = ok and read_file(copy.file)
  local image = png and (mode == "kitty" and M.kitty(png) or sixel(copy.file, dir))
  os.execute("rm -rf " .. quote(dir))
  if not ok then error(err, 0) end
  if not image then return false end
  io.stdout:write(image)
  io.stdout:flush()
  return true
end

--- inline.originals: wrapped function → plot's own function (for ??f source views).
M.originals = setmetatable({}, { __mode = "k" })

--- inline.install(plot)
-- Makes the figure functions of module plot (lines, scatter, band, parity, hist, heatmap,
-- figure) draw inline when called without `file` in a graphics terminal; text otherwise.
-- Called by the REPL at start-up; docstrings stay those of plot.
function M.install(plot)
  local core = require "descry.core"
  for _, name in ipairs({ "lines", "scatter", "band", "parity", "hist", "heatmap", "figure" }) do
    local original = plot[name]
    if type(original) == "function" then
      local wrapped = function(opts)
        if type(opts) == "table" and opts.file == nil then
          if M.display then return M.notebook(original, opts) end
          if M.show(original, opts) then return end
        end
        return original(opts)
      end
      core.setdoc(wrapped, core.doc(original))
      M.originals[wrapped] = original
      plot[name] = wrapped
    end
  end
end

require("descry.luadoc").attach(M)
return M

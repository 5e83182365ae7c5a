-- Calls every Swift-implemented function and method of descry's modules with edge-case and
-- random arguments inside pcall. Any crash (trap, forced unwrap, abort, segfault) ends the
-- process and fails the test: every failure must be a catchable Lua error.
-- Usage: descry Tests/fuzz/api_fuzz.lua [calls-per-function=600] [seed=1] [verbose]
-- Run it in a scratch directory: functions that write files get nonsense paths.
local per_function = tonumber(arg[1]) or 600
local seed = tonumber(arg[2]) or 1
local verbose = arg[3] == "verbose"
local log = verbose and (os.getenv("FUZZ_LOG") and assert(io.open(os.getenv("FUZZ_LOG"), "w")) or io.stderr)
math.randomseed(seed)

-- The Swift-implemented modules of the module registry (core.modules()).
local modules = {}
for _, m in ipairs(require("descry.core").modules()) do
  if m.kind == "swift" then modules[#modules + 1] = m.name end
end
-- Functions whose purpose is to raise, block, or touch the terminal.
-- The file-system mutators of descry.fs are not fuzzed: the argument pool holds absolute paths
-- (e.g. /nonexistent/dir/...), which they would create or remove outside the scratch directory.
local skip = { ["core.fail"] = true, ["fs.mkdir"] = true, ["fs.mkdtemp"] = true, ["fs.remove_tree"] = true,
  ["fs.replace_dir"] = true }
for name in (os.getenv("FUZZ_SKIP") or ""):gmatch("[^,]+") do skip[name] = true end

local la_ok, la = pcall(require, "descry.la")

local pool = { n = 0 }
local function add(v) pool.n = pool.n + 1; pool[pool.n] = v end
for _, v in ipairs({ true, false, 0, 1, 2, 3, -1, -2, 0.5, 1.5, 1e300, -1e300, 2 ^ 53,
  math.maxinteger, math.mininteger, math.huge, -math.huge, "", "x", "1", "abc.npy",
  "/nonexistent/dir/file.npy", "fuzz-out.npy", "fuzz-out.csv", "fuzz.json", string.rep("z", 300) }) do add(v) end
add(0 / 0)
add({}); add({ 1, 2, 3 }); add({ { 1, 2 }, { 3, 4 } }); add({ { 1 }, { 2, 3 } }); add({ "a", "b" })
add({ 1, nil, 3 }); add({ x = 1, y = "z" }); add({ { {} } }); add({ 0 / 0, 1 })
add({ axis = 1 }); add({ axis = 3 }); add({ seed = 1 }); add({ ddof = 5 }); add({ k = -1 })
add(function() end); add(function() error("callback error") end); add(print)
add(coroutine.create(function() end))
if la_ok and la.zeros then
  for _, m in ipairs({ la.zeros(0, 0), la.zeros(0, 3), la.zeros(1, 1), la.zeros(3, 3), la.eye(3),
    la.ones(2, 5), la.ones(5, 2), la.matrix({ { 0 / 0, 1 }, { 1, math.huge } }),
    la.matrix({ { 1, 2 }, { 2, 4 } }), la.matrix({ { -1, 0 }, { 0, -2 } }), la.randn(7, 4),
    la.arange(1, 10) }) do add(m) end
end
add(nil)

local function pick() return pool[math.random(pool.n)] end

local calls, errors = 0, 0
local function try(name, f, args, n)
  if verbose then
    local parts = {}
    for i = 1, n do
      local a = args[i]
      local text = type(a) == "string" and ("%q"):format(a) or tostring(a)
      if type(a) == "userdata" and a.shape then
        local ok, r, c = pcall(a.shape, a)
        if ok then text = ("matrix %s×%s"):format(r, c) end
      end
      parts[i] = text:gsub("\n", " ")
    end
    log:write(name .. "(" .. table.concat(parts, ", ") .. ")\n")
    log:flush()
  end
  calls = calls + 1
  local ok, err = pcall(f, table.unpack(args, 1, n))
  if not ok then
    errors = errors + 1
    if type(err) ~= "string" then error(name .. ": error object is a " .. type(err)) end
  end
end

local function fuzz(name, f, self)
  local base = self and 1 or 0
  local args = {}
  -- all single arguments, then random combinations of up to 4
  for i = 1, pool.n do
    args[1] = self; args[base + 1] = pool[i]
    try(name, f, args, base + 1)
  end
  for _ = 1, per_function do
    local n = math.random(0, 4)
    args = { self }
    for k = 1, n do args[base + k] = pick() end
    try(name, f, args, base + n)
  end
end

local tested = {}
for _, mname in ipairs(modules) do
  local ok, m = pcall(require, mname)
  if ok and type(m) == "table" then
    local short = mname:match("%.(%w+)$")
    local names = {}
    for k, v in pairs(m) do if type(v) == "function" then names[#names + 1] = k end end
    table.sort(names)
    for _, k in ipairs(names) do
      local full = short .. "." .. k
      if not skip[full] then fuzz(full, m[k]); tested[#tested + 1] = full end
    end
  end
end

-- Methods of every userdata type found in the pool and produced by module functions.
local seen_mt = {}
local function methods_of(v)
  local mt = getmetatable(v)
  if type(mt) ~= "table" or seen_mt[mt] then return end
  seen_mt[mt] = true
  local idx = rawget(mt, "__index")
  if type(idx) == "table" then
    local names = {}
    for k, f in pairs(idx) do if type(f) == "function" then names[#names + 1] = k end end
    table.sort(names)
    for _, k in ipairs(names) do
      local tname = tostring(rawget(mt, "__name") or "object")
      for i = 1, pool.n do
        local v2 = pool[i]
        if getmetatable(v2) == mt and not skip[tname .. ":" .. k] then fuzz(tname .. ":" .. k, idx[k], v2) end
      end
      -- and with a foreign self
      if not skip[tname .. ":" .. k] then
        fuzz(tname .. ":" .. k .. "(bad self)", idx[k], pick())
      end
      tested[#tested + 1] = tname .. ":" .. k
    end
  end
  for _, mm in ipairs({ "__add", "__sub", "__mul", "__div", "__pow", "__unm", "__eq", "__lt",
    "__le", "__len", "__tostring", "__index", "__call", "__concat", "__mod", "__idiv" }) do
    local f = rawget(mt, mm)
    if type(f) == "function" and not skip["metamethod " .. mm] then
      fuzz("metamethod " .. mm, f); fuzz("metamethod " .. mm, f, v)
    end
  end
end
for i = 1, pool.n do if type(pool[i]) == "userdata" then methods_of(pool[i]) end end

collectgarbage()
print(("fuzzed %d functions and methods with %d calls (%d raised errors), no crash")
  :format(#tested, calls, errors))

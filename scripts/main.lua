-- descry main job, kept as a thin wrapper: the Pt-nanoparticle analysis of the bundled data is
-- `descry analyse data/pt-np-900K/ensemble.lua [--out DIR] [--only STEP...]` (docs/ensemble.md).
--   descry scripts/main.lua [--out DIR] [--only STEP...]
local analysis = require "descry.analysis"
local here = (arg and arg[0] or "scripts/main.lua"):match("^(.*)/[^/]*$") or "."
local args = { here .. "/../data/pt-np-900K/ensemble.lua" }
for _, a in ipairs(arg or {}) do args[#args + 1] = a end
local status = analysis.command(args)
if status ~= 0 then os.exit(status) end

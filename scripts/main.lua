-- descry main job. Until the bundled Pt-nanoparticle analysis lands (issue 6), this is a short
-- demonstration of the runtime: the modules built in, their documentation, and a computation
-- through whichever engine modules are present.
local pretty = require "descry.pretty"
local core = require "descry.core"

print(("descry %s — modules built in:"):format(core.version))
local names = { "descry.core", "descry.la", "descry.atoms", "descry.desc", "descry.regress",
  "descry.stats", "descry.var", "descry.idim", "descry.plot" }
for _, name in ipairs(names) do
  local ok, m = pcall(require, name)
  if ok then
    local doc = core.doc(m) or ""
    print(("  %-16s %s"):format(name, doc:match("^[^\n]*")))
  else
    print(("  %-16s (not built yet)"):format(name))
  end
end

local ok, la = pcall(require, "descry.la")
if ok and la.randn then
  local X = la.randn(1000, 5)
  print("\nA 1000×5 standard normal sample: column means and standard deviations")
  print(X:mean(1))
  print(X:std(1))
end

local t0 = core.clock()
local s = 0
for i = 1, 1000000 do s = s + 1 / (i * i) end
print(("\nΣ 1/n² for n ≤ 10⁶ = %.12f (π²/6 = %.12f), %.1f ms"):format(s, math.pi ^ 2 / 6, (core.clock() - t0) * 1e3))
print(pretty.format({ next = "open notebooks-txt/00-tour.txt, or run `descry` for the REPL" }))

-- descry scripts/desc_rate.lua: numbers quoted in docs/scale.md (issue 14).
-- per-core descriptor throughput: atom-evaluations per second of bs:compute (threads = 1) on a
-- 32 000-atom fcc Al crystal with 1 % random displacements, rcutfac 4.7 (radelem 0.5: 4.7 Å cutoff)
local a, n = 4.05, 20
local rows = {}
local basis = { { 0, 0, 0 }, { 0.5, 0.5, 0 }, { 0.5, 0, 0.5 }, { 0, 0.5, 0.5 } }
math.randomseed(14)
for i = 0, n - 1 do for j = 0, n - 1 do for k = 0, n - 1 do for _, b in ipairs(basis) do
  rows[#rows + 1] = { (i + b[1]) * a + 0.04 * (math.random() - 0.5), (j + b[2]) * a + 0.04 * (math.random() - 0.5),
    (k + b[3]) * a + 0.04 * (math.random() - 0.5) }
end end end end
local f = atoms.frame{ positions = la.matrix(rows), box = { lo = { 0, 0, 0 }, hi = { n * a, n * a, n * a } } }
for _, tj in ipairs({ 6, 8 }) do
  local bs = desc.bispectrum{ twojmax = tj, rcutfac = 4.7, threads = 1 }
  bs:compute(f, { peratom = false })
  local best = math.huge
  for _ = 1, 3 do
    local t0 = core.clock()
    bs:compute(f, { peratom = false, threads = 1 })
    best = math.min(best, core.clock() - t0)
  end
  print(("2J = %d: %d atoms in %.3f s (best of 3, 1 thread): %.3g atom-evaluations/s, %.1f us/atom"):format(
    tj, f:count(), best, f:count() / best, best / f:count() * 1e6))
end

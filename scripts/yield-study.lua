-- Why three claims of Swinburne, PRL 131, 236101 (2023), Fig. 3 do not reproduce on the small bundled
-- yielding ensemble data/al-yield-300K (notes of issue 12): (1) VAR order selection (AIC/BIC, P ≤ 5,
-- statsmodels definitions via var.select_order) against δτ, latent size, pre-yield vs whole
-- trajectories and D̄ vs D̄ ⊕ V̄; (2) the spread of the crystals about ⟨D̄⟩ in its (PC1, PC2) plane,
-- aligned on each crystal's own yield; (3) TwoNN/DANCo of D̄ ⊕ V̄ and of D̄ alone in windows before and
-- after yield (two widths, five DANCo seeds) and the small-sample scatter of TwoNN.
--   descry scripts/yield-study.lua [DATA_DIR]          (default data/al-yield-300K; ≈ 5 s CPU)
local la = require "descry.la"
local stats = require "descry.stats"
local var = require "descry.var"
local idim = require "descry.idim"
local dataset = require "descry.dataset"
local ds = dataset.open(arg and arg[1] or "data/al-yield-300K")
local M, T = ds.M, ds.T
local D = ds:stacked("Dbar")
local K = D:ncols()
local yield = {}
for m = 1, M do yield[m] = ds.manifest.yield.index[m] + 1 end
local train_m = {}
for m = 1, M - math.max(1, M // 4) do train_m[m] = m end   -- the training crystals of scripts/yield-figures.lua
local vidx = ds:load("vbar_index")
local T2 = vidx:nrows()
local V = ds:array("Vbar")
local Vc = {}
for c = 1, 6 do Vc[c] = V:col(c):reshape(M * T2, K) end
local VV = la.hcat(Vc)
local vrow = {}
for m = 1, M do
  for k = 1, T2 do vrow[#vrow + 1] = (m - 1) * T + math.tointeger(vidx:get(k, 1)) + 1 end
end

-- X: stacked rows (member-major, len rows each); pick rows 1..nwin (in its own grid) with stride
local function order_table(X, len, stride, nwin, latent)
  local rows = {}
  for _, m in ipairs(train_m) do
    for t = 1, nwin, stride do rows[#rows + 1] = (m - 1) * len + t end
  end
  local st = stats.standardizer(X:rows(rows))
  local pca = stats.pca(st:transform(X:rows(rows)), { n = latent })
  local S = pca:transform(st:transform(X:rows(rows)))
  local per = #rows // #train_m
  local trajs = {}
  for i = 1, #train_m do trajs[i] = S:rows((i - 1) * per + 1, i * per) end
  local ok, ic, a, b = pcall(var.select_order, trajs, 5)
  if not ok then return "-", "-", per, "(too few lag pairs for P = 5)" end
  local conv = var.order_convergence(trajs, { 1, 2, 3, 4, 5 })
  local r = {}
  for _, c in ipairs(conv) do r[#r + 1] = ("%.3f"):format(c.rms) end
  return a, b, per, table.concat(r, " ")
end

print("1. VAR order (AIC/BIC, P ≤ 5) on the 9 training crystals; latent = PCs of standardised input")
print("input      latent  δτ(ps)  window       steps/traj  AIC  BIC  one-step RMS P=1..5")
for _, latent in ipairs({ 3, 6, 10 }) do
  for _, stride in ipairs({ 1, 2, 4 }) do
    for _, w in ipairs({ { "whole 30 ps", T }, { "pre-yield 10 ps", 20 } }) do
      if w[2] // stride >= 10 then
        local a, b, per, r = order_table(D, T, stride, w[2], latent)
        print(("D̄         %5d  %6.1f  %-15s %5d  %4s %4s  %s"):format(latent, stride * 0.5, w[1], per, a, b, r))
      end
    end
  end
end
-- D̄ ⊕ V̄ on the V̄ grid (1 ps): blocks scaled to unit total variance
local SD = stats.standardizer(D:rows(vrow)):transform(D:rows(vrow)) * (1 / math.sqrt(K))
local SV = stats.standardizer(VV):transform(VV) * (1 / math.sqrt(6 * K))
local J = la.hcat(SD, SV)
for _, latent in ipairs({ 3, 6, 10 }) do
  for _, stride in ipairs({ 1, 2 }) do
    local a, b, per, r = order_table(J, T2, stride, T2, latent)
    print(("D̄ ⊕ V̄     %5d  %6.1f  %-15s %5d  %4s %4s  %s"):format(latent, stride * 1.0, "whole 30 ps", per, a, b, r))
    local a2, b2, per2, r2 = order_table(D:rows(vrow), T2, stride, T2, latent)
    print(("D̄ (1 ps)  %5d  %6.1f  %-15s %5d  %4s %4s  %s"):format(latent, stride * 1.0, "whole 30 ps", per2, a2, b2, r2))
  end
end

-- 2. PCA of ⟨D̄⟩: spread of the crystals about the mean, aligned on each crystal's yield
print("\n2. Spread of the crystals in (PC1, PC2) of ⟨D̄⟩ (standardised D̄), by time from each crystal's own yield")
local st = stats.standardizer(D)
local Z = st:transform(D)
local mean = la.zeros(T, K)
for m = 1, M do mean = mean + Z:rows((m - 1) * T + 1, m * T) * (1 / M) end
local pca = stats.pca(mean, { n = 2 })
local P = pca:transform(Z)
local Pm = pca:transform(mean)
local bins = { { -10, -5 }, { -5, 0 }, { 0, 5 }, { 5, 10 } }
for _, b in ipairs(bins) do
  local s, n, s_abs, n_abs = 0, 0, 0, 0
  for m = 1, M do
    for t = 1, T do
      local rel = (t - yield[m]) * 0.5
      if rel >= b[1] and rel < b[2] then
        local d = P:rows((m - 1) * T + t, (m - 1) * T + t) - Pm:rows(t, t)
        s = s + d:mul(d):sum()
        n = n + 1
      end
    end
  end
  print(("   t − t_yield in [%3d, %3d) ps: rms distance from ⟨D̄⟩(t) in (PC1, PC2) %.3f over %d states"):format(b[1], b[2], math.sqrt(s / math.max(n, 1)), n))
end
-- step length of each crystal (not of the mean) in the PC plane, before/after its own yield
for _, b in ipairs(bins) do
  local s, n = 0, 0
  for m = 1, M do
    for t = 2, T do
      local rel = (t - yield[m]) * 0.5
      if rel >= b[1] and rel < b[2] then
        local d = P:rows((m - 1) * T + t, (m - 1) * T + t) - P:rows((m - 1) * T + t - 1, (m - 1) * T + t - 1)
        s = s + math.sqrt(d:mul(d):sum())
        n = n + 1
      end
    end
  end
  print(("   t − t_yield in [%3d, %3d) ps: mean step of a crystal per 0.5 ps in (PC1, PC2) %.3f"):format(b[1], b[2], s / math.max(n, 1)))
end

-- 3. ID: D̄ alone vs D̄ ⊕ V̄, window width, seeds, and the small-n bias on all states
-- V̄ snapshot of each crystal's yield; crystals with fewer than 8 V̄ snapshots after it are left out
local function vk(m)
  local k = 1
  while k < T2 and vidx:get(k + 1, 1) + 1 <= yield[m] do k = k + 1 end
  return k
end
local kept, dropped = {}, {}
for m = 1, M do
  if T2 - vk(m) >= 8 then kept[#kept + 1] = m else dropped[#dropped + 1] = tostring(m - 1) end
end
print(("\n3. Intrinsic dimension, windows aligned on each crystal's yield (left out, < 8 V̄ snapshots after yield: member %s)"):format(table.concat(dropped, ", ")))
local SDonly = stats.standardizer(D:rows(vrow)):transform(D:rows(vrow))
for _, what in ipairs({ { "D̄ ⊕ V̄", J }, { "D̄ alone", SDonly } }) do
  for _, width in ipairs({ 4, 8 }) do
    local pre, post = {}, {}
    for _, m in ipairs(kept) do
      local k, base = vk(m), (m - 1) * T2
      for i = math.max(1, k - width), k - 1 do pre[#pre + 1] = base + i end
      for i = k + 1, math.min(T2, k + width) do post[#post + 1] = base + i end
    end
    local tw = ("TwoNN %.2f → %.2f"):format(idim.twonn(what[2]:rows(pre)), idim.twonn(what[2]:rows(post)))
    local dn = {}
    for seed = 1, 5 do
      dn[#dn + 1] = ("%.2f→%.2f"):format(idim.danco(what[2]:rows(pre), { seed = seed }), idim.danco(what[2]:rows(post), { seed = seed }))
    end
    print(("   %-8s %d ps before vs after (%d, %d states): %s; DANCo seeds 1–5: %s"):format(what[1], width, #pre, #post, tw, table.concat(dn, " ")))
  end
end
-- small-n bias: TwoNN on random subsets of all 360 joint states
local all = {}
for i = 1, J:nrows() do all[i] = i end
for _, n in ipairs({ 40, 80, 160, 360 }) do
  local vals = {}
  for rep = 1, 5 do
    local idx = {}
    local pool = { table.unpack(all) }
    math.randomseed(rep)
    for i = 1, n do
      local j = math.random(i, #pool)
      pool[i], pool[j] = pool[j], pool[i]
      idx[i] = pool[i]
    end
    vals[#vals + 1] = ("%.2f"):format(idim.twonn(J:rows(idx)))
  end
  print(("   TwoNN of %3d random states of all 12 crystals (D̄ ⊕ V̄), 5 draws: %s"):format(n, table.concat(vals, " ")))
end

--- descry.analysis_figures: the figures of `descry analyse` (descry.plot, PNG): estimators on
-- held-out trajectories, forecasts against MD with M(t) (the paper's Fig. 2c–h), resampled
-- distributions, and the descriptor manifold (Fig. 3i–j).
local la = require "descry.la"
local plot = require "descry.plot"
local core = require "descry.core"

local M = {}
core.setdoc(M, "descry.analysis_figures: estimators, forecast, resampling and manifold figures of descry analyse.")

local function label(info) return info.label .. ((info.unit and info.unit ~= "") and (" (" .. info.unit .. ")") or "") end

--- Writes the figures of the steps that ran into dir; returns their file names.
function M.write(dir, st)
  local R, ens = st.results, st.ens
  local tu = ens.desc.time_unit
  local files = {}
  local E = R.estimators
  if E and #E.observables > 0 then
    local panels = { layout = { 1, #E.observables }, file = dir .. "/estimators.png",
      title = "Linear estimators on held-out trajectories (eq. 2)" }
    for i, r in ipairs(E.observables) do
      if r.info.d == 1 then
        panels[i] = plot.panel.parity{ actual = r.Ytest, predicted = r.Ptest, label = r.name, title = label(r.info) }
      else
        local x = r.info.axis or la.arange(1, r.info.d + 1)
        panels[i] = plot.panel.lines{ x = x, y = la.hcat(r.Ytest:mean(1):t(), r.Ptest:mean(1):t()), labels = { "MD", "estimate" },
          style = { "points", "lines" }, title = "mean " .. r.info.label .. ", held-out trajectories",
          xlabel = r.info.axis_label or "column", ylabel = r.info.label }
      end
    end
    plot.figure(panels)
    files[#files + 1] = "estimators.png"
  end
  local F = R.forecast
  if F and F.windows[1].fmean then
    local g = F.grid
    local t = la.matrix(g.times)
    local panels = {}
    for _, f in ipairs(F.windows) do
      local m = f.metrics
      panels[#panels + 1] = plot.panel.band{ x = t, mean = la.hcat(f.fmean, f.fmean0), std = la.hcat(f.fstd, f.fstd * 0),
        labels = { "VAR + epistemic", "VAR (T̄)" }, truth = { m.mdmean, m.mdmean + m.se * 2, m.mdmean - m.se * 2 },
        truth_label = { "MD mean", "MD mean ± 2 SE", "" }, title = ("%s, τ_tr = %g %s"):format(f.observable, f.tau_tr, tu),
        xlabel = ("t (%s)"):format(tu), ylabel = label(ens.observables[f.observable]), key = "top right" }
    end
    for _, f in ipairs(F.windows) do
      -- without σ_M² (fewer than two stable bagging subsets) M(t) and M_σ are undefined: the
      -- forecasts' ⟨M(D̄)⟩ is drawn instead
      local y = f.s2 and la.hcat(la.matrix(f.md_M), la.matrix(f.Mt), la.matrix(f.M0), la.matrix(f.Ms))
        or la.hcat(la.matrix(f.md_M), la.matrix(f.fcM), la.matrix(f.M0))
      local labels = f.s2 and { "MD ⟨M(D̄)⟩", "forecast M(t)", "M_0", "M_σ" } or { "MD ⟨M(D̄)⟩", "forecast ⟨M(D̄)⟩ (σ_M² undefined)", "M_0" }
      panels[#panels + 1] = plot.panel.lines{ x = t, y = y,
        labels = labels, title = ("Mahalanobis, τ_tr = %g %s"):format(f.tau_tr, tu),
        xlabel = ("t (%s)"):format(tu), ylabel = "M (log scale)", logy = true, yrange = { 0.01, nil }, key = "top left" }
    end
    panels.layout = { 2, #F.windows }
    panels.file = dir .. "/forecast.png"
    panels.title = "VAR forecasts from t0 against MD (Fig. 2c–h)"
    plot.figure(panels)
    files[#files + 1] = "forecast.png"
  end
  local S = R.resampling
  if S and #S.at > 0 then
    local panels = { layout = { 1, #S.at }, file = dir .. "/resampling.png", title = ("Distributions of a %d-trajectory resampled ensemble"):format(S.n) }
    for i, a in ipairs(S.at) do
      panels[i] = plot.panel.hist{ values = { a.values, a.md }, labels = { "resampled", "MD" }, bins = 25, density = true,
        title = ("t = %g %s"):format(a.time, tu), xlabel = F and F.windows[1].observable or "value" }
    end
    plot.figure(panels)
    files[#files + 1] = "resampling.png"
  end
  local P, I = R.pca, R.idim
  if P or I then
    local panels = { layout = { 1, (P and 1 or 0) + (I and I.starts and 1 or 0) }, file = dir .. "/manifold.png", title = "Descriptor manifold (Fig. 3i–j)" }
    if P then
      panels[#panels + 1] = plot.panel.lines{ x = la.matrix(P.times), y = P.scores:cols(1, math.min(2, P.scores:ncols())), labels = { "PC1", "PC2" },
        title = "PCA of the ensemble mean ⟨D̄⟩(t)", xlabel = ("t (%s)"):format(tu), ylabel = "score" }
    end
    if I and I.starts then
      local cols, labels = {}, {}
      for _, m in ipairs(I.methods) do
        if I.windows[m] then
          cols[#cols + 1] = la.matrix(I.windows[m])
          labels[#labels + 1] = m == "twonn" and "TwoNN" or "DANCo"
        end
      end
      panels[#panels + 1] = plot.panel.lines{ x = la.matrix(I.centres), y = la.hcat(cols), labels = labels, style = "linespoints",
        title = "intrinsic dimension over time windows", xlabel = ("t (%s)"):format(tu), ylabel = "ID" }
    end
    if #panels > 0 then
      panels.layout = { 1, #panels }
      plot.figure(panels)
      files[#files + 1] = "manifold.png"
    end
  end
  return files
end
core.setdoc(M.write, "analysis_figures.write(dir, state) -> file names of the PNG figures written for the steps that ran.")

return M

--- descry.analysis_metrics: the scores `descry analyse` reports, defined so that they cannot
-- flatter (docs/ensemble.md, "Metrics"):
--   * R² of a vector observable (g(r), a stress tensor) bin by bin, variance-weighted
--     (scikit-learn r2_score(multioutput="variance_weighted")), with the pooled R² over all bins
--     only beside it, labelled — the fixed shape of g(r) inflates the pooled figure;
--   * forecast errors of the ensemble mean in units of the standard error of the MD ensemble
--     mean, s/√M (s with divisor M − 1);
--   * coverage of the forecast bands: the fraction of MD trajectories inside ±1σ and ±2σ of the
--     forecast at each time, against the nominal 68.3 % and 95.4 % of a normal distribution.
-- All arithmetic is on la matrices (the Swift engine).
local la = require "descry.la"
local core = require "descry.core"

local M = {}
core.setdoc(M, "descry.analysis_metrics: honest scores — per-output variance-weighted R², pooled R² (labelled), forecast error against the SE of the MD mean, band coverage against nominal 68/95 %.")

--- R² over all entries against the grand mean (the "pooled" figure; inflated for vector data).
function M.r2_pooled(Y, P)
  local resid = Y - P
  local centred = Y - Y:mean()
  return 1 - resid:mul(resid):sum() / centred:mul(centred):sum()
end
core.setdoc(M.r2_pooled, "analysis_metrics.r2_pooled(Y, P) -> R² over all entries against the grand mean (inflated for vector observables such as g(r)).")

--- Per output (column): the total sum of squares about the output's own mean and the residual
-- sum of squares of P, as two 1 × m rows.
local function output_sums_of_squares(Y, P)
  local centred = Y - Y:mean(1)
  local resid = Y - P
  return centred:mul(centred):sum(1), resid:mul(resid):sum(1)
end

--- Variance-weighted R² over outputs: 1 − Σ_j SS_res,j / Σ_j SS_tot,j over the outputs with
-- SS_tot,j > 0, each output centred on its own mean (scikit-learn r2_score
-- multioutput="variance_weighted", which gives constant outputs weight 0); R² for one output.
function M.r2_weighted(Y, P)
  local tot, res = output_sums_of_squares(Y, P)
  local varying = tot:gt(0)
  return 1 - res:mul(varying):sum() / tot:sum()
end
core.setdoc(M.r2_weighted, "analysis_metrics.r2_weighted(Y, P) -> variance-weighted R² over outputs (scikit-learn multioutput='variance_weighted').")

--- Unweighted mean of the per-output R² over outputs whose variance is non-zero.
function M.r2_uniform(Y, P)
  local tot, res = output_sums_of_squares(Y, P)
  local s, n = 0, 0
  for j = 1, Y:ncols() do
    local t = tot:get(1, j)
    if t > 0 then
      s = s + (1 - res:get(1, j) / t)
      n = n + 1
    end
  end
  return n > 0 and s / n or 0 / 0
end
core.setdoc(M.r2_uniform, "analysis_metrics.r2_uniform(Y, P) -> mean of per-output R² over outputs with non-zero variance (scikit-learn 'uniform_average' without constant bins).")

--- R² of each output about its own mean (scikit-learn r2_score(multioutput="raw_values")); an
-- output with zero variance gives NaN (scikit-learn: −inf with force_finite=False, 0 by default).
function M.r2_outputs(Y, P)
  local tot, res = output_sums_of_squares(Y, P)
  local out = {}
  for j = 1, Y:ncols() do
    local t = tot:get(1, j)
    out[j] = t > 0 and 1 - res:get(1, j) / t or 0 / 0
  end
  return out
end
core.setdoc(M.r2_outputs, "analysis_metrics.r2_outputs(Y, P) -> list of R² per output (column), each about its own mean (scikit-learn multioutput='raw_values'); NaN for a constant output.")

--- Root-mean-square error over all entries.
function M.rmse(Y, P)
  local resid = Y - P
  return math.sqrt(resid:mul(resid):sum() / Y:size())
end
core.setdoc(M.rmse, "analysis_metrics.rmse(Y, P) -> root-mean-square error over all entries.")

--- Scores of predictions P of Y: {r2 (variance-weighted per output), r2_uniform, r2_pooled, rmse}.
function M.scores(Y, P)
  return { r2 = M.r2_weighted(Y, P), r2_uniform = M.r2_uniform(Y, P), r2_pooled = M.r2_pooled(Y, P), rmse = M.rmse(Y, P) }
end
core.setdoc(M.scores, "analysis_metrics.scores(Y, P) -> {r2, r2_uniform, r2_pooled, rmse}.")

--- Accuracy of a forecast of a scalar observable against an MD ensemble.
-- md: steps × M (one column per trajectory); fmean, fstd: steps × 1 (forecast ensemble mean and
-- spread); from: first step counted (beyond the training window). Returns per-step arrays and
-- summaries: mean_abs_err, mean_err_se (mean |err|/SE), max_err_se, within_2se (fraction of steps
-- with |err| ≤ 2 SE), within_own_1sigma (|err| ≤ forecast σ, the old, lenient figure),
-- coverage1, coverage2 (fraction of MD trajectories inside ±1σ, ±2σ, averaged over steps).
function M.forecast(md, fmean, fstd, from)
  local steps, m = md:shape()
  local mdmean = md:mean(2)
  local sd = md:std(2) * math.sqrt(m / (m - 1))
  local se = sd / math.sqrt(m)
  local err = fmean - mdmean
  local dev = (md - fmean):abs()
  local in1 = dev:le(fstd):mean(2)
  local in2 = dev:le(fstd * 2):mean(2)
  local out = { n = 0, mean_abs_err = 0, mean_err_se = 0, max_err_se = 0, within_2se = 0, within_own_1sigma = 0,
    coverage1 = 0, coverage2 = 0, mdmean = mdmean, sd = sd, se = se, err = err, in1 = in1, in2 = in2 }
  for k = from, steps do
    local e = math.abs(err:get(k, 1))
    local s = se:get(k, 1)
    out.n = out.n + 1
    out.mean_abs_err = out.mean_abs_err + e
    local z = s > 0 and e / s or math.huge
    out.mean_err_se = out.mean_err_se + z
    out.max_err_se = math.max(out.max_err_se, z)
    if z <= 2 then out.within_2se = out.within_2se + 1 end
    if e <= fstd:get(k, 1) then out.within_own_1sigma = out.within_own_1sigma + 1 end
    out.coverage1 = out.coverage1 + in1:get(k, 1)
    out.coverage2 = out.coverage2 + in2:get(k, 1)
  end
  if out.n > 0 then
    for _, key in ipairs({ "mean_abs_err", "mean_err_se", "within_2se", "within_own_1sigma", "coverage1", "coverage2" }) do
      out[key] = out[key] / out.n
    end
  end
  return out
end
core.setdoc(M.forecast, "analysis_metrics.forecast(md, fmean, fstd, from) -> per-step error/SE/coverage and summaries of a scalar forecast against an MD ensemble (steps × M).")

--- Nominal coverage of ±kσ for a normal distribution (0.6827, 0.9545).
M.nominal = { 0.6826894921370859, 0.9544997361036416 }

return M

-- descry.analysis and descry.fs: metrics against scikit-learn/numpy numbers, step-by-step use of
-- the analysis on a toy ensemble, saved VAR models that forecast after loading, file services.
local T = require "descry.test"
local la = require "descry.la"
local fs = require "descry.fs"
local json = require "descry.json"
local metrics = require "descry.analysis_metrics"
local analysis = require "descry.analysis"
local output = require "descry.analysis_output"


local toy
local function toy_ensemble()
  if toy then return toy end
  toy = T.tempdir("analysis-toy")
  local saved = arg
  arg = { [0] = "Tests/analyse/make_toy.lua", toy }
  dofile("Tests/analyse/make_toy.lua")
  arg = saved
  local f = assert(io.open(toy .. "/ensemble.lua", "w"))
  f:write([[return {
  name = "toy", natoms = 10, trajectories = { "t1", "t2", "t3", "t4" },
  time = { npy = "times.npy" }, descriptors = { npy = "{id}/D.npy", convention = "sum" },
  observables = { pe = { csv = "{id}/thermo.csv", column = "pe", unit = "eV" } },
  analysis = { var = { latent = 3, train = { 5, 8, 10 }, bags = 4, samples = 2 }, plots = false },
}
]])
  f:close()
  return toy
end

-- Y, P and the expected values: python3 -c "from sklearn.metrics import r2_score; ..." with
-- multioutput='variance_weighted' (0.9081541218637993), uniform_average over the two varying
-- columns (0.7983218196037539); numpy pooled R² 1 − SS_res/Σ(Y − Ȳ)² (0.9591718098052852), RMSE
-- (0.2889636655359978).
local Y = la.matrix{ { 1.0, 2.0, 0.5 }, { 2.0, 2.5, 0.5 }, { 3.0, 1.0, 0.5 }, { 4.5, 3.0, 0.5 }, { 5.0, 2.2, 0.5 } }
local P = la.matrix{ { 1.2, 2.1, 0.4 }, { 1.8, 2.0, 0.6 }, { 3.3, 1.5, 0.5 }, { 4.0, 2.5, 0.5 }, { 5.1, 2.0, 0.45 } }

T.test("R² variants equal scikit-learn's and numpy's", function()
  T.near(metrics.r2_weighted(Y, P), 0.9081541218637993, 1e-14)
  T.near(metrics.r2_uniform(Y, P), 0.7983218196037539, 1e-14)
  T.near(metrics.r2_pooled(Y, P), 0.9591718098052852, 1e-14)
  T.near(metrics.rmse(Y, P), 0.2889636655359978, 1e-14)
end)

T.test("R² per output equals scikit-learn's raw_values; a constant output is NaN", function()
  -- r2_score(Y, P, multioutput='raw_values')[:2] = 0.9616071428571429, 0.635036496350365
  local r = metrics.r2_outputs(Y, P)
  T.eq(#r, 3)
  T.near(r[1], 0.9616071428571429, 1e-14)
  T.near(r[2], 0.635036496350365, 1e-14)
  T.truthy(r[3] ~= r[3])
end)

T.test("forecast metrics: error in SE units and coverage equal numpy", function()
  -- numpy: md.std(1, ddof=1)/sqrt(3) as SE; steps 2..4 counted
  local md = la.matrix{ { 1, 2, 3 }, { 2, 2.5, 4 }, { 0, 1, 1.5 }, { 3, 3.5, 2 } }
  local f = la.matrix{ 2, 3, 0.5, 2 }
  local s = la.matrix{ 1, 0.8, 0.6, 0.9 }
  local m = metrics.forecast(md, f, s, 2)
  T.eq(m.n, 3)
  T.near(m.mean_abs_err, 0.4444444444444445, 1e-14)
  T.near(m.mean_err_se, 0.9743671363924017, 1e-14)
  T.near(m.max_err_se, 1.8898223650461365, 1e-14)
  T.near(m.within_2se, 1.0, 0)
  T.near(m.coverage1, 0.4444444444444444, 1e-14)
  T.near(m.coverage2, 1.0, 0)
  T.near(m.within_own_1sigma, 1.0, 0)
end)

T.test("fs: sha256 of strings, glob, mkdtemp, replace_dir keeps a complete folder", function()
  T.eq(fs.sha256_string("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  local d = T.tempdir("fs")
  local f = assert(io.open(d .. "/a.txt", "w")); f:write("abc"); f:close()
  local hex, size = fs.sha256(d .. "/a.txt")
  T.eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); T.eq(size, 3)
  T.eq(fs.glob(d .. "/*.txt"), { d .. "/a.txt" })
  T.eq(fs.glob(d .. "/*.none"), {})
  T.eq(fs.kind(d), "directory"); T.eq(fs.kind(d .. "/a.txt"), "file"); T.eq(fs.kind(d .. "/zz"), nil)
  fs.mkdir(d .. "/x/y/z")
  T.eq(fs.list(d .. "/x"), { "y" })
  local new = fs.mkdtemp(d .. "/.new-")
  local g = assert(io.open(new .. "/b.txt", "w")); g:write("b"); g:close()
  fs.replace_dir(d .. "/x", new)
  T.eq(fs.list(d .. "/x"), { "b.txt" })
  T.eq(#fs.list(d), 2)
  fs.remove_tree(d)
  T.eq(fs.kind(d), nil)
  T.raises(function() fs.sha256(d .. "/missing") end, "No such file")
end)

T.test("analysis steps run one at a time; a saved VAR forecasts after loading", function()
  local dir = toy_ensemble()
  local st = analysis.open(dir .. "/ensemble.lua")
  T.eq(st.ens.M, 4); T.eq(st.ens.K, 5); T.eq(st.ids_test, { "t4" })
  local e = analysis.step(st, "estimators")
  T.truthy(e.observables[1].test.r2 > 0.99, "pe is linear in D̄")
  local f = analysis.step(st, "forecast")
  T.eq(#f.windows, 3)
  local out = T.tempdir("models")
  local files = output.save_models(out, st)
  T.eq(files, { "estimators.json", "forecasts.json", "var-P1-tau5.json", "var-P1-tau8.json", "var-P1-tau10.json" })
  local w = f.windows[2]
  local saved = analysis.load_model(out .. "/var-P1-tau8.json")
  T.eq(saved.order, 1)
  -- the saved latent map reproduces the in-memory one
  local D = st.ens.trajectories[2].D
  T.truthy(la.allclose(saved:latent(D), w.traj[2], 1e-12, 1e-12), "latent map")
  -- a forecast from a new state without refitting equals the fitted model's forecast
  local h = D:rows(7, 7)
  local a = saved:forecast(h, { steps = 5, samples = 3, seed = 11 })
  local b = w.bag:forecast({ w.traj[2]:rows(7, 7) }, { steps = 5, samples = 3, epistemic = true, seed = 11 })
  T.eq(#a, 3)
  for i = 1, 3 do T.truthy(la.allclose(a[i], b[i], 1e-10, 1e-10), "forecast " .. i) end
  T.truthy(la.allclose(saved:predict(a[1]), w.estimator:predict(b[1]), 1e-10, 1e-10), "observable")
  local bad = json.load(out .. "/var-P1-tau8.json")
  bad.version = 99
  json.save(out .. "/bad.json", bad)
  T.raises(function() analysis.load_model(out .. "/bad.json") end, "format version 99")
  T.raises(function() analysis.load_model(out .. "/estimators.json") end, "not a saved descry analysis VAR")
  T.raises(function() analysis.step(st, "nope") end, "unknown step 'nope'")
  fs.remove_tree(out)
end)

T.test("sum/mean convention converts with natoms", function()
  local dir = toy_ensemble()
  local text = assert(io.open(dir .. "/ensemble.lua")):read("a")
  local f = assert(io.open(dir .. "/mean.lua", "w"))
  f:write((text:gsub('convention = "sum"', 'convention = "sum", use = "mean"')))
  f:close()
  local a = analysis.open(dir .. "/ensemble.lua")
  local b = analysis.open(dir .. "/mean.lua")
  T.truthy(la.allclose(b.ens.trajectories[3].D * 10, a.ens.trajectories[3].D, 1e-14, 0), "D̄/N")
  T.eq(b.ens.convention, "mean")
end)

T.test("ave_time descriptors and CSV observables align by MD step", function()
  local dir = toy_ensemble()
  local f = assert(io.open(dir .. "/avetime.lua", "w"))
  f:write([[return {
  name = "toy from fix ave/time", trajectories = { "t1", "t2", "t3", "t4" },
  time = { timestep = 0.002 }, descriptors = { ave_time = "{id}/dbar.txt", columns = "c_dsum[*]", convention = "sum" },
  observables = { temp = { csv = "{id}/thermo.csv", column = "temp", unit = "K" } },
}
]])
  f:close()
  local st = analysis.open(dir .. "/avetime.lua")
  local ref = analysis.open(dir .. "/ensemble.lua")
  T.truthy(la.allclose(st.ens.trajectories[1].D, ref.ens.trajectories[1].D, 1e-15, 0), "same D̄ as the .npy")
  T.near(st.ens.dt, 0.5, 1e-12)
  T.near(st.ens.trajectories[1].times[1], 0.5, 1e-12)
end)

T.test("every analysis module function has a docstring", function()
  local core = require "descry.core"
  for _, name in ipairs({ "descry.analysis", "descry.analysis_schema", "descry.analysis_data", "descry.analysis_sources",
    "descry.analysis_steps", "descry.analysis_metrics", "descry.analysis_report", "descry.analysis_output",
    "descry.analysis_figures", "descry.fs" }) do
    local m = require(name)
    T.truthy(core.doc(m), name .. " has no module docstring")
    for k, v in pairs(m) do
      if type(v) == "function" then T.truthy(core.doc(v), name .. "." .. k .. " has no docstring") end
    end
  end
end)

T.test("model:stderr() of var.fit equals statsmodels VARResults.stderr (fixture by scripts/gen_analyse_fixtures.py)", function()
  local var = require "descry.var"
  local fx = json.load("Tests/analyse/fixtures/var_stderr.json")
  local x = la.matrix(fx.series)
  local model = var.fit({ x }, fx.order)
  local lag_se, c_se = model:stderr()
  local params, se = la.matrix(fx.params), la.matrix(fx.stderr)
  local k = params:nrows()
  T.near(model:intercept():t(), params:rows(1, 1), 1e-10, 1e-12)
  T.near(model:lag_coef(), params:rows(2, k), 1e-10, 1e-12)
  T.near(c_se:t(), se:rows(1, 1), 1e-10, 1e-12)
  T.near(lag_se, se:rows(2, k), 1e-10, 1e-12)
  T.near(model:noise_cov(), la.matrix(fx.sigma_u), 1e-10, 1e-12)
end)

T.test("unequal lengths, glob trajectories and ids kept", function()
  local dir = toy_ensemble()
  local d = fs.mkdtemp(dir .. "/uneq-")
  for m = 1, 4 do
    fs.mkdir(d .. "/run" .. m)
    local D = la.load(dir .. "/t" .. m .. "/D.npy")
    local Y = la.loadcsv(dir .. "/t" .. m .. "/thermo.csv")
    local n = m == 2 and 45 or 60
    la.save(d .. "/run" .. m .. "/D.npy", D:rows(1, n))
    la.save(d .. "/run" .. m .. "/pe.npy", Y:rows(1, n):col(2))
  end
  local f = assert(io.open(d .. "/e.lua", "w"))
  f:write([[return { name = "unequal", trajectories = { glob = "run*", id = "run(%d+)$" },
    time = { start = 0, step = 0.5 }, descriptors = { npy = "{dir}/D.npy", convention = "mean" },
    observables = { pe = { npy = "{dir}/pe.npy" } },
    analysis = { var = { latent = 3, train = { 4, 6, 8 }, bags = 4, samples = 2 }, idim = { methods = { "twonn" }, window = 12 } } }
]])
  f:close()
  local st = analysis.open(d .. "/e.lua")
  T.eq(st.ens.trajectories[2].id, "2")
  T.eq(st.ens.Tmin, 45); T.eq(st.ens.Tmax, 60)
  T.eq(st.ids_test, { "4" })
  local e = analysis.step(st, "estimators")
  T.eq(e.observables[1].Ytest:nrows(), 60)
  local fc = analysis.step(st, "forecast")
  T.eq(fc.grid.steps, 45)
  T.eq(analysis.step(st, "idim").n, 4 * 45)
end)

T.test("dumps as the source of D̄ and V̄ (desc.bispectrum), times from MD steps", function()
  local atoms, desc = require "descry.atoms", require "descry.desc"
  local d = T.tempdir("dumps")
  la.seed(5)
  local base = la.matrix{ { 0, 0, 0 }, { 2.2, 0, 0 }, { 0, 2.2, 0 }, { 0, 0, 2.2 }, { 2.2, 2.2, 0 }, { 2.2, 0, 2.2 } }
  for m = 1, 3 do
    fs.mkdir(d .. "/r" .. m)
    local frames, pe = {}, {}
    for k = 1, 8 do
      frames[k] = atoms.frame{ positions = base + la.randn(6, 3) * 0.1, timestep = 100 * k,
        box = { lo = { -5, -5, -5 }, hi = { 8, 8, 8 }, periodic = { false, false, false } } }
      pe[k] = k * 0.1 + m
    end
    atoms.write(d .. "/r" .. m .. "/dump.lammpstrj", frames)
    la.save(d .. "/r" .. m .. "/pe.csv", la.matrix(pe), { header = { "pe" } })
  end
  local params = "{ twojmax = 2, rcutfac = 1.0, radelem = { 2.0 }, wj = { 1.0 } }"
  local f = assert(io.open(d .. "/e.lua", "w"))
  f:write(([[return { name = "dumps", trajectories = { "r1", "r2", "r3" }, time = { timestep = 0.001 },
    descriptors = { dump = "{id}/dump.lammpstrj", bispectrum = %s, convention = "sum" },
    virials = { dump = "{id}/dump.lammpstrj", bispectrum = %s, convention = "sum" },
    observables = { pe = { csv = "{id}/pe.csv", column = "pe" } } }
]]):format(params, params))
  f:close()
  local st = analysis.open(d .. "/e.lua")
  local bs = desc.bispectrum{ twojmax = 2, rcutfac = 1.0, radelem = { 2.0 }, wj = { 1.0 } }
  local D, V = bs:trajectory(d .. "/r2/dump.lammpstrj", { virial = true })
  T.near(st.ens.trajectories[2].D, D, 1e-14, 1e-14)
  T.near(st.ens.trajectories[2].V, V, 1e-14, 1e-14)
  T.near(st.ens.trajectories[1].times[3], 0.3, 1e-12)
  T.eq(st.ens.trajectories[3].obs.pe:get(8, 1), 3.8)
  local one = bs:compute(atoms.read(d .. "/r2/dump.lammpstrj", { index = 4 }), { virial = true })
  T.near(st.ens.trajectories[2].D:rows(4, 4), one.sum, 1e-12, 1e-12)
  fs.remove_tree(d)
end)

T.test("least-squares VAR and its noise-free forecast equal numpy/scikit-learn (pipeline_toy.json)", function()
  local dir = toy_ensemble()
  local fx = json.load("Tests/analyse/fixtures/pipeline_toy.json")
  local f = assert(io.open(dir .. "/pipe.lua", "w"))
  f:write([[return { name = "toy", trajectories = { "t1", "t2", "t3", "t4" },
  time = { npy = "times.npy" }, descriptors = { npy = "{id}/D.npy", convention = "sum" },
  observables = { pe = { csv = "{id}/thermo.csv", column = "pe" } }, split = { test = { "t4" } },
  analysis = { var = { latent = 3, train = { 5, 8, 10 }, max_order = 2, orders = { 1, 2 } }, plots = false } }
]])
  f:close()
  local st = analysis.open(dir .. "/pipe.lua")
  local e = analysis.step(st, "estimators").observables[1]
  T.near(e.model:coef():t(), la.matrix{ fx.estimator.coef }, 1e-7, 1e-9)
  T.near(e.model:intercept():get(1, 1), fx.estimator.intercept, 1e-9, 1e-9)
  T.near(e.test.r2, fx.estimator.r2_test, 1e-9, 1e-12)
  local o = analysis.step(st, "order")
  T.eq(o.ntr, fx.var.ntr)
  T.near(o.ols.pca:components(), la.matrix(fx.latent.components), 1e-9, 1e-10)
  T.near(o.ols.model:lag_coef(), la.matrix(fx.var.lag_coef), 1e-9, 1e-10)
  T.near(o.ols.model:intercept():t(), la.matrix{ fx.var.intercept }, 1e-9, 1e-10)
  T.near(o.ols.fmean:t(), la.matrix{ fx.forecast.mean }, 1e-8, 1e-9)
end)

T.test("observables computed from stored positions: g(r) and coordination per frame", function()
  local atoms = require "descry.atoms"
  local d = T.tempdir("positions")
  la.seed(9)
  local base = la.matrix{ { 0, 0, 0 }, { 2.5, 0, 0 }, { 0, 2.5, 0 }, { 0, 0, 2.5 }, { 2.5, 2.5, 0 }, { 2.5, 0, 2.5 } }
  local frames = {}
  for m = 1, 2 do
    fs.mkdir(d .. "/r" .. m)
    frames[m] = {}
    local D = {}
    for k = 1, 6 do
      frames[m][k] = atoms.frame{ positions = base + la.randn(6, 3) * 0.1, timestep = 10 * k,
        box = { lo = { 0, 0, 0 }, hi = { 6, 6, 6 } } }
      D[k] = { k + m, 2 * k, m * 0.5 + k * k * 0.01 }
    end
    atoms.write(d .. "/r" .. m .. "/dump.lammpstrj", frames[m])
    la.save(d .. "/r" .. m .. "/D.npy", la.matrix(D))
  end
  local f = assert(io.open(d .. "/e.lua", "w"))
  f:write([[return { name = "positions", trajectories = { "r1", "r2" }, time = { start = 0.01, step = 0.01 },
    descriptors = { npy = "{id}/D.npy", convention = "sum" },
    observables = { gr = { positions = "{id}/dump.lammpstrj", compute = "rdf", rmax = 2.9, bins = 10 },
      cn = { positions = "{id}/dump.lammpstrj", compute = "coordination", cutoff = 3.0 } } }
]])
  f:close()
  local st = analysis.open(d .. "/e.lua")
  local r, g = frames[2][5]:rdf(2.9, 10)
  T.near(st.ens.trajectories[2].obs.gr:rows(5, 5), g:t(), 1e-14, 1e-14)
  T.near(st.ens.observables.gr.axis, r, 1e-14, 1e-14)
  T.eq(st.ens.observables.gr.kind, "vector")
  T.near(st.ens.trajectories[1].obs.cn:get(3, 1), frames[1][3]:coordination(3.0):mean(), 1e-14, 1e-14)
  fs.remove_tree(d)
end)

T.test("log.lammps thermo columns as observables (two runs, aligned by step with fix ave/time D̄)", function()
  local dir = toy_ensemble()
  for m = 1, 4 do
    local Y = la.loadcsv(dir .. "/t" .. m .. "/thermo.csv")
    local lines = { "LAMMPS (22 Jul 2025 - Update 4)", "units metal", "run 7500", "Per MPI rank memory allocation (min/avg/max) = 3 | 3 | 3 Mbytes",
      "   Step          Temp          PotEng    " }
    local function row(k) return ("%d %.17g %.17g"):format(math.tointeger(Y:get(k, 1)), Y:get(k, 3), Y:get(k, 2)) end
    -- thermo every 125 steps: the descriptor steps (every 250) are every other row
    for k = 1, 30 do
      lines[#lines + 1] = row(k)
      if k < 30 then lines[#lines + 1] = ("%d %.17g %.17g"):format(math.tointeger(Y:get(k, 1)) + 125, 0, 0) end
    end
    lines[#lines + 1] = "Loop time of 0.5 on 1 procs for 7500 steps with 10 atoms"
    lines[#lines + 1] = "WARNING: something harmless (src/fix.cpp:1)"
    lines[#lines + 1] = "run 7500"
    lines[#lines + 1] = "   Step          Temp          PotEng    "
    for k = 30, 60 do lines[#lines + 1] = row(k) end
    lines[#lines + 1] = "Loop time of 0.5 on 1 procs for 7500 steps with 10 atoms"
    require("descry.core").writefile(dir .. "/t" .. m .. "/log.lammps", table.concat(lines, "\n") .. "\n")
  end
  local f = assert(io.open(dir .. "/log.lua", "w"))
  f:write([[return { name = "toy from raw LAMMPS files", trajectories = { "t1", "t2", "t3", "t4" },
  time = { timestep = 0.002, unit = "ps" }, descriptors = { ave_time = "{id}/dbar.txt", columns = "c_dsum[*]", convention = "sum" },
  observables = { pe = { log = "{id}/log.lammps", column = "PotEng", unit = "eV" } } }
]])
  f:close()
  local st = analysis.open(dir .. "/log.lua")
  local ref = analysis.open(dir .. "/ensemble.lua")
  T.near(st.ens.trajectories[3].obs.pe, ref.ens.trajectories[3].obs.pe, 1e-15, 0)
  T.eq(st.ens.trajectories[3].obs.pe:nrows(), 60)
  f = assert(io.open(dir .. "/logbad.lua", "w"))
  f:write([[return { name = "bad", trajectories = { "t1", "t2" }, time = { timestep = 0.002 },
  descriptors = { ave_time = "{id}/dbar.txt", convention = "sum" }, observables = { pe = { log = "{id}/log.lammps", column = "PE" } } }
]])
  f:close()
  T.raises(function() analysis.open(dir .. "/logbad.lua") end, "observables.pe.column: no column named 'PE' (have: Step, Temp, PotEng)")
end)

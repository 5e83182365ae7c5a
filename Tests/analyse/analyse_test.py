#!/usr/bin/env python3
"""Tests of `descry analyse` as a user meets it: a table of bad ensemble descriptions, each of
which must give exit status 2, ONE stderr line naming the description file and the key, and leave
no output folder (complete-looking or partial); a good description that runs and writes report,
models and manifest (SHA-256 of inputs equal to hashlib's); the bundled Pt ensemble (the README's
main job). Data: a synthetic toy ensemble written by Tests/analyse/make_toy.lua.
Usage: analyse_test.py [path/to/descry]. Ends with `N passed, N failed`."""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cases import DESCRY, ROOT, case, finish  # noqa: E402  (the shared runner of the CLI tests)

GOOD = """return {
  name = "toy VAR(1) ensemble",
  units = "metal",
  natoms = 10,
  trajectories = { "t1", "t2", "t3", "t4" },
  time = { npy = "times.npy", unit = "ps" },
  descriptors = { npy = "{id}/D.npy", convention = "sum" },
  observables = {
    pe = { csv = "{id}/thermo.csv", column = "pe", unit = "eV" },
    g = { npy = "{id}/g.npy", kind = "vector" },
  },
  split = { test = { "t4" } },
  analysis = {
    estimator = { basis = 2 },
    var = { latent = 3, stride = 1, train = { 5, 8, 10 }, bags = 4, samples = 2, orders = { 1, 2 }, max_order = 2 },
    idim = { methods = { "twonn" }, window = 20, step = 10 },
    resampling = { factor = 2 },
    plots = false,
  },
}
"""

# Extra data files with one defect each (Lua run by descry in the toy folder).
DEFECTS = """
local la = require "descry.la"
local d = arg[1]
local D2 = la.load(d .. "/t2/D.npy")
local bad = D2:copy(); bad:set(17, 3, 0/0); la.save(d .. "/t2/D_nan.npy", bad)
la.save(d .. "/t2/D_k4.npy", D2:cols(1, 4))
la.save(d .. "/t2/D_short.npy", D2:rows(1, 50))
local t = la.load(d .. "/times.npy")
local u = t:copy(); u:set(10, 1, t:get(12, 1)); la.save(d .. "/times_unsorted.npy", u, {vector = true})
local dup = t:copy(); dup:set(11, 1, t:get(10, 1)); la.save(d .. "/times_dup.npy", dup, {vector = true})
local gap = t:copy(); for k = 30, 60 do gap:set(k, 1, t:get(k, 1) + 0.25) end; la.save(d .. "/times_gap.npy", gap, {vector = true})
local g = la.load(d .. "/t3/g.npy"); g:set(5, 2, 0/0); la.save(d .. "/t3/g_nan.npy", g)
local stacked = la.zeros(3, 60); la.save(d .. "/stacked3.npy", stacked)
"""


def run(args, cwd=None, timeout=300):
    return subprocess.run([DESCRY] + args, capture_output=True, text=True, cwd=cwd, timeout=timeout)


TOY = tempfile.mkdtemp(prefix="descry-analyse-")
r = run([os.path.join(ROOT, "Tests/analyse/make_toy.lua"), TOY])
assert r.returncode == 0, r.stderr
with open(f"{TOY}/defects.lua", "w") as f:
    f.write(DEFECTS)
r = run([f"{TOY}/defects.lua", TOY])
assert r.returncode == 0, r.stderr

# (name, old text, new text, key the message must name, words it must contain)
BAD = [
    ("missing file", '"{id}/D.npy"', '"{id}/nope.npy"', "descriptors.npy", "not found"),
    ("misnamed column", 'column = "pe"', 'column = "PotEng"', "observables.pe.column", "no column named 'PotEng'"),
    ("scalar with several columns", 'column = "pe", unit', 'columns = {"pe", "temp"}, unit', "observables.pe.columns", "scalar observable takes one column"),
    ("tensor shape mismatch", 'kind = "vector" }', 'kind = "tensor", shape = { 2, 2 } }', "observables.g.shape", "has 4 entries, the data has 3 columns"),
    ("wrong number of descriptor components", 'trajectories = { "t1", "t2", "t3", "t4" }',
     'trajectories = { {id = "t1", dir = "t1"}, {id = "t2", dir = "t2"}, {id = "t3", dir = "t3"}, {id = "t4", dir = "t4"} }',
     None, None),  # placeholder replaced below
    ("unequal counts", None, None, "observables.g", "unequal counts"),
    ("unsorted times", '"times.npy"', '"times_unsorted.npy"', "time", "not sorted"),
    ("duplicated times", '"times.npy"', '"times_dup.npy"', "time", "duplicated time"),
    ("non-uniform times", '"times.npy"', '"times_gap.npy"', "time", "not uniformly sampled"),
    ("NaN row in D̄", None, None, "descriptors", "row 17 holds NaN"),
    ("NaN row in an observable", '"{id}/g.npy"', '"{id}/g{i}.npy"', "observables.g.npy", "not found"),
    ("mixed sum/mean", 'convention = "sum" },', 'convention = "sum" }, virials = { npy = "{id}/D.npy", convention = "mean" },',
     "virials.convention", "mixed sum/mean"),
    ("convention missing", 'convention = "sum"', 'conventon = "sum"', "descriptors.conventon", "unknown key"),
    ("convention invalid", 'convention = "sum"', 'convention = "total"', "descriptors.convention", "expected 'sum'"),
    ("unknown top-level key", 'units = "metal",', 'units = "metal", trajectory = 4,', "trajectory", "unknown key"),
    ("unknown analysis key", 'latent = 3,', 'latent = 3, oder = 2,', "analysis.var.oder", "unknown key"),
    ("unit mismatch", 'unit = "ps"', 'unit = "fs"', "time.unit", "does not match units"),
    ("unknown units style", 'units = "metal"', 'units = "imperial"', "units", "LAMMPS units style"),
    ("held-out id unknown", 'test = { "t4" }', 'test = { "t5" }', "split.test[1]", "not a trajectory id"),
    ("everything held out", 'test = { "t4" }', 'test = { "t1", "t2", "t3", "t4" }', "split.test", "keep at least one"),
    ("duplicated trajectory id", '{ "t1", "t2", "t3", "t4" }', '{ "t1", "t2", "t2", "t4" }', "trajectories[3]", "duplicated id"),
    ("stacked array with the wrong leading axis", '"times.npy", unit', '"stacked3.npy", stacked = true, unit', "time.stacked", "one entry per trajectory"),
    ("mean without natoms", 'natoms = 10,', '', "natoms", None),
    ("training window too long", 'train = { 5, 8, 10 }', 'train = { 5, 8, 100 }', "analysis.var.train", "coarse steps"),
    ("glob matching nothing", 'trajectories = { "t1", "t2", "t3", "t4" }', 'trajectories = { glob = "run*" }', "trajectories.glob", "no path matches"),
    ("not a table", None, None, "(file)", "must return a table"),
    ("syntax error", None, None, "(file)", "not valid Lua"),
    ("two sources", '"{id}/g.npy", kind', '"{id}/g.npy", csv = "x.csv", kind', "observables.g", "give one source"),
    ("unknown VAR parameter draw", 'bags = 4,', 'bags = 4, epistemic = "gaussian",', "analysis.var.epistemic",
     'expected "member", "mean", "diagonal" or "full"'),
    ("coverage level not a probability", 'plots = false,', 'plots = false, coverage = { level = 1.5 },', "analysis.coverage.level",
     "expected a probability in (0, 1)"),
    ("coverage with one forecast draw", 'plots = false,', 'plots = false, coverage = { samples = 1 },', "analysis.coverage.samples",
     "at least 2 forecast draws"),
]


def variant(name, old, new):
    text = GOOD
    if name == "wrong number of descriptor components":
        text = GOOD.replace('"{id}/D.npy"', '"{id}/D{k}.npy"')
        return text
    if name == "unequal counts":
        return GOOD.replace('"{id}/D.npy"', '"{id}/D{sfx}.npy"')
    if name == "NaN row in D̄":
        return GOOD.replace('"{id}/D.npy"', '"{id}/D{nan}.npy"')
    if name == "not a table":
        return "return 42\n"
    if name == "syntax error":
        return GOOD.replace("return {", "return {{", 1)
    if name == "mean without natoms":
        return GOOD.replace('natoms = 10,', '').replace('convention = "sum"', 'convention = "sum", use = "mean"')
    assert old in text, (name, old)
    return text.replace(old, new)


def per_trajectory_links():
    """Symlinks so that one trajectory gets a defective file under the common name pattern."""
    for i in range(1, 5):
        t = f"{TOY}/t{i}"
        for stem, bad in [("Dk", "D_k4.npy"), ("Dsfx", "D_short.npy"), ("Dnan", "D_nan.npy"), ("g", "g_nan.npy")]:
            target = bad if (i == 2 and stem != "g") or (i == 3 and stem == "g") else ("g.npy" if stem == "g" else "D.npy")
            link = f"{t}/{stem}{i}.npy" if stem == "g" else f"{t}/{stem}.npy"
            if os.path.lexists(link):
                os.remove(link)
            if os.path.exists(f"{t}/{target}"):
                os.symlink(target, link)


per_trajectory_links()


def fix_patterns(text):
    return (text.replace("{k}", "k").replace("{sfx}", "sfx").replace("{nan}", "nan"))


def analyse_description(text, name):
    """Writes an ensemble description into the toy folder and runs `descry analyse` on it with
    --out in a fresh temporary folder; returns (description path, that folder, the run)."""
    path = f"{TOY}/{name}"
    with open(path, "w") as f:
        f.write(text)
    outdir = tempfile.mkdtemp(prefix="descry-analyse-out-")
    return path, outdir, run(["analyse", path, "--out", f"{outdir}/result"])


def check_bad(name, old, new, key, words):
    text = fix_patterns(variant(name, old, new))
    if name == "wrong number of descriptor components":
        key, words = "descriptors", "has 4 descriptor components"
    if name == "NaN row in an observable":
        text = GOOD.replace('"{id}/g.npy"', '"{id}/g{i}.npy"')
        key, words = "observables.g", "row 5 holds NaN"
    path, outdir, r = analyse_description(text, "bad.lua")
    lines = r.stderr.strip().splitlines()
    errors = [l for l in lines if not l.startswith("descry analyse: reading") and not l.startswith("descry analyse: loaded")
              and not l.startswith("descry analyse: [")]
    assert r.returncode == 2, f"{name}: exit {r.returncode}, stderr {r.stderr!r}"
    assert len(errors) == 1, f"{name}: expected one error line, got {errors!r}"
    line = errors[0]
    assert line.startswith(f"descry analyse: {path}: {key}: "), f"{name}: {line!r} does not name {path}: {key}"
    if words:
        assert words in line, f"{name}: {line!r} lacks {words!r}"
    assert "traceback" not in r.stderr, r.stderr
    assert os.listdir(outdir) == [], f"{name}: left {os.listdir(outdir)} in the output's folder"
    assert r.stdout == "", f"{name}: printed a report {r.stdout[:80]!r}"


for entry in BAD:
    def make(entry=entry):
        def t():
            check_bad(*entry)
        t.__doc__ = "bad description: " + entry[0]
        return t
    case(make())


@case
def good_description():
    """a good description runs: report on stdout, report.md, models, manifest with hashlib SHA-256"""
    path, outdir, r = analyse_description(GOOD, "ensemble.lua")
    out = f"{outdir}/result"
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("# toy VAR(1) ensemble"), r.stdout[:200]
    stages = [l for l in r.stderr.splitlines() if l.startswith("descry analyse: [")]
    assert len(stages) == 7, r.stderr
    assert sorted(os.listdir(outdir)) == ["result"], os.listdir(outdir)
    names = sorted(os.listdir(out))
    assert names == ["coverage.json", "estimators.json", "forecasts.json", "manifest.json", "report.md", "var-P1-tau10.json",
                     "var-P1-tau5.json", "var-P1-tau8.json", "var-ols-P1-tau8.json"], names
    with open(f"{out}/report.md") as f:
        assert f.read() == r.stdout
    with open(f"{out}/manifest.json") as f:
        m = json.load(f)
    assert m["format"] == "descry.analysis.manifest" and m["version"] == 1
    assert len(m["inputs"]) >= 13, m["inputs"]
    for inp in m["inputs"]:
        with open(inp["path"], "rb") as f:
            data = f.read()
        assert inp["sha256"] == hashlib.sha256(data).hexdigest(), inp
        assert inp["size"] == len(data), inp
    for o in m["outputs"]:
        with open(f"{out}/{o['path']}", "rb") as f:
            assert o["sha256"] == hashlib.sha256(f.read()).hexdigest(), o
    for stage in ["load", "estimators", "order", "forecast", "resampling", "pca", "idim", "coverage", "total"]:
        assert stage in m["runtime_s"], stage
    assert m["parameters"]["var"]["bags"] == 4 and m["split"]["test"] == ["t4"], m["parameters"]
    dd = m["data"]["descriptors"]
    assert dd["convention_given"] == "sum" and dd["convention_used"] == "sum" and dd["natoms"] == [10] * 4, dd
    assert [t["snapshots"] for t in m["data"]["trajectories"]] == [60] * 4, m["data"]
    # a second run replaces the folder in place
    r = run(["analyse", path, "--out", out, "--only", "estimators"])
    assert r.returncode == 0, r.stderr
    assert sorted(os.listdir(out)) == ["estimators.json", "manifest.json", "report.md"], os.listdir(out)
    assert sorted(os.listdir(outdir)) == ["result"], os.listdir(outdir)


@case
def usage_errors():
    """usage errors: exit 2 with the usage line"""
    for args, words in [([], "usage: descry analyse"), (["a.lua", "b.lua"], "one ensemble description expected"),
                        (["a.lua", "--only"], "--only needs at least one step"),
                        (["a.lua", "--only", "forecasts"], "unknown step 'forecasts'"),
                        (["a.lua", "--frobnicate"], "unknown option '--frobnicate'"),
                        (["/nonexistent/ensemble.lua"], "/nonexistent/ensemble.lua: (file): ensemble description not found")]:
        r = run(["analyse"] + args)
        assert r.returncode == 2 and words in r.stderr, (args, r.returncode, r.stderr)


def analyse_bundled(description):
    """Runs `descry analyse` on a bundled ensemble description into a fresh temporary folder,
    checks that it succeeded and wrote the four PNG figures; returns the report (stdout) and the folder."""
    out = tempfile.mkdtemp(prefix="descry-analyse-bundled-") + "/result"
    r = run(["analyse", description, "--out", out], cwd=ROOT)
    assert r.returncode == 0, r.stderr
    for fig in ["estimators", "forecast", "resampling", "manifold"]:
        with open(f"{out}/{fig}.png", "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n", fig
    return r.stdout, out


@case
def main_job():
    """main job: descry analyse on the bundled Pt ensemble, today's numbers, figures"""
    rep, _ = analyse_bundled("data/pt-np-900K/ensemble.lua")
    assert rep.startswith("# Pt nanoparticles, 555 atoms"), rep[:100]
    line = next(l for l in rep.splitlines() if l.startswith("| potential energy (eV)"))
    assert "| 0.9941 |" in line, line
    line = next(l for l in rep.splitlines() if l.startswith("| g(r)"))
    cells = [c.strip() for c in line.split("|")]
    assert cells[2] == "0.3503" and cells[3] == "0.9946", cells  # per-bin weighted, pooled beside it
    assert "TwoNN 12.32, DANCo 13.19, MLE 9.50" in rep, rep
    # section 8: held-out coverage, POPS vs Bayesian ridge (pooled, then per held-out trajectory)
    assert "## 8. Coverage of held-out trajectories" in rep, rep
    assert "| energy | 0.857 | 0.650 | 0.952 | 0.211 | 0.829 / 0.940 | 0.847 / 0.949 | 0.895 / 0.967 |" in rep, rep
    assert "| gr a2 | 0.993 | 0.968 | 0.958 | 0.073 | 0.991 / 0.964 | 0.997 / 0.952 | 0.991 / 0.958 |" in rep, rep
    # VAR only vs VAR + POPS forecast bands per 90-ps window: the g(r) coefficient a2 needs POPS
    assert ("| gr a2 | 0.100 / 0.900 | 0.127 / 0.825 | 0.206 / 0.889 | 0.095 / 0.889 | 0.079 / 0.778 | 0.122 (0.106–0.144) | "
            "0.856 (0.837–0.885) | 0.0563 → 0.446 |") in rep, rep


@case
def al_yield_job():
    """second bundled ensemble: descry analyse on the Al yielding crystals (tensor observable, per-trajectory N)"""
    rep, out = analyse_bundled("data/al-yield-300K/ensemble.lua")
    assert rep.startswith("# Al crystals with dislocation loops yielding under tension"), rep[:100]
    lines = rep.splitlines()

    def row(prefix):
        return [c.strip() for c in next(l for l in lines if l.startswith(prefix)).split("|")]
    assert row("| potential energy of X̄")[2] == "1.0000"
    assert row("| pressure (instantaneous)")[2] == "0.9974"
    assert row("| Shockley (1/6<112>) line density")[2] == "0.5733"
    assert row("| total dislocation line density")[2] == "0.8348"
    stress = row("| stress σ")
    assert stress[2:4] == ["0.6865", "0.8909"], stress  # per-component weighted (shear from D̄ is poor), pooled
    assert ("Held-out R² of each component of stress σ (instantaneous; Voigt xx yy zz yz xz xy), pooled over the "
            "held-out trajectories: component 1 0.965, component 2 0.257, component 3 0.198, component 4 -2.135, "
            "component 5 0.402, component 6 0.028.") in rep  # D̄ is invariant: the shear components fail
    assert "Held out (whole trajectories, never seen by the estimators): member009, member010, member011" in rep
    assert "Best order: AIC 5, BIC 1; used P = 1." in rep
    assert [row(f"| {tau} |")[9] for tau in (9, 16, 25)] == ["0.996", "0.995", "0.997"]  # ρ(T̄) per window
    assert "All 720 standardised states: TwoNN 3.54, DANCo 5.01, MLE 3.01." in rep
    assert "| pressure | 0.633 | 0.628 | 0.894 | 0.433 | 0.717 / 0.967 | 0.633 / 0.917 | 0.550 / 0.800 |" in rep, rep
    assert "bagged VAR(2) in 6 principal components" in rep, rep  # BIC on the 9 training crystals alone
    assert ("| pressure | 0.909 / 0.939 | 0.972 / 1.000 | 0.758 / 0.818 | 1.000 / 1.000 | 0.917 / 0.944 | 0.914 (0.862–0.983) | "
            "0.943 (0.879–0.983) | 1.37 → 1.5 |") in rep, rep
    with open(f"{out}/manifest.json") as f:
        man = json.load(f)
    assert len(man["inputs"]) >= 10, man["inputs"]


def matrix(t):
    return [t["data"][i * t["cols"]:(i + 1) * t["cols"]] for i in range(t["rows"])]


def close(a, b, rtol, atol, what):
    import math
    fa = [x for row in a for x in (row if isinstance(row, list) else [row])]
    fb = [x for row in b for x in (row if isinstance(row, list) else [row])]
    assert len(fa) == len(fb), f"{what}: {len(fa)} vs {len(fb)} values"
    for x, y in zip(fa, fb):
        assert math.isclose(x, y, rel_tol=rtol, abs_tol=atol), f"{what}: {x!r} vs {y!r}"


@case
def raw_example_against_numpy():
    """descry analyse on the raw-LAMMPS example equals numpy/scikit-learn (pipeline_raw.json)"""
    with open(f"{ROOT}/Tests/analyse/fixtures/pipeline_raw.json") as f:
        fx = json.load(f)
    outdir = tempfile.mkdtemp(prefix="descry-analyse-raw-")
    out = f"{outdir}/raw"
    r = run(["analyse", "examples/raw-example.lua", "--out", out, "--only", "estimators", "order"], cwd=ROOT)
    assert r.returncode == 0, r.stderr
    with open(f"{out}/estimators.json") as f:
        est = json.load(f)["observables"]["pe"]
    close(matrix(est["model"]["coef"]), fx["estimator"]["coef"], 1e-6, 1e-9, "estimator coefficients")
    close(est["model"]["intercept"]["data"], [fx["estimator"]["intercept"]], 1e-9, 1e-9, "estimator intercept")
    close([est["scores"]["test"]["r2"]], [fx["estimator"]["r2_test"]], 1e-8, 1e-10, "held-out R²")
    with open(f"{out}/var-ols-P1-tau10.json") as f:
        v = json.load(f)
    close(matrix(v["latent"]["pca"]["components"]), fx["latent"]["components"], 1e-8, 1e-9, "latent PCA components")
    close(matrix(v["model"]["lag_coef"]), fx["var"]["lag_coef"], 1e-8, 1e-9, "VAR lag coefficients")
    close(matrix(v["model"]["intercept"]), fx["var"]["intercept"], 1e-8, 1e-9, "VAR intercept")
    with open(f"{out}/forecasts.json") as f:
        fc = json.load(f)
    close(fc["times"], fx["forecast"]["times"], 1e-12, 1e-12, "forecast times")
    close(matrix(fc["least_squares"]["mean"]), fx["forecast"]["mean"], 1e-8, 1e-8, "noise-free forecast of PotEng")


finish()

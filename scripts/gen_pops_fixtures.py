#!/usr/bin/env python3
"""Writes Tests/DescryStatsTests/Fixtures/pops.json: reference values of POPS regression from
the released PyPI popsregression (Swinburne & Perez, Mach. Learn.: Sci. Technol. 6, 015008, 2025).

Run:  pip install popsregression==0.4.0 && nice -n 10 python3 scripts/gen_pops_fixtures.py

Every case stores its inputs (X, y, test X, options) and popsregression's outputs:
  * the Bayesian ridge fit (coef_, intercept through the appended column, alpha_, lambda_, n_iter_);
  * the deterministic part of the posterior: leverage scores, the leverage mask, the hypercube
    directions (`_hypercube_support`, sign arbitrary: the test aligns signs) and bounds, or the
    ensemble corrections;
  * the uniform numbers popsregression drew from numpy's GLOBAL generator (np.random.uniform,
    seeded here with np.random.seed before fit), so that the Swift test can feed the same unit
    draws and compare posterior samples, misspecification_sigma_, predict's std, bounds and
    epistemic std exactly (to 1e-8);
  * a second fit with another global seed, for the statistical comparison of draws.
The bad-input table records what popsregression does with inputs descry refuses.
Data sets: a misspecified 1-D polynomial model, a random design with a cubic target, and the
bundled Pt nanoparticle descriptors data/pt-np-900K/Dbar.npy (all 55 columns + intercept:
cond(XᵀX) ≈ 1e17, the nearly collinear regime) with the potential energy as target.
"""
import os
import sys
import warnings

import numpy as np
import popsregression
import sklearn
from popsregression import POPSRegression

from fixture_io import write_json_atomic

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
OUT = os.path.join(ROOT, "Tests", "DescryStatsTests", "Fixtures", "pops.json")


def nulls(values):
    """Floats with NaN as null (JSON has no NaN; the test reads null as NaN)."""
    return [None if v != v else v for v in np.asarray(values, dtype=float).ravel().tolist()]


def mat(a):
    a = np.atleast_2d(np.asarray(a, dtype=float))
    return {"rows": a.shape[0], "cols": a.shape[1], "data": nulls(a)}


def fit_case(name, X, y, Xt, seed, **opts):
    """Fits popsregression with numpy's global generator seeded, records everything."""
    np.random.seed(seed)
    m = POPSRegression(**opts)
    m.fit(X, y)
    n_aug = X.shape[1] + (1 if opts.get("fit_intercept", False) else 0)
    case = {
        "name": name,
        "options": opts,
        "X": mat(X), "y": np.asarray(y, float).tolist(), "Xtest": mat(Xt),
        "coef": np.asarray(m.coef_, float).tolist(),
        "alpha": float(m.alpha_), "lambda": float(m.lambda_), "n_iter": int(m.n_iter_),
        "sigma": mat(m.sigma_),
        "leverage": m._leverage_scores.tolist(),
        "mask_count": int(m._leverage_mask.sum()),
        "misspecification_sigma": mat(m.misspecification_sigma_),
        "n_parameters": n_aug,
        "cond_gram": float(np.linalg.cond(np.hstack([X, np.ones((len(X), 1))]) if opts.get("fit_intercept") else X) ** 2),
    }
    posterior = opts.get("posterior", "hypercube")
    if posterior == "hypercube":
        low, high = m._hypercube_bounds
        d = low.size
        n_resample = max(int(opts.get("resample_density", 1.0) * len(X)), 100)
        np.random.seed(seed)
        unit = np.random.uniform(size=(d, n_resample))      # the very draws fit() made
        samples = m._hypercube_support @ (low[:, None] + (high - low)[:, None] * unit)
        assert np.array_equal(samples, m.posterior_samples_), "draw replay mismatch"
        case["support"] = mat(m._hypercube_support)
        case["low"] = low.tolist()
        case["high"] = high.tolist()
        case["unit"] = mat(unit.T)                           # N × d, rows are draws
    else:
        case["corrections"] = mat(m.posterior_samples_.T)   # m × p
    mean, std, ymax, ymin, epi = m.predict(Xt, return_std=True, return_bounds=True, return_epistemic_std=True)
    case["predict"] = {"mean": mean.tolist(), "std": std.tolist(), "max": ymax.tolist(), "min": ymin.tolist(),
                       "epistemic_std": epi.tolist()}
    case["reference_self_spread"] = self_spread(m, X, y, Xt, seed, opts, case)
    case["posterior_mean"] = m.posterior_samples_.mean(axis=1).tolist()
    case["posterior_std"] = m.posterior_samples_.std(axis=1).tolist()
    if posterior == "hypercube":
        np.random.seed(seed + 1)
        m2 = POPSRegression(**opts).fit(X, y)
        case["misspecification_sigma_seed2"] = mat(m2.misspecification_sigma_)
    return case


def rel(a, b):
    a, b = np.asarray(a, float).ravel(), np.asarray(b, float).ravel()
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), max(1e-3 * np.abs(b).max(), 1e-300))))


def self_spread(m, X, y, Xt, seed, opts, case):
    """How far popsregression moves from ITSELF when the training rows are permuted (a change
    that is exact in real arithmetic): the rounding floor of each compared quantity. The test's
    tolerance is max(1e-8, 10 x this); it matters only for the nearly collinear descriptor case."""
    perm = np.random.RandomState(3).permutation(len(y))
    np.random.seed(seed)
    mp = POPSRegression(**opts).fit(X[perm], y[perm])
    out = {"coef": rel(mp.coef_, m.coef_), "alpha_lambda": rel([mp.alpha_, mp.lambda_], [m.alpha_, m.lambda_]),
           "sigma": rel(mp.sigma_, m.sigma_),
           "leverage": rel(mp._leverage_scores[np.argsort(perm)], m._leverage_scores)}
    if opts.get("posterior", "hypercube") == "hypercube":
        sup, low, high = mp._hypercube_support.copy(), mp._hypercube_bounds[0].copy(), mp._hypercube_bounds[1].copy()
        if sup.shape != m._hypercube_support.shape:
            raise SystemExit("%s: mode count changes under row permutation" % case["name"])
        for k in range(sup.shape[1]):
            if sup[:, k] @ m._hypercube_support[:, k] < 0:
                sup[:, k] *= -1
                low[k], high[k] = -high[k], -low[k]
        unit = np.asarray(case["unit"]["data"], float).reshape(case["unit"]["rows"], case["unit"]["cols"]).T
        samples = sup @ (low[:, None] + (high - low)[:, None] * unit)
        mp.posterior_samples_ = samples
        mp.misspecification_sigma_ = samples @ samples.T / samples.shape[1]
        out["directions"] = rel(sup, m._hypercube_support)
        out["bounds"] = rel(np.r_[low, high], np.r_[m._hypercube_bounds[0], m._hypercube_bounds[1]])
    else:
        out["directions"] = 0.0
        out["bounds"] = 0.0
    out["misspecification_sigma"] = rel(mp.misspecification_sigma_, m.misspecification_sigma_)
    out["posterior"] = rel(np.r_[mp.posterior_samples_.mean(axis=1), mp.posterior_samples_.std(axis=1)],
                           np.r_[m.posterior_samples_.mean(axis=1), m.posterior_samples_.std(axis=1)]) if out["directions"] or opts.get("posterior") != "ensemble" else 0.0
    a = m.predict(Xt, return_std=True, return_bounds=True, return_epistemic_std=True)
    b = mp.predict(Xt, return_std=True, return_bounds=True, return_epistemic_std=True)
    out["predict"] = max(rel(u, v) for u, v in zip(b, a))
    return out


def bad_inputs():
    """What popsregression does with the inputs descry refuses (descry's message in the test)."""
    rng = np.random.RandomState(7)
    X = rng.randn(40, 3)
    y = X @ [1.0, -2.0, 0.5] + np.sin(3 * X[:, 0])
    cases = {}

    def attempt(name, Xb, yb, descry_error, **opts):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                np.random.seed(0)
                m = POPSRegression(**opts).fit(Xb, yb)
            _, s, ymax, ymin = m.predict(Xb[:5], return_std=True, return_bounds=True)
            ref = "fits: coef finite %s, std finite %s" % (bool(np.all(np.isfinite(m.coef_))), bool(np.all(np.isfinite(s))))
        except Exception as e:                                     # noqa: BLE001 - recording the peer
            ref = "raises %s: %s" % (type(e).__name__, str(e).splitlines()[0][:120])
        cases[name] = {"X": mat(Xb), "y": np.asarray(yb, float).tolist(), "options": opts,
                       "popsregression": ref, "descry_error": descry_error}
        cases[name]["y"] = nulls(yb)

    dup = np.hstack([X, X[:, :1]])
    attempt("rank_deficient", dup, y, "numerical rank", fit_intercept=True)
    attempt("n_less_than_p", X[:3], y[:3], "more samples than parameters", fit_intercept=True)
    nan = X.copy(); nan[5, 1] = np.nan
    attempt("nan_in_X", nan, y, "NaN", fit_intercept=True)
    ynan = y.copy(); ynan[3] = np.nan
    attempt("nan_in_y", X, ynan, "NaN", fit_intercept=True)
    const = X.copy(); const[:, 2] = 4.0
    attempt("constant_column", const, y, "constant", fit_intercept=True)
    zero = X.copy(); zero[:, 1] = 0.0
    attempt("zero_column", zero, y, "constant", fit_intercept=False)
    return cases


def main():
    cases = []
    # 1. misspecified polynomial model of a smooth function (the paper's toy setting)
    rng = np.random.RandomState(0)
    t = np.sort(rng.uniform(-1, 1, 120))
    X1 = np.vstack([t ** k for k in range(1, 5)]).T
    y1 = np.sin(3 * t) + 0.3 * np.exp(t) + 1e-4 * rng.randn(t.size)
    tt = np.linspace(-1.2, 1.2, 25)
    Xt1 = np.vstack([tt ** k for k in range(1, 5)]).T
    cases.append(fit_case("poly_hypercube", X1, y1, Xt1, 11, fit_intercept=True))
    cases.append(fit_case("poly_ensemble", X1, y1, Xt1, 12, fit_intercept=True, posterior="ensemble"))
    cases.append(fit_case("poly_options", X1, y1, Xt1, 13, fit_intercept=True, leverage_percentile=80.0,
                          percentile_clipping=5.0, resample_density=1.5))
    # 2. random design, cubic target, no intercept
    rng = np.random.RandomState(1)
    X2 = rng.randn(150, 6)
    y2 = X2 @ rng.randn(6) + 0.2 * X2[:, 0] ** 3 - 0.1 * X2[:, 1] * X2[:, 2]
    Xt2 = rng.randn(30, 6)
    cases.append(fit_case("random_no_intercept", X2, y2, Xt2, 21))
    cases.append(fit_case("random_lev0", X2, y2, Xt2, 22, leverage_percentile=0.0, fit_intercept=True))
    # 3. bundled descriptors: energy against D̄ (nearly collinear with the intercept)
    D = np.load(os.path.join(ROOT, "data", "pt-np-900K", "Dbar.npy"))
    E = np.load(os.path.join(ROOT, "data", "pt-np-900K", "energy.npy"))
    Xd = D[:3, ::2].reshape(-1, D.shape[2])      # trajectories 1–3, every second snapshot
    yd = E[:3, ::2].ravel()
    Xtd = D[3, ::10]
    cases.append(fit_case("dbar_energy_55", Xd, yd, Xtd, 31, fit_intercept=True))
    cases.append(fit_case("dbar_energy_12", Xd[:, :12], yd, Xtd[:, :12], 32, fit_intercept=True))
    out = {
        "versions": {"popsregression": popsregression.__version__, "numpy": np.__version__,
                     "sklearn": sklearn.__version__, "python": sys.version.split()[0]},
        "cases": cases,
        "bad_inputs": bad_inputs(),
    }
    write_json_atomic(OUT, out)
    for c in cases:
        print("%-22s n=%d p=%d cond(XtX)=%.2g n_iter=%d self-spread %s" % (c["name"], c["X"]["rows"], c["n_parameters"], c["cond_gram"], c["n_iter"],
              " ".join("%s=%.1g" % kv for kv in c["reference_self_spread"].items())))
    for k, v in out["bad_inputs"].items():
        print("%-16s %s" % (k, v["popsregression"]))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes Tests/DescryStatsTests/Fixtures/stats_fixes.json: reference values for the statistics
added with the POPS work (issue 13), each from the peer users trust:
  * VAR coefficient standard errors, sigma_u and sigma_u_mle: statsmodels VAR(...).fit(P, trend="c")
    (one trajectory, so statsmodels' single-series design is the same as descry's);
  * PCA singular values and noise variance: scikit-learn PCA (svd_solver="full");
  * GRIDE: DADApy Data.return_id_scaling_gride (multiscale, defaults d0=0.001, d1=1000, eps=1e-7);
  * DANCo on a 3-D swiss roll: scikit-dimension DANCo(k=10) over several random_state seeds (its
    calibration balls are random; the test asks descry to fall inside that seed spread).
Run:  nice -n 10 python3 scripts/gen_stats_fixes_fixtures.py
"""
import os
import sys
import warnings

import numpy as np

from fixture_io import write_json_atomic

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "DescryStatsTests", "Fixtures", "stats_fixes.json")


def mat(a):
    a = np.atleast_2d(np.asarray(a, dtype=float))
    return {"rows": a.shape[0], "cols": a.shape[1], "data": a.ravel().tolist()}


def var_case():
    from statsmodels.tsa.api import VAR
    rng = np.random.RandomState(5)
    D, T = 3, 260
    A1 = np.array([[0.5, 0.1, 0.0], [-0.2, 0.4, 0.1], [0.05, 0.0, 0.3]])
    A2 = np.array([[0.1, 0.0, 0.05], [0.0, -0.1, 0.0], [0.0, 0.1, 0.2]])
    c = np.array([0.3, -0.1, 0.2])
    L = np.array([[1.0, 0, 0], [0.3, 0.8, 0], [-0.2, 0.1, 0.5]])
    x = np.zeros((T, D))
    for t in range(2, T):
        x[t] = c + A1 @ x[t - 1] + A2 @ x[t - 2] + L @ rng.randn(D)
    res = VAR(x).fit(2, trend="c")
    return {"trajectory": mat(x), "order": 2, "params": mat(res.params), "stderr": mat(res.stderr),
            "sigma_u": mat(res.sigma_u), "sigma_u_mle": mat(res.sigma_u_mle), "nobs": int(res.nobs)}


def pca_case():
    from sklearn.decomposition import PCA
    rng = np.random.RandomState(9)
    X = rng.randn(60, 7) @ rng.randn(7, 7) + rng.randn(7)
    out = {"X": mat(X), "fits": []}
    for k in (3, 7):
        p = PCA(n_components=k, svd_solver="full").fit(X)
        out["fits"].append({"n_components": k, "singular_values": p.singular_values_.tolist(),
                            "noise_variance": float(p.noise_variance_)})
    return out


def gride_cases():
    from dadapy import Data
    from sklearn.datasets import make_swiss_roll
    cases = []
    X1, _ = make_swiss_roll(600, noise=0.2, random_state=0)
    rng = np.random.RandomState(2)
    X2 = np.hstack([rng.randn(500, 4), 0.01 * rng.randn(500, 3)])
    for name, X, rmax in (("swiss_roll_noisy", X1, 64), ("gauss4_in_7", X2, 32)):
        d = Data(coordinates=X, verbose=False)
        ids, errs, scales = d.return_id_scaling_gride(range_max=rmax)
        cases.append({"name": name, "X": mat(X), "range_max": rmax, "ids": ids.tolist(), "errors": errs.tolist(),
                      "scales": scales.tolist()})
    return cases


def danco_case():
    """skdim 0.5.0's MIND_MLk (L-BFGS-B started at the integer MIND_MLi) returns its starting
    point unchanged here (d̂ = 2.000 exactly for the data and the 2-ball, whose likelihood
    maximum is at 1.926 / 1.99x), which shifts KL(d). Besides the released estimates, the
    fixture stores skdim's estimates with MIND_MLk maximised to convergence (bounded scalar
    minimisation of skdim's own negative log-likelihood): descry maximises it exactly, so that
    is the spread descry is tested against."""
    import skdim
    from scipy.optimize import minimize_scalar
    from sklearn.datasets import make_swiss_roll
    X, _ = make_swiss_roll(1000, random_state=1)

    def estimates():
        out = []
        for seed in range(6):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out.append(float(skdim.id.DANCo(k=10, random_state=seed).fit(X).dimension_))
        return out

    released = estimates()
    original = skdim.id.DANCo._MIND_MLk

    def converged(self, rhos, D, dinit):
        r = minimize_scalar(lambda d: float(np.squeeze(self._nlld(d, rhos, len(rhos)))), bounds=(1e-9, D),
                            method="bounded", options={"xatol": 1e-12})
        return r.x

    skdim.id.DANCo._MIND_MLk = converged
    try:
        exact = estimates()
    finally:
        skdim.id.DANCo._MIND_MLk = original
    return {"X": mat(X), "k": 10, "skdim_estimates": released, "skdim_estimates_converged_mind_mlk": exact}


def main():
    import dadapy  # noqa: F401  (version below)
    import sklearn
    import skdim
    import statsmodels
    out = {
        "versions": {"numpy": np.__version__, "statsmodels": statsmodels.__version__, "sklearn": sklearn.__version__,
                     "skdim": getattr(skdim, "__version__", "?"), "python": sys.version.split()[0]},
        "var": var_case(),
        "pca": pca_case(),
        "gride": gride_cases(),
        "danco_swiss_roll": danco_case(),
    }
    write_json_atomic(OUT, out)
    print("DANCo skdim swiss roll:", out["danco_swiss_roll"]["skdim_estimates"])
    print("DANCo skdim swiss roll, MIND_MLk converged:", out["danco_swiss_roll"]["skdim_estimates_converged_mind_mlk"])
    for c in out["gride"]:
        print("GRIDE", c["name"], np.round(c["ids"], 3))


if __name__ == "__main__":
    main()

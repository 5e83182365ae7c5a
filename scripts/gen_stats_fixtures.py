#!/usr/bin/env python3
"""Writes the reference fixtures for Tests/DescryStatsTests (descry.regress/stats/var/idim).

Every number the Swift tests compare against comes from a trusted peer:
  numpy/scipy (lstsq, linalg), statsmodels (VAR), scikit-learn (BayesianRidge, OAS,
  LedoitWolf, PCA), scikit-dimension (TwoNN, MLE, DANCo) and DADApy (TwoNN).
Inputs are generated here with fixed seeds and stored next to the outputs (compact JSON,
floats written with repr so they round-trip exactly).

Run:  nice -n 10 python3 scripts/gen_stats_fixtures.py
Versions used are recorded in Fixtures/versions.json.

Documented peer pitfalls (see the engine doc comments too):
  * statsmodels VAR fits ONE trajectory; concatenating trajectories would create lag pairs
    across the junction.  The multi-trajectory reference is numpy lstsq on lag pairs stacked
    per trajectory; statsmodels cross-checks the single-trajectory case.
  * sklearn BayesianRidge stops when sum(|coef_old - coef|) < tol (an L1 change in the
    un-standardised coefficient, tol=1e-3 by default), then refits once with the last
    alpha/lambda.  Reference values are the defaults (tol=1e-3, max_iter=300) and a tight
    run (tol=1e-12) that is converged.
  * sklearn OAS omits the 2/p terms of Chen et al. (IEEE TSP 58, 5016, 2010) eq. 23:
      sklearn: rho = (tr(S^2) + tr(S)^2) / ((n+1) (tr(S^2) - tr(S)^2/p))
      Chen   : rho = ((1-2/p) tr(S^2) + tr(S)^2) / ((n+1-2/p) (tr(S^2) - tr(S)^2/p))
    both clipped to [0, 1], S = centred empirical covariance (divisor n).
  * Mahalanobis: scipy returns the unsquared distance; eq. 4 of the paper is the SQUARED
    distance divided by the dimension D.  The fixture stores scipy's value; the test squares
    it and divides by D.
  * PCA: sign of each component is arbitrary (sklearn svd_flip); tests compare up to sign.
  * TwoNN: points with a zero nearest-neighbour distance (duplicates) are dropped, as
    scikit-dimension does; discard_fraction 0.1 (skdim) == mu_fraction 0.9 (DADApy).
  * DANCo: calibration uses random hyperballs, so the estimate depends on the seed; the
    fixture stores skdim's estimates over several seeds (the scatter).
"""
import json
import os
import sys
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "DescryStatsTests", "Fixtures")


def tolist(a):
    a = np.asarray(a, dtype=float)
    return a.tolist()


def mat(a):
    a = np.atleast_2d(np.asarray(a, dtype=float))
    return {"rows": a.shape[0], "cols": a.shape[1], "data": a.ravel().tolist()}


def write(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


# --------------------------------------------------------------------------------------------
# VAR(P) on several trajectories of unequal length
# --------------------------------------------------------------------------------------------
def stable_var(rng, D, P):
    """Random VAR(P) coefficients scaled so the companion spectral radius is 0.7."""
    T = [rng.normal(size=(D, D)) for _ in range(P)]
    comp = np.zeros((D * P, D * P))
    comp[:D, :] = np.hstack(T)
    comp[D:, :-D] = np.eye(D * (P - 1))
    r = max(abs(np.linalg.eigvals(comp)))
    # scaling T_p by s^p scales the companion eigenvalues by s
    s = 0.7 / r
    return [Tp * s ** (p + 1) for p, Tp in enumerate(T)]


def simulate_var(rng, T, c, L, n, burn=50):
    D = len(c)
    P = len(T)
    x = [np.zeros(D) for _ in range(P)]
    out = []
    for t in range(burn + n):
        nxt = c + sum(T[p] @ x[-1 - p] for p in range(P)) + L @ rng.normal(size=D)
        x.append(nxt)
        if t >= burn:
            out.append(nxt)
    return np.array(out)


def lag_design(trajs, P):
    """Rows Z = [1, x_{n}, x_{n-1}, ..., x_{n-P+1}] -> target x_{n+1}, per trajectory."""
    Z, Y = [], []
    for X in trajs:
        for n in range(P - 1, len(X) - 1):
            Z.append(np.concatenate([[1.0]] + [X[n - p] for p in range(P)]))
            Y.append(X[n + 1])
    return np.array(Z), np.array(Y)


def gen_var():
    from statsmodels.tsa.api import VAR

    rng = np.random.default_rng(11)
    D, P = 3, 2
    T = stable_var(rng, D, P)
    c = rng.normal(size=D)
    L = np.linalg.cholesky(np.array([[1.0, 0.3, 0.1], [0.3, 0.8, -0.2], [0.1, -0.2, 0.5]]))
    lengths = [30, 25, 41]
    trajs = [simulate_var(rng, T, c, L, n) for n in lengths]
    Z, Y = lag_design(trajs, P)
    B, _, rank, sv = np.linalg.lstsq(Z, Y, rcond=None)  # (1+P D) x D
    R = Y - Z @ B
    n, k = Z.shape
    S_mle = R.T @ R / n
    S_unb = R.T @ R / (n - k)
    # single trajectory: statsmodels cross-check (params ordered const, lag1, lag2 == ours)
    res = VAR(trajs[2]).fit(P, trend="c")
    Z1, Y1 = lag_design([trajs[2]], P)
    B1 = np.linalg.lstsq(Z1, Y1, rcond=None)[0]
    assert np.allclose(B1, res.params, rtol=1e-10, atol=1e-12), "statsmodels disagrees"
    # a stable VAR for stationary moments: mean = (I - sum T)^-1 c, covariance by
    # the discrete Lyapunov equation on the companion form
    A = np.zeros((D * P, D * P))
    A[:D, :] = np.hstack(T)
    A[D:, :-D] = np.eye(D * (P - 1))
    Q = np.zeros((D * P, D * P))
    Q[:D, :D] = L @ L.T
    import scipy.linalg as sla

    G = sla.solve_discrete_lyapunov(A, Q)
    mu = np.linalg.solve(np.eye(D) - sum(T), c)
    # information criteria as statsmodels defines them (sigma_u_mle, nobs, k params per eq.)
    ic = {}
    for p in (1, 2, 3):
        r = VAR(trajs[2]).fit(p, trend="c")
        ic[str(p)] = {"aic": float(r.aic), "bic": float(r.bic), "nobs": int(r.nobs)}
    write("var.json", {
        "P": P, "D": D,
        "trajectories": [mat(X) for X in trajs],
        "coef": mat(B),  # rows: [1, lag1 (D), lag2 (D)], columns: outputs
        "residual_cov_mle": mat(S_mle),
        "residual_cov_unbiased": mat(S_unb),
        "nobs": int(n), "rank": int(rank),
        "single": {
            "coef": mat(res.params), "sigma_u": mat(res.sigma_u), "sigma_u_mle": mat(res.sigma_u_mle),
            "ic": ic,
        },
        "true": {"T": [mat(t) for t in T], "c": tolist(c), "S": mat(L @ L.T),
                 "stationary_mean": tolist(mu), "stationary_cov": mat(G[:D, :D]),
                 "stationary_cov_full": mat(G)},
    })


# --------------------------------------------------------------------------------------------
# Bayesian ridge (sklearn), several outputs, n > p and n < p
# --------------------------------------------------------------------------------------------
def gen_bayes():
    from sklearn.linear_model import BayesianRidge, LinearRegression, Ridge

    rng = np.random.default_rng(5)
    cases = []
    for (n, p, q, noise) in [(60, 8, 3, 0.3), (12, 20, 2, 0.1)]:
        X = rng.normal(size=(n, p)) * rng.uniform(0.5, 3, size=p) + rng.normal(size=p)
        W = rng.normal(size=(p, q))
        Y = X @ W + rng.normal(size=q) + noise * rng.normal(size=(n, q))
        Xt = rng.normal(size=(5, p))
        case = {"X": mat(X), "Y": mat(Y), "Xtest": mat(Xt), "fits": []}
        for tol in (1e-3, 1e-12):
            outs = []
            for j in range(q):
                m = BayesianRidge(tol=tol, max_iter=300).fit(X, Y[:, j])
                mean, std = m.predict(Xt, return_std=True)
                outs.append({"coef": tolist(m.coef_), "intercept": float(m.intercept_),
                             "alpha": float(m.alpha_), "lambda": float(m.lambda_),
                             "sigma": mat(m.sigma_), "n_iter": int(m.n_iter_),
                             "pred_mean": tolist(mean), "pred_std": tolist(std)})
            case["fits"].append({"tol": tol, "outputs": outs})
        if n > p:
            ols = LinearRegression().fit(X, Y)
            case["ols"] = {"coef": mat(ols.coef_.T), "intercept": tolist(ols.intercept_)}
        rid = Ridge(alpha=2.5).fit(X, Y)
        case["ridge"] = {"alpha": 2.5, "coef": mat(rid.coef_.T), "intercept": tolist(rid.intercept_)}
        from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
        P = rid.predict(X)
        case["metrics_ridge"] = {"r2": tolist(r2_score(Y, P, multioutput="raw_values")),
                                 "rmse": tolist(np.sqrt(mean_squared_error(Y, P, multioutput="raw_values"))),
                                 "mae": tolist(mean_absolute_error(Y, P, multioutput="raw_values"))}
        cases.append(case)
    from sklearn.model_selection import KFold
    folds = [test.tolist() for _, test in KFold(5).split(np.zeros((23, 1)))]
    write("bayes_ridge.json", {"cases": cases, "kfold_23_5_tests": folds})


# --------------------------------------------------------------------------------------------
# Covariance: empirical, Ledoit-Wolf, OAS (sklearn and Chen 2010), Mahalanobis
# --------------------------------------------------------------------------------------------
def oas_chen(X):
    n, p = X.shape
    Xc = X - X.mean(0)
    S = Xc.T @ Xc / n
    tr = np.trace(S)
    tr2 = np.sum(S * S)  # tr(S^2) for symmetric S
    num = (1 - 2.0 / p) * tr2 + tr ** 2
    den = (n + 1 - 2.0 / p) * (tr2 - tr ** 2 / p)
    rho = 1.0 if den == 0 else min(num / den, 1.0)
    return (1 - rho) * S + rho * tr / p * np.eye(p), rho


def gen_cov():
    from scipy.spatial.distance import mahalanobis
    from sklearn.covariance import OAS, EmpiricalCovariance, LedoitWolf

    rng = np.random.default_rng(7)
    cases = []
    for (n, p) in [(40, 6), (20, 30), (200, 12)]:
        A = rng.normal(size=(p, p)) / np.sqrt(p)
        X = rng.normal(size=(n, p)) @ (A + np.diag(rng.uniform(0.2, 2, size=p))) + rng.normal(size=p)
        emp = EmpiricalCovariance().fit(X)
        lw = LedoitWolf().fit(X)
        oas = OAS().fit(X)
        ch, rho_ch = oas_chen(X)
        Q = rng.normal(size=(5, p)) + X.mean(0)
        VI = np.linalg.inv(oas.covariance_)
        maha = [mahalanobis(q, oas.location_, VI) for q in Q]
        cases.append({"X": mat(X), "mean": tolist(emp.location_), "empirical": mat(emp.covariance_),
                      "lw": mat(lw.covariance_), "lw_shrinkage": float(lw.shrinkage_),
                      "oas_sklearn": mat(oas.covariance_), "oas_sklearn_shrinkage": float(oas.shrinkage_),
                      "oas_chen": mat(ch), "oas_chen_shrinkage": float(rho_ch),
                      "queries": mat(Q), "mahalanobis_scipy_oas": maha})
    write("covariance.json", {"cases": cases})


# --------------------------------------------------------------------------------------------
# PCA (sklearn, full SVD)
# --------------------------------------------------------------------------------------------
def gen_pca():
    from sklearn.decomposition import PCA

    rng = np.random.default_rng(3)
    X = rng.normal(size=(50, 6)) @ rng.normal(size=(6, 6)) + rng.normal(size=6)
    m = PCA(n_components=3, svd_solver="full").fit(X)
    write("pca.json", {"X": mat(X), "n_components": 3, "mean": tolist(m.mean_),
                       "components": mat(m.components_),
                       "explained_variance": tolist(m.explained_variance_),
                       "explained_variance_ratio": tolist(m.explained_variance_ratio_),
                       "singular_values": tolist(m.singular_values_),
                       "transformed": mat(m.transform(X[:5])),
                       "noise_variance": float(m.noise_variance_)})


# --------------------------------------------------------------------------------------------
# Intrinsic dimension: TwoNN (skdim, DADApy), MLE (skdim), DANCo (skdim, several seeds)
# --------------------------------------------------------------------------------------------
def gen_idim():
    import skdim
    from dadapy import Data

    rng = np.random.default_rng(21)
    n, d, D = 400, 4, 12
    # a curved 4-manifold in 12-D: random linear embedding of a 4-cube plus a quadratic term
    U = rng.uniform(-1, 1, size=(n, d))
    E = rng.normal(size=(d, D))
    X = U @ E + 0.3 * np.sin(U @ rng.normal(size=(d, D)))
    # duplicate case: the same data with three repeated rows (skdim drops zero-distance points)
    Xdup = np.vstack([X[:120], X[:3]])
    out = {"X": mat(X), "Xdup_rows": 123}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["twonn_skdim"] = {str(f): float(skdim.id.TwoNN(discard_fraction=f).fit(X).dimension_)
                              for f in (0.05, 0.1, 0.25)}
        out["twonn_skdim_mle"] = {str(f): float(skdim.id.TwoNN(discard_fraction=f, method="mle").fit(X).dimension_)
                                  for f in (0.0, 0.1)}
        out["twonn_skdim_dup"] = float(skdim.id.TwoNN(discard_fraction=0.1).fit(Xdup).dimension_)
        dd = Data(coordinates=X.copy(), verbose=False)
        out["twonn_dadapy"] = {"0.1": float(dd.compute_id_2NN(mu_fraction=0.9)[0])}
        mle = skdim.id.MLE().fit(X, n_neighbors=20)
        out["mle_skdim"] = {"k": 20, "dimension": float(mle.dimension_), "pointwise": tolist(mle.dimension_pw_[:20])}
        mle5 = skdim.id.MLE().fit(X, n_neighbors=5)
        out["mle_skdim_k5"] = float(mle5.dimension_)
        seeds = list(range(6))
        out["danco_skdim"] = {"k": 10, "seeds": seeds,
                              "dimension": [float(skdim.id.DANCo(k=10, random_state=s).fit(X).dimension_) for s in seeds]}
        # MIND_MLk (the DANCo first stage) is deterministic
        out["mind_mlk_skdim"] = float(skdim.id.DANCo(k=10, ver="MIND_MLk").fit(X).dimension_)
        out["mind_mli_skdim"] = float(skdim.id.DANCo(k=10, ver="MIND_MLi").fit(X).dimension_)
    write("idim.json", out)


def main():
    os.makedirs(OUT, exist_ok=True)
    import scipy, sklearn, statsmodels, skdim, dadapy
    write("versions.json", {"numpy": np.__version__, "scipy": scipy.__version__,
                            "sklearn": sklearn.__version__, "statsmodels": statsmodels.__version__,
                            "skdim": getattr(skdim, "__version__", "0.5.0"),
                            "dadapy": getattr(dadapy, "__version__", "?"), "python": sys.version.split()[0]})
    gen_var()
    gen_bayes()
    gen_cov()
    gen_pca()
    gen_idim()


if __name__ == "__main__":
    main()

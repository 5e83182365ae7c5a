#!/usr/bin/env python3
"""Benchmarks of descry.regress/stats/var/idim against the Python peers (issue 5).

Single-threaded on both sides (OMP/OPENBLAS/MKL threads = 1). The data sets are written as
.npy to --data (default /tmp/descry-bench-stats) so that descry is timed on the SAME data:
  1. VAR(5) least squares, 60 trajectories x 80 steps x D = 55   (numpy: lag pairs + lstsq +
     residual covariance, the same work as var.fit; statsmodels cannot fit several trajectories)
  2. VAR(5) bagged Bayesian ridge, 20 subsets of 25 %            (sklearn BayesianRidge, one
     estimator per output and subset — 1100 fits; run ONCE, it takes tens of seconds)
  3. OAS and Ledoit-Wolf on 5000 x 55                            (sklearn; plus numpy X^T X)
  4. PCA on 5000 x 55                                            (sklearn default "auto", which
     picks covariance_eigh for tall data, and svd_solver="full")
  5. TwoNN on N = 5000, D = 55                                   (scikit-dimension, DADApy)
  6. DANCo on N = 5000, D = 55                                   (scikit-dimension; bounded by
     --danco-timeout seconds in a child process; reported as "> timeout" if it does not finish)

descry side (same data, OPENBLAS_NUM_THREADS=1): with a descry binary as the positional
argument (what scripts/bench passes), scripts/bench_stats.lua is run through the Lua bindings;
with --xctest, the release-mode XCTest benchmark (Tests/DescryStatsTests/StatsBenchmarks.swift,
enabled by DESCRY_BENCH_DATA) is run through `swift test -c release` instead. Usage:
  nice -n 10 python3 scripts/bench_stats.py [.build/release/descry] [--xctest] [--skip-bagged]
                                            [--skip-danco] [--danco-timeout 600]
"""
import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def best_of(fn, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def make_data(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(2023)
    M, T, D, P = 60, 80, 55, 5
    # a stable VAR(5) with correlated descriptors (companion spectral radius ~0.9)
    A = [rng.normal(size=(D, D)) for _ in range(P)]
    comp = np.zeros((D * P, D * P))
    comp[:D, :] = np.hstack(A)
    comp[D:, :-D] = np.eye(D * (P - 1))
    s = 0.9 / max(abs(np.linalg.eigvals(comp)))
    A = [a * s ** (p + 1) for p, a in enumerate(A)]
    L = np.linalg.cholesky(np.cov(rng.normal(size=(D, 3 * D))) + 0.1 * np.eye(D))
    trajs = []
    for m in range(M):
        x = [np.zeros(D) for _ in range(P)]
        for t in range(T + 50):
            x.append(sum(A[p] @ x[-1 - p] for p in range(P)) + L @ rng.normal(size=D))
        trajs.append(np.array(x[-T:]))
    np.save(os.path.join(out, "var_trajs.npy"), np.array(trajs).reshape(M * T, D))
    # 5000 x 55 descriptor-like cloud: 8 latent dims, non-linear map, small noise
    Z = rng.normal(size=(5000, 8))
    W1, W2 = rng.normal(size=(8, 55)), rng.normal(size=(8, 55))
    X = Z @ W1 + 0.5 * np.tanh(Z @ W2) + 0.01 * rng.normal(size=(5000, 55))
    np.save(os.path.join(out, "cloud.npy"), X)
    return (M, T, D, P)


def lag_design(trajs, P):
    Z, Y = [], []
    for X in trajs:
        n = len(X)
        lags = np.hstack([X[P - 1 - p:n - 1 - p] for p in range(P)])
        Z.append(lags)
        Y.append(X[P:])
    return np.vstack(Z), np.vstack(Y)


def bagged_sklearn(Z, Y, subsets=20, coverage=0.25, seed=0):
    from sklearn.linear_model import BayesianRidge
    rng = np.random.default_rng(seed)
    k = int(round(coverage * len(Z)))
    coefs = []
    for _ in range(subsets):
        idx = np.sort(rng.choice(len(Z), size=k, replace=False))
        C = np.array([BayesianRidge().fit(Z[idx], Y[idx, j]).coef_ for j in range(Y.shape[1])])
        coefs.append(C)
    coefs = np.array(coefs)
    return coefs.mean(0), coefs.std(0, ddof=1)


def _danco_child(path, q):
    import warnings
    import skdim
    warnings.simplefilter("ignore")
    X = np.load(path)
    t = time.perf_counter()
    d = skdim.id.DANCo(k=10, random_state=0).fit(X).dimension_
    q.put((time.perf_counter() - t, float(d)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/tmp/descry-bench-stats")
    ap.add_argument("descry", nargs="?", help="descry binary (release) to time through Lua")
    ap.add_argument("--xctest", action="store_true", help="time descry via the release XCTest instead")
    ap.add_argument("--skip-bagged", action="store_true")
    ap.add_argument("--skip-danco", action="store_true")
    ap.add_argument("--danco-timeout", type=float, default=600)
    args = ap.parse_args()

    M, T, D, P = make_data(args.data)
    res = {}
    trajs = np.load(os.path.join(args.data, "var_trajs.npy")).reshape(M, T, D)
    Z, Y = lag_design(trajs, P)

    def var_fit_numpy():
        # the same work as descry's var.fit: lag pairs per trajectory, lstsq, residual covariance
        Zt, Yt = lag_design(trajs, P)
        Zi = np.hstack([np.ones((len(Zt), 1)), Zt])
        B = np.linalg.lstsq(Zi, Yt, rcond=None)[0]
        R = Yt - Zi @ B
        return B, R.T @ R / (len(Zi) - Zi.shape[1])

    res["var_ls_numpy"] = best_of(var_fit_numpy, 3)
    if not args.skip_bagged:
        t = time.perf_counter()
        bagged_sklearn(Z, Y)
        res["var_bagged_sklearn"] = time.perf_counter() - t
    X = np.load(os.path.join(args.data, "cloud.npy"))
    from sklearn.covariance import OAS, LedoitWolf
    from sklearn.decomposition import PCA
    res["xtx_numpy"] = best_of(lambda: (X - X.mean(0)).T @ (X - X.mean(0)), 10)
    res["oas_sklearn"] = best_of(lambda: OAS().fit(X), 10)
    res["lw_sklearn"] = best_of(lambda: LedoitWolf().fit(X), 10)
    res["pca_sklearn"] = best_of(lambda: PCA().fit(X), 10)          # auto -> covariance_eigh here
    res["pca_sklearn_full"] = best_of(lambda: PCA(svd_solver="full").fit(X), 10)
    import warnings
    import skdim
    from dadapy import Data
    warnings.simplefilter("ignore")
    res["twonn_skdim"] = best_of(lambda: skdim.id.TwoNN().fit(X), 2)
    res["twonn_dadapy"] = best_of(lambda: Data(coordinates=X.copy(), verbose=False).compute_id_2NN(), 2)
    res["twonn_value"] = float(skdim.id.TwoNN().fit(X).dimension_)
    if not args.skip_danco:
        q = mp.Queue()
        p = mp.Process(target=_danco_child, args=(os.path.join(args.data, "cloud.npy"), q))
        p.start()
        p.join(args.danco_timeout)
        if p.is_alive():
            p.terminate()
            res["danco_skdim"] = f"> {args.danco_timeout:.0f}"
        else:
            t, d = q.get()
            res["danco_skdim"] = t
            res["danco_value"] = d
    print(json.dumps({"peers_seconds": res}, indent=1))
    with open(os.path.join(args.data, "peers.json"), "w") as f:
        json.dump(res, f)

    if args.descry or args.xctest:
        env = dict(os.environ, DESCRY_BENCH_DATA=args.data)
        if args.xctest:
            cmd = ["swift", "test", "-c", "release", "-Xswiftc", "-enable-testing", "--scratch-path",
                   os.path.join(ROOT, ".build-stats-release"), "--filter", "StatsBenchmarks"]
        else:
            cmd = [args.descry, os.path.join(HERE, "bench_stats.lua"), args.data]
        out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True).stdout
        ours = {}
        for line in out.splitlines():
            if line.startswith("BENCH "):
                _, key, val = line.split()
                ours[key] = float(val)
        print(json.dumps({"descry_seconds": ours}, indent=1))
        pairs = [("var_ls", "var_ls_numpy"), ("var_bagged", "var_bagged_sklearn"), ("oas", "oas_sklearn"),
                 ("lw", "lw_sklearn"), ("pca", "pca_sklearn"), ("pca_full", "pca_sklearn_full"), ("twonn", "twonn_skdim"),
                 ("twonn", "twonn_dadapy"), ("danco", "danco_skdim")]
        for a, b in pairs:
            if a in ours and isinstance(res.get(b), float):
                print(f"{a:12s} descry {ours[a]*1e3:10.2f} ms   {b:20s} {res[b]*1e3:10.2f} ms   speed-up {res[b]/ours[a]:7.1f}x")
        if "xtx" in ours and "oas" in ours:
            print(f"OAS / XtX (descry) = {ours['oas']/ours['xtx']:.2f}")


if __name__ == "__main__":
    main()

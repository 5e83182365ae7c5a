#!/usr/bin/env python3
"""Reference fixtures for descry.la (issue 3), computed with numpy (LAPACK via numpy.linalg).

Writes Tests/DescryLinalgTests/Fixtures/la/*.npy:
  * npy reader fixtures: the same 3x4 matrix in every supported dtype (<f8 <f4 <i8 <i4 |b1),
    C and Fortran order, 1-D and 2-D, format versions 1.0/2.0/3.0; plus unsupported dtypes
    (big-endian >f8, complex <c16, 3-D) and a truncated file for the error tests;
  * reference results for products, every decomposition, lstsq on a rank-deficient system,
    logdet/det and pinv (all inputs also stored, so tests never recompute a reference).

Then (other direction), if a descry binary is found ($DESCRY, else the newest of
.build{,-la}/{release,debug}/descry), it runs a Lua snippet that saves matrices with la.save and
checks numpy loads them unchanged.

Usage: python3 scripts/gen_la_fixtures.py   (numpy >= 1.22, fixtures made with 1.26.4; not run in CI;
       outputs are committed)
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from numpy.lib import format as npformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "DescryLinalgTests", "Fixtures", "la")


def save(name, arr):
    np.save(os.path.join(OUT, name + ".npy"), np.asarray(arr))


def save_version(name, arr, version, fortran=False):
    arr = np.asfortranarray(arr) if fortran else np.ascontiguousarray(arr)
    with open(os.path.join(OUT, name + ".npy"), "wb") as f:
        npformat.write_array(f, arr, version=version)


def io_fixtures():
    base = np.array([[1.5, -2.0, 3.25, 0.0], [4.0, 5.5, -6.0, 7.0], [8.0, 0.0, 9.0, -10.5]])
    ints = np.array([[1, -2, 3, 0], [4, 5, -6, 7], [8, 0, 9, -10]])
    save("io_f8_c", base)
    save("io_f8_f", np.asfortranarray(base))
    save("io_f4_c", base.astype("<f4"))
    save("io_f4_f", np.asfortranarray(base.astype("<f4")))
    save("io_i8_c", ints.astype("<i8"))
    save("io_i8_f", np.asfortranarray(ints.astype("<i8")))
    save("io_i4_c", ints.astype("<i4"))
    save("io_i4_f", np.asfortranarray(ints.astype("<i4")))
    save("io_b1_c", ints != 0)
    save("io_b1_f", np.asfortranarray(ints != 0))
    save("io_f8_1d", np.array([0.5, -1.0, 2.0, 1e300, -1e-300]))
    save("io_i4_1d", np.array([3, -4, 5], dtype="<i4"))
    save("io_f8_0d", np.array(2.5))
    save("io_empty", np.zeros((0, 3)))
    save_version("io_v2", base, (2, 0))
    save_version("io_v3", base, (3, 0), fortran=True)
    # unsupported / broken
    save("bad_be_f8", base.astype(">f8"))
    save("bad_c16", base.astype("<c16"))
    save("bad_3d", np.zeros((2, 2, 2)))
    # N-D arrays loaded with flatten = true: (2, 3, 4) → 6×4, numpy a.reshape(-1, 4)
    save("nd_234_f8", np.arange(24, dtype=np.float64).reshape(2, 3, 4) * 0.5 - 3)
    save("nd_234_i4", np.arange(24, dtype=np.int32).reshape(2, 3, 4))
    save("nd_2234_f4", (np.arange(48, dtype=np.float32) / 8).reshape(2, 2, 3, 4))
    save_version("nd_234_fortran", np.arange(24.0).reshape(2, 3, 4), (1, 0), fortran=True)
    raw = open(os.path.join(OUT, "io_f8_c.npy"), "rb").read()
    with open(os.path.join(OUT, "bad_truncated.npy"), "wb") as f:
        f.write(raw[:-5])
    with open(os.path.join(OUT, "bad_header.npy"), "wb") as f:
        f.write(raw[:20])


def linalg_fixtures():
    rng = np.random.default_rng(20231206)
    A = rng.standard_normal((5, 4))
    B = rng.standard_normal((4, 3))
    save("A", A)
    save("B", B)
    save("AB", A @ B)
    C = rng.standard_normal((5, 3))
    save("C", C)
    save("AtC", A.T @ C)            # transA
    D = rng.standard_normal((3, 4))
    save("D", D)
    save("ADt", A @ D.T)            # transB
    E = rng.standard_normal((2, 5))
    save("E", E)
    save("AtEt", A.T @ E.T)         # both transposed: (4x5)(5x2)
    v = rng.standard_normal((4, 1))
    save("v", v)
    save("Av", A @ v)
    w = rng.standard_normal((1, 5))
    save("w", w)
    save("wA", w @ A)
    save("gramA", A.T @ A)

    # SPD and general square systems
    M = rng.standard_normal((6, 6))
    spd = M @ M.T + 6 * np.eye(6)
    save("spd", spd)
    save("chol_spd", np.linalg.cholesky(spd))
    rhs = rng.standard_normal((6, 2))
    save("rhs", rhs)
    save("solve_spd_rhs", np.linalg.solve(spd, rhs))
    G = rng.standard_normal((6, 6))
    save("G", G)
    save("solve_G_rhs", np.linalg.solve(G, rhs))
    save("inv_G", np.linalg.inv(G))
    sign, logabs = np.linalg.slogdet(G)
    save("slogdet_G", np.array([sign, logabs]))
    save("det_G", np.array([np.linalg.det(G)]))
    nonspd = np.array([[4.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 3.0]]) - 0.1 * np.eye(3)
    nonspd[1, 1] = -0.5
    save("nonspd", nonspd)          # leading minor 2 not positive

    # symmetric eigenproblem (only the lower triangle is meant to be read: upper is garbage)
    S = rng.standard_normal((7, 7))
    S = S + S.T
    ev, evec = np.linalg.eigh(S)
    Sgarbage = np.tril(S) + np.triu(rng.standard_normal((7, 7)), 1)
    save("sym", Sgarbage)
    save("eigh_values", ev)
    save("eigh_vectors", evec)

    # SVD, tall and wide, thin and full
    T = rng.standard_normal((7, 4))
    W = rng.standard_normal((3, 6))
    save("tall", T)
    save("wide", W)
    for name, X in (("tall", T), ("wide", W)):
        u, s, vt = np.linalg.svd(X, full_matrices=False)
        save(f"svd_{name}_u", u); save(f"svd_{name}_s", s); save(f"svd_{name}_vt", vt)
        uf, sf, vtf = np.linalg.svd(X, full_matrices=True)
        save(f"svdfull_{name}_u", uf); save(f"svdfull_{name}_vt", vtf)
    save("pinv_tall", np.linalg.pinv(T))
    q, r = np.linalg.qr(T)
    save("qr_tall_q", q); save("qr_tall_r", r)

    # rank-deficient least squares: 9x5 of rank 3
    L = rng.standard_normal((9, 3)) @ rng.standard_normal((3, 5))
    y = rng.standard_normal((9, 2))
    x, res, rank, sv = np.linalg.lstsq(L, y, rcond=None)
    assert rank == 3
    save("lstsq_A", L); save("lstsq_b", y); save("lstsq_x", x)
    save("lstsq_rank", np.array([rank], dtype="<i8")); save("lstsq_s", sv)
    # under-determined (wide) full-rank
    Uw = rng.standard_normal((3, 6))
    yw = rng.standard_normal((3, 1))
    xw, _, rw, svw = np.linalg.lstsq(Uw, yw, rcond=None)
    save("lstsq_wide_A", Uw); save("lstsq_wide_b", yw); save("lstsq_wide_x", xw)


def more_fixtures():
    rng = np.random.default_rng(7)
    R = np.round(rng.standard_normal((4, 5)) * 3, 3)
    R[2, 1] = R[0, 3]            # a tie: argmin/argmax must return the first
    save("red_R", R)
    for ax, tag in ((0, "ax1"), (1, "ax2")):
        keep = lambda a: np.expand_dims(a, ax)
        save(f"red_sum_{tag}", keep(R.sum(axis=ax)))
        save(f"red_mean_{tag}", keep(R.mean(axis=ax)))
        save(f"red_var0_{tag}", keep(R.var(axis=ax)))
        save(f"red_var1_{tag}", keep(R.var(axis=ax, ddof=1)))
        save(f"red_std1_{tag}", keep(R.std(axis=ax, ddof=1)))
        save(f"red_min_{tag}", keep(R.min(axis=ax)))
        save(f"red_max_{tag}", keep(R.max(axis=ax)))
        save(f"red_argmin_{tag}", keep(R.argmin(axis=ax)).astype("<i8"))
        save(f"red_argmax_{tag}", keep(R.argmax(axis=ax)).astype("<i8"))
        save(f"red_cumsum_{tag}", np.cumsum(R, axis=ax))
    save("red_all", np.array([R.sum(), R.mean(), R.var(), R.var(ddof=1), R.std(), R.min(), R.max(),
                              R.argmin(), R.argmax(), np.trace(R)]))
    save("red_cumsum_all", np.cumsum(R).reshape(-1, 1))
    save("norm_R", np.array([np.linalg.norm(R), np.linalg.norm(R, "nuc"), np.linalg.norm(R, 1),
                             np.linalg.norm(R, 2), np.linalg.norm(R, np.inf), np.linalg.norm(R, -np.inf),
                             np.linalg.norm(R, -1), np.linalg.norm(R, -2)]))
    v = R[:, 1].copy()
    save("norm_v", np.array([np.linalg.norm(v), np.linalg.norm(v, 1), np.linalg.norm(v, np.inf),
                             np.linalg.norm(v, 3), np.linalg.norm(v, -np.inf), np.linalg.norm(v, 0)]))
    # broadcasting: standardise columns, scale rows
    save("bc_standardised", (R - R.mean(axis=0)) / R.std(axis=0, ddof=1))
    c = rng.standard_normal((4, 1))
    save("bc_c", c)
    save("bc_R_div_c", R / c)
    save("bc_outer_sum", c + R[0:1, :])        # 4x1 + 1x5 -> 4x5
    # elementwise functions
    x = np.array([0.25, 1.0, 2.5, 10.0, 1e-3])
    save("ew_x", x)
    for f in ["exp", "log", "log2", "log10", "log1p", "expm1", "sqrt", "sin", "cos", "tan", "tanh"]:
        save(f"ew_{f}", getattr(np, f)(x))
    save("ew_round", np.round(np.array([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999])))
    # numpy str() of small arrays (printing)
    cases = [np.array([[1.5, -2.0, 3.25], [4.0, 5.5, -6.0]]),
             np.array([[1e-5], [1e10], [3.0]]),
             np.array([[np.nan, 1.0, -np.inf]]),
             np.array([[1 / 3, 2 / 3], [100.0, -0.5]]),
             np.array([[0.0, 0.0], [0.0, 0.0]]),
             np.array([[-1e-300, 1.0]]),
             np.arange(12.0).reshape(3, 4) * 1000,
             np.array([[123456789.0, -1.0]])]
    for k, a in enumerate(cases):
        save(f"fmt_{k}", a)
        with open(os.path.join(OUT, f"fmt_{k}.txt"), "w") as f:
            f.write(str(a))
    # sorting and quantiles (R has a tie; q chosen off the order statistics)
    save("sort_ax1", np.sort(R, axis=0)); save("sort_ax2", np.sort(R, axis=1))
    save("sort_all", np.sort(R, axis=None).reshape(-1, 1))
    save("argsort_ax1", np.argsort(R, axis=0, kind="stable").astype("<i8"))
    save("argsort_ax2", np.argsort(R, axis=1, kind="stable").astype("<i8"))
    save("argsort_all", np.argsort(R, axis=None, kind="stable").reshape(-1, 1).astype("<i8"))
    save("median_ax1", np.median(R, axis=0, keepdims=True)); save("median_ax2", np.median(R, axis=1, keepdims=True))
    save("quantile_all", np.array([np.median(R), np.quantile(R, 0.1), np.quantile(R, 0.37), np.quantile(R, 1.0)]))
    save("quantile_037_ax1", np.quantile(R, 0.37, axis=0, keepdims=True))
    save("quantile_037_ax2", np.quantile(R, 0.37, axis=1, keepdims=True))
    save("cond_rank", np.array([np.linalg.cond(R), np.linalg.matrix_rank(R),
                                np.linalg.matrix_rank(np.load(os.path.join(OUT, "lstsq_A.npy")))]))
    # CSV written by numpy
    X = np.round(rng.standard_normal((5, 3)), 6)
    X[1, 2] = 1e-300
    X[3, 0] = -2.5e10
    save("csv_X", X)
    np.savetxt(os.path.join(OUT, "csv_header.csv"), X, delimiter=",", header="a,b,c", comments="")
    np.savetxt(os.path.join(OUT, "csv_plain.tsv"), X, delimiter="\t", fmt="%.17g")


def find_descry():
    """$DESCRY if set, else the most recently built of the usual build products."""
    if os.environ.get("DESCRY"):
        return os.environ["DESCRY"]
    cands = [os.path.join(ROOT, d, kind, "descry") for d in (".build", ".build-la") for kind in ("release", "debug")]
    cands = [c for c in cands if os.access(c, os.X_OK)]
    return max(cands, key=os.path.getmtime) if cands else None


def verify_descry_written():
    exe = find_descry()
    if exe is None:
        print("no descry binary found: skipped the descry -> numpy direction")
        return
    with tempfile.TemporaryDirectory() as d:
        script = os.path.join(d, "w.lua")
        with open(script, "w") as f:
            f.write(f"""
local la = require "descry.la"
local m = la.matrix{{{{1.5, -2, 3.25}}, {{4, 1e-300, -1e300}}}}
la.save({os.path.join(d, 'm.npy')!r}, m)
la.save({os.path.join(d, 'v.npy')!r}, la.matrix{{1, 2, 3, 4}}, {{vector = true}})
la.save({os.path.join(d, 'big.npy')!r}, la.arange(0, 120):reshape(12, 10))
la.save({os.path.join(d, 'e.npy')!r}, la.zeros(0, 4))
la.savecsv({os.path.join(d, 'm.csv')!r}, m, {{header = {{"a", "b", "c"}}}})
""")
        subprocess.run([exe, script], check=True)
        m = np.load(os.path.join(d, "m.npy"))
        assert m.dtype == np.float64 and m.shape == (2, 3), (m.dtype, m.shape)
        assert np.array_equal(m, [[1.5, -2, 3.25], [4, 1e-300, -1e300]])
        v = np.load(os.path.join(d, "v.npy"))
        assert v.shape == (4,) and np.array_equal(v, [1, 2, 3, 4])
        big = np.load(os.path.join(d, "big.npy"))
        assert np.array_equal(big, np.arange(120.0).reshape(12, 10))
        e = np.load(os.path.join(d, "e.npy"))
        assert e.shape == (0, 4)
        c = np.loadtxt(os.path.join(d, "m.csv"), delimiter=",", skiprows=1)
        assert np.array_equal(c, m)
        print(f"descry-written .npy/.csv files load in numpy unchanged ({exe})")


def main():
    os.makedirs(OUT, exist_ok=True)
    io_fixtures()
    linalg_fixtures()
    more_fixtures()
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} fixtures ({total} bytes) to {OUT}")
    verify_descry_written()


if __name__ == "__main__":
    sys.exit(main())

"""Fits the asin polynomial used by `ntk::gram::acos` (src/gram/acos.rs).

asin(x) = x + x·t·P(t),  t = x², x ∈ [0, 1/2]  (so t ∈ [0, 1/4]).

P is fitted in 60-digit arithmetic by iteratively reweighted least squares
(Lawson's algorithm) on Chebyshev nodes, minimising the maximum *relative*
error of asin(x), then rounded to the target precision. The printed maximum
error is that of the rounded polynomial evaluated exactly; the Rust tests check
the evaluated f32/f64 function independently against an f64 / mpmath reference.

    .venv-nt/bin/python scripts/fit_asin.py
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 60


def g(t):
    """(asin(√t)/√t − 1)/t, the function P approximates (limit 1/6 at t = 0)."""
    if t == 0:
        return mp.mpf(1) / 6
    x = mp.sqrt(t)
    return (mp.asin(x) / x - 1) / t


def fit(degree, nodes=240, iters=40):
    ts = [mp.mpf(1) / 8 * (1 - mp.cos(mp.pi * (k + mp.mpf(1) / 2) / nodes)) for k in range(nodes)]
    ys = [g(t) for t in ts]
    # relative error of asin: x·t·(P − g)/asin(x) ≈ t·(P − g)/(1 + t·g)
    scale = [t / (1 + t * y) for t, y in zip(ts, ys)]
    w = [mp.mpf(1)] * nodes
    for _ in range(iters):
        A = mp.matrix(nodes, degree + 1)
        b = mp.matrix(nodes, 1)
        for i, t in enumerate(ts):
            s = mp.sqrt(w[i]) * scale[i]
            for j in range(degree + 1):
                A[i, j] = s * t**j
            b[i] = s * ys[i]
        c = mp.qr_solve(A, b)[0]
        err = [abs(scale[i] * (sum(c[j] * ts[i] ** j for j in range(degree + 1)) - ys[i])) for i in range(nodes)]
        tot = sum(w[i] * err[i] for i in range(nodes))
        w = [w[i] * err[i] / tot for i in range(nodes)]
    return [c[j] for j in range(degree + 1)]


def max_rel_err(coef, rnd):
    cs = [mp.mpf(rnd(float(c))) for c in coef]
    worst = 0
    for t in np.linspace(0, 0.25, 4001):
        t = mp.mpf(t)
        x = mp.sqrt(t)
        p = sum(c * t**j for j, c in enumerate(cs))
        a = x + x * t * p
        if x > 0:
            worst = max(worst, abs(a / mp.asin(x) - 1))
    return worst


for name, degree, rnd in [("f32", 4, lambda v: float(np.float32(v))), ("f64", 11, float)]:
    coef = fit(degree)
    print(f"// {name}: degree {degree}, max relative error of the rounded polynomial {float(max_rel_err(coef, rnd)):.3e}")
    print(", ".join(repr(rnd(float(c))) for c in coef))

"""Fixtures for the numerical activation (Gauss-Hermite quadrature):
tests/data/nt_numerical.json, read by tests/neural_tangents.rs.

Run through scripts/gen_kernels.py (`gen_kernels.py --numerical` writes only
this file). Two parts:

- `cases`: networks of depth 1-3 with tanh, sigmoid, softplus and SiLU through
  neural-tangents 0.6.5's `ElementwiseNumerical(fn, deg, df)` (analytic df), at
  deg 16, 32 and 64: `nt` is its float64 kernel (null where it is NaN: a zero
  input without bias, where it divides by q = 0), `exact` the same recursion with
  every expectation E[phi(u)phi(v)], E[phi'(u)phi'(v)], E[phi(u)^2] by the 2-d
  trapezoid rule (step 1/20 on [-14, 14]^2, float64; for these integrands,
  analytic in a strip, its error is far below float64 rounding), so
  |ours - nt| measures the implementation and |ours - exact| the quadrature.
- `table`: single-layer F, Fdot and F_diag at a few (K, q1, q2) by the same
  trapezoid rule in 50-digit mpmath (step 1/16 on [-15.2, 15.2]^2: error
  ~exp(-2 pi tau / h) < 1e-47 for integrands analytic in |Im x| < tau = 1.1,
  which these are at q <= 2; tails < exp(-15.2^2 / 2) = 1e-50), for the accuracy
  table against the quadrature degree. The float64 rule is checked against it
  (<= 1e-13 relative: float64 summation of 3e5 terms).
"""
import math
import sys

import mpmath as mp
import numpy as np

FUNCTIONS = ["tanh", "sigmoid", "softplus", "silu"]
DEGREES = [16, 32, 64]
TABLE_PAIRS = [(0.5, 1.0, 1.0), (-0.6, 0.5, 2.0)]


def np_fn(name):
    """(phi, phi') on numpy arrays (stable forms)."""
    sig = lambda x: 0.5 * (1 + np.tanh(x / 2))  # noqa: E731
    return {
        "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
        "sigmoid": (sig, lambda x: sig(x) * sig(-x)),
        "softplus": (lambda x: np.logaddexp(0, x), sig),
        "silu": (lambda x: x * sig(x), lambda x: sig(x) * (1 + x * sig(-x))),
    }[name]


def mp_fn(name):
    sig = lambda x: 1 / (1 + mp.exp(-x))  # noqa: E731
    return {
        "tanh": (mp.tanh, lambda x: 1 - mp.tanh(x) ** 2),
        "sigmoid": (sig, lambda x: sig(x) * sig(-x)),
        "softplus": (lambda x: mp.log(1 + mp.exp(x)), sig),
        "silu": (lambda x: x * sig(x), lambda x: sig(x) * (1 + x * sig(-x))),
    }[name]


def jnp_fn(name):
    import jax
    import jax.numpy as jnp
    sig = jax.nn.sigmoid
    return {
        "tanh": (jnp.tanh, lambda x: 1 - jnp.tanh(x) ** 2),
        "sigmoid": (sig, lambda x: sig(x) * sig(-x)),
        "softplus": (jax.nn.softplus, sig),
        "silu": (lambda x: x * sig(x), lambda x: sig(x) * (1 + x * sig(-x))),
    }[name]


def trapezoid_np(f, g, k, q1, q2, h=0.05, L=14.0):
    x = np.arange(-L, L + h / 2, h)
    w = np.exp(-x * x / 2) * h / math.sqrt(2 * math.pi)
    s1 = math.sqrt(q1)
    if s1 == 0:
        return float(f(0.0) * (w @ g(math.sqrt(q2) * x)))
    a, s = k / s1, math.sqrt(max(q2 - k * k / q1, 0.0))
    gv = (g(a * x[:, None] + s * x[None, :]) * w[None, :]).sum(axis=1)
    return float((w * f(s1 * x)) @ gv)


def trapezoid_mp(f, g, k, q1, q2, h=mp.mpf(1) / 16, L=mp.mpf(15.2)):
    n = int(L / h)
    xs = [h * i for i in range(-n, n + 1)]
    ws = [mp.npdf(x) * h for x in xs]
    s1 = mp.sqrt(q1)
    if k == q1 == q2:  # F_diag: one dimension
        return mp.fsum(w * f(s1 * x) * g(s1 * x) for x, w in zip(xs, ws))
    a, s = k / s1, mp.sqrt(q2 - k * k / q1)
    total = mp.mpf(0)
    for x, w in zip(xs, ws):
        inner = mp.fsum(wy * g(a * x + s * y) for y, wy in zip(xs, ws))
        total += w * f(s1 * x) * inner
    return total


def np_maps(name):
    f, df = np_fn(name)
    dual = lambda k, q1, q2: (trapezoid_np(f, f, k, q1, q2),  # noqa: E731
                              trapezoid_np(df, df, k, q1, q2))
    diag = lambda q: trapezoid_np(f, f, q, q, q) if q > 0 else float(f(0.0)) ** 2  # noqa: E731
    return dual, diag


def exact_pair(name, layers, param, widths, k, q1, q2, d):
    """(nngp, ntk) of one pair through the recursion with trapezoid maps (float64)."""
    dual, diag = np_maps(name)
    depth = len(layers) - 1
    theta = 0.0

    def dense(l, k, theta):
        w, b = layers[l]
        w2, b2 = w * w, (b or 0.0) ** 2
        k_new = w2 * k + b2
        if param == "ntk":
            return k_new, k_new + w2 * theta
        n_in = d if l == 0 else widths[min(l - 1, len(widths) - 1)]
        return k_new, n_in * k + w2 * theta + (0 if b is None else 1)

    for l in range(depth):
        k, theta = dense(l, k, theta)
        w, b = layers[l]
        q1, q2 = w * w * q1 + (b or 0.0) ** 2, w * w * q2 + (b or 0.0) ** 2
        k = max(-math.sqrt(q1 * q2), min(math.sqrt(q1 * q2), k))
        f, fd = dual(k, q1, q2)
        k, theta = f, theta * fd
        q1, q2 = diag(q1), diag(q2)
    return dense(depth, k, theta)


# Moderate variances (inputs scaled by 0.7): Gauss-Hermite's error grows with
# q, since phi(sqrt(2q) x) has its poles at distance ~1/sqrt(q) from the real axis.
CONFIGS = [
    (1, [(1.0, None)], "ntk", None, 3),
    (2, [(1.2, 0.1)], "ntk", None, 3),
    (3, [(1.0, 0.2), (0.9, None), (1.3, 0.05), (1.0, 0.3)], "ntk", None, 16),
    (2, [(1.1, 0.3)], "standard", [50], 3),
]
INPUT_SCALE = 0.7


def main_numerical(gk):
    import json
    import os

    from neural_tangents import stax
    rng = np.random.default_rng(20261208)
    cases = []
    for name in FUNCTIONS:
        fn, dfn = jnp_fn(name)
        for deg in DEGREES:
            for depth, layers, param, widths, d in CONFIGS:
                layers = gk.expand(depth, layers)
                x1, x2 = (INPUT_SCALE * x for x in gk.inputs(d, rng))
                layer = stax.ElementwiseNumerical(fn, deg, dfn)
                nt = np.asarray(gk.nt_kernels_with(layer, layers, param, widths, x1, x2))
                exact = np.zeros((2, len(x1), len(x2)))
                for i, a in enumerate(x1):
                    for j, b in enumerate(x2):
                        exact[:, i, j] = exact_pair(name, layers, param, widths, a @ b / d,
                                                    a @ a / d, b @ b / d, d)
                cases.append({
                    "name": f"{name}/deg{deg}/L{depth}/{param}/d{d}",
                    "function": name, "degree": deg, "parameterization": param,
                    "widths": None if widths is None else [widths[0]] * depth,
                    "layers": [{"w": w, "b": b} for (w, b) in layers],
                    "x1": x1.tolist(), "x2": x2.tolist(),
                    "nt": {"nngp": gk.nan_to_none(nt[0]), "ntk": gk.nan_to_none(nt[1])},
                    "exact": {"nngp": exact[0].tolist(), "ntk": exact[1].tolist()},
                })
                err = np.nanmax(np.abs(nt - exact)) / np.max(np.abs(exact))
                print(f"{cases[-1]['name']:36s} |NT - exact| / max|K| = {err:.1e}", file=sys.stderr)
    table = []
    mp.mp.dps = 50
    for name in FUNCTIONS:
        f, df = mp_fn(name)
        npdual, npdiag = np_maps(name)
        for k, q1, q2 in TABLE_PAIRS:
            k, q1, q2 = mp.mpf(k), mp.mpf(q1), mp.mpf(q2)
            F, Fd = trapezoid_mp(f, f, k, q1, q2), trapezoid_mp(df, df, k, q1, q2)
            D1, D2 = trapezoid_mp(f, f, q1, q1, q1), trapezoid_mp(f, f, q2, q2, q2)
            row = [float(v) for v in (F, Fd, D1, D2)]
            check = [*npdual(float(k), float(q1), float(q2)), npdiag(float(q1)), npdiag(float(q2))]
            assert all(abs(a - b) <= 1e-13 * max(1, abs(a)) for a, b in zip(row, check)), (name, row, check)
            table.append({"function": name, "k": float(k), "q1": float(q1), "q2": float(q2),
                          "F": row[0], "Fdot": row[1], "diag1": row[2], "diag2": row[3]})
            print(f"table {name} {float(k)}: {row}", file=sys.stderr)
    out = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "nt_numerical.json")
    with open(out, "w") as fh:
        json.dump({"generator": "scripts/gen_numerical.py (via gen_kernels.py)",
                   "neural_tangents": "0.6.5", "cases": cases, "table": table},
                  fh, separators=(",", ":"))
    print(f"{len(cases)} cases -> {out} ({os.path.getsize(out)} bytes)", file=sys.stderr)

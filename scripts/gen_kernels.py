#!/usr/bin/env python3
"""Reference NNGP/NTK fixtures from neural-tangents 0.6.5 for tests/neural_tangents.rs.

Environment (CPU, float64):
    python3 -m venv .venv-nt
    .venv-nt/bin/pip install -r scripts/requirements-nt.txt
    .venv-nt/bin/python scripts/gen_kernels.py        # writes tests/data/nt_kernels.json

For every case (activation x architecture x inputs) the file stores
  nt    - neural-tangents' kernel_fn(x1, x2, ('nngp', 'ntk')) in float64;
  ref   - the same recursion in 50-digit mpmath (an independent re-implementation
          of /work/shared/theory/neural-tangents-conventions.md, exact at c = +-1);
  sens64, sens32 - how much `ref` moves when the first-layer covariance x.z/d is
          perturbed by 8 ulps of f64 / f32 (0 for exactly (anti)parallel pairs,
          whose cosine every implementation gets exactly): the conditioning of the
          entry, i.e. the error any float implementation may legitimately make;
  ill   - 1 where `nt` cannot be trusted to 1e-10 * max|K| (NaN, |nt - ref| above
          that, or an entry so ill-conditioned that sens64 exceeds it). See §4 of
          the theory sheet: ReLU-family NTK at c = +-1 (NT is ~1e-8 accurate there),
          deep Sign/Step near c = +-1, and RectifiedMonomial(2), which NT evaluates
          with 1/sin(theta): NaN at c = +-1 and for zero inputs, and NaN everywhere
          beyond one layer, because NT also pushes the variances cov1/cov2 through
          that formula at c = 1. Deep ReQU is therefore checked against `ref`, whose
          single-layer maps are checked against NT at depth 1 and against quadrature.
On unflagged entries the script asserts |nt - ref| <= 1e-10 * max|K|.

Step has no neural-tangents layer. Its fixtures use the identity
step(x) = (1 + sign x)/2: a Dense(W, b) after a Step layer equals a Dense(W/2,
sqrt(b^2 + W^2/4)) after a Sign layer in the NTK parameterization, so NT's Sign
net with those standard deviations is Step's reference. The single-layer Step
map (pi - theta)/(2 pi) is also checked against 1-d quadrature of
P(u > 0, v > 0) below.
"""
import json
import math
import os
import sys

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)
import mpmath as mp  # noqa: E402
from neural_tangents import stax  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from mp_reference import ACTIVATIONS, m_diag, m_dot, m_dual, m_pair  # noqa: E402

mp.mp.dps = 50
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "nt_kernels.json")
U64 = 2.0**-53
U32 = 2.0**-24

def nt_activation(kind, p):
    if kind == "Relu":
        return stax.Relu()
    if kind == "AbRelu":
        if p["b"] == 1.0 and p["a"] == -1.0:
            return stax.Abs()
        if p["b"] == 1.0:
            return stax.LeakyRelu(p["a"])
        return stax.ABRelu(p["a"], p["b"])
    if kind in ("Sign", "Step"):
        return stax.Sign()
    if kind == "Requ":
        return stax.RectifiedMonomial(2)
    if kind == "Erf":
        return stax.Erf(p["a"], p["b"], p["c"])
    if kind == "Gelu":
        return stax.Gelu()
    if kind == "Sin":
        return stax.Sin(p["a"], p["b"], p["c"])
    if kind == "Cos":
        return stax.Cos(p["a"], p["b"], p["c"])
    if kind == "Identity":
        return stax.Identity()
    raise ValueError(kind)


# ------------------------------------------------------- architectures, inputs
# (depth, layers [(W_std, b_std)] * (depth + 1) or a single pair, parameterization,
#  widths or None, input dim)
S2 = math.sqrt(2.0)
CONFIGS = [
    (1, [(1.0, None)], "ntk", None, 3),
    (2, [(S2, 0.0)], "ntk", None, 16),
    (3, [(1.5, 0.05)], "ntk", None, 1),
    (4, [(1.4, 0.2), (0.8, None), (S2, 0.0), (1.1, 0.5), (0.9, 0.3)], "ntk", None, 16),
    (5, [(1.2, 0.3)], "standard", [100], 3),
    (6, [(S2, None)], "standard", [64, 100, 32, 128, 100, 50], 16),
    (7, [(0.9, 0.5)], "ntk", None, 3),
    (8, [(1.3, 0.0)], "standard", [50], 1),
    (9, [(1.1, 0.2), (1.3, 0.1), (0.7, None), (1.0, 0.0), (1.6, 0.4),
         (1.2, 0.2), (0.9, 0.05), (1.5, None), (1.1, 0.3), (1.0, 1.0)], "ntk", None, 32),
    (10, [(1.0, 0.1)], "ntk", None, 20),
]


def expand(depth, layers):
    return layers * (depth + 1) if len(layers) == 1 else list(layers)


def inputs(d, rng):
    """x1: random, random*3, random, zero, random*0.2; x2: identical, antiparallel,
    scaled-parallel (2.5x), random, zero."""
    a, b, c, e, f = (rng.standard_normal(d) for _ in range(5))
    x1 = np.stack([a, 3.0 * b, c, np.zeros(d), 0.2 * e])
    x2 = np.stack([a, -3.0 * b, 2.5 * c, f, np.zeros(d)])
    return x1, x2


# ------------------------------------------------------------- neural-tangents
def nt_kernels(kind, p, layers, param, widths, x1, x2):
    depth = len(layers) - 1
    if kind == "Step":  # Dense after a Step layer == rescaled Dense after Sign.
        layers = [layers[0]] + [
            (w / 2.0, math.sqrt((b or 0.0) ** 2 + w * w / 4.0)) for (w, b) in layers[1:]
        ]
    blocks = []
    for l in range(depth):
        w, b = layers[l]
        width = widths[min(l, len(widths) - 1)] if widths else 100
        blocks += [stax.Dense(width, W_std=w, b_std=b, parameterization=param),
                   nt_activation(kind, p)]
    w, b = layers[depth]
    blocks.append(stax.Dense(1, W_std=w, b_std=b, parameterization=param))
    _, _, kernel_fn = stax.serial(*blocks)
    k = kernel_fn(np.asarray(x1, np.float64), np.asarray(x2, np.float64), ("nngp", "ntk"))
    return np.asarray(k.nngp, np.float64), np.asarray(k.ntk, np.float64)


def reference(kind, p, layers, param, widths, x1, x2):
    d = x1.shape[1]
    n1, n2 = len(x1), len(x2)
    ref = np.zeros((2, n1, n2))
    sens = np.zeros((2, 2, n1, n2))  # [precision][nngp/ntk]
    for i in range(n1):
        for j in range(n2):
            k0 = m_dot(x1[i], x2[j]) / d
            q1, q2 = m_dot(x1[i], x1[i]) / d, m_dot(x2[j], x2[j]) / d
            val = m_pair(kind, p, layers, param, widths, k0, q1, q2, d)
            ref[:, i, j] = [float(v) for v in val]
            exact = np.array_equal(x1[i], x2[j]) or np.array_equal(x1[i], -x2[j])
            if exact or k0 == 0:
                continue
            lim = mp.sqrt(q1 * q2)
            for pi, u in enumerate((U64, U32)):
                for sgn in (-1, 1):
                    kp = max(-lim, min(lim, k0 * (1 + sgn * 8 * u)))
                    v = m_pair(kind, p, layers, param, widths, kp, q1, q2, d)
                    for t in range(2):
                        sens[pi, t, i, j] = max(sens[pi, t, i, j], float(abs(v[t] - val[t])))
    return ref, sens


# ------------------------------------------------------------- quadrature
def check_step_quadrature():
    """P(u > 0, v > 0) for a Gaussian pair by 1-d quadrature vs (pi - theta)/(2 pi)."""
    for k, q1, q2 in [(0.3, 1.0, 2.0), (-0.9, 1.5, 0.7), (0.0, 1.0, 1.0), (1.4, 1.0, 2.0)]:
        s1, s2 = mp.sqrt(q1), mp.sqrt(q2)
        rho = k / (s1 * s2)
        # v | u ~ N(rho*s2/s1*u, s2^2(1-rho^2)): P(v>0 | u) = Phi(rho u / (s1 sqrt(1-rho^2)))
        quad = mp.quad(lambda t: mp.npdf(t) * mp.ncdf(rho * t / mp.sqrt(1 - rho * rho)), [0, mp.inf])
        closed, _ = m_dual("Step", {}, mp.mpf(k), mp.mpf(q1), mp.mpf(q2))
        assert abs(quad - closed) < 1e-30, (k, q1, q2, quad, closed)


def check_requ_quadrature():
    """ReQU's F, Fdot, F_diag against 1-d quadrature: NT's RectifiedMonomial(2)
    is NaN beyond one layer (its cov1 goes through 1/sin(0)), so deep ReQU rests
    on this check plus the depth-1 NT cases."""
    for k, q1, q2 in [(0.3, 1.0, 2.0), (-0.9, 1.5, 0.7), (0.0, 1.0, 1.0), (1.4, 1.0, 2.0)]:
        k, q1, q2 = mp.mpf(k), mp.mpf(q1), mp.mpf(q2)
        s = mp.sqrt(q2 - k * k / q1)  # v | u ~ N(k u / q1, s^2)

        def e_pos(u, power):  # E[(v+)^power | u]
            mu = k * u / q1
            z = mu / s
            if power == 1:
                return mu * mp.ncdf(z) + s * mp.npdf(z)
            return (mu * mu + s * s) * mp.ncdf(z) + mu * s * mp.npdf(z)

        dens = lambda u: mp.npdf(u, 0, mp.sqrt(q1))  # noqa: E731
        f = mp.quad(lambda u: dens(u) * u * u * e_pos(u, 2), [0, mp.inf])
        fd = mp.quad(lambda u: dens(u) * 4 * u * e_pos(u, 1), [0, mp.inf])
        cf, cfd = m_dual("Requ", {}, k, q1, q2)
        assert abs(f - cf) < 1e-30 and abs(fd - cfd) < 1e-30, (k, q1, q2, f, cf, fd, cfd)
        fdiag = mp.quad(lambda u: dens(u) * u**4, [0, mp.inf])
        assert abs(fdiag - m_diag("Requ", {}, q1)) < 1e-30


# ------------------------------------------------------------------ main
def main():
    check_step_quadrature()
    check_requ_quadrature()
    rng = np.random.default_rng(20261123)
    cases = []
    worst = {}
    for name, kind, p in ACTIVATIONS:
        for depth, layers, param, widths, d in CONFIGS:
            if kind == "Step" and param == "standard":
                continue  # the Sign identity holds in the NTK parameterization only
            layers = expand(depth, layers)
            if kind == "Requ":  # keep q away from the double-exponential blow-up/collapse
                depth = min(depth, 4)
                layers = [(0.6 * w, b) for (w, b) in layers[:depth]] + [layers[-1]]
            x1, x2 = inputs(d, rng)
            if kind == "Requ":
                x1, x2 = 0.5 * x1, 0.5 * x2
            nt = nt_kernels(kind, p, layers, param, widths, x1, x2)
            ref, sens = reference(kind, p, layers, param, widths, x1, x2)
            ill = []
            for t in range(2):
                scale = np.max(np.abs(ref[t]))
                tol = 1e-10 * scale
                with np.errstate(invalid="ignore"):
                    bad = ~np.isfinite(nt[t]) | (np.abs(nt[t] - ref[t]) > tol) | (sens[0, t] > tol)
                ok = ~bad
                err = np.max(np.abs(nt[t] - ref[t])[ok], initial=0.0) / scale
                assert err <= 1e-10, (name, depth, t, err)
                worst[name] = max(worst.get(name, 0.0), err)
                ill.append(bad.astype(int).tolist())
            cases.append({
                "name": f"{name}/L{depth}/{param}/d{d}",
                "activation": {"kind": kind, **p},
                "parameterization": param,
                "widths": None if widths is None else [widths[min(l, len(widths) - 1)] for l in range(depth)],
                "layers": [{"w": w, "b": b} for (w, b) in layers],
                "x1": x1.tolist(),
                "x2": x2.tolist(),
                "nt": {"nngp": nan_to_none(nt[0]), "ntk": nan_to_none(nt[1])},
                "ref": {"nngp": ref[0].tolist(), "ntk": ref[1].tolist()},
                "sens64": {"nngp": sens[0, 0].tolist(), "ntk": sens[0, 1].tolist()},
                "sens32": {"nngp": sens[1, 0].tolist(), "ntk": sens[1, 1].tolist()},
                "ill": {"nngp": ill[0], "ntk": ill[1]},
            })
            print(f"{cases[-1]['name']:40s} ill nngp {np.sum(ill[0]):2d} ntk {np.sum(ill[1]):2d}",
                  file=sys.stderr)
    doc = {
        "generator": "scripts/gen_kernels.py",
        "neural_tangents": "0.6.5",
        "jax": jax.__version__,
        "dtype": "float64",
        "cases": cases,
    }
    with open(OUT, "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
    print(f"{len(cases)} cases -> {OUT} ({os.path.getsize(OUT)} bytes)", file=sys.stderr)
    for name, err in worst.items():
        print(f"  max |NT - mpmath| / max|K| on unflagged entries, {name}: {err:.2e}", file=sys.stderr)


def nan_to_none(a):
    return [[None if not np.isfinite(v) else float(v) for v in row] for row in a]


if __name__ == "__main__":
    main()

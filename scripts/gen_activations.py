"""Fixtures for the activations added to neural-tangents' first grid:
tests/data/nt_activations.json, read by tests/neural_tangents.rs.

Run through scripts/gen_kernels.py (`gen_kernels.py --activations` writes only
this file). Same case format as nt_kernels.json (see gen_kernels.py's header):
`nt` is neural-tangents 0.6.5's value, or null where it has none, `ref` a
50-digit mpmath evaluation of the recursion with the maps below, `ill` flags
the entries where `nt` cannot be trusted, which the Rust test compares with
`ref` instead. Which reference each activation rests on:

- Monomial(n), n <= 5; Rbf; Exp; Gaussian; Gabor; ExpNormalized; Polynomial;
  Sigmoid_like: neural-tangents (its formulas, re-derived in mpmath below and
  checked against 2-d quadrature of E[phi(u) phi(v)], agree with it to 1e-10
  on every entry that is not NaN or ill-conditioned: asserted).
- Monomial(7): mpmath only (neural-tangents stops at degree 5).
- RectifiedMonomial(n): mpmath; neural-tangents divides by sin(theta), so it
  is NaN at parallel pairs and everywhere beyond one layer (its variances go
  through the same formula at c = 1). Its unflagged depth-1 entries agree.
- Hermite(n): mpmath. neural-tangents returns K^n, right only for unit
  variances (it warns so); the exact expectation for any variance, used here,
  equals K^n where q1 = q2 = 1 (checked on the unit-variance cases).
"""
import math
import sys

import mpmath as mp
import numpy as np

mp.mp.dps = 50
SIGMOID_LIKE = {"a": 0.5, "b": 1 / 2.4020563531719796, "c": 0.5}


def _fact(n):
    return mp.factorial(n)


def _dfact(n):  # (n)!! with (-1)!! = 1
    return mp.mpf(math.prod(range(n, 0, -2))) if n > 0 else mp.mpf(1)


def _angle(k, q1, q2):
    r = mp.sqrt(q1 * q2)
    c = mp.mpf(0) if r == 0 else max(mp.mpf(-1), min(mp.mpf(1), k / r))
    return r, c, mp.acos(c)


# ---------------------------------------------------------------- maps (F, Fdot)
def monomial(p, k, q1, q2):
    """M_n = E[u^n v^n] = sum_j n!^2 / ((n-2j)! j!^2 4^j) K^(n-2j) P^j (Wick)."""
    n, P = int(p["n"]), q1 * q2

    def m(n):
        if n < 0:
            return mp.mpf(0)
        return mp.fsum(_fact(n) ** 2 / (_fact(n - 2 * j) * _fact(j) ** 2 * 4**j)
                       * k ** (n - 2 * j) * P**j for j in range(n // 2 + 1))
    return m(n), n * n * m(n - 1)


def _j(n, r, c, th):
    """r^n J_n(theta) by the recurrence J_{m+1} = (2m+1) c J_m + m^2 s^2 J_{m-1};
    checked against quadrature in check_closed_forms()."""
    s = mp.sin(th)
    below, at = mp.pi - th, r * (s + (mp.pi - th) * c)
    if n == 0:
        return None, below
    for m in range(1, n):
        below, at = at, (2 * m + 1) * r * c * at + m * m * (r * s) ** 2 * below
    return below, at


def rectified(p, k, q1, q2):
    n = int(p["n"])
    r, c, th = _angle(k, q1, q2)
    if n == 0:
        return (mp.pi - th) / (2 * mp.pi), mp.mpf(0)
    below, at = _j(n, r, c, th)
    return at / (2 * mp.pi), n * n * below / (2 * mp.pi)


def rbf(p, k, q1, q2):
    g = mp.mpf(p["gamma"])
    f = mp.exp(g * (2 * k - q1 - q2))
    return f, 2 * g * f


def exp_(p, k, q1, q2):
    a, b = mp.mpf(p["a"]), mp.mpf(p["b"])
    e = mp.exp(b * b * ((q1 + q2) / 2 + k))
    return a * a * e, a * a * b * b * e


def gaussian(p, k, q1, q2):
    a, b = mp.mpf(p["a"]), mp.mpf(p["b"])
    det = (1 - 2 * b * q1) * (1 - 2 * b * q2) - 4 * b * b * k * k
    return a * a / mp.sqrt(det), a * a * 4 * b * b * k / det ** mp.mpf(1.5)


def gabor(p, k, q1, q2):
    P, S = q1 * q2, q1 + q2
    diff = 4 * (P - k * k)
    den = 2 * S + diff + 1
    left, right = mp.exp(-(S + diff + 2 * k) / (2 * den)), mp.exp(2 * k / den)
    shared = 1 + 2 * S + 4 * (k * k + P)
    dterm = 4 * k * (diff + 3 * S + 2)
    fd = left * ((shared - dterm) + right * (shared + dterm)) / den ** mp.mpf(2.5) / 2
    return left * (right - 1) / (2 * mp.sqrt(den)), fd


def exp_normalized(p, k, q1, q2):
    g, shift = mp.mpf(p["gamma"]), mp.mpf(p["shift"])
    r = mp.sqrt(max(q1 * q2, mp.mpf(1e-30)))
    c = k / r
    if p["do_clip"]:
        c = max(mp.mpf(-1), min(mp.mpf(1), c))
    e = mp.exp(g * (c + shift))
    return r * e, g * e


def _hermite_terms(n, k, a1, a2):
    """sum_j n!/(j!^2 (n-2j)! 4^j) (a1 a2)^j K^(n-2j): E[h_n(u) h_n(v)] with h_n
    the normalised He_n / sqrt(n!), a = q - 1 (He_n(s x) expanded in He_m(x))."""
    return mp.fsum(_fact(n) / (_fact(j) ** 2 * _fact(n - 2 * j) * 4**j)
                   * (a1 * a2) ** j * k ** (n - 2 * j) for j in range(n // 2 + 1))


def hermite(p, k, q1, q2):
    n = int(p["n"])
    f = _hermite_terms(n, k, q1 - 1, q2 - 1)
    fd = n * _hermite_terms(n - 1, k, q1 - 1, q2 - 1) if n > 0 else mp.mpf(0)
    return f, fd


def _poly_r(coefs, l, q):
    """R_l(q) = sum_i c_(2i+l) (2i+l)!/(2^i i!) q^i: phi(sqrt(q) z) in the Hermite basis."""
    return mp.fsum(mp.mpf(coefs[2 * i + l]) * _fact(2 * i + l) / (2**i * _fact(i)) * q**i
                   for i in range((len(coefs) - 1 - l) // 2 + 1))


def polynomial(p, k, q1, q2):
    c = p["coefs"]
    terms = [_poly_r(c, l, q1) * _poly_r(c, l, q2) for l in range(len(c))]
    f = mp.fsum(t * k**l / _fact(l) for l, t in enumerate(terms))
    fd = mp.fsum(t * k ** (l - 1) / _fact(l - 1) for l, t in enumerate(terms) if l > 0)
    return f, fd


def erf_like(p, k, q1, q2):  # Sigmoid_like = Erf(1/2, 1/2.4020563531719796, 1/2)
    a, b, cc = (mp.mpf(SIGMOID_LIKE[n]) for n in "abc")
    b2 = b * b
    k, q1, q2 = b2 * k, b2 * q1, b2 * q2
    s = mp.sqrt((1 + 2 * q1) * (1 + 2 * q2) - 4 * k * k)
    return a * a * 2 / mp.pi * mp.atan2(2 * k, s) + cc * cc, a * a * b2 * 4 / mp.pi / s


NEW_DUALS = {
    "Monomial": monomial, "RectifiedMonomial": rectified, "Rbf": rbf, "Exp": exp_,
    "Gaussian": gaussian, "Gabor": gabor, "ExpNormalized": exp_normalized,
    "Hermite": hermite, "Polynomial": polynomial, "SigmoidLike": erf_like,
}


def _diag_of(dual):
    return lambda p, q: dual(p, q, q, q)[0]


NEW_DIAGS = {kind: _diag_of(f) for kind, f in NEW_DUALS.items()}
NEW_DIAGS["RectifiedMonomial"] = lambda p, q: (
    (mp.mpf(0.5) if q > 0 else mp.mpf(0.25)) if int(p["n"]) == 0
    else _dfact(2 * int(p["n"]) - 1) * q ** int(p["n"]) / 2)


# ------------------------------------------------- pointwise phi and phi'
def phi(kind, p):
    """(phi, phi') on numpy arrays, for the quadrature checks."""
    from numpy.polynomial import hermite_e as he
    if kind == "Monomial":
        n = int(p["n"])
        return (lambda x: x**n), (lambda x: n * x ** (n - 1) if n else 0 * x)
    if kind == "Rbf":
        w = math.sqrt(2 * p["gamma"])
        return (lambda x: math.sqrt(2) * np.sin(w * x + np.pi / 4)), \
            (lambda x: math.sqrt(2) * w * np.cos(w * x + np.pi / 4))
    if kind == "Exp":
        a, b = p["a"], p["b"]
        return (lambda x: a * np.exp(b * x)), (lambda x: a * b * np.exp(b * x))
    if kind == "Gaussian":
        a, b = p["a"], p["b"]
        return (lambda x: a * np.exp(b * x * x)), (lambda x: 2 * a * b * x * np.exp(b * x * x))
    if kind == "Gabor":
        return (lambda x: np.exp(-x * x) * np.sin(x)), \
            (lambda x: np.exp(-x * x) * (np.cos(x) - 2 * x * np.sin(x)))
    if kind == "Hermite":
        n = int(p["n"])
        c = np.zeros(n + 1)
        c[n] = 1 / math.sqrt(math.factorial(n))
        return (lambda x: he.hermeval(x, c)), (lambda x: he.hermeval(x, he.hermeder(c)))
    if kind == "Polynomial":
        c = np.array(p["coefs"], float)
        from numpy.polynomial import polynomial as pl
        return (lambda x: pl.polyval(x, c)), (lambda x: pl.polyval(x, pl.polyder(c)))
    raise ValueError(kind)


def gauss_expect(f, g, k, q1, q2, h=0.05, L=14.0):
    """E[f(u) g(v)] for a centred Gaussian pair by the 2-d trapezoid rule on
    [-L, L]^2 (float64): for integrands analytic in a strip |Im x| < a its error
    is O(exp(-2 pi a / h)), and the tails beyond L are below exp(-L^2/2)."""
    x = np.arange(-L, L + h / 2, h)
    w = np.exp(-x * x / 2) * h / math.sqrt(2 * math.pi)
    s1 = math.sqrt(q1)
    a, s = k / s1, math.sqrt(q2 - k * k / q1)
    fx = w * f(s1 * x)
    gv = g(a * x[:, None] + s * x[None, :]) * w[None, :]
    return float(fx @ gv.sum(axis=1))


PAIRS = [(0.3, 1.0, 2.0), (-0.4, 0.5, 0.7), (0.0, 1.0, 1.0), (0.6, 0.8, 0.5)]


def check_closed_forms(kinds):
    """Every smooth closed form's F and Fdot against 2-d quadrature of
    E[phi(u)phi(v)] and E[phi'(u)phi'(v)] (to 1e-11: a wrong formula is O(1) off)."""
    for kind, p in kinds:
        if kind in ("RectifiedMonomial", "ExpNormalized", "SigmoidLike"):
            continue  # below / a kernel map without phi / Erf's formula
        f, df = phi(kind, p)
        for k, q1, q2 in PAIRS:
            cf, cfd = (float(v) for v in NEW_DUALS[kind](p, mp.mpf(k), mp.mpf(q1), mp.mpf(q2)))
            qf, qfd = gauss_expect(f, f, k, q1, q2), gauss_expect(df, df, k, q1, q2)
            assert abs(cf - qf) < 1e-11 * (1 + abs(qf)), (kind, p, k, cf, qf)
            assert abs(cfd - qfd) < 1e-11 * (1 + abs(qfd)), (kind, p, k, cfd, qfd)
    check_rectified_quadrature()


def check_rectified_quadrature():
    """r^n J_n/(2 pi) = E[u+^n v+^n] for n = 0..6, by 1-d quadrature over u of the
    closed conditional moment E[(mu + s z)+^m] = sum_j C(m,j) mu^(m-j) s^j T_j(-mu/s),
    T_j(a) = int_a^inf z^j npdf(z) dz = a^(j-1) npdf(a) + (j-1) T_(j-2)(a)."""
    def tail(j, a):
        if j == 0:
            return mp.ncdf(-a)
        if j == 1:
            return mp.npdf(a)
        return a ** (j - 1) * mp.npdf(a) + (j - 1) * tail(j - 2, a)

    for k, q1, q2 in PAIRS + [(-0.99, 1.0, 1.0), (0.999, 1.0, 1.0)]:
        k, q1, q2 = mp.mpf(k), mp.mpf(q1), mp.mpf(q2)
        s = mp.sqrt(q2 - k * k / q1)
        for n in range(7):
            def inner(u, m=n):
                mu = k * u / q1
                return mp.fsum(mp.binomial(m, j) * mu ** (m - j) * s**j * tail(j, -mu / s)
                               for j in range(m + 1))
            quad = mp.quad(lambda u: mp.npdf(u, 0, mp.sqrt(q1)) * u**n * inner(u), [0, mp.inf])
            closed, _ = rectified({"n": n}, k, q1, q2)
            assert abs(quad - closed) < mp.mpf(10) ** -40 * (1 + abs(quad)), (n, k, quad, closed)


# ------------------------------------------------------------ neural-tangents
def nt_layer(kind, p):
    from neural_tangents import stax
    if kind == "Monomial":
        return stax.Monomial(int(p["n"])) if int(p["n"]) <= 5 else None
    table = {
        "RectifiedMonomial": lambda: stax.RectifiedMonomial(int(p["n"])),
        "Rbf": lambda: stax.Rbf(p["gamma"]),
        "Exp": lambda: stax.Exp(p["a"], p["b"]),
        "Gaussian": lambda: stax.Gaussian(p["a"], p["b"]),
        "Gabor": stax.Gabor,
        "ExpNormalized": lambda: stax.ExpNormalized(p["gamma"], p["shift"], p["do_clip"]),
        "Hermite": lambda: stax.Hermite(int(p["n"])),
        "Polynomial": lambda: stax.Polynomial(p["coefs"]),
        "SigmoidLike": stax.Sigmoid_like,
    }
    return table[kind]()


# (name, kind, params, weight scale, input scale, max depth, NT expected right)
NEW_ACTIVATIONS = [
    ("monomial_0", "Monomial", {"n": 0}, 1.0, 1.0, 10, True),
    ("monomial_2", "Monomial", {"n": 2}, 0.7, 0.8, 4, True),
    ("monomial_3", "Monomial", {"n": 3}, 0.45, 0.8, 3, True),
    ("monomial_5", "Monomial", {"n": 5}, 0.12, 0.8, 2, True),
    ("monomial_7", "Monomial", {"n": 7}, 1.0, 0.8, 1, None),
    ("rectified_monomial_0", "RectifiedMonomial", {"n": 0}, 1.0, 1.0, 10, False),
    ("rectified_monomial_1", "RectifiedMonomial", {"n": 1}, 1.0, 1.0, 10, False),
    ("rectified_monomial_3", "RectifiedMonomial", {"n": 3}, 0.5, 0.7, 3, False),
    ("rectified_monomial_4", "RectifiedMonomial", {"n": 4}, 0.25, 0.7, 3, False),
    ("rbf_0.5", "Rbf", {"gamma": 0.5}, 1.0, 1.0, 10, True),
    ("rbf_2", "Rbf", {"gamma": 2.0}, 1.0, 1.0, 4, True),
    ("exp_1_0.5", "Exp", {"a": 1.0, "b": 0.5}, 0.5, 0.3, 3, True),
    ("exp_0.7_-0.8", "Exp", {"a": 0.7, "b": -0.8}, 0.5, 0.3, 3, True),
    ("gaussian_1_-1", "Gaussian", {"a": 1.0, "b": -1.0}, 1.0, 1.0, 10, True),
    ("gaussian_1.2_0.05", "Gaussian", {"a": 1.2, "b": 0.05}, 0.5, 0.5, 3, True),
    ("hermite_2", "Hermite", {"n": 2}, 0.8, 1.0, 4, False),
    ("hermite_3", "Hermite", {"n": 3}, 0.6, 1.0, 2, False),
    ("polynomial", "Polynomial", {"coefs": [0.1, 1.0, 0.5, -0.2]}, 0.6, 0.8, 3, True),
    ("exp_normalized", "ExpNormalized", {"gamma": 1.0, "shift": -1.0, "do_clip": False},
     1.0, 1.0, 10, True),
    ("exp_normalized_clip", "ExpNormalized", {"gamma": 2.0, "shift": -0.5, "do_clip": True},
     1.0, 1.0, 4, True),
    ("gabor", "Gabor", {}, 1.0, 1.0, 10, True),
    ("sigmoid_like", "SigmoidLike", {}, 1.0, 1.0, 10, True),
]


def check_hermite_unit(gk):
    """Where every variance is 1 (unit-norm inputs, W_std = 1, no bias),
    neural-tangents' K^n is the expectation: it must equal our exact maps."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((4, 5))
    x *= np.sqrt(5) / np.linalg.norm(x, axis=1, keepdims=True)
    layers = [(1.0, None)] * 3
    for n in (2, 3):
        p = {"n": n}
        nt = np.asarray(gk.nt_kernels_with(nt_layer("Hermite", p), layers, "ntk", None, x, x))
        ref, _ = gk.reference("Hermite", p, layers, "ntk", None, x, x)
        assert np.max(np.abs(nt - ref)) <= 1e-12 * np.max(np.abs(ref)), (n, nt, ref)


def tame(layers, depth, w_scale):
    return [(w_scale * w, b) for (w, b) in layers[:depth]] + [layers[-1]]


def main_activations(gk):
    """Writes tests/data/nt_activations.json; gk is the gen_kernels module."""
    import json
    import os
    check_closed_forms([(k, p) for _, k, p, *_ in NEW_ACTIVATIONS])
    check_hermite_unit(gk)
    rng = np.random.default_rng(20261207)
    cases, worst = [], {}
    for name, kind, p, w_scale, x_scale, max_depth, nt_right in NEW_ACTIVATIONS:
        for depth, layers, param, widths, d in gk.CONFIGS:
            layers = gk.expand(depth, layers)
            if depth > max_depth:
                continue
            layers = tame(layers, depth, w_scale)
            x1, x2 = gk.inputs(d, rng)
            x1, x2 = x_scale * x1, x_scale * x2
            layer = nt_layer(kind, p)
            if layer is None:
                nt = np.full((2, len(x1), len(x2)), np.nan)
            else:
                nt = np.asarray(gk.nt_kernels_with(layer, layers, param, widths, x1, x2))
            ref, sens = gk.reference(kind, p, layers, param, widths, x1, x2)
            case, err = gk.case_record(name, kind, p, layers, param, widths, d, depth, x1, x2,
                                       nt, ref, sens, allow_disagreement=nt_right is not True)
            worst[name] = max(worst.get(name, 0.0), err)
            cases.append(case)
    out = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "nt_activations.json")
    with open(out, "w") as fh:
        json.dump({"generator": "scripts/gen_activations.py (via gen_kernels.py)",
                   "neural_tangents": "0.6.5", "dtype": "float64", "cases": cases},
                  fh, separators=(",", ":"))
    print(f"{len(cases)} cases -> {out} ({os.path.getsize(out)} bytes)", file=sys.stderr)
    for name, err in worst.items():
        print(f"  max |NT - mpmath| / max|K| on unflagged entries, {name}: {err:.2e}",
              file=sys.stderr)

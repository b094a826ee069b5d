"""The NNGP/NTK recursion of the crate's activations in high-precision mpmath:
an independent re-implementation of neural-tangents' conventions (exact at
c = +-1), shared by scripts/gen_kernels.py and scripts/gen_adversarial.py.
The precision is mpmath's global `mp.mp.dps` (the callers set it).
"""
import mpmath as mp

# ---------------------------------------------------------------- activations
# (name, kind, params); kind is what the Rust test maps to `Activation`.
ACTIVATIONS = [
    ("relu", "Relu", {}),
    ("leaky_relu_0.1", "AbRelu", {"a": 0.1, "b": 1.0}),
    ("abrelu_-0.3_1.7", "AbRelu", {"a": -0.3, "b": 1.7}),
    ("abs", "AbRelu", {"a": -1.0, "b": 1.0}),
    ("sign", "Sign", {}),
    ("step", "Step", {}),
    ("requ", "Requ", {}),
    ("erf", "Erf", {"a": 1.0, "b": 1.0, "c": 0.0}),
    ("erf_1.3_0.7_0.2", "Erf", {"a": 1.3, "b": 0.7, "c": 0.2}),
    ("gelu", "Gelu", {}),
    ("sin_0.8_1.5_0.3", "Sin", {"a": 0.8, "b": 1.5, "c": 0.3}),
    ("cos_1.1_0.6_-0.4", "Cos", {"a": 1.1, "b": 0.6, "c": -0.4}),
    ("identity", "Identity", {}),
]


# --------------------------------------------------------- mpmath reference
def m_angle(k, q1, q2):
    r = mp.sqrt(q1 * q2)
    c = mp.mpf(0) if r == 0 else max(mp.mpf(-1), min(mp.mpf(1), k / r))
    return r, c, mp.acos(c)


def _new():
    """The dual and variance maps of the activations added in gen_activations.py."""
    import gen_activations
    return gen_activations.NEW_DUALS, gen_activations.NEW_DIAGS


def m_dual(kind, p, k, q1, q2):
    """(F, Fdot) in mpmath."""
    duals, _ = _new()
    if kind in duals:
        return duals[kind](p, k, q1, q2)
    if kind in ("Relu", "AbRelu"):
        a, b = (0.0, 1.0) if kind == "Relu" else (p["a"], p["b"])
        a, b = mp.mpf(a), mp.mpf(b)
        r, c, th = m_angle(k, q1, q2)
        f = (a - b) ** 2 / (2 * mp.pi)
        fd = (a * a + b * b) / 2 - f * th
        return r * (f * mp.sin(th) + fd * c), fd
    if kind in ("Sign", "Step"):
        _, _, th = m_angle(k, q1, q2)
        s = 1 - 2 * th / mp.pi
        return (s if kind == "Sign" else (1 + s) / 4), mp.mpf(0)
    if kind == "Requ":
        r, c, th = m_angle(k, q1, q2)
        s = mp.sin(th)
        j2 = 3 * s * c + (mp.pi - th) * (1 + 2 * c * c)
        j1 = s + (mp.pi - th) * c
        return r * r * j2 / (2 * mp.pi), 4 * r * j1 / (2 * mp.pi)
    if kind == "Erf":
        a, b, cc = (mp.mpf(p[n]) for n in "abc")
        b2 = b * b
        k, q1, q2 = b2 * k, b2 * q1, b2 * q2
        s = mp.sqrt((1 + 2 * q1) * (1 + 2 * q2) - 4 * k * k)
        return a * a * 2 / mp.pi * mp.atan2(2 * k, s) + cc * cc, a * a * b2 * 4 / mp.pi / s
    if kind == "Gelu":
        P, P1 = q1 * q2, (1 + q1) * (1 + q2)
        d2 = P1 - k * k
        d = mp.sqrt(d2)
        phi = mp.atan2(k, d)
        f = k / 4 + (k * phi + (k * k + P * d2) / (P1 * d)) / (2 * mp.pi)
        fd = mp.mpf(1) / 4 + phi / (2 * mp.pi) + k / (2 * mp.pi * d) * (1 / d2 + (1 - P) / P1 + 1)
        return f, fd
    if kind in ("Sin", "Cos"):
        a, b, cc = (mp.mpf(p[n]) for n in "abc")
        if kind == "Cos":
            cc += mp.pi / 2
        b2, S = b * b, q1 + q2
        s1 = mp.exp(b2 * (k - S / 2))
        s2 = mp.exp(-b2 * (k + S / 2)) * mp.cos(2 * cc)
        return a * a / 2 * (s1 - s2), a * a * b2 / 2 * (s1 + s2)
    if kind == "Identity":
        return k, mp.mpf(1)
    raise ValueError(kind)


def m_diag(kind, p, q):
    _, diags = _new()
    if kind in diags:
        return diags[kind](p, q)
    if kind in ("Relu", "AbRelu"):
        a, b = (0.0, 1.0) if kind == "Relu" else (p["a"], p["b"])
        return (mp.mpf(a) ** 2 + mp.mpf(b) ** 2) / 2 * q
    if kind == "Sign":
        return mp.mpf(1 if q > 0 else 0)
    if kind == "Step":
        return mp.mpf(0.5 if q > 0 else 0.25)
    if kind == "Requ":
        return mp.mpf(3) / 2 * q * q
    if kind == "Erf":
        a, b, cc = (mp.mpf(p[n]) for n in "abc")
        q = b * b * q
        return a * a * 2 / mp.pi * mp.asin(2 * q / (1 + 2 * q)) + cc * cc
    if kind == "Gelu":
        r = mp.sqrt(1 + 2 * q)
        return q * (mp.mpf(1) / 4 + (q / ((1 + q) * r) + mp.atan2(q, r) / 2) / mp.pi)
    if kind in ("Sin", "Cos"):
        a, b, cc = (mp.mpf(p[n]) for n in "abc")
        if kind == "Cos":
            cc += mp.pi / 2
        return a * a / 2 * (1 - mp.exp(-2 * b * b * q) * mp.cos(2 * cc))
    if kind == "Identity":
        return q
    raise ValueError(kind)


def m_pair(kind, p, layers, param, widths, k, q1, q2, d):
    """(nngp, ntk) of one pair from K = x.z/d and q = |x|^2/d, in mpmath."""
    depth = len(layers) - 1
    theta = mp.mpf(0)

    def dense(l, k, theta):
        w, b = layers[l]
        w2, b2 = mp.mpf(w) ** 2, mp.mpf(b or 0.0) ** 2
        k_new = w2 * k + b2
        if param == "ntk":
            return k_new, k_new + w2 * theta
        n_in = d if l == 0 else widths[min(l - 1, len(widths) - 1)]
        return k_new, n_in * k + w2 * theta + (0 if b is None else 1)

    for l in range(depth):
        k, theta = dense(l, k, theta)
        w, b = layers[l]
        w2, b2 = mp.mpf(w) ** 2, mp.mpf(b or 0.0) ** 2
        q1, q2 = w2 * q1 + b2, w2 * q2 + b2
        f, fd = m_dual(kind, p, k, q1, q2)
        k, theta = f, theta * fd
        q1, q2 = m_diag(kind, p, q1), m_diag(kind, p, q2)
    return dense(depth, k, theta)


def m_dot(x, z):
    return mp.fsum(mp.mpf(float(a)) * mp.mpf(float(b)) for a, b in zip(x, z))



"""kernel_fn against neural-tangents 0.6.5 (float64) and 50-digit mpmath on
every case of tests/data/nt_kernels.json and tests/data/nt_activations.json
(Monomial, RectifiedMonomial, Hermite, Polynomial, Rbf, Exp, Gaussian,
ExpNormalized, Gabor, Sigmoid_like), with the Rust suite's tolerances
(tests/neural_tangents.rs):

- f64, entries NT gets right: |ours − NT| ≤ 1e-10·max|K|;
- f64, flagged entries: |ours − mpmath| ≤ 1e-10·max|K| + 4·sens64;
- f32 (inputs rounded to float32): |ours − mpmath| ≤ 1e-5·max|K| + 4·sens32.
"""

import numpy as np
import pytest

from ntk import stax

from conftest import load

CASES = load("nt_kernels.json")["cases"]
NEW_CASES = load("nt_activations.json")["cases"]


def activation(a):
    kind = a["kind"]
    if kind == "Relu":
        return stax.Relu()
    if kind == "AbRelu":
        return stax.ABRelu(a["a"], a["b"])
    if kind == "Sign":
        return stax.Sign()
    if kind == "Step":
        return stax.Step()
    if kind == "Requ":
        return stax.RectifiedMonomial(2)
    if kind == "Gelu":
        return stax.Gelu()
    if kind == "Identity":
        return stax.Identity()
    if kind in ("Monomial", "RectifiedMonomial", "Hermite"):
        return getattr(stax, kind)(a["n"])
    if kind == "Polynomial":
        return stax.Polynomial(a["coefs"])
    if kind == "Rbf":
        return stax.Rbf(a["gamma"])
    if kind in ("Exp", "Gaussian"):
        return getattr(stax, kind)(a["a"], a["b"])
    if kind == "ExpNormalized":
        return stax.ExpNormalized(a["gamma"], a["shift"], a["do_clip"])
    if kind == "Gabor":
        return stax.Gabor()
    if kind == "SigmoidLike":
        return stax.Sigmoid_like()
    return {"Erf": stax.Erf, "Sin": stax.Sin, "Cos": stax.Cos}[kind](a["a"], a["b"], a["c"])


def network(case):
    layers = case["layers"]
    widths = case["widths"] or [512] * (len(layers) - 1)
    p = case["parameterization"]
    chain = []
    for l, layer in enumerate(layers):
        out = widths[l] if l < len(layers) - 1 else 1
        chain.append(stax.Dense(out, W_std=layer["w"], b_std=layer["b"], parameterization=p))
        if l < len(layers) - 1:
            chain.append(activation(case["activation"]))
    return stax.serial(*chain)


def arr(v):
    return np.array([[np.nan if e is None else e for e in row] for row in v], dtype=np.float64)


def test_grid_covers_every_activation_and_depth():
    kinds = {c["activation"]["kind"] for c in CASES}
    assert kinds == {"Relu", "AbRelu", "Sign", "Step", "Requ", "Erf", "Gelu", "Sin", "Cos", "Identity"}
    assert {len(c["layers"]) - 1 for c in CASES} == set(range(1, 11))
    assert len(CASES) >= 100
    assert {c["activation"]["kind"] for c in NEW_CASES} == {
        "Monomial", "RectifiedMonomial", "Hermite", "Polynomial", "Rbf", "Exp", "Gaussian",
        "ExpNormalized", "Gabor", "SigmoidLike"}


def params():
    # The tiles carry the angle's gaps, so they are held to the same bounds as
    # the exact recursion, (anti)parallel pairs included.
    for c in CASES + NEW_CASES:
        yield pytest.param(c, True, id=f"{c['name']}-exact")
        yield pytest.param(c, False, id=f"{c['name']}-tiles")


@pytest.mark.parametrize("case,exact", list(params()))
def test_matches_neural_tangents(case, exact):
    _, _, kernel_fn = network(case)
    x1, x2 = arr(case["x1"]), arr(case["x2"])
    k64 = kernel_fn(x1, x2, ("nngp", "ntk"), exact=exact)
    k32 = kernel_fn(x1.astype(np.float32), x2.astype(np.float32), ("nngp", "ntk"), exact=exact)
    for name in ("nngp", "ntk"):
        ours64, ours32 = getattr(k64, name), getattr(k32, name)
        assert ours64.dtype == np.float64 and ours32.dtype == np.float32
        nt, exact = arr(case["nt"][name]), arr(case["ref"][name])
        s64, s32, ill = arr(case["sens64"][name]), arr(case["sens32"][name]), arr(case["ill"][name])
        scale = np.abs(exact).max() or 1.0
        flagged = ill != 0
        target = np.where(flagged, exact, nt)
        allowed = 1e-10 * scale + np.where(flagged, 4 * s64, 0.0)
        err64 = np.abs(ours64 - target)
        assert np.all(err64 <= allowed), f"{name} f64: worst {np.nanmax(err64 / scale):.2e}"
        err32 = np.abs(ours32.astype(np.float64) - exact)
        assert np.all(err32 <= 1e-5 * scale + 4 * s32), f"{name} f32: worst {(err32 / scale).max():.2e}"

"""stax.ElementwiseNumerical against neural-tangents 0.6.5's on every case of
tests/data/nt_numerical.json (tanh, sigmoid, softplus, SiLU; 16, 32 and 64 nodes;
depth 1–3; both parameterizations), with the Rust suite's tolerances
(tests/neural_tangents.rs): the same quadrature, so f64 agrees with NT to
1e-10·max|K| and f32 to 1e-5; against the exact kernel (trapezoid rule) the
error is the quadrature's, below 0.8, 0.15 and 0.06 of max|K| at 16, 32 and 64 nodes.
"""

import numpy as np
import pytest

from ntk import stax

from conftest import load

CASES = load("nt_numerical.json")["cases"]

# Each built-in as neural-tangents users pass it: a numpy/jax-style callable.
CALLABLES = {
    "tanh": np.tanh,
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "softplus": lambda x: np.logaddexp(0.0, x),
    "silu": lambda x: x / (1 + np.exp(-x)),
}
DERIVATIVES = {
    "tanh": lambda x: 1 - np.tanh(x) ** 2,
    "sigmoid": lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2,
    "softplus": lambda x: 1 / (1 + np.exp(-x)),
    "silu": lambda x: (1 + np.exp(-x) + x * np.exp(-x)) / (1 + np.exp(-x)) ** 2,
}
BOUND = {16: 0.8, 32: 0.15, 64: 0.06}


def network(case, how):
    layers, p = case["layers"], case["parameterization"]
    widths = case["widths"] or [512] * (len(layers) - 1)
    name = case["function"]
    fn, df = {"name": (name, None), "callable": (CALLABLES[name], None),
              "callable+df": (CALLABLES[name], DERIVATIVES[name])}[how]
    chain = []
    for l, layer in enumerate(layers):
        out = widths[l] if l < len(layers) - 1 else 1
        chain.append(stax.Dense(out, W_std=layer["w"], b_std=layer["b"], parameterization=p))
        if l < len(layers) - 1:
            chain.append(stax.ElementwiseNumerical(fn, case["degree"], df))
    return stax.serial(*chain)


def arr(v):
    return np.array([[np.nan if e is None else e for e in row] for row in v], dtype=np.float64)


def params():
    for c in CASES:
        for how in ("name", "callable", "callable+df"):
            yield pytest.param(c, how, id=f"{c['name']}-{how}")


def test_grid():
    assert {c["function"] for c in CASES} == set(CALLABLES)
    assert {c["degree"] for c in CASES} == set(BOUND)
    assert len(CASES) >= 32


@pytest.mark.parametrize("case,how", list(params()))
def test_matches_neural_tangents(case, how):
    _, _, kernel_fn = network(case, how)
    x1, x2 = arr(case["x1"]), arr(case["x2"])
    k64 = kernel_fn(x1, x2)
    k32 = kernel_fn(x1.astype(np.float32), x2.astype(np.float32))
    for name in ("nngp", "ntk"):
        ours64, ours32 = getattr(k64, name), getattr(k32, name)
        assert ours32.dtype == np.float32
        assert np.all(np.isfinite(ours64)) and np.all(np.isfinite(ours32))
        nt, exact = arr(case["nt"][name]), arr(case["exact"][name])
        scale = np.abs(exact).max()
        # NT is NaN at a zero input without bias (it divides by q = 0):
        # those entries are held to the exact kernel only.
        ok = ~np.isnan(nt)
        assert np.all(np.abs(ours64 - nt)[ok] <= 1e-10 * scale)
        assert np.all(np.abs(ours32.astype(np.float64) - nt)[ok] <= 1e-5 * scale)
        assert np.abs(ours64 - exact).max() <= BOUND[case["degree"]] * scale


def test_names_and_aliases():
    x = np.random.default_rng(0).normal(size=(4, 3))
    ref = stax.serial(stax.Dense(8), stax.ElementwiseNumerical("silu", 8), stax.Dense(1))[2](x)
    alias = stax.serial(stax.Dense(8), stax.ElementwiseNumerical("Swish", 8), stax.Dense(1))[2](x)
    np.testing.assert_array_equal(ref.ntk, alias.ntk)
    for name in ("elu", "selu", "mish"):  # built-ins without an NT fixture: finite, distinct
        k = stax.serial(stax.Dense(8), stax.ElementwiseNumerical(name, 16), stax.Dense(1))[2](x)
        assert np.all(np.isfinite(k.ntk)) and not np.allclose(k.ntk, ref.ntk)


def test_callable_is_identified_by_its_values():
    def elu(x):
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))
    x = np.random.default_rng(1).normal(size=(3, 2))
    by_fn = stax.serial(stax.Dense(4), stax.ElementwiseNumerical(elu, 12), stax.Dense(1))[2](x)
    by_name = stax.serial(stax.Dense(4), stax.ElementwiseNumerical("elu", 12), stax.Dense(1))[2](x)
    np.testing.assert_array_equal(by_fn.nngp, by_name.nngp)
    # A scalar-only callable is evaluated point by point.
    import math
    layer = stax.ElementwiseNumerical(math.tanh, 12)
    assert layer.spec == stax.ElementwiseNumerical("tanh", 12).spec


@pytest.mark.parametrize("fn", [np.sin, lambda x: 2 * np.tanh(x), lambda x: np.tanh(x) + 1e-3])
def test_other_functions_raise_not_implemented(fn):
    with pytest.raises(NotImplementedError, match="built-in"):
        stax.ElementwiseNumerical(fn, 16)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="deg"):
        stax.ElementwiseNumerical("tanh", 0)
    with pytest.raises(ValueError, match="deg"):
        stax.ElementwiseNumerical("tanh", 65)
    with pytest.raises(ValueError, match="unknown activation"):
        stax.ElementwiseNumerical("relu6", 16)
    with pytest.raises(TypeError):
        stax.ElementwiseNumerical(3.0, 16)
    with pytest.raises(ValueError, match="derivative"):
        stax.ElementwiseNumerical(np.tanh, 16, df=np.cos)

"""Fixture for tests/finite_layout.rs: finite stax networks initialised by
neural-tangents 0.6.5 / JAX (float64) with fixed keys, their parameters in
neural-tangents' layout and their outputs on a few inputs.

Parameters are flattened in stax.serial order: for each Dense layer, W
(fan_in × fan_out, row-major) then b (fan_out; zeros when b_std=None, where
stax stores None). Activation layers have no parameters.

    /work/venv-nt/bin/python scripts/gen_finite.py   # writes tests/data/nt_finite.json
"""
import json
import pathlib

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from neural_tangents import stax  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "nt_finite.json"

NETS = [
    # name, rust activation, stax activation, depth, width, W_std, b_std, parameterization
    ("relu2_ntk", {"kind": "relu"}, stax.Relu(), 2, 16, 1.5, 0.1, "ntk"),
    ("erf1_nobias", {"kind": "erf"}, stax.Erf(), 1, 24, 1.2, None, "ntk"),
    ("relu2_standard", {"kind": "relu"}, stax.Relu(), 2, 16, 1.4, 0.2, "standard"),
    ("relu3_ntk_wide", {"kind": "relu"}, stax.Relu(), 3, 64, 2.0 ** 0.5, 0.05, "ntk"),
]


def network(act, depth, width, w, b, param):
    layers = []
    for _ in range(depth):
        layers += [stax.Dense(width, W_std=w, b_std=b, parameterization=param), act]
    layers.append(stax.Dense(1, W_std=w, b_std=b, parameterization=param))
    return stax.serial(*layers)


def flatten(params):
    flat = []
    for layer in params:
        if not layer:
            continue  # an activation
        w, b = layer
        flat.extend(np.asarray(w).ravel().tolist())
        flat.extend(np.zeros(w.shape[1]).tolist() if b is None else np.asarray(b).ravel().tolist())
    return flat


def main():
    d = 3
    rng = np.random.default_rng(20261207)
    x = rng.normal(size=(6, d))
    x[1] = -x[0]  # antiparallel
    x[2] = 0.0  # zero
    x[3] *= 1e3  # large
    cases = []
    for k, (name, rust_act, act, depth, width, w, b, param) in enumerate(NETS):
        init_fn, apply_fn, _ = network(act, depth, width, w, b, param)
        _, params = init_fn(jax.random.PRNGKey(100 + k), (-1, d))
        f = np.asarray(apply_fn(params, jnp.asarray(x)))[:, 0]
        cases.append({
            "net": name, "activation": rust_act, "depth": depth, "width": width,
            "w_std": w, "b_std": b, "parameterization": param, "dim": d,
            "params_nt": flatten(params), "x": x.tolist(), "f": f.tolist(),
        })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"neural_tangents": "0.6.5", "cases": cases}))
    print(f"{len(cases)} cases -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

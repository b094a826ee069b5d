"""Fixtures for tests/regression_nt.rs: neural-tangents 0.6.5
`predict.gradient_descent_mse_ensemble` (float64) means and covariances for
get='nngp' and 'ntk', t=None and finite t, ridge 0 and > 0 (absolute and
relative `diag_reg`), one and two outputs.

    .venv-nt/bin/python scripts/gen_regression.py   # writes tests/data/nt_regression.json
"""
import json
import pathlib

import jax

jax.config.update("jax_enable_x64", True)
import numpy as np  # noqa: E402
import neural_tangents as nt  # noqa: E402
from neural_tangents import stax  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "nt_regression.json"

NETS = [
    # name, rust activation, stax activation, depth, W_std, b_std
    ("relu3", {"kind": "relu"}, stax.Relu(), 3, 1.5, 0.1),
    # Dyadic inputs, d = 4: NT's |x|²/d and x·x/d agree exactly, so its ReLU NTK
    # diagonal is exact (see the conventions sheet §4) and can be held to 1e-9.
    ("relu1_dyadic", {"kind": "relu"}, stax.Relu(), 1, 1.5, 0.1),
    ("erf1", {"kind": "erf"}, stax.Erf(), 1, 1.2, None),
]


def network(act, depth, w, b):
    layers = []
    for _ in range(depth):
        layers += [stax.Dense(512, W_std=w, b_std=b), act]
    layers.append(stax.Dense(1, W_std=w, b_std=b))
    return stax.serial(*layers)


def main():
    rng = np.random.default_rng(20261123)
    cases = []
    for name, rust_act, act, depth, w, b in NETS:
        _, _, kernel_fn = network(act, depth, w, b)
        n_train, n_test = 7, 4
        if name.endswith("dyadic"):
            d = 4
            x_train = rng.integers(-4, 5, size=(n_train, d)) / 4.0
            x_test = rng.integers(-4, 5, size=(n_test, d)) / 4.0
        else:
            d = 3
            x_train = rng.normal(size=(n_train, d))
            x_test = rng.normal(size=(n_test, d))
        x_test[0] = x_train[2]  # a test point on a training point
        for outputs in (1, 2):
            y_train = rng.normal(size=(n_train, outputs))
            for diag_reg, absolute in ((0.0, True), (1e-2, False), (0.05, True)):
                for lr in (1.0, 0.3):
                    predict_fn = nt.predict.gradient_descent_mse_ensemble(
                        kernel_fn, x_train, y_train, learning_rate=lr,
                        diag_reg=diag_reg, diag_reg_absolute_scale=absolute)
                    for t in (None, 0.0, 0.5, 3.0, 40.0):
                        if t is None and lr != 1.0:
                            continue  # t = ∞ does not depend on the learning rate
                        for get in ("nngp", "ntk"):
                            out = predict_fn(t=t, x_test=x_test, get=get, compute_cov=True)
                            mean, cov = np.asarray(out.mean), np.asarray(out.covariance)
                            cases.append({
                                "net": name, "activation": rust_act, "depth": depth,
                                "w_std": w, "b_std": b,
                                "x_train": x_train.tolist(), "y_train": y_train.tolist(),
                                "x_test": x_test.tolist(), "outputs": outputs,
                                "diag_reg": diag_reg, "absolute": absolute,
                                "learning_rate": lr, "t": t, "get": get,
                                "mean": mean.tolist(), "cov": cov.tolist(),
                            })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"neural_tangents": nt.__version__ if hasattr(nt, "__version__") else "0.6.5",
                               "cases": cases}))
    print(f"{len(cases)} cases -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

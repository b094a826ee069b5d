"""predict.gradient_descent_mse_ensemble against neural-tangents 0.6.5 on
every case of tests/data/nt_regression.json (324: 3 networks × {1, 2}
outputs × 3 ridges × t ∈ {∞, 0, 0.5, 3, 40} × η ∈ {1, 0.3} × nngp/ntk),
with the Rust suite's tolerance (tests/regression_nt.rs): every entry
within 1e-9 of the array's largest |entry|, 1e-8 for the deep ReLU NTK
(neural-tangents' own rounding at parallel pairs).
"""

import numpy as np
import pytest

import ntk
from ntk import stax

from conftest import load

CASES = load("nt_regression.json")["cases"]


def kernel_fn(case):
    act = stax.Relu() if case["activation"]["kind"] == "relu" else stax.Erf()
    layers = []
    for _ in range(case["depth"]):
        layers += [stax.Dense(512, W_std=case["w_std"], b_std=case["b_std"]), act]
    layers.append(stax.Dense(1, W_std=case["w_std"], b_std=case["b_std"]))
    return stax.serial(*layers)[2]


def scaled_error(got, want):
    want = np.asarray(want)
    return np.abs(got - want).max() / max(np.abs(want).max(), 1e-300)


def test_all_cases_present():
    assert len(CASES) == 324


@pytest.mark.parametrize("c", range(len(CASES)))
def test_matches_neural_tangents(c):
    case = CASES[c]
    predict_fn = ntk.predict.gradient_descent_mse_ensemble(
        kernel_fn(case), np.array(case["x_train"]), np.array(case["y_train"]),
        learning_rate=case["learning_rate"], diag_reg=case["diag_reg"],
        diag_reg_absolute_scale=case["absolute"])
    mean, cov = predict_fn(t=case["t"], x_test=np.array(case["x_test"]), get=case["get"],
                           compute_cov=True)
    tol = 1e-8 if case["net"] == "relu3" and case["get"] == "ntk" else 1e-9
    assert mean.shape == np.shape(case["mean"]) and cov.shape == np.shape(case["cov"])
    assert scaled_error(mean, case["mean"]) <= tol
    assert scaled_error(cov, case["cov"]) <= tol

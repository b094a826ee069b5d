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


def test_cached_eigenbasis_gives_the_same_predictions():
    """One predict_fn serves every t of a training set from one
    eigendecomposition (computed at the first finite t, then cached): each
    call still matches neural-tangents, and equals a fresh predict_fn's
    bitwise, on the test points and on the training set, in any call order."""
    key = lambda c: (c["net"], c["outputs"], c["diag_reg"], c["absolute"], c["learning_rate"], c["get"])
    groups = {}
    for c in CASES:
        groups.setdefault(key(c), []).append(c)
    checked = 0
    for cases in list(groups.values())[::6]:
        first = cases[0]

        def fresh():
            return ntk.predict.gradient_descent_mse_ensemble(
                kernel_fn(first), np.array(first["x_train"]), np.array(first["y_train"]),
                learning_rate=first["learning_rate"], diag_reg=first["diag_reg"],
                diag_reg_absolute_scale=first["absolute"])
        shared = fresh()
        x_test = np.array(first["x_test"])
        for case in cases[::-1] + cases:
            mean, cov = shared(t=case["t"], x_test=x_test, get=case["get"], compute_cov=True)
            tol = 1e-8 if case["net"] == "relu3" and case["get"] == "ntk" else 1e-9
            assert scaled_error(mean, case["mean"]) <= tol and scaled_error(cov, case["cov"]) <= tol
            once = fresh()(t=case["t"], x_test=x_test, get=case["get"], compute_cov=True)
            np.testing.assert_array_equal(mean, once.mean)
            np.testing.assert_array_equal(cov, once.covariance)
            on_train = shared(t=case["t"], get=case["get"], compute_cov=True)
            once = fresh()(t=case["t"], get=case["get"], compute_cov=True)
            np.testing.assert_array_equal(on_train.mean, once.mean)
            np.testing.assert_array_equal(on_train.covariance, once.covariance)
            checked += 1
    assert checked >= 20

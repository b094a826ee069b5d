"""The Python surface: dtypes, errors, neural-tangents' return conventions,
threads, finite networks and Monte Carlo kernels against closed forms."""

import numpy as np
import pytest

import ntk
from ntk import stax

RNG = np.random.default_rng(0)
X = RNG.standard_normal((7, 4))
Z = RNG.standard_normal((5, 4))


def relu_net(width=512, depth=2, **kw):
    layers = []
    for _ in range(depth):
        layers += [stax.Dense(width, W_std=1.5, b_std=0.1, **kw), stax.Relu()]
    return stax.serial(*layers, stax.Dense(1, W_std=1.5, b_std=0.1, **kw))


KERNEL_FN = relu_net()[2]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(dtype):
    k = KERNEL_FN(X.astype(dtype), Z.astype(dtype))
    assert k.nngp.dtype == dtype and k.ntk.dtype == dtype
    assert k.ntk.shape == (7, 5)


def test_get_conventions():
    assert isinstance(KERNEL_FN(X, Z, "ntk"), np.ndarray)
    k = KERNEL_FN(X, Z, ("ntk", "nngp"))
    assert k._fields == ("ntk", "nngp")
    full = KERNEL_FN(X, None)
    assert isinstance(full, ntk.Kernel)
    np.testing.assert_array_equal(full.ntk, full.ntk.T)
    np.testing.assert_array_equal(KERNEL_FN(X, X, "nngp"), full.nngp)


def test_integers_become_float64_and_mixed_promote():
    assert KERNEL_FN(np.arange(8).reshape(2, 4), None, "ntk").dtype == np.float64
    assert KERNEL_FN(X.astype(np.float32), Z, "ntk").dtype == np.float64


def test_threads_give_the_same_bits():
    x = RNG.standard_normal((300, 8)).astype(np.float32)
    one = KERNEL_FN(x, None, "ntk", threads=1)
    two = KERNEL_FN(x, None, "ntk", threads=2)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(KERNEL_FN(x, x[:50], "ntk", threads=1),
                                  KERNEL_FN(x, x[:50], "ntk"))


@pytest.mark.parametrize("bad,err", [
    (np.array([[np.nan, 1.0, 0.0, 0.0]]), ValueError),
    (np.array([[np.inf, 1.0, 0.0, 0.0]]), ValueError),
    (np.ones(4), ValueError),
    (np.ones((2, 2, 2)), ValueError),
    (np.ones((2, 4), dtype=complex), TypeError),
    (np.array([["a", "b"]]), TypeError),
])
def test_bad_inputs_raise(bad, err):
    with pytest.raises(err):
        KERNEL_FN(bad, None)


def test_bad_arguments_raise():
    with pytest.raises(ValueError):
        KERNEL_FN(X, RNG.standard_normal((2, 3)))
    with pytest.raises(ValueError):
        KERNEL_FN(X, None, "ntk", threads=0)
    with pytest.raises(NotImplementedError):
        KERNEL_FN(X, None, "cov1")
    with pytest.raises(ValueError):
        stax.serial(stax.Dense(8, W_std=-1.0), stax.Relu(), stax.Dense(1))
    with pytest.raises(ValueError):
        stax.serial(stax.Dense(8, W_std=np.nan), stax.Relu(), stax.Dense(1))
    with pytest.raises(ValueError):
        stax.Dense(0)


def test_overflowing_float32_parameters_raise():
    _, _, kf = stax.serial(stax.Dense(8, W_std=1e30), stax.Relu(), stax.Dense(1, W_std=1e30))
    assert np.isfinite(kf(X, None).ntk).all()  # fine in float64
    x32 = X.astype(np.float32)
    for kw in (dict(), dict(threads=1), dict(exact=True)):
        with pytest.raises(ValueError, match="not finite"):
            kf(x32, None, **kw)
        with pytest.raises(ValueError, match="not finite"):
            kf(x32, x32[:2], **kw)


def test_unsupported_architectures_name_the_alternative():
    with pytest.raises(NotImplementedError, match="neural-tangents"):
        stax.Conv(8, (3, 3))
    with pytest.raises(NotImplementedError):
        stax.serial(stax.Dense(8), stax.Relu(), stax.Dense(8), stax.Erf(), stax.Dense(1))[2](X)
    with pytest.raises(NotImplementedError):
        stax.serial(stax.Dense(8), stax.Relu())[2](X)
    with pytest.raises(NotImplementedError):
        stax.Gelu(approximate=True)
    with pytest.raises(NotImplementedError, match="ElementwiseNumerical"):
        stax.Elementwise(np.tanh)


@pytest.mark.parametrize("build, err", [
    (lambda: stax.Monomial(-1), ValueError),
    (lambda: stax.Monomial(2.5), ValueError),
    (lambda: stax.serial(stax.Dense(8), stax.Monomial(65), stax.Dense(1)), ValueError),
    (lambda: stax.serial(stax.Dense(8), stax.Hermite(65), stax.Dense(1)), ValueError),
    (lambda: stax.serial(stax.Dense(8), stax.Polynomial(np.ones(9)), stax.Dense(1)), ValueError),
    (lambda: stax.Polynomial([]), ValueError),
    (lambda: stax.serial(stax.Dense(8), stax.Rbf(-1.0), stax.Dense(1)), ValueError),
    (lambda: stax.serial(stax.Dense(8), stax.Exp(np.nan), stax.Dense(1)), ValueError),
])
def test_bad_activation_parameters_raise(build, err):
    with pytest.raises(err):
        build()


def test_expnormalized_has_no_finite_network():
    init_fn, _, kernel_fn = stax.serial(stax.Dense(8), stax.ExpNormalized(), stax.Dense(1))
    assert np.isfinite(kernel_fn(X, None, "ntk")).all()
    with pytest.raises(ValueError):
        init_fn(0, (1, X.shape[1]))


@pytest.mark.parametrize("act", [stax.Monomial(3), stax.Hermite(2), stax.Gabor(), stax.Rbf(0.5),
                                 stax.ElementwiseNumerical("tanh", 16), stax.Sigmoid_like()])
def test_new_activations_run_finite_networks(act):
    init_fn, apply_fn, _ = stax.serial(stax.Dense(16), act, stax.Dense(1))
    _, params = init_fn(0, (1, X.shape[1]))
    f = apply_fn(params, X)
    assert f.shape == (len(X), 1) and np.isfinite(f).all()


def test_nested_serial_and_aliases():
    a = stax.serial(stax.serial(stax.Dense(8), stax.LeakyRelu(0.1)), stax.Dense(1))[2]
    b = stax.serial(stax.Dense(8), stax.ABRelu(0.1, 1.0), stax.Dense(1))[2]
    np.testing.assert_array_equal(a(X, Z, "ntk"), b(X, Z, "ntk"))
    c = stax.serial(stax.Dense(8), stax.Abs(), stax.Dense(1))[2]
    d = stax.serial(stax.Dense(8), stax.ABRelu(-1.0, 1.0), stax.Dense(1))[2]
    np.testing.assert_array_equal(c(X, Z, "ntk"), d(X, Z, "ntk"))


def test_relu_closed_form_one_layer():
    """Independent reference: the arc-cosine formulas for Dense(W=1, b=None), Relu, Dense."""
    _, _, kf = stax.serial(stax.Dense(1), stax.Relu(), stax.Dense(1))
    d = X.shape[1]
    q = (X * X).sum(1) / d
    cross = X @ X.T / d
    norms = np.sqrt(np.outer(q, q))
    cos = np.clip(cross / norms, -1, 1)
    theta = np.arccos(cos)
    np.fill_diagonal(theta, 0.0)  # x with itself: exactly parallel
    nngp = norms * (np.sin(theta) + (np.pi - theta) * cos) / (2 * np.pi)
    ntk = nngp + cross * (np.pi - theta) / (2 * np.pi)
    k = kf(X, None, exact=True)
    np.testing.assert_allclose(k.nngp, nngp, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(k.ntk, ntk, rtol=1e-12, atol=1e-14)


def test_finite_network_round_trip_and_shapes():
    init_fn, apply_fn, _ = relu_net(width=16)
    shape, params = init_fn(3, (7, 4))
    assert shape == (7, 1)
    assert [p[0].shape for p in params if p != ()] == [(4, 16), (16, 16), (16, 1)]
    f = apply_fn(params, X)
    assert f.shape == (7, 1) and f.dtype == np.float64
    # The readout is linear in its weights: doubling W and b of the last layer doubles f.
    w, b = params[-1]
    doubled = params[:-1] + [(2 * w, 2 * b)]
    np.testing.assert_allclose(apply_fn(doubled, X), 2 * f, rtol=1e-12)
    # Same seed, same network; other seed, other network.
    np.testing.assert_array_equal(apply_fn(init_fn(3, (7, 4))[1], X), f)
    assert not np.allclose(apply_fn(init_fn(4, (7, 4))[1], X), f)
    with pytest.raises(ValueError):
        apply_fn(params[:-1], X)
    with pytest.raises(NotImplementedError):
        stax.serial(stax.Dense(8), stax.Relu(), stax.Dense(2))[0](0, (1, 4))


def test_empirical_ntk_matches_finite_differences():
    init_fn, apply_fn, _ = stax.serial(stax.Dense(6, b_std=0.5), stax.Erf(), stax.Dense(1, b_std=0.5))
    _, params = init_fn(1, (1, 4))
    kf = ntk.empirical_kernel_fn(apply_fn)
    k = kf(X[:3], Z[:2], None, params)
    np.testing.assert_allclose(k.nngp, apply_fn(params, X[:3]) @ apply_fn(params, Z[:2]).T, rtol=1e-12)
    # J by central differences in every parameter.
    flat = [(w.copy(), b.copy()) for w, b in (p for p in params if p != ())]
    def jac(x):
        rows = []
        for li, (w, b) in enumerate(flat):
            for arr in (w, b):
                for idx in np.ndindex(arr.shape):
                    old = arr[idx]
                    out = []
                    for h in (1e-6, -1e-6):
                        arr[idx] = old + h
                        ps = [flat[0], (), flat[1]]
                        out.append(apply_fn(ps, x)[:, 0])
                    arr[idx] = old
                    rows.append((out[0] - out[1]) / 2e-6)
        return np.array(rows).T
    np.testing.assert_allclose(k.ntk, jac(X[:3]) @ jac(Z[:2]).T, rtol=1e-6, atol=1e-8)


def test_monte_carlo_converges_to_closed_form():
    """One hidden layer: E[f(x)f(z)] is exactly the NNGP; the mean empirical NTK is unbiased."""
    init_fn, apply_fn, kernel_fn = stax.serial(stax.Dense(64, W_std=1.4, b_std=0.3), stax.Erf(),
                                               stax.Dense(1, W_std=1.2, b_std=0.2))
    x = X[:3]
    samples = [ntk.empirical_kernel_fn(apply_fn)(x, None, None, init_fn(s, x.shape)[1])
               for s in range(400)]
    exact = kernel_fn(x, None)
    for name in ("nngp", "ntk"):
        vals = np.array([getattr(s, name) for s in samples])
        mean, se = vals.mean(0), vals.std(0, ddof=1) / np.sqrt(len(vals))
        assert np.all(np.abs(mean - getattr(exact, name)) <= 5 * se + 1e-12), name
    mc = ntk.monte_carlo_kernel_fn(init_fn, apply_fn, 0, 400)(x, None, "nngp")
    np.testing.assert_allclose(mc, np.mean([s.nngp for s in samples], 0), rtol=1e-10)


def test_predict_train_set_and_time_axes():
    _, _, kf = relu_net()
    y = np.sin(X[:, :1])
    p = ntk.predict.gradient_descent_mse_ensemble(kf, X, y, diag_reg=1e-4)
    np.testing.assert_array_equal(p(get="ntk"), y)
    near = p(t=1e9, get="ntk")
    np.testing.assert_allclose(near, y, atol=1e-3)
    np.testing.assert_allclose(p(t=0.0, get="nngp"), 0.0, atol=1e-12)
    both = p(t=[[0.5, 1.0], [2.0, 3.0]], x_test=Z)
    assert both._fields == ("nngp", "ntk") and both.ntk.shape == (2, 2, 5, 1)
    g = p(t=2.0, x_test=Z, get="nngp", compute_cov=True)
    assert g.covariance.shape == (5, 5) and np.all(np.diag(g.covariance) >= -1e-12)
    np.testing.assert_allclose(g.mean, both.nngp[1, 0], rtol=1e-12)
    for bad in (dict(t=-1.0), dict(t=np.nan)):
        with pytest.raises(ValueError):
            p(x_test=Z, **bad)
    with pytest.raises(ValueError):
        ntk.predict.gradient_descent_mse_ensemble(kf, X, y[:3])
    with pytest.raises(ValueError):
        p(x_test=np.full((1, 4), np.nan), get="ntk")
    with pytest.raises(ValueError):
        ntk.predict.gradient_descent_mse_ensemble(kf, X, y, diag_reg=-1.0)


def test_predict_keeps_float32():
    _, _, kf = relu_net()
    x = X.astype(np.float32)
    p = ntk.predict.gradient_descent_mse_ensemble(kf, x, np.cos(x[:, :2]), diag_reg=1e-3)
    m = p(x_test=Z.astype(np.float32), get="ntk")
    assert m.dtype == np.float32 and m.shape == (5, 2)
    assert np.isfinite(m).all()


def test_eigenlearning_isotropic_closed_form():
    # N = 100 modes of 1/100, n = 40, no ridge: κ = (N − n)/(nN), E₀ = N/(N − n).
    r = ntk.eigenlearning.predict([0.01] * 100, 40, multiplicities=None, target=[0.01] * 100)
    assert abs(r.kappa - 0.015) < 1e-15
    assert abs(r.overfitting - 100 / 60) < 1e-13
    assert abs(r.test_mse - 0.6) < 1e-13
    np.testing.assert_allclose(r.learnabilities, 0.4, rtol=1e-14)
    with pytest.raises(ValueError):
        ntk.eigenlearning.predict([-1.0, 0.5], 1)
    with pytest.raises(ValueError):
        ntk.eigenlearning.predict([1.0], -1)


def test_hypercube_spectrum_matches_the_gram_matrix():
    """The hypercube eigenvalues (with multiplicity) are the eigenvalues of K/2^d on all 2^d points."""
    _, _, kf = relu_net(depth=1)
    d = 5
    cube = np.array(np.meshgrid(*[[-1.0, 1.0]] * d)).reshape(d, -1).T
    lam, mult = ntk.eigenlearning.hypercube_spectrum(kf, d)
    want = np.sort(np.repeat(lam, mult.astype(int)))[::-1]
    got = ntk.eigenlearning.empirical_spectrum(kf, cube)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)

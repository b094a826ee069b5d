"""neural-tangents' ``predict.gradient_descent_mse_ensemble``.

The infinite ensemble of infinitely wide networks trained by gradient
descent on the MSE loss (1/(2N))·Σ(f − y)², N = ``y_train.size``, with
A = K(X, X) + λI (λ = ``diag_reg``, or ``diag_reg``·trace(K)/n when
``diag_reg_absolute_scale=False``) and τ = learning_rate·t:

    mean(x)  = K(x, X) V diag((1 − exp(−max(e, 0)·τ/N))/|e|) Vᵀ Y   (t = None: K(x, X) A⁻¹ Y)
    cov      = neural-tangents' NNGP posterior / NTK ensemble covariance

with A = V diag(e) Vᵀ. The solves, eigendecompositions and kernels run in
the crate (``ntk::regression``) in the inputs' dtype, on all cores.
"""

from __future__ import annotations

import collections
from typing import NamedTuple, Optional

import numpy as np

from . import _ntk
from ._inputs import points, threads_arg
from .stax import _canonical_get

__all__ = ["gradient_descent_mse_ensemble", "Gaussian"]


class Gaussian(NamedTuple):
    """A ``(mean, covariance)`` pair, as neural-tangents' ``predict.Gaussian``."""

    mean: np.ndarray
    covariance: np.ndarray


def gradient_descent_mse_ensemble(kernel_fn, x_train, y_train, learning_rate: float = 1.0,
                                  diag_reg: float = 0.0, diag_reg_absolute_scale: bool = False,
                                  trace_axes=(-1,), *, threads: Optional[int] = None):
    """``predict_fn(t=None, x_test=None, get=None, compute_cov=False)``.

    ``kernel_fn`` must be the ``kernel_fn`` of an ``ntk.stax.serial``
    network. ``t`` is None (∞, by Cholesky), a scalar or an array (leading
    axes of the result); ``x_test=None`` predicts on the training inputs;
    ``get`` is 'nngp', 'ntk', a tuple or None (both, as a namedtuple);
    ``compute_cov=True`` returns :class:`Gaussian` (mean, covariance).
    Nothing is computed until the first call; fits, and the
    eigendecomposition finite times need, are computed once per regime and
    reused by later calls.
    """
    arch = getattr(kernel_fn, "__self__", None)
    net = getattr(arch, "net", None)
    if not isinstance(net, _ntk.Net):
        raise NotImplementedError(
            "gradient_descent_mse_ensemble needs the kernel_fn of an ntk.stax.serial network "
            "(empirical and Monte Carlo kernels: fit with numpy on their Gram matrices)"
        )
    if tuple(np.atleast_1d(trace_axes)) not in ((-1,), (1,)):
        raise NotImplementedError("trace_axes=(-1,) only (outputs along the last axis)")
    x_train, = points(x_train)
    y = np.asarray(y_train)
    squeeze = y.ndim == 1
    y = np.ascontiguousarray(y.reshape(len(y), -1) if squeeze else y, dtype=x_train.dtype)
    if y.ndim != 2:
        raise ValueError(f"y_train must be (n,) or (n, outputs), got shape {y.shape}")
    if y.shape[0] != x_train.shape[0]:
        raise ValueError(f"x_train has {x_train.shape[0]} rows, y_train {y.shape[0]}")
    for name, v in (("learning_rate", learning_rate), ("diag_reg", diag_reg)):
        if not np.isfinite(v) or v < 0 or (name == "learning_rate" and v == 0):
            raise ValueError(f"{name} must be finite and {'> 0' if name == 'learning_rate' else '>= 0'}, got {v}")
    threads = threads_arg(threads)
    fits = {}
    train_eigh = {}  # get -> (K(X, X), eigenvalues, eigenvectors) for x_test=None

    def train_basis(get):
        if get not in train_eigh:
            train_eigh[get] = _train_eigh(kernel_fn, x_train, get, diag_reg,
                                          diag_reg_absolute_scale, threads)
        return train_eigh[get]

    def fit(get):
        if get not in fits:
            fits[get] = _ntk.Regression(net, get, x_train, y, float(diag_reg),
                                        bool(diag_reg_absolute_scale), threads)
        return fits[get]

    def predict_fn(t=None, x_test=None, get=None, compute_cov: bool = False):
        names, single = _canonical_get(get)
        times, t_shape = _times(t)
        out = {}
        for g in names:
            if x_test is None:
                basis = None if times == [None] else train_basis(g)
                out[g] = _train_set(basis, x_train, y, g, times, t_shape, learning_rate,
                                    compute_cov)
            else:
                x, = points(x_test)
                x = np.ascontiguousarray(x, dtype=x_train.dtype)
                if x.shape[1] != x_train.shape[1]:
                    raise ValueError(f"x_test has {x.shape[1]} features, x_train {x_train.shape[1]}")
                mean = fit(g).mean(x, times, float(learning_rate)).reshape(t_shape + (len(x), y.shape[1]))
                if squeeze:
                    mean = mean[..., 0]
                if compute_cov:
                    cov = fit(g).covariance(x, times, float(learning_rate)).reshape(t_shape + (len(x),) * 2)
                    out[g] = Gaussian(mean, cov)
                else:
                    out[g] = mean
        if single:
            return out[names[0]]
        return _named(names)(*(out[n] for n in names))

    return predict_fn


def _times(t):
    """(list of times, None = ∞; the shape of the time axes)."""
    if t is None:
        return [None], ()
    arr = np.asarray(t, dtype=np.float64)
    if np.isnan(arr).any() or (arr < 0).any():
        raise ValueError("t must be >= 0 (None or inf for t = ∞)")
    return [float(v) for v in arr.reshape(-1)], arr.shape


def _train_eigh(kernel_fn, x, g, diag_reg, absolute, threads):
    """K(X, X) and the eigendecomposition of its regularised regime ``g``."""
    n = len(x)
    k = kernel_fn(x, None, ("nngp", "ntk"), threads=threads)
    a = np.array(getattr(k, g), dtype=np.float64)
    a += (diag_reg if absolute else diag_reg * np.trace(a) / n) * np.eye(n)
    e, v = np.linalg.eigh(a)
    return k, np.maximum(e, 0.0), v


def _train_set(basis, x, y, g, times, t_shape, lr, compute_cov):
    """Predictions on the training inputs (neural-tangents' ``x_test=None``)
    from ``basis`` = ``_train_eigh(...)`` (None when ``times == [None]``)."""
    n, o = y.shape
    if times == [None]:
        mean = y.copy()
        return Gaussian(mean, np.zeros((n, n), x.dtype)) if compute_cov else mean
    k, e, v = basis
    means, covs = [], []
    for t in times:
        tau = np.inf if t is None else t * lr
        decay = np.exp(-e * tau / y.size) if np.isfinite(tau) else np.zeros_like(e)
        means.append(v @ ((1 - decay)[:, None] * (v.T @ y)))
        if compute_cov:
            if g == "nngp":
                covs.append(v @ ((e * decay ** 2)[:, None] * v.T))
            else:
                ex = v @ (decay[:, None] * v.T)
                covs.append(ex @ k.nngp @ ex)
    mean = np.asarray(means, x.dtype).reshape(t_shape + (n, o))
    if not compute_cov:
        return mean
    return Gaussian(mean, np.asarray(covs, x.dtype).reshape(t_shape + (n, n)))


_NAMED = {}


def _named(names):
    if names not in _NAMED:
        _NAMED[names] = collections.namedtuple("Gaussians", names)
    return _NAMED[names]

"""Empirical and Monte Carlo kernels of finite-width networks, as
neural-tangents' ``empirical_kernel_fn`` and ``monte_carlo_kernel_fn``.

For one network with parameters θ: NNGP f(x)·f(z) and NTK ⟨∂f(x)/∂θ,
∂f(z)/∂θ⟩ (hand-written backpropagation in the crate). The Monte Carlo
kernel averages both over ``n_samples`` independent initialisations; it
converges to ``kernel_fn``'s closed form as the width and ``n_samples`` grow.
"""

from __future__ import annotations

import numpy as np

from . import _ntk
from ._inputs import points
from .stax import Kernel, _canonical_get, _named, _seed

__all__ = ["empirical_kernel_fn", "monte_carlo_kernel_fn"]


def _architecture(fn, what):
    arch = getattr(fn, "__self__", None)
    if not hasattr(arch, "net") or not hasattr(arch, "_flatten"):
        raise NotImplementedError(
            f"{what} needs init_fn/apply_fn of an ntk.stax.serial network "
            "(arbitrary functions: use neural-tangents' autodiff kernels)"
        )
    return arch


def _empirical(arch, flat, x1, x2, names):
    nngp, ntk = _ntk.empirical_kernels(arch.net, arch._width(), flat, x1, x2,
                                       "nngp" in names, "ntk" in names)
    return {"nngp": nngp, "ntk": ntk}


def _result(found, names, single, get):
    if single:
        return found[names[0]]
    if get is None:
        return Kernel(found["nngp"], found["ntk"])
    return _named(names)(*(found[n] for n in names))


def empirical_kernel_fn(f, trace_axes=(-1,), diagonal_axes=(), vmap_axes=None, implementation=None):
    """``kernel_fn(x1, x2, get, params)``: the kernels of the network ``f``
    (an ``apply_fn`` of ``ntk.stax.serial``) at parameters ``params``."""
    arch = _architecture(f, "empirical_kernel_fn")

    def kernel_fn(x1, x2=None, get=None, params=None):
        if params is None:
            raise ValueError("params are required")
        names, single = _canonical_get(get)
        x1, x2 = points(x1, x2)
        x2 = x1 if x2 is None else x2
        flat = arch._flatten(params, x1.shape[1], x1.dtype)
        return _result(_empirical(arch, flat, x1, x2, names), names, single, get)

    return kernel_fn


def monte_carlo_kernel_fn(init_fn, apply_fn, key, n_samples, batch_size=0, device_count=-1,
                          store_on_device=True, trace_axes=(-1,), diagonal_axes=(),
                          vmap_axes=None, implementation=None):
    """``kernel_fn(x1, x2=None, get=None)``: the empirical kernels averaged
    over ``n_samples`` networks drawn from ``key`` (an int seed or PRNGKey).
    The same ``key`` gives the same networks, as in neural-tangents."""
    arch = _architecture(apply_fn, "monte_carlo_kernel_fn")
    if not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
        raise NotImplementedError("n_samples must be a positive int (no generator of sample counts)")
    base = _seed(key)

    def kernel_fn(x1, x2=None, get=None):
        names, single = _canonical_get(get)
        x1, x2 = points(x1, x2)
        x2 = x1 if x2 is None else x2
        total = {n: 0.0 for n in names}
        for s in range(int(n_samples)):
            _, params = init_fn((base + s) % (1 << 64), x1.shape, dtype=x1.dtype)
            flat = arch._flatten(params, x1.shape[1], x1.dtype)
            found = _empirical(arch, flat, x1, x2, names)
            for n in names:
                total[n] = total[n] + found[n]
        found = {n: (total[n] / n_samples).astype(x1.dtype) if n in total else None
                 for n in ("nngp", "ntk")}
        return _result(found, names, single, get)

    return kernel_fn

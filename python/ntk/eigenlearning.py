"""Eigenlearning: the predicted generalisation of kernel (ridge) regression
from the kernel's spectrum (Simon, Dickens, Karkada & DeWeese 2023).

For eigenvalues λᵢ with multiplicities mᵢ, n training points and ridge δ:

    κ > 0 solves   Σᵢ mᵢ λᵢ/(λᵢ + κ) + δ/κ = n
    Lᵢ = λᵢ/(λᵢ + κ)                    (learnability of mode i)
    E₀ = n/(n − Σ mᵢLᵢ²)                (overfitting coefficient)
    test MSE  = E₀ (Σ (1 − Lᵢ)² Vᵢ + ε²),   train MSE = (δ/(nκ))² · test MSE

with target level weights Vᵢ and label-noise variance ε².
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from . import _ntk
from ._inputs import points

__all__ = ["Prediction", "predict", "hypercube_spectrum", "empirical_spectrum"]


@dataclass(frozen=True)
class Prediction:
    """The eigenlearning predictions at one (n, ridge)."""

    kappa: float
    learnabilities: np.ndarray
    overfitting: float
    target_learnability: Optional[float] = None
    test_mse: Optional[float] = None
    train_mse: Optional[float] = None


def predict(eigenvalues: Sequence[float], n: float, ridge: float = 0.0,
            multiplicities: Optional[Sequence[float]] = None,
            target: Optional[Sequence[float]] = None, noise: float = 0.0) -> Prediction:
    """Solves for κ at n training points and ridge δ. ``target`` are the
    level weights Vᵢ (squared eigencoefficients, summed over each level),
    ``noise`` the label-noise variance ε². Bad inputs raise ValueError."""
    r = _ntk.eigenlearning(
        [float(v) for v in np.asarray(eigenvalues, np.float64).reshape(-1)], float(n), float(ridge),
        None if multiplicities is None else [float(m) for m in np.asarray(multiplicities).reshape(-1)],
        None if target is None else [float(v) for v in np.asarray(target, np.float64).reshape(-1)],
        float(noise))
    r["learnabilities"] = np.asarray(r["learnabilities"])
    return Prediction(**r)


def hypercube_spectrum(kernel_fn, d: int, get: str = "ntk"):
    """The exact spectrum of an ``ntk.stax`` network's kernel on the uniform
    boolean hypercube {±1}ᵈ (d ≤ 64): ``(eigenvalues, multiplicities)`` by
    degree k = 0..d, multiplicity C(d, k)."""
    arch = getattr(kernel_fn, "__self__", None)
    if not isinstance(getattr(arch, "net", None), _ntk.Net):
        raise NotImplementedError("hypercube_spectrum needs the kernel_fn of an ntk.stax.serial network")
    eig, mult = _ntk.hypercube_spectrum(arch.net, int(d), get)
    return np.asarray(eig), np.asarray(mult)


def empirical_spectrum(kernel_fn, x, get: str = "ntk"):
    """Eigenvalues (descending) of K(X, X)/n: the spectrum of the kernel's
    integral operator on the empirical measure of the rows of ``x``."""
    x, = points(x)
    k = kernel_fn(x, None, get)
    return np.linalg.eigvalsh(np.asarray(k, np.float64) / len(x))[::-1]

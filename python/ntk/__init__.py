"""ntk: closed-form NNGP and neural tangent kernels of deep fully-connected
networks, with neural-tangents' API, on an exact and fast Rust core.

Porting from neural-tangents is a change of import::

    from ntk import stax             # was: from neural_tangents import stax
    import ntk as nt                 # was: import neural_tangents as nt

    init_fn, apply_fn, kernel_fn = stax.serial(
        stax.Dense(512, W_std=1.5, b_std=0.05), stax.Relu(),
        stax.Dense(512, W_std=1.5, b_std=0.05), stax.Relu(),
        stax.Dense(1, W_std=1.5, b_std=0.05))
    k = kernel_fn(x1, x2, ('nngp', 'ntk'))            # numpy arrays, dtype kept
    predict_fn = nt.predict.gradient_descent_mse_ensemble(kernel_fn, x_train, y_train)
    mean, cov = predict_fn(x_test=x_test, get='ntk', compute_cov=True)

Modules: :mod:`ntk.stax` (architectures and their kernels), :mod:`ntk.predict`
(the infinite ensemble's mean and covariance at any training time),
:mod:`ntk.eigenlearning` (spectra and predicted generalisation),
:mod:`ntk.distributed` (Gram matrices and kernel regression on a dask cluster).
"""

from . import eigenlearning, predict, stax
from .empirical import empirical_kernel_fn, monte_carlo_kernel_fn
from .stax import Kernel

__version__ = "0.1.0"

__all__ = [
    "stax", "predict", "eigenlearning", "Kernel",
    "monte_carlo_kernel_fn", "empirical_kernel_fn", "__version__",
]

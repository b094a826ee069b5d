"""Type stubs of the native module (Rust, pyo3). Arrays are C-contiguous
float32 or float64; results keep the inputs' dtype. Crate errors raise
ValueError with the crate's message."""

from typing import Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt

MAX_DEPTH: int

class Net:
    def __init__(self, activation: str, params: Sequence[float],
                 layers: Sequence[Tuple[float, Optional[float]]],
                 parameterization: str = ..., widths: Optional[Sequence[int]] = ...) -> None: ...
    @property
    def depth(self) -> int: ...
    def pair(self, x: Sequence[float], z: Sequence[float]) -> Tuple[float, float]: ...

class Regression:
    def __init__(self, net: Net, get: str, x_train: npt.NDArray[np.floating],
                 y_train: npt.NDArray[np.floating], diag_reg: float = ...,
                 diag_reg_absolute_scale: bool = ..., threads: Optional[int] = ...) -> None: ...
    def mean(self, x_test: npt.NDArray[np.floating], t: Sequence[Optional[float]],
             learning_rate: float) -> npt.NDArray[np.floating]: ...
    def covariance(self, x_test: npt.NDArray[np.floating], t: Sequence[Optional[float]],
                   learning_rate: float) -> npt.NDArray[np.floating]: ...
    @property
    def ridge(self) -> float: ...

def activation_values(activation: str, params: Sequence[float],
                      x: Sequence[float]) -> Tuple[list, list]: ...

_Pair = Tuple[Optional[npt.NDArray[np.floating]], Optional[npt.NDArray[np.floating]]]

def kernel(net: Net, x1: npt.NDArray[np.floating], x2: Optional[npt.NDArray[np.floating]] = ...,
           nngp: bool = ..., ntk: bool = ..., threads: Optional[int] = ...,
           exact: bool = ...) -> _Pair: ...
def kernel_tile(net: Net, x1: npt.NDArray[np.floating], x2: npt.NDArray[np.floating],
                nngp: bool = ..., ntk: bool = ...) -> _Pair: ...
def finite_init(net: Net, dim: int, width: int, seed: int, dtype: str) -> npt.NDArray[np.floating]: ...
def finite_apply(net: Net, width: int, params: npt.NDArray[np.floating],
                 x: npt.NDArray[np.floating]) -> npt.NDArray[np.floating]: ...
def empirical_kernels(net: Net, width: int, params: npt.NDArray[np.floating],
                      x1: npt.NDArray[np.floating], x2: npt.NDArray[np.floating],
                      nngp: bool = ..., ntk: bool = ...) -> _Pair: ...
def eigenlearning(eigenvalues: Sequence[float], n: float, ridge: float = ...,
                  multiplicities: Optional[Sequence[float]] = ...,
                  target: Optional[Sequence[float]] = ..., noise: float = ...) -> dict: ...
def hypercube_spectrum(net: Net, d: int, get: str = ...) -> Tuple[list, list]: ...

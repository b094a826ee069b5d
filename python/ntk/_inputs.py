"""Input checking shared by the modules: numpy arrays of float32/float64."""

from __future__ import annotations

import numpy as np

FLOATS = (np.float32, np.float64)


def points(*xs):
    """The 2-D C-contiguous float arrays of `xs` (None kept), in one dtype.

    float32 and float64 are kept (mixed inputs promote to float64), integer
    and boolean arrays become float64, float16 becomes float32; anything
    else is a TypeError. Non-2-D inputs are a ValueError.
    """
    arrays = [None if x is None else np.asarray(x) for x in xs]
    dtype = _common_dtype([a for a in arrays if a is not None])
    out = []
    for a in arrays:
        if a is None:
            out.append(None)
            continue
        if a.ndim != 2:
            raise ValueError(
                f"inputs must be 2-D (batch, features), got shape {a.shape}; "
                "flatten image-like inputs first (fully-connected networks only)"
            )
        out.append(np.require(a, dtype=dtype, requirements=("C", "A")))
    return out


def _common_dtype(arrays):
    kinds = []
    for a in arrays:
        if a.dtype.kind in "biu":
            kinds.append(np.dtype(np.float64))
        elif a.dtype == np.float16:
            kinds.append(np.dtype(np.float32))
        elif a.dtype in (np.dtype(np.float32), np.dtype(np.float64)):
            kinds.append(a.dtype)
        else:
            raise TypeError(f"expected real float32 or float64 arrays, got {a.dtype}")
    return np.result_type(*kinds) if kinds else np.dtype(np.float64)


def threads_arg(threads):
    """None (all cores) or a positive int."""
    if threads is None:
        return None
    if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or threads < 1:
        raise ValueError(f"threads must be a positive int or None, got {threads!r}")
    return int(threads)

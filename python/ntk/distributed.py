"""Kernels and kernel regression on a dask cluster, for Gram matrices that
do not fit in one machine's memory.

:func:`gram` is K(X, Z) as a lazy ``dask.array`` whose blocks are kernel
tiles evaluated on the workers (``ntk::gram`` tiles, one thread per task).
:func:`solve` fits kernel regression, α = (K(X, X) + λI)⁻¹Y, without ever
storing K: preconditioned conjugate gradients in which every matrix–vector
product recomputes the tiles of K's upper triangle on the workers (each
tile serves K_ij·v_j and K_jiv_i), so a worker holds the training inputs,
the current vector and one tile — memory O(n·d + n·O + b²) for bands of b
rows, never O(n²). λ follows
neural-tangents' ``diag_reg`` conventions; the mean at ``x_test`` is
K(x_test, X)·α, the t = ∞ mean of ``predict.gradient_descent_mse_ensemble``.

Needs ``dask[array,distributed]``; pass a ``distributed.Client`` or have
one active (``distributed.Client(LocalCluster(...))``).
"""

from __future__ import annotations

import functools
from typing import NamedTuple, Optional

import numpy as np

from . import _ntk
from ._inputs import points

__all__ = ["gram", "solve", "CGResult"]


class CGResult(NamedTuple):
    """The conjugate-gradient fit: dual coefficients α (n × O), the mean at
    ``x_test`` (m × O, or None), iterations, the final relative residual
    ‖Y − (K + λI)α‖/‖Y‖ per output, and the ridge λ used."""

    alpha: np.ndarray
    mean: Optional[np.ndarray]
    iterations: int
    residual: np.ndarray
    ridge: float


def _spec(kernel_fn):
    arch = getattr(kernel_fn, "__self__", None)
    if not isinstance(getattr(arch, "net", None), _ntk.Net):
        raise NotImplementedError("ntk.distributed needs the kernel_fn of an ntk.stax.serial network")
    act, params, layers, param, widths = arch.spec
    return (act, tuple(params), tuple(layers), param, None if widths is None else tuple(widths))


@functools.lru_cache(maxsize=16)
def _net(spec):
    act, params, layers, param, widths = spec
    return _ntk.Net(act, list(params), list(layers), param, None if widths is None else list(widths))


def _tile(spec, get, a, b):
    """K(a, b) of one regime, on a worker (one thread)."""
    # Arrays unpickled on a worker may be misaligned: copy those.
    a, b = (np.require(v, requirements=("C", "A")) for v in (a, b))
    nngp, ntk = _ntk.kernel_tile(_net(spec), a, b, get == "nngp", get == "ntk")
    return nngp if get == "nngp" else ntk


def _check_get(get):
    if get not in ("nngp", "ntk"):
        raise ValueError(f"get must be 'nngp' or 'ntk', got {get!r}")


def gram(kernel_fn, x1, x2=None, get: str = "ntk", chunks: int = 2048):
    """K(x1, x2) (K(x1, x1) if ``x2`` is None) as a ``dask.array`` of
    ``chunks`` × ``chunks`` tiles, each computed on a worker when the array
    (or a slice, or a reduction of it) is computed. The dtype is the inputs'."""
    import dask.array as da

    _check_get(get)
    spec = _spec(kernel_fn)
    x1, x2 = points(x1, x2)
    x2 = x1 if x2 is None else x2
    if x1.shape[1] != x2.shape[1]:
        raise ValueError(f"x1 has {x1.shape[1]} features, x2 {x2.shape[1]}")
    a = da.from_array(x1, chunks=(chunks, -1))
    b = da.from_array(x2, chunks=(chunks, -1))
    return da.blockwise(functools.partial(_tile, spec, get), "ij", a, "ik", b, "jk",
                        dtype=x1.dtype, concatenate=True)


def _band_product(spec, get, rows, x, v, col):
    """K(rows, x)·v (rows of queries, all training inputs x), tile by tile."""
    out = np.zeros((len(rows), v.shape[1]))
    for c in range(0, len(x), col):
        out += _tile(spec, get, rows, x[c:c + col]).astype(np.float64) @ v[c:c + col]
    return out


def _pair_product(spec, get, rows, cols, x, v):
    """K is symmetric: the tile K(X_rows, X_cols) gives both K_rc·v_c and, for
    an off-diagonal pair of bands, K_crv_r = K_rcᵀ·v_r."""
    (r0, r1), (c0, c1) = rows, cols
    k = _tile(spec, get, x[r0:r1], x[c0:c1]).astype(np.float64)
    return k @ v[c0:c1], (k.T @ v[r0:r1] if rows != cols else None)


def _diagonal(spec, get, start, stop, x):
    rows = x[start:stop]
    return np.array([_tile(spec, get, rows[i:i + 1], rows[i:i + 1])[0, 0] for i in range(len(rows))],
                    dtype=np.float64)


def solve(kernel_fn, x_train, y_train, x_test=None, get: str = "ntk", diag_reg: float = 0.0,
          diag_reg_absolute_scale: bool = False, *, client=None, block: int = 2048,
          tol: float = 1e-8, maxiter: Optional[int] = None, preconditioner: Optional[str] = "jacobi",
          landmarks: int = 256, seed: int = 0, callback=None) -> CGResult:
    """Kernel regression α = (K + λI)⁻¹Y by preconditioned conjugate
    gradients on the cluster, K never stored (module docs). Stops when
    every output's relative residual is ≤ ``tol`` (ValueError after
    ``maxiter``, default 10·n, iterations). ``block``: rows per task and
    columns per tile.

    ``preconditioner``: 'jacobi' (the diagonal of K + λI), None, or
    'nystrom': P = K_nm K_mm⁻¹ K_mn + λI from ``landmarks`` training points
    drawn uniformly (``seed``), applied by the Woodbury identity. It
    captures K's largest eigenvalues, which Jacobi leaves to CG: far fewer
    iterations when λ is small against them (tests/test_distributed.py).
    Costs one pass of n × m tiles on the workers and O(n·m) memory on the
    client; needs λ > 0.
    """
    from distributed import get_client

    _check_get(get)
    if preconditioner not in ("jacobi", "nystrom", None):
        raise ValueError(f"preconditioner must be 'jacobi', 'nystrom' or None, got {preconditioner!r}")
    if not (np.isfinite(diag_reg) and diag_reg >= 0) or not (np.isfinite(tol) and tol > 0):
        raise ValueError("diag_reg must be finite and >= 0, tol finite and > 0")
    spec = _spec(kernel_fn)
    x, q = points(x_train, x_test)
    y = np.asarray(y_train, dtype=np.float64)
    y = y.reshape(len(y), -1) if y.ndim == 1 else y
    if y.ndim != 2 or len(y) != len(x) or not np.isfinite(y).all():
        raise ValueError("y_train must be finite, (n,) or (n, outputs), with one row per x_train row")
    client = client or get_client()
    n = len(x)
    bands = [(s, min(s + block, n)) for s in range(0, n, block)]
    xf = client.scatter(x, broadcast=True, hash=False)
    diag = np.concatenate(client.gather(
        [client.submit(_diagonal, spec, get, s, e, xf, pure=False) for s, e in bands]))
    if not np.isfinite(diag).all():
        raise ValueError("the kernel's diagonal is not finite")
    ridge = float(diag_reg if diag_reg_absolute_scale else diag_reg * diag.mean())

    pairs = [(bands[i], bands[j]) for i in range(len(bands)) for j in range(i, len(bands))]

    def matvec(v):
        # Each tile of the upper triangle once; v (n × O) travels with the tasks.
        futures = [client.submit(_pair_product, spec, get, r, c, xf, v, pure=False) for r, c in pairs]
        out = ridge * v
        for (r, c), (kv, ktv) in zip(pairs, client.gather(futures)):
            out[r[0]:r[1]] += kv
            if ktv is not None:
                out[c[0]:c[1]] += ktv
        return out

    if preconditioner == "nystrom":
        apply_m = _nystrom(client, spec, get, x, xf, bands, ridge, landmarks, seed)
    else:
        inv_m = 1.0 / (diag + ridge) if preconditioner == "jacobi" else np.ones(n)
        if not np.isfinite(inv_m).all():
            raise ValueError("a zero diagonal entry with zero ridge: add diag_reg")
        apply_m = lambda r: inv_m[:, None] * r  # noqa: E731
    alpha, iterations, residual = _pcg(matvec, y, apply_m, tol, maxiter or 10 * n, callback)
    mean = None
    if q is not None:
        if q.shape[1] != x.shape[1]:
            raise ValueError(f"x_test has {q.shape[1]} features, x_train {x.shape[1]}")
        af = client.scatter(alpha, broadcast=True, hash=False)
        mean = np.concatenate(client.gather([
            client.submit(_band_product, spec, get, q[s:s + block], xf, af, block, pure=False)
            for s in range(0, len(q), block)])) if len(q) else np.zeros((0, y.shape[1]))
    return CGResult(alpha, mean, iterations, residual, ridge)


def _nystrom(client, spec, get, x, xf, bands, ridge, landmarks, seed):
    """r ↦ P⁻¹r for the Nyström preconditioner P = K_nm K_mm⁻¹ K_mn + λI.

    With K_mm + εI = LLᵀ (ε = 1e-10·mean diagonal keeps the Cholesky of a
    rank-deficient K_mm alive) and U = K_nm L⁻ᵀ (n × m), P = UUᵀ + λI and
    by Woodbury P⁻¹r = (r − U(λI + UᵀU)⁻¹Uᵀr)/λ: two m × m Cholesky
    factors, U kept on the client.
    """
    if not ridge > 0:
        raise ValueError("preconditioner='nystrom' needs a ridge > 0 (diag_reg)")
    if isinstance(landmarks, bool) or not isinstance(landmarks, (int, np.integer)) or landmarks < 1:
        raise ValueError(f"landmarks must be a positive int, got {landmarks!r}")
    n = len(x)
    m = min(int(landmarks), n)
    chosen = np.sort(np.random.default_rng(seed).choice(n, size=m, replace=False))
    xl = x[chosen]
    k_nm = np.concatenate(client.gather(
        [client.submit(_tile, spec, get, x[s:e], xl, pure=False) for s, e in bands])).astype(np.float64)
    k_mm = k_nm[chosen]
    k_mm = (k_mm + k_mm.T) / 2
    k_mm[np.diag_indices(m)] += 1e-10 * np.trace(k_mm) / m
    lower = np.linalg.cholesky(k_mm)
    u = np.linalg.solve(lower, k_nm.T).T
    inner = np.linalg.cholesky(ridge * np.eye(m) + u.T @ u)

    def apply(r):
        w = np.linalg.solve(inner.T, np.linalg.solve(inner, u.T @ r))
        return (r - u @ w) / ridge
    return apply


def _pcg(matvec, b, apply_m, tol, maxiter, callback=None):
    """Preconditioned CG, each column of b its own system (shared matvecs);
    ``apply_m(r)`` applies the inverse preconditioner."""
    norm_b = np.linalg.norm(b, axis=0)
    norm_b[norm_b == 0] = 1.0
    xk = np.zeros_like(b)
    r = b.copy()
    z = apply_m(r)
    p = z.copy()
    rz = (r * z).sum(0)
    for k in range(1, maxiter + 1):
        ap = matvec(p)
        pap = (p * ap).sum(0)
        step = np.divide(rz, pap, out=np.zeros_like(rz), where=pap > 0)
        xk += step * p
        r -= step * ap
        residual = np.linalg.norm(r, axis=0) / norm_b
        if callback is not None:
            callback(k, residual)
        if np.all(residual <= tol):
            return xk, k, residual
        z = apply_m(r)
        rz_new = (r * z).sum(0)
        p = z + np.divide(rz_new, rz, out=np.zeros_like(rz), where=rz > 0) * p
        rz = rz_new
    raise ValueError(f"conjugate gradients did not reach tol={tol} in {maxiter} iterations "
                     f"(relative residual {residual.max():.2e}): add diag_reg or raise maxiter")

"""neural-tangents' ``stax`` for fully-connected networks.

``from ntk import stax`` replaces ``from neural_tangents import stax``: layers
are built with the same names, signatures and defaults, and every layer
constructor returns ``(init_fn, apply_fn, kernel_fn)``. ``stax.serial`` of
``Dense`` layers separated by one elementwise activation —
``serial(Dense(w), φ, …, Dense(w), φ, Dense(1))`` — has the closed-form
kernel; ``kernel_fn(x1, x2=None, get=None)`` returns the NNGP and/or NTK
as numpy arrays of the inputs' dtype (float32 or float64), computed exactly
(no NaN at parallel or duplicate inputs) on all cores (``threads=`` limits).

Inputs are scaled by 1/d as neural-tangents does: the first layer sees
x·z/d. Architectures outside this family (convolutions, attention, pooling,
different activations per layer) raise ``NotImplementedError`` naming the
alternative, never a wrong answer.
"""

from __future__ import annotations

import collections
import hashlib
from typing import Any, Callable, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np

from . import _ntk
from ._inputs import points, threads_arg

__all__ = [
    "serial", "Dense", "Relu", "LeakyRelu", "ABRelu", "Abs", "Sign", "Step",
    "RectifiedMonomial", "Erf", "Gelu", "Sin", "Cos", "Identity", "Kernel",
    "Monomial", "Rbf", "Exp", "Gaussian", "ExpNormalized", "Hermite", "Polynomial",
    "Sigmoid_like", "Gabor", "Elementwise", "ElementwiseNumerical",
    "Conv", "ConvTranspose", "ConvLocal", "GlobalSelfAttention", "AvgPool",
    "SumPool", "GlobalAvgPool", "GlobalSumPool", "Flatten", "FanOut", "FanInSum",
    "FanInConcat", "parallel", "LayerNorm", "Dropout", "Aggregate", "DotGeneral",
]


class Kernel(NamedTuple):
    """The NNGP and NTK matrices (neural-tangents' ``Kernel`` fields)."""

    nngp: Optional[np.ndarray]
    ntk: Optional[np.ndarray]


class Layer(tuple):
    """``(init_fn, apply_fn, kernel_fn)`` with the description ``stax.serial`` reads."""

    kind: str
    spec: dict

    def __new__(cls, kind, spec, fns):
        obj = super().__new__(cls, fns)
        obj.kind = kind
        obj.spec = spec
        return obj


def _not_closed_form(what: str) -> Callable:
    def fn(*args, **kwargs):
        raise NotImplementedError(
            f"{what} alone has no kernel here: build the network with "
            "stax.serial(Dense(...), activation, ..., Dense(out))"
        )
    return fn


def _element(kind: str, params: Sequence[float] = ()) -> Layer:
    fns = tuple(_not_closed_form(f"the {kind} activation") for _ in range(3))
    return Layer("activation", {"kind": kind, "params": [float(p) for p in params]}, fns)


# ----------------------------------------------------------------- layers


def Dense(out_dim: int, W_std: float = 1.0, b_std: Optional[float] = None,
          batch_axis: int = 0, channel_axis: int = -1,
          parameterization: str = "ntk", s: Tuple[int, int] = (1, 1)) -> Layer:
    """Fully-connected layer ``y = (W_std/√n_in)·W·x + b_std·b`` (``'ntk'``) or
    ``y = W·x + b`` with ``W ~ N(0, W_std²/n_in)``, ``b ~ N(0, b_std²)``
    (``'standard'``); ``b_std=None`` means no bias. As neural-tangents'
    ``stax.Dense``; only ``batch_axis=0``, ``channel_axis=-1`` and
    ``s=(1, 1)`` are supported.
    """
    if batch_axis != 0 or channel_axis not in (-1, 1) or tuple(s) != (1, 1):
        raise NotImplementedError(
            "Dense supports batch_axis=0, channel_axis=-1 and s=(1, 1) only: "
            "transpose the inputs to (batch, features)"
        )
    if parameterization not in ("ntk", "standard"):
        raise ValueError(f"parameterization must be 'ntk' or 'standard', got {parameterization!r}")
    if isinstance(out_dim, bool) or not isinstance(out_dim, (int, np.integer)) or out_dim < 1:
        raise ValueError(f"out_dim must be a positive int, got {out_dim!r}")
    spec = {"out_dim": int(out_dim), "W_std": float(W_std),
            "b_std": None if b_std is None else float(b_std),
            "parameterization": parameterization}
    fns = tuple(_not_closed_form("a single Dense layer") for _ in range(3))
    return Layer("dense", spec, fns)


def Relu(do_stabilize: bool = False) -> Layer:
    """max(0, x). ``do_stabilize`` is accepted for neural-tangents
    compatibility and has no effect: the recursion does not overflow."""
    return _element("Relu")


def ABRelu(a: float, b: float, do_stabilize: bool = False) -> Layer:
    """a·min(x, 0) + b·max(x, 0) (``do_stabilize``: no effect, as in ``Relu``)."""
    return _element("AbRelu", (a, b))


def LeakyRelu(alpha: float, do_stabilize: bool = False) -> Layer:
    """Leaky ReLU: ABRelu(alpha, 1) (``do_stabilize``: no effect)."""
    return _element("AbRelu", (alpha, 1.0))


def Abs(do_stabilize: bool = False) -> Layer:
    """|x| = ABRelu(-1, 1) (``do_stabilize``: no effect)."""
    return _element("AbRelu", (-1.0, 1.0))


def Sign() -> Layer:
    """sign(x); its derivative is taken as 0, as neural-tangents does."""
    return _element("Sign")


def Step() -> Layer:
    """Heaviside step (1 + sign x)/2 (not in neural-tangents; its order-0 arc-cosine)."""
    return _element("Step")


def RectifiedMonomial(degree: int) -> Layer:
    """max(0, x)^degree, any degree 0 ≤ n ≤ 64 (the arc-cosine kernel of order n;
    exact where neural-tangents 0.6.5 returns NaN beyond one layer)."""
    return _element("RectifiedMonomial", (_degree(degree),))


def Monomial(degree: int) -> Layer:
    """x^degree, 0 ≤ degree ≤ 64 (neural-tangents stops at 5)."""
    return _element("Monomial", (_degree(degree),))


def Hermite(degree: int) -> Layer:
    """Heₙ(x)/√(n!), the normalised probabilists' Hermite polynomial, 0 ≤ n ≤ 64.

    Exact at every input variance; neural-tangents returns Kⁿ, right only for
    inputs of unit variance (its warning), so the two differ elsewhere.
    """
    return _element("Hermite", (_degree(degree),))


def Polynomial(coef: Sequence[float]) -> Layer:
    """coef[0] + coef[1]·x + … + coef[n]·xⁿ, at most 8 coefficients."""
    coef = [float(c) for c in np.asarray(coef, dtype=np.float64).reshape(-1)]
    if not coef:
        raise ValueError("Polynomial needs at least one coefficient")
    return _element("Polynomial", coef)


def Rbf(gamma: float = 1.0) -> Layer:
    """√2·sin(√(2γ)·x + π/4), whose NNGP is the RBF kernel exp(−γ·E[(u − v)²]); γ ≥ 0."""
    return _element("Rbf", (gamma,))


def Exp(a: float = 1.0, b: float = 1.0) -> Layer:
    """a·exp(b·x)."""
    return _element("Exp", (a, b))


def Gaussian(a: float = 1.0, b: float = -1.0) -> Layer:
    """a·exp(b·x²) (neural-tangents' default b = −1)."""
    return _element("Gaussian", (a, b))


def ExpNormalized(gamma: float = 1.0, shift: float = -1.0, do_clip: bool = False) -> Layer:
    """The normalised Gaussian kernel map r·exp(γ(K/r + shift)), r = √(q₁q₂)
    (``do_clip`` clips K/r to [−1, 1]). A kernel map with no pointwise φ:
    finite networks (``init_fn``/``apply_fn``) raise, as in neural-tangents.
    """
    return _element("ExpNormalized", (gamma, shift, 1.0 if do_clip else 0.0))


def Gabor() -> Layer:
    """exp(−x²)·sin(x)."""
    return _element("Gabor")


def Sigmoid_like() -> Layer:
    """½·erf(x/2.4020563531719796) + ½, neural-tangents' erf fit of the logistic sigmoid."""
    return _element("SigmoidLike")


def _degree(degree) -> int:
    if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)) or degree < 0:
        raise ValueError(f"degree must be a non-negative int, got {degree!r}")
    return int(degree)


def Erf(a: float = 1.0, b: float = 1.0, c: float = 0.0) -> Layer:
    """a·erf(b·x) + c."""
    return _element("Erf", (a, b, c))


def Gelu(approximate: bool = False) -> Layer:
    """x·Φ(x), the exact (erf) GELU."""
    if approximate:
        raise NotImplementedError("Gelu(approximate=True): use the exact Gelu() (approximate=False)")
    return _element("Gelu")


def Sin(a: float = 1.0, b: float = 1.0, c: float = 0.0) -> Layer:
    """a·sin(b·x + c)."""
    return _element("Sin", (a, b, c))


def Cos(a: float = 1.0, b: float = 1.0, c: float = 0.0) -> Layer:
    """a·cos(b·x + c)."""
    return _element("Cos", (a, b, c))


def Identity() -> Layer:
    """x (a linear network)."""
    return _element("Identity")


def _pending(name: str, alternative: str) -> Callable[..., Layer]:
    def layer(*args: Any, **kwargs: Any) -> Layer:
        raise NotImplementedError(f"stax.{name} is not available in ntk yet: {alternative}")
    layer.__name__ = name
    layer.__doc__ = f"Not available: raises NotImplementedError ({alternative})."
    return layer


# The built-in φ of ElementwiseNumerical (the crate's activation::builtin):
# name -> aliases accepted as strings.
_BUILTIN = {
    "tanh": ("tanh",),
    "sigmoid": ("sigmoid", "logistic", "expit"),
    "softplus": ("softplus",),
    "silu": ("silu", "swish"),
    "elu": ("elu",),
    "selu": ("selu",),
    "mish": ("mish",),
}
# Where a callable is compared with the built-ins: wide enough to separate
# them (tanh and sigmoid saturate, ELU and SELU differ in scale, softplus and
# SiLU at x < 0), dense enough to catch a different function.
_PROBE = np.linspace(-6.0, 6.0, 97)


def ElementwiseNumerical(fn: Union[str, Callable], deg: int, df: Optional[Callable] = None) -> Layer:
    """φ by ``deg``-point Gauss–Hermite quadrature, as neural-tangents'
    ``ElementwiseNumerical(fn, deg, df)`` (same rule, agrees to 1e-10 in f64).

    The quadrature runs in Rust without the GIL, so φ must be one of the
    crate's built-ins: tanh, sigmoid, softplus, SiLU (swish), ELU (α = 1),
    SELU, Mish. ``fn`` is their name (``"tanh"``, ``"sigmoid"``, …) or a
    callable computing one of them (``np.tanh``, ``jax.numpy.tanh``,
    ``jax.nn.sigmoid``, ``scipy.special.expit``, ``jax.nn.softplus``,
    ``jax.nn.silu``, ``jax.nn.elu``, ``jax.nn.selu``, a lambda, …): the
    callable is evaluated once on 97 points of [−6, 6] and must match a
    built-in to 1e-5 (float32 rounding), or ``NotImplementedError`` is raised
    naming the alternatives. ``df``, if given, is checked against the
    built-in's derivative the same way. 1 ≤ ``deg`` ≤ 64; the quadrature error
    falls with ``deg`` (tanh is slowest: ≈ 4e-2 of max|K| at 32 nodes, 1.5e-2
    at 64 in deep networks; see the crate's ``activation::numerical``).
    """
    if isinstance(deg, bool) or not isinstance(deg, (int, np.integer)) or not 1 <= deg <= 64:
        raise ValueError(f"deg must be an int in 1..=64, got {deg!r}")
    name = _builtin_name(fn)
    if df is not None:
        _, want = _ntk.activation_values(f"Numerical:{name}", [1.0], _PROBE.tolist())
        if not _matches(df, want):
            raise ValueError(f"df is not the derivative of {name} (compared on [-6, 6])")
    return _element(f"Numerical:{name}", (int(deg),))


def _builtin_name(fn) -> str:
    if isinstance(fn, str):
        for name, aliases in _BUILTIN.items():
            if fn.lower() in aliases:
                return name
        raise ValueError(f"unknown activation {fn!r}: use one of {sorted(_BUILTIN)}")
    if not callable(fn):
        raise TypeError(f"fn must be a callable or a name, got {type(fn).__name__}")
    for name in _BUILTIN:
        values, _ = _ntk.activation_values(f"Numerical:{name}", [1.0], _PROBE.tolist())
        if _matches(fn, values):
            return name
    raise NotImplementedError(
        "ElementwiseNumerical: fn is not one of the built-in activations "
        f"({', '.join(sorted(_BUILTIN))}); arbitrary Python functions cannot run in the "
        "GIL-free quadrature. Use a closed-form layer (Erf, Gelu, Sin, Polynomial, ...) "
        "or neural-tangents' ElementwiseNumerical for other φ"
    )


def _matches(fn: Callable, want) -> bool:
    try:
        got = np.asarray(fn(_PROBE), dtype=np.float64).reshape(-1)
    except Exception:  # noqa: BLE001 - a scalar-only function: evaluate point by point
        try:
            got = np.array([float(fn(float(x))) for x in _PROBE])
        except Exception:  # noqa: BLE001
            return False
    want = np.asarray(want)
    return got.shape == want.shape and bool(
        np.all(np.abs(got - want) <= 1e-5 * np.maximum(1.0, np.abs(want)))
    )


Elementwise = _pending("Elementwise", "closed-form duals of user functions are not supported; use "
                       "ElementwiseNumerical with a built-in φ or a closed-form layer")
_CONV = "ntk computes fully-connected networks only; use neural-tangents for convolutional, attention and pooling layers"
Conv = _pending("Conv", _CONV)
ConvTranspose = _pending("ConvTranspose", _CONV)
ConvLocal = _pending("ConvLocal", _CONV)
GlobalSelfAttention = _pending("GlobalSelfAttention", _CONV)
AvgPool = _pending("AvgPool", _CONV)
SumPool = _pending("SumPool", _CONV)
GlobalAvgPool = _pending("GlobalAvgPool", _CONV)
GlobalSumPool = _pending("GlobalSumPool", _CONV)
Flatten = _pending("Flatten", "flatten the inputs with numpy (x.reshape(len(x), -1)) before the kernel")
_TREE = "only a serial chain of Dense and one activation is supported; use neural-tangents for branching networks"
FanOut = _pending("FanOut", _TREE)
FanInSum = _pending("FanInSum", _TREE)
FanInConcat = _pending("FanInConcat", _TREE)
parallel = _pending("parallel", _TREE)
LayerNorm = _pending("LayerNorm", "normalise the inputs with numpy; the kernel of a normalised layer is not supported")
Dropout = _pending("Dropout", "dropout has no effect on the infinite-width kernels in test mode; remove it")
Aggregate = _pending("Aggregate", _CONV)
DotGeneral = _pending("DotGeneral", _CONV)


# ----------------------------------------------------------------- serial


def serial(*layers: Layer) -> Layer:
    """Composes layers: ``serial(Dense(w), φ, …, Dense(w), φ, Dense(out))``.

    Returns ``(init_fn, apply_fn, kernel_fn)``. The chain must alternate
    ``Dense`` and one activation (the same in every block) and end with a
    ``Dense`` readout; anything else raises ``NotImplementedError``.
    """
    flat = []
    for layer in layers:
        if not isinstance(layer, Layer):
            raise NotImplementedError(
                "stax.serial takes ntk.stax layers only (arbitrary functions have no closed form here)"
            )
        flat.extend(layer.spec["layers"] if layer.kind == "serial" else [layer])
    try:
        arch = _Architecture(flat)
    except NotImplementedError as e:
        # A valid piece of a larger serial(...) (nested serials) may not be
        # a whole network itself: fail when it is used on its own.
        return Layer("serial", {"layers": flat}, tuple(_raiser(e) for _ in range(3)))
    fns = (arch.init_fn, arch.apply_fn, arch.kernel_fn)
    return Layer("serial", {"layers": flat, "architecture": arch}, fns)


def _raiser(error):
    def fn(*args, **kwargs):
        raise NotImplementedError(str(error))
    return fn


class _Architecture:
    """The parsed chain: the native ``Net`` plus what the finite network needs."""

    def __init__(self, layers):
        dense = [l.spec for l in layers if l.kind == "dense"]
        acts = [l.spec for l in layers if l.kind == "activation"]
        shape_ok = (
            len(layers) >= 3 and len(layers) % 2 == 1
            and all(l.kind == ("dense" if i % 2 == 0 else "activation") for i, l in enumerate(layers))
        )
        if not shape_ok:
            raise NotImplementedError(
                "ntk supports stax.serial(Dense, φ, Dense, φ, ..., Dense): Dense layers "
                "alternating with an activation, ending with a Dense readout, depth >= 1"
            )
        if any(a != acts[0] for a in acts):
            raise NotImplementedError(
                "every block must use the same activation (with the same parameters)"
            )
        params = {d["parameterization"] for d in dense}
        if len(params) != 1:
            raise NotImplementedError("all Dense layers must share one parameterization")
        self.parameterization = params.pop()
        self.widths = [d["out_dim"] for d in dense[:-1]]
        self.out_dim = dense[-1]["out_dim"]
        self.spec = (
            acts[0]["kind"], list(acts[0]["params"]),
            [(d["W_std"], d["b_std"]) for d in dense],
            self.parameterization,
            self.widths if self.parameterization == "standard" else None,
        )
        try:
            self.net = _ntk.Net(*self.spec)
        except ValueError as e:
            raise ValueError(f"invalid architecture: {e}") from None

    # -- closed form

    def kernel_fn(self, x1, x2=None, get=None, *, threads=None, exact=False, **kwargs):
        """NNGP/NTK of the infinite network (neural-tangents' ``kernel_fn``).

        ``get`` is ``'nngp'``, ``'ntk'`` (an array), a tuple of them (a
        namedtuple in that order) or None (``Kernel(nngp, ntk)``).
        ``threads`` limits the cores (default all). ``exact=True`` evaluates
        every pair by the scalar recursion instead of the vectorised Gram
        tiles (slower; the tiles already send ill-conditioned pairs, such as
        (anti)parallel ones, to the same recursion).
        """
        if kwargs:
            raise NotImplementedError(
                f"kernel_fn keyword arguments {sorted(kwargs)} are not supported "
                "(no dropout/pattern/masking in fully-connected kernels)"
            )
        names, single = _canonical_get(get)
        x1, x2 = points(x1, x2)
        if x2 is not None and x2.shape[1] != x1.shape[1]:
            raise ValueError(f"x1 has {x1.shape[1]} features, x2 {x2.shape[1]}")
        nngp, ntk = _ntk.kernel(self.net, x1, x2, "nngp" in names, "ntk" in names,
                                threads_arg(threads), bool(exact))
        found = {"nngp": nngp, "ntk": ntk}
        if single:
            return found[names[0]]
        if get is None:
            return Kernel(nngp, ntk)
        return _named(names)(*(found[n] for n in names))

    # -- finite width

    def _width(self):
        if len(set(self.widths)) != 1:
            raise NotImplementedError(
                "finite networks need one hidden width for all Dense layers, got "
                f"{self.widths}"
            )
        if self.out_dim != 1:
            raise NotImplementedError(
                "finite networks have one output (Dense(1) readout); for O outputs "
                "use O independent networks"
            )
        return self.widths[0]

    def init_fn(self, rng, input_shape, dtype=np.float64):
        """``(output_shape, params)``: fresh parameters drawn from ``rng`` (an
        int seed, a jax PRNGKey or any integer array) for inputs of shape
        ``(batch, d)``. ``params`` is a list with ``(W, b)`` (W: fan_in ×
        fan_out, b: (1, fan_out) or None) per Dense and ``()`` per activation,
        as neural-tangents lays them out.
        """
        width = self._width()
        d = int(input_shape[-1])
        dtype = np.dtype(dtype)
        if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
            raise TypeError(f"dtype must be float32 or float64, got {dtype}")
        flat = _ntk.finite_init(self.net, d, width, _seed(rng), dtype.name)
        return (tuple(input_shape[:-1]) + (1,)), self._unflatten(flat, d, width)

    def apply_fn(self, params, inputs, **kwargs):
        """f(inputs): an (n, 1) array, of the inputs' dtype."""
        if kwargs:
            raise NotImplementedError(f"apply_fn keyword arguments {sorted(kwargs)} are not supported")
        (x,) = points(inputs)
        flat = self._flatten(params, x.shape[1], x.dtype)
        return _ntk.finite_apply(self.net, self._width(), flat, x)

    def _shapes(self, d, width):
        ins = [d] + [width] * len(self.widths)
        outs = [width] * len(self.widths) + [1]
        return list(zip(ins, outs))

    def _unflatten(self, flat, d, width):
        params, at = [], 0
        dense = self.spec[2]
        for (fi, fo), (_, b_std) in zip(self._shapes(d, width), dense):
            w = flat[at:at + fi * fo].reshape(fi, fo)
            at += fi * fo
            b = flat[at:at + fo].reshape(1, fo)
            at += fo
            params.append((w, None if b_std is None else b))
            params.append(())
        return params[:-1]

    def _flatten(self, params, d, dtype):
        dense = [p for p in _leaves(params) if p != ()]
        shapes = self._shapes(d, self._width())
        if len(dense) != len(shapes):
            raise ValueError(f"expected parameters of {len(shapes)} Dense layers, got {len(dense)}")
        chunks = []
        for (w, b), (fi, fo) in zip(dense, shapes):
            w = np.asarray(w, dtype=dtype)
            if w.shape != (fi, fo):
                raise ValueError(f"weight of shape {w.shape}, expected {(fi, fo)}")
            b = np.zeros(fo, dtype) if b is None else np.asarray(b, dtype=dtype).reshape(-1)
            if b.shape != (fo,):
                raise ValueError(f"bias of {b.size} values, expected {fo}")
            chunks += [w.reshape(-1), b]
        return np.ascontiguousarray(np.concatenate(chunks))


def _leaves(params):
    """Per-layer entries of (possibly nested, as nested serial gives) params."""
    out = []
    for p in params:
        if isinstance(p, list):
            out.extend(_leaves(p))
        else:
            out.append(p)
    return out


def _seed(rng) -> int:
    """A 64-bit seed from an int, a jax PRNGKey or an integer array."""
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return int(rng) % (1 << 64)
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(0, 1 << 63))
    arr = np.asarray(rng)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"rng must be an int, a PRNGKey or an integer array, got {type(rng).__name__}")
    digest = hashlib.blake2b(np.ascontiguousarray(arr, np.uint64).tobytes(), digest_size=8)
    return int.from_bytes(digest.digest(), "little")


def _canonical_get(get):
    """(names, single): the requested kernels and whether one array is returned."""
    if get is None:
        return ("nngp", "ntk"), False
    if isinstance(get, str):
        names, single = (get,), True
    else:
        names, single = tuple(get), False
    for n in names:
        if n not in ("nngp", "ntk"):
            raise NotImplementedError(
                f"get={n!r}: ntk computes 'nngp' and 'ntk' (no cov1/cov2/var attributes)"
            )
    if not names:
        raise ValueError("get must name 'nngp' and/or 'ntk'")
    return names, single


_NAMED = {}


def _named(names):
    if names not in _NAMED:
        _NAMED[names] = collections.namedtuple("Kernel", names)
    return _NAMED[names]

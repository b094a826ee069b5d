"""Live comparison with neural-tangents 0.6.5 on random architectures.

Draws random fully-connected networks (activation and its parameters, depth
1–6, W_std, b_std or None, NTK or standard parameterization with random
widths) and random inputs (with duplicated, scaled and negated rows), and
compares ntk's kernel_fn (tiles and exact, float64 and float32) and
predict.gradient_descent_mse_ensemble with neural-tangents (float64).
Prints the worst error per activation, relative to max|K| of each case.

    python3 -m venv .venv-nt && .venv-nt/bin/pip install -r scripts/requirements-nt.txt ./python
    .venv-nt/bin/python scripts/compare_nt_live.py [cases=200] [seed=0]
"""

import sys
from collections import defaultdict

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)
import neural_tangents as nt  # noqa: E402
from neural_tangents import stax as nt_stax  # noqa: E402

import ntk  # noqa: E402
from ntk import stax  # noqa: E402

ACTIVATIONS = {
    "Relu": lambda s, r: s.Relu(),
    "LeakyRelu": lambda s, r, a=None: s.LeakyRelu(a),
    "ABRelu": lambda s, r, a=None, b=None: s.ABRelu(a, b),
    "Abs": lambda s, r: s.Abs(),
    "Sign": lambda s, r: s.Sign(),
    "Erf": lambda s, r, a=None, b=None, c=None: s.Erf(a, b, c),
    "Gelu": lambda s, r: s.Gelu(),
    "Sin": lambda s, r, a=None, b=None, c=None: s.Sin(a, b, c),
    "Cos": lambda s, r, a=None, b=None, c=None: s.Cos(a, b, c),
    "Identity": lambda s, r: s.Identity(),
    "RectifiedMonomial2": lambda s, r: s.RectifiedMonomial(2),
}
PARAMS = {"LeakyRelu": 1, "ABRelu": 2, "Erf": 3, "Sin": 3, "Cos": 3}


def architecture(rng, lib, name, args, depth, w, b, param, widths):
    act = ACTIVATIONS[name](lib, rng, *args)
    layers = []
    for l in range(depth):
        layers += [lib.Dense(widths[l], W_std=w[l], b_std=b[l], parameterization=param), act]
    layers.append(lib.Dense(1, W_std=w[depth], b_std=b[depth], parameterization=param))
    return lib.serial(*layers)[2]


def random_case(rng):
    name = rng.choice(sorted(ACTIVATIONS))
    args = [float(v) for v in rng.uniform(-1.5, 1.5, PARAMS.get(name, 0))]
    if name in ("Erf", "Sin", "Cos"):
        args[1] = abs(args[1]) + 0.1
    depth = int(rng.integers(1, 7))
    w = rng.uniform(0.5, 2.0, depth + 1)
    b = [None if rng.random() < 0.3 else float(v) for v in rng.uniform(0, 0.5, depth + 1)]
    param = "standard" if rng.random() < 0.3 else "ntk"
    widths = [int(v) for v in rng.integers(16, 1024, depth)]
    n, d = int(rng.integers(3, 9)), int(rng.integers(1, 24))
    x = rng.standard_normal((n, d))
    x[1] = x[0] * rng.uniform(0.1, 3.0)  # scaled-parallel
    x[2] = -x[0]  # antiparallel
    spec = (name, args, depth, list(w), b, param, widths)
    return spec, x, rng.standard_normal((int(rng.integers(2, 6)), d))


def _nanmax(a):
    a = np.asarray(a)
    return np.nan if np.isnan(a).all() else np.nanmax(a)


def main():
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rng = np.random.default_rng(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    worst = defaultdict(lambda: np.zeros(5))
    overflow = defaultdict(int)
    for _ in range(cases):
        spec, x, z = random_case(rng)
        ref = architecture(rng, nt_stax, *spec)(x, z, ("nngp", "ntk"))
        ours = architecture(rng, stax, *spec)
        tiles, exact = ours(x, z), ours(x, z, exact=True)
        try:
            f32 = ours(x.astype(np.float32), z.astype(np.float32))
        except ValueError:  # kernel beyond float32's range (deep ReQU): a typed error, counted
            f32, overflow[spec[0]] = exact, overflow[spec[0]] + 1
        errs = []
        for k in (tiles, exact, f32):
            errs.append(max(_nanmax(np.abs(np.asarray(getattr(k, g), np.float64) - np.asarray(getattr(ref, g))))
                            / np.abs(np.asarray(getattr(ref, g))).max() for g in ("nngp", "ntk")))
        y = np.sin(x[:, :1])
        pred = []
        for lib, kf in ((nt, architecture(rng, nt_stax, *spec)), (ntk, ours)):
            p = lib.predict.gradient_descent_mse_ensemble(kf, x, y, diag_reg=1e-2)
            pred.append(np.asarray(p(t=3.0, x_test=z, get="ntk")))
        errs.append(np.abs(pred[0] - pred[1]).max() / max(np.abs(pred[0]).max(), 1e-300))
        nan = float(np.isnan(np.asarray(ref.ntk)).any() or np.isnan(np.asarray(ref.nngp)).any())
        worst[spec[0]] = np.maximum(worst[spec[0]], errs + [nan])
    print(f"{cases} random architectures; errors relative to max|K| (NT float64 as reference; "
          "NT itself is off at (anti)parallel pairs, see the crate's accuracy table)")
    print(f"{'activation':20} {'f64 tiles':>10} {'f64 exact':>10} {'f32 tiles':>10} {'predict t=3':>12} "
          f"{'NT NaN':>7} {'f32 overflow':>13}")
    for name in sorted(worst):
        e = worst[name]
        print(f"{name:20} {e[0]:10.1e} {e[1]:10.1e} {e[2]:10.1e} {e[3]:12.1e} {'yes' if e[4] else 'no':>7} "
              f"{overflow[name]:13d}")
    total = np.nanmax([w[:4] for w in worst.values()], axis=0)
    print("predict compares K(X, X) with scaled-parallel training rows, where NT's own kernel is "
          "ill-conditioned (deep Sign, ReLU family): large values there are NT's rounding")
    print(f"worst (NaN = NT NaN, ignored): f64 tiles {total[0]:.1e}, f64 exact {total[1]:.1e}, f32 {total[2]:.1e}, predict {total[3]:.1e}")


if __name__ == "__main__":
    main()

"""Independent high-precision references for the spectrum and eigenlearning tests.

Everything here is mpmath at 50 digits, from the formulas of the theory sheet
(/work/shared/theory/eigenlearning.md), not from the Rust code:
  * the paper's ReLU NTK (4 hidden layers, W_std sqrt(2), b_std 0.1, readout 1, 0),
    as a function of t = cos angle with q = t (inputs of squared norm d);
  * hypercube eigenvalues by the Krawtchouk sum (exact integers) for d = 8 and 64;
  * for d = 64 also the exact Krawtchouk sum of the f64-rounded samples (bits stored),
    which isolates the summation error of the Rust code;
  * 7-sphere eigenvalues k = 0..20 by tanh-sinh quadrature in theta (Funk-Hecke);
  * kappa, E0, test/train MSE on the 8-cube for parity targets by mpmath findroot.

Run: .venv-nt/bin/python scripts/eigen_reference.py  (writes tests/data/eigen_reference.json)
"""
import json
import struct
from math import comb

import mpmath as mp

mp.mp.dps = 50


def relu_ntk(t, depth=4, w=mp.sqrt(2), b=mp.mpf("0.1"), wo=1, bo=0):
    """NTK parameterisation, stax.serial([Dense(w,b), Relu]*depth, Dense(1, wo, bo)), q_xx = 1."""
    t = mp.mpf(t)
    q = w**2 * 1 + b**2  # diagonal pre-activation variance, |x|^2/d = 1
    k = w**2 * t + b**2
    theta_ntk = k
    for layer in range(depth):
        W, B = (w, b) if layer < depth - 1 else (wo, bo)
        rho = k / q
        if rho >= 1:
            ang = mp.mpf(0)
        else:
            ang = mp.acos(rho)
        e_phi = q / (2 * mp.pi) * (mp.sin(ang) + (mp.pi - ang) * mp.cos(ang))
        e_dphi = (mp.pi - ang) / (2 * mp.pi)
        k_new = W**2 * e_phi + B**2
        theta_ntk = k_new + W**2 * e_dphi * theta_ntk
        k = k_new
        q = W**2 * q / 2 + B**2
    return theta_ntk


def krawtchouk(d, k, h):
    return sum((-1) ** s * comb(k, s) * comb(d - k, h - s) for s in range(0, min(h, k) + 1))


def hypercube(d, samples):
    return [sum(samples[h] * krawtchouk(d, k, h) for h in range(d + 1)) / mp.mpf(2) ** d for k in range(d + 1)]


def f64_bits(x):
    return struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def s(x):
    return mp.nstr(x, 25, strip_zeros=False)


out = {}

# Hypercube d = 8 (normalised by f(1)) -- the sheet's table.
f1 = relu_ntk(1)
out["ntk_f1"] = s(f1)
d = 8
samp = [relu_ntk(1 - mp.mpf(2 * h) / d) / f1 for h in range(d + 1)]
lam8 = hypercube(d, samp)
out["cube8_lambda"] = [s(x) for x in lam8]

# Hypercube d = 64, unnormalised.
d = 64
samp = [relu_ntk(1 - mp.mpf(2 * h) / d) for h in range(d + 1)]
out["cube64_lambda"] = [s(x) for x in hypercube(d, samp)]
# Rounded samples: a smooth but generic function whose spectrum spans ~20 orders.
g = [mp.mpf(float(mp.exp(3 * (1 - mp.mpf(2 * h) / d)))) for h in range(d + 1)]
out["cube64_exp3_bits"] = [f64_bits(x) for x in g]
out["cube64_exp3_lambda"] = [s(x) for x in hypercube(d, g)]

# 7-sphere (d = 8), normalised, k = 0..20, q = t convention.
d = 8
norm = mp.quad(lambda th: mp.sin(th) ** (d - 2), [0, mp.pi])


def gegen(k, t):
    a = mp.mpf(d) / 2 - 1
    return mp.gegenbauer(k, a, t) / mp.gegenbauer(k, a, 1)


mp.mp.dps = 30
sph = []
for k in range(21):
    val = mp.quad(lambda th: relu_ntk(mp.cos(th)) * gegen(k, mp.cos(th)) * mp.sin(th) ** (d - 2), [0, mp.pi / 2, mp.pi])
    sph.append(val / norm / f1)
out["sphere8_lambda"] = [s(x) for x in sph]
mp.mp.dps = 50

# Eigenlearning on the 8-cube, normalised spectrum, parity targets.
mult = [comb(8, k) for k in range(9)]


def solve(n, delta):
    n = mp.mpf(n)
    F = lambda kap: sum(m * l / (l + kap) for m, l in zip(mult, lam8)) + delta / kap - n
    lo, hi = mp.mpf("1e-40"), (1 + delta) / n
    for _ in range(400):  # bisection in log, 50 digits
        mid = mp.sqrt(lo * hi)
        if F(mid) > 0:
            lo = mid
        else:
            hi = mid
    kap = mp.sqrt(lo * hi)
    L = [l / (l + kap) for l in lam8]
    e0 = n / (n - sum(m * x**2 for m, x in zip(mult, L)))
    return kap, L, e0


cases = []
for n, delta, noise in [(16, 0, 0), (16, mp.mpf("0.1"), mp.mpf("0.1")), (64, 0, 0), (64, mp.mpf("0.001"), 0), (100, 0, mp.mpf("0.1")), (2.5, 0, 0), (255, 0, 0)]:
    kap, L, e0 = solve(n, delta)
    row = {"n": float(n), "ridge": float(delta), "noise": float(noise), "kappa": s(kap), "e0": s(e0), "L": [s(x) for x in L]}
    for k in (0, 1, 3, 8):
        test = e0 * ((1 - L[k]) ** 2 + noise)
        row[f"test_parity{k}"] = s(test)
        row[f"train_parity{k}"] = s((delta / (n * kap)) ** 2 * test)
    cases.append(row)
out["cube8_eigenlearning"] = cases

with open("tests/data/eigen_reference.json", "w") as fh:
    json.dump(out, fh, indent=1)
print("lambda8", [mp.nstr(x, 17) for x in lam8])
print("sphere8 lambda0", mp.nstr(sph[0], 12))

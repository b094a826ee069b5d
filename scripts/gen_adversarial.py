#!/usr/bin/env python3
"""80-digit mpmath kernels of adversarial input pairs, for tests/adversarial_mpmath.rs.

    python3 scripts/gen_adversarial.py     # writes tests/data/adversarial_mpmath.json (needs mpmath)

For every activation of the crate, depths 1, 2, 4, 8, (W_std, b_std) in
{(1.3, 0.2), (sqrt 2, None)}, NTK parameterization, and input dimensions 1, 3
and 8, the pairs (x, z) are: x with itself, with x rotated by 1e-12, 1e-9,
1e-6, 1e-3 and 1e-2 rad, with -1.7 x rotated by the same angles, with 2.5 x
and with the zero vector; coordinates are f64, stored as their bits. Each
entry holds the recursion of scripts/mp_reference.py evaluated exactly on
those f64 inputs (nngp, ntk), the diagonals K(x, x), K(z, z), and `allow`: 4x
the largest change of the kernel when z moves by one f64 ulp (coordinates
alternately up and down, or all up) -- where the f64 inputs do not determine
the kernel, no f64 evaluation can do better.
"""
import json
import math
import os
import random
import struct
import sys

import mpmath as mp

sys.path.insert(0, os.path.dirname(__file__))
from mp_reference import ACTIVATIONS, m_dot, m_pair  # noqa: E402

mp.mp.dps = 80
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "adversarial_mpmath.json")
ANGLES = [1e-12, 1e-9, 1e-6, 1e-3, 1e-2]


def bits(v):
    return struct.unpack("<Q", struct.pack("<d", v))[0]


def rotate(x, direction, t):
    """x rotated by t rad towards `direction` (norm kept), rounded to f64."""
    n = math.sqrt(sum(v * v for v in x))
    u = [v / n for v in x]
    if len(x) == 1:
        return [v * (1 + t) for v in x]
    p = sum(a * b for a, b in zip(u, direction))
    w = [d - p * a for d, a in zip(direction, u)]
    wn = math.sqrt(sum(v * v for v in w))
    w = [v / wn for v in w]
    return [n * (math.cos(t) * a + math.sin(t) * b) for a, b in zip(u, w)]


def kernel(kind, p, layers, x, z):
    d = len(x)
    k0 = m_dot(x, z) / d
    q1, q2 = m_dot(x, x) / d, m_dot(z, z) / d
    return m_pair(kind, p, layers, "ntk", [], k0, q1, q2, d)


def nudges(z):
    alt = [[math.nextafter(v, math.inf if (i + s) % 2 == 0 else -math.inf) for i, v in enumerate(z)] for s in (0, 1)]
    return alt + [[math.nextafter(v, math.inf) for v in z]]


def main():
    rng = random.Random(12)
    entries = []
    for d in (1, 3, 8):
        x = [rng.uniform(-1, 1) for _ in range(d)]
        direction = [rng.uniform(-1, 1) for _ in range(d)]
        zs = [x, [2.5 * v for v in x], [0.0] * d]
        zs += [rotate(x, direction, t) for t in ANGLES]
        zs += [[-1.7 * v for v in rotate(x, direction, t)] for t in ANGLES]
        for name, kind, p in ACTIVATIONS:
            for depth in (1, 2, 4, 8):
                for w, b in ((1.3, 0.2), (math.sqrt(2), None)):
                    layers = [(w, b)] * (depth + 1)
                    kxx = kernel(kind, p, layers, x, x)
                    for z in zs:
                        val = kernel(kind, p, layers, x, z)
                        kzz = kernel(kind, p, layers, z, z)
                        if max(abs(v) for v in (*val, *kxx, *kzz)) > 1e300:
                            continue  # beyond f64: Network::kernels refuses it
                        allow = [mp.mpf(0), mp.mpf(0)]
                        for zn in nudges(z):
                            v = kernel(kind, p, layers, x, zn)
                            allow = [max(a, 4 * abs(v[t] - val[t])) for t, a in enumerate(allow)]
                        entries.append({
                            "name": name, "activation": {"kind": kind, **p}, "depth": depth,
                            "w_std": w, "b_std": b,
                            "x": [bits(v) for v in x], "z": [bits(v) for v in z],
                            "nngp": float(val[0]), "ntk": float(val[1]),
                            "diag_x": [float(kxx[0]), float(kxx[1])],
                            "diag_z": [float(kzz[0]), float(kzz[1])],
                            "allow": [float(a) for a in allow],
                        })
    with open(OUT, "w") as f:
        json.dump({"dps": mp.mp.dps, "entries": entries}, f)
    print(f"wrote {len(entries)} entries to {OUT}")


if __name__ == "__main__":
    main()

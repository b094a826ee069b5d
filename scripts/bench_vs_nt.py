"""Times neural-tangents and `ntk` on the same inputs, on this machine, in one run.

Task: NNGP + NTK of stax.serial(*[Dense(512), Relu()] * 3, Dense(1)) (W_std=1,
b_std=None, NTK parameterization) on x of shape (n, d) = (2048, 64), N(0, 1),
K(x, x): n² entries per kernel. neural-tangents is jit-compiled (on all
cores: XLA uses every core); the crate runs `examples/gram_timing.rs`
(symmetric fill, one thread and rayon on all cores). Both read the same x.

    .venv-nt/bin/python scripts/bench_vs_nt.py            # default build (run-time dispatch)
    .venv-nt/bin/python scripts/bench_vs_nt.py --native   # RUSTFLAGS="-C target-cpu=native"
    .venv-nt/bin/python scripts/bench_vs_nt.py --runs 5   # five whole runs: median and range

Each run times neural-tangents (best of 5 calls after the jit warm-up) and
the crate (one fresh process) back to back; ratios are per run, so a load
change between runs does not mix into one ratio.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

N, D, DEPTH = 2048, 64, 3
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def time_nt(x, x64):
    import jax
    jax.config.update("jax_enable_x64", x64)
    from neural_tangents import stax
    dtype = np.float64 if x64 else np.float32
    layers = []
    for _ in range(DEPTH):
        layers += [stax.Dense(512), stax.Relu()]
    _, _, kernel_fn = stax.serial(*layers, stax.Dense(1))
    kf = jax.jit(kernel_fn, static_argnames="get")
    xj = jax.numpy.asarray(x.astype(dtype))
    out = kf(xj, None, ("nngp", "ntk"))
    jax.block_until_ready(out)
    best, cpu = float("inf"), float("inf")
    for _ in range(5):
        t, c = time.perf_counter(), time.process_time()
        jax.block_until_ready(kf(xj, None, ("nngp", "ntk")))
        best = min(best, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    assert out[1].dtype == dtype
    return best, cpu


def time_crate(path, native):
    env = dict(os.environ)
    cmd = ["cargo", "build", "--release", "--example", "gram_timing"]
    target = os.path.join(ROOT, "target")
    if native:
        env["RUSTFLAGS"] = "-C target-cpu=native"
        target = os.path.join(ROOT, "target", "native")
        cmd += ["--target-dir", target]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    exe = os.path.join(target, "release", "examples", "gram_timing")
    out = subprocess.run([exe, str(N), str(D), str(DEPTH), path], check=True, capture_output=True, text=True).stdout
    res = {}
    for m in re.finditer(r"(f32|f64) .*threads=(\d+) seconds=(\S+)", out):
        res[(m.group(1), int(m.group(2)))] = float(m.group(3))
    for m in re.finditer(r"(f32|f64) .*threads=1 .*cpu_seconds=(\S+)", out):
        res[(m.group(1), "cpu")] = float(m.group(2))
    return res


def main():
    native = "--native" in sys.argv
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 1
    x = np.random.default_rng(0).standard_normal((N, D))
    with tempfile.NamedTemporaryFile(suffix=".f64", delete=False) as f:
        x.astype("<f8").tofile(f)
        path = f.name
    entries = N * N
    print(f"n={N} d={D} depth={DEPTH} ReLU, NNGP+NTK, {entries} entries per kernel; crate build: "
          f"{'target-cpu=native' if native else 'default (run-time dispatch)'}; {runs} run(s)")
    print(f"{'':4} {'NT all cores':>16} {'crate 1 core':>16} {'crate all cores':>16} {'ratio 1 core':>13} {'ratio all':>10}")
    ratios = {}
    for run in range(runs):
        print(f"run {run + 1}: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        crate = time_crate(path, native)
        for prec, x64 in [("f32", False), ("f64", True)]:
            nt, nt_cpu = time_nt(x, x64)
            one, cpu = crate[(prec, 1)], crate[(prec, "cpu")]
            many = min([v for (p, t), v in crate.items() if p == prec and t not in (1, "cpu")] or [one])
            print(f"{prec:4} {entries / nt:13.3e}/s {entries / one:13.3e}/s {entries / many:13.3e}/s "
                  f"{nt / one:12.1f}x {nt / many:9.1f}x")
            print(f"{prec:4} per CPU-second (load-independent): NT {entries / nt_cpu:.3e}, crate {entries / cpu:.3e}, "
                  f"ratio {nt_cpu / cpu:.1f}x")
            ratios.setdefault(prec, []).append((nt / one, nt / many))
    if runs > 1:
        for prec, rs in ratios.items():
            one = sorted(r[0] for r in rs)
            many = sorted(r[1] for r in rs)
            print(f"{prec}: median of {runs} runs: {np.median(one):.1f}x on 1 core ({one[0]:.1f}-{one[-1]:.1f}), "
                  f"{np.median(many):.1f}x on all cores ({many[0]:.1f}-{many[-1]:.1f})")
    os.unlink(path)


if __name__ == "__main__":
    main()

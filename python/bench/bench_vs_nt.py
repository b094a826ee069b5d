"""ntk against neural-tangents 0.6.5, in one process, on the same numpy inputs.

1. Gram: NNGP + NTK of stax.serial(*[Dense(512), Relu()] * 3, Dense(1)) on
   x ~ N(0, 1) of shape (2048, 64), K(x, x), float32 and float64; numpy in,
   numpy out (conversions included). neural-tangents jit-compiled (XLA on all
   cores); ntk on all cores and on one (threads=1). With --rust, the Rust
   crate's own rate for the same fill (examples/gram_timing.rs, all threads).
   Wall-clock rates depend on the machine's load; the per-CPU-second rates
   (process CPU time, all threads) do not.
2. predict: gradient_descent_mse_ensemble fit + predict (t = None, get='ntk')
   at N = 256 training and 256 test points, d = 64, float64.

Medians of --repeat runs (default 7), timed with perf_counter.

    .venv-nt/bin/pip install ./python && .venv-nt/bin/python python/bench/bench_vs_nt.py [--rust]
"""

import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

N, D, DEPTH, N_PRED = 2048, 64, 3, 256
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPEAT = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 7


def median_time(fn):
    """Median wall time; the median process CPU time (all threads) in CPU_TIMES."""
    fn()  # warm-up (jit compilation, pools)
    times, cpu = [], []
    for _ in range(REPEAT):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    CPU_TIMES.append(statistics.median(cpu))
    return statistics.median(times)


CPU_TIMES = []


def layers(stax):
    out = []
    for _ in range(DEPTH):
        out += [stax.Dense(512), stax.Relu()]
    return stax.serial(*out, stax.Dense(1))


def nt_gram(x):
    import jax
    from neural_tangents import stax
    jax.config.update("jax_enable_x64", x.dtype == np.float64)
    kf = jax.jit(layers(stax)[2], static_argnames="get")

    def run():
        k = kf(jax.numpy.asarray(x), None, ("nngp", "ntk"))
        return np.asarray(k.nngp), np.asarray(k.ntk)
    return median_time(run), run()


def ntk_gram(x, threads=None):
    from ntk import stax
    kf = layers(stax)[2]

    def run():
        return kf(x, None, ("nngp", "ntk"), threads=threads)
    return median_time(run), run()


def rust_rates(x64):
    subprocess.run(["cargo", "build", "--release", "--example", "gram_timing"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    exe = os.path.join(ROOT, "target", "release", "examples", "gram_timing")
    with tempfile.NamedTemporaryFile(suffix=".f64", delete=False) as f:
        x64.astype("<f8").tofile(f)
    out = subprocess.run([exe, str(N), str(D), str(DEPTH), f.name], check=True,
                         capture_output=True, text=True).stdout
    os.unlink(f.name)
    rates = {}
    for m in re.finditer(r"(f32|f64) .*threads=(\d+) seconds=\S+ entries_per_s=(\S+)", out):
        if int(m.group(2)) > 1:
            rates[m.group(1)] = float(m.group(3))
    for m in re.finditer(r"(f32|f64) .*threads=1 .*entries_per_cpu_s=(\S+)", out):
        rates[m.group(1) + " cpu"] = float(m.group(2))
    return rates


def predict_times(x, y, q):
    import jax
    jax.config.update("jax_enable_x64", True)
    import neural_tangents as nt
    from neural_tangents import stax as nt_stax

    import ntk
    from ntk import stax

    def run_nt():
        p = nt.predict.gradient_descent_mse_ensemble(layers(nt_stax)[2], x, y, diag_reg=1e-4)
        return np.asarray(p(x_test=q, get="ntk"))

    def run_ntk():
        p = ntk.predict.gradient_descent_mse_ensemble(layers(stax)[2], x, y, diag_reg=1e-4)
        return p(x_test=q, get="ntk")
    a, b = run_nt(), run_ntk()
    err = np.abs(a - b).max() / np.abs(a).max()
    return median_time(run_nt), median_time(run_ntk), err


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            return next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor()


def main():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, D))
    entries = N * N
    print(f"{cpu_name()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"median of {REPEAT} runs")
    print(f"Gram: n={N} d={D} depth={DEPTH} ReLU, NNGP+NTK, K(x, x), numpy in and out; "
          f"rates in kernel entries per second ({entries} per kernel)")
    rust = rust_rates(x) if "--rust" in sys.argv else {}
    print(f"{'':4} {'NT (jit)':>11} {'ntk all':>11} {'ntk 1 core':>11} {'Rust all':>11} "
          f"{'ntk/NT':>7} {'Rust/ntk':>8} {'max|diff|/max|K|':>17}")
    for dtype, name in ((np.float32, "f32"), (np.float64, "f64")):
        xd = x.astype(dtype)
        t_nt, k_nt = nt_gram(xd)
        t_all, k = ntk_gram(xd)
        t_one, _ = ntk_gram(xd, threads=1)
        diff = max(np.abs(k.ntk.astype(np.float64) - k_nt[1]).max() / np.abs(k_nt[1]).max(),
                   np.abs(k.nngp.astype(np.float64) - k_nt[0]).max() / np.abs(k_nt[0]).max())
        r = rust.get(name)
        cpu_nt, _, cpu_one = CPU_TIMES[-3:]
        print(f"{name:4} {entries / t_nt:11.3e} {entries / t_all:11.3e} {entries / t_one:11.3e} "
              f"{r if r else float('nan'):11.3e} {t_nt / t_all:6.1f}x "
              f"{(r * t_all / entries) if r else float('nan'):7.2f}x {diff:17.1e}")
        rc = rust.get(name + " cpu")
        print(f"{name:4} per CPU-second (load-independent): NT {entries / cpu_nt:.3e}, ntk 1 thread "
              f"{entries / cpu_one:.3e} ({cpu_nt / cpu_one:.1f}x NT), Rust 1 thread "
              f"{rc if rc else float('nan'):.3e} (Rust/ntk {(rc * cpu_one / entries) if rc else float('nan'):.2f}x)")
    xs = rng.standard_normal((2 * N_PRED, D))
    y = np.sin(xs[:N_PRED, :1])
    t_nt, t_ntk, err = predict_times(xs[:N_PRED], y, xs[N_PRED:])
    print(f"predict: gradient_descent_mse_ensemble fit + predict, N={N_PRED} train, {N_PRED} test, "
          f"d={D}, f64, t=None, get='ntk': NT {t_nt * 1e3:.1f} ms, ntk {t_ntk * 1e3:.1f} ms "
          f"({t_nt / t_ntk:.1f}x); max|diff|/max|mean| {err:.1e}")


if __name__ == "__main__":
    main()

"""Times ntk's regression against scipy (LAPACK) and neural-tangents on the
same problems in the same run, and prints the ratios.

    .venv-nt/bin/python scripts/bench_regression.py            # default build (x86_64 SSE2)
    .venv-nt/bin/python scripts/bench_regression.py --native   # RUSTFLAGS="-C target-cpu=native"

1. runs `cargo bench --bench regression` (criterion; takes the fastest sample
   of target/criterion/<bench>/new/sample.json; the Python timings are best-of too);
2. times, on the problems of benches/regression.rs (d = 16, 64 test points,
   ReLU depth 3, W_std 1.5, b_std 0.1, NTK, ridge 1e-4, one output):
   - scipy.linalg.cho_factor + cho_solve on the same Gram matrix (float64,
     one BLAS thread, like ntk);
   - neural-tangents 0.6.5 gradient_descent_mse_ensemble(...)(x_test=..., get='ntk')
     at t = None with a jit-compiled kernel_fn (warm, float64), kernels included;
3. prints ntk / scipy and NT / ntk, with the issue's goals, and the stages
   of ntk's fit + predict at N = 256 (benches `fit_predict_parts/*`).
   ntk's fit + predict is timed on one thread (`fit_predict/N`) and on all
   cores (`fit_predict_threads/N`: `Model::set_threads`, feature `std`);
   neural-tangents (XLA) uses all cores.
"""
import json
import os
import pathlib
import subprocess
import sys
import timeit

# ntk runs on one thread: give LAPACK one too (otherwise OpenBLAS threads fight
# the other processes on a shared 2-core machine and its timings blow up).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
import numpy as np  # noqa: E402
import scipy.linalg  # noqa: E402
import neural_tangents as nt  # noqa: E402
from neural_tangents import stax  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
D, N_TEST, RIDGE = 16, 64, 1e-4
SIZES = (16, 64, 256)
PARTS = ("gram_train", "factor", "solve", "gram_test", "k_alpha")


def problem(n):
    x = np.sin(0.37 * np.arange(n * D) + 1.0).reshape(n, D)
    y = np.sin(x.sum(axis=1))[:, None]
    t = np.cos(0.53 * np.arange(N_TEST * D)).reshape(N_TEST, D)
    return x, y, t


def kernel_fn():
    layers = []
    for _ in range(3):
        layers += [stax.Dense(512, W_std=1.5, b_std=0.1), stax.Relu()]
    layers.append(stax.Dense(1, W_std=1.5, b_std=0.1))
    return jax.jit(stax.serial(*layers)[2], static_argnames="get")


def best_of(fn, number, repeat=7):
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


NATIVE = "--native" in sys.argv
# The native build (AVX2/FMA, like XLA's and OpenBLAS's host kernels) has its own target dir.
TARGET = ROOT / "target" / "native" if NATIVE else ROOT / "target"


def criterion_best(name):
    """Fastest criterion sample (seconds per iteration): on a shared machine the
    minimum is the least disturbed figure, and it matches best_of() below."""
    path = TARGET / "criterion" / name.replace("/", "_") / "new" / "sample.json"
    sample = json.loads(path.read_text())
    return min(t / i for t, i in zip(sample["times"], sample["iters"])) * 1e-9


def main():
    args = ["cargo", "bench", "--bench", "regression", "--", "--warm-up-time", "1", "--measurement-time", "3"]
    # CARGO_TARGET_DIR (not --target-dir): criterion writes its samples there too.
    env = dict(os.environ, CARGO_TARGET_DIR=str(TARGET))
    if NATIVE:
        env["RUSTFLAGS"] = "-C target-cpu=native"
    if os.environ.get("SKIP_CARGO") != "1":
        subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"crate build: {'target-cpu=native' if NATIVE else 'default x86_64 (SSE2)'}; load average {os.getloadavg()[0]:.1f}")
    kfn = kernel_fn()
    print(f"{'N':>5} {'ntk chol':>10} {'scipy chol':>10} {'ratio':>6} | {'ntk fit+pred':>12} {'all cores':>10}"
          f" {'NT predict':>10} {'NT/ntk':>7} {'all cores':>9}")
    rows = {}
    for n in SIZES:
        x, y, t = problem(n)
        a = np.asarray(kfn(x, None, "ntk")) + RIDGE * np.eye(n)

        def chol():
            scipy.linalg.cho_solve(scipy.linalg.cho_factor(a, lower=True), y[:, 0])

        def nt_predict():
            fn = nt.predict.gradient_descent_mse_ensemble(kfn, x, y, diag_reg=RIDGE, diag_reg_absolute_scale=True)
            return np.asarray(fn(x_test=t, get="ntk"))

        nt_predict()  # compile
        number = max(1, int(2000 / n))
        t_scipy = best_of(chol, number)
        t_nt = best_of(nt_predict, max(1, number // 20), repeat=5)
        t_chol = criterion_best(f"cholesky_factor_solve/{n}")
        t_fit = criterion_best(f"fit_predict/{n}")
        t_par = criterion_best(f"fit_predict_threads/{n}")
        rows[n] = (t_chol, t_scipy, t_fit, t_nt, t_par)
        print(f"{n:>5} {t_chol * 1e6:>8.1f}µs {t_scipy * 1e6:>8.1f}µs {t_chol / t_scipy:>6.2f} |"
              f" {t_fit * 1e6:>10.1f}µs {t_par * 1e6:>8.1f}µs {t_nt * 1e6:>8.1f}µs {t_nt / t_fit:>7.1f}"
              f" {t_nt / t_par:>9.1f}")
    ins = criterion_best("online_insert/256")
    push = criterion_best("online_push_sliding/256")
    refit = rows[256][2]
    print(f"online insert at N=256: {ins * 1e6:.1f} µs; sliding push (remove oldest + insert): {push * 1e6:.1f} µs;"
          f" refit (fit+predict) {refit * 1e6:.1f} µs -> insert is {refit / ins:.0f}x faster, push {refit / push:.0f}x")
    parts = {p: criterion_best(f"fit_predict_parts/{p}/256") for p in PARTS}
    print("fit+predict at N=256 by stage (each timed alone): " + ", ".join(
        f"{p} {v * 1e6:.0f} µs ({v / sum(parts.values()):.0%})" for p, v in parts.items())
        + f"; sum {sum(parts.values()) * 1e6:.0f} µs vs {rows[256][2] * 1e6:.0f} µs together")
    t_chol, t_scipy, t_fit, t_nt, t_par = rows[256]
    print("goals at N=256: Cholesky within 1.5x of scipy/LAPACK:", "yes" if t_chol <= 1.5 * t_scipy else "NO",
          f"({t_chol / t_scipy:.2f}x); fit+predict >= 10x faster than NT: one thread",
          "yes" if t_nt >= 10 * t_fit else "NO", f"({t_nt / t_fit:.1f}x), all cores",
          "yes" if t_nt >= 10 * t_par else "NO", f"({t_nt / t_par:.1f}x); insert >= 20x faster than refit:",
          "yes" if refit >= 20 * ins else "NO")


if __name__ == "__main__":
    main()

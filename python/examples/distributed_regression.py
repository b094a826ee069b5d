"""Kernel regression at n = 50 000 on a dask cluster, K never stored.

Depth-3 ReLU NTK (W_std = 1.5, b_std = 0.1), inputs x ~ N(0, I_d), targets
sin(x₀) + x₁x₂/2, float32 tiles, diag_reg = 1e-2 (relative, as
neural-tangents), Jacobi-preconditioned CG to a relative residual of
`tol` on a LocalCluster of 2 worker processes with one thread each.

1. A subset (n_sub points): the cluster solve against the direct
   Cholesky solve of ntk.predict (same kernel, dtype and ridge): the
   predicted mean's error on 1000 test points.
2. All n points: wall time, CG iterations, final residual, the peak
   resident memory of each worker (a dense K would be n²·4 bytes).

    python python/examples/distributed_regression.py [n=50000] [n_sub=4000] [tol=1e-4]
"""

import resource
import sys
import time

import numpy as np
from distributed import Client, LocalCluster

import ntk
from ntk import distributed as nd
from ntk import stax


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    args = [float(a) for a in sys.argv[1:]]
    n, n_sub, tol = int(args[0]) if args else 50_000, int(args[1]) if len(args) > 1 else 4000, \
        args[2] if len(args) > 2 else 1e-4
    d = 16
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, d)).astype(np.float32)
    y = (np.sin(x[:, 0]) + 0.5 * x[:, 1] * x[:, 2])[:, None]
    q = rng.standard_normal((1000, d)).astype(np.float32)
    layers = []
    for _ in range(3):
        layers += [stax.Dense(512, W_std=1.5, b_std=0.1), stax.Relu()]
    kernel_fn = stax.serial(*layers, stax.Dense(1, W_std=1.5, b_std=0.1))[2]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        t = time.perf_counter()
        sub = nd.solve(kernel_fn, x[:n_sub], y[:n_sub], q, diag_reg=1e-2, tol=tol, client=client)
        t_sub = time.perf_counter() - t
        direct = ntk.predict.gradient_descent_mse_ensemble(kernel_fn, x[:n_sub], y[:n_sub], diag_reg=1e-2)(
            x_test=q, get="ntk")
        err = np.abs(sub.mean - direct).max() / np.abs(direct).max()
        print(f"subset n={n_sub}: {t_sub:.1f} s, {sub.iterations} iterations, residual {sub.residual[0]:.1e}, "
              f"mean vs direct solve: max|diff|/max|mean| = {err:.1e}", flush=True)
        t = time.perf_counter()

        def progress(k, residual):
            print(f"  iteration {k}: residual {residual[0]:.2e}, {time.perf_counter() - t:.0f} s", flush=True)
        fit = nd.solve(kernel_fn, x, y, q, diag_reg=1e-2, tol=tol, client=client, callback=progress)
        elapsed = time.perf_counter() - t
        rss = client.run(peak_rss_mb)
        test_mse = float(np.mean((fit.mean[:, 0] - (np.sin(q[:, 0]) + 0.5 * q[:, 1] * q[:, 2])) ** 2))
        print(f"full n={n}, d={d}, f32: {elapsed:.0f} s, {fit.iterations} iterations "
              f"({elapsed / (fit.iterations + 2):.1f} s per pass over K), residual {fit.residual[0]:.1e}, "
              f"test MSE {test_mse:.4f}")
        print("peak RSS per worker: " + ", ".join(f"{v:.0f} MB" for v in rss.values())
              + f"; a dense float32 K would be {n * n * 4 / 1e9:.1f} GB")


if __name__ == "__main__":
    main()

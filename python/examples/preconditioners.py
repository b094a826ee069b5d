"""Conjugate-gradient iterations of ntk.distributed.solve with each
preconditioner, on a LocalCluster of two single-thread workers.

    python python/examples/preconditioners.py N D DIAG_REG TOL PRECOND...

PRECOND is 'jacobi', 'nystrom' (256 landmarks) or 'nystrom:M' (M
landmarks). The network is tests/test_distributed.py's (depth-2 ReLU NTK,
W_std 1.5, b_std 0.1); y = sin(x₀) + 0.1·noise. Prints the residual every
25 iterations and, per preconditioner, the iterations, final residual and
wall time (figures: python/README.md, Cluster).
"""

import sys
import time

import distributed
import numpy as np

from ntk import distributed as nd
from ntk import stax

NET = stax.serial(stax.Dense(512, W_std=1.5, b_std=0.1), stax.Relu(),
                  stax.Dense(512, W_std=1.5, b_std=0.1), stax.Relu(),
                  stax.Dense(1, W_std=1.5, b_std=0.1))


def main():
    n, d, reg, tol = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    rng = np.random.default_rng(3)
    x = rng.standard_normal((n, d))
    y = np.sin(x[:, :1]) + 0.1 * rng.standard_normal((n, 1))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        for arg in sys.argv[5:]:
            name, _, m = arg.partition(":")
            start = time.time()

            def progress(k, res):
                if k % 25 == 0:
                    print(f"{arg} {k} {res.max():.2e} {time.time() - start:.0f}s", flush=True)
            r = nd.solve(NET[2], x, y, diag_reg=reg, block=500, tol=tol, client=client,
                         preconditioner=name, landmarks=int(m or 256), maxiter=3000, callback=progress)
            print(f"{arg}: {r.iterations} iterations, residual {r.residual.max():.2e}, "
                  f"{time.time() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main()

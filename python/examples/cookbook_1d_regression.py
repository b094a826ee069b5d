"""neural-tangents' cookbook (1-D regression), ported by changing the import.

The cookbook's first part: a noisy sin on [-π, π], 5 training points, the
network stax.serial(Dense(512, 1.5, 0.05), Erf(), Dense(512, 1.5, 0.05),
Erf(), Dense(1, 1.5, 0.05)); the infinite ensemble's NNGP posterior and NTK
(trained) predictions with their ±2σ bands, and the mean train/test loss
through training. Data come from numpy instead of jax.random (the only
other change); `--nt` runs the same code on neural-tangents for comparison.

    pip install ./python matplotlib
    python python/examples/cookbook_1d_regression.py [out.png] [--nt]
"""

import sys

import numpy as np

if "--nt" in sys.argv:
    import neural_tangents as nt
    from neural_tangents import stax
else:
    import ntk as nt  # was: import neural_tangents as nt
    from ntk import stax  # was: from neural_tangents import stax

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

rng = np.random.default_rng(10)
train_points, test_points, noise_scale = 5, 50, 1e-1
target_fn = np.sin
train_xs = rng.uniform(-np.pi, np.pi, (train_points, 1))
train_ys = target_fn(train_xs) + noise_scale * rng.standard_normal((train_points, 1))
test_xs = np.linspace(-np.pi, np.pi, test_points).reshape(test_points, 1)
test_ys = target_fn(test_xs)

init_fn, apply_fn, kernel_fn = stax.serial(
    stax.Dense(512, W_std=1.5, b_std=0.05), stax.Erf(),
    stax.Dense(512, W_std=1.5, b_std=0.05), stax.Erf(),
    stax.Dense(1, W_std=1.5, b_std=0.05),
)

predict_fn = nt.predict.gradient_descent_mse_ensemble(kernel_fn, train_xs, train_ys, diag_reg=1e-4)
nngp_mean, nngp_covariance = predict_fn(x_test=test_xs, get="nngp", compute_cov=True)
ntk_mean, ntk_covariance = predict_fn(x_test=test_xs, get="ntk", compute_cov=True)
nngp_std = np.sqrt(np.diag(nngp_covariance))
ntk_std = np.sqrt(np.diag(ntk_covariance))

ts = np.arange(0, 10 ** 3, 10 ** -1)


def loss_fn(predict, ys, t, xs=None):
    mean, cov = predict(t=t, get="ntk", x_test=xs, compute_cov=True)
    mean = np.reshape(mean, mean.shape[:1] + (-1,))
    var = np.diagonal(cov, axis1=1, axis2=2)
    mean_predictions = 0.5 * np.mean(ys ** 2) - np.mean(mean * ys.T, axis=1) + 0.5 * np.mean(var + mean ** 2, axis=1)
    return mean_predictions


ntk_train_loss_mean = loss_fn(predict_fn, train_ys, ts)
ntk_test_loss_mean = loss_fn(predict_fn, test_ys, ts, test_xs)

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
ax1.plot(train_xs, train_ys, "ro", markersize=6, label="train")
ax1.plot(test_xs, test_ys, "k--", linewidth=2, label="$f(x)$")
for mean, std, color, name in ((nngp_mean, nngp_std, "tab:blue", "NNGP"),
                               (ntk_mean, ntk_std, "tab:orange", "NTK")):
    ax1.plot(test_xs, mean, color=color, linewidth=2, label=f"{name} mean")
    ax1.fill_between(test_xs[:, 0], mean[:, 0] - 2 * std, mean[:, 0] + 2 * std, color=color, alpha=0.2)
ax1.set(xlim=(-np.pi, np.pi), ylim=(-1.5, 1.5), xlabel="$x$", ylabel="$f$",
        title="infinite ensemble: mean ± 2σ")
ax1.legend(loc="upper left")
ax2.loglog(ts, ntk_train_loss_mean, linewidth=2, label="train")
ax2.loglog(ts, ntk_test_loss_mean, linewidth=2, label="test")
ax2.set(xlabel="$t$", ylabel="mean loss", title="NTK ensemble loss during training")
ax2.legend()
fig.tight_layout()
out = next((a for a in sys.argv[1:] if not a.startswith("--")), "cookbook_1d_regression.png")
fig.savefig(out, dpi=110)
print(f"wrote {out}; NNGP mean at x=0: {nngp_mean[test_points // 2, 0]:.6f}, "
      f"final NTK test loss {ntk_test_loss_mean[-1]:.6f}")

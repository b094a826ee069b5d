//! Finite-width networks: forward, gradient, empirical kernels, training,
//! Monte Carlo, the Jacobian and empirical NTK Gram.

use super::{network, scalar, then, verdict};
use crate::gen::Gen;
use crate::{Entry, Verdict};
use ntk::finite::{FiniteNetwork, Training};
use rand_xoshiro::{rand_core::SeedableRng, Xoshiro256PlusPlus};

pub fn entries() -> Vec<Entry> {
    vec![
        Entry {
            name: "finite.forward",
            run: forward,
        },
        Entry {
            name: "finite.gradient",
            run: gradient,
        },
        Entry {
            name: "finite.kernels",
            run: kernels,
        },
        Entry {
            name: "finite.train",
            run: train,
        },
        Entry {
            name: "finite.step",
            run: step,
        },
        Entry {
            name: "finite.monte_carlo",
            run: monte_carlo,
        },
        Entry {
            name: "finite.empirical_ntk_gram",
            run: gram,
        },
    ]
}

/// A small network with parameters (initialised, scaled, or drawn).
fn setup(g: &mut Gen) -> Option<(FiniteNetwork<f64>, Vec<f64>)> {
    let net = network::<f64>(g).ok()?;
    let dim = if g.chance(1, 40) {
        g.size(3)
    } else {
        1 + g.below(3)
    };
    let width = if g.chance(1, 40) {
        g.size(4)
    } else {
        1 + g.below(4)
    };
    let f = FiniteNetwork::new(net, dim, width).ok()?;
    if dim > 64 || width > 64 {
        return None; // built; too large to run here
    }
    let len = f.param_len().min(4096);
    let mut p = vec![0.0; len];
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(g.u64());
    match g.below(3) {
        0 => p = g.reals(len),
        _ => {
            f.init(&mut p, &mut rng).ok()?;
            if g.heat > 0 {
                let s: f64 = g.real();
                p.iter_mut().for_each(|v| *v *= s);
            }
        }
    }
    Some((f, p))
}

fn forward(g: &mut Gen) -> Verdict {
    let Some((f, p)) = setup(g) else {
        return Verdict::Err;
    };
    let n = 1 + g.below(3);
    let xs: Vec<f64> = g.reals(n * f.dim());
    let mut work = vec![0.0; f.workspace_len(n).min(1 << 16)];
    let mut out = vec![0.0; n];
    let r = f.forward_batch(&p, &xs, &mut out, &mut work);
    then(verdict(&r, &out, "outputs"), || {
        scalar(f.forward(&p, &xs[..f.dim()], &mut work), "output")
    })
}

fn gradient(g: &mut Gen) -> Verdict {
    let Some((f, p)) = setup(g) else {
        return Verdict::Err;
    };
    let x: Vec<f64> = g.reals(f.dim());
    let mut work = vec![0.0; f.workspace_len(1).min(1 << 16)];
    let mut grad = vec![0.0; p.len()];
    match f.gradient(&p, &x, &mut grad, &mut work) {
        Err(_) => Verdict::Err,
        Ok(v) => then(scalar(Ok(v), "output"), || {
            verdict(&Ok(()), &grad, "gradient")
        }),
    }
}

fn kernels(g: &mut Gen) -> Verdict {
    let Some((f, p)) = setup(g) else {
        return Verdict::Err;
    };
    let (x, z): (Vec<f64>, Vec<f64>) = (g.reals(f.dim()), g.reals(f.dim()));
    let mut work = vec![0.0; f.workspace_len(2).min(1 << 16)];
    let k = f.kernels(&p, &x, &z, &mut work);
    then(scalar(k.map(|k| k.nngp), "nngp"), || {
        scalar(k.map(|k| k.ntk), "ntk")
    })
}

fn training(g: &mut Gen) -> Training<f64> {
    Training {
        learning_rate: if g.chance(1, 2) { g.unit() } else { g.real() },
        max_steps: g.below(4),
        tolerance: g.nonneg::<f64>().min(1e-3),
    }
}

fn train(g: &mut Gen) -> Verdict {
    let Some((f, mut p)) = setup(g) else {
        return Verdict::Err;
    };
    let n = 1 + g.below(3);
    let (xs, ys): (Vec<f64>, Vec<f64>) = (g.reals(n * f.dim()), g.reals(n));
    let mut work = vec![0.0; f.workspace_len(n).min(1 << 16)];
    let t = training(g);
    match f.train(&mut p, &xs, &ys, None, &t, &mut work) {
        Err(_) => Verdict::Err,
        Ok(rep) => then(scalar(Ok(rep.train_mse), "train MSE"), || {
            verdict(&Ok(()), &p, "parameters")
        }),
    }
}

fn step(g: &mut Gen) -> Verdict {
    let Some((f, mut p)) = setup(g) else {
        return Verdict::Err;
    };
    let n = 1 + g.below(3);
    let (xs, ys): (Vec<f64>, Vec<f64>) = (g.reals(n * f.dim()), g.reals(n));
    let mut work = vec![0.0; f.workspace_len(n).min(1 << 16)];
    let before = p.clone();
    let eta = training(g).learning_rate;
    match f.step(&mut p, &xs, &ys, None, eta, &mut work) {
        // Documented: a step that overflows a parameter has written them.
        Err(ntk::Error::NoConvergence { .. }) => Verdict::Err,
        Err(e)
            if p.iter()
                .zip(&before)
                .any(|(a, b)| a.to_bits() != b.to_bits()) =>
        {
            Verdict::Lost(format!("parameters changed on {e:?}"))
        }
        Err(_) => Verdict::Err,
        Ok(mse) => then(scalar(Ok(mse), "MSE"), || {
            verdict(&Ok(()), &p, "parameters")
        }),
    }
}

fn monte_carlo(g: &mut Gen) -> Verdict {
    let Some((f, mut p)) = setup(g) else {
        return Verdict::Err;
    };
    let (x, z): (Vec<f64>, Vec<f64>) = (g.reals(f.dim()), g.reals(f.dim()));
    let mut work = vec![0.0; f.workspace_len(2).min(1 << 16)];
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(g.u64());
    let nets = if g.chance(1, 20) {
        g.size(3)
    } else {
        2 + g.below(3)
    };
    match f.monte_carlo(&mut rng, nets.min(8), &x, &z, &mut p, &mut work) {
        Err(_) => Verdict::Err,
        Ok(mc) => verdict(
            &Ok(()),
            &[mc.nngp.mean, mc.nngp.std_err, mc.ntk.mean, mc.ntk.std_err],
            "estimates",
        ),
    }
}

fn gram(g: &mut Gen) -> Verdict {
    let Some((f, p)) = setup(g) else {
        return Verdict::Err;
    };
    let n = g.below(4);
    let xs: Vec<f64> = g.reals(n * f.dim());
    let mut grads = vec![0.0; (n * p.len()).min(1 << 16)];
    let mut out = vec![0.0; n * n];
    let mut work = vec![0.0; f.workspace_len(1).min(1 << 16)];
    let r = f.empirical_ntk_gram(&p, &xs, &mut grads, &mut out, &mut work);
    verdict(&r, &out, "empirical NTK Gram")
}

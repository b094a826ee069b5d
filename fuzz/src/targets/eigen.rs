//! Eigenlearning: κ, learnabilities, MSE predictions; the fixed-dataset law.

use super::{ensure, then, verdict};
use crate::gen::Gen;
use crate::{Entry, Verdict};
use ntk::eigenlearning::{conservation::FixedDataset, Phase, Spectrum, Target};

pub fn entries() -> Vec<Entry> {
    vec![
        Entry {
            name: "eigenlearning.solve",
            run: solve,
        },
        Entry {
            name: "eigenlearning.target",
            run: target,
        },
        Entry {
            name: "eigenlearning.fixed_dataset",
            run: fixed,
        },
    ]
}

/// Eigenvalues (some equal, some 0, some tiny or huge) and multiplicities.
fn spectrum_parts(g: &mut Gen) -> (Vec<f64>, Option<Vec<f64>>) {
    let n = g.below(10);
    let scale = if g.heat > 0 && g.chance(1, 3) {
        g.nonneg::<f64>()
    } else {
        1.0
    };
    let lam: Vec<f64> = (0..n)
        .map(|_| {
            if g.chance(1, 8) {
                0.0
            } else {
                g.nonneg::<f64>() * scale
            }
        })
        .collect();
    let mult = g.chance(1, 2).then(|| {
        (0..n)
            .map(|_| {
                if g.chance(1, 5) {
                    g.nonneg()
                } else {
                    (1 + g.below(50)) as f64
                }
            })
            .collect()
    });
    (lam, mult)
}

fn draw_n(g: &mut Gen) -> f64 {
    match g.below(6) {
        0 => g.nonneg(),
        1 => g.below(12) as f64,
        2 => g.nonneg::<f64>() * 1e-300,
        _ => g.unit() * 20.0,
    }
}

fn draw_ridge(g: &mut Gen) -> f64 {
    match g.below(5) {
        0 => 0.0,
        1 => g.nonneg(),
        2 => 10f64.powi(-(g.below(330) as i32)),
        _ => g.unit(),
    }
}

fn solve(g: &mut Gen) -> Verdict {
    let (lam, mult) = spectrum_parts(g);
    let spec = match &mult {
        Some(m) => Spectrum::levels(&lam, m),
        None => Spectrum::modes(&lam),
    };
    let Ok(mut spec) = spec else {
        return Verdict::Err;
    };
    if g.chance(1, 5) {
        let Ok(s) = spec.with_tail(g.nonneg()) else {
            return Verdict::Err;
        };
        spec = s;
    }
    let (n, ridge) = (draw_n(g), draw_ridge(g));
    let Ok(sol) = spec.solve(n, ridge) else {
        return Verdict::Err;
    };
    let kappa = sol.kappa();
    let kappa_ok = match sol.phase() {
        Phase::NoData => kappa == f64::INFINITY,
        Phase::Regularized => kappa.is_finite() && kappa > 0.0,
        _ => kappa == 0.0,
    };
    let mut ls = vec![0.0; spec.len()];
    let r = sol.learnabilities(&mut ls);
    let v = then(
        ensure(kappa_ok, || format!("κ = {kappa:e} in {:?}", sol.phase())),
        || verdict(&r, &ls, "learnabilities"),
    );
    then(v, || {
        let in_range = ls.iter().all(|&l| (0.0..=1.0).contains(&l));
        let sum = sol.learnability_sum();
        let e0 = sol.overfitting();
        let e0_ok =
            e0 >= 1.0 - 1e-9 || (sol.phase() == Phase::Interpolation && e0 == f64::INFINITY);
        // Σ mL = n − δ/κ ≤ n (to rounding); N₊ < n without ridge.
        let sum_ok = !sum.is_nan() && sum <= n * (1.0 + 1e-9) + 1e-300;
        let (dn, dr) = (sol.dkappa_dn(), sol.dkappa_dridge());
        ensure(
            in_range && e0_ok && sum_ok && !dn.is_nan() && !dr.is_nan(),
            || {
                format!("n={n:e} δ={ridge:e} {:?} κ={kappa:e} L={ls:?} ΣmL={sum:e} E₀={e0:e} ∂κ/∂n={dn:e} ∂κ/∂δ={dr:e} λ={lam:?} m={mult:?}", sol.phase())
            },
        )
    })
}

fn target(g: &mut Gen) -> Verdict {
    let (lam, mult) = spectrum_parts(g);
    let spec = match &mult {
        Some(m) => Spectrum::levels(&lam, m),
        None => Spectrum::modes(&lam),
    };
    let Ok(spec) = spec else { return Verdict::Err };
    let Ok(sol) = spec.solve(draw_n(g), draw_ridge(g)) else {
        return Verdict::Err;
    };
    let len = if g.chance(9, 10) {
        lam.len()
    } else {
        g.below(10)
    };
    let w: Vec<f64> = (0..len)
        .map(|_| if g.chance(1, 2) { g.real() } else { g.nonneg() })
        .collect();
    let t = if g.chance(1, 2) {
        Target::coefficients(&w)
    } else {
        Target::level_weights(&w)
    };
    let Ok(mut t) = t else { return Verdict::Err };
    if g.chance(1, 3) {
        let Ok(tt) = t.with_noise(g.nonneg()) else {
            return Verdict::Err;
        };
        t = tt;
    }
    if g.chance(1, 4) {
        let Ok(tt) = t.with_unlisted_weight(g.nonneg()) else {
            return Verdict::Err;
        };
        t = tt;
    }
    let interp = sol.phase() == Phase::Interpolation;
    let mut checks = Vec::new();
    if let Ok(l) = sol.target_learnability(&t) {
        checks.push(("learnability", l, (0.0..=1.0 + 1e-12).contains(&l)));
    }
    for (what, r) in [
        ("bias", sol.bias(&t)),
        ("test MSE", sol.test_mse(&t)),
        ("variance", sol.variance(&t)),
        ("train MSE", sol.train_mse(&t)),
    ] {
        if let Ok(v) = r {
            // ∞ is documented for the test MSE and variance at interpolation.
            let documented =
                interp && v == f64::INFINITY && (what == "test MSE" || what == "variance");
            if !v.is_finite() && !documented {
                return Verdict::NonFinite(format!("{what} = {v:e}"));
            }
            checks.push((what, v, v >= 0.0));
        }
    }
    match checks.iter().find(|c| !c.2) {
        Some((what, v, _)) => {
            Verdict::Broken(format!("{what} = {v:e} out of range ({:?})", sol.phase()))
        }
        None if checks.is_empty() => Verdict::Err,
        None => Verdict::Ok,
    }
}

fn fixed(g: &mut Gen) -> Verdict {
    let m = 1 + g.below(8);
    let d = 1 + g.below(3);
    let pts: Vec<f64> = g.reals(m * d);
    // A PSD kernel (the trace law needs one): a Gaussian of any positive scale.
    let scale = if g.heat > 0 && g.chance(1, 3) {
        g.nonneg::<f64>().abs()
    } else {
        1.0
    };
    let kernel = move |a: usize, b: usize| {
        // A training index ≥ M reaches the closure (the dataset does not know M).
        let at = |i: usize| i.checked_mul(d).and_then(|s| pts.get(s..s.checked_add(d)?));
        let (Some(x), Some(z)) = (at(a), at(b)) else {
            return f64::NAN;
        };
        let dist: f64 = x.iter().zip(z).map(|(u, v)| (u - v) * (u - v)).sum();
        scale * (-dist).exp()
    };
    let n = g.below(m + 1);
    let train: Vec<usize> = (0..n)
        .map(|_| {
            if g.chance(1, 20) {
                g.size(m)
            } else {
                g.below(m)
            }
        })
        .collect();
    let ridge = draw_ridge(g);
    let Ok(ds) = FixedDataset::new(kernel, &train, ridge) else {
        return Verdict::Err;
    };
    let (mut factor, mut work) = (vec![0.0; n * n], vec![0.0; 2 * n]);
    let Ok(trace) = ds.trace(&mut factor, &mut work) else {
        return Verdict::Err;
    };
    let v = super::scalar(Ok(trace), "trace");
    then(v, || {
        let ok = trace <= n as f64 * (1.0 + 1e-9) && trace >= -1e-9 * n as f64;
        ensure(ok, || format!("trace {trace:e} outside [0, {n}]"))
    })
}

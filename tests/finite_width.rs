//! Finite-width networks against the closed forms (Jacot et al. 2018).
//!
//! - the hand-written parameter gradient against central finite differences;
//! - the empirical NTK formula against the inner product of two gradients;
//! - convergence with width: the error of the empirical NTK and NNGP of one
//!   network shrinks like 1/√w, checked against a variance measured
//!   independently at the smallest width (not tuned: every bound is k·σ or a
//!   χ²/regression interval, stated where it is used);
//! - the Monte Carlo NNGP E[f(x)f(z)] within its standard error;
//! - gradient-descent training of a wide net against NTK kernel regression.
//!
//! The deep-network checks at the largest widths (depth 3 up to w = 4096 for
//! the kernels, up to w = 2048 for training) are `#[ignore]`d in debug; run
//! them with `cargo test --release --test finite_width -- --ignored`
//! (≈ 1–3 min).

use ntk::activation::numerical::Numerical;
use ntk::finite::{gaussian, FiniteNetwork, Training};
use ntk::{Activation, Dense, Error, Network};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

fn rng(seed: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed)
}

/// Parameters and a workspace for `batch` inputs.
fn buffers(fnet: &FiniteNetwork<f64>, batch: usize) -> (Vec<f64>, Vec<f64>) {
    (
        vec![0.0; fnet.param_len()],
        vec![0.0; fnet.workspace_len(batch)],
    )
}

fn relu_net(depth: usize) -> Network<f64> {
    Network::new(depth, Activation::Relu)
        .unwrap()
        .with_std(2f64.sqrt(), Some(0.1))
        .unwrap()
}

const X: [f64; 3] = [1.0, 0.5, -0.2];
const Z: [f64; 3] = [0.3, 1.0, 0.4];

// ---------------------------------------------------------------- gradient

/// Architectures covering every code path of the backward pass: smooth and
/// piecewise-linear activations, both parameterizations, bias / no bias,
/// per-layer standard deviations.
fn gradient_cases() -> Vec<Network<f64>> {
    let acts = [
        Activation::Relu,
        Activation::leaky_relu(0.2),
        Activation::erf(),
        Activation::Gelu,
        Activation::Sin {
            a: 1.0,
            b: 1.3,
            c: 0.2,
        },
        Activation::Requ,
        Activation::Identity,
        // Monomial(3) is x²⁷ at depth 3: central differences lose 1e-6 there.
        Activation::Monomial(2),
        Activation::RectifiedMonomial(3),
        Activation::Rbf(0.7),
        Activation::Exp { a: 0.8, b: 0.4 },
        Activation::Gaussian { a: 1.1, b: -0.6 },
        Activation::Numerical(Numerical::tanh(16).unwrap()),
        Activation::Numerical(Numerical::mish(16).unwrap()),
    ];
    let mut cases = Vec::new();
    for act in acts {
        for b_std in [None, Some(0.3)] {
            let net = Network::new(3, act)
                .unwrap()
                .with_std(1.3, b_std)
                .unwrap()
                .with_layer(1, Dense::new(0.7, Some(0.2)))
                .unwrap();
            cases.push(net);
            cases.push(net.with_standard_parameterization(&[5]).unwrap());
        }
    }
    cases
}

#[test]
fn gradient_matches_central_differences() {
    for (case, net) in gradient_cases().into_iter().enumerate() {
        let fnet = FiniteNetwork::new(net, 3, 5).unwrap();
        let (mut params, mut work) = buffers(&fnet, 1);
        fnet.init(&mut params, &mut rng(case as u64)).unwrap();
        let mut grad = vec![0.0; fnet.param_len()];
        let f = fnet.gradient(&params, &X, &mut grad, &mut work).unwrap();
        assert_eq!(f, fnet.forward(&params, &X, &mut work).unwrap());
        let h = 1e-6;
        for j in 0..params.len() {
            let keep = params[j];
            params[j] = keep + h;
            let up = fnet.forward(&params, &X, &mut work).unwrap();
            params[j] = keep - h;
            let down = fnet.forward(&params, &X, &mut work).unwrap();
            params[j] = keep;
            let numeric = (up - down) / (2.0 * h);
            // Central differences: O(h²) truncation + O(ε/h) rounding ≈ 1e-9 here.
            assert!(
                (numeric - grad[j]).abs() <= 1e-7 * (1.0 + grad[j].abs()),
                "case {case} ({net:?}) param {j}: backprop {} vs finite difference {numeric}",
                grad[j]
            );
        }
    }
}

#[test]
fn empirical_ntk_is_the_gradient_inner_product() {
    for (case, net) in gradient_cases().into_iter().enumerate() {
        let fnet = FiniteNetwork::new(net, 3, 5).unwrap();
        let (mut params, mut work) = buffers(&fnet, 2);
        fnet.init(&mut params, &mut rng(100 + case as u64)).unwrap();
        let (mut gx, mut gz) = (vec![0.0; params.len()], vec![0.0; params.len()]);
        fnet.gradient(&params, &X, &mut gx, &mut work).unwrap();
        fnet.gradient(&params, &Z, &mut gz, &mut work).unwrap();
        let inner: f64 = gx.iter().zip(&gz).map(|(a, b)| a * b).sum();
        let k = fnet.kernels(&params, &X, &Z, &mut work).unwrap();
        assert!(
            (k.ntk - inner).abs() <= 1e-12 * (1.0 + inner.abs()),
            "case {case}: {} vs {inner}",
            k.ntk
        );
    }
}

#[test]
fn no_bias_means_no_bias_gradient() {
    let net = relu_net(2).with_std(1.0, None).unwrap();
    for net in [net, net.with_standard_parameterization(&[4]).unwrap()] {
        let fnet = FiniteNetwork::new(net, 3, 4).unwrap();
        let (mut params, mut work) = buffers(&fnet, 1);
        fnet.init(&mut params, &mut rng(9)).unwrap();
        let mut grad = vec![1.0; params.len()];
        fnet.gradient(&params, &X, &mut grad, &mut work).unwrap();
        // Biases: after each layer's weights (3·4, then 4·4, then 4·1).
        for (start, len) in [(12, 4), (32, 4), (40, 1)] {
            assert!(params[start..start + len].iter().all(|&b| b == 0.0));
            assert!(grad[start..start + len].iter().all(|&g| g == 0.0));
        }
    }
}

#[test]
fn f32_agrees_with_f64() {
    // Same seed: the f32 parameters are the f64 ones rounded (the sampler
    // works in f64), so outputs and kernels agree to f32 rounding, ~1e-6
    // relative per operation over O(w) sums.
    let net64 = relu_net(2);
    let net32 = Network::<f32>::new(2, Activation::Relu)
        .unwrap()
        .with_std(2f32.sqrt(), Some(0.1))
        .unwrap();
    let (f64net, f32net) = (
        FiniteNetwork::new(net64, 3, 64).unwrap(),
        FiniteNetwork::new(net32, 3, 64).unwrap(),
    );
    let (mut p64, mut w64) = buffers(&f64net, 2);
    let (mut p32, mut w32) = (
        vec![0f32; f32net.param_len()],
        vec![0f32; f32net.workspace_len(2)],
    );
    f64net.init(&mut p64, &mut rng(4)).unwrap();
    f32net.init(&mut p32, &mut rng(4)).unwrap();
    assert!(p64.iter().zip(&p32).all(|(&a, &b)| a as f32 == b));
    let (x32, z32) = (X.map(|v| v as f32), Z.map(|v| v as f32));
    let k64 = f64net.kernels(&p64, &X, &Z, &mut w64).unwrap();
    let k32 = f32net.kernels(&p32, &x32, &z32, &mut w32).unwrap();
    let f64out = f64net.forward(&p64, &X, &mut w64).unwrap();
    let f32out = f32net.forward(&p32, &x32, &mut w32).unwrap();
    for (a, b, scale) in [
        (k64.nngp, k32.nngp, k64.nngp.abs()),
        (k64.ntk, k32.ntk, k64.ntk.abs()),
        (f64out, f32out, k64.nngp.sqrt()),
    ] {
        assert!((a - b as f64).abs() <= 1e-4 * scale, "{a} vs {b}");
    }
}

// ------------------------------------------------------ convergence in width

/// Errors (K̂ − Σ, Θ̂ − Θ)(x, z) of independent networks of width `width`,
/// each divided by its kernel's scale √(k(x,x)·k(z,z)) so that both
/// parameterizations (whose standard NTK grows with w) compare.
fn scaled_errors(net: Network<f64>, width: usize, seeds: std::ops::Range<u64>) -> Vec<(f64, f64)> {
    let net = match net.widths() {
        [] => net,
        _ => net.with_standard_parameterization(&[width]).unwrap(),
    };
    let exact = net.kernels(&X, &Z).unwrap();
    let (kx, kz) = (net.kernels(&X, &X).unwrap(), net.kernels(&Z, &Z).unwrap());
    let scale = ((kx.nngp * kz.nngp).sqrt(), (kx.ntk * kz.ntk).sqrt());
    let fnet = FiniteNetwork::new(net, 3, width).unwrap();
    let (mut params, mut work) = buffers(&fnet, 2);
    seeds
        .map(|s| {
            fnet.init(&mut params, &mut rng(width as u64 * 1_000_003 + s))
                .unwrap();
            let k = fnet.kernels(&params, &X, &Z, &mut work).unwrap();
            (
                (k.nngp - exact.nngp) / scale.0,
                (k.ntk - exact.ntk) / scale.1,
            )
        })
        .collect()
}

fn rms(v: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut n) = (0.0, 0.0);
    for e in v {
        s += e * e;
        n += 1.0;
    }
    (s / n).sqrt()
}

/// Least-squares slope of ln y against ln x.
fn log_log_slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0.ln()).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1.ln()).sum::<f64>() / n;
    let sxy: f64 = points
        .iter()
        .map(|p| (p.0.ln() - mx) * (p.1.ln() - my))
        .sum();
    let sxx: f64 = points.iter().map(|p| (p.0.ln() - mx).powi(2)).sum();
    sxy / sxx
}

/// Second and fourth moments of a sample: (RMS, kurtosis E e⁴ / (E e²)²).
fn rms_and_kurtosis(e: &[f64]) -> (f64, f64) {
    let n = e.len() as f64;
    let m2 = e.iter().map(|v| v * v).sum::<f64>() / n;
    let m4 = e.iter().map(|v| v.powi(4)).sum::<f64>() / n;
    (m2.sqrt(), m4 / (m2 * m2))
}

/// The Jacot check at `widths` with `seeds` networks per width.
///
/// σ(w₀) is measured at the smallest width w₀ from `reference` independent
/// networks (other seeds than the ones tested), the kurtosis κ of the error
/// from all draws at w₀; the 1/√w law predicts σ(w) = σ(w₀)·√(w₀/w). The RMS of S draws
/// has Var(ln RMS) ≈ (κ − 1)/(4S) (= 1/(2S) for Gaussian errors; deep nets at
/// small w have heavy tails, κ ≫ 3). Checked, for NNGP and NTK alike:
/// 1. with `gaussian_tails` (one hidden layer, where the error is a mean of
///    w i.i.d. unit terms and so nearly Gaussian), every error is within
///    4.5·σ(w) (Gaussian tail 7e-6 per draw);
/// 2. |ln(RMS/σ(w))| ≤ 4·√((κ−1)/4·(1/S + 1/R)): the seeds' RMS agrees with
///    the prediction within 4 standard errors of both estimates;
/// 3. the least-squares slope of ln RMS against ln w is −½ within 4 standard
///    errors, SE = √((κ−1)/(4S)) / √(Σ(ln w − mean)²).
fn check_jacot(
    net: Network<f64>,
    widths: &[usize],
    seeds: u64,
    reference: u64,
    gaussian_tails: bool,
) {
    let w0 = widths[0];
    // σ(w₀) from the reference seeds only; κ from all draws at w₀ (a few
    // rare large errors dominate κ, so it needs every draw available).
    let all = scaled_errors(net, w0, 0..seeds + reference);
    let column = |v: &[(f64, f64)], kind: usize| -> Vec<f64> {
        v.iter().map(|e| [e.0, e.1][kind]).collect()
    };
    let moments = [0, 1].map(|kind| {
        let sigma0 = rms_and_kurtosis(&column(&all[seeds as usize..], kind)).0;
        (sigma0, rms_and_kurtosis(&column(&all, kind)).1)
    });
    let (s, r) = (seeds as f64, reference as f64);
    let mut curves = [Vec::new(), Vec::new()];
    for &w in widths {
        let errors = scaled_errors(net, w, 0..seeds);
        for (kind, name) in ["NNGP", "NTK"].iter().enumerate() {
            let (sigma0, kurtosis) = moments[kind];
            let sigma = sigma0 * (w0 as f64 / w as f64).sqrt();
            let e = column(&errors, kind);
            let worst = e.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let rms = rms_and_kurtosis(&e).0;
            let bound = 4.0 * ((kurtosis - 1.0) / 4.0 * (1.0 / s + 1.0 / r)).sqrt();
            eprintln!(
                "{name} w = {w:5}: rms {rms:.3e}, predicted σ {sigma:.3e} (×e^±{bound:.2}), worst {worst:.3e}, κ(w₀) {kurtosis:.1}"
            );
            assert!(
                !gaussian_tails || worst <= 4.5 * sigma,
                "{name} w={w}: error {worst} > 4.5σ = {}",
                4.5 * sigma
            );
            assert!(
                (rms / sigma).ln().abs() <= bound,
                "{name} w={w}: rms {rms} vs predicted σ(w) = {sigma} (allowed factor e^{bound})"
            );
            curves[kind].push((w as f64, rms));
        }
    }
    let mean_ln = widths.iter().map(|&w| (w as f64).ln()).sum::<f64>() / widths.len() as f64;
    let sxx: f64 = widths
        .iter()
        .map(|&w| ((w as f64).ln() - mean_ln).powi(2))
        .sum();
    for (kind, name) in ["NNGP", "NTK"].iter().enumerate() {
        let se = ((moments[kind].1 - 1.0) / (4.0 * s)).sqrt() / sxx.sqrt();
        let slope = log_log_slope(&curves[kind]);
        eprintln!("{name}: slope {slope:.3} (−0.5 ± {:.3})", 4.0 * se);
        assert!(
            (slope + 0.5).abs() <= 4.0 * se,
            "{name}: log-log slope {slope} not −½ within 4·SE = {}",
            4.0 * se
        );
    }
}

#[test]
fn one_hidden_layer_converges_like_inverse_sqrt_width() {
    // Depth 1: K̂ and Θ̂ are means of w i.i.d. unit terms, unbiased, so the
    // 1/√w law is exact here; both parameterizations, bias and no bias.
    let widths = [64, 256, 1024, 4096];
    check_jacot(relu_net(1), &widths, 24, 400, true);
    check_jacot(
        relu_net(1).with_standard_parameterization(&[64]).unwrap(),
        &widths,
        24,
        400,
        true,
    );
    let erf = Network::new(1, Activation::erf())
        .unwrap()
        .with_std(1.5, None)
        .unwrap();
    check_jacot(erf, &widths, 24, 400, true);
}

#[test]
fn numerical_tanh_converges_like_inverse_sqrt_width() {
    // The quadrature activation (32 nodes, error < 1e-7 of the kernel, far
    // below the Monte Carlo σ at w = 4096) against finite tanh networks.
    let tanh = Numerical::tanh(32).unwrap();
    let net = Network::new(1, Activation::Numerical(tanh))
        .unwrap()
        .with_std(1.5, Some(0.1))
        .unwrap();
    check_jacot(net, &[64, 256, 1024, 4096], 24, 400, true);
}

#[test]
fn deep_relu_converges_like_inverse_sqrt_width() {
    check_jacot(relu_net(3), &[32, 64, 128, 256, 512], 32, 100, false);
}

#[test]
#[ignore = "widths up to 4096 at depth 3: run with --release -- --ignored"]
fn deep_relu_converges_like_inverse_sqrt_width_up_to_4096() {
    check_jacot(relu_net(3), &[64, 256, 1024, 4096], 32, 100, false);
}

// ------------------------------------------------------------- Monte Carlo

#[test]
fn monte_carlo_nngp_is_unbiased_within_its_standard_error() {
    // Depth 1: E[f(x)f(z)] = Σ(x, z) exactly at any width, and the mean
    // empirical NTK too; 4 standard errors (two-sided 6e-5).
    for (net, dim_x, dim_z) in [
        (relu_net(1), X, Z),
        (relu_net(1), X, X),
        (
            relu_net(1).with_std(1.0, None).unwrap(),
            X,
            [-1.0, -0.5, 0.2],
        ),
    ] {
        let exact = net.kernels(&dim_x, &dim_z).unwrap();
        let fnet = FiniteNetwork::new(net, 3, 16).unwrap();
        let (mut params, mut work) = buffers(&fnet, 2);
        let mc = fnet
            .monte_carlo(&mut rng(11), 4000, &dim_x, &dim_z, &mut params, &mut work)
            .unwrap();
        for (est, value) in [(mc.nngp, exact.nngp), (mc.ntk, exact.ntk)] {
            assert_eq!(est.samples, 4000);
            assert!(
                (est.mean - value).abs() <= 4.0 * est.std_err,
                "{est:?} vs {value}"
            );
        }
    }
}

#[test]
fn gaussian_sampler_moments() {
    // N = 200 000 draws: mean, variance, 4th moment within 5 standard errors
    // (SE of mean 1/√N, of variance √(2/N), of E z⁴ √(96/N)).
    let n = 200_000;
    let mut z = vec![0.0f64; n];
    gaussian::fill_normal(&mut rng(5), 1.0, &mut z);
    let nf = n as f64;
    let m1 = z.iter().sum::<f64>() / nf;
    let m2 = z.iter().map(|v| v * v).sum::<f64>() / nf;
    let m4 = z.iter().map(|v| v.powi(4)).sum::<f64>() / nf;
    assert!(m1.abs() < 5.0 / nf.sqrt(), "mean {m1}");
    assert!((m2 - 1.0).abs() < 5.0 * (2.0 / nf).sqrt(), "variance {m2}");
    assert!(
        (m4 - 3.0).abs() < 5.0 * (96.0 / nf).sqrt(),
        "4th moment {m4}"
    );
    let below = z.iter().filter(|&&v| v < -1.0).count() as f64 / nf;
    // Φ(−1) = 0.158655…, binomial SE √(p(1−p)/N).
    assert!((below - 0.158_655_25).abs() < 5.0 * (0.1587 * 0.8413 / nf).sqrt());
}

// ------------------------------------------------------------------ errors

#[test]
fn bad_input_is_a_typed_error() {
    let net = relu_net(2);
    assert!(matches!(
        FiniteNetwork::new(net, 0, 8),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        FiniteNetwork::new(net, 3, 0),
        Err(Error::InvalidParameter { .. })
    ));
    let standard = net.with_standard_parameterization(&[16]).unwrap();
    assert!(matches!(
        FiniteNetwork::new(standard, 3, 8),
        Err(Error::DimensionMismatch { .. })
    ));
    let fnet = FiniteNetwork::new(net, 3, 8).unwrap();
    let (mut params, mut work) = buffers(&fnet, 2);
    fnet.init(&mut params, &mut rng(1)).unwrap();
    assert!(matches!(
        fnet.forward(&params, &[1.0, 2.0], &mut work),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        fnet.forward(&params, &[1.0, f64::NAN, 0.0], &mut work),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        fnet.forward(&params[1..], &X, &mut work),
        Err(Error::BufferTooSmall { .. })
    ));
    assert!(matches!(
        fnet.kernels(&params, &X, &Z, &mut work[1..]),
        Err(Error::BufferTooSmall { .. })
    ));
    assert!(matches!(
        fnet.monte_carlo(&mut rng(1), 1, &X, &Z, &mut params, &mut work),
        Err(Error::InvalidParameter { .. })
    ));
    let mut grad = vec![0.0; params.len() - 1];
    assert!(matches!(
        fnet.gradient(&params, &X, &mut grad, &mut work),
        Err(Error::BufferTooSmall { .. })
    ));
    let mut huge = params.clone();
    huge.iter_mut().for_each(|p| *p = 1e200);
    assert!(matches!(
        fnet.forward(&huge, &X, &mut work),
        Err(Error::NonFinite { .. })
    ));
}

#[test]
fn bad_training_settings_and_divergence_are_errors() {
    let fnet = FiniteNetwork::new(relu_net(1), 3, 32).unwrap();
    let (mut params, mut work) = buffers(&fnet, 2);
    fnet.init(&mut params, &mut rng(2)).unwrap();
    let xs = [X, Z].concat();
    let ys = [1.0, -1.0];
    let ok = Training {
        learning_rate: 0.2,
        max_steps: 10,
        tolerance: 0.0,
    };
    for bad in [
        Training {
            learning_rate: 0.0,
            ..ok
        },
        Training {
            learning_rate: f64::NAN,
            ..ok
        },
        Training {
            tolerance: -1.0,
            ..ok
        },
    ] {
        let kept = params.clone();
        let r = fnet.train(&mut params, &xs, &ys, None, &bad, &mut work);
        assert!(r.is_err(), "{bad:?}");
        assert_eq!(params, kept, "parameters untouched on bad settings");
    }
    assert!(matches!(
        fnet.train(&mut params, &xs, &ys, Some(&[0.0]), &ok, &mut work),
        Err(Error::DimensionMismatch { .. })
    ));
    let not_converged = fnet
        .train(&mut params, &xs, &ys, None, &ok, &mut work)
        .unwrap();
    assert_eq!(not_converged.steps, 10);
    assert!(!not_converged.converged);
    let huge = Training {
        learning_rate: 2e6,
        max_steps: 1000,
        tolerance: 0.0,
    };
    let diverged = fnet.train(&mut params, &xs, &ys, None, &huge, &mut work);
    assert!(
        matches!(diverged, Err(Error::NoConvergence { .. })),
        "{diverged:?}"
    );
    assert!(params.iter().all(|p| p.is_finite()));
}

// ---------------------------------------------------------------- training

/// Solves A·u = b (n ≤ 8) by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap();
        a.swap(c, p);
        b.swap(c, p);
        let pivot_row = a[c].clone();
        for r in c + 1..n {
            let m = a[r][c] / pivot_row[c];
            for (ark, ack) in a[r].iter_mut().zip(&pivot_row).skip(c) {
                *ark -= m * ack;
            }
            b[r] -= m * b[c];
        }
    }
    let mut u = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|k| a[r][k] * u[k]).sum();
        u[r] = (b[r] - s) / a[r][r];
    }
    u
}

/// Kernel regression at t = ∞ from zero: k(t, X)·k(X, X)⁻¹·y.
fn kernel_regression(
    mut k: impl FnMut(&[f64], &[f64]) -> f64,
    xs: &[[f64; 3]],
    ys: &[f64],
    t: &[f64],
) -> f64 {
    let gram = xs
        .iter()
        .map(|a| xs.iter().map(|b| k(a, b)).collect())
        .collect();
    let alpha = solve(gram, ys.to_vec());
    xs.iter().zip(&alpha).map(|(a, w)| k(t, a) * w).sum()
}

/// Trains `seeds` networks of width `width` on (xs, ys) from the centred
/// output f − f₀; returns, per network, the trained prediction at `test` and
/// the prediction of kernel regression with that network's own NTK at
/// initialisation (the t → ∞ limit of its linearisation).
fn trained_predictions(
    net: Network<f64>,
    width: usize,
    seeds: u64,
    xs: &[[f64; 3]],
    ys: &[f64],
    test: &[f64],
) -> Vec<(f64, f64)> {
    let flat: Vec<f64> = xs.concat();
    let fnet = FiniteNetwork::new(net, 3, width).unwrap();
    let (mut params, mut work) = buffers(&fnet, xs.len());
    let mut pair_work = vec![0.0; fnet.workspace_len(2)];
    let training = Training {
        learning_rate: 1.0,
        max_steps: 20_000,
        tolerance: 1e-12,
    };
    (0..seeds)
        .map(|s| {
            fnet.init(&mut params, &mut rng(7 * width as u64 + s))
                .unwrap();
            let own_ntk =
                |a: &[f64], b: &[f64]| fnet.kernels(&params, a, b, &mut pair_work).unwrap().ntk;
            let linearised = kernel_regression(own_ntk, xs, ys, test);
            let mut f0 = vec![0.0; xs.len()];
            fnet.forward_batch(&params, &flat, &mut f0, &mut work)
                .unwrap();
            let f0_test = fnet.forward(&params, test, &mut work).unwrap();
            let report = fnet
                .train(&mut params, &flat, ys, Some(&f0), &training, &mut work)
                .unwrap();
            assert!(report.converged, "{report:?}");
            let trained = fnet.forward(&params, test, &mut work).unwrap() - f0_test;
            (trained, linearised)
        })
        .collect()
}

/// Trains `seeds` networks at each of two widths w₀ < w₁ and checks them
/// against NTK kernel regression at t = ∞. Theory (Jacot et al. 2018; Lee et
/// al. 2019): the trained prediction p is kernel regression with Θ up to
/// fluctuations O(1/√w) (the random Θ̂₀) and a bias O(1/w); the network stays
/// within O(1/√w) of its own linearisation.
fn check_gd(net: Network<f64>, widths: [usize; 2], seeds: u64) {
    // Four training points, one test point, centred output, MSE < 1e-12.
    let xs = [
        [1.0, 0.0, 0.5],
        [0.0, 1.0, -0.5],
        [-1.0, 0.3, 0.2],
        [0.4, -0.8, 1.0],
    ];
    let ys = [1.0, -0.5, 0.3, 0.8];
    let test = [0.5, 0.5, 0.0];
    let infinite = kernel_regression(|a, b| net.kernels(a, b).unwrap().ntk, &xs, &ys, &test);
    let n = seeds as f64;
    let mut spread = Vec::new();
    let mut laziness = Vec::new();
    for width in widths {
        let runs = trained_predictions(net, width, seeds, &xs, &ys, &test);
        let mean = runs.iter().map(|r| r.0).sum::<f64>() / n;
        let sd = (runs.iter().map(|r| (r.0 - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let lazy = rms(runs.iter().map(|r| r.0 - r.1));
        eprintln!("w = {width}: mean {mean:.5} ± {:.5}, sd {sd:.4}, |p − linearised| rms {lazy:.2e}, NTK regression {infinite:.5}", sd / n.sqrt());
        // 1. Unbiased up to O(1/w): the seed mean within 4 standard errors.
        assert!(
            (mean - infinite).abs() <= 4.0 * sd / n.sqrt(),
            "w = {width}: mean prediction {mean} vs NTK regression {infinite}"
        );
        spread.push(sd);
        laziness.push(lazy);
    }
    // 2. The spread shrinks like 1/√w: ratio √(w₁/w₀). Each sd of S seeds has
    //    relative error ≈ 1/√(2(S−1)), so 4 SE of the log-ratio is 4/√(S−1).
    let expected = (widths[1] as f64 / widths[0] as f64).sqrt();
    let ratio = spread[0] / spread[1];
    let bound = 4.0 / (n - 1.0).sqrt();
    assert!(
        (ratio / expected).ln().abs() <= bound,
        "spread ratio {ratio}, expected {expected} within a factor e^{bound}"
    );
    // 3. Wider nets stay closer to their linearisation (ratio ≥ √(w₁/w₀)
    //    expected; asked: half of it).
    assert!(
        laziness[1] < laziness[0] / (expected / 2.0),
        "distance to the linearisation {laziness:?} does not shrink with width"
    );
}

#[test]
fn gradient_descent_tracks_ntk_regression() {
    check_gd(relu_net(1), [256, 4096], 16);
}

#[test]
#[ignore = "depth 3 up to width 2048: run with --release -- --ignored"]
fn deep_gradient_descent_tracks_ntk_regression() {
    check_gd(relu_net(3), [128, 2048], 16);
}

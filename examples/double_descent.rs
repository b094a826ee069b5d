//! Double descent (Belkin, Hsu, Ma & Mandal 2019) with random ReLU features,
//! and the NNGP kernel as its infinite-width limit.
//!
//! Data: n = 100 points uniform on the unit sphere S⁹ ⊂ ℝ¹⁰, target
//! f = Y₁ + Y₂ (unit-norm zonal harmonics of degree 1 and 2 along e₁, e₂),
//! labels with noise variance ε² = 0.1; test error E‖f − f̂‖² on 500 fresh
//! points. Model: p random features φ_j(x) = relu(√2·w_j·x/√d + 0.1·b_j)/√p,
//! w_j, b_j ~ N(0, 1) — the hidden layer of the crate's 1-hidden-layer ReLU
//! network (W_std √2, b_std 0.1), whose NNGP kernel is lim_{p→∞} φ(x)·φ(x').
//! Fit: the minimum-norm least-squares solution (ridgeless; a 1e-10 relative
//! jitter keeps the solve finite at p = n). The error peaks at p = n
//! (interpolation threshold) and descends again towards ridgeless NNGP
//! regression, whose eigenlearning prediction (spectrum from
//! `ntk::spectrum::sphere`) is drawn as well.
//!
//! Run: `cargo run --release --example double_descent` → out/double_descent.{svg,csv}

mod support;

use ntk::eigenlearning::{Spectrum, Target};
use ntk::spectrum::{
    gauss_legendre, sphere, sphere_multiplicity, zonal_polynomial, DotProductKernel,
};
use ntk::Activation;
use plotters::prelude::*;
use std::io::Write;
use support::{mean_sd, out_path, paper_net, Cholesky, Rng};

const D: usize = 10;
const N: usize = 100;
const N_TEST: usize = 500;
const NOISE: f64 = 0.1;
const TRIALS: usize = 20;
const W_STD: f64 = std::f64::consts::SQRT_2;
const B_STD: f64 = 0.1;

fn target(x: &[f64]) -> f64 {
    let y1 = sphere_multiplicity::<f64>(D, 1).sqrt() * zonal_polynomial(D, 1, x[0]);
    let y2 = sphere_multiplicity::<f64>(D, 2).sqrt() * zonal_polynomial(D, 2, x[1]);
    y1 + y2
}

/// Minimum-norm least squares: solves the smaller of the two normal systems.
fn min_norm_fit(phi: &[f64], n: usize, p: usize, y: &[f64]) -> Vec<f64> {
    let jitter = |g: &[f64], m: usize| 1e-10 * (0..m).map(|i| g[i * m + i]).sum::<f64>() / m as f64;
    if p <= n {
        // β = (ΦᵀΦ)⁻¹Φᵀy.
        let mut g = vec![0.0; p * p];
        for row in phi.chunks(p) {
            for a in 0..p {
                for b in 0..p {
                    g[a * p + b] += row[a] * row[b];
                }
            }
        }
        let mut beta: Vec<f64> = (0..p)
            .map(|a| phi.chunks(p).zip(y).map(|(row, yi)| row[a] * yi).sum())
            .collect();
        let j = jitter(&g, p);
        Cholesky::new(g, p, j)
            .expect("ΦᵀΦ + jitter is positive definite")
            .solve(&mut beta);
        beta
    } else {
        // β = Φᵀ(ΦΦᵀ)⁻¹y.
        let rows: Vec<&[f64]> = phi.chunks(p).collect();
        let g: Vec<f64> = (0..n * n)
            .map(|ab| {
                rows[ab / n]
                    .iter()
                    .zip(rows[ab % n])
                    .map(|(a, b)| a * b)
                    .sum()
            })
            .collect();
        let mut alpha = y.to_vec();
        let j = jitter(&g, n);
        Cholesky::new(g, n, j)
            .expect("ΦΦᵀ + jitter is positive definite")
            .solve(&mut alpha);
        (0..p)
            .map(|a| rows.iter().zip(&alpha).map(|(row, al)| row[a] * al).sum())
            .collect()
    }
}

fn features(x: &[Vec<f64>], w: &[f64], b: &[f64], p: usize) -> Vec<f64> {
    let scale = 1.0 / (p as f64).sqrt();
    x.iter()
        .flat_map(|xi| {
            (0..p).map(move |j| {
                let u = W_STD
                    * w[j * D..(j + 1) * D]
                        .iter()
                        .zip(xi)
                        .map(|(a, c)| a * c)
                        .sum::<f64>()
                    / (D as f64).sqrt()
                    + B_STD * b[j];
                u.max(0.0) * scale
            })
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = Rng::new(11);
    let net = paper_net(1, Activation::Relu, W_STD, B_STD);
    let kern = DotProductKernel::unit_sphere(&net, D)?;
    let mut ps: Vec<usize> = (0..31)
        .map(|i| (5.0 * 1000f64.powf(i as f64 / 30.0)).round() as usize)
        .collect();
    ps.extend([N - 10, N - 5, N, N + 5, N + 10]);
    ps.sort_unstable();
    ps.dedup();
    let mut errors = vec![Vec::new(); ps.len()];
    let mut kernel_errors = Vec::new();
    for _ in 0..TRIALS {
        let train: Vec<Vec<f64>> = (0..N).map(|_| rng.sphere_point(D)).collect();
        let test: Vec<Vec<f64>> = (0..N_TEST).map(|_| rng.sphere_point(D)).collect();
        let y: Vec<f64> = train
            .iter()
            .map(|x| target(x) + NOISE.sqrt() * rng.normal())
            .collect();
        let f_test: Vec<f64> = test.iter().map(|x| target(x)).collect();
        let mse = |pred: &[f64]| {
            pred.iter()
                .zip(&f_test)
                .map(|(p, f)| (p - f).powi(2))
                .sum::<f64>()
                / N_TEST as f64
        };
        for (pi, &p) in ps.iter().enumerate() {
            let w: Vec<f64> = (0..p * D).map(|_| rng.normal()).collect();
            let b: Vec<f64> = (0..p).map(|_| rng.normal()).collect();
            let beta = min_norm_fit(&features(&train, &w, &b, p), N, p, &y);
            let phi_test = features(&test, &w, &b, p);
            let pred: Vec<f64> = phi_test
                .chunks(p)
                .map(|row| row.iter().zip(&beta).map(|(a, c)| a * c).sum())
                .collect();
            errors[pi].push(mse(&pred));
        }
        // The p → ∞ limit: ridgeless NNGP kernel regression.
        let dot = |a: &[f64], c: &[f64]| {
            a.iter()
                .zip(c)
                .map(|(u, v)| u * v)
                .sum::<f64>()
                .clamp(-1.0, 1.0)
        };
        let g: Vec<f64> = (0..N * N)
            .map(|ab| kern.nngp(dot(&train[ab / N], &train[ab % N])))
            .collect();
        let mut alpha = y.clone();
        Cholesky::new(g, N, 1e-12)
            .expect("NNGP Gram positive definite")
            .solve(&mut alpha);
        let pred: Vec<f64> = test
            .iter()
            .map(|t| {
                train
                    .iter()
                    .zip(&alpha)
                    .map(|(x, a)| kern.nngp(dot(t, x)) * a)
                    .sum()
            })
            .collect();
        kernel_errors.push(mse(&pred));
    }
    // Eigenlearning for the NNGP on S⁹ (k ≤ 60, tail folded into the ridge).
    let (mut x, mut w) = (vec![0.0; 300], vec![0.0; 300]);
    gauss_legendre(&mut x, &mut w)?;
    let mut lam = vec![0.0; 61];
    let tail = sphere(D, |t| kern.nngp(t), &x, &w, &mut lam)?;
    let mult: Vec<f64> = (0..61).map(|k| sphere_multiplicity(D, k)).collect();
    let weights: Vec<f64> = (0..61)
        .map(|k| if k == 1 || k == 2 { 1.0 } else { 0.0 })
        .collect();
    let spec = Spectrum::levels(&lam, &mult)?.with_tail(tail)?;
    let theory = spec
        .solve(N as f64, 0.0)?
        .test_mse(&Target::level_weights(&weights)?.with_noise(NOISE)?)?
        - NOISE;

    let mut csv = std::fs::File::create(out_path("double_descent.csv"))?;
    writeln!(
        csv,
        "p,test_error_mean,test_error_sd,test_error_median,trials"
    )?;
    let stats: Vec<(usize, f64, f64, f64)> = ps
        .iter()
        .zip(&errors)
        .map(|(&p, e)| {
            let (m, sd) = mean_sd(e);
            let mut sorted = e.clone();
            sorted.sort_by(f64::total_cmp);
            (p, m, sd, sorted[sorted.len() / 2])
        })
        .collect();
    for &(p, m, sd, med) in &stats {
        writeln!(csv, "{p},{m},{sd},{med},{TRIALS}")?;
    }
    let (km, ksd) = mean_sd(&kernel_errors);
    writeln!(csv, "inf_nngp_kernel,{km},{ksd},,{TRIALS}")?;
    writeln!(csv, "inf_eigenlearning_theory,{theory},,,")?;
    let peak = stats.iter().max_by(|a, b| a.3.total_cmp(&b.3)).unwrap();
    println!("random ReLU features, n = {N}, d = {D}, ε² = {NOISE}, {TRIALS} trials per p");
    for &(p, m, sd, med) in stats
        .iter()
        .filter(|s| [5, 20, 50, N - 10, N, N + 10, 200, 1000, 5000].contains(&s.0))
    {
        println!("p = {p:>5}: test error median {med:>10.4}, mean {m:>10.4} ± {sd:.4}");
    }
    println!("peak of the median at p = {} ({:.3})", peak.0, peak.3);
    println!(
        "NNGP kernel regression (p → ∞): {km:.4} ± {:.4}; eigenlearning prediction {theory:.4}",
        ksd / (TRIALS as f64).sqrt()
    );

    let path = out_path("double_descent.svg");
    let root = SVGBackend::new(&path, (900, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let y_max = stats.iter().map(|s| s.3).fold(km, f64::max) * 2.0;
    let y_min = stats.iter().map(|s| s.3).fold(km, f64::min).min(theory) * 0.5;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("Double descent: random ReLU features, n = {N} (median of {TRIALS} trials)"),
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((4f64..6000f64).log_scale(), (y_min..y_max).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("number of features p")
        .y_desc("test error E‖f − f̂‖²")
        .draw()?;
    let blue = RGBColor(31, 119, 180);
    chart
        .draw_series(LineSeries::new(
            stats.iter().map(|s| (s.0 as f64, s.3)),
            blue.stroke_width(2),
        ))?
        .label("random features (min-norm least squares)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], blue.stroke_width(2)));
    chart.draw_series(
        stats
            .iter()
            .map(|s| Circle::new((s.0 as f64, s.3), 3, blue.filled())),
    )?;
    let red = RGBColor(214, 39, 40);
    chart
        .draw_series(LineSeries::new(
            vec![(4.0, km), (6000.0, km)],
            red.stroke_width(2),
        ))?
        .label("NNGP kernel regression (p → ∞)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], red.stroke_width(2)));
    chart
        .draw_series(DashedLineSeries::new(
            vec![(4.0, theory), (6000.0, theory)],
            6,
            4,
            BLACK.stroke_width(2),
        ))?
        .label("eigenlearning prediction for the NNGP")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLACK.stroke_width(2)));
    chart.draw_series(DashedLineSeries::new(
        vec![(N as f64, y_min), (N as f64, y_max)],
        4,
        4,
        RGBColor(120, 120, 120).into(),
    ))?;
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.85))
        .draw()?;
    root.present()?;
    println!("wrote out/double_descent.svg and out/double_descent.csv");
    Ok(())
}

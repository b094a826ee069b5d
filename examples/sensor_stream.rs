//! On-device style learning: a noisy sensor stream, a sliding window of the
//! last N = 32 samples, online NTK regression in f32 with its uncertainty
//! band, all in fixed memory (`Regressor<f32, 32, 2>`, 4.9 KiB, no heap).
//!
//! Each sample is `push`ed (O(N²): drop the oldest by a Givens downdate,
//! add the new one by a Cholesky row extension, never a refactorisation);
//! the model then estimates the signal at the current time. The ridge is
//! chosen once, by leave-one-out error, when the window first fills.
//!
//! Time enters as a point on a circle, x = (cos 2πt/P, sin 2πt/P), with a
//! period P longer than the stream, so the kernel depends only on time
//! differences.
//!
//!     cargo run --release --example sensor_stream     # writes target/sensor_stream.svg

use ntk::regression::{Regime, Regressor, Ridge};
use ntk::{Activation, Network};
use plotters::prelude::*;
use std::time::Instant;

const N: usize = 32;
const SAMPLES: usize = 400;
const DT: f32 = 0.05;
const PERIOD: f32 = 60.0;
const NOISE: f32 = 0.15;
/// How far ahead the forecast looks (10 samples).
const LEAD: f32 = 0.5;

fn signal(t: f32) -> f32 {
    t.sin() + 0.4 * (2.7 * t).sin() + 0.1 * t
}

fn embed(t: f32) -> [f32; 2] {
    let a = core::f32::consts::TAU * t / PERIOD;
    [a.cos(), a.sin()]
}

/// A deterministic noise source (xorshift + Box–Muller): no extra dependency.
struct Noise(u64);

impl Noise {
    fn uniform(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        ((self.0 >> 40) as f32 + 0.5) / (1u64 << 24) as f32
    }
    fn gaussian(&mut self) -> f32 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (core::f32::consts::TAU * v).cos()
    }
}

struct Step {
    t: f32,
    truth: f32,
    sample: f32,
    mean: f32,
    /// Forecast of the signal at t + LEAD, and its std.
    ahead: f32,
    ahead_std: f32,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let net = Network::<f32>::new(3, Activation::Relu)?.with_std(1.5, Some(0.05))?;
    let mut reg =
        Regressor::<f32, N, 2>::new(net, Regime::Ntk, Ridge::RelativeToMeanDiagonal(1e-2))?;
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
    let mut steps = Vec::with_capacity(SAMPLES);
    let mut chosen = None;
    let mut push_time = 0.0f64;
    for k in 0..SAMPLES {
        let t = k as f32 * DT;
        let sample = signal(t) + NOISE * noise.gaussian();
        let start = Instant::now();
        reg.push(embed(t), [sample]).map_err(|r| r.error)?;
        push_time += start.elapsed().as_secs_f64();
        if reg.len() == N && chosen.is_none() {
            let grid = [1e-4, 1e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0];
            chosen = Some(reg.choose_ridge(&grid)?);
        }
        let [mean] = reg.predict(&embed(t))?;
        let ([ahead], var) = reg.predict_with_variance(&embed(t + LEAD))?;
        steps.push(Step {
            t,
            truth: signal(t),
            sample,
            mean,
            ahead,
            ahead_std: var.sqrt(),
        });
    }
    let warm = &steps[N..];
    let rms = |f: &dyn Fn(&Step) -> f32| {
        (warm.iter().map(|s| f(s).powi(2)).sum::<f32>() / warm.len() as f32).sqrt()
    };
    let raw = rms(&|s| s.sample - s.truth);
    let est = rms(&|s| s.mean - s.truth);
    let ahead = rms(&|s| s.ahead - signal(s.t + LEAD));
    let covered = warm
        .iter()
        .filter(|s| (s.ahead - signal(s.t + LEAD)).abs() <= 2.0 * s.ahead_std)
        .count();
    let (ridge, loo) = chosen.expect("the window fills");
    println!("sensor stream: {SAMPLES} samples, noise σ = {NOISE}, sliding window N = {N}, NTK of ReLU depth 3, f32");
    println!(
        "  regressor size: {} bytes inline (no heap)",
        core::mem::size_of_val(&reg)
    );
    println!("  ridge chosen by leave-one-out on the first window: {ridge:?} (LOO MSE {loo:.4}, λ = {:.3e})", reg.lambda());
    println!("  RMS error vs the true signal: raw samples {raw:.4}, online NTK estimate {est:.4} ({:.1}x lower)", raw / est);
    println!(
        "  forecast {LEAD} ahead: RMS error {ahead:.4}; truth within forecast ± 2 std (trained-ensemble spread): {:.1}% of {} steps",
        100.0 * covered as f64 / warm.len() as f64,
        warm.len()
    );
    println!(
        "  mean time per push (downdate + extend + re-solve): {:.1} µs",
        1e6 * push_time / SAMPLES as f64
    );

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/target/sensor_stream.svg");
    let root = SVGBackend::new(path, (1000, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let (lo, hi) = steps.iter().fold((f32::MAX, f32::MIN), |(l, h), s| {
        (l.min(s.sample), h.max(s.sample))
    });
    let mut chart = ChartBuilder::on(&root)
        .caption(format!("online NTK regression, sliding window N = {N}; forecast {LEAD} ahead ± 2 std of the trained ensemble"), ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(35)
        .y_label_area_size(45)
        .build_cartesian_2d(0f32..SAMPLES as f32 * DT + LEAD, (lo - 0.6)..(hi + 0.6))?;
    chart
        .configure_mesh()
        .x_desc("time")
        .y_desc("sensor value")
        .draw()?;
    let band: Vec<(f32, f32)> = warm
        .iter()
        .map(|s| (s.t + LEAD, s.ahead + 2.0 * s.ahead_std))
        .chain(
            warm.iter()
                .rev()
                .map(|s| (s.t + LEAD, s.ahead - 2.0 * s.ahead_std)),
        )
        .collect();
    chart
        .draw_series(std::iter::once(Polygon::new(band, BLUE.mix(0.2))))?
        .label("forecast ± 2 std")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 15, y + 5)], BLUE.mix(0.2).filled()));
    chart
        .draw_series(
            steps
                .iter()
                .map(|s| Circle::new((s.t, s.sample), 2, BLACK.mix(0.4).filled())),
        )?
        .label("noisy samples")
        .legend(|(x, y)| Circle::new((x + 7, y), 2, BLACK.filled()));
    chart
        .draw_series(LineSeries::new(
            steps.iter().map(|s| (s.t, s.truth)),
            GREEN.stroke_width(2),
        ))?
        .label("true signal")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 15, y)], GREEN));
    chart
        .draw_series(LineSeries::new(
            warm.iter().map(|s| (s.t, s.mean)),
            BLUE.stroke_width(2),
        ))?
        .label("online estimate (now)")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 15, y)], BLUE));
    chart
        .draw_series(LineSeries::new(
            warm.iter().map(|s| (s.t + LEAD, s.ahead)),
            RED.stroke_width(1),
        ))?
        .label("forecast")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 15, y)], RED));
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .draw()?;
    root.present()?;
    println!("  plot: {path}");
    Ok(())
}

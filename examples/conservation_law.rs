//! The conservation of learnability (eigenlearning paper, TMLR Fig. 1).
//!
//! Domain: the unit circle discretised to M = 10 points; the 10 orthonormal
//! eigenfunctions 1, √2 cos kθ, √2 sin kθ, (−1)ʲ are the targets. For one
//! random training set of n = 3 or 6 points per architecture, NTK regression
//! (ridge 0) learns each eigenfunction ψ_j to a D-learnability ⟨ψ_j, f̂_j⟩;
//! these sum to n exactly, whatever the architecture: a kernel can only
//! redistribute a fixed budget of learnability among the functions.
//!
//! Architectures: ReLU (W_std √2, b_std 0.1) and Erf (W_std 1.5, b_std 0.1)
//! networks of 1 and 4 hidden layers (ReLU1, ReLU4, Erf1, Erf4), readout W_std 1, b_std 0. Bars:
//! "kernel" = exact fixed-dataset learnabilities (`FixedDataset`), "theory" =
//! eigenlearning's expected mode learnabilities Lᵢ = λᵢ/(λᵢ + κ), "net" =
//! finite networks of width 500 (`ntk::finite`, one initialisation per
//! architecture and n, shared by the 10 targets) trained by full-batch
//! gradient descent on the centred output f − f₀ (MSE loss, learning rate
//! 0.5, ≤ 10 000 steps, stop at train MSE < 10⁻⁵), as in the paper.
//!
//! Run: `cargo run --release --example conservation_law` → out/conservation_law.{svg,csv}

mod support;

use ntk::eigenlearning::conservation::FixedDataset;
use ntk::eigenlearning::Spectrum;
use ntk::finite::{FiniteNetwork, Training};
use ntk::spectrum::{circle, circle_eigenfunction, DotProductKernel};
use ntk::Activation;
use plotters::prelude::*;
use rand_core::SeedableRng;
use rayon::prelude::*;
use std::io::Write;
use support::{out_path, paper_net, Rng};

const M: usize = 10;
const WIDTH: usize = 500;
const TRAINING: Training<f64> = Training {
    learning_rate: 1.0,
    max_steps: 10_000,
    tolerance: 1e-5,
};

/// The M circle points (cos θ_j, sin θ_j), row-major.
fn circle_points() -> Vec<f64> {
    (0..M)
        .flat_map(|j| {
            let th = 2.0 * std::f64::consts::PI * j as f64 / M as f64;
            [th.cos(), th.sin()]
        })
        .collect()
}

/// D-learnabilities of the 10 eigenfunctions for a trained width-500 net
/// (one initialisation, trained once per target, in parallel), and the
/// largest number of GD steps any target needed.
fn trained_bar(
    net: ntk::Network<f64>,
    train: &[usize],
    seed: u64,
) -> Result<([f64; M], usize, usize), ntk::Error> {
    let fnet = FiniteNetwork::new(net, 2, WIDTH)?;
    let mut params0 = vec![0.0; fnet.param_len()];
    fnet.init(
        &mut params0,
        &mut rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed),
    )?;
    let points = circle_points();
    let xs: Vec<f64> = train
        .iter()
        .flat_map(|&a| [points[2 * a], points[2 * a + 1]])
        .collect();
    let mut f0 = [0.0; M];
    fnet.forward_batch(
        &params0,
        &points,
        &mut f0,
        &mut vec![0.0; fnet.workspace_len(M)],
    )?;
    let f0_train: Vec<f64> = train.iter().map(|&a| f0[a]).collect();
    let results: Vec<Result<(f64, usize, bool), ntk::Error>> = (0..M)
        .into_par_iter()
        .map(|j| {
            let mut params = params0.clone();
            let mut work = vec![0.0; fnet.workspace_len(M)];
            let ys: Vec<f64> = train
                .iter()
                .map(|&a| circle_eigenfunction(M, j, a))
                .collect();
            let report =
                fnet.train(&mut params, &xs, &ys, Some(&f0_train), &TRAINING, &mut work)?;
            let mut f = [0.0; M];
            fnet.forward_batch(&params, &points, &mut f, &mut work)?;
            let learn = (0..M)
                .map(|x| circle_eigenfunction::<f64>(M, j, x) * (f[x] - f0[x]))
                .sum::<f64>()
                / M as f64;
            Ok((learn, report.steps, report.converged))
        })
        .collect();
    let mut bar = [0.0; M];
    let (mut max_steps, mut unconverged) = (0, 0);
    for (b, r) in bar.iter_mut().zip(results) {
        let (learn, steps, converged) = r?;
        *b = learn;
        max_steps = max_steps.max(steps);
        unconverged += usize::from(!converged);
    }
    Ok((bar, max_steps, unconverged))
}

struct Bar {
    arch: &'static str,
    n: usize,
    source: &'static str,
    values: [f64; M],
}

fn architectures() -> Vec<(&'static str, ntk::Network<f64>)> {
    let erf = Activation::Erf {
        a: 1.0,
        b: 1.0,
        c: 0.0,
    };
    vec![
        ("ReLU1", paper_net(1, Activation::Relu, 2f64.sqrt(), 0.1)),
        ("ReLU4", paper_net(4, Activation::Relu, 2f64.sqrt(), 0.1)),
        ("Erf1", paper_net(1, erf, 1.5, 0.1)),
        ("Erf4", paper_net(4, erf, 1.5, 0.1)),
    ]
}

fn plot(bars: &[Bar]) -> Result<(), Box<dyn std::error::Error>> {
    let path = out_path("conservation_law.svg");
    let root = SVGBackend::new(&path, (1900, 600)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(
        "Conservation of learnability: circle, M = 10 (stacked: the 10 eigenfunctions)",
        ("sans-serif", 22),
    )?;
    let panels = root.split_evenly((1, 2));
    let colors: Vec<RGBColor> = (0..M)
        .map(|j| HSLColor(j as f64 / M as f64, 0.6, 0.5).to_rgba().rgb())
        .map(|(r, g, b)| RGBColor(r, g, b))
        .collect();
    for (panel, n) in panels.iter().zip([3usize, 6]) {
        let these: Vec<&Bar> = bars.iter().filter(|b| b.n == n).collect();
        let mut chart = ChartBuilder::on(panel)
            .caption(format!("n = {n}"), ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(50)
            .y_label_area_size(40)
            .build_cartesian_2d(-0.6f64..these.len() as f64 - 0.4, 0f64..7.5)?;
        let labels: Vec<String> = these
            .iter()
            .map(|b| format!("{} {}", b.arch, b.source))
            .collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(these.len())
            .x_label_formatter(&|x| {
                labels
                    .get(x.round() as usize)
                    .filter(|_| (x - x.round()).abs() < 1e-6)
                    .cloned()
                    .unwrap_or_default()
            })
            .y_desc("Σ learnability")
            .draw()?;
        for (i, bar) in these.iter().enumerate() {
            let mut bottom = 0.0;
            for (j, &v) in bar.values.iter().enumerate() {
                let v = v.max(0.0);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(i as f64 - 0.35, bottom), (i as f64 + 0.35, bottom + v)],
                    colors[j].filled(),
                )))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(i as f64 - 0.35, bottom), (i as f64 + 0.35, bottom + v)],
                    BLACK.stroke_width(1),
                )))?;
                bottom += v;
            }
        }
        chart.draw_series(DashedLineSeries::new(
            vec![(-0.6, n as f64), (these.len() as f64 - 0.4, n as f64)],
            6,
            4,
            BLACK.stroke_width(2),
        ))?;
    }
    root.present()?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = Rng::new(42);
    let mut bars = Vec::new();
    for (name, net) in architectures() {
        let kern = DotProductKernel::unit_sphere(&net, 2)?;
        let kernel = |a: usize, b: usize| {
            kern.ntk((2.0 * std::f64::consts::PI * (a as f64 - b as f64) / M as f64).cos())
        };
        let mut lam = [0.0; M];
        circle(|t| kern.ntk(t), &mut lam)?;
        let spec = Spectrum::modes(&lam)?;
        for n in [3usize, 6] {
            let train = rng.subset(M, n);
            let (mut factor, mut work, mut kernel_bar) = ([0.0; 36], [0.0; 12], [0.0; M]);
            let dataset = FixedDataset::new(kernel, &train, 0.0)?;
            dataset.learnabilities(
                |j, x| circle_eigenfunction(M, j, x),
                &mut factor,
                &mut work,
                &mut kernel_bar,
            )?;
            let mut theory_bar = [0.0; M];
            spec.solve(n as f64, 0.0)?.learnabilities(&mut theory_bar)?;
            let start = std::time::Instant::now();
            let (net_bar, steps, unconverged) = trained_bar(net, &train, 1000 + n as u64)?;
            eprintln!(
                "{name} n={n}: trained 10 width-{WIDTH} nets in {:.1} s (≤ {steps} GD steps, {unconverged} not below 1e-5)",
                start.elapsed().as_secs_f64()
            );
            for (source, values) in [
                ("kernel", kernel_bar),
                ("net", net_bar),
                ("theory", theory_bar),
            ] {
                bars.push(Bar {
                    arch: name,
                    n,
                    source,
                    values,
                });
            }
        }
    }
    let mut csv = std::fs::File::create(out_path("conservation_law.csv"))?;
    write!(csv, "architecture,n,source,sum")?;
    (0..M).try_for_each(|j| write!(csv, ",L{j}"))?;
    writeln!(csv)?;
    println!(
        "{:<10} {:>2} {:<8} {:>20}  learnabilities of the 10 eigenfunctions",
        "arch", "n", "source", "sum"
    );
    for b in &bars {
        let sum: f64 = b.values.iter().sum();
        write!(csv, "{},{},{},{sum:.17}", b.arch, b.n, b.source)?;
        b.values.iter().try_for_each(|v| write!(csv, ",{v:.17}"))?;
        writeln!(csv)?;
        let shown: Vec<String> = b.values.iter().map(|v| format!("{v:.3}")).collect();
        println!(
            "{:<10} {:>2} {:<8} {:>20.16}  {}",
            b.arch,
            b.n,
            b.source,
            sum,
            shown.join(" ")
        );
    }
    for source in ["kernel", "theory", "net"] {
        let worst = bars
            .iter()
            .filter(|b| b.source == source)
            .map(|b| (b.values.iter().sum::<f64>() - b.n as f64).abs())
            .fold(0.0, f64::max);
        println!("largest |Σ learnability − n| over the {source} bars: {worst:.2e}");
    }
    plot(&bars)?;
    println!("wrote out/conservation_law.svg and out/conservation_law.csv");
    Ok(())
}

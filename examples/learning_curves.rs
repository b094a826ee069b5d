//! Learnability and test MSE against n (eigenlearning paper, TMLR Fig. 2 A–C / E–G).
//!
//! Three domains, the paper's NTK (4 hidden ReLU layers, W_std √2, b_std 0.1,
//! readout 1, 0), ridge 0, no noise:
//! * the unit circle discretised to M = 256 points, targets √2 cos kθ, k ∈ {0, 2, 5, 10};
//! * the 8-cube {±1}⁸, parities of the first k bits, k ∈ {0, 1, 3, 8};
//! * the 7-sphere S⁷ (unit-norm inputs), zonal harmonics √N(8,k)·P_k(x₁), k = 0 … 4.
//!
//! Lines: eigenlearning theory (continuous n, spectra from `ntk::spectrum`;
//! the sphere with k_max = 60 and the tail folded into the ridge). Points:
//! NTK kernel regression, mean ± sd over `TRIALS` random training sets
//! (without replacement on the finite domains, i.i.d. on the sphere; test
//! set = the whole finite domain, or 256 fresh sphere points). Triangles
//! (all three domains, n = 6 and 22, `NET_TRIALS` = 4 trials): trained
//! width-500 networks of the same architecture (`ntk::finite`, full-batch GD
//! on the centred output f − f₀, lr 0.5, stop at train MSE 1e-5 or after
//! 3 000 steps; the count of capped runs is printed). GD at this width
//! costs ≈ 3·n·7.6·10⁵ flops a step; on the circle adjacent training points
//! make the NTK Gram ill-conditioned and 6 of the 32 runs never reach the
//! tolerance (the same 6 at the paper's 10 000 steps, which made the run take
//! 16 min instead of 6.4 min on 2 shared cores) — larger n is left out.
//!
//! Run: `cargo run --release --example learning_curves` → out/learning_curves.{svg,csv}

mod support;

use ntk::eigenlearning::{Spectrum, Target};
use ntk::finite::{FiniteNetwork, Training};
use ntk::spectrum::{
    circle, circle_eigenfunction, gauss_legendre, hypercube, hypercube_multiplicity, sphere,
    sphere_multiplicity, zonal_polynomial, DotProductKernel,
};
use ntk::Activation;
use plotters::prelude::*;
use rand_core::SeedableRng;
use rayon::prelude::*;
use std::io::Write;
use support::{mean_sd, out_path, paper_net, Cholesky, Rng};

const TRIALS: usize = 30;
const NS: [usize; 9] = [2, 3, 6, 12, 22, 41, 76, 139, 256];
const K_MAX_SPHERE: usize = 60;
/// Trained networks (GD at width 500 costs ≈ 3·n·7.6·10⁵ flops a step).
const NET_NS: [usize; 2] = [6, 22];
const NET_TRIALS: usize = 4;
const WIDTH: usize = 500;
/// GD stops at this train MSE (the paper's `stop_mse`) …
const STOP_MSE: f64 = 1e-5;
/// … or after this many steps (the paper's `n_epochs` is 10 000; the runs that
/// reach 3 000 on the circle never converge, so the cap only saves time).
const MAX_STEPS: usize = 3_000;

/// (n, learnability mean ± sd, test MSE mean ± sd) of kernel regression.
type Measured = (usize, (f64, f64), (f64, f64));

/// Mean ± sd of the (learnability, MSE) pairs of the trials at n.
fn summarise(n: usize, trials: &[(f64, f64)]) -> Measured {
    let l: Vec<f64> = trials.iter().map(|r| r.0).collect();
    let e: Vec<f64> = trials.iter().map(|r| r.1).collect();
    (n, mean_sd(&l), mean_sd(&e))
}

/// One theory curve and its measured points for one target.
struct Curve {
    k: usize,
    theory: Vec<(f64, f64, f64)>,
    points: Vec<Measured>,
    /// Theory (L, MSE) exactly at each point's n.
    theory_at_points: Vec<(f64, f64)>,
    /// Trained finite networks.
    net_points: Vec<Measured>,
}

impl Curve {
    fn new(k: usize, spec: &Spectrum<f64>, target: &Target<f64>, points: Vec<Measured>) -> Self {
        let theory = theory_ns().map(|n| {
            let (l, e) = theory_at(spec, target, n);
            (n, l, e)
        });
        let theory_at_points = points
            .iter()
            .map(|p| theory_at(spec, target, p.0 as f64))
            .collect();
        Curve {
            k,
            theory: theory.collect(),
            points,
            theory_at_points,
            net_points: Vec::new(),
        }
    }
}

fn theory_at(spec: &Spectrum<f64>, target: &Target<f64>, n: f64) -> (f64, f64) {
    let sol = spec.solve(n, 0.0).expect("κ");
    (
        sol.target_learnability(target).expect("L"),
        sol.test_mse(target).expect("MSE"),
    )
}

struct Panel {
    name: &'static str,
    curves: Vec<Curve>,
    /// GD runs of trained nets that hit `MAX_STEPS`, of all runs.
    unconverged: (usize, usize),
}

impl Panel {
    fn new(name: &'static str, mut curves: Vec<Curve>, nets: NetPoints) -> Self {
        for (c, p) in curves.iter_mut().zip(nets.per_target) {
            c.net_points = p;
        }
        Panel {
            name,
            curves,
            unconverged: (nets.unconverged, nets.runs),
        }
    }
}

/// n on the theory grid: 2^(8i/49), i = 0 … 49.
fn theory_ns() -> impl Iterator<Item = f64> {
    (0..50).map(|i| 2f64.powf(8.0 * i as f64 / 49.0))
}

/// (learnability, test MSE) of each target for NTK regression (ridge 0) from
/// train Gram (n×n), test×train kernel, labels on train and test points.
fn krr_scores(
    gram: Vec<f64>,
    cross: &[f64],
    y_train: &[Vec<f64>],
    y_test: &[Vec<f64>],
) -> Vec<(f64, f64)> {
    let n = y_train[0].len();
    let trace: f64 = (0..n).map(|i| gram[i * n + i]).sum();
    // Ridgeless, but a 1e-12 relative jitter keeps Cholesky alive at n = M.
    let chol = Cholesky::new(gram, n, 1e-12 * trace / n as f64).expect("Gram positive definite");
    y_train
        .iter()
        .zip(y_test)
        .map(|(ytr, yte)| {
            let mut alpha = ytr.clone();
            chol.solve(&mut alpha);
            let pred: Vec<f64> = cross
                .chunks(n)
                .map(|row| row.iter().zip(&alpha).map(|(k, a)| k * a).sum())
                .collect();
            scores(yte, &pred)
        })
        .collect()
}

/// (learnability Σ y·ŷ / Σ y², test MSE mean (y − ŷ)²) of predictions ŷ of y.
fn scores(y: &[f64], pred: &[f64]) -> (f64, f64) {
    let yy: f64 = y.iter().map(|v| v * v).sum();
    let learn = y.iter().zip(pred).map(|(a, b)| a * b).sum::<f64>() / yy;
    let mse = y
        .iter()
        .zip(pred)
        .map(|(a, b)| (a - b).powi(2))
        .sum::<f64>()
        / y.len() as f64;
    (learn, mse)
}

/// Kernel regression on a finite domain (Gram `g`, M points, all of them the
/// test set), targets given by their values on the domain.
fn finite_domain_points(
    g: &[f64],
    m: usize,
    targets: &[Vec<f64>],
    rng: &mut Rng,
) -> Vec<Vec<Measured>> {
    let mut out = vec![Vec::new(); targets.len()];
    for &n in &NS {
        let mut scores = vec![Vec::new(); targets.len()];
        for _ in 0..TRIALS {
            let train = rng.subset(m, n);
            let gram: Vec<f64> = train
                .iter()
                .flat_map(|&a| train.iter().map(move |&b| g[a * m + b]))
                .collect();
            let cross: Vec<f64> = (0..m)
                .flat_map(|x| train.iter().map(move |&b| g[x * m + b]))
                .collect();
            let ytr: Vec<Vec<f64>> = targets
                .iter()
                .map(|t| train.iter().map(|&a| t[a]).collect())
                .collect();
            for (s, r) in scores
                .iter_mut()
                .zip(krr_scores(gram, &cross, &ytr, targets))
            {
                s.push(r);
            }
        }
        for (o, s) in out.iter_mut().zip(scores) {
            o.push(summarise(n, &s));
        }
    }
    out
}

fn circle_panel(rng: &mut Rng) -> Panel {
    let m = 256;
    let net = paper_net(4, Activation::Relu, 2f64.sqrt(), 0.1);
    let kern = DotProductKernel::unit_sphere(&net, 2).expect("kernel");
    let f1 = kern.ntk(1.0);
    let mut lam = vec![0.0; m];
    circle(|t| kern.ntk(t) / f1, &mut lam).expect("circle spectrum");
    let spec = Spectrum::modes(&lam).expect("spectrum");
    let g: Vec<f64> = (0..m * m)
        .map(|ab| {
            kern.ntk(
                (2.0 * std::f64::consts::PI * ((ab / m) as f64 - (ab % m) as f64) / m as f64).cos(),
            ) / f1
        })
        .collect();
    let ks = [0usize, 2, 5, 10];
    let targets: Vec<Vec<f64>> = ks
        .iter()
        .map(|&k| (0..m).map(|j| circle_eigenfunction(m, k, j)).collect())
        .collect();
    let points = finite_domain_points(&g, m, &targets, rng);
    let curves = ks
        .iter()
        .zip(points)
        .map(|(&k, points)| {
            let coef: Vec<f64> = (0..m).map(|i| if i == k { 1.0 } else { 0.0 }).collect();
            let target = Target::coefficients(&coef).expect("target");
            Curve::new(k, &spec, &target, points)
        })
        .collect();
    let inputs: Vec<f64> = (0..m)
        .flat_map(|j| {
            let t = 2.0 * std::f64::consts::PI * j as f64 / m as f64;
            [t.cos(), t.sin()]
        })
        .collect();
    let nets = finite_domain_nets(net, 2, &inputs, &targets, rng);
    Panel::new("unit circle, M = 256", curves, nets)
}

/// One trial of trained networks: training inputs (n × d) and per-target
/// labels, test inputs (m × d) and per-target labels.
struct NetTrial {
    xs: Vec<f64>,
    ys: Vec<Vec<f64>>,
    test_xs: Vec<f64>,
    test_ys: Vec<Vec<f64>>,
}

/// Trained-network points: per n in `NET_NS` the mean ± sd over the
/// `NET_TRIALS` trials drawn by `draw(n)`, and the number of GD runs that
/// hit `MAX_STEPS` before the train MSE fell below `STOP_MSE`.
struct NetPoints {
    per_target: Vec<Vec<Measured>>,
    unconverged: usize,
    runs: usize,
}

/// Learnability and test MSE of trained width-`WIDTH` networks (the paper's
/// architecture, `ntk::finite`): per trial one initialisation (seeded by n,
/// trial), then one full-batch GD run per target on the centred output
/// f − f₀ (MSE loss, lr 0.5, ≤ `MAX_STEPS` steps, stop at train MSE <
/// `STOP_MSE`). The (trial, target) runs are spread over rayon's threads.
fn trained_net_points(
    net: ntk::Network<f64>,
    d: usize,
    targets: usize,
    mut draw: impl FnMut(usize) -> NetTrial,
) -> NetPoints {
    let fnet = FiniteNetwork::new(net, d, WIDTH).expect("network");
    let mut out = NetPoints {
        per_target: vec![Vec::new(); targets],
        unconverged: 0,
        runs: 0,
    };
    for &n in &NET_NS {
        let trials: Vec<NetTrial> = (0..NET_TRIALS).map(|_| draw(n)).collect();
        let inits: Vec<(Vec<f64>, Vec<f64>)> = trials
            .par_iter()
            .enumerate()
            .map(|(trial, t)| init_and_f0(&fnet, (n * 1000 + trial) as u64, t))
            .collect();
        let runs: Vec<((f64, f64), bool)> = (0..NET_TRIALS * targets)
            .into_par_iter()
            .map(|r| {
                let (trial, target) = (r / targets, r % targets);
                train_one(&fnet, &trials[trial], &inits[trial], target)
            })
            .collect();
        out.runs += runs.len();
        out.unconverged += runs.iter().filter(|r| !r.1).count();
        for (target, o) in out.per_target.iter_mut().enumerate() {
            let s: Vec<(f64, f64)> = runs
                .iter()
                .skip(target)
                .step_by(targets)
                .map(|r| r.0)
                .collect();
            o.push(summarise(n, &s));
        }
    }
    out
}

/// Initial parameters θ₀ and the outputs f₀ on the train then the test inputs.
fn init_and_f0(fnet: &FiniteNetwork<f64>, seed: u64, t: &NetTrial) -> (Vec<f64>, Vec<f64>) {
    let mut params = vec![0.0; fnet.param_len()];
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    fnet.init(&mut params, &mut rng).expect("init");
    let xs: Vec<f64> = t.xs.iter().chain(&t.test_xs).copied().collect();
    let m = xs.len() / fnet.dim();
    let mut f0 = vec![0.0; m];
    let mut work = vec![0.0; fnet.workspace_len(m)];
    fnet.forward_batch(&params, &xs, &mut f0, &mut work)
        .expect("f0");
    (params, f0)
}

/// One GD run on one target: ((learnability, test MSE), converged).
fn train_one(
    fnet: &FiniteNetwork<f64>,
    t: &NetTrial,
    (params0, f0): &(Vec<f64>, Vec<f64>),
    target: usize,
) -> ((f64, f64), bool) {
    let n = t.ys[target].len();
    let m = t.test_ys[target].len();
    let training = Training {
        learning_rate: 1.0,
        max_steps: MAX_STEPS,
        tolerance: STOP_MSE,
    };
    let mut params = params0.clone();
    let mut work = vec![0.0; fnet.workspace_len(n.max(m))];
    let report = fnet
        .train(
            &mut params,
            &t.xs,
            &t.ys[target],
            Some(&f0[..n]),
            &training,
            &mut work,
        )
        .expect("GD");
    let mut f = vec![0.0; m];
    fnet.forward_batch(&params, &t.test_xs, &mut f, &mut work)
        .expect("forward");
    let pred: Vec<f64> = f.iter().zip(&f0[n..]).map(|(a, b)| a - b).collect();
    (scores(&t.test_ys[target], &pred), report.converged)
}

/// Trained networks on a finite domain (`inputs`: M points × d, all of them
/// the test set; `targets`: values on the domain), training sets drawn
/// without replacement.
fn finite_domain_nets(
    net: ntk::Network<f64>,
    d: usize,
    inputs: &[f64],
    targets: &[Vec<f64>],
    rng: &mut Rng,
) -> NetPoints {
    let m = inputs.len() / d;
    trained_net_points(net, d, targets.len(), |n| {
        let train = rng.subset(m, n);
        NetTrial {
            xs: train
                .iter()
                .flat_map(|&a| inputs[a * d..(a + 1) * d].to_vec())
                .collect(),
            ys: targets
                .iter()
                .map(|t| train.iter().map(|&a| t[a]).collect())
                .collect(),
            test_xs: inputs.to_vec(),
            test_ys: targets.to_vec(),
        }
    })
}

fn cube_panel(rng: &mut Rng) -> Panel {
    let (d, m) = (8usize, 256usize);
    let net = paper_net(4, Activation::Relu, 2f64.sqrt(), 0.1);
    let kern = DotProductKernel::hypercube(&net, d).expect("kernel");
    let f1 = kern.ntk(1.0);
    let mut lam = [0.0; 9];
    hypercube(d, |t| kern.ntk(t) / f1, &mut lam).expect("cube spectrum");
    let mult: [f64; 9] = std::array::from_fn(|k| hypercube_multiplicity(d, k));
    let spec = Spectrum::levels(&lam, &mult).expect("spectrum");
    let g: Vec<f64> = (0..m * m)
        .map(|ab| kern.ntk(1.0 - 2.0 * ((ab / m) ^ (ab % m)).count_ones() as f64 / d as f64) / f1)
        .collect();
    let ks = [0usize, 1, 3, 8];
    let parity = |k: usize, b: usize| {
        if (b & ((1 << k) - 1)).count_ones().is_multiple_of(2) {
            1.0
        } else {
            -1.0
        }
    };
    let targets: Vec<Vec<f64>> = ks
        .iter()
        .map(|&k| (0..m).map(|b| parity(k, b)).collect())
        .collect();
    let points = finite_domain_points(&g, m, &targets, rng);
    let inputs: Vec<f64> = (0..m)
        .flat_map(|b| (0..d).map(move |j| if (b >> j) & 1 == 1 { -1.0 } else { 1.0 }))
        .collect();
    let nets = finite_domain_nets(net, d, &inputs, &targets, rng);
    let curves = ks
        .iter()
        .zip(points)
        .map(|(&k, points)| {
            let w: [f64; 9] = std::array::from_fn(|l| if l == k { 1.0 } else { 0.0 });
            let target = Target::level_weights(&w).expect("target");
            Curve::new(k, &spec, &target, points)
        })
        .collect();
    Panel::new("8-cube, parities", curves, nets)
}

fn sphere_panel(rng: &mut Rng) -> Panel {
    let d = 8;
    let net = paper_net(4, Activation::Relu, 2f64.sqrt(), 0.1);
    // Unit-norm inputs, the kernel the regression actually uses.
    let kern = DotProductKernel::unit_sphere(&net, d).expect("kernel");
    let f1 = kern.ntk(1.0);
    let (mut x, mut w) = (vec![0.0; 400], vec![0.0; 400]);
    gauss_legendre(&mut x, &mut w).expect("quadrature");
    let mut lam = vec![0.0; K_MAX_SPHERE + 1];
    let tail = sphere(d, |t| kern.ntk(t) / f1, &x, &w, &mut lam).expect("sphere spectrum");
    let mult: Vec<f64> = (0..=K_MAX_SPHERE)
        .map(|k| sphere_multiplicity(d, k))
        .collect();
    let spec = Spectrum::levels(&lam, &mult)
        .and_then(|s| s.with_tail(tail))
        .expect("spectrum");
    let ks = [0usize, 1, 2, 3, 4];
    let target_fn = |k: usize, p: &[f64]| {
        sphere_multiplicity::<f64>(d, k).sqrt() * zonal_polynomial(d, k, p[0])
    };
    let kernel = |a: &[f64], b: &[f64]| {
        kern.ntk(
            a.iter()
                .zip(b)
                .map(|(x, y)| x * y)
                .sum::<f64>()
                .clamp(-1.0, 1.0),
        ) / f1
    };
    let mut scores = vec![vec![Vec::new(); NS.len()]; ks.len()];
    for (ni, &n) in NS.iter().enumerate() {
        for _ in 0..TRIALS {
            let train: Vec<Vec<f64>> = (0..n).map(|_| rng.sphere_point(d)).collect();
            let test: Vec<Vec<f64>> = (0..256).map(|_| rng.sphere_point(d)).collect();
            let gram: Vec<f64> = train
                .iter()
                .flat_map(|a| train.iter().map(move |b| kernel(a, b)))
                .collect();
            let cross: Vec<f64> = test
                .iter()
                .flat_map(|a| train.iter().map(move |b| kernel(a, b)))
                .collect();
            let ytr: Vec<Vec<f64>> = ks
                .iter()
                .map(|&k| train.iter().map(|p| target_fn(k, p)).collect())
                .collect();
            let yte: Vec<Vec<f64>> = ks
                .iter()
                .map(|&k| test.iter().map(|p| target_fn(k, p)).collect())
                .collect();
            for (s, r) in scores.iter_mut().zip(krr_scores(gram, &cross, &ytr, &yte)) {
                s[ni].push(r);
            }
        }
    }
    let curves = ks
        .iter()
        .zip(scores)
        .map(|(&k, per_n)| {
            let wts: Vec<f64> = (0..=K_MAX_SPHERE)
                .map(|l| if l == k { 1.0 } else { 0.0 })
                .collect();
            let target = Target::level_weights(&wts).expect("target");
            let points = NS
                .iter()
                .zip(per_n)
                .map(|(&n, s)| summarise(n, &s))
                .collect();
            Curve::new(k, &spec, &target, points)
        })
        .collect();
    // Trained nets: i.i.d. training points, 256 fresh test points per trial.
    let nets = trained_net_points(net, d, ks.len(), |n| {
        let train: Vec<Vec<f64>> = (0..n).map(|_| rng.sphere_point(d)).collect();
        let test: Vec<Vec<f64>> = (0..256).map(|_| rng.sphere_point(d)).collect();
        let labels = |pts: &[Vec<f64>]| -> Vec<Vec<f64>> {
            ks.iter()
                .map(|&k| pts.iter().map(|p| target_fn(k, p)).collect())
                .collect()
        };
        NetTrial {
            xs: train.concat(),
            ys: labels(&train),
            test_xs: test.concat(),
            test_ys: labels(&test),
        }
    });
    Panel::new("7-sphere, zonal harmonics", curves, nets)
}

fn color(i: usize) -> RGBColor {
    [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
    ][i % 5]
}

fn plot(panels: &[Panel]) -> Result<(), Box<dyn std::error::Error>> {
    let path = out_path("learning_curves.svg");
    let root = SVGBackend::new(&path, (1500, 900)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(&format!("Eigenlearning: NTK theory (lines), kernel regression (dots, {TRIALS} trials), trained width-{WIDTH} nets (triangles, {NET_TRIALS} trials); mean ± sd"), ("sans-serif", 22))?;
    let areas = root.split_evenly((2, 3));
    for (col, panel) in panels.iter().enumerate() {
        for row in 0..2 {
            let (label, y_range) = if row == 0 {
                ("learnability", -0.05..1.05)
            } else {
                ("test MSE", -0.05..2.0)
            };
            let mut chart = ChartBuilder::on(&areas[row * 3 + col])
                .caption(format!("{} — {label}", panel.name), ("sans-serif", 17))
                .margin(8)
                .x_label_area_size(35)
                .y_label_area_size(45)
                .build_cartesian_2d((1f64..300f64).log_scale(), y_range)?;
            chart.configure_mesh().x_desc("n").y_desc(label).draw()?;
            for (i, c) in panel.curves.iter().enumerate() {
                let col_i = color(i);
                let pick = |t: &(f64, f64, f64)| (t.0, if row == 0 { t.1 } else { t.2 });
                chart
                    .draw_series(LineSeries::new(
                        c.theory.iter().map(pick),
                        col_i.stroke_width(2),
                    ))?
                    .label(format!("k = {}", c.k))
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 18, y)], col_i.stroke_width(2))
                    });
                for &(n, l, e) in &c.points {
                    let (m, sd) = if row == 0 { l } else { e };
                    chart.draw_series(std::iter::once(Circle::new(
                        (n as f64, m),
                        4,
                        col_i.filled(),
                    )))?;
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(n as f64, m - sd), (n as f64, m + sd)],
                        col_i,
                    )))?;
                }
                // Trained nets: hollow triangles, shifted right by 8 % in n for legibility.
                for &(n, l, e) in &c.net_points {
                    let (m, sd) = if row == 0 { l } else { e };
                    let x = n as f64 * 1.08;
                    chart.draw_series(std::iter::once(TriangleMarker::new(
                        (x, m),
                        6,
                        col_i.stroke_width(2),
                    )))?;
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(x, m - sd), (x, m + sd)],
                        col_i,
                    )))?;
                }
            }
            chart
                .configure_series_labels()
                .border_style(BLACK)
                .background_style(WHITE.mix(0.8))
                .draw()?;
        }
    }
    root.present()?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = Rng::new(2);
    let panels = [
        circle_panel(&mut rng),
        cube_panel(&mut rng),
        sphere_panel(&mut rng),
    ];
    let mut csv = std::fs::File::create(out_path("learning_curves.csv"))?;
    writeln!(
        csv,
        "domain,k,n,source,learnability,learnability_sd,test_mse,test_mse_sd,trials"
    )?;
    println!(
        "{:<28} {:>3} {:>4} {:>22} {:>22}",
        "domain", "k", "n", "L: theory | kernel", "MSE: theory | kernel"
    );
    let mut worst = (0.0f64, "", 0, 0);
    for p in &panels {
        for c in &p.curves {
            for t in &c.theory {
                writeln!(csv, "{},{},{},theory,{},,{},,", p.name, c.k, t.0, t.1, t.2)?;
            }
            for (&(n, l, e), &(tl, te)) in c.points.iter().zip(&c.theory_at_points) {
                writeln!(
                    csv,
                    "{},{},{},kernel,{},{},{},{},{TRIALS}",
                    p.name, c.k, n, l.0, l.1, e.0, e.1
                )?;
                writeln!(csv, "{},{},{},theory_at_n,{},,{},,", p.name, c.k, n, tl, te)?;
                if [6usize, 41, 256].contains(&n) {
                    println!(
                        "{:<28} {:>3} {:>4} {:>10.4} | {:>9.4} {:>10.4} | {:>9.4}",
                        p.name, c.k, n, tl, l.0, te, e.0
                    );
                }
                if (l.0 - tl).abs() > worst.0 {
                    worst = ((l.0 - tl).abs(), p.name, c.k, n);
                }
            }
            for &(n, l, e) in &c.net_points {
                writeln!(
                    csv,
                    "{},{},{},net,{},{},{},{},{NET_TRIALS}",
                    p.name, c.k, n, l.0, l.1, e.0, e.1
                )?;
                let at = c.points.iter().position(|q| q.0 == n);
                let (kernel, theory) = at
                    .map(|i| (c.points[i], c.theory_at_points[i]))
                    .expect("kernel point at the same n");
                println!(
                    "{:<28} {:>3} {:>4} trained nets: L {:.4} ± {:.4} (theory {:.4}, kernel {:.4}), MSE {:.4} ± {:.4} (theory {:.4}, kernel {:.4})",
                    p.name, c.k, n, l.0, l.1, theory.0, kernel.1 .0, e.0, e.1, theory.1, kernel.2 .0
                );
            }
        }
        println!(
            "{}: {} of {} GD runs hit {MAX_STEPS} steps before train MSE < {STOP_MSE:e}",
            p.name, p.unconverged.0, p.unconverged.1
        );
    }
    println!(
        "largest |learnability(kernel mean) − theory|: {:.4} ({}, k = {}, n = {})",
        worst.0, worst.1, worst.2, worst.3
    );
    plot(&panels)?;
    println!(
        "({TRIALS} trials per kernel point; trained width-{WIDTH} nets at n = {NET_NS:?}, {NET_TRIALS} trials each)"
    );
    println!("wrote out/learning_curves.svg and out/learning_curves.csv");
    Ok(())
}

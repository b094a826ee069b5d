//! A tour of `ntk`: the NNGP and NTK of a deep ReLU network, in closed form
//! and by Monte Carlo over real finite-width networks.
//!
//! Run with `cargo run --release --example tour` (a few seconds).
//!
//! An infinitely wide network at random initialisation is a Gaussian
//! process: its output f(x) has covariance Σ(x, z) = E[f(x)f(z)], the
//! **NNGP kernel**. Its **neural tangent kernel** Θ(x, z) = ⟨∂f(x)/∂θ,
//! ∂f(z)/∂θ⟩ is the same for every random draw and stays fixed during
//! training, so gradient descent on squared loss is kernel regression with Θ.
//! `ntk` computes both exactly; here we check them against actual networks.

use ntk::finite::{FiniteNetwork, Training};
use ntk::{Activation, Network};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Running mean and standard error of a stream of samples.
#[derive(Default, Clone, Copy)]
struct Mean {
    n: f64,
    sum: f64,
    sum_sq: f64,
}

impl Mean {
    fn push(&mut self, v: f64) {
        self.n += 1.0;
        self.sum += v;
        self.sum_sq += v * v;
    }
    fn mean(&self) -> f64 {
        self.sum / self.n
    }
    fn std_err(&self) -> f64 {
        let var = (self.sum_sq - self.sum * self.sum / self.n) / (self.n - 1.0);
        (var.max(0.0) / self.n).sqrt()
    }
    fn show(&self) -> String {
        format!("{:.4} ± {:.4}", self.mean(), self.std_err())
    }
}

fn main() -> Result<(), ntk::Error> {
    // 1. The architecture, exactly as neural-tangents writes it:
    //    stax.serial(*[Dense(w, W_std=√2, b_std=0.1), Relu()] * 3, Dense(1, W_std=√2, b_std=0.1))
    //    in the NTK parameterization. No width: the kernels are its w → ∞ limit.
    let net = Network::<f64>::new(3, Activation::Relu)?.with_std(2f64.sqrt(), Some(0.1))?;

    // 2. A few inputs in ℝ³ (neural-tangents scales dot products by 1/d):
    //    two at 53° from each other, one antiparallel, one short.
    let xs: [[f64; 3]; 4] = [
        [1.0, 0.0, 0.0],
        [0.6, 0.8, 0.0],
        [-1.0, 0.0, 0.0],
        [0.0, 0.3, 0.4],
    ];
    let pairs = [(0, 0), (0, 1), (0, 2), (1, 3), (3, 3)];

    // 3. Real networks of width 256 with the same architecture. Parameters
    //    and the forward/backward tape live in plain slices (the library
    //    itself never allocates).
    let width = 256;
    let networks = 400;
    let fnet = FiniteNetwork::new(net, 3, width)?;
    let mut params = vec![0.0; fnet.param_len()];
    let mut work = vec![0.0; fnet.workspace_len(2)];
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2024);

    // 4. Monte Carlo: draw each network once; its outputs f(xᵢ) on all inputs
    //    give one sample of f(x)·f(z) per pair (the mean over networks
    //    estimates Σ), and for every pair its own empirical NTK
    //    ⟨∂f(x)/∂θ, ∂f(z)/∂θ⟩ (close to Θ for any single wide network; the
    //    mean removes the O(1/√w) fluctuation, leaving an O(1/w) bias).
    let flat: Vec<f64> = xs.concat();
    let mut batch_work = vec![0.0; fnet.workspace_len(xs.len())];
    let mut outputs = [0.0; 4];
    let mut nngp = [Mean::default(); 5];
    let mut ntk = [Mean::default(); 5];
    for _ in 0..networks {
        fnet.init(&mut params, &mut rng)?;
        fnet.forward_batch(&params, &flat, &mut outputs, &mut batch_work)?;
        for (k, &(i, j)) in pairs.iter().enumerate() {
            nngp[k].push(outputs[i] * outputs[j]);
            ntk[k].push(fnet.kernels(&params, &xs[i], &xs[j], &mut work)?.ntk);
        }
    }

    println!("Deep ReLU network: 3 hidden layers, W_std = √2, b_std = 0.1, NTK parameterization");
    println!("closed form (w → ∞) vs {networks} random networks of width {width} (mean ± standard error)\n");
    println!(
        "{:>8} {:>9} | {:>9} {:>17} | {:>9} {:>17}",
        "pair", "cos(x,z)", "NNGP Σ", "E f(x)f(z)", "NTK Θ", "mean Θ̂(x,z)"
    );
    println!("{}", "-".repeat(80));
    for (k, &(i, j)) in pairs.iter().enumerate() {
        let exact = net.kernels(&xs[i], &xs[j])?;
        let (a, b) = (&xs[i], &xs[j]);
        let dot: f64 = a.iter().zip(b).map(|(u, v)| u * v).sum();
        let norms =
            (a.iter().map(|u| u * u).sum::<f64>() * b.iter().map(|v| v * v).sum::<f64>()).sqrt();
        println!(
            "{:>8} {:>9.3} | {:>9.4} {:>17} | {:>9.4} {:>17}",
            format!("(x{i},x{j})"),
            dot / norms,
            exact.nngp,
            nngp[k].show(),
            exact.ntk,
            ntk[k].show()
        );
    }

    println!(
        "(Monte Carlo means carry an O(1/w) finite-width bias on top of the ± sampling error.)"
    );

    // 5. Jacot et al.: the NTK of ONE network converges to Θ as the width
    //    grows, with fluctuations ∝ 1/√w — each 4× wider net halves the error.
    let (x, z) = (&xs[0], &xs[1]);
    let exact = net.kernels(x, z)?.ntk;
    println!("\nOne network's NTK Θ̂(x0, x1) against Θ = {exact:.4} (RMS over 8 networks):");
    println!("{:>7} {:>14} {:>14}", "width", "RMS |Θ̂ − Θ|/Θ", "× √w");
    for width in [64, 256, 1024] {
        let fnet = FiniteNetwork::new(net, 3, width)?;
        let mut params = vec![0.0; fnet.param_len()];
        let mut work = vec![0.0; fnet.workspace_len(2)];
        let mut sq = 0.0;
        for _ in 0..8 {
            fnet.init(&mut params, &mut rng)?;
            let rel = fnet.kernels(&params, x, z, &mut work)?.ntk / exact - 1.0;
            sq += rel * rel;
        }
        let rms = (sq / 8.0).sqrt();
        println!(
            "{width:>7} {rms:>14.4} {:>14.2}",
            rms * (width as f64).sqrt()
        );
    }

    // 6. Training: width-512 networks fitted by full-batch gradient descent
    //    on three points predicts, at a new point, what kernel regression with
    //    Θ predicts: Θ(x*, X)·Θ(X, X)⁻¹·y. We train the centred output
    //    f − f₀ so that the prediction starts at 0, as kernel regression does.
    let train_x = [xs[0], xs[1], xs[2]];
    let train_y = [1.0, -0.5, 0.25];
    let test = xs[3];
    let gram: Vec<[f64; 3]> = train_x
        .iter()
        .map(|a| train_x.map(|b| net.kernels(a, &b).map_or(f64::NAN, |k| k.ntk)))
        .collect();
    let alpha = solve3(&gram, &train_y);
    let mut kernel_prediction = 0.0;
    for (a, w) in train_x.iter().zip(alpha) {
        kernel_prediction += net.kernels(&test, a)?.ntk * w;
    }

    let (width, trials) = (512, 8);
    let fnet = FiniteNetwork::new(net, 3, width)?;
    let mut params = vec![0.0; fnet.param_len()];
    let mut work = vec![0.0; fnet.workspace_len(3)];
    let flat: Vec<f64> = train_x.concat();
    let training = Training {
        learning_rate: 1.0,
        max_steps: 10_000,
        tolerance: 1e-10,
    };
    let mut prediction = Mean::default();
    let mut steps = 0;
    for _ in 0..trials {
        fnet.init(&mut params, &mut rng)?;
        let mut f0 = [0.0; 3];
        fnet.forward_batch(&params, &flat, &mut f0, &mut work)?;
        let f0_test = fnet.forward(&params, &test, &mut work)?;
        let report = fnet.train(
            &mut params,
            &flat,
            &train_y,
            Some(&f0),
            &training,
            &mut work,
        )?;
        steps = steps.max(report.steps);
        prediction.push(fnet.forward(&params, &test, &mut work)? - f0_test);
    }
    println!("\nGradient descent on 3 points, {trials} networks of width {width} (≤ {steps} steps to train MSE < 1e-10):");
    println!(
        "prediction at x3: networks {}, NTK kernel regression {kernel_prediction:.4}",
        prediction.show()
    );
    Ok(())
}

/// Solves the 3×3 system A·u = b by Cramer's rule (A symmetric positive definite here).
fn solve3(a: &[[f64; 3]], b: &[f64; 3]) -> [f64; 3] {
    let det = |m: [[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let m = [a[0], a[1], a[2]];
    let d = det(m);
    core::array::from_fn(|c| {
        let mut mc = m;
        for r in 0..3 {
            mc[r][c] = b[r];
        }
        det(mc) / d
    })
}

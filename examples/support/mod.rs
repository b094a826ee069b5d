//! Shared helpers of the eigenlearning figure examples (host-only: `std`, `Vec`).
#![allow(dead_code)]

use rand_core::{Rng as _, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// A seeded generator with the few distributions the experiments need.
pub struct Rng(Xoshiro256PlusPlus);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    /// n distinct indices of 0..m (partial Fisher–Yates).
    pub fn subset(&mut self, m: usize, n: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..m).collect();
        for i in 0..n {
            let j = i + (self.0.next_u64() % (m - i) as u64) as usize;
            idx.swap(i, j);
        }
        idx.truncate(n);
        idx
    }

    /// A uniform point on the unit sphere S^{d−1}.
    pub fn sphere_point(&mut self, d: usize) -> Vec<f64> {
        let g: Vec<f64> = (0..d).map(|_| self.normal()).collect();
        let norm = g.iter().map(|x| x * x).sum::<f64>().sqrt();
        g.into_iter().map(|x| x / norm).collect()
    }
}

/// Cholesky factor of a symmetric positive definite n×n matrix (row-major),
/// by nalgebra on a heap buffer.
pub struct Cholesky(nalgebra::Cholesky<f64, nalgebra::Dyn>);

impl Cholesky {
    /// Factors `a + jitter·I`; `None` if not positive definite.
    pub fn new(mut a: Vec<f64>, n: usize, jitter: f64) -> Option<Self> {
        for i in 0..n {
            a[i * n + i] += jitter;
        }
        nalgebra::DMatrix::from_row_slice(n, n, &a)
            .cholesky()
            .map(Cholesky)
    }

    /// Solves (LLᵀ) x = b in place.
    pub fn solve(&self, b: &mut [f64]) {
        let x = self.0.solve(&nalgebra::DVector::from_column_slice(b));
        b.copy_from_slice(x.as_slice());
    }
}

/// Mean and (sample) standard deviation.
pub fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = if x.len() > 1 {
        x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var.sqrt())
}

/// Creates `out/` and returns the path of `name` in it.
pub fn out_path(name: &str) -> std::path::PathBuf {
    std::fs::create_dir_all("out").expect("create out/");
    std::path::Path::new("out").join(name)
}

/// The eigenlearning paper's network: `layers` hidden blocks, W_std `w`, b_std `b`,
/// readout W_std 1, b_std 0 (NTK parameterisation).
pub fn paper_net(layers: usize, act: ntk::Activation<f64>, w: f64, b: f64) -> ntk::Network<f64> {
    ntk::Network::new(layers, act)
        .and_then(|n| n.with_std(w, Some(b)))
        .and_then(|n| n.with_readout(ntk::Dense::new(1.0, Some(0.0))))
        .expect("valid network")
}

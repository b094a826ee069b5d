//! Spectra and the κ solver: the 8-cube and 64-cube spectra of the paper
//! NTK, the 7-sphere spectrum to k = 100, and κ for spectra of 9 levels and
//! 10⁴ modes.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ntk::eigenlearning::Spectrum;
use ntk::spectrum::{gauss_legendre, hypercube, hypercube_multiplicity, sphere, DotProductKernel};
use ntk::{Activation, Dense, Network};

fn paper_net() -> Network<f64> {
    Network::new(4, Activation::Relu)
        .and_then(|n| n.with_std(2f64.sqrt(), Some(0.1)))
        .and_then(|n| n.with_readout(Dense::new(1.0, Some(0.0))))
        .unwrap()
}

fn spectra(c: &mut Criterion) {
    let net = paper_net();
    for d in [8usize, 64] {
        let k = DotProductKernel::hypercube(&net, d).unwrap();
        c.bench_function(&format!("hypercube d={d} (paper NTK)"), |b| {
            let mut lam = [0.0; 65];
            b.iter(|| hypercube(black_box(d), |t| k.ntk(t), &mut lam).unwrap())
        });
    }
    let k = DotProductKernel::new(&net, 8.0, 8).unwrap();
    let (mut x, mut w) = (vec![0.0; 300], vec![0.0; 300]);
    gauss_legendre(&mut x, &mut w).unwrap();
    c.bench_function("sphere d=8 k<=100, 300 nodes (paper NTK)", |b| {
        let mut lam = [0.0; 101];
        b.iter(|| sphere(8, |t| k.ntk(t), &x, &w, &mut lam).unwrap())
    });
    c.bench_function("gauss_legendre 300 nodes", |b| {
        b.iter(|| gauss_legendre(black_box(&mut x), &mut w).unwrap())
    });
}

fn kappa(c: &mut Criterion) {
    let net = paper_net();
    let k = DotProductKernel::hypercube(&net, 8).unwrap();
    let mut lam = [0.0; 9];
    hypercube(8, |t| k.ntk(t) / 5.07, &mut lam).unwrap();
    let mult: [f64; 9] = core::array::from_fn(|k| hypercube_multiplicity(8, k));
    let spec = Spectrum::levels(&lam, &mult).unwrap();
    c.bench_function("kappa 8-cube levels, n=64, ridgeless", |b| {
        b.iter(|| spec.solve(black_box(64.0), 0.0).unwrap().kappa())
    });
    let power: Vec<f64> = (1..=10_000).map(|i| (i as f64).powi(-2)).collect();
    let spec = Spectrum::modes(&power).unwrap();
    c.bench_function("kappa 1e4 power-law modes, n=1000, ridgeless", |b| {
        b.iter(|| spec.solve(black_box(1000.0), 0.0).unwrap().kappa())
    });
}

criterion_group!(benches, spectra, kappa);
criterion_main!(benches);

//! Spectra against independent references: the theory sheet's published
//! numbers, mpmath at 50 digits (`scripts/eigen_reference.py`), brute-force
//! eigendecomposition of the full Gram matrix, and Funk–Hecke reconstruction.

// The sheet's table is copied digit for digit; index loops mirror the formulas.
#![allow(clippy::excessive_precision, clippy::needless_range_loop)]

use ntk::spectrum::{
    circle, empirical_coefficients, empirical_strided, fwht, gauss_legendre, hypercube,
    hypercube_multiplicity, sphere, sphere_multiplicity, zonal_polynomial, DotProductKernel,
};
use ntk::{Activation, Network};

fn reference() -> serde_json::Value {
    serde_json::from_str(include_str!("data/eigen_reference.json")).unwrap()
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().parse().unwrap())
        .collect()
}

/// The eigenlearning paper's network: 4 hidden ReLU layers, W_std √2,
/// b_std 0.1, readout W_std 1, b_std 0.
fn paper_net() -> Network<f64> {
    Network::new(4, Activation::Relu)
        .unwrap()
        .with_std(2f64.sqrt(), Some(0.1))
        .unwrap()
        .with_readout(ntk::Dense::new(1.0, Some(0.0)))
        .unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

#[test]
fn cube8_paper_ntk_matches_the_sheet_table() {
    // Theory sheet §8.2, normalised f(1) = 1 (f(1) = 5.07 exactly).
    let table = [
        0.31151381522596076,
        0.026811053511438001,
        0.0064586676060364022,
        0.0021497482827167666,
        0.0012993770120438877,
        0.00093375491219282643,
        0.00082362962632890593,
        0.00072096749916650896,
        0.00069312442496518511,
    ];
    let net = paper_net();
    let k = DotProductKernel::hypercube(&net, 8).unwrap();
    assert!((k.ntk(1.0) - 5.07).abs() < 1e-14);
    let mut lam = [0.0; 9];
    hypercube(8, |t| k.ntk(t) / 5.07, &mut lam).unwrap();
    for (a, b) in lam.iter().zip(table) {
        assert!(rel(*a, b) < 1e-12, "{a} vs {b}");
    }
    let trace: f64 = (0..9)
        .map(|k| hypercube_multiplicity::<f64>(8, k) * lam[k])
        .sum();
    assert!((trace - 1.0).abs() < 1e-15);
}

#[test]
fn cube64_is_exact_for_given_samples_and_accurate_for_the_ntk() {
    let r = reference();
    // (1) f64 samples of exp(3t): the result must be the exact Krawtchouk sum of
    // these very samples, even where λ_k is 10⁻²⁰ of the terms.
    let bits: Vec<f64> = r["cube64_exp3_bits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| f64::from_bits(b.as_u64().unwrap()))
        .collect();
    let want = floats(&r["cube64_exp3_lambda"]);
    let mut lam = [0.0; 65];
    hypercube(
        64,
        |t: f64| bits[((1.0 - t) * 32.0).round() as usize],
        &mut lam,
    )
    .unwrap();
    let smallest = want.iter().fold(f64::INFINITY, |a, &b| a.min(b.abs()));
    assert!(smallest < 1e-25 * want[0], "the test must span many orders");
    // Terms reach 10²² × |λ_k|: plain f64 summation would return noise of
    // order 10⁻¹⁶·λ₀. Dot2 (≈ double-double) keeps ≤ 1e-14 relative (measured ≤ 1.1e-15).
    for k in 0..=64 {
        assert!(
            rel(lam[k], want[k]) < 1e-14,
            "k={k}: {} vs {}",
            lam[k],
            want[k]
        );
    }
    // (2) The paper NTK end to end: the only error left is that of the kernel
    // samples (≈ ε·f(1) absolute).
    let net = paper_net();
    let k = DotProductKernel::hypercube(&net, 64).unwrap();
    let want = floats(&r["cube64_lambda"]);
    hypercube(64, |t| k.ntk(t), &mut lam).unwrap();
    for kk in 0..=64 {
        assert!(
            (lam[kk] - want[kk]).abs() < 1e-14 * 5.07,
            "k={kk}: {} vs {}",
            lam[kk],
            want[kk]
        );
    }
}

fn cube_point(d: usize, b: usize) -> Vec<f64> {
    (0..d)
        .map(|j| if (b >> j) & 1 == 1 { -1.0 } else { 1.0 })
        .collect()
}

fn cube_gram(net: &Network<f64>, d: usize) -> Vec<f64> {
    let m = 1 << d;
    let pts: Vec<Vec<f64>> = (0..m).map(|b| cube_point(d, b)).collect();
    let mut g = vec![0.0; m * m];
    for a in 0..m {
        for b in 0..m {
            g[a * m + b] = net.kernels(&pts[a], &pts[b]).unwrap().ntk;
        }
    }
    g
}

#[test]
fn cube_matches_brute_force_eigendecomposition_of_the_gram_matrix() {
    let net = Network::<f64>::new(
        2,
        Activation::Erf {
            a: 1.0,
            b: 1.0,
            c: 0.0,
        },
    )
    .unwrap()
    .with_std(1.5, Some(0.2))
    .unwrap();
    // d = 6: the symmetric eigensolver (linalg::jacobi via `empirical_strided`)
    // on the 64×64 Gram built from the network on the actual points gives
    // eig/M = {λ_k with multiplicity C(d, k)}.
    let d = 6;
    let m = 1 << d;
    let mut g = cube_gram(&net, d);
    let (mut ev, mut vecs) = (vec![0.0; m], vec![0.0; m * m]);
    empirical_strided(&mut g, m, m, &mut ev, Some((&mut vecs, m))).unwrap();
    let kern = DotProductKernel::hypercube(&net, d).unwrap();
    let mut lam = [0.0; 7];
    hypercube(d, |t| kern.ntk(t), &mut lam).unwrap();
    let mut want: Vec<f64> = (0..=d)
        .flat_map(|k| core::iter::repeat_n(lam[k], hypercube_multiplicity::<f64>(d, k) as usize))
        .collect();
    want.sort_by(|x, y| y.partial_cmp(x).unwrap());
    for (a, b) in ev.iter().zip(&want) {
        assert!((a - b).abs() < 1e-13, "{a} vs {b}");
    }
    // The parity of 3 bits puts all its weight on the modes of eigenvalue λ₃
    // (a basis-invariant statement inside the degenerate level).
    let parity: Vec<f64> = (0..m)
        .map(|b| {
            if (b & 0b111).count_ones() % 2 == 0 {
                1.0
            } else {
                -1.0
            }
        })
        .collect();
    let mut coef = vec![0.0; m];
    empirical_coefficients(&vecs, m, &parity, &mut coef).unwrap();
    let on_level: f64 = (0..m)
        .filter(|&i| (ev[i] - lam[3]).abs() < 1e-12)
        .map(|i| coef[i] * coef[i])
        .sum();
    assert!((on_level - 1.0).abs() < 1e-12, "{on_level}");
    assert!(
        (coef.iter().map(|c| c * c).sum::<f64>() - 1.0).abs() < 1e-12,
        "Parseval"
    );
    // d = 8 and 10: every Walsh vector χ_S (a complete orthogonal basis) is an
    // eigenvector of the full Gram with eigenvalue M·λ_|S|: G χ_S = M λ χ_S.
    for d in [8usize, 10] {
        let m = 1 << d;
        let g = cube_gram(&net, d);
        let kern = DotProductKernel::hypercube(&net, d).unwrap();
        let mut lam = [0.0; 11];
        hypercube(d, |t| kern.ntk(t), &mut lam).unwrap();
        let subsets: Vec<usize> = if d == 8 {
            (0..m).collect()
        } else {
            (0..=d)
                .map(|k| (1usize << k) - 1)
                .chain([0b1010110011, 0b0101])
                .collect()
        };
        for s in subsets {
            let chi: Vec<f64> = (0..m)
                .map(|b| {
                    if (b & s).count_ones() % 2 == 0 {
                        1.0
                    } else {
                        -1.0
                    }
                })
                .collect();
            let want = m as f64 * lam[s.count_ones() as usize];
            for a in 0..m {
                let gchi: f64 = (0..m).map(|b| g[a * m + b] * chi[b]).sum();
                assert!(
                    (gchi - want * chi[a]).abs() < 1e-12 * m as f64,
                    "d={d} S={s:b} a={a}"
                );
            }
        }
    }
}

#[test]
fn fwht_of_a_kernel_row_gives_the_hypercube_spectrum() {
    // The Gram on {±1}ᵈ is a group convolution, so its eigenvalues are the
    // Walsh transform of one row: an independent route to λ_k.
    let d = 10;
    let net = paper_net();
    let kern = DotProductKernel::hypercube(&net, d).unwrap();
    let mut row: Vec<f64> = (0..1usize << d)
        .map(|b| kern.ntk(1.0 - 2.0 * b.count_ones() as f64 / d as f64))
        .collect();
    fwht(&mut row).unwrap();
    let mut lam = [0.0; 11];
    hypercube(d, |t| kern.ntk(t), &mut lam).unwrap();
    for (s, v) in row.iter().enumerate() {
        assert!(
            (v / 1024.0 - lam[s.count_ones() as usize]).abs() < 1e-15,
            "S={s}"
        );
    }
}

fn rule(n: usize) -> (Vec<f64>, Vec<f64>) {
    let (mut x, mut w) = (vec![0.0; n], vec![0.0; n]);
    gauss_legendre(&mut x, &mut w).unwrap();
    (x, w)
}

#[test]
fn sphere8_paper_ntk_matches_mpmath() {
    let want = floats(&reference()["sphere8_lambda"]);
    let net = paper_net();
    // The sheet's sphere spectra use inputs of squared norm d (q = t).
    let k = DotProductKernel::new(&net, 8.0, 8).unwrap();
    let (x, w) = rule(400);
    let mut lam = [0.0; 21];
    let tail = sphere(8, |t| k.ntk(t) / 5.07, &x, &w, &mut lam).unwrap();
    // 1e-12 relative, or the floor set by the f64 kernel samples: ≈ε·f(1) absolute.
    for (kk, (a, b)) in lam.iter().zip(&want).enumerate() {
        assert!((a - b).abs() < 1e-12 * b + 2e-17, "k={kk}: {a} vs {b}");
    }
    assert!((lam[0] - 0.310278).abs() < 5e-7, "theory sheet §8.3");
    let explained: f64 = (0..21)
        .map(|kk| sphere_multiplicity::<f64>(8, kk) * want[kk])
        .sum();
    assert!((tail - (1.0 - explained)).abs() < 1e-13);
    assert!(
        (tail - 0.0556).abs() < 5e-5,
        "theory sheet §6: T_tail(k_max = 20) = 0.0556"
    );
}

#[test]
fn sphere_spectrum_reconstructs_the_kernel_funk_hecke() {
    for d in [2usize, 3, 8] {
        let f = |t: f64| (2.0 * t).exp() + 0.3 * t.powi(3);
        let (x, w) = rule(200);
        let mut lam = [0.0; 40];
        let tail = sphere(d, f, &x, &w, &mut lam).unwrap();
        assert!(tail < 1e-13, "d={d} tail={tail}");
        for t in [-1.0, -0.7, 0.0, 0.31, 0.9, 1.0] {
            let rebuilt: f64 = (0..40)
                .map(|k| sphere_multiplicity::<f64>(d, k) * lam[k] * zonal_polynomial(d, k, t))
                .sum();
            assert!(
                (rebuilt - f(t)).abs() < 1e-10 * f(1.0),
                "d={d} t={t}: {rebuilt} vs {}",
                f(t)
            );
        }
    }
}

#[test]
fn sphere_converges_at_high_degree() {
    // k up to 150 on S⁷: 400 and 800 nodes agree to 1e-15 absolute (f(1) = 1).
    let net = paper_net();
    let k = DotProductKernel::new(&net, 8.0, 8).unwrap();
    let mut a = [0.0; 151];
    let mut b = [0.0; 151];
    let (x, w) = rule(400);
    sphere(8, |t| k.ntk(t) / 5.07, &x, &w, &mut a).unwrap();
    let (x, w) = rule(800);
    sphere(8, |t| k.ntk(t) / 5.07, &x, &w, &mut b).unwrap();
    for kk in 0..151 {
        assert!((a[kk] - b[kk]).abs() < 1e-15, "k={kk}");
    }
    assert!(a[150] > 0.0 && a[150] < 1e-11);
}

#[test]
fn relu_one_layer_odd_degrees_vanish() {
    // Theory sheet §8.1: 1 hidden layer, σ_w² = 2, σ_b = 0: the odd part of Θ/Θ(1) is t/2.
    let net = Network::<f64>::new(1, Activation::Relu)
        .unwrap()
        .with_std(2f64.sqrt(), None)
        .unwrap()
        .with_readout(ntk::Dense::new(1.0, None))
        .unwrap();
    let k = DotProductKernel::hypercube(&net, 10).unwrap();
    assert!((k.ntk(1.0) - 2.0).abs() < 1e-15);
    let mut lam = [0.0; 11];
    hypercube(10, |t| k.ntk(t) / 2.0, &mut lam).unwrap();
    assert!((lam[1] - 1.0 / 20.0).abs() < 1e-16);
    for kk in [3, 5, 7, 9] {
        assert!(lam[kk].abs() < 1e-16, "k={kk}: {}", lam[kk]);
    }
    let (x, w) = rule(300);
    let mut lam = [0.0; 12];
    sphere(5, |t| k.ntk(t), &x, &w, &mut lam).unwrap();
    for kk in [3, 5, 7, 9, 11] {
        assert!(lam[kk].abs() < 1e-15, "sphere k={kk}: {}", lam[kk]);
    }
}

#[test]
fn circle_matches_the_gram_of_the_network_on_circle_points() {
    // λ_k = eigenvalue of K/M; check with the network evaluated on actual
    // points (cos θ, sin θ): the Gram's Fourier transform.
    let net = paper_net();
    let kern = DotProductKernel::unit_sphere(&net, 2).unwrap();
    let m = 16;
    let mut lam = [0.0; 16];
    circle(|t| kern.ntk(t), &mut lam).unwrap();
    let pt = |j: usize| {
        let th = 2.0 * core::f64::consts::PI * j as f64 / m as f64;
        [th.cos(), th.sin()]
    };
    for (k, &l) in lam.iter().enumerate() {
        let direct: f64 = (0..m)
            .map(|j| {
                net.kernels(&pt(0), &pt(j)).unwrap().ntk
                    * (2.0 * core::f64::consts::PI * (j * k) as f64 / m as f64).cos()
            })
            .sum::<f64>()
            / m as f64;
        assert!((l - direct).abs() < 1e-14, "k={k}");
        assert!((l - lam[(m - k) % m]).abs() < 1e-14);
    }
}

#[test]
fn f32_spectra_work() {
    let net = Network::<f32>::new(2, Activation::Relu)
        .unwrap()
        .with_std(1.4, Some(0.1))
        .unwrap();
    let k = DotProductKernel::hypercube(&net, 8).unwrap();
    let mut lam = [0.0f32; 9];
    hypercube(8, |t| k.ntk(t), &mut lam).unwrap();
    let trace: f32 = (0..9)
        .map(|kk| hypercube_multiplicity::<f32>(8, kk) * lam[kk])
        .sum();
    assert!((trace - k.ntk(1.0)).abs() < 1e-5 * trace);
    let (mut x, mut w) = ([0.0f32; 100], [0.0f32; 100]);
    gauss_legendre(&mut x, &mut w).unwrap();
    let mut s = [0.0f32; 10];
    let tail = sphere(8, |t| k.ntk(t), &x, &w, &mut s).unwrap();
    assert!(tail >= 0.0 && s.iter().all(|&l| l > -1e-6));
}

//! Eigenlearning against independent references: mpmath at 50 digits
//! (`scripts/eigen_reference.py`), the theory sheet's numbers and closed
//! forms, property tests, and Monte-Carlo kernel regression.

use ntk::eigenlearning::conservation::FixedDataset;
use ntk::eigenlearning::{Phase, Spectrum, Target};
use ntk::spectrum::{
    circle, circle_eigenfunction, gauss_legendre, hypercube, hypercube_multiplicity, sphere,
    sphere_multiplicity, DotProductKernel,
};
use ntk::{Activation, Dense, Network};
use proptest::prelude::*;

fn reference() -> serde_json::Value {
    serde_json::from_str(include_str!("data/eigen_reference.json")).unwrap()
}

fn num(v: &serde_json::Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

fn paper_net() -> Network<f64> {
    Network::new(4, Activation::Relu)
        .unwrap()
        .with_std(2f64.sqrt(), Some(0.1))
        .unwrap()
        .with_readout(Dense::new(1.0, Some(0.0)))
        .unwrap()
}

/// Normalised 8-cube spectrum of the paper NTK and its multiplicities.
fn cube8() -> ([f64; 9], [f64; 9]) {
    let net = paper_net();
    let k = DotProductKernel::hypercube(&net, 8).unwrap();
    let mut lam = [0.0; 9];
    hypercube(8, |t| k.ntk(t) / k.ntk(1.0), &mut lam).unwrap();
    (lam, core::array::from_fn(|k| hypercube_multiplicity(8, k)))
}

fn parity_weights(k: usize) -> [f64; 9] {
    core::array::from_fn(|l| if l == k { 1.0 } else { 0.0 })
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

#[test]
fn cube8_matches_mpmath() {
    let (lam, mult) = cube8();
    let spec = Spectrum::levels(&lam, &mult).unwrap();
    for case in reference()["cube8_eigenlearning"].as_array().unwrap() {
        let n = case["n"].as_f64().unwrap();
        let ridge = case["ridge"].as_f64().unwrap();
        let noise = case["noise"].as_f64().unwrap();
        let sol = spec.solve(n, ridge).unwrap();
        assert_eq!(sol.phase(), Phase::Regularized);
        assert!(
            rel(sol.kappa(), num(&case["kappa"])) < 1e-12,
            "n={n} δ={ridge}: κ {} vs {}",
            sol.kappa(),
            num(&case["kappa"])
        );
        assert!(
            rel(sol.overfitting(), num(&case["e0"])) < 1e-12,
            "n={n}: E0"
        );
        for (l, want) in case["L"].as_array().unwrap().iter().enumerate() {
            assert!(rel(sol.learnability(l), num(want)) < 1e-12, "n={n} L_{l}");
        }
        for k in [0usize, 1, 3, 8] {
            let w = parity_weights(k);
            let f = Target::level_weights(&w)
                .unwrap()
                .with_noise(noise)
                .unwrap();
            let test = num(&case[format!("test_parity{k}").as_str()]);
            assert!(
                rel(sol.test_mse(&f).unwrap(), test) < 1e-12,
                "n={n} δ={ridge} k={k} test"
            );
            let train = num(&case[format!("train_parity{k}").as_str()]);
            let got = sol.train_mse(&f).unwrap();
            assert!(
                if train == 0.0 {
                    got == 0.0
                } else {
                    rel(got, train) < 1e-11
                },
                "n={n} k={k} train {got} vs {train}"
            );
            let bias = sol.bias(&f).unwrap();
            assert!(rel(bias + sol.variance(&f).unwrap(), test) < 1e-12);
        }
        if ridge == 0.0 {
            assert!(
                (sol.learnability_sum() - n).abs() < 1e-12 * n,
                "conservation"
            );
        }
    }
}

#[test]
fn cube8_full_dataset_edge_cases() {
    let (lam, mult) = cube8();
    let spec = Spectrum::levels(&lam, &mult).unwrap();
    assert_eq!(spec.positive_modes(), 256.0);
    // n = N₊ = 256 with no ridge (upstream raises ValueError here).
    let sol = spec.solve(256.0, 0.0).unwrap();
    assert_eq!(sol.phase(), Phase::Interpolation);
    assert_eq!(sol.kappa(), 0.0);
    assert_eq!(sol.learnability(8), 1.0);
    assert!(sol.overfitting().is_infinite());
    let w = parity_weights(3);
    let f = Target::level_weights(&w).unwrap();
    assert_eq!(
        sol.test_mse(&f).unwrap(),
        0.0,
        "noiseless, full support: recovered exactly"
    );
    assert!(sol
        .test_mse(&f.with_noise(0.1).unwrap())
        .unwrap()
        .is_infinite());
    assert_eq!(sol.train_mse(&f).unwrap(), 0.0);
    // n → N₊ from below is continuous: κ → 0.
    let near = spec.solve(256.0 - 1e-6, 0.0).unwrap();
    assert!(near.kappa() > 0.0 && near.kappa() < 1e-8);
    assert!(rel(near.dkappa_dn(), sol.dkappa_dn()) < 1e-3);
    // n > N₊: E₀ = n/(n − N₊), test = E₀ ε², train = ((n − N₊)/n)²·test.
    let sol = spec.solve(300.0, 0.0).unwrap();
    assert_eq!(sol.phase(), Phase::Underparameterized);
    assert!(rel(sol.overfitting(), 300.0 / 44.0) < 1e-15);
    let fe = f.with_noise(0.1).unwrap();
    assert!(rel(sol.test_mse(&fe).unwrap(), 300.0 / 44.0 * 0.1) < 1e-14);
    assert!(rel(sol.train_mse(&fe).unwrap(), 44.0 / 300.0 * 0.1) < 1e-14);
    assert_eq!(sol.dkappa_dn(), 0.0);
    assert!(rel(sol.dkappa_dridge(), 1.0 / 44.0) < 1e-15);
    // n = 0.
    let sol = spec.solve(0.0, 0.1).unwrap();
    assert_eq!(sol.phase(), Phase::NoData);
    assert!(sol.kappa().is_infinite());
    assert_eq!((sol.learnability(0), sol.overfitting()), (0.0, 1.0));
    assert!(rel(sol.test_mse(&fe).unwrap(), 1.1) < 1e-15);
    assert!(sol.train_mse(&fe).is_err());
}

#[test]
fn isotropic_closed_forms() {
    // Theory sheet §4: N equal eigenvalues 1/N.
    let lam = [0.01f64; 100];
    let spec = Spectrum::modes(&lam).unwrap();
    let coef = [0.1f64; 100];
    let f = Target::coefficients(&coef)
        .unwrap()
        .with_noise(0.05)
        .unwrap();
    for n in [1.0, 10.0, 37.5, 99.0] {
        let sol = spec.solve(n, 0.0).unwrap();
        assert!(rel(sol.kappa(), (100.0 - n) / (n * 100.0)) < 1e-14, "n={n}");
        assert!(rel(sol.learnability(7), n / 100.0) < 1e-14);
        assert!(rel(sol.overfitting(), 100.0 / (100.0 - n)) < 1e-13);
        let want = (100.0 - n) / 100.0 + 100.0 / (100.0 - n) * 0.05;
        assert!(rel(sol.test_mse(&f).unwrap(), want) < 1e-13, "n={n}");
        assert_eq!(sol.train_mse(&f).unwrap(), 0.0);
    }
    for n in [101.0, 150.0, 1000.0] {
        let sol = spec.solve(n, 0.0).unwrap();
        assert!(rel(sol.test_mse(&f).unwrap(), n / (n - 100.0) * 0.05) < 1e-14);
        assert!(rel(sol.train_mse(&f).unwrap(), (n - 100.0) / n * 0.05) < 1e-14);
    }
}

#[test]
fn edge_small3_ridge_to_zero_beyond_n_plus() {
    // Theory sheet §4: N = 3, n = 4, δ = 1e-6 gives κ = 9.99993e-7. The sheet
    // does not list the spectrum; κ ≈ δ(1 − δΣ1/λ) fixes Σ1/λ = 7: λ = (1, ½, ¼).
    let lam = [1.0f64, 0.5, 0.25];
    let sol = Spectrum::modes(&lam).unwrap().solve(4.0, 1e-6).unwrap();
    assert!((sol.kappa() - 9.99993e-7).abs() < 5e-13, "{}", sol.kappa());
    // Continuity with the δ = 0 limit: E₀ → n/(n − N₊) = 4.
    assert!(rel(sol.overfitting(), 4.0) < 1e-4);
    assert_eq!(
        Spectrum::modes(&lam)
            .unwrap()
            .solve(4.0, 0.0)
            .unwrap()
            .overfitting(),
        4.0
    );
}

/// The 7-sphere, paper NTK (q = t convention), normalised; spectrum to k_max.
fn sphere8(k_max: usize, nodes: usize) -> (Vec<f64>, Vec<f64>, f64) {
    let net = paper_net();
    let k = DotProductKernel::new(&net, 8.0, 8).unwrap();
    let (mut x, mut w) = (vec![0.0; nodes], vec![0.0; nodes]);
    gauss_legendre(&mut x, &mut w).unwrap();
    let mut lam = vec![0.0; k_max + 1];
    let tail = sphere(8, |t| k.ntk(t) / 5.07, &x, &w, &mut lam).unwrap();
    let mult = (0..=k_max).map(|k| sphere_multiplicity(8, k)).collect();
    (lam, mult, tail)
}

#[test]
fn sphere8_tail_as_ridge_removes_the_truncation_bias() {
    // Theory sheet §6, n = 256, δ = 0: plain truncation vs + tail-as-ridge.
    for (k_max, plain, tail_want) in [
        (20, 1.1021e-3, 0.0556),
        (50, 1.2564e-3, 0.0241),
        (120, 1.3221e-3, 0.0104),
    ] {
        let (lam, mult, tail) = sphere8(k_max, 2 * k_max + 200);
        assert!(
            (tail - tail_want).abs() < 5e-5,
            "k_max={k_max}: T_tail {tail}"
        );
        let spec = Spectrum::levels(&lam, &mult).unwrap();
        let kappa = spec.solve(256.0, 0.0).unwrap().kappa();
        assert!(
            (kappa - plain).abs() < 5e-8,
            "k_max={k_max}: plain κ {kappa}"
        );
        let kappa = spec
            .with_tail(tail)
            .unwrap()
            .solve(256.0, 0.0)
            .unwrap()
            .kappa();
        assert!(
            (kappa - 1.37172e-3).abs() < 5e-9,
            "k_max={k_max}: κ {kappa}"
        );
    }
}

#[test]
fn derivatives_match_finite_differences() {
    let (lam, mult) = cube8();
    let spec = Spectrum::levels(&lam, &mult).unwrap();
    for (n, ridge) in [(5.0, 0.0), (40.0, 0.01), (200.0, 1.0)] {
        let sol = spec.solve(n, ridge).unwrap();
        let h = 1e-5;
        let dn = (spec.solve(n + h, ridge).unwrap().kappa()
            - spec.solve(n - h, ridge).unwrap().kappa())
            / (2.0 * h);
        assert!(
            rel(sol.dkappa_dn(), dn) < 1e-6,
            "n={n}: {} vs {dn}",
            sol.dkappa_dn()
        );
        let hd = 1e-7 * (1.0 + ridge);
        let dd = (spec.solve(n, ridge + hd).unwrap().kappa()
            - spec.solve(n, (ridge - hd).max(0.0)).unwrap().kappa())
            / (ridge + hd - (ridge - hd).max(0.0));
        assert!(
            rel(sol.dkappa_dridge(), dd) < 1e-5,
            "n={n}: {} vs {dd}",
            sol.dkappa_dridge()
        );
    }
}

#[test]
fn rejects_bad_input() {
    assert!(Spectrum::modes(&[1.0, f64::NAN]).is_err());
    assert!(Spectrum::modes(&[1.0, -0.5]).is_err());
    assert!(
        Spectrum::modes(&[1.0, -1e-19]).is_ok(),
        "round-off negatives are clamped"
    );
    assert!(Spectrum::levels(&[1.0, 0.5], &[1.0]).is_err());
    let spec = Spectrum::modes(&[1.0, 0.5]).unwrap();
    assert!(spec.solve(-1.0, 0.0).is_err());
    assert!(spec.solve(1.0, f64::INFINITY).is_err());
    let sol = spec.solve(1.0, 0.0).unwrap();
    let w = [1.0];
    assert!(sol.test_mse(&Target::level_weights(&w).unwrap()).is_err());
    assert!(Target::level_weights(&[-1.0]).is_err());
    assert!(sol
        .target_learnability(&Target::level_weights(&[0.0, 0.0]).unwrap())
        .is_err());
}

#[test]
fn f32_solver_converges() {
    let lam: [f32; 6] = [0.5, 0.2, 0.1, 0.1, 0.05, 0.05];
    let spec = Spectrum::modes(&lam).unwrap();
    for n in [0.3f32, 1.0, 3.0, 5.9] {
        let sol = spec.solve(n, 0.0).unwrap();
        assert!(
            (sol.learnability_sum() - n).abs() < 1e-5 * n.max(1.0),
            "n={n}"
        );
    }
}

fn arb_spectrum() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    prop::collection::vec((1e-6f64..1.0, 1u32..50), 1..40).prop_map(|v| {
        let (mut lam, mult): (Vec<f64>, Vec<f64>) =
            v.into_iter().map(|(l, m)| (l, m as f64)).unzip();
        // Spread over many orders of magnitude.
        for (i, l) in lam.iter_mut().enumerate() {
            *l *= 10f64.powi(-((i % 7) as i32));
        }
        (lam, mult)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn conservation_and_bounds((lam, mult) in arb_spectrum(), frac in 0.0f64..1.0) {
        let spec = Spectrum::levels(&lam, &mult).unwrap();
        let n = frac * spec.positive_modes();
        let sol = spec.solve(n, 0.0).unwrap();
        prop_assert!((sol.learnability_sum() - n).abs() <= 1e-10 * n.max(1.0), "Σ L = {} vs n = {n}", sol.learnability_sum());
        prop_assert!(sol.overfitting() >= 1.0);
        for i in 0..lam.len() {
            let li = sol.learnability(i);
            prop_assert!((0.0..=1.0).contains(&li));
            for j in 0..lam.len() {
                if lam[i] < lam[j] {
                    prop_assert!(li <= sol.learnability(j));
                }
            }
        }
    }

    #[test]
    fn kappa_monotone((lam, mult) in arb_spectrum(), frac in 0.01f64..0.98, ridge in 0.0f64..1.0) {
        let spec = Spectrum::levels(&lam, &mult).unwrap();
        let n = frac * spec.positive_modes();
        let k = spec.solve(n, ridge).unwrap().kappa();
        let k_more_n = spec.solve(n * 1.01, ridge).unwrap().kappa();
        let k_more_ridge = spec.solve(n, ridge + 0.01).unwrap().kappa();
        prop_assert!(k_more_n < k, "κ must decrease in n");
        prop_assert!(k_more_ridge > k, "κ must increase in δ");
        prop_assert!(spec.solve(n, ridge).unwrap().overfitting() >= 1.0);
    }
}

/// Row-major Cholesky solve of (A + δI)x = b for the Monte-Carlo check.
fn krr_predict(gram: &[f64], m: usize, train: &[usize], y: &[f64], ridge: f64) -> Vec<f64> {
    let n = train.len();
    let mut a = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            a[i * n + j] = gram[train[i] * m + train[j]] + if i == j { ridge } else { 0.0 };
        }
    }
    for j in 0..n {
        for k in 0..j {
            a[j * n + j] -= a[j * n + k] * a[j * n + k];
        }
        a[j * n + j] = a[j * n + j].sqrt();
        for i in j + 1..n {
            for k in 0..j {
                a[i * n + j] -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] /= a[j * n + j];
        }
    }
    let mut x = y.to_vec();
    for i in 0..n {
        for k in 0..i {
            x[i] -= a[i * n + k] * x[k];
        }
        x[i] /= a[i * n + i];
    }
    for i in (0..n).rev() {
        for k in i + 1..n {
            x[i] -= a[k * n + i] * x[k];
        }
        x[i] /= a[i * n + i];
    }
    (0..m)
        .map(|p| {
            train
                .iter()
                .zip(&x)
                .map(|(&t, &c)| gram[p * m + t] * c)
                .sum()
        })
        .collect()
}

#[test]
fn monte_carlo_kernel_regression_on_the_8cube() {
    use rand_core::{Rng, SeedableRng};
    let (lam, mult) = cube8();
    let spec = Spectrum::levels(&lam, &mult).unwrap();
    let net = paper_net();
    let kern = DotProductKernel::hypercube(&net, 8).unwrap();
    let m = 256usize;
    let gram: Vec<f64> = (0..m * m)
        .map(|ab| {
            let h = ((ab / m) ^ (ab % m)).count_ones() as f64;
            kern.ntk(1.0 - h / 4.0) / 5.07
        })
        .collect();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
    let trials = 400;
    // (k, n, δ, ε², the sheet's own Monte-Carlo mean ± s.e. (§1, §10; 400 trials)).
    let cases = [
        (1usize, 16usize, 0.1f64, 0.1f64, 0.5782, 0.0039),
        (3, 64, 0.1, 0.1, 0.9623, 0.0030),
        (1, 64, 0.0, 0.0, 0.0492, 0.0004),
        (3, 16, 0.0, 0.0, 1.1116, 0.0037),
    ];
    for (k, n, ridge, noise, sheet_mc, sheet_se) in cases {
        let parity = |b: usize| {
            if (b & ((1 << k) - 1)).count_ones().is_multiple_of(2) {
                1.0
            } else {
                -1.0
            }
        };
        let mut mses = Vec::with_capacity(trials);
        for _ in 0..trials {
            // n points without replacement (partial Fisher–Yates).
            let mut idx: Vec<usize> = (0..m).collect();
            for i in 0..n {
                let j = i + (rng.next_u64() % (m - i) as u64) as usize;
                idx.swap(i, j);
            }
            let train = &idx[..n];
            let y: Vec<f64> = train
                .iter()
                .map(|&b| {
                    // Gaussian noise by Box–Muller.
                    let u1 = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 + 1e-300;
                    let u2 = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                    parity(b)
                        + noise.sqrt()
                            * (-2.0 * u1.ln()).sqrt()
                            * (2.0 * core::f64::consts::PI * u2).cos()
                })
                .collect();
            let pred = krr_predict(&gram, m, train, &y, ridge);
            // Test MSE against noisy test labels: E‖f − f̂‖² + ε².
            mses.push(
                (0..m).map(|b| (parity(b) - pred[b]).powi(2)).sum::<f64>() / m as f64 + noise,
            );
        }
        let mean = mses.iter().sum::<f64>() / trials as f64;
        let se = (mses.iter().map(|x| (x - mean).powi(2)).sum::<f64>()
            / (trials as f64 * (trials as f64 - 1.0)))
            .sqrt();
        let w = parity_weights(k);
        let f = Target::level_weights(&w)
            .unwrap()
            .with_noise(noise)
            .unwrap();
        let theory = spec.solve(n as f64, ridge).unwrap().test_mse(&f).unwrap();
        // Eigenlearning is exact only as n → ∞; the sheet (§10) measured 0–6%
        // finite-n deviations on this cube. Allow 3 standard errors + 6%.
        let tol = 3.0 * se + 0.06 * theory;
        eprintln!("parity{k} n={n} δ={ridge} ε²={noise}: MC {mean:.4} ± {se:.4} ({trials} trials), theory {theory:.4}");
        assert!(
            (mean - theory).abs() < tol,
            "parity{k} n={n}: MC {mean} ± {se} vs theory {theory}"
        );
        // An independent Monte Carlo (the sheet's) agrees within the joint sampling error.
        let joint = 3.0 * (se * se + sheet_se * sheet_se).sqrt();
        assert!(
            (mean - sheet_mc).abs() < joint,
            "parity{k} n={n}: MC {mean} vs sheet {sheet_mc}"
        );
    }
}

#[test]
fn fixed_dataset_learnabilities_sum_to_n_on_the_circle_and_the_cube() {
    // Circle, M = 10, the paper's nets of 1 and 4 hidden layers, n = 3 and 6.
    let m = 10;
    for depth in [1usize, 4] {
        let net = Network::<f64>::new(depth, Activation::Relu)
            .unwrap()
            .with_std(2f64.sqrt(), Some(0.1))
            .unwrap()
            .with_readout(Dense::new(1.0, Some(0.0)))
            .unwrap();
        let kern = DotProductKernel::unit_sphere(&net, 2).unwrap();
        let kernel = |a: usize, b: usize| {
            kern.ntk((2.0 * core::f64::consts::PI * (a as f64 - b as f64) / m as f64).cos())
        };
        for train in [&[0usize, 4, 7][..], &[1, 2, 3, 5, 8, 9]] {
            let n = train.len();
            let (mut factor, mut work, mut out) = ([0.0; 36], [0.0; 12], [0.0; 10]);
            let ds = FixedDataset::new(kernel, train, 0.0).unwrap();
            let total = ds
                .learnabilities(
                    |j, x| circle_eigenfunction(m, j, x),
                    &mut factor,
                    &mut work,
                    &mut out,
                )
                .unwrap();
            assert!(
                (total - n as f64).abs() < 1e-12,
                "depth {depth} n={n}: {total}"
            );
            assert!(out.iter().all(|&l| l > -1e-12 && l < 1.0 + 1e-12));
            // With ridge: the trace formula, < n.
            let ds = FixedDataset::new(kernel, train, 0.05).unwrap();
            let total = ds
                .learnabilities(
                    |j, x| circle_eigenfunction(m, j, x),
                    &mut factor,
                    &mut work,
                    &mut out,
                )
                .unwrap();
            let trace = ds.trace(&mut factor, &mut work).unwrap();
            assert!(
                (total - trace).abs() < 1e-12 && trace < n as f64,
                "{total} vs {trace}"
            );
        }
        // The theory's eigenvalues are the same basis' (sanity: λ from `circle`).
        let mut lam = [0.0; 10];
        circle(|t| kern.ntk(t), &mut lam).unwrap();
        assert!(lam.iter().all(|&l| l > 0.0));
    }
    // 6-cube, Walsh basis, n = 20, δ = 1e-3: sum = Tr[K(K + δI)⁻¹] < n.
    let net = paper_net();
    let kern = DotProductKernel::hypercube(&net, 6).unwrap();
    let kernel = |a: usize, b: usize| kern.ntk(1.0 - ((a ^ b).count_ones() as f64) / 3.0);
    let train: Vec<usize> = (0..20).map(|i| (i * 37 + 5) % 64).collect();
    let (mut factor, mut work, mut out) = ([0.0; 400], [0.0; 40], [0.0; 64]);
    let walsh = |s: usize, x: usize| {
        if (s & x).count_ones().is_multiple_of(2) {
            1.0
        } else {
            -1.0
        }
    };
    let ds = FixedDataset::new(kernel, &train, 1e-3).unwrap();
    let total = ds
        .learnabilities(walsh, &mut factor, &mut work, &mut out)
        .unwrap();
    let trace = ds.trace(&mut factor, &mut work).unwrap();
    assert!(
        (total - trace).abs() < 1e-12 && trace < 20.0 && trace > 19.0,
        "{total} {trace}"
    );
    // A repeated point without ridge is a typed error, not a NaN.
    let dup = [1usize, 1];
    let ds = FixedDataset::new(kernel, &dup, 0.0).unwrap();
    assert!(ds
        .learnabilities(walsh, &mut factor, &mut work, &mut out)
        .is_err());
}

#[test]
fn tiny_kappa_just_below_n_plus_is_found() {
    // δ = 0, n = N₊ − 10⁻¹²: κ ≈ 10⁻¹²/Σ(1/λ) ≈ 1e-13 for λ = (1, ½, ¼) (Σ1/λ = 7),
    // found by the geometric lower-bracket search, not mistaken for κ = 0.
    let lam = [1.0f64, 0.5, 0.25];
    let spec = Spectrum::modes(&lam).unwrap();
    let sol = spec.solve(3.0 - 1e-12, 0.0).unwrap();
    assert_eq!(sol.phase(), Phase::Regularized);
    assert!(rel(sol.kappa(), 1e-12 / 7.0) < 1e-3, "{}", sol.kappa());
    // Far below any representable κ: the δ → 0 limit at n = N₊.
    let sol = Spectrum::modes(&[1e-300f64, 1.0])
        .unwrap()
        .solve(2.0 - 1e-15, 0.0)
        .unwrap();
    assert!(sol.kappa() >= 0.0 && sol.kappa() < 1e-300);
}

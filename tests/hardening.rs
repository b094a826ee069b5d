//! Regression tests for the reproducers of the fuzzing report (issue 13): no
//! hang, no panic, no `Ok` with a non-finite value or with nothing written,
//! nothing lost on error. Expected values come from closed forms (or exact
//! integers computed outside the crate), never from the code under test.

use ntk::eigenlearning::{conservation::FixedDataset, Phase, Spectrum, Target};
use ntk::finite::FiniteNetwork;
use ntk::gram::{mirror_upper, Gram, Output, Points, RowMajor, Tile};
use ntk::regression::{Regime, Regressor, Ridge, Workspace};
use ntk::{spectrum, Activation, Error, Network};
use rand_xoshiro::{rand_core::SeedableRng, Xoshiro256PlusPlus};
use std::sync::mpsc;
use std::time::Duration;

/// Runs `f` on a thread: fails on a panic or if it takes longer than `secs`
/// (a hang on the unfixed code: the thread is left behind, the test fails).
fn within<R: Send + 'static>(secs: u64, f: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("did not return within {secs} s"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("panicked"),
    }
}

fn relu(depth: usize) -> Network<f64> {
    Network::new(depth, Activation::Relu).unwrap()
}

// ---- hangs ----

#[test]
fn kappa_solver_returns_for_a_subnormal_n() {
    // Σ 0.01/(0.01 + κ) = n over 9 modes: κ = 0.09/n − 0.01 ≈ 1.5e308 (or
    // beyond the range: κ = ∞ is then the NoData limit).
    let n = 6e-310f64;
    let sol = within(10, move || {
        Spectrum::modes(&[0.01f64; 9]).unwrap().solve(n, 0.0)
    })
    .unwrap();
    match sol.phase() {
        Phase::Regularized => assert!((sol.kappa() / (0.09 / n) - 1.0).abs() < 1e-3),
        Phase::NoData => assert!(sol.kappa().is_infinite()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn mirror_upper_with_a_wrapping_size_is_an_error() {
    let r = within(10, || mirror_upper(&mut [0.0f64], 1 << 32, 1 << 32));
    assert!(matches!(r, Err(Error::SizeOverflow { .. })), "{r:?}");
}

// ---- panics after a wrapped size check ----

#[test]
fn empirical_spectrum_with_a_wrapping_stride_is_an_error() {
    let r = within(10, move || {
        spectrum::empirical_strided(&mut [4.0f64], 2, usize::MAX, &mut [0.0; 2], None)
    });
    assert!(matches!(r, Err(Error::SizeOverflow { .. })), "{r:?}");
}

#[test]
fn workspace_of_a_wrapping_size_is_an_error() {
    let r = within(10, || {
        Workspace::new(&mut [0.0f64; 0], 1 << 63, 2, 1).map(|_| ())
    });
    assert!(matches!(r, Err(Error::SizeOverflow { .. })), "{r:?}");
    assert_eq!(Workspace::<f64>::required_len(1 << 63, 2, 1), usize::MAX);
}

// ---- Ok with nothing written, or the wrong thing ----

#[test]
fn gram_tile_with_a_wrapping_output_size_is_an_error() {
    let data = [1.0f64, 0.5, -1.0, 2.0];
    let x = Points::new(&data, 2).unwrap();
    let mut buf: [f64; 0] = [];
    let out = Output::nngp(RowMajor(&mut buf[..], usize::MAX));
    let r = Gram::new(relu(2)).tile(&x, &x, Tile::new(0..2, 0..1), out);
    assert!(matches!(r, Err(Error::SizeOverflow { .. })), "{r:?}");
    assert_eq!(Tile::new(0..2, 0..1).needed(usize::MAX), usize::MAX);
}

#[test]
fn points_point_beyond_the_end_panics_instead_of_wrapping() {
    let data = [1.0f64, 2.0, 3.0, 4.0];
    let x = Points::new(&data, 2).unwrap();
    // 2⁶³·2 wraps to 0: the unchecked index returned point 0.
    let r = std::panic::catch_unwind(|| x.point(1 << 63).to_vec());
    assert!(r.is_err(), "returned {:?}", r.ok());
}

#[test]
fn hypercube_multiplicity_is_right_for_large_d() {
    // C(200, 100), C(1000, 3), C(128, 64): exact integers (Python's math.comb), rounded.
    let c = spectrum::hypercube_multiplicity::<f64>(200, 100);
    assert!(
        (c / 90548514656103281165404177077484163874504589675413336841320.0 - 1.0).abs() < 1e-13
    );
    assert_eq!(
        spectrum::hypercube_multiplicity::<f64>(1000, 3),
        166167000.0
    );
    assert_eq!(
        spectrum::hypercube_multiplicity::<f64>(128, 64),
        2.3951146041928085e37
    );
    assert!(spectrum::hypercube_multiplicity::<f64>(5000, 2500).is_infinite());
    assert!(spectrum::hypercube_multiplicity::<f32>(200, 100).is_infinite());
}

// ---- Ok(NaN) or Ok(∞) ----

#[test]
fn gram_of_huge_inputs_is_an_error_not_nan() {
    let g = Gram::new(relu(2));
    let x = [2e154f64];
    assert!(matches!(g.entry(&x, &x), Err(Error::NonFinite { .. })));
    let p = Points::new(&x, 1).unwrap();
    let mut out = [0.0];
    let r = g.symmetric(&p, Output::ntk(RowMajor(&mut out, 1)));
    assert!(matches!(r, Err(Error::NonFinite { .. })), "{r:?} {out:?}");
    // The network's own check agrees.
    assert!(relu(2).kernels(&x, &x).is_err());
}

#[test]
fn a_bias_dominated_pair_keeps_cauchy_schwarz() {
    // Fuzzer find (network.kernels, seed 20261207, input 26915): σ_b² ≈ 1.6e274
    // swamps both inputs' variances, so every layer has q(x) = q(z) in
    // floating point and c = 1 − O(1e-236): the closed-form limit is
    // K(x, z) = K(x, x) = K(z, z) to rounding. The Dense gap update formed
    // σ_b²·(√p₁ − √p₂)² = ∞ and returned K(x, z) 31% above the diagonal.
    let net = Network::<f64>::new(3, Activation::Relu)
        .unwrap()
        .with_std(2.640504762372313, Some(1.281689079535247e137))
        .unwrap();
    let x = [
        2.0844926802976467,
        -6.6552297851736e-264,
        2.0079382471180303,
        1.7360754884523768,
        -2.638345572996785,
        -0.8665567748574099,
    ];
    let z = [
        -2.603214735548854,
        -1.5522743581168355,
        0.691741424934972,
        -1.395546019278937,
        -1.1162308315420957,
        -1e19,
    ];
    let (xz, xx, zz) = (
        net.kernels(&x, &z).unwrap(),
        net.kernels(&x, &x).unwrap(),
        net.kernels(&z, &z).unwrap(),
    );
    for (k, d1, d2) in [(xz.nngp, xx.nngp, zz.nngp), (xz.ntk, xx.ntk, zz.ntk)] {
        assert!(
            ((k - d1) / d1).abs() < 1e-13 && ((k - d2) / d2).abs() < 1e-13,
            "{xz:?} {xx:?} {zz:?}"
        );
    }
}

#[test]
fn network_point_with_overflowing_variances_is_an_error() {
    let net = relu(3).with_std(1e100, None).unwrap();
    assert!(matches!(net.point(&[1e100]), Err(Error::NonFinite { .. })));
    assert!(net.point(&[1.0]).is_err()); // σ_w²ᴸ = 1e600
    assert!(relu(3).point(&[1.0]).is_ok());
}

#[test]
fn regressor_rejects_a_target_whose_alpha_overflows_and_keeps_its_fit() {
    let net = Network::<f32>::new(2, Activation::Relu).unwrap();
    let mut reg = Regressor::<f32, 4, 1>::new(net, Regime::Ntk, Ridge::Absolute(1e-3)).unwrap();
    reg.insert([1.0], [0.5]).unwrap();
    let before = (
        reg.predict(&[0.3]).unwrap(),
        reg.lambda(),
        reg.alpha().to_vec(),
    );
    // K(x, x) + λ is small for a small |x|: α = y/(K + λ) overflows f32.
    let rejected = reg.insert([1e-3], [3.4e38]).unwrap_err();
    assert!(
        matches!(rejected.error, Error::NonFinite { .. }),
        "{rejected:?}"
    );
    assert_eq!(reg.len(), 1);
    let after = (
        reg.predict(&[0.3]).unwrap(),
        reg.lambda(),
        reg.alpha().to_vec(),
    );
    assert_eq!(before, after);
    // The first point's α overflows: rejected, λ unchanged.
    let mut empty = Regressor::<f32, 4, 1>::new(net, Regime::Ntk, Ridge::Absolute(1e-3)).unwrap();
    assert!(empty.insert([1e-3], [3.4e38]).is_err());
    assert_eq!((empty.len(), empty.lambda()), (0, 0.0));
}

#[test]
fn loo_and_choose_ridge_never_return_an_infinite_mse() {
    let net = Network::<f32>::new(2, Activation::Relu).unwrap();
    let mut reg = Regressor::<f32, 4, 1>::new(net, Regime::Ntk, Ridge::Absolute(1e-3)).unwrap();
    let x = [[1.0f32], [-1.0], [0.5]];
    // α ~ y is finite; the residuals' squares (~1e40) overflow f32.
    let y = [[1e20f32], [-1e20], [1e20]];
    reg.fit(&x, &y).unwrap();
    // Residuals of size ~y: their squares overflow f32.
    assert!(matches!(reg.loo_residuals(), Err(Error::NonFinite { .. })));
    let before = reg.predict(&[0.3]).unwrap();
    let r = reg.choose_ridge(&[1e-3, 1e-2]);
    assert!(r.is_err(), "{r:?}");
    assert_eq!(reg.ridge(), Ridge::Absolute(1e-3));
    assert_eq!(reg.predict(&[0.3]).unwrap(), before);
}

#[test]
fn a_fit_whose_kernel_overflows_is_an_error_and_keeps_the_old_fit() {
    let net = Network::<f32>::new(2, Activation::Relu).unwrap();
    let mut reg = Regressor::<f32, 4, 1>::new(net, Regime::Ntk, Ridge::Absolute(1e-3)).unwrap();
    reg.fit(&[[1.0], [-0.5]], &[[1.0], [2.0]]).unwrap();
    let before = (reg.predict(&[0.3]).unwrap(), reg.lambda(), reg.len());
    // |x|² = 7.8e38 overflows f32.
    let r = reg.fit(&[[2.8e19]], &[[1.0]]);
    assert!(matches!(r, Err(Error::NonFinite { .. })), "{r:?}");
    assert_eq!(
        (reg.predict(&[0.3]).unwrap(), reg.lambda(), reg.len()),
        before
    );
}

#[test]
fn kappa_does_not_underflow_to_zero_in_the_regularized_regime() {
    // One mode λ = 1, n = 2, δ = 1e-200: 1/(1 + κ) + δ/κ = 2 → κ = δ(1 + O(δ)).
    let spec = Spectrum::modes(&[1.0f64]).unwrap();
    let sol = spec.solve(2.0, 1e-200).unwrap();
    assert_eq!(sol.phase(), Phase::Regularized);
    assert!(
        (sol.kappa() / 1e-200 - 1.0).abs() < 1e-12,
        "{:e}",
        sol.kappa()
    );
    let f = Target::coefficients(&[1.0]).unwrap();
    // E₀ = n/(δ/κ + L(1 − L)) = 2/(1 + O(δ)) = 2; B = (1 − L)² = O(δ²) + 0.
    let (test, var, train) = (
        sol.test_mse(&f).unwrap(),
        sol.variance(&f).unwrap(),
        sol.train_mse(&f).unwrap(),
    );
    for v in [test, var, train] {
        assert!(v.is_finite() && v >= 0.0, "{test} {var} {train}");
    }
    assert!((sol.overfitting() - 2.0).abs() < 1e-12);
}

#[test]
fn kappa_of_a_ridge_below_the_normal_range_is_its_limit() {
    // δ = 1e-320 (subnormal), n = 3 > N₊ = 1: κ = δ/(n − N₊) underflows;
    // the limit is the ridgeless n > N₊ case, E₀ = n/(n − N₊) = 1.5.
    let spec = Spectrum::modes(&[1.0f64]).unwrap();
    let sol = spec.solve(3.0, 1e-320).unwrap();
    assert!((sol.overfitting() - 1.5).abs() < 1e-12, "{sol:?}");
    let f = Target::coefficients(&[1.0])
        .unwrap()
        .with_noise(0.5)
        .unwrap();
    assert!(sol.variance(&f).unwrap() >= 0.0);
    assert!(sol.train_mse(&f).unwrap().is_finite());
}

#[test]
fn target_learnability_of_huge_weights_is_finite() {
    let lam = [1.0f64, 0.25];
    let sol = Spectrum::modes(&lam).unwrap().solve(1.0, 0.1).unwrap();
    let huge = Target::level_weights(&[1e308, 1e308]).unwrap();
    let unit = Target::level_weights(&[1.0, 1.0]).unwrap();
    // L(f) is scale-free: (L₀ + L₁)/2 for equal weights.
    let want = (sol.learnability(0) + sol.learnability(1)) / 2.0;
    assert!((sol.target_learnability(&huge).unwrap() - want).abs() < 1e-15);
    assert!((sol.target_learnability(&unit).unwrap() - want).abs() < 1e-15);
    let coeffs = Target::coefficients(&[1e200, 1e200]).unwrap();
    assert!((sol.target_learnability(&coeffs).unwrap() - want).abs() < 1e-15);
    // A bias Σ (1 − L)²V beyond the range: an error, not ∞ (κ ≫ λ: 1 − L ≈ 1).
    let wide = Spectrum::modes(&lam).unwrap().solve(1.0, 1e6).unwrap();
    let max = Target::level_weights(&[f64::MAX, f64::MAX]).unwrap();
    assert!(matches!(wide.test_mse(&max), Err(Error::NonFinite { .. })));
    assert!(matches!(wide.bias(&max), Err(Error::NonFinite { .. })));
    let l = wide.target_learnability(&max).unwrap();
    let want = (wide.learnability(0) + wide.learnability(1)) / 2.0;
    assert!((l - want).abs() < 1e-15 * want, "{l} {want}");
}

#[test]
fn fixed_dataset_trace_of_a_tiny_kernel_is_n() {
    // K = 1e-310·I (subnormal), no ridge: Tr[K K⁻¹] = n = 2.
    let kernel = |a: usize, b: usize| if a == b { 1e-310f64 } else { 0.0 };
    let train = [0usize, 1];
    let ds = FixedDataset::new(kernel, &train, 0.0).unwrap();
    let (mut factor, mut work) = ([0.0; 4], [0.0; 2]);
    assert_eq!(ds.trace(&mut factor, &mut work).unwrap(), 2.0);
}

#[test]
fn spectra_reject_nan_and_overflow() {
    assert!(matches!(
        spectrum::fwht(&mut [f64::NAN, 1.0]),
        Err(Error::NonFinite { .. })
    ));
    let mut v = [1e308f64, 1e308];
    assert!(matches!(
        spectrum::fwht(&mut v),
        Err(Error::NonFinite { .. })
    ));
    assert_eq!(v, [1e308, 1e308], "written on error");
    let mut lam = [0.0f64; 4];
    assert!(spectrum::circle(|_| 1e308, &mut lam).is_err());
    let (mut x, mut w) = ([0.0f64; 8], [0.0; 8]);
    spectrum::gauss_legendre(&mut x, &mut w).unwrap();
    x[3] = f64::NAN;
    assert!(spectrum::sphere(3, |t| t, &x, &w, &mut lam).is_err());
    // A constant kernel f = c on the 64-cube: λ₀ = c, the rest 0, even for c
    // near the largest finite number (the sums reach 2⁶⁴·c).
    let mut lam = [1.0f64; 65];
    spectrum::hypercube(64, |_| 1e300, &mut lam).unwrap();
    assert!((lam[0] / 1e300 - 1.0).abs() < 1e-15, "{lam:?}");
    assert!(lam[1..].iter().all(|&l| l.abs() < 1e-30 * 1e300), "{lam:?}");
    let vectors = [1.0f64, 0.0, 0.0, 1.0];
    let mut c = [7.0f64; 2];
    assert!(spectrum::empirical_coefficients(&vectors, 2, &[f64::NAN, 1.0], &mut c).is_err());
    assert_eq!(c, [7.0, 7.0]);
}

#[test]
fn finite_networks_never_return_non_finite_values_in_ok() {
    // Depth 1, d = 1, w = 1, σ_w = 1e10, no biases: θ = [W⁰, b⁰, W¹, b¹].
    // h = 1e10·1e290 = 1e300 = a, f = 1e10·1e-20·a = 1e290 (finite), but
    // ∂f/∂W¹ = 1e10·a = ∞.
    let net = relu(1).with_std(1e10, None).unwrap();
    let fnet = FiniteNetwork::new(net, 1, 1).unwrap();
    let params = [1e290f64, 0.0, 1e-20, 0.0];
    let (mut grad, mut work) = ([0.0; 4], vec![0.0; fnet.workspace_len(2)]);
    let r = fnet.gradient(&params, &[1.0], &mut grad, &mut work);
    assert!(matches!(r, Err(Error::NonFinite { .. })), "{r:?} {grad:?}");
    // Kernel samples ~1e200: their spread squared (~1e400) overflows the
    // standard error.
    let fnet = FiniteNetwork::new(relu(1), 2, 4).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let mut p = vec![0.0; fnet.param_len()];
    let big = [1e100, 1e100];
    let r = fnet.monte_carlo(&mut rng, 8, &big, &big, &mut p, &mut work);
    assert!(r.is_err(), "{r:?}");
}

// ---- state lost on error ----

/// An online model of two identical points (possible thanks to the
/// relative ridge), its λ from the first point's K(x, x).
fn online() -> Regressor<f64, 4, 2> {
    let mut reg =
        Regressor::<f64, 4, 2>::new(relu(2), Regime::Ntk, Ridge::RelativeToMeanDiagonal(0.1))
            .unwrap();
    reg.insert([1.0, 0.0], [1.0]).unwrap();
    reg.insert([0.0, 2.0], [2.0]).unwrap();
    reg.insert([0.0, 2.0], [3.0]).unwrap();
    reg
}

#[test]
fn a_failed_choose_ridge_keeps_the_online_model_and_its_lambda() {
    let mut reg = online();
    let before = (
        reg.lambda(),
        reg.ridge(),
        reg.predict(&[0.5, 0.5]).unwrap()[0],
    );
    // r = 0: the duplicate makes A singular, no grid value works.
    assert!(reg.choose_ridge(&[0.0]).is_err());
    let after = (
        reg.lambda(),
        reg.ridge(),
        reg.predict(&[0.5, 0.5]).unwrap()[0],
    );
    assert_eq!(before, after); // the factor kept: bit for bit
}

#[test]
fn a_failed_set_ridge_keeps_the_ridge_and_the_factor() {
    let mut reg = online();
    let before = (
        reg.lambda(),
        reg.ridge(),
        reg.predict(&[0.5, 0.5]).unwrap()[0],
    );
    assert!(reg.set_ridge(Ridge::Absolute(0.0)).is_err());
    let after = (
        reg.lambda(),
        reg.ridge(),
        reg.predict(&[0.5, 0.5]).unwrap()[0],
    );
    assert_eq!(before, after); // the factor kept: bit for bit
                               // A batch-fitted model is restored bit for bit.
    let mut reg = Regressor::<f64, 4, 2>::new(relu(2), Regime::Ntk, Ridge::Absolute(1e-6)).unwrap();
    reg.fit(
        &[[1.0, 0.0], [0.0, 2.0], [0.0, 2.0]],
        &[[1.0], [2.0], [3.0]],
    )
    .unwrap();
    let (alpha, pred) = (reg.alpha().to_vec(), reg.predict(&[0.5, 0.5]).unwrap());
    assert!(reg.set_ridge(Ridge::Absolute(0.0)).is_err());
    assert_eq!(
        (reg.alpha().to_vec(), reg.predict(&[0.5, 0.5]).unwrap()),
        (alpha, pred)
    );
    assert_eq!(reg.ridge(), Ridge::Absolute(1e-6));
}

#[test]
fn a_rejected_first_insert_keeps_lambda() {
    let mut reg =
        Regressor::<f64, 4, 2>::new(relu(2), Regime::Ntk, Ridge::RelativeToMeanDiagonal(0.1))
            .unwrap();
    reg.insert([1.0, 0.0], [1.0]).unwrap();
    reg.remove(0).unwrap();
    let lambda = reg.lambda();
    assert!(lambda > 0.0);
    // K(0, 0) = 0 without biases: the pivot is 0 at any relative ridge.
    assert!(reg.insert([0.0, 0.0], [1.0]).is_err());
    assert_eq!((reg.len(), reg.lambda()), (0, lambda));
}

// ---- checked getters beside the panicking index accessors ----

#[test]
fn index_accessors_have_checked_forms() {
    let (lam, mult) = ([1.0f64, 0.5], [1.0, 3.0]);
    let spec = Spectrum::levels(&lam, &mult).unwrap();
    assert_eq!(spec.level(1), Some((0.5, 3.0)));
    assert_eq!(spec.level(2), None);
    assert_eq!(spec.level(usize::MAX), None);
    // κ for n = 1, δ = 0 on modes (1, ½×3): 1/(1 + κ) + 3·½/(½ + κ) = 1.
    let sol = spec.solve(1.0, 0.0).unwrap();
    assert_eq!(sol.get_learnability(0), Some(sol.learnability(0)));
    assert_eq!(sol.get_learnability(2), None);
    let t = Target::coefficients(&[2.0, 1.0]).unwrap();
    assert_eq!((t.get_weight(0), t.get_weight(2)), (Some(4.0), None));
    let mut reg = Regressor::<f64, 4, 2>::new(relu(2), Regime::Ntk, Ridge::Absolute(1e-3)).unwrap();
    reg.fit(&[[1.0, 0.0], [0.0, 1.0]], &[[1.0], [2.0]]).unwrap();
    let basis = reg.eigenbasis().unwrap();
    let b = basis.basis();
    // Orthonormal columns (Jacobi), checked through the getter.
    let dot = |k: usize, l: usize| {
        (0..2)
            .map(|i| b.get(i, k).unwrap() * b.get(i, l).unwrap())
            .sum::<f64>()
    };
    assert!((dot(0, 0) - 1.0).abs() < 1e-14 && dot(0, 1).abs() < 1e-14);
    assert_eq!(
        (b.get(2, 0), b.get(0, 2), b.get(usize::MAX, 0)),
        (None, None, None)
    );
    assert!(std::panic::catch_unwind(|| b.vector(0, 2)).is_err());
}

// ---- found by the fuzz driver (fuzz/) ----

#[test]
fn a_weight_std_whose_square_overflows_is_refused() {
    // σ_w = 1e200: σ_w² = ∞ would make every kernel ∞.
    let r = relu(1).with_std(1e200, None);
    assert!(matches!(r, Err(Error::NonFinite { .. })), "{r:?}");
    assert!(relu(1).with_std(1.0, Some(1e160)).is_err());
    assert!(relu(1).with_std(1e150, Some(1e150)).is_ok());
}

#[test]
fn walsh_level_weights_that_overflow_are_an_error() {
    // f = (1e300, 1e300): f̂(∅) = 1e300, V₀ = 1e600.
    let mut f = [1e300f64, 1e300];
    let mut w = [0.0; 2];
    assert!(matches!(
        spectrum::walsh_level_weights(&mut f, &mut w),
        Err(Error::NonFinite { .. })
    ));
}

#[test]
fn subnormal_eigenvalues_count_as_zero_and_learnabilities_never_exceed_n() {
    // λ = (1, 1e-310), n = 1.5, no ridge: κ would be subnormal; the mode is
    // dropped (N₊ = 1 < n), so Σ mL = N₊ = 1 ≤ n (it was 2 > n).
    let sol = Spectrum::modes(&[1.0f64, 1e-310])
        .unwrap()
        .solve(1.5, 0.0)
        .unwrap();
    assert_eq!(sol.phase(), Phase::Underparameterized);
    assert_eq!(sol.learnability_sum(), 1.0);
    // λ = (1, 2.3e-308), n = 1.9: κ ≈ 2.6e-309 lies below the normal range
    // with n clearly below N₊ = 2: an error, not Σ mL = 2 > n.
    let r = Spectrum::modes(&[1.0f64, 2.3e-308])
        .unwrap()
        .solve(1.9, 0.0);
    match r {
        Ok(s) => assert!(s.learnability_sum() <= 1.9 * (1.0 + 1e-12), "{s:?}"),
        Err(e) => assert!(matches!(e, Error::Undefined { .. }), "{e:?}"),
    }
}

#[test]
fn dkappa_dn_is_not_nan_when_kappa_squared_underflows() {
    // κ ≈ 1.2e-183 (κ² = 0): a zero eigenvalue gave 0/0 in Σ mλ/(λ + κ)².
    let lam = [0.0f64, 0.6380405030943969, 0.5473959923236644];
    let sol = Spectrum::modes(&lam)
        .unwrap()
        .solve(10.43745628199142, 1e-182)
        .unwrap();
    assert_eq!(sol.phase(), Phase::Regularized);
    let d = sol.dkappa_dn();
    // −1/(δ/κ² + …) with δ/κ² ≈ 1e183: a tiny negative number (or −0).
    assert!(!d.is_nan() && d <= 0.0 && d > -1e-150, "{d:e}");
}

#[test]
fn a_tile_with_a_huge_stride_and_one_row_is_filled() {
    // One row at stride usize::MAX: the prefetch of "the next row" overflowed.
    let data = [1.0f64, 0.5, -1.0, 2.0, 0.0, 1.0];
    let x = Points::new(&data, 2).unwrap();
    let g = Gram::new(relu(2));
    let mut out = [0.0f64; 3];
    g.tile(
        &x,
        &x,
        Tile::new(0..1, 0..3),
        Output::ntk(RowMajor(&mut out, usize::MAX)),
    )
    .unwrap();
    for (j, &v) in out.iter().enumerate() {
        assert_eq!(v, g.entry(x.point(0), x.point(j)).unwrap().ntk);
    }
}

#[test]
fn an_unfitted_model_shows_no_alpha() {
    // Duplicate points, no ridge: the fit needs a ridge and leaves the model
    // unfitted; α of the failed trial is not shown.
    let mut reg = Regressor::<f64, 4, 2>::new(relu(2), Regime::Ntk, Ridge::Absolute(0.0)).unwrap();
    let r = reg.fit(&[[1.0, 0.0], [1.0, 0.0]], &[[1.0], [2.0]]);
    assert!(matches!(r, Err(Error::NotPositiveDefinite { .. })), "{r:?}");
    assert!(reg.alpha().is_empty());
    assert!(reg.predict(&[0.5, 0.5]).is_err());
}

#[test]
fn the_kappa_solver_and_the_learnabilities_agree_near_the_largest_float() {
    // Found by the fuzz driver (long run, eigenlearning.solve #240394): a
    // mode at λ = MAX made λ + κ overflow; the solver counted it as L = 0, the
    // solution as L = 1, so Σ mL = 10.27 exceeded n = 9.76. With one L for
    // both, Σ mL = n − δ/κ (E1).
    let lam = [
        1e19f64,
        2.6011502575206578e296,
        1.0131176290698636,
        f64::MAX,
        2.468615053902962,
    ];
    let mult = [35.0, 19.0, 4.0, 0.5186064749188879, 16.0];
    let (n, ridge) = (9.755419322221485, 0.7778820798686015);
    let sol = Spectrum::levels(&lam, &mult)
        .unwrap()
        .solve(n, ridge)
        .unwrap();
    let want = n - ridge / sol.kappa();
    assert!(
        (sol.learnability_sum() - want).abs() <= 1e-12 * n,
        "{} vs {want}",
        sol.learnability_sum()
    );
}

/// ∂κ/∂n where κ sits at the bottom of the normal range: the old form
/// −1/(δ/κ² + Σ mλ/(λ + κ)²) had terms m·L/(λ + κ) that overflow, and its
/// compensated sum returned NaN (a fuzz finding, seed 20261208 #25467).
/// Against the central difference of κ(n).
#[test]
fn dkappa_dn_is_finite_where_kappa_is_tiny() {
    let lam = [
        5e-324,
        5e-324,
        2.2597200614909543,
        1e154,
        2.2250738585072014e-308,
    ];
    let m = [44.0, 5.0, 1.0, 2.1882553898087274, 37.0];
    let spec = Spectrum::levels(&lam, &m).unwrap();
    let n = 1.74676858069061e1;
    let sol = spec.solve(n, 0.0).unwrap();
    assert_eq!(sol.phase(), Phase::Regularized);
    let d = sol.dkappa_dn();
    let h = 1e-6 * n;
    let kappa = |n: f64| spec.solve(n, 0.0).unwrap().kappa();
    let fd = (kappa(n + h) - kappa(n - h)) / (2.0 * h);
    assert!(
        d.is_finite() && (d - fd).abs() <= 1e-5 * fd.abs(),
        "∂κ/∂n = {d:e}, central difference {fd:e}"
    );
}

/// κ where every learnability is below the normal range: n = 2.3e-300
/// training points' worth of one level (m = 3.4e38, λ = 1.9e-171) has
/// L = 6.8e-339, which is 0 in f64; the solver summed m·L and returned a κ
/// 1e15 too small (E₀ = 1.4e-15 < 1; a fuzz finding, seed 20261208
/// #225572). The root of mλ/(λ + κ) = n is κ = mλ/n − λ.
#[test]
fn kappa_is_right_where_learnabilities_underflow() {
    let (lam, m, n) = (
        [1.9393230560407716e-171f64],
        [3.4028234663852886e38],
        2.307567679971408e-300f64,
    );
    let sol = Spectrum::levels(&lam, &m).unwrap().solve(n, 0.0).unwrap();
    let want = m[0] * lam[0] / n - lam[0];
    assert!(
        (sol.kappa() - want).abs() <= 1e-13 * want,
        "κ = {:e}, want {want:e}",
        sol.kappa()
    );
    assert!((sol.learnability_sum() - n).abs() <= 1e-13 * n);
    assert!(sol.overfitting() >= 1.0);
}

/// A relative ridge over kernel diagonals whose sum overflows (four points
/// with K(x, x) = 7.2e307): the mean diagonal summed first was ∞, so λ = ∞
/// and the fit failed at pivot 0 with a suggested ridge of ∞ (a fuzz
/// finding: a refit of a working model failed the same way).
#[test]
fn relative_ridge_of_diagonals_near_max_fits() {
    let net = Network::new(1, Activation::Identity).unwrap();
    let mut reg =
        Regressor::<f64, 4, 2>::new(net, Regime::Nngp, Ridge::RelativeToMeanDiagonal(1e-3))
            .unwrap();
    let s = 1.2e154;
    let x: [[f64; 2]; 4] = core::array::from_fn(|i| {
        let t = i as f64;
        [s * t.cos(), s * t.sin()]
    });
    reg.fit(&x, &[[1.0], [0.5], [-0.5], [2.0]]).unwrap();
    assert!((reg.lambda() - 1e-3 * s * s / 2.0).abs() <= 1e-12 * reg.lambda());
    reg.refit().unwrap();
    assert!(reg.predict(&[s, 0.0]).unwrap()[0].is_finite());
}

/// A model that inserts and a removal built, whose A = K + λI (a linear
/// kernel of rank 3 on four points, λ = 1e-6, f32) no longer factors from
/// scratch: the downdated factor is not the one a refactoring computes.
/// (The fuzzer's regression.refit.f32 #470363, seed 20261209.)
fn downdated() -> Regressor<f32, 6, 2> {
    let net = Network::new(2, Activation::Identity)
        .and_then(|n| n.with_std(0.552_687_17, Some(0.295_273_78)))
        .and_then(|n| n.with_standard_parameterization(&[4, 4]))
        .unwrap();
    let mut reg = Regressor::<f32, 6, 2>::new(net, Regime::Ntk, Ridge::Absolute(1e-6)).unwrap();
    // The fuzzer's values (f32, printed through f64).
    let points: [([f64; 2], f64); 6] = [
        (
            [0.15276533365249634, -1.5039544105529785],
            -2.3174757957458496,
        ),
        (
            [2.9400393962860107, 2.8822271823883057],
            -1.7554987668991089,
        ),
        ([0.2531556487083435, -1.1022223234176636], 2.275604009628296),
        (
            [2.8833868503570557, 0.09310421347618103],
            -0.3586871027946472,
        ),
        (
            [2.8434252738952637, 0.04656186327338219],
            2.0421388149261475,
        ),
        (
            [2.8920717239379883, -0.8680819869041443],
            -2.623290777206421,
        ),
    ];
    for (x, y) in points {
        let _ = reg.insert(x.map(|v| v as f32), [y as f32]); // the fifth is rejected
    }
    reg.remove(0).unwrap();
    reg
}

#[test]
fn failed_trials_keep_a_factor_that_does_not_refactor() {
    let state = |r: &Regressor<f32, 6, 2>| {
        (
            r.len(),
            r.lambda(),
            r.ridge(),
            r.alpha().to_vec(),
            r.predict(&[0.3, -0.7]).ok(),
        )
    };
    let before = state(&downdated());
    assert_eq!(before.0, 4);
    assert!(before.4.is_some());
    let mut reg = downdated();
    assert!(matches!(
        reg.refit(),
        Err(Error::NotPositiveDefinite { .. })
    ));
    assert_eq!(state(&reg), before);
    let mut reg = downdated();
    assert!(reg.set_ridge(Ridge::Absolute(1e-7)).is_err());
    assert_eq!(state(&reg), before);
    let mut reg = downdated();
    assert!(reg.choose_ridge(&[0.0, 1e-7]).is_err());
    assert_eq!(state(&reg), before);
    let mut reg = downdated();
    // Near-duplicate points with opposite targets: α ≈ ±MAX/λ.
    let overflows = reg.fit(&[[1.0, 0.0], [1.0, 1e-3]], &[[f32::MAX], [-f32::MAX]]);
    assert!(
        matches!(overflows, Err(Error::NonFinite { .. })),
        "{overflows:?}"
    );
    assert_eq!(state(&reg), before);
}

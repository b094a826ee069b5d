//! Properties of the regressor that must hold whatever the data: ridgeless
//! interpolation, the t → ∞ and t = 0 limits, online updates equal to batch
//! refits, closed-form LOO residuals equal to brute-force refits, variances
//! ≥ 0 and shrinking at training points; plus the error paths and sizes.

use ntk::regression::{Inline, Regime, Regressor, Ridge, Time};
use ntk::{Activation, Error, Network};
use proptest::prelude::*;

const N: usize = 10;
const D: usize = 3;
type Reg = Regressor<f64, N, D, 2>;

fn net(kind: u8) -> Network<f64> {
    match kind % 3 {
        0 => Network::new(2, Activation::Relu)
            .unwrap()
            .with_std(1.5, Some(0.1))
            .unwrap(),
        1 => Network::new(
            1,
            Activation::Erf {
                a: 1.0,
                b: 1.0,
                c: 0.0,
            },
        )
        .unwrap()
        .with_std(1.2, Some(0.3))
        .unwrap(),
        _ => Network::new(3, Activation::Gelu)
            .unwrap()
            .with_std(1.3, Some(0.05))
            .unwrap(),
    }
}

fn regime(ntk: bool) -> Regime {
    if ntk {
        Regime::Ntk
    } else {
        Regime::Nngp
    }
}

/// n distinct points in [−2, 2]³ (at least 0.3 apart so that Gram matrices stay PD) and targets.
fn data() -> impl Strategy<Value = (Vec<[f64; D]>, Vec<[f64; 2]>)> {
    (2usize..=N)
        .prop_flat_map(|n| {
            (
                prop::collection::vec(prop::array::uniform3(-2.0f64..2.0), n),
                prop::collection::vec(prop::array::uniform2(-3.0f64..3.0), n),
            )
        })
        .prop_filter("distinct points", |(x, _)| {
            x.iter().enumerate().all(|(i, a)| {
                x[..i]
                    .iter()
                    .all(|b| a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum::<f64>() > 0.09)
            })
        })
}

fn fitted(kind: u8, ntk: bool, ridge: Ridge<f64>, x: &[[f64; D]], y: &[[f64; 2]]) -> Reg {
    let mut r = Reg::new(net(kind), regime(ntk), ridge).unwrap();
    r.fit(x, y).unwrap();
    r
}

/// Condition number of K(X, X) + λI from the Jacobi eigenvalues.
fn condition(net: &Network<f64>, regime: Regime, x: &[[f64; D]], lambda: f64) -> f64 {
    let n = x.len();
    let mut a = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            let k = net.kernels(&x[i], &x[j]).unwrap();
            a[i * n + j] = if regime == Regime::Ntk { k.ntk } else { k.nngp }
                + if i == j { lambda } else { 0.0 };
        }
    }
    // nalgebra's eigensolver: an independent reference for the condition number.
    let e = nalgebra::DMatrix::from_row_slice(n, n, &a).symmetric_eigenvalues();
    e.max() / e.min()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn ridgeless_fit_interpolates(kind in 0u8..3, ntk: bool, (x, y) in data()) {
        let r = fitted(kind, ntk, Ridge::Absolute(0.0), &x, &y);
        let kappa = condition(&net(kind), regime(ntk), &x, 0.0);
        let ymax = y.iter().flatten().fold(1.0f64, |m, v| m.max(v.abs()));
        let tol = 8.0 * x.len() as f64 * kappa * f64::EPSILON * ymax;
        for (xi, yi) in x.iter().zip(&y) {
            let f = r.predict(xi).unwrap();
            for m in 0..2 { prop_assert!((f[m] - yi[m]).abs() <= tol, "{} vs {} (tol {tol:e}, κ {kappa:e})", f[m], yi[m]); }
        }
    }

    #[test]
    fn finite_time_limits(kind in 0u8..3, ntk: bool, (x, y) in data(), q in prop::array::uniform3(-2.0f64..2.0), z in prop::array::uniform3(-2.0f64..2.0)) {
        let r = fitted(kind, ntk, Ridge::Absolute(1e-3), &x, &y);
        let s = r.eigenbasis().unwrap();
        // t → ∞: choose t with e_min·η·t/(n·O) = 60, so exp(−60) is below rounding.
        let n_y = (x.len() * 2) as f64;
        let t_big = 60.0 * n_y / s.basis().values()[0];
        let (late, inf) = (s.at(t_big, 1.0), Time::Infinite);
        let (m1, m2) = (r.predict_at(&q, &late).unwrap(), r.predict_at(&q, &inf).unwrap());
        let (c1, c2) = (r.covariance(&q, &z, &late).unwrap(), r.covariance(&q, &z, &inf).unwrap());
        let kappa = condition(&net(kind), regime(ntk), &x, 1e-3);
        let tol = 1e3 * kappa * f64::EPSILON;
        let scale = m2.iter().fold(1.0f64, |a, v| a.max(v.abs()));
        for m in 0..2 { prop_assert!((m1[m] - m2[m]).abs() <= tol * scale * 10.0, "{m1:?} vs {m2:?}"); }
        let prior = net(kind).kernels(&q, &z).unwrap().nngp;
        let cscale = prior.abs().max(net(kind).kernels(&q, &q).unwrap().nngp);
        prop_assert!((c1 - c2).abs() <= tol * cscale * 10.0 + 1e-9 * cscale, "{c1} vs {c2}");
        // t = 0: the prior, mean 0 and covariance Σ(q, z).
        let start = s.at(0.0, 0.7);
        prop_assert_eq!(r.predict_at(&q, &start).unwrap(), [0.0, 0.0]);
        prop_assert!((r.covariance(&q, &z, &start).unwrap() - prior).abs() <= 1e-14 * cscale);
    }

    #[test]
    fn online_insert_and_remove_equal_batch_refit(kind in 0u8..3, ntk: bool, (x, y) in data(), k_frac in 0.0f64..1.0, q in prop::array::uniform3(-2.0f64..2.0)) {
        let ridge = Ridge::Absolute(1e-2);
        let mut online = Reg::new(net(kind), regime(ntk), ridge).unwrap();
        for (xi, yi) in x.iter().zip(&y) { online.insert(*xi, *yi).unwrap(); }
        let n = x.len();
        let k = ((k_frac * n as f64) as usize).min(n - 1);
        online.remove(k).unwrap();
        let (mut xb, mut yb) = (x.clone(), y.clone());
        xb.remove(k);
        yb.remove(k);
        let batch = fitted(kind, ntk, ridge, &xb, &yb);
        prop_assert_eq!(online.len(), n - 1);
        for (i, xi) in xb.iter().enumerate() { prop_assert_eq!(online.input(i).unwrap(), &xi[..]); }
        let kappa = condition(&net(kind), regime(ntk), &xb, 1e-2);
        let tol = 1e2 * kappa * f64::EPSILON;
        let (a, b) = (online.predict(&q).unwrap(), batch.predict(&q).unwrap());
        let scale = b.iter().fold(1.0f64, |s, v| s.max(v.abs()));
        for m in 0..2 { prop_assert!((a[m] - b[m]).abs() <= tol * scale, "{a:?} vs {b:?}"); }
        let (va, vb) = (online.predict_with_variance(&q).unwrap().1, batch.predict_with_variance(&q).unwrap().1);
        let vscale = net(kind).kernels(&q, &q).unwrap().nngp;
        prop_assert!((va - vb).abs() <= tol * vscale, "{va} vs {vb}");
    }

    #[test]
    fn loo_residuals_equal_brute_force(kind in 0u8..3, ntk: bool, (x, y) in data(), ridge in 1e-4f64..1.0) {
        prop_assume!(x.len() >= 3);
        let r = fitted(kind, ntk, Ridge::Absolute(ridge), &x, &y);
        let (loo, mse) = r.loo_residuals().unwrap();
        let mut sum = 0.0;
        for i in 0..x.len() {
            let (mut xb, mut yb) = (x.clone(), y.clone());
            xb.remove(i);
            yb.remove(i);
            let f = fitted(kind, ntk, Ridge::Absolute(ridge), &xb, &yb).predict(&x[i]).unwrap();
            let kappa = condition(&net(kind), regime(ntk), &x, ridge);
            for m in 0..2 {
                let brute = y[i][m] - f[m];
                sum += brute * brute;
                prop_assert!((loo[i][m] - brute).abs() <= 1e2 * kappa * f64::EPSILON * (1.0 + brute.abs()) * 10.0, "{} vs {brute}", loo[i][m]);
            }
        }
        let brute_mse = sum / (2 * x.len()) as f64;
        prop_assert!((mse - brute_mse).abs() <= 1e-6 * brute_mse.max(1e-12));
    }

    #[test]
    fn variance_nonnegative_and_shrinks_at_training_points(kind in 0u8..3, ntk: bool, (x, y) in data(), q in prop::array::uniform3(-2.0f64..2.0)) {
        let r = fitted(kind, ntk, Ridge::Absolute(1e-6), &x, &y);
        let network = net(kind);
        let (_, v) = r.predict_with_variance(&q).unwrap();
        prop_assert!(v >= 0.0);
        // Raw covariance (unclamped) is ≥ −rounding, and ≤ the prior.
        let raw = r.covariance(&q, &q, &Time::Infinite).unwrap();
        let prior = network.kernels(&q, &q).unwrap().nngp;
        let kappa = condition(&network, regime(ntk), &x, 1e-6);
        prop_assert!(raw >= -1e2 * kappa * f64::EPSILON * prior, "{raw}");
        if !ntk { prop_assert!(raw <= prior * (1.0 + 1e-12)); }
        for xi in &x {
            let vi = r.predict_with_variance(xi).unwrap().1;
            let pi = network.kernels(xi, xi).unwrap().nngp;
            // At a training point the variance collapses: ≤ λ for the NNGP posterior
            // (Σᵢᵢ − kᵢᵀ(K + λI)⁻¹kᵢ = λ·[K(K + λI)⁻¹]ᵢᵢ), O(λ) for the NTK ensemble.
            let bound = if ntk { 1e-3 * pi } else { 1e-6 } + 1e2 * kappa * f64::EPSILON * pi;
            prop_assert!(vi <= bound, "variance {vi} at a training point, prior {pi}");
        }
    }

    #[test]
    fn ridge_chooser_picks_grid_minimum(kind in 0u8..3, ntk: bool, (x, y) in data()) {
        prop_assume!(x.len() >= 3);
        let grid = [1e-6, 1e-3, 1e-1, 1.0, 10.0];
        let mut r = fitted(kind, ntk, Ridge::Absolute(0.5), &x, &y);
        let (chosen, mse) = r.choose_ridge(&grid).unwrap();
        let scores: Vec<f64> = grid.iter().map(|&g| fitted(kind, ntk, Ridge::Absolute(g), &x, &y).loo_residuals().unwrap().1).collect();
        let best = scores.iter().cloned().fold(f64::INFINITY, f64::min);
        prop_assert!(mse <= best * (1.0 + 1e-9) + 1e-300);
        prop_assert_eq!(r.ridge(), chosen);
        prop_assert_eq!(r.lambda(), chosen.value());
    }
}

#[test]
fn duplicate_points_without_ridge_suggest_a_ridge_that_works() {
    let x = [[1.0, 0.5, -0.2], [0.3, 0.3, 0.3], [1.0, 0.5, -0.2]];
    let y = [[1.0, 0.0], [2.0, 1.0], [1.5, 0.0]];
    for ntk in [false, true] {
        let mut r = Reg::new(net(0), regime(ntk), Ridge::Absolute(0.0)).unwrap();
        let Err(Error::NotPositiveDefinite {
            pivot,
            suggested_ridge,
        }) = r.fit(&x, &y)
        else {
            panic!("duplicates must fail")
        };
        assert_eq!(pivot, 2);
        assert!(
            suggested_ridge > 0.0 && suggested_ridge < 1e-10,
            "{suggested_ridge}"
        );
        assert_eq!(r.predict(&x[0]), Err(Error::NotFitted));
        r.set_ridge(Ridge::Absolute(suggested_ridge)).unwrap();
        let f = r.predict(&x[0]).unwrap();
        assert!(f.iter().all(|v| v.is_finite()));
        // Duplicate points with different targets: a small ridge averages them.
        r.set_ridge(Ridge::Absolute(1e-8)).unwrap();
        let f = r.predict(&x[0]).unwrap();
        assert!((f[0] - 1.25).abs() < 1e-4, "{f:?}");
        // Online: the duplicate is refused at ridge 0 and handed back.
        let mut o = Reg::new(net(0), regime(ntk), Ridge::Absolute(0.0)).unwrap();
        o.insert(x[0], y[0]).unwrap();
        o.insert(x[1], y[1]).unwrap();
        let before = o.predict(&x[1]).unwrap();
        let rej = o.insert(x[2], y[2]).unwrap_err();
        assert!(matches!(
            rej.error,
            Error::NotPositiveDefinite { pivot: 2, .. }
        ));
        assert_eq!((rej.x, rej.y), (x[2], y[2]));
        assert_eq!(o.len(), 2);
        assert_eq!(o.predict(&x[1]).unwrap(), before);
    }
}

#[test]
fn bad_input_gives_typed_errors_never_nan() {
    let mut r = Regressor::<f64, 3, 2>::new(net(0), Regime::Ntk, Ridge::Absolute(1e-6)).unwrap();
    assert_eq!(r.predict(&[0.0, 1.0]), Err(Error::NotFitted));
    assert!(matches!(
        r.fit(&[[f64::NAN, 0.0]], &[[1.0]]),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        r.fit(&[[1.0, 0.0]], &[[f64::INFINITY]]),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        r.fit_rows(&[1.0, 0.0, 2.0], &[1.0]),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        r.fit_rows(&[1.0, 0.0], &[1.0, 2.0]),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        r.fit(&[[1.0, 0.0]; 4], &[[1.0]; 4]),
        Err(Error::CapacityExceeded { capacity: 3 })
    ));
    assert!(matches!(r.fit(&[], &[]), Err(Error::Empty { .. })));
    assert!(matches!(
        Regressor::<f64, 3, 2>::new(net(0), Regime::Ntk, Ridge::Absolute(-1.0)),
        Err(Error::InvalidParameter { .. })
    ));
    r.fit(
        &[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
        &[[1.0], [2.0], [3.0]],
    )
    .unwrap();
    assert!(matches!(
        r.predict(&[f64::NAN, 0.0]),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        r.mean_into(&[1.0], &Time::Infinite, &mut [0.0], &mut []),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        r.covariance_with(&[1.0, 0.0], &[1.0, 0.0], &Time::Infinite, &mut [0.0; 2]),
        Err(Error::BufferTooSmall { .. })
    ));
    // Full buffer: the point comes back, nothing stored is lost.
    let before = r.predict(&[0.5, 0.5]).unwrap();
    let rej = r.insert([2.0, 2.0], [9.0]).unwrap_err();
    assert_eq!(
        rej,
        ntk::regression::Rejected {
            x: [2.0, 2.0],
            y: [9.0],
            error: Error::CapacityExceeded { capacity: 3 }
        }
    );
    assert_eq!(r.predict(&[0.5, 0.5]).unwrap(), before);
    assert!(matches!(
        r.remove(3),
        Err(Error::IndexOutOfRange { index: 3, len: 3 })
    ));
    // Bad times.
    let s = r.eigenbasis().unwrap();
    assert!(matches!(
        r.predict_at(&[0.5, 0.5], &s.at(-1.0, 1.0)),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        r.predict_at(&[0.5, 0.5], &s.at(1.0, 0.0)),
        Err(Error::InvalidParameter { .. })
    ));
    r.remove(0).unwrap();
    assert!(
        matches!(
            r.predict_at(&[0.5, 0.5], &s.at(1.0, 1.0)),
            Err(Error::DimensionMismatch { .. })
        ),
        "stale spectrum"
    );
}

#[test]
fn sliding_window_drops_the_oldest() {
    let mut r = Regressor::<f64, 4, 1>::new(net(1), Regime::Ntk, Ridge::Absolute(1e-4)).unwrap();
    for i in 0..7 {
        r.push([i as f64 * 0.5], [i as f64]).unwrap();
    }
    assert_eq!(r.len(), 4);
    let kept: Vec<f64> = (0..4).map(|i| r.input(i).unwrap()[0]).collect();
    assert_eq!(kept, [1.5, 2.0, 2.5, 3.0]);
    let mut batch =
        Regressor::<f64, 4, 1>::new(net(1), Regime::Ntk, Ridge::Absolute(1e-4)).unwrap();
    batch
        .fit(&[[1.5], [2.0], [2.5], [3.0]], &[[3.0], [4.0], [5.0], [6.0]])
        .unwrap();
    let (a, b) = (
        r.predict(&[2.2]).unwrap()[0],
        batch.predict(&[2.2]).unwrap()[0],
    );
    assert!((a - b).abs() < 1e-9, "{a} vs {b}");
}

/// Relative ridge = neural-tangents' diag_reg: λ = r·trace(K)/n.
#[test]
fn relative_ridge_is_mean_diagonal_times_r() {
    let x = [[1.0, 0.0, 0.5], [0.0, 2.0, 0.0], [1.0, 1.0, 1.0]];
    let mut r =
        Regressor::<f64, 3, 3>::new(net(0), Regime::Ntk, Ridge::RelativeToMeanDiagonal(0.1))
            .unwrap();
    r.fit(&x, &[[1.0], [0.0], [2.0]]).unwrap();
    let mean_diag = x
        .iter()
        .map(|p| net(0).kernels(p, p).unwrap().ntk)
        .sum::<f64>()
        / 3.0;
    assert!((r.lambda() - 0.1 * mean_diag).abs() <= 1e-15 * mean_diag);
}

/// Stack use of the fixed-size types: N·(N + D + 2·O) scalars plus settings.
#[test]
fn sizes_of_fixed_types() {
    use core::mem::size_of;
    assert_eq!(size_of::<Inline<f32, 32, 4, 1>>(), 32 * (32 + 4 + 2) * 4);
    assert_eq!(size_of::<Inline<f64, 64, 8, 1>>(), 64 * (64 + 8 + 2) * 8);
    let overhead = size_of::<Regressor<f32, 32, 4>>() - size_of::<Inline<f32, 32, 4, 1>>();
    let overhead64 = size_of::<Regressor<f64, 64, 8>>() - size_of::<Inline<f64, 64, 8, 1>>();
    println!(
        "size_of: Regressor<f32, 32, 4> = {} B, Regressor<f64, 64, 8> = {} B, Spectrum<f32, 32> = {} B (settings+network: {overhead} / {overhead64} B)",
        size_of::<Regressor<f32, 32, 4>>(),
        size_of::<Regressor<f64, 64, 8>>(),
        size_of::<ntk::regression::InlineEigenbasis<f32, 32>>()
    );
    // The documented ≈ 540 B / ≈ 900 B (the activation's inline polynomial coefficients).
    assert!(
        overhead <= 576 && overhead64 <= 960,
        "{overhead} / {overhead64}"
    );
}

/// f32 follows f64 to f32 accuracy times the conditioning (same data, ridge 1e-2).
#[test]
fn f32_tracks_f64() {
    let xs: Vec<[f64; 3]> = (0..8)
        .map(|i| {
            [
                (i as f64 * 0.7).sin(),
                (i as f64 * 1.3).cos(),
                0.1 * i as f64,
            ]
        })
        .collect();
    let ys: Vec<[f64; 1]> = xs.iter().map(|x| [x[0] - 2.0 * x[1] * x[2]]).collect();
    let net32 = Network::<f32>::new(2, Activation::Relu)
        .unwrap()
        .with_std(1.5, Some(0.1))
        .unwrap();
    let mut r64 = Regressor::<f64, 8, 3>::new(net(0), Regime::Ntk, Ridge::Absolute(1e-2)).unwrap();
    let mut r32 = Regressor::<f32, 8, 3>::new(net32, Regime::Ntk, Ridge::Absolute(1e-2)).unwrap();
    r64.fit(&xs, &ys).unwrap();
    let to32 = |v: &[f64; 3]| v.map(|a| a as f32);
    let xs32: Vec<[f32; 3]> = xs.iter().map(to32).collect();
    let ys32: Vec<[f32; 1]> = ys.iter().map(|y| [y[0] as f32]).collect();
    r32.fit(&xs32, &ys32).unwrap();
    let kappa = condition(&net(0), Regime::Ntk, &xs, 1e-2);
    let q = [0.3, -0.4, 0.5];
    let (m64, v64) = r64.predict_with_variance(&q).unwrap();
    let (m32, v32) = r32.predict_with_variance(&to32(&q)).unwrap();
    let tol = 10.0 * kappa * f32::EPSILON as f64;
    assert!(
        (m32[0] as f64 - m64[0]).abs() <= tol * m64[0].abs().max(1.0),
        "{m32:?} vs {m64:?}"
    );
    assert!(
        (v32 as f64 - v64).abs() <= tol * net(0).kernels(&q, &q).unwrap().nngp,
        "{v32} vs {v64}"
    );
}

/// The batched t = ∞ means equal the one-at-a-time means.
#[test]
fn batched_means_equal_single_means() {
    let xs: Vec<[f64; 3]> = (0..9)
        .map(|i| {
            [
                (i as f64).sin(),
                (2.0 * i as f64).cos(),
                0.2 * i as f64 - 0.5,
            ]
        })
        .collect();
    let ys: Vec<[f64; 2]> = xs.iter().map(|x| [x[0] * x[1], x[2]]).collect();
    let r = fitted(0, true, Ridge::Absolute(1e-3), &xs, &ys);
    let queries: Vec<f64> = (0..5 * 3).map(|k| (0.7 * k as f64).cos()).collect();
    let (mut out, mut work) = (vec![0.0; 5 * 2], vec![0.0; 5 * N]);
    r.means_into(&queries, &mut out, &mut work).unwrap();
    for (q, want) in queries.chunks(3).zip(out.chunks(2)) {
        let got = r.predict(&[q[0], q[1], q[2]]).unwrap();
        for m in 0..2 {
            assert!(
                (got[m] - want[m]).abs() <= 1e-13 * (1.0 + want[m].abs()),
                "{got:?} vs {want:?}"
            );
        }
    }
    assert!(matches!(
        r.means_into(&queries[..4], &mut out, &mut work),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        r.means_into(&queries, &mut out, &mut work[..3]),
        Err(Error::BufferTooSmall { .. })
    ));
}

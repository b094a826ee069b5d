//! The runtime-sized heap regressor (`VecRegressor::with_capacity`, feature
//! `std`) against the same model on a caller slice (`SliceRegressor`).

use ntk::regression::{
    Owned, Regime, Ridge, SliceRegressor, Time, VecRegressor, Workspace, WORK_PER_CAPACITY,
};
use ntk::{Activation, Error, Network};

#[test]
fn vec_regressor_equals_slice_regressor_bit_for_bit() {
    let net = Network::<f64>::new(3, Activation::Relu)
        .unwrap()
        .with_std(1.5, Some(0.1))
        .unwrap();
    let (cap, d, o) = (40, 3, 2);
    let n = 33;
    let x: Vec<f64> = (0..n * d).map(|i| (0.7 * i as f64).sin()).collect();
    let y: Vec<f64> = (0..n * o).map(|i| (0.3 * i as f64).cos()).collect();
    let ridge = Ridge::RelativeToMeanDiagonal(1e-3);
    let mut owned = VecRegressor::with_capacity(net, Regime::Ntk, ridge, cap, d, o).unwrap();
    let mut buf = vec![0.0; Workspace::<f64>::required_len(cap, d, o)];
    let ws = Workspace::new(&mut buf, cap, d, o).unwrap();
    let mut slice = SliceRegressor::with_storage(net, Regime::Ntk, ridge, ws).unwrap();
    owned.fit_rows(&x, &y).unwrap();
    slice.fit_rows(&x, &y).unwrap();
    owned.insert_row(&[0.1, 0.2, 0.3], &[1.0, -1.0]).unwrap();
    slice.insert_row(&[0.1, 0.2, 0.3], &[1.0, -1.0]).unwrap();
    assert_eq!(owned.alpha(), slice.alpha());
    assert_eq!(owned.lambda(), slice.lambda());
    let mut work = vec![0.0; WORK_PER_CAPACITY * cap];
    let q = [0.4, -0.2, 0.9];
    let (mut a, mut b) = ([0.0; 2], [0.0; 2]);
    owned
        .mean_into(&q, &Time::Infinite, &mut a, &mut work)
        .unwrap();
    slice
        .mean_into(&q, &Time::Infinite, &mut b, &mut work)
        .unwrap();
    assert_eq!(a, b);
    let ca = owned
        .covariance_with(&q, &q, &Time::Infinite, &mut work)
        .unwrap();
    let cb = slice
        .covariance_with(&q, &q, &Time::Infinite, &mut work)
        .unwrap();
    assert_eq!(ca.to_bits(), cb.to_bits());
}

#[test]
fn with_capacity_errors_are_typed() {
    let net = Network::<f32>::new(1, Activation::Relu).unwrap();
    let ridge = Ridge::Absolute(0.0);
    for (cap, d, o) in [(4, 0, 1), (4, 2, 0)] {
        let r = VecRegressor::with_capacity(net, Regime::Nngp, ridge, cap, d, o);
        assert!(matches!(r, Err(Error::Empty { .. })), "{r:?}");
    }
    // N·(N + D + 2·O) overflows usize, or is too large to allocate.
    for cap in [usize::MAX / 2, 1 << 30] {
        let r = Owned::<f32>::new(cap, 2, 1);
        assert!(matches!(r, Err(Error::CapacityExceeded { .. })), "{r:?}");
    }
    let r = VecRegressor::with_capacity(net, Regime::Nngp, Ridge::Absolute(-1.0), 4, 2, 1);
    assert!(matches!(r, Err(Error::InvalidParameter { .. })), "{r:?}");
}

/// The heap eigenbasis (nalgebra's tridiagonal QL, in f64) against the
/// in-place cyclic Jacobi of `eigenbasis_into`, two independent solvers, on
/// a training set with duplicate points (a repeated eigenvalue λ) and a
/// near-duplicate pair (an eigenvalue near λ): the eigenvalues agree to
/// 1e-12·max and the finite-time means to 1e-10 of their scale; in f32 to
/// 1e-5·max and 1e-3.
#[test]
fn heap_eigenbasis_equals_the_jacobi_one() {
    fn check<T: ntk::gram::LaneReal>(value_tol: f64, mean_tol: f64) {
        let net = Network::<T>::new(2, Activation::Relu).unwrap();
        let (cap, d) = (48, 2);
        let mut x: Vec<T> = (0..40 * d)
            .map(|i| T::from_f64((0.37 * i as f64).sin()))
            .collect();
        x[2] = x[0];
        x[3] = x[1]; // points 0 and 1 equal
        x[6] = x[4] + T::from_f64(1e-7); // points 2 and 3 close
        x[7] = x[5];
        x[8] = x[4];
        x[9] = x[5];
        let y: Vec<T> = (0..40)
            .map(|i| T::from_f64((0.3 * i as f64).cos()))
            .collect();
        let ridge = Ridge::Absolute(T::from_f64(1e-3));
        let mut reg = VecRegressor::with_capacity(net, Regime::Ntk, ridge, cap, d, 1).unwrap();
        reg.fit_rows(&x, &y).unwrap();
        let heap = reg.eigenbasis().unwrap();
        let (mut a, mut v, mut e) = (
            vec![T::ZERO; cap * cap],
            vec![T::ZERO; cap * cap],
            vec![T::ZERO; cap],
        );
        let jacobi = reg.eigenbasis_into(&mut a, &mut v, &mut e).unwrap();
        let (hv, jv) = (heap.basis().values().to_vec(), jacobi.values().to_vec());
        let top = jv.last().unwrap().to_f64();
        for (h, j) in hv.iter().zip(&jv) {
            assert!(
                (h.to_f64() - j.to_f64()).abs() <= value_tol * top,
                "{hv:?}\n{jv:?}"
            );
        }
        let mut work = vec![T::ZERO; WORK_PER_CAPACITY * cap];
        for t in [0.5, 20.0, 1e4] {
            for q in [[0.3, -0.2], [1.0, 0.5]] {
                let q = q.map(T::from_f64);
                let (mut m1, mut m2) = ([T::ZERO], [T::ZERO]);
                let (lr, t) = (T::ONE, T::from_f64(t));
                let on_heap = Time::Finite {
                    t,
                    learning_rate: lr,
                    basis: heap.basis(),
                };
                reg.mean_into(&q, &on_heap, &mut m1, &mut work).unwrap();
                let finite = Time::Finite {
                    t,
                    learning_rate: lr,
                    basis: jacobi,
                };
                reg.mean_into(&q, &finite, &mut m2, &mut work).unwrap();
                let scale = y.iter().fold(0.0f64, |s, v| s.max(v.to_f64().abs()));
                assert!(
                    (m1[0].to_f64() - m2[0].to_f64()).abs() <= mean_tol * scale,
                    "t {t:?}: {m1:?} {m2:?}"
                );
            }
        }
    }
    check::<f64>(1e-12, 1e-10);
    check::<f32>(1e-5, 1e-3);
}

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

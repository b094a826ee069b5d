//! The regressor on several threads (feature `std`, which `cargo test`
//! enables): fits, refits and batch means bitwise equal to one thread, for
//! block-aligned and ragged n, both ridge conventions, both regimes, f32 and
//! f64, lane (ReLU) and generic (erf) kernels; failures reported exactly as
//! on one thread, with nothing stored lost.

use ntk::gram::LaneReal;
use ntk::regression::{Regime, Ridge, SliceRegressor, Workspace};
use ntk::{Activation, Error, Network};

const D: usize = 5;
const M: usize = 67;

fn relu<T: LaneReal>() -> Network<T> {
    Network::new(3, Activation::Relu)
        .unwrap()
        .with_std(T::from_f64(1.5), Some(T::from_f64(0.1)))
        .unwrap()
}

fn erf<T: LaneReal>() -> Network<T> {
    let act = Activation::Erf {
        a: T::ONE,
        b: T::ONE,
        c: T::ZERO,
    };
    Network::new(2, act)
        .unwrap()
        .with_std(T::from_f64(1.2), Some(T::from_f64(0.3)))
        .unwrap()
}

/// n points of dimension D and two targets each; query points.
fn data<T: LaneReal>(n: usize) -> (Vec<T>, Vec<T>, Vec<T>) {
    let x = (0..n * D)
        .map(|k| T::from_f64((0.37 * k as f64 + 1.0).sin()))
        .collect();
    let y = (0..2 * n)
        .map(|k| T::from_f64((0.11 * k as f64).cos()))
        .collect();
    let q = (0..M * D)
        .map(|k| T::from_f64((0.53 * k as f64).cos()))
        .collect();
    (x, y, q)
}

/// The whole state a fit leaves: the workspace (X, Y, L, α; the strict
/// upper triangle of L's buffer, scratch, zeroed), λ, and the batch means
/// at the query points.
fn fit<T: LaneReal>(
    net: Network<T>,
    regime: Regime,
    ridge: Ridge<T>,
    n: usize,
    threads: usize,
) -> (Vec<T>, T, Vec<T>) {
    let (x, y, q) = data::<T>(n);
    let mut buf = vec![T::ZERO; Workspace::<T>::required_len(n, D, 2)];
    let mut means = vec![T::ZERO; 2 * M];
    let lambda = {
        let ws = Workspace::new(&mut buf, n, D, 2).unwrap();
        let mut reg = SliceRegressor::with_storage(net, regime, ridge, ws).unwrap();
        reg.set_threads(threads).unwrap();
        assert_eq!(reg.threads(), threads);
        reg.fit_rows(&x, &y).unwrap();
        let mut work = vec![T::ZERO; M * n];
        reg.means_into(&q, &mut means, &mut work).unwrap();
        reg.lambda()
    };
    let chol = &mut buf[n * (D + 2)..n * (D + 2) + n * n];
    for (i, row) in chol.chunks_exact_mut(n).enumerate() {
        row[i + 1..].fill(T::ZERO);
    }
    (buf, lambda, means)
}

/// Bitwise equality, with the first difference in the message.
fn same<T: LaneReal>(a: &[T], b: &[T], what: &str) {
    assert_eq!(a.len(), b.len());
    if let Some(k) = (0..a.len()).find(|&k| a[k].to_f64().to_bits() != b[k].to_f64().to_bits()) {
        panic!("{what}: entry {k} differs: {} vs {}", a[k], b[k]);
    }
}

fn threads_equal_one_thread<T: LaneReal>() {
    let ridges = [
        Ridge::Absolute(T::from_f64(1e-3)),
        Ridge::RelativeToMeanDiagonal(T::from_f64(1e-2)),
    ];
    for (net, name) in [(relu::<T>(), "relu"), (erf::<T>(), "erf")] {
        for regime in [Regime::Ntk, Regime::Nngp] {
            for ridge in ridges {
                // 128: whole blocks; 203: a ragged last block; 300 on 3 threads.
                for n in [128, 203, 300] {
                    let one = fit(net, regime, ridge, n, 1);
                    // L and α are not trivially zero.
                    let nz = one.0.iter().filter(|v| v.to_f64() != 0.0).count();
                    assert!(
                        nz > n * n / 4,
                        "{name} {regime:?} {ridge:?} n={n}: {nz} non-zero"
                    );
                    for threads in [2, 3] {
                        let many = fit(net, regime, ridge, n, threads);
                        let what = format!("{name} {regime:?} {ridge:?} n={n} threads={threads}");
                        same(&one.0, &many.0, &format!("{what}: workspace"));
                        same(&[one.1], &[many.1], &format!("{what}: lambda"));
                        same(&one.2, &many.2, &format!("{what}: means"));
                    }
                }
            }
        }
    }
}

#[test]
fn threads_equal_one_thread_f64() {
    threads_equal_one_thread::<f64>();
}

#[test]
fn threads_equal_one_thread_f32() {
    threads_equal_one_thread::<f32>();
}

/// A duplicated point at ridge 0 fails on threads exactly as on one thread
/// (same pivot, same verified ridge), the data stay stored, and the
/// suggested ridge then fits on threads.
#[test]
fn failure_on_threads_is_reported_as_on_one_thread() {
    let n = 200;
    let (mut x, y, q) = data::<f64>(n);
    // Point 150 repeats point 20: the pivot of row 150 cancels.
    let dup: Vec<f64> = x[20 * D..21 * D].to_vec();
    x[150 * D..151 * D].copy_from_slice(&dup);
    let run = |threads: usize| {
        let mut buf = vec![0.0; Workspace::<f64>::required_len(n, D, 2)];
        let ws = Workspace::new(&mut buf, n, D, 2).unwrap();
        let mut reg =
            SliceRegressor::with_storage(relu(), Regime::Ntk, Ridge::Absolute(0.0), ws).unwrap();
        reg.set_threads(threads).unwrap();
        let err = reg.fit_rows(&x, &y).unwrap_err();
        assert_eq!(reg.len(), n);
        assert_eq!(reg.input(150), Some(&dup[..]));
        assert!(matches!(
            reg.means_into(&q, &mut [0.0; 2 * M], &mut vec![0.0; M * n]),
            Err(Error::NotFitted)
        ));
        let Error::NotPositiveDefinite {
            suggested_ridge, ..
        } = err
        else {
            panic!("expected NotPositiveDefinite, got {err:?}");
        };
        reg.set_ridge(Ridge::Absolute(suggested_ridge)).unwrap();
        let mut means = vec![0.0; 2 * M];
        reg.means_into(&q, &mut means, &mut vec![0.0; M * n])
            .unwrap();
        (err, means)
    };
    let (one, means_one) = run(1);
    let (two, means_two) = run(2);
    assert!(
        matches!(one, Error::NotPositiveDefinite { pivot: 150, .. }),
        "{one:?}"
    );
    assert_eq!(one, two);
    same(&means_one, &means_two, "means after the suggested ridge");
    assert!(means_one.iter().all(|v| v.is_finite()));
}

#[test]
fn zero_threads_is_an_error() {
    let mut buf = vec![0.0f64; Workspace::<f64>::required_len(4, D, 1)];
    let ws = Workspace::new(&mut buf, 4, D, 1).unwrap();
    let mut reg =
        SliceRegressor::with_storage(relu(), Regime::Ntk, Ridge::Absolute(1e-3), ws).unwrap();
    assert!(matches!(
        reg.set_threads(0),
        Err(Error::InvalidParameter { .. })
    ));
    assert_eq!(reg.threads(), 1);
}

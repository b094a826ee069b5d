//! Every public call that does real work runs on a small thread stack
//! (async executors, small worker threads, embedded Linux): a Gram matrix of
//! any size, and a regressor's fit, insert, push, predict,
//! predict_with_variance and choose_ridge, in f32 and f64.
//!
//! The bound is 96 KiB (`STACK_KIB`): the largest call needs 90 KiB
//! (`scripts/stack_frames.sh`: f64 fit, insert, push, predict and
//! choose_ridge, each after a fit; 71 KiB for an f32 Gram, 81 KiB for f64,
//! 9 KiB of which are the thread and harness alone). Before the scalar tile
//! got a frame of its own, the column data were formed in place and the
//! packed block shared the NTK block's memory, these were 94–128 KiB and
//! most of these tests failed.
//! The goal of 64 KiB is not met yet: the tile's 64-row blocks (dot
//! products, NTK values, per-row data) are most of the frame, and 32-row
//! blocks cost 8–20% of the Gram rate.
//!
//! Meaningful in release builds (`cargo test --release --test stack`): a
//! debug build keeps every temporary in its own stack slot, so its frames
//! are several times larger, and these tests are then ignored. An overflow
//! aborts the whole test binary (SIGSEGV on the guard page): it cannot pass
//! silently. `NTK_STACK_KIB` sets another stack size, so that
//! `scripts/stack_frames.sh` can find each call's smallest stack by bisection.

use ntk::gram::{Gram, LaneReal, Output, Points, RowMajor};
use ntk::regression::{Regime, Regressor, Ridge};
use ntk::{Activation, Network};

#[path = "common/inputs.rs"]
mod inputs;

/// The stack every call must fit in, KiB.
const STACK_KIB: usize = 96;

/// Runs `f` on a new thread with a stack of `NTK_STACK_KIB` KiB (default [`STACK_KIB`]).
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    if cfg!(debug_assertions) {
        println!("debug build: frames are not those of a release build; skipped");
        return;
    }
    let kib: usize = std::env::var("NTK_STACK_KIB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(STACK_KIB);
    std::thread::Builder::new()
        .stack_size(kib * 1024)
        .spawn(f)
        .expect("spawn a thread")
        .join()
        .expect("the call returns");
}

/// A depth-3 ReLU network with a bias (NTK parameterization).
fn net<T: LaneReal>() -> Network<T> {
    Network::<T>::new(3, Activation::Relu)
        .unwrap()
        .with_std(T::ONE, Some(T::from_f64(0.1)))
        .unwrap()
}

/// n points of dimension d, Gaussian.
fn points<T: LaneReal>(n: usize, d: usize, seed: u64) -> Vec<T> {
    inputs::gaussian(n * d, seed)
        .into_iter()
        .map(T::from_f64)
        .collect()
}

fn gram_symmetric<T: LaneReal>(n: usize, d: usize) {
    on_small_stack(move || {
        let xs = points::<T>(n, d, inputs::SEED);
        let x = Points::new(&xs, d).unwrap();
        let (mut s, mut t) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
        let out = Output::both(RowMajor(&mut s, n), RowMajor(&mut t, n));
        Gram::new(net::<T>()).symmetric(&x, out).unwrap();
        assert!(t[n * n - 1] > T::ZERO);
    });
}

fn gram_matrix<T: LaneReal>(n: usize, m: usize, d: usize) {
    on_small_stack(move || {
        let (xs, zs) = (points::<T>(n, d, 1), points::<T>(m, d, 2));
        let (x, z) = (Points::new(&xs, d).unwrap(), Points::new(&zs, d).unwrap());
        let mut t = vec![T::ZERO; n * m];
        Gram::new(net::<T>())
            .matrix(&x, &z, Output::ntk(RowMajor(&mut t, m)))
            .unwrap();
        assert!(t[n * m - 1] > T::ZERO);
    });
}

/// Capacity, dimension and outputs of the regressors (a model of a few KiB
/// kept on the small stack itself).
const N: usize = 16;
const D: usize = 4;
const O: usize = 2;

/// Which regressor call [`regressor`] makes.
#[derive(Clone, Copy)]
enum Call {
    Fit,
    Insert,
    Push,
    Predict,
    PredictWithVariance,
    ChooseRidge,
}

/// A regressor of `N - 2` points, then `call`.
fn regressor<T: LaneReal>(call: Call) {
    on_small_stack(move || {
        let xs = points::<T>(N + 2, D, 3);
        let rows: Vec<[T; D]> = xs.chunks_exact(D).map(|c| c.try_into().unwrap()).collect();
        let ys: Vec<[T; O]> = rows.iter().map(|r| [r[0], r[1] * r[2]]).collect();
        let ridge = Ridge::Absolute(T::from_f64(1e-3));
        let mut reg = Regressor::<T, N, D, O>::new(net::<T>(), Regime::Ntk, ridge).unwrap();
        let fit = N - 2;
        if !matches!(call, Call::Fit) {
            reg.fit(&rows[..fit], &ys[..fit]).unwrap();
        }
        match call {
            Call::Fit => reg.fit(&rows[..fit], &ys[..fit]).unwrap(),
            Call::Insert => reg.insert(rows[fit], ys[fit]).unwrap(),
            Call::Push => {
                for (x, y) in rows[fit..].iter().zip(&ys[fit..]) {
                    reg.push(*x, *y).unwrap();
                }
            }
            Call::Predict => assert!(reg.predict(&rows[N]).unwrap().iter().all(|v| v.is_finite())),
            Call::PredictWithVariance => {
                let (mean, var) = reg.predict_with_variance(&rows[N]).unwrap();
                assert!(var >= T::ZERO && mean[0].is_finite());
            }
            Call::ChooseRidge => {
                let grid = [1e-4, 1e-3, 1e-2, 1e-1].map(T::from_f64);
                reg.choose_ridge(&grid).unwrap();
            }
        }
        assert!(reg.len() >= fit);
    });
}

macro_rules! stack_tests {
    ($($name:ident: $body:expr;)*) => {
        $(
            #[test]
            fn $name() {
                $body;
            }
        )*
    };
}

/// The thread and test harness alone (the floor under every figure).
fn nothing() {
    on_small_stack(|| assert_eq!(points::<f64>(3, 2, 1).len(), 6));
}

stack_tests! {
    harness_alone: nothing();
    gram_symmetric_3_f32: gram_symmetric::<f32>(3, 2);
    gram_symmetric_3_f64: gram_symmetric::<f64>(3, 2);
    gram_symmetric_300_f32: gram_symmetric::<f32>(300, 70);
    gram_symmetric_300_f64: gram_symmetric::<f64>(300, 70);
    gram_matrix_f32: gram_matrix::<f32>(130, 200, 33);
    gram_matrix_f64: gram_matrix::<f64>(130, 200, 33);
    fit_f32: regressor::<f32>(Call::Fit);
    fit_f64: regressor::<f64>(Call::Fit);
    insert_f32: regressor::<f32>(Call::Insert);
    insert_f64: regressor::<f64>(Call::Insert);
    push_f32: regressor::<f32>(Call::Push);
    push_f64: regressor::<f64>(Call::Push);
    predict_f32: regressor::<f32>(Call::Predict);
    predict_f64: regressor::<f64>(Call::Predict);
    predict_with_variance_f32: regressor::<f32>(Call::PredictWithVariance);
    predict_with_variance_f64: regressor::<f64>(Call::PredictWithVariance);
    choose_ridge_f32: regressor::<f32>(Call::ChooseRidge);
    choose_ridge_f64: regressor::<f64>(Call::ChooseRidge);
}

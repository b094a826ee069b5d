//! `FiniteNetwork::step`: one gradient step at a time, the building block of
//! custom training loops, against `FiniteNetwork::train`.

use ntk::finite::{FiniteNetwork, Training};
use ntk::{Activation, Error, Network};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

const XS: [f64; 8] = [1.0, 0.0, 0.0, 1.0, -1.0, 0.5, 0.3, -0.7];
const YS: [f64; 4] = [1.0, -1.0, 0.5, 0.2];

fn setup() -> (FiniteNetwork<f64>, Vec<f64>, Vec<f64>, [f64; 4]) {
    let net = Network::new(2, Activation::Relu)
        .unwrap()
        .with_std(1.5, Some(0.1))
        .unwrap();
    let fnet = FiniteNetwork::new(net, 2, 32).unwrap();
    let mut params = vec![0.0; fnet.param_len()];
    let mut work = vec![0.0; fnet.workspace_len(4)];
    fnet.init(&mut params, &mut Xoshiro256PlusPlus::seed_from_u64(11))
        .unwrap();
    let mut f0 = [0.0; 4];
    fnet.forward_batch(&params, &XS, &mut f0, &mut work)
        .unwrap();
    (fnet, params, work, f0)
}

/// k steps = `train` with max_steps k, bit for bit, and the MSE that step
/// k + 1 reports is the one `train` reports after k steps.
#[test]
fn steps_equal_train_bit_for_bit() {
    let (fnet, start, mut work, f0) = setup();
    for k in [0, 1, 7, 50] {
        let mut by_train = start.clone();
        let training = Training {
            learning_rate: 0.8,
            max_steps: k,
            tolerance: 0.0,
        };
        let report = fnet
            .train(&mut by_train, &XS, &YS, Some(&f0), &training, &mut work)
            .unwrap();
        let mut by_step = start.clone();
        for _ in 0..k {
            fnet.step(&mut by_step, &XS, &YS, Some(&f0), 0.8, &mut work)
                .unwrap();
        }
        assert_eq!(by_step, by_train, "k = {k}");
        let next = fnet
            .step(&mut by_step, &XS, &YS, Some(&f0), 0.8, &mut work)
            .unwrap();
        assert_eq!(next.to_bits(), report.train_mse.to_bits(), "k = {k}");
    }
}

/// A loop that stops at a tolerance reproduces `train`'s stopping rule.
#[test]
fn a_step_loop_stops_like_train() {
    let (fnet, start, mut work, _) = setup();
    let training = Training {
        learning_rate: 1.0,
        max_steps: 10_000,
        tolerance: 1e-6,
    };
    let mut by_train = start.clone();
    let report = fnet
        .train(&mut by_train, &XS, &YS, None, &training, &mut work)
        .unwrap();
    assert!(report.converged && report.steps > 10, "{report:?}");
    let mut params = start.clone();
    let mut steps = 0;
    let mse = loop {
        let mut probe = params.clone(); // the loss of `params`, from a throw-away step
        let mse = fnet
            .step(&mut probe, &XS, &YS, None, 1.0, &mut work)
            .unwrap();
        if mse < training.tolerance {
            break mse;
        }
        params = probe;
        steps += 1;
    };
    assert_eq!((steps, mse), (report.steps, report.train_mse));
    assert_eq!(params, by_train);
}

#[test]
fn step_errors_leave_parameters_untouched() {
    let (fnet, mut params, mut work, _) = setup();
    let kept = params.clone();
    for eta in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let r = fnet.step(&mut params, &XS, &YS, None, eta, &mut work);
        assert!(r.is_err(), "η = {eta}: {r:?}");
    }
    let r = fnet.step(&mut params, &XS[..6], &YS, None, 0.1, &mut work);
    assert!(matches!(r, Err(Error::DimensionMismatch { .. })), "{r:?}");
    let r = fnet.step(&mut params, &XS, &YS, Some(&[0.0; 3]), 0.1, &mut work);
    assert!(matches!(r, Err(Error::DimensionMismatch { .. })), "{r:?}");
    let r = fnet.step(&mut params, &XS, &YS, None, 0.1, &mut work[..10]);
    assert!(matches!(r, Err(Error::BufferTooSmall { .. })), "{r:?}");
    let mut nan_y = YS;
    nan_y[1] = f64::NAN;
    let r = fnet.step(&mut params, &XS, &nan_y, None, 0.1, &mut work);
    assert!(matches!(r, Err(Error::NonFinite { .. })), "{r:?}");
    assert_eq!(params, kept);
    // Overflowing outputs: a non-finite loss is an error before any update.
    let mut huge = params.clone();
    huge.iter_mut().for_each(|p| *p *= 1e120);
    let before = huge.clone();
    let r = fnet.step(&mut huge, &XS, &YS, None, 0.1, &mut work);
    assert!(matches!(r, Err(Error::NonFinite { .. })), "{r:?}");
    assert_eq!(huge, before);
}

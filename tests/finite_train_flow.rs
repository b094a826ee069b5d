//! One learning-rate convention across `finite` and `regression`:
//! `FiniteNetwork::train` with rate η for k steps is, at large width, the NTK
//! regression's gradient flow at `Time::Finite { t: k, learning_rate: η }`
//! (neural-tangents' loss 1/(2N)·Σr², N = n targets).
//!
//! Reference: the closed-form flow of `ntk::regression` (itself checked
//! against neural-tangents' `gradient_descent_mse_ensemble`). Monte Carlo
//! over networks at widths 256, 1024, 4096: the centred trained prediction
//! f_k − f₀ differs from the flow by O(1/√w) (the random empirical NTK) plus
//! the Euler discretisation of the flow, ≤ a/(2e) of the targets' scale for a
//! per-step rate a = η·e_max/n (here < 0.01, so < 0.2 %).

use ntk::finite::{FiniteNetwork, Training};
use ntk::regression::{Regime, Regressor, Ridge};
use ntk::{Activation, Network};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

const XS: [[f64; 3]; 3] = [[1.0, 0.2, -0.3], [-0.2, 1.0, 0.4], [0.3, -0.5, -1.0]];
const YS: [f64; 3] = [1.0, -0.5, 0.7];
const TEST: [[f64; 3]; 3] = [[0.5, 0.5, 0.0], [-1.0, 0.1, 0.6], [1.0, 0.2, -0.3]];
const ETA: f64 = 0.005;
const STEPS: usize = 400;

fn net() -> Network<f64> {
    Network::new(1, Activation::Relu)
        .unwrap()
        .with_std(2f64.sqrt(), Some(0.1))
        .unwrap()
}

/// The regression's gradient-flow means at the test points, time t, rate η.
fn flow(t: f64, eta: f64) -> [f64; 3] {
    let mut reg = Regressor::<f64, 3, 3>::new(net(), Regime::Ntk, Ridge::Absolute(0.0)).unwrap();
    reg.fit(&XS, &YS.map(|y| [y])).unwrap();
    let spectrum = reg.eigenbasis().unwrap();
    let e_max = spectrum.basis().values()[2];
    assert!(
        eta * e_max / 3.0 < 0.01,
        "Euler step too coarse: {}",
        eta * e_max / 3.0
    );
    reg.predict_many_at(&TEST, &spectrum.at(t, eta))
        .unwrap()
        .map(|[m]| m)
}

/// f_k − f₀ at the test points for one network of width `width`.
fn trained(width: usize, seed: u64) -> [f64; 3] {
    let fnet = FiniteNetwork::new(net(), 3, width).unwrap();
    let mut params = vec![0.0; fnet.param_len()];
    let mut work = vec![0.0; fnet.workspace_len(3)];
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1000 * width as u64 + seed);
    fnet.init(&mut params, &mut rng).unwrap();
    let (xs, test) = (XS.concat(), TEST.concat());
    let (mut f0, mut f0_test, mut out) = ([0.0; 3], [0.0; 3], [0.0; 3]);
    fnet.forward_batch(&params, &xs, &mut f0, &mut work)
        .unwrap();
    fnet.forward_batch(&params, &test, &mut f0_test, &mut work)
        .unwrap();
    let training = Training {
        learning_rate: ETA,
        max_steps: STEPS,
        tolerance: 0.0,
    };
    let report = fnet
        .train(&mut params, &xs, &YS, Some(&f0), &training, &mut work)
        .unwrap();
    assert_eq!(report.steps, STEPS);
    fnet.forward_batch(&params, &test, &mut out, &mut work)
        .unwrap();
    [0, 1, 2].map(|i| out[i] - f0_test[i])
}

#[test]
fn train_equals_gradient_flow_at_time_finite_in_the_wide_limit() {
    let t = STEPS as f64;
    let want = flow(t, ETA);
    // The other conventions' flows: η/2 and 2η (a factor 2 in the loss).
    let rms_diff = |f: [f64; 3]| {
        let sq: f64 = f.iter().zip(&want).map(|(a, b)| (a - b).powi(2)).sum();
        (sq / 3.0).sqrt()
    };
    let gap = rms_diff(flow(t, ETA / 2.0)).min(rms_diff(flow(t, 2.0 * ETA)));
    // Not at t = 0 (prediction 0) nor converged: the test point on a
    // training point is still short of its target.
    assert!(want[2] > 0.1 && want[2] < 0.9 * XS_TARGET, "{want:?}");
    let seeds = 6;
    let mut scaled = vec![];
    for width in [256, 1024, 4096] {
        let mut sq = 0.0;
        for s in 0..seeds {
            let got = trained(width, s);
            sq += got
                .iter()
                .zip(&want)
                .map(|(a, b)| (a - b).powi(2))
                .sum::<f64>();
        }
        let rms = (sq / (3 * seeds) as f64).sqrt();
        println!("width {width}: RMS |trained − flow| = {rms:.2e}, ×√w = {:.3}; convention gap {gap:.2e}", rms * (width as f64).sqrt());
        scaled.push((width, rms));
    }
    // Tolerance K/√w with K from the smallest width (×2 for Monte Carlo
    // noise in 18 squared deviations): the deviation must shrink like 1/√w…
    let k = 2.0 * scaled[0].1 * (scaled[0].0 as f64).sqrt();
    for &(w, rms) in &scaled[1..] {
        assert!(
            rms <= k / (w as f64).sqrt(),
            "width {w}: {rms:e} > {:e}",
            k / (w as f64).sqrt()
        );
    }
    // …and at the largest width it resolves the convention: a factor 2 in
    // η would move the flow by `gap`, far beyond the deviation.
    let (_, rms_wide) = scaled[2];
    assert!(rms_wide < gap / 5.0, "{rms_wide:e} vs gap {gap:e}");
}

/// YS[0], the target of the third test point (= XS[0]).
const XS_TARGET: f64 = 1.0;

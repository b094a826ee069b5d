//! On-device learning example: a synthetic noisy sensor stream, a sliding
//! window of the last N = 16 samples, online NTK regression in f32 with its
//! uncertainty, in fixed memory (`Regressor<f32, 16, 2>` on the stack).
//!
//! Each sample is `push`ed: the oldest point leaves by a Givens downdate and
//! the new one enters by a Cholesky row extension, O(N²), never a refit. The
//! model then estimates the signal now. Time enters as a point on a circle
//! (period longer than the stream), so the kernel depends on time
//! differences only. Prints every 10th step, the instructions per step, and
//! exits with status 0 if the estimate tracks the noiseless signal (RMS
//! error below the noise level).
#![no_std]
#![no_main]

use ntk::regression::{Regime, Regressor, Ridge};
use ntk::{Activation, Network};
use ntk_firmware::board::{entry, exit, hprintln};
use ntk_firmware::measure::Counter;

const N: usize = 16;
const STEPS: usize = 120;
const DT: f32 = 0.1;
const PERIOD: f32 = 60.0;
const NOISE: f32 = 0.15;
/// The ridge λ: about the noise variance relative to the kernel's scale (Θ(x, x) ≈ 3).
const RIDGE: f32 = 0.05;
/// How far ahead the forecast looks.
const LEAD: f32 = 0.5;

fn signal(t: f32) -> f32 {
    libm::sinf(t) + 0.4 * libm::sinf(2.7 * t)
}

fn embed(t: f32) -> [f32; 2] {
    let a = core::f32::consts::TAU * t / PERIOD;
    [libm::cosf(a), libm::sinf(a)]
}

/// Uniform noise in [−NOISE·√3, NOISE·√3] (standard deviation NOISE) from a 32-bit LCG.
fn noise(state: &mut u32) -> f32 {
    *state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
    ((*state >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0) * NOISE * 1.732_050_8
}

#[entry]
fn main() -> ! {
    let Some(mut counter) = Counter::take() else {
        exit(false)
    };
    let net = Network::<f32>::new(3, Activation::Relu).and_then(|n| n.with_std(1.5, Some(0.05)));
    let model =
        net.and_then(|n| Regressor::<f32, N, 2>::new(n, Regime::Ntk, Ridge::Absolute(RIDGE)));
    let Ok(mut model) = model else { exit(false) };
    hprintln!(
        "sensor stream: window N = {}, model {} bytes",
        N,
        core::mem::size_of_val(&model)
    );
    hprintln!(
        "{:>6} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8}",
        "t",
        "sample",
        "truth",
        "mean",
        "std",
        "forecast",
        "std"
    );
    let (mut seed, mut sq_err, mut scored, mut worst_insns) = (1u32, 0.0f32, 0u32, 0u64);
    for step in 0..STEPS {
        let t = step as f32 * DT;
        let (truth, x) = (signal(t), embed(t));
        let sample = truth + noise(&mut seed);
        let (estimate, insns) = counter.instructions(|| {
            model.push(x, [sample]).map_err(|r| r.error)?;
            model.predict_with_variance(&x)
        });
        let Ok(([mean], var)) = estimate else {
            hprintln!("step {}: {:?}", step, estimate.err());
            exit(false)
        };
        worst_insns = worst_insns.max(insns);
        if step >= N {
            sq_err += (mean - truth) * (mean - truth);
            scored += 1;
        }
        if step % 10 == 0 {
            let ([ahead], ahead_var) = model
                .predict_with_variance(&embed(t + LEAD))
                .unwrap_or(([f32::NAN], 0.0));
            hprintln!(
                "{:>6.1} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>9.3} {:>8.3}",
                t,
                sample,
                truth,
                mean,
                libm::sqrtf(var),
                ahead,
                libm::sqrtf(ahead_var)
            );
        }
    }
    let rms = libm::sqrtf(sq_err / scored.max(1) as f32);
    hprintln!(
        "figure insns push+predict_with_variance N={} (max per step) {} insns",
        N,
        worst_insns
    );
    hprintln!(
        "RMS error of the estimate against the noiseless signal: {:.3} (noise std {})",
        rms,
        NOISE
    );
    exit(rms < NOISE)
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    hprintln!("PANIC: {}", info);
    exit(false)
}

ntk_firmware::fault_handler!();

//! Learning on the device: a stream of noisy sensor samples, a sliding window
//! of the last 16, the trained infinitely wide network's prediction with its
//! uncertainty, printed over RTT. Replace `sample()` with your sensor.
#![no_std]
#![no_main]

use ntk::regression::{Regime, Regressor, Ridge};
use ntk::{Activation, Network};
use panic_halt as _;
use rtt_target::{rprintln, rtt_init_print};

/// Window length: the model holds at most this many points (about 2 KB of RAM for f32).
const N: usize = 16;

/// A stand-in sensor: a slow sine with a little deterministic "noise".
fn sample(step: u32) -> ([f32; 2], f32) {
    let t = step as f32 * 0.1;
    let x = [libm::cosf(t / 10.0), libm::sinf(t / 10.0)];
    let noise = ((step.wrapping_mul(2_654_435_761) >> 24) as f32 / 256.0 - 0.5) * 0.1;
    (x, libm::sinf(t) + noise)
}

#[cortex_m_rt::entry]
fn main() -> ! {
    rtt_init_print!();
    let model = Network::<f32>::new(3, Activation::Relu)
        .and_then(|net| net.with_std(1.5, Some(0.05)))
        .and_then(|net| Regressor::<f32, N, 2>::new(net, Regime::Ntk, Ridge::Absolute(0.05)));
    let mut model = match model {
        Ok(m) => m,
        Err(e) => {
            rprintln!("setup: {:?}", e);
            loop {
                cortex_m::asm::wfi();
            }
        }
    };
    let mut step = 0u32;
    loop {
        step = step.wrapping_add(1);
        let (x, y) = sample(step);
        // A full window drops its oldest point; a rejected point comes back with the reason.
        if let Err(rejected) = model.push(x, [y]) {
            rprintln!("step {}: point rejected: {:?}", step, rejected.error);
            continue;
        }
        match model.predict_with_variance(&x) {
            Ok(([mean], var)) => rprintln!(
                "step {}: y {} mean {} std {}",
                step,
                y,
                mean,
                libm::sqrtf(var)
            ),
            Err(e) => rprintln!("step {}: {:?}", step, e),
        }
        cortex_m::asm::delay(8_000_000);
    }
}

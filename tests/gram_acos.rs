//! The branch-free acos and sqrt of `ntk::gram` against independent references:
//! libm in f64 (for f32: f64 libm acos/sqrt, ≤ 1 ulp of f64, far below an f32 ulp;
//! for f64: libm's acos, itself < 1 ulp).
//!
//! Exhaustive / 10⁸-sample versions (ignored in debug):
//!     cargo test --release --test gram_acos -- --ignored --nocapture

use ntk::gram::{acos::acos, float};
use rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Bound on the f32 acos error in f32 ulps of the true value (measured max: see the report).
const ACOS_F32_MAX_ULP: f64 = 2.0;
/// Bound on the f64 acos error in f64 ulps of libm's value.
const ACOS_F64_MAX_ULP: f64 = 2.0;

fn ulp32(v: f64) -> f64 {
    let v = (v.abs() as f32).max(f32::MIN_POSITIVE);
    (f32::from_bits(v.to_bits() + 1) - v) as f64
}

fn ulp64(v: f64) -> f64 {
    let v = v.abs().max(f64::MIN_POSITIVE);
    f64::from_bits(v.to_bits() + 1) - v
}

/// Max error in ulps of acos over the f32 values with bit patterns `bits` (both signs).
fn acos_f32_err(bits: impl Iterator<Item = u32>) -> (f64, f32) {
    let (mut worst, mut at) = (0f64, 0f32);
    for b in bits {
        for x in [f32::from_bits(b), -f32::from_bits(b)] {
            let r = libm::acos(x as f64);
            let e = (acos(x) as f64 - r).abs() / ulp32(r);
            if e > worst {
                (worst, at) = (e, x);
            }
        }
    }
    (worst, at)
}

#[test]
fn acos_f32_sampled() {
    // Every 997th f32 in [0, 1] and both signs, plus the ends and the branch point.
    let (e, at) = acos_f32_err((0..=1.0f32.to_bits()).step_by(997).chain([
        0,
        0x3f00_0000,
        0x3eff_ffff,
        0x3f80_0000,
    ]));
    assert!(e <= ACOS_F32_MAX_ULP, "{e} ulp at {at:e}");
    assert_eq!(acos(1.0f32), 0.0);
    assert_eq!(acos(-1.0f32), core::f32::consts::PI);
}

#[test]
#[ignore = "every f32 in [-1, 1]: ~2e9 evaluations, run with --release"]
fn acos_f32_exhaustive() {
    let (e, at) = acos_f32_err(0..=1.0f32.to_bits());
    println!("acos f32, every value in [-1, 1]: max error {e:.3} ulp at {at:e}");
    assert!(e <= ACOS_F32_MAX_ULP);
}

fn acos_f64_err(count: u64) -> (f64, f64) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let specials = [
        0.0,
        -0.0,
        0.5,
        -0.5,
        1.0,
        -1.0,
        0.5 - f64::EPSILON / 4.0,
        1.0 - f64::EPSILON / 2.0,
        1e-300,
        5e-324,
    ];
    let (mut worst, mut at) = (0f64, 0f64);
    let mut check = |x: f64| {
        let r = libm::acos(x);
        let e = (acos(x) - r).abs() / ulp64(r);
        if e > worst {
            (worst, at) = (e, x);
        }
    };
    specials.iter().for_each(|&x| check(x));
    for i in 0..count {
        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        // Alternate uniform arguments with ones crowded near ±1 (where acos is steep).
        let x = if i % 2 == 0 {
            2.0 * u - 1.0
        } else {
            1.0 - u.powi(8)
        };
        check(x);
        check(-x);
    }
    (worst, at)
}

#[test]
fn acos_f64_sampled() {
    let (e, at) = acos_f64_err(20_000);
    assert!(e <= ACOS_F64_MAX_ULP, "{e} ulp at {at:e}");
    assert_eq!(acos(1.0f64), 0.0);
}

#[test]
#[ignore = "1e8 random arguments (2e8 evaluations), run with --release"]
fn acos_f64_1e8() {
    let (e, at) = acos_f64_err(100_000_000);
    println!("acos f64, 2e8 random + special arguments: max error {e:.3} ulp (vs libm) at {at:e}");
    assert!(e <= ACOS_F64_MAX_ULP);
}

fn sqrt_f32_err(bits: impl Iterator<Item = u32>) -> (f64, f64) {
    let (mut es, mut er) = (0f64, 0f64);
    for b in bits {
        let x = f32::from_bits(b);
        let s = (x as f64).sqrt();
        es = es.max((float::sqrt(x) as f64 - s).abs() / ulp32(s));
        er = er.max((float::rsqrt(x) as f64 - 1.0 / s).abs() / ulp32(1.0 / s));
    }
    (es, er)
}

#[test]
fn sqrt_f32_sampled() {
    let (s, r) = sqrt_f32_err((f32::MIN_POSITIVE.to_bits()..f32::MAX.to_bits()).step_by(9973));
    assert!(s <= 1.0 && r <= 3.5, "sqrt {s} ulp, rsqrt {r} ulp");
    assert_eq!(float::sqrt(0.0f32), 0.0);
    assert_eq!(float::sqrt(0.0f64), 0.0);
    // Subnormals: within [0, √x].
    let x = 1e-40f32;
    assert!((0.0..=(x as f64).sqrt() as f32 * 1.000_001).contains(&float::sqrt(x)));
}

#[test]
#[ignore = "every normal f32: run with --release"]
fn sqrt_f32_exhaustive() {
    let (s, r) = sqrt_f32_err(f32::MIN_POSITIVE.to_bits()..f32::MAX.to_bits());
    println!("f32 every normal value: sqrt {s:.3} ulp, rsqrt {r:.3} ulp");
    assert!(s <= 1.0 && r <= 3.5);
}

#[test]
fn sqrt_f64_sampled() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    let (mut es, mut er) = (0f64, 0f64);
    for _ in 0..200_000 {
        // Random normal f64 bit patterns (positive, finite).
        let x = f64::from_bits(
            (rng.next_u64() >> 2) % (0x7fe0_0000_0000_0000 - 0x0010_0000_0000_0000)
                + 0x0010_0000_0000_0000,
        );
        let s = libm::sqrt(x);
        es = es.max((float::sqrt(x) - s).abs() / ulp64(s));
        er = er.max((float::rsqrt(x) - 1.0 / s).abs() / ulp64(1.0 / s));
    }
    assert!(es <= 1.0 && er <= 3.5, "sqrt {es} ulp, rsqrt {er} ulp");
}

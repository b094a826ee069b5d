//! The kernel test cases, shared by `build.rs` (host, f64: the expected
//! values) and the firmware (target, f32 and f64: the values checked).

use ntk::{Activation, Error, Network, Real, Result};

/// Input dimension of the test points.
pub const DIM: usize = 4;

/// Test points, exactly representable in f32: generic pairs, an
/// anti-parallel pair (θ = π), a zero input, tiny and large norms.
pub const POINTS: [[f32; DIM]; 6] = [
    [1.0, 0.5, -0.25, 2.0],
    [-0.75, 1.5, 0.125, 0.5],
    [-1.0, -0.5, 0.25, -2.0],
    [0.0, 0.0, 0.0, 0.0],
    [0.003, -0.002, 0.001, 0.005],
    [40.0, -12.5, 7.25, 0.0],
];

/// Number of pairs (i, j), i ≤ j, of [`POINTS`].
pub const PAIRS: usize = POINTS.len() * (POINTS.len() + 1) / 2;

/// The `n`-th pair (i, j), i ≤ j, in row order.
pub const fn pair(n: usize) -> (usize, usize) {
    let (mut i, mut left) = (0, n);
    while left >= POINTS.len() - i {
        left -= POINTS.len() - i;
        i += 1;
    }
    (i, i + left)
}

/// Number of networks in [`case`].
pub const CASES: usize = 13;

/// The case with the Sign activation (ill-conditioned near c = ±1).
pub const SIGN_CASE: usize = 8;

/// Test network number `c` and its name.
pub fn case<T: Real>(c: usize) -> Result<(&'static str, Network<T>)> {
    let f = T::from_f64;
    let relu = Activation::Relu;
    Ok(match c {
        0 => ("relu L1", Network::new(1, relu)?),
        1 => (
            "relu L3 w1.5 b0.05",
            Network::new(3, relu)?.with_std(f(1.5), Some(f(0.05)))?,
        ),
        2 => (
            "leaky0.1 L2 b0.1",
            Network::new(2, Activation::leaky_relu(f(0.1)))?.with_std(f(1.2), Some(f(0.1)))?,
        ),
        3 => (
            "abs L2",
            Network::new(2, Activation::abs())?.with_std(f(1.0), Some(f(0.2)))?,
        ),
        4 => (
            "erf L2",
            Network::new(2, Activation::erf())?.with_std(f(1.3), Some(f(0.1)))?,
        ),
        5 => (
            "gelu L2",
            Network::new(2, Activation::Gelu)?.with_std(f(1.4), Some(f(0.05)))?,
        ),
        6 => (
            "sin L2",
            Network::new(
                2,
                Activation::Sin {
                    a: f(1.0),
                    b: f(0.8),
                    c: f(0.3),
                },
            )?
            .with_std(f(1.1), Some(f(0.1)))?,
        ),
        7 => (
            "requ L2",
            Network::new(2, Activation::Requ)?.with_std(f(0.9), Some(f(0.1)))?,
        ),
        8 => (
            "sign L2 b0.3",
            Network::new(2, Activation::Sign)?.with_std(f(1.0), Some(f(0.3)))?,
        ),
        9 => (
            "step L1 b0.2",
            Network::new(1, Activation::Step)?.with_std(f(1.0), Some(f(0.2)))?,
        ),
        10 => (
            "identity L1",
            Network::new(1, Activation::Identity)?.with_std(f(0.7), Some(f(0.4)))?,
        ),
        11 => (
            "relu L3 standard",
            Network::new(3, relu)?
                .with_std(f(1.4), Some(f(0.1)))?
                .with_standard_parameterization(&[64, 32, 16])?,
        ),
        12 => (
            "relu L16 w√2",
            Network::new(16, relu)?.with_std(f(2.0).sqrt(), Some(f(0.0)))?,
        ),
        _ => {
            return Err(Error::IndexOutOfRange {
                index: c,
                len: CASES,
            })
        }
    })
}

/// Input dimension of the regression data.
pub const REG_DIM: usize = 3;

/// Query points of the regression checks.
pub const QUERIES: [[f32; REG_DIM]; 3] = [[0.25, -0.5, 0.75], [-0.9, 0.1, 0.3], [0.0, 0.0, 0.0]];

/// The ridge λ (absolute) of the regression checks.
pub const RIDGE: f64 = 0.01;

/// The fit/predict network: depth-3 ReLU, W_std 1.5, b_std 0.05.
pub fn regression_network<T: Real>() -> Result<Network<T>> {
    Network::new(3, Activation::Relu)?.with_std(T::from_f64(1.5), Some(T::from_f64(0.05)))
}

/// Training point `i`: inputs k/1024 − 1 (exact in f32) from a fixed
/// generator, target y = x₀ − x₁x₂/2 + 1/4 evaluated in f32, so host and
/// target see the same numbers.
pub fn training_point(i: usize) -> ([f32; REG_DIM], f32) {
    let mut x = [0.0f32; REG_DIM];
    let mut s = (i as u32).wrapping_mul(2_654_435_761).wrapping_add(12_345);
    for v in x.iter_mut() {
        s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        *v = ((s >> 21) as f32) / 1024.0 - 1.0;
    }
    (x, x[0] - x[1] * x[2] * 0.5 + 0.25)
}

/// The first `N` training points and targets in precision T.
pub fn training<T: Real, const N: usize>() -> ([[T; REG_DIM]; N], [T; N]) {
    let (mut xs, mut ys) = ([[T::ZERO; REG_DIM]; N], [T::ZERO; N]);
    for (i, (x, y)) in xs.iter_mut().zip(ys.iter_mut()).enumerate() {
        let (p, t) = training_point(i);
        *x = p.map(|v| T::from_f64(f64::from(v)));
        *y = T::from_f64(f64::from(t));
    }
    (xs, ys)
}

/// Eigenvalues of the power-law spectrum of the κ checks: λᵢ = i⁻², i = 1 … 64.
pub fn power_law<T: Real>() -> [T; 64] {
    let mut lam = [T::ZERO; 64];
    for (i, l) in lam.iter_mut().enumerate() {
        let k = T::from_usize(i + 1);
        *l = T::ONE / (k * k);
    }
    lam
}

/// n and ridge δ of the power-law κ check.
pub const KAPPA_N: f64 = 10.0;
/// See [`KAPPA_N`].
pub const KAPPA_RIDGE: f64 = 0.1;

//! Named activations without a closed-form dual, for
//! [`Numerical`](super::numerical::Numerical): each φ and its derivative φ′
//! as plain `fn(T) -> T`, written to stay finite and accurate for every
//! finite x (no exp overflow, no cancellation near 0).

use crate::Real;

/// tanh x = sign(x)·(−expm1(−2|x|))/(2 + expm1(−2|x|)).
pub fn tanh<T: Real>(x: T) -> T {
    let e = (-T::TWO * x.abs()).exp_m1();
    let t = -e / (T::TWO + e);
    if x < T::ZERO {
        -t
    } else {
        t
    }
}

/// tanh′ x = 1 − tanh²x.
pub fn tanh_derivative<T: Real>(x: T) -> T {
    let t = tanh(x);
    (T::ONE - t) * (T::ONE + t)
}

/// σ(x) = 1/(1 + e^{−x}) (logistic sigmoid).
pub fn sigmoid<T: Real>(x: T) -> T {
    if x >= T::ZERO {
        T::ONE / (T::ONE + (-x).exp())
    } else {
        let e = x.exp();
        e / (T::ONE + e)
    }
}

/// σ′(x) = σ(x)·σ(−x).
pub fn sigmoid_derivative<T: Real>(x: T) -> T {
    sigmoid(x) * sigmoid(-x)
}

/// softplus(x) = ln(1 + eˣ) = max(x, 0) + ln1p(e^{−|x|}).
pub fn softplus<T: Real>(x: T) -> T {
    x.max(T::ZERO) + (-x.abs()).exp().ln_1p()
}

/// softplus′(x) = σ(x).
pub fn softplus_derivative<T: Real>(x: T) -> T {
    sigmoid(x)
}

/// SiLU (swish) x·σ(x).
pub fn silu<T: Real>(x: T) -> T {
    x * sigmoid(x)
}

/// SiLU′(x) = σ(x)·(1 + x·σ(−x)).
pub fn silu_derivative<T: Real>(x: T) -> T {
    sigmoid(x) * (T::ONE + x * sigmoid(-x))
}

/// ELU with α = 1: x for x > 0, eˣ − 1 otherwise.
pub fn elu<T: Real>(x: T) -> T {
    if x > T::ZERO {
        x
    } else {
        x.exp_m1()
    }
}

/// ELU′(x) = 1 for x > 0, eˣ otherwise.
pub fn elu_derivative<T: Real>(x: T) -> T {
    if x > T::ZERO {
        T::ONE
    } else {
        x.exp()
    }
}

/// SELU's λ (Klambauer et al. 2017).
const SELU_LAMBDA: f64 = 1.050_700_987_355_480_5;
/// SELU's α.
const SELU_ALPHA: f64 = 1.673_263_242_354_377_3;

/// SELU λ·x for x > 0, λα(eˣ − 1) otherwise.
pub fn selu<T: Real>(x: T) -> T {
    let lambda = T::from_f64(SELU_LAMBDA);
    if x > T::ZERO {
        lambda * x
    } else {
        lambda * T::from_f64(SELU_ALPHA) * x.exp_m1()
    }
}

/// SELU′(x) = λ for x > 0, λα·eˣ otherwise.
pub fn selu_derivative<T: Real>(x: T) -> T {
    let lambda = T::from_f64(SELU_LAMBDA);
    if x > T::ZERO {
        lambda
    } else {
        lambda * T::from_f64(SELU_ALPHA) * x.exp()
    }
}

/// Mish x·tanh(softplus x).
pub fn mish<T: Real>(x: T) -> T {
    x * tanh(softplus(x))
}

/// Mish′(x) = tanh(sp) + x·(1 − tanh²(sp))·σ(x), sp = softplus x.
pub fn mish_derivative<T: Real>(x: T) -> T {
    let t = tanh(softplus(x));
    t + x * (T::ONE - t) * (T::ONE + t) * sigmoid(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each derivative against a central difference of its function, and
    /// the functions against their textbook forms where those are stable.
    #[test]
    fn derivatives_match_central_differences() {
        type F = fn(f64) -> f64;
        let pairs: [(F, F, F); 7] = [
            (tanh, tanh_derivative, f64::tanh),
            (sigmoid, sigmoid_derivative, |x| 1.0 / (1.0 + (-x).exp())),
            (softplus, softplus_derivative, |x| x.exp().ln_1p()),
            (silu, silu_derivative, |x| x / (1.0 + (-x).exp())),
            (
                elu,
                elu_derivative,
                |x| if x > 0.0 { x } else { x.exp() - 1.0 },
            ),
            (selu, selu_derivative, |x| {
                SELU_LAMBDA
                    * if x > 0.0 {
                        x
                    } else {
                        SELU_ALPHA * (x.exp() - 1.0)
                    }
            }),
            (mish, mish_derivative, |x| x * x.exp().ln_1p().tanh()),
        ];
        for (i, (f, df, textbook)) in pairs.into_iter().enumerate() {
            for k in -40..=40 {
                let x = k as f64 * 0.15 + 0.01;
                let h = 1e-6;
                let numeric = (f(x + h) - f(x - h)) / (2.0 * h);
                assert!(
                    (numeric - df(x)).abs() < 1e-8,
                    "{i} at {x}: {numeric} vs {}",
                    df(x)
                );
                assert!(
                    (f(x) - textbook(x)).abs() < 1e-14 * (1.0 + x.abs()),
                    "{i} at {x}"
                );
            }
            assert!(f(1e300).is_finite() && f(-1e300).is_finite() && df(-1e300).is_finite());
        }
    }
}

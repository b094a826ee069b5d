//! Activations and their dual maps.
//!
//! For a layer φ applied to a centred Gaussian pair (u, v) with
//! E(u²) = q₁, E(v²) = q₂, E(uv) = K, the NNGP and NTK recursions need
//!
//! ```text
//! F(K; q₁, q₂) = E[φ(u)φ(v)]        (the dual activation)
//! Ḟ(K; q₁, q₂) = E[φ'(u)φ'(v)]      (the derivative map)
//! F_diag(q)    = E[φ(u)²]           (the variance map)
//! ```
//!
//! and a layer updates `K ← F`, `Θ ← Θ·Ḟ`, `q ← F_diag(q)`. Each activation's
//! closed form lives in the file named after it, with the formula in its docs.
//!
//! | `Activation` | φ(x) | neural-tangents |
//! |---|---|---|
//! | [`Relu`](Activation::Relu) | max(0, x) | `stax.Relu()` |
//! | [`AbRelu`](Activation::AbRelu) | a·min(x,0) + b·max(x,0) | `stax.ABRelu(a, b)`, `LeakyRelu(α)` = (α, 1), `Abs()` = (−1, 1) |
//! | [`Sign`](Activation::Sign) | sign(x) | `stax.Sign()` |
//! | [`Step`](Activation::Step) | (1 + sign x)/2 | — (order-0 arc-cosine; = ½·`Sign` + ½) |
//! | [`Requ`](Activation::Requ) | max(0, x)² | `stax.RectifiedMonomial(2)` |
//! | [`Erf`](Activation::Erf) | a·erf(b·x) + c | `stax.Erf(a, b, c)` |
//! | [`Gelu`](Activation::Gelu) | x·Φ(x) | `stax.Gelu()` |
//! | [`Sin`](Activation::Sin) | a·sin(b·x + c) | `stax.Sin(a, b, c)`; `Cos(a, b, c)` = `Sin(a, b, c + π/2)` |
//! | [`Identity`](Activation::Identity) | x | `stax.Identity()` (a no-op) |
//!
//! **Crate feature `all-activations`** (default on). Without it only the ReLU
//! family (`Relu`, `AbRelu`: leaky ReLU, Abs), the activations of the Gram
//! lane kernel, is compiled in: the other variants still exist (the API does
//! not change with the feature), but [`Network::new`](crate::Network::new)
//! refuses them with [`Error::FeatureDisabled`] and their maps here return
//! NaN. Their dual maps (erf, exp, sin/cos, GELU's `f64` arithmetic) and the
//! scalar Gram path they need are then not linked, which keeps kernel
//! regression small on microcontrollers (see `firmware/`).

pub mod abrelu;
pub mod angle;
pub mod erf;
pub mod gelu;
pub mod requ;
pub mod sign;
pub mod sin;

use crate::{Error, Real, Result};

/// An elementwise nonlinearity with a closed-form dual.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Activation<T> {
    /// max(0, x): the arc-cosine kernel of order 1 (the fast path of `ntk::gram`).
    Relu,
    /// a·min(x, 0) + b·max(x, 0).
    AbRelu {
        /// Slope for x < 0.
        a: T,
        /// Slope for x > 0.
        b: T,
    },
    /// sign(x); its NTK contribution below it is 0 (see [`sign`]).
    Sign,
    /// Heaviside step (1 + sign x)/2; order-0 arc-cosine.
    Step,
    /// max(0, x)²: order-2 arc-cosine.
    Requ,
    /// a·erf(b·x) + c.
    Erf {
        /// Output scale.
        a: T,
        /// Input scale.
        b: T,
        /// Output shift.
        c: T,
    },
    /// x·Φ(x), Φ the standard normal CDF (exact erf GELU).
    Gelu,
    /// a·sin(b·x + c).
    Sin {
        /// Output scale.
        a: T,
        /// Frequency.
        b: T,
        /// Phase.
        c: T,
    },
    /// x.
    Identity,
}

impl<T: Real> Activation<T> {
    /// Leaky ReLU with negative slope `alpha`: ABReLU(α, 1).
    pub fn leaky_relu(alpha: T) -> Self {
        Activation::AbRelu {
            a: alpha,
            b: T::ONE,
        }
    }

    /// |x| = ABReLU(−1, 1).
    pub fn abs() -> Self {
        Activation::AbRelu {
            a: -T::ONE,
            b: T::ONE,
        }
    }

    /// erf(x): neural-tangents' default `Erf(a=1, b=1, c=0)`.
    pub fn erf() -> Self {
        Activation::Erf {
            a: T::ONE,
            b: T::ONE,
            c: T::ZERO,
        }
    }

    /// a·cos(b·x + c) = Sin(a, b, c + π/2).
    pub fn cos(a: T, b: T, c: T) -> Self {
        Activation::Sin {
            a,
            b,
            c: c + T::PI * T::HALF,
        }
    }

    /// `true` if this activation's maps are compiled in: always for the
    /// ReLU family (`Relu`, `AbRelu`), for the others with the crate feature
    /// `all-activations` (see the [module docs](self)).
    #[inline(always)]
    pub fn is_enabled(&self) -> bool {
        cfg!(feature = "all-activations")
            || matches!(self, Activation::Relu | Activation::AbRelu { .. })
    }

    /// Checks that the activation is compiled in ([`Error::FeatureDisabled`])
    /// and that every parameter is finite ([`Error::NonFinite`]).
    pub fn validate(&self) -> Result<()> {
        if !self.is_enabled() {
            return Err(Error::FeatureDisabled {
                what: "this activation (only the ReLU family is built in)",
                feature: "all-activations",
            });
        }
        let ok = match *self {
            Activation::AbRelu { a, b } => a.is_finite() && b.is_finite(),
            Activation::Erf { a, b, c } | Activation::Sin { a, b, c } => {
                a.is_finite() && b.is_finite() && c.is_finite()
            }
            _ => true,
        };
        if ok {
            Ok(())
        } else {
            Err(Error::NonFinite {
                what: "activation parameter",
            })
        }
    }

    /// (F, Ḟ): the dual map and derivative map at covariance `k` and
    /// variances `q1`, `q2` (finite, q ≥ 0, |k| ≤ √(q₁q₂)). NaN for an
    /// activation that is not [enabled](Activation::is_enabled).
    #[inline]
    pub fn dual(&self, k: T, q1: T, q2: T) -> (T, T) {
        if !self.is_enabled() {
            return (nan(), nan());
        }
        match *self {
            Activation::Relu => abrelu::dual(T::ZERO, T::ONE, k, q1, q2),
            Activation::AbRelu { a, b } => abrelu::dual(a, b, k, q1, q2),
            Activation::Sign => sign::sign_dual(k, q1, q2),
            Activation::Step => sign::step_dual(k, q1, q2),
            Activation::Requ => requ::dual(k, q1, q2),
            Activation::Erf { a, b, c } => erf::dual(a, b, c, k, q1, q2),
            Activation::Gelu => gelu::dual(k, q1, q2),
            Activation::Sin { a, b, c } => sin::dual(a, b, c, k, q1, q2),
            Activation::Identity => (k, T::ONE),
        }
    }

    /// (F, Ḟ, gaps of F): [`Activation::dual`] at variances `q` = (q₁, q₂),
    /// given also the pair's [`Gaps`](angle::Gaps) 1 ∓ c (c = K/√(q₁q₂)) and
    /// the output variances `post` = (F_diag(q₁), F_diag(q₂)); the result's
    /// gaps are 1 ∓ F/r′ with r′ = √(F_diag(q₁)F_diag(q₂)).
    ///
    /// Every map takes its angle, or its 1 ∓ c, from the gaps
    /// ([`Angle::of_gaps`](angle::Angle::of_gaps)), so a pair within 1e-12 rad
    /// of parallel or antiparallel keeps its angle to full relative precision
    /// through every layer; from K alone it would lose ε/(1 ∓ c) of it. The
    /// arc-cosine kernels (ReLU family, Sign, Step, ReQU) form the output's
    /// gaps without cancellation; the smooth maps as r′ ∓ F.
    /// NaN for an activation that is not [enabled](Activation::is_enabled).
    #[inline]
    pub fn dual_gap(
        &self,
        k: T,
        gaps: angle::Gaps<T>,
        q: (T, T),
        post: (T, T),
    ) -> (T, T, angle::Gaps<T>) {
        if !self.is_enabled() {
            let nan = nan();
            return (
                nan,
                nan,
                angle::Gaps {
                    vers: nan,
                    cov: nan,
                },
            );
        }
        let angle = || angle::Angle::of_gaps(gaps, q.0, q.1);
        let smooth = |(f, fdot): (T, T)| {
            (
                f,
                fdot,
                angle::Gaps::of_output(f, angle::geometric_mean(post.0, post.1)),
            )
        };
        match *self {
            Activation::Relu => abrelu::of_angle(T::ZERO, T::ONE, angle()),
            Activation::AbRelu { a, b } => abrelu::of_angle(a, b, angle()),
            Activation::Sign => sign::sign_of_angle(angle()),
            Activation::Step => sign::step_of_angle(angle(), post),
            Activation::Requ => requ::of_angle(angle()),
            Activation::Identity => (k, T::ONE, gaps),
            Activation::Erf { a, b, c } => {
                // The gaps, relative to r, do not change with the scale b.
                let b2 = b * b;
                let (q1, q2) = (b2 * q.0, b2 * q.1);
                let g = angle::Angle::of_gaps(gaps, q1, q2);
                smooth(erf::of_angle((a, b, c), b2 * k, (q1, q2), g))
            }
            Activation::Sin { a, b, c } => smooth(sin::of_angle((a, b, c), q, angle())),
            Activation::Gelu => {
                let wide = |v: T| v.to_f64();
                let g64 = angle::Gaps {
                    vers: wide(gaps.vers),
                    cov: wide(gaps.cov),
                };
                let (q1, q2) = (wide(q.0), wide(q.1));
                // K from the gaps, not the rounded `k`: in f32 the output's
                // gaps would cancel to f32's rounding of K.
                let g = angle::Angle::of_gaps(g64, q1, q2);
                let (f, fdot) = gelu::of_angle(g.r * g.cos, (q1, q2), g);
                let next = gelu::gaps(f, (q1, q2));
                let gaps = angle::Gaps {
                    vers: T::from_f64(next.vers),
                    cov: T::from_f64(next.cov),
                };
                (T::from_f64(f), T::from_f64(fdot), gaps)
            }
        }
    }

    /// F_diag(q) = E[φ(u)²] for u ~ N(0, q) (NaN if not [enabled](Activation::is_enabled)).
    #[inline]
    pub fn diag(&self, q: T) -> T {
        if !self.is_enabled() {
            return nan();
        }
        match *self {
            Activation::Relu => abrelu::diag(T::ZERO, T::ONE, q),
            Activation::AbRelu { a, b } => abrelu::diag(a, b, q),
            Activation::Sign => sign::sign_diag(q),
            Activation::Step => sign::step_diag(q),
            Activation::Requ => requ::diag(q),
            Activation::Erf { a, b, c } => erf::diag(a, b, c, q),
            Activation::Gelu => gelu::diag(q),
            Activation::Sin { a, b, c } => sin::diag(a, b, c, q),
            Activation::Identity => q,
        }
    }

    /// φ(x), for the finite-width networks of `ntk::finite` (NaN if not
    /// [enabled](Activation::is_enabled)).
    #[inline]
    pub fn apply(&self, x: T) -> T {
        if !self.is_enabled() {
            return nan();
        }
        match *self {
            Activation::Relu => x.max(T::ZERO),
            Activation::AbRelu { a, b } => a * x.min(T::ZERO) + b * x.max(T::ZERO),
            Activation::Sign => signum(x),
            Activation::Step => (T::ONE + signum(x)) * T::HALF,
            Activation::Requ => {
                let r = x.max(T::ZERO);
                r * r
            }
            Activation::Erf { a, b, c } => a * (b * x).erf() + c,
            Activation::Gelu => x * T::HALF * (T::ONE + (x / T::TWO.sqrt()).erf()),
            Activation::Sin { a, b, c } => a * (b * x + c).sin(),
            Activation::Identity => x,
        }
    }

    /// φ'(x), for hand-written backpropagation (0 for Sign and Step: the
    /// delta at 0 is dropped, as in neural-tangents; NaN if not
    /// [enabled](Activation::is_enabled)).
    #[inline]
    pub fn derivative(&self, x: T) -> T {
        if !self.is_enabled() {
            return nan();
        }
        match *self {
            Activation::Relu => step01(x),
            Activation::AbRelu { a, b } => {
                if x > T::ZERO {
                    b
                } else {
                    a
                }
            }
            Activation::Sign | Activation::Step => T::ZERO,
            Activation::Requ => T::TWO * x.max(T::ZERO),
            Activation::Erf { a, b, .. } => {
                a * b * T::TWO / T::PI.sqrt() * (-(b * x) * (b * x)).exp()
            }
            Activation::Gelu => {
                let cdf = T::HALF * (T::ONE + (x / T::TWO.sqrt()).erf());
                let pdf = (-x * x * T::HALF).exp() / (T::TWO * T::PI).sqrt();
                cdf + x * pdf
            }
            Activation::Sin { a, b, c } => a * b * (b * x + c).cos(),
            Activation::Identity => T::ONE,
        }
    }
}

/// The value of a map whose activation is compiled out.
#[inline(always)]
fn nan<T: Real>() -> T {
    T::from_f64(f64::NAN)
}

fn signum<T: Real>(x: T) -> T {
    if x > T::ZERO {
        T::ONE
    } else if x < T::ZERO {
        -T::ONE
    } else {
        T::ZERO
    }
}

fn step01<T: Real>(x: T) -> T {
    if x > T::ZERO {
        T::ONE
    } else {
        T::ZERO
    }
}

#[cfg(test)]
mod tests {
    use super::Activation;
    use crate::{Error, Network};

    /// With `all-activations` (the default) every activation builds a network;
    /// without it (`cargo test --no-default-features --lib`, run by CI) the
    /// ones outside the ReLU family are refused with a typed error.
    #[test]
    fn compiled_out_activations_are_refused_at_construction() {
        let all = cfg!(feature = "all-activations");
        for act in [
            Activation::Relu,
            Activation::leaky_relu(0.1),
            Activation::abs(),
        ] {
            assert!(act.is_enabled());
            assert!(Network::<f32>::new(2, act).is_ok());
        }
        for act in [
            Activation::Sign,
            Activation::Step,
            Activation::Requ,
            Activation::erf(),
            Activation::Gelu,
            Activation::cos(1.0, 1.0, 0.0),
            Activation::Identity,
        ] {
            assert_eq!(act.is_enabled(), all);
            let net = Network::<f64>::new(2, act);
            if all {
                assert!(net.is_ok());
                assert!(act.dual(0.5, 1.0, 1.0).0.is_finite());
            } else {
                assert!(matches!(net, Err(Error::FeatureDisabled { .. })));
                assert!(act.dual(0.5, 1.0, 1.0).0.is_nan() && act.diag(1.0).is_nan());
            }
        }
    }
}

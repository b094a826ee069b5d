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
//! | `Activation` | φ(x) | neural-tangents | f64 | f32 |
//! |---|---|---|---|---|
//! | [`Relu`](Activation::Relu) | max(0, x) | `stax.Relu()` | 1.4e-12 (NT's rounding; 4.9e-16 vs mpmath) | 8.4e-7 |
//! | [`AbRelu`](Activation::AbRelu) | a·min(x,0) + b·max(x,0) | `stax.ABRelu(a, b)`, `LeakyRelu(α)` = (α, 1), `Abs()` = (−1, 1) | 2.2e-13 | 1.1e-6 |
//! | [`Sign`](Activation::Sign) | sign(x) | `stax.Sign()` | 6.4e-14 ˢ | 1.6e-7 ˢ |
//! | [`Step`](Activation::Step) | (1 + sign x)/2 | — (order-0 arc-cosine; = ½·`Sign` + ½) | 3.7e-14 ˢ | 9.6e-8 ˢ |
//! | [`Requ`](Activation::Requ) | max(0, x)² | `stax.RectifiedMonomial(2)` (NaN beyond one layer in 0.6.5) | 7.0e-15 ᵐ | 4.2e-6 |
//! | [`RectifiedMonomial(n)`](Activation::RectifiedMonomial) | max(0, x)ⁿ | `stax.RectifiedMonomial(n)` (NaN beyond one layer in 0.6.5) | 3.9e-15 ᵐ | 1.5e-6 |
//! | [`Monomial(n)`](Activation::Monomial) | xⁿ | `stax.Monomial(n)`, n ≤ 5 (n = 7: mpmath) | 7.7e-15 | 2.4e-6 |
//! | [`Hermite(n)`](Activation::Hermite) | Heₙ(x)/√(n!) | `stax.Hermite(n)` (right at unit variance only) | 4.9e-15 ᵐ | 4.1e-7 |
//! | [`Polynomial`](Activation::Polynomial) | Σ cᵢxⁱ, ≤ 8 coefficients | `stax.Polynomial(coef)` | 1.2e-15 | 4.4e-7 |
//! | [`Erf`](Activation::Erf) | a·erf(b·x) + c | `stax.Erf(a, b, c)` | 2.8e-15 | 1.0e-6 |
//! | [`SigmoidLike`](Activation::SigmoidLike) | ½·erf(x/2.40…) + ½ | `stax.Sigmoid_like()` | 7.7e-16 | 1.8e-7 |
//! | [`Gelu`](Activation::Gelu) | x·Φ(x) | `stax.Gelu()` | 4.2e-15 | 9.2e-7 |
//! | [`Sin`](Activation::Sin) | a·sin(b·x + c) | `stax.Sin(a, b, c)`; `Cos(a, b, c)` = `Sin(a, b, c + π/2)` | 1.3e-14 | 3.1e-7 |
//! | [`Rbf(γ)`](Activation::Rbf) | √2·sin(√(2γ)x + π/4) | `stax.Rbf(gamma)` | 1.6e-14 | 9.0e-7 |
//! | [`Exp`](Activation::Exp) | a·exp(b·x) | `stax.Exp(a, b)` | 3.5e-16 | 2.6e-7 |
//! | [`Gaussian`](Activation::Gaussian) | a·exp(b·x²) | `stax.Gaussian(a, b)` | 5.6e-15 | 8.4e-7 |
//! | [`ExpNormalized`](Activation::ExpNormalized) | — (a kernel map) | `stax.ExpNormalized(gamma, shift, do_clip)` | 2.6e-15 | 8.9e-7 |
//! | [`Gabor`](Activation::Gabor) | exp(−x²)·sin x | `stax.Gabor()` | 7.9e-14 | 5.2e-6 |
//! | [`Identity`](Activation::Identity) | x | `stax.Identity()` (a no-op) | 7.6e-16 | 1.0e-6 |
//! | [`Numerical`](Activation::Numerical) | any `fn` φ with φ′ | `stax.ElementwiseNumerical(fn, deg, df)` | = NT to 4.2e-15; quadrature error: [`numerical`] | = NT to 5e-7 |
//!
//! **Accuracy** (measured, `cargo test --test neural_tangents -- --nocapture`):
//! the largest |ours − reference| over each fixture case's 5×5 NNGP and NTK
//! matrices, relative to the largest entry, over every case of the activation
//! (depths 1–10, both parameterizations, d from 1 to 32, identical,
//! antiparallel, scaled-parallel, zero and random inputs; the worst parameter
//! set is shown). f64: against neural-tangents 0.6.5 where it is right, else
//! (ᵐ) against a 50-digit mpmath evaluation — neural-tangents is NaN for
//! rectified monomials at parallel pairs and beyond one layer, and returns Kⁿ
//! for Hermite at every variance. f32: against the exact value, on entries
//! the f32 inputs determine (the change of the exact kernel under 8 ulps of
//! the first-layer covariance is ≤ 1e-6 of the largest entry). ˢ Sign, Step
//! and RectifiedMonomial(0) at scaled-parallel inputs in deep nets are not
//! determined by rounded inputs (their map has slope ∞ at c = ±1): there the
//! error is up to 0.53 of the largest entry, in every precision.
//!
//! **Crate feature `all-activations`** (default on). Without it only the ReLU
//! family (`Relu`, `AbRelu`: leaky ReLU, Abs), the activations of the Gram
//! lane kernel, is compiled in: the other variants still exist (the API does
//! not change with the feature), but [`Network::new`](crate::Network::new)
//! refuses them with [`Error::FeatureDisabled`] and their maps here return
//! NaN. Their dual maps (erf, exp, sin/cos, GELU's and Gabor's `f64`
//! arithmetic, the arc-cosine and Hermite recurrences, Gauss–Hermite
//! quadrature) and the scalar Gram path they need are then not linked, which keeps kernel
//! regression small on microcontrollers (measured in BENCHMARKS.md).

pub mod abrelu;
pub(crate) mod angle;
pub mod builtin;
pub mod erf;
pub mod exp;
pub mod exp_normalized;
pub mod gabor;
pub mod gauss_hermite;
pub mod gaussian;
pub mod gelu;
pub mod hermite;
pub mod monomial;
pub mod numerical;
pub mod polynomial;
pub mod rbf;
pub mod rectified_monomial;
pub mod requ;
pub mod sign;
pub mod sin;

use crate::{Error, Real, Result};

/// The largest degree n of [`Activation::Monomial`],
/// [`Activation::RectifiedMonomial`] and [`Activation::Hermite`]: their maps
/// cost O(n) per pair, and (2n − 1)!! overflows f64 near n = 150.
pub const MAX_DEGREE: u32 = 64;

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
    /// max(0, x)²: order-2 arc-cosine, the same maps (and code) as
    /// `RectifiedMonomial(2)` (kept as the short name).
    Requ,
    /// max(0, x)ⁿ: the arc-cosine kernel of order n ≤ [`MAX_DEGREE`]
    /// (0 is [`Step`](Activation::Step), 1 ReLU, 2 [`Requ`](Activation::Requ)).
    RectifiedMonomial(u32),
    /// xⁿ, n ≤ [`MAX_DEGREE`].
    Monomial(u32),
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
    /// √2·sin(√(2γ)·x + π/4), γ ≥ 0: its dual is the RBF kernel
    /// exp(−γ·E[(u − v)²]) (see [`rbf`]).
    Rbf(T),
    /// a·exp(b·x).
    Exp {
        /// Output scale.
        a: T,
        /// Input scale.
        b: T,
    },
    /// a·exp(b·x²) (neural-tangents' default b = −1).
    Gaussian {
        /// Output scale.
        a: T,
        /// Coefficient of x² in the exponent.
        b: T,
    },
    /// Any φ with φ′, its maps by Gauss–Hermite quadrature (see [`numerical`]):
    /// neural-tangents' `ElementwiseNumerical(fn, deg, df)`.
    Numerical(numerical::Numerical<T>),
    /// Heₙ(x)/√(n!), n ≤ [`MAX_DEGREE`]: the normalised probabilists' Hermite
    /// polynomial (exact for any variance, see [`hermite`]).
    Hermite(u32),
    /// c₀ + c₁x + … (at most 8 coefficients, see [`polynomial`]).
    Polynomial(polynomial::Polynomial<T>),
    /// The normalised Gaussian kernel map r·exp(γ(K/r + shift)), r = √(q₁q₂):
    /// no pointwise φ (see [`exp_normalized`]).
    ExpNormalized {
        /// γ, the exponent's scale.
        gamma: T,
        /// Added to the normalised covariance K/r.
        shift: T,
        /// Clip K/r to [−1, 1].
        do_clip: bool,
    },
    /// exp(−x²)·sin x.
    Gabor,
    /// ½·erf(x/2.4020563531719796) + ½: `Erf(½, 1/2.40…, ½)`, the erf
    /// closest to the logistic sigmoid on [−5, 5] (neural-tangents `Sigmoid_like`).
    SigmoidLike,
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

    /// The [`Erf`](Activation::Erf) parameters of [`SigmoidLike`](Activation::SigmoidLike).
    pub fn sigmoid_like_erf() -> Self {
        Activation::Erf {
            a: T::HALF,
            b: T::from_f64(1.0 / 2.402_056_353_171_979_6),
            c: T::HALF,
        }
    }

    /// `false` for [`ExpNormalized`](Activation::ExpNormalized), a kernel map
    /// with no pointwise φ ([`Activation::apply`] is NaN, finite networks
    /// refuse it); `true` for every other activation.
    pub fn is_pointwise(&self) -> bool {
        !matches!(self, Activation::ExpNormalized { .. })
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
            Activation::Exp { a, b } | Activation::Gaussian { a, b } => {
                a.is_finite() && b.is_finite()
            }
            Activation::Rbf(gamma) if gamma < T::ZERO => {
                return Err(Error::InvalidParameter {
                    what: "Rbf gamma must be >= 0",
                });
            }
            Activation::Rbf(gamma) => gamma.is_finite(),
            Activation::ExpNormalized { gamma, shift, .. } => {
                gamma.is_finite() && shift.is_finite()
            }
            Activation::Monomial(n) | Activation::RectifiedMonomial(n) | Activation::Hermite(n)
                if n > MAX_DEGREE =>
            {
                return Err(Error::InvalidParameter {
                    what: "degree must be <= activation::MAX_DEGREE (64)",
                });
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
            Activation::RectifiedMonomial(n) => rectified_monomial::dual(n, k, q1, q2),
            Activation::Monomial(n) => monomial::dual(n, k, q1, q2),
            Activation::Erf { a, b, c } => erf::dual(a, b, c, k, q1, q2),
            Activation::Gelu => gelu::dual(k, q1, q2),
            Activation::Sin { a, b, c } => sin::dual(a, b, c, k, q1, q2),
            Activation::Identity => (k, T::ONE),
            Activation::Rbf(gamma) => rbf::dual(gamma, k, q1, q2),
            Activation::Exp { a, b } => exp::dual(a, b, k, q1, q2),
            Activation::Gaussian { a, b } => gaussian::dual(a, b, k, q1, q2),
            Activation::Numerical(ref n) => n.dual(k, q1, q2),
            Activation::Hermite(n) => hermite::dual(n, k, q1, q2),
            Activation::Polynomial(ref p) => p.dual(k, q1, q2),
            Activation::ExpNormalized {
                gamma,
                shift,
                do_clip,
            } => exp_normalized::dual(gamma, shift, do_clip, k, q1, q2),
            Activation::Gabor => gabor::dual(k, q1, q2),
            Activation::SigmoidLike => Self::sigmoid_like_erf().dual(k, q1, q2),
        }
    }

    /// (F, Ḟ, gaps of F): [`Activation::dual`] at variances `q` = (q₁, q₂),
    /// given also the pair's gaps 1 ∓ c (c = K/√(q₁q₂)) and
    /// the output variances `post` = (F_diag(q₁), F_diag(q₂)); the result's
    /// gaps are 1 ∓ F/r′ with r′ = √(F_diag(q₁)F_diag(q₂)).
    ///
    /// Every map takes its angle, or its 1 ∓ c, from the gaps
    /// (θ = 2·atan2(√(1 − c), √(1 + c))), so a pair within 1e-12 rad
    /// of parallel or antiparallel keeps its angle to full relative precision
    /// through every layer; from K alone it would lose ε/(1 ∓ c) of it. The
    /// arc-cosine kernels (ReLU family, Sign, Step, ReQU) form the output's
    /// gaps without cancellation; the smooth maps as r′ ∓ F.
    /// NaN for an activation that is not [enabled](Activation::is_enabled).
    #[inline]
    pub(crate) fn dual_gap(
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
            Activation::Step | Activation::RectifiedMonomial(0) => {
                sign::step_of_angle(angle(), post)
            }
            Activation::RectifiedMonomial(1) => abrelu::of_angle(T::ZERO, T::ONE, angle()),
            Activation::Requ | Activation::RectifiedMonomial(2) => requ::of_angle(angle()),
            Activation::Identity | Activation::Monomial(1) => (k, T::ONE, gaps),
            Activation::SigmoidLike => Self::sigmoid_like_erf().dual_gap(k, gaps, q, post),
            Activation::Rbf(gamma) => rbf::of_angle(gamma, q, angle()),
            Activation::Exp { a, b } => smooth(exp::of_angle(a, b, q, angle())),
            Activation::Gaussian { a, b } => gaussian::of_angle(a, b, k, q, angle()),
            Activation::Erf { a, b, c } => {
                // The gaps, relative to r, do not change with the scale b.
                let b2 = b * b;
                let (q1, q2) = (b2 * q.0, b2 * q.1);
                let g = angle::Angle::of_gaps(gaps, q1, q2);
                smooth(erf::of_angle((a, b, c), b2 * k, (q1, q2), g))
            }
            Activation::Sin { a, b, c } => smooth(sin::of_angle((a, b, c), q, angle())),
            Activation::Gabor => {
                let (q, g) = wide_angle(gaps, q);
                let (f, fdot) = gabor::of_angle(q, g);
                smooth((T::from_f64(f), T::from_f64(fdot)))
            }
            Activation::Gelu => {
                // K from the gaps, not the rounded `k`: in f32 the output's
                // gaps would cancel to f32's rounding of K.
                let ((q1, q2), g) = wide_angle(gaps, q);
                let (f, fdot) = gelu::of_angle(g.r * g.cos, (q1, q2), g);
                let next = gelu::gaps(f, (q1, q2));
                let gaps = angle::Gaps {
                    vers: T::from_f64(next.vers),
                    cov: T::from_f64(next.cov),
                };
                (T::from_f64(f), T::from_f64(fdot), gaps)
            }
            _ => smooth(self.dual(k, q.0, q.1)),
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
            Activation::RectifiedMonomial(n) => rectified_monomial::diag(n, q),
            Activation::Monomial(n) => monomial::diag(n, q),
            Activation::Erf { a, b, c } => erf::diag(a, b, c, q),
            Activation::Gelu => gelu::diag(q),
            Activation::Sin { a, b, c } => sin::diag(a, b, c, q),
            Activation::Identity => q,
            Activation::Rbf(_) => T::ONE,
            Activation::Exp { a, b } => exp::diag(a, b, q),
            Activation::Gaussian { a, b } => gaussian::diag(a, b, q),
            Activation::Numerical(ref n) => n.diag(q),
            Activation::Hermite(n) => hermite::diag(n, q),
            Activation::Polynomial(ref p) => p.diag(q),
            Activation::ExpNormalized {
                gamma,
                shift,
                do_clip,
            } => exp_normalized::diag(gamma, shift, do_clip, q),
            Activation::Gabor => gabor::diag(q),
            Activation::SigmoidLike => Self::sigmoid_like_erf().diag(q),
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
            Activation::Requ => rectified_monomial::apply(2, x),
            Activation::RectifiedMonomial(n) => rectified_monomial::apply(n, x),
            Activation::Monomial(n) => monomial::powi(x, n),
            Activation::Erf { a, b, c } => a * (b * x).erf() + c,
            Activation::Gelu => x * T::HALF * (T::ONE + (x / T::TWO.sqrt()).erf()),
            Activation::Sin { a, b, c } => a * (b * x + c).sin(),
            Activation::Identity => x,
            Activation::Rbf(gamma) => rbf::apply(gamma, x),
            Activation::Exp { a, b } => a * (b * x).exp(),
            Activation::Gaussian { a, b } => a * (b * x * x).exp(),
            Activation::Numerical(ref n) => n.apply(x),
            Activation::Hermite(n) => hermite::apply(n, x).0,
            Activation::Polynomial(ref p) => p.apply(x),
            Activation::ExpNormalized { .. } => nan(),
            Activation::Gabor => gabor::apply(x).0,
            Activation::SigmoidLike => Self::sigmoid_like_erf().apply(x),
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
            Activation::Requ => rectified_monomial::derivative(2, x),
            Activation::RectifiedMonomial(n) => rectified_monomial::derivative(n, x),
            Activation::Monomial(n) => monomial::derivative(n, x),
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
            Activation::Rbf(gamma) => rbf::derivative(gamma, x),
            Activation::Exp { a, b } => a * b * (b * x).exp(),
            Activation::Gaussian { a, b } => T::TWO * a * b * x * (b * x * x).exp(),
            Activation::Numerical(ref n) => n.derivative(x),
            Activation::Hermite(n) => hermite::apply(n, x).1,
            Activation::Polynomial(ref p) => p.derivative(x),
            Activation::ExpNormalized { .. } => nan(),
            Activation::Gabor => gabor::apply(x).1,
            Activation::SigmoidLike => Self::sigmoid_like_erf().derivative(x),
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

/// The variances and the pair's [`angle::Angle`] in f64, from the gaps the
/// recursion carries (for the maps evaluated in f64: GELU, Gabor).
fn wide_angle<T: Real>(gaps: angle::Gaps<T>, q: (T, T)) -> ((f64, f64), angle::Angle<f64>) {
    let g64 = angle::Gaps {
        vers: gaps.vers.to_f64(),
        cov: gaps.cov.to_f64(),
    };
    let (q1, q2) = (q.0.to_f64(), q.1.to_f64());
    ((q1, q2), angle::Angle::of_gaps(g64, q1, q2))
}

#[cfg(test)]
mod tests {
    use super::Activation;
    use crate::{Error, Network};

    /// Parameters outside an activation's domain are typed errors at
    /// construction, never a NaN later.
    #[test]
    #[cfg(feature = "all-activations")]
    fn bad_parameters_are_typed_errors() {
        use super::{numerical::Numerical, polynomial::Polynomial, MAX_DEGREE};
        let refused = |act: Activation<f64>| Network::new(2, act).is_err();
        assert!(refused(Activation::Monomial(MAX_DEGREE + 1)));
        assert!(refused(Activation::RectifiedMonomial(MAX_DEGREE + 1)));
        assert!(refused(Activation::Hermite(MAX_DEGREE + 1)));
        assert!(refused(Activation::Rbf(-1.0)) && refused(Activation::Rbf(f64::NAN)));
        assert!(refused(Activation::Exp {
            a: 1.0,
            b: f64::INFINITY
        }));
        assert!(refused(Activation::Gaussian {
            a: f64::NAN,
            b: -1.0
        }));
        assert!(refused(Activation::ExpNormalized {
            gamma: f64::NAN,
            shift: 0.0,
            do_clip: false
        }));
        assert!(Numerical::<f32>::tanh(0).is_err() && Numerical::<f32>::tanh(65).is_err());
        assert!(Polynomial::<f64>::new(&[1.0; 9]).is_err());
        let kernel_map = Activation::ExpNormalized {
            gamma: 1.0,
            shift: -1.0,
            do_clip: true,
        };
        let net = Network::<f64>::new(1, kernel_map).unwrap();
        assert!(crate::finite::FiniteNetwork::new(net, 2, 4).is_err());
        // Gaussian with b > 0 diverges once 4bq ≥ 1: an error, not ∞ or NaN.
        let wide = Network::<f64>::new(1, Activation::Gaussian { a: 1.0, b: 0.5 }).unwrap();
        assert!(wide.kernels(&[3.0], &[3.0]).is_err());
        assert!(wide.kernels(&[0.5], &[0.4]).is_ok());
    }

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
            Activation::RectifiedMonomial(3),
            Activation::Monomial(2),
            Activation::Rbf(0.5),
            Activation::Exp { a: 1.0, b: 0.5 },
            Activation::Gaussian { a: 1.0, b: -1.0 },
            Activation::Numerical(super::numerical::Numerical::tanh(8).unwrap()),
            Activation::Hermite(3),
            Activation::Polynomial(super::polynomial::Polynomial::new(&[0.1, 1.0, 0.5]).unwrap()),
            Activation::ExpNormalized {
                gamma: 1.0,
                shift: -1.0,
                do_clip: false,
            },
            Activation::Gabor,
            Activation::SigmoidLike,
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

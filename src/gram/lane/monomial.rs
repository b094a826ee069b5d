//! The lane map of Monomial(n), φ(x) = xⁿ, for 2 ≤ n ≤ [`CAP`].
//!
//! With r = σₓσ_z and P − K² = (r − K)(r + K) (no cancelling subtraction),
//! the recurrence of [`activation::monomial`](crate::activation::monomial):
//!
//! ```text
//! M₋₁ = 0,  M₀ = 1,  Mₘ₊₁ = (2m + 1)·K·Mₘ + m²·(P − K²)·Mₘ₋₁,   F = Mₙ,  Ḟ = n²Mₙ₋₁
//! ```
//!
//! Both terms have the sign of Mₘ₊₁, so nothing cancels. The loop runs [`CAP`]
//! steps whatever n (later steps keep their values: a loop of fixed length
//! is what the lane loop vectorises); n > [`CAP`] keeps the exact tile.
//! Pairs with |K| > (1 − τ)·r (τ = 1/64 in f64, 1/16 in f32) take the exact
//! path: there a layer's gain in c, n²Mₙ₋₁r/Mₙ = n²/(2n − 1) at c = ±1, would
//! magnify the ε-absolute gap 1 − c that the lanes carry (the exact path
//! carries it relative); so do points whose variance would over- or
//! underflow Mₙ ([`power_range`]).

use super::{near_unit_of, LaneMap};
use crate::gram::arccos::range;
use crate::gram::float::{select, sqrt, LaneReal};

/// The largest degree with a lane map (Monomial, Hermite, RectifiedMonomial).
pub(crate) const CAP: u32 = 8;

/// The constants of a degree-n map (Monomial, RectifiedMonomial).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Degree<T> {
    pub(crate) n: u32,
    pub(crate) n2: T,
    pub(crate) range: (T, T),
}

impl<T: LaneReal> Degree<T> {
    /// Degree n, `None` unless `lowest` ≤ n ≤ [`CAP`].
    pub(crate) fn new(n: u32, lowest: u32) -> Option<Self> {
        (lowest..=CAP).contains(&n).then(|| Degree {
            n,
            n2: T::from_usize((n * n) as usize),
            range: power_range(n),
        })
    }

    /// The three-term recurrence Aₘ₊₁ = (2m + 1)·kc·Aₘ + m²·s2·Aₘ₋₁ from
    /// (A_{m₀−1}, A_{m₀}) at m = m₀ up to (Aₙ₋₁, Aₙ): [`CAP`] − m₀ steps, the
    /// later ones keeping their values.
    #[inline(always)]
    pub(crate) fn recur(&self, m0: u32, (mut below, mut at): (T, T), kc: T, s2: T) -> (T, T) {
        for m in m0..CAP {
            let mf = T::from_usize(m as usize);
            let next = (T::TWO * mf + T::ONE) * kc * at + (mf * mf) * s2 * below;
            let keep = m < self.n;
            (below, at) = (select(keep, at, below), select(keep, next, at));
        }
        (below, at)
    }
}

/// The map of Monomial(n).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Monomial<T>(Degree<T>);

impl<T: LaneReal> Monomial<T> {
    /// The map of Monomial(n), `None` unless 2 ≤ n ≤ [`CAP`].
    pub(crate) fn new(n: u32) -> Option<Self> {
        Degree::new(n, 2).map(Monomial)
    }
}

/// The variances q for which the degree-n maps of `T` neither overflow
/// ((2n)ⁿqⁿ ≤ MAX) nor lose precision to subnormals (qⁿ ≥ MIN_POSITIVE/ε),
/// within the lanes' [`range`].
pub(crate) fn power_range<T: LaneReal>(n: u32) -> (T, T) {
    let n_f = f64::from(n);
    let hi = libm::exp(libm::log(T::MAX.to_f64()) / n_f) / (2.0 * n_f);
    let lo = libm::exp(libm::log(T::MIN_POSITIVE.to_f64() / T::EPSILON.to_f64()) / n_f);
    let (lo_all, hi_all) = range::<T>();
    let (lo, hi) = (T::from_f64(lo), T::from_f64(hi));
    (
        select(lo > lo_all, lo, lo_all),
        select(hi < hi_all, hi, hi_all),
    )
}

/// Whether q is 0 or within `range`.
#[inline(always)]
pub(crate) fn within<T: LaneReal>(q: T, (lo, hi): (T, T)) -> bool {
    (q == T::ZERO) | ((q >= lo) & (q <= hi))
}

/// (r − K)(r + K) = q₁q₂ − K², each factor clamped at 0 (rounding may leave
/// one a few ulps below).
#[inline(always)]
pub(crate) fn sin2<T: LaneReal>(r: T, k: T) -> T {
    let (minus, plus) = (r - k, r + k);
    select(minus < T::ZERO, T::ZERO, minus) * select(plus < T::ZERO, T::ZERO, plus)
}

impl<T: LaneReal> LaneMap<T> for Monomial<T> {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        [sqrt(q), T::ZERO]
    }

    #[inline(always)]
    fn accepts(&self, q: T) -> bool {
        within(q, self.0.range)
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let r = x[0] * z[0];
        let (below, at) = self.0.recur(0, (T::ZERO, T::ONE), k, sin2(r, k));
        (at, self.0.n2 * below, near_unit_of(k, r))
    }
}

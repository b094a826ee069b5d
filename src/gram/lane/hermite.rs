//! The lane map of Hermite(n), φ(x) = Heₙ(x)/√(n!), for n ≤ [`CAP`](super::monomial::CAP).
//!
//! Per point a = q − 1 and σ = √q; per pair the product A = aₓa_z and, with J = ⌊n/2⌋,
//! the sum of [`activation::hermite`](crate::activation::hermite) in Horner
//! form in K²:
//!
//! ```text
//! Sₙ = Σⱼ cⱼ·Aʲ·Kⁿ⁻²ʲ = Kⁿ⁻²ᴶ·(…((c₀·K² + c₁A)·K² + c₂A²)…),   cⱼ = n!/(j!²(n − 2j)!·4ʲ)
//! F = Sₙ,   Ḟ = n·Sₙ₋₁
//! ```
//!
//! run for [`CAP`](super::monomial::CAP)/2 steps whatever n (as [`Monomial`](super::monomial)'s).
//! By Cauchy–Schwarz Σⱼ cⱼ|A|ʲ|K|ⁿ⁻²ʲ ≤ √(F(qₓ)F(q_z)), so the terms'
//! cancellation costs at most nε of that scale. Pairs with |K| > (1 − τ)·σₓσ_z
//! (τ = 1/64 in f64, 1/16 in f32) take the exact path: there a layer's gain
//! in c (n at unit variance) would magnify the ε-absolute gap 1 − c that the
//! lanes carry.

use super::monomial::{power_range, within, CAP};
use super::{near_unit_of, LaneMap};
use crate::gram::float::{select, sqrt, LaneReal};

/// Steps of the Horner loop.
const HALF: usize = CAP as usize / 2;

/// The constants of one Hermite(n): the cⱼ of n and of n − 1.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hermite<T> {
    n: T,
    coefs: [[T; HALF + 1]; 2],
    /// J = ⌊n/2⌋ and ⌊(n − 1)/2⌋.
    top: [usize; 2],
    /// Whether n (resp. n − 1) is odd: the factor K.
    odd: [bool; 2],
    range: (T, T),
}

impl<T: LaneReal> Hermite<T> {
    /// The map of Hermite(n), `None` for n > [`CAP`](super::monomial::CAP).
    pub(crate) fn new(n: u32) -> Option<Self> {
        if n > CAP {
            return None;
        }
        let below = n.saturating_sub(1);
        Some(Hermite {
            n: T::from_usize(n as usize),
            coefs: [coefficients(n), coefficients(below)],
            top: [n as usize / 2, below as usize / 2],
            odd: [n % 2 == 1, below % 2 == 1],
            range: power_range(n.max(1)),
        })
    }
}

/// cⱼ = n!/(j!²(n − 2j)!·4ʲ) for j ≤ n/2 (0 beyond), from c₀ = 1 by
/// cⱼ₊₁ = cⱼ·(n − 2j)(n − 2j − 1)/(4(j + 1)²), in f64 and rounded once.
fn coefficients<T: LaneReal>(n: u32) -> [T; HALF + 1] {
    let mut out = [T::ZERO; HALF + 1];
    let mut c = 1.0;
    for (j, slot) in out.iter_mut().enumerate().take(n as usize / 2 + 1) {
        *slot = T::from_f64(c);
        let m = f64::from(n) - 2.0 * j as f64;
        let j1 = j as f64 + 1.0;
        c *= m * (m - 1.0) / (4.0 * j1 * j1);
    }
    out
}

impl<T: LaneReal> LaneMap<T> for Hermite<T> {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        [q - T::ONE, sqrt(q)]
    }

    #[inline(always)]
    fn accepts(&self, q: T) -> bool {
        within(q, self.range)
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let (a, y) = (x[0] * z[0], k * k);
        let [c, d] = &self.coefs;
        let (mut apow, mut f, mut below) = (T::ONE, c[0], d[0]);
        for j in 1..HALF + 1 {
            apow *= a;
            f = select(j <= self.top[0], f.fma(y, c[j] * apow), f);
            below = select(j <= self.top[1], below.fma(y, d[j] * apow), below);
        }
        let f = select(self.odd[0], f * k, f);
        let below = select(self.odd[1], below * k, below);
        let r = x[1] * z[1];
        (f, self.n * below, near_unit_of(k, r))
    }
}

//! Eigenlearning: predicted generalisation of kernel (ridge) regression from
//! the kernel's spectrum (Simon, Dickens, Karkada & DeWeese, TMLR 2023;
//! equivalent to Bordelon–Canatar–Pehlevan and Jacot et al.'s KARE).
//!
//! For eigenvalues λᵢ (of the integral operator, see [`crate::spectrum`])
//! grouped in levels of multiplicity mᵢ, n training points (a real n ≥ 0)
//! and the ridge δ added to the unnormalised Gram matrix
//! (f̂ = k_{xD}(K_DD + δI)⁻¹y):
//!
//! ```text
//! (E1) κ > 0 solves   Σᵢ mᵢ λᵢ/(λᵢ + κ) + δ/κ = n
//! (E2) Lᵢ = λᵢ/(λᵢ + κ),  1 − Lᵢ = κ/(λᵢ + κ)
//! (E3) E₀ = n/(n − Σ mᵢLᵢ²) = n/(δ/κ + Σ mᵢLᵢ(1 − Lᵢ))          (cancellation-free form)
//! (E4) L(f) = Σ Lᵢ Vᵢ / Σ Vᵢ
//! (E5) test MSE   E(f) = E₀ (Σ (1 − Lᵢ)² Vᵢ + ε²)                 (includes the test-label noise ε²)
//! (E6) train MSE  (δ/(nκ))² E(f)
//! (E7) bias B = Σ (1 − Lᵢ)² Vᵢ + ε²,  variance E − B = (E₀ − 1) B
//! (E11) ∂κ/∂δ = E₀/n,  ∂κ/∂n = −κE₀/n = −κ/(δ/κ + Σ mᵢLᵢ(1 − Lᵢ))
//! ```
//!
//! with target f = Σ vᵢφᵢ, level weights Vᵢ = Σ_{modes in level} vᵢ² and label
//! noise variance ε². In theory Σ mᵢLᵢ = n − δ/κ: exactly n without ridge
//! (the conservation law; [`conservation`] has the exact fixed-dataset form).
//!
//! **Edge cases** (N₊ = number of modes with λ > 0, with multiplicity), see [`Phase`]:
//! n = 0 gives κ = ∞, L = 0, E₀ = 1; δ = 0 with n = N₊ gives κ = 0⁺, E₀ = ∞
//! (test MSE ∞, or 0 for a noiseless target within the span); δ = 0 with
//! n > N₊ gives κ = 0⁺, E₀ = n/(n − N₊) (ridgeless double descent).
//!
//! ```
//! use ntk::eigenlearning::{Spectrum, Target};
//! // Isotropic spectrum: N = 100 modes of eigenvalue 1/100, n = 40, no ridge.
//! let lam = [0.01f64; 100];
//! let sol = Spectrum::modes(&lam)?.solve(40.0, 0.0)?;
//! assert!((sol.kappa() - 0.015).abs() < 1e-15);              // (N − n)/(nN)
//! assert!((sol.overfitting() - 100.0 / 60.0).abs() < 1e-14); // N/(N − n)
//! let f = Target::coefficients(&[0.1; 100])?;                  // ‖f‖² = 1
//! assert!((sol.test_mse(&f)? - 0.6).abs() < 1e-14);          // (N − n)/N
//! # Ok::<(), ntk::Error>(())
//! ```

pub mod conservation;

use crate::error::finite;
use crate::spectrum::compensated::Dot2;
use crate::{Error, Real, Result};

/// A kernel spectrum: eigenvalues λᵢ ≥ 0 with multiplicities mᵢ (levels),
/// plus optionally the trace of omitted tail modes.
#[derive(Clone, Copy, Debug)]
pub struct Spectrum<'a, T> {
    eigenvalues: &'a [T],
    multiplicities: Option<&'a [T]>,
    tail: T,
}

impl<'a, T: Real> Spectrum<'a, T> {
    /// One mode per eigenvalue (multiplicity 1).
    ///
    /// Eigenvalues must be finite and ≥ 0; round-off negatives down to
    /// −√ε·max λ are accepted and treated as 0 (ε the machine epsilon), as
    /// are subnormal ones (below the smallest normal number).
    ///
    /// Errors: non-finite or clearly negative eigenvalues.
    pub fn modes(eigenvalues: &'a [T]) -> Result<Self> {
        validate_eigenvalues(eigenvalues)?;
        Ok(Spectrum {
            eigenvalues,
            multiplicities: None,
            tail: T::ZERO,
        })
    }

    /// Levels: eigenvalue `eigenvalues[l]` repeated `multiplicities[l]` times
    /// (a real ≥ 0, for example [`hypercube_multiplicity`](crate::spectrum::hypercube_multiplicity)).
    ///
    /// Errors: as [`Spectrum::modes`], lengths that differ, negative or
    /// non-finite multiplicities.
    pub fn levels(eigenvalues: &'a [T], multiplicities: &'a [T]) -> Result<Self> {
        validate_eigenvalues(eigenvalues)?;
        if multiplicities.len() != eigenvalues.len() {
            return Err(Error::DimensionMismatch {
                what: "multiplicities",
                expected: eigenvalues.len(),
                found: multiplicities.len(),
            });
        }
        crate::error::ensure_finite(multiplicities, "multiplicities")?;
        if multiplicities.iter().any(|&m| m < T::ZERO) {
            return Err(Error::InvalidParameter {
                what: "multiplicities must be >= 0",
            });
        }
        Ok(Spectrum {
            eigenvalues,
            multiplicities: Some(multiplicities),
            tail: T::ZERO,
        })
    }

    /// Adds the trace T_tail = Σ_{omitted} mᵢλᵢ of modes beyond the listed
    /// ones (for example from [`sphere`](crate::spectrum::sphere)). When the
    /// tail's eigenvalues are ≪ κ they contribute T_tail/κ to (E1) and
    /// nothing to Σ Lᵢ², so they act as an extra ridge: κ is solved with
    /// δ_eff = δ + T_tail. Their target weight stays
    /// unlearned ([`Target::with_unlisted_weight`]).
    ///
    /// Errors: negative or non-finite `tail_trace`.
    pub fn with_tail(mut self, tail_trace: T) -> Result<Self> {
        check_nonnegative(tail_trace, "tail trace")?;
        self.tail = tail_trace;
        Ok(self)
    }

    /// Number of levels (or modes).
    pub fn len(&self) -> usize {
        self.eigenvalues.len()
    }

    /// `true` when there are no levels.
    pub fn is_empty(&self) -> bool {
        self.eigenvalues.is_empty()
    }

    /// λ of level `l` (round-off negatives, and subnormal values, as 0).
    ///
    /// # Panics
    /// If `l >= self.len()`.
    #[inline]
    pub fn eigenvalue(&self, l: usize) -> T {
        listed_eigenvalue(self.eigenvalues[l])
    }

    /// m of level `l` (1 for [`Spectrum::modes`]).
    ///
    /// # Panics
    /// If `l >= self.len()`.
    #[inline]
    pub fn multiplicity(&self, l: usize) -> T {
        self.multiplicities.map_or(T::ONE, |m| m[l])
    }

    /// (λ, m) of level `l` as [`Spectrum::eigenvalue`] and
    /// [`Spectrum::multiplicity`] give them, or `None` if `l >= self.len()`.
    pub fn level(&self, l: usize) -> Option<(T, T)> {
        (l < self.len()).then(|| (self.eigenvalue(l), self.multiplicity(l)))
    }

    /// The tail trace (0 unless set by [`Spectrum::with_tail`]).
    pub fn tail(&self) -> T {
        self.tail
    }

    /// Σ mᵢλᵢ + T_tail (= K(x, x) for a complete spectrum).
    pub fn trace(&self) -> T {
        self.sum(|lam, m| m * lam) + self.tail
    }

    /// N₊ = Σ_{λᵢ>0} mᵢ, the number of positive modes among those listed.
    pub fn positive_modes(&self) -> T {
        self.sum(|lam, m| if lam > T::ZERO { m } else { T::ZERO })
    }

    /// Σ over levels of g(λ, m), compensated.
    fn sum(&self, mut g: impl FnMut(T, T) -> T) -> T {
        let mut acc = Dot2::default();
        for (lam, m) in self.pairs() {
            acc.add(g(lam, m));
        }
        acc.value()
    }

    /// (λₗ, mₗ) of every level, as [`Spectrum::eigenvalue`] and
    /// [`Spectrum::multiplicity`] give them, without indexing (no bounds checks).
    fn pairs(&self) -> impl Iterator<Item = (T, T)> + '_ {
        let m = self.multiplicities.unwrap_or(&[]);
        self.eigenvalues
            .iter()
            .enumerate()
            .map(move |(l, &lam)| (listed_eigenvalue(lam), m.get(l).copied().unwrap_or(T::ONE)))
    }

    /// Solves (E1) for n ≥ 0 training points and ridge δ ≥ 0 (plus the tail
    /// trace), to a relative tolerance of about 4ε in κ — or, when F itself
    /// is only known to its rounding level ≈ 2ε·(n + δ/κ), to the κ where
    /// |F| reaches that level (relative error ≲ 4ε·E₀).
    ///
    /// Method: the bracket κ ∈ ((δ_eff)/n, (T + δ_eff)/n]
    /// (for δ_eff = 0 the lower end is found by geometric expansion), then
    /// safeguarded Newton on u = ln κ, where G(u) = F(eᵘ) has
    /// G'(u) = −(Σ mLᵢ(1 − Lᵢ) + δ/κ), falling back to geometric bisection
    /// whenever a step leaves the bracket or does not halve it.
    ///
    /// Every loop is bounded. A root beyond the range of `T` gives its limit:
    /// κ = ∞ ([`Phase::NoData`]) for an n so small that κ overflows, κ = 0⁺
    /// ([`Phase::Interpolation`] for n within √ε of N₊, or
    /// [`Phase::Underparameterized`] for n > N₊) for a ridge so small that
    /// κ underflows.
    ///
    /// Errors: n or δ negative or non-finite; a trace Σ mλ + δ that
    /// overflows ([`Error::NonFinite`]); a κ below the normal range with
    /// n < N₊(1 − √ε) (eigenvalues spanning more than the exponent range of
    /// `T`: [`Error::Undefined`]); [`Error::NoConvergence`] if the
    /// iteration fails (not observed).
    pub fn solve(&self, n: T, ridge: T) -> Result<Solution<'a, T>> {
        check_nonnegative(n, "n")?;
        check_nonnegative(ridge, "ridge")?;
        let delta = ridge + self.tail;
        let n_plus = self.positive_modes();
        let trace = self.trace();
        if !(trace + delta).is_finite() || !n_plus.is_finite() {
            return Err(Error::NonFinite {
                what: "spectrum trace plus ridge (overflow)",
            });
        }
        let solution = |phase, kappa, ridge_over_kappa| Solution {
            spectrum: *self,
            n,
            ridge,
            kappa,
            ridge_over_kappa,
            phase,
        };
        let hi = (trace + delta) / n;
        if n == T::ZERO || !hi.is_finite() {
            return Ok(solution(Phase::NoData, infinity(), T::ZERO));
        }
        if delta == T::ZERO && n >= n_plus {
            return Ok(if n == n_plus {
                solution(Phase::Interpolation, T::ZERO, T::ZERO)
            } else {
                solution(Phase::Underparameterized, T::ZERO, n - n_plus)
            });
        }
        match self.find_kappa(n, delta, hi)? {
            Root::At(kappa) => Ok(solution(Phase::Regularized, kappa, delta / kappa)),
            // κ beyond the largest finite number: n too small to matter.
            Root::Above => Ok(solution(Phase::NoData, infinity(), T::ZERO)),
            // κ below the smallest positive normal number: the δ → 0 limits.
            Root::Below if n > n_plus => {
                Ok(solution(Phase::Underparameterized, T::ZERO, n - n_plus))
            }
            // n = N₊ to within √ε: the limit (Σ mL = N₊ ≈ n).
            Root::Below if n_plus - n <= T::EPSILON.sqrt() * n_plus => {
                Ok(solution(Phase::Interpolation, T::ZERO, T::ZERO))
            }
            // n clearly below N₊ with κ below the normal range: the
            // eigenvalues span more than the exponent range of T.
            Root::Below => Err(Error::Undefined {
                what: "kappa below the smallest normal number (eigenvalues spanning more than the range of T)",
            }),
        }
    }

    /// F(κ) = Σ mλ/(λ + κ) + δ/κ − n and −G'(ln κ) = Σ mL(1 − L) + δ/κ.
    fn residual(&self, kappa: T, n: T, delta: T) -> (T, T) {
        let mut f = Dot2::default();
        let mut slope = Dot2::default();
        for (lam, m) in self.pairs() {
            // The same terms as the solution reports (overflow- and underflow-safe).
            let (learned, slope_term) = mode_terms(lam, m, kappa);
            f.add(learned);
            slope.add(slope_term);
        }
        f.add(delta / kappa);
        f.add(-n);
        slope.add(delta / kappa);
        (f.value(), slope.value())
    }

    /// The root of F in [smallest normal, largest finite], or where it lies
    /// beyond them. Every loop is bounded: the expansions by the exponent
    /// range of `T`, the refinement by 400 steps.
    fn find_kappa(&self, n: T, delta: T, mut hi: T) -> Result<Root<T>> {
        let f_at = |k: T| self.residual(k, n, delta);
        // F(hi) < 0 in exact arithmetic; guard against round-off (with a
        // subnormal n, F's terms are subnormal and hi may need to grow).
        while f_at(hi).0 > T::ZERO {
            hi *= T::TWO;
            if !hi.is_finite() {
                return Ok(Root::Above);
            }
        }
        let mut lo = if delta > T::ZERO { delta / n } else { hi };
        lo = lo.max(T::MIN_POSITIVE).min(hi);
        let mut shift = 1;
        loop {
            let (f, _) = f_at(lo);
            if f == T::ZERO {
                return Ok(Root::At(lo));
            }
            if f > T::ZERO {
                break;
            }
            if lo <= T::MIN_POSITIVE {
                return Ok(Root::Below);
            }
            hi = lo;
            lo = lo.scalbn(-shift).max(T::MIN_POSITIVE);
            shift = (2 * shift).min(64);
        }
        let tol = T::from_f64(4.0) * T::EPSILON;
        let noise = T::TWO * T::EPSILON;
        let mut kappa = lo.sqrt() * hi.sqrt();
        for _ in 0..400 {
            let (f, slope) = f_at(kappa);
            // F is known to about ε·(n + δ/κ) (compensated sums of terms
            // with relative error ε): below that its sign is noise, and κ is
            // as resolved as it can be (relative error ≈ |F|/slope ≲ 4ε·E₀).
            if f.abs() <= noise * (n + delta / kappa) {
                return Ok(Root::At(kappa));
            }
            if f > T::ZERO {
                lo = kappa;
            } else {
                hi = kappa;
            }
            if hi / lo - T::ONE <= tol {
                return Ok(Root::At(lo.sqrt() * hi.sqrt()));
            }
            // Newton on u = ln κ: Δu = F/|G'|.
            let step = f / slope;
            let newton = kappa * step.exp();
            let inside = newton > lo && newton < hi && step.is_finite();
            if inside && step.abs() <= tol {
                return Ok(Root::At(newton));
            }
            kappa = if inside && step.abs() < T::HALF * (hi / lo).ln() {
                newton
            } else {
                lo.sqrt() * hi.sqrt()
            };
        }
        Err(Error::NoConvergence {
            what: "eigenlearning kappa",
        })
    }
}

/// Where the root κ of (E1) lies.
enum Root<T> {
    /// At this κ, a positive normal number.
    At(T),
    /// Above the largest finite number.
    Above,
    /// Below the smallest positive normal number.
    Below,
}

/// (L, 1 − L) = (λ/(λ + κ), κ/(λ + κ)), halved when λ + κ overflows (the
/// ratios are scale-free): the solver and the solution use the same values.
fn split<T: Real>(lambda: T, kappa: T) -> (T, T) {
    let s = lambda + kappa;
    if s.is_finite() {
        (lambda / s, kappa / s)
    } else {
        let (l, k) = (lambda * T::HALF, kappa * T::HALF);
        (l / (l + k), k / (l + k))
    }
}

/// (mL, mL(1 − L)) of a level (λ, m) at κ. Where L is below the normal
/// range, m·L loses its digits to underflow (L = 6.8e-339 is 0 in f64, with
/// m = 3.4e38 a term of 2.3e-300): then (mλ)/(λ + κ), halved against overflow.
fn mode_terms<T: Real>(lambda: T, m: T, kappa: T) -> (T, T) {
    let (learn, unlearned) = split(lambda, kappa);
    let weighted = m * lambda;
    let ml = if learn < T::MIN_POSITIVE && weighted.is_finite() {
        (weighted * T::HALF) / (lambda * T::HALF + kappa * T::HALF)
    } else {
        m * learn
    };
    (ml, ml * unlearned)
}

/// +∞ in `T`.
fn infinity<T: Real>() -> T {
    T::from_f64(f64::INFINITY)
}

fn check_nonnegative<T: Real>(x: T, what: &'static str) -> Result<()> {
    if !x.is_finite() {
        return Err(Error::NonFinite { what });
    }
    if x < T::ZERO {
        return Err(Error::InvalidParameter {
            what: "n, ridge, noise, weights and tail must be >= 0",
        });
    }
    Ok(())
}

/// A listed eigenvalue as the solver uses it: round-off negatives, and
/// subnormals, as 0 (κ can be resolved only down to the normal range).
fn listed_eigenvalue<T: Real>(lam: T) -> T {
    if lam >= T::MIN_POSITIVE {
        lam
    } else {
        T::ZERO
    }
}

fn validate_eigenvalues<T: Real>(eigenvalues: &[T]) -> Result<()> {
    crate::error::ensure_finite(eigenvalues, "eigenvalues")?;
    let max = eigenvalues.iter().fold(T::ZERO, |a, &b| a.max(b));
    if eigenvalues.iter().any(|&l| l < -T::EPSILON.sqrt() * max) {
        return Err(Error::InvalidParameter {
            what: "eigenvalues must be >= 0 (beyond round-off)",
        });
    }
    Ok(())
}

/// Which case of the eigenlearning equations applies, with N₊ the number of
/// modes with λ > 0 (counted with multiplicity) and δ_eff the effective ridge.
///
/// The names follow the double-descent literature: n < N₊ (or any ridge) is
/// the regularized phase, n = N₊ the interpolation threshold, and n > N₊ with
/// no ridge the under-parameterized phase (more samples than modes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Phase {
    /// n = 0 (or n so small that (T + δ)/n overflows): κ = ∞, L = 0, E₀ = 1.
    NoData,
    /// A finite root κ > 0: δ_eff > 0, or δ_eff = 0 and n < N₊.
    Regularized,
    /// δ_eff = 0 and n = N₊: κ = 0⁺, every positive mode learned, E₀ = ∞.
    Interpolation,
    /// δ_eff = 0 and n > N₊: κ = 0⁺ with δ/κ → n − N₊, E₀ = n/(n − N₊).
    Underparameterized,
}

/// The solved eigenlearning equations for one (spectrum, n, δ).
#[derive(Clone, Copy, Debug)]
pub struct Solution<'a, T> {
    spectrum: Spectrum<'a, T>,
    n: T,
    ridge: T,
    kappa: T,
    /// δ_eff/κ, or its limit n − N₊ when κ = 0⁺.
    ridge_over_kappa: T,
    phase: Phase,
}

impl<T: Real> Solution<'_, T> {
    /// κ: ∞ for [`Phase::NoData`], 0 for the ridgeless limits.
    pub fn kappa(&self) -> T {
        self.kappa
    }

    /// The phase (case of the equations) that applies.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// n.
    pub fn n(&self) -> T {
        self.n
    }

    /// L = λ/(λ + κ) of a mode with eigenvalue λ (E2), with its limits.
    pub fn learnability_of(&self, lambda: T) -> T {
        let lambda = lambda.max(T::ZERO);
        match self.phase {
            Phase::NoData => T::ZERO,
            Phase::Regularized => split(lambda, self.kappa).0,
            _ => {
                if lambda > T::ZERO {
                    T::ONE
                } else {
                    T::ZERO
                }
            }
        }
    }

    /// 1 − L = κ/(λ + κ), computed without cancellation.
    fn unlearned(&self, lambda: T) -> T {
        match self.phase {
            Phase::NoData => T::ONE,
            Phase::Regularized => split(lambda, self.kappa).1,
            _ => T::ONE - self.learnability_of(lambda),
        }
    }

    /// The learnability Lₗ of level `l`.
    ///
    /// # Panics
    /// If `l >= spectrum.len()`.
    pub fn learnability(&self, l: usize) -> T {
        self.learnability_of(self.spectrum.eigenvalue(l))
    }

    /// [`Solution::learnability`], or `None` if `l >= spectrum.len()`.
    pub fn get_learnability(&self, l: usize) -> Option<T> {
        (l < self.spectrum.len()).then(|| self.learnability(l))
    }

    /// Writes every level's learnability to `out[..len]`.
    ///
    /// Errors: `out` shorter than the spectrum.
    pub fn learnabilities(&self, out: &mut [T]) -> Result<()> {
        if out.len() < self.spectrum.len() {
            return Err(Error::BufferTooSmall {
                what: "learnabilities",
                needed: self.spectrum.len(),
                found: out.len(),
            });
        }
        for (o, (lam, _)) in out.iter_mut().zip(self.spectrum.pairs()) {
            *o = self.learnability_of(lam);
        }
        Ok(())
    }

    /// Σ mᵢLᵢ over the listed modes (= n − δ_eff/κ, exactly n without ridge for n ≤ N₊).
    pub fn learnability_sum(&self) -> T {
        self.spectrum.sum(|lam, m| self.weighted(lam, m).0)
    }

    /// (mL, mL(1 − L)) of a level: as the solver computed them in the
    /// regularized phase, else from the phase's limits.
    fn weighted(&self, lambda: T, m: T) -> (T, T) {
        match self.phase {
            // `pairs` lists every λ ≥ 0 (subnormal and negative rounding as 0).
            Phase::Regularized => mode_terms(lambda, m, self.kappa),
            _ => {
                let ml = m * self.learnability_of(lambda);
                (ml, ml * self.unlearned(lambda))
            }
        }
    }

    /// n/E₀ = δ/κ + Σ mL(1 − L) (the cancellation-free form of n − Σ mL²).
    fn overfitting_denominator(&self) -> T {
        self.ridge_over_kappa + self.spectrum.sum(|lam, m| self.weighted(lam, m).1)
    }

    /// The overfitting coefficient E₀ = n/(n − Σ mLᵢ²) ≥ 1 (E3); 1 at n = 0,
    /// ∞ at [`Phase::Interpolation`].
    pub fn overfitting(&self) -> T {
        match self.phase {
            Phase::NoData => T::ONE,
            Phase::Interpolation => infinity(),
            _ => self.n / self.overfitting_denominator(),
        }
    }

    fn check_target(&self, target: &Target<'_, T>) -> Result<()> {
        if target.len() != self.spectrum.len() {
            return Err(Error::DimensionMismatch {
                what: "target weights",
                expected: self.spectrum.len(),
                found: target.len(),
            });
        }
        Ok(())
    }

    /// The target learnability L(f) = Σ LᵢVᵢ / ‖f‖² (E4), unlisted weight
    /// counted as unlearned.
    ///
    /// Errors: weights of the wrong length; ‖f‖ = 0 ([`Error::Undefined`]).
    pub fn target_learnability(&self, target: &Target<'_, T>) -> Result<T> {
        self.check_target(target)?;
        let norm = target.norm_sq();
        if norm == T::ZERO {
            return Err(Error::Undefined {
                what: "learnability of the zero target",
            });
        }
        // Over the largest weight (exact power-of-two scale): ‖f‖² may overflow.
        let e = target.scale_exponent();
        let learned = crate::spectrum::compensated::sum(
            self.spectrum
                .pairs()
                .zip(target.scaled_weights(e))
                .map(|((lam, _), v)| self.learnability_of(lam) * v),
        );
        let norm = crate::spectrum::compensated::sum(target.scaled_weights(e))
            + target.unlisted.scalbn(-2 * e);
        finite(learned / norm, "target learnability")
    }

    /// The bias B = Σ (1 − Lᵢ)²Vᵢ + V_unlisted + ε² (E7; it includes the noise).
    ///
    /// Errors: weights of the wrong length.
    pub fn bias(&self, target: &Target<'_, T>) -> Result<T> {
        self.check_target(target)?;
        let mut acc = Dot2::default();
        for ((lam, _), v) in self.spectrum.pairs().zip(target.weights()) {
            let u = self.unlearned(lam);
            acc.add(u * u * v);
        }
        acc.add(target.unlisted);
        acc.add(target.noise);
        finite(acc.value(), "bias (overflow)")
    }

    /// The predicted test MSE E(f) = E₀·B (E5), against noisy test labels
    /// (subtract ε² for the error against f itself). At
    /// [`Phase::Interpolation`] it is ∞, or 0 when B = 0 (noiseless target
    /// inside the span: the bias vanishes as κ², faster than E₀ ∼ 1/κ grows).
    ///
    /// Errors: weights of the wrong length.
    pub fn test_mse(&self, target: &Target<'_, T>) -> Result<T> {
        let bias = self.bias(target)?;
        if bias == T::ZERO {
            return Ok(T::ZERO);
        }
        match self.phase {
            // E₀ = ∞ at interpolation: the documented ∞.
            Phase::Interpolation => Ok(infinity()),
            _ => finite(self.overfitting() * bias, "test MSE (overflow)"),
        }
    }

    /// The variance V = E − B = (E₀ − 1)B (E7).
    ///
    /// Errors: weights of the wrong length.
    pub fn variance(&self, target: &Target<'_, T>) -> Result<T> {
        let bias = self.bias(target)?;
        if bias == T::ZERO {
            return Ok(T::ZERO);
        }
        match self.phase {
            Phase::Interpolation => Ok(infinity()),
            // E₀ ≥ 1 in exact arithmetic: rounding below it is 0 variance.
            _ => finite(
                (self.overfitting() - T::ONE).max(T::ZERO) * bias,
                "variance (overflow)",
            ),
        }
    }

    /// The predicted train MSE (δ/(nκ))²·E(f) (E6), with δ the true ridge:
    /// 0 for δ = 0 and n ≤ N₊, ((n − N₊)/n)²·E for δ = 0 and n > N₊.
    ///
    /// Errors: weights of the wrong length; n = 0 ([`Error::Undefined`]).
    pub fn train_mse(&self, target: &Target<'_, T>) -> Result<T> {
        let test = self.test_mse(target)?;
        let factor = match self.phase {
            Phase::NoData => {
                return Err(Error::Undefined {
                    what: "train MSE with no training data",
                })
            }
            Phase::Regularized => self.ridge / (self.n * self.kappa),
            Phase::Interpolation => T::ZERO,
            Phase::Underparameterized => self.ridge_over_kappa / self.n,
        };
        if factor == T::ZERO {
            return Ok(T::ZERO);
        }
        finite(factor * factor * test, "train MSE (overflow)")
    }

    /// ∂κ/∂δ = E₀/n = 1/(δ/κ + Σ mL(1 − L)) (E11); ∞ at n = 0 and at
    /// [`Phase::Interpolation`].
    pub fn dkappa_dridge(&self) -> T {
        match self.phase {
            Phase::NoData | Phase::Interpolation => infinity(),
            _ => T::ONE / self.overfitting_denominator(),
        }
    }

    /// ∂κ/∂n = −κE₀/n = −κ/(δ/κ + Σ mL(1 − L)) (E11; = −1/(δ/κ² + Σ mλ/(λ + κ)²),
    /// whose terms overflow for κ near the normal range's bottom): −∞ at n = 0,
    /// −1/Σ_{λ>0} m/λ at [`Phase::Interpolation`], 0 beyond it. Its size
    /// can exceed `T::MAX` (κ huge against a denominator tiny): then −∞.
    pub fn dkappa_dn(&self) -> T {
        match self.phase {
            Phase::NoData => -infinity::<T>(),
            Phase::Underparameterized => T::ZERO,
            // A plain sum: a compensated sum of terms that overflow is NaN.
            Phase::Interpolation => {
                -T::ONE
                    / self
                        .spectrum
                        .pairs()
                        .fold(T::ZERO, |s, (lam, m)| match lam > T::ZERO {
                            true => s + m / lam,
                            false => s,
                        })
            }
            Phase::Regularized => -self.kappa / self.overfitting_denominator(),
        }
    }
}

/// A target function f = Σ vᵢφᵢ in the spectrum's eigenbasis, with label
/// noise of variance ε².
#[derive(Clone, Copy, Debug)]
pub struct Target<'a, T> {
    values: &'a [T],
    squared: bool,
    unlisted: T,
    noise: T,
}

impl<'a, T: Real> Target<'a, T> {
    /// Level weights Vₗ = Σ_{i in level l} vᵢ² ≥ 0 (one per spectrum level),
    /// for example from [`walsh_level_weights`](crate::spectrum::walsh_level_weights).
    ///
    /// Errors: negative or non-finite weights.
    pub fn level_weights(weights: &'a [T]) -> Result<Self> {
        for &w in weights {
            check_nonnegative(w, "target weights")?;
        }
        Ok(Target {
            values: weights,
            squared: false,
            unlisted: T::ZERO,
            noise: T::ZERO,
        })
    }

    /// Eigencoefficients vᵢ, one per mode (use with [`Spectrum::modes`]);
    /// the weights are vᵢ².
    ///
    /// Errors: non-finite coefficients.
    pub fn coefficients(coefficients: &'a [T]) -> Result<Self> {
        crate::error::ensure_finite(coefficients, "target coefficients")?;
        Ok(Target {
            values: coefficients,
            squared: true,
            unlisted: T::ZERO,
            noise: T::ZERO,
        })
    }

    /// Label noise of variance ε² ≥ 0 (on training and test labels).
    ///
    /// Errors: negative or non-finite.
    pub fn with_noise(mut self, noise_variance: T) -> Result<Self> {
        check_nonnegative(noise_variance, "noise variance")?;
        self.noise = noise_variance;
        Ok(self)
    }

    /// Target weight on modes not listed in the spectrum (a truncated tail,
    /// or zero-eigenvalue modes left out); it is never learned.
    ///
    /// Errors: negative or non-finite.
    pub fn with_unlisted_weight(mut self, weight: T) -> Result<Self> {
        check_nonnegative(weight, "unlisted weight")?;
        self.unlisted = weight;
        Ok(self)
    }

    /// Number of levels (or modes) given.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// `true` when no weights are given.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Vₗ of level `l`.
    ///
    /// # Panics
    /// If `l >= self.len()`.
    pub fn weight(&self, l: usize) -> T {
        self.weight_of(self.values[l])
    }

    fn weight_of(&self, v: T) -> T {
        if self.squared {
            v * v
        } else {
            v
        }
    }

    /// [`Target::weight`], or `None` if `l >= self.len()`.
    pub fn get_weight(&self, l: usize) -> Option<T> {
        (l < self.len()).then(|| self.weight(l))
    }

    /// Every Vₗ in order, without indexing (no bounds checks).
    fn weights(&self) -> impl Iterator<Item = T> + '_ {
        self.values.iter().map(|&v| self.weight_of(v))
    }

    /// e with the largest |value| (or the unlisted weight's root) = m·2ᵉ, m in [½, 1).
    fn scale_exponent(&self) -> i32 {
        let root = |w: T| if self.squared { w } else { w.sqrt() };
        let max = self
            .values
            .iter()
            .fold(self.unlisted.sqrt(), |m, &v| m.max(root(v.abs())));
        if max == T::ZERO {
            0
        } else {
            max.frexp().1
        }
    }

    /// Every Vₗ·2⁻²ᵉ in order, without overflow for e from
    /// [`Target::scale_exponent`], and without indexing (no bounds checks).
    fn scaled_weights(&self, e: i32) -> impl Iterator<Item = T> + '_ {
        self.values.iter().map(move |&v| {
            if self.squared {
                let v = v.scalbn(-e);
                v * v
            } else {
                v.scalbn(-2 * e)
            }
        })
    }

    /// ‖f‖² = Σ Vₗ + unlisted weight (not counting noise).
    pub fn norm_sq(&self) -> T {
        crate::spectrum::compensated::sum(self.weights()) + self.unlisted
    }

    /// ε².
    pub fn noise(&self) -> T {
        self.noise
    }
}

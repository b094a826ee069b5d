//! Fitting: K(X, X) + λI factored by Cholesky, α = A⁻¹Y, and the restore
//! paths that keep a model usable when a fit fails.

#[cfg(feature = "std")]
use super::super::threads;
use super::{add_diagonal, copy_into, prefix, Model, Shape, Storage, ALPHA};
use crate::error::ensure_finite;
#[cfg(feature = "std")]
use crate::gram::Gram;
use crate::gram::LaneReal;
use crate::kernel::Kernel;
use crate::linalg::cholesky::{self, Failure};
use crate::regression::kernel_matrix::{gram, Triangles};
#[cfg(feature = "std")]
use crate::regression::kernel_matrix::{mean, pick, TILES};
use crate::regression::precomputed::solve_alpha;
#[cfg(feature = "std")]
use crate::regression::Regime;
use crate::regression::Ridge;
#[cfg(feature = "std")]
use crate::Network;
use crate::{Error, Result};

/// Refactoring attempts (×4 ridge each) when verifying a suggested ridge.
const RIDGE_ATTEMPTS: usize = 40;

impl<T: LaneReal, S: Storage<T>, K: Kernel<T>> Model<T, S, K> {
    /// Fits the n points in `x` (n×D, row-major) with targets `y` (n×O):
    /// stores them, factors A = K + λI by Cholesky and solves α = A⁻¹Y. O(n³).
    ///
    /// Errors (checked before anything stored changes): empty or ragged `x`,
    /// `y` of the wrong length, non-finite values, n above capacity. Then
    /// [`Error::NotPositiveDefinite`] with an absolute ridge verified to
    /// work; the data stay stored, the model is unfitted until a
    /// [`Model::set_ridge`] succeeds.
    pub fn fit_rows(&mut self, x: &[T], y: &[T]) -> Result<()> {
        let Shape {
            capacity,
            dim,
            outputs,
        } = self.shape();
        if x.is_empty() {
            return Err(Error::Empty {
                what: "training inputs",
            });
        }
        // `checked_rem`: dim ≥ 1 by construction; no panic path on firmware.
        if x.len().checked_rem(dim) != Some(0) {
            return Err(Error::DimensionMismatch {
                what: "training inputs (n×D)",
                expected: x.len().checked_div(dim).map_or(0, |q| (q + 1) * dim),
                found: x.len(),
            });
        }
        let n = x.len() / dim;
        if n > capacity {
            return Err(Error::CapacityExceeded { capacity });
        }
        if y.len() != n * outputs {
            return Err(Error::DimensionMismatch {
                what: "training targets (n×O)",
                expected: n * outputs,
                found: y.len(),
            });
        }
        ensure_finite(x, "training inputs")?;
        ensure_finite(y, "training targets")?;
        // Factor and solve from the caller's slices: the stored points stay
        // until the new fit is known to work (or to need a ridge).
        let saved = self.keep();
        let (lambda, factored) = self.factor_points(Some(x), n);
        let solved = factored.and_then(|()| {
            let parts = self.storage.parts_mut();
            solve_alpha(parts.chol, n, capacity, y, parts.alpha, outputs);
            // `get`: the slice is in bounds by construction; no panic path on firmware.
            Ok(ensure_finite(
                parts.alpha.get(..n * outputs).unwrap_or_default(),
                ALPHA,
            )?)
        });
        let parts = self.storage.parts_mut();
        let result = match solved {
            Ok(()) => {
                copy_into(parts.x, 0, x);
                copy_into(parts.y, 0, y);
                (self.len, self.lambda, self.fitted, self.online) = (n, lambda, true, false);
                Ok(())
            }
            Err(Failure::NotPositiveDefinite { .. }) => {
                copy_into(parts.x, 0, x);
                copy_into(parts.y, 0, y);
                self.len = n;
                self.refit_quietly_verified()
            }
            Err(Failure::Other(e)) => {
                self.restore(saved);
                Err(e)
            }
        };
        self.kept = false;
        result
    }

    /// Refactors from the stored points (recomputing λ for the relative
    /// convention). O(n³).
    ///
    /// Errors: as [`Model::fit_rows`]; [`Error::NotFitted`] with no points.
    /// On error the model is as it was, bit for bit: its previous ridge, λ,
    /// factor and α. (A fit's factor is recomputed at the previous λ, bit
    /// for bit. One that inserts and removals built is kept aside below
    /// capacity; at capacity there is no room, and recomputing it
    /// reproduces it only to rounding, and not at all where A is singular
    /// to working precision: the model is then unfitted, its data kept.)
    pub fn refit(&mut self) -> Result<()> {
        let saved = self.keep();
        self.refit_or_restore(saved)
    }

    /// [`Model::refit`], restoring `saved` on error.
    pub(super) fn refit_or_restore(&mut self, saved: Saved<T>) -> Result<()> {
        let result = self.refit_quietly_verified();
        if result.is_err() {
            self.restore(saved);
        }
        self.kept = false;
        result
    }

    /// Refit; on [`Error::NotPositiveDefinite`] with a verified ridge (the
    /// model then unfitted).
    fn refit_quietly_verified(&mut self) -> Result<()> {
        match self.factor_or_ridge() {
            Err(Failure::NotPositiveDefinite { pivot, ridge }) => Err(Error::NotPositiveDefinite {
                pivot,
                suggested_ridge: self.verified_ridge(ridge).to_f64(),
            }),
            Err(Failure::Other(e)) => Err(e),
            Ok(()) => Ok(()),
        }
    }

    /// Refit without the (expensive) ridge verification on failure; sets λ
    /// (also on failure: the verification starts from it).
    pub(super) fn factor_quietly(&mut self) -> Result<()> {
        self.factor_or_ridge().map_err(Error::from)
    }

    /// [`Model::factor_quietly`], a failed pivot's suggested ridge in `T`.
    fn factor_or_ridge(&mut self) -> core::result::Result<(), Failure<T>> {
        self.fitted = false;
        if self.len == 0 {
            return Err(Error::NotFitted.into());
        }
        let (lambda, factored) = self.factor_points(None, self.len);
        self.lambda = lambda;
        factored?;
        (self.fitted, self.online) = (true, false);
        Ok(self.update_alpha().inspect_err(|_| self.fitted = false)?)
    }

    /// Writes K(X, X) + λI of the n points `given` (the stored ones if
    /// `None`) to the factor buffer and factors it; λ from the ridge
    /// setting. Touches nothing but the factor buffer's lower triangle.
    fn factor_points(
        &mut self,
        given: Option<&[T]>,
        n: usize,
    ) -> (T, core::result::Result<(), Failure<T>>) {
        let (Shape { capacity, dim, .. }, ridge) = (self.shape(), self.ridge);
        let triangles = self.triangles();
        #[cfg(feature = "std")]
        let threads = self.threads();
        let kernel = &self.kernel;
        let parts = self.storage.parts_mut();
        let x = match prefix(given.unwrap_or(parts.x), n * dim) {
            Ok(x) => x,
            Err(e) => return (self.lambda, Err(e.into())),
        };
        #[cfg(feature = "std")]
        if let Some(lambda) = kernel.network_kernel().and_then(|k| {
            let net = (k.network(), k.regime(), ridge);
            fit_on_threads(net, (x, dim), parts.chol, capacity, threads)
        }) {
            return (lambda, Ok(()));
        }
        let mean_diag = match gram(kernel, x, n, dim, parts.chol, capacity, triangles) {
            Ok(m) => m,
            Err(e) => return (self.lambda, Err(e.into())),
        };
        let lambda = ridge.absolute(mean_diag);
        add_diagonal(parts.chol, n, capacity, lambda);
        (lambda, cholesky::factor_or_ridge(parts.chol, n, capacity))
    }

    /// The scalar state that [`Model::restore`] brings back.
    pub(super) fn saved(&self) -> Saved<T> {
        Saved {
            ridge: self.ridge,
            lambda: self.lambda,
            len: self.len,
            fitted: self.fitted,
            online: self.online,
        }
    }

    /// [`Model::saved`] before a trial fit. An online-built factor (which
    /// refactoring does not reproduce) is kept where the trial then leaves
    /// it alone (its Gram writes lower triangles only while `kept`): Lᵢⱼ
    /// (j < i) at (j, i), the strict upper triangle, and Lᵢᵢ at (i, n), the
    /// column right of the n×n block. At capacity there is no such column.
    pub(super) fn keep(&mut self) -> Saved<T> {
        let (n, cap) = (self.len, self.shape().capacity);
        self.kept = self.fitted && self.online && n < cap;
        if self.kept {
            move_factor(self.storage.parts_mut().chol, n, cap, Direction::Aside);
        }
        self.saved()
    }

    /// The triangles a trial's Gram may write (see [`Model::keep`]).
    fn triangles(&self) -> Triangles {
        match self.kept {
            true => Triangles::Lower,
            false => Triangles::Both,
        }
    }

    /// Puts back the ridge, λ, length and fit of `saved`: the factor kept by
    /// [`Model::keep`], or (at capacity) the stored points refactored at that
    /// λ (the factor buffer may hold a failed trial); α re-solved.
    pub(super) fn restore(&mut self, saved: Saved<T>) {
        let kept = self.kept;
        (self.ridge, self.lambda, self.len, self.fitted) =
            (saved.ridge, saved.lambda, saved.len, false);
        (self.online, self.kept) = (saved.online, false);
        if !saved.fitted || saved.len == 0 {
            return;
        }
        let (n, cap) = (self.len, self.shape().capacity);
        let factored = match kept {
            true => {
                move_factor(self.storage.parts_mut().chol, n, cap, Direction::Back);
                true
            }
            false => {
                self.gram_with_ridge(saved.lambda).is_ok()
                    && cholesky::factor_strided(self.storage.parts_mut().chol, n, cap).is_ok()
            }
        };
        self.fitted = factored && self.update_alpha().is_ok();
    }

    /// The smallest λ + δ·4ᵏ (k = 0, 1, …) at which A factors, starting from
    /// the estimate δ; Gershgorin's bound if none does.
    fn verified_ridge(&mut self, estimate: T) -> T {
        let (n, cap) = (self.len, self.shape().capacity);
        let mut extra = estimate.max(T::MIN_POSITIVE);
        for _ in 0..RIDGE_ATTEMPTS {
            let ridge = self.lambda + extra;
            if self.gram_with_ridge(ridge).is_ok()
                && cholesky::factor_strided(self.storage.parts_mut().chol, n, cap).is_ok()
            {
                return ridge;
            }
            extra *= T::from_f64(4.0);
        }
        if self.gram_with_ridge(self.lambda).is_err() {
            return T::MAX;
        }
        let parts = self.storage.parts();
        self.lambda + cholesky::gershgorin_ridge(parts.chol, n, cap).unwrap_or(T::MAX)
    }

    /// Writes K(X, X) + ridge·I (lower triangle) into the factor buffer;
    /// returns the mean diagonal of K.
    fn gram_with_ridge(&mut self, ridge: T) -> Result<T> {
        let (n, Shape { capacity, dim, .. }) = (self.len, self.shape());
        let triangles = self.triangles();
        let parts = self.storage.parts_mut();
        let mean = gram(
            &self.kernel,
            parts.x,
            n,
            dim,
            parts.chol,
            capacity,
            triangles,
        )?;
        add_diagonal(parts.chol, n, capacity, ridge);
        Ok(mean)
    }

    /// α = A⁻¹Y, one output column at a time (O(n²·O)).
    ///
    /// Errors: an α that overflows ([`Error::NonFinite`]).
    pub(super) fn update_alpha(&mut self) -> Result<()> {
        let (
            n,
            Shape {
                capacity, outputs, ..
            },
        ) = (self.len, self.shape());
        let parts = self.storage.parts_mut();
        solve_alpha(parts.chol, n, capacity, parts.y, parts.alpha, outputs);
        // `get`: the slice is in bounds by construction; no panic path on firmware.
        ensure_finite(parts.alpha.get(..n * outputs).unwrap_or_default(), ALPHA)
    }
}

/// The scalar state of a [`Model`] that a failed operation restores.
#[derive(Clone, Copy)]
pub(super) struct Saved<T> {
    ridge: Ridge<T>,
    pub(super) lambda: T,
    pub(super) len: usize,
    pub(super) fitted: bool,
    online: bool,
}

/// Which way [`move_factor`] moves.
#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Aside,
    Back,
}

/// Moves the n×n factor L in `chol` (row stride `stride` > n) aside, where
/// a trial leaves it alone (Lᵢⱼ, j < i, to (j, i); Lᵢᵢ to (i, n)), or back.
fn move_factor<T: Copy>(chol: &mut [T], n: usize, stride: usize, direction: Direction) {
    for i in 0..n {
        for j in 0..=i {
            let (at, aside) = match i == j {
                true => (i * stride + i, i * stride + n),
                false => (i * stride + j, j * stride + i),
            };
            let (from, to) = match direction {
                Direction::Aside => (at, aside),
                Direction::Back => (aside, at),
            };
            // In range by construction; `get` keeps this panic-free.
            if let Some(&v) = chol.get(from) {
                if let Some(t) = chol.get_mut(to) {
                    *t = v;
                }
            }
        }
    }
}

/// The fit of [`Model::factor_points`] on `threads` threads: λ, or `None`
/// (an error, or too few points to share) to leave the fit to one thread,
/// which then reports any failure exactly.
#[cfg(feature = "std")]
fn fit_on_threads<T: LaneReal>(
    (net, regime, ridge): (&Network<T>, Regime, Ridge<T>),
    (x, dim): (&[T], usize),
    chol: &mut [T],
    capacity: usize,
    threads: usize,
) -> Option<T> {
    let n = x.len() / dim.max(1);
    let threads = threads.min(n / threads::MIN_FIT_ROWS_PER_THREAD);
    if threads < 2 || !TILES {
        return None;
    }
    let gram = Gram::new(*net);
    // The relative ridge needs the mean diagonal first (summed as `gram` does).
    let mut mean_diagonal = T::ZERO;
    if let Ridge::RelativeToMeanDiagonal(_) = ridge {
        // Each diagonal entry once (a pair is 20–40 tile entries' work).
        let diagonal: std::vec::Vec<T> = x
            .chunks_exact(dim)
            .map(|p| gram.entry(p, p).map(|k| pick(regime, k)))
            .collect::<Result<_>>()
            .ok()?;
        mean_diagonal = mean(diagonal.iter().copied(), n);
    }
    let lambda = ridge.absolute(mean_diagonal);
    threads::fit((&gram, regime), (x, dim), lambda, chol, capacity, threads).ok()?;
    Some(lambda)
}

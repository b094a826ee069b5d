//! The empirical NTK Gram matrix of n points from n backward passes.

use super::{dot, FiniteNetwork};
use crate::error::ensure_finite;
use crate::{Error, Real, Result};

impl<T: Real> FiniteNetwork<T> {
    /// The Jacobian J (n × P, row-major): row p is ∂f(xₚ)/∂θ
    /// ([`gradient`](Self::gradient), parameter layout of `params`) for the n
    /// inputs `xs` (n × d, row-major). n forward and n backward passes.
    ///
    /// `grads` needs n·[`param_len`](Self::param_len) values, `work`
    /// [`workspace_len`](Self::workspace_len)`(1)`.
    ///
    /// Errors: `xs` empty, ragged or not finite; buffers too small; a
    /// non-finite output.
    pub fn jacobian_into(
        &self,
        params: &[T],
        xs: &[T],
        grads: &mut [T],
        work: &mut [T],
    ) -> Result<()> {
        let n = self.batch_len(xs)?;
        let p = self.param_len();
        let needed = n.checked_mul(p).ok_or(Error::CapacityExceeded {
            capacity: usize::MAX,
        })?;
        if grads.len() < needed {
            return Err(Error::BufferTooSmall {
                what: "grads (n × param_len)",
                needed,
                found: grads.len(),
            });
        }
        for (x, g) in xs.chunks_exact(self.dim).zip(grads.chunks_exact_mut(p)) {
            self.gradient(params, x, g, work)?;
        }
        Ok(())
    }

    /// The empirical NTK Gram matrix Θ̂(X, X) = J·Jᵀ (n × n, row-major, into
    /// `out[..n·n]`) of this one network at the n inputs `xs`:
    ///
    /// ```text
    /// Θ̂(xᵢ, xⱼ) = ⟨∂f(xᵢ)/∂θ, ∂f(xⱼ)/∂θ⟩
    /// ```
    ///
    /// from n backward passes ([`jacobian_into`](Self::jacobian_into), the
    /// gradients kept in `grads`) and n(n+1)/2 dot products of length P,
    /// instead of n² pair evaluations of [`kernels`](Self::kernels) (each a
    /// forward and backward pass of two inputs). Each entry equals
    /// `kernels(xᵢ, xⱼ).ntk` to rounding (the same sum in another order);
    /// the matrix is exactly symmetric. `grads` holds J afterwards.
    ///
    /// ```
    /// use ntk::{finite::FiniteNetwork, Activation, Network};
    /// use rand_xoshiro::{rand_core::SeedableRng, Xoshiro256PlusPlus};
    /// let net = Network::<f64>::new(2, Activation::Relu)?;
    /// let fnet = FiniteNetwork::new(net, 2, 64)?;
    /// let mut params = vec![0.0; fnet.param_len()];
    /// fnet.init(&mut params, &mut Xoshiro256PlusPlus::seed_from_u64(1))?;
    /// let xs = [1.0, 0.0, 0.6, 0.8, -1.0, 0.5];
    /// let (mut grads, mut gram) = (vec![0.0; 3 * fnet.param_len()], [0.0; 9]);
    /// let mut work = vec![0.0; fnet.workspace_len(2)];
    /// fnet.empirical_ntk_gram(&params, &xs, &mut grads, &mut gram, &mut work)?;
    /// let pair = fnet.kernels(&params, &xs[2..4], &xs[4..6], &mut work)?.ntk;
    /// assert!((gram[1 * 3 + 2] - pair).abs() <= 1e-12 * pair.abs());
    /// # Ok::<(), ntk::Error>(())
    /// ```
    ///
    /// `grads` needs n·[`param_len`](Self::param_len) values, `work`
    /// [`workspace_len`](Self::workspace_len)`(1)`.
    ///
    /// Errors: as [`jacobian_into`](Self::jacobian_into); `out` shorter than n².
    pub fn empirical_ntk_gram(
        &self,
        params: &[T],
        xs: &[T],
        grads: &mut [T],
        out: &mut [T],
        work: &mut [T],
    ) -> Result<()> {
        let n = self.batch_len(xs)?;
        let nn = n.checked_mul(n).ok_or(Error::CapacityExceeded {
            capacity: usize::MAX,
        })?;
        if out.len() < nn {
            return Err(Error::BufferTooSmall {
                what: "out (n × n)",
                needed: nn,
                found: out.len(),
            });
        }
        self.jacobian_into(params, xs, grads, work)?;
        let p = self.param_len();
        for i in 0..n {
            let gi = &grads[i * p..(i + 1) * p];
            for j in 0..=i {
                let v = dot(gi, &grads[j * p..(j + 1) * p]);
                out[i * n + j] = v;
                out[j * n + i] = v;
            }
        }
        ensure_finite(&out[..nn], "empirical NTK")
    }

    /// n for a batch `xs` (n × d): at least one point, whole rows.
    fn batch_len(&self, xs: &[T]) -> Result<usize> {
        let n = xs.len() / self.dim;
        if n == 0 || n * self.dim != xs.len() {
            return Err(Error::DimensionMismatch {
                what: "inputs (n × d, n ≥ 1)",
                expected: n.max(1) * self.dim,
                found: xs.len(),
            });
        }
        Ok(n)
    }
}

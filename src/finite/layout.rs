//! Per-layer views of the parameters, and import/export in neural-tangents'
//! layout.
//!
//! This crate stores layer l as `W` (n_out × n_in, row-major: Wᵢⱼ connects
//! input j to output i) then `b` (n_out), layer after layer (see the
//! [module docs](super)). neural-tangents' `stax.serial(Dense(w), φ, …,
//! Dense(1))` holds, per `Dense`, `(W, b)` with W of shape (fan_in, fan_out)
//! — the transpose — and b of shape (1, fan_out) (`None` when
//! `b_std=None`); activations hold `()`. Its flat layout here is each
//! `Dense` layer in `stax.serial` order as W (fan_in × fan_out, row-major)
//! then b (fan_out; zeros for `None`): the same [`param_count`](super::param_count)
//! values. With the same `W_std`, `b_std` and parameterization, both
//! codes compute the same function of the same parameters.

use super::FiniteNetwork;
use crate::error::ensure_finite;
use crate::{Error, Real, Result};

/// Layer l's parameters in this crate's layout (borrowed).
#[derive(Clone, Copy, Debug)]
pub struct LayerParams<'a, T> {
    /// n_in: d for the first layer, the width after it.
    pub fan_in: usize,
    /// n_out: the width, 1 for the readout.
    pub fan_out: usize,
    /// W, fan_out × fan_in, row-major.
    pub weights: &'a [T],
    /// b, fan_out (present and ignored when the network has no bias).
    pub bias: &'a [T],
}

impl<T: Copy> LayerParams<'_, T> {
    /// neural-tangents' `W[i][j]`: the weight from input i to output j
    /// (this crate's `weights[j·fan_in + i]`).
    pub fn weight_nt(&self, i: usize, j: usize) -> Option<T> {
        (i < self.fan_in && j < self.fan_out).then(|| self.weights[j * self.fan_in + i])
    }
}

/// Layer l's parameters in this crate's layout (writable).
#[derive(Debug)]
pub struct LayerParamsMut<'a, T> {
    /// n_in.
    pub fan_in: usize,
    /// n_out.
    pub fan_out: usize,
    /// W, fan_out × fan_in, row-major.
    pub weights: &'a mut [T],
    /// b, fan_out.
    pub bias: &'a mut [T],
}

impl<T: Real> FiniteNetwork<T> {
    /// Number of `Dense` layers: depth + 1 (the readout included).
    pub fn layer_count(&self) -> usize {
        self.net.depth() + 1
    }

    /// Layer l's parameters (l = 0 the first hidden layer, l = depth the
    /// readout) as views into `params`.
    ///
    /// Errors: l ≥ [`layer_count`](Self::layer_count)
    /// ([`Error::IndexOutOfRange`]); `params` too short.
    pub fn layer_params<'a>(&self, params: &'a [T], l: usize) -> Result<LayerParams<'a, T>> {
        let (start, fan_in, fan_out) = self.layer_span(params.len(), l)?;
        let (weights, bias) = params[start..][..(fan_in + 1) * fan_out].split_at(fan_in * fan_out);
        Ok(LayerParams {
            fan_in,
            fan_out,
            weights,
            bias,
        })
    }

    /// Layer l's parameters as writable views (errors as
    /// [`layer_params`](Self::layer_params)).
    pub fn layer_params_mut<'a>(
        &self,
        params: &'a mut [T],
        l: usize,
    ) -> Result<LayerParamsMut<'a, T>> {
        let (start, fan_in, fan_out) = self.layer_span(params.len(), l)?;
        let (weights, bias) =
            params[start..][..(fan_in + 1) * fan_out].split_at_mut(fan_in * fan_out);
        Ok(LayerParamsMut {
            fan_in,
            fan_out,
            weights,
            bias,
        })
    }

    /// Writes `params` in neural-tangents' flat layout (module doc) into
    /// `out[..param_len]`: every W transposed to fan_in × fan_out, b as is.
    /// Exact (a permutation); [`import_nt`](Self::import_nt) inverts it.
    ///
    /// Errors: `params` or `out` shorter than [`param_len`](Self::param_len).
    pub fn export_nt(&self, params: &[T], out: &mut [T]) -> Result<()> {
        self.check_params_len(params.len())?;
        self.check_params_len(out.len())?;
        for l in 0..self.layer_count() {
            let src = self.layer_params(params, l)?;
            let dst = self.layer_params_mut(out, l)?;
            // Same span: W (fan_in·fan_out values) then b.
            for (i, row) in dst.weights.chunks_exact_mut(src.fan_out).enumerate() {
                for (j, w) in row.iter_mut().enumerate() {
                    *w = src.weights[j * src.fan_in + i];
                }
            }
            dst.bias.copy_from_slice(src.bias);
        }
        Ok(())
    }

    /// Reads parameters from neural-tangents' flat layout (module doc) into
    /// `params[..param_len]`: the inverse of [`export_nt`](Self::export_nt).
    ///
    /// ```
    /// use ntk::{finite::FiniteNetwork, Activation, Network};
    /// // stax.serial(Dense(2, W_std=1, b_std=1), Relu(), Dense(1, W_std=1, b_std=1)) on d = 1:
    /// // W₀ (1×2), b₀ (2), W₁ (2×1), b₁ (1).
    /// let net = Network::<f64>::new(1, Activation::Relu)?.with_std(1.0, Some(1.0))?;
    /// let fnet = FiniteNetwork::new(net, 1, 2)?;
    /// let nt = [1.0, -1.0, 0.0, 0.0, 1.0, 1.0, 0.5];
    /// let mut params = [0.0; 7];
    /// fnet.import_nt(&nt, &mut params)?;
    /// let mut work = [0.0; 16];
    /// // f(x) = (1/√2)·(relu(x) + relu(−x)) + 0.5 = |x|/√2 + 0.5
    /// let f = fnet.forward(&params, &[2.0], &mut work)?;
    /// assert!((f - (2.0 / 2f64.sqrt() + 0.5)).abs() < 1e-15);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    ///
    /// Errors (nothing written): `nt` or `params` shorter than
    /// [`param_len`](Self::param_len); a non-finite value in `nt`.
    pub fn import_nt(&self, nt: &[T], params: &mut [T]) -> Result<()> {
        self.check_params_len(nt.len())?;
        self.check_params_len(params.len())?;
        ensure_finite(&nt[..self.param_len()], "neural-tangents parameters")?;
        for l in 0..self.layer_count() {
            let src = self.layer_params(nt, l)?;
            let dst = self.layer_params_mut(params, l)?;
            // `src` is in NT's layout: its W block is fan_in × fan_out.
            for (j, row) in dst.weights.chunks_exact_mut(dst.fan_in).enumerate() {
                for (i, w) in row.iter_mut().enumerate() {
                    *w = src.weights[i * src.fan_out + j];
                }
            }
            dst.bias.copy_from_slice(src.bias);
        }
        Ok(())
    }

    /// (offset, fan_in, fan_out) of layer l, checked against a buffer of `len`.
    fn layer_span(&self, len: usize, l: usize) -> Result<(usize, usize, usize)> {
        if l >= self.layer_count() {
            return Err(Error::IndexOutOfRange {
                index: l,
                len: self.layer_count(),
            });
        }
        self.check_params_len(len)?;
        let g = self.layer(l);
        Ok((g.weights, g.n_in, g.n_out))
    }
}

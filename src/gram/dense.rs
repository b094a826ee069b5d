//! The Dense layer on lanes: (K, Θ) of its input ↦ (K, Θ) of its output, with
//! the per-layer constants formed once per network (shared by every lane kernel).
//!
//! ```text
//! K ← σ_w²K + σ_b²,  Θ ← K + σ_w²Θ                    (NTK parameterization)
//! K ← σ_w²K + σ_b²,  Θ ← n_in·K_old + σ_w²Θ + [bias]   (standard)
//! ```
//!
//! with the fused multiply-adds of [`Network`]'s scalar Dense, so both round alike.

use super::float::{select, LaneReal};
use crate::network::{Network, Parameterization, MAX_DEPTH};

/// Bare metal compiles one copy of the lane loops with run-time flags (the
/// specialised copies of hosts would not fit a small flash; a scalar core
/// gains little from them).
pub(crate) const BARE: bool = cfg!(target_os = "none");

/// σ_w², σ_b², and for the standard parameterization n_in and the bias flag, per layer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LaneDense<T> {
    pub(crate) standard: bool,
    w2: [T; MAX_DEPTH + 1],
    b2: [T; MAX_DEPTH + 1],
    n_in: [T; MAX_DEPTH + 1],
    bias: [T; MAX_DEPTH + 1],
}

impl<T: LaneReal> LaneDense<T> {
    /// The layers of `net` for inputs of dimension `dim`.
    pub(crate) fn new(net: &Network<T>, dim: usize) -> Self {
        let mut d = LaneDense {
            standard: net.parameterization() == Parameterization::Standard,
            w2: [T::ZERO; MAX_DEPTH + 1],
            b2: [T::ZERO; MAX_DEPTH + 1],
            n_in: [T::ZERO; MAX_DEPTH + 1],
            bias: [T::ZERO; MAX_DEPTH + 1],
        };
        for (l, layer) in net.layers().iter().enumerate() {
            d.w2[l] = layer.w_var();
            d.b2[l] = layer.b_var();
            if d.standard {
                d.n_in[l] = T::from_usize(net.fan_in(l, dim));
                d.bias[l] = select(layer.b_std.is_some(), T::ONE, T::ZERO);
            }
        }
        d
    }

    /// (σ_w², σ_b²) of layer `layer`.
    #[inline(always)]
    pub(crate) fn var(&self, layer: usize) -> (T, T) {
        let l = layer.min(MAX_DEPTH);
        (self.w2[l], self.b2[l])
    }

    /// Dense layer `layer` on one lane (STANDARD: the parameterization,
    /// a const parameter so that the lane loop has no branch on it).
    #[inline(always)]
    pub(crate) fn apply<const STANDARD: bool>(&self, layer: usize, k: T, th: T) -> (T, T) {
        let l = layer.min(MAX_DEPTH);
        let (w2, b2) = (self.w2[l], self.b2[l]);
        let k_new = w2.fma(k, b2);
        if STANDARD || (BARE && self.standard) {
            (k_new, self.n_in[l].fma(k, w2 * th) + self.bias[l])
        } else {
            (k_new, w2.fma(th, k_new))
        }
    }
}

//! The architecture: a deep fully-connected network described as
//! neural-tangents describes it.
//!
//! A [`Network`] of depth L is
//!
//! ```text
//! stax.serial(Dense(w, W_std₀, b_std₀, p), φ, …, Dense(w, W_std_{L−1}, b_std_{L−1}, p), φ,
//!             Dense(1, W_std_L, b_std_L, p))
//! ```
//!
//! — L hidden blocks of Dense + activation φ and a readout Dense — where `p`
//! is the [`Parameterization`]. Standard deviations may differ per layer
//! ([`Network::with_layer`]) or be set for all at once ([`Network::with_std`]).
//! `b_std = None` is neural-tangents' `b_std=None` (no bias at all); under the
//! NTK parameterization it equals `Some(0)`, under the standard one it does
//! not (see [`Parameterization::Standard`]).
//!
//! Storage is inline: at most [`MAX_DEPTH`] hidden layers, no heap.

use crate::{Activation, Error, Real, Result};

/// Capacity: the largest number of hidden layers a [`Network`] can hold.
pub const MAX_DEPTH: usize = 16;

/// A Dense layer's initialisation: W ~ N(0, W_std²), b ~ N(0, b_std²).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dense<T> {
    /// Weight standard deviation σ_w (neural-tangents `W_std`), ≥ 0.
    pub w_std: T,
    /// Bias standard deviation σ_b (`b_std`), ≥ 0; `None` = no bias parameters.
    pub b_std: Option<T>,
}

impl<T: Real> Dense<T> {
    /// A layer with weight and bias standard deviations.
    pub fn new(w_std: T, b_std: Option<T>) -> Self {
        Dense { w_std, b_std }
    }

    /// σ_w².
    #[inline]
    pub fn w_var(&self) -> T {
        self.w_std * self.w_std
    }

    /// σ_b² (0 without bias).
    #[inline]
    pub fn b_var(&self) -> T {
        self.b_std.map_or(T::ZERO, |b| b * b)
    }

    fn validate(&self) -> Result<()> {
        let b = self.b_std.unwrap_or(T::ZERO);
        if !self.w_std.is_finite() || !b.is_finite() {
            return Err(Error::NonFinite {
                what: "W_std or b_std",
            });
        }
        if self.w_std < T::ZERO || b < T::ZERO {
            return Err(Error::InvalidParameter {
                what: "W_std and b_std must be >= 0",
            });
        }
        if !(self.w_var().is_finite() && self.b_var().is_finite()) {
            return Err(Error::NonFinite {
                what: "W_std² or b_std² (overflow)",
            });
        }
        Ok(())
    }
}

/// How a Dense layer scales its weights (neural-tangents `parameterization`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Parameterization {
    /// `'ntk'`: y = (W_std/√n_in)·W·x + b_std·b with W, b ~ N(0, 1) trained.
    /// The kernels do not depend on the widths:
    /// `K ← σ_w²K + σ_b²`, `Θ ← K_new + σ_w²Θ`.
    #[default]
    Ntk,
    /// `'standard'` (Sohl-Dickstein et al. 2020): W ~ N(0, W_std²/n_in) trained
    /// directly. Same NNGP; the NTK uses the fan-in n_in of each layer:
    /// `Θ ← n_in·K_old + σ_w²Θ + [b_std is not None]`. Needs the hidden
    /// widths ([`Network::with_standard_parameterization`]).
    Standard,
}

/// A deep fully-connected network: depth, layers, activation, parameterization.
///
/// Its `Debug` output shows the `depth + 1` layers in use (and the hidden
/// widths under the standard parameterization), not the unused capacity.
#[derive(Clone, Copy, PartialEq)]
pub struct Network<T> {
    activation: Activation<T>,
    depth: usize,
    /// Hidden layers `0..depth`, then the readout at index `depth`.
    layers: [Dense<T>; MAX_DEPTH + 1],
    /// Output widths of the hidden layers (0 = unset), for the standard parameterization.
    widths: [usize; MAX_DEPTH],
    parameterization: Parameterization,
}

impl<T: Real> Network<T> {
    /// `depth` hidden Dense + `activation` blocks and a readout, every layer
    /// with neural-tangents' defaults `W_std = 1`, `b_std = None`, NTK
    /// parameterization.
    ///
    /// ```
    /// use ntk::{Activation, Network};
    /// let net = Network::<f64>::new(3, Activation::Relu)?.with_std(2f64.sqrt(), Some(0.1))?;
    /// assert_eq!(net.depth(), 3);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    pub fn new(depth: usize, activation: Activation<T>) -> Result<Self> {
        if depth == 0 {
            return Err(Error::ZeroDepth);
        }
        if depth > MAX_DEPTH {
            return Err(Error::DepthTooLarge {
                depth,
                max: MAX_DEPTH,
            });
        }
        activation.validate()?;
        Ok(Network {
            activation,
            depth,
            layers: [Dense::new(T::ONE, None); MAX_DEPTH + 1],
            widths: [0; MAX_DEPTH],
            parameterization: Parameterization::Ntk,
        })
    }

    /// Sets the same `W_std`, `b_std` on every layer, readout included.
    pub fn with_std(mut self, w_std: T, b_std: Option<T>) -> Result<Self> {
        let layer = Dense::new(w_std, b_std);
        layer.validate()?;
        for l in self.layers.iter_mut().take(self.depth + 1) {
            *l = layer;
        }
        Ok(self)
    }

    /// Sets layer `index`: `0..depth` are the hidden layers, `depth` is the readout.
    pub fn with_layer(mut self, index: usize, layer: Dense<T>) -> Result<Self> {
        if index > self.depth() {
            return Err(Error::IndexOutOfRange {
                index,
                len: self.depth + 1,
            });
        }
        layer.validate()?;
        self.layers[index] = layer;
        Ok(self)
    }

    /// Sets the readout layer (index `depth`).
    pub fn with_readout(self, layer: Dense<T>) -> Result<Self> {
        let depth = self.depth;
        self.with_layer(depth, layer)
    }

    /// Switches to the standard parameterization with hidden widths `widths`:
    /// one per hidden layer, or a single width for all of them.
    pub fn with_standard_parameterization(mut self, widths: &[usize]) -> Result<Self> {
        if widths.len() != 1 && widths.len() != self.depth {
            return Err(Error::DimensionMismatch {
                what: "widths",
                expected: self.depth,
                found: widths.len(),
            });
        }
        if widths.contains(&0) {
            return Err(Error::InvalidParameter {
                what: "widths must be >= 1",
            });
        }
        // One width per layer, or the single one repeated (no indexing: no panic path).
        let (given, depth) = (widths.iter().cycle(), self.depth());
        for (w, &given) in self.widths.iter_mut().zip(given).take(depth) {
            *w = given;
        }
        self.parameterization = Parameterization::Standard;
        Ok(self)
    }

    /// Switches back to the NTK parameterization (widths are forgotten).
    pub fn with_ntk_parameterization(mut self) -> Self {
        self.parameterization = Parameterization::Ntk;
        self.widths = [0; MAX_DEPTH];
        self
    }

    /// Number of hidden layers L.
    #[inline]
    pub fn depth(&self) -> usize {
        // `depth <= MAX_DEPTH` by construction; the `min` tells the optimizer,
        // which then drops every bounds check of the recursion (no panic path).
        self.depth.min(MAX_DEPTH)
    }

    /// The activation φ.
    pub fn activation(&self) -> Activation<T> {
        self.activation
    }

    /// The parameterization.
    pub fn parameterization(&self) -> Parameterization {
        self.parameterization
    }

    /// The layers: `depth` hidden ones, then the readout.
    pub fn layers(&self) -> &[Dense<T>] {
        &self.layers[..=self.depth()]
    }

    /// Layer `index` (`0..depth` hidden, `depth` the readout), for the
    /// recursion. Clamped rather than indexed: no panic path even where the
    /// optimizer cannot see `index <= depth <= MAX_DEPTH`.
    #[inline]
    pub(crate) fn layer(&self, index: usize) -> Dense<T> {
        self.layers[index.min(MAX_DEPTH)]
    }

    /// The hidden widths (empty under the NTK parameterization).
    pub fn widths(&self) -> &[usize] {
        match self.parameterization {
            Parameterization::Ntk => &[],
            Parameterization::Standard => &self.widths[..self.depth()],
        }
    }

    /// Fan-in n_in of layer `index` for input dimension `dim` (standard parameterization).
    #[inline]
    pub(crate) fn fan_in(&self, index: usize, dim: usize) -> usize {
        // Layer 0 sees the input; `get` keeps the (unreachable) index > depth panic-free.
        match index.checked_sub(1) {
            Some(i) => self.widths.get(i).copied().unwrap_or(dim),
            None => dim,
        }
    }
}

impl<T: core::fmt::Debug> core::fmt::Debug for Network<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let depth = self.depth.min(MAX_DEPTH);
        let mut d = f.debug_struct("Network");
        d.field("depth", &depth)
            .field("activation", &self.activation)
            .field("parameterization", &self.parameterization)
            .field("layers", &&self.layers[..=depth]);
        if self.parameterization == Parameterization::Standard {
            d.field("widths", &&self.widths[..depth]);
        }
        d.finish()
    }
}

//! neural-tangents 0.6.5 fixture cases (`tests/data/nt_kernels.json`), with
//! mpmath's exact values as the reference, checked on the target with the
//! host test's tolerances (tests/neural_tangents.rs).

use ntk::{Activation, Dense, Error, Network, Real, Result};

/// One fixture case: a network, inputs x1 (n1×d) and x2 (n2×d), and the
/// exact NNGP/NTK matrices with their f32/f64 sensitivities (row-major).
pub struct NtCase {
    /// The fixture's name (activation/depth/parameterization/dimension).
    pub name: &'static str,
    /// The activation's kind, as the fixture names it.
    pub kind: &'static str,
    /// Its parameters a, b, c (0 where unused).
    pub params: [f64; 3],
    /// (W_std, b_std) per layer, readout last.
    pub layers: &'static [(f64, Option<f64>)],
    /// Hidden widths under the standard parameterization.
    pub widths: Option<&'static [usize]>,
    /// Input dimension d.
    pub dim: usize,
    /// First inputs, row-major.
    pub x1: &'static [f64],
    /// Second inputs, row-major.
    pub x2: &'static [f64],
    /// Exact NNGP (mpmath).
    pub nngp: &'static [f64],
    /// Exact NTK (mpmath).
    pub ntk: &'static [f64],
    /// How far each exact entry moves for 8 f32 ulps of the first-layer covariance (NNGP, NTK).
    pub sens32: [&'static [f64]; 2],
    /// The same for 8 f64 ulps.
    pub sens64: [&'static [f64]; 2],
}

impl NtCase {
    /// The case's network in precision T.
    pub fn network<T: Real>(&self) -> Result<Network<T>> {
        let [a, b, c] = self.params.map(T::from_f64);
        let act = match self.kind {
            "Relu" => Activation::Relu,
            "AbRelu" => Activation::AbRelu { a, b },
            "Sign" => Activation::Sign,
            "Step" => Activation::Step,
            "Requ" => Activation::Requ,
            "Erf" => Activation::Erf { a, b, c },
            "Gelu" => Activation::Gelu,
            "Sin" => Activation::Sin { a, b, c },
            "Cos" => Activation::cos(a, b, c),
            "Identity" => Activation::Identity,
            _ => {
                return Err(Error::InvalidParameter {
                    what: "unknown fixture activation",
                })
            }
        };
        let mut net = Network::new(self.layers.len().saturating_sub(1), act)?;
        for (l, &(w, b)) in self.layers.iter().enumerate() {
            net = net.with_layer(l, Dense::new(T::from_f64(w), b.map(T::from_f64)))?;
        }
        match self.widths {
            Some(w) => net.with_standard_parameterization(w),
            None => Ok(net),
        }
    }
}

//! The architecture handed over by `ntk.stax.serial`: an activation, the
//! Dense layers' standard deviations, the parameterization.

use crate::array::err;
use ntk::activation::numerical::Numerical;
use ntk::activation::polynomial::Polynomial;
use ntk::{Activation, Dense, Network, Real};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// A validated fully-connected architecture (neural-tangents'
/// `stax.serial(Dense, φ, …, Dense)`), built in f32 or f64 on demand.
#[pyclass(frozen, module = "ntk._ntk")]
#[derive(Clone)]
pub struct Net {
    activation: String,
    params: Vec<f64>,
    /// (W_std, b_std) per Dense layer, the readout last.
    layers: Vec<(f64, Option<f64>)>,
    standard: bool,
    widths: Vec<usize>,
}

#[pymethods]
impl Net {
    /// `activation` (its `params`): Relu, AbRelu(a, b), Sign, Step, Requ,
    /// Erf(a, b, c), Gelu, Sin(a, b, c), Cos(a, b, c), Identity,
    /// Monomial(n), RectifiedMonomial(n), Hermite(n), Rbf(γ), Exp(a, b),
    /// Gaussian(a, b), Polynomial(c₀, c₁, …), ExpNormalized(γ, shift,
    /// do_clip ∈ {0, 1}), Gabor, SigmoidLike, and `Numerical:<name>(degree)`
    /// for the crate's built-in φ (tanh, sigmoid, softplus, silu, elu,
    /// selu, mish); `layers`: (W_std, b_std)
    /// of each Dense, the readout last; `widths`: hidden widths (standard
    /// parameterization only).
    #[new]
    #[pyo3(signature = (activation, params, layers, parameterization = "ntk", widths = None))]
    fn new(
        activation: String,
        params: Vec<f64>,
        layers: Vec<(f64, Option<f64>)>,
        parameterization: &str,
        widths: Option<Vec<usize>>,
    ) -> PyResult<Self> {
        let standard = match parameterization {
            "ntk" => false,
            "standard" => true,
            other => {
                return Err(PyValueError::new_err(format!(
                    "parameterization must be 'ntk' or 'standard', got {other:?}"
                )))
            }
        };
        let net = Net {
            activation,
            params,
            layers,
            standard,
            widths: widths.unwrap_or_default(),
        };
        net.network::<f64>()?;
        Ok(net)
    }

    /// Number of hidden Dense + activation blocks.
    #[getter]
    fn depth(&self) -> usize {
        self.layers.len().saturating_sub(1)
    }

    /// The closed-form (NNGP, NTK) of one pair of points, in f64.
    fn pair(&self, x: Vec<f64>, z: Vec<f64>) -> PyResult<(f64, f64)> {
        let k = self.network::<f64>()?.kernels(&x, &z).map_err(err)?;
        Ok((k.nngp, k.ntk))
    }
}

/// φ(x) and φ′(x) of an activation (as `Net` names it) at each of `x`, in
/// f64: what `stax.ElementwiseNumerical` compares a Python function with.
#[pyfunction]
pub fn activation_values(
    activation: String,
    params: Vec<f64>,
    x: Vec<f64>,
) -> PyResult<(Vec<f64>, Vec<f64>)> {
    let net = Net {
        activation,
        params,
        layers: Vec::new(),
        standard: false,
        widths: Vec::new(),
    };
    let act = net.activation::<f64>()?;
    act.validate().map_err(err)?;
    Ok(x.iter().map(|&v| (act.apply(v), act.derivative(v))).unzip())
}

impl Net {
    /// The crate's `Network<T>`; parameters that do not fit `T` are errors.
    pub fn network<T: Real>(&self) -> PyResult<Network<T>> {
        let mut net = Network::new(self.depth(), self.activation::<T>()?).map_err(err)?;
        for (l, &(w, b)) in self.layers.iter().enumerate() {
            let layer = Dense::new(T::from_f64(w), b.map(T::from_f64));
            net = net.with_layer(l, layer).map_err(err)?;
        }
        if self.standard {
            net = net
                .with_standard_parameterization(&self.widths)
                .map_err(err)?;
        }
        Ok(net)
    }

    fn activation<T: Real>(&self) -> PyResult<Activation<T>> {
        let p = |i: usize| -> PyResult<T> {
            self.params.get(i).map(|&v| T::from_f64(v)).ok_or_else(|| {
                PyValueError::new_err(format!("{} needs {} parameters", self.activation, i + 1))
            })
        };
        Ok(match self.activation.as_str() {
            "Relu" => Activation::Relu,
            "AbRelu" => Activation::AbRelu { a: p(0)?, b: p(1)? },
            "Sign" => Activation::Sign,
            "Step" => Activation::Step,
            "Requ" => Activation::Requ,
            "Erf" => Activation::Erf {
                a: p(0)?,
                b: p(1)?,
                c: p(2)?,
            },
            "Gelu" => Activation::Gelu,
            "Sin" => Activation::Sin {
                a: p(0)?,
                b: p(1)?,
                c: p(2)?,
            },
            "Cos" => Activation::cos(p(0)?, p(1)?, p(2)?),
            "Identity" => Activation::Identity,
            "Monomial" => Activation::Monomial(self.degree()?),
            "RectifiedMonomial" => Activation::RectifiedMonomial(self.degree()?),
            "Hermite" => Activation::Hermite(self.degree()?),
            "Rbf" => Activation::Rbf(p(0)?),
            "Exp" => Activation::Exp { a: p(0)?, b: p(1)? },
            "Gaussian" => Activation::Gaussian { a: p(0)?, b: p(1)? },
            "Polynomial" => {
                let coefs: Vec<T> = self.params.iter().map(|&c| T::from_f64(c)).collect();
                Activation::Polynomial(Polynomial::new(&coefs).map_err(err)?)
            }
            "ExpNormalized" => Activation::ExpNormalized {
                gamma: p(0)?,
                shift: p(1)?,
                do_clip: p(2)? != T::ZERO,
            },
            "Gabor" => Activation::Gabor,
            "SigmoidLike" => Activation::SigmoidLike,
            kind if kind.starts_with("Numerical:") => {
                let degree = self.degree()? as usize;
                let numerical = match &kind["Numerical:".len()..] {
                    "tanh" => Numerical::tanh(degree),
                    "sigmoid" => Numerical::sigmoid(degree),
                    "softplus" => Numerical::softplus(degree),
                    "silu" => Numerical::silu(degree),
                    "elu" => Numerical::elu(degree),
                    "selu" => Numerical::selu(degree),
                    "mish" => Numerical::mish(degree),
                    other => {
                        return Err(PyValueError::new_err(format!(
                            "unknown numerical activation {other:?}"
                        )))
                    }
                };
                Activation::Numerical(numerical.map_err(err)?)
            }
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown activation {other:?}"
                )))
            }
        })
    }

    /// The first parameter as a degree: a non-negative integer.
    fn degree(&self) -> PyResult<u32> {
        match self.params.first() {
            Some(&n) if n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => Ok(n as u32),
            _ => Err(PyValueError::new_err(format!(
                "{} needs a non-negative integer degree, got {:?}",
                self.activation, self.params
            ))),
        }
    }
}

//! Every activation the crate has, with non-default parameters (and erf's
//! defaults). Shared by `tests/edge_cases.rs` and `tests/adversarial.rs`.

use ntk::{Activation, Real};

/// The activations, in a fixed order.
pub fn activations<T: Real>() -> Vec<Activation<T>> {
    let t = T::from_f64;
    vec![
        Activation::Relu,
        Activation::leaky_relu(t(0.1)),
        Activation::AbRelu {
            a: t(-0.3),
            b: t(1.7),
        },
        Activation::abs(),
        Activation::Sign,
        Activation::Step,
        Activation::Requ,
        Activation::erf(),
        Activation::Erf {
            a: t(1.3),
            b: t(0.7),
            c: t(0.2),
        },
        Activation::Gelu,
        Activation::Sin {
            a: t(0.8),
            b: t(1.5),
            c: t(0.3),
        },
        Activation::cos(t(1.1), t(0.6), t(-0.4)),
        Activation::Identity,
        Activation::Rbf(t(0.7)),
        Activation::Exp {
            a: t(0.9),
            b: t(0.3),
        },
        Activation::Gaussian {
            a: t(1.1),
            b: t(-0.8),
        },
        Activation::Gaussian {
            a: t(0.7),
            b: t(0.05),
        },
        Activation::Gabor,
        Activation::Monomial(3),
        Activation::Hermite(3),
        Activation::Polynomial(
            ntk::activation::polynomial::Polynomial::new(&[t(0.2), t(1.0), t(-0.5)]).unwrap(),
        ),
        Activation::RectifiedMonomial(3),
    ]
}

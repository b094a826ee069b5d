//! The entry points, one module per area of the crate.

mod eigen;
mod finite;
mod gram;
mod matrices;
mod network;
mod regression;
mod spectrum;

use crate::gen::Gen;
use crate::{Entry, Verdict};
use ntk::{Activation, Network, Real, Result};

pub fn all() -> Vec<Entry> {
    let mut v = Vec::new();
    v.extend(network::entries());
    v.extend(gram::entries());
    v.extend(spectrum::entries());
    v.extend(eigen::entries());
    v.extend(regression::entries());
    v.extend(finite::entries());
    v
}

/// `Ok` values must be finite: the verdict of a result and its values.
pub fn verdict<T: Real>(r: &Result<()>, values: &[T], what: &str) -> Verdict {
    match r {
        Err(_) => Verdict::Err,
        Ok(()) if values.iter().all(|v| v.is_finite()) => Verdict::Ok,
        Ok(()) => Verdict::NonFinite(format!("{what}: {:?}", first_bad(values))),
    }
}

/// The verdict of a scalar result.
pub fn scalar<T: Real>(r: Result<T>, what: &str) -> Verdict {
    match r {
        Err(_) => Verdict::Err,
        Ok(v) if v.is_finite() => Verdict::Ok,
        Ok(v) => Verdict::NonFinite(format!("{what} = {}", v.to_f64())),
    }
}

fn first_bad<T: Real>(values: &[T]) -> Option<(usize, f64)> {
    values
        .iter()
        .position(|v| !v.is_finite())
        .map(|i| (i, values[i].to_f64()))
}

/// A check that must hold on `Ok`: Broken with `what` otherwise.
pub fn ensure(ok: bool, what: impl FnOnce() -> String) -> Verdict {
    if ok {
        Verdict::Ok
    } else {
        Verdict::Broken(what())
    }
}

/// Chains verdicts: the first that is not `Ok`.
pub fn then(v: Verdict, next: impl FnOnce() -> Verdict) -> Verdict {
    match v {
        Verdict::Ok => next(),
        other => other,
    }
}

/// An activation, its parameters drawn (invalid ones included).
pub fn activation<T: Real>(g: &mut Gen) -> Activation<T> {
    match g.below(12) {
        0..=3 => Activation::Relu,
        4 => Activation::leaky_relu(g.real()),
        5 => Activation::abs(),
        6 => Activation::AbRelu {
            a: g.real(),
            b: g.real(),
        },
        7 => Activation::Erf {
            a: g.real(),
            b: g.real(),
            c: g.real(),
        },
        8 => Activation::Gelu,
        9 => Activation::Sin {
            a: g.real(),
            b: g.real(),
            c: g.real(),
        },
        10 => [
            Activation::Sign,
            Activation::Step,
            Activation::Requ,
            Activation::Identity,
        ][g.below(4)],
        _ => Activation::erf(),
    }
}

/// A network (or the error of building it): depth, activation, σ_w, σ_b,
/// parameterization drawn.
pub fn network<T: Real>(g: &mut Gen) -> Result<Network<T>> {
    let depth = if g.chance(1, 50) {
        g.size(20)
    } else {
        1 + g.below(4)
    };
    let mut net = Network::new(depth, activation(g))?;
    if g.chance(2, 3) {
        let b = if g.chance(1, 3) {
            None
        } else {
            Some(g.nonneg())
        };
        net = net.with_std(g.nonneg(), b)?;
    }
    if g.chance(1, 6) {
        let w = 1 + g.below(8);
        let widths = vec![w; depth.min(16)];
        net = net.with_standard_parameterization(&widths)?;
    }
    Ok(net)
}

pub use matrices::square;

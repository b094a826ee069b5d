//! Reading the networks of the neural-tangents fixtures (`tests/data/nt_*.json`).
#![allow(dead_code)]

use ntk::activation::polynomial::Polynomial;
use ntk::{Activation, Network, Real};
use serde_json::Value;

/// The case's `Network`: `activation.kind`, `depth`, `w_std`, `b_std` and,
/// when present, `parameterization` (`"standard"` with the case's `width`).
pub fn network(case: &Value) -> Network<f64> {
    let act = match case["activation"]["kind"].as_str().unwrap() {
        "relu" => Activation::Relu,
        "erf" => Activation::Erf {
            a: 1.0,
            b: 1.0,
            c: 0.0,
        },
        other => panic!("unknown activation {other}"),
    };
    let depth = case["depth"].as_u64().unwrap() as usize;
    let net = Network::new(depth, act)
        .unwrap()
        .with_std(case["w_std"].as_f64().unwrap(), case["b_std"].as_f64())
        .unwrap();
    match case["parameterization"].as_str() {
        Some("standard") => net
            .with_standard_parameterization(&[case["width"].as_u64().unwrap() as usize])
            .unwrap(),
        _ => net,
    }
}

/// A JSON array of arrays of numbers, flattened row by row.
pub fn rows(v: &Value) -> Vec<f64> {
    let r = v.as_array().unwrap().iter();
    r.flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()))
        .collect()
}

/// The number `key` of a JSON object.
pub fn num(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("number {key}"))
}

/// The activation of a fixture: `kind` and its parameters `a`, `b`, `c`.
pub fn activation<T: Real>(v: &Value) -> Activation<T> {
    let p = |k: &str| T::from_f64(num(v, k));
    match v["kind"].as_str().expect("kind") {
        "Relu" => Activation::Relu,
        "AbRelu" => Activation::AbRelu {
            a: p("a"),
            b: p("b"),
        },
        "Sign" => Activation::Sign,
        "Step" => Activation::Step,
        "Requ" => Activation::Requ,
        "Erf" => Activation::Erf {
            a: p("a"),
            b: p("b"),
            c: p("c"),
        },
        "Gelu" => Activation::Gelu,
        "Sin" => Activation::Sin {
            a: p("a"),
            b: p("b"),
            c: p("c"),
        },
        "Cos" => Activation::cos(p("a"), p("b"), p("c")),
        "Identity" => Activation::Identity,
        "Monomial" => Activation::Monomial(degree(v)),
        "RectifiedMonomial" => Activation::RectifiedMonomial(degree(v)),
        "Rbf" => Activation::Rbf(p("gamma")),
        "Exp" => Activation::Exp {
            a: p("a"),
            b: p("b"),
        },
        "Gaussian" => Activation::Gaussian {
            a: p("a"),
            b: p("b"),
        },
        "Hermite" => Activation::Hermite(degree(v)),
        "Polynomial" => {
            let coefs: Vec<T> = v["coefs"]
                .as_array()
                .expect("coefs")
                .iter()
                .map(|c| T::from_f64(c.as_f64().expect("coefficient")))
                .collect();
            Activation::Polynomial(Polynomial::new(&coefs).expect("at most 8 coefficients"))
        }
        "ExpNormalized" => Activation::ExpNormalized {
            gamma: p("gamma"),
            shift: p("shift"),
            do_clip: v["do_clip"].as_bool().expect("do_clip"),
        },
        "Gabor" => Activation::Gabor,
        "SigmoidLike" => Activation::SigmoidLike,
        other => panic!("unknown activation {other}"),
    }
}

fn degree(v: &Value) -> u32 {
    v["n"].as_u64().expect("degree n") as u32
}

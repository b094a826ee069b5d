//! Reading the networks of the neural-tangents fixtures (`tests/data/nt_*.json`).
#![allow(dead_code)]

use ntk::{Activation, Network};
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

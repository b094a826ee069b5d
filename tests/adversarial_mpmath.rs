//! The exact recursion `Network::kernels` (f64) against an 80-digit mpmath
//! evaluation of the same recursion on adversarial input pairs
//! (`tests/data/adversarial_mpmath.json`, `scripts/gen_adversarial.py`):
//! every activation, depths 1–8, d ∈ {1, 3, 8}, identical, 2.5×-scaled, zero,
//! and rotated or antiparallel copies at 1e-12 … 1e-2 rad. Each entry must be
//! within 1e-13·√(K(x,x)K(z,z)) of the reference, plus the entry's `allow`
//! (4× the kernel's change when z moves by one f64 ulp: where the f64 inputs
//! do not determine the kernel, deep Sign and Step at 1e-12 rad).

use ntk::Network;
use serde_json::Value;

#[path = "common/nt_fixture.rs"]
mod nt_fixture;
use nt_fixture::{activation, num};

fn coords(v: &Value) -> Vec<f64> {
    let bits = v.as_array().expect("coordinates").iter();
    bits.map(|b| f64::from_bits(b.as_u64().expect("f64 bits")))
        .collect()
}

#[test]
fn recursion_matches_mpmath_on_adversarial_pairs() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/adversarial_mpmath.json"
    );
    let text =
        std::fs::read_to_string(path).expect("tests/data/adversarial_mpmath.json is committed");
    let data: Value = serde_json::from_str(&text).expect("valid JSON");
    let entries = data["entries"].as_array().expect("entries");
    let (mut bad, mut worst) = (0, 0.0f64);
    for e in entries {
        let net = Network::<f64>::new(num(e, "depth") as usize, activation(&e["activation"]))
            .unwrap()
            .with_std(num(e, "w_std"), e["b_std"].as_f64())
            .unwrap();
        let (x, z) = (coords(&e["x"]), coords(&e["z"]));
        let got = net.kernels(&x, &z).expect("finite kernel");
        let pair = |key: &str, i: usize| e[key][i].as_f64().expect("number");
        for (t, (ours, key)) in [(got.nngp, "nngp"), (got.ntk, "ntk")]
            .into_iter()
            .enumerate()
        {
            let want = num(e, key);
            let scale = pair("diag_x", t).abs().sqrt() * pair("diag_z", t).abs().sqrt();
            let err = (ours - want).abs() - pair("allow", t);
            worst = worst.max(err / scale.max(f64::MIN_POSITIVE));
            if err > 1e-13 * scale {
                if bad < 10 {
                    eprintln!(
                        "{} L{} {key}: {ours:e} vs {want:e} (scale {scale:e})",
                        e["name"], e["depth"]
                    );
                }
                bad += 1;
            }
        }
    }
    println!(
        "{} entries, worst (|error| - allow)/scale {worst:e}",
        entries.len()
    );
    assert!(entries.len() > 4000);
    assert_eq!(bad, 0);
}

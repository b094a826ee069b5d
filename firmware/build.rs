//! Picks the memory layout of the QEMU board for the target (`boards/`) and computes the
//! expected kernel values on the host (f64) for the on-target checks.

use std::fmt::Write as _;
use std::{env, fs, path::PathBuf};

#[allow(dead_code)] // the firmware uses more of it than the build script
#[path = "src/cases.rs"]
mod cases;
#[allow(dead_code)] // predict: the firmware only
#[path = "src/learn.rs"]
mod learn;

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let target = env::var("TARGET").unwrap_or_default();
    let board = board(&target);
    println!(
        "cargo::rustc-check-cfg=cfg(board, values({}))",
        BOARDS
            .iter()
            .map(|(_, b)| format!("{:?}", b.replace('-', "_")))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(board) = board {
        println!("cargo::rustc-cfg=board=\"{}\"", board.replace('-', "_"));
        let layout = format!("boards/{board}.x");
        fs::copy(&layout, out.join("memory.x")).expect("boards/<board>.x");
        println!("cargo::rerun-if-changed={layout}");
        // cortex-m-rt's link.x includes memory.x; riscv-rt's needs it first.
        if target.starts_with("riscv") {
            println!("cargo::rustc-link-arg-bins=-Tmemory.x");
        }
        println!("cargo::rustc-link-arg-bins=-Tlink.x");
    }
    println!("cargo::rustc-link-search={}", out.display());

    let mut code = expected();
    code.push_str(&predictions::<8>());
    code.push_str(&predictions::<16>());
    code.push_str(&predictions::<32>());
    code.push_str(&nt_fixtures());
    let lam = cases::power_law::<f64>();
    let sol = ntk::eigenlearning::Spectrum::modes(&lam)
        .and_then(|s| s.solve(cases::KAPPA_N, cases::KAPPA_RIDGE))
        .expect("kappa");
    code.push_str(&format!(
        "/// Host f64 κ of the power-law spectrum (cases::power_law, KAPPA_N, KAPPA_RIDGE).\npub static KAPPA_POWER: f64 = {:?};\n",
        sol.kappa()
    ));
    fs::write(out.join("expected.rs"), code).expect("expected.rs");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/cases.rs");
    println!("cargo::rerun-if-changed=src/learn.rs");
    println!("cargo::rerun-if-changed=../src");
    println!("cargo::rerun-if-changed={NT_FIXTURES}");
}

/// Each target's QEMU board: its memory layout is `boards/<board>.x`.
const BOARDS: [(&str, &str); 5] = [
    ("thumbv6m-none-eabi", "microbit"),
    ("thumbv7m-none-eabi", "mps2-an385"),
    ("thumbv7em-none-eabihf", "mps2-an386"),
    ("thumbv8m.main-none-eabihf", "mps2-an505"),
    ("riscv32imac-unknown-none-elf", "sifive_e"),
];

fn board(target: &str) -> Option<&'static str> {
    BOARDS.iter().find(|(t, _)| *t == target).map(|(_, b)| *b)
}

/// `EXPECTED[case][pair] = [nngp, ntk]`, computed in f64 on the host.
fn expected() -> String {
    let mut s = String::from(
        "/// [NNGP, NTK] per case and pair, computed on the host in f64 by build.rs.\n",
    );
    writeln!(s, "pub static EXPECTED: [[[f64; 2]; PAIRS]; CASES] = [").unwrap();
    for c in 0..cases::CASES {
        let (name, net) = cases::case::<f64>(c).expect("case");
        writeln!(s, "    // {name}\n    [").unwrap();
        for p in 0..cases::PAIRS {
            let (i, j) = cases::pair(p);
            let x = cases::POINTS[i].map(f64::from);
            let z = cases::POINTS[j].map(f64::from);
            let k = net.kernels(&x, &z).expect("kernels");
            assert!(k.nngp.is_finite() && k.ntk.is_finite(), "{name} pair {p}");
            writeln!(s, "        [{:?}, {:?}],", k.nngp, k.ntk).unwrap();
        }
        writeln!(s, "    ],").unwrap();
    }
    s.push_str("];\n");
    s
}

/// `PREDICT_N[q]` and `VARIANCE_N[q]`: the host's f64 mean and variance at
/// `QUERIES[q]` after fitting N points.
fn predictions<const N: usize>() -> String {
    let (xs, ys) = cases::training::<f64, N>();
    let model = learn::fit::<f64, N>(&xs, &ys).expect("fit");
    let (mut mean, mut var) = (vec![], vec![]);
    for q in cases::QUERIES {
        let ([m], v) = model
            .predict_with_variance(&q.map(f64::from))
            .expect("predict");
        mean.push(m);
        var.push(v);
    }
    let n = mean.len();
    format!(
        "/// Host f64 predictions at QUERIES after fitting {N} points.\n\
         pub static PREDICT_{N}: [f64; {n}] = {mean:?};\n\
         /// Host f64 predictive variances at QUERIES after fitting {N} points.\n\
         pub static VARIANCE_{N}: [f64; {n}] = {var:?};\n"
    )
}

/// The neural-tangents fixtures, relative to this crate.
const NT_FIXTURES: &str = "../tests/data/nt_kernels.json";

/// `NT_CASES`: the fixture cases of depth ≤ 3 and the standard-parameterization
/// ones of dimension ≤ 3 (every activation; all 127 would not fit the
/// micro:bit's flash), with
/// mpmath's exact values and the sensitivities the host test uses.
fn nt_fixtures() -> String {
    let text = fs::read_to_string(NT_FIXTURES).expect("tests/data/nt_kernels.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let flat = |v: &serde_json::Value| -> String {
        let nums: Vec<String> = v
            .as_array()
            .expect("matrix")
            .iter()
            .flat_map(|r| r.as_array().expect("row").iter())
            .map(|x| format!("{:?}", x.as_f64().unwrap_or(f64::NAN)))
            .collect();
        format!("&[{}]", nums.join(", ").replace("NaN", "f64::NAN"))
    };
    let mut s = String::from("/// neural-tangents fixture cases (generated by build.rs).\npub static NT_CASES: &[NtCase] = &[\n");
    let mut count = 0;
    for case in json["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let layers = case["layers"].as_array().expect("layers");
        let small = case["x1"][0].as_array().is_some_and(|x| x.len() <= 3);
        if layers.len() > 4 && !(small && case["parameterization"] == "standard") {
            continue;
        }
        count += 1;
        let act = &case["activation"];
        let p = |k: &str| act[k].as_f64().unwrap_or(0.0);
        let layer_list: Vec<String> = layers
            .iter()
            .map(|l| format!("({:?}, {:?})", l["w"].as_f64().expect("w"), l["b"].as_f64()))
            .collect();
        let widths = match case["widths"].as_array() {
            Some(w) if case["parameterization"] == "standard" => {
                let w: Vec<String> = w.iter().map(|x| x.to_string()).collect();
                format!("Some(&[{}])", w.join(", "))
            }
            _ => "None".into(),
        };
        let x1 = case["x1"].as_array().expect("x1");
        writeln!(
            s,
            "    NtCase {{ name: {name:?}, kind: {:?}, params: [{:?}, {:?}, {:?}], layers: &[{}], widths: {widths}, \
             dim: {}, x1: {}, x2: {}, nngp: {}, ntk: {}, sens32: [{}, {}], sens64: [{}, {}] }},",
            act["kind"].as_str().expect("kind"),
            p("a"),
            p("b"),
            p("c"),
            layer_list.join(", "),
            x1[0].as_array().expect("x").len(),
            flat(&case["x1"]),
            flat(&case["x2"]),
            flat(&case["ref"]["nngp"]),
            flat(&case["ref"]["ntk"]),
            flat(&case["sens32"]["nngp"]),
            flat(&case["sens32"]["ntk"]),
            flat(&case["sens64"]["nngp"]),
            flat(&case["sens64"]["ntk"]),
        )
        .unwrap();
    }
    assert!(count > 30, "fixtures of depth <= 3: {count}");
    s.push_str("];\n");
    s
}

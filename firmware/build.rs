//! Picks the memory map of the QEMU board for the target and computes the
//! expected kernel values on the host (f64) for the on-target checks.

use std::fmt::Write as _;
use std::{env, fs, path::PathBuf};

#[allow(dead_code)] // the firmware uses more of it than the build script
#[path = "src/cases.rs"]
mod cases;
#[path = "src/learn.rs"]
mod learn;

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let target = env::var("TARGET").unwrap_or_default();
    println!("cargo::rustc-check-cfg=cfg(board, values(\"microbit\", \"mps2\"))");
    let (board, memory) = if target.starts_with("thumbv6m") {
        // BBC micro:bit (nRF51822, Cortex-M0): 256 KiB flash, 16 KiB RAM.
        (
            "microbit",
            "FLASH : ORIGIN = 0x00000000, LENGTH = 256K\n  RAM : ORIGIN = 0x20000000, LENGTH = 16K",
        )
    } else {
        // MPS2 AN385 / AN386: 4 MiB SSRAM1 at 0 used as flash, 4 MiB RAM at 0x2000_0000.
        (
            "mps2",
            "FLASH : ORIGIN = 0x00000000, LENGTH = 4M\n  RAM : ORIGIN = 0x20000000, LENGTH = 4M",
        )
    };
    println!("cargo::rustc-cfg=board=\"{board}\"");
    fs::write(
        out.join("memory.x"),
        format!("MEMORY\n{{\n  {memory}\n}}\n"),
    )
    .expect("memory.x");
    println!("cargo::rustc-link-search={}", out.display());

    let mut code = expected();
    code.push_str(&predictions::<8>());
    code.push_str(&predictions::<16>());
    code.push_str(&predictions::<32>());
    fs::write(out.join("expected.rs"), code).expect("expected.rs");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/cases.rs");
    println!("cargo::rerun-if-changed=src/learn.rs");
    println!("cargo::rerun-if-changed=../src");
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

/// `PREDICT_N[q]`: the host's f64 prediction at `QUERIES[q]` after fitting N points.
fn predictions<const N: usize>() -> String {
    let (xs, ys) = cases::training::<f64, N>();
    let model = learn::fit(&xs, &ys).expect("fit");
    let p: Vec<f64> = cases::QUERIES
        .iter()
        .map(|q| model.predict(&q.map(f64::from)).expect("predict"))
        .collect();
    format!("/// Host f64 predictions at QUERIES after fitting {N} points.\npub static PREDICT_{N}: [f64; {}] = {p:?};\n", p.len())
}

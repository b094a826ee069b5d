//! Copies the memory layout of the board selected by a Cargo feature to
//! `memory.x`, where cortex-m-rt's `link.x` finds it, and links with `link.x`.

use std::{env, fs, path::PathBuf};

const BOARDS: [&str; 2] = ["nrf52840-dk", "nucleo-f411re"];

fn main() {
    let chosen: Vec<&str> = BOARDS
        .iter()
        .copied()
        .filter(|b| {
            env::var_os(format!(
                "CARGO_FEATURE_{}",
                b.to_uppercase().replace('-', "_")
            ))
            .is_some()
        })
        .collect();
    let [board] = chosen[..] else {
        panic!("enable exactly one board feature of {BOARDS:?}, got {chosen:?}");
    };
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let layout = format!("boards/{board}.x");
    fs::copy(&layout, out.join("memory.x")).expect("the board's memory layout");
    println!("cargo::rustc-link-search={}", out.display());
    println!("cargo::rustc-link-arg-bins=-Tlink.x");
    println!("cargo::rerun-if-changed={layout}");
    println!("cargo::rerun-if-changed=build.rs");
}

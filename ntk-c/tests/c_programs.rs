//! Builds the C test programs (tests/c) with the host's gcc against the
//! static library (built by `cargo build -p ntk-c` in this test's profile:
//! `cargo test` itself builds only the rlib), runs them, and compiles the
//! header as C++11: the C interface as a C or C++ user sees it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// `target/<profile>`: the test binary lives in its `deps/`.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps")
        .to_path_buf()
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `libntk_c.a` of this profile, built once per test process.
fn static_lib() -> &'static Path {
    static LIB: OnceLock<PathBuf> = OnceLock::new();
    LIB.get_or_init(|| {
        let dir = profile_dir();
        let target = dir.parent().expect("target dir");
        let mut cargo = Command::new(option_env!("CARGO").unwrap_or("cargo"));
        cargo.args(["build", "--quiet", "-p", "ntk-c", "--lib", "--target-dir"]);
        cargo.arg(target);
        if dir.file_name().is_some_and(|p| p == "release") {
            cargo.arg("--release");
        }
        assert!(
            cargo.status().expect("cargo runs").success(),
            "cargo build -p ntk-c"
        );
        dir.join("libntk_c.a")
    })
}

/// Compiles `<path>.c` (below ntk-c/) with gcc and runs it ([`compile_and_run`]).
fn build_and_run(path: &str) -> String {
    let name = Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a file name");
    compile_and_run(&manifest().join(format!("{path}.c")), name)
}

/// Compiles `source` with gcc (C99, warnings as errors) against the static
/// library, runs it, and returns its output; fails on a non-zero exit.
fn compile_and_run(source: &Path, name: &str) -> String {
    let exe = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let status = Command::new("gcc")
        .args([
            "-std=c99",
            "-Wall",
            "-Wextra",
            "-pedantic",
            "-Werror",
            "-O1",
        ])
        .arg("-I")
        .arg(manifest().join("include"))
        .arg(source)
        .arg(static_lib())
        .args(["-lm", "-lpthread", "-ldl", "-o"])
        .arg(&exe)
        .status()
        .expect("gcc runs");
    assert!(status.success(), "gcc failed on {}", source.display());
    let out = Command::new(&exe).output().expect("test program runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    println!("{text}");
    assert!(out.status.success(), "{name} failed:\n{text}");
    text
}

#[test]
fn values_against_neural_tangents_and_mpmath() {
    let out = build_and_run("tests/c/test_ntk");
    assert!(out.contains(" passed, 0 failed"), "{out}");
}

#[test]
fn misuse_returns_status_codes() {
    let out = build_and_run("tests/c/test_misuse");
    assert!(out.contains(" passed, 0 failed"), "{out}");
}

#[test]
fn sensor_example_tracks_the_signal() {
    // The example exits non-zero unless its RMS error is below the noise level.
    let out = build_and_run("examples/sensor");
    assert!(out.contains("RMS error"), "{out}");
}

#[test]
fn readme_example_runs() {
    let readme = std::fs::read_to_string(manifest().join("README.md")).expect("README.md");
    let code = readme
        .split("```c\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a ```c block in README.md");
    let source = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("readme_example.c");
    std::fs::write(&source, code).expect("write the example");
    let out = compile_and_run(&source, "readme_example");
    // y = x0·x1 at (2.1, 1): the window holds x0 = 1 … 2.75, so 2.1 lies inside it.
    let mean: f64 = out
        .split("f(2.1, 1) = ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .and_then(|v| v.parse().ok())
        .expect("the printed mean");
    assert!((mean - 2.1).abs() < 0.05, "{out}");
}

#[test]
fn header_compiles_as_cpp11() {
    let header = manifest().join("include/ntk.h");
    let status = Command::new("g++")
        .args([
            "-std=c++11",
            "-fsyntax-only",
            "-Wall",
            "-Wextra",
            "-pedantic",
            "-Werror",
            "-x",
            "c++",
        ])
        .arg(&header)
        .status()
        .expect("g++ runs");
    assert!(status.success(), "ntk.h is not valid C++11");
}

#!/usr/bin/env bash
# The test suite on aarch64 Linux under qemu-user: the lib's unit tests and
# the main integration tests, release build (qemu runs debug code too slowly).
# Installs what it needs (Debian packages, the Rust target); runs as root or with sudo.
#   bash scripts/aarch64.sh             # the default test set
#   bash scripts/aarch64.sh --test gram # other cargo test arguments
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }
sudo_if() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

step "cross linker and qemu-user"
if ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v qemu-aarch64 >/dev/null; then
    sudo_if apt-get update -qq
    sudo_if env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
fi

step "the Rust target"
target=aarch64-unknown-linux-gnu
if [ ! -d "$(rustc --print sysroot)/lib/rustlib/$target/lib" ]; then
    rustup target add "$target"
fi

export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu"
if [ $# -gt 0 ]; then
    tests=("$@")
else
    tests=(--lib --test gram --test gram_acos --test neural_tangents --test properties
        --test edge_cases --test kernel --test layout --test linalg --test regression_nt
        --test regression_batch --test spectrum --test eigenlearning --test finite_width --test simd)
fi

step "cargo test --release --target $target ${tests[*]}"
start=$(date +%s)
cargo test --release --target "$target" "${tests[@]}"
echo "aarch64 tests: $(($(date +%s) - start)) s (build and run)"

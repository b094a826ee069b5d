#!/usr/bin/env bash
# Builds the library for bare-metal Cortex-M targets (no std, no alloc).
# Installs Debian's rustc-web toolchain (with rust-src for -Zbuild-std) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for p in rustc-web cargo-web rust-web-src lld-22 llvm-22 qemu-system-arm; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" rust-web-llvm gcc libc6-dev
fi
export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
CARGO=/usr/bin/cargo
for t in thumbv6m-none-eabi thumbv7m-none-eabi thumbv7em-none-eabihf; do
    echo "no_std library build for $t"
    CARGO_TARGET_DIR=target/embedded $CARGO build --quiet --release --lib -Zbuild-std=core --target "$t"
done
echo "no_std builds: ok"

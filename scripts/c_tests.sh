#!/usr/bin/env bash
# The C interface (ntk-c/): checks that ntk-c/include/ntk.h is what cbindgen
# 0.29 generates from the Rust side, then builds and runs the C test programs
# against the static library with gcc, and compiles the header as C++11
# (cargo test -p ntk-c). Installs cbindgen (cargo install) and gcc/g++ when missing.
#   bash scripts/c_tests.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v gcc >/dev/null || ! command -v g++ >/dev/null; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends gcc g++ libc6-dev
fi
if ! cbindgen --version 2>/dev/null | grep -q '^cbindgen 0\.29\.'; then
    cargo install --quiet --locked cbindgen --version '^0.29'
fi
fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT
cbindgen --quiet --config ntk-c/cbindgen.toml --crate ntk-c --output "$fresh" ntk-c
if ! diff -u ntk-c/include/ntk.h "$fresh"; then
    echo "ntk-c/include/ntk.h is stale: regenerate it with"
    echo "  cbindgen --config ntk-c/cbindgen.toml --crate ntk-c --output ntk-c/include/ntk.h ntk-c"
    exit 1
fi
echo "ntk.h: up to date with the Rust side"
python3 ntk-c/tests/c/gen_fixtures.py
git diff --exit-code -- ntk-c/tests/c/fixtures.h || { echo "fixtures.h is stale: commit the regenerated one"; exit 1; }
cargo test -p ntk-c

#!/usr/bin/env bash
# The structured fuzz driver (fuzz/, stable Rust, its own workspace, not
# shipped) over every public entry point, in a release build with overflow
# checks and debug assertions on (fuzz/Cargo.toml).
#
#   bash scripts/fuzz.sh                          # the CI run: 20 000 inputs per entry point
#   FUZZ_ITERS=10_000_000 FUZZ_THREADS=2 bash scripts/fuzz.sh   # a long run
#   FUZZ_SEED=7 FUZZ_ONLY=regression bash scripts/fuzz.sh       # another seed, some entry points
#   FUZZ_ONLY=gram.tile FUZZ_REPLAY=1234 bash scripts/fuzz.sh   # re-run one reported input
#
# Per entry point it prints inputs, Ok, Err, panics, non-finite values in
# Ok, broken documented invariants and state lost on error; any finding,
# or an input that runs longer than FUZZ_HANG_SECS (default 120), exits
# non-zero with the inputs to replay.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export FUZZ_ITERS="${FUZZ_ITERS:-20000}"
cargo build --release --quiet
exec ./target/release/ntk-fuzz

#!/usr/bin/env bash
# The smallest thread stack (KiB) on which each call of tests/stack.rs
# returns, by bisection, in a release build: the figures in the docs.
#   bash scripts/stack_frames.sh            # every call
#   bash scripts/stack_frames.sh fit_f64    # the tests whose names contain it
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cargo test --release --test stack --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)
names=$("$bin" --list 2>/dev/null | sed -n 's/: test$//p' | grep -- "${1:-}")
# Whether the test passes on $1 KiB (an overflow aborts it; the subshell
# keeps the shell's "Aborted" notice quiet).
runs() { (NTK_STACK_KIB=$1 "$bin" --exact "$name" >/dev/null 2>&1; exit $?) 2>/dev/null; }
printf '%-28s %s\n' call "smallest stack (KiB)"
for name in $names; do
    lo=8 hi=1024  # fails at lo (or below), passes at hi
    if ! runs "$hi"; then
        printf '%-28s > %s\n' "$name" "$hi"
        continue
    fi
    while [ $((hi - lo)) -gt 1 ]; do
        mid=$(((lo + hi) / 2))
        if runs "$mid"; then hi=$mid; else lo=$mid; fi
    done
    printf '%-28s %s\n' "$name" "$hi"
done

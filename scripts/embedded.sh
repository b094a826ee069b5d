#!/usr/bin/env bash
# The embedded check, in one command: builds the firmware in firmware/ for
# Cortex-M4F (mps2-an386), Cortex-M3 (mps2-an385) and Cortex-M0 (micro:bit,
# 16 KiB RAM), runs its on-target checks in QEMU, and prints the flash, stack
# and instruction figures. Installs Debian's rustc-web toolchain (with
# rust-src for -Zbuild-std), lld, llvm and qemu-system-arm when missing.
#   bash scripts/embedded.sh
#   TARGETS=thumbv7em-none-eabihf bash scripts/embedded.sh   # one board
# Exit status 0 only if every board passes every check.
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
# ~/.cargo/bin (rustup proxies without ARM targets or rust-src) may shadow /usr/bin.
export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
unset RUSTFLAGS CARGO_BUILD_TARGET RUSTUP_TOOLCHAIN CARGO_TARGET_DIR
CARGO=/usr/bin/cargo
TARGETS=${TARGETS:-"thumbv7em-none-eabihf thumbv7m-none-eabi thumbv6m-none-eabi"}
cd firmware
LOGS=target/embedded-logs
mkdir -p "$LOGS"

board() {
    case "$1" in
        thumbv7em-none-eabihf) echo "-machine mps2-an386 -cpu cortex-m4" ;;
        thumbv7m-none-eabi) echo "-machine mps2-an385 -cpu cortex-m3" ;;
        thumbv6m-none-eabi) echo "-machine microbit" ;;
    esac
}
# -icount shift=0: one instruction per ns of virtual time, which SysTick counts.
run() { # elf target
    # shellcheck disable=SC2046
    timeout 300 qemu-system-arm $(board "$2") -nographic \
        -semihosting-config enable=on,target=native -icount shift=0 -kernel "$1"
}
build() { # target [cargo args]
    local t=$1; shift
    if ! $CARGO build --quiet --release -Zbuild-std=core --target "$t" "$@"; then
        echo "BUILD FAILED for $t. 'undefined symbol: ntk_panic_path_is_reachable' means a"
        echo "panicking path is reachable from the API exercised by that fp_* binary:"
        locate_panics "$t"
        return 1
    fi
}
fp_bins() { (cd src/bin && ls fp_*.rs) | sed 's/\.rs$//'; }
# The source line of every call into core's panic machinery in an ELF.
panic_sites() { # elf
    llvm-objdump-22 -d -C --no-show-raw-insn "$1" \
        | awk '/^[0-9a-f]+ <.*>:$/ { fn = $0 }
               /[ \t]bl(\.w)?[ \t].*(panicking|slice_index_fail)/ && fn !~ /panicking|slice_index_fail/ {
                   sub(":", "", $1); print $1 }' \
        | while read -r a; do
            # innermost inlined frame outside core/libm/compiler-builtins, then the whole chain
            local chain
            chain=$(llvm-addr2line-22 -i -C -e "$1" "0x$a")
            echo "0x$a $(echo "$chain" | grep -v -e rustlib -e registry | head -1)  [$(echo "$chain" | paste -sd' ')]"
        done
}
# Relinks the fp_* binaries with a harmless panic handler and prints where they panic.
locate_panics() { # target
    for f in find-panics,all-activations find-panics; do
        $CARGO build --quiet --release -Zbuild-std=core --target "$1" --features "$f" || return 0
        for b in $(fp_bins); do
            [ -f "target/$1/release/$b" ] && panic_sites "target/$1/release/$b" | sed "s/^/  $b ($f): /"
        done
    done
}

failed=0
summary=()
first=1
for t in $TARGETS; do
    start=$(date +%s)
    echo "==> $t: build ($(board "$t"))"
    if [ $first = 1 ]; then
        # Negative control: a deliberately failing check must give exit status 1.
        build "$t" --bin check --features selftest-fail,all-activations
        rc=0; run "target/$t/release/check" "$t" > "$LOGS/selftest-$t.log" 2>&1 || rc=$?
        if [ "$rc" = 1 ] && grep -q '^FAIL deliberate failure' "$LOGS/selftest-$t.log"; then
            echo "negative control: the deliberately failing check gives exit status 1"
        else
            echo "FAIL: negative control exit status $rc (expected 1 after the deliberate failure)"; failed=1
        fi
        first=0
    fi
    # Every activation for `check` and `fp_all` (they require the feature); then
    # the other binaries again without it, as a ReLU application links `ntk`.
    { build "$t" --features all-activations && build "$t"; } \
        || { failed=1; summary+=("$t: BUILD FAILED"); continue; }
    out=target/$t/release
    echo "==> $t: on-target checks"
    if run "$out/check" "$t" 2>&1 | tee "$LOGS/check-$t.log"; then verdict=PASS; else verdict=FAIL; failed=1; fi
    for b in $(fp_bins); do
        run "$out/$b" "$t" >/dev/null 2>&1 || { echo "FAIL: $b exited non-zero"; verdict=FAIL; failed=1; }
    done
    echo "==> $t: on-device learning example (src/bin/sensor.rs)"
    if run "$out/sensor" "$t" > "$LOGS/sensor-$t.log" 2>&1; then tail -4 "$LOGS/sensor-$t.log"
    else cat "$LOGS/sensor-$t.log"; echo "FAIL: sensor example"; verdict=FAIL; failed=1; fi
    grep '^figure' "$LOGS/sensor-$t.log" >> "$LOGS/check-$t.log" || true
    base=$(llvm-size-22 "$out/fp_base" | awk 'NR==2{print $1+$2}')
    flash=""
    for b in $(fp_bins); do
        [ "$b" = fp_base ] && continue
        flash+=" ${b#fp_}=$(( $(llvm-size-22 "$out/$b" | awk 'NR==2{print $1+$2}') - base ))B"
    done
    # fp_* binaries without the undefined panic handler (not yet panic-free): report their panic sites.
    for b in $(fp_bins); do
        grep -q '^mod no_panic;' "src/bin/$b.rs" && continue
        n=$(panic_sites "$out/$b" | tee "$LOGS/panics-$b-$t.txt" | wc -l)
        echo "$t: $b is not proven panic-free: $n panic call sites (see $LOGS/panics-$b-$t.txt)"
        flash+=" [$b: $n panic sites]"
    done
    summary+=("$t: $verdict $(grep -o '[0-9]* passed, [0-9]* failed' "$LOGS/check-$t.log" | tail -1); flash (text+data above fp_base=${base}B):$flash; $(( $(date +%s) - start ))s")
    grep '^figure' "$LOGS/check-$t.log" | sed "s/^figure/  $t/" > "$LOGS/figures-$t.txt" || true
done

echo
echo "==> embedded summary (panic-free: every fp_* binary that includes no_panic.rs links against an undefined panic handler)"
printf '%s\n' "${summary[@]}"
# The figures as a markdown table: one row per figure, one column per target.
echo
echo "| figure | $(echo $TARGETS | sed 's/ / | /g') |"
echo "|---|$(for _ in $TARGETS; do printf -- '---|'; done)"
for t in $TARGETS; do cat "$LOGS/figures-$t.txt" 2>/dev/null || true; done | awk -v targets="$TARGETS" '
    { t = $1; unit = $NF; value = $(NF-1); name = $2; for (i = 3; i < NF-1; i++) name = name " " $i
      if (!(name in seen)) { seen[name] = 1; order[++n] = name }
      cell[name, t] = value " " unit }
    END { nt = split(targets, ts, " ")
          for (r = 1; r <= n; r++) { line = "| " order[r] " |"
              for (c = 1; c <= nt; c++) line = line " " cell[order[r], ts[c]] " |"
              print line } }'
if [ $failed = 0 ]; then echo "embedded: all boards passed"; else echo "embedded: FAILED"; exit 1; fi

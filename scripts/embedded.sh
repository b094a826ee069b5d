#!/usr/bin/env bash
# The embedded check, in one command, on the stable toolchain: builds the
# firmware in firmware/ for five cores, runs its on-target checks on their
# QEMU boards (firmware/boards/qemu-run.sh), and prints the flash, stack and
# instruction figures as a table with a column per board.
#   Cortex-M0   thumbv6m-none-eabi            micro:bit (16 KiB RAM)
#   Cortex-M3   thumbv7m-none-eabi            mps2-an385
#   Cortex-M4F  thumbv7em-none-eabihf         mps2-an386
#   Cortex-M33F thumbv8m.main-none-eabihf     mps2-an505
#   RV32IMAC    riscv32imac-unknown-none-elf  sifive_e (16 KiB RAM)
# Installs what is missing: the targets (rustup target add), QEMU and LLVM's
# binary tools (Debian packages). Also builds (does not run) the real-board
# template firmware/template/ for its two boards.
#   bash scripts/embedded.sh
#   TARGETS=thumbv7em-none-eabihf bash scripts/embedded.sh   # one board
# Exit status 0 only if every board passes every check.
set -euo pipefail
cd "$(dirname "$0")/.."
ALL_TARGETS="thumbv6m-none-eabi thumbv7m-none-eabi thumbv7em-none-eabihf thumbv8m.main-none-eabihf riscv32imac-unknown-none-elf"
TARGETS=${TARGETS:-$ALL_TARGETS}
need=()
for p in qemu-system-arm qemu-system-misc llvm-22; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# shellcheck disable=SC2086
rustup target add $TARGETS >/dev/null 2>&1 || rustup target add $TARGETS
unset RUSTFLAGS CARGO_BUILD_TARGET CARGO_TARGET_DIR RUSTC
cd firmware
LOGS=target/embedded-logs
mkdir -p "$LOGS"

run() { boards/qemu-run.sh "$2" "$1"; } # elf target
build() { # target [cargo args]
    local t=$1; shift
    if ! cargo build --quiet --release --target "$t" "$@"; then
        echo "BUILD FAILED for $t. 'undefined symbol: ntk_panic_path_is_reachable' means a"
        echo "panicking path is reachable from the API exercised by that fp_* binary:"
        locate_panics "$t"
        return 1
    fi
}
fp_bins() { (cd src/bin && ls fp_*.rs) | sed 's/\.rs$//'; }
flash() { llvm-size-22 "$1" | awk 'NR==2{print $1+$2}'; } # text + data
# The source line of every call into core's panic machinery in an ELF.
panic_sites() { # elf
    llvm-objdump-22 -d -C --no-show-raw-insn "$1" \
        | awk '/^[0-9a-f]+ <.*>:$/ { fn = $0 }
               /[ \t](bl|jal|jalr|call)(\.w)?[ \t].*(panicking|slice_index_fail)/ && fn !~ /panicking|slice_index_fail/ {
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
        cargo build --quiet --release --target "$1" --features "$f" || return 0
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
    echo "==> $t: build"
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
    base=$(flash "$out/fp_base")
    sizes=""
    for b in $(fp_bins); do
        [ "$b" = fp_base ] && continue
        bytes=$(( $(flash "$out/$b") - base ))
        sizes+=" ${b#fp_}=${bytes}B"
        echo "figure flash ${b#fp_} (above fp_base) $bytes B" >> "$LOGS/check-$t.log"
    done
    # fp_* binaries without the undefined panic handler (not yet panic-free): report their panic sites.
    for b in $(fp_bins); do
        grep -q '^mod no_panic;' "src/bin/$b.rs" && continue
        n=$(panic_sites "$out/$b" | tee "$LOGS/panics-$b-$t.txt" | wc -l)
        echo "$t: $b is not proven panic-free: $n panic call sites (see $LOGS/panics-$b-$t.txt)"
        sizes+=" [$b: $n panic sites]"
    done
    summary+=("$t: $verdict $(grep -o '[0-9]* passed, [0-9]* failed' "$LOGS/check-$t.log" | tail -1); flash (text+data above fp_base=${base}B):$sizes; $(( $(date +%s) - start ))s")
    grep '^figure' "$LOGS/check-$t.log" | sed "s/^figure/  $t/" > "$LOGS/figures-$t.txt" || true
done

# The real-board template: built for both boards (flashing needs the board and probe-rs).
echo "==> firmware/template: build for nRF52840-DK and NUCLEO-F411RE"
for f in nrf52840-dk nucleo-f411re; do
    if (cd template && cargo build --quiet --release --no-default-features --features "$f"); then
        summary+=("template $f: built, flash $(flash "template/target/thumbv7em-none-eabihf/release/ntk-board-template") B")
    else
        summary+=("template $f: BUILD FAILED"); failed=1
    fi
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

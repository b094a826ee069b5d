#!/usr/bin/env bash
# Runs any ELF on the QEMU board of a target, with semihosting (the program's
# output on stdout, its exit status as QEMU's) and -icount shift=0 (one
# instruction per ns of virtual time, which the instruction counters read).
#   boards/qemu-run.sh <target-triple> <elf> [more qemu args]
# .cargo/config.toml uses it as the runner of each target, so
# `cargo run --release --target <triple> --bin check` runs on the board.
# QEMU_TIMEOUT (seconds, default 300) stops a program that hangs: status 124.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 <target-triple> <elf> [qemu args]" >&2; exit 2; }
triple=$1 elf=$2
shift 2
case "$triple" in
    thumbv6m-none-eabi) qemu=qemu-system-arm machine=(-machine microbit) ;;
    thumbv7m-none-eabi) qemu=qemu-system-arm machine=(-machine mps2-an385 -cpu cortex-m3) ;;
    thumbv7em-none-eabihf) qemu=qemu-system-arm machine=(-machine mps2-an386 -cpu cortex-m4) ;;
    thumbv8m.main-none-eabihf) qemu=qemu-system-arm machine=(-machine mps2-an505 -cpu cortex-m33) ;;
    riscv32imac-unknown-none-elf) qemu=qemu-system-riscv32 machine=(-machine sifive_e) ;;
    *) echo "$0: no QEMU board for target $triple" >&2; exit 2 ;;
esac
exec timeout "${QEMU_TIMEOUT:-300}" "$qemu" "${machine[@]}" -nographic -monitor none \
    -semihosting-config enable=on,target=native -icount shift=0 -kernel "$elf" "$@"

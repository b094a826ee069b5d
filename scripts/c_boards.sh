#!/usr/bin/env bash
# The C tests of the C interface (ntk-c/tests/c) on emulated boards: builds
# libntk_c.a for each target on the stable toolchain (rustup target add),
# links each C program with Debian's gcc-arm-none-eabi + newlib (Cortex-M) or
# gcc-riscv64-unknown-elf + picolibc (RISC-V), and runs it in QEMU with
# semihosting on the firmware's boards (firmware/boards/qemu-run.sh). Installs the targets and Debian packages when missing.
#   bash scripts/c_boards.sh                       # every board
#   BOARDS="m4f m0" bash scripts/c_boards.sh       # some
# Exit status 0 only if every program passes on every board.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for p in gcc-arm-none-eabi libnewlib-arm-none-eabi gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf \
    qemu-system-arm qemu-system-misc; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
BOARDS=${BOARDS:-"m4f m3 m0 m33 rv32"}
PROGRAMS=${PROGRAMS-"tests/c/test_ntk tests/c/test_misuse examples/sensor"}  # PROGRAMS= : figures only
C=ntk-c/tests/c
OUT=target/c-boards
mkdir -p "$OUT"

# board -> rust target, C flags, linker script (QEMU machine: firmware/boards/qemu-run.sh)
target() {
    case "$1" in
        m4f) echo thumbv7em-none-eabihf ;;
        m3) echo thumbv7m-none-eabi ;;
        m0) echo thumbv6m-none-eabi ;;
        m33) echo thumbv8m.main-none-eabihf ;;
        rv32) echo riscv32imac-unknown-none-elf ;;
    esac
}
cflags() {
    case "$1" in
        m4f) echo "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16" ;;
        m3) echo "-mcpu=cortex-m3 -mthumb" ;;
        m0) echo "-mcpu=cortex-m0 -mthumb -DBOARD_TWICE_INSNS_PER_TICK=125 -DNTK_TEST_SMALL_RAM" ;;
        m33) echo "-mcpu=cortex-m33 -mthumb -mfloat-abi=hard -mfpu=fpv5-sp-d16 -DBOARD_TWICE_INSNS_PER_TICK=100" ;;
    esac
}
script() {
    case "$1" in
        m4f | m3) echo mps2.ld ;;
        m0) echo microbit.ld ;;
        m33) echo an505.ld ;;
    esac
}
# Links ntk-c/<program>.c for a board into $OUT/<board>-<basename>.elf:
#   link <board> <library> <program> [extra sources...]
# newlib-nano's printf of floats for the programs that print (not the
# footprint programs: it would drag ~7 KB of dtoa, and compiler_builtins'
# soft-double in place of libgcc's, into the difference they measure).
link() {
    local b=$1 lib=$2 prog=$3 printf_float="-u _printf_float"; shift 3
    case "$prog" in */fp_*) printf_float="" ;; esac
    if [ "$b" = rv32 ]; then
        # SiFive HiFive1 (QEMU sifive_e; firmware/boards/sifive_e.x): the program in
        # the SPI flash at 0x2040_0000, 16 KiB RAM; picolibc's crt0 and semihosting.
        riscv64-unknown-elf-gcc -std=c99 -Os -Wall -Wextra -Werror -ffunction-sections -fdata-sections \
            -march=rv32imac -mabi=ilp32 -mcmodel=medany -DBOARD_TWICE_INSNS_PER_TICK=2 -DNTK_TEST_SMALL_RAM \
            -Intk-c/include -I$C -I$C/board -I$C/footprint --specs=picolibc.specs --oslib=semihost --crt0=semihost \
            -Wl,--gc-sections,--defsym=__flash=0x20400000,--defsym=__flash_size=0xC00000 \
            -Wl,--defsym=__ram=0x80000000,--defsym=__ram_size=0x4000 \
            "ntk-c/$prog.c" "$@" $C/board/riscv.c "$lib" -lm -o "$OUT/$b-$(basename "$prog").elf"
        return
    fi
    # shellcheck disable=SC2046
    arm-none-eabi-gcc -std=c99 -Os -Wall -Wextra -Werror -ffunction-sections -fdata-sections \
        $(cflags "$b") -Intk-c/include -I$C -I$C/board -I$C/footprint \
        -nostartfiles --specs=nano.specs --specs=nosys.specs $printf_float \
        -Wl,--gc-sections,--no-warn-execstack -L$C/board -T "$(script "$b")" \
        "ntk-c/$prog.c" "$@" $C/board/cortex_m.c "$lib" -lm -o "$OUT/$b-$(basename "$prog").elf"
}

# Runs an ELF on the board's QEMU machine (the firmware's runner, which
# knows the machine of each target): run <board> <name>; output in $OUT/<board>-<name>.log.
run() {
    QEMU_TIMEOUT=600 firmware/boards/qemu-run.sh "$(target "$1")" "$OUT/$1-$2.elf" > "$OUT/$1-$2.log" 2>&1
}

# The source line of every call into core's panic machinery in an ELF (the
# library's panic handler never returns: such a call stops the core).
panic_sites() { # board name
    local tool=arm-none-eabi elf="$OUT/$1-$2.elf"
    [ "$1" = rv32 ] && tool=riscv64-unknown-elf
    $tool-objdump -d -C --no-show-raw-insn "$elf" \
        | grep -E "^ *[0-9a-f]+:.*[[:space:]](bl|jal|jalr|call)(\.w)?[[:space:]].*(panicking|slice_index_fail)" \
        | awk '{sub(":", "", $1); print $1}' \
        | while read -r a; do
            $tool-addr2line -i -C -e "$elf" "0x$a" | grep -v -e rustlib -e registry -e '/rustc/' | head -1
        done | sed "s|$PWD/||" | sort | uniq -c || true
}

# text + data of an ELF (flash).
flash() {
    local size=arm-none-eabi-size
    [ "$1" = rv32 ] && size=riscv64-unknown-elf-size
    $size "$OUT/$1-$2.elf" | awk 'NR==2{print $1+$2}'
}

failed=0
for b in $BOARDS; do
    t=$(target "$b")
    rustup target add "$t" >/dev/null 2>&1 || true
    # ReLU family only, as the Rust firmware's footprint binaries link ntk.
    cargo build --quiet -p ntk-c --profile firmware-c --target "$t" --no-default-features
    cp "target/$t/firmware-c/libntk_c.a" "$OUT/libntk_c-$b-relu.a"
    cargo build --quiet -p ntk-c --profile firmware-c --target "$t"
    cp "target/$t/firmware-c/libntk_c.a" "$OUT/libntk_c-$b.a"
    for p in $PROGRAMS; do
        link "$b" "$OUT/libntk_c-$b.a" "$p"
        n=$(basename "$p")
        echo "== $b $n"
        if run "$b" "$n"; then
            grep -E "passed|stack high-water|RMS" "$OUT/$b-$n.log"
        else
            cat "$OUT/$b-$n.log"
            echo "FAILED: $n on $b"
            failed=1
        fi
    done
    echo "== $b figures"
    link "$b" "$OUT/libntk_c-$b-relu.a" tests/c/footprint/measure
    if run "$b" measure; then grep figure "$OUT/$b-measure.log"; else cat "$OUT/$b-measure.log"; failed=1; fi
    for p in fp_base fp_fit_predict; do link "$b" "$OUT/libntk_c-$b-relu.a" "tests/c/footprint/$p"; done
    echo "figure flash fit+predict N=8 f32 (C, text+data above fp_base) $(( $(flash "$b" fp_fit_predict) - $(flash "$b" fp_base) )) bytes"
    panic_sites "$b" fp_fit_predict > "$OUT/$b-panic-sites.txt"
    sites=$(awk '{s += $1} END {print s + 0}' "$OUT/$b-panic-sites.txt")
    echo "figure panic sites reachable from init+fit+predict through C: $sites (list: $OUT/$b-panic-sites.txt)"
    # The no-panic proof through C: a reachable panic call fails the script.
    if [ "$sites" != 0 ]; then echo "FAILED: panic call sites reachable through C on $b"; failed=1; fi
done
exit $failed

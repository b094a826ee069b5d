/* The instruction counter of the RISC-V board (QEMU sifive_e, machine mode):
 * minstret, which under -icount counts guest instructions. Start-up, output
 * and exit come from picolibc's semihosting crt0. */
#include "board.h"

void board_counter_start(void) {}

uint32_t board_ticks(void) {
    /* csrrs a0, minstret (0xB02), zero, encoded by hand: the multilib's
     * -march=rv32imac does not name the Zicsr extension. */
    register uint32_t n __asm__("a0");
    __asm__ volatile(".word 0xB0202573" : "=r"(n));
    return n;
}

/* minstret counts up; one tick is one instruction. */
uint64_t board_elapsed_insns(uint32_t start, uint32_t end) { return (uint64_t)(end - start); }

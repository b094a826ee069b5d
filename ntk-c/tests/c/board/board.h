/* What the measurement program needs from a board: an instruction counter. */
#ifndef NTK_BOARD_H
#define NTK_BOARD_H
#include <stdint.h>

/* Twice the guest instructions per counter tick (MPS2 25 MHz: 40 per tick;
 * micro:bit 16 MHz: 62.5; AN505 20 MHz: 50; RISC-V counts instructions). */
#ifndef BOARD_TWICE_INSNS_PER_TICK
#define BOARD_TWICE_INSNS_PER_TICK 80
#endif

void board_counter_start(void);
uint32_t board_ticks(void);
uint64_t board_elapsed_insns(uint32_t start, uint32_t end);

#endif

/* Bare-metal start-up for the C tests on QEMU's Cortex-M boards, with
 * newlib (nosys): vector table, .data/.bss set-up, FPU on, and the newlib
 * system calls over Arm semihosting (output and exit status). A fault
 * prints its name and exits with failure, so "never a fault" is checked. */
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "board.h"

extern uint32_t __data_load, __data_start, __data_end, __bss_start, __bss_end, __stack_top;
int main(void);
void exit(int);

#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define ADP_STOPPED_RUN_TIME_ERROR 0x20023

static int semihost(int op, const void *arg) {
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static void put(const char *s) { semihost(SYS_WRITE0, s); }

#define PAINT 0x5AA5C33Cu

/* Paints the free RAM between .bss and the stack, so that _exit can report
 * the stack's high-water mark. */
static void paint(void) {
    uint32_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (uint32_t *p = &__bss_end; p < sp - 16; p++) *p = PAINT;
}

/* From the top down, the first 32 painted words in a row: the heap grows up
 * from .bss into the same area, so the scan must not start there. */
static void report_stack(void) {
    uint32_t *p = &__stack_top;
    int run = 0;
    while (p > &__bss_end && run < 32) run = *--p == PAINT ? run + 1 : 0;
    uint32_t used = (uint32_t)((char *)&__stack_top - (char *)(p + run));
    char line[48] = "stack high-water: ", *d = line + 18;
    char digits[12];
    int n = 0;
    do {
        digits[n++] = (char)('0' + used % 10);
        used /= 10;
    } while (used);
    while (n) *d++ = digits[--n];
    memcpy(d, " bytes\n", 8);
    put(line);
}

void _exit(int status) {
    report_stack();
    semihost(SYS_EXIT, (const void *)(uintptr_t)(status == 0 ? ADP_STOPPED_APPLICATION_EXIT
                                                             : ADP_STOPPED_RUN_TIME_ERROR));
    for (;;) {
    }
}

/* newlib's output: stdout and stderr to the semihosting console. */
int _write(int fd, const char *buf, int len) {
    char chunk[65];
    (void)fd;
    for (int done = 0; done < len;) {
        int n = len - done < 64 ? len - done : 64;
        memcpy(chunk, buf + done, (size_t)n);
        chunk[n] = 0;
        put(chunk);
        done += n;
    }
    return len;
}

static void fault(void) {
    put("FAULT: a hardware fault (HardFault/MemManage/BusFault/UsageFault)\n");
    _exit(1);
}

void Reset_Handler(void) {
    uint32_t *src = &__data_load, *dst = &__data_start;
    while (dst < &__data_end) *dst++ = *src++;
    for (dst = &__bss_start; dst < &__bss_end;) *dst++ = 0;
    paint();
#if defined(__ARM_FP)
    /* CPACR: full access to CP10 and CP11 (the FPU). */
    *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
    __asm__ volatile("dsb\n isb");
#endif
    exit(main());
}

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)&__stack_top, Reset_Handler, fault, fault, fault, fault, fault,
    0, 0, 0, 0, fault, fault, 0, fault, fault,
};

/* SysTick at the core clock, 24-bit, free running: under QEMU -icount shift=0
 * one tick is BOARD_INSNS_PER_TICK guest instructions. */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018)

void board_counter_start(void) {
    SYST_CSR = 0;
    SYST_RVR = 0x00FFFFFF;
    SYST_CVR = 0;
    SYST_CSR = 5; /* enable, core clock, no interrupt */
}

uint32_t board_ticks(void) { return SYST_CVR; }

uint64_t board_elapsed_insns(uint32_t start, uint32_t end) {
    return (uint64_t)((start - end) & 0x00FFFFFF) * BOARD_TWICE_INSNS_PER_TICK / 2;
}

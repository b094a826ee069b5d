/* Instructions of fit and predict through the C interface, f32, N = 8, 16,
 * 32, on the firmware's data (as the `insns fit`/`insns predict` figures of
 * firmware/src/bin/check.rs, with the same counter: SysTick under QEMU
 * -icount, or minstret on RISC-V). */
#include <stdio.h>
#include <stdlib.h>

#include "board.h"
#include "data.h"

#define MAX_N 32
static ntk_network_f32 net;
static ntk_regressor_f32 reg;
static float buf[NTK_REGRESSOR_BUFFER_LEN(MAX_N, REG_DIM, 1)];
static const float QUERIES[3][REG_DIM] = {{0.25f, -0.5f, 0.75f}, {-0.9f, 0.1f, 0.3f}, {0.0f, 0.0f, 0.0f}};

static uint64_t overhead;

static uint64_t since(uint32_t start) {
    uint64_t n = board_elapsed_insns(start, board_ticks());
    return n > overhead ? n - overhead : 0;
}

static int run(size_t n) {
    float xs[MAX_N * REG_DIM], ys[MAX_N], mean = 0;
    for (uint32_t i = 0; i < n; i++) training_point(i, xs + REG_DIM * i, ys + i);
    int s = ntk_regressor_init_f32(&reg, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, REG_RIDGE, n, REG_DIM, 1, buf,
                                   sizeof buf / sizeof buf[0]);
    uint32_t t0 = board_ticks();
    s = s ? s : ntk_regressor_fit_f32(&reg, xs, ys, n);
    uint64_t fit = since(t0), predict = 0;
    for (int q = 0; q < 3 && s == NTK_OK; q++) {
        t0 = board_ticks();
        s = ntk_regressor_predict_f32(&reg, QUERIES[q], &mean);
        predict = since(t0);
    }
    printf("figure insns fit N=%u f32 (C) %lu insns\n", (unsigned)n, (unsigned long)fit);
    printf("figure insns predict N=%u f32 (C) %lu insns\n", (unsigned)n, (unsigned long)predict);
    printf("figure insns predict/(N*depth) N=%u f32 (C) %lu insns\n", (unsigned)n,
           (unsigned long)(predict / (n * 3)));
    return s;
}

int main(void) {
    board_counter_start();
    uint32_t t0 = board_ticks();
    overhead = board_elapsed_insns(t0, board_ticks());
    ntk_network_desc_f32 d = regression_network();
    int s = ntk_network_init_f32(&net, &d);
    for (size_t n = 8; n <= MAX_N && s == NTK_OK; n *= 2) s = run(n);
    if (s != NTK_OK) printf("FAIL: %s\n", ntk_status_name(s));
    return s == NTK_OK ? 0 : 1;
}

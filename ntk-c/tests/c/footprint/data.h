/* The firmware's regression data (firmware/src/cases.rs: training_point,
 * QUERIES, regression_network, RIDGE), for comparing C with Rust. */
#ifndef NTK_FP_DATA_H
#define NTK_FP_DATA_H
#include <stdint.h>
#include <string.h>

#include "ntk.h"

#define REG_DIM 3
#define REG_RIDGE 0.01f

/* Training point i: pseudo-random coordinates in [-1, 1), target x0 - x1*x2/2 + 1/4. */
static inline void training_point(uint32_t i, float x[REG_DIM], float *y) {
    uint32_t s = i * 2654435761u + 12345u;
    for (int j = 0; j < REG_DIM; j++) {
        s = s * 1664525u + 1013904223u;
        x[j] = (float)(s >> 21) / 1024.0f - 1.0f;
    }
    *y = x[0] - x[1] * x[2] * 0.5f + 0.25f;
}

/* Depth-3 ReLU, W_std 1.5, b_std 0.05, NTK parameterization. */
static inline ntk_network_desc_f32 regression_network(void) {
    ntk_network_desc_f32 d;
    memset(&d, 0, sizeof d);
    d.depth = 3;
    d.activation = NTK_ACTIVATION_RELU;
    d.w_std = 1.5f;
    d.b_std = 0.05f;
    d.has_bias = 1;
    d.parameterization = NTK_PARAMETERIZATION_NTK;
    return d;
}

#endif

/* Footprint of kernel regression through the C interface (as
 * firmware/src/bin/fp_fit_predict.rs): fit N = 8 points and predict once,
 * f32, depth-3 ReLU, on opaque data. */
#include <math.h>
#include <stdlib.h>

#include "data.h"

#define N 8
static ntk_network_f32 net;
static ntk_regressor_f32 reg;
static float buf[NTK_REGRESSOR_BUFFER_LEN(N, REG_DIM, 1)];

int main(void) {
    volatile uint32_t opaque = 0;
    float xs[N * REG_DIM], ys[N], mean = NAN;
    for (uint32_t i = 0; i < N; i++) training_point(i + opaque, xs + REG_DIM * i, ys + i);
    const float q[REG_DIM] = {0.25f + (float)opaque, -0.5f, 0.75f};
    ntk_network_desc_f32 d = regression_network();
    int s = ntk_network_init_f32(&net, &d);
    if (s == NTK_OK)
        s = ntk_regressor_init_f32(&reg, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, REG_RIDGE, N, REG_DIM, 1, buf,
                                   sizeof buf / sizeof buf[0]);
    if (s == NTK_OK) s = ntk_regressor_fit_f32(&reg, xs, ys, N);
    if (s == NTK_OK) s = ntk_regressor_predict_f32(&reg, q, &mean);
    return s == NTK_OK && isfinite(mean) ? 0 : 1;
}

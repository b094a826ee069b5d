/* On-device learning from C: a synthetic noisy sensor stream, a sliding
 * window of the last N = 16 samples, online NTK regression in float with its
 * uncertainty, in fixed memory (as firmware/src/bin/sensor.rs does in Rust).
 *
 * Each sample is pushed: the oldest point leaves by a Givens downdate and the
 * new one enters by a Cholesky row extension, O(N^2), never a refit. Time
 * enters as a point on a circle (period longer than the stream), so the
 * kernel depends on time differences only. Prints every 10th step and exits
 * with status 0 if the estimate tracks the noiseless signal (RMS error below
 * the noise level). Plain C99: the host or a board. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ntk.h"

#define N 16
#define STEPS 120
#define DT 0.1f
#define PERIOD 60.0f
#define NOISE 0.15f
#define RIDGE 0.05f /* about the noise variance relative to the kernel's scale */
#define LEAD 0.5f   /* how far ahead the forecast looks */

static ntk_network_f32 net;
static ntk_regressor_f32 model;
static float buffer[NTK_REGRESSOR_BUFFER_LEN(N, 2, 1)];

static float signal(float t) { return sinf(t) + 0.4f * sinf(2.7f * t); }

static void embed(float t, float x[2]) {
    float a = 6.28318531f * t / PERIOD;
    x[0] = cosf(a);
    x[1] = sinf(a);
}

/* Uniform noise in [-NOISE*sqrt(3), NOISE*sqrt(3)] (std NOISE) from a 32-bit LCG. */
static float noise(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return ((float)(*state >> 8) / (float)(1u << 24) * 2.0f - 1.0f) * NOISE * 1.7320508f;
}

int main(void) {
    ntk_network_desc_f32 d;
    memset(&d, 0, sizeof d);
    d.depth = 3;
    d.activation = NTK_ACTIVATION_RELU;
    d.w_std = 1.5f;
    d.b_std = 0.05f;
    d.has_bias = 1;
    d.parameterization = NTK_PARAMETERIZATION_NTK;
    int s = ntk_network_init_f32(&net, &d);
    if (s == NTK_OK)
        s = ntk_regressor_init_f32(&model, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, RIDGE, N, 2, 1, buffer,
                                   sizeof buffer / sizeof buffer[0]);
    if (s != NTK_OK) {
        printf("init: %s\n", ntk_status_name(s));
        return 1;
    }
    printf("sensor stream (C): window N = %d, model %u + buffer %u bytes\n", N, (unsigned)sizeof model,
           (unsigned)sizeof buffer);
    printf("%6s %8s %8s %8s %8s %9s %8s\n", "t", "sample", "truth", "mean", "std", "forecast", "std");
    uint32_t seed = 1;
    float sq_err = 0.0f;
    int scored = 0;
    for (int step = 0; step < STEPS; step++) {
        float t = (float)step * DT, x[2], mean, var;
        float truth = signal(t), sample = truth + noise(&seed);
        embed(t, x);
        s = ntk_regressor_push_f32(&model, x, &sample);
        if (s == NTK_OK) s = ntk_regressor_predict_var_f32(&model, x, &mean, &var);
        if (s != NTK_OK) {
            printf("step %d: %s\n", step, ntk_status_name(s));
            return 1;
        }
        if (step >= N) {
            sq_err += (mean - truth) * (mean - truth);
            scored++;
        }
        if (step % 10 == 0) {
            float ahead[2], f = NAN, fv = 0.0f;
            embed(t + LEAD, ahead);
            ntk_regressor_predict_var_f32(&model, ahead, &f, &fv);
            printf("%6.1f %8.3f %8.3f %8.3f %8.3f %9.3f %8.3f\n", (double)t, (double)sample, (double)truth,
                   (double)mean, sqrt((double)var), (double)f, sqrt((double)fv));
        }
    }
    float rms = sqrtf(sq_err / (float)(scored > 0 ? scored : 1));
    printf("RMS error of the estimate against the noiseless signal: %.3f (noise std %.2f)\n", (double)rms,
           (double)NOISE);
    return rms < NOISE ? 0 : 1;
}

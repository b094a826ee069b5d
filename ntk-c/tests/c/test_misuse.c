/* Misuse of the C interface: NULL and misaligned pointers, uninitialised
 * instances, buffers too small or overlapping, sizes that overflow, NaN
 * inputs, prediction before a fit. Each call must return its status code,
 * never fault, and leave what was stored intact. Plain C99. */
#include <stdint.h>
#include <stdlib.h>

#include "ntk.h"
#include "check.h"

#define CAP 4
#define DIM 2
static float buf[NTK_REGRESSOR_BUFFER_LEN(CAP, DIM, 1)];
static ntk_network_f32 net;
static ntk_regressor_f32 reg;
static const float xs[3 * DIM] = {0.0f, 1.0f, 1.0f, 0.0f, 1.0f, 1.0f};
static const float ys[3] = {1.0f, -1.0f, 0.5f};

static ntk_network_desc_f32 relu(void) {
    ntk_network_desc_f32 d;
    memset(&d, 0, sizeof d);
    d.depth = 2;
    d.activation = NTK_ACTIVATION_RELU;
    d.w_std = 1.5f;
    d.b_std = 0.1f;
    d.has_bias = 1;
    d.parameterization = NTK_PARAMETERIZATION_NTK;
    return d;
}

static void network_misuse(void) {
    ntk_network_desc_f32 d = relu();
    CHECK_STATUS(ntk_network_init_f32(NULL, &d), NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_network_init_f32(&net, NULL), NTK_ERR_NULL_POINTER);
    d.depth = 0;
    CHECK_STATUS(ntk_network_init_f32(&net, &d), NTK_ERR_DEPTH);
    d.depth = NTK_MAX_DEPTH + 1;
    CHECK_STATUS(ntk_network_init_f32(&net, &d), NTK_ERR_DEPTH);
    d = relu();
    d.activation = 12345;
    CHECK_STATUS(ntk_network_init_f32(&net, &d), NTK_ERR_INVALID_PARAMETER);
    d = relu();
    d.w_std = NAN;
    CHECK_STATUS(ntk_network_init_f32(&net, &d), NTK_ERR_NON_FINITE);
    d = relu();
    d.b_std = -1.0f;
    CHECK_STATUS(ntk_network_init_f32(&net, &d), NTK_ERR_INVALID_PARAMETER);
    d = relu();
    d.activation = NTK_ACTIVATION_ERF;
    d.params[1] = INFINITY;
    CHECK_STATUS(ntk_network_init_f32(&net, &d), NTK_ERR_NON_FINITE);
    d = relu();
    d.parameterization = 7;
    CHECK_STATUS(ntk_network_init_f32(&net, &d), NTK_ERR_INVALID_PARAMETER);
    d.parameterization = NTK_PARAMETERIZATION_STANDARD; /* width 0 */
    CHECK_STATUS(ntk_network_init_f32(&net, &d), NTK_ERR_INVALID_PARAMETER);
    /* A zeroed (never initialised) network. */
    static ntk_network_f32 zero;
    ntk_kernels_f32 k;
    CHECK_STATUS(ntk_network_kernels_f32(&zero, xs, xs + 2, DIM, &k), NTK_ERR_NOT_INITIALIZED);
    /* A misaligned instance and misaligned points. */
    static uint64_t raw[NTK_NETWORK_F32_WORDS + 1];
    d = relu();
    CHECK_STATUS(ntk_network_init_f32((ntk_network_f32 *)((char *)raw + 4), &d), NTK_ERR_MISALIGNED);
    CHECK_OK(ntk_network_init_f32(&net, &d));
    float pts[5] = {0};
    CHECK_STATUS(ntk_network_kernels_f32(&net, (const float *)((const char *)pts + 1), xs, DIM, &k),
                 NTK_ERR_MISALIGNED);
    CHECK_STATUS(ntk_network_kernels_f32(&net, xs, NULL, DIM, &k), NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_network_kernels_f32(&net, xs, xs, DIM, NULL), NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_network_kernels_f32(&net, xs, xs, 0, &k), NTK_ERR_EMPTY);
    CHECK_STATUS(ntk_network_kernels_f32(&net, xs, xs, SIZE_MAX, &k), NTK_ERR_SIZE_OVERFLOW);
    const float nan_point[DIM] = {NAN, 1.0f};
    CHECK_STATUS(ntk_network_kernels_f32(&net, nan_point, xs, DIM, &k), NTK_ERR_NON_FINITE);
    /* The output inside an input. */
    float both[4] = {1.0f, 0.5f, 0.25f, 2.0f};
    CHECK_STATUS(ntk_network_kernels_f32(&net, both, both + 2, DIM, (ntk_kernels_f32 *)both),
                 NTK_ERR_OVERLAP);
    CHECK_STATUS(ntk_network_set_layer_f32(&net, 3, 1.0f, 0.0f, 0), NTK_ERR_INDEX_OUT_OF_RANGE);
    CHECK_STATUS(ntk_network_set_layer_f32(&net, 0, NAN, 0.0f, 0), NTK_ERR_NON_FINITE);
    /* The failed calls left the network as it was: same kernels as a fresh one. */
    ntk_network_f32 fresh;
    ntk_kernels_f32 a, b;
    CHECK_OK(ntk_network_init_f32(&fresh, &d));
    CHECK_OK(ntk_network_kernels_f32(&net, xs, xs + 2, DIM, &a));
    CHECK_OK(ntk_network_kernels_f32(&fresh, xs, xs + 2, DIM, &b));
    CHECK(a.nngp == b.nngp && a.ntk == b.ntk, "failed calls changed nothing");
#ifndef NTK_ALL_ACTIVATIONS_DISABLED
    d.activation = NTK_ACTIVATION_GELU;
    CHECK_OK(ntk_network_init_f32(&fresh, &d));
#endif
}

static void gram_misuse(void) {
    float out[16], out2[16];
    ntk_tile t = {0, 3, 0, 3};
    CHECK_STATUS(ntk_gram_tile_f32(&net, xs, 3, xs, 3, DIM, &t, NULL, NULL, 3, 16), NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_gram_tile_f32(&net, xs, 3, xs, 3, DIM, NULL, out, NULL, 3, 16), NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_gram_tile_f32(NULL, xs, 3, xs, 3, DIM, &t, out, NULL, 3, 16), NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_gram_tile_f32(&net, xs, 3, xs, 3, DIM, &t, out, out2, 3, 8), NTK_ERR_BUFFER_TOO_SMALL);
    CHECK_STATUS(ntk_gram_tile_f32(&net, xs, 3, xs, 3, DIM, &t, out, out2, 2, 16), NTK_ERR_INVALID_PARAMETER);
    ntk_tile outside = {0, 4, 0, 3};
    CHECK_STATUS(ntk_gram_tile_f32(&net, xs, 3, xs, 3, DIM, &outside, out, NULL, 3, 16),
                 NTK_ERR_INDEX_OUT_OF_RANGE);
    ntk_tile reversed = {2, 1, 0, 3};
    int s = ntk_gram_tile_f32(&net, xs, 3, xs, 3, DIM, &reversed, out, NULL, 3, 16);
    CHECK(s == NTK_OK || s == NTK_ERR_INDEX_OUT_OF_RANGE, "reversed tile: %s", ntk_status_name(s));
    CHECK_STATUS(ntk_gram_tile_f32(&net, xs, 3, xs, 3, DIM, &t, out, out, 3, 16), NTK_ERR_OVERLAP);
    CHECK_STATUS(ntk_gram_tile_f32(&net, xs, 3, xs, 3, DIM, &t, out, out + 4, 3, 9), NTK_ERR_OVERLAP);
    CHECK_STATUS(ntk_gram_tile_f32(&net, xs, SIZE_MAX / 2, xs, 3, DIM, &t, out, NULL, 3, 16),
                 NTK_ERR_SIZE_OVERFLOW);
    float pts[6] = {0.0f, 1.0f, NAN, 0.0f, 1.0f, 1.0f};
    for (int i = 0; i < 16; i++) out[i] = 42.0f;
    CHECK_STATUS(ntk_gram_tile_f32(&net, pts, 3, pts, 3, DIM, &t, out, NULL, 3, 16), NTK_ERR_NON_FINITE);
    CHECK(out[0] == 42.0f && out[8] == 42.0f, "nothing written on error");
}

static void regressor_misuse(void) {
    const size_t len = sizeof buf / sizeof buf[0];
    float mean = 0.0f, var = 0.0f;
    size_t n = 99;
    CHECK(ntk_regressor_buffer_len(0, DIM, 1) == 0, "capacity 0 has no buffer");
    CHECK(ntk_regressor_buffer_len(SIZE_MAX / 2, DIM, 1) == 0, "an overflowing size is 0");
    /* Before init: a zeroed instance. */
    CHECK_STATUS(ntk_regressor_fit_f32(&reg, xs, ys, 3), NTK_ERR_NOT_INITIALIZED);
    CHECK_STATUS(ntk_regressor_predict_f32(&reg, xs, &mean), NTK_ERR_NOT_INITIALIZED);
    CHECK_STATUS(ntk_regressor_len_f32(&reg, &n), NTK_ERR_NOT_INITIALIZED);
    /* A network passed where a regressor is wanted. */
    CHECK_STATUS(ntk_regressor_len_f32((const ntk_regressor_f32 *)(const void *)&net, &n),
                 NTK_ERR_NOT_INITIALIZED);
    /* Bad init arguments. */
    CHECK_STATUS(ntk_regressor_init_f32(NULL, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, 1e-3f, CAP, DIM, 1, buf, len),
                 NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_regressor_init_f32(&reg, NULL, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, 1e-3f, CAP, DIM, 1, buf, len),
                 NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_regressor_init_f32(&reg, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, 1e-3f, CAP, DIM, 1, NULL, len),
                 NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_regressor_init_f32(&reg, &net, 2, NTK_RIDGE_ABSOLUTE, 1e-3f, CAP, DIM, 1, buf, len),
                 NTK_ERR_INVALID_PARAMETER);
    CHECK_STATUS(ntk_regressor_init_f32(&reg, &net, NTK_REGIME_NTK, -1, 1e-3f, CAP, DIM, 1, buf, len),
                 NTK_ERR_INVALID_PARAMETER);
    CHECK_STATUS(ntk_regressor_init_f32(&reg, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, NAN, CAP, DIM, 1, buf, len),
                 NTK_ERR_NON_FINITE);
    CHECK_STATUS(ntk_regressor_init_f32(&reg, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, -1.0f, CAP, DIM, 1, buf, len),
                 NTK_ERR_INVALID_PARAMETER);
    CHECK_STATUS(ntk_regressor_init_f32(&reg, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, 1e-3f, CAP, 0, 1, buf, len),
                 NTK_ERR_EMPTY);
    CHECK_STATUS(ntk_regressor_init_f32(&reg, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, 1e-3f, CAP, DIM, 1, buf, len - 1),
                 NTK_ERR_BUFFER_TOO_SMALL);
    CHECK_STATUS(ntk_regressor_init_f32(&reg, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, 1e-3f, SIZE_MAX / 4, DIM, 1,
                                        buf, len),
                 NTK_ERR_SIZE_OVERFLOW);
    CHECK_STATUS(ntk_regressor_init_f32(&reg, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, 1e-3f, CAP, DIM, 1,
                                        (float *)((char *)buf + 2), len - 1),
                 NTK_ERR_MISALIGNED);
    /* The buffer over the instance itself. */
    static union { ntk_regressor_f32 r; float f[NTK_REGRESSOR_BUFFER_LEN(CAP, DIM, 1) + 512]; } both;
    CHECK_STATUS(ntk_regressor_init_f32(&both.r, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, 1e-3f, CAP, DIM, 1,
                                        both.f, len),
                 NTK_ERR_OVERLAP);
    CHECK_STATUS(ntk_regressor_len_f32(&reg, &n), NTK_ERR_NOT_INITIALIZED); /* failed inits wrote nothing */
    CHECK_OK(ntk_regressor_init_f32(&reg, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, 1e-3f, CAP, DIM, 1, buf, len));

    /* Before a fit. */
    CHECK_STATUS(ntk_regressor_predict_f32(&reg, xs, &mean), NTK_ERR_NOT_FITTED);
    CHECK_STATUS(ntk_regressor_predict_var_f32(&reg, xs, &mean, &var), NTK_ERR_NOT_FITTED);
    CHECK_STATUS(ntk_regressor_remove_f32(&reg, 0), NTK_ERR_INDEX_OUT_OF_RANGE);
    const float grid[2] = {1e-3f, 1e-1f};
    float chosen, mse;
    CHECK_STATUS(ntk_regressor_choose_ridge_f32(&reg, grid, 2, &chosen, &mse), NTK_ERR_NOT_FITTED);

    /* Bad fits: nothing stored changes. */
    const float nan_y[3] = {1.0f, NAN, 0.0f};
    CHECK_STATUS(ntk_regressor_fit_f32(&reg, NULL, ys, 3), NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_regressor_fit_f32(&reg, xs, NULL, 3), NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_regressor_fit_f32(&reg, xs, ys, 0), NTK_ERR_EMPTY);
    CHECK_STATUS(ntk_regressor_fit_f32(&reg, xs, nan_y, 3), NTK_ERR_NON_FINITE);
    CHECK_STATUS(ntk_regressor_fit_f32(&reg, xs, ys, CAP + 1), NTK_ERR_CAPACITY_EXCEEDED);
    CHECK_STATUS(ntk_regressor_fit_f32(&reg, xs, ys, SIZE_MAX / 2), NTK_ERR_SIZE_OVERFLOW);
    CHECK_STATUS(ntk_regressor_fit_f32(&reg, buf, ys, 3), NTK_ERR_OVERLAP);
    CHECK_OK(ntk_regressor_len_f32(&reg, &n));
    CHECK(n == 0, "failed fits stored nothing (len %zu)", n);

    CHECK_OK(ntk_regressor_fit_f32(&reg, xs, ys, 3));
    float before = 0.0f, after = 0.0f;
    const float q[DIM] = {0.25f, 0.5f};
    CHECK_OK(ntk_regressor_predict_f32(&reg, q, &before));
    /* Bad predictions. */
    const float nan_q[DIM] = {0.25f, NAN};
    CHECK_STATUS(ntk_regressor_predict_f32(&reg, nan_q, &mean), NTK_ERR_NON_FINITE);
    CHECK_STATUS(ntk_regressor_predict_f32(&reg, q, NULL), NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_regressor_predict_var_f32(&reg, q, &mean, NULL), NTK_ERR_NULL_POINTER);
    float qm[DIM] = {0.25f, 0.5f};
    CHECK_STATUS(ntk_regressor_predict_f32(&reg, qm, qm), NTK_ERR_OVERLAP);
    CHECK_STATUS(ntk_regressor_predict_var_f32(&reg, q, &mean, &mean), NTK_ERR_OVERLAP);
    CHECK_STATUS(ntk_regressor_predict_f32(&reg, q, buf + 3), NTK_ERR_OVERLAP);
    CHECK_STATUS(ntk_regressor_predict_f32(&reg, q, (float *)((char *)&mean + 1)), NTK_ERR_MISALIGNED);
    /* Bad updates: nothing lost. */
    const float nan_x[DIM] = {NAN, 0.0f};
    CHECK_STATUS(ntk_regressor_insert_f32(&reg, nan_x, ys), NTK_ERR_NON_FINITE);
    CHECK_STATUS(ntk_regressor_push_f32(&reg, xs, nan_y + 1), NTK_ERR_NON_FINITE);
    CHECK_STATUS(ntk_regressor_insert_f32(&reg, NULL, ys), NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_regressor_remove_f32(&reg, 3), NTK_ERR_INDEX_OUT_OF_RANGE);
    CHECK_STATUS(ntk_regressor_remove_f32(&reg, SIZE_MAX), NTK_ERR_INDEX_OUT_OF_RANGE);
    CHECK_STATUS(ntk_regressor_choose_ridge_f32(&reg, grid, 0, &chosen, &mse), NTK_ERR_EMPTY);
    const float bad_grid[2] = {1e-3f, -1.0f};
    CHECK_STATUS(ntk_regressor_choose_ridge_f32(&reg, bad_grid, 2, &chosen, &mse), NTK_ERR_INVALID_PARAMETER);
    CHECK_STATUS(ntk_regressor_choose_ridge_f32(&reg, grid, 2, &chosen, &chosen), NTK_ERR_OVERLAP);
    CHECK_OK(ntk_regressor_predict_f32(&reg, q, &after));
    CHECK(after == before, "failed calls changed the model (%g -> %g)", (double)before, (double)after);
    /* Full: insert refuses, push slides. */
    CHECK_OK(ntk_regressor_insert_f32(&reg, q, ys));
    CHECK_STATUS(ntk_regressor_insert_f32(&reg, xs, ys), NTK_ERR_CAPACITY_EXCEEDED);
    CHECK_OK(ntk_regressor_len_f32(&reg, &n));
    CHECK(n == CAP, "full at %d (len %zu)", CAP, n);

    /* Duplicate points without ridge: not positive definite, then unfitted, then recoverable. */
    CHECK_OK(ntk_regressor_init_f32(&reg, &net, NTK_REGIME_NTK, NTK_RIDGE_ABSOLUTE, 0.0f, CAP, DIM, 1, buf, len));
    const float dup[2 * DIM] = {0.5f, 0.5f, 0.5f, 0.5f};
    CHECK_STATUS(ntk_regressor_fit_f32(&reg, dup, ys, 2), NTK_ERR_NOT_POSITIVE_DEFINITE);
    CHECK_STATUS(ntk_regressor_predict_f32(&reg, q, &mean), NTK_ERR_NOT_FITTED);
    CHECK_STATUS(ntk_regressor_insert_f32(&reg, q, ys), NTK_ERR_NOT_FITTED);
    CHECK_OK(ntk_regressor_fit_f32(&reg, xs, ys, 3));
    CHECK_STATUS(ntk_regressor_insert_f32(&reg, xs + 2, ys), NTK_ERR_NOT_POSITIVE_DEFINITE);
    CHECK_OK(ntk_regressor_len_f32(&reg, &n));
    CHECK(n == 3, "a refused insert stored nothing (len %zu)", n);
    CHECK_OK(ntk_regressor_predict_f32(&reg, xs, &mean));
    CHECK(fabsf(mean - ys[0]) < 1e-3f, "still interpolates after the refusal (%g)", (double)mean);
}

static void eigen_misuse(void) {
    const float lam[3] = {1.0f, 0.5f, 0.25f};
    float kappa = 0.0f, l[3];
    CHECK_STATUS(ntk_eigenlearning_kappa_f32(NULL, NULL, 3, 2.0f, 0.0f, &kappa), NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_eigenlearning_kappa_f32(lam, NULL, 3, 2.0f, 0.0f, NULL), NTK_ERR_NULL_POINTER);
    CHECK_STATUS(ntk_eigenlearning_kappa_f32(lam, NULL, 3, NAN, 0.0f, &kappa), NTK_ERR_NON_FINITE);
    CHECK_STATUS(ntk_eigenlearning_kappa_f32(lam, NULL, 3, 2.0f, -1.0f, &kappa), NTK_ERR_INVALID_PARAMETER);
    const float bad[3] = {1.0f, NAN, 0.25f};
    CHECK_STATUS(ntk_eigenlearning_kappa_f32(bad, NULL, 3, 2.0f, 0.0f, &kappa), NTK_ERR_NON_FINITE);
    const float neg_mult[3] = {1.0f, -2.0f, 1.0f};
    CHECK_STATUS(ntk_eigenlearning_kappa_f32(lam, neg_mult, 3, 2.0f, 0.0f, &kappa), NTK_ERR_INVALID_PARAMETER);
    CHECK_STATUS(ntk_eigenlearning_learnabilities_f32(lam, NULL, 3, 2.0f, 0.0f, NULL), NTK_ERR_NULL_POINTER);
    float both[3] = {1.0f, 0.5f, 0.25f};
    CHECK_STATUS(ntk_eigenlearning_learnabilities_f32(both, NULL, 3, 2.0f, 0.0f, both), NTK_ERR_OVERLAP);
    CHECK_STATUS(ntk_eigenlearning_learnabilities_f32(lam, NULL, SIZE_MAX, 2.0f, 0.0f, l), NTK_ERR_SIZE_OVERFLOW);
}

int main(void) {
    network_misuse();
    gram_misuse();
    regressor_misuse();
    eigen_misuse();
    CHECK(strcmp(ntk_status_name(12), "NTK_ERR_UNKNOWN") == 0, "name of a non-code");
    return finish("test_misuse");
}

/* The C interface against independent references: neural-tangents 0.6.5
 * kernels and regression predictions, mpmath eigenlearning values and closed
 * forms (fixtures.h, from tests/data by gen_fixtures.py), in float and double;
 * online updates and the leave-one-out ridge choice against refitting.
 * Plain C99; on the host and on the boards. */
#include <stdint.h>
#include <stdlib.h>

#include "ntk.h"
#include "check.h"
#include "fixtures.h"

/* One network and two regressors with their buffers, shared by both
 * precisions (static: the micro:bit has 16 KiB of RAM). */
#define CAP 8
#define BUF_LEN NTK_REGRESSOR_BUFFER_LEN(CAP, 3, 1)
static union { ntk_network_f32 n_f32; ntk_network_f64 n_f64; } NET;
static union { ntk_regressor_f32 r_f32; ntk_regressor_f64 r_f64; } REG_A, REG_B;
static union { float v_f32[BUF_LEN]; double v_f64[BUF_LEN]; } BUF_A, BUF_B;

#define R double
#define F(name) name##_f64
#define KTOL 1e-9
#define RTOL 1e-8
#include "values.inc"
#undef R
#undef F
#undef KTOL
#undef RTOL

#define R float
#define F(name) name##_f32
#define KTOL 2e-4
#define RTOL 2e-3
#include "values.inc"

static void test_sizes(void) {
    const size_t sizes[][3] = {{1, 1, 1}, {8, 3, 1}, {16, 2, 1}, {32, 4, 1}, {8, 3, 4}, {8, 3, 5}, {8, 3, 9}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i][0], d = sizes[i][1], o = sizes[i][2];
        size_t scratch = (o + 1 > 5 ? o + 1 : 5);
        CHECK(ntk_regressor_buffer_len(n, d, o) == NTK_REGRESSOR_BUFFER_LEN(n, d, o) &&
                  NTK_REGRESSOR_BUFFER_LEN(n, d, o) == n * (n + d + 2 * o + scratch),
              "buffer length of (%zu, %zu, %zu)", n, d, o);
    }
    CHECK(sizeof(ntk_regressor_f32) == 8 * NTK_REGRESSOR_F32_WORDS, "instance size is its words");
    CHECK(strcmp(ntk_status_name(NTK_OK), "NTK_OK") == 0, "name of NTK_OK");
    CHECK(strcmp(ntk_status_name(NTK_ERR_NOT_FITTED), "NTK_ERR_NOT_FITTED") == 0, "name of NOT_FITTED");
}

int main(void) {
    test_sizes();
    test_all_f64();
    test_all_f32();
    return finish("test_ntk");
}

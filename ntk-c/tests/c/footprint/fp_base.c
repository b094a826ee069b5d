/* Footprint baseline (as firmware/src/bin/fp_base.rs): start-up, one opaque
 * value, the exit. Flash of fp_fit_predict minus this is the C path's cost. */
#include <math.h>
#include <stdlib.h>

int main(void) {
    volatile float v = 1.0f;
    return isfinite(v) ? 0 : 1;
}

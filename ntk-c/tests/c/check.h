/* A minimal C99 test harness for the host and the boards (printf only). */
#ifndef NTK_CHECK_H
#define NTK_CHECK_H
#include <math.h>
#include <stdio.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        if (cond) {                                                       \
            passed++;                                                     \
        } else {                                                          \
            failed++;                                                     \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                   \
            printf(__VA_ARGS__);                                          \
            printf("\n");                                                 \
        }                                                                 \
    } while (0)

/* A call that must return exactly the status `want`. */
#define CHECK_STATUS(call, want)                                          \
    do {                                                                  \
        int got_ = (call);                                                \
        CHECK(got_ == (want), "%s: %s, want %s", #call,                   \
              ntk_status_name(got_), ntk_status_name(want));              \
    } while (0)

#define CHECK_OK(call) CHECK_STATUS(call, NTK_OK)

/* |got - want| <= tol * scale, NaN never close. */
static inline int close_to(double got, double want, double tol, double scale) {
    return fabs(got - want) <= tol * scale;
}

/* The closing line test runners read; the exit status for main. */
static int finish(const char *name) {
    printf("%s: %d passed, %d failed\n", name, passed, failed);
    return failed == 0 ? 0 : 1;
}

#endif

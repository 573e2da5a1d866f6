/* Wall time for progress lines and the seconds a run took: monotonic, so
 * that a clock change does not make an epoch take negative time. */
#include "core.h"

#include <time.h>

double fsnsa_monotonic_seconds(void)
{
    return fsnsa__now();
}

double fsnsa__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

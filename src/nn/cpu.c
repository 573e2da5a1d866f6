/* CPU detection for the run-time choice of vector code (cpu.h). */
#include "cpu.h"

#include <stdlib.h>
#include <string.h>

int fsnsa__cpu_level(void)
{
    int level = FSNSA__CPU_BASE;
#if FSNSA__X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        level = FSNSA__CPU_AVX512;
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        level = FSNSA__CPU_AVX2;
#endif
    const char *cap = getenv("FSNSA_KERNEL");
    if (cap != NULL) {
        int want = strcmp(cap, "scalar") == 0 ? FSNSA__CPU_BASE
                   : strcmp(cap, "avx2") == 0 ? FSNSA__CPU_AVX2
                                              : FSNSA__CPU_AVX512;
        if (want < level)
            level = want;
    }
    return level;
}

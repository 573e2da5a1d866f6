/* Which vector instruction set the kernels and Adam run on. Internal. */
#ifndef FSNSA_CPU_H
#define FSNSA_CPU_H

/* The levels, widest last; macros so that simd.h can select by them. */
#define FSNSA__CPU_BASE 0   /* plain C on vector extensions, fmaf */
#define FSNSA__CPU_AVX2 1   /* AVX2 + FMA, 8 lanes */
#define FSNSA__CPU_AVX512 2 /* AVX-512F, 16 lanes */

/* The AVX2 and AVX-512 copies exist only where GCC/Clang target x86-64. */
#if defined(__x86_64__) && defined(__GNUC__)
#define FSNSA__X86 1
#else
#define FSNSA__X86 0
#endif

/* The widest level this CPU supports. FSNSA_KERNEL=avx512|avx2|scalar in
 * the environment caps it (the results are the same on every level; this
 * is for testing and timing). Computed on every call (no cached global
 * state); callers keep the result. */
int fsnsa__cpu_level(void);

#endif

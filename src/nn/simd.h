/* The vector layer: a handful of primitives defined once per instruction
 * set (as ggml does), against which every vector loop is written once —
 * the training step's kernels (kernels_isa.h) and Adam (adam_isa.h). A
 * source file compiles its loops once per instruction set by defining
 * SIMD_ISA as one of the levels of cpu.h, including this header, then its
 * loops; then the next level the same way. It picks the copy to run with
 * fsnsa__cpu_level(). Each inclusion first undefines what the previous one
 * defined; included without SIMD_ISA it gives the vector types only.
 *
 * For the selected level it defines
 *   SIMD_NAME(x)     x's name in this copy: x##_avx512, x##_avx2, x##_base
 *   SIMD_TARGET      the target attribute of every function of the copy
 *   VL               lanes of one vector: 16, 8, 16
 *   vf, vi           the vector types of VL floats and VL int32
 *   VLOAD(p)         VL floats at p (any alignment)
 *   VSTORE(p, v)
 *   VLOAD_N(p, n)    the first n < VL floats at p, the other lanes 0
 *   VSTORE_N(p, v, n) the first n lanes of v to p, nothing past them
 *   VSPLAT(s)        s in every lane
 *   VFMA(a, b, c)    a*b + c in every lane, rounded once: vfmadd on the
 *                    vector levels, C's fmaf (correctly rounded by
 *                    definition) lane by lane on the base level
 *   VSQRT(a)         the correctly rounded square root of every lane
 *   VRELU(z)         max(z, 0) lane-wise, NaN -> 0 (as `z > 0 ? z : 0`)
 * and the operators + - * / and comparisons of GCC/Clang vector
 * extensions are the lane-wise IEEE operations. Nothing is fused unless
 * written as VFMA (-std=c11 keeps gcc at -ffp-contract=off, the pragma
 * below does it for clang), so every level does the same correctly rounded
 * operations lane by lane and gives the same bits. The base level is 16
 * lanes, like AVX-512, so that layouts in 16-lane units (kernels.h) are the
 * same on every level; the AVX2 level handles each 16 as two vectors.
 *
 * Vector values never cross a function boundary except into SIMD_INLINE
 * functions (their ABI differs between the levels): macros, pointers and
 * always_inline only. Internal. */
#ifndef FSNSA_SIMD_H
#define FSNSA_SIMD_H

#include "cpu.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#if FSNSA__X86
#include <immintrin.h>
#endif

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

typedef float v16f __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));
typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));

#define SIMD_INLINE static inline __attribute__((always_inline))

/* the parts of the 16-lane levels that do not depend on the instructions */
#define SIMD_SPLAT16(s)                                                     \
    __extension__({                                                         \
        const float s_ = (s);                                               \
        (v16f){s_, s_, s_, s_, s_, s_, s_, s_, s_, s_, s_, s_, s_, s_, s_, s_}; \
    })
#define SIMD_RELU16(z) ((v16f)((v16i)(z) & ((z) > (v16f){0})))
#endif /* FSNSA_SIMD_H */

/* Included without SIMD_ISA: the types above only. */
#ifdef SIMD_ISA
#undef SIMD_NAME
#undef SIMD_TARGET
#undef VL
#undef vf
#undef vi
#undef VLOAD
#undef VSTORE
#undef VLOAD_N
#undef VSTORE_N
#undef VSPLAT
#undef VFMA
#undef VSQRT
#undef VRELU
#undef SIMD_MASK8

#if SIMD_ISA == FSNSA__CPU_AVX512 && FSNSA__X86
#define SIMD_NAME(x) x##_avx512
#define SIMD_TARGET __attribute__((target("avx512f,fma")))
#define VL 16
#define vf v16f
#define vi v16i
#define VLOAD(p) ((v16f)_mm512_loadu_ps(p))
#define VSTORE(p, v) _mm512_storeu_ps((p), (__m512)(v))
#define VLOAD_N(p, n) ((v16f)_mm512_maskz_loadu_ps((__mmask16)((1u << (n)) - 1u), (p)))
#define VSTORE_N(p, v, n)                                                   \
    _mm512_mask_storeu_ps((p), (__mmask16)((1u << (n)) - 1u), (__m512)(v))
#define VSPLAT SIMD_SPLAT16
#define VFMA(a, b, c)                                                       \
    ((v16f)_mm512_fmadd_ps((__m512)(a), (__m512)(b), (__m512)(c)))
#define VSQRT(a) ((v16f)_mm512_sqrt_ps((__m512)(a)))
#define VRELU SIMD_RELU16

#elif SIMD_ISA == FSNSA__CPU_AVX2 && FSNSA__X86
/* 8-lane vectors: gcc splits 16-lane generic vectors into ymm halves
 * poorly (stack spills in every kernel tile: 15-20x slower) */
#define SIMD_NAME(x) x##_avx2
#define SIMD_TARGET __attribute__((target("avx2,fma")))
#define VL 8
#define vf v8f
#define vi v8i
#define SIMD_MASK8(n)                                                       \
    __extension__({                                                         \
        const int32_t n_ = (int32_t)(n);                                    \
        (__m256i)((v8i){0, 1, 2, 3, 4, 5, 6, 7} <                           \
                  (v8i){n_, n_, n_, n_, n_, n_, n_, n_});                   \
    })
#define VLOAD(p) ((v8f)_mm256_loadu_ps(p))
#define VSTORE(p, v) _mm256_storeu_ps((p), (__m256)(v))
#define VLOAD_N(p, n) ((v8f)_mm256_maskload_ps((p), SIMD_MASK8(n)))
#define VSTORE_N(p, v, n) _mm256_maskstore_ps((p), SIMD_MASK8(n), (__m256)(v))
#define VSPLAT(s)                                                           \
    __extension__({                                                         \
        const float s_ = (s);                                               \
        (v8f){s_, s_, s_, s_, s_, s_, s_, s_};                              \
    })
#define VFMA(a, b, c)                                                       \
    ((v8f)_mm256_fmadd_ps((__m256)(a), (__m256)(b), (__m256)(c)))
#define VSQRT(a) ((v8f)_mm256_sqrt_ps((__m256)(a)))
#define VRELU(z) ((v8f)((v8i)(z) & ((z) > (v8f){0})))

#elif SIMD_ISA == FSNSA__CPU_BASE
/* plain C: what the compiler makes of 16-lane generic vectors for the
 * baseline of the machine (SSE2 on x86-64), the lane-wise calls exact */
#define SIMD_NAME(x) x##_base
#define SIMD_TARGET
#define VL 16
#define vf v16f
#define vi v16i
#define VLOAD(p)                                                            \
    __extension__({                                                         \
        v16f r_;                                                            \
        __builtin_memcpy(&r_, (p), sizeof r_);                              \
        r_;                                                                 \
    })
#define VSTORE(p, v)                                                        \
    do {                                                                    \
        const v16f v_ = (v);                                                \
        __builtin_memcpy((p), &v_, sizeof v_);                              \
    } while (0)
#define VLOAD_N(p, n)                                                       \
    __extension__({                                                         \
        v16f r_ = {0};                                                      \
        const float *p_ = (p);                                              \
        for (size_t l_ = 0; l_ < (size_t)(n); l_++)                         \
            r_[l_] = p_[l_];                                                \
        r_;                                                                 \
    })
#define VSTORE_N(p, v, n)                                                   \
    do {                                                                    \
        const v16f v_ = (v);                                                \
        float *p_ = (p);                                                    \
        for (size_t l_ = 0; l_ < (size_t)(n); l_++)                         \
            p_[l_] = v_[l_];                                                \
    } while (0)
#define VSPLAT SIMD_SPLAT16
#define VFMA(a, b, c)                                                       \
    __extension__({                                                         \
        const v16f a_ = (a), b_ = (b), c_ = (c);                            \
        v16f r_;                                                            \
        for (int l_ = 0; l_ < 16; l_++)                                     \
            r_[l_] = fmaf(a_[l_], b_[l_], c_[l_]);                          \
        r_;                                                                 \
    })
#define VSQRT(a)                                                            \
    __extension__({                                                         \
        const v16f a_ = (a);                                                \
        v16f r_;                                                            \
        for (int l_ = 0; l_ < 16; l_++)                                     \
            r_[l_] = sqrtf(a_[l_]);                                         \
        r_;                                                                 \
    })
#define VRELU SIMD_RELU16

#else
#error "SIMD_ISA: no such level on this machine"
#endif

#undef SIMD_ISA
#endif /* SIMD_ISA */

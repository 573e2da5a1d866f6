/* Adam, written as PyTorch 1.13's single-tensor torch.optim.Adam computes
 * it, so that a step here matches a step there to float rounding. Weight
 * decay, moments and the update are fused in one pass over each block. */
#include "adam.h"

#include "cpu.h"

#include <math.h>

void fsnsa__adam_init(fsnsa__adam *a, double lr, double beta1, double beta2,
                      double eps, double weight_decay)
{
    a->lr = (float)lr;
    a->beta1 = (float)beta1;
    a->beta2 = (float)beta2;
    a->eps = (float)eps;
    a->weight_decay = (float)weight_decay;
    a->one_minus_b1 = (float)(1.0 - beta1);
    a->one_minus_b2 = (float)(1.0 - beta2);
    a->step = 0;
    a->step_size = 0.0f;
    a->bc2_sqrt = 1.0f;
    a->lr_d = lr;
    a->level = fsnsa__cpu_level();
    a->beta1_d = beta1;
    a->beta2_d = beta2;
}

void fsnsa__adam_begin_step(fsnsa__adam *a)
{
    a->step++;
    /* Python computes these in double, then torch casts the scalar. */
    double bc1 = 1.0 - pow(a->beta1_d, (double)a->step);
    double bc2 = 1.0 - pow(a->beta2_d, (double)a->step);
    a->step_size = (float)(a->lr_d / bc1);
    a->bc2_sqrt = (float)sqrt(bc2);
}

/* torch's formula, element by element: g += wd*theta; m = b1 m + (1-b1) g;
 * v = b2 v + (1-b2) g^2; theta -= step_size * m / (sqrt(v)/sqrt(bc2) + eps),
 * every operation rounded on its own (torch's CPU kernels fuse the
 * multiply-adds of the first three: docs/algorithm.md). Written once in
 * adam_isa.h against the vector layer and compiled for each instruction
 * set; no fused multiply-add, so every one gives the same bits. */
#if FSNSA__X86
#define SIMD_ISA FSNSA__CPU_AVX512
#include "simd.h"
#include "adam_isa.h"
#define SIMD_ISA FSNSA__CPU_AVX2
#include "simd.h"
#include "adam_isa.h"
#endif
#define SIMD_ISA FSNSA__CPU_BASE
#include "simd.h"
#include "adam_isa.h"

void fsnsa__adam_update(const fsnsa__adam *a, size_t n, float *restrict theta,
                        const float *restrict grad, float *restrict m,
                        float *restrict v)
{
#if FSNSA__X86
    if (a->level >= FSNSA__CPU_AVX512) {
        adam_avx512(a, n, theta, grad, m, v);
        return;
    }
    if (a->level == FSNSA__CPU_AVX2) {
        adam_avx2(a, n, theta, grad, m, v);
        return;
    }
#endif
    adam_base(a, n, theta, grad, m, v);
}

/* Adam, written as PyTorch 1.13's single-tensor torch.optim.Adam computes
 * it, so that a step here matches a step there to float rounding. Weight
 * decay, moments and the update are fused in one pass over each block. */
#include "adam.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

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

/* One element, torch's formula: g += wd*theta; m = b1 m + (1-b1) g;
 * v = b2 v + (1-b2) g^2; theta -= step_size * m / (sqrt(v)/sqrt(bc2) + eps),
 * every operation rounded on its own (torch's CPU kernels fuse the
 * multiply-adds of the first three: docs/algorithm.md). The vector
 * versions do the same correctly rounded operations lane by lane (no fused
 * multiply-add), so every path gives the same bits. */
static void adam_scalar(const fsnsa__adam *a, size_t i0, size_t n,
                        float *restrict theta, const float *restrict grad,
                        float *restrict m, float *restrict v)
{
    const float b1 = a->beta1, b2 = a->beta2, ob1 = a->one_minus_b1,
                ob2 = a->one_minus_b2, wd = a->weight_decay, eps = a->eps,
                ss = a->step_size, bc2s = a->bc2_sqrt;
    for (size_t i = i0; i < n; i++) {
        float g = grad[i] + wd * theta[i];
        float mi = m[i] * b1 + ob1 * g;
        float vi = v[i] * b2 + ob2 * (g * g);
        m[i] = mi;
        v[i] = vi;
        float denom = sqrtf(vi) / bc2s + eps;
        theta[i] -= ss * (mi / denom);
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

__attribute__((target("avx512f"))) static size_t
adam_avx512(const fsnsa__adam *a, size_t n, float *theta, const float *grad,
            float *m, float *v)
{
    const __m512 b1 = _mm512_set1_ps(a->beta1), b2 = _mm512_set1_ps(a->beta2),
                 ob1 = _mm512_set1_ps(a->one_minus_b1),
                 ob2 = _mm512_set1_ps(a->one_minus_b2),
                 wd = _mm512_set1_ps(a->weight_decay),
                 eps = _mm512_set1_ps(a->eps), ss = _mm512_set1_ps(a->step_size),
                 bc2s = _mm512_set1_ps(a->bc2_sqrt);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 th = _mm512_loadu_ps(theta + i);
        __m512 g = _mm512_add_ps(_mm512_loadu_ps(grad + i), _mm512_mul_ps(wd, th));
        __m512 mi = _mm512_add_ps(_mm512_mul_ps(_mm512_loadu_ps(m + i), b1),
                                  _mm512_mul_ps(ob1, g));
        __m512 vi = _mm512_add_ps(_mm512_mul_ps(_mm512_loadu_ps(v + i), b2),
                                  _mm512_mul_ps(ob2, _mm512_mul_ps(g, g)));
        _mm512_storeu_ps(m + i, mi);
        _mm512_storeu_ps(v + i, vi);
        __m512 den = _mm512_add_ps(_mm512_div_ps(_mm512_sqrt_ps(vi), bc2s), eps);
        th = _mm512_sub_ps(th, _mm512_mul_ps(ss, _mm512_div_ps(mi, den)));
        _mm512_storeu_ps(theta + i, th);
    }
    if (i < n) {
        __mmask16 k = (__mmask16)((1u << (n - i)) - 1u);
        __m512 th = _mm512_maskz_loadu_ps(k, theta + i);
        __m512 g = _mm512_add_ps(_mm512_maskz_loadu_ps(k, grad + i), _mm512_mul_ps(wd, th));
        __m512 mi = _mm512_add_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(k, m + i), b1),
                                  _mm512_mul_ps(ob1, g));
        __m512 vi = _mm512_add_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(k, v + i), b2),
                                  _mm512_mul_ps(ob2, _mm512_mul_ps(g, g)));
        _mm512_mask_storeu_ps(m + i, k, mi);
        _mm512_mask_storeu_ps(v + i, k, vi);
        __m512 den = _mm512_add_ps(_mm512_div_ps(_mm512_sqrt_ps(vi), bc2s), eps);
        th = _mm512_sub_ps(th, _mm512_mul_ps(ss, _mm512_div_ps(mi, den)));
        _mm512_mask_storeu_ps(theta + i, k, th);
        i = n;
    }
    return i;
}

__attribute__((target("avx2"))) static size_t
adam_avx2(const fsnsa__adam *a, size_t n, float *theta, const float *grad,
          float *m, float *v)
{
    const __m256 b1 = _mm256_set1_ps(a->beta1), b2 = _mm256_set1_ps(a->beta2),
                 ob1 = _mm256_set1_ps(a->one_minus_b1),
                 ob2 = _mm256_set1_ps(a->one_minus_b2),
                 wd = _mm256_set1_ps(a->weight_decay),
                 eps = _mm256_set1_ps(a->eps), ss = _mm256_set1_ps(a->step_size),
                 bc2s = _mm256_set1_ps(a->bc2_sqrt);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 th = _mm256_loadu_ps(theta + i);
        __m256 g = _mm256_add_ps(_mm256_loadu_ps(grad + i), _mm256_mul_ps(wd, th));
        __m256 mi = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(m + i), b1),
                                  _mm256_mul_ps(ob1, g));
        __m256 vi = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(v + i), b2),
                                  _mm256_mul_ps(ob2, _mm256_mul_ps(g, g)));
        _mm256_storeu_ps(m + i, mi);
        _mm256_storeu_ps(v + i, vi);
        __m256 den = _mm256_add_ps(_mm256_div_ps(_mm256_sqrt_ps(vi), bc2s), eps);
        th = _mm256_sub_ps(th, _mm256_mul_ps(ss, _mm256_div_ps(mi, den)));
        _mm256_storeu_ps(theta + i, th);
    }
    return i;
}
#endif

void fsnsa__adam_update(const fsnsa__adam *a, size_t n, float *restrict theta,
                        const float *restrict grad, float *restrict m,
                        float *restrict v)
{
    size_t done = 0;
#if defined(__x86_64__) && defined(__GNUC__)
    int level = a->level;
    if (level >= 2)
        done = adam_avx512(a, n, theta, grad, m, v);
    else if (level == 1)
        done = adam_avx2(a, n, theta, grad, m, v);
#endif
    adam_scalar(a, done, n, theta, grad, m, v);
}

int fsnsa__cpu_level(void)
{
    int level = 0;
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        level = 2;
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        level = 1;
#endif
    const char *cap = getenv("FSNSA_KERNEL");
    if (cap != NULL) {
        int want = strcmp(cap, "scalar") == 0 ? 0 : strcmp(cap, "avx2") == 0 ? 1 : 2;
        if (want < level)
            level = want;
    }
    return level;
}

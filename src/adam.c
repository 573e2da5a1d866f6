/* Adam, written as PyTorch 1.13's single-tensor torch.optim.Adam computes
 * it, so that a step here matches a step there to float rounding. Weight
 * decay, moments and the update are fused in one pass over each block. */
#include "adam.h"

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

void fsnsa__adam_update(const fsnsa__adam *a, size_t n, float *restrict theta,
                        const float *restrict grad, float *restrict m,
                        float *restrict v)
{
    const float b1 = a->beta1, b2 = a->beta2, ob1 = a->one_minus_b1,
                ob2 = a->one_minus_b2, wd = a->weight_decay, eps = a->eps,
                ss = a->step_size, bc2s = a->bc2_sqrt;
    for (size_t i = 0; i < n; i++) {
        float g = grad[i] + wd * theta[i];
        float mi = m[i] * b1 + ob1 * g;
        float vi = v[i] * b2 + ob2 * (g * g);
        m[i] = mi;
        v[i] = vi;
        float denom = sqrtf(vi) / bc2s + eps;
        theta[i] -= ss * (mi / denom);
    }
}

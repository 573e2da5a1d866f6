/* Adam with PyTorch's semantics (torch.optim.Adam, L2 weight decay added
 * to the gradient, not AdamW). Internal to the library. */
#ifndef FSNSA_ADAM_H
#define FSNSA_ADAM_H

#include <stddef.h>

typedef struct {
    float lr, beta1, beta2, eps, weight_decay;
    /* per step, from fsnsa__adam_begin_step */
    float step_size;      /* lr / (1 - beta1^t) */
    float bc2_sqrt;       /* sqrt(1 - beta2^t) */
    float one_minus_b1, one_minus_b2;
    long step;
    double lr_d, beta1_d, beta2_d; /* exact values for the corrections */
    int level;            /* fsnsa__cpu_level() at init: which vector code */
} fsnsa__adam;

void fsnsa__adam_init(fsnsa__adam *a, double lr, double beta1, double beta2,
                      double eps, double weight_decay);
/* Advance the step counter and the bias corrections (once per batch). */
void fsnsa__adam_begin_step(fsnsa__adam *a);
/* One update of n parameters; m and v are the moments of theta. */
void fsnsa__adam_update(const fsnsa__adam *a, size_t n, float *restrict theta,
                        const float *restrict grad, float *restrict m,
                        float *restrict v);

#endif

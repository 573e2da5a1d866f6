/* Network internals shared by inference (network.c) and training
 * (train.c); not part of the public API. */
#ifndef FSNSA_NETWORK_H
#define FSNSA_NETWORK_H

#include "fsnsa.h"

/* A network with uninitialized weights: p of p_in features, h nodes. */
fsnsa_status fsnsa__net_alloc(size_t p_in, size_t p, size_t h,
                              size_t n_classes, fsnsa_net **out,
                              fsnsa_error *err);

/* Buffers for one batch of B rows: act, dz (B x h), logits, g (B x n_out)
 * (unused since the step moved to kernels.c; kept so that callers need not
 * change) and the gradients, shaped like the parameters. */
typedef struct {
    float *act, *dz, *logits, *g;
    float *gW, *gb, *gbeta, *gc;
} fsnsa__grads;

/* Forward and backward pass of the mean cross-entropy over B rows of xb
 * (B x net->p) with labels y; fills the gradients and returns the SUM of
 * the row losses (the gradients are of the mean, as torch's). The same
 * arithmetic as a training step (fsnsa__grad_step in kernels.c), so that a
 * step of fsnsa_train equals fsnsa__backprop + fsnsa__adam_update bit for
 * bit. Allocates its work space; returns NaN if that fails. */
double fsnsa__backprop(const fsnsa_net *net, const float *xb,
                       const int32_t *y, size_t B, fsnsa__grads *gr);

#endif

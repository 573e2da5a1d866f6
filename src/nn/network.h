/* Network internals shared by inference (network.c), pruning (anneal.c),
 * training (trainer.c) and the model file; not part of the public API. */
#ifndef FSNSA_NETWORK_H
#define FSNSA_NETWORK_H

#include "fsnsa.h"
#include "kernels.h"

#include <stdbool.h>

/* Where the parameters of a net of up to H nodes, P features and C outputs
 * sit in its one block of floats: W (H x P; with p features in use, row j
 * at j * p), b (H), beta (H x C), c (C), each region starting on a
 * 64-byte line. The regions keep their place when the net shrinks, so
 * pruning compacts each in place and the net's pointers never move. Adam's
 * moments m and v are blocks of the same layout (an entry's moment sits
 * at its parameter's offset), so one compaction with one index map serves
 * the parameters and both moments. */
typedef struct {
    size_t C;                /* outputs (fixed for the net's life) */
    size_t W, b, beta, c;    /* offsets of the regions, in floats */
    size_t size;             /* floats in the block */
} fsnsa__layout;

/* The layout for H nodes, P features, C outputs; false if its size does
 * not fit in memory sizes. */
bool fsnsa__layout_of(size_t H, size_t P, size_t C, fsnsa__layout *L);

/* A network with uninitialized weights: p of p_in features, h nodes; W,
 * b, beta and c in one block of fsnsa__layout_of(h, p, n_out), W at its
 * start (fsnsa_net_free frees it). */
/* Whether a and b have the same sizes; copy src's parameters into d of
 * the same shape (no allocation: keep best between epochs). */
bool fsnsa__net_same_shape(const fsnsa_net *a, const fsnsa_net *b);
void fsnsa__net_copy_into(fsnsa_net *d, const fsnsa_net *src);
fsnsa_status fsnsa__net_alloc(size_t p_in, size_t p, size_t h,
                              size_t n_classes, fsnsa_net **out,
                              fsnsa_error *err);

/* The buffers of a forward pass over rows in chunks, for nets of up to
 * h nodes, p features and n_out outputs: made once by a caller that
 * evaluates many times (the validation split, before training). */
typedef struct {
    float *xb, *logits;
    fsnsa__work w;
} fsnsa__eval_buf;
fsnsa_status fsnsa__eval_buf_init(fsnsa__eval_buf *b, size_t h, size_t p,
                                  size_t n_out, fsnsa_error *err);
/* Frees what init made; a zeroed or freed buffer is fine. */
void fsnsa__eval_buf_free(fsnsa__eval_buf *b);

/* The mean over d's labeled rows of w[y] * cross-entropy (w NULL: 1)
 * and, when accuracy is not NULL, the share of them predicted right, from
 * one forward pass, in buf (sized for net) or, when buf is NULL, in
 * buffers made and freed here. */
fsnsa_status fsnsa__net_eval(const fsnsa_net *net, const fsnsa_dataset *d,
                             const float *w, fsnsa__eval_buf *buf,
                             double *loss, double *accuracy, fsnsa_error *err);

#endif

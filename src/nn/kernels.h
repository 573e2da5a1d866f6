/* The training step's arithmetic: forward, backward and their buffers, in
 * a fixed order of operations that does not depend on the thread count or
 * on the instruction set (AVX-512, AVX2 + FMA or plain x86-64: the same
 * operations, lane by lane; every a*b + c below is one fused multiply-add,
 * rounded once: vfmadd on the vector paths, C's fmaf on the baseline
 * path). Internal.
 *
 * Order of every sum (this is what makes results reproducible):
 * (s = fma(a, b, s) accumulates a*b into s with one rounding; "fma-sum"
 * below means s = 0, then s = fma(a_t, b_t, s) for t in the given order)
 *   z[r,j]      = (fma-sum over i of x[r,i] W[j,i], sequential in i) + b[j]
 *   logits[r,k] = (sum over node chunks of JC nodes, in chunk order, of
 *                  the chunk's fma-sum over j of act[r,j] beta[j,k]) + c[k]
 *   dz[r,j]     = C = 1: g[r] beta[j]; C > 1: g[r,0] beta[j,0], then
 *                 fma(g[r,k], beta[j,k], .) for k = 1.., masked by act > 0
 *   gW[j,i]     = fma-sum over r of dz[r,j] x[r,i], sequential in r (batch
 *                 order); continued from the previous row block's value
 *   gb[j]       = fma-sum over r of dz[r,j] * 1, sequential in r
 *   gbeta[j,k]  = C > 1: fma-sum over r of act[r,j] g[r,k], sequential in r;
 *                 C = 1: per row block, t = act[0..15] g[0..15] lane-wise,
 *                 then t = fma(act[16v..], g[16v..], t) for the block's
 *                 other 16-row vectors, then the fixed 16-lane tree
 *                 ((l, l+8), (l, l+4), (l, l+2), (0, 1)), added block by
 *                 block
 *   gc[k]       = sum_r g[r,k], sequential in r (plain additions)
 * where g[r,k] = dL/dlogit[r,k] / B, from the row's float logits in double
 * (loss.c), rounded to float, then times 1/B in float.
 * The 8-lane AVX2 path splits each 16 lanes into two vectors: which sums
 * run side by side changes, the order within each sum does not; its gbeta
 * for C = 1 keeps the two halves as two chains and adds them, the tree's
 * first step.
 * Adam (adam.c, adam_isa.h) fuses nothing: PyTorch's formula, every
 * operation rounded on its own (torch's CPU kernels fuse some:
 * docs/algorithm.md).
 * Threads split the node chunks between them; every chunk does the same
 * operations whichever thread runs it. */
#ifndef FSNSA_KERNELS_H
#define FSNSA_KERNELS_H

#include "adam.h"
#include "fsnsa.h"

enum {
    FSNSA__JC = 64,  /* nodes per chunk (fixed: part of the summation order) */
    FSNSA__RBMAX = 64 /* rows per block */
};

typedef struct {
    size_t H, P, C;       /* capacities: nodes, features, outputs */
    size_t RB;            /* rows per block: multiple of 16, <= RBMAX */
    size_t P16, K16;      /* p + 1 and C rounded up to 16 */
    float *xT;            /* P x RB: the block's rows, transposed */
    float *xr;            /* RB x P16: rows, column p = 1 (for gb) */
    float *actT;          /* H x RB */
    float *lp;            /* chunks x C x RB: partial logits */
    float *gT;            /* C x RB: dL/dlogit of the block */
    float *gr;            /* RB x K16 */
    float *gWx;           /* H x P16: gW, column p = gb */
    float *gBx;           /* H x K16: gbeta */
    float *gc;            /* C */
    float *logits;        /* RB x C */
    float *gWc;           /* H x P: gW, compact (after the last block) */
    float *gbv;           /* H: gb */
    float *gbc;           /* H x C: gbeta */
    int threads;          /* max threads for one step (1 = serial) */
    /* C class weights (borrowed) or NULL: row r's loss and gradient
     * times class_weight[y_r], g = dL/dlogit * (1/B * w) in float */
    const float *class_weight;
    /* Regression: the n targets by row (borrowed), indexed as y is; the
     * net has one linear output and the row's loss is (o - t)^2
     * (loss.h). NULL: classification by y. */
    const float *target;
} fsnsa__work;

/* n floats, zeroed, on a 64-byte line; NULL on overflow or failure; free()
 * releases it. */
float *fsnsa__alloc_floats(size_t n);

/* Buffers for nets up to H nodes, P features, C outputs, batches of B. */
int fsnsa__work_init(fsnsa__work *w, size_t H, size_t P, size_t C, size_t B);
/* Only what fsnsa__forward_logits uses (no gradient buffers). */
int fsnsa__work_init_forward(fsnsa__work *w, size_t H, size_t P, size_t C);
void fsnsa__work_free(fsnsa__work *w);

/* Adam's moments of each parameter region, shaped like it. */
typedef struct {
    float *mW, *vW, *mb, *vb, *mbeta, *vbeta, *mc, *vc;
} fsnsa__moments;

/* One training step over B rows: row r is X + rows[r] * ldx (rows ==
 * NULL: row r), label y[rows[r]] (or y[r]; w->target's entry instead for
 * regression, y unused). Returns the SUM of the row
 * losses; the gradients are of the mean. With adam != NULL (its step
 * already begun) the Adam update of the net follows, chunk by chunk while
 * the gradient is in cache. With adam == NULL the net is left as it is
 * and the gradients are in w->gWc (h x p), w->gbv (h), w->gbc (h x C) and
 * w->gc (C): an Adam update of each with them gives the same bits as the
 * fused step (tests/test_train.c). */
double fsnsa__grad_step(fsnsa_net *net, const float *X, size_t ldx,
                        const size_t *rows, const int32_t *y, size_t B,
                        fsnsa__work *w, const fsnsa__adam *adam,
                        const fsnsa__moments *mom);

/* Logits (n x C) of n rows (row r at X + r * ldx, the net's p columns):
 * the training step's forward, so the same bits as training computes,
 * whatever the thread count; w sized for the net (any batch). */
void fsnsa__forward_logits(const fsnsa_net *net, const float *X, size_t ldx,
                           size_t n, fsnsa__work *w, float *logits);

#endif
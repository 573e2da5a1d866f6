/* The training step (see kernels.h for the order of every sum).
 *
 * One step over a batch of B rows goes row block by row block (RB <= 64
 * rows, so that a block's activations stay in cache); within a block:
 *   1. gather the rows twice: transposed (xT, for the forward, vectorized
 *      over rows) and row-major with a 1 appended (xr, for gW and gb);
 *   2. forward, chunk of JC nodes by chunk: z = W x + b, relu, and the
 *      chunk's partial logits (bias + ReLU + output layer fused);
 *   3. logits = ordered sum of the chunk partials + c, loss, dL/dlogit;
 *   4. backward, chunk by chunk: dz (ReLU mask fused), gW and gb in one
 *      accumulation (the 1 column), gbeta; after the last block the chunk's
 *      Adam update runs while its gradient is still in cache.
 * Threads take whole chunks; the arithmetic of a chunk is the same whoever
 * runs it, and the chunk partials are combined in chunk order, so results
 * do not depend on the thread count.
 *
 * The inner loops (kernels_isa.h) are written once against the vector
 * layer (simd.h) and compiled three times: for AVX-512 (16 lanes), for
 * AVX2 + FMA (8 lanes) and for the base level (16 lanes, fmaf); the best
 * one the CPU supports is chosen at run time (cpu.c). Every lane does the
 * same IEEE operations in the same order; the multiply-adds of the sums
 * are fused explicitly (VFMA) and never by the compiler, so the three give
 * bit-identical results. */
#include "kernels.h"

#include "core/core.h"
#include "cpu.h"
#include "loss.h"
#include "simd.h" /* the vector types; each copy below includes it again */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define JC ((size_t)FSNSA__JC)

static size_t round16(size_t n) { return (n + 15) / 16 * 16; }

float *fsnsa__alloc_floats(size_t n)
{
    size_t bytes;
    if (!fsnsa__mul(n, sizeof(float), &bytes) || bytes > SIZE_MAX - 63)
        return NULL;
    bytes = (bytes + 63) / 64 * 64;
    void *p = NULL;
    if (posix_memalign(&p, 64, bytes ? bytes : 64) != 0)
        return NULL;
    memset(p, 0, bytes);
    return p;
}

void fsnsa__work_free(fsnsa__work *w)
{
    free(w->xT);
    free(w->xr);
    free(w->actT);
    free(w->lp);
    free(w->gT);
    free(w->gr);
    free(w->gWx);
    free(w->gBx);
    free(w->gc);
    free(w->logits);
    free(w->gWc);
    free(w->gbv);
    free(w->gbc);
    memset(w, 0, sizeof *w);
}

/* The forward needs xT, xr, actT, lp; a step also needs the gradient
 * buffers, the largest of which are H x P (twice). */
static int work_alloc(fsnsa__work *w, size_t H, size_t P, size_t C, size_t B,
                      int grads)
{
    memset(w, 0, sizeof *w);
    w->H = H;
    w->P = P;
    w->C = C;
    w->RB = B >= FSNSA__RBMAX ? FSNSA__RBMAX : round16(B);
    w->P16 = round16(P + 1);
    w->K16 = round16(C);
    size_t RB = w->RB, nch = (H + JC - 1) / JC;
    w->xT = fsnsa__alloc_floats(P * RB);
    w->xr = fsnsa__alloc_floats(RB * w->P16);
    w->actT = fsnsa__alloc_floats(H * RB);
    w->lp = fsnsa__alloc_floats(nch * C * RB);
    w->threads = 1;
    int ok = w->xT && w->xr && w->actT && w->lp;
    if (grads) {
        w->gT = fsnsa__alloc_floats(C * RB);
        w->gr = fsnsa__alloc_floats(RB * w->K16);
        w->gWx = fsnsa__alloc_floats(H * w->P16);
        w->gBx = fsnsa__alloc_floats(C > 1 ? H * w->K16 : 1);
        w->gc = fsnsa__alloc_floats(C);
        w->logits = fsnsa__alloc_floats(RB * C);
        w->gWc = fsnsa__alloc_floats(H * P);
        w->gbv = fsnsa__alloc_floats(H);
        w->gbc = fsnsa__alloc_floats(H * C);
        ok = ok && w->gT && w->gr && w->gWx && w->gBx && w->gc &&
             w->logits && w->gWc && w->gbv && w->gbc;
    }
    if (!ok) {
        fsnsa__work_free(w);
        return -1;
    }
    return 0;
}

int fsnsa__work_init(fsnsa__work *w, size_t H, size_t P, size_t C, size_t B)
{
    return work_alloc(w, H, P, C, B, 1);
}

int fsnsa__work_init_forward(fsnsa__work *w, size_t H, size_t P, size_t C)
{
    return work_alloc(w, H, P, C, FSNSA__RBMAX, 0);
}

/* fixed-order sum of 16 lanes (by pointer: see RELU16) */
SIMD_INLINE float hsum16(const v16f *tp)
{
    const v16f t = *tp;
    float s8[8], s4[4], s2[2];
    for (int l = 0; l < 8; l++)
        s8[l] = t[l] + t[l + 8];
    for (int l = 0; l < 4; l++)
        s4[l] = s8[l] + s8[l + 4];
    for (int l = 0; l < 2; l++)
        s2[l] = s4[l] + s4[l + 2];
    return s2[0] + s2[1];
}

/* What the backward's gW tiles need (kernels_isa.h) */
typedef struct {
    float *gWx;                 /* H x P16: gW and gb (column p) */
    const float *xr;            /* RB x P16: the block's rows, 1 at p */
    float *W, *gWc, *gbv;       /* weights; compact gW, gb */
    size_t P16, Bv, p;
    int first;                  /* first row block: sums start at 0 */
    const fsnsa__adam *adam;    /* set on the last block of a training step */
    const fsnsa__moments *mo;
} bwd_ctx;

/* A finished gW tile (rows j..j+JT-1, columns [c0, c0+ncol) of the
 * extended row: features, then gb at column p, then zero padding; tb is
 * JT x ncol): gb to gbv, and the Adam update of those weights now, while
 * they are in cache and while the next tile's FMAs keep the other units
 * busy (Adam waits on the divider). Adam is elementwise, so updating tile
 * by tile gives the same bits as one update of the whole matrix. Whole
 * rows are first packed (into gWc, as the step without Adam leaves them)
 * so that one call covers the tile. */
static void fuse_tile(const bwd_ctx *c, size_t j, size_t JT, size_t c0,
                      size_t ncol, const float *tb)
{
    const size_t p = c->p, c1 = c0 + ncol < p ? c0 + ncol : p;
    const fsnsa__moments *mo = c->mo;
    if (p >= c0 && p < c0 + ncol)
        for (size_t t = 0; t < JT; t++)
            c->gbv[j + t] = tb[t * ncol + (p - c0)];
    if (c0 == 0 && c1 == p) {
        for (size_t t = 0; t < JT; t++)
            memcpy(c->gWc + (j + t) * p, tb + t * ncol, p * sizeof(float));
        fsnsa__adam_update(c->adam, JT * p, c->W + j * p, c->gWc + j * p,
                           mo->mW + j * p, mo->vW + j * p);
    } else if (c1 > c0) {
        for (size_t t = 0; t < JT; t++) {
            size_t o = (j + t) * p + c0;
            fsnsa__adam_update(c->adam, c1 - c0, c->W + o, tb + t * ncol,
                               mo->mW + o, mo->vW + o);
        }
    }
}

/* ------------------------------------------------------------------ */
/* One copy of the inner loops per instruction set (kernels_isa.h on   */
/* the vector layer of simd.h), chosen at run time                      */
/* ------------------------------------------------------------------ */

#if FSNSA__X86
#define SIMD_ISA FSNSA__CPU_AVX512
#include "simd.h"
#define BWD_NBMAX 8
#include "kernels_isa.h"

#define SIMD_ISA FSNSA__CPU_AVX2
#include "simd.h"
#define BWD_NBMAX 4
#include "kernels_isa.h"
#endif

#define SIMD_ISA FSNSA__CPU_BASE
#include "simd.h"
#define BWD_NBMAX 8
#include "kernels_isa.h"

typedef void (*fwd_fn)(const fsnsa_net *, const fsnsa__work *, size_t);
typedef void (*bwd_fn)(const fsnsa_net *, fsnsa__work *, size_t, size_t, int,
                       const fsnsa__adam *, const fsnsa__moments *);

static void pick_kernels(int level, fwd_fn *f, bwd_fn *b)
{
    *f = fwd_base;
    *b = bwd_base;
#if FSNSA__X86
    if (level >= FSNSA__CPU_AVX512) {
        *f = fwd_avx512;
        *b = bwd_avx512;
    } else if (level == FSNSA__CPU_AVX2) {
        *f = fwd_avx2;
        *b = bwd_avx2;
    }
#else
    (void)level;
#endif
}

/* ------------------------------------------------------------------ */
/* The step                                                             */
/* ------------------------------------------------------------------ */

static void gather_block(const fsnsa_net *net, fsnsa__work *w,
                         const float *X, size_t ldx, const size_t *rows,
                         size_t r0, size_t Bv)
{
    const size_t p = net->p, RB = w->RB, P16 = w->P16;
    const size_t pe = (p + 1 + 15) / 16 * 16;
    for (size_t r = 0; r < RB; r++) {
        float *xrr = w->xr + r * P16;
        if (r >= Bv) {
            memset(xrr, 0, pe * sizeof(float));
            for (size_t i = 0; i < p; i++)
                w->xT[i * RB + r] = 0.0f;
            continue;
        }
        size_t row = rows ? rows[r0 + r] : r0 + r;
        const float *src = X + row * ldx;
        memcpy(xrr, src, p * sizeof(float));
        xrr[p] = 1.0f;
        for (size_t i = p + 1; i < pe; i++)
            xrr[i] = 0.0f;
        for (size_t i = 0; i < p; i++)
            w->xT[i * RB + r] = src[i];
    }
}

/* logits of row r of the block: chunk partials in chunk order, + c */
static void row_logits(const fsnsa_net *net, const fsnsa__work *w, size_t r,
                       float *l)
{
    const size_t C = net->n_out, RB = w->RB;
    const size_t nch = (net->h + JC - 1) / JC;
    for (size_t k = 0; k < C; k++) {
        float s = w->lp[k * RB + r];
        for (size_t ch = 1; ch < nch; ch++)
            s = s + w->lp[(ch * C + k) * RB + r];
        l[k] = s + net->c[k];
    }
}

void fsnsa__forward_logits(const fsnsa_net *net, const float *X, size_t ldx,
                           size_t n, fsnsa__work *w, float *logits)
{
    fwd_fn fwd;
    bwd_fn bwd;
    pick_kernels(fsnsa__cpu_level(), &fwd, &bwd);
    const size_t RB = w->RB, nch = (net->h + JC - 1) / JC;
    for (size_t r0 = 0; r0 < n; r0 += RB) {
        size_t Bv = n - r0 < RB ? n - r0 : RB;
        gather_block(net, w, X, ldx, NULL, r0, Bv);
        for (size_t ch = 0; ch < nch; ch++)
            fwd(net, w, ch);
        for (size_t r = 0; r < Bv; r++)
            row_logits(net, w, r, logits + (r0 + r) * net->n_out);
    }
}

/* logits, loss, dL/dlogits of the block; returns the summed loss */
static double output_block(const fsnsa_net *net, fsnsa__work *w,
                           const int32_t *y, const size_t *rows, size_t r0,
                           size_t Bv, size_t B, int first)
{
    const size_t C = net->n_out, RB = w->RB, K16 = w->K16;
    const float inv_b = 1.0f / (float)B;
    double loss = 0.0;
    if (first)
        for (size_t k = 0; k < C; k++)
            w->gc[k] = 0.0f;
    for (size_t r = 0; r < RB; r++) {
        float *g = w->gr + r * K16;
        if (r >= Bv) {
            memset(g, 0, K16 * sizeof(float));
            for (size_t k = 0; k < C; k++)
                w->gT[k * RB + r] = 0.0f;
            continue;
        }
        float *l = w->logits + r * C;
        row_logits(net, w, r, l);
        size_t row = rows ? rows[r0 + r] : r0 + r;
        int32_t yr = w->target != NULL ? 0 : y[row];
        if (w->target != NULL) {
            loss += fsnsa__sq_loss_grad(l[0], w->target[row], inv_b, g);
        } else if (w->class_weight == NULL) {
            loss += fsnsa__logit_loss_grad(l, C, yr, inv_b, g);
        } else { /* the row's weight scales its gradient and its loss */
            float wt = w->class_weight[yr];
            loss += (double)wt * fsnsa__logit_loss_grad(l, C, yr, inv_b * wt, g);
        }
        for (size_t k = C; k < K16; k++)
            g[k] = 0.0f;
        for (size_t k = 0; k < C; k++) {
            w->gT[k * RB + r] = g[k];
            w->gc[k] += g[k];
        }
    }
    return loss;
}

/* after the last block: compact gradients of the chunk, then its Adam
 * (with adam set, W's update already ran tile by tile in the backward and
 * gb is in gbv) */
static void finish_chunk(fsnsa_net *net, fsnsa__work *w, size_t ch,
                         const fsnsa__adam *adam, const fsnsa__moments *mo)
{
    const size_t p = net->p, C = net->n_out, P16 = w->P16;
    size_t j0 = ch * JC, j1 = j0 + JC < net->h ? j0 + JC : net->h, nj = j1 - j0;
    for (size_t j = j0; j < j1; j++) {
        if (adam == NULL) {
            memcpy(w->gWc + j * p, w->gWx + j * P16, p * sizeof(float));
            w->gbv[j] = w->gWx[j * P16 + p];
        }
        if (C > 1)
            memcpy(w->gbc + j * C, w->gBx + j * w->K16, C * sizeof(float));
    }
    if (adam == NULL)
        return;
    fsnsa__adam_update(adam, nj, net->b + j0, w->gbv + j0, mo->mb + j0,
                       mo->vb + j0);
    fsnsa__adam_update(adam, nj * C, net->beta + j0 * C, w->gbc + j0 * C,
                       mo->mbeta + j0 * C, mo->vbeta + j0 * C);
}

/* One training step's arguments, shared by the threads that run it. */
typedef struct {
    fsnsa_net *net;
    const float *X;
    size_t ldx;
    const size_t *rows;
    const int32_t *y;
    size_t B;
    fsnsa__work *w;
    const fsnsa__adam *adam;
    const fsnsa__moments *mom;
    fwd_fn fwd;
    bwd_fn bwd;
    double loss; /* the rows' summed loss, added to by thread 0 */
} step_args;

/* Wait for the other threads of the step (none when nt == 1: then no
 * OpenMP construct runs at all, see fsnsa__grad_step). */
static void step_sync(int nt)
{
    if (nt > 1) {
#pragma omp barrier
    }
}

/* The row-block loop of a step, for thread tid of nt (nt == 1: the whole
 * step in the calling thread). Thread 0 does the serial parts (gather,
 * logits and loss); the node chunks are split into nt contiguous ranges,
 * as OpenMP's static schedule does. */
static void step_blocks(step_args *s, int tid, int nt)
{
    fsnsa__work *w = s->w;
    const size_t RB = w->RB, nblk = (s->B + RB - 1) / RB;
    const size_t nch = (s->net->h + JC - 1) / JC;
    const size_t per = nch / (size_t)nt, extra = nch % (size_t)nt;
    const size_t t = (size_t)tid;
    const size_t ch0 = t * per + (t < extra ? t : extra);
    const size_t ch1 = ch0 + per + (t < extra);
    for (size_t blk = 0; blk < nblk; blk++) {
        size_t r0 = blk * RB, Bv = s->B - r0 < RB ? s->B - r0 : RB;
        int first = blk == 0, last = blk + 1 == nblk;
        if (tid == 0)
            gather_block(s->net, w, s->X, s->ldx, s->rows, r0, Bv);
        step_sync(nt);
        for (size_t ch = ch0; ch < ch1; ch++)
            s->fwd(s->net, w, ch);
        step_sync(nt);
        if (tid == 0)
            s->loss += output_block(s->net, w, s->y, s->rows, r0, Bv, s->B, first);
        step_sync(nt);
        for (size_t ch = ch0; ch < ch1; ch++) {
            s->bwd(s->net, w, ch, Bv, first, last ? s->adam : NULL, s->mom);
            if (last)
                finish_chunk(s->net, w, ch, s->adam, s->mom);
        }
        if (!last) /* the next block's gather overwrites this one's rows */
            step_sync(nt);
    }
}

double fsnsa__grad_step(fsnsa_net *net, const float *X, size_t ldx,
                        const size_t *rows, const int32_t *y, size_t B,
                        fsnsa__work *w, const fsnsa__adam *adam,
                        const fsnsa__moments *mom)
{
    step_args s = {net, X, ldx, rows, y, B, w, adam, mom, NULL, NULL, 0.0};
    pick_kernels(adam != NULL ? adam->level : fsnsa__cpu_level(), &s.fwd,
                 &s.bwd);
    const size_t RB = w->RB, nch = (net->h + JC - 1) / JC;
    /* threads only where each row block has enough work to pay for the
     * four barriers it costs: with OMP_WAIT_POLICY=PASSIVE (or a busy
     * machine) a barrier is a futex wake-up of tens of microseconds, and
     * W2/W3 (h = 1024, p = 15: 1e6 per block) ran 4x slower on 2 threads
     * than on 1; W4 (512 x 643 x 16 = 5.3e6) still gains */
    int nt = w->threads;
    double block_rows = (double)(B < RB ? B : RB);
    double work = (double)net->h * (double)(net->p + net->n_out) * block_rows;
    if (work < 4e6 || nch < 2)
        nt = 1;
    if ((size_t)nt > nch)
        nt = (int)nch;
    if (nt == 1) {
        /* no OpenMP region at all: inside parallel restarts, entering even
         * a one-thread nested region every step (a team allocated, shared
         * libgomp counters touched) costs W6 ~10 % of its 2-thread speed */
        step_blocks(&s, 0, 1);
    } else {
#ifdef _OPENMP
#pragma omp parallel num_threads(nt)
        step_blocks(&s, omp_get_thread_num(), omp_get_num_threads());
#else
        step_blocks(&s, 0, 1);
#endif
    }
    if (adam != NULL)
        fsnsa__adam_update(adam, net->n_out, net->c, w->gc, mom->mc, mom->vc);
    return s.loss;
}

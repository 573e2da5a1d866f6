/* The annealing schedules of Sections 3.1 and 3.2. Both have the form
 *   final + floor((full - final) * max(0, (Ns - 2 es) / (2 es mu + Ns)))
 * with Ns = (1 - s) N and es = max(0, e - s N), s = 1/4 for nodes and
 * s = 3/5 for features. Scaling numerator and denominator by 1/s's
 * denominator keeps everything in integers, so floor() is exact when mu is
 * integral (the paper's mu = 30); other mu use long double. The pruning
 * steps that the schedules drive are here too. */
#include "core/core.h"

#include "anneal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t anneal(int e, int epochs, long num_s, long den_s, size_t full,
                     size_t final, double mu)
{
    if (full <= final || epochs <= 0)
        return final < full ? final : full;
    /* times den_s: Ns' = (den_s - num_s) N, es' = max(0, den_s e - num_s N) */
    long long N = epochs;
    long long ns = (den_s - num_s) * N;
    long long es = (long long)den_s * e - (long long)num_s * N;
    if (es < 0)
        es = 0;
    long long num = ns - 2 * es;
    if (num <= 0)
        return final;
    unsigned long long range = full - final;
    if (mu == floor(mu) && mu >= 0 && mu < 1e6) {
        long long den = 2 * es * (long long)mu + ns;
        /* range * num fits: range < 2^40 and num <= 3N < 2^23 in practice;
         * fall back to long double when it would not. */
        if (range < (1ull << 40) && (unsigned long long)num < (1ull << 23))
            return final + (size_t)((range * (unsigned long long)num) /
                                    (unsigned long long)den);
    }
    long double ratio = (long double)num / (2.0L * es * mu + ns);
    return final + (size_t)floorl(range * ratio);
}

size_t fsnsa_schedule_nodes(int e, int epochs, size_t H, size_t h, double mu)
{
    return anneal(e, epochs, 1, 4, H, h, mu);
}

size_t fsnsa_schedule_features(int e, int epochs, size_t p, size_t k, double mu)
{
    return anneal(e, epochs, 3, 5, p, k, mu);
}

void fsnsa__keep_rows(float *a, size_t cols, const size_t *keep, size_t m)
{
    for (size_t r = 0; r < m; r++)
        if (keep[r] != r)
            memmove(a + r * cols, a + keep[r] * cols, cols * sizeof *a);
}

void fsnsa__keep_cols(float *a, size_t rows, size_t cols, const size_t *keep,
                      size_t m)
{
    /* writes never overtake reads: row r is written at r*m <= r*cols */
    for (size_t r = 0; r < rows; r++) {
        const float *src = a + r * cols;
        float *dst = a + r * m;
        for (size_t i = 0; i < m; i++)
            dst[i] = src[keep[i]];
    }
}

void fsnsa__rank_nodes(const fsnsa_net *net, size_t h_new, float *score,
                       size_t *keep, size_t *work)
{
    fsnsa_net_node_scores(net, score);
    fsnsa__top_indices(score, net->h, h_new, keep, work);
}

void fsnsa__rank_features(const fsnsa_net *net, size_t p_new, float *score,
                          size_t *keep, size_t *work)
{
    fsnsa_net_feature_scores(net, score);
    fsnsa__top_indices(score, net->p, p_new, keep, work);
}

void fsnsa__keep_nodes(float *block, const fsnsa__layout *L, size_t p,
                       const size_t *keep, size_t h_new)
{
    fsnsa__keep_rows(block + L->W, p, keep, h_new);
    fsnsa__keep_rows(block + L->b, 1, keep, h_new);
    fsnsa__keep_rows(block + L->beta, L->C, keep, h_new);
}

void fsnsa__keep_features(float *block, const fsnsa__layout *L, size_t h,
                          size_t p, const size_t *keep, size_t p_new)
{
    fsnsa__keep_cols(block + L->W, h, p, keep, p_new);
}

/* ------------------------------------------------------------------ */
/* Top-m selection for the rankings                                     */
/* ------------------------------------------------------------------ */

/* Order: larger score first, then lower index. NaN scores sort last so a
 * diverged node is pruned first rather than kept. */
static int better(const float *s, size_t a, size_t b)
{
    float x = s[a], y = s[b];
    int xn = x != x, yn = y != y;
    if (xn != yn)
        return yn;
    if (!xn && x != y)
        return x > y;
    return a < b;
}

static void sift_down(const float *s, size_t *heap, size_t n, size_t i)
{
    /* min-heap by `better`: the root is the worst of the kept */
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, w = i;
        if (l < n && better(s, heap[w], heap[l]))
            w = l;
        if (r < n && better(s, heap[w], heap[r]))
            w = r;
        if (w == i)
            return;
        size_t t = heap[i];
        heap[i] = heap[w];
        heap[w] = t;
        i = w;
    }
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

void fsnsa__top_indices(const float *score, size_t n, size_t m, size_t *keep,
                        size_t *work)
{
    if (m > n)
        m = n;
    if (m == 0)
        return;
    /* Heap of the m best seen so far: O(n log m), no allocation. */
    size_t *heap = work;
    for (size_t i = 0; i < m; i++)
        heap[i] = i;
    for (size_t i = m / 2; i-- > 0;)
        sift_down(score, heap, m, i);
    for (size_t i = m; i < n; i++) {
        if (better(score, i, heap[0])) {
            heap[0] = i;
            sift_down(score, heap, m, 0);
        }
    }
    memcpy(keep, heap, m * sizeof *keep);
    qsort(keep, m, sizeof *keep, cmp_size);
}

/* The one-hidden-layer ReLU network of Eq. (2), its normalization Eq. (3),
 * the pruning scores (|beta_j| and Eq. (4)) and inference. */
#include "core/core.h"
#include "kernels.h"
#include "loss.h"
#include "network.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void fsnsa_net_free(fsnsa_net *net)
{
    if (net == NULL)
        return;
    free(net->features);
    free(net->W); /* the block of W, b, beta and c */
    free(net);
}

static size_t line_up(size_t floats) { return (floats + 15) / 16 * 16; }

bool fsnsa__layout_of(size_t H, size_t P, size_t C, fsnsa__layout *L)
{
    size_t hp, hc;
    /* each region rounded up to 16 floats, so no sum below can overflow
     * once the products fit in a quarter of the range */
    if (!fsnsa__mul(H, P, &hp) || !fsnsa__mul(H, C, &hc) ||
        hp > SIZE_MAX / 16 || hc > SIZE_MAX / 16 || H > SIZE_MAX / 16 ||
        C > SIZE_MAX / 16)
        return false;
    L->C = C;
    L->W = 0;
    L->b = line_up(hp);
    L->beta = L->b + line_up(H);
    L->c = L->beta + line_up(hc);
    L->size = L->c + line_up(C);
    return L->size <= SIZE_MAX / sizeof(float);
}

fsnsa_status fsnsa__net_alloc(size_t p_in, size_t p, size_t h,
                              size_t n_classes, fsnsa_net **out,
                              fsnsa_error *err)
{
    *out = NULL;
    if (n_classes < 1) /* 1: regression, one linear output */
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "a network needs at least 2 classes (1 for regression)");
    if (p == 0 || h == 0 || p > p_in)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "invalid network size: %zu of %zu features, %zu nodes",
                           p, p_in, h);
    size_t n_out = n_classes <= 2 ? 1 : n_classes;
    fsnsa__layout L;
    if (!fsnsa__layout_of(h, p, n_out, &L))
        return fsnsa__fail(err, FSNSA_ERR_LIMIT, "network of %zu x %zu is too large", h, p);
    fsnsa_net *net = calloc(1, sizeof *net);
    if (net == NULL)
        return fsnsa__nomem(err, "a network");
    net->p_in = p_in;
    net->p = p;
    net->h = h;
    net->n_out = n_out;
    net->n_classes = n_classes;
    net->features = fsnsa__alloc(p, sizeof *net->features);
    float *block = fsnsa__alloc_floats(L.size);
    if (!net->features || !block) {
        free(block);
        fsnsa_net_free(net);
        return fsnsa__nomem(err, "a network");
    }
    net->W = block + L.W;
    net->b = block + L.b;
    net->beta = block + L.beta;
    net->c = block + L.c;
    *out = net;
    return FSNSA_OK;
}

fsnsa_status fsnsa_net_create(size_t p_in, size_t h, size_t n_classes,
                              uint64_t seed, fsnsa_net **out, fsnsa_error *err)
{
    fsnsa_status st = fsnsa__net_alloc(p_in, p_in, h, n_classes, out, err);
    if (st != FSNSA_OK)
        return st;
    fsnsa_net *net = *out;
    for (size_t i = 0; i < p_in; i++)
        net->features[i] = i;
    /* PyTorch's nn.Linear default: kaiming_uniform(a = sqrt 5) for the
     * weights, which is U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the same
     * bound for the bias. Hidden layer first, then output, as torch does. */
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, seed);
    float b1 = (float)(1.0 / sqrt((double)p_in));
    float b2 = (float)(1.0 / sqrt((double)h));
    for (size_t i = 0; i < h * p_in; i++)
        net->W[i] = (2.0f * fsnsa_rng_uniform(&rng) - 1.0f) * b1;
    for (size_t j = 0; j < h; j++)
        net->b[j] = (2.0f * fsnsa_rng_uniform(&rng) - 1.0f) * b1;
    for (size_t i = 0; i < h * net->n_out; i++)
        net->beta[i] = (2.0f * fsnsa_rng_uniform(&rng) - 1.0f) * b2;
    for (size_t k = 0; k < net->n_out; k++)
        net->c[k] = (2.0f * fsnsa_rng_uniform(&rng) - 1.0f) * b2;
    return FSNSA_OK;
}

fsnsa_status fsnsa_net_copy(const fsnsa_net *src, fsnsa_net **out,
                            fsnsa_error *err)
{
    fsnsa_status st =
        fsnsa__net_alloc(src->p_in, src->p, src->h, src->n_classes, out, err);
    if (st != FSNSA_OK)
        return st;
    fsnsa__net_copy_into(*out, src);
    return FSNSA_OK;
}

bool fsnsa__net_same_shape(const fsnsa_net *a, const fsnsa_net *b)
{
    return a->p_in == b->p_in && a->p == b->p && a->h == b->h &&
           a->n_out == b->n_out && a->n_classes == b->n_classes;
}

void fsnsa__net_copy_into(fsnsa_net *d, const fsnsa_net *src)
{
    memcpy(d->features, src->features, src->p * sizeof *d->features);
    memcpy(d->W, src->W, src->h * src->p * sizeof *d->W);
    memcpy(d->b, src->b, src->h * sizeof *d->b);
    memcpy(d->beta, src->beta, src->h * src->n_out * sizeof *d->beta);
    memcpy(d->c, src->c, src->n_out * sizeof *d->c);
}

size_t fsnsa_net_weight_count(const fsnsa_net *net)
{
    return net->h * net->p + net->h * net->n_out;
}

void fsnsa_net_normalize(fsnsa_net *net)
{
    for (size_t j = 0; j < net->h; j++) {
        float *w = net->W + j * net->p;
        double ss = 0.0;
        for (size_t i = 0; i < net->p; i++)
            ss += (double)w[i] * w[i];
        /* A node whose weights are all zero has no direction to normalize;
         * it is left alone (as the PyTorch reference does). */
        if (!(ss > 0.0) || !isfinite(ss))
            continue;
        double norm = sqrt(ss);
        float inv = (float)(1.0 / norm), s = (float)norm;
        for (size_t i = 0; i < net->p; i++)
            w[i] *= inv;
        net->b[j] *= inv;
        for (size_t k = 0; k < net->n_out; k++)
            net->beta[j * net->n_out + k] *= s;
    }
}

void fsnsa_net_node_scores(const fsnsa_net *net, float *score)
{
    for (size_t j = 0; j < net->h; j++) {
        const float *bj = net->beta + j * net->n_out;
        if (net->n_out == 1) {
            score[j] = fabsf(bj[0]);
            continue;
        }
        double ss = 0.0;
        for (size_t k = 0; k < net->n_out; k++)
            ss += (double)bj[k] * bj[k];
        score[j] = (float)sqrt(ss);
    }
}

void fsnsa_net_feature_scores(const fsnsa_net *net, float *score)
{
    /* column norms of W; accumulate row by row for contiguous access */
    double *acc = NULL;
    double small[256];
    if (net->p <= 256)
        acc = small;
    else if ((acc = calloc(net->p, sizeof *acc)) == NULL) {
        /* fall back to a slower column walk rather than fail */
        for (size_t i = 0; i < net->p; i++) {
            double ss = 0.0;
            for (size_t j = 0; j < net->h; j++) {
                double w = net->W[j * net->p + i];
                ss += w * w;
            }
            score[i] = (float)sqrt(ss);
        }
        return;
    }
    memset(acc, 0, net->p * sizeof *acc);
    for (size_t j = 0; j < net->h; j++) {
        const float *w = net->W + j * net->p;
        for (size_t i = 0; i < net->p; i++)
            acc[i] += (double)w[i] * w[i];
    }
    for (size_t i = 0; i < net->p; i++)
        score[i] = (float)sqrt(acc[i]);
    if (acc != small)
        free(acc);
}

/* Rows are processed in chunks so memory stays bounded for any n. The
 * forward is the training step's own (kernels.c), not BLAS: its order of
 * operations is fixed, so predictions and losses are the same bits for
 * any thread count (OpenBLAS's sgemm sums in an order that depends on
 * how many threads it splits the product over) and equal the logits that
 * training computed. */
enum { PREDICT_CHUNK = 512 };

typedef fsnsa__eval_buf chunk_buf;

fsnsa_status fsnsa__eval_buf_init(fsnsa__eval_buf *cb, size_t h, size_t p,
                                  size_t n_out, fsnsa_error *err)
{
    cb->xb = fsnsa__alloc((size_t)PREDICT_CHUNK * p, sizeof(float));
    cb->logits = fsnsa__alloc((size_t)PREDICT_CHUNK * n_out, sizeof(float));
    int wfail = fsnsa__work_init_forward(&cb->w, h, p, n_out);
    if (!cb->xb || !cb->logits || wfail) {
        free(cb->xb);
        free(cb->logits);
        if (!wfail)
            fsnsa__work_free(&cb->w);
        cb->xb = cb->logits = NULL;
        return fsnsa__nomem(err, "prediction buffers");
    }
    return FSNSA_OK;
}

void fsnsa__eval_buf_free(fsnsa__eval_buf *cb)
{
    if (cb->xb == NULL)
        return;
    free(cb->xb);
    free(cb->logits);
    fsnsa__work_free(&cb->w);
    cb->xb = cb->logits = NULL;
}

static fsnsa_status chunk_alloc(const fsnsa_net *net, chunk_buf *cb,
                                fsnsa_error *err)
{
    return fsnsa__eval_buf_init(cb, net->h, net->p, net->n_out, err);
}

static void chunk_free(chunk_buf *cb)
{
    fsnsa__eval_buf_free(cb);
}

static void gather(const fsnsa_net *net, const float *x, size_t ldx,
                   size_t r0, size_t rows, float *xb)
{
    for (size_t r = 0; r < rows; r++) {
        const float *src = x + (r0 + r) * ldx;
        float *dst = xb + r * net->p;
        for (size_t i = 0; i < net->p; i++)
            dst[i] = src[net->features[i]];
    }
}

fsnsa_status fsnsa_net_predict(const fsnsa_net *net, const float *x, size_t n,
                               size_t ldx, float *prob, fsnsa_error *err)
{
    if (ldx < net->p_in)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "data has %zu columns, the network reads %zu", ldx,
                           net->p_in);
    chunk_buf cb;
    fsnsa_status st = chunk_alloc(net, &cb, err);
    if (st != FSNSA_OK)
        return st;
    size_t C = net->n_classes;
    for (size_t r0 = 0; r0 < n; r0 += PREDICT_CHUNK) {
        size_t rows = n - r0 < PREDICT_CHUNK ? n - r0 : PREDICT_CHUNK;
        gather(net, x, ldx, r0, rows, cb.xb);
        fsnsa__forward_logits(net, cb.xb, net->p, rows, &cb.w, cb.logits);
        for (size_t r = 0; r < rows && C == 1; r++) /* regression */
            prob[r0 + r] = cb.logits[r];
        for (size_t r = 0; r < rows && C > 1; r++)
            fsnsa__logit_probs(cb.logits + r * net->n_out, net->n_out,
                               prob + (r0 + r) * C);
    }
    chunk_free(&cb);
    return FSNSA_OK;
}

/* The logits' predicted class: the prediction's argmax (fsnsa_accuracy
 * picks the first of equal probabilities; one logit: class 1 when > 0). */
static int32_t logit_class(const float *l, size_t n_out)
{
    if (n_out == 1)
        return l[0] > 0.0f;
    size_t best = 0;
    for (size_t k = 1; k < n_out; k++)
        if (l[k] > l[best])
            best = k;
    return (int32_t)best;
}

/* A regression net's mean squared error on d's targets and their R^2,
 * from the training step's forward (the same bits as training). */
static fsnsa_status eval_regression(const fsnsa_net *net,
                                    const fsnsa_dataset *d, chunk_buf *cb,
                                    double *loss, double *r2)
{
    double mean = 0.0, ss_tot = 0.0, ss_res = 0.0;
    for (size_t i = 0; i < d->n; i++)
        mean += d->target[i];
    mean = d->n ? mean / (double)d->n : NAN;
    for (size_t r0 = 0; r0 < d->n; r0 += PREDICT_CHUNK) {
        size_t rows = d->n - r0 < PREDICT_CHUNK ? d->n - r0 : PREDICT_CHUNK;
        gather(net, d->x, d->p, r0, rows, cb->xb);
        fsnsa__forward_logits(net, cb->xb, net->p, rows, &cb->w, cb->logits);
        for (size_t r = 0; r < rows; r++) {
            double t = d->target[r0 + r], e = (double)cb->logits[r] - t;
            ss_res += e * e;
            ss_tot += (t - mean) * (t - mean);
        }
    }
    *loss = d->n ? ss_res / (double)d->n : NAN;
    if (r2 != NULL)
        *r2 = ss_tot > 0 ? 1.0 - ss_res / ss_tot : NAN;
    return FSNSA_OK;
}

/* A classifier's mean (class-weighted when w is given) cross-entropy on
 * d's labelled rows and its accuracy. */
static void eval_classification(const fsnsa_net *net, const fsnsa_dataset *d,
                                const float *w, chunk_buf *cb, double *loss,
                                double *accuracy)
{
    double sum = 0.0;
    size_t counted = 0, right = 0;
    for (size_t r0 = 0; r0 < d->n; r0 += PREDICT_CHUNK) {
        size_t rows = d->n - r0 < PREDICT_CHUNK ? d->n - r0 : PREDICT_CHUNK;
        gather(net, d->x, d->p, r0, rows, cb->xb);
        fsnsa__forward_logits(net, cb->xb, net->p, rows, &cb->w, cb->logits);
        for (size_t r = 0; r < rows; r++) {
            int32_t y = d->y[r0 + r];
            if (y < 0 || (size_t)y >= net->n_classes)
                continue;
            const float *l = cb->logits + r * net->n_out;
            double lr = fsnsa__logit_loss(l, net->n_out, y);
            sum += w != NULL ? (double)w[y] * lr : lr;
            right += logit_class(l, net->n_out) == y;
            counted++;
        }
    }
    *loss = counted ? sum / (double)counted : NAN;
    if (accuracy != NULL)
        *accuracy = counted ? (double)right / (double)counted : NAN;
}

fsnsa_status fsnsa__net_eval(const fsnsa_net *net, const fsnsa_dataset *d,
                             const float *w, fsnsa__eval_buf *buf,
                             double *loss, double *accuracy, fsnsa_error *err)
{
    if (net->n_classes == 1 && d->target == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "a regression network needs data with targets");
    if (d->p < net->p_in)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "data has %zu columns, the network reads %zu", d->p,
                           net->p_in);
    chunk_buf own = {0};
    fsnsa_status st = buf != NULL ? FSNSA_OK : chunk_alloc(net, &own, err);
    if (st != FSNSA_OK)
        return st;
    chunk_buf *cb = buf != NULL ? buf : &own;
    if (net->n_classes == 1)
        st = eval_regression(net, d, cb, loss, accuracy);
    else
        eval_classification(net, d, w, cb, loss, accuracy);
    chunk_free(&own);
    return st;
}

fsnsa_status fsnsa_net_loss(const fsnsa_net *net, const fsnsa_dataset *d,
                            double *loss, fsnsa_error *err)
{
    return fsnsa__net_eval(net, d, NULL, NULL, loss, NULL, err);
}

fsnsa_status fsnsa_net_loss_weighted(const fsnsa_net *net,
                                     const fsnsa_dataset *d, const float *w,
                                     double *loss, fsnsa_error *err)
{
    return fsnsa__net_eval(net, d, w, NULL, loss, NULL, err);
}

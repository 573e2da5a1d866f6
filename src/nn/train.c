/* The training loop: mini-batch Adam on cross-entropy, and after each epoch
 * the annealing steps of Algorithms 1 and 2 (normalize by Eq. 3, keep the
 * h_e best nodes, keep the p_e best features by Eq. 4). Every buffer is
 * allocated once, at the starting size; pruning compacts parameters, Adam
 * moments and the working copy of the data in place, so each epoch costs
 * what the current, smaller network costs. See docs/algorithm.md. */
#include "adam.h"
#include "anneal.h"
#include "core/core.h"
#include "kernels.h"
#include "network.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

void fsnsa_train_options_default(fsnsa_train_options *o)
{
    memset(o, 0, sizeof *o);
    o->method = FSNSA_METHOD_FSA_NSA;
    o->hidden = 0;   /* fsnsa_train_default_hidden */
    o->start_hidden = 1024;
    o->features = 0; /* half the columns, for the methods that select */
    o->epochs = 300;
    o->mu = 30.0;
    o->batch = 32;
    o->lr = 0.001;
    o->beta1 = 0.9;
    o->beta2 = 0.999;
    o->eps = 1e-8;
    o->weight_decay = 1e-4;
    o->seed = 1;
    o->shuffle = 1;
}

static bool prunes_nodes(fsnsa_method m)
{
    return m == FSNSA_METHOD_NSA || m == FSNSA_METHOD_FSA_NSA;
}

static bool selects_features(fsnsa_method m)
{
    return m == FSNSA_METHOD_FSA || m == FSNSA_METHOD_FSA_NSA;
}

size_t fsnsa_train_default_hidden(fsnsa_method m)
{
    return prunes_nodes(m) ? 128 : 64;
}

fsnsa_status fsnsa_train_options_resolve(const fsnsa_train_options *o,
                                         size_t p_in,
                                         fsnsa_train_options *out,
                                         fsnsa_error *err)
{
    *out = *o;
    if (out->hidden == 0)
        out->hidden = fsnsa_train_default_hidden(out->method);
    if (out->features == 0 && selects_features(out->method))
        out->features = (p_in + 1) / 2;
    return fsnsa_train_options_check(out, p_in, err);
}

fsnsa_status fsnsa_train_options_check(const fsnsa_train_options *o,
                                       size_t p_in, fsnsa_error *err)
{
    if ((int)o->method < 0 || o->method > FSNSA_METHOD_FSA_NSA)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "unknown method %d", (int)o->method);
    if (o->epochs < 0 || o->epochs > 10000000)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "epochs must be in [0, 10000000], got %d", o->epochs);
    size_t h = o->hidden != 0 ? o->hidden : fsnsa_train_default_hidden(o->method);
    if (h > ((size_t)1 << 24))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "hidden nodes must be in [1, 2^24], got %zu", o->hidden);
    if (prunes_nodes(o->method) &&
        (o->start_hidden < h || o->start_hidden > ((size_t)1 << 24)))
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "%s needs hidden <= start-hidden <= 2^24, got hidden %zu, start-hidden %zu",
                           fsnsa_method_name(o->method), h, o->start_hidden);
    if (selects_features(o->method) && o->features > p_in)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "%s needs features <= %zu (the data's columns), got %zu",
                           fsnsa_method_name(o->method), p_in, o->features);
    if (!(o->mu >= 0 && o->mu <= 1e9))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "mu must be in [0, 1e9], got %g", o->mu);
    if (!(o->lr > 0 && isfinite(o->lr)))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "learning rate must be positive, got %g", o->lr);
    if (!(o->beta1 >= 0 && o->beta1 < 1) || !(o->beta2 >= 0 && o->beta2 < 1))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "Adam betas must be in [0, 1), got %g, %g",
                           o->beta1, o->beta2);
    if (!(o->eps > 0 && isfinite(o->eps)))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "Adam eps must be positive, got %g", o->eps);
    if (!(o->weight_decay >= 0 && isfinite(o->weight_decay)))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "weight decay must be >= 0, got %g", o->weight_decay);
    return FSNSA_OK;
}

/* Everything one training run needs, sized once for the starting network. */
typedef struct {
    fsnsa_net *net;       /* arrays keep their starting capacity */
    size_t C;             /* n_out */
    size_t n, B;          /* rows, batch rows */
    const float *X;       /* training data in use, n x ldx */
    size_t ldx;
    float *Xown;          /* working copy when features are gathered */
    const int32_t *y;
    size_t *perm;
    fsnsa__work ws;       /* the step's buffers (kernels.c) */
    fsnsa__layout layout; /* of the net's parameter block (net->W) */
    float *moments;       /* Adam's m and v: two blocks of that layout */
    fsnsa__moments mo;    /* the regions of m and v, for the step */
    float *score;         /* pruning: scores and the index map */
    size_t *keep, *work;
    fsnsa__adam adam;
    fsnsa_rng rng;
} trainer;

static void trainer_free(trainer *t)
{
    fsnsa_net_free(t->net);
    free(t->Xown);
    free(t->perm);
    fsnsa__work_free(&t->ws);
    free(t->moments);
    free(t->score);
    free(t->keep);
    free(t->work);
}

static fsnsa_status trainer_init(trainer *t, const fsnsa_dataset *d,
                                 const fsnsa_train_options *o,
                                 const fsnsa_net *init, fsnsa_error *err)
{
    memset(t, 0, sizeof *t);
    size_t n_classes = d->schema.n_classes;
    fsnsa_status st;
    if (init != NULL) {
        if (init->p_in != d->p)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "the initial network reads %zu columns, the data has %zu",
                               init->p_in, d->p);
        if (init->n_classes != n_classes)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "the initial network has %zu classes, the data %zu",
                               init->n_classes, n_classes);
        st = fsnsa_net_copy(init, &t->net, err);
    } else {
        size_t h0 = prunes_nodes(o->method) ? o->start_hidden : o->hidden;
        st = fsnsa_net_create(d->p, h0, n_classes, o->seed, &t->net, err);
    }
    if (st != FSNSA_OK)
        return st;
    fsnsa_net *net = t->net;
    size_t H = net->h, P = net->p, C = net->n_out;
    t->C = C;
    t->n = d->n;
    t->B = o->batch == 0 || o->batch > d->n ? d->n : o->batch;
    t->y = d->y;

    /* Read the caller's matrix directly while every column is in use in
     * its own order; otherwise keep a compact copy of the used columns. */
    bool identity = P == d->p && !selects_features(o->method);
    for (size_t i = 0; identity && i < P; i++)
        identity = net->features[i] == i;
    if (identity) {
        t->X = d->x;
        t->ldx = d->p;
    } else {
        t->Xown = fsnsa__alloc(d->n * P, sizeof(float));
        if (t->Xown == NULL)
            return fsnsa__nomem(err, "the training matrix");
        for (size_t r = 0; r < d->n; r++)
            for (size_t i = 0; i < P; i++)
                t->Xown[r * P + i] = d->x[r * d->p + net->features[i]];
        t->X = t->Xown;
        t->ldx = P;
    }
    size_t B = t->B, mx = H > P ? H : P;
    t->perm = fsnsa__alloc(d->n, sizeof *t->perm);
    if (fsnsa__work_init(&t->ws, H, P, C, B) != 0)
        return fsnsa__nomem(err, "training buffers");
#ifdef _OPENMP
    /* Threads within one step: as many as OpenMP would give a parallel
     * region here (1 inside an outer parallel region, e.g. parallel
     * restarts). The results do not depend on it. */
    t->ws.threads = omp_in_parallel() ? 1 : omp_get_max_threads();
#endif
    /* the layout fsnsa__net_alloc gave the net: it fitted there */
    (void)fsnsa__layout_of(H, P, C, &t->layout);
    const fsnsa__layout *L = &t->layout;
    t->moments = fsnsa__alloc_floats(2 * L->size);
    t->score = fsnsa__alloc(mx, sizeof(float));
    t->keep = fsnsa__alloc(mx, sizeof(size_t));
    t->work = fsnsa__alloc(mx, sizeof(size_t));
    if (!t->perm || !t->moments || !t->score || !t->keep || !t->work)
        return fsnsa__nomem(err, "training buffers");
    float *m = t->moments, *v = t->moments + L->size;
    t->mo = (fsnsa__moments){m + L->W, v + L->W, m + L->b, v + L->b,
                             m + L->beta, v + L->beta, m + L->c, v + L->c};
    fsnsa__adam_init(&t->adam, o->lr, o->beta1, o->beta2, o->eps, o->weight_decay);
    /* Shuffling has its own stream so that it does not depend on how many
     * numbers the initialization drew. */
    fsnsa_rng_seed(&t->rng, o->seed ^ 0xA0761D6478BD642Full);
    for (size_t i = 0; i < d->n; i++)
        t->perm[i] = i;
    return FSNSA_OK;
}

/* One mini-batch: gather, forward + backward, Adam, fused chunk by chunk
 * in kernels.c; the same arithmetic as the step without Adam followed by
 * fsnsa__adam_update on W, b, beta and c. Returns the batch's summed loss.
 * No allocation here. */
static double train_step(trainer *t, const size_t *rows, size_t B)
{
    fsnsa__adam_begin_step(&t->adam);
    return fsnsa__grad_step(t->net, t->X, t->ldx, rows, t->y, B, &t->ws,
                            &t->adam, &t->mo);
}

/* The blocks pruning compacts: the net's parameters and Adam's m and v,
 * all of one layout. Moments follow their parameters: exactly what a
 * masked implementation (pruned weights held at zero) would compute. */
enum { N_BLOCKS = 3 };

static void blocks_of(trainer *t, float *blocks[N_BLOCKS])
{
    blocks[0] = t->net->W;
    blocks[1] = t->moments;
    blocks[2] = t->moments + t->layout.size;
}

static void prune_nodes(trainer *t, size_t h_new)
{
    fsnsa_net *net = t->net;
    float *blocks[N_BLOCKS];
    blocks_of(t, blocks);
    fsnsa__rank_nodes(net, h_new, t->score, t->keep, t->work);
    for (size_t k = 0; k < N_BLOCKS; k++)
        fsnsa__keep_nodes(blocks[k], &t->layout, net->p, t->keep, h_new);
    net->h = h_new;
}

static void prune_features(trainer *t, size_t p_new)
{
    fsnsa_net *net = t->net;
    float *blocks[N_BLOCKS];
    blocks_of(t, blocks);
    fsnsa__rank_features(net, p_new, t->score, t->keep, t->work);
    for (size_t k = 0; k < N_BLOCKS; k++)
        fsnsa__keep_features(blocks[k], &t->layout, net->h, net->p, t->keep,
                             p_new);
    for (size_t i = 0; i < p_new; i++)
        net->features[i] = net->features[t->keep[i]];
    net->p = p_new;
    /* t->Xown exists whenever features are selected (see trainer_init) */
    fsnsa__keep_cols(t->Xown, t->n, t->ldx, t->keep, p_new);
    t->ldx = p_new;
}

/* Thresholds of the advice in a failed training's message, measured on
 * the cases of docs/algorithm.md ("A broken training"): inputs from 1e4
 * on broke FSA+NSA on unscaled XOR data (1e3 still trained), weight decay
 * 0.3 and 10 broke FSA+NSA on car (0.1 and 1 did not), learning rates
 * from 0.01 on broke it. */
#define ADVICE_INPUT_MAGNITUDE 1e3
#define ADVICE_WEIGHT_DECAY 0.1
#define ADVICE_LEARNING_RATE 0.01

/* Append printf text to buf (size bytes, NUL-terminated). */
static void append(char *buf, size_t size, const char *fmt, ...)
    FSNSA_PRINTF(3, 4);
static void append(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

/* What may have broken a training, for its error message: the data's
 * columns the run started from (all of d, or init's features) and the
 * options, read only now that it failed. */
static void explain_failure(char *buf, size_t size, const fsnsa_dataset *d,
                            const fsnsa_net *init,
                            const fsnsa_train_options *o,
                            const fsnsa_train_report *r)
{
    size_t ncols = init != NULL ? init->p : d->p;
    bool constant = true;
    double largest = 0;
    for (size_t i = 0; i < ncols; i++) {
        size_t j = init != NULL ? init->features[i] : i;
        float first = d->x[j];
        for (size_t row = 0; row < d->n; row++) {
            float v = d->x[row * d->p + j];
            if (v != first)
                constant = false;
            if (fabs((double)v) > largest)
                largest = fabs((double)v);
        }
    }
    buf[0] = '\0';
    if (constant) {
        /* no learning rate helps: the network sees one input */
        append(buf, size, "every input column is constant (as a column "
               "of missing values is after imputation), so there is "
               "nothing to learn but the class frequencies: check the "
               "data");
        return;
    }
    bool other = false;
    if (largest >= ADVICE_INPUT_MAGNITUDE) {
        append(buf, size, "the inputs reach %.3g in magnitude: are they "
               "standardized? ", largest);
        other = true;
    }
    if (o->weight_decay >= ADVICE_WEIGHT_DECAY) {
        append(buf, size, "is the weight decay %g too large? ",
               o->weight_decay);
        other = true;
    }
    bool rose = !isfinite(r->last_epoch_loss) ||
                r->last_epoch_loss > 2 * r->lowest_epoch_loss;
    if (o->lr >= ADVICE_LEARNING_RATE || (rose && !other)) {
        append(buf, size, "is the learning rate %g too large? ", o->lr);
        other = true;
    }
    if (!other) {
        if (r->loss < r->first_epoch_loss)
            append(buf, size, "the loss was still falling: train for more "
                   "epochs or with a larger learning rate ");
        else
            append(buf, size, "the loss did not fall: try another learning "
                   "rate, more nodes or another seed ");
    }
    size_t len = strlen(buf);
    if (len > 0 && buf[len - 1] == ' ')
        buf[len - 1] = '\0';
}

static void report_clear(fsnsa_train_report *r)
{
    r->outcome = FSNSA_TRAIN_OK;
    r->epochs = 0;
    r->loss = r->constant_loss = NAN;
    r->first_epoch_loss = r->lowest_epoch_loss = r->last_epoch_loss = NAN;
}

fsnsa_status fsnsa_train(const fsnsa_dataset *d, const fsnsa_train_options *o,
                         const fsnsa_net *init, fsnsa_net **out,
                         fsnsa_error *err)
{
    return fsnsa_train_with_report(d, o, init, out, NULL, err);
}

fsnsa_status fsnsa_train_with_report(const fsnsa_dataset *d,
                                     const fsnsa_train_options *o,
                                     const fsnsa_net *init, fsnsa_net **out,
                                     fsnsa_train_report *report,
                                     fsnsa_error *err)
{
    fsnsa_train_report own;
    fsnsa_train_report *rep = report != NULL ? report : &own;
    report_clear(rep);
    *out = NULL;
    if (d == NULL || o == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no data or no options");
    if (!d->has_labels || d->schema.n_classes < 2)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "training needs labeled data with at least 2 classes");
    if (d->n == 0 || d->p == 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "training data is empty");
    for (size_t i = 0; i < d->n; i++)
        if (d->y[i] < 0 || (size_t)d->y[i] >= d->schema.n_classes)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "row %zu has label %d outside [0, %zu)", i + 1,
                               (int)d->y[i], d->schema.n_classes);
    size_t p_avail = init != NULL ? init->p : d->p;
    fsnsa_train_options resolved;
    fsnsa_status st = fsnsa_train_options_resolve(o, p_avail, &resolved, err);
    if (st != FSNSA_OK)
        return st;
    o = &resolved;
    if (init != NULL && prunes_nodes(o->method) && o->hidden > init->h)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "cannot prune to %zu nodes from an initial network of %zu",
                           o->hidden, init->h);

    trainer t;
    st = trainer_init(&t, d, o, init, err);
    if (st != FSNSA_OK) {
        trainer_free(&t);
        return st;
    }
    fsnsa_net *net = t.net;
    const size_t H0 = net->h, P0 = net->p;
    fsnsa_net *last_ok = NULL; /* keep_going: the net before this epoch */
    st = fsnsa_constant_loss(d->y, d->n, d->schema.n_classes,
                             &rep->constant_loss, err);
    if (st != FSNSA_OK) {
        trainer_free(&t);
        return st;
    }

    for (int e = 1; e <= o->epochs; e++) {
        double t0 = fsnsa__now();
        if (o->keep_going) {
            fsnsa_net_free(last_ok);
            last_ok = NULL;
            if ((st = fsnsa_net_copy(net, &last_ok, err)) != FSNSA_OK) {
                trainer_free(&t);
                return st;
            }
        }
        if (o->shuffle) {
            for (size_t i = 0; i < t.n; i++)
                t.perm[i] = i;
            fsnsa_rng_shuffle(&t.rng, t.perm, t.n);
        }
        double loss = 0.0;
        for (size_t i = 0; i < t.n; i += t.B) {
            if (o->stop != NULL && *o->stop) {
                trainer_free(&t);
                fsnsa_net_free(last_ok);
                return fsnsa__fail(err, FSNSA_ERR_INTERRUPTED,
                                   "interrupted in epoch %d", e);
            }
            size_t B = t.n - i < t.B ? t.n - i : t.B;
            loss += train_step(&t, t.perm + i, B);
        }
        /* the mean over rows (each row's loss before its batch's step),
         * not the mean of the batch means: they differ when the last
         * batch is smaller */
        loss /= (double)t.n;
        rep->epochs = e;
        rep->last_epoch_loss = loss;
        if (e == 1)
            rep->first_epoch_loss = rep->lowest_epoch_loss = loss;
        else if (loss < rep->lowest_epoch_loss)
            rep->lowest_epoch_loss = loss;
        if (!isfinite(loss)) {
            trainer_free(&t);
            rep->outcome = FSNSA_TRAIN_NOT_FINITE;
            *out = last_ok; /* NULL unless keep_going */
            st = last_ok != NULL ? fsnsa_net_loss(last_ok, d, &rep->loss, err)
                                 : FSNSA_OK;
            if (st != FSNSA_OK) {
                fsnsa_net_free(last_ok);
                *out = NULL;
                return st;
            }
            char why[320];
            explain_failure(why, sizeof why, d, init, o, rep);
            return fsnsa__fail(err, FSNSA_ERR_NUMERIC,
                               "epoch %d: the training loss became %s: %s",
                               e, isnan(loss) ? "NaN" : "infinite", why);
        }
        if (prunes_nodes(o->method) || selects_features(o->method))
            fsnsa_net_normalize(net); /* Eq. (3) */
        if (prunes_nodes(o->method)) {
            size_t h_e = fsnsa_schedule_nodes(e, o->epochs, H0, o->hidden, o->mu);
            if (h_e < net->h)
                prune_nodes(&t, h_e);
        }
        if (selects_features(o->method)) {
            size_t p_e = fsnsa_schedule_features(e, o->epochs, P0, o->features, o->mu);
            if (p_e < net->p)
                prune_features(&t, p_e);
        }
        if (o->on_epoch != NULL) {
            fsnsa_epoch_info info = {
                .epoch = e,
                .epochs = o->epochs,
                .hidden = net->h,
                .features = net->p,
                .feature_ids = net->features,
                .loss = loss,
                .seconds = fsnsa__now() - t0,
                .net = net,
            };
            if (o->on_epoch(&info, o->on_epoch_ctx) != 0) {
                trainer_free(&t);
                fsnsa_net_free(last_ok);
                return fsnsa__fail(err, FSNSA_ERR_INTERRUPTED,
                                   "stopped by the caller after epoch %d", e);
            }
        }
    }
    /* The working net keeps its starting capacity; hand out a tight copy. */
    st = fsnsa_net_copy(net, out, err);
    trainer_free(&t);
    fsnsa_net_free(last_ok);
    /* One forward pass over the training rows: the exact final loss, the
     * figure the model stores and the check below compares. */
    if (st == FSNSA_OK)
        st = fsnsa_net_loss(*out, d, &rep->loss, err);
    if (st != FSNSA_OK) {
        fsnsa_net_free(*out);
        *out = NULL;
        return st;
    }
    if (o->epochs > 0 &&
        fsnsa_loss_worse_than_constant(rep->loss, rep->constant_loss)) {
        rep->outcome = FSNSA_TRAIN_WORSE_THAN_CONSTANT;
        if (!o->keep_going) {
            fsnsa_net_free(*out);
            *out = NULL;
        }
        char why[320], path[128];
        explain_failure(why, sizeof why, d, init, o, rep);
        if (rep->epochs == 1)
            snprintf(path, sizeof path, "epoch 1's loss %.4g",
                     rep->first_epoch_loss);
        else
            snprintf(path, sizeof path, "epoch losses: %.4g in epoch 1, "
                     "lowest %.4g, %.4g in epoch %d", rep->first_epoch_loss,
                     rep->lowest_epoch_loss, rep->last_epoch_loss,
                     rep->epochs);
        return fsnsa__fail(err, FSNSA_ERR_NUMERIC,
                           "the final training loss %.6g is worse than %.6g, "
                           "the loss of predicting the class frequencies "
                           "(%s): %s", rep->loss, rep->constant_loss, path,
                           why);
    }
    return FSNSA_OK;
}

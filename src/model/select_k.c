/* The number of features k chosen by stratified cross-validation over a
 * path of candidate sizes, with the one-standard-error rule toward fewer
 * features. Cheap by design (the idea behind LassoNet's path): one FSA+NSA
 * annealing run per fold toward the smallest candidate; for each candidate
 * c, the net of the last epoch before the feature count falls below c is
 * copied, pruned to c by one epoch of the same method, fine-tuned a few
 * epochs at c, and scored on the fold's held-out rows. The folds are
 * independent jobs on the threads, so the result does not depend on the
 * thread count (as fsnsa_model_fit_restarts). */
#include "select.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

void fsnsa_select_options_default(fsnsa_select_options *o)
{
    memset(o, 0, sizeof *o);
    o->folds = 5;
    o->finetune_epochs = 5;
    o->n_sizes = 0; /* fsnsa_select_path */
    o->sizes = NULL;
    o->score = FSNSA_SELECT_SCORE_PATH;
    o->refit_epochs = 0; /* the training's epochs */
    o->rule = FSNSA_SELECT_RULE_ONE_SE;
}

const char *fsnsa_select_path_text(void)
{
    return "1,2,4,... and p-1,p-2,p-4,... and p";
}

size_t fsnsa_select_path(size_t p, size_t *out, size_t cap)
{
    fsnsa_select_result r = {.sizes = out, .n_sizes = 0};
    for (size_t k = 1; k < p && r.n_sizes + 2 <= cap;
         k = k > p / 2 ? p : 2 * k) {
        out[r.n_sizes++] = k;
        out[r.n_sizes++] = p - k;
    }
    if (p > 0 && r.n_sizes < cap)
        out[r.n_sizes++] = p;
    fsnsa__select_sort_sizes(&r);
    return r.n_sizes;
}

/* The candidate sizes, ascending and distinct, in [1, p]. */
static fsnsa_status make_sizes(const fsnsa_select_options *so, size_t p,
                               fsnsa_select_result *r, fsnsa_error *err)
{
    size_t cap = so->n_sizes > 0 ? so->n_sizes : 130;
    r->sizes = fsnsa__calloc(cap, sizeof *r->sizes);
    if (r->sizes == NULL)
        return fsnsa__nomem(err, "the candidate sizes");
    size_t n = 0;
    if (so->n_sizes > 0) {
        for (size_t i = 0; i < so->n_sizes; i++)
            if (so->sizes[i] < 1 || so->sizes[i] > p)
                return fsnsa__fail(err, FSNSA_ERR_ARG,
                                   "candidate size %zu is outside [1, %zu]",
                                   so->sizes[i], p);
        memcpy(r->sizes, so->sizes, so->n_sizes * sizeof *r->sizes);
        n = so->n_sizes;
    } else {
        n = fsnsa_select_path(p, r->sizes, cap);
    }
    r->n_sizes = n;
    fsnsa__select_sort_sizes(r);
    return FSNSA_OK;
}

void fsnsa__select_sort_sizes(fsnsa_select_result *r)
{
    size_t n = r->n_sizes;
    for (size_t i = 1; i < n; i++) /* insertion sort, few entries */
        for (size_t j = i; j > 0 && r->sizes[j - 1] > r->sizes[j]; j--) {
            size_t t = r->sizes[j];
            r->sizes[j] = r->sizes[j - 1];
            r->sizes[j - 1] = t;
        }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || r->sizes[m - 1] != r->sizes[i])
            r->sizes[m++] = r->sizes[i];
    r->n_sizes = m;
}

/* One fold's state during its annealing run. */
typedef struct {
    const fsnsa_dataset *train, *val; /* scaled */
    const fsnsa_train_options *run;  /* resolved options of the run */
    int finetune;
    fsnsa_select_score score;
    int refit_epochs;
    const size_t *sizes;
    size_t n_sizes, done;             /* candidates scored: the largest first */
    double *loss;                     /* n_sizes validation losses */
    fsnsa_status st;
    fsnsa_error err;
} fold_ctx;

/* Prune a copy of net to c features (one epoch of the run's method) and
 * fine-tune it at c, or train the dense refit on its c columns; the
 * held-out loss, +inf when the training broke. */
static fsnsa_status score_size(fold_ctx *f, const fsnsa_net *net, size_t c,
                               double *loss)
{
    fsnsa_train_options o = *f->run;
    o.on_epoch = NULL;
    o.on_epoch_ctx = NULL;
    o.keep_going = 1;
    o.features = c < net->p ? c : net->p;
    o.hidden = net->h;
    o.start_hidden = net->h;
    o.epochs = 1;
    fsnsa_net *pruned = NULL, *tuned = NULL;
    fsnsa_status st = FSNSA_OK;
    if (o.features < net->p)
        st = fsnsa_train(f->train, &o, net, &pruned, &f->err);
    o.epochs = f->finetune;
    const fsnsa_net *at_c = pruned != NULL ? pruned : net;
    int have = st == FSNSA_OK || (st == FSNSA_ERR_NUMERIC && pruned != NULL);
    if (have && f->score == FSNSA_SELECT_SCORE_REFIT)
        st = fsnsa__refit_dense(f->train, at_c, f->run->hidden, &o,
                                f->refit_epochs > 0 ? f->refit_epochs
                                                    : f->run->epochs,
                                &tuned, NULL, &f->err);
    else if (have)
        st = fsnsa_train(f->train, &o, at_c, &tuned, &f->err);
    *loss = INFINITY;
    if ((st == FSNSA_OK || st == FSNSA_ERR_NUMERIC) && tuned != NULL)
        st = fsnsa_net_loss(tuned, f->val, loss, &f->err);
    if (st == FSNSA_ERR_NUMERIC || !isfinite(*loss)) {
        *loss = INFINITY;
        st = FSNSA_OK;
    }
    fsnsa_net_free(pruned);
    fsnsa_net_free(tuned);
    return st;
}

/* After epoch e: every candidate c the next epoch's pruning would take
 * the run below (features_e >= c > features_{e+1}) is scored now. */
static int on_epoch(const fsnsa_epoch_info *e, void *ctx)
{
    fold_ctx *f = ctx;
    size_t next = e->epoch >= e->epochs
                      ? 0
                      : fsnsa_schedule_features(e->epoch + 1, e->epochs,
                                                e->net->p_in, f->run->features,
                                                f->run->mu);
    while (f->done < f->n_sizes) {
        size_t i = f->n_sizes - 1 - f->done, c = f->sizes[i];
        if (c <= next)
            break;
        f->st = score_size(f, e->net, c, &f->loss[i]);
        if (f->st != FSNSA_OK)
            return 1;
        f->done++;
    }
    return 0;
}

/* Rows of d in (in_fold = 1) or out of fold f, imputed and scaled by s. */
static fsnsa_status fold_rows(const fsnsa_dataset *d, const size_t *fold,
                              size_t f, int in_fold, size_t *idx,
                              const fsnsa_model *scale, fsnsa_dataset **out,
                              fsnsa_error *err)
{
    size_t m = 0;
    for (size_t i = 0; i < d->n; i++)
        if ((fold[i] == f) == (in_fold != 0))
            idx[m++] = i;
    fsnsa_status st = fsnsa_dataset_subset(d, idx, m, out, err);
    if (st == FSNSA_OK && scale != NULL)
        st = fsnsa_model_transform(scale, *out, err);
    return st;
}

fsnsa_status fsnsa__select_fold_data(const fsnsa_dataset *d,
                                     const size_t *fold, size_t f,
                                     const fsnsa_fit_options *o,
                                     fsnsa_dataset **train,
                                     fsnsa_dataset **val, fsnsa_error *err)
{
    fsnsa_model scale; /* only its scaler and missing-value mode are read */
    memset(&scale, 0, sizeof scale);
    scale.missing = o->missing;
    *train = *val = NULL;
    size_t *idx = fsnsa__alloc(d->n, sizeof *idx);
    fsnsa_status st = idx == NULL ? fsnsa__nomem(err, "a fold's rows")
                                  : fold_rows(d, fold, f, 0, idx, NULL, train,
                                              err);
    if (st == FSNSA_OK)
        st = fsnsa_scaler_fit(*train, o->scale, &scale.scaler, err);
    if (st == FSNSA_OK)
        st = fsnsa_model_transform(&scale, *train, err);
    if (st == FSNSA_OK)
        st = fold_rows(d, fold, f, 1, idx, &scale, val, err);
    fsnsa_scaler_clear(&scale.scaler);
    free(idx);
    return st;
}

/* Fold f: the scaler fitted on its training rows, the annealing run to
 * the smallest candidate, the candidates scored on the way. */
static fsnsa_status run_fold(const fsnsa_dataset *d, const size_t *fold,
                             size_t f, const fsnsa_fit_options *o,
                             const fsnsa_select_options *so,
                             const fsnsa_select_result *r, fsnsa_error *err)
{
    fsnsa_dataset *train = NULL, *val = NULL;
    fsnsa_status st = fsnsa__select_fold_data(d, fold, f, o, &train, &val,
                                              err);
    fsnsa_train_options run = o->train;
    run.features = r->sizes[0];
    run.keep_going = 0;
    if (st == FSNSA_OK)
        st = fsnsa_train_options_resolve(&run, d->p, &run, err);
    double *loss = r->fold_loss + f * r->n_sizes;
    for (size_t i = 0; i < r->n_sizes; i++)
        loss[i] = INFINITY;
    fold_ctx fc = {train, val, &run, so->finetune_epochs, so->score,
                   so->refit_epochs, r->sizes, r->n_sizes, 0, loss,
                   FSNSA_OK, {0}};
    run.on_epoch = on_epoch;
    run.on_epoch_ctx = &fc;
    fsnsa_net *net = NULL;
    if (st == FSNSA_OK)
        st = fsnsa_train(train, &run, NULL, &net, err);
    if (fc.st != FSNSA_OK) {
        st = fc.st;
        if (err != NULL)
            *err = fc.err;
    } else if (st == FSNSA_ERR_NUMERIC) {
        st = FSNSA_OK; /* the candidates it did not reach stay +inf */
    }
    fsnsa_net_free(net);
    fsnsa_dataset_free(train);
    fsnsa_dataset_free(val);
    return st;
}

static void run_folds(const fsnsa_dataset *d, const size_t *fold,
                      const fsnsa_fit_options *o,
                      const fsnsa_select_options *so,
                      const fsnsa_select_result *r, fsnsa_status *sts,
                      fsnsa_error *errs)
{
    long long F = (long long)so->folds;
    int threads = o->threads > 1 ? o->threads : 1;
    if (threads == 1) {
        for (long long f = 0; f < F; f++)
            sts[f] = run_fold(d, fold, (size_t)f, o, so, r, &errs[f]);
        return;
    }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (long long f = 0; f < F; f++)
        sts[f] = run_fold(d, fold, (size_t)f, o, so, r, &errs[f]);
}

static fsnsa_status check_select(const fsnsa_dataset *d,
                                 const fsnsa_fit_options *o,
                                 const fsnsa_select_options *so,
                                 fsnsa_error *err)
{
    if (d == NULL || o == NULL || so == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no data or no options");
    if (o->train.method != FSNSA_METHOD_FSA &&
        o->train.method != FSNSA_METHOD_FSA_NSA)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "choosing k needs a method that selects features "
                           "(fsa or fsa-nsa), not %s",
                           fsnsa_method_name(o->train.method));
    if (so->folds < 2 || so->folds > d->n)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "folds must be in [2, %zu] (the rows), got %zu",
                           d->n, so->folds);
    if (so->finetune_epochs < 1)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "fine-tune epochs must be >= 1, got %d",
                           so->finetune_epochs);
    if (so->score != FSNSA_SELECT_SCORE_PATH &&
        so->score != FSNSA_SELECT_SCORE_REFIT)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "unknown select score %d",
                           (int)so->score);
    if (so->refit_epochs < 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "refit epochs must be >= 0, got %d",
                           so->refit_epochs);
    return FSNSA_OK;
}

fsnsa_status fsnsa_select_features(const fsnsa_dataset *d,
                                   const fsnsa_fit_options *o,
                                   const fsnsa_select_options *so,
                                   fsnsa_select_result *r, fsnsa_error *err)
{
    memset(r, 0, sizeof *r);
    fsnsa__select_work w = {0};
    fsnsa_status st = fsnsa__select_check_task(o, "k", err);
    if (st == FSNSA_OK)
        st = check_select(d, o, so, err);
    if (st == FSNSA_OK)
        st = make_sizes(so, d->p, r, err);
    if (st == FSNSA_OK)
        st = fsnsa__select_alloc(r, so->folds, so->rule, err);
    if (st == FSNSA_OK)
        st = fsnsa__select_work_start(d, so->folds, o->train.seed, so->folds,
                                      &w, err);
    if (st == FSNSA_OK)
        run_folds(d, w.fold, o, so, r, w.sts, w.errs);
    return fsnsa__select_work_finish(&w, st, r, err);
}


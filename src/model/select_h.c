/* The number of final hidden nodes h chosen by stratified
 * cross-validation over a small set of candidates, with the
 * one-standard-error rule toward fewer nodes. Unlike k (select_k.c) there
 * is no cheap path: in FSA+NSA the nodes are pruned before the features
 * are, so a net passing through h nodes has not selected its features
 * yet. Each (fold, candidate) is therefore one full training at that h,
 * scored by its mean cross-entropy on the fold's held-out rows; the jobs
 * run `threads` at a time, each on one thread, so the result does not
 * depend on the thread count. */
#include "select.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

static const size_t DEFAULT_HIDDEN[] = {8, 16, 32, 64, 128};

const size_t *fsnsa_select_hidden_default(size_t *n)
{
    *n = sizeof DEFAULT_HIDDEN / sizeof DEFAULT_HIDDEN[0];
    return DEFAULT_HIDDEN;
}

static int anneals_nodes(fsnsa_method m)
{
    return m == FSNSA_METHOD_NSA || m == FSNSA_METHOD_FSA_NSA;
}

/* The candidates, ascending and distinct: so's, each in [1, max], or the
 * default ones up to max (H for the methods that anneal nodes). */
static fsnsa_status hidden_sizes(const fsnsa_select_options *so, size_t max,
                                 fsnsa_select_result *r, fsnsa_error *err)
{
    size_t nd;
    const size_t *def = fsnsa_select_hidden_default(&nd);
    const size_t *src = so->n_sizes > 0 ? so->sizes : def;
    size_t n = so->n_sizes > 0 ? so->n_sizes : nd;
    r->sizes = fsnsa__calloc(n, sizeof *r->sizes);
    if (r->sizes == NULL)
        return fsnsa__nomem(err, "the candidate sizes");
    for (size_t i = 0; i < n; i++) {
        if (src[i] >= 1 && src[i] <= max)
            r->sizes[r->n_sizes++] = src[i];
        else if (so->n_sizes > 0)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "candidate node count %zu is outside [1, %zu]",
                               src[i], max);
    }
    if (r->n_sizes == 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "no default node count is at most %zu", max);
    fsnsa__select_sort_sizes(r);
    return FSNSA_OK;
}

/* One job: fold f trained at h nodes; its held-out loss, +inf when the
 * training broke. */
static fsnsa_status run_job(const fsnsa_dataset *d, const size_t *fold,
                            size_t f, size_t h, const fsnsa_fit_options *o,
                            double *loss, fsnsa_error *err)
{
    fsnsa_dataset *train = NULL, *val = NULL;
    fsnsa_status st = fsnsa__select_fold_data(d, fold, f, o, &train, &val,
                                              err);
    fsnsa_train_options run = o->train;
    run.hidden = h;
    run.keep_going = 0;
    run.on_epoch = NULL;
    run.on_epoch_ctx = NULL;
    if (st == FSNSA_OK)
        st = fsnsa_train_options_resolve(&run, d->p, &run, err);
    fsnsa_net *net = NULL;
    if (st == FSNSA_OK)
        st = fsnsa_train(train, &run, NULL, &net, err);
    *loss = INFINITY;
    if (st == FSNSA_OK)
        st = fsnsa_net_loss(net, val, loss, err);
    if (st == FSNSA_ERR_NUMERIC || !isfinite(*loss)) {
        *loss = INFINITY;
        st = FSNSA_OK;
    }
    fsnsa_net_free(net);
    fsnsa_dataset_free(train);
    fsnsa_dataset_free(val);
    return st;
}

/* Every (fold, candidate) job, threads at a time; job j is fold j / S at
 * sizes[j % S] and writes fold_loss[j]. */
static void run_jobs(const fsnsa_dataset *d, const size_t *fold,
                     const fsnsa_fit_options *o, fsnsa_select_result *r,
                     fsnsa_status *sts, fsnsa_error *errs)
{
    long long S = (long long)r->n_sizes, J = (long long)r->folds * S;
    int threads = o->threads > 1 ? o->threads : 1;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (long long j = 0; j < J; j++)
        sts[j] = run_job(d, fold, (size_t)(j / S), r->sizes[j % S], o,
                         &r->fold_loss[j], &errs[j]);
}

static fsnsa_status check_hidden(const fsnsa_dataset *d,
                                 const fsnsa_fit_options *o,
                                 const fsnsa_select_options *so,
                                 fsnsa_error *err)
{
    if (d == NULL || o == NULL || so == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no data or no options");
    if (so->folds < 2 || so->folds > d->n)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "folds must be in [2, %zu] (the rows), got %zu",
                           d->n, so->folds);
    return FSNSA_OK;
}

fsnsa_status fsnsa_select_hidden(const fsnsa_dataset *d,
                                 const fsnsa_fit_options *o,
                                 const fsnsa_select_options *so,
                                 fsnsa_select_result *r, fsnsa_error *err)
{
    memset(r, 0, sizeof *r);
    fsnsa__select_work w = {0};
    fsnsa_status st = fsnsa__select_check_task(o, "h", err);
    if (st == FSNSA_OK)
        st = check_hidden(d, o, so, err);
    size_t max = st == FSNSA_OK && anneals_nodes(o->train.method)
                     ? o->train.start_hidden
                     : (size_t)1 << 24;
    if (st == FSNSA_OK)
        st = hidden_sizes(so, max, r, err);
    if (st == FSNSA_OK)
        st = fsnsa__select_alloc(r, so->folds, so->rule, err);
    if (st == FSNSA_OK)
        st = fsnsa__select_work_start(d, so->folds, o->train.seed,
                                      so->folds * r->n_sizes, &w, err);
    if (st == FSNSA_OK)
        run_jobs(d, w.fold, o, r, w.sts, w.errs);
    return fsnsa__select_work_finish(&w, st, r, err);
}

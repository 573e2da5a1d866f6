/* Restarts of one fit (the paper's remedy for bad local optima, Section
 * 2.1: the best of several initializations) and the stability score of
 * each column, the fraction of the runs that kept it (stability
 * selection, Meinshausen & Buehlmann 2010). The runs are independent
 * jobs, parallel over the runs rather than within a step, so each one's
 * bits do not depend on the thread count (its seed is its index). */
#include "model.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

void fsnsa_restart_runs_clear(fsnsa_restart_run *runs, size_t n)
{
    if (runs == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        free(runs[i].features);
        runs[i].features = NULL;
        runs[i].n_features = 0;
    }
}

/* Run i into models[i] and runs[i]; keep_going is off so a broken run
 * hands back no model. */
static void run_one(const fsnsa_dataset *d, const fsnsa_fit_options *o,
                    size_t i, fsnsa_model **model, fsnsa_restart_run *run,
                    fsnsa_error *err)
{
    fsnsa_fit_options fo = *o;
    fo.train.seed = o->train.seed + i;
    fo.train.keep_going = 0;
    if (o->restarts > 1) {
        fo.train.on_epoch = NULL;
        fo.train.on_epoch_ctx = NULL;
    }
    fsnsa_train_report rep;
    memset(run, 0, sizeof *run);
    run->seed = fo.train.seed;
    run->status = fsnsa_model_fit(d, &fo, NULL, model, &rep, err);
    run->loss = rep.loss;
    const fsnsa_net *net = *model != NULL ? (*model)->net : NULL;
    if (net == NULL)
        return;
    run->features = fsnsa__alloc(net->p > 0 ? net->p : 1, sizeof(size_t));
    if (run->features == NULL) {
        run->status = fsnsa__nomem(err, "a run's features");
        return;
    }
    memcpy(run->features, net->features, net->p * sizeof(size_t));
    run->n_features = net->p;
}

/* The run kept: the lowest loss among those that trained, then the lower
 * seed; R when none trained. */
static size_t best_run(const fsnsa_restart_run *runs, size_t R)
{
    size_t best = R;
    for (size_t i = 0; i < R; i++)
        if (runs[i].status == FSNSA_OK &&
            (best == R || runs[i].loss < runs[best].loss))
            best = i;
    return best;
}

static fsnsa_status score_stability(const fsnsa_restart_run *runs, size_t R,
                                    fsnsa_model *m, fsnsa_error *err)
{
    size_t p_in = m->net->p_in, trained = 0;
    m->stability = fsnsa__calloc(p_in > 0 ? p_in : 1, sizeof(float));
    if (m->stability == NULL)
        return fsnsa__nomem(err, "the stability scores");
    for (size_t i = 0; i < R; i++) {
        if (runs[i].status != FSNSA_OK)
            continue;
        trained++;
        for (size_t j = 0; j < runs[i].n_features; j++)
            m->stability[runs[i].features[j]] += 1.0f;
    }
    for (size_t j = 0; j < p_in; j++)
        m->stability[j] /= (float)trained;
    m->restarts = trained;
    return FSNSA_OK;
}

/* The error that ends the restarts: the first that is not a broken run
 * (out of memory, interrupted, ...), else with no run trained the first
 * run's; FSNSA_OK otherwise. */
static fsnsa_status first_error(const fsnsa_restart_run *runs,
                                const fsnsa_error *errs, size_t R,
                                fsnsa_error *err)
{
    for (size_t i = 0; i < R; i++)
        if (runs[i].status != FSNSA_OK &&
            runs[i].status != FSNSA_ERR_NUMERIC) {
            if (err != NULL)
                *err = errs[i];
            return runs[i].status;
        }
    if (best_run(runs, R) < R)
        return FSNSA_OK;
    if (err != NULL)
        *err = errs[0];
    return runs[0].status;
}

static void run_all(const fsnsa_dataset *d, const fsnsa_fit_options *o,
                    fsnsa_model **models, fsnsa_restart_run *runs,
                    fsnsa_error *errs)
{
    long long R = (long long)o->restarts;
    int threads = o->threads > 1 ? o->threads : 1;
    if (threads == 1 || R == 1) {
        for (long long i = 0; i < R; i++)
            run_one(d, o, (size_t)i, &models[i], &runs[i], &errs[i]);
        return;
    }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (long long i = 0; i < R; i++)
        run_one(d, o, (size_t)i, &models[i], &runs[i], &errs[i]);
}

fsnsa_status fsnsa_model_fit_restarts(const fsnsa_dataset *d,
                                      const fsnsa_fit_options *o,
                                      fsnsa_model **out,
                                      fsnsa_restart_run *runs_out,
                                      fsnsa_error *err)
{
    *out = NULL;
    if (d == NULL || o == NULL || o->restarts == 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "restarts need data and R >= 1");
    size_t R = o->restarts;
    fsnsa_model **models = fsnsa__calloc(R, sizeof *models);
    fsnsa_restart_run *runs = runs_out != NULL ? runs_out
                                               : fsnsa__calloc(R, sizeof *runs);
    fsnsa_error *errs = fsnsa__calloc(R, sizeof *errs);
    fsnsa_status st = FSNSA_OK;
    if (models == NULL || runs == NULL || errs == NULL)
        st = fsnsa__nomem(err, "the restarts");
    if (st == FSNSA_OK) {
        run_all(d, o, models, runs, errs);
        st = first_error(runs, errs, R, err);
    }
    size_t best = st == FSNSA_OK ? best_run(runs, R) : R;
    if (best < R)
        st = score_stability(runs, R, models[best], err);
    if (st == FSNSA_OK) {
        *out = models[best];
        models[best] = NULL;
    }
    for (size_t i = 0; models != NULL && i < R; i++)
        fsnsa_model_free(models[i]);
    if (runs != runs_out) {
        fsnsa_restart_runs_clear(runs, runs != NULL ? R : 0);
        free(runs);
    } else if (st != FSNSA_OK) {
        fsnsa_restart_runs_clear(runs, R);
    }
    free(models);
    free(errs);
    return st;
}

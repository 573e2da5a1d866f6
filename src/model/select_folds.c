/* What choosing k (select_k.c) and choosing h (select_h.c) share: the
 * validation curve (its arrays, its summary by the one-standard-error
 * rule, its clean-up) and the fold work (the task check, the stratified
 * folds and a status per job before the jobs run, the first failure
 * after them). */
#include "select.h"

#include <math.h>
#include <stdlib.h>

fsnsa_status fsnsa__select_check_task(const fsnsa_fit_options *o,
                                      const char *what, fsnsa_error *err)
{
    if (o != NULL && o->train.task == FSNSA_TASK_REGRESSION)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "choosing %s by cross-validation is for "
                           "classification (its folds are stratified by "
                           "class), not regression",
                           what);
    return FSNSA_OK;
}

fsnsa_status fsnsa__select_work_start(const fsnsa_dataset *d, size_t folds,
                                      uint64_t seed, size_t jobs,
                                      fsnsa__select_work *w, fsnsa_error *err)
{
    w->jobs = jobs;
    w->fold = fsnsa__alloc(d->n, sizeof *w->fold);
    w->sts = fsnsa__calloc(jobs, sizeof *w->sts);
    w->errs = fsnsa__calloc(jobs, sizeof *w->errs);
    if (w->fold == NULL || w->sts == NULL || w->errs == NULL)
        return fsnsa__nomem(err, "the folds");
    return fsnsa_kfold_stratified(d->y, d->n, d->schema.n_classes, folds,
                                  seed, w->fold, err);
}

fsnsa_status fsnsa__select_work_finish(fsnsa__select_work *w,
                                       fsnsa_status st,
                                       fsnsa_select_result *r,
                                       fsnsa_error *err)
{
    for (size_t j = 0; j < w->jobs && st == FSNSA_OK; j++)
        if ((st = w->sts[j]) != FSNSA_OK && err != NULL)
            *err = w->errs[j];
    if (st == FSNSA_OK)
        fsnsa__select_summarize(r);
    free(w->fold);
    free(w->sts);
    free(w->errs);
    if (st != FSNSA_OK)
        fsnsa_select_result_clear(r);
    return st;
}

/* The index of the lowest finite mean[0..n), n if none. */
static size_t lowest_mean(const double *mean, size_t n)
{
    size_t best = n;
    for (size_t i = 0; i < n; i++)
        if (isfinite(mean[i]) && (best == n || mean[i] < mean[best]))
            best = i;
    return best;
}

size_t fsnsa_select_lowest(const fsnsa_select_result *r)
{
    return lowest_mean(r->mean, r->n_sizes);
}

size_t fsnsa_select_one_se(const double *mean, const double *se, size_t n)
{
    size_t best = lowest_mean(mean, n);
    if (best == n)
        return n;
    double bound = mean[best] + (isfinite(se[best]) ? se[best] : 0.0);
    for (size_t i = 0; i < n; i++)
        if (isfinite(mean[i]) && mean[i] <= bound)
            return i; /* sizes ascend: the first within bound is smallest */
    return best;
}

size_t fsnsa_select_choose(const double *mean, const double *se, size_t n,
                           fsnsa_select_rule rule)
{
    switch (rule) {
    case FSNSA_SELECT_RULE_ONE_SE:
        return fsnsa_select_one_se(mean, se, n);
    case FSNSA_SELECT_RULE_MIN:
        return lowest_mean(mean, n);
    }
    return n;
}

void fsnsa__select_summarize(fsnsa_select_result *r)
{
    size_t F = r->folds;
    for (size_t i = 0; i < r->n_sizes; i++) {
        double s = 0.0, ss = 0.0;
        for (size_t f = 0; f < F; f++)
            s += r->fold_loss[f * r->n_sizes + i];
        double mean = s / (double)F;
        for (size_t f = 0; f < F && isfinite(mean); f++) {
            double dv = r->fold_loss[f * r->n_sizes + i] - mean;
            ss += dv * dv;
        }
        r->mean[i] = mean;
        r->se[i] = F > 1 && isfinite(mean)
                       ? sqrt(ss / (double)(F - 1)) / sqrt((double)F)
                       : 0.0;
    }
    r->chosen = fsnsa_select_choose(r->mean, r->se, r->n_sizes, r->rule);
    r->k = r->chosen < r->n_sizes ? r->sizes[r->chosen] : 0;
}

fsnsa_status fsnsa__select_alloc(fsnsa_select_result *r, size_t folds,
                                 fsnsa_select_rule rule, fsnsa_error *err)
{
    if (rule != FSNSA_SELECT_RULE_ONE_SE && rule != FSNSA_SELECT_RULE_MIN)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "unknown select rule %d",
                           (int)rule);
    r->folds = folds;
    r->rule = rule;
    r->mean = fsnsa__calloc(r->n_sizes, sizeof *r->mean);
    r->se = fsnsa__calloc(r->n_sizes, sizeof *r->se);
    r->fold_loss = fsnsa__calloc(r->n_sizes * folds, sizeof *r->fold_loss);
    if (r->mean == NULL || r->se == NULL || r->fold_loss == NULL)
        return fsnsa__nomem(err, "the validation curve");
    return FSNSA_OK;
}

void fsnsa_select_result_clear(fsnsa_select_result *r)
{
    if (r == NULL)
        return;
    free(r->sizes);
    free(r->mean);
    free(r->se);
    free(r->fold_loss);
    memset(r, 0, sizeof *r);
}

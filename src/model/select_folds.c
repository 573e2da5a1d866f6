/* The fold work that choosing k (select_k.c) and choosing h (select_h.c)
 * share: the task check, the stratified folds and a status per job before
 * the jobs run, and after them the first failure, the summary and the
 * clean-up. */
#include "select.h"

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

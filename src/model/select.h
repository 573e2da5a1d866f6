/* What choosing k (select_k.c) and choosing h (select_h.c) share: a
 * fold's scaled rows, the candidate sizes in order, the curve's
 * arrays and its summary by the one-standard-error rule. Not part of the
 * API. */
#ifndef FSNSA_MODEL_SELECT_H
#define FSNSA_MODEL_SELECT_H

#include "model.h"

/* The rows of d out of fold f (*train) and in it (*val), imputed and
 * scaled by a scaler fitted on *train alone (o->scale, o->missing). */
fsnsa_status fsnsa__select_fold_data(const fsnsa_dataset *d,
                                     const size_t *fold, size_t f,
                                     const fsnsa_fit_options *o,
                                     fsnsa_dataset **train,
                                     fsnsa_dataset **val, fsnsa_error *err);

/* r->sizes[0..r->n_sizes) ascending and distinct, in place. */
void fsnsa__select_sort_sizes(fsnsa_select_result *r);

/* r's mean, se and folds x n_sizes fold_loss for r->n_sizes sizes, and
 * the rule that will choose (refused if unknown). */
fsnsa_status fsnsa__select_alloc(fsnsa_select_result *r, size_t folds,
                                 fsnsa_select_rule rule, fsnsa_error *err);

/* Mean and standard error (sample sd / sqrt(folds)) per size from
 * fold_loss, then chosen and k by r->rule (fsnsa_select_choose). */
void fsnsa__select_summarize(fsnsa_select_result *r);

/* Refuses a regression (what: "k" or "h"): the folds are stratified by
 * class. */
fsnsa_status fsnsa__select_check_task(const fsnsa_fit_options *o,
                                      const char *what, fsnsa_error *err);

/* A selection's jobs (select_folds.c): each row's fold, and each job's
 * status and error, written by the job (no locking: one slot each). */
typedef struct {
    size_t *fold;
    fsnsa_status *sts;
    fsnsa_error *errs;
    size_t jobs;
} fsnsa__select_work;

/* Allocates w for jobs jobs and draws d's stratified folds from seed.
 * Call fsnsa__select_work_finish whatever it returns. */
fsnsa_status fsnsa__select_work_start(const fsnsa_dataset *d, size_t folds,
                                      uint64_t seed, size_t jobs,
                                      fsnsa__select_work *w, fsnsa_error *err);

/* st, else the first failed job's status and error; on success r is
 * summarized, on failure cleared. Frees w. */
fsnsa_status fsnsa__select_work_finish(fsnsa__select_work *w,
                                       fsnsa_status st,
                                       fsnsa_select_result *r,
                                       fsnsa_error *err);

#endif

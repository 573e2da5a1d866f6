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

/* r's mean, se and folds x n_sizes fold_loss for r->n_sizes sizes. */
fsnsa_status fsnsa__select_alloc(fsnsa_select_result *r, size_t folds,
                                 fsnsa_error *err);

/* Mean and standard error (sample sd / sqrt(folds)) per size from
 * fold_loss, then chosen and k by fsnsa_select_one_se. */
void fsnsa__select_summarize(fsnsa_select_result *r);

#endif

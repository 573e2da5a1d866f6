/* The grid search's internals (Section 4.2, Table 2), shared by its files,
 * in the order they depend on each other:
 *   grid_plan.c   the split and the folds (fsnsa_grid_plan), as data sets
 *   grid_job.c    what every job of the grid shares: a setting's name in
 *                 its key and its training options, the data scaled on the
 *                 job's training rows, the mean over the unbroken jobs
 *   grid_cv.c     phase 1: every setting cross-validated
 *   grid_final.c  phase 2: the chosen settings retrained
 *   grid.c        the options, the list of settings, the choice of the
 *                 settings to retrain, and fsnsa_grid itself */
#ifndef FSNSA_EXP_GRID_H
#define FSNSA_EXP_GRID_H

#include "exp.h"

/* The data every job of the grid reads. */
typedef struct {
    const fsnsa_grid_options *o;
    fsnsa_dataset *train, *test; /* the split of the data, unscaled */
    size_t *folds;  /* repeat r: fold of training row i at r * stride + i */
    size_t stride;  /* rows of the data the grid was given */
    int regression; /* o->train.task is regression: the data has targets */
} fsnsa__grid_data;

/* A regression job's target standardization, fitted on its training rows
 * (the mean and the ddof-0 sd, as fsnsa_model_fit does; sd 1 for a
 * constant target): the net learns (t - mean) / sd, and its outputs go
 * back to the target's units by out * sd + mean before they are scored.
 * {0, 1} for classification. */
typedef struct {
    double mean, sd;
} fsnsa__grid_target;

/* ---- grid_plan.c ---- */

/* Split `all` by fsnsa_grid_plan into g (g->o = o). */
fsnsa_status fsnsa__grid_split(const fsnsa_dataset *all,
                               const fsnsa_grid_options *o,
                               fsnsa__grid_data *g, fsnsa_error *err);
void fsnsa__grid_data_clear(fsnsa__grid_data *g);

/* ---- grid_job.c ---- */

/* "dense/h64/l2=0.001/b32" or "fsa-nsa/k5/h8/l2=0.001/b32": the setting
 * in its jobs' keys. 0, or -1 if it does not fit. */
int fsnsa__grid_setting_name(const fsnsa_grid_setting *s, char *buf,
                             size_t size);
/* o->train with the setting's method, sizes, L2 and batch, for one job. */
void fsnsa__grid_setting_options(const fsnsa_grid_options *o,
                                 const fsnsa_grid_setting *s, uint64_t seed,
                                 fsnsa_train_options *opt);
/* Rows ia of src_a into *a and rows ib of src_b into *b, both scaled by
 * `scale` fitted on *a alone: the scaler never sees the rows a job is
 * evaluated on. A regression's *a also gets its target standardized by
 * *t, fitted on *a; *b keeps its target in the target's units. */
fsnsa_status fsnsa__grid_scaled_pair(const fsnsa_grid_options *o,
                                     const fsnsa_dataset *src_a,
                                     const size_t *ia, size_t na,
                                     const fsnsa_dataset *src_b,
                                     const size_t *ib, size_t nb,
                                     fsnsa_dataset **a, fsnsa_dataset **b,
                                     fsnsa__grid_target *t, fsnsa_error *err);
/* Standardize the n targets v in place by their own mean and sd, into *t
 * (the rule above). */
void fsnsa__grid_standardize(float *v, size_t n, fsnsa__grid_target *t);
/* R^2, RMSE and MAE (NULL: not wanted) of a regression net's outputs out
 * (n, standardized by t) against targets in the target's units; out is
 * turned back to the target's units in place. */
void fsnsa__grid_regression_scores(float *out, const fsnsa__grid_target *t,
                                   const float *target, size_t n, double *r2,
                                   double *rmse, double *mae);
/* Output columns of the grid's nets on d: 1 for a regression, the
 * number of classes otherwise (what fsnsa_net_predict writes a row). */
size_t fsnsa__grid_out_columns(const fsnsa_dataset *d);
/* The seed of grid job `job`: fsnsa_key_seed of o->seed and the job's
 * key, as `key` (the sweep's key callback, with ctx) writes it. */
fsnsa_status fsnsa__grid_job_seed(int (*key)(void *, size_t, char *, size_t),
                                  void *ctx, size_t job,
                                  const fsnsa_grid_options *o, uint64_t *seed,
                                  fsnsa_error *err);
/* A job's cost estimate for setting s trained on n_rows rows of p
 * columns: rows x epochs x the weights trained, the FSA+NSA net's from
 * its start-hidden nodes on every column (its early, widest epochs cost
 * most). Only the order of the jobs handed out depends on it. */
double fsnsa__grid_cost(const fsnsa_grid_options *o,
                        const fsnsa_grid_setting *s, size_t p,
                        size_t n_rows);
/* Mean and sample standard deviation of v[i * stride] over the i with
 * !bad[i]: the jobs that did not break. NaN for no value. */
void fsnsa__grid_mean_std(const double *v, size_t stride, size_t n,
                          const unsigned char *bad, double *mean, double *sd);

/* ---- grid_cv.c ---- */

/* Phase 1: cross-validate every setting over the folds and repeats; fills
 * each setting's cv_acc, cv_acc_std, cv_loss (regression: cv_r2,
 * cv_r2_std, cv_mse) and cv_broken. */
fsnsa_status fsnsa__grid_cv(const fsnsa__grid_data *g,
                            fsnsa_grid_setting *settings, size_t n,
                            fsnsa_error *err);

/* ---- grid_final.c ---- */

/* Phase 2: retrain each of the n settings o->retrains times on the whole
 * training part and score the test part; fills *slots[i] for finals[i]. */
fsnsa_status fsnsa__grid_final(const fsnsa__grid_data *g,
                               const fsnsa_grid_setting *finals, size_t n,
                               fsnsa_grid_final *const *slots,
                               fsnsa_error *err);

#endif

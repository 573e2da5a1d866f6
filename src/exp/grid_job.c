/* What every job of the grid shares, in both phases: the setting's name
 * in the job's key and its training options, the job's data scaled on its
 * training rows, and the mean over the jobs that did not break. */
#include "grid.h"

#include <math.h>

#include "nn/train.h"

int fsnsa__grid_setting_name(const fsnsa_grid_setting *s, char *buf,
                             size_t size)
{
    return s->method == FSNSA_METHOD_DENSE
               ? fsnsa__key_print(buf, size, "dense/h%zu/l2=%g/b%zu",
                                  s->hidden, s->l2, s->batch)
               : fsnsa__key_print(buf, size, "fsa-nsa/k%zu/h%zu/l2=%g/b%zu",
                                  s->features, s->hidden, s->l2, s->batch);
}

void fsnsa__grid_setting_options(const fsnsa_grid_options *o,
                                 const fsnsa_grid_setting *s, uint64_t seed,
                                 fsnsa_train_options *opt)
{
    fsnsa__job_options(&o->train, seed, o->sweep.stop, opt);
    opt->method = s->method;
    opt->hidden = s->hidden;
    opt->features = s->method == FSNSA_METHOD_DENSE ? 0 : s->features;
    opt->weight_decay = s->l2;
    opt->batch = s->batch;
}

fsnsa_status fsnsa__grid_job_seed(int (*key)(void *, size_t, char *, size_t),
                                  void *ctx, size_t job,
                                  const fsnsa_grid_options *o, uint64_t *seed,
                                  fsnsa_error *err)
{
    char buf[512];
    if (key(ctx, job, buf, sizeof buf) != 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "job key too long");
    *seed = fsnsa_key_seed(o->seed, buf);
    return FSNSA_OK;
}

fsnsa_status fsnsa__grid_scaled_pair(const fsnsa_grid_options *o,
                                     const fsnsa_dataset *src_a,
                                     const size_t *ia, size_t na,
                                     const fsnsa_dataset *src_b,
                                     const size_t *ib, size_t nb,
                                     fsnsa_dataset **a, fsnsa_dataset **b,
                                     fsnsa__grid_target *t, fsnsa_error *err)
{
    *a = *b = NULL;
    *t = (fsnsa__grid_target){0.0, 1.0};
    fsnsa_scaler sc = {0};
    fsnsa_status st = fsnsa_dataset_subset(src_a, ia, na, a, err);
    if (st == FSNSA_OK)
        st = fsnsa_dataset_subset(src_b, ib, nb, b, err);
    if (st == FSNSA_OK)
        st = fsnsa_scaler_fit(*a, o->scale, &sc, err);
    /* the fill values are a's means: the rows b are scored on never
     * inform them */
    if (st == FSNSA_OK && o->missing != FSNSA_MISSING_REFUSE) {
        fsnsa_scaler_impute(&sc, o->missing, *a);
        fsnsa_scaler_impute(&sc, o->missing, *b);
    }
    if (st == FSNSA_OK)
        st = fsnsa_scaler_apply(&sc, *a, err);
    if (st == FSNSA_OK)
        st = fsnsa_scaler_apply(&sc, *b, err);
    if (st == FSNSA_OK && (*a)->target != NULL)
        fsnsa__grid_standardize((*a)->target, (*a)->n, t);
    fsnsa_scaler_clear(&sc);
    if (st != FSNSA_OK) {
        fsnsa_dataset_free(*a);
        fsnsa_dataset_free(*b);
        *a = *b = NULL;
    }
    return st;
}

void fsnsa__grid_standardize(float *v, size_t n, fsnsa__grid_target *t)
{
    fsnsa__target_moments(v, n, &t->mean, &t->sd);
    for (size_t i = 0; i < n; i++)
        v[i] = (float)(((double)v[i] - t->mean) / t->sd);
}

void fsnsa__grid_regression_scores(float *out, const fsnsa__grid_target *t,
                                   const float *target, size_t n, double *r2,
                                   double *rmse, double *mae)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (float)((double)out[i] * t->sd + t->mean);
    fsnsa_regression_metrics(out, target, n, rmse, mae, r2);
}

size_t fsnsa__grid_out_columns(const fsnsa_dataset *d)
{
    return d->target != NULL ? 1 : d->schema.n_classes;
}

double fsnsa__grid_cost(const fsnsa_grid_options *o,
                        const fsnsa_grid_setting *s, size_t p,
                        size_t n_rows)
{
    double w = s->method == FSNSA_METHOD_DENSE
                   ? (double)s->hidden * (double)(p + 1)
                   : (double)o->train.start_hidden * (double)(p + 1) / 2;
    return w * (double)n_rows * (double)o->train.epochs;
}

void fsnsa__grid_mean_std(const double *v, size_t stride, size_t n,
                          const unsigned char *bad, double *mean, double *sd)
{
    double m = 0, s = 0;
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        if (!bad[i]) {
            m += v[i * stride];
            used++;
        }
    m /= (double)used;
    for (size_t i = 0; i < n; i++)
        if (!bad[i])
            s += (v[i * stride] - m) * (v[i * stride] - m);
    *mean = used > 0 ? m : NAN;
    /* sample standard deviation; 0 for a single value */
    *sd = used > 1 ? sqrt(s / (double)(used - 1)) : used > 0 ? 0 : NAN;
}

/* What regression adds around the training step (docs/algorithm.md,
 * "Regression"): the check of the targets, the error of predicting their
 * mean (the worse-than-constant rule's figure), the validation split
 * without strata, and RMSE, MAE and R^2. */
#include "train.h"

#include <math.h>
#include <stdlib.h>

fsnsa_status fsnsa__check_targets(const fsnsa_dataset *d, fsnsa_error *err)
{
    if (!d->has_labels || d->target == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "regression needs data with numeric targets "
                           "(read with task regression)");
    if (d->n == 0 || d->p == 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "training data is empty");
    for (size_t i = 0; i < d->n; i++)
        if (!isfinite(d->target[i]))
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "row %zu: the target %g is not finite", i + 1,
                               (double)d->target[i]);
    return FSNSA_OK;
}

/* The targets' mean and sum of squared deviations about it. */
static void mean_and_squares(const float *t, size_t n, double *mean,
                             double *ss)
{
    double m = 0.0, q = 0.0;
    for (size_t i = 0; i < n; i++)
        m += t[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        q += ((double)t[i] - m) * ((double)t[i] - m);
    *mean = m;
    *ss = q;
}

double fsnsa__constant_loss_target(const float *t, size_t n)
{
    if (n == 0)
        return NAN;
    double mean, ss;
    mean_and_squares(t, n, &mean, &ss);
    return ss / (double)n;
}

void fsnsa__target_moments(const float *t, size_t n, double *mean,
                           double *sd)
{
    *mean = 0.0;
    *sd = 1.0;
    if (n == 0)
        return;
    double ss;
    mean_and_squares(t, n, mean, &ss);
    double s = sqrt(ss / (double)n);
    if (s > 0 && isfinite(s))
        *sd = s;
}

/* round(fraction * n) rows, chosen by a shuffle of 0..n-1 from seed: the
 * first ones of the shuffled order are held out; both sides ascend. */
void fsnsa__split_shuffled(size_t n, double fraction, uint64_t seed,
                           size_t *train_idx, size_t *n_train,
                           size_t *val_idx, size_t *n_val)
{
    size_t k = (size_t)floor(fraction * (double)n + 0.5);
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, seed);
    /* train_idx serves as the shuffle's buffer, val_idx as the marks */
    for (size_t i = 0; i < n; i++) {
        train_idx[i] = i;
        val_idx[i] = 0;
    }
    fsnsa_rng_shuffle(&rng, train_idx, n);
    for (size_t i = 0; i < k; i++)
        val_idx[train_idx[i]] = 1;
    size_t a = 0, b = 0;
    for (size_t i = 0; i < n; i++) { /* marks read before overwritten */
        if (val_idx[i])
            val_idx[b++] = i;
        else
            train_idx[a++] = i;
    }
    *n_train = a;
    *n_val = b;
}

void fsnsa_regression_metrics(const float *pred, const float *target,
                              size_t n, double *rmse, double *mae,
                              double *r2)
{
    double mean = 0.0, se = 0.0, ae = 0.0, ss = 0.0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(target[i])) {
            mean += target[i];
            m++;
        }
    mean = m ? mean / (double)m : NAN;
    for (size_t i = 0; i < n; i++) {
        if (isnan(target[i]))
            continue;
        double e = (double)pred[i] - (double)target[i];
        double c = (double)target[i] - mean;
        se += e * e;
        ae += fabs(e);
        ss += c * c;
    }
    if (rmse != NULL)
        *rmse = m ? sqrt(se / (double)m) : NAN;
    if (mae != NULL)
        *mae = m ? ae / (double)m : NAN;
    if (r2 != NULL)
        *r2 = m && ss > 0 ? 1.0 - se / ss : NAN;
}

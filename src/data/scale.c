/* Input standardization, fitted on training rows only and kept in the
 * model so that predict transforms new rows identically. */
#include "core/core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void fsnsa_scaler_clear(fsnsa_scaler *s)
{
    if (s == NULL)
        return;
    free(s->shift);
    free(s->mult);
    free(s->fill);
    memset(s, 0, sizeof *s);
}

fsnsa_status fsnsa_scaler_fit(const fsnsa_dataset *d, fsnsa_scale kind,
                              fsnsa_scaler *out, fsnsa_error *err)
{
    memset(out, 0, sizeof *out);
    if (kind != FSNSA_SCALE_NONE && kind != FSNSA_SCALE_STANDARD &&
        kind != FSNSA_SCALE_MINMAX)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "unknown scaling %d", (int)kind);
    size_t p = d->p;
    out->kind = kind;
    out->p = p;
    out->shift = fsnsa__alloc(p, sizeof(float));
    out->mult = fsnsa__alloc(p, sizeof(float));
    out->fill = fsnsa__alloc(p, sizeof(float));
    double *sum = fsnsa__calloc(p, sizeof(double));
    double *sq = fsnsa__calloc(p, sizeof(double));
    double *lo = fsnsa__alloc(p, sizeof(double));
    double *hi = fsnsa__alloc(p, sizeof(double));
    size_t *cnt = fsnsa__calloc(p, sizeof(size_t));
    fsnsa_status st = FSNSA_OK;
    if (!out->shift || !out->mult || !out->fill || !sum || !sq || !lo || !hi ||
        !cnt) {
        st = fsnsa__nomem(err, "the scaler");
        goto done;
    }
    for (size_t j = 0; j < p; j++) {
        lo[j] = INFINITY;
        hi[j] = -INFINITY;
    }
    /* Two passes (mean, then squared deviations) for a stable variance. */
    for (size_t i = 0; i < d->n; i++) {
        const float *row = d->x + i * p;
        for (size_t j = 0; j < p; j++) {
            double v = row[j];
            if (isnan(v))
                continue;
            sum[j] += v;
            cnt[j]++;
            if (v < lo[j])
                lo[j] = v;
            if (v > hi[j])
                hi[j] = v;
        }
    }
    for (size_t j = 0; j < p; j++)
        sum[j] = cnt[j] ? sum[j] / (double)cnt[j] : 0.0;
    for (size_t i = 0; i < d->n; i++) {
        const float *row = d->x + i * p;
        for (size_t j = 0; j < p; j++) {
            double v = row[j];
            if (!isnan(v))
                sq[j] += (v - sum[j]) * (v - sum[j]);
        }
    }
    for (size_t j = 0; j < p; j++) {
        double mean = sum[j];
        double sd = cnt[j] ? sqrt(sq[j] / (double)cnt[j]) : 0.0;
        out->fill[j] = (float)mean;
        switch (kind) {
        case FSNSA_SCALE_NONE:
            out->shift[j] = 0.0f;
            out->mult[j] = 1.0f;
            break;
        case FSNSA_SCALE_STANDARD:
            /* A constant column carries no information; leave it at 0
             * instead of dividing by zero. */
            out->shift[j] = (float)mean;
            out->mult[j] = sd > 1e-12 * (fabs(mean) + 1.0) ? (float)(1.0 / sd) : 1.0f;
            break;
        case FSNSA_SCALE_MINMAX:
            if (cnt[j] == 0) {
                out->shift[j] = 0.0f;
                out->mult[j] = 1.0f;
            } else {
                out->shift[j] = (float)lo[j];
                double r = hi[j] - lo[j];
                out->mult[j] = r > 0 ? (float)(1.0 / r) : 1.0f;
            }
            break;
        }
    }
done:
    free(sum);
    free(sq);
    free(lo);
    free(hi);
    free(cnt);
    if (st != FSNSA_OK)
        fsnsa_scaler_clear(out);
    return st;
}

void fsnsa_scaler_impute(const fsnsa_scaler *s, fsnsa_missing mode,
                         fsnsa_dataset *d)
{
    if (mode == FSNSA_MISSING_REFUSE || s->p != d->p)
        return;
    for (size_t i = 0; i < d->n; i++) {
        float *row = d->x + i * d->p;
        for (size_t j = 0; j < d->p; j++)
            if (isnan(row[j]))
                row[j] = mode == FSNSA_MISSING_MEAN && s->fill ? s->fill[j] : 0.0f;
    }
}

fsnsa_status fsnsa_scaler_apply(const fsnsa_scaler *s, fsnsa_dataset *d,
                                fsnsa_error *err)
{
    if (s->p != d->p)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "scaler has %zu columns, data has %zu", s->p, d->p);
    if (s->kind == FSNSA_SCALE_NONE)
        return FSNSA_OK;
    for (size_t i = 0; i < d->n; i++) {
        float *row = d->x + i * d->p;
        for (size_t j = 0; j < d->p; j++)
            row[j] = (row[j] - s->shift[j]) * s->mult[j];
    }
    return FSNSA_OK;
}

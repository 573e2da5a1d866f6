/* Input standardization, fitted on training rows only and kept in the
 * model so that predict transforms new rows identically. */
#include "core/core.h"

#include <math.h>
#include <stdbool.h>
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

fsnsa_status fsnsa_scaler_copy(fsnsa_scaler *dst, const fsnsa_scaler *src,
                               fsnsa_error *err)
{
    memset(dst, 0, sizeof *dst);
    dst->kind = src->kind;
    dst->p = src->p;
    dst->shift = fsnsa__alloc(src->p, sizeof(float));
    dst->mult = fsnsa__alloc(src->p, sizeof(float));
    dst->fill = fsnsa__alloc(src->p, sizeof(float));
    if (dst->shift == NULL || dst->mult == NULL || dst->fill == NULL) {
        fsnsa_scaler_clear(dst);
        return fsnsa__nomem(err, "a scaler");
    }
    memcpy(dst->shift, src->shift, src->p * sizeof(float));
    memcpy(dst->mult, src->mult, src->p * sizeof(float));
    memcpy(dst->fill, src->fill, src->p * sizeof(float));
    return FSNSA_OK;
}

/* Per column, over the values present (NaN is missing): mean, sum of
 * squared deviations, least and greatest value and count. Two passes
 * (mean, then squared deviations) for a stable variance. */
typedef struct {
    double *mean, *sq, *lo, *hi;
    size_t *cnt;
} column_stats;

static void stats_free(column_stats *c)
{
    free(c->mean);
    free(c->sq);
    free(c->lo);
    free(c->hi);
    free(c->cnt);
}

static bool stats_of(const fsnsa_dataset *d, column_stats *c)
{
    size_t p = d->p;
    c->mean = fsnsa__calloc(p, sizeof(double));
    c->sq = fsnsa__calloc(p, sizeof(double));
    c->lo = fsnsa__alloc(p, sizeof(double));
    c->hi = fsnsa__alloc(p, sizeof(double));
    c->cnt = fsnsa__calloc(p, sizeof(size_t));
    if (!c->mean || !c->sq || !c->lo || !c->hi || !c->cnt)
        return false;
    for (size_t j = 0; j < p; j++) {
        c->lo[j] = INFINITY;
        c->hi[j] = -INFINITY;
    }
    for (size_t i = 0; i < d->n; i++) {
        const float *row = d->x + i * p;
        for (size_t j = 0; j < p; j++) {
            double v = row[j];
            if (isnan(v))
                continue;
            c->mean[j] += v;
            c->cnt[j]++;
            if (v < c->lo[j])
                c->lo[j] = v;
            if (v > c->hi[j])
                c->hi[j] = v;
        }
    }
    for (size_t j = 0; j < p; j++)
        c->mean[j] = c->cnt[j] ? c->mean[j] / (double)c->cnt[j] : 0.0;
    for (size_t i = 0; i < d->n; i++) {
        const float *row = d->x + i * p;
        for (size_t j = 0; j < p; j++) {
            double v = row[j];
            if (!isnan(v))
                c->sq[j] += (v - c->mean[j]) * (v - c->mean[j]);
        }
    }
    return true;
}

/* Column j's shift, multiplier and fill from its statistics. */
static void scale_column(fsnsa_scaler *out, const column_stats *c, size_t j)
{
    double mean = c->mean[j];
    double sd = c->cnt[j] ? sqrt(c->sq[j] / (double)c->cnt[j]) : 0.0;
    out->fill[j] = (float)mean;
    out->shift[j] = 0.0f;
    out->mult[j] = 1.0f;
    switch (out->kind) {
    case FSNSA_SCALE_NONE:
        break;
    case FSNSA_SCALE_STANDARD:
        /* A constant column carries no information; leave it at 0
         * instead of dividing by zero. */
        out->shift[j] = (float)mean;
        out->mult[j] = sd > 1e-12 * (fabs(mean) + 1.0) ? (float)(1.0 / sd) : 1.0f;
        break;
    case FSNSA_SCALE_MINMAX:
        if (c->cnt[j] > 0) {
            out->shift[j] = (float)c->lo[j];
            double r = c->hi[j] - c->lo[j];
            out->mult[j] = r > 0 ? (float)(1.0 / r) : 1.0f;
        }
        break;
    }
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
    column_stats c = {NULL, NULL, NULL, NULL, NULL};
    bool ok = out->shift && out->mult && out->fill && stats_of(d, &c);
    if (ok)
        for (size_t j = 0; j < p; j++)
            scale_column(out, &c, j);
    stats_free(&c);
    if (ok)
        return FSNSA_OK;
    fsnsa_scaler_clear(out);
    return fsnsa__nomem(err, "the scaler");
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

/* Restarts (Figures 1, 3, 5, 7): R trainings of one network on the same
 * data, one job "seed=S" per seed, and the minima they find: sorted by
 * loss (cross-entropy, or regression's mean squared error on the
 * standardized target), counted as distinct minima, averaged over the
 * runs that did not break (docs/experiments.md, "fsnsa restarts"). */
#include "exp.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void fsnsa_restarts_options_default(fsnsa_restarts_options *o)
{
    memset(o, 0, sizeof *o);
    fsnsa_train_options_default(&o->train);
    /* the paper's restarts study dense nets; hidden stays 0, the
     * automatic size (64 for dense) */
    o->train.method = FSNSA_METHOD_DENSE;
    o->restarts = 10;
    /* the paper's experiments reproduce the paper's algorithm */
    o->train.variant = FSNSA_VARIANT_PAPER;
    o->seed0 = 1;
    o->tolerance = 1e-3;
    fsnsa_sweep_options_default(&o->sweep);
}

void fsnsa_restarts_result_clear(fsnsa_restarts_result *r)
{
    if (r == NULL)
        return;
    free(r->runs);
    free(r->kept);
    free(r->kept_known);
    memset(r, 0, sizeof *r);
}

/* A run's values in the job file, in this order, then the kept columns
 * as KEPT_BITS-bit masks (an integer a double holds exactly): column j is
 * bit j % KEPT_BITS of mask j / KEPT_BITS. Lines written before the masks
 * have the RV_N values only. A regression run has its R^2 and RMSE where
 * a classification run has its AUC and accuracy (the header's `values`
 * names them, and its task field keeps the two kinds of file apart). */
enum { RV_LOSS, RV_TRAIN_AUC, RV_TEST_AUC, RV_TRAIN_ACC, RV_TEST_ACC,
       RV_SECONDS, RV_HIDDEN, RV_FEATURES, RV_WEIGHTS, RV_N };
enum { RV_TRAIN_R2 = RV_TRAIN_AUC, RV_TEST_R2 = RV_TEST_AUC,
       RV_TRAIN_RMSE = RV_TRAIN_ACC, RV_TEST_RMSE = RV_TEST_ACC };
enum { KEPT_BITS = 32 };

typedef struct {
    const fsnsa_dataset *train, *test;
    const fsnsa_restarts_options *o;
    size_t nv; /* values per job: RV_N and the masks */
} restarts_ctx;

static size_t mask_count(size_t p)
{
    return (p + KEPT_BITS - 1) / KEPT_BITS;
}

static void kept_to_masks(const unsigned char *kept, size_t p, double *m)
{
    for (size_t w = 0; w < mask_count(p); w++) {
        uint32_t bits = 0;
        for (size_t b = 0; b < KEPT_BITS && w * KEPT_BITS + b < p; b++)
            bits |= (uint32_t)(kept[w * KEPT_BITS + b] != 0) << b;
        m[w] = (double)bits;
    }
}

/* 0 when the masks are missing (NaN: an older line) or not masks. */
static int masks_to_kept(const double *m, size_t p, unsigned char *kept)
{
    memset(kept, 0, p);
    for (size_t w = 0; w < mask_count(p); w++)
        if (!(m[w] >= 0 && m[w] <= (double)UINT32_MAX &&
              m[w] == (double)(uint32_t)m[w]))
            return 0;
    for (size_t j = 0; j < p; j++)
        kept[j] = (uint32_t)m[j / KEPT_BITS] >> (j % KEPT_BITS) & 1u;
    return 1;
}

static int restarts_key(void *ctx_, size_t job, char *buf, size_t size)
{
    restarts_ctx *ctx = ctx_;
    return fsnsa__key_print(buf, size, "seed=%llu",
                            (unsigned long long)(ctx->o->seed0 + job));
}

static void run_to_values(const fsnsa_run *r, double *v)
{
    int reg = r->task == FSNSA_TASK_REGRESSION;
    v[RV_LOSS] = r->loss;
    v[RV_TRAIN_AUC] = reg ? r->train_r2 : r->train_auc;
    v[RV_TEST_AUC] = reg ? r->test_r2 : r->test_auc;
    v[RV_TRAIN_ACC] = reg ? r->train_rmse : r->train_acc;
    v[RV_TEST_ACC] = reg ? r->test_rmse : r->test_acc;
    v[RV_SECONDS] = r->seconds;
    v[RV_HIDDEN] = (double)r->hidden;
    v[RV_FEATURES] = (double)r->features;
    v[RV_WEIGHTS] = (double)r->weights;
}

static void values_to_run(const double *v, uint64_t seed, fsnsa_task task,
                          fsnsa_run *r)
{
    r->seed = seed;
    r->task = task;
    r->loss = v[RV_LOSS];
    r->train_auc = r->test_auc = r->train_acc = r->test_acc = NAN;
    r->train_r2 = r->test_r2 = r->train_rmse = r->test_rmse = NAN;
    if (task == FSNSA_TASK_REGRESSION) {
        r->train_r2 = v[RV_TRAIN_R2];
        r->test_r2 = v[RV_TEST_R2];
        r->train_rmse = v[RV_TRAIN_RMSE];
        r->test_rmse = v[RV_TEST_RMSE];
    } else {
        r->train_auc = v[RV_TRAIN_AUC];
        r->test_auc = v[RV_TEST_AUC];
        r->train_acc = v[RV_TRAIN_ACC];
        r->test_acc = v[RV_TEST_ACC];
    }
    r->seconds = v[RV_SECONDS];
    r->hidden = (size_t)v[RV_HIDDEN];
    r->features = (size_t)v[RV_FEATURES];
    r->weights = (size_t)v[RV_WEIGHTS];
}

static fsnsa_status restarts_run(void *ctx_, size_t job, double *v,
                                 fsnsa_error *err)
{
    restarts_ctx *ctx = ctx_;
    fsnsa_train_options opt;
    fsnsa__job_options(&ctx->o->train, ctx->o->seed0 + job,
                       ctx->o->sweep.stop, &opt);
    fsnsa_run r;
    size_t p = ctx->train->p;
    unsigned char *kept = fsnsa__alloc(p + 1, 1);
    if (kept == NULL)
        return fsnsa__nomem(err, "a run's columns");
    fsnsa_status st = fsnsa__train_and_score(ctx->train, ctx->test, &opt, &r,
                                             kept, err);
    if (st == FSNSA_OK) {
        run_to_values(&r, v);
        kept_to_masks(kept, p, v + RV_N);
    }
    free(kept);
    return st;
}

static int cmp_run(const void *a_, const void *b_)
{
    const fsnsa_run *a = a_, *b = b_;
    /* broken runs last, NaN losses last of all */
    if (a->broken != b->broken)
        return a->broken - b->broken;
    if (isnan(a->loss) != isnan(b->loss))
        return isnan(a->loss) - isnan(b->loss);
    if (a->loss < b->loss)
        return -1;
    if (a->loss > b->loss)
        return 1;
    return (a->seed > b->seed) - (a->seed < b->seed);
}

/* The sorted runs' kept columns, each found by its seed's job. */
static void sort_kept(const double *values, size_t nv,
                      const fsnsa_restarts_options *o,
                      fsnsa_restarts_result *out)
{
    for (size_t i = 0; i < out->n; i++) {
        size_t job = (size_t)(out->runs[i].seed - o->seed0);
        out->kept_known[i] = (unsigned char)masks_to_kept(
            values + job * nv + RV_N, out->p, out->kept + i * out->p);
    }
}

/* The means over the runs that are not broken (good of them), in seed
 * order. */
static void means(fsnsa_restarts_result *out, size_t good)
{
    double g = (double)good;
    for (size_t i = 0; i < out->n; i++) {
        const fsnsa_run *r = &out->runs[i];
        if (r->broken)
            continue;
        out->mean_loss += r->loss / g;
        out->mean_train_auc += r->train_auc / g;
        out->mean_test_auc += r->test_auc / g;
        out->mean_train_acc += r->train_acc / g;
        out->mean_test_acc += r->test_acc / g;
        out->mean_train_r2 += r->train_r2 / g;
        out->mean_test_r2 += r->test_r2 / g;
        out->mean_train_rmse += r->train_rmse / g;
        out->mean_test_rmse += r->test_rmse / g;
    }
}

/* out->runs and the summaries from the sweep's values (R x nv). */
static void summarize(const double *values, size_t nv,
                      const fsnsa_restarts_options *o,
                      fsnsa_restarts_result *out)
{
    const size_t R = o->restarts;
    out->n = R;
    out->task = o->train.task;
    for (size_t i = 0; i < R; i++) {
        fsnsa_run *r = &out->runs[i];
        values_to_run(values + i * nv, o->seed0 + i, o->train.task, r);
        r->broken = fsnsa__run_broken(r->loss, out->constant_loss, &o->train);
        out->broken += (size_t)r->broken;
    }
    size_t good = R - out->broken;
    means(out, good);
    qsort(out->runs, R, sizeof *out->runs, cmp_run);
    sort_kept(values, nv, o, out);
    if (good == 0) {
        out->mean_loss = out->mean_train_auc = out->mean_test_auc = NAN;
        out->mean_train_acc = out->mean_test_acc = out->spread = NAN;
        out->mean_train_r2 = out->mean_test_r2 = NAN;
        out->mean_train_rmse = out->mean_test_rmse = NAN;
        return;
    }
    out->distinct = 1;
    for (size_t i = 1; i < good; i++)
        if (out->runs[i].loss - out->runs[i - 1].loss > o->tolerance)
            out->distinct++;
    out->spread = out->runs[good - 1].loss - out->runs[0].loss;
}

fsnsa_status fsnsa_restarts(const fsnsa_dataset *train,
                            const fsnsa_dataset *test,
                            const fsnsa_restarts_options *o,
                            fsnsa_restarts_result *out, fsnsa_error *err)
{
    memset(out, 0, sizeof *out);
    if (train == NULL || o == NULL || o->restarts == 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "restarts need data and R >= 1");
    if (!(o->tolerance >= 0))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "tolerance must be >= 0");
    fsnsa_status st = fsnsa_train_options_check(&o->train, train->p, err);
    if (st != FSNSA_OK)
        return st;
    size_t R = o->restarts, p = train->p;
    size_t nv = RV_N + mask_count(p);
    double *values = fsnsa__alloc(R * nv, sizeof(double));
    unsigned char *done = fsnsa__alloc(R, 1);
    out->runs = fsnsa__calloc(R, sizeof *out->runs);
    out->p = p;
    out->kept = fsnsa__alloc(R * p + 1, 1);
    out->kept_known = fsnsa__alloc(R, 1);
    if (values == NULL || done == NULL || out->runs == NULL ||
        out->kept == NULL || out->kept_known == NULL)
        st = fsnsa__nomem(err, "restart results");
    if (st == FSNSA_OK)
        st = fsnsa__sweep_constant_loss(train, o->train.task,
                                        &out->constant_loss, err);
    restarts_ctx ctx = {train, test, o, nv};
    fsnsa_sweep s = {R, nv, restarts_key, restarts_run, NULL, &ctx, NULL, RV_N};
    if (st == FSNSA_OK)
        st = fsnsa_sweep_run(&s, &o->sweep, values, done, err);
    if (st == FSNSA_OK)
        summarize(values, nv, o, out);
    else
        fsnsa_restarts_result_clear(out);
    free(values);
    free(done);
    return st;
}

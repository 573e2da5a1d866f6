/* Hit time (Figure 4): for each p, trainings on the first p columns with
 * seeds seed0, seed0+1, ... until target_hits of them reach the threshold
 * of train AUC (regression: train R^2), one job "p=P/seed=S" per run;
 * the estimate is runs/hits over the seed-order prefix that decides it,
 * so the answer does not depend on which runs finished first
 * (docs/experiments.md, "fsnsa hittime"). */
#include "exp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void fsnsa_hittime_options_default(fsnsa_hittime_options *o)
{
    memset(o, 0, sizeof *o);
    fsnsa_train_options_default(&o->train);
    /* the paper's Figure 4: dense nets with 20 hidden nodes */
    o->train.method = FSNSA_METHOD_DENSE;
    o->train.hidden = 20;
    /* the paper's experiments reproduce the paper's algorithm */
    o->train.variant = FSNSA_VARIANT_PAPER;
    o->max_runs = 200;
    o->target_hits = 10;
    o->threshold = 0.95;
    o->seed0 = 1;
    o->stop_censored = 1;
    fsnsa_sweep_options_default(&o->sweep);
}

/* A run's values in the job file, in this order. A broken run is recorded
 * with hit 0: an initialization that found no good minimum. A regression
 * run has its train R^2 where a classification run has its AUC (the
 * header's `values` and task fields say which). */
enum { HV_HIT, HV_TRAIN_AUC, HV_LOSS, HV_SECONDS, HV_N };
enum { HV_TRAIN_R2 = HV_TRAIN_AUC };

typedef struct {
    fsnsa_dataset **data; /* per p: the first p columns */
    const fsnsa_hittime_options *o;
} hittime_ctx;

static int hittime_key(void *ctx_, size_t job, char *buf, size_t size)
{
    hittime_ctx *ctx = ctx_;
    size_t R = ctx->o->max_runs;
    return fsnsa__key_print(buf, size, "p=%zu/seed=%llu", ctx->o->p[job / R],
                            (unsigned long long)(ctx->o->seed0 + job % R));
}

static fsnsa_status hittime_run(void *ctx_, size_t job, double *v,
                                fsnsa_error *err)
{
    hittime_ctx *ctx = ctx_;
    size_t R = ctx->o->max_runs;
    fsnsa_train_options opt;
    fsnsa__job_options(&ctx->o->train, ctx->o->seed0 + job % R,
                       ctx->o->sweep.stop, &opt);
    fsnsa_run r;
    fsnsa_status st = fsnsa__train_and_score(ctx->data[job / R], NULL, &opt,
                                             &r, NULL, err);
    if (st != FSNSA_OK)
        return st;
    /* the figure a hit is judged by: train AUC, or regression's R^2 */
    double score = r.task == FSNSA_TASK_REGRESSION ? r.train_r2 : r.train_auc;
    v[HV_HIT] = !r.broken && score >= ctx->o->threshold ? 1.0 : 0.0;
    v[HV_TRAIN_AUC] = score;
    v[HV_LOSS] = r.loss;
    v[HV_SECONDS] = r.seconds;
    return FSNSA_OK;
}

/* Runs in the seed-order prefix that decides p's estimate: the first m
 * runs, where run m-1 is the target_hits-th hit; R if fewer hits. Only a
 * fully known prefix counts, so the answer never depends on which later
 * runs happened to finish first. Returns 0 while undecided. */
static size_t decided_prefix(const fsnsa_hittime_options *o, size_t pi,
                             const unsigned char *done, const double *values,
                             size_t *hits)
{
    size_t R = o->max_runs, h = 0;
    for (size_t i = 0; i < R; i++) {
        size_t j = pi * R + i;
        if (!done[j])
            return 0;
        if (values[j * HV_N + HV_HIT] > 0.5 && ++h == o->target_hits) {
            *hits = h;
            return i + 1;
        }
    }
    *hits = h;
    return R;
}

/* Whether a smaller p had no hit in all its runs. */
static int censored_before(const fsnsa_hittime_options *o, size_t pi,
                           const unsigned char *done, const double *values)
{
    for (size_t q = 0; q < pi; q++) {
        size_t hits;
        if (decided_prefix(o, q, done, values, &hits) == o->max_runs &&
            hits == 0)
            return 1;
    }
    return 0;
}

/* Leave a run out when enough runs before it hit, or (stop_censored) when
 * a smaller p was censored. Any known runs before it count, not only a
 * gapless prefix: with target_hits hits among them the deciding prefix
 * ends before this run whatever the unknown runs give, so a shard (which
 * knows only its own runs) stops early too, and the merged shards hold
 * every run that the deciding prefix needs. */
static int hittime_skip(void *ctx_, size_t job, const unsigned char *done,
                        const double *values)
{
    hittime_ctx *ctx = ctx_;
    const fsnsa_hittime_options *o = ctx->o;
    size_t pi = job / o->max_runs, i = job % o->max_runs;
    size_t h = 0;
    for (size_t q = 0; q < i; q++) {
        size_t j = pi * o->max_runs + q;
        if (done[j] && values[j * HV_N + HV_HIT] > 0.5 &&
            ++h >= o->target_hits)
            return 1;
    }
    return o->stop_censored && censored_before(o, pi, done, values);
}

/* The 95% Wilson score interval of a hit probability. */
static void wilson(size_t hits, size_t n, double *lo, double *hi)
{
    const double z = 1.959963984540054;
    double q = (double)hits / (double)n, z2n = z * z / (double)n;
    double centre = (q + z2n / 2) / (1 + z2n);
    double half = z / (1 + z2n) *
                  sqrt(q * (1 - q) / (double)n + z2n / (4 * (double)n));
    *lo = hits == 0 ? 0 : fmax(0, centre - half);
    *hi = hits == n ? 1 : fmin(1, centre + half);
}

static fsnsa_status check_options(const fsnsa_dataset *train,
                                  const fsnsa_hittime_options *o,
                                  fsnsa_error *err)
{
    if (train == NULL || o == NULL || o->n_p == 0 || o->max_runs == 0 ||
        o->target_hits == 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "hit time needs data, p values, R >= 1 and a hit "
                           "target >= 1");
    for (size_t i = 0; i < o->n_p; i++)
        if (o->p[i] < 1 || o->p[i] > train->p)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "p = %zu is outside [1, %zu] (the data's "
                               "columns)", o->p[i], train->p);
    return FSNSA_OK;
}

/* The first p columns of d, with its labels or regression targets. */
static fsnsa_status first_columns(const fsnsa_dataset *d, size_t p,
                                  fsnsa_dataset **out, fsnsa_error *err)
{
    float *x = fsnsa__alloc(d->n * p, sizeof(float));
    if (x == NULL)
        return fsnsa__nomem(err, "hit-time data");
    for (size_t r = 0; r < d->n; r++)
        memcpy(x + r * p, d->x + r * d->p, p * sizeof(float));
    int reg = d->target != NULL;
    fsnsa_status st = fsnsa_dataset_from_arrays(
        d->n, p, x, reg ? NULL : d->y, reg ? 0 : d->schema.n_classes, out,
        err);
    free(x);
    if (st == FSNSA_OK && reg)
        st = fsnsa_dataset_set_target(*out, d->target, err);
    if (st != FSNSA_OK) {
        fsnsa_dataset_free(*out);
        *out = NULL;
    }
    return st;
}

/* Over the first m runs v (HV_N values each): the broken ones, and the
 * mean and best train score (AUC or R^2) of the others (NaN if none). */
static void run_scores(const fsnsa_hittime_options *o, const double *v,
                       size_t m, double constant_loss, size_t *broken,
                       double *mean, double *best)
{
    *broken = 0;
    for (size_t i = 0; i < m; i++)
        *broken += (size_t)fsnsa__run_broken(v[i * HV_N + HV_LOSS],
                                             constant_loss, &o->train);
    *mean = 0.0;
    *best = -INFINITY;
    for (size_t i = 0; i < m; i++) {
        if (fsnsa__run_broken(v[i * HV_N + HV_LOSS], constant_loss,
                              &o->train))
            continue;
        double a = v[i * HV_N + HV_TRAIN_AUC];
        *mean += a / (double)(m - *broken);
        if (a > *best)
            *best = a;
    }
    if (*broken == m)
        *mean = *best = NAN;
}

/* The mean and best train score into the task's fields, the others NaN. */
static void put_scores(fsnsa_task task, double mean, double best,
                       fsnsa_hittime_point *pt)
{
    int reg = task == FSNSA_TASK_REGRESSION;
    pt->task = task;
    pt->mean_train_auc = reg ? NAN : mean;
    pt->best_train_auc = reg ? NAN : best;
    pt->mean_train_r2 = reg ? mean : NAN;
    pt->best_train_r2 = reg ? best : NAN;
}

/* Point pi's estimate from the runs' values (R per p, HV_N each). */
static fsnsa_status estimate(const fsnsa_hittime_options *o, size_t pi,
                             const unsigned char *done, const double *values,
                             double constant_loss, fsnsa_hittime_point *pt,
                             fsnsa_error *err)
{
    const size_t R = o->max_runs;
    memset(pt, 0, sizeof *pt);
    pt->p = o->p[pi];
    if (o->stop_censored && censored_before(o, pi, done, values)) {
        pt->status = 2;
        pt->hit_time = pt->lo = pt->hi = NAN;
        put_scores(o->train.task, NAN, NAN, pt);
        return FSNSA_OK;
    }
    size_t hits = 0, m = decided_prefix(o, pi, done, values, &hits);
    if (m == 0)
        return fsnsa__fail(err, FSNSA_ERR_INTERRUPTED,
                           "p = %zu: runs missing", pt->p);
    pt->runs = m;
    pt->hits = hits;
    double mean, best;
    run_scores(o, values + pi * R * HV_N, m, constant_loss, &pt->broken,
               &mean, &best);
    put_scores(o->train.task, mean, best, pt);
    double qlo, qhi;
    wilson(hits, m, &qlo, &qhi);
    if (hits == 0) {
        pt->status = 1;
        pt->hit_time = INFINITY;
    } else {
        pt->hit_time = (double)m / (double)hits;
    }
    pt->lo = 1.0 / qhi;
    pt->hi = qlo > 0 ? 1.0 / qlo : INFINITY;
    return FSNSA_OK;
}

fsnsa_status fsnsa_hittime(const fsnsa_dataset *train,
                           const fsnsa_hittime_options *o,
                           fsnsa_hittime_point *out, fsnsa_error *err)
{
    fsnsa_status st = check_options(train, o, err);
    if (st != FSNSA_OK)
        return st;
    size_t np = o->n_p, R = o->max_runs, nj;
    if (!fsnsa__mul(np, R, &nj))
        return fsnsa__fail(err, FSNSA_ERR_LIMIT, "too many runs");
    fsnsa_dataset **data = fsnsa__calloc(np, sizeof *data);
    double *values = fsnsa__alloc(nj * HV_N, sizeof(double));
    unsigned char *done = fsnsa__alloc(nj, 1);
    if (data == NULL || values == NULL || done == NULL)
        st = fsnsa__nomem(err, "hit-time runs");
    for (size_t i = 0; i < np && st == FSNSA_OK; i++) {
        st = fsnsa_train_options_check(&o->train, o->p[i], err);
        if (st == FSNSA_OK)
            st = first_columns(train, o->p[i], &data[i], err);
    }
    double constant_loss = NAN; /* the same labels for every p */
    if (st == FSNSA_OK)
        st = fsnsa__sweep_constant_loss(train, o->train.task,
                                        &constant_loss, err);
    hittime_ctx ctx = {data, o};
    /* no cost: seed order, which early stopping relies on */
    fsnsa_sweep s = {nj,           HV_N, hittime_key, hittime_run,
                     hittime_skip, &ctx, NULL,        0};
    if (st == FSNSA_OK)
        st = fsnsa_sweep_run(&s, &o->sweep, values, done, err);
    for (size_t pi = 0; pi < np && st == FSNSA_OK; pi++)
        st = estimate(o, pi, done, values, constant_loss, &out[pi], err);
    if (data != NULL)
        for (size_t i = 0; i < np; i++)
            fsnsa_dataset_free(data[i]);
    free(data);
    free(values);
    free(done);
    return st;
}

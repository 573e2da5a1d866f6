/* The paper's experiments as sweeps of independent jobs (jobs.c):
 * restarts (Figures 1, 3, 5, 7), hit time (Figure 4) and the grid search
 * of Section 4.2 (Table 2). See docs/experiments.md for the protocols,
 * the job keys and the result columns. */
#include "exp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sweep_default(fsnsa_sweep_options *s)
{
    memset(s, 0, sizeof *s);
    s->threads = 1;
}

/* One training of a sweep. A broken run (FSNSA_ERR_NUMERIC: a final loss
 * worse than the class frequencies', or a NaN/inf epoch) is a result, not
 * an error that would stop the sweep: keep_going hands its network back,
 * *broken says so, and *loss is its final training loss (fsnsa_net_loss
 * of *net), or the NaN/inf the epoch loss became. The caller records the
 * loss, so that whoever reads the job file derives the flag with
 * run_broken. */
static fsnsa_status sweep_train(const fsnsa_dataset *d,
                                const fsnsa_train_options *opt,
                                fsnsa_net **net, double *loss, int *broken,
                                fsnsa_error *err)
{
    fsnsa_train_options o = *opt;
    o.keep_going = 1;
    fsnsa_train_report rep;
    fsnsa_status st = fsnsa_train_with_report(d, &o, NULL, net, &rep, err);
    if (st == FSNSA_ERR_NUMERIC && *net != NULL)
        st = FSNSA_OK;
    if (st != FSNSA_OK)
        return st;
    *broken = rep.outcome != FSNSA_TRAIN_OK;
    *loss = rep.outcome == FSNSA_TRAIN_NOT_FINITE ? rep.last_epoch_loss
                                                  : rep.loss;
    return FSNSA_OK;
}

/* Whether a recorded training loss is a broken run's: the rule
 * fsnsa_train applies (not checked without epochs), so a result read back
 * from a job file is judged as when it was computed. */
static int run_broken(double loss, double constant_loss,
                      const fsnsa_train_options *o)
{
    return o->epochs > 0 && fsnsa_loss_worse_than_constant(loss, constant_loss);
}

/* Train on `train`, evaluate on train (and test): one fsnsa_run. */
static fsnsa_status train_and_score(const fsnsa_dataset *train,
                                    const fsnsa_dataset *test,
                                    const fsnsa_train_options *opt,
                                    fsnsa_run *r, fsnsa_error *err)
{
    double t0 = fsnsa__now();
    fsnsa_net *net = NULL;
    fsnsa_status st = sweep_train(train, opt, &net, &r->loss, &r->broken,
                                  err);
    if (st != FSNSA_OK)
        return st;
    r->seed = opt->seed;
    r->hidden = net->h;
    r->features = net->p;
    r->weights = fsnsa_net_weight_count(net);
    r->test_auc = r->test_acc = NAN;
    size_t C = net->n_classes;
    size_t nmax = train->n;
    if (test != NULL && test->n > nmax)
        nmax = test->n;
    float *prob = fsnsa__alloc(nmax * C, sizeof(float));
    if (prob == NULL) {
        fsnsa_net_free(net);
        return fsnsa__nomem(err, "predictions");
    }
    st = fsnsa_net_predict(net, train->x, train->n, train->p, prob, err);
    /* An AUC lost to a failed allocation must be an error, not a NaN: a
     * job file would keep it as the run's result (and hit time would
     * count a miss). */
    if (st == FSNSA_OK) {
        st = fsnsa_roc_auc(prob, C, train->y, train->n, &r->train_auc, err);
        r->train_acc = fsnsa_accuracy(prob, C, train->y, train->n);
    }
    if (st == FSNSA_OK && test != NULL) {
        st = fsnsa_net_predict(net, test->x, test->n, test->p, prob, err);
        if (st == FSNSA_OK) {
            st = fsnsa_roc_auc(prob, C, test->y, test->n, &r->test_auc, err);
            r->test_acc = fsnsa_accuracy(prob, C, test->y, test->n);
        }
    }
    free(prob);
    fsnsa_net_free(net);
    r->seconds = fsnsa__now() - t0;
    return st;
}

/* ------------------------------------------------------------------ */
/* Restarts                                                            */
/* ------------------------------------------------------------------ */

void fsnsa_restarts_options_default(fsnsa_restarts_options *o)
{
    memset(o, 0, sizeof *o);
    fsnsa_train_options_default(&o->train);
    o->restarts = 10;
    o->seed0 = 1;
    o->tolerance = 1e-3;
    sweep_default(&o->sweep);
}

enum { RV_LOSS, RV_TRAIN_AUC, RV_TEST_AUC, RV_TRAIN_ACC, RV_TEST_ACC,
       RV_SECONDS, RV_HIDDEN, RV_FEATURES, RV_WEIGHTS, RV_N };

typedef struct {
    const fsnsa_dataset *train, *test;
    const fsnsa_restarts_options *o;
} restarts_ctx;

static int restarts_key(void *ctx_, size_t job, char *buf, size_t size)
{
    restarts_ctx *ctx = ctx_;
    int w = snprintf(buf, size, "seed=%llu",
                     (unsigned long long)(ctx->o->seed0 + job));
    return w > 0 && (size_t)w < size ? 0 : -1;
}

static void run_to_values(const fsnsa_run *r, double *v)
{
    v[RV_LOSS] = r->loss;
    v[RV_TRAIN_AUC] = r->train_auc;
    v[RV_TEST_AUC] = r->test_auc;
    v[RV_TRAIN_ACC] = r->train_acc;
    v[RV_TEST_ACC] = r->test_acc;
    v[RV_SECONDS] = r->seconds;
    v[RV_HIDDEN] = (double)r->hidden;
    v[RV_FEATURES] = (double)r->features;
    v[RV_WEIGHTS] = (double)r->weights;
}

static fsnsa_status restarts_run(void *ctx_, size_t job, double *v,
                                 fsnsa_error *err)
{
    restarts_ctx *ctx = ctx_;
    fsnsa_train_options opt = ctx->o->train;
    opt.seed = ctx->o->seed0 + job;
    opt.on_epoch = NULL;
    opt.stop = ctx->o->sweep.stop;
    fsnsa_run r;
    fsnsa_status st = train_and_score(ctx->train, ctx->test, &opt, &r, err);
    if (st == FSNSA_OK)
        run_to_values(&r, v);
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

void fsnsa_restarts_result_clear(fsnsa_restarts_result *r)
{
    if (r == NULL)
        return;
    free(r->runs);
    memset(r, 0, sizeof *r);
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
    size_t R = o->restarts;
    double *values = fsnsa__alloc(R * RV_N, sizeof(double));
    unsigned char *done = fsnsa__alloc(R, 1);
    out->runs = fsnsa__calloc(R, sizeof *out->runs);
    if (values == NULL || done == NULL || out->runs == NULL) {
        free(values);
        free(done);
        fsnsa_restarts_result_clear(out);
        return fsnsa__nomem(err, "restart results");
    }
    restarts_ctx ctx = {train, test, o};
    fsnsa_sweep s = {R, RV_N, restarts_key, restarts_run, NULL, &ctx};
    st = fsnsa_constant_loss(train->y, train->n, train->schema.n_classes,
                             &out->constant_loss, err);
    if (st == FSNSA_OK)
        st = fsnsa_sweep_run(&s, &o->sweep, values, done, err);
    if (st == FSNSA_OK) {
        out->n = R;
        for (size_t i = 0; i < R; i++) {
            const double *v = values + i * RV_N;
            out->broken += run_broken(v[RV_LOSS], out->constant_loss,
                                      &o->train);
        }
        /* the means over the runs that are not broken; the same sums as
         * over all R when none is */
        size_t good = R - out->broken;
        for (size_t i = 0; i < R; i++) {
            const double *v = values + i * RV_N;
            fsnsa_run *r = &out->runs[i];
            r->seed = o->seed0 + i;
            r->loss = v[RV_LOSS];
            r->train_auc = v[RV_TRAIN_AUC];
            r->test_auc = v[RV_TEST_AUC];
            r->train_acc = v[RV_TRAIN_ACC];
            r->test_acc = v[RV_TEST_ACC];
            r->seconds = v[RV_SECONDS];
            r->hidden = (size_t)v[RV_HIDDEN];
            r->features = (size_t)v[RV_FEATURES];
            r->weights = (size_t)v[RV_WEIGHTS];
            r->broken = run_broken(r->loss, out->constant_loss, &o->train);
            if (r->broken)
                continue;
            out->mean_loss += r->loss / (double)good;
            out->mean_train_auc += r->train_auc / (double)good;
            out->mean_test_auc += r->test_auc / (double)good;
            out->mean_train_acc += r->train_acc / (double)good;
            out->mean_test_acc += r->test_acc / (double)good;
        }
        qsort(out->runs, R, sizeof *out->runs, cmp_run);
        if (good == 0) {
            out->mean_loss = out->mean_train_auc = out->mean_test_auc = NAN;
            out->mean_train_acc = out->mean_test_acc = out->spread = NAN;
        } else {
            out->distinct = 1;
            for (size_t i = 1; i < good; i++)
                if (out->runs[i].loss - out->runs[i - 1].loss > o->tolerance)
                    out->distinct++;
            out->spread = out->runs[good - 1].loss - out->runs[0].loss;
        }
    } else {
        fsnsa_restarts_result_clear(out);
    }
    free(values);
    free(done);
    return st;
}

/* ------------------------------------------------------------------ */
/* Hit time                                                            */
/* ------------------------------------------------------------------ */

void fsnsa_hittime_options_default(fsnsa_hittime_options *o)
{
    memset(o, 0, sizeof *o);
    fsnsa_train_options_default(&o->train);
    o->max_runs = 200;
    o->target_hits = 10;
    o->threshold = 0.95;
    o->seed0 = 1;
    o->stop_censored = 1;
    sweep_default(&o->sweep);
}

enum { HV_HIT, HV_TRAIN_AUC, HV_LOSS, HV_SECONDS, HV_N };

typedef struct {
    fsnsa_dataset **data; /* per p: the first p columns */
    const fsnsa_hittime_options *o;
} hittime_ctx;

/* A broken run is recorded with hit 0: an initialization that found no
 * good minimum. */

static int hittime_key(void *ctx_, size_t job, char *buf, size_t size)
{
    hittime_ctx *ctx = ctx_;
    size_t R = ctx->o->max_runs;
    int w = snprintf(buf, size, "p=%zu/seed=%llu", ctx->o->p[job / R],
                     (unsigned long long)(ctx->o->seed0 + job % R));
    return w > 0 && (size_t)w < size ? 0 : -1;
}

static fsnsa_status hittime_run(void *ctx_, size_t job, double *v,
                                fsnsa_error *err)
{
    hittime_ctx *ctx = ctx_;
    size_t R = ctx->o->max_runs;
    fsnsa_train_options opt = ctx->o->train;
    opt.seed = ctx->o->seed0 + job % R;
    opt.on_epoch = NULL;
    opt.stop = ctx->o->sweep.stop;
    fsnsa_run r;
    fsnsa_status st = train_and_score(ctx->data[job / R], NULL, &opt, &r, err);
    if (st != FSNSA_OK)
        return st;
    v[HV_HIT] = !r.broken && r.train_auc >= ctx->o->threshold ? 1.0 : 0.0;
    v[HV_TRAIN_AUC] = r.train_auc;
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

static int hittime_skip(void *ctx_, size_t job, const unsigned char *done,
                        const double *values)
{
    hittime_ctx *ctx = ctx_;
    const fsnsa_hittime_options *o = ctx->o;
    size_t pi = job / o->max_runs, i = job % o->max_runs;
    /* enough hits among the runs before this one? */
    size_t h = 0;
    for (size_t q = 0; q < i; q++) {
        size_t j = pi * o->max_runs + q;
        if (!done[j])
            break;
        if (values[j * HV_N + HV_HIT] > 0.5 && ++h >= o->target_hits)
            return 1;
    }
    return o->stop_censored && censored_before(o, pi, done, values);
}

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

fsnsa_status fsnsa_hittime(const fsnsa_dataset *train,
                           const fsnsa_hittime_options *o,
                           fsnsa_hittime_point *out, fsnsa_error *err)
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
    size_t np = o->n_p, R = o->max_runs, nj;
    if (!fsnsa__mul(np, R, &nj))
        return fsnsa__fail(err, FSNSA_ERR_LIMIT, "too many runs");
    fsnsa_status st = FSNSA_OK;
    fsnsa_dataset **data = fsnsa__calloc(np, sizeof *data);
    double *values = fsnsa__alloc(nj * HV_N, sizeof(double));
    unsigned char *done = fsnsa__alloc(nj, 1);
    float *x = NULL;
    if (data == NULL || values == NULL || done == NULL) {
        st = fsnsa__nomem(err, "hit-time runs");
        goto done_;
    }
    for (size_t i = 0; i < np && st == FSNSA_OK; i++) {
        size_t p = o->p[i];
        fsnsa_train_options chk = o->train;
        st = fsnsa_train_options_check(&chk, p, err);
        if (st != FSNSA_OK)
            goto done_;
        free(x);
        x = fsnsa__alloc(train->n * p, sizeof(float));
        if (x == NULL) {
            st = fsnsa__nomem(err, "hit-time data");
            goto done_;
        }
        for (size_t r = 0; r < train->n; r++)
            memcpy(x + r * p, train->x + r * train->p, p * sizeof(float));
        st = fsnsa_dataset_from_arrays(train->n, p, x, train->y,
                                       train->schema.n_classes, &data[i], err);
    }
    if (st != FSNSA_OK)
        goto done_;
    hittime_ctx ctx = {data, o};
    fsnsa_sweep s = {nj, HV_N, hittime_key, hittime_run, hittime_skip, &ctx};
    double constant_loss = NAN; /* the same labels for every p */
    st = fsnsa_constant_loss(train->y, train->n, train->schema.n_classes,
                             &constant_loss, err);
    if (st == FSNSA_OK)
        st = fsnsa_sweep_run(&s, &o->sweep, values, done, err);
    if (st != FSNSA_OK)
        goto done_;
    for (size_t pi = 0; pi < np; pi++) {
        fsnsa_hittime_point *pt = &out[pi];
        memset(pt, 0, sizeof *pt);
        pt->p = o->p[pi];
        if (o->stop_censored && censored_before(o, pi, done, values)) {
            pt->status = 2;
            pt->hit_time = pt->lo = pt->hi = NAN;
            pt->mean_train_auc = pt->best_train_auc = NAN;
            continue;
        }
        size_t hits = 0, m = decided_prefix(o, pi, done, values, &hits);
        if (m == 0)
            return fsnsa__fail(err, FSNSA_ERR_INTERRUPTED,
                               "p = %zu: runs missing", pt->p);
        pt->runs = m;
        pt->hits = hits;
        for (size_t i = 0; i < m; i++)
            pt->broken += run_broken(values[(pi * R + i) * HV_N + HV_LOSS],
                                     constant_loss, &o->train);
        pt->best_train_auc = -INFINITY;
        for (size_t i = 0; i < m; i++) {
            const double *v = values + (pi * R + i) * HV_N;
            if (run_broken(v[HV_LOSS], constant_loss, &o->train))
                continue;
            double a = v[HV_TRAIN_AUC];
            pt->mean_train_auc += a / (double)(m - pt->broken);
            if (a > pt->best_train_auc)
                pt->best_train_auc = a;
        }
        if (pt->broken == m)
            pt->mean_train_auc = pt->best_train_auc = NAN;
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
    }
done_:
    if (data != NULL)
        for (size_t i = 0; i < np; i++)
            fsnsa_dataset_free(data[i]);
    free(data);
    free(values);
    free(done);
    free(x);
    return st;
}

/* ------------------------------------------------------------------ */
/* Grid search (Section 4.2)                                           */
/* ------------------------------------------------------------------ */

static const size_t grid_hidden[] = {16, 32, 64, 128, 256, 512};
static const double grid_l2[] = {1e-4, 1e-3, 1e-2, 1e-1};
static const size_t grid_batch[] = {16, 32, 64};

void fsnsa_grid_options_default(fsnsa_grid_options *o)
{
    memset(o, 0, sizeof *o);
    fsnsa_train_options_default(&o->train);
    o->scale = FSNSA_SCALE_STANDARD;
    o->test_fraction = 0.2;
    o->split_seed = 0;
    o->folds = 5;
    o->repeats = 10;
    o->hidden = grid_hidden;
    o->n_hidden = 6;
    o->l2 = grid_l2;
    o->n_l2 = 4;
    o->batch = grid_batch;
    o->n_batch = 3;
    o->dense = 1;
    o->fsa_nsa = 1;
    o->retrains = 10;
    o->seed = 1;
    sweep_default(&o->sweep);
}

void fsnsa_grid_result_clear(fsnsa_grid_result *r)
{
    if (r == NULL)
        return;
    free(r->settings);
    memset(r, 0, sizeof *r);
}

static int setting_name(const fsnsa_grid_setting *s, char *buf, size_t size)
{
    int w = s->method == FSNSA_METHOD_DENSE
                ? snprintf(buf, size, "dense/h%zu/l2=%g/b%zu", s->hidden,
                           s->l2, s->batch)
                : snprintf(buf, size, "fsa-nsa/k%zu/h%zu/l2=%g/b%zu",
                           s->features, s->hidden, s->l2, s->batch);
    return w > 0 && (size_t)w < size ? 0 : -1;
}

static double setting_weights(const fsnsa_grid_setting *s, size_t p,
                              size_t n_out)
{
    size_t k = s->method == FSNSA_METHOD_DENSE ? p : s->features;
    return (double)s->hidden * (double)(k + n_out);
}

enum { CV_ACC, CV_LOSS, CV_SECONDS, CV_N };
enum { FV_ACC, FV_PEEK, FV_LOSS, FV_WEIGHTS, FV_HIDDEN, FV_FEATURES,
       FV_SECONDS, FV_N };

typedef struct {
    const fsnsa_grid_options *o;
    const fsnsa_dataset *train, *test; /* unscaled split of the data */
    const size_t *folds;               /* repeats x stride */
    size_t stride;
    const fsnsa_grid_setting *settings;
    size_t n_settings;
    const fsnsa_grid_setting *finals;  /* final phase: settings retrained */
} grid_ctx;

static void setting_options(const grid_ctx *g, const fsnsa_grid_setting *s,
                            uint64_t seed, fsnsa_train_options *opt)
{
    *opt = g->o->train;
    opt->method = s->method;
    opt->hidden = s->hidden;
    opt->features = s->method == FSNSA_METHOD_DENSE ? 0 : s->features;
    opt->weight_decay = s->l2;
    opt->batch = s->batch;
    opt->seed = seed;
    opt->on_epoch = NULL;
    opt->on_epoch_ctx = NULL;
    opt->stop = g->o->sweep.stop;
}

/* Subsets rows idx of d, fit the scaler on `fit` (if non-NULL) and apply
 * it: the scaler never sees the rows it is evaluated on. */
static fsnsa_status scaled_pair(const grid_ctx *g, const fsnsa_dataset *src_a,
                                const size_t *ia, size_t na,
                                const fsnsa_dataset *src_b, const size_t *ib,
                                size_t nb, fsnsa_dataset **a,
                                fsnsa_dataset **b, fsnsa_error *err)
{
    *a = *b = NULL;
    fsnsa_scaler sc = {0};
    fsnsa_status st = fsnsa_dataset_subset(src_a, ia, na, a, err);
    if (st == FSNSA_OK)
        st = fsnsa_dataset_subset(src_b, ib, nb, b, err);
    if (st == FSNSA_OK)
        st = fsnsa_scaler_fit(*a, g->o->scale, &sc, err);
    if (st == FSNSA_OK)
        st = fsnsa_scaler_apply(&sc, *a, err);
    if (st == FSNSA_OK)
        st = fsnsa_scaler_apply(&sc, *b, err);
    fsnsa_scaler_clear(&sc);
    if (st != FSNSA_OK) {
        fsnsa_dataset_free(*a);
        fsnsa_dataset_free(*b);
        *a = *b = NULL;
    }
    return st;
}

static int cv_key(void *ctx_, size_t job, char *buf, size_t size)
{
    grid_ctx *g = ctx_;
    size_t F = g->o->folds, R = g->o->repeats;
    size_t s = job / (F * R), r = job / F % R, f = job % F;
    char name[256];
    if (setting_name(&g->settings[s], name, sizeof name) != 0)
        return -1;
    int w = snprintf(buf, size, "cv/%s/r%zu/f%zu", name, r, f);
    return w > 0 && (size_t)w < size ? 0 : -1;
}

/* Rows of repeat r: training rows (fold != f) and validation rows. */
static void fold_rows(const grid_ctx *g, size_t r, size_t f, size_t *tr,
                      size_t *ntr, size_t *va, size_t *nva)
{
    const size_t n = g->train->n, *fold = g->folds + r * g->stride;
    *ntr = *nva = 0;
    for (size_t i = 0; i < n; i++) {
        if (fold[i] == f)
            va[(*nva)++] = i;
        else
            tr[(*ntr)++] = i;
    }
}

static fsnsa_status cv_run(void *ctx_, size_t job, double *v, fsnsa_error *err)
{
    grid_ctx *g = ctx_;
    size_t F = g->o->folds, R = g->o->repeats;
    size_t s = job / (F * R), r = job / F % R, f = job % F;
    size_t n = g->train->n, ntr, nva;
    char key[512];
    if (cv_key(g, job, key, sizeof key) != 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "job key too long");
    size_t *tr = fsnsa__alloc(n, sizeof *tr), *va = fsnsa__alloc(n, sizeof *va);
    if (tr == NULL || va == NULL) {
        free(tr);
        free(va);
        return fsnsa__nomem(err, "a fold");
    }
    fold_rows(g, r, f, tr, &ntr, va, &nva);
    double t0 = fsnsa__now();
    fsnsa_dataset *a = NULL, *b = NULL;
    fsnsa_net *net = NULL;
    float *prob = NULL;
    fsnsa_status st = scaled_pair(g, g->train, tr, ntr, g->train, va, nva,
                                  &a, &b, err);
    int broken = 0;
    if (st == FSNSA_OK) {
        fsnsa_train_options opt;
        setting_options(g, &g->settings[s], fsnsa_key_seed(g->o->seed, key),
                        &opt);
        double loss;
        st = sweep_train(a, &opt, &net, &loss, &broken, err);
    }
    if (st == FSNSA_OK) {
        prob = fsnsa__alloc(nva * net->n_classes, sizeof(float));
        st = prob == NULL ? fsnsa__nomem(err, "predictions")
                          : fsnsa_net_predict(net, b->x, b->n, b->p, prob, err);
    }
    if (st == FSNSA_OK) {
        /* A CV line holds no training loss to judge it by later: a broken
         * fold's accuracy is recorded as NaN, which no mean takes in. */
        v[CV_ACC] = broken ? NAN
                           : fsnsa_accuracy(prob, net->n_classes, b->y, b->n);
        v[CV_LOSS] = fsnsa_cross_entropy(prob, net->n_classes, b->y, b->n);
        v[CV_SECONDS] = fsnsa__now() - t0;
    }
    free(prob);
    fsnsa_net_free(net);
    fsnsa_dataset_free(a);
    fsnsa_dataset_free(b);
    free(tr);
    free(va);
    return st;
}

static int final_key(void *ctx_, size_t job, char *buf, size_t size)
{
    grid_ctx *g = ctx_;
    size_t N = g->o->retrains;
    char name[256];
    if (setting_name(&g->finals[job / N], name, sizeof name) != 0)
        return -1;
    int w = snprintf(buf, size, "final/%s/s%zu", name, job % N);
    return w > 0 && (size_t)w < size ? 0 : -1;
}

typedef struct {
    const fsnsa_dataset *test;
    float *prob;
    double best;
    size_t want_h, want_p; /* final size; 0 = any */
    fsnsa_status st;
    fsnsa_error err;
} peek_ctx;

/* The paper's "best test accuracy" of a retraining: the test set scored
 * after every epoch, the maximum kept. Only reported with --peek-test.
 * Epochs before the net reaches its final size do not count: they are a
 * different, larger net (for FSA+NSA the maximum would otherwise often be
 * an unpruned net on all features). */
static int peek_epoch(const fsnsa_epoch_info *e, void *ctx_)
{
    peek_ctx *pc = ctx_;
    if (e->net == NULL) {
        pc->st = fsnsa__fail(&pc->err, FSNSA_ERR_ARG,
                             "this build's training loop does not pass the "
                             "network to the epoch callback");
        return 1;
    }
    if ((pc->want_h != 0 && e->net->h != pc->want_h) ||
        (pc->want_p != 0 && e->net->p != pc->want_p))
        return 0;
    pc->st = fsnsa_net_predict(e->net, pc->test->x, pc->test->n, pc->test->p,
                               pc->prob, &pc->err);
    if (pc->st != FSNSA_OK)
        return 1;
    double acc = fsnsa_accuracy(pc->prob, e->net->n_classes, pc->test->y,
                                pc->test->n);
    if (acc > pc->best)
        pc->best = acc;
    return 0;
}

static fsnsa_status final_run(void *ctx_, size_t job, double *v,
                              fsnsa_error *err)
{
    grid_ctx *g = ctx_;
    char key[512];
    if (final_key(g, job, key, sizeof key) != 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "job key too long");
    size_t ntr = g->train->n, nte = g->test->n;
    size_t *itr = fsnsa__alloc(ntr, sizeof *itr);
    size_t *ite = fsnsa__alloc(nte, sizeof *ite);
    if (itr == NULL || ite == NULL) {
        free(itr);
        free(ite);
        return fsnsa__nomem(err, "a retraining");
    }
    for (size_t i = 0; i < ntr; i++)
        itr[i] = i;
    for (size_t i = 0; i < nte; i++)
        ite[i] = i;
    double t0 = fsnsa__now();
    fsnsa_dataset *a = NULL, *b = NULL;
    fsnsa_net *net = NULL;
    peek_ctx pc = {0};
    fsnsa_status st = scaled_pair(g, g->train, itr, ntr, g->test, ite, nte,
                                  &a, &b, err);
    if (st == FSNSA_OK) {
        pc.test = b;
        pc.best = -1;
        pc.prob = fsnsa__alloc(nte * a->schema.n_classes, sizeof(float));
        if (pc.prob == NULL)
            st = fsnsa__nomem(err, "predictions");
    }
    if (st == FSNSA_OK) {
        fsnsa_train_options opt;
        const fsnsa_grid_setting *set = &g->finals[job / g->o->retrains];
        setting_options(g, set, fsnsa_key_seed(g->o->seed, key), &opt);
        pc.want_h = set->hidden;
        pc.want_p = set->method == FSNSA_METHOD_DENSE ? 0 : set->features;
        opt.on_epoch = peek_epoch;
        opt.on_epoch_ctx = &pc;
        int broken;
        st = sweep_train(a, &opt, &net, &v[FV_LOSS], &broken, err);
        if (st != FSNSA_OK && pc.st != FSNSA_OK) {
            st = pc.st;
            if (err != NULL)
                *err = pc.err;
        }
    }
    if (st == FSNSA_OK)
        st = fsnsa_net_predict(net, b->x, b->n, b->p, pc.prob, err);
    if (st == FSNSA_OK) {
        v[FV_ACC] = fsnsa_accuracy(pc.prob, net->n_classes, b->y, b->n);
        v[FV_PEEK] = pc.best > v[FV_ACC] ? pc.best : v[FV_ACC];
        v[FV_WEIGHTS] = (double)fsnsa_net_weight_count(net);
        v[FV_HIDDEN] = (double)net->h;
        v[FV_FEATURES] = (double)net->p;
        v[FV_SECONDS] = fsnsa__now() - t0;
    }
    free(pc.prob);
    fsnsa_net_free(net);
    fsnsa_dataset_free(a);
    fsnsa_dataset_free(b);
    free(itr);
    free(ite);
    return st;
}

/* Mean and sample standard deviation of v[i * stride] over the i with
 * !bad[i] (every i when bad is NULL): the runs that did not break. NaN
 * for no value. */
static void mean_std(const double *v, size_t stride, size_t n,
                     const unsigned char *bad, double *mean, double *sd)
{
    double m = 0, s = 0;
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        if (bad == NULL || !bad[i]) {
            m += v[i * stride];
            used++;
        }
    m /= (double)used;
    for (size_t i = 0; i < n; i++)
        if (bad == NULL || !bad[i])
            s += (v[i * stride] - m) * (v[i * stride] - m);
    *mean = used > 0 ? m : NAN;
    /* sample standard deviation; 0 for a single value */
    *sd = used > 1 ? sqrt(s / (double)(used - 1)) : used > 0 ? 0 : NAN;
}

/* Best setting of one method: fewest broken folds (a setting whose
 * training breaks is not to be trusted), then the highest mean CV
 * accuracy; ties go to fewer weights, then to the earlier setting. */
static const fsnsa_grid_setting *best_of(const fsnsa_grid_setting *s, size_t n,
                                         fsnsa_method m, size_t p,
                                         size_t n_out)
{
    const fsnsa_grid_setting *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i].method != m)
            continue;
        if (best == NULL || s[i].cv_broken < best->cv_broken ||
            (s[i].cv_broken == best->cv_broken &&
             (s[i].cv_acc > best->cv_acc ||
              (s[i].cv_acc == best->cv_acc &&
               setting_weights(&s[i], p, n_out) <
                   setting_weights(best, p, n_out)))))
            best = &s[i];
    }
    return best;
}

fsnsa_status fsnsa_grid_plan(const fsnsa_dataset *all,
                             const fsnsa_grid_options *o, size_t *train_idx,
                             size_t *n_train, size_t *test_idx, size_t *n_test,
                             size_t *folds, fsnsa_error *err)
{
    const size_t n = all->n, C = all->schema.n_classes;
    fsnsa_status st = fsnsa_split_stratified(all->y, n, C, o->test_fraction,
                                             o->split_seed, train_idx, n_train,
                                             test_idx, n_test, err);
    if (st != FSNSA_OK)
        return st;
    if (*n_train < o->folds || *n_test == 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "%zu rows give %zu training and %zu test rows: too "
                           "few for %zu folds", n, *n_train, *n_test,
                           o->folds);
    int32_t *y = fsnsa__alloc(*n_train, sizeof *y);
    if (y == NULL)
        return fsnsa__nomem(err, "the folds");
    for (size_t i = 0; i < *n_train; i++)
        y[i] = all->y[train_idx[i]];
    /* The same folds for every setting (a paired comparison): repeat r's
     * assignment depends only on the seed and r. */
    for (size_t r = 0; r < o->repeats && st == FSNSA_OK; r++) {
        char key[64];
        snprintf(key, sizeof key, "folds/r%zu", r);
        st = fsnsa_kfold_stratified(y, *n_train, C, o->folds,
                                    fsnsa_key_seed(o->seed, key),
                                    folds + r * n, err);
    }
    free(y);
    return st;
}

fsnsa_status fsnsa_grid(const fsnsa_dataset *all, const fsnsa_grid_options *o,
                        fsnsa_grid_result *out, fsnsa_error *err)
{
    memset(out, 0, sizeof *out);
    if (all == NULL || o == NULL || !all->has_labels)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "the grid needs labeled data");
    if (!(o->test_fraction > 0 && o->test_fraction < 1) || o->folds < 2 ||
        o->repeats < 1 || o->retrains < 1)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "the grid needs a test fraction in (0, 1), >= 2 "
                           "folds, >= 1 repeat and >= 1 retraining");
    if (!o->dense && !o->fsa_nsa)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no method to search");
    if (o->n_l2 == 0 || o->n_batch == 0 || (o->dense && o->n_hidden == 0) ||
        (o->fsa_nsa && o->n_sizes == 0))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "an empty grid");
    const size_t C = all->schema.n_classes, n_out = C == 2 ? 1 : C;
    const size_t p = all->p;
    for (size_t i = 0; o->fsa_nsa && i < o->n_sizes; i++)
        if (o->sizes[i].k < 1 || o->sizes[i].k > p || o->sizes[i].h < 1 ||
            o->sizes[i].h > o->train.start_hidden)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "FSA+NSA size k=%zu h=%zu: need 1 <= k <= %zu "
                               "and 1 <= h <= start-hidden %zu",
                               o->sizes[i].k, o->sizes[i].h, p,
                               o->train.start_hidden);

    fsnsa_status st = FSNSA_OK;
    size_t n = all->n, ntr = 0, nte = 0;
    size_t *itr = fsnsa__alloc(n, sizeof *itr), *ite = fsnsa__alloc(n, sizeof *ite);
    size_t *folds = NULL;
    fsnsa_dataset *train = NULL, *test = NULL;
    double *values = NULL;
    unsigned char *done = NULL, *bad = NULL; /* bad: broken runs */
    if (itr == NULL || ite == NULL) {
        st = fsnsa__nomem(err, "the split");
        goto end;
    }
    size_t nf;
    if (!fsnsa__mul(o->repeats, n, &nf) ||
        (folds = fsnsa__alloc(nf, sizeof *folds)) == NULL) {
        st = fsnsa__nomem(err, "the folds");
        goto end;
    }
    st = fsnsa_grid_plan(all, o, itr, &ntr, ite, &nte, folds, err);
    if (st != FSNSA_OK)
        goto end;
    st = fsnsa_dataset_subset(all, itr, ntr, &train, err);
    if (st == FSNSA_OK)
        st = fsnsa_dataset_subset(all, ite, nte, &test, err);
    if (st != FSNSA_OK)
        goto end;
    out->n_train = ntr;
    out->n_test = nte;
    out->p = p;
    out->n_classes = C;

    size_t ns = (o->dense ? o->n_hidden : 0) * o->n_l2 * o->n_batch +
                (o->fsa_nsa ? o->n_sizes : 0) * o->n_l2 * o->n_batch;
    out->settings = fsnsa__calloc(ns, sizeof *out->settings);
    if (out->settings == NULL) {
        st = fsnsa__nomem(err, "the grid");
        goto end;
    }
    size_t k = 0;
    for (size_t a = 0; o->dense && a < o->n_hidden; a++)
        for (size_t b = 0; b < o->n_l2; b++)
            for (size_t c = 0; c < o->n_batch; c++)
                out->settings[k++] = (fsnsa_grid_setting){
                    FSNSA_METHOD_DENSE, o->hidden[a], 0, o->l2[b],
                    o->batch[c], 0, 0, 0, 0};
    for (size_t a = 0; o->fsa_nsa && a < o->n_sizes; a++)
        for (size_t b = 0; b < o->n_l2; b++)
            for (size_t c = 0; c < o->n_batch; c++)
                out->settings[k++] = (fsnsa_grid_setting){
                    FSNSA_METHOD_FSA_NSA, o->sizes[a].h, o->sizes[a].k,
                    o->l2[b], o->batch[c], 0, 0, 0, 0};
    out->n_settings = ns;
    for (size_t i = 0; i < ns; i++) {
        fsnsa_train_options chk;
        grid_ctx tmp = {.o = o};
        setting_options(&tmp, &out->settings[i], 1, &chk);
        st = fsnsa_train_options_check(&chk, p, err);
        if (st != FSNSA_OK)
            goto end;
    }

    /* Phase 1: cross-validation. */
    size_t per = o->folds * o->repeats, nj;
    if (!fsnsa__mul(ns, per, &nj)) {
        st = fsnsa__fail(err, FSNSA_ERR_LIMIT, "too many jobs");
        goto end;
    }
    values = fsnsa__alloc(nj * CV_N, sizeof(double));
    done = fsnsa__alloc(nj, 1);
    if (values == NULL || done == NULL) {
        st = fsnsa__nomem(err, "the grid results");
        goto end;
    }
    grid_ctx g = {o, train, test, folds, n, out->settings, ns, NULL};
    fsnsa_sweep s1 = {nj, CV_N, cv_key, cv_run, NULL, &g};
    st = fsnsa_sweep_run(&s1, &o->sweep, values, done, err);
    if (st != FSNSA_OK)
        goto end;
    bad = fsnsa__alloc(per > o->retrains ? per : o->retrains, 1);
    if (bad == NULL) {
        st = fsnsa__nomem(err, "the grid results");
        goto end;
    }
    for (size_t i = 0; i < ns; i++) {
        const double *v = values + i * per * CV_N;
        double ml, sl;
        for (size_t j = 0; j < per; j++) {
            bad[j] = isnan(v[j * CV_N + CV_ACC]);
            out->settings[i].cv_broken += bad[j];
        }
        mean_std(v + CV_ACC, CV_N, per, bad, &out->settings[i].cv_acc,
                 &out->settings[i].cv_acc_std);
        mean_std(v + CV_LOSS, CV_N, per, bad, &ml, &sl);
        out->settings[i].cv_loss = ml;
    }

    /* Phase 2: retrain the best settings on the whole training part. */
    fsnsa_grid_setting finals[3];
    size_t nfin = 0;
    const fsnsa_grid_setting *bd =
        best_of(out->settings, ns, FSNSA_METHOD_DENSE, p, n_out);
    const fsnsa_grid_setting *bf =
        best_of(out->settings, ns, FSNSA_METHOD_FSA_NSA, p, n_out);
    int idx_dense = -1, idx_eq = -1, idx_fsa = -1;
    if (bd != NULL) {
        idx_dense = (int)nfin;
        finals[nfin++] = *bd;
    }
    if (bf != NULL) {
        idx_fsa = (int)nfin;
        finals[nfin++] = *bf;
        /* The "equivalent" dense net: about as many weights as the
         * FSA+NSA net, h(p + n_out) ~ h_f(k + n_out); it takes the
         * regularization and batch of the best dense setting (of the
         * FSA+NSA setting when dense was not searched). */
        double w = setting_weights(bf, p, n_out);
        size_t heq = (size_t)llround(w / (double)(p + n_out));
        fsnsa_grid_setting eq = bd != NULL ? *bd : *bf;
        eq.method = FSNSA_METHOD_DENSE;
        eq.features = 0;
        eq.hidden = heq < 1 ? 1 : heq;
        eq.cv_acc = eq.cv_acc_std = eq.cv_loss = NAN;
        idx_eq = (int)nfin;
        finals[nfin++] = eq;
    }
    free(values);
    free(done);
    size_t N = o->retrains;
    values = fsnsa__alloc(nfin * N * FV_N, sizeof(double));
    done = fsnsa__alloc(nfin * N, 1);
    if (values == NULL || done == NULL) {
        st = fsnsa__nomem(err, "the retrainings");
        goto end;
    }
    g.finals = finals;
    fsnsa_sweep s2 = {nfin * N, FV_N, final_key, final_run, NULL, &g};
    st = fsnsa_sweep_run(&s2, &o->sweep, values, done, err);
    if (st != FSNSA_OK)
        goto end;
    fsnsa_grid_final *slots[3] = {NULL, NULL, NULL};
    if (idx_dense >= 0)
        slots[idx_dense] = &out->best_dense;
    if (idx_fsa >= 0)
        slots[idx_fsa] = &out->best_fsa;
    if (idx_eq >= 0)
        slots[idx_eq] = &out->equivalent;
    double constant_loss;
    st = fsnsa_constant_loss(train->y, train->n, C, &constant_loss, err);
    if (st != FSNSA_OK)
        goto end;
    for (size_t i = 0; i < nfin; i++) {
        fsnsa_grid_final *fo = slots[i];
        const double *v = values + i * N * FV_N;
        double ws;
        fo->setting = finals[i];
        fo->n = N;
        for (size_t j = 0; j < N; j++) {
            bad[j] = (unsigned char)run_broken(v[j * FV_N + FV_LOSS],
                                               constant_loss, &o->train);
            fo->broken += bad[j];
        }
        mean_std(v + FV_ACC, FV_N, N, bad, &fo->acc_mean, &fo->acc_std);
        mean_std(v + FV_PEEK, FV_N, N, bad, &fo->peek_mean, &fo->peek_std);
        mean_std(v + FV_WEIGHTS, FV_N, N, bad, &fo->weights, &ws);
        fo->hidden = (size_t)v[FV_HIDDEN];
        fo->features = (size_t)v[FV_FEATURES];
    }
    out->have_dense = bd != NULL;
    out->have_fsa = bf != NULL;
end:
    if (st != FSNSA_OK)
        fsnsa_grid_result_clear(out);
    free(itr);
    free(ite);
    free(folds);
    free(values);
    free(done);
    free(bad);
    fsnsa_dataset_free(train);
    fsnsa_dataset_free(test);
    return st;
}

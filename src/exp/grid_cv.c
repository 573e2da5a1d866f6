/* Phase 1 of the grid: every setting cross-validated, one job
 * "cv/<setting>/r<repeat>/f<fold>" per fold of every repeat, training on
 * the other folds and scoring the fold's rows. */
#include "grid.h"

#include <math.h>
#include <stdlib.h>

/* A CV job's values in the job file, in this order: the validation
 * accuracy and cross-entropy ("acc loss seconds"), or for a regression
 * its R^2 and mean squared error in the target's units ("r2 mse
 * seconds"). A broken fold's score is NaN. */
enum { CV_SCORE, CV_LOSS, CV_SECONDS, CV_N };

typedef struct {
    const fsnsa__grid_data *g;
    const fsnsa_grid_setting *settings;
} cv_ctx;

/* Job number -> setting, repeat and fold: the folds of one repeat, then
 * the repeats of one setting. */
static void cv_job(const fsnsa_grid_options *o, size_t job, size_t *s,
                   size_t *r, size_t *f)
{
    *s = job / (o->folds * o->repeats);
    *r = job / o->folds % o->repeats;
    *f = job % o->folds;
}

static int cv_key(void *ctx_, size_t job, char *buf, size_t size)
{
    cv_ctx *c = ctx_;
    size_t s, r, f;
    cv_job(c->g->o, job, &s, &r, &f);
    char name[256];
    if (fsnsa__grid_setting_name(&c->settings[s], name, sizeof name) != 0)
        return -1;
    return fsnsa__key_print(buf, size, "cv/%s/r%zu/f%zu", name, r, f);
}

static double cv_cost(void *ctx_, size_t job)
{
    cv_ctx *c = ctx_;
    size_t s, r, f;
    cv_job(c->g->o, job, &s, &r, &f);
    return fsnsa__grid_cost(c->g->o, &c->settings[s], c->g->train->p,
                            c->g->train->n);
}

/* Rows of repeat r: training rows (fold != f) and validation rows. */
static void fold_rows(const fsnsa__grid_data *g, size_t r, size_t f,
                      size_t *tr, size_t *ntr, size_t *va, size_t *nva)
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

/* The fold's training rows and validation rows, scaled on the former. */
static fsnsa_status fold_data(const fsnsa__grid_data *g, size_t r, size_t f,
                              fsnsa_dataset **a, fsnsa_dataset **b,
                              fsnsa__grid_target *t, fsnsa_error *err)
{
    size_t n = g->train->n, ntr, nva;
    size_t *tr = fsnsa__alloc(n, sizeof *tr), *va = fsnsa__alloc(n, sizeof *va);
    fsnsa_status st;
    if (tr == NULL || va == NULL) {
        st = fsnsa__nomem(err, "a fold");
    } else {
        fold_rows(g, r, f, tr, &ntr, va, &nva);
        st = fsnsa__grid_scaled_pair(g->o, g->train, tr, ntr, g->train,
                                     va, nva, a, b, t, err);
    }
    free(tr);
    free(va);
    return st;
}

/* Validation score and loss of net on b (CV_SCORE, CV_LOSS). */
static fsnsa_status validate(const fsnsa_net *net, const fsnsa_dataset *b,
                             const fsnsa__grid_target *t, int broken,
                             double *v, fsnsa_error *err)
{
    float *prob = fsnsa__alloc(b->n * net->n_classes, sizeof(float));
    if (prob == NULL)
        return fsnsa__nomem(err, "predictions");
    fsnsa_status st = fsnsa_net_predict(net, b->x, b->n, b->p, prob, err);
    if (st == FSNSA_OK && b->target != NULL) {
        double r2, rmse;
        fsnsa__grid_regression_scores(prob, t, b->target, b->n, &r2, &rmse,
                                      NULL);
        v[CV_SCORE] = r2;
        v[CV_LOSS] = rmse * rmse;
    } else if (st == FSNSA_OK) {
        v[CV_SCORE] = fsnsa_accuracy(prob, net->n_classes, b->y, b->n);
        v[CV_LOSS] = fsnsa_cross_entropy(prob, net->n_classes, b->y, b->n);
    }
    /* A CV line holds no training loss to judge it by later: a broken
     * fold's score is recorded as NaN, which no mean takes in. */
    if (broken)
        v[CV_SCORE] = NAN;
    free(prob);
    return st;
}

static fsnsa_status cv_run(void *ctx_, size_t job, double *v, fsnsa_error *err)
{
    cv_ctx *c = ctx_;
    const fsnsa__grid_data *g = c->g;
    size_t s, r, f;
    cv_job(g->o, job, &s, &r, &f);
    uint64_t seed;
    fsnsa_status st = fsnsa__grid_job_seed(cv_key, c, job, g->o, &seed, err);
    if (st != FSNSA_OK)
        return st;
    double t0 = fsnsa__now();
    fsnsa_dataset *a = NULL, *b = NULL;
    fsnsa_net *net = NULL;
    fsnsa__grid_target t;
    st = fold_data(g, r, f, &a, &b, &t, err);
    int broken = 0;
    if (st == FSNSA_OK) {
        fsnsa_train_options opt;
        fsnsa__grid_setting_options(g->o, &c->settings[s], seed, &opt);
        double loss;
        st = fsnsa__sweep_train(a, &opt, &net, &loss, &broken, err);
    }
    if (st == FSNSA_OK)
        st = validate(net, b, &t, broken, v, err);
    if (st == FSNSA_OK)
        v[CV_SECONDS] = fsnsa__now() - t0;
    fsnsa_net_free(net);
    fsnsa_dataset_free(a);
    fsnsa_dataset_free(b);
    return st;
}

/* A setting's CV figures from the values v of its `per` jobs, leaving
 * out the folds whose training broke (bad: per flags). */
static void summarize_setting(const double *v, size_t per, int regression,
                              unsigned char *bad, fsnsa_grid_setting *set)
{
    double score, score_sd, loss, sd;
    set->cv_broken = 0;
    for (size_t j = 0; j < per; j++) {
        bad[j] = isnan(v[j * CV_N + CV_SCORE]);
        set->cv_broken += bad[j];
    }
    fsnsa__grid_mean_std(v + CV_SCORE, CV_N, per, bad, &score, &score_sd);
    fsnsa__grid_mean_std(v + CV_LOSS, CV_N, per, bad, &loss, &sd);
    set->cv_acc = set->cv_acc_std = set->cv_loss = NAN;
    set->cv_r2 = set->cv_r2_std = set->cv_mse = NAN;
    if (regression) {
        set->cv_r2 = score;
        set->cv_r2_std = score_sd;
        set->cv_mse = loss;
    } else {
        set->cv_acc = score;
        set->cv_acc_std = score_sd;
        set->cv_loss = loss;
    }
}

/* Each setting's CV figures over its folds x repeats. */
static fsnsa_status summarize(const fsnsa__grid_data *g, const double *values,
                              fsnsa_grid_setting *settings, size_t n,
                              fsnsa_error *err)
{
    size_t per = g->o->folds * g->o->repeats;
    unsigned char *bad = fsnsa__alloc(per, 1);
    if (bad == NULL)
        return fsnsa__nomem(err, "the grid results");
    for (size_t i = 0; i < n; i++)
        summarize_setting(values + i * per * CV_N, per, g->regression, bad,
                          &settings[i]);
    free(bad);
    return FSNSA_OK;
}

fsnsa_status fsnsa__grid_cv(const fsnsa__grid_data *g,
                            fsnsa_grid_setting *settings, size_t n,
                            fsnsa_error *err)
{
    size_t nj;
    if (!fsnsa__mul3(n, g->o->folds, g->o->repeats, &nj))
        return fsnsa__fail(err, FSNSA_ERR_LIMIT, "too many jobs");
    double *values = fsnsa__alloc(nj * CV_N, sizeof(double));
    unsigned char *done = fsnsa__alloc(nj, 1);
    fsnsa_status st = FSNSA_OK;
    if (values == NULL || done == NULL)
        st = fsnsa__nomem(err, "the grid results");
    cv_ctx c = {g, settings};
    fsnsa_sweep s = {nj, CV_N, cv_key, cv_run, NULL, &c, cv_cost, 0};
    if (st == FSNSA_OK)
        st = fsnsa_sweep_run(&s, &g->o->sweep, values, done, err);
    if (st == FSNSA_OK)
        st = summarize(g, values, settings, n, err);
    free(values);
    free(done);
    return st;
}

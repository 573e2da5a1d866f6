/* Phase 1 of the grid: every setting cross-validated, one job
 * "cv/<setting>/r<repeat>/f<fold>" per fold of every repeat, training on
 * the other folds and scoring the fold's rows. */
#include "grid.h"

#include <math.h>
#include <stdlib.h>

/* A CV job's values in the job file, in this order. */
enum { CV_ACC, CV_LOSS, CV_SECONDS, CV_N };

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
                              fsnsa_error *err)
{
    size_t n = g->train->n, ntr, nva;
    size_t *tr = fsnsa__alloc(n, sizeof *tr), *va = fsnsa__alloc(n, sizeof *va);
    fsnsa_status st;
    if (tr == NULL || va == NULL) {
        st = fsnsa__nomem(err, "a fold");
    } else {
        fold_rows(g, r, f, tr, &ntr, va, &nva);
        st = fsnsa__grid_scaled_pair(g->o, g->train, tr, ntr, g->train,
                                     va, nva, a, b, err);
    }
    free(tr);
    free(va);
    return st;
}

/* Validation accuracy and loss of net on b. */
static fsnsa_status validate(const fsnsa_net *net, const fsnsa_dataset *b,
                             int broken, double *v, fsnsa_error *err)
{
    float *prob = fsnsa__alloc(b->n * net->n_classes, sizeof(float));
    if (prob == NULL)
        return fsnsa__nomem(err, "predictions");
    fsnsa_status st = fsnsa_net_predict(net, b->x, b->n, b->p, prob, err);
    if (st == FSNSA_OK) {
        /* A CV line holds no training loss to judge it by later: a broken
         * fold's accuracy is recorded as NaN, which no mean takes in. */
        v[CV_ACC] = broken ? NAN
                           : fsnsa_accuracy(prob, net->n_classes, b->y, b->n);
        v[CV_LOSS] = fsnsa_cross_entropy(prob, net->n_classes, b->y, b->n);
    }
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
    st = fold_data(g, r, f, &a, &b, err);
    int broken = 0;
    if (st == FSNSA_OK) {
        fsnsa_train_options opt;
        fsnsa__grid_setting_options(g->o, &c->settings[s], seed, &opt);
        double loss;
        st = fsnsa__sweep_train(a, &opt, &net, &loss, &broken, err);
    }
    if (st == FSNSA_OK)
        st = validate(net, b, broken, v, err);
    if (st == FSNSA_OK)
        v[CV_SECONDS] = fsnsa__now() - t0;
    fsnsa_net_free(net);
    fsnsa_dataset_free(a);
    fsnsa_dataset_free(b);
    return st;
}

/* Each setting's CV figures over its folds x repeats, leaving out the
 * folds whose training broke. */
static fsnsa_status summarize(const fsnsa_grid_options *o,
                              const double *values,
                              fsnsa_grid_setting *settings, size_t n,
                              fsnsa_error *err)
{
    size_t per = o->folds * o->repeats;
    unsigned char *bad = fsnsa__alloc(per, 1);
    if (bad == NULL)
        return fsnsa__nomem(err, "the grid results");
    for (size_t i = 0; i < n; i++) {
        fsnsa_grid_setting *set = &settings[i];
        const double *v = values + i * per * CV_N;
        double sd;
        set->cv_broken = 0;
        for (size_t j = 0; j < per; j++) {
            bad[j] = isnan(v[j * CV_N + CV_ACC]);
            set->cv_broken += bad[j];
        }
        fsnsa__grid_mean_std(v + CV_ACC, CV_N, per, bad, &set->cv_acc,
                             &set->cv_acc_std);
        fsnsa__grid_mean_std(v + CV_LOSS, CV_N, per, bad, &set->cv_loss, &sd);
    }
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
        st = summarize(g->o, values, settings, n, err);
    free(values);
    free(done);
    return st;
}

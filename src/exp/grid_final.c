/* Phase 2 of the grid: each chosen setting retrained o->retrains times on
 * the whole training part, one job "final/<setting>/s<i>" per retraining,
 * and scored on the test part, after the last epoch and at its best epoch
 * (the paper's "best test accuracy", shown with --peek-test). */
#include "grid.h"

#include <math.h>
#include <stdlib.h>

/* A retraining's values in the job file, in this order: "acc peek_acc
 * loss weights hidden features seconds" (FV_N values), or for a
 * regression "r2 peek_r2 loss weights hidden features seconds rmse mae"
 * (FV_N_REGRESSION): the score is the test accuracy or R^2, the loss the
 * training loss (a regression's on its standardized target). */
enum { FV_SCORE, FV_PEEK, FV_LOSS, FV_WEIGHTS, FV_HIDDEN, FV_FEATURES,
       FV_SECONDS, FV_N, FV_RMSE = FV_N, FV_MAE, FV_N_REGRESSION };

/* Values a retraining of g records. */
static size_t final_values(const fsnsa__grid_data *g)
{
    return g->regression ? FV_N_REGRESSION : FV_N;
}

typedef struct {
    const fsnsa__grid_data *g;
    const fsnsa_grid_setting *finals;
} final_ctx;

static int final_key(void *ctx_, size_t job, char *buf, size_t size)
{
    final_ctx *c = ctx_;
    size_t N = c->g->o->retrains;
    char name[256];
    if (fsnsa__grid_setting_name(&c->finals[job / N], name, sizeof name) != 0)
        return -1;
    return fsnsa__key_print(buf, size, "final/%s/s%zu", name, job % N);
}

static double final_cost(void *ctx_, size_t job)
{
    final_ctx *c = ctx_;
    return fsnsa__grid_cost(c->g->o, &c->finals[job / c->g->o->retrains],
                            c->g->train->p, c->g->train->n);
}

/* What the epoch callback scores the test rows with. */
typedef struct {
    const fsnsa_dataset *test;
    const fsnsa__grid_target *t; /* a regression's target scaling */
    float *prob;
    double best;
    size_t want_h, want_p; /* final size; 0 = any */
    fsnsa_status st;
    fsnsa_error err;
} peek_ctx;

/* The test accuracy, or a regression's R^2, of the net's predictions in
 * pc->prob. */
static double test_score(peek_ctx *pc, const fsnsa_net *net)
{
    const fsnsa_dataset *d = pc->test;
    if (d->target == NULL)
        return fsnsa_accuracy(pc->prob, net->n_classes, d->y, d->n);
    double r2;
    fsnsa__grid_regression_scores(pc->prob, pc->t, d->target, d->n, &r2,
                                  NULL, NULL);
    return r2;
}

/* The test set scored after every epoch, the maximum kept. Epochs before
 * the net reaches its final size do not count: they are a different,
 * larger net (for FSA+NSA the maximum would otherwise often be an
 * unpruned net on all features). */
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
    double score = test_score(pc, e->net);
    if (score > pc->best)
        pc->best = score;
    return 0;
}

/* The whole training part and the test part, scaled on the former. */
static fsnsa_status retrain_data(const fsnsa__grid_data *g, fsnsa_dataset **a,
                                 fsnsa_dataset **b, fsnsa__grid_target *t,
                                 fsnsa_error *err)
{
    size_t ntr = g->train->n, nte = g->test->n;
    size_t *itr = fsnsa__alloc(ntr, sizeof *itr);
    size_t *ite = fsnsa__alloc(nte, sizeof *ite);
    fsnsa_status st;
    if (itr == NULL || ite == NULL) {
        st = fsnsa__nomem(err, "a retraining");
    } else {
        for (size_t i = 0; i < ntr; i++)
            itr[i] = i;
        for (size_t i = 0; i < nte; i++)
            ite[i] = i;
        st = fsnsa__grid_scaled_pair(g->o, g->train, itr, ntr, g->test,
                                     ite, nte, a, b, t, err);
    }
    free(itr);
    free(ite);
    return st;
}

/* Train setting `set` on a, peeking at b after every epoch; *net is the
 * final net. */
static fsnsa_status retrain(const fsnsa__grid_data *g,
                            const fsnsa_grid_setting *set, uint64_t seed,
                            const fsnsa_dataset *a, peek_ctx *pc,
                            fsnsa_net **net, double *v, fsnsa_error *err)
{
    fsnsa_train_options opt;
    fsnsa__grid_setting_options(g->o, set, seed, &opt);
    pc->want_h = set->hidden;
    pc->want_p = set->method == FSNSA_METHOD_DENSE ? 0 : set->features;
    opt.on_epoch = peek_epoch;
    opt.on_epoch_ctx = pc;
    int broken;
    fsnsa_status st = fsnsa__sweep_train(a, &opt, net, &v[FV_LOSS], &broken,
                                         err);
    /* the callback's own error, when it stopped the training */
    if (st != FSNSA_OK && pc->st != FSNSA_OK) {
        st = pc->st;
        if (err != NULL)
            *err = pc->err;
    }
    return st;
}

/* The final net's test figures into v (pc->prob: room for its output). */
static fsnsa_status score_final(peek_ctx *pc, const fsnsa_net *net,
                                double *v, fsnsa_error *err)
{
    const fsnsa_dataset *b = pc->test;
    fsnsa_status st = fsnsa_net_predict(net, b->x, b->n, b->p, pc->prob, err);
    if (st != FSNSA_OK)
        return st;
    if (b->target != NULL)
        fsnsa__grid_regression_scores(pc->prob, pc->t, b->target, b->n,
                                      &v[FV_SCORE], &v[FV_RMSE], &v[FV_MAE]);
    else
        v[FV_SCORE] = fsnsa_accuracy(pc->prob, net->n_classes, b->y, b->n);
    v[FV_PEEK] = pc->best > v[FV_SCORE] ? pc->best : v[FV_SCORE];
    v[FV_WEIGHTS] = (double)fsnsa_net_weight_count(net);
    v[FV_HIDDEN] = (double)net->h;
    v[FV_FEATURES] = (double)net->p;
    return FSNSA_OK;
}

static fsnsa_status final_run(void *ctx_, size_t job, double *v,
                              fsnsa_error *err)
{
    final_ctx *c = ctx_;
    const fsnsa__grid_data *g = c->g;
    uint64_t seed;
    fsnsa_status st = fsnsa__grid_job_seed(final_key, c, job, g->o, &seed,
                                           err);
    if (st != FSNSA_OK)
        return st;
    double t0 = fsnsa__now();
    fsnsa_dataset *a = NULL, *b = NULL;
    fsnsa_net *net = NULL;
    fsnsa__grid_target t;
    peek_ctx pc = {0};
    st = retrain_data(g, &a, &b, &t, err);
    if (st == FSNSA_OK) {
        pc.test = b;
        pc.t = &t;
        pc.best = -INFINITY;
        pc.prob = fsnsa__alloc(b->n * fsnsa__grid_out_columns(a),
                               sizeof(float));
        if (pc.prob == NULL)
            st = fsnsa__nomem(err, "predictions");
    }
    if (st == FSNSA_OK)
        st = retrain(g, &c->finals[job / g->o->retrains], seed, a, &pc,
                     &net, v, err);
    if (st == FSNSA_OK)
        st = score_final(&pc, net, v, err);
    if (st == FSNSA_OK)
        v[FV_SECONDS] = fsnsa__now() - t0;
    free(pc.prob);
    fsnsa_net_free(net);
    fsnsa_dataset_free(a);
    fsnsa_dataset_free(b);
    return st;
}

/* fo's figures from its retrainings' values (N x nv), leaving out the
 * retrainings that broke. */
static void summarize(const fsnsa_grid_options *o, const double *v, size_t nv,
                      double constant_loss, unsigned char *bad,
                      fsnsa_grid_final *fo)
{
    const size_t N = o->retrains;
    double sd, score, score_sd, peek, peek_sd;
    fo->n = N;
    fo->broken = 0;
    for (size_t j = 0; j < N; j++) {
        bad[j] = (unsigned char)fsnsa__run_broken(v[j * nv + FV_LOSS],
                                                  constant_loss, &o->train);
        fo->broken += bad[j];
    }
    fsnsa__grid_mean_std(v + FV_SCORE, nv, N, bad, &score, &score_sd);
    fsnsa__grid_mean_std(v + FV_PEEK, nv, N, bad, &peek, &peek_sd);
    fsnsa__grid_mean_std(v + FV_WEIGHTS, nv, N, bad, &fo->weights, &sd);
    fo->hidden = (size_t)v[FV_HIDDEN];
    fo->features = (size_t)v[FV_FEATURES];
    fo->acc_mean = fo->acc_std = fo->peek_mean = fo->peek_std = NAN;
    fo->r2_mean = fo->r2_std = fo->peek_r2_mean = fo->peek_r2_std = NAN;
    fo->rmse_mean = fo->rmse_std = fo->mae_mean = fo->mae_std = NAN;
    if (nv == FV_N) {
        fo->acc_mean = score;
        fo->acc_std = score_sd;
        fo->peek_mean = peek;
        fo->peek_std = peek_sd;
        return;
    }
    fo->r2_mean = score;
    fo->r2_std = score_sd;
    fo->peek_r2_mean = peek;
    fo->peek_r2_std = peek_sd;
    fsnsa__grid_mean_std(v + FV_RMSE, nv, N, bad, &fo->rmse_mean,
                         &fo->rmse_std);
    fsnsa__grid_mean_std(v + FV_MAE, nv, N, bad, &fo->mae_mean, &fo->mae_std);
}

fsnsa_status fsnsa__grid_final(const fsnsa__grid_data *g,
                               const fsnsa_grid_setting *finals, size_t n,
                               fsnsa_grid_final *const *slots,
                               fsnsa_error *err)
{
    const size_t N = g->o->retrains, nv = final_values(g);
    size_t nj;
    if (!fsnsa__mul(n, N, &nj))
        return fsnsa__fail(err, FSNSA_ERR_LIMIT, "too many jobs");
    double *values = fsnsa__alloc(nj * nv, sizeof(double));
    unsigned char *done = fsnsa__alloc(nj, 1), *bad = fsnsa__alloc(N, 1);
    fsnsa_status st = FSNSA_OK;
    if (values == NULL || done == NULL || bad == NULL)
        st = fsnsa__nomem(err, "the retrainings");
    final_ctx c = {g, finals};
    fsnsa_sweep s = {nj, nv, final_key, final_run, NULL, &c, final_cost, 0};
    if (st == FSNSA_OK)
        st = fsnsa_sweep_run(&s, &g->o->sweep, values, done, err);
    double cl;
    if (st == FSNSA_OK)
        st = fsnsa__sweep_constant_loss(g->train, g->o->train.task, &cl, err);
    for (size_t i = 0; i < n && st == FSNSA_OK; i++) {
        slots[i]->setting = finals[i];
        summarize(g->o, values + i * N * nv, nv, cl, bad, slots[i]);
    }
    free(values);
    free(done);
    free(bad);
    return st;
}

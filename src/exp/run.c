/* One training run of a sweep and its scoring, and the rule that calls a
 * run broken (docs/experiments.md, "Broken runs"): shared by restarts,
 * hit time and both phases of the grid. A broken run (a final loss worse
 * than the class frequencies' or, regression, the training mean's, or a
 * NaN/inf epoch) is a result, not an error that would stop the sweep. */
#include "exp.h"
#include "nn/train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void fsnsa__job_options(const fsnsa_train_options *base, uint64_t seed,
                        const volatile int *stop, fsnsa_train_options *out)
{
    *out = *base;
    out->seed = seed;
    out->on_epoch = NULL;
    out->on_epoch_ctx = NULL;
    out->stop = stop;
}

fsnsa_status fsnsa__sweep_train(const fsnsa_dataset *d,
                                const fsnsa_train_options *opt,
                                fsnsa_net **net, double *loss, int *broken,
                                fsnsa_error *err)
{
    /* keep_going hands a broken run's network back; the caller records
     * the loss, so that whoever reads the job file derives the flag with
     * fsnsa__run_broken */
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

int fsnsa__run_broken(double loss, double constant_loss,
                      const fsnsa_train_options *o)
{
    /* fsnsa_train does not judge a run without epochs */
    return o->epochs > 0 && fsnsa_loss_worse_than_constant(loss, constant_loss);
}

fsnsa_status fsnsa__standardized_targets(const fsnsa_dataset *train,
                                         const fsnsa_dataset *test,
                                         fsnsa__target_views *v,
                                         fsnsa_error *err)
{
    memset(v, 0, sizeof *v);
    size_t nt = test != NULL ? test->n : 0;
    if (train->target == NULL || (test != NULL && test->target == NULL))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "regression needs data with "
                           "numeric targets (read with task regression)");
    double mean;
    fsnsa__target_moments(train->target, train->n, &mean, &v->sd);
    v->buf = fsnsa__alloc(train->n + nt + 1, sizeof(float));
    if (v->buf == NULL)
        return fsnsa__nomem(err, "standardized targets");
    v->train = *train;
    v->train.target = v->buf;
    for (size_t i = 0; i < train->n; i++)
        v->buf[i] = (float)(((double)train->target[i] - mean) / v->sd);
    if (test != NULL) {
        v->test = *test;
        v->test.target = v->buf + train->n;
        for (size_t i = 0; i < nt; i++)
            v->test.target[i] = (float)(((double)test->target[i] - mean) /
                                        v->sd);
    }
    return FSNSA_OK;
}

fsnsa_status fsnsa__sweep_constant_loss(const fsnsa_dataset *train,
                                        fsnsa_task task, double *loss,
                                        fsnsa_error *err)
{
    if (task != FSNSA_TASK_REGRESSION)
        return fsnsa_constant_loss(train->y, train->n,
                                   train->schema.n_classes, loss, err);
    fsnsa__target_views v;
    fsnsa_status st = fsnsa__standardized_targets(train, NULL, &v, err);
    if (st == FSNSA_OK)
        *loss = fsnsa__constant_loss_target(v.train.target, v.train.n);
    free(v.buf);
    return st;
}

/* AUC and accuracy of net on d; prob holds d->n x n_classes. An AUC lost
 * to a failed allocation is an error, not a NaN: a job file would keep it
 * as the run's result (and hit time would count a miss). */
static fsnsa_status score(const fsnsa_net *net, const fsnsa_dataset *d,
                          float *prob, double *auc, double *acc,
                          fsnsa_error *err)
{
    size_t C = net->n_classes;
    fsnsa_status st = fsnsa_net_predict(net, d->x, d->n, d->p, prob, err);
    if (st != FSNSA_OK)
        return st;
    st = fsnsa_roc_auc(prob, C, d->y, d->n, auc, err);
    *acc = fsnsa_accuracy(prob, C, d->y, d->n);
    return st;
}

/* R^2 and RMSE of a regression net on d (targets standardized by sd):
 * R^2 is the same in either units, the RMSE is given in the target's. */
static fsnsa_status score_regression(const fsnsa_net *net,
                                     const fsnsa_dataset *d, double sd,
                                     float *pred, double *r2, double *rmse,
                                     fsnsa_error *err)
{
    fsnsa_status st = fsnsa_net_predict(net, d->x, d->n, d->p, pred, err);
    if (st != FSNSA_OK)
        return st;
    fsnsa_regression_metrics(pred, d->target, d->n, rmse, NULL, r2);
    *rmse *= sd;
    return FSNSA_OK;
}

/* The scores of r's net on train and (when not NULL) test; pred holds
 * the larger's predictions. */
static fsnsa_status score_run(const fsnsa_net *net,
                              const fsnsa_dataset *train,
                              const fsnsa_dataset *test, double sd,
                              float *pred, fsnsa_run *r, fsnsa_error *err)
{
    r->train_auc = r->test_auc = r->train_acc = r->test_acc = NAN;
    r->train_r2 = r->test_r2 = r->train_rmse = r->test_rmse = NAN;
    fsnsa_status st;
    if (r->task == FSNSA_TASK_REGRESSION) {
        st = score_regression(net, train, sd, pred, &r->train_r2,
                              &r->train_rmse, err);
        if (st == FSNSA_OK && test != NULL)
            st = score_regression(net, test, sd, pred, &r->test_r2,
                                  &r->test_rmse, err);
        return st;
    }
    st = score(net, train, pred, &r->train_auc, &r->train_acc, err);
    if (st == FSNSA_OK && test != NULL)
        st = score(net, test, pred, &r->test_auc, &r->test_acc, err);
    return st;
}

/* The run's sizes and kept columns (kept may be NULL). */
static void describe_net(const fsnsa_net *net, size_t p, fsnsa_run *r,
                         unsigned char *kept)
{
    r->hidden = net->h;
    r->features = net->p;
    r->weights = fsnsa_net_weight_count(net);
    if (kept != NULL) {
        memset(kept, 0, p);
        for (size_t i = 0; i < net->p; i++)
            kept[net->features[i]] = 1;
    }
}

/* Train on train (regression: its standardized view) and score. */
static fsnsa_status train_and_score(const fsnsa_dataset *train,
                                    const fsnsa_dataset *test, double sd,
                                    const fsnsa_train_options *opt,
                                    fsnsa_run *r, unsigned char *kept,
                                    fsnsa_error *err)
{
    fsnsa_net *net = NULL;
    fsnsa_status st = fsnsa__sweep_train(train, opt, &net, &r->loss,
                                         &r->broken, err);
    if (st != FSNSA_OK)
        return st;
    describe_net(net, train->p, r, kept);
    size_t nmax = train->n;
    if (test != NULL && test->n > nmax)
        nmax = test->n;
    float *pred = fsnsa__alloc(nmax * net->n_classes + 1, sizeof(float));
    if (pred == NULL)
        st = fsnsa__nomem(err, "predictions");
    else
        st = score_run(net, train, test, sd, pred, r, err);
    free(pred);
    fsnsa_net_free(net);
    return st;
}

fsnsa_status fsnsa__train_and_score(const fsnsa_dataset *train,
                                    const fsnsa_dataset *test,
                                    const fsnsa_train_options *opt,
                                    fsnsa_run *r, unsigned char *kept,
                                    fsnsa_error *err)
{
    double t0 = fsnsa__now();
    r->seed = opt->seed;
    r->task = opt->task;
    fsnsa_status st;
    if (opt->task == FSNSA_TASK_REGRESSION) {
        /* trained on the target standardized on the training rows, as
         * fsnsa_model_fit trains it */
        fsnsa__target_views v;
        st = fsnsa__standardized_targets(train, test, &v, err);
        if (st == FSNSA_OK)
            st = train_and_score(&v.train, test != NULL ? &v.test : NULL,
                                 v.sd, opt, r, kept, err);
        free(v.buf);
    } else {
        st = train_and_score(train, test, 1.0, opt, r, kept, err);
    }
    r->seconds = fsnsa__now() - t0;
    return st;
}

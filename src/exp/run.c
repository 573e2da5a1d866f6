/* One training run of a sweep and its scoring, and the rule that calls a
 * run broken (docs/experiments.md, "Broken runs"): shared by restarts,
 * hit time and both phases of the grid. A broken run (a final loss worse
 * than the class frequencies', or a NaN/inf epoch) is a result, not an
 * error that would stop the sweep. */
#include "exp.h"

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

fsnsa_status fsnsa__train_and_score(const fsnsa_dataset *train,
                                    const fsnsa_dataset *test,
                                    const fsnsa_train_options *opt,
                                    fsnsa_run *r, unsigned char *kept,
                                    fsnsa_error *err)
{
    double t0 = fsnsa__now();
    fsnsa_net *net = NULL;
    fsnsa_status st = fsnsa__sweep_train(train, opt, &net, &r->loss,
                                         &r->broken, err);
    if (st != FSNSA_OK)
        return st;
    r->seed = opt->seed;
    r->hidden = net->h;
    r->features = net->p;
    r->weights = fsnsa_net_weight_count(net);
    if (kept != NULL) {
        memset(kept, 0, train->p);
        for (size_t i = 0; i < net->p; i++)
            kept[net->features[i]] = 1;
    }
    r->test_auc = r->test_acc = NAN;
    size_t nmax = train->n;
    if (test != NULL && test->n > nmax)
        nmax = test->n;
    float *prob = fsnsa__alloc(nmax * net->n_classes, sizeof(float));
    if (prob == NULL) {
        fsnsa_net_free(net);
        return fsnsa__nomem(err, "predictions");
    }
    st = score(net, train, prob, &r->train_auc, &r->train_acc, err);
    if (st == FSNSA_OK && test != NULL)
        st = score(net, test, prob, &r->test_auc, &r->test_acc, err);
    free(prob);
    fsnsa_net_free(net);
    r->seconds = fsnsa__now() - t0;
    return st;
}

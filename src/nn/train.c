/* The training loop: mini-batch Adam on cross-entropy, and after each epoch
 * the annealing steps of Algorithms 1 and 2 (normalize by Eq. 3, keep the
 * h_e best nodes, keep the p_e best features by Eq. 4). The run's state is
 * a trainer (trainer.c), what it did a report (train_report.c). See
 * docs/algorithm.md. */
#include "train.h"

#include <math.h>

/* Classification's labels: at least 2 classes, every row in one. */
static fsnsa_status check_classes(const fsnsa_dataset *d, fsnsa_error *err)
{
    if (d->target != NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "the data has regression targets: train with "
                           "task regression");
    if (!d->has_labels || d->schema.n_classes < 2)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "training needs labeled data with at least 2 classes");
    if (d->n == 0 || d->p == 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "training data is empty");
    for (size_t i = 0; i < d->n; i++)
        if (d->y[i] < 0 || (size_t)d->y[i] >= d->schema.n_classes)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "row %zu has label %d outside [0, %zu)", i + 1,
                               (int)d->y[i], d->schema.n_classes);
    return FSNSA_OK;
}

/* The data and options fsnsa_train accepts; *resolved gets the options
 * with the automatic sizes filled in. */
static fsnsa_status check_inputs(const fsnsa_dataset *d,
                                 const fsnsa_train_options *o,
                                 const fsnsa_net *init,
                                 fsnsa_train_options *resolved,
                                 fsnsa_error *err)
{
    if (d == NULL || o == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no data or no options");
    fsnsa_status st = o->task == FSNSA_TASK_REGRESSION
                          ? fsnsa__check_targets(d, err)
                          : check_classes(d, err);
    if (st != FSNSA_OK)
        return st;
    size_t p_avail = init != NULL ? init->p : d->p;
    st = fsnsa_train_options_resolve(o, p_avail, resolved, err);
    if (st != FSNSA_OK)
        return st;
    if (init != NULL && fsnsa__prunes_nodes(resolved->method) &&
        resolved->hidden > init->h)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "cannot prune to %zu nodes from an initial network of %zu",
                           resolved->hidden, init->h);
    return FSNSA_OK;
}

/* Epoch e's batches in a fresh order (o->shuffle) or in data order; *loss
 * is the mean over rows (each row's loss before its batch's step), not
 * the mean of the batch means: they differ when the last batch is
 * smaller. */
static fsnsa_status run_epoch(fsnsa__trainer *t, const fsnsa_train_options *o,
                              int e, double *loss, fsnsa_error *err)
{
    if (o->shuffle) {
        for (size_t i = 0; i < t->n; i++)
            t->perm[i] = i;
        fsnsa_rng_shuffle(&t->rng, t->perm, t->n);
    }
    double sum = 0.0;
    for (size_t i = 0; i < t->n; i += t->B) {
        if (o->stop != NULL && *o->stop)
            return fsnsa__fail(err, FSNSA_ERR_INTERRUPTED,
                               "interrupted in epoch %d", e);
        size_t B = t->n - i < t->B ? t->n - i : t->B;
        sum += fsnsa__trainer_step(t, t->perm + i, B);
    }
    *loss = sum / (double)t->n;
    return FSNSA_OK;
}

/* The caller's per-epoch callback, if any; INTERRUPTED when it says stop. */
static fsnsa_status tell_caller(const fsnsa__trainer *t,
                                const fsnsa__holdout *h,
                                const fsnsa_train_options *o, int e,
                                double loss, double t0, fsnsa_error *err)
{
    if (o->on_epoch == NULL)
        return FSNSA_OK;
    const fsnsa_net *net = t->net;
    fsnsa_epoch_info info = {
        .epoch = e,
        .epochs = o->epochs,
        .hidden = net->h,
        .features = net->p,
        .feature_ids = net->features,
        .loss = loss,
        .seconds = fsnsa__now() - t0,
        .net = net,
        .n_dropped = t->n_dropped,
        .dropped_ids = t->dropped,
        .dropped_relevance = t->dropped_score,
        .validation_loss = h->loss,
        .validation_accuracy = h->acc,
    };
    if (o->on_epoch(&info, o->on_epoch_ctx) != 0)
        return fsnsa__fail(err, FSNSA_ERR_INTERRUPTED,
                           "stopped by the caller after epoch %d", e);
    return FSNSA_OK;
}

/* keep_going, after epoch e's loss became non-finite: the network before
 * that epoch, trained again from the start for e - 1 epochs. Every draw
 * comes from the seed, so it is the same bits as the run had then, and no
 * epoch has to keep a copy in case the next one fails. */
static fsnsa_status replay(const fsnsa_dataset *d, const float *w,
                           const fsnsa_net *init,
                           const fsnsa_train_options *o, int e,
                           fsnsa_net **out, fsnsa_error *err)
{
    fsnsa__trainer t = {0};
    fsnsa_status st = fsnsa__trainer_init(&t, d, o, init, err);
    t.ws.class_weight = w;
    for (int k = 1; k < e && st == FSNSA_OK; k++) {
        double loss;
        st = run_epoch(&t, o, k, &loss, err);
        if (st == FSNSA_OK)
            fsnsa__trainer_anneal(&t, o, k);
    }
    if (st == FSNSA_OK)
        st = fsnsa_net_copy(t.net, out, err);
    fsnsa__trainer_free(&t);
    return st;
}

/* A loss that became NaN or infinite in epoch e stops the run (every
 * later step would be NaN): with keep_going, *out is the net before that
 * epoch with its loss in the report, which the error's advice reads. The
 * failed run's trainer is released first: the replay needs one of its
 * own. */
static fsnsa_status stop_not_finite(fsnsa__trainer *t, fsnsa_train_report *rep,
                                    const fsnsa_dataset *d, const float *w,
                                    const fsnsa_net *init,
                                    const fsnsa_train_options *o, int e,
                                    fsnsa_net **out, fsnsa_error *err)
{
    rep->outcome = FSNSA_TRAIN_NOT_FINITE;
    fsnsa__trainer_free(t);
    fsnsa_net *last_ok = NULL;
    if (o->keep_going) {
        fsnsa_status st = replay(d, w, init, o, e, &last_ok, err);
        if (st == FSNSA_OK)
            st = fsnsa_net_loss_weighted(last_ok, d, w, &rep->loss, err);
        if (st != FSNSA_OK) {
            fsnsa_net_free(last_ok);
            return st;
        }
    }
    *out = last_ok;
    return fsnsa__report_not_finite(rep, d, init, o, err);
}

/* Every epoch: its batches, the report, the annealing, the held-out
 * figures, the callback; early stopping ends the loop. */
static fsnsa_status run_epochs(fsnsa__trainer *t, fsnsa__holdout *h,
                               const fsnsa_dataset *d,
                               const fsnsa_net *init,
                               const fsnsa_train_options *o,
                               fsnsa_train_report *rep, fsnsa_net **out,
                               fsnsa_error *err)
{
    fsnsa_status st = FSNSA_OK;
    for (int e = 1; e <= o->epochs && st == FSNSA_OK; e++) {
        double t0 = fsnsa__now(), loss;
        if ((st = run_epoch(t, o, e, &loss, err)) != FSNSA_OK)
            break;
        fsnsa__report_epoch(rep, e, loss);
        if (!isfinite(loss)) {
            st = stop_not_finite(t, rep, d, h->weights, init, o, e, out, err);
            break;
        }
        fsnsa__trainer_anneal(t, o, e);
        bool stop = false;
        st = fsnsa__holdout_epoch(h, t->net, o, e, &stop, err);
        if (st == FSNSA_OK)
            st = tell_caller(t, h, o, e, loss, t0, err);
        if (stop && st == FSNSA_OK) {
            rep->stopped_early = e < o->epochs;
            break;
        }
    }
    return st;
}

/* The network handed back: keep best's (when an epoch at the final size
 * was validated) or a tight copy of the working net, which keeps its
 * starting layout; the chosen epoch and its held-out figures. */
static fsnsa_status hand_out(fsnsa__trainer *t, fsnsa__holdout *h,
                             const fsnsa_train_options *o,
                             fsnsa_train_report *rep, fsnsa_net **out,
                             fsnsa_error *err)
{
    rep->chosen_epoch = rep->epochs;
    rep->validation_loss = h->loss;
    rep->validation_accuracy = h->acc;
    if (o->keep == FSNSA_KEEP_BEST && h->best_epoch > 0) {
        *out = h->best;
        h->best = NULL;
        rep->chosen_epoch = h->best_epoch;
        rep->validation_loss = h->best_loss;
        rep->validation_accuracy = h->best_acc;
        return FSNSA_OK;
    }
    return fsnsa_net_copy(t->net, out, err);
}

fsnsa_status fsnsa_train(const fsnsa_dataset *d, const fsnsa_train_options *o,
                         const fsnsa_net *init, fsnsa_net **out,
                         fsnsa_error *err)
{
    return fsnsa_train_with_report(d, o, init, out, NULL, err);
}

fsnsa_status fsnsa_train_with_report(const fsnsa_dataset *d,
                                     const fsnsa_train_options *opt,
                                     const fsnsa_net *init, fsnsa_net **out,
                                     fsnsa_train_report *report,
                                     fsnsa_error *err)
{
    fsnsa_train_report own;
    fsnsa_train_report *rep = report != NULL ? report : &own;
    fsnsa__report_clear(rep);
    *out = NULL;
    fsnsa_train_options o;
    fsnsa_status st = check_inputs(d, opt, init, &o, err);
    if (st != FSNSA_OK)
        return st;
    fsnsa__holdout h;
    fsnsa__trainer t = {0};
    st = fsnsa__holdout_init(&h, d, &o, err);
    const fsnsa_dataset *rows = fsnsa__holdout_rows(&h, d);
    if (st == FSNSA_OK)
        st = fsnsa__trainer_init(&t, rows, &o, init, err);
    if (st == FSNSA_OK)
        st = fsnsa__holdout_start(&h, &t, &o, err);
    t.ws.class_weight = h.weights;
    if (st == FSNSA_OK && o.task == FSNSA_TASK_REGRESSION)
        rep->constant_loss = fsnsa__constant_loss_target(rows->target, rows->n);
    else if (st == FSNSA_OK)
        st = fsnsa__constant_loss_weighted(rows->y, rows->n,
                                           rows->schema.n_classes, h.weights,
                                           &rep->constant_loss, err);
    if (st == FSNSA_OK)
        st = run_epochs(&t, &h, rows, init, &o, rep, out, err);
    if (st == FSNSA_OK)
        st = hand_out(&t, &h, &o, rep, out, err);
    fsnsa__trainer_free(&t);
    /* One forward pass over the training rows: the exact final loss, the
     * figure the model stores and the constant-loss rule compares. */
    if (st == FSNSA_OK)
        st = fsnsa_net_loss_weighted(*out, rows, h.weights, &rep->loss, err);
    if (st == FSNSA_OK)
        st = fsnsa__report_outcome(rep, rows, init, &o, err);
    fsnsa__holdout_free(&h);
    if (st != FSNSA_OK && !(st == FSNSA_ERR_NUMERIC && o.keep_going)) {
        fsnsa_net_free(*out);
        *out = NULL;
    }
    return st;
}

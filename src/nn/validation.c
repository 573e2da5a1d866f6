/* The validation split of a training run (fsnsa_train_options
 * .validation_fraction): which rows train and which are held out, the
 * class weights on the rows that train, the held-out figures after every
 * epoch, the best epoch's network (keep
 * best) and early stopping. See train.h. */
#include "train.h"

#include <math.h>
#include <stdlib.h>

/* The split's own stream of the seed, so that it does not follow the
 * initialization's or the shuffling's draws. */
#define VALIDATION_SEED_MIX 0x5851F42D4C957F2Dull

fsnsa_status fsnsa_train_validation_split(const fsnsa_dataset *d,
                                          const fsnsa_train_options *o,
                                          size_t *train_idx, size_t *n_train,
                                          size_t *val_idx, size_t *n_val,
                                          fsnsa_error *err)
{
    if (!(o->validation_fraction >= 0 && o->validation_fraction < 1))
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "validation fraction must be in [0, 1), got %g",
                           o->validation_fraction);
    if (o->validation_fraction == 0) {
        for (size_t i = 0; i < d->n; i++)
            train_idx[i] = i;
        *n_train = d->n;
        *n_val = 0;
        return FSNSA_OK;
    }
    fsnsa_status st = FSNSA_OK;
    if (o->task == FSNSA_TASK_REGRESSION) /* no classes to stratify by */
        fsnsa__split_shuffled(d->n, o->validation_fraction,
                              o->seed ^ VALIDATION_SEED_MIX, train_idx,
                              n_train, val_idx, n_val);
    else
        st = fsnsa_split_stratified(d->y, d->n, d->schema.n_classes,
                                    o->validation_fraction,
                                    o->seed ^ VALIDATION_SEED_MIX, train_idx,
                                    n_train, val_idx, n_val, err);
    if (st == FSNSA_OK && (*n_train == 0 || *n_val == 0))
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "validation fraction %g of %zu rows leaves %zu "
                           "training and %zu validation rows",
                           o->validation_fraction, d->n, *n_train, *n_val);
    return st;
}

/* Given weights: finite, >= 0, and some row must count. */
static fsnsa_status check_given(const float *given, size_t C, float *w,
                                fsnsa_error *err)
{
    if (given == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "class weights \"given\" but none given");
    double total = 0.0;
    for (size_t c = 0; c < C; c++) {
        if (!(given[c] >= 0.0f && isfinite(given[c])))
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "class %zu: weight %g is not a finite number "
                               ">= 0", c, (double)given[c]);
        total += given[c];
        w[c] = given[c];
    }
    if (total == 0.0)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "every class weight is 0");
    return FSNSA_OK;
}

fsnsa_status fsnsa_train_class_weights(const fsnsa_dataset *d,
                                       const fsnsa_train_options *o,
                                       float *w, fsnsa_error *err)
{
    const size_t C = d->schema.n_classes;
    if (o->class_weight == FSNSA_CLASS_WEIGHT_GIVEN)
        return check_given(o->class_weights, C, w, err);
    for (size_t c = 0; c < C; c++)
        w[c] = 1.0f;
    if (o->class_weight != FSNSA_CLASS_WEIGHT_BALANCED)
        return FSNSA_OK;
    size_t *tr = fsnsa__alloc(d->n > 0 ? d->n : 1, sizeof *tr);
    size_t *va = fsnsa__alloc(d->n > 0 ? d->n : 1, sizeof *va);
    int32_t *y = fsnsa__alloc(d->n > 0 ? d->n : 1, sizeof *y);
    size_t ntr = 0, nva = 0;
    fsnsa_status st = tr && va && y ? FSNSA_OK
                                    : fsnsa__nomem(err, "the class weights");
    if (st == FSNSA_OK)
        st = fsnsa_train_validation_split(d, o, tr, &ntr, va, &nva, err);
    for (size_t i = 0; st == FSNSA_OK && i < ntr; i++)
        y[i] = d->y[tr[i]];
    if (st == FSNSA_OK)
        st = fsnsa_class_weights_balanced(y, ntr, C, w, err);
    free(tr);
    free(va);
    free(y);
    return st;
}

/* The two subsets of d (validation only with a fraction). */
static fsnsa_status split_rows(fsnsa__holdout *h, const fsnsa_dataset *d,
                               const fsnsa_train_options *o, fsnsa_error *err)
{
    size_t *tr = fsnsa__alloc(d->n, sizeof *tr);
    size_t *va = fsnsa__alloc(d->n, sizeof *va);
    size_t ntr = 0, nva = 0;
    fsnsa_status st = tr && va ? FSNSA_OK
                               : fsnsa__nomem(err, "the validation split");
    if (st == FSNSA_OK)
        st = fsnsa_train_validation_split(d, o, tr, &ntr, va, &nva, err);
    if (st == FSNSA_OK)
        st = fsnsa_dataset_subset(d, tr, ntr, &h->train, err);
    if (st == FSNSA_OK)
        st = fsnsa_dataset_subset(d, va, nva, &h->val, err);
    free(tr);
    free(va);
    return st;
}

fsnsa_status fsnsa__holdout_init(fsnsa__holdout *h, const fsnsa_dataset *d,
                                 const fsnsa_train_options *o,
                                 fsnsa_error *err)
{
    *h = (fsnsa__holdout){.best_loss = INFINITY, .loss = NAN, .acc = NAN,
                          .best_acc = NAN};
    fsnsa_status st = FSNSA_OK;
    if (o->validation_fraction > 0)
        st = split_rows(h, d, o, err);
    if (st == FSNSA_OK && o->class_weight != FSNSA_CLASS_WEIGHT_NONE) {
        h->weights = fsnsa__alloc(d->schema.n_classes, sizeof(float));
        st = h->weights != NULL
                 ? fsnsa_train_class_weights(d, o, h->weights, err)
                 : fsnsa__nomem(err, "the class weights");
    }
    return st;
}

fsnsa_status fsnsa__holdout_start(fsnsa__holdout *h, const fsnsa__trainer *t,
                                  const fsnsa_train_options *o,
                                  fsnsa_error *err)
{
    if (h->val == NULL)
        return FSNSA_OK;
    const fsnsa_net *net = t->net;
    fsnsa_status st = fsnsa__eval_buf_init(&h->eval, t->H0, t->P0, net->n_out,
                                           err);
    if (st != FSNSA_OK || o->keep != FSNSA_KEEP_BEST)
        return st;
    /* The size the schedules end at; should a net not have it, the best
     * epoch's copy is made at the size it has. */
    size_t hf = fsnsa__prunes_nodes(o->method) ? o->hidden : t->H0;
    size_t pf = fsnsa__selects_features(o->method) ? o->features : t->P0;
    return fsnsa__net_alloc(net->p_in, pf, hf, net->n_classes, &h->best, err);
}

void fsnsa__holdout_free(fsnsa__holdout *h)
{
    fsnsa__eval_buf_free(&h->eval);
    fsnsa_dataset_free(h->train);
    fsnsa_dataset_free(h->val);
    fsnsa_net_free(h->best);
    free(h->weights);
    *h = (fsnsa__holdout){0};
}

const fsnsa_dataset *fsnsa__holdout_rows(const fsnsa__holdout *h,
                                         const fsnsa_dataset *d)
{
    return h->train != NULL ? h->train : d;
}

/* Whether net has the size training ends with: the schedules reached
 * their targets (dense: always). */
static bool final_size(const fsnsa_net *net, const fsnsa_train_options *o)
{
    return (!fsnsa__prunes_nodes(o->method) || net->h <= o->hidden) &&
           (!fsnsa__selects_features(o->method) || net->p <= o->features);
}

fsnsa_status fsnsa__holdout_epoch(fsnsa__holdout *h, const fsnsa_net *net,
                                  const fsnsa_train_options *o, int e,
                                  bool *stop, fsnsa_error *err)
{
    *stop = false;
    if (h->val == NULL)
        return FSNSA_OK;
    fsnsa_status st = fsnsa__net_eval(net, h->val, h->weights, &h->eval,
                                      &h->loss, &h->acc, err);
    if (st != FSNSA_OK || !final_size(net, o))
        return st;
    if (!(h->loss < h->best_loss)) {
        h->stale++;
        *stop = o->early_stopping > 0 && h->stale >= o->early_stopping;
        return FSNSA_OK;
    }
    h->stale = 0;
    h->best_loss = h->loss;
    h->best_acc = h->acc;
    h->best_epoch = e;
    if (o->keep != FSNSA_KEEP_BEST)
        return FSNSA_OK;
    /* the final size does not change: the copy made before training */
    if (h->best != NULL && fsnsa__net_same_shape(h->best, net)) {
        fsnsa__net_copy_into(h->best, net);
        return FSNSA_OK;
    }
    fsnsa_net_free(h->best);
    h->best = NULL;
    return fsnsa_net_copy(net, &h->best, err);
}

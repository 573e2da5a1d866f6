/* The grid's rows: the stratified split into training and test rows, and
 * for every repeat the stratified folds of the training rows, the same
 * for every setting (a paired comparison). A regression has no classes to
 * stratify by: its split and folds are seeded shuffles. */
#include "grid.h"

#include <stdio.h>
#include <stdlib.h>

#include "nn/train.h"

/* The seed of repeat r's folds: it depends only on the seed and r. */
static uint64_t folds_seed(const fsnsa_grid_options *o, size_t r)
{
    char key[64];
    snprintf(key, sizeof key, "folds/r%zu", r);
    return fsnsa_key_seed(o->seed, key);
}

/* Rows 0..n-1 in an order shuffled from seed, dealt to folds 0, 1, ...,
 * k-1, 0, ...: a partition into k folds whose sizes differ by at most 1. */
static fsnsa_status shuffled_folds(size_t n, size_t k, uint64_t seed,
                                   size_t *fold, fsnsa_error *err)
{
    size_t *order = fsnsa__alloc(n, sizeof *order);
    if (order == NULL)
        return fsnsa__nomem(err, "the folds");
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, seed);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    fsnsa_rng_shuffle(&rng, order, n);
    for (size_t i = 0; i < n; i++)
        fold[order[i]] = i % k;
    free(order);
    return FSNSA_OK;
}

/* Stratified folds of the training rows' classes, for every repeat. */
static fsnsa_status stratified_folds(const fsnsa_dataset *all,
                                     const fsnsa_grid_options *o,
                                     const size_t *train_idx, size_t n_train,
                                     size_t *folds, fsnsa_error *err)
{
    int32_t *y = fsnsa__alloc(n_train, sizeof *y);
    if (y == NULL)
        return fsnsa__nomem(err, "the folds");
    for (size_t i = 0; i < n_train; i++)
        y[i] = all->y[train_idx[i]];
    fsnsa_status st = FSNSA_OK;
    for (size_t r = 0; r < o->repeats && st == FSNSA_OK; r++)
        st = fsnsa_kfold_stratified(y, n_train, all->schema.n_classes,
                                    o->folds, folds_seed(o, r),
                                    folds + r * all->n, err);
    free(y);
    return st;
}

fsnsa_status fsnsa_grid_plan(const fsnsa_dataset *all,
                             const fsnsa_grid_options *o, size_t *train_idx,
                             size_t *n_train, size_t *test_idx, size_t *n_test,
                             size_t *folds, fsnsa_error *err)
{
    const size_t n = all->n;
    const int regression = all->target != NULL;
    fsnsa_status st = FSNSA_OK;
    if (regression)
        fsnsa__split_shuffled(n, o->test_fraction, o->split_seed, train_idx,
                              n_train, test_idx, n_test);
    else
        st = fsnsa_split_stratified(all->y, n, all->schema.n_classes,
                                    o->test_fraction, o->split_seed,
                                    train_idx, n_train, test_idx, n_test,
                                    err);
    if (st != FSNSA_OK)
        return st;
    if (*n_train < o->folds || *n_test == 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "%zu rows give %zu training and %zu test rows: too "
                           "few for %zu folds", n, *n_train, *n_test,
                           o->folds);
    if (!regression)
        return stratified_folds(all, o, train_idx, *n_train, folds, err);
    for (size_t r = 0; r < o->repeats && st == FSNSA_OK; r++)
        st = shuffled_folds(*n_train, o->folds, folds_seed(o, r),
                            folds + r * n, err);
    return st;
}

fsnsa_status fsnsa__grid_split(const fsnsa_dataset *all,
                               const fsnsa_grid_options *o,
                               fsnsa__grid_data *g, fsnsa_error *err)
{
    const size_t n = all->n;
    size_t ntr = 0, nte = 0, nf;
    *g = (fsnsa__grid_data){.o = o, .stride = n,
                              .regression = all->target != NULL};
    size_t *itr = fsnsa__alloc(n, sizeof *itr);
    size_t *ite = fsnsa__alloc(n, sizeof *ite);
    fsnsa_status st = FSNSA_OK;
    if (itr == NULL || ite == NULL)
        st = fsnsa__nomem(err, "the split");
    else if (!fsnsa__mul(o->repeats, n, &nf) ||
             (g->folds = fsnsa__alloc(nf, sizeof *g->folds)) == NULL)
        st = fsnsa__nomem(err, "the folds");
    if (st == FSNSA_OK)
        st = fsnsa_grid_plan(all, o, itr, &ntr, ite, &nte, g->folds, err);
    if (st == FSNSA_OK)
        st = fsnsa_dataset_subset(all, itr, ntr, &g->train, err);
    if (st == FSNSA_OK)
        st = fsnsa_dataset_subset(all, ite, nte, &g->test, err);
    free(itr);
    free(ite);
    if (st != FSNSA_OK)
        fsnsa__grid_data_clear(g);
    return st;
}

void fsnsa__grid_data_clear(fsnsa__grid_data *g)
{
    fsnsa_dataset_free(g->train);
    fsnsa_dataset_free(g->test);
    free(g->folds);
    g->train = g->test = NULL;
    g->folds = NULL;
}

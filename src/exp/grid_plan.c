/* The grid's rows: the stratified split into training and test rows, and
 * for every repeat the stratified folds of the training rows, the same
 * for every setting (a paired comparison). */
#include "grid.h"

#include <stdio.h>
#include <stdlib.h>

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
    /* repeat r's assignment depends only on the seed and r */
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

fsnsa_status fsnsa__grid_split(const fsnsa_dataset *all,
                               const fsnsa_grid_options *o,
                               fsnsa__grid_data *g, fsnsa_error *err)
{
    const size_t n = all->n;
    size_t ntr = 0, nte = 0, nf;
    *g = (fsnsa__grid_data){.o = o, .stride = n};
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

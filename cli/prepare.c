/* Split, impute, scale: see prepare.h. */
#include "prepare.h"

#include <stdlib.h>

#include "messages.h"

int cli_split(const char *cmd, const fsnsa_dataset *all, double fraction,
              uint64_t seed, fsnsa_dataset **train, fsnsa_dataset **test)
{
    fsnsa_error err = {0};
    size_t n = all->n, n_train = 0, n_test = 0;
    size_t *tr = malloc((n > 0 ? n : 1) * sizeof *tr);
    size_t *te = malloc((n > 0 ? n : 1) * sizeof *te);
    int rc = -1;
    *train = *test = NULL;
    if (tr == NULL || te == NULL) {
        cli_error(cmd, "out of memory for a split of %zu rows", n);
        goto done;
    }
    fsnsa_status st;
    if (all->target != NULL) { /* regression: a seeded shuffle, no strata */
        fsnsa_train_options o;
        fsnsa_train_options_default(&o);
        o.task = FSNSA_TASK_REGRESSION;
        o.validation_fraction = fraction;
        o.seed = seed;
        st = fsnsa_train_validation_split(all, &o, tr, &n_train, te, &n_test,
                                          &err);
    } else {
        st = fsnsa_split_stratified(all->y, n, all->schema.n_classes,
                                    fraction, seed, tr, &n_train, te, &n_test,
                                    &err);
    }
    if (st == FSNSA_OK)
        st = fsnsa_dataset_subset(all, tr, n_train, train, &err);
    if (st == FSNSA_OK)
        st = fsnsa_dataset_subset(all, te, n_test, test, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        fsnsa_dataset_free(*train);
        *train = NULL;
        goto done;
    }
    rc = 0;
done:
    free(tr);
    free(te);
    return rc;
}

int cli_transform(const char *cmd, const fsnsa_scaler *sc,
                  fsnsa_missing missing, fsnsa_dataset *d)
{
    fsnsa_error err = {0};
    if (missing != FSNSA_MISSING_REFUSE)
        fsnsa_scaler_impute(sc, missing, d);
    fsnsa_status st = fsnsa_scaler_apply(sc, d, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return -1;
    }
    return 0;
}

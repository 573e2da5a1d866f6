/* The dense refit (docs/algorithm.md, "Refit"): the relaxed lasso's idea
 * as LassoNet uses it. Annealing chooses the columns and nodes, but the
 * net it leaves was pruned on the way and has not recovered what a full
 * training at that size reaches; a fresh dense net of the same h nodes,
 * trained with the same options and seed on the kept columns alone, is
 * the net a user would train by hand on them. */
#include "model.h"

#include <stdlib.h>

/* The rows of `rows` restricted to the columns cols[0..k), as a new
 * numeric data set with the same labels (or regression targets). */
static fsnsa_status column_rows(const fsnsa_dataset *rows, const size_t *cols,
                                size_t k, fsnsa_dataset **out,
                                fsnsa_error *err)
{
    float *x = fsnsa__alloc(rows->n * k > 0 ? rows->n * k : 1, sizeof *x);
    if (x == NULL)
        return fsnsa__nomem(err, "the refit's columns");
    for (size_t i = 0; i < rows->n; i++)
        for (size_t j = 0; j < k; j++)
            x[i * k + j] = rows->x[i * rows->p + cols[j]];
    int reg = rows->target != NULL;
    fsnsa_status st = fsnsa_dataset_from_arrays(
        rows->n, k, x, reg ? NULL : rows->y, rows->schema.n_classes, out, err);
    free(x);
    if (st == FSNSA_OK && reg)
        st = fsnsa_dataset_set_target(*out, rows->target, err);
    return st;
}

fsnsa_status fsnsa__refit_dense(const fsnsa_dataset *rows,
                                const fsnsa_net *kept, size_t h,
                                const fsnsa_train_options *o, int epochs,
                                fsnsa_net **out, fsnsa_train_report *report,
                                fsnsa_error *err)
{
    *out = NULL;
    fsnsa_train_options d = *o;
    d.method = FSNSA_METHOD_DENSE;
    d.hidden = h;
    d.features = 0;
    if (epochs > 0)
        d.epochs = epochs;
    d.on_epoch = NULL;
    d.on_epoch_ctx = NULL;
    fsnsa_dataset *sub = NULL;
    fsnsa_status st = column_rows(rows, kept->features, kept->p, &sub, err);
    if (st == FSNSA_OK)
        st = fsnsa_train_with_report(sub, &d, NULL, out, report, err);
    fsnsa_dataset_free(sub);
    if (*out != NULL) { /* read the kept columns of the full-width rows */
        (*out)->p_in = rows->p;
        for (size_t j = 0; j < kept->p; j++)
            (*out)->features[j] = kept->features[j];
    }
    return st;
}

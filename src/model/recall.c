/* The per-class recall a fitted model stores (format 1.4): the network's
 * predictions on the rows training held out, or on the training rows
 * without a split, counted by class (fsnsa_confusion) at the end of the
 * fit, so that inspect can show them without the data. */
#include "model.h"

#include <math.h>
#include <stdlib.h>

/* The rows of `rows` the figures are taken on: the validation split the
 * fit used (the same draw as training's), else every row. */
static fsnsa_status pick_rows(const fsnsa_dataset *rows,
                              const fsnsa_train_options *o,
                              fsnsa_dataset **out, int *on_validation,
                              fsnsa_error *err)
{
    size_t n = rows->n > 0 ? rows->n : 1, ntr = 0, nva = 0;
    size_t *tr = fsnsa__alloc(n, sizeof *tr), *va = fsnsa__alloc(n, sizeof *va);
    fsnsa_status st = tr && va ? FSNSA_OK
                               : fsnsa__nomem(err, "the recall's rows");
    if (st == FSNSA_OK)
        st = fsnsa_train_validation_split(rows, o, tr, &ntr, va, &nva, err);
    *on_validation = nva > 0;
    if (st == FSNSA_OK)
        st = fsnsa_dataset_subset(rows, nva > 0 ? va : tr,
                                  nva > 0 ? nva : ntr, out, err);
    free(tr);
    free(va);
    return st;
}

fsnsa_status fsnsa__model_record_recall(const fsnsa_dataset *rows,
                                        fsnsa_model *m, fsnsa_error *err)
{
    const size_t C = m->net->n_classes;
    fsnsa_dataset *d = NULL;
    int on_validation = 0;
    fsnsa_status st = pick_rows(rows, &m->options, &d, &on_validation, err);
    float *prob = NULL;
    size_t *counts = NULL;
    if (st == FSNSA_OK) {
        prob = fsnsa__alloc(d->n > 0 ? d->n * C : 1, sizeof *prob);
        counts = fsnsa__calloc(C * C, sizeof *counts);
        m->recall = fsnsa__alloc(C, sizeof *m->recall);
        if (prob == NULL || counts == NULL || m->recall == NULL)
            st = fsnsa__nomem(err, "the recall of the classes");
    }
    if (st == FSNSA_OK)
        st = fsnsa_net_predict(m->net, d->x, d->n, d->p, prob, err);
    if (st == FSNSA_OK) {
        fsnsa_confusion(prob, C, d->y, d->n, counts);
        m->balanced_accuracy = fsnsa_balanced_accuracy(counts, C, m->recall);
        m->recall_on_validation = on_validation;
    } else {
        free(m->recall);
        m->recall = NULL;
    }
    free(prob);
    free(counts);
    fsnsa_dataset_free(d);
    return st;
}

/* Class weights (fsnsa_train_options.class_weight): scikit-learn's
 * balanced weights and the best constant loss under weights (what the
 * constant-loss rule compares with). The weights a run uses come from its
 * split (validation.c). */
#include "train.h"

#include <math.h>
#include <stdlib.h>

/* counts[c] = rows of class c among y's labels in [0, C); *used = their
 * total. */
static fsnsa_status count_classes(const int32_t *y, size_t n, size_t C,
                                  size_t **counts, size_t *used,
                                  fsnsa_error *err)
{
    *counts = fsnsa__calloc(C > 0 ? C : 1, sizeof **counts);
    if (*counts == NULL)
        return fsnsa__nomem(err, "the class counts");
    *used = 0;
    for (size_t i = 0; i < n; i++)
        if (y[i] >= 0 && (size_t)y[i] < C) {
            (*counts)[y[i]]++;
            (*used)++;
        }
    return FSNSA_OK;
}

fsnsa_status fsnsa_class_weights_balanced(const int32_t *y, size_t n,
                                          size_t n_classes, float *w,
                                          fsnsa_error *err)
{
    size_t *count, used = 0;
    fsnsa_status st = count_classes(y, n, n_classes, &count, &used, err);
    if (st != FSNSA_OK)
        return st;
    for (size_t c = 0; c < n_classes && st == FSNSA_OK; c++) {
        if (count[c] == 0)
            st = fsnsa__fail(err, FSNSA_ERR_ARG,
                             "balanced class weights: class %zu has no "
                             "training row", c);
        else
            w[c] = (float)((double)used / ((double)n_classes * (double)count[c]));
    }
    free(count);
    return st;
}

fsnsa_status fsnsa__constant_loss_weighted(const int32_t *y, size_t n,
                                           size_t C, const float *w,
                                           double *loss, fsnsa_error *err)
{
    if (w == NULL)
        return fsnsa_constant_loss(y, n, C, loss, err);
    *loss = NAN;
    size_t *count, used = 0;
    fsnsa_status st = count_classes(y, n, C, &count, &used, err);
    if (st != FSNSA_OK)
        return st;
    /* the minimum of -(1/n) sum_c n_c w_c log q_c over distributions q
     * is at q_c = n_c w_c / sum_k n_k w_k */
    double mass = 0.0, sum = 0.0;
    for (size_t c = 0; c < C; c++)
        mass += (double)count[c] * w[c];
    for (size_t c = 0; c < C && mass > 0; c++) {
        double m = (double)count[c] * w[c];
        if (m > 0)
            sum -= m * log(m / mass);
    }
    if (used > 0)
        *loss = sum / (double)used;
    free(count);
    return FSNSA_OK;
}

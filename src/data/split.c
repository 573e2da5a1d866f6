/* Stratified train/test split and k-fold assignment. Rows are grouped by
 * class (ascending index within a class), each group is shuffled by one
 * rng seeded from `seed`, classes in id order: the result depends only on
 * (y, seed), not on the platform. */
#include "core/core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* order: row indices grouped by class; start[c]..start[c+1] is class c. */
static fsnsa_status group_by_class(const int32_t *y, size_t n,
                                   size_t n_classes, size_t **order,
                                   size_t **start, fsnsa_error *err)
{
    *order = NULL;
    *start = NULL;
    if (n_classes == 0 || n_classes > INT32_MAX)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "%zu classes", n_classes);
    for (size_t i = 0; i < n; i++)
        if (y[i] < 0 || (size_t)y[i] >= n_classes)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "label %d of row %zu is outside [0, %zu)",
                               (int)y[i], i, n_classes);
    size_t *o = fsnsa__alloc(n, sizeof *o);
    size_t *s = fsnsa__calloc(n_classes + 1, sizeof *s);
    if (o == NULL || s == NULL) {
        free(o);
        free(s);
        return fsnsa__nomem(err, "a split");
    }
    for (size_t i = 0; i < n; i++)
        s[(size_t)y[i] + 1]++;
    for (size_t c = 0; c < n_classes; c++)
        s[c + 1] += s[c];
    /* s[c] is now the next free slot of class c; restore afterwards */
    for (size_t i = 0; i < n; i++)
        o[s[y[i]]++] = i;
    for (size_t c = n_classes; c > 0; c--)
        s[c] = s[c - 1];
    s[0] = 0;
    *order = o;
    *start = s;
    return FSNSA_OK;
}

fsnsa_status fsnsa_split_stratified(const int32_t *y, size_t n,
                                    size_t n_classes, double test_fraction,
                                    uint64_t seed, size_t *train_idx,
                                    size_t *n_train, size_t *test_idx,
                                    size_t *n_test, fsnsa_error *err)
{
    if (y == NULL || train_idx == NULL || test_idx == NULL ||
        n_train == NULL || n_test == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "split: NULL argument");
    if (!(test_fraction >= 0.0 && test_fraction <= 1.0))
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "test fraction %g is outside [0, 1]", test_fraction);
    size_t *order, *start;
    fsnsa_status st = group_by_class(y, n, n_classes, &order, &start, err);
    if (st != FSNSA_OK)
        return st;
    unsigned char *is_test = fsnsa__calloc(n, 1);
    if (is_test == NULL) {
        free(order);
        free(start);
        return fsnsa__nomem(err, "a split");
    }
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, seed);
    for (size_t c = 0; c < n_classes; c++) {
        size_t cnt = start[c + 1] - start[c];
        size_t k = (size_t)floor(test_fraction * (double)cnt + 0.5);
        if (k > cnt)
            k = cnt;
        fsnsa_rng_shuffle(&rng, order + start[c], cnt);
        for (size_t i = 0; i < k; i++)
            is_test[order[start[c] + i]] = 1;
    }
    size_t a = 0, b = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_test[i])
            test_idx[b++] = i;
        else
            train_idx[a++] = i;
    }
    *n_train = a;
    *n_test = b;
    free(is_test);
    free(order);
    free(start);
    return FSNSA_OK;
}

fsnsa_status fsnsa_kfold_stratified(const int32_t *y, size_t n,
                                    size_t n_classes, size_t k, uint64_t seed,
                                    size_t *fold, fsnsa_error *err)
{
    if (y == NULL || fold == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "k-fold: NULL argument");
    if (k < 2 || k > n)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "k-fold needs 2 <= k <= rows (k = %zu, %zu rows)", k,
                           n);
    size_t *order, *start;
    fsnsa_status st = group_by_class(y, n, n_classes, &order, &start, err);
    if (st != FSNSA_OK)
        return st;
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, seed);
    /* Dealing rows round-robin with one counter across classes keeps each
     * class within +-1 per fold and the fold sizes within +-1 overall. */
    size_t next = 0;
    for (size_t c = 0; c < n_classes; c++) {
        size_t cnt = start[c + 1] - start[c];
        fsnsa_rng_shuffle(&rng, order + start[c], cnt);
        for (size_t i = 0; i < cnt; i++) {
            fold[order[start[c] + i]] = next;
            next = next + 1 == k ? 0 : next + 1;
        }
    }
    free(order);
    free(start);
    return FSNSA_OK;
}

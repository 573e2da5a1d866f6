/* Evaluation metrics: exact rank-based ROC AUC (binary and macro
 * one-vs-rest), accuracy, cross-entropy and the confusion matrix.
 *
 * Rows whose label is outside the metric's classes (e.g. -1 for an
 * unlabeled row) are left out rather than miscounted. A metric that has no
 * row to speak about returns NaN, so that "undefined" is never mistaken for
 * a perfect or a useless model. */
#include "core/core.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
    float s;
    int pos; /* 1 positive, 0 negative */
} scored;

static int cmp_scored(const void *a, const void *b)
{
    float x = ((const scored *)a)->s, y = ((const scored *)b)->s;
    return (x > y) - (x < y);
}

/* AUC of score[i * stride] for "y == pos_class" against the other labels in
 * [0, n_labels). `work` holds n entries. Counting, for every positive, the
 * negatives below it plus half of those tied with it is the Mann-Whitney U
 * statistic with average ranks, without forming rank sums that would lose
 * exactness in double beyond ~10^8 rows. */
static double auc_core(const float *score, size_t stride, const int32_t *y,
                       size_t n, int32_t pos_class, int32_t n_labels,
                       scored *work)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || y[i] >= n_labels)
            continue;
        float s = score[i * stride];
        /* A NaN score has no place in the order: the AUC is undefined. */
        if (isnan(s))
            return NAN;
        work[m].s = s;
        work[m].pos = y[i] == pos_class;
        m++;
    }
    qsort(work, m, sizeof *work, cmp_scored);
    double u = 0.0, n_pos = 0.0, n_neg = 0.0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        double gp = 0.0, gn = 0.0;
        while (j < m && work[j].s == work[i].s) {
            if (work[j].pos)
                gp += 1.0;
            else
                gn += 1.0;
            j++;
        }
        u += gp * n_neg + 0.5 * gp * gn;
        n_pos += gp;
        n_neg += gn;
        i = j;
    }
    if (n_pos == 0.0 || n_neg == 0.0)
        return NAN;
    return u / (n_pos * n_neg);
}

fsnsa_status fsnsa_roc_auc(const float *prob, size_t n_classes,
                           const int32_t *y, size_t n, double *auc,
                           fsnsa_error *err)
{
    *auc = NAN;
    if (n_classes < 2 || n_classes > INT32_MAX)
        return FSNSA_OK;
    scored *work = fsnsa__alloc(n, sizeof *work);
    if (work == NULL)
        return fsnsa__nomem(err, "the AUC's ranks");
    if (n_classes == 2) {
        *auc = auc_core(prob + 1, 2, y, n, 1, 2, work);
    } else {
        /* Classes absent from y have no AUC; average over the others (as
         * a macro average over the classes present). */
        double sum = 0.0;
        size_t used = 0;
        for (size_t c = 0; c < n_classes; c++) {
            double ac = auc_core(prob + c, n_classes, y, n, (int32_t)c,
                                 (int32_t)n_classes, work);
            if (!isnan(ac)) {
                sum += ac;
                used++;
            }
        }
        *auc = used > 0 ? sum / (double)used : NAN;
    }
    free(work);
    return FSNSA_OK;
}

/* Index of the largest entry; ties go to the lowest class, NaN entries
 * lose to any number. */
static size_t argmax(const float *row, size_t c)
{
    size_t best = 0;
    for (size_t k = 1; k < c; k++)
        if (row[k] > row[best] || (isnan(row[best]) && !isnan(row[k])))
            best = k;
    return best;
}

double fsnsa_accuracy(const float *prob, size_t n_classes, const int32_t *y,
                      size_t n)
{
    if (n_classes == 0)
        return NAN;
    size_t hit = 0, used = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || (size_t)y[i] >= n_classes)
            continue;
        used++;
        hit += argmax(prob + i * n_classes, n_classes) == (size_t)y[i];
    }
    return used > 0 ? (double)hit / (double)used : NAN;
}

double fsnsa_cross_entropy(const float *prob, size_t n_classes,
                           const int32_t *y, size_t n)
{
    double sum = 0.0;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || (size_t)y[i] >= n_classes)
            continue;
        double q = prob[i * n_classes + (size_t)y[i]];
        /* The clamp keeps a confident miss finite; a NaN probability is
         * passed on so that a diverged model is not reported as merely bad. */
        if (q < 1e-12)
            q = 1e-12;
        else if (q > 1.0)
            q = 1.0;
        sum -= log(q);
        used++;
    }
    return used > 0 ? sum / (double)used : NAN;
}

void fsnsa_confusion(const float *prob, size_t n_classes, const int32_t *y,
                     size_t n, size_t *counts)
{
    for (size_t k = 0; k < n_classes * n_classes; k++)
        counts[k] = 0;
    if (n_classes == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || (size_t)y[i] >= n_classes)
            continue;
        counts[(size_t)y[i] * n_classes + argmax(prob + i * n_classes, n_classes)]++;
    }
}

fsnsa_status fsnsa_constant_loss(const int32_t *y, size_t n,
                                 size_t n_classes, double *loss,
                                 fsnsa_error *err)
{
    *loss = NAN;
    size_t *count = fsnsa__calloc(n_classes, sizeof *count);
    if (count == NULL)
        return fsnsa__nomem(err, "the class counts");
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        if (y[i] >= 0 && (size_t)y[i] < n_classes) {
            count[y[i]]++;
            used++;
        }
    if (used > 0) {
        double sum = 0.0;
        for (size_t c = 0; c < n_classes; c++)
            if (count[c] > 0)
                sum -= (double)count[c] * log((double)count[c] / (double)used);
        *loss = sum / (double)used;
    }
    free(count);
    return FSNSA_OK;
}

int fsnsa_loss_worse_than_constant(double loss, double constant_loss)
{
    double margin = 1e-3 * (constant_loss > 1.0 ? constant_loss : 1.0);
    return !(loss <= constant_loss + margin);
}

double fsnsa_balanced_accuracy(const size_t *counts, size_t n_classes,
                               double *recall)
{
    double sum = 0.0;
    size_t present = 0;
    for (size_t c = 0; c < n_classes; c++) {
        size_t rows = 0;
        for (size_t k = 0; k < n_classes; k++)
            rows += counts[c * n_classes + k];
        double r = rows ? (double)counts[c * n_classes + c] / (double)rows : NAN;
        if (recall != NULL)
            recall[c] = r;
        if (rows) {
            sum += r;
            present++;
        }
    }
    return present ? sum / (double)present : NAN;
}

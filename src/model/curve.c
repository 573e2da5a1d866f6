/* The validation curves a model records (format 1.5): how its k and its
 * h were chosen by cross-validation (fsnsa_select_features,
 * fsnsa_select_hidden), so that `fsnsa inspect` can show how sure the
 * choice was. What a curve must be for the file to hold it, its copy into
 * a model, and its lines read back (write.c writes them). */
#include "tokens.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char *const *fsnsa__curve_names(void)
{
    static const char *const names[] = {"features", "hidden", NULL};
    return names;
}

/* What a curve must satisfy (its rule's choice), or NULL; max: the largest
 * size (p_in for features). */
const char *fsnsa__curve_problem(const fsnsa_select_result *c, size_t max)
{
    if (c->sizes == NULL || c->mean == NULL || c->se == NULL ||
        c->fold_loss == NULL)
        return "a curve array is missing";
    if (c->folds < 2 || c->folds > MODEL_MAX_WIDTH)
        return "the folds must be at least 2";
    for (size_t i = 0; i < c->n_sizes; i++) {
        if (c->sizes[i] < 1 || c->sizes[i] > max ||
            (i > 0 && c->sizes[i] <= c->sizes[i - 1]))
            return "the sizes must ascend strictly, each in [1, the most "
                   "the model can have]";
        if (isnan(c->mean[i]) || !(c->se[i] >= 0))
            return "a mean is nan or a standard error is not >= 0";
    }
    for (size_t i = 0; i < c->folds * c->n_sizes; i++)
        if (isnan(c->fold_loss[i]))
            return "a fold's held-out loss is nan";
    if (c->chosen >= c->n_sizes ||
        c->chosen != fsnsa_select_choose(c->mean, c->se, c->n_sizes,
                                         c->rule) ||
        c->k != c->sizes[c->chosen])
        return "the chosen size is not the one its rule gives";
    return NULL;
}

/* A copy of from into *to (n_sizes 0: nothing). */
static fsnsa_status copy_curve(fsnsa_select_result *to,
                               const fsnsa_select_result *from, size_t max,
                               const char *what, fsnsa_error *err)
{
    memset(to, 0, sizeof *to);
    if (from == NULL || from->n_sizes == 0)
        return FSNSA_OK;
    const char *why = fsnsa__curve_problem(from, max);
    if (why != NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "the curve of %s: %s", what,
                           why);
    size_t n = from->n_sizes, cells = from->folds * n;
    *to = *from;
    to->sizes = fsnsa__alloc(n, sizeof *to->sizes);
    to->mean = fsnsa__alloc(n, sizeof *to->mean);
    to->se = fsnsa__alloc(n, sizeof *to->se);
    to->fold_loss = fsnsa__alloc(cells, sizeof *to->fold_loss);
    if (!to->sizes || !to->mean || !to->se || !to->fold_loss) {
        fsnsa_select_result_clear(to);
        return fsnsa__nomem(err, "the validation curve");
    }
    memcpy(to->sizes, from->sizes, n * sizeof *to->sizes);
    memcpy(to->mean, from->mean, n * sizeof *to->mean);
    memcpy(to->se, from->se, n * sizeof *to->se);
    memcpy(to->fold_loss, from->fold_loss, cells * sizeof *to->fold_loss);
    return FSNSA_OK;
}

fsnsa_status fsnsa_model_set_selection(fsnsa_model *m,
                                       const fsnsa_select_result *features,
                                       const fsnsa_select_result *hidden,
                                       fsnsa_error *err)
{
    if (m == NULL || m->net == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no model to record in");
    fsnsa_select_result k, h;
    fsnsa_status st = copy_curve(&k, features, m->net->p_in, "k", err);
    if (st == FSNSA_OK)
        st = copy_curve(&h, hidden, MODEL_MAX_HIDDEN, "h", err);
    if (st != FSNSA_OK) {
        fsnsa_select_result_clear(&k);
        return st; /* m as it was */
    }
    fsnsa_select_result_clear(&m->select_features);
    fsnsa_select_result_clear(&m->select_hidden);
    m->select_features = k;
    m->select_hidden = h;
    return FSNSA_OK;
}

/* "key" and n numbers (nan, inf allowed: the checks come after). */
static fsnsa_status parse_doubles(fsnsa__tokens *r, const char *key,
                                  double *v, size_t n)
{
    TRY(fsnsa__tok_expect(r, key));
    for (size_t i = 0; i < n; i++)
        TRY(fsnsa__tok_double(r, &v[i], true, key));
    return fsnsa__tok_end(r);
}

/* The arrays for n sizes and folds x n losses, after checking that they
 * fit in the rest of the file. */
static fsnsa_status alloc_curve(fsnsa__tokens *r, fsnsa_select_result *c,
                                size_t n, size_t folds)
{
    size_t cells, total;
    if (!fsnsa__mul(folds, n, &cells) || !fsnsa__add(cells, 3 * n, &total))
        return fsnsa__tok_fail(r, r->lineno, FSNSA_ERR_LIMIT,
                               "the curve is too large");
    TRY(fsnsa__tok_room(r, total, 2, "curve numbers"));
    c->n_sizes = n;
    c->folds = folds;
    c->sizes = fsnsa__calloc(n, sizeof *c->sizes);
    c->mean = fsnsa__calloc(n, sizeof *c->mean);
    c->se = fsnsa__calloc(n, sizeof *c->se);
    c->fold_loss = fsnsa__calloc(cells > 0 ? cells : 1, sizeof *c->fold_loss);
    if (!c->sizes || !c->mean || !c->se || !c->fold_loss)
        return fsnsa__nomem(r->err, "the validation curve");
    return FSNSA_OK;
}

/* The curve's lines after "select WHAT", up to "select.chosen"; the
 * lowest and the chosen sizes must be the curve's own. */
static fsnsa_status parse_curve(fsnsa__tokens *r, fsnsa_select_result *c,
                                const char *what, size_t max)
{
    size_t n = 0, folds = 0, lowest = 0;
    int rule = 0;
    TRY(fsnsa__tok_size(r, &n, MODEL_MAX_WIDTH, "number of sizes"));
    TRY(fsnsa__tok_end(r));
    if (n == 0)
        return BAD(r, "select %s: a curve has at least one size", what);
    TRY(fsnsa__tok_key_size(r, "select.folds", &folds, MODEL_MAX_WIDTH));
    /* 1.5 and 1.6 know only one-se; min is 1.7's */
    TRY(fsnsa__tok_key_enum(r, "select.rule", fsnsa_select_rule_names(),
                            r->minor >= 7 ? 2 : 1, &rule));
    TRY(alloc_curve(r, c, n, folds));
    c->rule = (fsnsa_select_rule)rule;
    TRY(fsnsa__tok_expect(r, "select.sizes"));
    for (size_t i = 0; i < n; i++)
        TRY(fsnsa__tok_size(r, &c->sizes[i], SIZE_MAX, "size"));
    TRY(fsnsa__tok_end(r));
    TRY(parse_doubles(r, "select.mean", c->mean, n));
    TRY(parse_doubles(r, "select.se", c->se, n));
    for (size_t f = 0; f < folds; f++)
        TRY(parse_doubles(r, "select.fold_loss", c->fold_loss + f * n, n));
    TRY(fsnsa__tok_key_size(r, "select.lowest", &lowest, SIZE_MAX));
    TRY(fsnsa__tok_key_size(r, "select.chosen", &c->k, SIZE_MAX));
    for (c->chosen = 0; c->chosen < n && c->sizes[c->chosen] != c->k;)
        c->chosen++;
    const char *why = fsnsa__curve_problem(c, max);
    if (why != NULL)
        return BAD(r, "select %s: %s", what, why);
    if (lowest != c->sizes[fsnsa_select_lowest(c)])
        return BAD(r, "select %s: select.lowest %zu is not the size with the "
                   "lowest mean, %zu", what, lowest,
                   c->sizes[fsnsa_select_lowest(c)]);
    return FSNSA_OK;
}

fsnsa_status fsnsa__curve_parse(fsnsa__tokens *r, fsnsa_model *m)
{
    const char *const *names = fsnsa__curve_names();
    int last = -1, e = 0;
    if (r->minor < 5)
        return FSNSA_OK;
    while (fsnsa__tok_optional(r, "select")) {
        TRY(fsnsa__tok_enum(r, names, 2, &e, "chosen size"));
        if (e <= last)
            return BAD(r, "select %s: one curve each, features before hidden",
                       names[e]);
        last = e;
        TRY(parse_curve(r, e == 0 ? &m->select_features : &m->select_hidden,
                        names[e], e == 0 ? m->net->p_in : MODEL_MAX_HIDDEN));
    }
    return FSNSA_OK;
}

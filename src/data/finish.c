/* Encoding a table into its data set: the matrix (one-hot for nominal
 * columns), the schema, the labels. */
#include "table.h"

#include "limits.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A table that can be encoded: rows, a feature column, a label a row. */
static fsnsa_status check_complete(const fsnsa__table *t, fsnsa_error *err)
{
    if (t->n == 0)
        return fsnsa__fail(err, FSNSA_ERR_PARSE, "%s:%zu:1: no data rows",
                           t->path, t->last_line + 1);
    if (t->m == 0)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: no feature columns besides the label",
                           t->path, t->last_line);
    if (t->labeled && t->n_y != t->n)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s: %zu labels for %zu rows", t->path, t->n_y,
                           t->n);
    return FSNSA_OK;
}

/* The encoded width *p (a column for a numeric column, one for each value
 * of a nominal one) and the cells n * p, within the limits. */
static fsnsa_status encoded_size(const fsnsa__table *t, size_t *p,
                                 size_t *cells, fsnsa_error *err)
{
    *p = 0;
    for (size_t j = 0; j < t->m; j++) {
        size_t w = t->cols[j].kind == FSNSA__NUM ? 1 : t->cols[j].dict.n;
        if (!fsnsa__add(*p, w, p) || *p > t->max_cols)
            return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                               "%s: more than %zu encoded columns", t->path,
                               t->max_cols);
    }
    if (!fsnsa__mul(t->n, *p, cells) || *cells > FSNSA__MAX_CELLS)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s: %zu x %zu values exceed the limit of %zu",
                           t->path, t->n, *p, FSNSA__MAX_CELLS);
    return FSNSA_OK;
}

static bool all_numeric(const fsnsa__table *t)
{
    for (size_t j = 0; j < t->m; j++)
        if (t->cols[j].kind != FSNSA__NUM)
            return false;
    return true;
}

/* Row by row into d->x: numbers as they are, a nominal value one-hot, a
 * missing nominal NaN in every indicator (imputed later). */
static void one_hot(const fsnsa__table *t, const size_t *off, float *x,
                    size_t p)
{
    for (size_t i = 0; i < t->n; i++) {
        const float *src = t->cells + i * t->m;
        float *dst = x + i * p;
        for (size_t j = 0; j < t->m; j++) {
            size_t id, nv = t->cols[j].dict.n;
            if (t->cols[j].kind == FSNSA__NUM) {
                dst[off[j]] = src[j];
            } else if (fsnsa__cell_id(&src[j], &id)) {
                for (size_t v = 0; v < nv; v++)
                    dst[off[j] + v] = v == id ? 1.0f : 0.0f;
            } else {
                for (size_t v = 0; v < nv; v++)
                    dst[off[j] + v] = NAN;
            }
        }
    }
}

/* d->x, n x p: the table's cells themselves when every column is numeric
 * (the spare capacity given back), else encoded. */
static fsnsa_status encode_cells(fsnsa__table *t, fsnsa_dataset *d,
                                 size_t cells, fsnsa_error *err)
{
    if (all_numeric(t)) {
        float *x = realloc(t->cells, (cells ? cells : 1) * sizeof *x);
        d->x = x != NULL ? x : t->cells;
        t->cells = NULL;
        return FSNSA_OK;
    }
    d->x = fsnsa__alloc(cells, sizeof *d->x);
    size_t *off = fsnsa__alloc(t->m, sizeof *off);
    if (d->x == NULL || off == NULL) {
        free(off);
        return fsnsa__nomem(err, "the data matrix");
    }
    for (size_t j = 0, o = 0; j < t->m; j++) {
        off[j] = o;
        o += t->cols[j].kind == FSNSA__NUM ? 1 : t->cols[j].dict.n;
    }
    one_hot(t, off, d->x, d->p);
    free(off);
    return FSNSA_OK;
}

/* Prediction: the model's schema, whose width must be the table's, and
 * the labels as read (-1 without). */
static fsnsa_status model_schema(const fsnsa__table *t, fsnsa_dataset *d,
                                 fsnsa_error *err)
{
    fsnsa_status st = fsnsa_schema_copy(&d->schema, t->schema, err);
    if (st != FSNSA_OK)
        return st;
    if (d->schema.p != d->p)
        return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                           "%s: model schema says %zu encoded columns, its "
                           "columns give %zu",
                           t->path, d->schema.p, d->p);
    if ((st = fsnsa_schema_feature_names(&d->schema, &d->feature_names,
                                         err)) != FSNSA_OK)
        return st;
    if (t->labeled && t->regression)
        return fsnsa__table_target(t, d, err);
    for (size_t i = 0; i < t->n; i++)
        d->y[i] = t->labeled ? t->y[i] : -1;
    return FSNSA_OK;
}

/* Builds d->schema columns and feature names from the table. */
static fsnsa_status build_schema(fsnsa__table *t, fsnsa_dataset *d,
                                 fsnsa_error *err)
{
    fsnsa_schema *s = &d->schema;
    char nb[64];
    s->columns = fsnsa__calloc(t->m, sizeof *s->columns);
    if (s->columns == NULL)
        return fsnsa__nomem(err, "the schema");
    s->n_columns = t->m;
    s->p = d->p;
    for (size_t j = 0; j < t->m; j++) {
        fsnsa__tcol *c = &t->cols[j];
        fsnsa_column *sc = &s->columns[j];
        const char *name = fsnsa__table_col_name(t, j, nb, sizeof nb);
        if ((sc->name = fsnsa__strdup(name)) == NULL)
            return fsnsa__nomem(err, "the schema");
        if (c->kind == FSNSA__NUM) {
            sc->kind = FSNSA_COL_NUMERIC;
            continue;
        }
        sc->kind = FSNSA_COL_NOMINAL;
        sc->values = fsnsa__calloc(c->dict.n, sizeof *sc->values);
        if (sc->values == NULL)
            return fsnsa__nomem(err, "the schema");
        sc->n_values = c->dict.n;
        for (size_t v = 0; v < c->dict.n; v++) {
            const char *val = fsnsa__dict_str(&c->dict, v);
            if ((sc->values[v] = fsnsa__strdup(val)) == NULL)
                return fsnsa__nomem(err, "the schema");
        }
    }
    return fsnsa_schema_feature_names(s, &d->feature_names, err);
}

/* Training: the schema, the label's name and the classes from the
 * table; labels -1 without a label column. */
static fsnsa_status table_schema(fsnsa__table *t, fsnsa_dataset *d,
                                 fsnsa_error *err)
{
    fsnsa_status st = build_schema(t, d, err);
    if (st != FSNSA_OK)
        return st;
    if (t->label_name != NULL &&
        (d->schema.label_name = fsnsa__strdup(t->label_name)) == NULL)
        return fsnsa__nomem(err, "the schema");
    if (t->labeled && t->regression)
        return fsnsa__table_target(t, d, err);
    if (t->labeled)
        return fsnsa__table_classes(t, d, err);
    for (size_t i = 0; i < t->n; i++)
        d->y[i] = -1;
    return FSNSA_OK;
}

fsnsa_status fsnsa__table_finish(fsnsa__table *t, fsnsa_dataset **out,
                                 fsnsa_error *err)
{
    *out = NULL;
    size_t p = 0, cells = 0;
    fsnsa_status st;
    if ((st = check_complete(t, err)) != FSNSA_OK ||
        (st = fsnsa__table_decide_kinds(t, err)) != FSNSA_OK)
        return st;
    if (t->index_check && t->schema == NULL)
        fsnsa__warn_index(t);
    if ((st = encoded_size(t, &p, &cells, err)) != FSNSA_OK)
        return st;
    fsnsa_dataset *d = calloc(1, sizeof *d);
    if (d == NULL)
        return fsnsa__nomem(err, "a data set");
    d->n = t->n;
    d->p = p;
    d->has_labels = t->labeled;
    d->layout = t->layout;
    if (!t->labeled)
        d->layout.label = FSNSA_LABEL_NONE;
    if ((d->y = fsnsa__alloc(t->n, sizeof *d->y)) == NULL)
        st = fsnsa__nomem(err, "labels");
    if (st == FSNSA_OK)
        st = encode_cells(t, d, cells, err);
    if (st == FSNSA_OK)
        st = t->schema != NULL ? model_schema(t, d, err)
                               : table_schema(t, d, err);
    if (st == FSNSA_OK && (d->source = fsnsa__strdup(t->path)) == NULL)
        st = fsnsa__nomem(err, "a file name");
    if (st != FSNSA_OK) {
        fsnsa_dataset_free(d);
        return st;
    }
    *out = d;
    return FSNSA_OK;
}

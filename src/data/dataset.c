/* The in-memory data set and its schema: creation, copies, release. */
#include "core/core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fsnsa_read_options_default(fsnsa_read_options *o)
{
    memset(o, 0, sizeof *o);
    o->format = FSNSA_FORMAT_AUTO;
    o->delimiter = 0;
    o->decimal = 0;
    o->header = -1;
    o->label_column = NULL;
    o->labels_file = NULL;
    o->missing = FSNSA_MISSING_REFUSE;
    o->schema = NULL;
}

void fsnsa_strings_free(char **v, size_t n)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void fsnsa_schema_clear(fsnsa_schema *s)
{
    if (s == NULL)
        return;
    if (s->columns != NULL) {
        for (size_t i = 0; i < s->n_columns; i++) {
            free(s->columns[i].name);
            fsnsa_strings_free(s->columns[i].values, s->columns[i].n_values);
        }
        free(s->columns);
    }
    fsnsa_strings_free(s->class_names, s->n_classes);
    free(s->label_name);
    memset(s, 0, sizeof *s);
}

static char **copy_strings(char *const *src, size_t n, bool *ok)
{
    *ok = true;
    if (src == NULL || n == 0)
        return NULL;
    char **d = fsnsa__calloc(n, sizeof *d);
    if (d == NULL) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (src[i] != NULL && (d[i] = fsnsa__strdup(src[i])) == NULL) {
            fsnsa_strings_free(d, n);
            *ok = false;
            return NULL;
        }
    }
    return d;
}

fsnsa_status fsnsa_schema_copy(fsnsa_schema *dst, const fsnsa_schema *src,
                               fsnsa_error *err)
{
    bool ok;
    memset(dst, 0, sizeof *dst);
    dst->p = src->p;
    dst->n_classes = src->n_classes;
    dst->class_names = copy_strings(src->class_names, src->n_classes, &ok);
    if (!ok)
        goto nomem;
    if (src->label_name != NULL &&
        (dst->label_name = fsnsa__strdup(src->label_name)) == NULL)
        goto nomem;
    if (src->n_columns > 0) {
        dst->columns = fsnsa__calloc(src->n_columns, sizeof *dst->columns);
        if (dst->columns == NULL)
            goto nomem;
        dst->n_columns = src->n_columns;
        for (size_t i = 0; i < src->n_columns; i++) {
            const fsnsa_column *a = &src->columns[i];
            fsnsa_column *b = &dst->columns[i];
            b->kind = a->kind;
            if (a->name != NULL && (b->name = fsnsa__strdup(a->name)) == NULL)
                goto nomem;
            b->values = copy_strings(a->values, a->n_values, &ok);
            if (!ok)
                goto nomem;
            b->n_values = a->n_values;
        }
    }
    return FSNSA_OK;
nomem:
    fsnsa_schema_clear(dst);
    return fsnsa__nomem(err, "a schema");
}

void fsnsa_dataset_free(fsnsa_dataset *d)
{
    if (d == NULL)
        return;
    free(d->x);
    free(d->y);
    free(d->target);
    fsnsa_strings_free(d->feature_names, d->p);
    fsnsa_schema_clear(&d->schema);
    free(d->source);
    free(d);
}

/* An empty data set of n x p with numeric columns named x0..x{p-1} and
 * n_classes classes named 0..C-1; x and y allocated, not filled. */
static fsnsa_status alloc_numeric(size_t n, size_t p, size_t n_classes,
                                  fsnsa_dataset **out, fsnsa_error *err)
{
    size_t cells;
    if (!fsnsa__mul(n, p, &cells) || cells > SIZE_MAX / sizeof(float))
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "data set of %zu x %zu values is too large", n, p);
    fsnsa_dataset *d = calloc(1, sizeof *d);
    if (d == NULL)
        return fsnsa__nomem(err, "a data set");
    d->n = n;
    d->p = p;
    d->x = fsnsa__alloc(cells, sizeof *d->x);
    d->y = fsnsa__alloc(n, sizeof *d->y);
    d->feature_names = fsnsa__calloc(p, sizeof *d->feature_names);
    d->schema.columns = fsnsa__calloc(p, sizeof *d->schema.columns);
    d->schema.class_names = fsnsa__calloc(n_classes, sizeof(char *));
    if (d->x == NULL || d->y == NULL || d->feature_names == NULL ||
        d->schema.columns == NULL || d->schema.class_names == NULL)
        goto nomem;
    d->schema.n_columns = p;
    d->schema.n_classes = n_classes;
    d->schema.p = p;
    char name[32];
    for (size_t j = 0; j < p; j++) {
        snprintf(name, sizeof name, "x%zu", j);
        d->schema.columns[j].kind = FSNSA_COL_NUMERIC;
        if ((d->schema.columns[j].name = fsnsa__strdup(name)) == NULL ||
            (d->feature_names[j] = fsnsa__strdup(name)) == NULL)
            goto nomem;
    }
    for (size_t c = 0; c < n_classes; c++) {
        snprintf(name, sizeof name, "%zu", c);
        if ((d->schema.class_names[c] = fsnsa__strdup(name)) == NULL)
            goto nomem;
    }
    *out = d;
    return FSNSA_OK;
nomem:
    fsnsa_dataset_free(d);
    return fsnsa__nomem(err, "a data set");
}

fsnsa_status fsnsa_dataset_from_arrays(size_t n, size_t p, const float *x,
                                       const int32_t *y, size_t n_classes,
                                       fsnsa_dataset **out, fsnsa_error *err)
{
    *out = NULL;
    if (y != NULL && n_classes < 2)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "need at least 2 classes");
    if (y != NULL) {
        for (size_t i = 0; i < n; i++)
            if (y[i] < 0 || (size_t)y[i] >= n_classes)
                return fsnsa__fail(err, FSNSA_ERR_ARG,
                                   "label %d of row %zu is outside [0, %zu)",
                                   (int)y[i], i, n_classes);
    }
    fsnsa_dataset *d = NULL;
    fsnsa_status st = alloc_numeric(n, p, y != NULL ? n_classes : 0, &d, err);
    if (st != FSNSA_OK)
        return st;
    if (n * p > 0)
        memcpy(d->x, x, n * p * sizeof *d->x);
    for (size_t i = 0; i < n; i++)
        d->y[i] = y != NULL ? y[i] : -1;
    d->has_labels = y != NULL;
    *out = d;
    return FSNSA_OK;
}

/* Replace *slot by a copy of s; false when out of memory. */
static bool rename_to(char **slot, const char *s)
{
    char *c = fsnsa__strdup(s);
    if (c == NULL)
        return false;
    free(*slot);
    *slot = c;
    return true;
}

/* An empty name or one given twice among n: refused, naming it. */
static fsnsa_status check_names(const char *what, const char *const *v,
                                size_t n, fsnsa_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i] == NULL || v[i][0] == '\0')
            return fsnsa__fail(err, FSNSA_ERR_ARG, "%s %zu has no name", what,
                               i);
        for (size_t j = 0; j < i; j++)
            if (strcmp(v[i], v[j]) == 0)
                return fsnsa__fail(err, FSNSA_ERR_ARG,
                                   "%ss %zu and %zu are both named '%s'",
                                   what, j, i, v[i]);
    }
    return FSNSA_OK;
}

fsnsa_status fsnsa_dataset_set_names(fsnsa_dataset *d,
                                     const char *const *columns,
                                     const char *label,
                                     const char *const *classes,
                                     fsnsa_error *err)
{
    if (d->schema.p != d->schema.n_columns)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "only a data set of numeric columns can be renamed");
    size_t p = d->p, C = d->schema.n_classes;
    fsnsa_status st = FSNSA_OK;
    if (columns != NULL)
        st = check_names("column", columns, p, err);
    if (st == FSNSA_OK && classes != NULL)
        st = check_names("class", classes, C, err);
    if (st != FSNSA_OK)
        return st;
    bool ok = true;
    for (size_t j = 0; columns != NULL && j < p && ok; j++)
        ok = rename_to(&d->schema.columns[j].name, columns[j]) &&
             rename_to(&d->feature_names[j], columns[j]);
    for (size_t k = 0; classes != NULL && k < C && ok; k++)
        ok = rename_to(&d->schema.class_names[k], classes[k]);
    if (ok && label != NULL)
        ok = rename_to(&d->schema.label_name, label);
    return ok ? FSNSA_OK : fsnsa__nomem(err, "names");
}

fsnsa_status fsnsa_dataset_subset(const fsnsa_dataset *d, const size_t *idx,
                                  size_t m, fsnsa_dataset **out,
                                  fsnsa_error *err)
{
    *out = NULL;
    for (size_t i = 0; i < m; i++)
        if (idx[i] >= d->n)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "row index %zu is outside [0, %zu)", idx[i], d->n);
    fsnsa_dataset *s = calloc(1, sizeof *s);
    if (s == NULL)
        return fsnsa__nomem(err, "a data set");
    s->n = m;
    s->p = d->p;
    s->has_labels = d->has_labels;
    s->layout = d->layout;
    s->x = fsnsa__alloc(m * d->p, sizeof *s->x);
    s->y = fsnsa__alloc(m, sizeof *s->y);
    if (d->target != NULL)
        s->target = fsnsa__alloc(m, sizeof *s->target);
    if (s->x == NULL || s->y == NULL || (d->target != NULL && !s->target))
        goto nomem;
    for (size_t i = 0; i < m; i++) {
        memcpy(s->x + i * d->p, d->x + idx[i] * d->p, d->p * sizeof *s->x);
        s->y[i] = d->y[idx[i]];
        if (d->target != NULL)
            s->target[i] = d->target[idx[i]];
    }
    if (fsnsa_schema_copy(&s->schema, &d->schema, err) != FSNSA_OK) {
        fsnsa_dataset_free(s);
        return FSNSA_ERR_NOMEM;
    }
    if (d->feature_names != NULL) {
        bool ok;
        s->feature_names = copy_strings(d->feature_names, d->p, &ok);
        if (!ok)
            goto nomem;
    }
    if (d->source != NULL && (s->source = fsnsa__strdup(d->source)) == NULL)
        goto nomem;
    *out = s;
    return FSNSA_OK;
nomem:
    fsnsa_dataset_free(s);
    return fsnsa__nomem(err, "a data subset");
}

static char *joined_name(const char *a, const char *b)
{
    size_t la = strlen(a), lb = b != NULL ? strlen(b) + 1 : 0;
    char *s = malloc(la + lb + 1);
    if (s == NULL)
        return NULL;
    memcpy(s, a, la);
    if (b != NULL) {
        s[la] = '=';
        memcpy(s + la + 1, b, lb - 1);
    }
    s[la + lb] = '\0';
    return s;
}

fsnsa_status fsnsa_schema_feature_names(const fsnsa_schema *s, char ***out,
                                        fsnsa_error *err)
{
    *out = NULL;
    size_t p = s->p, k = 0;
    char **names = fsnsa__calloc(p, sizeof *names);
    if (names == NULL)
        return fsnsa__nomem(err, "feature names");
    char fallback[32];
    for (size_t c = 0; c < s->n_columns && k < p; c++) {
        const fsnsa_column *col = &s->columns[c];
        const char *base = col->name;
        if (base == NULL) {
            snprintf(fallback, sizeof fallback, "x%zu", c);
            base = fallback;
        }
        if (col->kind == FSNSA_COL_NOMINAL) {
            for (size_t v = 0; v < col->n_values && k < p; v++)
                if ((names[k++] = joined_name(
                         base, col->values[v] != NULL ? col->values[v] : "?")) == NULL)
                    goto nomem;
        } else if ((names[k++] = joined_name(base, NULL)) == NULL) {
            goto nomem;
        }
    }
    /* a schema that does not cover p (sparse formats may not list every
     * column) still gets a name per column */
    for (; k < p; k++) {
        snprintf(fallback, sizeof fallback, "x%zu", k);
        if ((names[k] = joined_name(fallback, NULL)) == NULL)
            goto nomem;
    }
    *out = names;
    return FSNSA_OK;
nomem:
    fsnsa_strings_free(names, p);
    return fsnsa__nomem(err, "feature names");
}

fsnsa_status fsnsa_dataset_set_target(fsnsa_dataset *d, const float *t,
                                      fsnsa_error *err)
{
    if (d == NULL || t == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no data set or no targets");
    for (size_t i = 0; i < d->n; i++)
        if (!isfinite(t[i]))
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "row %zu: the target %g is not a finite number",
                               i + 1, (double)t[i]);
    float *own = fsnsa__alloc(d->n > 0 ? d->n : 1, sizeof *own);
    if (own == NULL)
        return fsnsa__nomem(err, "the targets");
    memcpy(own, t, d->n * sizeof *own);
    free(d->target);
    d->target = own;
    d->has_labels = 1;
    for (size_t i = 0; i < d->n; i++)
        d->y[i] = -1;
    fsnsa_strings_free(d->schema.class_names, d->schema.n_classes);
    d->schema.class_names = NULL;
    d->schema.n_classes = 0;
    return FSNSA_OK;
}

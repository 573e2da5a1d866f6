/* The table: its columns (names, declared kinds and values, or a model's
 * schema) and its rows, one growing float matrix of n x m cells. */
#include "table.h"

#include "columns.h"
#include "limits.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

fsnsa_status fsnsa__table_init(fsnsa__table *t, const char *path,
                               const fsnsa_read_options *opt, size_t m,
                               bool labeled, fsnsa_error *err)
{
    t->path = path;
    t->missing = opt->missing;
    t->warn = opt->warn;
    t->warn_ctx = opt->warn_ctx;
    t->max_rows = opt->max_rows ? opt->max_rows : FSNSA__DEFAULT_MAX_ROWS;
    t->max_cols = opt->max_cols ? opt->max_cols : FSNSA__DEFAULT_MAX_COLS;
    t->schema = opt->schema;
    t->labeled = labeled;
    t->regression = opt->task == FSNSA_TASK_REGRESSION;
    t->decimal = '.';
    t->layout.label = fsnsa__label_source(opt);
    t->layout.label_field = SIZE_MAX;
    t->layout.header = -1;
    if (m > t->max_cols)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s: %zu columns exceed the limit of %zu", path, m,
                           t->max_cols);
    size_t lim = t->max_cols < FSNSA__MAX_NOMINAL ? t->max_cols : FSNSA__MAX_NOMINAL;
    t->labels.limit = lim;
    return fsnsa__table_set_width(t, m, err);
}

fsnsa_status fsnsa__table_set_width(fsnsa__table *t, size_t m,
                                    fsnsa_error *err)
{
    if (m > t->max_cols)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s: %zu columns exceed the limit of %zu", t->path,
                           m, t->max_cols);
    fsnsa__tcol *cols = fsnsa__calloc(m, sizeof *cols);
    if (cols == NULL)
        return fsnsa__nomem(err, "columns");
    free(t->cols);
    t->cols = cols;
    t->m = m;
    size_t lim = t->max_cols < FSNSA__MAX_NOMINAL ? t->max_cols : FSNSA__MAX_NOMINAL;
    for (size_t j = 0; j < m; j++)
        t->cols[j].dict.limit = lim;
    return FSNSA_OK;
}

static char *dup_n(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d != NULL) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

fsnsa_status fsnsa__table_set_name(fsnsa__table *t, size_t j, const char *s,
                                   size_t len, fsnsa_error *err)
{
    free(t->cols[j].name);
    if ((t->cols[j].name = dup_n(s, len)) == NULL)
        return fsnsa__nomem(err, "a column name");
    return FSNSA_OK;
}

fsnsa_status fsnsa__table_set_label_name(fsnsa__table *t, const char *s,
                                         size_t len, fsnsa_error *err)
{
    free(t->label_name);
    if ((t->label_name = dup_n(s, len)) == NULL)
        return fsnsa__nomem(err, "a column name");
    return FSNSA_OK;
}

const char *fsnsa__table_col_name(const fsnsa__table *t, size_t j, char *buf,
                                  size_t size)
{
    if (t->cols[j].name != NULL)
        return t->cols[j].name;
    snprintf(buf, size, "x%zu", j);
    return buf;
}

void fsnsa__table_set_numeric(fsnsa__table *t, size_t j)
{
    t->cols[j].kind = FSNSA__NUM;
}

void fsnsa__table_set_nominal(fsnsa__table *t, size_t j, fsnsa__dict *d)
{
    fsnsa__dict_free(&t->cols[j].dict);
    t->cols[j].dict = *d;
    memset(d, 0, sizeof *d);
    t->cols[j].kind = FSNSA__NOM;
    t->cols[j].fixed = true;
}

void fsnsa__table_set_classes(fsnsa__table *t, fsnsa__dict *d)
{
    fsnsa__dict_free(&t->labels);
    t->labels = *d;
    memset(d, 0, sizeof *d);
    t->labels_fixed = true;
}

/* Names like x12 are made up by a reader; only real names are compared. */
static bool made_up_name(const char *s)
{
    if (s == NULL)
        return true;
    if (s[0] != 'x' || s[1] == '\0')
        return false;
    for (s++; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static fsnsa_status fill_dict(fsnsa__dict *d, char *const *v, size_t n,
                              fsnsa_error *err)
{
    for (size_t i = 0; i < n; i++) {
        size_t id;
        const char *s = v[i] != NULL ? v[i] : "";
        int r = fsnsa__dict_intern(d, s, strlen(s), &id);
        if (r < 0)
            return r == -1 ? fsnsa__nomem(err, "a value list")
                           : fsnsa__fail(err, FSNSA_ERR_LIMIT,
                                         "model lists too many values");
        if (r == 0) /* duplicate in the model: keep ids aligned anyway */
            return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                               "model lists the value '%s' twice", s);
    }
    return FSNSA_OK;
}

/* A header that names the label column otherwise than the model: the
 * label is not where the model takes it from (unless it was asked for by
 * this name). */
static fsnsa_status check_label_name(const fsnsa__table *t, size_t line,
                                     fsnsa_error *err)
{
    const fsnsa_schema *s = t->schema;
    if (t->label_name == NULL || s->label_name == NULL ||
        t->layout.label == FSNSA_LABEL_NAME ||
        fsnsa__ieq(t->label_name, s->label_name))
        return FSNSA_OK;
    char sb[64], mb[64];
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:%zu: the label column is '%s' here, '%s' in "
                       "the model (see the 'label_column' option)",
                       t->path, line ? line : 1,
                       t->layout.label_field != SIZE_MAX
                           ? t->layout.label_field + 1
                           : 1,
                       fsnsa__show(sb, sizeof sb, t->label_name,
                                   strlen(t->label_name)),
                       fsnsa__show(mb, sizeof mb, s->label_name,
                                   strlen(s->label_name)));
}

/* Column j as the model has it: its name checked, its kind and values
 * taken. */
static fsnsa_status use_schema_column(fsnsa__table *t, size_t j, size_t line,
                                      fsnsa_error *err)
{
    const fsnsa_column *c = &t->schema->columns[j];
    fsnsa__tcol *tc = &t->cols[j];
    if (tc->name != NULL && c->name != NULL && !made_up_name(tc->name) &&
        !made_up_name(c->name) && !fsnsa__ieq(tc->name, c->name))
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: column '%s' is '%s' in the model",
                           t->path, line, j + 1, tc->name, c->name);
    fsnsa__dict_free(&tc->dict);
    tc->dict.limit = FSNSA__MAX_NOMINAL;
    if (c->kind != FSNSA_COL_NOMINAL) {
        tc->kind = FSNSA__NUM;
        return FSNSA_OK;
    }
    tc->kind = FSNSA__NOM;
    tc->fixed = true;
    return fill_dict(&tc->dict, c->values, c->n_values, err);
}

fsnsa_status fsnsa__table_use_schema(fsnsa__table *t, size_t line,
                                     fsnsa_error *err)
{
    const fsnsa_schema *s = t->schema;
    fsnsa_status st = check_label_name(t, line, err);
    if (st != FSNSA_OK)
        return st;
    if (s->n_columns != t->m)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: the file has %zu feature columns, the "
                           "model expects %zu",
                           t->path, line ? line : 1, t->m, s->n_columns);
    for (size_t j = 0; j < t->m; j++)
        if ((st = use_schema_column(t, j, line, err)) != FSNSA_OK)
            return st;
    if (t->regression) /* numbers, not a model's classes */
        return FSNSA_OK;
    fsnsa__dict_free(&t->labels);
    t->labels.limit = FSNSA__MAX_NOMINAL;
    t->labels_fixed = true;
    return fill_dict(&t->labels, s->class_names, s->n_classes, err);
}

fsnsa_status fsnsa__table_row(fsnsa__table *t, size_t line, float **row,
                              fsnsa_error *err)
{
    t->last_line = line;
    if (t->n == 0)
        t->first_line = line;
    if (t->n >= t->max_rows)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s:%zu:1: more than %zu rows (max_rows)", t->path,
                           line, t->max_rows);
    size_t cells;
    if (!fsnsa__mul(t->n + 1, t->m, &cells) || cells > FSNSA__MAX_CELLS)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s:%zu:1: more than %zu values in the file",
                           t->path, line, FSNSA__MAX_CELLS);
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 1024;
        /* Wide rows start with fewer rows, and growth never passes the
         * cell cap ((n + 1) * m is under it, checked above): a one-row
         * file of 10^6 columns must not reserve 1024 rows of them. */
        size_t m1 = t->m ? t->m : 1, first = ((size_t)1 << 20) / m1;
        if (t->cap == 0 && ncap > first)
            ncap = first > 0 ? first : 1;
        if (ncap > FSNSA__MAX_CELLS / m1)
            ncap = FSNSA__MAX_CELLS / m1;
        size_t bytes;
        if (!fsnsa__mul3(ncap, t->m ? t->m : 1, sizeof(float), &bytes))
            return fsnsa__nomem(err, "the data matrix");
        float *nc = realloc(t->cells, bytes);
        if (nc == NULL)
            return fsnsa__nomem(err, "the data matrix");
        t->cells = nc;
        t->cap = ncap;
    }
    *row = t->cells + t->n * t->m;
    t->n++;
    return FSNSA_OK;
}

void fsnsa__table_free(fsnsa__table *t)
{
    if (t->cols != NULL) {
        for (size_t j = 0; j < t->m; j++) {
            free(t->cols[j].name);
            fsnsa__dict_free(&t->cols[j].dict);
        }
        free(t->cols);
    }
    free(t->cells);
    fsnsa__dict_free(&t->labels);
    fsnsa__dict_free(&t->na);
    free(t->y);
    free(t->label_name);
    memset(t, 0, sizeof *t);
}

/* The ARFF data section: dense rows "v, v, ..." (quoted with ' or ", with
 * Weka's escapes) and sparse rows "{index value, ...}". */
#include "arff.h"

#include <stdlib.h>
#include <string.h>

/* Sparse row "{i v, j w}" into tokens (NULL: absent). */
static fsnsa_status sparse_row(char *s, size_t len, const char *path,
                               size_t line, size_t n_attr, fsnsa__fields *f,
                               fsnsa__field *tok, fsnsa_error *err)
{
    char *close = memchr(s, '}', len);
    if (close == NULL)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: sparse row without '}'", path, line);
    *close = '\0';
    fsnsa_status st = fsnsa__split(s + 1, (size_t)(close - s - 1), ',', NULL,
                                   false, f, n_attr + 1, path, line, err);
    if (st != FSNSA_OK)
        return st;
    for (size_t i = 0; i < n_attr; i++)
        tok[i].s = NULL;
    size_t prev = 0;
    for (size_t i = 0; i < f->n; i++) {
        char *p = f->f[i].s;
        size_t k = 0, d = 0;
        if (f->f[i].len == 0 && f->n == 1)
            break; /* "{}" */
        for (; p[d] >= '0' && p[d] <= '9' && k <= n_attr; d++)
            k = k * 10 + (size_t)(p[d] - '0');
        if (d == 0 || (p[d] != ' ' && p[d] != '\t') || k >= n_attr ||
            (i > 0 && k <= prev))
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:%zu: expected 'index value' with "
                               "increasing 0-based indices below %zu",
                               path, line, i + 1, n_attr);
        prev = k;
        char *v = fsnsa__arff_skip_blanks(p + d);
        size_t vl = f->f[i].len - (size_t)(v - p);
        if (vl >= 2 && (v[0] == '\'' || v[0] == '"')) {
            char *after = fsnsa__arff_unquote(v, v + vl, &vl);
            if (after == NULL || *fsnsa__arff_skip_blanks(after) != '\0')
                return fsnsa__fail(err, FSNSA_ERR_PARSE,
                                   "%s:%zu:%zu: bad quoting in a sparse "
                                   "value", path, line, i + 1);
            v++;
            v[vl] = '\0';
        }
        tok[k].s = v;
        tok[k].len = vl;
        tok[k].col = i + 1;
    }
    return FSNSA_OK;
}

/* Values a sparse row leaves out: 0 (for a date the epoch, left NULL
 * here), or the first declared value of a nominal; a string attribute
 * may not be left out. */
static fsnsa_status sparse_defaults(const fsnsa__table *t,
                                    const fsnsa__arff_map *map, size_t line,
                                    fsnsa__field *tok, fsnsa_error *err)
{
    const fsnsa__arff_attrs *at = map->attrs;
    for (size_t j = 0; j < at->n; j++) {
        if (tok[j].s != NULL || map->ignore[j])
            continue;
        if (at->a[j].type == FSNSA__AT_STRING)
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:1: sparse row leaves out the string "
                               "attribute '%s' (give its value)",
                               t->path, line, at->a[j].name);
        const fsnsa__dict *vals = NULL;
        size_t k = map->table_col[j];
        if (j == map->label) {
            if (t->labels_fixed)
                vals = &t->labels;
        } else if (t->cols[k].kind == FSNSA__NOM) {
            vals = &t->cols[k].dict;
        } else if (at->a[j].type == FSNSA__AT_DATE) {
            tok[j].col = j + 1;
            continue;
        }
        tok[j].s = vals != NULL && vals->n > 0
                       ? (char *)fsnsa__dict_str(vals, 0)
                       : (char *)"0";
        tok[j].len = strlen(tok[j].s);
        tok[j].col = j + 1;
    }
    return FSNSA_OK;
}

/* A dense row "v, v, ...", one value per attribute, into tok. */
static fsnsa_status dense_row(char *s, size_t len, const char *path,
                              size_t line, size_t n_attr, fsnsa__fields *f,
                              fsnsa__field *tok, fsnsa_error *err)
{
    fsnsa_status st = fsnsa__split(s, len, ',', "'\"", true, f, n_attr + 1,
                                   path, line, err);
    if (st != FSNSA_OK)
        return st;
    if (f->n != n_attr)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: expected %zu values, found %zu", path,
                           line, (f->n < n_attr ? f->n : n_attr) + 1, n_attr,
                           f->n);
    memcpy(tok, f->f, n_attr * sizeof *tok);
    return FSNSA_OK;
}

/* One row's values (tok, by attribute) into the table: the class, dates
 * parsed by their format, everything else as cells. */
static fsnsa_status add_row(fsnsa__table *t, const fsnsa__arff_map *map,
                            size_t line, const fsnsa__field *tok,
                            fsnsa_error *err)
{
    const fsnsa__arff_attrs *at = map->attrs;
    float *row;
    fsnsa_status st = fsnsa__table_row(t, line, &row, err);
    if (st != FSNSA_OK)
        return st;
    for (size_t j = 0, k = 0; j < at->n; j++) {
        if (map->ignore[j])
            continue;
        if (j == map->label)
            st = fsnsa__table_label(t, tok[j].s, tok[j].len, line, tok[j].col,
                                    err);
        else if (tok[j].s == NULL) /* a date absent from a sparse row */
            row[k] = 0.0f;
        else if (at->a[j].type == FSNSA__AT_DATE &&
                 t->cols[k].kind == FSNSA__NUM &&
                 !fsnsa__table_is_na(t, tok[j].s, tok[j].len))
            st = fsnsa__date_parse(&at->a[j].date, tok[j].s, tok[j].len,
                                   &row[k], t->path, line, tok[j].col, err);
        else /* numbers, nominals, strings, missing values */
            st = fsnsa__table_cell(t, &row[k], k, tok[j].s, tok[j].len, line,
                                   tok[j].col, err);
        if (st != FSNSA_OK)
            return st;
        k += j != map->label;
    }
    return FSNSA_OK;
}

fsnsa_status fsnsa__arff_read_data(fsnsa__table *t, fsnsa__lines *r,
                                   const fsnsa__arff_map *map,
                                   fsnsa_error *err)
{
    size_t n_attr = map->attrs->n;
    fsnsa__fields f = {0};
    fsnsa__field *tok = fsnsa__alloc(n_attr, sizeof *tok);
    if (tok == NULL)
        return fsnsa__nomem(err, "a row");
    char *line;
    size_t len;
    fsnsa_status st;
    char *s;
    while ((st = fsnsa__arff_next(r, &line, &len, &s, err)) == FSNSA_OK &&
           line != NULL) {
        len -= (size_t)(s - line);
        if (*s == '{')
            st = sparse_row(s, len, t->path, r->line_no, n_attr, &f, tok, err);
        else
            st = dense_row(s, len, t->path, r->line_no, n_attr, &f, tok, err);
        if (st == FSNSA_OK && *s == '{')
            st = sparse_defaults(t, map, r->line_no, tok, err);
        if (st == FSNSA_OK)
            st = add_row(t, map, r->line_no, tok, err);
        if (st != FSNSA_OK)
            break;
    }
    t->last_line = r->line_no;
    fsnsa__fields_free(&f);
    free(tok);
    return st;
}

/* The kind of each free column, decided once all rows are read: numeric
 * when it holds only numbers (and missing values, and with thousands
 * separators numbers written with them), else nominal over its values
 * (docs/data.md, "Column kinds"). */
#include "table.h"

#include "limits.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* A free column of numbers and words with commas, in a table with
 * thousands separators: when every word is a number ("1,234", "12,345.5"),
 * the column is numeric and *numeric is set; a number whose commas are
 * not thousands separators is then refused. A column with other words is
 * left alone (nominal). */
static fsnsa_status thousands_column(fsnsa__table *t, size_t j, bool *numeric,
                                     fsnsa_error *err)
{
    fsnsa__tcol *c = &t->cols[j];
    *numeric = false;
    for (size_t id = 0; id < c->dict.n; id++) {
        const char *w = fsnsa__dict_str(&c->dict, id);
        float v;
        if (fsnsa__thousands_number(w, strlen(w), &v) != 0 &&
            !fsnsa__comma_number(w, strlen(w)))
            return FSNSA_OK;
    }
    char sb[64], nb[64];
    if (c->odd_line != 0) {
        const char *w = fsnsa__dict_str(&c->dict, c->odd_id);
        return fsnsa__odd_commas(t, fsnsa__show(sb, sizeof sb, w, strlen(w)),
                                 c->odd_line, c->odd_col,
                                 fsnsa__table_col_name(t, j, nb, sizeof nb),
                                 err);
    }
    float *value = fsnsa__alloc(c->dict.n, sizeof *value);
    if (value == NULL)
        return fsnsa__nomem(err, "a column");
    for (size_t id = 0; id < c->dict.n; id++) {
        const char *w = fsnsa__dict_str(&c->dict, id);
        fsnsa__thousands_number(w, strlen(w), &value[id]); /* checked */
    }
    for (size_t i = 0; i < t->n; i++) {
        float *cell = &t->cells[i * t->m + j];
        size_t id;
        if (fsnsa__cell_id(cell, &id))
            *cell = value[id];
    }
    free(value);
    fsnsa__dict_free(&c->dict);
    c->kind = FSNSA__NUM;
    *numeric = true;
    return FSNSA_OK;
}

/* Column j's cells renumbered into nd, the column's values in order of
 * first appearance in the rows, numbers by their canonical text; counts
 * the numbers and the cells present. Stops (*over) when the values pass
 * nd->limit, or pass FSNSA__MIXED_MAX with numbers among them. */
static fsnsa_status renumber(fsnsa__table *t, size_t j, fsnsa__dict *nd,
                             size_t *n_num, size_t *present, bool *over,
                             fsnsa_error *err)
{
    const fsnsa__tcol *c = &t->cols[j];
    char buf[64];
    *n_num = *present = 0;
    *over = false;
    for (size_t i = 0; i < t->n; i++) {
        float *cell = &t->cells[i * t->m + j];
        if (fsnsa__cell_is_missing(cell))
            continue;
        size_t id, nid;
        const char *s;
        ++*present;
        if (fsnsa__cell_id(cell, &id)) {
            s = fsnsa__dict_str(&c->dict, id);
        } else {
            fsnsa__canon(buf, sizeof buf, *cell);
            s = buf;
            ++*n_num;
        }
        int r = fsnsa__dict_intern(nd, s, strlen(s), &nid);
        if (r == -1)
            return fsnsa__nomem(err, "nominal values");
        if (r == -2 || (*n_num > 0 && nd->n > FSNSA__MIXED_MAX)) {
            *over = true;
            return FSNSA_OK;
        }
        fsnsa__cell_set_id(cell, nid);
    }
    return FSNSA_OK;
}

/* A free column with words: nominal over all its values in order of
 * first appearance (numbers by canonical text), or an error when it looks
 * like a numeric column with stray words, or has more values than the
 * limit. */
static fsnsa_status resolve_column(fsnsa__table *t, size_t j, fsnsa_error *err)
{
    fsnsa__tcol *c = &t->cols[j];
    if (c->dict.n == 0) {
        c->kind = FSNSA__NUM;
        return FSNSA_OK;
    }
    fsnsa_status st;
    bool numeric, over;
    if (t->thousands &&
        ((st = thousands_column(t, j, &numeric, err)) != FSNSA_OK || numeric))
        return st;
    fsnsa__dict nd;
    memset(&nd, 0, sizeof nd);
    nd.limit = c->dict.limit;
    size_t n_num, present;
    char sb[64], nb[64];
    if ((st = renumber(t, j, &nd, &n_num, &present, &over, err)) != FSNSA_OK)
        goto done;
    if (over && n_num > 0 && nd.n > FSNSA__MIXED_MAX) {
        const char *w = fsnsa__dict_str(&c->dict, 0);
        st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                         "%s:%zu:%zu: expected a number in column '%s', "
                         "found '%s'",
                         t->path, c->str_line, c->str_col,
                         fsnsa__table_col_name(t, j, nb, sizeof nb),
                         fsnsa__show(sb, sizeof sb, w, strlen(w)));
        goto done;
    }
    if (over) {
        st = fsnsa__fail(err, FSNSA_ERR_LIMIT,
                         "%s: column %zu has more than %zu distinct values",
                         t->path, j + 1, c->dict.limit);
        goto done;
    }
    if ((st = fsnsa__check_many_values(t, j, nd.n, present, err)) != FSNSA_OK)
        goto done;
    fsnsa__dict_free(&c->dict);
    c->dict = nd;
    memset(&nd, 0, sizeof nd);
    c->kind = FSNSA__NOM;
done:
    fsnsa__dict_free(&nd);
    return st;
}

fsnsa_status fsnsa__table_decide_kinds(fsnsa__table *t, fsnsa_error *err)
{
    for (size_t j = 0; j < t->m; j++) {
        fsnsa_status st;
        if (t->cols[j].kind == FSNSA__FREE &&
            (st = resolve_column(t, j, err)) != FSNSA_OK)
            return st;
    }
    return FSNSA_OK;
}

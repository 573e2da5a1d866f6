/* One field into the table: a cell of a feature column (a number, a
 * missing value or a nominal id) or the row's class. */
#include "table.h"

#include "text.h"

#include <stdlib.h>
#include <string.h>

static fsnsa_status out_of_range(const fsnsa__table *t, const char *s,
                                 size_t len, size_t line, size_t col,
                                 fsnsa_error *err)
{
    char sb[64];
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:%zu: '%s' is out of the float range", t->path,
                       line, col, fsnsa__show(sb, sizeof sb, s, len));
}

static fsnsa_status expected_number(const fsnsa__table *t, size_t j,
                                    const char *s, size_t len, size_t line,
                                    size_t col, fsnsa_error *err)
{
    char sb[64], nb[64];
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:%zu: expected a number in column '%s', found "
                       "'%s'",
                       t->path, line, col,
                       fsnsa__table_col_name(t, j, nb, sizeof nb),
                       fsnsa__show(sb, sizeof sb, s, len));
}

/* The field as a number in the file's convention into *cell (*r 0), or a
 * word (*r -1); a number out of float range is an error. */
static fsnsa_status number_or_word(fsnsa__table *t, float *cell,
                                   const char *s, size_t len, size_t line,
                                   size_t col, int *r, fsnsa_error *err)
{
    fsnsa_status st = fsnsa__table_parse(t, s, len, line, col, cell, r, err);
    if (st == FSNSA_OK && *r == -2)
        return out_of_range(t, s, len, line, col, err);
    return st;
}

fsnsa_status fsnsa__table_number(fsnsa__table *t, float *cell, const char *s,
                                 size_t len, size_t line, size_t col,
                                 fsnsa_error *err)
{
    char sb[64];
    int r;
    fsnsa_status st = number_or_word(t, cell, s, len, line, col, &r, err);
    if (st != FSNSA_OK || r == 0)
        return st;
    if (!fsnsa__table_is_na(t, s, len))
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: expected a number, found '%s'",
                           t->path, line, col, fsnsa__show(sb, sizeof sb, s, len));
    if (t->missing == FSNSA_MISSING_REFUSE)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: missing value%s (see the 'missing' "
                           "option)",
                           t->path, line, col,
                           fsnsa__na_token(sb, sizeof sb, s, len));
    fsnsa__cell_set_missing(cell);
    return FSNSA_OK;
}

/* Nominal lookup: exact text, then the canonical form of a number so that
 * "2.0" finds the value "2". */
static size_t find_value(const fsnsa__dict *d, char mark, const char *s,
                         size_t len)
{
    size_t id = fsnsa__dict_find(d, s, len);
    float v;
    if (id == SIZE_MAX && fsnsa__loose_number(mark, s, len, &v) == 0) {
        char c[64];
        fsnsa__canon(c, sizeof c, v);
        id = fsnsa__dict_find(d, c, strlen(c));
    }
    return id;
}

/* A missing value in column j: NaN, or refused per t->missing. */
static fsnsa_status missing_cell(const fsnsa__table *t, float *cell, size_t j,
                                 const char *s, size_t len, size_t line,
                                 size_t col, fsnsa_error *err)
{
    char sb[64], nb[64];
    if (t->missing == FSNSA_MISSING_REFUSE)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: missing value%s in column '%s' (see "
                           "the 'missing' option)",
                           t->path, line, col,
                           fsnsa__na_token(sb, sizeof sb, s, len),
                           fsnsa__table_col_name(t, j, nb, sizeof nb));
    fsnsa__cell_set_missing(cell);
    return FSNSA_OK;
}

/* A word with commas in a numeric column of a table with thousands
 * separators: its value, or an error naming it. */
static fsnsa_status thousands_cell(const fsnsa__table *t, float *cell, size_t j,
                                   const char *s, size_t len, size_t line,
                                   size_t col, fsnsa_error *err)
{
    char sb[64], nb[64];
    int r = fsnsa__thousands_number(s, len, cell);
    if (r == 0)
        return FSNSA_OK;
    if (r == -2)
        return out_of_range(t, s, len, line, col, err);
    if (fsnsa__comma_number(s, len))
        return fsnsa__odd_commas(t, fsnsa__show(sb, sizeof sb, s, len), line,
                                 col, fsnsa__table_col_name(t, j, nb, sizeof nb),
                                 err);
    return expected_number(t, j, s, len, line, col, err);
}

/* A word in a free column: its id among the column's words, the first
 * word's place kept for messages. With thousands separators a word
 * shaped like a number stays a word until the column's kind is known;
 * one out of float range is refused now, as a plain number is, and the
 * first whose commas are no thousands separators is remembered. */
static fsnsa_status free_word(fsnsa__table *t, size_t j, const char *s,
                              size_t len, size_t line, size_t col, size_t *id,
                              fsnsa_error *err)
{
    fsnsa__tcol *c = &t->cols[j];
    char nb[64];
    int r = fsnsa__dict_intern(&c->dict, s, len, id);
    if (r == -1)
        return fsnsa__nomem(err, "nominal values");
    if (r == -2)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s:%zu:%zu: column '%s' has more than %zu "
                           "distinct values",
                           t->path, line, col,
                           fsnsa__table_col_name(t, j, nb, sizeof nb),
                           c->dict.limit);
    if (r == 1 && *id == 0) {
        c->str_line = line;
        c->str_col = col;
    }
    if (r == 1 && t->thousands) {
        float v;
        int k = fsnsa__thousands_number(s, len, &v);
        if (k == -2)
            return out_of_range(t, s, len, line, col, err);
        if (k == -1 && c->odd_line == 0 && fsnsa__comma_number(s, len)) {
            c->odd_line = line;
            c->odd_col = col;
            c->odd_id = *id;
        }
    }
    return FSNSA_OK;
}

fsnsa_status fsnsa__table_cell(fsnsa__table *t, float *cell, size_t j,
                               const char *s, size_t len, size_t line,
                               size_t col, fsnsa_error *err)
{
    fsnsa__tcol *c = &t->cols[j];
    fsnsa_status st;
    if (c->kind != FSNSA__NOM || !c->fixed) {
        int r;
        st = number_or_word(t, cell, s, len, line, col, &r, err);
        if (st != FSNSA_OK || r == 0)
            return st;
    }
    /* a declared value is a value, even when it is a missing-value token
     * ("NA" in {NA,AF,EU}); ARFF's '?' never is */
    size_t id = SIZE_MAX;
    if (c->fixed && len > 0 && !(t->question_na && len == 1 && s[0] == '?'))
        id = find_value(&c->dict, t->decimal, s, len);
    if (id == SIZE_MAX && fsnsa__table_is_na(t, s, len))
        return missing_cell(t, cell, j, s, len, line, col, err);
    if (c->kind == FSNSA__NUM)
        return t->thousands ? thousands_cell(t, cell, j, s, len, line, col, err)
                            : expected_number(t, j, s, len, line, col, err);
    if (c->fixed && id == SIZE_MAX) {
        char sb[64], nb[64];
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: unknown value '%s' in column '%s' "
                           "(%zu known values, e.g. '%s')",
                           t->path, line, col,
                           fsnsa__show(sb, sizeof sb, s, len),
                           fsnsa__table_col_name(t, j, nb, sizeof nb),
                           c->dict.n,
                           c->dict.n ? fsnsa__dict_str(&c->dict, 0) : "");
    }
    if (!c->fixed &&
        (st = free_word(t, j, s, len, line, col, &id, err)) != FSNSA_OK)
        return st;
    fsnsa__cell_set_id(cell, id);
    return FSNSA_OK;
}

/* A label of a table with declared classes: the class of that name, or,
 * for a number, the class whose name is the same number ("1." and "1",
 * the model's may have either decimal mark). */
static fsnsa_status declared_class(const fsnsa__table *t, const char *s,
                                   size_t len, size_t line, size_t col,
                                   size_t *id, fsnsa_error *err)
{
    float v, w;
    if (*id == SIZE_MAX && fsnsa__loose_number(t->decimal, s, len, &v) == 0)
        for (size_t k = 0; k < t->labels.n && *id == SIZE_MAX; k++) {
            const char *name = fsnsa__dict_str(&t->labels, k);
            if (fsnsa__loose_number(0, name, strlen(name), &w) == 0 && v == w)
                *id = k;
        }
    if (*id != SIZE_MAX)
        return FSNSA_OK;
    char sb[64];
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:%zu: unknown class '%s' (%zu classes known, "
                       "e.g. '%s')",
                       t->path, line, col, fsnsa__show(sb, sizeof sb, s, len),
                       t->labels.n,
                       t->labels.n ? fsnsa__dict_str(&t->labels, 0) : "");
}

fsnsa_status fsnsa__table_label(fsnsa__table *t, const char *s, size_t len,
                                size_t line, size_t col, fsnsa_error *err)
{
    char sb[64];
    size_t id = SIZE_MAX;
    /* a declared class is a class, even when it is a missing-value token */
    if (t->labels_fixed && len > 0 && !(t->question_na && len == 1 && s[0] == '?'))
        id = fsnsa__dict_find(&t->labels, s, len);
    if (id == SIZE_MAX && fsnsa__table_is_na(t, s, len)) {
        fsnsa__na_token(sb, sizeof sb, s, len);
        return fsnsa__fail(err, FSNSA_ERR_PARSE, "%s:%zu:%zu: missing label%s%s",
                           t->path, line, col, sb,
                           sb[0] ? " (see the 'na_values' option)" : "");
    }
    fsnsa_status st;
    if (t->labels_fixed) {
        if ((st = declared_class(t, s, len, line, col, &id, err)) != FSNSA_OK)
            return st;
    } else {
        int r = fsnsa__dict_intern(&t->labels, s, len, &id);
        if (r == -1)
            return fsnsa__nomem(err, "class names");
        if (r == -2)
            return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                               "%s:%zu:%zu: more than %zu classes", t->path,
                               line, col, t->labels.limit);
    }
    int32_t *y = fsnsa__grow(t->y, &t->cap_y, t->n_y + 1, sizeof *y, 1024);
    if (y == NULL)
        return fsnsa__nomem(err, "labels");
    t->y = y;
    t->y[t->n_y++] = (int32_t)id;
    t->label_line = line;
    t->label_col = col;
    return FSNSA_OK;
}

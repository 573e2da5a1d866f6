/* LIBSVM / svmlight sparse text: "label idx:val idx:val ... [# comment]",
 * 1-based strictly increasing indices, absent entries are 0. Entries are
 * kept as (index, value) pairs until the width is known, then written
 * into a zeroed dense table. */
#include "columns.h"
#include "fields.h"
#include "limits.h"
#include "lines.h"
#include "readers.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t *idx;  /* 0-based column */
    float *val;
    size_t n, cap, val_cap;
    size_t *row_end; /* entries of row i end at row_end[i] */
    size_t rows, cap_rows;
    size_t p;        /* the largest index seen */
} sparse;

/* One read of a LIBSVM file. */
typedef struct {
    fsnsa__table *t;
    const fsnsa_schema *sc;
    const char *path;
    bool labeled;
    size_t limit;    /* the largest index allowed */
    fsnsa__lines r;
    fsnsa__fields f;
    sparse sp;
} libsvm_read;

/* Options that LIBSVM files cannot honour. */
static fsnsa_status check_options(const fsnsa_read_options *opt,
                                  const char *path, fsnsa_error *err)
{
    const fsnsa_schema *sc = opt->schema;
    if (sc != NULL && sc->n_columns != sc->p)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s: the model has nominal columns; LIBSVM data "
                           "cannot be encoded for it",
                           path);
    fsnsa__labelspec ls = fsnsa__labelspec_of(opt);
    if (ls.given && !ls.none && !fsnsa__ieq(ls.text, "first") &&
        strcmp(ls.text, "0") != 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "%s: in LIBSVM files the label is the first field "
                           "(label_column '%s' cannot be used)",
                           path, ls.text);
    if (opt->ignore_columns != NULL && opt->ignore_columns[0] != '\0')
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "%s: columns of LIBSVM files cannot be ignored "
                           "(ignore_columns is for delimited text and ARFF)",
                           path);
    return FSNSA_OK;
}

/* The 1-based index of an "index:value" entry x, after the previous
 * entry's `prev`; *digits is the length of the index. */
static fsnsa_status entry_index(const libsvm_read *c, const fsnsa__field *x,
                                size_t prev, size_t *index, size_t *digits,
                                fsnsa_error *err)
{
    size_t line = c->r.line_no, k = 0, i = 0;
    char sb[64];
    bool big = false;
    for (; x->s[i] >= '0' && x->s[i] <= '9'; i++) {
        if (k > (SIZE_MAX - 9) / 10)
            big = true;
        else
            k = k * 10 + (size_t)(x->s[i] - '0');
    }
    if (i == 0 || x->s[i] != ':')
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: expected index:value, found '%s'",
                           c->path, line, x->col,
                           fsnsa__show(sb, sizeof sb, x->s, x->len));
    if (k == 0)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: feature index 0 (indices start at 1)",
                           c->path, line, x->col);
    if (k <= prev)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: feature index %zu after %zu (indices "
                           "must increase)",
                           c->path, line, x->col, k, prev);
    if (big || k > c->limit)
        return fsnsa__fail(err, c->sc ? FSNSA_ERR_PARSE : FSNSA_ERR_LIMIT,
                           "%s:%zu:%zu: feature index %s exceeds %s %zu",
                           c->path, line, x->col,
                           fsnsa__show(sb, sizeof sb, x->s, i),
                           c->sc ? "the model's width" : "the limit of",
                           c->limit);
    *index = k;
    *digits = i;
    return FSNSA_OK;
}

/* The entries of one row (fields c->f from `from` on) into c->sp. */
static fsnsa_status add_entries(libsvm_read *c, size_t from, fsnsa_error *err)
{
    sparse *sp = &c->sp;
    size_t prev = 0;
    for (size_t j = from; j < c->f.n; j++) {
        const fsnsa__field *x = &c->f.f[j];
        if (strncmp(x->s, "qid:", 4) == 0)
            continue;
        size_t k = 0, i = 0;
        fsnsa_status st = entry_index(c, x, prev, &k, &i, err);
        if (st != FSNSA_OK)
            return st;
        prev = k;
        uint32_t *idx = fsnsa__grow(sp->idx, &sp->cap, sp->n + 1,
                                    sizeof *idx, 1024);
        if (idx != NULL)
            sp->idx = idx;
        float *val = idx == NULL ? NULL
                                 : fsnsa__grow(sp->val, &sp->val_cap,
                                               sp->n + 1, sizeof *val, 1024);
        if (val == NULL)
            return fsnsa__nomem(err, "sparse entries");
        sp->val = val;
        sp->idx[sp->n] = (uint32_t)(k - 1);
        if ((st = fsnsa__table_number(c->t, &sp->val[sp->n], x->s + i + 1,
                                      x->len - i - 1, c->r.line_no, x->col,
                                      err)) != FSNSA_OK)
            return st;
        sp->n++;
        if (k > sp->p)
            sp->p = k;
    }
    size_t *end = fsnsa__grow(sp->row_end, &sp->cap_rows, sp->rows + 1,
                              sizeof *end, 1024);
    if (end == NULL)
        return fsnsa__nomem(err, "rows");
    sp->row_end = end;
    sp->row_end[sp->rows++] = sp->n;
    return FSNSA_OK;
}

/* One line: its label (a row may lack it: unlabeled data for
 * prediction) and entries; blank and comment-only lines add nothing. */
static fsnsa_status read_line(libsvm_read *c, char *line, size_t len,
                              fsnsa_error *err)
{
    fsnsa__table *t = c->t;
    size_t line_no = c->r.line_no;
    char *hash = memchr(line, '#', len);
    if (hash != NULL) { /* svmlight: "# info" ends the row */
        *hash = '\0';
        len = (size_t)(hash - line);
    }
    fsnsa_status st = fsnsa__split(line, len, ' ', NULL, false, &c->f,
                                   c->limit + 2, c->path, line_no, err);
    if (st != FSNSA_OK || c->f.n == 0)
        return st;
    if (c->sp.rows >= t->max_rows)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s:%zu:1: more than %zu rows (max_rows)", c->path,
                           line_no, t->max_rows);
    const fsnsa__field *first = &c->f.f[0];
    bool has_label = strchr(first->s, ':') == NULL;
    if (c->labeled && !has_label)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: expected a label before '%s'", c->path,
                           line_no, first->s);
    if (c->labeled && (st = fsnsa__table_label(t, first->s, first->len,
                                               line_no, 1, err)) != FSNSA_OK)
        return st;
    return add_entries(c, has_label ? 1 : 0, err);
}

/* Without a model: p numeric columns named by their 1-based index, as in
 * the file. */
static fsnsa_status name_columns(fsnsa__table *t, size_t p, fsnsa_error *err)
{
    fsnsa_status st = fsnsa__table_set_width(t, p, err);
    for (size_t j = 0; j < p && st == FSNSA_OK; j++) {
        char nb[32];
        int nl = snprintf(nb, sizeof nb, "%zu", j + 1);
        fsnsa__table_set_numeric(t, j);
        st = fsnsa__table_set_name(t, j, nb, (size_t)nl, err);
    }
    return st;
}

/* The entries into dense rows of zeros. The dense size is known before
 * the matrix exists: refused here, not after allocating (a few kB of
 * "1 999999:1" lines would ask for gigabytes). */
static fsnsa_status dense_rows(libsvm_read *c, fsnsa_error *err)
{
    fsnsa__table *t = c->t;
    const sparse *sp = &c->sp;
    size_t cells;
    if (!fsnsa__mul(sp->rows, t->m, &cells) || cells > FSNSA__MAX_CELLS)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s:%zu:1: %zu rows x %zu columns is more than %zu "
                           "values",
                           c->path, c->r.line_no, sp->rows, t->m,
                           FSNSA__MAX_CELLS);
    for (size_t i = 0, e = 0; i < sp->rows; i++) {
        float *row;
        fsnsa_status st = fsnsa__table_row(t, c->r.line_no, &row, err);
        if (st != FSNSA_OK)
            return st;
        memset(row, 0, t->m * sizeof *row);
        for (; e < sp->row_end[i]; e++)
            row[sp->idx[e]] = sp->val[e];
    }
    return FSNSA_OK;
}

/* Every line of the file into c->sp. */
static fsnsa_status read_lines(libsvm_read *c, fsnsa_error *err)
{
    char *line;
    size_t len, content = 0;
    fsnsa_status st;
    while ((st = fsnsa__lines_next(&c->r, &line, &len, err)) == FSNSA_OK &&
           line != NULL) {
        size_t rows = c->sp.rows;
        if ((st = read_line(c, line, len, err)) != FSNSA_OK)
            return st;
        content += c->sp.rows > rows;
    }
    if (st == FSNSA_OK && content == 0)
        return fsnsa__fail(err, FSNSA_ERR_PARSE, "%s:1:1: %s", c->path,
                           c->r.line_no ? "no data (only blank or comment "
                                          "lines)"
                                        : "the file is empty");
    return st;
}

fsnsa_status fsnsa__read_libsvm(fsnsa__table *t, const char *path,
                                const fsnsa_read_options *opt,
                                fsnsa_error *err)
{
    fsnsa_status st = check_options(opt, path, err);
    if (st != FSNSA_OK)
        return st;
    libsvm_read c;
    memset(&c, 0, sizeof c);
    c.t = t;
    c.sc = opt->schema;
    c.path = path;
    c.labeled = !fsnsa__labelspec_of(opt).none;
    /* With a model the width is known now; otherwise at the end. */
    if ((st = fsnsa__table_init(t, path, opt, c.sc ? c.sc->p : 0, c.labeled,
                                err)) != FSNSA_OK)
        return st;
    if (c.labeled) { /* always the first field */
        t->layout.label = FSNSA_LABEL_FIRST;
        t->layout.label_field = 0;
    }
    if (c.sc != NULL && (st = fsnsa__table_use_schema(t, 0, err)) != FSNSA_OK)
        return st;
    c.limit = c.sc != NULL ? c.sc->p : t->max_cols;
    if (c.limit > UINT32_MAX)
        c.limit = UINT32_MAX;
    if ((st = fsnsa__lines_open(&c.r, path, opt, err)) != FSNSA_OK)
        return st;
    st = read_lines(&c, err);
    if (st == FSNSA_OK && c.sc == NULL)
        st = name_columns(t, c.sp.p, err);
    if (st == FSNSA_OK)
        st = dense_rows(&c, err);
    fsnsa__lines_close(&c.r);
    fsnsa__fields_free(&c.f);
    free(c.sp.idx);
    free(c.sp.val);
    free(c.sp.row_end);
    return st;
}

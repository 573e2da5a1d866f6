/* LIBSVM / svmlight sparse text: "label idx:val idx:val ... [# comment]",
 * 1-based strictly increasing indices, absent entries are 0. Entries are
 * kept as (index, value) pairs until the width is known, then written
 * into a zeroed dense table. */
#include "data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t *idx;  /* 0-based column */
    float *val;
    size_t n, cap;
    size_t *row_end; /* entries of row i end at row_end[i] */
    size_t rows, cap_rows;
} sparse;

static bool grow(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 1024;
    while (ncap < need)
        ncap *= 2;
    size_t bytes;
    if (!fsnsa__mul(ncap, sz, &bytes))
        return false;
    void *q = realloc(*p, bytes);
    if (q == NULL)
        return false;
    *p = q;
    *cap = ncap;
    return true;
}

fsnsa_status fsnsa__read_libsvm(fsnsa__table *t, const char *path,
                                const fsnsa_read_options *opt,
                                fsnsa_error *err)
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
    bool labeled = !ls.none;
    /* With a model the width is known now; otherwise at the end. */
    fsnsa_status st = fsnsa__table_init(t, path, opt, sc ? sc->p : 0, labeled,
                                        err);
    if (st != FSNSA_OK)
        return st;
    if (labeled) { /* always the first field */
        t->layout.label = FSNSA_LABEL_FIRST;
        t->layout.label_field = 0;
    }
    if (sc != NULL && (st = fsnsa__table_use_schema(t, 0, err)) != FSNSA_OK)
        return st;
    size_t limit = sc != NULL ? sc->p : t->max_cols;
    if (limit > UINT32_MAX)
        limit = UINT32_MAX;
    fsnsa__lines r;
    fsnsa__fields f = {0};
    sparse sp;
    memset(&sp, 0, sizeof sp);
    size_t val_cap = 0, p = 0, content = 0;
    char *line;
    size_t len;
    if ((st = fsnsa__lines_open(&r, path, opt, err)) != FSNSA_OK)
        return st;
    while ((st = fsnsa__lines_next(&r, &line, &len, err)) == FSNSA_OK &&
           line != NULL) {
        char *hash = memchr(line, '#', len);
        if (hash != NULL) { /* svmlight: "# info" ends the row */
            *hash = '\0';
            len = (size_t)(hash - line);
        }
        if ((st = fsnsa__split(line, len, ' ', NULL, false, &f, limit + 2, path,
                               r.line_no, err)) != FSNSA_OK)
            goto done;
        if (f.n == 0)
            continue;
        content++;
        if (sp.rows >= t->max_rows) {
            st = fsnsa__fail(err, FSNSA_ERR_LIMIT,
                             "%s:%zu:1: more than %zu rows (max_rows)", path,
                             r.line_no, t->max_rows);
            goto done;
        }
        /* a row may lack its label (unlabeled data for prediction) */
        bool has_label = strchr(f.f[0].s, ':') == NULL;
        if (labeled && !has_label) {
            st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                             "%s:%zu:1: expected a label before '%s'", path,
                             r.line_no, f.f[0].s);
            goto done;
        }
        if (labeled && (st = fsnsa__table_label(t, f.f[0].s, f.f[0].len,
                                                r.line_no, 1, err)) != FSNSA_OK)
            goto done;
        size_t prev = 0;
        for (size_t j = has_label ? 1 : 0; j < f.n; j++) {
            fsnsa__field *x = &f.f[j];
            char sb[64];
            if (strncmp(x->s, "qid:", 4) == 0)
                continue;
            size_t k = 0, i = 0;
            bool big = false;
            for (; x->s[i] >= '0' && x->s[i] <= '9'; i++) {
                if (k > (SIZE_MAX - 9) / 10)
                    big = true;
                else
                    k = k * 10 + (size_t)(x->s[i] - '0');
            }
            if (i == 0 || x->s[i] != ':') {
                st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                                 "%s:%zu:%zu: expected index:value, found '%s'",
                                 path, r.line_no, x->col,
                                 fsnsa__show(sb, sizeof sb, x->s, x->len));
                goto done;
            }
            if (k == 0) {
                st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                                 "%s:%zu:%zu: feature index 0 (indices start "
                                 "at 1)",
                                 path, r.line_no, x->col);
                goto done;
            }
            if (k <= prev) {
                st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                                 "%s:%zu:%zu: feature index %zu after %zu "
                                 "(indices must increase)",
                                 path, r.line_no, x->col, k, prev);
                goto done;
            }
            if (big || k > limit) {
                st = fsnsa__fail(err, sc ? FSNSA_ERR_PARSE : FSNSA_ERR_LIMIT,
                                 "%s:%zu:%zu: feature index %s exceeds %s %zu",
                                 path, r.line_no, x->col,
                                 fsnsa__show(sb, sizeof sb, x->s, i),
                                 sc ? "the model's width" : "the limit of",
                                 limit);
                goto done;
            }
            prev = k;
            if (!grow((void **)&sp.idx, &sp.cap, sp.n + 1, sizeof *sp.idx) ||
                !grow((void **)&sp.val, &val_cap, sp.n + 1, sizeof *sp.val)) {
                st = fsnsa__nomem(err, "sparse entries");
                goto done;
            }
            sp.idx[sp.n] = (uint32_t)(k - 1);
            if ((st = fsnsa__table_number(t, &sp.val[sp.n], x->s + i + 1,
                                          x->len - i - 1, r.line_no, x->col,
                                          err)) != FSNSA_OK)
                goto done;
            sp.n++;
            if (k > p)
                p = k;
        }
        if (!grow((void **)&sp.row_end, &sp.cap_rows, sp.rows + 1,
                  sizeof *sp.row_end)) {
            st = fsnsa__nomem(err, "rows");
            goto done;
        }
        sp.row_end[sp.rows++] = sp.n;
    }
    if (st != FSNSA_OK)
        goto done;
    if (content == 0) {
        st = fsnsa__fail(err, FSNSA_ERR_PARSE, "%s:1:1: %s", path,
                         r.line_no ? "no data (only blank or comment lines)"
                                   : "the file is empty");
        goto done;
    }
    if (sc == NULL) {
        /* p numeric columns named by their 1-based index, as in the file */
        if ((st = fsnsa__table_set_width(t, p, err)) != FSNSA_OK)
            goto done;
        for (size_t j = 0; j < p; j++) {
            char nb[32];
            int nl = snprintf(nb, sizeof nb, "%zu", j + 1);
            fsnsa__table_set_numeric(t, j);
            if ((st = fsnsa__table_set_name(t, j, nb, (size_t)nl, err)) !=
                FSNSA_OK)
                goto done;
        }
    }
    /* The dense size is known before the matrix exists: refuse it here,
     * not after allocating (a few kB of "1 999999:1" lines would ask for
     * gigabytes). */
    size_t cells;
    if (!fsnsa__mul(sp.rows, t->m, &cells) || cells > FSNSA__MAX_CELLS) {
        st = fsnsa__fail(err, FSNSA_ERR_LIMIT,
                         "%s:%zu:1: %zu rows x %zu columns is more than %zu "
                         "values", path, r.line_no, sp.rows, t->m,
                         FSNSA__MAX_CELLS);
        goto done;
    }
    size_t e = 0;
    for (size_t i = 0; i < sp.rows; i++) {
        float *row;
        if ((st = fsnsa__table_row(t, r.line_no, &row, err)) != FSNSA_OK)
            goto done;
        memset(row, 0, t->m * sizeof *row);
        for (; e < sp.row_end[i]; e++)
            row[sp.idx[e]] = sp.val[e];
    }
done:
    fsnsa__lines_close(&r);
    fsnsa__fields_free(&f);
    free(sp.idx);
    free(sp.val);
    free(sp.row_end);
    return st;
}

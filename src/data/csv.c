/* Delimited text: CSV, TSV, semicolons, runs of blanks, UCI .data files.
 * The delimiter is given or detected (csv_detect.c); the first two
 * records decide whether there is a header and where the label is; then
 * records (csv_records.c) stream into the table builder. */
#include "csv.h"

#include "columns.h"
#include "limits.h"
#include "readers.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* One read of a delimited file: what the first two records decided. */
typedef struct {
    fsnsa__table *t;
    const fsnsa_read_options *opt;
    const char *path;
    fsnsa__csv_source src;
    char delim, mark;
    size_t max_fields;
    fsnsa__fields f1, f2;  /* the first two records; f1 in `first` */
    char *first;
    bool have_second;
    size_t first_line, second_line;
    int why;               /* why the first row is a header, if it is */
    bool header, full;     /* full: the header names every field */
    const fsnsa__fields *data0; /* the first data row: f1 or f2 */
    size_t data0_line, m_file;
    char **names;          /* m_file, NULL where a field has none */
    size_t *name_len;
    bool *ignore;          /* m_file, or NULL when nothing is ignored */
    size_t n_ign, label;
    fsnsa__labelspec ls;
} csv_read;

static void csv_read_free(csv_read *c)
{
    fsnsa__csv_close(&c->src);
    fsnsa__fields_free(&c->f1);
    fsnsa__fields_free(&c->f2);
    free(c->first);
    free(c->names);
    free(c->name_len);
    free(c->ignore);
}

/* The first two records, split: the first kept in c->first, since the
 * second record reuses the record buffer. */
static fsnsa_status first_records(csv_read *c, fsnsa_error *err)
{
    char *line;
    size_t len;
    fsnsa__csv_source *src = &c->src;
    fsnsa_status st = fsnsa__csv_next(c->t, src, c->delim, &line, &len,
                                      &c->first_line, err);
    if (st != FSNSA_OK)
        return st;
    if (line == NULL)
        return fsnsa__fail(err, FSNSA_ERR_PARSE, "%s:%zu:1: %s", c->path,
                           src->line_no ? src->line_no : 1,
                           src->line_no ? "no data (only blank or comment "
                                          "lines)"
                                        : "the file is empty");
    size_t first_len = len;
    if ((c->first = malloc(len + 1)) == NULL)
        return fsnsa__nomem(err, "a line");
    memcpy(c->first, line, len + 1);
    if ((st = fsnsa__csv_next(c->t, src, c->delim, &line, &len,
                              &c->second_line, err)) != FSNSA_OK)
        return st;
    c->have_second = line != NULL;
    if ((st = fsnsa__split(c->first, first_len, c->delim, "\"", false, &c->f1,
                           c->max_fields, c->path, c->first_line, err)) !=
        FSNSA_OK)
        return st;
    if (c->have_second)
        st = fsnsa__split(line, len, c->delim, "\"", false, &c->f2,
                          c->max_fields, c->path, c->second_line, err);
    return st;
}

/* Whether the first row is a header (docs/data.md, "Header"), and the
 * width of the rows. */
static fsnsa_status decide_header(csv_read *c, fsnsa_error *err)
{
    const fsnsa_read_options *opt = c->opt;
    c->why = opt->header == -1 && c->have_second
                 ? fsnsa__csv_looks_like_header(c->t, &c->f1, &c->f2, c->mark)
                 : FSNSA__NO_HEADER;
    c->header = opt->header == 1 || c->why != FSNSA__NO_HEADER ||
                (opt->header == -1 && c->have_second && opt->schema != NULL &&
                 fsnsa__csv_names_schema(&c->f1, opt->schema));
    if (c->header && !c->have_second)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: no data rows after the header", c->path,
                           c->first_line + 1);
    c->data0 = c->header ? &c->f2 : &c->f1;
    c->data0_line = c->header ? c->second_line : c->first_line;
    size_t m_file = c->m_file = c->data0->n, h = c->f1.n;
    if (c->header && h != m_file && h + 1 != m_file)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: the header has %zu fields, the first "
                           "data row (line %zu) has %zu",
                           c->path, c->first_line,
                           (h < m_file ? h : m_file) + 1, h, c->data0_line,
                           m_file);
    c->full = c->header && h == m_file;
    return FSNSA_OK;
}

/* The header's names by field. A short header names every field but the
 * label, which is found without names and places the others. */
static fsnsa_status header_names(csv_read *c, fsnsa_error *err)
{
    size_t short_label = SIZE_MAX;
    fsnsa_status st;
    if (c->header && !c->full &&
        (st = fsnsa__label_index(&c->ls, c->m_file, NULL, NULL, 0, c->path,
                                 c->first_line, &short_label, err)) !=
            FSNSA_OK)
        return st;
    c->names = fsnsa__calloc(c->m_file, sizeof *c->names);
    c->name_len = fsnsa__calloc(c->m_file, sizeof *c->name_len);
    if (c->names == NULL || c->name_len == NULL)
        return fsnsa__nomem(err, "column names");
    for (size_t j = 0, h = 0; c->header && j < c->m_file && h < c->f1.n;
         j++) {
        if (!c->full && j == short_label)
            continue;
        c->names[j] = c->f1.f[h].s;
        c->name_len[j] = c->f1.f[h].len;
        h++;
    }
    return FSNSA_OK;
}

/* The ignored fields and the label's (SIZE_MAX: none), checked against
 * a model's width. */
static fsnsa_status label_and_ignored(csv_read *c, fsnsa_error *err)
{
    const fsnsa_read_options *opt = c->opt;
    const fsnsa_schema *sc = opt->schema;
    size_t line = c->header ? c->first_line : c->data0_line;
    fsnsa_status st;
    if (opt->ignore_columns != NULL && opt->ignore_columns[0] != '\0') {
        if ((c->ignore = fsnsa__calloc(c->m_file, sizeof *c->ignore)) == NULL)
            return fsnsa__nomem(err, "column names");
        if ((st = fsnsa__ignore_mask(opt->ignore_columns, c->m_file,
                                     c->header ? c->names : NULL, c->path,
                                     line, c->ignore, &c->n_ign, err)) !=
            FSNSA_OK)
            return st;
    }
    size_t kept = c->m_file - c->n_ign;
    if (sc != NULL && !c->ls.none && kept == sc->n_columns)
        c->ls.none = true; /* prediction on a file without the label column */
    if (sc != NULL && !c->ls.none && kept != sc->n_columns + 1)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: rows have %zu fields%s; the model "
                           "expects %zu feature columns (and optionally the "
                           "label)",
                           c->path, c->data0_line, kept,
                           c->n_ign ? " besides the ignored ones" : "",
                           sc->n_columns);
    if ((st = fsnsa__label_index(&c->ls, c->m_file, c->full ? c->names : NULL,
                                 c->full ? c->name_len : NULL,
                                 c->full ? c->m_file : 0, c->path, line,
                                 &c->label, err)) != FSNSA_OK)
        return st;
    if (c->label != SIZE_MAX && c->ignore != NULL && c->ignore[c->label])
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "ignore_columns: column %zu is the label column "
                           "(see the 'label_column' option)",
                           c->label);
    return FSNSA_OK;
}

static bool ignored(const csv_read *c, size_t j)
{
    return c->ignore != NULL && c->ignore[j];
}

/* The table for the kept fields, with the layout read, the header's
 * names and a model's schema. */
static fsnsa_status start_table(csv_read *c, fsnsa_error *err)
{
    fsnsa__table *t = c->t;
    bool labeled = c->label != SIZE_MAX;
    size_t m = c->m_file - c->n_ign - labeled;
    fsnsa_status st = fsnsa__table_init(t, c->path, c->opt, m, labeled, err);
    if (st != FSNSA_OK)
        return st;
    t->decimal = c->mark;
    t->decimal_auto = c->mark == 0;
    t->layout.delimiter = c->delim;
    t->layout.header = c->header;
    t->layout.fields = c->m_file; /* every field, ignored ones included */
    t->layout.label_field = c->label;
    t->index_check = c->label != 0 && !ignored(c, 0);
    for (size_t j = 0, k = 0; c->header && j < c->m_file; j++) {
        if (ignored(c, j))
            continue;
        if (j == c->label)
            st = c->full ? fsnsa__table_set_label_name(t, c->names[j],
                                                       c->name_len[j], err)
                         : FSNSA_OK;
        else if (c->names[j] != NULL)
            st = fsnsa__table_set_name(t, k, c->names[j], c->name_len[j], err);
        k += j != c->label;
        if (st != FSNSA_OK)
            return st;
    }
    if (c->opt->schema != NULL)
        st = fsnsa__table_use_schema(
            t, c->header ? c->first_line : c->data0_line, err);
    return st;
}

/* One record's fields into the table. */
static fsnsa_status add_row(csv_read *c, const fsnsa__fields *f, size_t line,
                            fsnsa_error *err)
{
    fsnsa__table *t = c->t;
    size_t m_file = c->m_file;
    if (f->n != m_file)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: expected %zu fields, found %zu",
                           t->path, line, (f->n < m_file ? f->n : m_file) + 1,
                           m_file, f->n);
    float *row;
    fsnsa_status st = fsnsa__table_row(t, line, &row, err);
    if (st != FSNSA_OK)
        return st;
    for (size_t j = 0, k = 0; j < f->n; j++) {
        const fsnsa__field *x = &f->f[j];
        if (ignored(c, j))
            continue;
        if (j == c->label)
            st = fsnsa__table_label(t, x->s, x->len, line, x->col, err);
        else {
            st = fsnsa__table_cell(t, &row[k], k, x->s, x->len, line, x->col,
                                   err);
            k++;
        }
        if (st != FSNSA_OK)
            return st;
    }
    return FSNSA_OK;
}

/* The first data rows (one, or two without a header), then the rest of
 * the file, record by record. */
static fsnsa_status read_rows(csv_read *c, fsnsa_error *err)
{
    fsnsa_status st = add_row(c, c->data0, c->data0_line, err);
    if (st == FSNSA_OK && !c->header && c->have_second)
        st = add_row(c, &c->f2, c->second_line, err);
    while (st == FSNSA_OK) {
        char *line;
        size_t len, line_no = 0;
        if ((st = fsnsa__csv_next(c->t, &c->src, c->delim, &line, &len,
                                  &line_no, err)) != FSNSA_OK ||
            line == NULL)
            break;
        if ((st = fsnsa__split(line, len, c->delim, "\"", false, &c->f2,
                               c->max_fields, c->path, line_no, err)) ==
            FSNSA_OK)
            st = add_row(c, &c->f2, line_no, err);
    }
    return st;
}

/* Class ids renumbered in order of first appearance in the rows, as
 * they are when the rows come in that order. */
static fsnsa_status classes_in_row_order(fsnsa__table *t, fsnsa_error *err)
{
    fsnsa__dict nd;
    memset(&nd, 0, sizeof nd);
    nd.limit = t->labels.limit;
    for (size_t i = 0; i < t->n_y; i++) {
        const char *s = fsnsa__dict_str(&t->labels, (size_t)t->y[i]);
        size_t id;
        if (fsnsa__dict_intern(&nd, s, strlen(s), &id) < 0) {
            fsnsa__dict_free(&nd);
            return fsnsa__nomem(err, "class names");
        }
        t->y[i] = (int32_t)id;
    }
    fsnsa__dict_free(&t->labels);
    t->labels = nd;
    return FSNSA_OK;
}

/* The first row, read as a header, becomes the first data row: the names
 * go, the row is added and moved to the front. */
static fsnsa_status first_row_as_data(csv_read *c, fsnsa_error *err)
{
    fsnsa__table *t = c->t;
    for (size_t k = 0; k < t->m; k++) {
        free(t->cols[k].name);
        t->cols[k].name = NULL;
    }
    free(t->label_name);
    t->label_name = NULL;
    size_t n = t->n, m = t->m, last = t->last_line;
    float *keep = fsnsa__alloc(m ? m : 1, sizeof *keep);
    if (keep == NULL)
        return fsnsa__nomem(err, "a row");
    fsnsa_status st = add_row(c, &c->f1, c->first_line, err);
    if (st == FSNSA_OK) {
        memcpy(keep, t->cells + n * m, m * sizeof *keep);
        memmove(t->cells + m, t->cells, n * m * sizeof *keep);
        memcpy(t->cells, keep, m * sizeof *keep);
        if (t->labeled) {
            int32_t y = t->y[n];
            memmove(t->y + 1, t->y, n * sizeof *t->y);
            t->y[0] = y;
            st = classes_in_row_order(t, err);
        }
        t->first_line = c->first_line;
        t->last_line = last;
    }
    free(keep);
    return st;
}

/* A header found by a word over a number, and no column chosen by name:
 * the first row may be data after all. */
static bool header_may_be_data(const csv_read *c)
{
    const fsnsa_read_options *opt = c->opt;
    return c->why == FSNSA__HEADER_WORD_OVER_NUMBER && c->full &&
           opt->schema == NULL && opt->header == -1 &&
           !fsnsa__label_by_name(&c->ls) &&
           !fsnsa__list_has_name(opt->ignore_columns) &&
           fsnsa__csv_first_row_is_data(c->t, &c->f1, c->ignore, c->label);
}

fsnsa_status fsnsa__read_csv(fsnsa__table *t, const char *path,
                             const fsnsa_read_options *opt, bool uci,
                             fsnsa_error *err)
{
    csv_read c;
    memset(&c, 0, sizeof c);
    c.t = t;
    c.opt = opt;
    c.path = path;
    c.max_fields = (opt->max_cols ? opt->max_cols : FSNSA__DEFAULT_MAX_COLS) + 1;
    c.ls = fsnsa__labelspec_of(opt);
    c.delim = opt->delimiter ? opt->delimiter : uci ? ',' : 0;
    fsnsa_status st = fsnsa__csv_open(&c.src, path, opt, err);
    if (st == FSNSA_OK && c.delim == 0)
        st = fsnsa__csv_detect(t, &c.src, opt->decimal, &c.delim, err);
    /* decimal commas never with a ',' delimiter (refused when asked for) */
    c.mark = c.delim == ',' ? '.' : opt->decimal;
    t->thousands = c.mark == '.';
    if (st == FSNSA_OK)
        st = first_records(&c, err);
    if (st == FSNSA_OK)
        st = decide_header(&c, err);
    if (st == FSNSA_OK)
        st = header_names(&c, err);
    if (st == FSNSA_OK)
        st = label_and_ignored(&c, err);
    if (st == FSNSA_OK)
        st = start_table(&c, err);
    if (st == FSNSA_OK)
        st = read_rows(&c, err);
    if (st == FSNSA_OK && header_may_be_data(&c)) {
        st = first_row_as_data(&c, err);
        t->layout.header = false;
    }
    /* as the numbers decided it; with ',' it is always '.', whatever
     * another delimiter would need */
    if (st == FSNSA_OK)
        t->layout.decimal = c.delim == ',' ? 0 : t->decimal;
    csv_read_free(&c);
    return st;
}

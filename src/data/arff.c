/* Weka ARFF: the header (arff_header.c) gives the attributes, the read
 * options choose the class and the ignored ones, and the data section
 * (arff_data.c) fills the table. The class is the last attribute unless
 * label_column says otherwise. A string attribute is a free column, as
 * in delimited text; a date is a numeric column parsed by date.c. */
#include "arff.h"

#include "columns.h"
#include "limits.h"
#include "readers.h"

#include <stdlib.h>
#include <string.h>

/* The ignored attributes (ignore, *n_ign), then the class among the
 * others (*label, SIZE_MAX: none), checked against a model's width.
 * data_line is the @data line, for messages. */
static fsnsa_status label_and_ignored(const fsnsa__arff_attrs *at,
                                      const fsnsa_read_options *opt,
                                      const char *path, size_t data_line,
                                      bool *ignore, size_t *n_ign,
                                      size_t *label, fsnsa_error *err)
{
    size_t n = at->n;
    char **names = fsnsa__alloc(n, sizeof *names);
    size_t *nlen = fsnsa__alloc(n, sizeof *nlen);
    if (names == NULL || nlen == NULL) {
        free(names);
        free(nlen);
        return fsnsa__nomem(err, "attributes");
    }
    for (size_t j = 0; j < n; j++) {
        names[j] = at->a[j].name;
        nlen[j] = strlen(at->a[j].name);
    }
    fsnsa__labelspec ls = fsnsa__labelspec_of(opt);
    const fsnsa_schema *sc = opt->schema;
    fsnsa_status st = fsnsa__ignore_mask(opt->ignore_columns, n, names, path,
                                         data_line, ignore, n_ign, err);
    size_t kept = n - *n_ign;
    if (st == FSNSA_OK && sc != NULL && !ls.none && kept == sc->n_columns)
        ls.none = true; /* prediction on data without the class */
    if (st == FSNSA_OK && sc != NULL && !ls.none && kept != sc->n_columns + 1)
        st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                         "%s:%zu:1: %zu attributes%s; the model expects %zu "
                         "feature columns (and optionally the class)",
                         path, data_line, kept,
                         *n_ign ? " besides the ignored ones" : "",
                         sc->n_columns);
    if (st == FSNSA_OK)
        st = fsnsa__label_index(&ls, n, names, nlen, n, path, data_line,
                                label, err);
    free(names);
    free(nlen);
    if (st != FSNSA_OK || *label == SIZE_MAX)
        return st;
    const fsnsa__arff_attr *c = &at->a[*label];
    if (ignore[*label])
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "ignore_columns: attribute %zu ('%s') is the class "
                           "(see the 'label_column' option)",
                           *label, c->name);
    if (c->type == FSNSA__AT_DATE)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: the class attribute '%s' is a date; a "
                           "class must be nominal (choose another with "
                           "label_column)",
                           path, c->line, c->name);
    return FSNSA_OK;
}

/* The table's columns from the attributes: names, declared values (moved
 * from the attributes), numeric kinds; a string stays a free column. */
static fsnsa_status declare_columns(fsnsa__table *t, fsnsa__arff_attrs *at,
                                    const bool *ignore, size_t label,
                                    fsnsa_error *err)
{
    fsnsa_status st;
    for (size_t j = 0, k = 0; j < at->n; j++) {
        fsnsa__arff_attr *a = &at->a[j];
        size_t nl = strlen(a->name);
        if (ignore[j])
            continue;
        if (j == label) {
            if ((st = fsnsa__table_set_label_name(t, a->name, nl, err)) !=
                FSNSA_OK)
                return st;
            if (a->type == FSNSA__AT_NOMINAL)
                fsnsa__table_set_classes(t, &a->values);
            continue;
        }
        if ((st = fsnsa__table_set_name(t, k, a->name, nl, err)) != FSNSA_OK)
            return st;
        if (a->type == FSNSA__AT_NOMINAL)
            fsnsa__table_set_nominal(t, k, &a->values);
        else if (a->type != FSNSA__AT_STRING)
            fsnsa__table_set_numeric(t, k);
        else
            t->cols[k].text_line = a->line;
        k++;
    }
    return FSNSA_OK;
}

fsnsa_status fsnsa__read_arff(fsnsa__table *t, const char *path,
                              const fsnsa_read_options *opt, fsnsa_error *err)
{
    fsnsa__lines r;
    fsnsa__arff_attrs at = {0};
    bool *ignore = NULL;
    size_t *table_col = NULL;
    size_t max_cols = opt->max_cols ? opt->max_cols : FSNSA__DEFAULT_MAX_COLS;
    size_t label = SIZE_MAX, n_ign = 0;
    fsnsa_status st = fsnsa__lines_open(&r, path, opt, err);
    if (st != FSNSA_OK)
        return st;
    if ((st = fsnsa__arff_read_header(&r, max_cols, &at, err)) != FSNSA_OK)
        goto done;
    size_t data_line = r.line_no;
    ignore = fsnsa__calloc(at.n, sizeof *ignore);
    table_col = fsnsa__alloc(at.n, sizeof *table_col);
    if (ignore == NULL || table_col == NULL) {
        st = fsnsa__nomem(err, "attributes");
        goto done;
    }
    if ((st = label_and_ignored(&at, opt, path, data_line, ignore, &n_ign,
                                &label, err)) != FSNSA_OK)
        goto done;
    bool labeled = label != SIZE_MAX;
    if ((st = fsnsa__table_init(t, path, opt, at.n - n_ign - labeled, labeled,
                                err)) != FSNSA_OK)
        goto done;
    t->question_na = true;
    t->index_check = label != 0 && !ignore[0];
    t->layout.fields = at.n;
    t->layout.label_field = label;
    if ((st = declare_columns(t, &at, ignore, label, err)) != FSNSA_OK)
        goto done;
    if (opt->schema != NULL &&
        (st = fsnsa__table_use_schema(t, data_line, err)) != FSNSA_OK)
        goto done;
    for (size_t j = 0, k = 0; j < at.n; j++) {
        table_col[j] = k; /* the table column of a kept feature */
        k += !ignore[j] && j != label;
    }
    fsnsa__arff_map map = {&at, ignore, table_col, label};
    st = fsnsa__arff_read_data(t, &r, &map, err);
done:
    fsnsa__lines_close(&r);
    fsnsa__arff_attrs_free(&at);
    free(ignore);
    free(table_col);
    return st;
}

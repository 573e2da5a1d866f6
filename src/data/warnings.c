/* What is read but rarely meant (docs/data.md, "Warnings"): warnings go
 * through the caller's callback, never to a stream; the same signs in an
 * ARFF string attribute are refused. */
#include "table.h"

#include "limits.h"

#include <stdarg.h>
#include <stdio.h>

void fsnsa__table_warn(const fsnsa__table *t, const char *fmt, ...)
{
    if (t->warn == NULL)
        return;
    char msg[FSNSA_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    t->warn(t->warn_ctx, msg);
}

/* A first column holding the row numbers 0..n-1 or 1..n (the index that
 * pandas' to_csv and R's write.csv write unless told not to) is a feature
 * like any other, which is rarely meant: a warning. */
void fsnsa__warn_index(const fsnsa__table *t)
{
    if (t->m == 0 || t->n < 3 || t->cols[0].kind != FSNSA__NUM)
        return;
    float first = t->cells[0];
    if (first != 0.0f && first != 1.0f)
        return;
    for (size_t i = 0; i < t->n; i++)
        if (t->cells[i * t->m] != (float)i + first)
            return;
    char nb[96];
    const char *name = t->cols[0].name;
    if (name == NULL || name[0] == '\0')
        snprintf(nb, sizeof nb, "the first column (unnamed)");
    else
        snprintf(nb, sizeof nb, "the first column, '%.60s',", name);
    fsnsa__table_warn(t,
                      "%s:%zu:1: %s holds the row numbers %g to %g: an index "
                      "(pandas' to_csv and R's write.csv write one)? It is "
                      "used as a feature; leave it out with the "
                      "'ignore_columns' option (column 0)",
                      t->path, t->first_line, nb, (double)first,
                      (double)(t->n - 1) + (double)first);
}

fsnsa_status fsnsa__check_many_values(const fsnsa__table *t, size_t j,
                                      size_t n_values, size_t present,
                                      fsnsa_error *err)
{
    const fsnsa__tcol *c = &t->cols[j];
    char nb[64];
    if (n_values <= FSNSA__MANY_VALUES || n_values <= present / 2)
        return FSNSA_OK;
    if (c->text_line != 0)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: attribute '%s' is a string with %zu "
                           "distinct values in %zu rows (identifiers or "
                           "text): fsnsa does not encode text; leave it out "
                           "with the 'ignore_columns' option, or turn it "
                           "into word counts first (Weka's "
                           "StringToWordVector)",
                           t->path, c->text_line,
                           fsnsa__table_col_name(t, j, nb, sizeof nb),
                           n_values, present);
    fsnsa__table_warn(t,
                      "%s:%zu:%zu: column '%s' holds %zu distinct values in "
                      "%zu rows, one-hot encoded as %zu columns: identifiers "
                      "or text? (leave it out with the 'ignore_columns' "
                      "option)",
                      t->path, c->str_line, c->str_col,
                      fsnsa__table_col_name(t, j, nb, sizeof nb), n_values,
                      present, n_values);
    return FSNSA_OK;
}

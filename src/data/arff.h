/* Shared by the three files of the ARFF reader: the header
 * (arff_header.c: @relation, @attribute, up to @data), the data section
 * (arff_data.c: dense and sparse rows) and the reader that joins them to
 * the table (arff.c). Not part of the API. */
#ifndef FSNSA_DATA_ARFF_H
#define FSNSA_DATA_ARFF_H

#include "date.h"
#include "dict.h"
#include "fields.h"
#include "lines.h"
#include "table.h"

#include <stdbool.h>
#include <stddef.h>

enum { FSNSA__AT_NUMERIC, FSNSA__AT_NOMINAL, FSNSA__AT_STRING, FSNSA__AT_DATE };

typedef struct {
    char *name;
    int type;
    fsnsa__dict values;        /* FSNSA__AT_NOMINAL */
    fsnsa__date_format date;   /* FSNSA__AT_DATE */
    size_t line;               /* its header line */
} fsnsa__arff_attr;

/* The attributes of a header, in order. */
typedef struct {
    fsnsa__arff_attr *a;
    size_t n, cap;
} fsnsa__arff_attrs;

/* How a data section maps to the table: per attribute, whether it is
 * ignored and its table column (features; the label has none). */
typedef struct {
    const fsnsa__arff_attrs *attrs;
    const bool *ignore;
    const size_t *table_col;
    size_t label;              /* SIZE_MAX: no label */
} fsnsa__arff_map;

static inline char *fsnsa__arff_skip_blanks(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* ---- the header (arff_header.c) ---- */

/* The next line that is not blank or a '%' comment, *s at its first
 * non-blank character; *line = NULL at the end. */
fsnsa_status fsnsa__arff_next(fsnsa__lines *r, char **line, size_t *len,
                             char **s, fsnsa_error *err);

/* Read the header up to and including the @data line; every attribute
 * parsed goes into *attrs (freed by fsnsa__arff_attrs_free, also after
 * an error). */
fsnsa_status fsnsa__arff_read_header(fsnsa__lines *r, size_t max_cols,
                                     fsnsa__arff_attrs *attrs,
                                     fsnsa_error *err);
void fsnsa__arff_attrs_free(fsnsa__arff_attrs *attrs);
/* The quoted token whose opening quote is at s, its backslash escapes
 * undone in place: *len bytes from s + 1; returns the character after the
 * closing quote, or NULL when there is none before `end`. */
char *fsnsa__arff_unquote(char *s, char *end, size_t *len);

/* ---- the data section (arff_data.c) ---- */

/* Every row after @data into the table. */
fsnsa_status fsnsa__arff_read_data(fsnsa__table *t, fsnsa__lines *r,
                                   const fsnsa__arff_map *map,
                                   fsnsa_error *err);

#endif

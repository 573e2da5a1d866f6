/* The table builder behind every reader: parsed cells collected row by
 * row in one growing float matrix, the kinds of free columns decided once
 * all rows are seen, the classes ordered, and everything encoded (one-hot)
 * into the final fsnsa_dataset. Nominal cells hold their value id in a
 * NaN payload, so that a purely numeric file needs no second matrix.
 * Not part of the API; docs/data.md has the rules.
 *
 *   table.c     the table: columns, names, declared kinds, a model's
 *               schema, rows
 *   missing.c   missing-value tokens
 *   marks.c     decimal marks and thousands separators
 *   cells.c     one field into a cell or a class
 *   kinds.c     the kind of each free column, once all rows are read
 *   classes.c   class ids, and labels that are no classes
 *   warnings.c  what is read but rarely meant
 *   finish.c    encoding into the data set */
#ifndef FSNSA_DATA_TABLE_H
#define FSNSA_DATA_TABLE_H

#include "core/core.h"
#include "dict.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { FSNSA__FREE = 0, FSNSA__NUM, FSNSA__NOM };

typedef struct {
    char *name;        /* NULL: named x<j> at the end */
    int kind;          /* FSNSA__FREE until known */
    bool fixed;        /* nominal values declared (schema, ARFF) */
    fsnsa__dict dict;  /* nominal values / words seen in a free column */
    size_t str_line, str_col; /* first word in a free column */
    size_t text_line;  /* an ARFF string attribute: its header line */
    /* The first word shaped like a number with commas that are not
     * thousands separators ("1,5", "12,34"), when t->thousands. */
    size_t odd_line, odd_col, odd_id;
} fsnsa__tcol;

/* A field remembered for a later message. */
typedef struct {
    size_t line, col;  /* 0: none */
    char text[32];     /* shortened by fsnsa__show */
} fsnsa__seen;

typedef struct {
    const char *path;
    fsnsa_missing missing;
    fsnsa__dict na;    /* tokens read as missing (fsnsa__table_na_init) */
    bool question_na;  /* '?' is missing whatever the list (ARFF) */
    /* The decimal mark is '.' by rule (delimiter ',' or decimal '.'):
     * "1,234" is a number with thousands separators in a numeric column
     * (docs/data.md, "Thousands separators"). */
    bool thousands;
    /* Warn about table col 0 holding the row numbers (readers set it when
     * col 0 is the file's first field). */
    bool index_check;
    fsnsa_warn_fn warn;
    void *warn_ctx;
    size_t first_line; /* line of the first row */
    size_t max_rows, max_cols;
    const fsnsa_schema *schema; /* prediction: encode with this */
    size_t m;          /* raw feature columns (label excluded) */
    fsnsa__tcol *cols;
    float *cells;      /* n x m; numbers, or nominal ids as NaN payloads */
    size_t n, cap;
    bool labeled;
    bool regression;   /* labels are numbers (fsnsa_read_options.task) */
    fsnsa__dict labels;
    bool labels_fixed; /* class names declared (schema, ARFF) */
    int32_t *y;        /* label ids, n_y of them */
    size_t n_y, cap_y;
    size_t label_line, label_col;
    const char *label_path; /* labels file, if the labels came from one */
    char *label_name;
    size_t last_line;  /* last data line seen, for messages */
    /* Decimal mark of the numbers (docs/data.md, "Decimal commas"): '.'
     * or ','; 0 = decided by the data (delimited text, opt->decimal 0),
     * then set by the first number with a mark and kept in decimal_seen
     * (the field, its line and column) for the error when the other mark
     * shows up. fsnsa__table_init sets '.'. */
    char decimal;
    bool decimal_auto;
    fsnsa__seen decimal_seen;
    fsnsa__seen grouped;  /* first "1.234.567" word before the mark is known */
    fsnsa_layout layout;  /* how the file is read, for fsnsa_dataset.layout */
} fsnsa__table;

/* ---- cells: a number, a missing value, or a nominal id in a NaN ---- */

#define FSNSA__TAG_MISSING 0x7fc00000u /* the canonical quiet NaN */

static inline void fsnsa__cell_set_id(float *cell, size_t id)
{
    uint32_t bits = FSNSA__TAG_MISSING | (uint32_t)(id + 1);
    memcpy(cell, &bits, sizeof bits);
}

static inline void fsnsa__cell_set_missing(float *cell)
{
    uint32_t bits = FSNSA__TAG_MISSING;
    memcpy(cell, &bits, sizeof bits);
}

/* Whether the cell holds a nominal id, and which. */
static inline bool fsnsa__cell_id(const float *cell, size_t *id)
{
    uint32_t bits;
    memcpy(&bits, cell, sizeof bits);
    if ((bits & 0xffc00000u) != FSNSA__TAG_MISSING ||
        bits == FSNSA__TAG_MISSING)
        return false;
    *id = (bits & 0x3fffffu) - 1;
    return true;
}

static inline bool fsnsa__cell_is_missing(const float *cell)
{
    uint32_t bits;
    memcpy(&bits, cell, sizeof bits);
    return bits == FSNSA__TAG_MISSING;
}

/* ---- the table (table.c) ---- */

/* t must be zeroed first (and given its missing-value tokens,
 * fsnsa__table_na_init); fsnsa__table_free accepts a partly built one. */
fsnsa_status fsnsa__table_init(fsnsa__table *t, const char *path,
                               const fsnsa_read_options *opt, size_t m,
                               bool labeled, fsnsa_error *err);
/* Give a table created with m = 0 and no rows its m columns (readers that
 * learn the width at the end, such as LIBSVM). */
fsnsa_status fsnsa__table_set_width(fsnsa__table *t, size_t m,
                                    fsnsa_error *err);
fsnsa_status fsnsa__table_set_name(fsnsa__table *t, size_t j, const char *s,
                                   size_t len, fsnsa_error *err);
fsnsa_status fsnsa__table_set_label_name(fsnsa__table *t, const char *s,
                                         size_t len, fsnsa_error *err);
/* Column j's name, or "x<j>" written into buf. */
const char *fsnsa__table_col_name(const fsnsa__table *t, size_t j, char *buf,
                                  size_t size);
/* Declare column j numeric, or nominal with the values in d (moved). */
void fsnsa__table_set_numeric(fsnsa__table *t, size_t j);
void fsnsa__table_set_nominal(fsnsa__table *t, size_t j, fsnsa__dict *d);
/* Declare the class names in d (moved), in this order. */
void fsnsa__table_set_classes(fsnsa__table *t, fsnsa__dict *d);
/* Take kinds, values and class names from t->schema; names in the file
 * that contradict the model's are refused (line = header line or 0). */
fsnsa_status fsnsa__table_use_schema(fsnsa__table *t, size_t line,
                                     fsnsa_error *err);
/* Room for one more row of m cells (valid until the next call). */
fsnsa_status fsnsa__table_row(fsnsa__table *t, size_t line, float **row,
                              fsnsa_error *err);
void fsnsa__table_free(fsnsa__table *t);

/* ---- missing-value tokens (missing.c; docs/data.md, "Missing values") */

/* The missing-value tokens of opt (na_values or the default list) into
 * t->na; called on a zeroed table before the reader runs, since readers
 * need them before fsnsa__table_init (header detection). */
fsnsa_status fsnsa__table_na_init(fsnsa__table *t, const fsnsa_read_options *opt,
                                  fsnsa_error *err);
/* Whether a field marks a missing value: empty, listed in t->na, or '?'
 * with t->question_na. */
bool fsnsa__table_is_na(const fsnsa__table *t, const char *s, size_t len);
/* " 'NA'" for a message about a missing value written as a token that
 * may surprise (NA, None, NULL, ...); "" for an empty field or '?'. */
const char *fsnsa__na_token(char *buf, size_t size, const char *s,
                            size_t len);

/* ---- decimal marks, thousands separators (marks.c; docs/data.md,
 * "Decimal commas" and "Thousands separators") ---- */

/* A cell's text parsed in the file's decimal convention; *r as from
 * fsnsa__parse_number (-1: a word). With the mark left to the data, the
 * first number with a '.' or a ',' sets it, and a number with the other
 * mark is an error, whichever comes first; so are thousands separators
 * next to decimal commas. */
fsnsa_status fsnsa__table_parse(fsnsa__table *t, const char *s, size_t len,
                                size_t line, size_t col, float *out, int *r,
                                fsnsa_error *err);
/* A number in mark, or in either while it is not known (mark 0): for
 * nominal lookups and class names, which decide nothing. */
int fsnsa__loose_number(char mark, const char *s, size_t len, float *v);
/* A word shaped "[+-]d{1,3}(,ddd)+[.d*]": its value with the commas
 * dropped in *v, 0; -1 otherwise; -2 out of float range. */
int fsnsa__thousands_number(const char *s, size_t len, float *v);
/* Digits with commas between them, maybe a decimal point after ("1,5",
 * "12,34", "1,23,456", "1,234"): with thousands separators, a number
 * whose commas are decimal commas or an unusual grouping when it is not
 * fsnsa__thousands_number's. */
bool fsnsa__comma_number(const char *s, size_t len);
/* The error for such a number in column `name` of a table whose decimal
 * mark is '.' by rule; `shown` is its text as fsnsa__show gives it. */
fsnsa_status fsnsa__odd_commas(const fsnsa__table *t, const char *shown,
                               size_t line, size_t col, const char *name,
                               fsnsa_error *err);

/* ---- one field into a cell or a class (cells.c) ---- */

/* A number, or a missing value (refused or NaN per t->missing). */
fsnsa_status fsnsa__table_number(fsnsa__table *t, float *cell, const char *s,
                                 size_t len, size_t line, size_t col,
                                 fsnsa_error *err);
/* The field s[0..len) at line:col into column j's cell. */
fsnsa_status fsnsa__table_cell(fsnsa__table *t, float *cell, size_t j,
                               const char *s, size_t len, size_t line,
                               size_t col, fsnsa_error *err);
/* The next row's label. */
fsnsa_status fsnsa__table_label(fsnsa__table *t, const char *s, size_t len,
                                size_t line, size_t col, fsnsa_error *err);

/* ---- after the last row ---- */

/* kinds.c: every free column numeric or nominal. */
fsnsa_status fsnsa__table_decide_kinds(fsnsa__table *t, fsnsa_error *err);
/* classes.c: d's class names and labels (d->y) from t's, numerically
 * sorted when every label is a number, else in order of first appearance;
 * training labels that are no classes refused. */
fsnsa_status fsnsa__table_classes(fsnsa__table *t, fsnsa_dataset *d,
                                  fsnsa_error *err);
/* target.c: d->target from t's labels read as numbers (regression), every
 * y -1, no classes; a label that is no number is refused. */
fsnsa_status fsnsa__table_target(const fsnsa__table *t, fsnsa_dataset *d,
                                 fsnsa_error *err);
/* warnings.c: a warning "path:line:col: ..." through t->warn, if set. */
void fsnsa__table_warn(const fsnsa__table *t, const char *fmt, ...)
    FSNSA_PRINTF(2, 3);
/* warnings.c: the first column holding the row numbers. */
void fsnsa__warn_index(const fsnsa__table *t);
/* warnings.c: column j, nominal with n_values distinct values in
 * `present` cells, looks like identifiers or text: a warning, or for an
 * ARFF string attribute a refusal. */
fsnsa_status fsnsa__check_many_values(const fsnsa__table *t, size_t j,
                                      size_t n_values, size_t present,
                                      fsnsa_error *err);
/* finish.c: encode into a new data set (x, y, schema, feature names,
 * source). */
fsnsa_status fsnsa__table_finish(fsnsa__table *t, fsnsa_dataset **out,
                                 fsnsa_error *err);

#endif

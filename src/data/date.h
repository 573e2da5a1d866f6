/* ARFF dates (date.c): java.text.SimpleDateFormat patterns, compiled once
 * per attribute, and values parsed against them. Not part of the API. */
#ifndef FSNSA_DATA_DATE_H
#define FSNSA_DATA_DATE_H

#include "core/core.h"

#include <stdbool.h>
#include <stddef.h>

/* A compiled java.text.SimpleDateFormat pattern, the subset of
 * docs/data.md ("### ARFF"): y M d H m s S X Z, quoted literals and any
 * non-letter as a literal. Parsed values are seconds since
 * 1970-01-01T00:00:00 UTC (proleptic Gregorian calendar). */
typedef struct {
    char what;         /* y M d H m s S X (Z too), or 0: literal `lit` */
    char lit;
    size_t count;      /* pattern letters in the run */
    bool fixed;        /* a numeric field right before another: exactly
                        * `count` digits */
} fsnsa__date_item;

typedef struct {
    fsnsa__date_item *item;
    size_t n;
    char *pattern;     /* the pattern as Java sees it, for messages */
} fsnsa__date_format;

/* Weka's format when a date attribute gives none. */
#define FSNSA__DATE_DEFAULT "yyyy-MM-dd'T'HH:mm:ss"

/* Compile the pattern text s[0..len) as written in the header line; with
 * `escapes` (a quoted format) backslash escapes are undone first, as in
 * Weka's own headers ('yyyy-MM-dd\'T\'HH:mm:ss'). Errors name path:line
 * and the 1-based character position in the line (`col` is that of s[0])
 * and the attribute `name`. *f must be zeroed first; free it with
 * fsnsa__date_free, also after an error. */
fsnsa_status fsnsa__date_compile(fsnsa__date_format *f, const char *s,
                                 size_t len, bool escapes, const char *path,
                                 size_t line, size_t col, const char *name,
                                 fsnsa_error *err);
void fsnsa__date_free(fsnsa__date_format *f);
/* Parse one value (not missing) into seconds since the epoch, rounded to
 * float; an error names path:line:col, the value and why it does not
 * match. */
fsnsa_status fsnsa__date_parse(const fsnsa__date_format *f, const char *s,
                               size_t len, float *out, const char *path,
                               size_t line, size_t col, fsnsa_error *err);

#endif

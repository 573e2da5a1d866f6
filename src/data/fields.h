/* The field splitter (fields.c): a line cut in place into fields at a
 * delimiter, with quotes, and with Weka's backslash escapes for ARFF.
 * Not part of the API. */
#ifndef FSNSA_DATA_FIELDS_H
#define FSNSA_DATA_FIELDS_H

#include "core/core.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *s;           /* NUL-terminated, in the line buffer */
    size_t len;
    size_t col;        /* 1-based field number, for messages */
    bool quoted;
} fsnsa__field;

typedef struct {
    fsnsa__field *f;
    size_t n, cap;
} fsnsa__fields;

/* Split `line` in place at `delim` (',', ';', '\t', ... or ' ' for runs of
 * blanks). Fields starting with a character of `quotes` are quoted, with
 * the quote doubled inside, and with `backslash` also Weka's escapes (see
 * fsnsa__unescape). Blanks around fields are dropped. */
fsnsa_status fsnsa__split(char *line, size_t len, char delim,
                          const char *quotes, bool backslash,
                          fsnsa__fields *out,
                          size_t max_fields, const char *path, size_t line_no,
                          fsnsa_error *err);
void fsnsa__fields_free(fsnsa__fields *f);

/* One backslash escape inside a quoted ARFF token, as Weka writes them
 * (weka.core.Utils.quote) and Java's tokenizer reads them: at p a '\\'
 * with at least one character after it, before `end`. \n \r \t \b \f
 * become control characters, \uXXXX the code point in UTF-8, any other
 * \c the character c. Writes the bytes at w (never more than it reads,
 * so decoding in place is safe), returns the characters read and sets
 * *wrote. */
size_t fsnsa__unescape(const char *p, const char *end, char *w,
                       size_t *wrote);

#endif

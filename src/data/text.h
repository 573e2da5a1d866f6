/* Small text helpers (text.c) shared by the readers: tokens shown in
 * messages, numbers as nominal values, case-insensitive names and the
 * comma-separated lists of the read options. Not part of the API. */
#ifndef FSNSA_DATA_TEXT_H
#define FSNSA_DATA_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Printable, shortened copy of a token for error messages. */
const char *fsnsa__show(char *buf, size_t size, const char *s, size_t len);
/* Canonical text of a number used as a nominal value ("%.9g"). */
void fsnsa__canon(char *buf, size_t size, float v);
bool fsnsa__ieq(const char *a, const char *b); /* ASCII case-insensitive */
/* The next entry of a comma-separated list (na_values, ignore_columns)
 * at *s, blanks around it dropped: *item and *len, and *s moves past it;
 * false at the end (or for s NULL). */
bool fsnsa__list_next(const char **s, const char **item, size_t *len);

#endif

/* The library's core, shared by every layer above it (data, nn, model,
 * exp): errors (error.c), checked sizes and allocation (alloc.c), output
 * files (outfile.c), the clock (clock.c), CRC-32 (crc.c); the names of
 * the enums (names.c) and the rng (rng.c) are public, in fsnsa.h. Not
 * part of the API. */
#ifndef FSNSA_CORE_H
#define FSNSA_CORE_H

#include "fsnsa.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define FSNSA_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FSNSA_PRINTF(a, b)
#endif

/* ---- errors (error.c) ---- */

/* Fill err (if not NULL) and return code. */
fsnsa_status fsnsa__fail(fsnsa_error *err, fsnsa_status code, const char *fmt,
                         ...) FSNSA_PRINTF(3, 4);
/* "out of memory" with what was being allocated. */
fsnsa_status fsnsa__nomem(fsnsa_error *err, const char *what);

/* ---- checked sizes and allocation (alloc.c) ---- */

/* Overflow-checked size arithmetic: return false on overflow. */
static inline bool fsnsa__mul(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a)
        return false;
    *out = a * b;
    return true;
}
static inline bool fsnsa__mul3(size_t a, size_t b, size_t c, size_t *out)
{
    size_t t;
    return fsnsa__mul(a, b, &t) && fsnsa__mul(t, c, out);
}
static inline bool fsnsa__add(size_t a, size_t b, size_t *out)
{
    if (b > SIZE_MAX - a)
        return false;
    *out = a + b;
    return true;
}

/* malloc of n elements of size sz, NULL on overflow or failure; n == 0
 * still returns a unique pointer so that callers need no special case. */
void *fsnsa__alloc(size_t n, size_t sz);
void *fsnsa__calloc(size_t n, size_t sz);
char *fsnsa__strdup(const char *s);
/* The array p of *cap elements of size sz, grown to hold at least `need`
 * (the capacity doubles, from `first`): the new array, *cap updated; NULL
 * with p and *cap unchanged on overflow or out of memory. */
void *fsnsa__grow(void *p, size_t *cap, size_t need, size_t sz, size_t first);

/* The value of a hexadecimal digit, -1 for any other character. */
static inline int fsnsa__hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Seconds since an arbitrary start, monotonic (clock.c). */
double fsnsa__now(void);

/* CRC-32 of n bytes, as zlib's crc32 (crc.c). */
uint32_t fsnsa__crc32(const void *data, size_t n);

/* Write `size` bytes to `path` through an fsnsa_outfile (outfile.c):
 * atomically for a regular file, in place for a device or FIFO. On error
 * nothing at `path` changes. */
fsnsa_status fsnsa__write_atomic(const char *path, const void *data,
                                 size_t size, fsnsa_error *err);
/* fsnsa_outfile_open; anonymous_ok = false skips O_TMPFILE and uses the
 * named temporary file, so that tests reach the fallback. */
fsnsa_status fsnsa__outfile_open(const char *path, bool anonymous_ok,
                                 fsnsa_outfile **out, fsnsa_error *err);

/* A string built in memory (strbuf.c). Start from {0}; an append that
 * cannot allocate sets oom and every later append does nothing, so the
 * caller checks oom once at the end; fsnsa__sb_free releases p. */
typedef struct {
    char *p;
    size_t len, cap;
    bool oom;
} fsnsa__strbuf;
void fsnsa__sb_put(fsnsa__strbuf *b, const char *s, size_t n);
void fsnsa__sb_str(fsnsa__strbuf *b, const char *s);
void fsnsa__sb_size(fsnsa__strbuf *b, size_t v);
/* The shortest %g that reads back (strtof/strtod) to the same value. */
void fsnsa__sb_float(fsnsa__strbuf *b, float v);
void fsnsa__sb_double(fsnsa__strbuf *b, double v);
/* s as "..." with \\ \" \n \r \t \xHH escapes, valid UTF-8 kept as is. */
void fsnsa__sb_quoted(fsnsa__strbuf *b, const char *s);
void fsnsa__sb_free(fsnsa__strbuf *b);

/* The "C" locale for the calling thread only, between enter and leave
 * (locale.c), so that printf/strtod use '.' whatever the program set.
 * enter fails (false) only when the locale cannot be allocated. */
#include <locale.h>
typedef struct {
    locale_t c, old;
} fsnsa__c_locale;
bool fsnsa__c_locale_enter(fsnsa__c_locale *l);
void fsnsa__c_locale_leave(fsnsa__c_locale *l);

#endif

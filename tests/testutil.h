/* Shared by the cmocka test programs: temp files, dataset paths, skips. */
#ifndef FSNSA_TESTUTIL_H
#define FSNSA_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fsnsa.h"

/* Write `text` to a fresh temporary file whose name ends in `suffix`;
 * returns the path (static buffer per call site is not enough: caller
 * passes `path` of size >= 64). */
static inline void tu_write_file(char *path, size_t size, const char *suffix,
                                 const char *text, size_t len)
{
    static unsigned counter;
    snprintf(path, size, "/tmp/fsnsa-test-%ld-%u%s", (long)getpid(),
             counter++, suffix);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static inline void tu_write_text(char *path, size_t size, const char *suffix,
                                 const char *text)
{
    tu_write_file(path, size, suffix, text, strlen(text));
}

/* Directory holding shared/datasets, or NULL (then the test skips). */
static inline const char *tu_datasets(void)
{
    const char *d = getenv("FSNSA_DATASETS");
    if (d == NULL || access(d, R_OK) != 0)
        return NULL;
    return d;
}

/* Path of the fsnsa command built by make. */
static inline const char *tu_bin(void)
{
    const char *b = getenv("FSNSA_BIN");
    return b != NULL ? b : "build/fsnsa";
}

/* The whole file at `path`, NUL-terminated (free it); its length in
 * *len. */
static inline unsigned char *tu_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    unsigned char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    assert_int_equal(fclose(f), 0);
    b[n] = '\0';
    *len = (size_t)n;
    return b;
}

#endif

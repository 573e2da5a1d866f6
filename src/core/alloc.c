/* Checked allocation: sizes multiplied with an overflow check before
 * malloc, and a zero size that still gives a unique pointer, so that
 * callers need neither check nor special case. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

void *fsnsa__alloc(size_t n, size_t sz)
{
    size_t bytes;
    if (!fsnsa__mul(n, sz, &bytes))
        return NULL;
    return malloc(bytes ? bytes : 1);
}

void *fsnsa__calloc(size_t n, size_t sz)
{
    size_t bytes;
    if (!fsnsa__mul(n, sz, &bytes)) /* checked here, not left to calloc */
        return NULL;
    if (bytes == 0)
        return calloc(1, 1);
    return calloc(n, sz);
}

char *fsnsa__strdup(const char *s)
{
    if (s == NULL)
        return NULL;
    size_t len = strlen(s) + 1;
    char *d = malloc(len);
    if (d != NULL)
        memcpy(d, s, len);
    return d;
}

void *fsnsa__grow(void *p, size_t *cap, size_t need, size_t sz, size_t first)
{
    if (need <= *cap)
        return p;
    size_t ncap = *cap ? *cap : first ? first : 1, bytes;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return NULL;
        ncap *= 2;
    }
    if (!fsnsa__mul(ncap, sz, &bytes))
        return NULL;
    void *q = realloc(p, bytes ? bytes : 1);
    if (q != NULL)
        *cap = ncap;
    return q;
}

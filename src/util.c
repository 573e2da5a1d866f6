/* Errors, checked allocation, top-k selection. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fsnsa_status_name(fsnsa_status s)
{
    switch (s) {
    case FSNSA_OK: return "ok";
    case FSNSA_ERR_ARG: return "invalid argument";
    case FSNSA_ERR_NOMEM: return "out of memory";
    case FSNSA_ERR_IO: return "i/o error";
    case FSNSA_ERR_PARSE: return "parse error";
    case FSNSA_ERR_FORMAT: return "bad model file";
    case FSNSA_ERR_LIMIT: return "resource limit";
    case FSNSA_ERR_NUMERIC: return "numerical failure";
    case FSNSA_ERR_INTERRUPTED: return "interrupted";
    }
    return "unknown error";
}

fsnsa_status fsnsa__fail(fsnsa_error *err, fsnsa_status code, const char *fmt,
                         ...)
{
    if (err != NULL) {
        char raw[sizeof err->msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        /* A message is one readable line: control characters that came in
         * with the input (an ARFF name written 'a\nb') are shown escaped. */
        size_t w = 0, cap = sizeof err->msg;
        for (const unsigned char *r = (const unsigned char *)raw; *r != 0;
             r++) {
            char esc[5];
            size_t n = 1;
            esc[0] = (char)*r;
            if (*r == '\n' || *r == '\r' || *r == '\t') {
                esc[0] = '\\';
                esc[1] = *r == '\n' ? 'n' : *r == '\r' ? 'r' : 't';
                n = 2;
            } else if (*r < 0x20 || *r == 0x7F) {
                snprintf(esc, sizeof esc, "\\x%02x", *r);
                n = 4;
            }
            if (w + n >= cap)
                break;
            memcpy(err->msg + w, esc, n);
            w += n;
        }
        err->msg[w] = '\0';
        err->code = code;
    }
    return code;
}

fsnsa_status fsnsa__nomem(fsnsa_error *err, const char *what)
{
    return fsnsa__fail(err, FSNSA_ERR_NOMEM, "out of memory allocating %s",
                       what);
}

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

int fsnsa__hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
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

/* Order: larger score first, then lower index. NaN scores sort last so a
 * diverged node is pruned first rather than kept. */
static int better(const float *s, size_t a, size_t b)
{
    float x = s[a], y = s[b];
    int xn = x != x, yn = y != y;
    if (xn != yn)
        return yn;
    if (!xn && x != y)
        return x > y;
    return a < b;
}

static void sift_down(const float *s, size_t *heap, size_t n, size_t i)
{
    /* min-heap by `better`: the root is the worst of the kept */
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, w = i;
        if (l < n && better(s, heap[w], heap[l]))
            w = l;
        if (r < n && better(s, heap[w], heap[r]))
            w = r;
        if (w == i)
            return;
        size_t t = heap[i];
        heap[i] = heap[w];
        heap[w] = t;
        i = w;
    }
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

void fsnsa__top_indices(const float *score, size_t n, size_t m, size_t *keep,
                        size_t *work)
{
    if (m > n)
        m = n;
    if (m == 0)
        return;
    /* Heap of the m best seen so far: O(n log m), no allocation. */
    size_t *heap = work;
    for (size_t i = 0; i < m; i++)
        heap[i] = i;
    for (size_t i = m / 2; i-- > 0;)
        sift_down(score, heap, m, i);
    for (size_t i = m; i < n; i++) {
        if (better(score, i, heap[0])) {
            heap[0] = i;
            sift_down(score, heap, m, 0);
        }
    }
    memcpy(keep, heap, m * sizeof *keep);
    qsort(keep, m, sizeof *keep, cmp_size);
}

/* A growing string built piece by piece, for text written whole (the model
 * file): appends never fail one by one; the first failed allocation sets
 * `oom`, later appends do nothing, and the caller checks once at the end.
 * Numbers are written in the shortest form that reads back bit for bit;
 * strings are quoted so that every byte string round-trips. */
#include "core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fsnsa__sb_put(fsnsa__strbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (n > b->cap - b->len) {
        size_t need, cap = b->cap ? b->cap : 4096;
        if (!fsnsa__add(b->len, n, &need)) {
            b->oom = true;
            return;
        }
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        char *q = realloc(b->p, cap);
        if (q == NULL) {
            b->oom = true;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void fsnsa__sb_str(fsnsa__strbuf *b, const char *s)
{
    fsnsa__sb_put(b, s, strlen(s));
}

void fsnsa__sb_size(fsnsa__strbuf *b, size_t v)
{
    char t[32];
    snprintf(t, sizeof t, "%zu", v);
    fsnsa__sb_str(b, t);
}

/* Shortest of %.6g..%.9g that reads back to the same float (9 digits
 * always do). */
void fsnsa__sb_float(fsnsa__strbuf *b, float v)
{
    char t[48];
    for (int prec = 6; prec <= 9; prec++) {
        snprintf(t, sizeof t, "%.*g", prec, (double)v);
        if (strtof(t, NULL) == v)
            break;
    }
    fsnsa__sb_str(b, t);
}

/* Shortest of %.15g..%.17g that reads back to the same double; NaN and
 * the infinities as nan, inf, -inf on every C library. */
void fsnsa__sb_double(fsnsa__strbuf *b, double v)
{
    char t[48];
    if (isnan(v)) {
        fsnsa__sb_str(b, "nan");
        return;
    }
    if (isinf(v)) {
        fsnsa__sb_str(b, v > 0 ? "inf" : "-inf");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(t, sizeof t, "%.*g", prec, v);
        if (strtod(t, NULL) == v)
            break;
    }
    fsnsa__sb_str(b, t);
}

/* Length of the well-formed UTF-8 sequence starting at u (RFC 3629), 0 if
 * there is none. u is NUL-terminated, so a short sequence stops at the
 * NUL before reading past it. */
static size_t utf8_seq(const unsigned char *u)
{
    unsigned c = u[0];
#define CONT(x) ((x) >= 0x80 && (x) <= 0xBF)
    if (c >= 0xC2 && c <= 0xDF)
        return CONT(u[1]) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return u[1] >= lo && u[1] <= hi && CONT(u[2]) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return u[1] >= lo && u[1] <= hi && CONT(u[2]) && CONT(u[3]) ? 4 : 0;
    }
#undef CONT
    return 0;
}

/* Valid UTF-8 is kept as is (readable); any other byte >= 0x80 is
 * escaped, so every byte string round-trips. */
void fsnsa__sb_quoted(fsnsa__strbuf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    fsnsa__sb_put(b, "\"", 1);
    const unsigned char *u = (const unsigned char *)s;
    while (*u != 0) {
        unsigned c = *u;
        size_t k;
        char e[4] = {'\\', 0, 0, 0};
        if (c == '"' || c == '\\') {
            e[1] = (char)c;
            fsnsa__sb_put(b, e, 2);
        } else if (c == '\n' || c == '\r' || c == '\t') {
            e[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
            fsnsa__sb_put(b, e, 2);
        } else if (c >= 0x20 && c < 0x7F) {
            fsnsa__sb_put(b, (const char *)u, 1);
        } else if (c >= 0x80 && (k = utf8_seq(u)) > 0) {
            fsnsa__sb_put(b, (const char *)u, k);
            u += k;
            continue;
        } else {
            e[1] = 'x';
            e[2] = hex[c >> 4];
            e[3] = hex[c & 15];
            fsnsa__sb_put(b, e, 4);
        }
        u++;
    }
    fsnsa__sb_put(b, "\"", 1);
}

void fsnsa__sb_free(fsnsa__strbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

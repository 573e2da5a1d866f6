/* The field splitter: fields cut in place, quotes undone in place (the
 * text only ever shrinks), no allocation but the reused field array. */
#include "fields.h"

#include <stdlib.h>
#include <string.h>

void fsnsa__fields_free(fsnsa__fields *f)
{
    free(f->f);
    memset(f, 0, sizeof *f);
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

size_t fsnsa__unescape(const char *p, const char *end, char *w,
                       size_t *wrote)
{
    char c = p[1];
    *wrote = 1;
    switch (c) {
    case 'n': *w = '\n'; return 2;
    case 'r': *w = '\r'; return 2;
    case 't': *w = '\t'; return 2;
    case 'b': *w = '\b'; return 2;
    case 'f': *w = '\f'; return 2;
    case 'u': break;
    default: *w = c; return 2;
    }
    unsigned cp = 0;
    for (int i = 0; i < 4; i++) {
        int d = p + 2 + i < end ? fsnsa__hex_digit(p[2 + i]) : -1;
        if (d < 0) { /* not \uXXXX: a 'u', as Java reads "\u" alone */
            *w = 'u';
            return 2;
        }
        cp = cp * 16 + (unsigned)d;
    }
    /* Code points up to U+FFFF need at most 3 bytes of UTF-8 for the 6
     * characters read. Surrogate halves stay as they are (CESU-8). */
    if (cp < 0x80) {
        w[0] = (char)cp;
    } else if (cp < 0x800) {
        w[0] = (char)(0xC0 | (cp >> 6));
        w[1] = (char)(0x80 | (cp & 0x3F));
        *wrote = 2;
    } else {
        w[0] = (char)(0xE0 | (cp >> 12));
        w[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        w[2] = (char)(0x80 | (cp & 0x3F));
        *wrote = 3;
    }
    return 6;
}

/* Whether c (not NUL) is one of the quote characters (quotes may be
 * NULL: none); a loop over one or two characters, not a call. */
static bool is_quote(const char *quotes, char c)
{
    if (quotes != NULL)
        for (; *quotes != '\0'; quotes++)
            if (*quotes == c)
                return true;
    return false;
}

/* Past the blanks before a field: spaces, and tabs unless the tab is the
 * delimiter. */
static char *skip_pad(char *p, const char *end, char delim)
{
    while (p < end && (*p == ' ' || (*p == '\t' && delim != '\t')))
        p++;
    return p;
}

/* Room for one more field, within max_fields. */
static fsnsa_status reserve_field(fsnsa__fields *out, size_t max_fields,
                                  const char *path, size_t line_no,
                                  fsnsa_error *err)
{
    if (out->n == out->cap) {
        fsnsa__field *nf = fsnsa__grow(out->f, &out->cap, out->n + 1,
                                       sizeof *nf, 64);
        if (nf == NULL)
            return fsnsa__nomem(err, "fields");
        out->f = nf;
    }
    if (out->n >= max_fields)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s:%zu:%zu: more than %zu fields", path, line_no,
                           out->n + 1, max_fields);
    return FSNSA_OK;
}

/* The quoted field whose opening quote is at p, unquoted in place into f
 * (a doubled quote is one; with `backslash` Weka's escapes too). *next is
 * where the next field starts, NULL at the end of the line. */
static fsnsa_status quoted_field(char *p, char *end, char delim,
                                 bool backslash, fsnsa__field *f, char **next,
                                 const char *path, size_t line_no,
                                 fsnsa_error *err)
{
    char q = *p++;
    char *w = p, *start = p;
    for (;;) {
        if (p == end)
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:%zu: unterminated quoted field", path,
                               line_no, f->col);
        if (*p == q) {
            if (p + 1 < end && p[1] == q) {
                *w++ = q;
                p += 2;
                continue;
            }
            p++;
            break;
        }
        if (backslash && *p == '\\' && p + 1 < end) {
            size_t wrote;
            p += fsnsa__unescape(p, end, w, &wrote);
            w += wrote;
            continue;
        }
        *w++ = *p++;
    }
    f->s = start;
    f->len = (size_t)(w - start);
    f->quoted = true;
    *w = '\0'; /* w is before the closing quote: p is past it */
    char *after = p;
    if (delim == ' ') {
        while (p < end && is_blank(*p))
            p++;
        if (p < end && p == after)
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:%zu: text after a closing quote", path,
                               line_no, f->col);
        *next = p < end ? p : NULL;
        return FSNSA_OK;
    }
    p = skip_pad(p, end, delim);
    if (p < end && *p != delim)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: text after a closing quote", path,
                           line_no, f->col);
    *next = p < end ? p + 1 : NULL;
    return FSNSA_OK;
}

/* An unquoted field of blank-separated text at p; returns where the next
 * field starts, NULL at the end of the line (trailing blanks start none). */
static char *blank_field(char *p, char *end, fsnsa__field *f)
{
    char *start = p;
    while (p < end && !is_blank(*p))
        p++;
    f->s = start;
    f->len = (size_t)(p - start);
    bool at_end = p == end;
    *p = '\0';
    if (at_end)
        return NULL;
    p++;
    while (p < end && is_blank(*p))
        p++;
    return p == end ? NULL : p;
}

/* An unquoted field up to `delim` at p, blanks before the delimiter
 * dropped; returns where the next field starts, NULL at the end of the
 * line (after a trailing delimiter an empty field starts). */
static char *delimited_field(char *p, char *end, char delim, fsnsa__field *f)
{
    char *start = p;
    char *e = p < end ? memchr(p, delim, (size_t)(end - p)) : NULL;
    if (e == NULL)
        e = end;
    char *t = e;
    while (t > start && (t[-1] == ' ' || (t[-1] == '\t' && delim != '\t')))
        t--;
    f->s = start;
    f->len = (size_t)(t - start);
    *t = '\0';
    return e < end ? e + 1 : NULL;
}

fsnsa_status fsnsa__split(char *line, size_t len, char delim,
                          const char *quotes, bool backslash,
                          fsnsa__fields *out, size_t max_fields,
                          const char *path, size_t line_no, fsnsa_error *err)
{
    char *p = line, *end = line + len;
    out->n = 0;
    if (delim == ' ') {
        while (p < end && is_blank(*p))
            p++;
        if (p == end)
            return FSNSA_OK;
    }
    for (;;) {
        p = skip_pad(p, end, delim);
        fsnsa_status st = reserve_field(out, max_fields, path, line_no, err);
        if (st != FSNSA_OK)
            return st;
        fsnsa__field *f = &out->f[out->n];
        f->col = out->n + 1;
        f->quoted = false;
        char *next = NULL;
        if (p < end && *p != '\0' && is_quote(quotes, *p)) {
            st = quoted_field(p, end, delim, backslash, f, &next, path,
                              line_no, err);
            if (st != FSNSA_OK)
                return st;
        } else if (delim == ' ') {
            next = blank_field(p, end, f);
        } else {
            next = delimited_field(p, end, delim, f);
        }
        out->n++;
        if (next == NULL)
            return FSNSA_OK;
        p = next;
    }
}

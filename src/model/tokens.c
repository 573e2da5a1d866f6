/* The model reader's tokenizer: lines, blank-separated tokens, and one
 * getter per kind of value the writer produces (sizes, seeds, decimal
 * numbers, quoted strings, names). Each getter accepts exactly what the
 * writer writes and names the file and line of anything else. */
#include "tokens.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void fsnsa__tok_show(const char *s, size_t n, char *out, size_t size)
{
    size_t k = 0;
    if (n == 0) {
        snprintf(out, size, "end of line");
        return;
    }
    out[k++] = '\'';
    for (size_t i = 0; i < n && k + 5 < size && i < 32; i++) {
        unsigned char c = (unsigned char)s[i];
        out[k++] = c >= 0x20 && c < 0x7F ? (char)c : '?';
    }
    if (n > 32 && k + 5 < size) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k++] = '\'';
    out[k] = 0;
}

fsnsa_status fsnsa__tok_fail(fsnsa__tokens *r, size_t lineno,
                             fsnsa_status code, const char *fmt, ...)
{
    char msg[FSNSA_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fsnsa__fail(r->err, code, "%s:%zu: %s", r->name, lineno, msg);
}

bool fsnsa__tok_next_line(fsnsa__tokens *r)
{
    if (r->pos >= r->end)
        return false;
    /* Every line before the checksum line ends with '\n'. */
    const char *nl = memchr(r->buf + r->pos, '\n', r->end - r->pos);
    r->line = r->buf + r->pos;
    r->llen = (size_t)(nl - r->line);
    r->pos += r->llen + 1;
    r->lineno++;
    r->at = 0;
    return true;
}

static void skip_blanks(fsnsa__tokens *r)
{
    while (r->at < r->llen && (r->line[r->at] == ' ' || r->line[r->at] == '\t'))
        r->at++;
}

size_t fsnsa__tok_word(fsnsa__tokens *r, const char **w)
{
    skip_blanks(r);
    size_t start = r->at;
    while (r->at < r->llen && r->line[r->at] != ' ' && r->line[r->at] != '\t')
        r->at++;
    *w = r->line + start;
    return r->at - start;
}

/* Version policy: a newer minor version only adds lines. */
bool fsnsa__tok_newer(const fsnsa__tokens *r, const char *w, size_t n)
{
    return r->minor > MODEL_MINOR && n > 0 && !fsnsa__model_known_key(w, n);
}

fsnsa_status fsnsa__tok_expect(fsnsa__tokens *r, const char *key)
{
    for (;;) {
        if (!fsnsa__tok_next_line(r))
            return fsnsa__tok_fail(r, r->lineno + 1, FSNSA_ERR_FORMAT,
                                   "expected '%s', found the checksum line",
                                   key);
        const char *w;
        size_t n = fsnsa__tok_word(r, &w);
        if (fsnsa__is_key(w, n, key))
            return FSNSA_OK;
        if (fsnsa__tok_newer(r, w, n))
            continue;
        char t[48];
        fsnsa__tok_show(w, n, t, sizeof t);
        return BAD(r, "expected '%s', found %s", key, t);
    }
}

bool fsnsa__tok_optional(fsnsa__tokens *r, const char *key)
{
    fsnsa__tokens save = *r;
    while (fsnsa__tok_next_line(r)) {
        const char *w;
        size_t n = fsnsa__tok_word(r, &w);
        if (fsnsa__is_key(w, n, key))
            return true;
        if (!fsnsa__tok_newer(r, w, n))
            break;
    }
    *r = save;
    return false;
}

fsnsa_status fsnsa__tok_end(fsnsa__tokens *r)
{
    const char *w;
    size_t n = fsnsa__tok_word(r, &w);
    if (n == 0)
        return FSNSA_OK;
    char t[48];
    fsnsa__tok_show(w, n, t, sizeof t);
    return BAD(r, "unexpected %s at the end of the line", t);
}

fsnsa_status fsnsa__tok_room(fsnsa__tokens *r, size_t count, size_t each,
                             const char *what)
{
    if (count > (r->end - r->pos + r->llen) / each)
        return BAD(r, "%zu %s cannot fit in the rest of the file", count, what);
    return FSNSA_OK;
}

fsnsa_status fsnsa__tok_size(fsnsa__tokens *r, size_t *v, size_t limit,
                             const char *what)
{
    const char *w;
    size_t n = fsnsa__tok_word(r, &w);
    char t[48];
    bool overflow = false;
    size_t x = 0;
    if (n == 0)
        return BAD(r, "missing %s", what);
    for (size_t i = 0; i < n; i++) {
        if (w[i] < '0' || w[i] > '9') {
            fsnsa__tok_show(w, n, t, sizeof t);
            return BAD(r, "%s: expected a non-negative integer, found %s", what, t);
        }
        size_t d = (size_t)(w[i] - '0');
        if (x > (SIZE_MAX - d) / 10)
            overflow = true;
        else
            x = x * 10 + d;
    }
    if (overflow || x > limit) {
        fsnsa__tok_show(w, n, t, sizeof t);
        return fsnsa__tok_fail(r, r->lineno, FSNSA_ERR_LIMIT,
                               "%s %s exceeds the limit of %zu", what, t, limit);
    }
    *v = x;
    return FSNSA_OK;
}

fsnsa_status fsnsa__tok_u64(fsnsa__tokens *r, uint64_t *v, const char *what)
{
    const char *w;
    size_t n = fsnsa__tok_word(r, &w);
    uint64_t x = 0;
    bool ok = n > 0;
    for (size_t i = 0; ok && i < n; i++) {
        unsigned d = (unsigned)(w[i] - '0');
        if (w[i] < '0' || w[i] > '9' || x > (UINT64_MAX - d) / 10)
            ok = false;
        else
            x = x * 10 + d;
    }
    if (!ok) {
        char t[48];
        fsnsa__tok_show(w, n, t, sizeof t);
        return BAD(r, "%s: expected an integer in [0, 2^64), found %s", what, t);
    }
    *v = x;
    return FSNSA_OK;
}

/* -?digits[.digits][e[+-]digits]: what the writer produces. Checked
 * before strtod, which would also take hex, "inf", "nan" and blanks. */
static bool is_decimal(const char *w, size_t n)
{
    size_t i = 0, digits = 0;
    if (i < n && w[i] == '-')
        i++;
    while (i < n && w[i] >= '0' && w[i] <= '9')
        i++, digits++;
    if (i < n && w[i] == '.') {
        i++;
        while (i < n && w[i] >= '0' && w[i] <= '9')
            i++, digits++;
    }
    if (digits == 0)
        return false;
    if (i < n && (w[i] == 'e' || w[i] == 'E')) {
        i++;
        if (i < n && (w[i] == '+' || w[i] == '-'))
            i++;
        size_t ed = 0;
        while (i < n && w[i] >= '0' && w[i] <= '9')
            i++, ed++;
        if (ed == 0)
            return false;
    }
    return i == n;
}

/* The token as a NUL-terminated string for strtod; numbers are short. */
static bool copy_token(const char *w, size_t n, char *t, size_t size)
{
    if (n >= size)
        return false;
    memcpy(t, w, n);
    t[n] = 0;
    return true;
}

fsnsa_status fsnsa__tok_double(fsnsa__tokens *r, double *v, bool special,
                               const char *what)
{
    const char *w;
    size_t n = fsnsa__tok_word(r, &w);
    char t[64];
    if (special && (fsnsa__is_key(w, n, "nan") || fsnsa__is_key(w, n, "inf") ||
                    fsnsa__is_key(w, n, "-inf"))) {
        *v = w[0] == 'n' ? NAN : w[0] == 'i' ? INFINITY : -INFINITY;
        return FSNSA_OK;
    }
    if (is_decimal(w, n) && copy_token(w, n, t, sizeof t)) {
        char *e;
        double x = strtod(t, &e);
        if (*e == 0 && isfinite(x)) {
            *v = x;
            return FSNSA_OK;
        }
    }
    fsnsa__tok_show(w, n, t, sizeof t);
    return BAD(r, "%s: expected a finite number, found %s", what, t);
}

fsnsa_status fsnsa__tok_floats(fsnsa__tokens *r, float *v, size_t count,
                               const char *what)
{
    for (size_t i = 0; i < count; i++) {
        const char *w;
        size_t n = fsnsa__tok_word(r, &w);
        char t[64];
        if (is_decimal(w, n) && copy_token(w, n, t, sizeof t)) {
            char *e;
            float x = strtof(t, &e);
            if (*e == 0 && isfinite(x)) {
                v[i] = x;
                continue;
            }
        }
        fsnsa__tok_show(w, n, t, sizeof t);
        return BAD(r, "%s: value %zu of %zu: expected a finite float32, found %s",
                   what, i + 1, count, t);
    }
    return fsnsa__tok_end(r);
}

/* The escape after a backslash in a quoted string, decoded into *c; the
 * cursor is after the backslash. NULL, or what is wrong with it. */
static const char *unescape(fsnsa__tokens *r, char *c)
{
    char e = r->at < r->llen ? r->line[r->at++] : 0;
    int hi, lo;
    switch (e) {
    case '\\': *c = '\\'; return NULL;
    case '"': *c = '"'; return NULL;
    case 'n': *c = '\n'; return NULL;
    case 'r': *c = '\r'; return NULL;
    case 't': *c = '\t'; return NULL;
    case 'x':
        hi = r->at + 1 < r->llen ? fsnsa__hex_digit(r->line[r->at]) : -1;
        lo = hi >= 0 ? fsnsa__hex_digit(r->line[r->at + 1]) : -1;
        if (lo < 0 || (hi == 0 && lo == 0))
            return "bad \\x escape (two hex digits, not 00)";
        *c = (char)(hi * 16 + lo);
        r->at += 2;
        return NULL;
    default:
        return "unknown escape in a string";
    }
}

/* The string after its opening quote, up to its closing one, into s
 * (which has room for the rest of the line: the decoded string is never
 * longer than its escaped form). */
static fsnsa_status quoted(fsnsa__tokens *r, char *s, const char *what)
{
    size_t k = 0;
    for (;;) {
        if (r->at >= r->llen)
            return BAD(r, "%s: string not closed by '\"'", what);
        unsigned char c = (unsigned char)r->line[r->at++];
        if (c == '"')
            break;
        if (c < 0x20 || c == 0x7F)
            return BAD(r, "%s: raw control character 0x%02x in a string", what, c);
        if (c != '\\') {
            s[k++] = (char)c;
            continue;
        }
        const char *why = unescape(r, &s[k++]);
        if (why != NULL)
            return BAD(r, "%s: %s", what, why);
    }
    s[k] = 0;
    if (r->at < r->llen && r->line[r->at] != ' ' && r->line[r->at] != '\t')
        return BAD(r, "%s: text right after the closing quote", what);
    return FSNSA_OK;
}

fsnsa_status fsnsa__tok_string(fsnsa__tokens *r, char **out, const char *what)
{
    *out = NULL;
    skip_blanks(r);
    if (r->at < r->llen && r->line[r->at] == '-') {
        r->at++;
        if (r->at < r->llen && r->line[r->at] != ' ' && r->line[r->at] != '\t')
            return BAD(r, "%s: expected a quoted string or '-'", what);
        return FSNSA_OK;
    }
    if (r->at >= r->llen || r->line[r->at] != '"')
        return BAD(r, "%s: expected a quoted string or '-'", what);
    size_t start = ++r->at;
    char *s = malloc(r->llen - start + 1);
    if (s == NULL)
        return fsnsa__nomem(r->err, "a string");
    fsnsa_status st = quoted(r, s, what);
    if (st != FSNSA_OK) {
        free(s);
        return st;
    }
    *out = s;
    return FSNSA_OK;
}

fsnsa_status fsnsa__tok_char(fsnsa__tokens *r, char *c, const char *what)
{
    char *s;
    TRY(fsnsa__tok_string(r, &s, what));
    bool one = s == NULL || (s[0] != 0 && s[1] == 0);
    *c = s != NULL ? s[0] : 0;
    free(s);
    if (!one)
        return BAD(r, "%s: expected one character in quotes, or '-'", what);
    return FSNSA_OK;
}

fsnsa_status fsnsa__tok_enum(fsnsa__tokens *r, const char *const *names,
                             size_t count, int *v, const char *what)
{
    const char *w;
    size_t n = fsnsa__tok_word(r, &w);
    for (size_t i = 0; i < count; i++) {
        if (fsnsa__is_key(w, n, names[i])) {
            *v = (int)i;
            return FSNSA_OK;
        }
    }
    char t[48];
    fsnsa__tok_show(w, n, t, sizeof t);
    return BAD(r, "unknown %s %s", what, t);
}

fsnsa_status fsnsa__tok_key_size(fsnsa__tokens *r, const char *key, size_t *v,
                                 size_t limit)
{
    TRY(fsnsa__tok_expect(r, key));
    TRY(fsnsa__tok_size(r, v, limit, key));
    return fsnsa__tok_end(r);
}

fsnsa_status fsnsa__tok_key_double(fsnsa__tokens *r, const char *key,
                                   double *v, bool special)
{
    TRY(fsnsa__tok_expect(r, key));
    TRY(fsnsa__tok_double(r, v, special, key));
    return fsnsa__tok_end(r);
}

fsnsa_status fsnsa__tok_key_enum(fsnsa__tokens *r, const char *key,
                                 const char *const *names, size_t count,
                                 int *v)
{
    TRY(fsnsa__tok_expect(r, key));
    TRY(fsnsa__tok_enum(r, names, count, v, key));
    return fsnsa__tok_end(r);
}

fsnsa_status fsnsa__tok_key_string(fsnsa__tokens *r, const char *key,
                                   char **v)
{
    TRY(fsnsa__tok_expect(r, key));
    TRY(fsnsa__tok_string(r, v, key));
    return fsnsa__tok_end(r);
}

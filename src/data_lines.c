/* Text input for the data readers: a streaming line reader over zlib
 * (which reads plain files transparently), an in-place field splitter, a
 * fast number parser and a string dictionary. */
#include "data_internal.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define INITIAL_BUF ((size_t)256 << 10)

fsnsa_status fsnsa__lines_open(fsnsa__lines *r, const char *path,
                               fsnsa_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    errno = 0;
    gzFile gz = gzopen(path, "rb");
    if (gz == NULL)
        return fsnsa__fail(err, FSNSA_ERR_IO, "%s: cannot open: %s", path,
                           errno ? strerror(errno) : "out of memory");
    gzbuffer(gz, 128u << 10);
    r->gz = gz;
    r->cap = INITIAL_BUF;
    r->buf = malloc(r->cap + 1);
    if (r->buf == NULL) {
        fsnsa__lines_close(r);
        return fsnsa__nomem(err, "a line buffer");
    }
    return FSNSA_OK;
}

void fsnsa__lines_close(fsnsa__lines *r)
{
    if (r->gz != NULL)
        gzclose((gzFile)r->gz);
    free(r->buf);
    r->gz = NULL;
    r->buf = NULL;
}

/* A NUL byte in freshly read data: say on which line it is. */
static fsnsa_status binary_error(fsnsa__lines *r, const char *nul,
                                 fsnsa_error *err)
{
    size_t line = r->line_no + 1;
    const char *ls = r->buf + r->start;
    for (const char *p = ls; p < nul; p++)
        if (*p == '\n') {
            line++;
            ls = p + 1;
        }
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:%zu: not a text file (NUL byte)", r->path, line,
                       (size_t)(nul - ls) + 1);
}

fsnsa_status fsnsa__lines_next(fsnsa__lines *r, char **line, size_t *len,
                               fsnsa_error *err)
{
    char *s;
    size_t n;
    for (;;) {
        size_t avail = r->end - r->start;
        char *nl = memchr(r->buf + r->start, '\n', avail);
        if (nl != NULL) {
            s = r->buf + r->start;
            n = (size_t)(nl - s);
            r->start += n + 1;
            break;
        }
        if (r->eof) {
            if (avail == 0) {
                *line = NULL;
                *len = 0;
                return FSNSA_OK;
            }
            s = r->buf + r->start;
            n = avail;
            r->start = r->end;
            break;
        }
        if (r->start > 0) {
            memmove(r->buf, r->buf + r->start, avail);
            r->end = avail;
            r->start = 0;
        }
        if (r->end == r->cap) {
            /* The buffer holds one unfinished line: grow up to the limit. */
            if (r->cap > FSNSA__MAX_LINE)
                return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                                   "%s:%zu:%zu: line longer than %zu bytes",
                                   r->path, r->line_no + 1, FSNSA__MAX_LINE + 1,
                                   FSNSA__MAX_LINE);
            size_t ncap = r->cap * 2;
            if (ncap > FSNSA__MAX_LINE + 1)
                ncap = FSNSA__MAX_LINE + 1;
            char *nb = realloc(r->buf, ncap + 1);
            if (nb == NULL)
                return fsnsa__nomem(err, "a line buffer");
            r->buf = nb;
            r->cap = ncap;
        }
        size_t want = r->cap - r->end;
        if (want > INT_MAX)
            want = INT_MAX;
        int got = gzread((gzFile)r->gz, r->buf + r->end, (unsigned)want);
        if (got < 0) {
            int zerr;
            const char *msg = gzerror((gzFile)r->gz, &zerr);
            return fsnsa__fail(err, FSNSA_ERR_IO, "%s:%zu: cannot read: %s",
                               r->path, r->line_no + 1,
                               zerr == Z_ERRNO ? strerror(errno) : msg);
        }
        if (got == 0) {
            r->eof = true;
            continue;
        }
        const char *nul = memchr(r->buf + r->end, 0, (size_t)got);
        r->end += (size_t)got;
        if (nul != NULL)
            return binary_error(r, nul, err);
    }
    r->line_no++;
    if (n > FSNSA__MAX_LINE)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s:%zu:%zu: line longer than %zu bytes", r->path,
                           r->line_no, FSNSA__MAX_LINE + 1, FSNSA__MAX_LINE);
    if (n > 0 && s[n - 1] == '\r')
        n--;
    s[n] = '\0'; /* the '\n', or the spare byte after the buffer */
    *line = s;
    *len = n;
    return FSNSA_OK;
}

/* ------------------------------------------------------------------ */

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

fsnsa_status fsnsa__split(char *line, size_t len, char delim,
                          const char *quotes, bool backslash,
                          fsnsa__fields *out, size_t max_fields,
                          const char *path, size_t line_no, fsnsa_error *err)
{
    char *p = line, *end = line + len;
    bool blanks = delim == ' ';
    /* Blanks around a field are dropped, except the delimiter itself. */
#define SKIP_PAD()                                                            \
    while (p < end && (*p == ' ' || (*p == '\t' && delim != '\t')))           \
    p++
    out->n = 0;
    if (blanks) {
        while (p < end && is_blank(*p))
            p++;
        if (p == end)
            return FSNSA_OK;
    }
    for (;;) {
        SKIP_PAD();
        if (out->n == out->cap) {
            size_t ncap = out->cap ? out->cap * 2 : 64;
            fsnsa__field *nf = fsnsa__alloc(ncap, sizeof *nf);
            if (nf == NULL)
                return fsnsa__nomem(err, "fields");
            if (out->n)
                memcpy(nf, out->f, out->n * sizeof *nf);
            free(out->f);
            out->f = nf;
            out->cap = ncap;
        }
        if (out->n >= max_fields)
            return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                               "%s:%zu:%zu: more than %zu fields", path,
                               line_no, out->n + 1, max_fields);
        fsnsa__field *f = &out->f[out->n];
        f->col = out->n + 1;
        f->quoted = false;
        if (p < end && *p != '\0' && quotes != NULL && strchr(quotes, *p)) {
            char q = *p++;
            char *w = p, *start = p;
            for (;;) {
                if (p == end)
                    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                                       "%s:%zu:%zu: unterminated quoted field",
                                       path, line_no, f->col);
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
            char *after = p;
            if (blanks) {
                while (p < end && is_blank(*p))
                    p++;
                if (p < end && p == after)
                    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                                       "%s:%zu:%zu: text after a closing quote",
                                       path, line_no, f->col);
                *w = '\0';
                out->n++;
                if (p == end)
                    return FSNSA_OK;
                continue;
            }
            SKIP_PAD();
            if (p < end && *p != delim)
                return fsnsa__fail(err, FSNSA_ERR_PARSE,
                                   "%s:%zu:%zu: text after a closing quote",
                                   path, line_no, f->col);
            *w = '\0';
        } else if (blanks) {
            char *start = p;
            while (p < end && !is_blank(*p))
                p++;
            f->s = start;
            f->len = (size_t)(p - start);
            bool at_end = p == end;
            *p = '\0';
            out->n++;
            if (at_end)
                return FSNSA_OK;
            p++;
            while (p < end && is_blank(*p))
                p++;
            if (p == end)
                return FSNSA_OK;
            continue;
        } else {
            char *start = p;
            char *e = p < end ? memchr(p, delim, (size_t)(end - p)) : NULL;
            if (e == NULL)
                e = end;
            char *t = e;
            while (t > start && (t[-1] == ' ' || (t[-1] == '\t' && delim != '\t')))
                t--;
            p = e;
            f->s = start;
            f->len = (size_t)(t - start);
            *t = '\0';
        }
        out->n++;
        if (p >= end)
            return FSNSA_OK;
        p++; /* past the delimiter; a trailing one makes an empty field */
    }
#undef SKIP_PAD
}

/* ------------------------------------------------------------------ */

static const double pow10_exact[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

int fsnsa__parse_number(const char *s, size_t len, char mark, float *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    uint64_t mant = 0;
    int dexp = 0, digits = 0;
    bool any = false, exact = true;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        any = true;
        if (digits < 19) {
            mant = mant * 10 + (uint64_t)(s[i] - '0');
            if (mant)
                digits++;
        } else {
            dexp++;
            exact = false;
        }
        i++;
    }
    if (i < len && s[i] == mark) {
        /* a decimal comma needs a digit on both sides: "1," and ",5" are
         * words (the comma is too common in text to be read loosely) */
        if (mark != '.' && (!any || i + 1 == len || s[i + 1] < '0' ||
                            s[i + 1] > '9'))
            return -1;
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            any = true;
            if (digits < 19) {
                mant = mant * 10 + (uint64_t)(s[i] - '0');
                if (mant)
                    digits++;
                dexp--;
            } else {
                exact = false;
            }
            i++;
        }
    }
    if (!any)
        return -1;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        if (i == len || s[i] < '0' || s[i] > '9')
            return -1;
        int e = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (e < 100000)
                e = e * 10 + (s[i] - '0');
            i++;
        }
        dexp += eneg ? -e : e;
    }
    if (i != len)
        return -1;
    double v;
    /* Exact mantissa and power of ten: one correctly rounded operation. */
    if (exact && mant <= ((uint64_t)1 << 53) && dexp >= -22 && dexp <= 22) {
        v = (double)mant;
        v = dexp < 0 ? v / pow10_exact[-dexp] : v * pow10_exact[dexp];
    } else {
        char tmp[512];
        if (len >= sizeof tmp)
            return -1;
        memcpy(tmp, s, len);
        tmp[len] = '\0';
        char *m = mark != '.' ? memchr(tmp, mark, len) : NULL;
        if (m != NULL)
            *m = '.';
        v = strtod(tmp, NULL);
    }
    if (neg)
        v = -v;
    float f = (float)v;
    if (isinf(f) || isnan(f))
        return -2;
    *out = f;
    return 0;
}

const char *fsnsa__show(char *buf, size_t size, const char *s, size_t len)
{
    size_t k = 0, lim = size > 4 ? size - 4 : 0;
    for (size_t i = 0; i < len && k < lim; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[k++] = c >= 32 && c < 127 ? (char)c : '?';
    }
    if (len > lim && size > 4) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k < size ? k : size - 1] = '\0';
    return buf;
}

void fsnsa__canon(char *buf, size_t size, float v)
{
    snprintf(buf, size, "%.9g", (double)v);
}

bool fsnsa__ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (char)(y + 32);
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* ------------------------------------------------------------------ */

static uint64_t hash_str(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

void fsnsa__dict_free(fsnsa__dict *d)
{
    free(d->text);
    free(d->off);
    free(d->slot);
    size_t limit = d->limit;
    memset(d, 0, sizeof *d);
    d->limit = limit;
}

static size_t str_len(const fsnsa__dict *d, size_t id)
{
    size_t next = id + 1 < d->n ? d->off[id + 1] : d->text_len;
    return next - d->off[id] - 1;
}

size_t fsnsa__dict_find(const fsnsa__dict *d, const char *s, size_t len)
{
    if (d->n_slots == 0)
        return SIZE_MAX;
    size_t mask = d->n_slots - 1;
    for (size_t h = (size_t)hash_str(s, len) & mask;; h = (h + 1) & mask) {
        uint32_t v = d->slot[h];
        if (v == 0)
            return SIZE_MAX;
        size_t id = v - 1;
        if (str_len(d, id) == len && memcmp(d->text + d->off[id], s, len) == 0)
            return id;
    }
}

static bool rehash(fsnsa__dict *d, size_t n_slots)
{
    uint32_t *slot = fsnsa__calloc(n_slots, sizeof *slot);
    if (slot == NULL)
        return false;
    size_t mask = n_slots - 1;
    for (size_t id = 0; id < d->n; id++) {
        size_t h = (size_t)hash_str(d->text + d->off[id], str_len(d, id)) & mask;
        while (slot[h] != 0)
            h = (h + 1) & mask;
        slot[h] = (uint32_t)(id + 1);
    }
    free(d->slot);
    d->slot = slot;
    d->n_slots = n_slots;
    return true;
}

int fsnsa__dict_intern(fsnsa__dict *d, const char *s, size_t len, size_t *id)
{
    size_t found = fsnsa__dict_find(d, s, len);
    if (found != SIZE_MAX) {
        *id = found;
        return 0;
    }
    size_t limit = d->limit ? d->limit : FSNSA__MAX_NOMINAL;
    if (d->n >= limit)
        return -2;
    if (d->n == d->cap) {
        size_t ncap = d->cap ? d->cap * 2 : 8;
        size_t *no = realloc(d->off, ncap * sizeof *no);
        if (no == NULL)
            return -1;
        d->off = no;
        d->cap = ncap;
    }
    if (d->text_cap - d->text_len < len + 1) {
        size_t ncap = d->text_cap ? d->text_cap : 64;
        while (ncap - d->text_len < len + 1)
            ncap *= 2;
        char *nt = realloc(d->text, ncap);
        if (nt == NULL)
            return -1;
        d->text = nt;
        d->text_cap = ncap;
    }
    if ((d->n + 1) * 2 > d->n_slots &&
        !rehash(d, d->n_slots ? d->n_slots * 2 : 16))
        return -1;
    d->off[d->n] = d->text_len;
    memcpy(d->text + d->text_len, s, len);
    d->text[d->text_len + len] = '\0';
    d->text_len += len + 1;
    size_t mask = d->n_slots - 1;
    size_t h = (size_t)hash_str(s, len) & mask;
    while (d->slot[h] != 0)
        h = (h + 1) & mask;
    d->slot[h] = (uint32_t)(d->n + 1);
    *id = d->n++;
    return 1;
}

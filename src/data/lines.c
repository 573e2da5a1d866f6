/* Text input for the data readers: a streaming line reader over zlib
 * (which reads plain files transparently), an in-place field splitter, a
 * fast number parser and a string dictionary. */
#include "data.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define INITIAL_BUF ((size_t)256 << 10)

size_t fsnsa__line_limit(const fsnsa_read_options *opt)
{
    size_t cols = opt != NULL && opt->max_cols ? opt->max_cols
                                               : FSNSA__DEFAULT_MAX_COLS;
    size_t fields, bytes;
    if (!fsnsa__add(cols, 1, &fields) ||
        !fsnsa__mul(fields, FSNSA__LINE_BYTES_PER_FIELD, &bytes) ||
        bytes > FSNSA__MAX_LINE_CAP)
        return FSNSA__MAX_LINE_CAP;
    return bytes < FSNSA__MIN_LINE ? FSNSA__MIN_LINE : bytes;
}

fsnsa_status fsnsa__lines_open(fsnsa__lines *r, const char *path,
                               const fsnsa_read_options *opt,
                               fsnsa_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->max_line = fsnsa__line_limit(opt);
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

/* Line and 1-based column of the byte at `at` (read, not yet returned
 * as a line), counting line ends as fsnsa__lines_next does. */
static void text_position(const fsnsa__lines *r, const char *at,
                          size_t *line, size_t *col)
{
    size_t n = r->line_no + 1;
    const char *ls = r->buf + r->start;
    for (const char *p = ls; p < at; p++) {
        if (*p == '\n') {
            n++;
            ls = p + 1;
        } else if (*p == '\r') {
            const char *q = p;
            while (q < at && *q == '\r')
                q++;
            if (q < at && *q == '\n') {
                p = q - 1; /* the '\n' ends the line */
                continue;
            }
            n += (size_t)(q - p);
            ls = q;
            p = q - 1;
        }
    }
    *line = n;
    *col = (size_t)(at - ls) + 1;
}

static fsnsa_status binary_error(fsnsa__lines *r, const char *nul,
                                 fsnsa_error *err)
{
    size_t line, col;
    text_position(r, nul, &line, &col);
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:%zu: not a text file (NUL byte)", r->path, line,
                       col);
}

/* Text in a wide Unicode encoding without a byte-order mark, judged by
 * the NULs that ASCII characters leave in its first bytes: every byte at
 * the other positions of a code unit is a NUL for ASCII, none at its own.
 * Returns the name iconv knows it by, or NULL. */
static const char *unmarked_wide(const unsigned char *b, size_t n)
{
    size_t k = (n < 64 ? n : 64) & ~(size_t)3;
    if (k < 4)
        return NULL;
    size_t zero[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < k; i++)
        zero[i % 4] += b[i] == 0;
    size_t q = k / 4; /* bytes at each position mod 4 */
    if (zero[0] == 0 && zero[1] == q && zero[2] == q && zero[3] == q)
        return "UTF-32LE";
    if (zero[0] == q && zero[1] == q && zero[2] == q && zero[3] == 0)
        return "UTF-32BE";
    /* UTF-16: non-ASCII letters have a high byte too, so half will do */
    if (zero[0] + zero[2] == 0 && zero[1] + zero[3] >= q)
        return "UTF-16LE";
    if (zero[1] + zero[3] == 0 && zero[0] + zero[2] >= q)
        return "UTF-16BE";
    return NULL;
}

/* The first bytes of the file (after gzip), b[0..n), before anything
 * else looks at them: skip a UTF-8 byte-order mark; refuse UTF-16 and
 * UTF-32 with the command that converts them; a lone 0x1f byte is a gzip
 * file cut after its first byte (zlib reads it as plain text). */
static fsnsa_status check_start(fsnsa__lines *r, const unsigned char *b,
                                size_t n, fsnsa_error *err)
{
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        r->start = 3;
        return FSNSA_OK;
    }
    bool direct = gzdirect((gzFile)r->gz) != 0;
    if (n == 1 && b[0] == 0x1F && direct)
        return fsnsa__fail(err, FSNSA_ERR_IO,
                           "%s:1:2: the gzip data stop here, after the first "
                           "byte of the gzip header: the file is cut short",
                           r->path);
    const char *what = NULL, *from = NULL;
    if (n >= 4 && memcmp(b, "\xFF\xFE\0\0", 4) == 0)
        what = "UTF-32 text (little-endian, with a byte-order mark)",
        from = "UTF-32";
    else if (n >= 4 && memcmp(b, "\0\0\xFE\xFF", 4) == 0)
        what = "UTF-32 text (big-endian, with a byte-order mark)",
        from = "UTF-32";
    else if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        what = "UTF-16 text (little-endian, with a byte-order mark)",
        from = "UTF-16";
    else if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        what = "UTF-16 text (big-endian, with a byte-order mark)",
        from = "UTF-16";
    else if ((from = unmarked_wide(b, n)) != NULL)
        what = from[4] == '3' ? "UTF-32 text (no byte-order mark)"
                              : "UTF-16 text (no byte-order mark)";
    if (what == NULL)
        return FSNSA_OK;
    if (direct)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:1:1: the file is %s, but fsnsa reads UTF-8: "
                           "convert it first, e.g. with 'iconv -f %s -t "
                           "UTF-8 %s > new.csv'",
                           r->path, what, from, r->path);
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:1:1: the file is %s, but fsnsa reads UTF-8: "
                       "convert it first, e.g. with 'zcat %s | iconv -f %s "
                       "-t UTF-8 > new.csv'",
                       r->path, what, r->path, from);
}

/* zlib's verdict after a read that left the text at `at`: the stream
 * cut short, damaged, or a read error, said where the text stops. */
static fsnsa_status gzip_error(fsnsa__lines *r, const char *at, int zerr,
                               const char *zmsg, fsnsa_error *err)
{
    size_t line, col;
    text_position(r, at, &line, &col);
    if (zerr == Z_ERRNO)
        return fsnsa__fail(err, FSNSA_ERR_IO, "%s:%zu:%zu: cannot read: %s",
                           r->path, line, col, strerror(errno));
    if (zerr == Z_MEM_ERROR)
        return fsnsa__nomem(err, "zlib");
    if (zerr == Z_BUF_ERROR)
        return fsnsa__fail(err, FSNSA_ERR_IO,
                           "%s:%zu:%zu: the gzip data stop here, before the "
                           "end of the stream: the file is cut short (or "
                           "damaged)",
                           r->path, line, col);
    /* zlib's message starts with the path it was given */
    size_t pl = strlen(r->path);
    if (zmsg != NULL && strncmp(zmsg, r->path, pl) == 0 &&
        strncmp(zmsg + pl, ": ", 2) == 0)
        zmsg += pl + 2;
    return fsnsa__fail(err, FSNSA_ERR_IO, "%s:%zu:%zu: damaged gzip data: %s",
                       r->path, line, col,
                       zmsg != NULL ? zmsg : "unknown error");
}

static void shift_mark(size_t *mark, size_t by)
{
    *mark = *mark > by ? *mark - by : 0;
}

/* More bytes after r->end: move the unfinished line to the front, grow the
 * buffer when it is full (up to the line limit), read. Sets r->eof at the
 * end of the data. */
static fsnsa_status fill(fsnsa__lines *r, fsnsa_error *err)
{
    if (r->start > 0) {
        size_t avail = r->end - r->start;
        memmove(r->buf, r->buf + r->start, avail);
        shift_mark(&r->next_lf, r->start);
        shift_mark(&r->next_cr, r->start);
        shift_mark(&r->lone_cr_end, r->start);
        r->end = avail;
        r->start = 0;
    }
    if (r->end == r->cap) {
        /* The buffer holds one unfinished line: grow up to the limit,
         * with room for the line end "\r\r\n". */
        size_t hard = r->max_line + 3;
        if (r->cap >= hard)
            return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                               "%s:%zu:%zu: line longer than %zu bytes",
                               r->path, r->line_no + 1, r->max_line + 1,
                               r->max_line);
        size_t ncap = r->cap * 2 < hard ? r->cap * 2 : hard;
        char *nb = realloc(r->buf, ncap + 1);
        if (nb == NULL)
            return fsnsa__nomem(err, "a line buffer");
        r->buf = nb;
        r->cap = ncap;
    }
    size_t want = r->cap - r->end;
    if (want > INT_MAX)
        want = INT_MAX;
    char *at = r->buf + r->end;
    int got = gzread((gzFile)r->gz, at, (unsigned)want);
    /* A stream cut short is no error to gzread (it might be growing), only
     * to gzerror; a damaged one may return the bytes before its error.
     * Either way the text read may be wrong (a damaged stream can also
     * end in a cut): refused before any of it is used. */
    int zerr;
    const char *zmsg = gzerror((gzFile)r->gz, &zerr);
    if (got < 0 || zerr != Z_OK)
        return gzip_error(r, at + (got > 0 ? got : 0), zerr, zmsg, err);
    if (!r->begun) {
        r->begun = true;
        fsnsa_status st = check_start(r, (const unsigned char *)at,
                                      (size_t)got, err);
        if (st != FSNSA_OK)
            return st;
    }
    if (got == 0) {
        r->eof = true;
        return FSNSA_OK;
    }
    const char *nul = memchr(at, 0, (size_t)got);
    r->end += (size_t)got;
    return nul != NULL ? binary_error(r, nul, err) : FSNSA_OK;
}

/* The first byte c at or after r->start, or NULL, searching only bytes
 * not searched before (see next_lf in fsnsa__lines). */
static char *find_byte(fsnsa__lines *r, size_t *mark, char c)
{
    if (*mark < r->start)
        *mark = r->start;
    if (*mark == r->end || r->buf[*mark] != c) {
        char *p = memchr(r->buf + *mark, c, r->end - *mark);
        *mark = p != NULL ? (size_t)(p - r->buf) : r->end;
    }
    return *mark < r->end ? r->buf + *mark : NULL;
}

fsnsa_status fsnsa__lines_next(fsnsa__lines *r, char **line, size_t *len,
                               fsnsa_error *err)
{
    size_t s, n, next; /* the line's offset and length; the next line's */
    for (;;) {
        s = r->start;
        char *cr = find_byte(r, &r->next_cr, '\r');
        char *lf = find_byte(r, &r->next_lf, '\n');
        if (cr != NULL && (lf == NULL || cr < lf)) {
            size_t at = (size_t)(cr - r->buf), q = at + 1;
            if (at < r->lone_cr_end) {
                n = at - s;
                next = at + 1;
                break;
            }
            /* a run of '\r' ending in '\n' is one line end */
            while (q < r->end && r->buf[q] == '\r')
                q++;
            if (q < r->end || r->eof) {
                if (q < r->end && r->buf[q] == '\n') {
                    next = q + 1;
                } else {
                    r->lone_cr_end = q;
                    next = at + 1;
                }
                n = at - s;
                break;
            }
        } else if (lf != NULL) {
            n = (size_t)(lf - r->buf) - s;
            next = s + n + 1;
            break;
        } else if (r->eof) {
            if (r->end == s) {
                *line = NULL;
                *len = 0;
                return FSNSA_OK;
            }
            n = r->end - s;
            next = r->end;
            break;
        }
        fsnsa_status st = fill(r, err);
        if (st != FSNSA_OK)
            return st;
    }
    r->start = next;
    r->line_no++;
    if (n > r->max_line)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s:%zu:%zu: line longer than %zu bytes", r->path,
                           r->line_no, r->max_line + 1, r->max_line);
    char *p = r->buf + s;
    p[n] = '\0'; /* the line end, or the spare byte after the buffer */
    *line = p;
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

/* Powers of ten as doubles: exact up to 1e22, correctly rounded beyond
 * (the compiler's conversion of the literal). */
static const double pow10_table[66] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10,
    1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21,
    1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31, 1e32,
    1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39, 1e40, 1e41, 1e42, 1e43,
    1e44, 1e45, 1e46, 1e47, 1e48, 1e49, 1e50, 1e51, 1e52, 1e53, 1e54,
    1e55, 1e56, 1e57, 1e58, 1e59, 1e60, 1e61, 1e62, 1e63, 1e64, 1e65};

/* Significant digits kept for strtod: no double and no halfway point
 * between two doubles has more than 767, so past the 800th a digit only
 * matters by being nonzero, and one '1' stands for all of them. */
#define KEEP_DIGITS 800
/* Exponent digits past this only make a value that is already 0 or
 * infinite more so; no token is long enough to shift it back. */
#define EXPONENT_CAP 1000000000000000 /* 10^15 */

/* The correctly rounded double of a valid unsigned token (sign already
 * skipped), through strtod, whatever the token's length and the caller's
 * locale: strtod gets the significant digits with no decimal mark and an
 * exponent ("0,0125" -> "125e-4"), a form no locale reads differently
 * (the mark is the only locale-dependent part of its syntax). */
static double decimal_to_double(const char *s, size_t len, char mark)
{
    char buf[KEEP_DIGITS + 1 + 16];
    size_t n = 0, i = 0;
    int64_t exp10 = 0;
    bool frac = false, sticky = false;
    for (; i < len; i++) {
        char c = s[i];
        if (c == mark) {
            frac = true;
        } else if (c < '0' || c > '9') {
            break;
        } else if (n == 0 && c == '0') {
            exp10 -= frac;
        } else if (n < KEEP_DIGITS) {
            buf[n++] = c;
            exp10 -= frac;
        } else {
            sticky |= c != '0';
            exp10 += !frac;
        }
    }
    if (n == 0)
        return 0.0;
    if (sticky) {
        buf[n++] = '1';
        exp10--;
    }
    if (i < len) { /* 'e' or 'E', then a checked exponent */
        bool eneg = s[++i] == '-';
        i += s[i] == '-' || s[i] == '+';
        int64_t e = 0;
        for (; i < len; i++)
            if (e < EXPONENT_CAP)
                e = e * 10 + (s[i] - '0');
        exp10 += eneg ? -e : e;
    }
    /* Beyond +-10^5 every value of up to 801 digits is 0 or infinite. */
    if (exp10 > 100000)
        exp10 = 100000;
    if (exp10 < -100000)
        exp10 = -100000;
    char *w = buf + n;
    *w++ = 'e';
    if (exp10 < 0) {
        *w++ = '-';
        exp10 = -exp10;
    }
    char rev[8];
    int k = 0;
    do {
        rev[k++] = (char)('0' + exp10 % 10);
        exp10 /= 10;
    } while (exp10 > 0);
    while (k > 0)
        *w++ = rev[--k];
    *w = '\0';
    return strtod(buf, NULL);
}

/* The token's value is (mant + f) * 10^dexp with 0 <= f < 1 (f > 0 only
 * when digits past the 19th were dropped); the result is what
 * (float)strtod gives: the correctly rounded double, then rounded to
 * float. Exact cases (a mantissa of up to 2^53 and 10^|dexp| <= 10^22)
 * take one correctly rounded operation. Otherwise an approximation within
 * about 5 ulp of the double decides the float whenever every double that
 * near rounds to the same float, which is all but a few in 10^7 of
 * arbitrary tokens (numpy's "%.18e" output among them); the rest, near a
 * halfway point between two floats, go to strtod. */
int fsnsa__parse_number(const char *s, size_t len, char mark, float *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    size_t body = i;
    uint64_t mant = 0;
    int64_t dexp = 0;
    int digits = 0;
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
        int64_t e = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (e < EXPONENT_CAP)
                e = e * 10 + (s[i] - '0');
            i++;
        }
        dexp += eneg ? -e : e;
    }
    if (i != len)
        return -1;
    float f;
    if (mant == 0) {
        f = 0.0f;
    } else if (exact && mant <= ((uint64_t)1 << 53) && dexp >= -22 &&
               dexp <= 22) {
        double v = (double)mant;
        f = (float)(dexp < 0 ? v / pow10_table[-dexp] : v * pow10_table[dexp]);
    } else if (dexp > 38) { /* >= 1e39 */
        return -2;
    } else if (dexp < -65) { /* < 1e-47, below half the least float */
        f = 0.0f;
    } else {
        /* Each of the four roundings (mantissa, power, operation, dropped
         * digits) is within 2^-53 relative; 2^-48 is a safe margin. */
        double v = (double)mant;
        v = dexp < 0 ? v / pow10_table[-dexp] : v * pow10_table[dexp];
        double margin = v * 0x1p-48;
        f = (float)v;
        if ((float)(v - margin) != f || (float)(v + margin) != f)
            f = (float)decimal_to_double(s + body, len - body, mark);
    }
    if (isinf(f))
        return -2;
    *out = neg ? -f : f;
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

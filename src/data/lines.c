/* The streaming line reader: zlib's gzread (which reads plain files
 * transparently) into one growing buffer, lines returned in place. The
 * first bytes are checked for byte-order marks and wide encodings, every
 * read for NUL bytes and damaged gzip data. */
#include "lines.h"

#include "limits.h"

#include <errno.h>
#include <limits.h>
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

/* Fuzz target: the streaming line reader (fsnsa__lines_*) against a plain
 * reference splitter of docs/data.md's rules, so a wrong line, line
 * number or error place is a finding like a crash. The first input byte
 * picks the reader's buffer size (64 + its low 7 bits: line ends fall at
 * every place relative to a buffer's end, lines outgrow it) and, with its
 * high bit, gzip compression of the rest, which is the text. */
#include "fuzz.h"

#include "data/data.h"

#include <string.h>
#include <zlib.h>

/* The lines of t[0..n) that end in a line end, as (offset, length) in
 * off/len; returns their count and sets *tail to where the text after the
 * last line end starts. A UTF-8 mark at the start is skipped; "\n", a run
 * of "\r" ending in "\n", or one "\r" ends a line. */
static size_t ref_lines(const uint8_t *t, size_t n, size_t *off, size_t *len,
                        size_t *tail)
{
    size_t i = n >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t ls = i, k = 0;
    while (i < n) {
        if (t[i] == '\n' || t[i] == '\r') {
            size_t j = i;
            while (j < n && t[j] == '\r')
                j++;
            off[k] = ls;
            len[k++] = i - ls;
            ls = i = t[i] == '\n'                ? i + 1
                     : j < n && t[j] == '\n' ? j + 1
                                             : i + 1;
        } else {
            i++;
        }
    }
    *tail = ls;
    return k;
}

/* Whether the reader may call t[0..n) UTF-16 or UTF-32: a mark, or a NUL
 * among the bytes its guess looks at. */
static int may_be_wide(const uint8_t *t, size_t n)
{
    return (n >= 2 && ((t[0] == 0xFF && t[1] == 0xFE) ||
                       (t[0] == 0xFE && t[1] == 0xFF))) ||
           (n >= 4 && memcmp(t, "\0\0\xFE\xFF", 4) == 0) ||
           memchr(t, 0, n < 64 ? n : 64) != NULL;
}

void fuzz_lines_check(const char *path, size_t cap, const uint8_t *t,
                      size_t n)
{
    size_t *off = malloc((n + 1) * sizeof *off);
    size_t *len = malloc((n + 1) * sizeof *len);
    FSNSA_FUZZ_CHECK(off != NULL && len != NULL);
    const uint8_t *nul = memchr(t, 0, n);
    size_t tail, nw = ref_lines(t, nul != NULL ? (size_t)(nul - t) : n, off,
                                len, &tail);
    if (nul == NULL && tail < n) { /* a last line without a line end */
        off[nw] = tail;
        len[nw++] = n - tail;
    }
    fsnsa__lines r;
    fsnsa_error err;
    FSNSA_FUZZ_CHECK(fsnsa__lines_open(&r, path, NULL, &err) == FSNSA_OK);
    if (cap < r.cap)
        r.cap = cap; /* the buffer it has is larger */
    char *line;
    size_t ln, got = 0;
    fsnsa_status st;
    while ((st = fsnsa__lines_next(&r, &line, &ln, &err)) == FSNSA_OK &&
           line != NULL) {
        FSNSA_FUZZ_CHECK(got < nw);
        FSNSA_FUZZ_CHECK(ln == len[got] && line[ln] == '\0');
        FSNSA_FUZZ_CHECK(memcmp(line, t + off[got], ln) == 0);
        FSNSA_FUZZ_CHECK(r.line_no == ++got);
    }
    if (st == FSNSA_OK) {
        FSNSA_FUZZ_CHECK(nul == NULL && got == nw);
    } else {
        /* only a NUL byte (at its place) or a wide encoding is refused */
        FSNSA_FUZZ_CHECK(st == FSNSA_ERR_PARSE);
        FSNSA_FUZZ_CHECK(strncmp(err.msg, path, strlen(path)) == 0);
        if (strstr(err.msg, ":1:1: the file is UTF-") != NULL) {
            FSNSA_FUZZ_CHECK(got == 0 && may_be_wide(t, n));
        } else {
            char where[96];
            snprintf(where, sizeof where, ":%zu:%zu: not a text file",
                     nw + 1, (size_t)(nul - t) - tail + 1);
            FSNSA_FUZZ_CHECK(nul != NULL && strstr(err.msg, where) != NULL);
        }
    }
    fsnsa__lines_close(&r);
    free(off);
    free(len);
}

int fuzz_lines(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t cap = 64 + (data[0] & 127u), n = size - 1;
    const uint8_t *t = data + 1;
    const char *path;
    if (data[0] & 128u) {
        uLong bound = compressBound((uLong)n) + 32;
        uint8_t *gz = malloc(bound);
        FSNSA_FUZZ_CHECK(gz != NULL);
        z_stream z;
        memset(&z, 0, sizeof z);
        FSNSA_FUZZ_CHECK(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
                                      Z_DEFAULT_STRATEGY) == Z_OK);
        z.next_in = (uint8_t *)t;
        z.avail_in = (uInt)n;
        z.next_out = gz;
        z.avail_out = (uInt)bound;
        FSNSA_FUZZ_CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
        path = fuzz_scratch_file(".gz", gz, bound - z.avail_out);
        deflateEnd(&z);
        free(gz);
    } else {
        /* gzip's magic would make other text of it */
        if (n >= 1 && t[0] == 0x1F && (n == 1 || t[1] == 0x8B))
            return 0;
        path = fuzz_scratch_file(".txt", t, n);
    }
    if (path != NULL)
        fuzz_lines_check(path, cap, t, n);
    return 0;
}

FSNSA_FUZZ_MAIN(lines)

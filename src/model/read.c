/* Loading a model file: read it whole (refusing a file that is no model
 * after its first bytes), read CRLF line ends as LF, check the version
 * line, refuse NUL bytes, check the checksum line, then parse the body
 * under the C locale (parse.c). */
#include "tokens.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* Magic and version on line 1 (which may end in CR LF); sets r->minor. */
static fsnsa_status check_header(fsnsa__tokens *r, size_t len)
{
    const char *nl = memchr(r->buf, '\n', len);
    size_t n = nl ? (size_t)(nl - r->buf) : len;
    size_t ml = strlen(MODEL_MAGIC);
    r->lineno = 1;
    if (len == 0)
        return BAD(r, "empty file, not an fsnsa model");
    if (nl != NULL && n > 0 && r->buf[n - 1] == '\r')
        n--;
    if (n < ml + 1 || memcmp(r->buf, MODEL_MAGIC " ", ml + 1) != 0) {
        if (nl == NULL && n < ml + 1 && memcmp(r->buf, MODEL_MAGIC " ", n) == 0)
            return BAD(r, "file truncated in the first line");
        return BAD(r, "not an fsnsa model file (the first line must be '"
                      MODEL_MAGIC " <version>')");
    }
    const char *v = r->buf + ml + 1;
    size_t vn = n - ml - 1, i = 0;
    if (memchr(v, '\r', vn) != NULL)
        return BAD(r, "the lines end in CR alone (classic Mac OS line "
                      "endings); a model file has LF or CR LF line endings");
    unsigned long major = 0, minor = 0;
    size_t dm = 0, dn = 0;
    while (i < vn && v[i] >= '0' && v[i] <= '9' && dm < 6)
        major = major * 10 + (unsigned long)(v[i++] - '0'), dm++;
    if (i < vn && v[i] == '.')
        for (i++; i < vn && v[i] >= '0' && v[i] <= '9' && dn < 6; i++, dn++)
            minor = minor * 10 + (unsigned long)(v[i] - '0');
    if (dm == 0 || dn == 0 || i != vn) {
        char t[48];
        fsnsa__tok_show(v, vn, t, sizeof t);
        return BAD(r, "bad format version %s (expected MAJOR.MINOR)", t);
    }
    if (major > MODEL_MAJOR)
        return BAD(r, "model format %lu.%lu is newer than this fsnsa (%s) reads "
                      "(%d.x); use a newer fsnsa",
                   major, minor, FSNSA_VERSION, MODEL_MAJOR);
    if (major < MODEL_MAJOR)
        return BAD(r, "model format %lu.%lu is not supported (this fsnsa reads %d.x)",
                   major, minor, MODEL_MAJOR);
    r->minor = (unsigned)minor;
    return FSNSA_OK;
}

static size_t count_lines(const char *p, size_t n)
{
    size_t k = 0;
    for (const char *q = p; (q = memchr(q, '\n', n - (size_t)(q - p))) != NULL; q++)
        k++;
    return k;
}

/* The last line must be "crc32 <8 hex digits>" over all bytes before it;
 * sets r->end to its start, where the body ends. */
static fsnsa_status check_crc(fsnsa__tokens *r, size_t len, bool verify)
{
    const char *b = r->buf;
    if (b[len - 1] != '\n') {
        r->lineno = count_lines(b, len) + 1;
        return BAD(r, "file truncated (it must end with the checksum line)");
    }
    size_t start = len - 1;
    while (start > 0 && b[start - 1] != '\n')
        start--;
    r->lineno = count_lines(b, start) + 1;
    const char *l = b + start;
    size_t n = len - 1 - start;
    unsigned long want = 0;
    bool ok = start > 0 && n == 14 && memcmp(l, "crc32 ", 6) == 0;
    for (size_t i = 6; ok && i < 14; i++) {
        int d = fsnsa__hex_digit(l[i]);
        ok = d >= 0;
        want = want * 16 + (unsigned long)(d >= 0 ? d : 0);
    }
    if (!ok)
        return BAD(r, "file truncated or damaged: the last line is not "
                      "'crc32 <8 hex digits>'");
    unsigned long got = fsnsa__crc32(b, start);
    if (verify && got != want)
        return BAD(r, "checksum mismatch (file says %08lx, contents give %08lx): "
                      "the file is damaged or was edited",
                   want, got);
    r->end = start;
    return FSNSA_OK;
}

/* A tokenizer at the start of the text, for the header check. */
static fsnsa__tokens tokens_at(const char *data, const char *name,
                               fsnsa_error *err)
{
    fsnsa__tokens r = {0};
    r.name = name;
    r.buf = data;
    r.err = err;
    return r;
}

/* The model from text with LF line ends. */
static fsnsa_status parse_lf(const char *data, size_t size, const char *name,
                             bool verify_crc, fsnsa_model **out,
                             fsnsa_error *err)
{
    fsnsa__tokens r = tokens_at(data, name != NULL ? name : "(model)", err);
    TRY(check_header(&r, size));
    const char *nul = memchr(data, 0, size);
    if (nul != NULL) {
        r.lineno = count_lines(data, (size_t)(nul - data)) + 1;
        return BAD(&r, "NUL byte: not a text model file");
    }
    TRY(check_crc(&r, size, verify_crc));
    fsnsa_model *m = calloc(1, sizeof *m);
    if (m == NULL)
        return fsnsa__nomem(err, "a model");
    r.pos = 0;
    r.lineno = 0;
    fsnsa__tok_next_line(&r); /* the magic line, already checked */
    fsnsa__c_locale loc;
    if (!fsnsa__c_locale_enter(&loc)) {
        free(m);
        return fsnsa__nomem(err, "the C locale");
    }
    fsnsa_status st = fsnsa__model_parse_body(&r, m);
    fsnsa__c_locale_leave(&loc);
    if (st != FSNSA_OK) {
        fsnsa_model_free(m);
        return st;
    }
    *out = m;
    return FSNSA_OK;
}

/* CRLF line endings (a Windows checkout, an editor) are read as the LF
 * text the file was written as: the writer never writes a CR (strings
 * escape it), so a CR before a LF can only be a converted line end. The
 * checksum is that of the LF text, which it was computed on. */
fsnsa_status fsnsa__model_parse(const char *data, size_t size,
                                const char *name, bool verify_crc,
                                fsnsa_model **out, fsnsa_error *err)
{
    *out = NULL;
    if (memchr(data, '\r', size) == NULL)
        return parse_lf(data, size, name, verify_crc, out, err);
    char *lf = malloc(size);
    if (lf == NULL)
        return fsnsa__nomem(err, "the model file text");
    size_t n = 0;
    for (size_t i = 0; i < size; i++)
        if (data[i] != '\r' || i + 1 == size || data[i + 1] != '\n')
            lf[n++] = data[i];
    fsnsa_status st = parse_lf(lf, n, name, verify_crc, out, err);
    free(lf);
    return st;
}

/* The whole file into *buf, refusing one that is no model after its first
 * bytes rather than after reading all of it (a 1 GB data file given by
 * mistake), or that exceeds the size limit. */
static fsnsa_status slurp(FILE *f, const char *path, char **buf, size_t *len,
                          fsnsa_error *err)
{
    size_t cap = 0;
    bool checked = false;
    for (;;) {
        if (cap - *len < 65536) {
            size_t ncap = cap ? cap * 2 : 65536;
            if ((uint64_t)*len >= MODEL_MAX_FILE_BYTES)
                return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                                   "%s: larger than the limit of %llu bytes for a model file",
                                   path, (unsigned long long)MODEL_MAX_FILE_BYTES);
            char *q = realloc(*buf, ncap);
            if (q == NULL)
                return fsnsa__nomem(err, "the model file");
            *buf = q;
            cap = ncap;
        }
        size_t got = fread(*buf + *len, 1, cap - *len, f);
        *len += got;
        if (got == 0 && ferror(f))
            return fsnsa__fail(err, FSNSA_ERR_IO, "%s: cannot read: %s", path,
                               strerror(errno));
        if (!checked && (*len >= 64 || got == 0)) {
            fsnsa__tokens r = tokens_at(*buf, path, err);
            checked = true;
            TRY(check_header(&r, *len));
        }
        if (got == 0)
            return FSNSA_OK;
    }
}

fsnsa_status fsnsa_model_load(const char *path, fsnsa_model **out,
                              fsnsa_error *err)
{
    *out = NULL;
    if (path == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no model file name");
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return fsnsa__fail(err, FSNSA_ERR_IO, "%s: cannot open: %s", path,
                           strerror(errno));
    char *buf = NULL;
    size_t len = 0;
    fsnsa_status st = slurp(f, path, &buf, &len, err);
    fclose(f);
    if (st == FSNSA_OK)
        st = fsnsa__model_parse(buf, len, path, true, out, err);
    free(buf);
    return st;
}

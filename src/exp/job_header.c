/* The job file's header line: which sweep, data and settings made the
 * results below it (docs/experiments.md, "Job files").
 *
 *   #fsnsa-jobs 1 TAB free text                  format 1 (fsnsa 0.1)
 *   #fsnsa-jobs 2 (TAB [@]name=value)...         format 2
 *
 * A format-2 file is continued only when each compared field equals this
 * run's; '@' notes (file names, how the data was read) only explain a
 * refusal. A format-1 file whose text is the run's legacy header is
 * adopted (given this run's header) when the caller allows it. */
#include "exp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC_PREFIX "#fsnsa-jobs "
#define MAGIC1 MAGIC_PREFIX "1\t"
#define MAGIC2 MAGIC_PREFIX "2"

/* A field value as stored: tab, CR, LF and backslash escaped, so that a
 * file name holding them cannot split the header. */
static char *escape_value(const char *v)
{
    size_t n = 0;
    for (const char *q = v; *q; q++)
        n += strchr("\t\r\n\\", *q) != NULL ? 2 : 1;
    char *e = malloc(n + 1);
    if (e == NULL)
        return NULL;
    char *o = e;
    for (const char *q = v; *q; q++) {
        switch (*q) {
        case '\t': *o++ = '\\'; *o++ = 't'; break;
        case '\r': *o++ = '\\'; *o++ = 'r'; break;
        case '\n': *o++ = '\\'; *o++ = 'n'; break;
        case '\\': *o++ = '\\'; *o++ = '\\'; break;
        default: *o++ = *q;
        }
    }
    *o = '\0';
    return e;
}

static int valid_name(const char *s)
{
    if (s == NULL || *s == '\0')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-'))
            return 0;
    return 1;
}

fsnsa_status fsnsa__job_header_valid(const fsnsa_job_header *h,
                                     fsnsa_error *err)
{
    for (size_t i = 0; i < h->n_fields; i++)
        if (!valid_name(h->fields[i].name) || h->fields[i].value == NULL)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "job file header field %zu: a name of "
                               "lower-case letters, digits and '-', and a "
                               "value, are needed", i);
    return FSNSA_OK;
}

fsnsa_status fsnsa__job_header_line(const char *v1, const fsnsa_job_header *h,
                                    char **out, fsnsa_error *err)
{
    *out = NULL;
    if (v1 != NULL) {
        size_t n = strlen(MAGIC1) + strlen(v1) + 1;
        char *l = malloc(n);
        if (l == NULL)
            return fsnsa__nomem(err, "a job file header");
        snprintf(l, n, "%s%s", MAGIC1, v1);
        *out = l;
        return FSNSA_OK;
    }
    size_t cap = strlen(MAGIC2) + 1, len = strlen(MAGIC2);
    char *l = malloc(cap);
    if (l == NULL)
        return fsnsa__nomem(err, "a job file header");
    memcpy(l, MAGIC2, len + 1);
    for (size_t i = 0; i < h->n_fields; i++) {
        const fsnsa_job_field *f = &h->fields[i];
        char *e = escape_value(f->value);
        size_t need = len + 2 + strlen(f->name) + 1 + (e ? strlen(e) : 0) + 1;
        char *g = e != NULL ? realloc(l, need) : NULL;
        if (g == NULL) {
            free(e);
            free(l);
            return fsnsa__nomem(err, "a job file header");
        }
        l = g;
        len += (size_t)snprintf(l + len, need - len, "\t%s%s=%s",
                                f->note ? "@" : "", f->name, e);
        free(e);
    }
    *out = l;
    return FSNSA_OK;
}

int fsnsa__job_header_torn(const char *buf, size_t size)
{
    size_t m = strlen(MAGIC_PREFIX);
    return memchr(buf, '\n', size) == NULL &&
           memcmp(buf, MAGIC_PREFIX, size < m ? size : m) == 0;
}

/* ------------------------------------------------------------------ */
/* Format 2: the stored fields against this run's                      */
/* ------------------------------------------------------------------ */

/* One field of a stored format-2 header, pointing into the file's text. */
typedef struct {
    int note;
    const char *name, *value;
    size_t name_len, value_len;
} stored_field;

static const stored_field *stored_find(const stored_field *sf, size_t n,
                                       int note, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (sf[i].note == note && sf[i].name_len == strlen(name) &&
            memcmp(sf[i].name, name, sf[i].name_len) == 0)
            return &sf[i];
    return NULL;
}

/* A value for a message: long ones (fingerprints, paths) keep their
 * first and last characters. */
static void shown(const char *v, size_t len, char out[32])
{
    if (len <= 28)
        snprintf(out, 32, "%.*s", (int)len, v);
    else
        snprintf(out, 32, "%.12s...%.13s", v, v + len - 13);
}

/* The differences found so far, as the refusal's message will list them. */
typedef struct {
    char text[FSNSA_ERRMSG_MAX];
    size_t len;
} diff_list;

static void diff_put(diff_list *d, const char *fmt, ...) FSNSA_PRINTF(2, 3);
static void diff_put(diff_list *d, const char *fmt, ...)
{
    if (d->len >= sizeof d->text - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(d->text + d->len, sizeof d->text - d->len, fmt, ap);
    va_end(ap);
    if (w > 0)
        d->len += (size_t)w;
    if (d->len > sizeof d->text - 1)
        d->len = sizeof d->text - 1;
}

/* "name=A here, B in the file" after sep. */
static void diff_add(diff_list *d, const char *sep, const char *name,
                     size_t name_len, const char *here, size_t here_len,
                     const char *there, size_t there_len)
{
    char a[32], b[32];
    shown(here, here_len, a);
    shown(there, there_len, b);
    diff_put(d, "%s%.*s=%s here, %s in the file", sep,
             (int)(name_len > 60 ? 60 : name_len), name, a, b);
}

/* Parse the fields of a stored format-2 header (s = the text after
 * MAGIC2): *out gets pointers into s. */
static fsnsa_status parse_fields(const char *path, const char *s, size_t len,
                                 stored_field **out, size_t *n_out,
                                 fsnsa_error *err)
{
    *out = NULL;
    *n_out = 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\t';
    if (len > 0 && s[0] != '\t')
        return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                           "%s:1: damaged header (no tab after the format "
                           "number)", path);
    stored_field *sf = fsnsa__calloc(n, sizeof *sf);
    if (sf == NULL)
        return fsnsa__nomem(err, "a job file header");
    for (size_t i = 0, k = 0; i < len; k++) {
        size_t j = i + 1;
        while (j < len && s[j] != '\t')
            j++;
        const char *t = s + i + 1;
        size_t tl = j - i - 1;
        stored_field *f = &sf[k];
        f->note = tl > 0 && t[0] == '@';
        f->name = t + f->note;
        const char *eq = memchr(f->name, '=', tl - (size_t)f->note);
        f->name_len = eq != NULL ? (size_t)(eq - f->name) : 0;
        if (f->name_len == 0) {
            free(sf);
            return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                               "%s:1: damaged header field '%.*s' (expected "
                               "name=value)", path, (int)(tl > 60 ? 60 : tl),
                               t);
        }
        f->value = eq + 1;
        f->value_len = (size_t)(t + tl - f->value);
        i = j;
    }
    *out = sf;
    *n_out = n;
    return FSNSA_OK;
}

static int stored_equals(const stored_field *g, const char *escaped)
{
    return g != NULL && g->value_len == strlen(escaped) &&
           memcmp(g->value, escaped, g->value_len) == 0;
}

/* Field f against the file's field of its kind and name; when they
 * differ, "name=A here, B in the file" goes to d after sep. Returns 1 if
 * they differ, 0 if not, -1 out of memory. */
static int check_field(diff_list *d, const char *sep, const fsnsa_job_field *f,
                       const stored_field *sf, size_t k)
{
    char *e = escape_value(f->value);
    if (e == NULL)
        return -1;
    const stored_field *g = stored_find(sf, k, f->note, f->name);
    int same = g != NULL ? stored_equals(g, e)
                         : !f->note && f->if_absent != NULL &&
                               strcmp(f->if_absent, f->value) == 0;
    if (!same)
        diff_add(d, sep, f->name, strlen(f->name), e, strlen(e),
                 g ? g->value : "none", g ? g->value_len : 4);
    free(e);
    return !same;
}

/* Whether this run has a compared field named as the stored one. */
static int run_has_field(const fsnsa_job_header *h, const stored_field *sf)
{
    for (size_t j = 0; j < h->n_fields; j++)
        if (!h->fields[j].note && strlen(h->fields[j].name) == sf->name_len &&
            memcmp(h->fields[j].name, sf->name, sf->name_len) == 0)
            return 1;
    return 0;
}

/* Compare a stored format-2 header with h: FSNSA_OK when every compared
 * field agrees, else a message naming each difference, then the notes
 * that differ (another file name, other read options, other sizes). */
static fsnsa_status compare_fields(const char *path, const char *s,
                                   size_t len, const fsnsa_job_header *h,
                                   fsnsa_error *err)
{
    stored_field *sf;
    size_t k;
    fsnsa_status st = parse_fields(path, s, len, &sf, &k, err);
    if (st != FSNSA_OK)
        return st;
    diff_list d = {{0}, 0};
    size_t n_diff = 0, n_note = 0;
    int r = 0;
    /* this run's compared fields against the file's ... */
    for (size_t i = 0; i < h->n_fields && r >= 0; i++)
        if (!h->fields[i].note) {
            r = check_field(&d, n_diff ? "; " : "", &h->fields[i], sf, k);
            n_diff += r > 0;
        }
    /* ... and settings in the file that this run does not have */
    for (size_t i = 0; i < k && r >= 0; i++)
        if (!sf[i].note && !run_has_field(h, &sf[i]))
            diff_add(&d, n_diff++ ? "; " : "", sf[i].name, sf[i].name_len,
                     "none", 4, sf[i].value, sf[i].value_len);
    /* the notes say why: another file, other read options, other sizes */
    for (size_t i = 0; n_diff > 0 && i < h->n_fields && r >= 0; i++)
        if (h->fields[i].note) {
            r = check_field(&d, n_note ? "; " : "; also differs: ",
                            &h->fields[i], sf, k);
            n_note += r > 0;
        }
    free(sf);
    if (r < 0)
        return fsnsa__nomem(err, "a job file header");
    if (n_diff == 0)
        return FSNSA_OK;
    return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                       "%s: made from other data or settings (use another "
                       "results file, or delete it to start over): %s",
                       path, d.text);
}

/* ------------------------------------------------------------------ */
/* Reading the header of an existing file                              */
/* ------------------------------------------------------------------ */

/* A format-1 file met by a format-2 run: adopted when its text is the
 * run's legacy header and the caller allows it, else refused. */
static fsnsa_status check_format1(const char *path, const char *text,
                                  size_t tl, const fsnsa_job_header *h,
                                  int *adopt, fsnsa_error *err)
{
    if (h->legacy_header == NULL || tl != strlen(h->legacy_header) ||
        memcmp(text, h->legacy_header, tl) != 0)
        return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                           "%s: written by a different sweep (job file format "
                           "1); it has '%.*s' (use another results file, or "
                           "delete it to start over)", path,
                           (int)(tl > 300 ? 300 : tl), text);
    if (!h->adopt_legacy)
        return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                           "%s: made by an older fsnsa (job file format 1) "
                           "that recorded the data's file name but not its "
                           "content, so it cannot tell whether its results "
                           "belong to this data; delete it to start over%s%s",
                           path, h->adopt_how != NULL ? ", or " : "",
                           h->adopt_how != NULL ? h->adopt_how : "");
    *adopt = 1;
    return FSNSA_OK;
}

fsnsa_status fsnsa__job_header_read(const char *path, const char *buf,
                                    size_t size, const char *v1,
                                    const fsnsa_job_header *h,
                                    fsnsa__job_header_found *found,
                                    fsnsa_error *err)
{
    const char *nl = memchr(buf, '\n', size);
    size_t mlen = strlen(MAGIC_PREFIX);
    if (nl == NULL || (size_t)(nl - buf) < mlen ||
        memcmp(buf, MAGIC_PREFIX, mlen) != 0)
        return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                           "%s: not a fsnsa results file (refusing to append "
                           "to it)", path);
    size_t hl = (size_t)(nl - buf);
    found->records = hl + 1;
    found->crlf = buf[hl - 1] == '\r';
    found->adopt = 0;
    hl -= (size_t)found->crlf;
    /* the format number, then the header text */
    const char *ver = buf + mlen;
    size_t vl = 0;
    while (mlen + vl < hl && ver[vl] >= '0' && ver[vl] <= '9')
        vl++;
    const char *text = ver + vl;
    size_t tl = hl - mlen - vl;
    int is1 = vl == 1 && ver[0] == '1', is2 = vl == 1 && ver[0] == '2';
    if (is1) { /* "1" TAB text */
        if (tl == 0 || text[0] != '\t')
            return fsnsa__fail(err, FSNSA_ERR_FORMAT, "%s:1: damaged header",
                               path);
        text++;
        tl--;
    }
    if (v1 != NULL) {
        if (!is1 || tl != strlen(v1) || memcmp(text, v1, tl) != 0)
            return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                               "%s: written by a different sweep; it has "
                               "'%.*s' (format %.*s), this run is '%s' (use "
                               "another --results file)", path,
                               (int)(tl > 300 ? 300 : tl), text, (int)vl, ver,
                               v1);
        return FSNSA_OK;
    }
    if (is2)
        return compare_fields(path, text, tl, h, err);
    if (is1)
        return check_format1(path, text, tl, h, &found->adopt, err);
    return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                       "%s: job file format '%.*s' is not one this fsnsa "
                       "reads (1 and 2)", path, (int)(vl > 20 ? 20 : vl), ver);
}

/* ------------------------------------------------------------------ */
/* Two stored headers: whether their files hold one sweep (merge.c)    */
/* ------------------------------------------------------------------ */

/* The format-2 fields of header line s[0..len), or FSNSA_ERR_FORMAT. */
static fsnsa_status stored_fields(const char *path, const char *s, size_t len,
                                  stored_field **sf, size_t *n,
                                  fsnsa_error *err)
{
    size_t m = strlen(MAGIC2);
    if (len < m || memcmp(s, MAGIC2, m) != 0 || (len > m && s[m] != '\t'))
        return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                           "%s: not a job file of format 2 (a file of "
                           "fsnsa 0.1 is first continued once with "
                           "--adopt-results)", path);
    return parse_fields(path, s + m, len - m, sf, n, err);
}

static const stored_field *stored_find_n(const stored_field *sf, size_t n,
                                         const stored_field *like)
{
    for (size_t i = 0; i < n; i++)
        if (sf[i].note == like->note && sf[i].name_len == like->name_len &&
            memcmp(sf[i].name, like->name, like->name_len) == 0)
            return &sf[i];
    return NULL;
}

/* The compared fields of a that b lacks or has otherwise, into d. */
static size_t differ_from(diff_list *d, size_t n_diff, const stored_field *a,
                          size_t na, const stored_field *b, size_t nb,
                          int a_first)
{
    for (size_t i = 0; i < na; i++) {
        if (a[i].note)
            continue;
        const stored_field *g = stored_find_n(b, nb, &a[i]);
        if (g != NULL && (!a_first || (g->value_len == a[i].value_len &&
                                       memcmp(g->value, a[i].value,
                                              g->value_len) == 0)))
            continue;
        char x[32], y[32];
        shown(a[i].value, a[i].value_len, x);
        if (g != NULL)
            shown(g->value, g->value_len, y);
        else
            snprintf(y, sizeof y, "none");
        diff_put(d, "%s%.*s=%s and %s", n_diff++ ? "; " : "",
                 (int)(a[i].name_len > 60 ? 60 : a[i].name_len), a[i].name,
                 a_first ? x : y, a_first ? y : x);
    }
    return n_diff;
}

fsnsa_status fsnsa__job_header_same(const char *pa, const char *a, size_t la,
                                    const char *pb, const char *b, size_t lb,
                                    fsnsa_error *err)
{
    stored_field *fa = NULL, *fb = NULL;
    size_t na = 0, nb = 0;
    fsnsa_status st = stored_fields(pa, a, la, &fa, &na, err);
    if (st == FSNSA_OK)
        st = stored_fields(pb, b, lb, &fb, &nb, err);
    diff_list d = {{0}, 0};
    size_t n_diff = 0;
    if (st == FSNSA_OK) {
        n_diff = differ_from(&d, 0, fa, na, fb, nb, 1);
        n_diff = differ_from(&d, n_diff, fb, nb, fa, na, 0);
    }
    free(fa);
    free(fb);
    if (st != FSNSA_OK || n_diff == 0)
        return st;
    return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                       "%s and %s hold different sweeps (other data or "
                       "settings): %s", pa, pb, d.text);
}

int fsnsa__job_header_field(const char *s, size_t len, const char *name,
                            const char **value, size_t *value_len)
{
    stored_field *sf;
    size_t n;
    if (stored_fields("", s, len, &sf, &n, NULL) != FSNSA_OK)
        return 0;
    const stored_field *f = stored_find(sf, n, 0, name);
    if (f != NULL) {
        *value = f->value;
        *value_len = f->value_len;
    }
    free(sf);
    return f != NULL;
}

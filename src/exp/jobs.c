/* Job files: the append-only results file behind every sweep, and the
 * sweep runner that fills it (docs/experiments.md).
 *
 * Format (text, one line per record):
 *   #fsnsa-jobs 2 (TAB [@]name=value)... NEWLINE     (format 1: TAB text)
 *   <key> TAB <value fields...> TAB ~<crc32 of everything before the tab>
 * Format 2's fields say which data and settings made the results (the
 * data's fingerprint among them, fsnsa_dataset_fingerprint); a run whose
 * compared fields differ is refused, '@' notes only explain the refusal.
 * A record is appended with a single write() on an O_APPEND descriptor and
 * then fdatasync'd, so after a crash at most the last line is incomplete
 * (or, after power loss, filled with garbage); its checksum tells it apart
 * and open() truncates it. Only the tail can be damaged by a crash, so a
 * bad line followed by good ones is reported instead of repaired. */
#include "exp.h"

#include <errno.h>
#include <fcntl.h>
#include <omp.h>
#include <pthread.h>
#include <sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "#fsnsa-jobs 1" TAB free text, or "#fsnsa-jobs 2" (TAB [@]name=value)... */
#define MAGIC_PREFIX "#fsnsa-jobs "
#define MAGIC1 MAGIC_PREFIX "1\t"
#define MAGIC2 MAGIC_PREFIX "2"

typedef struct {
    char *key;   /* points into the record's storage */
    char *value;
} record;

struct fsnsa_jobfile {
    int fd;
    char *path;
    record *rec;
    size_t n, cap;
    size_t *slot;      /* open addressing: index+1 into rec, 0 = empty */
    size_t n_slot;     /* power of two */
    size_t repaired;
    int crlf;          /* lines end in CR LF: appends do too */
    int adopted;       /* a format-1 file given a format-2 header */
    pthread_mutex_t lock;
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t fsnsa_key_seed(uint64_t base, const char *key)
{
    /* splitmix64 finalizer: nearby bases and similar keys get unrelated
     * seeds. */
    uint64_t z = base + 0x9E3779B97F4A7C15ull * (fnv1a(key) | 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static fsnsa_status index_grow(fsnsa_jobfile *jf, fsnsa_error *err)
{
    size_t ns = jf->n_slot ? jf->n_slot * 2 : 1024;
    size_t *slot = fsnsa__calloc(ns, sizeof *slot);
    if (slot == NULL)
        return fsnsa__nomem(err, "the job index");
    for (size_t i = 0; i < jf->n; i++) {
        size_t h = (size_t)fnv1a(jf->rec[i].key) & (ns - 1);
        while (slot[h] != 0)
            h = (h + 1) & (ns - 1);
        slot[h] = i + 1;
    }
    free(jf->slot);
    jf->slot = slot;
    jf->n_slot = ns;
    return FSNSA_OK;
}

static size_t index_find(const fsnsa_jobfile *jf, const char *key)
{
    if (jf->n_slot == 0)
        return 0;
    size_t h = (size_t)fnv1a(key) & (jf->n_slot - 1);
    while (jf->slot[h] != 0) {
        if (strcmp(jf->rec[jf->slot[h] - 1].key, key) == 0)
            return jf->slot[h];
        h = (h + 1) & (jf->n_slot - 1);
    }
    return 0;
}

/* Add a record (takes ownership of line, which holds "key\0value\0").
 * A key seen twice keeps its first value: both came from the same job,
 * and a duplicate can only appear if two writers raced, which the lock
 * prevents. */
static fsnsa_status add_record(fsnsa_jobfile *jf, char *line, char *value,
                               fsnsa_error *err)
{
    if (index_find(jf, line) != 0) {
        free(line);
        return FSNSA_OK;
    }
    if (jf->n == jf->cap) {
        size_t nc = jf->cap ? jf->cap * 2 : 256;
        record *r = realloc(jf->rec, nc * sizeof *r);
        if (r == NULL) {
            free(line);
            return fsnsa__nomem(err, "the job records");
        }
        jf->rec = r;
        jf->cap = nc;
    }
    jf->rec[jf->n].key = line;
    jf->rec[jf->n].value = value;
    jf->n++;
    if (2 * jf->n > jf->n_slot)
        return index_grow(jf, err);
    size_t h = (size_t)fnv1a(line) & (jf->n_slot - 1);
    while (jf->slot[h] != 0)
        h = (h + 1) & (jf->n_slot - 1);
    jf->slot[h] = jf->n;
    return FSNSA_OK;
}

/* Check one record line s[0..len) (no newline). On success returns a
 * malloc'ed "key\0value\0" copy and sets *value; NULL if damaged or, with
 * *nomem set, if the copy could not be allocated (which must not pass for
 * damage: open would cut an intact last line off as torn). */
static char *parse_line(const char *s, size_t len, char **value, int *nomem)
{
    *nomem = 0;
    /* ... TAB ~xxxxxxxx */
    if (len < 11 || s[len - 10] != '\t' || s[len - 9] != '~')
        return NULL;
    uint32_t want = 0;
    for (size_t i = len - 8; i < len; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return NULL;
        want = want << 4 | (uint32_t)d;
    }
    size_t body = len - 10;
    if (fsnsa__crc32(s, body) != want)
        return NULL;
    const char *tab = memchr(s, '\t', body);
    size_t klen = tab != NULL ? (size_t)(tab - s) : body;
    if (klen == 0)
        return NULL;
    char *copy = malloc(body + 2);
    if (copy == NULL) {
        *nomem = 1;
        return NULL;
    }
    memcpy(copy, s, klen);
    copy[klen] = '\0';
    size_t vlen = tab != NULL ? body - klen - 1 : 0;
    memcpy(copy + klen + 1, s + klen + 1, vlen);
    copy[klen + 1 + vlen] = '\0';
    *value = copy + klen + 1;
    return copy;
}

static fsnsa_status read_all(int fd, const char *path, char **out,
                             size_t *size, fsnsa_error *err)
{
    struct stat stt;
    if (fstat(fd, &stt) != 0)
        return fsnsa__fail(err, FSNSA_ERR_IO, "%s: %s", path, strerror(errno));
    size_t n = (size_t)stt.st_size;
    char *buf = malloc(n + 1);
    if (buf == NULL)
        return fsnsa__nomem(err, "the job file");
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(buf);
            return fsnsa__fail(err, FSNSA_ERR_IO, "%s: cannot read: %s",
                               path, r < 0 ? strerror(errno) : "short read");
        }
        got += (size_t)r;
    }
    buf[n] = '\0';
    *out = buf;
    *size = n;
    return FSNSA_OK;
}

static fsnsa_status write_full(int fd, const char *path, const char *s,
                               size_t n, fsnsa_error *err)
{
    /* One write() for the whole line: O_APPEND makes it land at the end
     * as a unit; a short write (disk full) is retried for the rest. */
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return fsnsa__fail(err, FSNSA_ERR_IO, "%s: cannot write: %s",
                               path, strerror(errno));
        s += w;
        n -= (size_t)w;
    }
    if (fdatasync(fd) != 0)
        return fsnsa__fail(err, FSNSA_ERR_IO, "%s: cannot sync: %s", path,
                           strerror(errno));
    return FSNSA_OK;
}

void fsnsa_jobfile_close(fsnsa_jobfile *jf)
{
    if (jf == NULL)
        return;
    if (jf->fd >= 0)
        close(jf->fd); /* also releases the fcntl lock */
    for (size_t i = 0; i < jf->n; i++)
        free(jf->rec[i].key);
    free(jf->rec);
    free(jf->slot);
    free(jf->path);
    pthread_mutex_destroy(&jf->lock);
    free(jf);
}

/* ------------------------------------------------------------------ */
/* Headers                                                             */
/* ------------------------------------------------------------------ */

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

/* The header line (no line end) of a new file, malloc'ed. */
static fsnsa_status header_line(const char *v1, const fsnsa_job_header *h,
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
    for (size_t i = 0; i < k && r >= 0; i++) {
        if (sf[i].note)
            continue;
        size_t j = 0;
        while (j < h->n_fields &&
               (h->fields[j].note ||
                strlen(h->fields[j].name) != sf[i].name_len ||
                memcmp(h->fields[j].name, sf[i].name, sf[i].name_len) != 0))
            j++;
        if (j == h->n_fields)
            diff_add(&d, n_diff++ ? "; " : "", sf[i].name, sf[i].name_len,
                     "none", 4, sf[i].value, sf[i].value_len);
    }
    /* the notes say why: another file, other read options, other sizes */
    for (size_t i = 0; n_diff > 0 && i < h->n_fields && r >= 0; i++)
        if (h->fields[i].note) {
            r = check_field(&d, n_note ? "; " : "; also differs: ",
                            &h->fields[i], sf, k);
            n_note += r > 0;
        }
    if (r < 0) {
        free(sf);
        return fsnsa__nomem(err, "a job file header");
    }
    free(sf);
    if (n_diff == 0)
        return FSNSA_OK;
    return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                       "%s: made from other data or settings (use another "
                       "results file, or delete it to start over): %s",
                       path, d.text);
}

/* The first line (the header) is complete when a newline ends it; a file
 * without one that holds (the start of) our magic is a header torn by a
 * crash while the file was created: no job can follow it. */
static int torn_header(const char *buf, size_t size)
{
    size_t m = strlen(MAGIC_PREFIX);
    return memchr(buf, '\n', size) == NULL &&
           memcmp(buf, MAGIC_PREFIX, size < m ? size : m) == 0;
}

static fsnsa_status write_header(fsnsa_jobfile *jf, const char *line,
                                 int truncate_first, fsnsa_error *err)
{
    if (truncate_first && ftruncate(jf->fd, 0) != 0)
        return fsnsa__fail(err, FSNSA_ERR_IO, "%s: %s", jf->path,
                           strerror(errno));
    size_t n = strlen(line);
    char *l = malloc(n + 2);
    if (l == NULL)
        return fsnsa__nomem(err, "a job file header");
    memcpy(l, line, n);
    l[n] = '\n';
    fsnsa_status st = write_full(jf->fd, jf->path, l, n + 1, err);
    free(l);
    return st;
}

/* Read every record line after the header (buf[pos..size)). A damaged
 * line followed by intact ones is an error; a damaged tail (a crash) is
 * left to the caller as *bad (its offset, 0 = none). */
static fsnsa_status load_records(fsnsa_jobfile *jf, const char *buf,
                                 size_t size, size_t pos, size_t *bad,
                                 fsnsa_error *err)
{
    size_t bad_line = 0, line_no = 1;
    *bad = 0;
    while (pos < size) {
        line_no++;
        const char *nl = memchr(buf + pos, '\n', size - pos);
        size_t len = nl != NULL ? (size_t)(nl - (buf + pos)) : size - pos;
        /* CR LF line ends (a file copied through Windows) read the same;
         * the checksum covers neither */
        size_t body = len > 0 && buf[pos + len - 1] == '\r' ? len - 1 : len;
        char *value = NULL;
        int nomem = 0;
        char *rec = nl != NULL ? parse_line(buf + pos, body, &value, &nomem)
                               : NULL;
        if (nomem)
            return fsnsa__nomem(err, "a job record");
        if (rec == NULL) {
            if (*bad == 0) {
                *bad = pos;
                bad_line = line_no;
            }
        } else if (*bad != 0) {
            free(rec);
            return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                               "%s:%zu: damaged line before intact ones; the "
                               "file was edited or corrupted, not cut short "
                               "by a crash", jf->path, bad_line);
        } else {
            fsnsa_status st = add_record(jf, rec, value, err);
            if (st != FSNSA_OK)
                return st;
        }
        pos += len + (nl != NULL ? 1 : 0);
    }
    return FSNSA_OK;
}

/* Replace a format-1 file's header line by `line`, keeping its intact
 * records and line ends: a new file written atomically beside it. */
static fsnsa_status adopt_file(const fsnsa_jobfile *jf, const char *line,
                               const char *buf, size_t rec_start,
                               size_t rec_end, fsnsa_error *err)
{
    const char *eol = jf->crlf ? "\r\n" : "\n";
    size_t hl = strlen(line), el = strlen(eol), rl = rec_end - rec_start;
    char *data = malloc(hl + el + rl + 1);
    if (data == NULL)
        return fsnsa__nomem(err, "an adopted job file");
    memcpy(data, line, hl);
    memcpy(data + hl, eol, el);
    memcpy(data + hl + el, buf + rec_start, rl);
    fsnsa_status st = fsnsa__write_atomic(jf->path, data, hl + el + rl, err);
    free(data);
    return st;
}

static fsnsa_status open_file(const char *path, const char *v1,
                              const fsnsa_job_header *h, fsnsa_jobfile **out,
                              fsnsa_error *err)
{
    *out = NULL;
    fsnsa_jobfile *jf = calloc(1, sizeof *jf);
    if (jf == NULL)
        return fsnsa__nomem(err, "a job file");
    jf->fd = -1;
    pthread_mutex_init(&jf->lock, NULL);
    fsnsa_status st = FSNSA_OK;
    char *buf = NULL, *line = NULL;
    size_t size = 0;
    int adopt = 0;
    jf->path = fsnsa__strdup(path);
    if (jf->path == NULL) {
        st = fsnsa__nomem(err, "a job file");
        goto fail;
    }
    st = header_line(v1, h, &line, err);
    if (st != FSNSA_OK)
        goto fail;
    /* a FIFO or device would block or never read back: refused */
    st = fsnsa_output_check(path, FSNSA_OUTPUT_APPEND, err);
    if (st != FSNSA_OK)
        goto fail;
    jf->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (jf->fd < 0) {
        st = fsnsa__fail(err, FSNSA_ERR_IO, "%s: %s", path, strerror(errno));
        goto fail;
    }
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (fcntl(jf->fd, F_SETLK, &fl) != 0) {
        st = fsnsa__fail(err, FSNSA_ERR_IO,
                         "%s: in use by another process (%s)", path,
                         strerror(errno));
        goto fail;
    }
    st = read_all(jf->fd, path, &buf, &size, err);
    if (st != FSNSA_OK)
        goto fail;
    if (size == 0 || torn_header(buf, size)) {
        /* new file, or only a torn header: (re)write the header */
        st = write_header(jf, line, size > 0, err);
        if (st != FSNSA_OK)
            goto fail;
        goto done;
    }
    const char *nl = memchr(buf, '\n', size);
    size_t mlen = strlen(MAGIC_PREFIX);
    if (nl == NULL || (size_t)(nl - buf) < mlen ||
        memcmp(buf, MAGIC_PREFIX, mlen) != 0) {
        st = fsnsa__fail(err, FSNSA_ERR_FORMAT,
                         "%s: not a fsnsa results file (refusing to append "
                         "to it)", path);
        goto fail;
    }
    size_t hl = (size_t)(nl - buf);
    jf->crlf = buf[hl - 1] == '\r';
    hl -= (size_t)jf->crlf;
    /* the format number, then the header text */
    const char *ver = buf + mlen;
    size_t vl = 0;
    while (mlen + vl < hl && ver[vl] >= '0' && ver[vl] <= '9')
        vl++;
    const char *text = ver + vl;
    size_t tl = hl - mlen - vl;
    int is1 = vl == 1 && ver[0] == '1', is2 = vl == 1 && ver[0] == '2';
    if (is1) { /* "1" TAB text */
        if (tl == 0 || text[0] != '\t') {
            st = fsnsa__fail(err, FSNSA_ERR_FORMAT, "%s:1: damaged header",
                             path);
            goto fail;
        }
        text++;
        tl--;
    }
    int shown_len = (int)(tl > 300 ? 300 : tl);
    if (v1 != NULL) {
        if (!is1 || tl != strlen(v1) || memcmp(text, v1, tl) != 0) {
            st = fsnsa__fail(err, FSNSA_ERR_FORMAT,
                             "%s: written by a different sweep; it has "
                             "'%.*s' (format %.*s), this run is '%s' (use "
                             "another --results file)", path, shown_len, text,
                             (int)vl, ver, v1);
            goto fail;
        }
    } else if (is2) {
        st = compare_fields(path, text, tl, h, err);
        if (st != FSNSA_OK)
            goto fail;
    } else if (is1 && h->legacy_header != NULL &&
               tl == strlen(h->legacy_header) &&
               memcmp(text, h->legacy_header, tl) == 0) {
        if (!h->adopt_legacy) {
            st = fsnsa__fail(err, FSNSA_ERR_FORMAT,
                             "%s: made by an older fsnsa (job file format 1) "
                             "that recorded the data's file name but not its "
                             "content, so it cannot tell whether its results "
                             "belong to this data; delete it to start over%s%s",
                             path, h->adopt_how != NULL ? ", or " : "",
                             h->adopt_how != NULL ? h->adopt_how : "");
            goto fail;
        }
        adopt = 1;
    } else if (is1) {
        st = fsnsa__fail(err, FSNSA_ERR_FORMAT,
                         "%s: written by a different sweep (job file format "
                         "1); it has '%.*s' (use another results file, or "
                         "delete it to start over)", path, shown_len, text);
        goto fail;
    } else {
        st = fsnsa__fail(err, FSNSA_ERR_FORMAT,
                         "%s: job file format '%.*s' is not one this fsnsa "
                         "reads (1 and 2)", path, (int)(vl > 20 ? 20 : vl),
                         ver);
        goto fail;
    }
    size_t rec_start = (size_t)(nl - buf) + 1, bad = 0;
    st = load_records(jf, buf, size, rec_start, &bad, err);
    if (st != FSNSA_OK)
        goto fail;
    if (adopt) {
        /* no other process can have the file (we hold its lock); the new
         * one replaces it whole, then opens like any format-2 file */
        fsnsa_job_header again = *h;
        again.legacy_header = NULL;
        st = adopt_file(jf, line, buf, rec_start, bad != 0 ? bad : size, err);
        if (st != FSNSA_OK)
            goto fail;
        size_t repaired = bad != 0 ? size - bad : 0;
        free(buf);
        free(line);
        fsnsa_jobfile_close(jf);
        st = open_file(path, NULL, &again, out, err);
        if (st == FSNSA_OK) {
            (*out)->adopted = 1;
            (*out)->repaired = repaired;
        }
        return st;
    }
    if (bad != 0) {
        /* a torn tail from a crash: cut it so the next append starts on a
         * fresh line */
        if (ftruncate(jf->fd, (off_t)bad) != 0 || fdatasync(jf->fd) != 0) {
            st = fsnsa__fail(err, FSNSA_ERR_IO, "%s: cannot truncate: %s",
                             path, strerror(errno));
            goto fail;
        }
        jf->repaired = size - bad;
    }
done:
    free(buf);
    free(line);
    *out = jf;
    return FSNSA_OK;
fail:
    free(buf);
    free(line);
    fsnsa_jobfile_close(jf);
    return st;
}

fsnsa_status fsnsa_jobfile_open(const char *path, const char *header,
                                fsnsa_jobfile **out, fsnsa_error *err)
{
    *out = NULL;
    if (path == NULL || header == NULL || strpbrk(header, "\n\r") != NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "a job file needs a path and a one-line header");
    return open_file(path, header, NULL, out, err);
}

fsnsa_status fsnsa_jobfile_open_fields(const char *path,
                                       const fsnsa_job_header *h,
                                       fsnsa_jobfile **out, fsnsa_error *err)
{
    *out = NULL;
    if (path == NULL || h == NULL || (h->n_fields > 0 && h->fields == NULL))
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "a job file needs a path and a header");
    for (size_t i = 0; i < h->n_fields; i++)
        if (!valid_name(h->fields[i].name) || h->fields[i].value == NULL)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "job file header field %zu: a name of "
                               "lower-case letters, digits and '-', and a "
                               "value, are needed", i);
    return open_file(path, NULL, h, out, err);
}

int fsnsa_jobfile_adopted(const fsnsa_jobfile *jf)
{
    return jf != NULL && jf->adopted;
}

size_t fsnsa_jobfile_count(const fsnsa_jobfile *jf)
{
    return jf != NULL ? jf->n : 0;
}

size_t fsnsa_jobfile_repaired(const fsnsa_jobfile *jf)
{
    return jf != NULL ? jf->repaired : 0;
}

const char *fsnsa_jobfile_find(const fsnsa_jobfile *jf, const char *key)
{
    size_t i = jf != NULL ? index_find(jf, key) : 0;
    return i != 0 ? jf->rec[i - 1].value : NULL;
}

fsnsa_status fsnsa_jobfile_append(fsnsa_jobfile *jf, const char *key,
                                  const char *value, fsnsa_error *err)
{
    size_t kl = strlen(key), vl = value != NULL ? strlen(value) : 0;
    if (kl == 0 || strpbrk(key, "\t\n\r") != NULL ||
        (value != NULL && strpbrk(value, "\n\r") != NULL))
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "job key '%s' or its value has a tab or newline",
                           key);
    size_t len = kl + 1 + vl + 12;
    char *line = malloc(len + 1);
    if (line == NULL)
        return fsnsa__nomem(err, "a job line");
    memcpy(line, key, kl);
    size_t body = kl;
    if (vl > 0) {
        line[body++] = '\t';
        memcpy(line + body, value, vl);
        body += vl;
    }
    snprintf(line + body, 12, "\t~%08x", (unsigned)fsnsa__crc32(line, body));
    size_t total = body + 10;
    /* a file copied through Windows keeps its CR LF line ends */
    if (jf->crlf)
        line[total++] = '\r';
    line[total++] = '\n';

    pthread_mutex_lock(&jf->lock);
    fsnsa_status st = write_full(jf->fd, jf->path, line, total, err);
    if (st == FSNSA_OK) {
        /* keep the index in step with the file */
        char *v = NULL;
        int nomem;
        char *rec = parse_line(line, body + 10, &v, &nomem);
        if (rec == NULL)
            st = fsnsa__nomem(err, "a job record");
        else
            st = add_record(jf, rec, v, err);
    }
    pthread_mutex_unlock(&jf->lock);
    free(line);
    return st;
}

/* ------------------------------------------------------------------ */
/* Data fingerprints                                                   */
/* ------------------------------------------------------------------ */

static size_t put_u64(unsigned char *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return 8;
}

static size_t put_u32(unsigned char *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return 4;
}

void fsnsa_dataset_fingerprint(const fsnsa_dataset *d,
                               char out[FSNSA_FINGERPRINT_SIZE])
{
    /* Little-endian whatever the machine, so a fingerprint means the same
     * everywhere; NaN (a missing value) has one spelling. */
    static const char tag[] = "fsnsa dataset 1\n";
    enum { CHUNK = 1024 };
    unsigned char b[4 * CHUNK];
    SHA2_CTX c;
    SHA256Init(&c);
    SHA256Update(&c, (const uint8_t *)tag, sizeof tag - 1);
    size_t used = put_u64(b, d->n);
    used += put_u64(b + used, d->p);
    used += put_u64(b + used, d->has_labels ? d->schema.n_classes : 0);
    used += put_u64(b + used, d->has_labels ? 1 : 0);
    SHA256Update(&c, b, used);
    size_t cells = d->n * d->p; /* allocated, so it did not overflow */
    for (size_t i = 0; i < cells; i += CHUNK) {
        size_t m = cells - i < CHUNK ? cells - i : CHUNK;
        for (size_t k = 0; k < m; k++) {
            float v = d->x[i + k];
            uint32_t bits;
            memcpy(&bits, &v, sizeof bits);
            put_u32(b + 4 * k, v != v ? 0x7fc00000u : bits);
        }
        SHA256Update(&c, b, 4 * m);
    }
    for (size_t i = 0; d->has_labels && i < d->n; i += CHUNK) {
        size_t m = d->n - i < CHUNK ? d->n - i : CHUNK;
        for (size_t k = 0; k < m; k++)
            put_u32(b + 4 * k, (uint32_t)d->y[i + k]);
        SHA256Update(&c, b, 4 * m);
    }
    uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256Final(digest, &c);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

/* ------------------------------------------------------------------ */
/* Sweeps                                                              */
/* ------------------------------------------------------------------ */

#define KEY_MAX 512

static void format_values(const double *v, size_t n, char *buf, size_t size)
{
    /* %.17g: a resumed value is bit-identical to the computed one */
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%.17g", i ? "\t" : "",
                         v[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static int parse_values(const char *s, double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *end;
        v[i] = strtod(s, &end);
        if (end == s)
            return -1;
        s = end;
        if (i + 1 < n) {
            if (*s != '\t')
                return -1;
            s++;
        }
    }
    return *s == '\0' ? 0 : -1;
}

fsnsa_status fsnsa_sweep_run(const fsnsa_sweep *s, const fsnsa_sweep_options *o,
                             double *values, unsigned char *done,
                             fsnsa_error *err)
{
    const size_t nj = s->n_jobs, nv = s->n_values;
    memset(done, 0, nj);
    size_t n_loaded = 0;
    char key[KEY_MAX];
    /* First the jobs already in the file: a rerun only computes the rest. */
    if (o->jobs != NULL) {
        for (size_t j = 0; j < nj; j++) {
            if (s->key(s->ctx, j, key, sizeof key) != 0)
                return fsnsa__fail(err, FSNSA_ERR_ARG, "job %zu: key too long", j);
            const char *v = fsnsa_jobfile_find(o->jobs, key);
            if (v == NULL)
                continue;
            if (parse_values(v, values + j * nv, nv) != 0)
                return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                                   "job '%s': the results file holds '%s', "
                                   "expected %zu numbers", key, v, nv);
            done[j] = 1;
            n_loaded++;
        }
    }
    size_t n_done = n_loaded;
    if (o->progress != NULL)
        o->progress(o->progress_ctx, n_done, n_loaded, nj);

    fsnsa_status first = FSNSA_OK;
    fsnsa_error first_err = {0};
    int abort_all = 0;
    int threads = o->threads > 0 ? o->threads : 1;
    long long nj_ll = (long long)nj;

#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (long long jj = 0; jj < nj_ll; jj++) {
        size_t j = (size_t)jj;
        int go;
#pragma omp critical(fsnsa_sweep)
        {
            go = !done[j] && !abort_all && !(o->stop != NULL && *o->stop) &&
                 (s->skip == NULL || !s->skip(s->ctx, j, done, values));
        }
        if (go) {
            double *v = malloc(nv * sizeof *v + 1);
            char *line = malloc(nv * 26 + 1);
            char k[KEY_MAX];
            fsnsa_error e = {0};
            fsnsa_status st = FSNSA_OK;
            if (v == NULL || line == NULL)
                st = fsnsa__nomem(&e, "a job");
            else if (s->key(s->ctx, j, k, sizeof k) != 0)
                st = fsnsa__fail(&e, FSNSA_ERR_ARG, "job %zu: key too long", j);
            if (st == FSNSA_OK)
                st = s->run(s->ctx, j, v, &e);
            if (st == FSNSA_OK && o->jobs != NULL) {
                format_values(v, nv, line, nv * 26 + 1);
                st = fsnsa_jobfile_append(o->jobs, k, line, &e);
            }
#pragma omp critical(fsnsa_sweep)
            {
                if (st == FSNSA_OK) {
                    memcpy(values + j * nv, v, nv * sizeof *v);
                    done[j] = 1;
                    n_done++;
                    if (o->progress != NULL)
                        o->progress(o->progress_ctx, n_done, n_loaded, nj);
                } else if (first == FSNSA_OK ||
                           (first == FSNSA_ERR_INTERRUPTED &&
                            st != FSNSA_ERR_INTERRUPTED)) {
                    first = st;
                    first_err = e;
                    abort_all = 1;
                }
            }
            free(v);
            free(line);
        }
    }
    if (first != FSNSA_OK) {
        if (err != NULL)
            *err = first_err;
        return first;
    }
    if (o->stop != NULL && *o->stop)
        return fsnsa__fail(err, FSNSA_ERR_INTERRUPTED,
                           "stopped after %zu of %zu jobs", n_done, nj);
    return FSNSA_OK;
}

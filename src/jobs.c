/* Job files: the append-only results file behind every sweep, and the
 * sweep runner that fills it (docs/experiments.md).
 *
 * Format (text, one line per record):
 *   #fsnsa-jobs 1 TAB <header> NEWLINE
 *   <key> TAB <value fields...> TAB ~<crc32 of everything before the tab>
 * A record is appended with a single write() on an O_APPEND descriptor and
 * then fdatasync'd, so after a crash at most the last line is incomplete
 * (or, after power loss, filled with garbage); its checksum tells it apart
 * and open() truncates it. Only the tail can be damaged by a crash, so a
 * bad line followed by good ones is reported instead of repaired. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <omp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "#fsnsa-jobs 1\t"

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
    pthread_mutex_t lock;
};

static uint32_t crc32_of(const char *s, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= (unsigned char)s[i];
        for (int b = 0; b < 8; b++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

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
    if (crc32_of(s, body) != want)
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

fsnsa_status fsnsa_jobfile_open(const char *path, const char *header,
                                fsnsa_jobfile **out, fsnsa_error *err)
{
    *out = NULL;
    if (path == NULL || header == NULL || strpbrk(header, "\n\r") != NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "a job file needs a path and a one-line header");
    fsnsa_jobfile *jf = calloc(1, sizeof *jf);
    if (jf == NULL)
        return fsnsa__nomem(err, "a job file");
    jf->fd = -1;
    pthread_mutex_init(&jf->lock, NULL);
    fsnsa_status st = FSNSA_OK;
    char *buf = NULL;
    jf->path = fsnsa__strdup(path);
    if (jf->path == NULL) {
        st = fsnsa__nomem(err, "a job file");
        goto fail;
    }
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
    size_t size = 0;
    st = read_all(jf->fd, path, &buf, &size, err);
    if (st != FSNSA_OK)
        goto fail;

    size_t hlen = strlen(MAGIC) + strlen(header) + 1;
    char *hline = malloc(hlen + 1);
    if (hline == NULL) {
        st = fsnsa__nomem(err, "a job file");
        goto fail;
    }
    snprintf(hline, hlen + 1, "%s%s\n", MAGIC, header);
    size_t pos = 0;
    if (size == 0 || (size < hlen && memcmp(buf, hline, size) == 0)) {
        /* new file, or only a torn header: (re)write the header */
        if (size > 0 && ftruncate(jf->fd, 0) != 0) {
            free(hline);
            st = fsnsa__fail(err, FSNSA_ERR_IO, "%s: %s", path, strerror(errno));
            goto fail;
        }
        st = write_full(jf->fd, path, hline, hlen, err);
        free(hline);
        if (st != FSNSA_OK)
            goto fail;
        free(buf);
        *out = jf;
        return FSNSA_OK;
    }
    if (size < hlen || memcmp(buf, hline, hlen) != 0) {
        const char *nl = memchr(buf, '\n', size);
        int shown = (int)((nl != NULL ? (size_t)(nl - buf) : size) > 300
                              ? 300
                              : (nl != NULL ? (size_t)(nl - buf) : size));
        free(hline);
        if (size < strlen(MAGIC) || memcmp(buf, MAGIC, strlen(MAGIC)) != 0)
            st = fsnsa__fail(err, FSNSA_ERR_FORMAT,
                             "%s: not a fsnsa results file (refusing to "
                             "append to it)", path);
        else
            st = fsnsa__fail(err, FSNSA_ERR_FORMAT,
                             "%s: written by a different sweep; it has '%.*s', "
                             "this run is '%s' (use another --results file)",
                             path, shown - (int)strlen(MAGIC),
                             buf + strlen(MAGIC), header);
        goto fail;
    }
    free(hline);
    pos = hlen;
    size_t bad = 0; /* offset of the first damaged line, 0 = none */
    size_t bad_line = 0, line_no = 1;
    while (pos < size) {
        line_no++;
        const char *nl = memchr(buf + pos, '\n', size - pos);
        size_t len = nl != NULL ? (size_t)(nl - (buf + pos)) : size - pos;
        char *value = NULL;
        int nomem = 0;
        char *rec = nl != NULL ? parse_line(buf + pos, len, &value, &nomem)
                               : NULL;
        if (nomem) {
            st = fsnsa__nomem(err, "a job record");
            goto fail;
        }
        if (rec == NULL) {
            if (bad == 0) {
                bad = pos;
                bad_line = line_no;
            }
        } else if (bad != 0) {
            free(rec);
            st = fsnsa__fail(err, FSNSA_ERR_FORMAT,
                             "%s:%zu: damaged line before intact ones; the "
                             "file was edited or corrupted, not cut short "
                             "by a crash", path, bad_line);
            goto fail;
        } else {
            st = add_record(jf, rec, value, err);
            if (st != FSNSA_OK)
                goto fail;
        }
        pos += len + (nl != NULL ? 1 : 0);
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
    free(buf);
    *out = jf;
    return FSNSA_OK;
fail:
    free(buf);
    fsnsa_jobfile_close(jf);
    return st;
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
    size_t len = kl + 1 + vl + 11;
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
    snprintf(line + body, 12, "\t~%08x", (unsigned)crc32_of(line, body));
    line[body + 10] = '\n';
    size_t total = body + 11;

    pthread_mutex_lock(&jf->lock);
    fsnsa_status st = write_full(jf->fd, jf->path, line, total, err);
    if (st == FSNSA_OK) {
        /* keep the index in step with the file */
        char *v = NULL;
        int nomem;
        char *rec = parse_line(line, total - 1, &v, &nomem);
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

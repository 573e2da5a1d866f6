/* The job file: the append-only results file behind every sweep
 * (docs/experiments.md, "Job files"): open and lock it, check its header
 * (job_header.c), index its records, cut a torn tail, append.
 *
 * Each record is one line after the header:
 *   <key> TAB <value fields...> TAB ~<crc32 of everything before the tab>
 * A record is appended with a single write() on an O_APPEND descriptor and
 * then fdatasync'd (or, fsnsa_jobfile_sync_every, the lines of a short
 * interval together), so after a crash at most the last line is incomplete
 * (or, after power loss, filled with garbage); its checksum tells it apart
 * and opening the file truncates it. Only the tail can be damaged by a
 * crash, so a bad line followed by good ones is reported instead of
 * repaired. */
#include "exp.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
    double sync_every; /* fsnsa_jobfile_sync_every; 0: every line */
    double synced_at;  /* when the last fdatasync was */
    int unsynced;      /* lines written since */
    pthread_mutex_t lock;
};

/* ------------------------------------------------------------------ */
/* The index of the records by key                                     */
/* ------------------------------------------------------------------ */

static fsnsa_status index_grow(fsnsa_jobfile *jf, fsnsa_error *err)
{
    size_t ns = jf->n_slot ? jf->n_slot * 2 : 1024;
    size_t *slot = fsnsa__calloc(ns, sizeof *slot);
    if (slot == NULL)
        return fsnsa__nomem(err, "the job index");
    for (size_t i = 0; i < jf->n; i++) {
        size_t h = (size_t)fsnsa__key_hash(jf->rec[i].key) & (ns - 1);
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
    size_t h = (size_t)fsnsa__key_hash(key) & (jf->n_slot - 1);
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
    size_t h = (size_t)fsnsa__key_hash(line) & (jf->n_slot - 1);
    while (jf->slot[h] != 0)
        h = (h + 1) & (jf->n_slot - 1);
    jf->slot[h] = jf->n;
    return FSNSA_OK;
}

/* ------------------------------------------------------------------ */
/* Record lines                                                        */
/* ------------------------------------------------------------------ */

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

fsnsa_status fsnsa__job_lines(const char *path, const char *buf, size_t size,
                              size_t pos, size_t *bad,
                              fsnsa_status (*add)(void *ctx, char *rec,
                                                  char *value, size_t line,
                                                  fsnsa_error *err),
                              void *ctx, fsnsa_error *err)
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
                               "by a crash", path, bad_line);
        } else {
            fsnsa_status st = add(ctx, rec, value, line_no, err);
            if (st != FSNSA_OK)
                return st;
        }
        pos += len + (nl != NULL ? 1 : 0);
    }
    return FSNSA_OK;
}

static fsnsa_status add_loaded(void *jf, char *rec, char *value, size_t line,
                               fsnsa_error *err)
{
    (void)line;
    return add_record(jf, rec, value, err);
}

/* ------------------------------------------------------------------ */
/* Reading and writing the file                                        */
/* ------------------------------------------------------------------ */

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

/* One write() for the whole line: O_APPEND makes it land at the end as
 * a unit; a short write (disk full) is retried for the rest. */
static fsnsa_status write_all(int fd, const char *path, const char *s,
                              size_t n, fsnsa_error *err)
{
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
    return FSNSA_OK;
}

static fsnsa_status write_full(int fd, const char *path, const char *s,
                               size_t n, fsnsa_error *err)
{
    fsnsa_status st = write_all(fd, path, s, n, err);
    if (st == FSNSA_OK && fdatasync(fd) != 0)
        return fsnsa__fail(err, FSNSA_ERR_IO, "%s: cannot sync: %s", path,
                           strerror(errno));
    return st;
}

/* The written lines synced (under jf->lock). */
static fsnsa_status sync_now(fsnsa_jobfile *jf, fsnsa_error *err)
{
    jf->unsynced = 0;
    jf->synced_at = fsnsa_monotonic_seconds();
    if (fdatasync(jf->fd) != 0)
        return fsnsa__fail(err, FSNSA_ERR_IO, "%s: cannot sync: %s",
                           jf->path, strerror(errno));
    return FSNSA_OK;
}

/* One record line, written whole (O_APPEND) and synced now or, with
 * sync_every, once that long has passed since the last sync (under
 * jf->lock). */
static fsnsa_status append_line(fsnsa_jobfile *jf, const char *s, size_t n,
                                fsnsa_error *err)
{
    fsnsa_status st = write_all(jf->fd, jf->path, s, n, err);
    if (st != FSNSA_OK)
        return st;
    jf->unsynced = 1;
    if (jf->sync_every > 0 &&
        fsnsa_monotonic_seconds() - jf->synced_at < jf->sync_every)
        return FSNSA_OK;
    return sync_now(jf, err);
}

void fsnsa_jobfile_sync_every(fsnsa_jobfile *jf, double seconds)
{
    pthread_mutex_lock(&jf->lock);
    jf->sync_every = seconds > 0 ? seconds : 0;
    jf->synced_at = fsnsa_monotonic_seconds();
    pthread_mutex_unlock(&jf->lock);
}

fsnsa_status fsnsa_jobfile_sync(fsnsa_jobfile *jf, fsnsa_error *err)
{
    pthread_mutex_lock(&jf->lock);
    fsnsa_status st = jf->unsynced && jf->fd >= 0 ? sync_now(jf, err)
                                                   : FSNSA_OK;
    pthread_mutex_unlock(&jf->lock);
    return st;
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

/* Replace the file's header line by `line`, keeping its intact records
 * buf[rec_start..rec_end) and line ends: a new file written atomically
 * in its place. */
static fsnsa_status rewrite_header(const fsnsa_jobfile *jf, const char *line,
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

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

void fsnsa_jobfile_close(fsnsa_jobfile *jf)
{
    if (jf == NULL)
        return;
    if (jf->fd >= 0) {
        if (jf->unsynced)
            (void)fdatasync(jf->fd); /* the lines sync_every deferred */
        close(jf->fd); /* also releases the fcntl lock */
    }
    for (size_t i = 0; i < jf->n; i++)
        free(jf->rec[i].key);
    free(jf->rec);
    free(jf->slot);
    free(jf->path);
    pthread_mutex_destroy(&jf->lock);
    free(jf);
}

static fsnsa_status jobfile_new(const char *path, fsnsa_jobfile **out,
                                fsnsa_error *err)
{
    fsnsa_jobfile *jf = calloc(1, sizeof *jf);
    *out = NULL;
    if (jf == NULL)
        return fsnsa__nomem(err, "a job file");
    jf->fd = -1;
    pthread_mutex_init(&jf->lock, NULL);
    jf->path = fsnsa__strdup(path);
    if (jf->path == NULL) {
        fsnsa_jobfile_close(jf);
        return fsnsa__nomem(err, "a job file");
    }
    *out = jf;
    return FSNSA_OK;
}

/* Open the file for appending, created if need be, and lock it against
 * other processes. */
static fsnsa_status open_locked(fsnsa_jobfile *jf, fsnsa_error *err)
{
    /* a FIFO or device would block or never read back: refused */
    fsnsa_status st = fsnsa_output_check(jf->path, FSNSA_OUTPUT_APPEND, err);
    if (st != FSNSA_OK)
        return st;
    jf->fd = open(jf->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (jf->fd < 0)
        return fsnsa__fail(err, FSNSA_ERR_IO, "%s: %s", jf->path,
                           strerror(errno));
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (fcntl(jf->fd, F_SETLK, &fl) != 0)
        return fsnsa__fail(err, FSNSA_ERR_IO,
                           "%s: in use by another process (%s)", jf->path,
                           strerror(errno));
    return FSNSA_OK;
}

/* Continue the file held in buf[0..size): check its header against this
 * run's, index its records and cut a torn tail, or, for a format-1 file
 * to adopt, rewrite it with `line` as its header (*adopted = 1; the
 * caller then opens the new file). */
static fsnsa_status continue_file(fsnsa_jobfile *jf, const char *buf,
                                  size_t size, const char *v1,
                                  const fsnsa_job_header *h, const char *line,
                                  int *adopted, fsnsa_error *err)
{
    fsnsa__job_header_found found;
    fsnsa_status st = fsnsa__job_header_read(jf->path, buf, size, v1, h,
                                             &found, err);
    if (st != FSNSA_OK)
        return st;
    jf->crlf = found.crlf;
    size_t bad = 0;
    st = fsnsa__job_lines(jf->path, buf, size, found.records, &bad,
                          add_loaded, jf, err);
    if (st != FSNSA_OK)
        return st;
    if (bad != 0)
        jf->repaired = size - bad;
    if (found.adopt) {
        /* no other process can have the file (we hold its lock); the new
         * one replaces it whole */
        st = rewrite_header(jf, line, buf, found.records,
                            bad != 0 ? bad : size, err);
        *adopted = st == FSNSA_OK;
        return st;
    }
    /* a torn tail from a crash: cut it so the next append starts on a
     * fresh line */
    if (bad != 0 && (ftruncate(jf->fd, (off_t)bad) != 0 ||
                     fdatasync(jf->fd) != 0))
        return fsnsa__fail(err, FSNSA_ERR_IO, "%s: cannot truncate: %s",
                           jf->path, strerror(errno));
    return FSNSA_OK;
}

static fsnsa_status open_file(const char *path, const char *v1,
                              const fsnsa_job_header *h, fsnsa_jobfile **out,
                              fsnsa_error *err)
{
    *out = NULL;
    fsnsa_jobfile *jf;
    fsnsa_status st = jobfile_new(path, &jf, err);
    if (st != FSNSA_OK)
        return st;
    char *buf = NULL, *line = NULL;
    size_t size = 0;
    int adopted = 0;
    st = fsnsa__job_header_line(v1, h, &line, err);
    if (st == FSNSA_OK)
        st = open_locked(jf, err);
    if (st == FSNSA_OK)
        st = read_all(jf->fd, path, &buf, &size, err);
    if (st == FSNSA_OK) {
        if (size == 0 || fsnsa__job_header_torn(buf, size))
            /* new file, or only a torn header: (re)write the header */
            st = write_header(jf, line, size > 0, err);
        else
            st = continue_file(jf, buf, size, v1, h, line, &adopted, err);
    }
    free(buf);
    free(line);
    if (st != FSNSA_OK || adopted) {
        size_t repaired = jf->repaired;
        fsnsa_jobfile_close(jf);
        if (st != FSNSA_OK)
            return st;
        /* the adopted file opens like any format-2 file */
        fsnsa_job_header again = *h;
        again.legacy_header = NULL;
        st = open_file(path, NULL, &again, out, err);
        if (st == FSNSA_OK) {
            (*out)->adopted = 1;
            (*out)->repaired = repaired;
        }
        return st;
    }
    *out = jf;
    return FSNSA_OK;
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
    fsnsa_status st = fsnsa__job_header_valid(h, err);
    return st != FSNSA_OK ? st : open_file(path, NULL, h, out, err);
}

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

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

char *fsnsa__job_line_format(const char *key, const char *value, int crlf,
                             size_t *len, size_t *body)
{
    size_t kl = strlen(key), vl = value != NULL ? strlen(value) : 0;
    char *line = malloc(kl + 1 + vl + 13);
    if (line == NULL)
        return NULL;
    memcpy(line, key, kl);
    size_t b = kl;
    if (vl > 0) {
        line[b++] = '\t';
        memcpy(line + b, value, vl);
        b += vl;
    }
    snprintf(line + b, 12, "\t~%08x", (unsigned)fsnsa__crc32(line, b));
    size_t total = b + 10;
    /* a file copied through Windows keeps its CR LF line ends */
    if (crlf)
        line[total++] = '\r';
    line[total++] = '\n';
    *len = total;
    *body = b + 10;
    return line;
}

fsnsa_status fsnsa_jobfile_append(fsnsa_jobfile *jf, const char *key,
                                  const char *value, fsnsa_error *err)
{
    if (*key == '\0' || strpbrk(key, "\t\n\r") != NULL ||
        (value != NULL && strpbrk(value, "\n\r") != NULL))
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "job key '%s' or its value has a tab or newline",
                           key);
    size_t total, body;
    char *line = fsnsa__job_line_format(key, value, jf->crlf, &total, &body);
    if (line == NULL)
        return fsnsa__nomem(err, "a job line");

    pthread_mutex_lock(&jf->lock);
    fsnsa_status st = append_line(jf, line, total, err);
    if (st == FSNSA_OK) {
        /* keep the index in step with the file */
        char *v = NULL;
        int nomem;
        char *rec = parse_line(line, body, &v, &nomem);
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
/* In memory: the index of a merge (merge.c)                           */
/* ------------------------------------------------------------------ */

fsnsa_status fsnsa__jobfile_memory(const char *name, fsnsa_jobfile **out,
                                   fsnsa_error *err)
{
    return jobfile_new(name, out, err);
}

fsnsa_status fsnsa__jobfile_add(fsnsa_jobfile *jf, char *rec, char *value,
                                fsnsa_error *err)
{
    return add_record(jf, rec, value, err);
}

void fsnsa__jobfile_record(const fsnsa_jobfile *jf, size_t i,
                           const char **key, const char **value)
{
    *key = jf->rec[i].key;
    *value = jf->rec[i].value;
}

fsnsa_status fsnsa__jobfile_slurp(const char *path, char **buf, size_t *size,
                                  fsnsa_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fsnsa__fail(err, FSNSA_ERR_IO, "%s: %s", path,
                           strerror(errno));
    fsnsa_status st = read_all(fd, path, buf, size, err);
    close(fd);
    return st;
}

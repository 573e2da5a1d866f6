/* Merging the job files of a sweep's shards (--shard I/N, for job arrays
 * and other batch systems without MPI) into one, which the sweep's command
 * then reads like any job file: the headers must name one sweep, each job
 * is kept once, and lines of one key that disagree are conflicts, since a
 * job's values depend on its key alone (all but the time it took). */
#include "exp.h"

#include <stdlib.h>
#include <string.h>

/* The merge in progress. */
typedef struct {
    fsnsa_jobfile *index;       /* every key once, in the order first met */
    const char *path;           /* the file being read */
    const char *spec;           /* the header's values= field */
    size_t spec_len;
    fsnsa_merge_report *rep;
    fsnsa_error first_conflict;
} merge_state;

/* The position of "seconds" among the value names that apply to `key`:
 * spec is "a b seconds" or, for a sweep of several kinds of job, groups
 * "cv=acc loss seconds, final=acc ... seconds" chosen by the key's first
 * part. -1 when none. */
static long seconds_column(const char *spec, size_t len, const char *key)
{
    const char *end = spec + len;
    while (spec < end) {
        const char *comma = memchr(spec, ',', (size_t)(end - spec));
        const char *g_end = comma != NULL ? comma : end;
        while (spec < g_end && *spec == ' ')
            spec++;
        const char *eq = memchr(spec, '=', (size_t)(g_end - spec));
        size_t pl = eq != NULL ? (size_t)(eq - spec) : 0;
        if (eq == NULL ||
            (strncmp(key, spec, pl) == 0 && key[pl] == '/')) {
            long col = 0;
            for (const char *w = eq != NULL ? eq + 1 : spec; w < g_end;) {
                const char *sp = memchr(w, ' ', (size_t)(g_end - w));
                const char *w_end = sp != NULL ? sp : g_end;
                if (w_end - w == 7 && memcmp(w, "seconds", 7) == 0)
                    return col;
                col += w_end > w;
                w = w_end + 1;
            }
            return -1;
        }
        spec = g_end + (g_end < end);
    }
    return -1;
}

/* Whether two value texts agree in every tab-separated field but `skip`. */
static int values_agree(const char *a, const char *b, long skip)
{
    for (long col = 0;; col++) {
        size_t la = strcspn(a, "\t"), lb = strcspn(b, "\t");
        if (col != skip && (la != lb || memcmp(a, b, la) != 0))
            return 0;
        a += la;
        b += lb;
        if (*a == '\0' || *b == '\0')
            return *a == *b;
        a++;
        b++;
    }
}

static fsnsa_status merge_line(void *ctx, char *rec, char *value, size_t line,
                               fsnsa_error *err)
{
    merge_state *m = ctx;
    const char *had = fsnsa_jobfile_find(m->index, rec);
    if (had == NULL)
        return fsnsa__jobfile_add(m->index, rec, value, err);
    long skip = seconds_column(m->spec, m->spec_len, rec);
    if (values_agree(had, value, skip)) {
        m->rep->duplicates++;
    } else if (m->rep->conflicts++ == 0) {
        fsnsa__fail(&m->first_conflict, FSNSA_ERR_FORMAT,
                    "%s:%zu: job '%.200s' has other values than in an "
                    "earlier file ('%.120s' and '%.120s'): the files come "
                    "from different builds or machines that compute "
                    "differently", m->path, line, rec, had, value);
    }
    free(rec);
    return FSNSA_OK;
}

/* One file into the merge; *header (malloc'ed, the first file's) is
 * compared with this file's header line, or set from it. */
static fsnsa_status merge_file(merge_state *m, const char *path, char **header,
                               size_t *header_len, const char **first_path,
                               fsnsa_error *err)
{
    char *buf = NULL;
    size_t size = 0;
    fsnsa_status st = fsnsa__jobfile_slurp(path, &buf, &size, err);
    if (st != FSNSA_OK)
        return st;
    const char *nl = memchr(buf, '\n', size);
    size_t hl = nl != NULL ? (size_t)(nl - buf) : size;
    size_t body = hl > 0 && buf[hl - 1] == '\r' ? hl - 1 : hl;
    if (*header == NULL) {
        st = fsnsa__job_header_same(path, buf, body, path, buf, body, err);
        if (st == FSNSA_OK && (*header = malloc(body + 1)) == NULL)
            st = fsnsa__nomem(err, "a job file header");
        if (st == FSNSA_OK) {
            memcpy(*header, buf, body);
            (*header)[body] = '\0';
            *header_len = body;
            *first_path = path;
            if (!fsnsa__job_header_field(*header, body, "values", &m->spec,
                                         &m->spec_len))
                m->spec_len = 0;
        }
    } else {
        st = fsnsa__job_header_same(*first_path, *header, *header_len, path,
                                    buf, body, err);
    }
    size_t bad = 0;
    m->path = path;
    if (st == FSNSA_OK && nl != NULL)
        st = fsnsa__job_lines(path, buf, size, hl + 1, &bad, merge_line, m,
                              err);
    m->rep->torn += bad != 0;
    m->rep->files++;
    free(buf);
    return st;
}

/* The merged file: header, then each record line. */
static fsnsa_status write_merged(const char *out, const char *header,
                                 const fsnsa_jobfile *index, fsnsa_error *err)
{
    fsnsa__strbuf b = {0};
    fsnsa__sb_str(&b, header);
    fsnsa__sb_str(&b, "\n");
    for (size_t i = 0; i < fsnsa_jobfile_count(index) && !b.oom; i++) {
        const char *key, *value;
        fsnsa__jobfile_record(index, i, &key, &value);
        size_t len, body;
        char *line = fsnsa__job_line_format(key, *value ? value : NULL, 0,
                                            &len, &body);
        if (line == NULL) {
            fsnsa__sb_free(&b);
            return fsnsa__nomem(err, "the merged file");
        }
        fsnsa__sb_put(&b, line, len);
        free(line);
    }
    fsnsa_status st = b.oom ? fsnsa__nomem(err, "the merged file")
                            : fsnsa__write_atomic(out, b.p, b.len, err);
    fsnsa__sb_free(&b);
    return st;
}

fsnsa_status fsnsa_jobfile_merge(const char *const *paths, size_t n,
                                 const char *out, fsnsa_merge_report *rep,
                                 fsnsa_error *err)
{
    memset(rep, 0, sizeof *rep);
    if (paths == NULL || n == 0 || out == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "a merge needs job files and an output file");
    /* the result is a job file: a FIFO or device is refused before any
     * work */
    fsnsa_status st = fsnsa_output_check(out, FSNSA_OUTPUT_APPEND, err);
    merge_state m = {NULL, NULL, "", 0, rep, {0}};
    if (st == FSNSA_OK)
        st = fsnsa__jobfile_memory(out, &m.index, err);
    char *header = NULL;
    size_t header_len = 0;
    const char *first = NULL;
    for (size_t i = 0; i < n && st == FSNSA_OK; i++)
        st = merge_file(&m, paths[i], &header, &header_len, &first, err);
    if (st == FSNSA_OK && rep->conflicts > 0) {
        if (err != NULL)
            *err = m.first_conflict;
        st = FSNSA_ERR_FORMAT;
    }
    rep->jobs = fsnsa_jobfile_count(m.index);
    if (st == FSNSA_OK)
        st = write_merged(out, header, m.index, err);
    free(header);
    fsnsa_jobfile_close(m.index);
    return st;
}

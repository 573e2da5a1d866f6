/* The sweep runner: the jobs already in the job file are loaded, the rest
 * run on several threads and are appended as each finishes, so that an
 * interrupted sweep loses and repeats nothing. Which thread runs a job
 * never changes its result (its seed comes from its key, keys.c). */
#include "exp.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX FSNSA__KEY_MAX

void fsnsa_sweep_options_default(fsnsa_sweep_options *o)
{
    memset(o, 0, sizeof *o);
    o->threads = 1;
}

void fsnsa__sweep_format_values(const double *v, size_t n, char *buf,
                                size_t size)
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

/* n values, or at least min of them with the rest NaN (min 0: n). */
int fsnsa__sweep_parse_values(const char *s, double *v, size_t n, size_t min)
{
    size_t lo = min > 0 && min < n ? min : n;
    for (size_t i = 0; i < n; i++) {
        if (*s == '\0' && i > 0 && i >= lo) {
            for (; i < n; i++)
                v[i] = NAN;
            return 0;
        }
        if (i > 0 && *s++ != '\t')
            return -1;
        char *end;
        v[i] = strtod(s, &end);
        if (end == s)
            return -1;
        s = end;
    }
    return *s == '\0' ? 0 : -1;
}

/* The values of the jobs already in the file: a rerun only computes the
 * rest. */
static fsnsa_status load_known(const fsnsa_sweep *s, const fsnsa_jobfile *jobs,
                               double *values, unsigned char *done,
                               size_t *n_loaded, fsnsa_error *err)
{
    char key[KEY_MAX];
    for (size_t j = 0; j < s->n_jobs; j++) {
        if (s->key(s->ctx, j, key, sizeof key) != 0)
            return fsnsa__fail(err, FSNSA_ERR_ARG, "job %zu: key too long", j);
        const char *v = fsnsa_jobfile_find(jobs, key);
        if (v == NULL)
            continue;
        if (fsnsa__sweep_parse_values(v, values + j * s->n_values,
                                      s->n_values, s->n_values_min) != 0)
            return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                               "job '%s': the results file holds '%s', "
                               "expected %zu numbers", key, v, s->n_values);
        done[j] = 1;
        (*n_loaded)++;
    }
    return FSNSA_OK;
}

/* Run job j into v and append it to the file (if any). */
fsnsa_status fsnsa__sweep_run_job(const fsnsa_sweep *s, fsnsa_jobfile *jobs,
                                  size_t j, double *v, fsnsa_error *err)
{
    char key[KEY_MAX];
    if (s->key(s->ctx, j, key, sizeof key) != 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "job %zu: key too long", j);
    fsnsa_status st = s->run(s->ctx, j, v, err);
    if (st != FSNSA_OK || jobs == NULL)
        return st;
    size_t size = s->n_values * 26 + 1;
    char *line = malloc(size);
    if (line == NULL)
        return fsnsa__nomem(err, "a job");
    fsnsa__sweep_format_values(v, s->n_values, line, size);
    st = fsnsa_jobfile_append(jobs, key, line, err);
    free(line);
    return st;
}

typedef fsnsa_sweep_exec sweep_state;

void fsnsa__sweep_progress(const sweep_state *w)
{
    if (w->o->progress != NULL)
        w->o->progress(w->o->progress_ctx, w->n_done, w->n_loaded,
                       w->s->n_jobs);
}

/* Whether job j is to start now: not known, nothing failed or asked to
 * stop, and not skipped. Called under the sweep's lock. */
int fsnsa__sweep_should_start(const sweep_state *w, size_t j)
{
    const fsnsa_sweep *s = w->s;
    return !w->done[j] && !w->abort_all &&
           (w->mine == NULL || w->mine[j]) &&
           !(w->o->stop != NULL && *w->o->stop) &&
           (s->skip == NULL || !s->skip(s->ctx, j, w->done, w->values));
}

/* Keep job j's outcome, under the sweep's lock: its values, or the error
 * that stops the sweep (any error rather than an interruption). */
void fsnsa__sweep_keep(sweep_state *w, size_t j, const double *v,
                       fsnsa_status st, const fsnsa_error *e)
{
    const size_t nv = w->s->n_values;
    if (st == FSNSA_OK) {
        memcpy(w->values + j * nv, v, nv * sizeof *v);
        w->done[j] = 1;
        w->n_done++;
        fsnsa__sweep_progress(w);
    } else if (w->first == FSNSA_OK ||
               (w->first == FSNSA_ERR_INTERRUPTED &&
                st != FSNSA_ERR_INTERRUPTED)) {
        w->first = st;
        w->first_err = *e;
        w->abort_all = 1;
    }
}

/* A shard's end: FSNSA_ERR_INTERRUPTED when jobs that are neither known
 * nor skipped remain, which only the other shards run. */
static fsnsa_status shard_end(const sweep_state *w, fsnsa_error *err)
{
    const fsnsa_sweep *s = w->s;
    size_t missing = 0;
    for (size_t j = 0; j < s->n_jobs; j++)
        missing += !w->done[j] &&
                   (s->skip == NULL || !s->skip(s->ctx, j, w->done,
                                                w->values));
    if (missing == 0)
        return FSNSA_OK;
    return fsnsa__fail(err, FSNSA_ERR_INTERRUPTED,
                       "shard %zu/%zu done; %zu jobs of the other shards "
                       "are missing", w->o->shard,
                       w->o->n_shards, missing);
}

/* Every job not known, not skipped and of this shard, on o->threads
 * threads. */
static void run_all(sweep_state *w)
{
    const fsnsa_sweep *s = w->s;
    int threads = w->o->threads > 0 ? w->o->threads : 1;
    fsnsa_jobfile *jobs = w->o->jobs;
    long long nj = (long long)s->n_jobs;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (long long jj = 0; jj < nj; jj++) {
        size_t j = (size_t)jj;
        int go;
#pragma omp critical(fsnsa_sweep)
        go = fsnsa__sweep_should_start(w, j);
        if (!go)
            continue;
        double *v = malloc(s->n_values * sizeof *v + 1);
        fsnsa_error e = {0};
        fsnsa_status st = v == NULL ? fsnsa__nomem(&e, "a job")
                                    : fsnsa__sweep_run_job(s, jobs, j, v, &e);
#pragma omp critical(fsnsa_sweep)
        fsnsa__sweep_keep(w, j, v, st, &e);
        free(v);
    }
}

fsnsa_status fsnsa_sweep_run(const fsnsa_sweep *s, const fsnsa_sweep_options *o,
                             double *values, unsigned char *done,
                             fsnsa_error *err)
{
    memset(done, 0, s->n_jobs);
    sweep_state w = {s, o, values, done, NULL, 0, 0, FSNSA_OK, {0}, 0};

    unsigned char *mine = NULL;
    fsnsa_status st = fsnsa__shard_mine(s, o, &mine, err);
    if (st == FSNSA_OK && o->jobs != NULL)
        st = load_known(s, o->jobs, values, done, &w.n_loaded, err);
    if (st != FSNSA_OK) {
        free(mine);
        return st;
    }
    w.mine = mine;
    w.n_done = w.n_loaded;
    fsnsa__sweep_progress(&w);
    if (o->runner != NULL) {
        /* another way to run the jobs (fsnsa-mpi: over MPI ranks) */
        fsnsa_error e = {0};
        fsnsa_status rs = o->runner(o->runner_ctx, &w, &e);
        if (rs != FSNSA_OK)
            fsnsa__sweep_keep(&w, 0, NULL, rs, &e);
    } else {
        run_all(&w);
    }
    if (w.first != FSNSA_OK) {
        if (err != NULL)
            *err = w.first_err;
        st = w.first;
    } else if (o->stop != NULL && *o->stop) {
        st = fsnsa__fail(err, FSNSA_ERR_INTERRUPTED,
                         "stopped after %zu of %zu jobs", w.n_done,
                         s->n_jobs);
    } else if (mine != NULL) {
        st = shard_end(&w, err);
    }
    free(mine);
    return st;
}

/* A sweep run by another runner than the threads of sweep.c: fsnsa-mpi's
 * manager rank hands the jobs out and keeps the results its workers send
 * back, with the same job file, known jobs, skips and shard as a sweep in
 * one process, so that the results are the same. */
#include "exp.h"

#include <stdlib.h>
#include <string.h>

size_t fsnsa_sweep_exec_jobs(const fsnsa_sweep_exec *x)
{
    return x->s->n_jobs;
}

int fsnsa_sweep_exec_startable(const fsnsa_sweep_exec *x, size_t j)
{
    return j < x->s->n_jobs && fsnsa__sweep_should_start(x, j);
}

double fsnsa_sweep_exec_cost(const fsnsa_sweep_exec *x, size_t j)
{
    return x->s->cost != NULL ? x->s->cost(x->s->ctx, j) : 0;
}

int fsnsa_sweep_exec_key(const fsnsa_sweep_exec *x, size_t j, char *buf,
                         size_t size)
{
    return j < x->s->n_jobs ? x->s->key(x->s->ctx, j, buf, size) : -1;
}

fsnsa_status fsnsa_sweep_exec_run(fsnsa_sweep_exec *x, size_t j, char **line,
                                  fsnsa_error *err)
{
    *line = NULL;
    const size_t nv = x->s->n_values;
    double *v = malloc(nv * sizeof *v + 1);
    size_t size = nv * 26 + 1;
    char *text = malloc(size);
    fsnsa_status st = v == NULL || text == NULL
                          ? fsnsa__nomem(err, "a job")
                          : fsnsa__sweep_run_job(x->s, NULL, j, v, err);
    if (st == FSNSA_OK) {
        fsnsa__sweep_format_values(v, nv, text, size);
        *line = text;
    } else {
        free(text);
    }
    free(v);
    return st;
}

fsnsa_status fsnsa_sweep_exec_keep(fsnsa_sweep_exec *x, size_t j,
                                   const char *key, const char *line,
                                   fsnsa_error *err)
{
    char want[FSNSA__KEY_MAX];
    const size_t nv = x->s->n_values;
    if (fsnsa_sweep_exec_key(x, j, want, sizeof want) != 0 ||
        strcmp(want, key) != 0)
        return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                           "job %zu: a result for '%.200s' came back, "
                           "expected '%.200s'", j, key, want);
    if (x->done[j])
        return FSNSA_OK; /* already known: a job file keeps a key once */
    double *v = malloc(nv * sizeof *v + 1);
    if (v == NULL)
        return fsnsa__nomem(err, "a job");
    fsnsa_status st = FSNSA_OK;
    if (fsnsa__sweep_parse_values(line, v, nv, 0) != 0)
        st = fsnsa__fail(err, FSNSA_ERR_FORMAT,
                         "job '%.200s': the result '%.200s' is not %zu "
                         "numbers", key, line, nv);
    if (st == FSNSA_OK && x->o->jobs != NULL)
        st = fsnsa_jobfile_append(x->o->jobs, key, line, err);
    if (st == FSNSA_OK)
        fsnsa__sweep_keep(x, j, v, FSNSA_OK, NULL);
    free(v);
    return st;
}

void fsnsa_sweep_exec_fail(fsnsa_sweep_exec *x, fsnsa_status st,
                           const fsnsa_error *e)
{
    fsnsa__sweep_keep(x, 0, NULL, st, e);
}

void fsnsa_sweep_exec_state(fsnsa_sweep_exec *x, unsigned char **done,
                            double **values, size_t *n_values,
                            fsnsa_status **first, fsnsa_error **first_err)
{
    *done = x->done;
    *values = x->values;
    *n_values = x->s->n_values;
    *first = &x->first;
    *first_err = &x->first_err;
}

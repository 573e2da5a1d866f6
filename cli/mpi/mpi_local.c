/* Rank 0's worker thread: see mpi_local.h. */
#include "mpi_local.h"

#include <omp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { IDLE, GIVEN, RUNNING, FINISHED, QUIT };

struct mpi_local {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    fsnsa_sweep_exec *x;
    int threads;
    int state; /* IDLE -> GIVEN -> RUNNING -> FINISHED -> IDLE; QUIT */
    size_t j;
    char key[512];
    char *line;
    fsnsa_status st;
    fsnsa_error e;
};

/* Job w->j into w->key, w->line (or w->st, w->e). */
static void run_job(mpi_local *w)
{
    memset(&w->e, 0, sizeof w->e);
    w->line = NULL;
    w->st = fsnsa_sweep_exec_key(w->x, w->j, w->key, sizeof w->key) == 0
                ? fsnsa_sweep_exec_run(w->x, w->j, &w->line, &w->e)
                : FSNSA_ERR_ARG;
    if (w->st == FSNSA_ERR_ARG && w->line == NULL && w->e.msg[0] == '\0')
        snprintf(w->e.msg, sizeof w->e.msg, "job %zu: key too long", w->j);
}

static void *thread_main(void *arg)
{
    mpi_local *w = arg;
    /* a thread of its own starts with OpenMP's global defaults */
    omp_set_num_threads(w->threads);
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->state != GIVEN && w->state != QUIT)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->state == QUIT)
            break;
        w->state = RUNNING;
        pthread_mutex_unlock(&w->mu);
        run_job(w);
        pthread_mutex_lock(&w->mu);
        w->state = FINISHED;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

mpi_local *mpi_local_start(fsnsa_sweep_exec *x, int threads)
{
    mpi_local *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->x = x;
    w->threads = threads > 0 ? threads : 1;
    w->state = IDLE;
    if (pthread_mutex_init(&w->mu, NULL) != 0) {
        free(w);
        return NULL;
    }
    if (pthread_cond_init(&w->cv, NULL) != 0 ||
        pthread_create(&w->thread, NULL, thread_main, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        free(w);
        return NULL;
    }
    return w;
}

void mpi_local_give(mpi_local *w, size_t j)
{
    pthread_mutex_lock(&w->mu);
    w->j = j;
    w->state = GIVEN;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

/* The finished job kept, w back to IDLE (called with w->mu held). */
static void take(mpi_local *w, fsnsa_sweep_exec *x)
{
    fsnsa_status st = w->st;
    fsnsa_error e = w->e;
    if (st == FSNSA_OK)
        st = fsnsa_sweep_exec_keep(x, w->j, w->key, w->line, &e);
    if (st != FSNSA_OK) {
        e.code = st;
        fsnsa_sweep_exec_fail(x, st, &e);
    }
    free(w->line);
    w->line = NULL;
    w->state = IDLE;
}

int mpi_local_collect(mpi_local *w, fsnsa_sweep_exec *x)
{
    pthread_mutex_lock(&w->mu);
    int finished = w->state == FINISHED;
    if (finished)
        take(w, x);
    pthread_mutex_unlock(&w->mu);
    return finished;
}

void mpi_local_stop(mpi_local *w, fsnsa_sweep_exec *x)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->mu);
    while (w->state == GIVEN || w->state == RUNNING)
        pthread_cond_wait(&w->cv, &w->mu);
    if (w->state == FINISHED)
        take(w, x);
    w->state = QUIT;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

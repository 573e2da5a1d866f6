/* Rank 0's own worker: a thread that trains the jobs the manager hands
 * it, so that rank 0's core trains as well as dispatches (at np = 2 there
 * are two trainers, not one). Only the manager's main thread calls MPI
 * (MPI_THREAD_FUNNELED); this thread touches no MPI state and calls only
 * fsnsa_sweep_exec_key and fsnsa_sweep_exec_run, which run concurrently
 * with the manager's other fsnsa_sweep_exec_* calls as a sweep's own
 * threads do. */
#ifndef FSNSA_CLI_MPI_LOCAL_H
#define FSNSA_CLI_MPI_LOCAL_H

#include <stddef.h>

#include "fsnsa_exp.h"

typedef struct mpi_local mpi_local;

/* The thread started, idle; NULL when it cannot be (then rank 0 only
 * manages, as before). threads: its training step's OpenMP threads. */
mpi_local *mpi_local_start(fsnsa_sweep_exec *x, int threads);
/* Hand it job j: it must be idle (started, or its last job collected). */
void mpi_local_give(mpi_local *w, size_t j);
/* When its job is finished: 1, and the job kept (or its error given to
 * the sweep) as a worker rank's result is; else 0. */
int mpi_local_collect(mpi_local *w, fsnsa_sweep_exec *x);
/* Wait for its job, if any, to end (kept), stop and free it. */
void mpi_local_stop(mpi_local *w, fsnsa_sweep_exec *x);

#endif

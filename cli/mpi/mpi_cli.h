/* fsnsa-mpi (make MPI=1): the fsnsa command whose sweeps run over the
 * ranks of an MPI job (docs/distributed.md). Rank 0, the manager, keeps
 * the job file and hands out the jobs one at a time, costliest first, to
 * its own worker thread (mpi_local.h) and the other ranks, the workers,
 * which train them and send back each job's key,
 * value text and the configuration's fingerprint, which the manager
 * checks before it appends the line. Compiled only with mpicc. */
#ifndef FSNSA_CLI_MPI_H
#define FSNSA_CLI_MPI_H

#include <stdint.h>

#include "fsnsa_exp.h"

/* MPI_Init at the start of main, MPI_Finalize at its end: returns rc, or
 * 1 when MPI failed. */
int cli_mpi_init(int *argc, char ***argv);
int cli_mpi_finish(int rc);

int cli_mpi_rank(void);
int cli_mpi_size(void);

/* Whether every rank's rc is 0: ranks that fail alone (data unreadable on
 * one node, a refused job file on the manager) make all stop together
 * instead of waiting for each other. Returns rc, or CLI_FAIL when another
 * rank failed. */
int cli_mpi_agree(int rc);

/* Rank 0's v, on every rank. */
uint64_t cli_mpi_bcast_u64(uint64_t v);

/* What the runner needs besides the sweep: the configuration's
 * fingerprint, which every result must carry, the --threads of a
 * training step (rank 0's worker thread sets its own), and on rank 0 the
 * job file (NULL: none), which the manager syncs whenever no result is
 * waiting (fsnsa_jobfile_sync_every). */
typedef struct {
    uint64_t config;
    int threads;
    fsnsa_jobfile *jobs;
} cli_mpi_ctx;

/* How long the manager defers a job file's fdatasync while results keep
 * arriving, in seconds: one sync per line caps it at a few hundred jobs
 * per second (docs/distributed.md). */
#define CLI_MPI_SYNC_EVERY 0.1

/* Run the sweep over the ranks (fsnsa_sweep_options.runner), with more
 * than one rank; ctx is a cli_mpi_ctx *. */
fsnsa_status cli_mpi_runner(void *ctx, fsnsa_sweep_exec *x, fsnsa_error *err);

#endif

/* fsnsa-mpi (make MPI=1): the fsnsa command whose sweeps run over the
 * ranks of an MPI job (docs/distributed.md). Rank 0, the manager, keeps
 * the job file and hands out the jobs one at a time, costliest first; the
 * other ranks, the workers, train them and send back each job's key,
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

/* Run the sweep over the ranks (fsnsa_sweep_options.runner): with more
 * than one rank, ctx is the configuration's fingerprint (a uint64_t *)
 * that every result must carry. */
fsnsa_status cli_mpi_runner(void *ctx, fsnsa_sweep_exec *x, fsnsa_error *err);

#endif

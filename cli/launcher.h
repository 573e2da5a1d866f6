/* Whether this process is one of several started by an MPI launcher
 * (mpirun, mpiexec) or by srun: the plain fsnsa command then refuses to
 * run a sweep, since every process would run the whole sweep. */
#ifndef FSNSA_CLI_LAUNCHER_H
#define FSNSA_CLI_LAUNCHER_H

#include <stddef.h>

/* The number of processes the launcher started (> 1), naming the
 * variable that says so in `what` ("OMPI_COMM_WORLD_SIZE=4"); 0 when
 * none is known. Reads: OMPI_COMM_WORLD_SIZE (Open MPI), PMI_SIZE (MPICH,
 * Intel MPI, srun --mpi=pmi2), PMIX_RANK > 0 (PMIx), SLURM_STEP_NUM_TASKS
 * (srun; a batch script's own shell has none) and SLURM_PROCID > 0. */
size_t cli_launched_ranks(char *what, size_t size);

/* 0, or after a message CLI_FAIL when `cmd` runs under a launcher with
 * several processes: the MPI build (fsnsa-mpi) or --shard is what
 * distributes a sweep. */
int cli_refuse_launched(const char *cmd);

#endif

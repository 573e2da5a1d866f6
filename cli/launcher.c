/* Noticing an MPI launcher or srun: see launcher.h. */
#include "launcher.h"

#include <stdio.h>
#include <stdlib.h>

#include "messages.h"

/* A positive count in variable `name`, 0 when absent or not a number. */
static size_t env_count(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return 0;
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    return *end == '\0' ? (size_t)n : 0;
}

size_t cli_launched_ranks(char *what, size_t size)
{
    /* sizes first; a rank > 0 alone still proves a second process */
    static const char *const sizes[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                        "SLURM_STEP_NUM_TASKS"};
    static const char *const ranks[] = {"PMIX_RANK", "SLURM_PROCID"};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        size_t n = env_count(sizes[i]);
        if (n > 1) {
            snprintf(what, size, "%s=%zu", sizes[i], n);
            return n;
        }
    }
    for (size_t i = 0; i < sizeof ranks / sizeof *ranks; i++) {
        size_t r = env_count(ranks[i]);
        if (r > 0) {
            snprintf(what, size, "%s=%zu", ranks[i], r);
            return r + 1;
        }
    }
    return 0;
}

int cli_refuse_launched(const char *cmd)
{
    char what[64];
    if (cli_launched_ranks(what, sizeof what) == 0)
        return 0;
    cli_error(cmd, "started as one of several processes by mpirun or srun "
              "(%s): each would run the whole sweep and append to the same "
              "job file; run fsnsa-mpi (make MPI=1) under mpirun instead, or "
              "give each process its own --shard I/N and --results FILE",
              what);
    return CLI_FAIL;
}

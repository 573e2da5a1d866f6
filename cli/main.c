/* fsnsa: git-style dispatch to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "fsnsa.h"
#include "messages.h"
#ifdef FSNSA_MPI
#include "mpi/mpi_cli.h"
#endif

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommand;

static const subcommand commands[] = {
    {"train", cmd_train, "train a network (NSA, FSA+NSA or dense) on a data "
                         "file"},
    {"predict", cmd_predict, "predict classes of a data file with a model"},
    {"inspect", cmd_inspect, "show a model: sizes, options, ranked "
                             "features"},
    {"xor", cmd_xor, "write k-D XOR data as CSV"},
    {"schedule", cmd_schedule, "print the annealing schedules h_e and p_e"},
    {"restarts", cmd_restarts, "train R initializations, losses sorted "
                               "(local minima)"},
    {"hittime", cmd_hittime, "initializations needed to reach a train AUC, "
                             "per p"},
    {"grid", cmd_grid, "grid search with repeated CV: the paper's Table 2"},
    {"plot", cmd_plot, "draw a selection path (train --path) with "
                       "gnuplot"},
    {"merge", cmd_merge, "merge the job files of a sweep's shards "
                         "(--shard)"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: fsnsa COMMAND [options] [arguments]\n"
            "\n"
            "Compact one-hidden-layer ReLU networks that select their own\n"
            "nodes (NSA) and features (FSA+NSA).\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "  %-10s show the help of COMMAND\n"
            "\n"
            "Options:\n"
            "  -h, --help     show this help\n"
            "  --version      print the version\n"
            "\n"
            "'fsnsa COMMAND --help' lists the options of COMMAND.\n"
            "Exit status: 0 success, 1 bad data or failure, 2 usage error.\n",
            "help CMD");
}

static const subcommand *find(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* The command named by argv[1]. */
static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("fsnsa %s\n", FSNSA_VERSION);
        return CLI_OK;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return CLI_OK;
        }
        const subcommand *c = find(argv[2]);
        if (c == NULL) {
            fprintf(stderr, "fsnsa: unknown command '%s'; see 'fsnsa "
                    "--help'\n", argv[2]);
            return CLI_USAGE;
        }
        static char help_opt[] = "--help";
        char *args[] = {argv[2], help_opt, NULL};
        return c->run(2, args);
    }
    const subcommand *c = find(name);
    if (c == NULL) {
        if (name[0] == '-')
            fprintf(stderr, "fsnsa: unknown option '%s'; see 'fsnsa "
                    "--help'\n", name);
        else
            fprintf(stderr, "fsnsa: unknown command '%s'; see 'fsnsa "
                    "--help'\n", name);
        return CLI_USAGE;
    }
    return c->run(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
#ifdef FSNSA_MPI
    /* fsnsa-mpi: every rank runs the command; the sweeps share the work */
    if (cli_mpi_init(&argc, &argv) != 0) {
        fprintf(stderr, "fsnsa: MPI_Init failed\n");
        return CLI_FAIL;
    }
    return cli_mpi_finish(dispatch(argc, argv));
#else
    return dispatch(argc, argv);
#endif
}

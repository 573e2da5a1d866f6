/* The option loop of a command whose options are few: getopt_long with
 * -h/--help and the errors (unknown, ambiguous, missing value) handled as
 * every command handles them, so that the command's loop holds only its
 * own options:
 *
 *     cli_getopts g = cli_getopts_start(cmd, ":o:h", longopts, usage);
 *     while ((c = cli_getopts_next(&g, argc, argv)) != -1)
 *         if (c == 'o') ...
 *     if (g.rc != CLI_PROCEED)
 *         return g.rc;
 *
 * Then argv[optind...] are the operands. */
#ifndef FSNSA_CLI_GETOPTS_H
#define FSNSA_CLI_GETOPTS_H

#include <getopt.h>
#include <stdio.h>

typedef struct {
    const char *cmd, *shortopts;
    const struct option *longopts;
    void (*usage)(FILE *f);
    /* CLI_PROCEED while and after a loop that ran to the end; CLI_OK after
     * --help (printed), CLI_USAGE after an error (printed) */
    int rc;
} cli_getopts;

/* A new loop over argv (getopt's state reset); shortopts must start with
 * ':' and contain 'h', longopts end in a zeroed entry and hold "help". */
cli_getopts cli_getopts_start(const char *cmd, const char *shortopts,
                              const struct option *longopts,
                              void (*usage)(FILE *f));
/* The next option of the command's own (optarg set as by getopt_long),
 * or -1: at the end, after --help or after an error (see g->rc). */
int cli_getopts_next(cli_getopts *g, int argc, char **argv);

#endif

/* A small command's option loop: see getopts.h. */
#include "getopts.h"

#include "messages.h"

cli_getopts cli_getopts_start(const char *cmd, const char *shortopts,
                              const struct option *longopts,
                              void (*usage)(FILE *f))
{
    optind = 0; /* GNU: full reinitialization, argv[0] is the subcommand */
    opterr = 0;
    return (cli_getopts){cmd, shortopts, longopts, usage, CLI_PROCEED};
}

int cli_getopts_next(cli_getopts *g, int argc, char **argv)
{
    if (g->rc != CLI_PROCEED)
        return -1;
    int c = getopt_long(argc, argv, g->shortopts, g->longopts, NULL);
    if (c == 'h') {
        g->usage(stdout);
        g->rc = CLI_OK;
        return -1;
    }
    if (c == '?' || c == ':') {
        g->rc = cli_getopt_error_long(g->cmd, c, argv, g->longopts);
        return -1;
    }
    return c;
}

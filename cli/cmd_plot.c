/* fsnsa plot: draw a selection path (fsnsa train --path) with gnuplot. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "getopts.h"
#include "help.h"
#include "messages.h"
#include "plot.h"

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: fsnsa plot [options] RUN.path\n"
        "\n"
        "Draw the selection path that 'fsnsa train --path' wrote: the\n"
        "training (and validation) loss with the kept epoch, the nodes and\n"
        "the features against the epoch, and each dropped feature named at\n"
        "the epoch it left.\n"
        "Needs gnuplot (Debian: gnuplot-nox).\n"
        "\n"
        "Options:\n");
    cli_help_opt(f, "-o, --output FILE", "the picture, .png or .svg, "
                 "written atomically [RUN.png: RUN.path's name with .png]");
    cli_help_opt(f, "-h, --help", "show this help");
    fprintf(f, "\n"
            "Exit status: 0 success, 1 failure (no picture written), 2 "
            "usage error.\n");
}

/* RUN.path -> RUN.png (any other name: NAME.png). */
static char *default_output(const char *path)
{
    size_t n = strlen(path);
    if (n > 5 && strcmp(path + n - 5, ".path") == 0)
        n -= 5;
    char *out = malloc(n + 5);
    if (out != NULL) {
        memcpy(out, path, n);
        memcpy(out + n, ".png", 5);
    }
    return out;
}

static int parse(const char *cmd, int argc, char **argv, const char **output)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_getopts g = cli_getopts_start(cmd, ":o:h", longopts, usage);
    int c;
    while ((c = cli_getopts_next(&g, argc, argv)) != -1)
        if (c == 'o')
            *output = optarg;
    if (g.rc != CLI_PROCEED)
        return g.rc;
    if (optind >= argc)
        return cli_usage_error(cmd, "missing RUN.path (the file of fsnsa "
                               "train --path)");
    if (optind + 1 < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'",
                               argv[optind + 1]);
    if (*output != NULL && cli_plot_check_name(cmd, *output) != 0)
        return CLI_USAGE;
    return CLI_PROCEED;
}

int cmd_plot(int argc, char **argv)
{
    static const char *const cmd = "plot";
    const char *output = NULL;
    int rc = parse(cmd, argc, argv, &output);
    if (rc != CLI_PROCEED)
        return rc;
    const char *name = argv[optind];
    char *made = output == NULL ? default_output(name) : NULL;
    if (output == NULL && made == NULL) {
        cli_error(cmd, "out of memory");
        return CLI_FAIL;
    }
    FILE *f = fopen(name, "r");
    cli_path p;
    rc = CLI_FAIL;
    if (f == NULL)
        cli_error(cmd, "%s: %s", name, strerror(errno));
    else if (cli_path_read(cmd, f, name, &p) == 0) {
        rc = cli_plot(cmd, &p, name, output != NULL ? output : made) == 0
                 ? CLI_OK : CLI_FAIL;
        cli_path_free(&p);
    }
    if (f != NULL)
        fclose(f);
    free(made);
    return rc;
}

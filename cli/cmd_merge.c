/* fsnsa merge: the job files of a sweep's shards (--shard I/N) into one,
 * which the sweep's command then reads as its --results file. */
#include <string.h>

#include "commands.h"
#include "fsnsa_exp.h"
#include "getopts.h"
#include "help.h"
#include "messages.h"

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: fsnsa merge [options] FILE... -o OUT\n"
        "\n"
        "Merge the job files (--results) of one sweep's shards, run with\n"
        "--shard I/N by separate processes (a SLURM job array, GNU parallel),\n"
        "into OUT. Rerun the sweep's command with --results OUT and without\n"
        "--shard for its table: it trains only the jobs still missing.\n"
        "Files of different sweeps (another command, data or setting in their\n"
        "headers) are refused. Each job is kept once; a job whose lines\n"
        "disagree in any value but its seconds is a conflict, and then\n"
        "nothing is written. A torn last line (a killed shard) is left out.\n"
        "\n"
        "Options:\n");
    cli_help_opt(f, "-o, --output OUT", "the merged job file, written "
                 "atomically; may be one of the FILEs [required]");
    cli_help_opt(f, "-q, --quiet", "print errors only [off]");
    cli_help_opt(f, "-h, --help", "show this help");
    fprintf(f, "\n"
            "Exit status: 0 success, 1 failure (nothing written), 2 usage "
            "error.\n");
}

static int parse(const char *cmd, int argc, char **argv, const char **output,
                 int *quiet)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_getopts g = cli_getopts_start(cmd, ":o:qh", longopts, usage);
    int c;
    while ((c = cli_getopts_next(&g, argc, argv)) != -1) {
        if (c == 'o')
            *output = optarg;
        else if (c == 'q')
            *quiet = 1;
    }
    if (g.rc != CLI_PROCEED)
        return g.rc;
    if (optind >= argc)
        return cli_usage_error(cmd, "missing the job files to merge");
    if (*output == NULL)
        return cli_usage_error(cmd, "missing -o OUT, the merged file");
    return CLI_PROCEED;
}

int cmd_merge(int argc, char **argv)
{
    static const char *const cmd = "merge";
    const char *output = NULL;
    int quiet = 0;
    int rc = parse(cmd, argc, argv, &output, &quiet);
    if (rc != CLI_PROCEED)
        return rc;
    fsnsa_merge_report rep;
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_jobfile_merge((const char *const *)argv + optind,
                                          (size_t)(argc - optind), output,
                                          &rep, &err);
    if (st != FSNSA_OK) {
        if (rep.conflicts > 0)
            cli_error(cmd, "%s; %zu conflicting jobs in all, nothing "
                      "written", err.msg, rep.conflicts);
        else
            cli_lib_error(cmd, st, &err);
        return CLI_FAIL;
    }
    if (!quiet)
        cli_error(cmd, "%zu files: %zu jobs in %s (%zu duplicates kept "
                  "once, %zu torn last lines left out)", rep.files, rep.jobs,
                  output, rep.duplicates, rep.torn);
    return CLI_OK;
}

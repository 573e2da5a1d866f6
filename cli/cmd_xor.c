/* fsnsa xor: write k-D XOR data (Eq. 1) as CSV. */
#include <getopt.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "help.h"
#include "messages.h"
#include "output.h"

/* What to write; xor_default holds the defaults --help shows. */
typedef struct {
    size_t n, p, k;
    uint64_t seed, stream;
    const char *output; /* NULL: stdout */
} xor_args;

/* The paper's XOR study: 3000 rows, 15 dimensions, 3 of them relevant. */
static const xor_args xor_default = {3000, 15, 3, 1, 0, NULL};

static void usage(FILE *f)
{
    const xor_args *d = &xor_default;
    fprintf(f,
        "Usage: fsnsa xor [options]\n"
        "\n"
        "Write k-D XOR data in p dimensions as CSV: a header x0,...,x{p-1},y,"
        "\n"
        "then one row per observation, x uniform in [-1, 1]^p and\n"
        "y = 1 when x0 * ... * x{k-1} > 0. Rows and columns are nested: the\n"
        "same seed gives the same values whatever n and p are asked for.\n"
        "\n"
        "Options:\n");
    cli_help_opt(f, "--n N", "rows [%zu]", d->n);
    cli_help_opt(f, "--p P", "columns [%zu]", d->p);
    cli_help_opt(f, "--k K", "true features, 1 <= K <= P [%zu]", d->k);
    cli_help_opt(f, "--seed S", "seed of the data pool [%llu]",
                 (unsigned long long)d->seed);
    cli_help_opt(f, "--test", "draw from the separate test pool [off: "
                 "training pool]");
    cli_help_opt(f, "-o, --output FILE", "write to FILE, atomically "
                 "[standard output]");
    cli_help_opt(f, "-h, --help", "show this help");
    fprintf(f, "\n"
            "Exit status: 0 success, 1 failure (no file written), 2 usage "
            "error.\n");
}

enum { OPT_N = 1000, OPT_P, OPT_K, OPT_SEED, OPT_TEST };

/* Parse argv into a: CLI_PROCEED, or the exit code. */
static int parse(const char *cmd, int argc, char **argv, xor_args *a)
{
    static const struct option longopts[] = {
        {"n", required_argument, NULL, OPT_N},
        {"p", required_argument, NULL, OPT_P},
        {"k", required_argument, NULL, OPT_K},
        {"seed", required_argument, NULL, OPT_SEED},
        {"test", no_argument, NULL, OPT_TEST},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c, bad = 0;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_N:
            bad = cli_opt_size(cmd, "n", optarg, 1, 100000000, &a->n);
            break;
        case OPT_P:
            bad = cli_opt_size(cmd, "p", optarg, 1, 1000000, &a->p);
            break;
        case OPT_K:
            bad = cli_opt_size(cmd, "k", optarg, 1, 1000000, &a->k);
            break;
        case OPT_SEED:
            bad = cli_opt_u64(cmd, "seed", optarg, &a->seed);
            break;
        case OPT_TEST:
            a->stream = 1;
            break;
        case 'o':
            a->output = optarg;
            break;
        case 'h':
            usage(stdout);
            return CLI_OK;
        default:
            return cli_getopt_error_long(cmd, c, argv, longopts);
        }
        if (bad)
            return CLI_USAGE;
    }
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if (a->k > a->p)
        return cli_usage_error(cmd, "--k %zu is more than --p %zu", a->k,
                               a->p);
    return CLI_PROCEED;
}

int cmd_xor(int argc, char **argv)
{
    static const char *const cmd = "xor";
    xor_args a = xor_default;
    int rc = parse(cmd, argc, argv, &a);
    if (rc != CLI_PROCEED)
        return rc;
    if (cli_output_check(cmd, a.output, FSNSA_OUTPUT_REPLACE) != 0)
        return CLI_FAIL;

    fsnsa_error err = {0};
    fsnsa_dataset *d = NULL;
    fsnsa_status st = fsnsa_xor_generate(a.n, a.p, a.k, a.seed, a.stream, &d,
                                         &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return CLI_FAIL;
    }
    cli_out out;
    if (cli_out_open(cmd, a.output, &out) != 0) {
        fsnsa_dataset_free(d);
        return CLI_FAIL;
    }
    for (size_t j = 0; j < a.p; j++)
        fprintf(out.f, "x%zu,", j);
    fputs("y\n", out.f);
    for (size_t i = 0; i < a.n; i++) {
        const float *row = d->x + i * a.p;
        for (size_t j = 0; j < a.p; j++)
            /* %.9g: every float32 reads back to the same bits. */
            fprintf(out.f, "%.9g,", (double)row[j]);
        fprintf(out.f, "%d\n", (int)d->y[i]);
    }
    fsnsa_dataset_free(d);
    return cli_out_commit(cmd, &out) == 0 ? CLI_OK : CLI_FAIL;
}

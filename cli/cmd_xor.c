/* fsnsa xor: write k-D XOR data (Eq. 1) as CSV. */
#include "common.h"

#include <getopt.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: fsnsa xor [options]\n"
        "\n"
        "Write k-D XOR data in p dimensions as CSV: a header x0,...,x{p-1},y,"
        "\n"
        "then one row per observation, x uniform in [-1, 1]^p and\n"
        "y = 1 when x0 * ... * x{k-1} > 0. Rows and columns are nested: the\n"
        "same seed gives the same values whatever n and p are asked for.\n"
        "\n"
        "Options:\n"
        "  --n N                 rows [3000]\n"
        "  --p P                 columns [15]\n"
        "  --k K                 true features, 1 <= K <= P [3]\n"
        "  --seed S              seed of the data pool [1]\n"
        "  --test                draw from the separate test pool [off: "
        "training pool]\n"
        "  -o, --output FILE     write to FILE, atomically [standard "
        "output]\n"
        "  -h, --help            show this help\n"
        "\n"
        "Exit status: 0 success, 1 failure (no file written), 2 usage "
        "error.\n");
}

enum { OPT_N = 1000, OPT_P, OPT_K, OPT_SEED, OPT_TEST };

int cmd_xor(int argc, char **argv)
{
    static const char *const cmd = "xor";
    static const struct option longopts[] = {
        {"n", required_argument, NULL, OPT_N},
        {"p", required_argument, NULL, OPT_P},
        {"k", required_argument, NULL, OPT_K},
        {"seed", required_argument, NULL, OPT_SEED},
        {"test", no_argument, NULL, OPT_TEST},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    size_t n = 3000, p = 15, k = 3;
    uint64_t seed = 1, stream = 0;
    const char *output = NULL;
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_N:
            if (cli_opt_size(cmd, "n", optarg, 1, 100000000, &n) != 0)
                return CLI_USAGE;
            break;
        case OPT_P:
            if (cli_opt_size(cmd, "p", optarg, 1, 1000000, &p) != 0)
                return CLI_USAGE;
            break;
        case OPT_K:
            if (cli_opt_size(cmd, "k", optarg, 1, 1000000, &k) != 0)
                return CLI_USAGE;
            break;
        case OPT_SEED:
            if (cli_opt_u64(cmd, "seed", optarg, &seed) != 0)
                return CLI_USAGE;
            break;
        case OPT_TEST:
            stream = 1;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            usage(stdout);
            return CLI_OK;
        default:
            return cli_getopt_error_long(cmd, c, argv, longopts);
        }
    }
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if (k > p)
        return cli_usage_error(cmd, "--k %zu is more than --p %zu", k, p);
    if (cli_output_check(cmd, output, FSNSA_OUTPUT_REPLACE) != 0)
        return CLI_FAIL;

    fsnsa_error err = {0};
    fsnsa_dataset *d = NULL;
    fsnsa_status st = fsnsa_xor_generate(n, p, k, seed, stream, &d, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return CLI_FAIL;
    }
    cli_out out;
    if (cli_out_open(cmd, output, &out) != 0) {
        fsnsa_dataset_free(d);
        return CLI_FAIL;
    }
    for (size_t j = 0; j < p; j++)
        fprintf(out.f, "x%zu,", j);
    fputs("y\n", out.f);
    for (size_t i = 0; i < n; i++) {
        const float *row = d->x + i * p;
        for (size_t j = 0; j < p; j++)
            /* %.9g: every float32 reads back to the same bits. */
            fprintf(out.f, "%.9g,", (double)row[j]);
        fprintf(out.f, "%d\n", (int)d->y[i]);
    }
    fsnsa_dataset_free(d);
    return cli_out_commit(cmd, &out) == 0 ? CLI_OK : CLI_FAIL;
}

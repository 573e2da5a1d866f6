/* fsnsa schedule: the annealing schedules h_e and p_e, epoch by epoch. */
#include "common.h"

#include <getopt.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: fsnsa schedule [options]\n"
        "\n"
        "Print the annealing schedules as a table 'epoch h_e p_e' (one line "
        "per\n"
        "epoch, tab-separated, after a header), then a '#' line saying when\n"
        "node and feature pruning start and end. The defaults are the "
        "paper's\n"
        "Figure 6.\n"
        "  h_e = h + floor((H-h) max(0, (N1-2e1)/(2 e1 mu + N1))),\n"
        "        N1 = 3N/4, e1 = max(0, e - N/4)\n"
        "  p_e = k + floor((p-k) max(0, (N2-2e2)/(2 e2 mu + N2))),\n"
        "        N2 = 0.4N, e2 = max(0, e - 0.6N)\n"
        "\n"
        "Options:\n"
        "  --epochs N            epochs [300]\n"
        "  --start-hidden H      starting nodes [1024]\n"
        "  --hidden h            final nodes, h <= H [128]\n"
        "  --p p                 starting features [15]\n"
        "  --features k          final features, k <= p (also --k) [3]\n"
        "  --mu M                annealing parameter [30]\n"
        "  -h, --help            show this help\n"
        "\n"
        "Exit status: 0 success, 2 usage error.\n");
}

enum { OPT_EPOCHS = 1000, OPT_START, OPT_HIDDEN, OPT_P, OPT_FEATURES,
       OPT_MU };

/* "from epoch a to epoch b" for a schedule falling from `from` to `to`:
 * a = first epoch below `from`, b = first epoch at `to`. */
static void describe(const char *what, size_t from, size_t to, int first,
                     int last)
{
    if (from == to || first == 0)
        printf("%s %zu: no pruning", what, from);
    else if (last == 0)
        printf("%s %zu -> %zu: pruning from epoch %d, %zu not reached", what,
               from, to, first, to);
    else
        printf("%s %zu -> %zu: pruning from epoch %d to epoch %d", what, from,
               to, first, last);
}

int cmd_schedule(int argc, char **argv)
{
    static const char *const cmd = "schedule";
    static const struct option longopts[] = {
        {"epochs", required_argument, NULL, OPT_EPOCHS},
        {"start-hidden", required_argument, NULL, OPT_START},
        {"hidden", required_argument, NULL, OPT_HIDDEN},
        {"p", required_argument, NULL, OPT_P},
        {"features", required_argument, NULL, OPT_FEATURES},
        {"k", required_argument, NULL, OPT_FEATURES},
        {"mu", required_argument, NULL, OPT_MU},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    long long epochs = 300;
    size_t H = 1024, h = 128, p = 15, k = 3;
    double mu = 30;
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case OPT_EPOCHS:
            bad = cli_opt_int(cmd, "epochs", optarg, 1, 1000000, &epochs);
            break;
        case OPT_START:
            bad = cli_opt_size(cmd, "start-hidden", optarg, 1, 100000000, &H);
            break;
        case OPT_HIDDEN:
            bad = cli_opt_size(cmd, "hidden", optarg, 1, 100000000, &h);
            break;
        case OPT_P:
            bad = cli_opt_size(cmd, "p", optarg, 1, 100000000, &p);
            break;
        case OPT_FEATURES:
            bad = cli_opt_size(cmd, "features", optarg, 1, 100000000, &k);
            break;
        case OPT_MU:
            bad = cli_opt_double(cmd, "mu", optarg, 0, 0, 1e6, 0, &mu);
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
    if (h > H)
        return cli_usage_error(cmd, "--hidden %zu is more than --start-hidden "
                               "%zu", h, H);
    if (k > p)
        return cli_usage_error(cmd, "--features %zu is more than --p %zu", k,
                               p);

    int n = (int)epochs, h_first = 0, h_last = 0, p_first = 0, p_last = 0;
    printf("epoch\th_e\tp_e\n");
    for (int e = 1; e <= n; e++) {
        size_t he = fsnsa_schedule_nodes(e, n, H, h, mu);
        size_t pe = fsnsa_schedule_features(e, n, p, k, mu);
        printf("%d\t%zu\t%zu\n", e, he, pe);
        if (he < H && h_first == 0)
            h_first = e;
        if (he == h && h_last == 0)
            h_last = e;
        if (pe < p && p_first == 0)
            p_first = e;
        if (pe == k && p_last == 0)
            p_last = e;
    }
    printf("# ");
    describe("nodes", H, h, h_first, h_last);
    printf("; ");
    describe("features", p, k, p_first, p_last);
    printf("\n");
    if (fflush(stdout) != 0) {
        cli_error(cmd, "cannot write to standard output");
        return CLI_FAIL;
    }
    return CLI_OK;
}

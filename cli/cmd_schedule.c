/* fsnsa schedule: the annealing schedules h_e and p_e, epoch by epoch. */
#include <getopt.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "help.h"
#include "messages.h"
#include "output.h"

/* The schedules' sizes: the library's training defaults (the nodes it
 * resolves for its default method), and the paper's Figure 6 for the
 * features, 15 -> 3. */
typedef struct {
    long long epochs;
    size_t H, h, p, k;
    double mu;
} schedule_args;

static schedule_args schedule_default(void)
{
    fsnsa_train_options t;
    fsnsa_train_options_default(&t);
    size_t h = t.hidden != 0 ? t.hidden : fsnsa_train_default_hidden(t.method);
    return (schedule_args){t.epochs, t.start_hidden, h, 15, 3, t.mu};
}

static void usage(FILE *f)
{
    const schedule_args d = schedule_default();
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
        "Options:\n");
    cli_help_opt(f, "--epochs N", "epochs [%lld]", d.epochs);
    cli_help_opt(f, "--start-hidden H", "starting nodes [%zu]", d.H);
    cli_help_opt(f, "--hidden h", "final nodes, h <= H [%zu]", d.h);
    cli_help_opt(f, "--p p", "starting features [%zu]", d.p);
    cli_help_opt(f, "--features k", "final features, k <= p (also --k) "
                 "[%zu]", d.k);
    cli_help_opt(f, "--mu M", "annealing parameter [%g]", d.mu);
    cli_help_opt(f, "-h, --help", "show this help");
    fprintf(f, "\n"
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

/* Parse argv into a: CLI_PROCEED, or the exit code. */
static int parse(const char *cmd, int argc, char **argv, schedule_args *a)
{
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
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case OPT_EPOCHS:
            bad = cli_opt_int(cmd, "epochs", optarg, 1, 1000000, &a->epochs);
            break;
        case OPT_START:
            bad = cli_opt_size(cmd, "start-hidden", optarg, 1, 100000000,
                               &a->H);
            break;
        case OPT_HIDDEN:
            bad = cli_opt_size(cmd, "hidden", optarg, 1, 100000000, &a->h);
            break;
        case OPT_P:
            bad = cli_opt_size(cmd, "p", optarg, 1, 100000000, &a->p);
            break;
        case OPT_FEATURES:
            bad = cli_opt_size(cmd, "features", optarg, 1, 100000000, &a->k);
            break;
        case OPT_MU:
            bad = cli_opt_double(cmd, "mu", optarg, 0, 0, 1e6, 0, &a->mu);
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
    if (a->h > a->H)
        return cli_usage_error(cmd, "--hidden %zu is more than --start-hidden "
                               "%zu", a->h, a->H);
    if (a->k > a->p)
        return cli_usage_error(cmd, "--features %zu is more than --p %zu",
                               a->k, a->p);
    return CLI_PROCEED;
}

int cmd_schedule(int argc, char **argv)
{
    static const char *const cmd = "schedule";
    schedule_args a = schedule_default();
    int rc = parse(cmd, argc, argv, &a);
    if (rc != CLI_PROCEED)
        return rc;
    int n = (int)a.epochs, h_first = 0, h_last = 0, p_first = 0, p_last = 0;
    printf("epoch\th_e\tp_e\n");
    for (int e = 1; e <= n; e++) {
        size_t he = fsnsa_schedule_nodes(e, n, a.H, a.h, a.mu);
        size_t pe = fsnsa_schedule_features(e, n, a.p, a.k, a.mu);
        printf("%d\t%zu\t%zu\n", e, he, pe);
        if (he < a.H && h_first == 0)
            h_first = e;
        if (he == a.h && h_last == 0)
            h_last = e;
        if (pe < a.p && p_first == 0)
            p_first = e;
        if (pe == a.k && p_last == 0)
            p_last = e;
    }
    printf("# ");
    describe("nodes", a.H, a.h, h_first, h_last);
    printf("; ");
    describe("features", a.p, a.k, p_first, p_last);
    printf("\n");
    return cli_flush_stdout(cmd) == 0 ? CLI_OK : CLI_FAIL;
}

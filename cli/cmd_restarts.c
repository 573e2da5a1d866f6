/* fsnsa restarts: R random initializations of one network on one data set,
 * losses sorted (the local minima of the paper's Figures 1, 3, 5, 7). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "exp_data.h"
#include "exp_header.h"
#include "exp_options.h"
#include "exp_sweep.h"
#include "help.h"
#include "messages.h"
#include "output.h"

enum { OPT_RESTARTS = EXP_OPT_LAST, OPT_SEED0, OPT_TOLERANCE };

/* --features when not given: the XOR's true K, or the library's rule for
 * the methods that select (half the columns, rounded up), recorded for
 * every method as job files have always had it. */
static const char FEATURES_AUTO[] = "K for XOR, half the columns otherwise";

/* The library's defaults (fsnsa_restarts_options_default): a dense net
 * (the restarts of Figures 1 and 3 study dense nets), the nodes by method
 * as train's. */
static void restarts_default(exp_config *cfg, fsnsa_restarts_options *ro)
{
    fsnsa_restarts_options_default(ro);
    exp_config_init(cfg, &ro->train);
}

static void usage(FILE *f)
{
    exp_config d;
    fsnsa_restarts_options ro;
    restarts_default(&d, &ro);
    fprintf(f,
        "Usage: fsnsa restarts [options] DATA\n"
        "       fsnsa restarts [options] --xor K [--n N] [--p P]\n"
        "\n"
        "Train R random initializations (seeds S..S+R-1) of the same network "
        "on the\n"
        "same data and print one line per run, sorted by the final training "
        "loss\n"
        "(cross-entropy without the L2 term): rank, seed, loss, train/test "
        "AUC and\n"
        "accuracy, nodes, features, weights, seconds, broken, and the kept "
        "columns\n"
        "by name ('all': every column; '?': a job line of an older fsnsa). "
        "'#' lines\n"
        "summarize: "
        "the best-loss run, the means, the number of distinct minima (sorted "
        "losses\n"
        "more than the tolerance apart start a new one), the spread between "
        "the\n"
        "best and the worst loss, and the broken runs: a final training loss"
        "\n"
        "worse than predicting the class frequencies (or NaN); they are "
        "listed\n"
        "last, marked 1, and left out of every summary.\n"
        "With --task regression the loss is the mean squared error on the "
        "target\n"
        "standardized on the training rows, the runs are sorted by it, and "
        "R^2 and\n"
        "RMSE (the target's units) take the place of AUC and accuracy: "
        "train_r2\n"
        "test_r2 train_rmse test_rmse; a run is broken when its loss is worse "
        "than\n"
        "predicting the training mean (1 on the standardized target).\n"
        "\n"
        "The network is train's, but dense by default: the paper's restarts "
        "(Figures\n"
        "1 and 3) study the local minima of dense nets.\n"
        "\n"
        "Restarts:\n");
    cli_help_opt(f, "--restarts R", "initializations [%zu]", ro.restarts);
    cli_help_opt(f, "--seed S", "seed of the first run [%llu]",
                 (unsigned long long)ro.seed0);
    cli_help_opt(f, "--tolerance T", "loss gap that separates two minima "
                 "[%g]", ro.tolerance);
    exp_train_help(f, &d, FEATURES_AUTO);
    exp_data_help(f, &d, 1);
    exp_sweep_help(f, &d);
    fprintf(f, "\nExit status: 0 success, 1 failure or interrupted, 2 usage "
            "error.\n");
}

/* One of restarts' own options: 0 handled, -1 error printed, 1 unknown. */
static int restarts_option(const char *cmd, int c, const char *arg,
                           void *ctx)
{
    fsnsa_restarts_options *ro = ctx;
    switch (c) {
    case OPT_RESTARTS:
        return cli_opt_size(cmd, "restarts", arg, 1, 10000000,
                            &ro->restarts);
    case OPT_SEED0:
        return cli_opt_u64(cmd, "seed", arg, &ro->seed0);
    case OPT_TOLERANCE:
        return cli_opt_double(cmd, "tolerance", arg, 0, 0, INFINITY, 0,
                              &ro->tolerance);
    default:
        return 1;
    }
}

/* Run i's kept columns by name (ids without names), comma-separated:
 * "all" when it kept every column (a dense net), "?" when its job line
 * predates the record. */
static void print_kept(const fsnsa_restarts_result *res, size_t i,
                       char **names)
{
    const unsigned char *k = res->kept + i * res->p;
    size_t n = 0;
    for (size_t j = 0; j < res->p; j++)
        n += k[j];
    if (!res->kept_known[i] || n == res->p) {
        fputs(res->kept_known[i] ? "all" : "?", stdout);
        return;
    }
    const char *sep = "";
    for (size_t j = 0; j < res->p; j++) {
        if (!k[j])
            continue;
        fputs(sep, stdout);
        sep = ",";
        if (names != NULL)
            cli_put_name(stdout, names[j]);
        else
            printf("%zu", j);
    }
}

/* The four scores of a run or of the means: train and test AUC and
 * accuracy, or for regression R^2 and RMSE (the target's units). */
static const char *const SCORE_NAMES[2][4] = {
    {"train_auc", "test_auc", "train_acc", "test_acc"},
    {"train_r2", "test_r2", "train_rmse", "test_rmse"}};

/* The scores v, each after `sep` and, with names, "name=" (the summary
 * lines); regression's RMSE with 6 significant digits. */
static void print_scores(int reg, const double v[4], const char *sep,
                         int names)
{
    for (int i = 0; i < 4; i++) {
        printf("%s", sep);
        if (names)
            printf("%s=", SCORE_NAMES[reg][i]);
        printf(reg && i >= 2 ? "%.6g" : "%.4f", v[i]);
    }
}

static void run_scores(int reg, const fsnsa_run *r, double v[4])
{
    v[0] = reg ? r->train_r2 : r->train_auc;
    v[1] = reg ? r->test_r2 : r->test_auc;
    v[2] = reg ? r->train_rmse : r->train_acc;
    v[3] = reg ? r->test_rmse : r->test_acc;
}

/* The summary lines: best run, means, minima, broken runs. */
static void print_summary(int reg, const fsnsa_restarts_options *ro,
                          const fsnsa_restarts_result *res)
{
    size_t good = res->n - res->broken;
    const fsnsa_run *b = &res->runs[0];
    double v[4];
    if (good > 0) {
        printf("# best seed=%llu loss=%.6f", (unsigned long long)b->seed,
               b->loss);
        run_scores(reg, b, v);
        print_scores(reg, v, " ", 1);
        putchar('\n');
    } else {
        printf("# best none: every run broke\n");
    }
    double mv[2][4] = {
        {res->mean_train_auc, res->mean_test_auc, res->mean_train_acc,
         res->mean_test_acc},
        {res->mean_train_r2, res->mean_test_r2, res->mean_train_rmse,
         res->mean_test_rmse}};
    printf("# mean loss=%.6f", res->mean_loss);
    print_scores(reg, mv[reg], " ", 1);
    putchar('\n');
    printf("# distinct=%zu tolerance=%g spread=%.6f worst=%.6f\n",
           res->distinct, ro->tolerance, res->spread,
           good > 0 ? res->runs[good - 1].loss : NAN);
    printf("# broken=%zu of %zu constant_loss=%.6f (runs whose final "
           "training loss is worse than predicting %s, or not finite: "
           "broken 1, in no summary above)\n", res->broken, res->n,
           res->constant_loss,
           reg ? "the training mean (mean squared error on the standardized "
                 "target)"
               : "the class frequencies");
}

/* One line per run, then the summaries; the broken runs sort last and
 * count in no summary. */
static int print_runs(const char *cmd, const char *desc,
                      const fsnsa_restarts_options *ro,
                      const fsnsa_restarts_result *res,
                      const fsnsa_dataset *train, const fsnsa_dataset *test)
{
    int reg = res->task == FSNSA_TASK_REGRESSION;
    printf("# fsnsa restarts: %s\n", desc);
    printf("# R=%zu seeds %llu..%llu, %zu training rows, %zu test rows\n",
           ro->restarts, (unsigned long long)ro->seed0,
           (unsigned long long)(ro->seed0 + ro->restarts - 1), train->n,
           test != NULL ? test->n : 0);
    printf("rank\tseed\tloss\t%s\t%s\t%s\t%s\thidden\tfeatures\tweights\t"
           "seconds\tbroken\tkept\n", SCORE_NAMES[reg][0],
           SCORE_NAMES[reg][1], SCORE_NAMES[reg][2], SCORE_NAMES[reg][3]);
    for (size_t i = 0; i < res->n; i++) {
        const fsnsa_run *r = &res->runs[i];
        double v[4];
        run_scores(reg, r, v);
        printf("%zu\t%llu\t%.6f", i + 1, (unsigned long long)r->seed,
               r->loss);
        print_scores(reg, v, "\t", 0);
        printf("\t%zu\t%zu\t%zu\t%.2f\t%d\t", r->hidden, r->features,
               r->weights, r->seconds, r->broken);
        print_kept(res, i, train->feature_names);
        putchar('\n');
    }
    print_summary(reg, ro, res);
    return cli_flush_stdout(cmd) == 0 ? 0 : CLI_FAIL;
}

int cmd_restarts(int argc, char **argv)
{
    static const char *const cmd = "restarts";
    static const char values_classes[] = "loss train_auc test_auc train_acc "
                                         "test_acc seconds hidden features "
                                         "weights";
    static const char values_regression[] = "loss train_r2 test_r2 "
                                            "train_rmse test_rmse seconds "
                                            "hidden features weights";
    static const struct option longopts[] = {
        EXP_LONGOPTS,
        {"restarts", required_argument, NULL, OPT_RESTARTS},
        {"seed", required_argument, NULL, OPT_SEED0},
        {"tolerance", required_argument, NULL, OPT_TOLERANCE},
        {NULL, 0, NULL, 0}};
    exp_config cfg;
    fsnsa_restarts_options ro;
    restarts_default(&cfg, &ro);
    int rc = exp_parse(cmd, argc, argv, longopts, &cfg, restarts_option, &ro,
                       usage);
    if (rc != CLI_PROCEED)
        return rc;
    if ((rc = exp_positional(cmd, &cfg, argc, argv)) != 0)
        return rc;
    fsnsa_dataset *train = NULL, *test = NULL;
    exp_data_id id;
    rc = exp_load(cmd, &cfg, &train, &test, &id);
    if (rc != 0)
        return rc;
    /* the sizes the runs get, as the job file records them */
    if (cfg.train.hidden == 0)
        cfg.train.hidden = fsnsa_train_default_hidden(cfg.train.method);
    if (cfg.train.features == 0)
        cfg.train.features = cfg.xor_k > 0 ? cfg.xor_k : (train->p + 1) / 2;
    ro.train = cfg.train;
    const char *values = cfg.read.task == FSNSA_TASK_REGRESSION
                             ? values_regression : values_classes;

    char desc[2048], legacy[2304];
    exp_describe(&cfg, 1, desc, sizeof desc);
    snprintf(legacy, sizeof legacy, "fsnsa restarts; %s; columns=%s", desc,
             values);
    exp_describe_variant(&cfg.train, desc, sizeof desc);
    exp_header header;
    exp_header_init(&header, "restarts", values);
    exp_header_data(&header, &cfg, &id);
    exp_header_training(&header, &cfg.train);
    fsnsa_jobfile *jf = NULL;
    exp_progress pr;
    fsnsa_restarts_result res = {0};
    rc = exp_sweep_setup(cmd, &cfg, &header, legacy, &ro.sweep, &jf, &pr);
    if (rc == 0) {
        fsnsa_error err = {0};
        fsnsa_status st = fsnsa_restarts(train, test, &ro, &res, &err);
        rc = exp_sweep_finish(cmd, &cfg, st, &err, jf, &pr);
    }
    if (rc == CLI_PROCEED) /* a shard's part is done */
        rc = CLI_OK;
    else if (rc == 0 && !cfg.quiet)
        rc = print_runs(cmd, desc, &ro, &res, train, test);
    fsnsa_restarts_result_clear(&res);
    fsnsa_jobfile_close(jf);
    fsnsa_dataset_free(train);
    fsnsa_dataset_free(test);
    return rc;
}

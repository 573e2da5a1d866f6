/* fsnsa hittime: mean number of random initializations until the train
 * AUC (regression: R^2) reaches a threshold, for a list of dimensions p
 * (Figure 4). */
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

enum { OPT_PS = EXP_OPT_LAST, OPT_RUNS, OPT_HITS, OPT_THRESHOLD, OPT_SEED0,
       OPT_ALL_P };

/* What hittime was asked for. */
typedef struct {
    exp_config cfg;
    fsnsa_hittime_options ho;
    size_t *ps, n_ps; /* --ps, malloc'ed */
} hittime_args;

/* --features when not given: the XOR's true K, else 1. */
static const char FEATURES_AUTO[] = "K for XOR, 1 otherwise";

/* The library's defaults (fsnsa_hittime_options_default: Figure 4's
 * dense net of 20 nodes), and the command's XOR data: 3000 rows, no test
 * rows. */
static void hittime_default(hittime_args *a)
{
    memset(a, 0, sizeof *a);
    fsnsa_hittime_options_default(&a->ho);
    exp_config_init(&a->cfg, &a->ho.train);
    a->cfg.n = 3000;
    a->cfg.test_n = 0;
}

static void usage(FILE *f)
{
    hittime_args d;
    hittime_default(&d);
    fprintf(f,
        "Usage: fsnsa hittime [options] --xor K --ps P1,P2,... [--n N]\n"
        "       fsnsa hittime [options] --ps P1,P2,... DATA\n"
        "\n"
        "The paper's hit time: the mean number of random initializations "
        "needed\n"
        "to reach a train AUC >= the threshold, for each p (the first p "
        "columns\n"
        "of the data). Runs use seeds S, S+1, ... in order and stop at the "
        "H-th\n"
        "hit or after R runs. The estimate is runs/hits with a 95%% interval "
        "(the\n"
        "Wilson interval of the hit probability, inverted). With no hit in R "
        "runs\n"
        "the answer is '>R'; the larger p are then skipped (their hit times "
        "can\n"
        "only be larger) unless --all-p is given.\n"
        "Output: p, runs, hits, hit_time, lo, hi, status, mean and best train"
        " AUC,\n"
        "broken: runs whose final training loss is worse than predicting "
        "the class\n"
        "frequencies (or NaN); they count as runs, never as hits, and not in "
        "the AUCs.\n"
        "With --task regression a hit is a train R^2 >= the threshold, the "
        "table has\n"
        "mean_train_r2 and best_train_r2, and a run is broken when its "
        "training loss\n"
        "(mean squared error on the standardized target) is worse than "
        "predicting\n"
        "the training mean.\n"
        "\n"
        "The network is train's, but by default the paper's Figure 4 net: "
        "dense, 20\n"
        "nodes.\n"
        "\n"
        "Hit time:\n");
    cli_help_opt(f, "--ps LIST", "dimensions p, ascending, comma-separated "
                 "[required]");
    cli_help_opt(f, "--runs R", "most initializations per p [%zu]",
                 d.ho.max_runs);
    cli_help_opt(f, "--hits H", "stop a p after H hits [%zu]",
                 d.ho.target_hits);
    cli_help_opt(f, "--threshold A", "train AUC (--task regression: train "
                 "R^2) that counts as a hit [%g]", d.ho.threshold);
    cli_help_opt(f, "--seed S", "seed of the first run [%llu]",
                 (unsigned long long)d.ho.seed0);
    cli_help_opt(f, "--all-p", "keep going after a p with no hit [%s]",
                 d.ho.stop_censored ? "off" : "on");
    exp_train_help(f, &d.cfg, FEATURES_AUTO);
    exp_data_help(f, &d.cfg, 1);
    exp_sweep_help(f, &d.cfg);
    fprintf(f, "\nExit status: 0 success, 1 failure or interrupted, 2 usage "
            "error.\n");
}

/* One of hittime's own options: 0 handled, -1 error printed, 1 unknown. */
static int hittime_option(const char *cmd, int c, const char *arg,
                          void *ctx)
{
    hittime_args *a = ctx;
    fsnsa_hittime_options *ho = &a->ho;
    switch (c) {
    case OPT_PS:
        free(a->ps);
        a->ps = NULL;
        return cli_opt_sizes(cmd, "ps", arg, 1, 1000000, &a->ps, &a->n_ps);
    case OPT_RUNS:
        return cli_opt_size(cmd, "runs", arg, 1, 10000000, &ho->max_runs);
    case OPT_HITS:
        return cli_opt_size(cmd, "hits", arg, 1, 10000000, &ho->target_hits);
    case OPT_THRESHOLD:
        return cli_opt_double(cmd, "threshold", arg, 0, 0, 1, 0,
                              &ho->threshold);
    case OPT_SEED0:
        return cli_opt_u64(cmd, "seed", arg, &ho->seed0);
    case OPT_ALL_P:
        ho->stop_censored = 0;
        return 0;
    default:
        return 1;
    }
}

/* --ps ascending, DATA or --xor; the XOR pool is generated once at the
 * largest p: smaller p are its first columns, exactly the nested pools of
 * the paper. */
static int check_args(const char *cmd, int argc, char **argv,
                      hittime_args *a)
{
    exp_config *cfg = &a->cfg;
    if (a->ps == NULL)
        return cli_usage_error(cmd, "--ps P1,P2,... is required");
    for (size_t i = 1; i < a->n_ps; i++)
        if (a->ps[i] <= a->ps[i - 1])
            return cli_usage_error(cmd, "--ps must be strictly ascending");
    int rc = exp_positional(cmd, cfg, argc, argv);
    if (rc != 0 || cfg->xor_k == 0)
        return rc != 0 ? rc : CLI_PROCEED;
    if (a->ps[0] < cfg->xor_k)
        return cli_usage_error(cmd, "--ps values must be >= K = %zu",
                               cfg->xor_k);
    cfg->p = a->ps[a->n_ps - 1];
    cfg->p_given = 1;
    return CLI_PROCEED;
}

static int print_points(const char *cmd, const char *desc,
                        const fsnsa_hittime_options *ho,
                        const fsnsa_hittime_point *pts, size_t n)
{
    printf("# fsnsa hittime: %s\n", desc);
    int reg = ho->train.task == FSNSA_TASK_REGRESSION;
    const char *score = reg ? "r2" : "auc";
    printf("# threshold train %s >= %g, at most %zu runs and %zu hits "
           "per p, seeds from %llu; interval: 95%% Wilson, inverted\n",
           reg ? "R2" : "AUC", ho->threshold, ho->max_runs, ho->target_hits,
           (unsigned long long)ho->seed0);
    printf("p\truns\thits\thit_time\tlo\thi\tstatus\tmean_train_%s\t"
           "best_train_%s\tbroken\n", score, score);
    for (size_t i = 0; i < n; i++) {
        const fsnsa_hittime_point *t = &pts[i];
        if (t->status == 2) {
            printf("%zu\t0\t0\t-\t-\t-\tskipped\t-\t-\t-\n", t->p);
            continue;
        }
        char ht[32], hi[32];
        if (t->status == 1)
            snprintf(ht, sizeof ht, ">%zu", t->runs);
        else
            snprintf(ht, sizeof ht, "%.3f", t->hit_time);
        if (isinf(t->hi))
            snprintf(hi, sizeof hi, "inf");
        else
            snprintf(hi, sizeof hi, "%.3f", t->hi);
        printf("%zu\t%zu\t%zu\t%s\t%.3f\t%s\t%s\t%.4f\t%.4f\t%zu\n", t->p,
               t->runs, t->hits, ht, t->lo, hi,
               t->status == 1 ? "censored" : "ok",
               reg ? t->mean_train_r2 : t->mean_train_auc,
               reg ? t->best_train_r2 : t->best_train_auc, t->broken);
    }
    return cli_flush_stdout(cmd) == 0 ? 0 : CLI_FAIL;
}

/* Load, run the sweep, print. */
static int run(const char *cmd, hittime_args *a)
{
    exp_config *cfg = &a->cfg;
    const char *values = cfg->read.task == FSNSA_TASK_REGRESSION
                             ? "hit train_r2 loss seconds"
                             : "hit train_auc loss seconds";
    fsnsa_hittime_options *ho = &a->ho;
    fsnsa_dataset *train = NULL, *test = NULL;
    exp_data_id id;
    int rc = exp_load(cmd, cfg, &train, &test, &id);
    if (rc != 0)
        return rc;
    if (cfg->train.features == 0)
        cfg->train.features = cfg->xor_k > 0 ? cfg->xor_k : 1;
    ho->train = cfg->train;
    ho->p = a->ps;
    ho->n_p = a->n_ps;

    char desc[2048], legacy[2400];
    exp_describe(cfg, 1, desc, sizeof desc);
    snprintf(legacy, sizeof legacy, "fsnsa hittime; %s; threshold=%.17g; "
             "columns=%s", desc, ho->threshold, values);
    exp_describe_variant(&cfg->train, desc, sizeof desc);
    exp_header header;
    exp_header_init(&header, "hittime", values);
    exp_header_data(&header, cfg, &id);
    exp_header_training(&header, &cfg->train);
    exp_header_double(&header, "threshold", ho->threshold);
    fsnsa_jobfile *jf = NULL;
    exp_progress pr;
    fsnsa_hittime_point *pts = calloc(a->n_ps, sizeof *pts);
    if (pts == NULL) {
        cli_error(cmd, "out of memory");
        rc = CLI_FAIL;
    } else {
        rc = exp_sweep_setup(cmd, cfg, &header, legacy, &ho->sweep, &jf,
                             &pr);
    }
    if (rc == 0) {
        fsnsa_error err = {0};
        fsnsa_status st = fsnsa_hittime(train, ho, pts, &err);
        rc = exp_sweep_finish(cmd, cfg, st, &err, jf, &pr);
    }
    if (rc == CLI_PROCEED) /* a shard's part is done */
        rc = CLI_OK;
    else if (rc == 0 && !cfg->quiet)
        rc = print_points(cmd, desc, ho, pts, a->n_ps);
    free(pts);
    fsnsa_jobfile_close(jf);
    fsnsa_dataset_free(train);
    fsnsa_dataset_free(test);
    return rc;
}

int cmd_hittime(int argc, char **argv)
{
    static const char *const cmd = "hittime";
    static const struct option longopts[] = {
        EXP_LONGOPTS,
        {"ps", required_argument, NULL, OPT_PS},
        {"runs", required_argument, NULL, OPT_RUNS},
        {"hits", required_argument, NULL, OPT_HITS},
        {"threshold", required_argument, NULL, OPT_THRESHOLD},
        {"seed", required_argument, NULL, OPT_SEED0},
        {"all-p", no_argument, NULL, OPT_ALL_P},
        {NULL, 0, NULL, 0}};
    hittime_args a;
    hittime_default(&a);
    int rc = exp_parse(cmd, argc, argv, longopts, &a.cfg, hittime_option, &a,
                       usage);
    if (rc == CLI_PROCEED)
        rc = check_args(cmd, argc, argv, &a);
    if (rc == CLI_PROCEED)
        rc = run(cmd, &a);
    free(a.ps);
    return rc;
}

/* fsnsa hittime: mean number of random initializations until the train
 * AUC reaches a threshold, for a list of dimensions p (Figure 4). */
#include "exp_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_PS = EXP_OPT_LAST, OPT_RUNS, OPT_HITS, OPT_THRESHOLD, OPT_SEED0,
       OPT_ALL_P };

static void usage(FILE *f, const exp_config *d)
{
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
        "\n"
        "Hit time:\n"
        "  --ps LIST             dimensions p, ascending, comma-separated "
        "[required]\n"
        "  --runs R              most initializations per p [200]\n"
        "  --hits H              stop a p after H hits [10]\n"
        "  --threshold A         train AUC that counts as a hit [0.95]\n"
        "  --seed S              seed of the first run [1]\n"
        "  --all-p               keep going after a p with no hit [off]\n");
    exp_train_help(f, d);
    exp_data_help(f, 1);
    exp_sweep_help(f);
    fprintf(f, "\nExit status: 0 success, 1 failure or interrupted, 2 usage "
            "error.\n");
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
    exp_config cfg;
    exp_config_default(&cfg, FSNSA_METHOD_DENSE, 20);
    cfg.n = 3000;
    cfg.test_n = 0;
    fsnsa_hittime_options ho;
    fsnsa_hittime_options_default(&ho);
    size_t *ps = NULL, nps = 0;
    int c, rc = CLI_USAGE;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout, &cfg);
            free(ps);
            return CLI_OK;
        }
        int r = exp_option(cmd, c, optarg, &cfg);
        if (r < 0)
            goto out;
        if (r == 0)
            continue;
        switch (c) {
        case OPT_PS:
            free(ps);
            ps = NULL;
            if (exp_parse_sizes(cmd, "ps", optarg, 1, 1000000, &ps, &nps) != 0)
                goto out;
            break;
        case OPT_RUNS:
            if (cli_opt_size(cmd, "runs", optarg, 1, 10000000, &ho.max_runs))
                goto out;
            break;
        case OPT_HITS:
            if (cli_opt_size(cmd, "hits", optarg, 1, 10000000, &ho.target_hits))
                goto out;
            break;
        case OPT_THRESHOLD:
            if (cli_opt_double(cmd, "threshold", optarg, 0, 0, 1, 0,
                               &ho.threshold))
                goto out;
            break;
        case OPT_SEED0:
            if (cli_opt_u64(cmd, "seed", optarg, &ho.seed0))
                goto out;
            break;
        case OPT_ALL_P:
            ho.stop_censored = 0;
            break;
        default:
            rc = cli_getopt_error(cmd, c, argv);
            goto out;
        }
    }
    if (ps == NULL) {
        rc = cli_usage_error(cmd, "--ps P1,P2,... is required");
        goto out;
    }
    for (size_t i = 1; i < nps; i++)
        if (ps[i] <= ps[i - 1]) {
            rc = cli_usage_error(cmd, "--ps must be strictly ascending");
            goto out;
        }
    if (cfg.xor_k == 0) {
        if (optind + 1 != argc) {
            rc = cli_usage_error(cmd, "expected one DATA file or --xor K");
            goto out;
        }
        cfg.data = argv[optind];
    } else {
        if (optind != argc) {
            rc = cli_usage_error(cmd, "--xor takes no DATA file");
            goto out;
        }
        if (ps[0] < cfg.xor_k) {
            rc = cli_usage_error(cmd, "--ps values must be >= K = %zu",
                                 cfg.xor_k);
            goto out;
        }
        /* the pool is generated once at the largest p; smaller p are its
         * first columns, exactly the nested pools of the paper */
        cfg.p = ps[nps - 1];
        cfg.p_given = 1;
    }

    fsnsa_dataset *train = NULL, *test = NULL;
    exp_data_id id;
    rc = exp_load(cmd, &cfg, &train, &test, &id);
    if (rc != 0)
        goto out;
    if (!cfg.features_given)
        cfg.train.features = cfg.xor_k > 0 ? cfg.xor_k : 1;
    ho.train = cfg.train;
    ho.p = ps;
    ho.n_p = nps;

    static const char values[] = "hit train_auc loss seconds";
    char desc[2048], legacy[2400];
    exp_describe(&cfg, 1, desc, sizeof desc);
    snprintf(legacy, sizeof legacy, "fsnsa hittime; %s; threshold=%.17g; "
             "columns=%s", desc, ho.threshold, values);
    exp_header header;
    exp_header_init(&header, "hittime", values);
    exp_header_data(&header, &cfg, &id);
    exp_header_training(&header, &cfg.train);
    exp_header_double(&header, "threshold", ho.threshold);
    fsnsa_jobfile *jf = NULL;
    exp_progress pr;
    fsnsa_hittime_point *pts = calloc(nps, sizeof *pts);
    if (pts == NULL) {
        cli_error(cmd, "out of memory");
        rc = CLI_FAIL;
    } else {
        rc = exp_sweep_setup(cmd, &cfg, &header, legacy, &ho.sweep, &jf,
                             &pr);
    }
    if (rc == 0) {
        fsnsa_error err = {0};
        fsnsa_status st = fsnsa_hittime(train, &ho, pts, &err);
        rc = exp_sweep_finish(cmd, &cfg, st, &err, jf, &pr);
    }
    if (rc == 0 && !cfg.quiet) {
        printf("# fsnsa hittime: %s\n", desc);
        printf("# threshold train AUC >= %g, at most %zu runs and %zu hits "
               "per p, seeds from %llu; interval: 95%% Wilson, inverted\n",
               ho.threshold, ho.max_runs, ho.target_hits,
               (unsigned long long)ho.seed0);
        printf("p\truns\thits\thit_time\tlo\thi\tstatus\tmean_train_auc\t"
               "best_train_auc\tbroken\n");
        for (size_t i = 0; i < nps; i++) {
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
            printf("%zu\t%zu\t%zu\t%s\t%.3f\t%s\t%s\t%.4f\t%.4f\t%zu\n",
                   t->p, t->runs, t->hits, ht, t->lo, hi,
                   t->status == 1 ? "censored" : "ok", t->mean_train_auc,
                   t->best_train_auc, t->broken);
        }
        if (fflush(stdout) != 0) {
            cli_error(cmd, "cannot write to standard output");
            rc = CLI_FAIL;
        }
    }
    free(pts);
    fsnsa_jobfile_close(jf);
    fsnsa_dataset_free(train);
    fsnsa_dataset_free(test);
out:
    free(ps);
    return rc;
}

/* fsnsa grid: the grid search of the paper's Section 4.2 and the three
 * columns of its Table 2: NN(best), NN(equivalent), FSA+NSA. */
#include "exp_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_FOLDS = EXP_OPT_LAST, OPT_REPEATS, OPT_GHIDDEN, OPT_GL2, OPT_GBATCH,
       OPT_METHODS, OPT_SIZES, OPT_RETRAINS, OPT_SEED, OPT_PEEK, OPT_NAME };

static void usage(FILE *f, const exp_config *d)
{
    fprintf(f,
        "Usage: fsnsa grid [options] DATA\n"
        "\n"
        "Section 4.2 of the paper: split DATA 4:1 (stratified) into training "
        "and\n"
        "test rows; on the training rows run repeated stratified k-fold "
        "cross-\n"
        "validation over the grid (dense: hidden x L2 x batch; FSA+NSA: "
        "target\n"
        "sizes k:h x L2 x batch); retrain the setting with the best mean "
        "validation\n"
        "accuracy of each method on all training rows, several times, and "
        "report\n"
        "the test accuracy (mean +- sample std) and the weights; plus the "
        "dense\n"
        "'equivalent' net with about as many weights as the best FSA+NSA one "
        "(it\n"
        "uses the best dense setting's L2 and batch). Output: every setting's "
        "CV\n"
        "accuracy, then Table 2 as markdown. A training whose final loss is "
        "worse\n"
        "than predicting the class frequencies (or NaN) is broken: counted "
        "in the\n"
        "cv_broken and broken columns, left out of every mean, and a setting "
        "with\n"
        "fewer broken folds always wins over one with more.\n"
        "\n"
        "Grid:\n"
        "  --folds K             folds [5]\n"
        "  --repeats R           repetitions of the k-fold CV [10]\n"
        "  --grid-hidden LIST    dense hidden nodes [16,32,64,128,256,512]\n"
        "  --grid-l2 LIST        L2 (weight decay) values "
        "[0.0001,0.001,0.01,0.1]\n"
        "  --grid-batch LIST     batch sizes [16,32,64]\n"
        "  --methods LIST        dense, fsa-nsa or both [dense,fsa-nsa]\n"
        "  --sizes LIST          FSA+NSA targets k:h (features:nodes) "
        "[p/4:8,p/4:32,\n"
        "                        p/2:8,p/2:32, rounded up]\n"
        "  --retrains N          final trainings per method [10]\n"
        "  --seed S              base of every job's seed and of the folds "
        "[1]\n"
        "  --test-fraction F     held-out test share [0.2]\n"
        "  --split-seed S        seed of the train/test split [0]\n"
        "  --peek-test           report the best test accuracy over the "
        "epochs of\n"
        "                        each retraining, as the paper does (it looks "
        "at\n"
        "                        the test set) [off: the net after the last "
        "epoch]\n"
        "  --name TEXT           data set name in the table [DATA's file "
        "name]\n");
    exp_train_help(f, d);
    fprintf(f, "  (--method, --hidden, --features, --batch and --weight-decay "
            "are set by the grid)\n");
    exp_data_help(f, 2);
    exp_sweep_help(f);
    fprintf(f, "\nExit status: 0 success, 1 failure or interrupted, 2 usage "
            "error.\n");
}

static int parse_sizes(const char *cmd, const char *s, fsnsa_size **out,
                       size_t *n)
{
    size_t cap = 1;
    for (const char *q = s; *q; q++)
        cap += *q == ',';
    fsnsa_size *v = calloc(cap, sizeof *v);
    char *copy = strdup(s);
    int rc = -1;
    size_t k = 0;
    char *save = NULL;
    if (v == NULL || copy == NULL)
        goto done;
    for (char *tok = strtok_r(copy, ",", &save); tok != NULL;
         tok = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(tok, ':');
        if (colon == NULL) {
            cli_error(cmd, "--sizes: expected k:h pairs, got '%s'", tok);
            goto done;
        }
        *colon = '\0';
        if (cli_opt_size(cmd, "sizes", tok, 1, 100000000, &v[k].k) != 0 ||
            cli_opt_size(cmd, "sizes", colon + 1, 1, 1000000, &v[k].h) != 0)
            goto done;
        k++;
    }
    if (k == 0) {
        cli_error(cmd, "--sizes: empty list");
        goto done;
    }
    rc = 0;
done:
    free(copy);
    if (rc == 0) {
        *out = v;
        *n = k;
    } else {
        free(v);
    }
    return rc;
}

static void print_final(const char *what, const fsnsa_grid_final *f, int peek)
{
    printf("%s\t%zu\t%zu\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%g\t%zu\t%.2f\t%zu\n",
           what, f->hidden, f->features, f->weights, 100 * f->acc_mean,
           100 * f->acc_std, 100 * f->peek_mean, 100 * f->peek_std,
           f->setting.l2, f->setting.batch,
           isnan(f->setting.cv_acc) ? NAN : 100 * f->setting.cv_acc,
           f->broken);
    (void)peek;
}

int cmd_grid(int argc, char **argv)
{
    static const char *const cmd = "grid";
    static const struct option longopts[] = {
        EXP_LONGOPTS,
        {"folds", required_argument, NULL, OPT_FOLDS},
        {"repeats", required_argument, NULL, OPT_REPEATS},
        {"grid-hidden", required_argument, NULL, OPT_GHIDDEN},
        {"grid-l2", required_argument, NULL, OPT_GL2},
        {"grid-batch", required_argument, NULL, OPT_GBATCH},
        {"methods", required_argument, NULL, OPT_METHODS},
        {"sizes", required_argument, NULL, OPT_SIZES},
        {"retrains", required_argument, NULL, OPT_RETRAINS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"peek-test", no_argument, NULL, OPT_PEEK},
        {"name", required_argument, NULL, OPT_NAME},
        {NULL, 0, NULL, 0}};
    exp_config cfg;
    exp_config_default(&cfg, FSNSA_METHOD_DENSE, 64);
    cfg.test_fraction = 0.2;
    fsnsa_grid_options go;
    fsnsa_grid_options_default(&go);
    size_t *gh = NULL, *gb = NULL, ngh = 0, ngb = 0;
    double *gl = NULL;
    size_t ngl = 0;
    fsnsa_size *sizes = NULL;
    size_t nsizes = 0;
    int peek = 0, c, rc = CLI_USAGE;
    const char *name = NULL;
    fsnsa_dataset *train = NULL, *test = NULL;
    fsnsa_jobfile *jf = NULL;
    fsnsa_grid_result res = {0};
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout, &cfg);
            rc = CLI_OK;
            goto out;
        }
        int r = exp_option(cmd, c, optarg, &cfg);
        if (r < 0)
            goto out;
        if (r == 0)
            continue;
        switch (c) {
        case OPT_FOLDS:
            if (cli_opt_size(cmd, "folds", optarg, 2, 1000, &go.folds))
                goto out;
            break;
        case OPT_REPEATS:
            if (cli_opt_size(cmd, "repeats", optarg, 1, 100000, &go.repeats))
                goto out;
            break;
        case OPT_GHIDDEN:
            free(gh);
            gh = NULL;
            if (exp_parse_sizes(cmd, "grid-hidden", optarg, 1, 1000000, &gh,
                                &ngh))
                goto out;
            break;
        case OPT_GL2:
            free(gl);
            gl = NULL;
            if (exp_parse_doubles(cmd, "grid-l2", optarg, &gl, &ngl))
                goto out;
            break;
        case OPT_GBATCH:
            free(gb);
            gb = NULL;
            if (exp_parse_sizes(cmd, "grid-batch", optarg, 1, 100000000, &gb,
                                &ngb))
                goto out;
            break;
        case OPT_METHODS: {
            go.dense = strstr(optarg, "dense") != NULL;
            go.fsa_nsa = strstr(optarg, "fsa-nsa") != NULL ||
                         strstr(optarg, "fsa_nsa") != NULL;
            if (!go.dense && !go.fsa_nsa) {
                cli_error(cmd, "--methods: expected dense, fsa-nsa or "
                          "dense,fsa-nsa, got '%s'", optarg);
                goto out;
            }
            break;
        }
        case OPT_SIZES:
            free(sizes);
            sizes = NULL;
            if (parse_sizes(cmd, optarg, &sizes, &nsizes))
                goto out;
            break;
        case OPT_RETRAINS:
            if (cli_opt_size(cmd, "retrains", optarg, 1, 100000, &go.retrains))
                goto out;
            break;
        case OPT_SEED:
            if (cli_opt_u64(cmd, "seed", optarg, &go.seed))
                goto out;
            break;
        case OPT_PEEK:
            peek = 1;
            break;
        case OPT_NAME:
            name = optarg;
            break;
        default:
            rc = cli_getopt_error(cmd, c, argv);
            goto out;
        }
    }
    if (cfg.xor_k == 0) {
        if (optind + 1 != argc) {
            rc = cli_usage_error(cmd, "expected one DATA file or --xor K");
            goto out;
        }
        cfg.data = argv[optind];
    } else if (optind != argc) {
        rc = cli_usage_error(cmd, "--xor takes no DATA file");
        goto out;
    }
    if (cfg.test != NULL) {
        rc = cli_usage_error(cmd, "the grid splits DATA itself; use "
                             "--test-fraction, not --test");
        goto out;
    }
    /* exp_load must not split: the grid does (the same split either way,
     * but the grid needs all rows). */
    go.test_fraction = cfg.test_fraction;
    go.split_seed = cfg.split_seed;
    cfg.test_fraction = 0;
    size_t keep_test_n = cfg.test_n;
    cfg.test_n = 0;
    /* Scaling is fitted inside every fold; load unscaled. */
    int scale = cfg.scale;
    cfg.scale = FSNSA_SCALE_NONE;
    exp_data_id id;
    rc = exp_load(cmd, &cfg, &train, &test, &id);
    cfg.scale = scale;
    cfg.test_n = keep_test_n;
    if (rc != 0)
        goto out;
    go.scale = cfg.scale >= 0 ? (fsnsa_scale)cfg.scale
                              : cfg.xor_k > 0 ? FSNSA_SCALE_NONE
                                              : FSNSA_SCALE_STANDARD;
    if (gh != NULL) {
        go.hidden = gh;
        go.n_hidden = ngh;
    }
    if (gl != NULL) {
        go.l2 = gl;
        go.n_l2 = ngl;
    }
    if (gb != NULL) {
        go.batch = gb;
        go.n_batch = ngb;
    }
    if (sizes == NULL && go.fsa_nsa) {
        size_t p = train->p, k1 = (p + 3) / 4, k2 = (p + 1) / 2;
        nsizes = k1 == k2 ? 2 : 4;
        sizes = calloc(4, sizeof *sizes);
        if (sizes == NULL) {
            cli_error(cmd, "out of memory");
            rc = CLI_FAIL;
            goto out;
        }
        sizes[0] = (fsnsa_size){k1, 8};
        sizes[1] = (fsnsa_size){k1, 32};
        sizes[2] = (fsnsa_size){k2, 8};
        sizes[3] = (fsnsa_size){k2, 32};
    }
    go.sizes = sizes;
    go.n_sizes = nsizes;
    go.train = cfg.train;

    static const char values[] = "cv=acc loss seconds, final=acc peek_acc "
                                 "loss weights hidden features seconds";
    char desc[2048], legacy[2600];
    exp_config hc = cfg;
    hc.test_fraction = go.test_fraction;
    exp_describe(&hc, 0, desc, sizeof desc);
    snprintf(legacy, sizeof legacy,
             "fsnsa grid; %s; start-hidden=%zu epochs=%d mu=%g lr=%g "
             "folds=%zu seed=%llu; columns %s",
             desc, cfg.train.start_hidden, cfg.train.epochs, cfg.train.mu,
             cfg.train.lr, go.folds, (unsigned long long)go.seed, values);
    /* the grid sets method, hidden, features, batch and L2 per job (they
     * are in its keys) */
    exp_header header;
    exp_header_init(&header, "grid", values);
    exp_header_data(&header, &hc, &id);
    exp_header_add(&header, 0, "start-hidden", "%zu", cfg.train.start_hidden);
    exp_header_add(&header, 0, "epochs", "%d", cfg.train.epochs);
    exp_header_double(&header, "mu", cfg.train.mu);
    exp_header_double(&header, "lr", cfg.train.lr);
    exp_header_add(&header, 0, "folds", "%zu", go.folds);
    exp_header_add(&header, 0, "seed", "%llu", (unsigned long long)go.seed);
    exp_progress pr;
    rc = exp_sweep_setup(cmd, &cfg, &header, legacy, &go.sweep, &jf, &pr);
    if (rc == 0) {
        fsnsa_error err = {0};
        fsnsa_status st = fsnsa_grid(train, &go, &res, &err);
        rc = exp_sweep_finish(cmd, &cfg, st, &err, jf, &pr);
    }
    if (rc == 0 && !cfg.quiet) {
        if (name == NULL) {
            name = cfg.data != NULL ? strrchr(cfg.data, '/') : NULL;
            name = name != NULL ? name + 1 : cfg.data != NULL ? cfg.data : "xor";
        }
        printf("# fsnsa grid: %s\n", desc);
        printf("# %zu training + %zu test rows, p = %zu, %zu classes; "
               "%zu-fold CV x %zu repeats; %zu retrains; epochs %d; "
               "FSA+NSA from %zu nodes\n", res.n_train, res.n_test, res.p,
               res.n_classes, go.folds, go.repeats, go.retrains,
               cfg.train.epochs, cfg.train.start_hidden);
        printf("method\tfeatures\thidden\tl2\tbatch\tcv_acc\tcv_acc_std\t"
               "cv_loss\tcv_broken\n");
        size_t broken = 0;
        for (size_t i = 0; i < res.n_settings; i++) {
            const fsnsa_grid_setting *s = &res.settings[i];
            printf("%s\t%zu\t%zu\t%g\t%zu\t%.4f\t%.4f\t%.4f\t%zu\n",
                   fsnsa_method_name(s->method),
                   s->features ? s->features : res.p, s->hidden, s->l2,
                   s->batch, s->cv_acc, s->cv_acc_std, s->cv_loss,
                   s->cv_broken);
            broken += s->cv_broken;
        }
        printf("# final: column\thidden\tfeatures\tweights\ttest_acc\tstd\t"
               "peek_acc\tpeek_std\tl2\tbatch\tcv_acc\tbroken\n");
        if (res.have_dense)
            print_final("# final: NN(best)", &res.best_dense, peek);
        if (res.have_fsa) {
            print_final("# final: NN(equivalent)", &res.equivalent, peek);
            print_final("# final: FSA+NSA", &res.best_fsa, peek);
        }
        size_t fbroken = res.best_dense.broken + res.equivalent.broken +
                         res.best_fsa.broken;
        printf("# broken: %zu CV trainings and %zu retrainings (a final "
               "training loss worse than predicting the class frequencies, "
               "or NaN): left out of the means\n", broken, fbroken);
        printf("\n# Table 2 row (%s): %s\n", name,
               peek ? "PEEKING: best test accuracy over the epochs of each "
                      "retraining, as in the paper (the test set chose the "
                      "epoch)"
                    : "honest: test accuracy of the net after the last "
                      "epoch (the test set chose nothing)");
        printf("| %s, p = %zu, n = %zu, %zu classes | NN(best) | "
               "NN(equivalent) | FSA+NSA |\n", name, res.p,
               res.n_train + res.n_test, res.n_classes);
        printf("|---|---|---|---|\n");
        const fsnsa_grid_final *cols[3] = {
            res.have_dense ? &res.best_dense : NULL,
            res.have_fsa ? &res.equivalent : NULL,
            res.have_fsa ? &res.best_fsa : NULL};
        size_t n_out = res.n_classes == 2 ? 1 : res.n_classes;
        printf("| Number of weights (nodes) |");
        for (int i = 0; i < 3; i++) {
            const fsnsa_grid_final *f = cols[i];
            if (f == NULL)
                printf(" - |");
            else if (i < 2)
                printf(" %.0f (%zu) |", f->weights, f->hidden);
            else
                printf(" %zu+%zu = %.0f (k = %zu, h = %zu) |",
                       f->hidden * f->features, f->hidden * n_out, f->weights,
                       f->features, f->hidden);
        }
        printf("\n| Test accuracy (%%) |");
        for (int i = 0; i < 3; i++) {
            const fsnsa_grid_final *f = cols[i];
            if (f == NULL)
                printf(" - |");
            else
                printf(" %.2f±%.2f |", 100 * (peek ? f->peek_mean : f->acc_mean),
                       100 * (peek ? f->peek_std : f->acc_std));
        }
        printf("\n");
        if (fflush(stdout) != 0) {
            cli_error(cmd, "cannot write to standard output");
            rc = CLI_FAIL;
        }
    }
out:
    fsnsa_grid_result_clear(&res);
    fsnsa_jobfile_close(jf);
    fsnsa_dataset_free(train);
    fsnsa_dataset_free(test);
    free(gh);
    free(gb);
    free(gl);
    free(sizes);
    return rc;
}

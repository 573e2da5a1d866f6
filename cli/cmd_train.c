/* fsnsa train [options] DATA [MODEL]: parse the options, then run the
 * pipeline in common.c. */
#include "common.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_METHOD = CLI_OPT_DATA_LAST,
    OPT_HIDDEN,
    OPT_START_HIDDEN,
    OPT_FEATURES,
    OPT_EPOCHS,
    OPT_MU,
    OPT_BATCH,
    OPT_LR,
    OPT_WEIGHT_DECAY,
    OPT_SEED,
    OPT_SHUFFLE,
    OPT_INIT,
    OPT_SCALE,
    OPT_TEST,
    OPT_TEST_FRACTION,
    OPT_SPLIT_SEED,
    OPT_PATH,
    OPT_VERBOSE,
    OPT_KEEP_GOING
};

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: fsnsa train [options] DATA [MODEL]\n"
        "\n"
        "Train a one-hidden-layer ReLU network on DATA and save it to MODEL\n"
        "[DATA's file name + .model, in the current directory].\n"
        "\n"
        "Method:\n"
        "  --method M            dense, nsa, fsa or fsa-nsa [fsa-nsa]\n"
        "  --hidden h            final hidden nodes [128 for nsa and "
        "fsa-nsa,\n"
        "                        64 for dense and fsa]\n"
        "  --start-hidden H      starting nodes for nsa and fsa-nsa [1024]\n"
        "  --features k          features kept by fsa and fsa-nsa [half of "
        "the\n"
        "                        encoded columns, rounded up]\n"
        "  --epochs N            training epochs [300]\n"
        "  --mu M                annealing parameter mu [30]\n"
        "Optimizer:\n"
        "  --batch B|full        mini-batch size, or full batch [32]\n"
        "  --lr FLOAT            Adam learning rate [0.001]\n"
        "  --weight-decay FLOAT  L2 term added to the gradient [0.0001]\n"
        "  --seed S              initialization and shuffling seed [1]\n"
        "  --shuffle on|off      reshuffle the rows every epoch [on]\n"
        "  --init MODEL          warm start: continue from MODEL's network,"
        "\n"
        "                        encoding and scaling (DATA must match); "
        "--method,\n"
        "                        --hidden, --features default to MODEL's; "
        "it starts\n"
        "                        from MODEL's nodes and keeps its scaling, "
        "so a\n"
        "                        --start-hidden or --scale that differs is "
        "refused\n"
        "                        [none]\n"
        "Preprocessing:\n"
        "  --scale S             standard, minmax or none, fitted on the "
        "training\n"
        "                        rows [standard]\n");
    cli_data_help(f, "refuse");
    fprintf(f,
        "Evaluation and output:\n"
        "  --test FILE           report loss, accuracy and AUC on FILE "
        "[none]\n"
        "  --test-fraction F     hold out a stratified fraction F in (0, 1) "
        "of\n"
        "                        DATA as the test set [none]\n"
        "  --split-seed S        seed of that split [0]\n"
        "  --path FILE           write the selection path: one TSV line "
        "per epoch\n"
        "                        (epoch, nodes, features, loss, seconds, "
        "kept\n"
        "                        feature ids) [none]\n"
        "  --keep-going          save a failed training anyway, with a "
        "warning: a\n"
        "                        final training loss worse than predicting "
        "the\n"
        "                        class frequencies, or a NaN or infinite "
        "loss (then\n"
        "                        the network of the last finite epoch) "
        "[off: exit\n"
        "                        1, no model written]\n"
        "  -q, --quiet           print errors only [off]\n"
        "  --verbose             per-epoch progress on stderr even when it "
        "is not\n"
        "                        a terminal [on for a terminal]\n"
        "  -h, --help            show this help\n"
        "\n"
        "Exit status: 0 success, 1 bad data or failure (no model written),\n"
        "2 usage error.\n");
}

/* LIBLINEAR's rule: the model goes next to the user, named after DATA. */
static char *default_model_name(const char *data)
{
    const char *base = strrchr(data, '/');
    base = base != NULL ? base + 1 : data;
    size_t len = strlen(base) + sizeof ".model";
    char *s = malloc(len);
    if (s != NULL)
        snprintf(s, len, "%s.model", base);
    return s;
}

int cmd_train(int argc, char **argv)
{
    static const char *const cmd = "train";
    static const char *const onoff[] = {"off", "on", NULL};
    static const struct option longopts[] = {
        {"method", required_argument, NULL, OPT_METHOD},
        {"hidden", required_argument, NULL, OPT_HIDDEN},
        {"start-hidden", required_argument, NULL, OPT_START_HIDDEN},
        {"features", required_argument, NULL, OPT_FEATURES},
        {"epochs", required_argument, NULL, OPT_EPOCHS},
        {"mu", required_argument, NULL, OPT_MU},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"lr", required_argument, NULL, OPT_LR},
        {"weight-decay", required_argument, NULL, OPT_WEIGHT_DECAY},
        {"seed", required_argument, NULL, OPT_SEED},
        {"shuffle", required_argument, NULL, OPT_SHUFFLE},
        {"init", required_argument, NULL, OPT_INIT},
        {"scale", required_argument, NULL, OPT_SCALE},
        CLI_DATA_LONGOPTS,
        {"test", required_argument, NULL, OPT_TEST},
        {"test-fraction", required_argument, NULL, OPT_TEST_FRACTION},
        {"split-seed", required_argument, NULL, OPT_SPLIT_SEED},
        {"path", required_argument, NULL, OPT_PATH},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, OPT_VERBOSE},
        {"keep-going", no_argument, NULL, OPT_KEEP_GOING},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};

    cli_train_config cfg;
    memset(&cfg, 0, sizeof cfg);
    fsnsa_read_options_default(&cfg.read);
    fsnsa_train_options_default(&cfg.train);
    cfg.train.method = FSNSA_METHOD_FSA_NSA;
    cfg.train.start_hidden = 1024;
    cfg.train.epochs = 300;
    cfg.train.mu = 30;
    cfg.train.batch = 32;
    cfg.train.lr = 0.001;
    cfg.train.weight_decay = 1e-4;
    cfg.train.seed = 1;
    cfg.train.shuffle = 1;
    cfg.scale = FSNSA_SCALE_STANDARD;
    int c, v;
    long long ll;

    optind = 0; /* GNU: full reinitialization, argv[0] is the subcommand */
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        int r = cli_data_option(cmd, c, optarg, &cfg.read);
        if (r < 0)
            return CLI_USAGE;
        if (r == 0)
            continue;
        switch (c) {
        case OPT_METHOD:
            v = fsnsa_method_parse(optarg);
            if (v < 0) {
                cli_msg m;
                static const char *const methods[] = {"dense", "nsa", "fsa",
                                                      "fsa-nsa", NULL};
                cli_error(cmd, "--method: %s",
                          cli_parse_choice(optarg, methods, &v, &m));
                return CLI_USAGE;
            }
            cfg.train.method = (fsnsa_method)v;
            cfg.method_given = 1;
            break;
        case OPT_HIDDEN:
            if (cli_opt_size(cmd, "hidden", optarg, 1, 1000000,
                             &cfg.train.hidden) != 0)
                return CLI_USAGE;
            cfg.hidden_given = 1;
            break;
        case OPT_START_HIDDEN:
            if (cli_opt_size(cmd, "start-hidden", optarg, 1, 1000000,
                             &cfg.train.start_hidden) != 0)
                return CLI_USAGE;
            cfg.start_hidden_given = 1;
            break;
        case OPT_FEATURES:
            if (cli_opt_size(cmd, "features", optarg, 1, 100000000,
                             &cfg.train.features) != 0)
                return CLI_USAGE;
            cfg.features_given = 1;
            break;
        case OPT_EPOCHS:
            if (cli_opt_int(cmd, "epochs", optarg, 1, 1000000, &ll) != 0)
                return CLI_USAGE;
            cfg.train.epochs = (int)ll;
            break;
        case OPT_MU:
            if (cli_opt_double(cmd, "mu", optarg, 0, 0, 1e6, 0,
                               &cfg.train.mu) != 0)
                return CLI_USAGE;
            break;
        case OPT_BATCH: {
            cli_msg m;
            const char *e =
                cli_parse_batch(optarg, 1000000000, &cfg.train.batch, &m);
            if (e != NULL) {
                cli_error(cmd, "--batch: %s", e);
                return CLI_USAGE;
            }
            break;
        }
        case OPT_LR:
            if (cli_opt_double(cmd, "lr", optarg, 0, 1, INFINITY, 0,
                               &cfg.train.lr) != 0)
                return CLI_USAGE;
            break;
        case OPT_WEIGHT_DECAY:
            if (cli_opt_double(cmd, "weight-decay", optarg, 0, 0, INFINITY, 0,
                               &cfg.train.weight_decay) != 0)
                return CLI_USAGE;
            break;
        case OPT_SEED:
            if (cli_opt_u64(cmd, "seed", optarg, &cfg.train.seed) != 0)
                return CLI_USAGE;
            break;
        case OPT_SHUFFLE:
            if (cli_opt_choice(cmd, "shuffle", optarg, onoff, &v) != 0)
                return CLI_USAGE;
            cfg.train.shuffle = v;
            break;
        case OPT_INIT:
            cfg.init = optarg;
            break;
        case OPT_SCALE:
            if (cli_opt_choice(cmd, "scale", optarg, cli_scale_names, &v) != 0)
                return CLI_USAGE;
            cfg.scale = (fsnsa_scale)v; /* order matches fsnsa_scale */
            cfg.scale_given = 1;
            break;
        case OPT_TEST:
            cfg.test = optarg;
            break;
        case OPT_TEST_FRACTION:
            if (cli_opt_double(cmd, "test-fraction", optarg, 0, 1, 1, 1,
                               &cfg.test_fraction) != 0)
                return CLI_USAGE;
            break;
        case OPT_SPLIT_SEED:
            if (cli_opt_u64(cmd, "split-seed", optarg, &cfg.split_seed) != 0)
                return CLI_USAGE;
            break;
        case OPT_PATH:
            cfg.path = optarg;
            break;
        case 'q':
            cfg.quiet = 1;
            break;
        case OPT_VERBOSE:
            cfg.verbose = 1;
            break;
        case OPT_KEEP_GOING:
            cfg.train.keep_going = 1;
            break;
        case 'h':
            usage(stdout);
            return CLI_OK;
        default:
            return cli_getopt_error_long(cmd, c, argv, longopts);
        }
    }
    int npos = argc - optind;
    if (npos < 1)
        return cli_usage_error(cmd, "missing the DATA file");
    if (npos > 2)
        return cli_usage_error(cmd, "unexpected argument '%s'",
                               argv[optind + 2]);
    if (cfg.test != NULL && cfg.test_fraction > 0)
        return cli_usage_error(cmd, "--test and --test-fraction exclude each "
                               "other");
    if (!cfg.hidden_given)
        cfg.train.hidden = cfg.train.method == FSNSA_METHOD_NSA ||
                                   cfg.train.method == FSNSA_METHOD_FSA_NSA
                               ? 128
                               : 64;
    /* (with --init the sizes come from the model: the pipeline checks) */
    if (cfg.init == NULL &&
        (cfg.train.method == FSNSA_METHOD_NSA ||
         cfg.train.method == FSNSA_METHOD_FSA_NSA) &&
        cfg.train.hidden > cfg.train.start_hidden)
        return cli_usage_error(cmd, "--hidden %zu is more than --start-hidden "
                               "%zu", cfg.train.hidden,
                               cfg.train.start_hidden);
    if (cfg.verbose && cfg.quiet)
        return cli_usage_error(cmd, "--quiet and --verbose exclude each "
                               "other");
    cli_data_warnings(cmd, &cfg.read, cfg.quiet);
    cfg.data = argv[optind];
    char *model_name = NULL;
    if (npos == 2) {
        cfg.model = argv[optind + 1];
    } else {
        if ((model_name = default_model_name(cfg.data)) == NULL) {
            cli_error(cmd, "out of memory");
            return CLI_FAIL;
        }
        cfg.model = model_name;
    }
    /* The model may replace its own --init model (a continued run), but
     * nothing may replace a data file. */
    const char *inputs[] = {cfg.data, cfg.test, cfg.read.labels_file,
                            cfg.init, cfg.model};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *clash = NULL;
        if (i < 3 && cli_same_file(cfg.model, inputs[i]))
            clash = cfg.model;
        else if (cli_same_file(cfg.path, inputs[i]))
            clash = cfg.path;
        if (clash != NULL) {
            free(model_name);
            return cli_usage_error(cmd, "writing '%s' would overwrite '%s'",
                                   clash, inputs[i]);
        }
    }
    int rc = cli_train_pipeline(cmd, &cfg);
    free(model_name);
    return rc;
}

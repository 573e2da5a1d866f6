/* fsnsa train [options] DATA [MODEL]: parse the options, then run the
 * pipeline (train_pipeline.c). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "data_options.h"
#include "help.h"
#include "label_task.h"
#include "messages.h"
#include "output.h"
#include "plot.h"
#include "train_options.h"
#include "train_pipeline.h"
#include "validation_options.h"

enum {
    OPT_SEED = CLI_OPT_TRAIN_LAST,
    OPT_SHUFFLE,
    OPT_INIT,
    OPT_SCALE,
    OPT_TEST,
    OPT_TEST_FRACTION,
    OPT_SPLIT_SEED,
    OPT_PATH,
    OPT_VERBOSE,
    OPT_KEEP_GOING,
    OPT_RESTARTS,
    OPT_THREADS,
    OPT_PLOT,
    OPT_TASK,
    OPT_SELECT_FOLDS,
    OPT_SELECT_EPOCHS,
    OPT_SELECT_SIZES,
    OPT_SELECT_HIDDEN,
    OPT_SELECT_SCORE,
    OPT_SELECT_REFIT_EPOCHS,
    OPT_SELECT_RULE,
    OPT_REFIT,
    OPT_VALIDATION /* CLI_VAL_COUNT codes from here */
};

static const char *const ONOFF[] = {"off", "on", NULL};

/* The command's defaults: the library's, and train's own for what the
 * library has none of (scaling, no test set, split seed 0). */
static void config_default(cli_train_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    fsnsa_read_options_default(&cfg->read);
    fsnsa_train_options_default(&cfg->train);
    cfg->scale = FSNSA_SCALE_STANDARD;
    fsnsa_fit_options fo;
    fsnsa_fit_options_default(&fo);
    cfg->restarts = fo.restarts;
    cfg->threads = fo.threads;
    cfg->refit = fo.refit;
    fsnsa_select_options_default(&cfg->select);
    cfg->given.auto_ok = 1;
}

/* The --select-* lines; the path of sizes is the library's default. */
static void select_help(FILE *f, const fsnsa_select_options *d)
{
    cli_help_opt(f, "--select-folds F", "stratified folds of the training "
                 "rows; per fold one annealing run passes through the sizes "
                 "[%zu]", d->folds);
    cli_help_opt(f, "--select-epochs E", "epochs a pruned copy is "
                 "fine-tuned at each size before its held-out loss is "
                 "taken [%d]", d->finetune_epochs);
    char scores[64];
    cli_help_opt(f, "--select-score S", "%s: score a size by the pruned "
                 "copy fine-tuned (path), or by a fresh dense net of the "
                 "final nodes trained on the columns the path kept there, "
                 "as --refit dense trains it (refit) [%s]",
                 cli_help_choices(fsnsa_select_score_names(), scores,
                                  sizeof scores),
                 fsnsa_select_score_name(d->score));
    char re[48] = "--epochs";
    if (d->refit_epochs > 0)
        snprintf(re, sizeof re, "%d", d->refit_epochs);
    cli_help_opt(f, "--select-refit-epochs E", "with --select-score refit: "
                 "epochs of each fold's refit at each size [%s]", re);
    char rules[64];
    cli_help_opt(f, "--select-rule R", "%s: of k's curve and h's, choose "
                 "the fewest within one standard error of the lowest mean "
                 "(one-se), or the lowest mean (min) [%s]",
                 cli_help_choices(fsnsa_select_rule_names(), rules,
                                  sizeof rules),
                 fsnsa_select_rule_name(d->rule));
    char sizes[64];
    snprintf(sizes, sizeof sizes, "%s", fsnsa_select_path_text());
    if (d->n_sizes > 0) /* a default list, were there one */
        snprintf(sizes, sizeof sizes, "%zu sizes", d->n_sizes);
    cli_help_opt(f, "--select-sizes k1,k2,...", "candidate sizes, chosen "
                 "among by --select-rule [%s]", sizes);
    size_t n;
    const size_t *h = fsnsa_select_hidden_default(&n);
    char hs[128] = "";
    for (size_t i = 0, o = 0; i < n && o < sizeof hs; i++)
        o += (size_t)snprintf(hs + o, sizeof hs - o, "%s%zu", i ? "," : "",
                              h[i]);
    cli_help_opt(f, "--select-hidden h1,h2,...", "with --hidden auto: "
                 "candidate node counts (at most --start-hidden for nsa and "
                 "fsa-nsa), one full training per fold and count, chosen "
                 "after k by the same rule [%s]", hs);
}

/* --help's evaluation and output options. */
static void usage_output(FILE *f, const cli_train_config *d)
{
    fprintf(f, "Evaluation and output:\n");
    cli_help_opt(f, "--test FILE", "report loss, accuracy and AUC on FILE "
                 "[none]");
    cli_help_opt(f, "--test-fraction F", "hold out a stratified fraction F "
                 "in (0, 1) of DATA as the test set [none]");
    cli_help_opt(f, "--split-seed S", "seed of that split [%llu]",
                 (unsigned long long)d->split_seed);
    cli_help_opt(f, "--path FILE", "write the selection path: one TSV line "
                 "per epoch (epoch, nodes, features, loss, seconds, kept "
                 "feature ids, their names, the names dropped that epoch; "
                 "with a validation split also val_loss, val_accuracy and "
                 "a closing '# kept epoch' line); not with --restarts above "
                 "1 [none]");
    cli_help_opt(f, "--plot FILE", "draw the run at its end into FILE, "
                 ".png or .svg, as 'fsnsa plot' draws a --path file (needs "
                 "gnuplot); not with --restarts above 1 [none]");
    cli_help_opt(f, "--keep-going", "save a failed training anyway, with a "
                 "warning: a final training loss worse than predicting the "
                 "class frequencies (regression: the training mean), or a NaN "
                 "or infinite loss (then the network of the last finite "
                 "epoch) [%s]",
                 d->train.keep_going ? "on"
                                     : "off: exit 1, no model written");
    cli_help_opt(f, "-q, --quiet", "print errors only [off]");
    cli_help_opt(f, "--verbose", "a progress line per epoch on stderr, also "
                 "on a terminal [off: one line updated in place on a "
                 "terminal, a line per epoch otherwise]");
    cli_help_opt(f, "-h, --help", "show this help");
}

static void usage(FILE *f, const cli_train_config *d)
{
    char scales[64];
    fprintf(f,
        "Usage: fsnsa train [options] DATA [MODEL]\n"
        "\n"
        "Train a one-hidden-layer ReLU network on DATA and save it to MODEL\n"
        "[DATA's file name + .model, in the current directory].\n"
        "\n"
        "Method:\n");
    char tasks[64];
    cli_help_opt(f, "--task T", "%s: the label is a class, or a number to "
                 "predict (one linear output, mean squared error on the "
                 "target standardized on the training rows); not given: "
                 "an --init model's task, else %s, but a label column "
                 "that looks numeric (every value a number, and some not "
                 "an integer or more than %d distinct) stops the run with "
                 "what it holds [detect]",
                 cli_help_choices(fsnsa_task_names(), tasks, sizeof tasks),
                 fsnsa_task_name(d->train.task), FSNSA_TASK_MAX_INTEGER_CLASSES);
    cli_train_help_net(f, &d->train, "half of the encoded columns, rounded "
                       "up", 1);
    fprintf(f, "Optimizer:\n");
    cli_train_help_optimizer(f, &d->train);
    cli_help_opt(f, "--seed S", "initialization and shuffling seed [%llu]",
                 (unsigned long long)d->train.seed);
    cli_help_opt(f, "--shuffle on|off", "reshuffle the rows every epoch "
                 "[%s]", ONOFF[d->train.shuffle != 0]);
    cli_help_opt(f, "--init MODEL", "warm start: continue from MODEL's "
                 "network, encoding and scaling (DATA must match); --method, "
                 "--hidden, --features default to MODEL's; it starts from "
                 "MODEL's nodes and keeps its scaling, so a --start-hidden or "
                 "--scale that differs is refused [none]");
    cli_help_opt(f, "--restarts R", "R runs with seeds S .. S+R-1 (S = "
                 "--seed), keeping the lowest final training loss; each "
                 "column's stability score is the fraction of the runs that "
                 "kept it [%zu]", d->restarts);
    cli_help_opt(f, "--threads N", "restarts run at once, each on one "
                 "thread; results do not depend on N [%d]", d->threads);
    char refits[32];
    cli_help_opt(f, "--refit R", "%s: after nsa, fsa or fsa-nsa, replace "
                 "the network by a fresh dense one of its final nodes "
                 "trained on its kept columns alone, with the same options "
                 "and seed (dense); the kept columns, their importance and "
                 "any --features auto curve stay the annealing's [%s]",
                 cli_help_choices(fsnsa_refit_names(), refits, sizeof refits),
                 fsnsa_refit_name(d->refit));
    fprintf(f, "Choosing k and h (--features auto, --hidden auto):\n");
    select_help(f, &d->select);
    fprintf(f, "Class weights and validation:\n");
    cli_validation_help(f, &d->train);
    fprintf(f, "Preprocessing:\n");
    cli_help_opt(f, "--scale S", "%s, fitted on the training rows [%s]",
                 cli_help_choices(fsnsa_scale_names(), scales, sizeof scales),
                 fsnsa_scale_name(d->scale));
    cli_data_help(f, &d->read, NULL);
    usage_output(f, d);
    fprintf(f,
        "\n"
        "Exit status: 0 success, 1 bad data or failure (no model written),\n"
        "2 usage error.\n");
}

/* The --select-* options: 0 handled, -1 error printed, 1 unknown. */
static int select_option(const char *cmd, int c, const char *arg,
                         cli_train_config *cfg)
{
    long long ll;
    int v;
    switch (c) {
    case OPT_SELECT_FOLDS:
        cfg->select_kh_given = "--select-folds";
        return cli_opt_size(cmd, "select-folds", arg, 2, 1000,
                            &cfg->select.folds);
    case OPT_SELECT_EPOCHS:
        cfg->select_given = "--select-epochs";
        if (cli_opt_int(cmd, "select-epochs", arg, 1, 1000000, &ll) != 0)
            return -1;
        cfg->select.finetune_epochs = (int)ll;
        return 0;
    case OPT_SELECT_SIZES:
        cfg->select_given = "--select-sizes";
        free(cfg->select_sizes);
        cfg->select_sizes = NULL;
        if (cli_opt_sizes(cmd, "select-sizes", arg, 1, 100000000,
                          &cfg->select_sizes, &cfg->select.n_sizes) != 0)
            return -1;
        cfg->select.sizes = cfg->select_sizes;
        return 0;
    case OPT_SELECT_SCORE:
        cfg->select_given = "--select-score";
        if (cli_opt_enum(cmd, "select-score", arg, fsnsa_select_score_parse,
                         fsnsa_select_score_names(), &v) != 0)
            return -1;
        cfg->select.score = (fsnsa_select_score)v;
        return 0;
    case OPT_SELECT_RULE:
        cfg->select_kh_given = "--select-rule";
        if (cli_opt_enum(cmd, "select-rule", arg, fsnsa_select_rule_parse,
                         fsnsa_select_rule_names(), &v) != 0)
            return -1;
        cfg->select.rule = (fsnsa_select_rule)v;
        return 0;
    case OPT_SELECT_REFIT_EPOCHS:
        cfg->select_given = "--select-refit-epochs";
        if (cli_opt_int(cmd, "select-refit-epochs", arg, 1, 1000000, &ll) != 0)
            return -1;
        cfg->select.refit_epochs = (int)ll;
        return 0;
    case OPT_SELECT_HIDDEN:
        free(cfg->select_hidden);
        cfg->select_hidden = NULL;
        return cli_opt_sizes(cmd, "select-hidden", arg, 1, 1000000,
                             &cfg->select_hidden, &cfg->n_select_hidden);
    default:
        return 1;
    }
}

/* One option of train's own (not a data or training option): 0 handled,
 * -1 error printed, 1 unknown. */
static int train_option(const char *cmd, int c, const char *arg,
                        cli_train_config *cfg)
{
    int v;
    long long ll;
    switch (c) {
    case OPT_SEED:
        return cli_opt_u64(cmd, "seed", arg, &cfg->train.seed);
    case OPT_SHUFFLE:
        if (cli_opt_choice(cmd, "shuffle", arg, ONOFF, &v) != 0)
            return -1;
        cfg->train.shuffle = v;
        return 0;
    case OPT_INIT:
        cfg->init = arg;
        return 0;
    case OPT_SCALE:
        if (cli_opt_enum(cmd, "scale", arg, fsnsa_scale_parse,
                         fsnsa_scale_names(), &v) != 0)
            return -1;
        cfg->scale = (fsnsa_scale)v;
        cfg->scale_given = 1;
        return 0;
    case OPT_TEST:
        cfg->test = arg;
        return 0;
    case OPT_TEST_FRACTION:
        return cli_opt_double(cmd, "test-fraction", arg, 0, 1, 1, 1,
                              &cfg->test_fraction);
    case OPT_SPLIT_SEED:
        return cli_opt_u64(cmd, "split-seed", arg, &cfg->split_seed);
    case OPT_PATH:
        cfg->path = arg;
        return 0;
    case OPT_PLOT:
        cfg->plot = arg;
        return cli_plot_check_name(cmd, arg);
    case OPT_TASK:
        return cli_task_option(cmd, arg, &cfg->read, &cfg->train,
                               &cfg->task_given);
    case 'q':
        cfg->quiet = 1;
        return 0;
    case OPT_VERBOSE:
        cfg->verbose = 1;
        return 0;
    case OPT_KEEP_GOING:
        cfg->train.keep_going = 1;
        return 0;
    case OPT_RESTARTS:
        return cli_opt_size(cmd, "restarts", arg, 1, 100000, &cfg->restarts);
    case OPT_THREADS:
        if (cli_opt_int(cmd, "threads", arg, 1, 1024, &ll) != 0)
            return -1;
        cfg->threads = (int)ll;
        return 0;
    case OPT_REFIT:
        if (cli_opt_enum(cmd, "refit", arg, fsnsa_refit_parse,
                         fsnsa_refit_names(), &v) != 0)
            return -1;
        cfg->refit = (fsnsa_refit)v;
        return 0;
    default:
        return select_option(cmd, c, arg, cfg);
    }
}

/* --features auto chooses k for a method that selects features, from
 * scratch; --select-epochs and --select-sizes only mean something with
 * it, --select-folds and --select-rule with it or --hidden auto. */
static int check_auto(const char *cmd, const cli_train_config *cfg)
{
    fsnsa_method m = cfg->train.method;
    if (cfg->select_kh_given != NULL && !cfg->given.features_auto &&
        !cfg->given.hidden_auto)
        return cli_usage_error(cmd, "%s needs --features auto or --hidden "
                               "auto", cfg->select_kh_given);
    if (!cfg->given.features_auto)
        return cfg->select_given == NULL
                   ? 0
                   : cli_usage_error(cmd, "%s needs --features auto",
                                     cfg->select_given);
    if (m != FSNSA_METHOD_FSA && m != FSNSA_METHOD_FSA_NSA)
        return cli_usage_error(cmd, "--features auto chooses the number of "
                               "features for fsa and fsa-nsa; --method %s "
                               "keeps every feature",
                               fsnsa_method_name(m));
    if (cfg->init != NULL)
        return cli_usage_error(cmd, "--features auto excludes --init: the "
                               "folds train from scratch");
    return 0;
}

/* --hidden auto (any method) trains from scratch; --select-hidden only
 * means something with it. */
static int check_hidden_auto(const char *cmd, const cli_train_config *cfg)
{
    if (!cfg->given.hidden_auto)
        return cfg->select_hidden == NULL
                   ? 0
                   : cli_usage_error(cmd, "--select-hidden needs --hidden "
                                     "auto");
    if (cfg->init != NULL)
        return cli_usage_error(cmd, "--hidden auto excludes --init: the "
                               "folds train from scratch");
    return 0;
}

/* The options that exclude each other, and --hidden against
 * --start-hidden before any data is read (with --init the sizes come from
 * the model: the pipeline checks). */
static int check_options(const char *cmd, const cli_train_config *cfg)
{
    const fsnsa_train_options *t = &cfg->train;
    if (cfg->test != NULL && cfg->test_fraction > 0)
        return cli_usage_error(cmd, "--test and --test-fraction exclude each "
                               "other");
    size_t hidden = t->hidden != 0 ? t->hidden
                                   : fsnsa_train_default_hidden(t->method);
    if (cfg->init == NULL && !cfg->given.hidden_auto &&
        (t->method == FSNSA_METHOD_NSA || t->method == FSNSA_METHOD_FSA_NSA) &&
        hidden > t->start_hidden)
        return cli_usage_error(cmd, "--hidden %zu is more than --start-hidden "
                               "%zu", hidden, t->start_hidden);
    if (cfg->verbose && cfg->quiet)
        return cli_usage_error(cmd, "--quiet and --verbose exclude each "
                               "other");
    if (cfg->refit != FSNSA_REFIT_NONE && t->method == FSNSA_METHOD_DENSE &&
        cfg->init == NULL)
        return cli_usage_error(cmd, "--refit %s retrains what nsa, fsa or "
                               "fsa-nsa kept; --method dense prunes nothing",
                               fsnsa_refit_name(cfg->refit));
    if (cfg->select.refit_epochs > 0 &&
        cfg->select.score != FSNSA_SELECT_SCORE_REFIT)
        return cli_usage_error(cmd, "--select-refit-epochs needs "
                               "--select-score refit");
    int rc = check_auto(cmd, cfg);
    if (rc == 0)
        rc = check_hidden_auto(cmd, cfg);
    if (rc != 0)
        return rc;
    if (cfg->restarts > 1 && (cfg->path != NULL || cfg->init != NULL ||
                              cfg->train.keep_going || cfg->plot != NULL))
        return cli_usage_error(cmd, "--restarts %zu excludes %s: the runs go "
                               "at once, and a broken run is not kept",
                               cfg->restarts,
                               cfg->path != NULL ? "--path"
                               : cfg->plot != NULL ? "--plot"
                               : cfg->init != NULL ? "--init"
                                                   : "--keep-going");
    return 0;
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

/* The model may replace its own --init model (a continued run), but
 * nothing may replace a data file. */
static int check_clashes(const char *cmd, const cli_train_config *cfg)
{
    const char *inputs[] = {cfg->data, cfg->test, cfg->read.labels_file,
                            cfg->init, cfg->model};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *clash = NULL;
        if (i < 3 && cli_same_file(cfg->model, inputs[i]))
            clash = cfg->model;
        else if (cli_same_file(cfg->path, inputs[i]))
            clash = cfg->path;
        else if (cli_same_file(cfg->plot, inputs[i]))
            clash = cfg->plot;
        if (clash != NULL)
            return cli_usage_error(cmd, "writing '%s' would overwrite '%s'",
                                   clash, inputs[i]);
    }
    if (cli_same_file(cfg->plot, cfg->path))
        return cli_usage_error(cmd, "--plot and --path name the same file "
                               "'%s'", cfg->plot);
    return 0;
}

static int parse_and_run(int argc, char **argv, cli_train_config *cfg);

int cmd_train(int argc, char **argv)
{
    cli_train_config cfg;
    config_default(&cfg);
    int rc = parse_and_run(argc, argv, &cfg);
    free(cfg.select_sizes);
    free(cfg.select_hidden);
    return rc;
}

static int parse_and_run(int argc, char **argv, cli_train_config *cfg)
{
    static const char *const cmd = "train";
    static const struct option longopts[] = {
        CLI_TRAIN_LONGOPTS,
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
        {"restarts", required_argument, NULL, OPT_RESTARTS},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"plot", required_argument, NULL, OPT_PLOT},
        {"task", required_argument, NULL, OPT_TASK},
        {"select-folds", required_argument, NULL, OPT_SELECT_FOLDS},
        {"select-rule", required_argument, NULL, OPT_SELECT_RULE},
        {"select-epochs", required_argument, NULL, OPT_SELECT_EPOCHS},
        {"select-sizes", required_argument, NULL, OPT_SELECT_SIZES},
        {"select-hidden", required_argument, NULL, OPT_SELECT_HIDDEN},
        {"select-score", required_argument, NULL, OPT_SELECT_SCORE},
        {"select-refit-epochs", required_argument, NULL,
         OPT_SELECT_REFIT_EPOCHS},
        {"refit", required_argument, NULL, OPT_REFIT},
        CLI_VALIDATION_LONGOPTS(OPT_VALIDATION),
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;
    optind = 0; /* GNU: full reinitialization, argv[0] is the subcommand */
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout, cfg);
            return CLI_OK;
        }
        int r = cli_data_option(cmd, c, optarg, &cfg->read);
        if (r > 0)
            r = cli_train_option(cmd, c, optarg, &cfg->train, &cfg->given);
        if (r > 0)
            r = train_option(cmd, c, optarg, cfg);
        if (r > 0)
            r = cli_validation_option(cmd, c, OPT_VALIDATION, optarg,
                                      &cfg->train, &cfg->class_weight_spec);
        if (r > 0)
            return cli_getopt_error_long(cmd, c, argv, longopts);
        if (r < 0)
            return CLI_USAGE;
    }
    int npos = argc - optind;
    if (npos < 1)
        return cli_usage_error(cmd, "missing the DATA file");
    if (npos > 2)
        return cli_usage_error(cmd, "unexpected argument '%s'",
                               argv[optind + 2]);
    int rc = check_options(cmd, cfg);
    if (rc != 0)
        return rc;
    cli_data_warnings(cmd, &cfg->read, cfg->quiet);
    cfg->data = argv[optind];
    char *model_name = NULL;
    if (npos == 2) {
        cfg->model = argv[optind + 1];
    } else if ((cfg->model = model_name = default_model_name(cfg->data)) ==
               NULL) {
        cli_error(cmd, "out of memory");
        return CLI_FAIL;
    }
    rc = check_clashes(cmd, cfg);
    if (rc == 0)
        rc = cli_train_pipeline(cmd, cfg);
    free(model_name);
    return rc;
}

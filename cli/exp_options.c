/* The experiment commands' shared options: see exp_options.h. */
#include "exp_options.h"

#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "args.h"
#include "help.h"
#include "label_task.h"
#include "launcher.h"
#include "messages.h"

/* --progress's names; "auto" is -1 */
static const char *const PROGRESS[] = {"off", "on", "auto", NULL};

void exp_config_init(exp_config *c, const fsnsa_train_options *train)
{
    memset(c, 0, sizeof *c);
    /* the paper's XOR pools: 1000 training rows, 3000 test rows */
    c->n = 1000;
    c->test_n = 3000;
    c->data_seed = 1;
    c->scale = -1;
    c->file_scale = FSNSA_SCALE_STANDARD;
    fsnsa_read_options_default(&c->read);
    c->train = *train;
#ifdef _OPENMP
    c->threads = omp_get_num_procs();
#else
    c->threads = 1;
#endif
    c->progress = -1;
}

/* The grid's job-file header records a training network although every
 * setting chooses its own method and nodes: dense with dense's nodes
 * (fsnsa_train_default_hidden), as the grids' job files have always
 * recorded it, so that they continue. */
void exp_train_dense_default(fsnsa_train_options *t)
{
    t->method = FSNSA_METHOD_DENSE;
    if (t->hidden == 0)
        t->hidden = fsnsa_train_default_hidden(t->method);
}

/* --shard I/N: 0 <= I < N. */
static int shard_option(const char *cmd, const char *arg, exp_config *cfg)
{
    unsigned long long i, n;
    int used = 0;
    if (sscanf(arg, "%llu/%llu%n", &i, &n, &used) != 2 ||
        arg[used] != '\0' || arg[0] < '0' || arg[0] > '9' || n < 1 ||
        n > 1000000 || i >= n) {
        cli_usage_error(cmd, "--shard '%s': expected I/N with 0 <= I < N "
                        "<= 1000000, e.g. 0/4", arg);
        return -1;
    }
    cfg->shard = (size_t)i;
    cfg->n_shards = (size_t)n;
    return 0;
}

int exp_option(const char *cmd, int c, const char *arg, exp_config *cfg)
{
    long long ll;
    int v;
    int r = cli_data_option(cmd, c, arg, &cfg->read);
    if (r > 0)
        r = cli_train_option(cmd, c, arg, &cfg->train, &cfg->given);
    if (r <= 0)
        return r;
    switch (c) {
    case EXP_OPT_XOR:
        return cli_opt_size(cmd, "xor", arg, 1, 64, &cfg->xor_k);
    case EXP_OPT_N:
        return cli_opt_size(cmd, "n", arg, 2, 100000000, &cfg->n);
    case EXP_OPT_P:
        cfg->p_given = 1;
        return cli_opt_size(cmd, "p", arg, 1, 1000000, &cfg->p);
    case EXP_OPT_TEST_N:
        return cli_opt_size(cmd, "test-n", arg, 0, 100000000, &cfg->test_n);
    case EXP_OPT_DATA_SEED:
        return cli_opt_u64(cmd, "data-seed", arg, &cfg->data_seed);
    case EXP_OPT_TEST:
        cfg->test = arg;
        return 0;
    case EXP_OPT_TEST_FRACTION:
        return cli_opt_double(cmd, "test-fraction", arg, 0, 1, 1, 1,
                              &cfg->test_fraction);
    case EXP_OPT_SPLIT_SEED:
        return cli_opt_u64(cmd, "split-seed", arg, &cfg->split_seed);
    case EXP_OPT_SCALE:
        return cli_opt_enum(cmd, "scale", arg, fsnsa_scale_parse,
                            fsnsa_scale_names(), &cfg->scale);
    case EXP_OPT_TASK:
        return cli_task_option(cmd, arg, &cfg->read, &cfg->train,
                               &cfg->task_given);
    case EXP_OPT_THREADS:
        if (cli_opt_int(cmd, "threads", arg, 1, 1024, &ll) != 0)
            return -1;
        cfg->threads = (int)ll;
        return 0;
    case EXP_OPT_RESULTS:
        cfg->results = arg;
        return 0;
    case EXP_OPT_ADOPT_RESULTS:
        cfg->adopt_results = 1;
        return 0;
    case EXP_OPT_SHARD:
        return shard_option(cmd, arg, cfg);
    case EXP_OPT_PROGRESS:
        if (cli_opt_choice(cmd, "progress", arg, PROGRESS, &v) != 0)
            return -1;
        cfg->progress = v == 2 ? -1 : v;
        return 0;
    case 'q':
        cfg->quiet = 1;
        return 0;
    }
    return 1;
}

int exp_parse(const char *cmd, int argc, char **argv,
              const struct option *longopts, exp_config *cfg,
              exp_own_option_fn own, void *ctx, void (*usage)(FILE *))
{
    int c;
    optind = 0; /* GNU: full reinitialization, argv[0] is the subcommand */
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return CLI_OK;
        }
        int r = exp_option(cmd, c, optarg, cfg);
        if (r > 0)
            r = own(cmd, c, optarg, ctx);
        if (r > 0)
            return cli_getopt_error(cmd, c, argv);
        if (r < 0)
            return CLI_USAGE;
    }
    if (cfg->xor_k > 0 && cfg->read.task == FSNSA_TASK_REGRESSION)
        return cli_usage_error(cmd, "--task regression: the XOR pools' "
                               "labels are classes (0 and 1); give a DATA "
                               "file whose label is a number instead of "
                               "--xor");
    if (cfg->n_shards > 0 && cfg->results == NULL)
        return cli_usage_error(cmd, "--shard needs --results FILE: a shard's "
                               "jobs are kept there for fsnsa merge");
#ifndef FSNSA_MPI
    /* processes told apart by --shard do not repeat each other's work */
    if (cfg->n_shards == 0 && cli_refuse_launched(cmd) != 0)
        return CLI_FAIL;
#endif
    return CLI_PROCEED;
}

int exp_positional(const char *cmd, exp_config *cfg, int argc, char **argv)
{
    if (cfg->xor_k == 0) {
        if (optind + 1 != argc)
            return cli_usage_error(cmd, "expected one DATA file or --xor K");
        cfg->data = argv[optind];
    } else if (optind != argc) {
        return cli_usage_error(cmd, "--xor takes no DATA file");
    }
    return 0;
}

fsnsa_scale exp_scale_kind(const exp_config *cfg)
{
    if (cfg->scale >= 0)
        return (fsnsa_scale)cfg->scale;
    return cfg->xor_k > 0 ? FSNSA_SCALE_NONE : cfg->file_scale;
}

void exp_data_help(FILE *f, const exp_config *d, int with_file)
{
    char scales[64];
    exp_config xor = *d, file = *d;
    xor.xor_k = 1;
    file.xor_k = 0;
    fprintf(f, "Data (a file, or the k-D XOR pools of the paper):\n");
    cli_help_opt(f, "--xor K", "K-D XOR in P dimensions instead of DATA "
                 "[off]");
    cli_help_opt(f, "--n N", "XOR training rows (first N of the pool) [%zu]",
                 d->n);
    cli_help_opt(f, "--p P", "XOR dimensions (first P columns) [K]");
    cli_help_opt(f, "--test-n N", "XOR test rows, from the test pool (stream "
                 "1); 0 = none [%zu]", d->test_n);
    cli_help_opt(f, "--data-seed S", "seed of the XOR pools [%llu]",
                 (unsigned long long)d->data_seed);
    if (with_file == 1) {
        cli_help_opt(f, "--test FILE", "test data for DATA [none]");
        cli_help_opt(f, "--test-fraction F", "hold out a stratified fraction "
                     "of DATA as test set [none]");
        cli_help_opt(f, "--split-seed S", "seed of that split [%llu]",
                     (unsigned long long)d->split_seed);
    }
    cli_help_opt(f, "--scale S", "%s, fitted on the training rows [%s for "
                 "XOR, %s for files]",
                 cli_help_choices(fsnsa_scale_names(), scales, sizeof scales),
                 fsnsa_scale_name(exp_scale_kind(&xor)),
                 fsnsa_scale_name(exp_scale_kind(&file)));
    if (with_file == 0)
        return;
    char tasks[64];
    cli_help_opt(f, "--task T", "%s: DATA's label is a class, or a number to "
                 "predict (one linear output, mean squared error on the "
                 "target standardized on the training rows; runs scored by "
                 "R^2 and RMSE instead of AUC and accuracy; not with "
                 "--xor); not given: %s, but a label column that looks "
                 "numeric stops the run with what it holds [detect]",
                 cli_help_choices(fsnsa_task_names(), tasks, sizeof tasks),
                 fsnsa_task_name(d->read.task));
    cli_data_help(f, &d->read, NULL);
}

void exp_train_help(FILE *f, const exp_config *d, const char *features_auto)
{
    fprintf(f, "Training:\n");
    cli_train_help_net(f, &d->train, features_auto, 0);
    cli_train_help_optimizer(f, &d->train);
}

void exp_sweep_help(FILE *f, const exp_config *d)
{
    fprintf(f, "Running:\n");
    cli_help_opt(f, "--threads N", "jobs run in parallel, each training on "
                 "one thread; results do not depend on N [all cores]");
    cli_help_opt(f, "--results FILE", "append each finished job to FILE; "
                 "rerunning the same command skips the jobs already there; "
                 "a file made from other data or settings is refused [none]");
    cli_help_opt(f, "--adopt-results", "continue a job file of fsnsa 0.1 "
                 "(format 1: no fingerprint of its data) whose header "
                 "matches this run's, recording this data's fingerprint in "
                 "it; only for a file made from exactly this data [off]");
    cli_help_opt(f, "--shard I/N", "run only shard I (0..N-1) of the jobs, "
                 "chosen by a hash of each job's key, into --results FILE; "
                 "merge the shards' files with fsnsa merge [all jobs]");
    cli_help_opt(f, "--progress on|off|auto", "progress line on stderr [%s]",
                 d->progress < 0 ? "auto: when stderr is a terminal"
                                 : PROGRESS[d->progress != 0]);
    cli_help_opt(f, "-q, --quiet", "print errors only [off]");
    cli_help_opt(f, "-h, --help", "show this help");
}

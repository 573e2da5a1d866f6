/* fsnsa grid: the grid search of the paper's Section 4.2 and the three
 * columns of its Table 2: NN(best), NN(equivalent), FSA+NSA. */
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "exp_data.h"
#include "exp_header.h"
#include "exp_options.h"
#include "exp_sweep.h"
#include "grid_report.h"
#include "help.h"
#include "messages.h"

enum { OPT_FOLDS = EXP_OPT_LAST, OPT_REPEATS, OPT_GHIDDEN, OPT_GL2, OPT_GBATCH,
       OPT_METHODS, OPT_SIZES, OPT_RETRAINS, OPT_SEED, OPT_PEEK, OPT_NAME };

/* FSA+NSA's default targets k:h: k = p/SIZE_K_DIV (rounded up) features,
 * h = SIZE_H nodes, every pair. */
static const size_t SIZE_K_DIV[] = {4, 2};
static const size_t SIZE_H[] = {8, 32};
#define N_K_DIV (sizeof SIZE_K_DIV / sizeof SIZE_K_DIV[0])
#define N_SIZE_H (sizeof SIZE_H / sizeof SIZE_H[0])

/* What grid was asked for; go's lists point into the owned ones. */
typedef struct {
    exp_config cfg;
    fsnsa_grid_options go;
    size_t *hidden, *batch;
    double *l2;
    fsnsa_size *sizes;
    int peek;
    const char *name;
} grid_args;

/* The library's defaults (fsnsa_grid_options_default): the grid, the
 * split and the scaling; the training options with the command's dense
 * default network (exp_train_dense_default). */
static void grid_default(grid_args *a)
{
    memset(a, 0, sizeof *a);
    fsnsa_grid_options_default(&a->go);
    exp_config_init(&a->cfg, &a->go.train);
    exp_train_dense_default(&a->cfg.train);
    a->cfg.test_fraction = a->go.test_fraction;
    a->cfg.split_seed = a->go.split_seed;
    a->cfg.file_scale = a->go.scale;
}

static void grid_free(grid_args *a)
{
    free(a->hidden);
    free(a->batch);
    free(a->l2);
    free(a->sizes);
}

/* "a,b,c" of n sizes or doubles, in buf */
static const char *join_sizes(const size_t *v, size_t n, char *buf,
                              size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%zu", i ? "," : "", v[i]);
    return buf;
}

static const char *join_doubles(const double *v, size_t n, char *buf,
                                size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%g", i ? "," : "", v[i]);
    return buf;
}

static void usage_grid(FILE *f, const fsnsa_grid_options *go)
{
    char buf[256], sizes[128];
    size_t o = 0;
    for (size_t i = 0; i < N_K_DIV; i++)
        for (size_t j = 0; j < N_SIZE_H && o < sizeof sizes; j++)
            o += (size_t)snprintf(sizes + o, sizeof sizes - o, "%sp/%zu:%zu",
                                  o ? "," : "", SIZE_K_DIV[i], SIZE_H[j]);
    fprintf(f, "Grid:\n");
    cli_help_opt(f, "--folds K", "folds [%zu]", go->folds);
    cli_help_opt(f, "--repeats R", "repetitions of the k-fold CV [%zu]",
                 go->repeats);
    cli_help_opt(f, "--grid-hidden LIST", "dense hidden nodes [%s]",
                 join_sizes(go->hidden, go->n_hidden, buf, sizeof buf));
    cli_help_opt(f, "--grid-l2 LIST", "L2 (weight decay) values [%s]",
                 join_doubles(go->l2, go->n_l2, buf, sizeof buf));
    cli_help_opt(f, "--grid-batch LIST", "batch sizes [%s]",
                 join_sizes(go->batch, go->n_batch, buf, sizeof buf));
    cli_help_opt(f, "--methods LIST", "dense, fsa-nsa or both [%s]",
                 go->dense && go->fsa_nsa ? "dense,fsa-nsa"
                 : go->dense              ? "dense"
                                          : "fsa-nsa");
    cli_help_opt(f, "--sizes LIST", "FSA+NSA targets k:h (features:nodes) "
                 "[%s, rounded up]", sizes);
    cli_help_opt(f, "--retrains N", "final trainings per method [%zu]",
                 go->retrains);
    cli_help_opt(f, "--seed S", "base of every job's seed and of the folds "
                 "[%llu]", (unsigned long long)go->seed);
    cli_help_opt(f, "--test-fraction F", "held-out test share [%g]",
                 go->test_fraction);
    cli_help_opt(f, "--split-seed S", "seed of the train/test split [%llu]",
                 (unsigned long long)go->split_seed);
    cli_help_opt(f, "--peek-test", "report the best test accuracy "
                 "(regression: R^2) over the epochs of each retraining, as "
                 "the paper does (it looks at the test set) [off: the net "
                 "after the last epoch]");
    cli_help_opt(f, "--name TEXT", "data set name in the table [DATA's file "
                 "name]");
}

static void usage(FILE *f)
{
    grid_args d;
    grid_default(&d);
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
        "With --task regression (DATA's label is a number) the split and the "
        "folds\n"
        "are seeded shuffles (no classes to stratify by), every job trains "
        "on the\n"
        "target standardized on its training rows, the setting with the best "
        "mean\n"
        "CV R^2 wins, and the table shows CV R^2 (and MSE) and test R^2, "
        "RMSE and\n"
        "MAE in the target's units where it shows accuracies; broken means "
        "worse\n"
        "than predicting the target's mean.\n"
        "\n");
    usage_grid(f, &d.go);
    exp_train_help(f, &d.cfg, "K for XOR, half the columns otherwise");
    fprintf(f, "  (--method, --hidden, --features, --batch and "
            "--weight-decay are set by\n  the grid)\n");
    exp_data_help(f, &d.cfg, 2);
    exp_sweep_help(f, &d.cfg);
    fprintf(f, "\nExit status: 0 success, 1 failure or interrupted, 2 usage "
            "error.\n");
}

/* One k:h pair of --sizes. */
static int size_pair(const char *cmd, const char *name, char *text,
                     void *item, void *ctx)
{
    (void)ctx;
    fsnsa_size *s = item;
    char *colon = strchr(text, ':');
    if (colon == NULL) {
        cli_error(cmd, "--%s: expected k:h pairs, got '%s'", name, text);
        return -1;
    }
    *colon = '\0';
    if (cli_opt_size(cmd, name, text, 1, 100000000, &s->k) != 0 ||
        cli_opt_size(cmd, name, colon + 1, 1, 1000000, &s->h) != 0)
        return -1;
    return 0;
}

/* One method of --methods: the grid compares dense and fsa-nsa. */
static int grid_method(const char *cmd, const char *name, char *text,
                       void *item, void *ctx)
{
    (void)ctx;
    int m = fsnsa_method_parse(text);
    if (m != FSNSA_METHOD_DENSE && m != FSNSA_METHOD_FSA_NSA) {
        cli_error(cmd, "--%s: expected dense, fsa-nsa or dense,fsa-nsa, got "
                  "'%s'", name, text);
        return -1;
    }
    *(int *)item = m;
    return 0;
}

static int parse_methods(const char *cmd, const char *s,
                         fsnsa_grid_options *go)
{
    void *list;
    size_t n;
    if (cli_opt_list(cmd, "methods", s, sizeof(int), grid_method, NULL,
                     &list, &n) != 0)
        return -1;
    go->dense = go->fsa_nsa = 0;
    for (size_t i = 0; i < n; i++) {
        int m = ((const int *)list)[i];
        go->dense |= m == FSNSA_METHOD_DENSE;
        go->fsa_nsa |= m == FSNSA_METHOD_FSA_NSA;
    }
    free(list);
    return 0;
}

/* One of grid's own options: 0 handled, -1 error printed, 1 unknown. A
 * list option given twice keeps the last. */
static int grid_option(const char *cmd, int c, const char *arg, void *ctx)
{
    grid_args *a = ctx;
    fsnsa_grid_options *go = &a->go;
    void *list;
    switch (c) {
    case OPT_FOLDS:
        return cli_opt_size(cmd, "folds", arg, 2, 1000, &go->folds);
    case OPT_REPEATS:
        return cli_opt_size(cmd, "repeats", arg, 1, 100000, &go->repeats);
    case OPT_GHIDDEN:
        free(a->hidden);
        a->hidden = NULL;
        if (cli_opt_sizes(cmd, "grid-hidden", arg, 1, 1000000, &a->hidden,
                          &go->n_hidden) != 0)
            return -1;
        go->hidden = a->hidden;
        return 0;
    case OPT_GL2:
        free(a->l2);
        a->l2 = NULL;
        if (cli_opt_doubles(cmd, "grid-l2", arg, &a->l2, &go->n_l2) != 0)
            return -1;
        go->l2 = a->l2;
        return 0;
    case OPT_GBATCH:
        free(a->batch);
        a->batch = NULL;
        if (cli_opt_sizes(cmd, "grid-batch", arg, 1, 100000000, &a->batch,
                          &go->n_batch) != 0)
            return -1;
        go->batch = a->batch;
        return 0;
    case OPT_METHODS:
        return parse_methods(cmd, arg, go);
    case OPT_SIZES:
        free(a->sizes);
        a->sizes = NULL;
        if (cli_opt_list(cmd, "sizes", arg, sizeof *a->sizes, size_pair, NULL,
                         &list, &go->n_sizes) != 0)
            return -1;
        go->sizes = a->sizes = list;
        return 0;
    case OPT_RETRAINS:
        return cli_opt_size(cmd, "retrains", arg, 1, 100000, &go->retrains);
    case OPT_SEED:
        return cli_opt_u64(cmd, "seed", arg, &go->seed);
    case OPT_PEEK:
        a->peek = 1;
        return 0;
    case OPT_NAME:
        a->name = arg;
        return 0;
    default:
        return 1;
    }
}

/* DATA or --xor, and no --test: the grid splits DATA itself. */
static int check_args(const char *cmd, int argc, char **argv, grid_args *a)
{
    int rc = exp_positional(cmd, &a->cfg, argc, argv);
    if (rc != 0)
        return rc;
    if (a->cfg.test != NULL)
        return cli_usage_error(cmd, "the grid splits DATA itself; use "
                               "--test-fraction, not --test");
    a->go.test_fraction = a->cfg.test_fraction;
    a->go.split_seed = a->cfg.split_seed;
    a->go.scale = exp_scale_kind(&a->cfg);
    return CLI_PROCEED;
}

/* The default FSA+NSA targets for p columns (no --sizes). */
static int default_sizes(const char *cmd, size_t p, grid_args *a)
{
    a->sizes = calloc(N_K_DIV * N_SIZE_H, sizeof *a->sizes);
    if (a->sizes == NULL) {
        cli_error(cmd, "out of memory");
        return -1;
    }
    size_t n = 0, last_k = 0;
    for (size_t i = 0; i < N_K_DIV; i++) {
        size_t k = (p + SIZE_K_DIV[i] - 1) / SIZE_K_DIV[i];
        if (k == last_k)
            continue; /* p so small that both fractions round alike */
        last_k = k;
        for (size_t j = 0; j < N_SIZE_H; j++)
            a->sizes[n++] = (fsnsa_size){k, SIZE_H[j]};
    }
    a->go.sizes = a->sizes;
    a->go.n_sizes = n;
    return 0;
}

static int print_result(const char *cmd, const grid_args *a,
                        const char *desc, const fsnsa_grid_result *res)
{
    const exp_config *cfg = &a->cfg;
    const char *name = a->name;
    if (name == NULL) {
        name = cfg->data != NULL ? strrchr(cfg->data, '/') : NULL;
        name = name != NULL ? name + 1 : cfg->data != NULL ? cfg->data : "xor";
    }
    grid_report rep = {name, desc, a->peek, cfg->train.epochs,
                       cfg->train.start_hidden};
    return grid_report_print(cmd, &rep, &a->go, res);
}

/* The job file's header: the data, and the training options the grid
 * does not set per job (method, hidden, features, batch and L2 are in
 * its keys). */
static void grid_header(const grid_args *a, const exp_data_id *id,
                        const char *values, exp_header *h)
{
    const fsnsa_train_options *t = &a->cfg.train;
    exp_header_init(h, "grid", values);
    exp_header_data(h, &a->cfg, id);
    exp_header_add(h, 0, "start-hidden", "%zu", t->start_hidden);
    exp_header_add(h, 0, "epochs", "%d", t->epochs);
    exp_header_double(h, "mu", t->mu);
    exp_header_double(h, "lr", t->lr);
    exp_header_add(h, 0, "folds", "%zu", a->go.folds);
    exp_header_add(h, 0, "seed", "%llu", (unsigned long long)a->go.seed);
}

/* Load every row unscaled and unimputed (the grid splits, and imputes
 * and scales inside every fold from its training rows), run both sweeps,
 * print. */
static int run(const char *cmd, grid_args *a)
{
    /* what a job line holds (src/exp/grid_cv.c, grid_final.c) */
    static const char classes[] = "cv=acc loss seconds, final=acc peek_acc "
                                  "loss weights hidden features seconds";
    static const char numbers[] = "cv=r2 mse seconds, final=r2 peek_r2 loss "
                                  "weights hidden features seconds rmse mae";
    exp_config *cfg = &a->cfg;
    const char *values = cfg->train.task == FSNSA_TASK_REGRESSION ? numbers
                                                                  : classes;
    fsnsa_grid_options *go = &a->go;
    fsnsa_dataset *all = NULL;
    exp_data_id id;
    int rc = exp_read(cmd, cfg, &all, NULL, &id);
    go->missing = cfg->read.missing;
    if (rc == 0 && a->sizes == NULL && go->fsa_nsa &&
        default_sizes(cmd, all->p, a) != 0)
        rc = CLI_FAIL;
    go->train = cfg->train;
    fsnsa_jobfile *jf = NULL;
    fsnsa_grid_result res = {0};
    char desc[2048], legacy[2600];
    if (rc == 0) {
        exp_describe(cfg, 0, desc, sizeof desc);
        snprintf(legacy, sizeof legacy,
                 "fsnsa grid; %s; start-hidden=%zu epochs=%d mu=%g lr=%g "
                 "folds=%zu seed=%llu; columns %s",
                 desc, cfg->train.start_hidden, cfg->train.epochs,
                 cfg->train.mu, cfg->train.lr, go->folds,
                 (unsigned long long)go->seed, values);
        exp_header header;
        grid_header(a, &id, values, &header);
        exp_progress pr;
        rc = exp_sweep_setup(cmd, cfg, &header, legacy, &go->sweep, &jf,
                             &pr);
        if (rc == 0) {
            fsnsa_error err = {0};
            fsnsa_status st = fsnsa_grid(all, go, &res, &err);
            rc = exp_sweep_finish(cmd, cfg, st, &err, jf, &pr);
        }
    }
    if (rc == CLI_PROCEED) /* a shard's part is done */
        rc = CLI_OK;
    else if (rc == 0 && !cfg->quiet)
        rc = print_result(cmd, a, desc, &res);
    fsnsa_grid_result_clear(&res);
    fsnsa_jobfile_close(jf);
    fsnsa_dataset_free(all);
    return rc;
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
    grid_args a;
    grid_default(&a);
    int rc = exp_parse(cmd, argc, argv, longopts, &a.cfg, grid_option, &a,
                       usage);
    if (rc == CLI_PROCEED)
        rc = check_args(cmd, argc, argv, &a);
    if (rc == CLI_PROCEED)
        rc = run(cmd, &a);
    grid_free(&a);
    return rc;
}

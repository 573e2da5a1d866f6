/* Shared pieces of the fsnsa command: see common.h. */
#include "common.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- */
/* Messages                                                          */
/* ---------------------------------------------------------------- */

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "fsnsa %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_lib_error(const char *cmd, fsnsa_status st, const fsnsa_error *err)
{
    if (err != NULL && err->msg[0] != '\0')
        cli_error(cmd, "%s", err->msg);
    else
        cli_error(cmd, "%s", fsnsa_status_name(st));
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "fsnsa %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'fsnsa %s --help'.\n", cmd);
    return CLI_USAGE;
}

int cli_getopt_error(const char *cmd, int c, char *const *argv)
{
    static const struct option none[] = {{NULL, 0, NULL, 0}};
    return cli_getopt_error_long(cmd, c, argv, none);
}

int cli_getopt_error_long(const char *cmd, int c, char *const *argv,
                          const struct option *longopts)
{
    /* optopt names a short option; for a long one it is 0 (unknown or
     * ambiguous) or the option's code, and the text is the argument getopt
     * just read. */
    char name[64];
    if (optopt > 0 && optopt < 256) {
        snprintf(name, sizeof name, "-%c", optopt);
    } else {
        const char *a = argv[optind - 1];
        size_t len = strcspn(a, "=");
        if (len >= sizeof name)
            len = sizeof name - 1;
        memcpy(name, a, len);
        name[len] = '\0';
    }
    if (c == ':')
        return cli_usage_error(cmd, "option '%s' needs a value", name);
    /* getopt_long accepts unique prefixes; say which options a short
     * prefix could mean rather than calling it unknown. */
    if (optopt == 0 && strncmp(name, "--", 2) == 0 && name[2] != '\0') {
        char list[256] = "";
        size_t o = 0, hits = 0, len = strlen(name + 2);
        for (const struct option *lo = longopts; lo->name != NULL; lo++) {
            if (strncmp(lo->name, name + 2, len) != 0)
                continue;
            int w = snprintf(list + o, sizeof list - o, "%s--%s",
                             hits ? ", " : "", lo->name);
            if (w > 0 && (size_t)w < sizeof list - o)
                o += (size_t)w;
            hits++;
        }
        if (hits > 1)
            return cli_usage_error(cmd, "option '%s' is ambiguous: %s", name,
                                   list);
    }
    return cli_usage_error(cmd, "unknown option '%s'", name);
}

/* ---------------------------------------------------------------- */
/* Option values                                                     */
/* ---------------------------------------------------------------- */

static int opt_result(const char *cmd, const char *name, const char *e)
{
    if (e == NULL)
        return 0;
    cli_error(cmd, "--%s: %s", name, e);
    return -1;
}

int cli_opt_int(const char *cmd, const char *name, const char *s,
                long long lo, long long hi, long long *out)
{
    cli_msg m;
    return opt_result(cmd, name, cli_parse_int(s, lo, hi, out, &m));
}

int cli_opt_size(const char *cmd, const char *name, const char *s, size_t lo,
                 size_t hi, size_t *out)
{
    cli_msg m;
    uint64_t v;
    int r = opt_result(cmd, name, cli_parse_u64(s, lo, hi, &v, &m));
    if (r == 0)
        *out = (size_t)v;
    return r;
}

int cli_opt_u64(const char *cmd, const char *name, const char *s,
                uint64_t *out)
{
    cli_msg m;
    return opt_result(cmd, name, cli_parse_u64(s, 0, UINT64_MAX, out, &m));
}

int cli_opt_double(const char *cmd, const char *name, const char *s,
                   double lo, int lo_open, double hi, int hi_open,
                   double *out)
{
    cli_msg m;
    return opt_result(cmd, name,
                      cli_parse_double(s, lo, lo_open, hi, hi_open, out, &m));
}

int cli_opt_choice(const char *cmd, const char *name, const char *s,
                   const char *const *names, int *out)
{
    cli_msg m;
    return opt_result(cmd, name, cli_parse_choice(s, names, out, &m));
}

/* ---------------------------------------------------------------- */
/* Data options                                                      */
/* ---------------------------------------------------------------- */

int cli_data_option(const char *cmd, int c, const char *arg,
                    fsnsa_read_options *ro)
{
    /* Orders match the fsnsa_format and fsnsa_missing enums. */
    static const char *const formats[] = {"auto", "csv", "libsvm", "arff",
                                          "uci", NULL};
    static const char *const headers[] = {"auto", "yes", "no", NULL};
    static const char *const missing[] = {"refuse", "mean", "zero", NULL};
    int v;
    cli_msg m;
    switch (c) {
    case CLI_OPT_FORMAT:
        if (cli_opt_choice(cmd, "format", arg, formats, &v) != 0)
            return -1;
        ro->format = (fsnsa_format)v;
        return 0;
    case CLI_OPT_DELIMITER:
        return opt_result(cmd, "delimiter",
                          cli_parse_delimiter(arg, &ro->delimiter, &m));
    case CLI_OPT_DECIMAL:
        return opt_result(cmd, "decimal",
                          cli_parse_decimal(arg, &ro->decimal, &m));
    case CLI_OPT_HEADER:
        if (cli_opt_choice(cmd, "header", arg, headers, &v) != 0)
            return -1;
        ro->header = v == 0 ? -1 : v == 1 ? 1 : 0;
        return 0;
    case CLI_OPT_LABEL_COLUMN:
        if (arg[0] == '\0')
            return opt_result(cmd, "label-column",
                              "expected first, last, none, an index or a "
                              "column name, got ''");
        ro->label_column = arg;
        return 0;
    case CLI_OPT_LABELS_FILE:
        ro->labels_file = arg;
        return 0;
    case CLI_OPT_MISSING:
        if (cli_opt_choice(cmd, "missing", arg, missing, &v) != 0)
            return -1;
        ro->missing = (fsnsa_missing)v;
        return 0;
    case CLI_OPT_NA_VALUES:
        ro->na_values = arg;
        return 0;
    case CLI_OPT_IGNORE_COLUMNS:
        ro->ignore_columns = arg;
        return 0;
    default:
        return 1;
    }
}

/* "[a,b,c]" under the option's text, broken after commas. */
static void help_list(FILE *f, const char *list)
{
    const int indent = 24, width = 78;
    int col = fprintf(f, "%*s[", indent, "");
    for (const char *s = list; *s;) {
        int n = (int)strcspn(s, ",");
        int last = s[n] == '\0';
        if (col + n + 1 > width) {
            col = fprintf(f, "\n%*s", indent, "") - 1;
        }
        col += fprintf(f, "%.*s%s", n, s, last ? "]" : ",");
        s += n + !last;
    }
    fputc('\n', f);
}

void cli_data_help(FILE *f, const char *missing_default)
{
    fprintf(f,
            "Data options:\n"
            "  --format FMT          auto, csv, libsvm, arff or uci [auto: "
            "from the\n"
            "                        extension, then the content]\n"
            "  --delimiter C         CSV field separator: one character, "
            "tab, space,\n"
            "                        comma, semicolon [auto]\n"
            "  --decimal MARK        decimal mark of CSV numbers: '.', ',' "
            "or auto\n"
            "                        (',' if the numbers have it and the "
            "delimiter is\n"
            "                        not ',') [auto]\n"
            "  --header WHEN         auto, yes or no: first CSV row holds "
            "names [auto]\n"
            "  --label-column COL    first, last, none, a 0-based index or "
            "a column\n"
            "                        name [last]\n"
            "  --labels-file FILE    labels in a separate file, one per "
            "line [none]\n"
            "  --missing MODE        refuse, mean or zero: what to do with "
            "missing values\n"
            "                        (empty fields and --na-values) [%s]\n"
            "  --na-values LIST      tokens read as missing values, "
            "comma-separated,\n"
            "                        matched exactly; '' for none (an empty "
            "field\n"
            "                        always is missing)\n",
            missing_default);
    help_list(f, FSNSA_DEFAULT_NA_VALUES);
    fprintf(f,
            "  --ignore-columns LIST drop these columns (0-based indices or "
            "names,\n"
            "                        comma-separated) before encoding [none]\n");
}

static void print_warning(void *ctx, const char *msg)
{
    fprintf(stderr, "fsnsa %s: warning: %s\n", (const char *)ctx, msg);
}

void cli_data_warnings(const char *cmd, fsnsa_read_options *ro, int quiet)
{
    ro->warn = quiet ? NULL : print_warning;
    ro->warn_ctx = (void *)cmd;
}

/* ---------------------------------------------------------------- */
/* Atomic output files                                               */
/* ---------------------------------------------------------------- */

static int is_stdout(const char *path)
{
    return path == NULL || strcmp(path, "-") == 0;
}

int cli_out_open(const char *cmd, const char *path, cli_out *o)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    if (is_stdout(path)) {
        o->f = stdout;
        return 0;
    }
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_outfile_open(path, &o->file, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return -1;
    }
    o->f = fsnsa_outfile_stream(o->file);
    return 0;
}

int cli_out_commit(const char *cmd, cli_out *o)
{
    if (o->f == NULL)
        return -1;
    o->f = NULL;
    if (o->file == NULL) {
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_error(cmd, "cannot write to standard output: %s",
                      strerror(errno));
            return -1;
        }
        return 0;
    }
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_outfile_commit(o->file, &err);
    o->file = NULL;
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return -1;
    }
    return 0;
}

void cli_out_abort(cli_out *o)
{
    fsnsa_outfile_abort(o->file);
    o->f = NULL;
    o->file = NULL;
}

int cli_output_check(const char *cmd, const char *path, fsnsa_output_use use)
{
    if (is_stdout(path))
        return 0;
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_output_check(path, use, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return -1;
    }
    return 0;
}

/* Whether writing `out` would overwrite the file `in` (the data file is
 * never to be modified). A device or FIFO is written, never replaced:
 * `predict m.model /dev/stdin /dev/stdout` on one terminal is fine. */
int cli_same_file(const char *out, const char *in)
{
    struct stat a, b;
    if (out == NULL || in == NULL)
        return 0;
    if (stat(out, &a) == 0 && !S_ISREG(a.st_mode) && !S_ISDIR(a.st_mode))
        return 0;
    if (strcmp(out, in) == 0)
        return 1;
    return stat(out, &a) == 0 && stat(in, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* ---------------------------------------------------------------- */
/* Encoded feature names                                             */
/* ---------------------------------------------------------------- */

void cli_free_names(char **names, size_t n)
{
    fsnsa_strings_free(names, n);
}

char **cli_encoded_names(const fsnsa_schema *s)
{
    char **names;
    return fsnsa_schema_feature_names(s, &names, NULL) == FSNSA_OK ? names : NULL;
}

void cli_put_name(FILE *f, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c != 0; c++) {
        if (*c == '\n')
            fputs("\\n", f);
        else if (*c == '\r')
            fputs("\\r", f);
        else if (*c == '\t')
            fputs("\\t", f);
        else if (*c < 0x20 || *c == 0x7F)
            fprintf(f, "\\x%02x", *c);
        else
            fputc(*c, f);
    }
}

/* ---------------------------------------------------------------- */
/* Prediction and metrics                                            */
/* ---------------------------------------------------------------- */

float *cli_predict(const char *cmd, const fsnsa_net *net,
                   const fsnsa_dataset *d)
{
    size_t c = net->n_classes;
    if (d->n > 0 && c > SIZE_MAX / sizeof(float) / d->n) {
        cli_error(cmd, "too many rows to predict");
        return NULL;
    }
    float *prob = malloc((d->n > 0 ? d->n : 1) * c * sizeof *prob);
    if (prob == NULL) {
        cli_error(cmd, "out of memory for %zu x %zu probabilities", d->n, c);
        return NULL;
    }
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_net_predict(net, d->x, d->n, d->p, prob, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        free(prob);
        return NULL;
    }
    return prob;
}

int cli_metrics_compute(const char *cmd, const fsnsa_net *net,
                        const fsnsa_dataset *d, const float *prob,
                        cli_metrics *m)
{
    /* The loss from logits, as the model file stores it: probabilities
     * would cap a confident miss at -log(1e-12) = 27.6. */
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_net_loss(net, d, &m->loss, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return -1;
    }
    size_t n_classes = net->n_classes;
    m->accuracy = fsnsa_accuracy(prob, n_classes, d->y, d->n);
    /* binary: the AUC of P(class 1), the score a user would rank by */
    st = fsnsa_roc_auc(prob, n_classes, d->y, d->n, &m->auc, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return -1;
    }
    return 0;
}

double cli_now(void)
{
    return fsnsa_monotonic_seconds();
}

/* ---------------------------------------------------------------- */
/* Signals                                                           */
/* ---------------------------------------------------------------- */

/* The library polls a `const volatile int *`; on the platforms we build
 * for sig_atomic_t is int, so a handler may store to it. */
_Static_assert(sizeof(sig_atomic_t) == sizeof(int),
               "sig_atomic_t must be int for the stop flag");
static volatile int stop_flag;

static void on_signal(int sig)
{
    if (stop_flag) {
        /* A second signal: the user wants out now. */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    stop_flag = sig;
}

void cli_install_stop_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

const volatile int *cli_stop_flag(void)
{
    return &stop_flag;
}

/* ---------------------------------------------------------------- */
/* The train pipeline                                                */
/* ---------------------------------------------------------------- */

const char *const cli_scale_names[] = {"none", "standard", "minmax", NULL};

typedef struct {
    int progress;   /* print the per-epoch line on stderr */
    FILE *path;     /* selection path TSV, or NULL */
    int last_epoch;
} progress_ctx;

static int on_epoch(const fsnsa_epoch_info *e, void *ctx_)
{
    progress_ctx *ctx = ctx_;
    ctx->last_epoch = e->epoch;
    if (ctx->progress)
        fprintf(stderr,
                "epoch %d/%d  nodes %zu  features %zu  loss %.6f  %.3f s\n",
                e->epoch, e->epochs, e->hidden, e->features, e->loss,
                e->seconds);
    if (ctx->path != NULL) {
        fprintf(ctx->path, "%d\t%zu\t%zu\t%.9g\t%.6f\t", e->epoch, e->hidden,
                e->features, e->loss, e->seconds);
        for (size_t i = 0; i < e->features; i++)
            fprintf(ctx->path, "%s%zu", i ? "," : "", e->feature_ids[i]);
        fputc('\n', ctx->path);
    }
    return 0;
}

static void print_metrics(const char *what, size_t n, const cli_metrics *m)
{
    printf("%-6s rows %-7zu loss %.6f  accuracy %.4f  AUC %.4f\n", what, n,
           m->loss, m->accuracy, m->auc);
}

/* Metrics of net on a labeled, transformed data set; -1 after an error. */
static int evaluate(const char *cmd, const fsnsa_net *net,
                    const fsnsa_dataset *d, cli_metrics *m)
{
    float *prob = cli_predict(cmd, net, d);
    if (prob == NULL)
        return -1;
    int rc = cli_metrics_compute(cmd, net, d, prob, m);
    free(prob);
    return rc;
}

static fsnsa_status read_data(const char *path, const fsnsa_read_options *ro,
                              fsnsa_dataset **out, fsnsa_error *err)
{
    return fsnsa_dataset_read(path, ro, out, err);
}

/* Split `all` into train/test subsets by a stratified split. */
static int split(const char *cmd, const cli_train_config *cfg,
                 const fsnsa_dataset *all, fsnsa_dataset **train,
                 fsnsa_dataset **test)
{
    fsnsa_error err = {0};
    size_t n = all->n, n_train = 0, n_test = 0;
    size_t *tr = malloc((n > 0 ? n : 1) * sizeof *tr);
    size_t *te = malloc((n > 0 ? n : 1) * sizeof *te);
    int rc = -1;
    if (tr == NULL || te == NULL) {
        cli_error(cmd, "out of memory for a split of %zu rows", n);
        goto done;
    }
    fsnsa_status st = fsnsa_split_stratified(
        all->y, n, all->schema.n_classes, cfg->test_fraction, cfg->split_seed,
        tr, &n_train, te, &n_test, &err);
    if (st == FSNSA_OK)
        st = fsnsa_dataset_subset(all, tr, n_train, train, &err);
    if (st == FSNSA_OK)
        st = fsnsa_dataset_subset(all, te, n_test, test, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        goto done;
    }
    if (n_train == 0 || n_test == 0) {
        cli_error(cmd, "--test-fraction %g leaves %zu training and %zu test "
                  "rows", cfg->test_fraction, n_train, n_test);
        goto done;
    }
    rc = 0;
done:
    free(tr);
    free(te);
    return rc;
}

/* Impute (when asked) and scale a data set in place. */
static int transform(const char *cmd, const fsnsa_scaler *sc,
                     fsnsa_missing missing, fsnsa_dataset *d)
{
    fsnsa_error err = {0};
    if (missing != FSNSA_MISSING_REFUSE)
        fsnsa_scaler_impute(sc, missing, d);
    fsnsa_status st = fsnsa_scaler_apply(sc, d, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return -1;
    }
    return 0;
}

int cli_train_pipeline(const char *cmd, const cli_train_config *cfg)
{
    fsnsa_error err = {0};
    fsnsa_status st;
    fsnsa_model *init = NULL;
    fsnsa_dataset *all = NULL, *train = NULL, *test = NULL;
    fsnsa_scaler fitted = {0};
    const fsnsa_scaler *scaler = &fitted;
    fsnsa_net *net = NULL;
    fsnsa_model model;
    cli_out path = {0};
    char **names = NULL;
    int rc = CLI_FAIL;
    double t0 = cli_now();

    /* Every output is checked before any work: a training of hours must
     * not end in "no such directory". (MODEL '-' is a file of that name,
     * not stdout.) */
    const char *model_file = strcmp(cfg->model, "-") == 0 ? "./-" : cfg->model;
    if (cli_output_check(cmd, model_file, FSNSA_OUTPUT_REPLACE) != 0 ||
        cli_output_check(cmd, cfg->path, FSNSA_OUTPUT_REPLACE) != 0)
        return CLI_FAIL;
    /* Only a path file this run creates may be removed again. */
    struct stat path_st;
    int path_is_new =
        !is_stdout(cfg->path) && lstat(cfg->path, &path_st) != 0;
    memset(&model, 0, sizeof model);
    fsnsa_read_options ro = cfg->read;
    ro.schema = NULL;
    if (cfg->init != NULL) {
        st = fsnsa_model_load(cfg->init, &init, &err);
        if (st != FSNSA_OK) {
            cli_lib_error(cmd, st, &err);
            goto done;
        }
        /* A warm start keeps the model's encoding and scaling, so the
         * saved weights mean the same thing on the new data. */
        ro.schema = &init->schema;
        scaler = &init->scaler;
    }
    st = read_data(cfg->data, &ro, &all, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        goto done;
    }
    if (!all->has_labels) {
        cli_error(cmd, "%s: no label column; training needs labels",
                  cfg->data);
        goto done;
    }
    if (cfg->test_fraction > 0) {
        if (split(cmd, cfg, all, &train, &test) != 0)
            goto done;
        fsnsa_dataset_free(all);
    } else {
        train = all;
    }
    all = NULL;
    if (cfg->test != NULL) {
        fsnsa_read_options tro = cfg->read;
        tro.schema = &train->schema;
        st = read_data(cfg->test, &tro, &test, &err);
        if (st != FSNSA_OK) {
            cli_lib_error(cmd, st, &err);
            goto done;
        }
        if (!test->has_labels) {
            cli_error(cmd, "%s: no label column; --test needs labels",
                      cfg->test);
            goto done;
        }
    }
    if (init != NULL && init->net->p_in != train->p) {
        cli_error(cmd, "--init %s: the model reads %zu encoded columns, %s "
                  "has %zu", cfg->init, init->net->p_in, cfg->data, train->p);
        goto done;
    }

    fsnsa_train_options opt = cfg->train;
    size_t p_avail = train->p;
    if (init != NULL) {
        /* Continue the saved run unless told otherwise: its method and
         * the sizes its network has now. */
        if (!cfg->method_given)
            opt.method = init->options.method;
        if (!cfg->hidden_given)
            opt.hidden = init->net->h;
        if (!cfg->features_given)
            opt.features = init->net->p;
        p_avail = init->net->p;
        /* A warm start begins with the model's nodes and reads inputs the
         * model's scaler made: a request for others cannot be kept, and
         * the saved options say what was done. */
        if (cfg->start_hidden_given && opt.start_hidden != init->net->h) {
            cli_error(cmd, "--start-hidden %zu: a warm start starts from the "
                      "%zu nodes of the --init model; leave --start-hidden "
                      "out", opt.start_hidden, init->net->h);
            rc = CLI_USAGE;
            goto done;
        }
        opt.start_hidden = init->net->h;
        if (cfg->scale_given && cfg->scale != init->scaler.kind) {
            cli_error(cmd, "--scale %s: the --init model's weights expect "
                      "inputs scaled by its own scaler (%s, fitted on the "
                      "data it was first trained on); leave --scale out",
                      cli_scale_names[cfg->scale],
                      cli_scale_names[init->scaler.kind]);
            rc = CLI_USAGE;
            goto done;
        }
    }
    if (opt.method == FSNSA_METHOD_FSA || opt.method == FSNSA_METHOD_FSA_NSA) {
        if (init != NULL && !cfg->features_given) {
            /* taken from the model above */
        } else if (!cfg->features_given) {
            /* No k given: keep half, a middle ground the user can see
             * and change; documented in docs/cli.md. */
            opt.features = (train->p + 1) / 2;
            if (!cfg->quiet)
                fprintf(stderr, "fsnsa %s: --features not given: keeping "
                        "%zu of %zu features\n", cmd, opt.features, train->p);
        } else if (opt.features > p_avail) {
            if (init != NULL)
                cli_error(cmd, "--features %zu is more than the %zu features "
                          "the --init model uses", opt.features, p_avail);
            else
                cli_error(cmd, "--features %zu is more than the %zu features "
                          "of %s", opt.features, p_avail, cfg->data);
            rc = CLI_USAGE;
            goto done;
        }
    }
    if (init != NULL && (opt.method == FSNSA_METHOD_NSA ||
                         opt.method == FSNSA_METHOD_FSA_NSA) &&
        opt.hidden > init->net->h) {
        cli_error(cmd, "--hidden %zu is more than the %zu nodes of the --init "
                  "model", opt.hidden, init->net->h);
        rc = CLI_USAGE;
        goto done;
    }
    st = fsnsa_train_options_check(&opt, p_avail, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        rc = st == FSNSA_ERR_ARG ? CLI_USAGE : CLI_FAIL;
        goto done;
    }

    if (init == NULL) {
        st = fsnsa_scaler_fit(train, cfg->scale, &fitted, &err);
        if (st != FSNSA_OK) {
            cli_lib_error(cmd, st, &err);
            goto done;
        }
    }
    if (transform(cmd, scaler, ro.missing, train) != 0 ||
        (test != NULL && transform(cmd, scaler, ro.missing, test) != 0))
        goto done;

    progress_ctx pc = {0};
    pc.progress = !cfg->quiet && (cfg->verbose || isatty(STDERR_FILENO));
    if (cfg->path != NULL) {
        if (cli_out_open(cmd, cfg->path, &path) != 0)
            goto done;
        pc.path = path.f;
        fprintf(pc.path, "epoch\tnodes\tfeatures\tloss\tseconds\tfeature_ids\n");
    }
    opt.on_epoch = on_epoch;
    opt.on_epoch_ctx = &pc;
    opt.stop = cli_stop_flag();
    cli_install_stop_handler();

    fsnsa_train_report report;
    st = fsnsa_train_with_report(train, &opt, init != NULL ? init->net : NULL,
                                 &net, &report, &err);
    if (st == FSNSA_ERR_INTERRUPTED) {
        cli_error(cmd, "interrupted after epoch %d of %d; no model written",
                  pc.last_epoch, opt.epochs);
        goto done;
    }
    int not_finite = report.outcome == FSNSA_TRAIN_NOT_FINITE;
    if (st == FSNSA_ERR_NUMERIC && net != NULL) {
        /* --keep-going: the library handed the network back anyway. */
        fprintf(stderr, "fsnsa %s: warning: %s\n", cmd, err.msg);
        if (not_finite)
            fprintf(stderr, "fsnsa %s: warning: --keep-going: saving the "
                    "network of the last finite epoch (%zu nodes, %zu "
                    "features), not a finished training\n", cmd, net->h,
                    net->p);
        else
            fprintf(stderr, "fsnsa %s: warning: --keep-going: saving a "
                    "network that predicts worse than the class "
                    "frequencies\n", cmd);
        st = FSNSA_OK;
    }
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        if (st == FSNSA_ERR_NUMERIC)
            fprintf(stderr, "fsnsa %s: no model written (--keep-going saves "
                    "%s)\n", cmd, not_finite ? "the last finite network"
                                             : "it anyway, with a warning");
        goto done;
    }
    double train_seconds = cli_now() - t0;

    model.net = net;
    model.options = opt;
    model.options.on_epoch = NULL;
    model.options.on_epoch_ctx = NULL;
    model.options.stop = NULL;
    model.missing = ro.missing;
    /* fsnsa_net_loss of net on the training rows, the figure printed */
    model.train_loss = report.loss;
    st = fsnsa_schema_copy(&model.schema, &train->schema, &err);
    /* How the data was read: predict reads new data the same way. */
    if (st == FSNSA_OK)
        st = fsnsa_model_set_read(&model, &train->layout, &ro, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        goto done;
    }
    if (init != NULL) {
        /* The model owns its scaler: take the init model's. */
        model.scaler = init->scaler;
        memset(&init->scaler, 0, sizeof init->scaler);
    } else {
        model.scaler = fitted;
        memset(&fitted, 0, sizeof fitted);
    }

    cli_metrics mtrain = {NAN, NAN, NAN}, mtest = {NAN, NAN, NAN};
    if (!cfg->quiet &&
        (evaluate(cmd, net, train, &mtrain) != 0 ||
         (test != NULL && evaluate(cmd, net, test, &mtest) != 0)))
        goto done;

    /* The path file first: if the model is saved, everything is. */
    if (cfg->path != NULL && cli_out_commit(cmd, &path) != 0)
        goto done;
    st = fsnsa_model_save(&model, cfg->model, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        if (path_is_new)
            unlink(cfg->path);
        goto done;
    }

    if (!cfg->quiet) {
        names = cli_encoded_names(&model.schema);
        printf("model  %s\n", cfg->model);
        printf("method %s  features %zu of %zu  nodes %zu  weights %zu  "
               "time %.2f s\n", fsnsa_method_name(opt.method), net->p,
               net->p_in, net->h, fsnsa_net_weight_count(net), train_seconds);
        /* Wide data would make one line of hundreds of names; inspect
         * lists them all, ranked. */
        const size_t show_max = 30;
        printf("selected");
        for (size_t i = 0; i < net->p && i < show_max; i++) {
            size_t j = net->features[i];
            if (names != NULL) {
                putchar(' ');
                cli_put_name(stdout, names[j]);
            }
            else
                printf(" %zu", j);
        }
        if (net->p > show_max)
            printf(" ... (%zu more: fsnsa inspect %s)", net->p - show_max,
                   cfg->model);
        printf("\n");
        print_metrics("train", train->n, &mtrain);
        if (test != NULL)
            print_metrics("test", test->n, &mtest);
        if (fflush(stdout) != 0) {
            cli_error(cmd, "cannot write to standard output");
            goto done;
        }
    }
    rc = CLI_OK;
done:
    cli_out_abort(&path);
    if (names != NULL)
        cli_free_names(names, model.schema.p);
    fsnsa_schema_clear(&model.schema);
    fsnsa_scaler_clear(&model.scaler);
    fsnsa_read_record_clear(&model.read);
    fsnsa_net_free(net);
    fsnsa_scaler_clear(&fitted);
    fsnsa_dataset_free(all);
    fsnsa_dataset_free(train);
    fsnsa_dataset_free(test);
    fsnsa_model_free(init);
    return rc;
}

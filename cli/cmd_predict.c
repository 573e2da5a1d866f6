/* fsnsa predict: apply a saved model to a data file. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "data_options.h"
#include "evaluate.h"
#include "help.h"
#include "messages.h"
#include "output.h"
#include "prepare.h"

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: fsnsa predict [options] MODEL DATA [OUTPUT]\n"
        "\n"
        "Predict the class (a regression model: the number) of every row of\n"
        "DATA with MODEL. DATA is read,\n"
        "encoded and scaled exactly as the training data was: with its "
        "format,\n"
        "delimiter, decimal mark, header and label field (fsnsa inspect "
        "shows\n"
        "them), unless data options below say otherwise. Its columns must "
        "match\n"
        "(the label column may be absent).\n"
        "\n"
        "Predictions, one line per row (the class name; with --proba a "
        "header\n"
        "line 'predicted' TAB class names, then the class and its "
        "probabilities,\n"
        "tab-separated; a regression model: the number, at full float\n"
        "precision, no header), go to OUTPUT, written atomically. Without OUTPUT, "
        "or\n"
        "with OUTPUT '-', they go to standard output.\n"
        "When DATA has labels, a summary (rows, accuracy, AUC, "
        "cross-entropy,\n"
        "balanced accuracy, recall of each class, confusion matrix; a\n"
        "regression model: rows, RMSE, MAE, R2 and the standardized mean\n"
        "squared error) goes to\n"
        "standard output, or to standard error "
        "when\n"
        "the predictions take standard output.\n"
        "\n"
        "Options:\n");
    cli_help_opt(f, "--proba", "also write the class probabilities [off]");
    cli_help_opt(f, "-q, --quiet", "no summary, no warnings [off]");
    cli_help_opt(f, "-h, --help", "show this help");
    /* what a model of format 1.0, which records no read options, gets */
    fsnsa_read_options d;
    fsnsa_read_options_default(&d);
    cli_data_help(f, &d, "as the model was trained");
    fprintf(f, "  Not given, each is as MODEL's training data was read (fsnsa "
            "inspect MODEL\n"
            "  shows how); the defaults in brackets are for models of "
            "format 1.0.\n");
    fprintf(f,
        "\n"
        "Exit status: 0 success, 1 bad data or model (no OUTPUT written),\n"
        "2 usage error.\n");
}

enum { OPT_PROBA = CLI_OPT_DATA_LAST };

/* The largest of the names' and the counts' widths, at least 5. */
static int column_width(const fsnsa_model *m, const size_t *counts)
{
    size_t C = m->net->n_classes;
    int w = 5;
    for (size_t c = 0; c < C; c++) {
        int len = (int)strlen(m->schema.class_names[c]);
        if (len > w)
            w = len;
    }
    for (size_t i = 0; i < C * C; i++) {
        int len = snprintf(NULL, 0, "%zu", counts[i]);
        if (len > w)
            w = len;
    }
    return w;
}

/* The balanced accuracy and each class's recall (NaN: no row of it). */
static int print_recall(const char *cmd, FILE *f, const fsnsa_model *m,
                        const size_t *counts)
{
    size_t C = m->net->n_classes;
    double *recall = malloc(C * sizeof *recall);
    if (recall == NULL) {
        cli_error(cmd, "out of memory");
        return -1;
    }
    double bal = fsnsa_balanced_accuracy(counts, C, recall);
    fprintf(f, "balanced accuracy %.4f  recall", bal);
    for (size_t c = 0; c < C; c++) {
        fputc(' ', f);
        cli_put_name(f, m->schema.class_names[c]);
        fprintf(f, " %.4f", recall[c]);
    }
    fputc('\n', f);
    free(recall);
    return 0;
}

/* Rows, accuracy, AUC, cross-entropy, balanced accuracy, per-class recall
 * and the confusion matrix with class names, on f. */
static int print_summary(const char *cmd, FILE *f, const fsnsa_model *m,
                         const fsnsa_dataset *d, const float *prob)
{
    size_t C = m->net->n_classes;
    cli_metrics mt;
    if (cli_metrics_compute(cmd, m->net, d, prob, &mt) != 0)
        return -1;
    size_t *counts = calloc(C * C, sizeof *counts);
    if (counts == NULL) {
        cli_error(cmd, "out of memory");
        return -1;
    }
    fsnsa_confusion(prob, C, d->y, d->n, counts);
    fprintf(f, "rows %zu  accuracy %.4f  AUC %.4f  cross-entropy %.6f\n",
            d->n, mt.accuracy, mt.auc, mt.loss);
    if (print_recall(cmd, f, m, counts) != 0) {
        free(counts);
        return -1;
    }
    fprintf(f, "confusion matrix (rows: true class, columns: predicted)\n");
    /* One width for every column keeps the table readable. */
    int w = column_width(m, counts);
    fprintf(f, "%*s", w, "");
    for (size_t c = 0; c < C; c++)
        fprintf(f, "  %*s", w, m->schema.class_names[c]);
    fputc('\n', f);
    for (size_t t = 0; t < C; t++) {
        fprintf(f, "%*s", w, m->schema.class_names[t]);
        for (size_t c = 0; c < C; c++)
            fprintf(f, "  %*zu", w, counts[t * C + c]);
        fputc('\n', f);
    }
    free(counts);
    return 0;
}

static size_t argmax(const float *row, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (row[i] > row[best])
            best = i;
    return best;
}

/* A data option as given on the command line. */
typedef struct {
    int code;
    const char *arg;
} data_option;

/* What the command line asked for. */
typedef struct {
    const char *model, *data, *output; /* output NULL: stdout */
    int proba, quiet;
    /* The data options given, in order (at most argc): checked while
     * parsing, applied over the model's own read settings once it is
     * loaded. */
    data_option *given;
    size_t n_given;
} predict_args;

/* Parse argv into a: CLI_PROCEED, or the exit code (--help, an error). */
static int parse(const char *cmd, int argc, char **argv, predict_args *a)
{
    static const struct option longopts[] = {
        CLI_DATA_LONGOPTS,
        {"proba", no_argument, NULL, OPT_PROBA},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    fsnsa_read_options ro; /* only to check the values */
    fsnsa_read_options_default(&ro);
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        int r = cli_data_option(cmd, c, optarg, &ro);
        if (r < 0)
            return CLI_USAGE;
        if (r == 0) {
            a->given[a->n_given++] = (data_option){c, optarg};
            continue;
        }
        if (c == OPT_PROBA)
            a->proba = 1;
        else if (c == 'q')
            a->quiet = 1;
        else if (c == 'h') {
            usage(stdout);
            return CLI_OK;
        } else
            return cli_getopt_error_long(cmd, c, argv, longopts);
    }
    int npos = argc - optind;
    if (npos < 2)
        return cli_usage_error(cmd, npos == 0 ? "missing the MODEL file"
                                              : "missing the DATA file");
    if (npos > 3)
        return cli_usage_error(cmd, "unexpected argument '%s'",
                               argv[optind + 3]);
    a->model = argv[optind];
    a->data = argv[optind + 1];
    a->output = npos == 3 ? argv[optind + 2] : NULL;
    if (a->output != NULL && strcmp(a->output, "-") != 0 &&
        (cli_same_file(a->output, a->data) ||
         cli_same_file(a->output, a->model)))
        return cli_usage_error(cmd, "OUTPUT '%s' would overwrite an input",
                               a->output);
    return CLI_PROCEED;
}

/* The model's read settings with the options given over them. */
static void read_options(const char *cmd, const fsnsa_model *m,
                         const predict_args *a, fsnsa_read_options *ro)
{
    fsnsa_model_read_options(m, ro);
    for (size_t i = 0; i < a->n_given; i++) {
        /* A label column given replaces the model's, and so does a
         * labels file. */
        if (a->given[i].code == CLI_OPT_LABEL_COLUMN)
            ro->labels_file = NULL;
        if (a->given[i].code == CLI_OPT_LABELS_FILE)
            ro->label_column = NULL;
        (void)cli_data_option(cmd, a->given[i].code, a->given[i].arg, ro);
    }
    /* after fsnsa_model_read_options, which sets every read option */
    cli_data_warnings(cmd, ro, a->quiet);
}

/* DATA read as ro says, encoded and scaled as the model expects. */
static int read_data(const char *cmd, const fsnsa_model *m,
                     const predict_args *a, const fsnsa_read_options *ro,
                     fsnsa_dataset **d)
{
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_dataset_read(a->data, ro, d, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        if (st == FSNSA_ERR_PARSE &&
            m->read.layout.format != FSNSA_FORMAT_AUTO) {
            /* Say how it was read, in the options that change it. */
            fprintf(stderr, "fsnsa %s: %s was read with", cmd, a->data);
            cli_put_read_options(stderr, ro);
            fprintf(stderr, " (%s); if it is written otherwise, give the "
                    "data options that describe it\n",
                    a->n_given > 0 ? "the model's settings and the options "
                                     "given"
                                   : "the model's settings: as its training "
                                     "data was read");
        }
        return -1;
    }
    if ((*d)->p != m->net->p_in) {
        cli_error(cmd, "%s has %zu encoded columns, the model %s reads %zu",
                  a->data, (*d)->p, a->model, m->net->p_in);
        return -1;
    }
    return cli_transform(cmd, &m->scaler, ro->missing, *d);
}

/* A regression model's numbers, one a line ("%.9g" reads back as the
 * same float), and with targets its figures on sf. */
static void write_numbers(FILE *f, const fsnsa_dataset *d, const float *pred)
{
    for (size_t i = 0; i < d->n; i++)
        fprintf(f, "%.9g\n", (double)pred[i]);
}

static void print_regression(FILE *sf, const fsnsa_model *m,
                             const fsnsa_dataset *d, const float *pred)
{
    cli_metrics mt;
    cli_regression_metrics(m, d, pred, &mt);
    fprintf(sf, "rows %zu  RMSE %.6g  MAE %.6g  R2 %.4f  mse %.6f "
            "(standardized)\n", d->n, mt.rmse, mt.mae, mt.r2, mt.loss);
}

/* The predictions to OUTPUT (atomically), then the summary. */
static int write_predictions(const char *cmd, const fsnsa_model *m,
                             const fsnsa_dataset *d, const float *prob,
                             const predict_args *a)
{
    size_t C = m->net->n_classes;
    int reg = m->options.task == FSNSA_TASK_REGRESSION;
    cli_out out;
    if (cli_out_open(cmd, a->output, &out) != 0)
        return -1;
    if (reg)
        write_numbers(out.f, d, prob);
    if (a->proba) {
        fputs("predicted", out.f);
        for (size_t k = 0; k < C; k++) {
            fputc('\t', out.f);
            cli_put_name(out.f, m->schema.class_names[k]);
        }
        fputc('\n', out.f);
    }
    for (size_t i = 0; i < d->n && !reg; i++) {
        const float *row = prob + i * C;
        cli_put_name(out.f, m->schema.class_names[argmax(row, C)]);
        if (a->proba)
            for (size_t k = 0; k < C; k++)
                fprintf(out.f, "\t%.6g", (double)row[k]);
        fputc('\n', out.f);
    }
    /* When the predictions use stdout, the summary must not mix in. */
    FILE *sf = out.f == stdout ? stderr : stdout;
    if (cli_out_commit(cmd, &out) != 0) {
        cli_out_abort(&out);
        return -1;
    }
    if (!d->has_labels || a->quiet)
        return 0;
    if (reg)
        print_regression(sf, m, d, prob);
    else if (print_summary(cmd, sf, m, d, prob) != 0)
        return -1;
    if (fflush(sf) != 0) {
        cli_error(cmd, "cannot write the summary");
        return -1;
    }
    return 0;
}

static int predict(const char *cmd, const predict_args *a)
{
    /* before reading anything: a large data set must not be read and
     * predicted for an OUTPUT that cannot be written */
    if (cli_output_check(cmd, a->output, FSNSA_OUTPUT_REPLACE) != 0)
        return CLI_FAIL;
    fsnsa_error err = {0};
    fsnsa_model *m = NULL;
    fsnsa_dataset *d = NULL;
    float *prob = NULL;
    int rc = CLI_FAIL;
    fsnsa_status st = fsnsa_model_load(a->model, &m, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return CLI_FAIL;
    }
    if (a->proba && m->options.task == FSNSA_TASK_REGRESSION) {
        cli_error(cmd, "--proba: %s is a regression model, which predicts "
                  "numbers, not class probabilities", a->model);
        fsnsa_model_free(m);
        return CLI_USAGE;
    }
    fsnsa_read_options ro;
    read_options(cmd, m, a, &ro);
    if (read_data(cmd, m, a, &ro, &d) == 0 &&
        (prob = cli_model_predict(cmd, m, d)) != NULL &&
        write_predictions(cmd, m, d, prob, a) == 0)
        rc = CLI_OK;
    free(prob);
    fsnsa_dataset_free(d);
    fsnsa_model_free(m);
    return rc;
}

int cmd_predict(int argc, char **argv)
{
    static const char *const cmd = "predict";
    predict_args a;
    memset(&a, 0, sizeof a);
    a.given = calloc(argc > 0 ? (size_t)argc : 1, sizeof *a.given);
    if (a.given == NULL) {
        cli_error(cmd, "out of memory");
        return CLI_FAIL;
    }
    int rc = parse(cmd, argc, argv, &a);
    if (rc == CLI_PROCEED)
        rc = predict(cmd, &a);
    free(a.given);
    return rc;
}

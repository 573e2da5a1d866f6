/* fsnsa predict: apply a saved model to a data file. */
#include "common.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: fsnsa predict [options] MODEL DATA [OUTPUT]\n"
        "\n"
        "Predict the class of every row of DATA with MODEL. DATA is read,\n"
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
        "tab-separated), go to OUTPUT, written atomically. Without OUTPUT, "
        "or\n"
        "with OUTPUT '-', they go to standard output.\n"
        "When DATA has labels, a summary (rows, accuracy, AUC, "
        "cross-entropy,\n"
        "confusion matrix) goes to standard output, or to standard error "
        "when\n"
        "the predictions take standard output.\n"
        "\n"
        "Options:\n"
        "  --proba               also write the class probabilities [off]\n"
        "  -q, --quiet           no summary, no warnings [off]\n"
        "  -h, --help            show this help\n");
    cli_data_help(f, "as the model was trained");
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

/* Rows, accuracy, AUC, cross-entropy and the confusion matrix with class
 * names, on f. */
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
    fprintf(f, "confusion matrix (rows: true class, columns: predicted)\n");
    /* One width for every column keeps the table readable. */
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

static int predict(int argc, char **argv, data_option *given)
{
    static const char *const cmd = "predict";
    static const struct option longopts[] = {
        CLI_DATA_LONGOPTS,
        {"proba", no_argument, NULL, OPT_PROBA},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    /* The data options given, in order (at most argc): checked now,
     * applied over the model's own read settings once it is loaded. */
    size_t n_given = 0;
    fsnsa_read_options ro;
    fsnsa_read_options_default(&ro);
    int proba = 0, quiet = 0, c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        int r = cli_data_option(cmd, c, optarg, &ro);
        if (r < 0)
            return CLI_USAGE;
        if (r == 0) {
            given[n_given].code = c;
            given[n_given++].arg = optarg;
            continue;
        }
        switch (c) {
        case OPT_PROBA:
            proba = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return CLI_OK;
        default:
            return cli_getopt_error_long(cmd, c, argv, longopts);
        }
    }
    int npos = argc - optind;
    if (npos < 2)
        return cli_usage_error(cmd, npos == 0 ? "missing the MODEL file"
                                              : "missing the DATA file");
    if (npos > 3)
        return cli_usage_error(cmd, "unexpected argument '%s'",
                               argv[optind + 3]);
    const char *model_path = argv[optind], *data_path = argv[optind + 1];
    const char *output = npos == 3 ? argv[optind + 2] : NULL;
    if (output != NULL && strcmp(output, "-") != 0 &&
        (cli_same_file(output, data_path) ||
         cli_same_file(output, model_path)))
        return cli_usage_error(cmd, "OUTPUT '%s' would overwrite an input",
                               output);
    /* before reading anything: a large data set must not be read and
     * predicted for an OUTPUT that cannot be written */
    if (cli_output_check(cmd, output, FSNSA_OUTPUT_REPLACE) != 0)
        return CLI_FAIL;

    fsnsa_error err = {0};
    fsnsa_model *m = NULL;
    fsnsa_dataset *d = NULL;
    float *prob = NULL;
    cli_out out = {0};
    int rc = CLI_FAIL;
    fsnsa_status st = fsnsa_model_load(model_path, &m, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        goto done;
    }
    fsnsa_model_read_options(m, &ro);
    for (size_t i = 0; i < n_given; i++) {
        /* A label column given replaces the model's, and so does a
         * labels file. */
        if (given[i].code == CLI_OPT_LABEL_COLUMN)
            ro.labels_file = NULL;
        if (given[i].code == CLI_OPT_LABELS_FILE)
            ro.label_column = NULL;
        (void)cli_data_option(cmd, given[i].code, given[i].arg, &ro);
    }
    /* after fsnsa_model_read_options, which sets every read option */
    cli_data_warnings(cmd, &ro, quiet);
    st = fsnsa_dataset_read(data_path, &ro, &d, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        if (st == FSNSA_ERR_PARSE && m->read.layout.format != FSNSA_FORMAT_AUTO) {
            /* Say how it was read, in the options that change it. */
            fprintf(stderr, "fsnsa %s: %s was read with", cmd, data_path);
            cli_put_read_options(stderr, &ro);
            fprintf(stderr, " (%s); if it is written otherwise, give the "
                    "data options that describe it\n",
                    n_given > 0 ? "the model's settings and the options given"
                                : "the model's settings: as its training "
                                  "data was read");
        }
        goto done;
    }
    if (d->p != m->net->p_in) {
        cli_error(cmd, "%s has %zu encoded columns, the model %s reads %zu",
                  data_path, d->p, model_path, m->net->p_in);
        goto done;
    }
    if (ro.missing != FSNSA_MISSING_REFUSE)
        fsnsa_scaler_impute(&m->scaler, ro.missing, d);
    st = fsnsa_scaler_apply(&m->scaler, d, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        goto done;
    }
    if ((prob = cli_predict(cmd, m->net, d)) == NULL)
        goto done;

    size_t C = m->net->n_classes;
    if (cli_out_open(cmd, output, &out) != 0)
        goto done;
    if (proba) {
        fputs("predicted", out.f);
        for (size_t k = 0; k < C; k++) {
            fputc('\t', out.f);
            cli_put_name(out.f, m->schema.class_names[k]);
        }
        fputc('\n', out.f);
    }
    for (size_t i = 0; i < d->n; i++) {
        const float *row = prob + i * C;
        cli_put_name(out.f, m->schema.class_names[argmax(row, C)]);
        if (proba)
            for (size_t k = 0; k < C; k++)
                fprintf(out.f, "\t%.6g", (double)row[k]);
        fputc('\n', out.f);
    }
    /* When the predictions use stdout, the summary must not mix in. */
    FILE *sf = out.f == stdout ? stderr : stdout;
    if (cli_out_commit(cmd, &out) != 0)
        goto done;
    if (d->has_labels && !quiet) {
        if (print_summary(cmd, sf, m, d, prob) != 0)
            goto done;
        if (fflush(sf) != 0) {
            cli_error(cmd, "cannot write the summary");
            goto done;
        }
    }
    rc = CLI_OK;
done:
    cli_out_abort(&out);
    free(prob);
    fsnsa_dataset_free(d);
    fsnsa_model_free(m);
    return rc;
}

int cmd_predict(int argc, char **argv)
{
    data_option *given = calloc(argc > 0 ? (size_t)argc : 1, sizeof *given);
    if (given == NULL) {
        cli_error("predict", "out of memory");
        return CLI_FAIL;
    }
    int rc = predict(argc, argv, given);
    free(given);
    return rc;
}

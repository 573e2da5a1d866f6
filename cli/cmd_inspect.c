/* fsnsa inspect: what a model is and which features it selected. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "data_options.h"
#include "getopts.h"
#include "help.h"
#include "messages.h"
#include "output.h"
#include "train_select.h"

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: fsnsa inspect [options] MODEL\n"
        "\n"
        "Print the model's method, sizes (encoded inputs, features kept,\n"
        "hidden nodes, weights), training options, how its training data "
        "was\n"
        "read (and predict reads new data), and its selected features\n"
        "ranked by relevance r_i (Eq. 4: the L2 norm of the feature's "
        "column of\n"
        "W after the nodes are normalized by Eq. 3). Models of format 1.2\n"
        "also rank every column: the kept ones by r_i, then the dropped ones\n"
        "by the epoch that dropped them (the last first) and their r_i then,\n"
        "with each column's stability score after `train --restarts`.\n"
        "Models of format 1.4 show each class's recall and the balanced\n"
        "accuracy at the end of training, on the validation rows (with\n"
        "--validation-fraction) or else on the training rows.\n"
        "Models of format 1.5 trained with --features auto or --hidden auto\n"
        "show the validation curve that chose k or h: each candidate's mean\n"
        "held-out loss over the folds and its standard error, the chosen\n"
        "size (one-SE rule toward fewer, or the lowest mean with\n"
        "train --select-rule min, format 1.7) and the lowest mean marked.\n"
        "\n"
        "Options:\n");
    cli_help_opt(f, "--json", "print one JSON object instead of text [off]");
    cli_help_opt(f, "-h, --help", "show this help");
    fprintf(f, "\n"
            "Exit status: 0 success, 1 unreadable or damaged model, 2 usage "
            "error.\n");
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
         p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void json_number(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.9g", v);
    else
        fputs("null", f); /* JSON has no NaN */
}

/* A one-character setting as a JSON string, or null for none. */
static void json_char(FILE *f, char c)
{
    char s[2] = {c, 0};
    if (c == 0)
        fputs("null", f);
    else
        json_string(f, s);
}

/* The recorded read settings as a JSON object, or null. */
static void json_read(FILE *f, const fsnsa_read_record *r)
{
    const fsnsa_layout *l = &r->layout;
    if (l->format == FSNSA_FORMAT_AUTO) {
        fputs("null", f);
        return;
    }
    fprintf(f, "{\"format\": \"%s\", \"delimiter\": ",
            fsnsa_format_name(l->format));
    json_char(f, l->delimiter);
    fputs(", \"decimal\": ", f);
    json_char(f, l->decimal);
    fprintf(f, ", \"header\": %s, \"fields\": %zu, \"label\": \"%s\", "
            "\"label_field\": ",
            l->header == 1 ? "true" : l->header == 0 ? "false" : "null",
            l->fields, fsnsa_label_source_name(l->label));
    if (l->label_field == SIZE_MAX)
        fputs("null}", f);
    else
        fprintf(f, "%zu}", l->label_field);
}

/* Where the label was: "'name' in field 3 of 20, asked for as last". */
static void put_label_place(FILE *f, const fsnsa_model *m)
{
    const fsnsa_layout *l = &m->read.layout;
    if (l->label == FSNSA_LABEL_FILE) {
        fputs("from a separate labels file", f);
        return;
    }
    if (l->label_field == SIZE_MAX) {
        fputs("none in the data", f);
        return;
    }
    if (m->schema.label_name != NULL) {
        putc('\'', f);
        cli_put_name(f, m->schema.label_name);
        fputs("' in ", f);
    }
    if (l->format == FSNSA_FORMAT_LIBSVM)
        fprintf(f, "field 1");
    else
        fprintf(f, "field %zu of %zu", l->label_field + 1, l->fields);
    fprintf(f, ", asked for as %s", fsnsa_label_source_name(l->label));
}

typedef struct {
    float score;
    size_t pos; /* index into net->features */
} ranked;

static int by_score(const void *a_, const void *b_)
{
    const ranked *a = a_, *b = b_;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* A model and its selected features ranked by relevance. */
typedef struct {
    fsnsa_model *m;
    fsnsa_net *net;  /* normalized copy of m->net */
    ranked *rank;    /* net->p, best first */
    char **names;    /* m->schema.p encoded column names */
    size_t *order;   /* every column by importance, or NULL (not recorded) */
} inspected;

static void inspected_free(inspected *x)
{
    if (x->names != NULL)
        cli_free_names(x->names, x->m->schema.p);
    free(x->rank);
    free(x->order);
    fsnsa_net_free(x->net);
    fsnsa_model_free(x->m);
}

/* Every column ranked by importance, when the model records it (1.2). */
static int load_order(const char *cmd, inspected *x)
{
    if (x->m->drop_epoch == NULL)
        return 0;
    size_t p_in = x->net->p_in;
    x->order = malloc((p_in > 0 ? p_in : 1) * sizeof *x->order);
    fsnsa_error err = {0};
    fsnsa_status st = x->order == NULL
                          ? FSNSA_ERR_NOMEM
                          : fsnsa_model_importance_order(x->m, x->order, &err);
    if (st != FSNSA_OK) {
        if (x->order == NULL)
            cli_error(cmd, "out of memory");
        else
            cli_lib_error(cmd, st, &err);
        return -1;
    }
    return 0;
}

static int load(const char *cmd, const char *path, inspected *x)
{
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_model_load(path, &x->m, &err);
    if (st == FSNSA_OK)
        st = fsnsa_net_copy(x->m->net, &x->net, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return -1;
    }
    /* r_i is only meaningful once every node has ||w_j|| = 1; normalize a
     * copy (the function is unchanged, but the model stays as saved). */
    fsnsa_net_normalize(x->net);
    size_t p = x->net->p;
    float *score = malloc((p > 0 ? p : 1) * sizeof *score);
    x->rank = malloc((p > 0 ? p : 1) * sizeof *x->rank);
    x->names = cli_encoded_names(&x->m->schema);
    if (score == NULL || x->rank == NULL || x->names == NULL) {
        free(score);
        cli_error(cmd, "out of memory");
        return -1;
    }
    fsnsa_net_feature_scores(x->net, score);
    /* A refit net's own r_i would rank its columns afresh; the ranking
     * stays the annealing's, which the model recorded. */
    if (x->m->refit != FSNSA_REFIT_NONE && x->m->relevance != NULL)
        for (size_t i = 0; i < p; i++)
            score[i] = x->m->relevance[x->net->features[i]];
    for (size_t i = 0; i < p; i++) {
        x->rank[i].score = score[i];
        x->rank[i].pos = i;
    }
    free(score);
    qsort(x->rank, p, sizeof *x->rank, by_score);
    return load_order(cmd, x);
}

/* The name of the feature ranked i. */
static const char *ranked_name(const inspected *x, size_t i, size_t *column)
{
    *column = x->net->features[x->rank[i].pos];
    return *column < x->m->schema.p ? x->names[*column] : "?";
}

/* ', "restarts": R' and ', "importance": [...]' when recorded. */
static void json_importance(const inspected *x)
{
    const fsnsa_model *m = x->m;
    if (m->stability != NULL)
        printf(", \"restarts\": %zu", m->restarts);
    if (x->order == NULL)
        return;
    printf(", \"importance\": [");
    for (size_t i = 0; i < x->net->p_in; i++) {
        size_t j = x->order[i];
        printf("%s{\"rank\": %zu, \"column\": %zu, \"name\": ",
               i ? ", " : "", i + 1, j);
        json_string(stdout, j < m->schema.p ? x->names[j] : "?");
        printf(", \"drop_epoch\": ");
        if (m->drop_epoch[j] == 0)
            printf("null");
        else
            printf("%d", m->drop_epoch[j]);
        printf(", \"relevance\": ");
        json_number(stdout, m->relevance[j]);
        if (m->stability != NULL) {
            printf(", \"stability\": ");
            json_number(stdout, m->stability[j]);
        }
        printf("}");
    }
    printf("]");
}

/* Format 1.3's figures, null when not recorded. */
static void json_validation(const fsnsa_model *m)
{
    const fsnsa_train_options *o = &m->options;
    printf(", \"class_weight\": \"%s\", \"class_weights\": ",
           fsnsa_class_weight_name(o->class_weight));
    if (m->class_weights == NULL)
        printf("null");
    for (size_t c = 0; m->class_weights != NULL && c < m->schema.n_classes; c++) {
        printf(c ? ", " : "[");
        json_number(stdout, m->class_weights[c]);
    }
    printf(m->class_weights != NULL ? "]" : "");
    printf(", \"validation_fraction\": ");
    json_number(stdout, o->validation_fraction);
    printf(", \"keep\": \"%s\", \"early_stopping\": %d, \"chosen_epoch\": ",
           fsnsa_keep_name(o->keep), o->early_stopping);
    if (o->validation_fraction > 0) {
        printf("%d, \"validation_loss\": ", m->chosen_epoch);
        json_number(stdout, m->validation_loss);
        printf(", \"validation_accuracy\": ");
        json_number(stdout, m->validation_accuracy);
    } else {
        printf("null, \"validation_loss\": null, \"validation_accuracy\": null");
    }
}

/* Format 1.4's recall of each class, in the order of "classes", and the
 * balanced accuracy, with the rows they were taken on; null when not
 * recorded. */
static void json_recall(const fsnsa_model *m)
{
    if (m->recall == NULL) {
        printf(", \"recall_rows\": null, \"balanced_accuracy\": null, "
               "\"recall\": null");
        return;
    }
    printf(", \"recall_rows\": \"%s\", \"balanced_accuracy\": ",
           m->recall_on_validation ? "validation" : "training");
    json_number(stdout, m->balanced_accuracy);
    printf(", \"recall\": [");
    for (size_t c = 0; c < m->net->n_classes; c++) {
        printf(c ? ", " : "");
        json_number(stdout, m->recall[c]);
    }
    printf("]");
}

/* One curve as a JSON object. */
static void json_curve(const fsnsa_select_result *r)
{
    printf("{\"folds\": %zu, \"rule\": \"%s\", \"figure\": "
           "\"mean held-out cross-entropy\", \"lowest\": %zu, "
           "\"chosen\": %zu, \"curve\": [",
           r->folds, fsnsa_select_rule_name(r->rule),
           r->sizes[fsnsa_select_lowest(r)], r->k);
    for (size_t i = 0; i < r->n_sizes; i++) {
        printf("%s{\"size\": %zu, \"mean\": ", i ? ", " : "", r->sizes[i]);
        json_number(stdout, r->mean[i]);
        printf(", \"se\": ");
        json_number(stdout, r->se[i]);
        printf(", \"fold_loss\": [");
        for (size_t f = 0; f < r->folds; f++) {
            printf(f ? ", " : "");
            json_number(stdout, r->fold_loss[f * r->n_sizes + i]);
        }
        printf("]}");
    }
    printf("]}");
}

/* Format 1.5: ', "selection": {"features": ..., "hidden": ...}' with a
 * curve or null for each, when a size was chosen by cross-validation. */
static void json_selection(const fsnsa_model *m)
{
    const fsnsa_select_result *c[2] = {&m->select_features, &m->select_hidden};
    if (c[0]->n_sizes == 0 && c[1]->n_sizes == 0)
        return;
    printf(", \"selection\": {");
    for (int i = 0; i < 2; i++) {
        printf("%s\"%s\": ", i ? ", " : "", i ? "hidden" : "features");
        if (c[i]->n_sizes == 0)
            printf("null");
        else
            json_curve(c[i]);
    }
    printf("}");
}

static void print_json(const char *path, const inspected *x)
{
    const fsnsa_model *m = x->m;
    const fsnsa_net *net = x->net;
    const fsnsa_train_options *o = &m->options;
    const fsnsa_schema *s = &m->schema;
    printf("{\"model\": ");
    json_string(stdout, path);
    printf(", \"method\": ");
    json_string(stdout, fsnsa_method_name(o->method));
    printf(", \"task\": \"%s\"", fsnsa_task_name(o->task));
    if (o->task == FSNSA_TASK_REGRESSION) {
        printf(", \"target_mean\": ");
        json_number(stdout, m->target_mean);
        printf(", \"target_sd\": ");
        json_number(stdout, m->target_sd);
    }
    printf(", \"refit\": \"%s\"", fsnsa_refit_name(m->refit));
    printf(", \"classes\": [");
    for (size_t k = 0; k < s->n_classes; k++) {
        printf(k ? ", " : "");
        json_string(stdout, s->class_names[k]);
    }
    printf("], \"columns\": %zu, \"p_in\": %zu, \"features\": %zu, "
           "\"nodes\": %zu, \"weights\": %zu, \"train_loss\": ",
           s->n_columns, net->p_in, net->p, net->h,
           fsnsa_net_weight_count(net));
    json_number(stdout, m->train_loss);
    printf(", \"scale\": \"%s\", \"missing\": \"%s\", \"read\": ",
           fsnsa_scale_name(m->scaler.kind), fsnsa_missing_name(m->missing));
    json_read(stdout, &m->read);
    printf(", \"options\": {\"epochs\": %d, \"hidden\": %zu, "
           "\"start_hidden\": %zu, \"features\": %zu, \"mu\": ",
           o->epochs, o->hidden, o->start_hidden, o->features);
    json_number(stdout, o->mu);
    printf(", \"batch\": %zu, \"lr\": ", o->batch);
    json_number(stdout, o->lr);
    printf(", \"weight_decay\": ");
    json_number(stdout, o->weight_decay);
    printf(", \"seed\": %llu, \"shuffle\": %s}",
           (unsigned long long)o->seed, o->shuffle ? "true" : "false");
    json_validation(m);
    json_recall(m);
    json_selection(m);
    printf(", \"selected\": [");
    for (size_t i = 0; i < net->p; i++) {
        size_t j;
        const char *name = ranked_name(x, i, &j);
        printf("%s{\"rank\": %zu, \"column\": %zu, \"name\": ", i ? ", " : "",
               i + 1, j);
        json_string(stdout, name);
        printf(", \"relevance\": ");
        json_number(stdout, x->rank[i].score);
        printf("}");
    }
    printf("]");
    json_importance(x);
    printf("}\n");
}

/* How the training data was read, and where its label was. */
static void print_read(const fsnsa_model *m)
{
    if (m->read.layout.format == FSNSA_FORMAT_AUTO) {
        printf("data         not recorded (model format 1.0): predict "
               "reads with the\n"
               "             default data options\n");
        return;
    }
    fsnsa_read_options ro;
    fsnsa_model_read_options(m, &ro);
    printf("data         read with");
    cli_put_read_options(stdout, &ro);
    printf("\nlabel        ");
    put_label_place(stdout, m);
    putchar('\n');
}

/* Every column: kept ones by relevance, then the dropped ones by when
 * they were dropped; the stability column with restarts. */
static void print_importance(const inspected *x)
{
    const fsnsa_model *m = x->m;
    if (x->order == NULL) {
        printf("\nimportance of the other columns: not recorded (a model "
               "before format 1.2, or a warm start)\n");
        return;
    }
    printf("\nimportance of every column (kept by relevance, then dropped, "
           "the last dropped first)\n");
    printf("rank  dropped  relevance  %scolumn  feature\n",
           m->stability != NULL ? "stability  " : "");
    for (size_t i = 0; i < x->net->p_in; i++) {
        size_t j = x->order[i];
        printf("%4zu  ", i + 1);
        if (m->drop_epoch[j] == 0)
            printf("%7s  ", "kept");
        else
            printf("%7d  ", m->drop_epoch[j]);
        printf("%9.6f  ", (double)m->relevance[j]);
        if (m->stability != NULL)
            printf("%9.3f  ", (double)m->stability[j]);
        printf("%6zu  ", j);
        cli_put_name(stdout, j < m->schema.p ? x->names[j] : "?");
        putchar('\n');
    }
    if (m->stability != NULL)
        printf("stability: the fraction of %zu restarts that kept the "
               "column\n", m->restarts);
}

/* Format 1.3: the class weights and the validation split's choice. */
static void print_validation(const fsnsa_model *m)
{
    const fsnsa_train_options *o = &m->options;
    if (m->class_weights != NULL) {
        printf("class weight %s:", fsnsa_class_weight_name(o->class_weight));
        for (size_t c = 0; c < m->schema.n_classes; c++) {
            putchar(' ');
            cli_put_name(stdout, m->schema.class_names[c]);
            printf("=%g", (double)m->class_weights[c]);
        }
        printf("\n");
    }
    if (!(o->validation_fraction > 0))
        return;
    printf("validation   fraction %g  keep %s  early-stopping %d\n",
           o->validation_fraction, fsnsa_keep_name(o->keep),
           o->early_stopping);
    int reg = o->task == FSNSA_TASK_REGRESSION;
    printf("kept epoch   %d  validation %s %.6f  %s %.4f\n",
           m->chosen_epoch, reg ? "mse" : "loss", m->validation_loss,
           reg ? "R2" : "accuracy", m->validation_accuracy);
}

/* Format 1.4: each class's recall and the balanced accuracy, and which
 * rows they were taken on (a regression has no classes: nothing). */
static void print_recall(const fsnsa_model *m)
{
    if (m->options.task == FSNSA_TASK_REGRESSION)
        return;
    if (m->recall == NULL) {
        printf("recall       not recorded (a model before format 1.4)\n");
        return;
    }
    printf("recall       on the %s rows: balanced accuracy %.4f  recall",
           m->recall_on_validation ? "validation" : "training",
           m->balanced_accuracy);
    for (size_t c = 0; c < m->net->n_classes; c++) {
        putchar(' ');
        if (c < m->schema.n_classes)
            cli_put_name(stdout, m->schema.class_names[c]);
        else
            printf("%zu", c);
        printf(" %.4f", m->recall[c]);
    }
    putchar('\n');
}

/* Format 1.5: the curve that chose k or h (letter), when one did. */
static void print_curve(const char *letter, const char *size,
                        const fsnsa_select_result *r)
{
    if (r->n_sizes == 0)
        return;
    printf("chosen %s     %zu by %zu-fold cross-validation on the training "
           "rows, %s\n"
           "             (lowest mean held-out loss at %zu)\n",
           letter, r->k, r->folds, cli_rule_words(r->rule),
           r->sizes[fsnsa_select_lowest(r)]);
    cli_put_curve(stdout, size, r);
}

static void print_text(const char *path, const inspected *x)
{
    const fsnsa_model *m = x->m;
    const fsnsa_net *net = x->net;
    const fsnsa_train_options *o = &m->options;
    const fsnsa_schema *s = &m->schema;
    int reg = o->task == FSNSA_TASK_REGRESSION;
    printf("model        %s\n", path);
    printf("method       %s\n", fsnsa_method_name(o->method));
    printf("task         %s\n", fsnsa_task_name(o->task));
    if (reg) {
        printf("target       mean %.9g  sd %.9g: the network predicts "
               "(target - mean) / sd\n", m->target_mean, m->target_sd);
    } else {
        printf("classes      %zu:", s->n_classes);
        for (size_t k = 0; k < s->n_classes; k++) {
            putchar(' ');
            cli_put_name(stdout, s->class_names[k]);
        }
        printf("\n");
    }
    printf("inputs       %zu encoded columns from %zu data columns\n",
           net->p_in, s->n_columns);
    printf("features     %zu of %zu\n", net->p, net->p_in);
    printf("nodes        %zu\n", net->h);
    if (m->refit != FSNSA_REFIT_NONE)
        printf("refit        %s: the network is a fresh dense net of these "
               "nodes trained on\n"
               "             the kept columns alone; the ranking and "
               "importance are %s's\n",
               fsnsa_refit_name(m->refit), fsnsa_method_name(o->method));
    printf("weights      %zu\n", fsnsa_net_weight_count(net));
    printf("train loss   %.6f%s\n", m->train_loss,
           reg ? " (mean squared error of the standardized target)" : "");
    printf("scale        %s\n", fsnsa_scale_name(m->scaler.kind));
    printf("missing      %s\n", fsnsa_missing_name(m->missing));
    print_read(m);
    printf("options      epochs %d  hidden %zu  start-hidden %zu  "
           "features %zu  mu %g\n"
           "             batch %zu  lr %g  weight-decay %g  seed %llu  "
           "shuffle %s\n",
           o->epochs, o->hidden, o->start_hidden, o->features, o->mu,
           o->batch, o->lr, o->weight_decay, (unsigned long long)o->seed,
           o->shuffle ? "on" : "off");
    print_validation(m);
    print_recall(m);
    print_curve("k", "size", &m->select_features);
    print_curve("h", "nodes", &m->select_hidden);
    printf("\nrank  relevance  column  feature\n");
    for (size_t i = 0; i < net->p; i++) {
        size_t j;
        const char *name = ranked_name(x, i, &j);
        printf("%4zu  %9.6f  %6zu  ", i + 1, (double)x->rank[i].score, j);
        cli_put_name(stdout, name);
        putchar('\n');
    }
    print_importance(x);
}

int cmd_inspect(int argc, char **argv)
{
    static const char *const cmd = "inspect";
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_getopts g = cli_getopts_start(cmd, ":h", longopts, usage);
    int json = 0, c;
    while ((c = cli_getopts_next(&g, argc, argv)) != -1)
        if (c == 'j')
            json = 1;
    if (g.rc != CLI_PROCEED)
        return g.rc;
    if (argc - optind < 1)
        return cli_usage_error(cmd, "missing the MODEL file");
    if (argc - optind > 1)
        return cli_usage_error(cmd, "unexpected argument '%s'",
                               argv[optind + 1]);
    const char *path = argv[optind];
    inspected x;
    memset(&x, 0, sizeof x);
    int rc = CLI_FAIL;
    if (load(cmd, path, &x) == 0) {
        if (json)
            print_json(path, &x);
        else
            print_text(path, &x);
        if (cli_flush_stdout(cmd) == 0)
            rc = CLI_OK;
    }
    inspected_free(&x);
    return rc;
}

/* The writer: a model as the text of docs/model-format.md, built in memory
 * under the C locale, ended by its checksum line and written atomically.
 * parse.c reads the sections in the same order. */
#include "model.h"

#include <stdio.h>

/* A string as "...", or a bare '-' for NULL. */
static void put_string(fsnsa__strbuf *b, const char *s)
{
    if (s == NULL)
        fsnsa__sb_put(b, "-", 1);
    else
        fsnsa__sb_quoted(b, s);
}

/* "key " and "\n" around each line's value. */
static void key(fsnsa__strbuf *b, const char *k)
{
    fsnsa__sb_str(b, k);
    fsnsa__sb_put(b, " ", 1);
}

static void end(fsnsa__strbuf *b)
{
    fsnsa__sb_put(b, "\n", 1);
}

static void key_name(fsnsa__strbuf *b, const char *k, const char *name)
{
    key(b, k);
    fsnsa__sb_str(b, name);
    end(b);
}

static void key_size(fsnsa__strbuf *b, const char *k, size_t v)
{
    key(b, k);
    fsnsa__sb_size(b, v);
    end(b);
}

static void key_double(fsnsa__strbuf *b, const char *k, double v)
{
    key(b, k);
    fsnsa__sb_double(b, v);
    end(b);
}

static void key_string(fsnsa__strbuf *b, const char *k, const char *s)
{
    key(b, k);
    put_string(b, s);
    end(b);
}

/* "key S" with S one character, or '-' for 0. */
static void key_char(fsnsa__strbuf *b, const char *k, char c)
{
    char one[2] = {c, 0};
    key_string(b, k, c != 0 ? one : NULL);
}

/* "key v0 v1 ...\n" (key may be NULL for a bare row) */
static void floats(fsnsa__strbuf *b, const char *k, const float *v, size_t n)
{
    if (k != NULL)
        fsnsa__sb_str(b, k);
    for (size_t i = 0; i < n; i++) {
        if (k != NULL || i > 0)
            fsnsa__sb_put(b, " ", 1);
        fsnsa__sb_float(b, v[i]);
    }
    end(b);
}

/* "key ROWS COLS\n", then ROWS bare rows of COLS numbers. */
static void matrix(fsnsa__strbuf *b, const char *k, const float *v,
                   size_t rows, size_t cols)
{
    key(b, k);
    fsnsa__sb_size(b, rows);
    fsnsa__sb_put(b, " ", 1);
    fsnsa__sb_size(b, cols);
    end(b);
    for (size_t j = 0; j < rows; j++)
        floats(b, NULL, v + j * cols, cols);
}

/* The version line, then how the model was trained. */
static void write_training(fsnsa__strbuf *b, const fsnsa_model *m)
{
    const fsnsa_train_options *o = &m->options;
    /* The oldest version that holds the model: a model that records
     * nothing about its data is a 1.0 file, byte for byte as before. */
    fsnsa__sb_str(b, MODEL_MAGIC " ");
    fsnsa__sb_size(b, MODEL_MAJOR);
    fsnsa__sb_put(b, ".", 1);
    fsnsa__sb_size(b, fsnsa__model_has_1_7(m)   ? MODEL_MINOR
                      : fsnsa__model_has_1_6(m) ? MODEL_MINOR_REFIT
                      : fsnsa__model_has_1_5(m) ? MODEL_MINOR_SELECT
                      : fsnsa__model_has_1_4(m) ? MODEL_MINOR_RECALL
                      : fsnsa__model_has_1_3(m) ? MODEL_MINOR_VALIDATION
                      : fsnsa__model_has_1_2(m) ? MODEL_MINOR_IMPORTANCE
                      : fsnsa__read_recorded(&m->read) ? MODEL_MINOR_READ
                                                       : 0);
    fsnsa__sb_str(b, "\ncreated_by fsnsa " FSNSA_VERSION "\n");

    key_name(b, "train.method", fsnsa_method_names()[o->method]);
    key_size(b, "train.hidden", o->hidden);
    key_size(b, "train.start_hidden", o->start_hidden);
    key_size(b, "train.features", o->features);
    key_size(b, "train.epochs", (size_t)o->epochs);
    key_double(b, "train.mu", o->mu);
    key_size(b, "train.batch", o->batch);
    key_double(b, "train.lr", o->lr);
    key_double(b, "train.beta1", o->beta1);
    key_double(b, "train.beta2", o->beta2);
    key_double(b, "train.eps", o->eps);
    key_double(b, "train.weight_decay", o->weight_decay);
    char t[32];
    snprintf(t, sizeof t, "%llu", (unsigned long long)o->seed);
    key_name(b, "train.seed", t);
    key_size(b, "train.shuffle", (size_t)o->shuffle);
    if (fsnsa__model_has_1_3(m))
        key_name(b, "train.variant", fsnsa_variant_names()[o->variant]);
    if (o->task == FSNSA_TASK_REGRESSION) {
        key_name(b, "train.task", fsnsa_task_name(o->task));
        key_double(b, "target_mean", m->target_mean);
        key_double(b, "target_sd", m->target_sd);
    }
    key_double(b, "train_loss", m->train_loss);
    key_name(b, "missing", fsnsa_missing_names()[m->missing]);
}

/* The read.* lines (format 1.1). */
static void write_read(fsnsa__strbuf *b, const fsnsa_read_record *r)
{
    const fsnsa_layout *l = &r->layout;
    key_name(b, "read.format", fsnsa_format_names()[l->format]);
    key_char(b, "read.delimiter", l->delimiter);
    key_char(b, "read.decimal", l->decimal);
    key_name(b, "read.header", fsnsa__read_header_names()[l->header + 1]);
    key_size(b, "read.fields", l->fields);
    key(b, "read.label");
    fsnsa__sb_str(b, fsnsa_label_source_names()[l->label]);
    fsnsa__sb_put(b, " ", 1);
    if (l->label_field == SIZE_MAX)
        fsnsa__sb_put(b, "-", 1);
    else
        fsnsa__sb_size(b, l->label_field);
    end(b);
    for (const fsnsa__read_string *e = fsnsa__read_strings(); e->key != NULL; e++)
        key_string(b, e->key, fsnsa__str_at(r, e->record));
}

static void write_schema(fsnsa__strbuf *b, const fsnsa_schema *s)
{
    key_string(b, "label", s->label_name);
    key_size(b, "classes", s->n_classes);
    for (size_t k = 0; k < s->n_classes; k++)
        key_string(b, "class", s->class_names[k]);
    key_size(b, "columns", s->n_columns);
    for (size_t i = 0; i < s->n_columns; i++) {
        const fsnsa_column *c = &s->columns[i];
        key(b, "column");
        put_string(b, c->name);
        if (c->kind == FSNSA_COL_NUMERIC) {
            fsnsa__sb_str(b, " numeric\n");
            continue;
        }
        fsnsa__sb_str(b, " nominal ");
        fsnsa__sb_size(b, c->n_values);
        end(b);
        for (size_t v = 0; v < c->n_values; v++)
            key_string(b, "value", c->values[v]);
    }
    key_size(b, "encoded_width", s->p);
}

static void write_scaler(fsnsa__strbuf *b, const fsnsa_scaler *sc)
{
    key(b, "scale");
    fsnsa__sb_str(b, fsnsa_scale_names()[sc->kind]);
    fsnsa__sb_put(b, " ", 1);
    fsnsa__sb_size(b, sc->p);
    end(b);
    floats(b, "shift", sc->shift, sc->p);
    floats(b, "mult", sc->mult, sc->p);
    floats(b, "fill", sc->fill, sc->p);
}

static void write_net(fsnsa__strbuf *b, const fsnsa_net *n)
{
    key_size(b, "p_in", n->p_in);
    key_size(b, "p", n->p);
    key_size(b, "h", n->h);
    key_size(b, "n_classes", n->n_classes);
    key_size(b, "n_out", n->n_out);
    fsnsa__sb_str(b, "features");
    for (size_t i = 0; i < n->p; i++) {
        fsnsa__sb_put(b, " ", 1);
        fsnsa__sb_size(b, n->features[i]);
    }
    end(b);
    matrix(b, "W", n->W, n->h, n->p);
    floats(b, "b", n->b, n->h);
    matrix(b, "beta", n->beta, n->h, n->n_out);
    floats(b, "c", n->c, n->n_out);
}

/* The 1.2 lines after the network: the importance of every column and
 * the stability scores, each when recorded. */
static void write_importance(fsnsa__strbuf *b, const fsnsa_model *m)
{
    size_t p_in = m->net->p_in;
    if (m->drop_epoch != NULL) {
        fsnsa__sb_str(b, "drop_epoch");
        for (size_t i = 0; i < p_in; i++) {
            fsnsa__sb_put(b, " ", 1);
            fsnsa__sb_size(b, (size_t)m->drop_epoch[i]);
        }
        end(b);
        floats(b, "relevance", m->relevance, p_in);
    }
    if (m->stability != NULL) {
        key_size(b, "restarts", m->restarts);
        floats(b, "stability", m->stability, p_in);
    }
}

/* The 1.3 lines, each group when recorded: the class weights, then the
 * validation split, what it decided and the kept epoch's figures. */
static void write_validation(fsnsa__strbuf *b, const fsnsa_model *m)
{
    const fsnsa_train_options *o = &m->options;
    if (m->class_weights != NULL) {
        key_name(b, "class_weight", fsnsa_class_weight_name(o->class_weight));
        floats(b, "class_weights", m->class_weights, m->net->n_classes);
    }
    if (o->validation_fraction > 0) {
        key_double(b, "validation_fraction", o->validation_fraction);
        key_name(b, "keep", fsnsa_keep_name(o->keep));
        key_size(b, "early_stopping", (size_t)o->early_stopping);
        key_size(b, "chosen_epoch", (size_t)m->chosen_epoch);
        key_double(b, "validation_loss", m->validation_loss);
        key_double(b, "validation_accuracy", m->validation_accuracy);
    }
}

/* "key v0 v1 ...\n" of doubles. */
static void doubles(fsnsa__strbuf *b, const char *k, const double *v, size_t n)
{
    fsnsa__sb_str(b, k);
    for (size_t i = 0; i < n; i++) {
        fsnsa__sb_put(b, " ", 1);
        fsnsa__sb_double(b, v[i]);
    }
    end(b);
}

/* The 1.4 lines: which rows the recall was taken on, the balanced
 * accuracy, each class's recall (nan for a class without rows). */
static void write_recall(fsnsa__strbuf *b, const fsnsa_model *m)
{
    if (m->recall == NULL)
        return;
    key_name(b, "recall_rows", m->recall_on_validation ? "validation"
                                                       : "training");
    key_double(b, "balanced_accuracy", m->balanced_accuracy);
    doubles(b, "recall", m->recall, m->net->n_classes);
}

/* The 1.5 group of one curve: what it chose, the folds and the rule,
 * the sizes with their mean held-out loss and its standard error, each
 * fold's losses, the size with the lowest mean and the chosen one. */
static void write_curve(fsnsa__strbuf *b, const char *what,
                        const fsnsa_select_result *c)
{
    if (c->n_sizes == 0)
        return;
    key(b, "select");
    fsnsa__sb_str(b, what);
    fsnsa__sb_put(b, " ", 1);
    fsnsa__sb_size(b, c->n_sizes);
    end(b);
    key_size(b, "select.folds", c->folds);
    key_name(b, "select.rule", fsnsa_select_rule_name(c->rule));
    fsnsa__sb_str(b, "select.sizes");
    for (size_t i = 0; i < c->n_sizes; i++) {
        fsnsa__sb_put(b, " ", 1);
        fsnsa__sb_size(b, c->sizes[i]);
    }
    end(b);
    doubles(b, "select.mean", c->mean, c->n_sizes);
    doubles(b, "select.se", c->se, c->n_sizes);
    for (size_t f = 0; f < c->folds; f++)
        doubles(b, "select.fold_loss", c->fold_loss + f * c->n_sizes,
                c->n_sizes);
    key_size(b, "select.lowest", c->sizes[fsnsa_select_lowest(c)]);
    key_size(b, "select.chosen", c->k);
}

/* The whole file: the body under the C locale, then its checksum. */
static fsnsa_status write_model(fsnsa__strbuf *b, const fsnsa_model *m,
                                fsnsa_error *err)
{
    fsnsa__c_locale loc;
    if (!fsnsa__c_locale_enter(&loc))
        return fsnsa__nomem(err, "the C locale");
    write_training(b, m);
    if (fsnsa__read_recorded(&m->read))
        write_read(b, &m->read);
    write_schema(b, &m->schema);
    write_scaler(b, &m->scaler);
    write_net(b, m->net);
    write_importance(b, m);
    write_validation(b, m);
    write_recall(b, m);
    write_curve(b, fsnsa__curve_names()[0], &m->select_features);
    write_curve(b, fsnsa__curve_names()[1], &m->select_hidden);
    if (fsnsa__model_has_1_6(m))
        key_name(b, "refit", fsnsa_refit_name(m->refit));
    fsnsa__c_locale_leave(&loc);
    if (!b->oom) {
        char t[32];
        snprintf(t, sizeof t, "crc32 %08lx\n",
                 (unsigned long)fsnsa__crc32(b->p, b->len));
        fsnsa__sb_str(b, t);
    }
    if (b->oom)
        return fsnsa__nomem(err, "the model file text");
    return FSNSA_OK;
}

fsnsa_status fsnsa_model_save(const fsnsa_model *m, const char *path,
                              fsnsa_error *err)
{
    if (path == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no model file name");
    fsnsa_status st = fsnsa__model_check(m, err);
    if (st != FSNSA_OK)
        return st;
    fsnsa__strbuf b = {0};
    st = write_model(&b, m, err);
    if (st == FSNSA_OK)
        st = fsnsa__write_atomic(path, b.p, b.len, err);
    fsnsa__sb_free(&b);
    return st;
}

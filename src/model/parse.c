/* The body of a model file, section by section in the order write.c
 * writes it: the training options, the read record (1.1), the schema,
 * the scaler, the network. Every count is checked against its limit and
 * against the bytes left before anything is allocated for it. */
#include "tokens.h"

#include "nn/network.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* 1.4, optional: "train.task regression", "target_mean M", "target_sd
 * S" (without them a classification). */
static fsnsa_status parse_task(fsnsa__tokens *r, fsnsa_model *m)
{
    m->options.task = FSNSA_TASK_CLASSIFICATION;
    m->target_mean = 0.0;
    m->target_sd = 1.0;
    if (r->minor < 4 || !fsnsa__tok_optional(r, "train.task"))
        return FSNSA_OK;
    const char *const *tasks = fsnsa_task_names();
    int e = 0;
    TRY(fsnsa__tok_enum(r, tasks, fsnsa__count_names(tasks), &e, "task"));
    TRY(fsnsa__tok_end(r));
    if (e != FSNSA_TASK_REGRESSION)
        return BAD(r, "train.task is written only for regression");
    m->options.task = FSNSA_TASK_REGRESSION;
    TRY(fsnsa__tok_key_double(r, "target_mean", &m->target_mean, false));
    TRY(fsnsa__tok_key_double(r, "target_sd", &m->target_sd, false));
    if (!(m->target_sd > 0) || !isfinite(m->target_mean))
        return BAD(r, "target_sd must be > 0 and target_mean finite");
    return FSNSA_OK;
}

static fsnsa_status parse_training(fsnsa__tokens *r, fsnsa_model *m)
{
    fsnsa_train_options *o = &m->options;
    const char *const *methods = fsnsa_method_names();
    const char *const *missing = fsnsa_missing_names();
    size_t v = 0;
    int e = 0;
    TRY(fsnsa__tok_expect(r, "created_by")); /* informational, rest of line ignored */
    TRY(fsnsa__tok_key_enum(r, "train.method", methods,
                            fsnsa__count_names(methods), &e));
    o->method = (fsnsa_method)e;
    TRY(fsnsa__tok_key_size(r, "train.hidden", &o->hidden, SIZE_MAX));
    TRY(fsnsa__tok_key_size(r, "train.start_hidden", &o->start_hidden, SIZE_MAX));
    TRY(fsnsa__tok_key_size(r, "train.features", &o->features, SIZE_MAX));
    TRY(fsnsa__tok_key_size(r, "train.epochs", &v, INT_MAX));
    o->epochs = (int)v;
    TRY(fsnsa__tok_key_double(r, "train.mu", &o->mu, false));
    TRY(fsnsa__tok_key_size(r, "train.batch", &o->batch, SIZE_MAX));
    TRY(fsnsa__tok_key_double(r, "train.lr", &o->lr, false));
    TRY(fsnsa__tok_key_double(r, "train.beta1", &o->beta1, false));
    TRY(fsnsa__tok_key_double(r, "train.beta2", &o->beta2, false));
    TRY(fsnsa__tok_key_double(r, "train.eps", &o->eps, false));
    TRY(fsnsa__tok_key_double(r, "train.weight_decay", &o->weight_decay, false));
    TRY(fsnsa__tok_expect(r, "train.seed"));
    TRY(fsnsa__tok_u64(r, &o->seed, "train.seed"));
    TRY(fsnsa__tok_end(r));
    TRY(fsnsa__tok_key_size(r, "train.shuffle", &v, SIZE_MAX));
    if (v > 1)
        return BAD(r, "train.shuffle must be 0 or 1");
    o->shuffle = (int)v;
    /* 1.3, optional: without it the paper's variant trained the model */
    o->variant = FSNSA_VARIANT_PAPER;
    if (r->minor >= 3 && fsnsa__tok_optional(r, "train.variant")) {
        const char *const *variants = fsnsa_variant_names();
        TRY(fsnsa__tok_enum(r, variants, fsnsa__count_names(variants), &e,
                            "variant"));
        o->variant = (fsnsa_variant)e;
        TRY(fsnsa__tok_end(r));
    }
    TRY(parse_task(r, m));
    TRY(fsnsa__tok_key_double(r, "train_loss", &m->train_loss, true));
    TRY(fsnsa__tok_key_enum(r, "missing", missing,
                            fsnsa__count_names(missing), &e));
    m->missing = (fsnsa_missing)e;
    return FSNSA_OK;
}

/* "read.label SOURCE FIELD", FIELD '-' when the label is not in a field. */
static fsnsa_status parse_read_label(fsnsa__tokens *r, fsnsa_layout *l)
{
    const char *const *sources = fsnsa_label_source_names();
    int e = 0;
    TRY(fsnsa__tok_expect(r, "read.label"));
    TRY(fsnsa__tok_enum(r, sources, fsnsa__count_names(sources), &e,
                        "label source"));
    l->label = (fsnsa_label_source)e;
    const char *w;
    size_t save = r->at, n = fsnsa__tok_word(r, &w);
    if (n == 1 && w[0] == '-') {
        l->label_field = SIZE_MAX;
    } else {
        r->at = save;
        TRY(fsnsa__tok_size(r, &l->label_field, SIZE_MAX - 1, "label field"));
    }
    return fsnsa__tok_end(r);
}

/* The read.* lines after the read.format key just found (format 1.1);
 * fsnsa__read_record_problem checks them once the schema is known. */
static fsnsa_status parse_read_record(fsnsa__tokens *r, fsnsa_read_record *rec)
{
    const char *const *formats = fsnsa_format_names();
    fsnsa_layout *l = &rec->layout;
    int e = 0;
    if (r->minor < 1)
        return BAD(r, "read.format is a line of model format 1.1, this file "
                      "says 1.%u", r->minor);
    TRY(fsnsa__tok_enum(r, formats, fsnsa__count_names(formats), &e,
                        "data format"));
    if (e == FSNSA_FORMAT_AUTO)
        return BAD(r, "read.format must name the format the data was read in");
    TRY(fsnsa__tok_end(r));
    l->format = (fsnsa_format)e;
    TRY(fsnsa__tok_expect(r, "read.delimiter"));
    TRY(fsnsa__tok_char(r, &l->delimiter, "read.delimiter"));
    TRY(fsnsa__tok_end(r));
    TRY(fsnsa__tok_expect(r, "read.decimal"));
    TRY(fsnsa__tok_char(r, &l->decimal, "read.decimal"));
    TRY(fsnsa__tok_end(r));
    TRY(fsnsa__tok_key_enum(r, "read.header", fsnsa__read_header_names(), 3, &e));
    l->header = e - 1;
    TRY(fsnsa__tok_key_size(r, "read.fields", &l->fields, SIZE_MAX - 1));
    TRY(parse_read_label(r, l));
    for (const fsnsa__read_string *s = fsnsa__read_strings(); s->key != NULL; s++) {
        char *v = NULL;
        if (!fsnsa__tok_optional(r, s->key))
            continue;
        TRY(fsnsa__tok_string(r, &v, s->key));
        fsnsa__set_str_at(rec, s->record, v);
        TRY(fsnsa__tok_end(r));
    }
    fsnsa__read_record_label_column(rec);
    return FSNSA_OK;
}

/* "column NAME nominal N" and its N value lines (after the name). */
static fsnsa_status parse_values(fsnsa__tokens *r, fsnsa_column *c)
{
    size_t n = 0;
    TRY(fsnsa__tok_size(r, &n, MODEL_MAX_WIDTH, "number of values"));
    TRY(fsnsa__tok_end(r));
    TRY(fsnsa__tok_room(r, n, 8, "value lines"));
    if ((c->values = fsnsa__calloc(n, sizeof *c->values)) == NULL)
        return fsnsa__nomem(r->err, "nominal values");
    c->n_values = n;
    for (size_t v = 0; v < n; v++)
        TRY(fsnsa__tok_key_string(r, "value", &c->values[v]));
    return FSNSA_OK;
}

static fsnsa_status parse_columns(fsnsa__tokens *r, fsnsa_schema *s,
                                  size_t *width)
{
    static const char *const kinds[] = {"numeric", "nominal"};
    size_t n = 0;
    TRY(fsnsa__tok_key_size(r, "columns", &n, MODEL_MAX_WIDTH));
    TRY(fsnsa__tok_room(r, n, 8, "column lines"));
    if ((s->columns = fsnsa__calloc(n, sizeof *s->columns)) == NULL)
        return fsnsa__nomem(r->err, "columns");
    s->n_columns = n;
    *width = 0;
    for (size_t i = 0; i < s->n_columns; i++) {
        fsnsa_column *c = &s->columns[i];
        int kind = 0;
        TRY(fsnsa__tok_expect(r, "column"));
        TRY(fsnsa__tok_string(r, &c->name, "column name"));
        TRY(fsnsa__tok_enum(r, kinds, 2, &kind, "column kind"));
        c->kind = kind == 0 ? FSNSA_COL_NUMERIC : FSNSA_COL_NOMINAL;
        if (c->kind == FSNSA_COL_NUMERIC) {
            TRY(fsnsa__tok_end(r));
            (*width)++;
            continue;
        }
        TRY(parse_values(r, c));
        *width += c->n_values;
        if (*width > MODEL_MAX_WIDTH)
            return fsnsa__tok_fail(r, r->lineno, FSNSA_ERR_LIMIT,
                                   "the columns encode more than %zu columns",
                                   MODEL_MAX_WIDTH);
    }
    return FSNSA_OK;
}

static fsnsa_status parse_schema(fsnsa__tokens *r, fsnsa_schema *s)
{
    size_t n = 0, width = 0;
    TRY(fsnsa__tok_key_string(r, "label", &s->label_name));
    TRY(fsnsa__tok_key_size(r, "classes", &n, MODEL_MAX_CLASSES));
    if (n == 1)
        return BAD(r, "a model needs 0 (unnamed) or at least 2 classes");
    TRY(fsnsa__tok_room(r, n, 8, "class lines"));
    if ((s->class_names = fsnsa__calloc(n, sizeof *s->class_names)) == NULL)
        return fsnsa__nomem(r->err, "class names");
    s->n_classes = n;
    for (size_t k = 0; k < n; k++)
        TRY(fsnsa__tok_key_string(r, "class", &s->class_names[k]));
    TRY(parse_columns(r, s, &width));
    TRY(fsnsa__tok_key_size(r, "encoded_width", &s->p, MODEL_MAX_WIDTH));
    if (s->p == 0)
        return BAD(r, "encoded_width must be at least 1");
    if (s->n_columns > 0 && width != s->p)
        return BAD(r, "the columns encode %zu columns, not %zu", width, s->p);
    return FSNSA_OK;
}

static fsnsa_status parse_scaler(fsnsa__tokens *r, fsnsa_scaler *sc,
                                 size_t width)
{
    const char *const *scales = fsnsa_scale_names();
    int kind = 0;
    size_t p = 0;
    TRY(fsnsa__tok_expect(r, "scale"));
    TRY(fsnsa__tok_enum(r, scales, fsnsa__count_names(scales), &kind,
                        "scaling"));
    TRY(fsnsa__tok_size(r, &p, MODEL_MAX_WIDTH, "scaler width"));
    TRY(fsnsa__tok_end(r));
    if (p != width)
        return BAD(r, "scaler has %zu columns, the schema encodes %zu", p, width);
    TRY(fsnsa__tok_room(r, p, 6, "scaler values")); /* three lines of p numbers */
    sc->kind = (fsnsa_scale)kind;
    sc->shift = fsnsa__alloc(p, sizeof(float));
    sc->mult = fsnsa__alloc(p, sizeof(float));
    sc->fill = fsnsa__alloc(p, sizeof(float));
    if (!sc->shift || !sc->mult || !sc->fill)
        return fsnsa__nomem(r->err, "the scaler");
    sc->p = p;
    TRY(fsnsa__tok_expect(r, "shift"));
    TRY(fsnsa__tok_floats(r, sc->shift, p, "shift"));
    TRY(fsnsa__tok_expect(r, "mult"));
    TRY(fsnsa__tok_floats(r, sc->mult, p, "mult"));
    TRY(fsnsa__tok_expect(r, "fill"));
    return fsnsa__tok_floats(r, sc->fill, p, "fill");
}

/* The network's sizes: p_in, p, h, n_classes, n_out, each checked against
 * the schema and the others; then room for all the numbers that follow. */
typedef struct {
    size_t p_in, p, h, n_classes, n_out;
} net_sizes;

static fsnsa_status parse_net_sizes(fsnsa__tokens *r, const fsnsa_schema *s,
                                    fsnsa_task task, net_sizes *z)
{
    bool reg = task == FSNSA_TASK_REGRESSION;
    size_t cells, bsz, total;
    TRY(fsnsa__tok_key_size(r, "p_in", &z->p_in, MODEL_MAX_WIDTH));
    if (z->p_in != s->p)
        return BAD(r, "p_in %zu differs from the encoded width %zu", z->p_in,
                   s->p);
    TRY(fsnsa__tok_key_size(r, "p", &z->p, MODEL_MAX_WIDTH));
    if (z->p == 0 || z->p > z->p_in)
        return BAD(r, "p = %zu is outside [1, p_in = %zu]", z->p, z->p_in);
    TRY(fsnsa__tok_key_size(r, "h", &z->h, MODEL_MAX_HIDDEN));
    if (z->h == 0)
        return BAD(r, "h must be at least 1");
    size_t nc = 0;
    TRY(fsnsa__tok_key_size(r, "n_classes", &nc, MODEL_MAX_CLASSES));
    if (reg ? nc != 1 : nc < 2)
        return BAD(r, reg ? "n_classes must be 1 for regression"
                          : "n_classes must be at least 2");
    if (s->n_classes != 0 && s->n_classes != nc)
        return BAD(r, "n_classes %zu differs from the %zu class names", nc,
                   s->n_classes);
    z->n_classes = nc;
    TRY(fsnsa__tok_key_size(r, "n_out", &z->n_out, MODEL_MAX_CLASSES));
    if (z->n_out != (nc <= 2 ? 1 : nc))
        return BAD(r, "n_out must be %zu for %zu classes", nc <= 2 ? (size_t)1 : nc, nc);
    /* Limits above keep these products far from overflow; checked anyway. */
    if (!fsnsa__mul(z->h, z->p, &cells) || !fsnsa__mul(z->h, z->n_out, &bsz) ||
        !fsnsa__add(cells, bsz, &total) ||
        !fsnsa__add(total, z->h + z->p + z->n_out, &total))
        return fsnsa__tok_fail(r, r->lineno, FSNSA_ERR_LIMIT, "network too large");
    return fsnsa__tok_room(r, total, 2, "network numbers");
}

static fsnsa_status parse_features(fsnsa__tokens *r, size_t *features,
                                   size_t p, size_t p_in)
{
    TRY(fsnsa__tok_expect(r, "features"));
    for (size_t i = 0; i < p; i++) {
        TRY(fsnsa__tok_size(r, &features[i], SIZE_MAX, "feature index"));
        if (features[i] >= p_in || (i > 0 && features[i] <= features[i - 1]))
            return BAD(r, "feature %zu: indices must ascend strictly and be below p_in = %zu",
                       i + 1, p_in);
    }
    return fsnsa__tok_end(r);
}

/* "key ROWS COLS" (which must be the sizes given, named in `shape`), then
 * ROWS lines of COLS numbers. */
static fsnsa_status parse_matrix(fsnsa__tokens *r, const char *key,
                                 const char *shape, float *v, size_t h,
                                 size_t cols_want)
{
    size_t rows = 0, cols = 0;
    char what[32];
    TRY(fsnsa__tok_expect(r, key));
    snprintf(what, sizeof what, "%s rows", key);
    TRY(fsnsa__tok_size(r, &rows, SIZE_MAX, what));
    snprintf(what, sizeof what, "%s columns", key);
    TRY(fsnsa__tok_size(r, &cols, SIZE_MAX, what));
    TRY(fsnsa__tok_end(r));
    if (rows != h || cols != cols_want)
        return BAD(r, "%s is %zu x %zu, expected %s = %zu x %zu", key, rows,
                   cols, shape, h, cols_want);
    snprintf(what, sizeof what, "%s row", key);
    for (size_t j = 0; j < h; j++) {
        if (!fsnsa__tok_next_line(r))
            return fsnsa__tok_fail(r, r->lineno + 1, FSNSA_ERR_FORMAT,
                                   "row %zu of %s missing", j + 1, key);
        TRY(fsnsa__tok_floats(r, v + j * cols_want, cols_want, what));
    }
    return FSNSA_OK;
}

static fsnsa_status parse_net(fsnsa__tokens *r, fsnsa_model *m)
{
    net_sizes z;
    TRY(parse_net_sizes(r, &m->schema, m->options.task, &z));
    TRY(fsnsa__net_alloc(z.p_in, z.p, z.h, z.n_classes, &m->net, r->err));
    fsnsa_net *net = m->net;
    TRY(parse_features(r, net->features, z.p, z.p_in));
    TRY(parse_matrix(r, "W", "h x p", net->W, z.h, z.p));
    TRY(fsnsa__tok_expect(r, "b"));
    TRY(fsnsa__tok_floats(r, net->b, z.h, "b"));
    TRY(parse_matrix(r, "beta", "h x n_out", net->beta, z.h, z.n_out));
    TRY(fsnsa__tok_expect(r, "c"));
    return fsnsa__tok_floats(r, net->c, z.n_out, "c");
}

/* "drop_epoch E..." then "relevance R...", p_in each (1.2, optional). */
static fsnsa_status parse_drop(fsnsa__tokens *r, fsnsa_model *m)
{
    size_t p_in = m->net->p_in;
    TRY(fsnsa__tok_room(r, p_in, 2, "drop epochs"));
    m->drop_epoch = fsnsa__calloc(p_in > 0 ? p_in : 1, sizeof(int));
    m->relevance = fsnsa__calloc(p_in > 0 ? p_in : 1, sizeof(float));
    if (m->drop_epoch == NULL || m->relevance == NULL)
        return fsnsa__nomem(r->err, "the importance of the columns");
    for (size_t i = 0; i < p_in; i++) {
        size_t e = 0;
        TRY(fsnsa__tok_size(r, &e, (size_t)m->options.epochs, "drop epoch"));
        m->drop_epoch[i] = (int)e;
    }
    TRY(fsnsa__tok_end(r));
    TRY(fsnsa__tok_expect(r, "relevance"));
    return fsnsa__tok_floats(r, m->relevance, p_in, "relevance");
}

/* "restarts R" then "stability S..." (1.2, optional): scores in [0, 1]. */
static fsnsa_status parse_stability(fsnsa__tokens *r, fsnsa_model *m)
{
    size_t p_in = m->net->p_in;
    TRY(fsnsa__tok_size(r, &m->restarts, SIZE_MAX, "restarts"));
    TRY(fsnsa__tok_end(r));
    if (m->restarts == 0)
        return BAD(r, "restarts must be at least 1");
    TRY(fsnsa__tok_expect(r, "stability"));
    TRY(fsnsa__tok_room(r, p_in, 2, "stability scores"));
    m->stability = fsnsa__calloc(p_in > 0 ? p_in : 1, sizeof(float));
    if (m->stability == NULL)
        return fsnsa__nomem(r->err, "the stability scores");
    TRY(fsnsa__tok_floats(r, m->stability, p_in, "stability"));
    for (size_t i = 0; i < p_in; i++)
        if (!(m->stability[i] >= 0 && m->stability[i] <= 1))
            return BAD(r, "stability %zu is not in [0, 1]", i + 1);
    return FSNSA_OK;
}

/* The lines of format 1.2 after the network, each optional, in order. */
static fsnsa_status parse_importance(fsnsa__tokens *r, fsnsa_model *m)
{
    if (r->minor < 2)
        return FSNSA_OK;
    if (fsnsa__tok_optional(r, "drop_epoch"))
        TRY(parse_drop(r, m));
    if (fsnsa__tok_optional(r, "restarts"))
        TRY(parse_stability(r, m));
    return FSNSA_OK;
}

/* "class_weight MODE" then "class_weights W..." (1.3, optional). */
static fsnsa_status parse_class_weights(fsnsa__tokens *r, fsnsa_model *m)
{
    const char *const *modes = fsnsa_class_weight_names();
    size_t C = m->net->n_classes;
    int e = 0;
    TRY(fsnsa__tok_enum(r, modes, fsnsa__count_names(modes), &e,
                        "class_weight"));
    TRY(fsnsa__tok_end(r));
    if (e == FSNSA_CLASS_WEIGHT_NONE)
        return BAD(r, "class_weight none has no weights to list");
    m->options.class_weight = (fsnsa_class_weight)e;
    TRY(fsnsa__tok_expect(r, "class_weights"));
    TRY(fsnsa__tok_room(r, C, 2, "class weights"));
    m->class_weights = fsnsa__calloc(C, sizeof(float));
    if (m->class_weights == NULL)
        return fsnsa__nomem(r->err, "the class weights");
    m->options.class_weights = m->class_weights;
    TRY(fsnsa__tok_floats(r, m->class_weights, C, "class_weights"));
    for (size_t c = 0; c < C; c++)
        if (!(m->class_weights[c] >= 0))
            return BAD(r, "class weight %zu is negative", c + 1);
    return FSNSA_OK;
}

/* "validation_fraction F", "keep K", "early_stopping E", "chosen_epoch
 * E", "validation_loss L", "validation_accuracy A" (1.3, optional). */
static fsnsa_status parse_validation(fsnsa__tokens *r, fsnsa_model *m)
{
    fsnsa_train_options *o = &m->options;
    const char *const *keeps = fsnsa_keep_names();
    size_t v = 0;
    int e = 0;
    TRY(fsnsa__tok_double(r, &o->validation_fraction, false,
                          "validation_fraction"));
    TRY(fsnsa__tok_end(r));
    if (!(o->validation_fraction > 0 && o->validation_fraction < 1))
        return BAD(r, "validation_fraction must be in (0, 1)");
    TRY(fsnsa__tok_key_enum(r, "keep", keeps, fsnsa__count_names(keeps), &e));
    o->keep = (fsnsa_keep)e;
    TRY(fsnsa__tok_key_size(r, "early_stopping", &v, INT_MAX));
    o->early_stopping = (int)v;
    TRY(fsnsa__tok_key_size(r, "chosen_epoch", &v, (size_t)o->epochs));
    m->chosen_epoch = (int)v;
    TRY(fsnsa__tok_key_double(r, "validation_loss", &m->validation_loss, true));
    return fsnsa__tok_key_double(r, "validation_accuracy",
                                 &m->validation_accuracy, true);
}

static fsnsa_status parse_1_3(fsnsa__tokens *r, fsnsa_model *m)
{
    m->validation_loss = m->validation_accuracy = NAN;
    if (r->minor < 3)
        return FSNSA_OK;
    if (fsnsa__tok_optional(r, "class_weight"))
        TRY(parse_class_weights(r, m));
    if (fsnsa__tok_optional(r, "validation_fraction"))
        TRY(parse_validation(r, m));
    return FSNSA_OK;
}

/* A recall or balanced accuracy: nan (no rows) or in [0, 1]. */
static fsnsa_status share(fsnsa__tokens *r, double *v, const char *what)
{
    TRY(fsnsa__tok_double(r, v, true, what));
    if (!isnan(*v) && !(*v >= 0 && *v <= 1))
        return BAD(r, "%s must be in [0, 1] or nan", what);
    return FSNSA_OK;
}

/* "recall_rows R", "balanced_accuracy B", "recall" + n_classes values
 * (1.4, optional); validation rows need a validation split. */
static fsnsa_status parse_recall(fsnsa__tokens *r, fsnsa_model *m)
{
    static const char *const rows[] = {"training", "validation"};
    size_t C = m->net->n_classes;
    int e = 0;
    TRY(fsnsa__tok_enum(r, rows, 2, &e, "recall rows"));
    TRY(fsnsa__tok_end(r));
    if (e == 1 && !(m->options.validation_fraction > 0))
        return BAD(r, "recall_rows validation without a validation_fraction");
    m->recall_on_validation = e;
    TRY(fsnsa__tok_expect(r, "balanced_accuracy"));
    TRY(share(r, &m->balanced_accuracy, "balanced_accuracy"));
    TRY(fsnsa__tok_end(r));
    TRY(fsnsa__tok_expect(r, "recall"));
    TRY(fsnsa__tok_room(r, C, 2, "recalls"));
    m->recall = fsnsa__calloc(C, sizeof *m->recall);
    if (m->recall == NULL)
        return fsnsa__nomem(r->err, "the recall of the classes");
    for (size_t c = 0; c < C; c++)
        TRY(share(r, &m->recall[c], "recall"));
    return fsnsa__tok_end(r);
}

static fsnsa_status parse_1_4(fsnsa__tokens *r, fsnsa_model *m)
{
    m->balanced_accuracy = NAN;
    if (r->minor >= 4 && fsnsa__tok_optional(r, "recall_rows"))
        TRY(parse_recall(r, m));
    return FSNSA_OK;
}

/* 1.6, optional: without it the network is the training's own. */
static fsnsa_status parse_1_6(fsnsa__tokens *r, fsnsa_model *m)
{
    m->refit = FSNSA_REFIT_NONE;
    if (r->minor < 6 || !fsnsa__tok_optional(r, "refit"))
        return FSNSA_OK;
    const char *const *names = fsnsa_refit_names();
    int e = 0;
    TRY(fsnsa__tok_enum(r, names, fsnsa__count_names(names), &e, "refit"));
    m->refit = (fsnsa_refit)e;
    return fsnsa__tok_end(r);
}

fsnsa_status fsnsa__model_parse_body(fsnsa__tokens *r, fsnsa_model *m)
{
    TRY(parse_training(r, m));
    size_t read_line = 0;
    if (fsnsa__tok_optional(r, "read.format")) {
        read_line = r->lineno;
        TRY(parse_read_record(r, &m->read));
    }
    TRY(parse_schema(r, &m->schema));
    if (fsnsa__read_recorded(&m->read)) {
        char buf[FSNSA_ERRMSG_MAX];
        const char *why = fsnsa__read_record_problem(&m->read, &m->schema, buf,
                                                     sizeof buf);
        if (why != NULL)
            return fsnsa__tok_fail(r, read_line, FSNSA_ERR_FORMAT,
                                   "the read.* lines contradict each other or "
                                   "the columns: %s", why);
    }
    TRY(parse_scaler(r, &m->scaler, m->schema.p));
    TRY(parse_net(r, m));
    TRY(parse_importance(r, m));
    TRY(parse_1_3(r, m));
    TRY(parse_1_4(r, m));
    TRY(fsnsa__curve_parse(r, m));
    TRY(parse_1_6(r, m));
    /* Nothing may follow but the checksum, except a newer minor's lines. */
    while (fsnsa__tok_next_line(r)) {
        const char *w;
        size_t n = fsnsa__tok_word(r, &w);
        if (fsnsa__tok_newer(r, w, n))
            continue;
        char t[48];
        fsnsa__tok_show(w, n, t, sizeof t);
        return BAD(r, "unexpected %s after the network", t);
    }
    return FSNSA_OK;
}

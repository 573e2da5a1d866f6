/* What fsnsa_model_save refuses: everything the loader (parse.c) would
 * refuse, checked on the model in memory, so that a model that was
 * written can always be read back. The messages name the field, as the
 * model was put together by a program rather than read from a file. */
#include "model.h"

#include <math.h>

#define REFUSE(...) return fsnsa__fail(err, FSNSA_ERR_ARG, __VA_ARGS__)

static bool all_finite(const float *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return false;
    return true;
}

static fsnsa_status check_net(const fsnsa_net *n, fsnsa_task task,
                              fsnsa_error *err)
{
    bool reg = task == FSNSA_TASK_REGRESSION;
    if (n->p_in == 0 || n->p_in > MODEL_MAX_WIDTH || n->p == 0 ||
        n->p > n->p_in || n->h == 0 || n->h > MODEL_MAX_HIDDEN ||
        (reg ? n->n_classes != 1 : n->n_classes < 2) ||
        n->n_classes > MODEL_MAX_CLASSES)
        REFUSE("network sizes out of range: p_in %zu, p %zu, h %zu, %zu classes",
               n->p_in, n->p, n->h, n->n_classes);
    if (n->n_out != (n->n_classes <= 2 ? 1 : n->n_classes))
        REFUSE("network has %zu outputs for %zu classes", n->n_out, n->n_classes);
    if (!n->features || !n->W || !n->b || !n->beta || !n->c)
        REFUSE("network has a missing array");
    for (size_t i = 0; i < n->p; i++)
        if (n->features[i] >= n->p_in || (i > 0 && n->features[i] <= n->features[i - 1]))
            REFUSE("network features are not ascending indices below %zu", n->p_in);
    if (!all_finite(n->W, n->h * n->p) || !all_finite(n->b, n->h) ||
        !all_finite(n->beta, n->h * n->n_out) || !all_finite(n->c, n->n_out))
        REFUSE("network has a NaN or infinite weight");
    return FSNSA_OK;
}

/* The raw columns must encode exactly the p_in columns the network reads. */
static fsnsa_status check_schema(const fsnsa_schema *s, const fsnsa_net *n,
                                 fsnsa_error *err)
{
    if (s->p != n->p_in)
        REFUSE("schema encodes %zu columns, network reads %zu", s->p, n->p_in);
    if (s->n_classes != 0 && s->n_classes != n->n_classes)
        REFUSE("schema names %zu classes, network has %zu", s->n_classes, n->n_classes);
    if (s->n_classes != 0 && s->class_names == NULL)
        REFUSE("schema has no class names array");
    if (s->n_columns > MODEL_MAX_WIDTH || (s->n_columns > 0 && s->columns == NULL))
        REFUSE("schema columns out of range");
    size_t width = 0;
    for (size_t i = 0; i < s->n_columns; i++) {
        const fsnsa_column *c = &s->columns[i];
        if (c->kind == FSNSA_COL_NUMERIC) {
            if (c->n_values != 0)
                REFUSE("numeric column %zu has nominal values", i);
            width++;
        } else if (c->kind == FSNSA_COL_NOMINAL) {
            if (c->n_values > MODEL_MAX_WIDTH || (c->n_values > 0 && c->values == NULL))
                REFUSE("nominal column %zu has a bad value list", i);
            width += c->n_values;
        } else {
            REFUSE("column %zu has unknown kind %d", i, (int)c->kind);
        }
        if (width > MODEL_MAX_WIDTH)
            REFUSE("schema too wide");
    }
    if (s->n_columns > 0 && width != s->p)
        REFUSE("schema columns encode %zu columns, not %zu", width, s->p);
    return FSNSA_OK;
}

static fsnsa_status check_scaler(const fsnsa_scaler *sc, const fsnsa_net *n,
                                 fsnsa_error *err)
{
    if ((unsigned)sc->kind >= fsnsa__count_names(fsnsa_scale_names()))
        REFUSE("unknown scaling %d", (int)sc->kind);
    if (sc->p != n->p_in)
        REFUSE("scaler has %zu columns, network reads %zu", sc->p, n->p_in);
    if (!sc->shift || !sc->mult || !sc->fill)
        REFUSE("scaler has a missing array");
    if (!all_finite(sc->shift, sc->p) || !all_finite(sc->mult, sc->p) ||
        !all_finite(sc->fill, sc->p))
        REFUSE("scaler has a NaN or infinite value");
    return FSNSA_OK;
}

/* The training options and the missing-value mode, as the file stores them. */
static fsnsa_status check_options(const fsnsa_model *m, fsnsa_error *err)
{
    const fsnsa_train_options *o = &m->options;
    if ((unsigned)o->method >= fsnsa__count_names(fsnsa_method_names()))
        REFUSE("unknown method %d", (int)o->method);
    if ((unsigned)m->missing >= fsnsa__count_names(fsnsa_missing_names()))
        REFUSE("unknown missing-value mode %d", (int)m->missing);
    if (o->epochs < 0 || o->shuffle < 0 || o->shuffle > 1 || !isfinite(o->mu) ||
        !isfinite(o->lr) || !isfinite(o->beta1) || !isfinite(o->beta2) ||
        !isfinite(o->eps) || !isfinite(o->weight_decay))
        REFUSE("training options out of range (epochs < 0, shuffle not 0/1, "
               "or a non-finite number)");
    return FSNSA_OK;
}

/* The 1.2 arrays as the reader takes them back. */
static fsnsa_status check_importance(const fsnsa_model *m, fsnsa_error *err)
{
    size_t p_in = m->net->p_in;
    if ((m->drop_epoch == NULL) != (m->relevance == NULL))
        REFUSE("drop epochs without relevances, or the other way round");
    for (size_t i = 0; m->drop_epoch != NULL && i < p_in; i++)
        if (m->drop_epoch[i] < 0 || m->drop_epoch[i] > m->options.epochs)
            REFUSE("column %zu: drop epoch %d outside [0, %d]", i,
                   m->drop_epoch[i], m->options.epochs);
    if ((m->stability == NULL) != (m->restarts == 0))
        REFUSE("stability scores need restarts >= 1, and the other way round");
    for (size_t i = 0; m->stability != NULL && i < p_in; i++)
        if (!(m->stability[i] >= 0 && m->stability[i] <= 1))
            REFUSE("column %zu: stability %g not in [0, 1]", i,
                   (double)m->stability[i]);
    return FSNSA_OK;
}

/* The 1.3 lines as the reader takes them back. */
static fsnsa_status check_validation(const fsnsa_model *m, fsnsa_error *err)
{
    const fsnsa_train_options *o = &m->options;
    if (m->class_weights != NULL &&
        (o->class_weight != FSNSA_CLASS_WEIGHT_BALANCED &&
         o->class_weight != FSNSA_CLASS_WEIGHT_GIVEN))
        REFUSE("class weights without a class weight mode");
    for (size_t c = 0; m->class_weights != NULL && c < m->net->n_classes; c++)
        if (!(m->class_weights[c] >= 0 && isfinite(m->class_weights[c])))
            REFUSE("class %zu: weight %g is not finite and >= 0", c,
                   (double)m->class_weights[c]);
    if (!(o->validation_fraction >= 0 && o->validation_fraction < 1) ||
        o->early_stopping < 0 || (int)o->keep < 0 || o->keep > FSNSA_KEEP_BEST)
        REFUSE("validation options out of range");
    if (m->chosen_epoch < 0 || m->chosen_epoch > o->epochs)
        REFUSE("chosen epoch %d outside [0, %d]", m->chosen_epoch, o->epochs);
    return FSNSA_OK;
}

static bool is_share(double v)
{
    return isnan(v) || (v >= 0 && v <= 1);
}

/* The 1.4 lines as the reader takes them back. */
static fsnsa_status check_recall(const fsnsa_model *m, fsnsa_error *err)
{
    if (m->recall == NULL)
        return FSNSA_OK;
    if (m->recall_on_validation && !(m->options.validation_fraction > 0))
        REFUSE("recall on validation rows without a validation split");
    if (!is_share(m->balanced_accuracy))
        REFUSE("balanced accuracy %g not in [0, 1]", m->balanced_accuracy);
    for (size_t c = 0; c < m->net->n_classes; c++)
        if (!is_share(m->recall[c]))
            REFUSE("class %zu: recall %g not in [0, 1]", c, m->recall[c]);
    return FSNSA_OK;
}

/* The 1.5 curves as the reader takes them back. */
static fsnsa_status check_curves(const fsnsa_model *m, fsnsa_error *err)
{
    const fsnsa_select_result *c[2] = {&m->select_features, &m->select_hidden};
    size_t max[2] = {m->net->p_in, MODEL_MAX_HIDDEN};
    for (int i = 0; i < 2; i++) {
        const char *why = c[i]->n_sizes > 0
                              ? fsnsa__curve_problem(c[i], max[i]) : NULL;
        if (why != NULL)
            REFUSE("the curve that chose %s: %s",
                   fsnsa__curve_names()[i], why);
    }
    return FSNSA_OK;
}

fsnsa_status fsnsa__model_check(const fsnsa_model *m, fsnsa_error *err)
{
    if (m == NULL || m->net == NULL)
        REFUSE("cannot save a model without a network");
    fsnsa_status st;
    if ((unsigned)m->options.task >= fsnsa__count_names(fsnsa_task_names()))
        REFUSE("unknown task %d", (int)m->options.task);
    if ((unsigned)m->refit >= fsnsa__count_names(fsnsa_refit_names()))
        REFUSE("unknown refit %d", (int)m->refit);
    if (m->options.task == FSNSA_TASK_REGRESSION &&
        !(m->target_sd > 0 && isfinite(m->target_sd) &&
          isfinite(m->target_mean)))
        REFUSE("target scaling: sd %g must be finite and > 0, mean %g finite",
               m->target_sd, m->target_mean);
    if ((st = check_net(m->net, m->options.task, err)) != FSNSA_OK ||
        (st = check_schema(&m->schema, m->net, err)) != FSNSA_OK ||
        (st = check_scaler(&m->scaler, m->net, err)) != FSNSA_OK ||
        (st = check_options(m, err)) != FSNSA_OK ||
        (st = check_importance(m, err)) != FSNSA_OK ||
        (st = check_validation(m, err)) != FSNSA_OK ||
        (st = check_recall(m, err)) != FSNSA_OK ||
        (st = check_curves(m, err)) != FSNSA_OK)
        return st;
    char buf[FSNSA_ERRMSG_MAX];
    const char *why = fsnsa__read_recorded(&m->read)
                          ? fsnsa__read_record_problem(&m->read, &m->schema,
                                                       buf, sizeof buf)
                          : NULL;
    if (why != NULL)
        REFUSE("the record of how the data was read is inconsistent: %s", why);
    return FSNSA_OK;
}

/* Fitting a model and predicting with it: the steps between a data set
 * and a model that `fsnsa train`, `fsnsa predict` and the Python binding
 * share, so that a model trained by one predicts the same in the other.
 * Fitting is: the scaler fitted on the training rows (missing values
 * ignored), a copy of the rows imputed and scaled, the network trained on
 * it, and everything predict needs put together (fsnsa.h, "Fitting"). */
#include "model.h"
#include "nn/train.h"

#include <math.h>
#include <stdlib.h>

void fsnsa_fit_options_default(fsnsa_fit_options *o)
{
    fsnsa_train_options_default(&o->train);
    o->scale = FSNSA_SCALE_STANDARD;
    o->missing = FSNSA_MISSING_REFUSE;
    o->restarts = 1;
    o->threads = 1;
    o->refit = FSNSA_REFIT_NONE;
}

/* A missing value (NaN) where the mode refuses them: name the first. */
static fsnsa_status refuse_missing(const fsnsa_dataset *d,
                                   fsnsa_missing mode, fsnsa_error *err)
{
    if (mode != FSNSA_MISSING_REFUSE)
        return FSNSA_OK;
    for (size_t i = 0; i < d->n * d->p; i++)
        if (isnan(d->x[i]))
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "row %zu, column '%s': a missing value (NaN); "
                               "impute it (missing mean or zero) or drop the "
                               "row",
                               i / d->p + 1, d->feature_names != NULL
                                                 ? d->feature_names[i % d->p]
                                                 : "?");
    return FSNSA_OK;
}

fsnsa_status fsnsa_model_transform(const fsnsa_model *m, fsnsa_dataset *d,
                                   fsnsa_error *err)
{
    if (d->p != m->scaler.p)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "the data has %zu encoded columns, the model reads "
                           "%zu",
                           d->p, m->scaler.p);
    fsnsa_status st = refuse_missing(d, m->missing, err);
    if (st != FSNSA_OK)
        return st;
    if (m->missing != FSNSA_MISSING_REFUSE)
        fsnsa_scaler_impute(&m->scaler, m->missing, d);
    return fsnsa_scaler_apply(&m->scaler, d, err);
}

fsnsa_status fsnsa_model_predict(const fsnsa_model *m,
                                 const fsnsa_dataset *d, float *prob,
                                 fsnsa_error *err)
{
    size_t *all = fsnsa__alloc(d->n, sizeof *all);
    if (all == NULL)
        return fsnsa__nomem(err, "a copy of the rows");
    for (size_t i = 0; i < d->n; i++)
        all[i] = i;
    fsnsa_dataset *copy = NULL;
    fsnsa_status st = fsnsa_dataset_subset(d, all, d->n, &copy, err);
    free(all);
    if (st == FSNSA_OK)
        st = fsnsa_model_transform(m, copy, err);
    if (st == FSNSA_OK)
        st = fsnsa_net_predict(m->net, copy->x, copy->n, copy->p, prob, err);
    fsnsa_dataset_free(copy);
    if (st == FSNSA_OK && m->options.task == FSNSA_TASK_REGRESSION)
        for (size_t i = 0; i < d->n; i++) /* back to the target's units */
            prob[i] = (float)((double)prob[i] * m->target_sd + m->target_mean);
    return st;
}

/* Regression: the targets' mean and sd (ddof 0; 1 for a constant
 * target) over the rows fitted, or a warm start's, into m; rows' targets
 * standardized by them in place. */
static void standardize_target(fsnsa_dataset *rows, const fsnsa_model *init,
                               fsnsa_model *m)
{
    m->target_mean = 0.0;
    m->target_sd = 1.0;
    if (m->options.task != FSNSA_TASK_REGRESSION || rows->target == NULL)
        return;
    if (init != NULL) {
        m->target_mean = init->target_mean;
        m->target_sd = init->target_sd;
    } else {
        fsnsa__target_moments(rows->target, rows->n, &m->target_mean,
                              &m->target_sd);
    }
    for (size_t i = 0; i < rows->n; i++)
        rows->target[i] = (float)(((double)rows->target[i] - m->target_mean) /
                                  m->target_sd);
}

/* The scaler, the schema and the options of the model being fitted; the
 * network comes after training. */
static fsnsa_status start_model(const fsnsa_dataset *d,
                                const fsnsa_fit_options *o,
                                const fsnsa_model *init, fsnsa_model *m,
                                fsnsa_error *err)
{
    m->missing = o->missing;
    m->train_loss = NAN;
    fsnsa_status st = fsnsa_schema_copy(&m->schema, &d->schema, err);
    if (st != FSNSA_OK)
        return st;
    if (init == NULL)
        return fsnsa_scaler_fit(d, o->scale, &m->scaler, err);
    /* A warm start reads inputs the way the init model's weights expect. */
    return fsnsa_scaler_copy(&m->scaler, &init->scaler, err);
}

/* The training rows, imputed and scaled by m's scaler (a copy of d). */
static fsnsa_status scaled_rows(const fsnsa_dataset *d, const fsnsa_model *m,
                                fsnsa_dataset **out, fsnsa_error *err)
{
    size_t *all = fsnsa__alloc(d->n, sizeof *all);
    if (all == NULL)
        return fsnsa__nomem(err, "a copy of the training rows");
    for (size_t i = 0; i < d->n; i++)
        all[i] = i;
    fsnsa_status st = fsnsa_dataset_subset(d, all, d->n, out, err);
    free(all);
    if (st == FSNSA_OK)
        st = fsnsa_model_transform(m, *out, err);
    return st;
}

/* Train m's network on the scaled rows; without a warm start the drop
 * epoch and relevance of every column are recorded on the way (a warm
 * start's columns left in an earlier training, which it does not know). */
static fsnsa_status train_recording(const fsnsa_dataset *rows, fsnsa_model *m,
                                    const fsnsa_model *init,
                                    fsnsa_train_report *report,
                                    fsnsa_error *err)
{
    if (init != NULL)
        return fsnsa_train_with_report(rows, &m->options, init->net, &m->net,
                                       report, err);
    fsnsa__importance imp = {0};
    fsnsa_status st = fsnsa__importance_start(&imp, &m->options, rows->p, err);
    fsnsa_train_options o = m->options;
    o.on_epoch = fsnsa__importance_on_epoch;
    o.on_epoch_ctx = &imp;
    if (st == FSNSA_OK)
        st = fsnsa_train_with_report(rows, &o, NULL, &m->net, report, err);
    if (m->net != NULL) {
        fsnsa_status fin = fsnsa__importance_finish(&imp, m, err);
        if (fin != FSNSA_OK) {
            st = fin;
            fsnsa_net_free(m->net);
            m->net = NULL;
        }
    }
    fsnsa__importance_clear(&imp);
    return st;
}

/* The class weights the run used (the model's own copy, which its
 * options point at) and, with a validation split, the epoch kept and its
 * held-out figures (format 1.3). */
static fsnsa_status record_validation(const fsnsa_dataset *d, fsnsa_model *m,
                                      const fsnsa_train_report *report,
                                      fsnsa_error *err)
{
    m->validation_loss = m->validation_accuracy = NAN;
    if (m->options.validation_fraction > 0) {
        m->chosen_epoch = report->chosen_epoch;
        m->validation_loss = report->validation_loss;
        m->validation_accuracy = report->validation_accuracy;
    }
    if (m->options.class_weight == FSNSA_CLASS_WEIGHT_NONE) {
        m->options.class_weights = NULL;
        return FSNSA_OK;
    }
    m->class_weights = fsnsa__alloc(d->schema.n_classes, sizeof(float));
    if (m->class_weights == NULL)
        return fsnsa__nomem(err, "the class weights");
    fsnsa_status st = fsnsa_train_class_weights(d, &m->options,
                                                m->class_weights, err);
    m->options.class_weights = m->class_weights;
    return st;
}

/* What the fit recorded beside the network: the validation figures and
 * class weights (from d), the per-class recall (on the scaled rows; a
 * regression has no classes to recall). */
static fsnsa_status record_figures(const fsnsa_dataset *d,
                                   const fsnsa_dataset *rows, fsnsa_model *m,
                                   const fsnsa_train_report *report,
                                   fsnsa_error *err)
{
    fsnsa_status st = record_validation(d, m, report, err);
    if (st != FSNSA_OK || m->options.task == FSNSA_TASK_REGRESSION)
        return st;
    return fsnsa__model_record_recall(rows, m, err);
}

/* The dense refit of m's network on its kept columns (refit.c), which
 * replaces it; the importance stays the training's. A refit that broke
 * leaves no network unless keep_going kept one. */
static fsnsa_status refit(const fsnsa_dataset *rows, fsnsa_model *m,
                          fsnsa_train_report *report, fsnsa_error *err)
{
    fsnsa_net *dense = NULL;
    fsnsa_status st = fsnsa__refit_dense(rows, m->net, m->net->h, &m->options,
                                         0, &dense, report, err);
    fsnsa_net_free(m->net);
    m->net = dense;
    m->refit = FSNSA_REFIT_DENSE;
    return st;
}

/* What fsnsa_model_fit refuses in o beyond the training options. */
static fsnsa_status check_fit(const fsnsa_fit_options *o, fsnsa_error *err)
{
    if (o->refit != FSNSA_REFIT_NONE && o->refit != FSNSA_REFIT_DENSE)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "unknown refit %d",
                           (int)o->refit);
    if (o->refit == FSNSA_REFIT_DENSE && o->train.method == FSNSA_METHOD_DENSE)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "refit dense retrains the columns and nodes a "
                           "pruning method (nsa, fsa, fsa-nsa) kept; method "
                           "dense prunes nothing");
    return FSNSA_OK;
}

fsnsa_status fsnsa_model_fit(const fsnsa_dataset *d,
                             const fsnsa_fit_options *o,
                             const fsnsa_model *init, fsnsa_model **out,
                             fsnsa_train_report *report, fsnsa_error *err)
{
    *out = NULL;
    if (d == NULL || o == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no data or no options");
    if (init != NULL && init->net->p_in != d->p)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "the initial model reads %zu encoded columns, the "
                           "data has %zu",
                           init->net->p_in, d->p);
    fsnsa_status chk = check_fit(o, err);
    if (chk != FSNSA_OK)
        return chk;
    fsnsa_model *m = calloc(1, sizeof *m);
    if (m == NULL)
        return fsnsa__nomem(err, "a model");
    fsnsa_train_report own;
    if (report == NULL)
        report = &own;
    fsnsa_dataset *rows = NULL;
    size_t p_avail = init != NULL ? init->net->p : d->p;
    fsnsa_status st = fsnsa_train_options_resolve(&o->train, p_avail,
                                                  &m->options, err);
    if (st == FSNSA_OK)
        st = start_model(d, o, init, m, err);
    if (st == FSNSA_OK && init != NULL && init->options.task != m->options.task)
        st = fsnsa__fail(err, FSNSA_ERR_ARG,
                         "the initial model is a %s, not a %s",
                         fsnsa_task_name(init->options.task),
                         fsnsa_task_name(m->options.task));
    if (st == FSNSA_OK)
        st = scaled_rows(d, m, &rows, err);
    if (st == FSNSA_OK) {
        standardize_target(rows, init, m);
        st = train_recording(rows, m, init, report, err);
    }
    if (m->net != NULL && o->refit == FSNSA_REFIT_DENSE &&
        (st == FSNSA_OK || st == FSNSA_ERR_NUMERIC))
        st = refit(rows, m, report, err);
    m->options.on_epoch = NULL;
    m->options.on_epoch_ctx = NULL;
    m->options.stop = NULL;
    fsnsa_status rec = m->net != NULL ? record_figures(d, rows, m, report, err)
                                      : FSNSA_OK;
    fsnsa_dataset_free(rows);
    if (m->net == NULL || rec != FSNSA_OK) {
        fsnsa_model_free(m);
        return rec != FSNSA_OK ? rec : st;
    }
    /* A broken training kept with keep_going is handed back with its
     * FSNSA_ERR_NUMERIC, as fsnsa_train does. */
    m->train_loss = report->loss;
    *out = m;
    return st;
}

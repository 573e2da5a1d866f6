/* The training options: the defaults (the one place they are set; every
 * --help prints them from here), the automatic sizes that hidden = 0 and
 * features = 0 stand for, and the check of every option's range. */
#include "train.h"

#include <math.h>
#include <string.h>

void fsnsa_train_options_default(fsnsa_train_options *o)
{
    memset(o, 0, sizeof *o);
    o->method = FSNSA_METHOD_FSA_NSA;
    o->hidden = 0;   /* fsnsa_train_default_hidden */
    o->start_hidden = 1024;
    o->features = 0; /* half the columns, for the methods that select */
    o->epochs = 300;
    o->mu = 30.0;
    o->batch = 32;
    o->lr = 0.001;
    o->beta1 = 0.9;
    o->beta2 = 0.999;
    o->eps = 1e-8;
    o->weight_decay = 1e-4;
    o->seed = 1;
    o->shuffle = 1;
    o->class_weight = FSNSA_CLASS_WEIGHT_NONE;
    o->validation_fraction = 0.0;
    o->keep = FSNSA_KEEP_LAST;
    o->early_stopping = 0;
    /* measured against the paper's (docs/algorithm.md, "Variants";
     * docs/SELECTION.md): no blow-up, at least as many hits */
    o->variant = FSNSA_VARIANT_STABLE;
    o->task = FSNSA_TASK_CLASSIFICATION;
}

bool fsnsa__prunes_nodes(fsnsa_method m)
{
    return m == FSNSA_METHOD_NSA || m == FSNSA_METHOD_FSA_NSA;
}

bool fsnsa__selects_features(fsnsa_method m)
{
    return m == FSNSA_METHOD_FSA || m == FSNSA_METHOD_FSA_NSA;
}

size_t fsnsa_train_default_hidden(fsnsa_method m)
{
    return fsnsa__prunes_nodes(m) ? 128 : 64;
}

fsnsa_status fsnsa_train_options_resolve(const fsnsa_train_options *o,
                                         size_t p_in,
                                         fsnsa_train_options *out,
                                         fsnsa_error *err)
{
    *out = *o;
    if (out->hidden == 0)
        out->hidden = fsnsa_train_default_hidden(out->method);
    if (out->features == 0 && fsnsa__selects_features(out->method))
        out->features = (p_in + 1) / 2;
    return fsnsa_train_options_check(out, p_in, err);
}

/* The class weights' mode, the validation split and what it decides. */
static fsnsa_status check_validation(const fsnsa_train_options *o,
                                     fsnsa_error *err)
{
    if ((int)o->class_weight < 0 || o->class_weight > FSNSA_CLASS_WEIGHT_GIVEN)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "unknown class weight mode %d",
                           (int)o->class_weight);
    if (o->class_weight == FSNSA_CLASS_WEIGHT_GIVEN && o->class_weights == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "class weights \"given\" but none given");
    if ((int)o->task < 0 || o->task > FSNSA_TASK_REGRESSION)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "unknown task %d", (int)o->task);
    if (o->task == FSNSA_TASK_REGRESSION &&
        o->class_weight != FSNSA_CLASS_WEIGHT_NONE)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "class weights are for classification, not "
                           "regression");
    if (!(o->validation_fraction >= 0 && o->validation_fraction < 1))
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "validation fraction must be in [0, 1), got %g",
                           o->validation_fraction);
    if ((int)o->keep < 0 || o->keep > FSNSA_KEEP_BEST)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "unknown keep mode %d", (int)o->keep);
    if (o->early_stopping < 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "early stopping must be >= 0 epochs, got %d",
                           o->early_stopping);
    if ((o->keep == FSNSA_KEEP_BEST || o->early_stopping > 0) &&
        o->validation_fraction == 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "keep best and early stopping need a validation "
                           "fraction > 0");
    return FSNSA_OK;
}

fsnsa_status fsnsa_train_options_check(const fsnsa_train_options *o,
                                       size_t p_in, fsnsa_error *err)
{
    if ((int)o->method < 0 || o->method > FSNSA_METHOD_FSA_NSA)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "unknown method %d", (int)o->method);
    if (o->epochs < 0 || o->epochs > 10000000)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "epochs must be in [0, 10000000], got %d", o->epochs);
    size_t h = o->hidden != 0 ? o->hidden : fsnsa_train_default_hidden(o->method);
    if (h > ((size_t)1 << 24))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "hidden nodes must be in [1, 2^24], got %zu", o->hidden);
    if (fsnsa__prunes_nodes(o->method) &&
        (o->start_hidden < h || o->start_hidden > ((size_t)1 << 24)))
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "%s needs hidden <= start-hidden <= 2^24, got hidden %zu, start-hidden %zu",
                           fsnsa_method_name(o->method), h, o->start_hidden);
    if (fsnsa__selects_features(o->method) && o->features > p_in)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "%s needs features <= %zu (the data's columns), got %zu",
                           fsnsa_method_name(o->method), p_in, o->features);
    if (!(o->mu >= 0 && o->mu <= 1e9))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "mu must be in [0, 1e9], got %g", o->mu);
    if (!(o->lr > 0 && isfinite(o->lr)))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "learning rate must be positive, got %g", o->lr);
    if (!(o->beta1 >= 0 && o->beta1 < 1) || !(o->beta2 >= 0 && o->beta2 < 1))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "Adam betas must be in [0, 1), got %g, %g",
                           o->beta1, o->beta2);
    if (!(o->eps > 0 && isfinite(o->eps)))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "Adam eps must be positive, got %g", o->eps);
    if ((int)o->variant < 0 || o->variant > FSNSA_VARIANT_STABLE)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "unknown variant %d", (int)o->variant);
    if (!(o->weight_decay >= 0 && isfinite(o->weight_decay)))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "weight decay must be >= 0, got %g", o->weight_decay);
    return check_validation(o, err);
}

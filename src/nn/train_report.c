/* What a training run did (fsnsa_train_report) and, when it failed, why:
 * the loss became NaN or infinite, or the final loss is worse than
 * predicting the class frequencies (the constant-loss rule of
 * fsnsa_loss_worse_than_constant); the error message gives the figures and
 * the likely cause (docs/algorithm.md, "A broken training"). */
#include "train.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Thresholds of the advice in a failed training's message, measured on
 * the cases of docs/algorithm.md ("A broken training"): inputs from 1e4
 * on broke FSA+NSA on unscaled XOR data (1e3 still trained), weight decay
 * 0.3 and 10 broke FSA+NSA on car (0.1 and 1 did not), learning rates
 * from 0.01 on broke it. */
#define ADVICE_INPUT_MAGNITUDE 1e3
#define ADVICE_WEIGHT_DECAY 0.1
#define ADVICE_LEARNING_RATE 0.01

/* Append printf text to buf (size bytes, NUL-terminated). */
static void append(char *buf, size_t size, const char *fmt, ...)
    FSNSA_PRINTF(3, 4);
static void append(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

/* What may have broken a training, for its error message: the data's
 * columns the run started from (all of d, or init's features) and the
 * options, read only now that it failed. */
static void explain_failure(char *buf, size_t size, const fsnsa_dataset *d,
                            const fsnsa_net *init,
                            const fsnsa_train_options *o,
                            const fsnsa_train_report *r)
{
    size_t ncols = init != NULL ? init->p : d->p;
    bool constant = true;
    double largest = 0;
    for (size_t i = 0; i < ncols; i++) {
        size_t j = init != NULL ? init->features[i] : i;
        float first = d->x[j];
        for (size_t row = 0; row < d->n; row++) {
            float v = d->x[row * d->p + j];
            if (v != first)
                constant = false;
            if (fabs((double)v) > largest)
                largest = fabs((double)v);
        }
    }
    buf[0] = '\0';
    if (constant) {
        /* no learning rate helps: the network sees one input */
        append(buf, size, "every input column is constant (as a column "
               "of missing values is after imputation), so there is "
               "nothing to learn but the class frequencies: check the "
               "data");
        return;
    }
    bool other = false;
    if (largest >= ADVICE_INPUT_MAGNITUDE) {
        append(buf, size, "the inputs reach %.3g in magnitude: are they "
               "standardized? ", largest);
        other = true;
    }
    if (o->weight_decay >= ADVICE_WEIGHT_DECAY) {
        append(buf, size, "is the weight decay %g too large? ",
               o->weight_decay);
        other = true;
    }
    bool rose = !isfinite(r->last_epoch_loss) ||
                r->last_epoch_loss > 2 * r->lowest_epoch_loss;
    if (o->lr >= ADVICE_LEARNING_RATE || (rose && !other)) {
        append(buf, size, "is the learning rate %g too large? ", o->lr);
        other = true;
    }
    if (!other) {
        if (r->loss < r->first_epoch_loss)
            append(buf, size, "the loss was still falling: train for more "
                   "epochs or with a larger learning rate ");
        else
            append(buf, size, "the loss did not fall: try another learning "
                   "rate, more nodes or another seed ");
    }
    size_t len = strlen(buf);
    if (len > 0 && buf[len - 1] == ' ')
        buf[len - 1] = '\0';
}

void fsnsa__report_clear(fsnsa_train_report *r)
{
    r->outcome = FSNSA_TRAIN_OK;
    r->epochs = 0;
    r->loss = r->constant_loss = NAN;
    r->first_epoch_loss = r->lowest_epoch_loss = r->last_epoch_loss = NAN;
    r->chosen_epoch = 0;
    r->validation_loss = r->validation_accuracy = NAN;
    r->stopped_early = 0;
}


void fsnsa__report_epoch(fsnsa_train_report *r, int e, double loss)
{
    r->epochs = e;
    r->last_epoch_loss = loss;
    if (e == 1)
        r->first_epoch_loss = r->lowest_epoch_loss = loss;
    else if (loss < r->lowest_epoch_loss)
        r->lowest_epoch_loss = loss;
}

fsnsa_status fsnsa__report_not_finite(fsnsa_train_report *r,
                                      const fsnsa_dataset *d,
                                      const fsnsa_net *init,
                                      const fsnsa_train_options *o,
                                      fsnsa_error *err)
{
    char why[320];
    explain_failure(why, sizeof why, d, init, o, r);
    return fsnsa__fail(err, FSNSA_ERR_NUMERIC,
                       "epoch %d: the training loss became %s: %s", r->epochs,
                       isnan(r->last_epoch_loss) ? "NaN" : "infinite", why);
}

fsnsa_status fsnsa__report_outcome(fsnsa_train_report *r,
                                   const fsnsa_dataset *d,
                                   const fsnsa_net *init,
                                   const fsnsa_train_options *o,
                                   fsnsa_error *err)
{
    if (o->epochs == 0 ||
        !fsnsa_loss_worse_than_constant(r->loss, r->constant_loss))
        return FSNSA_OK;
    r->outcome = FSNSA_TRAIN_WORSE_THAN_CONSTANT;
    char why[320], path[128];
    explain_failure(why, sizeof why, d, init, o, r);
    if (r->epochs == 1)
        snprintf(path, sizeof path, "epoch 1's loss %.4g", r->first_epoch_loss);
    else
        snprintf(path, sizeof path, "epoch losses: %.4g in epoch 1, "
                 "lowest %.4g, %.4g in epoch %d", r->first_epoch_loss,
                 r->lowest_epoch_loss, r->last_epoch_loss, r->epochs);
    bool reg = o->task == FSNSA_TASK_REGRESSION;
    return fsnsa__fail(err, FSNSA_ERR_NUMERIC,
                       "the final training %s %.6g is worse than %.6g, "
                       "the %s of predicting the %s (%s): %s",
                       reg ? "mean squared error" : "loss", r->loss,
                       r->constant_loss, reg ? "error" : "loss",
                       reg ? "training mean" : "class frequencies", path, why);
}

/* Predictions and metrics: see evaluate.h. */
#include "evaluate.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "messages.h"

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

int cli_evaluate(const char *cmd, const fsnsa_net *net,
                 const fsnsa_dataset *d, cli_metrics *m)
{
    float *prob = cli_predict(cmd, net, d);
    if (prob == NULL)
        return -1;
    int rc = cli_metrics_compute(cmd, net, d, prob, m);
    free(prob);
    return rc;
}

cli_metrics cli_metrics_none(void)
{
    return (cli_metrics){NAN, NAN, NAN, NAN, NAN, NAN};
}

static int is_regression(const fsnsa_model *m)
{
    return m->options.task == FSNSA_TASK_REGRESSION;
}

float *cli_model_predict(const char *cmd, const fsnsa_model *m,
                         const fsnsa_dataset *d)
{
    float *v = cli_predict(cmd, m->net, d);
    if (v != NULL && is_regression(m))
        for (size_t i = 0; i < d->n; i++)
            v[i] = (float)((double)v[i] * m->target_sd + m->target_mean);
    return v;
}

void cli_regression_metrics(const fsnsa_model *m, const fsnsa_dataset *d,
                            const float *pred, cli_metrics *out)
{
    *out = cli_metrics_none();
    fsnsa_regression_metrics(pred, d->target, d->n, &out->rmse, &out->mae,
                             &out->r2);
    out->loss = (out->rmse / m->target_sd) * (out->rmse / m->target_sd);
}

int cli_evaluate_model(const char *cmd, const fsnsa_model *m,
                       const fsnsa_dataset *d, cli_metrics *out)
{
    *out = cli_metrics_none();
    if (!is_regression(m))
        return cli_evaluate(cmd, m->net, d, out);
    if (d->target == NULL) {
        cli_error(cmd, "the data has no numeric target to compare with");
        return -1;
    }
    float *pred = cli_model_predict(cmd, m, d);
    if (pred == NULL)
        return -1;
    cli_regression_metrics(m, d, pred, out);
    free(pred);
    return 0;
}

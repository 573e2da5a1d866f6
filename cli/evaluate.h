/* A network's predictions and metrics on a labeled data set, as train and
 * predict print them. */
#ifndef FSNSA_CLI_EVALUATE_H
#define FSNSA_CLI_EVALUATE_H

#include "fsnsa.h"

/* Class probabilities of net on d (n x n_classes), malloc'ed; NULL after
 * printing an error. */
float *cli_predict(const char *cmd, const fsnsa_net *net,
                   const fsnsa_dataset *d);

/* Loss (fsnsa_net_loss: from logits, the figure a model file stores),
 * accuracy and AUC of net on d against d's labels. */
typedef struct {
    double loss, accuracy, auc;
    /* regression: the loss is the MSE of the standardized target, and
     * these are in the target's units; NaN for classification */
    double rmse, mae, r2;
} cli_metrics;

/* Every figure NaN. */
cli_metrics cli_metrics_none(void);

/* m's predictions of d's rows (already transformed as m's training rows
 * were): for a regression model one number a row in the target's units
 * (output * target_sd + target_mean), else class probabilities
 * (cli_predict). malloc'ed; NULL after printing an error. */
float *cli_model_predict(const char *cmd, const fsnsa_model *m,
                         const fsnsa_dataset *d);
/* The regression figures of pred (cli_model_predict's) against d's
 * targets; loss = (RMSE / target_sd)^2, the standardized MSE. */
void cli_regression_metrics(const fsnsa_model *m, const fsnsa_dataset *d,
                            const float *pred, cli_metrics *out);
/* cli_evaluate for a model of either task; -1 after an error (printed). */
int cli_evaluate_model(const char *cmd, const fsnsa_model *m,
                       const fsnsa_dataset *d, cli_metrics *out);

/* From net's probabilities prob on d; -1 after an error (printed). */
int cli_metrics_compute(const char *cmd, const fsnsa_net *net,
                        const fsnsa_dataset *d, const float *prob,
                        cli_metrics *m);
/* Predict and compute; -1 after an error (printed). */
int cli_evaluate(const char *cmd, const fsnsa_net *net,
                 const fsnsa_dataset *d, cli_metrics *m);

#endif

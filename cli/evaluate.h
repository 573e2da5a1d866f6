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
} cli_metrics;

/* From net's probabilities prob on d; -1 after an error (printed). */
int cli_metrics_compute(const char *cmd, const fsnsa_net *net,
                        const fsnsa_dataset *d, const float *prob,
                        cli_metrics *m);
/* Predict and compute; -1 after an error (printed). */
int cli_evaluate(const char *cmd, const fsnsa_net *net,
                 const fsnsa_dataset *d, cli_metrics *m);

#endif

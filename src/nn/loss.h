/* The output layer's loss and probabilities, for one row of logits: the
 * one place that computes softmax, the logistic function, the
 * cross-entropy and dL/dlogit, used by the training step (kernels.c) and
 * by inference (network.c). n_out == 1 is a binary output with one logit;
 * otherwise n_out classes under softmax. Internal. */
#ifndef FSNSA_LOSS_H
#define FSNSA_LOSS_H

#include <stddef.h>
#include <stdint.h>

/* Cross-entropy of the row for label y, in double. */
double fsnsa__logit_loss(const float *logit, size_t n_out, int32_t y);

/* The same loss (returned), and scale * dL/dlogit into g[0..n_out): the
 * training step's output layer, scale = 1 / batch rows. */
double fsnsa__logit_loss_grad(const float *logit, size_t n_out, int32_t y,
                              float scale, float *g);

/* The class probabilities into prob[0..n_classes), n_classes = 2 when
 * n_out == 1, else n_out. */
void fsnsa__logit_probs(const float *logit, size_t n_out, float *prob);

/* Regression (a net of one linear output): the squared error (o - t)^2
 * of the row, in double, and scale * its derivative 2 (o - t), rounded to
 * float before the scale, into *g. Not halved: the mean over the rows is
 * nn.MSELoss's figure, and its gradient is the one PyTorch computes. */
double fsnsa__sq_loss_grad(float out, float target, float scale, float *g);

#endif

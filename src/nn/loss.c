/* Softmax + cross-entropy and the logistic loss of one row of logits (see
 * loss.h), in double from the float logits. */
#include "loss.h"

#include <math.h>

/* The max m of the logits and sum_k exp(l_k - m): softmax and its log
 * without overflow. */
static void softmax_norm(const float *l, size_t C, double *max, double *sum)
{
    double m = l[0], s = 0.0;
    for (size_t k = 1; k < C; k++)
        if (l[k] > m)
            m = l[k];
    for (size_t k = 0; k < C; k++)
        s += exp((double)l[k] - m);
    *max = m;
    *sum = s;
}

/* BCE with logits, stable: softplus(s) - y s */
static double binary_loss(double s, int32_t y)
{
    double sp = s > 0 ? s + log1p(exp(-s)) : log1p(exp(s));
    return sp - (y == 1 ? s : 0.0);
}

double fsnsa__logit_loss(const float *logit, size_t C, int32_t y)
{
    if (C == 1)
        return binary_loss(logit[0], y);
    double m, sum;
    softmax_norm(logit, C, &m, &sum);
    return m + log(sum) - logit[y];
}

/* The logistic function is written in two forms below: the gradient's
 * (exp(s) / (1 + exp(s)) for s < 0) and the prediction's (1 / (1 +
 * exp(-s))). They are the same function, but rounded to float they differ
 * for 31 negative float logits (checked over all of them), so each keeps
 * the form its results (the fingerprints of tests/fingerprints.inc) were
 * computed with. */
double fsnsa__logit_loss_grad(const float *logit, size_t C, int32_t y,
                              float scale, float *g)
{
    if (C == 1) {
        double s = logit[0];
        double pr = s >= 0 ? 1.0 / (1.0 + exp(-s)) : exp(s) / (1.0 + exp(s));
        g[0] = (float)(pr - (y == 1)) * scale;
        return binary_loss(s, y);
    }
    double m, sum;
    softmax_norm(logit, C, &m, &sum);
    for (size_t k = 0; k < C; k++)
        g[k] = (float)(exp((double)logit[k] - m) / sum - ((int32_t)k == y)) * scale;
    return m + log(sum) - logit[y];
}

void fsnsa__logit_probs(const float *logit, size_t C, float *prob)
{
    if (C == 1) {
        double p1 = 1.0 / (1.0 + exp(-(double)logit[0]));
        prob[0] = (float)(1.0 - p1);
        prob[1] = (float)p1;
        return;
    }
    double m, sum;
    softmax_norm(logit, C, &m, &sum);
    for (size_t k = 0; k < C; k++)
        prob[k] = (float)(exp((double)logit[k] - m) / sum);
}

double fsnsa__sq_loss_grad(float out, float target, float scale, float *g)
{
    double d = (double)out - (double)target;
    *g = (float)(2.0 * d) * scale;
    return d * d;
}

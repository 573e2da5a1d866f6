/* The variants of Eq. 3 (docs/algorithm.md, "Variants"): the paper
 * rewrites the parameters every epoch; the stable variant ranks on
 * normalized copies. The scores here are those fsnsa_net_node_scores and
 * fsnsa_net_feature_scores give after fsnsa_net_normalize, bit for bit, from
 * the per-node factors of fsnsa__row_scales, without touching the net. */
#include "variant.h"

#include <math.h>

bool fsnsa__variant_in_place(const fsnsa_train_options *o, int e)
{
    return o->variant != FSNSA_VARIANT_STABLE || e == o->epochs;
}

void fsnsa__row_scales(const fsnsa_net *net, float *s, float *inv)
{
    for (size_t j = 0; j < net->h; j++) {
        const float *w = net->W + j * net->p;
        double ss = 0.0;
        for (size_t i = 0; i < net->p; i++)
            ss += (double)w[i] * w[i];
        /* as fsnsa_net_normalize: a zero or non-finite row is left alone,
         * and multiplying by 1 leaves it alone too */
        s[j] = inv[j] = 1.0f;
        if (!(ss > 0.0) || !isfinite(ss))
            continue;
        double norm = sqrt(ss);
        s[j] = (float)norm;
        inv[j] = (float)(1.0 / norm);
        /* Without Eq. 3 every epoch, weight decay can shrink a dead node's
         * row to denormals (measured: 4e-43), whose 1/||w|| overflows a
         * float: it has no direction; it adds nothing to the feature
         * scores and is not rescaled. */
        if (!isfinite(inv[j]))
            inv[j] = 0.0f;
    }
}

void fsnsa__apply_scales(fsnsa_net *net, const float *s, const float *inv)
{
    /* fsnsa_net_normalize's products, row by row */
    for (size_t j = 0; j < net->h; j++) {
        if (inv[j] == 0.0f)
            continue;
        float *w = net->W + j * net->p;
        for (size_t i = 0; i < net->p; i++)
            w[i] *= inv[j];
        net->b[j] *= inv[j];
        for (size_t k = 0; k < net->n_out; k++)
            net->beta[j * net->n_out + k] *= s[j];
    }
}

void fsnsa__scaled_node_scores(const fsnsa_net *net, const float *s,
                               float *score)
{
    const size_t C = net->n_out;
    for (size_t j = 0; j < net->h; j++) {
        const float *bj = net->beta + j * C;
        if (C == 1) {
            score[j] = fabsf(bj[0] * s[j]);
            continue;
        }
        double ss = 0.0;
        for (size_t k = 0; k < C; k++) {
            float b = bj[k] * s[j];
            ss += (double)b * b;
        }
        score[j] = (float)sqrt(ss);
    }
}

void fsnsa__scaled_feature_scores(const fsnsa_net *net, const float *inv,
                                  float *score)
{
    /* column by column, each sum over the nodes in order: the order of
     * fsnsa_net_feature_scores' row-by-row accumulation */
    for (size_t i = 0; i < net->p; i++) {
        double ss = 0.0;
        for (size_t j = 0; j < net->h; j++) {
            float w = net->W[j * net->p + i] * inv[j];
            ss += (double)w * w;
        }
        score[i] = (float)sqrt(ss);
    }
}

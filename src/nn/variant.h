/* The variants of Eq. 3 (variant.c). Internal. */
#ifndef FSNSA_VARIANT_H
#define FSNSA_VARIANT_H

#include "core/core.h"
#include "network.h"

/* Whether epoch e rewrites the parameters by Eq. 3: every epoch for the
 * paper's variant, only the last for the stable one. */
bool fsnsa__variant_in_place(const fsnsa_train_options *o, int e);
/* Per node j, the factors Eq. 3 applies: s[j] = (float)||w_j||, inv[j] =
 * (float)(1 / ||w_j||); 1 and 1 for a zero or non-finite row (which
 * Eq. 3 leaves alone), ||w_j|| and 0 for a row whose 1 / ||w_j|| is
 * beyond float's range. */
void fsnsa__row_scales(const fsnsa_net *net, float *s, float *inv);
/* Eq. 3 with those factors: fsnsa_net_normalize's bits on every row with
 * inv[j] != 0; the others are left alone. */
void fsnsa__apply_scales(fsnsa_net *net, const float *s, const float *inv);
/* fsnsa_net_node_scores / _feature_scores of the net that
 * fsnsa_net_normalize would make, computed from s and inv. */
void fsnsa__scaled_node_scores(const fsnsa_net *net, const float *s,
                               float *score);
void fsnsa__scaled_feature_scores(const fsnsa_net *net, const float *inv,
                                  float *score);
#endif

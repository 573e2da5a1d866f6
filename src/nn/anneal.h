/* Pruning steps of the annealing (Algorithms 1 and 2); internal. */
#ifndef FSNSA_ANNEAL_H
#define FSNSA_ANNEAL_H

#include "core/core.h"

/* Keep rows keep[0..m) (ascending) of a rows x cols matrix, in place. */
void fsnsa__keep_rows(float *a, size_t cols, const size_t *keep, size_t m);
/* Keep columns keep[0..m) (ascending) of a rows x cols matrix, in place;
 * the result is rows x m, packed. */
void fsnsa__keep_cols(float *a, size_t rows, size_t cols, const size_t *keep,
                      size_t m);

/* Keep the h_new nodes with the largest |beta_j| (row norm for C
 * outputs); arrays shaped like W, b and beta (e.g. Adam moments, n_extra
 * of each) are compacted the same way. score/keep/work need net->h
 * entries. keep[0..h_new) holds the kept old indices on return. */
void fsnsa__prune_nodes(fsnsa_net *net, size_t h_new, float *const *w_like,
                        float *const *b_like, float *const *beta_like,
                        size_t n_extra, float *score, size_t *keep,
                        size_t *work);

/* Keep the p_new features with the largest r_i (Eq. 4); arrays shaped like
 * W are compacted the same way and net->features is updated. score, keep,
 * work need net->p entries. keep[0..p_new) holds the kept positions. */
void fsnsa__prune_features(fsnsa_net *net, size_t p_new,
                           float *const *w_like, size_t n_extra, float *score,
                           size_t *keep, size_t *work);

/* Indices of the m largest scores (ties: lower index first), in ascending
 * index order, into keep[0..m). work needs n size_t. */
void fsnsa__top_indices(const float *score, size_t n, size_t m, size_t *keep,
                        size_t *work);

#endif

/* Pruning steps of the annealing (Algorithms 1 and 2); internal. */
#ifndef FSNSA_ANNEAL_H
#define FSNSA_ANNEAL_H

#include "core/core.h"
#include "network.h"

/* Keep rows keep[0..m) (ascending) of a rows x cols matrix, in place. */
void fsnsa__keep_rows(float *a, size_t cols, const size_t *keep, size_t m);
/* Keep columns keep[0..m) (ascending) of a rows x cols matrix, in place;
 * the result is rows x m, packed. */
void fsnsa__keep_cols(float *a, size_t rows, size_t cols, const size_t *keep,
                      size_t m);

/* Pruning is an index map and a compaction: fsnsa__rank_nodes (or
 * _features) picks what to keep, fsnsa__keep_nodes (or _features) applies
 * it to one parameter block (network.h), the same call for the net's
 * parameters and for each block of Adam's moments. */

/* keep[0..h_new) = the h_new nodes with the largest |beta_j| (row norm
 * for several outputs), ascending; score, keep and work need net->h
 * entries. */
void fsnsa__rank_nodes(const fsnsa_net *net, size_t h_new, float *score,
                       size_t *keep, size_t *work);
/* keep[0..p_new) = the p_new positions in net->features with the largest
 * r_i (Eq. 4), ascending; score, keep and work need net->p entries. */
void fsnsa__rank_features(const fsnsa_net *net, size_t p_new, float *score,
                          size_t *keep, size_t *work);

/* Keep nodes keep[0..h_new) of a block of layout L holding p features:
 * the rows of W, the entries of b, the rows of beta (c is per output). */
void fsnsa__keep_nodes(float *block, const fsnsa__layout *L, size_t p,
                       const size_t *keep, size_t h_new);
/* Keep columns keep[0..p_new) of W (h x p) in a block of layout L; W is
 * then h x p_new, packed. */
void fsnsa__keep_features(float *block, const fsnsa__layout *L, size_t h,
                          size_t p, const size_t *keep, size_t p_new);

/* Indices of the m largest scores (ties: lower index first), in ascending
 * index order, into keep[0..m). work needs n size_t. */
void fsnsa__top_indices(const float *score, size_t n, size_t m, size_t *keep,
                        size_t *work);

#endif

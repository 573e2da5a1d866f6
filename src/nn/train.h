/* The parts of fsnsa_train (train.c): the options' method rules
 * (train_options.c), the trainer that owns one run's network, moments and
 * buffers (trainer.c), and the report of what the run did
 * (train_report.c). Internal. */
#ifndef FSNSA_TRAIN_H
#define FSNSA_TRAIN_H

#include "adam.h"
#include "core/core.h"
#include "kernels.h"
#include "network.h"

/* nsa and fsa-nsa anneal the nodes; fsa and fsa-nsa the features. */
bool fsnsa__prunes_nodes(fsnsa_method m);
bool fsnsa__selects_features(fsnsa_method m);

/* Everything one training run needs, allocated once at the starting size
 * (H0 nodes, P0 features); pruning compacts the parameters, Adam's moments
 * and the working copy of the data in place, so each epoch costs what the
 * current, smaller network costs. */
enum { FSNSA__TRAINER_BLOCKS = 3 };

typedef struct {
    fsnsa_net *net;       /* its block keeps the starting layout */
    size_t H0, P0;        /* the starting nodes and features */
    size_t n, B;          /* rows, batch rows */
    const float *X;       /* training data in use, n x ldx */
    size_t ldx;
    float *Xown;          /* working copy when features are gathered */
    const int32_t *y;
    size_t *perm;         /* the epoch's row order */
    fsnsa__work ws;       /* the step's buffers (kernels.c) */
    fsnsa__layout layout; /* of the net's parameter block (net->W) */
    float *moments;       /* Adam's m and v: two blocks of that layout */
    fsnsa__moments mo;    /* the regions of m and v, for the step */
    /* what pruning compacts: net->W (the block), m, v */
    float *blocks[FSNSA__TRAINER_BLOCKS];
    float *score;         /* pruning: scores and the index map */
    size_t *keep, *work;
    /* the features the last epoch's pruning dropped, and their r_i */
    size_t n_dropped;
    size_t *dropped;
    float *dropped_score;
    fsnsa__adam adam;
    fsnsa_rng rng;        /* shuffling */
    float *row_s, *row_inv; /* Eq. 3's factor per node (variant.c) */
} fsnsa__trainer;

/* A trainer for d (checked by the caller) and resolved options o, from a
 * copy of init or (init == NULL) a new net from o->seed. On failure what
 * was made is released by fsnsa__trainer_free, which is always called. */
fsnsa_status fsnsa__trainer_init(fsnsa__trainer *t, const fsnsa_dataset *d,
                                 const fsnsa_train_options *o,
                                 const fsnsa_net *init, fsnsa_error *err);
void fsnsa__trainer_free(fsnsa__trainer *t);
/* One mini-batch of the rows rows[0..B): the step of kernels.c with Adam.
 * Returns the batch's summed loss. No allocation. */
double fsnsa__trainer_step(fsnsa__trainer *t, const size_t *rows, size_t B);
/* After epoch e of o's method: normalize (Eq. 3), then prune to the h_e
 * nodes and p_e features of the schedules (Algorithms 1 and 2). */
void fsnsa__trainer_anneal(fsnsa__trainer *t, const fsnsa_train_options *o,
                           int e);

/* The report before training (no epochs, NaN losses), and after epoch e
 * with mean loss `loss`. */
void fsnsa__report_clear(fsnsa_train_report *r);
void fsnsa__report_epoch(fsnsa_train_report *r, int e, double loss);
/* FSNSA_ERR_NUMERIC for a run whose last epoch's loss is NaN or
 * infinite, with the likely cause. */
fsnsa_status fsnsa__report_not_finite(fsnsa_train_report *r,
                                      const fsnsa_dataset *d,
                                      const fsnsa_net *init,
                                      const fsnsa_train_options *o,
                                      fsnsa_error *err);
/* The constant-loss rule on the final loss r->loss: FSNSA_OK, or (after at
 * least one epoch, when it is worse than predicting the class frequencies)
 * outcome WORSE_THAN_CONSTANT and FSNSA_ERR_NUMERIC with the epochs'
 * losses and the likely cause. */
fsnsa_status fsnsa__report_outcome(fsnsa_train_report *r,
                                   const fsnsa_dataset *d,
                                   const fsnsa_net *init,
                                   const fsnsa_train_options *o,
                                   fsnsa_error *err);

/* The validation split and the class weights of a run (validation.c,
 * class_weights.c): the training and held-out rows as subsets of the
 * caller's data (NULL without a split: d itself trains), the weights, and
 * the best held-out epoch so far. */
typedef struct {
    fsnsa_dataset *train, *val;
    float *weights;       /* n_classes, NULL for class_weight none */
    fsnsa__eval_buf eval; /* the held-out rows' forward pass */
    fsnsa_net *best;      /* keep best: the best epoch's network */
    int best_epoch;       /* 0 = none at the final size yet */
    double best_loss, best_acc;
    int stale;            /* final-size epochs since the best one */
    double loss, acc;     /* the last epoch's held-out figures */
} fsnsa__holdout;

fsnsa_status fsnsa__holdout_init(fsnsa__holdout *h, const fsnsa_dataset *d,
                                 const fsnsa_train_options *o,
                                 fsnsa_error *err);
/* Before the first epoch, for the trainer's starting network: the
 * buffers of the held-out rows' forward pass, and for keep best a network
 * of the final size to copy the best epoch into, so that no epoch
 * allocates. */
fsnsa_status fsnsa__holdout_start(fsnsa__holdout *h, const fsnsa__trainer *t,
                                  const fsnsa_train_options *o,
                                  fsnsa_error *err);
void fsnsa__holdout_free(fsnsa__holdout *h);
/* The rows that train: h->train, or d without a split. */
const fsnsa_dataset *fsnsa__holdout_rows(const fsnsa__holdout *h,
                                         const fsnsa_dataset *d);
/* After epoch e's pruning: the held-out loss and accuracy of net; at the
 * final size, the best epoch (a copy of net for keep best) and *stop when
 * early_stopping epochs in a row did not improve on it. */
fsnsa_status fsnsa__holdout_epoch(fsnsa__holdout *h, const fsnsa_net *net,
                                  const fsnsa_train_options *o, int e,
                                  bool *stop, fsnsa_error *err);
/* fsnsa_constant_loss under class weights w (NULL: unweighted): the
 * lowest mean of w[y] * cross-entropy a constant prediction reaches. */
fsnsa_status fsnsa__constant_loss_weighted(const int32_t *y, size_t n,
                                           size_t C, const float *w,
                                           double *loss, fsnsa_error *err);

/* Regression (regression.c): FSNSA_ERR_ARG unless d has labels and
 * finite targets; the mean squared error of predicting the targets'
 * mean (their variance, ddof 0), what the worse-than-constant rule
 * compares with; the validation split of a regression run (a seeded
 * shuffle, no strata). */
fsnsa_status fsnsa__check_targets(const fsnsa_dataset *d, fsnsa_error *err);
double fsnsa__constant_loss_target(const float *t, size_t n);
/* The mean and standard deviation (ddof 0; 1 when it is 0 or not
 * finite) of n targets: how a regression fit standardizes its target
 * (fsnsa_model_fit, the experiments' runs); 0 and 1 for n = 0. */
void fsnsa__target_moments(const float *t, size_t n, double *mean,
                           double *sd);
void fsnsa__split_shuffled(size_t n, double fraction, uint64_t seed,
                           size_t *train_idx, size_t *n_train,
                           size_t *val_idx, size_t *n_val);

#endif

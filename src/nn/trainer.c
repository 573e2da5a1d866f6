/* One training run's state (train.h): the working network, Adam's moments
 * in blocks of the network's layout, the working copy of the data and the
 * step's buffers; the step and the annealing after each epoch. */
#include "train.h"

#include "anneal.h"
#include "variant.h"

#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

void fsnsa__trainer_free(fsnsa__trainer *t)
{
    fsnsa_net_free(t->net);
    free(t->Xown);
    free(t->perm);
    fsnsa__work_free(&t->ws);
    free(t->moments);
    free(t->score);
    free(t->dropped);
    free(t->dropped_score);
    free(t->keep);
    free(t->work);
    free(t->row_s);
    free(t->row_inv);
    memset(t, 0, sizeof *t);
}

/* The starting network: a copy of init, or new from the seed. */
static fsnsa_status start_net(fsnsa__trainer *t, const fsnsa_dataset *d,
                              const fsnsa_train_options *o,
                              const fsnsa_net *init, fsnsa_error *err)
{
    size_t n_classes = o->task == FSNSA_TASK_REGRESSION ? 1 : d->schema.n_classes;
    if (init == NULL) {
        size_t h0 = fsnsa__prunes_nodes(o->method) ? o->start_hidden : o->hidden;
        return fsnsa_net_create(d->p, h0, n_classes, o->seed, &t->net, err);
    }
    if (init->p_in != d->p)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "the initial network reads %zu columns, the data has %zu",
                           init->p_in, d->p);
    if (init->n_classes != n_classes)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "the initial network has %zu classes, the data %zu",
                           init->n_classes, n_classes);
    return fsnsa_net_copy(init, &t->net, err);
}

/* The caller's matrix is read directly while every column is in use in
 * its own order; otherwise a compact copy of the used columns. */
static fsnsa_status start_data(fsnsa__trainer *t, const fsnsa_dataset *d,
                               const fsnsa_train_options *o,
                               fsnsa_error *err)
{
    const fsnsa_net *net = t->net;
    const size_t P = net->p;
    bool identity = P == d->p && !fsnsa__selects_features(o->method);
    for (size_t i = 0; identity && i < P; i++)
        identity = net->features[i] == i;
    if (identity) {
        t->X = d->x;
        t->ldx = d->p;
        return FSNSA_OK;
    }
    t->Xown = fsnsa__alloc(d->n * P, sizeof(float));
    if (t->Xown == NULL)
        return fsnsa__nomem(err, "the training matrix");
    for (size_t r = 0; r < d->n; r++)
        for (size_t i = 0; i < P; i++)
            t->Xown[r * P + i] = d->x[r * d->p + net->features[i]];
    t->X = t->Xown;
    t->ldx = P;
    return FSNSA_OK;
}

/* The step's buffers, the moments and the pruning scratch. */
static fsnsa_status start_buffers(fsnsa__trainer *t, fsnsa_error *err)
{
    const size_t H = t->H0, P = t->P0, C = t->net->n_out;
    const size_t mx = H > P ? H : P;
    if (fsnsa__work_init(&t->ws, H, P, C, t->B) != 0)
        return fsnsa__nomem(err, "training buffers");
#ifdef _OPENMP
    /* Threads within one step: as many as OpenMP would give a parallel
     * region here (1 inside an outer parallel region, e.g. parallel
     * restarts). The results do not depend on it. */
    t->ws.threads = omp_in_parallel() ? 1 : omp_get_max_threads();
#endif
    /* the layout fsnsa__net_alloc gave the net, so it fits */
    (void)fsnsa__layout_of(H, P, C, &t->layout);
    const fsnsa__layout *L = &t->layout;
    t->moments = fsnsa__alloc_floats(2 * L->size);
    t->perm = fsnsa__alloc(t->n, sizeof *t->perm);
    t->score = fsnsa__alloc(mx, sizeof(float));
    t->keep = fsnsa__alloc(mx, sizeof(size_t));
    t->work = fsnsa__alloc(mx, sizeof(size_t));
    t->dropped = fsnsa__alloc(P, sizeof(size_t));
    t->dropped_score = fsnsa__alloc(P, sizeof(float));
    t->row_s = fsnsa__alloc(H, sizeof(float));
    t->row_inv = fsnsa__alloc(H, sizeof(float));
    if (!t->moments || !t->perm || !t->score || !t->keep || !t->work ||
        !t->dropped || !t->dropped_score || !t->row_s || !t->row_inv)
        return fsnsa__nomem(err, "training buffers");
    float *m = t->moments, *v = t->moments + L->size;
    t->mo = (fsnsa__moments){m + L->W,    v + L->W,    m + L->b, v + L->b,
                             m + L->beta, v + L->beta, m + L->c, v + L->c};
    t->blocks[0] = t->net->W;
    t->blocks[1] = m;
    t->blocks[2] = v;
    return FSNSA_OK;
}

fsnsa_status fsnsa__trainer_init(fsnsa__trainer *t, const fsnsa_dataset *d,
                                 const fsnsa_train_options *o,
                                 const fsnsa_net *init, fsnsa_error *err)
{
    memset(t, 0, sizeof *t);
    fsnsa_status st = start_net(t, d, o, init, err);
    if (st != FSNSA_OK)
        return st;
    t->H0 = t->net->h;
    t->P0 = t->net->p;
    t->n = d->n;
    t->B = o->batch == 0 || o->batch > d->n ? d->n : o->batch;
    t->y = d->y;
    if ((st = start_data(t, d, o, err)) != FSNSA_OK ||
        (st = start_buffers(t, err)) != FSNSA_OK)
        return st;
    t->ws.target = o->task == FSNSA_TASK_REGRESSION ? d->target : NULL;
    fsnsa__adam_init(&t->adam, o->lr, o->beta1, o->beta2, o->eps, o->weight_decay);
    /* Shuffling has its own stream so that it does not depend on how many
     * numbers the initialization drew. */
    fsnsa_rng_seed(&t->rng, o->seed ^ 0xA0761D6478BD642Full);
    for (size_t i = 0; i < d->n; i++)
        t->perm[i] = i;
    return FSNSA_OK;
}

/* Gather, forward + backward and Adam, fused chunk by chunk in kernels.c:
 * the same arithmetic as the step without Adam followed by
 * fsnsa__adam_update on W, b, beta and c. */
double fsnsa__trainer_step(fsnsa__trainer *t, const size_t *rows, size_t B)
{
    fsnsa__adam_begin_step(&t->adam);
    return fsnsa__grad_step(t->net, t->X, t->ldx, rows, t->y, B, &t->ws,
                            &t->adam, &t->mo);
}

/* One index map (rank), one compaction of every block (net->W and the
 * moments): moments follow their parameters, exactly what a masked
 * implementation (pruned weights held at zero) would compute. */
static void prune_nodes(fsnsa__trainer *t, size_t h_new, bool in_place)
{
    fsnsa_net *net = t->net;
    if (in_place) {
        fsnsa__rank_nodes(net, h_new, t->score, t->keep, t->work);
    } else {
        fsnsa__scaled_node_scores(net, t->row_s, t->score);
        fsnsa__top_indices(t->score, net->h, h_new, t->keep, t->work);
        /* the kept nodes' factors, in their new places */
        fsnsa__keep_rows(t->row_inv, 1, t->keep, h_new);
    }
    for (size_t k = 0; k < FSNSA__TRAINER_BLOCKS; k++)
        fsnsa__keep_nodes(t->blocks[k], &t->layout, net->p, t->keep, h_new);
    net->h = h_new;
}

/* The positions not in keep[0..p_new) (ascending), with their scores,
 * before the compaction overwrites them: the importance of a dropped
 * column is when and at what r_i it left. */
static void note_dropped(fsnsa__trainer *t, size_t p_new)
{
    const fsnsa_net *net = t->net;
    size_t k = 0;
    for (size_t i = 0; i < net->p; i++) {
        if (k < p_new && t->keep[k] == i) {
            k++;
            continue;
        }
        t->dropped[t->n_dropped] = net->features[i];
        t->dropped_score[t->n_dropped++] = t->score[i];
    }
}

static void prune_features(fsnsa__trainer *t, size_t p_new, bool in_place)
{
    fsnsa_net *net = t->net;
    if (in_place) {
        fsnsa__rank_features(net, p_new, t->score, t->keep, t->work);
    } else {
        fsnsa__scaled_feature_scores(net, t->row_inv, t->score);
        fsnsa__top_indices(t->score, net->p, p_new, t->keep, t->work);
    }
    note_dropped(t, p_new);
    for (size_t k = 0; k < FSNSA__TRAINER_BLOCKS; k++)
        fsnsa__keep_features(t->blocks[k], &t->layout, net->h, net->p, t->keep,
                             p_new);
    for (size_t i = 0; i < p_new; i++)
        net->features[i] = net->features[t->keep[i]];
    net->p = p_new;
    /* t->Xown exists whenever features are selected (see start_data) */
    fsnsa__keep_cols(t->Xown, t->n, t->ldx, t->keep, p_new);
    t->ldx = p_new;
}

void fsnsa__trainer_anneal(fsnsa__trainer *t, const fsnsa_train_options *o,
                           int e)
{
    fsnsa_net *net = t->net;
    bool nodes = fsnsa__prunes_nodes(o->method);
    bool features = fsnsa__selects_features(o->method);
    t->n_dropped = 0;
    if (!nodes && !features)
        return;
    bool in_place = fsnsa__variant_in_place(o, e);
    if (o->variant == FSNSA_VARIANT_PAPER) {
        fsnsa_net_normalize(net); /* Eq. (3) */
    } else {
        fsnsa__row_scales(net, t->row_s, t->row_inv); /* Eq. (3) on copies */
        if (in_place) /* after the last epoch */
            fsnsa__apply_scales(net, t->row_s, t->row_inv);
    }
    if (nodes) {
        size_t h_e = fsnsa_schedule_nodes(e, o->epochs, t->H0, o->hidden, o->mu);
        if (h_e < net->h)
            prune_nodes(t, h_e, in_place);
    }
    if (features) {
        size_t p_e = fsnsa_schedule_features(e, o->epochs, t->P0, o->features, o->mu);
        if (p_e < net->p)
            prune_features(t, p_e, in_place);
    }
}

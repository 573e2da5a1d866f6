/* The importance of every column, recorded while a model is fitted: a
 * per-epoch callback in front of the caller's notes when each dropped
 * column left and at what relevance r_i; the kept columns get their r_i
 * in the final network. The whole ranking then reads as LassoNet's
 * feature_importances_ does: kept columns first, by r_i, then the dropped
 * ones, the latest to leave first (docs/algorithm.md, "Importance"). */
#include "model.h"

#include <stdlib.h>

fsnsa_status fsnsa__importance_start(fsnsa__importance *imp,
                                     const fsnsa_train_options *o,
                                     size_t p_in, fsnsa_error *err)
{
    imp->user = o->on_epoch;
    imp->user_ctx = o->on_epoch_ctx;
    imp->drop_epoch = fsnsa__calloc(p_in, sizeof *imp->drop_epoch);
    imp->relevance = fsnsa__calloc(p_in, sizeof *imp->relevance);
    if (imp->drop_epoch == NULL || imp->relevance == NULL)
        return fsnsa__nomem(err, "the importance of the columns");
    return FSNSA_OK;
}

int fsnsa__importance_on_epoch(const fsnsa_epoch_info *e, void *ctx)
{
    fsnsa__importance *imp = ctx;
    for (size_t i = 0; i < e->n_dropped; i++) {
        imp->drop_epoch[e->dropped_ids[i]] = e->epoch;
        imp->relevance[e->dropped_ids[i]] = e->dropped_relevance[i];
    }
    return imp->user != NULL ? imp->user(e, imp->user_ctx) : 0;
}

fsnsa_status fsnsa__importance_finish(fsnsa__importance *imp, fsnsa_model *m,
                                      fsnsa_error *err)
{
    /* r_i of a normalized copy (Eq. 3), as inspect and the pruning rank */
    fsnsa_net *net = NULL;
    fsnsa_status st = fsnsa_net_copy(m->net, &net, err);
    if (st != FSNSA_OK)
        return st;
    fsnsa_net_normalize(net);
    float *score = fsnsa__alloc(net->p > 0 ? net->p : 1, sizeof *score);
    if (score == NULL) {
        fsnsa_net_free(net);
        return fsnsa__nomem(err, "the relevance of the kept columns");
    }
    fsnsa_net_feature_scores(net, score);
    for (size_t i = 0; i < net->p; i++) {
        imp->drop_epoch[net->features[i]] = 0;
        imp->relevance[net->features[i]] = score[i];
    }
    free(score);
    fsnsa_net_free(net);
    m->drop_epoch = imp->drop_epoch;
    m->relevance = imp->relevance;
    imp->drop_epoch = NULL;
    imp->relevance = NULL;
    return FSNSA_OK;
}

void fsnsa__importance_clear(fsnsa__importance *imp)
{
    free(imp->drop_epoch);
    free(imp->relevance);
    imp->drop_epoch = NULL;
    imp->relevance = NULL;
}

/* One column as the ranking sorts it. */
typedef struct {
    int epoch;
    float relevance;
    size_t column;
} ranked_column;

/* Kept (drop epoch 0) before dropped, the later drop first, then the
 * larger relevance, then the lower column. */
static int importance_cmp(const void *a_, const void *b_)
{
    const ranked_column *a = a_, *b = b_;
    if ((a->epoch == 0) != (b->epoch == 0))
        return a->epoch == 0 ? -1 : 1;
    if (a->epoch != b->epoch)
        return a->epoch > b->epoch ? -1 : 1;
    if (a->relevance != b->relevance)
        return a->relevance > b->relevance ? -1 : 1;
    return (a->column > b->column) - (a->column < b->column);
}

fsnsa_status fsnsa_model_importance_order(const fsnsa_model *m, size_t *order,
                                          fsnsa_error *err)
{
    if (m == NULL || m->net == NULL || m->drop_epoch == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "the model records no importance (format 1.2, "
                           "trained without a warm start)");
    size_t p_in = m->net->p_in;
    ranked_column *r = fsnsa__alloc(p_in > 0 ? p_in : 1, sizeof *r);
    if (r == NULL)
        return fsnsa__nomem(err, "the ranking of the columns");
    for (size_t i = 0; i < p_in; i++)
        r[i] = (ranked_column){m->drop_epoch[i], m->relevance[i], i};
    qsort(r, p_in, sizeof *r, importance_cmp);
    for (size_t i = 0; i < p_in; i++)
        order[i] = r[i].column;
    free(r);
    return FSNSA_OK;
}

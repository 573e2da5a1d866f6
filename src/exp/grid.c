/* The grid search of Section 4.2 (Table 2): its options and default grids,
 * the list of settings, the choice of the settings to retrain, and
 * fsnsa_grid, which runs the phases (grid.h names the files). */
#include "grid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn/train.h"

/* The paper's grids (Section 4.2), the defaults of fsnsa_grid_options. */
static const size_t grid_hidden[] = {16, 32, 64, 128, 256, 512};
static const double grid_l2[] = {1e-4, 1e-3, 1e-2, 1e-1};
static const size_t grid_batch[] = {16, 32, 64};

#define COUNT(a) (sizeof(a) / sizeof *(a))

void fsnsa_grid_options_default(fsnsa_grid_options *o)
{
    memset(o, 0, sizeof *o);
    /* method, hidden, features, batch and weight_decay are each
     * setting's; the rest is fsnsa_train's */
    fsnsa_train_options_default(&o->train);
    o->scale = FSNSA_SCALE_STANDARD;
    /* the paper's experiments reproduce the paper's algorithm */
    o->train.variant = FSNSA_VARIANT_PAPER;
    o->test_fraction = 0.2;
    o->split_seed = 0;
    o->folds = 5;
    o->repeats = 10;
    o->hidden = grid_hidden;
    o->n_hidden = COUNT(grid_hidden);
    o->l2 = grid_l2;
    o->n_l2 = COUNT(grid_l2);
    o->batch = grid_batch;
    o->n_batch = COUNT(grid_batch);
    o->dense = 1;
    o->fsa_nsa = 1;
    o->sizes = NULL; /* fsnsa_grid_default_sizes */
    o->retrains = 10;
    o->seed = 1;
    fsnsa_sweep_options_default(&o->sweep);
}

size_t fsnsa_grid_default_sizes(size_t p,
                                fsnsa_size out[FSNSA_GRID_DEFAULT_SIZES])
{
    size_t k1 = (p + 3) / 4, k2 = (p + 1) / 2;
    out[0] = (fsnsa_size){k1, 8};
    out[1] = (fsnsa_size){k1, 32};
    if (k1 == k2)
        return 2;
    out[2] = (fsnsa_size){k2, 8};
    out[3] = (fsnsa_size){k2, 32};
    return 4;
}

void fsnsa_grid_result_clear(fsnsa_grid_result *r)
{
    if (r == NULL)
        return;
    free(r->settings);
    memset(r, 0, sizeof *r);
}

static fsnsa_status check_options(const fsnsa_dataset *all,
                                  const fsnsa_grid_options *o,
                                  fsnsa_error *err)
{
    if (!(o->test_fraction > 0 && o->test_fraction < 1) || o->folds < 2 ||
        o->repeats < 1 || o->retrains < 1)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "the grid needs a test fraction in (0, 1), >= 2 "
                           "folds, >= 1 repeat and >= 1 retraining");
    if (!o->dense && !o->fsa_nsa)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no method to search");
    if (o->n_l2 == 0 || o->n_batch == 0 || (o->dense && o->n_hidden == 0) ||
        (o->fsa_nsa && o->n_sizes == 0))
        return fsnsa__fail(err, FSNSA_ERR_ARG, "an empty grid");
    for (size_t i = 0; o->fsa_nsa && i < o->n_sizes; i++)
        if (o->sizes[i].k < 1 || o->sizes[i].k > all->p ||
            o->sizes[i].h < 1 || o->sizes[i].h > o->train.start_hidden)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "FSA+NSA size k=%zu h=%zu: need 1 <= k <= %zu "
                               "and 1 <= h <= start-hidden %zu",
                               o->sizes[i].k, o->sizes[i].h, all->p,
                               o->train.start_hidden);
    return FSNSA_OK;
}

/* The task of o->train against the data: a regression needs finite
 * targets, a classification data without them. */
static fsnsa_status check_task(const fsnsa_dataset *all,
                               const fsnsa_grid_options *o, fsnsa_error *err)
{
    if (o->train.task == FSNSA_TASK_REGRESSION)
        return fsnsa__check_targets(all, err);
    if (all->target != NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "the data has regression targets: run the grid "
                           "with task regression");
    return FSNSA_OK;
}

/* Every setting in grid order: dense hidden x L2 x batch, then FSA+NSA
 * sizes x L2 x batch; each checked as a training's options. */
static fsnsa_status list_settings(const fsnsa_grid_options *o, size_t p,
                                  fsnsa_grid_result *out, fsnsa_error *err)
{
    size_t ns = (o->dense ? o->n_hidden : 0) * o->n_l2 * o->n_batch +
                (o->fsa_nsa ? o->n_sizes : 0) * o->n_l2 * o->n_batch;
    out->settings = fsnsa__calloc(ns, sizeof *out->settings);
    if (out->settings == NULL)
        return fsnsa__nomem(err, "the grid");
    size_t k = 0;
    for (size_t a = 0; o->dense && a < o->n_hidden; a++)
        for (size_t b = 0; b < o->n_l2; b++)
            for (size_t c = 0; c < o->n_batch; c++)
                out->settings[k++] = (fsnsa_grid_setting){
                    .method = FSNSA_METHOD_DENSE, .hidden = o->hidden[a],
                    .l2 = o->l2[b], .batch = o->batch[c]};
    for (size_t a = 0; o->fsa_nsa && a < o->n_sizes; a++)
        for (size_t b = 0; b < o->n_l2; b++)
            for (size_t c = 0; c < o->n_batch; c++)
                out->settings[k++] = (fsnsa_grid_setting){
                    .method = FSNSA_METHOD_FSA_NSA, .hidden = o->sizes[a].h,
                    .features = o->sizes[a].k, .l2 = o->l2[b],
                    .batch = o->batch[c]};
    out->n_settings = ns;
    for (size_t i = 0; i < ns; i++) {
        fsnsa_train_options chk;
        fsnsa__grid_setting_options(o, &out->settings[i], 1, &chk);
        fsnsa_status st = fsnsa_train_options_check(&chk, p, err);
        if (st != FSNSA_OK)
            return st;
    }
    return FSNSA_OK;
}

/* Weights of a setting's net without biases, h (k + n_out), as Table 2
 * counts them. */
static double setting_weights(const fsnsa_grid_setting *s, size_t p,
                              size_t n_out)
{
    size_t k = s->method == FSNSA_METHOD_DENSE ? p : s->features;
    return (double)s->hidden * (double)(k + n_out);
}

/* What settings are chosen by: the mean CV accuracy, or a regression's
 * mean CV R^2. */
static double cv_score(const fsnsa_grid_setting *s, int regression)
{
    return regression ? s->cv_r2 : s->cv_acc;
}

/* Best setting of one method: fewest broken folds (a setting whose
 * training breaks is not to be trusted), then the highest cv_score; ties
 * go to fewer weights, then to the earlier setting. */
static const fsnsa_grid_setting *best_of(const fsnsa_grid_setting *s, size_t n,
                                         fsnsa_method m, size_t p,
                                         size_t n_out, int regression)
{
    const fsnsa_grid_setting *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i].method != m)
            continue;
        double si = cv_score(&s[i], regression);
        double sb = best != NULL ? cv_score(best, regression) : 0;
        if (best == NULL || s[i].cv_broken < best->cv_broken ||
            (s[i].cv_broken == best->cv_broken &&
             (si > sb || (si == sb && setting_weights(&s[i], p, n_out) <
                                          setting_weights(best, p, n_out)))))
            best = &s[i];
    }
    return best;
}

/* The "equivalent" dense net: about as many weights as the best FSA+NSA
 * net, h(p + n_out) ~ h_f(k + n_out); it takes the regularization and
 * batch of the best dense setting (of the FSA+NSA setting when dense was
 * not searched). */
static fsnsa_grid_setting equivalent_of(const fsnsa_grid_setting *bd,
                                        const fsnsa_grid_setting *bf, size_t p,
                                        size_t n_out)
{
    double w = setting_weights(bf, p, n_out);
    size_t heq = (size_t)llround(w / (double)(p + n_out));
    fsnsa_grid_setting eq = bd != NULL ? *bd : *bf;
    eq.method = FSNSA_METHOD_DENSE;
    eq.features = 0;
    eq.hidden = heq < 1 ? 1 : heq;
    eq.cv_acc = eq.cv_acc_std = eq.cv_loss = NAN;
    eq.cv_r2 = eq.cv_r2_std = eq.cv_mse = NAN;
    return eq;
}

/* The settings to retrain, in this order: the best dense, the best
 * FSA+NSA and its equivalent dense net, as found; slots[i] is where the
 * result of finals[i] goes. Returns how many (at most 3). */
static size_t choose_finals(fsnsa_grid_result *out, size_t p, size_t n_out,
                            fsnsa_grid_setting finals[3],
                            fsnsa_grid_final *slots[3])
{
    int reg = out->task == FSNSA_TASK_REGRESSION;
    const fsnsa_grid_setting *bd = best_of(
        out->settings, out->n_settings, FSNSA_METHOD_DENSE, p, n_out, reg);
    const fsnsa_grid_setting *bf = best_of(
        out->settings, out->n_settings, FSNSA_METHOD_FSA_NSA, p, n_out, reg);
    size_t n = 0;
    if (bd != NULL) {
        slots[n] = &out->best_dense;
        finals[n++] = *bd;
    }
    if (bf != NULL) {
        slots[n] = &out->best_fsa;
        finals[n++] = *bf;
        slots[n] = &out->equivalent;
        finals[n++] = equivalent_of(bd, bf, p, n_out);
    }
    out->have_dense = bd != NULL;
    out->have_fsa = bf != NULL;
    return n;
}

fsnsa_status fsnsa_grid(const fsnsa_dataset *all, const fsnsa_grid_options *o,
                        fsnsa_grid_result *out, fsnsa_error *err)
{
    memset(out, 0, sizeof *out);
    if (all == NULL || o == NULL || !all->has_labels)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "the grid needs labeled data");
    /* the automatic FSA+NSA sizes, for this data */
    fsnsa_size sizes[FSNSA_GRID_DEFAULT_SIZES];
    fsnsa_grid_options opt = *o;
    if (opt.fsa_nsa && opt.sizes == NULL) {
        opt.n_sizes = fsnsa_grid_default_sizes(all->p, sizes);
        opt.sizes = sizes;
    }
    fsnsa_status st = check_task(all, &opt, err);
    if (st == FSNSA_OK)
        st = check_options(all, &opt, err);
    if (st != FSNSA_OK)
        return st;
    const size_t C = all->schema.n_classes;
    /* a regression has one linear output, a binary one logistic unit */
    const size_t n_out = all->target != NULL || C == 2 ? 1 : C;
    fsnsa__grid_data g;
    st = fsnsa__grid_split(all, &opt, &g, err);
    if (st != FSNSA_OK)
        return st;
    out->n_train = g.train->n;
    out->n_test = g.test->n;
    out->p = all->p;
    out->n_classes = C;
    out->task = opt.train.task;
    st = list_settings(&opt, all->p, out, err);
    if (st == FSNSA_OK)
        st = fsnsa__grid_cv(&g, out->settings, out->n_settings, err);
    if (st == FSNSA_OK) {
        fsnsa_grid_setting finals[3];
        fsnsa_grid_final *slots[3];
        size_t n = choose_finals(out, all->p, n_out, finals, slots);
        st = fsnsa__grid_final(&g, finals, n, slots, err);
    }
    if (st != FSNSA_OK)
        fsnsa_grid_result_clear(out);
    fsnsa__grid_data_clear(&g);
    return st;
}

/* The dense refit (fsnsa_fit_options.refit, model format 1.6): the
 * refitted network is bit for bit the dense net one trains by hand on the
 * kept columns; the columns, importance and file of a model without it
 * are unchanged; the refit round-trips; a 1.5 file still loads. */
#include "testutil.h"
#include "model/model.h"

#include <math.h>

/* XOR of x0, x1 in 6 columns, 300 rows. */
static fsnsa_dataset *xor_rows(void)
{
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_xor_generate(300, 6, 2, 3, 0, &d, &err), FSNSA_OK);
    return d;
}

/* fsa-nsa to 3 of the 6 columns, 32 -> 6 nodes, with a validation split
 * and balanced class weights so that the refit must carry them over. */
static void options(fsnsa_fit_options *o, fsnsa_refit refit)
{
    fsnsa_fit_options_default(o);
    o->train.method = FSNSA_METHOD_FSA_NSA;
    o->train.start_hidden = 32;
    o->train.hidden = 6;
    o->train.features = 3;
    o->train.epochs = 40;
    o->train.lr = 0.01;
    o->train.seed = 7;
    o->train.validation_fraction = 0.2;
    o->train.class_weight = FSNSA_CLASS_WEIGHT_BALANCED;
    o->refit = refit;
}

static fsnsa_model *fit(const fsnsa_dataset *d, const fsnsa_fit_options *o)
{
    fsnsa_model *m = NULL;
    fsnsa_error err = {0};
    if (fsnsa_model_fit(d, o, NULL, &m, NULL, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    return m;
}

/* The raw columns cols[0..k) of d as a data set of their own. */
static fsnsa_dataset *columns_of(const fsnsa_dataset *d, const size_t *cols,
                                 size_t k)
{
    float *x = malloc(d->n * k * sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < d->n; i++)
        for (size_t j = 0; j < k; j++)
            x[i * k + j] = d->x[i * d->p + cols[j]];
    fsnsa_dataset *s = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_dataset_from_arrays(d->n, k, x, d->y,
                                               d->schema.n_classes, &s, &err),
                     FSNSA_OK);
    free(x);
    return s;
}

static void same_weights(const fsnsa_net *a, const fsnsa_net *b)
{
    assert_int_equal(a->p, b->p);
    assert_int_equal(a->h, b->h);
    assert_int_equal(a->n_out, b->n_out);
    assert_memory_equal(a->W, b->W, a->h * a->p * sizeof *a->W);
    assert_memory_equal(a->b, b->b, a->h * sizeof *a->b);
    assert_memory_equal(a->beta, b->beta, a->h * a->n_out * sizeof *a->beta);
    assert_memory_equal(a->c, b->c, a->n_out * sizeof *a->c);
}

/* The refit is the dense net of the final h nodes, trained with the same
 * options and seed on the kept columns by hand (its own scaler fitted on
 * them, as the model's is per column); the columns, the importance and
 * the options stay the annealing's. */
static void test_refit_is_dense_by_hand(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor_rows();
    fsnsa_fit_options o;
    options(&o, FSNSA_REFIT_NONE);
    fsnsa_model *plain = fit(d, &o);
    options(&o, FSNSA_REFIT_DENSE);
    fsnsa_model *m = fit(d, &o);
    assert_int_equal(plain->refit, FSNSA_REFIT_NONE);
    assert_int_equal(m->refit, FSNSA_REFIT_DENSE);
    const fsnsa_net *a = plain->net, *r = m->net;
    assert_int_equal(r->p_in, 6);
    assert_int_equal(r->p, a->p);
    assert_int_equal(r->h, a->h);
    assert_memory_equal(r->features, a->features, a->p * sizeof *a->features);
    assert_memory_equal(m->drop_epoch, plain->drop_epoch,
                        6 * sizeof *m->drop_epoch);
    assert_memory_equal(m->relevance, plain->relevance,
                        6 * sizeof *m->relevance);
    assert_int_equal(m->options.method, FSNSA_METHOD_FSA_NSA);
    assert_true(memcmp(r->W, a->W, r->h * r->p * sizeof *r->W) != 0);

    fsnsa_dataset *sub = columns_of(d, a->features, a->p);
    fsnsa_fit_options h = o;
    h.refit = FSNSA_REFIT_NONE;
    h.train.method = FSNSA_METHOD_DENSE;
    h.train.hidden = a->h;
    h.train.features = 0;
    fsnsa_model *hand = fit(sub, &h);
    same_weights(r, hand->net);
    assert_true(m->train_loss == hand->train_loss);
    assert_true(m->validation_loss == hand->validation_loss);
    assert_int_equal(m->chosen_epoch, hand->chosen_epoch);
    assert_memory_equal(m->recall, hand->recall, 2 * sizeof *m->recall);
    fsnsa_model_free(hand);
    fsnsa_dataset_free(sub);
    fsnsa_model_free(m);
    fsnsa_model_free(plain);
    fsnsa_dataset_free(d);
}

/* m's file text (saved in the scratch directory as name). */
static char *text_of(const fsnsa_model *m, const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tu_scratch_dir(), name);
    fsnsa_error err = {0};
    if (fsnsa_model_save(m, path, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    char *t = tu_slurp(path, len);
    assert_non_null(t);
    return t;
}

/* Without a refit the file has no refit line and stays at 1.4 (what
 * this model held before 1.6); with it the file is 1.6, ends in "refit
 * dense" and reads back to the same bytes and the same network. */
static void test_file(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor_rows();
    fsnsa_fit_options o;
    fsnsa_fit_options_default(&o);
    assert_int_equal(o.refit, FSNSA_REFIT_NONE);
    options(&o, FSNSA_REFIT_NONE);
    fsnsa_model *plain = fit(d, &o);
    options(&o, FSNSA_REFIT_DENSE);
    fsnsa_model *m = fit(d, &o);
    size_t n0, n1, n2;
    char *t0 = text_of(plain, "plain.model", &n0);
    assert_true(strncmp(t0, "fsnsa-model 1.4\n", 16) == 0);
    assert_null(strstr(t0, "\nrefit"));
    char *t1 = text_of(m, "refit.model", &n1);
    assert_true(strncmp(t1, "fsnsa-model 1.6\n", 16) == 0);
    assert_non_null(strstr(t1, "\nrefit dense\ncrc32 "));
    fsnsa_model *back = NULL;
    fsnsa_error err = {0};
    char path[512];
    snprintf(path, sizeof path, "%s/refit.model", tu_scratch_dir());
    if (fsnsa_model_load(path, &back, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(back->refit, FSNSA_REFIT_DENSE);
    same_weights(back->net, m->net);
    char *t2 = text_of(back, "again.model", &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(t1, t2, n1);
    /* an unknown refit name is refused */
    char *bad = strstr(t1, "\nrefit dense\n");
    memcpy(bad + 7, "dunno", 5);
    fsnsa_model *no = NULL;
    assert_int_equal(fsnsa__model_parse(t1, n1, "bad.model", false, &no,
                                        &err),
                     FSNSA_ERR_FORMAT);
    assert_null(no);
    free(t0);
    free(t1);
    free(t2);
    fsnsa_model_free(back);
    fsnsa_model_free(m);
    fsnsa_model_free(plain);
    fsnsa_dataset_free(d);
}

/* A dense method has nothing to refit; an unknown refit is refused. */
static void test_refused(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor_rows();
    fsnsa_fit_options o;
    options(&o, FSNSA_REFIT_DENSE);
    o.train.method = FSNSA_METHOD_DENSE;
    fsnsa_model *m = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_model_fit(d, &o, NULL, &m, NULL, &err),
                     FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "prunes nothing"));
    assert_null(m);
    options(&o, (fsnsa_refit)7);
    assert_int_equal(fsnsa_model_fit(d, &o, NULL, &m, NULL, &err),
                     FSNSA_ERR_ARG);
    assert_null(m);
    fsnsa_dataset_free(d);
}

/* A model written by fsnsa before 1.6 (tests/fixtures/README.md) loads
 * with no refit, its curve intact, and is written back as it was. */
static void test_old_1_5_file(void **state)
{
    (void)state;
    size_t n, n2;
    char *old = tu_slurp("tests/fixtures/old-1.5.model", &n);
    assert_non_null(old);
    assert_true(strncmp(old, "fsnsa-model 1.5\n", 16) == 0);
    fsnsa_model *m = NULL;
    fsnsa_error err = {0};
    if (fsnsa_model_load("tests/fixtures/old-1.5.model", &m, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(m->refit, FSNSA_REFIT_NONE);
    assert_true(m->select_features.n_sizes > 0);
    char *t = text_of(m, "old.model", &n2);
    assert_int_equal(n, n2);
    assert_memory_equal(old, t, n);
    free(t);
    free(old);
    fsnsa_model_free(m);
}

/* Choosing k with the refit's score: XOR of x0, x1 in 6 columns picks 2
 * of the path 1, 2, 3, 6, the same for 1 and 2 threads; an unknown score
 * and negative refit epochs are refused. */
static void test_select_refit(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor_rows();
    fsnsa_fit_options o;
    options(&o, FSNSA_REFIT_NONE);
    o.train.validation_fraction = 0;
    o.train.class_weight = FSNSA_CLASS_WEIGHT_NONE;
    o.train.epochs = 60;
    fsnsa_select_options so;
    fsnsa_select_options_default(&so);
    assert_int_equal(so.score, FSNSA_SELECT_SCORE_PATH);
    assert_int_equal(so.refit_epochs, 0);
    const size_t sizes[] = {6, 3, 2, 1};
    so.sizes = sizes;
    so.n_sizes = 4;
    so.folds = 3;
    so.score = FSNSA_SELECT_SCORE_REFIT;
    fsnsa_select_result r1, r2;
    fsnsa_error err = {0};
    if (fsnsa_select_features(d, &o, &so, &r1, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(r1.k, 2);
    assert_true(r1.mean[1] < r1.mean[0]);
    o.threads = 2;
    if (fsnsa_select_features(d, &o, &so, &r2, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    assert_memory_equal(r1.fold_loss, r2.fold_loss,
                        3 * 4 * sizeof *r1.fold_loss);
    /* the path's own score gives other losses */
    fsnsa_select_result_clear(&r2);
    so.score = FSNSA_SELECT_SCORE_PATH;
    if (fsnsa_select_features(d, &o, &so, &r2, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    assert_true(memcmp(r1.fold_loss, r2.fold_loss,
                       3 * 4 * sizeof *r1.fold_loss) != 0);
    fsnsa_select_result_clear(&r2);
    so.score = (fsnsa_select_score)5;
    assert_int_equal(fsnsa_select_features(d, &o, &so, &r2, &err),
                     FSNSA_ERR_ARG);
    so.score = FSNSA_SELECT_SCORE_REFIT;
    so.refit_epochs = -1;
    assert_int_equal(fsnsa_select_features(d, &o, &so, &r2, &err),
                     FSNSA_ERR_ARG);
    fsnsa_select_result_clear(&r1);
    fsnsa_dataset_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refit_is_dense_by_hand),
        cmocka_unit_test(test_file),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_old_1_5_file),
        cmocka_unit_test(test_select_refit),
    };
    return cmocka_run_group_tests_name("refit", tests, NULL, NULL);
}

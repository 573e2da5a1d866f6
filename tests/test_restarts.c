/* Restarts, stability scores and the importance of every column
 * (src/model/restarts.c, importance.c): the lowest loss kept, each run
 * the bits of a single fit with its seed, the same model for any thread
 * count, the stability score on 3-D XOR where the answer is known, drop
 * epochs that match the selection path seen by a callback, the ranking,
 * and the model file round trip (format 1.2; older files still load). */
#include "testutil.h"

#include <math.h>

static fsnsa_dataset *xor3(size_t n, size_t p)
{
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_xor_generate(n, p, 3, 1, 0, &d, NULL), FSNSA_OK);
    return d;
}

/* Small FSA+NSA runs that find {0, 1, 2} of 3-D XOR at p = 8 (measured:
 * every seed 1..6 does). */
static void xor_options(fsnsa_fit_options *o, size_t restarts, int threads)
{
    fsnsa_fit_options_default(o);
    o->train.variant = FSNSA_VARIANT_PAPER; /* files at the paper's format minor */
    o->train.method = FSNSA_METHOD_FSA_NSA;
    o->train.features = 3;
    o->train.start_hidden = 64;
    o->train.hidden = 16;
    o->train.epochs = 100;
    o->restarts = restarts;
    o->threads = threads;
}

static fsnsa_model *fit_restarts(const fsnsa_dataset *d,
                                 const fsnsa_fit_options *o,
                                 fsnsa_restart_run *runs)
{
    fsnsa_model *m = NULL;
    fsnsa_error err = {0};
    if (fsnsa_model_fit_restarts(d, o, &m, runs, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    return m;
}

static char *saved_text(const fsnsa_model *m, const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tu_scratch_dir(), name);
    assert_int_equal(fsnsa_model_save(m, path, NULL), FSNSA_OK);
    char *text = tu_slurp(path, NULL);
    assert_non_null(text);
    return text;
}

/* The kept run has the lowest loss; each run is the single fit with its
 * seed, bit for bit. */
static void test_lowest_loss_kept(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor3(600, 10);
    fsnsa_fit_options o;
    xor_options(&o, 4, 2);
    o.train.epochs = 40; /* short: the runs end at different losses */
    fsnsa_restart_run runs[4];
    fsnsa_model *m = fit_restarts(d, &o, runs);
    size_t best = 0;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(runs[i].seed, o.train.seed + i);
        assert_int_equal(runs[i].status, FSNSA_OK);
        if (runs[i].loss < runs[best].loss)
            best = i;
        fsnsa_fit_options one = o;
        one.train.seed = o.train.seed + i;
        fsnsa_model *single = NULL;
        assert_int_equal(fsnsa_model_fit(d, &one, NULL, &single, NULL, NULL),
                         FSNSA_OK);
        assert_true(single->train_loss == runs[i].loss);
        assert_int_equal(single->net->p, runs[i].n_features);
        assert_memory_equal(single->net->features, runs[i].features,
                            runs[i].n_features * sizeof(size_t));
        fsnsa_model_free(single);
    }
    /* the losses differ, or the test would not tell the runs apart */
    assert_true(runs[0].loss != runs[1].loss || runs[1].loss != runs[2].loss);
    assert_true(m->train_loss == runs[best].loss);
    assert_int_equal(m->options.seed, runs[best].seed);
    fsnsa_restart_runs_clear(runs, 4);
    fsnsa_model_free(m);
    fsnsa_dataset_free(d);
}

/* One thread or two: the same model file, byte for byte. */
static void test_threads_same_model(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor3(600, 10);
    fsnsa_fit_options o;
    xor_options(&o, 3, 1);
    o.train.epochs = 30;
    fsnsa_model *m1 = fit_restarts(d, &o, NULL);
    o.threads = 2;
    fsnsa_model *m2 = fit_restarts(d, &o, NULL);
    char *t1 = saved_text(m1, "t1.model"), *t2 = saved_text(m2, "t2.model");
    assert_string_equal(t1, t2);
    free(t1);
    free(t2);
    fsnsa_model_free(m1);
    fsnsa_model_free(m2);
    fsnsa_dataset_free(d);
}

/* 3-D XOR, p = 8: every run finds {0, 1, 2}, so their scores are 1 and
 * every other column's 0; and in general a score is the count of the
 * runs that kept the column over the runs. */
static void test_stability_xor(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor3(1000, 8);
    fsnsa_fit_options o;
    xor_options(&o, 6, 2);
    fsnsa_restart_run runs[6];
    fsnsa_model *m = fit_restarts(d, &o, runs);
    assert_int_equal(m->restarts, 6);
    assert_non_null(m->stability);
    for (size_t j = 0; j < 8; j++) {
        size_t kept = 0;
        for (size_t i = 0; i < 6; i++)
            for (size_t f = 0; f < runs[i].n_features; f++)
                kept += runs[i].features[f] == j;
        assert_true(m->stability[j] == (float)kept / 6.0f);
        assert_true(m->stability[j] == (j < 3 ? 1.0f : 0.0f));
    }
    fsnsa_restart_runs_clear(runs, 6);
    fsnsa_model_free(m);
    fsnsa_dataset_free(d);
}

/* What a callback sees: the epoch after which each column left the
 * kept features (0: never). */
typedef struct {
    size_t p_in;
    int left[16];
    int calls;
} path_seen;

static int see_epoch(const fsnsa_epoch_info *e, void *ctx)
{
    path_seen *s = ctx;
    s->calls++;
    for (size_t j = 0; j < s->p_in; j++) {
        int in = 0;
        for (size_t i = 0; i < e->features; i++)
            in |= e->feature_ids[i] == j;
        if (!in && s->left[j] == 0)
            s->left[j] = e->epoch;
    }
    return 0;
}

/* Drop epochs as the path shows them; the ranking puts the kept columns
 * first by r_i, then the dropped ones, the last dropped first. */
static void test_importance_matches_path(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor3(600, 12);
    fsnsa_fit_options o;
    xor_options(&o, 1, 1);
    o.train.epochs = 60;
    path_seen seen = {12, {0}, 0};
    o.train.on_epoch = see_epoch;
    o.train.on_epoch_ctx = &seen;
    fsnsa_model *m = NULL;
    assert_int_equal(fsnsa_model_fit(d, &o, NULL, &m, NULL, NULL), FSNSA_OK);
    assert_int_equal(seen.calls, 60); /* the caller's callback still runs */
    assert_non_null(m->drop_epoch);
    assert_null(m->stability);
    int distinct_epochs = 0;
    for (size_t j = 0; j < 12; j++) {
        assert_int_equal(m->drop_epoch[j], seen.left[j]);
        distinct_epochs += j > 0 && m->drop_epoch[j] != m->drop_epoch[j - 1];
    }
    assert_true(distinct_epochs > 1); /* columns left at several epochs */
    size_t order[12];
    assert_int_equal(fsnsa_model_importance_order(m, order, NULL), FSNSA_OK);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(m->drop_epoch[order[i]], 0);
    for (size_t i = 1; i < 12; i++) {
        int a = m->drop_epoch[order[i - 1]], b = m->drop_epoch[order[i]];
        assert_true(a == 0 || (b != 0 && b <= a));
        if (a == b)
            assert_true(m->relevance[order[i - 1]] >= m->relevance[order[i]]);
    }
    /* the kept columns' relevance is r_i of the normalized network */
    fsnsa_net *n = NULL;
    assert_int_equal(fsnsa_net_copy(m->net, &n, NULL), FSNSA_OK);
    fsnsa_net_normalize(n);
    float score[3];
    fsnsa_net_feature_scores(n, score);
    for (size_t i = 0; i < 3; i++)
        assert_true(m->relevance[n->features[i]] == score[i]);
    fsnsa_net_free(n);
    fsnsa_model_free(m);
    fsnsa_dataset_free(d);
}

/* Save and load: the 1.2 lines come back bit for bit; a model without
 * them (a warm start) is written as before and loads with none. */
static void test_round_trip(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor3(600, 8);
    fsnsa_fit_options o;
    xor_options(&o, 2, 2);
    o.train.epochs = 30;
    fsnsa_model *m = fit_restarts(d, &o, NULL);
    tu_drop_recall(m);
    char path[128];
    snprintf(path, sizeof path, "%s/rt.model", tu_scratch_dir());
    assert_int_equal(fsnsa_model_save(m, path, NULL), FSNSA_OK);
    char *text = tu_slurp(path, NULL);
    assert_int_equal(strncmp(text, "fsnsa-model 1.2\n", 16), 0);
    free(text);
    fsnsa_model *back = NULL;
    fsnsa_error err = {0};
    if (fsnsa_model_load(path, &back, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(back->restarts, 2);
    assert_memory_equal(back->drop_epoch, m->drop_epoch, 8 * sizeof(int));
    assert_memory_equal(back->relevance, m->relevance, 8 * sizeof(float));
    assert_memory_equal(back->stability, m->stability, 8 * sizeof(float));
    fsnsa_model *warm = NULL;
    o.train.epochs = 2;
    assert_int_equal(fsnsa_model_fit(d, &o, back, &warm, NULL, NULL),
                     FSNSA_OK);
    assert_null(warm->drop_epoch);
    tu_drop_recall(warm);
    assert_int_equal(fsnsa_model_save(warm, path, NULL), FSNSA_OK);
    text = tu_slurp(path, NULL);
    assert_int_equal(strncmp(text, "fsnsa-model 1.0\n", 16), 0);
    assert_null(strstr(text, "drop_epoch"));
    free(text);
    fsnsa_model_free(warm);
    assert_int_equal(fsnsa_model_load(path, &warm, NULL), FSNSA_OK);
    assert_null(warm->drop_epoch);
    assert_null(warm->stability);
    size_t order[8];
    assert_int_equal(fsnsa_model_importance_order(warm, order, NULL),
                     FSNSA_ERR_ARG);
    fsnsa_model_free(warm);
    fsnsa_model_free(back);
    fsnsa_model_free(m);
    fsnsa_dataset_free(d);
}

/* A 1.0 file from before (tests/fixtures) still loads, with nothing of
 * 1.2; a model with a stability score above 1 is not saved. */
static void test_old_and_damaged(void **state)
{
    (void)state;
    fsnsa_model *m = NULL;
    fsnsa_error err = {0};
    if (fsnsa_model_load("tests/fixtures/old-1.0.model", &m, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    assert_null(m->drop_epoch);
    assert_null(m->stability);
    fsnsa_model_free(m);
    /* a model with a score above 1 cannot be saved */
    fsnsa_dataset *d = xor3(300, 6);
    fsnsa_fit_options o;
    xor_options(&o, 2, 1);
    o.train.epochs = 10;
    m = fit_restarts(d, &o, NULL);
    m->stability[0] = 1.5f;
    char path[128];
    snprintf(path, sizeof path, "%s/bad.model", tu_scratch_dir());
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "stability"));
    fsnsa_model_free(m);
    fsnsa_dataset_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lowest_loss_kept),
        cmocka_unit_test(test_threads_same_model),
        cmocka_unit_test(test_stability_xor),
        cmocka_unit_test(test_importance_matches_path),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_old_and_damaged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

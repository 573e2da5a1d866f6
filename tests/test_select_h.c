/* Choosing h by cross-validation (src/model/select_h.c): the default
 * candidates, 2-D XOR where one node cannot separate the classes and a
 * few can, the same curve bit for bit for 1 and 2 threads, nsa and
 * fsa-nsa candidates bounded by H, and the refusals. */
#include "testutil.h"

#include <math.h>

static void test_default_sizes(void **state)
{
    (void)state;
    size_t n;
    const size_t *s = fsnsa_select_hidden_default(&n);
    const size_t want[] = {8, 16, 32, 64, 128};
    assert_int_equal(n, 5);
    assert_memory_equal(s, want, sizeof want);
}

static void dense_opts(fsnsa_fit_options *o, fsnsa_select_options *so,
                       int threads, const size_t *sizes, size_t n_sizes)
{
    fsnsa_fit_options_default(o);
    o->train.method = FSNSA_METHOD_DENSE;
    o->train.epochs = 200;
    o->train.lr = 0.01;
    o->train.weight_decay = 1e-2;
    o->threads = threads;
    fsnsa_select_options_default(so);
    so->folds = 3;
    so->sizes = sizes;
    so->n_sizes = n_sizes;
}

static void select_ok(const fsnsa_dataset *d, const fsnsa_fit_options *o,
                      const fsnsa_select_options *so, fsnsa_select_result *r)
{
    fsnsa_error err = {0};
    if (fsnsa_select_hidden(d, o, so, r, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
}

/* 2-D XOR with L2 1e-2 (measured: held-out loss 0.595 at h = 1, 0.458
 * at 2, 0.192 at 4, 0.171 at 8, 16 and 32, se 0.007): the rule takes 8,
 * the fewest nodes of the tie. */
static void test_xor_nodes(void **state)
{
    (void)state;
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_xor_generate(900, 2, 2, 1, 0, &d, NULL), FSNSA_OK);
    const size_t sizes[] = {32, 1, 2, 4, 8, 16};
    fsnsa_fit_options o;
    fsnsa_select_options so;
    dense_opts(&o, &so, 1, sizes, 6);
    fsnsa_select_result r1, r2;
    select_ok(d, &o, &so, &r1);
    for (size_t i = 0; i < r1.n_sizes; i++)
        print_message("h %zu  mean %.4f  se %.4f\n", r1.sizes[i], r1.mean[i],
                      r1.se[i]);
    assert_int_equal(r1.n_sizes, 6);
    assert_int_equal(r1.sizes[0], 1);
    assert_true(r1.mean[0] > 0.5);                 /* one node: a half-plane */
    assert_true(r1.mean[3] < r1.mean[1] - 0.2);    /* 8 nodes fit it */
    assert_int_equal(r1.k, 8); /* 8, 16, 32 tie within one SE */
    o.threads = 2;
    select_ok(d, &o, &so, &r2);
    assert_int_equal(r2.k, r1.k);
    assert_memory_equal(r1.fold_loss, r2.fold_loss,
                        r1.folds * r1.n_sizes * sizeof(double));
    fsnsa_select_result_clear(&r1);
    fsnsa_select_result_clear(&r2);
    fsnsa_dataset_free(d);
}

/* nsa and fsa-nsa: candidates up to H; the default ones above H are
 * left out, a given one above H is refused. */
static void test_bounds_and_refusals(void **state)
{
    (void)state;
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_xor_generate(90, 4, 2, 1, 0, &d, NULL), FSNSA_OK);
    fsnsa_fit_options o;
    fsnsa_select_options so;
    fsnsa_select_result r;
    fsnsa_error err = {0};
    dense_opts(&o, &so, 1, NULL, 0);
    o.train.method = FSNSA_METHOD_FSA_NSA;
    o.train.start_hidden = 16;
    o.train.features = 2;
    o.train.epochs = 4;
    select_ok(d, &o, &so, &r);
    const size_t want[] = {8, 16};
    assert_int_equal(r.n_sizes, 2);
    assert_memory_equal(r.sizes, want, sizeof want);
    fsnsa_select_result_clear(&r);
    /* the lowest-mean rule for h too */
    so.rule = FSNSA_SELECT_RULE_MIN;
    select_ok(d, &o, &so, &r);
    assert_int_equal(r.rule, FSNSA_SELECT_RULE_MIN);
    assert_int_equal(r.chosen, fsnsa_select_lowest(&r));
    fsnsa_select_result_clear(&r);
    so.rule = (fsnsa_select_rule)5;
    assert_int_equal(fsnsa_select_hidden(d, &o, &so, &r, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "unknown select rule 5"));
    assert_null(r.sizes); /* a refused call leaves nothing to free */
    so.rule = FSNSA_SELECT_RULE_ONE_SE;
    const size_t big[] = {4, 32};
    so.sizes = big;
    so.n_sizes = 2;
    assert_int_equal(fsnsa_select_hidden(d, &o, &so, &r, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "node count 32 is outside [1, 16]"));
    o.train.start_hidden = 4;
    so.n_sizes = 0;
    assert_int_equal(fsnsa_select_hidden(d, &o, &so, &r, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "no default node count is at most 4"));
    so.folds = 1;
    assert_int_equal(fsnsa_select_hidden(d, &o, &so, &r, &err), FSNSA_ERR_ARG);
    /* a regression: the folds are stratified by class */
    so.folds = 3;
    o.train.start_hidden = 16;
    o.train.task = FSNSA_TASK_REGRESSION;
    assert_int_equal(fsnsa_select_hidden(d, &o, &so, &r, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "choosing h by cross-validation is for "
                                    "classification"));
    fsnsa_dataset_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_sizes),
        cmocka_unit_test(test_xor_nodes),
        cmocka_unit_test(test_bounds_and_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

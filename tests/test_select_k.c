/* Choosing k by cross-validation (src/model/select_k.c): the one-SE rule
 * by hand on fixed curves, the known k of 3-D XOR found among candidate
 * sizes, the same curve bit for bit for 1 and 2 threads, the lowest-mean
 * rule on the same curve, the default two-ended path, and the refusals. */
#include "testutil.h"

#include <math.h>

/* By hand: best mean 0.30 (index 2) with se 0.05 gives the bound 0.35;
 * the first size with a mean at most 0.35 is index 1 (0.34). */
static void test_one_se_rule(void **state)
{
    (void)state;
    const double mean[] = {0.69, 0.34, 0.30, 0.31, 0.33};
    const double se[] = {0.01, 0.02, 0.05, 0.01, 0.01};
    assert_int_equal(fsnsa_select_one_se(mean, se, 5), 1);
    const double tight[] = {0.69, 0.34, 0.30, 0.31, 0.33};
    const double se0[] = {0.0, 0.0, 0.0, 0.0, 0.0};
    assert_int_equal(fsnsa_select_one_se(tight, se0, 5), 2);
    const double inf[] = {INFINITY, NAN, 0.5};
    assert_int_equal(fsnsa_select_one_se(inf, se0, 3), 2);
    const double none[] = {INFINITY, NAN};
    assert_int_equal(fsnsa_select_one_se(none, se0, 2), 2);
    /* a tie within the bound goes to the fewer features */
    const double tie[] = {0.40, 0.40};
    assert_int_equal(fsnsa_select_one_se(tie, se0, 2), 0);
}

/* The lowest-mean rule by hand: the lowest finite mean, ties to the
 * fewer; an unknown rule chooses nothing. */
static void test_min_rule_by_hand(void **state)
{
    (void)state;
    const double mean[] = {0.69, 0.34, 0.30, 0.31, 0.33};
    const double se[] = {0.01, 0.02, 0.05, 0.01, 0.01};
    assert_int_equal(fsnsa_select_choose(mean, se, 5, FSNSA_SELECT_RULE_MIN),
                     2);
    assert_int_equal(
        fsnsa_select_choose(mean, se, 5, FSNSA_SELECT_RULE_ONE_SE), 1);
    const double tie[] = {INFINITY, 0.40, 0.40};
    assert_int_equal(fsnsa_select_choose(tie, se, 3, FSNSA_SELECT_RULE_MIN),
                     1);
    assert_int_equal(fsnsa_select_choose(mean, se, 5, (fsnsa_select_rule)9),
                     5);
    assert_string_equal(fsnsa_select_rule_name(FSNSA_SELECT_RULE_MIN), "min");
    assert_int_equal(fsnsa_select_rule_parse("one-se"),
                     FSNSA_SELECT_RULE_ONE_SE);
    assert_int_equal(fsnsa_select_rule_parse("lowest"), -1);
}

static void xor_select(fsnsa_fit_options *o, fsnsa_select_options *so,
                       int threads, const size_t *sizes, size_t n_sizes)
{
    fsnsa_fit_options_default(o);
    o->train.method = FSNSA_METHOD_FSA_NSA;
    o->train.start_hidden = 64;
    o->train.hidden = 16;
    o->train.epochs = 150;
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
    if (fsnsa_select_features(d, o, so, r, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
}

/* 3-D XOR with 5 noise columns: sizes below 3 cannot separate the
 * classes (held-out loss near log 2 = 0.693; measured 0.70), 3 and more
 * can (measured 0.46-0.50); the rule picks 3.
 * The curve is the same bit for bit with 1 and 2 threads. */
static void test_xor_known_k(void **state)
{
    (void)state;
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_xor_generate(1200, 8, 3, 1, 0, &d, NULL), FSNSA_OK);
    const size_t sizes[] = {8, 1, 2, 3, 5};
    fsnsa_fit_options o;
    fsnsa_select_options so;
    xor_select(&o, &so, 1, sizes, 5);
    fsnsa_select_result r1, r2;
    select_ok(d, &o, &so, &r1);
    assert_int_equal(r1.n_sizes, 5);
    for (size_t i = 0; i < 5; i++)
        print_message("k %zu  mean %.4f  se %.4f\n", r1.sizes[i], r1.mean[i],
                      r1.se[i]);
    assert_int_equal(r1.sizes[0], 1);
    assert_int_equal(r1.sizes[4], 8);
    assert_int_equal(r1.k, 3);
    assert_int_equal(r1.sizes[r1.chosen], 3);
    assert_true(r1.mean[0] > 0.6);
    assert_true(r1.mean[2] < 0.6 && r1.mean[2] < r1.mean[1] - 0.1);
    o.threads = 2;
    select_ok(d, &o, &so, &r2);
    assert_int_equal(r2.k, r1.k);
    assert_memory_equal(r1.fold_loss, r2.fold_loss,
                        r1.folds * r1.n_sizes * sizeof(double));
    assert_int_equal(r1.rule, FSNSA_SELECT_RULE_ONE_SE);
    fsnsa_select_result_clear(&r2);
    /* the lowest-mean rule: the same curve, the lowest size chosen */
    so.rule = FSNSA_SELECT_RULE_MIN;
    select_ok(d, &o, &so, &r2);
    assert_memory_equal(r1.fold_loss, r2.fold_loss,
                        r1.folds * r1.n_sizes * sizeof(double));
    assert_int_equal(r2.rule, FSNSA_SELECT_RULE_MIN);
    assert_int_equal(r2.chosen, fsnsa_select_lowest(&r2));
    assert_int_equal(r2.k, r2.sizes[fsnsa_select_lowest(&r1)]);
    fsnsa_select_result_clear(&r1);
    fsnsa_select_result_clear(&r2);
    fsnsa_dataset_free(d);
}

/* No sizes given: the two-ended path 1, 2, 4, ... and p - 1, p - 2,
 * p - 4, ... and p, ascending. */
static void test_default_path(void **state)
{
    (void)state;
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_xor_generate(120, 10, 2, 1, 0, &d, NULL), FSNSA_OK);
    fsnsa_fit_options o;
    fsnsa_select_options so;
    xor_select(&o, &so, 1, NULL, 0);
    o.train.epochs = 10;
    so.finetune_epochs = 1;
    fsnsa_select_result r;
    select_ok(d, &o, &so, &r);
    const size_t want[] = {1, 2, 4, 6, 8, 9, 10};
    assert_int_equal(r.n_sizes, 7);
    assert_memory_equal(r.sizes, want, sizeof want);
    for (size_t i = 0; i < r.n_sizes * r.folds; i++)
        assert_true(isfinite(r.fold_loss[i]));
    fsnsa_select_result_clear(&r);
    fsnsa_dataset_free(d);
}

/* The path by hand: both ends at powers of two, p always in, no
 * duplicates, and a short cap cuts it without overrunning out. */
static void test_path_sizes(void **state)
{
    (void)state;
    size_t out[130];
    assert_int_equal(fsnsa_select_path(1, out, 130), 1);
    assert_int_equal(out[0], 1);
    assert_int_equal(fsnsa_select_path(2, out, 130), 2);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 2);
    const size_t car[] = {1, 2, 4, 5, 8, 13, 16, 17, 19, 20, 21};
    assert_int_equal(fsnsa_select_path(21, out, 130), 11);
    assert_memory_equal(out, car, sizeof car);
    const size_t seg[] = {1, 2, 3, 4, 8, 11, 15, 16, 17, 18, 19};
    assert_int_equal(fsnsa_select_path(19, out, 130), 11);
    assert_memory_equal(out, seg, sizeof seg);
    const size_t sixteen[] = {1, 2, 4, 8, 12, 14, 15, 16};
    assert_int_equal(fsnsa_select_path(16, out, 130), 8);
    assert_memory_equal(out, sixteen, sizeof sixteen);
    assert_int_equal(fsnsa_select_path(617, out, 130), 21);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[7], 105); /* 617 - 512 */
    assert_int_equal(out[20], 617);
    out[4] = 999;
    assert_int_equal(fsnsa_select_path(617, out, 4), 4);
    assert_int_equal(out[4], 999);
    size_t big = (size_t)-1, n = fsnsa_select_path(big, out, 130);
    assert_int_equal(n, 129);
    assert_int_equal(out[n - 1], big);
    assert_string_equal(fsnsa_select_path_text(),
                        "1,2,4,... and p-1,p-2,p-4,... and p");
}

static void test_refusals(void **state)
{
    (void)state;
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_xor_generate(60, 4, 2, 1, 0, &d, NULL), FSNSA_OK);
    fsnsa_fit_options o;
    fsnsa_select_options so;
    fsnsa_select_result r;
    fsnsa_error err = {0};
    xor_select(&o, &so, 1, NULL, 0);
    o.train.method = FSNSA_METHOD_DENSE;
    assert_int_equal(fsnsa_select_features(d, &o, &so, &r, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "fsa or fsa-nsa"));
    o.train.method = FSNSA_METHOD_FSA_NSA;
    const size_t big[] = {5};
    so.sizes = big;
    so.n_sizes = 1;
    assert_int_equal(fsnsa_select_features(d, &o, &so, &r, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "outside [1, 4]"));
    so.n_sizes = 0;
    so.folds = 1;
    assert_int_equal(fsnsa_select_features(d, &o, &so, &r, &err), FSNSA_ERR_ARG);
    so.folds = 3;
    so.rule = (fsnsa_select_rule)5;
    assert_int_equal(fsnsa_select_features(d, &o, &so, &r, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "unknown select rule 5"));
    so.rule = FSNSA_SELECT_RULE_ONE_SE;
    /* a regression: the folds are stratified by class */
    so.folds = 3;
    o.train.task = FSNSA_TASK_REGRESSION;
    assert_int_equal(fsnsa_select_features(d, &o, &so, &r, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "choosing k by cross-validation is for "
                                    "classification"));
    fsnsa_dataset_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_se_rule),
        cmocka_unit_test(test_min_rule_by_hand),
        cmocka_unit_test(test_xor_known_k),
        cmocka_unit_test(test_default_path),
        cmocka_unit_test(test_path_sizes),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

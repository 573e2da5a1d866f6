/* Metrics against values computed by hand (and by sklearn for the
 * documented examples), with ties, permutations and degenerate inputs. */
#include "testutil.h"

#include <math.h>

#define EPS 1e-12

/* cmocka 1.1 compares floats only; metrics are doubles. */
#define assert_double_equal(a, b, eps)                                     \
    do {                                                                   \
        double a_ = (a), b_ = (b);                                         \
        if (!(fabs(a_ - b_) <= (eps))) {                                   \
            print_error("%.17g != %.17g\n", a_, b_);                       \
            fail();                                                        \
        }                                                                  \
    } while (0)

/* O(n^2) definition: P(s+ > s-) + P(s+ == s-) / 2 over all pairs. */
static double auc_pairs(const float *s, const int32_t *y, size_t n)
{
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] != 1)
            continue;
        for (size_t j = 0; j < n; j++) {
            if (y[j] != 0)
                continue;
            den += 1.0;
            num += s[i] > s[j] ? 1.0 : s[i] == s[j] ? 0.5 : 0.0;
        }
    }
    return den > 0 ? num / den : NAN;
}

/* fsnsa_roc_auc of prob (n x C), which must not fail on these inputs */
static double roc_auc(const float *prob, size_t C, const int32_t *y, size_t n)
{
    double auc = 0.0;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_roc_auc(prob, C, y, n, &auc, &err), FSNSA_OK);
    return auc;
}

/* The binary AUC of scores s: fsnsa_roc_auc reads column 1 of two. */
static double auc(const float *s, const int32_t *y, size_t n)
{
    float *prob = malloc((n ? n : 1) * 2 * sizeof *prob);
    assert_non_null(prob);
    for (size_t i = 0; i < n; i++) {
        prob[2 * i] = 1.0f - s[i];
        prob[2 * i + 1] = s[i];
    }
    double a = roc_auc(prob, 2, y, n);
    free(prob);
    return a;
}

static void test_auc_sklearn_example(void **state)
{
    (void)state;
    /* sklearn.metrics.roc_auc_score docs: 0.75 */
    const float s[] = {0.1f, 0.4f, 0.35f, 0.8f};
    const int32_t y[] = {0, 0, 1, 1};
    assert_double_equal(auc(s, y, 4), 0.75, EPS);
}

static void test_auc_perfect_and_reversed(void **state)
{
    (void)state;
    const float s[] = {0.1f, 0.2f, 0.3f, 0.9f};
    const int32_t y[] = {0, 0, 1, 1};
    const int32_t r[] = {1, 1, 0, 0};
    assert_double_equal(auc(s, y, 4), 1.0, EPS);
    assert_double_equal(auc(s, r, 4), 0.0, EPS);
}

static void test_auc_all_tied(void **state)
{
    (void)state;
    const float s[] = {0.5f, 0.5f, 0.5f, 0.5f, 0.5f};
    const int32_t y[] = {0, 1, 0, 1, 1};
    assert_double_equal(auc(s, y, 5), 0.5, EPS);
}

static void test_auc_partial_ties(void **state)
{
    (void)state;
    /* Positives 0.5, 0.7; negatives 0.5, 0.2, 0.7.
     * Pairs: 0.5 vs (0.5 tie=.5, 0.2 win, 0.7 loss) = 1.5;
     *        0.7 vs (0.5 win, 0.2 win, 0.7 tie=.5)  = 2.5; 4 / 6. */
    const float s[] = {0.5f, 0.5f, 0.2f, 0.7f, 0.7f};
    const int32_t y[] = {1, 0, 0, 1, 0};
    assert_double_equal(auc(s, y, 5), 4.0 / 6.0, EPS);
    /* -0 and +0 are the same score: a tie. */
    const float z[] = {-0.0f, 0.0f};
    const int32_t yz[] = {1, 0};
    assert_double_equal(auc(z, yz, 2), 0.5, EPS);
}

static void test_auc_matches_pairs_and_permutations(void **state)
{
    (void)state;
    enum { N = 200 };
    float s[N], sp[N];
    int32_t y[N], yp[N];
    fsnsa_rng r;
    fsnsa_rng_seed(&r, 7);
    for (size_t i = 0; i < N; i++) {
        /* few distinct values: many ties */
        s[i] = (float)fsnsa_rng_below(&r, 13) / 4.0f;
        y[i] = (int32_t)fsnsa_rng_below(&r, 2);
    }
    double want = auc_pairs(s, y, N);
    assert_double_equal(auc(s, y, N), want, 1e-12);
    size_t idx[N];
    for (int rep = 0; rep < 5; rep++) {
        for (size_t i = 0; i < N; i++)
            idx[i] = i;
        fsnsa_rng_shuffle(&r, idx, N);
        for (size_t i = 0; i < N; i++) {
            sp[i] = s[idx[i]];
            yp[i] = y[idx[i]];
        }
        assert_double_equal(auc(sp, yp, N), want, 1e-12);
    }
    /* A monotone transform of the scores changes nothing. */
    for (size_t i = 0; i < N; i++)
        sp[i] = 3.0f * s[i] - 1.0f;
    assert_double_equal(auc(sp, y, N), want, 1e-12);
}

static void test_auc_undefined(void **state)
{
    (void)state;
    const float s[] = {0.1f, 0.2f, 0.3f};
    const int32_t ones[] = {1, 1, 1};
    const int32_t zeros[] = {0, 0, 0};
    assert_true(isnan(auc(s, ones, 3)));
    assert_true(isnan(auc(s, zeros, 3)));
    assert_true(isnan(auc(s, zeros, 0)));
    const float sn[] = {0.1f, NAN};
    const int32_t y2[] = {0, 1};
    assert_true(isnan(auc(sn, y2, 2)));
    /* Unlabeled rows (-1) are left out. */
    const float s4[] = {0.1f, 0.9f, 0.95f, 0.0f};
    const int32_t y4[] = {0, 1, -1, -1};
    assert_double_equal(auc(s4, y4, 4), 1.0, EPS);
}

static void test_auc_multiclass(void **state)
{
    (void)state;
    /* Binary: column 1 only. */
    const float pb[] = {0.9f, 0.1f, 0.6f, 0.4f, 0.65f, 0.35f, 0.2f, 0.8f};
    const int32_t yb[] = {0, 0, 1, 1};
    assert_double_equal(roc_auc(pb, 2, yb, 4), 0.75, EPS);

    /* Three classes, two rows each (columns c0 c1 c2, label):
     *   0.8 0.1 0.1 | 0     0.3 0.4 0.3 | 0
     *   0.1 0.5 0.4 | 1     0.3 0.6 0.1 | 1
     *   0.2 0.1 0.2 | 2     0.1 0.1 0.8 | 2
     * class 0: pos {0.8, 0.3} vs neg {0.1, 0.3, 0.2, 0.1}:
     *   0.8 beats 4; 0.3 beats 3 and ties 1 -> 3.5; 7.5 / 8
     * class 1: pos {0.5, 0.6} vs neg {0.1, 0.4, 0.1, 0.1}: 8 / 8
     * class 2: pos {0.2, 0.8} vs neg {0.1, 0.3, 0.4, 0.1}: (2 + 4) / 8 */
    const float p3[] = {
        0.8f, 0.1f, 0.1f, 0.3f, 0.4f, 0.3f,
        0.1f, 0.5f, 0.4f, 0.3f, 0.6f, 0.1f,
        0.2f, 0.1f, 0.2f, 0.1f, 0.1f, 0.8f,
    };
    const int32_t y3[] = {0, 0, 1, 1, 2, 2};
    assert_double_equal(roc_auc(p3, 3, y3, 6),
                        (7.5 / 8 + 1.0 + 6.0 / 8) / 3, EPS);

    /* Class 2 absent: it is left out of the average.
     * class 0 as before 7.5 / 8; class 1: pos {0.5, 0.6, 0.1, 0.1} vs neg
     * {0.1, 0.4}: 2 + 2 + 0.5 + 0.5 = 5 / 8. */
    const int32_t y_no2[] = {0, 0, 1, 1, 1, 1};
    assert_double_equal(roc_auc(p3, 3, y_no2, 6),
                        (7.5 / 8 + 5.0 / 8) / 2, EPS);
    const int32_t y_one[] = {1, 1, 1, 1, 1, 1};
    assert_true(isnan(roc_auc(p3, 3, y_one, 6)));
    /* fewer than two classes: no AUC, and no error (its allocation
     * failure: tests/test_nomem.c) */
    assert_true(isnan(roc_auc(p3, 1, y_one, 6)));
}

static void test_accuracy(void **state)
{
    (void)state;
    const float p[] = {
        0.7f, 0.2f, 0.1f, /* pred 0 */
        0.2f, 0.3f, 0.5f, /* pred 2 */
        0.4f, 0.4f, 0.2f, /* tie 0/1 -> 0 */
        0.1f, 0.45f, 0.45f, /* tie 1/2 -> 1 */
    };
    const int32_t y[] = {0, 1, 0, 1};
    assert_double_equal(fsnsa_accuracy(p, 3, y, 4), 0.75, EPS);
    const int32_t y2[] = {0, 2, 1, 2};
    assert_double_equal(fsnsa_accuracy(p, 3, y2, 4), 0.5, EPS);
    const int32_t none[] = {-1, -1, -1, -1};
    assert_true(isnan(fsnsa_accuracy(p, 3, none, 4)));
    /* NaN entries never win the argmax. */
    const float pn[] = {NAN, 0.2f, 0.8f};
    const int32_t yn[] = {2};
    assert_double_equal(fsnsa_accuracy(pn, 3, yn, 1), 1.0, EPS);
}

static void test_cross_entropy(void **state)
{
    (void)state;
    const float p[] = {0.5f, 0.5f, 0.25f, 0.75f, 1.0f, 0.0f};
    const int32_t y[] = {0, 1, 0};
    /* (ln 2 + ln 4/3 + 0) / 3; 0.75f and 0.5f are exact */
    double want = (log(2.0) + log(4.0 / 3.0)) / 3.0;
    assert_double_equal(fsnsa_cross_entropy(p, 2, y, 3), want, 1e-12);
    /* A probability of 0 for the true class is clamped at 1e-12. */
    const int32_t y0[] = {1};
    assert_double_equal(fsnsa_cross_entropy(p + 4, 2, y0, 1), -log(1e-12), 1e-9);
    /* NaN probabilities are not hidden. */
    const float pn[] = {NAN, NAN};
    const int32_t yn[] = {0};
    assert_true(isnan(fsnsa_cross_entropy(pn, 2, yn, 1)));
    assert_true(isnan(fsnsa_cross_entropy(p, 2, y, 0)));
}

/* The loss of predicting the class frequencies, by hand: labels 0 0 0 1
 * (and one unlabeled row, left out) give -(3/4 ln 3/4 + 1/4 ln 1/4); and
 * the rule that calls a training loss worse than it. */
static void test_constant_loss(void **state)
{
    (void)state;
    const int32_t y[] = {0, 1, -1, 0, 0};
    double l = 0;
    assert_int_equal(fsnsa_constant_loss(y, 5, 2, &l, NULL), FSNSA_OK);
    assert_double_equal(l, -(0.75 * log(0.75) + 0.25 * log(0.25)), EPS);
    /* a class with no row adds nothing; one class alone costs nothing */
    assert_int_equal(fsnsa_constant_loss(y, 5, 3, &l, NULL), FSNSA_OK);
    assert_double_equal(l, -(0.75 * log(0.75) + 0.25 * log(0.25)), EPS);
    const int32_t one[] = {2, 2, 2};
    assert_int_equal(fsnsa_constant_loss(one, 3, 3, &l, NULL), FSNSA_OK);
    assert_double_equal(l, 0.0, 0.0);
    const int32_t none[] = {-1, 7};
    assert_int_equal(fsnsa_constant_loss(none, 2, 2, &l, NULL), FSNSA_OK);
    assert_true(isnan(l));
    /* ten balanced classes: ln 10 */
    int32_t ten[100];
    for (int i = 0; i < 100; i++)
        ten[i] = i % 10;
    assert_int_equal(fsnsa_constant_loss(ten, 100, 10, &l, NULL), FSNSA_OK);
    assert_double_equal(l, log(10.0), EPS);

    /* margin 1e-3 * max(1, constant loss), NaN and inf are worse */
    assert_false(fsnsa_loss_worse_than_constant(0.1, 0.5));
    assert_false(fsnsa_loss_worse_than_constant(0.5, 0.5));
    assert_false(fsnsa_loss_worse_than_constant(0.5009, 0.5));
    assert_true(fsnsa_loss_worse_than_constant(0.5011, 0.5));
    assert_false(fsnsa_loss_worse_than_constant(3.0029, 3.0));
    assert_true(fsnsa_loss_worse_than_constant(3.0031, 3.0));
    assert_true(fsnsa_loss_worse_than_constant(NAN, 0.5));
    assert_true(fsnsa_loss_worse_than_constant(INFINITY, 0.5));
    assert_true(fsnsa_loss_worse_than_constant(1e24, 0.836));
}

static void test_confusion(void **state)
{
    (void)state;
    const float p[] = {
        0.7f, 0.2f, 0.1f,   /* y 0 pred 0 */
        0.2f, 0.3f, 0.5f,   /* y 1 pred 2 */
        0.4f, 0.4f, 0.2f,   /* y 1 pred 0 (tie) */
        0.1f, 0.45f, 0.45f, /* y 2 pred 1 (tie) */
        0.1f, 0.1f, 0.8f,   /* y 2 pred 2 */
        0.9f, 0.0f, 0.1f,   /* unlabeled: not counted */
    };
    const int32_t y[] = {0, 1, 1, 2, 2, -1};
    size_t counts[9];
    for (int i = 0; i < 9; i++)
        counts[i] = 99;
    fsnsa_confusion(p, 3, y, 6, counts);
    const size_t want[9] = {1, 0, 0, 1, 0, 1, 0, 1, 1};
    for (int i = 0; i < 9; i++)
        assert_int_equal(counts[i], want[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auc_sklearn_example),
        cmocka_unit_test(test_auc_perfect_and_reversed),
        cmocka_unit_test(test_auc_all_tied),
        cmocka_unit_test(test_auc_partial_ties),
        cmocka_unit_test(test_auc_matches_pairs_and_permutations),
        cmocka_unit_test(test_auc_undefined),
        cmocka_unit_test(test_auc_multiclass),
        cmocka_unit_test(test_accuracy),
        cmocka_unit_test(test_cross_entropy),
        cmocka_unit_test(test_confusion),
        cmocka_unit_test(test_constant_loss),
    };
    return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}

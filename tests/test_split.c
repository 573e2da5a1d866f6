/* Stratified split and k-fold: proportions per class, disjoint sides that
 * cover every row, reproducibility by seed, argument checks. */
#include "testutil.h"

#include <math.h>

/* 3 unbalanced classes: 50, 30, 7 rows, interleaved */
static size_t make_labels(int32_t *y, size_t cap)
{
    size_t n = 0, cnt[3] = {50, 30, 7};
    while (n < cap && (cnt[0] || cnt[1] || cnt[2])) {
        for (int c = 0; c < 3; c++)
            if (cnt[c]) {
                y[n++] = c;
                cnt[c]--;
            }
    }
    return n;
}

static void test_split_stratified(void **state)
{
    (void)state;
    int32_t y[100];
    size_t n = make_labels(y, 100);
    assert_int_equal(n, 87);
    size_t tr[100], te[100], ntr, nte;
    fsnsa_error err;
    assert_int_equal(fsnsa_split_stratified(y, n, 3, 0.2, 7, tr, &ntr, te, &nte,
                                            &err),
                     FSNSA_OK);
    assert_int_equal(ntr + nte, n);
    /* every row exactly once, test never in train, ascending */
    int seen[100] = {0};
    for (size_t i = 0; i < ntr; i++) {
        seen[tr[i]]++;
        if (i)
            assert_true(tr[i] > tr[i - 1]);
    }
    for (size_t i = 0; i < nte; i++) {
        seen[te[i]] += 10;
        if (i)
            assert_true(te[i] > te[i - 1]);
    }
    for (size_t i = 0; i < n; i++)
        assert_true(seen[i] == 1 || seen[i] == 10);
    /* per class: test count within 1 of frac * count */
    size_t tot[3] = {0}, got[3] = {0};
    for (size_t i = 0; i < n; i++)
        tot[y[i]]++;
    for (size_t i = 0; i < nte; i++)
        got[y[te[i]]]++;
    for (int c = 0; c < 3; c++)
        assert_true(fabs((double)got[c] - 0.2 * (double)tot[c]) <= 1.0);
    assert_int_equal(got[0], 10);
    assert_int_equal(got[1], 6);
}

static void test_split_seeds(void **state)
{
    (void)state;
    int32_t y[100];
    size_t n = make_labels(y, 100);
    size_t a[100], b[100], c[100], d[100], na, nb, nc, nd;
    fsnsa_error err;
    assert_int_equal(fsnsa_split_stratified(y, n, 3, 0.25, 1, a, &na, b, &nb, &err), 0);
    assert_int_equal(fsnsa_split_stratified(y, n, 3, 0.25, 1, c, &nc, d, &nd, &err), 0);
    assert_int_equal(na, nc);
    assert_memory_equal(b, d, nb * sizeof b[0]);
    assert_int_equal(fsnsa_split_stratified(y, n, 3, 0.25, 2, c, &nc, d, &nd, &err), 0);
    assert_int_equal(nb, nd);
    assert_true(memcmp(b, d, nb * sizeof b[0]) != 0);
}

static void test_split_edges(void **state)
{
    (void)state;
    int32_t y[] = {0, 1, 0, 1, 1};
    size_t a[5], b[5], na, nb;
    fsnsa_error err;
    assert_int_equal(fsnsa_split_stratified(y, 5, 2, 0.0, 1, a, &na, b, &nb, &err), 0);
    assert_int_equal(nb, 0);
    assert_int_equal(na, 5);
    assert_int_equal(fsnsa_split_stratified(y, 5, 2, 1.0, 1, a, &na, b, &nb, &err), 0);
    assert_int_equal(nb, 5);
    assert_int_equal(fsnsa_split_stratified(y, 5, 2, 1.5, 1, a, &na, b, &nb, &err),
                     FSNSA_ERR_ARG);
    assert_int_equal(fsnsa_split_stratified(y, 5, 2, NAN, 1, a, &na, b, &nb, &err),
                     FSNSA_ERR_ARG);
    int32_t bad[] = {0, 2, 1};
    assert_int_equal(fsnsa_split_stratified(bad, 3, 2, 0.5, 1, a, &na, b, &nb, &err),
                     FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "label 2"));
    int32_t neg[] = {0, -1, 1};
    size_t fold[3];
    assert_int_equal(fsnsa_kfold_stratified(neg, 3, 2, 2, 1, fold, &err),
                     FSNSA_ERR_ARG);
    assert_int_equal(fsnsa_kfold_stratified(y, 5, 2, 1, 1, fold, &err),
                     FSNSA_ERR_ARG);
    assert_int_equal(fsnsa_kfold_stratified(y, 5, 2, 6, 1, fold, &err),
                     FSNSA_ERR_ARG);
}

static void test_kfold(void **state)
{
    (void)state;
    int32_t y[100];
    size_t n = make_labels(y, 100);
    size_t k = 5, fold[100], fold2[100];
    fsnsa_error err;
    assert_int_equal(fsnsa_kfold_stratified(y, n, 3, k, 11, fold, &err), FSNSA_OK);
    size_t per[5][3] = {{0}}, size[5] = {0}, tot[3] = {0};
    for (size_t i = 0; i < n; i++) {
        assert_true(fold[i] < k);
        per[fold[i]][y[i]]++;
        size[fold[i]]++;
        tot[y[i]]++;
    }
    for (size_t f = 0; f < k; f++) {
        for (int c = 0; c < 3; c++)
            assert_true(fabs((double)per[f][c] - (double)tot[c] / (double)k) <= 1.0);
        assert_true(fabs((double)size[f] - (double)n / (double)k) <= 1.0);
    }
    assert_int_equal(fsnsa_kfold_stratified(y, n, 3, k, 11, fold2, &err), 0);
    assert_memory_equal(fold, fold2, n * sizeof fold[0]);
    assert_int_equal(fsnsa_kfold_stratified(y, n, 3, k, 12, fold2, &err), 0);
    assert_true(memcmp(fold, fold2, n * sizeof fold[0]) != 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_stratified),
        cmocka_unit_test(test_split_seeds),
        cmocka_unit_test(test_split_edges),
        cmocka_unit_test(test_kfold),
    };
    return cmocka_run_group_tests_name("split", tests, NULL, NULL);
}

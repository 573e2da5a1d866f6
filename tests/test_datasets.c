/* The five UCI data sets of the paper's Table 2, read as published from
 * $FSNSA_DATASETS (skipped when absent): shapes after encoding, class
 * counts from the data sets' README, and train/test files encoded alike. */
#include "testutil.h"

#include <math.h>

static fsnsa_dataset *load(const char *rel, const char *label_column,
                           const char *labels_rel, const fsnsa_schema *schema)
{
    const char *dir = tu_datasets();
    char path[1024], labels[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    o.label_column = label_column;
    if (labels_rel != NULL) {
        snprintf(labels, sizeof labels, "%s/%s", dir, labels_rel);
        o.labels_file = labels;
    }
    o.schema = schema;
    fsnsa_dataset *d = NULL;
    fsnsa_error err;
    fsnsa_status st = fsnsa_dataset_read(path, &o, &d, &err);
    if (st != FSNSA_OK) {
        print_error("%s\n", err.msg);
        fail();
    }
    return d;
}

static void count_classes(const fsnsa_dataset *d, size_t *cnt)
{
    memset(cnt, 0, d->schema.n_classes * sizeof *cnt);
    for (size_t i = 0; i < d->n; i++) {
        assert_true(d->y[i] >= 0 && (size_t)d->y[i] < d->schema.n_classes);
        cnt[d->y[i]]++;
    }
}

#define NEED_DATA()                                                          \
    do {                                                                     \
        if (tu_datasets() == NULL)                                           \
            skip();                                                          \
    } while (0)

static void test_car(void **state)
{
    (void)state;
    NEED_DATA();
    fsnsa_dataset *d = load("car/car.data", NULL, NULL, NULL);
    assert_int_equal(d->n, 1728);
    assert_int_equal(d->p, 21);
    assert_int_equal(d->schema.n_columns, 6);
    assert_int_equal(d->schema.n_classes, 4);
    assert_string_equal(d->feature_names[0], "x0=vhigh");
    size_t cnt[4];
    count_classes(d, cnt);
    /* first appearance: unacc, acc, vgood, good */
    assert_string_equal(d->schema.class_names[0], "unacc");
    assert_int_equal(cnt[0], 1210);
    assert_int_equal(cnt[1], 384);
    size_t widths[] = {4, 4, 4, 3, 3, 3};
    for (int j = 0; j < 6; j++)
        assert_int_equal(d->schema.columns[j].n_values, widths[j]);
    /* every row: exactly one indicator per attribute */
    for (size_t i = 0; i < d->n; i++) {
        float s = 0;
        for (size_t j = 0; j < 21; j++)
            s += d->x[i * 21 + j];
        assert_true(s == 6.0f);
    }
    fsnsa_dataset_free(d);
}

static void test_segmentation(void **state)
{
    (void)state;
    NEED_DATA();
    fsnsa_dataset *tr = load("segmentation/segmentation.data", "first", NULL, NULL);
    assert_int_equal(tr->n, 210);
    assert_int_equal(tr->p, 19);
    assert_int_equal(tr->schema.n_classes, 7);
    assert_string_equal(tr->feature_names[0], "REGION-CENTROID-COL");
    assert_string_equal(tr->feature_names[18], "HUE-MEAN");
    assert_string_equal(tr->schema.class_names[0], "BRICKFACE");
    /* the test file encoded with the training schema: same class ids */
    fsnsa_dataset *te = load("segmentation/segmentation.test", "first", NULL,
                             &tr->schema);
    assert_int_equal(te->n, 2100);
    assert_int_equal(te->p, 19);
    size_t a[7], b[7];
    count_classes(tr, a);
    count_classes(te, b);
    for (int c = 0; c < 7; c++) {
        assert_int_equal(a[c], 30);
        assert_int_equal(b[c], 300);
    }
    assert_int_equal(tr->n + te->n, 2310);
    /* region-pixel-count is the constant 9 */
    assert_true(tr->x[2] == 9.0f && te->x[19 * 2099 + 2] == 9.0f);
    fsnsa_dataset_free(te);
    fsnsa_dataset_free(tr);
}

static void test_segmentation_arff(void **state)
{
    (void)state;
    NEED_DATA();
    fsnsa_dataset *tr = load("segmentation/segment-challenge.arff", NULL, NULL, NULL);
    fsnsa_dataset *te = load("segmentation/segment-test.arff", NULL, NULL, &tr->schema);
    assert_int_equal(tr->n, 1500);
    assert_int_equal(te->n, 810);
    assert_int_equal(tr->p, 19);
    assert_int_equal(te->p, 19);
    assert_int_equal(tr->schema.n_classes, 7);
    /* the declared order */
    const char *names[] = {"brickface", "sky", "foliage", "cement",
                           "window", "path", "grass"};
    for (int c = 0; c < 7; c++)
        assert_string_equal(tr->schema.class_names[c], names[c]);
    size_t a[7], b[7];
    count_classes(tr, a);
    count_classes(te, b);
    for (int c = 0; c < 7; c++)
        assert_int_equal(a[c] + b[c], 330);
    fsnsa_dataset_free(te);
    fsnsa_dataset_free(tr);
}

static void test_optdigits(void **state)
{
    (void)state;
    NEED_DATA();
    fsnsa_dataset *tr = load("optdigits/optdigits.tra", NULL, NULL, NULL);
    fsnsa_dataset *te = load("optdigits/optdigits.tes", NULL, NULL, &tr->schema);
    assert_int_equal(tr->n + te->n, 5620);
    assert_int_equal(tr->p, 64);
    assert_int_equal(te->p, 64);
    assert_int_equal(tr->schema.n_classes, 10);
    size_t want_tr[] = {376, 389, 380, 389, 387, 376, 377, 387, 380, 382};
    size_t want_te[] = {178, 182, 177, 183, 181, 182, 181, 179, 174, 180};
    size_t a[10], b[10];
    count_classes(tr, a);
    count_classes(te, b);
    char name[16];
    for (int c = 0; c < 10; c++) {
        snprintf(name, sizeof name, "%d", c);
        assert_string_equal(tr->schema.class_names[c], name);
        assert_int_equal(a[c], want_tr[c]);
        assert_int_equal(b[c], want_te[c]);
    }
    for (size_t i = 0; i < tr->n * tr->p; i++)
        assert_true(tr->x[i] >= 0 && tr->x[i] <= 16);
    fsnsa_dataset_free(te);
    fsnsa_dataset_free(tr);
}

static void test_mfeat(void **state)
{
    (void)state;
    NEED_DATA();
    fsnsa_dataset *d = load("mfeat/mfeat-fac", NULL, "mfeat/labels", NULL);
    assert_int_equal(d->n, 2000);
    assert_int_equal(d->p, 216);
    assert_int_equal(d->schema.n_classes, 10);
    for (size_t i = 0; i < d->n; i++)
        assert_int_equal(d->y[i], (int32_t)(i / 200));
    assert_true(d->x[0] == 98.0f && d->x[1] == 236.0f && d->x[216] == 121.0f);
    fsnsa_dataset_free(d);
}

static void test_isolet(void **state)
{
    (void)state;
    NEED_DATA();
    fsnsa_dataset *tr = load("isolet/isolet1+2+3+4.rebuilt.data.gz", NULL, NULL, NULL);
    fsnsa_dataset *te = load("isolet/isolet5.rebuilt.data.gz", NULL, NULL, &tr->schema);
    assert_int_equal(tr->n, 6238);
    assert_int_equal(te->n, 1559);
    assert_int_equal(tr->p, 617);
    assert_int_equal(te->p, 617);
    assert_int_equal(tr->schema.n_classes, 26);
    assert_string_equal(tr->schema.class_names[0], "1.");
    assert_string_equal(tr->schema.class_names[25], "26.");
    size_t a[26], b[26];
    count_classes(tr, a);
    count_classes(te, b);
    for (int c = 0; c < 26; c++)
        assert_int_equal(a[c] + b[c], c == 5 ? 298u : c == 12 ? 299u : 300u);
    assert_true(fabsf(tr->x[0] - -0.4394f) < 1e-7f);
    for (size_t i = 0; i < te->n * te->p; i++)
        assert_true(te->x[i] >= -1.0f && te->x[i] <= 1.0f);
    fsnsa_dataset_free(te);
    fsnsa_dataset_free(tr);
}

static void test_mat_file_refused(void **state)
{
    (void)state;
    NEED_DATA();
    char path[1024];
    snprintf(path, sizeof path, "%s/isolet/isolet5.mat", tu_datasets());
    fsnsa_dataset *d = NULL;
    fsnsa_error err;
    assert_int_equal(fsnsa_dataset_read(path, NULL, &d, &err), FSNSA_ERR_PARSE);
    assert_non_null(strstr(err.msg, "not a text file"));
    assert_null(d);
}

/* The end-to-end case: FSA+NSA on Car Evaluation with the paper's
 * stratified 4:1 split, scaling fitted on the training rows only. Sizes as
 * the paper's best FSA+NSA net for Car (Table 2: 120 + 32 weights, i.e.
 * 15 features and 8 nodes). */
static void test_car_fsa_nsa_end_to_end(void **state)
{
    (void)state;
    NEED_DATA();
    fsnsa_dataset *d = load("car/car.data", NULL, NULL, NULL);
    size_t *tr_idx = malloc(d->n * sizeof *tr_idx), *te_idx = malloc(d->n * sizeof *te_idx);
    size_t n_tr, n_te;
    assert_int_equal(fsnsa_split_stratified(d->y, d->n, d->schema.n_classes, 0.2, 0,
                                            tr_idx, &n_tr, te_idx, &n_te, NULL),
                     FSNSA_OK);
    assert_int_equal(n_tr + n_te, 1728);
    fsnsa_dataset *tr, *te;
    assert_int_equal(fsnsa_dataset_subset(d, tr_idx, n_tr, &tr, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_dataset_subset(d, te_idx, n_te, &te, NULL), FSNSA_OK);
    fsnsa_scaler sc;
    assert_int_equal(fsnsa_scaler_fit(tr, FSNSA_SCALE_STANDARD, &sc, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_scaler_apply(&sc, tr, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_scaler_apply(&sc, te, NULL), FSNSA_OK);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_FSA_NSA;
    o.features = 15;
    o.hidden = 8;
    fsnsa_net *net;
    fsnsa_error err;
    assert_int_equal(fsnsa_train(tr, &o, NULL, &net, &err), FSNSA_OK);
    assert_int_equal(net->p, 15);
    assert_int_equal(net->h, 8);
    float *prob = malloc(te->n * 4 * sizeof *prob);
    assert_int_equal(fsnsa_net_predict(net, te->x, te->n, te->p, prob, NULL), FSNSA_OK);
    double acc = fsnsa_accuracy(prob, 4, te->y, te->n);
    print_message("Car FSA+NSA test accuracy %.4f on %zu rows\n", acc, te->n);
    assert_true(acc > 0.95);
    free(prob);
    free(tr_idx);
    free(te_idx);
    fsnsa_scaler_clear(&sc);
    fsnsa_net_free(net);
    fsnsa_dataset_free(tr);
    fsnsa_dataset_free(te);
    fsnsa_dataset_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_car),
        cmocka_unit_test(test_segmentation),
        cmocka_unit_test(test_segmentation_arff),
        cmocka_unit_test(test_optdigits),
        cmocka_unit_test(test_mfeat),
        cmocka_unit_test(test_isolet),
        cmocka_unit_test(test_mat_file_refused),
        cmocka_unit_test(test_car_fsa_nsa_end_to_end),
    };
    return cmocka_run_group_tests_name("datasets", tests, NULL, NULL);
}

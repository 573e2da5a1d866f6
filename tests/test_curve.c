/* Model format 1.5: the validation curves that chose k and h, recorded
 * in a model (fsnsa_model_set_selection), written and read back bit for
 * bit (an infinite fold loss included), refused where they contradict
 * themselves; a 1.4 file without them still loads and is written back
 * byte for byte. */
#include "testutil.h"
#include "model/model.h"
#include "model/select.h"

#include <math.h>

/* A small classifier fitted by the library: fsa-nsa on XOR, p = 4. */
static fsnsa_model *fitted(void)
{
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_xor_generate(200, 4, 2, 1, 0, &d, &err), FSNSA_OK);
    fsnsa_fit_options o;
    fsnsa_fit_options_default(&o);
    o.train.method = FSNSA_METHOD_FSA_NSA;
    o.train.start_hidden = 16;
    o.train.hidden = 4;
    o.train.features = 2;
    o.train.epochs = 60;
    o.train.lr = 0.01;
    fsnsa_model *m = NULL;
    if (fsnsa_model_fit(d, &o, NULL, &m, NULL, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    fsnsa_dataset_free(d);
    return m;
}

/* A curve of 3 folds over sizes, summarized as the library summarizes
 * its own (mean, standard error, the one-SE rule). */
static void make_curve(fsnsa_select_result *c, const size_t *sizes,
                       const double *fold_loss, size_t n)
{
    memset(c, 0, sizeof *c);
    c->n_sizes = n;
    c->sizes = malloc(n * sizeof *c->sizes);
    assert_non_null(c->sizes);
    memcpy(c->sizes, sizes, n * sizeof *sizes);
    fsnsa_error err = {0};
    assert_int_equal(fsnsa__select_alloc(c, 3, FSNSA_SELECT_RULE_ONE_SE, &err),
                     FSNSA_OK);
    memcpy(c->fold_loss, fold_loss, 3 * n * sizeof *fold_loss);
    fsnsa__select_summarize(c);
}

/* k: the lowest mean at 4 (0.2833 +- 0.0088), 2 within one SE of it
 * (0.29): chosen 2. h: size 2 broke in one fold (+inf), 8 is lowest and
 * chosen. */
static void curves(fsnsa_select_result *k, fsnsa_select_result *h)
{
    const size_t ks[] = {1, 2, 4}, hs[] = {2, 8, 16};
    const double kl[] = {0.70, 0.29, 0.28, 0.69, 0.28, 0.27,
                         0.71, 0.30, 0.30};
    const double hl[] = {0.5, 0.2, 0.3, INFINITY, 0.21, 0.31,
                         0.4, 0.19, 0.29};
    make_curve(k, ks, kl, 3);
    make_curve(h, hs, hl, 3);
    assert_int_equal(k->k, 2);
    assert_int_equal(fsnsa_select_lowest(k), 2);
    assert_int_equal(h->k, 8);
}

/* What each test starts from: a fitted model and the two curves. */
typedef struct {
    fsnsa_model *m;
    fsnsa_select_result k, h;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->m = fitted();
    curves(&f->k, &f->h);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    fsnsa_select_result_clear(&f->k);
    fsnsa_select_result_clear(&f->h);
    fsnsa_model_free(f->m);
    free(f);
    return 0;
}

/* m's file text (saved in the scratch directory). */
static char *text_of(const fsnsa_model *m, size_t *len)
{
    char path[128];
    snprintf(path, sizeof path, "%s/m.model", tu_scratch_dir());
    fsnsa_error err = {0};
    if (fsnsa_model_save(m, path, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    char *t = tu_slurp(path, len);
    assert_non_null(t);
    return t;
}

static fsnsa_model *parsed(const char *t, size_t n, fsnsa_error *err)
{
    fsnsa_model *m = NULL;
    fsnsa_status st = fsnsa__model_parse(t, n, "mem.model", true, &m, err);
    assert_true((st == FSNSA_OK) == (m != NULL));
    return m;
}

static void same_curve(const fsnsa_select_result *a,
                       const fsnsa_select_result *b)
{
    assert_int_equal(a->n_sizes, b->n_sizes);
    assert_int_equal(a->folds, b->folds);
    assert_int_equal(a->chosen, b->chosen);
    assert_int_equal(a->k, b->k);
    size_t n = a->n_sizes;
    assert_memory_equal(a->sizes, b->sizes, n * sizeof *a->sizes);
    assert_memory_equal(a->mean, b->mean, n * sizeof *a->mean);
    assert_memory_equal(a->se, b->se, n * sizeof *a->se);
    assert_memory_equal(a->fold_loss, b->fold_loss,
                        a->folds * n * sizeof *a->fold_loss);
}

/* Both curves written as 1.5 lines and read back bit for bit; saving
 * the loaded model gives the same bytes. */
static void test_round_trip(void **state)
{
    fixture *f = *state;
    fsnsa_model *m = f->m;
    fsnsa_select_result k = f->k, h = f->h;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_model_set_selection(m, &k, &h, &err), FSNSA_OK);
    size_t n, n2;
    char *t = text_of(m, &n);
    assert_true(strncmp(t, "fsnsa-model 1.5\n", 16) == 0);
    assert_non_null(strstr(t, "\nselect features 3\nselect.folds 3\n"
                              "select.rule one-se\nselect.sizes 1 2 4\n"));
    assert_non_null(strstr(t, "\nselect.lowest 4\nselect.chosen 2\n"
                              "select hidden 3\n"));
    assert_non_null(strstr(t, "\nselect.fold_loss inf 0.21 0.31\n"));
    assert_non_null(strstr(t, "\nselect.lowest 8\nselect.chosen 8\ncrc32 "));
    fsnsa_model *back = parsed(t, n, &err);
    if (back == NULL)
        fail_msg("%s", err.msg);
    same_curve(&back->select_features, &k);
    same_curve(&back->select_hidden, &h);
    char *t2 = text_of(back, &n2);
    assert_int_equal(n, n2);
    assert_memory_equal(t, t2, n);
    free(t);
    free(t2);
    fsnsa_model_free(back);
}

/* The model holds copies; NULL or an empty curve clears; only the
 * curves recorded are written; a fit without one stays a 1.4 file. */
static void test_copies_and_clearing(void **state)
{
    fixture *f = *state;
    fsnsa_model *m = f->m;
    fsnsa_select_result k = f->k, h = f->h;
    size_t n;
    char *t = text_of(m, &n);
    assert_true(strncmp(t, "fsnsa-model 1.4\n", 16) == 0);
    assert_null(strstr(t, "\nselect"));
    free(t);
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_model_set_selection(m, NULL, &h, &err), FSNSA_OK);
    h.mean[0] = 0; /* the model's copy stays */
    assert_true(isinf(m->select_hidden.mean[0]));
    t = text_of(m, &n);
    assert_null(strstr(t, "\nselect features"));
    assert_non_null(strstr(t, "\nselect hidden 3\n"));
    free(t);
    assert_int_equal(fsnsa_model_set_selection(m, &k, NULL, &err), FSNSA_OK);
    assert_int_equal(m->select_hidden.n_sizes, 0);
    assert_int_equal(m->select_features.k, 2);
    assert_int_equal(fsnsa_model_set_selection(m, NULL, NULL, &err), FSNSA_OK);
    t = text_of(m, &n);
    assert_true(strncmp(t, "fsnsa-model 1.4\n", 16) == 0);
    free(t);
}

/* A curve that contradicts itself is refused by set_selection (the model
 * as it was) and, changed in the model afterwards, by save. */
static void test_bad_curve_refused(void **state)
{
    fixture *f = *state;
    fsnsa_model *m = f->m;
    fsnsa_select_result k = f->k, h = f->h;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_model_set_selection(m, &k, NULL, &err), FSNSA_OK);
    k.chosen = 2;
    k.k = 4; /* the lowest, not the one-SE rule's */
    assert_int_equal(fsnsa_model_set_selection(m, &k, &h, &err),
                     FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "its rule"));
    assert_int_equal(m->select_features.k, 2);
    assert_int_equal(m->select_hidden.n_sizes, 0);
    k.chosen = 1;
    k.k = 2;
    k.sizes[2] = 9; /* beyond p_in 4 */
    assert_int_equal(fsnsa_model_set_selection(m, &k, NULL, &err),
                     FSNSA_ERR_ARG);
    m->select_features.folds = 1;
    char path[128];
    snprintf(path, sizeof path, "%s/bad.model", tu_scratch_dir());
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "the curve that chose features"));
    assert_int_not_equal(access(path, F_OK), 0);
    m->select_features.folds = 3;
}

/* The saved text with `from` replaced by `to` must be refused with a
 * message holding `msg`. */
static void expect_refused(const char *t, const char *from, const char *to,
                           const char *msg)
{
    const char *at = strstr(t, from);
    if (at == NULL)
        fail_msg("'%s' not in the text", from);
    size_t pre = (size_t)(at - t), fl = strlen(from), tl = strlen(to);
    size_t n = strlen(t) - fl + tl;
    char *e = malloc(n + 1);
    assert_non_null(e);
    memcpy(e, t, pre);
    memcpy(e + pre, to, tl);
    strcpy(e + pre + tl, at + fl);
    fsnsa_error err = {0};
    fsnsa_model *m = NULL;
    /* the checksum is not compared: the check under test is the one */
    fsnsa_status st = fsnsa__model_parse(e, n, "mem.model", false, &m, &err);
    if (st == FSNSA_OK || strstr(err.msg, msg) == NULL)
        fail_msg("'%s' -> '%s': wanted '%s', got '%s'", from, to, msg,
                 st == FSNSA_OK ? "loaded" : err.msg);
    free(e);
}

static void test_edited_file_refused(void **state)
{
    fixture *f = *state;
    fsnsa_model *m = f->m;
    fsnsa_select_result k = f->k, h = f->h;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_model_set_selection(m, &k, &h, &err), FSNSA_OK);
    char *t = text_of(m, NULL);
    expect_refused(t, "select.chosen 2", "select.chosen 4", "its rule");
    expect_refused(t, "select.chosen 2", "select.chosen 3", "its rule");
    expect_refused(t, "select.lowest 4", "select.lowest 2",
                   "select.lowest 2 is not the size with the lowest mean, 4");
    expect_refused(t, "select.rule one-se", "select.rule lowest", "lowest");
    /* min is 1.7's: a 1.5 file cannot say it */
    expect_refused(t, "select.rule one-se", "select.rule min", "min");
    expect_refused(t, "select.sizes 1 2 4", "select.sizes 1 2 2", "ascend");
    expect_refused(t, "select.sizes 1 2 4", "select.sizes 1 2 5", "ascend");
    expect_refused(t, "select.folds 3", "select.folds 1", "select.lowest");
    expect_refused(t, "select.se 0 ", "select.se nan ", "standard error");
    expect_refused(t, "select features", "select hidden", "one curve each");
    expect_refused(t, "select features 3", "select features 9999999",
                   "cannot fit");
    expect_refused(t, "select features 3", "select features 0",
                   "at least one size");
    /* in a file that says 1.4 the 1.5 lines are no newer minor's */
    expect_refused(t, "fsnsa-model 1.5", "fsnsa-model 1.4",
                   "unexpected 'select' after the network");
    free(t);
}

/* A k curve chosen by the lowest mean (4, where one-SE takes 2): the
 * file says 1.7 and select.rule min, reads back bit for bit, and its
 * chosen size must be the lowest; 1.6 cannot hold it. */
static void test_min_rule(void **state)
{
    fixture *f = *state;
    fsnsa_select_result k = f->k;
    k.rule = FSNSA_SELECT_RULE_MIN;
    k.chosen = fsnsa_select_choose(k.mean, k.se, k.n_sizes, k.rule);
    assert_int_equal(k.chosen, fsnsa_select_lowest(&k));
    k.k = k.sizes[k.chosen];
    assert_int_equal(k.k, 4);
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_model_set_selection(f->m, &k, &f->h, &err),
                     FSNSA_OK);
    size_t n;
    char *t = text_of(f->m, &n);
    assert_true(strncmp(t, "fsnsa-model 1.7\n", 16) == 0);
    assert_non_null(strstr(t, "\nselect features 3\nselect.folds 3\n"
                              "select.rule min\n"));
    assert_non_null(strstr(t, "\nselect hidden 3\nselect.folds 3\n"
                              "select.rule one-se\n"));
    fsnsa_model *back = parsed(t, n, &err);
    if (back == NULL)
        fail_msg("%s", err.msg);
    same_curve(&back->select_features, &k);
    assert_int_equal(back->select_features.rule, FSNSA_SELECT_RULE_MIN);
    assert_int_equal(back->select_hidden.rule, FSNSA_SELECT_RULE_ONE_SE);
    fsnsa_model_free(back);
    expect_refused(t, "select.chosen 4", "select.chosen 2", "its rule");
    expect_refused(t, "fsnsa-model 1.7", "fsnsa-model 1.6", "min");
    free(t);
    /* a curve whose chosen is not its rule's is refused before saving */
    k.rule = FSNSA_SELECT_RULE_ONE_SE;
    assert_int_equal(fsnsa_model_set_selection(f->m, &k, NULL, &err),
                     FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "its rule"));
    k.rule = (fsnsa_select_rule)7;
    assert_int_equal(fsnsa_model_set_selection(f->m, &k, NULL, &err),
                     FSNSA_ERR_ARG);
}

/* A model written by fsnsa before 1.5 (tests/fixtures/README.md) loads
 * with no curve, its recall intact, and is written back as it was. */
static void test_old_1_4_file(void **state)
{
    (void)state;
    size_t n, n2;
    char *old = tu_slurp("tests/fixtures/old-1.4.model", &n);
    assert_non_null(old);
    assert_true(strncmp(old, "fsnsa-model 1.4\n", 16) == 0);
    fsnsa_model *m = NULL;
    fsnsa_error err = {0};
    if (fsnsa_model_load("tests/fixtures/old-1.4.model", &m, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(m->select_features.n_sizes, 0);
    assert_int_equal(m->select_hidden.n_sizes, 0);
    assert_null(m->select_features.sizes);
    assert_non_null(m->recall);
    char *t = text_of(m, &n2);
    assert_int_equal(n, n2);
    assert_memory_equal(old, t, n);
    free(t);
    free(old);
    fsnsa_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copies_and_clearing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_curve_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_edited_file_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_min_rule, setup, teardown),
        cmocka_unit_test(test_old_1_4_file),
    };
    return cmocka_run_group_tests_name("curve", tests, NULL, NULL);
}

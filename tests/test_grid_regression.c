/* The grid search on a regression (docs/experiments.md, "fsnsa grid"):
 * its split and folds are seeded shuffles that partition the rows, the
 * same whatever the thread count; a tiny grid on a known target chooses
 * the FSA+NSA size that holds the target's four columns and fits the test
 * rows; a grid continued from its job file gives the same figures; the
 * task and the data must agree. */
#include "testutil.h"

#include "fsnsa_exp.h"

#include <math.h>

enum { P = 8 };

#include "interaction_data.inc"

/* The known target on 8 columns, x4..x7 noise (interaction_data.inc). */
static fsnsa_dataset *interaction_data(size_t n, uint64_t seed)
{
    return interaction_data_p(n, P, seed);
}

/* Two FSA+NSA settings, k = 2 or 4 features of 16 nodes, one L2 and batch,
 * 3 folds, 1 repeat, 2 retrains. */
static void tiny_grid(fsnsa_grid_options *o)
{
    static const size_t batch[] = {32};
    static const double l2[] = {1e-4};
    static const fsnsa_size sizes[] = {{2, 16}, {4, 16}};
    fsnsa_grid_options_default(o);
    o->train.task = FSNSA_TASK_REGRESSION;
    o->dense = 0;
    o->l2 = l2;
    o->n_l2 = 1;
    o->batch = batch;
    o->n_batch = 1;
    o->sizes = sizes;
    o->n_sizes = 2;
    o->folds = 3;
    o->repeats = 1;
    o->retrains = 2;
    o->train.epochs = 40;
    o->train.start_hidden = 64;
    o->train.lr = 3e-3;
    o->sweep.threads = 1;
}

/* The split holds out round(0.2 n) rows; each repeat's folds partition the
 * training rows into folds of sizes within one of each other; repeats
 * differ; the plan depends only on the options. */
static void test_plan_partition(void **state)
{
    (void)state;
    const size_t n = 301;
    fsnsa_dataset *d = interaction_data(n, 3);
    fsnsa_grid_options o;
    tiny_grid(&o);
    o.repeats = 3;
    size_t *tr = malloc(n * sizeof *tr), *te = malloc(n * sizeof *te);
    size_t *folds = malloc(o.repeats * n * sizeof *folds);
    size_t *again = malloc(o.repeats * n * sizeof *again);
    size_t ntr, nte, ntr2, nte2;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_grid_plan(d, &o, tr, &ntr, te, &nte, folds, &err),
                     FSNSA_OK);
    assert_int_equal(nte, 60); /* round(0.2 * 301) */
    assert_int_equal(ntr + nte, n);
    unsigned char *side = calloc(n, 1);
    for (size_t i = 0; i < ntr; i++)
        side[tr[i]] |= 1;
    for (size_t i = 0; i < nte; i++)
        side[te[i]] |= 2;
    for (size_t i = 0; i < n; i++)
        assert_true(side[i] == 1 || side[i] == 2);
    for (size_t r = 0; r < o.repeats; r++) {
        const size_t *fold = folds + r * n;
        size_t count[3] = {0};
        for (size_t i = 0; i < ntr; i++) {
            assert_true(fold[i] < o.folds);
            count[fold[i]]++;
        }
        /* 241 rows: 81, 80, 80 */
        assert_int_equal(count[0] + count[1] + count[2], ntr);
        for (size_t f = 0; f < 3; f++)
            assert_true(count[f] == 80 || count[f] == 81);
        if (r > 0)
            assert_true(memcmp(folds, fold, ntr * sizeof *fold) != 0);
    }
    assert_int_equal(fsnsa_grid_plan(d, &o, tr, &ntr2, te, &nte2, again, &err),
                     FSNSA_OK);
    assert_int_equal(ntr2, ntr);
    for (size_t r = 0; r < o.repeats; r++)
        assert_memory_equal(folds + r * n, again + r * n, ntr * sizeof *folds);
    free(side);
    free(tr);
    free(te);
    free(folds);
    free(again);
    fsnsa_dataset_free(d);
}

static void run_grid(const fsnsa_dataset *d, const fsnsa_grid_options *o,
                     fsnsa_grid_result *r)
{
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_grid(d, o, r, &err);
    if (st != FSNSA_OK)
        fail_msg("%s", err.msg);
}

static void print_result(const char *what, const fsnsa_grid_result *r)
{
    for (size_t i = 0; i < r->n_settings; i++)
        print_message("%s: k %zu: CV R2 %.4f +- %.4f, MSE %.3f, %zu broken\n",
                      what, r->settings[i].features, r->settings[i].cv_r2,
                      r->settings[i].cv_r2_std, r->settings[i].cv_mse,
                      r->settings[i].cv_broken);
    print_message("%s: FSA+NSA k %zu: test R2 %.4f +- %.4f, RMSE %.3f, "
                  "MAE %.3f; equivalent h %zu: R2 %.4f\n", what,
                  r->best_fsa.features, r->best_fsa.r2_mean,
                  r->best_fsa.r2_std, r->best_fsa.rmse_mean,
                  r->best_fsa.mae_mean, r->equivalent.hidden,
                  r->equivalent.r2_mean);
}

/* The four columns the target depends on beat two of them by CV R^2, and
 * the retrained nets fit the test rows; the accuracy fields are NaN; two
 * threads give the same figures as one (each job's rows and seed come
 * from its key). */
static void test_grid_fits(void **state)
{
    (void)state;
    fsnsa_dataset *d = interaction_data(400, 1);
    fsnsa_grid_options o;
    tiny_grid(&o);
    fsnsa_grid_result r, two;
    run_grid(d, &o, &r);
    print_result("1 thread", &r);
    assert_int_equal(r.task, FSNSA_TASK_REGRESSION);
    assert_int_equal(r.n_classes, 0);
    assert_int_equal(r.n_settings, 2);
    assert_true(r.have_fsa && !r.have_dense);
    const fsnsa_grid_setting *k2 = &r.settings[0], *k4 = &r.settings[1];
    assert_int_equal(k4->features, 4);
    assert_true(k4->cv_r2 > k2->cv_r2);
    assert_true(k4->cv_r2 > 0.8 && k4->cv_r2 <= 1.0);
    assert_true(isnan(k4->cv_acc) && isnan(k4->cv_loss));
    /* MSE in the target's units (sd ~ 16): far above the standardized
     * target's 1 - R^2 */
    assert_true(k4->cv_mse > 2.0 && k4->cv_mse < 0.2 * 16 * 16);
    assert_int_equal(r.best_fsa.features, 4);
    assert_int_equal(r.best_fsa.broken, 0);
    assert_true(r.best_fsa.r2_mean > 0.8);
    assert_true(r.best_fsa.peek_r2_mean >= r.best_fsa.r2_mean);
    assert_true(r.best_fsa.mae_mean > 0 &&
                r.best_fsa.mae_mean <= r.best_fsa.rmse_mean);
    assert_true(r.best_fsa.rmse_mean > 1.0 && r.best_fsa.rmse_mean < 8.0);
    assert_true(isnan(r.best_fsa.acc_mean) && isnan(r.best_fsa.peek_mean));
    /* equivalent: round(16 (4 + 1) / (8 + 1)) = 9 nodes, one output */
    assert_int_equal(r.equivalent.hidden, 9);
    assert_true(isfinite(r.equivalent.r2_mean));

    o.sweep.threads = 2;
    run_grid(d, &o, &two);
    for (size_t i = 0; i < r.n_settings; i++)
        assert_memory_equal(&two.settings[i].cv_r2, &r.settings[i].cv_r2,
                            3 * sizeof(double));
    assert_memory_equal(&two.best_fsa.r2_mean, &r.best_fsa.r2_mean,
                        8 * sizeof(double));
    fsnsa_grid_result_clear(&r);
    fsnsa_grid_result_clear(&two);
    fsnsa_dataset_free(d);
}

/* How many tab-separated numbers the job line of key holds. */
static size_t values_of(const fsnsa_jobfile *jf, const char *key)
{
    const char *v = fsnsa_jobfile_find(jf, key);
    if (v == NULL)
        fail_msg("no job %s", key);
    size_t n = 0;
    for (char *end; *v != '\0'; v = end, n++) {
        strtod(v, &end);
        assert_true(end != v);
        if (*end == '\t')
            end++;
    }
    return n;
}

/* A regression's job lines: CV "r2 mse seconds", final "r2 peek_r2 loss
 * weights hidden features seconds rmse mae"; the grid read back from its
 * file gives the same figures, to the bit. */
static void test_grid_continued(void **state)
{
    (void)state;
    fsnsa_dataset *d = interaction_data(240, 5);
    fsnsa_grid_options o;
    tiny_grid(&o);
    o.train.epochs = 10;
    char path[600];
    snprintf(path, sizeof path, "%s/grid.jobs", tu_scratch_dir());
    fsnsa_error err = {0};
    fsnsa_jobfile *jf = NULL;
    assert_int_equal(fsnsa_jobfile_open(path, "grid regression", &jf, &err),
                     FSNSA_OK);
    o.sweep.jobs = jf;
    fsnsa_grid_result r, again;
    run_grid(d, &o, &r);
    assert_int_equal(values_of(jf, "cv/fsa-nsa/k4/h16/l2=0.0001/b32/r0/f2"),
                     3);
    char key[128];
    snprintf(key, sizeof key, "final/fsa-nsa/k%zu/h16/l2=0.0001/b32/s1",
             r.best_fsa.setting.features);
    assert_int_equal(values_of(jf, key), 9);
    double cv_r2 = strtod(fsnsa_jobfile_find(
                              jf, "cv/fsa-nsa/k4/h16/l2=0.0001/b32/r0/f0"),
                          NULL);
    assert_true(cv_r2 <= 1.0);
    fsnsa_jobfile_close(jf);
    /* reopened: every job is known, none runs again */
    assert_int_equal(fsnsa_jobfile_open(path, "grid regression", &jf, &err),
                     FSNSA_OK);
    size_t known = fsnsa_jobfile_count(jf);
    o.sweep.jobs = jf;
    run_grid(d, &o, &again);
    assert_int_equal(fsnsa_jobfile_count(jf), known);
    for (size_t i = 0; i < r.n_settings; i++) {
        assert_int_equal(again.settings[i].cv_broken, r.settings[i].cv_broken);
        assert_memory_equal(&again.settings[i].cv_r2, &r.settings[i].cv_r2,
                            3 * sizeof(double));
    }
    assert_memory_equal(&again.best_fsa.r2_mean, &r.best_fsa.r2_mean,
                        8 * sizeof(double));
    assert_memory_equal(&again.equivalent.r2_mean, &r.equivalent.r2_mean,
                        8 * sizeof(double));
    fsnsa_grid_result_clear(&r);
    fsnsa_grid_result_clear(&again);
    fsnsa_jobfile_close(jf);
    fsnsa_dataset_free(d);
}

/* The task and the data must agree, before any training. */
static void test_task_mismatch(void **state)
{
    (void)state;
    fsnsa_dataset *reg = interaction_data(60, 7), *cls = NULL;
    fsnsa_error err = {0};
    fsnsa_grid_options o;
    tiny_grid(&o);
    o.train.task = FSNSA_TASK_CLASSIFICATION;
    fsnsa_grid_result r;
    assert_int_equal(fsnsa_grid(reg, &o, &r, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "regression targets"));
    assert_int_equal(fsnsa_xor_generate(60, 4, 2, 3, 0, &cls, &err), FSNSA_OK);
    o.train.task = FSNSA_TASK_REGRESSION;
    assert_int_equal(fsnsa_grid(cls, &o, &r, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "numeric targets"));
    fsnsa_dataset_free(reg);
    fsnsa_dataset_free(cls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_partition),
        cmocka_unit_test(test_grid_fits),
        cmocka_unit_test(test_grid_continued),
        cmocka_unit_test(test_task_mismatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

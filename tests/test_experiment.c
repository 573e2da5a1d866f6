/* Experiments: restarts independent of the thread count, hit time on an
 * easy and an impossible case, the grid's stratified folds that never let
 * a test row into training (checked by index), a tiny grid end to end,
 * the experiments' defaults and the grid's default sizes, and the paper
 * pipeline in its CI size. */
#include "testutil.h"

#include "fsnsa_exp.h"

#include <math.h>
#include <sys/wait.h>

static void restarts(int threads, fsnsa_restarts_result *r)
{
    fsnsa_dataset *d = NULL, *t = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_xor_generate(200, 5, 3, 7, 0, &d, &err), FSNSA_OK);
    assert_int_equal(fsnsa_xor_generate(300, 5, 3, 7, 1, &t, &err), FSNSA_OK);
    fsnsa_restarts_options o;
    fsnsa_restarts_options_default(&o);
    o.train.method = FSNSA_METHOD_DENSE;
    o.train.hidden = 16;
    o.train.epochs = 30;
    o.restarts = 8;
    o.seed0 = 11;
    o.sweep.threads = threads;
    assert_int_equal(fsnsa_restarts(d, t, &o, r, &err), FSNSA_OK);
    fsnsa_dataset_free(d);
    fsnsa_dataset_free(t);
}

static void test_restarts_threads(void **state)
{
    (void)state;
    fsnsa_restarts_result a = {0}, b = {0};
    restarts(1, &a);
    restarts(2, &b);
    assert_int_equal(a.n, 8);
    assert_int_equal(b.n, 8);
    for (size_t i = 0; i < a.n; i++) {
        /* bit-identical: a job's seed comes from its key, not from the
         * thread that ran it */
        assert_true(a.runs[i].seed == b.runs[i].seed);
        assert_true(a.runs[i].loss == b.runs[i].loss);
        assert_true(a.runs[i].test_auc == b.runs[i].test_auc);
        if (i > 0)
            assert_true(a.runs[i - 1].loss <= a.runs[i].loss);
        assert_true(a.runs[i].seed >= 11 && a.runs[i].seed < 19);
    }
    assert_true(a.distinct >= 1 && a.distinct <= a.n);
    assert_true(a.spread == a.runs[a.n - 1].loss - a.runs[0].loss);
    assert_int_equal(a.distinct, b.distinct);
    fsnsa_restarts_result_clear(&a);
    fsnsa_restarts_result_clear(&b);
}

static void test_hittime_easy(void **state)
{
    (void)state;
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_xor_generate(400, 2, 2, 1, 0, &d, &err), FSNSA_OK);
    fsnsa_hittime_options o;
    fsnsa_hittime_options_default(&o);
    size_t ps[] = {2};
    o.p = ps;
    o.n_p = 1;
    o.train.method = FSNSA_METHOD_DENSE;
    o.train.hidden = 16;
    o.train.epochs = 150;
    o.max_runs = 10;
    o.target_hits = 5;
    o.sweep.threads = 2;
    fsnsa_hittime_point pt;
    assert_int_equal(fsnsa_hittime(d, &o, &pt, &err), FSNSA_OK);
    assert_int_equal(pt.status, 0);
    assert_int_equal(pt.hits, 5);
    assert_true(pt.hit_time >= 1.0 && pt.hit_time <= 1.5);
    assert_true(pt.lo <= pt.hit_time && pt.hit_time <= pt.hi);
    assert_true(pt.lo >= 1.0);
    fsnsa_dataset_free(d);
}

static void test_hittime_impossible(void **state)
{
    (void)state;
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_xor_generate(300, 40, 5, 1, 0, &d, &err), FSNSA_OK);
    fsnsa_hittime_options o;
    fsnsa_hittime_options_default(&o);
    size_t ps[] = {30, 40};
    o.p = ps;
    o.n_p = 2;
    o.train.method = FSNSA_METHOD_DENSE;
    o.train.hidden = 8;
    o.train.epochs = 2;
    o.threshold = 0.999;
    o.max_runs = 5;
    o.sweep.threads = 2;
    fsnsa_hittime_point pt[2];
    assert_int_equal(fsnsa_hittime(d, &o, pt, &err), FSNSA_OK);
    /* "> R": no estimate pretending to be one */
    assert_int_equal(pt[0].status, 1);
    assert_int_equal(pt[0].runs, 5);
    assert_int_equal(pt[0].hits, 0);
    assert_true(isinf(pt[0].hit_time) && isinf(pt[0].hi));
    assert_true(pt[0].lo > 1.0);
    /* a larger p after a censored one is skipped, not run */
    assert_int_equal(pt[1].status, 2);
    /* with --all-p it is run (and also censored) */
    o.stop_censored = 0;
    assert_int_equal(fsnsa_hittime(d, &o, pt, &err), FSNSA_OK);
    assert_int_equal(pt[1].status, 1);
    assert_int_equal(pt[1].runs, 5);
    fsnsa_dataset_free(d);
}

/* An unbalanced 3-class data set with the row index in column 0. */
static fsnsa_dataset *indexed_data(size_t n)
{
    float *x = malloc(n * 2 * sizeof *x);
    int32_t *y = malloc(n * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    for (size_t i = 0; i < n; i++) {
        x[2 * i] = (float)i;
        x[2 * i + 1] = (float)(i % 7);
        y[i] = i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2; /* 60/30/10 % */
    }
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_dataset_from_arrays(n, 2, x, y, 3, &d, &err),
                     FSNSA_OK);
    free(x);
    free(y);
    return d;
}

static void test_grid_plan(void **state)
{
    (void)state;
    const size_t n = 503;
    fsnsa_dataset *d = indexed_data(n);
    fsnsa_grid_options o;
    fsnsa_grid_options_default(&o);
    o.repeats = 3;
    size_t *tr = malloc(n * sizeof *tr), *te = malloc(n * sizeof *te);
    size_t *folds = malloc(o.repeats * n * sizeof *folds);
    size_t ntr, nte;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_grid_plan(d, &o, tr, &ntr, te, &nte, folds, &err),
                     FSNSA_OK);
    assert_int_equal(ntr + nte, n);
    /* 4:1, stratified */
    size_t cls_all[3] = {0}, cls_te[3] = {0};
    for (size_t i = 0; i < n; i++)
        cls_all[d->y[i]]++;
    for (size_t i = 0; i < nte; i++)
        cls_te[d->y[te[i]]]++;
    for (int c = 0; c < 3; c++)
        assert_true(fabs((double)cls_te[c] - 0.2 * (double)cls_all[c]) <= 1.0);
    /* no row on both sides, every row somewhere */
    unsigned char *side = calloc(n, 1);
    for (size_t i = 0; i < ntr; i++)
        side[tr[i]] |= 1;
    for (size_t i = 0; i < nte; i++)
        side[te[i]] |= 2;
    for (size_t i = 0; i < n; i++)
        assert_true(side[i] == 1 || side[i] == 2);
    for (size_t r = 0; r < o.repeats; r++) {
        const size_t *fold = folds + r * n;
        for (size_t f = 0; f < o.folds; f++) {
            size_t cnt[3] = {0}, tot[3] = {0}, nval = 0;
            for (size_t i = 0; i < ntr; i++) {
                assert_true(fold[i] < o.folds);
                size_t row = tr[i];
                /* every training row of a fold model and every validation
                 * row is a training-part row: never a test row */
                assert_int_equal(side[row], 1);
                assert_true((size_t)d->x[2 * row] == row);
                tot[d->y[row]]++;
                if (fold[i] == f) {
                    cnt[d->y[row]]++;
                    nval++;
                }
            }
            /* stratified: each class within one row of its share */
            for (int c = 0; c < 3; c++)
                assert_true(fabs((double)cnt[c] - (double)tot[c] / (double)o.folds) < 1.0 + 1e-9);
            assert_true(fabs((double)nval - (double)ntr / (double)o.folds) <= 1.0 + 1e-9);
        }
        /* repeats differ */
        if (r > 0)
            assert_true(memcmp(folds, fold, ntr * sizeof *fold) != 0);
    }
    free(side);
    free(tr);
    free(te);
    free(folds);
    fsnsa_dataset_free(d);
}

/* A tiny grid: dense h 4 and 8, FSA+NSA k 2 h 4, L2 1e-3, batch 32, 2
 * folds, 1 repeat, 2 retrains of 8 epochs, on unscaled 2-D XOR data. */
static void tiny_grid(fsnsa_grid_options *o)
{
    static const size_t hidden[] = {4, 8}, batch[] = {32};
    static const double l2[] = {1e-3};
    static const fsnsa_size sizes[] = {{2, 4}};
    fsnsa_grid_options_default(o);
    o->hidden = hidden;
    o->n_hidden = 2;
    o->l2 = l2;
    o->n_l2 = 1;
    o->batch = batch;
    o->n_batch = 1;
    o->sizes = sizes;
    o->n_sizes = 1;
    o->folds = 2;
    o->repeats = 1;
    o->retrains = 2;
    o->train.epochs = 8;
    o->train.start_hidden = 16;
    o->scale = FSNSA_SCALE_NONE;
    o->sweep.threads = 2;
}

static void test_grid_tiny(void **state)
{
    (void)state;
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_xor_generate(300, 4, 2, 3, 0, &d, &err), FSNSA_OK);
    fsnsa_grid_options o;
    tiny_grid(&o);
    fsnsa_grid_result r;
    assert_int_equal(fsnsa_grid(d, &o, &r, &err), FSNSA_OK);
    assert_int_equal(r.n_settings, 3);
    assert_int_equal(r.n_train + r.n_test, 300);
    assert_true(r.have_dense && r.have_fsa);
    assert_int_equal(r.best_fsa.features, 2);
    assert_int_equal(r.best_fsa.hidden, 4);
    assert_true(r.best_fsa.weights == 4.0 * (2 + 1));
    /* equivalent: round(12 / (4 + 1)) = 2 nodes on all 4 features */
    assert_int_equal(r.equivalent.hidden, 2);
    assert_int_equal(r.equivalent.features, 4);
    assert_true(r.best_dense.hidden == 4 || r.best_dense.hidden == 8);
    /* peeking can only look better */
    assert_true(r.best_dense.peek_mean >= r.best_dense.acc_mean - 1e-12);
    assert_true(r.best_fsa.peek_mean >= r.best_fsa.acc_mean - 1e-12);
    for (size_t i = 0; i < r.n_settings; i++)
        assert_true(r.settings[i].cv_acc >= 0 && r.settings[i].cv_acc <= 1);
    fsnsa_grid_result_clear(&r);

    /* bad sizes are refused before any training */
    fsnsa_size bad[] = {{9, 4}};
    o.sizes = bad;
    assert_int_equal(fsnsa_grid(d, &o, &r, &err), FSNSA_ERR_ARG);
    fsnsa_dataset_free(d);
}

/* Every experiment's defaults build on fsnsa_train_options_default and
 * differ from it only where the paper's study does: restarts train dense
 * nets of the automatic size, hit time dense nets of 20 nodes (Figure 4);
 * the grid keeps the training defaults (its settings set the rest) and
 * points at the paper's grids. */
static void test_experiment_defaults(void **state)
{
    (void)state;
    fsnsa_train_options t;
    fsnsa_train_options_default(&t);
    t.variant = FSNSA_VARIANT_PAPER; /* the experiments reproduce the paper */
    fsnsa_sweep_options sw;
    fsnsa_sweep_options_default(&sw);
    assert_int_equal(sw.threads, 1);
    assert_null(sw.jobs);
    assert_null(sw.progress);
    assert_null(sw.stop);

    fsnsa_restarts_options ro;
    fsnsa_restarts_options_default(&ro);
    assert_int_equal(ro.train.method, FSNSA_METHOD_DENSE);
    assert_int_equal(ro.train.hidden, 0);
    assert_int_equal(fsnsa_train_default_hidden(ro.train.method), 64);
    ro.train.method = t.method;
    assert_memory_equal(&ro.train, &t, sizeof t);
    assert_memory_equal(&ro.sweep, &sw, sizeof sw);
    assert_int_equal(ro.restarts, 10);

    fsnsa_hittime_options ho;
    fsnsa_hittime_options_default(&ho);
    assert_int_equal(ho.train.method, FSNSA_METHOD_DENSE);
    assert_int_equal(ho.train.hidden, 20);
    ho.train.method = t.method;
    ho.train.hidden = t.hidden;
    assert_memory_equal(&ho.train, &t, sizeof t);
    assert_memory_equal(&ho.sweep, &sw, sizeof sw);

    fsnsa_grid_options go;
    fsnsa_grid_options_default(&go);
    assert_memory_equal(&go.train, &t, sizeof t);
    assert_memory_equal(&go.sweep, &sw, sizeof sw);
    static const size_t hidden[] = {16, 32, 64, 128, 256, 512};
    static const double l2[] = {1e-4, 1e-3, 1e-2, 1e-1};
    static const size_t batch[] = {16, 32, 64};
    assert_int_equal(go.n_hidden, 6);
    assert_memory_equal(go.hidden, hidden, sizeof hidden);
    assert_int_equal(go.n_l2, 4);
    assert_memory_equal(go.l2, l2, sizeof l2);
    assert_int_equal(go.n_batch, 3);
    assert_memory_equal(go.batch, batch, sizeof batch);
    assert_null(go.sizes);
}

/* The default FSA+NSA targets: k in {ceil(p/4), ceil(p/2)} x h in {8, 32},
 * and a grid given no sizes searches exactly those. */
static void test_grid_default_sizes(void **state)
{
    (void)state;
    fsnsa_size s[FSNSA_GRID_DEFAULT_SIZES];
    assert_int_equal(fsnsa_grid_default_sizes(1, s), 2);
    assert_true(s[0].k == 1 && s[0].h == 8 && s[1].k == 1 && s[1].h == 32);
    assert_int_equal(fsnsa_grid_default_sizes(2, s), 2);
    assert_true(s[0].k == 1 && s[1].k == 1);
    assert_int_equal(fsnsa_grid_default_sizes(21, s), 4);
    assert_true(s[0].k == 6 && s[0].h == 8 && s[1].k == 6 && s[1].h == 32);
    assert_true(s[2].k == 11 && s[2].h == 8 && s[3].k == 11 && s[3].h == 32);

    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_xor_generate(200, 5, 2, 3, 0, &d, &err), FSNSA_OK);
    fsnsa_grid_options o;
    tiny_grid(&o);
    o.dense = 0;
    o.retrains = 1;
    o.train.epochs = 4;
    o.train.start_hidden = 32;
    o.sizes = NULL;
    o.n_sizes = 0;
    fsnsa_grid_result a, b;
    if (fsnsa_grid(d, &o, &a, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    o.n_sizes = fsnsa_grid_default_sizes(d->p, s);
    o.sizes = s;
    assert_int_equal(o.n_sizes, 4);
    assert_int_equal(fsnsa_grid(d, &o, &b, &err), FSNSA_OK);
    assert_int_equal(a.n_settings, 4);
    assert_int_equal(a.n_settings, b.n_settings);
    for (size_t i = 0; i < a.n_settings; i++) {
        assert_int_equal(a.settings[i].features, s[i].k);
        assert_int_equal(a.settings[i].hidden, s[i].h);
        assert_true(a.settings[i].cv_acc == b.settings[i].cv_acc);
    }
    assert_true(a.best_fsa.acc_mean == b.best_fsa.acc_mean);
    fsnsa_grid_result_clear(&a);
    fsnsa_grid_result_clear(&b);
    fsnsa_dataset_free(d);
}

/* A grid in which some trainings break (8 epochs leave some worse than
 * the class frequencies): a broken CV fold is in the job file with
 * accuracy NaN, each setting's mean is over its other folds, the best
 * setting has the fewest broken folds, and a rerun from the file gives
 * the same result. */
static void test_grid_broken_runs(void **state)
{
    (void)state;
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_xor_generate(300, 4, 2, 3, 0, &d, &err), FSNSA_OK);
    fsnsa_grid_options o;
    tiny_grid(&o);
    o.repeats = 2;
    o.retrains = 3;
    char dir[] = "/tmp/fsnsa-grid-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/jobs.tsv", dir);
    fsnsa_jobfile *jf = NULL;
    assert_int_equal(fsnsa_jobfile_open(path, "grid broken", &jf, &err),
                     FSNSA_OK);
    o.sweep.jobs = jf;
    fsnsa_grid_result r, again;
    assert_int_equal(fsnsa_grid(d, &o, &r, &err), FSNSA_OK);
    size_t broken = 0, least = (size_t)-1;
    for (size_t i = 0; i < r.n_settings; i++) {
        const fsnsa_grid_setting *st = &r.settings[i];
        print_message("%s h%zu: cv_acc %.4f, %zu of 4 folds broken\n",
                      fsnsa_method_name(st->method), st->hidden, st->cv_acc,
                      st->cv_broken);
        broken += st->cv_broken;
        assert_true(st->cv_broken <= 4);
        assert_true(isnan(st->cv_acc) == (st->cv_broken == 4));
        /* the mean of the folds' accuracies in the file that are not NaN */
        char key[128];
        double sum = 0;
        size_t n = 0, nan_lines = 0;
        for (size_t rep = 0; rep < 2; rep++)
            for (size_t f = 0; f < 2; f++) {
                snprintf(key, sizeof key, "cv/%s%zu/l2=0.001/b32/r%zu/f%zu",
                         st->method == FSNSA_METHOD_DENSE ? "dense/h"
                                                          : "fsa-nsa/k2/h",
                         st->hidden, rep, f);
                const char *v = fsnsa_jobfile_find(jf, key);
                assert_non_null(v);
                double acc = strtod(v, NULL);
                if (isnan(acc)) {
                    nan_lines++;
                } else {
                    sum += acc;
                    n++;
                }
            }
        assert_int_equal(nan_lines, st->cv_broken);
        if (n > 0)
            assert_true(st->cv_acc == sum / (double)n);
        if (st->method == FSNSA_METHOD_DENSE && st->cv_broken < least)
            least = st->cv_broken;
    }
    assert_true(broken > 0 && broken < 12); /* some, not all */
    assert_int_equal(r.best_dense.setting.cv_broken, least);
    assert_true(r.best_dense.broken <= 3 && r.best_fsa.broken <= 3);
    /* the same from the file */
    assert_int_equal(fsnsa_grid(d, &o, &again, &err), FSNSA_OK);
    for (size_t i = 0; i < r.n_settings; i++) {
        assert_int_equal(again.settings[i].cv_broken, r.settings[i].cv_broken);
        assert_memory_equal(&again.settings[i].cv_acc, &r.settings[i].cv_acc,
                            sizeof(double));
    }
    assert_int_equal(again.best_dense.broken, r.best_dense.broken);
    assert_memory_equal(&again.best_fsa.acc_mean, &r.best_fsa.acc_mean,
                        sizeof(double));
    fsnsa_grid_result_clear(&r);
    fsnsa_grid_result_clear(&again);
    fsnsa_jobfile_close(jf);
    unlink(path);
    rmdir(dir);
    fsnsa_dataset_free(d);
}

/* The paper pipeline in its CI size: every figure and Table 2 drawn. Skips
 * without gnuplot, the command or the data sets. */
static void test_paper_ci(void **state)
{
    (void)state;
    const char *bin = tu_bin();
    if (access(bin, X_OK) != 0 || tu_datasets() == NULL ||
        system("command -v gnuplot >/dev/null 2>&1") != 0 ||
        access("paper/run.sh", R_OK) != 0) {
        skip();
        return;
    }
    char out[128], cmd[1024];
    snprintf(out, sizeof out, "/tmp/fsnsa-paper-ci-%ld", (long)getpid());
    snprintf(cmd, sizeof cmd, "rm -rf %s && sh paper/run.sh ci %s "
             ">/dev/null 2>&1", out, out);
    assert_int_equal(system(cmd), 0);
    for (int i = 1; i <= 7; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/fig/fig%d.png", out, i);
        assert_int_equal(access(path, R_OK), 0);
        snprintf(path, sizeof path, "%s/fig/fig%d.svg", out, i);
        assert_int_equal(access(path, R_OK), 0);
    }
    /* Figure 4x, beyond the paper: both variants of FSA+NSA and the
     * dense net, each run in its own variant */
    snprintf(cmd, sizeof cmd, "test -s %s/fig/fig4x.png && "
             "test -s %s/fig/fig4x.svg && "
             "head -1 %s/data/fig4x-stable.tsv | grep -q 'method=fsa-nsa .*"
             "variant=stable$' && head -1 %s/data/fig4x-paper.tsv | "
             "grep -q 'variant=paper$' && head -1 %s/data/fig4x-dense.tsv | "
             "grep -q 'method=dense hidden=20 '", out, out, out, out, out);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "grep -q 'FSA+NSA' %s/table2.md", out);
    assert_int_equal(system(cmd), 0);
    /* a rerun only reads the job files */
    snprintf(cmd, sizeof cmd, "sh paper/run.sh ci %s >/dev/null 2>&1", out);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", out);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restarts_threads),
        cmocka_unit_test(test_hittime_easy),
        cmocka_unit_test(test_hittime_impossible),
        cmocka_unit_test(test_grid_plan),
        cmocka_unit_test(test_grid_tiny),
        cmocka_unit_test(test_grid_broken_runs),
        cmocka_unit_test(test_experiment_defaults),
        cmocka_unit_test(test_grid_default_sizes),
        cmocka_unit_test(test_paper_ci),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

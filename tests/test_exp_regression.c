/* Restarts and hit time with a regression target (--task regression):
 * on y = 2 x0 - x1 + noise with four noise columns the best restart
 * predicts the test rows (R^2 > 0.9) from x0 and x1; each run's R^2 and
 * RMSE agree with its loss (the MSE on the standardized target); the
 * broken rule compares with the mean's MSE (1); a hit is a train R^2 >=
 * the threshold; the same results for 1 and 2 threads and from a job
 * file; and a classification job file written before regression existed
 * still continues. */
#include "testutil.h"

#include "fsnsa_exp.h"

#include <math.h>

enum { P = 6, N_TRAIN = 300, N_TEST = 200 };

/* uniform in [-1, 1) from an LCG: the same rows on every machine */
static double next_uniform(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (double)((*s >> 8) % 20001) / 10000.0 - 1.0;
}

/* n rows of x0..x5 and y = 10 + 3 (2 x0 - x1) + 0.1 noise (noise from
 * the LCG, mean about 0): x2..x5 carry nothing. */
static void make_rows(size_t n, unsigned seed, float *x, float *y)
{
    unsigned s = seed;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < P; j++)
            x[i * P + j] = (float)next_uniform(&s);
        double noise = next_uniform(&s) + next_uniform(&s);
        y[i] = (float)(10 + 3 * (2 * x[i * P] - x[i * P + 1]) + 0.1 * noise);
    }
}

static fsnsa_dataset *regression_data(size_t n, unsigned seed)
{
    float *x = malloc(n * P * sizeof *x), *y = malloc(n * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    make_rows(n, seed, x, y);
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_dataset_from_arrays(n, P, x, NULL, 0, &d, &err),
                     FSNSA_OK);
    assert_int_equal(fsnsa_dataset_set_target(d, y, &err), FSNSA_OK);
    free(x);
    free(y);
    return d;
}

/* The targets' standard deviation (ddof 0), the RMSE unit. */
static double target_sd(const fsnsa_dataset *d)
{
    double m = 0, ss = 0;
    for (size_t i = 0; i < d->n; i++)
        m += d->target[i];
    m /= (double)d->n;
    for (size_t i = 0; i < d->n; i++)
        ss += (d->target[i] - m) * (d->target[i] - m);
    return sqrt(ss / (double)d->n);
}

static void fsa_options(fsnsa_restarts_options *o, int threads)
{
    fsnsa_restarts_options_default(o);
    o->train.task = FSNSA_TASK_REGRESSION;
    o->train.method = FSNSA_METHOD_FSA;
    o->train.features = 2;
    o->train.hidden = 8;
    o->train.epochs = 60;
    o->restarts = 4;
    o->sweep.threads = threads;
}

static void run_restarts(const fsnsa_restarts_options *o,
                         fsnsa_restarts_result *r)
{
    fsnsa_dataset *d = regression_data(N_TRAIN, 7);
    fsnsa_dataset *t = regression_data(N_TEST, 99);
    fsnsa_error err = {0};
    if (fsnsa_restarts(d, t, o, r, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    fsnsa_dataset_free(d);
    fsnsa_dataset_free(t);
}

/* The best run predicts the test rows from the right columns; every
 * figure agrees with the loss; the AUC fields are NaN. */
static void test_restarts_fit(void **state)
{
    (void)state;
    fsnsa_restarts_options o;
    fsa_options(&o, 2);
    fsnsa_restarts_result r = {0};
    run_restarts(&o, &r);
    fsnsa_dataset *d = regression_data(N_TRAIN, 7);
    double sd = target_sd(d);
    fsnsa_dataset_free(d);
    assert_int_equal(r.task, FSNSA_TASK_REGRESSION);
    assert_int_equal(r.n, 4);
    assert_true(fabs(r.constant_loss - 1.0) < 1e-5);
    const fsnsa_run *b = &r.runs[0];
    print_message("best seed %llu: loss %.6f, train R2 %.4f, test R2 %.4f, "
                  "test RMSE %.4f\n", (unsigned long long)b->seed, b->loss,
                  b->train_r2, b->test_r2, b->test_rmse);
    assert_false(b->broken);
    assert_true(b->test_r2 > 0.9);
    assert_true(r.kept[0] && r.kept[1]);
    for (size_t j = 2; j < P; j++)
        assert_false(r.kept[j]);
    for (size_t i = 0; i < r.n; i++) {
        const fsnsa_run *u = &r.runs[i];
        assert_int_equal(u->task, FSNSA_TASK_REGRESSION);
        assert_true(isnan(u->train_auc) && isnan(u->test_acc));
        if (i > 0)
            assert_true(r.runs[i - 1].loss <= u->loss);
        /* R^2 = 1 - MSE / variance, and the RMSE in the target's units:
         * sd * sqrt(the standardized MSE) */
        assert_true(fabs(u->train_r2 - (1 - u->loss / r.constant_loss)) <
                    1e-4);
        assert_true(fabs(u->train_rmse - sd * sqrt(u->loss)) <
                    1e-4 * u->train_rmse);
        assert_true(u->test_rmse > 0 && isfinite(u->test_r2));
    }
    assert_true(r.mean_train_r2 <= r.runs[0].train_r2 + 1e-12);
    assert_true(isnan(r.mean_train_auc) && isfinite(r.mean_test_rmse));
    fsnsa_restarts_result_clear(&r);
}

/* 1 and 2 threads: the same runs, bit for bit. */
static void test_restarts_threads(void **state)
{
    (void)state;
    fsnsa_restarts_options o1, o2;
    fsa_options(&o1, 1);
    fsa_options(&o2, 2);
    fsnsa_restarts_result a = {0}, b = {0};
    run_restarts(&o1, &a);
    run_restarts(&o2, &b);
    for (size_t i = 0; i < a.n; i++) {
        assert_true(a.runs[i].seed == b.runs[i].seed);
        assert_memory_equal(&a.runs[i].loss, &b.runs[i].loss, sizeof(double));
        assert_memory_equal(&a.runs[i].test_r2, &b.runs[i].test_r2,
                            sizeof(double));
        assert_memory_equal(&a.runs[i].test_rmse, &b.runs[i].test_rmse,
                            sizeof(double));
    }
    assert_memory_equal(a.kept, b.kept, a.n * a.p);
    assert_int_equal(a.distinct, b.distinct);
    fsnsa_restarts_result_clear(&a);
    fsnsa_restarts_result_clear(&b);
}

/* A new job file `name` in the scratch directory. */
static fsnsa_jobfile *open_jobs(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tu_scratch_dir(), name);
    fsnsa_error err = {0};
    fsnsa_jobfile *jf = NULL;
    assert_int_equal(fsnsa_jobfile_open(path, name, &jf, &err), FSNSA_OK);
    return jf;
}

/* A run is broken when its MSE on the standardized target is worse than
 * the mean's (1, with the rule's margin): one epoch at a tiny learning
 * rate leaves the random net's predictions, worse than the mean; read
 * back from the job file, the same runs are broken. */
static void test_broken_rule(void **state)
{
    (void)state;
    fsnsa_restarts_options o;
    fsa_options(&o, 2);
    o.train.method = FSNSA_METHOD_DENSE;
    o.train.hidden = 32;
    o.train.epochs = 1;
    o.train.lr = 1e-6;
    o.restarts = 6;
    fsnsa_jobfile *jf = open_jobs("broken.jobs");
    o.sweep.jobs = jf;
    fsnsa_restarts_result r = {0}, again = {0};
    run_restarts(&o, &r);
    size_t broken = 0;
    for (size_t i = 0; i < r.n; i++) {
        const fsnsa_run *u = &r.runs[i];
        int worse = !(u->loss <= r.constant_loss + 1e-3);
        print_message("seed %llu: loss %.6f broken %d\n",
                      (unsigned long long)u->seed, u->loss, u->broken);
        assert_int_equal(u->broken, worse);
        broken += (size_t)worse;
    }
    assert_true(broken > 0);
    assert_int_equal(r.broken, broken);
    if (broken == r.n)
        assert_true(isnan(r.mean_train_r2));
    /* from the file: nothing trained, the same judgement */
    run_restarts(&o, &again);
    assert_int_equal(fsnsa_jobfile_count(jf), 6);
    assert_int_equal(again.broken, r.broken);
    for (size_t i = 0; i < r.n; i++) {
        assert_int_equal(again.runs[i].broken, r.runs[i].broken);
        assert_memory_equal(&again.runs[i].test_r2, &r.runs[i].test_r2,
                            sizeof(double));
    }
    fsnsa_restarts_result_clear(&r);
    fsnsa_restarts_result_clear(&again);
    fsnsa_jobfile_close(jf);
}

/* p = 1 (x0 alone explains 0.8 of the variance) never reaches R^2 0.9;
 * p = 2 does on every run. The job file's hit flags are exactly R^2 >=
 * the threshold. */
static void test_hittime_r2(void **state)
{
    (void)state;
    fsnsa_dataset *d = regression_data(N_TRAIN, 7);
    fsnsa_hittime_options o;
    fsnsa_hittime_options_default(&o);
    o.train.task = FSNSA_TASK_REGRESSION;
    o.train.epochs = 60;
    size_t ps[] = {1, 2};
    o.p = ps;
    o.n_p = 2;
    o.threshold = 0.9;
    o.max_runs = 4;
    o.target_hits = 3;
    o.stop_censored = 0;
    o.sweep.threads = 2;
    fsnsa_jobfile *jf = open_jobs("hit.jobs");
    o.sweep.jobs = jf;
    fsnsa_error err = {0};
    fsnsa_hittime_point pt[2];
    if (fsnsa_hittime(d, &o, pt, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    for (int i = 0; i < 2; i++)
        print_message("p %zu: %zu hits of %zu runs, mean R2 %.4f, best "
                      "%.4f\n", pt[i].p, pt[i].hits, pt[i].runs,
                      pt[i].mean_train_r2, pt[i].best_train_r2);
    assert_int_equal(pt[0].task, FSNSA_TASK_REGRESSION);
    assert_int_equal(pt[0].status, 1);
    assert_int_equal(pt[0].hits, 0);
    assert_true(pt[0].best_train_r2 > 0.7 && pt[0].best_train_r2 < 0.9);
    assert_true(isnan(pt[0].mean_train_auc));
    assert_int_equal(pt[1].status, 0);
    assert_int_equal(pt[1].hits, 3);
    assert_int_equal(pt[1].runs, 3);
    assert_true(pt[1].mean_train_r2 >= 0.9);
    /* every line: hit = (train R^2 >= 0.9), the value next to it */
    /* 4 + 3, or 4 + 4 when the last started before the third hit was in */
    size_t lines = fsnsa_jobfile_count(jf);
    assert_true(lines == 7 || lines == 8);
    for (size_t p = 1; p <= 2; p++)
        for (unsigned s = 1; s <= 4; s++) {
            char key[64];
            snprintf(key, sizeof key, "p=%zu/seed=%u", p, s);
            const char *v = fsnsa_jobfile_find(jf, key);
            if (v == NULL) /* p = 2 stops at its third hit */
                continue;
            char *end;
            double hit = strtod(v, &end), r2 = strtod(end, NULL);
            assert_true(hit == (r2 >= 0.9 ? 1.0 : 0.0));
        }
    fsnsa_jobfile_close(jf);
    fsnsa_dataset_free(d);
}

/* The CSV of the library tests' rows, y + shift last, with a header. */
static void write_csv(char *path, size_t size, size_t n, double shift)
{
    float *x = malloc(n * P * sizeof *x), *y = malloc(n * sizeof *y);
    char *text = malloc(n * 80 + 64);
    assert_non_null(x);
    assert_non_null(y);
    assert_non_null(text);
    make_rows(n, 7, x, y);
    size_t o = (size_t)sprintf(text, "x0,x1,n2,n3,n4,n5,y\n");
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < P; j++)
            o += (size_t)sprintf(text + o, "%.6f,", (double)x[i * P + j]);
        o += (size_t)sprintf(text + o, "%.6f\n", (double)y[i] + shift);
    }
    tu_write_text(path, size, ".csv", text);
    free(text);
    free(x);
    free(y);
}

/* The `# best`, `# mean` and `# distinct` lines of restarts' output. */
static void summary_lines(const char *out, char *buf, size_t size)
{
    const char *b = strstr(out, "# best ");
    const char *e = strstr(out, "# broken=");
    assert_non_null(b);
    assert_non_null(e);
    snprintf(buf, size, "%.*s", (int)(e - b), b);
}

/* fsnsa restarts --task regression: R^2 and RMSE columns, the best run
 * on x0 and x1, the job file's task and values fields, the same results
 * for --threads 1 and 2 and when continued from the file. */
static void test_cli_restarts(void **state)
{
    (void)state;
    char data[512], res[600], *out, first[2048], other[2048];
    write_csv(data, sizeof data, 400, 0);
    snprintf(res, sizeof res, "%s/reg.jobs", tu_scratch_dir());
    const char *args = "--task regression --method fsa --features 2 "
                       "--hidden 8 --restarts 4 --epochs 60 "
                       "--test-fraction 0.25";
    assert_int_equal(tu_run(&out, "restarts %s --threads 2 --results %s %s",
                            args, res, data), 0);
    assert_non_null(strstr(out, "rank\tseed\tloss\ttrain_r2\ttest_r2\t"
                                "train_rmse\ttest_rmse\thidden"));
    const char *best = strstr(out, "# best seed=");
    assert_non_null(best);
    const char *t = strstr(best, "test_r2=");
    assert_non_null(t);
    print_message("%.*s", (int)(strchr(best, '\n') - best + 1), best);
    assert_true(atof(t + 8) > 0.9);
    /* the rank 1 line keeps x0 and x1 */
    const char *rank1 = strstr(out, "\n1\t");
    assert_non_null(rank1);
    const char *eol = strchr(rank1 + 1, '\n');
    assert_true(eol - rank1 > 8 && strncmp(eol - 8, "\t0\tx0,x1", 8) == 0);
    assert_non_null(strstr(out, "constant_loss=1.000000 (runs whose final "
                                "training loss is worse than predicting the "
                                "training mean"));
    summary_lines(out, first, sizeof first);
    free(out);
    char *text = tu_slurp(res, NULL);
    assert_non_null(strstr(text, "\tvalues=loss train_r2 test_r2 train_rmse "
                                 "test_rmse seconds hidden features "
                                 "weights\t"));
    assert_non_null(strstr(text, "\ttask=regression"));
    /* continued: every run from the file, the file unchanged */
    assert_int_equal(tu_run(&out, "restarts %s --threads 1 --results %s %s",
                            args, res, data), 0);
    summary_lines(out, other, sizeof other);
    assert_string_equal(first, other);
    free(out);
    char *after = tu_slurp(res, NULL);
    assert_string_equal(text, after);
    free(after);
    free(text);
    /* a new run on one thread: the same figures */
    assert_int_equal(tu_run(&out, "restarts %s --threads 1 %s", args, data),
                     0);
    summary_lines(out, other, sizeof other);
    assert_string_equal(first, other);
    free(out);
    /* the same columns with other targets are other data: refused */
    write_csv(data, sizeof data, 400, 0.5);
    assert_int_equal(tu_run(&out, "restarts %s --results %s %s", args, res,
                            data), 1);
    assert_non_null(strstr(out, "made from other data or settings"));
    assert_non_null(strstr(out, "data-sha256="));
    free(out);
}

/* fsnsa hittime --task regression: the R^2 columns and the hits. */
static void test_cli_hittime(void **state)
{
    (void)state;
    char data[512], *out;
    write_csv(data, sizeof data, 300, 0);
    assert_int_equal(tu_run(&out, "hittime --task regression --ps 1,2 --runs 4 "
                            "--hits 3 --threshold 0.9 --epochs 40 "
                            "--all-p --threads 2 %s", data), 0);
    assert_non_null(strstr(out, "# threshold train R2 >= 0.9,"));
    assert_non_null(strstr(out, "\tstatus\tmean_train_r2\tbest_train_r2\t"
                                "broken\n"));
    assert_non_null(strstr(out, "\n1\t4\t0\t>4\t"));
    assert_non_null(strstr(out, "\n2\t3\t3\t1.000\t"));
    free(out);
}

/* A classification job file written by fsnsa before regression existed
 * (commit b66f439, `fsnsa restarts -q --restarts 2 --hidden 4 --epochs 5
 * --results old.jobs cls.csv`) continues: no task field is asked for, no
 * job runs again, the file stays as it was. */
static void test_old_classification_file(void **state)
{
    (void)state;
    static const char csv[] =
        "a,b,c,y\n-0.25,0.5,1.75,n\n-2.25,1.25,-0.5,n\n-2,-1,-1.5,n\n"
        "0.5,1.5,-0.5,n\n0.75,2,-1.5,n\n2.25,-0.5,-2.25,p\n-0.75,1,-0.25,n\n"
        "-1,0.75,-1,n\n-1.75,-1.25,1.25,n\n-1.25,-1.25,-2.25,n\n"
        "-2.25,-0.75,-0.75,n\n-1,-1,0,n\n0.25,-0.75,2,p\n-0.75,-1,-0.75,p\n"
        "0.75,0,-2.25,p\n0.5,1,-1,n\n-1.25,-0.25,-1.75,n\n0.25,0,2.25,p\n"
        "-2.25,0.25,-1.75,n\n0,0.5,0,n\n1.5,0.25,-1,p\n1.5,1.5,-1,n\n"
        "-2,-0.25,-2.25,n\n0.5,0.75,-2.25,n\n2,1,0.5,p\n0.75,2.25,-2.25,n\n"
        "1.25,-2,-1,p\n-0.75,-1.5,-0.5,p\n1.25,0.5,1.75,p\n"
        "0.5,1.75,-0.25,n\n";
    static const char jobs[] =
        "#fsnsa-jobs 2\tsweep=restarts\tvalues=loss train_auc test_auc "
        "train_acc test_acc seconds hidden features weights\t@fsnsa=0.1.0\t"
        "test-fraction=0\tsplit-seed=0\tmissing=refuse\tscale=standard\t"
        "data-sha256=63cb18ed05b83031adde4c18ae4c97386964faa23cbfb9af038140"
        "bdc8063284\ttest-sha256=-\t@data=cls.csv\t@rows=30\t@columns=3\t"
        "@classes=2\t@test=-\t@test-rows=0\t@format=auto\t@header=auto\t"
        "@delimiter=auto\t@decimal=auto\t@label-column=last\t@labels-file=-\t"
        "@na-values=default\t@ignore-columns=-\tmethod=dense\thidden=4\t"
        "start-hidden=1024\tfeatures=2\tepochs=5\tmu=30\tbatch=32\tlr=0.001\t"
        "weight-decay=0.0001\n"
        "seed=1\t0.66801872927148576\t0.46999999999999997\tnan\t"
        "0.66666666666666663\tnan\t8.4070999946561642e-05\t4\t3\t16\t7\t"
        "~68de5512\n"
        "seed=2\t0.68005598639175657\t0.23000000000000001\tnan\t"
        "0.66666666666666663\tnan\t9.5154000064212596e-05\t4\t3\t16\t7\t"
        "~14c0d966\n";
    char data[512], res[512], *out;
    tu_write_text(data, sizeof data, ".csv", csv);
    tu_write_text(res, sizeof res, ".jobs", jobs);
    assert_int_equal(tu_run(&out, "restarts --restarts 2 --hidden 4 --epochs 5 "
                            "--results %s %s", res, data), 0);
    assert_non_null(strstr(out, "\n1\t1\t0.668019\t0.4700\tnan\t0.6667\t"));
    assert_non_null(strstr(out, "\n2\t2\t0.680056\t0.2300\tnan\t0.6667\t"));
    free(out);
    char *text = tu_slurp(res, NULL);
    assert_string_equal(text, jobs);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restarts_fit),
        cmocka_unit_test(test_restarts_threads),
        cmocka_unit_test(test_broken_rule),
        cmocka_unit_test(test_hittime_r2),
        cmocka_unit_test(test_cli_restarts),
        cmocka_unit_test(test_cli_hittime),
        cmocka_unit_test(test_old_classification_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Out of memory: for each public call below, the k-th allocation the
 * library makes is made to fail, for k = 0, 1, ... until the call gets
 * through without a failure. Every failing run must return an error
 * (FSNSA_ERR_NOMEM where nothing but memory failed), leave its outputs
 * empty, write no file, and leak nothing (LeakSanitizer in make test-asan,
 * valgrind in tests/valgrind.sh) — never crash.
 *
 * The Makefile links this program with -Wl,--wrap for malloc, calloc,
 * realloc and posix_memalign, so the library's calls land in the wrappers
 * below. Allocations inside libc, zlib or libgomp are not counted. */
#include "testutil.h"

#include "fsnsa_exp.h"

#include <dirent.h>
#include <stdatomic.h>
#include <execinfo.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t sz);
void *__real_realloc(void *p, size_t n);
int __real_posix_memalign(void **p, size_t align, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t sz);
void *__wrap_realloc(void *p, size_t n);
int __wrap_posix_memalign(void **p, size_t align, size_t n);

/* Allocations left before the one that fails; < 0: none fails. Atomic
 * because sweeps allocate from OpenMP threads (these tests use one). */
static atomic_long countdown = -1;
static atomic_int failed;

static int fail_now(void)
{
    long left = atomic_load(&countdown);
    while (left >= 0) {
        if (atomic_compare_exchange_weak(&countdown, &left, left - 1)) {
            if (left == 0) {
                atomic_store(&failed, 1);
                /* NOMEM_TRACE=1: where the failing allocation is (feed
                 * the addresses to addr2line -i -f -e this program) */
                if (getenv("NOMEM_TRACE") != NULL) {
                    void *bt[16];
                    backtrace_symbols_fd(bt, backtrace(bt, 16), 2);
                }
                return 1;
            }
            return 0;
        }
    }
    return 0;
}

void *__wrap_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t sz)
{
    return fail_now() ? NULL : __real_calloc(n, sz);
}
void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}
int __wrap_posix_memalign(void **p, size_t align, size_t n)
{
    return fail_now() ? 12 /* ENOMEM */ : __real_posix_memalign(p, align, n);
}

/* One call under test: returns its status; on success it hashes its
 * results into *fp and releases what it made (so that a leak can only come
 * from a failing path). */
typedef fsnsa_status (*op_fn)(void *ctx, uint64_t *fp, fsnsa_error *err);

static void hash(uint64_t *h, const void *data, size_t len)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < len; i++)
        *h = (*h ^ b[i]) * 1099511628211u; /* FNV-1a */
}

/* Runs op with the k-th allocation failing for every k; returns how many
 * allocations the successful run made. A run may recover from a failed
 * allocation (e.g. a shrinking realloc) only if its results are the
 * same as without the failure: a swallowed failure that changes a result
 * (an AUC turned NaN) fails the test. */
static long fail_each_allocation(const char *what, op_fn op, void *ctx)
{
    fsnsa_error err;
    memset(&err, 0, sizeof err);
    uint64_t want = 14695981039346656037u, fp;
    if (op(ctx, &want, &err) != FSNSA_OK)
        fail_msg("%s: %s", what, err.msg);
    for (long k = 0;; k++) {
        memset(&err, 0, sizeof err);
        fp = 14695981039346656037u;
        atomic_store(&failed, 0);
        atomic_store(&countdown, k);
        fsnsa_status st = op(ctx, &fp, &err);
        atomic_store(&countdown, -1);
        if (!atomic_load(&failed)) {
            if (st != FSNSA_OK)
                fail_msg("%s: fails without an allocation failure: %s", what,
                         err.msg);
            assert_true(fp == want); /* deterministic */
            print_message("%s: each of %ld allocations failed in turn\n",
                          what, k);
            return k;
        }
        if (st == FSNSA_OK) {
            if (fp != want)
                fail_msg("%s: allocation %ld failed, the call said OK with "
                         "other results", what, k);
            continue;
        }
        if (st != FSNSA_ERR_NOMEM)
            fail_msg("%s: allocation %ld failed, status %s (%s), want NOMEM",
                     what, k, fsnsa_status_name(st), err.msg);
        if (err.msg[0] == '\0')
            fail_msg("%s: allocation %ld failed without a message", what, k);
        /* the whole list of a call fits in a few thousand allocations */
        assert_true(k < 100000);
    }
}

/* ------------------------------------------------------------------ */

typedef struct {
    fsnsa_dataset *d;
    fsnsa_net *net;
    fsnsa_train_options o;
    const char *path;
    const char *dir;
    fsnsa_model *model;
} fixture;

static void hash_net(uint64_t *fp, const fsnsa_net *n)
{
    hash(fp, &n->p, sizeof n->p);
    hash(fp, &n->h, sizeof n->h);
    hash(fp, n->features, n->p * sizeof *n->features);
    hash(fp, n->W, n->h * n->p * sizeof(float));
    hash(fp, n->b, n->h * sizeof(float));
    hash(fp, n->beta, n->h * n->n_out * sizeof(float));
    hash(fp, n->c, n->n_out * sizeof(float));
}

static fsnsa_status op_net_create(void *ctx, uint64_t *fp, fsnsa_error *err)
{
    (void)ctx;
    fsnsa_net *a = NULL, *b = NULL;
    fsnsa_status st = fsnsa_net_create(12, 9, 3, 5, &a, err);
    if (st == FSNSA_OK)
        st = fsnsa_net_copy(a, &b, err);
    if (st != FSNSA_OK && b != NULL)
        fail_msg("net copy: output set on failure");
    if (st == FSNSA_OK)
        hash_net(fp, b);
    fsnsa_net_free(a);
    fsnsa_net_free(b);
    return st;
}

static fsnsa_status op_train(void *ctx, uint64_t *fp, fsnsa_error *err)
{
    fixture *f = ctx;
    fsnsa_net *net = NULL;
    fsnsa_status st = fsnsa_train(f->d, &f->o, NULL, &net, err);
    if (st != FSNSA_OK && net != NULL)
        fail_msg("train: output set on failure");
    if (st == FSNSA_OK)
        hash_net(fp, net);
    fsnsa_net_free(net);
    return st;
}

/* fsnsa_model_fit with the dense refit: the refit's column copy and its
 * second training fail in turn too. */
static fsnsa_status op_fit_refit(void *ctx, uint64_t *fp, fsnsa_error *err)
{
    fixture *f = ctx;
    fsnsa_fit_options o;
    fsnsa_fit_options_default(&o);
    o.train = f->o;
    o.train.epochs = 40; /* 4 end above the class frequencies' loss */
    o.train.lr = 0.01;
    o.threads = 1;
    o.refit = FSNSA_REFIT_DENSE;
    fsnsa_model *m = NULL;
    fsnsa_status st = fsnsa_model_fit(f->d, &o, NULL, &m, NULL, err);
    if (st != FSNSA_OK && m != NULL)
        fail_msg("fit with refit: output set on failure");
    if (st == FSNSA_OK) {
        assert_int_equal(m->refit, FSNSA_REFIT_DENSE);
        hash_net(fp, m->net);
    }
    fsnsa_model_free(m);
    return st;
}

static fsnsa_status op_predict(void *ctx, uint64_t *fp, fsnsa_error *err)
{
    fixture *f = ctx;
    float prob[40 * 3];
    double loss;
    fsnsa_status st = fsnsa_net_predict(f->net, f->d->x, 40, f->d->p, prob, err);
    if (st == FSNSA_OK)
        st = fsnsa_net_loss(f->net, f->d, &loss, err);
    double auc = 0;
    if (st == FSNSA_OK)
        st = fsnsa_roc_auc(prob, f->net->n_classes, f->d->y, 40, &auc, err);
    if (st == FSNSA_OK) {
        hash(fp, prob, 40 * f->net->n_classes * sizeof *prob);
        hash(fp, &loss, sizeof loss);
        hash(fp, &auc, sizeof auc);
    }
    return st;
}

static void hash_dataset(uint64_t *fp, const fsnsa_dataset *d)
{
    hash(fp, &d->n, sizeof d->n);
    hash(fp, &d->p, sizeof d->p);
    hash(fp, d->x, d->n * d->p * sizeof *d->x);
    hash(fp, d->y, d->n * sizeof *d->y);
    for (size_t j = 0; j < d->p; j++)
        hash(fp, d->feature_names[j], strlen(d->feature_names[j]));
    for (size_t c = 0; c < d->schema.n_classes; c++)
        hash(fp, d->schema.class_names[c], strlen(d->schema.class_names[c]));
}

static fsnsa_status op_read(void *ctx, uint64_t *fp, fsnsa_error *err)
{
    fixture *f = ctx;
    fsnsa_read_options ro;
    fsnsa_read_options_default(&ro);
    fsnsa_dataset *d = NULL;
    fsnsa_status st = fsnsa_dataset_read(f->path, &ro, &d, err);
    if (st != FSNSA_OK && d != NULL)
        fail_msg("%s: output set on failure", f->path);
    if (st == FSNSA_OK)
        hash_dataset(fp, d);
    fsnsa_dataset_free(d);
    return st;
}

/* No file named like the model (the model itself, its temporary) may be
 * left behind by a failed save. */
static size_t files_in(const char *dir)
{
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dh)) != NULL;)
        if (e->d_name[0] != '.')
            n++;
    closedir(dh);
    return n;
}

static fsnsa_status op_model_save_load(void *ctx, uint64_t *fp,
                                       fsnsa_error *err)
{
    fixture *f = ctx;
    fsnsa_status st = fsnsa_model_save(f->model, f->path, err);
    if (st != FSNSA_OK) {
        if (files_in(f->dir) != 0)
            fail_msg("model save: a file was left after a failure");
        return st;
    }
    fsnsa_model *m = NULL;
    st = fsnsa_model_load(f->path, &m, err);
    if (st != FSNSA_OK && m != NULL)
        fail_msg("model load: output set on failure");
    if (st == FSNSA_OK) {
        hash_net(fp, m->net);
        hash(fp, m->scaler.mult, m->scaler.p * sizeof(float));
        for (size_t c = 0; c < m->schema.n_classes; c++)
            hash(fp, m->schema.class_names[c],
                 strlen(m->schema.class_names[c]));
    }
    fsnsa_model_free(m);
    unlink(f->path);
    return st;
}

static fsnsa_status restarts_into(fixture *f, fsnsa_jobfile *jobs,
                                  uint64_t *fp, fsnsa_error *err)
{
    fsnsa_restarts_options o;
    fsnsa_restarts_options_default(&o);
    o.train = f->o;
    o.restarts = 3;
    o.sweep.jobs = jobs;
    fsnsa_restarts_result r;
    memset(&r, 0, sizeof r);
    fsnsa_status st = fsnsa_restarts(f->d, f->d, &o, &r, err);
    for (size_t i = 0; st == FSNSA_OK && i < r.n; i++) {
        fsnsa_run *u = &r.runs[i];
        hash(fp, &u->loss, sizeof u->loss);
        hash(fp, &u->train_auc, sizeof u->train_auc);
        hash(fp, &u->test_auc, sizeof u->test_auc);
        hash(fp, &u->test_acc, sizeof u->test_acc);
    }
    fsnsa_restarts_result_clear(&r);
    return st;
}

static fsnsa_status op_restarts(void *ctx, uint64_t *fp, fsnsa_error *err)
{
    return restarts_into(ctx, NULL, fp, err);
}

/* A sweep into a fresh job file, then the same sweep again, which loads
 * every result from the file. */
static fsnsa_status op_restarts_jobfile(void *ctx, uint64_t *fp,
                                        fsnsa_error *err)
{
    fixture *f = ctx;
    unlink(f->path);
    fsnsa_status st = FSNSA_OK;
    for (int pass = 0; pass < 2 && st == FSNSA_OK; pass++) {
        fsnsa_jobfile *jf = NULL;
        st = fsnsa_jobfile_open(f->path, "nomem test", &jf, err);
        if (st != FSNSA_OK && jf != NULL)
            fail_msg("jobfile open: output set on failure");
        /* the second open must find every result: nothing cut off */
        if (st == FSNSA_OK && pass == 1 &&
            (fsnsa_jobfile_count(jf) != 3 || fsnsa_jobfile_repaired(jf) != 0))
            fail_msg("jobfile open: %zu of 3 results kept, %zu bytes cut",
                     fsnsa_jobfile_count(jf), fsnsa_jobfile_repaired(jf));
        if (st == FSNSA_OK)
            st = restarts_into(f, jf, fp, err);
        fsnsa_jobfile_close(jf);
    }
    unlink(f->path);
    return st;
}

/* A format-1 file adopted into a format-2 header, reopened, then refused
 * for another fingerprint (a refusal builds its message from the fields). */
static fsnsa_status op_jobfile_fields(void *ctx, uint64_t *fp,
                                      fsnsa_error *err)
{
    fixture *f = ctx;
    unlink(f->path);
    fsnsa_jobfile *jf = NULL;
    fsnsa_status st = fsnsa_jobfile_open(f->path, "legacy", &jf, err);
    if (st == FSNSA_OK)
        st = fsnsa_jobfile_append(jf, "seed=1", "0.5\t1", err);
    if (st == FSNSA_OK)
        st = fsnsa_jobfile_append(jf, "seed=2", "0.25\t2", err);
    fsnsa_jobfile_close(jf);
    fsnsa_job_field fields[] = {{"sweep", "restarts", 0, NULL},
                                {"data-sha256", "aaaa", 0, NULL},
                                {"data", "x.csv", 1, NULL}};
    fsnsa_job_header h = {fields, 3, "legacy", 1, NULL};
    for (int pass = 0; pass < 3 && st == FSNSA_OK; pass++) {
        if (pass == 2)
            fields[1].value = "bbbb";
        jf = NULL;
        st = fsnsa_jobfile_open_fields(f->path, &h, &jf, err);
        if (st != FSNSA_OK && jf != NULL)
            fail_msg("jobfile open_fields: output set on failure");
        if (pass == 2) {
            if (st == FSNSA_OK)
                fail_msg("other data accepted");
            if (st == FSNSA_ERR_FORMAT)
                st = FSNSA_OK;
            break;
        }
        if (st == FSNSA_OK) {
            size_t n = fsnsa_jobfile_count(jf);
            hash(fp, &n, sizeof n);
        }
        fsnsa_jobfile_close(jf);
    }
    unlink(f->path);
    return st;
}

static fsnsa_status op_grid(void *ctx, uint64_t *fp, fsnsa_error *err)
{
    fixture *f = ctx;
    fsnsa_grid_options o;
    fsnsa_grid_options_default(&o);
    o.train = f->o;
    static const size_t hidden[] = {4};
    static const double l2[] = {1e-3};
    static const size_t batch[] = {16};
    static const fsnsa_size sizes[] = {{3, 2}};
    o.hidden = hidden;
    o.n_hidden = 1;
    o.l2 = l2;
    o.n_l2 = 1;
    o.batch = batch;
    o.n_batch = 1;
    o.sizes = sizes;
    o.n_sizes = 1;
    o.folds = 2;
    o.repeats = 1;
    o.retrains = 1;
    fsnsa_grid_result r;
    memset(&r, 0, sizeof r);
    fsnsa_status st = fsnsa_grid(f->d, &o, &r, err);
    if (st == FSNSA_OK) {
        hash(fp, &r.best_dense.acc_mean, sizeof(double));
        hash(fp, &r.best_fsa.acc_mean, sizeof(double));
        hash(fp, &r.best_fsa.peek_mean, sizeof(double));
        hash(fp, &r.equivalent.acc_mean, sizeof(double));
        for (size_t i = 0; i < r.n_settings; i++)
            hash(fp, &r.settings[i].cv_acc, sizeof(double));
        /* a regression's figures (NaN for a classification) */
        hash(fp, &r.best_fsa.r2_mean, sizeof(double));
        hash(fp, &r.best_fsa.rmse_mean, sizeof(double));
        for (size_t i = 0; i < r.n_settings; i++)
            hash(fp, &r.settings[i].cv_r2, sizeof(double));
    }
    fsnsa_grid_result_clear(&r);
    return st;
}

/* ------------------------------------------------------------------ */

static fixture *fixture_new(void)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_xor_generate(60, 6, 2, 3, 0, &f->d, &err), FSNSA_OK);
    fsnsa_train_options_default(&f->o);
    f->o.method = FSNSA_METHOD_FSA_NSA;
    f->o.start_hidden = 16;
    f->o.hidden = 4;
    f->o.features = 3;
    f->o.epochs = 4;
    f->o.batch = 16;
    assert_int_equal(fsnsa_train(f->d, &f->o, NULL, &f->net, &err), FSNSA_OK);
    return f;
}

static void fixture_free(fixture *f)
{
    fsnsa_net_free(f->net);
    fsnsa_dataset_free(f->d);
    free(f);
}

static void test_net_create(void **state)
{
    (void)state;
    long n = fail_each_allocation("net create+copy", op_net_create, NULL);
    assert_true(n >= 2);
}

static void test_train(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    long n = fail_each_allocation("train fsa-nsa", op_train, f);
    n += fail_each_allocation("fit fsa-nsa, refit dense", op_fit_refit, f);
    f->o.method = FSNSA_METHOD_DENSE;
    n += fail_each_allocation("train dense", op_train, f);
    f->o.batch = 0; /* full batch: another workspace size */
    n += fail_each_allocation("train full batch", op_train, f);
    assert_true(n >= 6);
    fixture_free(f);
}

static void test_predict(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    assert_true(fail_each_allocation("predict+loss+AUC", op_predict, f) >= 3);
    fixture_free(f);
}

static void read_case(const char *suffix, const char *text)
{
    fixture f;
    memset(&f, 0, sizeof f);
    char path[128];
    tu_write_text(path, sizeof path, suffix, text);
    f.path = path;
    long n = fail_each_allocation(suffix, op_read, &f);
    assert_true(n >= 3);
    unlink(path);
}

static void test_read_formats(void **state)
{
    (void)state;
    /* nominal and numeric columns, a header, a quoted field (one over two
     * lines), missing labels' class names */
    read_case(".csv", "colour,size,\"wt, kg\",class\n"
                      "red,1.5,2,yes\n\"dark\nblue\",2.5,3,no\n"
                      "green,0.5,1,yes\nred,3,4,maybe\n");
    read_case(".arff", "@relation t\n@attribute a numeric\n"
                       "@attribute b {x,y,z}\n@attribute class {p,q}\n"
                       "@data\n1,x,p\n2,y,q\n% comment\n3,z,p\n4,x,q\n");
    read_case(".arff", "@relation t\n@attribute when date \"dd-MMM-yyyy\"\n"
                       "@attribute who string\n@attribute class {p,q}\n"
                       "@data\n01-Mar-2000,'a, b',p\n29-feb-2024,c,q\n"
                       "02-Jan-1999,c,p\n");
    read_case(".csv", "Temp;Druck;Klasse\n1,5;1013,2;hoch\n-0,25;998;tief\n"
                      "2,75;1001,5;hoch\n"); /* decimal commas */
    read_case(".libsvm", "1 1:0.5 3:1.5\n-1 2:2\n1 1:1 2:1 3:1\n-1 3:7\n");
    read_case(".data", "vhigh,low,2,unacc\nlow,high,4,good\nmed,med,more,acc\n");
}

static void test_model_save_load(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    fsnsa_model m;
    memset(&m, 0, sizeof m);
    fsnsa_error err = {0};
    m.net = f->net;
    assert_int_equal(fsnsa_schema_copy(&m.schema, &f->d->schema, &err),
                     FSNSA_OK);
    assert_int_equal(
        fsnsa_scaler_fit(f->d, FSNSA_SCALE_STANDARD, &m.scaler, &err),
        FSNSA_OK);
    m.options = f->o;
    m.train_loss = 0.5;
    char dir[] = "/tmp/fsnsa-nomem-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/m.fsnsa", dir);
    f->path = path;
    f->dir = dir;
    f->model = &m;
    assert_true(fail_each_allocation("model save+load", op_model_save_load,
                                     f) >= 3);
    assert_int_equal(files_in(dir), 0);
    rmdir(dir);
    fsnsa_schema_clear(&m.schema);
    fsnsa_scaler_clear(&m.scaler);
    fixture_free(f);
}

static void test_experiments(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    f->o.method = FSNSA_METHOD_DENSE;
    f->o.hidden = 4;
    assert_true(fail_each_allocation("restarts", op_restarts, f) >= 3);
    char path[64];
    snprintf(path, sizeof path, "/tmp/fsnsa-nomem-%ld.jobs", (long)getpid());
    f->path = path;
    assert_true(fail_each_allocation("restarts with a job file",
                                     op_restarts_jobfile, f) >= 6);
    assert_true(fail_each_allocation("job file header fields",
                                     op_jobfile_fields, f) >= 6);
    f->o.epochs = 2;
    assert_true(fail_each_allocation("grid", op_grid, f) >= 10);
    /* the same rows as a regression: y = x0 - 2 x1 */
    float *t = malloc(f->d->n * sizeof *t);
    assert_non_null(t);
    for (size_t i = 0; i < f->d->n; i++)
        t[i] = f->d->x[i * f->d->p] - 2.0f * f->d->x[i * f->d->p + 1];
    assert_int_equal(fsnsa_dataset_set_target(f->d, t, NULL), FSNSA_OK);
    free(t);
    f->o.task = FSNSA_TASK_REGRESSION;
    assert_true(fail_each_allocation("grid regression", op_grid, f) >= 10);
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_net_create),
        cmocka_unit_test(test_train),
        cmocka_unit_test(test_predict),
        cmocka_unit_test(test_read_formats),
        cmocka_unit_test(test_model_save_load),
        cmocka_unit_test(test_experiments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

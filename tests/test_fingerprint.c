/* Fingerprints of a fixed set of runs: trained weights, predictions,
 * losses, sweep results, job-file lines, model-file bytes and a parsed
 * CSV, each hashed (FNV-1a over the exact bits) and compared with values
 * recorded before a refactoring. A change that is meant to keep results
 * bit for bit must leave every line of the table below unchanged; a
 * change that is meant to change results records new values
 * (FSNSA_FINGERPRINT_RECORD=1 build/tests/test_fingerprint prints the
 * table) and says why in its commit message.
 *
 * Every training case runs on 1 and 2 threads and on each instruction
 * set this CPU has (FSNSA_KERNEL=avx512, avx2, scalar), and all must give
 * the recorded value. */
#include "testutil.h"

#include <math.h>
#include <omp.h>
#include <sys/stat.h>

#include "fsnsa_exp.h"

typedef struct {
    const char *name;
    uint64_t hash;
} fingerprint;

/* Recorded on main at the commit that added this test (see git log). */
static const fingerprint recorded[] = {
#include "fingerprints.inc"
};

static int recording(void)
{
    const char *r = getenv("FSNSA_FINGERPRINT_RECORD");
    return r != NULL && *r != '\0' && *r != '0';
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ull;
    }
    return h;
}

#define FNV0 1469598103934665603ull

static uint64_t fnv_double(uint64_t h, double v)
{
    return fnv(h, &v, sizeof v);
}

static uint64_t hash_net(const fsnsa_net *n)
{
    uint64_t h = FNV0;
    size_t dims[5] = {n->p_in, n->p, n->h, n->n_out, n->n_classes};
    h = fnv(h, dims, sizeof dims);
    h = fnv(h, n->features, n->p * sizeof *n->features);
    h = fnv(h, n->W, n->h * n->p * sizeof *n->W);
    h = fnv(h, n->b, n->h * sizeof *n->b);
    h = fnv(h, n->beta, n->h * n->n_out * sizeof *n->beta);
    return fnv(h, n->c, n->n_out * sizeof *n->c);
}

static void check(const char *name, uint64_t h)
{
    if (recording()) {
        printf("    {\"%s\", 0x%016llxull},\n", name, (unsigned long long)h);
        return;
    }
    for (size_t i = 0; i < sizeof recorded / sizeof recorded[0]; i++)
        if (recorded[i].name[0] != '\0' && strcmp(recorded[i].name, name) == 0) {
            if (recorded[i].hash != h)
                fail_msg("%s: fingerprint 0x%016llx, recorded 0x%016llx",
                         name, (unsigned long long)h,
                         (unsigned long long)recorded[i].hash);
            return;
        }
    fail_msg("%s: no recorded fingerprint", name);
}

/* Four classes from the XOR pool: class = 2 [x0 > 0] + [x1 x2 > 0]. */
static fsnsa_dataset *four_classes(size_t n, size_t p, uint64_t stream)
{
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_xor_generate(n, p, 2, 11, stream, &d, NULL),
                     FSNSA_OK);
    int32_t *y = malloc(n * sizeof *y);
    assert_non_null(y);
    for (size_t i = 0; i < n; i++) {
        const float *x = d->x + i * p;
        y[i] = 2 * (x[0] > 0) + ((double)x[1] * x[2] > 0);
    }
    fsnsa_dataset *out;
    assert_int_equal(fsnsa_dataset_from_arrays(n, p, d->x, y, 4, &out, NULL),
                     FSNSA_OK);
    free(y);
    fsnsa_dataset_free(d);
    return out;
}

typedef struct {
    const char *name;
    fsnsa_method method;
    size_t H, h, k, batch;
    int epochs;
    int classes;   /* 2: XOR k=3; 4: four_classes */
    size_t n, p;
} train_case;

static const train_case cases[] = {
    {"dense-binary", FSNSA_METHOD_DENSE, 0, 64, 0, 32, 20, 2, 600, 15},
    {"nsa-binary", FSNSA_METHOD_NSA, 256, 32, 0, 32, 40, 2, 600, 15},
    {"fsa-binary", FSNSA_METHOD_FSA, 0, 32, 3, 50, 40, 2, 600, 15},
    {"fsa-nsa-binary", FSNSA_METHOD_FSA_NSA, 256, 16, 3, 32, 60, 2, 800, 15},
    {"fsa-nsa-4class", FSNSA_METHOD_FSA_NSA, 128, 16, 4, 16, 40, 4, 500, 10},
    {"dense-4class-full", FSNSA_METHOD_DENSE, 0, 24, 0, 0, 30, 4, 300, 10},
    /* big enough per row block (h (p + C) x 64 rows >= 4e6) that the step
     * really runs on two threads */
    {"dense-wide-threads", FSNSA_METHOD_DENSE, 0, 1024, 0, 64, 2, 2, 256, 64},
};

static void data_for(const train_case *c, fsnsa_dataset **tr,
                     fsnsa_dataset **te)
{
    if (c->classes == 2) {
        assert_int_equal(fsnsa_xor_generate(c->n, c->p, 3, 5, 0, tr, NULL),
                         FSNSA_OK);
        assert_int_equal(fsnsa_xor_generate(400, c->p, 3, 5, 1, te, NULL),
                         FSNSA_OK);
    } else {
        *tr = four_classes(c->n, c->p, 0);
        *te = four_classes(400, c->p, 1);
    }
}

/* Weights, predictions on held-out rows and the training loss. */
static uint64_t train_fingerprint(const train_case *c)
{
    fsnsa_dataset *tr, *te;
    data_for(c, &tr, &te);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.variant = FSNSA_VARIANT_PAPER; /* the recorded bits are the paper's */
    o.method = c->method;
    o.hidden = c->h;
    o.start_hidden = c->H ? c->H : c->h;
    o.features = c->k;
    o.batch = c->batch;
    o.epochs = c->epochs;
    o.seed = 3;
    fsnsa_net *net = NULL;
    fsnsa_error err;
    if (fsnsa_train(tr, &o, NULL, &net, &err) != FSNSA_OK)
        fail_msg("%s: %s", c->name, err.msg);
    size_t C = net->n_classes;
    float *prob = malloc(te->n * C * sizeof *prob);
    assert_non_null(prob);
    assert_int_equal(fsnsa_net_predict(net, te->x, te->n, te->p, prob, NULL),
                     FSNSA_OK);
    double loss;
    assert_int_equal(fsnsa_net_loss(net, tr, &loss, NULL), FSNSA_OK);
    uint64_t h = hash_net(net);
    h = fnv(h, prob, te->n * C * sizeof *prob);
    h = fnv_double(h, loss);
    free(prob);
    fsnsa_net_free(net);
    fsnsa_dataset_free(tr);
    fsnsa_dataset_free(te);
    return h;
}

static void test_training_runs(void **state)
{
    (void)state;
    static const char *const kernels[] = {"avx512", "avx2", "scalar"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t first = 0;
        for (size_t k = 0; k < 3; k++) {
            /* the scalar path is ~50x slower: the wide case once there */
            if (k == 2 && cases[i].h >= 1024)
                continue;
            setenv("FSNSA_KERNEL", kernels[k], 1);
            for (int t = 1; t <= 2; t++) {
                omp_set_num_threads(t);
                uint64_t h = train_fingerprint(&cases[i]);
                if (k == 0 && t == 1) {
                    first = h;
                    check(cases[i].name, h);
                    if (recording())
                        break;
                } else if (h != first) {
                    fail_msg("%s: %s on %d threads differs", cases[i].name,
                             kernels[k], t);
                }
            }
            if (recording())
                break;
        }
    }
    unsetenv("FSNSA_KERNEL");
    omp_set_num_threads(2);
}

/* ---- sweeps: results and job-file lines (wall times masked) ---- */

typedef struct {
    char dir[64];
    char path[96];
} tmpdir;

static void tmpdir_make(tmpdir *t, const char *file)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/fsnsa-fp-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/%s", t->dir, file);
}

static void tmpdir_remove(tmpdir *t)
{
    unlink(t->path);
    rmdir(t->dir);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The job lines sorted by key (completion order depends on the threads),
 * each without its checksum and without the value field `masked` (1-based
 * among the values; 0 = none), which holds a wall time. Lines whose key
 * starts with `prefix2` mask field `masked2` instead. */
static uint64_t hash_job_lines(const char *path, int masked,
                               const char *prefix2, int masked2)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *lines[4096];
    size_t n = 0;
    char buf[8192];
    assert_non_null(fgets(buf, sizeof buf, f)); /* header */
    while (fgets(buf, sizeof buf, f) != NULL) {
        assert_true(n < 4096);
        char out[8192];
        size_t w = 0;
        int field = 0;
        int mask = prefix2 != NULL &&
                           strncmp(buf, prefix2, strlen(prefix2)) == 0
                       ? masked2
                       : masked;
        for (char *tok = strtok(buf, "\t\n"); tok != NULL;
             tok = strtok(NULL, "\t\n"), field++) {
            if (tok[0] == '~' || (mask > 0 && field == mask))
                continue;
            w += (size_t)snprintf(out + w, sizeof out - w, "%s|", tok);
        }
        lines[n++] = strdup(out);
    }
    fclose(f);
    qsort(lines, n, sizeof *lines, cmp_str);
    uint64_t h = FNV0;
    for (size_t i = 0; i < n; i++) {
        h = fnv(h, lines[i], strlen(lines[i]));
        free(lines[i]);
    }
    return fnv(h, &n, sizeof n);
}

static void test_restarts_sweep(void **state)
{
    (void)state;
    fsnsa_dataset *tr, *te;
    assert_int_equal(fsnsa_xor_generate(300, 6, 2, 9, 0, &tr, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_xor_generate(300, 6, 2, 9, 1, &te, NULL), FSNSA_OK);
    tmpdir t;
    tmpdir_make(&t, "restarts.tsv");
    fsnsa_restarts_options o;
    fsnsa_restarts_options_default(&o);
    o.train.method = FSNSA_METHOD_DENSE;
    o.train.hidden = 16;
    o.train.epochs = 15;
    o.restarts = 6;
    o.sweep.threads = 2;
    fsnsa_error err;
    assert_int_equal(fsnsa_jobfile_open(t.path, "fingerprint restarts",
                                        &o.sweep.jobs, &err), FSNSA_OK);
    fsnsa_restarts_result r;
    if (fsnsa_restarts(tr, te, &o, &r, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    fsnsa_jobfile_close(o.sweep.jobs);
    uint64_t h = FNV0;
    for (size_t i = 0; i < r.n; i++) {
        const fsnsa_run *u = &r.runs[i];
        double v[] = {(double)u->seed, u->loss, u->train_auc, u->test_auc,
                      u->train_acc, u->test_acc, (double)u->hidden,
                      (double)u->features, (double)u->weights};
        h = fnv(h, v, sizeof v);
    }
    double s[] = {(double)r.distinct, r.spread, r.mean_loss, r.mean_test_auc};
    h = fnv(h, s, sizeof s);
    check("restarts-result", h);
    /* values: loss, train_auc, test_auc, train_acc, test_acc, seconds */
    check("restarts-jobfile", hash_job_lines(t.path, 6, NULL, 0));
    fsnsa_restarts_result_clear(&r);
    tmpdir_remove(&t);
    fsnsa_dataset_free(tr);
    fsnsa_dataset_free(te);
}

static void test_hittime_sweep(void **state)
{
    (void)state;
    fsnsa_dataset *tr;
    assert_int_equal(fsnsa_xor_generate(200, 5, 2, 4, 0, &tr, NULL), FSNSA_OK);
    tmpdir t;
    tmpdir_make(&t, "hittime.tsv");
    static const size_t ps[] = {2, 4, 5};
    fsnsa_hittime_options o;
    fsnsa_hittime_options_default(&o);
    o.train.method = FSNSA_METHOD_DENSE;
    o.train.hidden = 8;
    o.train.epochs = 12;
    o.p = ps;
    o.n_p = 3;
    o.max_runs = 5;
    o.target_hits = 2;
    o.threshold = 0.9;
    /* one thread: with several, jobs past the deciding prefix may run or
     * not (the estimate does not depend on them, the job file does) */
    o.sweep.threads = 1;
    fsnsa_error err;
    assert_int_equal(fsnsa_jobfile_open(t.path, "fingerprint hittime",
                                        &o.sweep.jobs, &err), FSNSA_OK);
    fsnsa_hittime_point pt[3];
    if (fsnsa_hittime(tr, &o, pt, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    fsnsa_jobfile_close(o.sweep.jobs);
    uint64_t h = FNV0;
    for (size_t i = 0; i < 3; i++) {
        double v[] = {(double)pt[i].p, (double)pt[i].status,
                      (double)pt[i].runs, (double)pt[i].hits, pt[i].hit_time,
                      pt[i].lo, pt[i].hi, pt[i].mean_train_auc,
                      pt[i].best_train_auc};
        h = fnv(h, v, sizeof v);
    }
    check("hittime-result", h);
    /* values: hit, train_auc, loss, seconds */
    check("hittime-jobfile", hash_job_lines(t.path, 4, NULL, 0));
    tmpdir_remove(&t);
    fsnsa_dataset_free(tr);
}

static uint64_t hash_final(uint64_t h, const fsnsa_grid_final *f)
{
    double v[] = {(double)f->setting.method, (double)f->setting.hidden,
                  (double)f->setting.features, f->setting.l2,
                  (double)f->setting.batch, f->acc_mean, f->acc_std,
                  f->peek_mean, f->peek_std, f->weights, (double)f->hidden,
                  (double)f->features};
    return fnv(h, v, sizeof v);
}

static void test_grid_sweep(void **state)
{
    (void)state;
    fsnsa_dataset *all = four_classes(240, 6, 0);
    tmpdir t;
    tmpdir_make(&t, "grid.tsv");
    static const size_t hidden[] = {8, 16};
    static const double l2[] = {1e-4, 1e-2};
    static const size_t batch[] = {16};
    static const fsnsa_size sizes[] = {{3, 4}};
    fsnsa_grid_options o;
    fsnsa_grid_options_default(&o);
    o.train.epochs = 10;
    o.train.start_hidden = 32;
    o.folds = 2;
    o.repeats = 2;
    o.retrains = 2;
    o.hidden = hidden;
    o.n_hidden = 2;
    o.l2 = l2;
    o.n_l2 = 2;
    o.batch = batch;
    o.n_batch = 1;
    o.sizes = sizes;
    o.n_sizes = 1;
    o.sweep.threads = 2;
    fsnsa_error err;
    assert_int_equal(fsnsa_jobfile_open(t.path, "fingerprint grid",
                                        &o.sweep.jobs, &err), FSNSA_OK);
    fsnsa_grid_result r;
    if (fsnsa_grid(all, &o, &r, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    fsnsa_jobfile_close(o.sweep.jobs);
    uint64_t h = FNV0;
    for (size_t i = 0; i < r.n_settings; i++) {
        const fsnsa_grid_setting *s = &r.settings[i];
        double v[] = {(double)s->method, (double)s->hidden,
                      (double)s->features, s->l2, (double)s->batch, s->cv_acc,
                      s->cv_acc_std, s->cv_loss};
        h = fnv(h, v, sizeof v);
    }
    h = hash_final(h, &r.best_dense);
    h = hash_final(h, &r.equivalent);
    h = hash_final(h, &r.best_fsa);
    check("grid-result", h);
    /* cv lines: acc, loss, seconds; final lines: acc, peek, loss, weights,
     * hidden, features, seconds */
    check("grid-jobfile", hash_job_lines(t.path, 3, "final/", 7));
    fsnsa_grid_result_clear(&r);
    tmpdir_remove(&t);
    fsnsa_dataset_free(all);
}

/* ---- files: a CSV read, a model written and read back ---- */

static uint64_t hash_dataset(const fsnsa_dataset *d)
{
    uint64_t h = FNV0;
    size_t dims[3] = {d->n, d->p, d->schema.n_classes};
    h = fnv(h, dims, sizeof dims);
    h = fnv(h, d->x, d->n * d->p * sizeof *d->x);
    h = fnv(h, d->y, d->n * sizeof *d->y);
    for (size_t j = 0; j < d->p; j++)
        h = fnv(h, d->feature_names[j], strlen(d->feature_names[j]) + 1);
    for (size_t k = 0; k < d->schema.n_classes; k++)
        h = fnv(h, d->schema.class_names[k],
                strlen(d->schema.class_names[k]) + 1);
    return h;
}

static uint64_t hash_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint64_t h = FNV0;
    char buf[4096];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        h = fnv(h, buf, got);
    fclose(f);
    return h;
}

static const char csv_text[] =
    "colour,size,weight,shape,label\n"
    "red,1.5,-0.25,round,yes\n"
    "blue,2,3.75e-1,square,no\n"
    "green,-1e-3,12,round,maybe\n"
    "red,0.125,?,square,yes\n"
    "blue,7,-4.5,round,no\n"
    "green,3.25,0,square,maybe\n"
    "red,-2.5,1,round,no\n"
    "blue,0.5,2.5,square,yes\n";

static void test_files(void **state)
{
    (void)state;
    tmpdir t;
    tmpdir_make(&t, "data.csv");
    FILE *f = fopen(t.path, "wb");
    assert_non_null(f);
    fputs(csv_text, f);
    fclose(f);
    fsnsa_read_options ro;
    fsnsa_read_options_default(&ro);
    ro.missing = FSNSA_MISSING_MEAN;
    fsnsa_dataset *d;
    fsnsa_error err;
    if (fsnsa_dataset_read(t.path, &ro, &d, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    check("csv-read", hash_dataset(d));

    fsnsa_scaler sc;
    assert_int_equal(fsnsa_scaler_fit(d, FSNSA_SCALE_STANDARD, &sc, NULL),
                     FSNSA_OK);
    fsnsa_scaler_impute(&sc, FSNSA_MISSING_MEAN, d);
    assert_int_equal(fsnsa_scaler_apply(&sc, d, NULL), FSNSA_OK);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.variant = FSNSA_VARIANT_PAPER; /* a format 1.0 file, as recorded */
    o.method = FSNSA_METHOD_FSA_NSA;
    o.start_hidden = 64;
    o.hidden = 4;
    o.features = 3;
    o.epochs = 30;
    o.batch = 4;
    fsnsa_net *net;
    assert_int_equal(fsnsa_train(d, &o, NULL, &net, NULL), FSNSA_OK);
    fsnsa_model m;
    memset(&m, 0, sizeof m);
    m.net = net;
    m.options = o;
    m.missing = FSNSA_MISSING_MEAN;
    assert_int_equal(fsnsa_net_loss(net, d, &m.train_loss, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_schema_copy(&m.schema, &d->schema, NULL), FSNSA_OK);
    m.scaler = sc;
    char model_path[128];
    snprintf(model_path, sizeof model_path, "%s/m.model", t.dir);
    if (fsnsa_model_save(&m, model_path, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    check("model-bytes", hash_file(model_path));
    fsnsa_model *back;
    if (fsnsa_model_load(model_path, &back, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(hash_net(back->net), hash_net(net));
    unlink(model_path);
    fsnsa_model_free(back);
    fsnsa_schema_clear(&m.schema);
    fsnsa_scaler_clear(&sc);
    fsnsa_net_free(net);
    fsnsa_dataset_free(d);
    tmpdir_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_training_runs),
        cmocka_unit_test(test_restarts_sweep),
        cmocka_unit_test(test_hittime_sweep),
        cmocka_unit_test(test_grid_sweep),
        cmocka_unit_test(test_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

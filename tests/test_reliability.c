/* Reliability (issue 6, docs/RELIABILITY.md):
 *  - every fuzz corpus and regression file replayed through its target;
 *  - checked size arithmetic;
 *  - hostile sizes refused before any large allocation (forked children
 *    under an address-space limit);
 *  - numerical guards: divergence names its epoch, --keep-going, NaN/Inf
 *    in input, constant / duplicated / 10^6-scale features;
 *  - SIGTERM during `fsnsa train` leaves no model;
 *  - two trainings on two threads equal the sequential ones bit for bit;
 *  - library hygiene: no printing, exiting or aborting calls and no
 *    writable global data in libfsnsa.a. */
#include "testutil.h"

#include "fuzz.h"
#include "core/core.h"
#include "model/model.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static const char *argv0 = "build/tests/test_reliability";

/* ------------------------------------------------------------------ */
/* Fuzz replay                                                          */
/* ------------------------------------------------------------------ */

typedef int (*fuzz_fn)(const uint8_t *, size_t);

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1024, n = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        assert_non_null(buf);
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Feed every regular file of dir to fn; returns how many. */
static int replay_dir(const char *dir, fuzz_fn fn)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        size_t len = 0;
        unsigned char *data = read_all(path, &len);
        assert_non_null(data);
        fn(data, len); /* aborts (fails the program) on a broken contract */
        free(data);
        count++;
    }
    closedir(d);
    return count;
}

/* Declared here, defined with the resource-limit tests below. */
static size_t vm_bytes(void);
#define HEADROOM ((size_t)1 << 30) /* 1 GiB beyond what the process has */

/* In a child whose address space may grow by at most HEADROOM (except
 * under ASan, see expect_read_refused), so that an input asking for a
 * huge allocation fails (the harness refuses FSNSA_ERR_NOMEM). */
static void replay(const char *name, fuzz_fn fn)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!UNDER_ASAN) {
            struct rlimit rl;
            rl.rlim_cur = rl.rlim_max = vm_bytes() + HEADROOM;
            if (setrlimit(RLIMIT_AS, &rl) != 0)
                _exit(90);
        }
        char dir[256];
        snprintf(dir, sizeof dir, "fuzz/corpus/%s", name);
        int seeds = replay_dir(dir, fn);
        snprintf(dir, sizeof dir, "fuzz/regressions/%s", name);
        int regs = replay_dir(dir, fn);
        fprintf(stderr, "replayed fuzz/%s: %d seeds, %d regressions\n", name,
                seeds, regs);
        /* run from the repository root (make does); the seeds must be there */
        _exit(seeds > 0 ? 0 : 93);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_replay_csv(void **state) { (void)state; replay("csv", fuzz_csv); }
static void test_replay_libsvm(void **state) { (void)state; replay("libsvm", fuzz_libsvm); }
static void test_replay_arff(void **state) { (void)state; replay("arff", fuzz_arff); }
static void test_replay_uci(void **state) { (void)state; replay("uci", fuzz_uci); }
static void test_replay_model(void **state) { (void)state; replay("model", fuzz_model); }
static void test_replay_options(void **state) { (void)state; replay("options", fuzz_options); }
static void test_replay_number(void **state) { (void)state; replay("number", fuzz_number); }
static void test_replay_lines(void **state) { (void)state; replay("lines", fuzz_lines); }

/* ------------------------------------------------------------------ */
/* Checked arithmetic                                                   */
/* ------------------------------------------------------------------ */

static void test_checked_arithmetic(void **state)
{
    (void)state;
    size_t r = 7;
    assert_true(fsnsa__mul(0, SIZE_MAX, &r) && r == 0);
    assert_true(fsnsa__mul(SIZE_MAX, 0, &r) && r == 0);
    assert_true(fsnsa__mul(1, SIZE_MAX, &r) && r == SIZE_MAX);
    assert_true(fsnsa__mul(SIZE_MAX, 1, &r) && r == SIZE_MAX);
    assert_true(fsnsa__mul((size_t)1 << 32, ((size_t)1 << 31), &r) &&
                r == (size_t)1 << 63);
    r = 7;
    assert_false(fsnsa__mul((size_t)1 << 32, (size_t)1 << 32, &r));
    assert_int_equal(r, 7); /* untouched on overflow */
    assert_false(fsnsa__mul(SIZE_MAX, 2, &r));
    assert_false(fsnsa__mul(SIZE_MAX / 2 + 1, 2, &r));
    assert_true(fsnsa__mul(SIZE_MAX / 2, 2, &r) && r == SIZE_MAX - 1);
    assert_false(fsnsa__mul(SIZE_MAX / 3 + 1, 3, &r));
    assert_true(fsnsa__mul(SIZE_MAX / 3, 3, &r) && r == SIZE_MAX / 3 * 3);
    /* 10^12 rows x 10^12 columns: the hostile header case */
    assert_false(fsnsa__mul(1000000000000u, 1000000000000u, &r));

    assert_true(fsnsa__mul3(1000, 1000, 1000, &r) && r == 1000000000u);
    assert_false(fsnsa__mul3((size_t)1 << 22, (size_t)1 << 21, (size_t)1 << 21, &r));
    assert_false(fsnsa__mul3(SIZE_MAX, 0 + 2, 0, &r)); /* first product overflows */
    assert_true(fsnsa__mul3(SIZE_MAX, 1, 1, &r) && r == SIZE_MAX);
    assert_true(fsnsa__mul3(0, SIZE_MAX, SIZE_MAX, &r) && r == 0);

    assert_true(fsnsa__add(SIZE_MAX - 1, 1, &r) && r == SIZE_MAX);
    assert_true(fsnsa__add(0, SIZE_MAX, &r) && r == SIZE_MAX);
    r = 7;
    assert_false(fsnsa__add(SIZE_MAX, 1, &r));
    assert_false(fsnsa__add(1, SIZE_MAX, &r));
    assert_false(fsnsa__add(SIZE_MAX / 2 + 1, SIZE_MAX / 2 + 1, &r));
    assert_int_equal(r, 7);

    /* the allocators refuse an overflowing n * size instead of wrapping */
    assert_null(fsnsa__alloc(SIZE_MAX / 2, 4));
    assert_null(fsnsa__calloc((size_t)1 << 40, (size_t)1 << 40));
    assert_null(fsnsa__alloc(SIZE_MAX, SIZE_MAX));
    void *p = fsnsa__alloc(0, 8); /* unique pointer for zero elements */
    assert_non_null(p);
    free(p);
    p = fsnsa__calloc(16, 0);
    assert_non_null(p);
    free(p);
}

/* ------------------------------------------------------------------ */
/* Hostile sizes, refused before allocating                             */
/* ------------------------------------------------------------------ */

/* Virtual memory of this process now, bytes. */
static size_t vm_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (f != NULL) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* Read `path` with `o` in a child whose address space may grow by at most
 * HEADROOM (not under ASan, whose shadow memory needs terabytes of
 * address space: there the sanitizer's own allocator limit applies).
 * The child must get `want` with a message containing `needle`. */
static void expect_read_refused(const char *path, const fsnsa_read_options *o,
                                fsnsa_status want, const char *needle)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!UNDER_ASAN) {
            struct rlimit rl;
            rl.rlim_cur = rl.rlim_max = vm_bytes() + HEADROOM;
            if (setrlimit(RLIMIT_AS, &rl) != 0)
                _exit(90);
        }
        fsnsa_dataset *d = NULL;
        fsnsa_error err = {0};
        fsnsa_status st = fsnsa_dataset_read(path, o, &d, &err);
        if (st != want) {
            fprintf(stderr, "%s: got %s (%s), wanted %s\n", path,
                    fsnsa_status_name(st), err.msg, fsnsa_status_name(want));
            _exit(91);
        }
        if (strstr(err.msg, needle) == NULL ||
            strncmp(err.msg, path, strlen(path)) != 0) {
            fprintf(stderr, "%s: message '%s' lacks '%s'\n", path, err.msg,
                    needle);
            _exit(92);
        }
        fprintf(stderr, "  refused: %s\n", err.msg);
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void write_big(char *path, size_t size, const char *suffix,
                      void (*gen)(FILE *, long), long arg)
{
    static unsigned counter;
    snprintf(path, size, "/tmp/fsnsa-rel-%ld-%u%s", (long)getpid(), counter++,
             suffix);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    gen(f, arg);
    assert_int_equal(fclose(f), 0);
}

/* ARFF: one nominal attribute listing n values. */
static void gen_arff_values(FILE *f, long n)
{
    fputs("@relation big\n@attribute a {", f);
    for (long i = 0; i < n; i++)
        fprintf(f, "%sv%ld", i ? "," : "", i);
    fputs("}\n@attribute class {x,y}\n@data\nv0,x\nv1,y\n", f);
}

/* ARFF: n numeric attributes. */
static void gen_arff_attrs(FILE *f, long n)
{
    fputs("@relation wide\n", f);
    for (long i = 0; i < n; i++)
        fprintf(f, "@attribute a%ld numeric\n", i);
    fputs("@attribute class {x,y}\n@data\n", f);
}

/* CSV: n rows of 3 columns. */
static void gen_csv_rows(FILE *f, long n)
{
    fputs("a,b,c\n", f);
    for (long i = 0; i < n; i++)
        fprintf(f, "%ld,%ld,%ld\n", i, i * 2, i % 2);
}

/* CSV: one header and one row of n columns. */
static void gen_csv_cols(FILE *f, long n)
{
    for (int r = 0; r < 3; r++)
        for (long i = 0; i < n; i++)
            fprintf(f, "%ld%c", i + r, i + 1 < n ? ',' : '\n');
}

/* CSV: a column of n distinct words. */
static void gen_csv_words(FILE *f, long n)
{
    fputs("w,c\n", f);
    for (long i = 0; i < n; i++)
        fprintf(f, "word%ld,%ld\n", i, i % 2);
}

/* LIBSVM: n rows each using feature 999999 (within the column limit):
 * a sparse file of a few kB whose dense matrix would be n * 4 MB. */
static void gen_libsvm_dense_bomb(FILE *f, long n)
{
    for (long i = 0; i < n; i++)
        fprintf(f, "%ld 1:1 999999:%ld\n", i % 2, i);
}

static void test_hostile_sizes_refused(void **state)
{
    (void)state;
    char path[128];
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);

    /* LIBSVM index 2^40 */
    tu_write_text(path, sizeof path, ".svm", "1 1:1 1099511627776:2\n-1 2:1\n");
    expect_read_refused(path, &o, FSNSA_ERR_LIMIT, "1099511627776");
    unlink(path);
    tu_write_text(path, sizeof path, ".svm", "1 18446744073709551616:2\n");
    expect_read_refused(path, &o, FSNSA_ERR_LIMIT, "");
    unlink(path);

    /* LIBSVM rows x an index near the column limit: 3000 x 10^6 cells
     * (12 GB as float) from a 60 kB file, over the n x p cap of 2^30 */
    write_big(path, sizeof path, ".svm", gen_libsvm_dense_bomb, 3000);
    expect_read_refused(path, &o, FSNSA_ERR_LIMIT, "");
    unlink(path);

    /* ARFF with 10^7 nominal values: its line is over the 1 MiB limit */
    write_big(path, sizeof path, ".arff", gen_arff_values, 10000000);
    expect_read_refused(path, &o, FSNSA_ERR_LIMIT, "line longer");
    unlink(path);
    /* and 200 000 values on a line that fits, with max_cols = 1000 */
    fsnsa_read_options small = o;
    small.max_cols = 1000;
    write_big(path, sizeof path, ".arff", gen_arff_values, 100000);
    expect_read_refused(path, &small, FSNSA_ERR_LIMIT, "");
    unlink(path);

    /* columns: an ARFF header of 2000 attributes, a CSV of 2000 columns,
     * a nominal column of 2000 distinct words, all over max_cols = 1000 */
    write_big(path, sizeof path, ".arff", gen_arff_attrs, 2000);
    expect_read_refused(path, &small, FSNSA_ERR_LIMIT, "");
    unlink(path);
    write_big(path, sizeof path, ".csv", gen_csv_cols, 2000);
    expect_read_refused(path, &small, FSNSA_ERR_LIMIT, "");
    unlink(path);
    write_big(path, sizeof path, ".csv", gen_csv_words, 2000);
    expect_read_refused(path, &small, FSNSA_ERR_LIMIT, "");
    unlink(path);

    /* rows over max_rows */
    fsnsa_read_options few = o;
    few.max_rows = 100;
    write_big(path, sizeof path, ".csv", gen_csv_rows, 1000);
    expect_read_refused(path, &few, FSNSA_ERR_LIMIT, "");
    unlink(path);
}

/* Model files claiming huge sizes: refused with a clear message, under
 * the same address-space limit. */
static void expect_model_refused(const char *text, const char *needle)
{
    char path[128];
    tu_write_text(path, sizeof path, ".model", text);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!UNDER_ASAN) {
            struct rlimit rl;
            rl.rlim_cur = rl.rlim_max = vm_bytes() + HEADROOM;
            if (setrlimit(RLIMIT_AS, &rl) != 0)
                _exit(90);
        }
        fsnsa_model *m = NULL;
        fsnsa_error err = {0};
        fsnsa_status st = fsnsa__model_parse(text, strlen(text), "m.model",
                                             false, &m, &err);
        if (st == FSNSA_OK || m != NULL || strstr(err.msg, needle) == NULL) {
            fprintf(stderr, "model: got %s '%s', wanted '%s'\n",
                    fsnsa_status_name(st), err.msg, needle);
            _exit(91);
        }
        fprintf(stderr, "  refused: %s\n", err.msg);
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    unlink(path);
}

static const char MODEL_HEAD[] =
    "fsnsa-model 1.0\ncreated_by test\ntrain.method dense\ntrain.hidden 2\n"
    "train.start_hidden 2\ntrain.features 0\ntrain.epochs 1\ntrain.mu 30\n"
    "train.batch 32\ntrain.lr 0.001\ntrain.beta1 0.9\ntrain.beta2 0.999\n"
    "train.eps 1e-08\ntrain.weight_decay 0.0001\ntrain.seed 1\n"
    "train.shuffle 1\ntrain_loss 0.5\nmissing refuse\nlabel \"y\"\n";

static void test_huge_model_refused(void **state)
{
    (void)state;
    static const struct {
        const char *body, *needle;
    } cases[] = {
        {"classes 1000000000000\n", "1000000000000"},
        {"classes 99999999999999999999999999\n", "exceeds the limit"},
        {"classes 2\nclass \"a\"\nclass \"b\"\ncolumns 1000000000000\n",
         "1000000000000"},
        {"classes 2\nclass \"a\"\nclass \"b\"\ncolumns 999999\n",
         "cannot fit"},
        {"classes 2\nclass \"a\"\nclass \"b\"\ncolumns 1\ncolumn \"x\" "
         "nominal 900000\n", "cannot fit"},
        {"classes 2\nclass \"a\"\nclass \"b\"\ncolumns 0\nencoded_width "
         "1000000000000\n", "1000000000000"},
        {"classes 2\nclass \"a\"\nclass \"b\"\ncolumns 0\nencoded_width "
         "900000\nscale none 900000\n", "cannot fit"},
        {"classes 2\nclass \"a\"\nclass \"b\"\ncolumns 0\nencoded_width 1\n"
         "scale none 1\nshift 0\nmult 1\nfill 0\np_in 1\np 1\nh "
         "1000000000000\n", "1000000000000"},
        {"classes 2\nclass \"a\"\nclass \"b\"\ncolumns 0\nencoded_width 1\n"
         "scale none 1\nshift 0\nmult 1\nfill 0\np_in 1\np 1\nh 1000000\n"
         "n_classes 2\nn_out 1\n", "cannot fit"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[2048];
        snprintf(text, sizeof text, "%s%scrc32 00000000\n", MODEL_HEAD,
                 cases[i].body);
        expect_model_refused(text, cases[i].needle);
    }
}

/* ------------------------------------------------------------------ */
/* Numerical guards                                                     */
/* ------------------------------------------------------------------ */

/* n rows: x0 in 1e6 +- 1e5 decides the class; x1 constant; x2 = x0. */
static fsnsa_dataset *scaled_problem(size_t n, int scale)
{
    float *x = malloc(n * 3 * sizeof *x);
    int32_t *y = malloc(n * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    fsnsa_rng r;
    fsnsa_rng_seed(&r, 42);
    for (size_t i = 0; i < n; i++) {
        float u = 2.0f * fsnsa_rng_uniform(&r) - 1.0f;
        x[i * 3 + 0] = 1e6f + 1e5f * u;
        x[i * 3 + 1] = 5.0f;
        x[i * 3 + 2] = x[i * 3 + 0];
        y[i] = u > 0;
    }
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_dataset_from_arrays(n, 3, x, y, 2, &d, &err),
                     FSNSA_OK);
    free(x);
    free(y);
    if (scale) {
        fsnsa_scaler sc = {0};
        assert_int_equal(fsnsa_scaler_fit(d, FSNSA_SCALE_STANDARD, &sc, &err),
                         FSNSA_OK);
        assert_int_equal(fsnsa_scaler_apply(&sc, d, &err), FSNSA_OK);
        /* the constant column maps to 0, not to NaN (std taken as 1) */
        for (size_t i = 0; i < n; i++) {
            assert_true(d->x[i * 3 + 1] == 0.0f);
            assert_true(isfinite(d->x[i * 3]) && fabsf(d->x[i * 3]) < 3.0f);
        }
        fsnsa_scaler_clear(&sc);
    }
    return d;
}

static double train_accuracy(const fsnsa_net *net, const fsnsa_dataset *d)
{
    float *prob = malloc(d->n * net->n_classes * sizeof *prob);
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_net_predict(net, d->x, d->n, d->p, prob, &err),
                     FSNSA_OK);
    double acc = fsnsa_accuracy(prob, net->n_classes, d->y, d->n);
    free(prob);
    return acc;
}

/* Constant, duplicated and 10^6-scale features train fine once
 * standardized, dense and FSA+NSA alike. */
static void test_scale_constant_duplicate(void **state)
{
    (void)state;
    fsnsa_dataset *d = scaled_problem(300, 1);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_DENSE;
    o.hidden = 8;
    o.epochs = 60;
    o.lr = 0.01;
    fsnsa_net *net = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_train(d, &o, NULL, &net, &err), FSNSA_OK);
    double acc = train_accuracy(net, d);
    print_message("dense on 1e6-scale + constant + duplicate: acc %.3f\n", acc);
    assert_true(acc > 0.95);
    fsnsa_net_free(net);

    o.method = FSNSA_METHOD_FSA_NSA;
    o.start_hidden = 32;
    o.hidden = 4;
    o.features = 1;
    assert_int_equal(fsnsa_train(d, &o, NULL, &net, &err), FSNSA_OK);
    /* the kept feature is x0 or its copy, never the constant */
    assert_int_equal(net->p, 1);
    assert_true(net->features[0] == 0 || net->features[0] == 2);
    acc = train_accuracy(net, d);
    print_message("fsa-nsa keeps feature %zu: acc %.3f\n", net->features[0],
                  acc);
    assert_true(acc > 0.95);
    fsnsa_net_free(net);
    fsnsa_dataset_free(d);
}

/* An absurd learning rate on unscaled 10^6 values: the loss overflows,
 * training stops naming the epoch; keep_going hands back the last finite
 * network. */
static void test_divergence_stops(void **state)
{
    (void)state;
    fsnsa_dataset *d = scaled_problem(200, 0);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_DENSE;
    o.hidden = 8;
    o.epochs = 50;
    o.lr = 1e30;
    fsnsa_net *net = (fsnsa_net *)&o; /* must come back NULL */
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_train(d, &o, NULL, &net, &err), FSNSA_ERR_NUMERIC);
    assert_null(net);
    print_message("%s\n", err.msg);
    assert_non_null(strstr(err.msg, "epoch "));
    int epoch = 0;
    assert_int_equal(sscanf(err.msg, "epoch %d:", &epoch), 1);
    assert_true(epoch >= 1 && epoch <= o.epochs);

    o.keep_going = 1;
    fsnsa_error err2 = {0};
    assert_int_equal(fsnsa_train(d, &o, NULL, &net, &err2), FSNSA_ERR_NUMERIC);
    assert_string_equal(err.msg, err2.msg); /* same run, same epoch */
    assert_non_null(net);
    for (size_t i = 0; i < net->h * net->p; i++)
        assert_true(isfinite(net->W[i]));
    double loss = NAN;
    assert_int_equal(fsnsa_net_loss(net, d, &loss, &err), FSNSA_OK);
    if (epoch == 1) {
        /* nothing finite was learned: the initial network comes back */
        fsnsa_net *init = NULL;
        assert_int_equal(fsnsa_net_create(d->p, o.hidden, 2, o.seed, &init,
                                          &err), FSNSA_OK);
        assert_memory_equal(init->W, net->W, net->h * net->p * sizeof(float));
        fsnsa_net_free(init);
    }
    fsnsa_net_free(net);
    fsnsa_dataset_free(d);
}

/* NaN and Inf in a data file: refused with row and column by default,
 * imputed when asked (NaN / "?" / empty are missing values; "inf" and an
 * out-of-range 1e39 are not numbers at all and always refused). */
static void test_nan_inf_input(void **state)
{
    (void)state;
    char path[128];
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};

    tu_write_text(path, sizeof path, ".csv", "a,b,c\n1,2,0\n3,NaN,1\n5,6,0\n");
    assert_int_equal(fsnsa_dataset_read(path, &o, &d, &err), FSNSA_ERR_PARSE);
    print_message("%s\n", err.msg);
    assert_non_null(strstr(err.msg, ":3:2:"));
    o.missing = FSNSA_MISSING_MEAN;
    assert_int_equal(fsnsa_dataset_read(path, &o, &d, &err), FSNSA_OK);
    fsnsa_scaler sc = {0};
    assert_int_equal(fsnsa_scaler_fit(d, FSNSA_SCALE_STANDARD, &sc, &err),
                     FSNSA_OK);
    fsnsa_scaler_impute(&sc, FSNSA_MISSING_MEAN, d);
    assert_true(d->x[1 * 2 + 1] == 4.0f); /* mean of 2 and 6 */
    fsnsa_scaler_clear(&sc);
    fsnsa_dataset_free(d);
    unlink(path);

    /* A numeric column (more distinct numbers than a nominal column may
     * have, docs/data.md) with an infinity or an out-of-range number in
     * row 40 (line 41): refused whatever the missing-value mode. */
    static const char *const bad[] = {"inf", "-Infinity", "1e39", "-1e39"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[4096] = "a,b,c\n";
        for (int r = 1; r <= 80; r++) {
            char row[64];
            if (r == 40)
                snprintf(row, sizeof row, "%d,%s,%d\n", r, bad[i], r % 2);
            else
                snprintf(row, sizeof row, "%d,%d.5,%d\n", r, r, r % 2);
            strcat(text, row);
        }
        tu_write_text(path, sizeof path, ".csv", text);
        for (int m = 0; m < 2; m++) {
            o.missing = m ? FSNSA_MISSING_MEAN : FSNSA_MISSING_REFUSE;
            d = NULL;
            fsnsa_status st = fsnsa_dataset_read(path, &o, &d, &err);
            assert_int_not_equal(st, FSNSA_OK);
            assert_null(d);
            if (m == 0)
                print_message("%s\n", err.msg);
            assert_non_null(strstr(err.msg, ":41:2:"));
        }
        unlink(path);
    }
    /* ARFF declares the column numeric: one bad value is enough */
    tu_write_text(path, sizeof path, ".arff",
                  "@relation r\n@attribute a numeric\n@attribute c {x,y}\n"
                  "@data\n1,x\ninf,y\n");
    d = NULL;
    assert_int_equal(fsnsa_dataset_read(path, &o, &d, &err), FSNSA_ERR_PARSE);
    print_message("%s\n", err.msg);
    assert_non_null(strstr(err.msg, ":6:1:"));
    unlink(path);
}

/* ------------------------------------------------------------------ */
/* The command: divergence, --keep-going, SIGTERM                       */
/* ------------------------------------------------------------------ */

static char tmpdir_[128];

static const char *tmpdir(void)
{
    if (tmpdir_[0] == '\0') {
        snprintf(tmpdir_, sizeof tmpdir_, "/tmp/fsnsa-rel-%ld", (long)getpid());
        mkdir(tmpdir_, 0700);
    }
    return tmpdir_;
}

static char *slurp(const char *path)
{
    size_t len = 0;
    unsigned char *s = read_all(path, &len);
    if (s == NULL)
        return NULL;
    s = realloc(s, len + 1);
    s[len] = '\0';
    return (char *)s;
}

/* The command, as an absolute path (the children chdir). */
static const char *bin_path(void)
{
    static char abs_[1024];
    if (abs_[0] == '\0') {
        char cwd[512];
        if (tu_bin()[0] == '/' || getcwd(cwd, sizeof cwd) == NULL)
            snprintf(abs_, sizeof abs_, "%s", tu_bin());
        else
            snprintf(abs_, sizeof abs_, "%s/%s", cwd, tu_bin());
    }
    return abs_;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Run fsnsa with args in tmpdir(); stderr text into *err_text. */
static int run_fsnsa(char *const *args, char **err_text)
{
    char errp[256];
    snprintf(errp, sizeof errp, "%s/stderr", tmpdir());
    const char *bin = bin_path();
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int o = open("/dev/null", O_WRONLY);
        if (e < 0 || o < 0 || dup2(e, 2) < 0 || dup2(o, 1) < 0 ||
            chdir(tmpdir()) != 0)
            _exit(127);
        char *argv[32];
        int n = 0;
        argv[n++] = (char *)bin;
        for (; args[n - 1] != NULL && n < 31; n++)
            argv[n] = args[n - 1];
        argv[n] = NULL;
        execv(bin, argv);
        _exit(127);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    *err_text = slurp(errp);
    assert_non_null(*err_text);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void write_in_tmpdir(const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", tmpdir(), name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void test_cli_divergence(void **state)
{
    (void)state;
    /* 10^6-scale values, no scaling, absurd learning rate */
    char text[8192] = "a,b,y\n";
    for (int i = 0; i < 100; i++) {
        char row[64];
        snprintf(row, sizeof row, "%d,%d,%d\n", 1000000 + 997 * i % 20000,
                 i % 7, (997 * i % 20000) > 10000);
        strcat(text, row);
    }
    write_in_tmpdir("big.csv", text);
    char model[256];
    snprintf(model, sizeof model, "%s/div.model", tmpdir());

    char *args[] = {"train", "--method", "dense", "--epochs", "20", "--lr",
                    "1e30", "--scale", "none", "big.csv", "div.model", NULL};
    char *err = NULL;
    int rc = run_fsnsa(args, &err);
    print_message("%s", err);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(err, "epoch "));
    assert_non_null(strstr(err, "no model written"));
    assert_false(exists(model));
    free(err);

    char *args2[] = {"train", "--method", "dense", "--epochs", "20", "--lr",
                     "1e30", "--scale", "none", "--keep-going", "big.csv",
                     "div.model", NULL};
    rc = run_fsnsa(args2, &err);
    print_message("%s", err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(err, "epoch "));
    assert_non_null(strstr(err, "warning: --keep-going"));
    assert_true(exists(model));
    free(err);
    /* the saved network loads and is finite */
    fsnsa_model *m = NULL;
    fsnsa_error e = {0};
    assert_int_equal(fsnsa_model_load(model, &m, &e), FSNSA_OK);
    fsnsa_model_free(m);
    unlink(model);
}

/* SIGTERM like SIGINT (tests/test_cli.c: test_interrupt): training stops
 * cleanly with a message and writes no model and no temporary file. */
static void test_cli_sigterm(void **state)
{
    (void)state;
    write_in_tmpdir("s.csv", "a,b,y\n1,2,0\n2,1,1\n3,3,0\n4,1,1\n5,2,0\n"
                             "6,0,1\n");
    char errp[256], model[256];
    snprintf(errp, sizeof errp, "%s/term-stderr", tmpdir());
    snprintf(model, sizeof model, "%s/term.model", tmpdir());
    const char *bin = bin_path();
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int o = open("/dev/null", O_WRONLY);
        if (e < 0 || o < 0 || dup2(e, 2) < 0 || dup2(o, 1) < 0 ||
            chdir(tmpdir()) != 0)
            _exit(127);
        alarm(600);
        execl(bin, bin, "train", "--verbose", "--epochs", "1000000",
              "--method", "dense", "--hidden", "4", "s.csv", "term.model",
              (char *)NULL);
        _exit(127);
    }
    int started = 0;
    for (int i = 0; i < 6000 && !started; i++) {
        char *s = slurp(errp);
        started = s != NULL && strstr(s, "epoch 2/") != NULL;
        free(s);
        if (!started) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    assert_true(started);
    assert_int_equal(kill(pid, SIGTERM), 0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    char *s = slurp(errp);
    assert_non_null(strstr(s, "interrupted after epoch "));
    assert_non_null(strstr(s, "no model written"));
    free(s);
    assert_false(exists(model));
    /* no temporary file left beside it */
    DIR *dir = opendir(tmpdir());
    assert_non_null(dir);
    struct dirent *de;
    while ((de = readdir(dir)) != NULL)
        assert_null(strstr(de->d_name, "term.model"));
    closedir(dir);
}

/* ------------------------------------------------------------------ */
/* Two trainings at once                                                */
/* ------------------------------------------------------------------ */

typedef struct {
    const fsnsa_dataset *d;
    fsnsa_train_options o;
    fsnsa_net *net;
    fsnsa_status st;
} job;

static void *train_job(void *arg)
{
    job *j = arg;
    fsnsa_error err = {0};
    j->st = fsnsa_train(j->d, &j->o, NULL, &j->net, &err);
    return NULL;
}

static void assert_same_net(const fsnsa_net *a, const fsnsa_net *b)
{
    assert_int_equal(a->h, b->h);
    assert_int_equal(a->p, b->p);
    assert_int_equal(a->n_out, b->n_out);
    assert_memory_equal(a->features, b->features, a->p * sizeof(size_t));
    assert_memory_equal(a->W, b->W, a->h * a->p * sizeof(float));
    assert_memory_equal(a->b, b->b, a->h * sizeof(float));
    assert_memory_equal(a->beta, b->beta, a->h * a->n_out * sizeof(float));
    assert_memory_equal(a->c, b->c, a->n_out * sizeof(float));
}

static void test_two_threads_equal_sequential(void **state)
{
    (void)state;
    fsnsa_dataset *d1 = NULL, *d2 = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_xor_generate(300, 8, 2, 3, 0, &d1, &err), FSNSA_OK);
    assert_int_equal(fsnsa_xor_generate(200, 6, 2, 4, 0, &d2, &err), FSNSA_OK);
    job jobs[2];
    memset(jobs, 0, sizeof jobs);
    jobs[0].d = d1;
    jobs[1].d = d2;
    for (int i = 0; i < 2; i++) {
        fsnsa_train_options_default(&jobs[i].o);
        jobs[i].o.start_hidden = 48;
        jobs[i].o.hidden = 6;
        jobs[i].o.features = 2;
        jobs[i].o.epochs = 30;
        jobs[i].o.seed = (uint64_t)(7 + i);
    }
    jobs[1].o.method = FSNSA_METHOD_NSA;

    job seq[2];
    memcpy(seq, jobs, sizeof seq);
    for (int i = 0; i < 2; i++) {
        train_job(&seq[i]);
        assert_int_equal(seq[i].st, FSNSA_OK);
    }
    for (int round = 0; round < 3; round++) {
        pthread_t th[2];
        for (int i = 0; i < 2; i++) {
            jobs[i].net = NULL;
            assert_int_equal(pthread_create(&th[i], NULL, train_job, &jobs[i]),
                             0);
        }
        for (int i = 0; i < 2; i++) {
            assert_int_equal(pthread_join(th[i], NULL), 0);
            assert_int_equal(jobs[i].st, FSNSA_OK);
            assert_same_net(jobs[i].net, seq[i].net);
            fsnsa_net_free(jobs[i].net);
        }
    }
    for (int i = 0; i < 2; i++)
        fsnsa_net_free(seq[i].net);
    fsnsa_dataset_free(d1);
    fsnsa_dataset_free(d2);
}

/* ------------------------------------------------------------------ */
/* Library hygiene: what libfsnsa.a calls and what data it has          */
/* ------------------------------------------------------------------ */

static void lib_path(char *buf, size_t size)
{
    /* argv0 is BUILD/tests/test_reliability; the library BUILD/libfsnsa.a */
    snprintf(buf, size, "%s", argv0);
    char *slash = strrchr(buf, '/');
    if (slash != NULL) {
        *slash = '\0';
        slash = strrchr(buf, '/');
    }
    if (slash != NULL)
        *slash = '\0';
    else
        snprintf(buf, size, "build");
    size_t l = strlen(buf);
    snprintf(buf + l, size - l, "/libfsnsa.a");
}

static void test_no_printing_or_exiting(void **state)
{
    (void)state;
    char lib[512], cmd[700];
    lib_path(lib, sizeof lib);
    if (access(lib, R_OK) != 0 || system("nm --version >/dev/null 2>&1") != 0) {
        print_message("no %s or no nm\n", lib);
        skip();
    }
    snprintf(cmd, sizeof cmd, "nm -u '%s'", lib);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    /* A library reports errors through fsnsa_error, never by talking to
     * the terminal or ending the process. */
    static const char *const banned[] = {
        "printf", "fprintf", "vprintf", "vfprintf", "puts", "fputs", "putchar",
        "fputc", "putc", "perror", "stdout", "stderr", "exit", "_exit",
        "_Exit", "abort", "__assert_fail", "quick_exit", "system", "signal",
        "sigaction", "raise", "kill", "rand", "srand", "strtok", "setlocale",
        "__printf_chk", "__fprintf_chk", "__vfprintf_chk", "__vprintf_chk",
        "__stack_chk_fail_local_dummy"};
    char line[512];
    int bad = 0, seen = 0;
    while (fgets(line, sizeof line, p) != NULL) {
        char type[8], name[400];
        if (sscanf(line, " %7s %399s", type, name) != 2 ||
            strcmp(type, "U") != 0)
            continue;
        seen++;
        char *at = strchr(name, '@'); /* versioned symbols */
        if (at != NULL)
            *at = '\0';
        for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++)
            if (strcmp(name, banned[i]) == 0) {
                print_message("libfsnsa.a calls %s\n", name);
                bad++;
            }
    }
    assert_int_equal(pclose(p), 0);
    assert_true(seen > 10);
    assert_int_equal(bad, 0);
}

static void test_no_writable_globals(void **state)
{
    (void)state;
    char lib[512], cmd[700];
    lib_path(lib, sizeof lib);
    if (access(lib, R_OK) != 0 ||
        system("objdump --version >/dev/null 2>&1") != 0) {
        print_message("no %s or no objdump\n", lib);
        skip();
    }
    snprintf(cmd, sizeof cmd, "objdump -t '%s'", lib);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[1024], object[1024] = "";
    int bad = 0, objects = 0;
    while (fgets(line, sizeof line, p) != NULL) {
        /* "adam.o:     file format elf64-x86-64" names the member */
        char *ff = strstr(line, ":     file format");
        if (ff != NULL) {
            *ff = '\0';
            snprintf(object, sizeof object, "%s", line);
            objects++;
            continue;
        }
        /* value flags section size name: only data objects */
        char *o = strstr(line, " O ");
        if (o == NULL)
            continue;
        char section[128], size[64], name[400];
        if (sscanf(o + 3, "%127s %63s %399s", section, size, name) != 3)
            continue;
        /* read-only data (incl. relocated const tables), thread-locals */
        if (strncmp(section, ".rodata", 7) == 0 ||
            strncmp(section, ".data.rel.ro", 12) == 0 ||
            strncmp(section, ".tbss", 5) == 0 ||
            strncmp(section, ".tdata", 6) == 0)
            continue;
        /* Allowed, with the reason (docs/RELIABILITY.md):
         *  - OpenMP's lock for a named critical section (jobs.c) is a
         *    mutex, not state;
         *  - adam.c's cached CPU level is an atomic that every thread
         *    computes to the same value (idempotent, race-free);
         *  - sanitizer and coverage instrumentation data. */
        if (strncmp(name, ".gomp_critical_user_", 20) == 0 ||
            (strcmp(object, "adam.o") == 0 && strncmp(name, "cached", 6) == 0) ||
            strncmp(name, "__asan", 6) == 0 || strncmp(name, "__ubsan", 7) == 0 ||
            strncmp(name, ".L", 2) == 0 || strncmp(name, "__sancov", 8) == 0)
            continue;
        print_message("%s: writable global %s in %s\n", object, name, section);
        bad++;
    }
    assert_int_equal(pclose(p), 0);
    assert_true(objects > 5);
    assert_int_equal(bad, 0);
}

int main(int argc, char **argv)
{
    (void)argc;
    if (argv[0] != NULL)
        argv0 = argv[0];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_csv),
        cmocka_unit_test(test_replay_libsvm),
        cmocka_unit_test(test_replay_arff),
        cmocka_unit_test(test_replay_uci),
        cmocka_unit_test(test_replay_model),
        cmocka_unit_test(test_replay_options),
        cmocka_unit_test(test_replay_number),
        cmocka_unit_test(test_replay_lines),
        cmocka_unit_test(test_checked_arithmetic),
        cmocka_unit_test(test_hostile_sizes_refused),
        cmocka_unit_test(test_huge_model_refused),
        cmocka_unit_test(test_scale_constant_duplicate),
        cmocka_unit_test(test_divergence_stops),
        cmocka_unit_test(test_nan_inf_input),
        cmocka_unit_test(test_cli_divergence),
        cmocka_unit_test(test_cli_sigterm),
        cmocka_unit_test(test_two_threads_equal_sequential),
        cmocka_unit_test(test_no_printing_or_exiting),
        cmocka_unit_test(test_no_writable_globals),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (tmpdir_[0] != '\0') {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir_);
        if (system(cmd) != 0)
            rc = rc ? rc : 1;
    }
    return rc;
}

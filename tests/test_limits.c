/* Limits: checked size arithmetic, and hostile sizes (a header claiming
 * 10^12 rows, a nominal attribute of a million values, a model claiming a
 * huge network) refused with a clear message before any large allocation,
 * each in a child under an address-space limit (docs/RELIABILITY.md). */
#include "testutil.h"

#include "core/core.h"
#include "model/model.h"

#define HEADROOM ((size_t)1 << 30) /* 1 GiB beyond what the process has */

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

typedef struct {
    const char *path;
    const fsnsa_read_options *o;
    fsnsa_status want;
    const char *needle;
} read_case;

/* In the limited child: the read must fail with `want` and a message
 * that starts with the path and contains `needle`. */
static int read_is_refused(void *arg)
{
    const read_case *c = arg;
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_dataset_read(c->path, c->o, &d, &err);
    if (st != c->want) {
        fprintf(stderr, "%s: got %s (%s), wanted %s\n", c->path,
                fsnsa_status_name(st), err.msg, fsnsa_status_name(c->want));
        return 91;
    }
    if (strstr(err.msg, c->needle) == NULL ||
        strncmp(err.msg, c->path, strlen(c->path)) != 0) {
        fprintf(stderr, "%s: message '%s' lacks '%s'\n", c->path, err.msg,
                c->needle);
        return 92;
    }
    fprintf(stderr, "  refused: %s\n", err.msg);
    return 0;
}

/* Read `path` with `o` under the address-space limit. */
static void expect_read_refused(const char *path, const fsnsa_read_options *o,
                                fsnsa_status want, const char *needle)
{
    read_case c = {path, o, want, needle};
    tu_run_limited(HEADROOM, read_is_refused, &c);
}

static void write_big(char *path, size_t size, const char *suffix,
                      void (*gen)(FILE *, long), long arg)
{
    static unsigned counter;
    snprintf(path, size, "%s/big%u%s", tu_scratch_dir(), counter++, suffix);
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
/* In the limited child: parsing `text` must fail with `needle`. */
static int model_is_refused(void *arg)
{
    const char **c = arg;
    fsnsa_model *m = NULL;
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa__model_parse(c[0], strlen(c[0]), "m.model",
                                         false, &m, &err);
    if (st == FSNSA_OK || m != NULL || strstr(err.msg, c[1]) == NULL) {
        fprintf(stderr, "model: got %s '%s', wanted '%s'\n",
                fsnsa_status_name(st), err.msg, c[1]);
        return 91;
    }
    fprintf(stderr, "  refused: %s\n", err.msg);
    return 0;
}

static void expect_model_refused(const char *text, const char *needle)
{
    const char *c[2] = {text, needle};
    tu_run_limited(HEADROOM, model_is_refused, (void *)c);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checked_arithmetic),
        cmocka_unit_test(test_hostile_sizes_refused),
        cmocka_unit_test(test_huge_model_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The data-reader harness: the bytes become a file that fsnsa_dataset_read
 * reads three ways (the readers stream from a path through zlib, so a
 * scratch file is the honest entry point):
 *   1. training defaults for the format (detect header, label last,
 *      refuse missing values);
 *   2. when 1 succeeded, prediction: the same file with 1's schema, which
 *      must give the same encoded width; and when that read gives 1's data,
 *      so must a read with the options of a model that records how 1 read
 *      the file (fsnsa_model_read_options, what predict uses);
 *   3. other options picked from the input's length (header yes/no, label
 *      first/none/by index, missing mean/zero, delimiters, decimal mark,
 *      missing-value lists, ignored columns, small row and column
 *      limits), so the seed files need no option prefix.
 * Every read passes a warnings callback, which checks that a warning is
 * one line naming the file, like an error.
 * Each result is checked against the contract in include/fsnsa.h and
 * docs/data.md: an error has a message naming the file; a data set is
 * consistent (shapes, labels in range, one-hot widths add up). */
#include "fuzz.h"
#include "fuzz_reader.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

static void check_error(fsnsa_status st, const fsnsa_error *err,
                        const char *path)
{
    FSNSA_FUZZ_CHECK(err->code == st);
    /* Inputs here are small: running out of memory means a size that
     * should have been refused as a limit (or, in the replay under an
     * address-space limit, an allocation out of proportion). */
    FSNSA_FUZZ_CHECK(st != FSNSA_ERR_NOMEM);
    size_t len = strnlen(err->msg, sizeof err->msg);
    FSNSA_FUZZ_CHECK(len > 0 && len < sizeof err->msg);
    FSNSA_FUZZ_CHECK(memchr(err->msg, '\n', len) == NULL);
    /* Bad content is reported as "file:line:column: what" (issue 3). */
    if (st == FSNSA_ERR_PARSE || st == FSNSA_ERR_LIMIT)
        FSNSA_FUZZ_CHECK(strncmp(err->msg, path, strlen(path)) == 0);
}

static void check_dataset(const fsnsa_dataset *d, const fsnsa_read_options *o)
{
    FSNSA_FUZZ_CHECK(d != NULL);
    const fsnsa_schema *s = &d->schema;
    FSNSA_FUZZ_CHECK(d->p == s->p);
    size_t width = 0;
    for (size_t j = 0; j < s->n_columns; j++) {
        const fsnsa_column *c = &s->columns[j];
        FSNSA_FUZZ_CHECK(c->name != NULL);
        if (c->kind == FSNSA_COL_NUMERIC) {
            width += 1;
        } else {
            FSNSA_FUZZ_CHECK(c->kind == FSNSA_COL_NOMINAL);
            for (size_t v = 0; v < c->n_values; v++)
                FSNSA_FUZZ_CHECK(c->values[v] != NULL);
            width += c->n_values;
        }
    }
    FSNSA_FUZZ_CHECK(width == d->p);
    if (o->max_rows != 0)
        FSNSA_FUZZ_CHECK(d->n <= o->max_rows);
    if (d->has_labels) {
        FSNSA_FUZZ_CHECK(s->n_classes >= 1);
        for (size_t c = 0; c < s->n_classes; c++)
            FSNSA_FUZZ_CHECK(s->class_names[c] != NULL);
        for (size_t i = 0; i < d->n; i++)
            FSNSA_FUZZ_CHECK(d->y[i] >= 0 &&
                             (size_t)d->y[i] < s->n_classes);
    }
    for (size_t j = 0; j < d->p; j++)
        FSNSA_FUZZ_CHECK(d->feature_names[j] != NULL);
    /* Touch every value (ASan checks the extent); with missing values
     * imputed or refused, nothing non-finite may come out, except NaN
     * for a missing value that is kept for later imputation. */
    size_t nonfinite = 0;
    for (size_t i = 0; i < d->n * d->p; i++)
        nonfinite += isinf(d->x[i]) ? 1 : 0;
    FSNSA_FUZZ_CHECK(nonfinite == 0);
}

static void check_warning(void *ctx, const char *msg)
{
    const char *path = ctx;
    size_t len = strnlen(msg, FSNSA_ERRMSG_MAX);
    FSNSA_FUZZ_CHECK(len > 0 && len < FSNSA_ERRMSG_MAX);
    FSNSA_FUZZ_CHECK(memchr(msg, '\n', len) == NULL);
    FSNSA_FUZZ_CHECK(strncmp(msg, path, strlen(path)) == 0);
}

/* Read path with o, check the outcome; returns the data set or NULL. */
static fsnsa_dataset *read_checked(const char *path,
                                   const fsnsa_read_options *o)
{
    fsnsa_error err;
    memset(&err, 0, sizeof err);
    fsnsa_dataset *d = (fsnsa_dataset *)&err; /* must be reset to NULL */
    fsnsa_read_options ow = *o;
    ow.warn = check_warning;
    ow.warn_ctx = (void *)path;
    fsnsa_status st = fsnsa_dataset_read(path, &ow, &d, &err);
    if (st != FSNSA_OK) {
        FSNSA_FUZZ_CHECK(d == NULL);
        check_error(st, &err, path);
        return NULL;
    }
    check_dataset(d, o);
    return d;
}

/* Same rows, columns, values (bits) and labels; e may be NULL. */
static bool same_data(const fsnsa_dataset *e, const fsnsa_dataset *d)
{
    return e != NULL && e->n == d->n && e->p == d->p &&
           e->has_labels == d->has_labels &&
           memcmp(e->x, d->x, d->n * d->p * sizeof *d->x) == 0 &&
           memcmp(e->y, d->y, d->n * sizeof *d->y) == 0;
}

/* path read with the options of a model that records how d was read
 * with o (its schema borrowed from d). */
static fsnsa_dataset *read_as_recorded(const char *path,
                                       const fsnsa_dataset *d,
                                       const fsnsa_read_options *o)
{
    fsnsa_model m;
    memset(&m, 0, sizeof m);
    m.schema = d->schema;
    m.missing = o->missing;
    fsnsa_error err;
    fsnsa_status st = fsnsa_model_set_read(&m, &d->layout, o, &err);
    if (st != FSNSA_OK)
        fprintf(stderr, "record: %s\n", err.msg);
    FSNSA_FUZZ_CHECK(st == FSNSA_OK);
    fsnsa_read_options p;
    fsnsa_model_read_options(&m, &p);
    p.max_rows = o->max_rows;
    p.max_cols = o->max_cols;
    fsnsa_dataset *e = read_checked(path, &p);
    fsnsa_read_record_clear(&m.read);
    return e;
}

int fuzz_read(const uint8_t *data, size_t size, fsnsa_format format,
              const char *ext)
{
    const char *path = fuzz_scratch_file(ext, data, size);
    if (path == NULL)
        return 0;

    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    o.format = format;
    /* Known and documented (docs/RELIABILITY.md): LIBSVM is sparse but
     * read into a dense matrix of up to 2^30 cells, so a few kB of
     * "1 999999:1" lines may legally ask for gigabytes. Capping the
     * columns here keeps the fuzzer's 2 GiB malloc limit meaningful. */
    if (format == FSNSA_FORMAT_LIBSVM)
        o.max_cols = 100000;
    fsnsa_dataset *d = read_checked(path, &o);
    if (d != NULL) {
        fsnsa_read_options op = o;
        op.schema = &d->schema;
        fsnsa_dataset *e = read_checked(path, &op);
        if (e != NULL) {
            FSNSA_FUZZ_CHECK(e->p == d->p);
            FSNSA_FUZZ_CHECK(e->schema.n_classes == d->schema.n_classes);
        }
        bool same = same_data(e, d);
        fsnsa_dataset_free(e);
        if (same) {
            e = read_as_recorded(path, d, &o);
            FSNSA_FUZZ_CHECK(same_data(e, d));
            fsnsa_dataset_free(e);
        }
    }
    fsnsa_dataset_free(d);

    static const char *const labels[] = {"first", "none", "0", "2", "class",
                                         "last"};
    static const char delims[] = {0, ',', '\t', ' ', ';', '|'};
    fsnsa_read_options v;
    fsnsa_read_options_default(&v);
    v.format = format;
    v.header = (int)(size % 3) - 1;
    v.missing = (size / 3) % 2 ? FSNSA_MISSING_MEAN : FSNSA_MISSING_ZERO;
    v.label_column = labels[(size / 6) % 6];
    v.delimiter = delims[(size / 36) % 6];
    /* size % 5 is independent of the picks above (216 and 5 are coprime);
     * ',' with a ',' delimiter must be refused, not read */
    static const char marks[] = {0, '.', ',', 0, ','};
    v.decimal = marks[size % 5];
    if ((size / 216) % 2) {
        v.max_rows = 5;
        v.max_cols = 7;
    }
    /* sizes 7 and 11 apart pick these: not independent of the picks
     * above, but every combination occurs over the corpus */
    static const char *const na[] = {NULL, "", "NA,-,x", "?, 0 ,a"};
    static const char *const ignore[] = {NULL, "0", "1,a", "x,class,2"};
    v.na_values = na[(size / 7) % 4];
    if (format != FSNSA_FORMAT_LIBSVM)
        v.ignore_columns = ignore[(size / 11) % 4];
    d = read_checked(path, &v);
    fsnsa_dataset_free(d);
    return 0;
}

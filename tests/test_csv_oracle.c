/* Whole delimited-text files against an independent reader (issue 12):
 * tests/csv_oracle.py writes random tables and what Python's csv module
 * and float() make of them under the rules of docs/data.md; every table
 * is read here with fsnsa_dataset_read and compared: n, p, feature names,
 * class names, labels, and the matrix bit for bit (NaN for missing). */
#include "testutil.h"

#include <math.h>
#include <stdbool.h>
#include <sys/stat.h>

#define PYTHON "/usr/bin/python3"
/* make test's run; FSNSA_CSV_SEED and FSNSA_CSV_TABLES choose another */
#define SEED 12
#define TABLES 300

static char dir[64];

/* Hex-encoded text into a new string. */
static char *unhex(const char *h)
{
    size_t n = strlen(h) / 2;
    char *s = malloc(n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) {
        unsigned b;
        assert_int_equal(sscanf(h + 2 * i, "%2x", &b), 1);
        s[i] = (char)b;
    }
    s[n] = '\0';
    return s;
}

/* The value of "key VALUE" (VALUE is the rest of the line, no newline),
 * or NULL when the line has another key. */
static const char *value_of(char *line, const char *key)
{
    size_t k = strlen(key);
    if (strncmp(line, key, k) != 0 || line[k] != ' ')
        return NULL;
    line[strcspn(line, "\n")] = '\0';
    return line + k + 1;
}

static char *next_value(FILE *f, char *buf, size_t size, const char *key)
{
    assert_non_null(fgets(buf, (int)size, f));
    const char *v = value_of(buf, key);
    if (v == NULL)
        fail_msg("expected '%s', found '%s'", key, buf);
    return (char *)v;
}

typedef struct {
    size_t files, values, names;
} counts;

/* One table: its options from the expect file, then every comparison. */
static void compare_table(const char *expect_path, counts *c)
{
    FILE *f = fopen(expect_path, "r");
    assert_non_null(f);
    static char line[1 << 16];
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir,
             next_value(f, line, sizeof line, "file"));
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    o.delimiter = (char)atoi(next_value(f, line, sizeof line, "delimiter"));
    o.decimal = (char)atoi(next_value(f, line, sizeof line, "decimal"));
    o.header = atoi(next_value(f, line, sizeof line, "header"));
    const char *lv = next_value(f, line, sizeof line, "label");
    char *label = strcmp(lv, "-") == 0 ? NULL : unhex(lv);
    o.label_column = label;
    o.missing = strcmp(next_value(f, line, sizeof line, "missing"), "mean") == 0
                    ? FSNSA_MISSING_MEAN
                    : FSNSA_MISSING_REFUSE;
    size_t n = strtoul(next_value(f, line, sizeof line, "n"), NULL, 10);
    size_t p = strtoul(next_value(f, line, sizeof line, "p"), NULL, 10);

    fsnsa_dataset *d = NULL;
    fsnsa_error err;
    if (fsnsa_dataset_read(path, &o, &d, &err) != FSNSA_OK)
        fail_msg("%s: %s", path, err.msg);
    if (d->n != n || d->p != p)
        fail_msg("%s: %zu x %zu, expected %zu x %zu", path, d->n, d->p, n, p);
    for (size_t j = 0; j < p; j++) {
        char *want = unhex(next_value(f, line, sizeof line, "name"));
        if (strcmp(d->feature_names[j], want) != 0)
            fail_msg("%s: feature %zu is named '%s', expected '%s'", path, j,
                     d->feature_names[j], want);
        free(want);
        c->names++;
    }
    size_t k = 0;
    char *v;
    while ((v = fgets(line, sizeof line, f)) != NULL &&
           (v = (char *)value_of(line, "class")) != NULL) {
        char *want = unhex(v);
        if (k >= d->schema.n_classes || strcmp(d->schema.class_names[k], want))
            fail_msg("%s: class %zu is '%s', expected '%s'", path, k,
                     k < d->schema.n_classes ? d->schema.class_names[k] : "-",
                     want);
        free(want);
        k++;
        c->names++;
    }
    if (k != d->schema.n_classes)
        fail_msg("%s: %zu classes, expected %zu", path, d->schema.n_classes, k);
    for (size_t i = 0; i < n; i++) {
        char *s = i == 0 ? (char *)value_of(line, "row")
                         : next_value(f, line, sizeof line, "row");
        assert_non_null(s);
        for (size_t j = 0; j < p; j++) {
            float got = d->x[i * p + j];
            uint32_t gb, wb = 0;
            memcpy(&gb, &got, 4);
            bool want_nan = strncmp(s, "nan", 3) == 0;
            if (!want_nan)
                wb = (uint32_t)strtoul(s, NULL, 16);
            if (want_nan ? !isnan(got) : gb != wb)
                fail_msg("%s: row %zu column %zu ('%s') is %.9g (%08x), "
                         "expected %.8s",
                         path, i, j, d->feature_names[j], (double)got,
                         (unsigned)gb, s);
            s += strcspn(s, " ");
            s += *s == ' ';
            c->values++;
        }
    }
    char *ys = next_value(f, line, sizeof line, "y");
    for (size_t i = 0; i < n; i++) {
        char *end;
        long want = strtol(ys, &end, 10);
        assert_true(end != ys);
        if (d->y[i] != want)
            fail_msg("%s: row %zu has class %d, expected %ld", path, i,
                     (int)d->y[i], want);
        ys = end;
        c->values++;
    }
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "end\n");
    fclose(f);
    fsnsa_dataset_free(d);
    free(label);
    c->files++;
}

static int make_dir(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/fsnsa-csv-XXXXXX",
             t != NULL && strlen(t) < 40 ? t : "/tmp");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[128];
    /* dir is our own mkdtemp name: safe to remove wholesale */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int env_int(const char *name, int fallback)
{
    const char *v = getenv(name);
    return v != NULL && atoi(v) > 0 ? atoi(v) : fallback;
}

static void test_tables_against_python_csv(void **state)
{
    (void)state;
    if (access(PYTHON, X_OK) != 0) {
        printf("%s not found: the Python csv comparison is skipped\n", PYTHON);
        skip();
    }
    int seed = env_int("FSNSA_CSV_SEED", SEED);
    int tables = env_int("FSNSA_CSV_TABLES", TABLES);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             PYTHON " tests/csv_oracle.py --seed %d --tables %d --out '%s'",
             seed, tables, dir);
    assert_int_equal(system(cmd), 0);
    counts c = {0, 0, 0};
    for (int k = 0; k < tables; k++) {
        char path[256];
        snprintf(path, sizeof path, "%s/t%03d.expect", dir, k);
        compare_table(path, &c);
    }
    printf("Python csv oracle (seed %d): %zu files, %zu values and labels, "
           "%zu names equal\n",
           seed, c.files, c.values, c.names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tables_against_python_csv,
                                        make_dir, remove_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

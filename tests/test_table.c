/* The table level of the readers on files as other tools write them
 * (issue 12, item 6; docs/data.md): missing-value tokens (checked against
 * pandas' own reader when Debian's Python has it), thousands separators,
 * index columns, ignored columns, ARFF text, header detection on shuffled
 * rows, ambiguous names, labels that are not classes, and the warnings
 * channel. Files are written in a mkdtemp directory of this run. */
#include "testutil.h"

#include <math.h>
#include <sys/wait.h>

static char dir[256];

typedef struct {
    char path[512];
    fsnsa_read_options o;
    fsnsa_dataset *d;
    fsnsa_error err;
    char warned[8][FSNSA_ERRMSG_MAX]; /* the warnings of the last read */
    int n_warned;
} tcx;

static void on_warn(void *ctx, const char *msg)
{
    tcx *c = ctx;
    /* one line naming the file, like an error */
    assert_null(strchr(msg, '\n'));
    assert_int_equal(strncmp(msg, c->path, strlen(c->path)), 0);
    if (c->n_warned < 8)
        snprintf(c->warned[c->n_warned], sizeof c->warned[0], "%s", msg);
    c->n_warned++;
}

static void tcx_init(tcx *c)
{
    memset(c, 0, sizeof *c);
    fsnsa_read_options_default(&c->o);
    c->o.warn = on_warn;
    c->o.warn_ctx = c;
}

static unsigned file_counter;

static void write_in_dir(char *path, size_t size, const char *suffix,
                         const char *text)
{
    snprintf(path, size, "%s/f%u%s", dir, file_counter++, suffix);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* Read `text` as a file ending in suffix with c->o. */
static fsnsa_status tread(tcx *c, const char *suffix, const char *text)
{
    fsnsa_dataset_free(c->d);
    c->d = NULL;
    c->n_warned = 0;
    memset(&c->err, 0, sizeof c->err);
    write_in_dir(c->path, sizeof c->path, suffix, text);
    fsnsa_status st = fsnsa_dataset_read(c->path, &c->o, &c->d, &c->err);
    assert_true(st == FSNSA_OK ? c->d != NULL : c->d == NULL);
    return st;
}

/* The read fails with `code` and a message that names the file and holds
 * `what`. */
static void tfail(tcx *c, const char *suffix, const char *text,
                  fsnsa_status code, const char *what)
{
    fsnsa_status st = tread(c, suffix, text);
    if (st != code || strstr(c->err.msg, what) == NULL ||
        (code != FSNSA_ERR_ARG &&
         strncmp(c->err.msg, c->path, strlen(c->path)) != 0)) {
        print_error("status %d (want %d), message '%s' (want '%s')\n", (int)st,
                    (int)code, c->err.msg, what);
        fail();
    }
}

/* Exactly one warning, holding `what`. */
static void one_warning(const tcx *c, const char *what)
{
    if (c->n_warned != 1 || strstr(c->warned[0], what) == NULL) {
        print_error("%d warnings, first '%s' (want one with '%s')\n",
                    c->n_warned, c->n_warned ? c->warned[0] : "", what);
        fail();
    }
}

static void tcx_done(tcx *c)
{
    fsnsa_dataset_free(c->d);
    c->d = NULL;
}

/* A growing text buffer for generated files. */
typedef struct {
    char *s;
    size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        assert_true(n >= 0);
        if (t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        t->cap = t->cap ? 2 * t->cap + (size_t)n : 4096 + (size_t)n;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
}

/* ---------------------------------------------------------------- */
/* Missing-value tokens                                              */
/* ---------------------------------------------------------------- */

/* What R's write.csv, pandas and spreadsheets write for missing is
 * missing, quoted or not: the column stays numeric (it became 127 one-hot
 * columns of a 150-row iris before). */
static void test_na_default_tokens(void **state)
{
    (void)state;
    tcx c;
    tcx_init(&c);
    const char *t = "a,b,c,y\n"
                    "1,2.5,u,p\n"
                    "NA,3,v,q\n"
                    "2,\"NA\",NULL,p\n"
                    "N/A,#N/A,None,q\n"
                    "4,nan,v,p\n"
                    "-nan,n/a,u,q\n"
                    "<NA>,5,NaN,p\n"
                    "6,1.#QNAN,u,q\n";
    tfail(&c, ".csv", t, FSNSA_ERR_PARSE,
          ":3:1: missing value 'NA' in column 'a' (see the 'missing' option)");
    c.o.missing = FSNSA_MISSING_MEAN;
    assert_int_equal(tread(&c, ".csv", t), FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->n, 8);
    assert_int_equal(d->p, 1 + 1 + 2);
    assert_int_equal(d->schema.columns[0].kind, FSNSA_COL_NUMERIC);
    assert_int_equal(d->schema.columns[1].kind, FSNSA_COL_NUMERIC);
    assert_int_equal(d->schema.columns[2].kind, FSNSA_COL_NOMINAL);
    assert_int_equal(d->schema.columns[2].n_values, 2); /* u, v only */
    static const int a_missing[] = {0, 1, 0, 1, 0, 1, 1, 0};
    static const int b_missing[] = {0, 0, 1, 1, 1, 1, 0, 1};
    static const int c_missing[] = {0, 0, 1, 1, 0, 0, 1, 0};
    for (int i = 0; i < 8; i++) {
        assert_int_equal(isnan(d->x[i * 4 + 0]) != 0, a_missing[i]);
        assert_int_equal(isnan(d->x[i * 4 + 1]) != 0, b_missing[i]);
        assert_int_equal(isnan(d->x[i * 4 + 2]) != 0, c_missing[i]);
        assert_int_equal(isnan(d->x[i * 4 + 3]) != 0, c_missing[i]);
    }
    assert_true(d->x[0] == 1.0f && d->x[1] == 2.5f && d->x[7 * 4] == 6.0f);
    assert_int_equal(c.n_warned, 0);
    /* a row starting with Excel's #N/A is a row, not a '#' comment */
    assert_int_equal(tread(&c, ".csv", "a,b,y\n#N/A,1,p\n# a comment\n2,3,q\n"
                                       "#NA ,4,p\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->n, 3);
    assert_true(isnan(c.d->x[0]) && c.d->x[3] == 3.0f && isnan(c.d->x[4]));
    /* a first line too, with the delimiter not known yet */
    assert_int_equal(tread(&c, ".tsv", "#N/A\t1\tp\n2\t3\tq\n#\tcomment\n"
                                       "3\t4\tp\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->n, 3);
    assert_true(isnan(c.d->x[0]) && c.d->x[2] == 2.0f);
    /* a missing label is an error; the message says why NA is one */
    tfail(&c, ".csv", "1,a\n2,NA\n3,b\n", FSNSA_ERR_PARSE,
          ":2:2: missing label 'NA' (see the 'na_values' option)");
    tfail(&c, ".csv", "1,a\n2,?\n3,b\n", FSNSA_ERR_PARSE, ":2:2: missing label");
    /* case matters: a column named Na (sodium) or values "na" are not NA */
    c.o.missing = FSNSA_MISSING_REFUSE;
    assert_int_equal(tread(&c, ".csv", "Na,k,y\n1,na,p\n2,x,q\n"), FSNSA_OK);
    assert_string_equal(c.d->feature_names[0], "Na");
    assert_string_equal(c.d->feature_names[1], "k=na");
    tcx_done(&c);
}

/* na_values replaces the list; "" leaves only empty fields missing. */
static void test_na_values_option(void **state)
{
    (void)state;
    tcx c;
    tcx_init(&c);
    c.o.missing = FSNSA_MISSING_ZERO;
    const char *t = "a,k,y\n1,NA,p\n-,x,q\n?,NA,p\n,x,q\n";
    c.o.na_values = " - , ?";
    assert_int_equal(tread(&c, ".csv", t), FSNSA_OK);
    assert_int_equal(c.d->p, 3); /* NA and x are values of k */
    assert_string_equal(c.d->feature_names[1], "k=NA");
    for (int i = 1; i < 4; i++)
        assert_true(isnan(c.d->x[i * 3]));
    /* none: '-' and '?' are words, and a is a column of three values */
    c.o.na_values = "";
    assert_int_equal(tread(&c, ".csv", t), FSNSA_OK);
    assert_int_equal(c.d->p, 3 + 2);
    assert_string_equal(c.d->feature_names[1], "a=-");
    assert_string_equal(c.d->feature_names[2], "a=?");
    assert_true(isnan(c.d->x[3 * 5])); /* the empty field */
    /* NULL is the default list: '?' but not '-' */
    c.o.na_values = NULL;
    assert_int_equal(tread(&c, ".csv", t), FSNSA_OK);
    assert_int_equal(c.d->p, 2 + 1);
    assert_string_equal(c.d->feature_names[0], "a=1");
    assert_string_equal(c.d->feature_names[1], "a=-");
    assert_true(isnan(c.d->x[2 * 3]) && isnan(c.d->x[3 * 3]));
    tcx_done(&c);
}

/* A declared value is a value even when it is a missing-value token
 * (continent NA); ARFF's '?' is missing whatever the list. */
static void test_na_declared_values(void **state)
{
    (void)state;
    tcx c;
    tcx_init(&c);
    c.o.missing = FSNSA_MISSING_MEAN;
    const char *t = "@relation r\n"
                    "@attribute cont {NA,EU,AS}\n"
                    "@attribute x numeric\n"
                    "@attribute class {NA,SA}\n"
                    "@data\n"
                    "NA,NA,NA\n"
                    "EU,1,SA\n"
                    "?,2,NA\n"
                    "'NA',?,SA\n";
    c.o.na_values = "NA";
    assert_int_equal(tread(&c, ".arff", t), FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->p, 4);
    float want0[] = {1, 0, 0};
    assert_memory_equal(d->x, want0, sizeof want0);
    assert_true(isnan(d->x[3]));            /* x NA: missing */
    assert_true(isnan(d->x[2 * 4]) && isnan(d->x[2 * 4 + 2])); /* ? */
    assert_true(d->x[3 * 4] == 1.0f && isnan(d->x[3 * 4 + 3]));
    assert_string_equal(d->schema.class_names[0], "NA");
    int32_t y[] = {0, 1, 0, 1};
    assert_memory_equal(d->y, y, sizeof y);
    /* the list applies to numeric attributes; '?' is missing without it */
    c.o.na_values = "";
    tfail(&c, ".arff", t, FSNSA_ERR_PARSE,
          ":6:2: expected a number in column 'x', found 'NA'");
    assert_int_equal(tread(&c, ".arff", "@attribute x numeric\n"
                                        "@attribute c {a,b}\n@data\n?,a\n1,b\n"),
                     FSNSA_OK);
    assert_true(isnan(c.d->x[0]) && c.d->x[1] == 1.0f);
    /* a model whose nominal column has the value NA (trained with a list
     * without it) reads NA as that value under the default list */
    c.o.na_values = "?";
    assert_int_equal(tread(&c, ".csv", "a,k,y\n1,NA,p\n2,x,q\n"), FSNSA_OK);
    fsnsa_dataset *train = c.d;
    c.d = NULL;
    c.o.na_values = NULL;
    c.o.schema = &train->schema;
    assert_int_equal(tread(&c, ".csv", "a,k,y\n5,x,q\n6,NA,p\n7,N/A,p\n"),
                     FSNSA_OK);
    float want[] = {5, 0, 1, 6, 1, 0};
    assert_memory_equal(c.d->x, want, sizeof want);
    assert_true(isnan(c.d->x[7]) && isnan(c.d->x[8]));
    c.o.schema = NULL;
    fsnsa_dataset_free(train);
    tcx_done(&c);
}

/* Run a Python script with Debian's Python; 0 when it ran and succeeded,
 * -1 when that Python or pandas is not there. */
static int python(const char *script)
{
    if (access("/usr/bin/python3", X_OK) != 0)
        return -1;
    char path[600], cmd[1400];
    snprintf(path, sizeof path, "%s/oracle.py", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(script, f);
    assert_int_equal(fclose(f), 0);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && /usr/bin/python3 -c 'import pandas' 2>/dev/null && "
             "/usr/bin/python3 oracle.py",
             dir);
    int rc = system(cmd);
    return rc == 0 ? 0 : -1;
}

/* The oracle: pandas' read_csv on a generated file holding every token of
 * pandas' default NA list (quoted and not) and quoted thousands
 * separators; it writes the matrix it read, which fsnsa must match: the
 * same NaNs, the same numbers (pandas' double rounded to float). */
static void test_na_and_thousands_against_pandas(void **state)
{
    (void)state;
    const char *script =
        "import csv, random\n"
        "import pandas as pd\n"
        "from pandas._libs.parsers import STR_NA_VALUES\n"
        "random.seed(7)\n"
        "tokens = sorted(STR_NA_VALUES)\n"
        "with open('na.csv', 'w', newline='') as f:\n"
        "    w = csv.writer(f, quoting=csv.QUOTE_MINIMAL)\n"
        "    w.writerow(['a', 'b', 'c', 'y'])\n"
        "    for i in range(400):\n"
        "        row = []\n"
        "        for j in range(3):\n"
        "            r = random.random()\n"
        "            if r < 0.3:\n"
        "                t = random.choice(tokens)\n"
        "                row.append('\"%s\"' % t if random.random() < 0.5 else t)\n"
        "            elif j == 2:\n"
        "                row.append('\"{:,}\"'.format(random.randint(-10**7, 10**7)))\n"
        "            else:\n"
        "                row.append('%.4g' % random.uniform(-1e4, 1e4))\n"
        "        row.append(random.choice(['p', 'q']))\n"
        "        f.write(','.join(row) + '\\n')\n"
        "d = pd.read_csv('na.csv', thousands=',')\n"
        "with open('na.out', 'w') as f:\n"
        "    for r in d[['a', 'b', 'c']].itertuples(index=False):\n"
        "        f.write(' '.join('nan' if v != v else repr(float(v)) for v in r)"
        " + '\\n')\n";
    if (python(script) != 0)
        skip();
    tcx c;
    tcx_init(&c);
    c.o.missing = FSNSA_MISSING_MEAN;
    c.o.header = 1; /* a first row of NA tokens hides the header */
    snprintf(c.path, sizeof c.path, "%s/na.csv", dir);
    assert_int_equal(fsnsa_dataset_read(c.path, &c.o, &c.d, &c.err), FSNSA_OK);
    char out[600];
    snprintf(out, sizeof out, "%s/na.out", dir);
    FILE *f = fopen(out, "r");
    assert_non_null(f);
    assert_int_equal(c.d->p, 3);
    size_t nan_seen = 0;
    for (size_t i = 0; i < c.d->n; i++)
        for (size_t j = 0; j < 3; j++) {
            char tok[64];
            assert_int_equal(fscanf(f, "%63s", tok), 1);
            float got = c.d->x[i * 3 + j];
            if (strcmp(tok, "nan") == 0) {
                if (!isnan(got))
                    fail_msg("row %zu column %zu: fsnsa %.9g, pandas NaN", i,
                             j, (double)got);
                nan_seen++;
            } else {
                float want = (float)strtod(tok, NULL);
                if (!(got == want))
                    fail_msg("row %zu column %zu: fsnsa %.9g, pandas %s", i,
                             j, (double)got, tok);
            }
        }
    char extra[8];
    assert_int_equal(fscanf(f, "%7s", extra), EOF);
    fclose(f);
    assert_int_equal(c.d->n, 400);
    assert_true(nan_seen > 300); /* the tokens were there */
    tcx_done(&c);
}

/* ---------------------------------------------------------------- */
/* Thousands separators                                              */
/* ---------------------------------------------------------------- */

/* Quoted "1,234" in a comma-separated file (Excel, Google Sheets) is a
 * number when the column holds numbers only; it was one one-hot column
 * per row (201 features from 200 rows). */
static void test_thousands_separators(void **state)
{
    (void)state;
    tcx c;
    tcx_init(&c);
    text t = {0};
    put(&t, "amount,x,y\n");
    for (int i = 0; i < 200; i++)
        put(&t, "\"%d,%03d\",%d,%c\n", 1 + i, (i * 37) % 1000, i % 7,
            i % 2 ? 'p' : 'q');
    assert_int_equal(tread(&c, ".csv", t.s), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    assert_int_equal(c.d->schema.columns[0].kind, FSNSA_COL_NUMERIC);
    assert_true(c.d->x[0] == 1000.0f && c.d->x[2] == 2037.0f);
    assert_true(c.d->x[199 * 2] == 200000.0f + (float)((199 * 37) % 1000));
    assert_int_equal(c.n_warned, 0);
    free(t.s);
    /* groups, signs, fractions; plain numbers mix in */
    assert_int_equal(tread(&c, ".csv", "a,y\n\"-12,345,678.25\",p\n\"+1,000\",q\n"
                                       "999,p\n\"1,234.\",q\n"),
                     FSNSA_OK);
    float want[] = {-12345678.25f, 1000, 999, 1234};
    assert_memory_equal(c.d->x, want, sizeof want);
    /* among other words they are words: a nominal column as before */
    assert_int_equal(tread(&c, ".csv", "a,y\n\"1,234\",p\nlots,q\n\"1,234\",p\n"),
                     FSNSA_OK);
    assert_string_equal(c.d->feature_names[0], "a=1,234");
    /* commas that are not thousands separators in a column of numbers:
     * refused at the first of them, whichever comes first */
    tfail(&c, ".csv", "a,y\n\"1,234\",p\n\"1,5\",q\n\"12,34\",p\n",
          FSNSA_ERR_PARSE,
          ":3:1: '1,5' in column 'a' is not a number: the decimal mark is "
          "'.', and its commas are not thousands separators");
    tfail(&c, ".csv", "a,y\n7,p\n\"12,3456\",q\n", FSNSA_ERR_PARSE,
          ":3:1: '12,3456' in column 'a' is not a number");
    tfail(&c, ".csv", "a,y\n5,p\n\"1,500\",q\n\"0,250\",p\n", FSNSA_ERR_PARSE,
          ":4:1: '0,250' in column 'a' is not a number");
    tfail(&c, ".csv", "a,y\n\"1,234\",p\n\"999,999,999,999,999,999,999,999,999,"
                      "999,999,999,999,999\",q\n",
          FSNSA_ERR_PARSE, ":3:1: '999,999");
    /* with tabs and the mark left to the data "1,234" is a decimal comma,
     * as before; with decimal '.' it is grouped */
    assert_int_equal(tread(&c, ".tsv", "a\ty\n1,234\tp\n2\tq\n"), FSNSA_OK);
    assert_true(c.d->x[0] == 1.234f);
    c.o.decimal = '.';
    assert_int_equal(tread(&c, ".tsv", "a\ty\n1,234\tp\n2\tq\n"), FSNSA_OK);
    assert_true(c.d->x[0] == 1234.0f);
    c.o.decimal = 0;
    /* a header over a row of grouped numbers is found */
    assert_int_equal(tread(&c, ".csv", "a,b\n\"1,000\",p\n\"2,000\",q\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->n, 2);
    /* prediction: a numeric column of the model reads them, and refuses
     * other commas at their place */
    fsnsa_dataset *train = c.d;
    c.d = NULL;
    c.o.schema = &train->schema;
    assert_int_equal(tread(&c, ".csv", "a,b\n\"3,000\",q\n5,p\n"), FSNSA_OK);
    assert_true(c.d->x[0] == 3000.0f && c.d->x[1] == 5.0f);
    tfail(&c, ".csv", "a,b\n4,q\n\"3,5\",p\n", FSNSA_ERR_PARSE,
          ":3:1: '3,5' in column 'a' is not a number");
    tfail(&c, ".csv", "a,b\n4,q\nfew,p\n", FSNSA_ERR_PARSE,
          ":3:1: expected a number in column 'a', found 'few'");
    c.o.schema = NULL;
    fsnsa_dataset_free(train);
    tcx_done(&c);
}

/* ---------------------------------------------------------------- */
/* Warnings: identifiers, index columns, many classes                */
/* ---------------------------------------------------------------- */

static char *words_file(size_t rows, size_t distinct)
{
    text t = {0};
    put(&t, "id,x,y\n");
    for (size_t i = 0; i < rows; i++)
        put(&t, "w%zu,%zu,%c\n", i % distinct, (i * 7) % 5, i % 2 ? 'p' : 'q');
    return t.s;
}

/* More than 20 distinct words, more than half the rows: one-hot encoded,
 * with a warning that names the column. */
static void test_many_values_warning(void **state)
{
    (void)state;
    tcx c;
    tcx_init(&c);
    char *t = words_file(40, 30);
    assert_int_equal(tread(&c, ".csv", t), FSNSA_OK);
    assert_int_equal(c.d->p, 30 + 1);
    one_warning(&c, ":2:1: column 'id' holds 30 distinct values in 40 rows, "
                    "one-hot encoded as 30 columns: identifiers or text? "
                    "(leave it out with the 'ignore_columns' option)");
    free(t);
    t = words_file(40, 20); /* not more than 20 */
    assert_int_equal(tread(&c, ".csv", t), FSNSA_OK);
    assert_int_equal(c.n_warned, 0);
    free(t);
    t = words_file(100, 50); /* not more than half */
    assert_int_equal(tread(&c, ".csv", t), FSNSA_OK);
    assert_int_equal(c.n_warned, 0);
    free(t);
    /* no callback: read the same, silently */
    c.o.warn = NULL;
    t = words_file(40, 30);
    assert_int_equal(tread(&c, ".csv", t), FSNSA_OK);
    assert_int_equal(c.d->p, 31);
    free(t);
    tcx_done(&c);
}

/* Words and numbers in a column with more distinct values than the
 * column limit allows a nominal one: refused as a limit, not read with
 * the cells past the limit left unrenumbered (wrong values). */
static void test_mixed_column_over_limit(void **state)
{
    (void)state;
    tcx c;
    tcx_init(&c);
    c.o.max_cols = 3;
    c.o.header = 1;
    tfail(&c, ".csv", "f,label\na,x\nb,y\n1,x\n2,y\nc,x\n", FSNSA_ERR_LIMIT,
          "column 1 has more than 3 distinct values");
    /* within the limit: nominal as always */
    assert_int_equal(tread(&c, ".csv", "f,label\na,x\n1,y\nb,x\n1,y\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->p, 3);
    tcx_done(&c);
}

/* The index pandas' to_csv (0..n-1, unnamed) and R's write.csv ("1".."n",
 * named "") write is used as a feature: a warning, and ignore_columns. */
static void test_index_column(void **state)
{
    (void)state;
    tcx c;
    tcx_init(&c);
    text t = {0};
    put(&t, ",a,y\n");
    for (int i = 0; i < 6; i++)
        put(&t, "%d,%d.5,%c\n", i, i % 3, i % 2 ? 'p' : 'q');
    assert_int_equal(tread(&c, ".csv", t.s), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    one_warning(&c, ":2:1: the first column (unnamed) holds the row numbers 0 "
                    "to 5: an index (pandas' to_csv and R's write.csv write "
                    "one)? It is used as a feature; leave it out with the "
                    "'ignore_columns' option (column 0)");
    c.o.ignore_columns = "0";
    assert_int_equal(tread(&c, ".csv", t.s), FSNSA_OK);
    assert_int_equal(c.d->p, 1);
    assert_string_equal(c.d->feature_names[0], "a");
    assert_true(c.d->x[5] == 2.5f);
    assert_int_equal(c.n_warned, 0);
    c.o.ignore_columns = NULL;
    free(t.s);
    memset(&t, 0, sizeof t);
    put(&t, "\"\",\"a\",\"y\"\n");
    for (int i = 1; i <= 5; i++)
        put(&t, "\"%d\",%d,\"%c\"\n", i, 7 * i % 4, i % 2 ? 'p' : 'q');
    assert_int_equal(tread(&c, ".csv", t.s), FSNSA_OK);
    one_warning(&c, "holds the row numbers 1 to 5");
    free(t.s);
    /* named, no header, label first: the first feature column counts */
    assert_int_equal(tread(&c, ".csv", "0,3,p\n1,4,q\n2,1,p\n"), FSNSA_OK);
    one_warning(&c, "the first column (unnamed) holds the row numbers 0 to 2");
    assert_int_equal(tread(&c, ".csv", "id,v,y\n1,3,p\n2,4,q\n3,1,p\n"),
                     FSNSA_OK);
    one_warning(&c, "the first column, 'id', holds the row numbers 1 to 3");
    c.o.label_column = "first";
    assert_int_equal(tread(&c, ".csv", "0,3,p\n1,4,q\n0,1,p\n"), FSNSA_OK);
    assert_int_equal(c.n_warned, 0);
    c.o.label_column = NULL;
    /* not the row numbers: no warning */
    assert_int_equal(tread(&c, ".csv", "0,3,p\n2,4,q\n1,1,p\n"), FSNSA_OK);
    assert_int_equal(c.n_warned, 0);
    assert_int_equal(tread(&c, ".csv", "0,3,p\n1,4,q\n"), FSNSA_OK); /* 2 rows */
    assert_int_equal(c.n_warned, 0);
    /* prediction: the model knows its columns */
    assert_int_equal(tread(&c, ".csv", "0,3,p\n1,4,q\n2,1,p\n"), FSNSA_OK);
    fsnsa_dataset *train = c.d;
    c.d = NULL;
    c.o.schema = &train->schema;
    assert_int_equal(tread(&c, ".csv", "0,3,p\n1,4,q\n2,1,p\n"), FSNSA_OK);
    assert_int_equal(c.n_warned, 0);
    c.o.schema = NULL;
    fsnsa_dataset_free(train);
    tcx_done(&c);
}

/* A label column that is not a class: most rows in a class of their own
 * (a continuous target, identifiers) is refused; very many classes get a
 * warning. */
static void test_labels_not_classes(void **state)
{
    (void)state;
    tcx c;
    tcx_init(&c);
    text t = {0};
    put(&t, "a,b,y\n");
    for (int i = 0; i < 2000; i++)
        put(&t, "%d,%d,%.6f\n", i % 13, i % 7, 0.001 * i - 0.5 * (i % 3));
    tfail(&c, ".csv", t.s, FSNSA_ERR_PARSE,
          ":2:3: the label column 'y' holds 2000 distinct numbers in 2000 rows,"
          " 2000 of them once: it looks like a continuous target (read it "
          "with task regression, or choose the class column with the "
          "'label_column' option)");
    free(t.s);
    /* the bound: more than half the rows in classes of their own */
    for (int singles = 50; singles <= 51; singles++) {
        memset(&t, 0, sizeof t);
        for (int i = 0; i < 100; i++)
            put(&t, "%d,%d\n", i % 3, i < singles ? i : 1000 + i % 2);
        if (singles == 50) {
            assert_int_equal(tread(&c, ".csv", t.s), FSNSA_OK);
            assert_int_equal(c.d->schema.n_classes, 52);
        } else {
            tfail(&c, ".csv", t.s, FSNSA_ERR_PARSE,
                  "holds 53 distinct numbers in 100 rows, 51 of them once");
        }
        free(t.s);
    }
    memset(&t, 0, sizeof t);
    for (int i = 0; i < 50; i++)
        put(&t, "%d,user%d\n", i % 4, i);
    tfail(&c, ".csv", t.s, FSNSA_ERR_PARSE,
          ":1:2: the label column holds 50 distinct values in 50 rows, 50 of "
          "them once: identifiers or text, not classes");
    free(t.s);
    /* 20 classes, all singletons: a small problem, not refused */
    memset(&t, 0, sizeof t);
    for (int i = 0; i < 20; i++)
        put(&t, "%d,%d\n", i % 4, i);
    assert_int_equal(tread(&c, ".csv", t.s), FSNSA_OK);
    assert_int_equal(c.d->schema.n_classes, 20);
    free(t.s);
    /* 1001 classes of 2 rows: read, with a warning */
    memset(&t, 0, sizeof t);
    for (int i = 0; i < 2002; i++)
        put(&t, "%d,c%d\n", i % 5, i / 2);
    assert_int_equal(tread(&c, ".csv", t.s), FSNSA_OK);
    assert_int_equal(c.d->schema.n_classes, 1001);
    one_warning(&c, ":1:2: the label column has 1001 classes in 2002 rows: "
                    "the network has an output per class");
    free(t.s);
    /* prediction with a model's classes is not checked */
    tcx_done(&c);
}

/* ---------------------------------------------------------------- */
/* Ignored columns                                                   */
/* ---------------------------------------------------------------- */

static void test_ignore_columns(void **state)
{
    (void)state;
    tcx c;
    tcx_init(&c);
    const char *t = "id,a,Note,b,y\n"
                    "7,1,free text,2,p\n"
                    "8,3,bad \"x,9,q\n"
                    "9,5,,6,p\n";
    /* by name (exact, then any case) and by index; an ignored column is
     * not even parsed (the quote, the empty field) */
    c.o.ignore_columns = "id, note";
    assert_int_equal(tread(&c, ".csv", t), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    assert_int_equal(c.d->schema.n_columns, 2);
    assert_string_equal(c.d->feature_names[0], "a");
    assert_string_equal(c.d->feature_names[1], "b");
    float want[] = {1, 2, 3, 9, 5, 6};
    assert_memory_equal(c.d->x, want, sizeof want);
    assert_string_equal(c.d->schema.label_name, "y");
    c.o.ignore_columns = "2,0,2";
    assert_int_equal(tread(&c, ".csv", t), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    assert_string_equal(c.d->feature_names[1], "b");
    /* prediction: the model's columns, the file still has the others */
    c.o.ignore_columns = "id,Note";
    assert_int_equal(tread(&c, ".csv", t), FSNSA_OK);
    fsnsa_dataset *train = c.d;
    c.d = NULL;
    c.o.schema = &train->schema;
    assert_int_equal(tread(&c, ".csv", "id,a,Note,b,y\n1,10,z,20,q\n"), FSNSA_OK);
    float pw[] = {10, 20};
    assert_memory_equal(c.d->x, pw, sizeof pw);
    assert_true(c.d->has_labels && c.d->y[0] == 1);
    /* without the label column */
    assert_int_equal(tread(&c, ".csv", "id,a,Note,b\n1,10,z,20\n"), FSNSA_OK);
    assert_false(c.d->has_labels);
    assert_memory_equal(c.d->x, pw, sizeof pw);
    /* and without ignoring, the widths do not fit */
    c.o.ignore_columns = NULL;
    tfail(&c, ".csv", "id,a,Note,b,y\n1,10,z,20,q\n", FSNSA_ERR_PARSE,
          ":2:1: rows have 5 fields; the model expects 2 feature columns");
    c.o.ignore_columns = "Note";
    tfail(&c, ".csv", "id,a,Note,b,y\n1,10,z,20,q\n", FSNSA_ERR_PARSE,
          ":2:1: rows have 4 fields besides the ignored ones; the model "
          "expects 2");
    c.o.schema = NULL;
    fsnsa_dataset_free(train);
    /* refusals */
    c.o.ignore_columns = "id,nope";
    tfail(&c, ".csv", t, FSNSA_ERR_PARSE,
          ":1:1: ignore_columns: no column is named 'nope'");
    c.o.ignore_columns = "5";
    tfail(&c, ".csv", t, FSNSA_ERR_PARSE,
          ":1:6: ignore_columns: column 5 does not exist (rows have 5 fields, "
          "0-based indices 0..4)");
    c.o.ignore_columns = "y";
    assert_int_equal(tread(&c, ".csv", t), FSNSA_ERR_ARG);
    assert_non_null(strstr(c.err.msg, "ignore_columns: column 4 is the label"));
    c.o.ignore_columns = "a,,b";
    assert_int_equal(tread(&c, ".csv", t), FSNSA_ERR_ARG);
    assert_non_null(strstr(c.err.msg, "has an empty entry"));
    c.o.ignore_columns = "a";
    tfail(&c, ".csv", "1,2,p\n3,4,q\n", FSNSA_ERR_PARSE,
          ":1:1: ignore_columns: no column is named 'a' (the file has no "
          "header row; give 0-based indices)");
    tfail(&c, ".csv", "a,b,a,y\n1,2,3,p\n4,5,6,q\n", FSNSA_ERR_PARSE,
          ":1:3: ignore_columns: column 'a' is ambiguous: fields 1 and 3 are "
          "both named 'a' (give the 0-based index, 0 or 2)");
    c.o.ignore_columns = "a,b";
    tfail(&c, ".csv", "a,b,y\n1,2,p\n3,4,q\n", FSNSA_ERR_PARSE,
          "no feature columns besides the label");
    c.o.ignore_columns = "1";
    assert_int_equal(tread(&c, ".svm", "1 1:2 2:3\n0 1:1\n"), FSNSA_ERR_ARG);
    assert_non_null(strstr(c.err.msg, "columns of LIBSVM files cannot be "
                                      "ignored"));
    /* a short header (the feature names only, label first) */
    c.o.label_column = "first";
    c.o.ignore_columns = "b";
    assert_int_equal(tread(&c, ".data", "a,b,c\np,1,2,3\nq,4,5,6\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    assert_string_equal(c.d->feature_names[1], "c");
    float sw[] = {1, 3, 4, 6};
    assert_memory_equal(c.d->x, sw, sizeof sw);
    c.o.label_column = NULL;
    c.o.ignore_columns = NULL;
    tcx_done(&c);
}

/* ARFF: attributes by name or index; a string attribute of text is
 * refused naming the way out, and ignoring it reads the rest. */
static void test_arff_ignore_and_text(void **state)
{
    (void)state;
    tcx c;
    tcx_init(&c);
    text t = {0};
    put(&t, "@relation reuters\n@attribute text string\n"
            "@attribute len numeric\n@attribute class {earn,acq}\n@data\n");
    for (int i = 0; i < 30; i++)
        put(&t, "'article %d, about %s',%d,%s\n", i, i % 2 ? "oil" : "gold",
            100 + i, i % 3 ? "earn" : "acq");
    tfail(&c, ".arff", t.s, FSNSA_ERR_PARSE,
          ":2:1: attribute 'text' is a string with 30 distinct values in 30 "
          "rows (identifiers or text): fsnsa does not encode text; leave it "
          "out with the 'ignore_columns' option, or turn it into word counts "
          "first (Weka's StringToWordVector)");
    /* a sparse row need not give an ignored string */
    put(&t, "{1 5, 2 acq}\n");
    c.o.ignore_columns = "text";
    assert_int_equal(tread(&c, ".arff", t.s), FSNSA_OK);
    assert_int_equal(c.d->n, 31);
    assert_int_equal(c.d->p, 1);
    assert_true(c.d->x[0] == 100.0f && c.d->x[30] == 5.0f);
    assert_int_equal(c.d->y[30], 1);
    fsnsa_dataset *train = c.d;
    c.d = NULL;
    c.o.ignore_columns = "0";
    c.o.schema = &train->schema;
    assert_int_equal(tread(&c, ".arff", t.s), FSNSA_OK);
    assert_int_equal(c.d->p, 1);
    c.o.schema = NULL;
    fsnsa_dataset_free(train);
    c.o.ignore_columns = "class";
    assert_int_equal(tread(&c, ".arff", t.s), FSNSA_ERR_ARG);
    assert_non_null(strstr(c.err.msg, "attribute 2 ('class') is the class"));
    c.o.ignore_columns = "len";
    tfail(&c, ".arff", t.s, FSNSA_ERR_PARSE,
          "sparse row leaves out the string attribute 'text'");
    free(t.s);
    c.o.ignore_columns = NULL;
    /* duplicate attribute names: a class by that name is ambiguous */
    c.o.label_column = "x";
    tfail(&c, ".arff", "@attribute x numeric\n@attribute x {a,b}\n@data\n1,a\n",
          FSNSA_ERR_PARSE, ":3:2: label column 'x' is ambiguous: fields 1 and "
                           "2 are both named 'x'");
    c.o.label_column = NULL;
    tcx_done(&c);
}

/* ---------------------------------------------------------------- */
/* Names and headers                                                 */
/* ---------------------------------------------------------------- */

/* Two columns named y: refused with both, rather than the first taken. */
static void test_ambiguous_label_name(void **state)
{
    (void)state;
    tcx c;
    tcx_init(&c);
    const char *t = "y,a,y\n0,1,p\n1,2,q\n";
    c.o.label_column = "y";
    tfail(&c, ".csv", t, FSNSA_ERR_PARSE,
          ":1:3: label column 'y' is ambiguous: fields 1 and 3 are both named "
          "'y' (give the 0-based index, 0 or 2)");
    c.o.label_column = "2";
    assert_int_equal(tread(&c, ".csv", t), FSNSA_OK);
    assert_string_equal(c.d->schema.class_names[0], "p");
    /* an exact match is not ambiguous with one that differs in case */
    c.o.label_column = "y";
    assert_int_equal(tread(&c, ".csv", "Y,a,y\n0,1,p\n1,2,q\n"), FSNSA_OK);
    assert_string_equal(c.d->schema.class_names[0], "p");
    c.o.label_column = "k";
    tfail(&c, ".csv", "K,a,K\n0,1,p\n1,2,q\n", FSNSA_ERR_PARSE,
          ":1:3: label column 'k' is ambiguous");
    c.o.label_column = NULL;
    tcx_done(&c);
}

/* A first row taken for a header by a word over a number is data when all
 * its words occur again in their columns: a shuffled car.data starting
 * "vhigh,vhigh,5more,more,..." lost that row and named its columns after
 * it. */
static void test_header_words_recur(void **state)
{
    (void)state;
    tcx c;
    tcx_init(&c);
    const char *t = "vhigh,5more,more,unacc\n"
                    "low,2,4,acc\n"
                    "vhigh,3,more,unacc\n"
                    "med,5more,2,acc\n";
    assert_int_equal(tread(&c, ".data", t), FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->n, 4);
    assert_string_equal(d->feature_names[0], "x0=vhigh");
    assert_null(d->schema.label_name);
    int32_t y[] = {0, 1, 0, 1};
    assert_memory_equal(d->y, y, sizeof y);
    float row0[] = {1, 0, 0, 1, 0, 0, 1, 0, 0};
    assert_int_equal(d->p, 9);
    assert_memory_equal(d->x, row0, sizeof row0);
    /* a word that does not recur: a header, as before */
    assert_int_equal(tread(&c, ".data", "buying,doors,persons,class\n"
                                        "low,2,4,acc\nvhigh,3,more,unacc\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->n, 2);
    assert_string_equal(c.d->feature_names[0], "buying=low");
    /* every name recurs but the label: still a header */
    assert_int_equal(tread(&c, ".data", "vhigh,5more,more,class\n"
                                        "low,2,4,acc\nvhigh,5more,more,unacc\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->n, 2);
    /* the user asked for a header, or named a column: a header */
    c.o.header = 1;
    assert_int_equal(tread(&c, ".data", t), FSNSA_OK);
    assert_int_equal(c.d->n, 3);
    c.o.header = -1;
    c.o.label_column = "unacc";
    assert_int_equal(tread(&c, ".data", t), FSNSA_OK);
    assert_int_equal(c.d->n, 3);
    c.o.label_column = NULL;
    tcx_done(&c);
}

/* The real thing: car.data shuffled by several seeds reads all 1728 rows
 * and 21 one-hot columns, whatever row comes first. */
static void test_shuffled_car(void **state)
{
    (void)state;
    const char *ds = tu_datasets();
    if (ds == NULL)
        skip();
    char src[600];
    snprintf(src, sizeof src, "%s/car/car.data", ds);
    FILE *f = fopen(src, "r");
    assert_non_null(f);
    char *lines[1800];
    size_t n = 0;
    char buf[256];
    while (n < 1800 && fgets(buf, sizeof buf, f) != NULL)
        if (buf[0] != '\n')
            lines[n++] = strdup(buf);
    fclose(f);
    assert_int_equal(n, 1728);
    size_t idx[1728], header_like = 0;
    tcx c;
    tcx_init(&c);
    for (uint64_t seed = 1; seed <= 40; seed++) {
        for (size_t i = 0; i < n; i++)
            idx[i] = i;
        fsnsa_rng r;
        fsnsa_rng_seed(&r, seed);
        fsnsa_rng_shuffle(&r, idx, n);
        /* the case of the issue: a first row with words over numbers */
        header_like += strstr(lines[idx[0]], "5more") != NULL ||
                       strstr(lines[idx[0]], "more,") != NULL;
        text t = {0};
        for (size_t i = 0; i < n; i++)
            put(&t, "%s", lines[idx[i]]);
        assert_int_equal(tread(&c, ".data", t.s), FSNSA_OK);
        free(t.s);
        assert_int_equal(c.d->n, 1728);
        assert_int_equal(c.d->p, 21);
        assert_null(c.d->schema.label_name);
        assert_int_equal(c.n_warned, 0);
    }
    assert_true(header_like >= 10);
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    tcx_done(&c);
}

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/fsnsa-table-XXXXXX");
    return mkdtemp(dir) == NULL ? -1 : 0;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_na_default_tokens),
        cmocka_unit_test(test_na_values_option),
        cmocka_unit_test(test_na_declared_values),
        cmocka_unit_test(test_na_and_thousands_against_pandas),
        cmocka_unit_test(test_thousands_separators),
        cmocka_unit_test(test_many_values_warning),
        cmocka_unit_test(test_mixed_column_over_limit),
        cmocka_unit_test(test_index_column),
        cmocka_unit_test(test_labels_not_classes),
        cmocka_unit_test(test_ignore_columns),
        cmocka_unit_test(test_arff_ignore_and_text),
        cmocka_unit_test(test_ambiguous_label_name),
        cmocka_unit_test(test_header_words_recur),
        cmocka_unit_test(test_shuffled_car),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}

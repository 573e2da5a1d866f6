/* The data readers on small files written here: every format, detection
 * rule, encoding and bad-input case of docs/data.md, with the error code
 * and the file:line:column of each message checked. */
#include "testutil.h"

#include <math.h>
#include <zlib.h>

typedef struct {
    char path[128];
    fsnsa_read_options o;
    fsnsa_dataset *d;
    fsnsa_error err;
} ctx;

static void cx_init(ctx *c)
{
    memset(c, 0, sizeof *c);
    fsnsa_read_options_default(&c->o);
}

static fsnsa_status rd(ctx *c, const char *suffix, const char *text)
{
    fsnsa_dataset_free(c->d);
    c->d = NULL;
    memset(&c->err, 0, sizeof c->err);
    if (c->path[0])
        unlink(c->path); /* the previous call's file */
    tu_write_text(c->path, sizeof c->path, suffix, text);
    fsnsa_status st = fsnsa_dataset_read(c->path, &c->o, &c->d, &c->err);
    if (st == FSNSA_OK)
        assert_non_null(c->d);
    else
        assert_null(c->d);
    return st;
}

static void cx_done(ctx *c)
{
    fsnsa_dataset_free(c->d);
    c->d = NULL;
    unlink(c->path);
}

/* The message names the file and contains `where` (e.g. ":3:2:"). */
static void expect_fail(ctx *c, const char *suffix, const char *text,
                        fsnsa_status code, const char *where)
{
    fsnsa_status st = rd(c, suffix, text);
    if (st != code || strstr(c->err.msg, where) == NULL ||
        strncmp(c->err.msg, c->path, strlen(c->path)) != 0) {
        print_error("status %d (want %d), message '%s' (want '%s')\n", (int)st,
                    (int)code, c->err.msg, where);
        fail();
    }
    unlink(c->path);
}

static void test_csv_header_and_string_labels(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".csv", "a,b,class\n1,2,yes\n3,4.5,no\n-1e2,.5,yes\n"),
                     FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->n, 3);
    assert_int_equal(d->p, 2);
    assert_true(d->has_labels);
    assert_string_equal(d->feature_names[0], "a");
    assert_string_equal(d->feature_names[1], "b");
    assert_string_equal(d->schema.label_name, "class");
    assert_int_equal(d->schema.n_classes, 2);
    /* words: order of first appearance */
    assert_string_equal(d->schema.class_names[0], "yes");
    assert_string_equal(d->schema.class_names[1], "no");
    assert_int_equal(d->y[0], 0);
    assert_int_equal(d->y[1], 1);
    assert_int_equal(d->y[2], 0);
    assert_true(d->x[2] == 3.0f && d->x[3] == 4.5f);
    assert_true(d->x[4] == -100.0f && d->x[5] == 0.5f);
    assert_string_equal(d->source, c.path);
    assert_int_equal(d->schema.p, 2);
    assert_int_equal(d->schema.n_columns, 2);
    cx_done(&c);
}

static void test_numeric_labels_sorted(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    /* ISOLET writes "1."; "2" and "2.0" are one class */
    assert_int_equal(rd(&c, ".data", "0.1, 0.2, 10.\n0.3, 0.4, 2\n0.5, 0.6, 1.\n"
                                     "0.7, 0.8, 2.0\n"),
                     FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->p, 2);
    assert_int_equal(d->schema.n_classes, 3);
    assert_string_equal(d->schema.class_names[0], "1.");
    assert_string_equal(d->schema.class_names[1], "2");
    assert_string_equal(d->schema.class_names[2], "10.");
    int32_t want[] = {2, 1, 0, 1};
    assert_memory_equal(d->y, want, sizeof want);
    assert_true(d->x[0] == 0.1f && d->x[7] == 0.8f);
    cx_done(&c);
}

static void test_one_hot(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    /* doors holds numbers and words, like Car's "2, 3, 4, 5more" */
    assert_int_equal(rd(&c, ".csv", "vhigh,2,1.5,unacc\nlow,5more,2,acc\n"
                                    "vhigh,4,3,acc\nmed,2,4,good\n"),
                     FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->schema.n_columns, 3);
    assert_int_equal(d->p, 3 + 3 + 1);
    const char *names[] = {"x0=vhigh", "x0=low", "x0=med", "x1=2",
                           "x1=5more", "x1=4", "x2"};
    for (int j = 0; j < 7; j++)
        assert_string_equal(d->feature_names[j], names[j]);
    assert_int_equal(d->schema.columns[0].kind, FSNSA_COL_NOMINAL);
    assert_int_equal(d->schema.columns[1].n_values, 3);
    assert_string_equal(d->schema.columns[1].values[1], "5more");
    assert_int_equal(d->schema.columns[2].kind, FSNSA_COL_NUMERIC);
    float row1[] = {0, 1, 0, 0, 1, 0, 2};
    assert_memory_equal(d->x + 7, row1, sizeof row1);
    assert_int_equal(d->schema.n_classes, 3);
    cx_done(&c);
}

static void test_stray_word_in_numeric_column(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    char text[8192];
    size_t k = 0;
    for (int i = 0; i < 80; i++)
        k += (size_t)snprintf(text + k, sizeof text - k, "%d,%g,%c\n", i,
                              i * 0.37, i % 2 ? 'a' : 'b');
    /* row 41 (line 41) column 2 holds a word */
    char *line = text;
    for (int i = 0; i < 40; i++)
        line = strchr(line, '\n') + 1;
    char *comma = strchr(line, ',') + 1;
    memcpy(comma, "ab?", 3);
    comma[2] = 'c';
    expect_fail(&c, ".csv", text, FSNSA_ERR_PARSE, ":41:2: expected a number");
    assert_non_null(strstr(c.err.msg, "abc"));
    cx_done(&c);
}

static void test_delimiters(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".tsv", "1\t2\ta\n3\t4\tb\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    assert_int_equal(rd(&c, ".csv", "1;5;2;a\n3;5;4;b\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 3); /* semicolons */
    /* runs of blanks, fixed width (mfeat) */
    assert_int_equal(rd(&c, ".txt", "   98  236    1\n  121  193    2\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    assert_true(c.d->x[2] == 121.0f);
    c.o.delimiter = '|';
    assert_int_equal(rd(&c, ".txt", "1|2|a\n3|4|b\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    c.o.delimiter = '"';
    assert_int_equal(rd(&c, ".txt", "1|2|a\n3|4|b\n"), FSNSA_ERR_ARG);
    cx_done(&c);
}

/* The delimiter is the first data row's when the header's names hold
 * the other one, so the header splits as the rows do. */
static void test_delimiter_from_header_and_row(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    /* the header alone has as many ',' as ';' */
    assert_int_equal(rd(&c, ".csv", "L\xc3\xa4nge, cm;Breite, cm;Klasse\n"
                                    "1,5;2,25;ja\n-0,5;3;nein\n"),
                     FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->p, 2);
    assert_string_equal(d->feature_names[0], "L\xc3\xa4nge, cm");
    assert_string_equal(d->feature_names[1], "Breite, cm");
    assert_true(d->x[0] == 1.5f && d->x[1] == 2.25f && d->x[2] == -0.5f);
    /* a header naming the feature columns only */
    assert_int_equal(rd(&c, ".csv", "mass, g;height, cm\n1,5;2;yes\n3;4;no\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    assert_string_equal(c.d->feature_names[1], "height, cm");
    /* a header that the row's delimiter does not split like the row keeps
     * its own ("a,b,c" over "1;2;3" is one field per row) */
    expect_fail(&c, ".csv", "a,b,c\n1;2;3\n4;5;6\n", FSNSA_ERR_PARSE,
                ":2:2: expected 3 fields, found 1");
    /* a ';' line after a ',' header was passed over as a comment: no
     * switch to ';', which would lose it as a row */
    expect_fail(&c, ".csv", "a,b;c,d;e\n;x;y\n1;2;z\n3;4;w\n",
                FSNSA_ERR_PARSE, ":3:2: expected 3 fields, found 1");
    cx_done(&c);
}

static void test_quoted_fields(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".csv", "name,\"x y\",label\n\"p, q\",1,A\n"
                                    "\"r \"\"s\"\"\",2,B\n\"p, q\", 3 ,\"A\"\n"),
                     FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->p, 3);
    assert_string_equal(d->schema.columns[0].values[0], "p, q");
    assert_string_equal(d->schema.columns[0].values[1], "r \"s\"");
    assert_string_equal(d->feature_names[2], "x y");
    assert_int_equal(d->schema.n_classes, 2);
    assert_true(d->x[3 * 2 + 2] == 3.0f);
    expect_fail(&c, ".csv", "1,2,a\n3,\"4,b\n", FSNSA_ERR_PARSE,
                ":2:2: unterminated");
    expect_fail(&c, ".csv", "1,2,a\n3,\"4\"x,b\n", FSNSA_ERR_PARSE,
                ":2:2: text after");
    cx_done(&c);
}

/* RFC 4180: a quoted field may hold line breaks, blank lines and lines
 * that would be comments outside it; a record's messages name its first
 * line; an unclosed field is reported at the line it opened on. */
static void test_quoted_fields_span_lines(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".csv", "\"long\nname\",x,label\n"
                                    "\"one\n\n# two\",1,A\n"
                                    "\"say \"\"hi\"\"\nthere\",2,B\n"
                                    "plain,3,A\n"),
                     FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->n, 3);
    assert_string_equal(d->schema.columns[0].name, "long\nname");
    assert_string_equal(d->schema.columns[0].values[0], "one\n\n# two");
    assert_string_equal(d->schema.columns[0].values[1], "say \"hi\"\nthere");
    assert_string_equal(d->schema.columns[0].values[2], "plain");
    assert_true(d->x[2 * 4 + 3] == 3.0f);
    int32_t y[] = {0, 1, 0};
    assert_memory_equal(d->y, y, sizeof y);
    /* tab-separated too; the row after a 3-line record is line 5 */
    assert_int_equal(rd(&c, ".tsv", "a\tb\n\"x\ny\nz\"\t1\nq\t2\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->n, 2);
    assert_string_equal(c.d->schema.columns[0].values[0], "x\ny\nz");
    expect_fail(&c, ".csv", "a,b,c\nq,1,A\n\"x\ny\",1\n", FSNSA_ERR_PARSE,
                ":3:3: expected 3 fields, found 2");
    expect_fail(&c, ".csv", "a,b,c\n\"x\ny\",1,A\nq,,B\n", FSNSA_ERR_PARSE,
                ":4:2: missing value");
    expect_fail(&c, ".csv", "1,2,a\n3,\"4,b\n5,6,c\n", FSNSA_ERR_PARSE,
                ":2:2: unterminated");
    /* a quote inside an unquoted field opens nothing */
    c.o.delimiter = ',';
    assert_int_equal(rd(&c, ".csv", "5\",A\n6\",B\n7,A\n"), FSNSA_OK);
    assert_int_equal(c.d->n, 3);
    assert_string_equal(c.d->schema.columns[0].values[0], "5\"");
    c.o.delimiter = 0;
    cx_done(&c);
}

static void test_uci_comments_short_header(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    c.o.label_column = "first";
    /* the layout of UCI's segmentation.data */
    const char *seg = ";;; -*- Mode:Common-Lisp; Base:10 -*-\n"
                      ";;; *-* Last-edit: 11/21/90 by Brodley; *-* \n\n"
                      "REGION-A,REGION-B,C\n\n"
                      "BRICKFACE,140.0,125.0,9\nSKY,188.0,133.0,9\n"
                      "# a comment\nBRICKFACE,1,2,9\n";
    assert_int_equal(rd(&c, ".data", seg), FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->n, 3);
    assert_int_equal(d->p, 3);
    assert_string_equal(d->feature_names[0], "REGION-A");
    assert_string_equal(d->feature_names[2], "C");
    assert_null(d->schema.label_name);
    assert_string_equal(d->schema.class_names[0], "BRICKFACE");
    assert_int_equal(d->y[1], 1);
    assert_true(d->x[3] == 188.0f);
    /* a label name cannot be looked up in a header of features only */
    c.o.label_column = "class";
    expect_fail(&c, ".data", seg, FSNSA_ERR_PARSE, ":4:1: label column 'class'");
    cx_done(&c);
}

static void test_label_column_choices(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    const char *t = "a,b,c\nx,1,2\ny,3,4\n";
    c.o.label_column = "0";
    assert_int_equal(rd(&c, ".csv", t), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    assert_string_equal(c.d->schema.label_name, "a");
    c.o.label_column = "b";
    assert_int_equal(rd(&c, ".csv", t), FSNSA_OK);
    assert_string_equal(c.d->schema.label_name, "b");
    assert_string_equal(c.d->schema.class_names[0], "1");
    assert_int_equal(c.d->schema.columns[0].kind, FSNSA_COL_NOMINAL);
    c.o.label_column = "C"; /* names match case-insensitively second */
    assert_int_equal(rd(&c, ".csv", t), FSNSA_OK);
    assert_string_equal(c.d->schema.label_name, "c");
    c.o.label_column = "none";
    assert_int_equal(rd(&c, ".csv", t), FSNSA_OK);
    assert_false(c.d->has_labels);
    assert_int_equal(c.d->p, 4); /* x, y one-hot + 2 numbers */
    assert_int_equal(c.d->y[0], -1);
    assert_int_equal(c.d->schema.n_classes, 0);
    c.o.label_column = "3";
    expect_fail(&c, ".csv", t, FSNSA_ERR_PARSE, ":1:4: label column 3 does not exist");
    c.o.label_column = "zz";
    expect_fail(&c, ".csv", t, FSNSA_ERR_PARSE, ":1:1: label column 'zz' does not exist");
    c.o.label_column = "zz";
    expect_fail(&c, ".csv", "1,2\n3,4\n", FSNSA_ERR_PARSE, "no header row");
    cx_done(&c);
}

static void test_header_option(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    /* all words: not detected, but forced */
    const char *t = "color,size\nred,a\nblue,b\n";
    assert_int_equal(rd(&c, ".csv", t), FSNSA_OK);
    assert_int_equal(c.d->n, 3);
    c.o.header = 1;
    assert_int_equal(rd(&c, ".csv", t), FSNSA_OK);
    assert_int_equal(c.d->n, 2);
    assert_string_equal(c.d->feature_names[0], "color=red");
    assert_string_equal(c.d->schema.label_name, "size");
    c.o.header = 0;
    assert_int_equal(rd(&c, ".csv", "a,b\n1,x\n2,y\n"), FSNSA_OK);
    assert_int_equal(c.d->n, 3);
    c.o.header = 1;
    expect_fail(&c, ".csv", "a,b\n", FSNSA_ERR_PARSE, ":2:1: no data rows");
    expect_fail(&c, ".csv", "a,b,c,d\n1,2\n3,4\n", FSNSA_ERR_PARSE,
                ":1:3: the header has 4 fields");
    c.o.header = 7;
    assert_int_equal(rd(&c, ".csv", "1,2\n"), FSNSA_ERR_ARG);
    cx_done(&c);
}

static void test_missing_values(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    const char *t = "a,b,c,y\n1,2,u,p\n3,?,v,q\n,NaN,?,p\n";
    expect_fail(&c, ".csv", t, FSNSA_ERR_PARSE, ":3:2: missing value in column 'b'");
    c.o.missing = FSNSA_MISSING_MEAN;
    assert_int_equal(rd(&c, ".csv", t), FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->p, 4);
    assert_true(isnan(d->x[1 * 4 + 1]));
    assert_true(isnan(d->x[2 * 4 + 0]) && isnan(d->x[2 * 4 + 1]));
    /* missing nominal: NaN in each indicator */
    assert_true(isnan(d->x[2 * 4 + 2]) && isnan(d->x[2 * 4 + 3]));
    assert_true(d->x[2] == 1.0f && d->x[3] == 0.0f);
    /* imputation by the scaler then fills them */
    fsnsa_scaler s;
    fsnsa_error err;
    assert_int_equal(fsnsa_scaler_fit(d, FSNSA_SCALE_NONE, &s, &err), 0);
    fsnsa_scaler_impute(&s, FSNSA_MISSING_MEAN, d);
    assert_true(d->x[8] == 2.0f);
    fsnsa_scaler_clear(&s);
    /* a missing label is always an error */
    expect_fail(&c, ".csv", "1,a\n2,?\n3,b\n", FSNSA_ERR_PARSE, ":2:2: missing label");
    cx_done(&c);
}

static void test_bad_rows_and_files(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    expect_fail(&c, ".csv", "1,2,a\n3,4,b\n5,6\n", FSNSA_ERR_PARSE,
                ":3:3: expected 3 fields, found 2");
    expect_fail(&c, ".csv", "1,2,a\n3,4,b,9\n", FSNSA_ERR_PARSE,
                ":2:4: expected 3 fields, found 4");
    expect_fail(&c, ".csv", "", FSNSA_ERR_PARSE, ":1:1: the file is empty");
    expect_fail(&c, ".csv", "\n# only a comment\n\n", FSNSA_ERR_PARSE, ":3:1: no data");
    expect_fail(&c, ".csv", "1,a\n2,a\n3,a\n", FSNSA_ERR_PARSE,
                ":3:2: every row has the class 'a'");
    expect_fail(&c, ".csv", "1,2,a\n3,1e99,b\n", FSNSA_ERR_PARSE,
                ":2:2: '1e99' is out of the float range");
    expect_fail(&c, ".csv", "a\nb\n", FSNSA_ERR_PARSE, "no feature columns");
    /* not text */
    char path[128];
    const char bin[] = "MATLAB 5.0\n\x01\x02\x00\x00\x10zz";
    tu_write_file(path, sizeof path, ".csv", bin, sizeof bin - 1);
    fsnsa_dataset *d = NULL;
    fsnsa_error err;
    assert_int_equal(fsnsa_dataset_read(path, NULL, &d, &err), FSNSA_ERR_PARSE);
    assert_non_null(strstr(err.msg, ":2:3: not a text file"));
    assert_null(d);
    unlink(path);
    assert_int_equal(fsnsa_dataset_read("/nonexistent/x.csv", NULL, &d, &err),
                     FSNSA_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/x.csv: cannot open"));
    cx_done(&c);
}

static void test_long_line(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    size_t n = 2000000;
    char *t = malloc(n + 32);
    assert_non_null(t);
    strcpy(t, "1,2,a\n");
    memset(t + 6, '7', n);
    strcpy(t + 6 + n, ",1,b\n");
    /* the limit is 32 bytes a column allowed, at least 1 MiB (the
     * defaults' limit is tested in tests/test_encodings.c) */
    c.o.max_cols = 1000;
    expect_fail(&c, ".csv", t, FSNSA_ERR_LIMIT, ":2:1048577: line longer than");
    /* a quote never closed, over short lines: stopped at the same size,
     * reported where it opened */
    strcpy(t, "1,2,a\n3,\"open\n");
    for (size_t i = strlen(t); i + 7 <= n; i += 7)
        memcpy(t + i, "aaaaaa\n", 8);
    expect_fail(&c, ".csv", t, FSNSA_ERR_LIMIT,
                ":2:1: a quoted field runs over more than 1048576 bytes");
    c.o.max_cols = 0;
    /* a long but legal line (600 KB) is fine */
    size_t k = 0;
    for (int row = 0; row < 2; row++) {
        for (int j = 0; j < 100000; j++)
            k += (size_t)sprintf(t + k, "%d,", j % 7);
        k += (size_t)sprintf(t + k, "%c\n", row ? 'b' : 'a');
    }
    assert_int_equal(rd(&c, ".csv", t), FSNSA_OK);
    assert_int_equal(c.d->p, 100000);
    free(t);
    cx_done(&c);
}

static void test_crlf_and_no_final_newline(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".csv", "a,b\r\n1,x\r\n2,y"), FSNSA_OK);
    assert_int_equal(c.d->n, 2);
    assert_string_equal(c.d->schema.class_names[1], "y");
    cx_done(&c);
}

static void test_gzip(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/gz.data.gz", tu_scratch_dir());
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    for (int i = 0; i < 5000; i++)
        gzprintf(gz, "%.4f, %.4f, %d.\n", i * 0.001, -i * 0.002, i % 3 + 1);
    assert_int_equal(gzclose(gz), Z_OK);
    fsnsa_dataset *d = NULL;
    fsnsa_error err;
    assert_int_equal(fsnsa_dataset_read(path, NULL, &d, &err), FSNSA_OK);
    assert_int_equal(d->n, 5000);
    assert_int_equal(d->p, 2);
    assert_int_equal(d->schema.n_classes, 3);
    assert_string_equal(d->schema.class_names[2], "3.");
    assert_true(fabsf(d->x[2 * 4999 + 1] - (-9.998f)) < 1e-5f);
    fsnsa_dataset_free(d);
    /* a damaged gzip stream: an error, not a crash */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, 200, SEEK_SET);
    for (int i = 0; i < 64; i++)
        fputc(0x55, f);
    fclose(f);
    fsnsa_status st = fsnsa_dataset_read(path, NULL, &d, &err);
    assert_true(st == FSNSA_ERR_IO || st == FSNSA_ERR_PARSE);
    assert_null(d);
    unlink(path);
}

static void test_labels_file(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    char lp[128];
    tu_write_text(lp, sizeof lp, ".labels", "0\n0\n1\n");
    c.o.labels_file = lp;
    assert_int_equal(rd(&c, "", "  98  236\n 121  193\n 115  141\n"), FSNSA_OK);
    assert_int_equal(c.d->n, 3);
    assert_int_equal(c.d->p, 2);
    assert_true(c.d->has_labels);
    assert_int_equal(c.d->y[2], 1);
    unlink(lp);
    /* errors name the labels file */
    static const char *const bad[][2] = {
        {"0\n1\n", ":3:1: 2 labels for the 3 rows"},
        {"0\n\n1\n0\n", ":2:1: empty label"},
        {"0\n1\n0\n1\n", ":4:1: more labels"},
        {"0\n0\n0\n", ":3:1: every row has the class '0'"},
    };
    for (size_t i = 0; i < 4; i++) {
        tu_write_text(lp, sizeof lp, ".labels", bad[i][0]);
        assert_int_equal(rd(&c, "", "1 2\n3 4\n5 6\n"), FSNSA_ERR_PARSE);
        assert_non_null(strstr(c.err.msg, bad[i][1]));
        assert_int_equal(strncmp(c.err.msg, lp, strlen(lp)), 0);
        unlink(lp);
    }
    c.o.label_column = "last";
    assert_int_equal(rd(&c, ".csv", "1,2\n"), FSNSA_ERR_ARG);
    unlink(lp);
    cx_done(&c);
}

/* Train-time schema from one file, then predict-time files against it. */
static void test_predict_with_schema(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".csv", "color,w,cls\nred,1,A\nblue,2,B\nred,3,A\n"),
                     FSNSA_OK);
    fsnsa_dataset *train = c.d;
    c.d = NULL;
    c.o.schema = &train->schema;
    /* same columns, rows in another order: same encoding */
    assert_int_equal(rd(&c, ".csv", "color,w,cls\nblue,5,B\nred,6,A\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 3);
    float want[] = {0, 1, 5, 1, 0, 6};
    assert_memory_equal(c.d->x, want, sizeof want);
    assert_int_equal(c.d->y[0], 1);
    assert_string_equal(c.d->feature_names[1], "color=blue");
    assert_int_equal(c.d->schema.n_classes, 2);
    /* a single class is fine when predicting */
    assert_int_equal(rd(&c, ".csv", "blue,5,B\nblue,6,B\n"), FSNSA_OK);
    /* no label column: unlabeled */
    assert_int_equal(rd(&c, ".csv", "color,w\nblue,5\nred,6\n"), FSNSA_OK);
    assert_false(c.d->has_labels);
    assert_int_equal(c.d->y[1], -1);
    c.o.label_column = "none";
    assert_int_equal(rd(&c, ".csv", "blue,5\nred,6\n"), FSNSA_OK);
    assert_false(c.d->has_labels);
    c.o.label_column = NULL;
    expect_fail(&c, ".csv", "color,w,cls\nblue,5,B\ngreen,6,A\n", FSNSA_ERR_PARSE,
                ":3:1: unknown value 'green' in column 'color'");
    expect_fail(&c, ".csv", "color,w,cls\nblue,5,B\nred,6,C\n", FSNSA_ERR_PARSE,
                ":3:3: unknown class 'C'");
    expect_fail(&c, ".csv", "color,w,cls\nblue,x,B\n", FSNSA_ERR_PARSE,
                ":2:2: expected a number in column 'w'");
    expect_fail(&c, ".csv", "blue,5,B,1\nred,6,A,1\n", FSNSA_ERR_PARSE,
                "rows have 4 fields; the model expects 2");
    expect_fail(&c, ".csv", "shade,w,cls\nblue,5,B\n", FSNSA_ERR_PARSE,
                ":1:1: column 'shade' is 'color' in the model");
    fsnsa_dataset_free(train);
    cx_done(&c);
}

static void test_numbers(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".csv", "1e3,-.5,+2.,  7  ,0.1,a\n"
                                    "1E-3,-0,123456789012345678901234,3.4028234e38,"
                                    "0.30000000000000004,b\n"),
                     FSNSA_OK);
    const float *x = c.d->x;
    assert_true(x[0] == 1000.0f && x[1] == -0.5f && x[2] == 2.0f && x[3] == 7.0f);
    assert_true(x[4] == 0.1f);
    assert_true(x[5] == 0.001f && x[6] == 0.0f);
    assert_true(x[7] == 123456789012345678901234.0f);
    assert_true(x[8] == 3.4028234e38f && x[9] == 0.3f);
    /* hex, inf and a lone sign are words */
    assert_int_equal(rd(&c, ".csv", "0x10,a\ninf,b\n-,a\n"), FSNSA_OK);
    assert_int_equal(c.d->schema.columns[0].kind, FSNSA_COL_NOMINAL);
    cx_done(&c);
}

/* ---- decimal commas (docs/data.md, "Decimal commas") ---- */

/* Excel's European export: ';', decimal commas, a header, a nominal
 * column, missing values; the mark is found in the data. */
static void test_decimal_comma_auto(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(c.o.decimal, 0); /* the default: from the data */
    c.o.missing = FSNSA_MISSING_MEAN;
    assert_int_equal(rd(&c, ".csv", "Gewicht;Farbe;Temp;Klasse\n"
                                    "1,5;rot;-0,25;ja\n"
                                    "2;blau;1,5e-3;nein\n"
                                    "-12,125;rot;;ja\n"
                                    "0,30000000000000004;?;+3,5E2;nein\n"),
                     FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->n, 4); /* the header was seen as one */
    assert_string_equal(d->feature_names[0], "Gewicht");
    assert_string_equal(d->schema.label_name, "Klasse");
    assert_int_equal(d->schema.columns[0].kind, FSNSA_COL_NUMERIC);
    assert_int_equal(d->schema.columns[1].kind, FSNSA_COL_NOMINAL);
    assert_int_equal(d->schema.columns[2].kind, FSNSA_COL_NUMERIC);
    assert_int_equal(d->p, 4); /* Gewicht, Farbe=rot, Farbe=blau, Temp */
    assert_true(d->x[0] == 1.5f && d->x[3] == -0.25f);
    assert_true(d->x[4] == 2.0f && d->x[7] == 1.5e-3f);
    assert_true(d->x[8] == -12.125f && isnan(d->x[11]));
    assert_true(d->x[12] == 0.3f && d->x[15] == 350.0f); /* strtod path */
    assert_true(isnan(d->x[13]) && isnan(d->x[14]));
    assert_string_equal(d->schema.class_names[1], "nein");
    /* no header: the first row is data (a number over a number) */
    assert_int_equal(rd(&c, ".csv", "1,5;2;a\n3,5;4;b\n"), FSNSA_OK);
    assert_int_equal(c.d->n, 2);
    assert_int_equal(c.d->p, 2);
    assert_true(c.d->x[0] == 1.5f && c.d->x[2] == 3.5f);
    /* a header over decimal commas only: still a header */
    assert_int_equal(rd(&c, ".csv", "x;y;k\n0,5;1,25;a\n2,5;3,75;b\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->n, 2);
    assert_string_equal(c.d->feature_names[1], "y");
    assert_true(c.d->x[1] == 1.25f && c.d->x[3] == 3.75f);
    /* "1,5;2,25;yes" has as many ',' as ';': ';' since the commas are all
     * decimal commas; a label with a decimal comma is a class name */
    assert_int_equal(rd(&c, ".csv", "1,5;2,25;yes\n-1,5;2;no\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    assert_true(c.d->x[1] == 2.25f && c.d->x[2] == -1.5f);
    /* integers only say nothing: a decimal comma on the last line */
    assert_int_equal(rd(&c, ".csv", "1;2;a\n3;4;b\n5;6,5;a\n"), FSNSA_OK);
    assert_int_equal(c.d->schema.columns[1].kind, FSNSA_COL_NUMERIC);
    assert_true(c.d->x[5] == 6.5f);
    /* "1," and ",5" are words, not numbers */
    c.o.delimiter = ';';
    c.o.header = 0;
    assert_int_equal(rd(&c, ".csv", "1,;,5;a\n2,5;3;b\n"), FSNSA_OK);
    assert_int_equal(c.d->schema.columns[0].kind, FSNSA_COL_NOMINAL);
    assert_int_equal(c.d->schema.columns[1].kind, FSNSA_COL_NOMINAL);
    assert_string_equal(c.d->schema.columns[0].values[1], "2.5");
    cx_done(&c);
}

/* Tab-separated and blank-separated files with decimal commas, and files
 * with decimal points read as always. */
static void test_decimal_comma_tab_blanks(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".tsv", "a\tb\tk\n1,5\t-2,75\tx\n3\t4,5e1\ty\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->n, 2);
    assert_int_equal(c.d->p, 2);
    assert_true(c.d->x[0] == 1.5f && c.d->x[1] == -2.75f && c.d->x[3] == 45.0f);
    /* blanks: "1,5 2,25 yes" has commas only in numbers */
    assert_int_equal(rd(&c, ".txt", "1,5  2,25 yes\n 0,5 1 no\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    assert_true(c.d->x[0] == 1.5f && c.d->x[1] == 2.25f && c.d->x[2] == 0.5f);
    /* ", " separators (ISOLET) stay ',' */
    assert_int_equal(rd(&c, ".data", "0.5, 1, 2.\n1.5, 3, 1.\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    assert_true(c.d->x[2] == 1.5f);
    /* a ',' delimiter never has decimal commas */
    assert_int_equal(rd(&c, ".csv", "1,5,a\n2,6,b\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    assert_true(c.d->x[1] == 5.0f);
    /* decimal points with ';': as always, and "1,234.5" stays a word */
    assert_int_equal(rd(&c, ".csv", "1.5;2;1,234.5;a\n-0.25;3;7,000.5;b\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->p, 4);
    assert_true(c.d->x[0] == 1.5f && c.d->x[4] == -0.25f);
    assert_int_equal(c.d->schema.columns[2].kind, FSNSA_COL_NOMINAL);
    assert_string_equal(c.d->schema.columns[2].values[0], "1,234.5");
    cx_done(&c);
}

/* decimal = ',' or '.' given by the caller. */
static void test_decimal_explicit(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    /* '.': "1,5" is a word among words; in a column of numbers with
     * commas that are not thousands separators it is refused */
    c.o.decimal = '.';
    assert_int_equal(rd(&c, ".csv", "1,5;2;a\nx;4;b\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 3);
    assert_int_equal(c.d->schema.columns[0].kind, FSNSA_COL_NOMINAL);
    assert_string_equal(c.d->schema.columns[0].values[0], "1,5");
    expect_fail(&c, ".csv", "1,5;2;a\n3,5;4;b\n", FSNSA_ERR_PARSE,
                ":1:1: '1,5' in column 'x0' is not a number: the decimal mark "
                "is '.', and its commas are not thousands separators");
    /* ',': no comma counts for the delimiter, so this line is blanks */
    c.o.decimal = ',';
    assert_int_equal(rd(&c, ".txt", "1,5 2 a\n3 4,25 b\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    assert_true(c.d->x[0] == 1.5f && c.d->x[3] == 4.25f);
    assert_int_equal(rd(&c, ".csv", "a;b;k\n1,5;2;x\n3;4;y\n"), FSNSA_OK);
    assert_int_equal(c.d->n, 2);
    assert_true(c.d->x[0] == 1.5f);
    expect_fail(&c, ".csv", "a;b;k\n1;2;x\n3;4.5;y\n", FSNSA_ERR_PARSE,
                ":3:2: '4.5' has a decimal point, but the decimal mark is ','");
    /* ',' with a ',' delimiter, given or implied by UCI, is refused */
    c.o.delimiter = ',';
    assert_int_equal(rd(&c, ".csv", "1;2;x\n3;4;y\n"), FSNSA_ERR_ARG);
    assert_non_null(strstr(c.err.msg, "delimiter other than ','"));
    c.o.delimiter = 0;
    c.o.format = FSNSA_FORMAT_UCI;
    assert_int_equal(rd(&c, ".data", "1;2;x\n3;4;y\n"), FSNSA_ERR_ARG);
    c.o.delimiter = ';';
    assert_int_equal(rd(&c, ".data", "1;2,5;x\n3;4;y\n"), FSNSA_OK);
    assert_true(c.d->x[1] == 2.5f);
    c.o.format = FSNSA_FORMAT_AUTO;
    c.o.decimal = 'x';
    assert_int_equal(rd(&c, ".csv", "1;2;x\n3;4;y\n"), FSNSA_ERR_ARG);
    cx_done(&c);
}

/* Both marks in one file, thousands separators: errors naming the place. */
static void test_decimal_mixed_and_thousands(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    expect_fail(&c, ".csv", "a;b;k\n1,5;2;x\n3;2.5;y\n", FSNSA_ERR_PARSE,
                ":3:2: '2.5' has a decimal point, but '1,5' (line 2, column "
                "1) has a decimal comma");
    expect_fail(&c, ".csv", "a;b;k\n1.5;2;x\n3;2,5;y\n", FSNSA_ERR_PARSE,
                ":3:2: '2,5' has a decimal comma, but '1.5' (line 2, column "
                "1) has a decimal point");
    /* a word with a decimal comma in a file of decimal points */
    expect_fail(&c, ".tsv", "1.5\tp\tx\n3\tq\ty\n4\t2,5\tx\n",
                FSNSA_ERR_PARSE, ":3:2: '2,5' has a decimal comma");
    expect_fail(&c, ".csv", "a;b;k\n1,5;2;x\n3;1.234,5;y\n", FSNSA_ERR_PARSE,
                ":3:2: '1.234,5' has thousands separators");
    expect_fail(&c, ".csv", "a;b;k\n1,5;2;x\n3;1.234;y\n", FSNSA_ERR_PARSE,
                ":3:2: '1.234' has thousands separators");
    /* before any decimal comma, "1.234.567" looks like a word... */
    expect_fail(&c, ".csv", "a;b;k\n1.234.567;2;x\n3;2,5;y\n",
                FSNSA_ERR_PARSE, ":2:1: '1.234.567' has thousands separators");
    /* ...and is one in a file of decimal points; so are dates */
    assert_int_equal(rd(&c, ".csv", "a;b;k\n1.234.567;0.5;x\n2;1.5;y\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->schema.columns[0].kind, FSNSA_COL_NOMINAL);
    assert_int_equal(rd(&c, ".csv", "a;b;k\n01.02.2020;0,5;x\n2;1,5;y\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->schema.columns[0].kind, FSNSA_COL_NOMINAL);
    assert_true(c.d->x[2] == 0.5f);
    cx_done(&c);
}

/* A model trained on decimal points reads a decimal-comma file of the
 * same columns, and the other way round. */
static void test_decimal_comma_predict(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".csv", "w,doors,cls\n1.5,2,A\n2.5,2.5,B\n"
                                    "3,more,A\n"),
                     FSNSA_OK);
    fsnsa_dataset *train = c.d;
    c.d = NULL;
    assert_int_equal(train->p, 4); /* w, doors=2, doors=2.5, doors=more */
    c.o.schema = &train->schema;
    /* header named like the model's columns, numbers, a nominal "2,5" */
    assert_int_equal(rd(&c, ".csv", "w;doors;cls\n0,75;2,5;B\n-1,5;more;A\n"),
                     FSNSA_OK);
    float want[] = {0.75f, 0, 1, 0, -1.5f, 0, 0, 1};
    assert_memory_equal(c.d->x, want, sizeof want);
    assert_int_equal(c.d->y[0], 1);
    /* a header detected with the schema over nothing but words */
    assert_int_equal(rd(&c, ".tsv", "w\tdoors\n1,25\tmore\n"), FSNSA_OK);
    assert_int_equal(c.d->n, 1);
    assert_true(c.d->x[0] == 1.25f);
    expect_fail(&c, ".csv", "w;doors;cls\n0,75;2;B\n1.5;2;A\n",
                FSNSA_ERR_PARSE, ":3:1: '1.5' has a decimal point");
    fsnsa_dataset_free(train);
    /* trained on decimal commas: numeric class names merge across marks */
    c.o.schema = NULL;
    assert_int_equal(rd(&c, ".csv", "1,5;2;0,5\n2;3;1,5\n"), FSNSA_OK);
    train = c.d;
    c.d = NULL;
    assert_string_equal(train->schema.class_names[0], "0,5");
    c.o.schema = &train->schema;
    assert_int_equal(rd(&c, ".csv", "1.5,2,1.5\n2,3,0.50\n"), FSNSA_OK);
    assert_int_equal(c.d->y[0], 1);
    assert_int_equal(c.d->y[1], 0);
    fsnsa_dataset_free(train);
    cx_done(&c);
}

static void test_libsvm(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".svm", "+1 1:0.5 3:2 # note\n-1 2:1\n\n+1 qid:3 4:-1\n"),
                     FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->n, 3);
    assert_int_equal(d->p, 4);
    float want[] = {0.5f, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, -1};
    assert_memory_equal(d->x, want, sizeof want);
    assert_string_equal(d->schema.class_names[0], "-1");
    assert_string_equal(d->schema.class_names[1], "+1");
    assert_int_equal(d->y[0], 1);
    assert_string_equal(d->feature_names[3], "4");
    expect_fail(&c, ".svm", "1 1:1\n2 0:1 2:3\n", FSNSA_ERR_PARSE,
                ":2:2: feature index 0");
    expect_fail(&c, ".svm", "1 1:1\n2 3:1 2:3\n", FSNSA_ERR_PARSE,
                ":2:3: feature index 2 after 3");
    expect_fail(&c, ".svm", "1 1:1\n2 1:1 1:3\n", FSNSA_ERR_PARSE,
                ":2:3: feature index 1 after 1");
    expect_fail(&c, ".svm", "1 1:1\n2 1:x\n", FSNSA_ERR_PARSE,
                ":2:2: expected a number");
    expect_fail(&c, ".svm", "1 1:1\n2 a:1\n", FSNSA_ERR_PARSE,
                ":2:2: expected index:value");
    expect_fail(&c, ".svm", "1 1:1\n1:2\n", FSNSA_ERR_PARSE, ":2:1: expected a label");
    expect_fail(&c, ".svm", "1 1:1\n2 99999999999999999999999:1\n", FSNSA_ERR_LIMIT,
                ":2:2: feature index");
    c.o.max_cols = 10;
    expect_fail(&c, ".svm", "1 1:1\n2 11:1\n", FSNSA_ERR_LIMIT, ":2:2: feature index 11");
    c.o.max_cols = 0;
    /* content sniffing without a known extension */
    assert_int_equal(rd(&c, ".dat2", "1 1:1\n2 2:1\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 2);
    cx_done(&c);
}

static void test_libsvm_schema(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".libsvm", "1 1:1 3:1\n2 2:1\n"), FSNSA_OK);
    fsnsa_dataset *train = c.d;
    c.d = NULL;
    c.o.schema = &train->schema;
    assert_int_equal(rd(&c, ".libsvm", "2 1:4\n"), FSNSA_OK);
    assert_int_equal(c.d->p, 3);
    assert_int_equal(c.d->y[0], 1);
    expect_fail(&c, ".libsvm", "2 4:1\n", FSNSA_ERR_PARSE, ":1:2: feature index 4 exceeds");
    expect_fail(&c, ".libsvm", "3 1:1\n", FSNSA_ERR_PARSE, ":1:1: unknown class '3'");
    c.o.label_column = "none";
    assert_int_equal(rd(&c, ".libsvm", "1:4 3:2\n"), FSNSA_OK);
    assert_false(c.d->has_labels);
    fsnsa_dataset_free(train);
    cx_done(&c);
}

static const char *arff =
    "% a comment\n"
    "@RELATION 'test rel'\n"
    "\n"
    "@attribute 'width mm' numeric\n"
    "@Attribute color {red, 'dark blue', green}\n"
    "@ATTRIBUTE n INTEGER\n"
    "@attribute class {b,a,c}\n"
    "@data\n"
    "% data comment\n"
    "1.5, red, 3, a\n"
    "2,'dark blue',4,b\n"
    "{0 7, 1 green, 3 c}\n"
    "{2 9}\n";

static void test_arff(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".arff", arff), FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->n, 4);
    assert_int_equal(d->p, 5);
    assert_string_equal(d->feature_names[0], "width mm");
    assert_string_equal(d->feature_names[2], "color=dark blue");
    assert_string_equal(d->schema.label_name, "class");
    /* the declared class order */
    assert_int_equal(d->schema.n_classes, 3);
    assert_string_equal(d->schema.class_names[0], "b");
    int32_t y[] = {1, 0, 2, 0};
    assert_memory_equal(d->y, y, sizeof y);
    float x[] = {1.5f, 1, 0, 0, 3, 2, 0, 1, 0, 4, 7, 0, 0, 1, 0, 0, 1, 0, 0, 9};
    assert_memory_equal(d->x, x, sizeof x);
    /* label by name; unknown values; damaged headers */
    c.o.label_column = "color";
    assert_int_equal(rd(&c, ".arff", arff), FSNSA_OK);
    assert_int_equal(c.d->p, 2 + 3);
    assert_string_equal(c.d->schema.class_names[1], "dark blue");
    c.o.label_column = NULL;
    expect_fail(&c, ".arff", "@relation r\n@attribute a numeric\n@attribute c {x,y}\n",
                FSNSA_ERR_PARSE, ":4:1: truncated ARFF header");
    expect_fail(&c, ".arff", "@relation r\n@attribute a numeric\n@attrib",
                FSNSA_ERR_PARSE, ":3:1: expected @relation");
    expect_fail(&c, ".arff", "@relation r\n@attribute a text\n@attribute c {x,y}\n@data\n",
                FSNSA_ERR_PARSE, ":2:1: attribute 'a': type 'text' is not supported");
    expect_fail(&c, ".arff",
                "@relation r\n@attribute bag relational\n@attribute c {x,y}\n@data\n",
                FSNSA_ERR_PARSE, ":2:1: attribute 'bag': relational attributes");
    expect_fail(&c, ".arff", "@relation r\n@attribute a numeric\n@attribute c {x,y\n",
                FSNSA_ERR_PARSE, ":3:1: attribute 'c': '{' without '}'");
    expect_fail(&c, ".arff", "@attribute a numeric\n@attribute c {x,y}\n@data\n1,x\n2,z\n",
                FSNSA_ERR_PARSE, ":5:2: unknown class 'z'");
    expect_fail(&c, ".arff", "@attribute a {p,q}\n@attribute c {x,y}\n@data\np,x\nr,y\n",
                FSNSA_ERR_PARSE, ":5:1: unknown value 'r' in column 'a'");
    expect_fail(&c, ".arff", "@attribute a numeric\n@attribute c {x,y}\n@data\n1,x\nq,y\n",
                FSNSA_ERR_PARSE, ":5:1: expected a number in column 'a'");
    expect_fail(&c, ".arff", "@attribute a numeric\n@attribute c {x,y}\n@data\n1,x\n2\n",
                FSNSA_ERR_PARSE, ":5:2: expected 2 values, found 1");
    expect_fail(&c, ".arff", "@attribute a numeric\n@attribute c {x,y}\n@data\n{5 1}\n",
                FSNSA_ERR_PARSE, ":4:1: expected 'index value'");
    expect_fail(&c, ".arff", "@attribute a numeric\n@attribute c {x,x}\n@data\n",
                FSNSA_ERR_PARSE, ":2:1: attribute 'c' lists 'x' twice");
    expect_fail(&c, ".arff", "@attribute a numeric\n@attribute c {x,y}\n@data\n1,x\n2,x\n",
                FSNSA_ERR_PARSE, ":5:2: every row has the class 'x'");
    cx_done(&c);
}

/* ARFF dates: seconds since 1970-01-01T00:00:00 UTC in the default
 * format, Weka's own escaped spelling of it and five other patterns.
 * Every expected value is an exact epoch count, compared as the float the
 * cell holds. */
static const char *arff_dates =
    "@relation dates\n"
    "@attribute iso date\n"
    "@attribute weka date 'yyyy-MM-dd\\'T\\'HH:mm:ss'\n"
    "@attribute spaced DATE \"yyyy-MM-dd HH:mm:ss\"\n"
    "@attribute dmy date dd/MM/yy\n"
    "@attribute packed date yyyyMMdd\n"
    "@attribute named date \"dd-MMM-yyyy\" % a comment\n"
    "@attribute zoned date \"yyyy-MM-dd'T'HH:mm:ss.SSSXXX\"\n"
    "@attribute class {a,b}\n"
    "@data\n"
    "2000-03-01T00:00:00,1969-12-31T23:59:59,'2024-02-29 00:00:00',01/03/00,"
    "20240229,01-Mar-2000,2000-03-01T01:30:00.000+01:30,a\n"
    "1970-01-01T01:02:03,1970-01-01T00:00:01,'1969-12-31 23:59:59',31/12/69,"
    "19700102,02-january-1970,1970-01-01T00:00:01.250Z,b\n"
    "1999-12-31T00:00:00,2004-01-15T00:00:00,\"2021-06-15 12:34:56\",07/05/68,"
    "19991231,15-JAN-2004,1969-12-31T19:00:00.000-0500,a\n"
    "{0 2000-02-29T00:00:00, 1 1970-03-01T00:00:00, 2 '1970-01-01 01:02:03', "
    "3 1/3/2000, 4 20000229, 5 29-Feb-2000, 7 b}\n";

static void test_arff_dates(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".arff", arff_dates), FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->n, 4);
    assert_int_equal(d->p, 7);
    assert_int_equal(d->schema.n_columns, 7);
    for (size_t j = 0; j < 7; j++)
        assert_int_equal(d->schema.columns[j].kind, FSNSA_COL_NUMERIC);
    assert_string_equal(d->feature_names[0], "iso");
    assert_string_equal(d->feature_names[6], "zoned");
    static const double want[4][7] = {
        /* 2000-03-01, 1969-12-31T23:59:59, 2024-02-29, 00 -> 2000, ... */
        {951868800, -1, 1709164800, 951868800, 1709164800, 951868800,
         951868800},
        /* yy 69 -> 1969; month names in any case; milliseconds */
        {3723, 1, -1, -86400, 86400, 86400, 1.25},
        /* 12:34:56 rounds to the float grid; yy 68 -> 2068; -0500 */
        {946598400, 1074124800, 1623760496, 3103574400, 946598400,
         1074124800, 0},
        /* leap days; "1/3/2000" in dd/MM/yy is the year 2000 as written;
         * the date left out of the sparse row is 0, the epoch */
        {951782400, 5097600, 3723, 951868800, 951782400, 951782400, 0},
    };
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 7; j++)
            if (d->x[i * 7 + j] != (float)want[i][j]) {
                print_error("row %zu column %zu: %.9g, want %.9g\n", i, j,
                            (double)d->x[i * 7 + j], want[i][j]);
                fail();
            }
    /* float32: a present-day date is a multiple of 128 s */
    assert_true(d->x[2 * 7 + 2] == 1623760512.0f);
    int32_t y[] = {0, 1, 0, 1};
    assert_memory_equal(d->y, y, sizeof y);
    cx_done(&c);
}

/* Dates that do not exist or do not match the pattern: refused, naming
 * the line, the field's column, the value, the format and why. */
static void test_arff_date_errors(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    char t[512];
    const char *head = "@relation r\n@attribute x numeric\n"
                       "@attribute when date yyyy-MM-dd\n@attribute c {p,q}\n"
                       "@data\n1,2024-01-01,p\n";
    static const char *const bad[][2] = {
        {"2023-02-29", ":7:2: '2023-02-29' is not a date of format "
                       "'yyyy-MM-dd' (day 29; 2023-02 has 28 days)"},
        {"1900-02-29", "(day 29; 1900-02 has 28 days)"},
        {"2021-13-01", ":7:2: '2021-13-01' is not a date of format "
                       "'yyyy-MM-dd' (month 13)"},
        {"2021-04-31", "(day 31; 2021-04 has 30 days)"},
        {"2021-00-10", "(month 0)"},
        {"2021/01/01", "(expected '-' at character 5)"},
        {"2021-01-01T00:00", "(text after the date at character 11)"},
        {"2021-01", "(expected '-' at character 8)"},
        {"21-1-x", "(expected digits at character 6)"},
        {"0-01-01", "(year 0)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(t, sizeof t, "%s2,%s,q\n", head, bad[i][0]);
        expect_fail(&c, ".arff", t, FSNSA_ERR_PARSE, bad[i][1]);
    }
    /* the accepted leap days */
    snprintf(t, sizeof t, "%s2,2024-02-29,q\n3,2000-02-29,q\n", head);
    assert_int_equal(rd(&c, ".arff", t), FSNSA_OK);
    assert_true(c.d->x[3] == 1709164800.0f && c.d->x[5] == 951782400.0f);
    /* times and offsets out of range */
    const char *hms = "@attribute t date \"yyyy-MM-dd HH:mm:ss.SSS Z\"\n"
                      "@attribute c {p,q}\n@data\n";
    static const char *const bad_hms[][2] = {
        {"'2021-01-01 24:00:00.000 Z'", ":4:1: '2021-01-01 24:00:00.000 Z' "
                                        "is not a date of format "
                                        "'yyyy-MM-dd HH:mm:ss.SSS Z' (hour 24)"},
        {"'2021-01-01 00:60:00.000 Z'", "(minute 60)"},
        {"'2021-01-01 00:00:60.000 Z'", "(second 60)"},
        {"'2021-01-01 00:00:00.000 +24:00'", "(time zone offset 24:00)"},
        {"'2021-01-01 00:00:00.000 +01:'", "(expected a time zone"},
        {"'2021-01-01 00:00:00.000 UTC'", "(expected a time zone"},
        {"'2021-01-01 00:00:00 Z'", "(expected '.' at character 20)"},
    };
    for (size_t i = 0; i < sizeof bad_hms / sizeof bad_hms[0]; i++) {
        snprintf(t, sizeof t, "%s%s,p\n", hms, bad_hms[i][0]);
        expect_fail(&c, ".arff", t, FSNSA_ERR_PARSE, bad_hms[i][1]);
    }
    /* abutting numeric fields take exactly their width, the last one of
     * a run 1 or more digits */
    const char *packed = "@attribute d date yyyyMMdd\n@attribute c {p,q}\n"
                         "@data\n19700102,p\n";
    snprintf(t, sizeof t, "%s2021011,q\n", packed);
    assert_int_equal(rd(&c, ".arff", t), FSNSA_OK);
    assert_true(c.d->x[0] == 86400.0f && c.d->x[1] == (float)1609459200.0);
    snprintf(t, sizeof t, "%s20210,q\n", packed);
    expect_fail(&c, ".arff", t, FSNSA_ERR_PARSE,
                ":5:1: '20210' is not a date of format 'yyyyMMdd' (expected 2 "
                "digits at character 5)");
    snprintf(t, sizeof t, "%s202101,q\n", packed);
    expect_fail(&c, ".arff", t, FSNSA_ERR_PARSE,
                "(expected digits at character 7)");
    cx_done(&c);
}

/* The header: unsupported pattern letters are refused on the attribute's
 * line, at the letter's character position (also after Weka's backslash
 * escapes); so are bad quoting, trailing text and a date class. */
static void test_arff_date_header(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    const char *tail = "@attribute c {p,q}\n@data\n";
    char t[512];
    static const char *const bad[][2] = {
        {"@attribute d date \"EEE, dd MMM yyyy\"",
         ":2:20: attribute 'd': date format letter 'E' is not supported "
         "(supported: y M d H m s S X Z)"},
        {"@attribute d date 'yyyy-MM-dd\\'T\\'hh'",
         ":2:35: attribute 'd': date format letter 'h' is not supported"},
        {"@attribute d date \"yyyy-MM-dd HH:mm a\"",
         ":2:37: attribute 'd': date format letter 'a' is not supported"},
        {"@attribute d date yyyy-DDD", ":2:24: attribute 'd': date format "
                                       "letter 'D'"},
        {"@attribute d date \"yyyy'T\"", ":2:24: attribute 'd': "
                                        "unterminated quote in the date format"},
        {"@attribute d date \"yyyy", ":2:19: attribute 'd': unterminated "
                                    "quoted date format"},
        {"@attribute d date yyyy-MM-dd HH:mm", ":2:30: attribute 'd': text "
                                              "after the date format"},
        {"@attribute d date \"\"", ":2:20: attribute 'd': empty date format"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(t, sizeof t, "@relation r\n%s\n%s1,p\n2,q\n", bad[i][0], tail);
        expect_fail(&c, ".arff", t, FSNSA_ERR_PARSE, bad[i][1]);
    }
    /* a date cannot be the class, by default or by name */
    expect_fail(&c, ".arff",
                "@attribute x numeric\n@attribute when date\n@data\n"
                "1,2021-01-01T00:00:00\n",
                FSNSA_ERR_PARSE, ":2:1: the class attribute 'when' is a date");
    c.o.label_column = "when";
    expect_fail(&c, ".arff",
                "@attribute when date\n@attribute c {p,q}\n@data\n"
                "2021-01-01T00:00:00,p\n",
                FSNSA_ERR_PARSE, ":1:1: the class attribute 'when' is a date");
    /* ... but the class can be another attribute then */
    c.o.label_column = "c";
    assert_int_equal(rd(&c, ".arff", "@attribute when date\n@attribute c {p,q}\n"
                                     "@data\n2021-01-01T00:00:00,p\n"
                                     "1970-01-01T00:00:00,q\n"),
                     FSNSA_OK);
    assert_true(c.d->x[0] == (float)1609459200.0 && c.d->x[1] == 0.0f);
    cx_done(&c);
}

/* A missing date goes through the missing-value option like any number. */
static void test_arff_date_missing(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    const char *t = "@attribute when date \"yyyy-MM-dd\"\n@attribute c {p,q}\n"
                    "@data\n1970-01-02,p\n?,q\n1970-01-04,p\n";
    expect_fail(&c, ".arff", t, FSNSA_ERR_PARSE,
                ":5:1: missing value in column 'when'");
    c.o.missing = FSNSA_MISSING_MEAN;
    assert_int_equal(rd(&c, ".arff", t), FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_true(d->x[0] == 86400.0f && isnan(d->x[1]) && d->x[2] == 259200.0f);
    fsnsa_scaler s;
    fsnsa_error err;
    assert_int_equal(fsnsa_scaler_fit(d, FSNSA_SCALE_NONE, &s, &err), 0);
    fsnsa_scaler_impute(&s, FSNSA_MISSING_MEAN, d);
    assert_true(d->x[1] == 172800.0f); /* the mean: 1970-01-03 */
    fsnsa_scaler_clear(&s);
    cx_done(&c);
}

/* A date column in a prediction file read with the trained schema is a
 * numeric column parsed with the file's own pattern. */
static void test_arff_date_predict(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, ".arff", "@attribute when date yyyy-MM-dd\n"
                                     "@attribute c {p,q}\n@data\n"
                                     "2000-03-01,p\n1970-01-02,q\n"),
                     FSNSA_OK);
    fsnsa_dataset *train = c.d;
    c.d = NULL;
    assert_int_equal(train->schema.columns[0].kind, FSNSA_COL_NUMERIC);
    c.o.schema = &train->schema;
    /* labeled, another pattern for the same column */
    assert_int_equal(rd(&c, ".arff", "@attribute when date dd/MM/yyyy\n"
                                     "@attribute c {p,q}\n@data\n"
                                     "29/02/2024,q\n"),
                     FSNSA_OK);
    assert_int_equal(c.d->p, 1);
    assert_true(c.d->x[0] == 1709164800.0f);
    assert_int_equal(c.d->y[0], 1);
    /* unlabeled: only the date attribute */
    assert_int_equal(rd(&c, ".arff", "@attribute when date yyyy-MM-dd\n@data\n"
                                     "1969-12-31\n"),
                     FSNSA_OK);
    assert_false(c.d->has_labels);
    assert_true(c.d->x[0] == -86400.0f);
    expect_fail(&c, ".arff", "@attribute when date yyyy-MM-dd\n@data\n"
                             "1969-12-32\n",
                FSNSA_ERR_PARSE, ":3:1: '1969-12-32' is not a date");
    fsnsa_dataset_free(train);
    cx_done(&c);
}

/* Weka writes quotes, backslashes and control characters inside quoted
 * names and values as backslash escapes (weka.core.Utils.quote); they are
 * undone in attribute names, declared nominal values, dense and sparse
 * data, so the values match their declarations. Doubled quotes still
 * read as one quote. */
static void test_arff_backslash_escapes(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    const char *t = "@relation 'r\\'s'\n"
                    "@attribute 'it\\'s x' numeric\n"
                    "@attribute who {'O\\'Reilly', 'a\\\\b', 'tab\\there', "
                    "'\\u00e9t\\u00E9', \"q\\\"d\"}\n"
                    "@data\n"
                    "1,'O\\'Reilly'\n"
                    "2,'a\\\\b'\n"
                    "3,\"tab\\there\"\n"
                    "4,'\\u00e9t\\u00e9'\n"
                    "5,'q\"d'\n"
                    "{0 6, 1 'O\\'Reilly'}\n"
                    "7,'O''Reilly'\n";
    assert_int_equal(rd(&c, ".arff", t), FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->n, 7);
    assert_string_equal(d->feature_names[0], "it's x");
    assert_string_equal(d->schema.label_name, "who");
    assert_int_equal(d->schema.n_classes, 5);
    const char *classes[] = {"O'Reilly", "a\\b", "tab\there",
                             "\xc3\xa9t\xc3\xa9", "q\"d"};
    for (int k = 0; k < 5; k++)
        assert_string_equal(d->schema.class_names[k], classes[k]);
    int32_t y[] = {0, 1, 2, 3, 4, 0, 0};
    assert_memory_equal(d->y, y, sizeof y);
    /* an escaped quote does not end the value; an unterminated one fails */
    expect_fail(&c, ".arff", "@attribute x numeric\n@attribute c {a}\n"
                             "@data\n1,'a\\'\n",
                FSNSA_ERR_PARSE, ":4:2: unterminated quoted field");
    /* "\\u" without four hex digits is a 'u', as Java reads it */
    assert_int_equal(rd(&c, ".arff", "@attribute x numeric\n"
                                     "@attribute c {'\\u00e', b}\n@data\n"
                                     "1,'\\u00e'\n2,b\n"),
                     FSNSA_OK);
    assert_string_equal(c.d->schema.class_names[0], "u00e");
    expect_fail(&c, ".arff", "@attribute x numeric\n@attribute c {a}\n"
                             "@data\n{0 1, 1 'a\\'}\n",
                FSNSA_ERR_PARSE, ":4:2: bad quoting in a sparse value");
    /* a name with escaped control characters is shown escaped in errors,
     * so the message stays one line */
    expect_fail(&c, ".arff", "@attribute 'a\\nb\\u001b\\tc' numeric\n"
                             "@attribute c {x}\n@data\n?,x\n",
                FSNSA_ERR_PARSE, ":4:1: missing value in column "
                                 "'a\\nb\\x1b\\tc'");
    cx_done(&c);
}

/* A string attribute is free text, as a column of delimited text: one-hot
 * over its values in order of first appearance (quoted values may hold
 * commas and blanks); as the class, classes in order of first appearance. */
static void test_arff_string(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    const char *t = "@relation s\n"
                    "@attribute name string\n"
                    "@attribute x numeric\n"
                    "@attribute class STRING\n"
                    "@data\n"
                    "'a, b',1,yes\n"
                    "\"c d\",2,'no way'\n"
                    "'a, b',3,'yes'\n"
                    "plain,4,maybe\n"
                    "{0 'c d', 1 5, 2 yes}\n";
    assert_int_equal(rd(&c, ".arff", t), FSNSA_OK);
    fsnsa_dataset *d = c.d;
    assert_int_equal(d->n, 5);
    assert_int_equal(d->p, 3 + 1);
    assert_int_equal(d->schema.columns[0].kind, FSNSA_COL_NOMINAL);
    assert_int_equal(d->schema.columns[0].n_values, 3);
    const char *names[] = {"name=a, b", "name=c d", "name=plain", "x"};
    for (int j = 0; j < 4; j++)
        assert_string_equal(d->feature_names[j], names[j]);
    float x[] = {1, 0, 0, 1, 0, 1, 0, 2, 1, 0, 0, 3, 0, 0, 1, 4, 0, 1, 0, 5};
    assert_memory_equal(d->x, x, sizeof x);
    assert_string_equal(d->schema.label_name, "class");
    assert_int_equal(d->schema.n_classes, 3);
    assert_string_equal(d->schema.class_names[0], "yes");
    assert_string_equal(d->schema.class_names[1], "no way");
    assert_string_equal(d->schema.class_names[2], "maybe");
    int32_t y[] = {0, 1, 0, 2, 0};
    assert_memory_equal(d->y, y, sizeof y);
    /* predicting with that schema: the values seen become the model's */
    fsnsa_dataset *train = d;
    c.d = NULL;
    c.o.schema = &train->schema;
    assert_int_equal(rd(&c, ".arff", "@attribute name string\n"
                                     "@attribute x numeric\n@data\n"
                                     "plain,7\n'a, b',8\n"),
                     FSNSA_OK);
    float px[] = {0, 0, 1, 7, 1, 0, 0, 8};
    assert_memory_equal(c.d->x, px, sizeof px);
    expect_fail(&c, ".arff", "@attribute name string\n@attribute x numeric\n"
                             "@data\nother,7\n",
                FSNSA_ERR_PARSE, ":4:1: unknown value 'other' in column 'name'");
    c.o.schema = NULL;
    fsnsa_dataset_free(train);
    /* Weka reads a string left out of a sparse row as its first value:
     * refused here */
    expect_fail(&c, ".arff", "@attribute name string\n@attribute c {p,q}\n"
                             "@data\nu,p\n{1 q}\n",
                FSNSA_ERR_PARSE, ":5:1: sparse row leaves out the string "
                                 "attribute 'name'");
    cx_done(&c);
}

static void test_arff_sniff_and_schema(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    assert_int_equal(rd(&c, "", arff), FSNSA_OK); /* no extension: sniffed */
    fsnsa_dataset *train = c.d;
    c.d = NULL;
    c.o.schema = &train->schema;
    assert_int_equal(rd(&c, ".arff", arff), FSNSA_OK);
    assert_int_equal(c.d->p, 5);
    /* the same rows as CSV, encoded by the ARFF-trained schema */
    assert_int_equal(rd(&c, ".csv", "1.5,red,3,a\n2,dark blue,4,b\n"), FSNSA_OK);
    assert_memory_equal(c.d->x, train->x, 10 * sizeof(float));
    assert_int_equal(c.d->y[1], 0);
    fsnsa_dataset_free(train);
    cx_done(&c);
}

static void test_limits(void **state)
{
    (void)state;
    ctx c;
    cx_init(&c);
    char *t = malloc(1 << 20);
    assert_non_null(t);
    size_t k = 0;
    for (int i = 0; i < 300; i++)
        k += (size_t)sprintf(t + k, "w%d,%c\n", i, i % 2 ? 'a' : 'b');
    c.o.max_cols = 100; /* a column of 300 words: too many values */
    expect_fail(&c, ".csv", t, FSNSA_ERR_LIMIT, ":101:1: column 'x0' has more than 100");
    c.o.max_cols = 0;
    c.o.max_rows = 50;
    expect_fail(&c, ".csv", t, FSNSA_ERR_LIMIT, ":51:1: more than 50 rows");
    c.o.max_rows = 0;
    c.o.max_cols = 3;
    expect_fail(&c, ".csv", "1,2,3,4,5,a\n1,2,3,4,5,b\n", FSNSA_ERR_LIMIT,
                ":1:5: more than 4 fields");
    /* an ARFF header declaring a huge nominal list */
    k = (size_t)sprintf(t, "@attribute a {");
    for (int i = 0; i < 50; i++)
        k += (size_t)sprintf(t + k, "v%d,", i);
    sprintf(t + k, "z}\n@attribute c {x,y}\n@data\n");
    c.o.max_cols = 20;
    expect_fail(&c, ".arff", t, FSNSA_ERR_LIMIT, ":1:");
    free(t);
    cx_done(&c);
}

/* Encoded column names come from the schema alone (the model has no
 * data rows): numeric name, "name=value" per one-hot column, fallbacks. */
static void test_schema_feature_names(void **state)
{
    (void)state;
    char *vals[] = {"lo", "hi"};
    fsnsa_column cols[3] = {
        {"age", FSNSA_COL_NUMERIC, 0, NULL},
        {"level", FSNSA_COL_NOMINAL, 2, vals},
        {NULL, FSNSA_COL_NUMERIC, 0, NULL},
    };
    fsnsa_schema s = {0};
    s.n_columns = 3;
    s.columns = cols;
    s.p = 5; /* one more than the columns give: named by position */
    char **names = NULL;
    assert_int_equal(fsnsa_schema_feature_names(&s, &names, NULL), FSNSA_OK);
    assert_string_equal(names[0], "age");
    assert_string_equal(names[1], "level=lo");
    assert_string_equal(names[2], "level=hi");
    assert_string_equal(names[3], "x2");
    assert_string_equal(names[4], "x4");
    fsnsa_strings_free(names, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_feature_names),
        cmocka_unit_test(test_csv_header_and_string_labels),
        cmocka_unit_test(test_numeric_labels_sorted),
        cmocka_unit_test(test_one_hot),
        cmocka_unit_test(test_stray_word_in_numeric_column),
        cmocka_unit_test(test_delimiters),
        cmocka_unit_test(test_delimiter_from_header_and_row),
        cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_quoted_fields_span_lines),
        cmocka_unit_test(test_arff_backslash_escapes),
        cmocka_unit_test(test_uci_comments_short_header),
        cmocka_unit_test(test_label_column_choices),
        cmocka_unit_test(test_header_option),
        cmocka_unit_test(test_missing_values),
        cmocka_unit_test(test_bad_rows_and_files),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_crlf_and_no_final_newline),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_labels_file),
        cmocka_unit_test(test_predict_with_schema),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_decimal_comma_auto),
        cmocka_unit_test(test_decimal_comma_tab_blanks),
        cmocka_unit_test(test_decimal_explicit),
        cmocka_unit_test(test_decimal_mixed_and_thousands),
        cmocka_unit_test(test_decimal_comma_predict),
        cmocka_unit_test(test_libsvm),
        cmocka_unit_test(test_libsvm_schema),
        cmocka_unit_test(test_arff),
        cmocka_unit_test(test_arff_dates),
        cmocka_unit_test(test_arff_date_errors),
        cmocka_unit_test(test_arff_date_header),
        cmocka_unit_test(test_arff_date_missing),
        cmocka_unit_test(test_arff_date_predict),
        cmocka_unit_test(test_arff_string),
        cmocka_unit_test(test_arff_sniff_and_schema),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests_name("data", tests, NULL, NULL);
}

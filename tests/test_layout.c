/* How a file was read (fsnsa_dataset.layout), recorded in a model and
 * given back for predicting (fsnsa_model_set_read,
 * fsnsa_model_read_options): each reader reports what it detected, and
 * data read with a model's options is read as its training data was. */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/fsnsa-layout-XXXXXX");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            remove(p);
        }
    closedir(d);
    return rmdir(dir);
}

/* `text` as the file `name` in the scratch directory; returns its path. */
static const char *put(const char *name, const char *text)
{
    static char path[8][128];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, sizeof path[0], "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    return p;
}

static fsnsa_dataset *read_ok(const char *path, const fsnsa_read_options *o)
{
    fsnsa_dataset *d = NULL;
    fsnsa_error err;
    fsnsa_status st = fsnsa_dataset_read(path, o, &d, &err);
    if (st != FSNSA_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(st, FSNSA_OK);
    return d;
}

static void expect_layout(const fsnsa_dataset *d, fsnsa_format format,
                          char delimiter, char decimal, int header,
                          size_t fields, fsnsa_label_source label,
                          size_t label_field)
{
    const fsnsa_layout *l = &d->layout;
    assert_int_equal(l->format, format);
    assert_int_equal(l->delimiter, delimiter);
    assert_int_equal(l->decimal, decimal);
    assert_int_equal(l->header, header);
    assert_int_equal(l->fields, fields);
    assert_int_equal(l->label, label);
    assert_true(l->label_field == label_field);
}

/* Each reader says what it detected or was told. */
static void test_reader_layouts(void **state)
{
    (void)state;
    fsnsa_read_options o;
    fsnsa_dataset *d;

    /* detected: ';', decimal commas, a header, the label last */
    fsnsa_read_options_default(&o);
    d = read_ok(put("a.csv", "x;y;class\n1,5;2;a\n2;3,25;b\n"), &o);
    expect_layout(d, FSNSA_FORMAT_CSV, ';', ',', 1, 3, FSNSA_LABEL_LAST, 2);
    fsnsa_dataset_free(d);

    /* no header, the label first, a decimal point */
    o.label_column = "first";
    d = read_ok(put("b.csv", "a,1.5,2\nb,2,3\n"), &o);
    expect_layout(d, FSNSA_FORMAT_CSV, ',', 0, 0, 3, FSNSA_LABEL_FIRST, 0);
    fsnsa_dataset_free(d);

    /* tabs, integers only: no mark decided; the label by index */
    o.label_column = "1";
    d = read_ok(put("c.txt", "1\ta\t2\n3\tb\t4\n"), &o);
    expect_layout(d, FSNSA_FORMAT_CSV, '\t', 0, 0, 3, FSNSA_LABEL_INDEX, 1);
    fsnsa_dataset_free(d);
    d = read_ok(put("c2.txt", "1\ta\t2.5\n3\tb\t4\n"), &o);
    expect_layout(d, FSNSA_FORMAT_CSV, '\t', '.', 0, 3, FSNSA_LABEL_INDEX, 1);
    fsnsa_dataset_free(d);

    /* runs of blanks, the label by name (any case) */
    o.label_column = "CLASS";
    d = read_ok(put("d.txt", "x class y\n1 a 2\n3 b 4\n"), &o);
    expect_layout(d, FSNSA_FORMAT_CSV, ' ', 0, 1, 3, FSNSA_LABEL_NAME, 1);
    fsnsa_dataset_free(d);

    /* UCI */
    fsnsa_read_options_default(&o);
    o.format = FSNSA_FORMAT_UCI;
    d = read_ok(put("e.data", "1,2,a\n3,4,b\n"), &o);
    expect_layout(d, FSNSA_FORMAT_UCI, ',', 0, 0, 3, FSNSA_LABEL_LAST, 2);
    fsnsa_dataset_free(d);

    /* a labels file */
    fsnsa_read_options_default(&o);
    o.labels_file = put("f.labels", "a\nb\n");
    d = read_ok(put("f.csv", "1,2\n3,4\n"), &o);
    expect_layout(d, FSNSA_FORMAT_CSV, ',', 0, 0, 2, FSNSA_LABEL_FILE,
                  SIZE_MAX);
    fsnsa_dataset_free(d);

    /* ARFF, the class first */
    fsnsa_read_options_default(&o);
    o.label_column = "first";
    d = read_ok(put("g.arff", "@relation r\n@attribute c {a,b}\n"
                              "@attribute x numeric\n@attribute y numeric\n"
                              "@data\na,1,2\nb,3,4\n"),
                &o);
    expect_layout(d, FSNSA_FORMAT_ARFF, 0, 0, -1, 3, FSNSA_LABEL_FIRST, 0);
    fsnsa_dataset_free(d);

    /* LIBSVM: the label first whatever the default; or none */
    fsnsa_read_options_default(&o);
    d = read_ok(put("h.svm", "1 1:0.5 2:1\n-1 2:3\n"), &o);
    expect_layout(d, FSNSA_FORMAT_LIBSVM, 0, 0, -1, 0, FSNSA_LABEL_FIRST, 0);
    fsnsa_dataset *s = NULL;
    size_t one = 1;
    assert_int_equal(fsnsa_dataset_subset(d, &one, 1, &s, NULL), FSNSA_OK);
    expect_layout(s, FSNSA_FORMAT_LIBSVM, 0, 0, -1, 0, FSNSA_LABEL_FIRST, 0);
    fsnsa_dataset_free(s);
    fsnsa_dataset_free(d);
    o.label_column = "none";
    d = read_ok(put("i.svm", "1:0.5 2:1\n2:3\n"), &o);
    expect_layout(d, FSNSA_FORMAT_LIBSVM, 0, 0, -1, 0, FSNSA_LABEL_NONE,
                  SIZE_MAX);
    fsnsa_dataset_free(d);

    /* from arrays: not read from a file */
    float x[2] = {1, 2};
    int32_t y[2] = {0, 1};
    assert_int_equal(fsnsa_dataset_from_arrays(2, 1, x, y, 2, &d, NULL),
                     FSNSA_OK);
    assert_int_equal(d->layout.format, FSNSA_FORMAT_AUTO);
    fsnsa_dataset_free(d);
}

/* A model of `d` (a short dense training), with how d was read. */
static fsnsa_model *model_of(const fsnsa_dataset *d,
                             const fsnsa_read_options *o)
{
    fsnsa_model *m = calloc(1, sizeof *m);
    assert_non_null(m);
    fsnsa_train_options t;
    fsnsa_train_options_default(&t);
    t.method = FSNSA_METHOD_DENSE;
    t.hidden = 4;
    t.epochs = 30; /* enough to beat the constant predictor */
    t.lr = 0.05;
    fsnsa_error err;
    assert_int_equal(fsnsa_train(d, &t, NULL, &m->net, &err), FSNSA_OK);
    m->options = t;
    m->train_loss = 0.5;
    assert_int_equal(fsnsa_schema_copy(&m->schema, &d->schema, &err), FSNSA_OK);
    assert_int_equal(fsnsa_scaler_fit(d, FSNSA_SCALE_NONE, &m->scaler, &err),
                     FSNSA_OK);
    fsnsa_status st = fsnsa_model_set_read(m, &d->layout, o, &err);
    if (st != FSNSA_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(st, FSNSA_OK);
    return m;
}

/* Save and load (what predict gets). */
static fsnsa_model *reloaded(fsnsa_model *m)
{
    char path[128];
    snprintf(path, sizeof path, "%s/m.model", dir);
    fsnsa_error err;
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_OK);
    fsnsa_model *l = NULL;
    assert_int_equal(fsnsa_model_load(path, &l, &err), FSNSA_OK);
    remove(path);
    fsnsa_model_free(m);
    return l;
}

static void same_data(const fsnsa_dataset *a, const fsnsa_dataset *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->p, b->p);
    assert_int_equal(a->has_labels, b->has_labels);
    assert_memory_equal(a->x, b->x, a->n * a->p * sizeof *a->x);
    assert_memory_equal(a->y, b->y, a->n * sizeof *a->y);
}

/* The case through the library: a file whose label is first,
 * read for training with label_column "first", is read for predicting
 * with the model's options alone exactly as for training; without them
 * (the defaults) it is not. */
static void test_predict_reads_as_trained(void **state)
{
    (void)state;
    const char *path = put("first.csv", "a,0.5,1\nb,1.5,0\nc,2.5,1\n"
                                        "a,0.25,0\nb,3,1\nc,1,0\n");
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    o.label_column = "first";
    fsnsa_dataset *train = read_ok(path, &o);
    fsnsa_model *m = reloaded(model_of(train, &o));
    assert_int_equal(m->read.layout.label, FSNSA_LABEL_FIRST);

    fsnsa_read_options p;
    fsnsa_model_read_options(m, &p);
    fsnsa_dataset *d = read_ok(path, &p);
    same_data(train, d);
    fsnsa_dataset_free(d);

    /* the same rows without the label column: read unlabeled */
    d = read_ok(put("nolabel.csv", "0.5,1\n1.5,0\n2.5,1\n"), &p);
    assert_int_equal(d->has_labels, 0);
    assert_int_equal(d->n, 3);
    assert_memory_equal(d->x, train->x, 3 * train->p * sizeof *d->x);
    fsnsa_dataset_free(d);

    /* today's defaults take the last column as the label: refused here
     * (its values are no class), never a silent misreading */
    fsnsa_read_options_default(&p);
    p.schema = &m->schema;
    fsnsa_error err;
    assert_int_not_equal(fsnsa_dataset_read(path, &p, &d, &err), FSNSA_OK);
    fsnsa_model_free(m);
    fsnsa_dataset_free(train);
}

/* Header, delimiter and decimal mark as detected in training; and a file
 * that does not fit is refused with its place and what differs. */
static void test_predict_header_delimiter_decimal(void **state)
{
    (void)state;
    const char *path = put("eu.csv", "klasse;x;y\nja;1,5;2\nnein;2;3,5\n"
                                     "ja;0,5;1\nnein;4;4,25\n");
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    o.label_column = "klasse";
    fsnsa_dataset *train = read_ok(path, &o);
    fsnsa_model *m = reloaded(model_of(train, &o));
    fsnsa_read_options p;
    fsnsa_model_read_options(m, &p);
    assert_int_equal(p.delimiter, ';');
    assert_int_equal(p.decimal, ',');
    assert_int_equal(p.header, 1);
    assert_string_equal(p.label_column, "0"); /* by name, kept as its field */
    fsnsa_dataset *d = read_ok(path, &p);
    same_data(train, d);
    fsnsa_dataset_free(d);

    /* a header naming another label column where the model has its
     * label: refused, with the place */
    fsnsa_error err;
    const char *moved = put("moved.csv", "x;klasse;y\n1,5;ja;2\n");
    assert_int_equal(fsnsa_dataset_read(moved, &p, &d, &err), FSNSA_ERR_PARSE);
    assert_non_null(strstr(err.msg, "moved.csv:1:1: the label column is 'x' "
                                    "here, 'klasse' in the model"));
    /* asked for by name, it is read (the features stay in order) */
    p.label_column = "klasse";
    d = read_ok(moved, &p);
    assert_int_equal(d->n, 1);
    fsnsa_dataset_free(d);
    fsnsa_model_read_options(m, &p);

    /* another number of fields */
    const char *wide = put("wide.csv", "klasse;x;y;z\nja;1;2;3\n");
    assert_int_equal(fsnsa_dataset_read(wide, &p, &d, &err), FSNSA_ERR_PARSE);
    assert_non_null(strstr(err.msg, "wide.csv:2:1: rows have 4 fields"));

    /* no header where the model had one: its first row is no header */
    const char *bare = put("bare.csv", "ja;1,5;2\nnein;2;3,5\n");
    assert_int_equal(fsnsa_dataset_read(bare, &p, &d, &err), FSNSA_ERR_PARSE);
    assert_non_null(strstr(err.msg, "bare.csv:1:"));
    p.header = 0; /* the override */
    d = read_ok(bare, &p);
    assert_int_equal(d->n, 2);
    assert_memory_equal(d->x, train->x, 2 * train->p * sizeof *d->x);
    fsnsa_dataset_free(d);

    /* a decimal point where the model read commas */
    fsnsa_model_read_options(m, &p);
    const char *point = put("point.csv", "klasse;x;y\nja;1.5;2\n");
    assert_int_equal(fsnsa_dataset_read(point, &p, &d, &err), FSNSA_ERR_PARSE);
    assert_non_null(strstr(err.msg, "point.csv:2:"));
    fsnsa_model_free(m);
    fsnsa_dataset_free(train);
}

/* A labels file at training: predict reads the data unlabeled unless it
 * is given one; the format recorded is used whatever the extension. */
static void test_predict_labels_file_and_format(void **state)
{
    (void)state;
    const char *data = put("feat.txt", "1 1:1\n2 2:3\n1 1:2\n2 2:1\n");
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    o.format = FSNSA_FORMAT_LIBSVM;
    fsnsa_dataset *train = read_ok(data, &o);
    fsnsa_model *m = reloaded(model_of(train, &o));
    fsnsa_read_options p;
    fsnsa_model_read_options(m, &p);
    assert_int_equal(p.format, FSNSA_FORMAT_LIBSVM);
    fsnsa_dataset *d = read_ok(data, &p); /* .txt would be delimited text */
    same_data(train, d);
    fsnsa_dataset_free(d);
    fsnsa_model_free(m);
    fsnsa_dataset_free(train);

    const char *x = put("x.csv", "1,2\n3,4\n5,1\n2,2\n");
    fsnsa_read_options_default(&o);
    o.labels_file = put("y.txt", "u\nv\nu\nv\n");
    train = read_ok(x, &o);
    m = reloaded(model_of(train, &o));
    assert_int_equal(m->read.layout.label, FSNSA_LABEL_FILE);
    fsnsa_model_read_options(m, &p);
    assert_string_equal(p.label_column, "none");
    assert_null(p.labels_file);
    d = read_ok(x, &p);
    assert_int_equal(d->has_labels, 0);
    fsnsa_dataset_free(d);
    p.label_column = NULL; /* as predict --labels-file does */
    p.labels_file = o.labels_file;
    d = read_ok(x, &p);
    same_data(train, d);
    fsnsa_dataset_free(d);
    fsnsa_model_free(m);
    fsnsa_dataset_free(train);
}

/* A file read for training with the defaults, then as predict reads it
 * with the model's recorded options: the same rows, bit for bit. */
static void trains_and_predicts_alike(const char *path, size_t n,
                                      char delimiter, int header)
{
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    fsnsa_dataset *train = read_ok(path, &o);
    assert_int_equal(train->n, n);
    assert_int_equal(train->layout.delimiter, delimiter);
    assert_int_equal(train->layout.header, header);
    fsnsa_model *m = reloaded(model_of(train, &o));
    fsnsa_read_options p;
    fsnsa_model_read_options(m, &p);
    assert_int_equal(p.delimiter, delimiter);
    fsnsa_dataset *d = read_ok(path, &p);
    same_data(train, d);
    fsnsa_dataset_free(d);
    fsnsa_model_free(m);
    fsnsa_dataset_free(train);
}

/* Lines starting with ';' before the first row: a comment when its ';'s
 * all come first, whatever the delimiter, so that a ';' file with ';;'
 * comment lines (fuzz/regressions/csv/layout-leading-semicolon-comment)
 * reads alike for training and for predict, which gives the detected ';';
 * a row with an empty first field otherwise when ';' is the delimiter
 * (the header pandas writes over an index column), detected or given. */
static void test_predict_semicolon_lines(void **state)
{
    (void)state;
    trains_and_predicts_alike(put("semi.csv", ";; comment\na;1;2\nb;3;4\n"
                                              "a;5;6\nb;7;8\n"),
                              4, ';', 0);
    trains_and_predicts_alike(put("lisp.data", ";;; UCI's header\n;;; more\n"
                                               "1,2,a\n3,4,b\n5,6,a\n"),
                              3, ',', 0);
    const char *pandas = put("pandas.csv", ";x;class\n0;1,5;u\n1;2;v\n"
                                           "2;3,5;u\n3;1;v\n");
    trains_and_predicts_alike(pandas, 4, ';', 1);
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    fsnsa_dataset *d = read_ok(pandas, &o);
    assert_string_equal(d->feature_names[1], "x");
    fsnsa_dataset_free(d);

    /* after the first row a ';' line is a row of a ';' file, a comment
     * of any other, detected or given alike */
    const char *later = put("later.csv", "x;y;c\n1;2;a\n;3;b\n4;5;a\n");
    o.missing = FSNSA_MISSING_ZERO;
    fsnsa_dataset *det = read_ok(later, &o);
    assert_int_equal(det->n, 3);
    o.delimiter = ';';
    d = read_ok(later, &o);
    same_data(det, d);
    fsnsa_dataset_free(d);
    fsnsa_dataset_free(det);
    fsnsa_read_options_default(&o);
    d = read_ok(put("later2.csv", "x,y,c\n1,2,a\n;3;b\n4,5,b\n"), &o);
    assert_int_equal(d->n, 2);
    fsnsa_dataset_free(d);
}

/* A record over several lines is joined by the quoting of the delimiter
 * the file is read with, detected or given: a quote that opens a field
 * only for the first line's guess, ',', not for the tab decided on the
 * whole record (fuzz/regressions/csv/layout-first-record-joined-by-guess)
 * is refused alike both ways. */
static void test_predict_quoted_first_record(void **state)
{
    (void)state;
    const char *guess = put("guess.csv", "c,\"a\nb\"\tx\t1\nd\ty\t2\n"
                                         "e\tz\t3\n");
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    fsnsa_dataset *d = NULL;
    fsnsa_error detected, given;
    assert_int_equal(fsnsa_dataset_read(guess, &o, &d, &detected),
                     FSNSA_ERR_PARSE);
    o.delimiter = '\t';
    assert_int_equal(fsnsa_dataset_read(guess, &o, &d, &given),
                     FSNSA_ERR_PARSE);
    assert_string_equal(detected.msg, given.msg);
    assert_non_null(strstr(detected.msg, "guess.csv:2:2: expected 1 fields"));

    /* quoted line breaks in the header and the rows, read alike */
    trains_and_predicts_alike(put("multi.csv", "\"long\nname\",x,label\n"
                                               "\"one\n\n# two\",1,A\n"
                                               "\"three\",2,B\nfour,3,A\n"
                                               "five,4,B\n"),
                              4, ',', 1);
    /* the first line alone suggests blanks, the whole record ';' */
    trains_and_predicts_alike(put("semiq.csv", "\"a\nb\";c;d\n1;2;x\n"
                                               "3;4;y\n5;6;x\n"),
                              3, ';', 1);
}

/* The lines kept while the delimiter is detected hold at most the line
 * limit (1 MiB with 10 columns): past it the first record decides alone,
 * and the file still reads as with that delimiter given. Here the second
 * record, over 1 MiB of comments, would have switched ';' to ','. */
static void test_detection_keeps_bounded(void **state)
{
    (void)state;
    size_t pad = (1u << 20) / 7 + 1000, n = 0; /* 7 bytes a line */
    char *text = malloc(pad * 8 + 64);
    assert_non_null(text);
    n += (size_t)sprintf(text, "a;b,c;d\n");
    for (size_t i = 0; i < pad; i++)
        n += (size_t)sprintf(text + n, "# pad.\n");
    sprintf(text + n, "1,2,3\n4,5,6\n");
    const char *path = put("pad.csv", text);
    free(text);
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    o.max_cols = 10;
    fsnsa_dataset *d = NULL;
    fsnsa_error detected, given;
    assert_int_equal(fsnsa_dataset_read(path, &o, &d, &detected),
                     FSNSA_ERR_PARSE);
    o.delimiter = ';';
    assert_int_equal(fsnsa_dataset_read(path, &o, &d, &given),
                     FSNSA_ERR_PARSE);
    assert_string_equal(detected.msg, given.msg);
    assert_non_null(strstr(detected.msg, "expected 3 fields, found 1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_layouts),
        cmocka_unit_test(test_predict_reads_as_trained),
        cmocka_unit_test(test_predict_header_delimiter_decimal),
        cmocka_unit_test(test_predict_labels_file_and_format),
        cmocka_unit_test(test_predict_semicolon_lines),
        cmocka_unit_test(test_predict_quoted_first_record),
        cmocka_unit_test(test_detection_keeps_bounded),
    };
    return cmocka_run_group_tests_name("layout", tests, setup, teardown);
}

/* Text as other tools write it (docs/data.md, "Encodings, line ends and
 * compression"): byte-order marks, the line ends \n, \r\n, \r and \r\r\n,
 * UTF-16/UTF-32, gzip files cut short, damaged or in several members, and
 * lines as long as the tool itself writes (fsnsa xor). The streaming line
 * reader is checked against a plain reference splitter at small buffer
 * sizes, and whole CSV files against Python's csv module. Every file is
 * written in a directory of this test's own (mkdtemp). */
#include "testutil.h"

#include "data/data.h"

#include <dirent.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <zlib.h>

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/fsnsa-enc-XXXXXX");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
    return rmdir(dir);
}

/* path = dir/name, holding len bytes of data. */
static void put(char *path, size_t size, const char *name, const void *data,
                size_t len)
{
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void put_text(char *path, size_t size, const char *name,
                     const char *text)
{
    put(path, size, name, text, strlen(text));
}

/* The same bytes, gzip-compressed. */
static void put_gz(char *path, size_t size, const char *name,
                   const void *data, size_t len)
{
    snprintf(path, size, "%s/%s", dir, name);
    gzFile gz = gzopen(path, "wb9");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);
}

static fsnsa_dataset *read_ok(const char *path, const fsnsa_read_options *o)
{
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_dataset_read(path, o, &d, &err);
    if (st != FSNSA_OK) {
        print_error("%s: status %d: %s\n", path, (int)st, err.msg);
        fail();
    }
    return d;
}

/* Refused with `code`, a message that starts with the file's name and
 * holds each of the NULL-terminated `parts`; returns the message. */
static const char *refused(const char *path, const fsnsa_read_options *o,
                           fsnsa_status code, const char *name, ...)
{
    static fsnsa_error err;
    fsnsa_dataset *d = NULL;
    memset(&err, 0, sizeof err);
    fsnsa_status st = fsnsa_dataset_read(path, o, &d, &err);
    bool ok = st == code && d == NULL &&
              strncmp(err.msg, name, strlen(name)) == 0;
    va_list ap;
    va_start(ap, name);
    for (const char *p; (p = va_arg(ap, const char *)) != NULL;)
        if (strstr(err.msg, p) == NULL) {
            print_error("missing '%s'\n", p);
            ok = false;
        }
    va_end(ap);
    if (!ok) {
        print_error("%s: status %d (want %d): '%s'\n", path, (int)st,
                    (int)code, err.msg);
        fsnsa_dataset_free(d);
        fail();
    }
    return err.msg;
}

/* Bit for bit the same data set: shape, names, values, classes. */
static void same_dataset(const fsnsa_dataset *a, const fsnsa_dataset *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->p, b->p);
    assert_int_equal(a->has_labels, b->has_labels);
    for (size_t j = 0; j < a->p; j++)
        assert_string_equal(a->feature_names[j], b->feature_names[j]);
    assert_memory_equal(a->x, b->x, a->n * a->p * sizeof *a->x);
    if (a->has_labels)
        assert_memory_equal(a->y, b->y, a->n * sizeof *a->y);
    assert_int_equal(a->schema.n_classes, b->schema.n_classes);
    for (size_t c = 0; c < a->schema.n_classes; c++)
        assert_string_equal(a->schema.class_names[c], b->schema.class_names[c]);
    if (a->schema.label_name == NULL)
        assert_null(b->schema.label_name);
    else
        assert_string_equal(a->schema.label_name, b->schema.label_name);
}

#define BOM "\xEF\xBB\xBF"

/* The fuzz target of the line reader, its reference splitter included;
 * its scratch files go to this test's directory. */
#include "../fuzz/fuzz_lines.c"

const char *fuzz_scratch_file(const char *ext, const uint8_t *data,
                              size_t size)
{
    static char path[256];
    char name[32];
    snprintf(name, sizeof name, "scratch%s", ext);
    put(path, sizeof path, name, data, size);
    return path;
}

/* ------------------------------------------------------------------ */
/* UTF-8 byte-order mark                                               */

static void test_bom_csv(void **state)
{
    (void)state;
    char plain[256], bom[256], gz[256];
    const char *text = "a,b,c\n1,2,x\n3,4,y\n5,6,x\n";
    put_text(plain, sizeof plain, "plain.csv", text);
    put_text(bom, sizeof bom, "bom.csv", BOM "a,b,c\n1,2,x\n3,4,y\n5,6,x\n");
    char bomtext[64];
    snprintf(bomtext, sizeof bomtext, BOM "%s", text);
    put_gz(gz, sizeof gz, "bom.csv.gz", bomtext, strlen(bomtext));
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    fsnsa_dataset *p = read_ok(plain, &o), *b = read_ok(bom, &o),
                  *g = read_ok(gz, &o);
    assert_string_equal(b->feature_names[0], "a");
    same_dataset(p, b);
    same_dataset(p, g);
    fsnsa_dataset_free(b);
    /* the first column by name */
    o.label_column = "a";
    b = read_ok(bom, &o);
    assert_string_equal(b->schema.label_name, "a");
    assert_string_equal(b->feature_names[0], "b");
    fsnsa_dataset_free(b);
    /* a model of the file without the mark reads the file with it, and
     * the other way round */
    o.label_column = NULL;
    o.schema = &p->schema;
    b = read_ok(bom, &o);
    same_dataset(p, b);
    o.schema = &b->schema;
    fsnsa_dataset *q = read_ok(plain, &o);
    same_dataset(b, q);
    fsnsa_dataset_free(q);
    fsnsa_dataset_free(b);
    fsnsa_dataset_free(g);
    fsnsa_dataset_free(p);

    /* without a header: the mark does not make the first row a header */
    o.schema = NULL;
    put_text(bom, sizeof bom, "bom2.csv", BOM "1,2,0\n3,4,1\n");
    b = read_ok(bom, &o);
    assert_int_equal(b->n, 2);
    assert_true(b->x[0] == 1.0f && b->x[3] == 4.0f);
    assert_string_equal(b->feature_names[0], "x0");
    fsnsa_dataset_free(b);
    /* positions on the first line count from after the mark */
    put_text(bom, sizeof bom, "bom3.arff", BOM "  @relation r\n @bogus\n");
    refused(bom, &o, FSNSA_ERR_PARSE, bom, ":2:2: expected @relation", NULL);
    put_text(bom, sizeof bom, "bom4.arff", BOM "  @bogus\n");
    refused(bom, &o, FSNSA_ERR_PARSE, bom, ":1:3: expected @relation", NULL);
}

static void test_bom_other_formats(void **state)
{
    (void)state;
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    char a[256], b[256];
    /* LIBSVM, by extension and sniffed */
    put_text(a, sizeof a, "p.svm", "1 1:0.5 3:2\n0 2:1\n");
    put_text(b, sizeof b, "b.svm", BOM "1 1:0.5 3:2\n0 2:1\n");
    fsnsa_dataset *p = read_ok(a, &o), *q = read_ok(b, &o);
    same_dataset(p, q);
    assert_string_equal(q->schema.class_names[1], "1");
    fsnsa_dataset_free(q);
    put_text(b, sizeof b, "b-svm", BOM "1 1:0.5 3:2\n0 2:1\n");
    q = read_ok(b, &o);
    same_dataset(p, q);
    fsnsa_dataset_free(q);
    fsnsa_dataset_free(p);
    /* ARFF: sniffed by its '@' after the mark */
    const char *arff = "@relation r\n@attribute a numeric\n"
                       "@attribute c {x,y}\n@data\n1,x\n2,y\n";
    put_text(a, sizeof a, "p.arff", arff);
    char text[256];
    snprintf(text, sizeof text, BOM "%s", arff);
    put_text(b, sizeof b, "b-arff", text);
    p = read_ok(a, &o);
    q = read_ok(b, &o);
    same_dataset(p, q);
    assert_int_equal(q->p, 1);
    fsnsa_dataset_free(q);
    snprintf(text, sizeof text, BOM "%% a comment\n%s", arff);
    put_text(b, sizeof b, "c-arff", text);
    q = read_ok(b, &o);
    same_dataset(p, q);
    fsnsa_dataset_free(q);
    fsnsa_dataset_free(p);
    /* a labels file */
    put_text(a, sizeof a, "l.txt", BOM "cat\ndog\ncat\n");
    put_text(b, sizeof b, "data", "1 2\n3 4\n5 6\n");
    o.labels_file = a;
    q = read_ok(b, &o);
    assert_string_equal(q->schema.class_names[0], "cat");
    assert_string_equal(q->schema.class_names[1], "dog");
    int32_t want[] = {0, 1, 0};
    assert_memory_equal(q->y, want, sizeof want);
    fsnsa_dataset_free(q);
}

/* ------------------------------------------------------------------ */
/* Line ends                                                           */

static void test_line_ends(void **state)
{
    (void)state;
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    char path[256], ref[256];
    put_text(ref, sizeof ref, "lf.csv", "a,b,c\n1,2,p\n3,4,n\n5,6,p\n");
    fsnsa_dataset *want = read_ok(ref, &o);
    assert_int_equal(want->schema.n_classes, 2);
    static const char *const same[] = {
        "a,b,c\r\n1,2,p\r\n3,4,n\r\n5,6,p\r\n",
        "a,b,c\r1,2,p\r3,4,n\r5,6,p\r",              /* old Mac */
        "a,b,c\r1,2,p\r3,4,n\r5,6,p",
        "a,b,c\r\r\n1,2,p\r\r\n3,4,n\r\r\n5,6,p\r\r\n", /* CRLF, converted again */
        "a,b,c\r\r\r\n1,2,p\n3,4,n\r\n5,6,p\r",
        "a,b,c\r\r1,2,p\n\r3,4,n\r\r\r5,6,p\n\n",    /* empty lines */
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        put_text(path, sizeof path, "ends.csv", same[i]);
        fsnsa_dataset *d = read_ok(path, &o);
        same_dataset(want, d); /* no class 'p\r', no single line */
        fsnsa_dataset_free(d);
    }
    fsnsa_dataset_free(want);
    /* line numbers: \n, \r\n, \r\r\n and a lone \r each end one line */
    put_text(path, sizeof path, "num1.csv", "a,b,c\r1,2,p\r3,4\r");
    refused(path, &o, FSNSA_ERR_PARSE, path, ":3:3: expected 3 fields", NULL);
    put_text(path, sizeof path, "num2.csv",
             "a,b,c\r\r\n1,2,p\r\r\n3,4,n\r\r\n5,6\r\r\n");
    refused(path, &o, FSNSA_ERR_PARSE, path, ":4:3: expected 3 fields", NULL);
    put_text(path, sizeof path, "num3.csv",
             "a,b,c\n1,2,p\r\n3,4,n\r5,6,p\r\r\n\r7,8\n");
    refused(path, &o, FSNSA_ERR_PARSE, path, ":6:3: expected 3 fields", NULL);
    put_text(path, sizeof path, "num4.csv", "1,2,a\r\r3,4,a\r\r\r\n5,6,a\n");
    refused(path, &o, FSNSA_ERR_PARSE, path, ":4:3: every row has the class",
            NULL);
    /* a NUL byte's line counts the same way */
    static const char nul[] = "1,2\r3,4\r\r\n5\0", nul2[] = "1,2\r\r\r3,4\n\0";
    put(path, sizeof path, "nul.csv", nul, sizeof nul - 1);
    refused(path, &o, FSNSA_ERR_PARSE, path, ":3:2: not a text file", NULL);
    put(path, sizeof path, "nul2.csv", nul2, sizeof nul2 - 1);
    refused(path, &o, FSNSA_ERR_PARSE, path, ":5:1: not a text file", NULL);
}

/* A quoted cell over several lines: each line end in it becomes "\n". */
static void test_line_ends_in_quoted_cells(void **state)
{
    (void)state;
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    char path[256];
    put_text(path, sizeof path, "q.csv",
             "a,b\r\n1,\"x\r\ny\"\r\n2,\"x\ry\"\r3,\"x\r\r\ny\"\n4,\"x\ny\"\n"
             "5,z\r\n6,\"z\"\r\n7,\"u\r\r\"\n");
    fsnsa_dataset *d = read_ok(path, &o);
    assert_int_equal(d->n, 7);
    assert_int_equal(d->schema.n_classes, 3);
    assert_string_equal(d->schema.class_names[0], "x\ny");
    assert_string_equal(d->schema.class_names[1], "z");
    /* a lone \r followed by \r\n: an empty line, then the line end */
    assert_string_equal(d->schema.class_names[2], "u\n\n");
    int32_t want[] = {0, 0, 0, 0, 1, 1, 2};
    assert_memory_equal(d->y, want, sizeof want);
    assert_true(d->x[6] == 7.0f);
    fsnsa_dataset_free(d);
    /* a record over lines: messages give its first line */
    put_text(path, sizeof path, "q2.csv", "a,b,c\r1,\"x\ry\",z\r2,\"x\r\ry\"\r");
    refused(path, &o, FSNSA_ERR_PARSE, path, ":4:3: expected 3 fields", NULL);
}

static void test_line_ends_other_formats(void **state)
{
    (void)state;
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    char a[256], b[256];
    put_text(a, sizeof a, "p.svm", "1 1:0.5 3:2\n0 2:1\n1 1:1\n");
    put_text(b, sizeof b, "c.svm", "1 1:0.5 3:2\r0 2:1\r\r\n1 1:1\r");
    fsnsa_dataset *p = read_ok(a, &o), *q = read_ok(b, &o);
    same_dataset(p, q);
    fsnsa_dataset_free(q);
    fsnsa_dataset_free(p);
    put_text(b, sizeof b, "c2.svm", "1 1:0.5 3:2\r0 2:1\r\r\n1 0:1\r");
    refused(b, &o, FSNSA_ERR_PARSE, b, ":3:", NULL);
    /* sniffed: the first line ends at a lone \r */
    put_text(b, sizeof b, "c-svm", "1 1:0.5 3:2\r0 2:1\r\r\n1 1:1\r");
    p = read_ok(a, &o);
    q = read_ok(b, &o);
    same_dataset(p, q);
    fsnsa_dataset_free(q);
    fsnsa_dataset_free(p);

    put_text(a, sizeof a, "p.arff",
             "@relation r\n@attribute a numeric\n@attribute c {x,y}\n"
             "@data\n1,x\n2,y\n");
    put_text(b, sizeof b, "c-arff",
             "@relation r\r@attribute a numeric\r\r\n@attribute c {x,y}\r\n"
             "@data\r1,x\r2,y");
    p = read_ok(a, &o);
    q = read_ok(b, &o);
    same_dataset(p, q);
    fsnsa_dataset_free(q);
    fsnsa_dataset_free(p);
    put_text(b, sizeof b, "c2.arff",
             "@relation r\r@attribute a numeric\r\r\n@attribute c {x,y}\r\n"
             "@data\r1,x\r2,w\r");
    refused(b, &o, FSNSA_ERR_PARSE, b, ":6:2:", NULL);

    /* labels files */
    put_text(b, sizeof b, "data", "1 2\n3 4\n5 6\n");
    o.labels_file = a;
    static const char *const labels[] = {"p\r\nn\r\np\r\n", "p\rn\rp\r",
                                         "p\r\r\nn\r\r\np\r\r\n", "p\rn\r\np"};
    for (size_t i = 0; i < 4; i++) {
        put_text(a, sizeof a, "labels", labels[i]);
        q = read_ok(b, &o);
        assert_int_equal(q->schema.n_classes, 2);
        assert_string_equal(q->schema.class_names[0], "p");
        assert_string_equal(q->schema.class_names[1], "n");
        assert_int_equal(q->y[2], 0);
        fsnsa_dataset_free(q);
    }
    put_text(a, sizeof a, "labels", "p\r\rn\rp\r");
    refused(b, &o, FSNSA_ERR_PARSE, a, ":2:1: empty label", NULL);
    put_text(a, sizeof a, "labels", "p\r\r\nn\r\r\np\r\r\nn\r\r\n");
    refused(b, &o, FSNSA_ERR_PARSE, a, ":4:1: more labels", NULL);
}

/* The streaming reader against the fuzz target's reference splitter
 * (fuzz/fuzz_lines.c) on random text made of line-end bytes, NULs now and
 * then and a few others, plain and gzip, with buffers of 64 to 191 bytes
 * (the reader's own is 256 KiB: small ones put line ends at every place
 * relative to a buffer's end, and make lines outgrow it). */
static void test_line_reader_against_reference(void **state)
{
    (void)state;
    uint64_t s = 12345;
    uint8_t *in = malloc(4097);
    assert_non_null(in);
    size_t files = 0, bytes = 0;
    for (int round = 0; round < 3000; round++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        size_t n = (size_t)(s >> 33) % (round < 2000 ? 300 : 4000);
        static const char alphabet[] = "ab,\r\n\r\n\"";
        uint8_t *t = in + 1;
        size_t k = 0;
        if (s >> 63)
            memcpy(t, BOM, k = 3);
        while (k < n) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            size_t run = 1 + (size_t)(s >> 60);
            char c = alphabet[(s >> 33) % (sizeof alphabet - 1)];
            if (c == 'a')
                run *= (s >> 40) % 50; /* long lines sometimes */
            for (size_t r = 0; r < run && k < n; r++)
                t[k++] = (uint8_t)c;
        }
        if (k > 0 && round % 10 == 0) /* a NUL somewhere */
            t[(s >> 20) % k] = 0;
        /* buffer size and compression, as the fuzz target reads them */
        in[0] = (uint8_t)((size_t)round % 128 | (round % 3 == 0 ? 128 : 0));
        fuzz_lines(in, k + 1);
        files++;
        bytes += k;
    }
    print_message("line reader: %zu files, %zu bytes as the reference\n",
                  files, bytes);
    free(in);
}

/* A file far over the reader's 256 KiB buffer, each line end drawn from
 * the four kinds: every row and every line number right. */
static void test_line_ends_large_file(void **state)
{
    (void)state;
    size_t rows = 60000, cap = rows * 40, k = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    static const char *const ends[] = {"\n", "\r\n", "\r", "\r\r\n"};
    uint64_t s = 99;
    k += (size_t)sprintf(t, "x,y,c\r\n");
    for (size_t i = 0; i < rows; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        k += (size_t)sprintf(t + k, "%zu,%zu.5,%s%s", i, i % 13,
                             i % 3 ? "yes" : "no", ends[s >> 62]);
    }
    char path[256];
    put(path, sizeof path, "big.csv", t, k);
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    fsnsa_dataset *d = read_ok(path, &o);
    assert_int_equal(d->n, rows);
    assert_int_equal(d->schema.n_classes, 2);
    for (size_t i = 0; i < rows; i++) {
        assert_true(d->x[2 * i] == (float)i);
        assert_true(d->x[2 * i + 1] == (float)(i % 13) + 0.5f);
        assert_int_equal(d->y[i], i % 3 ? 1 : 0);
    }
    fsnsa_dataset_free(d);
    /* a bad last row: named by its line, rows + 2 */
    k += (size_t)sprintf(t + k, "1,2\n");
    put(path, sizeof path, "big2.csv", t, k);
    char where[32];
    snprintf(where, sizeof where, ":%zu:3: expected 3", rows + 2);
    refused(path, &o, FSNSA_ERR_PARSE, path, where, NULL);
    put_gz(path, sizeof path, "big2.csv.gz", t, k);
    refused(path, &o, FSNSA_ERR_PARSE, path, where, NULL);
    free(t);
}

/* ------------------------------------------------------------------ */
/* Python's csv module as an independent reader of the same files      */

static const char py_reader[] =
    "import csv, re, sys\n"
    "def esc(c):\n"
    "    c = re.sub(r'\\r*\\n|\\r', '\\n', c)\n" /* our rule in cells */
    "    return c.replace('\\\\', '\\\\\\\\').replace('\\n', '\\\\n')\n"
    "with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n"
    "    for row in csv.reader(f):\n"
    "        if row:\n"
    "            print('\\t'.join(esc(c) for c in row))\n";

static void escape(char *out, size_t size, const char *s)
{
    size_t k = 0;
    for (; *s && k + 3 < size; s++) {
        if (*s == '\\' || *s == '\n')
            out[k++] = '\\';
        out[k++] = *s == '\n' ? 'n' : *s;
    }
    out[k] = '\0';
}

static void test_csv_line_ends_against_python(void **state)
{
    (void)state;
    if (access("/usr/bin/python3", X_OK) != 0)
        skip();
    static const char *const ends[] = {"\n", "\r\n", "\r", "\r\r\n"};
    static const char *const words[] = {
        "yes", "no", "\"a, b\"", "\"two\nlines\"", "\"cr\rlf\r\n!\"",
        "\"say \"\"hi\"\"\"", "\"x\r\r\n#y\"", "\"\r\n\"", "w"};
    char script[256], path[256], cmd[768];
    put_text(script, sizeof script, "reader.py", py_reader);
    uint64_t s = 7;
    char *t = malloc(1 << 16);
    assert_non_null(t);
    size_t compared = 0;
    for (int file = 0; file < 40; file++) {
#define NEXT() (s = s * 6364136223846793005ull + 1442695040888963407ull, s >> 33)
        size_t k = 0, p = 1 + NEXT() % 4, rows = 2 + NEXT() % 30;
        if (file % 2)
            k += (size_t)sprintf(t, BOM);
        for (size_t j = 0; j < p; j++)
            k += (size_t)sprintf(t + k, file % 3 ? "f%zu," : "\"f %zu\",", j);
        k += (size_t)sprintf(t + k, "label%s", ends[NEXT() % 4]);
        for (size_t i = 0; i < rows; i++) {
            for (size_t j = 0; j < p; j++)
                k += (size_t)sprintf(t + k, "%.9g,",
                                     (double)((float)(NEXT() % 20001) / 64.0f - 150.0f));
            k += (size_t)sprintf(t + k, "%s", words[NEXT() % 9]);
            while (NEXT() % 5 == 0) /* empty lines */
                k += (size_t)sprintf(t + k, "%s", ends[NEXT() % 4]);
            if (i + 1 < rows || NEXT() % 2)
                k += (size_t)sprintf(t + k, "%s", ends[NEXT() % 4]);
        }
        put(path, sizeof path, "py.csv", t, k);
        fsnsa_read_options o;
        fsnsa_read_options_default(&o);
        fsnsa_dataset *d = NULL;
        fsnsa_error err;
        fsnsa_status st = fsnsa_dataset_read(path, &o, &d, &err);
        if (st == FSNSA_ERR_PARSE && strstr(err.msg, "every row has the class"))
            continue;
        if (st != FSNSA_OK) {
            print_error("file %d: %s\n", file, err.msg);
            fail();
        }
        snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s", script, path);
        FILE *py = popen(cmd, "r");
        assert_non_null(py);
        char line[4096], want[4096];
        size_t row = 0;
        while (fgets(line, sizeof line, py) != NULL) {
            line[strcspn(line, "\n")] = '\0';
            char *cell = line, *tab;
            size_t j = 0;
            for (;; j++) {
                tab = strchr(cell, '\t');
                if (tab != NULL)
                    *tab = '\0';
                if (row == 0) {
                    escape(want, sizeof want,
                           j < p ? d->feature_names[j] : d->schema.label_name);
                    assert_string_equal(cell, want);
                } else if (j < p) {
                    assert_true(d->x[(row - 1) * p + j] == strtof(cell, NULL));
                } else {
                    escape(want, sizeof want,
                           d->schema.class_names[d->y[row - 1]]);
                    assert_string_equal(cell, want);
                }
                if (tab == NULL)
                    break;
                cell = tab + 1;
            }
            assert_int_equal(j, p);
            row++;
            compared++;
        }
        assert_int_equal(pclose(py), 0);
        assert_int_equal(row, d->n + 1);
        fsnsa_dataset_free(d);
#undef NEXT
    }
    print_message("python csv: %zu records the same\n", compared);
    assert_true(compared > 200);
    free(t);
}

/* ------------------------------------------------------------------ */
/* UTF-16 and UTF-32                                                   */

/* ASCII text s in a code unit of `width` bytes, little- or big-endian,
 * after an optional mark. */
static size_t widen(unsigned char *out, const char *s, size_t width, bool big,
                    bool mark)
{
    size_t k = 0;
    unsigned cps[256];
    size_t n = 0;
    if (mark)
        cps[n++] = 0xFEFF;
    for (; *s; s++)
        cps[n++] = (unsigned char)*s;
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < width; b++) {
            size_t shift = 8 * (big ? width - 1 - b : b);
            out[k++] = (unsigned char)(cps[i] >> shift);
        }
    return k;
}

static void test_utf16_utf32_refused(void **state)
{
    (void)state;
    const char *text = "name,size,class\n1,2,x\n3,4,y\n";
    static const struct {
        size_t width;
        bool big, mark;
        const char *what, *from;
    } cases[] = {
        {2, false, true, "UTF-16 text (little-endian, with a byte-order mark)",
         "iconv -f UTF-16 -t UTF-8"},
        {2, true, true, "UTF-16 text (big-endian, with a byte-order mark)",
         "iconv -f UTF-16 -t UTF-8"},
        {2, false, false, "UTF-16 text (no byte-order mark)",
         "iconv -f UTF-16LE -t UTF-8"},
        {2, true, false, "UTF-16 text (no byte-order mark)",
         "iconv -f UTF-16BE -t UTF-8"},
        {4, false, true, "UTF-32 text (little-endian, with a byte-order mark)",
         "iconv -f UTF-32 -t UTF-8"},
        {4, true, true, "UTF-32 text (big-endian, with a byte-order mark)",
         "iconv -f UTF-32 -t UTF-8"},
        {4, false, false, "UTF-32 text (no byte-order mark)",
         "iconv -f UTF-32LE -t UTF-8"},
        {4, true, false, "UTF-32 text (no byte-order mark)",
         "iconv -f UTF-32BE -t UTF-8"},
    };
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    unsigned char buf[1024];
    char path[256], lp[256], data[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = widen(buf, text, cases[i].width, cases[i].big, cases[i].mark);
        const char *msg;
        put(path, sizeof path, "wide.csv", buf, n);
        msg = refused(path, &o, FSNSA_ERR_PARSE, path, ":1:1: the file is ",
                      cases[i].what, cases[i].from, NULL);
        assert_null(strstr(msg, "NUL"));
        /* sniffed, and compressed */
        put(path, sizeof path, "wide", buf, n);
        refused(path, &o, FSNSA_ERR_PARSE, path, cases[i].what, NULL);
        put_gz(path, sizeof path, "wide.csv.gz", buf, n);
        refused(path, &o, FSNSA_ERR_PARSE, path, cases[i].what, "zcat ",
                cases[i].from, NULL);
        /* a labels file */
        n = widen(buf, "x\ny\n", cases[i].width, cases[i].big, cases[i].mark);
        put(lp, sizeof lp, "wide.labels", buf, n);
        put_text(data, sizeof data, "d.txt", "1 2\n3 4\n");
        o.labels_file = lp;
        refused(data, &o, FSNSA_ERR_PARSE, lp, cases[i].what, NULL);
        o.labels_file = NULL;
    }
    /* UTF-16 with letters beyond Latin-1 (no NUL in their high bytes) */
    const unsigned char greek[] = {0xFF, 0xFE, 0xB1, 0x03, ',', 0, 0xB2, 0x03,
                                   '\n', 0};
    put(path, sizeof path, "greek.csv", greek, sizeof greek);
    refused(path, &o, FSNSA_ERR_PARSE, path, "UTF-16 text (little-endian", NULL);
    /* a NUL in binary data is still "not a text file" */
    static const char bin[] = "MATLAB 5.0\n\x01\x02\x00\x00\x10zz";
    put(path, sizeof path, "bin.csv", bin, sizeof bin - 1);
    refused(path, &o, FSNSA_ERR_PARSE, path, ":2:3: not a text file", NULL);
}

/* ------------------------------------------------------------------ */
/* gzip                                                                */

/* Lines and length of the text that the first `cut` bytes of a gzip file
 * decompress to (zlib's inflate, independent of gzread). */
static size_t inflated_prefix(const unsigned char *gz, size_t cut, char *out,
                              size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = (unsigned char *)gz;
    z.avail_in = (unsigned)cut;
    z.next_out = (unsigned char *)out;
    z.avail_out = (unsigned)cap;
    int rc = inflate(&z, Z_FINISH);
    assert_true(rc == Z_BUF_ERROR || rc == Z_OK || rc == Z_STREAM_END);
    size_t n = cap - z.avail_out;
    inflateEnd(&z);
    return n;
}

static void test_gzip_cut_at_every_byte(void **state)
{
    (void)state;
    char text[4096];
    size_t k = (size_t)sprintf(text, "a,b,class\n");
    for (int i = 0; i < 60; i++)
        k += (size_t)sprintf(text + k, "%d,%.3f,%s\n", i, i * 0.37,
                             i % 3 ? "left" : "right");
    char path[256], cut[256];
    put_gz(path, sizeof path, "whole.csv.gz", text, k);
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    fsnsa_dataset *d = read_ok(path, &o);
    assert_int_equal(d->n, 60);
    fsnsa_dataset_free(d);
    size_t n = 0;
    unsigned char *gz = (unsigned char *)tu_slurp(path, &n);
    assert_non_null(gz);
    assert_true(n > 200);
    /* 0 bytes is an empty file; 1 to n - 1 a gzip file cut short */
    put(cut, sizeof cut, "cut.csv.gz", gz, 0);
    refused(cut, &o, FSNSA_ERR_PARSE, cut, ":1:1: the file is empty", NULL);
    for (size_t c = 1; c < n; c++) {
        put(cut, sizeof cut, "cut.csv.gz", gz, c);
        char pre[4096], where[64];
        size_t got = c > 1 ? inflated_prefix(gz, c, pre, sizeof pre) : 0;
        size_t line = 1, col = 1;
        for (size_t i = 0; i < got; i++, col++)
            if (pre[i] == '\n') {
                line++;
                col = 0;
            }
        snprintf(where, sizeof where, ":%zu:%zu: the gzip data stop here",
                 line, c > 1 ? col : 2);
        refused(cut, &o, FSNSA_ERR_IO, cut, where, "cut short", NULL);
    }
    print_message("gzip: all %zu cut points of a %zu-byte file refused\n",
                  n - 1, n);
    /* a file too large for one read, cut in the middle: the line where
     * the text stops */
    char *big = malloc(1 << 21);
    assert_non_null(big);
    size_t bk = (size_t)sprintf(big, "a,b,class\n");
    uint64_t s = 1;
    for (int i = 0; bk < (1u << 21) - 64; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        bk += (size_t)sprintf(big + bk, "%d,%llu,%s\n", i,
                              (unsigned long long)(s >> 40), i % 2 ? "u" : "v");
    }
    put_gz(path, sizeof path, "big.csv.gz", big, bk);
    free(gz);
    gz = (unsigned char *)tu_slurp(path, &n);
    assert_non_null(gz);
    size_t c = n * 3 / 4;
    put(cut, sizeof cut, "cut.csv.gz", gz, c);
    size_t got = inflated_prefix(gz, c, big, 1 << 21);
    size_t line = 1, ls = 0;
    for (size_t i = 0; i < got; i++)
        if (big[i] == '\n') {
            line++;
            ls = i + 1;
        }
    char where[64];
    snprintf(where, sizeof where, ":%zu:%zu: the gzip data stop here", line,
             got - ls + 1);
    assert_true(line > 1000);
    refused(cut, &o, FSNSA_ERR_IO, cut, where, NULL);
    free(big);
    free(gz);
}

static void test_gzip_damaged(void **state)
{
    (void)state;
    char text[4096];
    size_t k = (size_t)sprintf(text, "a,b,class\n");
    for (int i = 0; i < 50; i++)
        k += (size_t)sprintf(text + k, "%d,%d,%s\n", i, i * i % 17,
                             i % 2 ? "odd" : "even");
    char path[256], bad[256];
    put_gz(path, sizeof path, "good.csv.gz", text, k);
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    fsnsa_dataset *want = read_ok(path, &o);
    size_t n = 0;
    unsigned char *gz = (unsigned char *)tu_slurp(path, &n);
    assert_non_null(gz);
    /* One byte changed anywhere: a gzip error, or (header fields zlib
     * does not check: time, flags of the compressor, system; the bits
     * after the last block) the same data, never other data. */
    size_t errors = 0, same = 0;
    for (size_t i = 0; i < n; i++)
        for (unsigned flip = 1; flip < 256; flip <<= 3) {
            gz[i] ^= (unsigned char)flip;
            put(bad, sizeof bad, "bad.csv.gz", gz, n);
            gz[i] ^= (unsigned char)flip;
            fsnsa_dataset *d = NULL;
            fsnsa_error err;
            fsnsa_status st = fsnsa_dataset_read(bad, &o, &d, &err);
            if (st == FSNSA_OK) {
                same_dataset(want, d);
                fsnsa_dataset_free(d);
                same++;
                continue;
            }
            errors++;
            assert_int_equal(strncmp(err.msg, bad, strlen(bad)), 0);
            /* the magic bytes changed: not gzip, read as text */
            if (i < 2)
                continue;
            if (st != FSNSA_ERR_IO || strstr(err.msg, "gzip") == NULL) {
                print_error("byte %zu ^ %u: %s\n", i, flip, err.msg);
                fail();
            }
        }
    print_message("gzip: %zu damaged files refused, %zu read the same\n",
                  errors, same);
    /* the trailer: CRC and length */
    gz[n - 6] ^= 1;
    put(bad, sizeof bad, "crc.csv.gz", gz, n);
    refused(bad, &o, FSNSA_ERR_IO, bad, ":1:1: damaged gzip data: incorrect "
                                        "data check", NULL);
    gz[n - 6] ^= 1;
    gz[n - 2] ^= 1;
    put(bad, sizeof bad, "len.csv.gz", gz, n);
    refused(bad, &o, FSNSA_ERR_IO, bad, "damaged gzip data: incorrect length "
                                        "check", NULL);
    gz[n - 2] ^= 1;
    fsnsa_dataset_free(want);
    free(gz);
}

/* gzip allows several members in one file (cat a.gz b.gz): all are read. */
static void test_gzip_members(void **state)
{
    (void)state;
    const char *one = "a,b,c\n1,2,x\n3,4,y\n", *two = "5,6,x\r\n7,8,y\n";
    char p1[256], p2[256], both[256], plain[256];
    put_gz(p1, sizeof p1, "m1.gz", one, strlen(one));
    put_gz(p2, sizeof p2, "m2.gz", two, strlen(two));
    size_t n1 = 0, n2 = 0;
    unsigned char *g1 = (unsigned char *)tu_slurp(p1, &n1),
                  *g2 = (unsigned char *)tu_slurp(p2, &n2);
    assert_non_null(g1);
    assert_non_null(g2);
    unsigned char *g = malloc(n1 + n2);
    assert_non_null(g);
    memcpy(g, g1, n1);
    memcpy(g + n1, g2, n2);
    put(both, sizeof both, "both.csv.gz", g, n1 + n2);
    put_text(plain, sizeof plain, "both.csv",
             "a,b,c\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n");
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    fsnsa_dataset *a = read_ok(both, &o), *b = read_ok(plain, &o);
    same_dataset(a, b);
    assert_int_equal(a->n, 4);
    fsnsa_dataset_free(a);
    fsnsa_dataset_free(b);
    /* the second member cut short */
    put(both, sizeof both, "both2.csv.gz", g, n1 + n2 - 3);
    refused(both, &o, FSNSA_ERR_IO, both, "cut short", NULL);
    free(g);
    free(g1);
    free(g2);
}

/* ------------------------------------------------------------------ */
/* Line length                                                         */

static void test_line_limit(void **state)
{
    (void)state;
    /* 32 bytes for each field the column limit allows, at least 1 MiB */
    assert_int_equal(fsnsa__line_limit(NULL), 32 * (1000000 + 1));
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    o.max_cols = 1000;
    assert_int_equal(fsnsa__line_limit(&o), 1 << 20);
    o.max_cols = SIZE_MAX;
    assert_int_equal(fsnsa__line_limit(&o), 1 << 30);
    o.max_cols = 100000;
    size_t lim = fsnsa__line_limit(&o);
    assert_int_equal(lim, 3200032);
    /* a line of exactly the limit reads, with any line end; one byte more
     * does not */
    char *t = malloc(lim + 64);
    assert_non_null(t);
    static const char *const ends[] = {"\n", "\r\n", "\r", "\r\r\n", ""};
    char path[256];
    for (size_t e = 0; e < 5; e++) {
        for (size_t extra = 0; extra < 2; extra++) {
            size_t k = (size_t)sprintf(t, "1,2,a\n3,4,");
            size_t word = lim - 4 + extra;
            memset(t + k, 'w', word);
            strcpy(t + k + word, ends[e]);
            put_text(path, sizeof path, "long.csv", t);
            if (extra == 0) {
                fsnsa_dataset *d = read_ok(path, &o);
                assert_int_equal(d->n, 2);
                assert_int_equal(strlen(d->schema.class_names[1]), word);
                fsnsa_dataset_free(d);
            } else {
                refused(path, &o, FSNSA_ERR_LIMIT, path,
                        ":2:3200033: line longer than 3200032 bytes", NULL);
            }
        }
    }
    free(t);
}

/* The widest file fsnsa xor writes (p = 10^6, its limit) reads back, every
 * value bit for bit. */
static void test_xor_output_reads_back(void **state)
{
    (void)state;
    char out[256], seed[32];
    snprintf(out, sizeof out, "%s/xor.csv", dir);
    /* a seed whose 3 rows hold both classes (the labels depend on the
     * first k columns only) */
    fsnsa_dataset *x = NULL;
    fsnsa_error err;
    uint64_t sd = 1;
    for (;; sd++) {
        assert_int_equal(fsnsa_xor_generate(3, 3, 3, sd, 0, &x, &err), FSNSA_OK);
        bool both = x->y[0] != x->y[1] || x->y[0] != x->y[2];
        fsnsa_dataset_free(x);
        if (both)
            break;
    }
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)sd);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl(tu_bin(), tu_bin(), "xor", "--p", "1000000", "--n", "3",
              "--seed", seed, "-o", out, (char *)NULL);
        _exit(127);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    fsnsa_dataset *d = read_ok(out, &o);
    assert_int_equal(fsnsa_xor_generate(3, 1000000, 3, sd, 0, &x, &err),
                     FSNSA_OK);
    assert_int_equal(d->p, 1000000);
    assert_string_equal(d->feature_names[999999], "x999999");
    assert_memory_equal(d->x, x->x, 3 * 1000000 * sizeof *d->x);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(d->schema.class_names[d->y[i]],
                            x->y[i] ? "1" : "0");
    fsnsa_dataset_free(x);
    fsnsa_dataset_free(d);
    unlink(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_csv),
        cmocka_unit_test(test_bom_other_formats),
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_line_ends_in_quoted_cells),
        cmocka_unit_test(test_line_ends_other_formats),
        cmocka_unit_test(test_line_reader_against_reference),
        cmocka_unit_test(test_line_ends_large_file),
        cmocka_unit_test(test_csv_line_ends_against_python),
        cmocka_unit_test(test_utf16_utf32_refused),
        cmocka_unit_test(test_gzip_cut_at_every_byte),
        cmocka_unit_test(test_gzip_damaged),
        cmocka_unit_test(test_gzip_members),
        cmocka_unit_test(test_line_limit),
        cmocka_unit_test(test_xor_output_reads_back),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}

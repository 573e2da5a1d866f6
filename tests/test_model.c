/* Model files: exact round trip of every field, and refusal (never a
 * crash) of truncated, damaged, foreign, future and oversized files. */
#include "testutil.h"
#include "core/core.h"
#include "model/model.h"

#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <zlib.h>

/* ------------------------------------------------------------------ */
/* Building models                                                      */
/* ------------------------------------------------------------------ */

static int dummy_epoch(const fsnsa_epoch_info *info, void *ctx)
{
    (void)info;
    (void)ctx;
    return 0;
}

static const volatile int stop_flag = 0;

static char **strings(size_t n, const char *const *v)
{
    char **s = calloc(n, sizeof *s);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = v[i] ? fsnsa__strdup(v[i]) : NULL;
    return s;
}

/* p_in = 6 encoded columns from 4 raw columns (numeric, nominal with 3
 * values, numeric, numeric); the net keeps features {1, 3, 4}. Names
 * carry spaces, commas, quotes, backslashes, newlines, tabs, control
 * bytes, UTF-8 and invalid UTF-8. */
static fsnsa_model *make_model(size_t n_classes, uint64_t seed)
{
    fsnsa_model *m = calloc(1, sizeof *m);
    assert_non_null(m);
    fsnsa_error err;
    const size_t p_in = 6, h = 4;
    assert_int_equal(fsnsa_net_create(p_in, h, n_classes, seed, &m->net, &err),
                     FSNSA_OK);
    fsnsa_net *n = m->net;
    /* Keep 3 features: compact W's columns like pruning does. */
    const size_t keep[3] = {1, 3, 4};
    for (size_t j = 0; j < h; j++)
        for (size_t i = 0; i < 3; i++)
            n->W[j * 3 + i] = n->W[j * p_in + keep[i]];
    for (size_t i = 0; i < 3; i++)
        n->features[i] = keep[i];
    n->p = 3;
    /* Values that a careless formatter would not round-trip. */
    n->W[0] = -0.0f;
    n->W[1] = 1e-40f; /* subnormal */
    n->W[2] = FLT_MAX;
    n->W[3] = -FLT_MIN;
    n->W[4] = 0.1f;
    n->W[5] = 1.0f / 3.0f;
    n->b[0] = 16777217.0f; /* rounds to 2^24 */
    n->c[0] = -123456.789f;

    fsnsa_schema *s = &m->schema;
    s->p = p_in;
    s->label_name = fsnsa__strdup("the \"label\", of course");
    s->n_classes = n_classes;
    const char *const cls3[] = {"no", "yes \xe2\x98\xba", "maybe\nnot"};
    s->class_names = strings(n_classes, cls3);
    s->n_columns = 4;
    s->columns = calloc(4, sizeof *s->columns);
    assert_non_null(s->columns);
    s->columns[0].name = fsnsa__strdup("x y, z");
    s->columns[1].name = fsnsa__strdup("colour\t\"hue\"\\");
    s->columns[1].kind = FSNSA_COL_NOMINAL;
    const char *const vals[] = {"red", "gr\xc3\xbcn", "new\nline\r\x01"};
    s->columns[1].values = strings(3, vals);
    s->columns[1].n_values = 3;
    s->columns[2].name = fsnsa__strdup("latin1 \xe9t\xe9 \xff\xfe \xed\xa0\x80");
    s->columns[3].name = NULL;

    fsnsa_scaler *sc = &m->scaler;
    sc->kind = FSNSA_SCALE_STANDARD;
    sc->p = p_in;
    sc->shift = malloc(p_in * sizeof(float));
    sc->mult = malloc(p_in * sizeof(float));
    sc->fill = malloc(p_in * sizeof(float));
    assert_true(sc->shift && sc->mult && sc->fill);
    for (size_t j = 0; j < p_in; j++) {
        sc->shift[j] = (float)j / 7.0f - 0.3f;
        sc->mult[j] = 1.0f / ((float)j + 0.9f);
        sc->fill[j] = (float)j * 1e7f;
    }

    fsnsa_train_options *o = &m->options;
    fsnsa_train_options_default(o);
    o->variant = FSNSA_VARIANT_PAPER; /* no 1.3 line unless a test asks */
    o->method = FSNSA_METHOD_NSA;
    o->hidden = 4;
    o->start_hidden = 777;
    o->features = 3;
    o->epochs = 123;
    o->mu = 29.5;
    o->batch = 17;
    o->lr = 0.001;
    o->beta1 = 0.85;
    o->beta2 = 0.9995;
    o->eps = 1e-8;
    o->weight_decay = 1.0 / 3.0;
    o->seed = UINT64_MAX - 5;
    o->shuffle = 0;
    o->on_epoch = dummy_epoch;
    o->on_epoch_ctx = m;
    o->stop = &stop_flag;
    m->missing = FSNSA_MISSING_MEAN;
    m->train_loss = 0.1234567890123;
    /* Read as a European spreadsheet export: ';', decimal commas, a
     * header, the label asked for by name in the middle of 5 fields. */
    const fsnsa_layout l = {FSNSA_FORMAT_CSV, ';', ',', 1, 5,
                            FSNSA_LABEL_NAME, 2};
    assert_int_equal(fsnsa_model_set_read(m, &l, NULL, &err), FSNSA_OK);
    return m;
}

/* ------------------------------------------------------------------ */
/* Comparing                                                            */
/* ------------------------------------------------------------------ */

static void same_str(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void same_bits(const void *a, const void *b, size_t bytes)
{
    assert_memory_equal(a, b, bytes);
}

static void same_model(const fsnsa_model *a, const fsnsa_model *b)
{
    const fsnsa_net *x = a->net, *y = b->net;
    assert_int_equal(x->p_in, y->p_in);
    assert_int_equal(x->p, y->p);
    assert_int_equal(x->h, y->h);
    assert_int_equal(x->n_out, y->n_out);
    assert_int_equal(x->n_classes, y->n_classes);
    same_bits(x->features, y->features, x->p * sizeof(size_t));
    same_bits(x->W, y->W, x->h * x->p * sizeof(float));
    same_bits(x->b, y->b, x->h * sizeof(float));
    same_bits(x->beta, y->beta, x->h * x->n_out * sizeof(float));
    same_bits(x->c, y->c, x->n_out * sizeof(float));

    const fsnsa_schema *s = &a->schema, *t = &b->schema;
    assert_int_equal(s->p, t->p);
    same_str(s->label_name, t->label_name);
    assert_int_equal(s->n_classes, t->n_classes);
    for (size_t k = 0; k < s->n_classes; k++)
        same_str(s->class_names[k], t->class_names[k]);
    assert_int_equal(s->n_columns, t->n_columns);
    for (size_t i = 0; i < s->n_columns; i++) {
        same_str(s->columns[i].name, t->columns[i].name);
        assert_int_equal(s->columns[i].kind, t->columns[i].kind);
        assert_int_equal(s->columns[i].n_values, t->columns[i].n_values);
        for (size_t v = 0; v < s->columns[i].n_values; v++)
            same_str(s->columns[i].values[v], t->columns[i].values[v]);
    }

    assert_int_equal(a->scaler.kind, b->scaler.kind);
    assert_int_equal(a->scaler.p, b->scaler.p);
    same_bits(a->scaler.shift, b->scaler.shift, a->scaler.p * sizeof(float));
    same_bits(a->scaler.mult, b->scaler.mult, a->scaler.p * sizeof(float));
    same_bits(a->scaler.fill, b->scaler.fill, a->scaler.p * sizeof(float));

    const fsnsa_train_options *o = &a->options, *q = &b->options;
    assert_int_equal(o->method, q->method);
    assert_int_equal(o->hidden, q->hidden);
    assert_int_equal(o->start_hidden, q->start_hidden);
    assert_int_equal(o->features, q->features);
    assert_int_equal(o->epochs, q->epochs);
    same_bits(&o->mu, &q->mu, sizeof(double));
    assert_int_equal(o->batch, q->batch);
    same_bits(&o->lr, &q->lr, sizeof(double));
    same_bits(&o->beta1, &q->beta1, sizeof(double));
    same_bits(&o->beta2, &q->beta2, sizeof(double));
    same_bits(&o->eps, &q->eps, sizeof(double));
    same_bits(&o->weight_decay, &q->weight_decay, sizeof(double));
    assert_true(o->seed == q->seed);
    assert_int_equal(o->shuffle, q->shuffle);
    assert_int_equal(a->missing, b->missing);
    const fsnsa_layout *la = &a->read.layout, *lb = &b->read.layout;
    assert_int_equal(la->format, lb->format);
    assert_int_equal(la->delimiter, lb->delimiter);
    assert_int_equal(la->decimal, lb->decimal);
    assert_int_equal(la->header, lb->header);
    assert_int_equal(la->fields, lb->fields);
    assert_int_equal(la->label, lb->label);
    assert_true(la->label_field == lb->label_field);
    assert_string_equal(a->read.label_column, b->read.label_column);
    if (isnan(a->train_loss))
        assert_true(isnan(b->train_loss));
    else
        same_bits(&a->train_loss, &b->train_loss, sizeof(double));
}

/* ------------------------------------------------------------------ */
/* Files                                                                */
/* ------------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    return (char *)tu_slurp(path, len);
}

/* A fresh empty directory. */
static void make_dir(char *dir, size_t size)
{
    snprintf(dir, size, "/tmp/fsnsa-model-test-XXXXXX");
    assert_non_null(mkdtemp(dir));
}

static size_t dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (remove(p) != 0)
            rmdir(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Text of a saved model (model saved to a temp file and read back). */
static char *model_text(const fsnsa_model *m, size_t *len)
{
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/m.model", dir);
    fsnsa_error err;
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_OK);
    char *t = slurp(path, len);
    remove_dir(dir);
    return t;
}

/* body (without checksum line) + a correct "crc32 ..." line. */
static char *with_crc(const char *body, size_t n, size_t *len)
{
    char *t = malloc(n + 16);
    assert_non_null(t);
    memcpy(t, body, n);
    unsigned long c = crc32(0L, (const Bytef *)body, (uInt)n);
    snprintf(t + n, 16, "crc32 %08lx\n", c);
    *len = n + 15;
    return t;
}

/* Offset of the checksum line in a model text. */
static size_t body_len(const char *t, size_t len)
{
    size_t i = len - 1;
    while (i > 0 && t[i - 1] != '\n')
        i--;
    return i;
}

/* The saved text with `from` replaced by `to` (first occurrence), and a
 * recomputed checksum, so that the check under test is the only one that
 * can fire. */
static char *edited(const fsnsa_model *m, const char *from, const char *to,
                    size_t *len)
{
    size_t n;
    char *t = model_text(m, &n);
    size_t body = body_len(t, n);
    t[body] = 0;
    char *at = strstr(t, from);
    if (at == NULL)
        print_error("'%s' not in the model text\n", from);
    assert_non_null(at);
    size_t pre = (size_t)(at - t), fl = strlen(from), tl = strlen(to);
    char *e = malloc(body - fl + tl + 1);
    assert_non_null(e);
    memcpy(e, t, pre);
    memcpy(e + pre, to, tl);
    memcpy(e + pre + tl, at + fl, body - pre - fl);
    char *r = with_crc(e, body - fl + tl, len);
    free(e);
    free(t);
    return r;
}

static fsnsa_status parse_text(const char *t, size_t n, fsnsa_error *err)
{
    fsnsa_model *m = NULL;
    fsnsa_status st = fsnsa__model_parse(t, n, "mem.model", true, &m, err);
    if (st == FSNSA_OK)
        assert_non_null(m);
    else
        assert_null(m);
    fsnsa_model_free(m);
    return st;
}

/* ------------------------------------------------------------------ */
/* Tests                                                                */
/* ------------------------------------------------------------------ */

static void round_trip(size_t n_classes)
{
    fsnsa_model *m = make_model(n_classes, 42 + n_classes);
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/m.model", dir);
    fsnsa_error err;
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_OK);
    assert_int_equal(dir_entries(dir), 1); /* no temporary left */
    fsnsa_model *l = NULL;
    fsnsa_status st = fsnsa_model_load(path, &l, &err);
    if (st != FSNSA_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(st, FSNSA_OK);
    same_model(m, l);
    assert_null(l->options.on_epoch);
    assert_null(l->options.on_epoch_ctx);
    assert_null(l->options.stop);

    /* Same predictions, bit for bit. */
    enum { N = 9 };
    float x[N * 6], pa[N * 3], pb[N * 3];
    fsnsa_rng r;
    fsnsa_rng_seed(&r, 5);
    for (size_t i = 0; i < N * 6; i++)
        x[i] = 4.0f * fsnsa_rng_uniform(&r) - 2.0f;
    m->net->W[2] = 0.5f; /* FLT_MAX would saturate every prediction */
    l->net->W[2] = 0.5f;
    assert_int_equal(fsnsa_net_predict(m->net, x, N, 6, pa, &err), FSNSA_OK);
    assert_int_equal(fsnsa_net_predict(l->net, x, N, 6, pb, &err), FSNSA_OK);
    assert_memory_equal(pa, pb, N * n_classes * sizeof(float));

    /* Saving the loaded model gives the same bytes. */
    char path2[140];
    snprintf(path2, sizeof path2, "%s/m2.model", dir);
    m->net->W[2] = FLT_MAX;
    l->net->W[2] = FLT_MAX;
    assert_int_equal(fsnsa_model_save(l, path2, &err), FSNSA_OK);
    size_t n1, n2;
    char *t1 = slurp(path, &n1), *t2 = slurp(path2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(t1, t2, n1);
    free(t1);
    free(t2);
    fsnsa_model_free(l);
    fsnsa_model_free(m);
    remove_dir(dir);
}

static void test_round_trip_binary(void **state)
{
    (void)state;
    round_trip(2);
}

static void test_round_trip_multiclass(void **state)
{
    (void)state;
    round_trip(3);
}

static void test_round_trip_edge_values(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(2, 3);
    /* No label name, no class names, no column description; NaN loss;
     * every byte value 1..255 in one name. */
    free(m->schema.label_name);
    m->schema.label_name = NULL;
    for (size_t k = 0; k < m->schema.n_classes; k++)
        free(m->schema.class_names[k]);
    free(m->schema.class_names);
    m->schema.class_names = NULL;
    m->schema.n_classes = 0;
    char all[256];
    for (int i = 1; i < 256; i++)
        all[i - 1] = (char)i;
    all[255] = 0;
    free(m->schema.columns[0].name);
    m->schema.columns[0].name = fsnsa__strdup(all);
    m->train_loss = NAN;
    m->options.seed = 0;
    m->options.lr = 1e-300;
    m->options.mu = -0.0;
    m->options.method = FSNSA_METHOD_FSA_NSA;
    m->missing = FSNSA_MISSING_ZERO;
    m->scaler.kind = FSNSA_SCALE_MINMAX;
    size_t n;
    char *t = model_text(m, &n);
    fsnsa_model *l = NULL;
    fsnsa_error err;
    fsnsa_status st = fsnsa__model_parse(t, n, "mem", true, &l, &err);
    if (st != FSNSA_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(st, FSNSA_OK);
    same_model(m, l);
    fsnsa_model_free(l);
    free(t);
    fsnsa_model_free(m);
}

static void test_text_layout(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(2, 1);
    size_t n;
    char *t = model_text(m, &n);
    if (getenv("FSNSA_DUMP_MODEL"))
        fwrite(t, 1, n, stderr);
    assert_true(strncmp(t, "fsnsa-model 1.1\n", 16) == 0);
    assert_non_null(strstr(t, "\nmissing mean\nread.format csv\n"
                              "read.delimiter \";\"\nread.decimal \",\"\n"
                              "read.header yes\nread.fields 5\n"
                              "read.label name 2\nread.na_values -\n"
                              "read.ignore_columns -\nlabel \""));
    /* shortest exact forms, C locale */
    assert_non_null(strstr(t, "\ntrain.lr 0.001\n"));
    assert_non_null(strstr(t, "\ntrain.method nsa\n"));
    assert_non_null(strstr(t, "\nfeatures 1 3 4\n"));
    assert_non_null(strstr(t, "\nW 4 3\n-0 "));
    assert_non_null(strstr(t, " 3.4028235e+38\n-1.1754944e-38 0.1 0.33333334\n"));
    assert_non_null(strstr(t, "\ncolumn \"colour\\t\\\"hue\\\"\\\\\" nominal 3\n"));
    assert_non_null(strstr(t, "\nvalue \"gr\xc3\xbcn\"\n"));
    assert_non_null(strstr(t, "\nvalue \"new\\nline\\r\\x01\"\n"));
    assert_non_null(strstr(t, "\"latin1 \\xe9t\\xe9 \\xff\\xfe \\xed\\xa0\\x80\""));
    assert_non_null(strstr(t, "\ncolumn - numeric\n"));
    /* the last line is the checksum of everything before it */
    size_t body = body_len(t, n);
    char want[32];
    snprintf(want, sizeof want, "crc32 %08lx\n",
             crc32(0L, (const Bytef *)t, (uInt)body));
    assert_string_equal(t + body, want);
    free(t);
    fsnsa_model_free(m);
}

static void test_every_prefix_refused(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(3, 9);
    size_t n;
    char *t = model_text(m, &n);
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/cut.model", dir);
    fsnsa_error err;
    for (size_t k = 0; k < n; k++) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(t, 1, k, f), k);
        fclose(f);
        fsnsa_model *l = (fsnsa_model *)&err; /* must be reset to NULL */
        err.msg[0] = 0;
        fsnsa_status st = fsnsa_model_load(path, &l, &err);
        assert_int_not_equal(st, FSNSA_OK);
        assert_null(l);
        /* "path:line: what" */
        assert_true(strncmp(err.msg, path, strlen(path)) == 0);
        assert_true(err.msg[strlen(path)] == ':');
    }
    remove_dir(dir);

    /* Cut after every line but give the cut body a valid checksum: the
     * structure checks alone must refuse it. */
    size_t body = body_len(t, n);
    for (size_t k = 0; k + 1 < body; k++) {
        if (t[k] != '\n')
            continue;
        size_t len;
        char *c = with_crc(t, k + 1, &len);
        assert_int_not_equal(parse_text(c, len, &err), FSNSA_OK);
        free(c);
    }
    free(t);
    fsnsa_model_free(m);
}

static void test_every_flipped_byte_refused(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(2, 11);
    size_t n;
    char *t = model_text(m, &n);
    fsnsa_error err;
    for (size_t k = 0; k < n; k++) {
        for (int bit = 0; bit < 8; bit += 3) {
            t[k] ^= (char)(1 << bit);
            assert_int_not_equal(parse_text(t, n, &err), FSNSA_OK);
            t[k] ^= (char)(1 << bit);
        }
    }
    /* Through a file: the message names the checksum. */
    t[n / 2] ^= 4;
    char path[64];
    tu_write_file(path, sizeof path, ".model", t, n);
    fsnsa_model *l = NULL;
    assert_int_equal(fsnsa_model_load(path, &l, &err), FSNSA_ERR_FORMAT);
    assert_null(l);
    assert_non_null(strstr(err.msg, "checksum"));
    remove(path);
    free(t);
    fsnsa_model_free(m);
}

static void test_wrong_magic_and_versions(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(2, 12);
    fsnsa_error err;
    size_t n;
    char *t;

    t = edited(m, "fsnsa-model 1.1", "liblinear-model 1.0", &n);
    assert_int_equal(parse_text(t, n, &err), FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "mem.model:1: not an fsnsa model"));
    free(t);

    t = edited(m, "fsnsa-model 1.1", "fsnsa-model 2.0", &n);
    assert_int_equal(parse_text(t, n, &err), FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "mem.model:1: "));
    assert_non_null(strstr(err.msg, "newer"));
    free(t);

    t = edited(m, "fsnsa-model 1.1", "fsnsa-model 1", &n);
    assert_int_equal(parse_text(t, n, &err), FSNSA_ERR_FORMAT);
    free(t);

    /* A newer minor version may add lines; this reader skips them. */
    t = edited(m, "fsnsa-model 1.1\n", "fsnsa-model 1.8\nfuture_key 5 \"x\"\n", &n);
    assert_int_equal(parse_text(t, n, &err), FSNSA_OK);
    free(t);
    t = edited(m, "\nb ", "\nfuture_key 1\nb ", &n);
    assert_int_equal(parse_text(t, n, &err), FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "future_key"));
    free(t);

    /* Not text at all. */
    const char bin[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_int_equal(parse_text(bin, sizeof bin - 1, &err), FSNSA_ERR_FORMAT);
    assert_int_equal(parse_text("", 0, &err), FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "empty"));
    fsnsa_model_free(m);
}

static void expect_refused(const fsnsa_model *m, const char *from,
                           const char *to, fsnsa_status code, const char *what)
{
    size_t n;
    fsnsa_error err;
    char *t = edited(m, from, to, &n);
    fsnsa_status st = parse_text(t, n, &err);
    if (st != code || strstr(err.msg, what) == NULL)
        print_error("'%s' -> '%s': got %d '%s'\n", from, to, (int)st, err.msg);
    assert_int_equal(st, code);
    assert_non_null(strstr(err.msg, what));
    free(t);
}

static void test_huge_sizes_refused(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(2, 13);
    const fsnsa_status L = FSNSA_ERR_LIMIT, F = FSNSA_ERR_FORMAT;
    expect_refused(m, "\nh 4\n", "\nh 1000000000000\n", L, "limit");
    expect_refused(m, "\nh 4\n", "\nh 99999999999999999999999\n", L, "limit");
    expect_refused(m, "\nh 4\n", "\nh 16000000\n", F, "cannot fit");
    expect_refused(m, "\np_in 6\n", "\np_in 1000000000000\n", L, "limit");
    expect_refused(m, "\nclasses 2\n", "\nclasses 1000000000000\n", L, "limit");
    expect_refused(m, "\nclasses 2\n", "\nclasses 1000000\n", F, "cannot fit");
    expect_refused(m, "\ncolumns 4\n", "\ncolumns 60000000\n", F, "cannot fit");
    expect_refused(m, "nominal 3\n", "nominal 4000000000\n", L, "limit");
    expect_refused(m, "nominal 3\n", "nominal 40000000\n", F, "cannot fit");
    expect_refused(m, "\nscale standard 6\n", "\nscale standard 60000000\n", F,
                   "scaler has");
    expect_refused(m, "\nW 4 3\n", "\nW 4000000000 3\n", F, "W is");
    fsnsa_model_free(m);
}

static void test_inconsistent_refused(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(2, 14);
    const fsnsa_status F = FSNSA_ERR_FORMAT;
    expect_refused(m, "\nfeatures 1 3 4\n", "\nfeatures 1 4 3\n", F, "ascend");
    expect_refused(m, "\nfeatures 1 3 4\n", "\nfeatures 1 3 6\n", F, "below p_in");
    expect_refused(m, "\nfeatures 1 3 4\n", "\nfeatures 1 3\n", F, "feature index");
    expect_refused(m, "\nfeatures 1 3 4\n", "\nfeatures 1 3 4 5\n", F, "unexpected '5'");
    expect_refused(m, "\nn_out 1\n", "\nn_out 2\n", F, "n_out must be 1");
    expect_refused(m, "\nn_classes 2\n", "\nn_classes 3\n", F, "class names");
    expect_refused(m, "\np_in 6\n", "\np_in 7\n", F, "encoded width");
    expect_refused(m, "\nencoded_width 6\n", "\nencoded_width 7\n", F, "encode 6");
    expect_refused(m, "\nscale standard 6\n", "\nscale standard 5\n", F, "scaler has");
    expect_refused(m, "\nscale standard", "\nscale fancy", F, "unknown scaling");
    expect_refused(m, "\ntrain.method nsa\n", "\ntrain.method magic\n", F, "unknown");
    expect_refused(m, "\ntrain.lr 0.001\n", "\ntrain.lr 0,001\n", F, "train.lr");
    expect_refused(m, "\ntrain.lr 0.001\n", "\ntrain.lr nan\n", F, "train.lr");
    expect_refused(m, "\ntrain.lr 0.001\n", "\ntrain.lr 0x1p-10\n", F, "train.lr");
    expect_refused(m, "\ntrain.shuffle 0\n", "\ntrain.shuffle 2\n", F, "train.shuffle");
    expect_refused(m, "\nb ", "\nb 1e39 ", F, "finite float32");
    expect_refused(m, "\nb ", "\nb inf ", F, "finite float32");
    expect_refused(m, "\nlabel \"", "\nlabel \"\\q", F, "escape");
    expect_refused(m, "\nlabel \"", "\nlabel \"\\x00", F, "\\x");
    expect_refused(m, "\nlabel \"", "\nlabel \"a\"b", F, "closing quote");
    expect_refused(m, "\nclass \"no\"\n", "\nclass \"no\n", F, "not closed");
    expect_refused(m, "\nclass \"no\"\n", "\nclass no\n", F, "quoted string");
    expect_refused(m, "\nW 4 3\n", "\nW 3 3\n", F, "W is");
    expect_refused(m, "\nc ", "\nc 1 ", F, "unexpected");
    expect_refused(m, "\nmissing mean\n", "\nmissing mean\nmissing mean\n", F,
                   "expected 'label'");
    expect_refused(m, "\nc -123456.79\n", "\nc -123456.79\nextra line\n", F,
                   "after the network");
    fsnsa_model_free(m);
}

static void test_missing_file(void **state)
{
    (void)state;
    fsnsa_error err;
    fsnsa_model *l = NULL;
    const char *path = "/nonexistent-fsnsa/dir/none.model";
    assert_int_equal(fsnsa_model_load(path, &l, &err), FSNSA_ERR_IO);
    assert_null(l);
    assert_non_null(strstr(err.msg, path));
    /* a directory is not a model either */
    assert_int_not_equal(fsnsa_model_load("/tmp", &l, &err), FSNSA_OK);
    assert_null(l);
}

static void test_save_refuses_bad_model(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(2, 15);
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/bad.model", dir);
    fsnsa_error err;
    m->net->features[1] = 0; /* not ascending */
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_ERR_ARG);
    m->net->features[1] = 3;
    m->net->W[5] = NAN;
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_ERR_ARG);
    m->net->W[5] = 0.0f;
    m->scaler.p = 5;
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_ERR_ARG);
    m->scaler.p = 6;
    m->schema.columns[1].n_values = 2; /* widths no longer sum to 6 */
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_ERR_ARG);
    m->schema.columns[1].n_values = 3;
    assert_int_equal(dir_entries(dir), 0);
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_OK);
    assert_int_equal(dir_entries(dir), 1);
    remove_dir(dir);
    fsnsa_model_free(m);
}

static void test_atomic_write(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(2, 16);
    fsnsa_error err;
    /* Target in a directory that does not exist: error, nothing created. */
    assert_int_equal(fsnsa_model_save(m, "/nonexistent-fsnsa/x/m.model", &err),
                     FSNSA_ERR_IO);

    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/m.model", dir);
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_OK);
    size_t n0;
    char *before = slurp(path, &n0);

    /* A write that fails half way (file size limit): the old model stays
     * as it was and no temporary file is left behind. */
    m->net->b[1] = 42.0f;
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 200;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    fsnsa_status st = fsnsa_model_save(m, path, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    assert_int_equal(st, FSNSA_ERR_IO);
    assert_non_null(strstr(err.msg, path));
    size_t n1;
    char *after = slurp(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    assert_int_equal(dir_entries(dir), 1);

    /* The target is a directory: rename fails, the temp file goes. */
    char sub[140];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    char inner[160];
    snprintf(inner, sizeof inner, "%s/keep", sub);
    FILE *f = fopen(inner, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(fsnsa_model_save(m, sub, &err), FSNSA_ERR_IO);
    assert_int_equal(dir_entries(dir), 2);
    remove(inner);
    free(before);
    free(after);
    remove_dir(dir);
    fsnsa_model_free(m);
}

/* The command writes its model through fsnsa_model_save: a device given
 * as MODEL stays a device, a FIFO receives the model, a symlink stays a
 * link and its target is replaced. */
static void test_save_device_fifo_symlink(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(3, 5);
    fsnsa_error err;
    size_t want_len;
    char *want = model_text(m, &want_len);
    char dir[64], path[160];
    make_dir(dir, sizeof dir);

    snprintf(path, sizeof path, "%s/null", dir);
    if (tu_make_null_device(path) == 0) {
        assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_OK);
        assert_true(tu_is_null_device(path));
        unlink(path);
    } else {
        print_message("mknod not allowed: device case skipped\n");
    }

    snprintf(path, sizeof path, "%s/fifo", dir);
    tu_fifo_reader r;
    tu_fifo_start(&r, path);
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_OK);
    tu_fifo_join(&r);
    assert_int_equal(r.len, want_len);
    assert_memory_equal(r.data, want, want_len);
    free(r.data);
    assert_true(tu_is_fifo(path));
    unlink(path);

    char link[160], target[160];
    snprintf(target, sizeof target, "%s/real.model", dir);
    snprintf(link, sizeof link, "%s/m.model", dir);
    FILE *f = fopen(target, "w");
    assert_non_null(f);
    fputs("old\n", f);
    fclose(f);
    assert_int_equal(symlink("real.model", link), 0);
    assert_int_equal(fsnsa_model_save(m, link, &err), FSNSA_OK);
    assert_true(tu_is_symlink(link));
    size_t got_len;
    char *got = slurp(target, &got_len);
    assert_int_equal(got_len, want_len);
    assert_memory_equal(got, want, want_len);
    free(got);
    fsnsa_model *l = NULL;
    assert_int_equal(fsnsa_model_load(link, &l, &err), FSNSA_OK);
    fsnsa_model_free(l);
    assert_int_equal(dir_entries(dir), 2);
    free(want);
    remove_dir(dir);
    fsnsa_model_free(m);
}

typedef struct {
    const fsnsa_model *m;
    const char *path;
    fsnsa_status st;
} save_job;

static void *save_thread(void *arg)
{
    save_job *j = arg;
    fsnsa_error err;
    j->st = fsnsa_model_save(j->m, j->path, &err);
    return NULL;
}

/* 60 threads save to one path at once (31 of 60 failed with the old
 * PATH.tmp.PID name): all succeed, the file is one complete model. */
static void test_concurrent_saves(void **state)
{
    (void)state;
    enum { N = 60 };
    fsnsa_model *m = make_model(2, 9);
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/same.model", dir);
    pthread_t th[N];
    save_job jobs[N];
    for (int i = 0; i < N; i++) {
        jobs[i] = (save_job){m, path, FSNSA_ERR_IO};
        assert_int_equal(pthread_create(&th[i], NULL, save_thread, &jobs[i]),
                         0);
    }
    int failed = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        failed += jobs[i].st != FSNSA_OK;
    }
    assert_int_equal(failed, 0);
    size_t want_len, got_len;
    char *want = model_text(m, &want_len);
    char *got = slurp(path, &got_len);
    assert_int_equal(got_len, want_len);
    assert_memory_equal(got, want, want_len);
    assert_int_equal(dir_entries(dir), 1);
    free(want);
    free(got);
    remove_dir(dir);
    fsnsa_model_free(m);
}

/* SIGKILL in the middle of a large save. The child's file size limit
 * stops its write half way; the SIGXFSZ that brings is turned into a
 * SIGKILL, so the process dies mid-write with no chance to clean up,
 * exactly where it is each time. With O_TMPFILE the half-written file has
 * no name: nothing stays, and the old model is intact. (The old
 * PATH.tmp.PID stayed here for good.) */
static void kill_self(int sig)
{
    (void)sig;
    kill(getpid(), SIGKILL);
}

static void test_killed_during_save(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(2, 11);
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/w.model", dir);
    fsnsa_error err;
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_OK);
    size_t old_len;
    char *old = slurp(path, &old_len);
    fsnsa_net_free(m->net);
    assert_int_equal(fsnsa_net_create(6, 5000, 2, 11, &m->net, &err),
                     FSNSA_OK);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit lim = {64 * 1024, 64 * 1024};
        signal(SIGXFSZ, kill_self);
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
            _exit(1);
        fsnsa_model_save(m, path, &err);
        _exit(2); /* not reached: the write passes the limit */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    char *names[8];
    size_t n = tu_dir_list(dir, names, 8);
    for (size_t i = 0; i < n && i < 8; i++)
        if (strcmp(names[i], "w.model") != 0)
            print_message("left behind: %s\n", names[i]);
    tu_free_names(names, n < 8 ? n : 8);
    assert_int_equal(n, 1);
    size_t now_len;
    char *now = slurp(path, &now_len);
    assert_int_equal(now_len, old_len);
    assert_memory_equal(now, old, old_len);
    free(old);
    free(now);
    remove_dir(dir);
    fsnsa_model_free(m);
}

static void test_locale_independent(void **state)
{
    (void)state;
    /* A program that switched to a comma-decimal locale still writes and
     * reads "0.5". Skipped where no such locale is installed. */
    const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                           "fr_FR.utf8", "ru_RU.UTF-8", NULL};
    const char *got = NULL;
    for (int i = 0; names[i] && !got; i++)
        got = setlocale(LC_NUMERIC, names[i]);
    if (got == NULL)
        skip();
    char t[16];
    snprintf(t, sizeof t, "%.1f", 0.5);
    fsnsa_model *m = make_model(2, 17);
    size_t n;
    char *text = model_text(m, &n);
    fsnsa_model *l = NULL;
    fsnsa_error err;
    fsnsa_status st = fsnsa__model_parse(text, n, "mem", true, &l, &err);
    setlocale(LC_NUMERIC, "C");
    assert_string_equal(t, "0,5"); /* the locale really was active */
    assert_non_null(strstr(text, "\ntrain.lr 0.001\n"));
    assert_int_equal(st, FSNSA_OK);
    same_model(m, l);
    fsnsa_model_free(l);
    fsnsa_model_free(m);
    free(text);
}

/* ------------------------------------------------------------------ */
/* How the data was read (format 1.1)                                   */
/* ------------------------------------------------------------------ */

/* A model that records nothing about its data is written as 1.0, with
 * no read.* line, and reads as it did before the record existed. */
static void test_record_less_is_1_0(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(2, 21);
    fsnsa_read_record_clear(&m->read);
    size_t n;
    char *t = model_text(m, &n);
    assert_true(strncmp(t, "fsnsa-model 1.0\n", 16) == 0);
    assert_null(strstr(t, "read."));
    fsnsa_model *l = NULL;
    fsnsa_error err;
    assert_int_equal(fsnsa__model_parse(t, n, "mem", true, &l, &err), FSNSA_OK);
    same_model(m, l);
    assert_int_equal(l->read.layout.format, FSNSA_FORMAT_AUTO);
    fsnsa_read_options o, d;
    fsnsa_model_read_options(l, &o);
    fsnsa_read_options_default(&d);
    assert_int_equal(o.format, d.format);
    assert_int_equal(o.delimiter, d.delimiter);
    assert_int_equal(o.decimal, d.decimal);
    assert_int_equal(o.header, d.header);
    assert_null(o.label_column);
    assert_null(o.labels_file);
    assert_ptr_equal(o.schema, &l->schema);
    assert_int_equal(o.missing, FSNSA_MISSING_MEAN);
    fsnsa_model_free(l);
    free(t);
    fsnsa_model_free(m);
}

/* Every kind of record round-trips, and gives predict the options that
 * read data the same way. */
static void test_read_record_kinds(void **state)
{
    (void)state;
    static const struct {
        fsnsa_layout l;
        const char *line, *label_column;
    } kinds[] = {
        {{FSNSA_FORMAT_CSV, ',', '.', 0, 5, FSNSA_LABEL_FIRST, 0},
         "read.label first 0\n", "first"},
        {{FSNSA_FORMAT_UCI, ',', 0, 0, 5, FSNSA_LABEL_LAST, 4},
         "read.label last 4\n", "last"},
        {{FSNSA_FORMAT_CSV, '\t', 0, 1, 7, FSNSA_LABEL_INDEX, 3},
         "read.delimiter \"\\t\"\nread.decimal -\nread.header yes\n"
         "read.fields 7\nread.label index 3\n", "3"},
        {{FSNSA_FORMAT_CSV, ' ', ',', 0, 4, FSNSA_LABEL_FILE, SIZE_MAX},
         "read.label file -\n", "none"},
        {{FSNSA_FORMAT_ARFF, 0, 0, -1, 5, FSNSA_LABEL_NAME, 1},
         "read.format arff\nread.delimiter -\nread.decimal -\n"
         "read.header -\nread.fields 5\nread.label name 1\n", "1"},
        {{FSNSA_FORMAT_LIBSVM, 0, 0, -1, 0, FSNSA_LABEL_FIRST, 0},
         "read.fields 0\nread.label first 0\n", "first"},
        {{FSNSA_FORMAT_LIBSVM, 0, 0, -1, 0, FSNSA_LABEL_NONE, SIZE_MAX},
         "read.label none -\n", "none"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        fsnsa_model *m = make_model(3, 30 + i);
        fsnsa_error err;
        fsnsa_status st = fsnsa_model_set_read(m, &kinds[i].l, NULL, &err);
        if (st != FSNSA_OK)
            print_error("%zu: %s\n", i, err.msg);
        assert_int_equal(st, FSNSA_OK);
        assert_string_equal(m->read.label_column, kinds[i].label_column);
        size_t n;
        char *t = model_text(m, &n);
        if (strstr(t, kinds[i].line) == NULL)
            print_error("%zu: no '%s' in\n%s", i, kinds[i].line, t);
        assert_non_null(strstr(t, kinds[i].line));
        fsnsa_model *l = NULL;
        assert_int_equal(fsnsa__model_parse(t, n, "mem", true, &l, &err),
                         FSNSA_OK);
        same_model(m, l);
        fsnsa_read_options o;
        fsnsa_model_read_options(l, &o);
        assert_int_equal(o.format, kinds[i].l.format);
        assert_int_equal(o.delimiter, kinds[i].l.delimiter);
        assert_int_equal(o.decimal, kinds[i].l.decimal);
        assert_int_equal(o.header, kinds[i].l.header);
        assert_string_equal(o.label_column, kinds[i].label_column);
        assert_null(o.labels_file);
        assert_ptr_equal(o.schema, &l->schema);
        assert_int_equal(o.missing, FSNSA_MISSING_MEAN);
        fsnsa_model_free(l);
        free(t);
        fsnsa_model_free(m);
    }
}

/* The string read options round-trip, NULL (the default) apart from "". */
static void test_read_record_strings(void **state)
{
    (void)state;
    static const struct {
        const char *na, *ignore, *line;
    } cases[] = {
        {NULL, NULL, "read.na_values -\nread.ignore_columns -\n"},
        {"", "0", "read.na_values \"\"\nread.ignore_columns \"0\"\n"},
        {"NA,-,x y", "id, name",
         "read.na_values \"NA,-,x y\"\nread.ignore_columns \"id, name\"\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fsnsa_model *m = make_model(3, 50 + i);
        fsnsa_layout l = {FSNSA_FORMAT_CSV, ',', 0, 1, 6, FSNSA_LABEL_LAST, 5};
        fsnsa_read_options given;
        fsnsa_read_options_default(&given);
        given.na_values = cases[i].na;
        given.ignore_columns = cases[i].ignore;
        fsnsa_error err;
        assert_int_equal(fsnsa_model_set_read(m, &l, &given, &err), FSNSA_OK);
        size_t n;
        char *t = model_text(m, &n);
        if (strstr(t, cases[i].line) == NULL)
            print_error("%zu: no '%s' in\n%s", i, cases[i].line, t);
        assert_non_null(strstr(t, cases[i].line));
        fsnsa_model *back = NULL;
        assert_int_equal(fsnsa__model_parse(t, n, "mem", true, &back, &err),
                         FSNSA_OK);
        fsnsa_read_options o;
        fsnsa_model_read_options(back, &o);
        if (cases[i].na == NULL)
            assert_null(o.na_values);
        else
            assert_string_equal(o.na_values, cases[i].na);
        if (cases[i].ignore == NULL)
            assert_null(o.ignore_columns);
        else
            assert_string_equal(o.ignore_columns, cases[i].ignore);
        fsnsa_model_free(back);
        free(t);
        fsnsa_model_free(m);
    }
}

/* A record that contradicts itself or the schema is refused when it is
 * recorded, saved and loaded. */
static void test_read_record_refused(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(2, 22);
    const fsnsa_status F = FSNSA_ERR_FORMAT, L = FSNSA_ERR_LIMIT;
    expect_refused(m, "read.format csv", "read.format auto", F,
                   "read.format must name");
    expect_refused(m, "read.format csv", "read.format xlsx", F,
                   "unknown data format 'xlsx'");
    expect_refused(m, "read.delimiter \";\"", "read.delimiter \";;\"", F,
                   "one character");
    expect_refused(m, "read.delimiter \";\"", "read.delimiter \"\"", F,
                   "one character");
    expect_refused(m, "read.delimiter \";\"", "read.delimiter \"\\\"\"", F,
                   "delimiter 0x22 cannot be used");
    expect_refused(m, "read.delimiter \";\"", "read.delimiter -", F,
                   "needs a delimiter");
    expect_refused(m, "read.delimiter \";\"", "read.delimiter \",\"", F,
                   "decimal commas need a delimiter other than ','");
    expect_refused(m, "read.decimal \",\"", "read.decimal \"x\"", F,
                   "decimal mark 0x78 cannot be used");
    expect_refused(m, "read.header yes", "read.header maybe", F,
                   "unknown read.header 'maybe'");
    expect_refused(m, "read.header yes", "read.header -", F,
                   "header of yes or no");
    expect_refused(m, "read.fields 5", "read.fields 4", F,
                   "fewer fields than the schema has columns");
    expect_refused(m, "read.fields 5", "read.fields 2", F, "beyond the fields");
    expect_refused(m, "read.fields 5", "read.fields 99999999999999999999999",
                   L, "read.fields");
    expect_refused(m, "read.label name 2", "read.label first 2", F,
                   "first must be in field 0");
    expect_refused(m, "read.label name 2", "read.label last 2", F,
                   "last must be in the last field");
    expect_refused(m, "read.label name 2", "read.label none 2", F,
                   "'-' exactly");
    expect_refused(m, "read.label name 2", "read.label name -", F,
                   "'-' exactly");
    expect_refused(m, "read.label name 2", "read.label named 2", F,
                   "unknown label source 'named'");
    expect_refused(m, "read.label name 2", "read.label name", F,
                   "missing label field");
    expect_refused(m, "read.label name 2", "read.label name 2 3", F,
                   "unexpected '3'");
    expect_refused(m, "read.format csv", "read.format arff", F,
                   "only delimited text");
    expect_refused(m, "\nread.header yes\n", "\n", F,
                   "expected 'read.header'");
    /* 1.1 lines in a file that says 1.0 */
    expect_refused(m, "fsnsa-model 1.1", "fsnsa-model 1.0", F,
                   "read.format is a line of model format 1.1");

    /* The API refuses to record such a layout, and save to write one. */
    fsnsa_error err;
    fsnsa_layout bad = m->read.layout;
    bad.label_field = 7;
    assert_int_equal(fsnsa_model_set_read(m, &bad, NULL, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "beyond the fields"));
    assert_int_equal(m->read.layout.label_field, 2); /* unchanged */
    bad = m->read.layout;
    bad.delimiter = '\n';
    assert_int_equal(fsnsa_model_set_read(m, &bad, NULL, &err), FSNSA_ERR_ARG);
    m->read.layout.label = FSNSA_LABEL_FIRST;
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/bad.model", dir);
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "first must be in field 0"));
    assert_int_equal(dir_entries(dir), 0);
    remove_dir(dir);
    /* A layout of unknown format records nothing. */
    fsnsa_layout none;
    memset(&none, 0, sizeof none);
    assert_int_equal(fsnsa_model_set_read(m, &none, NULL, &err), FSNSA_OK);
    assert_int_equal(m->read.layout.format, FSNSA_FORMAT_AUTO);
    fsnsa_model_free(m);
}

/* A model written by fsnsa before format 1.1 (tests/fixtures) loads and
 * reads data with the defaults, as it did. */
static void test_old_model_fixture(void **state)
{
    (void)state;
    fsnsa_model *m = NULL;
    fsnsa_error err;
    fsnsa_status st = fsnsa_model_load("tests/fixtures/old-1.0.model", &m, &err);
    if (st != FSNSA_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(st, FSNSA_OK);
    assert_int_equal(m->read.layout.format, FSNSA_FORMAT_AUTO);
    assert_int_equal(m->schema.n_columns, 3);
    assert_string_equal(m->schema.label_name, "label");
    fsnsa_read_options o;
    fsnsa_model_read_options(m, &o);
    assert_int_equal(o.format, FSNSA_FORMAT_AUTO);
    assert_int_equal(o.header, -1);
    assert_null(o.label_column);
    fsnsa_dataset *d = NULL;
    st = fsnsa_dataset_read("tests/fixtures/old-model.csv", &o, &d, &err);
    assert_int_equal(st, FSNSA_OK);
    assert_int_equal(d->n, 48);
    assert_int_equal(d->p, m->net->p_in);
    fsnsa_dataset_free(d);
    fsnsa_model_free(m);
}

/* The text with every "\n" as "\r\n" (len: in and out). */
static char *crlf(const char *t, size_t *len, size_t from)
{
    char *c = malloc(2 * *len + 1);
    assert_non_null(c);
    size_t k = 0;
    for (size_t i = 0; i < *len; i++) {
        if (t[i] == '\n' && i >= from)
            c[k++] = '\r';
        c[k++] = t[i];
    }
    *len = k;
    return c;
}

/* A model file whose lines end in CR LF (a Windows checkout) loads: the
 * checksum is that of the LF text. */
static void test_crlf_model(void **state)
{
    (void)state;
    fsnsa_model *m = make_model(3, 23);
    size_t n;
    char *t = model_text(m, &n);
    fsnsa_error err;
    for (size_t from = 0; from < n; from += n / 3) { /* also mixed */
        size_t len = n;
        char *c = crlf(t, &len, from);
        fsnsa_model *l = NULL;
        fsnsa_status st = fsnsa__model_parse(c, len, "mem", true, &l, &err);
        if (st != FSNSA_OK)
            print_error("from %zu: %s\n", from, err.msg);
        assert_int_equal(st, FSNSA_OK);
        same_model(m, l);
        fsnsa_model_free(l);
        free(c);
    }
    /* through a file, and a damaged CRLF file is still refused */
    size_t len = n;
    char *c = crlf(t, &len, 0);
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/crlf.model", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(c, 1, len, f), len);
    fclose(f);
    fsnsa_model *l = NULL;
    assert_int_equal(fsnsa_model_load(path, &l, &err), FSNSA_OK);
    same_model(m, l);
    fsnsa_model_free(l);
    c[len / 2] ^= 8;
    assert_int_equal(fsnsa__model_parse(c, len, "mem", true, &l, &err),
                     FSNSA_ERR_FORMAT);
    /* CR alone ends no line: said plainly */
    for (size_t i = 0; i < n; i++)
        if (t[i] == '\n')
            t[i] = '\r';
    assert_int_equal(fsnsa__model_parse(t, n, "mem", true, &l, &err),
                     FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "mem:1: the lines end in CR alone"));
    remove_dir(dir);
    free(c);
    free(t);
    fsnsa_model_free(m);
}

/* In the limited child: the load must refuse within a second. */
static int load_refused_quickly(void *path)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    fsnsa_model *m = NULL;
    fsnsa_error err;
    fsnsa_status st = fsnsa_model_load(path, &m, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) +
               1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    fprintf(stderr, "1 GiB non-model file: %s (%.3f s)\n", err.msg, s);
    if (st != FSNSA_ERR_FORMAT || strstr(err.msg, ":1: not an fsnsa model") == NULL)
        return 91;
    return s < 1.0 ? 0 : 92;
}

/* A 1 GiB data file given as the model is refused after its first bytes:
 * quickly, in a child that may not grow by 256 MiB (except under ASan,
 * whose shadow memory needs the address space; the peak RSS then). */
static void test_non_model_refused_early(void **state)
{
    (void)state;
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/big.csv", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    const char head[] = "x0,x1,y\n0.5,1.5,yes\n";
    assert_int_equal(write(fd, head, sizeof head - 1), (ssize_t)(sizeof head - 1));
    if (ftruncate(fd, (off_t)1 << 30) != 0) { /* sparse: no disk used */
        close(fd);
        remove_dir(dir);
        skip();
    }
    close(fd);
    const size_t headroom = (size_t)256 << 20;
    tu_run_limited(headroom, load_refused_quickly, path);
    struct rusage ru;
    assert_int_equal(getrusage(RUSAGE_CHILDREN, &ru), 0); /* the only child */
    remove_dir(dir);
    assert_true((size_t)ru.ru_maxrss * 1024 < headroom + tu_vm_bytes());
}

static void test_free_null(void **state)
{
    (void)state;
    fsnsa_model_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_binary),
        cmocka_unit_test(test_round_trip_multiclass),
        cmocka_unit_test(test_round_trip_edge_values),
        cmocka_unit_test(test_text_layout),
        cmocka_unit_test(test_every_prefix_refused),
        cmocka_unit_test(test_every_flipped_byte_refused),
        cmocka_unit_test(test_wrong_magic_and_versions),
        cmocka_unit_test(test_huge_sizes_refused),
        cmocka_unit_test(test_inconsistent_refused),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_save_refuses_bad_model),
        cmocka_unit_test(test_atomic_write),
        cmocka_unit_test(test_save_device_fifo_symlink),
        cmocka_unit_test(test_concurrent_saves),
        cmocka_unit_test(test_killed_during_save),
        cmocka_unit_test(test_locale_independent),
        cmocka_unit_test(test_record_less_is_1_0),
        cmocka_unit_test(test_read_record_kinds),
        cmocka_unit_test(test_read_record_strings),
        cmocka_unit_test(test_read_record_refused),
        cmocka_unit_test(test_old_model_fixture),
        cmocka_unit_test(test_crlf_model),
        cmocka_unit_test(test_non_model_refused_early),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}

/* The model file: a versioned, checksummed text format in the spirit of
 * LIBLINEAR's (docs/model-format.md describes it line by line).
 *
 * Text rather than binary so that a user can read the selected features and
 * the weights with any tool; every number is written in the shortest form
 * that reads back bit for bit. The file is built in memory and written
 * atomically; the loader reads it whole, checks magic, version and CRC-32
 * before parsing, then checks every size against limits and against the
 * bytes actually present before allocating anything, so a hostile file can
 * neither crash it nor make it allocate much more than its own size. */
#include "model.h"

#include "data/data.h"
#include "nn/network.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define MAGIC "fsnsa-model"
#define FORMAT_MAJOR 1
#define FORMAT_MINOR 1

/* Resource limits (see docs/model-format.md). Far above any model the
 * trainer produces, far below what would exhaust memory. */
#define MAX_FILE_BYTES ((uint64_t)4 << 30)
#define MAX_WIDTH ((size_t)1 << 26)   /* p_in, columns, values of a column */
#define MAX_HIDDEN ((size_t)1 << 24)
#define MAX_CLASSES ((size_t)1 << 20)

/* ------------------------------------------------------------------ */
/* Locale: printf/strtod follow LC_NUMERIC, so a program that called    */
/* setlocale(LC_ALL, "") would write "0,5". uselocale() switches only   */
/* the calling thread to "C" for the duration of a save or load.        */
/* ------------------------------------------------------------------ */

typedef struct {
    locale_t c, old;
} c_locale;

static bool c_locale_enter(c_locale *l)
{
    l->c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (l->c == (locale_t)0)
        return false;
    l->old = uselocale(l->c);
    return true;
}

static void c_locale_leave(c_locale *l)
{
    uselocale(l->old);
    freelocale(l->c);
}

/* ------------------------------------------------------------------ */
/* Names shared by writer and reader                                    */
/* ------------------------------------------------------------------ */

/* The enums' names are the library's one table of each (core/names.c). */
#define METHOD_NAMES (fsnsa_method_names())
#define MISSING_NAMES (fsnsa_missing_names())
#define SCALE_NAMES (fsnsa_scale_names())
#define FORMAT_NAMES (fsnsa_format_names())
#define LABEL_NAMES (fsnsa_label_source_names())
/* Header -1, 0, 1. */
static const char *const HEADER_NAMES[] = {"-", "no", "yes"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static size_t count_names(const char *const *v)
{
    size_t n = 0;
    while (v[n] != NULL)
        n++;
    return n;
}

/* The read options that are strings, each stored as a "read.NAME S" line
 * after read.label (absent or '-': NULL). The field has the same name in
 * fsnsa_read_record (owned copy) and in fsnsa_read_options. To store one
 * more: its field in fsnsa_read_record, and READ_STRING(name) here. */
typedef struct {
    const char *key;
    size_t record, options; /* offsets of the char * fields */
} read_string;
#define READ_STRING(f)                                                     \
    {"read." #f, offsetof(fsnsa_read_record, f),                           \
     offsetof(fsnsa_read_options, f)}
static const read_string READ_STRINGS[] = {
    READ_STRING(na_values),
    READ_STRING(ignore_columns),
    {NULL, 0, 0} /* end */
};

/* The string field at offset `off` of a struct (char * or const char *:
 * the same representation). */
static char *str_at(const void *base, size_t off)
{
    char *v;
    memcpy(&v, (const char *)base + off, sizeof v);
    return v;
}

static void set_str_at(void *base, size_t off, const char *v)
{
    memcpy((char *)base + off, &v, sizeof v);
}

/* Every key of versions 1.0 and 1.1 (and READ_STRINGS); a file of a newer
 * minor version may carry other lines, which this reader skips. */
static const char *const KEYS[] = {
    "created_by", "train.method", "train.hidden", "train.start_hidden",
    "train.features", "train.epochs", "train.mu", "train.batch", "train.lr",
    "train.beta1", "train.beta2", "train.eps", "train.weight_decay",
    "train.seed", "train.shuffle", "train_loss", "missing", "label",
    "classes", "class", "columns", "column", "value", "encoded_width",
    "scale", "shift", "mult", "fill", "p_in", "p", "h", "n_classes", "n_out",
    "features", "W", "b", "beta", "c", "crc32", "read.format",
    "read.delimiter", "read.decimal", "read.header", "read.fields",
    "read.label"};

/* ------------------------------------------------------------------ */
/* The read record: how the training data was read                      */
/* ------------------------------------------------------------------ */

static bool recorded(const fsnsa_read_record *r)
{
    return r->layout.format != FSNSA_FORMAT_AUTO;
}

static void set_label_column(fsnsa_read_record *r)
{
    const fsnsa_layout *l = &r->layout;
    const char *t = l->label_field == SIZE_MAX       ? "none"
                    : l->label == FSNSA_LABEL_FIRST ? "first"
                    : l->label == FSNSA_LABEL_LAST  ? "last"
                                                    : NULL;
    if (t != NULL)
        snprintf(r->label_column, sizeof r->label_column, "%s", t);
    else
        snprintf(r->label_column, sizeof r->label_column, "%zu",
                 l->label_field);
}

void fsnsa_read_record_clear(fsnsa_read_record *r)
{
    if (r == NULL)
        return;
    for (const read_string *e = READ_STRINGS; e->key != NULL; e++)
        free(str_at(r, e->record));
    memset(r, 0, sizeof *r);
}

void fsnsa_model_read_options(const fsnsa_model *m, fsnsa_read_options *o)
{
    fsnsa_read_options_default(o);
    o->schema = &m->schema;
    o->missing = m->missing;
    const fsnsa_read_record *r = &m->read;
    if (!recorded(r))
        return; /* format 1.0: the defaults, as before */
    o->format = r->layout.format;
    o->delimiter = r->layout.delimiter;
    o->decimal = r->layout.decimal;
    o->header = r->layout.header;
    o->label_column = r->label_column;
    for (const read_string *e = READ_STRINGS; e->key != NULL; e++)
        set_str_at(o, e->options, str_at(r, e->record));
}

/* What contradicts itself in a record, or NULL: the options it gives
 * predict must be valid, and the label's field must agree with how it was
 * asked for, with the number of fields and with the schema's columns. */
static const char *read_problem(const fsnsa_read_record *r,
                                const fsnsa_schema *s, char *buf,
                                size_t size)
{
    const fsnsa_layout *l = &r->layout;
    if ((unsigned)l->format >= count_names(FORMAT_NAMES))
        return "unknown data format";
    if ((unsigned)l->label >= count_names(LABEL_NAMES))
        return "unknown label source";
    bool text = l->format == FSNSA_FORMAT_CSV || l->format == FSNSA_FORMAT_UCI;
    bool svm = l->format == FSNSA_FORMAT_LIBSVM;
    bool in_file = l->label_field != SIZE_MAX;
    if (text && (l->delimiter == 0 || (l->header != 0 && l->header != 1)))
        return "delimited text needs a delimiter and a header of yes or no";
    if (!text && (l->delimiter != 0 || l->decimal != 0 || l->header != -1))
        return "only delimited text has a delimiter, a decimal mark and a "
               "header";
    if (in_file != (l->label != FSNSA_LABEL_NONE && l->label != FSNSA_LABEL_FILE))
        return "the label field must be '-' exactly for a label of none or "
               "file";
    if (svm && (l->fields != 0 || (in_file && l->label != FSNSA_LABEL_FIRST)))
        return "LIBSVM data has 0 fields and its label first";
    if (!svm && in_file && l->label_field >= l->fields)
        return "the label field is beyond the fields";
    if (l->label == FSNSA_LABEL_FIRST && in_file && l->label_field != 0)
        return "a label asked for as first must be in field 0";
    if (!svm && l->label == FSNSA_LABEL_LAST && l->label_field + 1 != l->fields)
        return "a label asked for as last must be in the last field";
    if (!svm && s->n_columns > 0 && l->fields < s->n_columns + in_file)
        return "fewer fields than the schema has columns";
    fsnsa_read_options o;
    fsnsa_model m;
    fsnsa_error e;
    memset(&m, 0, sizeof m);
    m.read = *r;
    fsnsa_model_read_options(&m, &o);
    if (fsnsa__read_options_check(&o, &e) != FSNSA_OK) {
        snprintf(buf, size, "%s", e.msg);
        return buf;
    }
    return NULL;
}

fsnsa_status fsnsa_model_set_read(fsnsa_model *m, const fsnsa_layout *layout,
                                  const fsnsa_read_options *given,
                                  fsnsa_error *err)
{
    fsnsa_read_record r;
    memset(&r, 0, sizeof r);
    if (layout->format != FSNSA_FORMAT_AUTO) {
        char buf[FSNSA_ERRMSG_MAX];
        r.layout = *layout;
        set_label_column(&r);
        const char *why = read_problem(&r, &m->schema, buf, sizeof buf);
        if (why != NULL)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "cannot record how the data was read: %s", why);
        for (const read_string *e = READ_STRINGS; e->key != NULL; e++) {
            const char *v = given != NULL ? str_at(given, e->options) : NULL;
            char *copy = v != NULL ? fsnsa__strdup(v) : NULL;
            if (v != NULL && copy == NULL) {
                fsnsa_read_record_clear(&r);
                return fsnsa__nomem(err, "the read settings");
            }
            set_str_at(&r, e->record, copy);
        }
    }
    fsnsa_read_record_clear(&m->read);
    m->read = r;
    return FSNSA_OK;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */
/* ------------------------------------------------------------------ */

typedef struct {
    char *p;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (n > b->cap - b->len) {
        size_t need, cap = b->cap ? b->cap : 4096;
        if (!fsnsa__add(b->len, n, &need)) {
            b->oom = true;
            return;
        }
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        char *q = realloc(b->p, cap);
        if (q == NULL) {
            b->oom = true;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void sb_str(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_size(sbuf *b, size_t v)
{
    char t[32];
    snprintf(t, sizeof t, "%zu", v);
    sb_str(b, t);
}

/* Shortest of %.6g..%.9g that reads back to the same float (9 digits
 * always do). */
static void sb_float(sbuf *b, float v)
{
    char t[48];
    for (int prec = 6; prec <= 9; prec++) {
        snprintf(t, sizeof t, "%.*g", prec, (double)v);
        if (strtof(t, NULL) == v)
            break;
    }
    sb_str(b, t);
}

/* Shortest of %.15g..%.17g that reads back to the same double. */
static void sb_double(sbuf *b, double v)
{
    char t[48];
    if (isnan(v)) {
        sb_str(b, "nan");
        return;
    }
    if (isinf(v)) {
        sb_str(b, v > 0 ? "inf" : "-inf");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(t, sizeof t, "%.*g", prec, v);
        if (strtod(t, NULL) == v)
            break;
    }
    sb_str(b, t);
}

/* Length of the well-formed UTF-8 sequence starting at u (RFC 3629), 0 if
 * there is none. u is NUL-terminated, so a short sequence stops at the
 * NUL before reading past it. */
static size_t utf8_seq(const unsigned char *u)
{
    unsigned c = u[0];
#define CONT(x) ((x) >= 0x80 && (x) <= 0xBF)
    if (c >= 0xC2 && c <= 0xDF)
        return CONT(u[1]) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return u[1] >= lo && u[1] <= hi && CONT(u[2]) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return u[1] >= lo && u[1] <= hi && CONT(u[2]) && CONT(u[3]) ? 4 : 0;
    }
#undef CONT
    return 0;
}

/* A string as "..." with \\ \" \n \r \t \xHH escapes; valid UTF-8 is kept
 * as is (readable), any other byte >= 0x80 is escaped, so every byte
 * string round-trips. NULL is written as a bare '-'. */
static void sb_string(sbuf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (s == NULL) {
        sb_put(b, "-", 1);
        return;
    }
    sb_put(b, "\"", 1);
    const unsigned char *u = (const unsigned char *)s;
    while (*u != 0) {
        unsigned c = *u;
        size_t k;
        char e[4] = {'\\', 0, 0, 0};
        if (c == '"' || c == '\\') {
            e[1] = (char)c;
            sb_put(b, e, 2);
        } else if (c == '\n' || c == '\r' || c == '\t') {
            e[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
            sb_put(b, e, 2);
        } else if (c >= 0x20 && c < 0x7F) {
            sb_put(b, (const char *)u, 1);
        } else if (c >= 0x80 && (k = utf8_seq(u)) > 0) {
            sb_put(b, (const char *)u, k);
            u += k;
            continue;
        } else {
            e[1] = 'x';
            e[2] = hex[c >> 4];
            e[3] = hex[c & 15];
            sb_put(b, e, 4);
        }
        u++;
    }
    sb_put(b, "\"", 1);
}

static void sb_key_size(sbuf *b, const char *key, size_t v)
{
    sb_str(b, key);
    sb_put(b, " ", 1);
    sb_size(b, v);
    sb_put(b, "\n", 1);
}

static void sb_key_double(sbuf *b, const char *key, double v)
{
    sb_str(b, key);
    sb_put(b, " ", 1);
    sb_double(b, v);
    sb_put(b, "\n", 1);
}

/* "key v0 v1 ...\n" (key may be NULL for a bare row) */
static void sb_floats(sbuf *b, const char *key, const float *v, size_t n)
{
    if (key != NULL)
        sb_str(b, key);
    for (size_t i = 0; i < n; i++) {
        if (key != NULL || i > 0)
            sb_put(b, " ", 1);
        sb_float(b, v[i]);
    }
    sb_put(b, "\n", 1);
}

static bool all_finite(const float *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return false;
    return true;
}

/* What the loader would refuse, the saver refuses too: a model that was
 * written can always be read back. */
static fsnsa_status check_model(const fsnsa_model *m, fsnsa_error *err)
{
#define BAD(...) return fsnsa__fail(err, FSNSA_ERR_ARG, __VA_ARGS__)
    if (m == NULL || m->net == NULL)
        BAD("cannot save a model without a network");
    const fsnsa_net *n = m->net;
    if (n->p_in == 0 || n->p_in > MAX_WIDTH || n->p == 0 || n->p > n->p_in ||
        n->h == 0 || n->h > MAX_HIDDEN || n->n_classes < 2 ||
        n->n_classes > MAX_CLASSES)
        BAD("network sizes out of range: p_in %zu, p %zu, h %zu, %zu classes",
            n->p_in, n->p, n->h, n->n_classes);
    if (n->n_out != (n->n_classes == 2 ? 1 : n->n_classes))
        BAD("network has %zu outputs for %zu classes", n->n_out, n->n_classes);
    if (!n->features || !n->W || !n->b || !n->beta || !n->c)
        BAD("network has a missing array");
    for (size_t i = 0; i < n->p; i++)
        if (n->features[i] >= n->p_in || (i > 0 && n->features[i] <= n->features[i - 1]))
            BAD("network features are not ascending indices below %zu", n->p_in);
    if (!all_finite(n->W, n->h * n->p) || !all_finite(n->b, n->h) ||
        !all_finite(n->beta, n->h * n->n_out) || !all_finite(n->c, n->n_out))
        BAD("network has a NaN or infinite weight");
    const fsnsa_schema *s = &m->schema;
    if (s->p != n->p_in)
        BAD("schema encodes %zu columns, network reads %zu", s->p, n->p_in);
    if (s->n_classes != 0 && s->n_classes != n->n_classes)
        BAD("schema names %zu classes, network has %zu", s->n_classes, n->n_classes);
    if (s->n_classes != 0 && s->class_names == NULL)
        BAD("schema has no class names array");
    if (s->n_columns > MAX_WIDTH || (s->n_columns > 0 && s->columns == NULL))
        BAD("schema columns out of range");
    size_t width = 0;
    for (size_t i = 0; i < s->n_columns; i++) {
        const fsnsa_column *c = &s->columns[i];
        if (c->kind == FSNSA_COL_NUMERIC) {
            if (c->n_values != 0)
                BAD("numeric column %zu has nominal values", i);
            width++;
        } else if (c->kind == FSNSA_COL_NOMINAL) {
            if (c->n_values > MAX_WIDTH || (c->n_values > 0 && c->values == NULL))
                BAD("nominal column %zu has a bad value list", i);
            width += c->n_values;
        } else {
            BAD("column %zu has unknown kind %d", i, (int)c->kind);
        }
        if (width > MAX_WIDTH)
            BAD("schema too wide");
    }
    if (s->n_columns > 0 && width != s->p)
        BAD("schema columns encode %zu columns, not %zu", width, s->p);
    const fsnsa_scaler *sc = &m->scaler;
    if ((unsigned)sc->kind >= count_names(SCALE_NAMES))
        BAD("unknown scaling %d", (int)sc->kind);
    if (sc->p != n->p_in)
        BAD("scaler has %zu columns, network reads %zu", sc->p, n->p_in);
    if (!sc->shift || !sc->mult || !sc->fill)
        BAD("scaler has a missing array");
    if (!all_finite(sc->shift, sc->p) || !all_finite(sc->mult, sc->p) ||
        !all_finite(sc->fill, sc->p))
        BAD("scaler has a NaN or infinite value");
    const fsnsa_train_options *o = &m->options;
    if ((unsigned)o->method >= count_names(METHOD_NAMES))
        BAD("unknown method %d", (int)o->method);
    if ((unsigned)m->missing >= count_names(MISSING_NAMES))
        BAD("unknown missing-value mode %d", (int)m->missing);
    if (o->epochs < 0 || o->shuffle < 0 || o->shuffle > 1 || !isfinite(o->mu) ||
        !isfinite(o->lr) || !isfinite(o->beta1) || !isfinite(o->beta2) ||
        !isfinite(o->eps) || !isfinite(o->weight_decay))
        BAD("training options out of range (epochs < 0, shuffle not 0/1, "
            "or a non-finite number)");
    char buf[FSNSA_ERRMSG_MAX];
    const char *why = recorded(&m->read)
                          ? read_problem(&m->read, &m->schema, buf, sizeof buf)
                          : NULL;
    if (why != NULL)
        BAD("the record of how the data was read is inconsistent: %s", why);
    return FSNSA_OK;
#undef BAD
}

/* "key S" with S one character, or '-' for 0. */
static void sb_key_char(sbuf *b, const char *key, char c)
{
    char one[2] = {c, 0};
    sb_str(b, key);
    sb_put(b, " ", 1);
    sb_string(b, c != 0 ? one : NULL);
    sb_put(b, "\n", 1);
}

static void write_read(sbuf *b, const fsnsa_read_record *r)
{
    const fsnsa_layout *l = &r->layout;
    sb_str(b, "read.format ");
    sb_str(b, FORMAT_NAMES[l->format]);
    sb_put(b, "\n", 1);
    sb_key_char(b, "read.delimiter", l->delimiter);
    sb_key_char(b, "read.decimal", l->decimal);
    sb_str(b, "read.header ");
    sb_str(b, HEADER_NAMES[l->header + 1]);
    sb_put(b, "\n", 1);
    sb_key_size(b, "read.fields", l->fields);
    sb_str(b, "read.label ");
    sb_str(b, LABEL_NAMES[l->label]);
    sb_put(b, " ", 1);
    if (l->label_field == SIZE_MAX)
        sb_put(b, "-", 1);
    else
        sb_size(b, l->label_field);
    sb_put(b, "\n", 1);
    for (const read_string *e = READ_STRINGS; e->key != NULL; e++) {
        sb_str(b, e->key);
        sb_put(b, " ", 1);
        sb_string(b, str_at(r, e->record));
        sb_put(b, "\n", 1);
    }
}

static void write_model(sbuf *b, const fsnsa_model *m)
{
    const fsnsa_net *n = m->net;
    const fsnsa_train_options *o = &m->options;
    const fsnsa_schema *s = &m->schema;
    const fsnsa_scaler *sc = &m->scaler;

    /* The oldest version that holds the model: a model that records
     * nothing about its data is a 1.0 file, byte for byte as before. */
    sb_str(b, MAGIC " ");
    sb_size(b, FORMAT_MAJOR);
    sb_put(b, ".", 1);
    sb_size(b, recorded(&m->read) ? FORMAT_MINOR : 0);
    sb_str(b, "\ncreated_by fsnsa " FSNSA_VERSION "\n");

    sb_str(b, "train.method ");
    sb_str(b, METHOD_NAMES[o->method]);
    sb_put(b, "\n", 1);
    sb_key_size(b, "train.hidden", o->hidden);
    sb_key_size(b, "train.start_hidden", o->start_hidden);
    sb_key_size(b, "train.features", o->features);
    sb_key_size(b, "train.epochs", (size_t)o->epochs);
    sb_key_double(b, "train.mu", o->mu);
    sb_key_size(b, "train.batch", o->batch);
    sb_key_double(b, "train.lr", o->lr);
    sb_key_double(b, "train.beta1", o->beta1);
    sb_key_double(b, "train.beta2", o->beta2);
    sb_key_double(b, "train.eps", o->eps);
    sb_key_double(b, "train.weight_decay", o->weight_decay);
    char t[32];
    snprintf(t, sizeof t, "%llu", (unsigned long long)o->seed);
    sb_str(b, "train.seed ");
    sb_str(b, t);
    sb_put(b, "\n", 1);
    sb_key_size(b, "train.shuffle", (size_t)o->shuffle);
    sb_key_double(b, "train_loss", m->train_loss);
    sb_str(b, "missing ");
    sb_str(b, MISSING_NAMES[m->missing]);
    sb_put(b, "\n", 1);
    if (recorded(&m->read))
        write_read(b, &m->read);

    sb_str(b, "label ");
    sb_string(b, s->label_name);
    sb_put(b, "\n", 1);
    sb_key_size(b, "classes", s->n_classes);
    for (size_t k = 0; k < s->n_classes; k++) {
        sb_str(b, "class ");
        sb_string(b, s->class_names[k]);
        sb_put(b, "\n", 1);
    }
    sb_key_size(b, "columns", s->n_columns);
    for (size_t i = 0; i < s->n_columns; i++) {
        const fsnsa_column *c = &s->columns[i];
        sb_str(b, "column ");
        sb_string(b, c->name);
        if (c->kind == FSNSA_COL_NUMERIC) {
            sb_str(b, " numeric\n");
            continue;
        }
        sb_str(b, " nominal ");
        sb_size(b, c->n_values);
        sb_put(b, "\n", 1);
        for (size_t v = 0; v < c->n_values; v++) {
            sb_str(b, "value ");
            sb_string(b, c->values[v]);
            sb_put(b, "\n", 1);
        }
    }
    sb_key_size(b, "encoded_width", s->p);

    sb_str(b, "scale ");
    sb_str(b, SCALE_NAMES[sc->kind]);
    sb_put(b, " ", 1);
    sb_size(b, sc->p);
    sb_put(b, "\n", 1);
    sb_floats(b, "shift", sc->shift, sc->p);
    sb_floats(b, "mult", sc->mult, sc->p);
    sb_floats(b, "fill", sc->fill, sc->p);

    sb_key_size(b, "p_in", n->p_in);
    sb_key_size(b, "p", n->p);
    sb_key_size(b, "h", n->h);
    sb_key_size(b, "n_classes", n->n_classes);
    sb_key_size(b, "n_out", n->n_out);
    sb_str(b, "features");
    for (size_t i = 0; i < n->p; i++) {
        sb_put(b, " ", 1);
        sb_size(b, n->features[i]);
    }
    sb_str(b, "\nW ");
    sb_size(b, n->h);
    sb_put(b, " ", 1);
    sb_size(b, n->p);
    sb_put(b, "\n", 1);
    for (size_t j = 0; j < n->h; j++)
        sb_floats(b, NULL, n->W + j * n->p, n->p);
    sb_floats(b, "b", n->b, n->h);
    sb_str(b, "beta ");
    sb_size(b, n->h);
    sb_put(b, " ", 1);
    sb_size(b, n->n_out);
    sb_put(b, "\n", 1);
    for (size_t j = 0; j < n->h; j++)
        sb_floats(b, NULL, n->beta + j * n->n_out, n->n_out);
    sb_floats(b, "c", n->c, n->n_out);
}

fsnsa_status fsnsa_model_save(const fsnsa_model *m, const char *path,
                              fsnsa_error *err)
{
    if (path == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no model file name");
    fsnsa_status st = check_model(m, err);
    if (st != FSNSA_OK)
        return st;
    c_locale loc;
    if (!c_locale_enter(&loc))
        return fsnsa__nomem(err, "the C locale");
    sbuf b = {0};
    write_model(&b, m);
    c_locale_leave(&loc);
    if (!b.oom) {
        char t[32];
        snprintf(t, sizeof t, "crc32 %08lx\n", (unsigned long)fsnsa__crc32(b.p, b.len));
        sb_str(&b, t);
    }
    if (b.oom) {
        free(b.p);
        return fsnsa__nomem(err, "the model file text");
    }
    st = fsnsa__write_atomic(path, b.p, b.len, err);
    free(b.p);
    return st;
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */
/* ------------------------------------------------------------------ */

typedef struct {
    const char *name;  /* for messages */
    const char *buf;
    size_t end;        /* start of the checksum line: the body ends here */
    size_t pos;        /* start of the next line */
    size_t lineno;     /* number of the current line */
    const char *line;  /* current line, without its '\n' */
    size_t llen;
    size_t at;         /* cursor in the line */
    unsigned minor;    /* the file's minor version */
    size_t read_line;  /* line of read.format, 0 if none */
    fsnsa_error *err;
} reader;

/* A token for a message: at most 32 printable ASCII characters. */
static void show(const char *s, size_t n, char *out, size_t size)
{
    size_t k = 0;
    if (n == 0) {
        snprintf(out, size, "end of line");
        return;
    }
    out[k++] = '\'';
    for (size_t i = 0; i < n && k + 5 < size && i < 32; i++) {
        unsigned char c = (unsigned char)s[i];
        out[k++] = c >= 0x20 && c < 0x7F ? (char)c : '?';
    }
    if (n > 32 && k + 5 < size) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k++] = '\'';
    out[k] = 0;
}

static fsnsa_status bad_at(reader *r, size_t lineno, fsnsa_status code,
                           const char *fmt, ...) FSNSA_PRINTF(4, 5);
static fsnsa_status bad_at(reader *r, size_t lineno, fsnsa_status code,
                           const char *fmt, ...)
{
    char msg[FSNSA_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fsnsa__fail(r->err, code, "%s:%zu: %s", r->name, lineno, msg);
}

#define BAD(r, ...) bad_at((r), (r)->lineno, FSNSA_ERR_FORMAT, __VA_ARGS__)

static bool next_line(reader *r)
{
    if (r->pos >= r->end)
        return false;
    /* Every line before the checksum line ends with '\n'. */
    const char *nl = memchr(r->buf + r->pos, '\n', r->end - r->pos);
    r->line = r->buf + r->pos;
    r->llen = (size_t)(nl - r->line);
    r->pos += r->llen + 1;
    r->lineno++;
    r->at = 0;
    return true;
}

static void skip_blanks(reader *r)
{
    while (r->at < r->llen && (r->line[r->at] == ' ' || r->line[r->at] == '\t'))
        r->at++;
}

/* Next blank-separated token; length 0 at the end of the line. */
static size_t word(reader *r, const char **w)
{
    skip_blanks(r);
    size_t start = r->at;
    while (r->at < r->llen && r->line[r->at] != ' ' && r->line[r->at] != '\t')
        r->at++;
    *w = r->line + start;
    return r->at - start;
}

static bool is_key(const char *w, size_t n, const char *key)
{
    return strlen(key) == n && memcmp(w, key, n) == 0;
}

static bool known_key(const char *w, size_t n)
{
    for (size_t i = 0; i < COUNT(KEYS); i++)
        if (is_key(w, n, KEYS[i]))
            return true;
    for (const read_string *e = READ_STRINGS; e->key != NULL; e++)
        if (is_key(w, n, e->key))
            return true;
    return false;
}

/* Move to the next line, which must start with `key`. */
static fsnsa_status expect(reader *r, const char *key)
{
    for (;;) {
        if (!next_line(r))
            return bad_at(r, r->lineno + 1, FSNSA_ERR_FORMAT,
                          "expected '%s', found the checksum line", key);
        const char *w;
        size_t n = word(r, &w);
        if (is_key(w, n, key))
            return FSNSA_OK;
        /* Version policy: a newer minor version only adds lines. */
        if (r->minor > FORMAT_MINOR && n > 0 && !known_key(w, n))
            continue;
        char t[48];
        show(w, n, t, sizeof t);
        return BAD(r, "expected '%s', found %s", key, t);
    }
}

/* Like expect, for a line that may be absent: true when the next line
 * (after lines of a newer minor version, which are skipped) starts with
 * `key`; otherwise false, and the reader is where it was. */
static bool optional(reader *r, const char *key)
{
    reader save = *r;
    while (next_line(r)) {
        const char *w;
        size_t n = word(r, &w);
        if (is_key(w, n, key))
            return true;
        if (!(r->minor > FORMAT_MINOR && n > 0 && !known_key(w, n)))
            break;
    }
    *r = save;
    return false;
}

static fsnsa_status end_of_line(reader *r)
{
    const char *w;
    size_t n = word(r, &w);
    if (n == 0)
        return FSNSA_OK;
    char t[48];
    show(w, n, t, sizeof t);
    return BAD(r, "unexpected %s at the end of the line", t);
}

/* A count of `each`-byte items that must still fit in the file: a damaged
 * size is refused before anything is allocated for it. */
static fsnsa_status room(reader *r, size_t count, size_t each, const char *what)
{
    if (count > (r->end - r->pos + r->llen) / each)
        return BAD(r, "%zu %s cannot fit in the rest of the file", count, what);
    return FSNSA_OK;
}

static fsnsa_status get_size(reader *r, size_t *v, size_t limit,
                             const char *what)
{
    const char *w;
    size_t n = word(r, &w);
    char t[48];
    bool overflow = false;
    size_t x = 0;
    if (n == 0)
        return BAD(r, "missing %s", what);
    for (size_t i = 0; i < n; i++) {
        if (w[i] < '0' || w[i] > '9') {
            show(w, n, t, sizeof t);
            return BAD(r, "%s: expected a non-negative integer, found %s", what, t);
        }
        size_t d = (size_t)(w[i] - '0');
        if (x > (SIZE_MAX - d) / 10)
            overflow = true;
        else
            x = x * 10 + d;
    }
    if (overflow || x > limit) {
        show(w, n, t, sizeof t);
        return bad_at(r, r->lineno, FSNSA_ERR_LIMIT,
                      "%s %s exceeds the limit of %zu", what, t, limit);
    }
    *v = x;
    return FSNSA_OK;
}

static fsnsa_status get_u64(reader *r, uint64_t *v, const char *what)
{
    const char *w;
    size_t n = word(r, &w);
    uint64_t x = 0;
    bool ok = n > 0;
    for (size_t i = 0; ok && i < n; i++) {
        unsigned d = (unsigned)(w[i] - '0');
        if (w[i] < '0' || w[i] > '9' || x > (UINT64_MAX - d) / 10)
            ok = false;
        else
            x = x * 10 + d;
    }
    if (!ok) {
        char t[48];
        show(w, n, t, sizeof t);
        return BAD(r, "%s: expected an integer in [0, 2^64), found %s", what, t);
    }
    *v = x;
    return FSNSA_OK;
}

/* -?digits[.digits][e[+-]digits]: what the writer produces. Checked
 * before strtod, which would also take hex, "inf", "nan" and blanks. */
static bool is_decimal(const char *w, size_t n)
{
    size_t i = 0, digits = 0;
    if (i < n && w[i] == '-')
        i++;
    while (i < n && w[i] >= '0' && w[i] <= '9')
        i++, digits++;
    if (i < n && w[i] == '.') {
        i++;
        while (i < n && w[i] >= '0' && w[i] <= '9')
            i++, digits++;
    }
    if (digits == 0)
        return false;
    if (i < n && (w[i] == 'e' || w[i] == 'E')) {
        i++;
        if (i < n && (w[i] == '+' || w[i] == '-'))
            i++;
        size_t ed = 0;
        while (i < n && w[i] >= '0' && w[i] <= '9')
            i++, ed++;
        if (ed == 0)
            return false;
    }
    return i == n;
}

/* The token as a NUL-terminated string for strtod; numbers are short. */
static bool copy_token(const char *w, size_t n, char *t, size_t size)
{
    if (n >= size)
        return false;
    memcpy(t, w, n);
    t[n] = 0;
    return true;
}

static fsnsa_status get_double(reader *r, double *v, bool special,
                               const char *what)
{
    const char *w;
    size_t n = word(r, &w);
    char t[64];
    if (special && (is_key(w, n, "nan") || is_key(w, n, "inf") || is_key(w, n, "-inf"))) {
        *v = w[0] == 'n' ? NAN : w[0] == 'i' ? INFINITY : -INFINITY;
        return FSNSA_OK;
    }
    if (is_decimal(w, n) && copy_token(w, n, t, sizeof t)) {
        char *e;
        double x = strtod(t, &e);
        if (*e == 0 && isfinite(x)) {
            *v = x;
            return FSNSA_OK;
        }
    }
    show(w, n, t, sizeof t);
    return BAD(r, "%s: expected a finite number, found %s", what, t);
}

static fsnsa_status get_floats(reader *r, float *v, size_t count,
                               const char *what)
{
    for (size_t i = 0; i < count; i++) {
        const char *w;
        size_t n = word(r, &w);
        char t[64];
        if (is_decimal(w, n) && copy_token(w, n, t, sizeof t)) {
            char *e;
            float x = strtof(t, &e);
            if (*e == 0 && isfinite(x)) {
                v[i] = x;
                continue;
            }
        }
        show(w, n, t, sizeof t);
        return BAD(r, "%s: value %zu of %zu: expected a finite float32, found %s",
                   what, i + 1, count, t);
    }
    return end_of_line(r);
}

/* A quoted string (allocated into *out) or '-' for NULL. */
static fsnsa_status get_string(reader *r, char **out, const char *what)
{
    *out = NULL;
    skip_blanks(r);
    if (r->at < r->llen && r->line[r->at] == '-') {
        r->at++;
        if (r->at < r->llen && r->line[r->at] != ' ' && r->line[r->at] != '\t')
            return BAD(r, "%s: expected a quoted string or '-'", what);
        return FSNSA_OK;
    }
    if (r->at >= r->llen || r->line[r->at] != '"')
        return BAD(r, "%s: expected a quoted string or '-'", what);
    size_t start = ++r->at;
    /* The decoded string is never longer than its escaped form. */
    char *s = malloc(r->llen - start + 1);
    if (s == NULL)
        return fsnsa__nomem(r->err, "a string");
    size_t k = 0;
    for (;;) {
        if (r->at >= r->llen) {
            free(s);
            return BAD(r, "%s: string not closed by '\"'", what);
        }
        unsigned char c = (unsigned char)r->line[r->at++];
        if (c == '"')
            break;
        if (c < 0x20 || c == 0x7F) {
            free(s);
            return BAD(r, "%s: raw control character 0x%02x in a string", what, c);
        }
        if (c != '\\') {
            s[k++] = (char)c;
            continue;
        }
        char e = r->at < r->llen ? r->line[r->at++] : 0;
        int hi, lo;
        switch (e) {
        case '\\': s[k++] = '\\'; break;
        case '"': s[k++] = '"'; break;
        case 'n': s[k++] = '\n'; break;
        case 'r': s[k++] = '\r'; break;
        case 't': s[k++] = '\t'; break;
        case 'x':
            hi = r->at + 1 < r->llen ? fsnsa__hex_digit(r->line[r->at]) : -1;
            lo = hi >= 0 ? fsnsa__hex_digit(r->line[r->at + 1]) : -1;
            if (lo < 0 || (hi == 0 && lo == 0)) {
                free(s);
                return BAD(r, "%s: bad \\x escape (two hex digits, not 00)", what);
            }
            s[k++] = (char)(hi * 16 + lo);
            r->at += 2;
            break;
        default:
            free(s);
            return BAD(r, "%s: unknown escape in a string", what);
        }
    }
    s[k] = 0;
    if (r->at < r->llen && r->line[r->at] != ' ' && r->line[r->at] != '\t') {
        free(s);
        return BAD(r, "%s: text right after the closing quote", what);
    }
    *out = s;
    return FSNSA_OK;
}

/* One of `names`, as its index. */
static fsnsa_status get_enum(reader *r, const char *const *names, size_t count,
                             int *v, const char *what)
{
    const char *w;
    size_t n = word(r, &w);
    for (size_t i = 0; i < count; i++) {
        if (is_key(w, n, names[i])) {
            *v = (int)i;
            return FSNSA_OK;
        }
    }
    char t[48];
    show(w, n, t, sizeof t);
    return BAD(r, "unknown %s %s", what, t);
}

/* Shorthands: every step returns on the first error. */
#define TRY(x)                                                              \
    do {                                                                    \
        fsnsa_status st_ = (x);                                             \
        if (st_ != FSNSA_OK)                                                \
            return st_;                                                     \
    } while (0)

static fsnsa_status key_size(reader *r, const char *key, size_t *v,
                             size_t limit)
{
    TRY(expect(r, key));
    TRY(get_size(r, v, limit, key));
    return end_of_line(r);
}

static fsnsa_status key_double(reader *r, const char *key, double *v,
                               bool special)
{
    TRY(expect(r, key));
    TRY(get_double(r, v, special, key));
    return end_of_line(r);
}

static fsnsa_status key_enum(reader *r, const char *key,
                             const char *const *names, size_t count, int *v)
{
    TRY(expect(r, key));
    TRY(get_enum(r, names, count, v, key));
    return end_of_line(r);
}

static fsnsa_status key_string(reader *r, const char *key, char **v)
{
    TRY(expect(r, key));
    TRY(get_string(r, v, key));
    return end_of_line(r);
}

/* A string of one character, or '-' for 0. */
static fsnsa_status get_char(reader *r, char *c, const char *what)
{
    char *s;
    TRY(get_string(r, &s, what));
    bool one = s == NULL || (s[0] != 0 && s[1] == 0);
    *c = s != NULL ? s[0] : 0;
    free(s);
    if (!one)
        return BAD(r, "%s: expected one character in quotes, or '-'", what);
    return FSNSA_OK;
}

/* The read.* lines after read.format (format 1.1); read_problem checks
 * them once the schema is known. */
static fsnsa_status read_record(reader *r, fsnsa_read_record *rec)
{
    fsnsa_layout *l = &rec->layout;
    int e = 0;
    r->read_line = r->lineno;
    if (r->minor < 1)
        return BAD(r, "read.format is a line of model format 1.1, this file "
                      "says 1.%u", r->minor);
    TRY(get_enum(r, FORMAT_NAMES, count_names(FORMAT_NAMES), &e, "data format"));
    if (e == FSNSA_FORMAT_AUTO)
        return BAD(r, "read.format must name the format the data was read in");
    TRY(end_of_line(r));
    l->format = (fsnsa_format)e;
    TRY(expect(r, "read.delimiter"));
    TRY(get_char(r, &l->delimiter, "read.delimiter"));
    TRY(end_of_line(r));
    TRY(expect(r, "read.decimal"));
    TRY(get_char(r, &l->decimal, "read.decimal"));
    TRY(end_of_line(r));
    TRY(key_enum(r, "read.header", HEADER_NAMES, COUNT(HEADER_NAMES), &e));
    l->header = e - 1;
    TRY(key_size(r, "read.fields", &l->fields, SIZE_MAX - 1));
    TRY(expect(r, "read.label"));
    TRY(get_enum(r, LABEL_NAMES, count_names(LABEL_NAMES), &e, "label source"));
    l->label = (fsnsa_label_source)e;
    const char *w;
    size_t save = r->at, n = word(r, &w);
    if (n == 1 && w[0] == '-') {
        l->label_field = SIZE_MAX;
    } else {
        r->at = save;
        TRY(get_size(r, &l->label_field, SIZE_MAX - 1, "label field"));
    }
    TRY(end_of_line(r));
    for (const read_string *s = READ_STRINGS; s->key != NULL; s++) {
        char *v = NULL;
        if (!optional(r, s->key))
            continue;
        TRY(get_string(r, &v, s->key));
        set_str_at(rec, s->record, v);
        TRY(end_of_line(r));
    }
    set_label_column(rec);
    return FSNSA_OK;
}

static fsnsa_status read_options(reader *r, fsnsa_model *m)
{
    fsnsa_train_options *o = &m->options;
    size_t v = 0;
    int e = 0;
    TRY(expect(r, "created_by")); /* informational, rest of line ignored */
    TRY(key_enum(r, "train.method", METHOD_NAMES, count_names(METHOD_NAMES), &e));
    o->method = (fsnsa_method)e;
    TRY(key_size(r, "train.hidden", &o->hidden, SIZE_MAX));
    TRY(key_size(r, "train.start_hidden", &o->start_hidden, SIZE_MAX));
    TRY(key_size(r, "train.features", &o->features, SIZE_MAX));
    TRY(key_size(r, "train.epochs", &v, INT_MAX));
    o->epochs = (int)v;
    TRY(key_double(r, "train.mu", &o->mu, false));
    TRY(key_size(r, "train.batch", &o->batch, SIZE_MAX));
    TRY(key_double(r, "train.lr", &o->lr, false));
    TRY(key_double(r, "train.beta1", &o->beta1, false));
    TRY(key_double(r, "train.beta2", &o->beta2, false));
    TRY(key_double(r, "train.eps", &o->eps, false));
    TRY(key_double(r, "train.weight_decay", &o->weight_decay, false));
    TRY(expect(r, "train.seed"));
    TRY(get_u64(r, &o->seed, "train.seed"));
    TRY(end_of_line(r));
    TRY(key_size(r, "train.shuffle", &v, SIZE_MAX));
    if (v > 1)
        return BAD(r, "train.shuffle must be 0 or 1");
    o->shuffle = (int)v;
    TRY(key_double(r, "train_loss", &m->train_loss, true));
    TRY(key_enum(r, "missing", MISSING_NAMES, count_names(MISSING_NAMES), &e));
    m->missing = (fsnsa_missing)e;
    if (optional(r, "read.format"))
        return read_record(r, &m->read);
    return FSNSA_OK;
}

static fsnsa_status read_schema(reader *r, fsnsa_schema *s)
{
    size_t n = 0;
    TRY(key_string(r, "label", &s->label_name));
    TRY(key_size(r, "classes", &n, MAX_CLASSES));
    if (n == 1)
        return BAD(r, "a model needs 0 (unnamed) or at least 2 classes");
    TRY(room(r, n, 8, "class lines"));
    if ((s->class_names = fsnsa__calloc(n, sizeof *s->class_names)) == NULL)
        return fsnsa__nomem(r->err, "class names");
    s->n_classes = n;
    for (size_t k = 0; k < n; k++)
        TRY(key_string(r, "class", &s->class_names[k]));

    TRY(key_size(r, "columns", &n, MAX_WIDTH));
    TRY(room(r, n, 8, "column lines"));
    if ((s->columns = fsnsa__calloc(n, sizeof *s->columns)) == NULL)
        return fsnsa__nomem(r->err, "columns");
    s->n_columns = n;
    size_t width = 0;
    for (size_t i = 0; i < s->n_columns; i++) {
        fsnsa_column *c = &s->columns[i];
        int kind = 0;
        static const char *const kinds[] = {"numeric", "nominal"};
        TRY(expect(r, "column"));
        TRY(get_string(r, &c->name, "column name"));
        TRY(get_enum(r, kinds, 2, &kind, "column kind"));
        c->kind = kind == 0 ? FSNSA_COL_NUMERIC : FSNSA_COL_NOMINAL;
        if (c->kind == FSNSA_COL_NUMERIC) {
            TRY(end_of_line(r));
            width++;
            continue;
        }
        TRY(get_size(r, &n, MAX_WIDTH, "number of values"));
        TRY(end_of_line(r));
        TRY(room(r, n, 8, "value lines"));
        if ((c->values = fsnsa__calloc(n, sizeof *c->values)) == NULL)
            return fsnsa__nomem(r->err, "nominal values");
        c->n_values = n;
        for (size_t v = 0; v < n; v++)
            TRY(key_string(r, "value", &c->values[v]));
        width += n;
        if (width > MAX_WIDTH)
            return bad_at(r, r->lineno, FSNSA_ERR_LIMIT,
                          "the columns encode more than %zu columns", MAX_WIDTH);
    }
    TRY(key_size(r, "encoded_width", &s->p, MAX_WIDTH));
    if (s->p == 0)
        return BAD(r, "encoded_width must be at least 1");
    if (s->n_columns > 0 && width != s->p)
        return BAD(r, "the columns encode %zu columns, not %zu", width, s->p);
    return FSNSA_OK;
}

static fsnsa_status read_scaler(reader *r, fsnsa_scaler *sc, size_t width)
{
    int kind = 0;
    size_t p = 0;
    TRY(expect(r, "scale"));
    TRY(get_enum(r, SCALE_NAMES, count_names(SCALE_NAMES), &kind, "scaling"));
    TRY(get_size(r, &p, MAX_WIDTH, "scaler width"));
    TRY(end_of_line(r));
    if (p != width)
        return BAD(r, "scaler has %zu columns, the schema encodes %zu", p, width);
    TRY(room(r, p, 6, "scaler values")); /* three lines of p numbers */
    sc->kind = (fsnsa_scale)kind;
    sc->shift = fsnsa__alloc(p, sizeof(float));
    sc->mult = fsnsa__alloc(p, sizeof(float));
    sc->fill = fsnsa__alloc(p, sizeof(float));
    if (!sc->shift || !sc->mult || !sc->fill)
        return fsnsa__nomem(r->err, "the scaler");
    sc->p = p;
    TRY(expect(r, "shift"));
    TRY(get_floats(r, sc->shift, p, "shift"));
    TRY(expect(r, "mult"));
    TRY(get_floats(r, sc->mult, p, "mult"));
    TRY(expect(r, "fill"));
    return get_floats(r, sc->fill, p, "fill");
}

static fsnsa_status read_net(reader *r, fsnsa_model *m)
{
    size_t p_in = 0, p = 0, h = 0, nc = 0, n_out = 0, cells, bsz, total;
    TRY(key_size(r, "p_in", &p_in, MAX_WIDTH));
    if (p_in != m->schema.p)
        return BAD(r, "p_in %zu differs from the encoded width %zu", p_in,
                   m->schema.p);
    TRY(key_size(r, "p", &p, MAX_WIDTH));
    if (p == 0 || p > p_in)
        return BAD(r, "p = %zu is outside [1, p_in = %zu]", p, p_in);
    TRY(key_size(r, "h", &h, MAX_HIDDEN));
    if (h == 0)
        return BAD(r, "h must be at least 1");
    TRY(key_size(r, "n_classes", &nc, MAX_CLASSES));
    if (nc < 2)
        return BAD(r, "n_classes must be at least 2");
    if (m->schema.n_classes != 0 && m->schema.n_classes != nc)
        return BAD(r, "n_classes %zu differs from the %zu class names", nc,
                   m->schema.n_classes);
    TRY(key_size(r, "n_out", &n_out, MAX_CLASSES));
    if (n_out != (nc == 2 ? 1 : nc))
        return BAD(r, "n_out must be %zu for %zu classes", nc == 2 ? (size_t)1 : nc, nc);
    /* Limits above keep these products far from overflow; checked anyway. */
    if (!fsnsa__mul(h, p, &cells) || !fsnsa__mul(h, n_out, &bsz) ||
        !fsnsa__add(cells, bsz, &total) || !fsnsa__add(total, h + p + n_out, &total))
        return bad_at(r, r->lineno, FSNSA_ERR_LIMIT, "network too large");
    TRY(room(r, total, 2, "network numbers"));
    TRY(fsnsa__net_alloc(p_in, p, h, nc, &m->net, r->err));
    fsnsa_net *net = m->net;

    TRY(expect(r, "features"));
    for (size_t i = 0; i < p; i++) {
        TRY(get_size(r, &net->features[i], SIZE_MAX, "feature index"));
        if (net->features[i] >= p_in || (i > 0 && net->features[i] <= net->features[i - 1]))
            return BAD(r, "feature %zu: indices must ascend strictly and be below p_in = %zu",
                       i + 1, p_in);
    }
    TRY(end_of_line(r));

    size_t rows = 0, cols = 0;
    TRY(expect(r, "W"));
    TRY(get_size(r, &rows, SIZE_MAX, "W rows"));
    TRY(get_size(r, &cols, SIZE_MAX, "W columns"));
    TRY(end_of_line(r));
    if (rows != h || cols != p)
        return BAD(r, "W is %zu x %zu, expected h x p = %zu x %zu", rows, cols, h, p);
    for (size_t j = 0; j < h; j++) {
        if (!next_line(r))
            return bad_at(r, r->lineno + 1, FSNSA_ERR_FORMAT,
                          "row %zu of W missing", j + 1);
        TRY(get_floats(r, net->W + j * p, p, "W row"));
    }
    TRY(expect(r, "b"));
    TRY(get_floats(r, net->b, h, "b"));
    TRY(expect(r, "beta"));
    TRY(get_size(r, &rows, SIZE_MAX, "beta rows"));
    TRY(get_size(r, &cols, SIZE_MAX, "beta columns"));
    TRY(end_of_line(r));
    if (rows != h || cols != n_out)
        return BAD(r, "beta is %zu x %zu, expected h x n_out = %zu x %zu", rows,
                   cols, h, n_out);
    for (size_t j = 0; j < h; j++) {
        if (!next_line(r))
            return bad_at(r, r->lineno + 1, FSNSA_ERR_FORMAT,
                          "row %zu of beta missing", j + 1);
        TRY(get_floats(r, net->beta + j * n_out, n_out, "beta row"));
    }
    TRY(expect(r, "c"));
    return get_floats(r, net->c, n_out, "c");
}

/* Magic and version on line 1 (which may end in CR LF); sets r->minor. */
static fsnsa_status check_header(reader *r, size_t len)
{
    const char *nl = memchr(r->buf, '\n', len);
    size_t n = nl ? (size_t)(nl - r->buf) : len;
    size_t ml = strlen(MAGIC);
    r->lineno = 1;
    if (len == 0)
        return BAD(r, "empty file, not an fsnsa model");
    if (nl != NULL && n > 0 && r->buf[n - 1] == '\r')
        n--;
    if (n < ml + 1 || memcmp(r->buf, MAGIC " ", ml + 1) != 0) {
        if (nl == NULL && n < ml + 1 && memcmp(r->buf, MAGIC " ", n) == 0)
            return BAD(r, "file truncated in the first line");
        return BAD(r, "not an fsnsa model file (the first line must be '"
                      MAGIC " <version>')");
    }
    const char *v = r->buf + ml + 1;
    size_t vn = n - ml - 1, i = 0;
    if (memchr(v, '\r', vn) != NULL)
        return BAD(r, "the lines end in CR alone (classic Mac OS line "
                      "endings); a model file has LF or CR LF line endings");
    unsigned long major = 0, minor = 0;
    size_t dm = 0, dn = 0;
    while (i < vn && v[i] >= '0' && v[i] <= '9' && dm < 6)
        major = major * 10 + (unsigned long)(v[i++] - '0'), dm++;
    if (i < vn && v[i] == '.')
        for (i++; i < vn && v[i] >= '0' && v[i] <= '9' && dn < 6; i++, dn++)
            minor = minor * 10 + (unsigned long)(v[i] - '0');
    if (dm == 0 || dn == 0 || i != vn) {
        char t[48];
        show(v, vn, t, sizeof t);
        return BAD(r, "bad format version %s (expected MAJOR.MINOR)", t);
    }
    if (major > FORMAT_MAJOR)
        return BAD(r, "model format %lu.%lu is newer than this fsnsa (%s) reads "
                      "(%d.x); use a newer fsnsa",
                   major, minor, FSNSA_VERSION, FORMAT_MAJOR);
    if (major < FORMAT_MAJOR)
        return BAD(r, "model format %lu.%lu is not supported (this fsnsa reads %d.x)",
                   major, minor, FORMAT_MAJOR);
    r->minor = (unsigned)minor;
    return FSNSA_OK;
}

static size_t count_lines(const char *p, size_t n)
{
    size_t k = 0;
    for (const char *q = p; (q = memchr(q, '\n', n - (size_t)(q - p))) != NULL; q++)
        k++;
    return k;
}

/* The last line must be "crc32 <8 hex digits>" over all bytes before it. */
static fsnsa_status check_crc(reader *r, size_t len, bool verify)
{
    const char *b = r->buf;
    if (b[len - 1] != '\n') {
        r->lineno = count_lines(b, len) + 1;
        return BAD(r, "file truncated (it must end with the checksum line)");
    }
    size_t start = len - 1;
    while (start > 0 && b[start - 1] != '\n')
        start--;
    r->lineno = count_lines(b, start) + 1;
    const char *l = b + start;
    size_t n = len - 1 - start;
    unsigned long want = 0;
    bool ok = start > 0 && n == 14 && memcmp(l, "crc32 ", 6) == 0;
    for (size_t i = 6; ok && i < 14; i++) {
        int d = fsnsa__hex_digit(l[i]);
        ok = d >= 0;
        want = want * 16 + (unsigned long)(d >= 0 ? d : 0);
    }
    if (!ok)
        return BAD(r, "file truncated or damaged: the last line is not "
                      "'crc32 <8 hex digits>'");
    unsigned long got = fsnsa__crc32(b, start);
    if (verify && got != want)
        return BAD(r, "checksum mismatch (file says %08lx, contents give %08lx): "
                      "the file is damaged or was edited",
                   want, got);
    r->end = start;
    return FSNSA_OK;
}

static fsnsa_status parse(reader *r, fsnsa_model *m)
{
    TRY(read_options(r, m));
    TRY(read_schema(r, &m->schema));
    if (recorded(&m->read)) {
        char buf[FSNSA_ERRMSG_MAX];
        const char *why = read_problem(&m->read, &m->schema, buf, sizeof buf);
        if (why != NULL)
            return bad_at(r, r->read_line, FSNSA_ERR_FORMAT,
                          "the read.* lines contradict each other or the "
                          "columns: %s", why);
    }
    TRY(read_scaler(r, &m->scaler, m->schema.p));
    TRY(read_net(r, m));
    /* Nothing may follow but the checksum, except a newer minor's lines. */
    while (next_line(r)) {
        const char *w;
        size_t n = word(r, &w);
        if (r->minor > FORMAT_MINOR && n > 0 && !known_key(w, n))
            continue;
        char t[48];
        show(w, n, t, sizeof t);
        return BAD(r, "unexpected %s after the network", t);
    }
    return FSNSA_OK;
}

void fsnsa_model_free(fsnsa_model *m)
{
    if (m == NULL)
        return;
    fsnsa_net_free(m->net);
    fsnsa_schema_clear(&m->schema);
    fsnsa_scaler_clear(&m->scaler);
    fsnsa_read_record_clear(&m->read);
    free(m);
}

static fsnsa_status parse_lf(const char *data, size_t size, const char *name,
                             bool verify_crc, fsnsa_model **out,
                             fsnsa_error *err)
{
    reader r = {0};
    r.name = name != NULL ? name : "(model)";
    r.buf = data;
    r.err = err;
    TRY(check_header(&r, size));
    const char *nul = memchr(data, 0, size);
    if (nul != NULL) {
        r.lineno = count_lines(data, (size_t)(nul - data)) + 1;
        return BAD(&r, "NUL byte: not a text model file");
    }
    TRY(check_crc(&r, size, verify_crc));
    fsnsa_model *m = calloc(1, sizeof *m);
    if (m == NULL)
        return fsnsa__nomem(err, "a model");
    r.pos = 0;
    r.lineno = 0;
    next_line(&r); /* the magic line, already checked */
    c_locale loc;
    if (!c_locale_enter(&loc)) {
        free(m);
        return fsnsa__nomem(err, "the C locale");
    }
    fsnsa_status st = parse(&r, m);
    c_locale_leave(&loc);
    if (st != FSNSA_OK) {
        fsnsa_model_free(m);
        return st;
    }
    *out = m;
    return FSNSA_OK;
}

/* CRLF line endings (a Windows checkout, an editor) are read as the LF
 * text the file was written as: the writer never writes a CR (strings
 * escape it), so a CR before a LF can only be a converted line end. The
 * checksum is that of the LF text, which it was computed on. */
fsnsa_status fsnsa__model_parse(const char *data, size_t size,
                                const char *name, bool verify_crc,
                                fsnsa_model **out, fsnsa_error *err)
{
    *out = NULL;
    if (memchr(data, '\r', size) == NULL)
        return parse_lf(data, size, name, verify_crc, out, err);
    char *lf = malloc(size);
    if (lf == NULL)
        return fsnsa__nomem(err, "the model file text");
    size_t n = 0;
    for (size_t i = 0; i < size; i++)
        if (data[i] != '\r' || i + 1 == size || data[i + 1] != '\n')
            lf[n++] = data[i];
    fsnsa_status st = parse_lf(lf, n, name, verify_crc, out, err);
    free(lf);
    return st;
}

fsnsa_status fsnsa_model_load(const char *path, fsnsa_model **out,
                              fsnsa_error *err)
{
    *out = NULL;
    if (path == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no model file name");
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return fsnsa__fail(err, FSNSA_ERR_IO, "%s: cannot open: %s", path,
                           strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    fsnsa_status st = FSNSA_OK;
    bool checked = false;
    for (;;) {
        if (cap - len < 65536) {
            size_t ncap = cap ? cap * 2 : 65536;
            if ((uint64_t)len >= MAX_FILE_BYTES) {
                st = fsnsa__fail(err, FSNSA_ERR_LIMIT,
                                 "%s: larger than the limit of %llu bytes for a model file",
                                 path, (unsigned long long)MAX_FILE_BYTES);
                break;
            }
            char *q = realloc(buf, ncap);
            if (q == NULL) {
                st = fsnsa__nomem(err, "the model file");
                break;
            }
            buf = q;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0 && ferror(f)) {
            st = fsnsa__fail(err, FSNSA_ERR_IO, "%s: cannot read: %s", path,
                             strerror(errno));
            break;
        }
        /* Refuse a file that is no model after its first bytes, not
         * after reading all of it (a 1 GB data file given by mistake). */
        if (!checked && (len >= 64 || got == 0)) {
            reader r = {0};
            r.name = path;
            r.buf = buf;
            r.err = err;
            checked = true;
            if ((st = check_header(&r, len)) != FSNSA_OK)
                break;
        }
        if (got == 0)
            break;
    }
    fclose(f);
    if (st == FSNSA_OK)
        st = fsnsa__model_parse(buf, len, path, true, out, err);
    free(buf);
    return st;
}

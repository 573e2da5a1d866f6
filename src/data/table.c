/* The table builder behind every reader: collects parsed cells row by row
 * in one growing float matrix, decides the kind of free columns once all
 * rows are seen, orders the classes and encodes (one-hot) into the final
 * fsnsa_dataset. Nominal cells hold their value id in a NaN payload so that
 * a purely numeric file needs no second matrix. */
#include "data.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAG_MISSING 0x7fc00000u /* the canonical quiet NaN */

void fsnsa__cell_set_id(float *cell, size_t id)
{
    uint32_t bits = TAG_MISSING | (uint32_t)(id + 1);
    memcpy(cell, &bits, sizeof bits);
}

static void cell_set_missing(float *cell)
{
    uint32_t bits = TAG_MISSING;
    memcpy(cell, &bits, sizeof bits);
}

bool fsnsa__cell_id(const float *cell, size_t *id)
{
    uint32_t bits;
    memcpy(&bits, cell, sizeof bits);
    if ((bits & 0xffc00000u) != TAG_MISSING || bits == TAG_MISSING)
        return false;
    *id = (bits & 0x3fffffu) - 1;
    return true;
}

static bool cell_is_missing(const float *cell)
{
    uint32_t bits;
    memcpy(&bits, cell, sizeof bits);
    return bits == TAG_MISSING;
}

/* ---- missing values, warnings (docs/data.md, "Missing values") ---- */

fsnsa_status fsnsa__table_na_init(fsnsa__table *t, const fsnsa_read_options *opt,
                                  fsnsa_error *err)
{
    const char *s = opt->na_values ? opt->na_values : FSNSA_DEFAULT_NA_VALUES;
    const char *item;
    size_t len, id;
    while (fsnsa__list_next(&s, &item, &len))
        /* an empty entry adds nothing: an empty field is always missing */
        if (len > 0 && fsnsa__dict_intern(&t->na, item, len, &id) < 0)
            return fsnsa__nomem(err, "the missing-value list");
    return FSNSA_OK;
}

bool fsnsa__table_is_na(const fsnsa__table *t, const char *s, size_t len)
{
    if (len == 0 || (t->question_na && len == 1 && s[0] == '?'))
        return true;
    return fsnsa__dict_find(&t->na, s, len) != SIZE_MAX;
}

void fsnsa__table_warn(const fsnsa__table *t, const char *fmt, ...)
{
    if (t->warn == NULL)
        return;
    char msg[FSNSA_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    t->warn(t->warn_ctx, msg);
}

fsnsa_status fsnsa__table_init(fsnsa__table *t, const char *path,
                               const fsnsa_read_options *opt, size_t m,
                               bool labeled, fsnsa_error *err)
{
    t->path = path;
    t->missing = opt->missing;
    t->warn = opt->warn;
    t->warn_ctx = opt->warn_ctx;
    t->max_rows = opt->max_rows ? opt->max_rows : FSNSA__DEFAULT_MAX_ROWS;
    t->max_cols = opt->max_cols ? opt->max_cols : FSNSA__DEFAULT_MAX_COLS;
    t->schema = opt->schema;
    t->labeled = labeled;
    t->decimal = '.';
    t->layout.label = fsnsa__label_source(opt);
    t->layout.label_field = SIZE_MAX;
    t->layout.header = -1;
    if (m > t->max_cols)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s: %zu columns exceed the limit of %zu", path, m,
                           t->max_cols);
    size_t lim = t->max_cols < FSNSA__MAX_NOMINAL ? t->max_cols : FSNSA__MAX_NOMINAL;
    t->labels.limit = lim;
    return fsnsa__table_set_width(t, m, err);
}

fsnsa_status fsnsa__table_set_width(fsnsa__table *t, size_t m,
                                    fsnsa_error *err)
{
    if (m > t->max_cols)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s: %zu columns exceed the limit of %zu", t->path,
                           m, t->max_cols);
    fsnsa__tcol *cols = fsnsa__calloc(m, sizeof *cols);
    if (cols == NULL)
        return fsnsa__nomem(err, "columns");
    free(t->cols);
    t->cols = cols;
    t->m = m;
    size_t lim = t->max_cols < FSNSA__MAX_NOMINAL ? t->max_cols : FSNSA__MAX_NOMINAL;
    for (size_t j = 0; j < m; j++)
        t->cols[j].dict.limit = lim;
    return FSNSA_OK;
}

/* ---- decimal marks (docs/data.md, "Decimal commas") ---- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Digits grouped in threes by '.' ("1.234", "-1.234.567"), maybe with a
 * decimal comma after them ("1.234,5"): thousands separators. */
static bool grouped(const char *s, size_t len)
{
    size_t i = 0, d = 0, groups = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    for (; i < len && is_digit(s[i]); i++)
        d++;
    if (d == 0 || d > 3)
        return false;
    for (; i + 3 < len && s[i] == '.' && is_digit(s[i + 1]) &&
           is_digit(s[i + 2]) && is_digit(s[i + 3]);
         i += 4)
        groups++;
    if (groups == 0)
        return false;
    if (i + 1 < len && s[i] == ',' && is_digit(s[i + 1]))
        for (i++; i < len && is_digit(s[i]); i++)
            ;
    return i == len;
}

int fsnsa__thousands_number(const char *s, size_t len, float *v)
{
    char buf[96];
    size_t i = 0, k = 0, d = 0, groups = 0;
    if (len >= sizeof buf)
        return -1;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        buf[k++] = s[i++];
    if (i < len && s[i] == '0')
        return -1; /* "0,125" is no grouping */
    for (; i < len && is_digit(s[i]); i++, d++)
        buf[k++] = s[i];
    if (d == 0 || d > 3)
        return -1;
    while (i < len && s[i] == ',') {
        if (len - i < 4 || !is_digit(s[i + 1]) || !is_digit(s[i + 2]) ||
            !is_digit(s[i + 3]) || (len - i > 4 && is_digit(s[i + 4])))
            return -1;
        memcpy(buf + k, s + i + 1, 3);
        k += 3;
        i += 4;
        groups++;
    }
    if (groups == 0)
        return -1;
    if (i < len && s[i] == '.')
        for (buf[k++] = s[i++]; i < len && is_digit(s[i]); i++)
            buf[k++] = s[i];
    if (i != len)
        return -1;
    return fsnsa__parse_number(buf, k, '.', v);
}

bool fsnsa__comma_number(const char *s, size_t len)
{
    size_t i = 0, commas = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    for (;;) {
        size_t d = 0;
        for (; i < len && is_digit(s[i]); i++)
            d++;
        if (d == 0)
            return false;
        if (i < len && s[i] == ',') {
            commas++;
            i++;
            continue;
        }
        break;
    }
    if (i < len && s[i] == '.')
        for (i++; i < len && is_digit(s[i]); i++)
            ;
    return commas > 0 && i == len;
}

static void remember(fsnsa__seen *w, const char *s, size_t len, size_t line,
                     size_t col)
{
    w->line = line;
    w->col = col;
    fsnsa__show(w->text, sizeof w->text, s, len);
}

static fsnsa_status thousands(const fsnsa__table *t, const char *s,
                              size_t len, size_t line, size_t col,
                              fsnsa_error *err)
{
    char sb[64];
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:%zu: '%s' has thousands separators, which are "
                       "not supported with decimal commas; write the number "
                       "without them",
                       t->path, line, col, fsnsa__show(sb, sizeof sb, s, len));
}

/* A number with the other mark than the file's. */
static fsnsa_status other_mark(const fsnsa__table *t, const char *s,
                               size_t len, size_t line, size_t col,
                               fsnsa_error *err)
{
    char sb[64];
    bool comma = t->decimal == '.';
    const fsnsa__seen *w = &t->decimal_seen;
    fsnsa__show(sb, sizeof sb, s, len);
    if (!t->decimal_auto)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: '%s' has a decimal point, but the "
                           "decimal mark is ',' (see the 'decimal' option)",
                           t->path, line, col, sb);
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:%zu: '%s' has a decimal %s, but '%s' (line "
                       "%zu, column %zu) has a decimal %s; the file mixes "
                       "both (see the 'decimal' option)",
                       t->path, line, col, sb, comma ? "comma" : "point",
                       w->text, w->line, w->col, comma ? "point" : "comma");
}

/* A cell parsed in the file's decimal convention; *r as from
 * fsnsa__parse_number (-1: a word). With the mark left to the data, the
 * first number with a '.' or a ',' sets it, and a number with the other
 * mark is an error, whichever comes first; so are thousands separators
 * next to decimal commas. An explicit '.' reads as always: "1,5" is a
 * word. */
static fsnsa_status cell_number(fsnsa__table *t, const char *s, size_t len,
                                size_t line, size_t col, float *out, int *r,
                                fsnsa_error *err)
{
    float v;
    *r = fsnsa__parse_number(s, len, t->decimal ? t->decimal : '.', out);
    if (t->decimal == '.' && !t->decimal_auto)
        return FSNSA_OK;
    if (t->decimal == ',') {
        if (*r != -1)
            return FSNSA_OK;
        if (grouped(s, len))
            return thousands(t, s, len, line, col, err);
        if (fsnsa__parse_number(s, len, '.', &v) != -1)
            return other_mark(t, s, len, line, col, err);
        return FSNSA_OK;
    }
    if (t->decimal == '.') {
        if (*r == -1 && (fsnsa__parse_number(s, len, ',', &v) != -1 ||
                         (memchr(s, ',', len) != NULL && grouped(s, len))))
            return other_mark(t, s, len, line, col, err);
        return FSNSA_OK;
    }
    /* not known yet: integers say nothing */
    if (*r != -1) {
        if (memchr(s, '.', len) != NULL) {
            t->decimal = '.';
            remember(&t->decimal_seen, s, len, line, col);
        }
        return FSNSA_OK;
    }
    if ((*r = fsnsa__parse_number(s, len, ',', out)) != -1) {
        t->decimal = ',';
        remember(&t->decimal_seen, s, len, line, col);
        if (t->grouped.line != 0)
            return thousands(t, t->grouped.text, strlen(t->grouped.text),
                             t->grouped.line, t->grouped.col, err);
        return FSNSA_OK;
    }
    if (grouped(s, len)) {
        if (memchr(s, ',', len) != NULL)
            return thousands(t, s, len, line, col, err);
        if (t->grouped.line == 0)
            remember(&t->grouped, s, len, line, col);
    }
    return FSNSA_OK;
}

/* A number in the file's mark, or in either while it is not known:
 * nominal lookups and class names, which decide nothing. */
static int loose_number(char mark, const char *s, size_t len, float *v)
{
    if (mark != 0)
        return fsnsa__parse_number(s, len, mark, v);
    int r = fsnsa__parse_number(s, len, '.', v);
    return r == -1 ? fsnsa__parse_number(s, len, ',', v) : r;
}

/* " 'NA'" for a message about a missing value written as a token that
 * may surprise (NA, None, NULL, ...); "" for an empty field or '?'. */
static const char *na_token(char *buf, size_t size, const char *s, size_t len)
{
    if (len == 0 || (len == 1 && s[0] == '?') || size < 8) {
        buf[0] = '\0';
        return buf;
    }
    buf[0] = ' ';
    buf[1] = '\'';
    fsnsa__show(buf + 2, size - 3, s, len);
    strcat(buf, "'");
    return buf;
}

fsnsa_status fsnsa__table_number(fsnsa__table *t, float *cell, const char *s,
                                 size_t len, size_t line, size_t col,
                                 fsnsa_error *err)
{
    char sb[64];
    int r;
    fsnsa_status st = cell_number(t, s, len, line, col, cell, &r, err);
    if (st != FSNSA_OK)
        return st;
    if (r == 0)
        return FSNSA_OK;
    if (r == -2)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: '%s' is out of the float range",
                           t->path, line, col, fsnsa__show(sb, sizeof sb, s, len));
    if (!fsnsa__table_is_na(t, s, len))
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: expected a number, found '%s'",
                           t->path, line, col, fsnsa__show(sb, sizeof sb, s, len));
    if (t->missing == FSNSA_MISSING_REFUSE)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: missing value%s (see the 'missing' "
                           "option)",
                           t->path, line, col, na_token(sb, sizeof sb, s, len));
    cell_set_missing(cell);
    return FSNSA_OK;
}

static char *dup_n(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d != NULL) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

fsnsa_status fsnsa__table_set_name(fsnsa__table *t, size_t j, const char *s,
                                   size_t len, fsnsa_error *err)
{
    free(t->cols[j].name);
    if ((t->cols[j].name = dup_n(s, len)) == NULL)
        return fsnsa__nomem(err, "a column name");
    return FSNSA_OK;
}

fsnsa_status fsnsa__table_set_label_name(fsnsa__table *t, const char *s,
                                         size_t len, fsnsa_error *err)
{
    free(t->label_name);
    if ((t->label_name = dup_n(s, len)) == NULL)
        return fsnsa__nomem(err, "a column name");
    return FSNSA_OK;
}

void fsnsa__table_set_numeric(fsnsa__table *t, size_t j)
{
    t->cols[j].kind = FSNSA__NUM;
}

void fsnsa__table_set_nominal(fsnsa__table *t, size_t j, fsnsa__dict *d)
{
    fsnsa__dict_free(&t->cols[j].dict);
    t->cols[j].dict = *d;
    memset(d, 0, sizeof *d);
    t->cols[j].kind = FSNSA__NOM;
    t->cols[j].fixed = true;
}

void fsnsa__table_set_classes(fsnsa__table *t, fsnsa__dict *d)
{
    fsnsa__dict_free(&t->labels);
    t->labels = *d;
    memset(d, 0, sizeof *d);
    t->labels_fixed = true;
}

/* Names like x12 are made up by a reader; only real names are compared. */
static bool made_up_name(const char *s)
{
    if (s == NULL)
        return true;
    if (s[0] != 'x' || s[1] == '\0')
        return false;
    for (s++; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static fsnsa_status fill_dict(fsnsa__dict *d, char *const *v, size_t n,
                              fsnsa_error *err)
{
    for (size_t i = 0; i < n; i++) {
        size_t id;
        const char *s = v[i] != NULL ? v[i] : "";
        int r = fsnsa__dict_intern(d, s, strlen(s), &id);
        if (r < 0)
            return r == -1 ? fsnsa__nomem(err, "a value list")
                           : fsnsa__fail(err, FSNSA_ERR_LIMIT,
                                         "model lists too many values");
        if (r == 0) /* duplicate in the model: keep ids aligned anyway */
            return fsnsa__fail(err, FSNSA_ERR_FORMAT,
                               "model lists the value '%s' twice", s);
    }
    return FSNSA_OK;
}

fsnsa_status fsnsa__table_use_schema(fsnsa__table *t, size_t line,
                                     fsnsa_error *err)
{
    const fsnsa_schema *s = t->schema;
    /* A header that names the label column otherwise than the model: the
     * label is not where the model takes it from (unless it was asked
     * for by this name). */
    if (t->label_name != NULL && s->label_name != NULL &&
        t->layout.label != FSNSA_LABEL_NAME &&
        !fsnsa__ieq(t->label_name, s->label_name)) {
        char sb[64], mb[64];
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: the label column is '%s' here, '%s' "
                           "in the model (see the 'label_column' option)",
                           t->path, line ? line : 1,
                           t->layout.label_field != SIZE_MAX
                               ? t->layout.label_field + 1
                               : 1,
                           fsnsa__show(sb, sizeof sb, t->label_name,
                                       strlen(t->label_name)),
                           fsnsa__show(mb, sizeof mb, s->label_name,
                                       strlen(s->label_name)));
    }
    if (s->n_columns != t->m)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: the file has %zu feature columns, the "
                           "model expects %zu",
                           t->path, line ? line : 1, t->m, s->n_columns);
    for (size_t j = 0; j < t->m; j++) {
        const fsnsa_column *c = &s->columns[j];
        fsnsa__tcol *tc = &t->cols[j];
        if (tc->name != NULL && c->name != NULL && !made_up_name(tc->name) &&
            !made_up_name(c->name) && !fsnsa__ieq(tc->name, c->name))
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:%zu: column '%s' is '%s' in the model",
                               t->path, line, j + 1, tc->name, c->name);
        fsnsa__dict_free(&tc->dict);
        tc->dict.limit = FSNSA__MAX_NOMINAL;
        if (c->kind == FSNSA_COL_NOMINAL) {
            tc->kind = FSNSA__NOM;
            tc->fixed = true;
            fsnsa_status st = fill_dict(&tc->dict, c->values, c->n_values, err);
            if (st != FSNSA_OK)
                return st;
        } else {
            tc->kind = FSNSA__NUM;
        }
    }
    fsnsa__dict_free(&t->labels);
    t->labels.limit = FSNSA__MAX_NOMINAL;
    t->labels_fixed = true;
    return fill_dict(&t->labels, s->class_names, s->n_classes, err);
}

fsnsa_status fsnsa__table_row(fsnsa__table *t, size_t line, float **row,
                              fsnsa_error *err)
{
    t->last_line = line;
    if (t->n == 0)
        t->first_line = line;
    if (t->n >= t->max_rows)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s:%zu:1: more than %zu rows (max_rows)", t->path,
                           line, t->max_rows);
    size_t cells;
    if (!fsnsa__mul(t->n + 1, t->m, &cells) || cells > FSNSA__MAX_CELLS)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s:%zu:1: more than %zu values in the file",
                           t->path, line, FSNSA__MAX_CELLS);
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 1024;
        /* Wide rows start with fewer rows, and growth never passes the
         * cell cap ((n + 1) * m is under it, checked above): a one-row
         * file of 10^6 columns must not reserve 1024 rows of them. */
        size_t m1 = t->m ? t->m : 1, first = ((size_t)1 << 20) / m1;
        if (t->cap == 0 && ncap > first)
            ncap = first > 0 ? first : 1;
        if (ncap > FSNSA__MAX_CELLS / m1)
            ncap = FSNSA__MAX_CELLS / m1;
        size_t bytes;
        if (!fsnsa__mul3(ncap, t->m ? t->m : 1, sizeof(float), &bytes))
            return fsnsa__nomem(err, "the data matrix");
        float *nc = realloc(t->cells, bytes);
        if (nc == NULL)
            return fsnsa__nomem(err, "the data matrix");
        t->cells = nc;
        t->cap = ncap;
    }
    *row = t->cells + t->n * t->m;
    t->n++;
    return FSNSA_OK;
}

static const char *col_name(const fsnsa__table *t, size_t j, char *buf,
                            size_t size)
{
    if (t->cols[j].name != NULL)
        return t->cols[j].name;
    snprintf(buf, size, "x%zu", j);
    return buf;
}

/* Nominal lookup: exact text, then the canonical form of a number so that
 * "2.0" finds the value "2". */
static size_t find_value(const fsnsa__dict *d, char mark, const char *s,
                         size_t len)
{
    size_t id = fsnsa__dict_find(d, s, len);
    float v;
    if (id == SIZE_MAX && loose_number(mark, s, len, &v) == 0) {
        char c[64];
        fsnsa__canon(c, sizeof c, v);
        id = fsnsa__dict_find(d, c, strlen(c));
    }
    return id;
}

/* A number whose commas are not thousands separators, in a table whose
 * decimal mark is '.' by rule: refused rather than read as a word. */
static fsnsa_status odd_commas(const fsnsa__table *t, const char *shown,
                               size_t line, size_t col, const char *name,
                               fsnsa_error *err)
{
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:%zu: '%s' in column '%s' is not a number: the "
                       "decimal mark is '.', and its commas are not "
                       "thousands separators (1 to 3 digits, then groups of "
                       "3; see the 'decimal' option)",
                       t->path, line, col, shown, name);
}

/* A word with commas in a numeric column of a table with thousands
 * separators: its value, or an error naming it. */
static fsnsa_status thousands_cell(const fsnsa__table *t, float *cell, size_t j,
                                   const char *s, size_t len, size_t line,
                                   size_t col, fsnsa_error *err)
{
    char sb[64], nb[64];
    int r = fsnsa__thousands_number(s, len, cell);
    if (r == 0)
        return FSNSA_OK;
    fsnsa__show(sb, sizeof sb, s, len);
    if (r == -2)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: '%s' is out of the float range",
                           t->path, line, col, sb);
    if (fsnsa__comma_number(s, len))
        return odd_commas(t, sb, line, col, col_name(t, j, nb, sizeof nb), err);
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:%zu: expected a number in column '%s', "
                       "found '%s'",
                       t->path, line, col, col_name(t, j, nb, sizeof nb), sb);
}

fsnsa_status fsnsa__table_cell(fsnsa__table *t, float *cell, size_t j,
                               const char *s, size_t len, size_t line,
                               size_t col, fsnsa_error *err)
{
    fsnsa__tcol *c = &t->cols[j];
    char nb[64], sb[64];
    int r;
    if (c->kind != FSNSA__NOM || !c->fixed) {
        fsnsa_status st = cell_number(t, s, len, line, col, cell, &r, err);
        if (st != FSNSA_OK)
            return st;
        if (r == 0)
            return FSNSA_OK;
        if (r == -2)
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:%zu: '%s' is out of the float range",
                               t->path, line, col,
                               fsnsa__show(sb, sizeof sb, s, len));
    }
    /* a declared value is a value, even when it is a missing-value token
     * ("NA" in {NA,AF,EU}); ARFF's '?' never is */
    size_t id = SIZE_MAX;
    if (c->fixed && len > 0 && !(t->question_na && len == 1 && s[0] == '?'))
        id = find_value(&c->dict, t->decimal, s, len);
    if (id == SIZE_MAX && fsnsa__table_is_na(t, s, len)) {
        if (t->missing == FSNSA_MISSING_REFUSE)
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:%zu: missing value%s in column '%s' "
                               "(see the 'missing' option)",
                               t->path, line, col,
                               na_token(sb, sizeof sb, s, len),
                               col_name(t, j, nb, sizeof nb));
        cell_set_missing(cell);
        return FSNSA_OK;
    }
    if (c->kind == FSNSA__NUM && t->thousands)
        return thousands_cell(t, cell, j, s, len, line, col, err);
    if (c->kind == FSNSA__NUM)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: expected a number in column '%s', "
                           "found '%s'",
                           t->path, line, col, col_name(t, j, nb, sizeof nb),
                           fsnsa__show(sb, sizeof sb, s, len));
    if (c->fixed) {
        if (id == SIZE_MAX)
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:%zu: unknown value '%s' in column '%s' "
                               "(%zu known values, e.g. '%s')",
                               t->path, line, col,
                               fsnsa__show(sb, sizeof sb, s, len),
                               col_name(t, j, nb, sizeof nb), c->dict.n,
                               c->dict.n ? fsnsa__dict_str(&c->dict, 0) : "");
    } else {
        r = fsnsa__dict_intern(&c->dict, s, len, &id);
        if (r == -1)
            return fsnsa__nomem(err, "nominal values");
        if (r == -2)
            return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                               "%s:%zu:%zu: column '%s' has more than %zu "
                               "distinct values",
                               t->path, line, col,
                               col_name(t, j, nb, sizeof nb), c->dict.limit);
        if (r == 1 && id == 0) {
            c->str_line = line;
            c->str_col = col;
        }
        if (r == 1 && t->thousands) {
            /* kept as a word until the column's kind is known; a number
             * out of range is refused now, as a plain one is */
            float v;
            int k = fsnsa__thousands_number(s, len, &v);
            if (k == -2)
                return fsnsa__fail(err, FSNSA_ERR_PARSE,
                                   "%s:%zu:%zu: '%s' is out of the float "
                                   "range",
                                   t->path, line, col,
                                   fsnsa__show(sb, sizeof sb, s, len));
            if (k == -1 && c->odd_line == 0 && fsnsa__comma_number(s, len)) {
                c->odd_line = line;
                c->odd_col = col;
                c->odd_id = id;
            }
        }
    }
    fsnsa__cell_set_id(cell, id);
    return FSNSA_OK;
}

fsnsa_status fsnsa__table_label(fsnsa__table *t, const char *s, size_t len,
                                size_t line, size_t col, fsnsa_error *err)
{
    char sb[64];
    size_t id = SIZE_MAX;
    /* a declared class is a class, even when it is a missing-value token */
    if (t->labels_fixed && len > 0 && !(t->question_na && len == 1 && s[0] == '?'))
        id = fsnsa__dict_find(&t->labels, s, len);
    if (id == SIZE_MAX && fsnsa__table_is_na(t, s, len)) {
        na_token(sb, sizeof sb, s, len);
        return fsnsa__fail(err, FSNSA_ERR_PARSE, "%s:%zu:%zu: missing label%s%s",
                           t->path, line, col, sb,
                           sb[0] ? " (see the 'na_values' option)" : "");
    }
    if (t->labels_fixed) {
        float v, w;
        if (id == SIZE_MAX && loose_number(t->decimal, s, len, &v) == 0) {
            /* numeric class names: "1." and "1" are the same class (the
             * model's may have either decimal mark) */
            for (size_t k = 0; k < t->labels.n && id == SIZE_MAX; k++) {
                const char *name = fsnsa__dict_str(&t->labels, k);
                if (loose_number(0, name, strlen(name), &w) == 0 && v == w)
                    id = k;
            }
        }
        if (id == SIZE_MAX)
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:%zu: unknown class '%s' (%zu classes "
                               "known, e.g. '%s')",
                               t->path, line, col,
                               fsnsa__show(sb, sizeof sb, s, len), t->labels.n,
                               t->labels.n ? fsnsa__dict_str(&t->labels, 0) : "");
    } else {
        int r = fsnsa__dict_intern(&t->labels, s, len, &id);
        if (r == -1)
            return fsnsa__nomem(err, "class names");
        if (r == -2)
            return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                               "%s:%zu:%zu: more than %zu classes", t->path,
                               line, col, t->labels.limit);
    }
    if (t->n_y == t->cap_y) {
        size_t ncap = t->cap_y ? t->cap_y * 2 : 1024;
        int32_t *ny = fsnsa__alloc(ncap, sizeof *ny);
        if (ny == NULL)
            return fsnsa__nomem(err, "labels");
        if (t->n_y)
            memcpy(ny, t->y, t->n_y * sizeof *ny);
        free(t->y);
        t->y = ny;
        t->cap_y = ncap;
    }
    t->y[t->n_y++] = (int32_t)id;
    t->label_line = line;
    t->label_col = col;
    return FSNSA_OK;
}

void fsnsa__table_free(fsnsa__table *t)
{
    if (t->cols != NULL) {
        for (size_t j = 0; j < t->m; j++) {
            free(t->cols[j].name);
            fsnsa__dict_free(&t->cols[j].dict);
        }
        free(t->cols);
    }
    free(t->cells);
    fsnsa__dict_free(&t->labels);
    fsnsa__dict_free(&t->na);
    free(t->y);
    free(t->label_name);
    memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------ */
/* finishing                                                           */

/* A free column of numbers and words with commas, in a table with
 * thousands separators: when every word is a number ("1,234", "12,345.5"),
 * the column is numeric and *numeric is set; a number whose commas are
 * not thousands separators is then refused. A column with other words is
 * left alone (nominal). */
static fsnsa_status thousands_column(fsnsa__table *t, size_t j, bool *numeric,
                                     fsnsa_error *err)
{
    fsnsa__tcol *c = &t->cols[j];
    *numeric = false;
    for (size_t id = 0; id < c->dict.n; id++) {
        const char *w = fsnsa__dict_str(&c->dict, id);
        float v;
        if (fsnsa__thousands_number(w, strlen(w), &v) != 0 &&
            !fsnsa__comma_number(w, strlen(w)))
            return FSNSA_OK;
    }
    char sb[64], nb[64];
    if (c->odd_line != 0) {
        const char *w = fsnsa__dict_str(&c->dict, c->odd_id);
        return odd_commas(t, fsnsa__show(sb, sizeof sb, w, strlen(w)),
                          c->odd_line, c->odd_col, col_name(t, j, nb, sizeof nb),
                          err);
    }
    float *value = fsnsa__alloc(c->dict.n, sizeof *value);
    if (value == NULL)
        return fsnsa__nomem(err, "a column");
    for (size_t id = 0; id < c->dict.n; id++) {
        const char *w = fsnsa__dict_str(&c->dict, id);
        fsnsa__thousands_number(w, strlen(w), &value[id]); /* checked */
    }
    for (size_t i = 0; i < t->n; i++) {
        float *cell = &t->cells[i * t->m + j];
        size_t id;
        if (fsnsa__cell_id(cell, &id))
            *cell = value[id];
    }
    free(value);
    fsnsa__dict_free(&c->dict);
    c->kind = FSNSA__NUM;
    *numeric = true;
    return FSNSA_OK;
}

/* A free column with words: nominal over all its values in order of
 * first appearance (numbers by canonical text), or an error when it looks
 * like a numeric column with stray words. An ARFF string attribute with
 * the values of identifiers or text is refused; a column of delimited
 * text like it gets a warning (docs/data.md, "Warnings"). */
static fsnsa_status resolve_column(fsnsa__table *t, size_t j, fsnsa_error *err)
{
    fsnsa__tcol *c = &t->cols[j];
    if (c->dict.n == 0) {
        c->kind = FSNSA__NUM;
        return FSNSA_OK;
    }
    fsnsa_status st;
    bool numeric;
    if (t->thousands &&
        ((st = thousands_column(t, j, &numeric, err)) != FSNSA_OK || numeric))
        return st;
    fsnsa__dict nd;
    memset(&nd, 0, sizeof nd);
    nd.limit = c->dict.limit;
    size_t n_num = 0, present = 0;
    char buf[64], sb[64], nb[64];
    st = FSNSA_OK;
    for (size_t i = 0; i < t->n; i++) {
        float *cell = &t->cells[i * t->m + j];
        if (cell_is_missing(cell))
            continue;
        size_t id, nid;
        const char *s;
        present++;
        if (fsnsa__cell_id(cell, &id)) {
            s = fsnsa__dict_str(&c->dict, id);
        } else {
            fsnsa__canon(buf, sizeof buf, *cell);
            s = buf;
            n_num++;
        }
        int r = fsnsa__dict_intern(&nd, s, strlen(s), &nid);
        if (r == -1) {
            st = fsnsa__nomem(err, "nominal values");
            goto done;
        }
        if (r == -2 || (n_num > 0 && nd.n > FSNSA__MIXED_MAX))
            break;
        fsnsa__cell_set_id(cell, nid);
    }
    if (n_num > 0 && nd.n > FSNSA__MIXED_MAX) {
        const char *w = fsnsa__dict_str(&c->dict, 0);
        st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                         "%s:%zu:%zu: expected a number in column '%s', "
                         "found '%s'",
                         t->path, c->str_line, c->str_col,
                         col_name(t, j, nb, sizeof nb),
                         fsnsa__show(sb, sizeof sb, w, strlen(w)));
        goto done;
    }
    if (nd.n > c->dict.limit) {
        st = fsnsa__fail(err, FSNSA_ERR_LIMIT,
                         "%s: column %zu has more than %zu distinct values",
                         t->path, j + 1, c->dict.limit);
        goto done;
    }
    if (nd.n > FSNSA__MANY_VALUES && nd.n > present / 2) {
        if (c->text_line != 0) {
            st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                             "%s:%zu:1: attribute '%s' is a string with %zu "
                             "distinct values in %zu rows (identifiers or "
                             "text): fsnsa does not encode text; leave it out "
                             "with the 'ignore_columns' option, or turn it "
                             "into word counts first (Weka's "
                             "StringToWordVector)",
                             t->path, c->text_line,
                             col_name(t, j, nb, sizeof nb), nd.n, present);
            goto done;
        }
        fsnsa__table_warn(t,
                          "%s:%zu:%zu: column '%s' holds %zu distinct values "
                          "in %zu rows, one-hot encoded as %zu columns: "
                          "identifiers or text? (leave it out with the "
                          "'ignore_columns' option)",
                          t->path, c->str_line, c->str_col,
                          col_name(t, j, nb, sizeof nb), nd.n, present, nd.n);
    }
    fsnsa__dict_free(&c->dict);
    c->dict = nd;
    memset(&nd, 0, sizeof nd);
    c->kind = FSNSA__NOM;
done:
    fsnsa__dict_free(&nd);
    return st;
}

typedef struct {
    double v;
    size_t id;
} num_id;

static int cmp_num_id(const void *a, const void *b)
{
    const num_id *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Class ids: numerically sorted when every label is a number (equal
 * numbers merge), else in order of first appearance; declared lists keep
 * their order. Fills d->schema class names and d->y. */
static fsnsa_status resolve_classes(fsnsa__table *t, fsnsa_dataset *d,
                                    fsnsa_error *err)
{
    size_t k = t->labels.n;
    size_t *map = fsnsa__alloc(k, sizeof *map);
    num_id *nums = fsnsa__alloc(k, sizeof *nums);
    size_t n_classes = k;
    fsnsa_status st = FSNSA_OK;
    if (map == NULL || nums == NULL) {
        st = fsnsa__nomem(err, "classes");
        goto done;
    }
    bool numeric = !t->labels_fixed && k > 0;
    for (size_t i = 0; i < k && numeric; i++) {
        const char *s = fsnsa__dict_str(&t->labels, i);
        float v;
        if (fsnsa__parse_number(s, strlen(s), t->decimal ? t->decimal : '.',
                                &v) != 0)
            numeric = false;
        nums[i].v = v;
        nums[i].id = i;
    }
    for (size_t i = 0; i < k; i++)
        map[i] = i;
    if (numeric) {
        qsort(nums, k, sizeof *nums, cmp_num_id);
        n_classes = 0;
        for (size_t i = 0; i < k; i++) {
            if (i > 0 && nums[i].v != nums[i - 1].v)
                n_classes++;
            map[nums[i].id] = n_classes;
        }
        n_classes = k ? n_classes + 1 : 0;
    }
    d->schema.class_names = fsnsa__calloc(n_classes, sizeof(char *));
    if (d->schema.class_names == NULL) {
        st = fsnsa__nomem(err, "class names");
        goto done;
    }
    d->schema.n_classes = n_classes;
    /* the first text seen (lowest id) names a merged class */
    for (size_t i = k; i-- > 0;) {
        free(d->schema.class_names[map[i]]);
        d->schema.class_names[map[i]] =
            fsnsa__strdup(fsnsa__dict_str(&t->labels, i));
        if (d->schema.class_names[map[i]] == NULL) {
            st = fsnsa__nomem(err, "class names");
            goto done;
        }
    }
    for (size_t i = 0; i < t->n; i++)
        d->y[i] = (int32_t)map[t->y[i]];
done:
    free(map);
    free(nums);
    return st;
}

/* A first column holding the row numbers 0..n-1 or 1..n (the index that
 * pandas' to_csv and R's write.csv write unless told not to) is a feature
 * like any other, which is rarely meant: a warning. */
static void warn_index(const fsnsa__table *t)
{
    if (t->m == 0 || t->n < 3 || t->cols[0].kind != FSNSA__NUM)
        return;
    float first = t->cells[0];
    if (first != 0.0f && first != 1.0f)
        return;
    for (size_t i = 0; i < t->n; i++)
        if (t->cells[i * t->m] != (float)i + first)
            return;
    char nb[96];
    const char *name = t->cols[0].name;
    if (name == NULL || name[0] == '\0')
        snprintf(nb, sizeof nb, "the first column (unnamed)");
    else
        snprintf(nb, sizeof nb, "the first column, '%.60s',", name);
    fsnsa__table_warn(t,
                      "%s:%zu:1: %s holds the row numbers %g to %g: an index "
                      "(pandas' to_csv and R's write.csv write one)? It is "
                      "used as a feature; leave it out with the "
                      "'ignore_columns' option (column 0)",
                      t->path, t->first_line, nb, (double)first,
                      (double)(t->n - 1) + (double)first);
}

/* Training labels that are not classes: most rows with a class of their
 * own (a continuous target, identifiers) are refused; very many classes
 * get a warning. */
static fsnsa_status check_classes(const fsnsa__table *t, const fsnsa_dataset *d,
                                  fsnsa_error *err)
{
    size_t k = d->schema.n_classes;
    if (k <= FSNSA__MANY_VALUES)
        return FSNSA_OK;
    size_t *count = fsnsa__calloc(k, sizeof *count);
    if (count == NULL)
        return fsnsa__nomem(err, "classes");
    for (size_t i = 0; i < d->n; i++)
        count[d->y[i]]++;
    size_t used = 0, once = 0;
    bool numbers = true;
    for (size_t c = 0; c < k; c++) {
        float v;
        const char *name = d->schema.class_names[c];
        used += count[c] > 0;
        once += count[c] == 1;
        if (count[c] > 0 && loose_number(t->decimal, name, strlen(name), &v) != 0)
            numbers = false;
    }
    free(count);
    const char *path = t->label_path ? t->label_path : t->path;
    size_t line = t->label_path ? 1 : t->first_line;
    char nb[80] = "";
    if (t->label_name != NULL && t->label_name[0] != '\0')
        snprintf(nb, sizeof nb, " '%.60s'", t->label_name);
    if (once * 2 > d->n)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: the label column%s holds %zu distinct "
                           "%s in %zu rows, %zu of them once: %s; fsnsa "
                           "classifies (choose the class column with the "
                           "'label_column' option)",
                           path, line, t->label_col, nb, used,
                           numbers ? "numbers" : "values", d->n, once,
                           numbers ? "it looks like a continuous target"
                                   : "identifiers or text, not classes");
    if (k > FSNSA__MANY_CLASSES)
        fsnsa__table_warn(t,
                          "%s:%zu:%zu: the label column%s has %zu classes in "
                          "%zu rows: the network has an output per class, "
                          "and training time and memory grow with them",
                          path, line, t->label_col, nb, k, d->n);
    return FSNSA_OK;
}

/* Builds d->schema columns and feature names from the table. */
static fsnsa_status build_schema(fsnsa__table *t, fsnsa_dataset *d,
                                 fsnsa_error *err)
{
    fsnsa_schema *s = &d->schema;
    char nb[64];
    s->columns = fsnsa__calloc(t->m, sizeof *s->columns);
    if (s->columns == NULL)
        return fsnsa__nomem(err, "the schema");
    s->n_columns = t->m;
    s->p = d->p;
    for (size_t j = 0; j < t->m; j++) {
        fsnsa__tcol *c = &t->cols[j];
        fsnsa_column *sc = &s->columns[j];
        const char *name = col_name(t, j, nb, sizeof nb);
        if ((sc->name = fsnsa__strdup(name)) == NULL)
            return fsnsa__nomem(err, "the schema");
        if (c->kind == FSNSA__NUM) {
            sc->kind = FSNSA_COL_NUMERIC;
            continue;
        }
        sc->kind = FSNSA_COL_NOMINAL;
        sc->values = fsnsa__calloc(c->dict.n, sizeof *sc->values);
        if (sc->values == NULL)
            return fsnsa__nomem(err, "the schema");
        sc->n_values = c->dict.n;
        for (size_t v = 0; v < c->dict.n; v++) {
            const char *val = fsnsa__dict_str(&c->dict, v);
            if ((sc->values[v] = fsnsa__strdup(val)) == NULL)
                return fsnsa__nomem(err, "the schema");
        }
    }
    return fsnsa_schema_feature_names(s, &d->feature_names, err);
}

fsnsa_status fsnsa__table_finish(fsnsa__table *t, fsnsa_dataset **out,
                                 fsnsa_error *err)
{
    *out = NULL;
    fsnsa_status st;
    if (t->n == 0)
        return fsnsa__fail(err, FSNSA_ERR_PARSE, "%s:%zu:1: no data rows",
                           t->path, t->last_line + 1);
    if (t->m == 0)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: no feature columns besides the label",
                           t->path, t->last_line);
    if (t->labeled && t->n_y != t->n)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s: %zu labels for %zu rows", t->path, t->n_y,
                           t->n);
    for (size_t j = 0; j < t->m; j++)
        if (t->cols[j].kind == FSNSA__FREE &&
            (st = resolve_column(t, j, err)) != FSNSA_OK)
            return st;
    if (t->index_check && t->schema == NULL)
        warn_index(t);
    size_t p = 0;
    bool all_numeric = true;
    for (size_t j = 0; j < t->m; j++) {
        size_t w = t->cols[j].kind == FSNSA__NUM ? 1 : t->cols[j].dict.n;
        all_numeric &= t->cols[j].kind == FSNSA__NUM;
        if (!fsnsa__add(p, w, &p) || p > t->max_cols)
            return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                               "%s: more than %zu encoded columns", t->path,
                               t->max_cols);
    }
    size_t cells;
    if (!fsnsa__mul(t->n, p, &cells) || cells > FSNSA__MAX_CELLS)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s: %zu x %zu values exceed the limit of %zu",
                           t->path, t->n, p, FSNSA__MAX_CELLS);
    fsnsa_dataset *d = calloc(1, sizeof *d);
    if (d == NULL)
        return fsnsa__nomem(err, "a data set");
    d->n = t->n;
    d->p = p;
    d->has_labels = t->labeled;
    d->layout = t->layout;
    if (!t->labeled)
        d->layout.label = FSNSA_LABEL_NONE;
    d->y = fsnsa__alloc(t->n, sizeof *d->y);
    if (d->y == NULL) {
        st = fsnsa__nomem(err, "labels");
        goto fail;
    }
    if (all_numeric) {
        /* the cells are the matrix: give the spare capacity back */
        float *x = realloc(t->cells, (cells ? cells : 1) * sizeof *x);
        d->x = x != NULL ? x : t->cells;
        t->cells = NULL;
    } else {
        d->x = fsnsa__alloc(cells, sizeof *d->x);
        if (d->x == NULL) {
            st = fsnsa__nomem(err, "the data matrix");
            goto fail;
        }
        size_t *off = fsnsa__alloc(t->m, sizeof *off);
        if (off == NULL) {
            st = fsnsa__nomem(err, "the data matrix");
            goto fail;
        }
        for (size_t j = 0, o = 0; j < t->m; j++) {
            off[j] = o;
            o += t->cols[j].kind == FSNSA__NUM ? 1 : t->cols[j].dict.n;
        }
        for (size_t i = 0; i < t->n; i++) {
            const float *src = t->cells + i * t->m;
            float *dst = d->x + i * p;
            for (size_t j = 0; j < t->m; j++) {
                size_t id;
                if (t->cols[j].kind == FSNSA__NUM) {
                    dst[off[j]] = src[j];
                } else if (fsnsa__cell_id(&src[j], &id)) {
                    for (size_t v = 0; v < t->cols[j].dict.n; v++)
                        dst[off[j] + v] = v == id ? 1.0f : 0.0f;
                } else { /* missing: NaN in every indicator, imputed later */
                    for (size_t v = 0; v < t->cols[j].dict.n; v++)
                        dst[off[j] + v] = NAN;
                }
            }
        }
        free(off);
    }
    if (t->schema != NULL) {
        if ((st = fsnsa_schema_copy(&d->schema, t->schema, err)) != FSNSA_OK)
            goto fail;
        if (d->schema.p != p) {
            st = fsnsa__fail(err, FSNSA_ERR_FORMAT,
                             "%s: model schema says %zu encoded columns, "
                             "its columns give %zu",
                             t->path, d->schema.p, p);
            goto fail;
        }
        if ((st = fsnsa_schema_feature_names(&d->schema, &d->feature_names, err)) !=
            FSNSA_OK)
            goto fail;
        for (size_t i = 0; i < t->n; i++)
            d->y[i] = t->labeled ? t->y[i] : -1;
    } else {
        if ((st = build_schema(t, d, err)) != FSNSA_OK)
            goto fail;
        if (t->label_name != NULL &&
            (d->schema.label_name = fsnsa__strdup(t->label_name)) == NULL) {
            st = fsnsa__nomem(err, "the schema");
            goto fail;
        }
        if (t->labeled) {
            if ((st = resolve_classes(t, d, err)) != FSNSA_OK)
                goto fail;
            /* training needs two classes actually present */
            bool two = false;
            for (size_t i = 1; i < d->n && !two; i++)
                two = d->y[i] != d->y[0];
            if (!two) {
                st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                                 "%s:%zu:%zu: every row has the class '%s'; "
                                 "training needs at least 2 classes",
                                 t->label_path ? t->label_path : t->path,
                                 t->label_line, t->label_col,
                                 d->schema.class_names[d->y[0]]);
                goto fail;
            }
            if ((st = check_classes(t, d, err)) != FSNSA_OK)
                goto fail;
        } else {
            for (size_t i = 0; i < t->n; i++)
                d->y[i] = -1;
        }
    }
    if ((d->source = fsnsa__strdup(t->path)) == NULL) {
        st = fsnsa__nomem(err, "a file name");
        goto fail;
    }
    *out = d;
    return FSNSA_OK;
fail:
    fsnsa_dataset_free(d);
    return st;
}

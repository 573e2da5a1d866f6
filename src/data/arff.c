/* Weka ARFF: a header of @relation / @attribute lines (numeric, real,
 * integer, {nominal,values}, string or date [format]), then @data with
 * dense comma-separated rows or sparse "{index value, ...}" rows. The
 * class is the last attribute unless label_column says otherwise. A string
 * attribute is a free column, as in delimited text; a date is a numeric
 * column parsed by data_date.c. */
#include "data.h"

#include <stdlib.h>
#include <string.h>

enum { AT_NUMERIC, AT_NOMINAL, AT_STRING, AT_DATE };

typedef struct {
    char *name;
    int type;
    fsnsa__dict values;        /* AT_NOMINAL */
    fsnsa__date_format date;   /* AT_DATE */
    size_t line;
} attr;

static void attrs_free(attr *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(a[i].name);
        fsnsa__dict_free(&a[i].values);
        fsnsa__date_free(&a[i].date);
    }
    free(a);
}

static char *skip_blanks(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* A keyword (case-insensitive) followed by a blank or the end. */
static bool keyword(const char *s, const char *kw, size_t *len)
{
    size_t n = strlen(kw);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != kw[i])
            return false;
    }
    if (s[n] != '\0' && s[n] != ' ' && s[n] != '\t' && s[n] != '{')
        return false;
    *len = n;
    return true;
}

/* The quoted token whose opening quote is at s, its backslash escapes
 * undone in place: *len bytes from s + 1; returns the character after the
 * closing quote, or NULL when there is none before `end`. */
static char *unquote(char *s, char *end, size_t *len)
{
    char q = *s, *p = s + 1, *w = s + 1;
    while (p < end && *p != q) {
        if (*p == '\\' && p + 1 < end) {
            size_t wrote;
            p += fsnsa__unescape(p, end, w, &wrote);
            w += wrote;
        } else {
            *w++ = *p++;
        }
    }
    if (p == end)
        return NULL;
    *len = (size_t)(w - (s + 1));
    return p + 1;
}

/* Name: quoted ('...' or "...", backslash escapes undone) or a run of
 * non-blanks up to a '{'. *rest points after it. */
static bool read_name(char *s, char **name, size_t *len, char **rest)
{
    if (*s == '\'' || *s == '"') {
        char *after = unquote(s, s + strlen(s), len);
        if (after == NULL)
            return false;
        *name = s + 1;
        (*name)[*len] = '\0';
        *rest = after;
        return true;
    }
    char *e = s;
    while (*e && *e != ' ' && *e != '\t' && *e != '{')
        e++;
    *name = s;
    *len = (size_t)(e - s);
    *rest = e;
    return e > s;
}

/* "date [format]" after the keyword, at s: the format quoted with ' or "
 * (backslash escapes inside, as Weka writes them) or a bare token, Weka's
 * default when absent. line0 is the line, for character positions. */
static fsnsa_status parse_date_type(char *s, const char *line0,
                                    const char *path, size_t line, attr *a,
                                    fsnsa_error *err)
{
    char *p = skip_blanks(s), *end;
    a->type = AT_DATE;
    if (*p == '\0' || *p == '%')
        return fsnsa__date_compile(&a->date, FSNSA__DATE_DEFAULT,
                                   strlen(FSNSA__DATE_DEFAULT), false, path,
                                   line, 1, a->name, err);
    bool quoted = *p == '\'' || *p == '"';
    if (quoted) {
        for (end = p + 1; *end != '\0' && *end != *p; end++)
            if (*end == '\\' && end[1] != '\0')
                end++;
        if (*end == '\0')
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:%zu: attribute '%s': unterminated "
                               "quoted date format",
                               path, line, (size_t)(p - line0) + 1, a->name);
        p++;
    } else {
        for (end = p; *end != '\0' && *end != ' ' && *end != '\t'; end++)
            ;
    }
    char *after = skip_blanks(end + quoted);
    if (*after != '\0' && *after != '%')
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: attribute '%s': text after the date "
                           "format (quote a format that has blanks)",
                           path, line, (size_t)(after - line0) + 1, a->name);
    return fsnsa__date_compile(&a->date, p, (size_t)(end - p), quoted, path,
                               line, (size_t)(p - line0) + 1, a->name, err);
}

static fsnsa_status parse_attribute(char *s, const char *line0,
                                    const char *path, size_t line,
                                    size_t max_values, fsnsa__fields *f,
                                    attr *a, fsnsa_error *err)
{
    char *name, *rest, sb[64];
    size_t nlen;
    memset(a, 0, sizeof *a);
    a->line = line;
    a->values.limit = max_values;
    if (!read_name(skip_blanks(s), &name, &nlen, &rest))
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: @attribute needs a name", path, line);
    if ((a->name = malloc(nlen + 1)) == NULL)
        return fsnsa__nomem(err, "an attribute");
    memcpy(a->name, name, nlen);
    a->name[nlen] = '\0';
    rest = skip_blanks(rest);
    size_t kl;
    if (*rest == '{') {
        char *close = strrchr(rest, '}');
        if (close == NULL)
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:1: attribute '%s': '{' without '}'",
                               path, line, a->name);
        *close = '\0';
        fsnsa_status st = fsnsa__split(rest + 1, (size_t)(close - rest - 1),
                                       ',', "'\"", true, f, max_values + 1,
                                       path,
                                       line, err);
        if (st != FSNSA_OK)
            return st;
        a->type = AT_NOMINAL;
        for (size_t i = 0; i < f->n; i++) {
            size_t id;
            int r = fsnsa__dict_intern(&a->values, f->f[i].s, f->f[i].len, &id);
            if (r == -1)
                return fsnsa__nomem(err, "nominal values");
            if (r == -2)
                return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                                   "%s:%zu:1: attribute '%s' has more than "
                                   "%zu values",
                                   path, line, a->name, max_values);
            if (r == 0)
                return fsnsa__fail(err, FSNSA_ERR_PARSE,
                                   "%s:%zu:1: attribute '%s' lists '%s' twice",
                                   path, line, a->name,
                                   fsnsa__show(sb, sizeof sb, f->f[i].s,
                                               f->f[i].len));
        }
        if (a->values.n == 0)
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:1: attribute '%s' has no values", path,
                               line, a->name);
        return FSNSA_OK;
    }
    if (keyword(rest, "numeric", &kl) || keyword(rest, "real", &kl) ||
        keyword(rest, "integer", &kl))
        return FSNSA_OK;
    if (keyword(rest, "string", &kl)) {
        a->type = AT_STRING;
        return FSNSA_OK;
    }
    if (keyword(rest, "date", &kl))
        return parse_date_type(rest + kl, line0, path, line, a, err);
    if (keyword(rest, "relational", &kl))
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: attribute '%s': relational attributes "
                           "(multi-instance bags) are not supported",
                           path, line, a->name);
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:1: attribute '%s': type '%s' is not supported "
                       "(numeric, real, integer, string, date [format] or "
                       "{values})",
                       path, line, a->name,
                       fsnsa__show(sb, sizeof sb, rest, strlen(rest)));
}

/* Sparse row "{i v, j w}" into tokens (NULL: absent). */
static fsnsa_status sparse_row(char *s, size_t len, const char *path,
                               size_t line, size_t n_attr, fsnsa__fields *f,
                               fsnsa__field *tok, fsnsa_error *err)
{
    char *close = memchr(s, '}', len);
    if (close == NULL)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: sparse row without '}'", path, line);
    *close = '\0';
    fsnsa_status st = fsnsa__split(s + 1, (size_t)(close - s - 1), ',', NULL,
                                   false, f, n_attr + 1, path, line, err);
    if (st != FSNSA_OK)
        return st;
    for (size_t i = 0; i < n_attr; i++)
        tok[i].s = NULL;
    size_t prev = 0;
    for (size_t i = 0; i < f->n; i++) {
        char *p = f->f[i].s;
        size_t k = 0, d = 0;
        if (f->f[i].len == 0 && f->n == 1)
            break; /* "{}" */
        for (; p[d] >= '0' && p[d] <= '9' && k <= n_attr; d++)
            k = k * 10 + (size_t)(p[d] - '0');
        if (d == 0 || (p[d] != ' ' && p[d] != '\t') || k >= n_attr ||
            (i > 0 && k <= prev))
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:%zu: expected 'index value' with "
                               "increasing 0-based indices below %zu",
                               path, line, i + 1, n_attr);
        prev = k;
        char *v = skip_blanks(p + d);
        size_t vl = f->f[i].len - (size_t)(v - p);
        if (vl >= 2 && (v[0] == '\'' || v[0] == '"')) {
            char *after = unquote(v, v + vl, &vl);
            if (after == NULL || *skip_blanks(after) != '\0')
                return fsnsa__fail(err, FSNSA_ERR_PARSE,
                                   "%s:%zu:%zu: bad quoting in a sparse "
                                   "value", path, line, i + 1);
            v++;
            v[vl] = '\0';
        }
        tok[k].s = v;
        tok[k].len = vl;
        tok[k].col = i + 1;
    }
    return FSNSA_OK;
}

fsnsa_status fsnsa__read_arff(fsnsa__table *t, const char *path,
                              const fsnsa_read_options *opt, fsnsa_error *err)
{
    fsnsa__lines r;
    fsnsa__fields f = {0};
    attr *at = NULL;
    size_t n_attr = 0, cap_attr = 0;
    fsnsa__field *tok = NULL;
    bool *ignore = NULL;
    size_t *table_col = NULL;
    size_t max_cols = opt->max_cols ? opt->max_cols : FSNSA__DEFAULT_MAX_COLS;
    size_t max_values = max_cols < FSNSA__MAX_NOMINAL ? max_cols : FSNSA__MAX_NOMINAL;
    fsnsa_status st = fsnsa__lines_open(&r, path, opt, err);
    if (st != FSNSA_OK)
        return st;
    char *line;
    size_t len;
    bool data = false, any = false;
    while ((st = fsnsa__lines_next(&r, &line, &len, err)) == FSNSA_OK &&
           line != NULL) {
        char *s = skip_blanks(line);
        if (*s == '\0' || *s == '%')
            continue;
        any = true;
        size_t kl;
        if (keyword(s, "@relation", &kl))
            continue;
        if (keyword(s, "@data", &kl)) {
            data = true;
            break;
        }
        if (!keyword(s, "@attribute", &kl)) {
            char sb[64];
            st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                             "%s:%zu:%zu: expected @relation, @attribute or "
                             "@data, found '%s'",
                             path, r.line_no, (size_t)(s - line) + 1,
                             fsnsa__show(sb, sizeof sb, s, strlen(s)));
            goto done;
        }
        if (n_attr >= max_cols + 1) {
            st = fsnsa__fail(err, FSNSA_ERR_LIMIT,
                             "%s:%zu:1: more than %zu attributes", path,
                             r.line_no, max_cols + 1);
            goto done;
        }
        if (n_attr == cap_attr) {
            size_t nc = cap_attr ? cap_attr * 2 : 32;
            attr *na = realloc(at, nc * sizeof *na);
            if (na == NULL) {
                st = fsnsa__nomem(err, "attributes");
                goto done;
            }
            at = na;
            cap_attr = nc;
        }
        st = parse_attribute(s + kl, line, path, r.line_no, max_values, &f,
                             &at[n_attr], err);
        n_attr++; /* even on error, so that it is freed */
        if (st != FSNSA_OK)
            goto done;
    }
    if (st != FSNSA_OK)
        goto done;
    if (!data) {
        st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                         any ? "%s:%zu:1: truncated ARFF header: no @data line"
                             : "%s:%zu:1: the file is empty",
                         path, r.line_no + 1);
        goto done;
    }
    size_t data_line = r.line_no;
    if (n_attr == 0) {
        st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                         "%s:%zu:1: no @attribute before @data", path,
                         data_line);
        goto done;
    }
    char **names = fsnsa__alloc(n_attr, sizeof *names);
    size_t *nlen = fsnsa__alloc(n_attr, sizeof *nlen);
    ignore = fsnsa__calloc(n_attr, sizeof *ignore);
    size_t label = SIZE_MAX, n_ign = 0;
    if (names == NULL || nlen == NULL || ignore == NULL) {
        free(names);
        free(nlen);
        st = fsnsa__nomem(err, "attributes");
        goto done;
    }
    for (size_t j = 0; j < n_attr; j++) {
        names[j] = at[j].name;
        nlen[j] = strlen(at[j].name);
    }
    /* the ignored attributes, then the label among the others */
    fsnsa__labelspec ls = fsnsa__labelspec_of(opt);
    const fsnsa_schema *sc = opt->schema;
    st = fsnsa__ignore_mask(opt->ignore_columns, n_attr, names, path,
                            data_line, ignore, &n_ign, err);
    size_t kept = n_attr - n_ign;
    if (st == FSNSA_OK && sc != NULL && !ls.none && kept == sc->n_columns)
        ls.none = true; /* prediction on data without the class */
    if (st == FSNSA_OK && sc != NULL && !ls.none && kept != sc->n_columns + 1)
        st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                         "%s:%zu:1: %zu attributes%s; the model expects %zu "
                         "feature columns (and optionally the class)",
                         path, data_line, kept,
                         n_ign ? " besides the ignored ones" : "",
                         sc->n_columns);
    if (st == FSNSA_OK)
        st = fsnsa__label_index(&ls, n_attr, names, nlen, n_attr, path,
                                data_line, &label, err);
    free(names);
    free(nlen);
    if (st != FSNSA_OK)
        goto done;
    if (label != SIZE_MAX && ignore[label]) {
        st = fsnsa__fail(err, FSNSA_ERR_ARG,
                         "ignore_columns: attribute %zu ('%s') is the class "
                         "(see the 'label_column' option)",
                         label, at[label].name);
        goto done;
    }
    if (label != SIZE_MAX && at[label].type == AT_DATE) {
        st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                         "%s:%zu:1: the class attribute '%s' is a date; a "
                         "class must be nominal (choose another with "
                         "label_column)",
                         path, at[label].line, at[label].name);
        goto done;
    }
    bool labeled = label != SIZE_MAX;
    if ((st = fsnsa__table_init(t, path, opt, kept - labeled, labeled, err)) !=
        FSNSA_OK)
        goto done;
    t->question_na = true;
    t->index_check = label != 0 && !ignore[0];
    t->layout.fields = n_attr;
    t->layout.label_field = label;
    for (size_t j = 0, k = 0; j < n_attr; j++) {
        size_t nl = strlen(at[j].name);
        if (ignore[j])
            continue;
        if (j == label) {
            if ((st = fsnsa__table_set_label_name(t, at[j].name, nl, err)) !=
                FSNSA_OK)
                goto done;
            if (at[j].type == AT_NOMINAL)
                fsnsa__table_set_classes(t, &at[j].values);
            continue;
        }
        if ((st = fsnsa__table_set_name(t, k, at[j].name, nl, err)) != FSNSA_OK)
            goto done;
        if (at[j].type == AT_NOMINAL)
            fsnsa__table_set_nominal(t, k, &at[j].values);
        else if (at[j].type != AT_STRING) /* a string stays a free column */
            fsnsa__table_set_numeric(t, k);
        else
            t->cols[k].text_line = at[j].line;
        k++;
    }
    if (sc != NULL && (st = fsnsa__table_use_schema(t, data_line, err)) != FSNSA_OK)
        goto done;
    tok = fsnsa__alloc(n_attr, sizeof *tok);
    table_col = fsnsa__alloc(n_attr, sizeof *table_col);
    if (tok == NULL || table_col == NULL) {
        st = fsnsa__nomem(err, "a row");
        goto done;
    }
    for (size_t j = 0, k = 0; j < n_attr; j++) {
        table_col[j] = k; /* the table column of a kept feature */
        k += !ignore[j] && j != label;
    }
    while ((st = fsnsa__lines_next(&r, &line, &len, err)) == FSNSA_OK &&
           line != NULL) {
        char *s = skip_blanks(line);
        if (*s == '\0' || *s == '%')
            continue;
        len -= (size_t)(s - line);
        if (*s == '{') {
            if ((st = sparse_row(s, len, path, r.line_no, n_attr, &f, tok,
                                 err)) != FSNSA_OK)
                goto done;
            /* absent: 0 (for a date the epoch, left NULL here), or the
             * first declared value of a nominal */
            for (size_t j = 0; j < n_attr; j++) {
                if (tok[j].s != NULL || ignore[j])
                    continue;
                if (at[j].type == AT_STRING) {
                    st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                                     "%s:%zu:1: sparse row leaves out the "
                                     "string attribute '%s' (give its value)",
                                     path, r.line_no, at[j].name);
                    goto done;
                }
                const fsnsa__dict *vals = NULL;
                size_t k = table_col[j];
                if (j == label) {
                    if (t->labels_fixed)
                        vals = &t->labels;
                } else if (t->cols[k].kind == FSNSA__NOM) {
                    vals = &t->cols[k].dict;
                } else if (at[j].type == AT_DATE) {
                    tok[j].col = j + 1;
                    continue;
                }
                tok[j].s = vals != NULL && vals->n > 0
                               ? (char *)fsnsa__dict_str(vals, 0)
                               : (char *)"0";
                tok[j].len = strlen(tok[j].s);
                tok[j].col = j + 1;
            }
        } else {
            if ((st = fsnsa__split(s, len, ',', "'\"", true, &f, n_attr + 1,
                                   path,
                                   r.line_no, err)) != FSNSA_OK)
                goto done;
            if (f.n != n_attr) {
                st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                                 "%s:%zu:%zu: expected %zu values, found %zu",
                                 path, r.line_no,
                                 (f.n < n_attr ? f.n : n_attr) + 1, n_attr,
                                 f.n);
                goto done;
            }
            memcpy(tok, f.f, n_attr * sizeof *tok);
        }
        float *row;
        if ((st = fsnsa__table_row(t, r.line_no, &row, err)) != FSNSA_OK)
            goto done;
        for (size_t j = 0, k = 0; j < n_attr; j++) {
            if (ignore[j])
                continue;
            if (j == label)
                st = fsnsa__table_label(t, tok[j].s, tok[j].len, r.line_no,
                                        tok[j].col, err);
            else if (tok[j].s == NULL) /* a date absent from a sparse row */
                row[k] = 0.0f;
            else if (at[j].type == AT_DATE && t->cols[k].kind == FSNSA__NUM &&
                     !fsnsa__table_is_na(t, tok[j].s, tok[j].len))
                st = fsnsa__date_parse(&at[j].date, tok[j].s, tok[j].len,
                                       &row[k], path, r.line_no, tok[j].col,
                                       err);
            else /* numbers, nominals, strings, missing values */
                st = fsnsa__table_cell(t, &row[k], k, tok[j].s, tok[j].len,
                                       r.line_no, tok[j].col, err);
            if (st != FSNSA_OK)
                goto done;
            k += j != label;
        }
    }
    t->last_line = r.line_no;
done:
    fsnsa__lines_close(&r);
    fsnsa__fields_free(&f);
    attrs_free(at, n_attr);
    free(tok);
    free(ignore);
    free(table_col);
    return st;
}

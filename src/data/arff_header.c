/* The ARFF header: @relation, then @attribute lines (numeric, real,
 * integer, {nominal,values}, string or date [format]) up to @data. */
#include "arff.h"

#include "limits.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

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

char *fsnsa__arff_unquote(char *s, char *end, size_t *len)
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
        char *after = fsnsa__arff_unquote(s, s + strlen(s), len);
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
                                    const char *path, size_t line, fsnsa__arff_attr *a,
                                    fsnsa_error *err)
{
    char *p = fsnsa__arff_skip_blanks(s), *end;
    a->type = FSNSA__AT_DATE;
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
    char *after = fsnsa__arff_skip_blanks(end + quoted);
    if (*after != '\0' && *after != '%')
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: attribute '%s': text after the date "
                           "format (quote a format that has blanks)",
                           path, line, (size_t)(after - line0) + 1, a->name);
    return fsnsa__date_compile(&a->date, p, (size_t)(end - p), quoted, path,
                               line, (size_t)(p - line0) + 1, a->name, err);
}

/* "{value, ...}" at rest: the declared values of a nominal attribute,
 * quoted or not, each once. */
static fsnsa_status parse_nominal(char *rest, const char *path, size_t line,
                                  size_t max_values, fsnsa__fields *f,
                                  fsnsa__arff_attr *a, fsnsa_error *err)
{
    char sb[64];
    char *close = strrchr(rest, '}');
    if (close == NULL)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: attribute '%s': '{' without '}'", path,
                           line, a->name);
    *close = '\0';
    fsnsa_status st = fsnsa__split(rest + 1, (size_t)(close - rest - 1), ',',
                                   "'\"", true, f, max_values + 1, path, line,
                                   err);
    if (st != FSNSA_OK)
        return st;
    a->type = FSNSA__AT_NOMINAL;
    for (size_t i = 0; i < f->n; i++) {
        size_t id;
        int r = fsnsa__dict_intern(&a->values, f->f[i].s, f->f[i].len, &id);
        if (r == -1)
            return fsnsa__nomem(err, "nominal values");
        if (r == -2)
            return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                               "%s:%zu:1: attribute '%s' has more than %zu "
                               "values",
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

/* An @attribute line after its keyword, at s: the name and the type.
 * line0 is the line, for character positions. */
static fsnsa_status parse_attribute(char *s, const char *line0,
                                    const char *path, size_t line,
                                    size_t max_values, fsnsa__fields *f,
                                    fsnsa__arff_attr *a, fsnsa_error *err)
{
    char *name, *rest, sb[64];
    size_t nlen;
    memset(a, 0, sizeof *a);
    a->line = line;
    a->values.limit = max_values;
    if (!read_name(fsnsa__arff_skip_blanks(s), &name, &nlen, &rest))
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: @attribute needs a name", path, line);
    if ((a->name = malloc(nlen + 1)) == NULL)
        return fsnsa__nomem(err, "an attribute");
    memcpy(a->name, name, nlen);
    a->name[nlen] = '\0';
    rest = fsnsa__arff_skip_blanks(rest);
    size_t kl;
    if (*rest == '{')
        return parse_nominal(rest, path, line, max_values, f, a, err);
    if (keyword(rest, "numeric", &kl) || keyword(rest, "real", &kl) ||
        keyword(rest, "integer", &kl))
        return FSNSA_OK;
    if (keyword(rest, "string", &kl)) {
        a->type = FSNSA__AT_STRING;
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

fsnsa_status fsnsa__arff_next(fsnsa__lines *r, char **line, size_t *len,
                             char **s, fsnsa_error *err)
{
    fsnsa_status st;
    while ((st = fsnsa__lines_next(r, line, len, err)) == FSNSA_OK &&
           *line != NULL) {
        *s = fsnsa__arff_skip_blanks(*line);
        if (**s != '\0' && **s != '%')
            break;
    }
    return st;
}

void fsnsa__arff_attrs_free(fsnsa__arff_attrs *attrs)
{
    for (size_t i = 0; i < attrs->n; i++) {
        free(attrs->a[i].name);
        fsnsa__dict_free(&attrs->a[i].values);
        fsnsa__date_free(&attrs->a[i].date);
    }
    free(attrs->a);
    memset(attrs, 0, sizeof *attrs);
}

/* Room for one more attribute, within max_cols + 1 (the class too). */
static fsnsa_status reserve_attr(fsnsa__arff_attrs *attrs, size_t max_cols,
                                 const char *path, size_t line,
                                 fsnsa_error *err)
{
    if (attrs->n >= max_cols + 1)
        return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                           "%s:%zu:1: more than %zu attributes", path, line,
                           max_cols + 1);
    fsnsa__arff_attr *a = fsnsa__grow(attrs->a, &attrs->cap, attrs->n + 1,
                                      sizeof *a, 32);
    if (a == NULL)
        return fsnsa__nomem(err, "attributes");
    attrs->a = a;
    return FSNSA_OK;
}

fsnsa_status fsnsa__arff_read_header(fsnsa__lines *r, size_t max_cols,
                                     fsnsa__arff_attrs *attrs,
                                     fsnsa_error *err)
{
    const char *path = r->path;
    size_t max_values = max_cols < FSNSA__MAX_NOMINAL ? max_cols
                                                      : FSNSA__MAX_NOMINAL;
    fsnsa__fields f = {0};
    char *line;
    size_t len;
    bool any = false;
    fsnsa_status st;
    char *s;
    while ((st = fsnsa__arff_next(r, &line, &len, &s, err)) == FSNSA_OK &&
           line != NULL) {
        any = true;
        size_t kl;
        if (keyword(s, "@relation", &kl))
            continue;
        if (keyword(s, "@data", &kl))
            break;
        if (!keyword(s, "@attribute", &kl)) {
            char sb[64];
            st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                             "%s:%zu:%zu: expected @relation, @attribute or "
                             "@data, found '%s'",
                             path, r->line_no, (size_t)(s - line) + 1,
                             fsnsa__show(sb, sizeof sb, s, strlen(s)));
            break;
        }
        if ((st = reserve_attr(attrs, max_cols, path, r->line_no, err)) !=
            FSNSA_OK)
            break;
        st = parse_attribute(s + kl, line, path, r->line_no, max_values, &f,
                             &attrs->a[attrs->n], err);
        attrs->n++; /* even on error, so that it is freed */
        if (st != FSNSA_OK)
            break;
    }
    fsnsa__fields_free(&f);
    if (st != FSNSA_OK)
        return st;
    if (line == NULL)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           any ? "%s:%zu:1: truncated ARFF header: no @data "
                                 "line"
                               : "%s:%zu:1: the file is empty",
                           path, r->line_no + 1);
    if (attrs->n == 0)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: no @attribute before @data", path,
                           r->line_no);
    return FSNSA_OK;
}

/* fsnsa_dataset_read: choose the reader (option, extension, then content),
 * attach labels from a separate file, and encode. */
#include "data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

fsnsa__labelspec fsnsa__labelspec_of(const fsnsa_read_options *opt)
{
    fsnsa__labelspec ls = {false, false, NULL};
    if (opt->labels_file != NULL) {
        ls.none = true;
        return ls;
    }
    if (opt->label_column != NULL) {
        ls.given = true;
        ls.text = opt->label_column;
        ls.none = fsnsa__ieq(opt->label_column, "none");
    }
    return ls;
}

static bool all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* The field named t among n names (entries may be NULL): the one exact
 * match, else the one ASCII case-insensitive match. 0: found, *idx; 1: no
 * such name; -1: ambiguous, *idx and *idx2 the first two matches. */
static int find_name(char *const *names, const size_t *name_len, size_t n,
                     const char *t, size_t *idx, size_t *idx2)
{
    size_t tl = strlen(t);
    for (int pass = 0; pass < 2; pass++) {
        size_t hits = 0;
        for (size_t j = 0; j < n; j++) {
            if (names[j] == NULL)
                continue;
            bool hit = pass == 0 ? (name_len ? name_len[j] : strlen(names[j])) == tl &&
                                       memcmp(names[j], t, tl) == 0
                                 : fsnsa__ieq(names[j], t);
            if (hit && hits++ == 0)
                *idx = j;
            else if (hit && hits == 2)
                *idx2 = j;
        }
        if (hits > 0)
            return hits == 1 ? 0 : -1;
    }
    return 1;
}

/* A 0-based field index written in digits, below m_file. */
static fsnsa_status field_index(const char *what, const char *t, size_t m_file,
                                const char *path, size_t line, size_t *idx,
                                fsnsa_error *err)
{
    char *end;
    unsigned long long v = strtoull(t, &end, 10);
    if (v >= m_file)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: %s %s does not exist (rows have %zu "
                           "fields, 0-based indices 0..%zu)",
                           path, line, m_file + 1, what, t, m_file, m_file - 1);
    *idx = (size_t)v;
    return FSNSA_OK;
}

/* "fields 3 and 7 are both named 'y'": an ambiguous name, refused. */
static fsnsa_status ambiguous(const char *what, const char *t, size_t a,
                              size_t b, const char *path, size_t line,
                              fsnsa_error *err)
{
    char sb[64];
    fsnsa__show(sb, sizeof sb, t, strlen(t));
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:%zu: %s '%s' is ambiguous: fields %zu and %zu "
                       "are both named '%s' (give the 0-based index, %zu or "
                       "%zu)",
                       path, line, b + 1, what, sb, a + 1, b + 1, sb, a, b);
}

fsnsa_label_source fsnsa__label_source(const fsnsa_read_options *opt)
{
    fsnsa__labelspec ls = fsnsa__labelspec_of(opt);
    if (opt->labels_file != NULL)
        return FSNSA_LABEL_FILE;
    if (ls.none)
        return FSNSA_LABEL_NONE;
    if (ls.text == NULL || fsnsa__ieq(ls.text, "last"))
        return FSNSA_LABEL_LAST;
    if (fsnsa__ieq(ls.text, "first"))
        return FSNSA_LABEL_FIRST;
    return all_digits(ls.text) ? FSNSA_LABEL_INDEX : FSNSA_LABEL_NAME;
}

fsnsa_status fsnsa__label_index(const fsnsa__labelspec *ls, size_t m_file,
                                char *const *names, const size_t *name_len,
                                size_t n_names, const char *path, size_t line,
                                size_t *idx, fsnsa_error *err)
{
    *idx = SIZE_MAX;
    if (ls->none)
        return FSNSA_OK;
    const char *t = ls->text;
    if (t == NULL || fsnsa__ieq(t, "last")) {
        *idx = m_file - 1;
        return FSNSA_OK;
    }
    if (fsnsa__ieq(t, "first")) {
        *idx = 0;
        return FSNSA_OK;
    }
    if (all_digits(t))
        return field_index("label column", t, m_file, path, line, idx, err);
    if (names != NULL && n_names == m_file) {
        size_t j = 0, j2 = 0;
        int r = find_name(names, name_len, n_names, t, &j, &j2);
        if (r == 0) {
            *idx = j;
            return FSNSA_OK;
        }
        if (r < 0)
            return ambiguous("label column", t, j, j2, path, line, err);
    }
    char sb[64];
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:1: label column '%s' does not exist (%s)", path,
                       line, fsnsa__show(sb, sizeof sb, t, strlen(t)),
                       names == NULL ? "the file has no header row"
                       : n_names == m_file ? "no column has that name"
                                           : "the header names only the "
                                             "feature columns");
}

bool fsnsa__list_next(const char **s, const char **item, size_t *len)
{
    if (*s == NULL || **s == '\0')
        return false;
    const char *p = *s;
    size_t n = strcspn(p, ","), b = 0, e = n;
    while (b < e && (p[b] == ' ' || p[b] == '\t'))
        b++;
    while (e > b && (p[e - 1] == ' ' || p[e - 1] == '\t'))
        e--;
    *item = p + b;
    *len = e - b;
    *s = p + n + (p[n] == ',');
    return true;
}

bool fsnsa__list_has_name(const char *list)
{
    const char *item;
    size_t len;
    while (fsnsa__list_next(&list, &item, &len))
        for (size_t i = 0; i < len; i++)
            if (item[i] < '0' || item[i] > '9')
                return true;
    return false;
}

fsnsa_status fsnsa__ignore_mask(const char *list, size_t m_file,
                                char *const *names, const char *path,
                                size_t line, bool *ignore, size_t *n_ignored,
                                fsnsa_error *err)
{
    *n_ignored = 0;
    char item[256], sb[64];
    const char *s = list, *p;
    size_t len;
    while (fsnsa__list_next(&s, &p, &len)) {
        if (len == 0)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "ignore_columns '%s' has an empty entry",
                               fsnsa__show(sb, sizeof sb, list, strlen(list)));
        if (len >= sizeof item)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "ignore_columns: an entry is longer than %zu "
                               "bytes",
                               sizeof item - 1);
        memcpy(item, p, len);
        item[len] = '\0';
        size_t j = 0, j2 = 0;
        if (all_digits(item)) {
            fsnsa_status st = field_index("ignore_columns: column", item,
                                          m_file, path, line, &j, err);
            if (st != FSNSA_OK)
                return st;
        } else {
            int r = names != NULL
                        ? find_name(names, NULL, m_file, item, &j, &j2)
                        : 1;
            if (r < 0)
                return ambiguous("ignore_columns: column", item, j, j2, path,
                                 line, err);
            if (r > 0)
                return fsnsa__fail(err, FSNSA_ERR_PARSE,
                                   "%s:%zu:1: ignore_columns: no column is "
                                   "named '%s' (%s)",
                                   path, line,
                                   fsnsa__show(sb, sizeof sb, item,
                                               strlen(item)),
                                   names == NULL ? "the file has no header "
                                                   "row; give 0-based indices"
                                                 : "names are matched "
                                                   "exactly, then ignoring "
                                                   "case");
        }
        if (!ignore[j]) {
            ignore[j] = true;
            ++*n_ignored;
        }
    }
    return FSNSA_OK;
}

/* The extension of path, ignoring a trailing ".gz"; points into path. */
static const char *extension(const char *path, char *buf, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 3 && fsnsa__ieq(base + len - 3, ".gz"))
        len -= 3;
    if (len >= size)
        return "";
    memcpy(buf, base, len);
    buf[len] = '\0';
    const char *dot = strrchr(buf, '.');
    return dot ? dot + 1 : "";
}

/* First content line decides: '@'/'%' -> ARFF, "label idx:val" -> LIBSVM,
 * anything else -> delimited text. */
static fsnsa_status sniff(const char *path, const fsnsa_read_options *opt,
                          fsnsa_format *fmt, fsnsa_error *err)
{
    fsnsa__lines r;
    fsnsa_status st = fsnsa__lines_open(&r, path, opt, err);
    if (st != FSNSA_OK)
        return st;
    *fmt = FSNSA_FORMAT_CSV;
    char *line;
    size_t len;
    while ((st = fsnsa__lines_next(&r, &line, &len, err)) == FSNSA_OK &&
           line != NULL) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line == '\0')
            continue;
        if (*line == '@' || *line == '%') {
            *fmt = FSNSA_FORMAT_ARFF;
            break;
        }
        if (*line == '#' || *line == ';')
            continue;
        /* second blank-separated token shaped like 12:3.5 */
        char *p = line;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        while (*p == ' ' || *p == '\t')
            p++;
        char *q = p;
        while (*q >= '0' && *q <= '9')
            q++;
        if (q > p && *q == ':')
            *fmt = FSNSA_FORMAT_LIBSVM;
        break;
    }
    fsnsa__lines_close(&r);
    return st;
}

/* One label per line; blank lines only at the end. */
static fsnsa_status read_labels(fsnsa__table *t, const char *path,
                                const fsnsa_read_options *opt,
                                fsnsa_error *err)
{
    fsnsa__lines r;
    fsnsa_status st = fsnsa__lines_open(&r, path, opt, err);
    if (st != FSNSA_OK)
        return st;
    const char *data_path = t->path;
    t->path = path; /* messages name the labels file */
    size_t blank = 0;
    char *line;
    size_t len;
    while ((st = fsnsa__lines_next(&r, &line, &len, err)) == FSNSA_OK &&
           line != NULL) {
        while (len > 0 && (*line == ' ' || *line == '\t')) {
            line++;
            len--;
        }
        while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
            len--;
        if (len == 0) {
            if (blank == 0)
                blank = r.line_no;
            continue;
        }
        if (blank != 0) {
            st = fsnsa__fail(err, FSNSA_ERR_PARSE, "%s:%zu:1: empty label",
                             path, blank);
            break;
        }
        if (t->n_y >= t->n) {
            st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                             "%s:%zu:1: more labels than the %zu rows of %s",
                             path, r.line_no, t->n, data_path);
            break;
        }
        if ((st = fsnsa__table_label(t, line, len, r.line_no, 1, err)) !=
            FSNSA_OK)
            break;
    }
    if (st == FSNSA_OK && t->n_y < t->n)
        st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                         "%s:%zu:1: %zu labels for the %zu rows of %s", path,
                         r.line_no + 1, t->n_y, t->n, data_path);
    fsnsa__lines_close(&r);
    if (st == FSNSA_OK) {
        t->path = data_path;
        t->label_path = path;
    }
    return st;
}

fsnsa_status fsnsa__read_options_check(const fsnsa_read_options *o,
                                       fsnsa_error *err)
{
    if (o->format < FSNSA_FORMAT_AUTO || o->format > FSNSA_FORMAT_UCI)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "unknown data format %d",
                           (int)o->format);
    if (o->header < -1 || o->header > 1)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "header must be -1 (detect), 0 or 1, not %d",
                           o->header);
    if (o->missing < FSNSA_MISSING_REFUSE || o->missing > FSNSA_MISSING_ZERO)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "unknown missing-value mode %d",
                           (int)o->missing);
    char d = o->delimiter;
    if (d == '"' || d == '\'' || d == '\n' || d == '\r' ||
        (d != 0 && d != '\t' && (d < 32 || d > 126)) ||
        (d >= '0' && d <= '9') || d == '.' || d == '-' || d == '+')
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "delimiter 0x%02x cannot be used", (unsigned char)d);
    if (o->decimal != 0 && o->decimal != '.' && o->decimal != ',')
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "decimal mark 0x%02x cannot be used (0 = from the "
                           "data, '.' or ',')",
                           (unsigned char)o->decimal);
    if (o->decimal == ',' &&
        (d == ',' || (d == 0 && o->format == FSNSA_FORMAT_UCI)))
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "decimal commas need a delimiter other than ','");
    if (o->labels_file != NULL && o->label_column != NULL &&
        !fsnsa__ieq(o->label_column, "none"))
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "give either a label column or a labels file, "
                           "not both");
    return FSNSA_OK;
}

fsnsa_status fsnsa_dataset_read(const char *path, const fsnsa_read_options *opt,
                                fsnsa_dataset **out, fsnsa_error *err)
{
    if (out == NULL || path == NULL)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no file or output given");
    *out = NULL;
    fsnsa_read_options defaults;
    if (opt == NULL) {
        fsnsa_read_options_default(&defaults);
        opt = &defaults;
    }
    fsnsa_status st = fsnsa__read_options_check(opt, err);
    if (st != FSNSA_OK)
        return st;
    fsnsa_format fmt = opt->format;
    if (fmt == FSNSA_FORMAT_AUTO) {
        char buf[256];
        const char *ext = extension(path, buf, sizeof buf);
        static const char *const csv[] = {"csv", "tsv", "txt", "data", "tra",
                                          "tes", "test", "dat"};
        for (size_t i = 0; i < sizeof csv / sizeof csv[0]; i++)
            if (fsnsa__ieq(ext, csv[i]))
                fmt = FSNSA_FORMAT_CSV;
        if (fsnsa__ieq(ext, "svm") || fsnsa__ieq(ext, "libsvm") ||
            fsnsa__ieq(ext, "svmlight"))
            fmt = FSNSA_FORMAT_LIBSVM;
        if (fsnsa__ieq(ext, "arff"))
            fmt = FSNSA_FORMAT_ARFF;
        if (fmt == FSNSA_FORMAT_AUTO && (st = sniff(path, opt, &fmt, err)) != FSNSA_OK)
            return st;
    }
    fsnsa__table t;
    memset(&t, 0, sizeof t);
    if ((st = fsnsa__table_na_init(&t, opt, err)) != FSNSA_OK) {
        fsnsa__table_free(&t);
        return st;
    }
    switch (fmt) {
    case FSNSA_FORMAT_LIBSVM:
        st = fsnsa__read_libsvm(&t, path, opt, err);
        break;
    case FSNSA_FORMAT_ARFF:
        st = fsnsa__read_arff(&t, path, opt, err);
        break;
    default:
        st = fsnsa__read_csv(&t, path, opt, fmt == FSNSA_FORMAT_UCI, err);
        break;
    }
    t.layout.format = fmt;
    if (st == FSNSA_OK && opt->labels_file != NULL && t.n > 0) {
        t.labeled = true;
        st = read_labels(&t, opt->labels_file, opt, err);
    }
    if (st == FSNSA_OK)
        st = fsnsa__table_finish(&t, out, err);
    fsnsa__table_free(&t);
    return st;
}

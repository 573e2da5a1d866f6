/* label_column and ignore_columns against a file's fields: a 0-based
 * index, "first" or "last", or a name (the one exact match, else the one
 * ASCII case-insensitive match; two are refused as ambiguous). */
#include "columns.h"

#include "text.h"

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

bool fsnsa__label_by_name(const fsnsa__labelspec *ls)
{
    return ls->given && !ls->none && fsnsa__list_has_name(ls->text) &&
           !fsnsa__ieq(ls->text, "first") && !fsnsa__ieq(ls->text, "last");
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

/* The field one ignore_columns entry names: an index, or a name among
 * names (NULL without a header). */
static fsnsa_status ignored_field(const char *item, size_t m_file,
                                  char *const *names, const char *path,
                                  size_t line, size_t *j, fsnsa_error *err)
{
    if (all_digits(item))
        return field_index("ignore_columns: column", item, m_file, path, line,
                           j, err);
    size_t j2 = 0;
    int r = names != NULL ? find_name(names, NULL, m_file, item, j, &j2) : 1;
    if (r < 0)
        return ambiguous("ignore_columns: column", item, *j, j2, path, line,
                         err);
    if (r > 0) {
        char sb[64];
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:1: ignore_columns: no column is named "
                           "'%s' (%s)",
                           path, line,
                           fsnsa__show(sb, sizeof sb, item, strlen(item)),
                           names == NULL ? "the file has no header row; give "
                                           "0-based indices"
                                         : "names are matched exactly, then "
                                           "ignoring case");
    }
    return FSNSA_OK;
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
        size_t j = 0;
        fsnsa_status st = ignored_field(item, m_file, names, path, line, &j,
                                        err);
        if (st != FSNSA_OK)
            return st;
        if (!ignore[j]) {
            ignore[j] = true;
            ++*n_ignored;
        }
    }
    return FSNSA_OK;
}

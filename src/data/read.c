/* fsnsa_dataset_read: choose the reader (option, extension, then content),
 * call it, attach labels from a separate file, and encode. */
#include "readers.h"

#include "lines.h"
#include "table.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The format: the option, else the extension, else the content. */
static fsnsa_status choose_format(const char *path,
                                  const fsnsa_read_options *opt,
                                  fsnsa_format *fmt, fsnsa_error *err)
{
    *fmt = opt->format;
    if (*fmt != FSNSA_FORMAT_AUTO)
        return FSNSA_OK;
    char buf[256];
    const char *ext = extension(path, buf, sizeof buf);
    static const char *const csv[] = {"csv", "tsv", "txt", "data", "tra",
                                      "tes", "test", "dat"};
    for (size_t i = 0; i < sizeof csv / sizeof csv[0]; i++)
        if (fsnsa__ieq(ext, csv[i]))
            *fmt = FSNSA_FORMAT_CSV;
    if (fsnsa__ieq(ext, "svm") || fsnsa__ieq(ext, "libsvm") ||
        fsnsa__ieq(ext, "svmlight"))
        *fmt = FSNSA_FORMAT_LIBSVM;
    if (fsnsa__ieq(ext, "arff"))
        *fmt = FSNSA_FORMAT_ARFF;
    return *fmt == FSNSA_FORMAT_AUTO ? sniff(path, opt, fmt, err) : FSNSA_OK;
}

/* The format's reader into t, then the labels file, if any. */
static fsnsa_status read_table(fsnsa__table *t, const char *path,
                               const fsnsa_read_options *opt,
                               fsnsa_format fmt, fsnsa_error *err)
{
    fsnsa_status st = fsnsa__table_na_init(t, opt, err);
    if (st != FSNSA_OK)
        return st;
    switch (fmt) {
    case FSNSA_FORMAT_LIBSVM:
        st = fsnsa__read_libsvm(t, path, opt, err);
        break;
    case FSNSA_FORMAT_ARFF:
        st = fsnsa__read_arff(t, path, opt, err);
        break;
    default:
        st = fsnsa__read_csv(t, path, opt, fmt == FSNSA_FORMAT_UCI, err);
        break;
    }
    t->layout.format = fmt;
    if (st == FSNSA_OK && opt->labels_file != NULL && t->n > 0) {
        t->labeled = true;
        st = read_labels(t, opt->labels_file, opt, err);
    }
    return st;
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
    fsnsa_format fmt;
    fsnsa_status st = fsnsa__read_options_check(opt, err);
    if (st == FSNSA_OK)
        st = choose_format(path, opt, &fmt, err);
    if (st != FSNSA_OK)
        return st;
    fsnsa__table t;
    memset(&t, 0, sizeof t);
    st = read_table(&t, path, opt, fmt, err);
    if (st == FSNSA_OK)
        st = fsnsa__table_finish(&t, out, err);
    fsnsa__table_free(&t);
    return st;
}

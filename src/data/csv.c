/* Delimited text: CSV, TSV, semicolons, runs of blanks, UCI .data files.
 * The first two content lines decide the delimiter and whether there is a
 * header; then rows stream into the table builder. */
#include "data.h"

#include <stdlib.h>
#include <string.h>

enum { LINE_DATA, LINE_BLANK, LINE_COMMENT };

/* Whether the first field of s is a missing-value token: "#N/A" starts a
 * row of a spreadsheet, not a comment. Before the delimiter is known
 * (delim 0), any of the delimiters it may be ends the field. */
static bool starts_with_na(const fsnsa__table *t, const char *s, char delim)
{
    size_t n = 0;
    while (s[n] != '\0' &&
           (delim == 0 ? strchr(",;\t ", s[n]) == NULL
            : delim == ' ' ? s[n] != ' ' && s[n] != '\t'
                           : s[n] != delim))
        n++;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n > 0 && fsnsa__table_is_na(t, s, n);
}

/* '#' lines are comments, unless they start with a missing-value token;
 * ';' lines too (UCI's Lisp-style ";;;" headers) unless ';' is the
 * delimiter, where a leading ';' is an empty field. delim 0: not known
 * yet. */
static int line_kind(const fsnsa__table *t, const char *s, char delim)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '\0')
        return LINE_BLANK;
    if ((*s == '#' && !starts_with_na(t, s, delim)) ||
        (*s == ';' && delim != ';'))
        return LINE_COMMENT;
    return LINE_DATA;
}

/* Whether s, split at `sep` (';', or ' ' for runs of blanks) into at
 * least two fields, has commas only inside quotes or in numbers with a
 * decimal comma ("1,5"). */
static bool commas_in_numbers(const char *s, char sep)
{
    size_t fields = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' && sep == ' ')
            break;
        const char *b = s;
        size_t commas = 0;
        bool inq = false;
        for (; *s && (inq || (sep == ' ' ? *s != ' ' && *s != '\t'
                                         : *s != sep));
             s++) {
            if (*s == '"')
                inq = !inq;
            else
                commas += !inq && *s == ',';
        }
        const char *e = s;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        float v;
        if (commas > 0 && fsnsa__parse_number(b, (size_t)(e - b), ',', &v) == -1)
            return false;
        fields++;
        if (*s == '\0')
            break;
        s++;
    }
    return fields >= 2;
}

/* Tab if any, else the more frequent of ',' and ';', else blanks; quoted
 * text does not count. Unless the decimal mark is '.', commas that are
 * all decimal commas do not count ("1,5;2,25;yes" is ';', "1,5 2,25 yes"
 * blanks), and with a ',' mark no comma counts. */
static char detect_delim(const char *line, char mark)
{
    size_t tabs = 0, commas = 0, semis = 0;
    bool inq = false;
    for (const char *s = line; *s; s++) {
        if (*s == '"')
            inq = !inq;
        else if (!inq) {
            tabs += *s == '\t';
            commas += *s == ',';
            semis += *s == ';';
        }
    }
    if (tabs)
        return '\t';
    if (mark == ',')
        return semis ? ';' : ' ';
    if (mark == 0 && commas && commas_in_numbers(line, semis ? ';' : ' '))
        return semis ? ';' : ' ';
    if (commas || semis)
        return commas >= semis ? ',' : ';';
    return ' ';
}

/* A number with the decimal mark, or either mark while it is not known
 * (mark 0); with thousands separators (t->thousands) "1,234" too, and
 * "1,5", which a column of numbers refuses rather than takes for a word. */
static bool is_number(const fsnsa__table *t, const fsnsa__field *f, char mark)
{
    float v;
    return fsnsa__parse_number(f->s, f->len, mark ? mark : '.', &v) == 0 ||
           (mark == 0 && fsnsa__parse_number(f->s, f->len, ',', &v) == 0) ||
           (t->thousands && fsnsa__comma_number(f->s, f->len));
}

static bool is_word(const fsnsa__table *t, const fsnsa__field *f, char mark)
{
    return !is_number(t, f, mark) && !fsnsa__table_is_na(t, f->s, f->len);
}

enum { NO_HEADER, HEADER_WORD_OVER_NUMBER, HEADER_SHORT };

/* A header is a first row with a word where the second row has a number,
 * or a row of words one field shorter than the data (it names the
 * feature columns only, as in UCI's segmentation files). */
static int looks_like_header(const fsnsa__table *t, const fsnsa__fields *a,
                             const fsnsa__fields *b, char mark)
{
    size_t k = a->n < b->n ? a->n : b->n;
    for (size_t j = 0; j < k; j++)
        if (is_word(t, &a->f[j], mark) && is_number(t, &b->f[j], mark))
            return HEADER_WORD_OVER_NUMBER;
    if (a->n + 1 != b->n)
        return NO_HEADER;
    for (size_t j = 0; j < a->n; j++)
        if (!is_word(t, &a->f[j], mark))
            return NO_HEADER;
    return HEADER_SHORT;
}

/* A first row taken for a header because it has a word over a number is
 * data after all when every word in it occurs again as a value of its
 * column (a shuffled car.data starting "5more,more,..."): names do not
 * recur in their own columns. Asked once all rows are read; fields of
 * ignored columns do not count. */
static bool first_row_is_data(const fsnsa__table *t, const fsnsa__fields *a,
                              const bool *ignore, size_t label)
{
    bool any = false;
    for (size_t j = 0, k = 0; j < a->n; j++) {
        if (ignore != NULL && ignore[j])
            continue;
        const fsnsa__field *f = &a->f[j];
        const fsnsa__dict *values = j == label ? &t->labels : &t->cols[k].dict;
        k += j != label;
        if (!is_word(t, f, t->decimal))
            continue;
        if (fsnsa__dict_find(values, f->s, f->len) == SIZE_MAX)
            return false;
        any = true;
    }
    return any;
}

/* With a model: a first row naming the model's columns is a header, even
 * when no number below gives it away (one field may be the label). */
static bool names_schema(const fsnsa__fields *a, const fsnsa_schema *sc)
{
    size_t hits = 0;
    for (size_t j = 0; j < a->n; j++) {
        bool hit = sc->label_name != NULL && fsnsa__ieq(a->f[j].s, sc->label_name);
        for (size_t k = 0; k < sc->n_columns && !hit; k++)
            hit = sc->columns[k].name != NULL &&
                  fsnsa__ieq(a->f[j].s, sc->columns[k].name);
        hits += hit;
    }
    return hits > 0 && hits + 1 >= a->n;
}

static fsnsa_status next_content(const fsnsa__table *t, fsnsa__lines *r,
                                 char delim, char **line, size_t *len,
                                 fsnsa_error *err)
{
    fsnsa_status st;
    while ((st = fsnsa__lines_next(r, line, len, err)) == FSNSA_OK &&
           *line != NULL)
        if (line_kind(t, *line, delim) == LINE_DATA)
            break;
    return st;
}

/* Whether text from p to end leaves a quoted field open, by the
 * splitter's rules (a field is quoted when its first non-blank character
 * is '"'; inside, "" is a quote), starting inside one when `inq`; adds the
 * fields it starts to *fields. */
static bool scan_fields(const char *p, const char *end, char delim, bool inq,
                        size_t *fields)
{
    for (;;) {
        if (!inq) {
            while (p < end && (*p == ' ' || (*p == '\t' && delim != '\t')))
                p++;
            if (delim == ' ' && p == end && *fields > 0)
                return false; /* trailing blanks start no field */
            ++*fields;
            inq = p < end && *p == '"';
            p += inq;
        }
        while (inq) {
            if (p == end)
                return true;
            if (*p++ == '"') {
                if (p < end && *p == '"')
                    p++;
                else
                    inq = false;
            }
        }
        if (delim == ' ')
            while (p < end && *p != ' ' && *p != '\t')
                p++;
        else
            while (p < end && *p != delim)
                p++;
        if (p == end)
            return false;
        p++;
    }
}

static bool ends_in_quote(const char *p, const char *end, char delim,
                          bool inq)
{
    size_t fields = 0;
    return scan_fields(p, end, delim, inq, &fields);
}

static size_t count_fields(const char *s, size_t len, char delim)
{
    size_t fields = 0;
    scan_fields(s, s + len, delim, false, &fields);
    return fields;
}

/* RFC 4180: a quoted field may hold line breaks. While the record in
 * *line leaves one open, the following lines (blank and comment lines
 * too: they are inside the field) are joined to it with "\n" in *rec,
 * which then holds the record. At the end of the file the field stays
 * open, for the splitter to report. */
static fsnsa_status join_quoted(fsnsa__lines *r, char delim, char **rec,
                                size_t *rec_cap, char **line, size_t *len,
                                fsnsa_error *err)
{
    if (!ends_in_quote(*line, *line + *len, delim, false))
        return FSNSA_OK;
    size_t start = r->line_no, n = 0;
    char *piece = *line;
    size_t plen = *len;
    for (;;) {
        bool first = n == 0;
        size_t need = n + !first + plen + 1;
        if (need > r->max_line + 1)
            return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                               "%s:%zu:1: a quoted field runs over more than "
                               "%zu bytes (it is not closed?)",
                               r->path, start, r->max_line);
        if (need > *rec_cap) {
            size_t cap = *rec_cap ? *rec_cap : 256;
            while (cap < need)
                cap *= 2;
            char *nb = realloc(*rec, cap);
            if (nb == NULL)
                return fsnsa__nomem(err, "a record");
            *rec = nb;
            *rec_cap = cap;
        }
        if (!first)
            (*rec)[n++] = '\n';
        memcpy(*rec + n, piece, plen);
        (*rec)[n + plen] = '\0';
        bool open =
            first || ends_in_quote(*rec + n, *rec + n + plen, delim, true);
        n += plen;
        if (!open)
            break;
        fsnsa_status st = fsnsa__lines_next(r, &piece, &plen, err);
        if (st != FSNSA_OK)
            return st;
        if (piece == NULL)
            break;
    }
    *line = *rec;
    *len = n;
    return FSNSA_OK;
}

/* The next record and its first line number. */
static fsnsa_status next_record(const fsnsa__table *t, fsnsa__lines *r,
                                char delim, char **rec, size_t *rec_cap,
                                char **line, size_t *len, size_t *line_no,
                                fsnsa_error *err)
{
    fsnsa_status st = next_content(t, r, delim, line, len, err);
    if (st != FSNSA_OK || *line == NULL)
        return st;
    *line_no = r->line_no;
    return join_quoted(r, delim, rec, rec_cap, line, len, err);
}

static fsnsa_status do_row(fsnsa__table *t, const fsnsa__fields *f,
                           size_t m_file, size_t label, const bool *ignore,
                           size_t line, fsnsa_error *err)
{
    if (f->n != m_file)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: expected %zu fields, found %zu",
                           t->path, line, (f->n < m_file ? f->n : m_file) + 1,
                           m_file, f->n);
    float *row;
    fsnsa_status st = fsnsa__table_row(t, line, &row, err);
    if (st != FSNSA_OK)
        return st;
    for (size_t j = 0, k = 0; j < f->n; j++) {
        const fsnsa__field *x = &f->f[j];
        if (ignore != NULL && ignore[j])
            continue;
        if (j == label)
            st = fsnsa__table_label(t, x->s, x->len, line, x->col, err);
        else {
            st = fsnsa__table_cell(t, &row[k], k, x->s, x->len, line, x->col,
                                   err);
            k++;
        }
        if (st != FSNSA_OK)
            return st;
    }
    return FSNSA_OK;
}

static bool label_by_name(const fsnsa__labelspec *ls)
{
    return ls->given && !ls->none && fsnsa__list_has_name(ls->text) &&
           !fsnsa__ieq(ls->text, "first") && !fsnsa__ieq(ls->text, "last");
}

/* Class ids renumbered in order of first appearance in the rows, as
 * they are when the rows come in that order. */
static fsnsa_status classes_in_row_order(fsnsa__table *t, fsnsa_error *err)
{
    fsnsa__dict nd;
    memset(&nd, 0, sizeof nd);
    nd.limit = t->labels.limit;
    for (size_t i = 0; i < t->n_y; i++) {
        const char *s = fsnsa__dict_str(&t->labels, (size_t)t->y[i]);
        size_t id;
        if (fsnsa__dict_intern(&nd, s, strlen(s), &id) < 0) {
            fsnsa__dict_free(&nd);
            return fsnsa__nomem(err, "class names");
        }
        t->y[i] = (int32_t)id;
    }
    fsnsa__dict_free(&t->labels);
    t->labels = nd;
    return FSNSA_OK;
}

/* The first row, read as a header, becomes the first data row: the names
 * go, the row is added and moved to the front. */
static fsnsa_status first_row_as_data(fsnsa__table *t, const fsnsa__fields *a,
                                      size_t m_file, size_t label,
                                      const bool *ignore, size_t line,
                                      fsnsa_error *err)
{
    for (size_t k = 0; k < t->m; k++) {
        free(t->cols[k].name);
        t->cols[k].name = NULL;
    }
    free(t->label_name);
    t->label_name = NULL;
    size_t n = t->n, m = t->m, last = t->last_line;
    float *keep = fsnsa__alloc(m ? m : 1, sizeof *keep);
    if (keep == NULL)
        return fsnsa__nomem(err, "a row");
    fsnsa_status st = do_row(t, a, m_file, label, ignore, line, err);
    if (st == FSNSA_OK) {
        memcpy(keep, t->cells + n * m, m * sizeof *keep);
        memmove(t->cells + m, t->cells, n * m * sizeof *keep);
        memcpy(t->cells, keep, m * sizeof *keep);
        if (t->labeled) {
            int32_t y = t->y[n];
            memmove(t->y + 1, t->y, n * sizeof *t->y);
            t->y[0] = y;
            st = classes_in_row_order(t, err);
        }
        t->first_line = line;
        t->last_line = last;
    }
    free(keep);
    return st;
}

fsnsa_status fsnsa__read_csv(fsnsa__table *t, const char *path,
                             const fsnsa_read_options *opt, bool uci,
                             fsnsa_error *err)
{
    fsnsa__lines r;
    fsnsa__fields f1 = {0}, f2 = {0};
    char *first = NULL, **names = NULL, *rec = NULL;
    size_t rec_cap = 0;
    size_t *name_len = NULL;
    bool *ignore = NULL;
    size_t max_fields =
        (opt->max_cols ? opt->max_cols : FSNSA__DEFAULT_MAX_COLS) + 1;
    fsnsa_status st = fsnsa__lines_open(&r, path, opt, err);
    if (st != FSNSA_OK)
        return st;
    char delim = opt->delimiter ? opt->delimiter : uci ? ',' : 0;
    char *line;
    size_t len;
    /* before the delimiter is known, leading ';' lines are comments */
    if ((st = next_content(t, &r, delim, &line, &len, err)) !=
        FSNSA_OK)
        goto done;
    if (line == NULL) {
        st = fsnsa__fail(err, FSNSA_ERR_PARSE, "%s:%zu:1: %s", path,
                         r.line_no ? r.line_no : 1,
                         r.line_no ? "no data (only blank or comment lines)"
                                   : "the file is empty");
        goto done;
    }
    size_t first_line = r.line_no;
    /* a first record over several lines is joined by the delimiter its
     * first line suggests, then the delimiter is decided on all of it */
    if ((st = join_quoted(&r, delim ? delim : detect_delim(line, opt->decimal),
                          &rec, &rec_cap, &line, &len, err)) != FSNSA_OK)
        goto done;
    bool sniff = delim == 0;
    if (sniff)
        delim = detect_delim(line, opt->decimal);
    size_t first_len = len, first_end = r.line_no;
    if ((first = malloc(len + 1)) == NULL) {
        st = fsnsa__nomem(err, "a line");
        goto done;
    }
    memcpy(first, line, len + 1);
    size_t second_line = 0;
    if ((st = next_record(t, &r, delim, &rec, &rec_cap, &line, &len,
                          &second_line, err)) != FSNSA_OK)
        goto done;
    bool have_second = line != NULL;
    if (sniff && have_second) {
        /* A header's names may hold the other delimiter ("Länge, cm;
         * Breite, cm;Klasse" over "1,5;2,25;ja"): the first data row's
         * delimiter wins when it splits the header as it splits the row.
         * Not when ';' lines were passed over as comments before it. */
        char d2 = detect_delim(line, opt->decimal);
        size_t n2 = count_fields(line, len, d2),
               n1 = count_fields(first, first_len, d2);
        if (d2 != delim && n2 >= 2 && (n1 == n2 || n1 + 1 == n2) &&
            (d2 != ';' || second_line == first_end + 1))
            delim = d2;
    }
    /* decimal commas never with a ',' delimiter (refused when asked for) */
    char mark = delim == ',' ? '.' : opt->decimal;
    t->thousands = mark == '.';
    if ((st = fsnsa__split(first, first_len, delim, "\"", false, &f1,
                           max_fields, path, first_line, err)) != FSNSA_OK)
        goto done;
    if (have_second &&
        (st = fsnsa__split(line, len, delim, "\"", false, &f2, max_fields, path,
                           second_line, err)) != FSNSA_OK)
        goto done;
    int why = opt->header == -1 && have_second
                  ? looks_like_header(t, &f1, &f2, mark)
                  : NO_HEADER;
    bool header = opt->header == 1 || why != NO_HEADER ||
                  (opt->header == -1 && have_second && opt->schema != NULL &&
                   names_schema(&f1, opt->schema));
    if (header && !have_second) {
        st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                         "%s:%zu:1: no data rows after the header", path,
                         first_line + 1);
        goto done;
    }
    const fsnsa__fields *data0 = header ? &f2 : &f1;
    size_t data0_line = header ? second_line : first_line;
    size_t m_file = data0->n;
    if (header && f1.n != m_file && f1.n + 1 != m_file) {
        st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                         "%s:%zu:%zu: the header has %zu fields, the first "
                         "data row (line %zu) has %zu",
                         path, first_line, (f1.n < m_file ? f1.n : m_file) + 1,
                         f1.n, data0_line, m_file);
        goto done;
    }
    bool full = header && f1.n == m_file;
    fsnsa__labelspec ls = fsnsa__labelspec_of(opt);
    /* With a short header the label is the field it does not name, found
     * without names; it places the names of the other fields. */
    size_t short_label = SIZE_MAX;
    if (header && !full &&
        (st = fsnsa__label_index(&ls, m_file, NULL, NULL, 0, path, first_line,
                                 &short_label, err)) != FSNSA_OK)
        goto done;
    names = fsnsa__calloc(m_file, sizeof *names);
    name_len = fsnsa__calloc(m_file, sizeof *name_len);
    if (names == NULL || name_len == NULL) {
        st = fsnsa__nomem(err, "column names");
        goto done;
    }
    for (size_t j = 0, h = 0; header && j < m_file && h < f1.n; j++) {
        if (!full && j == short_label)
            continue;
        names[j] = f1.f[h].s;
        name_len[j] = f1.f[h].len;
        h++;
    }
    size_t n_ign = 0;
    if (opt->ignore_columns != NULL && opt->ignore_columns[0] != '\0') {
        if ((ignore = fsnsa__calloc(m_file, sizeof *ignore)) == NULL) {
            st = fsnsa__nomem(err, "column names");
            goto done;
        }
        if ((st = fsnsa__ignore_mask(opt->ignore_columns, m_file,
                                     header ? names : NULL, path,
                                     header ? first_line : data0_line, ignore,
                                     &n_ign, err)) != FSNSA_OK)
            goto done;
    }
    const fsnsa_schema *sc = opt->schema;
    size_t label = SIZE_MAX, kept = m_file - n_ign;
    if (sc != NULL && !ls.none && kept == sc->n_columns)
        ls.none = true; /* prediction on a file without the label column */
    if (sc != NULL && !ls.none && kept != sc->n_columns + 1) {
        st = fsnsa__fail(err, FSNSA_ERR_PARSE,
                         "%s:%zu:1: rows have %zu fields%s; the model expects "
                         "%zu feature columns (and optionally the label)",
                         path, data0_line, kept,
                         n_ign ? " besides the ignored ones" : "",
                         sc->n_columns);
        goto done;
    }
    if ((st = fsnsa__label_index(&ls, m_file, full ? names : NULL,
                                 full ? name_len : NULL, full ? m_file : 0,
                                 path, header ? first_line : data0_line,
                                 &label, err)) != FSNSA_OK)
        goto done;
    if (label != SIZE_MAX && ignore != NULL && ignore[label]) {
        st = fsnsa__fail(err, FSNSA_ERR_ARG,
                         "ignore_columns: column %zu is the label column "
                         "(see the 'label_column' option)",
                         label);
        goto done;
    }
    bool labeled = label != SIZE_MAX;
    size_t m = kept - labeled;
    if ((st = fsnsa__table_init(t, path, opt, m, labeled, err)) != FSNSA_OK)
        goto done;
    t->decimal = mark;
    t->decimal_auto = mark == 0;
    t->layout.delimiter = delim;
    t->layout.header = header;
    t->layout.fields = m_file; /* every field, ignored ones included */
    t->layout.label_field = label;
    t->index_check = label != 0 && (ignore == NULL || !ignore[0]);
    for (size_t j = 0, k = 0; header && j < m_file; j++) {
        if (ignore != NULL && ignore[j])
            continue;
        if (j == label)
            st = full ? fsnsa__table_set_label_name(t, names[j], name_len[j],
                                                    err)
                      : FSNSA_OK;
        else if (names[j] != NULL)
            st = fsnsa__table_set_name(t, k, names[j], name_len[j], err);
        k += j != label;
        if (st != FSNSA_OK)
            goto done;
    }
    if (sc != NULL &&
        (st = fsnsa__table_use_schema(t, header ? first_line : data0_line,
                                      err)) != FSNSA_OK)
        goto done;
    if ((st = do_row(t, data0, m_file, label, ignore, data0_line, err)) !=
        FSNSA_OK)
        goto done;
    if (!header && have_second &&
        (st = do_row(t, &f2, m_file, label, ignore, second_line, err)) !=
            FSNSA_OK)
        goto done;
    for (;;) {
        size_t line_no = 0;
        if ((st = next_record(t, &r, delim, &rec, &rec_cap, &line, &len, &line_no,
                              err)) != FSNSA_OK ||
            line == NULL)
            break;
        if ((st = fsnsa__split(line, len, delim, "\"", false, &f2, max_fields,
                               path, line_no, err)) != FSNSA_OK ||
            (st = do_row(t, &f2, m_file, label, ignore, line_no, err)) !=
                FSNSA_OK)
            break;
    }
    /* A header found by a word over a number, and no column chosen by
     * name: the first row may be data after all. */
    if (st == FSNSA_OK && why == HEADER_WORD_OVER_NUMBER && full &&
        sc == NULL && opt->header == -1 &&
        !label_by_name(&ls) && !fsnsa__list_has_name(opt->ignore_columns) &&
        first_row_is_data(t, &f1, ignore, label)) {
        st = first_row_as_data(t, &f1, m_file, label, ignore, first_line, err);
        t->layout.header = false;
    }
    /* as the numbers decided it; with ',' it is always '.', whatever
     * another delimiter would need */
    t->layout.decimal = delim == ',' ? 0 : t->decimal;
done:
    fsnsa__lines_close(&r);
    fsnsa__fields_free(&f1);
    fsnsa__fields_free(&f2);
    free(first);
    free(rec);
    free(names);
    free(name_len);
    free(ignore);
    return st;
}

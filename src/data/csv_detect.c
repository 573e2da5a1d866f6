/* Detection in delimited text: the delimiter (from the first two
 * records) and whether the first row is a header (docs/data.md,
 * "Delimited text"). */
#include "csv.h"

#include "number.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

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

/* The delimiter of the file: from its first content line (before the
 * delimiter is known, ';' lines are comments) joined by the quoting of
 * the delimiter that line suggests, then decided on all of that record.
 * A header's names may hold the other delimiter ("Länge, cm;Breite,
 * cm;Klasse" over "1,5;2,25;ja"): the second record's delimiter wins
 * when it splits the first record as it splits itself, but not ';' when
 * lines were passed over between them (';' lines among them would be
 * rows). */
fsnsa_status fsnsa__csv_detect(const fsnsa__table *t, fsnsa__csv_source *src,
                               char mark, char *delim, fsnsa_error *err)
{
    char *line, *first = NULL;
    size_t len, first_len, first_end, second_line = 0;
    *delim = ',';
    fsnsa__csv_keep(src);
    fsnsa_status st = fsnsa__csv_next_line(t, src, &line, &len, err);
    if (st != FSNSA_OK || line == NULL)
        goto done;
    char d = detect_delim(line, mark);
    if ((st = fsnsa__csv_join(src, d, &line, &len, err)) != FSNSA_OK)
        goto done;
    d = detect_delim(line, mark);
    first_len = len;
    first_end = src->line_no;
    if ((first = malloc(len + 1)) == NULL) {
        st = fsnsa__nomem(err, "a line");
        goto done;
    }
    memcpy(first, line, len + 1);
    if ((st = fsnsa__csv_next(t, src, d, &line, &len, &second_line, err)) !=
        FSNSA_OK)
        goto done;
    if (line != NULL) {
        char d2 = detect_delim(line, mark);
        size_t n2 = fsnsa__csv_count_fields(line, len, d2),
               n1 = fsnsa__csv_count_fields(first, first_len, d2);
        if (d2 != d && n2 >= 2 && (n1 == n2 || n1 + 1 == n2) &&
            (d2 != ';' || second_line == first_end + 1))
            d = d2;
    }
    *delim = d;
done:
    free(first);
    fsnsa__csv_rewind(src);
    return st;
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

/* A header is a first row with a word where the second row has a number,
 * or a row of words one field shorter than the data (it names the
 * feature columns only, as in UCI's segmentation files). */
int fsnsa__csv_looks_like_header(const fsnsa__table *t,
                                 const fsnsa__fields *a,
                                 const fsnsa__fields *b, char mark)
{
    size_t k = a->n < b->n ? a->n : b->n;
    for (size_t j = 0; j < k; j++)
        if (is_word(t, &a->f[j], mark) && is_number(t, &b->f[j], mark))
            return FSNSA__HEADER_WORD_OVER_NUMBER;
    if (a->n + 1 != b->n)
        return FSNSA__NO_HEADER;
    for (size_t j = 0; j < a->n; j++)
        if (!is_word(t, &a->f[j], mark))
            return FSNSA__NO_HEADER;
    return FSNSA__HEADER_SHORT;
}

/* A first row taken for a header because it has a word over a number is
 * data after all when every word in it occurs again as a value of its
 * column (a shuffled car.data starting "5more,more,..."): names do not
 * recur in their own columns. Asked once all rows are read; fields of
 * ignored columns do not count. */
bool fsnsa__csv_first_row_is_data(const fsnsa__table *t,
                                  const fsnsa__fields *a, const bool *ignore,
                                  size_t label)
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
bool fsnsa__csv_names_schema(const fsnsa__fields *a, const fsnsa_schema *sc)
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

/* Decimal marks and thousands separators (docs/data.md, "Decimal
 * commas" and "Thousands separators"): the shapes of numbers with
 * separators, and the file's one decimal mark, set by its first number
 * with a mark when the data decide it. */
#include "table.h"

#include "number.h"
#include "text.h"

#include <string.h>

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

/* With the mark ',': a number with a '.' is refused, and so are '.'
 * thousands separators. */
static fsnsa_status check_comma_file(const fsnsa__table *t, const char *s,
                                     size_t len, size_t line, size_t col,
                                     int r, fsnsa_error *err)
{
    float v;
    if (r != -1)
        return FSNSA_OK;
    if (grouped(s, len))
        return thousands(t, s, len, line, col, err);
    if (fsnsa__parse_number(s, len, '.', &v) != -1)
        return other_mark(t, s, len, line, col, err);
    return FSNSA_OK;
}

/* With the mark '.' set by the data: a number with a decimal comma (or
 * ',' and '.' thousands separators) is refused. */
static fsnsa_status check_point_file(const fsnsa__table *t, const char *s,
                                     size_t len, size_t line, size_t col,
                                     int r, fsnsa_error *err)
{
    float v;
    if (r == -1 && (fsnsa__parse_number(s, len, ',', &v) != -1 ||
                    (memchr(s, ',', len) != NULL && grouped(s, len))))
        return other_mark(t, s, len, line, col, err);
    return FSNSA_OK;
}

/* The mark not known yet: the first number with a mark sets it
 * (integers say nothing); a "1.234.567" seen before a decimal comma is
 * remembered for the error it then is. *r and *out as from parsing with
 * '.' and, for a word, again with ','. */
static fsnsa_status decide_mark(fsnsa__table *t, const char *s, size_t len,
                                size_t line, size_t col, float *out, int *r,
                                fsnsa_error *err)
{
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

/* An explicit '.' reads as always: "1,5" is a word. */
fsnsa_status fsnsa__table_parse(fsnsa__table *t, const char *s, size_t len,
                                size_t line, size_t col, float *out, int *r,
                                fsnsa_error *err)
{
    *r = fsnsa__parse_number(s, len, t->decimal ? t->decimal : '.', out);
    if (t->decimal == '.' && !t->decimal_auto)
        return FSNSA_OK;
    if (t->decimal == ',')
        return check_comma_file(t, s, len, line, col, *r, err);
    if (t->decimal == '.')
        return check_point_file(t, s, len, line, col, *r, err);
    return decide_mark(t, s, len, line, col, out, r, err);
}

int fsnsa__loose_number(char mark, const char *s, size_t len, float *v)
{
    if (mark != 0)
        return fsnsa__parse_number(s, len, mark, v);
    int r = fsnsa__parse_number(s, len, '.', v);
    return r == -1 ? fsnsa__parse_number(s, len, ',', v) : r;
}

fsnsa_status fsnsa__odd_commas(const fsnsa__table *t, const char *shown,
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

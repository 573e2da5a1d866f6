/* ARFF date attributes: a java.text.SimpleDateFormat pattern compiled once
 * per attribute, then each value parsed against it into seconds since
 * 1970-01-01T00:00:00 UTC. Only the subset of docs/data.md ("### ARFF");
 * any other pattern letter is refused when the header is read. No libc
 * time functions, no locale, no global state: the calendar arithmetic is
 * integer days-from-civil on the proleptic Gregorian calendar. */
#include "date.h"

#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUPPORTED "yMdHmsSXZ"
#define MAX_DIGITS 9 /* per numeric field: years up to 999999999 */

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* ---- compiling ---- */

/* The raw header text, read one pattern character at a time with the
 * ARFF backslash escapes undone when the format was quoted. */
typedef struct {
    const char *s;
    size_t n, i;
    bool escapes;
} cursor;

static bool cur_more(const cursor *c) { return c->i < c->n; }

static char cur_peek(const cursor *c, size_t *next)
{
    size_t i = c->i;
    char ch = c->s[i++];
    if (c->escapes && ch == '\\' && i < c->n) {
        ch = c->s[i++];
        ch = ch == 'n' ? '\n' : ch == 't' ? '\t' : ch == 'r' ? '\r' : ch;
    }
    *next = i;
    return ch;
}

static char cur_next(cursor *c)
{
    size_t next;
    char ch = cur_peek(c, &next);
    c->i = next;
    return ch;
}

static bool numeric_item(const fsnsa__date_item *it)
{
    return it->what != 0 && it->what != 'X' &&
           !(it->what == 'M' && it->count >= 3);
}

static void add_literal(fsnsa__date_format *f, char ch)
{
    fsnsa__date_item *it = &f->item[f->n++];
    memset(it, 0, sizeof *it);
    it->lit = ch;
}

void fsnsa__date_free(fsnsa__date_format *f)
{
    free(f->item);
    free(f->pattern);
    memset(f, 0, sizeof *f);
}

/* After an opening quote (its character already in f->pattern, *np
 * counted): '' is a quote; 'text' is literal text, '' inside it a quote.
 * False when the quote is not closed. */
static bool compile_quoted(fsnsa__date_format *f, cursor *c, size_t *np)
{
    size_t next;
    if (cur_more(c) && cur_peek(c, &next) == '\'') {
        f->pattern[(*np)++] = cur_next(c);
        add_literal(f, '\'');
        return true;
    }
    for (;;) {
        if (!cur_more(c))
            return false;
        char ch = cur_next(c);
        f->pattern[(*np)++] = ch;
        if (ch == '\'') {
            if (!cur_more(c) || cur_peek(c, &next) != '\'')
                return true;
            f->pattern[(*np)++] = cur_next(c);
        }
        add_literal(f, ch);
    }
}

/* A run of the pattern letter ch (already in f->pattern) as one item. */
static void compile_letters(fsnsa__date_format *f, cursor *c, size_t *np,
                            char ch)
{
    fsnsa__date_item *it = &f->item[f->n++];
    memset(it, 0, sizeof *it);
    it->what = ch == 'Z' ? 'X' : ch;
    it->count = 1;
    size_t next;
    while (cur_more(c) && cur_peek(c, &next) == ch) {
        f->pattern[(*np)++] = cur_next(c);
        it->count++;
    }
}

fsnsa_status fsnsa__date_compile(fsnsa__date_format *f, const char *s,
                                 size_t len, bool escapes, const char *path,
                                 size_t line, size_t col, const char *name,
                                 fsnsa_error *err)
{
    /* never more items or pattern characters than raw characters */
    f->item = fsnsa__alloc(len, sizeof *f->item);
    f->pattern = malloc(len + 1);
    if (f->item == NULL || f->pattern == NULL)
        return fsnsa__nomem(err, "a date format");
    size_t np = 0;
    cursor c = {s, len, 0, escapes};
    while (cur_more(&c)) {
        size_t at = c.i;
        char ch = cur_next(&c);
        f->pattern[np++] = ch;
        if (ch == '\'' && !compile_quoted(f, &c, &np))
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:%zu: attribute '%s': unterminated "
                               "quote in the date format",
                               path, line, col + at, name);
        if (ch == '\'')
            continue;
        if (!is_letter(ch)) {
            add_literal(f, ch);
            continue;
        }
        if (strchr(SUPPORTED, ch) == NULL)
            return fsnsa__fail(err, FSNSA_ERR_PARSE,
                               "%s:%zu:%zu: attribute '%s': date format "
                               "letter '%c' is not supported (supported: y M "
                               "d H m s S X Z)",
                               path, line, col + at, name, ch);
        compile_letters(f, &c, &np, ch);
    }
    f->pattern[np] = '\0';
    if (f->n == 0)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: attribute '%s': empty date format",
                           path, line, col, name);
    for (size_t k = 0; k + 1 < f->n; k++)
        f->item[k].fixed = numeric_item(&f->item[k]) &&
                           numeric_item(&f->item[k + 1]);
    return FSNSA_OK;
}

/* ---- parsing ---- */

static const char *const month_name[12] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

/* Length of the case-insensitive match of word at s[0..len), or 0. */
static size_t match_word(const char *s, size_t len, const char *word,
                         size_t wlen)
{
    if (wlen > len)
        return 0;
    for (size_t i = 0; i < wlen; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != word[i])
            return 0;
    }
    return wlen;
}

static bool leap(long long y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int month_days(long long y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (H. Hinnant's
 * days_from_civil: eras of 400 years, March-based years). */
static long long days_from_civil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;                          /* [0, 399] */
    long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

typedef struct {
    long long year;
    int month, day, hour, minute, second, milli, offset; /* offset: s */
} fields;

/* Reads a time-zone offset at s[*i]: Z, +hh, +hhmm or +hh:mm (or -).
 * Returns false when the text is not one. */
static bool read_zone(const char *s, size_t len, size_t *i, fields *v,
                      int *hh, int *mm)
{
    size_t p = *i;
    if (p < len && s[p] == 'Z') {
        *i = p + 1;
        v->offset = 0;
        *hh = *mm = 0;
        return true;
    }
    if (p + 3 > len || (s[p] != '+' && s[p] != '-') || !is_digit(s[p + 1]) ||
        !is_digit(s[p + 2]))
        return false;
    int sign = s[p] == '-' ? -1 : 1;
    *hh = (s[p + 1] - '0') * 10 + (s[p + 2] - '0');
    *mm = 0;
    p += 3;
    size_t q = p < len && s[p] == ':' ? p + 1 : p;
    if (q + 2 <= len && is_digit(s[q]) && is_digit(s[q + 1])) {
        *mm = (s[q] - '0') * 10 + (s[q + 1] - '0');
        p = q + 2;
    } else if (q != p) {
        return false; /* "+hh:" without minutes */
    }
    v->offset = sign * (*hh * 3600 + *mm * 60);
    *i = p;
    return true;
}

/* A month name or its first three letters at s[*i] (case-insensitive). */
static bool match_month_name(const char *s, size_t len, size_t *i, fields *v)
{
    for (int m = 0; m < 12; m++) {
        const char *w = month_name[m];
        size_t n = match_word(s + *i, len - *i, w, strlen(w));
        if (n == 0)
            n = match_word(s + *i, len - *i, w, 3);
        if (n > 0) {
            v->month = m + 1;
            *i += n;
            return true;
        }
    }
    return false;
}

/* The digits of a numeric item at s[*i] into its field of v: exactly
 * `count` of them for a fixed item, else up to MAX_DIGITS. */
static bool match_number(const fsnsa__date_item *it, const char *s,
                         size_t len, size_t *i, fields *v, char *why,
                         size_t wsize)
{
    size_t start = *i, most = it->fixed ? it->count : MAX_DIGITS, p = start;
    long long x = 0;
    for (; p < len && p - start < most && is_digit(s[p]); p++)
        if (x < 1000000000) /* a long fixed field saturates */
            x = x * 10 + (s[p] - '0');
    size_t nd = p - start;
    if (nd == 0 || (it->fixed && nd < it->count)) {
        if (it->fixed)
            snprintf(why, wsize, "expected %zu digits at character %zu",
                     it->count, start + 1);
        else
            snprintf(why, wsize, "expected digits at character %zu",
                     start + 1);
        return false;
    }
    if (!it->fixed && p < len && is_digit(s[p])) {
        snprintf(why, wsize, "more than %d digits at character %zu",
                 MAX_DIGITS, start + 1);
        return false;
    }
    *i = p;
    /* values past the ranges checked later stay past them */
    int xi = x > 99999 ? 99999 : (int)x;
    switch (it->what) {
    case 'y':
        /* Java: "y" or "yy" with exactly two digits is a two-digit year;
         * the century here is POSIX's %y rule */
        v->year = it->count <= 2 && nd == 2 ? x + (x < 69 ? 2000 : 1900) : x;
        break;
    case 'M': v->month = xi; break;
    case 'd': v->day = xi; break;
    case 'H': v->hour = xi; break;
    case 'm': v->minute = xi; break;
    case 's': v->second = xi; break;
    default: v->milli = xi; break; /* 'S' */
    }
    return true;
}

/* One item of the format at s[*i]. zh:zm is the time zone read. */
static bool match_item(const fsnsa__date_item *it, const char *s, size_t len,
                       size_t *i, fields *v, int *zh, int *zm, char *why,
                       size_t wsize)
{
    if (it->what == 0) {
        if (*i >= len || s[*i] != it->lit) {
            snprintf(why, wsize, "expected '%c' at character %zu", it->lit,
                     *i + 1);
            return false;
        }
        ++*i;
        return true;
    }
    if (it->what == 'X') {
        if (read_zone(s, len, i, v, zh, zm))
            return true;
        snprintf(why, wsize,
                 "expected a time zone (Z, +hh, +hhmm or +hh:mm) at "
                 "character %zu",
                 *i + 1);
        return false;
    }
    if (it->what == 'M' && it->count >= 3) {
        if (match_month_name(s, len, i, v))
            return true;
        snprintf(why, wsize, "expected a month name at character %zu",
                 *i + 1);
        return false;
    }
    return match_number(it, s, len, i, v, why, wsize);
}

/* Whether the fields read make a date and time; else the reason. */
static bool in_range(const fields *v, int zh, int zm, char *why, size_t wsize)
{
    if (v->year < 1 || v->year > 999999999)
        snprintf(why, wsize, "year %lld", v->year);
    else if (v->month < 1 || v->month > 12)
        snprintf(why, wsize, "month %d", v->month);
    else if (v->day < 1 || v->day > month_days(v->year, v->month))
        snprintf(why, wsize, "day %d; %04lld-%02d has %d days", v->day,
                 v->year, v->month, month_days(v->year, v->month));
    else if (v->hour > 23)
        snprintf(why, wsize, "hour %d", v->hour);
    else if (v->minute > 59)
        snprintf(why, wsize, "minute %d", v->minute);
    else if (v->second > 59)
        snprintf(why, wsize, "second %d", v->second);
    else if (v->milli > 999)
        snprintf(why, wsize, "millisecond %d", v->milli);
    else if (zh > 23 || zm > 59)
        snprintf(why, wsize, "time zone offset %02d:%02d", zh, zm);
    else
        return true;
    return false;
}

/* Matches s against f; on failure writes the reason into why. */
static bool match(const fsnsa__date_format *f, const char *s, size_t len,
                  fields *v, char *why, size_t wsize)
{
    size_t i = 0;
    int zh = 0, zm = 0;
    for (size_t k = 0; k < f->n; k++)
        if (!match_item(&f->item[k], s, len, &i, v, &zh, &zm, why, wsize))
            return false;
    if (i < len) {
        snprintf(why, wsize, "text after the date at character %zu", i + 1);
        return false;
    }
    return in_range(v, zh, zm, why, wsize);
}

fsnsa_status fsnsa__date_parse(const fsnsa__date_format *f, const char *s,
                               size_t len, float *out, const char *path,
                               size_t line, size_t col, fsnsa_error *err)
{
    fields v = {1970, 1, 1, 0, 0, 0, 0, 0};
    char why[96], sb[64], pb[64];
    if (!match(f, s, len, &v, why, sizeof why))
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: '%s' is not a date of format '%s' (%s)",
                           path, line, col, fsnsa__show(sb, sizeof sb, s, len),
                           fsnsa__show(pb, sizeof pb, f->pattern,
                                       strlen(f->pattern)),
                           why);
    long long sec = days_from_civil(v.year, v.month, v.day) * 86400 +
                    v.hour * 3600 + v.minute * 60 + v.second - v.offset;
    *out = (float)((double)sec + v.milli / 1000.0);
    return FSNSA_OK;
}

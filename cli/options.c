/* Strict option-value parsers: see options.h. */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The user's text, quoted for an error message: long values are cut and
 * control bytes escaped so the message stays one readable line. */
static void quote(const char *s, char *buf, size_t size)
{
    size_t o = 0, i = 0;
    const size_t keep = 40;
    for (; s[i] != '\0' && i < keep && o + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isprint(c))
            buf[o++] = (char)c;
        else
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
    }
    if (s[i] != '\0' && o + 4 < size) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static const char *bad_value(cli_msg *msg, const char *s, const char *fmt, ...)
{
    char what[160], q[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    quote(s, q, sizeof q);
    snprintf(msg->text, sizeof msg->text, "expected %s, got '%s'", what, q);
    return msg->text;
}

/* strto* skip leading blanks; we do not, so " 5" is an error like "5 ". */
static int starts_ok(const char *s)
{
    return s[0] != '\0' && !isspace((unsigned char)s[0]);
}

const char *cli_parse_int(const char *s, long long lo, long long hi,
                          long long *out, cli_msg *msg)
{
    if (s == NULL)
        s = "";
    char *end;
    errno = 0;
    long long v = starts_ok(s) ? strtoll(s, &end, 10) : 0;
    if (!starts_ok(s) || *end != '\0' || end == s || errno == ERANGE ||
        v < lo || v > hi)
        return bad_value(msg, s, "an integer in [%lld, %lld]", lo, hi);
    *out = v;
    return NULL;
}

const char *cli_parse_u64(const char *s, uint64_t lo, uint64_t hi,
                          uint64_t *out, cli_msg *msg)
{
    if (s == NULL)
        s = "";
    char *end;
    errno = 0;
    /* strtoull accepts "-1" and wraps it to 2^64-1: refuse any sign. */
    int digit = isdigit((unsigned char)s[0]);
    unsigned long long v = digit ? strtoull(s, &end, 10) : 0;
    if (!digit || *end != '\0' || errno == ERANGE || v < lo || v > hi)
        return bad_value(msg, s, "an integer in [%llu, %llu]",
                    (unsigned long long)lo, (unsigned long long)hi);
    *out = (uint64_t)v;
    return NULL;
}

const char *cli_parse_double(const char *s, double lo, int lo_open, double hi,
                             int hi_open, double *out, cli_msg *msg)
{
    if (s == NULL)
        s = "";
    char *end;
    double v = starts_ok(s) ? strtod(s, &end) : 0.0;
    /* Overflow comes back as inf (refused by isfinite); underflow as a
     * tiny number, which is still the value the user meant. */
    int ok = starts_ok(s) && end != s && *end == '\0' && isfinite(v) &&
             (lo_open ? v > lo : v >= lo) &&
             (isinf(hi) || (hi_open ? v < hi : v <= hi));
    if (!ok) {
        if (isinf(hi))
            return bad_value(msg, s, "a number %s %g", lo_open ? ">" : ">=", lo);
        return bad_value(msg, s, "a number in %c%g, %g%c", lo_open ? '(' : '[', lo,
                    hi, hi_open ? ')' : ']');
    }
    *out = v;
    return NULL;
}

const char *cli_parse_choice(const char *s, const char *const *names,
                             int *out, cli_msg *msg)
{
    if (s == NULL)
        s = "";
    char list[160];
    size_t o = 0;
    list[0] = '\0';
    for (int i = 0; names[i] != NULL; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return NULL;
        }
        int w = snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "",
                         names[i]);
        if (w > 0 && (size_t)w < sizeof list - o)
            o += (size_t)w;
    }
    return bad_value(msg, s, "one of %s", list);
}

const char *cli_parse_batch(const char *s, size_t hi, size_t *out,
                            cli_msg *msg)
{
    if (s != NULL && strcmp(s, "full") == 0) {
        *out = 0;
        return NULL;
    }
    long long v = 0;
    if (cli_parse_int(s, 1, (long long)hi, &v, msg) != NULL)
        return bad_value(msg, s != NULL ? s : "", "'full' or an integer in [1, %zu]",
                    hi);
    *out = (size_t)v;
    return NULL;
}

const char *cli_parse_delimiter(const char *s, char *out, cli_msg *msg)
{
    static const struct {
        const char *name;
        char c;
    } named[] = {{"tab", '\t'},   {"\\t", '\t'},      {"space", ' '},
                 {"comma", ','},  {"semicolon", ';'}, {"auto", 0}};
    if (s == NULL)
        s = "";
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcmp(s, named[i].name) == 0) {
            *out = named[i].c;
            return NULL;
        }
    /* A quote or a digit cannot separate fields unambiguously. */
    if (strlen(s) == 1 && isprint((unsigned char)s[0]) && s[0] != '"' &&
        !isalnum((unsigned char)s[0]) && s[0] != '.' && s[0] != '-' &&
        s[0] != '+') {
        *out = s[0];
        return NULL;
    }
    if (strlen(s) == 1 && s[0] == '\t') {
        *out = '\t';
        return NULL;
    }
    return bad_value(msg, s,
                "one punctuation character or tab, space, comma, semicolon, "
                "auto");
}

const char *cli_parse_decimal(const char *s, char *out, cli_msg *msg)
{
    if (s != NULL && (strcmp(s, ".") == 0 || strcmp(s, ",") == 0)) {
        *out = s[0];
        return NULL;
    }
    if (s != NULL && strcmp(s, "auto") == 0) {
        *out = 0;
        return NULL;
    }
    return bad_value(msg, s != NULL ? s : "", "'.', ',' or auto");
}

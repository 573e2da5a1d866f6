/* Fuzz target: the command line's option-value parsers (cli/options.c).
 * The input, cut at its first NUL, is given to every parser with several
 * ranges. A value that parses must lie in its range (and be finite); a
 * refusal must return the caller's message buffer holding one printable
 * line that starts with "expected". */
#include "fuzz.h"
#include "../cli/options.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <string.h>

static void check_msg(const char *e, const cli_msg *m)
{
    FSNSA_FUZZ_CHECK(e == m->text);
    size_t len = strnlen(m->text, sizeof m->text);
    FSNSA_FUZZ_CHECK(len < sizeof m->text);
    FSNSA_FUZZ_CHECK(strncmp(m->text, "expected ", 9) == 0);
    for (size_t i = 0; i < len; i++)
        FSNSA_FUZZ_CHECK(isprint((unsigned char)m->text[i]));
}

static void ints(const char *s)
{
    static const long long r[][2] = {
        {1, 1000000}, {0, 10000000}, {LLONG_MIN, LLONG_MAX}, {-5, 5}, {0, 0}};
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
        cli_msg m;
        long long v = 0;
        const char *e = cli_parse_int(s, r[i][0], r[i][1], &v, &m);
        if (e == NULL)
            FSNSA_FUZZ_CHECK(v >= r[i][0] && v <= r[i][1]);
        else
            check_msg(e, &m);
    }
    static const uint64_t u[][2] = {{0, UINT64_MAX}, {1, 1000}, {7, 7}};
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
        cli_msg m;
        uint64_t v = 0;
        const char *e = cli_parse_u64(s, u[i][0], u[i][1], &v, &m);
        if (e == NULL)
            FSNSA_FUZZ_CHECK(v >= u[i][0] && v <= u[i][1] && s[0] != '-');
        else
            check_msg(e, &m);
    }
}

static void doubles(const char *s)
{
    static const struct {
        double lo;
        int lo_open;
        double hi;
        int hi_open;
    } r[] = {{0, 1, INFINITY, 0}, {0, 0, 1e6, 0}, {0, 1, 1, 1},
             {-1e300, 0, 1e300, 0}, {0, 0, INFINITY, 0}};
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
        cli_msg m;
        double v = NAN;
        const char *e =
            cli_parse_double(s, r[i].lo, r[i].lo_open, r[i].hi, r[i].hi_open,
                             &v, &m);
        if (e == NULL) {
            FSNSA_FUZZ_CHECK(isfinite(v));
            FSNSA_FUZZ_CHECK(r[i].lo_open ? v > r[i].lo : v >= r[i].lo);
            FSNSA_FUZZ_CHECK(isinf(r[i].hi) ||
                             (r[i].hi_open ? v < r[i].hi : v <= r[i].hi));
        } else {
            check_msg(e, &m);
        }
    }
}

static void others(const char *s)
{
    static const char *const names[] = {"none", "standard", "minmax", NULL};
    cli_msg m;
    int k = -1;
    const char *e = cli_parse_choice(s, names, &k, &m);
    if (e == NULL)
        FSNSA_FUZZ_CHECK(k >= 0 && k < 3 && strcmp(s, names[k]) == 0);
    else
        check_msg(e, &m);

    size_t b = 99;
    e = cli_parse_batch(s, 1000000000, &b, &m);
    if (e == NULL)
        FSNSA_FUZZ_CHECK(b <= 1000000000 && (b > 0 || strcmp(s, "full") == 0));
    else
        check_msg(e, &m);

    char c = 'x';
    e = cli_parse_delimiter(s, &c, &m);
    if (e == NULL)
        FSNSA_FUZZ_CHECK(c == 0 || c == '\t' || (isprint((unsigned char)c) &&
                                                 !isalnum((unsigned char)c) &&
                                                 c != '"' && c != '.' &&
                                                 c != '-' && c != '+'));
    else
        check_msg(e, &m);

    c = 'x';
    e = cli_parse_decimal(s, &c, &m);
    if (e == NULL)
        FSNSA_FUZZ_CHECK(c == 0 || c == '.' || c == ',');
    else
        check_msg(e, &m);
}

int fuzz_options(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    ints(s);
    doubles(s);
    others(s);
    free(s);
    return 0;
}

FSNSA_FUZZ_MAIN(options)

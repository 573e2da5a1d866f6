/* Fuzz target: the number parser (fsnsa__parse_number) against an oracle.
 * The input bytes are one token, tried with both decimal marks. A value
 * or an acceptance that differs from the oracle is a finding, like a
 * crash. The oracle (fuzz_number_check) is also the one of
 * tests/test_numbers.c:
 *  - acceptance: the token matches the grammar of docs/data.md, written
 *    as a POSIX extended regular expression (not the parser's code);
 *  - value: (float)strtod(token) in the C locale whatever the program's
 *    locale, the mark turned into '.' for strtod, bit for bit (-0.0
 *    included); a finite token whose float is infinite must give -2. */
#include "fuzz.h"
#include "data/data.h"

#include <locale.h>
#include <math.h>
#include <regex.h>
#include <string.h>

/* Harness state, compiled once (a test harness, not the library). */
static regex_t grammar[2]; /* [0] mark '.', [1] mark ',' */
static locale_t c_locale;
static int ready;

static int oracle_init(void)
{
    if (ready)
        return ready > 0;
    ready = -1;
    /* docs/data.md: [+-]digits[.digits][e[+-]digits], also "1." and ".5";
     * with a decimal comma, a digit on both sides of it. */
    if (regcomp(&grammar[0],
                "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$",
                REG_EXTENDED | REG_NOSUB) != 0 ||
        regcomp(&grammar[1], "^[+-]?[0-9]+(,[0-9]+)?([eE][+-]?[0-9]+)?$",
                REG_EXTENDED | REG_NOSUB) != 0)
        return 0;
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (c_locale == (locale_t)0)
        return 0;
    ready = 1;
    return 1;
}

int fuzz_number_check(const char *tok, size_t len, char mark, char *why,
                      size_t why_size)
{
    if (!oracle_init()) {
        snprintf(why, why_size, "oracle setup failed");
        return 0;
    }
    char small[512];
    char *text = len < sizeof small ? small : malloc(len + 1);
    if (text == NULL) {
        snprintf(why, why_size, "out of memory");
        return 0;
    }
    memcpy(text, tok, len);
    text[len] = '\0';
    bool in_grammar = memchr(tok, '\0', len) == NULL &&
                      regexec(&grammar[mark == ','], text, 0, NULL, 0) == 0;
    float got = 12345.0f;
    int r = fsnsa__parse_number(tok, len, mark, &got);
    int ok = 1;
    if (!in_grammar) {
        if (r != -1) {
            snprintf(why, why_size, "not a number, read with result %d as %a",
                     r, (double)got);
            ok = 0;
        }
    } else {
        char *m = mark != '.' ? strchr(text, mark) : NULL;
        if (m != NULL)
            *m = '.';
        char *end;
        locale_t old = uselocale(c_locale);
        double d = strtod(text, &end);
        uselocale(old);
        float want = (float)d;
        uint32_t gb, wb;
        memcpy(&gb, &got, 4);
        memcpy(&wb, &want, 4);
        if (end != text + len) {
            snprintf(why, why_size, "strtod stops at character %zu",
                     (size_t)(end - text) + 1);
            ok = 0;
        } else if (isinf(want) ? r != -2 : r != 0 || gb != wb) {
            snprintf(why, why_size,
                     "result %d value %a (0x%08x), strtod %a (0x%08x)", r,
                     (double)got, (unsigned)gb, (double)want, (unsigned)wb);
            ok = 0;
        }
    }
    if (text != small)
        free(text);
    return ok;
}

int fuzz_number(const uint8_t *data, size_t size)
{
    const char *tok = (const char *)data;
    char why[160];
    for (int k = 0; k < 2; k++) {
        char mark = k == 0 ? '.' : ',';
        if (!fuzz_number_check(tok, size, mark, why, sizeof why)) {
            fprintf(stderr, "mark '%c', token '%.*s': %s\n", mark,
                    (int)(size < 200 ? size : 200), tok, why);
            FSNSA_FUZZ_CHECK(!"the number reader agrees with strtod");
        }
    }
    return 0;
}

FSNSA_FUZZ_MAIN(number)

/* The number reader (fsnsa__parse_number) against an oracle: random
 * doubles and floats printed in many formats, and random strings, each
 * compared with (float)strtod in the C locale bit for bit and with the
 * grammar of docs/data.md (fuzz_number_check, shared with the fuzz target
 * fuzz/fuzz_number.c); the same under a locale whose decimal mark is ',';
 * and the numbers of issue 12 read through the CSV, LIBSVM and ARFF
 * readers. */
#include "testutil.h"

#include "data/data.h"
#include "fuzz.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <sys/stat.h>

/* Tokens per random round; each is checked with both decimal marks. */
#define N_RANDOM 150000
#define N_LONG 300
#define N_GARBAGE 50000

static size_t n_checks, n_accepted;

/* One token under one mark: fsnsa agrees with the oracle. */
static void check_mark(const char *tok, size_t len, char mark)
{
    char why[200];
    n_checks++;
    if (!fuzz_number_check(tok, len, mark, why, sizeof why))
        fail_msg("mark '%c', token '%.*s': %s", mark,
                 (int)(len < 300 ? len : 300), tok, why);
}

/* Both marks; returns whether mark '.' accepted the token. */
static bool check(const char *tok)
{
    size_t len = strlen(tok);
    check_mark(tok, len, '.');
    check_mark(tok, len, ',');
    float v;
    bool ok = fsnsa__parse_number(tok, len, '.', &v) != -1;
    n_accepted += ok;
    return ok;
}

/* A token the generator made in the grammar: the oracle must accept it
 * too (else the grammar check and the parser could agree on refusing
 * everything), and its decimal-comma twin is checked as well. */
static void check_number(const char *tok)
{
    if (!check(tok))
        fail_msg("'%s' is not read as a number", tok);
    size_t len = strlen(tok);
    char *twin = malloc(len + 1);
    assert_non_null(twin);
    memcpy(twin, tok, len + 1);
    char *dot = strchr(twin, '.');
    if (dot != NULL) {
        *dot = ',';
        check(twin);
    }
    free(twin);
}

static uint64_t below(fsnsa_rng *r, uint64_t n) { return fsnsa_rng_below(r, n); }

/* A random finite double from one of four families: uniform binary
 * magnitudes from below the least float to beyond float range, float
 * values (subnormals included), halfway points between two floats and
 * their neighbours (the hard cases of double rounding), and short
 * decimals. */
static double random_value(fsnsa_rng *r)
{
    double v;
    switch (below(r, 4)) {
    case 0: {
        double m = 1.0 + (double)(fsnsa_rng_next(r) >> 11) * 0x1p-53;
        v = ldexp(m, (int)below(r, 300) - 165); /* 2^-165 .. 2^134 */
        break;
    }
    case 1: {
        uint32_t bits;
        float f;
        do {
            bits = (uint32_t)fsnsa_rng_next(r) & 0x7fffffffu;
            memcpy(&f, &bits, 4);
        } while (!isfinite(f));
        v = f;
        break;
    }
    case 2: {
        uint32_t bits = (uint32_t)fsnsa_rng_next(r) % 0x7f7fffffu;
        float f, g;
        memcpy(&f, &bits, 4);
        g = nextafterf(f, INFINITY);
        v = ((double)f + (double)g) / 2; /* exact: 25 bits */
        int step = (int)below(r, 5) - 2;
        for (; step > 0; step--)
            v = nextafter(v, INFINITY);
        for (; step < 0; step++)
            v = nextafter(v, 0.0);
        break;
    }
    default:
        v = (double)below(r, 100000) * pow(10.0, (double)below(r, 12) - 6);
        break;
    }
    return below(r, 2) ? -v : v;
}

static const char *const formats[] = {
    "%.17g", "%.18e", "%.9g", "%g",    "%f",    "%.0f",  "%.3f",
    "%.25e", "%.12E", "%.40g", "%.1e", "%.20f", "%.60e", "%.8g"};

/* Rewrite the exponent "e-07" / "E+05" in place into one of the forms
 * people write: e-7, E+05, e05, e+5. */
static void vary_exponent(fsnsa_rng *r, char *s)
{
    char *e = strpbrk(s, "eE");
    if (e == NULL)
        return;
    char sign = e[1];
    char *digits = e + 2;
    while (*digits == '0' && digits[1] != '\0' && below(r, 2))
        digits++;
    char out[32];
    int k = 0;
    out[k++] = below(r, 2) ? 'e' : 'E';
    if (sign == '-' || below(r, 2))
        out[k++] = sign;
    size_t dl = strlen(digits);
    memcpy(out + k, digits, dl + 1);
    memcpy(e, out, (size_t)k + dl + 1);
}

/* Insert text at position at of s (s has room). */
static void insert(char *s, size_t at, const char *text)
{
    size_t tl = strlen(text), sl = strlen(s);
    memmove(s + at + tl, s + at, sl - at + 1);
    memcpy(s + at, text, tl);
}

/* One printed value with random variations, all inside the grammar. */
static void random_token(fsnsa_rng *r, char *s, size_t size)
{
    double v = random_value(r);
    const char *fmt = formats[below(r, sizeof formats / sizeof *formats)];
    snprintf(s, size, fmt, v);
    if (below(r, 3) == 0)
        vary_exponent(r, s);
    size_t at = s[0] == '-';
    if (at == 0 && below(r, 4) == 0) {
        insert(s, 0, "+");
        at = 1;
    }
    if (below(r, 6) == 0)
        insert(s, at, below(r, 2) ? "0" : "000");
    char *dot = strchr(s, '.');
    char *e = strpbrk(s, "eE");
    if (dot == NULL && below(r, 3) == 0) /* "12." and "1.e5" */
        insert(s, e != NULL ? (size_t)(e - s) : strlen(s), ".");
    else if (dot != NULL && dot == s + at + 1 && s[at] == '0' &&
             below(r, 3) == 0) /* ".5" */
        memmove(s + at, s + at + 1, strlen(s + at));
    else if (dot != NULL && below(r, 8) == 0) /* trailing zeros */
        insert(s, e != NULL ? (size_t)(e - s) : strlen(s), "000");
}

static void test_random_values(void **state)
{
    (void)state;
    fsnsa_rng r;
    fsnsa_rng_seed(&r, 20240612);
    char tok[512];
    size_t before = n_checks;
    for (int k = 0; k < N_RANDOM; k++) {
        random_token(&r, tok, sizeof tok);
        check_number(tok);
    }
    /* hex floats are refused, as C's "%a" prints them */
    for (int k = 0; k < 2000; k++) {
        snprintf(tok, sizeof tok, "%a", random_value(&r));
        assert_false(check(tok));
    }
    printf("random values: %zu comparisons with strtod\n", n_checks - before);
}

/* Tokens longer than any buffer: hundreds of digits, long runs of zeros
 * before and after the significant ones, exponents that bring them back
 * into float range. */
static void test_long_tokens(void **state)
{
    (void)state;
    fsnsa_rng r;
    fsnsa_rng_seed(&r, 7);
    static char tok[8192];
    for (int k = 0; k < N_LONG; k++) {
        size_t n = 0, lead = below(&r, 1500), digits = 1 + below(&r, 1500);
        if (below(&r, 2))
            tok[n++] = '-';
        size_t point = below(&r, lead + digits + 1);
        for (size_t j = 0; j < lead + digits; j++) {
            if (j == point)
                tok[n++] = '.';
            tok[n++] = j < lead ? '0' : (char)('0' + below(&r, 10));
        }
        if (below(&r, 4) == 0) /* many trailing zeros */
            for (size_t j = below(&r, 1000); j > 0; j--)
                tok[n++] = '0';
        long exp10 = (long)point - (long)lead - (long)below(&r, 90) + 45;
        if (point == lead + digits)
            tok[n++] = '.';
        n += (size_t)snprintf(tok + n, sizeof tok - n, "e%ld", -exp10);
        check_number(tok);
    }
    /* by hand: 1 after 600 zeros, scaled back to 1; and 1e-30 */
    char *p = tok;
    p += sprintf(p, "-0.");
    for (int j = 0; j < 599; j++)
        *p++ = '0';
    sprintf(p, "1e600");
    float v;
    assert_int_equal(fsnsa__parse_number(tok, strlen(tok), '.', &v), 0);
    assert_true(v == -1.0f);
    sprintf(p, "1e570");
    assert_int_equal(fsnsa__parse_number(tok, strlen(tok), '.', &v), 0);
    assert_true(v == (float)-1e-30);
    /* a million zeros (a line may hold 1 MiB) undone by a seven-digit
     * exponent; an exponent with 30 leading zeros */
    char *big = malloc(1000100);
    assert_non_null(big);
    p = big + sprintf(big, "-0.");
    memset(p, '0', 1000000);
    sprintf(p + 1000000, "15e1000001");
    check_number(big);
    assert_int_equal(fsnsa__parse_number(big, strlen(big), '.', &v), 0);
    assert_true(v == -1.5f);
    free(big);
    check_number("1e0000000000000000000000000000005");
    /* 700 digits of 1/3 */
    p = tok;
    p += sprintf(p, "0.");
    for (int j = 0; j < 700; j++)
        *p++ = '3';
    *p = '\0';
    assert_int_equal(fsnsa__parse_number(tok, strlen(tok), '.', &v), 0);
    assert_true(v == (float)(1.0 / 3.0));
}

/* Random strings over the characters numbers are made of, and words that
 * look like numbers: whatever strtod does, only the grammar is accepted. */
static void test_garbage_and_words(void **state)
{
    (void)state;
    static const char *const words[] = {
        "",       "+",      "-",      ".",      ",",      "e5",     "1e",
        "1e+",    "1e-",    "--1",    "+-1",    "1..2",   "1.2.3",  "1e5.5",
        " 1",     "1 ",     "\t1",    "1\n",    "0x10",   "0X1p3",  "0x1.8p+0",
        "inf",    "-inf",   "INF",    "infinity", "nan",  "NaN",    "-nan",
        "nan(1)", "1,",     ",5",     "1,5,5",  "1.5,5",  "1_000",  "1e5e5",
        "1d5",    "1f",     "1.5f",   "e",      ".e1",    "+.e1",   "1,e5",
        "-,5",    "1;5",    "1'000",  "5%",     "$5",     "1/2",    "1e+-5"};
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        check(words[k]);
    static const char alphabet[] = "0123456789+-.,eExXpPiInNaAfF \t";
    fsnsa_rng r;
    fsnsa_rng_seed(&r, 99);
    char tok[16];
    size_t accepted = n_accepted;
    for (int k = 0; k < N_GARBAGE; k++) {
        size_t len = below(&r, sizeof tok);
        for (size_t j = 0; j < len; j++)
            tok[j] = alphabet[below(&r, sizeof alphabet - 1)];
        check_mark(tok, len, '.');
        check_mark(tok, len, ',');
        /* with an embedded NUL */
        if (len > 1 && below(&r, 16) == 0) {
            tok[below(&r, len)] = '\0';
            check_mark(tok, len, '.');
        }
        float v;
        n_accepted += fsnsa__parse_number(tok, len, '.', &v) != -1;
    }
    /* the alphabet makes numbers too; some must have been read */
    assert_true(n_accepted - accepted > 100);
}

/* The examples of issue 12 and the edges of float range, by hand. */
static void test_issue_examples(void **state)
{
    (void)state;
    static const struct {
        const char *tok;
        double want; /* the compiler's correctly rounded double */
    } cases[] = {
        {"-0.71168076992034912", -0.71168076992034912},
        {"-1e-30", -1e-30},
        {"-7.116807699203491211e-01", -7.116807699203491211e-01},
        {"-1.303157231604360922e+00", -1.303157231604360922e+00},
        {"1.000000000000000000e+00", 1.0},
        {"-0.0", -0.0},
        {"-0e99", -0.0},
        {"-1e-50", -0.0},
        {"1e-45", 1e-45},             /* the least subnormal */
        {"-7.1e-46", -7.1e-46},       /* above half of it: rounds up */
        {"7e-46", 7e-46},             /* below half: zero */
        {"1.17549421e-38", 1.17549421e-38},
        {"3.4028235e38", 3.4028235e38}, /* rounds to FLT_MAX */
        {"3.4028235677973362e38", 3.4028235677973362e38}, /* the last */
        /* double below the halfway point from FLT_MAX to 2^128 */
        {"1.000000059604644775390625", 1.000000059604644775390625},
        {"-16777217", -16777217.0},
        {"0.1", 0.1},
        {"123456789012345678901234567890", 123456789012345678901234567890.0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        float v = 0, want = (float)cases[k].want;
        assert_int_equal(fsnsa__parse_number(cases[k].tok,
                                             strlen(cases[k].tok), '.', &v),
                         0);
        if (memcmp(&v, &want, 4) != 0)
            fail_msg("'%s' read as %a, want %a", cases[k].tok, (double)v,
                     (double)want);
        check_number(cases[k].tok);
    }
    float v;
    assert_true(FLT_MAX == (float)3.4028235e38);
    assert_int_equal(fsnsa__parse_number("-3.4028236e38", 13, '.', &v), -2);
    assert_int_equal(fsnsa__parse_number("1e39", 4, '.', &v), -2);
    /* its double is the halfway point, which rounds to even: 2^128 */
    assert_int_equal(fsnsa__parse_number("3.4028235677973366e38", 21, '.', &v),
                     -2);
    assert_int_equal(fsnsa__parse_number("1e999999999", 11, '.', &v), -2);
    assert_int_equal(fsnsa__parse_number("-0,71168076992034912", 20, ',', &v),
                     0);
    assert_true(v == (float)-0.71168076992034912);
}

/* ------------------------------------------------------------------ */
/* A caller's locale                                                   */
/* ------------------------------------------------------------------ */

static char tmp_dir[64];

static void make_tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof tmp_dir, "%s/fsnsa-numbers-XXXXXX",
             t != NULL && strlen(t) < 30 ? t : "/tmp");
    assert_non_null(mkdtemp(tmp_dir));
}

/* Remove the files this test made, then its directory. */
static void remove_tmp_dir(const char *const *names, size_t n)
{
    char path[256];
    for (size_t k = 0; k < n; k++) {
        snprintf(path, sizeof path, "%s/%s", tmp_dir, names[k]);
        unlink(path);
    }
    rmdir(tmp_dir);
}

/* A program that called setlocale(LC_ALL, "") under a locale with a
 * decimal comma (de_DE and most of Europe): a locale of that kind is
 * compiled here with localedef into the test's own directory. The tokens
 * are printed in the C locale (uselocale), read in the comma locale. */
static void test_decimal_comma_locale(void **state)
{
    (void)state;
    make_tmp_dir();
    char path[256], cmd[600];
    snprintf(path, sizeof path, "%s/comma.def", tmp_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("LC_NUMERIC\ndecimal_point \",\"\nthousands_sep \".\"\n"
          "grouping 3;3\nEND LC_NUMERIC\n",
          f);
    assert_int_equal(fclose(f), 0);
    snprintf(cmd, sizeof cmd,
             "localedef -c -i '%s' -f ANSI_X3.4-1968 '%s/xx_COMMA' "
             ">/dev/null 2>&1",
             path, tmp_dir);
    /* exits 1 for the categories left undefined; setlocale tells */
    (void)system(cmd);
    assert_int_equal(setenv("LOCPATH", tmp_dir, 1), 0);
    if (setlocale(LC_ALL, "xx_COMMA") == NULL || strtod("1.5", NULL) != 1.0) {
        printf("no locale with a decimal comma (localedef missing?)\n");
        skip();
    }
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    assert_true(c != (locale_t)0);
    fsnsa_rng r;
    fsnsa_rng_seed(&r, 1234);
    char tok[512];
    size_t before = n_checks;
    for (int k = 0; k < 20000; k++) {
        locale_t old = uselocale(c);
        random_token(&r, tok, sizeof tok);
        uselocale(old);
        check_number(tok);
    }
    freelocale(c);
    float v;
    /* a halfway case: decided by strtod */
    assert_int_equal(
        fsnsa__parse_number("1.00000017881393432617187500001", 31, '.', &v), 0);
    assert_true(v == (float)1.00000017881393432617187500001);
    assert_int_equal(fsnsa__parse_number("-0.71168076992034912", 20, '.', &v),
                     0);
    assert_true(v == (float)-0.71168076992034912);
    printf("under a decimal-comma locale: %zu comparisons\n",
           n_checks - before);
}

static int restore_locale(void **state)
{
    (void)state;
    setlocale(LC_ALL, "C");
    unsetenv("LOCPATH");
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/xx_COMMA'", tmp_dir);
    if (system(cmd) != 0)
        return -1;
    static const char *const names[] = {"comma.def"};
    remove_tmp_dir(names, 1);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Through the readers                                                  */
/* ------------------------------------------------------------------ */

/* The issue's values and lines of numpy.savetxt's default "%.18e"
 * output (numpy 1.24, a standard normal sample). */
static const char *const issue_values[] = {
    "-0.71168076992034912",      "-1e-30",
    "-7.116807699203491211e-01", "3.455841920647860221e-01",
    "-1.303157231604360922e+00", "-5.369532353602851638e-01",
    "1.000000000000000000e+00",  "-2.225073858507201383e-308"};
#define N_ISSUE (sizeof issue_values / sizeof *issue_values)

static fsnsa_dataset *read_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    fsnsa_dataset *d = NULL;
    fsnsa_error err;
    if (fsnsa_dataset_read(path, &o, &d, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    return d;
}

/* Row 0 holds the values, row 1 their negations (as text). */
static void expect_values(const fsnsa_dataset *d, const char *name)
{
    assert_int_equal(d->n, 2);
    assert_int_equal(d->p, N_ISSUE);
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < N_ISSUE; j++) {
            float want = (float)strtod(issue_values[j], NULL);
            if (i == 1)
                want = -want;
            float got = d->x[i * d->p + j];
            if (memcmp(&got, &want, 4) != 0)
                fail_msg("%s: row %zu column %zu ('%s') read as %.9g, want "
                         "%.9g",
                         name, i, j, issue_values[j], (double)got,
                         (double)want);
        }
}

/* The text of value j negated: "-x" -> "x", "x" -> "-x". */
static const char *negated(size_t j, char *buf, size_t size)
{
    const char *s = issue_values[j];
    snprintf(buf, size, "%s%s", s[0] == '-' ? "" : "-", s + (s[0] == '-'));
    return buf;
}

static const char *const reader_files[] = {"issue.csv", "komma.csv",
                                           "issue.libsvm", "issue.arff"};

static int make_reader_dir(void **state)
{
    (void)state;
    make_tmp_dir();
    return 0;
}

static int remove_reader_dir(void **state)
{
    (void)state;
    remove_tmp_dir(reader_files, sizeof reader_files / sizeof *reader_files);
    return 0;
}

/* Rows 0 and 1 (the values, then negated) into text from offset n: CSV
 * and ARFF as "v,...,v,class", LIBSVM as "class 1:v 2:v ...". */
static size_t put_rows(char *text, size_t n, size_t size, bool libsvm)
{
    char neg[64];
    for (int i = 0; i < 2; i++) {
        if (libsvm)
            n += (size_t)snprintf(text + n, size - n, "%d", i);
        for (size_t j = 0; j < N_ISSUE; j++) {
            const char *v = i ? negated(j, neg, sizeof neg) : issue_values[j];
            n += (size_t)(libsvm ? snprintf(text + n, size - n, " %zu:%s",
                                            j + 1, v)
                                 : snprintf(text + n, size - n, "%s,", v));
        }
        n += (size_t)snprintf(text + n, size - n, "%s\n",
                              libsvm ? "" : i ? "b" : "a");
    }
    return n;
}

static void test_readers(void **state)
{
    (void)state;
    char text[4096];
    size_t n = 0;
    /* CSV with a header, and the same with ';' and decimal commas */
    for (size_t j = 0; j < N_ISSUE; j++)
        n += (size_t)snprintf(text + n, sizeof text - n, "v%zu,", j);
    n += (size_t)snprintf(text + n, sizeof text - n, "y\n");
    put_rows(text, n, sizeof text, false);
    fsnsa_dataset *d = read_file("issue.csv", text);
    expect_values(d, "issue.csv");
    fsnsa_dataset_free(d);
    for (char *c = text; *c; c++)
        *c = *c == ',' ? ';' : *c == '.' ? ',' : *c;
    d = read_file("komma.csv", text);
    expect_values(d, "komma.csv");
    fsnsa_dataset_free(d);
    put_rows(text, 0, sizeof text, true);
    d = read_file("issue.libsvm", text);
    expect_values(d, "issue.libsvm");
    fsnsa_dataset_free(d);
    n = (size_t)snprintf(text, sizeof text, "@relation issue\n");
    for (size_t j = 0; j < N_ISSUE; j++)
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "@attribute v%zu numeric\n", j);
    n += (size_t)snprintf(text + n, sizeof text - n,
                          "@attribute y {a,b}\n@data\n");
    put_rows(text, n, sizeof text, false);
    d = read_file("issue.arff", text);
    expect_values(d, "issue.arff");
    fsnsa_dataset_free(d);
}

static void test_summary(void **state)
{
    (void)state;
    printf("number oracle: %zu comparisons with strtod and the grammar, "
           "%zu tokens read as numbers\n",
           n_checks, n_accepted);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_issue_examples),
        cmocka_unit_test(test_random_values),
        cmocka_unit_test(test_long_tokens),
        cmocka_unit_test(test_garbage_and_words),
        cmocka_unit_test_teardown(test_decimal_comma_locale, restore_locale),
        cmocka_unit_test_setup_teardown(test_readers, make_reader_dir,
                                        remove_reader_dir),
        cmocka_unit_test(test_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

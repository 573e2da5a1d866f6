/* Text to float: an in-place parser for the common case and strtod, fed
 * digits without a decimal mark, for the values near a halfway point
 * between two floats (docs/data.md, "Numbers"). */
#include "number.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* Powers of ten as doubles: exact up to 1e22, correctly rounded beyond
 * (the compiler's conversion of the literal). */
static const double pow10_table[66] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10,
    1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21,
    1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31, 1e32,
    1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39, 1e40, 1e41, 1e42, 1e43,
    1e44, 1e45, 1e46, 1e47, 1e48, 1e49, 1e50, 1e51, 1e52, 1e53, 1e54,
    1e55, 1e56, 1e57, 1e58, 1e59, 1e60, 1e61, 1e62, 1e63, 1e64, 1e65};

/* Significant digits kept for strtod: no double and no halfway point
 * between two doubles has more than 767, so past the 800th a digit only
 * matters by being nonzero, and one '1' stands for all of them. */
#define KEEP_DIGITS 800
/* Exponent digits past this only make a value that is already 0 or
 * infinite more so; no token is long enough to shift it back. */
#define EXPONENT_CAP 1000000000000000 /* 10^15 */

/* The correctly rounded double of a valid unsigned token (sign already
 * skipped), through strtod, whatever the token's length and the caller's
 * locale: strtod gets the significant digits with no decimal mark and an
 * exponent ("0,0125" -> "125e-4"), a form no locale reads differently
 * (the mark is the only locale-dependent part of its syntax). */
static double decimal_to_double(const char *s, size_t len, char mark)
{
    char buf[KEEP_DIGITS + 1 + 16];
    size_t n = 0, i = 0;
    int64_t exp10 = 0;
    bool frac = false, sticky = false;
    for (; i < len; i++) {
        char c = s[i];
        if (c == mark) {
            frac = true;
        } else if (c < '0' || c > '9') {
            break;
        } else if (n == 0 && c == '0') {
            exp10 -= frac;
        } else if (n < KEEP_DIGITS) {
            buf[n++] = c;
            exp10 -= frac;
        } else {
            sticky |= c != '0';
            exp10 += !frac;
        }
    }
    if (n == 0)
        return 0.0;
    if (sticky) {
        buf[n++] = '1';
        exp10--;
    }
    if (i < len) { /* 'e' or 'E', then a checked exponent */
        bool eneg = s[++i] == '-';
        i += s[i] == '-' || s[i] == '+';
        int64_t e = 0;
        for (; i < len; i++)
            if (e < EXPONENT_CAP)
                e = e * 10 + (s[i] - '0');
        exp10 += eneg ? -e : e;
    }
    /* Beyond +-10^5 every value of up to 801 digits is 0 or infinite. */
    if (exp10 > 100000)
        exp10 = 100000;
    if (exp10 < -100000)
        exp10 = -100000;
    char *w = buf + n;
    *w++ = 'e';
    if (exp10 < 0) {
        *w++ = '-';
        exp10 = -exp10;
    }
    char rev[8];
    int k = 0;
    do {
        rev[k++] = (char)('0' + exp10 % 10);
        exp10 /= 10;
    } while (exp10 > 0);
    while (k > 0)
        *w++ = rev[--k];
    *w = '\0';
    return strtod(buf, NULL);
}

/* The digits of a token: the first 19 significant ones in mant, so that
 * the value is (mant + f) * 10^dexp with 0 <= f < 1; f > 0 only when
 * digits were dropped (exact false). */
typedef struct {
    uint64_t mant;
    int64_t dexp;
    int digits;
    bool any, exact;
} decimal;

/* The digits at s[i], of the integer part or (frac) of the fraction,
 * into d; returns the index after them. */
static inline size_t scan_digits(const char *s, size_t len, size_t i,
                                 bool frac, decimal *d)
{
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        d->any = true;
        if (d->digits < 19) {
            d->mant = d->mant * 10 + (uint64_t)(s[i] - '0');
            if (d->mant)
                d->digits++;
            d->dexp -= frac;
        } else {
            d->dexp += !frac;
            d->exact = false;
        }
    }
    return i;
}

/* The exponent "[+-]digits" at s[i] (after the 'e'), added to d->dexp;
 * returns the index after it, 0 when no digit follows. */
static inline size_t scan_exponent(const char *s, size_t len, size_t i,
                                   decimal *d)
{
    bool eneg = false;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        eneg = s[i++] == '-';
    if (i == len || s[i] < '0' || s[i] > '9')
        return 0;
    int64_t e = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (e < EXPONENT_CAP)
            e = e * 10 + (s[i] - '0');
        i++;
    }
    d->dexp += eneg ? -e : e;
    return i;
}

/* The float of d, what (float)strtod gives for the unsigned token
 * body[0..blen): the correctly rounded double, then rounded to float.
 * Exact cases (a mantissa of up to 2^53 and 10^|dexp| <= 10^22) take one
 * correctly rounded operation. Otherwise an approximation within about 5
 * ulp of the double decides the float whenever every double that near
 * rounds to the same float, which is all but a few in 10^7 of arbitrary
 * tokens (numpy's "%.18e" output among them); the rest, near a halfway
 * point between two floats, go to strtod. 0, or -2 out of float range. */
static inline int decimal_to_float(const decimal *d, const char *body,
                                   size_t blen, char mark, float *out)
{
    float f;
    if (d->mant == 0) {
        f = 0.0f;
    } else if (d->exact && d->mant <= ((uint64_t)1 << 53) && d->dexp >= -22 &&
               d->dexp <= 22) {
        double v = (double)d->mant;
        f = (float)(d->dexp < 0 ? v / pow10_table[-d->dexp]
                                : v * pow10_table[d->dexp]);
    } else if (d->dexp > 38) { /* >= 1e39 */
        return -2;
    } else if (d->dexp < -65) { /* < 1e-47, below half the least float */
        f = 0.0f;
    } else {
        /* Each of the four roundings (mantissa, power, operation, dropped
         * digits) is within 2^-53 relative; 2^-48 is a safe margin. */
        double v = (double)d->mant;
        v = d->dexp < 0 ? v / pow10_table[-d->dexp] : v * pow10_table[d->dexp];
        double margin = v * 0x1p-48;
        f = (float)v;
        if ((float)(v - margin) != f || (float)(v + margin) != f)
            f = (float)decimal_to_double(body, blen, mark);
    }
    if (isinf(f))
        return -2;
    *out = f;
    return 0;
}

int fsnsa__parse_number(const char *s, size_t len, char mark, float *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    size_t body = i;
    decimal d = {0, 0, 0, false, true};
    i = scan_digits(s, len, i, false, &d);
    if (i < len && s[i] == mark) {
        /* a decimal comma needs a digit on both sides: "1," and ",5" are
         * words (the comma is too common in text to be read loosely) */
        if (mark != '.' && (!d.any || i + 1 == len || s[i + 1] < '0' ||
                            s[i + 1] > '9'))
            return -1;
        i = scan_digits(s, len, i + 1, true, &d);
    }
    if (!d.any)
        return -1;
    if (i < len && (s[i] == 'e' || s[i] == 'E') &&
        (i = scan_exponent(s, len, i + 1, &d)) == 0)
        return -1;
    if (i != len)
        return -1;
    float f;
    if (decimal_to_float(&d, s + body, len - body, mark, &f) != 0)
        return -2;
    *out = neg ? -f : f;
    return 0;
}

/* The number parser (number.c): a token to float exactly as
 * (float)strtod in the C locale, in place and fast. Not part of the
 * API. */
#ifndef FSNSA_DATA_NUMBER_H
#define FSNSA_DATA_NUMBER_H

#include <stddef.h>

/* 0: number stored in *out; -1: not a number; -2: finite in the text but
 * out of float range. With mark '.': [+-]digits[.digits][e[+-]digits],
 * also "1." and ".5"; not inf, nan or hex. With mark ',' the same with a
 * decimal comma, which needs a digit on both sides ("1,5", not "1," or
 * ",5"). The value is (float)strtod(token) in the C locale, bit for bit,
 * in any locale and for any length. */
int fsnsa__parse_number(const char *s, size_t len, char mark, float *out);
static inline int fsnsa__parse_float(const char *s, size_t len, float *out)
{
    return fsnsa__parse_number(s, len, '.', out);
}

#endif

/* Strict option-value parsers for the fsnsa command.
 *
 * Each parser is a pure function: it reads only its arguments, writes the
 * value on success and returns NULL, or returns an error text (held in the
 * caller's cli_msg) such as "expected an integer in [1, 1000000], got '12x'".
 * The whole string must parse: no leading blanks, no trailing characters,
 * no silent wrap-around. That keeps them easy to fuzz and to test. */
#ifndef FSNSA_CLI_OPTIONS_H
#define FSNSA_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char text[400];
} cli_msg;

/* Signed integer in [lo, hi]. */
const char *cli_parse_int(const char *s, long long lo, long long hi,
                          long long *out, cli_msg *msg);

/* Unsigned 64-bit integer in [lo, hi] (seeds); a '-' sign is refused. */
const char *cli_parse_u64(const char *s, uint64_t lo, uint64_t hi,
                          uint64_t *out, cli_msg *msg);

/* Finite number in the interval lo..hi; lo_open/hi_open make that end
 * exclusive. hi = INFINITY means no upper bound. NaN and inf are refused. */
const char *cli_parse_double(const char *s, double lo, int lo_open, double hi,
                             int hi_open, double *out, cli_msg *msg);

/* One of the NULL-terminated names; *out = its index. */
const char *cli_parse_choice(const char *s, const char *const *names,
                             int *out, cli_msg *msg);

/* A mini-batch size: "full" (0) or an integer in [1, hi]. */
const char *cli_parse_batch(const char *s, size_t hi, size_t *out,
                            cli_msg *msg);

/* A field delimiter: one printable character, or "tab", "space",
 * "comma", "semicolon". */
const char *cli_parse_delimiter(const char *s, char *out, cli_msg *msg);

/* A decimal mark: "." or "," (that character), "auto" (0). */
const char *cli_parse_decimal(const char *s, char *out, cli_msg *msg);

#endif

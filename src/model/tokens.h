/* The model reader's tokenizer (tokens.c): a cursor over the lines of a
 * model file held in memory, and getters that each read one typed token
 * and name the file and line in their error; and the body parser built on
 * it (parse.c). Used by read.c, parse.c and curve.c only. Every getter returns
 * FSNSA_OK or an error already filled in. */
#ifndef FSNSA_MODEL_TOKENS_H
#define FSNSA_MODEL_TOKENS_H

#include "model.h"

typedef struct {
    const char *name;  /* for messages */
    const char *buf;
    size_t end;        /* start of the checksum line: the body ends here */
    size_t pos;        /* start of the next line */
    size_t lineno;     /* number of the current line */
    const char *line;  /* current line, without its '\n' */
    size_t llen;
    size_t at;         /* cursor in the line */
    unsigned minor;    /* the file's minor version */
    fsnsa_error *err;
} fsnsa__tokens;

/* Shorthands: every step returns on the first error. */
#define TRY(x)                                                              \
    do {                                                                    \
        fsnsa_status st_ = (x);                                             \
        if (st_ != FSNSA_OK)                                                \
            return st_;                                                     \
    } while (0)
#define BAD(r, ...)                                                         \
    fsnsa__tok_fail((r), (r)->lineno, FSNSA_ERR_FORMAT, __VA_ARGS__)

/* "NAME:LINE: message" with code. */
fsnsa_status fsnsa__tok_fail(fsnsa__tokens *r, size_t lineno,
                             fsnsa_status code, const char *fmt, ...)
    FSNSA_PRINTF(4, 5);
/* A token for a message: at most 32 printable ASCII characters in quotes,
 * or "end of line" for an empty one. */
void fsnsa__tok_show(const char *s, size_t n, char *out, size_t size);

/* Move to the next line of the body; false at the checksum line. */
bool fsnsa__tok_next_line(fsnsa__tokens *r);
/* The next blank-separated token; length 0 at the end of the line. */
size_t fsnsa__tok_word(fsnsa__tokens *r, const char **w);
/* Whether the line's first token w[0..n) belongs to a newer minor version
 * (a key this fsnsa does not know), so that the line is skipped. */
bool fsnsa__tok_newer(const fsnsa__tokens *r, const char *w, size_t n);
/* Move to the next line, which must start with `key` (after lines of a
 * newer minor version, which are skipped). */
fsnsa_status fsnsa__tok_expect(fsnsa__tokens *r, const char *key);
/* Like expect, for a line that may be absent: false (and the cursor where
 * it was) when the next line does not start with `key`. */
bool fsnsa__tok_optional(fsnsa__tokens *r, const char *key);
/* Nothing but blanks may follow on the line. */
fsnsa_status fsnsa__tok_end(fsnsa__tokens *r);
/* A count of `each`-byte items must still fit in the rest of the file,
 * so that a damaged size is refused before anything is allocated. */
fsnsa_status fsnsa__tok_room(fsnsa__tokens *r, size_t count, size_t each,
                             const char *what);

/* Typed tokens; `what` names the value in the message. */
fsnsa_status fsnsa__tok_size(fsnsa__tokens *r, size_t *v, size_t limit,
                             const char *what);
fsnsa_status fsnsa__tok_u64(fsnsa__tokens *r, uint64_t *v, const char *what);
/* special: also nan, inf and -inf. */
fsnsa_status fsnsa__tok_double(fsnsa__tokens *r, double *v, bool special,
                               const char *what);
/* count finite float32 values, then the end of the line. */
fsnsa_status fsnsa__tok_floats(fsnsa__tokens *r, float *v, size_t count,
                               const char *what);
/* A quoted string (allocated into *out) or '-' for NULL. */
fsnsa_status fsnsa__tok_string(fsnsa__tokens *r, char **out, const char *what);
/* A string of one character, or '-' for 0. */
fsnsa_status fsnsa__tok_char(fsnsa__tokens *r, char *c, const char *what);
/* One of `count` names, as its index. */
fsnsa_status fsnsa__tok_enum(fsnsa__tokens *r, const char *const *names,
                             size_t count, int *v, const char *what);

/* A whole "key VALUE" line: expect, the value, the end of the line. */
fsnsa_status fsnsa__tok_key_size(fsnsa__tokens *r, const char *key, size_t *v,
                                 size_t limit);
fsnsa_status fsnsa__tok_key_double(fsnsa__tokens *r, const char *key,
                                   double *v, bool special);
fsnsa_status fsnsa__tok_key_enum(fsnsa__tokens *r, const char *key,
                                 const char *const *names, size_t count,
                                 int *v);
fsnsa_status fsnsa__tok_key_string(fsnsa__tokens *r, const char *key,
                                   char **v);

/* The body, from the line after the version line to the checksum line
 * (parse.c, which read.c calls with the tokenizer at the version line). */
fsnsa_status fsnsa__model_parse_body(fsnsa__tokens *r, fsnsa_model *m);

/* The 1.5 lines (curve.c): "select features" and "select hidden"
 * groups, each optional, in that order. */
fsnsa_status fsnsa__curve_parse(fsnsa__tokens *r, fsnsa_model *m);

#endif

/* The limits of reading, in one place (docs/data.md, "Limits"): every
 * reader and the table builder take them from here. Not part of the
 * API. */
#ifndef FSNSA_DATA_LIMITS_H
#define FSNSA_DATA_LIMITS_H

#include <stddef.h>

/* Bytes a line may hold: this many for each field the column limit
 * allows (max_cols + 1, the label too), within [FSNSA__MIN_LINE,
 * FSNSA__MAX_LINE_CAP]. 32 bytes hold any number as printed at full
 * double precision (numpy's "%.18e": 25 characters) or a LIBSVM
 * "index:value" pair, with its delimiter, so a line of as many numbers as
 * the tool accepts columns reads, and every file `fsnsa xor` writes; the
 * limit still refuses a file with no line end before any large buffer. */
#define FSNSA__LINE_BYTES_PER_FIELD ((size_t)32)
#define FSNSA__MIN_LINE ((size_t)1 << 20)
#define FSNSA__MAX_LINE_CAP ((size_t)1 << 30)
#define FSNSA__DEFAULT_MAX_ROWS ((size_t)100000000) /* 1e8 rows */
#define FSNSA__DEFAULT_MAX_COLS ((size_t)1000000)   /* 1e6 columns */
#define FSNSA__MAX_CELLS ((size_t)1 << 30)          /* n * p, 4 GiB of float */
/* A free column holding numbers and a few words is nominal (Car's
 * "doors": 2, 3, 4, 5more) only up to this many distinct values; beyond,
 * the words are taken as errors in a numeric column. */
#define FSNSA__MIXED_MAX 64
/* A nominal column with more distinct values than this and than half its
 * non-missing cells looks like identifiers or free text (docs/data.md,
 * "Warnings"): a warning for delimited text, a refusal for an ARFF string
 * attribute; a label column with more classes than this, most rows in a
 * class of their own, is refused. */
#define FSNSA__MANY_VALUES 20
/* More classes than this: a warning (the output layer grows with them). */
#define FSNSA__MANY_CLASSES 1000
/* Nominal value ids are kept in NaN payloads: 22 bits. */
#define FSNSA__MAX_NOMINAL (((size_t)1 << 22) - 2)

#endif

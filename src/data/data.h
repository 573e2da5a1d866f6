/* Shared by the data readers (data_*.c): the streaming line reader, the
 * field splitter, the number parser, string dictionaries and the table
 * builder that turns parsed cells into an encoded fsnsa_dataset.
 * Not part of the API; see docs/data.md for the rules these implement. */
#ifndef FSNSA_DATA_INTERNAL_H
#define FSNSA_DATA_INTERNAL_H

#include "core/core.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits (docs/data.md, "Limits"). */
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

/* ---- streaming line reader (plain or gzip, via zlib's gzread) ---- */

/* Lines end at "\n", "\r\n" or a lone "\r"; carriage returns right before
 * a "\n" belong to its line end ("\r\r\n" is one). A UTF-8 byte-order mark
 * at the start is skipped; UTF-16 and UTF-32 text, NUL bytes, and gzip
 * data cut short or damaged are errors (docs/data.md, "Encodings, line
 * ends and compression"). */
typedef struct {
    void *gz;          /* gzFile */
    const char *path;
    char *buf;         /* cap + 1 bytes: room for a terminating NUL */
    size_t cap, start, end;
    size_t max_line;   /* longest line accepted, in bytes */
    /* Search marks (offsets in buf): no '\n' (next_lf) or '\r' (next_cr)
     * lies in [start, mark), and the byte at the mark is one when mark <
     * end; the '\r's before lone_cr_end are known to be lone line ends.
     * They keep the search linear whatever the lines' lengths. */
    size_t next_lf, next_cr, lone_cr_end;
    size_t line_no;    /* 1-based number of the line last returned */
    bool eof, begun;
} fsnsa__lines;

/* The line limit for these read options (NULL: the defaults). */
size_t fsnsa__line_limit(const fsnsa_read_options *opt);
fsnsa_status fsnsa__lines_open(fsnsa__lines *r, const char *path,
                               const fsnsa_read_options *opt,
                               fsnsa_error *err);
/* Next line without its line end, NUL-terminated and writable in place
 * until the next call; *line = NULL at end of file. */
fsnsa_status fsnsa__lines_next(fsnsa__lines *r, char **line, size_t *len,
                               fsnsa_error *err);
void fsnsa__lines_close(fsnsa__lines *r);

/* ---- fields ---- */

typedef struct {
    char *s;           /* NUL-terminated, in the line buffer */
    size_t len;
    size_t col;        /* 1-based field number, for messages */
    bool quoted;
} fsnsa__field;

typedef struct {
    fsnsa__field *f;
    size_t n, cap;
} fsnsa__fields;

/* Split `line` in place at `delim` (',', ';', '\t', ... or ' ' for runs of
 * blanks). Fields starting with a character of `quotes` are quoted, with
 * the quote doubled inside, and with `backslash` also Weka's escapes (see
 * fsnsa__unescape). Blanks around fields are dropped. */
fsnsa_status fsnsa__split(char *line, size_t len, char delim,
                          const char *quotes, bool backslash,
                          fsnsa__fields *out,
                          size_t max_fields, const char *path, size_t line_no,
                          fsnsa_error *err);
void fsnsa__fields_free(fsnsa__fields *f);

/* One backslash escape inside a quoted ARFF token, as Weka writes them
 * (weka.core.Utils.quote) and Java's tokenizer reads them: at p a '\\'
 * with at least one character after it, before `end`. \n \r \t \b \f
 * become control characters, \uXXXX the code point in UTF-8, any other
 * \c the character c. Writes the bytes at w (never more than it reads,
 * so decoding in place is safe), returns the characters read and sets
 * *wrote. */
size_t fsnsa__unescape(const char *p, const char *end, char *w,
                       size_t *wrote);

/* ---- tokens ---- */

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
/* Printable, shortened copy of a token for error messages. */
const char *fsnsa__show(char *buf, size_t size, const char *s, size_t len);
/* Canonical text of a number used as a nominal value ("%.9g"). */
void fsnsa__canon(char *buf, size_t size, float v);
bool fsnsa__ieq(const char *a, const char *b); /* ASCII case-insensitive */

/* ---- string dictionary (interning, ids in first-seen order) ---- */

typedef struct {
    char *text;        /* strings, each followed by NUL */
    size_t text_len, text_cap;
    size_t *off;       /* id -> offset in text */
    size_t n, cap;
    uint32_t *slot;    /* open addressing, id + 1, 0 = empty */
    size_t n_slots;
    size_t limit;      /* most ids allowed */
} fsnsa__dict;

void fsnsa__dict_free(fsnsa__dict *d);
size_t fsnsa__dict_find(const fsnsa__dict *d, const char *s, size_t len);
/* 1 added, 0 already there, -1 out of memory, -2 over d->limit */
int fsnsa__dict_intern(fsnsa__dict *d, const char *s, size_t len, size_t *id);
static inline const char *fsnsa__dict_str(const fsnsa__dict *d, size_t id)
{
    return d->text + d->off[id];
}

/* ---- table builder ---- */

enum { FSNSA__FREE = 0, FSNSA__NUM, FSNSA__NOM };

typedef struct {
    char *name;        /* NULL: named x<j> at the end */
    int kind;          /* FSNSA__FREE until known */
    bool fixed;        /* nominal values declared (schema, ARFF) */
    fsnsa__dict dict;  /* nominal values / words seen in a free column */
    size_t str_line, str_col; /* first word in a free column */
    size_t text_line;  /* an ARFF string attribute: its header line */
    /* The first word shaped like a number with commas that are not
     * thousands separators ("1,5", "12,34"), when t->thousands. */
    size_t odd_line, odd_col, odd_id;
} fsnsa__tcol;

/* A field remembered for a later message. */
typedef struct {
    size_t line, col;  /* 0: none */
    char text[32];     /* shortened by fsnsa__show */
} fsnsa__seen;

typedef struct {
    const char *path;
    fsnsa_missing missing;
    fsnsa__dict na;    /* tokens read as missing (fsnsa__table_na_init) */
    bool question_na;  /* '?' is missing whatever the list (ARFF) */
    /* The decimal mark is '.' by rule (delimiter ',' or decimal '.'):
     * "1,234" is a number with thousands separators in a numeric column
     * (docs/data.md, "Thousands separators"). */
    bool thousands;
    /* Warn about table col 0 holding the row numbers (readers set it when
     * col 0 is the file's first field). */
    bool index_check;
    fsnsa_warn_fn warn;
    void *warn_ctx;
    size_t first_line; /* line of the first row */
    size_t max_rows, max_cols;
    const fsnsa_schema *schema; /* prediction: encode with this */
    size_t m;          /* raw feature columns (label excluded) */
    fsnsa__tcol *cols;
    float *cells;      /* n x m; numbers, or nominal ids as NaN payloads */
    size_t n, cap;
    bool labeled;
    fsnsa__dict labels;
    bool labels_fixed; /* class names declared (schema, ARFF) */
    int32_t *y;        /* label ids, n_y of them */
    size_t n_y, cap_y;
    size_t label_line, label_col;
    const char *label_path; /* labels file, if the labels came from one */
    char *label_name;
    size_t last_line;  /* last data line seen, for messages */
    /* Decimal mark of the numbers (docs/data.md, "Decimal commas"): '.'
     * or ','; 0 = decided by the data (delimited text, opt->decimal 0),
     * then set by the first number with a mark and kept in decimal_seen
     * (the field, its line and column) for the error when the other mark
     * shows up. fsnsa__table_init sets '.'. */
    char decimal;
    bool decimal_auto;
    fsnsa__seen decimal_seen;
    fsnsa__seen grouped;  /* first "1.234.567" word before the mark is known */
    fsnsa_layout layout;  /* how the file is read, for fsnsa_dataset.layout */
} fsnsa__table;

/* The missing-value tokens of opt (na_values or the default list) into
 * t->na; called on a zeroed table before the reader runs, since readers
 * need them before fsnsa__table_init (header detection). */
fsnsa_status fsnsa__table_na_init(fsnsa__table *t, const fsnsa_read_options *opt,
                                  fsnsa_error *err);
/* Whether a field marks a missing value: empty, listed in t->na, or '?'
 * with t->question_na. */
bool fsnsa__table_is_na(const fsnsa__table *t, const char *s, size_t len);
/* A warning "path:line:col: ..." through t->warn, if set. */
void fsnsa__table_warn(const fsnsa__table *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A word shaped "[+-]d{1,3}(,ddd)+[.d*]": its value with the commas
 * dropped in *v, 0; -1 otherwise; -2 out of float range. */
int fsnsa__thousands_number(const char *s, size_t len, float *v);
/* Digits with commas between them, maybe a decimal point after ("1,5",
 * "12,34", "1,23,456", "1,234"): with thousands separators, a number
 * whose commas are decimal commas or an unusual grouping when it is not
 * fsnsa__thousands_number's. */
bool fsnsa__comma_number(const char *s, size_t len);

/* t must be zeroed first; fsnsa__table_free accepts a partly built one. */
fsnsa_status fsnsa__table_init(fsnsa__table *t, const char *path,
                               const fsnsa_read_options *opt, size_t m,
                               bool labeled, fsnsa_error *err);
fsnsa_status fsnsa__table_set_name(fsnsa__table *t, size_t j, const char *s,
                                   size_t len, fsnsa_error *err);
fsnsa_status fsnsa__table_set_label_name(fsnsa__table *t, const char *s,
                                         size_t len, fsnsa_error *err);
/* Declare column j numeric, or nominal with the values in d (moved). */
void fsnsa__table_set_numeric(fsnsa__table *t, size_t j);
void fsnsa__table_set_nominal(fsnsa__table *t, size_t j, fsnsa__dict *d);
/* Declare the class names in d (moved), in this order. */
void fsnsa__table_set_classes(fsnsa__table *t, fsnsa__dict *d);
/* Take kinds, values and class names from t->schema; names in the file
 * that contradict the model's are refused (line = header line or 0). */
fsnsa_status fsnsa__table_use_schema(fsnsa__table *t, size_t line,
                                     fsnsa_error *err);
/* Give a table created with m = 0 and no rows its m columns (readers that
 * learn the width at the end, such as LIBSVM). */
fsnsa_status fsnsa__table_set_width(fsnsa__table *t, size_t m,
                                    fsnsa_error *err);
/* Parse a number, or a missing value (refused or NaN per t->missing). */
fsnsa_status fsnsa__table_number(fsnsa__table *t, float *cell, const char *s,
                                 size_t len, size_t line, size_t col,
                                 fsnsa_error *err);
/* Room for one more row of m cells (valid until the next call). */
fsnsa_status fsnsa__table_row(fsnsa__table *t, size_t line, float **row,
                              fsnsa_error *err);
fsnsa_status fsnsa__table_cell(fsnsa__table *t, float *cell, size_t j,
                               const char *s, size_t len, size_t line,
                               size_t col, fsnsa_error *err);
fsnsa_status fsnsa__table_label(fsnsa__table *t, const char *s, size_t len,
                                size_t line, size_t col, fsnsa_error *err);
/* Encode into a new data set (x, y, schema, feature names, source). */
fsnsa_status fsnsa__table_finish(fsnsa__table *t, fsnsa_dataset **out,
                                 fsnsa_error *err);
void fsnsa__table_free(fsnsa__table *t);

/* Store a nominal id / test for one. */
void fsnsa__cell_set_id(float *cell, size_t id);
bool fsnsa__cell_id(const float *cell, size_t *id);

/* ---- ARFF dates (data_date.c) ---- */

/* A compiled java.text.SimpleDateFormat pattern, the subset of
 * docs/data.md ("### ARFF"): y M d H m s S X Z, quoted literals and any
 * non-letter as a literal. Parsed values are seconds since
 * 1970-01-01T00:00:00 UTC (proleptic Gregorian calendar). */
typedef struct {
    char what;         /* y M d H m s S X (Z too), or 0: literal `lit` */
    char lit;
    size_t count;      /* pattern letters in the run */
    bool fixed;        /* a numeric field right before another: exactly
                        * `count` digits */
} fsnsa__date_item;

typedef struct {
    fsnsa__date_item *item;
    size_t n;
    char *pattern;     /* the pattern as Java sees it, for messages */
} fsnsa__date_format;

/* Weka's format when a date attribute gives none. */
#define FSNSA__DATE_DEFAULT "yyyy-MM-dd'T'HH:mm:ss"

/* Compile the pattern text s[0..len) as written in the header line; with
 * `escapes` (a quoted format) backslash escapes are undone first, as in
 * Weka's own headers ('yyyy-MM-dd\'T\'HH:mm:ss'). Errors name path:line
 * and the 1-based character position in the line (`col` is that of s[0])
 * and the attribute `name`. *f must be zeroed first; free it with
 * fsnsa__date_free, also after an error. */
fsnsa_status fsnsa__date_compile(fsnsa__date_format *f, const char *s,
                                 size_t len, bool escapes, const char *path,
                                 size_t line, size_t col, const char *name,
                                 fsnsa_error *err);
void fsnsa__date_free(fsnsa__date_format *f);
/* Parse one value (not missing) into seconds since the epoch, rounded to
 * float; an error names path:line:col, the value and why it does not
 * match. */
fsnsa_status fsnsa__date_parse(const fsnsa__date_format *f, const char *s,
                               size_t len, float *out, const char *path,
                               size_t line, size_t col, fsnsa_error *err);

/* ---- readers ---- */

/* FSNSA_ERR_ARG when read options cannot be used (read.c). */
fsnsa_status fsnsa__read_options_check(const fsnsa_read_options *o,
                                       fsnsa_error *err);


/* Where the label is: resolved by each reader from opt->label_column. */
typedef struct {
    bool none;         /* "none", or a labels file */
    bool given;        /* label_column was set by the caller */
    const char *text;
} fsnsa__labelspec;
fsnsa__labelspec fsnsa__labelspec_of(const fsnsa_read_options *opt);
/* How opt asks for the label (for fsnsa_layout.label). */
fsnsa_label_source fsnsa__label_source(const fsnsa_read_options *opt);
/* Resolve a label spec against m_file fields and optional names (n_names
 * == m_file when given). *idx = SIZE_MAX for no label. */
fsnsa_status fsnsa__label_index(const fsnsa__labelspec *ls, size_t m_file,
                                char *const *names, const size_t *name_len,
                                size_t n_names, const char *path, size_t line,
                                size_t *idx, fsnsa_error *err);
/* Mark in ignore[0..m_file) the columns of the list opt->ignore_columns
 * (indices or names, resolved as label_column's; names[j] may be NULL
 * for a field without a name, names NULL without a header) and count
 * them in *n_ignored. ignore may be NULL when the list is empty. Unknown
 * and ambiguous entries are refused at path:line. */
fsnsa_status fsnsa__ignore_mask(const char *list, size_t m_file,
                                char *const *names, const char *path,
                                size_t line, bool *ignore, size_t *n_ignored,
                                fsnsa_error *err);
/* The next entry of a comma-separated list (na_values, ignore_columns)
 * at *s, blanks around it dropped: *item and *len, and *s moves past it;
 * false at the end (or for s NULL). */
bool fsnsa__list_next(const char **s, const char **item, size_t *len);
/* Whether a list option (ignore_columns) names a column rather than only
 * giving indices. */
bool fsnsa__list_has_name(const char *list);

fsnsa_status fsnsa__read_csv(fsnsa__table *t, const char *path,
                             const fsnsa_read_options *opt, bool uci,
                             fsnsa_error *err);
fsnsa_status fsnsa__read_libsvm(fsnsa__table *t, const char *path,
                                const fsnsa_read_options *opt,
                                fsnsa_error *err);
fsnsa_status fsnsa__read_arff(fsnsa__table *t, const char *path,
                              const fsnsa_read_options *opt, fsnsa_error *err);

#endif

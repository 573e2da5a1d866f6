/* Shared by the three files of the delimited-text reader: records
 * (csv_records.c: which lines are rows, records over several lines, the
 * lines read ahead for detection), detection (csv_detect.c: delimiter and
 * header) and the reader itself (csv.c). Not part of the API. */
#ifndef FSNSA_DATA_CSV_H
#define FSNSA_DATA_CSV_H

#include "fields.h"
#include "lines.h"
#include "table.h"

#include <stdbool.h>
#include <stddef.h>

/* The lines of a delimited file. While the delimiter is detected, every
 * line read is also kept (ahead); then the source is rewound and gives
 * them again before reading on, so that the file is read from its first
 * line with the delimiter decided, exactly as when it is given. */
typedef struct {
    fsnsa__lines r;
    char *ahead;          /* kept lines, each followed by NUL */
    size_t ahead_len, ahead_cap;
    size_t *ahead_off;    /* offset of each kept line in ahead */
    size_t n_ahead, cap_off;
    size_t next_ahead;    /* next kept line to give, after a rewind */
    bool keep;            /* keep the lines read */
    bool full;            /* keeping stopped: ahead holds max_line bytes */
    size_t line_no;       /* 1-based number of the line last given */
    bool row_seen;        /* a record was given since the start */
    char *rec;            /* a record over several lines */
    size_t rec_cap;
} fsnsa__csv_source;

/* ---- records (csv_records.c) ---- */

fsnsa_status fsnsa__csv_open(fsnsa__csv_source *src, const char *path,
                             const fsnsa_read_options *opt, fsnsa_error *err);
void fsnsa__csv_close(fsnsa__csv_source *src);
/* Keep the lines read from now on, for fsnsa__csv_rewind. */
void fsnsa__csv_keep(fsnsa__csv_source *src);
/* Give the kept lines again, from the first; stop keeping. */
void fsnsa__csv_rewind(fsnsa__csv_source *src);
/* The next record with delimiter delim (0: not known yet) and the number
 * of its first line: the next line that is no blank or comment line
 * (docs/data.md, "Lines skipped"), joined with the lines after it while
 * it leaves a quoted field open. *line = NULL at the end. *line is valid
 * until the next call. */
fsnsa_status fsnsa__csv_next(const fsnsa__table *t, fsnsa__csv_source *src,
                             char delim, char **line, size_t *len,
                             size_t *line_no, fsnsa_error *err);
/* The first line of the next record (delim 0), not joined. */
fsnsa_status fsnsa__csv_next_line(const fsnsa__table *t,
                                  fsnsa__csv_source *src, char **line,
                                  size_t *len, fsnsa_error *err);
/* The record starting with *line (just given by fsnsa__csv_next_line)
 * joined as delimiter delim quotes it. */
fsnsa_status fsnsa__csv_join(fsnsa__csv_source *src, char delim, char **line,
                             size_t *len, fsnsa_error *err);
/* Fields of s[0..len) split at delim, by the splitter's rules. */
size_t fsnsa__csv_count_fields(const char *s, size_t len, char delim);

/* ---- detection (csv_detect.c; docs/data.md, "Delimiter", "Header") ---- */

/* The delimiter of the file in src, from its first two records (quoted
 * text does not count; decimal commas do not, unless mark is '.'); src
 * is left rewound to the file's first line. */
fsnsa_status fsnsa__csv_detect(const fsnsa__table *t, fsnsa__csv_source *src,
                               char mark, char *delim, fsnsa_error *err);

enum { FSNSA__NO_HEADER, FSNSA__HEADER_WORD_OVER_NUMBER, FSNSA__HEADER_SHORT };

/* Why the first row a is a header over the second row b, or
 * FSNSA__NO_HEADER; numbers in decimal mark `mark` (0: either). */
int fsnsa__csv_looks_like_header(const fsnsa__table *t,
                                 const fsnsa__fields *a,
                                 const fsnsa__fields *b, char mark);
/* With a model: a first row naming the model's columns is a header. */
bool fsnsa__csv_names_schema(const fsnsa__fields *a, const fsnsa_schema *sc);
/* Whether a first row taken for a header by a word over a number is data
 * after all, asked once all rows are read. */
bool fsnsa__csv_first_row_is_data(const fsnsa__table *t,
                                  const fsnsa__fields *a, const bool *ignore,
                                  size_t label);

#endif

/* The streaming line reader (lines.c): plain or gzip text through zlib's
 * gzread, one line at a time, in place. Not part of the API. */
#ifndef FSNSA_DATA_LINES_H
#define FSNSA_DATA_LINES_H

#include "core/core.h"

#include <stdbool.h>
#include <stddef.h>

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

#endif

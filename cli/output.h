/* What the fsnsa command writes: output files (atomic, checked before any
 * work), stdout, and names as fields of a line. */
#ifndef FSNSA_CLI_OUTPUT_H
#define FSNSA_CLI_OUTPUT_H

#include <stdio.h>

#include "fsnsa.h"

/* An output file (fsnsa_outfile: atomic for a regular file, in place for
 * a device or FIFO, through symlinks), or stdout when path is NULL or "-".
 * Nothing appears at PATH until commit; abort leaves it as it was. */
typedef struct {
    FILE *f;
    const char *path;
    fsnsa_outfile *file; /* NULL for stdout */
} cli_out;

/* Whether path means standard output: NULL or "-". */
int cli_is_stdout(const char *path);
int cli_out_open(const char *cmd, const char *path, cli_out *o);
/* Flush, fsync and put the file in place; on failure the message is
 * printed and nothing at PATH changes. Returns 0 or -1. */
int cli_out_commit(const char *cmd, cli_out *o);
void cli_out_abort(cli_out *o);
/* Before any work: whether `path` can be written as `use` says
 * (fsnsa_output_check). NULL and "-" (stdout) pass. Returns 0, or -1
 * after printing a message naming the path and the reason. */
int cli_output_check(const char *cmd, const char *path,
                     fsnsa_output_use use);
/* Whether writing `out` would replace the existing file `in` (same name
 * or same inode); NULL never matches, nor does an `out` that is a device
 * or FIFO (written in place, not replaced). */
int cli_same_file(const char *out, const char *in);
/* Flush stdout at the end of a command's report: 0, or -1 after printing
 * "cannot write to standard output". */
int cli_flush_stdout(const char *cmd);

/* Names of the encoded columns, derived from a schema: a numeric column
 * keeps its name, a nominal one becomes "name=value" per value. Returns
 * schema->p malloc'ed strings (free with cli_free_names) or NULL. */
char **cli_encoded_names(const fsnsa_schema *s);
void cli_free_names(char **names, size_t n);
/* A feature or class name as one field of a line of text or TSV: control
 * characters (a CSV or ARFF value may hold a line break or a tab) are
 * written escaped, \n \r \t or \xNN. */
void cli_put_name(FILE *f, const char *s);

#endif

/* The --path file of `fsnsa train` (a TSV, one line per epoch: docs/cli.md)
 * written during a run and read back by `fsnsa plot`. */
#ifndef FSNSA_CLI_RUN_PATH_H
#define FSNSA_CLI_RUN_PATH_H

#include <stdio.h>

#include "fsnsa.h"

/* Which of the p encoded columns are still kept, to name the ones an
 * epoch drops. names may be NULL (then the ids are written). With
 * `validation` (a run with a validation split) every line also has the
 * held-out loss and accuracy. */
typedef struct {
    size_t p;
    unsigned char *kept;
    char **names;
    int validation;
} cli_path_writer;

int cli_path_writer_init(cli_path_writer *w, size_t p, char **names,
                         int validation);
void cli_path_writer_free(cli_path_writer *w);
void cli_path_write_header(FILE *f, const cli_path_writer *w);
/* One epoch's line; `update` moves the kept set on (once per epoch when
 * the line goes to several files: the last call). */
void cli_path_write_row(FILE *f, cli_path_writer *w,
                        const fsnsa_epoch_info *e, int update);
/* The last line of a run with a validation split: "# kept epoch E (keep
 * K)", the epoch whose network the model holds, known only at the end. */
void cli_path_write_kept(FILE *f, int epoch, const char *keep);

/* A path read back: n epochs; val_loss NaN when the file has none;
 * kept_epoch from a "# kept epoch E" line, 0 without one. */
typedef struct {
    size_t n;
    int *epoch;
    double *nodes, *features, *loss, *val_loss;
    int has_val;
    int kept_epoch;
    char **dropped; /* per epoch: names (or "#id") left, ", "-separated */
} cli_path;

/* Read `name` (opened as f). 0, or -1 after printing
 * "name:line:column: what is wrong". */
int cli_path_read(const char *cmd, FILE *f, const char *name, cli_path *out);
void cli_path_free(cli_path *p);

#endif

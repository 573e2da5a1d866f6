/* `fsnsa train --plot FILE`: the run's selection path kept in memory, in
 * the --path file's format, then drawn by the code of `fsnsa plot`. */
#ifndef FSNSA_CLI_RUN_PLOT_H
#define FSNSA_CLI_RUN_PLOT_H

#include <stdio.h>

#include "run_path.h"

typedef struct {
    FILE *f;     /* the rows, as cli_path_write_row writes them */
    char *buf;   /* open_memstream's buffer */
    size_t len;
} cli_run_plot;

/* Start the rows (w's header line written). 0, or -1 after an error. */
int cli_run_plot_open(const char *cmd, cli_run_plot *rp,
                      const cli_path_writer *w);
/* Read the rows back and draw them into `output` (atomically), headed by
 * `title`. 0, or -1 after printing the reason. */
int cli_run_plot_draw(const char *cmd, cli_run_plot *rp, const char *title,
                      const char *output);
void cli_run_plot_free(cli_run_plot *rp);

#endif

/* Drawing a selection path (run_path.h) with gnuplot: loss, nodes and
 * features against the epoch, and the dropped features named where they
 * left. PNG or SVG by the output's extension. */
#ifndef FSNSA_CLI_PLOT_H
#define FSNSA_CLI_PLOT_H

#include "run_path.h"

/* Whether `output` names a format gnuplot is asked for here (.png, .svg):
 * 0, or -1 after printing a usage message. */
int cli_plot_check_name(const char *cmd, const char *output);
/* Whether gnuplot is on PATH (checked before a long run that is to end
 * in a picture): 0, or -1 after saying how to install it. */
int cli_plot_available(const char *cmd);
/* Draw `p` into `output` (atomically: nothing appears there unless
 * gnuplot succeeds). `title` heads the picture. 0, or -1 after printing
 * the reason. */
int cli_plot(const char *cmd, const cli_path *p, const char *title,
             const char *output);

#endif

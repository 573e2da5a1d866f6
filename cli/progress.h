/* The progress line on a terminal that grid, restarts, hittime and train
 * share: rewritten in place with \r, with the elapsed time and an
 * estimate of the time left. */
#ifndef FSNSA_CLI_PROGRESS_H
#define FSNSA_CLI_PROGRESS_H

#include <stddef.h>

#include "messages.h"

/* s seconds as m:ss, or h:mm:ss from an hour on. */
void cli_fmt_time(double s, char *buf, size_t size);
/* The time left after `done` of `total` units took `spent` seconds: "?"
 * before the first, "0:00" at the end. */
void cli_fmt_left(double spent, size_t done, size_t total, char *buf,
                  size_t size);
/* Rewrite the line on stderr: \r, the text, then "  elapsed E  left ~L"
 * and spaces over what a longer previous line left. */
void cli_progress_show(double elapsed, const char *left, const char *fmt,
                       ...) CLI_PRINTF(3, 4);

#endif

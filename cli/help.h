/* The --help texts' option lines, KANN's way: each prints the default it
 * will really use, formatted from the variable that holds it:
 *   cli_help_opt(f, "--epochs N", "training epochs [%d]", d->epochs);
 * prints "  --epochs N            training epochs [300]", the text wrapped
 * at 78 columns under column 24. */
#ifndef FSNSA_CLI_HELP_H
#define FSNSA_CLI_HELP_H

#include <stddef.h>
#include <stdio.h>

#include "messages.h"

void cli_help_opt(FILE *f, const char *option, const char *fmt, ...)
    CLI_PRINTF(3, 4);
/* A long bracketed list, "[a,b,c]", on lines of its own under the text,
 * broken after commas only (an item may hold a space). */
void cli_help_list(FILE *f, const char *list);
/* The NULL-terminated names as "a, b, c or d", in buf. */
const char *cli_help_choices(const char *const *names, char *buf,
                             size_t size);

#endif

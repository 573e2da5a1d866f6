/* train's class-weight and validation options (--class-weight,
 * --validation-fraction, --keep, --early-stopping): parsing into an
 * fsnsa_train_options, their --help lines from the library's defaults,
 * and the NAME=W list resolved against the data's class names. */
#ifndef FSNSA_CLI_VALIDATION_OPTIONS_H
#define FSNSA_CLI_VALIDATION_OPTIONS_H

#include <stdio.h>

#include "fsnsa.h"

/* Option codes, from `first` (a command's first free code) on. */
enum {
    CLI_VAL_CLASS_WEIGHT,
    CLI_VAL_FRACTION,
    CLI_VAL_KEEP,
    CLI_VAL_EARLY_STOPPING,
    CLI_VAL_COUNT
};

#define CLI_VALIDATION_LONGOPTS(first)                                       \
    {"class-weight", required_argument, NULL, (first) + CLI_VAL_CLASS_WEIGHT}, \
    {"validation-fraction", required_argument, NULL,                         \
     (first) + CLI_VAL_FRACTION},                                            \
    {"keep", required_argument, NULL, (first) + CLI_VAL_KEEP},               \
    {"early-stopping", required_argument, NULL,                              \
     (first) + CLI_VAL_EARLY_STOPPING}

/* Option c - first into t; a NAME=W list goes to *spec (resolved after
 * reading the data, cli_class_weights_resolve). 0 handled, -1 error
 * printed, 1 not one of them. */
int cli_validation_option(const char *cmd, int c, int first, const char *arg,
                          fsnsa_train_options *t, const char **spec);

/* The --help lines, with d's values. */
void cli_validation_help(FILE *f, const fsnsa_train_options *d);

/* spec "NAME=W,..." against the classes of s: *out gets s->n_classes
 * weights (1 for a class not named), malloc'ed; -1 after printing an
 * error naming the unknown class or the bad weight. */
int cli_class_weights_resolve(const char *cmd, const char *spec,
                              const fsnsa_schema *s, float **out);

#endif

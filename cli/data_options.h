/* The data options (how a file is read), shared by train, predict,
 * restarts, hittime and grid: their codes, parsing, --help, the reader's
 * warnings, and the way back: read options written as the options that
 * read so. */
#ifndef FSNSA_CLI_DATA_OPTIONS_H
#define FSNSA_CLI_DATA_OPTIONS_H

#include <stdio.h>

#include "fsnsa.h"

/* Long-option codes (above any char). */
enum {
    CLI_OPT_FORMAT = 1000,
    CLI_OPT_DELIMITER,
    CLI_OPT_DECIMAL,
    CLI_OPT_HEADER,
    CLI_OPT_LABEL_COLUMN,
    CLI_OPT_LABELS_FILE,
    CLI_OPT_MISSING,
    CLI_OPT_NA_VALUES,
    CLI_OPT_IGNORE_COLUMNS,
    CLI_OPT_DATA_LAST /* first code free for other options */
};

#define CLI_DATA_LONGOPTS                                                 \
    {"format", required_argument, NULL, CLI_OPT_FORMAT},                  \
    {"delimiter", required_argument, NULL, CLI_OPT_DELIMITER},            \
    {"decimal", required_argument, NULL, CLI_OPT_DECIMAL},                \
    {"header", required_argument, NULL, CLI_OPT_HEADER},                  \
    {"label-column", required_argument, NULL, CLI_OPT_LABEL_COLUMN},      \
    {"labels-file", required_argument, NULL, CLI_OPT_LABELS_FILE},        \
    {"missing", required_argument, NULL, CLI_OPT_MISSING},                \
    {"na-values", required_argument, NULL, CLI_OPT_NA_VALUES},            \
    {"ignore-columns", required_argument, NULL, CLI_OPT_IGNORE_COLUMNS}

/* Handle one data option into ro; returns 0 if c is a data option that
 * parsed, -1 after printing an error, 1 if c is not a data option. The
 * strings ro keeps point into argv. */
int cli_data_option(const char *cmd, int c, const char *arg,
                    fsnsa_read_options *ro);
/* The help lines of the data options, each with its default from d
 * (fsnsa_read_options_default); missing_default, when not NULL, replaces
 * --missing's (predict: the model's). */
void cli_data_help(FILE *f, const fsnsa_read_options *d,
                   const char *missing_default);
/* The reader's warnings go to stderr as "fsnsa CMD: warning: ...", unless
 * quiet. */
void cli_data_warnings(const char *cmd, fsnsa_read_options *ro, int quiet);

/* --header's and --decimal's names of a setting: "auto", "yes", "no";
 * "auto", ".", ",". */
const char *cli_header_name(int header);
const char *cli_decimal_name(char decimal);

/* The data options that read as ro does, each as " --name VALUE" (those
 * that do not apply to ro's format left out), on f: for predict's hint
 * and for inspect. */
void cli_put_read_options(FILE *f, const fsnsa_read_options *ro);

#endif

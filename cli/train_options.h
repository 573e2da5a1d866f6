/* The training options (the network, its annealing and the optimizer),
 * shared by train, restarts, hittime and grid: codes, parsing into an
 * fsnsa_train_options, and --help lines that print the defaults they are
 * given, normally fsnsa_train_options_default's. */
#ifndef FSNSA_CLI_TRAIN_OPTIONS_H
#define FSNSA_CLI_TRAIN_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "data_options.h"
#include "fsnsa.h"

enum {
    CLI_OPT_METHOD = CLI_OPT_DATA_LAST,
    CLI_OPT_HIDDEN,
    CLI_OPT_START_HIDDEN,
    CLI_OPT_FEATURES,
    CLI_OPT_EPOCHS,
    CLI_OPT_MU,
    CLI_OPT_BATCH,
    CLI_OPT_LR,
    CLI_OPT_WEIGHT_DECAY,
    CLI_OPT_VARIANT,
    CLI_OPT_TRAIN_LAST /* first code free for a subcommand */
};

#define CLI_TRAIN_LONGOPTS                                                \
    {"method", required_argument, NULL, CLI_OPT_METHOD},                  \
    {"hidden", required_argument, NULL, CLI_OPT_HIDDEN},                  \
    {"start-hidden", required_argument, NULL, CLI_OPT_START_HIDDEN},      \
    {"features", required_argument, NULL, CLI_OPT_FEATURES},              \
    {"epochs", required_argument, NULL, CLI_OPT_EPOCHS},                  \
    {"mu", required_argument, NULL, CLI_OPT_MU},                          \
    {"batch", required_argument, NULL, CLI_OPT_BATCH},                    \
    {"lr", required_argument, NULL, CLI_OPT_LR},                          \
    {"weight-decay", required_argument, NULL, CLI_OPT_WEIGHT_DECAY},      \
    {"variant", required_argument, NULL, CLI_OPT_VARIANT}

/* Which of them the command line gave (a warm start takes the others from
 * its model). */
typedef struct {
    int method, hidden, start_hidden, features;
    /* auto_ok: the command takes --features auto and --hidden auto
     * (train, set before parsing); features_auto, hidden_auto: given
     * (then features, hidden stay 0) */
    int auto_ok, features_auto, hidden_auto;
} cli_train_given;

/* Handle option c into t: 0 = handled, -1 = error printed (exit
 * CLI_USAGE), 1 = not a training option. */
int cli_train_option(const char *cmd, int c, const char *arg,
                     fsnsa_train_options *t, cli_train_given *given);

/* The --help lines of --method, --hidden, --start-hidden, --features,
 * --epochs, --mu and --variant, with d's values; features_auto says what
 * d->features = 0 means for the command; auto_ok: it takes
 * --features auto. */
void cli_train_help_net(FILE *f, const fsnsa_train_options *d,
                        const char *features_auto, int auto_ok);
/* Those of --batch, --lr and --weight-decay. */
void cli_train_help_optimizer(FILE *f, const fsnsa_train_options *d);
/* --hidden's default as help shows it: d->hidden, or for 0 the library's
 * automatic nodes, "N for a and b, M for c and d"
 * (fsnsa_train_default_hidden of each method). */
const char *cli_hidden_default(const fsnsa_train_options *d, char *buf,
                               size_t size);

#endif

/* fsnsa train --features auto and --hidden auto: k, then h, chosen by
 * cross-validation on the training rows (fsnsa_select_features,
 * fsnsa_select_hidden) before the fit; the curves on stderr, the choice
 * in the summary. */
#ifndef FSNSA_CLI_TRAIN_SELECT_H
#define FSNSA_CLI_TRAIN_SELECT_H

#include <stdio.h>

#include "fsnsa.h"
#include "train_pipeline.h"

/* What was chosen: a curve per size chosen automatically (n_sizes 0 for
 * one not chosen). */
typedef struct {
    fsnsa_select_result k, h;
    double k_seconds, h_seconds;
} cli_train_selection;

/* With cfg->given.features_auto: k by fsnsa_select_features with opt
 * (resolved), into opt->features; with hidden_auto then h by
 * fsnsa_select_hidden at that k, into opt->hidden. The curves go to
 * stderr unless cfg->quiet. Returns 0 or an exit code (message printed). */
int cli_train_select(const char *cmd, const cli_train_config *cfg,
                     const fsnsa_dataset *train, fsnsa_missing missing,
                     fsnsa_train_options *opt, cli_train_selection *s);

/* The summary lines ("auto   k ...", "auto   h ...") on stdout. */
void cli_train_select_report(const cli_train_selection *s);

void cli_train_selection_clear(cli_train_selection *s);

/* The curve as a table on f: one line per size (column `size`: "size"
 * or "nodes") with its mean held-out loss and standard error, the chosen
 * size and the lowest mean marked (what train prints and inspect
 * shows). */
void cli_put_curve(FILE *f, const char *size, const fsnsa_select_result *r);

/* How a curve's rule reads in a sentence: "one-SE rule toward fewer" or
 * "lowest-mean rule". */
const char *cli_rule_words(fsnsa_select_rule rule);

#endif

/* The task a label column looks like: train and the experiment commands
 * refuse a numeric-looking one read as classes the same way. */
#ifndef FSNSA_CLI_LABEL_TASK_H
#define FSNSA_CLI_LABEL_TASK_H

#include "fsnsa.h"

/* When d (read from `path` as classification) has a label column that
 * looks numeric (fsnsa_task_detect), print what it holds and the way out
 * (`hint`, e.g. "give --task regression ...") and return CLI_FAIL; else 0.
 * A regression read (d->target) passes. */
int cli_refuse_numeric_label(const char *cmd, const char *path,
                             const fsnsa_dataset *d, const char *hint);

/* After a read that failed with err: when the reader refused the label
 * column as a continuous target and no --task was given, say how to
 * train on the number with this command. */
void cli_continuous_target_hint(const char *cmd, int task_given,
                                const fsnsa_error *err,
                                const char *what_for);

/* --task T: the read (ro->task) and the training (t->task) get it, and
 * *given = 1. 0, or -1 after a usage error was printed. */
int cli_task_option(const char *cmd, const char *arg, fsnsa_read_options *ro,
                    fsnsa_train_options *t, int *given);

#endif

/* The experiment commands' data: read from a file or generated from the
 * XOR pools, identified for the job file, then imputed and scaled. */
#ifndef FSNSA_CLI_EXP_DATA_H
#define FSNSA_CLI_EXP_DATA_H

#include "exp_options.h"
#include "fsnsa_exp.h"

/* The data sets as read (or generated), before any split, imputation or
 * scaling: what a job file's header records of them. */
typedef struct {
    char data_sha[FSNSA_FINGERPRINT_SIZE];
    char test_sha[FSNSA_FINGERPRINT_SIZE]; /* "" without a test file */
    size_t rows, columns, classes, test_rows;
} exp_data_id;

/* Check the --results file, then read DATA or generate the XOR pools.
 * With test == NULL *train gets every row; otherwise the training rows,
 * and *test the test rows (--test, --test-fraction, --test-n; may stay
 * NULL). id gets their fingerprints as read. Nothing is imputed or
 * scaled. Returns 0, or an exit code after printing (then nothing is
 * left allocated). */
int exp_read(const char *cmd, const exp_config *cfg, fsnsa_dataset **train,
             fsnsa_dataset **test, exp_data_id *id);
/* Impute (--missing) and scale train, and test when not NULL, with a
 * scaler of `kind` fitted on train. Returns 0, or CLI_FAIL after
 * printing. */
int exp_scale(const char *cmd, const exp_config *cfg, fsnsa_scale kind,
              fsnsa_dataset *train, fsnsa_dataset *test);
/* exp_read with a test set, then exp_scale with exp_scale_kind. */
int exp_load(const char *cmd, const exp_config *cfg, fsnsa_dataset **train,
             fsnsa_dataset **test, exp_data_id *id);

#endif

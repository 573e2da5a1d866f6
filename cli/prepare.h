/* Data sets made ready for training, the same way for train and for the
 * experiment commands: a stratified split, imputation and scaling. */
#ifndef FSNSA_CLI_PREPARE_H
#define FSNSA_CLI_PREPARE_H

#include "fsnsa.h"

/* Split `all` into *train and *test (new data sets, all left as it is) by
 * fsnsa_split_stratified with the test share `fraction` and `seed` (a
 * regression data set: fsnsa_train_validation_split's seeded shuffle).
 * Returns 0, or -1 after printing. */
int cli_split(const char *cmd, const fsnsa_dataset *all, double fraction,
              uint64_t seed, fsnsa_dataset **train, fsnsa_dataset **test);
/* Impute d's missing values (unless missing is refuse) and scale it in
 * place with sc. Returns 0, or -1 after printing. */
int cli_transform(const char *cmd, const fsnsa_scaler *sc,
                  fsnsa_missing missing, fsnsa_dataset *d);

#endif

/* The readers of the three formats, called by the dispatcher
 * (read.c: fsnsa_dataset_read), each filling a table zeroed and given
 * its missing-value tokens (fsnsa__table_na_init). Not part of the API. */
#ifndef FSNSA_DATA_READERS_H
#define FSNSA_DATA_READERS_H

#include "table.h"

#include <stdbool.h>

/* FSNSA_ERR_ARG when read options cannot be used (read.c). */
fsnsa_status fsnsa__read_options_check(const fsnsa_read_options *o,
                                       fsnsa_error *err);

/* Delimited text (csv.c); `uci`: FSNSA_FORMAT_UCI, ',' unless given. */
fsnsa_status fsnsa__read_csv(fsnsa__table *t, const char *path,
                             const fsnsa_read_options *opt, bool uci,
                             fsnsa_error *err);
/* LIBSVM / svmlight (libsvm.c). */
fsnsa_status fsnsa__read_libsvm(fsnsa__table *t, const char *path,
                                const fsnsa_read_options *opt,
                                fsnsa_error *err);
/* Weka ARFF (arff.c, arff_header.c, arff_data.c). */
fsnsa_status fsnsa__read_arff(fsnsa__table *t, const char *path,
                              const fsnsa_read_options *opt, fsnsa_error *err);

#endif

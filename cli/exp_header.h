/* What an experiment's job file records of its run: the header fields of
 * format 2, and the one-line description (printed, and the format-1
 * header fsnsa 0.1 wrote, for --adopt-results). docs/experiments.md,
 * "Job files". */
#ifndef FSNSA_CLI_EXP_HEADER_H
#define FSNSA_CLI_EXP_HEADER_H

#include <stddef.h>

#include "exp_data.h"
#include "exp_options.h"
#include "fsnsa_exp.h"
#include "messages.h"

/* The data and training part of the printed description, and of the
 * format-1 job-file header. */
void exp_describe(const exp_config *cfg, int with_training, char *buf,
                  size_t size);
/* Appends " variant=V" to buf when the method applies Eq. 3 (not dense):
 * the printed first line names it, the format-1 header never had it. */
void exp_describe_variant(const fsnsa_train_options *t, char *buf,
                          size_t size);

/* A job file's header (format 2): the fields a job's results depend on,
 * compared when the file is reopened, and notes that explain a refusal.
 * A new setting that changes the results is one exp_header_add line; a
 * new read option is one note in exp_header_data. */
#define EXP_HEADER_FIELDS 64
typedef struct {
    fsnsa_job_field field[EXP_HEADER_FIELDS];
    size_t n;
    char text[8192]; /* the values */
    size_t used;
    int full;        /* a field did not fit: exp_sweep_setup refuses */
} exp_header;

/* Start with the sweep's name and the names of a job's values. */
void exp_header_init(exp_header *h, const char *sweep, const char *values);
void exp_header_add(exp_header *h, int note, const char *name,
                    const char *fmt, ...) CLI_PRINTF(4, 5);
/* A double, written so that it reads back exactly. */
void exp_header_double(exp_header *h, const char *name, double v);
/* The data: fingerprints, split, missing values, scaling (compared);
 * file names, read options and sizes (notes). */
void exp_header_data(exp_header *h, const exp_config *cfg,
                     const exp_data_id *id);
/* Every training option of t. */
void exp_header_training(exp_header *h, const fsnsa_train_options *t);

#endif

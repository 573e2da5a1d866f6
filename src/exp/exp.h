/* The experiment layer's internal header: what its files share beyond the
 * public experiment API (fsnsa_exp.h). Not part of the API.
 *
 * The files, in the order they depend on each other:
 *   keys.c        job keys: their hash and the seed each job draws from
 *   fingerprint.c a data set's SHA-256 fingerprint
 *   job_header.c  the job file's header line: format 1, format 2's fields,
 *                 the comparison with this run and adoption of format 1
 *   jobfile.c     the job file: open, lock, repair, index, append
 *   sweep.c       the sweep runner: load known jobs, run the rest
 *   run.c         one training run of a sweep, its scores, the broken rule
 *   restarts.c    restarts;  hittime.c  hit time
 *   grid*.c       the grid search (grid.h) */
#ifndef FSNSA_EXP_INTERNAL_H
#define FSNSA_EXP_INTERNAL_H

#include "core/core.h"
#include "fsnsa_exp.h"

/* ---- keys.c ---- */

/* FNV-1a of a job key: the job file's index and fsnsa_key_seed. */
uint64_t fsnsa__key_hash(const char *key);
/* snprintf into a key buffer: 0, or -1 when the key does not fit (the
 * sweep's key callbacks). */
int fsnsa__key_print(char *buf, size_t size, const char *fmt, ...)
    FSNSA_PRINTF(3, 4);

/* ---- job_header.c ---- */

/* The header line (no line end) of a new file, malloc'ed: format 1 with
 * text v1 when v1 is not NULL, else format 2 with h's fields. */
fsnsa_status fsnsa__job_header_line(const char *v1, const fsnsa_job_header *h,
                                    char **out, fsnsa_error *err);
/* FSNSA_ERR_ARG unless every field has a valid name and a value. */
fsnsa_status fsnsa__job_header_valid(const fsnsa_job_header *h,
                                     fsnsa_error *err);
/* Whether buf[0..size) is only (the start of) a header line, torn by a
 * crash while the file was created: no job can follow it. */
int fsnsa__job_header_torn(const char *buf, size_t size);

/* What the header of an existing file says about continuing it. */
typedef struct {
    size_t records;  /* offset of the first record line */
    int crlf;        /* the header line ends in CR LF: so do appends */
    int adopt;       /* a format-1 file to be rewritten with h's header */
} fsnsa__job_header_found;

/* Read the header at the start of buf[0..size) (a file that is neither
 * empty nor torn) and compare it with this run's (v1 or h, as for
 * fsnsa__job_header_line): FSNSA_OK when the file may be continued (or,
 * with found->adopt, adopted), else FSNSA_ERR_FORMAT naming why not. */
fsnsa_status fsnsa__job_header_read(const char *path, const char *buf,
                                    size_t size, const char *v1,
                                    const fsnsa_job_header *h,
                                    fsnsa__job_header_found *found,
                                    fsnsa_error *err);

/* ---- run.c ---- */

/* base with a job's seed and the sweep's stop flag, without the caller's
 * epoch callback (jobs run on several threads at once). */
void fsnsa__job_options(const fsnsa_train_options *base, uint64_t seed,
                        const volatile int *stop, fsnsa_train_options *out);
/* Train one job with keep_going: a broken run (FSNSA_ERR_NUMERIC) is a
 * result, not an error. *broken says so; *loss is the final training loss
 * (fsnsa_net_loss of *net) or the NaN/inf an epoch's loss became. */
fsnsa_status fsnsa__sweep_train(const fsnsa_dataset *d,
                                const fsnsa_train_options *opt,
                                fsnsa_net **net, double *loss, int *broken,
                                fsnsa_error *err);
/* Whether a recorded training loss is a broken run's, by the rule
 * fsnsa_train applies, so that a result read back from a job file is
 * judged as when it was computed. */
int fsnsa__run_broken(double loss, double constant_loss,
                      const fsnsa_train_options *o);
/* Train on `train` (fsnsa__sweep_train) and score the net on train and,
 * when not NULL, test: one fsnsa_run. kept, when not NULL, gets train->p
 * flags: 1 for the columns the final net reads. */
fsnsa_status fsnsa__train_and_score(const fsnsa_dataset *train,
                                    const fsnsa_dataset *test,
                                    const fsnsa_train_options *opt,
                                    fsnsa_run *r, unsigned char *kept,
                                    fsnsa_error *err);

#endif

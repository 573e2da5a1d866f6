/* The experiment layer's internal header: what its files share beyond the
 * public experiment API (fsnsa_exp.h). Not part of the API.
 *
 * The files, in the order they depend on each other:
 *   keys.c        job keys: their hash and the seed each job draws from
 *   fingerprint.c a data set's SHA-256 fingerprint
 *   job_header.c  the job file's header line: format 1, format 2's fields,
 *                 the comparison with this run and adoption of format 1
 *   jobfile.c     the job file: open, lock, repair, index, append
 *   shard.c       which jobs a shard of a sweep runs (--shard I/N)
 *   sweep.c       the sweep runner: load known jobs, run the rest
 *   sweep_exec.c  a sweep run by another runner (fsnsa-mpi's ranks)
 *   merge.c       shards' job files merged into one
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

/* The longest job key a sweep writes, with its NUL. */
#define FSNSA__KEY_MAX 512

/* ---- shard.c ---- */

/* With o->n_shards > 1: *mine = malloc'ed n_jobs flags, 1 for the jobs of
 * shard o->shard; else *mine = NULL (every job). */
fsnsa_status fsnsa__shard_mine(const fsnsa_sweep *s,
                               const fsnsa_sweep_options *o,
                               unsigned char **mine, fsnsa_error *err);

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

/* Whether header lines a (of file pa) and b (no line ends) name the same
 * sweep: format 2 with equal compared fields (notes may differ: file
 * names, read options). FSNSA_ERR_FORMAT naming each difference. */
fsnsa_status fsnsa__job_header_same(const char *pa, const char *a, size_t la,
                                    const char *pb, const char *b, size_t lb,
                                    fsnsa_error *err);
/* The stored (escaped) value of compared field `name` of a format-2
 * header line: 1, or 0 when absent. */
int fsnsa__job_header_field(const char *s, size_t len, const char *name,
                            const char **value, size_t *value_len);

/* ---- sweep.c ---- */

/* A sweep in progress: what its threads (or an external runner) share;
 * changed only under its lock. */
struct fsnsa_sweep_exec {
    const fsnsa_sweep *s;
    const fsnsa_sweep_options *o;
    double *values;
    unsigned char *done;
    const unsigned char *mine; /* this shard's jobs, NULL = every job */
    size_t n_done, n_loaded;
    fsnsa_status first;  /* the error that stops the sweep */
    fsnsa_error first_err;
    int abort_all;
};

/* %.17g values, tab-separated (a job line's value text), and back: 0, or
 * -1 unless s is exactly n numbers (or, min > 0, at least min of them, the
 * rest NaN: lines of older job files). */
void fsnsa__sweep_format_values(const double *v, size_t n, char *buf,
                                size_t size);
int fsnsa__sweep_parse_values(const char *s, double *v, size_t n, size_t min);
/* Run job j into v and append it to `jobs` (if not NULL). */
fsnsa_status fsnsa__sweep_run_job(const fsnsa_sweep *s, fsnsa_jobfile *jobs,
                                  size_t j, double *v, fsnsa_error *err);
void fsnsa__sweep_progress(const fsnsa_sweep_exec *w);
/* Whether job j is to start now: not known, of this shard, nothing
 * failed, no stop asked, not skipped. */
int fsnsa__sweep_should_start(const fsnsa_sweep_exec *w, size_t j);
/* Keep job j's values v, or the error st that stops the sweep. */
void fsnsa__sweep_keep(fsnsa_sweep_exec *w, size_t j, const double *v,
                       fsnsa_status st, const fsnsa_error *e);

/* ---- jobfile.c ---- */

/* The record lines of a job file's text buf[pos..size) (pos: after the
 * header), each handed to add (taking the malloc'ed "key\0value\0" rec,
 * value pointing into it; line: its 1-based line number). A damaged line
 * followed by intact ones is FSNSA_ERR_FORMAT; a damaged tail (a crash)
 * is skipped and *bad set to its offset (0 = none). */
fsnsa_status fsnsa__job_lines(const char *path, const char *buf, size_t size,
                              size_t pos, size_t *bad,
                              fsnsa_status (*add)(void *ctx, char *rec,
                                                  char *value, size_t line,
                                                  fsnsa_error *err),
                              void *ctx, fsnsa_error *err);
/* A record line "key TAB value TAB ~crc32" and its line end, malloc'ed
 * (NULL: out of memory); *len with the line end, *body without. */
char *fsnsa__job_line_format(const char *key, const char *value, int crlf,
                             size_t *len, size_t *body);
/* A job index without a file (fsnsa_jobfile_close frees it), its records
 * added as fsnsa__job_lines gives them (the first of a key is kept), and
 * record i of fsnsa_jobfile_count in the order added. */
fsnsa_status fsnsa__jobfile_memory(const char *name, fsnsa_jobfile **out,
                                   fsnsa_error *err);
fsnsa_status fsnsa__jobfile_add(fsnsa_jobfile *jf, char *rec, char *value,
                                fsnsa_error *err);
void fsnsa__jobfile_record(const fsnsa_jobfile *jf, size_t i,
                           const char **key, const char **value);
/* The whole file, read-only, NUL-terminated. */
fsnsa_status fsnsa__jobfile_slurp(const char *path, char **buf, size_t *size,
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
/* Regression: shallow views of train and test (NULL: none) whose
 * targets are standardized by the training rows' mean and sd
 * (fsnsa__target_moments), as fsnsa_model_fit trains; v->buf holds them
 * (free it, also after an error), v->sd is the training rows' sd. */
typedef struct {
    fsnsa_dataset train, test;
    float *buf;
    double sd;
} fsnsa__target_views;
fsnsa_status fsnsa__standardized_targets(const fsnsa_dataset *train,
                                         const fsnsa_dataset *test,
                                         fsnsa__target_views *v,
                                         fsnsa_error *err);
/* The constant_loss fsnsa__run_broken compares with, for runs of `task`
 * on train: fsnsa_constant_loss of the labels, or the mean squared error
 * of the mean on the standardized target (1; 0 for a constant target),
 * the figure fsnsa_train's report compares. */
fsnsa_status fsnsa__sweep_constant_loss(const fsnsa_dataset *train,
                                        fsnsa_task task, double *loss,
                                        fsnsa_error *err);
/* Train on `train` (fsnsa__sweep_train) and score the net on train and,
 * when not NULL, test: one fsnsa_run, AUC and accuracy for
 * classification, R^2 and RMSE (target units) for regression (opt->task;
 * trained on the standardized target). kept, when not NULL, gets
 * train->p flags: 1 for the columns the final net reads. */
fsnsa_status fsnsa__train_and_score(const fsnsa_dataset *train,
                                    const fsnsa_dataset *test,
                                    const fsnsa_train_options *opt,
                                    fsnsa_run *r, unsigned char *kept,
                                    fsnsa_error *err);

#endif

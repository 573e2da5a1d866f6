/*
 * fsnsa experiments: the machinery of the paper's studies on top of the
 * core API (fsnsa.h). A program that only trains and predicts does not
 * need this header. docs/experiments.md describes the protocols, the job
 * keys and the result columns.
 *
 *   Job files   a resumable, append-only file of finished jobs' results
 *   Sweeps      a list of independent jobs run on several threads
 *   Restarts    R trainings of one net from different seeds (Figs. 1, 3, 5, 7)
 *   Hit time    initializations needed to reach a train AUC (Figure 4)
 *   Grid        grid search with repeated cross-validation (Table 2)
 *
 * A sweep is a list of independent jobs, each named by a stable key (e.g.
 * "seed=17" or "cv/dense/h64/l2=0.001/b32/r3/f2"). A finished job's result
 * is appended to a job file as one complete line; rerunning the same sweep
 * skips the keys already there, so an interrupted sweep loses and repeats
 * nothing. Every job's seed is a function of its key, never of
 * scheduling, so the results are the same for any thread count.
 *
 * The conventions of fsnsa.h hold here too: every fallible call returns an
 * fsnsa_status and fills an optional fsnsa_error; each options struct has
 * a *_default() function, the one place its defaults (the bracketed
 * values below) are set; results come from explicit seeds.
 */
#ifndef FSNSA_EXP_H
#define FSNSA_EXP_H

#include "fsnsa.h"

#ifdef __cplusplus
extern "C" {
#endif

FSNSA_API_BEGIN

/* ------------------------------------------------------------------ */
/* Job files                                                           */
/* ------------------------------------------------------------------ */
/* A results file: a header line naming the sweep, then one line per job:
 *   key TAB value TAB ... TAB ~crc32hex NEWLINE
 * (a file whose lines end in CR LF, copied through Windows, reads the same
 * and is appended to with CR LF).
 * Lines are appended with one write() and fsync'd. A last line that is
 * incomplete or fails its checksum (kill -9, power loss) is cut off on
 * open; damage before the last line is an error. The file is locked
 * (fcntl) while open, so two processes cannot append to it at once. */
typedef struct fsnsa_jobfile fsnsa_jobfile;

/* Open or create `path` with a format-1 header: `header` (one line, no
 * newline) describes the sweep; an existing file with a different header
 * is refused with FSNSA_ERR_FORMAT, so results of different sweeps never
 * mix. The header is all that is compared: put a fingerprint of the data
 * in it (fsnsa_dataset_fingerprint), or use fsnsa_jobfile_open_fields. */
fsnsa_status fsnsa_jobfile_open(const char *path, const char *header,
                                fsnsa_jobfile **out, fsnsa_error *err);

/* Job file format 2, the fsnsa command's: the header is a list of
 * name=value fields (docs/experiments.md, "Job files"). An existing file
 * is continued only when each compared field equals this run's; notes
 * (file names, how the data was read, its size) are recorded to explain a
 * refusal and are never compared, so a renamed copy of the same data
 * continues its file. The refusal names every field that differs. */
typedef struct {
    const char *name;      /* lower-case letters, digits and '-' */
    const char *value;     /* any text; tab, CR, LF, '\' are stored escaped */
    int note;              /* 1: recorded, not compared */
    const char *if_absent; /* compared fields: the value that a file written
                              before this field existed had implicitly, or
                              NULL (such a file then differs) */
} fsnsa_job_field;

typedef struct {
    const fsnsa_job_field *fields;
    size_t n_fields;
    /* Format 1 (a header of one free-text line, fsnsa_jobfile_open):
     * a format-1 file whose text equals legacy_header is refused, its
     * message ending with adopt_how ("rerun with --adopt-results"), or,
     * with adopt_legacy, is rewritten atomically with this header and
     * continued. Other format-1 files are refused. */
    const char *legacy_header; /* may be NULL */
    int adopt_legacy;
    const char *adopt_how;     /* may be NULL */
} fsnsa_job_header;

/* Open or create `path` with a format-2 header of h's fields: what the
 * fsnsa command uses, so that a refusal can say which setting differs. */
fsnsa_status fsnsa_jobfile_open_fields(const char *path,
                                       const fsnsa_job_header *h,
                                       fsnsa_jobfile **out, fsnsa_error *err);
/* 1 when fsnsa_jobfile_open_fields adopted a format-1 file. */
int fsnsa_jobfile_adopted(const fsnsa_jobfile *jf);
/* Number of job lines in the file. */
size_t fsnsa_jobfile_count(const fsnsa_jobfile *jf);
/* Bytes of a torn last line removed when the file was opened. */
size_t fsnsa_jobfile_repaired(const fsnsa_jobfile *jf);
/* The stored value text of `key` (tab-separated fields, no checksum), or
 * NULL: how a sweep finds the jobs already done. Valid until the file is
 * closed. Not safe against a concurrent append on the same object. */
const char *fsnsa_jobfile_find(const fsnsa_jobfile *jf, const char *key);
/* Append one finished job's line. Thread-safe on one object. key and
 * value must not contain newlines; the key must not contain tabs. */
fsnsa_status fsnsa_jobfile_append(fsnsa_jobfile *jf, const char *key,
                                  const char *value, fsnsa_error *err);
/* Sync appended lines at most every `seconds` instead of after each one
 * (0, the default: after each). Every line is still one write(), so a
 * killed process loses none; a machine that crashes loses the lines of
 * the last `seconds`, which a rerun computes again. One fdatasync per
 * line caps a writer at a few hundred lines per second on a local disk
 * (fsnsa-mpi's manager, docs/distributed.md). */
void fsnsa_jobfile_sync_every(fsnsa_jobfile *jf, double seconds);
/* Sync the lines appended since the last sync, if any. */
fsnsa_status fsnsa_jobfile_sync(fsnsa_jobfile *jf, fsnsa_error *err);
/* Close the file (syncing deferred lines) and release its lock; NULL is
 * ignored. */
void fsnsa_jobfile_close(fsnsa_jobfile *jf);

/* What fsnsa_jobfile_merge did. */
typedef struct {
    size_t files;      /* files read */
    size_t jobs;       /* job lines written, each key once */
    size_t duplicates; /* lines of a key already taken that agree with it
                          (in every value but the seconds a job took) */
    size_t conflicts;  /* keys with lines that disagree: nothing written */
    size_t torn;       /* torn last lines left out (a killed shard) */
} fsnsa_merge_report;

/* Merge the job files paths[0..n) of one sweep (shards, --shard I/N) into
 * `out`, written atomically: the first file's header, then every job
 * once, in the order first met. Files whose headers differ in a compared
 * field (another sweep, data or setting) are refused, naming the
 * difference; a key whose lines disagree in any value but its seconds is
 * a conflict: FSNSA_ERR_FORMAT naming the first, *rep counting all, and
 * nothing written. `out` may be one of the inputs. */
fsnsa_status fsnsa_jobfile_merge(const char *const *paths, size_t n,
                                 const char *out, fsnsa_merge_report *rep,
                                 fsnsa_error *err);

/* A data set's fingerprint, 64 hex digits of SHA-256 (libmd) over what
 * training reads: the row, column and class counts, the encoded matrix
 * (float32 bits, every NaN as 0x7fc00000), the labels and, for a
 * regression data set, the targets (float32 bits), in the byte layout of
 * docs/experiments.md. Independent of file name, format, compression,
 * line endings and column names. It names the data in a job
 * file's header, so that results are never continued on other data. */
#define FSNSA_FINGERPRINT_SIZE 65
void fsnsa_dataset_fingerprint(const fsnsa_dataset *d,
                               char out[FSNSA_FINGERPRINT_SIZE]);

/* ------------------------------------------------------------------ */
/* Sweeps                                                              */
/* ------------------------------------------------------------------ */

/* 64-bit seed derived from a base seed and a job key (splitmix64 over a
 * FNV-1a hash): the same key always gets the same seed, whichever thread
 * runs the job and whenever. */
uint64_t fsnsa_key_seed(uint64_t base, const char *key);

/* Called (serialized) after every job: done counts jobs finished in this
 * run plus those found in the file; `loaded` of them came from the file. */
typedef void (*fsnsa_progress_fn)(void *ctx, size_t done, size_t loaded,
                                  size_t total);

/* A sweep in progress, as an external runner sees it (below). */
typedef struct fsnsa_sweep_exec fsnsa_sweep_exec;

/* How a sweep runs; every experiment's options hold one. */
typedef struct {
    int threads;                /* OpenMP threads running jobs [1] */
    fsnsa_jobfile *jobs;        /* resume/append file [NULL: none] */
    fsnsa_progress_fn progress; /* [NULL] */
    void *progress_ctx;
    const volatile int *stop;   /* set non-zero to stop (signal) [NULL] */
    /* Run only the jobs of shard `shard` of n_shards (fsnsa_shard_of of
     * their keys), for separate processes that share no job file (job
     * arrays); the other shards' jobs are left to them. With jobs missing
     * at the end the sweep returns FSNSA_ERR_INTERRUPTED, "shard ... done"
     * [0 of 0: every job] */
    size_t shard, n_shards;
    /* Runs the jobs instead of the threads, e.g. over MPI ranks (the
     * fsnsa-mpi command); NULL: o->threads threads [NULL] */
    fsnsa_status (*runner)(void *ctx, struct fsnsa_sweep_exec *x,
                           fsnsa_error *err);
    void *runner_ctx;
} fsnsa_sweep_options;

/* The shard (0 .. n_shards-1) that job `key` belongs to: a hash of the
 * key alone, so every process of a sharded sweep agrees on it whatever
 * its options' counts (R, repeats) and the order of the jobs. */
size_t fsnsa_shard_of(const char *key, size_t n_shards);

void fsnsa_sweep_options_default(fsnsa_sweep_options *o);

/* A generic sweep: n_jobs jobs, each producing n_values doubles. */
typedef struct {
    size_t n_jobs, n_values;
    /* Write job i's key into buf (size bytes); return 0, or -1 if it does
     * not fit. */
    int (*key)(void *ctx, size_t job, char *buf, size_t size);
    /* Run job i (called from several threads at once). */
    fsnsa_status (*run)(void *ctx, size_t job, double *values,
                        fsnsa_error *err);
    /* Optional, called under the sweep's lock before job i starts: return
     * non-zero to leave it out (early stopping). done[j] != 0 marks the
     * jobs whose values[j * n_values ...] are known. */
    int (*skip)(void *ctx, size_t job, const unsigned char *done,
                const double *values);
    void *ctx;
    /* Optional: job i's cost, in any unit (an external runner hands out
     * the costliest jobs first, so that a long one does not start last);
     * NULL: equal costs, jobs in order. */
    double (*cost)(void *ctx, size_t job);
    /* A job line read back may hold fewer values, down to this many (0:
     * exactly n_values): a sweep that has come to record more keeps the
     * lines of files written before; the missing values read as NaN. */
    size_t n_values_min;
} fsnsa_sweep;

/* Run (or load from o->jobs) every job not skipped. values: n_jobs *
 * n_values, done: n_jobs flags (1 = values known). On a stop request
 * returns FSNSA_ERR_INTERRUPTED after the running jobs end; finished jobs
 * are in the file. */
fsnsa_status fsnsa_sweep_run(const fsnsa_sweep *s, const fsnsa_sweep_options *o,
                             double *values, unsigned char *done,
                             fsnsa_error *err);

/* An external runner (fsnsa_sweep_options.runner) is called by
 * fsnsa_sweep_run on every process of a distributed sweep, after the
 * known jobs are loaded; it decides where each job runs with these. Not
 * thread-safe: one thread of the runner calls them. */
size_t fsnsa_sweep_exec_jobs(const fsnsa_sweep_exec *x);
/* Whether job j is to start now: not known, of this shard, not skipped
 * (early stopping), nothing failed and no stop asked. */
int fsnsa_sweep_exec_startable(const fsnsa_sweep_exec *x, size_t j);
/* The sweep's cost estimate of job j, 0 without one. */
double fsnsa_sweep_exec_cost(const fsnsa_sweep_exec *x, size_t j);
/* Job j's key, into buf: 0, or -1 if it does not fit. */
int fsnsa_sweep_exec_key(const fsnsa_sweep_exec *x, size_t j, char *buf,
                         size_t size);
/* Run job j here (a worker) without keeping it: its value text (as a job
 * line holds it, malloc'ed) in *line. */
fsnsa_status fsnsa_sweep_exec_run(fsnsa_sweep_exec *x, size_t j, char **line,
                                  fsnsa_error *err);
/* Keep job j's result computed elsewhere (the manager): key must be job
 * j's and line n_values numbers, else FSNSA_ERR_FORMAT and nothing kept;
 * appended to the job file like a job run here. */
fsnsa_status fsnsa_sweep_exec_keep(fsnsa_sweep_exec *x, size_t j,
                                   const char *key, const char *line,
                                   fsnsa_error *err);
/* A job failed (or the runner): no job starts any more, and the sweep
 * returns st (the first error but an interruption). */
void fsnsa_sweep_exec_fail(fsnsa_sweep_exec *x, fsnsa_status st,
                           const fsnsa_error *e);
/* What every process must agree on when the runner returns (the manager
 * sends it to the workers): the known flags and values, and the error. */
void fsnsa_sweep_exec_state(fsnsa_sweep_exec *x, unsigned char **done,
                            double **values, size_t *n_values,
                            fsnsa_status **first, fsnsa_error **first_err);

/* ------------------------------------------------------------------ */
/* Restarts (Figures 1, 3, 5, 7)                                       */
/* ------------------------------------------------------------------ */
/* R trainings of one network on the same data, seeds seed0 .. seed0+R-1,
 * one job "seed=S" each: how many distinct minima random initializations
 * find, and how far apart. */

/* One training run's outcome (one restart). Loss is the final mean training
 * cross-entropy without the L2 term (regression: the mean squared error
 * on the target standardized on the training rows; NaN or inf when an
 * epoch's loss became so); AUC is macro one-vs-rest for more than two
 * classes. Test fields are NaN without a test set. A sweep trains with
 * keep_going: a broken run (fsnsa_loss_worse_than_constant of its loss:
 * worse than predicting the class frequencies, or for regression the
 * training mean, or not finite) is a result with broken = 1, its metrics
 * those of the network fsnsa_train handed back, and never counts as a
 * good one (docs/experiments.md). */
typedef struct {
    uint64_t seed;
    double loss, train_auc, test_auc, train_acc, test_acc;
    double seconds;
    size_t hidden, features, weights;
    int broken;
    /* the options' task; for regression the AUC and accuracy fields are
     * NaN and these hold R^2 and the RMSE (in the target's units) of the
     * final net, the loss being the mean squared error on the target
     * standardized on the training rows; NaN for classification */
    fsnsa_task task;
    double train_r2, test_r2, train_rmse, test_rmse;
} fsnsa_run;

typedef struct {
    /* fsnsa_train_options_default with method dense: the paper's
     * restarts study dense nets, and hidden 0 gives them the automatic 64
     * nodes. train.seed is replaced per run. train.task regression
     * needs data with targets (read with task regression; the test set
     * too) and scores the runs by R^2 and RMSE. */
    fsnsa_train_options train;
    size_t restarts;           /* R [10] */
    uint64_t seed0;            /* [1] */
    double tolerance;          /* distinct minima: losses further apart
                                  than this [1e-3] */
    fsnsa_sweep_options sweep;
} fsnsa_restarts_options;

void fsnsa_restarts_options_default(fsnsa_restarts_options *o);

/* The summaries (distinct, spread, means) are over the runs that are not
 * broken, NaN when every run is. */
typedef struct {
    size_t n;            /* runs, R */
    fsnsa_run *runs;     /* sorted by loss, ascending (ties: by seed); the
                            broken runs last (NaN losses at the end) */
    size_t distinct;     /* clusters of losses with gaps > tolerance */
    double spread;       /* worst loss - best loss */
    double mean_loss, mean_train_auc, mean_test_auc;
    double mean_train_acc, mean_test_acc;
    size_t broken;       /* runs with broken = 1 */
    double constant_loss;/* fsnsa_constant_loss of the training labels;
                            regression: the mean's squared error on the
                            standardized target (1) */
    /* The columns each run's final net reads: kept[i * p + j] is 1 when
     * runs[i] kept column j; kept_known[i] is 0 for a run read from a job
     * line written before the kept columns were recorded (its kept row is
     * then all 0). */
    size_t p;
    unsigned char *kept, *kept_known;
    /* train.task; regression: the means of the runs' R^2 and RMSE (the
     * AUC and accuracy means are then NaN, and these NaN for
     * classification) */
    fsnsa_task task;
    double mean_train_r2, mean_test_r2, mean_train_rmse, mean_test_rmse;
} fsnsa_restarts_result;

/* Run the restarts on train, scoring test too when not NULL; *out owns
 * its runs until fsnsa_restarts_result_clear. */
fsnsa_status fsnsa_restarts(const fsnsa_dataset *train,
                            const fsnsa_dataset *test,
                            const fsnsa_restarts_options *o,
                            fsnsa_restarts_result *out, fsnsa_error *err);
void fsnsa_restarts_result_clear(fsnsa_restarts_result *r);

/* ------------------------------------------------------------------ */
/* Hit time (Figure 4)                                                 */
/* ------------------------------------------------------------------ */
/* For each p, train on the first p columns with seeds seed0, seed0+1, ...
 * (one job "p=P/seed=S" each) and count a hit when the train AUC
 * (train.task regression: the train R^2) reaches `threshold`. Runs are
 * taken in seed order and stop once `target_hits` hits are seen or R runs
 * are made; the estimate is runs/hits (unbiased
 * for the mean number of initializations to the first hit under this
 * inverse sampling), with a 95% interval from the Wilson score interval
 * of the hit probability, inverted. No hit: censored, "> R". */
typedef struct {
    /* fsnsa_train_options_default with method dense and hidden 20: the
     * nets of the paper's Figure 4. train.seed is replaced per run. */
    fsnsa_train_options train;
    const size_t *p;           /* dimensions to try, ascending [none] */
    size_t n_p;
    size_t max_runs;           /* R [200] */
    size_t target_hits;        /* stop a p after this many hits [10] */
    double threshold;          /* train AUC (regression: R^2) for a hit
                                  [0.95] */
    uint64_t seed0;            /* [1] */
    int stop_censored;         /* skip p's after one with no hit [1] */
    fsnsa_sweep_options sweep;
} fsnsa_hittime_options;

void fsnsa_hittime_options_default(fsnsa_hittime_options *o);

typedef struct {
    size_t p;
    int status;          /* 0 estimated, 1 censored (> runs), 2 skipped */
    size_t runs, hits;
    double hit_time;     /* runs / hits; INFINITY when censored */
    double lo, hi;       /* 95% interval (hi = INFINITY when no hit) */
    /* over the runs that are not broken (NaN if none) */
    double mean_train_auc, best_train_auc;
    size_t broken;       /* of the runs: broken, never a hit */
    /* train.task; regression: a hit is a train R^2 >= threshold, and
     * these are the runs' mean and best train R^2 (the AUC fields NaN;
     * these NaN for classification) */
    fsnsa_task task;
    double mean_train_r2, best_train_r2;
} fsnsa_hittime_point;

/* Estimate the hit time of every o->p[i] into out[i] (n_p points). */
fsnsa_status fsnsa_hittime(const fsnsa_dataset *train,
                           const fsnsa_hittime_options *o,
                           fsnsa_hittime_point *out, fsnsa_error *err);

/* ------------------------------------------------------------------ */
/* Grid search (Section 4.2, Table 2)                                  */
/* ------------------------------------------------------------------ */
/* Split the data 4:1 (stratified) into training and test rows; on the
 * training rows cross-validate every setting of the grid (dense: hidden x
 * L2 x batch; FSA+NSA: target sizes x L2 x batch) over repeated
 * stratified folds; retrain the best setting of each method, and a dense
 * net with about as many weights as the best FSA+NSA one, on all training
 * rows and score the test rows: Table 2's three columns.
 *
 * Regression (data with targets, o->train.task regression): the split and
 * the folds are seeded shuffles instead (no classes to stratify by), every
 * job trains on its training rows' target standardized on those rows, the
 * setting with the highest mean CV R^2 wins, and the retrainings report
 * test R^2, RMSE and MAE in the target's units (docs/experiments.md). */

/* An FSA+NSA target: k features and h nodes. */
typedef struct {
    size_t k, h;
} fsnsa_size;

/* Each grid is a pointer and a count; the defaults point at the library's
 * own tables, the paper's grids: hidden {16, 32, 64, 128, 256, 512}, L2
 * {1e-4, 1e-3, 1e-2, 1e-1}, batch {16, 32, 64}. */
typedef struct {
    /* fsnsa_train_options_default: epochs, lr, mu, start_hidden, ... of
     * every training; its method, hidden, features, batch and
     * weight_decay are replaced by each setting's. */
    fsnsa_train_options train;
    fsnsa_scale scale;         /* fitted on each training part [standard] */
    /* NaN values: refused [refuse], or imputed by each training part's
     * column means (mean) or 0 (zero), never by the rows a part is scored
     * on */
    fsnsa_missing missing;
    double test_fraction;      /* held-out test share [0.2] */
    uint64_t split_seed;       /* [0] */
    size_t folds, repeats;     /* [5, 10] */
    const size_t *hidden; size_t n_hidden;   /* dense grid */
    const double *l2; size_t n_l2;
    const size_t *batch; size_t n_batch;
    int dense, fsa_nsa;        /* which methods [1, 1] */
    /* FSA+NSA targets [NULL: fsnsa_grid_default_sizes of the data] */
    const fsnsa_size *sizes; size_t n_sizes;
    size_t retrains;           /* final trainings per method [10] */
    uint64_t seed;             /* base of every job's seed [1] */
    fsnsa_sweep_options sweep;
} fsnsa_grid_options;

void fsnsa_grid_options_default(fsnsa_grid_options *o);

/* The FSA+NSA targets searched when sizes is NULL, for data of p encoded
 * columns (docs/experiments.md): k in {ceil(p/4), ceil(p/2)} x h in
 * {8, 32}, k ascending, then h; two targets when both k are equal.
 * Returns how many it wrote to out. */
#define FSNSA_GRID_DEFAULT_SIZES 4
size_t fsnsa_grid_default_sizes(size_t p,
                                fsnsa_size out[FSNSA_GRID_DEFAULT_SIZES]);

/* One setting of the grid and its cross-validated accuracy. */
typedef struct {
    fsnsa_method method;
    size_t hidden, features;   /* features 0 = all (dense) */
    double l2;
    size_t batch;
    /* over folds x repeats, leaving out the folds whose training broke
     * (NaN if all did) */
    double cv_acc, cv_acc_std, cv_loss;
    size_t cv_broken;          /* folds whose training broke */
    /* Regression, over the same folds: validation R^2 (mean, sample sd)
     * and mean squared error in the target's units; cv_acc, cv_acc_std
     * and cv_loss are then NaN, as these are for classification. */
    double cv_r2, cv_r2_std, cv_mse;
} fsnsa_grid_setting;

/* The final retrainings of one setting (a column of Table 2). Means and
 * deviations over the retrainings that are not broken (NaN if none). */
typedef struct {
    fsnsa_grid_setting setting;
    size_t n;                  /* retrains */
    double acc_mean, acc_std;  /* test accuracy after the last epoch */
    double peek_mean, peek_std;/* best test accuracy over epochs (peeks) */
    double weights;            /* mean weight count (W + beta) */
    size_t hidden, features;   /* of the final nets (first retrain) */
    size_t broken;             /* retrainings that broke */
    /* Regression: test R^2, RMSE and MAE (the target's units) after the
     * last epoch, and the best test R^2 over the epochs (peeks); the
     * accuracies above are then NaN, these for classification. */
    double r2_mean, r2_std, rmse_mean, rmse_std, mae_mean, mae_std;
    double peek_r2_mean, peek_r2_std;
} fsnsa_grid_final;

typedef struct {
    size_t n_settings;
    fsnsa_grid_setting *settings; /* every setting, in grid order */
    int have_dense, have_fsa;
    fsnsa_grid_final best_dense, equivalent, best_fsa;
    size_t n_train, n_test, p, n_classes;
    fsnsa_task task;              /* o->train.task; n_classes 0 for regression */
} fsnsa_grid_result;

/* The rows the grid uses, exposed so that they can be checked: test rows
 * and training rows (indices into `all`, ascending, from the stratified
 * split; regression: a shuffle seeded by split_seed), and for repeat r the
 * fold of training row i (stratified; regression: a shuffle seeded by
 * seed and r dealt into folds of sizes differing by at most one) in
 * folds[r * all->n + i] (0 <= fold < o->folds; i < *n_train). Validation
 * rows of fold f are the training rows with fold f; the model of that fold
 * trains on the other training rows. Buffers: n each; folds repeats * n. */
fsnsa_status fsnsa_grid_plan(const fsnsa_dataset *all,
                             const fsnsa_grid_options *o, size_t *train_idx,
                             size_t *n_train, size_t *test_idx, size_t *n_test,
                             size_t *folds, fsnsa_error *err);

/* Run the grid search on `all` (labeled); *out owns its settings until
 * fsnsa_grid_result_clear. */
fsnsa_status fsnsa_grid(const fsnsa_dataset *all, const fsnsa_grid_options *o,
                        fsnsa_grid_result *out, fsnsa_error *err);
void fsnsa_grid_result_clear(fsnsa_grid_result *r);

FSNSA_API_END

#ifdef __cplusplus
}
#endif
#endif /* FSNSA_EXP_H */

/* Shared by the experiment subcommands (restarts, hittime, grid): data from
 * a file or from the XOR pools, training options, threads, results file,
 * progress line. */
#ifndef FSNSA_CLI_EXP_COMMON_H
#define FSNSA_CLI_EXP_COMMON_H

#include <getopt.h>

#include "common.h"
#include "fsnsa_exp.h"

enum {
    EXP_OPT_XOR = 1100,
    EXP_OPT_N,
    EXP_OPT_P,
    EXP_OPT_TEST_N,
    EXP_OPT_DATA_SEED,
    EXP_OPT_TEST,
    EXP_OPT_TEST_FRACTION,
    EXP_OPT_SPLIT_SEED,
    EXP_OPT_SCALE,
    EXP_OPT_METHOD,
    EXP_OPT_HIDDEN,
    EXP_OPT_START_HIDDEN,
    EXP_OPT_FEATURES,
    EXP_OPT_EPOCHS,
    EXP_OPT_MU,
    EXP_OPT_BATCH,
    EXP_OPT_LR,
    EXP_OPT_WEIGHT_DECAY,
    EXP_OPT_THREADS,
    EXP_OPT_RESULTS,
    EXP_OPT_PROGRESS,
    EXP_OPT_ADOPT_RESULTS,
    EXP_OPT_LAST /* first code free for a subcommand */
};

#define EXP_LONGOPTS                                                        \
    CLI_DATA_LONGOPTS,                                                      \
    {"xor", required_argument, NULL, EXP_OPT_XOR},                          \
    {"n", required_argument, NULL, EXP_OPT_N},                              \
    {"p", required_argument, NULL, EXP_OPT_P},                              \
    {"test-n", required_argument, NULL, EXP_OPT_TEST_N},                    \
    {"data-seed", required_argument, NULL, EXP_OPT_DATA_SEED},              \
    {"test", required_argument, NULL, EXP_OPT_TEST},                        \
    {"test-fraction", required_argument, NULL, EXP_OPT_TEST_FRACTION},      \
    {"split-seed", required_argument, NULL, EXP_OPT_SPLIT_SEED},            \
    {"scale", required_argument, NULL, EXP_OPT_SCALE},                      \
    {"method", required_argument, NULL, EXP_OPT_METHOD},                    \
    {"hidden", required_argument, NULL, EXP_OPT_HIDDEN},                    \
    {"start-hidden", required_argument, NULL, EXP_OPT_START_HIDDEN},        \
    {"features", required_argument, NULL, EXP_OPT_FEATURES},                \
    {"epochs", required_argument, NULL, EXP_OPT_EPOCHS},                    \
    {"mu", required_argument, NULL, EXP_OPT_MU},                            \
    {"batch", required_argument, NULL, EXP_OPT_BATCH},                      \
    {"lr", required_argument, NULL, EXP_OPT_LR},                            \
    {"weight-decay", required_argument, NULL, EXP_OPT_WEIGHT_DECAY},        \
    {"threads", required_argument, NULL, EXP_OPT_THREADS},                  \
    {"results", required_argument, NULL, EXP_OPT_RESULTS},                  \
    {"progress", required_argument, NULL, EXP_OPT_PROGRESS},                \
    {"adopt-results", no_argument, NULL, EXP_OPT_ADOPT_RESULTS},            \
    {"quiet", no_argument, NULL, 'q'},                                      \
    {"help", no_argument, NULL, 'h'}

typedef struct {
    /* data */
    const char *data;       /* file, or NULL with xor_k > 0 */
    size_t xor_k, n, p, test_n;
    uint64_t data_seed;
    const char *test;
    double test_fraction;
    uint64_t split_seed;
    int scale;              /* -1 = default: none for XOR, standard else */
    fsnsa_read_options read;
    int p_given;
    /* training */
    fsnsa_train_options train;
    int hidden_given, features_given, method_given;
    /* sweep */
    int threads;
    const char *results;
    int adopt_results;      /* continue a format-1 job file (no fingerprint) */
    int progress;           /* -1 auto (terminal), 0 off, 1 on */
    int quiet;
} exp_config;

void exp_config_default(exp_config *c, fsnsa_method method, size_t hidden);

/* Handle option c: 0 = handled, -1 = error printed (exit CLI_USAGE),
 * 1 = not a shared option. */
int exp_option(const char *cmd, int c, const char *arg, exp_config *cfg);

/* Help text of the shared options; with_file: 0 XOR only, 1 file with
 * --test/--test-fraction, 2 file read options only. */
void exp_data_help(FILE *f, int with_file);
void exp_train_help(FILE *f, const exp_config *defaults);
void exp_sweep_help(FILE *f);

/* The data sets as read (or generated), before any split, imputation or
 * scaling: what a job file's header records of them. */
typedef struct {
    char data_sha[FSNSA_FINGERPRINT_SIZE];
    char test_sha[FSNSA_FINGERPRINT_SIZE]; /* "" without a test file */
    size_t rows, columns, classes, test_rows;
} exp_data_id;

/* Load (and scale) the data: train, and test (may stay NULL); id gets
 * their fingerprints. Returns 0, or an exit code after printing. */
int exp_load(const char *cmd, const exp_config *cfg, fsnsa_dataset **train,
             fsnsa_dataset **test, exp_data_id *id);

/* The data and training part of the printed description, and of the
 * format-1 job-file header that fsnsa 0.1 wrote (for --adopt-results). */
void exp_describe(const exp_config *cfg, int with_training, char *buf,
                  size_t size);

/* A job file's header (format 2): the fields a job's results depend on,
 * compared when the file is reopened, and notes that explain a refusal
 * (docs/experiments.md). A new setting that changes the results is one
 * exp_header_add line; a new read option is one note in exp_header_data. */
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
/* Every training option of cfg->train. */
void exp_header_training(exp_header *h, const fsnsa_train_options *t);

/* Sweep options from cfg: threads, stop flag, progress line, results file
 * (opened with `header`; a format-1 file with `legacy_header` is adopted
 * with --adopt-results). Returns 0 or an exit code. */
typedef struct {
    const char *cmd;
    double t0, last;
    double sweep_t0;   /* start of the current sweep (grid runs two) */
    int on;
    size_t printed;
} exp_progress;

int exp_sweep_setup(const char *cmd, const exp_config *cfg,
                    const exp_header *header, const char *legacy_header,
                    fsnsa_sweep_options *so, fsnsa_jobfile **jf,
                    exp_progress *pr);
/* After the sweep: end the progress line, report an interruption. Returns
 * 0 when st is OK, else an exit code after printing. */
int exp_sweep_finish(const char *cmd, const exp_config *cfg, fsnsa_status st,
                     const fsnsa_error *err, fsnsa_jobfile *jf,
                     exp_progress *pr);

/* Parse "a,b,c" lists. Return 0 or -1 after printing. */
int exp_parse_sizes(const char *cmd, const char *name, const char *s,
                    size_t lo, size_t hi, size_t **out, size_t *n);
int exp_parse_doubles(const char *cmd, const char *name, const char *s,
                      double **out, size_t *n);

/* The experiment subcommands (registered in main.c). */
int cmd_restarts(int argc, char **argv);
int cmd_hittime(int argc, char **argv);
int cmd_grid(int argc, char **argv);

#endif

/* Shared by the fsnsa subcommands: exit codes, error printing, option
 * helpers, data-reading options, atomic output files, metrics, and the
 * train pipeline. */
#ifndef FSNSA_CLI_COMMON_H
#define FSNSA_CLI_COMMON_H

#include <stdio.h>

#include "fsnsa.h"
#include "options.h"

/* Exit codes: documented in docs/cli.md. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/* "fsnsa CMD: message" on stderr. */
void cli_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);
/* A library error: its message already names file:line:column. */
void cli_lib_error(const char *cmd, fsnsa_status st, const fsnsa_error *err);
/* A usage error, followed by a hint to run --help; returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);

/* getopt_long returned '?' or ':' (optstring starts with ':'): report the
 * unknown option or missing argument and return CLI_USAGE. */
int cli_getopt_error(const char *cmd, int c, char *const *argv);
/* The same, and a long-option prefix that matches several of longopts is
 * reported as ambiguous, naming them. */
struct option;
int cli_getopt_error_long(const char *cmd, int c, char *const *argv,
                          const struct option *longopts);

/* Parse an option value; on error print "fsnsa CMD: --NAME: ..." and
 * return -1. */
int cli_opt_int(const char *cmd, const char *name, const char *s,
                long long lo, long long hi, long long *out);
int cli_opt_size(const char *cmd, const char *name, const char *s, size_t lo,
                 size_t hi, size_t *out);
int cli_opt_u64(const char *cmd, const char *name, const char *s,
                uint64_t *out);
int cli_opt_double(const char *cmd, const char *name, const char *s,
                   double lo, int lo_open, double hi, int hi_open,
                   double *out);
int cli_opt_choice(const char *cmd, const char *name, const char *s,
                   const char *const *names, int *out);

/* Long-option codes shared by train and predict (above any char). */
enum {
    CLI_OPT_FORMAT = 1000,
    CLI_OPT_DELIMITER,
    CLI_OPT_DECIMAL,
    CLI_OPT_HEADER,
    CLI_OPT_LABEL_COLUMN,
    CLI_OPT_LABELS_FILE,
    CLI_OPT_MISSING,
    CLI_OPT_NA_VALUES,
    CLI_OPT_IGNORE_COLUMNS,
    CLI_OPT_DATA_LAST /* first code free for a subcommand */
};

#define CLI_DATA_LONGOPTS                                                 \
    {"format", required_argument, NULL, CLI_OPT_FORMAT},                  \
    {"delimiter", required_argument, NULL, CLI_OPT_DELIMITER},            \
    {"decimal", required_argument, NULL, CLI_OPT_DECIMAL},                \
    {"header", required_argument, NULL, CLI_OPT_HEADER},                  \
    {"label-column", required_argument, NULL, CLI_OPT_LABEL_COLUMN},      \
    {"labels-file", required_argument, NULL, CLI_OPT_LABELS_FILE},        \
    {"missing", required_argument, NULL, CLI_OPT_MISSING},                \
    {"na-values", required_argument, NULL, CLI_OPT_NA_VALUES},            \
    {"ignore-columns", required_argument, NULL, CLI_OPT_IGNORE_COLUMNS}

/* Handle one data option into ro; returns 0 if c is a data option that
 * parsed, -1 after printing an error, 1 if c is not a data option. The
 * strings ro keeps point into argv. */
int cli_data_option(const char *cmd, int c, const char *arg,
                    fsnsa_read_options *ro);
/* The help lines of the data options. */
void cli_data_help(FILE *f, const char *missing_default);
/* The reader's warnings go to stderr as "fsnsa CMD: warning: ...", unless
 * quiet. */
void cli_data_warnings(const char *cmd, fsnsa_read_options *ro, int quiet);

/* An output file (fsnsa_outfile: atomic for a regular file, in place for
 * a device or FIFO, through symlinks), or stdout when path is NULL or "-".
 * Nothing appears at PATH until commit; abort leaves it as it was. */
typedef struct {
    FILE *f;
    const char *path;
    fsnsa_outfile *file; /* NULL for stdout */
} cli_out;

int cli_out_open(const char *cmd, const char *path, cli_out *o);
/* Flush, fsync and put the file in place; on failure the message is
 * printed and nothing at PATH changes. Returns 0 or -1. */
int cli_out_commit(const char *cmd, cli_out *o);
void cli_out_abort(cli_out *o);
/* Before any work: whether `path` can be written as `use` says
 * (fsnsa_output_check). NULL and "-" (stdout) pass. Returns 0, or -1
 * after printing a message naming the path and the reason. */
int cli_output_check(const char *cmd, const char *path,
                     fsnsa_output_use use);
/* Whether writing `out` would replace the existing file `in` (same name
 * or same inode); NULL never matches, nor does an `out` that is a device
 * or FIFO (written in place, not replaced). */
int cli_same_file(const char *out, const char *in);

/* Names of the encoded columns, derived from a schema: a numeric column
 * keeps its name, a nominal one becomes "name=value" per value. Returns
 * schema->p malloc'ed strings (free with cli_free_names) or NULL. */
char **cli_encoded_names(const fsnsa_schema *s);
/* A feature or class name as one field of a line of text or TSV: control
 * characters (a CSV or ARFF value may hold a line break or a tab) are
 * written escaped, \n \r \t or \xNN. */
void cli_put_name(FILE *f, const char *s);
void cli_free_names(char **names, size_t n);

/* The data options that read as ro does, each as " --name VALUE" (those
 * that do not apply to ro's format left out), on f (cli/data_settings.c). */
void cli_put_read_options(FILE *f, const fsnsa_read_options *ro);

/* Class probabilities of net on d (n x n_classes), malloc'ed; NULL after
 * printing an error. */
float *cli_predict(const char *cmd, const fsnsa_net *net,
                   const fsnsa_dataset *d);

/* Loss (fsnsa_net_loss: from logits, the figure a model file stores),
 * accuracy and AUC of net's probabilities prob on d against d's labels. */
typedef struct {
    double loss, accuracy, auc;
} cli_metrics;
/* -1 after an error (printed, prefixed with cmd). */
int cli_metrics_compute(const char *cmd, const fsnsa_net *net,
                        const fsnsa_dataset *d, const float *prob,
                        cli_metrics *m);

/* Seconds since an arbitrary start, monotonic. */
double cli_now(void);

/* SIGINT/SIGTERM set *cli_stop_flag() instead of killing the process, so
 * training can stop cleanly and leave no half-written output. */
void cli_install_stop_handler(void);
const volatile int *cli_stop_flag(void);

/* Everything `fsnsa train` was asked to do. */
typedef struct {
    const char *data;        /* training file */
    const char *model;       /* output model path */
    const char *test;        /* separate test file, or NULL */
    double test_fraction;    /* 0 = no split */
    uint64_t split_seed;
    const char *init;        /* warm-start model, or NULL */
    const char *path;        /* selection path TSV, or NULL */
    fsnsa_read_options read;
    fsnsa_scale scale;
    fsnsa_train_options train;
    int method_given;        /* these were on the command line: */
    int hidden_given;        /* with --init, the others default to the */
    int features_given;      /* init model's own */
    int start_hidden_given;  /* with --init: refused unless they agree */
    int scale_given;         /* with the init model */
    int quiet;
    int verbose;
} cli_train_config;

/* --scale's names, in the order of fsnsa_scale, NULL-terminated. */
extern const char *const cli_scale_names[];

/* Read, split, scale, train, evaluate, save. Returns an exit code. */
int cli_train_pipeline(const char *cmd, const cli_train_config *cfg);

/* Subcommands: argv[0] is the subcommand name. */
int cmd_xor(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_schedule(int argc, char **argv);

#endif

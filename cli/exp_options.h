/* The options restarts, hittime and grid share: the data (a file or the
 * XOR pools), the training options, and how the sweep runs (threads,
 * results file, progress line). */
#ifndef FSNSA_CLI_EXP_OPTIONS_H
#define FSNSA_CLI_EXP_OPTIONS_H

#include <getopt.h>
#include <stdio.h>

#include "data_options.h"
#include "fsnsa.h"
#include "train_options.h"

enum {
    EXP_OPT_XOR = CLI_OPT_TRAIN_LAST,
    EXP_OPT_N,
    EXP_OPT_P,
    EXP_OPT_TEST_N,
    EXP_OPT_DATA_SEED,
    EXP_OPT_TEST,
    EXP_OPT_TEST_FRACTION,
    EXP_OPT_SPLIT_SEED,
    EXP_OPT_SCALE,
    EXP_OPT_TASK,
    EXP_OPT_THREADS,
    EXP_OPT_RESULTS,
    EXP_OPT_PROGRESS,
    EXP_OPT_ADOPT_RESULTS,
    EXP_OPT_SHARD,
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
    {"task", required_argument, NULL, EXP_OPT_TASK},                        \
    CLI_TRAIN_LONGOPTS,                                                     \
    {"threads", required_argument, NULL, EXP_OPT_THREADS},                  \
    {"results", required_argument, NULL, EXP_OPT_RESULTS},                  \
    {"progress", required_argument, NULL, EXP_OPT_PROGRESS},                \
    {"adopt-results", no_argument, NULL, EXP_OPT_ADOPT_RESULTS},            \
    {"shard", required_argument, NULL, EXP_OPT_SHARD},                      \
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
    int scale;              /* -1 = default: none for XOR, file_scale else */
    fsnsa_scale file_scale;
    fsnsa_read_options read; /* read.task: --task, also in train.task */
    int task_given;         /* --task given: no refusal of a numeric label */
    int p_given;
    /* training: features 0 = the command's automatic features */
    fsnsa_train_options train;
    cli_train_given given;
    /* sweep */
    int threads;
    const char *results;
    int adopt_results;      /* continue a format-1 job file (no fingerprint) */
    int progress;           /* -1 auto (terminal), 0 off, 1 on */
    int quiet;
    /* --shard I/N: only shard I of N of the jobs [n_shards 0: all] */
    size_t shard, n_shards;
} exp_config;

/* The shared defaults, with the training options `train` (the sweep's
 * fsnsa_*_options_default gives them). */
void exp_config_init(exp_config *c, const fsnsa_train_options *train);
/* The training network the grid's job-file header records (see
 * exp_options.c). */
void exp_train_dense_default(fsnsa_train_options *t);

/* Handle option c: 0 = handled, -1 = error printed (exit CLI_USAGE),
 * 1 = not a shared option. */
int exp_option(const char *cmd, int c, const char *arg, exp_config *cfg);
/* A subcommand's own options: as exp_option. */
typedef int (*exp_own_option_fn)(const char *cmd, int c, const char *arg,
                                 void *ctx);
/* Read argv's options with getopt_long: -h prints usage(stdout), the
 * shared ones go to cfg, the others to own(ctx). Returns CLI_PROCEED, or
 * the exit code (--help, a usage error). */
int exp_parse(const char *cmd, int argc, char **argv,
              const struct option *longopts, exp_config *cfg,
              exp_own_option_fn own, void *ctx, void (*usage)(FILE *));
/* DATA, or none with --xor: 0, or a usage error's exit code. */
int exp_positional(const char *cmd, exp_config *cfg, int argc, char **argv);
/* The scaling that runs: --scale, or its default for XOR or a file. */
fsnsa_scale exp_scale_kind(const exp_config *cfg);

/* Help of the shared options, with d's defaults. The data: with_file 0
 * XOR only, 1 file with --test/--test-fraction, 2 file read options only.
 * features_auto: what --features means when not given. */
void exp_data_help(FILE *f, const exp_config *d, int with_file);
void exp_train_help(FILE *f, const exp_config *d, const char *features_auto);
void exp_sweep_help(FILE *f, const exp_config *d);

#endif

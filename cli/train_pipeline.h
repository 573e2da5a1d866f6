/* What `fsnsa train` does once its options are parsed: read, split,
 * warm start, resolve the options, scale, train, evaluate, save, report. */
#ifndef FSNSA_CLI_TRAIN_PIPELINE_H
#define FSNSA_CLI_TRAIN_PIPELINE_H

#include <stdint.h>

#include "fsnsa.h"
#include "train_options.h"

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
    fsnsa_train_options train; /* hidden, features 0: the library's sizes */
    /* Given on the command line: with --init, the method and sizes not
     * given are the init model's, and a start-hidden or scale given must
     * agree with it. */
    cli_train_given given;
    int scale_given;
    int quiet;
    int verbose;
    /* --restarts, --threads: fsnsa_fit_options' (restarts 1: one fit) */
    size_t restarts;
    int threads;
    const char *plot;        /* --plot picture, or NULL */
    /* --class-weight NAME=W,...: resolved against the training data's
     * class names into train.class_weights; NULL otherwise */
    const char *class_weight_spec;
    /* --task given (train.task and read.task hold it); otherwise the
     * task is detected (docs/cli.md, "--task") */
    int task_given;
    /* --features auto (given.features_auto): k chosen before the fit by
     * fsnsa_select_features with these; select.sizes is select_sizes
     * (--select-sizes, owned by the command) or NULL */
    fsnsa_select_options select;
    size_t *select_sizes;
    /* --hidden auto (given.hidden_auto): h chosen after k by
     * fsnsa_select_hidden over --select-hidden (owned), or the library's
     * default candidates (n_select_hidden 0) */
    size_t *select_hidden, n_select_hidden;
    /* the last of --select-epochs, --select-sizes given, or NULL */
    const char *select_given;
    /* the last of --select-folds, --select-rule given (for k or h), or
     * NULL */
    const char *select_kh_given;
    /* --refit: fsnsa_fit_options' */
    fsnsa_refit refit;
} cli_train_config;

/* Run it. Returns an exit code; nothing is written unless all went well. */
int cli_train_pipeline(const char *cmd, const cli_train_config *cfg);

#endif

/*
 * fsnsa — compact one-hidden-layer ReLU networks that pick their own
 * features: node selection with annealing (NSA) and feature selection with
 * annealing (FSA+NSA), after Guo & Barbu, "A study of local optima for
 * learning feature interactions using neural networks".
 *
 * Conventions (the whole API follows them):
 *  - Every function that can fail returns an fsnsa_status (FSNSA_OK == 0)
 *    and, when `err` is not NULL, fills it with a one-line message such as
 *    "data.csv:12:3: expected a number, found 'abc'". The library never
 *    prints and never exits.
 *  - Whatever a function named *_create / *_read / *_load / *_copy returns
 *    is owned by the caller and released with the matching *_free, which
 *    accepts NULL.
 *  - Matrices are float32, row-major. Every random choice comes from an
 *    explicit 64-bit seed.
 *  - No global mutable state: independent objects may be used from
 *    different threads at once.
 */
#ifndef FSNSA_H
#define FSNSA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FSNSA_VERSION "0.1.0"
#define FSNSA_VERSION_MAJOR 0
#define FSNSA_VERSION_MINOR 1

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

typedef enum {
    FSNSA_OK = 0,
    FSNSA_ERR_ARG,         /* invalid argument or option value */
    FSNSA_ERR_NOMEM,       /* allocation failed */
    FSNSA_ERR_IO,          /* file cannot be opened, read or written */
    FSNSA_ERR_PARSE,       /* malformed input file */
    FSNSA_ERR_FORMAT,      /* model file damaged, wrong version or mismatch */
    FSNSA_ERR_LIMIT,       /* input exceeds a resource limit */
    FSNSA_ERR_NUMERIC,     /* training diverged (NaN/Inf loss) */
    FSNSA_ERR_INTERRUPTED  /* stopped on request (signal, callback) */
} fsnsa_status;

#define FSNSA_ERRMSG_MAX 512

typedef struct {
    fsnsa_status code;
    char msg[FSNSA_ERRMSG_MAX];
} fsnsa_error;

/* A short name for a status code ("parse error", ...); never NULL. */
const char *fsnsa_status_name(fsnsa_status s);

/* ------------------------------------------------------------------ */
/* Random numbers (xoshiro256**, seeded through splitmix64)            */
/* ------------------------------------------------------------------ */

typedef struct {
    uint64_t s[4];
} fsnsa_rng;

void fsnsa_rng_seed(fsnsa_rng *r, uint64_t seed);
uint64_t fsnsa_rng_next(fsnsa_rng *r);
/* uniform in [0, 1) with 24 random bits, exactly representable as float */
float fsnsa_rng_uniform(fsnsa_rng *r);
/* uniform integer in [0, n), unbiased; n > 0 */
uint64_t fsnsa_rng_below(fsnsa_rng *r, uint64_t n);
/* Fisher–Yates shuffle of idx[0..n) */
void fsnsa_rng_shuffle(fsnsa_rng *r, size_t *idx, size_t n);

/* ------------------------------------------------------------------ */
/* Data sets                                                           */
/* ------------------------------------------------------------------ */

typedef enum { FSNSA_COL_NUMERIC = 0, FSNSA_COL_NOMINAL = 1 } fsnsa_col_kind;

/* One input column of the file as the user sees it (label excluded). A
 * nominal column becomes n_values one-hot columns of the encoded matrix. */
typedef struct {
    char *name;
    fsnsa_col_kind kind;
    size_t n_values;
    char **values;
} fsnsa_column;

/* How raw file columns map to the encoded feature matrix, and the class
 * names. Stored in the model so that predict encodes new data the same way. */
typedef struct {
    size_t n_columns;
    fsnsa_column *columns;
    size_t n_classes;
    char **class_names;   /* class id -> original label text */
    char *label_name;     /* name of the label column, may be NULL */
    size_t p;             /* encoded width: numeric 1 + nominal n_values */
} fsnsa_schema;

typedef enum {
    FSNSA_FORMAT_AUTO = 0, /* from the extension, then from the content */
    FSNSA_FORMAT_CSV,      /* delimited text: comma, tab, semicolon, spaces */
    FSNSA_FORMAT_LIBSVM,   /* label idx:val ... (1-based indices) */
    FSNSA_FORMAT_ARFF,     /* Weka ARFF */
    FSNSA_FORMAT_UCI       /* UCI .data: comma separated, no header */
} fsnsa_format;

/* How the label column was asked for (fsnsa_read_options.label_column
 * and labels_file). */
typedef enum {
    FSNSA_LABEL_LAST = 0, /* the default, or "last" */
    FSNSA_LABEL_FIRST,    /* "first" */
    FSNSA_LABEL_INDEX,    /* a 0-based index */
    FSNSA_LABEL_NAME,     /* a column name */
    FSNSA_LABEL_NONE,     /* "none", or no label column in the file */
    FSNSA_LABEL_FILE      /* labels in a separate file */
} fsnsa_label_source;

/* How fsnsa_dataset_read read a file once everything was detected: what
 * reads another file the same way. A model keeps it (fsnsa_model.read),
 * so that predict reads new data as the training data was read. */
typedef struct {
    fsnsa_format format;  /* CSV, UCI, LIBSVM or ARFF; AUTO = unknown (a
                             data set built from arrays) */
    char delimiter;       /* CSV, UCI: the delimiter, ' ' = runs of
                             blanks; otherwise 0 */
    char decimal;         /* CSV, UCI: '.' or ','; 0 = no number in the
                             file had a mark, or the delimiter is ','
                             (then always '.'); otherwise 0 */
    int header;           /* CSV, UCI: 1 = the first row held names, 0 =
                             it did not; otherwise -1 */
    size_t fields;        /* fields of a row (ARFF: attributes); LIBSVM 0 */
    fsnsa_label_source label; /* how the label was asked for */
    size_t label_field;   /* 0-based field holding the label; SIZE_MAX =
                             none in the file (no label, or a labels file) */
} fsnsa_layout;

typedef struct {
    size_t n;             /* rows */
    size_t p;             /* encoded columns */
    float *x;             /* n * p, row-major */
    int32_t *y;           /* n class ids in [0, n_classes); -1 = no label */
    int has_labels;       /* 0 when the file had no label column */
    fsnsa_schema schema;
    char **feature_names; /* p names of the encoded columns ("buying=vhigh") */
    char *source;         /* file name the data came from, may be NULL */
    fsnsa_layout layout;  /* how the file was read */
} fsnsa_dataset;

typedef enum {
    FSNSA_MISSING_REFUSE = 0, /* a missing value is an error naming its place */
    FSNSA_MISSING_MEAN,       /* replace by the training column mean */
    FSNSA_MISSING_ZERO        /* replace by 0 */
} fsnsa_missing;

typedef struct {
    fsnsa_format format;
    char delimiter;           /* 0 = detect; ' ' = any run of blanks */
    char decimal;             /* delimited text: 0 = from the data (decimal
                                 commas only without a ',' delimiter), '.'
                                 or ',' (docs/data.md) */
    int header;               /* -1 = detect, 0 = none, 1 = first row */
    const char *label_column; /* NULL = last; "first", "last", a 0-based
                                 index, or a column name; "none" = unlabeled */
    const char *labels_file;  /* labels in a separate file, one per line */
    fsnsa_missing missing;
    /* When not NULL (prediction), encode with this schema: same columns,
     * known nominal values and class names only. */
    const fsnsa_schema *schema;
    size_t max_rows;          /* 0 = default limit (see docs/data.md) */
    size_t max_cols;          /* 0 = default limit */
} fsnsa_read_options;

void fsnsa_read_options_default(fsnsa_read_options *o);

/* Read a data file (plain or gzip-compressed) into an encoded data set. */
fsnsa_status fsnsa_dataset_read(const char *path, const fsnsa_read_options *opt,
                                fsnsa_dataset **out, fsnsa_error *err);

/* Build a data set from memory (copies x and y); y may be NULL. */
fsnsa_status fsnsa_dataset_from_arrays(size_t n, size_t p, const float *x,
                                       const int32_t *y, size_t n_classes,
                                       fsnsa_dataset **out, fsnsa_error *err);

/* Rows idx[0..m) of d, as a new data set sharing nothing with d. */
fsnsa_status fsnsa_dataset_subset(const fsnsa_dataset *d, const size_t *idx,
                                  size_t m, fsnsa_dataset **out,
                                  fsnsa_error *err);

void fsnsa_dataset_free(fsnsa_dataset *d);

/* Names of the s->p encoded columns: a numeric column's name, a nominal
 * column's "name=value" per one-hot column ("x<j>" where a name is
 * missing). *out gets s->p malloc'ed strings; free with fsnsa_strings_free. */
fsnsa_status fsnsa_schema_feature_names(const fsnsa_schema *s, char ***out,
                                        fsnsa_error *err);
void fsnsa_strings_free(char **v, size_t n);

/* Deep copy / release of a schema (used by the model). */
fsnsa_status fsnsa_schema_copy(fsnsa_schema *dst, const fsnsa_schema *src,
                               fsnsa_error *err);
void fsnsa_schema_clear(fsnsa_schema *s);

/* ------------------------------------------------------------------ */
/* Scaling (fitted on training data only, stored in the model)         */
/* ------------------------------------------------------------------ */

typedef enum {
    FSNSA_SCALE_NONE = 0,
    FSNSA_SCALE_STANDARD, /* (x - mean) / std; constant columns: std = 1 */
    FSNSA_SCALE_MINMAX    /* (x - min) / (max - min) into [0, 1] */
} fsnsa_scale;

typedef struct {
    fsnsa_scale kind;
    size_t p;
    float *shift;         /* x' = (x - shift[j]) * mult[j] */
    float *mult;
    float *fill;          /* value for a missing entry (training mean) */
} fsnsa_scaler;

/* Fit on d (ignores NaN entries) and fill `out` (caller frees with
 * fsnsa_scaler_clear). */
fsnsa_status fsnsa_scaler_fit(const fsnsa_dataset *d, fsnsa_scale kind,
                              fsnsa_scaler *out, fsnsa_error *err);
/* Replace NaN entries by the fill value (mode MEAN) or 0 (mode ZERO). */
void fsnsa_scaler_impute(const fsnsa_scaler *s, fsnsa_missing mode,
                         fsnsa_dataset *d);
/* Apply in place; d->p must equal s->p. */
fsnsa_status fsnsa_scaler_apply(const fsnsa_scaler *s, fsnsa_dataset *d,
                                fsnsa_error *err);
void fsnsa_scaler_clear(fsnsa_scaler *s);

/* ------------------------------------------------------------------ */
/* Splits                                                              */
/* ------------------------------------------------------------------ */

/* Stratified train/test split: each class contributes round(frac * count)
 * rows to the test side. Indices come back in ascending order in caller
 * buffers of size n; *n_train + *n_test == n. */
fsnsa_status fsnsa_split_stratified(const int32_t *y, size_t n,
                                    size_t n_classes, double test_fraction,
                                    uint64_t seed, size_t *train_idx,
                                    size_t *n_train, size_t *test_idx,
                                    size_t *n_test, fsnsa_error *err);

/* Stratified k-fold: fold[i] in [0, k) for every row. */
fsnsa_status fsnsa_kfold_stratified(const int32_t *y, size_t n,
                                    size_t n_classes, size_t k, uint64_t seed,
                                    size_t *fold, fsnsa_error *err);

/* ------------------------------------------------------------------ */
/* k-D XOR data (Eq. 1)                                                */
/* ------------------------------------------------------------------ */

/* Value (row i, column j) of the pool for `seed` and `stream` (0 = train,
 * 1 = test): a counter-based generator, so any n x p corner of the
 * conceptually infinite pool is the same whatever n and p are asked for,
 * i.e. datasets for different n and p are nested as in the paper. */
float fsnsa_xor_value(uint64_t seed, uint64_t stream, uint64_t i, uint64_t j);

/* n rows, p columns, labels y = [prod_{j<k} x_j > 0]. */
fsnsa_status fsnsa_xor_generate(size_t n, size_t p, size_t k, uint64_t seed,
                                uint64_t stream, fsnsa_dataset **out,
                                fsnsa_error *err);

/* ------------------------------------------------------------------ */
/* The network (Eq. 2): f(x) = beta . relu(W x + b) + c                */
/* ------------------------------------------------------------------ */

typedef struct {
    size_t p_in;          /* width of the encoded input the net reads */
    size_t p;             /* features in use */
    size_t h;             /* hidden nodes */
    size_t n_out;         /* 1 (binary: one logit) or C (softmax) */
    size_t n_classes;     /* 2 when n_out == 1 */
    size_t *features;     /* p ascending indices into [0, p_in) */
    float *W;             /* h x p: row j is w_j */
    float *b;             /* h */
    float *beta;          /* h x n_out: row j is beta_j */
    float *c;             /* n_out */
} fsnsa_net;

/* A network over all p_in inputs with h nodes, initialized like PyTorch's
 * nn.Linear (uniform +-1/sqrt(fan_in) for weights and biases). */
fsnsa_status fsnsa_net_create(size_t p_in, size_t h, size_t n_classes,
                              uint64_t seed, fsnsa_net **out,
                              fsnsa_error *err);
fsnsa_status fsnsa_net_copy(const fsnsa_net *src, fsnsa_net **out,
                            fsnsa_error *err);
void fsnsa_net_free(fsnsa_net *net);

/* Number of weights (W, beta; biases not counted, as the paper's Table 2). */
size_t fsnsa_net_weight_count(const fsnsa_net *net);

/* Eq. (3): scale every node so that ||w_j|| = 1 (nodes with w_j = 0 are
 * left alone). The function computed by the net does not change. */
void fsnsa_net_normalize(fsnsa_net *net);

/* Node importance |beta_j| (row L2 norm for C outputs), h values. */
void fsnsa_net_node_scores(const fsnsa_net *net, float *score);
/* Feature relevance r_i of Eq. (4) = L2 norm of column i of W, p values. */
void fsnsa_net_feature_scores(const fsnsa_net *net, float *score);

/* Class probabilities for rows of x (n rows of stride ldx >= net->p_in,
 * full encoded width), written to prob (n x n_classes). */
fsnsa_status fsnsa_net_predict(const fsnsa_net *net, const float *x, size_t n,
                               size_t ldx, float *prob, fsnsa_error *err);

/* Mean cross-entropy of the net on d (computed from logits, in double). */
fsnsa_status fsnsa_net_loss(const fsnsa_net *net, const fsnsa_dataset *d,
                            double *loss, fsnsa_error *err);

/* ------------------------------------------------------------------ */
/* Annealing schedules                                                 */
/* ------------------------------------------------------------------ */

/* h_e = h + floor((H-h) max(0, (N1-2e1)/(2 e1 mu + N1))), N1 = 3N/4,
 * e1 = max(0, e - N/4), computed exactly for integral mu. e counts from 1. */
size_t fsnsa_schedule_nodes(int e, int epochs, size_t H, size_t h, double mu);
/* p_e = k + floor((p-k) max(0, (N2-2e2)/(2 e2 mu + N2))), N2 = 0.4N,
 * e2 = max(0, e - 0.6N). */
size_t fsnsa_schedule_features(int e, int epochs, size_t p, size_t k,
                               double mu);

/* ------------------------------------------------------------------ */
/* Training                                                            */
/* ------------------------------------------------------------------ */

typedef enum {
    FSNSA_METHOD_DENSE = 0, /* plain training with `hidden` nodes */
    FSNSA_METHOD_NSA,       /* Algorithm 1: start_hidden -> hidden nodes */
    FSNSA_METHOD_FSA,       /* features only: p -> features, nodes fixed */
    FSNSA_METHOD_FSA_NSA    /* Algorithm 2: nodes and features */
} fsnsa_method;

const char *fsnsa_method_name(fsnsa_method m);
/* "dense", "nsa", "fsa", "fsa-nsa" (also "fsa_nsa"); -1 if unknown */
int fsnsa_method_parse(const char *s);

typedef struct {
    int epoch;            /* 1-based, just finished */
    int epochs;
    size_t hidden;        /* nodes after this epoch's pruning */
    size_t features;      /* features after this epoch's pruning */
    const size_t *feature_ids; /* the `features` kept, into [0, p_in) */
    double loss;          /* mean training loss over the epoch's batches */
    double seconds;       /* wall time of this epoch */
    /* The network after this epoch, read-only and valid during the call
     * (e.g. to evaluate it on held-out data). */
    const fsnsa_net *net;
} fsnsa_epoch_info;

/* Return non-zero to stop training (fsnsa_train returns INTERRUPTED). */
typedef int (*fsnsa_epoch_fn)(const fsnsa_epoch_info *info, void *ctx);

typedef struct {
    fsnsa_method method;
    size_t hidden;        /* h: final nodes (dense: the nodes) [64] */
    size_t start_hidden;  /* H: starting nodes for nsa/fsa-nsa [1024] */
    size_t features;      /* k: features kept by fsa/fsa-nsa [0 = all] */
    int epochs;           /* N [300] */
    double mu;            /* annealing parameter [30] */
    size_t batch;         /* mini-batch size, 0 = full batch [32] */
    double lr;            /* Adam learning rate [0.001] */
    double beta1, beta2, eps; /* [0.9, 0.999, 1e-8] */
    double weight_decay;  /* L2 added to the gradient [1e-4] */
    uint64_t seed;        /* initialization and shuffling [1] */
    int shuffle;          /* reshuffle every epoch [1] */
    fsnsa_epoch_fn on_epoch; /* may be NULL */
    void *on_epoch_ctx;
    /* Polled once per step; training stops with INTERRUPTED when it
     * becomes non-zero (set from a signal handler). May be NULL. */
    const volatile int *stop;
    /* When an epoch's loss is NaN or infinite, fsnsa_train returns
     * FSNSA_ERR_NUMERIC naming the epoch. With keep_going = 0 [default]
     * *out is NULL; otherwise *out is the network as it was after the last
     * epoch whose loss was finite (the initial network if the first epoch
     * diverged), owned by the caller. Training never continues past a
     * non-finite loss: every later step would be NaN. */
    int keep_going;
} fsnsa_train_options;

void fsnsa_train_options_default(fsnsa_train_options *o);
fsnsa_status fsnsa_train_options_check(const fsnsa_train_options *o,
                                       size_t p_in, fsnsa_error *err);

/* Train on d. With init == NULL a fresh network is created from
 * opt->seed; otherwise training starts from a copy of init (warm start;
 * init->p_in must equal d->p). The result is written to *out. */
fsnsa_status fsnsa_train(const fsnsa_dataset *d, const fsnsa_train_options *opt,
                         const fsnsa_net *init, fsnsa_net **out,
                         fsnsa_error *err);

/* ------------------------------------------------------------------ */
/* Metrics                                                             */
/* ------------------------------------------------------------------ */

/* Exact ROC AUC by ranks (ties count 1/2). y in {0, 1}. Returns NaN when
 * only one class is present. */
double fsnsa_auc(const float *score, const int32_t *y, size_t n);
/* Macro one-vs-rest AUC for prob (n x C); binary: AUC of column 1. */
double fsnsa_auc_multiclass(const float *prob, size_t n_classes,
                            const int32_t *y, size_t n);
/* fsnsa_auc_multiclass with an error channel: FSNSA_ERR_NOMEM when its
 * work buffer (n entries) cannot be allocated, where fsnsa_auc and
 * fsnsa_auc_multiclass can only answer NaN. *auc is NaN when no class has
 * both positives and negatives. */
fsnsa_status fsnsa_roc_auc(const float *prob, size_t n_classes,
                           const int32_t *y, size_t n, double *auc,
                           fsnsa_error *err);
/* argmax(prob row) == y */
double fsnsa_accuracy(const float *prob, size_t n_classes, const int32_t *y,
                      size_t n);
/* mean -log prob[y] (probabilities clamped at 1e-12) */
double fsnsa_cross_entropy(const float *prob, size_t n_classes,
                           const int32_t *y, size_t n);
/* counts[true * C + predicted] for n rows; counts has C*C entries */
void fsnsa_confusion(const float *prob, size_t n_classes, const int32_t *y,
                     size_t n, size_t *counts);

/* ------------------------------------------------------------------ */
/* Models: net + everything predict needs                              */
/* ------------------------------------------------------------------ */

/* How a model's training data was read (model format 1.1), so that
 * predict reads new data the same way. */
typedef struct {
    fsnsa_layout layout;  /* layout.format AUTO: nothing recorded (a model
                             file of format 1.0, or a model put together
                             without fsnsa_model_set_read) */
    /* The label's place as fsnsa_read_options.label_column takes it:
     * "first", "last", "none" or the 0-based field index; kept in step
     * with layout by fsnsa_model_set_read and fsnsa_model_load. */
    char label_column[24];
    /* String read options as given at training (owned; NULL = the
     * default) follow here. Each is listed in READ_STRINGS in
     * src/model_file.c, which writes, reads, copies and frees them. */
} fsnsa_read_record;

typedef struct {
    fsnsa_net *net;
    fsnsa_schema schema;  /* raw columns -> encoded columns, class names */
    fsnsa_scaler scaler;  /* over the encoded columns (net->p_in) */
    fsnsa_train_options options; /* as trained (callbacks cleared) */
    fsnsa_missing missing;
    double train_loss;    /* final mean training loss, NaN if unknown */
    fsnsa_read_record read; /* how the training data was read */
} fsnsa_model;

/* Write atomically (temporary file, fsync, rename). */
fsnsa_status fsnsa_model_save(const fsnsa_model *m, const char *path,
                              fsnsa_error *err);
/* Checks magic, version, sizes and checksum. */
fsnsa_status fsnsa_model_load(const char *path, fsnsa_model **out,
                              fsnsa_error *err);
void fsnsa_model_free(fsnsa_model *m);

/* Record in m that its training data was read as `layout` says (from the
 * data set, fsnsa_dataset.layout) with the options `given` (their string
 * options are copied; given may be NULL: none). A layout whose format is
 * AUTO records nothing.
 * FSNSA_ERR_ARG for a layout that contradicts itself or m's schema. */
fsnsa_status fsnsa_model_set_read(fsnsa_model *m, const fsnsa_layout *layout,
                                  const fsnsa_read_options *given,
                                  fsnsa_error *err);
/* The read options for predicting with m: the recorded format, delimiter,
 * decimal mark, header and label field (docs/model-format.md), string
 * options, m's missing-value mode and m's schema; the strings and the
 * schema point into m. A model that records nothing (format 1.0) gives
 * the defaults with the schema and the missing-value mode, as before. */
void fsnsa_model_read_options(const fsnsa_model *m, fsnsa_read_options *o);
/* Free the record's strings and mark it as recording nothing. */
void fsnsa_read_record_clear(fsnsa_read_record *r);
/* The words of the model file: "auto", "csv", "libsvm", "arff", "uci";
 * "last", "first", "index", "name", "none", "file"; "refuse", "mean",
 * "zero". "?" for a value outside the enum. */
const char *fsnsa_format_name(fsnsa_format f);
const char *fsnsa_label_source_name(fsnsa_label_source s);
const char *fsnsa_missing_name(fsnsa_missing m);

/* ------------------------------------------------------------------ */
/* Experiments: job files, sweeps, restarts, hit time, grid search     */
/* ------------------------------------------------------------------ */
/* The paper's studies (docs/experiments.md). A sweep is a list of
 * independent jobs, each named by a stable key (e.g. "seed=17" or
 * "cv/dense/h64/l2=0.001/b32/r3/f2"). A finished job's result is appended
 * to a job file as one complete line; rerunning the same sweep skips the
 * keys already there, so an interrupted sweep loses and repeats nothing.
 * Every job's seed is a function of its key, never of scheduling, so the
 * results are the same for any thread count. */

/* A results file: a header line naming the sweep, then one line per job:
 *   key TAB value TAB ... TAB ~crc32hex NEWLINE
 * Lines are appended with one write() and fsync'd. A last line that is
 * incomplete or fails its checksum (kill -9, power loss) is cut off on
 * open; damage before the last line is an error. The file is locked
 * (fcntl) while open, so two processes cannot append to it at once. */
typedef struct fsnsa_jobfile fsnsa_jobfile;

/* Open or create `path`. `header` (one line, no tab/newline) describes
 * the sweep; an existing file with a different header is refused with
 * FSNSA_ERR_FORMAT, so results of different sweeps never mix. */
fsnsa_status fsnsa_jobfile_open(const char *path, const char *header,
                                fsnsa_jobfile **out, fsnsa_error *err);
/* Number of job lines in the file. */
size_t fsnsa_jobfile_count(const fsnsa_jobfile *jf);
/* Bytes of a torn last line removed when the file was opened. */
size_t fsnsa_jobfile_repaired(const fsnsa_jobfile *jf);
/* The stored value text of `key` (tab-separated fields, no checksum), or
 * NULL. Valid until the file is closed. Not safe against a concurrent
 * append on the same object. */
const char *fsnsa_jobfile_find(const fsnsa_jobfile *jf, const char *key);
/* Append one line. Thread-safe on one object. key and value must not
 * contain newlines; the key must not contain tabs. */
fsnsa_status fsnsa_jobfile_append(fsnsa_jobfile *jf, const char *key,
                                  const char *value, fsnsa_error *err);
void fsnsa_jobfile_close(fsnsa_jobfile *jf);

/* 64-bit seed derived from a base seed and a job key (splitmix64 over a
 * FNV-1a hash): the same key always gets the same seed. */
uint64_t fsnsa_key_seed(uint64_t base, const char *key);

/* Called (serialized) after every job: done counts jobs finished in this
 * run plus those found in the file; `loaded` of them came from the file. */
typedef void (*fsnsa_progress_fn)(void *ctx, size_t done, size_t loaded,
                                  size_t total);

typedef struct {
    int threads;                /* OpenMP threads running jobs [1] */
    fsnsa_jobfile *jobs;        /* resume/append file, may be NULL */
    fsnsa_progress_fn progress; /* may be NULL */
    void *progress_ctx;
    const volatile int *stop;   /* set non-zero to stop (signal) */
} fsnsa_sweep_options;

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
} fsnsa_sweep;

/* Run (or load from o->jobs) every job not skipped. values: n_jobs *
 * n_values, done: n_jobs flags (1 = values known). On a stop request
 * returns FSNSA_ERR_INTERRUPTED after the running jobs end; finished jobs
 * are in the file. */
fsnsa_status fsnsa_sweep_run(const fsnsa_sweep *s, const fsnsa_sweep_options *o,
                             double *values, unsigned char *done,
                             fsnsa_error *err);

/* One training run's outcome. Loss is the final mean training
 * cross-entropy without the L2 term; AUC is macro one-vs-rest for more
 * than two classes. Test fields are NaN without a test set. */
typedef struct {
    uint64_t seed;
    double loss, train_auc, test_auc, train_acc, test_acc;
    double seconds;
    size_t hidden, features, weights;
} fsnsa_run;

/* R trainings of one network on the same data, seeds seed0 .. seed0+R-1
 * (Figures 1, 3 and 7). */
typedef struct {
    fsnsa_train_options train; /* train.seed is replaced per run */
    size_t restarts;           /* R [10] */
    uint64_t seed0;            /* [1] */
    double tolerance;          /* distinct minima: losses further apart
                                  than this [1e-3] */
    fsnsa_sweep_options sweep;
} fsnsa_restarts_options;

void fsnsa_restarts_options_default(fsnsa_restarts_options *o);

typedef struct {
    size_t n;            /* runs, R */
    fsnsa_run *runs;     /* sorted by loss, ascending (ties: by seed) */
    size_t distinct;     /* clusters of losses with gaps > tolerance */
    double spread;       /* worst loss - best loss */
    double mean_loss, mean_train_auc, mean_test_auc;
    double mean_train_acc, mean_test_acc;
} fsnsa_restarts_result;

fsnsa_status fsnsa_restarts(const fsnsa_dataset *train,
                            const fsnsa_dataset *test,
                            const fsnsa_restarts_options *o,
                            fsnsa_restarts_result *out, fsnsa_error *err);
void fsnsa_restarts_result_clear(fsnsa_restarts_result *r);

/* Hit time (Figure 4): for each p, train on the first p columns with
 * seeds seed0, seed0+1, ... and count a hit when the train AUC reaches
 * `threshold`. Runs are taken in seed order and stop once `target_hits`
 * hits are seen or R runs are made; the estimate is runs/hits (unbiased
 * for the mean number of initializations to the first hit under this
 * inverse sampling), with a 95% interval from the Wilson score interval
 * of the hit probability, inverted. No hit: censored, "> R". */
typedef struct {
    fsnsa_train_options train;
    const size_t *p;           /* dimensions to try, ascending */
    size_t n_p;
    size_t max_runs;           /* R [200] */
    size_t target_hits;        /* stop a p after this many hits [10] */
    double threshold;          /* train AUC for a hit [0.95] */
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
    double mean_train_auc, best_train_auc;
} fsnsa_hittime_point;

fsnsa_status fsnsa_hittime(const fsnsa_dataset *train,
                           const fsnsa_hittime_options *o,
                           fsnsa_hittime_point *out, fsnsa_error *err);

/* The grid search of Section 4.2 / Table 2. */
typedef struct {
    size_t k, h;               /* FSA+NSA target features and nodes */
} fsnsa_size;

typedef struct {
    fsnsa_train_options train; /* epochs, lr, mu, start_hidden, ... */
    fsnsa_scale scale;         /* fitted on each training part [standard] */
    double test_fraction;      /* held-out test share [0.2] */
    uint64_t split_seed;       /* [0] */
    size_t folds, repeats;     /* [5, 10] */
    const size_t *hidden; size_t n_hidden;   /* dense grid */
    const double *l2; size_t n_l2;
    const size_t *batch; size_t n_batch;
    int dense, fsa_nsa;        /* which methods [1, 1] */
    const fsnsa_size *sizes; size_t n_sizes; /* FSA+NSA targets */
    size_t retrains;           /* final trainings per method [10] */
    uint64_t seed;             /* base of every job's seed [1] */
    fsnsa_sweep_options sweep;
} fsnsa_grid_options;

void fsnsa_grid_options_default(fsnsa_grid_options *o);

/* One setting of the grid and its cross-validated accuracy. */
typedef struct {
    fsnsa_method method;
    size_t hidden, features;   /* features 0 = all (dense) */
    double l2;
    size_t batch;
    double cv_acc, cv_acc_std, cv_loss; /* over folds x repeats */
} fsnsa_grid_setting;

/* The final retrainings of one setting (a column of Table 2). */
typedef struct {
    fsnsa_grid_setting setting;
    size_t n;                  /* retrains */
    double acc_mean, acc_std;  /* test accuracy after the last epoch */
    double peek_mean, peek_std;/* best test accuracy over epochs (peeks) */
    double weights;            /* mean weight count (W + beta) */
    size_t hidden, features;   /* of the final nets (first retrain) */
} fsnsa_grid_final;

typedef struct {
    size_t n_settings;
    fsnsa_grid_setting *settings; /* every setting, in grid order */
    int have_dense, have_fsa;
    fsnsa_grid_final best_dense, equivalent, best_fsa;
    size_t n_train, n_test, p, n_classes;
} fsnsa_grid_result;

/* The rows the grid uses, exposed so that they can be checked: test rows
 * and training rows (indices into `all`, ascending, from the stratified
 * split), and for repeat r the fold of training row i in
 * folds[r * all->n + i] (0 <= fold < o->folds; i < *n_train). Validation
 * rows of fold f are the training rows with fold f; the model of that fold
 * trains on the other training rows. Buffers: n each; folds repeats * n. */
fsnsa_status fsnsa_grid_plan(const fsnsa_dataset *all,
                             const fsnsa_grid_options *o, size_t *train_idx,
                             size_t *n_train, size_t *test_idx, size_t *n_test,
                             size_t *folds, fsnsa_error *err);

fsnsa_status fsnsa_grid(const fsnsa_dataset *all, const fsnsa_grid_options *o,
                        fsnsa_grid_result *out, fsnsa_error *err);
void fsnsa_grid_result_clear(fsnsa_grid_result *r);

#ifdef __cplusplus
}
#endif
#endif /* FSNSA_H */

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
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The shared library builds with -fvisibility=hidden and exports exactly
 * what the public headers declare between FSNSA_API_BEGIN and
 * FSNSA_API_END; a region rather than a mark per function, so that a new
 * public function cannot be left out of libfsnsa.so by accident. */
#if defined(__GNUC__) || defined(__clang__)
#define FSNSA_API_BEGIN _Pragma("GCC visibility push(default)")
#define FSNSA_API_END _Pragma("GCC visibility pop")
#else
#define FSNSA_API_BEGIN
#define FSNSA_API_END
#endif

FSNSA_API_BEGIN

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
    FSNSA_ERR_NUMERIC,     /* training failed: a NaN/Inf loss, or a final
                              loss worse than the class frequencies' */
    FSNSA_ERR_INTERRUPTED  /* stopped on request (signal, callback) */
} fsnsa_status;

#define FSNSA_ERRMSG_MAX 512

typedef struct {
    fsnsa_status code;
    char msg[FSNSA_ERRMSG_MAX];
} fsnsa_error;

/* A short name for a status code ("parse error", ...); never NULL. */
const char *fsnsa_status_name(fsnsa_status s);

/* Seconds since an arbitrary start on a monotonic clock (what the
 * library's own timings use), for progress lines and time estimates. */
double fsnsa_monotonic_seconds(void);

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

/* What the label is (fsnsa_read_options.task, fsnsa_train_options.task):
 * a class, or a number to predict (docs/algorithm.md, "Regression"). */
typedef enum {
    FSNSA_TASK_CLASSIFICATION = 0, /* softmax / logistic output,
                                      cross-entropy */
    FSNSA_TASK_REGRESSION          /* one linear output, mean squared
                                      error */
} fsnsa_task;

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
    /* Regression (read with task regression, or fsnsa_dataset_set_target):
     * the n numeric targets; then has_labels = 1, every y is -1 and the
     * schema has no classes (n_classes 0). NULL for classification. Freed
     * by fsnsa_dataset_free. */
    float *target;
} fsnsa_dataset;

typedef enum {
    FSNSA_MISSING_REFUSE = 0, /* a missing value is an error naming its place */
    FSNSA_MISSING_MEAN,       /* replace by the training column mean */
    FSNSA_MISSING_ZERO        /* replace by 0 */
} fsnsa_missing;

/* A warning from a reader: one line, "file:line:column: what", like an
 * error message, for something read as asked but probably not meant (an
 * index column used as a feature, a column of identifiers one-hot
 * encoded, ...; docs/data.md, "Warnings"). Called during
 * fsnsa_dataset_read; msg is valid during the call only. */
typedef void (*fsnsa_warn_fn)(void *ctx, const char *msg);

/* The tokens read as a missing value when na_values is NULL: pandas 2's
 * default list, UCI's and ARFF's '?' and NAN (docs/data.md, "Missing
 * values"). An empty field is always missing. */
#define FSNSA_DEFAULT_NA_VALUES                                              \
    "?,NA,N/A,n/a,#N/A,#N/A N/A,#NA,<NA>,NULL,null,None,NaN,nan,NAN,-NaN,"  \
    "-nan,1.#IND,1.#QNAN,-1.#IND,-1.#QNAN"

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
    /* Comma-separated tokens that mark a missing value, matched exactly
     * (case-sensitive), quoted or not; NULL = FSNSA_DEFAULT_NA_VALUES, ""
     * = none (only empty fields). A declared nominal value (ARFF, a
     * model's schema) is a value even when listed; ARFF's '?' is always
     * missing. */
    const char *na_values;
    /* Comma-separated columns to drop before encoding: 0-based indices
     * into the file's fields or attributes (label included, as for
     * label_column) or header/attribute names; NULL or "" = none. Not for
     * LIBSVM. Give the same list when predicting with the model. */
    const char *ignore_columns;
    fsnsa_warn_fn warn;       /* NULL = no warnings */
    void *warn_ctx;
    /* regression: the label column is read as a number into
     * fsnsa_dataset.target (a label that is not a number is an error
     * naming its place); with a schema of no classes (a regression
     * model's) the same [classification] */
    fsnsa_task task;
} fsnsa_read_options;

void fsnsa_read_options_default(fsnsa_read_options *o);

/* Read a data file (plain or gzip-compressed) into an encoded data set. */
fsnsa_status fsnsa_dataset_read(const char *path, const fsnsa_read_options *opt,
                                fsnsa_dataset **out, fsnsa_error *err);

/* Build a data set from memory (copies x and y); y may be NULL. */
fsnsa_status fsnsa_dataset_from_arrays(size_t n, size_t p, const float *x,
                                       const int32_t *y, size_t n_classes,
                                       fsnsa_dataset **out, fsnsa_error *err);

/* Name the columns, the label and the classes of a data set made by
 * fsnsa_dataset_from_arrays (all numeric columns): columns has d->p names
 * (NULL: keep x0, x1, ...), classes d->schema.n_classes (NULL: keep 0, 1,
 * ...), label may be NULL. Names are copied. FSNSA_ERR_ARG for a data set
 * with nominal columns or an empty or repeated name. */
fsnsa_status fsnsa_dataset_set_names(fsnsa_dataset *d,
                                     const char *const *columns,
                                     const char *label,
                                     const char *const *classes,
                                     fsnsa_error *err);

/* Rows idx[0..m) of d, as a new data set sharing nothing with d. */
fsnsa_status fsnsa_dataset_subset(const fsnsa_dataset *d, const size_t *idx,
                                  size_t m, fsnsa_dataset **out,
                                  fsnsa_error *err);

void fsnsa_dataset_free(fsnsa_dataset *d);

/* Make d a regression data set with the d->n targets t (copied; each
 * finite): d->target, has_labels 1, every y -1, no classes. */
fsnsa_status fsnsa_dataset_set_target(fsnsa_dataset *d, const float *t,
                                      fsnsa_error *err);

/* The rule that says a label column "looks numeric" (a regression
 * target rather than classes; docs/cli.md, "--task"): every value parses
 * as a finite number and either some value is not an integer or there
 * are more than FSNSA_TASK_MAX_INTEGER_CLASSES distinct ones. values are
 * the column's distinct label texts (fsnsa_dataset.schema.class_names of
 * a classification read); decimal is the file's mark ('.' or ','; 0 =
 * '.'). Returns FSNSA_TASK_REGRESSION when the column looks numeric, else
 * FSNSA_TASK_CLASSIFICATION; *n_numbers gets how many values are numbers
 * (n when all are), *n_non_integer how many of them are not integers
 * (either may be NULL). */
#define FSNSA_TASK_MAX_INTEGER_CLASSES 50
fsnsa_task fsnsa_task_detect(const char *const *values, size_t n,
                             char decimal, size_t *n_numbers,
                             size_t *n_non_integer);

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
/* A deep copy of src into dst (free with fsnsa_scaler_clear). */
fsnsa_status fsnsa_scaler_copy(fsnsa_scaler *dst, const fsnsa_scaler *src,
                               fsnsa_error *err);

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
/* A net from fsnsa_net_create, fsnsa_net_copy, fsnsa_train or a model file
 * owns two allocations besides itself: features, and one block that holds
 * W, b, beta and c (W points at its start). Only fsnsa_net_free releases
 * them; never free W, b, beta or c on their own. */

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

/* A regression net (fsnsa_train with task regression) has n_classes 1
 * and n_out 1: fsnsa_net_predict writes its output, one number a row,
 * and fsnsa_net_loss is the mean squared error against d->target. */
/* Mean cross-entropy of the net on d (computed from logits, in double). */
fsnsa_status fsnsa_net_loss(const fsnsa_net *net, const fsnsa_dataset *d,
                            double *loss, fsnsa_error *err);
/* The mean over d's labeled rows of w[y] * cross-entropy (w: n_classes
 * class weights; NULL = fsnsa_net_loss). */
fsnsa_status fsnsa_net_loss_weighted(const fsnsa_net *net,
                                     const fsnsa_dataset *d, const float *w,
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

/* How nsa, fsa and fsa-nsa apply Eq. 3 (docs/algorithm.md, "Variants"). */
typedef enum {
    /* the paper's Algorithms 1 and 2: every epoch Eq. 3 rewrites the
     * parameters in place, Adam's moments untouched */
    FSNSA_VARIANT_PAPER = 0,
    /* the same rankings, computed on Eq. 3-normalized copies (nodes by
     * ||w_j|| |beta_j|, features by the column norms of the row-normalized
     * W); the parameters are left as Adam made them and normalized once,
     * after the last epoch */
    FSNSA_VARIANT_STABLE
} fsnsa_variant;


typedef struct {
    int epoch;            /* 1-based, just finished */
    int epochs;
    size_t hidden;        /* nodes after this epoch's pruning */
    size_t features;      /* features after this epoch's pruning */
    const size_t *feature_ids; /* the `features` kept, into [0, p_in) */
    double loss;          /* mean training loss over the epoch's rows: the
                             batches' summed losses / n, each row's loss
                             taken when its batch's step was made (so not
                             the batch losses' mean when the last batch is
                             smaller); no L2 term */
    double seconds;       /* wall time of this epoch */
    /* The network after this epoch, read-only and valid during the call
     * (e.g. to evaluate it on held-out data). */
    const fsnsa_net *net;
    /* The features this epoch's pruning dropped (ids into [0, p_in)) and
     * their relevance r_i (Eq. 4, after Eq. 3) when they were dropped;
     * n_dropped = 0 in an epoch that dropped none. */
    size_t n_dropped;
    const size_t *dropped_ids;
    const float *dropped_relevance;
    /* With a validation split (fsnsa_train_options.validation_fraction >
     * 0): the network's mean loss on the held-out rows after this epoch's
     * pruning (weighted by the class weights as the training loss is) and
     * its accuracy there; NaN without a split. */
    double validation_loss;
    double validation_accuracy;
} fsnsa_epoch_info;

/* How the rows' losses are weighted by their class (class_weight). */
typedef enum {
    FSNSA_CLASS_WEIGHT_NONE = 0, /* every row 1 */
    FSNSA_CLASS_WEIGHT_BALANCED, /* n / (n_classes * n_c) on the training
                                    rows, scikit-learn's "balanced" */
    FSNSA_CLASS_WEIGHT_GIVEN     /* class_weights[c] */
} fsnsa_class_weight;

/* Which network training hands back (keep). */
typedef enum {
    FSNSA_KEEP_LAST = 0, /* the one after the last epoch run */
    FSNSA_KEEP_BEST      /* the lowest validation loss among the epochs at
                            which the net has its final size */
} fsnsa_keep;

/* What fsnsa_model_fit does with the network training left
 * (docs/algorithm.md, "Refit"). */
typedef enum {
    FSNSA_REFIT_NONE = 0, /* keep it */
    /* replace it by a fresh dense net of its h nodes trained on its kept
     * columns alone (same options and seed; the relaxed lasso's idea) */
    FSNSA_REFIT_DENSE
} fsnsa_refit;

/* How fsnsa_select_features scores a candidate size c. */
typedef enum {
    /* the annealing net pruned to c, fine-tuned finetune_epochs */
    FSNSA_SELECT_SCORE_PATH = 0,
    /* a fresh dense net of the run's final h nodes on the c columns the
     * path kept, trained refit_epochs (FSNSA_REFIT_DENSE's net) */
    FSNSA_SELECT_SCORE_REFIT
} fsnsa_select_score;

/* Which size a validation curve chooses (cv.glmnet's lambda.1se and
 * lambda.min). */
typedef enum {
    /* the fewest whose mean is within one standard error of the lowest */
    FSNSA_SELECT_RULE_ONE_SE = 0,
    /* the lowest mean (ties: the fewer) */
    FSNSA_SELECT_RULE_MIN
} fsnsa_select_rule;

/* Return non-zero to stop training (fsnsa_train returns INTERRUPTED). */
typedef int (*fsnsa_epoch_fn)(const fsnsa_epoch_info *info, void *ctx);

typedef struct {
    fsnsa_method method;
    /* h: final nodes (dense: the nodes) [0: fsnsa_train_default_hidden,
     * 128 for nsa and fsa-nsa, 64 for dense and fsa] */
    size_t hidden;
    size_t start_hidden;  /* H: starting nodes for nsa/fsa-nsa [1024] */
    /* k: features kept by fsa/fsa-nsa [0: half the columns, rounded up];
     * dense and nsa use every column */
    size_t features;
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
    /* Training fails with FSNSA_ERR_NUMERIC, and a message with the
     * figures and the likely cause, when an epoch's loss is NaN or
     * infinite (the epoch is named; training stops there: every later step
     * would be NaN), or when the final training loss is worse than that of
     * predicting the class frequencies (fsnsa_loss_worse_than_constant;
     * not checked when epochs == 0). With keep_going = 0 [default] *out is
     * NULL; otherwise *out is a network owned by the caller: the final one
     * when the loss is worse than the class frequencies', the one after
     * the last epoch whose loss was finite (the initial network if the
     * first epoch diverged) when it became NaN or infinite. */
    int keep_going;
    /* A weighted cross-entropy: row r counts w[y_r] times, in the
     * gradient (the step's mean over its batch of w[y] * dL/dlogit) and in
     * every training loss figure (epoch losses, the report's, the
     * validation loss, the model's train_loss: the mean over rows of
     * w[y] * loss), and the constant-loss rule compares with the best
     * constant prediction under the same weights [none].
     * fsnsa_train_class_weights gives the weights a run uses. */
    fsnsa_class_weight class_weight;
    const float *class_weights; /* GIVEN: n_classes weights by class id,
                                   each finite and >= 0, not all 0
                                   (borrowed, read during training) */
    /* A stratified share of the rows held out from training, drawn from
     * seed (fsnsa_train_validation_split), evaluated after every epoch
     * [0: none; < 1] */
    double validation_fraction;
    fsnsa_keep keep;      /* [last]; best needs a validation split */
    /* Stop after this many epochs in a row without a lower validation
     * loss, counted once the net has its final size (dense: from epoch 1)
     * [0: never]; needs a validation split */
    int early_stopping;
    /* how Eq. 3 is applied [stable; the experiments set paper] */
    fsnsa_variant variant;
    /* classification [default], or regression: d->target, one linear
     * output, the mean squared error (not halved: nn.MSELoss) as the
     * training loss; validation_loss is then the held-out MSE and
     * validation_accuracy its R^2; class weights are refused */
    fsnsa_task task;
} fsnsa_train_options;

typedef enum {
    FSNSA_TRAIN_OK = 0,              /* trained, or epochs == 0 */
    FSNSA_TRAIN_WORSE_THAN_CONSTANT, /* final loss worse than predicting
                                        the class frequencies */
    FSNSA_TRAIN_NOT_FINITE           /* an epoch's loss became NaN or inf */
} fsnsa_train_outcome;

/* What a training run did, filled by fsnsa_train_with_report. */
typedef struct {
    fsnsa_train_outcome outcome;
    int epochs;              /* epochs run (the non-finite one included) */
    /* Mean training loss of the network handed back (fsnsa_net_loss, from
     * logits: the figure the model file stores); NaN when none is. */
    double loss;
    double constant_loss;    /* fsnsa_constant_loss of the training labels */
    /* fsnsa_epoch_info.loss of epoch 1, of the lowest and of the last
     * epoch run (NaN/inf for FSNSA_TRAIN_NOT_FINITE); NaN without epochs */
    double first_epoch_loss, lowest_epoch_loss, last_epoch_loss;
    /* The epoch whose network was handed back (keep best: the best
     * validation epoch; otherwise the last one run; 0 = the initial
     * network), its validation loss and accuracy (NaN without a split),
     * and whether early_stopping ended the run before o->epochs. */
    int chosen_epoch;
    double validation_loss, validation_accuracy;
    int stopped_early;
} fsnsa_train_report;

/* The defaults are the bracketed values above, here and nowhere else:
 * the command's --help prints them from this function. */
void fsnsa_train_options_default(fsnsa_train_options *o);
/* The nodes `hidden = 0` stands for: 128 for the methods that prune nodes
 * (nsa, fsa-nsa: the paper's H = 1024 -> h = 128), 64 for dense and fsa. */
size_t fsnsa_train_default_hidden(fsnsa_method m);
/* *out = *o with the automatic sizes filled in for data of p_in encoded
 * columns (hidden 0 as above; features 0: (p_in + 1) / 2 for fsa and
 * fsa-nsa), then checked as fsnsa_train_options_check does. fsnsa_train
 * resolves the same way; a caller resolves to show or store the sizes. */
fsnsa_status fsnsa_train_options_resolve(const fsnsa_train_options *o,
                                         size_t p_in,
                                         fsnsa_train_options *out,
                                         fsnsa_error *err);
/* FSNSA_ERR_ARG naming the first option out of range; hidden 0 and
 * features 0 (automatic) are valid. */
fsnsa_status fsnsa_train_options_check(const fsnsa_train_options *o,
                                       size_t p_in, fsnsa_error *err);

/* scikit-learn's balanced class weights: w[c] = n / (n_classes * n_c)
 * over the rows with a label in [0, n_classes); FSNSA_ERR_ARG naming a
 * class without rows. */
fsnsa_status fsnsa_class_weights_balanced(const int32_t *y, size_t n,
                                          size_t n_classes, float *w,
                                          fsnsa_error *err);
/* The rows fsnsa_train trains on and holds out for o->validation_fraction
 * (fsnsa_split_stratified of d's labels with o->seed; all rows train when
 * the fraction is 0). Buffers of d->n entries; FSNSA_ERR_ARG when a side
 * would be empty. */
fsnsa_status fsnsa_train_validation_split(const fsnsa_dataset *d,
                                          const fsnsa_train_options *o,
                                          size_t *train_idx, size_t *n_train,
                                          size_t *val_idx, size_t *n_val,
                                          fsnsa_error *err);
/* The d->schema.n_classes class weights fsnsa_train uses on d under o:
 * all 1 (none), balanced on the training rows of the split above, or
 * o->class_weights checked. */
fsnsa_status fsnsa_train_class_weights(const fsnsa_dataset *d,
                                       const fsnsa_train_options *o,
                                       float *w, fsnsa_error *err);

/* Train on d. With init == NULL a fresh network is created from
 * opt->seed; otherwise training starts from a copy of init (warm start;
 * init->p_in must equal d->p). The result is written to *out. */
fsnsa_status fsnsa_train(const fsnsa_dataset *d, const fsnsa_train_options *opt,
                         const fsnsa_net *init, fsnsa_net **out,
                         fsnsa_error *err);
/* fsnsa_train that also fills *report (when not NULL): complete on
 * FSNSA_OK and FSNSA_ERR_NUMERIC; after another error only what was known
 * by then (the epochs run, their losses; NaN for the rest). */
fsnsa_status fsnsa_train_with_report(const fsnsa_dataset *d,
                                     const fsnsa_train_options *opt,
                                     const fsnsa_net *init, fsnsa_net **out,
                                     fsnsa_train_report *report,
                                     fsnsa_error *err);

/* ------------------------------------------------------------------ */
/* Names of the option enums                                           */
/* ------------------------------------------------------------------ */
/* One table each (src/core/names.c), used by the model file, the
 * command's options and its --help alike. fsnsa_X_name gives the name of
 * a value ("?" outside the enum), fsnsa_X_parse the value of a name (-1
 * if none), fsnsa_X_names the NULL-terminated names in value order:
 *   method        "dense", "nsa", "fsa", "fsa-nsa" (parse also takes "nn",
 *                 "fsa_nsa", "fsa+nsa")
 *   scale         "none", "standard", "minmax"
 *   missing       "refuse", "mean", "zero"
 *   format        "auto", "csv", "libsvm", "arff", "uci"
 *   label source  "last", "first", "index", "name", "none", "file"
 *   variant       "paper", "stable" */
const char *fsnsa_method_name(fsnsa_method m);
int fsnsa_method_parse(const char *s);
const char *const *fsnsa_method_names(void);
const char *fsnsa_scale_name(fsnsa_scale s);
int fsnsa_scale_parse(const char *s);
const char *const *fsnsa_scale_names(void);
const char *fsnsa_missing_name(fsnsa_missing m);
int fsnsa_missing_parse(const char *s);
const char *const *fsnsa_missing_names(void);
const char *fsnsa_format_name(fsnsa_format f);
int fsnsa_format_parse(const char *s);
const char *const *fsnsa_format_names(void);
const char *fsnsa_label_source_name(fsnsa_label_source s);
int fsnsa_label_source_parse(const char *s);
const char *const *fsnsa_label_source_names(void);
/*   class weight  "none", "balanced", "given"
 *   keep          "last", "best" */
const char *fsnsa_class_weight_name(fsnsa_class_weight c);
int fsnsa_class_weight_parse(const char *s);
const char *const *fsnsa_class_weight_names(void);
const char *fsnsa_keep_name(fsnsa_keep k);
int fsnsa_keep_parse(const char *s);
const char *const *fsnsa_keep_names(void);
const char *fsnsa_variant_name(fsnsa_variant v);
int fsnsa_variant_parse(const char *s);
const char *const *fsnsa_variant_names(void);
/*   task          "classification", "regression" */
const char *fsnsa_task_name(fsnsa_task t);
int fsnsa_task_parse(const char *s);
const char *const *fsnsa_task_names(void);
/*   refit         "none", "dense"
 *   select score  "path", "refit"
 *   select rule   "one-se", "min" */
const char *fsnsa_refit_name(fsnsa_refit r);
int fsnsa_refit_parse(const char *s);
const char *const *fsnsa_refit_names(void);
const char *fsnsa_select_score_name(fsnsa_select_score s);
int fsnsa_select_score_parse(const char *s);
const char *const *fsnsa_select_score_names(void);
const char *fsnsa_select_rule_name(fsnsa_select_rule r);
int fsnsa_select_rule_parse(const char *s);
const char *const *fsnsa_select_rule_names(void);

/* ------------------------------------------------------------------ */
/* Metrics                                                             */
/* ------------------------------------------------------------------ */

/* Exact ROC AUC by ranks (ties count 1/2) of prob (n x n_classes, as
 * fsnsa_net_predict writes it): binary, the AUC of column 1 for label 1
 * against 0; more classes, the macro one-vs-rest average over the classes
 * that have an AUC (both positives and negatives, no NaN score in their
 * column). Rows with a label outside [0, n_classes) are left out. *auc is
 * NaN when no class has one; FSNSA_ERR_NOMEM when its work buffer (n
 * entries) cannot be allocated. */
fsnsa_status fsnsa_roc_auc(const float *prob, size_t n_classes,
                           const int32_t *y, size_t n, double *auc,
                           fsnsa_error *err);
/* argmax(prob row) == y */
double fsnsa_accuracy(const float *prob, size_t n_classes, const int32_t *y,
                      size_t n);
/* mean -log prob[y] (probabilities clamped at 1e-12). The command line
 * and the stored model report the exact loss from logits instead
 * (fsnsa_net_loss), which a diverged model does not cap at 27.6. */
double fsnsa_cross_entropy(const float *prob, size_t n_classes,
                           const int32_t *y, size_t n);
/* *loss = the mean cross-entropy of predicting every row by the class
 * frequencies of y (labels outside [0, n_classes) skipped): their entropy
 * in nats, the lowest loss any constant prediction reaches; NaN without a
 * label. FSNSA_ERR_NOMEM when its n_classes counts cannot be allocated. */
fsnsa_status fsnsa_constant_loss(const int32_t *y, size_t n,
                                 size_t n_classes, double *loss,
                                 fsnsa_error *err);
/* 1 when a mean training loss is worse than predicting the class
 * frequencies: not <= constant_loss + 1e-3 * max(1, constant_loss), so NaN
 * counts as worse; 0 otherwise. The margin lets a run stuck at the
 * constant prediction (a local minimum, within ~1e-5 of it at the default
 * learning rate) pass (docs/algorithm.md). */
int fsnsa_loss_worse_than_constant(double loss, double constant_loss);
/* Regression figures of pred against target (n each; rows whose target
 * is NaN are left out): root mean squared error, mean absolute error and
 * R^2 = 1 - SS_res / SS_tot (SS_tot about the targets' own mean, as
 * scikit-learn's r2_score; NaN when every target is the same). NaN
 * without a row. Any output pointer may be NULL. */
void fsnsa_regression_metrics(const float *pred, const float *target,
                              size_t n, double *rmse, double *mae,
                              double *r2);
/* counts[true * C + predicted] for n rows; counts has C*C entries */
void fsnsa_confusion(const float *prob, size_t n_classes, const int32_t *y,
                     size_t n, size_t *counts);
/* From a confusion matrix (fsnsa_confusion's C x C counts): recall[c] =
 * correct / rows of true class c (NaN for a class without rows), and the
 * balanced accuracy, their mean over the classes that have rows
 * (scikit-learn's balanced_accuracy_score); NaN without rows. recall may
 * be NULL. */
double fsnsa_balanced_accuracy(const size_t *counts, size_t n_classes,
                               double *recall);

/* ------------------------------------------------------------------ */
/* Output files                                                        */
/* ------------------------------------------------------------------ */
/* Every file the library or the command writes whole goes through one of
 * these, so that a reader never sees half a file and a failure leaves the
 * old one as it was (docs/RELIABILITY.md, "Outputs"):
 *  - a new name or a regular file: the bytes go to a temporary file in the
 *    same directory (anonymous with O_TMPFILE on Linux, so a killed process
 *    leaves nothing; else ".NAME.fsnsa-XXXXXX"), which commit fsyncs and
 *    renames onto the name, then fsyncs the directory. A new file gets the
 *    mode open(O_CREAT, 0666) gives under the umask; a replaced file keeps
 *    its permission bits (not its owner, nor its hard links: a
 *    replacement is a new file).
 *  - a symbolic link (chained, relative): followed to the file it finally
 *    names, which is replaced as above in its own directory; the link
 *    stays. A dangling link creates the file it names, as a shell's '>'.
 *  - an existing device or FIFO: opened and written directly, no
 *    temporary file, no rename (a FIFO's open waits for a reader). Abort
 *    cannot take back what it received.
 * Messages name `path` as given (and the link's target), never the
 * temporary file. Independent objects may be used from several threads,
 * also on the same path: the last commit wins, each one whole. */
typedef struct fsnsa_outfile fsnsa_outfile;

/* How an output will be written, for fsnsa_output_check. */
typedef enum {
    FSNSA_OUTPUT_REPLACE, /* written whole (fsnsa_outfile, fsnsa_model_save) */
    FSNSA_OUTPUT_APPEND   /* read back and appended to (fsnsa_jobfile) */
} fsnsa_output_use;

/* Whether `path` can be written as `use` says, without writing anything:
 * not a directory or socket (for APPEND: a regular file or nothing), its
 * directory exists and is writable when a file is to be created there.
 * For checking every output before long work starts. */
fsnsa_status fsnsa_output_check(const char *path, fsnsa_output_use use,
                                fsnsa_error *err);
/* Begin writing `path`; the bytes go to fsnsa_outfile_stream(). */
fsnsa_status fsnsa_outfile_open(const char *path, fsnsa_outfile **out,
                                fsnsa_error *err);
FILE *fsnsa_outfile_stream(fsnsa_outfile *f);
/* Flush, fsync and put the file in place. Frees f whatever happens; on an
 * error the old file is untouched and no temporary file remains. */
fsnsa_status fsnsa_outfile_commit(fsnsa_outfile *f, fsnsa_error *err);
/* Drop what was written (nothing changes at the path) and free f; NULL
 * is fine. */
void fsnsa_outfile_abort(fsnsa_outfile *f);

/* ------------------------------------------------------------------ */
/* Models: net + everything predict needs                              */
/* ------------------------------------------------------------------ */

/* The validation curve of a size chosen by cross-validation
 * (fsnsa_select_features, fsnsa_select_hidden, below); a model records
 * the curves that chose its sizes (format 1.5). */
typedef struct {
    size_t n_sizes;
    size_t *sizes;        /* ascending, distinct */
    double *mean, *se;    /* mean held-out loss per size, its standard
                             error (sample sd / sqrt(folds)) */
    size_t folds;
    double *fold_loss;    /* folds x n_sizes; +inf where training broke */
    size_t chosen;        /* index into sizes by rule */
    size_t k;             /* sizes[chosen] (h for fsnsa_select_hidden) */
    fsnsa_select_rule rule; /* how chosen was chosen (format 1.7 if min) */
} fsnsa_select_result;


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
     * default). Each is listed in READ_STRINGS (src/model/record.c),
     * the one table that writing, reading, copying and freeing go by. */
    char *na_values;      /* NULL: FSNSA_DEFAULT_NA_VALUES; "": none */
    char *ignore_columns; /* re-resolved against the file predicted */
} fsnsa_read_record;

typedef struct {
    fsnsa_net *net;
    fsnsa_schema schema;  /* raw columns -> encoded columns, class names */
    fsnsa_scaler scaler;  /* over the encoded columns (net->p_in) */
    fsnsa_train_options options; /* as trained (callbacks cleared) */
    fsnsa_missing missing;
    double train_loss;    /* final mean training loss, NaN if unknown */
    fsnsa_read_record read; /* how the training data was read */
    /* The importance of every encoded column (format 1.2; net->p_in
     * entries each, NULL when not recorded): drop_epoch[i] is the epoch
     * after whose pruning column i was dropped, 0 for a kept column;
     * relevance[i] its r_i (Eq. 4) then, or for a kept column its r_i in
     * the final network. */
    int *drop_epoch;
    float *relevance;
    /* Stability selection (format 1.2): stability[i] is the fraction of
     * the `restarts` runs (fsnsa_model_fit_restarts) that kept column i;
     * restarts 0 and stability NULL when not recorded. */
    size_t restarts;
    float *stability;
    /* Format 1.3: the class weights training used (n_classes entries,
     * NULL when none were), options.class_weights points here; the epoch
     * whose network the model holds with its validation loss and accuracy
     * (chosen_epoch 0 and NaN when no validation split was used). */
    float *class_weights;
    int chosen_epoch;
    double validation_loss, validation_accuracy;
    /* Format 1.4, regression (options.task): the network predicts the
     * target standardized on the training rows, (t - target_mean) /
     * target_sd; fsnsa_model_predict un-standardizes. Classification: 0
     * and 1. */
    double target_mean, target_sd;
    /* Format 1.4: the network's recall of each class (n_classes entries,
     * NaN for a class without rows) and the balanced accuracy, their mean
     * over the classes with rows, as fsnsa_balanced_accuracy gives them:
     * on the validation rows when training held some out
     * (recall_on_validation 1), else on the training rows (0). Recorded by
     * fsnsa_model_fit; recall NULL and balanced_accuracy NaN when not. */
    double *recall;
    double balanced_accuracy;
    int recall_on_validation;
    /* Format 1.5: the validation curves that chose k (select_features)
     * and h (select_hidden) by cross-validation, fold losses included;
     * n_sizes 0 for a size that was given. Owned by the model; set with
     * fsnsa_model_set_selection. */
    fsnsa_select_result select_features, select_hidden;
    /* Format 1.6: FSNSA_REFIT_DENSE when net is the dense refit on the
     * columns the training kept (drop_epoch, relevance and the curves
     * are the training's); FSNSA_REFIT_NONE otherwise. */
    fsnsa_refit refit;
} fsnsa_model;

/* Write through an fsnsa_outfile: atomically (a regular file is replaced
 * whole or not at all), a device or FIFO in place. */
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

/* Record in m (format 1.5) the curves that chose its k and its h by
 * cross-validation: copies of features and hidden, either NULL or with
 * n_sizes 0 for a size that was given (its record is cleared).
 * FSNSA_ERR_ARG for a curve the file cannot hold: sizes not ascending
 * and >= 1, fewer than 2 folds, a missing array, or chosen not the
 * index fsnsa_select_one_se gives with k = sizes[chosen]. */
fsnsa_status fsnsa_model_set_selection(fsnsa_model *m,
                                       const fsnsa_select_result *features,
                                       const fsnsa_select_result *hidden,
                                       fsnsa_error *err);

/* ------------------------------------------------------------------ */
/* Fitting and predicting (src/model/fit.c)                             */
/* ------------------------------------------------------------------ */
/* The steps between a data set and a model that `fsnsa train`, `fsnsa
 * predict` and the Python binding share, so that a model fitted by one
 * predicts the same in the others. */

typedef struct {
    fsnsa_train_options train; /* [fsnsa_train_options_default] */
    fsnsa_scale scale;         /* fitted on the training rows [standard] */
    fsnsa_missing missing;     /* NaN in the rows: refused [refuse], or
                                  imputed by the training mean or 0 */
    /* fsnsa_model_fit_restarts: runs with seeds train.seed ..
     * train.seed + restarts - 1 [1], and how many run at once, each on
     * one thread [1]; the result does not depend on threads. */
    size_t restarts;
    int threads;
    /* After training: keep the network, or refit a dense one on its
     * columns [none]. The model records it (format 1.6). */
    fsnsa_refit refit;
} fsnsa_fit_options;

void fsnsa_fit_options_default(fsnsa_fit_options *o);

/* Fit a model on the labeled data set d (raw values, as read): the
 * scaler fitted on d's rows (missing values ignored), a copy of the rows
 * imputed and scaled, the network trained on it (fsnsa_train_with_report;
 * report may be NULL), and the model assembled: network, resolved options
 * (callbacks cleared), d's schema, the scaler, the missing-value mode and
 * the final training loss. With init (a warm start) the model keeps
 * init's scaler and training starts from init's network (init->net->p_in
 * must equal d->p). How d was read is not recorded: call
 * fsnsa_model_set_read on *out for that. A broken training
 * (FSNSA_ERR_NUMERIC) gives *out = NULL, or with train.keep_going the
 * model of the kept network, still with FSNSA_ERR_NUMERIC. */
fsnsa_status fsnsa_model_fit(const fsnsa_dataset *d,
                             const fsnsa_fit_options *o,
                             const fsnsa_model *init, fsnsa_model **out,
                             fsnsa_train_report *report, fsnsa_error *err);

/* One run of fsnsa_model_fit_restarts. */
typedef struct {
    uint64_t seed;
    fsnsa_status status;  /* FSNSA_OK, or why the run failed (e.g.
                             FSNSA_ERR_NUMERIC: it broke and was not kept) */
    double loss;          /* final training loss (NaN when unknown) */
    size_t n_features;    /* the columns the run kept (ascending ids) */
    size_t *features;
} fsnsa_restart_run;

/* o->restarts fits of d (fsnsa_model_fit without a warm start) with seeds
 * o->train.seed + i, o->threads at a time; *out is the one with the lowest
 * final training loss (ties: the lower seed), with stability[i] = the
 * fraction of the runs that trained (status OK) and kept column i. runs,
 * when not NULL, gets o->restarts entries in seed order (free with
 * fsnsa_restart_runs_clear). With restarts > 1, o->train.on_epoch is not
 * called (the runs go at once); stop is polled. Fails with the first
 * run's error when no run trained, or at once on an error other than
 * FSNSA_ERR_NUMERIC. */
fsnsa_status fsnsa_model_fit_restarts(const fsnsa_dataset *d,
                                      const fsnsa_fit_options *o,
                                      fsnsa_model **out,
                                      fsnsa_restart_run *runs,
                                      fsnsa_error *err);
void fsnsa_restart_runs_clear(fsnsa_restart_run *runs, size_t n);

/* Every column of m ranked (order gets m->net->p_in column ids): the kept
 * ones by their relevance r_i, then the dropped ones, the last to be
 * dropped first and, within an epoch, by their r_i when dropped (ties:
 * the lower column). FSNSA_ERR_ARG when m records no importance. */
fsnsa_status fsnsa_model_importance_order(const fsnsa_model *m, size_t *order,
                                          fsnsa_error *err);

/* Impute and scale d in place as m's training rows were (d encoded with
 * m's schema: d->p == m->net->p_in). FSNSA_ERR_ARG names the first
 * missing value when m refuses them. */
fsnsa_status fsnsa_model_transform(const fsnsa_model *m, fsnsa_dataset *d,
                                   fsnsa_error *err);

/* Class probabilities (d->n x m->net->n_classes) of the raw rows of d:
 * a copy of d transformed as fsnsa_model_transform does, then
 * fsnsa_net_predict. */
fsnsa_status fsnsa_model_predict(const fsnsa_model *m,
                                 const fsnsa_dataset *d, float *prob,
                                 fsnsa_error *err);

/* ------------------------------------------------------------------ */
/* Choosing k and h by cross-validation (src/model/select_*.c)       */
/* ------------------------------------------------------------------ */

typedef struct {
    size_t folds;         /* stratified folds of the training rows [5] */
    int finetune_epochs;  /* epochs at each candidate size [5] */
    /* Candidate sizes (any order, each in [1, p]); n_sizes 0: the
     * two-ended path of fsnsa_select_path [0] */
    size_t n_sizes;
    const size_t *sizes;
    /* How a candidate is scored [path]; with refit, the epochs of each
     * refit (0: train.epochs) [0] */
    fsnsa_select_score score;
    int refit_epochs;
    /* Which size the curve chooses, for k and for h [one-se] */
    fsnsa_select_rule rule;
} fsnsa_select_options;

void fsnsa_select_options_default(fsnsa_select_options *o);

/* The default candidate sizes for p features, ascending: keep 1, 2, 4, ...
 * and drop 1, 2, 4, ... columns (p - 1, p - 2, p - 4, ...), and p itself,
 * so the path resolves both "which few matter" and "which few can go"
 * (a constant column, one redundant level of a one-hot attribute).
 * Writes at most cap sizes to out (2 log2 p + 1 suffice; 130 for any p)
 * and returns how many there are. */
size_t fsnsa_select_path(size_t p, size_t *out, size_t cap);
/* fsnsa_select_path in words, for --help and the docs. */
const char *fsnsa_select_path_text(void);

/* The one-standard-error rule over sizes in ascending order: the first
 * (fewest features) whose mean is at most the lowest finite mean plus
 * that one's standard error; n when no mean is finite. */
size_t fsnsa_select_one_se(const double *mean, const double *se, size_t n);
/* The index the rule chooses over sizes in ascending order: the one-SE
 * rule's, or the lowest finite mean's (ties: the fewer); n when no mean
 * is finite or the rule is unknown. */
size_t fsnsa_select_choose(const double *mean, const double *se, size_t n,
                           fsnsa_select_rule rule);
/* The index of r's lowest finite mean (ties: the fewer), r->n_sizes
 * when no mean is finite. */
size_t fsnsa_select_lowest(const fsnsa_select_result *r);

/* Choose k for o->train (fsa or fsa-nsa) on d by stratified
 * cross-validation: per fold (o->threads at a time; the result does not
 * depend on threads) the scaler is fitted on the fold's training rows and
 * one annealing run goes to the smallest candidate; each candidate c is
 * scored when the next epoch's pruning would go below c: a copy of the
 * net pruned to c by one epoch, fine-tuned finetune_epochs at c, and its
 * mean cross-entropy on the held-out rows; so->rule chooses among them.
 * The fold split's seed is o->train.seed. Free *r with
 * fsnsa_select_result_clear. */
fsnsa_status fsnsa_select_features(const fsnsa_dataset *d,
                                   const fsnsa_fit_options *o,
                                   const fsnsa_select_options *so,
                                   fsnsa_select_result *r, fsnsa_error *err);
void fsnsa_select_result_clear(fsnsa_select_result *r);

/* Choosing h by cross-validation (src/model/select_h.c): the default
 * candidate node counts, {8, 16, 32, 64, 128}; *n gets their number. */
const size_t *fsnsa_select_hidden_default(size_t *n);

/* Choose the final hidden nodes h for o->train (any method) on d by
 * stratified cross-validation, so->rule (one-SE: toward fewer nodes): every
 * (fold, candidate) is one full training at that h, scored by its mean
 * cross-entropy on the fold's held-out rows (o->threads jobs at a time;
 * the result does not depend on threads). Candidates: so->sizes, each in
 * [1, start_hidden] for nsa and fsa-nsa, or the default ones up to
 * start_hidden; so->finetune_epochs is not used. r->k is the chosen h.
 * The fold split's seed is o->train.seed. Free *r with
 * fsnsa_select_result_clear. */
fsnsa_status fsnsa_select_hidden(const fsnsa_dataset *d,
                                 const fsnsa_fit_options *o,
                                 const fsnsa_select_options *so,
                                 fsnsa_select_result *r, fsnsa_error *err);

FSNSA_API_END

#ifdef __cplusplus
}
#endif
#endif /* FSNSA_H */

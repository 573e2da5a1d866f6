/* The model file (docs/model-format.md describes it line by line): a
 * versioned, checksummed text format in the spirit of LIBLINEAR's. Not
 * part of the API. One concept per file, each calling only those below it:
 *
 *   read.c    loading: the file, CRLF line ends, the early refusal of a
 *             file that is no model, the version line, the checksum
 *   parse.c   the body, section by section in the order write.c writes it
 *   tokens.c  the reader's tokenizer and typed getters (tokens.h)
 *   write.c   the writer: the model as text, the checksum, the atomic write
 *   check.c   what save refuses: everything the loader would refuse
 *   model.c   the model object (free) and the format's list of keys
 *   record.c  the read record: how the training data was read (1.1)
 *   recall.c  the per-class recall a fit records (1.4)
 *   curve.c   the validation curves of sizes chosen by cross-validation
 *             (1.5): checked, copied, read back
 *
 * Text rather than binary so that a user can read the selected features
 * and the weights with any tool; every number is written in the shortest
 * form that reads back bit for bit, under the C locale. The file is built
 * in memory and written atomically; the loader reads it whole, checks
 * magic, version and CRC-32 before parsing, then checks every size against
 * the limits below and against the bytes actually present before
 * allocating anything, so a hostile file can neither crash it nor make it
 * allocate much more than its own size. */
#ifndef FSNSA_MODEL_H
#define FSNSA_MODEL_H

#include "core/core.h"

#include <stdbool.h>
#include <string.h>

#define MODEL_MAGIC "fsnsa-model"
#define MODEL_MAJOR 1
#define MODEL_MINOR 7
/* The minor of a file with 1.6's lines but none of 1.7's. */
#define MODEL_MINOR_REFIT 6
/* The minor of a file with 1.5's lines but none of 1.6's. */
#define MODEL_MINOR_SELECT 5
/* The minor of a file with 1.4's lines but none of 1.5's. */
#define MODEL_MINOR_RECALL 4
/* The minor of a file with 1.3's lines but none of 1.4's. */
#define MODEL_MINOR_VALIDATION 3
/* The minor of a file with 1.2's lines but none of 1.3's. */
#define MODEL_MINOR_IMPORTANCE 2
/* The minor of a file that records how its data was read but nothing of
 * 1.2: written as before, so that such a file stays byte for byte 1.1. */
#define MODEL_MINOR_READ 1

/* Resource limits (see docs/model-format.md). Far above any model the
 * trainer produces, far below what would exhaust memory. */
#define MODEL_MAX_FILE_BYTES ((uint64_t)4 << 30)
#define MODEL_MAX_WIDTH ((size_t)1 << 26) /* p_in, columns, values of a column */
#define MODEL_MAX_HIDDEN ((size_t)1 << 24)
#define MODEL_MAX_CLASSES ((size_t)1 << 20)

/* Parse a model file held in memory (read.c); `name` prefixes the error
 * messages. verify_crc = false still requires the checksum line but skips
 * comparing it, so that a fuzzer reaches the parser. */
fsnsa_status fsnsa__model_parse(const char *data, size_t size,
                                const char *name, bool verify_crc,
                                fsnsa_model **out, fsnsa_error *err);

/* What the saver refuses (check.c): anything the loader would refuse, so
 * that a model that was written can always be read back. */
fsnsa_status fsnsa__model_check(const fsnsa_model *m, fsnsa_error *err);

/* Whether w[0..n) is a key of format 1.0 or 1.1 (model.c): a line with
 * any other key in a file of a newer minor version is skipped. */
bool fsnsa__model_known_key(const char *w, size_t n);

/* Whether the token w[0..n) is exactly `key`. */
static inline bool fsnsa__is_key(const char *w, size_t n, const char *key)
{
    return strlen(key) == n && memcmp(w, key, n) == 0;
}

/* Whether m holds a line of format 1.3: class weights, validation, or a
 * variant other than the paper's (a file without the line was trained by
 * the paper's). */
static inline bool fsnsa__model_has_1_3(const fsnsa_model *m)
{
    return m->class_weights != NULL || m->options.validation_fraction > 0 ||
           m->options.variant != FSNSA_VARIANT_PAPER;
}

/* Whether m holds a line of format 1.4 (the one place that says which
 * 1.4 lines a model has): the task and the target's scaling (only a
 * regression model writes them), or the per-class recall (every
 * classifier fsnsa_model_fit makes). */
static inline bool fsnsa__model_has_1_4(const fsnsa_model *m)
{
    return m->options.task == FSNSA_TASK_REGRESSION || m->recall != NULL;
}

/* Whether m holds a line of format 1.5: a curve of a size chosen by
 * cross-validation. */
static inline bool fsnsa__model_has_1_5(const fsnsa_model *m)
{
    return m->select_features.n_sizes > 0 || m->select_hidden.n_sizes > 0;
}

/* Whether m holds a line of format 1.6: a dense refit. */
static inline bool fsnsa__model_has_1_6(const fsnsa_model *m)
{
    return m->refit != FSNSA_REFIT_NONE;
}

/* Whether m holds a line of format 1.7: a curve chosen by a rule other
 * than one-se. */
static inline bool fsnsa__model_has_1_7(const fsnsa_model *m)
{
    return (m->select_features.n_sizes > 0 &&
            m->select_features.rule != FSNSA_SELECT_RULE_ONE_SE) ||
           (m->select_hidden.n_sizes > 0 &&
            m->select_hidden.rule != FSNSA_SELECT_RULE_ONE_SE);
}

/* Whether m holds a line of format 1.2 (importance, stability). */
static inline bool fsnsa__model_has_1_2(const fsnsa_model *m)
{
    return m->drop_epoch != NULL || m->stability != NULL;
}

/* ---- The per-class recall (recall.c) ------------------------------ */

/* m->recall, balanced_accuracy and recall_on_validation of m's network
 * on `rows` (the scaled rows it was fitted on): on the validation split
 * of m->options when it has one, else on every row. */
fsnsa_status fsnsa__model_record_recall(const fsnsa_dataset *rows,
                                        fsnsa_model *m, fsnsa_error *err);

/* ---- The validation curves (curve.c) ------------------------------ */

/* The names after "select": "features", "hidden" (NULL-terminated). */
const char *const *fsnsa__curve_names(void);
/* Why the file cannot hold curve c, or NULL; max: its largest size. */
const char *fsnsa__curve_problem(const fsnsa_select_result *c, size_t max);

/* ---- The importance of the columns (importance.c) ------------------ */

/* fsnsa_model_fit's per-epoch callback state: the caller's callback, and
 * the drop epoch and relevance of each of the p_in columns. */
typedef struct {
    fsnsa_epoch_fn user;
    void *user_ctx;
    int *drop_epoch;
    float *relevance;
} fsnsa__importance;

/* Zeroed arrays for p_in columns; o's callback is remembered. */
fsnsa_status fsnsa__importance_start(fsnsa__importance *imp,
                                     const fsnsa_train_options *o,
                                     size_t p_in, fsnsa_error *err);
/* The fsnsa_epoch_fn to train with (ctx: the fsnsa__importance). */
int fsnsa__importance_on_epoch(const fsnsa_epoch_info *e, void *ctx);
/* The kept columns' final r_i, and the arrays handed to m. */
fsnsa_status fsnsa__importance_finish(fsnsa__importance *imp, fsnsa_model *m,
                                      fsnsa_error *err);
void fsnsa__importance_clear(fsnsa__importance *imp);

/* ---- The dense refit (refit.c) ---------------------------------- */

/* A fresh dense net of h nodes trained under o (method dense, callbacks
 * cleared, epochs > 0 replacing o->epochs) on the scaled rows' columns
 * that `kept` reads, alone; *out reads them from rows of rows->p columns,
 * as kept does. report may be NULL. */
fsnsa_status fsnsa__refit_dense(const fsnsa_dataset *rows,
                                const fsnsa_net *kept, size_t h,
                                const fsnsa_train_options *o, int epochs,
                                fsnsa_net **out, fsnsa_train_report *report,
                                fsnsa_error *err);

/* ---- The read record (record.c) ---------------------------------- */

/* Whether the model records how its data was read (else a 1.0 file). */
static inline bool fsnsa__read_recorded(const fsnsa_read_record *r)
{
    return r->layout.format != FSNSA_FORMAT_AUTO;
}

/* read.header's names for the layout's header -1, 0, 1 (three). */
const char *const *fsnsa__read_header_names(void);

/* The read options that are strings, each stored as a "read.NAME S" line
 * after read.label (absent or '-': NULL). The field has the same name in
 * fsnsa_read_record (owned copy) and in fsnsa_read_options. To store one
 * more: its field in fsnsa_read_record, and READ_STRING(name) in
 * record.c's READ_STRINGS. Tables come from functions, as core/names.c's
 * do, so that the library exports no data. */
typedef struct {
    const char *key;
    size_t record, options; /* offsets of the char * fields */
} fsnsa__read_string;
const fsnsa__read_string *fsnsa__read_strings(void); /* key NULL: end */

/* The string field at offset `off` of a struct (char * or const char *:
 * the same representation). */
static inline char *fsnsa__str_at(const void *base, size_t off)
{
    char *v;
    memcpy(&v, (const char *)base + off, sizeof v);
    return v;
}
static inline void fsnsa__set_str_at(void *base, size_t off, const char *v)
{
    memcpy((char *)base + off, &v, sizeof v);
}

/* Set r->label_column from r->layout. */
void fsnsa__read_record_label_column(fsnsa_read_record *r);
/* What contradicts itself in a recorded r (or with schema s), or NULL;
 * buf (of size) holds the message when it is the read options' own. */
const char *fsnsa__read_record_problem(const fsnsa_read_record *r,
                                       const fsnsa_schema *s, char *buf,
                                       size_t size);

/* The number of names in a NULL-terminated list (core/names.c's). */
static inline size_t fsnsa__count_names(const char *const *v)
{
    size_t n = 0;
    while (v[n] != NULL)
        n++;
    return n;
}

#endif

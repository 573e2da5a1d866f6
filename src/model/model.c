/* The model object's release, and the format's list of keys, which the
 * reader uses for its version policy: a file of a newer minor version
 * may carry lines with other keys, which this fsnsa skips. */
#include "model.h"

#include <stdlib.h>

/* Every key of versions 1.0 to 1.6 but the read strings (record.c). */
static const char *const KEYS[] = {
    "created_by", "train.method", "train.hidden", "train.start_hidden",
    "train.features", "train.epochs", "train.mu", "train.batch", "train.lr",
    "train.beta1", "train.beta2", "train.eps", "train.weight_decay",
    "train.seed", "train.shuffle", "train_loss", "missing", "label",
    "classes", "class", "columns", "column", "value", "encoded_width",
    "scale", "shift", "mult", "fill", "p_in", "p", "h", "n_classes", "n_out",
    "features", "W", "b", "beta", "c", "crc32", "read.format",
    "read.delimiter", "read.decimal", "read.header", "read.fields",
    "read.label", "drop_epoch", "relevance", "restarts", "stability",
    "class_weight", "class_weights", "validation_fraction", "keep",
    "early_stopping", "chosen_epoch", "validation_loss",
    "validation_accuracy",
    "train.variant", "train.task", "target_mean", "target_sd",
    "recall_rows", "balanced_accuracy", "recall",
    "select", "select.folds", "select.rule", "select.sizes", "select.mean",
    "select.se", "select.fold_loss", "select.lowest", "select.chosen",
    "refit"};

bool fsnsa__model_known_key(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++)
        if (fsnsa__is_key(w, n, KEYS[i]))
            return true;
    for (const fsnsa__read_string *e = fsnsa__read_strings(); e->key != NULL; e++)
        if (fsnsa__is_key(w, n, e->key))
            return true;
    return false;
}

void fsnsa_model_free(fsnsa_model *m)
{
    if (m == NULL)
        return;
    fsnsa_net_free(m->net);
    fsnsa_schema_clear(&m->schema);
    fsnsa_scaler_clear(&m->scaler);
    fsnsa_read_record_clear(&m->read);
    free(m->drop_epoch);
    free(m->relevance);
    free(m->stability);
    free(m->class_weights);
    free(m->recall);
    fsnsa_select_result_clear(&m->select_features);
    fsnsa_select_result_clear(&m->select_hidden);
    free(m);
}

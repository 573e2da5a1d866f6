/* The class-weight and validation options: see validation_options.h. */
#include "validation_options.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "help.h"
#include "messages.h"

/* --class-weight balanced|none, or a NAME=W list kept for later. */
static int class_weight_option(const char *cmd, const char *arg,
                               fsnsa_train_options *t, const char **spec)
{
    int v = fsnsa_class_weight_parse(arg);
    if (v == FSNSA_CLASS_WEIGHT_NONE || v == FSNSA_CLASS_WEIGHT_BALANCED) {
        t->class_weight = (fsnsa_class_weight)v;
        *spec = NULL;
        return 0;
    }
    if (strchr(arg, '=') == NULL) {
        cli_error(cmd, "--class-weight: expected balanced, none or "
                  "NAME=W,..., got '%s'", arg);
        return -1;
    }
    t->class_weight = FSNSA_CLASS_WEIGHT_GIVEN;
    *spec = arg;
    return 0;
}

int cli_validation_option(const char *cmd, int c, int first, const char *arg,
                          fsnsa_train_options *t, const char **spec)
{
    long long ll;
    int v;
    switch (c - first) {
    case CLI_VAL_CLASS_WEIGHT:
        return class_weight_option(cmd, arg, t, spec);
    case CLI_VAL_FRACTION:
        return cli_opt_double(cmd, "validation-fraction", arg, 0, 1, 1, 1,
                              &t->validation_fraction);
    case CLI_VAL_KEEP:
        if (cli_opt_enum(cmd, "keep", arg, fsnsa_keep_parse,
                         fsnsa_keep_names(), &v) != 0)
            return -1;
        t->keep = (fsnsa_keep)v;
        return 0;
    case CLI_VAL_EARLY_STOPPING:
        if (cli_opt_int(cmd, "early-stopping", arg, 0, 1000000, &ll) != 0)
            return -1;
        t->early_stopping = (int)ll;
        return 0;
    default:
        return 1;
    }
}

void cli_validation_help(FILE *f, const fsnsa_train_options *d)
{
    char keeps[32];
    cli_help_opt(f, "--class-weight W", "balanced, none or NAME=W,...: weight each "
                 "row's cross-entropy by its class: balanced = n / (classes "
                 "x rows of the class) on the training rows (scikit-learn's); "
                 "a class not named weighs 1. The training loss shown per "
                 "epoch, the validation loss and the model's train_loss are "
                 "the weighted ones; the train/test lines after training "
                 "show the plain cross-entropy [%s]",
                 fsnsa_class_weight_name(d->class_weight));
    cli_help_opt(f, "--validation-fraction F", "hold out a stratified "
                 "fraction F in (0, 1) of the training rows (seeded by "
                 "--seed) and report its loss and accuracy every epoch "
                 "[%g: none]", d->validation_fraction);
    cli_help_opt(f, "--keep K", "%s: the network saved is the last "
                 "epoch's, or the one with the lowest validation loss among "
                 "the epochs at which it has its final size (never --test) "
                 "[%s]",
                 cli_help_choices(fsnsa_keep_names(), keeps, sizeof keeps),
                 fsnsa_keep_name(d->keep));
    cli_help_opt(f, "--early-stopping K", "stop after K epochs without a "
                 "lower validation loss, counted once the network has its "
                 "final size (dense: from the start) [%d: never]",
                 d->early_stopping);
}

/* One "NAME=W" item into w (by the class's id in s). */
static int class_weight_item(const char *cmd, const char *item, size_t len,
                             const fsnsa_schema *s, float *w)
{
    const char *eq = memchr(item, '=', len);
    if (eq == NULL) {
        cli_error(cmd, "--class-weight: '%.*s' is not NAME=W", (int)len, item);
        return -1;
    }
    size_t nlen = (size_t)(eq - item), c = 0;
    while (c < s->n_classes && !(strlen(s->class_names[c]) == nlen &&
                                 memcmp(s->class_names[c], item, nlen) == 0))
        c++;
    if (c == s->n_classes) {
        cli_error(cmd, "--class-weight: no class '%.*s' in the data",
                  (int)nlen, item);
        return -1;
    }
    char num[64];
    size_t vlen = len - nlen - 1;
    snprintf(num, sizeof num, "%.*s", (int)(vlen < 63 ? vlen : 63), eq + 1);
    double v;
    if (cli_opt_double(cmd, "class-weight", num, 0, 0, INFINITY, 1, &v) != 0)
        return -1;
    w[c] = (float)v;
    return 0;
}

int cli_class_weights_resolve(const char *cmd, const char *spec,
                              const fsnsa_schema *s, float **out)
{
    float *w = malloc((s->n_classes ? s->n_classes : 1) * sizeof *w);
    if (w == NULL) {
        cli_error(cmd, "out of memory");
        return -1;
    }
    for (size_t c = 0; c < s->n_classes; c++)
        w[c] = 1.0f;
    for (const char *p = spec; *p != '\0';) {
        size_t len = strcspn(p, ",");
        if (class_weight_item(cmd, p, len, s, w) != 0) {
            free(w);
            return -1;
        }
        p += len + (p[len] == ',');
    }
    *out = w;
    return 0;
}

/* The names of the option enums, one table each: the model file writes and
 * reads them, the command parses its options and prints its --help with
 * them, so a name is spelled in one place. */
#include "core.h"

#include <string.h>

typedef struct {
    const char *name;
    int value;
} alias;

/* Each list is in value order and NULL-terminated. */
static const char *const METHODS[] = {"dense", "nsa", "fsa", "fsa-nsa", NULL};
static const char *const SCALES[] = {"none", "standard", "minmax", NULL};
static const char *const MISSING[] = {"refuse", "mean", "zero", NULL};
static const char *const FORMATS[] = {"auto", "csv", "libsvm", "arff", "uci",
                                      NULL};
static const char *const LABEL_SOURCES[] = {"last", "first", "index", "name",
                                            "none", "file", NULL};
static const char *const CLASS_WEIGHTS[] = {"none", "balanced", "given", NULL};
static const char *const KEEPS[] = {"last", "best", NULL};
static const char *const VARIANTS[] = {"paper", "stable", NULL};
static const char *const TASKS[] = {"classification", "regression", NULL};
static const char *const REFITS[] = {"none", "dense", NULL};
static const char *const SELECT_SCORES[] = {"path", "refit", NULL};
static const char *const SELECT_RULES[] = {"one-se", "min", NULL};
/* Other spellings users write: PyTorch's peer says nn and fsa_nsa. */
static const alias METHOD_ALIASES[] = {{"nn", FSNSA_METHOD_DENSE},
                                       {"fsa_nsa", FSNSA_METHOD_FSA_NSA},
                                       {"fsa+nsa", FSNSA_METHOD_FSA_NSA},
                                       {NULL, 0}};

static const char *name_of(const char *const *names, int v)
{
    for (int i = 0; names[i] != NULL; i++)
        if (i == v)
            return names[i];
    return "?";
}

static int value_of(const char *const *names, const alias *aliases,
                    const char *s)
{
    if (s == NULL)
        return -1;
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    for (const alias *a = aliases; a != NULL && a->name != NULL; a++)
        if (strcmp(a->name, s) == 0)
            return a->value;
    return -1;
}

const char *fsnsa_method_name(fsnsa_method m) { return name_of(METHODS, (int)m); }
int fsnsa_method_parse(const char *s) { return value_of(METHODS, METHOD_ALIASES, s); }
const char *const *fsnsa_method_names(void) { return METHODS; }

const char *fsnsa_scale_name(fsnsa_scale s) { return name_of(SCALES, (int)s); }
int fsnsa_scale_parse(const char *s) { return value_of(SCALES, NULL, s); }
const char *const *fsnsa_scale_names(void) { return SCALES; }

const char *fsnsa_missing_name(fsnsa_missing m) { return name_of(MISSING, (int)m); }
int fsnsa_missing_parse(const char *s) { return value_of(MISSING, NULL, s); }
const char *const *fsnsa_missing_names(void) { return MISSING; }

const char *fsnsa_format_name(fsnsa_format f) { return name_of(FORMATS, (int)f); }
int fsnsa_format_parse(const char *s) { return value_of(FORMATS, NULL, s); }
const char *const *fsnsa_format_names(void) { return FORMATS; }

const char *fsnsa_label_source_name(fsnsa_label_source s)
{
    return name_of(LABEL_SOURCES, (int)s);
}
int fsnsa_label_source_parse(const char *s)
{
    return value_of(LABEL_SOURCES, NULL, s);
}
const char *const *fsnsa_label_source_names(void) { return LABEL_SOURCES; }

const char *fsnsa_class_weight_name(fsnsa_class_weight c)
{
    return name_of(CLASS_WEIGHTS, (int)c);
}
int fsnsa_class_weight_parse(const char *s)
{
    return value_of(CLASS_WEIGHTS, NULL, s);
}
const char *const *fsnsa_class_weight_names(void) { return CLASS_WEIGHTS; }

const char *fsnsa_keep_name(fsnsa_keep k) { return name_of(KEEPS, (int)k); }
int fsnsa_keep_parse(const char *s) { return value_of(KEEPS, NULL, s); }
const char *const *fsnsa_keep_names(void) { return KEEPS; }
const char *fsnsa_variant_name(fsnsa_variant v) { return name_of(VARIANTS, (int)v); }
int fsnsa_variant_parse(const char *s) { return value_of(VARIANTS, NULL, s); }
const char *const *fsnsa_variant_names(void) { return VARIANTS; }

const char *fsnsa_task_name(fsnsa_task t) { return name_of(TASKS, (int)t); }
int fsnsa_task_parse(const char *s) { return value_of(TASKS, NULL, s); }
const char *const *fsnsa_task_names(void) { return TASKS; }

const char *fsnsa_refit_name(fsnsa_refit r) { return name_of(REFITS, (int)r); }
int fsnsa_refit_parse(const char *s) { return value_of(REFITS, NULL, s); }
const char *const *fsnsa_refit_names(void) { return REFITS; }
const char *fsnsa_select_score_name(fsnsa_select_score s)
{
    return name_of(SELECT_SCORES, (int)s);
}
int fsnsa_select_score_parse(const char *s)
{
    return value_of(SELECT_SCORES, NULL, s);
}
const char *const *fsnsa_select_score_names(void) { return SELECT_SCORES; }
const char *fsnsa_select_rule_name(fsnsa_select_rule r)
{
    return name_of(SELECT_RULES, (int)r);
}
int fsnsa_select_rule_parse(const char *s)
{
    return value_of(SELECT_RULES, NULL, s);
}
const char *const *fsnsa_select_rule_names(void) { return SELECT_RULES; }

/* A numeric-looking label column: see label_task.h. */
#include "label_task.h"

#include <stdio.h>
#include <string.h>

#include "args.h"
#include "messages.h"

int cli_refuse_numeric_label(const char *cmd, const char *path,
                             const fsnsa_dataset *d, const char *hint)
{
    const fsnsa_schema *s = &d->schema;
    size_t numbers, fractions;
    if (d->target != NULL ||
        fsnsa_task_detect((const char *const *)s->class_names, s->n_classes,
                          d->layout.decimal, &numbers, &fractions) !=
            FSNSA_TASK_REGRESSION)
        return 0;
    char name[96] = "";
    if (s->label_name != NULL)
        snprintf(name, sizeof name, " '%.80s'", s->label_name);
    cli_error(cmd, "%s: the label column%s holds %zu distinct numbers, "
              "%zu not integers: it looks like a regression target; %s",
              path, name, numbers, fractions, hint);
    return CLI_FAIL;
}

int cli_task_option(const char *cmd, const char *arg, fsnsa_read_options *ro,
                    fsnsa_train_options *t, int *given)
{
    int v;
    if (cli_opt_enum(cmd, "task", arg, fsnsa_task_parse, fsnsa_task_names(),
                     &v) != 0)
        return -1;
    t->task = ro->task = (fsnsa_task)v;
    *given = 1;
    return 0;
}

void cli_continuous_target_hint(const char *cmd, int task_given,
                                const fsnsa_error *err, const char *what_for)
{
    if (!task_given && strstr(err->msg, "continuous target") != NULL)
        cli_error(cmd, "give --task regression to %s", what_for);
}

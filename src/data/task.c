/* Whether a label column looks like a regression target rather than
 * classes (fsnsa_task_detect): the rule `fsnsa train` applies when no
 * task is given, so that a continuous target never trains silently as
 * hundreds of classes. */
#include "core/core.h"
#include "number.h"

#include <math.h>
#include <string.h>

fsnsa_task fsnsa_task_detect(const char *const *values, size_t n,
                             char decimal, size_t *n_numbers,
                             size_t *n_non_integer)
{
    size_t numbers = 0, fractions = 0;
    for (size_t i = 0; i < n; i++) {
        float v;
        const char *s = values[i] != NULL ? values[i] : "";
        if (fsnsa__parse_number(s, strlen(s), decimal ? decimal : '.', &v) != 0 ||
            !isfinite(v))
            continue;
        numbers++;
        fractions += floorf(v) != v;
    }
    if (n_numbers != NULL)
        *n_numbers = numbers;
    if (n_non_integer != NULL)
        *n_non_integer = fractions;
    bool numeric = n > 0 && numbers == n &&
                   (fractions > 0 || n > FSNSA_TASK_MAX_INTEGER_CLASSES);
    return numeric ? FSNSA_TASK_REGRESSION : FSNSA_TASK_CLASSIFICATION;
}

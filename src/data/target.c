/* A regression read's labels: each row's label text as a number. */
#include "table.h"

#include "number.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

fsnsa_status fsnsa__table_target(const fsnsa__table *t, fsnsa_dataset *d,
                                 fsnsa_error *err)
{
    size_t k = t->labels.n;
    float *value = fsnsa__alloc(k > 0 ? k : 1, sizeof *value);
    d->target = fsnsa__alloc(t->n > 0 ? t->n : 1, sizeof *d->target);
    if (value == NULL || d->target == NULL) {
        free(value);
        return fsnsa__nomem(err, "the targets");
    }
    const char *path = t->label_path ? t->label_path : t->path;
    for (size_t i = 0; i < k; i++) {
        const char *s = fsnsa__dict_str(&t->labels, i);
        value[i] = NAN;
        if (fsnsa__loose_number(t->decimal, s, strlen(s), &value[i]) == 0 &&
            isfinite(value[i]))
            continue;
        size_t row = 0;
        while (row < t->n && (size_t)t->y[row] != i)
            row++;
        char sb[64];
        free(value);
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s: data row %zu: the label '%s' is not a finite "
                           "number, and a regression target must be",
                           path, row + 1, fsnsa__show(sb, sizeof sb, s, strlen(s)));
    }
    for (size_t r = 0; r < t->n; r++) {
        d->target[r] = value[t->y[r]];
        d->y[r] = -1;
    }
    free(value);
    fsnsa_strings_free(d->schema.class_names, d->schema.n_classes);
    d->schema.class_names = NULL;
    d->schema.n_classes = 0;
    return FSNSA_OK;
}

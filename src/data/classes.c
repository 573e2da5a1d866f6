/* Class ids of a training read, and labels that are not classes: a
 * continuous target or identifiers are refused, very many classes get a
 * warning. */
#include "table.h"

#include "limits.h"
#include "number.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double v;
    size_t id;
} num_id;

static int cmp_num_id(const void *a, const void *b)
{
    const num_id *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* map[id] = class of the label with that id: numerically sorted when
 * every label is a number (equal numbers merge), else in order of first
 * appearance; declared lists keep their order. */
static fsnsa_status class_map(const fsnsa__table *t, size_t *map,
                              size_t *n_classes, fsnsa_error *err)
{
    size_t k = t->labels.n;
    *n_classes = k;
    for (size_t i = 0; i < k; i++)
        map[i] = i;
    if (t->labels_fixed || k == 0)
        return FSNSA_OK;
    num_id *nums = fsnsa__alloc(k, sizeof *nums);
    if (nums == NULL)
        return fsnsa__nomem(err, "classes");
    for (size_t i = 0; i < k; i++) {
        const char *s = fsnsa__dict_str(&t->labels, i);
        float v;
        if (fsnsa__parse_number(s, strlen(s), t->decimal ? t->decimal : '.',
                                &v) != 0) {
            free(nums);
            return FSNSA_OK;
        }
        nums[i].v = v;
        nums[i].id = i;
    }
    qsort(nums, k, sizeof *nums, cmp_num_id);
    size_t c = 0;
    for (size_t i = 0; i < k; i++) {
        if (i > 0 && nums[i].v != nums[i - 1].v)
            c++;
        map[nums[i].id] = c;
    }
    *n_classes = c + 1;
    free(nums);
    return FSNSA_OK;
}

/* d's class names (the first text seen, the lowest id, names a merged
 * class) and labels through map. */
static fsnsa_status name_classes(const fsnsa__table *t, fsnsa_dataset *d,
                                 const size_t *map, size_t n_classes,
                                 fsnsa_error *err)
{
    d->schema.class_names = fsnsa__calloc(n_classes, sizeof(char *));
    if (d->schema.class_names == NULL)
        return fsnsa__nomem(err, "class names");
    d->schema.n_classes = n_classes;
    for (size_t i = t->labels.n; i-- > 0;) {
        free(d->schema.class_names[map[i]]);
        d->schema.class_names[map[i]] =
            fsnsa__strdup(fsnsa__dict_str(&t->labels, i));
        if (d->schema.class_names[map[i]] == NULL)
            return fsnsa__nomem(err, "class names");
    }
    for (size_t i = 0; i < t->n; i++)
        d->y[i] = (int32_t)map[t->y[i]];
    return FSNSA_OK;
}

/* Training needs two classes actually present. */
static fsnsa_status check_two_classes(const fsnsa__table *t,
                                      const fsnsa_dataset *d, fsnsa_error *err)
{
    for (size_t i = 1; i < d->n; i++)
        if (d->y[i] != d->y[0])
            return FSNSA_OK;
    return fsnsa__fail(err, FSNSA_ERR_PARSE,
                       "%s:%zu:%zu: every row has the class '%s'; training "
                       "needs at least 2 classes",
                       t->label_path ? t->label_path : t->path, t->label_line,
                       t->label_col, d->schema.class_names[d->y[0]]);
}

/* Training labels that are not classes: most rows with a class of their
 * own (a continuous target, identifiers) are refused; very many classes
 * get a warning. */
static fsnsa_status check_classes(const fsnsa__table *t, const fsnsa_dataset *d,
                                  fsnsa_error *err)
{
    size_t k = d->schema.n_classes;
    if (k <= FSNSA__MANY_VALUES)
        return FSNSA_OK;
    size_t *count = fsnsa__calloc(k, sizeof *count);
    if (count == NULL)
        return fsnsa__nomem(err, "classes");
    for (size_t i = 0; i < d->n; i++)
        count[d->y[i]]++;
    size_t used = 0, once = 0;
    bool numbers = true;
    for (size_t c = 0; c < k; c++) {
        float v;
        const char *name = d->schema.class_names[c];
        used += count[c] > 0;
        once += count[c] == 1;
        if (count[c] > 0 && fsnsa__loose_number(t->decimal, name, strlen(name), &v) != 0)
            numbers = false;
    }
    free(count);
    const char *path = t->label_path ? t->label_path : t->path;
    size_t line = t->label_path ? 1 : t->first_line;
    char nb[80] = "";
    if (t->label_name != NULL && t->label_name[0] != '\0')
        snprintf(nb, sizeof nb, " '%.60s'", t->label_name);
    if (once * 2 > d->n)
        return fsnsa__fail(err, FSNSA_ERR_PARSE,
                           "%s:%zu:%zu: the label column%s holds %zu distinct "
                           "%s in %zu rows, %zu of them once: %s (read it "
                           "with task regression, or choose the class "
                           "column with the 'label_column' option)",
                           path, line, t->label_col, nb, used,
                           numbers ? "numbers" : "values", d->n, once,
                           numbers ? "it looks like a continuous target"
                                   : "identifiers or text, not classes");
    if (k > FSNSA__MANY_CLASSES)
        fsnsa__table_warn(t,
                          "%s:%zu:%zu: the label column%s has %zu classes in "
                          "%zu rows: the network has an output per class, "
                          "and training time and memory grow with them",
                          path, line, t->label_col, nb, k, d->n);
    return FSNSA_OK;
}

fsnsa_status fsnsa__table_classes(fsnsa__table *t, fsnsa_dataset *d,
                                  fsnsa_error *err)
{
    size_t *map = fsnsa__alloc(t->labels.n, sizeof *map), n_classes;
    if (map == NULL)
        return fsnsa__nomem(err, "classes");
    fsnsa_status st = class_map(t, map, &n_classes, err);
    if (st == FSNSA_OK)
        st = name_classes(t, d, map, n_classes, err);
    free(map);
    if (st == FSNSA_OK)
        st = check_two_classes(t, d, err);
    if (st == FSNSA_OK)
        st = check_classes(t, d, err);
    return st;
}

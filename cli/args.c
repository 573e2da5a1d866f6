/* Option values with their errors printed: see args.h. */
#include "args.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "messages.h"

int cli_opt_result(const char *cmd, const char *name, const char *error)
{
    if (error == NULL)
        return 0;
    cli_error(cmd, "--%s: %s", name, error);
    return -1;
}

int cli_opt_int(const char *cmd, const char *name, const char *s,
                long long lo, long long hi, long long *out)
{
    cli_msg m;
    return cli_opt_result(cmd, name, cli_parse_int(s, lo, hi, out, &m));
}

int cli_opt_size(const char *cmd, const char *name, const char *s, size_t lo,
                 size_t hi, size_t *out)
{
    cli_msg m;
    uint64_t v;
    int r = cli_opt_result(cmd, name, cli_parse_u64(s, lo, hi, &v, &m));
    if (r == 0)
        *out = (size_t)v;
    return r;
}

int cli_opt_u64(const char *cmd, const char *name, const char *s,
                uint64_t *out)
{
    cli_msg m;
    return cli_opt_result(cmd, name,
                          cli_parse_u64(s, 0, UINT64_MAX, out, &m));
}

int cli_opt_double(const char *cmd, const char *name, const char *s,
                   double lo, int lo_open, double hi, int hi_open,
                   double *out)
{
    cli_msg m;
    return cli_opt_result(
        cmd, name, cli_parse_double(s, lo, lo_open, hi, hi_open, out, &m));
}

int cli_opt_choice(const char *cmd, const char *name, const char *s,
                   const char *const *names, int *out)
{
    cli_msg m;
    return cli_opt_result(cmd, name, cli_parse_choice(s, names, out, &m));
}

int cli_opt_enum(const char *cmd, const char *name, const char *s,
                 int (*parse)(const char *), const char *const *names,
                 int *out)
{
    int v = parse(s);
    if (v >= 0) {
        *out = v;
        return 0;
    }
    /* not a name parse takes: the choice parser words the error */
    return cli_opt_choice(cmd, name, s, names, out) == 0 ? 0 : -1;
}

int cli_opt_batch(const char *cmd, const char *name, const char *s,
                  size_t hi, size_t *out)
{
    cli_msg m;
    return cli_opt_result(cmd, name, cli_parse_batch(s, hi, out, &m));
}

int cli_opt_list(const char *cmd, const char *name, const char *s,
                 size_t item_size, cli_list_item_fn item, void *ctx,
                 void **out, size_t *n)
{
    size_t cap = 1;
    for (const char *q = s; *q; q++)
        cap += *q == ',';
    unsigned char *v = calloc(cap, item_size);
    char *copy = strdup(s);
    if (v == NULL || copy == NULL) {
        free(v);
        free(copy);
        cli_error(cmd, "out of memory");
        return -1;
    }
    size_t k = 0;
    char *save = NULL;
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok != NULL && rc == 0;
         tok = strtok_r(NULL, ",", &save))
        rc = item(cmd, name, tok, v + k++ * item_size, ctx);
    free(copy);
    if (rc == 0 && k == 0) {
        cli_error(cmd, "--%s: expected a comma-separated list", name);
        rc = -1;
    }
    if (rc != 0) {
        free(v);
        return -1;
    }
    *out = v;
    *n = k;
    return 0;
}

/* ctx: the bounds [lo, hi] of a size list's items */
static int size_item(const char *cmd, const char *name, char *text,
                     void *item, void *ctx)
{
    const size_t *bounds = ctx;
    return cli_opt_size(cmd, name, text, bounds[0], bounds[1], item);
}

static int double_item(const char *cmd, const char *name, char *text,
                       void *item, void *ctx)
{
    (void)ctx;
    return cli_opt_double(cmd, name, text, 0, 0, INFINITY, 0, item);
}

int cli_opt_sizes(const char *cmd, const char *name, const char *s,
                  size_t lo, size_t hi, size_t **out, size_t *n)
{
    size_t bounds[2] = {lo, hi};
    void *items;
    if (cli_opt_list(cmd, name, s, sizeof **out, size_item, bounds, &items,
                     n) != 0)
        return -1;
    *out = items;
    return 0;
}

int cli_opt_doubles(const char *cmd, const char *name, const char *s,
                    double **out, size_t *n)
{
    void *items;
    if (cli_opt_list(cmd, name, s, sizeof **out, double_item, NULL, &items,
                     n) != 0)
        return -1;
    *out = items;
    return 0;
}

/* Option values for the fsnsa subcommands: the pure parsers of options.h
 * with the error printed as "fsnsa CMD: --NAME: expected ..., got '...'".
 * Each returns 0, or -1 after printing (the caller exits CLI_USAGE). */
#ifndef FSNSA_CLI_ARGS_H
#define FSNSA_CLI_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "options.h"

/* The result of a parser of options.h: 0 for NULL, else -1 after
 * printing "--NAME: error". */
int cli_opt_result(const char *cmd, const char *name, const char *error);

int cli_opt_int(const char *cmd, const char *name, const char *s,
                long long lo, long long hi, long long *out);
int cli_opt_size(const char *cmd, const char *name, const char *s, size_t lo,
                 size_t hi, size_t *out);
int cli_opt_u64(const char *cmd, const char *name, const char *s,
                uint64_t *out);
int cli_opt_double(const char *cmd, const char *name, const char *s,
                   double lo, int lo_open, double hi, int hi_open,
                   double *out);
/* One of the NULL-terminated names; *out = its index. */
int cli_opt_choice(const char *cmd, const char *name, const char *s,
                   const char *const *names, int *out);
/* A library enum: *out = parse(s) (which may take other spellings too);
 * the error lists names, the enum's names in value order
 * (fsnsa_method_names and the like). */
int cli_opt_enum(const char *cmd, const char *name, const char *s,
                 int (*parse)(const char *), const char *const *names,
                 int *out);
/* A mini-batch size: "full" (0) or an integer in [1, hi]. */
int cli_opt_batch(const char *cmd, const char *name, const char *s,
                  size_t hi, size_t *out);

/* A comma-separated list ("a,b,c"; empty items are skipped): each item is
 * parsed by item(cmd, name, text, &items[i * item_size], ctx), which
 * returns 0 or -1 after printing its error. *out (malloc'ed, free it) gets
 * the items, *n their number, at least 1. */
typedef int (*cli_list_item_fn)(const char *cmd, const char *name,
                                char *text, void *item, void *ctx);
int cli_opt_list(const char *cmd, const char *name, const char *s,
                 size_t item_size, cli_list_item_fn item, void *ctx,
                 void **out, size_t *n);
/* Lists of sizes in [lo, hi] and of numbers >= 0. */
int cli_opt_sizes(const char *cmd, const char *name, const char *s,
                  size_t lo, size_t hi, size_t **out, size_t *n);
int cli_opt_doubles(const char *cmd, const char *name, const char *s,
                    double **out, size_t *n);

#endif

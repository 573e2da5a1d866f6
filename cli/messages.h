/* How the fsnsa command speaks: exit codes, and one line on stderr per
 * error, warning or note, "fsnsa CMD: ...". */
#ifndef FSNSA_CLI_MESSAGES_H
#define FSNSA_CLI_MESSAGES_H

#include "fsnsa.h"

/* Exit codes: documented in docs/cli.md. A subcommand's argument parser
 * returns CLI_PROCEED to go on, or the exit code (--help, a usage
 * error). */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_PROCEED = -1 };

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/* "fsnsa CMD: message" on stderr: an error, or a note the user should see
 * (what a default chose, what was repaired). */
void cli_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);
/* "fsnsa CMD: warning: message" on stderr. */
void cli_warning(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);
/* A library error: its message already names file:line:column. */
void cli_lib_error(const char *cmd, fsnsa_status st, const fsnsa_error *err);
/* A usage error, followed by a hint to run --help; returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);

/* getopt_long returned '?' or ':' (optstring starts with ':'): report the
 * unknown option or missing argument and return CLI_USAGE. */
int cli_getopt_error(const char *cmd, int c, char *const *argv);
/* The same, and a long-option prefix that matches several of longopts is
 * reported as ambiguous, naming them. */
struct option;
int cli_getopt_error_long(const char *cmd, int c, char *const *argv,
                          const struct option *longopts);

#endif

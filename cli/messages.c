/* Messages of the fsnsa command: see messages.h. */
#include "messages.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void vmessage(const char *cmd, const char *label, const char *fmt,
                     va_list ap)
{
    fprintf(stderr, "fsnsa %s: %s", cmd, label);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(cmd, "", fmt, ap);
    va_end(ap);
}

void cli_warning(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(cmd, "warning: ", fmt, ap);
    va_end(ap);
}

void cli_lib_error(const char *cmd, fsnsa_status st, const fsnsa_error *err)
{
    if (err != NULL && err->msg[0] != '\0')
        cli_error(cmd, "%s", err->msg);
    else
        cli_error(cmd, "%s", fsnsa_status_name(st));
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(cmd, "", fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'fsnsa %s --help'.\n", cmd);
    return CLI_USAGE;
}

int cli_getopt_error(const char *cmd, int c, char *const *argv)
{
    static const struct option none[] = {{NULL, 0, NULL, 0}};
    return cli_getopt_error_long(cmd, c, argv, none);
}

/* The long options `prefix` (without "--") abbreviates, as "--a, --b";
 * returns how many. */
static size_t prefix_matches(const char *prefix, const struct option *longopts,
                             char *list, size_t size)
{
    size_t o = 0, hits = 0, len = strlen(prefix);
    list[0] = '\0';
    for (const struct option *lo = longopts; lo->name != NULL; lo++) {
        if (strncmp(lo->name, prefix, len) != 0)
            continue;
        int w = snprintf(list + o, size - o, "%s--%s", hits ? ", " : "",
                         lo->name);
        if (w > 0 && (size_t)w < size - o)
            o += (size_t)w;
        hits++;
    }
    return hits;
}

int cli_getopt_error_long(const char *cmd, int c, char *const *argv,
                          const struct option *longopts)
{
    /* optopt names a short option; for a long one it is 0 (unknown or
     * ambiguous) or the option's code, and the text is the argument getopt
     * just read. */
    char name[64];
    if (optopt > 0 && optopt < 256) {
        snprintf(name, sizeof name, "-%c", optopt);
    } else {
        const char *a = argv[optind - 1];
        size_t len = strcspn(a, "=");
        if (len >= sizeof name)
            len = sizeof name - 1;
        memcpy(name, a, len);
        name[len] = '\0';
    }
    if (c == ':')
        return cli_usage_error(cmd, "option '%s' needs a value", name);
    /* getopt_long accepts unique prefixes; say which options a short
     * prefix could mean rather than calling it unknown. */
    char list[256];
    if (optopt == 0 && strncmp(name, "--", 2) == 0 && name[2] != '\0' &&
        prefix_matches(name + 2, longopts, list, sizeof list) > 1)
        return cli_usage_error(cmd, "option '%s' is ambiguous: %s", name,
                               list);
    return cli_usage_error(cmd, "unknown option '%s'", name);
}

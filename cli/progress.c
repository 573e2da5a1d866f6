/* The progress line: see progress.h. */
#include "progress.h"

#include <stdarg.h>
#include <stdio.h>

void cli_fmt_time(double s, char *buf, size_t size)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, size, "%ld:%02ld", t / 60, t % 60);
}

void cli_fmt_left(double spent, size_t done, size_t total, char *buf,
                  size_t size)
{
    if (done >= total)
        snprintf(buf, size, "0:00");
    else if (done == 0)
        snprintf(buf, size, "?");
    else
        cli_fmt_time(spent / (double)done * (double)(total - done), buf,
                     size);
}

void cli_progress_show(double elapsed, const char *left, const char *fmt,
                       ...)
{
    char el[32];
    cli_fmt_time(elapsed, el, sizeof el);
    fputc('\r', stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "  elapsed %s  left ~%s   ", el, left);
    fflush(stderr);
}

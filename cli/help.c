/* Option lines of the --help texts: see help.h. */
#include "help.h"

#include <stdarg.h>
#include <string.h>

enum { HELP_INDENT = 24, HELP_WIDTH = 78 };

void cli_help_opt(FILE *f, const char *option, const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    /* an option too long for its column is followed by two spaces */
    int col = (int)strlen(option) + 2 <= HELP_INDENT - 1
                  ? fprintf(f, "  %-*s", HELP_INDENT - 2, option)
                  : fprintf(f, "  %s  ", option);
    int line_start = 1;
    for (const char *s = text; *s != '\0';) {
        int n = (int)strcspn(s, " ");
        if (!line_start && col + 1 + n > HELP_WIDTH) {
            col = fprintf(f, "\n%*s", HELP_INDENT, "") - 1;
            line_start = 1;
        }
        if (!line_start)
            col += fprintf(f, " ");
        col += fprintf(f, "%.*s", n, s);
        line_start = 0;
        s += n;
        while (*s == ' ')
            s++;
    }
    fputc('\n', f);
}

void cli_help_list(FILE *f, const char *list)
{
    int col = fprintf(f, "%*s[", HELP_INDENT, "");
    for (const char *s = list; *s;) {
        int n = (int)strcspn(s, ",");
        int last = s[n] == '\0';
        if (col + n + 1 > HELP_WIDTH)
            col = fprintf(f, "\n%*s", HELP_INDENT, "") - 1;
        col += fprintf(f, "%.*s%s", n, s, last ? "]" : ",");
        s += n + !last;
    }
    fputc('\n', f);
}

const char *cli_help_choices(const char *const *names, char *buf,
                             size_t size)
{
    size_t n = 0, o = 0;
    while (names[n] != NULL)
        n++;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < size; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int w = snprintf(buf + o, size - o, "%s%s", sep, names[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return buf;
}

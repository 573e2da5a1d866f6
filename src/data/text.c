/* Small text helpers shared by the readers. */
#include "text.h"

#include <stdio.h>
#include <string.h>

const char *fsnsa__show(char *buf, size_t size, const char *s, size_t len)
{
    size_t k = 0, lim = size > 4 ? size - 4 : 0;
    for (size_t i = 0; i < len && k < lim; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[k++] = c >= 32 && c < 127 ? (char)c : '?';
    }
    if (len > lim && size > 4) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k < size ? k : size - 1] = '\0';
    return buf;
}

void fsnsa__canon(char *buf, size_t size, float v)
{
    snprintf(buf, size, "%.9g", (double)v);
}

bool fsnsa__ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (char)(y + 32);
        if (x != y)
            return false;
    }
    return *a == *b;
}
bool fsnsa__list_next(const char **s, const char **item, size_t *len)
{
    if (*s == NULL || **s == '\0')
        return false;
    const char *p = *s;
    size_t n = strcspn(p, ","), b = 0, e = n;
    while (b < e && (p[b] == ' ' || p[b] == '\t'))
        b++;
    while (e > b && (p[e - 1] == ' ' || p[e - 1] == '\t'))
        e--;
    *item = p + b;
    *len = e - b;
    *s = p + n + (p[n] == ',');
    return true;
}

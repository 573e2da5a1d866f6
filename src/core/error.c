/* Errors: the status names and the fsnsa_error every fallible call fills. */
#include "core.h"

#include <stdio.h>
#include <string.h>

const char *fsnsa_status_name(fsnsa_status s)
{
    switch (s) {
    case FSNSA_OK: return "ok";
    case FSNSA_ERR_ARG: return "invalid argument";
    case FSNSA_ERR_NOMEM: return "out of memory";
    case FSNSA_ERR_IO: return "i/o error";
    case FSNSA_ERR_PARSE: return "parse error";
    case FSNSA_ERR_FORMAT: return "bad model file";
    case FSNSA_ERR_LIMIT: return "resource limit";
    case FSNSA_ERR_NUMERIC: return "numerical failure";
    case FSNSA_ERR_INTERRUPTED: return "interrupted";
    }
    return "unknown error";
}

fsnsa_status fsnsa__fail(fsnsa_error *err, fsnsa_status code, const char *fmt,
                         ...)
{
    if (err != NULL) {
        char raw[sizeof err->msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        /* A message is one readable line: control characters that came in
         * with the input (an ARFF name written 'a\nb') are shown escaped. */
        size_t w = 0, cap = sizeof err->msg;
        for (const unsigned char *r = (const unsigned char *)raw; *r != 0;
             r++) {
            char esc[5];
            size_t n = 1;
            esc[0] = (char)*r;
            if (*r == '\n' || *r == '\r' || *r == '\t') {
                esc[0] = '\\';
                esc[1] = *r == '\n' ? 'n' : *r == '\r' ? 'r' : 't';
                n = 2;
            } else if (*r < 0x20 || *r == 0x7F) {
                snprintf(esc, sizeof esc, "\\x%02x", *r);
                n = 4;
            }
            if (w + n >= cap)
                break;
            memcpy(err->msg + w, esc, n);
            w += n;
        }
        err->msg[w] = '\0';
        err->code = code;
    }
    return code;
}

fsnsa_status fsnsa__nomem(fsnsa_error *err, const char *what)
{
    return fsnsa__fail(err, FSNSA_ERR_NOMEM, "out of memory allocating %s",
                       what);
}

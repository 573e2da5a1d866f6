/* Output files and names: see output.h. */
#include "output.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "messages.h"

int cli_is_stdout(const char *path)
{
    return path == NULL || strcmp(path, "-") == 0;
}

int cli_out_open(const char *cmd, const char *path, cli_out *o)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    if (cli_is_stdout(path)) {
        o->f = stdout;
        return 0;
    }
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_outfile_open(path, &o->file, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return -1;
    }
    o->f = fsnsa_outfile_stream(o->file);
    return 0;
}

int cli_out_commit(const char *cmd, cli_out *o)
{
    if (o->f == NULL)
        return -1;
    o->f = NULL;
    if (o->file == NULL) {
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_error(cmd, "cannot write to standard output: %s",
                      strerror(errno));
            return -1;
        }
        return 0;
    }
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_outfile_commit(o->file, &err);
    o->file = NULL;
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return -1;
    }
    return 0;
}

void cli_out_abort(cli_out *o)
{
    fsnsa_outfile_abort(o->file);
    o->f = NULL;
    o->file = NULL;
}

int cli_output_check(const char *cmd, const char *path, fsnsa_output_use use)
{
    if (cli_is_stdout(path))
        return 0;
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_output_check(path, use, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        return -1;
    }
    return 0;
}

/* Whether writing `out` would overwrite the file `in` (the data file is
 * never to be modified). A device or FIFO is written, never replaced:
 * `predict m.model /dev/stdin /dev/stdout` on one terminal is fine. */
int cli_same_file(const char *out, const char *in)
{
    struct stat a, b;
    if (out == NULL || in == NULL)
        return 0;
    if (stat(out, &a) == 0 && !S_ISREG(a.st_mode) && !S_ISDIR(a.st_mode))
        return 0;
    if (strcmp(out, in) == 0)
        return 1;
    return stat(out, &a) == 0 && stat(in, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

int cli_flush_stdout(const char *cmd)
{
    if (fflush(stdout) == 0)
        return 0;
    cli_error(cmd, "cannot write to standard output");
    return -1;
}

char **cli_encoded_names(const fsnsa_schema *s)
{
    char **names;
    return fsnsa_schema_feature_names(s, &names, NULL) == FSNSA_OK ? names
                                                                   : NULL;
}

void cli_free_names(char **names, size_t n)
{
    fsnsa_strings_free(names, n);
}

void cli_put_name(FILE *f, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c != 0; c++) {
        if (*c == '\n')
            fputs("\\n", f);
        else if (*c == '\r')
            fputs("\\r", f);
        else if (*c == '\t')
            fputs("\\t", f);
        else if (*c < 0x20 || *c == 0x7F)
            fprintf(f, "\\x%02x", *c);
        else
            fputc(*c, f);
    }
}

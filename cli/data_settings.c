/* How data is read, written as the data options that read it so: for
 * predict's hint and for inspect. */
#include "common.h"

static void put_delimiter(FILE *f, char d)
{
    switch (d) {
    case '\t': fputs(" --delimiter tab", f); break;
    case ' ': fputs(" --delimiter space", f); break;
    case ',': fputs(" --delimiter comma", f); break;
    case ';': fputs(" --delimiter semicolon", f); break;
    case 0: fputs(" --delimiter auto", f); break;
    default: fprintf(f, " --delimiter '%c'", d); break;
    }
}

void cli_put_read_options(FILE *f, const fsnsa_read_options *ro)
{
    fprintf(f, " --format %s", fsnsa_format_name(ro->format));
    if (ro->format != FSNSA_FORMAT_ARFF && ro->format != FSNSA_FORMAT_LIBSVM) {
        put_delimiter(f, ro->delimiter);
        fprintf(f, " --decimal %s --header %s",
                ro->decimal == '.'   ? "."
                : ro->decimal == ',' ? ","
                                     : "auto",
                ro->header == 1 ? "yes" : ro->header == 0 ? "no" : "auto");
    }
    if (ro->labels_file != NULL) {
        fputs(" --labels-file ", f);
        cli_put_name(f, ro->labels_file);
    } else {
        fputs(" --label-column ", f);
        cli_put_name(f, ro->label_column != NULL ? ro->label_column : "last");
    }
    fprintf(f, " --missing %s", fsnsa_missing_name(ro->missing));
    if (ro->na_values != NULL) {
        fputs(" --na-values '", f);
        cli_put_name(f, ro->na_values);
        fputc('\'', f);
    }
    if (ro->ignore_columns != NULL) {
        fputs(" --ignore-columns '", f);
        cli_put_name(f, ro->ignore_columns);
        fputc('\'', f);
    }
}

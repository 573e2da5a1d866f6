/* The data options: see data_options.h. */
#include "data_options.h"

#include "args.h"
#include "help.h"
#include "messages.h"
#include "output.h"

/* --header's names, in the order of cli_data_option's mapping */
static const char *const HEADERS[] = {"auto", "yes", "no", NULL};

const char *cli_header_name(int header)
{
    return header == 1 ? "yes" : header == 0 ? "no" : "auto";
}

const char *cli_decimal_name(char decimal)
{
    return decimal == '.' ? "." : decimal == ',' ? "," : "auto";
}

int cli_data_option(const char *cmd, int c, const char *arg,
                    fsnsa_read_options *ro)
{
    int v;
    cli_msg m;
    switch (c) {
    case CLI_OPT_FORMAT:
        if (cli_opt_enum(cmd, "format", arg, fsnsa_format_parse,
                         fsnsa_format_names(), &v) != 0)
            return -1;
        ro->format = (fsnsa_format)v;
        return 0;
    case CLI_OPT_DELIMITER:
        return cli_opt_result(cmd, "delimiter",
                              cli_parse_delimiter(arg, &ro->delimiter, &m));
    case CLI_OPT_DECIMAL:
        return cli_opt_result(cmd, "decimal",
                              cli_parse_decimal(arg, &ro->decimal, &m));
    case CLI_OPT_HEADER:
        if (cli_opt_choice(cmd, "header", arg, HEADERS, &v) != 0)
            return -1;
        ro->header = v == 0 ? -1 : v == 1 ? 1 : 0;
        return 0;
    case CLI_OPT_LABEL_COLUMN:
        if (arg[0] == '\0')
            return cli_opt_result(cmd, "label-column",
                                  "expected first, last, none, an index or a "
                                  "column name, got ''");
        ro->label_column = arg;
        return 0;
    case CLI_OPT_LABELS_FILE:
        ro->labels_file = arg;
        return 0;
    case CLI_OPT_MISSING:
        if (cli_opt_enum(cmd, "missing", arg, fsnsa_missing_parse,
                         fsnsa_missing_names(), &v) != 0)
            return -1;
        ro->missing = (fsnsa_missing)v;
        return 0;
    case CLI_OPT_NA_VALUES:
        ro->na_values = arg;
        return 0;
    case CLI_OPT_IGNORE_COLUMNS:
        ro->ignore_columns = arg;
        return 0;
    default:
        return 1;
    }
}

/* --delimiter's name of d: "auto", "tab", "space", "comma", "semicolon",
 * or the character itself (in buf). */
static const char *delimiter_name(char d, char buf[2])
{
    switch (d) {
    case 0: return "auto";
    case '\t': return "tab";
    case ' ': return "space";
    case ',': return "comma";
    case ';': return "semicolon";
    default:
        buf[0] = d;
        buf[1] = '\0';
        return buf;
    }
}

void cli_data_help(FILE *f, const fsnsa_read_options *d,
                   const char *missing_default)
{
    char formats[128], missing[128], delim[2];
    fprintf(f, "Data options:\n");
    cli_help_opt(f, "--format FMT", "%s [%s%s]",
                 cli_help_choices(fsnsa_format_names(), formats,
                                  sizeof formats),
                 fsnsa_format_name(d->format),
                 d->format == FSNSA_FORMAT_AUTO
                     ? ": from the extension, then the content"
                     : "");
    cli_help_opt(f, "--delimiter C", "CSV field separator: one character, "
                 "tab, space, comma, semicolon [%s]",
                 delimiter_name(d->delimiter, delim));
    cli_help_opt(f, "--decimal MARK", "decimal mark of CSV numbers: '.', "
                 "',' or auto (',' if the numbers have it and the delimiter "
                 "is not ',') [%s]", cli_decimal_name(d->decimal));
    cli_help_opt(f, "--header WHEN", "auto, yes or no: first CSV row holds "
                 "names [%s]", cli_header_name(d->header));
    cli_help_opt(f, "--label-column COL", "first, last, none, a 0-based "
                 "index or a column name [%s]",
                 d->label_column != NULL ? d->label_column : "last");
    cli_help_opt(f, "--labels-file FILE", "labels in a separate file, one "
                 "per line [%s]",
                 d->labels_file != NULL ? d->labels_file : "none");
    cli_help_opt(f, "--missing MODE", "%s: what to do with missing values "
                 "(empty fields and --na-values) [%s]",
                 cli_help_choices(fsnsa_missing_names(), missing,
                                  sizeof missing),
                 missing_default != NULL ? missing_default
                                         : fsnsa_missing_name(d->missing));
    cli_help_opt(f, "--na-values LIST", "tokens read as missing values, "
                 "comma-separated, matched exactly; '' for none (an empty "
                 "field always is missing)");
    cli_help_list(f, d->na_values != NULL ? d->na_values
                                          : FSNSA_DEFAULT_NA_VALUES);
    cli_help_opt(f, "--ignore-columns LIST", "drop these columns (0-based "
                 "indices or names, comma-separated) before encoding [%s]",
                 d->ignore_columns != NULL ? d->ignore_columns : "none");
}

static void print_warning(void *ctx, const char *msg)
{
    cli_warning((const char *)ctx, "%s", msg);
}

void cli_data_warnings(const char *cmd, fsnsa_read_options *ro, int quiet)
{
    ro->warn = quiet ? NULL : print_warning;
    ro->warn_ctx = (void *)cmd;
}

/* " --NAME 'text'", the text escaped as cli_put_name does */
static void put_quoted(FILE *f, const char *name, const char *text)
{
    fprintf(f, " --%s '", name);
    cli_put_name(f, text);
    fputc('\'', f);
}

void cli_put_read_options(FILE *f, const fsnsa_read_options *ro)
{
    fprintf(f, " --format %s", fsnsa_format_name(ro->format));
    if (ro->format != FSNSA_FORMAT_ARFF && ro->format != FSNSA_FORMAT_LIBSVM) {
        char buf[2];
        const char *d = delimiter_name(ro->delimiter, buf);
        if (d == buf)
            fprintf(f, " --delimiter '%c'", ro->delimiter);
        else
            fprintf(f, " --delimiter %s", d);
        fprintf(f, " --decimal %s --header %s", cli_decimal_name(ro->decimal),
                cli_header_name(ro->header));
    }
    if (ro->labels_file != NULL) {
        fputs(" --labels-file ", f);
        cli_put_name(f, ro->labels_file);
    } else {
        fputs(" --label-column ", f);
        cli_put_name(f, ro->label_column != NULL ? ro->label_column : "last");
    }
    fprintf(f, " --missing %s", fsnsa_missing_name(ro->missing));
    if (ro->na_values != NULL)
        put_quoted(f, "na-values", ro->na_values);
    if (ro->ignore_columns != NULL)
        put_quoted(f, "ignore-columns", ro->ignore_columns);
}

/* The read record (model format 1.1): how the training data was read, so
 * that predict reads new data the same way. fsnsa_model_set_read records
 * it, fsnsa_model_read_options gives it back as read options; the writer
 * and the parser store it as the read.* lines. */
#include "model.h"

#include "data/data.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const HEADER_NAMES[3] = {"-", "no", "yes"};

#define READ_STRING(f)                                                     \
    {"read." #f, offsetof(fsnsa_read_record, f),                           \
     offsetof(fsnsa_read_options, f)}
static const fsnsa__read_string READ_STRINGS[] = {
    READ_STRING(na_values),
    READ_STRING(ignore_columns),
    {NULL, 0, 0} /* end */
};

const char *const *fsnsa__read_header_names(void) { return HEADER_NAMES; }
const fsnsa__read_string *fsnsa__read_strings(void) { return READ_STRINGS; }

void fsnsa__read_record_label_column(fsnsa_read_record *r)
{
    const fsnsa_layout *l = &r->layout;
    const char *t = l->label_field == SIZE_MAX       ? "none"
                    : l->label == FSNSA_LABEL_FIRST ? "first"
                    : l->label == FSNSA_LABEL_LAST  ? "last"
                                                    : NULL;
    if (t != NULL)
        snprintf(r->label_column, sizeof r->label_column, "%s", t);
    else
        snprintf(r->label_column, sizeof r->label_column, "%zu",
                 l->label_field);
}

void fsnsa_read_record_clear(fsnsa_read_record *r)
{
    if (r == NULL)
        return;
    for (const fsnsa__read_string *e = READ_STRINGS; e->key != NULL; e++)
        free(fsnsa__str_at(r, e->record));
    memset(r, 0, sizeof *r);
}

void fsnsa_model_read_options(const fsnsa_model *m, fsnsa_read_options *o)
{
    fsnsa_read_options_default(o);
    o->schema = &m->schema;
    o->missing = m->missing;
    o->task = m->options.task;
    const fsnsa_read_record *r = &m->read;
    if (!fsnsa__read_recorded(r))
        return; /* format 1.0: the defaults, as before */
    o->format = r->layout.format;
    o->delimiter = r->layout.delimiter;
    o->decimal = r->layout.decimal;
    o->header = r->layout.header;
    o->label_column = r->label_column;
    for (const fsnsa__read_string *e = READ_STRINGS; e->key != NULL; e++)
        fsnsa__set_str_at(o, e->options, fsnsa__str_at(r, e->record));
}

/* The options a record gives predict must be valid, and the label's field
 * must agree with how it was asked for, with the number of fields and
 * with the schema's columns. */
const char *fsnsa__read_record_problem(const fsnsa_read_record *r,
                                       const fsnsa_schema *s, char *buf,
                                       size_t size)
{
    const fsnsa_layout *l = &r->layout;
    if ((unsigned)l->format >= fsnsa__count_names(fsnsa_format_names()))
        return "unknown data format";
    if ((unsigned)l->label >= fsnsa__count_names(fsnsa_label_source_names()))
        return "unknown label source";
    bool text = l->format == FSNSA_FORMAT_CSV || l->format == FSNSA_FORMAT_UCI;
    bool svm = l->format == FSNSA_FORMAT_LIBSVM;
    bool in_file = l->label_field != SIZE_MAX;
    if (text && (l->delimiter == 0 || (l->header != 0 && l->header != 1)))
        return "delimited text needs a delimiter and a header of yes or no";
    if (!text && (l->delimiter != 0 || l->decimal != 0 || l->header != -1))
        return "only delimited text has a delimiter, a decimal mark and a "
               "header";
    if (in_file != (l->label != FSNSA_LABEL_NONE && l->label != FSNSA_LABEL_FILE))
        return "the label field must be '-' exactly for a label of none or "
               "file";
    if (svm && (l->fields != 0 || (in_file && l->label != FSNSA_LABEL_FIRST)))
        return "LIBSVM data has 0 fields and its label first";
    if (!svm && in_file && l->label_field >= l->fields)
        return "the label field is beyond the fields";
    if (l->label == FSNSA_LABEL_FIRST && in_file && l->label_field != 0)
        return "a label asked for as first must be in field 0";
    if (!svm && l->label == FSNSA_LABEL_LAST && l->label_field + 1 != l->fields)
        return "a label asked for as last must be in the last field";
    if (!svm && s->n_columns > 0 && l->fields < s->n_columns + in_file)
        return "fewer fields than the schema has columns";
    fsnsa_read_options o;
    fsnsa_model m;
    fsnsa_error e;
    memset(&m, 0, sizeof m);
    m.read = *r;
    fsnsa_model_read_options(&m, &o);
    if (fsnsa__read_options_check(&o, &e) != FSNSA_OK) {
        snprintf(buf, size, "%s", e.msg);
        return buf;
    }
    return NULL;
}

fsnsa_status fsnsa_model_set_read(fsnsa_model *m, const fsnsa_layout *layout,
                                  const fsnsa_read_options *given,
                                  fsnsa_error *err)
{
    fsnsa_read_record r;
    memset(&r, 0, sizeof r);
    if (layout->format != FSNSA_FORMAT_AUTO) {
        char buf[FSNSA_ERRMSG_MAX];
        r.layout = *layout;
        fsnsa__read_record_label_column(&r);
        const char *why =
            fsnsa__read_record_problem(&r, &m->schema, buf, sizeof buf);
        if (why != NULL)
            return fsnsa__fail(err, FSNSA_ERR_ARG,
                               "cannot record how the data was read: %s", why);
        for (const fsnsa__read_string *e = READ_STRINGS; e->key != NULL;
             e++) {
            const char *v =
                given != NULL ? fsnsa__str_at(given, e->options) : NULL;
            char *copy = v != NULL ? fsnsa__strdup(v) : NULL;
            if (v != NULL && copy == NULL) {
                fsnsa_read_record_clear(&r);
                return fsnsa__nomem(err, "the read settings");
            }
            fsnsa__set_str_at(&r, e->record, copy);
        }
    }
    fsnsa_read_record_clear(&m->read);
    m->read = r;
    return FSNSA_OK;
}

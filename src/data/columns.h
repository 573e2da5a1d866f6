/* Which fields are the label and which are left out (columns.c): the
 * read options label_column and ignore_columns, by position or by name,
 * resolved against a file's fields. Not part of the API. */
#ifndef FSNSA_DATA_COLUMNS_H
#define FSNSA_DATA_COLUMNS_H

#include "core/core.h"

#include <stdbool.h>
#include <stddef.h>

/* Where the label is: resolved by each reader from opt->label_column. */
typedef struct {
    bool none;         /* "none", or a labels file */
    bool given;        /* label_column was set by the caller */
    const char *text;
} fsnsa__labelspec;

fsnsa__labelspec fsnsa__labelspec_of(const fsnsa_read_options *opt);
/* How opt asks for the label (for fsnsa_layout.label). */
fsnsa_label_source fsnsa__label_source(const fsnsa_read_options *opt);
/* Whether the label is asked for by a name (not first, last, an index). */
bool fsnsa__label_by_name(const fsnsa__labelspec *ls);
/* Resolve a label spec against m_file fields and optional names (n_names
 * == m_file when given). *idx = SIZE_MAX for no label. */
fsnsa_status fsnsa__label_index(const fsnsa__labelspec *ls, size_t m_file,
                                char *const *names, const size_t *name_len,
                                size_t n_names, const char *path, size_t line,
                                size_t *idx, fsnsa_error *err);
/* Mark in ignore[0..m_file) the columns of the list opt->ignore_columns
 * (indices or names, resolved as label_column's; names[j] may be NULL
 * for a field without a name, names NULL without a header) and count
 * them in *n_ignored. ignore may be NULL when the list is empty. Unknown
 * and ambiguous entries are refused at path:line. */
fsnsa_status fsnsa__ignore_mask(const char *list, size_t m_file,
                                char *const *names, const char *path,
                                size_t line, bool *ignore, size_t *n_ignored,
                                fsnsa_error *err);
/* Whether a list option (ignore_columns) names a column rather than only
 * giving indices. */
bool fsnsa__list_has_name(const char *list);

#endif

/* Missing-value tokens: the na_values list (or the default one) in a
 * dictionary; an empty field is always missing, '?' too in ARFF. */
#include "table.h"

#include "text.h"

#include <string.h>

fsnsa_status fsnsa__table_na_init(fsnsa__table *t, const fsnsa_read_options *opt,
                                  fsnsa_error *err)
{
    const char *s = opt->na_values ? opt->na_values : FSNSA_DEFAULT_NA_VALUES;
    const char *item;
    size_t len, id;
    while (fsnsa__list_next(&s, &item, &len))
        /* an empty entry adds nothing: an empty field is always missing */
        if (len > 0 && fsnsa__dict_intern(&t->na, item, len, &id) < 0)
            return fsnsa__nomem(err, "the missing-value list");
    return FSNSA_OK;
}

bool fsnsa__table_is_na(const fsnsa__table *t, const char *s, size_t len)
{
    if (len == 0 || (t->question_na && len == 1 && s[0] == '?'))
        return true;
    return fsnsa__dict_find(&t->na, s, len) != SIZE_MAX;
}

const char *fsnsa__na_token(char *buf, size_t size, const char *s,
                            size_t len)
{
    if (len == 0 || (len == 1 && s[0] == '?') || size < 8) {
        buf[0] = '\0';
        return buf;
    }
    buf[0] = ' ';
    buf[1] = '\'';
    fsnsa__show(buf + 2, size - 3, s, len);
    strcat(buf, "'");
    return buf;
}

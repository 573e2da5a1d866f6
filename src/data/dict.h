/* The string dictionary (dict.c): strings interned to ids in first-seen
 * order, for nominal values, class names and the missing-value tokens.
 * Not part of the API. */
#ifndef FSNSA_DATA_DICT_H
#define FSNSA_DATA_DICT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *text;        /* strings, each followed by NUL */
    size_t text_len, text_cap;
    size_t *off;       /* id -> offset in text */
    size_t n, cap;
    uint32_t *slot;    /* open addressing, id + 1, 0 = empty */
    size_t n_slots;
    size_t limit;      /* most ids allowed (0: FSNSA__MAX_NOMINAL) */
} fsnsa__dict;

/* Frees the strings and keeps the limit. */
void fsnsa__dict_free(fsnsa__dict *d);
/* The id of s[0..len), or SIZE_MAX. */
size_t fsnsa__dict_find(const fsnsa__dict *d, const char *s, size_t len);
/* 1 added, 0 already there, -1 out of memory, -2 over d->limit */
int fsnsa__dict_intern(fsnsa__dict *d, const char *s, size_t len, size_t *id);
static inline const char *fsnsa__dict_str(const fsnsa__dict *d, size_t id)
{
    return d->text + d->off[id];
}

#endif

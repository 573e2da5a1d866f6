/* The string dictionary: the strings in one text buffer, their offsets
 * by id, and an open-addressing hash table of ids (FNV-1a). */
#include "dict.h"

#include "core/core.h"
#include "limits.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_str(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

void fsnsa__dict_free(fsnsa__dict *d)
{
    free(d->text);
    free(d->off);
    free(d->slot);
    size_t limit = d->limit;
    memset(d, 0, sizeof *d);
    d->limit = limit;
}

static size_t str_len(const fsnsa__dict *d, size_t id)
{
    size_t next = id + 1 < d->n ? d->off[id + 1] : d->text_len;
    return next - d->off[id] - 1;
}

size_t fsnsa__dict_find(const fsnsa__dict *d, const char *s, size_t len)
{
    if (d->n_slots == 0)
        return SIZE_MAX;
    size_t mask = d->n_slots - 1;
    for (size_t h = (size_t)hash_str(s, len) & mask;; h = (h + 1) & mask) {
        uint32_t v = d->slot[h];
        if (v == 0)
            return SIZE_MAX;
        size_t id = v - 1;
        if (str_len(d, id) == len && memcmp(d->text + d->off[id], s, len) == 0)
            return id;
    }
}

static bool rehash(fsnsa__dict *d, size_t n_slots)
{
    uint32_t *slot = fsnsa__calloc(n_slots, sizeof *slot);
    if (slot == NULL)
        return false;
    size_t mask = n_slots - 1;
    for (size_t id = 0; id < d->n; id++) {
        size_t h = (size_t)hash_str(d->text + d->off[id], str_len(d, id)) & mask;
        while (slot[h] != 0)
            h = (h + 1) & mask;
        slot[h] = (uint32_t)(id + 1);
    }
    free(d->slot);
    d->slot = slot;
    d->n_slots = n_slots;
    return true;
}

int fsnsa__dict_intern(fsnsa__dict *d, const char *s, size_t len, size_t *id)
{
    size_t found = fsnsa__dict_find(d, s, len);
    if (found != SIZE_MAX) {
        *id = found;
        return 0;
    }
    size_t limit = d->limit ? d->limit : FSNSA__MAX_NOMINAL;
    if (d->n >= limit)
        return -2;
    size_t *off = fsnsa__grow(d->off, &d->cap, d->n + 1, sizeof *off, 8);
    if (off == NULL)
        return -1;
    d->off = off;
    char *text = fsnsa__grow(d->text, &d->text_cap, d->text_len + len + 1, 1,
                             64);
    if (text == NULL)
        return -1;
    d->text = text;
    if ((d->n + 1) * 2 > d->n_slots &&
        !rehash(d, d->n_slots ? d->n_slots * 2 : 16))
        return -1;
    d->off[d->n] = d->text_len;
    memcpy(d->text + d->text_len, s, len);
    d->text[d->text_len + len] = '\0';
    d->text_len += len + 1;
    size_t mask = d->n_slots - 1;
    size_t h = (size_t)hash_str(s, len) & mask;
    while (d->slot[h] != 0)
        h = (h + 1) & mask;
    d->slot[h] = (uint32_t)(d->n + 1);
    *id = d->n++;
    return 1;
}

/* Job keys: the hash that indexes them in a job file, and the seed each
 * job draws from its key, so that a result depends on its key alone and
 * never on which thread ran it or when. */
#include "exp.h"

#include <stdarg.h>
#include <stdio.h>

uint64_t fsnsa__key_hash(const char *key)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *key; key++) {
        h ^= (unsigned char)*key;
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t fsnsa_key_seed(uint64_t base, const char *key)
{
    /* splitmix64 finalizer: nearby bases and similar keys get unrelated
     * seeds. */
    uint64_t z = base + 0x9E3779B97F4A7C15ull * (fsnsa__key_hash(key) | 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int fsnsa__key_print(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return w > 0 && (size_t)w < size ? 0 : -1;
}

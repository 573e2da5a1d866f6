/* A data set's fingerprint: SHA-256 (libmd) over what training reads, in
 * the byte layout of docs/experiments.md ("Job files"), so that a job file
 * names its data by content, not by file name. */
#include "exp.h"

#include <sha2.h>
#include <stdio.h>
#include <string.h>

static size_t put_u64(unsigned char *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return 8;
}

static size_t put_u32(unsigned char *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return 4;
}

/* n floats, little-endian float32 bits, every NaN as 0x7fc00000. */
static void hash_floats(SHA2_CTX *c, const float *v, size_t n)
{
    enum { CHUNK = 1024 };
    unsigned char b[4 * CHUNK];
    for (size_t i = 0; i < n; i += CHUNK) {
        size_t m = n - i < CHUNK ? n - i : CHUNK;
        for (size_t k = 0; k < m; k++) {
            uint32_t bits;
            memcpy(&bits, &v[i + k], sizeof bits);
            put_u32(b + 4 * k, v[i + k] != v[i + k] ? 0x7fc00000u : bits);
        }
        SHA256Update(c, b, 4 * m);
    }
}

void fsnsa_dataset_fingerprint(const fsnsa_dataset *d,
                               char out[FSNSA_FINGERPRINT_SIZE])
{
    /* Little-endian whatever the machine, so a fingerprint means the same
     * everywhere; NaN (a missing value) has one spelling. */
    static const char tag[] = "fsnsa dataset 1\n";
    enum { CHUNK = 1024 };
    unsigned char b[4 * CHUNK];
    SHA2_CTX c;
    SHA256Init(&c);
    SHA256Update(&c, (const uint8_t *)tag, sizeof tag - 1);
    size_t used = put_u64(b, d->n);
    used += put_u64(b + used, d->p);
    used += put_u64(b + used, d->has_labels ? d->schema.n_classes : 0);
    used += put_u64(b + used, d->has_labels ? 1 : 0);
    SHA256Update(&c, b, used);
    hash_floats(&c, d->x, d->n * d->p); /* allocated: no overflow */
    for (size_t i = 0; d->has_labels && i < d->n; i += CHUNK) {
        size_t m = d->n - i < CHUNK ? d->n - i : CHUNK;
        for (size_t k = 0; k < m; k++)
            put_u32(b + 4 * k, (uint32_t)d->y[i + k]);
        SHA256Update(&c, b, 4 * m);
    }
    /* regression: the targets too (a classification data set has none,
     * so its fingerprint is as before) */
    if (d->target != NULL)
        hash_floats(&c, d->target, d->n);
    uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256Final(digest, &c);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

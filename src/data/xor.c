/* k-D XOR data of Eq. (1). The paper draws one large pool and takes the
 * first n rows and p columns; a counter-based generator gives exactly that
 * pool without storing it: value (i, j) depends only on (seed, stream, i, j),
 * so data sets of different n and p are nested, whatever their sizes. */
#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>

static inline uint64_t mix64(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

float fsnsa_xor_value(uint64_t seed, uint64_t stream, uint64_t i, uint64_t j)
{
    uint64_t h = mix64(seed);
    h = mix64(h ^ stream);
    h = mix64(h ^ i);
    h = mix64(h ^ j);
    /* 24 random bits: uniform on a grid in [-1, 1), exact in float32 */
    return (float)(h >> 40) * 0x1.0p-23f - 1.0f;
}

fsnsa_status fsnsa_xor_generate(size_t n, size_t p, size_t k, uint64_t seed,
                                uint64_t stream, fsnsa_dataset **out,
                                fsnsa_error *err)
{
    *out = NULL;
    if (n == 0 || p == 0)
        return fsnsa__fail(err, FSNSA_ERR_ARG, "xor: n and p must be positive");
    if (k == 0 || k > p)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "xor: need 1 <= k <= p, got k=%zu p=%zu", k, p);
    size_t cells;
    if (!fsnsa__mul(n, p, &cells))
        return fsnsa__fail(err, FSNSA_ERR_LIMIT, "xor: %zu x %zu is too large", n, p);
    float *x = fsnsa__alloc(cells, sizeof *x);
    int32_t *y = fsnsa__alloc(n, sizeof *y);
    if (x == NULL || y == NULL) {
        free(x);
        free(y);
        return fsnsa__nomem(err, "xor data");
    }
    for (size_t i = 0; i < n; i++) {
        float *row = x + i * p;
        int negative = 0, zero = 0;
        for (size_t j = 0; j < p; j++) {
            row[j] = fsnsa_xor_value(seed, stream, i, j);
            if (j < k) {
                negative ^= row[j] < 0.0f;
                zero |= row[j] == 0.0f;
            }
        }
        /* I(prod x_j > 0): no zero factor and an even number of negatives */
        y[i] = !zero && !negative;
    }
    fsnsa_status st = fsnsa_dataset_from_arrays(n, p, x, y, 2, out, err);
    free(x);
    free(y);
    if (st == FSNSA_OK) {
        char name[64];
        snprintf(name, sizeof name, "xor(k=%zu,seed=%llu,stream=%llu)", k,
                 (unsigned long long)seed, (unsigned long long)stream);
        (*out)->source = fsnsa__strdup(name);
    }
    return st;
}

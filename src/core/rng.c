/* The library's own seeded generator (xoshiro256**), so results do not
 * depend on the platform's rand() and every stream is reproducible. */
#include "core.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void fsnsa_rng_seed(fsnsa_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

uint64_t fsnsa_rng_next(fsnsa_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

float fsnsa_rng_uniform(fsnsa_rng *r)
{
    return (float)(fsnsa_rng_next(r) >> 40) * 0x1.0p-24f;
}

uint64_t fsnsa_rng_below(fsnsa_rng *r, uint64_t n)
{
    /* Rejection keeps every value equally likely (no modulo bias). */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = fsnsa_rng_next(r);
    while (x >= limit);
    return x % n;
}

void fsnsa_rng_shuffle(fsnsa_rng *r, size_t *idx, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)fsnsa_rng_below(r, i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}

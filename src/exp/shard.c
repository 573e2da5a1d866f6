/* Shards: a sweep split over processes that share no job file (SLURM job
 * arrays, GNU parallel, any batch system). Each job belongs to one shard
 * by its key alone, so the shards agree without talking to each other,
 * and a shard's file merged with the others' (merge.c) holds every job
 * once. */
#include "exp.h"

#include <stdlib.h>

size_t fsnsa_shard_of(const char *key, size_t n_shards)
{
    /* fsnsa_key_seed mixes the key's FNV-1a hash, whose low bits alone
     * would split similar keys unevenly */
    return n_shards > 1 ? (size_t)(fsnsa_key_seed(0, key) % n_shards) : 0;
}

fsnsa_status fsnsa__shard_mine(const fsnsa_sweep *s,
                               const fsnsa_sweep_options *o,
                               unsigned char **mine, fsnsa_error *err)
{
    *mine = NULL;
    if (o->n_shards <= 1 && o->shard == 0)
        return FSNSA_OK;
    if (o->shard >= o->n_shards)
        return fsnsa__fail(err, FSNSA_ERR_ARG,
                           "shard %zu of %zu: the shard must be below the "
                           "number of shards", o->shard, o->n_shards);
    unsigned char *m = fsnsa__alloc(s->n_jobs + 1, 1);
    if (m == NULL)
        return fsnsa__nomem(err, "the shard's jobs");
    char key[FSNSA__KEY_MAX];
    for (size_t j = 0; j < s->n_jobs; j++) {
        if (s->key(s->ctx, j, key, sizeof key) != 0) {
            free(m);
            return fsnsa__fail(err, FSNSA_ERR_ARG, "job %zu: key too long",
                               j);
        }
        m[j] = fsnsa_shard_of(key, o->n_shards) == o->shard;
    }
    *mine = m;
    return FSNSA_OK;
}

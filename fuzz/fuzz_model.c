/* Fuzz target: the model file parser (fsnsa__model_parse, the in-memory
 * core of fsnsa_model_load), with the checksum comparison off so that the
 * fuzzer reaches the parser instead of stopping at the CRC line.
 *
 * Checked on every input: an error has a one-line message and no model;
 * a model that parses is consistent enough to use and to save:
 *  - predict and loss run on one row of zeros (feature indices, matrix
 *    sizes and the scaler width must agree with p_in, or ASan fires);
 *  - the read options it gives predict (the read.* lines, format 1.1)
 *    are options the data reader accepts;
 *  - save -> load (checksum verified) -> save gives the same bytes. */
#include "fuzz.h"
#include "core/core.h"
#include "data/data.h"
#include "model/model.h"

#include <string.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static void use_model(const fsnsa_model *m)
{
    const fsnsa_net *net = m->net;
    FSNSA_FUZZ_CHECK(net != NULL);
    FSNSA_FUZZ_CHECK(net->p >= 1 && net->p <= net->p_in && net->h >= 1);
    FSNSA_FUZZ_CHECK(m->scaler.p == net->p_in && m->schema.p == net->p_in);
    float *x = calloc(net->p_in, sizeof *x);
    float *prob = calloc(net->n_classes, sizeof *prob);
    int32_t y = 0;
    fsnsa_dataset *d = NULL;
    fsnsa_error err;
    FSNSA_FUZZ_CHECK(x != NULL && prob != NULL);
    if (fsnsa_dataset_from_arrays(1, net->p_in, x, &y, net->n_classes, &d,
                                  &err) == FSNSA_OK) {
        fsnsa_scaler_impute(&m->scaler, FSNSA_MISSING_MEAN, d);
        FSNSA_FUZZ_CHECK(fsnsa_scaler_apply(&m->scaler, d, &err) ==
                         FSNSA_OK);
        FSNSA_FUZZ_CHECK(fsnsa_net_predict(net, d->x, 1, d->p, prob, &err) ==
                         FSNSA_OK);
        double loss;
        (void)fsnsa_net_loss(net, d, &loss, &err);
    }
    fsnsa_dataset_free(d);
    free(x);
    free(prob);
    fsnsa_read_options o;
    fsnsa_model_read_options(m, &o);
    FSNSA_FUZZ_CHECK(o.schema == &m->schema);
    FSNSA_FUZZ_CHECK(fsnsa__read_options_check(&o, &err) == FSNSA_OK);
}

int fuzz_model(const uint8_t *data, size_t size)
{
    fsnsa_model *m = (fsnsa_model *)data; /* must be reset to NULL */
    fsnsa_error err;
    memset(&err, 0, sizeof err);
    fsnsa_status st =
        fsnsa__model_parse((const char *)data, size, "fuzz.model", false, &m,
                           &err);
    if (st != FSNSA_OK) {
        FSNSA_FUZZ_CHECK(m == NULL);
        FSNSA_FUZZ_CHECK(err.code == st && err.msg[0] != '\0');
        FSNSA_FUZZ_CHECK(strchr(err.msg, '\n') == NULL);
        return 0;
    }
    use_model(m);

    /* What loads must save, and save the same again after a reload. */
    const char *path = fuzz_scratch_file(".model", NULL, 0);
    if (path != NULL) {
        st = fsnsa_model_save(m, path, &err);
        if (st != FSNSA_OK)
            fprintf(stderr, "save: %s\n", err.msg);
        FSNSA_FUZZ_CHECK(st == FSNSA_OK);
        size_t la = 0, lb = 0;
        char *a = slurp(path, &la);
        fsnsa_model *m2 = NULL;
        st = fsnsa_model_load(path, &m2, &err);
        if (st != FSNSA_OK)
            fprintf(stderr, "reload: %s\n", err.msg);
        FSNSA_FUZZ_CHECK(st == FSNSA_OK);
        FSNSA_FUZZ_CHECK(fsnsa_model_save(m2, path, &err) == FSNSA_OK);
        char *b = slurp(path, &lb);
        FSNSA_FUZZ_CHECK(a != NULL && b != NULL && la == lb &&
                         memcmp(a, b, la) == 0);
        free(a);
        free(b);
        fsnsa_model_free(m2);
    }
    fsnsa_model_free(m);
    return 0;
}

FSNSA_FUZZ_MAIN(model)

/* Numerical guards: constant, duplicated and 10^6-scale features train
 * after scaling; divergence stops and names its epoch (or goes on under
 * keep_going); NaN and Inf in the input are refused with their place
 * (docs/RELIABILITY.md). */
#include "testutil.h"

#include <math.h>

/* n rows: x0 in 1e6 +- 1e5 decides the class; x1 constant; x2 = x0. */
static fsnsa_dataset *scaled_problem(size_t n, int scale)
{
    float *x = malloc(n * 3 * sizeof *x);
    int32_t *y = malloc(n * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    fsnsa_rng r;
    fsnsa_rng_seed(&r, 42);
    for (size_t i = 0; i < n; i++) {
        float u = 2.0f * fsnsa_rng_uniform(&r) - 1.0f;
        x[i * 3 + 0] = 1e6f + 1e5f * u;
        x[i * 3 + 1] = 5.0f;
        x[i * 3 + 2] = x[i * 3 + 0];
        y[i] = u > 0;
    }
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_dataset_from_arrays(n, 3, x, y, 2, &d, &err),
                     FSNSA_OK);
    free(x);
    free(y);
    if (scale) {
        fsnsa_scaler sc = {0};
        assert_int_equal(fsnsa_scaler_fit(d, FSNSA_SCALE_STANDARD, &sc, &err),
                         FSNSA_OK);
        assert_int_equal(fsnsa_scaler_apply(&sc, d, &err), FSNSA_OK);
        /* the constant column maps to 0, not to NaN (std taken as 1) */
        for (size_t i = 0; i < n; i++) {
            assert_true(d->x[i * 3 + 1] == 0.0f);
            assert_true(isfinite(d->x[i * 3]) && fabsf(d->x[i * 3]) < 3.0f);
        }
        fsnsa_scaler_clear(&sc);
    }
    return d;
}

static double train_accuracy(const fsnsa_net *net, const fsnsa_dataset *d)
{
    float *prob = malloc(d->n * net->n_classes * sizeof *prob);
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_net_predict(net, d->x, d->n, d->p, prob, &err),
                     FSNSA_OK);
    double acc = fsnsa_accuracy(prob, net->n_classes, d->y, d->n);
    free(prob);
    return acc;
}

/* Constant, duplicated and 10^6-scale features train fine once
 * standardized, dense and FSA+NSA alike. */
static void test_scale_constant_duplicate(void **state)
{
    (void)state;
    fsnsa_dataset *d = scaled_problem(300, 1);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_DENSE;
    o.hidden = 8;
    o.epochs = 60;
    o.lr = 0.01;
    fsnsa_net *net = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_train(d, &o, NULL, &net, &err), FSNSA_OK);
    double acc = train_accuracy(net, d);
    print_message("dense on 1e6-scale + constant + duplicate: acc %.3f\n", acc);
    assert_true(acc > 0.95);
    fsnsa_net_free(net);

    o.method = FSNSA_METHOD_FSA_NSA;
    o.start_hidden = 32;
    o.hidden = 4;
    o.features = 1;
    assert_int_equal(fsnsa_train(d, &o, NULL, &net, &err), FSNSA_OK);
    /* the kept feature is x0 or its copy, never the constant */
    assert_int_equal(net->p, 1);
    assert_true(net->features[0] == 0 || net->features[0] == 2);
    acc = train_accuracy(net, d);
    print_message("fsa-nsa keeps feature %zu: acc %.3f\n", net->features[0],
                  acc);
    assert_true(acc > 0.95);
    fsnsa_net_free(net);
    fsnsa_dataset_free(d);
}

/* An absurd learning rate on unscaled 10^6 values: the loss overflows,
 * training stops naming the epoch; keep_going hands back the last finite
 * network. */
static void test_divergence_stops(void **state)
{
    (void)state;
    fsnsa_dataset *d = scaled_problem(200, 0);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_DENSE;
    o.hidden = 8;
    o.epochs = 50;
    o.lr = 1e30;
    fsnsa_net *net = (fsnsa_net *)&o; /* must come back NULL */
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_train(d, &o, NULL, &net, &err), FSNSA_ERR_NUMERIC);
    assert_null(net);
    print_message("%s\n", err.msg);
    assert_non_null(strstr(err.msg, "epoch "));
    int epoch = 0;
    assert_int_equal(sscanf(err.msg, "epoch %d:", &epoch), 1);
    assert_true(epoch >= 1 && epoch <= o.epochs);

    o.keep_going = 1;
    fsnsa_error err2 = {0};
    assert_int_equal(fsnsa_train(d, &o, NULL, &net, &err2), FSNSA_ERR_NUMERIC);
    assert_string_equal(err.msg, err2.msg); /* same run, same epoch */
    assert_non_null(net);
    for (size_t i = 0; i < net->h * net->p; i++)
        assert_true(isfinite(net->W[i]));
    double loss = NAN;
    assert_int_equal(fsnsa_net_loss(net, d, &loss, &err), FSNSA_OK);
    if (epoch == 1) {
        /* nothing finite was learned: the initial network comes back */
        fsnsa_net *init = NULL;
        assert_int_equal(fsnsa_net_create(d->p, o.hidden, 2, o.seed, &init,
                                          &err), FSNSA_OK);
        assert_memory_equal(init->W, net->W, net->h * net->p * sizeof(float));
        fsnsa_net_free(init);
    }
    fsnsa_net_free(net);
    fsnsa_dataset_free(d);
}

/* keep_going after a later epoch's NaN hands back the network of the
 * epoch before, the same bits as a run of that many epochs gives. */
static void test_divergence_keeps_previous_epoch(void **state)
{
    (void)state;
    fsnsa_dataset *d = scaled_problem(200, 1);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_DENSE;
    o.hidden = 8;
    o.epochs = 50;
    o.keep_going = 1;
    static const double lrs[] = {3e18, 1e19, 3e19, 1e18, 3e17};
    int later = 0;
    for (size_t i = 0; i < sizeof lrs / sizeof lrs[0] && !later; i++) {
        o.lr = lrs[i];
        o.epochs = 50;
        fsnsa_net *net = NULL, *before = NULL;
        fsnsa_error err = {0};
        if (fsnsa_train(d, &o, NULL, &net, &err) != FSNSA_ERR_NUMERIC ||
            strncmp(err.msg, "epoch ", 6) != 0) {
            fsnsa_net_free(net);
            continue;
        }
        int epoch = 0;
        assert_int_equal(sscanf(err.msg, "epoch %d:", &epoch), 1);
        print_message("lr %g: NaN in epoch %d\n", o.lr, epoch);
        assert_non_null(net);
        if (epoch >= 2) {
            later = 1;
            o.epochs = epoch - 1;
            fsnsa_status st = fsnsa_train(d, &o, NULL, &before, NULL);
            assert_true(st == FSNSA_OK || st == FSNSA_ERR_NUMERIC);
            assert_non_null(before);
            assert_true(tu_same_net(net, before));
        }
        fsnsa_net_free(net);
        fsnsa_net_free(before);
    }
    assert_true(later);
    fsnsa_dataset_free(d);
}

/* NaN and Inf in a data file: refused with row and column by default,
 * imputed when asked (NaN / "?" / empty are missing values; "inf" and an
 * out-of-range 1e39 are not numbers at all and always refused). */
static void test_nan_inf_input(void **state)
{
    (void)state;
    char path[128];
    fsnsa_read_options o;
    fsnsa_read_options_default(&o);
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};

    tu_write_text(path, sizeof path, ".csv", "a,b,c\n1,2,0\n3,NaN,1\n5,6,0\n");
    assert_int_equal(fsnsa_dataset_read(path, &o, &d, &err), FSNSA_ERR_PARSE);
    print_message("%s\n", err.msg);
    assert_non_null(strstr(err.msg, ":3:2:"));
    o.missing = FSNSA_MISSING_MEAN;
    assert_int_equal(fsnsa_dataset_read(path, &o, &d, &err), FSNSA_OK);
    fsnsa_scaler sc = {0};
    assert_int_equal(fsnsa_scaler_fit(d, FSNSA_SCALE_STANDARD, &sc, &err),
                     FSNSA_OK);
    fsnsa_scaler_impute(&sc, FSNSA_MISSING_MEAN, d);
    assert_true(d->x[1 * 2 + 1] == 4.0f); /* mean of 2 and 6 */
    fsnsa_scaler_clear(&sc);
    fsnsa_dataset_free(d);
    unlink(path);

    /* A numeric column (more distinct numbers than a nominal column may
     * have, docs/data.md) with an infinity or an out-of-range number in
     * row 40 (line 41): refused whatever the missing-value mode. */
    static const char *const bad[] = {"inf", "-Infinity", "1e39", "-1e39"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[4096] = "a,b,c\n";
        for (int r = 1; r <= 80; r++) {
            char row[64];
            if (r == 40)
                snprintf(row, sizeof row, "%d,%s,%d\n", r, bad[i], r % 2);
            else
                snprintf(row, sizeof row, "%d,%d.5,%d\n", r, r, r % 2);
            strcat(text, row);
        }
        tu_write_text(path, sizeof path, ".csv", text);
        for (int m = 0; m < 2; m++) {
            o.missing = m ? FSNSA_MISSING_MEAN : FSNSA_MISSING_REFUSE;
            d = NULL;
            fsnsa_status st = fsnsa_dataset_read(path, &o, &d, &err);
            assert_int_not_equal(st, FSNSA_OK);
            assert_null(d);
            if (m == 0)
                print_message("%s\n", err.msg);
            assert_non_null(strstr(err.msg, ":41:2:"));
        }
        unlink(path);
    }
    /* ARFF declares the column numeric: one bad value is enough */
    tu_write_text(path, sizeof path, ".arff",
                  "@relation r\n@attribute a numeric\n@attribute c {x,y}\n"
                  "@data\n1,x\ninf,y\n");
    d = NULL;
    assert_int_equal(fsnsa_dataset_read(path, &o, &d, &err), FSNSA_ERR_PARSE);
    print_message("%s\n", err.msg);
    assert_non_null(strstr(err.msg, ":6:1:"));
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_constant_duplicate),
        cmocka_unit_test(test_divergence_stops),
        cmocka_unit_test(test_divergence_keeps_previous_epoch),
        cmocka_unit_test(test_nan_inf_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

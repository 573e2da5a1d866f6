/* Fitting and predicting a model (src/model/fit.c): the same steps as
 * fitting a scaler, imputing, scaling and training by hand; missing
 * values refused or imputed; warm starts keep the scaler; names set on a
 * data set from arrays; broken trainings. */
#include "testutil.h"

#include <math.h>

static fsnsa_dataset *xor_data(size_t n, size_t p, uint64_t stream)
{
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_xor_generate(n, p, 2, 3, stream, &d, NULL),
                     FSNSA_OK);
    /* an offset and a spread the scaler has to undo */
    for (size_t i = 0; i < n * p; i++)
        d->x[i] = d->x[i] * 7.0f + 3.0f;
    return d;
}

static void small_options(fsnsa_fit_options *o)
{
    fsnsa_fit_options_default(o);
    o->train.method = FSNSA_METHOD_DENSE;
    o->train.hidden = 16;
    o->train.epochs = 40;
    o->train.lr = 0.01;
}

/* fsnsa_model_fit and fsnsa_model_predict give the bits of the steps done
 * by hand. */
static void test_fit_equals_steps(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor_data(300, 4, 0), *t = xor_data(200, 4, 1);
    fsnsa_fit_options o;
    small_options(&o);
    fsnsa_model *m = NULL;
    fsnsa_error err;
    fsnsa_train_report rep;
    if (fsnsa_model_fit(d, &o, NULL, &m, &rep, &err) != FSNSA_OK)
        fail_msg("%s", err.msg);
    /* by hand */
    fsnsa_scaler sc;
    assert_int_equal(fsnsa_scaler_fit(d, FSNSA_SCALE_STANDARD, &sc, NULL),
                     FSNSA_OK);
    fsnsa_dataset *dd, *tt;
    size_t idx[300];
    for (size_t i = 0; i < 300; i++)
        idx[i] = i;
    assert_int_equal(fsnsa_dataset_subset(d, idx, 300, &dd, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_dataset_subset(t, idx, 200, &tt, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_scaler_apply(&sc, dd, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_scaler_apply(&sc, tt, NULL), FSNSA_OK);
    fsnsa_net *net;
    assert_int_equal(fsnsa_train(dd, &o.train, NULL, &net, NULL), FSNSA_OK);
    assert_int_equal(net->h, m->net->h);
    assert_memory_equal(net->W, m->net->W, net->h * net->p * sizeof(float));
    assert_memory_equal(sc.shift, m->scaler.shift, 4 * sizeof(float));
    assert_memory_equal(sc.mult, m->scaler.mult, 4 * sizeof(float));
    /* the model stores the resolved options and the training loss */
    assert_int_equal(m->options.hidden, 16);
    assert_null(m->options.on_epoch);
    double loss;
    assert_int_equal(fsnsa_net_loss(net, dd, &loss, NULL), FSNSA_OK);
    assert_true(loss == m->train_loss && loss == rep.loss);
    float a[400], b[400];
    assert_int_equal(fsnsa_net_predict(net, tt->x, 200, 4, a, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_model_predict(m, t, b, &err), FSNSA_OK);
    assert_memory_equal(a, b, sizeof a);
    /* predict leaves its input alone */
    assert_true(t->x[0] != tt->x[0]);
    fsnsa_net_free(net);
    fsnsa_scaler_clear(&sc);
    fsnsa_dataset_free(dd);
    fsnsa_dataset_free(tt);
    fsnsa_model_free(m);
    fsnsa_dataset_free(d);
    fsnsa_dataset_free(t);
}

static void test_missing_values(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor_data(300, 4, 0);
    d->x[2 * 4 + 3] = NAN;
    fsnsa_fit_options o;
    small_options(&o);
    fsnsa_model *m = NULL;
    fsnsa_error err;
    assert_int_equal(fsnsa_model_fit(d, &o, NULL, &m, NULL, &err),
                     FSNSA_ERR_ARG);
    assert_null(m);
    assert_non_null(strstr(err.msg, "row 3, column 'x3'"));
    o.missing = FSNSA_MISSING_MEAN;
    assert_int_equal(fsnsa_model_fit(d, &o, NULL, &m, NULL, &err), FSNSA_OK);
    assert_int_equal(m->missing, FSNSA_MISSING_MEAN);
    float prob[600];
    assert_int_equal(fsnsa_model_predict(m, d, prob, &err), FSNSA_OK);
    for (size_t i = 0; i < 600; i++)
        assert_true(isfinite(prob[i]));
    fsnsa_model_free(m);
    fsnsa_dataset_free(d);
}

/* A warm start keeps the init model's scaler, whatever the new rows are. */
static void test_warm_start_keeps_scaler(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor_data(300, 4, 0), *e = xor_data(300, 4, 1);
    for (size_t i = 0; i < 300 * 4; i++)
        e->x[i] *= 10.0f;
    fsnsa_fit_options o;
    small_options(&o);
    fsnsa_model *m = NULL, *w = NULL;
    assert_int_equal(fsnsa_model_fit(d, &o, NULL, &m, NULL, NULL), FSNSA_OK);
    o.train.epochs = 5;
    o.train.keep_going = 1;
    fsnsa_status st = fsnsa_model_fit(e, &o, m, &w, NULL, NULL);
    assert_true(st == FSNSA_OK || st == FSNSA_ERR_NUMERIC);
    assert_non_null(w);
    assert_memory_equal(w->scaler.shift, m->scaler.shift, 4 * sizeof(float));
    assert_memory_equal(w->scaler.mult, m->scaler.mult, 4 * sizeof(float));
    fsnsa_model_free(w);
    fsnsa_model_free(m);
    fsnsa_dataset_free(d);
    fsnsa_dataset_free(e);
}

/* A broken training: no model, or with keep_going the kept one, both with
 * FSNSA_ERR_NUMERIC. */
static void test_broken_fit(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor_data(300, 4, 0);
    fsnsa_fit_options o;
    small_options(&o);
    o.train.weight_decay = 1e30; /* every weight driven to nothing */
    fsnsa_model *m = NULL;
    fsnsa_error err;
    assert_int_equal(fsnsa_model_fit(d, &o, NULL, &m, NULL, &err),
                     FSNSA_ERR_NUMERIC);
    assert_null(m);
    o.train.keep_going = 1;
    assert_int_equal(fsnsa_model_fit(d, &o, NULL, &m, NULL, &err),
                     FSNSA_ERR_NUMERIC);
    assert_non_null(m);
    assert_non_null(m->net);
    fsnsa_model_free(m);
    fsnsa_dataset_free(d);
}

static void test_set_names(void **state)
{
    (void)state;
    float x[6] = {1, 2, 3, 4, 5, 6};
    int32_t y[3] = {0, 1, 0};
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_dataset_from_arrays(3, 2, x, y, 2, &d, NULL),
                     FSNSA_OK);
    const char *cols[] = {"height", "weight"}, *classes[] = {"no", "yes"};
    assert_int_equal(fsnsa_dataset_set_names(d, cols, "sick", classes, NULL),
                     FSNSA_OK);
    assert_string_equal(d->schema.columns[1].name, "weight");
    assert_string_equal(d->feature_names[0], "height");
    assert_string_equal(d->schema.class_names[1], "yes");
    assert_string_equal(d->schema.label_name, "sick");
    const char *twice[] = {"a", "a"}, *empty[] = {"a", ""};
    fsnsa_error err;
    assert_int_equal(fsnsa_dataset_set_names(d, twice, NULL, NULL, &err),
                     FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "both named 'a'"));
    assert_int_equal(fsnsa_dataset_set_names(d, NULL, NULL, empty, &err),
                     FSNSA_ERR_ARG);
    /* a refusal changes nothing */
    assert_string_equal(d->schema.columns[0].name, "height");
    assert_string_equal(d->schema.class_names[0], "no");
    fsnsa_dataset_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_equals_steps),
        cmocka_unit_test(test_missing_values),
        cmocka_unit_test(test_warm_start_keeps_scaler),
        cmocka_unit_test(test_broken_fit),
        cmocka_unit_test(test_set_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

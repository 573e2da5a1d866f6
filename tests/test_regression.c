/* Regression (fsnsa_train_options.task): the squared-error gradient by
 * finite differences through the net, a fit of a known
 * linear-plus-interaction target with FSA+NSA, the target's scaling
 * through a model file, the worse-than-the-mean rule, the validation
 * split, the reader, the metrics and the task-detection rule on both
 * sides of its threshold. The PyTorch comparison is
 * python/tests/test_regression_torch.py. */
#include "testutil.h"

#include <math.h>

#include "core/core.h"
#include "nn/kernels.h"
#include "nn/network.h"

/* Mean squared error of a one-output net on (x, t), in double. */
static double ref_mse(const fsnsa_net *net, const float *x, const float *t,
                      size_t B)
{
    size_t h = net->h, p = net->p;
    double total = 0;
    for (size_t r = 0; r < B; r++) {
        double o = net->c[0];
        for (size_t j = 0; j < h; j++) {
            double z = net->b[j];
            for (size_t i = 0; i < p; i++)
                z += (double)net->W[j * p + i] * x[r * p + i];
            o += (z > 0 ? z : 0) * net->beta[j];
        }
        total += (o - t[r]) * (o - t[r]);
    }
    return total / (double)B;
}

static void test_gradcheck_mse(void **state)
{
    (void)state;
    enum { P = 5, H = 7, B = 11 };
    fsnsa_net *net;
    assert_int_equal(fsnsa_net_create(P, H, 1, 42, &net, NULL), FSNSA_OK);
    assert_int_equal(net->n_out, 1);
    float x[B * P], t[B];
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, 9);
    for (size_t i = 0; i < B * P; i++)
        x[i] = 4.0f * fsnsa_rng_uniform(&rng) - 2.0f;
    for (size_t r = 0; r < B; r++)
        t[r] = 3.0f * fsnsa_rng_uniform(&rng) - 1.5f;
    fsnsa__work w;
    assert_int_equal(fsnsa__work_init(&w, H, P, 1, B), 0);
    w.target = t;
    double sum = fsnsa__grad_step(net, x, P, NULL, NULL, B, &w, NULL, NULL);
    assert_float_equal(sum / B, ref_mse(net, x, t, B), 1e-5);
    struct { float *param, *grad; size_t n; } blocks[4] = {
        {net->W, w.gWc, H * P}, {net->b, w.gbv, H}, {net->beta, w.gbc, H},
        {net->c, w.gc, 1}};
    const float eps = 1e-3f;
    for (int b = 0; b < 4; b++)
        for (size_t i = 0; i < blocks[b].n; i++) {
            float keep = blocks[b].param[i];
            blocks[b].param[i] = keep + eps;
            double up = ref_mse(net, x, t, B);
            blocks[b].param[i] = keep - eps;
            double down = ref_mse(net, x, t, B);
            blocks[b].param[i] = keep;
            double num = (up - down) / (2.0 * (double)eps);
            double ana = blocks[b].grad[i];
            if (!(fabs(num - ana) <= 2e-3 * (1.0 + fabs(num))))
                print_error("block %d entry %zu: numeric %g analytic %g\n", b,
                            i, num, ana);
            assert_true(fabs(num - ana) <= 2e-3 * (1.0 + fabs(num)));
        }
    /* the check has teeth: half the gradient (1/2 MSE's) fails it */
    double num_c, keep_c = net->c[0];
    net->c[0] = (float)keep_c + eps;
    num_c = ref_mse(net, x, t, B);
    net->c[0] = (float)keep_c - eps;
    num_c = (num_c - ref_mse(net, x, t, B)) / (2.0 * (double)eps);
    net->c[0] = (float)keep_c;
    assert_false(fabs(num_c - 0.5 * w.gc[0]) <= 2e-3 * (1.0 + fabs(num_c)));
    fsnsa__work_free(&w);
    fsnsa_net_free(net);
}

#include "interaction_data.inc"

/* The known target on 10 columns (interaction_data.inc). */
static fsnsa_dataset *interaction_data(size_t n, uint64_t seed)
{
    return interaction_data_p(n, 10, seed);
}

static void fit_options(fsnsa_fit_options *fo)
{
    fsnsa_fit_options_default(fo);
    fo->train.task = FSNSA_TASK_REGRESSION;
    fo->train.method = FSNSA_METHOD_FSA_NSA;
    fo->train.features = 4;
    fo->train.start_hidden = 256;
    fo->train.hidden = 32;
    fo->train.epochs = 60;
    fo->train.lr = 3e-3;
}

static double test_r2(const fsnsa_model *m, const fsnsa_dataset *te)
{
    float *pred = malloc(te->n * sizeof *pred);
    assert_non_null(pred);
    assert_int_equal(fsnsa_model_predict(m, te, pred, NULL), FSNSA_OK);
    double rmse, mae, r2;
    fsnsa_regression_metrics(pred, te->target, te->n, &rmse, &mae, &r2);
    free(pred);
    return r2;
}

/* FSA+NSA keeps the four columns the target depends on and fits it. */
static void test_fit_interaction(void **state)
{
    (void)state;
    fsnsa_dataset *tr = interaction_data(1000, 1), *te = interaction_data(500, 2);
    fsnsa_fit_options fo;
    fit_options(&fo);
    fsnsa_model *m;
    fsnsa_train_report rep;
    fsnsa_error err;
    fsnsa_status st = fsnsa_model_fit(tr, &fo, NULL, &m, &rep, &err);
    if (st != FSNSA_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(st, FSNSA_OK);
    assert_int_equal(m->net->n_classes, 1);
    assert_int_equal(m->net->p, 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(m->net->features[i], i);
    /* the target was standardized: mean ~50, sd ~10 * sd(y) */
    assert_true(fabs(m->target_mean - 50.0) < 2.0);
    assert_true(m->target_sd > 10.0 && m->target_sd < 30.0);
    assert_true(rep.constant_loss > 0.99 && rep.constant_loss < 1.01);
    double r2 = test_r2(m, te);
    print_message("interaction fit: train MSE %.4f (standardized), test R^2 %.4f\n",
                  rep.loss, r2);
    assert_true(r2 > 0.95);
    fsnsa_model_free(m);
    fsnsa_dataset_free(tr);
    fsnsa_dataset_free(te);
}

/* Save and load: version 1.4, the scaling, the same predictions. */
static void test_model_file_round_trip(void **state)
{
    (void)state;
    fsnsa_dataset *tr = interaction_data(300, 3);
    fsnsa_fit_options fo;
    fit_options(&fo);
    fo.train.method = FSNSA_METHOD_DENSE;
    fo.train.hidden = 16;
    fo.train.epochs = 5;
    fsnsa_model *m, *back;
    assert_int_equal(fsnsa_model_fit(tr, &fo, NULL, &m, NULL, NULL), FSNSA_OK);
    char path[256];
    snprintf(path, sizeof path, "%s/reg.model", tu_scratch_dir());
    assert_int_equal(fsnsa_model_save(m, path, NULL), FSNSA_OK);
    size_t len;
    char *text = tu_slurp(path, &len);
    assert_memory_equal(text, "fsnsa-model 1.4\n", 16);
    assert_non_null(strstr(text, "\ntrain.task regression\n"));
    assert_non_null(strstr(text, "\ntarget_mean "));
    free(text);
    fsnsa_error err;
    fsnsa_status st = fsnsa_model_load(path, &back, &err);
    if (st != FSNSA_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(st, FSNSA_OK);
    assert_int_equal(back->options.task, FSNSA_TASK_REGRESSION);
    assert_true(back->target_mean == m->target_mean);
    assert_true(back->target_sd == m->target_sd);
    float a[300], b[300];
    assert_int_equal(fsnsa_model_predict(m, tr, a, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_model_predict(back, tr, b, NULL), FSNSA_OK);
    assert_memory_equal(a, b, sizeof a);
    /* un-standardized: predictions in the target's units */
    double mean = 0;
    for (size_t i = 0; i < 300; i++)
        mean += a[i];
    assert_true(fabs(mean / 300 - m->target_mean) < 0.5 * m->target_sd);
    fsnsa_model_free(back);
    fsnsa_model_free(m);
    fsnsa_dataset_free(tr);
}

/* A final MSE above the training target's variance is a broken run. */
static void test_worse_than_mean(void **state)
{
    (void)state;
    fsnsa_dataset *tr = interaction_data(200, 4);
    fsnsa_net *init, *out;
    assert_int_equal(fsnsa_net_create(10, 8, 1, 1, &init, NULL), FSNSA_OK);
    init->c[0] = 1000.0f; /* far from every target */
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.task = FSNSA_TASK_REGRESSION;
    o.method = FSNSA_METHOD_DENSE;
    o.hidden = 8;
    o.epochs = 1;
    o.lr = 1e-6;
    fsnsa_train_report rep;
    fsnsa_error err;
    assert_int_equal(fsnsa_train_with_report(tr, &o, init, &out, &rep, &err),
                     FSNSA_ERR_NUMERIC);
    assert_null(out);
    assert_int_equal(rep.outcome, FSNSA_TRAIN_WORSE_THAN_CONSTANT);
    assert_non_null(strstr(err.msg, "predicting the training mean"));
    /* the same from a sensible start passes the rule */
    init->c[0] = 50.0f;
    o.lr = 1e-2;
    o.epochs = 20;
    assert_int_equal(fsnsa_train_with_report(tr, &o, init, &out, &rep, &err),
                     FSNSA_OK);
    assert_true(rep.loss < rep.constant_loss);
    fsnsa_net_free(out);
    fsnsa_net_free(init);
    fsnsa_dataset_free(tr);
}

/* The split is drawn by a seeded shuffle; keep best and early stopping
 * work on the held-out MSE, R^2 reported; class weights are refused. */
static void test_validation_split(void **state)
{
    (void)state;
    fsnsa_dataset *tr = interaction_data(200, 5);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.task = FSNSA_TASK_REGRESSION;
    o.validation_fraction = 0.25;
    size_t a[200], b[200], na, nb, a2[200], b2[200], na2, nb2;
    assert_int_equal(fsnsa_train_validation_split(tr, &o, a, &na, b, &nb, NULL),
                     FSNSA_OK);
    assert_int_equal(na, 150);
    assert_int_equal(nb, 50);
    for (size_t i = 1; i < nb; i++)
        assert_true(b[i] > b[i - 1]);
    assert_int_equal(fsnsa_train_validation_split(tr, &o, a2, &na2, b2, &nb2, NULL),
                     FSNSA_OK);
    assert_memory_equal(b, b2, nb * sizeof *b);
    fsnsa_fit_options fo;
    fit_options(&fo);
    fo.train.method = FSNSA_METHOD_DENSE;
    fo.train.hidden = 16;
    fo.train.epochs = 40;
    fo.train.validation_fraction = 0.25;
    fo.train.keep = FSNSA_KEEP_BEST;
    fo.train.early_stopping = 5;
    fsnsa_model *m;
    fsnsa_train_report rep;
    assert_int_equal(fsnsa_model_fit(tr, &fo, NULL, &m, &rep, NULL), FSNSA_OK);
    assert_true(rep.chosen_epoch >= 1 && rep.chosen_epoch <= rep.epochs);
    assert_true(isfinite(rep.validation_loss));
    assert_true(rep.validation_accuracy > 0.0 && rep.validation_accuracy <= 1.0);
    assert_true(m->validation_accuracy == rep.validation_accuracy);
    fsnsa_model_free(m);
    fo.train.class_weight = FSNSA_CLASS_WEIGHT_BALANCED;
    fsnsa_error err;
    assert_int_equal(fsnsa_model_fit(tr, &fo, NULL, &m, NULL, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "class weights"));
    /* a classification run refuses a regression data set */
    fo.train.class_weight = FSNSA_CLASS_WEIGHT_NONE;
    fo.train.task = FSNSA_TASK_CLASSIFICATION;
    assert_int_equal(fsnsa_model_fit(tr, &fo, NULL, &m, NULL, &err), FSNSA_ERR_ARG);
    fsnsa_dataset_free(tr);
}

/* The reader: the label as a number, and its refusal when it is not. */
static void test_read_targets(void **state)
{
    (void)state;
    char path[256];
    tu_write_text(path, sizeof path, ".csv",
                  "a,b,y\n1,2,3.5\n2,3,-1\n3,4,3.5\n4,5,1e2\n");
    fsnsa_read_options ro;
    fsnsa_read_options_default(&ro);
    ro.task = FSNSA_TASK_REGRESSION;
    fsnsa_dataset *d;
    fsnsa_error err;
    fsnsa_status st = fsnsa_dataset_read(path, &ro, &d, &err);
    if (st != FSNSA_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(st, FSNSA_OK);
    assert_non_null(d->target);
    assert_int_equal(d->schema.n_classes, 0);
    assert_true(d->target[0] == 3.5f && d->target[1] == -1.0f &&
                d->target[2] == 3.5f && d->target[3] == 100.0f);
    assert_int_equal(d->y[0], -1);
    fsnsa_dataset_free(d);
    tu_write_text(path, sizeof path, ".csv", "a,b,y\n1,2,3.5\n2,3,big\n");
    assert_int_equal(fsnsa_dataset_read(path, &ro, &d, &err), FSNSA_ERR_PARSE);
    assert_non_null(strstr(err.msg, "'big' is not a finite number"));
}

static void test_metrics(void **state)
{
    (void)state;
    const float t[4] = {1, 2, 3, NAN}, p[4] = {1, 2, 5, 7};
    double rmse, mae, r2;
    fsnsa_regression_metrics(p, t, 4, &rmse, &mae, &r2);
    assert_float_equal(rmse, sqrt(4.0 / 3), 1e-12);
    assert_float_equal(mae, 2.0 / 3, 1e-12);
    assert_float_equal(r2, 1.0 - 4.0 / 2.0, 1e-12);
    fsnsa_regression_metrics(p, t, 0, &rmse, NULL, &r2);
    assert_true(isnan(rmse) && isnan(r2));
}

/* The detection rule on both sides of each threshold. */
static void test_detect(void **state)
{
    (void)state;
    const char *cls[] = {"1", "2", "3"}, *frac[] = {"1", "2.5"},
               *words[] = {"a", "2.5"}, *comma[] = {"1,5", "2"};
    size_t nn, nf;
    assert_int_equal(fsnsa_task_detect(cls, 3, 0, &nn, &nf),
                     FSNSA_TASK_CLASSIFICATION);
    assert_int_equal(nn, 3);
    assert_int_equal(nf, 0);
    assert_int_equal(fsnsa_task_detect(frac, 2, 0, &nn, &nf),
                     FSNSA_TASK_REGRESSION);
    assert_int_equal(nf, 1);
    assert_int_equal(fsnsa_task_detect(words, 2, 0, &nn, &nf),
                     FSNSA_TASK_CLASSIFICATION);
    assert_int_equal(nn, 1);
    assert_int_equal(fsnsa_task_detect(comma, 2, ',', NULL, &nf),
                     FSNSA_TASK_REGRESSION);
    enum { M = FSNSA_TASK_MAX_INTEGER_CLASSES + 1 };
    char buf[M][8];
    const char *v[M];
    for (size_t i = 0; i < M; i++) {
        snprintf(buf[i], sizeof buf[i], "%zu", i * 3);
        v[i] = buf[i];
    }
    assert_int_equal(fsnsa_task_detect(v, M - 1, 0, NULL, NULL),
                     FSNSA_TASK_CLASSIFICATION);
    assert_int_equal(fsnsa_task_detect(v, M, 0, NULL, NULL),
                     FSNSA_TASK_REGRESSION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gradcheck_mse),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_read_targets),
        cmocka_unit_test(test_worse_than_mean),
        cmocka_unit_test(test_validation_split),
        cmocka_unit_test(test_model_file_round_trip),
        cmocka_unit_test(test_fit_interaction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

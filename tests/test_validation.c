/* Class weights and the validation split (fsnsa_train_options
 * .class_weight, .validation_fraction, .keep, .early_stopping): the
 * balanced weights against scikit-learn, the weighted gradient against
 * finite differences, the weighted loss against the probabilities, the
 * minority recall they buy on a skewed set, the best epoch kept, early
 * stopping, the options' checks and the model file's 1.3 lines. */
#include "testutil.h"

#include <math.h>

#include "core/core.h"
#include "nn/kernels.h"
#include "nn/network.h"

/* scikit-learn 1.2: compute_class_weight("balanced", classes=[0, 1, 2],
 * y=[0]*7 + [1]*2 + [2]) = [0.47619048, 1.66666667, 3.33333333], i.e.
 * 10 / (3 * 7), 10 / (3 * 2), 10 / (3 * 1). */
static void test_balanced_like_sklearn(void **state)
{
    (void)state;
    const int32_t y[10] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 2};
    float w[3];
    assert_int_equal(fsnsa_class_weights_balanced(y, 10, 3, w, NULL), FSNSA_OK);
    assert_float_equal(w[0], 0.47619048, 1e-6);
    assert_float_equal(w[1], 1.66666667, 1e-6);
    assert_float_equal(w[2], 3.33333333, 1e-6);
    /* a class without rows has no balanced weight */
    fsnsa_error err = {0};
    float w4[4];
    assert_int_equal(fsnsa_class_weights_balanced(y, 10, 4, w4, &err),
                     FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "class 3"));
}

/* d: n rows, column 0 informative (shifted by `shift` for class 1), the
 * others noise; class 1 for a share `minority` of the rows. */
static fsnsa_dataset *skewed(size_t n, size_t p, double minority, float shift,
                             uint64_t seed)
{
    float *x = malloc(n * p * sizeof *x);
    int32_t *y = malloc(n * sizeof *y);
    fsnsa_rng r;
    fsnsa_rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++) {
        y[i] = fsnsa_rng_uniform(&r) < minority;
        for (size_t j = 0; j < p; j++) {
            /* a sum of 4 uniforms: roughly normal, variance 1/3 */
            float v = 0;
            for (int k = 0; k < 4; k++)
                v += fsnsa_rng_uniform(&r) - 0.5f;
            x[i * p + j] = v + (j == 0 && y[i] ? shift : 0.0f);
        }
    }
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_dataset_from_arrays(n, p, x, y, 2, &d, NULL), FSNSA_OK);
    free(x);
    free(y);
    return d;
}

/* The fused step's gradient of the weighted mean loss against central
 * differences of fsnsa_net_loss_weighted (a separate forward), and that
 * loss against -log of the predicted probabilities times the weights. */
static void weighted_gradcheck(size_t classes)
{
    const size_t p = 4, h = 6, B = 9;
    fsnsa_net *net;
    assert_int_equal(fsnsa_net_create(p, h, classes, 3, &net, NULL), FSNSA_OK);
    float x[9 * 4], prob[9 * 3], wt[3] = {0.3f, 2.5f, 1.25f};
    int32_t y[9];
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, 4);
    for (size_t i = 0; i < B * p; i++)
        x[i] = 3.0f * fsnsa_rng_uniform(&rng) - 1.5f;
    for (size_t r = 0; r < B; r++)
        y[r] = (int32_t)(r % classes);
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_dataset_from_arrays(B, p, x, y, classes, &d, NULL), FSNSA_OK);
    double loss, by_hand = 0;
    assert_int_equal(fsnsa_net_loss_weighted(net, d, wt, &loss, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_net_predict(net, x, B, p, prob, NULL), FSNSA_OK);
    for (size_t r = 0; r < B; r++)
        by_hand -= wt[y[r]] * log(prob[r * classes + (size_t)y[r]]);
    assert_float_equal(loss, by_hand / (double)B, 1e-5);

    fsnsa__work w;
    assert_int_equal(fsnsa__work_init(&w, h, p, net->n_out, B), 0);
    w.class_weight = wt;
    double sum = fsnsa__grad_step(net, x, p, NULL, y, B, &w, NULL, NULL);
    assert_float_equal(sum / (double)B, loss, 1e-5);
    size_t C = net->n_out;
    struct { float *param, *grad; size_t n; } blocks[4] = {
        {net->W, w.gWc, h * p}, {net->b, w.gbv, h}, {net->beta, w.gbc, h * C},
        {net->c, w.gc, C}};
    const float eps = 1e-2f;
    for (int b = 0; b < 4; b++)
        for (size_t i = 0; i < blocks[b].n; i++) {
            float keep = blocks[b].param[i];
            double up, down;
            blocks[b].param[i] = keep + eps;
            fsnsa_net_loss_weighted(net, d, wt, &up, NULL);
            blocks[b].param[i] = keep - eps;
            fsnsa_net_loss_weighted(net, d, wt, &down, NULL);
            blocks[b].param[i] = keep;
            double num = (up - down) / (2.0 * (double)eps);
            double ana = blocks[b].grad[i];
            if (!(fabs(num - ana) <= 2e-3 * (1.0 + fabs(num))))
                print_error("block %d entry %zu: numeric %g analytic %g\n",
                            b, i, num, ana);
            assert_true(fabs(num - ana) <= 2e-3 * (1.0 + fabs(num)));
        }
    /* the weights matter: the unweighted gradient differs */
    float gc0 = w.gc[0];
    w.class_weight = NULL;
    fsnsa__grad_step(net, x, p, NULL, y, B, &w, NULL, NULL);
    assert_true(fabs(gc0 - w.gc[0]) > 1e-3);
    fsnsa__work_free(&w);
    fsnsa_dataset_free(d);
    fsnsa_net_free(net);
}

static void test_weighted_gradcheck_binary(void **state)
{
    (void)state;
    weighted_gradcheck(2);
}

static void test_weighted_gradcheck_softmax(void **state)
{
    (void)state;
    weighted_gradcheck(3);
}

/* Recall of class c of net on d. */
static double recall_of(const fsnsa_net *net, const fsnsa_dataset *d, size_t c)
{
    float *prob = malloc(d->n * 2 * sizeof *prob);
    size_t counts[4];
    double recall[2];
    assert_int_equal(fsnsa_net_predict(net, d->x, d->n, d->p, prob, NULL), FSNSA_OK);
    fsnsa_confusion(prob, 2, d->y, d->n, counts);
    double bal = fsnsa_balanced_accuracy(counts, 2, recall);
    assert_float_equal(bal, (recall[0] + recall[1]) / 2, 1e-12);
    free(prob);
    return recall[c];
}

/* 95/5 with one informative column: unweighted, the minority class is
 * mostly predicted as the majority; balanced weights raise its recall. */
static void test_balanced_raises_minority_recall(void **state)
{
    (void)state;
    fsnsa_dataset *d = skewed(2000, 3, 0.05, 0.8f, 7);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_DENSE;
    o.hidden = 16;
    o.epochs = 15;
    fsnsa_net *plain, *weighted;
    assert_int_equal(fsnsa_train(d, &o, NULL, &plain, NULL), FSNSA_OK);
    o.class_weight = FSNSA_CLASS_WEIGHT_BALANCED;
    fsnsa_train_report rep;
    assert_int_equal(fsnsa_train_with_report(d, &o, NULL, &weighted, &rep, NULL),
                     FSNSA_OK);
    double r0 = recall_of(plain, d, 1), r1 = recall_of(weighted, d, 1);
    print_message("minority recall: unweighted %.3f, balanced %.3f\n", r0, r1);
    assert_true(r0 < 0.2);
    assert_true(r1 > 0.5);
    /* the reported loss is the weighted one, by the same weights */
    float w[2];
    double wl;
    assert_int_equal(fsnsa_train_class_weights(d, &o, w, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_net_loss_weighted(weighted, d, w, &wl, NULL), FSNSA_OK);
    assert_float_equal(rep.loss, wl, 1e-12);
    fsnsa_net_free(plain);
    fsnsa_net_free(weighted);
    fsnsa_dataset_free(d);
}

/* Every epoch's network and validation figures, from the callback. */
typedef struct {
    int n;
    double vloss[64], vacc[64];
    size_t h[64], p[64];
    fsnsa_net *nets[64];
} epochs_seen;

static int record_epoch(const fsnsa_epoch_info *e, void *ctx)
{
    epochs_seen *s = ctx;
    int i = s->n++;
    s->vloss[i] = e->validation_loss;
    s->vacc[i] = e->validation_accuracy;
    s->h[i] = e->hidden;
    s->p[i] = e->features;
    assert_int_equal(fsnsa_net_copy(e->net, &s->nets[i], NULL), FSNSA_OK);
    return 0;
}

static void seen_free(epochs_seen *s)
{
    for (int i = 0; i < s->n; i++)
        fsnsa_net_free(s->nets[i]);
}

/* keep best hands back the network of the epoch with the lowest
 * validation loss among those at the final size; the report and an
 * independent evaluation on the held-out rows agree. */
static void test_keep_best_is_best_epoch(void **state)
{
    (void)state;
    fsnsa_dataset *d = skewed(200, 6, 0.4, 0.6f, 11);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_FSA_NSA;
    o.start_hidden = 64;
    o.hidden = 8;
    o.features = 2;
    o.epochs = 40;
    o.lr = 0.05; /* overfits late, so the best epoch is not the last */
    o.validation_fraction = 0.3;
    o.keep = FSNSA_KEEP_BEST;
    epochs_seen seen = {0};
    o.on_epoch = record_epoch;
    o.on_epoch_ctx = &seen;
    fsnsa_net *net;
    fsnsa_train_report rep;
    assert_int_equal(fsnsa_train_with_report(d, &o, NULL, &net, &rep, NULL), FSNSA_OK);
    assert_int_equal(seen.n, 40);
    int best = -1;
    for (int i = 0; i < seen.n; i++) {
        assert_false(isnan(seen.vloss[i]));
        if (seen.h[i] == 8 && seen.p[i] == 2 &&
            (best < 0 || seen.vloss[i] < seen.vloss[best]))
            best = i;
    }
    assert_true(best >= 0);
    print_message("best epoch %d of %d\n", best + 1, seen.n);
    assert_true(best + 1 < seen.n); /* else last and best cannot differ */
    assert_int_equal(rep.chosen_epoch, best + 1);
    assert_float_equal(rep.validation_loss, seen.vloss[best], 0);
    const fsnsa_net *b = seen.nets[best];
    assert_int_equal(net->h, b->h);
    assert_int_equal(net->p, b->p);
    assert_memory_equal(net->W, b->W, b->h * b->p * sizeof(float));
    assert_memory_equal(net->beta, b->beta, b->h * b->n_out * sizeof(float));
    /* the held-out rows, evaluated here */
    size_t *tr = malloc(d->n * sizeof *tr), *va = malloc(d->n * sizeof *va);
    size_t ntr, nva;
    assert_int_equal(fsnsa_train_validation_split(d, &o, tr, &ntr, va, &nva, NULL),
                     FSNSA_OK);
    assert_int_equal(ntr + nva, d->n);
    assert_true(nva >= 58 && nva <= 62); /* 30 %, rounded per class */
    fsnsa_dataset *val;
    assert_int_equal(fsnsa_dataset_subset(d, va, nva, &val, NULL), FSNSA_OK);
    double vl;
    assert_int_equal(fsnsa_net_loss(net, val, &vl, NULL), FSNSA_OK);
    assert_float_equal(vl, rep.validation_loss, 1e-12);
    /* keep last: the last epoch's network from the same run */
    o.keep = FSNSA_KEEP_LAST;
    seen_free(&seen);
    seen = (epochs_seen){0};
    fsnsa_net *last;
    assert_int_equal(fsnsa_train_with_report(d, &o, NULL, &last, &rep, NULL), FSNSA_OK);
    assert_int_equal(rep.chosen_epoch, 40);
    assert_memory_equal(last->W, seen.nets[39]->W, last->h * last->p * sizeof(float));
    fsnsa_net_free(last);
    fsnsa_dataset_free(val);
    free(tr);
    free(va);
    seen_free(&seen);
    fsnsa_net_free(net);
    fsnsa_dataset_free(d);
}

/* Dense early stopping: the run ends K epochs after its best one. */
static void test_early_stopping_stops(void **state)
{
    (void)state;
    fsnsa_dataset *d = skewed(400, 4, 0.5, 0.5f, 5);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_DENSE;
    o.hidden = 32;
    o.epochs = 60;
    o.lr = 0.05;
    o.validation_fraction = 0.25;
    o.early_stopping = 3;
    epochs_seen seen = {0};
    o.on_epoch = record_epoch;
    o.on_epoch_ctx = &seen;
    fsnsa_net *net;
    fsnsa_train_report rep;
    assert_int_equal(fsnsa_train_with_report(d, &o, NULL, &net, &rep, NULL), FSNSA_OK);
    print_message("stopped after %d epochs\n", rep.epochs);
    assert_true(rep.stopped_early);
    assert_true(rep.epochs < 60);
    assert_int_equal(seen.n, rep.epochs);
    int best = 0;
    for (int i = 1; i < seen.n; i++)
        if (seen.vloss[i] < seen.vloss[best])
            best = i;
    assert_int_equal(best + 1 + 3, rep.epochs); /* K epochs after the best */
    fsnsa_net_free(net);
    seen_free(&seen);
    fsnsa_dataset_free(d);
}

static void test_options_checked(void **state)
{
    (void)state;
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    assert_int_equal(o.validation_fraction, 0);
    assert_int_equal(o.keep, FSNSA_KEEP_LAST);
    assert_int_equal(o.class_weight, FSNSA_CLASS_WEIGHT_NONE);
    fsnsa_error err = {0};
    o.keep = FSNSA_KEEP_BEST;
    assert_int_equal(fsnsa_train_options_check(&o, 3, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "validation fraction"));
    o.keep = FSNSA_KEEP_LAST;
    o.early_stopping = 2;
    assert_int_equal(fsnsa_train_options_check(&o, 3, &err), FSNSA_ERR_ARG);
    o.validation_fraction = 1.0;
    assert_int_equal(fsnsa_train_options_check(&o, 3, &err), FSNSA_ERR_ARG);
    o.validation_fraction = 0.2;
    assert_int_equal(fsnsa_train_options_check(&o, 3, &err), FSNSA_OK);
    o.class_weight = FSNSA_CLASS_WEIGHT_GIVEN;
    assert_int_equal(fsnsa_train_options_check(&o, 3, &err), FSNSA_ERR_ARG);
    assert_string_equal(fsnsa_keep_name(FSNSA_KEEP_BEST), "best");
    assert_int_equal(fsnsa_class_weight_parse("balanced"), FSNSA_CLASS_WEIGHT_BALANCED);
}

/* The model keeps the weights and the chosen epoch (format 1.3) through
 * a save and a load; a model without them stays an older format. */
static void test_model_round_trip(void **state)
{
    (void)state;
    fsnsa_dataset *d = skewed(300, 3, 0.2, 1.0f, 9);
    fsnsa_fit_options fo;
    fsnsa_fit_options_default(&fo);
    fo.train.method = FSNSA_METHOD_DENSE;
    fo.train.hidden = 8;
    fo.train.epochs = 5;
    const float given[2] = {1.0f, 3.5f};
    fo.train.class_weight = FSNSA_CLASS_WEIGHT_GIVEN;
    fo.train.class_weights = given;
    fo.train.validation_fraction = 0.2;
    fo.train.keep = FSNSA_KEEP_BEST;
    fsnsa_model *m, *back;
    fsnsa_train_report rep;
    assert_int_equal(fsnsa_model_fit(d, &fo, NULL, &m, &rep, NULL), FSNSA_OK);
    assert_ptr_equal(m->options.class_weights, m->class_weights);
    assert_true(m->class_weights[1] == 3.5f);
    assert_int_equal(m->chosen_epoch, rep.chosen_epoch);
    tu_drop_recall(m); /* 1.4's lines: test_recall_round_trip */
    char path[512];
    snprintf(path, sizeof path, "%s/w.model", tu_scratch_dir());
    assert_int_equal(fsnsa_model_save(m, path, NULL), FSNSA_OK);
    size_t len;
    char *text = tu_slurp(path, &len);
    assert_true(strncmp(text, "fsnsa-model 1.3\n", 16) == 0);
    assert_non_null(strstr(text, "\nclass_weight given\nclass_weights 1 3.5\n"));
    free(text);
    assert_int_equal(fsnsa_model_load(path, &back, NULL), FSNSA_OK);
    assert_int_equal(back->options.class_weight, FSNSA_CLASS_WEIGHT_GIVEN);
    assert_true(back->class_weights[0] == 1.0f && back->class_weights[1] == 3.5f);
    assert_int_equal(back->chosen_epoch, m->chosen_epoch);
    assert_int_equal(back->options.keep, FSNSA_KEEP_BEST);
    assert_float_equal(back->validation_loss, m->validation_loss, 0);
    assert_float_equal(back->options.validation_fraction, 0.2, 0);
    fsnsa_model_free(back);
    fsnsa_model_free(m);
    /* without weights or validation: no 1.3 line */
    fsnsa_fit_options_default(&fo);
    fo.train.variant = FSNSA_VARIANT_PAPER; /* stable would be a 1.3 line */
    fo.train.method = FSNSA_METHOD_DENSE;
    fo.train.epochs = 2;
    fo.train.keep_going = 1; /* 2 epochs may not beat the constant loss */
    fsnsa_model_fit(d, &fo, NULL, &m, NULL, NULL);
    assert_non_null(m);
    tu_drop_recall(m);
    assert_int_equal(fsnsa_model_save(m, path, NULL), FSNSA_OK);
    text = tu_slurp(path, &len);
    assert_true(strncmp(text, "fsnsa-model 1.2\n", 16) == 0);
    assert_null(strstr(text, "class_weight"));
    free(text);
    fsnsa_model_free(m);
    fsnsa_dataset_free(d);
}

/* The balanced accuracy and recall of m's network on every row of d,
 * computed here from its predictions. */
static double recall_on(const fsnsa_model *m, const fsnsa_dataset *d,
                        double *recall)
{
    float *prob = malloc(d->n * 2 * sizeof *prob);
    size_t counts[4] = {0};
    assert_non_null(prob);
    assert_int_equal(fsnsa_model_predict(m, d, prob, NULL), FSNSA_OK);
    fsnsa_confusion(prob, 2, d->y, d->n, counts);
    free(prob);
    return fsnsa_balanced_accuracy(counts, 2, recall);
}

/* Every fit records each class's recall and the balanced accuracy
 * (format 1.4): on the validation rows with a split, else on the training
 * rows, where they are what predict computes; they come back bit for bit
 * through a file; a model without them is written as 1.3 and loads with
 * none. */
static void test_recall_round_trip(void **state)
{
    (void)state;
    fsnsa_dataset *d = skewed(300, 3, 0.2, 1.0f, 11);
    fsnsa_fit_options fo;
    fsnsa_fit_options_default(&fo);
    fo.train.method = FSNSA_METHOD_DENSE;
    fo.train.hidden = 8;
    fo.train.epochs = 20;
    fo.train.lr = 0.01;
    fsnsa_model *m, *back;
    assert_int_equal(fsnsa_model_fit(d, &fo, NULL, &m, NULL, NULL), FSNSA_OK);
    assert_non_null(m->recall);
    assert_int_equal(m->recall_on_validation, 0);
    double want[2], bal = recall_on(m, d, want);
    assert_true(m->balanced_accuracy == bal);
    assert_true(m->recall[0] == want[0] && m->recall[1] == want[1]);
    fsnsa_model_free(m);
    fo.train.validation_fraction = 0.25;
    fo.train.keep = FSNSA_KEEP_BEST;
    assert_int_equal(fsnsa_model_fit(d, &fo, NULL, &m, NULL, NULL), FSNSA_OK);
    assert_int_equal(m->recall_on_validation, 1);
    assert_true(m->balanced_accuracy >= 0 && m->balanced_accuracy <= 1);
    assert_true(m->balanced_accuracy ==
                (m->recall[0] + m->recall[1]) / 2);
    char path[512];
    snprintf(path, sizeof path, "%s/r.model", tu_scratch_dir());
    assert_int_equal(fsnsa_model_save(m, path, NULL), FSNSA_OK);
    char *text = tu_slurp(path, NULL);
    assert_true(strncmp(text, "fsnsa-model 1.4\n", 16) == 0);
    assert_non_null(strstr(text, "\nrecall_rows validation\n"
                                 "balanced_accuracy "));
    free(text);
    assert_int_equal(fsnsa_model_load(path, &back, NULL), FSNSA_OK);
    assert_int_equal(back->recall_on_validation, 1);
    assert_true(back->balanced_accuracy == m->balanced_accuracy);
    assert_memory_equal(back->recall, m->recall, 2 * sizeof(double));
    fsnsa_model_free(back);
    /* without the 1.4 lines: a 1.3 file, which loads with none */
    tu_drop_recall(m);
    assert_int_equal(fsnsa_model_save(m, path, NULL), FSNSA_OK);
    text = tu_slurp(path, NULL);
    assert_true(strncmp(text, "fsnsa-model 1.3\n", 16) == 0);
    assert_null(strstr(text, "recall"));
    free(text);
    assert_int_equal(fsnsa_model_load(path, &back, NULL), FSNSA_OK);
    assert_null(back->recall);
    assert_true(isnan(back->balanced_accuracy));
    fsnsa_model_free(back);
    /* validation rows claimed without a split: refused on save */
    m->recall = calloc(2, sizeof *m->recall);
    m->recall_on_validation = 1;
    m->options.validation_fraction = 0;
    assert_int_equal(fsnsa_model_save(m, path, NULL), FSNSA_ERR_ARG);
    fsnsa_model_free(m);
    fsnsa_dataset_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_balanced_like_sklearn),
        cmocka_unit_test(test_weighted_gradcheck_binary),
        cmocka_unit_test(test_weighted_gradcheck_softmax),
        cmocka_unit_test(test_balanced_raises_minority_recall),
        cmocka_unit_test(test_keep_best_is_best_epoch),
        cmocka_unit_test(test_early_stopping_stops),
        cmocka_unit_test(test_options_checked),
        cmocka_unit_test(test_model_round_trip),
        cmocka_unit_test(test_recall_round_trip),
    };
    return cmocka_run_group_tests_name("validation", tests, NULL, NULL);
}

/* The variants of Eq. 3 (docs/algorithm.md, "Variants"): the stable
 * variant's rankings are the paper's rankings of the normalized network,
 * bit for bit; where nothing is pruned it is plain Adam training
 * normalized once at the end; the variant is stored in the model file
 * (format 1.3) and the paper's files are unchanged. */
#include "testutil.h"

#include <math.h>

#include "fsnsa_exp.h"
#include "nn/variant.h"

/* A net whose rows have norms far from 1, one row zero, 3 or 1 outputs. */
static fsnsa_net *odd_net(size_t classes)
{
    fsnsa_net *net = NULL;
    fsnsa_error err;
    assert_int_equal(fsnsa_net_create(7, 9, classes, 5, &net, &err), FSNSA_OK);
    for (size_t j = 0; j < net->h; j++)
        for (size_t i = 0; i < net->p; i++)
            net->W[j * net->p + i] *= 0.2f + 0.7f * (float)j;
    memset(net->W + 4 * net->p, 0, net->p * sizeof *net->W);
    return net;
}

static void assert_same_floats(const float *a, const float *b, size_t n)
{
    assert_memory_equal(a, b, n * sizeof *a);
}

static void check_scores_equal_paper(size_t classes)
{
    fsnsa_net *net = odd_net(classes), *norm = NULL;
    fsnsa_error err;
    assert_int_equal(fsnsa_net_copy(net, &norm, &err), FSNSA_OK);
    fsnsa_net_normalize(norm);
    float s[9], inv[9], got[9], want[9];
    fsnsa__row_scales(net, s, inv);
    fsnsa__scaled_node_scores(net, s, got);
    fsnsa_net_node_scores(norm, want);
    assert_same_floats(got, want, net->h);
    fsnsa__scaled_feature_scores(net, inv, got);
    fsnsa_net_feature_scores(norm, want);
    assert_same_floats(got, want, net->p);
    /* the copies' scores left the net as it was; Eq. 3 from the factors
     * is fsnsa_net_normalize */
    fsnsa__apply_scales(net, s, inv);
    assert_same_floats(net->W, norm->W, net->h * net->p);
    assert_same_floats(net->b, norm->b, net->h);
    assert_same_floats(net->beta, norm->beta, net->h * net->n_out);
    fsnsa_net_free(net);
    fsnsa_net_free(norm);
}

static void test_scores_are_the_papers(void **state)
{
    (void)state;
    check_scores_equal_paper(2);
    check_scores_equal_paper(3);
}

/* A row shrunk to denormals (weight decay on a dead node, measured at
 * 4e-43): 1/||w|| overflows a float, so the row adds nothing to the
 * feature scores and is not rescaled; Eq. 3 in place would make it inf. */
static void test_denormal_row(void **state)
{
    (void)state;
    fsnsa_net *net = odd_net(2);
    for (size_t i = 0; i < net->p; i++)
        net->W[2 * net->p + i] = 1e-43f;
    float s[9], inv[9], feat[9], node[9];
    fsnsa__row_scales(net, s, inv);
    assert_true(inv[2] == 0.0f && s[2] > 0.0f && s[2] < 1e-40f);
    fsnsa__scaled_feature_scores(net, inv, feat);
    fsnsa__scaled_node_scores(net, s, node);
    for (size_t i = 0; i < net->p; i++)
        assert_true(isfinite(feat[i]));
    assert_true(node[2] < 1e-30f);
    float b2 = net->b[2], beta2 = net->beta[2];
    fsnsa__apply_scales(net, s, inv);
    assert_true(net->W[2 * net->p] == 1e-43f && net->b[2] == b2 &&
                net->beta[2] == beta2);
    fsnsa_net_free(net);
}

static fsnsa_dataset *xor_data(size_t n, size_t p)
{
    fsnsa_dataset *d = NULL;
    fsnsa_error err;
    assert_int_equal(fsnsa_xor_generate(n, p, 2, 3, 0, &d, &err), FSNSA_OK);
    return d;
}

static fsnsa_net *train(const fsnsa_dataset *d, fsnsa_method m,
                        fsnsa_variant v, size_t hidden, size_t features)
{
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = m;
    o.variant = v;
    o.hidden = o.start_hidden = hidden;
    o.features = features;
    o.epochs = 15;
    o.keep_going = 1; /* so short a run may not beat the constant */
    fsnsa_net *net = NULL;
    fsnsa_error err;
    fsnsa_status st = fsnsa_train(d, &o, NULL, &net, &err);
    assert_true(st == FSNSA_OK || st == FSNSA_ERR_NUMERIC);
    assert_non_null(net);
    return net;
}

static int same_net(const fsnsa_net *a, const fsnsa_net *b)
{
    return a->h == b->h && a->p == b->p &&
           memcmp(a->W, b->W, a->h * a->p * sizeof *a->W) == 0 &&
           memcmp(a->b, b->b, a->h * sizeof *a->b) == 0 &&
           memcmp(a->beta, b->beta, a->h * a->n_out * sizeof *a->beta) == 0 &&
           memcmp(a->c, b->c, a->n_out * sizeof *a->c) == 0;
}

/* Nothing to prune (H = h, k = p): the stable variant is the dense
 * training of the same initial net, normalized once after the last
 * epoch, bit for bit; the paper's, rescaling every epoch, is not. */
static void test_no_pruning_is_plain_adam(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor_data(200, 5);
    fsnsa_net *stable = train(d, FSNSA_METHOD_FSA_NSA, FSNSA_VARIANT_STABLE, 8, 5);
    fsnsa_net *dense = train(d, FSNSA_METHOD_DENSE, FSNSA_VARIANT_STABLE, 8, 0);
    fsnsa_net *paper = train(d, FSNSA_METHOD_FSA_NSA, FSNSA_VARIANT_PAPER, 8, 5);
    fsnsa_net_normalize(dense);
    assert_true(same_net(stable, dense));
    assert_false(same_net(stable, paper));
    /* the variant is about Eq. 3: dense nets do not depend on it */
    fsnsa_net *dense_paper = train(d, FSNSA_METHOD_DENSE, FSNSA_VARIANT_PAPER, 8, 0);
    fsnsa_net_normalize(dense_paper);
    assert_true(same_net(dense, dense_paper));
    fsnsa_net_free(stable);
    fsnsa_net_free(dense);
    fsnsa_net_free(paper);
    fsnsa_net_free(dense_paper);
    fsnsa_dataset_free(d);
}

static char *fit_and_save(const fsnsa_dataset *d, fsnsa_variant v,
                          fsnsa_model **loaded)
{
    fsnsa_fit_options fo;
    fsnsa_fit_options_default(&fo);
    fo.train.variant = v;
    fo.train.epochs = 3;
    fo.train.start_hidden = 16;
    fo.train.hidden = 4;
    fo.train.features = 2;
    fo.train.keep_going = 1;
    fsnsa_model *m = NULL;
    fsnsa_error err;
    fsnsa_status st = fsnsa_model_fit(d, &fo, NULL, &m, NULL, &err);
    assert_true(st == FSNSA_OK || st == FSNSA_ERR_NUMERIC);
    assert_non_null(m);
    tu_drop_recall(m);
    char path[128];
    snprintf(path, sizeof path, "%s/variant-%d.model", tu_scratch_dir(), (int)v);
    assert_int_equal(fsnsa_model_save(m, path, &err), FSNSA_OK);
    fsnsa_model_free(m);
    assert_int_equal(fsnsa_model_load(path, loaded, &err), FSNSA_OK);
    char *text = tu_slurp(path, NULL);
    assert_non_null(text);
    return text;
}

/* The model file records a variant other than the paper's as format 1.3
 * "train.variant"; a file without the line (every older one) is the
 * paper's. */
static void test_model_file(void **state)
{
    (void)state;
    fsnsa_dataset *d = xor_data(100, 4);
    fsnsa_model *m = NULL;
    char *text = fit_and_save(d, FSNSA_VARIANT_STABLE, &m);
    assert_non_null(strstr(text, "fsnsa-model 1.3\n"));
    assert_non_null(strstr(text, "\ntrain.shuffle 1\ntrain.variant stable\n"));
    assert_int_equal(m->options.variant, FSNSA_VARIANT_STABLE);
    free(text);
    fsnsa_model_free(m);
    text = fit_and_save(d, FSNSA_VARIANT_PAPER, &m);
    assert_null(strstr(text, "train.variant"));
    assert_null(strstr(text, "fsnsa-model 1.3"));
    assert_int_equal(m->options.variant, FSNSA_VARIANT_PAPER);
    free(text);
    fsnsa_model_free(m);
    fsnsa_dataset_free(d);
}

static void test_names_and_default(void **state)
{
    (void)state;
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    assert_int_equal(o.variant, FSNSA_VARIANT_STABLE);
    assert_int_equal(fsnsa_variant_parse("paper"), FSNSA_VARIANT_PAPER);
    assert_int_equal(fsnsa_variant_parse("stable"), FSNSA_VARIANT_STABLE);
    assert_int_equal(fsnsa_variant_parse("Paper"), -1);
    assert_string_equal(fsnsa_variant_name(FSNSA_VARIANT_STABLE), "stable");
    fsnsa_error err;
    o.variant = (fsnsa_variant)7;
    assert_int_equal(fsnsa_train_options_check(&o, 3, &err), FSNSA_ERR_ARG);
    /* the paper's experiments run the paper's algorithm */
    fsnsa_restarts_options ro;
    fsnsa_restarts_options_default(&ro);
    fsnsa_hittime_options ho;
    fsnsa_hittime_options_default(&ho);
    fsnsa_grid_options go;
    fsnsa_grid_options_default(&go);
    assert_int_equal(ro.train.variant, FSNSA_VARIANT_PAPER);
    assert_int_equal(ho.train.variant, FSNSA_VARIANT_PAPER);
    assert_int_equal(go.train.variant, FSNSA_VARIANT_PAPER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scores_are_the_papers),
        cmocka_unit_test(test_denormal_row),
        cmocka_unit_test(test_no_pruning_is_plain_adam),
        cmocka_unit_test(test_model_file),
        cmocka_unit_test(test_names_and_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The network of Eq. (2): initialization, gradients (finite differences,
 * both losses), Eq. (3) leaves the function unchanged, inference. */
#include "testutil.h"

#include <math.h>

#include "core/core.h"
#include "nn/kernels.h"
#include "nn/network.h"

/* Reference forward in double: mean cross-entropy of net on (x, y). */
static double ref_loss(const fsnsa_net *net, const float *x, const int32_t *y,
                       size_t B)
{
    size_t h = net->h, p = net->p, C = net->n_out;
    double total = 0;
    for (size_t r = 0; r < B; r++) {
        double logit[8] = {0};
        for (size_t k = 0; k < C; k++)
            logit[k] = net->c[k];
        for (size_t j = 0; j < h; j++) {
            double z = net->b[j];
            for (size_t i = 0; i < p; i++)
                z += (double)net->W[j * p + i] * x[r * p + i];
            double a = z > 0 ? z : 0;
            for (size_t k = 0; k < C; k++)
                logit[k] += a * net->beta[j * C + k];
        }
        if (C == 1) {
            double s = logit[0];
            total += (s > 0 ? s + log1p(exp(-s)) : log1p(exp(s))) - (y[r] == 1 ? s : 0);
        } else {
            double m = logit[0], sum = 0;
            for (size_t k = 1; k < C; k++)
                m = logit[k] > m ? logit[k] : m;
            for (size_t k = 0; k < C; k++)
                sum += exp(logit[k] - m);
            total += m + log(sum) - logit[y[r]];
        }
    }
    return total / (double)B;
}

/* The gradients of the mean loss over B rows of x (B x net->p), from the
 * training step without Adam: in w->gWc, gbv, gbc, gc (kernels.h). Returns
 * the summed loss. */
static double step_grads(fsnsa_net *net, const float *x, const int32_t *y,
                         size_t B, fsnsa__work *w)
{
    assert_int_equal(fsnsa__work_init(w, net->h, net->p, net->n_out, B), 0);
    return fsnsa__grad_step(net, x, net->p, NULL, y, B, w, NULL, NULL);
}

/* Central differences on every parameter against the training step. */
static void gradcheck(size_t classes)
{
    const size_t p = 5, h = 7, B = 11;
    fsnsa_net *net;
    assert_int_equal(fsnsa_net_create(p, h, classes, 42, &net, NULL), FSNSA_OK);
    size_t C = net->n_out;
    float x[11 * 5];
    int32_t y[11];
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, 9);
    for (size_t i = 0; i < B * p; i++)
        x[i] = 4.0f * fsnsa_rng_uniform(&rng) - 2.0f;
    for (size_t r = 0; r < B; r++)
        y[r] = (int32_t)fsnsa_rng_below(&rng, classes);
    fsnsa__work w;
    double sum = step_grads(net, x, y, B, &w);
    assert_float_equal(sum / (double)B, ref_loss(net, x, y, B), 1e-5);

    struct { float *param, *grad; size_t n; } blocks[4] = {
        {net->W, w.gWc, h * p}, {net->b, w.gbv, h}, {net->beta, w.gbc, h * C},
        {net->c, w.gc, C}};
    const float eps = 1e-3f;
    size_t checked = 0;
    for (int b = 0; b < 4; b++) {
        for (size_t i = 0; i < blocks[b].n; i++) {
            float keep = blocks[b].param[i];
            blocks[b].param[i] = keep + eps;
            double up = ref_loss(net, x, y, B);
            blocks[b].param[i] = keep - eps;
            double down = ref_loss(net, x, y, B);
            blocks[b].param[i] = keep;
            double num = (up - down) / (2.0 * (double)eps);
            double ana = blocks[b].grad[i];
            /* ReLU kinks make a few differences unreliable; the margin
             * covers float rounding of the analytic side. */
            if (!(fabs(num - ana) <= 2e-3 * (1.0 + fabs(num))))
                print_error("block %d entry %zu: numeric %g analytic %g\n", b, i, num, ana);
            assert_true(fabs(num - ana) <= 2e-3 * (1.0 + fabs(num)));
            checked++;
        }
    }
    assert_int_equal(checked, h * p + h + h * C + C);
    fsnsa__work_free(&w);
    fsnsa_net_free(net);
}

static void test_gradcheck_binary(void **state)
{
    (void)state;
    gradcheck(2);
}

static void test_gradcheck_softmax(void **state)
{
    (void)state;
    gradcheck(4);
}

/* A wrong gradient must fail the check: perturb one entry on purpose. */
static void test_gradcheck_detects_error(void **state)
{
    (void)state;
    fsnsa_net *net;
    assert_int_equal(fsnsa_net_create(3, 4, 2, 1, &net, NULL), FSNSA_OK);
    float x[6] = {0.3f, -0.2f, 0.9f, -1.0f, 0.5f, 0.1f};
    int32_t y[2] = {1, 0};
    fsnsa__work w;
    step_grads(net, x, y, 2, &w);
    const float gc = w.gc[0];
    fsnsa__work_free(&w);
    float keep = net->c[0];
    net->c[0] = keep + 1e-2f;
    double up = ref_loss(net, x, y, 2);
    net->c[0] = keep - 1e-2f;
    double down = ref_loss(net, x, y, 2);
    net->c[0] = keep;
    double num = (up - down) / 2e-2;
    assert_true(fabs(num - gc) < 1e-3);
    assert_false(fabs(num - (gc * 1.1 + 0.01)) < 1e-3);
    fsnsa_net_free(net);
}

static void test_init_like_pytorch(void **state)
{
    (void)state;
    fsnsa_net *net;
    assert_int_equal(fsnsa_net_create(16, 64, 3, 5, &net, NULL), FSNSA_OK);
    assert_int_equal(net->n_out, 3);
    float b1 = 1.0f / 4.0f, b2 = 1.0f / 8.0f, mx = 0;
    for (size_t i = 0; i < 64 * 16; i++) {
        assert_true(fabsf(net->W[i]) <= b1);
        mx = fabsf(net->W[i]) > mx ? fabsf(net->W[i]) : mx;
    }
    assert_true(mx > 0.9f * b1); /* uses the whole range */
    for (size_t j = 0; j < 64; j++)
        assert_true(fabsf(net->b[j]) <= b1);
    for (size_t i = 0; i < 64 * 3; i++)
        assert_true(fabsf(net->beta[i]) <= b2);
    for (size_t k = 0; k < 3; k++)
        assert_true(fabsf(net->c[k]) <= b2);
    /* seeded: same seed, same net; another seed, another */
    fsnsa_net *same, *other;
    assert_int_equal(fsnsa_net_create(16, 64, 3, 5, &same, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_net_create(16, 64, 3, 6, &other, NULL), FSNSA_OK);
    assert_memory_equal(net->W, same->W, 64 * 16 * sizeof(float));
    assert_memory_not_equal(net->W, other->W, 64 * 16 * sizeof(float));
    assert_int_equal(fsnsa_net_weight_count(net), 64 * 16 + 64 * 3);
    fsnsa_net_free(net);
    fsnsa_net_free(same);
    fsnsa_net_free(other);
}

/* Eq. (3) must not change what the network computes, and makes ||w_j|| = 1. */
static void check_normalize(size_t classes)
{
    const size_t p = 6, h = 20, n = 50;
    fsnsa_net *net;
    assert_int_equal(fsnsa_net_create(p, h, classes, 11, &net, NULL), FSNSA_OK);
    /* spread the node scales so that normalization really rescales */
    for (size_t j = 0; j < h; j++)
        for (size_t i = 0; i < p; i++)
            net->W[j * p + i] *= (float)(j + 1) * 0.7f;
    for (size_t i = 0; i < p; i++)
        net->W[3 * p + i] = 0.0f; /* a dead node stays as it is */
    float x[50 * 6];
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, 2);
    for (size_t i = 0; i < n * p; i++)
        x[i] = 2.0f * fsnsa_rng_uniform(&rng) - 1.0f;
    float before[50 * 5], after[50 * 5];
    assert_int_equal(fsnsa_net_predict(net, x, n, p, before, NULL), FSNSA_OK);
    float b3 = net->b[3];
    fsnsa_net_normalize(net);
    assert_int_equal(fsnsa_net_predict(net, x, n, p, after, NULL), FSNSA_OK);
    for (size_t i = 0; i < n * classes; i++)
        assert_float_equal(before[i], after[i], 2e-6);
    for (size_t j = 0; j < h; j++) {
        double ss = 0;
        for (size_t i = 0; i < p; i++)
            ss += (double)net->W[j * p + i] * net->W[j * p + i];
        if (j == 3)
            assert_true(ss == 0.0 && net->b[3] == b3);
        else
            assert_float_equal(sqrt(ss), 1.0, 1e-6);
    }
    fsnsa_net_free(net);
}

static void test_normalize_keeps_outputs_binary(void **state)
{
    (void)state;
    check_normalize(2);
}

static void test_normalize_keeps_outputs_softmax(void **state)
{
    (void)state;
    check_normalize(5);
}

/* predict reads the selected columns out of a wider matrix; probabilities
 * sum to 1; net_loss agrees with the reference. */
static void test_predict_and_loss(void **state)
{
    (void)state;
    fsnsa_net *net;
    assert_int_equal(fsnsa_net_create(4, 6, 3, 8, &net, NULL), FSNSA_OK);
    /* pretend features 1 and 3 were kept out of 4 */
    fsnsa_net *sel;
    assert_int_equal(fsnsa__net_alloc(4, 2, 6, 3, &sel, NULL), FSNSA_OK);
    sel->features[0] = 1;
    sel->features[1] = 3;
    for (size_t j = 0; j < 6; j++) {
        sel->W[j * 2] = net->W[j * 4 + 1];
        sel->W[j * 2 + 1] = net->W[j * 4 + 3];
        sel->b[j] = net->b[j];
        for (size_t k = 0; k < 3; k++)
            sel->beta[j * 3 + k] = net->beta[j * 3 + k];
    }
    memcpy(sel->c, net->c, 3 * sizeof(float));
    float x[3 * 4] = {1, 0.5f, 9, -0.25f, -1, 2, 9, 0.75f, 0, -1, 9, 1};
    float packed[3 * 2] = {0.5f, -0.25f, 2, 0.75f, -1, 1};
    int32_t y[3] = {0, 2, 1};
    float prob[9];
    assert_int_equal(fsnsa_net_predict(sel, x, 3, 4, prob, NULL), FSNSA_OK);
    for (size_t r = 0; r < 3; r++)
        assert_float_equal(prob[r * 3] + prob[r * 3 + 1] + prob[r * 3 + 2], 1.0, 1e-6);
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_dataset_from_arrays(3, 4, x, y, 3, &d, NULL), FSNSA_OK);
    double loss;
    assert_int_equal(fsnsa_net_loss(sel, d, &loss, NULL), FSNSA_OK);
    assert_float_equal(loss, ref_loss(sel, packed, y, 3), 1e-6);
    double ce = fsnsa_cross_entropy(prob, 3, y, 3);
    assert_float_equal(ce, loss, 1e-5);
    /* too narrow a matrix is refused, not read out of bounds */
    fsnsa_error err;
    assert_int_equal(fsnsa_net_predict(sel, x, 3, 3, prob, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "columns"));
    fsnsa_dataset_free(d);
    fsnsa_net_free(net);
    fsnsa_net_free(sel);
}

static void test_create_rejects_bad_sizes(void **state)
{
    (void)state;
    fsnsa_net *net = (fsnsa_net *)1;
    fsnsa_error err;
    assert_int_equal(fsnsa_net_create(0, 4, 2, 1, &net, &err), FSNSA_ERR_ARG);
    assert_null(net);
    assert_int_equal(fsnsa_net_create(4, 4, 0, 1, &net, &err), FSNSA_ERR_ARG);
    /* one "class" is a regression net: one linear output */
    assert_int_equal(fsnsa_net_create(4, 4, 1, 1, &net, &err), FSNSA_OK);
    assert_int_equal(net->n_out, 1);
    fsnsa_net_free(net);
    assert_int_equal(fsnsa_net_create((size_t)1 << 40, (size_t)1 << 40, 2, 1, &net, &err),
                     FSNSA_ERR_LIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gradcheck_binary),
        cmocka_unit_test(test_gradcheck_softmax),
        cmocka_unit_test(test_gradcheck_detects_error),
        cmocka_unit_test(test_init_like_pytorch),
        cmocka_unit_test(test_normalize_keeps_outputs_binary),
        cmocka_unit_test(test_normalize_keeps_outputs_softmax),
        cmocka_unit_test(test_predict_and_loss),
        cmocka_unit_test(test_create_rejects_bad_sizes),
    };
    return cmocka_run_group_tests_name("network", tests, NULL, NULL);
}

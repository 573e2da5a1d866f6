/* Adam against hand-computed steps; the annealing schedules at the epochs
 * the paper and the issue name; the pruning steps keep exactly the best. */
#include "testutil.h"

#include <math.h>

#include "nn/adam.h"
#include "nn/anneal.h"
#include "core/core.h"
#include "nn/kernels.h"
#include "nn/network.h"

/* Three steps of torch.optim.Adam(lr=1e-3, weight_decay=0.01) on one
 * parameter starting at 1.0 with gradients 0.5, -0.2, 0.3, worked out by
 * hand from the update rule in double precision. */
static void test_adam_steps(void **state)
{
    (void)state;
    fsnsa__adam a;
    fsnsa__adam_init(&a, 1e-3, 0.9, 0.999, 1e-8, 0.01);
    float theta = 1.0f, m = 0.0f, v = 0.0f;
    const float grads[3] = {0.5f, -0.2f, 0.3f};
    const double want_theta[3] = {0.9990000000196079, 0.9986320537789443,
                                  0.9980685776921912};
    const double want_m[3] = {0.051, 0.026899000000019598, 0.055207732053796574};
    const double want_v[3] = {0.00026010000000000025, 0.00029594370009992574,
                              0.000391739275320383};
    for (int t = 0; t < 3; t++) {
        fsnsa__adam_begin_step(&a);
        fsnsa__adam_update(&a, 1, &theta, &grads[t], &m, &v);
        assert_float_equal(theta, want_theta[t], 2e-7);
        assert_float_equal(m, want_m[t], 1e-7);
        assert_float_equal(v, want_v[t], 1e-9);
    }
    assert_int_equal(a.step, 3);
}

/* Without weight decay a parameter with zero gradient does not move. */
static void test_adam_zero_grad(void **state)
{
    (void)state;
    fsnsa__adam a;
    fsnsa__adam_init(&a, 1e-3, 0.9, 0.999, 1e-8, 0.0);
    float theta[2] = {0.25f, -3.0f}, g[2] = {0, 0}, m[2] = {0}, v[2] = {0};
    fsnsa__adam_begin_step(&a);
    fsnsa__adam_update(&a, 2, theta, g, m, v);
    assert_true(theta[0] == 0.25f && theta[1] == -3.0f);
}

static void test_schedule_paper(void **state)
{
    (void)state;
    /* N=300, H=1024, h=128, mu=30 (Sections 3.1, 4.1) */
    for (int e = 1; e <= 75; e++)
        assert_int_equal(fsnsa_schedule_nodes(e, 300, 1024, 128, 30), 1024);
    assert_int_equal(fsnsa_schedule_nodes(76, 300, 1024, 128, 30), 829);
    assert_int_equal(fsnsa_schedule_nodes(100, 300, 1024, 128, 30), 218);
    size_t prev = 1024;
    int done = 0;
    for (int e = 1; e <= 300; e++) {
        size_t h = fsnsa_schedule_nodes(e, 300, 1024, 128, 30);
        assert_true(h <= prev); /* never grows */
        prev = h;
        if (h == 128 && done == 0)
            done = e;
    }
    assert_int_equal(done, 184); /* pruning finished by epoch 188 */
    /* features: p=15 -> k=3 */
    for (int e = 1; e <= 180; e++)
        assert_int_equal(fsnsa_schedule_features(e, 300, 15, 3, 30), 15);
    assert_int_equal(fsnsa_schedule_features(181, 300, 15, 3, 30), 10);
    assert_int_equal(fsnsa_schedule_features(196, 300, 15, 3, 30), 3);
    assert_int_equal(fsnsa_schedule_features(195, 300, 15, 3, 30), 4);
    assert_int_equal(fsnsa_schedule_features(240, 300, 15, 3, 30), 3);
    assert_int_equal(fsnsa_schedule_features(300, 300, 15, 3, 30), 3);
}

/* The formula itself at a point worked out by hand: N=100, H=50, h=10,
 * e=30: N1=75, e1=5, ratio (75-10)/(2*5*30+75) = 65/375, 40*65/375 = 6.93 */
static void test_schedule_formula(void **state)
{
    (void)state;
    assert_int_equal(fsnsa_schedule_nodes(30, 100, 50, 10, 30), 16);
    /* p: N=100, p=20, k=2, e=62: N2=40, e2=2, (40-4)/(120+40)=0.225,
     * 18*0.225 = 4.05 -> 2 + 4 = 6 */
    assert_int_equal(fsnsa_schedule_features(62, 100, 20, 2, 30), 6);
    /* mu = 0: linear decay to the target at e1 = N1/2 */
    assert_int_equal(fsnsa_schedule_nodes(25 + 37, 100, 50, 10, 0), 10 + 40 * 1 / 75);
    /* non-integral mu goes through long double and still agrees */
    assert_int_equal(fsnsa_schedule_nodes(30, 100, 50, 10, 30.0),
                     fsnsa_schedule_nodes(30, 100, 50, 10, 30.0 + 1e-13));
    /* final >= full: nothing to prune */
    assert_int_equal(fsnsa_schedule_nodes(200, 300, 64, 64, 30), 64);
}

static void test_top_indices(void **state)
{
    (void)state;
    const float s[8] = {0.5f, 2.0f, -1.0f, 2.0f, NAN, 0.7f, 3.0f, 0.5f};
    size_t keep[8], work[8];
    fsnsa__top_indices(s, 8, 3, keep, work);
    /* 3.0 (6), 2.0 (1), 2.0 (3) -- in index order */
    assert_int_equal(keep[0], 1);
    assert_int_equal(keep[1], 3);
    assert_int_equal(keep[2], 6);
    /* ties broken toward the lower index; NaN ranks last */
    fsnsa__top_indices(s, 8, 5, keep, work);
    assert_int_equal(keep[0], 0);
    assert_int_equal(keep[1], 1);
    assert_int_equal(keep[2], 3);
    assert_int_equal(keep[3], 5);
    assert_int_equal(keep[4], 6);
    fsnsa__top_indices(s, 8, 7, keep, work);
    for (size_t i = 0; i < 7; i++)
        assert_true(keep[i] != 4);
}

static fsnsa_net *make_net(size_t p, size_t h, size_t classes, uint64_t seed)
{
    fsnsa_net *net;
    fsnsa_error err;
    assert_int_equal(fsnsa_net_create(p, h, classes, seed, &net, &err), FSNSA_OK);
    return net;
}

/* A block of the net's layout whose every entry is its own offset, as a
 * stand-in for Adam's moments: where an entry lands after a compaction
 * says where it came from. */
static float *offset_block(const fsnsa_net *net, fsnsa__layout *L)
{
    assert_true(fsnsa__layout_of(net->h, net->p, net->n_out, L));
    float *m = fsnsa__alloc_floats(L->size);
    assert_non_null(m);
    for (size_t i = 0; i < L->size; i++)
        m[i] = (float)i;
    return m;
}

/* Node pruning keeps the nodes with the largest |beta_j| (row norm for
 * several classes): one index map, and the same compaction of the net's
 * parameter block and of a moment block moves W, b, beta rows alike. */
static void test_prune_nodes(void **state)
{
    (void)state;
    for (size_t classes = 2; classes <= 4; classes += 2) {
        const size_t p = 4, h = 9, keep_n = 4;
        fsnsa_net *net = make_net(p, h, classes, 7);
        fsnsa_net *orig;
        assert_int_equal(fsnsa_net_copy(net, &orig, NULL), FSNSA_OK);
        size_t C = net->n_out;
        fsnsa__layout L;
        float *m = offset_block(net, &L);
        float score[9];
        fsnsa_net_node_scores(orig, score);
        /* brute force: rank of each node */
        int want[9] = {0};
        for (size_t j = 0; j < h; j++) {
            size_t better = 0;
            for (size_t i = 0; i < h; i++)
                better += score[i] > score[j] || (score[i] == score[j] && i < j);
            want[j] = better < keep_n;
        }
        size_t keep[9], work[9];
        fsnsa__rank_nodes(net, keep_n, score, keep, work);
        fsnsa__keep_nodes(net->W, &L, p, keep, keep_n);
        fsnsa__keep_nodes(m, &L, p, keep, keep_n);
        net->h = keep_n;
        size_t r = 0;
        for (size_t j = 0; j < h; j++) {
            if (!want[j])
                continue;
            assert_int_equal(keep[r], j);
            assert_memory_equal(net->W + r * p, orig->W + j * p, p * sizeof(float));
            assert_true(net->b[r] == orig->b[j]);
            assert_memory_equal(net->beta + r * C, orig->beta + j * C, C * sizeof(float));
            for (size_t i = 0; i < p; i++)
                assert_true(m[L.W + r * p + i] == (float)(L.W + j * p + i));
            assert_true(m[L.b + r] == (float)(L.b + j));
            for (size_t k = 0; k < C; k++)
                assert_true(m[L.beta + r * C + k] == (float)(L.beta + j * C + k));
            r++;
        }
        assert_int_equal(r, keep_n);
        for (size_t k = 0; k < C; k++) /* c belongs to the outputs */
            assert_true(m[L.c + k] == (float)(L.c + k) && net->c[k] == orig->c[k]);
        free(m);
        fsnsa_net_free(net);
        fsnsa_net_free(orig);
    }
}

/* Feature pruning keeps the columns with the largest group norm r_i. */
static void test_prune_features(void **state)
{
    (void)state;
    const size_t p = 6, h = 5;
    fsnsa_net *net = make_net(p, h, 2, 3);
    /* make column 4 and column 1 dominant, column 2 third */
    for (size_t j = 0; j < h; j++) {
        net->W[j * p + 4] = 20.0f + (float)j;
        net->W[j * p + 1] = 5.0f;
        net->W[j * p + 2] = 2.0f;
        for (size_t i = 0; i < p; i++)
            if (i != 4 && i != 1 && i != 2)
                net->W[j * p + i] = 0.01f * (float)(i + 1);
    }
    fsnsa_net *orig;
    assert_int_equal(fsnsa_net_copy(net, &orig, NULL), FSNSA_OK);
    float r[6];
    fsnsa_net_feature_scores(net, r);
    for (size_t i = 0; i < p; i++) {
        double ss = 0;
        for (size_t j = 0; j < h; j++)
            ss += (double)net->W[j * p + i] * net->W[j * p + i];
        assert_float_equal(r[i], sqrt(ss), 1e-6);
    }
    fsnsa__layout L;
    float *m = offset_block(net, &L);
    size_t keep[6], work[6];
    fsnsa__rank_features(net, 3, r, keep, work);
    fsnsa__keep_features(net->W, &L, h, p, keep, 3);
    fsnsa__keep_features(m, &L, h, p, keep, 3);
    const size_t want[3] = {1, 2, 4};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(keep[i], want[i]);
        for (size_t j = 0; j < h; j++) {
            assert_true(net->W[j * 3 + i] == orig->W[j * p + want[i]]);
            assert_true(m[L.W + j * 3 + i] == (float)(L.W + j * p + want[i]));
        }
    }
    /* b, beta and c do not depend on the features */
    for (size_t i = L.b; i < L.size; i++)
        assert_true(m[i] == (float)i);
    free(m);
    fsnsa_net_free(net);
    fsnsa_net_free(orig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adam_steps),
        cmocka_unit_test(test_adam_zero_grad),
        cmocka_unit_test(test_schedule_paper),
        cmocka_unit_test(test_schedule_formula),
        cmocka_unit_test(test_top_indices),
        cmocka_unit_test(test_prune_nodes),
        cmocka_unit_test(test_prune_features),
    };
    return cmocka_run_group_tests_name("adam, schedules, pruning", tests, NULL, NULL);
}

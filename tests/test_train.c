/* Training: XOR data, determinism, step-by-step equivalence, the annealing
 * path, warm starts, guards, and the end-to-end FSA+NSA result. */
#include "testutil.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "nn/adam.h"
#include "core/core.h"
#include "nn/kernels.h"
#include "nn/network.h"

static void test_xor_labels_and_nesting(void **state)
{
    (void)state;
    fsnsa_dataset *a, *b, *t;
    assert_int_equal(fsnsa_xor_generate(100, 5, 3, 7, 0, &a, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_xor_generate(200, 8, 3, 7, 0, &b, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_xor_generate(100, 5, 3, 7, 1, &t, NULL), FSNSA_OK);
    size_t ones = 0;
    for (size_t i = 0; i < 100; i++) {
        /* nested: the first n rows and p columns of the bigger pool */
        assert_memory_equal(a->x + i * 5, b->x + i * 8, 5 * sizeof(float));
        const float *x = a->x + i * 5;
        for (size_t j = 0; j < 5; j++)
            assert_true(x[j] >= -1.0f && x[j] < 1.0f);
        int want = (double)x[0] * x[1] * x[2] > 0;
        assert_int_equal(a->y[i], want);
        ones += (size_t)a->y[i];
    }
    assert_true(ones > 30 && ones < 70);
    /* the test pool is a different stream */
    assert_memory_not_equal(a->x, t->x, 100 * 5 * sizeof(float));
    assert_int_equal(a->schema.n_classes, 2);
    assert_true(a->has_labels);
    fsnsa_error err;
    fsnsa_dataset *bad;
    assert_int_equal(fsnsa_xor_generate(10, 2, 3, 1, 0, &bad, &err), FSNSA_ERR_ARG);
    fsnsa_dataset_free(a);
    fsnsa_dataset_free(b);
    fsnsa_dataset_free(t);
}

static void xor_pair(size_t n, size_t p, size_t k, fsnsa_dataset **tr,
                     fsnsa_dataset **te)
{
    assert_int_equal(fsnsa_xor_generate(n, p, k, 0, 0, tr, NULL), FSNSA_OK);
    if (te != NULL)
        assert_int_equal(fsnsa_xor_generate(3000, p, k, 0, 1, te, NULL), FSNSA_OK);
}

static double test_auc(const fsnsa_net *net, const fsnsa_dataset *te)
{
    float *prob = malloc(te->n * 2 * sizeof(float));
    assert_int_equal(fsnsa_net_predict(net, te->x, te->n, te->p, prob, NULL), FSNSA_OK);
    double auc;
    assert_int_equal(fsnsa_roc_auc(prob, 2, te->y, te->n, &auc, NULL), FSNSA_OK);
    free(prob);
    return auc;
}

/* The end-to-end case: 3-D XOR with 12 irrelevant features. */
static void test_fsa_nsa_recovers_xor_features(void **state)
{
    (void)state;
    fsnsa_dataset *tr, *te;
    xor_pair(3000, 15, 3, &tr, &te);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_FSA_NSA;
    o.features = 3;
    o.hidden = 128;
    o.start_hidden = 1024;
    fsnsa_net *net;
    fsnsa_error err;
    assert_int_equal(fsnsa_train(tr, &o, NULL, &net, &err), FSNSA_OK);
    assert_int_equal(net->p, 3);
    assert_int_equal(net->h, 128);
    assert_int_equal(net->features[0], 0);
    assert_int_equal(net->features[1], 1);
    assert_int_equal(net->features[2], 2);
    double auc = test_auc(net, te);
    print_message("FSA+NSA test AUC %.4f\n", auc);
    assert_true(auc >= 0.95);
    fsnsa_net_free(net);
    fsnsa_dataset_free(tr);
    fsnsa_dataset_free(te);
}

typedef struct {
    size_t h[64], p[64];
    int epochs;
    int stop_after;
} path_log;

static int record(const fsnsa_epoch_info *info, void *ctx)
{
    path_log *log = ctx;
    log->h[info->epoch] = info->hidden;
    log->p[info->epoch] = info->features;
    log->epochs = info->epoch;
    assert_true(isfinite(info->loss) && info->loss > 0);
    return log->stop_after != 0 && info->epoch >= log->stop_after;
}

/* The sizes after every epoch follow the schedules exactly, and the net
 * really shrinks (the returned arrays have the final size). */
static void test_pruning_follows_schedule(void **state)
{
    (void)state;
    fsnsa_dataset *tr;
    xor_pair(300, 10, 2, &tr, NULL);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_FSA_NSA;
    o.features = 2;
    o.hidden = 8;
    o.start_hidden = 64;
    o.epochs = 40;
    path_log log = {0};
    o.on_epoch = record;
    o.on_epoch_ctx = &log;
    fsnsa_net *net;
    assert_int_equal(fsnsa_train(tr, &o, NULL, &net, NULL), FSNSA_OK);
    assert_int_equal(log.epochs, 40);
    for (int e = 1; e <= 40; e++) {
        assert_int_equal(log.h[e], fsnsa_schedule_nodes(e, 40, 64, 8, 30));
        assert_int_equal(log.p[e], fsnsa_schedule_features(e, 40, 10, 2, 30));
    }
    assert_int_equal(net->h, 8);
    assert_int_equal(net->p, 2);
    assert_int_equal(fsnsa_net_weight_count(net), 8 * 2 + 8);
    fsnsa_net_free(net);

    /* nsa keeps every feature, fsa every node */
    o.method = FSNSA_METHOD_NSA;
    assert_int_equal(fsnsa_train(tr, &o, NULL, &net, NULL), FSNSA_OK);
    assert_true(net->h == 8 && net->p == 10);
    fsnsa_net_free(net);
    o.method = FSNSA_METHOD_FSA;
    assert_int_equal(fsnsa_train(tr, &o, NULL, &net, NULL), FSNSA_OK);
    assert_true(net->h == 8 && net->p == 2);
    fsnsa_net_free(net);
    o.method = FSNSA_METHOD_DENSE;
    assert_int_equal(fsnsa_train(tr, &o, NULL, &net, NULL), FSNSA_OK);
    assert_true(net->h == 8 && net->p == 10);
    fsnsa_net_free(net);
    fsnsa_dataset_free(tr);
}

/* Same seed: bit-identical; another seed: another net; BLAS threads do not
 * change the result. */
static void test_reproducible(void **state)
{
    (void)state;
    fsnsa_dataset *tr;
    xor_pair(500, 6, 2, &tr, NULL);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.features = 2;
    o.hidden = 16;
    o.start_hidden = 128;
    o.epochs = 20;
    o.batch = 64;
    fsnsa_net *a, *b, *d;
    assert_int_equal(fsnsa_train(tr, &o, NULL, &a, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_train(tr, &o, NULL, &b, NULL), FSNSA_OK);
    o.seed = 2;
    assert_int_equal(fsnsa_train(tr, &o, NULL, &d, NULL), FSNSA_OK);
    assert_true(tu_same_net(a, b));
    assert_false(tu_same_net(a, d));
    fsnsa_net_free(a);
    fsnsa_net_free(b);
    fsnsa_net_free(d);
    fsnsa_dataset_free(tr);
}

/* One case of test_same_bits_everywhere: n rows of p uniform features,
 * C classes (C = 2: 3-D XOR; else the sign pattern of the first columns) */
typedef struct {
    size_t n, p, classes, hidden, start_hidden, features, batch, epochs;
    fsnsa_method method;
} bits_case;

static fsnsa_dataset *bits_data(const bits_case *k)
{
    fsnsa_dataset *d;
    if (k->classes == 2) {
        xor_pair(k->n, k->p, 3, &d, NULL);
        return d;
    }
    float *x = malloc(k->n * k->p * sizeof(float));
    int32_t *y = malloc(k->n * sizeof(int32_t));
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, 9);
    for (size_t i = 0; i < k->n; i++) {
        for (size_t j = 0; j < k->p; j++)
            x[i * k->p + j] = 2.0f * fsnsa_rng_uniform(&rng) - 1.0f;
        y[i] = (int32_t)(((x[i * k->p] > 0) + 2 * (x[i * k->p + 1] > 0) +
                          4 * (x[i * k->p + 2] > 0)) % k->classes);
    }
    assert_int_equal(fsnsa_dataset_from_arrays(k->n, k->p, x, y, k->classes, &d, NULL),
                     FSNSA_OK);
    free(x);
    free(y);
    return d;
}

/* The documented promise (src/kernels.h): every instruction-set path
 * (AVX-512, AVX2 + FMA, baseline fmaf; FSNSA_KERNEL caps the choice) and
 * every thread count give the same trained bits, the same predictions and
 * the same loss. The cases cover binary and multiclass outputs, rows of
 * gW of 1, 2, 5 and 9 vectors of 16 (p = 15, 21, 70, 130), row blocks of
 * 16..64 rows with partial ones, node counts that are no multiple of the
 * 64-node chunk, pruning, and steps big enough to run on two threads
 * (h (p + C) rows per block >= 4e6: kernels.c). On a CPU
 * without AVX-512 the "avx512" run is the best path there is, still
 * compared with the others. */
static void test_same_bits_everywhere(void **state)
{
    (void)state;
    const bits_case cases[] = {
        {300, 15, 2, 70, 0, 0, 48, 3, FSNSA_METHOD_DENSE},
        {300, 15, 2, 20, 200, 3, 16, 4, FSNSA_METHOD_FSA_NSA},
        {400, 130, 2, 512, 0, 0, 200, 2, FSNSA_METHOD_DENSE},
        {300, 21, 5, 70, 0, 0, 100, 2, FSNSA_METHOD_DENSE},
        {300, 70, 26, 150, 0, 0, 64, 2, FSNSA_METHOD_DENSE},
        {300, 21, 4, 9, 130, 6, 32, 4, FSNSA_METHOD_FSA_NSA},
    };
    const char *paths[] = {"avx512", "avx2", "scalar"};
    const char *saved = getenv("FSNSA_KERNEL");
    char *restore = saved != NULL ? strdup(saved) : NULL;
    int threads0 = omp_get_max_threads();
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const bits_case *k = &cases[c];
        fsnsa_dataset *d = bits_data(k);
        fsnsa_train_options o;
        fsnsa_train_options_default(&o);
        o.method = k->method;
        o.hidden = k->hidden;
        if (k->start_hidden)
            o.start_hidden = k->start_hidden;
        if (k->features)
            o.features = k->features;
        o.batch = k->batch;
        o.epochs = k->epochs;
        /* a few epochs may leave a case worse than its class frequencies
         * (FSNSA_ERR_NUMERIC): its bits must agree all the same */
        o.keep_going = 1;
        size_t C = k->classes;
        float *prob_ref = malloc(d->n * C * sizeof(float));
        float *prob = malloc(d->n * C * sizeof(float));
        fsnsa_net *ref = NULL;
        double loss_ref = 0.0;
        for (size_t pi = 0; pi < 3; pi++) {
            for (int t = 1; t <= 2; t++) {
                setenv("FSNSA_KERNEL", paths[pi], 1);
                omp_set_num_threads(t);
                fsnsa_net *net;
                double loss;
                fsnsa_status st = fsnsa_train(d, &o, NULL, &net, NULL);
                assert_true(st == FSNSA_OK || st == FSNSA_ERR_NUMERIC);
                assert_non_null(net);
                float *out = ref == NULL ? prob_ref : prob;
                assert_int_equal(fsnsa_net_predict(net, d->x, d->n, d->p, out, NULL),
                                 FSNSA_OK);
                assert_int_equal(fsnsa_net_loss(net, d, &loss, NULL), FSNSA_OK);
                if (ref == NULL) {
                    ref = net;
                    loss_ref = loss;
                    continue;
                }
                if (!tu_same_net(ref, net) || memcmp(prob, prob_ref, d->n * C * sizeof(float)) ||
                    memcmp(&loss, &loss_ref, sizeof loss))
                    fail_msg("case %zu (p %zu, C %zu, h %zu, batch %zu): %s with %d "
                             "thread(s) differs from avx512 with 1 (net %d, predictions "
                             "%d, loss %.17g vs %.17g)",
                             c, k->p, C, k->hidden, k->batch, paths[pi], t,
                             !tu_same_net(ref, net),
                             memcmp(prob, prob_ref, d->n * C * sizeof(float)) != 0, loss,
                             loss_ref);
                fsnsa_net_free(net);
            }
        }
        fsnsa_net_free(ref);
        free(prob_ref);
        free(prob);
        fsnsa_dataset_free(d);
    }
    if (restore != NULL) {
        setenv("FSNSA_KERNEL", restore, 1);
        free(restore);
    } else {
        unsetenv("FSNSA_KERNEL");
    }
    omp_set_num_threads(threads0);
}

/* The loss of each epoch, as the callback sees it. */
static int epoch_losses(const fsnsa_epoch_info *info, void *ctx)
{
    ((double *)ctx)[info->epoch - 1] = info->loss;
    return 0;
}

/* --shuffle off with a warm start is exactly a sequence of mini-batch
 * Adam steps in data order: what another implementation would compute.
 * The epoch's loss is the mean over rows of the losses summed batch by
 * batch (each before its batch's step), not the mean of the batch means
 * (docs/algorithm.md). */
static void test_fixed_order_matches_manual_steps(void **state)
{
    (void)state;
    fsnsa_dataset *tr;
    xor_pair(50, 4, 2, &tr, NULL);
    fsnsa_net *init;
    assert_int_equal(fsnsa_net_create(4, 6, 2, 3, &init, NULL), FSNSA_OK);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_DENSE;
    o.hidden = 6;
    o.epochs = 2;
    o.batch = 16; /* 50 rows: batches of 16, 16, 16, 2 */
    o.shuffle = 0;
    o.weight_decay = 1e-3;
    double reported[2];
    o.on_epoch = epoch_losses;
    o.on_epoch_ctx = reported;
    fsnsa_net *trained;
    assert_int_equal(fsnsa_train(tr, &o, init, &trained, NULL), FSNSA_OK);
    o.on_epoch = NULL;

    fsnsa_net *m;
    assert_int_equal(fsnsa_net_copy(init, &m, NULL), FSNSA_OK);
    fsnsa__adam adam;
    fsnsa__adam_init(&adam, o.lr, o.beta1, o.beta2, o.eps, o.weight_decay);
    float mW[24] = {0}, vW[24] = {0}, mb[6] = {0}, vb[6] = {0}, mbe[6] = {0},
          vbe[6] = {0}, mc[1] = {0}, vc[1] = {0};
    fsnsa__work w;
    assert_int_equal(fsnsa__work_init(&w, 6, 4, 1, 16), 0);
    for (int e = 0; e < 2; e++) {
        double summed = 0, batch_means = 0;
        for (size_t i = 0; i < 50; i += 16) {
            size_t B = 50 - i < 16 ? 50 - i : 16;
            /* the step without Adam: gradients only (kernels.h) */
            double batch = fsnsa__grad_step(m, tr->x + i * 4, 4, NULL, tr->y + i,
                                            B, &w, NULL, NULL);
            summed += batch;
            batch_means += batch / (double)B / 4.0;
            fsnsa__adam_begin_step(&adam);
            fsnsa__adam_update(&adam, 24, m->W, w.gWc, mW, vW);
            fsnsa__adam_update(&adam, 6, m->b, w.gbv, mb, vb);
            fsnsa__adam_update(&adam, 6, m->beta, w.gbc, mbe, vbe);
            fsnsa__adam_update(&adam, 1, m->c, w.gc, mc, vc);
        }
        print_message("epoch %d: row mean %.9f, mean of the 4 batch means "
                      "%.9f, reported %.9f\n", e + 1, summed / 50,
                      batch_means, reported[e]);
        assert_true(reported[e] == summed / 50);
        assert_true(fabs(reported[e] - batch_means) > 1e-4);
    }
    assert_true(tu_same_net(trained, m));
    assert_false(tu_same_net(trained, init));
    fsnsa__work_free(&w);

    /* zero epochs from an initial network: the network itself */
    fsnsa_net *zero;
    o.epochs = 0;
    assert_int_equal(fsnsa_train(tr, &o, init, &zero, NULL), FSNSA_OK);
    assert_true(tu_same_net(zero, init));
    /* shuffling changes the path */
    fsnsa_net *shuffled;
    o.epochs = 2;
    o.shuffle = 1;
    assert_int_equal(fsnsa_train(tr, &o, init, &shuffled, NULL), FSNSA_OK);
    assert_false(tu_same_net(shuffled, trained));
    fsnsa_net_free(zero);
    fsnsa_net_free(shuffled);
    fsnsa_net_free(m);
    fsnsa_net_free(trained);
    fsnsa_net_free(init);
    fsnsa_dataset_free(tr);
}

/* The same for a wide, multi-class network: gW rows of several vector
 * tiles (p = 140), two chunks of nodes with an odd tail (h = 71), three
 * classes, and batches of two row blocks (70 = 64 + 6) and of one (10), so
 * that the training step's fused Adam (tile by tile in the backward) meets
 * the step without Adam + fsnsa__adam_update bit for bit on every path. */
static void test_fixed_order_wide_matches_manual_steps(void **state)
{
    (void)state;
    enum { N = 150, P = 140, H = 71, K = 3, BATCH = 70 };
    fsnsa_dataset *xor_d, *tr;
    xor_pair(N, P, 2, &xor_d, NULL);
    int32_t y[N];
    for (size_t i = 0; i < N; i++)
        y[i] = (int32_t)((i * 7 + (size_t)(xor_d->x[i * P] > 0)) % K);
    assert_int_equal(fsnsa_dataset_from_arrays(N, P, xor_d->x, y, K, &tr, NULL), FSNSA_OK);
    fsnsa_net *init;
    assert_int_equal(fsnsa_net_create(P, H, K, 5, &init, NULL), FSNSA_OK);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_DENSE;
    o.hidden = H;
    o.epochs = 2;
    o.batch = BATCH; /* 150 rows: batches of 70, 70, 10 */
    o.shuffle = 0;
    o.weight_decay = 1e-3;
    fsnsa_net *trained;
    assert_int_equal(fsnsa_train(tr, &o, init, &trained, NULL), FSNSA_OK);

    fsnsa_net *m;
    assert_int_equal(fsnsa_net_copy(init, &m, NULL), FSNSA_OK);
    fsnsa__adam adam;
    fsnsa__adam_init(&adam, o.lr, o.beta1, o.beta2, o.eps, o.weight_decay);
    float *buf = calloc((size_t)H * P * 2 + (size_t)H * 2 + (size_t)H * K * 2 + 2 * K,
                        sizeof(float));
    assert_non_null(buf);
    float *mW = buf, *vW = mW + H * P, *mb = vW + H * P, *vb = mb + H, *mbe = vb + H,
          *vbe = mbe + H * K, *mc = vbe + H * K, *vc = mc + K;
    fsnsa__work w;
    assert_int_equal(fsnsa__work_init(&w, H, P, K, BATCH), 0);
    for (int e = 0; e < 2; e++) {
        for (size_t i = 0; i < N; i += BATCH) {
            size_t B = N - i < BATCH ? N - i : BATCH;
            fsnsa__grad_step(m, tr->x + i * P, P, NULL, tr->y + i, B, &w, NULL, NULL);
            fsnsa__adam_begin_step(&adam);
            fsnsa__adam_update(&adam, H * P, m->W, w.gWc, mW, vW);
            fsnsa__adam_update(&adam, H, m->b, w.gbv, mb, vb);
            fsnsa__adam_update(&adam, H * K, m->beta, w.gbc, mbe, vbe);
            fsnsa__adam_update(&adam, K, m->c, w.gc, mc, vc);
        }
    }
    assert_true(tu_same_net(trained, m));
    assert_false(tu_same_net(trained, init));
    fsnsa__work_free(&w);
    free(buf);
    fsnsa_net_free(m);
    fsnsa_net_free(trained);
    fsnsa_net_free(init);
    fsnsa_dataset_free(tr);
    fsnsa_dataset_free(xor_d);
}

/* Warm start from a pruned network continues on its selected features. */
static void test_warm_start_pruned(void **state)
{
    (void)state;
    fsnsa_dataset *tr;
    xor_pair(400, 8, 2, &tr, NULL);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.features = 3;
    o.hidden = 8;
    o.start_hidden = 32;
    o.epochs = 30;
    fsnsa_net *first, *second;
    assert_int_equal(fsnsa_train(tr, &o, NULL, &first, NULL), FSNSA_OK);
    o.method = FSNSA_METHOD_DENSE;
    o.epochs = 5;
    assert_int_equal(fsnsa_train(tr, &o, first, &second, NULL), FSNSA_OK);
    assert_int_equal(second->p, 3);
    assert_memory_equal(second->features, first->features, 3 * sizeof(size_t));
    assert_false(tu_same_net(first, second));
    /* a network for other data is refused */
    fsnsa_dataset *other;
    xor_pair(100, 5, 2, &other, NULL);
    fsnsa_error err;
    fsnsa_net *bad;
    assert_int_equal(fsnsa_train(other, &o, first, &bad, &err), FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "columns"));
    fsnsa_dataset_free(other);
    fsnsa_net_free(first);
    fsnsa_net_free(second);
    fsnsa_dataset_free(tr);
}

static void test_options_refused(void **state)
{
    (void)state;
    fsnsa_dataset *tr;
    xor_pair(50, 4, 2, &tr, NULL);
    fsnsa_train_options o;
    fsnsa_net *net;
    fsnsa_error err;
    struct { const char *field, *needle; } cases[] = {
        {"features", "features"}, {"hidden", "hidden"}, {"lr", "learning rate"},
        {"epochs", "epochs"}, {"beta1", "betas"}, {"wd", "weight decay"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        fsnsa_train_options_default(&o);
        o.features = 2;
        o.start_hidden = 16;
        o.hidden = 4;
        if (strcmp(cases[c].field, "features") == 0)
            o.features = 5;
        else if (strcmp(cases[c].field, "hidden") == 0)
            o.hidden = 32;
        else if (strcmp(cases[c].field, "lr") == 0)
            o.lr = -1;
        else if (strcmp(cases[c].field, "epochs") == 0)
            o.epochs = -3;
        else if (strcmp(cases[c].field, "beta1") == 0)
            o.beta1 = 1.0;
        else
            o.weight_decay = NAN;
        net = (fsnsa_net *)1;
        assert_int_equal(fsnsa_train(tr, &o, NULL, &net, &err), FSNSA_ERR_ARG);
        assert_null(net);
        assert_non_null(strstr(err.msg, cases[c].needle));
    }
    fsnsa_dataset_free(tr);
}

/* A diverging run stops with the epoch named; stop flag and callback
 * interrupt cleanly. */
static void test_divergence_and_interrupts(void **state)
{
    (void)state;
    fsnsa_dataset *tr;
    xor_pair(200, 4, 2, &tr, NULL);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_DENSE;
    o.hidden = 16;
    o.epochs = 50;
    o.lr = 1e30;
    fsnsa_net *net = NULL;
    fsnsa_error err;
    assert_int_equal(fsnsa_train(tr, &o, NULL, &net, &err), FSNSA_ERR_NUMERIC);
    assert_null(net);
    assert_non_null(strstr(err.msg, "epoch "));

    o.lr = 1e-3;
    volatile int stop = 1;
    o.stop = &stop;
    assert_int_equal(fsnsa_train(tr, &o, NULL, &net, &err), FSNSA_ERR_INTERRUPTED);
    assert_null(net);
    o.stop = NULL;
    path_log log = {0};
    log.stop_after = 3;
    o.on_epoch = record;
    o.on_epoch_ctx = &log;
    assert_int_equal(fsnsa_train(tr, &o, NULL, &net, &err), FSNSA_ERR_INTERRUPTED);
    assert_int_equal(log.epochs, 3);
    assert_null(net);
    fsnsa_dataset_free(tr);
}

/* Three nominal columns of three values, one-hot (9 columns), 3 classes. */
static fsnsa_dataset *nominal_data(size_t n)
{
    float *x = calloc(n * 9, sizeof *x);
    int32_t *y = malloc(n * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, 5);
    for (size_t i = 0; i < n; i++) {
        int v[3];
        for (int c = 0; c < 3; c++) {
            v[c] = (int)fsnsa_rng_below(&rng, 3);
            x[i * 9 + (size_t)(c * 3 + v[c])] = 1.0f;
        }
        y[i] = v[0] == v[1] ? 0 : v[2] == 2 ? 1 : 2;
    }
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_dataset_from_arrays(n, 9, x, y, 3, &d, NULL), FSNSA_OK);
    free(x);
    free(y);
    return d;
}

/* Train and expect a failure whose message has both figures (as the
 * report has them), `cause` and not `not_cause`; keep_going then hands
 * the network back, its loss the report's. */
static void expect_broken(fsnsa_dataset *d, fsnsa_train_options o,
                          const char *cause, const char *not_cause)
{
    fsnsa_net *net = (fsnsa_net *)&o;
    fsnsa_error err = {0};
    fsnsa_train_report rep;
    assert_int_equal(fsnsa_train_with_report(d, &o, NULL, &net, &rep, &err),
                     FSNSA_ERR_NUMERIC);
    print_message("%s\n", err.msg);
    assert_null(net);
    assert_int_equal(rep.outcome, FSNSA_TRAIN_WORSE_THAN_CONSTANT);
    assert_true(fsnsa_loss_worse_than_constant(rep.loss, rep.constant_loss));
    char figures[128];
    snprintf(figures, sizeof figures, "loss %.6g is worse than %.6g,",
             rep.loss, rep.constant_loss);
    assert_non_null(strstr(err.msg, figures));
    assert_non_null(strstr(err.msg, cause));
    if (not_cause != NULL)
        assert_null(strstr(err.msg, not_cause));

    o.keep_going = 1;
    fsnsa_train_report again;
    fsnsa_error err2 = {0};
    assert_int_equal(fsnsa_train_with_report(d, &o, NULL, &net, &again, &err2),
                     FSNSA_ERR_NUMERIC);
    assert_string_equal(err.msg, err2.msg);
    assert_non_null(net);
    double loss;
    assert_int_equal(fsnsa_net_loss(net, d, &loss, NULL), FSNSA_OK);
    assert_true(loss == rep.loss && again.loss == rep.loss);
    fsnsa_net_free(net);
}

/* A training whose final loss is worse than predicting the class
 * frequencies fails with the figures and the cause that fits (the cases of
 * issue 12); a run stuck at the constant prediction, a local minimum, does
 * not; a normal run is untouched. */
static void test_broken_training(void **state)
{
    (void)state;
    fsnsa_dataset *d = nominal_data(150);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.variant = FSNSA_VARIANT_PAPER; /* issue 12's cases are the paper's */
    o.start_hidden = 64;
    o.hidden = 8;
    o.features = 5;
    o.epochs = 30;

    /* normal: the report's loss is the network's, below the constant's */
    fsnsa_net *net;
    fsnsa_train_report rep;
    assert_int_equal(fsnsa_train_with_report(d, &o, NULL, &net, &rep, NULL),
                     FSNSA_OK);
    double loss, h = 0;
    assert_int_equal(fsnsa_net_loss(net, d, &loss, NULL), FSNSA_OK);
    assert_true(rep.outcome == FSNSA_TRAIN_OK && rep.loss == loss);
    assert_int_equal(rep.epochs, 30);
    for (int c = 0; c < 3; c++) {
        size_t k = 0;
        for (size_t i = 0; i < d->n; i++)
            k += d->y[i] == c;
        h -= (double)k / (double)d->n * log((double)k / (double)d->n);
    }
    assert_true(fabs(rep.constant_loss - h) < 1e-12);
    assert_true(rep.loss < rep.constant_loss);
    fsnsa_net_free(net);

    fsnsa_train_options bad = o;
    bad.lr = 10;
    expect_broken(d, bad, "is the learning rate 10 too large?",
                  "weight decay");
    bad = o;
    bad.weight_decay = 1e30;
    expect_broken(d, bad, "is the weight decay 1e+30 too large?",
                  "learning rate");
    fsnsa_dataset_free(d);

    /* unscaled 1e30-scale inputs */
    assert_int_equal(fsnsa_xor_generate(200, 3, 2, 1, 0, &d, NULL), FSNSA_OK);
    for (size_t i = 0; i < d->n * d->p; i++)
        d->x[i] *= 1e30f;
    bad = o;
    bad.method = FSNSA_METHOD_DENSE;
    expect_broken(d, bad, "the inputs reach 9.98e+29 in magnitude",
                  "learning rate");
    /* every input constant (all 0, as standardized constant columns are):
     * FSA+NSA breaks (normalization divides b by shrinking |w|) */
    fsnsa_dataset_free(d);
    const size_t n = 400, p = 31;
    float *x = calloc(n * p, sizeof *x);
    int32_t *y = malloc(n * sizeof *y);
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, 5);
    for (size_t i = 0; i < n; i++)
        y[i] = fsnsa_rng_uniform(&rng) < 0.36f;
    assert_int_equal(fsnsa_dataset_from_arrays(n, p, x, y, 2, &d, NULL), FSNSA_OK);
    free(x);
    free(y);
    bad = o;
    bad.start_hidden = 256;
    bad.hidden = 32;
    bad.features = 16;
    bad.epochs = 100;
    expect_broken(d, bad, "every input column is constant", "learning rate");
    fsnsa_dataset_free(d);

    /* stuck at the constant prediction (one dead ReLU on 3-D XOR, AUC
     * 0.5): above the constant loss by ~1e-6, within the margin */
    assert_int_equal(fsnsa_xor_generate(1000, 3, 3, 1, 0, &d, NULL), FSNSA_OK);
    o.method = FSNSA_METHOD_DENSE;
    o.hidden = 1;
    o.epochs = 100;
    o.seed = 6;
    assert_int_equal(fsnsa_train_with_report(d, &o, NULL, &net, &rep, NULL),
                     FSNSA_OK);
    print_message("stuck: loss %.9f, constant %.9f\n", rep.loss,
                  rep.constant_loss);
    assert_true(rep.loss > rep.constant_loss &&
                rep.loss < rep.constant_loss + 1e-5);
    float *prob = malloc(d->n * 2 * sizeof *prob);
    assert_int_equal(fsnsa_net_predict(net, d->x, d->n, d->p, prob, NULL),
                     FSNSA_OK);
    double auc;
    assert_int_equal(fsnsa_roc_auc(prob, 2, d->y, d->n, &auc, NULL), FSNSA_OK);
    assert_true(auc == 0.5);
    free(prob);
    fsnsa_net_free(net);
    fsnsa_dataset_free(d);
}

/* Softmax output: 4 classes = the quadrant of (x0, x1), columns 2 and 3
 * are noise, which FSA must drop; full batch. */
static void test_multiclass_learns(void **state)
{
    (void)state;
    const size_t n = 400, p = 4;
    float x[400 * 4];
    int32_t y[400];
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, 4);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < p; j++)
            x[i * p + j] = 2.0f * fsnsa_rng_uniform(&rng) - 1.0f;
        y[i] = (x[i * p] > 0) * 2 + (x[i * p + 1] > 0);
    }
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_dataset_from_arrays(n, p, x, y, 4, &d, NULL), FSNSA_OK);
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    o.method = FSNSA_METHOD_FSA_NSA;
    o.features = 2;
    o.hidden = 8;
    o.start_hidden = 64;
    o.epochs = 100;
    o.batch = 0;
    o.lr = 0.01;
    fsnsa_net *net;
    assert_int_equal(fsnsa_train(d, &o, NULL, &net, NULL), FSNSA_OK);
    assert_int_equal(net->n_out, 4);
    assert_int_equal(net->p, 2);
    assert_int_equal(net->features[0], 0);
    assert_int_equal(net->features[1], 1);
    float prob[400 * 4];
    assert_int_equal(fsnsa_net_predict(net, x, n, p, prob, NULL), FSNSA_OK);
    double acc = fsnsa_accuracy(prob, 4, y, n);
    print_message("4-class accuracy %.3f\n", acc);
    assert_true(acc > 0.9);
    fsnsa_net_free(net);
    fsnsa_dataset_free(d);
}

/* One source of the defaults: hidden 0 and features 0 are resolved by the
 * library, the same way for fsnsa_train and for a caller who asks. */
static void test_default_sizes_resolved(void **state)
{
    (void)state;
    fsnsa_train_options o, r;
    fsnsa_train_options_default(&o);
    assert_int_equal(o.method, FSNSA_METHOD_FSA_NSA);
    assert_int_equal(o.hidden, 0);
    assert_int_equal(o.features, 0);
    assert_int_equal(fsnsa_train_options_check(&o, 15, NULL), FSNSA_OK);
    assert_int_equal(fsnsa_train_options_resolve(&o, 15, &r, NULL), FSNSA_OK);
    assert_int_equal(r.hidden, 128);
    assert_int_equal(r.features, 8);
    o.method = FSNSA_METHOD_DENSE;
    assert_int_equal(fsnsa_train_options_resolve(&o, 15, &r, NULL), FSNSA_OK);
    assert_int_equal(r.hidden, 64);
    assert_int_equal(r.features, 0);
    assert_int_equal(fsnsa_train_default_hidden(FSNSA_METHOD_NSA), 128);
    assert_int_equal(fsnsa_train_default_hidden(FSNSA_METHOD_FSA), 64);
    /* fsnsa_train uses the same sizes */
    fsnsa_dataset *d;
    assert_int_equal(fsnsa_xor_generate(200, 15, 3, 2, 0, &d, NULL), FSNSA_OK);
    fsnsa_train_options_default(&o);
    o.start_hidden = 200;
    o.epochs = 12;
    o.keep_going = 1; /* a short run: only the sizes matter */
    fsnsa_net *net = NULL;
    fsnsa_status st = fsnsa_train(d, &o, NULL, &net, NULL);
    assert_true(st == FSNSA_OK || st == FSNSA_ERR_NUMERIC);
    assert_non_null(net);
    assert_int_equal(net->h, 128);
    assert_int_equal(net->p, 8);
    fsnsa_net_free(net);
    /* too many features is still refused, naming the limit */
    o.features = 16;
    fsnsa_error err;
    assert_int_equal(fsnsa_train_options_resolve(&o, 15, &r, &err),
                     FSNSA_ERR_ARG);
    assert_non_null(strstr(err.msg, "features <= 15"));
    fsnsa_dataset_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xor_labels_and_nesting),
        cmocka_unit_test(test_default_sizes_resolved),
        cmocka_unit_test(test_pruning_follows_schedule),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_same_bits_everywhere),
        cmocka_unit_test(test_fixed_order_matches_manual_steps),
        cmocka_unit_test(test_fixed_order_wide_matches_manual_steps),
        cmocka_unit_test(test_warm_start_pruned),
        cmocka_unit_test(test_options_refused),
        cmocka_unit_test(test_divergence_and_interrupts),
        cmocka_unit_test(test_broken_training),
        cmocka_unit_test(test_multiclass_learns),
        cmocka_unit_test(test_fsa_nsa_recovers_xor_features),
    };
    return cmocka_run_group_tests_name("training", tests, NULL, NULL);
}

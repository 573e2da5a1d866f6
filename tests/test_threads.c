/* Two trainings on two threads at once equal the same trainings run one
 * after the other, bit for bit: the library keeps no shared mutable
 * state (docs/algorithm.md, reproducibility). */
#include "testutil.h"

typedef struct {
    const fsnsa_dataset *d;
    fsnsa_train_options o;
    fsnsa_net *net;
    fsnsa_status st;
} job;

static void *train_job(void *arg)
{
    job *j = arg;
    fsnsa_error err = {0};
    j->st = fsnsa_train(j->d, &j->o, NULL, &j->net, &err);
    return NULL;
}

static void test_two_threads_equal_sequential(void **state)
{
    (void)state;
    fsnsa_dataset *d1 = NULL, *d2 = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_xor_generate(300, 8, 2, 3, 0, &d1, &err), FSNSA_OK);
    assert_int_equal(fsnsa_xor_generate(200, 6, 2, 4, 0, &d2, &err), FSNSA_OK);
    job jobs[2];
    memset(jobs, 0, sizeof jobs);
    jobs[0].d = d1;
    jobs[1].d = d2;
    for (int i = 0; i < 2; i++) {
        fsnsa_train_options_default(&jobs[i].o);
        jobs[i].o.start_hidden = 48;
        jobs[i].o.hidden = 6;
        jobs[i].o.features = 2;
        jobs[i].o.epochs = 30;
        jobs[i].o.seed = (uint64_t)(7 + i);
    }
    jobs[1].o.method = FSNSA_METHOD_NSA;

    job seq[2];
    memcpy(seq, jobs, sizeof seq);
    for (int i = 0; i < 2; i++) {
        train_job(&seq[i]);
        assert_int_equal(seq[i].st, FSNSA_OK);
    }
    for (int round = 0; round < 3; round++) {
        pthread_t th[2];
        for (int i = 0; i < 2; i++) {
            jobs[i].net = NULL;
            assert_int_equal(pthread_create(&th[i], NULL, train_job, &jobs[i]),
                             0);
        }
        for (int i = 0; i < 2; i++) {
            assert_int_equal(pthread_join(th[i], NULL), 0);
            assert_int_equal(jobs[i].st, FSNSA_OK);
            assert_true(tu_same_net(jobs[i].net, seq[i].net));
            fsnsa_net_free(jobs[i].net);
        }
    }
    for (int i = 0; i < 2; i++)
        fsnsa_net_free(seq[i].net);
    fsnsa_dataset_free(d1);
    fsnsa_dataset_free(d2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_threads_equal_sequential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Job files and sweeps: round trip, header check, torn and damaged lines,
 * locking, and a sweep SIGKILLed at random moments that still ends with
 * every job's result exactly once. */
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

static void temp_path(char *path, size_t size, const char *tag)
{
    static unsigned counter;
    snprintf(path, size, "/tmp/fsnsa-jobs-%ld-%u-%s.tsv", (long)getpid(),
             counter++, tag);
    unlink(path);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void append_raw(const char *path, const char *text)
{
    FILE *f = fopen(path, "ab");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void test_round_trip(void **state)
{
    (void)state;
    char path[128];
    temp_path(path, sizeof path, "rt");
    fsnsa_jobfile *jf = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_jobfile_open(path, "sweep A", &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_count(jf), 0);
    assert_int_equal(fsnsa_jobfile_append(jf, "seed=1", "0.5\t1", &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_append(jf, "seed=2", "0.25\t2", &err), FSNSA_OK);
    assert_string_equal(fsnsa_jobfile_find(jf, "seed=2"), "0.25\t2");
    /* keys with tabs or newlines would break the line format */
    assert_int_equal(fsnsa_jobfile_append(jf, "a\tb", "1", &err), FSNSA_ERR_ARG);
    assert_int_equal(fsnsa_jobfile_append(jf, "a", "1\n2", &err), FSNSA_ERR_ARG);
    fsnsa_jobfile_close(jf);

    assert_int_equal(fsnsa_jobfile_open(path, "sweep A", &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_count(jf), 2);
    assert_int_equal(fsnsa_jobfile_repaired(jf), 0);
    assert_string_equal(fsnsa_jobfile_find(jf, "seed=1"), "0.5\t1");
    assert_null(fsnsa_jobfile_find(jf, "seed=3"));
    fsnsa_jobfile_close(jf);

    /* another sweep must not reuse these results */
    assert_int_equal(fsnsa_jobfile_open(path, "sweep B", &jf, &err),
                     FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "different sweep"));
    assert_null(jf);
    unlink(path);

    /* a file that is not ours is left alone */
    tu_write_text(path, sizeof path, ".tsv", "a,b,c\n1,2,3\n");
    assert_int_equal(fsnsa_jobfile_open(path, "sweep A", &jf, &err),
                     FSNSA_ERR_FORMAT);
    assert_int_equal(file_size(path), 12);
    unlink(path);
}

static void test_torn_last_line(void **state)
{
    (void)state;
    char path[128];
    temp_path(path, sizeof path, "torn");
    fsnsa_jobfile *jf = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_jobfile_open(path, "h", &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_append(jf, "k1", "1", &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_append(jf, "k2", "2", &err), FSNSA_OK);
    fsnsa_jobfile_close(jf);
    long good = file_size(path);

    /* kill -9 in the middle of a write: no newline */
    append_raw(path, "k3\t0.12345");
    assert_int_equal(fsnsa_jobfile_open(path, "h", &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_count(jf), 2);
    assert_int_equal(fsnsa_jobfile_repaired(jf), 10);
    assert_int_equal(file_size(path), good);
    assert_null(fsnsa_jobfile_find(jf, "k3"));
    assert_int_equal(fsnsa_jobfile_append(jf, "k3", "3", &err), FSNSA_OK);
    fsnsa_jobfile_close(jf);
    assert_int_equal(fsnsa_jobfile_open(path, "h", &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_count(jf), 3);
    assert_string_equal(fsnsa_jobfile_find(jf, "k3"), "3");
    fsnsa_jobfile_close(jf);
    good = file_size(path);

    /* power loss: a complete-looking line whose checksum fails, then
     * zeros the file system left after it */
    append_raw(path, "k4\t4\t~00000000\n");
    FILE *f = fopen(path, "ab");
    assert_non_null(f);
    for (int i = 0; i < 100; i++)
        fputc(0, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(fsnsa_jobfile_open(path, "h", &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_count(jf), 3);
    assert_int_equal(file_size(path), good);
    fsnsa_jobfile_close(jf);

    /* only the header, torn: rewritten */
    unlink(path);
    append_raw(path, "#fsnsa-jobs 1\th");
    assert_int_equal(fsnsa_jobfile_open(path, "h", &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_append(jf, "k1", "1", &err), FSNSA_OK);
    fsnsa_jobfile_close(jf);
    assert_int_equal(fsnsa_jobfile_open(path, "h", &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_count(jf), 1);
    fsnsa_jobfile_close(jf);
    unlink(path);
}

static void test_damage_in_the_middle(void **state)
{
    (void)state;
    char path[128];
    temp_path(path, sizeof path, "mid");
    fsnsa_jobfile *jf = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_jobfile_open(path, "h", &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_append(jf, "k1", "1", &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_append(jf, "k2", "2", &err), FSNSA_OK);
    fsnsa_jobfile_close(jf);
    /* change the value of k1 (line 2) by hand: its checksum fails */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    char buf[256];
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    buf[got] = '\0';
    char *k1 = strstr(buf, "k1\t1");
    assert_non_null(k1);
    assert_int_equal(fseek(f, (long)(k1 - buf) + 3, SEEK_SET), 0);
    fputc('7', f);
    assert_int_equal(fclose(f), 0);
    /* a bad line followed by good ones is not a crash: refuse, keep all */
    long size = file_size(path);
    assert_int_equal(fsnsa_jobfile_open(path, "h", &jf, &err),
                     FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, ":2:"));
    assert_int_equal(file_size(path), size);
    unlink(path);
}

static void test_lock(void **state)
{
    (void)state;
    char path[128];
    temp_path(path, sizeof path, "lock");
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        fsnsa_jobfile *jf = NULL;
        fsnsa_error err = {0};
        if (fsnsa_jobfile_open(path, "h", &jf, &err) != FSNSA_OK)
            _exit(1);
        if (write(fds[1], "x", 1) != 1)
            _exit(1);
        sleep(30);
        _exit(0);
    }
    char c;
    assert_int_equal(read(fds[0], &c, 1), 1);
    fsnsa_jobfile *jf = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_jobfile_open(path, "h", &jf, &err), FSNSA_ERR_IO);
    assert_non_null(strstr(err.msg, "in use"));
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    /* the lock dies with its process */
    assert_int_equal(fsnsa_jobfile_open(path, "h", &jf, &err), FSNSA_OK);
    fsnsa_jobfile_close(jf);
    close(fds[0]);
    close(fds[1]);
    unlink(path);
}

static void test_key_seed(void **state)
{
    (void)state;
    assert_true(fsnsa_key_seed(1, "cv/a/r0/f0") == fsnsa_key_seed(1, "cv/a/r0/f0"));
    assert_true(fsnsa_key_seed(1, "cv/a/r0/f0") != fsnsa_key_seed(1, "cv/a/r0/f1"));
    assert_true(fsnsa_key_seed(1, "cv/a/r0/f0") != fsnsa_key_seed(2, "cv/a/r0/f0"));
}

/* The restarts sweep used by the kill test: tiny XOR trainings. */
static fsnsa_status run_restarts(const char *path, int threads,
                                 fsnsa_restarts_result *res, fsnsa_error *err)
{
    fsnsa_dataset *d = NULL;
    fsnsa_status st = fsnsa_xor_generate(120, 4, 2, 5, 0, &d, err);
    if (st != FSNSA_OK)
        return st;
    fsnsa_restarts_options o;
    fsnsa_restarts_options_default(&o);
    o.train.method = FSNSA_METHOD_DENSE;
    o.train.hidden = 6;
    o.train.epochs = 60;
    o.restarts = 40;
    o.sweep.threads = threads;
    fsnsa_jobfile *jf = NULL;
    if (path != NULL) {
        st = fsnsa_jobfile_open(path, "kill test", &jf, err);
        if (st != FSNSA_OK) {
            fsnsa_dataset_free(d);
            return st;
        }
    }
    o.sweep.jobs = jf;
    st = fsnsa_restarts(d, NULL, &o, res, err);
    fsnsa_jobfile_close(jf);
    fsnsa_dataset_free(d);
    return st;
}

static void test_resume_after_kill(void **state)
{
    (void)state;
    char path[128];
    temp_path(path, sizeof path, "kill");
    fsnsa_error err = {0};
    fsnsa_restarts_result ref = {0}, res = {0};
    /* reference: the same sweep without a file, timed, so that the kill
     * moments scale with the machine's speed (a fixed 1-40 ms window lets a
     * fast machine finish before any kill lands) */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(run_restarts(NULL, 1, &ref, &err), FSNSA_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double whole = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);

    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    int kills = 0;
    for (int round = 0; round < 12; round++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            fsnsa_restarts_result r = {0};
            fsnsa_error e = {0};
            _exit(run_restarts(path, 2, &r, &e) == FSNSA_OK ? 0 : 1);
        }
        /* a random moment in the first 2-30 % of the one-thread time: the
         * first round (two threads, empty file) is always killed mid-way;
         * later rounds, resuming ever fuller files, sometimes finish */
        double at = whole * (0.02 + 0.28 * (double)rand() / RAND_MAX);
        struct timespec ts = {(time_t)at, (long)((at - (double)(time_t)at) * 1e9)};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        kills += WIFSIGNALED(status);
    }
    /* how much the killed rounds left behind to resume from (reported,
     * not asserted: a loaded machine may kill every round early) */
    size_t before = 0;
    {
        fsnsa_jobfile *jf = NULL;
        assert_int_equal(fsnsa_jobfile_open(path, "kill test", &jf, &err), FSNSA_OK);
        before = fsnsa_jobfile_count(jf);
        fsnsa_jobfile_close(jf);
    }
    print_message("%d of 12 rounds killed mid-sweep (sweep %.3f s), %zu of 40 jobs done\n",
                  kills, whole, before);
    assert_true(kills > 0);
    /* finish in this process */
    assert_int_equal(run_restarts(path, 2, &res, &err), FSNSA_OK);

    /* every key exactly once, nothing else */
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int seen[41] = {0};
    char line[4096];
    int lines = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        lines++;
        if (lines == 1) {
            assert_true(strncmp(line, "#fsnsa-jobs 1\t", 14) == 0);
            continue;
        }
        unsigned s;
        assert_int_equal(sscanf(line, "seed=%u\t", &s), 1);
        assert_true(s >= 1 && s <= 40);
        seen[s]++;
        assert_non_null(strchr(line, '\n'));
    }
    fclose(f);
    for (int s = 1; s <= 40; s++)
        assert_int_equal(seen[s], 1);
    assert_int_equal(lines, 41);

    /* and the same results as an uninterrupted run, bit for bit */
    assert_int_equal(res.n, ref.n);
    for (size_t i = 0; i < res.n; i++) {
        assert_true(res.runs[i].seed == ref.runs[i].seed);
        assert_true(res.runs[i].loss == ref.runs[i].loss);
        assert_true(res.runs[i].train_auc == ref.runs[i].train_auc);
    }
    fsnsa_restarts_result_clear(&ref);
    fsnsa_restarts_result_clear(&res);
    unlink(path);
}

/* A rerun over a complete file computes nothing (the run callback would
 * fail the test). */
static int key_fn(void *ctx, size_t job, char *buf, size_t size)
{
    (void)ctx;
    return snprintf(buf, size, "job%zu", job) < (int)size ? 0 : -1;
}
static int runs_called;
static fsnsa_status value_fn(void *ctx, size_t job, double *v, fsnsa_error *err)
{
    (void)ctx;
    (void)err;
#pragma omp atomic
    runs_called++;
    v[0] = (double)job / 3.0;
    v[1] = -1e-300 * (double)job;
    return FSNSA_OK;
}

static void test_sweep_skips_finished(void **state)
{
    (void)state;
    char path[128];
    temp_path(path, sizeof path, "skip");
    fsnsa_jobfile *jf = NULL;
    fsnsa_error err = {0};
    double v[20 * 2];
    unsigned char done[20];
    fsnsa_sweep s = {20, 2, key_fn, value_fn, NULL, NULL};
    fsnsa_sweep_options o = {2, NULL, NULL, NULL, NULL};
    assert_int_equal(fsnsa_jobfile_open(path, "values", &jf, &err), FSNSA_OK);
    o.jobs = jf;
    runs_called = 0;
    assert_int_equal(fsnsa_sweep_run(&s, &o, v, done, &err), FSNSA_OK);
    assert_int_equal(runs_called, 20);
    fsnsa_jobfile_close(jf);

    double w[20 * 2];
    assert_int_equal(fsnsa_jobfile_open(path, "values", &jf, &err), FSNSA_OK);
    o.jobs = jf;
    runs_called = 0;
    assert_int_equal(fsnsa_sweep_run(&s, &o, w, done, &err), FSNSA_OK);
    assert_int_equal(runs_called, 0);
    /* %.17g round trip: identical doubles */
    assert_memory_equal(v, w, sizeof v);
    fsnsa_jobfile_close(jf);

    /* a stop request before the start runs nothing and says so */
    volatile int stop = 1;
    o.jobs = NULL;
    o.stop = &stop;
    runs_called = 0;
    assert_int_equal(fsnsa_sweep_run(&s, &o, w, done, &err),
                     FSNSA_ERR_INTERRUPTED);
    assert_int_equal(runs_called, 0);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_torn_last_line),
        cmocka_unit_test(test_damage_in_the_middle),
        cmocka_unit_test(test_lock),
        cmocka_unit_test(test_key_seed),
        cmocka_unit_test(test_sweep_skips_finished),
        cmocka_unit_test(test_resume_after_kill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

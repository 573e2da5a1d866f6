/* Job files and sweeps: round trip, header check, torn and damaged lines,
 * deferred syncs, locking, format-2 header fields (what is compared, what is only noted,
 * the refusal naming each difference), adopting a format-1 file, CR LF
 * files, data fingerprints (against Python's hashlib), and a sweep
 * SIGKILLed at random moments that still ends with every job's result
 * exactly once. */
#include "testutil.h"

#include "fsnsa_exp.h"

#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <zlib.h>

static char dir[64]; /* this program's mkdtemp directory */

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/fsnsa-jobs-%ld-XXXXXX", (long)getpid());
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    /* our own mkdtemp name: safe to remove wholesale */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void temp_path(char *path, size_t size, const char *tag)
{
    static unsigned counter;
    snprintf(path, size, "%s/%u-%s.tsv", dir, counter++, tag);
    unlink(path);
}

static void write_raw(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The whole file, malloc'ed and NUL-terminated; *len its size. */
static char *read_raw(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 16, n = 0, got;
    char *s = malloc(cap + 1);
    assert_non_null(s);
    while ((got = fread(s + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            s = realloc(s, cap + 1);
            assert_non_null(s);
        }
    }
    fclose(f);
    s[n] = '\0';
    if (len != NULL)
        *len = n;
    return s;
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
    char path[256];
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
    write_raw(path, "a,b,c\n1,2,3\n", 12);
    assert_int_equal(fsnsa_jobfile_open(path, "sweep A", &jf, &err),
                     FSNSA_ERR_FORMAT);
    assert_int_equal(file_size(path), 12);
    unlink(path);
}

/* Lines whose sync is deferred are still written at once, each whole: a
 * process killed before the sync loses none of them. */
static void test_sync_every(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path, "sync");
    fsnsa_jobfile *jf = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_jobfile_open(path, "h", &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_sync(jf, &err), FSNSA_OK); /* nothing */
    fsnsa_jobfile_sync_every(jf, 3600);
    long empty = file_size(path);
    assert_int_equal(fsnsa_jobfile_append(jf, "seed=1", "0.5", &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_append(jf, "seed=2", "0.25", &err), FSNSA_OK);
    char *text = read_raw(path, NULL);
    assert_non_null(strstr(text, "\nseed=1\t0.5\t~"));
    assert_non_null(strstr(text, "\nseed=2\t0.25\t~"));
    assert_true(file_size(path) > empty);
    free(text);
    assert_int_equal(fsnsa_jobfile_sync(jf, &err), FSNSA_OK);
    fsnsa_jobfile_sync_every(jf, 0); /* back to a sync per line */
    assert_int_equal(fsnsa_jobfile_append(jf, "seed=3", "0.125", &err), FSNSA_OK);
    fsnsa_jobfile_close(jf);
    assert_int_equal(fsnsa_jobfile_open(path, "h", &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_count(jf), 3);
    assert_int_equal(fsnsa_jobfile_repaired(jf), 0);
    assert_string_equal(fsnsa_jobfile_find(jf, "seed=2"), "0.25");
    fsnsa_jobfile_close(jf);
    unlink(path);
}

static void test_torn_last_line(void **state)
{
    (void)state;
    char path[256];
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
    char path[256];
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
    char path[256];
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
    char path[256];
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
    char path[256];
    temp_path(path, sizeof path, "skip");
    fsnsa_jobfile *jf = NULL;
    fsnsa_error err = {0};
    double v[20 * 2];
    unsigned char done[20];
    fsnsa_sweep s = {20, 2, key_fn, value_fn, NULL, NULL, NULL, 0};
    fsnsa_sweep_options o;
    fsnsa_sweep_options_default(&o);
    o.threads = 2;
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


/* ---------------------------------------------------------------- */
/* Format 2: header fields                                           */
/* ---------------------------------------------------------------- */

/* A header like the command's: compared settings and notes. */
typedef struct {
    fsnsa_job_field f[8];
    fsnsa_job_header h;
} test_header;

static void make_header(test_header *t, const char *sha, const char *epochs,
                        const char *file, const char *delim)
{
    t->f[0] = (fsnsa_job_field){"sweep", "restarts", 0, NULL};
    t->f[1] = (fsnsa_job_field){"data-sha256", sha, 0, NULL};
    t->f[2] = (fsnsa_job_field){"epochs", epochs, 0, NULL};
    t->f[3] = (fsnsa_job_field){"data", file, 1, NULL};
    t->f[4] = (fsnsa_job_field){"delimiter", delim, 1, NULL};
    t->h = (fsnsa_job_header){t->f, 5, NULL, 0, NULL};
}

static void test_fields_compared_and_noted(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path, "fields");
    fsnsa_jobfile *jf = NULL;
    fsnsa_error err = {0};
    test_header a;
    make_header(&a, "aaaa", "300", "data.csv", "auto");
    assert_int_equal(fsnsa_jobfile_open_fields(path, &a.h, &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_append(jf, "seed=1", "0.5", &err), FSNSA_OK);
    fsnsa_jobfile_close(jf);
    char *text = read_raw(path, NULL), want[256];
    /* the record's checksum is zlib's CRC-32 of the line before the tab */
    snprintf(want, sizeof want, "#fsnsa-jobs 2\tsweep=restarts\tdata-sha256="
             "aaaa\tepochs=300\t@data=data.csv\t@delimiter=auto\n"
             "seed=1\t0.5\t~%08lx\n",
             (unsigned long)crc32(0, (const Bytef *)"seed=1\t0.5", 10));
    assert_string_equal(text, want);
    free(text);
    long size = file_size(path);

    /* the same settings resume; so does a renamed copy read another way
     * (only notes differ) */
    test_header b;
    make_header(&b, "aaaa", "300", "copy.csv", ";");
    assert_int_equal(fsnsa_jobfile_open_fields(path, &b.h, &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_count(jf), 1);
    assert_int_equal(fsnsa_jobfile_adopted(jf), 0);
    fsnsa_jobfile_close(jf);

    /* other data: refused, naming both fingerprints and the notes that
     * differ; the file is untouched */
    make_header(&b, "bbbb", "300", "data.csv", ";");
    assert_int_equal(fsnsa_jobfile_open_fields(path, &b.h, &jf, &err),
                     FSNSA_ERR_FORMAT);
    assert_null(jf);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "data-sha256=bbbb here, aaaa in the file"));
    assert_non_null(strstr(err.msg, "also differs: delimiter=; here, auto in "
                                    "the file"));
    assert_null(strstr(err.msg, "data=")); /* equal notes are not listed */
    assert_int_equal(file_size(path), size);
    /* another setting */
    make_header(&b, "aaaa", "30", "data.csv", "auto");
    assert_int_equal(fsnsa_jobfile_open_fields(path, &b.h, &jf, &err),
                     FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "epochs=30 here, 300 in the file"));
    assert_null(strstr(err.msg, "also differs"));

    /* a setting the file does not have: refused unless the file's
     * implicit value is this run's (if_absent) */
    make_header(&b, "aaaa", "300", "data.csv", "auto");
    b.f[5] = (fsnsa_job_field){"clip", "off", 0, NULL};
    b.h.n_fields = 6;
    assert_int_equal(fsnsa_jobfile_open_fields(path, &b.h, &jf, &err),
                     FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "clip=off here, none in the file"));
    b.f[5].if_absent = "off";
    assert_int_equal(fsnsa_jobfile_open_fields(path, &b.h, &jf, &err), FSNSA_OK);
    fsnsa_jobfile_close(jf);
    b.f[5].value = "on";
    assert_int_equal(fsnsa_jobfile_open_fields(path, &b.h, &jf, &err),
                     FSNSA_ERR_FORMAT);
    /* a setting in the file that this run lacks */
    b.h.n_fields = 2;
    assert_int_equal(fsnsa_jobfile_open_fields(path, &b.h, &jf, &err),
                     FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "epochs=none here, 300 in the file"));

    /* a format-2 file is not a format-1 sweep, and the other way round */
    assert_int_equal(fsnsa_jobfile_open(path, "sweep A", &jf, &err),
                     FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "different sweep"));
    assert_int_equal(file_size(path), size);

    /* bad fields are the caller's error */
    b.f[0].name = "Sweep";
    assert_int_equal(fsnsa_jobfile_open_fields(path, &b.h, &jf, &err),
                     FSNSA_ERR_ARG);
    unlink(path);
}

static void test_field_values_escaped(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path, "escape");
    fsnsa_jobfile *jf = NULL;
    fsnsa_error err = {0};
    test_header a;
    /* a file name holding a tab, a newline and a backslash */
    make_header(&a, "aaaa", "300", "we\tird\nna\\me.csv", "\t");
    assert_int_equal(fsnsa_jobfile_open_fields(path, &a.h, &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_append(jf, "k", "1", &err), FSNSA_OK);
    fsnsa_jobfile_close(jf);
    char *text = read_raw(path, NULL);
    assert_non_null(strstr(text, "\t@data=we\\tird\\nna\\\\me.csv\t@delimiter=\\t\n"));
    free(text);
    assert_int_equal(fsnsa_jobfile_open_fields(path, &a.h, &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_count(jf), 1);
    fsnsa_jobfile_close(jf);
    /* "a\tb" and "a\\tb" differ */
    test_header b;
    make_header(&b, "aa\\taa", "300", "x", "y");
    test_header c;
    make_header(&c, "aa\taa", "300", "x", "y");
    unlink(path);
    assert_int_equal(fsnsa_jobfile_open_fields(path, &b.h, &jf, &err), FSNSA_OK);
    fsnsa_jobfile_close(jf);
    assert_int_equal(fsnsa_jobfile_open_fields(path, &c.h, &jf, &err),
                     FSNSA_ERR_FORMAT);
    unlink(path);
}

/* A damaged header (a hand edit) is refused, not taken for settings. */
static void test_damaged_header(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path, "badhdr");
    fsnsa_jobfile *jf = NULL;
    fsnsa_error err = {0};
    test_header a;
    make_header(&a, "aaaa", "300", "d", "auto");
    static const char *const bad[] = {
        "#fsnsa-jobs 2\tsweep=restarts\tepochs\n",   /* no '=' */
        "#fsnsa-jobs 2\t=300\n",                     /* no name */
        "#fsnsa-jobs 2sweep=restarts\n",             /* no tab */
        "#fsnsa-jobs 7\tsweep=restarts\n",           /* unknown format */
        "#fsnsa-jobs 1\n",                           /* format 1, no text */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_raw(path, bad[i], strlen(bad[i]));
        assert_int_equal(fsnsa_jobfile_open_fields(path, &a.h, &jf, &err),
                         FSNSA_ERR_FORMAT);
        assert_null(jf);
        assert_int_equal(file_size(path), (long)strlen(bad[i]));
    }
    assert_non_null(strstr(err.msg, ":1: damaged header"));
    unlink(path);
}

/* ---------------------------------------------------------------- */
/* Format 1: refused, or adopted on request                          */
/* ---------------------------------------------------------------- */

static void test_format1_adopted_on_request(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path, "v1");
    fsnsa_jobfile *jf = NULL;
    fsnsa_error err = {0};
    const char *legacy = "fsnsa restarts; data=d.csv epochs=300";
    assert_int_equal(fsnsa_jobfile_open(path, legacy, &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_append(jf, "seed=1", "0.5\t1", &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_append(jf, "seed=2", "0.25\t2", &err), FSNSA_OK);
    fsnsa_jobfile_close(jf);
    append_raw(path, "seed=3\t0.1"); /* torn by a crash */
    size_t len1;
    char *v1 = read_raw(path, &len1);

    test_header a;
    make_header(&a, "aaaa", "300", "d.csv", "auto");
    /* without a legacy header: refused as another sweep */
    assert_int_equal(fsnsa_jobfile_open_fields(path, &a.h, &jf, &err),
                     FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "different sweep (job file format 1)"));
    /* another legacy header: the same */
    a.h.legacy_header = "fsnsa restarts; data=d.csv epochs=30";
    a.h.adopt_legacy = 1;
    assert_int_equal(fsnsa_jobfile_open_fields(path, &a.h, &jf, &err),
                     FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "different sweep"));
    /* the matching one, not asked to adopt: refused, saying how */
    a.h.legacy_header = legacy;
    a.h.adopt_legacy = 0;
    a.h.adopt_how = "rerun with --adopt-results";
    assert_int_equal(fsnsa_jobfile_open_fields(path, &a.h, &jf, &err),
                     FSNSA_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "format 1"));
    assert_non_null(strstr(err.msg, "or rerun with --adopt-results"));
    char *same = read_raw(path, NULL);
    assert_string_equal(same, v1);
    free(same);

    /* adopted: the new header, the intact records byte for byte, the
     * torn tail dropped */
    a.h.adopt_legacy = 1;
    assert_int_equal(fsnsa_jobfile_open_fields(path, &a.h, &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_adopted(jf), 1);
    assert_int_equal(fsnsa_jobfile_count(jf), 2);
    assert_int_equal(fsnsa_jobfile_repaired(jf), strlen("seed=3\t0.1"));
    assert_string_equal(fsnsa_jobfile_find(jf, "seed=2"), "0.25\t2");
    assert_int_equal(fsnsa_jobfile_append(jf, "seed=3", "0.125\t3", &err), FSNSA_OK);
    fsnsa_jobfile_close(jf);
    char *v2 = read_raw(path, NULL);
    const char *rec1 = strchr(v1, '\n') + 1, *rec2 = strchr(v2, '\n') + 1;
    assert_true(strncmp(v2, "#fsnsa-jobs 2\tsweep=restarts\t", 29) == 0);
    assert_true(strncmp(rec1, rec2, strlen(rec1) - strlen("seed=3\t0.1")) == 0);
    free(v1);
    free(v2);
    /* from now on a format-2 file: no adoption needed, other data refused */
    a.h.adopt_legacy = 0;
    assert_int_equal(fsnsa_jobfile_open_fields(path, &a.h, &jf, &err), FSNSA_OK);
    assert_int_equal(fsnsa_jobfile_adopted(jf), 0);
    assert_int_equal(fsnsa_jobfile_count(jf), 3);
    fsnsa_jobfile_close(jf);
    a.f[1].value = "bbbb";
    a.h.adopt_legacy = 1; /* adoption never overrides a fingerprint */
    assert_int_equal(fsnsa_jobfile_open_fields(path, &a.h, &jf, &err),
                     FSNSA_ERR_FORMAT);
    unlink(path);
}

/* ---------------------------------------------------------------- */
/* CR LF                                                             */
/* ---------------------------------------------------------------- */

/* Rewrite a file with CR LF line ends, as a Windows copy would. */
static void to_crlf(const char *path)
{
    size_t n;
    char *s = read_raw(path, &n);
    char *t = malloc(2 * n + 1);
    assert_non_null(t);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            t[m++] = '\r';
        t[m++] = s[i];
    }
    write_raw(path, t, m);
    free(s);
    free(t);
}

static void test_crlf_files(void **state)
{
    (void)state;
    char path[256];
    fsnsa_jobfile *jf = NULL;
    fsnsa_error err = {0};
    test_header a;
    make_header(&a, "aaaa", "300", "d.csv", "auto");
    for (int format = 1; format <= 2; format++) {
        temp_path(path, sizeof path, "crlf");
        fsnsa_status st = format == 1
            ? fsnsa_jobfile_open(path, "h", &jf, &err)
            : fsnsa_jobfile_open_fields(path, &a.h, &jf, &err);
        assert_int_equal(st, FSNSA_OK);
        assert_int_equal(fsnsa_jobfile_append(jf, "k1", "1\t2", &err), FSNSA_OK);
        assert_int_equal(fsnsa_jobfile_append(jf, "k2", "3\t4", &err), FSNSA_OK);
        fsnsa_jobfile_close(jf);
        to_crlf(path);
        append_raw(path, "k3\t5\t~1234\r"); /* torn */
        st = format == 1 ? fsnsa_jobfile_open(path, "h", &jf, &err)
                         : fsnsa_jobfile_open_fields(path, &a.h, &jf, &err);
        if (st != FSNSA_OK)
            print_message("%s\n", err.msg);
        assert_int_equal(st, FSNSA_OK);
        assert_int_equal(fsnsa_jobfile_count(jf), 2);
        assert_int_equal(fsnsa_jobfile_repaired(jf), 11);
        assert_string_equal(fsnsa_jobfile_find(jf, "k2"), "3\t4");
        /* appended in the file's own line ends: every line stays whole */
        assert_int_equal(fsnsa_jobfile_append(jf, "k3", "5\t6", &err), FSNSA_OK);
        fsnsa_jobfile_close(jf);
        size_t n;
        char *s = read_raw(path, &n);
        size_t lf = 0, crlf = 0;
        for (size_t i = 0; i < n; i++)
            if (s[i] == '\n') {
                lf++;
                crlf += i > 0 && s[i - 1] == '\r';
            }
        assert_int_equal(lf, 4);
        assert_int_equal(crlf, 4);
        free(s);
        st = format == 1 ? fsnsa_jobfile_open(path, "h", &jf, &err)
                         : fsnsa_jobfile_open_fields(path, &a.h, &jf, &err);
        assert_int_equal(st, FSNSA_OK);
        assert_int_equal(fsnsa_jobfile_count(jf), 3);
        assert_string_equal(fsnsa_jobfile_find(jf, "k3"), "5\t6");
        fsnsa_jobfile_close(jf);
        unlink(path);
    }
}

/* ---------------------------------------------------------------- */
/* Data fingerprints                                                 */
/* ---------------------------------------------------------------- */

static void fingerprint_of(size_t n, size_t p, const float *x,
                           const int32_t *y, size_t classes, char *out)
{
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_dataset_from_arrays(n, p, x, y, classes, &d, &err),
                     FSNSA_OK);
    fsnsa_dataset_fingerprint(d, out);
    fsnsa_dataset_free(d);
}

static void test_fingerprint_changes_with_the_data(void **state)
{
    (void)state;
    float x[6] = {0.5f, -1.25f, 3.0f, 0.0f, 1e-30f, -7.0f};
    int32_t y[3] = {0, 1, 1};
    char a[FSNSA_FINGERPRINT_SIZE], b[FSNSA_FINGERPRINT_SIZE];
    fingerprint_of(3, 2, x, y, 2, a);
    assert_int_equal(strlen(a), 64);
    fingerprint_of(3, 2, x, y, 2, b);
    assert_string_equal(a, b);
    /* one bit of one value */
    x[4] = nextafterf(x[4], 1.0f);
    fingerprint_of(3, 2, x, y, 2, b);
    assert_string_not_equal(a, b);
    x[4] = 1e-30f;
    /* the sign of zero is a different value (bits) */
    x[3] = -0.0f;
    fingerprint_of(3, 2, x, y, 2, b);
    assert_string_not_equal(a, b);
    x[3] = 0.0f;
    /* a label, the class count, the shape */
    y[0] = 1;
    fingerprint_of(3, 2, x, y, 2, b);
    assert_string_not_equal(a, b);
    y[0] = 0;
    fingerprint_of(3, 2, x, y, 3, b);
    assert_string_not_equal(a, b);
    fingerprint_of(2, 3, x, NULL, 0, b);
    assert_string_not_equal(a, b);
    /* every NaN (a missing value) is the same */
    uint32_t q = 0x7fc00000u, r = 0xffc01234u;
    memcpy(&x[1], &q, 4);
    fingerprint_of(3, 2, x, y, 2, a);
    memcpy(&x[1], &r, 4);
    fingerprint_of(3, 2, x, y, 2, b);
    assert_string_equal(a, b);
}

/* A regression data set's fingerprint covers its targets: one target's
 * last bit changes it, the same targets give the same. */
static void target_fingerprint(const float *x, const float *t,
                               char out[FSNSA_FINGERPRINT_SIZE])
{
    int32_t y[3] = {0, 1, 1};
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_dataset_from_arrays(3, 2, x, y, 2, &d, &err),
                     FSNSA_OK);
    assert_int_equal(fsnsa_dataset_set_target(d, t, &err), FSNSA_OK);
    fsnsa_dataset_fingerprint(d, out);
    fsnsa_dataset_free(d);
}

static void test_fingerprint_covers_targets(void **state)
{
    (void)state;
    float x[6] = {0.5f, -1.25f, 3.0f, 0.0f, 1e-30f, -7.0f};
    float t[3] = {1.5f, -2.0f, 40.25f};
    char a[FSNSA_FINGERPRINT_SIZE], b[FSNSA_FINGERPRINT_SIZE];
    target_fingerprint(x, t, a);
    target_fingerprint(x, t, b);
    assert_string_equal(a, b);
    t[2] = nextafterf(t[2], 100.0f);
    target_fingerprint(x, t, b);
    assert_string_not_equal(a, b);
}

/* A random data set of n * p values (one NaN, one -0) and n labels of 4
 * classes, into x and y; with t != NULL n random targets too (then a
 * regression data set: labels -1, no classes). */
static fsnsa_dataset *random_data(size_t n, size_t p, float *x, int32_t *y,
                                  float *t)
{
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, 42);
    for (size_t i = 0; i < n * p; i++)
        x[i] = (fsnsa_rng_uniform(&rng) - 0.5f) * 1e3f;
    x[5] = NAN;
    x[6] = -0.0f;
    for (size_t i = 0; i < n; i++)
        y[i] = (int32_t)fsnsa_rng_below(&rng, 4);
    fsnsa_dataset *d = NULL;
    fsnsa_error err = {0};
    assert_int_equal(fsnsa_dataset_from_arrays(n, p, x, y, 4, &d, &err),
                     FSNSA_OK);
    if (t != NULL) {
        for (size_t i = 0; i < n; i++)
            t[i] = (fsnsa_rng_uniform(&rng) - 0.5f) * 50.0f;
        assert_int_equal(fsnsa_dataset_set_target(d, t, &err), FSNSA_OK);
    }
    return d;
}

static void put_bits(FILE *f, const float *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &v[i], 4);
        fprintf(f, "%u\n", (unsigned)u);
    }
}

/* The documented byte layout (with the targets when `targets`), hashed
 * by Python's hashlib from the bits the C side prints: an independent
 * SHA-256 and an independent reading of docs/experiments.md. */
static void check_hashlib(int targets)
{
    enum { N = 700, P = 3 }; /* 8 KB of matrix: several 4 KB buffers */
    float *x = malloc(N * P * sizeof *x), t[N];
    int32_t y[N];
    assert_non_null(x);
    fsnsa_dataset *d = random_data(N, P, x, y, targets ? t : NULL);
    char want[FSNSA_FINGERPRINT_SIZE];
    fsnsa_dataset_fingerprint(d, want);
    char bits[256], script[256];
    temp_path(bits, sizeof bits, "bits");
    temp_path(script, sizeof script, "py");
    FILE *f = fopen(bits, "w");
    assert_non_null(f);
    fprintf(f, "%d %d %zu %d\n", N, P, d->schema.n_classes, targets);
    put_bits(f, x, N * P);
    for (size_t i = 0; i < N; i++)
        fprintf(f, "%d\n", (int)d->y[i]);
    if (targets)
        put_bits(f, t, N);
    assert_int_equal(fclose(f), 0);
    fsnsa_dataset_free(d);
    f = fopen(script, "w");
    assert_non_null(f);
    fputs("import hashlib, struct, sys\n"
          "v = open(sys.argv[1]).read().split()\n"
          "n, p, c, t = (int(a) for a in v[:4])\n"
          "h = hashlib.sha256(b'fsnsa dataset 1\\n')\n"
          "h.update(struct.pack('<4Q', n, p, c, 1))\n"
          "def floats(bits):\n"
          "    for b in bits:\n"
          "        u = int(b)\n"
          "        if (u & 0x7f800000) == 0x7f800000 and u & 0x7fffff:\n"
          "            u = 0x7fc00000\n"
          "        h.update(struct.pack('<I', u))\n"
          "floats(v[4:4 + n * p])\n"
          "for l in v[4 + n * p:4 + n * p + n]:\n"
          "    h.update(struct.pack('<i', int(l)))\n"
          "if t:\n"
          "    floats(v[4 + n * p + n:])\n"
          "print(h.hexdigest())\n", f);
    assert_int_equal(fclose(f), 0);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s", script, bits);
    FILE *py = popen(cmd, "r");
    assert_non_null(py);
    char got[128] = "";
    assert_non_null(fgets(got, sizeof got, py));
    assert_int_equal(pclose(py), 0);
    got[strcspn(got, "\n")] = '\0';
    assert_string_equal(got, want);
    free(x);
    unlink(bits);
    unlink(script);
}

static void test_fingerprint_matches_hashlib(void **state)
{
    (void)state;
    if (access("/usr/bin/python3", X_OK) != 0) {
        skip();
        return;
    }
    check_hashlib(0);
    check_hashlib(1);
}

/* The same data written another way (name, delimiter, CR LF, gzip) has
 * the same fingerprint; a changed value does not. */
static void test_fingerprint_of_files(void **state)
{
    (void)state;
    static const char *const text[] = {
        "a,b,y\n0.5,1,p\n-2,3.25,n\n1e-3,-4,p\n",
        "a;b;y\r\n0.5;1;p\r\n-2;3.25;n\r\n1e-3;-4;p\r\n",
        "a\tb\ty\n0.50\t1.0\tp\n-2\t3.25\tn\n0.001\t-4\tp\n",
        "a,b,y\n0.5,1,p\n-2,3.25,n\n1e-3,-4,n\n",
        "a,b,y\n0.5,1,p\n-2,3.5,n\n1e-3,-4,p\n",
    };
    char fp0[FSNSA_FINGERPRINT_SIZE], fp[FSNSA_FINGERPRINT_SIZE];
    for (size_t i = 0; i < 6; i++) {
        char path[256];
        temp_path(path, sizeof path, i == 5 ? "gz.csv.gz" : "fp.csv");
        if (i == 5) {
            /* gzip of text[0] by zlib's gzip writer, via the shell */
            char plain[256], cmd[600];
            temp_path(plain, sizeof plain, "plain.csv");
            write_raw(plain, text[0], strlen(text[0]));
            snprintf(cmd, sizeof cmd, "gzip -c '%s' > '%s'", plain, path);
            if (system(cmd) != 0) {
                unlink(plain);
                break; /* no gzip: the other cases still ran */
            }
            unlink(plain);
        } else {
            write_raw(path, text[i], strlen(text[i]));
        }
        fsnsa_read_options ro;
        fsnsa_read_options_default(&ro);
        fsnsa_dataset *d = NULL;
        fsnsa_error err = {0};
        assert_int_equal(fsnsa_dataset_read(path, &ro, &d, &err), FSNSA_OK);
        fsnsa_dataset_fingerprint(d, i == 0 ? fp0 : fp);
        fsnsa_dataset_free(d);
        if (i == 1 || i == 2 || i == 5)
            assert_string_equal(fp0, fp);
        else if (i > 0)
            assert_string_not_equal(fp0, fp);
        unlink(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_sync_every),
        cmocka_unit_test(test_torn_last_line),
        cmocka_unit_test(test_damage_in_the_middle),
        cmocka_unit_test(test_lock),
        cmocka_unit_test(test_key_seed),
        cmocka_unit_test(test_sweep_skips_finished),
        cmocka_unit_test(test_fields_compared_and_noted),
        cmocka_unit_test(test_field_values_escaped),
        cmocka_unit_test(test_damaged_header),
        cmocka_unit_test(test_format1_adopted_on_request),
        cmocka_unit_test(test_crlf_files),
        cmocka_unit_test(test_fingerprint_changes_with_the_data),
        cmocka_unit_test(test_fingerprint_covers_targets),
        cmocka_unit_test(test_fingerprint_matches_hashlib),
        cmocka_unit_test(test_fingerprint_of_files),
        cmocka_unit_test(test_resume_after_kill),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

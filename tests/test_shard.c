/* A sweep split over processes without MPI (docs/distributed.md): the
 * shards' job files (--shard I/N) merged by fsnsa merge hold the same jobs
 * as one process's file, and the command prints the same table from the
 * merged file without training; merge refuses other sweeps and conflicts;
 * the plain command refuses to run as one of several mpirun/srun ranks. */
#include "testutil.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "core/core.h"

static const char *dir;

typedef struct {
    int code;
    char *out, *err;
} result;

static const char *path_in(const char *name)
{
    static char buf[8][512];
    static int next;
    char *b = buf[next++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", dir, name);
    return b;
}

/* Start `prefix` (a launcher and its options, NULL-terminated; NULL: fsnsa
 * itself) and args in dir, with `env` ("NAME=value" or NULL) added to the
 * environment, in a process group of its own; returns its pid. */
static pid_t start(const char *env, const char *const *prefix,
                   const char *const *args)
{
    const char *argv[100];
    size_t n = 0;
    for (; prefix != NULL && prefix[n] != NULL; n++)
        argv[n] = prefix[n];
    if (prefix == NULL)
        argv[n++] = tu_bin();
    for (size_t i = 0; args[i] != NULL; i++) {
        assert_true(n < 99);
        argv[n++] = args[i];
    }
    argv[n] = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
        int o = open(path_in(".out"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(path_in(".err"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 ||
            chdir(dir) != 0 || (env != NULL && putenv((char *)env) != 0))
            _exit(127);
        alarm(300); /* a hung command fails the test, not the CI */
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* Wait for start()'s process: its result. */
static void finish(result *r, pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        assert_int_equal(errno, EINTR);
    r->code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r->out = tu_slurp(path_in(".out"), NULL);
    r->err = tu_slurp(path_in(".err"), NULL);
    assert_non_null(r->out);
    assert_non_null(r->err);
}

static void run_env(result *r, const char *env, const char *const *args)
{
    finish(r, start(env, NULL, args));
}

static void result_free(result *r)
{
    free(r->out);
    free(r->err);
}

#define MAX_ARGS 60

/* base (NULL-terminated) followed by extra (NULL-terminated). */
static void join(const char **to, const char *const *base,
                 const char *const *extra)
{
    size_t n = 0;
    for (; base[n] != NULL; n++)
        to[n] = base[n];
    for (size_t i = 0; extra[i] != NULL; i++)
        to[n++] = extra[i];
    to[n] = NULL;
    assert_true(n < MAX_ARGS);
}

/* Run base + extra after `prefix` (a launcher, or NULL) and expect exit
 * code `code`; stdout is returned. */
static char *run_with(const char *const *prefix, const char *const *base,
                      const char *const *extra, int code)
{
    const char *args[MAX_ARGS + 1];
    join(args, base, extra);
    result r;
    finish(&r, start(NULL, prefix, args));
    if (r.code != code)
        print_message("exit %d\n%s\n%s\n", r.code, r.out, r.err);
    assert_int_equal(r.code, code);
    free(r.err);
    return r.out;
}

static char *run_ok(const char *const *base, const char *const *extra,
                    int code)
{
    return run_with(NULL, base, extra, code);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---------------------------------------------------------------- */
/* Job lines compared without their timings                          */
/* ---------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The record lines of job file `name`, each without the field named
 * "seconds" (the column `sec` of a value list, or of the list of the
 * key's kind: cv=3, final=7) and its checksum, sorted, joined by '\n'. */
static char *job_lines(const char *name, int sec, int sec_final)
{
    char *text = tu_slurp(path_in(name), NULL);
    assert_non_null(text);
    char *lines[4096];
    size_t n = 0;
    char *save = NULL;
    strtok_r(text, "\n", &save); /* the header */
    for (char *l = strtok_r(NULL, "\n", &save); l != NULL;
         l = strtok_r(NULL, "\n", &save)) {
        assert_true(n < 4096);
        int skip = strncmp(l, "final/", 6) == 0 ? sec_final : sec;
        char *out = malloc(strlen(l) + 1), *o = out;
        assert_non_null(out);
        int col = 0;
        for (char *f = l; f != NULL; col++) {
            char *tab = strchr(f, '\t');
            size_t len = tab != NULL ? (size_t)(tab - f) : strlen(f);
            if (col != skip && f[0] != '~') {
                memcpy(o, f, len);
                o += len;
                *o++ = '\t';
            }
            f = tab != NULL ? tab + 1 : NULL;
        }
        *o = '\0';
        lines[n++] = out;
    }
    qsort(lines, n, sizeof *lines, cmp_str);
    fsnsa__strbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        fsnsa__sb_str(&b, lines[i]);
        fsnsa__sb_str(&b, "\n");
        free(lines[i]);
    }
    free(text);
    fsnsa__sb_put(&b, "", 1); /* the terminating NUL */
    assert_false(b.oom);
    return b.p != NULL ? b.p : calloc(1, 1);
}

static size_t count_lines(const char *name)
{
    char *t = tu_slurp(path_in(name), NULL);
    assert_non_null(t);
    size_t n = 0;
    for (const char *p = t; *p; p++)
        n += *p == '\n';
    free(t);
    return n;
}

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *t = tu_slurp(path_in(from), &len);
    assert_non_null(t);
    FILE *f = fopen(path_in(to), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(t, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(t);
}

/* Whether every line of a (lines ending in '\n') is one of b's. */
static int lines_within(const char *a, const char *b)
{
    size_t bl = strlen(b);
    char *framed = malloc(bl + 2);
    assert_non_null(framed);
    framed[0] = '\n';
    memcpy(framed + 1, b, bl + 1);
    int ok = 1;
    for (const char *l = a; *l && ok; l = strchr(l, '\n') + 1) {
        size_t n = (size_t)(strchr(l, '\n') - l) + 1;
        char *want = malloc(n + 2);
        assert_non_null(want);
        want[0] = '\n';
        memcpy(want + 1, l, n);
        want[n + 1] = '\0';
        ok = strstr(framed, want) != NULL;
        free(want);
    }
    free(framed);
    return ok;
}

/* The whole sweep in one process (`whole`: `threads`) against shards 0/2
 * and 1/2 (one thread each), `rounds` times shard-then-merge (a grid
 * needs 2: its retrainings need every CV result): the merged file holds
 * the same jobs (`superset`: at least the whole's, as hit time's shards
 * stop early on their own hits only), and the command prints the same
 * from it, training nothing. */
static void check_shards(const char *const *base, int rounds, int sec,
                         int sec_final, const char *threads, int superset)
{
    char *whole = run_ok(base, ARGS("--results", "whole.tsv", "--threads",
                                    threads), 0);
    for (int round = 0; round < rounds; round++) {
        if (round > 0) {
            copy_file("merged.tsv", "s0.tsv");
            copy_file("merged.tsv", "s1.tsv");
        }
        for (int i = 0; i < 2; i++) {
            char *out = run_ok(base, ARGS("--results", i ? "s1.tsv"
                                                           : "s0.tsv",
                                          "--shard", i ? "1/2" : "0/2",
                                          "--threads", "1"), 0);
            /* a shard prints no table: the other shard's jobs are
             * missing */
            assert_string_equal(out, "");
            free(out);
        }
        char *m = run_ok(ARGS("merge", "s0.tsv", "s1.tsv", "-o",
                              "merged.tsv"), ARGS(NULL), 0);
        free(m);
    }
    size_t before = count_lines("merged.tsv");
    char *merged = run_ok(base, ARGS("--results", "merged.tsv", "--threads",
                                     "1"), 0);
    assert_int_equal(count_lines("merged.tsv"), before); /* nothing ran */
    assert_string_equal(merged, whole);
    char *a = job_lines("whole.tsv", sec, sec_final);
    char *b = job_lines("merged.tsv", sec, sec_final);
    if (superset && !lines_within(a, b)) {
        print_message("not within:\n%s---\n%s", a, b);
        fail();
    }
    if (!superset)
        assert_string_equal(a, b);
    assert_true(strlen(a) > 0);
    free(a);
    free(b);
    free(whole);
    free(merged);
    remove(path_in("whole.tsv"));
    remove(path_in("merged.tsv"));
    remove(path_in("s0.tsv"));
    remove(path_in("s1.tsv"));
}

#define RESTARTS                                                            \
    "restarts", "--xor", "2", "--p", "4", "--n", "200", "--test-n", "100", \
        "--hidden", "8", "--epochs", "20", "--lr", "0.05", "--restarts",    \
        "12", "-q"

/* s with the seconds column (the 11th field) of every table row removed:
 * a job's timing, which differs between runs (0.00 or 0.01 s on a loaded
 * machine) while everything else must not. */
static char *without_seconds(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    assert_non_null(out);
    while (*s != 0) {
        const char *eol = strchr(s, '\n');
        size_t len = eol != NULL ? (size_t)(eol - s) + 1 : strlen(s);
        int field = 1;
        for (size_t i = 0; i < len; i++) {
            if (s[0] != '#' && s[i] == '\t')
                field++;
            if (s[0] == '#' || field != 11 || s[i] == '\t')
                *o++ = s[i];
        }
        s += len;
    }
    *o = 0;
    return out;
}

static void test_restarts_shards(void **state)
{
    (void)state;
    /* quiet: the table's seconds column is the jobs' timing; the job
     * lines carry the results */
    check_shards(ARGS(RESTARTS), 1, 6, 6, "2", 0);
    const char *const printing[] = {"restarts", "--xor", "2", "--p", "3",
                                    "--n", "100", "--test-n", "0",
                                    "--hidden", "4", "--epochs", "3",
                                    "--restarts", "5", NULL};
    char *whole = run_ok(printing, ARGS("--results", "w.tsv"), 0);
    char *s = run_ok(printing, ARGS("--results", "w0.tsv", "--shard", "0/2"),
                     0);
    free(s);
    s = run_ok(printing, ARGS("--results", "w1.tsv", "--shard", "1/2"), 0);
    free(s);
    s = run_ok(ARGS("merge", "w0.tsv", "w1.tsv", "-o", "wm.tsv"), ARGS(NULL),
               0);
    free(s);
    char *m = run_ok(printing, ARGS("--results", "wm.tsv"), 0);
    /* the runs are ranked alike, the seconds aside */
    char *a = without_seconds(m), *b = without_seconds(whole);
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(m);
    free(whole);
}

static void test_hittime_shards(void **state)
{
    (void)state;
    /* early stop: the merged shards hold every run the deciding prefix
     * needs, so the estimate is the one process's; one thread runs just
     * that prefix */
    check_shards(ARGS("hittime", "--xor", "2", "--ps", "2,3", "--n", "200",
                      "--hidden", "8", "--epochs", "20", "--lr", "0.05",
                      "--runs", "16", "--hits", "3"), 1, 4, 4, "1", 1);
}

static void test_grid_shards(void **state)
{
    (void)state;
    check_shards(ARGS("grid", "--xor", "2", "--p", "4", "--n", "200",
                      "--grid-hidden", "4,8", "--grid-l2", "0.001,0.01",
                      "--grid-batch", "32", "--sizes", "2:4", "--repeats",
                      "2", "--folds", "2", "--retrains", "2", "--epochs",
                      "20", "--lr", "0.05", "--start-hidden", "16"),
                 2, 3, 7, "2", 0);
}

/* ---------------------------------------------------------------- */
/* merge's refusals                                                  */
/* ---------------------------------------------------------------- */

static void expect_failure(const char *const *args, int code,
                           const char *what)
{
    result r;
    run_env(&r, NULL, args);
    if (r.code != code || strstr(r.err, what) == NULL)
        print_message("exit %d\n%s\n%s\n", r.code, r.out, r.err);
    assert_int_equal(r.code, code);
    assert_non_null(strstr(r.err, what));
    result_free(&r);
}

static void test_merge_refuses_other_sweeps(void **state)
{
    (void)state;
    char *s = run_ok(ARGS(RESTARTS), ARGS("--results", "a.tsv"), 0);
    free(s);
    s = run_ok(ARGS(RESTARTS), ARGS("--results", "b.tsv", "--epochs", "21",
                                    "--shard", "0/3"), 0);
    free(s);
    expect_failure(ARGS("merge", "a.tsv", "b.tsv", "-o", "m.tsv"), 1,
                   "epochs=20 and 21");
    struct stat st;
    assert_int_equal(stat(path_in("m.tsv"), &st), -1); /* nothing written */
    expect_failure(ARGS("merge", "a.tsv", "missing.tsv", "-o", "m.tsv"), 1,
                   "missing.tsv");
    expect_failure(ARGS("merge", "a.tsv"), 2, "-o");
    expect_failure(ARGS("merge", "-o", "m.tsv"), 2, "job files");
    assert_int_equal(stat(path_in("m.tsv"), &st), -1);
}

/* Replace the loss (first value) of the line of `key` in file `name`,
 * with a valid checksum: a job computed otherwise. */
static void change_loss(const char *name, const char *key)
{
    size_t len;
    char *t = tu_slurp(path_in(name), &len);
    assert_non_null(t);
    char find[64];
    snprintf(find, sizeof find, "\n%s\t", key);
    char *l = strstr(t, find);
    assert_non_null(l);
    l++;
    char *v = strchr(l, '\t') + 1, *v_end = strchr(v, '\t');
    char *crc = strstr(l, "\t~");
    FILE *f = fopen(path_in(name), "wb");
    assert_non_null(f);
    fwrite(t, 1, (size_t)(v - t), f);
    char line[4096];
    int n = snprintf(line, sizeof line, "%.*s0.125%.*s", (int)(v - l), l,
                     (int)(crc - v_end), v_end);
    fprintf(f, "0.125%.*s\t~%08x", (int)(crc - v_end), v_end,
            (unsigned)fsnsa__crc32(line, (size_t)n));
    fputs(crc + 10, f);
    assert_int_equal(fclose(f), 0);
    free(t);
}

static void test_merge_duplicates_and_conflicts(void **state)
{
    (void)state;
    /* the same shard twice: equal jobs but for their seconds */
    for (int i = 0; i < 2; i++) {
        char *s = run_ok(ARGS(RESTARTS), ARGS("--results", i ? "d1.tsv"
                                                               : "d0.tsv",
                                              "--shard", "0/2"), 0);
        free(s);
    }
    result r;
    run_env(&r, NULL, ARGS("merge", "d0.tsv", "d1.tsv", "-o", "dm.tsv"));
    assert_int_equal(r.code, 0);
    size_t jobs = count_lines("d0.tsv") - 1;
    char want[128];
    snprintf(want, sizeof want, "%zu jobs in dm.tsv (%zu duplicates", jobs,
             jobs);
    assert_non_null(strstr(r.err, want));
    result_free(&r);
    assert_int_equal(count_lines("dm.tsv"), jobs + 1);
    /* the merged file may be an input: merged into itself it stays */
    char *s = run_ok(ARGS("merge", "dm.tsv", "d1.tsv", "-o", "dm.tsv"),
                     ARGS(NULL), 0);
    free(s);
    assert_int_equal(count_lines("dm.tsv"), jobs + 1);
    /* a torn last line of a killed shard is left out */
    FILE *f = fopen(path_in("d1.tsv"), "ab");
    assert_non_null(f);
    fputs("seed=999\t0.5\t0.", f);
    fclose(f);
    run_env(&r, NULL, ARGS("merge", "d0.tsv", "d1.tsv", "-o", "dt.tsv"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "1 torn last lines left out"));
    result_free(&r);
    /* a job whose result differs: refused, nothing written */
    char key[32];
    char *d1 = tu_slurp(path_in("d1.tsv"), NULL);
    assert_int_equal(sscanf(strchr(d1, '\n') + 1, "%31[^\t]", key), 1);
    free(d1);
    change_loss("d1.tsv", key);
    expect_failure(ARGS("merge", "d0.tsv", "d1.tsv", "-o", "dc.tsv"), 1,
                   "1 conflicting jobs in all, nothing written");
    struct stat st;
    assert_int_equal(stat(path_in("dc.tsv"), &st), -1);
    expect_failure(ARGS("merge", "d0.tsv", "d1.tsv", "-o", "dc.tsv"), 1,
                   key);
}

/* ---------------------------------------------------------------- */
/* Under a launcher                                                  */
/* ---------------------------------------------------------------- */

static void test_refuses_under_launcher(void **state)
{
    (void)state;
    static const char *const envs[] = {
        "OMPI_COMM_WORLD_SIZE=2", "PMI_SIZE=4", "SLURM_STEP_NUM_TASKS=3",
        "PMIX_RANK=1", "SLURM_PROCID=2"};
    const char *const *cmds[] = {
        ARGS(RESTARTS),
        ARGS("hittime", "--xor", "2", "--ps", "2", "--n", "100", "--runs",
             "2", "-q"),
        ARGS("grid", "--xor", "2", "--p", "2", "--n", "100", "--repeats",
             "1", "--retrains", "1", "-q")};
    for (size_t e = 0; e < sizeof envs / sizeof *envs; e++) {
        result r;
        run_env(&r, envs[e], cmds[e % 3]);
        if (r.code != 1 || strstr(r.err, "mpirun") == NULL ||
            strstr(r.err, envs[e]) == NULL)
            print_message("%s: exit %d\n%s\n", envs[e], r.code, r.err);
        assert_int_equal(r.code, 1);
        assert_non_null(strstr(r.err, envs[e]));
        assert_non_null(strstr(r.err, "--shard"));
        assert_string_equal(r.out, "");
        result_free(&r);
    }
    /* one process, or a process told its shard, runs */
    result r;
    run_env(&r, "OMPI_COMM_WORLD_SIZE=1", ARGS(RESTARTS));
    assert_int_equal(r.code, 0);
    result_free(&r);
    run_env(&r, "OMPI_COMM_WORLD_SIZE=2",
            ARGS(RESTARTS, "--shard", "1/2", "--results", "l.tsv"));
    assert_int_equal(r.code, 0);
    result_free(&r);
    /* --help still works there */
    run_env(&r, "PMI_SIZE=2", ARGS("grid", "--help"));
    assert_int_equal(r.code, 0);
    result_free(&r);
    expect_failure(ARGS(RESTARTS, "--shard", "1/2"), 2, "--results");
    expect_failure(ARGS(RESTARTS, "--shard", "2/2", "--results", "x.tsv"), 2,
                   "--shard");
}

/* ---------------------------------------------------------------- */
/* fsnsa-mpi under mpirun                                            */
/* ---------------------------------------------------------------- */

/* fsnsa-mpi (built when mpicc is installed: FSNSA_MPI_BIN) and mpirun,
 * or NULL after printing why the MPI tests skip. */
static const char *mpi_bin(void)
{
    const char *bin = getenv("FSNSA_MPI_BIN");
    if (bin == NULL || access(bin, X_OK) != 0) {
        print_message("skipped: no fsnsa-mpi (make MPI=1 needs mpicc: "
                      "Debian libopenmpi-dev)\n");
        return NULL;
    }
    if (system("command -v mpirun >/dev/null 2>&1") != 0) {
        print_message("skipped: no mpirun (Debian openmpi-bin)\n");
        return NULL;
    }
    return bin;
}

/* timeout 120 mpirun -np N (oversubscribed: 2 cores here) fsnsa-mpi */
#define MPIRUN(np, bin)                                                     \
    ARGS("timeout", "120", "mpirun", "--oversubscribe",                     \
         "--allow-run-as-root", "-np", np, bin)

/* One process's results (plain fsnsa, one thread) against fsnsa-mpi on
 * 1, 2 and 4 ranks: the same table, the same job lines (superset: hit
 * time's ranks may finish runs beyond the deciding prefix, as threads
 * do), and a rerun on the finished file trains nothing. */
static void check_mpi(const char *bin, const char *const *base, int sec,
                      int sec_final, int superset)
{
    char *ref = run_ok(base, ARGS("--results", "ref.tsv", "--threads", "1"),
                       0);
    char *want = job_lines("ref.tsv", sec, sec_final);
    static const char *const nps[] = {"1", "2", "4"};
    for (size_t k = 0; k < 3; k++) {
        remove(path_in("mpi.tsv"));
        char *out = run_with(MPIRUN(nps[k], bin), base,
                             ARGS("--results", "mpi.tsv", "--threads", "1"),
                             0);
        assert_string_equal(out, ref);
        free(out);
        char *got = job_lines("mpi.tsv", sec, sec_final);
        if (superset)
            assert_true(lines_within(want, got));
        else
            assert_string_equal(got, want);
        free(got);
    }
    size_t before = count_lines("mpi.tsv");
    char *again = run_with(MPIRUN("2", bin), base,
                           ARGS("--results", "mpi.tsv"), 0);
    assert_string_equal(again, ref);
    assert_int_equal(count_lines("mpi.tsv"), before);
    free(again);
    free(want);
    free(ref);
    remove(path_in("ref.tsv"));
    remove(path_in("mpi.tsv"));
}

static void test_mpi_same_results(void **state)
{
    (void)state;
    const char *bin = mpi_bin();
    if (bin == NULL)
        skip();
    check_mpi(bin, ARGS(RESTARTS), 6, 6, 0);
    check_mpi(bin, ARGS("hittime", "--xor", "2", "--ps", "2,3", "--n", "200",
                        "--hidden", "8", "--epochs", "20", "--lr", "0.05",
                        "--runs", "16", "--hits", "3"), 4, 4, 1);
    check_mpi(bin, ARGS("grid", "--xor", "2", "--p", "4", "--n", "200",
                        "--grid-hidden", "4,8", "--grid-l2", "0.001,0.01",
                        "--grid-batch", "32", "--sizes", "2:4", "--repeats",
                        "2", "--folds", "2", "--retrains", "2", "--epochs",
                        "20", "--lr", "0.05", "--start-hidden", "16", "-q"),
              3, 7, 0);
    /* fewer jobs than ranks */
    check_mpi(bin, ARGS("restarts", "--xor", "2", "--p", "3", "--n", "100",
                        "--test-n", "0", "--hidden", "4", "--epochs", "3",
                        "--restarts", "2"), 6, 6, 0);
}

/* SIGKILL to pid and all its descendants (mpirun puts its ranks in
 * process groups of their own, and they outlive it for a while). */
static void kill_tree(pid_t pid)
{
    DIR *d = opendir("/proc");
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char p[300], buf[512];
        snprintf(p, sizeof p, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(p, "r");
        if (f == NULL)
            continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        const char *rp = strrchr(buf, ')'); /* the name may hold spaces */
        int child, ppid;
        char stt;
        if (rp != NULL && sscanf(buf, "%d", &child) == 1 &&
            sscanf(rp + 1, " %c %d", &stt, &ppid) == 2 && ppid == pid)
            kill_tree(child);
    }
    closedir(d);
    kill(pid, SIGKILL);
}

/* Killing mpirun and its ranks (SIGKILL) at random moments and rerunning
 * loses and duplicates no job. */
static void test_mpi_kill_and_resume(void **state)
{
    (void)state;
    const char *bin = mpi_bin();
    if (bin == NULL)
        skip();
    const char *const *base = ARGS(
        "restarts", "--xor", "2", "--p", "4", "--n", "400", "--test-n", "0",
        "--hidden", "16", "--epochs", "60", "--restarts", "160", "-q");
    char *ref = run_ok(base, ARGS("--results", "kref.tsv", "--threads", "2"),
                       0);
    free(ref);
    srand((unsigned)time(NULL));
    int killed = 0;
    for (int round = 0; round < 4; round++) {
        const char *args[MAX_ARGS + 1];
        join(args, base, ARGS("--results", "kill.tsv", "--threads", "1"));
        pid_t pid = start(NULL, MPIRUN("4", bin), args);
        /* MPI's start takes ~1 s here, the sweep ~2 s more */
        long ms = 600 + rand() % 1600;
        struct timespec t = {ms / 1000, ms % 1000 * 1000000L};
        nanosleep(&t, NULL);
        kill_tree(pid);
        killed++;
        result r;
        finish(&r, pid);
        result_free(&r);
        /* the ranks die with their process group; wait until the lock
         * on the job file is free */
        for (int i = 0; i < 50; i++) {
            int fd = open(path_in("kill.tsv"), O_RDWR);
            struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
            int free_now = fd < 0 || fcntl(fd, F_SETLK, &fl) == 0;
            if (fd >= 0)
                close(fd);
            if (free_now)
                break;
            nanosleep(&(struct timespec){0, 100000000L}, NULL);
        }
        struct stat st;
        print_message("killed after %ld ms: %zu jobs in the file\n", ms,
                      stat(path_in("kill.tsv"), &st) == 0
                          ? count_lines("kill.tsv") - 1 : 0);
    }
    assert_true(killed > 0);
    char *out = run_with(MPIRUN("4", bin), base,
                         ARGS("--results", "kill.tsv", "--threads", "1"), 0);
    free(out);
    char *a = job_lines("kref.tsv", 6, 6), *b = job_lines("kill.tsv", 6, 6);
    assert_string_equal(a, b); /* each job once, none lost */
    assert_int_equal(count_lines("kill.tsv"), 161);
    free(a);
    free(b);
}

/* The plain fsnsa under a real mpirun refuses instead of running the
 * sweep on every rank. */
static void test_plain_binary_under_mpirun(void **state)
{
    (void)state;
    if (mpi_bin() == NULL)
        skip();
    const char *args[MAX_ARGS + 1];
    join(args, ARGS(RESTARTS), ARGS("--results", "plain.tsv"));
    const char *const prefix[] = {"timeout", "120", "mpirun",
                                  "--oversubscribe", "--allow-run-as-root",
                                  "-np", "2", tu_bin(), NULL};
    result r;
    finish(&r, start(NULL, prefix, args));
    assert_int_not_equal(r.code, 0);
    assert_non_null(strstr(r.err, "OMPI_COMM_WORLD_SIZE=2"));
    result_free(&r);
    struct stat st;
    assert_int_equal(stat(path_in("plain.tsv"), &st), -1);
}

int main(void)
{
    dir = tu_scratch_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refuses_under_launcher),
        cmocka_unit_test(test_restarts_shards),
        cmocka_unit_test(test_hittime_shards),
        cmocka_unit_test(test_grid_shards),
        cmocka_unit_test(test_merge_refuses_other_sweeps),
        cmocka_unit_test(test_merge_duplicates_and_conflicts),
        cmocka_unit_test(test_mpi_same_results),
        cmocka_unit_test(test_mpi_kill_and_resume),
        cmocka_unit_test(test_plain_binary_under_mpirun),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

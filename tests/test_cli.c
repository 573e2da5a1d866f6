/* The fsnsa command, run as a user would: every error path gives a
 * message on stderr, the right exit code and no output file; the happy
 * paths produce what docs/cli.md promises. Also unit tests of the strict
 * option parsers (pure functions, included from cli/options.c). */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

#include "../cli/options.c"

/* ---------------------------------------------------------------- */
/* Running the command                                               */
/* ---------------------------------------------------------------- */

static char dir[256]; /* scratch directory; also the command's cwd */

typedef struct {
    int code; /* exit code, or 128 + signal */
    char *out;
    char *err;
} run_result;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, len = 0, got;
    char *s = malloc(cap + 1);
    assert_non_null(s);
    while ((got = fread(s + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            s = realloc(s, cap + 1);
            assert_non_null(s);
        }
    }
    fclose(f);
    s[len] = '\0';
    return s;
}

/* A path inside the scratch directory (a few rotating buffers). */
static const char *fp(const char *name)
{
    static char buf[8][512];
    static int next;
    char *b = buf[next++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", dir, name);
    return b;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Run the binary with the given NULL-terminated arguments in `dir`. */
static void run_argv(run_result *r, const char *const *args)
{
    const char *argv[64];
    size_t n = 0;
    argv[n++] = tu_bin();
    for (; args[n - 1] != NULL; n++) {
        assert_true(n < 63);
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
    char out[600], err[600];
    snprintf(out, sizeof out, "%s/.stdout", dir);
    snprintf(err, sizeof err, "%s/.stderr", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 ||
            dup2(e, 2) < 0 || chdir(dir) != 0)
            _exit(127);
        alarm(600); /* a hung command fails the test instead of the CI */
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        assert_int_equal(errno, EINTR);
    r->code = WIFEXITED(status) ? WEXITSTATUS(status)
                                : 128 + WTERMSIG(status);
    r->out = slurp(out);
    r->err = slurp(err);
    assert_non_null(r->out);
    assert_non_null(r->err);
    unlink(out);
    unlink(err);
}

#define RUN(r, ...)                                              \
    do {                                                         \
        const char *const args_[] = {__VA_ARGS__, NULL};         \
        run_argv((r), args_);                                    \
    } while (0)

static void show(const run_result *r)
{
    print_message("exit %d\n--- stdout\n%.2000s\n--- stderr\n%.2000s\n",
                  r->code, r->out, r->err);
}

static void expect_code(const run_result *r, int code)
{
    if (r->code != code)
        show(r);
    assert_int_equal(r->code, code);
}

/* Failure: the code, one "fsnsa CMD: " message on stderr containing
 * `what` (if given), nothing on stdout. */
static void expect_error(const run_result *r, int code, const char *cmd,
                         const char *what)
{
    expect_code(r, code);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "fsnsa %s: ", cmd);
    if (strncmp(r->err, prefix, strlen(prefix)) != 0 ||
        (what != NULL && strstr(r->err, what) == NULL)) {
        print_message("expected '%s...%s'\n", prefix, what ? what : "");
        show(r);
        fail();
    }
    assert_string_equal(r->out, "");
}

/* No temporary output file (*.tmp.PID) may survive a run. */
static void expect_no_temp_files(void)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".tmp.") != NULL) {
            print_message("left behind: %s\n", e->d_name);
            fail();
        }
    }
    closedir(d);
}

/* "NAME:LINE:COL:" somewhere in the message. */
static int names_place(const char *msg, const char *name)
{
    for (const char *p = strstr(msg, name); p != NULL;
         p = strstr(p + 1, name)) {
        const char *q = p + strlen(name);
        if (*q++ != ':' || !isdigit((unsigned char)*q))
            continue;
        while (isdigit((unsigned char)*q))
            q++;
        if (*q++ != ':' || !isdigit((unsigned char)*q))
            continue;
        while (isdigit((unsigned char)*q))
            q++;
        if (*q == ':')
            return 1;
    }
    return 0;
}

static void write_in_dir(const char *name, const char *text)
{
    FILE *f = fopen(fp(name), "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* A file that must survive a failed run unchanged. */
#define SENTINEL "precious: a failed run must not replace this\n"

static void expect_sentinel(const char *name)
{
    char *s = slurp(fp(name));
    assert_non_null(s);
    assert_string_equal(s, SENTINEL);
    free(s);
}

/* Value after "key " in text, NaN if absent. */
static double value_after(const char *text, const char *key)
{
    const char *p = strstr(text, key);
    if (p == NULL)
        return NAN;
    return strtod(p + strlen(key), NULL);
}

/* ---------------------------------------------------------------- */
/* Fixtures: small XOR data and a model trained once                 */
/* ---------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/fsnsa-cli-%ld-XXXXXX", (long)getpid());
    if (mkdtemp(dir) == NULL)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    /* dir is our own mkdtemp name: safe to remove wholesale. */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* n=500 p=5 k=2 train/test, p=6 data, and a small fsa-nsa model. */
static void fixtures(void)
{
    static int done;
    if (done)
        return;
    run_result r;
    RUN(&r, "xor", "--n", "500", "--p", "5", "--k", "2", "-o",
        fp("small.csv"));
    expect_code(&r, 0);
    run_free(&r);
    RUN(&r, "xor", "--n", "300", "--p", "5", "--k", "2", "--test", "-o",
        fp("small-test.csv"));
    expect_code(&r, 0);
    run_free(&r);
    RUN(&r, "xor", "--n", "200", "--p", "6", "--k", "2", "-o",
        fp("wide.csv"));
    expect_code(&r, 0);
    run_free(&r);
    RUN(&r, "train", "-q", "--epochs", "20", "--start-hidden", "64",
        "--hidden", "16", "--features", "2", fp("small.csv"),
        fp("small.model"));
    expect_code(&r, 0);
    run_free(&r);
    done = 1;
}

/* ---------------------------------------------------------------- */
/* Option parsers (pure functions)                                   */
/* ---------------------------------------------------------------- */

static void test_parse_int(void **state)
{
    (void)state;
    cli_msg m;
    long long v = -7;
    assert_null(cli_parse_int("12", 1, 1000000, &v, &m));
    assert_int_equal(v, 12);
    assert_null(cli_parse_int("-3", -5, 5, &v, &m));
    assert_int_equal(v, -3);
    assert_string_equal(cli_parse_int("12x", 1, 1000000, &v, &m),
                        "expected an integer in [1, 1000000], got '12x'");
    assert_int_equal(v, -3); /* untouched on error */
    const char *bad[] = {"", " 5", "5 ", "0x10", "1e3", "1.0", "+", "-",
                         "0", "1000001", "99999999999999999999999", "５"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_non_null(cli_parse_int(bad[i], 1, 1000000, &v, &m));
    assert_non_null(cli_parse_int(NULL, 1, 2, &v, &m));
}

static void test_parse_u64(void **state)
{
    (void)state;
    cli_msg m;
    uint64_t v = 0;
    assert_null(cli_parse_u64("18446744073709551615", 0, UINT64_MAX, &v, &m));
    assert_true(v == UINT64_MAX);
    assert_null(cli_parse_u64("0", 0, UINT64_MAX, &v, &m));
    assert_true(v == 0);
    /* strtoull would wrap "-1" to 2^64-1 */
    assert_non_null(cli_parse_u64("-1", 0, UINT64_MAX, &v, &m));
    assert_non_null(cli_parse_u64("+1", 0, UINT64_MAX, &v, &m));
    assert_non_null(cli_parse_u64("18446744073709551616", 0, UINT64_MAX, &v,
                                  &m));
    assert_non_null(cli_parse_u64("7", 8, 9, &v, &m));
}

static void test_parse_double(void **state)
{
    (void)state;
    cli_msg m;
    double v = 0;
    assert_null(cli_parse_double("0.001", 0, 1, INFINITY, 0, &v, &m));
    assert_true(v == 0.001);
    assert_null(cli_parse_double("1e-4", 0, 0, INFINITY, 0, &v, &m));
    assert_true(v == 1e-4);
    assert_null(cli_parse_double("1e-320", 0, 1, INFINITY, 0, &v, &m));
    assert_string_equal(cli_parse_double("-1", 0, 1, INFINITY, 0, &v, &m),
                        "expected a number > 0, got '-1'");
    assert_string_equal(cli_parse_double("1", 0, 1, 1, 1, &v, &m),
                        "expected a number in (0, 1), got '1'");
    const char *bad[] = {"", "nan", "inf", "-inf", "1e999", "0.1x", " 0.1",
                         "0.1 ", "0", "--1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_non_null(cli_parse_double(bad[i], 0, 1, INFINITY, 0, &v, &m));
}

static void test_parse_choice_batch_delimiter(void **state)
{
    (void)state;
    cli_msg m;
    static const char *const names[] = {"off", "on", NULL};
    int v = -1;
    assert_null(cli_parse_choice("on", names, &v, &m));
    assert_int_equal(v, 1);
    assert_string_equal(cli_parse_choice("ON", names, &v, &m),
                        "expected one of off, on, got 'ON'");
    size_t b = 9;
    assert_null(cli_parse_batch("full", 1000, &b, &m));
    assert_int_equal(b, 0);
    assert_null(cli_parse_batch("32", 1000, &b, &m));
    assert_int_equal(b, 32);
    assert_non_null(cli_parse_batch("0", 1000, &b, &m));
    assert_non_null(cli_parse_batch("Full", 1000, &b, &m));
    char d = 'x';
    assert_null(cli_parse_delimiter("tab", &d, &m));
    assert_int_equal(d, '\t');
    assert_null(cli_parse_delimiter(";", &d, &m));
    assert_int_equal(d, ';');
    assert_null(cli_parse_delimiter("space", &d, &m));
    assert_int_equal(d, ' ');
    assert_non_null(cli_parse_delimiter("ab", &d, &m));
    assert_non_null(cli_parse_delimiter("\"", &d, &m));
    assert_non_null(cli_parse_delimiter("1", &d, &m));
    assert_non_null(cli_parse_delimiter("", &d, &m));
    assert_null(cli_parse_decimal(",", &d, &m));
    assert_int_equal(d, ',');
    assert_null(cli_parse_decimal(".", &d, &m));
    assert_int_equal(d, '.');
    assert_null(cli_parse_decimal("auto", &d, &m));
    assert_int_equal(d, 0);
    assert_non_null(cli_parse_decimal(";", &d, &m));
    assert_non_null(cli_parse_decimal(",,", &d, &m));
    assert_non_null(cli_parse_decimal("", &d, &m));
}

/* Long or binary input is quoted cut and escaped, never overflowing. */
static void test_parse_message_quoting(void **state)
{
    (void)state;
    cli_msg m;
    long long v;
    char big[5000];
    memset(big, '9', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const char *e = cli_parse_int(big, 1, 10, &v, &m);
    assert_non_null(e);
    assert_true(strlen(e) < sizeof m.text);
    assert_non_null(strstr(e, "..."));
    e = cli_parse_int("\x01\xff", 1, 10, &v, &m);
    assert_non_null(strstr(e, "\\x01\\xff"));
}

/* ---------------------------------------------------------------- */
/* Dispatch, help, usage errors                                      */
/* ---------------------------------------------------------------- */

static void test_dispatch(void **state)
{
    (void)state;
    run_result r;
    RUN(&r, "--version");
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, FSNSA_VERSION));
    run_free(&r);

    RUN(&r, "--help");
    expect_code(&r, 0);
    const char *cmds[] = {"train", "predict", "inspect", "xor", "schedule",
                          "help"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        assert_non_null(strstr(r.out, cmds[i]));
    run_free(&r);

    run_argv(&r, (const char *const[]){NULL});
    expect_code(&r, 2);
    assert_non_null(strstr(r.err, "Usage"));
    run_free(&r);

    RUN(&r, "frobnicate");
    expect_code(&r, 2);
    assert_non_null(strstr(r.err, "unknown command 'frobnicate'"));
    assert_string_equal(r.out, "");
    run_free(&r);

    RUN(&r, "--frobnicate");
    expect_code(&r, 2);
    assert_non_null(strstr(r.err, "unknown option"));
    run_free(&r);

    RUN(&r, "help", "nope");
    expect_code(&r, 2);
    run_free(&r);

    /* `fsnsa help CMD` is `fsnsa CMD --help` */
    run_result h;
    RUN(&r, "help", "train");
    RUN(&h, "train", "--help");
    expect_code(&r, 0);
    expect_code(&h, 0);
    assert_string_equal(r.out, h.out);
    run_free(&r);
    run_free(&h);
}

static void expect_help(const char *cmd, const char *const *opts)
{
    run_result r;
    RUN(&r, cmd, "--help");
    expect_code(&r, 0);
    assert_string_equal(r.err, "");
    for (size_t i = 0; opts[i] != NULL; i++) {
        if (strstr(r.out, opts[i]) == NULL) {
            print_message("fsnsa %s --help does not mention %s\n", cmd,
                          opts[i]);
            fail();
        }
    }
    run_free(&r);
    /* -h too */
    RUN(&r, cmd, "-h");
    expect_code(&r, 0);
    run_free(&r);
}

static void test_help(void **state)
{
    (void)state;
    static const char *const train[] = {
        "--method", "--hidden", "--start-hidden", "--features", "--epochs",
        "--mu", "--batch", "--lr", "--weight-decay", "--seed", "--shuffle",
        "--init", "--scale", "--format", "--delimiter", "--decimal",
        "--header",
        "--label-column", "--labels-file", "--missing", "--test ",
        "--test-fraction", "--split-seed", "--path", "--quiet", "--verbose",
        "--help", "[fsa-nsa]", "[1024]", "[300]", "[30]", "[32]", "[0.001]",
        "[0.0001]", "[standard]", "[refuse]", "[on]", NULL};
    static const char *const predict[] = {
        "--proba", "--quiet", "--format", "--delimiter", "--decimal",
        "--header",
        "--label-column", "--labels-file", "--missing", "--help", NULL};
    static const char *const inspect[] = {"--json", "--help", NULL};
    static const char *const xor[] = {"--n", "--p", "--k", "--seed",
                                      "--test", "--output", "--help",
                                      "[3000]", "[15]", "[3]", NULL};
    static const char *const schedule[] = {
        "--epochs", "--start-hidden", "--hidden", "--p", "--features", "--mu",
        "--help", "[300]", "[1024]", "[128]", "[15]", "[3]", "[30]", NULL};
    expect_help("train", train);
    expect_help("predict", predict);
    expect_help("inspect", inspect);
    expect_help("xor", xor);
    expect_help("schedule", schedule);
}

static void test_usage_errors(void **state)
{
    (void)state;
    fixtures();
    const char *data = fp("small.csv");
    const char *model = fp("usage.model");
    run_result r;
    struct {
        const char *const args[8];
        const char *cmd, *what;
    } cases[] = {
        {{"train", "--bogus", data, model}, "train", "unknown option '--bogus'"},
        {{"train", "-Z", data, model}, "train", "unknown option '-Z'"},
        {{"train", "--s", "3", data, model}, "train",
         "option '--s' is ambiguous: --start-hidden, --seed, --shuffle, "
         "--scale, --split-seed"},
        {{"train", data, model, "--epochs"}, "train", "'--epochs' needs a value"},
        {{"train", "--epochs", "12x", data, model}, "train",
         "--epochs: expected an integer in [1, 1000000], got '12x'"},
        {{"train", "--epochs", "0", data, model}, "train", "--epochs"},
        {{"train", "--lr", "-1", data, model}, "train",
         "--lr: expected a number > 0, got '-1'"},
        {{"train", "--lr", "nan", data, model}, "train", "--lr"},
        {{"train", "--batch", "0", data, model}, "train", "--batch"},
        {{"train", "--batch", "-5", data, model}, "train", "--batch"},
        {{"train", "--method", "sparse", data, model}, "train", "--method"},
        {{"train", "--shuffle", "maybe", data, model}, "train", "--shuffle"},
        {{"train", "--scale", "log", data, model}, "train", "--scale"},
        {{"train", "--missing", "drop", data, model}, "train", "--missing"},
        {{"train", "--format", "xlsx", data, model}, "train", "--format"},
        {{"train", "--header", "maybe", data, model}, "train", "--header"},
        {{"train", "--delimiter", "ab", data, model}, "train", "--delimiter"},
        {{"train", "--seed", "-1", data, model}, "train", "--seed"},
        {{"train", "--test-fraction", "1", data, model}, "train",
         "--test-fraction"},
        {{"train", "--test-fraction", "0.2", "--test", data, data, model},
         "train", "exclude"},
        {{"train", "--hidden", "2000", "--method", "nsa", data, model},
         "train", "--start-hidden"},
        {{"train"}, "train", "missing the DATA"},
        {{"train", data, model, "extra"}, "train", "unexpected argument"},
        {{"train", data, data}, "train", "overwrite"},
        {{"predict", fp("small.model")}, "predict", "missing the DATA"},
        {{"predict"}, "predict", "missing the MODEL"},
        {{"predict", "--bogus", fp("small.model"), data}, "predict",
         "unknown option"},
        {{"predict", fp("small.model"), data, data}, "predict", "overwrite"},
        {{"inspect"}, "inspect", "missing the MODEL"},
        {{"inspect", "--yaml", fp("small.model")}, "inspect",
         "unknown option"},
        {{"xor", "--n", "abc"}, "xor", "--n: expected an integer"},
        {{"xor", "--k", "6", "--p", "5"}, "xor", "--k 6 is more than --p 5"},
        {{"xor", "extra"}, "xor", "unexpected argument"},
        {{"xor", "-o"}, "xor", "'-o' needs a value"},
        {{"schedule", "--mu", "nan"}, "schedule", "--mu"},
        {{"schedule", "--hidden", "2048"}, "schedule", "--start-hidden"},
        {{"schedule", "--features", "16"}, "schedule", "--p"},
        {{"schedule", "--epochs", "1e3"}, "schedule", "--epochs"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_argv(&r, cases[i].args);
        print_message("case %zu: %s\n", i, cases[i].what);
        expect_error(&r, 2, cases[i].cmd, cases[i].what);
        run_free(&r);
        assert_false(exists(model));
    }
    expect_no_temp_files();
}

/* ---------------------------------------------------------------- */
/* Data and model errors: exit 1, message, nothing written           */
/* ---------------------------------------------------------------- */

static void test_missing_data_file(void **state)
{
    (void)state;
    run_result r;
    RUN(&r, "train", "-q", fp("no-such-file.csv"), fp("m1.model"));
    expect_error(&r, 1, "train", "no-such-file.csv");
    run_free(&r);
    assert_false(exists(fp("m1.model")));

    fixtures();
    RUN(&r, "predict", fp("small.model"), fp("no-such-file.csv"),
        fp("p1.txt"));
    expect_error(&r, 1, "predict", "no-such-file.csv");
    run_free(&r);
    assert_false(exists(fp("p1.txt")));

    RUN(&r, "predict", fp("no-such.model"), fp("small.csv"), fp("p1.txt"));
    expect_error(&r, 1, "predict", "no-such.model");
    run_free(&r);
    RUN(&r, "inspect", fp("no-such.model"));
    expect_error(&r, 1, "inspect", "no-such.model");
    run_free(&r);
    assert_false(exists(fp("p1.txt")));
    expect_no_temp_files();
}

static void test_bad_data_file(void **state)
{
    (void)state;
    write_in_dir("ragged.csv", "a,b,y\n1,2,0\n3,4\n5,6,1\n");
    write_in_dir("bad.svm", "1 1:0.5 2:1\n0 0:1.5\n");
    write_in_dir("binary.csv", "a,b,y\n1,\x01\x02\x03,0\n");
    write_in_dir("bad.model", SENTINEL);
    const char *files[] = {"ragged.csv", "bad.svm", "binary.csv"};
    for (size_t i = 0; i < 3; i++) {
        run_result r;
        RUN(&r, "train", "-q", "--epochs", "2", fp(files[i]),
            fp("bad.model"));
        expect_error(&r, 1, "train", NULL);
        if (!names_place(r.err, files[i])) {
            print_message("no %s:LINE:COLUMN: in the message\n", files[i]);
            show(&r);
            fail();
        }
        run_free(&r);
        expect_sentinel("bad.model"); /* not clobbered */
    }
    write_in_dir("empty.csv", "");
    run_result r;
    RUN(&r, "train", "-q", fp("empty.csv"), fp("bad.model"));
    expect_error(&r, 1, "train", "empty.csv");
    run_free(&r);
    expect_sentinel("bad.model");

    /* a bad --test file stops the run before any model is written */
    fixtures();
    RUN(&r, "train", "-q", "--epochs", "2", "--test", fp("ragged.csv"),
        fp("small.csv"), fp("bad.model"));
    expect_error(&r, 1, "train", "ragged.csv");
    run_free(&r);
    expect_sentinel("bad.model");

    /* a number column holding text, at predict time */
    write_in_dir("badp.csv", "x0,x1,x2,x3,x4,y\n0.1,abc,0.2,0.3,0.4,1\n");
    write_in_dir("badp.out", SENTINEL);
    RUN(&r, "predict", fp("small.model"), fp("badp.csv"), fp("badp.out"));
    expect_error(&r, 1, "predict", NULL);
    assert_true(names_place(r.err, "badp.csv"));
    run_free(&r);
    expect_sentinel("badp.out");
    expect_no_temp_files();
}

static void test_features_more_than_p(void **state)
{
    (void)state;
    fixtures();
    run_result r;
    RUN(&r, "train", "-q", "--epochs", "2", "--features", "6",
        fp("small.csv"), fp("f6.model"));
    expect_error(&r, 2, "train", "--features 6");
    run_free(&r);
    assert_false(exists(fp("f6.model")));
    expect_no_temp_files();
}

static void test_predict_mismatched_columns(void **state)
{
    (void)state;
    fixtures();
    write_in_dir("mismatch.out", SENTINEL);
    run_result r;
    RUN(&r, "predict", fp("small.model"), fp("wide.csv"),
        fp("mismatch.out"));
    expect_error(&r, 1, "predict", NULL);
    run_free(&r);
    expect_sentinel("mismatch.out");
    RUN(&r, "predict", fp("small.model"), fp("wide.csv"), fp("new.out"));
    expect_error(&r, 1, "predict", NULL);
    run_free(&r);
    assert_false(exists(fp("new.out")));
    expect_no_temp_files();
}

static void copy_file(const char *from, const char *to, long cut,
                      long flip)
{
    char *s = NULL;
    FILE *f = fopen(from, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    if (cut >= 0 && cut < n)
        n = cut;
    if (flip >= 0 && flip < n)
        s[flip] ^= 0x04;
    f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    free(s);
}

static void test_damaged_model(void **state)
{
    (void)state;
    fixtures();
    struct stat st;
    assert_int_equal(stat(fp("small.model"), &st), 0);
    long size = (long)st.st_size;
    struct {
        long cut, flip;
    } damage[] = {{size / 2, -1}, {0, -1}, {-1, size / 2}, {-1, size - 10},
                  {-1, 2}};
    write_in_dir("damaged.out", SENTINEL);
    for (size_t i = 0; i < sizeof damage / sizeof damage[0]; i++) {
        copy_file(fp("small.model"), fp("damaged.model"), damage[i].cut,
                  damage[i].flip);
        run_result r;
        RUN(&r, "predict", fp("damaged.model"), fp("small-test.csv"),
            fp("damaged.out"));
        print_message("damage %zu\n", i);
        expect_error(&r, 1, "predict", "damaged.model");
        run_free(&r);
        expect_sentinel("damaged.out");
        RUN(&r, "inspect", fp("damaged.model"));
        expect_error(&r, 1, "inspect", "damaged.model");
        run_free(&r);
        RUN(&r, "train", "-q", "--epochs", "2", "--init", fp("damaged.model"),
            fp("small.csv"), fp("damaged.out"));
        expect_error(&r, 1, "train", "damaged.model");
        run_free(&r);
        expect_sentinel("damaged.out");
    }
    /* not a model at all */
    run_result r;
    RUN(&r, "inspect", fp("small.csv"));
    expect_error(&r, 1, "inspect", "small.csv");
    run_free(&r);
    expect_no_temp_files();
}

static void test_init_mismatch(void **state)
{
    (void)state;
    fixtures();
    run_result r;
    RUN(&r, "train", "-q", "--epochs", "2", "--init", fp("small.model"),
        fp("wide.csv"), fp("init.model"));
    expect_error(&r, 1, "train", NULL);
    run_free(&r);
    assert_false(exists(fp("init.model")));
    write_in_dir("init.model", SENTINEL);
    RUN(&r, "train", "-q", "--epochs", "2", "--init", fp("small.model"),
        fp("wide.csv"), fp("init.model"));
    expect_error(&r, 1, "train", NULL);
    run_free(&r);
    expect_sentinel("init.model");
    expect_no_temp_files();
}

static void test_missing_values(void **state)
{
    (void)state;
    char text[4096] = "a,b,y\n";
    for (int i = 0; i < 40; i++) {
        char line[64];
        if (i == 7)
            snprintf(line, sizeof line, "?,%d,%d\n", i % 5, i % 2);
        else
            snprintf(line, sizeof line, "%d,%d,%d\n", i, i % 5, i % 2);
        strcat(text, line);
    }
    write_in_dir("holes.csv", text);
    run_result r;
    RUN(&r, "train", "-q", "--epochs", "2", "--method", "dense", "--hidden",
        "4", fp("holes.csv"), fp("holes.model"));
    expect_error(&r, 1, "train", NULL);
    assert_true(names_place(r.err, "holes.csv"));
    run_free(&r);
    assert_false(exists(fp("holes.model")));
    RUN(&r, "train", "-q", "--epochs", "2", "--method", "dense", "--hidden",
        "4", "--missing", "mean", fp("holes.csv"), fp("holes.model"));
    expect_code(&r, 0);
    run_free(&r);
    assert_true(exists(fp("holes.model")));
    /* predict imputes the same way, as the model was trained */
    RUN(&r, "predict", "-q", fp("holes.model"), fp("holes.csv"),
        fp("holes.out"));
    expect_code(&r, 0);
    run_free(&r);
}

/* ---------------------------------------------------------------- */
/* Happy paths                                                       */
/* ---------------------------------------------------------------- */

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_xor_output(void **state)
{
    (void)state;
    run_result a, b, t;
    RUN(&a, "xor", "--n", "4", "--p", "3", "--k", "2", "--seed", "7");
    expect_code(&a, 0);
    assert_string_equal(a.err, "");
    assert_int_equal(strncmp(a.out, "x0,x1,x2,y\n", 11), 0);
    assert_int_equal(count_lines(a.out), 5);
    /* labels follow Eq. 1 and values lie in [-1, 1] */
    const char *p = strchr(a.out, '\n') + 1;
    for (int i = 0; i < 4; i++) {
        char *end;
        double x0 = strtod(p, &end);
        double x1 = strtod(end + 1, &end);
        double x2 = strtod(end + 1, &end);
        long y = strtol(end + 1, &end, 10);
        assert_true(fabs(x0) <= 1 && fabs(x1) <= 1 && fabs(x2) <= 1);
        assert_int_equal(y, x0 * x1 > 0);
        p = end + 1;
    }
    /* nested: a larger request starts with the same values */
    RUN(&b, "xor", "--n", "8", "--p", "3", "--k", "2", "--seed", "7", "-o",
        fp("xor8.csv"));
    expect_code(&b, 0);
    assert_string_equal(b.out, "");
    char *f = slurp(fp("xor8.csv"));
    assert_non_null(f);
    assert_int_equal(count_lines(f), 9);
    assert_int_equal(strncmp(f, a.out, strlen(a.out)), 0);
    free(f);
    /* the test pool differs from the training pool */
    RUN(&t, "xor", "--n", "4", "--p", "3", "--k", "2", "--seed", "7",
        "--test");
    expect_code(&t, 0);
    assert_string_not_equal(t.out, a.out);
    run_free(&a);
    run_free(&b);
    run_free(&t);
    expect_no_temp_files();
}

static void test_train_predict_inspect(void **state)
{
    (void)state;
    fixtures();
    run_result r;
    RUN(&r, "train", "--verbose", "--epochs", "20", "--start-hidden", "64",
        "--hidden", "16", "--features", "2", "--test", fp("small-test.csv"),
        "--path", fp("path.tsv"), fp("small.csv"), fp("tpi.model"));
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "model  "));
    assert_non_null(strstr(r.out, "method fsa-nsa  features 2 of 5"));
    assert_non_null(strstr(r.out, "selected "));
    assert_non_null(strstr(r.out, "train  rows 500"));
    assert_non_null(strstr(r.out, "test   rows 300"));
    assert_non_null(strstr(r.err, "epoch 1/20  nodes "));
    assert_non_null(strstr(r.err, "epoch 20/20  nodes 16  features 2  loss "));
    run_free(&r);
    assert_true(exists(fp("tpi.model")));
    char *path = slurp(fp("path.tsv"));
    assert_non_null(path);
    assert_int_equal(count_lines(path), 21);
    assert_int_equal(strncmp(path, "epoch\tnodes\tfeatures\tloss\tseconds\t"
                                   "feature_ids\n1\t64\t5\t", 43), 0);
    free(path);

    /* predict into a file: summary on stdout */
    RUN(&r, "predict", fp("tpi.model"), fp("small-test.csv"),
        fp("pred.txt"));
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "rows 300  accuracy "));
    assert_non_null(strstr(r.out, "confusion matrix"));
    assert_false(isnan(value_after(r.out, "AUC ")));
    run_free(&r);
    char *pred = slurp(fp("pred.txt"));
    assert_non_null(pred);
    assert_int_equal(count_lines(pred), 300);
    assert_true(pred[0] == '0' || pred[0] == '1');
    free(pred);

    /* predictions on stdout: the summary moves to stderr */
    RUN(&r, "predict", "--proba", fp("tpi.model"), fp("small-test.csv"));
    expect_code(&r, 0);
    assert_int_equal(strncmp(r.out, "predicted\t0\t1\n", 14), 0);
    assert_int_equal(count_lines(r.out), 301);
    assert_non_null(strstr(r.err, "accuracy"));
    run_free(&r);

    RUN(&r, "predict", "-q", fp("tpi.model"), fp("small-test.csv"), "-");
    expect_code(&r, 0);
    assert_int_equal(count_lines(r.out), 300);
    assert_string_equal(r.err, "");
    run_free(&r);

    RUN(&r, "inspect", fp("tpi.model"));
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "method       fsa-nsa\n"));
    assert_non_null(strstr(r.out, "features     2 of 5\n"));
    assert_non_null(strstr(r.out, "nodes        16\n"));
    assert_non_null(strstr(r.out, "rank  relevance  column  feature\n"));
    assert_non_null(strstr(r.out, "\n   1  "));
    assert_non_null(strstr(r.out, "\n   2  "));
    assert_null(strstr(r.out, "\n   3  "));
    run_free(&r);

    RUN(&r, "inspect", "--json", fp("tpi.model"));
    expect_code(&r, 0);
    assert_int_equal(r.out[0], '{');
    assert_non_null(strstr(r.out, "\"method\": \"fsa-nsa\""));
    assert_non_null(strstr(r.out, "\"selected\": [{\"rank\": 1"));
    run_free(&r);

    /* warm start, also onto the --init model itself */
    RUN(&r, "train", "-q", "--epochs", "3", "--init", fp("tpi.model"),
        fp("small.csv"), fp("tpi.model"));
    expect_code(&r, 0);
    assert_string_equal(r.out, "");
    run_free(&r);
    expect_no_temp_files();
}

static void test_train_defaults_and_methods(void **state)
{
    (void)state;
    fixtures();
    run_result r;
    /* MODEL defaults to DATA's base name + .model in the current dir */
    RUN(&r, "train", "-q", "--epochs", "3", "--start-hidden", "32",
        "--hidden", "8", "small.csv");
    expect_code(&r, 0);
    run_free(&r);
    assert_true(exists(fp("small.csv.model")));
    /* --features not given: half of the columns, said on stderr */
    RUN(&r, "train", "--epochs", "3", "--start-hidden", "32", "--hidden",
        "8", "--test-fraction", "0.2", "--split-seed", "3", "small.csv",
        "half.model");
    expect_code(&r, 0);
    assert_non_null(strstr(r.err, "keeping 3 of 5 features"));
    assert_non_null(strstr(r.out, "features 3 of 5"));
    assert_non_null(strstr(r.out, "train  rows 400"));
    assert_non_null(strstr(r.out, "test   rows 100"));
    run_free(&r);
    const char *methods[] = {"dense", "nsa", "fsa"};
    for (int i = 0; i < 3; i++) {
        RUN(&r, "train", "--epochs", "3", "--start-hidden", "32", "--hidden",
            "8", "--features", "2", "--method", methods[i], "--batch",
            i == 0 ? "full" : "16", "--shuffle", i == 1 ? "off" : "on",
            "--scale", i == 2 ? "minmax" : "none", "small.csv", "m.model");
        expect_code(&r, 0);
        char want[64];
        snprintf(want, sizeof want, "method %s  features %s of 5  nodes 8",
                 methods[i], i == 2 ? "2" : "5");
        if (strstr(r.out, want) == NULL) {
            show(&r);
            fail();
        }
        run_free(&r);
    }
    expect_no_temp_files();
}

static void test_data_options(void **state)
{
    (void)state;
    /* label first, semicolons, string labels, no header */
    char text[4096] = "";
    for (int i = 0; i < 60; i++) {
        char line[64];
        snprintf(line, sizeof line, "%s;%d;%d\n", i % 3 ? "yes" : "no",
                 i % 3, (i * 7) % 11);
        strcat(text, line);
    }
    write_in_dir("semi.txt", text);
    run_result r;
    RUN(&r, "train", "-q", "--format", "csv", "--delimiter", ";", "--header",
        "no", "--label-column", "first", "--method", "dense", "--hidden", "8",
        "--epochs", "30", "semi.txt", "semi.model");
    expect_code(&r, 0);
    run_free(&r);
    RUN(&r, "predict", "--format", "csv", "--delimiter", ";", "--header",
        "no", "--label-column", "first", "semi.model", "semi.txt",
        "semi.out");
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "yes"));
    assert_non_null(strstr(r.out, "no"));
    run_free(&r);
    char *out = slurp(fp("semi.out"));
    assert_non_null(out);
    assert_int_equal(count_lines(out), 60);
    assert_true(strncmp(out, "yes\n", 4) == 0 || strncmp(out, "no\n", 3) == 0);
    free(out);
}

/* A European spreadsheet export: ';' and decimal commas, read without
 * options (numbers, not 60 one-hot words) and with --decimal. */
static void test_decimal_comma(void **state)
{
    (void)state;
    char text[4096] = "Gewicht;H\xc3\xb6he;Klasse\n";
    for (int i = 0; i < 60; i++) {
        char line[64];
        snprintf(line, sizeof line, "%d,%02d;-%d,5;%s\n", i % 7, (i * 37) % 100,
                 i % 5, i % 2 ? "ja" : "nein");
        strcat(text, line);
    }
    write_in_dir("komma.csv", text);
    run_result r;
    RUN(&r, "train", "-q", "--method", "dense", "--hidden", "8", "--epochs",
        "5", "komma.csv", "komma.model");
    expect_code(&r, 0);
    run_free(&r);
    RUN(&r, "inspect", "komma.model");
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "inputs       2 encoded columns from 2 "
                                  "data columns\n"));
    run_free(&r);
    RUN(&r, "predict", "--decimal", ",", "komma.model", "komma.csv",
        "komma.out");
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "rows 60  accuracy "));
    run_free(&r);
    /* '.': the commas make words, so one-hot columns of them */
    RUN(&r, "train", "-q", "--method", "dense", "--hidden", "8", "--epochs",
        "1", "--decimal", ".", "komma.csv", "punkt.model");
    expect_code(&r, 0);
    run_free(&r);
    RUN(&r, "inspect", "punkt.model");
    expect_code(&r, 0);
    assert_null(strstr(r.out, "inputs       2 encoded"));
    run_free(&r);
    RUN(&r, "train", "--decimal", ",", "--delimiter", ",", "komma.csv",
        "komma2.model");
    expect_error(&r, 1, "train", "decimal commas need a delimiter other "
                                 "than ','");
    run_free(&r);
    RUN(&r, "train", "--decimal", "comma", "komma.csv", "komma2.model");
    expect_error(&r, 2, "train",
                 "--decimal: expected '.', ',' or auto, got 'comma'");
    run_free(&r);
    assert_false(exists(fp("komma2.model")));
}

/* A spreadsheet export with cells over several lines trains, and names
 * and classes holding line breaks or tabs stay one field in the reports
 * and in predict's TSV output (escaped). */
static void test_multiline_cells(void **state)
{
    (void)state;
    char text[4096] = "\"sample\nnotes\",dose,\"out\tcome\"\n";
    for (int i = 0; i < 40; i++) {
        char line[96];
        snprintf(line, sizeof line, "%s,%d,%s\n",
                 i % 2 ? "\"late,\nsee log\"" : "early", i % 9,
                 i % 2 ? "\"no\nresponse\"" : "ok");
        strcat(text, line);
    }
    write_in_dir("cells.csv", text);
    run_result r;
    RUN(&r, "train", "--method", "dense", "--hidden", "4", "--epochs", "3",
        "cells.csv", "cells.model");
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "rows 40 "));
    run_free(&r);
    RUN(&r, "inspect", "cells.model");
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "classes      2: ok no\\nresponse\n"));
    assert_non_null(strstr(r.out, "sample\\nnotes=late,\\nsee log\n"));
    run_free(&r);
    RUN(&r, "predict", "--proba", "cells.model", "cells.csv", "cells.tsv");
    expect_code(&r, 0);
    run_free(&r);
    char *out = slurp(fp("cells.tsv"));
    assert_non_null(out);
    assert_int_equal(count_lines(out), 41);
    assert_true(strncmp(out, "predicted\tok\tno\\nresponse\n", 26) == 0);
    free(out);
}

/* ---------------------------------------------------------------- */
/* predict reads data the way the model's training data was read     */
/* ---------------------------------------------------------------- */

/* 120 rows of four numbers and a class that depends on them, as
 * `sep`-separated text: the class first (label_first) or last, numbers
 * with the decimal mark `mark`, after `header` (or none). */
static void write_layout_data(const char *name, const char *header, char sep,
                              char mark, int label_first)
{
    static const char *const cls[] = {"sky", "grass", "path"};
    char *text = malloc(16384);
    assert_non_null(text);
    strcpy(text, header != NULL ? header : "");
    for (int i = 0; i < 120; i++) {
        double v[4] = {(i * 37 % 101) / 10.0, (i * 53 % 97) / 10.0,
                       (i * 17 % 89) / 10.0, (i * 29 % 83) / 10.0};
        const char *c = cls[v[0] + v[1] < 7 ? 0 : v[0] > v[1] ? 1 : 2];
        char nums[4][32], line[160];
        for (int j = 0; j < 4; j++) {
            snprintf(nums[j], sizeof nums[j], "%.1f", v[j]);
            char *dot = strchr(nums[j], '.');
            if (dot != NULL)
                *dot = mark;
        }
        if (label_first)
            snprintf(line, sizeof line, "%s%c%s%c%s%c%s%c%s\n", c, sep,
                     nums[0], sep, nums[1], sep, nums[2], sep, nums[3]);
        else
            snprintf(line, sizeof line, "%s%c%s%c%s%c%s%c%s\n", nums[0], sep,
                     nums[1], sep, nums[2], sep, nums[3], sep, c);
        strcat(text, line);
    }
    write_in_dir(name, text);
    free(text);
}

/* Train on `data` with the data options given (NULL-terminated, up to 6),
 * returning the training accuracy printed. */
static double train_layout(const char *data, const char *model,
                           const char *const *opts)
{
    const char *args[24] = {"train", "--method", "dense", "--hidden", "8",
                            "--epochs", "60", "--lr", "0.01"};
    size_t n = 9;
    for (size_t i = 0; opts != NULL && opts[i] != NULL; i++)
        args[n++] = opts[i];
    args[n++] = data;
    args[n++] = model;
    args[n] = NULL;
    run_result r;
    run_argv(&r, args);
    expect_code(&r, 0);
    double acc = value_after(r.out, "accuracy ");
    assert_false(isnan(acc));
    run_free(&r);
    return acc;
}

/* The accuracy predict reports (exit 0 expected). */
static double predict_accuracy(const run_result *r)
{
    expect_code(r, 0);
    double acc = value_after(r->out, "accuracy ");
    if (isnan(acc))
        show(r);
    assert_false(isnan(acc));
    return acc;
}

/* The case: a file whose label is first (UCI's segmentation
 * layout), trained with --label-column first and predicted with no
 * option, scores as in training; an override reads another layout; a
 * file that does not fit is refused with its place and how it was read. */
static void test_predict_label_first(void **state)
{
    (void)state;
    write_layout_data("first.data", NULL, ',', '.', 1);
    const char *first[] = {"--label-column", "first", NULL};
    double acc = train_layout("first.data", "first.model", first);
    assert_true(acc > 0.8);
    run_result r;
    RUN(&r, "predict", "first.model", "first.data", "first.out");
    assert_true(fabs(predict_accuracy(&r) - acc) < 1e-9);
    run_free(&r);
    char *out = slurp(fp("first.out"));
    assert_non_null(out);
    assert_int_equal(count_lines(out), 120);
    free(out);

    /* the same rows with the label last: told so, read so */
    write_layout_data("last.data", NULL, ',', '.', 0);
    RUN(&r, "predict", "--label-column", "last", "first.model", "last.data",
        "last.out");
    assert_true(fabs(predict_accuracy(&r) - acc) < 1e-9);
    run_free(&r);
    /* not told: the first field is no class */
    RUN(&r, "predict", "first.model", "last.data", "last2.out");
    expect_code(&r, 1);
    assert_true(names_place(r.err, "last.data"));
    assert_non_null(strstr(r.err, "unknown class"));
    assert_non_null(strstr(r.err, "last.data was read with --format csv "
                                  "--delimiter comma --decimal auto --header no "
                                  "--label-column first --missing refuse"));
    assert_false(exists(fp("last2.out")));
    run_free(&r);

    /* another number of fields */
    write_in_dir("six.data", "sky,1,2,3,4,5\ngrass,2,3,4,5,6\n");
    RUN(&r, "predict", "first.model", "six.data", "six.out");
    expect_code(&r, 1);
    assert_true(names_place(r.err, "six.data"));
    assert_non_null(strstr(r.err, "rows have 6 fields"));
    assert_non_null(strstr(r.err, "--label-column first"));
    run_free(&r);

    /* inspect tells how */
    RUN(&r, "inspect", "first.model");
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "\ndata         read with --format csv "
                                  "--delimiter comma --decimal auto --header no "
                                  "--label-column first --missing refuse\n"
                                  "label        field 1 of 5, asked for as "
                                  "first\n"));
    run_free(&r);
    RUN(&r, "inspect", "--json", "first.model");
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "\"read\": {\"format\": \"csv\", "
                                  "\"delimiter\": \",\", \"decimal\": null, "
                                  "\"header\": false, \"fields\": 5, "
                                  "\"label\": \"first\", \"label_field\": 0}"));
    run_free(&r);
}

/* Header, delimiter and decimal mark as detected in training; overrides;
 * a header that names the label otherwise is refused. */
static void test_predict_header_and_marks(void **state)
{
    (void)state;
    write_layout_data("eu.csv", "Klasse;a;b;c;d\n", ';', ',', 1);
    const char *by_name[] = {"--label-column", "Klasse", NULL};
    double acc = train_layout("eu.csv", "eu.model", by_name);
    run_result r;
    RUN(&r, "predict", "eu.model", "eu.csv", "eu.out");
    assert_true(fabs(predict_accuracy(&r) - acc) < 1e-9);
    run_free(&r);
    RUN(&r, "inspect", "eu.model");
    assert_non_null(strstr(r.out, "read with --format csv --delimiter "
                                  "semicolon --decimal , --header yes "
                                  "--label-column 0"));
    assert_non_null(strstr(r.out, "label        'Klasse' in field 1 of 5, "
                                  "asked for as name\n"));
    run_free(&r);

    /* without its header: refused, then read with --header no */
    write_layout_data("eu-bare.csv", NULL, ';', ',', 1);
    RUN(&r, "predict", "eu.model", "eu-bare.csv", "bare.out");
    expect_code(&r, 1);
    assert_true(names_place(r.err, "eu-bare.csv"));
    assert_non_null(strstr(r.err, "--header yes"));
    run_free(&r);
    RUN(&r, "predict", "--header", "no", "eu.model", "eu-bare.csv",
        "bare.out");
    assert_true(fabs(predict_accuracy(&r) - acc) < 1e-9);
    run_free(&r);

    /* the header names another column where the label is */
    write_layout_data("eu-renamed.csv", "Art;a;b;c;d\n", ';', ',', 1);
    RUN(&r, "predict", "eu.model", "eu-renamed.csv", "renamed.out");
    expect_error(&r, 1, "predict", "eu-renamed.csv:1:1: the label column is "
                                   "'Art' here, 'Klasse' in the model");
    run_free(&r);
    RUN(&r, "predict", "--label-column", "Art", "eu.model", "eu-renamed.csv",
        "renamed.out");
    assert_true(fabs(predict_accuracy(&r) - acc) < 1e-9);
    run_free(&r);

    /* decimal points where the model read commas; then told */
    write_layout_data("eu-point.csv", "Klasse;a;b;c;d\n", ';', '.', 1);
    RUN(&r, "predict", "eu.model", "eu-point.csv", "point.out");
    expect_code(&r, 1);
    assert_non_null(strstr(r.err, "decimal"));
    assert_non_null(strstr(r.err, "--decimal ,"));
    run_free(&r);
    RUN(&r, "predict", "--decimal", ".", "eu.model", "eu-point.csv",
        "point.out");
    assert_true(fabs(predict_accuracy(&r) - acc) < 1e-9);
    run_free(&r);

    /* tabs where the model read ';': one field a row */
    write_layout_data("eu.tsv", "Klasse\ta\tb\tc\td\n", '\t', ',', 1);
    RUN(&r, "predict", "eu.model", "eu.tsv", "tsv.out");
    expect_code(&r, 1);
    assert_non_null(strstr(r.err, "--delimiter semicolon"));
    run_free(&r);
    RUN(&r, "predict", "--delimiter", "tab", "eu.model", "eu.tsv", "tsv.out");
    assert_true(fabs(predict_accuracy(&r) - acc) < 1e-9);
    run_free(&r);
}

/* A labels file and a format given at training. */
static void test_predict_labels_file_and_format(void **state)
{
    (void)state;
    char x[8192] = "", y[2048] = "", svm[8192] = "";
    for (int i = 0; i < 80; i++) {
        double a = (i * 37 % 101) / 10.0, b = (i * 53 % 97) / 10.0;
        const char *c = a > b ? "up" : "down";
        char line[96];
        snprintf(line, sizeof line, "%.1f,%.1f\n", a, b);
        strcat(x, line);
        snprintf(line, sizeof line, "%s\n", c);
        strcat(y, line);
        snprintf(line, sizeof line, "%d 1:%.1f 2:%.1f\n", a > b, a, b);
        strcat(svm, line);
    }
    write_in_dir("x.csv", x);
    write_in_dir("y.txt", y);
    write_in_dir("svm.txt", svm);
    const char *labels[] = {"--labels-file", "y.txt", NULL};
    double acc = train_layout("x.csv", "lf.model", labels);
    run_result r;
    /* no labels: predictions only */
    RUN(&r, "predict", "lf.model", "x.csv", "lf.out");
    expect_code(&r, 0);
    assert_string_equal(r.out, "");
    run_free(&r);
    char *out = slurp(fp("lf.out"));
    assert_non_null(out);
    assert_int_equal(count_lines(out), 80);
    free(out);
    RUN(&r, "predict", "--labels-file", "y.txt", "lf.model", "x.csv", "lf.out");
    assert_true(fabs(predict_accuracy(&r) - acc) < 1e-9);
    run_free(&r);

    /* LIBSVM in a .txt file, which the extension would call CSV */
    const char *libsvm[] = {"--format", "libsvm", NULL};
    acc = train_layout("svm.txt", "svm.model", libsvm);
    RUN(&r, "predict", "svm.model", "svm.txt", "svm.out");
    assert_true(fabs(predict_accuracy(&r) - acc) < 1e-9);
    run_free(&r);
}

/* A model of format 1.0 written by fsnsa before the read settings were
 * recorded (tests/fixtures) predicts exactly what that fsnsa predicted. */
static void test_predict_old_model(void **state)
{
    (void)state;
    /* the tests run from the repository root; the command in `dir` */
    char cwd[PATH_MAX], model[PATH_MAX + 64], data[PATH_MAX + 64],
        want[PATH_MAX + 64];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(model, sizeof model, "%s/tests/fixtures/old-1.0.model", cwd);
    snprintf(data, sizeof data, "%s/tests/fixtures/old-model.csv", cwd);
    snprintf(want, sizeof want, "%s/tests/fixtures/old-1.0.predictions", cwd);
    run_result r;
    RUN(&r, "predict", "--proba", model, data, "old.out");
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "rows 48  accuracy 1.0000"));
    run_free(&r);
    char *got = slurp(fp("old.out")), *expected = slurp(want);
    assert_non_null(got);
    assert_non_null(expected);
    assert_string_equal(got, expected);
    free(got);
    free(expected);
    RUN(&r, "inspect", model);
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "data         not recorded (model format "
                                  "1.0)"));
    run_free(&r);
    RUN(&r, "inspect", "--json", model);
    assert_non_null(strstr(r.out, "\"read\": null"));
    run_free(&r);
}

static void test_schedule(void **state)
{
    (void)state;
    run_result r;
    RUN(&r, "schedule", "--epochs", "300", "--start-hidden", "1024",
        "--hidden", "128", "--p", "15", "--features", "3", "--mu", "30");
    expect_code(&r, 0);
    assert_int_equal(strncmp(r.out, "epoch\th_e\tp_e\n1\t1024\t15\n", 23), 0);
    assert_int_equal(count_lines(r.out), 302);
    assert_non_null(strstr(r.out, "\n75\t1024\t15\n"));
    assert_null(strstr(r.out, "\n76\t1024\t"));
    assert_non_null(strstr(r.out, "\n188\t128\t"));
    assert_non_null(strstr(r.out, "\n240\t128\t3\n"));
    assert_non_null(strstr(r.out, "\n300\t128\t3\n"));
    const char *e180 = strstr(r.out, "\n180\t");
    assert_non_null(e180);
    assert_non_null(strstr(e180 + 5, "\t15\n"));
    assert_true(strstr(e180 + 5, "\t15\n") < strchr(e180 + 1, '\n') + 1);
    assert_non_null(strstr(r.out, "\n# nodes 1024 -> 128: pruning from "
                                  "epoch 76 to epoch "));
    assert_non_null(strstr(r.out, "; features 15 -> 3: pruning from epoch "
                                  "181 to epoch "));
    run_result d;
    RUN(&d, "schedule"); /* the defaults are the same, Figure 6 */
    expect_code(&d, 0);
    assert_string_equal(d.out, r.out);
    run_free(&r);
    run_free(&d);
}

/* SIGINT during training: no model, no path file, no temp file. */
static void test_interrupt(void **state)
{
    (void)state;
    fixtures();
    char err[600];
    snprintf(err, sizeof err, "%s/.int-stderr", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int o = open("/dev/null", O_WRONLY);
        if (e < 0 || o < 0 || dup2(e, 2) < 0 || dup2(o, 1) < 0 ||
            chdir(dir) != 0)
            _exit(127);
        alarm(600);
        execl(tu_bin(), tu_bin(), "train", "--verbose", "--epochs", "1000000",
              "--start-hidden", "64", "--hidden", "16", "--features", "2",
              "--path", "int.tsv", "small.csv", "int.model", (char *)NULL);
        _exit(127);
    }
    /* wait for two epochs so training is surely under way */
    int started = 0;
    for (int i = 0; i < 6000 && !started; i++) {
        char *s = slurp(err);
        started = s != NULL && strstr(s, "epoch 2/") != NULL;
        free(s);
        if (!started) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    assert_true(started);
    assert_int_equal(kill(pid, SIGINT), 0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    char *s = slurp(err);
    assert_non_null(strstr(s, "fsnsa train: interrupted after epoch "));
    assert_non_null(strstr(s, "no model written"));
    free(s);
    unlink(err);
    assert_false(exists(fp("int.model")));
    assert_false(exists(fp("int.tsv")));
    expect_no_temp_files();
}

/* The paper's claim through the command: FSA+NSA on 3-D XOR with 12
 * irrelevant features finds {0, 1, 2} with test AUC >= 0.95. */
static void test_end_to_end_xor(void **state)
{
    (void)state;
    if (getenv("FSNSA_SKIP_SLOW") != NULL) {
        skip();
        return;
    }
    run_result r;
    RUN(&r, "xor", "--n", "3000", "--p", "15", "--k", "3", "-o", "e.csv");
    expect_code(&r, 0);
    run_free(&r);
    RUN(&r, "xor", "--n", "3000", "--p", "15", "--k", "3", "--test", "-o",
        "e-test.csv");
    expect_code(&r, 0);
    run_free(&r);
    RUN(&r, "train", "-q", "--method", "fsa-nsa", "--features", "3",
        "--hidden", "128", "--start-hidden", "1024", "--epochs", "300",
        "e.csv", "e.model");
    expect_code(&r, 0);
    run_free(&r);
    RUN(&r, "inspect", "--json", "e.model");
    expect_code(&r, 0);
    for (int j = 0; j < 3; j++) {
        char want[32];
        snprintf(want, sizeof want, "\"column\": %d,", j);
        if (strstr(r.out, want) == NULL) {
            show(&r);
            fail();
        }
    }
    assert_non_null(strstr(r.out, "\"features\": 3,"));
    run_free(&r);
    RUN(&r, "predict", "e.model", "e-test.csv", "e.out");
    expect_code(&r, 0);
    double auc = value_after(r.out, "AUC ");
    print_message("FSA+NSA test AUC %.4f\n", auc);
    if (!(auc >= 0.95))
        show(&r);
    assert_true(auc >= 0.95);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_parse_u64),
        cmocka_unit_test(test_parse_double),
        cmocka_unit_test(test_parse_choice_batch_delimiter),
        cmocka_unit_test(test_parse_message_quoting),
        cmocka_unit_test(test_dispatch),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_missing_data_file),
        cmocka_unit_test(test_bad_data_file),
        cmocka_unit_test(test_features_more_than_p),
        cmocka_unit_test(test_predict_mismatched_columns),
        cmocka_unit_test(test_damaged_model),
        cmocka_unit_test(test_init_mismatch),
        cmocka_unit_test(test_missing_values),
        cmocka_unit_test(test_xor_output),
        cmocka_unit_test(test_train_predict_inspect),
        cmocka_unit_test(test_train_defaults_and_methods),
        cmocka_unit_test(test_data_options),
        cmocka_unit_test(test_decimal_comma),
        cmocka_unit_test(test_multiline_cells),
        cmocka_unit_test(test_predict_label_first),
        cmocka_unit_test(test_predict_header_and_marks),
        cmocka_unit_test(test_predict_labels_file_and_format),
        cmocka_unit_test(test_predict_old_model),
        cmocka_unit_test(test_schedule),
        cmocka_unit_test(test_interrupt),
        cmocka_unit_test(test_end_to_end_xor),
    };
    return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}

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
#include <zlib.h>
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

/* stderr past train's per-epoch progress lines ("epoch 3/30  nodes ...",
 * written when stderr is not a terminal), which may precede a message
 * about the training. */
static const char *after_progress(const char *err)
{
    while (strncmp(err, "epoch ", 6) == 0 && strchr(err, '\n') != NULL)
        err = strchr(err, '\n') + 1;
    return err;
}

/* The lines of stderr that are not per-epoch progress lines. */
static size_t count_messages(const char *err)
{
    size_t n = 0;
    for (const char *l = err; *l != 0;) {
        const char *eol = strchr(l, '\n');
        n += strncmp(l, "epoch ", 6) != 0;
        l = eol != NULL ? eol + 1 : l + strlen(l);
    }
    return n;
}

/* Failure: the code, one "fsnsa CMD: " message on stderr containing
 * `what` (if given), nothing on stdout. */
static void expect_error(const run_result *r, int code, const char *cmd,
                         const char *what)
{
    expect_code(r, code);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "fsnsa %s: ", cmd);
    if (strncmp(after_progress(r->err), prefix, strlen(prefix)) != 0 ||
        (what != NULL && strstr(r->err, what) == NULL)) {
        print_message("expected '%s...%s'\n", prefix, what ? what : "");
        show(r);
        fail();
    }
    assert_string_equal(r->out, "");
}

/* No temporary output file (.NAME.fsnsa-XXXXXX, or the old *.tmp.PID)
 * may survive a run. */
static void expect_no_temp_files(void)
{
    tu_expect_no_temps(dir);
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
        "[0.0001]", "[standard]", "[refuse]", "[on]", "--na-values",
        "[?,NA,N/A,", "--ignore-columns", NULL};
    static const char *const predict[] = {
        "--proba", "--quiet", "--format", "--delimiter", "--decimal",
        "--header",
        "--label-column", "--labels-file", "--missing", "--help",
        "--na-values", "[?,NA,N/A,", "--ignore-columns", NULL};
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
        "4", "--missing", "mean", "--keep-going", fp("holes.csv"),
        fp("holes.model"));
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

/* fsnsa plot on a saved path, and train --plot: a real PNG and an SVG
 * that names the dropped features; a bad path file fails and writes
 * nothing. */
static void test_plot(void **state)
{
    (void)state;
    if (system("command -v gnuplot >/dev/null 2>&1") != 0) {
        print_message("skipped: gnuplot is not installed (Debian: "
                      "gnuplot-nox)\n");
        skip();
    }
    run_result r;
    RUN(&r, "xor", "--n", "600", "--p", "6", "--k", "2", "-o", fp("pl.csv"));
    expect_code(&r, 0);
    run_free(&r);
    RUN(&r, "train", "-q", "--variant", "paper", "--epochs", "30", "--start-hidden", "32",
        "--hidden", "8", "--features", "2", "--path", fp("pl.path"),
        fp("pl.csv"), fp("pl.model"));
    expect_code(&r, 0);
    run_free(&r);
    char *path = slurp(fp("pl.path"));
    assert_non_null(path);
    /* x0 and x1 carry the XOR: the four others leave, by name. */
    for (const char *n = "x2\0x3\0x4\0x5\0"; *n != 0; n += 3)
        assert_non_null(strstr(path, n));
    free(path);
    RUN(&r, "plot", fp("pl.path"));
    expect_code(&r, 0);
    run_free(&r);
    size_t len = 0;
    char *png = tu_slurp(fp("pl.png"), &len);
    assert_non_null(png);
    assert_true(len > 1000);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    free(png);
    RUN(&r, "plot", "-o", fp("pl.svg"), fp("pl.path"));
    expect_code(&r, 0);
    run_free(&r);
    char *svg = slurp(fp("pl.svg"));
    assert_non_null(svg);
    assert_non_null(strstr(svg, "<svg"));
    assert_non_null(strstr(svg, "</svg>"));
    assert_non_null(strstr(svg, "Selection path"));
    /* x2, the lowest dropped column, heads its epoch's label. */
    assert_non_null(strstr(svg, "<text>x2"));
    free(svg);
    FILE *f = fopen(fp("bad.path"), "w");
    assert_non_null(f);
    fputs("epoch\tnodes\tfeatures\tloss\n1\t4\t2\tfour\n", f);
    assert_int_equal(fclose(f), 0);
    /* train --plot: the same picture at the end of a run, no path file */
    RUN(&r, "train", "-q", "--epochs", "30", "--start-hidden", "32",
        "--hidden", "8", "--features", "2", "--plot", fp("tp.svg"),
        fp("pl.csv"), fp("tp.model"));
    expect_code(&r, 0);
    run_free(&r);
    assert_true(exists(fp("tp.model")));
    svg = slurp(fp("tp.svg"));
    assert_non_null(svg);
    assert_int_equal(strncmp(svg, "<?xml", 5), 0);
    assert_non_null(strstr(svg, "</svg>"));
    assert_non_null(strstr(svg, "Selection path"));
    /* the four columns dropped at one epoch: three named, "+1" */
    assert_non_null(strstr(svg, "<text>x2, x3, x4 +1</text>"));
    free(svg);
    /* 5 epochs: the paper's variant, which ends above the class
     * frequencies' loss here by less than the stable one */
    RUN(&r, "train", "-q", "--variant", "paper", "--epochs", "5",
        "--start-hidden", "32", "--hidden", "8", "--features", "2",
        "--plot", fp("tp.png"),
        fp("pl.csv"), fp("tp.model"));
    expect_code(&r, 0);
    run_free(&r);
    png = tu_slurp(fp("tp.png"), &len);
    assert_non_null(png);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    free(png);
    RUN(&r, "train", "--plot", fp("tp.pdf"), fp("pl.csv"), fp("tp.model"));
    expect_code(&r, 2);
    assert_non_null(strstr(r.err, "must end in .png or .svg"));
    run_free(&r);
    RUN(&r, "train", "--restarts", "2", "--plot", fp("tp.svg"), fp("pl.csv"),
        fp("tp.model"));
    expect_code(&r, 2);
    run_free(&r);
    RUN(&r, "plot", "-o", fp("bad.svg"), fp("bad.path"));
    expect_code(&r, 1);
    assert_non_null(strstr(r.err, "bad.path:2:7: expected a number"));
    run_free(&r);
    assert_false(exists(fp("bad.svg")));
}

/* The drop labels of a rotated run (60 degrees, from their anchor up)
 * end inside the selection panel and the picture, even with long names:
 * the end is estimated at 0.6 em a character, wider than the sans
 * font's average. svg is gnuplot's; the panel is the last border drawn
 * before the labels. */
static void expect_labels_inside(const char *svg)
{
    const char *first = strstr(svg, "rotate(-60)");
    assert_non_null(first);
    const char *border = NULL;
    for (const char *b = svg; (b = strstr(b, "d='M")) != NULL && b < first;
         b++)
        border = b;
    assert_non_null(border);
    double x0, top, x1, bottom;
    assert_int_equal(sscanf(border, "d='M%lf,%lf L%*f,%lf L%lf", &x0, &top,
                            &bottom, &x1), 4);
    int labels = 0;
    for (const char *g = svg; (g = strstr(g, "<g transform=\"translate("))
         != NULL; g++) {
        double x, y, size;
        int end = 0; /* set only when the rotation matched too */
        if (sscanf(g, "<g transform=\"translate(%lf,%lf) rotate(-60)%n", &x,
                   &y, &end) != 2 || end == 0)
            continue;
        const char *fs = strstr(g, "font-size=\""), *t = strstr(g, "<text>");
        assert_non_null(fs);
        assert_non_null(t);
        assert_int_equal(sscanf(fs, "font-size=\"%lf", &size), 1);
        size_t len = strcspn(t + 6, "<");
        double run = 0.6 * size * (double)len;
        assert_true(y <= bottom && y - run * 0.866 >= top);
        assert_true(x >= x0 && x + run * 0.5 <= 900);
        labels++;
    }
    assert_true(labels >= 1);
}

/* Long column names (Image Segmentation's, e.g. REGION-CENTROID-COL) in
 * labels of at most 32 characters, inside the selection panel. */
static void test_plot_labels_inside(void **state)
{
    (void)state;
    if (system("command -v gnuplot >/dev/null 2>&1") != 0)
        skip();
    run_result r;
    RUN(&r, "xor", "--n", "600", "--p", "10", "--k", "2", "-o", fp("pn.csv"));
    expect_code(&r, 0);
    run_free(&r);
    char *csv = slurp(fp("pn.csv"));
    assert_non_null(csv);
    FILE *f = fopen(fp("pn.csv"), "w");
    assert_non_null(f);
    for (int j = 0; j < 10; j++)
        fprintf(f, "A-RATHER-LONG-MEASUREMENT-NAME-%02d,", j);
    fprintf(f, "y%s", strchr(csv, '\n'));
    assert_int_equal(fclose(f), 0);
    free(csv);
    RUN(&r, "train", "-q", "--epochs", "30", "--start-hidden", "32",
        "--hidden", "8", "--features", "2", "--plot", fp("pn.svg"),
        fp("pn.csv"), fp("pn.model"));
    expect_code(&r, 0);
    run_free(&r);
    char *svg = slurp(fp("pn.svg"));
    assert_non_null(svg);
    /* several names leave at once: the first (33 characters) cut to 32,
     * the others counted */
    assert_non_null(strstr(svg, "<text>A-RATHER-LONG-MEASUREMENT-NAME-0 +"));
    expect_labels_inside(svg);
    free(svg);
}

/* The last two fields of a path line (the validation columns), each a
 * finite number. */
static void expect_validation_fields(char *line)
{
    char *b = strrchr(line, '\t');
    assert_non_null(b);
    *b = 0;
    char *a = strrchr(line, '\t');
    assert_non_null(a);
    char *end;
    double loss = strtod(a + 1, &end);
    assert_true(end != a + 1 && *end == 0 && isfinite(loss));
    double acc = strtod(b + 1, &end);
    assert_true(end != b + 1 && *end == 0 && acc >= 0 && acc <= 1);
}

/* With --validation-fraction the path has the held-out loss and
 * accuracy of every epoch and names the kept epoch at its end; plot
 * draws the validation curve and the kept epoch beside the training
 * loss, in PNG and SVG. */
static void test_plot_validation(void **state)
{
    (void)state;
    if (system("command -v gnuplot >/dev/null 2>&1") != 0)
        skip();
    run_result r;
    RUN(&r, "xor", "--n", "600", "--p", "6", "--k", "2", "-o", fp("pv.csv"));
    expect_code(&r, 0);
    run_free(&r);
    RUN(&r, "train", "-q", "--epochs", "30", "--start-hidden", "32",
        "--hidden", "8", "--features", "2", "--validation-fraction", "0.25",
        "--keep", "best", "--path", fp("pv.path"), fp("pv.csv"),
        fp("pv.model"));
    expect_code(&r, 0);
    run_free(&r);
    char *path = slurp(fp("pv.path"));
    assert_non_null(path);
    const char *header = "epoch\tnodes\tfeatures\tloss\tseconds\tfeature_ids\t"
                         "dropped\tval_loss\tval_accuracy\n";
    assert_int_equal(strncmp(path, header, strlen(header)), 0);
    int rows = 0, kept = -1;
    char *line = strchr(path, '\n') + 1;
    for (char *eol; *line != 0; line = eol + 1) {
        eol = strchr(line, '\n');
        assert_non_null(eol);
        *eol = 0;
        if (line[0] == '#') {
            assert_int_equal(sscanf(line, "# kept epoch %d (keep best)",
                                    &kept), 1);
            continue;
        }
        expect_validation_fields(line);
        rows++;
    }
    assert_int_equal(rows, 30);
    assert_true(kept >= 1 && kept <= 30);
    free(path);
    RUN(&r, "plot", "-o", fp("pv.svg"), fp("pv.path"));
    expect_code(&r, 0);
    run_free(&r);
    char *svg = slurp(fp("pv.svg"));
    assert_non_null(svg);
    assert_int_equal(strncmp(svg, "<?xml", 5), 0);
    assert_non_null(strstr(svg, "<svg"));
    assert_non_null(strstr(svg, "</svg>"));
    assert_non_null(strstr(svg, "<text>validation</text>"));
    char title[64];
    snprintf(title, sizeof title, "<text>kept epoch %d</text>", kept);
    assert_non_null(strstr(svg, title));
    assert_non_null(strstr(svg, "<text>x2, x3, x4 +1</text>"));
    free(svg);
    RUN(&r, "plot", fp("pv.path"));
    expect_code(&r, 0);
    run_free(&r);
    size_t len = 0;
    char *png = tu_slurp(fp("pv.png"), &len);
    assert_non_null(png);
    assert_true(len > 1000);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    free(png);
}

/* A restarts job file as written before the kept columns were recorded:
 * every job line without its last value (the one mask of p <= 32), its
 * checksum made again. */
static void strip_masks(const char *path)
{
    char *text = slurp(path);
    assert_non_null(text);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (char *l = text, *eol; *l != 0; l = eol + 1) {
        eol = strchr(l, '\n');
        assert_non_null(eol);
        *eol = 0;
        if (l[0] == '#') {
            fprintf(f, "%s\n", l);
            continue;
        }
        *strrchr(l, '\t') = 0; /* the checksum */
        *strrchr(l, '\t') = 0; /* the mask */
        fprintf(f, "%s\t~%08lx\n", l,
                (unsigned long)crc32(0, (const Bytef *)l, (uInt)strlen(l)));
    }
    assert_int_equal(fclose(f), 0);
    free(text);
}

/* restarts prints each run's kept columns by name; a job file of the
 * lines of before (no kept columns) still loads and is continued, its
 * runs shown with '?'. */
static void test_restarts_kept_columns(void **state)
{
    (void)state;
    char *jobs = strdup(fp("kept.tsv"));
    const char *args[] = {"restarts", "--xor", "3", "--p", "6", "--n", "300",
                          "--test-n", "0", "--method", "fsa-nsa",
                          "--features", "3", "--hidden", "8",
                          "--start-hidden", "32", "--epochs", "20",
                          "--threads", "1", "--results", jobs, "--restarts",
                          "3", NULL};
    run_result r;
    run_argv(&r, args);
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "\tbroken\tkept\n"));
    /* the first line names the variant of Eq. 3 (the experiments'
     * default is the paper's) */
    const char *first = strchr(r.out, '\n');
    assert_non_null(first);
    assert_memory_equal(first - 14, " variant=paper", 14);
    size_t named = 0;
    for (const char *l = strstr(r.out, "kept\n"); l != NULL;
         l = strchr(l + 1, '\n')) {
        const char *eol = strchr(l + 1, '\n'), *tab = eol;
        while (tab != NULL && tab > l && *tab != '\t')
            tab--;
        if (l[1] == '#' || eol == NULL || tab <= l)
            continue;
        /* three of x0..x5, as "features" says */
        assert_int_equal(eol - tab - 1, 8);
        assert_true(tab[1] == 'x' && tab[3] == ',' && tab[4] == 'x' &&
                    tab[6] == ',' && tab[7] == 'x');
        assert_int_equal(strncmp(tab - 13, "8\t3\t32\t", 7), 0);
        named++;
    }
    assert_int_equal(named, 3);
    char *before = strdup(r.out);
    run_free(&r);
    strip_masks(jobs);
    args[sizeof args / sizeof args[0] - 2] = "4";
    run_argv(&r, args);
    expect_code(&r, 0);
    /* the three loaded runs as they were, the new one named */
    size_t unknown = 0;
    for (const char *c = r.out; (c = strstr(c, "\t0\t?\n")) != NULL; c++)
        unknown++;
    assert_int_equal(unknown, 3);
    assert_non_null(strstr(r.out, "\t0\tx"));
    /* each earlier run's seed and loss, read back from the old lines */
    for (const char *l = strstr(before, "kept\n"); l != NULL;
         l = strchr(l + 1, '\n')) {
        const char *t = strchr(l + 1, '\t');
        if (l[1] == '#' || t == NULL)
            continue;
        char sl[64];
        size_t n = strcspn(t, "\n");
        n = n < 20 ? n : 20; /* "\tseed\tloss" */
        memcpy(sl, t, n);
        sl[n] = 0;
        assert_non_null(strstr(r.out, sl));
    }
    run_free(&r);
    char *text = slurp(jobs);
    assert_non_null(strstr(text, "seed=4\t"));
    free(text);
    free(before);
    free(jobs);
}

/* stderr of `fsnsa train ...` run on a pseudo-terminal (stdout to a
 * file): what a user at a terminal sees. */
static char *run_on_pty(const char *const *args)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(m >= 0);
    assert_int_equal(grantpt(m), 0);
    assert_int_equal(unlockpt(m), 0);
    const char *slave = ptsname(m);
    assert_non_null(slave);
    char out[600];
    snprintf(out, sizeof out, "%s/.pty-stdout", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int sl = open(slave, O_RDWR);
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (setsid() < 0 || sl < 0 || o < 0 || dup2(o, 1) < 0 ||
            dup2(sl, 2) < 0 || chdir(dir) != 0)
            _exit(127);
        alarm(600);
        execv(tu_bin(), (char *const *)args);
        _exit(127);
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) { /* EIO once the child closed the terminal */
        ssize_t k = read(m, buf + n, cap - 1 - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0 || (n += (size_t)k) >= cap - 1)
            break;
    }
    buf[n] = 0;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        assert_int_equal(errno, EINTR);
    close(m);
    unlink(out);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return buf;
}

/* On a terminal one line rewritten in place, then a summary; with
 * --verbose or in a log a line per epoch; nothing with -q. */
static void test_train_progress(void **state)
{
    (void)state;
    fixtures();
    char *data = strdup(fp("small.csv")), *model = strdup(fp("pr.model"));
    const char *args[] = {tu_bin(), "train", "--epochs", "40",
                          "--start-hidden", "32", "--hidden", "8",
                          "--features", "2", data, model, NULL};
    char *tty = run_on_pty(args);
    assert_non_null(strstr(tty, "\repoch 1/40  nodes 32  features 5  loss "));
    assert_non_null(strstr(tty, "\repoch 40/40  nodes 8  features 2  loss "));
    assert_non_null(strstr(tty, "  elapsed 0:00  left ~"));
    assert_non_null(strstr(tty, "left ~0:00   \r\ntrained 40/40 epochs in "
                                "0:00: 8 nodes, 2 features\r\n"));
    assert_null(strstr(tty, " s\r\n")); /* no per-epoch lines */
    /* the whole last line, field by field */
    const char *last = strstr(tty, "\repoch 40/40");
    int ep, of, em, es, lm, ls, used = 0;
    size_t nodes, feats;
    double loss;
    assert_int_equal(sscanf(last, "\repoch %d/%d  nodes %zu  features %zu  "
                                  "loss %lf  elapsed %d:%2d  left ~%d:%2d%n", &ep, &of, &nodes, &feats, &loss, &em,
                            &es, &lm, &ls, &used), 9);
    assert_true(ep == 40 && of == 40 && nodes == 8 && feats == 2);
    assert_true(loss > 0 && loss < 1 && lm == 0 && ls == 0 && used > 0);
    assert_int_equal(strncmp(last + used, "   \r\n", 5), 0);
    free(tty);
    run_result r;
    RUN(&r, "train", "--verbose", "--epochs", "40", "--start-hidden", "32",
        "--hidden", "8", "--features", "2", data, model);
    expect_code(&r, 0);
    assert_non_null(strstr(r.err, "epoch 1/40  nodes 32  features 5  loss "));
    assert_non_null(strstr(r.err, "\nepoch 40/40  nodes 8  features 2  "));
    assert_null(strchr(r.err, '\r'));
    run_free(&r);
    /* a log without --verbose: a line per epoch too, no \r */
    RUN(&r, "train", "--epochs", "40", "--start-hidden", "32", "--hidden",
        "8", "--features", "2", data, model);
    expect_code(&r, 0);
    assert_int_equal(strncmp(r.err, "epoch 1/40  nodes 32  features 5  "
                                    "loss ", 34), 0);
    assert_non_null(strstr(r.err, "\nepoch 40/40  nodes 8  features 2  "));
    assert_int_equal(count_lines(r.err), 40);
    assert_null(strchr(r.err, '\r'));
    run_free(&r);
    RUN(&r, "train", "-q", "--epochs", "40", data, model);
    expect_code(&r, 0);
    assert_string_equal(r.err, "");
    run_free(&r);
    free(data);
    free(model);
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
                                   "feature_ids\tdropped\n1\t64\t5\t", 51),
                     0);
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
    /* two selected; then every column of the five ranked (format 1.2) */
    char *all = strstr(r.out, "\nimportance of every column");
    assert_non_null(all);
    *all = '\0';
    assert_null(strstr(r.out, "\n   3  "));
    *all = '\n';
    assert_non_null(strstr(all, "\n   5  "));
    assert_null(strstr(all, "\n   6  "));
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
    /* (--keep-going: 3 epochs may not beat the class frequencies) */
    RUN(&r, "train", "-q", "--epochs", "3", "--start-hidden", "32",
        "--hidden", "8", "--keep-going", "small.csv");
    expect_code(&r, 0);
    run_free(&r);
    assert_true(exists(fp("small.csv.model")));
    /* --features not given: half of the columns, said on stderr */
    RUN(&r, "train", "--epochs", "3", "--start-hidden", "32", "--hidden",
        "8", "--test-fraction", "0.2", "--split-seed", "3", "--keep-going",
        "small.csv", "half.model");
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
            "--scale", i == 2 ? "minmax" : "none", "--keep-going",
            "small.csv", "m.model");
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

/* fsnsa inspect MODEL succeeds and prints `want`. */
static void expect_inspect(const char *model, const char *want)
{
    run_result r;
    RUN(&r, "inspect", model);
    expect_code(&r, 0);
    if (strstr(r.out, want) == NULL) {
        show(&r);
        fail();
    }
    run_free(&r);
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
        "5", "--keep-going", "komma.csv", "komma.model");
    expect_code(&r, 0);
    run_free(&r);
    expect_inspect("komma.model", "inputs       2 encoded columns from 2 "
                                  "data columns\n");
    RUN(&r, "predict", "--decimal", ",", "komma.model", "komma.csv",
        "komma.out");
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "rows 60  accuracy "));
    run_free(&r);
    /* '.': numbers with decimal commas are not words but an error */
    RUN(&r, "train", "-q", "--method", "dense", "--hidden", "8", "--epochs",
        "1", "--decimal", ".", "komma.csv", "punkt.model");
    expect_error(&r, 1, "train",
                 "komma.csv:2:1: '0,00' in column 'Gewicht' is not a number: "
                 "the decimal mark is '.'");
    run_free(&r);
    assert_false(exists(fp("punkt.model")));
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

/* The reader's warnings reach stderr as "fsnsa CMD: warning: FILE:L:C:
 * ...", the run goes on, -q silences them; --ignore-columns and
 * --na-values work in train, predict and the experiment commands. */
static void test_reader_warnings_and_options(void **state)
{
    (void)state;
    /* what pandas' to_csv writes by default: an unnamed index, "NA" for
     * missing with na_rep='NA' */
    char text[4096] = ",a,b,y\n";
    for (int i = 0; i < 60; i++) {
        char line[64];
        if (i % 9 == 4)
            snprintf(line, sizeof line, "%d,NA,%d,%s\n", i, i % 4,
                     i % 2 ? "yes" : "no");
        else
            snprintf(line, sizeof line, "%d,%d.5,%d,%s\n", i, (i * 7) % 10,
                     i % 4, i % 2 ? "yes" : "no");
        strcat(text, line);
    }
    write_in_dir("pandas.csv", text);
    run_result r;
    RUN(&r, "train", "--method", "dense", "--hidden", "4", "--epochs", "20", "--lr", "0.1",
        "--missing", "mean", "pandas.csv", "pandas.model");
    expect_code(&r, 0);
    const char *w = "fsnsa train: warning: pandas.csv:2:1: the first column "
                    "(unnamed) holds the row numbers 0 to 59";
    if (strncmp(r.err, w, strlen(w)) != 0 || count_messages(r.err) != 1) {
        show(&r);
        fail();
    }
    assert_true(exists(fp("pandas.model")));
    run_free(&r);
    RUN(&r, "train", "-q", "--method", "dense", "--hidden", "4", "--epochs",
        "20", "--lr", "0.1", "--missing", "mean", "pandas.csv", "pandas.model");
    expect_code(&r, 0);
    assert_string_equal(r.err, "");
    run_free(&r);
    /* the index left out: two features; predict gets the same list */
    RUN(&r, "train", "--method", "dense", "--hidden", "4", "--epochs", "20", "--lr", "0.1",
        "--missing", "mean", "--ignore-columns", "0", "pandas.csv",
        "noindex.model");
    expect_code(&r, 0);
    assert_null(strstr(r.err, "warning"));
    run_free(&r);
    expect_inspect("noindex.model", "inputs       2 encoded columns from 2 "
                                    "data columns\n");
    RUN(&r, "predict", "--ignore-columns", "0", "noindex.model", "pandas.csv",
        "noindex.out");
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "rows 60  accuracy "));
    run_free(&r);
    char *out = slurp(fp("noindex.out"));
    assert_non_null(out);
    assert_int_equal(count_lines(out), 60);
    /* the model keeps the list: predict needs no option */
    RUN(&r, "predict", "noindex.model", "pandas.csv", "noindex2.out");
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "rows 60  accuracy "));
    run_free(&r);
    char *out2 = slurp(fp("noindex2.out"));
    assert_string_equal(out2, out);
    free(out2);
    free(out);
    /* an empty list: NA is a word, so 'a' is a column of words */
    RUN(&r, "train", "-q", "--method", "dense", "--hidden", "4", "--epochs",
        "1", "--keep-going", "--na-values", "", "--ignore-columns", "0", "pandas.csv",
        "words.model");
    expect_code(&r, 0);
    run_free(&r);
    expect_inspect("words.model", "inputs       12 encoded columns from 2 "
                                  "data columns\n");
    /* and the empty list too: NA stays a known word of 'a' */
    RUN(&r, "predict", "words.model", "pandas.csv", "words.out");
    expect_code(&r, 0);
    run_free(&r);
    /* the experiment commands read the same way and warn the same way */
    RUN(&r, "restarts", "--restarts", "1", "--epochs", "1", "--hidden", "2",
        "--missing", "mean", "--na-values", "NA", "pandas.csv");
    expect_code(&r, 0);
    assert_non_null(strstr(r.err, "fsnsa restarts: warning: pandas.csv:2:1: "
                                  "the first column (unnamed)"));
    run_free(&r);
    RUN(&r, "restarts", "--restarts", "1", "--epochs", "1", "--hidden", "2",
        "--missing", "mean", "--ignore-columns", "nope", "pandas.csv");
    expect_error(&r, 1, "restarts",
                 "pandas.csv:1:1: ignore_columns: no column is named 'nope'");
    run_free(&r);
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
        "--keep-going", "cells.csv", "cells.model");
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
/* Job files of the experiment commands (--results)                  */
/* ---------------------------------------------------------------- */

/* 40 rows, two numbers and a class, no header row: as in issue 12, a
 * file where --header yes silently drops the first row. */
static void write_rows(const char *name, int changed)
{
    char text[4096];
    size_t o = 0;
    for (int i = 0; i < 40; i++)
        o += (size_t)snprintf(text + o, sizeof text - o, "%.3f,%.3f,%d\n",
                              (double)(i % 7) / 7 - 0.5 + (changed && i == 20),
                              (double)(i * 3 % 11) / 11 - 0.5, i % 2);
    write_in_dir(name, text);
}

static long size_of(const char *name)
{
    struct stat st;
    return stat(fp(name), &st) == 0 ? (long)st.st_size : -1;
}

/* fsnsa restarts, tiny, into `results`; extra: NULL-terminated. */
static void run_restarts_into(run_result *r, const char *results,
                              const char *const *extra)
{
    const char *args[40] = {"restarts", "--restarts", "2", "--epochs", "3",
                            "--hidden", "3", "--threads", "1", "--progress",
                            "off", "--results", results};
    size_t n = 13;
    for (; extra[n - 13] != NULL; n++)
        args[n] = extra[n - 13];
    args[n] = NULL;
    run_argv(r, args);
}

#define RESTARTS(r, results, ...)                                \
    do {                                                         \
        const char *const x_[] = {__VA_ARGS__, NULL};            \
        run_restarts_into((r), (results), x_);                   \
    } while (0)

/* A first run into `results`: its output (malloc'ed). */
static char *restarts_output(const char *results, const char *data)
{
    run_result r;
    const char *const extra[] = {data, NULL};
    run_restarts_into(&r, results, extra);
    expect_code(&r, 0);
    char *out = r.out;
    r.out = NULL;
    run_free(&r);
    return out;
}

/* The output after its first line (which names the data file). */
static const char *after_first_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    return nl != NULL ? nl + 1 : s;
}

/* A run refused because of j: exit 1, the message naming j and `what`,
 * j unchanged. */
static void expect_refused(run_result *r, const char *cmd, const char *j,
                           long size, const char *what)
{
    expect_error(r, 1, cmd, j);
    if (strstr(r->err, what) == NULL) {
        print_message("expected '%s' in the message\n", what);
        show(r);
        fail();
    }
    assert_int_equal(size_of(j), size);
    run_free(r);
}

static void test_results_other_data_refused(void **state)
{
    (void)state;
    run_result r;
    write_rows("nh.csv", 0);
    char *first = restarts_output("j.tsv", "nh.csv");
    long size = size_of("j.tsv");

    /* the same data and options resume: nothing recomputed, the same
     * output (seconds included: they come from the file) */
    RESTARTS(&r, "j.tsv", "nh.csv");
    expect_code(&r, 0);
    assert_string_equal(r.out, first);
    assert_int_equal(size_of("j.tsv"), size);
    run_free(&r);

    /* issue 12: --header yes reads 39 rows; the 40-row results are not
     * theirs */
    RESTARTS(&r, "j.tsv", "--header", "yes", "nh.csv");
    expect_refused(&r, "restarts", "j.tsv", size,
                   "made from other data or settings");
    RESTARTS(&r, "j.tsv", "--header", "yes", "nh.csv");
    expect_refused(&r, "restarts", "j.tsv", size,
                   "rows=39 here, 40 in the file; header=yes here, auto in "
                   "the file");

    /* new contents under the same name */
    write_rows("nh.csv", 1);
    RESTARTS(&r, "j.tsv", "nh.csv");
    expect_refused(&r, "restarts", "j.tsv", size, "data-sha256=");
    write_rows("nh.csv", 0);

    /* a renamed copy of the same data, even read through other options
     * that give the same rows, is the same data */
    write_rows("copy.csv", 0);
    RESTARTS(&r, "j.tsv", "--header", "no", "--delimiter", "comma",
             "copy.csv");
    expect_code(&r, 0);
    assert_string_equal(after_first_line(r.out), after_first_line(first));
    assert_int_equal(size_of("j.tsv"), size);
    run_free(&r);
    free(first);
}

/* Every option that changes the rows, the columns, the labels or what is
 * done with them makes another job file; the refusal names it. */
static void test_results_each_data_option(void **state)
{
    (void)state;
    write_rows("nh.csv", 0);
    write_rows("t1.csv", 0);
    write_rows("t2.csv", 1);
    /* ';' fields with decimal commas, read right only with auto */
    char semi[2048], svm[2048], nolab[2048], lab1[256], lab2[256],
        miss[2048], ends[2048];
    size_t a = 0, b = 0, c = 0, d = 0, e = 0, m = 0, k = 0;
    for (int i = 0; i < 40; i++) {
        int y = i % 2;
        double u = (double)(i % 9) / 9 - 0.5, v = (double)(i % 5) / 5 - 0.4;
        char us[32], vs[32];
        snprintf(us, sizeof us, "%.3f", u);
        snprintf(vs, sizeof vs, "%.3f", v);
        *strchr(us, '.') = ',';
        *strchr(vs, '.') = ',';
        a += (size_t)snprintf(semi + a, sizeof semi - a, "%s;%s;%d\n", us, vs, y);
        b += (size_t)snprintf(svm + b, sizeof svm - b, "%d 1:%.3f 2:%.3f\n", y,
                              u, v);
        c += (size_t)snprintf(nolab + c, sizeof nolab - c, "%.3f,%.3f\n", u, v);
        d += (size_t)snprintf(lab1 + d, sizeof lab1 - d, "%d\n", y);
        e += (size_t)snprintf(lab2 + e, sizeof lab2 - e, "%d\n", i < 20);
        k += (size_t)snprintf(ends + k, sizeof ends - k, "%d,%.3f,%.3f,%d\n",
                              i % 3, u, v, y);
        if (i % 8 == 3)
            m += (size_t)snprintf(miss + m, sizeof miss - m, "?,%.3f,%d\n", v, y);
        else
            m += (size_t)snprintf(miss + m, sizeof miss - m, "%.3f,%.3f,%d\n",
                                  u, v, y);
    }
    write_in_dir("semi.csv", semi);
    write_in_dir("svm.txt", svm);
    write_in_dir("nolab.csv", nolab);
    write_in_dir("lab1.txt", lab1);
    write_in_dir("lab2.txt", lab2);
    write_in_dir("miss.csv", miss);
    write_in_dir("ends.csv", ends);

    static const struct {
        const char *base[6], *other[8], *says;
    } cases[] = {
        {{"semi.csv"}, {"--decimal", ".", "semi.csv"},
         "decimal=. here, auto in the file"},
        {{"semi.csv"}, {"--delimiter", ",", "semi.csv"},
         "delimiter=, here, auto in the file"},
        {{"svm.txt"}, {"--format", "libsvm", "svm.txt"},
         "format=libsvm here, auto in the file"},
        /* both end columns hold classes: a numeric-looking label is
         * refused before the job file is compared */
        {{"ends.csv"}, {"--label-column", "first", "ends.csv"},
         "label-column=first here, last in the file"},
        {{"--labels-file", "lab1.txt", "nolab.csv"},
         {"--labels-file", "lab2.txt", "nolab.csv"},
         "labels-file=lab2.txt here, lab1.txt in the file"},
        {{"--missing", "mean", "miss.csv"}, {"--missing", "zero", "miss.csv"},
         "missing=zero here, mean in the file"},
        {{"nh.csv"}, {"--scale", "minmax", "nh.csv"},
         "scale=minmax here, standard in the file"},
        {{"--test", "t1.csv", "nh.csv"}, {"--test", "t2.csv", "nh.csv"},
         "test-sha256="},
        {{"--test", "t1.csv", "nh.csv"}, {"nh.csv"}, "test-sha256=- here"},
        {{"--test-fraction", "0.25", "nh.csv"},
         {"--test-fraction", "0.3", "nh.csv"},
         "test-fraction=0.3 here, 0.25 in the file"},
        {{"--test-fraction", "0.25", "nh.csv"},
         {"--test-fraction", "0.25", "--split-seed", "1", "nh.csv"},
         "split-seed=1 here, 0 in the file"},
        {{"--xor", "2", "--n", "50"}, {"--xor", "2", "--n", "50", "--data-seed",
                                       "2"},
         "data-seed=2 here, 1 in the file"},
        {{"nh.csv"}, {"--weight-decay", "0.01", "nh.csv"},
         "weight-decay=0.01 here, 0.0001 in the file"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char j[32];
        snprintf(j, sizeof j, "opt%zu.tsv", i);
        run_result r;
        run_restarts_into(&r, j, cases[i].base);
        expect_code(&r, 0);
        run_free(&r);
        long size = size_of(j);
        run_restarts_into(&r, j, cases[i].other);
        expect_refused(&r, "restarts", j, size, cases[i].says);
        /* and the base still resumes */
        run_restarts_into(&r, j, cases[i].base);
        expect_code(&r, 0);
        assert_int_equal(size_of(j), size);
        run_free(&r);
    }
    /* the labels file's content, under the same name */
    run_result r;
    const char *const base[] = {"--labels-file", "lab1.txt", "nolab.csv", NULL};
    run_restarts_into(&r, "labels.tsv", base);
    expect_code(&r, 0);
    run_free(&r);
    long size = size_of("labels.tsv");
    write_in_dir("lab1.txt", lab2);
    run_restarts_into(&r, "labels.tsv", base);
    expect_refused(&r, "restarts", "labels.tsv", size, "data-sha256=");
}

static void test_results_hittime_and_grid(void **state)
{
    (void)state;
    write_rows("g.csv", 0);
    run_result r;
#define HITTIME(r)                                                          \
    RUN(r, "hittime", "--ps", "1,2", "--runs", "2", "--hits", "1",          \
        "--epochs", "3", "--hidden", "3", "--threads", "1", "--progress",   \
        "off", "--results", "h.tsv", "g.csv")
    HITTIME(&r);
    expect_code(&r, 0);
    run_free(&r);
    long hsize = size_of("h.tsv");
#define GRID(r, ...)                                                        \
    RUN(r, "grid", "--folds", "2", "--repeats", "1", "--grid-hidden", "2",  \
        "--grid-l2", "0.001", "--grid-batch", "16", "--methods", "dense",   \
        "--retrains", "1", "--epochs", "3", "--threads", "1", "--progress", \
        "off", "--results", "g.tsv", __VA_ARGS__)
    GRID(&r, "g.csv");
    expect_code(&r, 0);
    char *first = r.out;
    r.out = NULL;
    run_free(&r);
    long gsize = size_of("g.tsv");
    GRID(&r, "g.csv");
    expect_code(&r, 0);
    assert_string_equal(r.out, first);
    run_free(&r);
    free(first);
    GRID(&r, "--header", "yes", "g.csv");
    expect_refused(&r, "grid", "g.tsv", gsize, "header=yes here");
    GRID(&r, "--split-seed", "3", "g.csv");
    expect_refused(&r, "grid", "g.tsv", gsize, "split-seed=3 here, 0 in");
    write_rows("g.csv", 1);
    GRID(&r, "g.csv");
    expect_refused(&r, "grid", "g.tsv", gsize, "data-sha256=");
    HITTIME(&r);
    expect_refused(&r, "hittime", "h.tsv", hsize, "data-sha256=");
#undef GRID
#undef HITTIME
}

/* A job file of fsnsa 0.1 (format 1: the data's name, not its content) is
 * refused, or adopted with --adopt-results when its header is exactly the
 * one this run would have written then. */
static void test_results_format1_adopted(void **state)
{
    (void)state;
    run_result r;
    write_rows("old.csv", 0);
    char *first = restarts_output("new.tsv", "old.csv");
    /* the same records under the header fsnsa 0.1 wrote (as in the
     * committed paper/full/jobs files before they were adopted) */
    char *v2 = slurp(fp("new.tsv"));
    assert_non_null(v2);
    char v1[8192];
    snprintf(v1, sizeof v1, "#fsnsa-jobs 1\tfsnsa restarts; data=old.csv "
             "test=- test-fraction=0 split-seed=0 label=last labels-file=- "
             "missing=0 scale=standard method=dense hidden=3 "
             "start-hidden=1024 features=1 epochs=3 mu=30 batch=32 lr=0.001 "
             "weight-decay=0.0001; columns=loss train_auc test_auc train_acc "
             "test_acc seconds hidden features weights%s", strchr(v2, '\n'));
    write_in_dir("old.tsv", v1);
    long size = size_of("old.tsv");

    RESTARTS(&r, "old.tsv", "old.csv");
    expect_refused(&r, "restarts", "old.tsv", size,
                   "or rerun with --adopt-results if it was made from "
                   "exactly this data");
    RESTARTS(&r, "old.tsv", "--adopt-results", "--epochs", "4", "old.csv");
    expect_refused(&r, "restarts", "old.tsv", size, "different sweep");
    RESTARTS(&r, "old.tsv", "--adopt-results", "old.csv");
    expect_code(&r, 0);
    assert_string_equal(r.out, first);
    assert_non_null(strstr(r.err, "old.tsv: adopted (2 jobs)"));
    run_free(&r);
    /* now the file is what this version writes, byte for byte */
    char *adopted = slurp(fp("old.tsv"));
    assert_string_equal(adopted, v2);
    free(adopted);
    RESTARTS(&r, "old.tsv", "old.csv");
    expect_code(&r, 0);
    assert_string_equal(r.out, first);
    run_free(&r);

    /* copied through Windows: read the same, continued in CR LF */
    size_t n = strlen(v2), k = 0;
    char *crlf = malloc(2 * n + 1);
    assert_non_null(crlf);
    for (size_t i = 0; i < n; i++) {
        if (v2[i] == '\n')
            crlf[k++] = '\r';
        crlf[k++] = v2[i];
    }
    crlf[k] = '\0';
    write_in_dir("win.tsv", crlf);
    RESTARTS(&r, "win.tsv", "old.csv");
    expect_code(&r, 0);
    assert_string_equal(r.out, first);
    run_free(&r);
    RESTARTS(&r, "win.tsv", "--restarts", "3", "old.csv");
    expect_code(&r, 0);
    run_free(&r);
    char *grown = slurp(fp("win.tsv"));
    assert_true(strncmp(grown, crlf, k) == 0);
    size_t lines = 0, bare = 0;
    for (const char *q = grown; *q; q++)
        if (*q == '\n') {
            lines++;
            bare += q == grown || q[-1] != '\r';
        }
    assert_int_equal(lines, 4);
    assert_int_equal(bare, 0);
    free(grown);
    free(crlf);
    free(v2);
    free(first);
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

/* The issue's case: a file whose label is first (UCI's segmentation
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

/* A signal during training (SIGINT, or SIGTERM as a batch system sends):
 * training stops cleanly with a message; no model, no path file, no
 * temporary file. */
static void interrupt_training(int sig)
{
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
    assert_int_equal(kill(pid, sig), 0);
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

static void test_interrupt(void **state)
{
    (void)state;
    interrupt_training(SIGINT);
}

static void test_sigterm(void **state)
{
    (void)state;
    interrupt_training(SIGTERM);
}

/* Divergence (10^6-scale values, no scaling, an absurd learning rate)
 * names its epoch and writes no model; --keep-going writes the last
 * finite network, with a warning, and it loads. */
static void test_divergence(void **state)
{
    (void)state;
    fixtures();
    char text[8192] = "a,b,y\n";
    for (int i = 0; i < 100; i++) {
        char row[64];
        snprintf(row, sizeof row, "%d,%d,%d\n", 1000000 + 997 * i % 20000,
                 i % 7, (997 * i % 20000) > 10000);
        strcat(text, row);
    }
    write_in_dir("big.csv", text);
    run_result r;
    RUN(&r, "train", "--method", "dense", "--epochs", "20", "--lr", "1e30",
        "--scale", "none", "big.csv", "div.model");
    expect_code(&r, 1);
    assert_non_null(strstr(r.err, "epoch "));
    assert_non_null(strstr(r.err, "no model written"));
    assert_false(exists(fp("div.model")));
    run_free(&r);

    RUN(&r, "train", "--method", "dense", "--epochs", "20", "--lr", "1e30",
        "--scale", "none", "--keep-going", "big.csv", "div.model");
    expect_code(&r, 0);
    assert_non_null(strstr(r.err, "epoch "));
    assert_non_null(strstr(r.err, "warning: --keep-going"));
    run_free(&r);
    fsnsa_model *m = NULL;
    fsnsa_error e = {0};
    assert_int_equal(fsnsa_model_load(fp("div.model"), &m, &e), FSNSA_OK);
    fsnsa_model_free(m);
    unlink(fp("div.model"));
}

/* The paper's claim through the command: FSA+NSA on 3-D XOR with 12
 * irrelevant features finds {0, 1, 2} with test AUC >= 0.95. */
/* ---------------------------------------------------------------- */
/* Outputs: devices, FIFOs and symlinks are never replaced            */
/* ---------------------------------------------------------------- */

/* Run the command with a FIFO as one output: a reader thread takes what
 * it writes; returns the bytes (malloc'ed, *len) after the run. */
#define RUN_INTO_FIFO(r, fifo, bytes_, n_, ...)                     \
    do {                                                            \
        tu_fifo_reader fr_;                                         \
        tu_fifo_start(&fr_, (fifo));                                \
        RUN((r), __VA_ARGS__);                                      \
        tu_fifo_join(&fr_);                                         \
        unlink(fifo);                                               \
        *(bytes_) = fr_.data;                                       \
        *(n_) = fr_.len;                                            \
    } while (0)

static void test_outputs_device_fifo_symlink(void **state)
{
    (void)state;
    fixtures();
    run_result r;
    assert_int_equal(mkdir(fp("o"), 0755), 0);
    assert_int_equal(mkdir(fp("o/sub"), 0755), 0);
    /* (fp's buffers rotate: keep copies) */
    char model[512], data[512], dev[512], fifo[512];
    snprintf(model, sizeof model, "%s", fp("small.model"));
    snprintf(data, sizeof data, "%s", fp("small.csv"));
    snprintf(dev, sizeof dev, "%s", fp("o/null"));
    snprintf(fifo, sizeof fifo, "%s", fp("o/fifo"));
    /* the reference outputs, written to regular files */
    RUN(&r, "predict", "-q", model, data, fp("o/pred.txt"));
    expect_code(&r, 0);
    run_free(&r);
    char *pred = slurp(fp("o/pred.txt"));
    assert_non_null(pred);
    RUN(&r, "xor", "--n", "50", "--p", "3", "--k", "2");
    expect_code(&r, 0);
    char *xor = r.out;
    free(r.err);

    /* a character device (1:3, made here): written, never replaced */
    if (tu_make_null_device(dev) == 0) {
        RUN(&r, "predict", "-q", model, data, dev);
        expect_code(&r, 0);
        run_free(&r);
        assert_true(tu_is_null_device(dev));
        RUN(&r, "xor", "--n", "50", "--p", "3", "--k", "2", "-o", dev);
        expect_code(&r, 0);
        run_free(&r);
        assert_true(tu_is_null_device(dev));
        RUN(&r, "train", "-q", "--epochs", "2", "--keep-going", "--start-hidden", "16",
            "--hidden", "4", "--path", dev, data, dev);
        expect_code(&r, 0);
        run_free(&r);
        assert_true(tu_is_null_device(dev));
        unlink(dev);
    } else {
        print_message("mknod not allowed: device cases skipped\n");
    }

    /* a FIFO gets exactly the bytes a file would */
    char *got;
    size_t len;
    RUN_INTO_FIFO(&r, fifo, &got, &len, "predict", "-q", model, data, fifo);
    expect_code(&r, 0);
    run_free(&r);
    assert_int_equal(len, strlen(pred));
    assert_memory_equal(got, pred, len);
    free(got);
    RUN_INTO_FIFO(&r, fifo, &got, &len, "xor", "--n", "50", "--p", "3",
                  "--k", "2", "-o", fifo);
    expect_code(&r, 0);
    run_free(&r);
    assert_string_equal(got, xor);
    free(got);
    RUN_INTO_FIFO(&r, fifo, &got, &len, "train", "-q", "--epochs", "2",
                  "--keep-going", "--start-hidden", "16", "--hidden", "4",
                  data, fifo);
    expect_code(&r, 0);
    run_free(&r);
    /* what came through the FIFO is a whole model */
    FILE *f = fopen(fp("o/from-fifo.model"), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(got, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(got);
    RUN(&r, "predict", "-q", fp("o/from-fifo.model"), data, "-");
    expect_code(&r, 0);
    run_free(&r);

    /* a chain of relative symlinks: the links stay, the file they name
     * gets the output */
    assert_int_equal(symlink("link2", fp("o/link1")), 0);
    assert_int_equal(symlink("sub/target", fp("o/link2")), 0);
    RUN(&r, "predict", "-q", model, data, fp("o/link1"));
    expect_code(&r, 0);
    run_free(&r);
    assert_true(tu_is_symlink(fp("o/link1")));
    assert_true(tu_is_symlink(fp("o/link2")));
    got = slurp(fp("o/sub/target"));
    assert_non_null(got);
    assert_string_equal(got, pred);
    free(got);
    RUN(&r, "xor", "--n", "50", "--p", "3", "--k", "2", "-o", fp("o/link1"));
    expect_code(&r, 0);
    run_free(&r);
    assert_true(tu_is_symlink(fp("o/link1")));
    got = slurp(fp("o/sub/target"));
    assert_string_equal(got, xor);
    free(got);
    RUN(&r, "train", "-q", "--epochs", "2", "--keep-going", "--start-hidden", "16",
        "--hidden", "4", data, fp("o/link1"));
    expect_code(&r, 0);
    run_free(&r);
    assert_true(tu_is_symlink(fp("o/link1")));
    assert_true(tu_is_symlink(fp("o/link2")));
    RUN(&r, "inspect", fp("o/sub/target"));
    expect_code(&r, 0);
    run_free(&r);
    /* a dangling link: the file it names is made, the link stays */
    assert_int_equal(symlink("made.csv", fp("o/dangling")), 0);
    RUN(&r, "xor", "--n", "50", "--p", "3", "--k", "2", "-o",
        fp("o/dangling"));
    expect_code(&r, 0);
    run_free(&r);
    assert_true(tu_is_symlink(fp("o/dangling")));
    got = slurp(fp("o/made.csv"));
    assert_string_equal(got, xor);
    free(got);
    free(pred);
    free(xor);
    tu_expect_no_temps(fp("o"));
    tu_expect_no_temps(fp("o/sub"));
}

/* Every output is checked before anything is read, trained or made: the
 * refusal comes before the error the inputs would give (a missing data
 * or model file, an XOR pool too large to allocate). */
static void test_outputs_checked_first(void **state)
{
    (void)state;
    fixtures();
    run_result r;
    char data[512], nodir[512], fifo[512];
    snprintf(data, sizeof data, "%s", fp("small.csv"));
    snprintf(nodir, sizeof nodir, "%s", fp("nodir/x.model"));
    snprintf(fifo, sizeof fifo, "%s", fp("results.fifo"));
    assert_int_equal(mkdir(fp("adir"), 0755), 0);

    RUN(&r, "train", "-q", fp("missing.csv"), nodir);
    expect_error(&r, 1, "train", "nodir/x.model: directory '");
    assert_non_null(strstr(r.err, "nodir' does not exist"));
    run_free(&r);
    RUN(&r, "train", "-q", "--init", fp("missing.model"), data, nodir);
    expect_error(&r, 1, "train", "nodir/x.model: directory '");
    run_free(&r);
    RUN(&r, "train", "-q", "--path", fp("nodir/p.tsv"), fp("missing.csv"),
        fp("t.model"));
    expect_error(&r, 1, "train", "nodir/p.tsv: directory '");
    run_free(&r);
    assert_false(exists(fp("t.model")));
    RUN(&r, "train", "-q", fp("missing.csv"), fp("adir"));
    expect_error(&r, 1, "train", "adir: is a directory");
    run_free(&r);
    RUN(&r, "train", "-q", fp("missing.csv"), fp("small.csv/x.model"));
    expect_error(&r, 1, "train", "small.csv' is not a directory");
    run_free(&r);

    RUN(&r, "predict", fp("missing.model"), data, fp("nodir/out.txt"));
    expect_error(&r, 1, "predict", "nodir/out.txt: directory '");
    run_free(&r);
    RUN(&r, "predict", fp("missing.model"), data, fp("adir"));
    expect_error(&r, 1, "predict", "adir: is a directory");
    run_free(&r);

    /* 10^8 x 10^6 XOR values fail to allocate: after the output check */
    RUN(&r, "xor", "--n", "100000000", "--p", "1000000", "-o",
        fp("nodir/x.csv"));
    expect_error(&r, 1, "xor", "nodir/x.csv: directory '");
    run_free(&r);

    /* results files: missing directory, or not a regular file (a FIFO
     * would block the reading of it forever) */
    assert_int_equal(mkfifo(fifo, 0600), 0);
    const char *cmds[][3] = {{"restarts", NULL, NULL},
                             {"hittime", "--ps", "2"},
                             {"grid", NULL, NULL}};
    for (size_t i = 0; i < 3; i++) {
        const char *c = cmds[i][0];
        const char *a1 = cmds[i][1] ? cmds[i][1] : "-q";
        const char *a2 = cmds[i][2] ? cmds[i][2] : "-q";
        RUN(&r, c, a1, a2, "--results", fp("nodir/r.tsv"),
            fp("missing.csv"));
        expect_error(&r, 1, c, "nodir/r.tsv: directory '");
        run_free(&r);
        RUN(&r, c, a1, a2, "--results", fifo, fp("missing.csv"));
        expect_error(&r, 1, c, "results.fifo: not a regular file");
        run_free(&r);
    }
    unlink(fifo);
    assert_false(exists(fp("nodir")));
    expect_no_temp_files();
}

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

/* ---------------------------------------------------------------- */
/* Broken trainings (issue 12): no model, one loss figure, sweeps    */
/* ---------------------------------------------------------------- */

/* A small nominal table: three columns of three words, three classes. */
static void write_nominal(const char *name)
{
    static const char *const words[] = {"lo", "mid", "hi"};
    char text[8192] = "a,b,c,y\n";
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, 5);
    for (int i = 0; i < 150; i++) {
        int v[3];
        for (int c = 0; c < 3; c++)
            v[c] = (int)fsnsa_rng_below(&rng, 3);
        char line[64];
        snprintf(line, sizeof line, "%s,%s,%s,%s\n", words[v[0]],
                 words[v[1]], words[v[2]],
                 v[0] == v[1] ? "same" : v[2] == 2 ? "high" : "other");
        strcat(text, line);
    }
    write_in_dir(name, text);
}

/* The stored train_loss line of a model file. */
static double stored_loss(const char *model)
{
    char *text = slurp(fp(model));
    assert_non_null(text);
    double v = value_after(text, "\ntrain_loss ");
    free(text);
    return v;
}

/* Fails: exit 1, the message with `cause` (and not `not_cause`), no
 * model, no temporary file. */
static void expect_broken_cli(const run_result *r, const char *cause,
                              const char *not_cause)
{
    expect_error(r, 1, "train", "is worse than ");
    if (strstr(r->err, "the loss of predicting the class frequencies") ==
            NULL ||
        strstr(r->err, cause) == NULL ||
        (not_cause != NULL && strstr(r->err, not_cause) != NULL) ||
        strstr(r->err, "no model written (--keep-going saves it anyway") ==
            NULL) {
        print_message("expected '%s', not '%s'\n", cause,
                      not_cause ? not_cause : "");
        show(r);
        fail();
    }
    assert_false(exists(fp("broken.model")));
    expect_no_temp_files();
}

static void test_broken_training_cli(void **state)
{
    (void)state;
    write_nominal("nominal.csv");
    run_result r;
    /* learning rate 10 */
    /* issue 12's cases: the paper's variant, as recorded there */
    RUN(&r, "train", "--variant", "paper", "--epochs", "30", "--start-hidden", "64", "--hidden",
        "8", "--lr", "10", "--header", "yes", "nominal.csv",
        "broken.model");
    expect_broken_cli(&r, "is the learning rate 10 too large?",
                      "weight decay");
    run_free(&r);
    /* weight decay 1e30 */
    RUN(&r, "train", "--variant", "paper", "--epochs", "30", "--start-hidden", "64", "--hidden",
        "8", "--weight-decay", "1e30", "--header", "yes", "nominal.csv",
        "broken.model");
    expect_broken_cli(&r, "is the weight decay 1e+30 too large?",
                      "learning rate");
    run_free(&r);
    /* 1e30-scale numbers left unscaled */
    char text[8192] = "x0,x1,y\n";
    fsnsa_rng rng;
    fsnsa_rng_seed(&rng, 2);
    for (int i = 0; i < 200; i++) {
        float a = 2 * fsnsa_rng_uniform(&rng) - 1;
        float b = 2 * fsnsa_rng_uniform(&rng) - 1;
        char line[96];
        snprintf(line, sizeof line, "%.9g,%.9g,%d\n", a * 1e30, b * 1e30,
                 a * b > 0);
        strcat(text, line);
    }
    write_in_dir("huge.csv", text);
    RUN(&r, "train", "--method", "dense", "--epochs", "30", "--scale", "none",
        "huge.csv", "broken.model");
    expect_broken_cli(&r, "in magnitude: are they standardized?",
                      "learning rate");
    run_free(&r);
    /* Weka's supermarket.arff in small: every attribute {t} or missing,
     * so with --missing mean every input column is constant */
    static char arff[40000];
    strcpy(arff, "@relation supermarket-like\n");
    for (int j = 0; j < 30; j++) {
        char line[64];
        snprintf(line, sizeof line, "@attribute 'dept%d' { t}\n", j);
        strcat(arff, line);
    }
    strcat(arff, "@attribute 'empty' { t}\n@attribute 'total' { low, high}\n"
                 "@data\n");
    for (int i = 0; i < 400; i++) {
        size_t len = strlen(arff);
        for (int j = 0; j < 30; j++)
            len += (size_t)sprintf(arff + len, "%s,",
                                   fsnsa_rng_uniform(&rng) < 0.3f ? "t" : "?");
        sprintf(arff + len, "?,%s\n",
                fsnsa_rng_uniform(&rng) < 0.36f ? "high" : "low");
    }
    write_in_dir("market.arff", arff);
    RUN(&r, "train", "--variant", "paper", "--missing", "mean",
        "--start-hidden", "256", "--hidden", "32", "--features", "16",
        "--epochs", "100", "market.arff",
        "broken.model");
    expect_broken_cli(&r, "every input column is constant", "learning rate");
    run_free(&r);

    /* --keep-going saves it, with a warning, exit 0; the printed training
     * loss is the stored one and inspect's and predict's, the exact
     * 1e+24-scale figure (not capped by clamped probabilities) */
    RUN(&r, "train", "--epochs", "30", "--start-hidden", "64", "--hidden",
        "8", "--lr", "10", "--keep-going", "--header", "yes", "nominal.csv",
        "kept.model");
    expect_code(&r, 0);
    assert_non_null(strstr(r.err, "fsnsa train: warning: the final training "
                                  "loss "));
    assert_non_null(strstr(r.err, "warning: --keep-going: saving a network "
                                  "that predicts worse than the class "
                                  "frequencies"));
    double printed = value_after(r.out, "rows 150     loss ");
    run_free(&r);
    assert_true(exists(fp("kept.model")));
    double stored = stored_loss("kept.model");
    RUN(&r, "inspect", "kept.model");
    expect_code(&r, 0);
    double shown = value_after(r.out, "train loss   ");
    run_free(&r);
    RUN(&r, "predict", "--header", "yes", "kept.model", "nominal.csv",
        "kept.out");
    expect_code(&r, 0);
    double predicted = value_after(r.out, "cross-entropy ");
    run_free(&r);
    print_message("kept: printed %.6f stored %.17g inspect %.6f predict %.6f\n",
                  printed, stored, shown, predicted);
    assert_true(stored > 28); /* beyond -log(1e-12) = 27.6 */
    char a[64], b[64], c[64], d[64];
    snprintf(a, sizeof a, "%.6f", printed);
    snprintf(b, sizeof b, "%.6f", stored);
    snprintf(c, sizeof c, "%.6f", shown);
    snprintf(d, sizeof d, "%.6f", predicted);
    assert_string_equal(a, b);
    assert_string_equal(b, c);
    assert_string_equal(c, d);

    /* a normal run: exit 0, and the same one figure */
    RUN(&r, "train", "--epochs", "30", "--start-hidden", "64", "--hidden",
        "8", "--header", "yes", "nominal.csv", "fine.model");
    expect_code(&r, 0);
    assert_null(strstr(r.err, "warning"));
    snprintf(a, sizeof a, "%.6f", value_after(r.out, "rows 150     loss "));
    run_free(&r);
    snprintf(b, sizeof b, "%.6f", stored_loss("fine.model"));
    RUN(&r, "predict", "--header", "yes", "fine.model", "nominal.csv",
        "fine.out");
    expect_code(&r, 0);
    snprintf(c, sizeof c, "%.6f", value_after(r.out, "cross-entropy "));
    run_free(&r);
    assert_string_equal(a, b);
    assert_string_equal(b, c);
}

/* A sweep in which 2 of 10 restarts break: both are recorded, marked,
 * listed last and left out of the summaries; a rerun from the job file
 * prints the same; the job lines keep their 9 values. Hit time never
 * counts a broken run as a hit. */
static void test_sweep_with_broken_runs(void **state)
{
    (void)state;
    run_result r, again;
    RUN(&r, "restarts", "--xor", "2", "--p", "2", "--n", "200", "--test-n",
        "0", "--hidden", "16", "--epochs", "20", "--lr", "10", "--restarts",
        "10", "--threads", "2", "--results", "broken-jobs.tsv");
    expect_code(&r, 0);
    const char *summary = strstr(r.out, "# broken=2 of 10 constant_loss=");
    if (summary == NULL) {
        show(&r);
        fail();
    }
    /* rows: rank, seed, loss, ..., broken, kept; the broken ones last */
    const char *row = strstr(r.out, "\tbroken\tkept\n") + 13;
    double good_sum = 0, best = INFINITY, worst = 0;
    for (int i = 1; i <= 10; i++) {
        int rank, broken = -1;
        unsigned long long seed;
        double loss;
        assert_int_equal(sscanf(row, "%d\t%llu\t%lf", &rank, &seed, &loss), 3);
        const char *eol = strchr(row, '\n');
        assert_non_null(eol);
        assert_int_equal(strncmp(eol - 4, "\tall", 4), 0); /* dense */
        broken = eol[-5] - '0';
        assert_int_equal(rank, i);
        assert_int_equal(broken, i > 8);
        if (!broken) {
            good_sum += loss;
            best = fmin(best, loss);
            worst = fmax(worst, loss);
        }
        row = eol + 1;
    }
    assert_true(fabs(value_after(r.out, "# mean loss=") - good_sum / 8) < 2e-6);
    assert_true(fabs(value_after(r.out, "worst=") - worst) < 1e-6);
    assert_true(fabs(value_after(r.out, "spread=") - (worst - best)) < 2e-6);
    RUN(&again, "restarts", "--xor", "2", "--p", "2", "--n", "200",
        "--test-n", "0", "--hidden", "16", "--epochs", "20", "--lr", "10",
        "--restarts", "10", "--threads", "1", "--results", "broken-jobs.tsv");
    expect_code(&again, 0);
    /* seconds aside (column 11), the same output */
    assert_int_equal(count_lines(again.out), count_lines(r.out));
    assert_non_null(strstr(again.out, "# broken=2 of 10 constant_loss="));
    assert_string_equal(strstr(again.out, "# best"), strstr(r.out, "# best"));
    run_free(&again);
    run_free(&r);
    char *jobs = slurp(fp("broken-jobs.tsv"));
    assert_non_null(jobs);
    size_t lines = 0;
    for (const char *l = strchr(jobs, '\n') + 1; *l != '\0';
         l = strchr(l, '\n') + 1, lines++) {
        int tabs = 0;
        for (const char *c = l; *c != '\n'; c++)
            tabs += *c == '\t';
        assert_int_equal(tabs, 11); /* key, 9 values, 1 mask, checksum */
    }
    assert_int_equal(lines, 10);
    free(jobs);

    /* threshold 0: every run that is not broken is a hit */
    RUN(&r, "hittime", "--xor", "2", "--ps", "2", "--n", "200", "--hidden",
        "16", "--epochs", "20", "--lr", "10", "--runs", "10", "--hits", "10",
        "--threshold", "0", "--threads", "2");
    expect_code(&r, 0);
    if (strstr(r.out, "\n2\t10\t8\t") == NULL ||
        strstr(r.out, "\tbest_train_auc\tbroken\n") == NULL) {
        show(&r);
        fail();
    }
    const char *eol = strrchr(r.out, '\n');
    assert_true(eol > r.out && eol[-1] == '2');
    /* a dense net has no variant; fsa-nsa names it in the first line */
    assert_null(strstr(r.out, "variant="));
    run_free(&r);
    RUN(&r, "hittime", "--xor", "2", "--ps", "2", "--n", "200", "--method",
        "fsa-nsa", "--start-hidden", "16", "--hidden", "4", "--epochs", "3",
        "--runs", "1", "--variant", "stable");
    expect_code(&r, 0);
    eol = strchr(r.out, '\n');
    assert_non_null(eol);
    assert_memory_equal(eol - 15, " variant=stable", 15);
    run_free(&r);
}

/* --init: the sizes are the model's, the size training started from is
 * stored, and a --start-hidden or --scale the warm start cannot honour is
 * refused rather than ignored. */
static void test_init_sizes_and_scale(void **state)
{
    (void)state;
    fixtures(); /* small.model: 64 -> 16 nodes, 2 features, standard */
    run_result r;
    RUN(&r, "train", "-q", "--epochs", "2", "--init", fp("small.model"),
        "--start-hidden", "32", fp("small.csv"), fp("warm.model"));
    expect_error(&r, 2, "train", "--start-hidden 32: a warm start starts "
                                 "from the 16 nodes of the --init model");
    assert_null(strstr(r.err, "128")); /* the fresh default, not used */
    run_free(&r);
    RUN(&r, "train", "-q", "--epochs", "2", "--init", fp("small.model"),
        "--scale", "minmax", fp("small.csv"), fp("warm.model"));
    expect_error(&r, 2, "train", "--scale minmax: the --init model's weights "
                                 "expect inputs scaled by its own scaler "
                                 "(standard");
    run_free(&r);
    assert_false(exists(fp("warm.model")));
    /* agreeing values are fine; the model says it started from 16 */
    RUN(&r, "train", "-q", "--epochs", "2", "--keep-going", "--init",
        fp("small.model"), "--start-hidden", "16", "--hidden", "8",
        "--scale", "standard", fp("small.csv"), fp("warm.model"));
    expect_code(&r, 0);
    run_free(&r);
    RUN(&r, "inspect", fp("warm.model"));
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "hidden 8  start-hidden 16  features 2"));
    assert_non_null(strstr(r.out, "nodes        8\n"));
    run_free(&r);
    RUN(&r, "train", "-q", "--epochs", "2", "--keep-going", "--init",
        fp("small.model"), fp("small.csv"), fp("warm2.model"));
    expect_code(&r, 0);
    run_free(&r);
    RUN(&r, "inspect", fp("warm2.model"));
    expect_code(&r, 0);
    assert_non_null(strstr(r.out, "hidden 16  start-hidden 16  features 2"));
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_plot),
        cmocka_unit_test(test_plot_validation),
        cmocka_unit_test(test_plot_labels_inside),
        cmocka_unit_test(test_restarts_kept_columns),
        cmocka_unit_test(test_train_progress),
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
        cmocka_unit_test(test_reader_warnings_and_options),
        cmocka_unit_test(test_predict_label_first),
        cmocka_unit_test(test_predict_header_and_marks),
        cmocka_unit_test(test_predict_labels_file_and_format),
        cmocka_unit_test(test_predict_old_model),
        cmocka_unit_test(test_schedule),
        cmocka_unit_test(test_results_other_data_refused),
        cmocka_unit_test(test_results_each_data_option),
        cmocka_unit_test(test_results_hittime_and_grid),
        cmocka_unit_test(test_results_format1_adopted),
        cmocka_unit_test(test_interrupt),
        cmocka_unit_test(test_sigterm),
        cmocka_unit_test(test_divergence),
        cmocka_unit_test(test_outputs_device_fifo_symlink),
        cmocka_unit_test(test_outputs_checked_first),
        cmocka_unit_test(test_end_to_end_xor),
        cmocka_unit_test(test_broken_training_cli),
        cmocka_unit_test(test_sweep_with_broken_runs),
        cmocka_unit_test(test_init_sizes_and_scale),
    };
    return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}

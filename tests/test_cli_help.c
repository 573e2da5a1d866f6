/* Every default a --help prints in brackets is the one the command uses,
 * from where the project states it: the library's *_default() functions
 * (fsnsa_train_options_default with fsnsa_train_default_hidden,
 * fsnsa_read_options_default and FSNSA_DEFAULT_NA_VALUES, the
 * experiments' fsnsa_*_options_default) or the subcommand's own default
 * where the library has none. A default changed on one side only fails
 * here. Runs of train and restarts with no training option given check
 * that what runs is what the help says; docs/cli.md must list every
 * option of every --help with the same default. */
#include "testutil.h"

#include <sys/wait.h>

#include "fsnsa_exp.h"

/* ---------------------------------------------------------------- */
/* Running the command                                               */
/* ---------------------------------------------------------------- */

static char dir[256]; /* scratch directory; the command's cwd */

/* stdout of `fsnsa args...` run in dir, which must exit 0. */
static char *run_out(const char *const *args)
{
    const char *argv[32];
    size_t n = 0;
    argv[n++] = tu_bin();
    for (; args[n - 1] != NULL; n++) {
        assert_true(n < 31);
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
    char out[512];
    snprintf(out, sizeof out, "%s/.stdout", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || o < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 ||
            dup2(in, 2) < 0 || chdir(dir) != 0)
            _exit(127);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        assert_int_equal(errno, EINTR);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        print_message("fsnsa %s ... failed (status %d)\n", args[0], status);
        fail();
    }
    char *s = tu_slurp(out, NULL);
    assert_non_null(s);
    unlink(out);
    return s;
}

#define OUT(...) run_out((const char *const[]){__VA_ARGS__, NULL})

/* ---------------------------------------------------------------- */
/* The defaults a --help shows                                       */
/* ---------------------------------------------------------------- */

/* One option: its long name and its bracketed default ("" if none). */
typedef struct {
    char name[48];
    char value[600];
} entry;

typedef struct {
    entry e[96];
    size_t n;
} entries;

/* Compare texts as a reader does: runs of blanks are one space, and a
 * space after a comma does not count (a wrapped list breaks there). */
static void normalize(const char *s, char *out, size_t size)
{
    size_t o = 0;
    int space = 0;
    for (; *s != '\0' && o + 1 < size; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '`') {
            space = *s != '`' || space;
            continue;
        }
        if (space && o > 0 && out[o - 1] != ',')
            out[o++] = ' ';
        space = 0;
        out[o++] = *s;
    }
    out[o] = '\0';
}

static entry *find(entries *es, const char *name)
{
    for (size_t i = 0; i < es->n; i++)
        if (strcmp(es->e[i].name, name) == 0)
            return &es->e[i];
    return NULL;
}

static void put(entries *es, const char *name, const char *value)
{
    entry *e = find(es, name);
    if (e == NULL) {
        assert_true(es->n < sizeof es->e / sizeof es->e[0]);
        e = &es->e[es->n++];
        snprintf(e->name, sizeof e->name, "%s", name);
    }
    normalize(value, e->value, sizeof e->value);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void put_fmt(entries *es, const char *name, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    put(es, name, buf);
}

/* The first "--name" in s (up to a blank, '=' or the end) into name. */
static int long_name(const char *s, const char *end, char *name,
                     size_t size)
{
    const char *p = strstr(s, "--");
    if (p == NULL || p >= end)
        return 0;
    size_t len = strcspn(p, " \t,=|\\`\n");
    if (len >= size)
        len = size - 1;
    memcpy(name, p, len);
    name[len] = '\0';
    return 1;
}

/* Option lines start with "  -"; their text goes on in lines indented to
 * column 24. The default is the last [...] of the text. */
static void parse_help(const char *help, entries *es)
{
    es->n = 0;
    const char *line = help;
    while (*line != '\0') {
        const char *eol = strchr(line, '\n');
        if (eol == NULL)
            eol = line + strlen(line);
        char name[48];
        if (strncmp(line, "  -", 3) != 0 ||
            !long_name(line, eol, name, sizeof name)) {
            line = *eol ? eol + 1 : eol;
            continue;
        }
        char text[2048] = "";
        size_t o = 0;
        const char *l = line;
        do {
            const char *e = strchr(l, '\n');
            size_t len = e != NULL ? (size_t)(e - l) : strlen(l);
            if (o + len + 2 < sizeof text) {
                memcpy(text + o, l, len);
                o += len;
                text[o++] = ' ';
                text[o] = '\0';
            }
            l = e != NULL ? e + 1 : l + len;
        } while (strncmp(l, "                        ", 24) == 0);
        line = l;
        char *open = strrchr(text, '['), *close = strrchr(text, ']');
        if (open != NULL && close != NULL && close > open) {
            *close = '\0';
            put(es, name, open + 1);
        } else {
            put(es, name, "");
        }
    }
}

/* What --hidden's 0 means, as the help words it: "N for a and b, M for
 * c and d", one group per distinct fsnsa_train_default_hidden, in the
 * order of the methods. */
static void automatic_hidden(char *buf, size_t size)
{
    size_t nodes[8], n = 0, o = 0;
    for (const char *const *m = fsnsa_method_names(); *m != NULL; m++, n++)
        nodes[n] = fsnsa_train_default_hidden((fsnsa_method)n);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        size_t count = 0, k = 0;
        for (size_t j = 0; j < n; j++) {
            seen |= j < i && nodes[j] == nodes[i];
            count += nodes[j] == nodes[i];
        }
        if (seen)
            continue;
        o += (size_t)snprintf(buf + o, size - o, "%s%zu for ", o ? ", " : "",
                              nodes[i]);
        for (size_t j = 0; j < n; j++) {
            if (nodes[j] != nodes[i])
                continue;
            const char *sep = k == 0 ? "" : k + 1 == count ? " and " : ", ";
            k++;
            o += (size_t)snprintf(buf + o, size - o, "%s%s", sep,
                                  fsnsa_method_name((fsnsa_method)j));
        }
    }
}

/* Expected defaults: those of the options each help shows. */
static void expect_train_options(entries *x, const fsnsa_train_options *t,
                                 const char *features)
{
    char buf[160];
    put(x, "--method", fsnsa_method_name(t->method));
    if (t->hidden != 0)
        snprintf(buf, sizeof buf, "%zu", t->hidden);
    else
        automatic_hidden(buf, sizeof buf);
    put(x, "--hidden", buf);
    put_fmt(x, "--start-hidden", "%zu", t->start_hidden);
    if (t->features != 0)
        put_fmt(x, "--features", "%zu", t->features);
    else
        put(x, "--features", features);
    put_fmt(x, "--epochs", "%d", t->epochs);
    put_fmt(x, "--mu", "%g", t->mu);
    put(x, "--variant", fsnsa_variant_name(t->variant));
    if (t->batch != 0)
        put_fmt(x, "--batch", "%zu", t->batch);
    else
        put(x, "--batch", "full");
    put_fmt(x, "--lr", "%g", t->lr);
    put_fmt(x, "--weight-decay", "%g", t->weight_decay);
}

static const char *delimiter_name(char d)
{
    static char one[2];
    switch (d) {
    case 0: return "auto";
    case '\t': return "tab";
    case ' ': return "space";
    case ',': return "comma";
    case ';': return "semicolon";
    default: one[0] = d; return one;
    }
}

static void expect_data_options(entries *x, const char *missing)
{
    fsnsa_read_options r;
    fsnsa_read_options_default(&r);
    put_fmt(x, "--format", "%s%s", fsnsa_format_name(r.format),
            r.format == FSNSA_FORMAT_AUTO
                ? ": from the extension, then the content"
                : "");
    put(x, "--delimiter", delimiter_name(r.delimiter));
    put(x, "--decimal", r.decimal == 0 ? "auto" : (char[]){r.decimal, 0});
    put(x, "--header", r.header < 0 ? "auto" : r.header ? "yes" : "no");
    put(x, "--label-column", r.label_column ? r.label_column : "last");
    put(x, "--labels-file", r.labels_file ? r.labels_file : "none");
    put(x, "--missing", missing ? missing : fsnsa_missing_name(r.missing));
    put(x, "--na-values", r.na_values ? r.na_values : FSNSA_DEFAULT_NA_VALUES);
    put(x, "--ignore-columns", r.ignore_columns ? r.ignore_columns : "none");
}

/* The XOR and file data of the experiments, their own defaults. */
static void expect_exp_data(entries *x, const char *n, const char *test_n,
                            int with_test)
{
    put(x, "--xor", "off");
    put(x, "--n", n);
    put(x, "--p", "K");
    put(x, "--test-n", test_n);
    put(x, "--data-seed", "1");
    if (with_test) {
        put(x, "--test", "none");
        put(x, "--test-fraction", "none");
        put(x, "--split-seed", "0");
    }
    put(x, "--scale", "none for XOR, standard for files");
    put(x, "--task", "detect");
    expect_data_options(x, NULL);
    put(x, "--threads", "all cores");
    put(x, "--results", "none");
    put(x, "--adopt-results", "off");
    put(x, "--shard", "all jobs");
    put(x, "--progress", "auto: when stderr is a terminal");
    put(x, "--quiet", "off");
    put(x, "--help", "");
}

static void expect_train(entries *x)
{
    fsnsa_train_options t;
    fsnsa_train_options_default(&t);
    expect_train_options(x, &t, "half of the encoded columns, rounded up");
    put_fmt(x, "--seed", "%llu", (unsigned long long)t.seed);
    put(x, "--shuffle", t.shuffle ? "on" : "off");
    put(x, "--keep-going",
        t.keep_going ? "on" : "off: exit 1, no model written");
    put(x, "--task", "detect");
    fsnsa_fit_options fo;
    fsnsa_fit_options_default(&fo);
    put_fmt(x, "--restarts", "%zu", fo.restarts);
    put_fmt(x, "--threads", "%d", fo.threads);
    put(x, "--class-weight", fsnsa_class_weight_name(t.class_weight));
    put_fmt(x, "--validation-fraction", "%g: none", t.validation_fraction);
    put(x, "--keep", fsnsa_keep_name(t.keep));
    put_fmt(x, "--early-stopping", "%d: never", t.early_stopping);
    fsnsa_select_options so;
    fsnsa_select_options_default(&so);
    put_fmt(x, "--select-folds", "%zu", so.folds);
    put_fmt(x, "--select-epochs", "%d", so.finetune_epochs);
    assert_int_equal(so.n_sizes, 0); /* the help words the two-ended path */
    put(x, "--select-sizes", fsnsa_select_path_text());
    put(x, "--select-score", fsnsa_select_score_name(so.score));
    put(x, "--select-rule", fsnsa_select_rule_name(so.rule));
    assert_int_equal(so.refit_epochs, 0); /* 0: the training's epochs */
    put(x, "--select-refit-epochs", "--epochs");
    put(x, "--refit", fsnsa_refit_name(fo.refit));
    size_t nh;
    const size_t *hs = fsnsa_select_hidden_default(&nh);
    char hbuf[128] = "";
    for (size_t i = 0, o = 0; i < nh && o < sizeof hbuf; i++)
        o += (size_t)snprintf(hbuf + o, sizeof hbuf - o, "%s%zu",
                              i ? "," : "", hs[i]);
    put(x, "--select-hidden", hbuf);
    /* train's own: the library has no option of these */
    put(x, "--init", "none");
    put(x, "--scale", "standard");
    expect_data_options(x, NULL);
    put(x, "--test", "none");
    put(x, "--test-fraction", "none");
    put(x, "--split-seed", "0");
    put(x, "--path", "none");
    put(x, "--plot", "none");
    put(x, "--quiet", "off");
    put(x, "--verbose", "off: one line updated in place on a terminal, "
                        "a line per epoch otherwise");
    put(x, "--help", "");
}

static void expect_predict(entries *x)
{
    put(x, "--proba", "off");
    put(x, "--quiet", "off");
    put(x, "--help", "");
    expect_data_options(x, "as the model was trained");
}

/* the grid's header network: dense, with the nodes the library gives
 * dense (exp_train_dense_default) */
static void expect_dense_training(entries *x, fsnsa_train_options t)
{
    t.method = FSNSA_METHOD_DENSE;
    if (t.hidden == 0)
        t.hidden = fsnsa_train_default_hidden(t.method);
    expect_train_options(x, &t, "K for XOR, half the columns otherwise");
}

static void expect_restarts(entries *x)
{
    fsnsa_restarts_options ro;
    fsnsa_restarts_options_default(&ro);
    put_fmt(x, "--restarts", "%zu", ro.restarts);
    put_fmt(x, "--seed", "%llu", (unsigned long long)ro.seed0);
    put_fmt(x, "--tolerance", "%g", ro.tolerance);
    expect_train_options(x, &ro.train, "K for XOR, half the columns otherwise");
    expect_exp_data(x, "1000", "3000", 1);
}

static void expect_hittime(entries *x)
{
    fsnsa_hittime_options ho;
    fsnsa_hittime_options_default(&ho);
    put(x, "--ps", "required");
    put_fmt(x, "--runs", "%zu", ho.max_runs);
    put_fmt(x, "--hits", "%zu", ho.target_hits);
    put_fmt(x, "--threshold", "%g", ho.threshold);
    put_fmt(x, "--seed", "%llu", (unsigned long long)ho.seed0);
    put(x, "--all-p", ho.stop_censored ? "off" : "on");
    /* the library's Figure 4 net (dense, 20 nodes); the command's XOR
     * data: 3000 rows, no test rows */
    expect_train_options(x, &ho.train, "K for XOR, 1 otherwise");
    expect_exp_data(x, "3000", "0", 1);
}

/* A list default, "a,b,c" */
static void put_sizes(entries *x, const char *name, const size_t *v,
                      size_t n)
{
    char buf[256] = "";
    for (size_t i = 0, o = 0; i < n && o < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%zu", i ? "," : "",
                              v[i]);
    put(x, name, buf);
}

static void put_doubles(entries *x, const char *name, const double *v,
                        size_t n)
{
    char buf[256] = "";
    for (size_t i = 0, o = 0; i < n && o < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%g", i ? "," : "",
                              v[i]);
    put(x, name, buf);
}

/* plot has no default of the library's: its output follows its input. */
static void expect_plot(entries *x)
{
    put(x, "--output", "RUN.png: RUN.path's name with .png");
    put(x, "--help", "");
}

static void expect_merge(entries *x)
{
    put(x, "--output", "required");
    put(x, "--quiet", "off");
    put(x, "--help", "");
}

static void expect_grid(entries *x)
{
    fsnsa_grid_options go;
    fsnsa_grid_options_default(&go);
    put_fmt(x, "--folds", "%zu", go.folds);
    put_fmt(x, "--repeats", "%zu", go.repeats);
    put_fmt(x, "--retrains", "%zu", go.retrains);
    put_fmt(x, "--seed", "%llu", (unsigned long long)go.seed);
    put_fmt(x, "--test-fraction", "%g", go.test_fraction);
    put_fmt(x, "--split-seed", "%llu", (unsigned long long)go.split_seed);
    put_sizes(x, "--grid-hidden", go.hidden, go.n_hidden);
    put_doubles(x, "--grid-l2", go.l2, go.n_l2);
    put_sizes(x, "--grid-batch", go.batch, go.n_batch);
    put(x, "--methods", go.dense && go.fsa_nsa ? "dense,fsa-nsa"
                        : go.dense             ? "dense"
                                               : "fsa-nsa");
    /* the command's own */
    put(x, "--sizes", "p/4:8,p/4:32,p/2:8,p/2:32, rounded up");
    put(x, "--peek-test", "off: the net after the last epoch");
    put(x, "--name", "DATA's file name");
    expect_dense_training(x, go.train);
    expect_exp_data(x, "1000", "3000", 0);
}

static void expect_schedule(entries *x)
{
    fsnsa_train_options t;
    fsnsa_train_options_default(&t);
    put_fmt(x, "--epochs", "%d", t.epochs);
    put_fmt(x, "--start-hidden", "%zu", t.start_hidden);
    put_fmt(x, "--hidden", "%zu",
            t.hidden ? t.hidden : fsnsa_train_default_hidden(t.method));
    put_fmt(x, "--mu", "%g", t.mu);
    put(x, "--p", "15"); /* the paper's Figure 6 */
    put(x, "--features", "3");
    put(x, "--help", "");
}

static void expect_xor(entries *x)
{
    put(x, "--n", "3000");
    put(x, "--p", "15");
    put(x, "--k", "3");
    put(x, "--seed", "1");
    put(x, "--test", "off: training pool");
    put(x, "--output", "standard output");
    put(x, "--help", "");
}

static void expect_inspect(entries *x)
{
    put(x, "--json", "off");
    put(x, "--help", "");
}

/* Every subcommand and the defaults its --help must show. */
static const struct {
    const char *name;
    void (*expect)(entries *x);
} COMMANDS[] = {{"train", expect_train},       {"predict", expect_predict},
                {"inspect", expect_inspect},   {"xor", expect_xor},
                {"schedule", expect_schedule}, {"restarts", expect_restarts},
                {"hittime", expect_hittime},   {"grid", expect_grid},
                {"plot", expect_plot},         {"merge", expect_merge}};
#define N_COMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

/* Each side's entries are the other's: no option missing, none extra,
 * every default the same. */
static void expect_same(const char *cmd, const char *what, entries *want,
                        entries *got)
{
    int bad = 0;
    for (size_t i = 0; i < want->n; i++) {
        entry *g = find(got, want->e[i].name);
        if (g == NULL) {
            print_message("%s: %s %s is missing\n", cmd, what,
                          want->e[i].name);
            bad = 1;
        } else if (strcmp(g->value, want->e[i].value) != 0) {
            print_message("%s %s: %s says [%s], expected [%s]\n", cmd,
                          want->e[i].name, what, g->value, want->e[i].value);
            bad = 1;
        }
    }
    for (size_t i = 0; i < got->n; i++)
        if (find(want, got->e[i].name) == NULL) {
            print_message("%s: %s has %s [%s], not expected\n", cmd, what,
                          got->e[i].name, got->e[i].value);
            bad = 1;
        }
    if (bad)
        fail();
}

static void test_help_defaults(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_COMMANDS; i++) {
        char *help = OUT(COMMANDS[i].name, "--help");
        entries *got = calloc(1, sizeof *got), *want = calloc(1, sizeof *want);
        assert_non_null(got);
        assert_non_null(want);
        parse_help(help, got);
        COMMANDS[i].expect(want);
        expect_same(COMMANDS[i].name, "--help", want, got);
        free(got);
        free(want);
        free(help);
    }
}

/* ---------------------------------------------------------------- */
/* What runs is what the help says                                   */
/* ---------------------------------------------------------------- */

/* The number after `key` in text. */
static double number_after(const char *text, const char *key)
{
    const char *p = strstr(text, key);
    if (p == NULL) {
        print_message("no '%s' in:\n%s\n", key, text);
        fail();
    }
    return strtod(p + strlen(key), NULL);
}

static const char *default_of(entries *es, const char *name)
{
    entry *e = find(es, name);
    assert_non_null(e);
    return e->value;
}

static void test_train_runs_its_help(void **state)
{
    (void)state;
    entries *h = calloc(1, sizeof *h);
    assert_non_null(h);
    char *help = OUT("train", "--help");
    parse_help(help, h);
    free(help);
    free(OUT("xor", "--n", "60", "--p", "5", "--k", "2", "-o", "x.csv"));
    free(OUT("train", "-q", "x.csv", "x.model"));
    char *js = OUT("inspect", "--json", "x.model");
    /* every default the model records is the help's */
    char want[700];
    snprintf(want, sizeof want, "\"method\": \"%s\"",
             default_of(h, "--method"));
    assert_non_null(strstr(js, want));
    snprintf(want, sizeof want, "\"scale\": \"%s\"", default_of(h, "--scale"));
    assert_non_null(strstr(js, want));
    snprintf(want, sizeof want, "\"missing\": \"%s\"",
             default_of(h, "--missing"));
    assert_non_null(strstr(js, want));
    /* the automatic sizes the help describes, for 5 columns */
    fsnsa_method m =
        (fsnsa_method)fsnsa_method_parse(default_of(h, "--method"));
    assert_int_equal(number_after(js, "\"hidden\": "),
                     fsnsa_train_default_hidden(m));
    assert_int_equal(number_after(js, "\"options\": {\"epochs\": "),
                     atoi(default_of(h, "--epochs")));
    const char *num[][2] = {{"--start-hidden", "\"start_hidden\": "},
                            {"--mu", "\"mu\": "},
                            {"--batch", "\"batch\": "},
                            {"--lr", "\"lr\": "},
                            {"--weight-decay", "\"weight_decay\": "},
                            {"--seed", "\"seed\": "}};
    for (size_t i = 0; i < sizeof num / sizeof num[0]; i++)
        assert_true(number_after(js, num[i][1]) ==
                    strtod(default_of(h, num[i][0]), NULL));
    char half[64];
    normalize("half of the encoded columns, rounded up", half, sizeof half);
    assert_string_equal(default_of(h, "--features"), half);
    assert_int_equal(number_after(js, "\"features\": "), (5 + 1) / 2);
    snprintf(want, sizeof want, "\"shuffle\": %s",
             strcmp(default_of(h, "--shuffle"), "on") == 0 ? "true"
                                                            : "false");
    assert_non_null(strstr(js, want));
    free(js);
    free(h);
}

static void test_restarts_runs_its_help(void **state)
{
    (void)state;
    entries *h = calloc(1, sizeof *h);
    assert_non_null(h);
    char *help = OUT("restarts", "--help");
    parse_help(help, h);
    free(help);
    /* every training option at its default; a tiny XOR data set */
    char *out = OUT("restarts", "--xor", "2", "--n", "40", "--test-n", "0",
                    "--restarts", "1", "--threads", "1");
    const char *keys[][2] = {{"--hidden", "hidden="},
                             {"--start-hidden", "start-hidden="},
                             {"--epochs", "epochs="},
                             {"--mu", "mu="},
                             {"--batch", "batch="},
                             {"--lr", "lr="},
                             {"--weight-decay", "weight-decay="},
                             {"--data-seed", "data-seed="},
                             {"--seed", "# R=1 seeds "},
                             {"--tolerance", "tolerance="}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_true(number_after(out, keys[i][1]) ==
                    strtod(default_of(h, keys[i][0]), NULL));
    char want[700];
    snprintf(want, sizeof want, " method=%s ", default_of(h, "--method"));
    assert_non_null(strstr(out, want));
    assert_int_equal(number_after(out, "features="), 2); /* K */
    free(out);
    free(h);
}

/* ---------------------------------------------------------------- */
/* docs/cli.md                                                       */
/* ---------------------------------------------------------------- */

/* The options of the tables in the section of docs/cli.md whose heading
 * starts with `heading`: "| `--opt ARG` | meaning | default |". */
static int doc_section(const char *doc, const char *heading, entries *es)
{
    const char *s = strstr(doc, heading);
    if (s == NULL)
        return 0;
    const char *end = strstr(s + 1, "\n## ");
    if (end == NULL)
        end = s + strlen(s);
    for (const char *l = strchr(s, '\n'); l != NULL && l < end;
         l = strchr(l + 1, '\n')) {
        const char *eol = strchr(l + 1, '\n');
        if (eol == NULL)
            eol = l + strlen(l);
        char name[48];
        if (strncmp(l + 1, "| `-", 4) != 0)
            continue;
        const char *cell_end = strstr(l + 3, " | ");
        if (cell_end == NULL || !long_name(l + 1, cell_end, name, sizeof name))
            continue;
        /* the last cell */
        const char *last = eol;
        while (last > l && last[-1] == ' ')
            last--;
        if (last > l && last[-1] == '|')
            last--;
        const char *bar = last;
        while (bar > l && !(bar[-1] == '|' && bar[-2] == ' '))
            bar--;
        char value[600];
        size_t len = (size_t)(last - bar);
        if (len >= sizeof value)
            len = sizeof value - 1;
        memcpy(value, bar, len);
        value[len] = '\0';
        put(es, name, value);
    }
    return 1;
}

static void drop(entries *es, const char *name)
{
    entry *e = find(es, name);
    if (e != NULL)
        *e = es->e[--es->n];
}

static void test_docs_match_help(void **state)
{
    (void)state;
    char *doc = tu_slurp("docs/cli.md", NULL);
    assert_non_null(doc); /* the tests run from the top of the tree */
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const char *cmd = COMMANDS[i].name;
        char heading[64];
        snprintf(heading, sizeof heading, "\n## `fsnsa %s`", cmd);
        entries *own = calloc(1, sizeof *own), *all = calloc(1, sizeof *all);
        entries *got = calloc(1, sizeof *got);
        assert_non_null(own);
        assert_non_null(all);
        assert_non_null(got);
        int exp = strcmp(cmd, "restarts") == 0 ||
                  strcmp(cmd, "hittime") == 0 || strcmp(cmd, "grid") == 0;
        int data = exp || strcmp(cmd, "train") == 0 ||
                   strcmp(cmd, "predict") == 0;
        /* the shared tables first: a command's own row overrides them */
        if (data)
            assert_true(doc_section(doc, "\n## Data options", all));
        if (exp)
            assert_true(doc_section(doc, "\n## Experiment options", all));
        if (!doc_section(doc, heading, own))
            fail_msg("docs/cli.md has no section %s", heading + 1);
        for (size_t j = 0; j < own->n; j++)
            put(all, own->e[j].name, own->e[j].value);
        char *help = OUT(cmd, "--help");
        parse_help(help, got);
        free(help);
        /* --help documents itself; grid refuses --test, which the shared
         * table lists for restarts and hittime */
        drop(got, "--help");
        if (strcmp(cmd, "grid") == 0)
            drop(all, "--test");
        expect_same(cmd, "docs/cli.md", got, all);
        free(own);
        free(all);
        free(got);
    }
    free(doc);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/fsnsa-help-XXXXXX");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char path[512];
    const char *const files[] = {"x.csv", "x.model"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_defaults),
        cmocka_unit_test(test_train_runs_its_help),
        cmocka_unit_test(test_restarts_runs_its_help),
        cmocka_unit_test(test_docs_match_help),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

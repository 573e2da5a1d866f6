/* Shared by fsnsa restarts, hittime and grid (see exp_common.h). */
#include "exp_common.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

void exp_config_default(exp_config *c, fsnsa_method method, size_t hidden)
{
    memset(c, 0, sizeof *c);
    c->n = 1000;
    c->test_n = 3000;
    c->data_seed = 1;
    c->scale = -1;
    fsnsa_read_options_default(&c->read);
    fsnsa_train_options_default(&c->train);
    c->train.method = method;
    c->train.hidden = hidden;
    c->train.start_hidden = 1024;
    c->train.epochs = 300;
    c->train.batch = 32;
#ifdef _OPENMP
    c->threads = omp_get_num_procs();
#else
    c->threads = 1;
#endif
    c->progress = -1;
}

int exp_option(const char *cmd, int c, const char *arg, exp_config *cfg)
{
    static const char *const scales[] = {"none", "standard", "minmax", NULL};
    static const char *const onoff[] = {"off", "on", "auto", NULL};
    long long ll;
    int v;
    int r = cli_data_option(cmd, c, arg, &cfg->read);
    if (r <= 0)
        return r;
    switch (c) {
    case EXP_OPT_XOR:
        return cli_opt_size(cmd, "xor", arg, 1, 64, &cfg->xor_k);
    case EXP_OPT_N:
        return cli_opt_size(cmd, "n", arg, 2, 100000000, &cfg->n);
    case EXP_OPT_P:
        cfg->p_given = 1;
        return cli_opt_size(cmd, "p", arg, 1, 1000000, &cfg->p);
    case EXP_OPT_TEST_N:
        return cli_opt_size(cmd, "test-n", arg, 0, 100000000, &cfg->test_n);
    case EXP_OPT_DATA_SEED:
        return cli_opt_u64(cmd, "data-seed", arg, &cfg->data_seed);
    case EXP_OPT_TEST:
        cfg->test = arg;
        return 0;
    case EXP_OPT_TEST_FRACTION:
        return cli_opt_double(cmd, "test-fraction", arg, 0, 1, 1, 1,
                              &cfg->test_fraction);
    case EXP_OPT_SPLIT_SEED:
        return cli_opt_u64(cmd, "split-seed", arg, &cfg->split_seed);
    case EXP_OPT_SCALE:
        if (cli_opt_choice(cmd, "scale", arg, scales, &v) != 0)
            return -1;
        cfg->scale = v;
        return 0;
    case EXP_OPT_METHOD:
        v = fsnsa_method_parse(arg);
        if (v < 0) {
            cli_error(cmd, "--method: expected dense, nsa, fsa or fsa-nsa, "
                      "got '%s'", arg);
            return -1;
        }
        cfg->train.method = (fsnsa_method)v;
        cfg->method_given = 1;
        return 0;
    case EXP_OPT_HIDDEN:
        cfg->hidden_given = 1;
        return cli_opt_size(cmd, "hidden", arg, 1, 1000000, &cfg->train.hidden);
    case EXP_OPT_START_HIDDEN:
        return cli_opt_size(cmd, "start-hidden", arg, 1, 1000000,
                            &cfg->train.start_hidden);
    case EXP_OPT_FEATURES:
        cfg->features_given = 1;
        return cli_opt_size(cmd, "features", arg, 1, 100000000,
                            &cfg->train.features);
    case EXP_OPT_EPOCHS:
        if (cli_opt_int(cmd, "epochs", arg, 1, 1000000, &ll) != 0)
            return -1;
        cfg->train.epochs = (int)ll;
        return 0;
    case EXP_OPT_MU:
        return cli_opt_double(cmd, "mu", arg, 0, 0, 1e6, 0, &cfg->train.mu);
    case EXP_OPT_BATCH: {
        cli_msg m;
        const char *e = cli_parse_batch(arg, 1000000000, &cfg->train.batch, &m);
        if (e != NULL) {
            cli_error(cmd, "--batch: %s", e);
            return -1;
        }
        return 0;
    }
    case EXP_OPT_LR:
        return cli_opt_double(cmd, "lr", arg, 0, 1, INFINITY, 0, &cfg->train.lr);
    case EXP_OPT_WEIGHT_DECAY:
        return cli_opt_double(cmd, "weight-decay", arg, 0, 0, INFINITY, 0,
                              &cfg->train.weight_decay);
    case EXP_OPT_THREADS:
        if (cli_opt_int(cmd, "threads", arg, 1, 1024, &ll) != 0)
            return -1;
        cfg->threads = (int)ll;
        return 0;
    case EXP_OPT_RESULTS:
        cfg->results = arg;
        return 0;
    case EXP_OPT_ADOPT_RESULTS:
        cfg->adopt_results = 1;
        return 0;
    case EXP_OPT_PROGRESS:
        if (cli_opt_choice(cmd, "progress", arg, onoff, &v) != 0)
            return -1;
        cfg->progress = v == 2 ? -1 : v;
        return 0;
    case 'q':
        cfg->quiet = 1;
        return 0;
    }
    return 1;
}

void exp_data_help(FILE *f, int with_file)
{
    fprintf(f,
        "Data (a file, or the k-D XOR pools of the paper):\n"
        "  --xor K               K-D XOR in P dimensions instead of DATA [off]\n"
        "  --n N                 XOR training rows (first N of the pool) "
        "[1000]\n"
        "  --p P                 XOR dimensions (first P columns) [K]\n"
        "  --test-n N            XOR test rows, from the test pool (stream 1);"
        "\n"
        "                        0 = none [3000]\n"
        "  --data-seed S         seed of the XOR pools [1]\n");
    if (with_file == 1) {
        fprintf(f,
            "  --test FILE           test data for DATA [none]\n"
            "  --test-fraction F     hold out a stratified fraction of DATA "
            "as test\n"
            "                        set [none]\n"
            "  --split-seed S        seed of that split [0]\n");
    }
    fprintf(f,
        "  --scale S             standard, minmax or none, fitted on the "
        "training\n"
        "                        rows [none for XOR, standard for files]\n");
    if (with_file != 0)
        cli_data_help(f, "refuse");
}

void exp_train_help(FILE *f, const exp_config *d)
{
    fprintf(f,
        "Training:\n"
        "  --method M            dense, nsa, fsa or fsa-nsa [%s]\n"
        "  --hidden h            (final) hidden nodes [%zu]\n"
        "  --start-hidden H      starting nodes for nsa and fsa-nsa [%zu]\n"
        "  --features k          features kept by fsa and fsa-nsa [K for "
        "XOR,\n"
        "                        half the columns otherwise]\n"
        "  --epochs N            epochs [%d]\n"
        "  --mu M                annealing parameter [%g]\n"
        "  --batch B|full        mini-batch size [%zu]\n"
        "  --lr FLOAT            Adam learning rate [%g]\n"
        "  --weight-decay FLOAT  L2 added to the gradient [%g]\n",
        fsnsa_method_name(d->train.method), d->train.hidden,
        d->train.start_hidden, d->train.epochs, d->train.mu, d->train.batch,
        d->train.lr, d->train.weight_decay);
}

void exp_sweep_help(FILE *f)
{
    fprintf(f,
        "Running:\n"
        "  --threads N           jobs run in parallel, each training on one "
        "thread;\n"
        "                        results do not depend on N [all cores]\n"
        "  --results FILE        append each finished job to FILE; rerunning "
        "the\n"
        "                        same command skips the jobs already there; a "
        "file\n"
        "                        made from other data or settings is refused "
        "[none]\n"
        "  --adopt-results       continue a job file of fsnsa 0.1 (format 1: "
        "no\n"
        "                        fingerprint of its data) whose header matches "
        "this\n"
        "                        run's, recording this data's fingerprint in "
        "it; only\n"
        "                        for a file made from exactly this data [off]\n"
        "  --progress on|off|auto  progress line on stderr [auto: when "
        "stderr is a\n"
        "                        terminal]\n"
        "  -q, --quiet           print errors only [off]\n"
        "  -h, --help            show this help\n");
}

static int scale_kind(const exp_config *cfg)
{
    if (cfg->scale >= 0)
        return cfg->scale;
    return cfg->xor_k > 0 ? FSNSA_SCALE_NONE : FSNSA_SCALE_STANDARD;
}

/* The fingerprint and size of d as read, before anything changes it. */
static void identify(const fsnsa_dataset *d, exp_data_id *id, int test)
{
    if (test) {
        fsnsa_dataset_fingerprint(d, id->test_sha);
        id->test_rows = d->n;
        return;
    }
    fsnsa_dataset_fingerprint(d, id->data_sha);
    id->rows = d->n;
    id->columns = d->p;
    id->classes = d->has_labels ? d->schema.n_classes : 0;
}

int exp_load(const char *cmd, const exp_config *cfg, fsnsa_dataset **train,
             fsnsa_dataset **test, exp_data_id *id)
{
    fsnsa_error err = {0};
    fsnsa_status st = FSNSA_OK;
    fsnsa_dataset *all = NULL;
    *train = *test = NULL;
    memset(id, 0, sizeof *id);
    /* The results file is checked before the data are read or made. */
    if (cli_output_check(cmd, cfg->results, FSNSA_OUTPUT_APPEND) != 0)
        return CLI_FAIL;
    if (cfg->xor_k > 0) {
        size_t p = cfg->p_given ? cfg->p : cfg->xor_k;
        if (p < cfg->xor_k) {
            cli_error(cmd, "--p %zu is less than --xor %zu", p, cfg->xor_k);
            return CLI_USAGE;
        }
        st = fsnsa_xor_generate(cfg->n, p, cfg->xor_k, cfg->data_seed, 0,
                                train, &err);
        if (st == FSNSA_OK && cfg->test_n > 0)
            st = fsnsa_xor_generate(cfg->test_n, p, cfg->xor_k,
                                    cfg->data_seed, 1, test, &err);
        if (st == FSNSA_OK)
            identify(*train, id, 0);
        if (st == FSNSA_OK && *test != NULL)
            identify(*test, id, 1);
        if (st != FSNSA_OK) {
            cli_lib_error(cmd, st, &err);
            fsnsa_dataset_free(*train);
            *train = NULL;
            return CLI_FAIL;
        }
    } else {
        fsnsa_read_options rd = cfg->read;
        cli_data_warnings(cmd, &rd, cfg->quiet);
        st = fsnsa_dataset_read(cfg->data, &rd, &all, &err);
        if (st != FSNSA_OK) {
            cli_lib_error(cmd, st, &err);
            return CLI_FAIL;
        }
        if (!all->has_labels) {
            cli_error(cmd, "%s: no label column", cfg->data);
            fsnsa_dataset_free(all);
            return CLI_FAIL;
        }
        identify(all, id, 0);
        if (cfg->test_fraction > 0) {
            size_t n = all->n, ntr, nte;
            size_t *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
            if (a == NULL || b == NULL) {
                st = FSNSA_ERR_NOMEM;
                snprintf(err.msg, sizeof err.msg, "out of memory for a split");
            }
            if (st == FSNSA_OK)
                st = fsnsa_split_stratified(all->y, n, all->schema.n_classes,
                                            cfg->test_fraction,
                                            cfg->split_seed, a, &ntr, b, &nte,
                                            &err);
            if (st == FSNSA_OK)
                st = fsnsa_dataset_subset(all, a, ntr, train, &err);
            if (st == FSNSA_OK)
                st = fsnsa_dataset_subset(all, b, nte, test, &err);
            free(a);
            free(b);
            fsnsa_dataset_free(all);
        } else {
            *train = all;
            if (cfg->test != NULL) {
                fsnsa_read_options ro = rd;
                ro.schema = &all->schema;
                st = fsnsa_dataset_read(cfg->test, &ro, test, &err);
                if (st == FSNSA_OK)
                    identify(*test, id, 1);
            }
        }
        if (st != FSNSA_OK) {
            cli_lib_error(cmd, st, &err);
            fsnsa_dataset_free(*train);
            fsnsa_dataset_free(*test);
            *train = *test = NULL;
            return CLI_FAIL;
        }
    }
    fsnsa_scaler sc = {0};
    st = fsnsa_scaler_fit(*train, (fsnsa_scale)scale_kind(cfg), &sc, &err);
    if (st == FSNSA_OK && cfg->read.missing != FSNSA_MISSING_REFUSE)
        fsnsa_scaler_impute(&sc, cfg->read.missing, *train);
    if (st == FSNSA_OK)
        st = fsnsa_scaler_apply(&sc, *train, &err);
    if (st == FSNSA_OK && *test != NULL) {
        if (cfg->read.missing != FSNSA_MISSING_REFUSE)
            fsnsa_scaler_impute(&sc, cfg->read.missing, *test);
        st = fsnsa_scaler_apply(&sc, *test, &err);
    }
    fsnsa_scaler_clear(&sc);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        fsnsa_dataset_free(*train);
        fsnsa_dataset_free(*test);
        *train = *test = NULL;
        return CLI_FAIL;
    }
    return 0;
}

void exp_describe(const exp_config *cfg, int with_training, char *buf,
                  size_t size)
{
    static const char *const sn[] = {"none", "standard", "minmax"};
    int w;
    if (cfg->xor_k > 0)
        w = snprintf(buf, size, "data=xor k=%zu n=%zu p=%zu test-n=%zu "
                     "data-seed=%llu scale=%s", cfg->xor_k, cfg->n,
                     cfg->p_given ? cfg->p : cfg->xor_k, cfg->test_n,
                     (unsigned long long)cfg->data_seed, sn[scale_kind(cfg)]);
    else
        w = snprintf(buf, size, "data=%s test=%s test-fraction=%g "
                     "split-seed=%llu label=%s labels-file=%s missing=%d "
                     "scale=%s", cfg->data, cfg->test ? cfg->test : "-",
                     cfg->test_fraction, (unsigned long long)cfg->split_seed,
                     cfg->read.label_column ? cfg->read.label_column : "last",
                     cfg->read.labels_file ? cfg->read.labels_file : "-",
                     (int)cfg->read.missing, sn[scale_kind(cfg)]);
    if (w < 0 || (size_t)w >= size || !with_training)
        return;
    const fsnsa_train_options *t = &cfg->train;
    snprintf(buf + w, size - (size_t)w,
             " method=%s hidden=%zu start-hidden=%zu features=%zu epochs=%d "
             "mu=%g batch=%zu lr=%g weight-decay=%g",
             fsnsa_method_name(t->method), t->hidden, t->start_hidden,
             t->features, t->epochs, t->mu, t->batch, t->lr, t->weight_decay);
}

void exp_header_add(exp_header *h, int note, const char *name,
                    const char *fmt, ...)
{
    if (h->n == EXP_HEADER_FIELDS || h->used >= sizeof h->text) {
        h->full = 1;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *v = h->text + h->used;
    int w = vsnprintf(v, sizeof h->text - h->used, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= sizeof h->text - h->used) {
        h->full = 1;
        return;
    }
    h->used += (size_t)w + 1;
    h->field[h->n++] = (fsnsa_job_field){name, v, note, NULL};
}

void exp_header_double(exp_header *h, const char *name, double v)
{
    /* %g when that reads back as v (30, 0.001), else the fewest digits
     * that do: exact, and not 0.0010000000000000000 */
    char buf[32];
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    exp_header_add(h, 0, name, "%s", buf);
}

void exp_header_init(exp_header *h, const char *sweep, const char *values)
{
    h->n = h->used = 0;
    h->full = 0;
    exp_header_add(h, 0, "sweep", "%s", sweep);
    exp_header_add(h, 0, "values", "%s", values);
    exp_header_add(h, 1, "fsnsa", "%s", FSNSA_VERSION);
}

void exp_header_data(exp_header *h, const exp_config *cfg,
                     const exp_data_id *id)
{
    static const char *const scales[] = {"none", "standard", "minmax"};
    static const char *const missing[] = {"refuse", "mean", "zero"};
    static const char *const formats[] = {"auto", "csv", "libsvm", "arff",
                                          "uci"};
    const fsnsa_read_options *r = &cfg->read;
    /* compared: what the jobs' results depend on */
    if (cfg->xor_k > 0) {
        exp_header_add(h, 0, "xor-k", "%zu", cfg->xor_k);
        exp_header_add(h, 0, "n", "%zu", cfg->n);
        exp_header_add(h, 0, "p", "%zu", cfg->p_given ? cfg->p : cfg->xor_k);
        exp_header_add(h, 0, "test-n", "%zu", cfg->test_n);
        exp_header_add(h, 0, "data-seed", "%llu",
                       (unsigned long long)cfg->data_seed);
    } else {
        exp_header_double(h, "test-fraction", cfg->test_fraction);
        exp_header_add(h, 0, "split-seed", "%llu",
                       (unsigned long long)cfg->split_seed);
        exp_header_add(h, 0, "missing", "%s", missing[r->missing]);
    }
    exp_header_add(h, 0, "scale", "%s", scales[scale_kind(cfg)]);
    exp_header_add(h, 0, "data-sha256", "%s", id->data_sha);
    exp_header_add(h, 0, "test-sha256", "%s",
                   id->test_sha[0] != '\0' ? id->test_sha : "-");
    if (cfg->xor_k > 0)
        return;
    /* notes: which files, read how, gave those fingerprints */
    exp_header_add(h, 1, "data", "%s", cfg->data);
    exp_header_add(h, 1, "rows", "%zu", id->rows);
    exp_header_add(h, 1, "columns", "%zu", id->columns);
    exp_header_add(h, 1, "classes", "%zu", id->classes);
    exp_header_add(h, 1, "test", "%s", cfg->test != NULL ? cfg->test : "-");
    exp_header_add(h, 1, "test-rows", "%zu", id->test_rows);
    exp_header_add(h, 1, "format", "%s", formats[r->format]);
    exp_header_add(h, 1, "header", "%s",
                   r->header < 0 ? "auto" : r->header ? "yes" : "no");
    exp_header_add(h, 1, "delimiter", "%s",
                   r->delimiter == 0 ? "auto" : r->delimiter == '\t' ? "tab"
                   : r->delimiter == ' ' ? "space"
                   : (char[2]){r->delimiter, '\0'});
    exp_header_add(h, 1, "decimal", "%s",
                   r->decimal == 0 ? "auto" : (char[2]){r->decimal, '\0'});
    exp_header_add(h, 1, "label-column", "%s",
                   r->label_column != NULL ? r->label_column : "last");
    exp_header_add(h, 1, "labels-file", "%s",
                   r->labels_file != NULL ? r->labels_file : "-");
    /* "default" and "" (no tokens) differ */
    exp_header_add(h, 1, "na-values", "%s",
                   r->na_values == NULL ? "default" : r->na_values);
    exp_header_add(h, 1, "ignore-columns", "%s",
                   r->ignore_columns != NULL ? r->ignore_columns : "-");
}

void exp_header_training(exp_header *h, const fsnsa_train_options *t)
{
    exp_header_add(h, 0, "method", "%s", fsnsa_method_name(t->method));
    exp_header_add(h, 0, "hidden", "%zu", t->hidden);
    exp_header_add(h, 0, "start-hidden", "%zu", t->start_hidden);
    exp_header_add(h, 0, "features", "%zu", t->features);
    exp_header_add(h, 0, "epochs", "%d", t->epochs);
    exp_header_double(h, "mu", t->mu);
    exp_header_add(h, 0, "batch", "%zu", t->batch);
    exp_header_double(h, "lr", t->lr);
    exp_header_double(h, "weight-decay", t->weight_decay);
}

static void fmt_time(double s, char *buf, size_t size)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, size, "%ld:%02ld", t / 60, t % 60);
}

static void on_progress(void *ctx, size_t done, size_t loaded, size_t total)
{
    exp_progress *pr = ctx;
    double now = cli_now();
    if (done == loaded)
        pr->sweep_t0 = now; /* a sweep's first call: nothing run yet */
    if (!pr->on || (done < total && now - pr->last < 0.5 && done != loaded))
        return;
    pr->last = now;
    char el[32], left[32] = "?";
    double elapsed = now - pr->t0;
    if (done > loaded && done < total)
        fmt_time((now - pr->sweep_t0) / (double)(done - loaded) *
                     (double)(total - done), left, sizeof left);
    else if (done >= total)
        snprintf(left, sizeof left, "0:00");
    fmt_time(elapsed, el, sizeof el);
    fprintf(stderr, "\r%s: %zu/%zu jobs", pr->cmd, done, total);
    if (loaded > 0)
        fprintf(stderr, " (%zu from file)", loaded);
    fprintf(stderr, "  elapsed %s  left ~%s   ", el, left);
    fflush(stderr);
    pr->printed = 1;
}

int exp_sweep_setup(const char *cmd, const exp_config *cfg,
                    const exp_header *header, const char *legacy_header,
                    fsnsa_sweep_options *so, fsnsa_jobfile **jf,
                    exp_progress *pr)
{
    memset(so, 0, sizeof *so);
    memset(pr, 0, sizeof *pr);
    *jf = NULL;
    /* Jobs are the unit of parallelism: each training runs on one thread
     * (the library's step uses one thread inside a parallel region). */
    so->threads = cfg->threads;
    so->stop = cli_stop_flag();
    cli_install_stop_handler();
    pr->cmd = cmd;
    pr->t0 = cli_now();
    pr->on = !cfg->quiet && (cfg->progress == 1 ||
                             (cfg->progress == -1 && isatty(STDERR_FILENO)));
    so->progress = on_progress;
    so->progress_ctx = pr;
    if (cfg->results != NULL) {
        if (header->full) {
            cli_error(cmd, "%s: the job file's header is too long (a file "
                      "name of thousands of characters?)", cfg->results);
            return CLI_FAIL;
        }
        fsnsa_job_header h = {header->field, header->n, legacy_header,
                              cfg->adopt_results,
                              "rerun with --adopt-results if it was made "
                              "from exactly this data"};
        fsnsa_error err = {0};
        fsnsa_status st = fsnsa_jobfile_open_fields(cfg->results, &h, jf,
                                                    &err);
        if (st != FSNSA_OK) {
            cli_lib_error(cmd, st, &err);
            return CLI_FAIL;
        }
        if (fsnsa_jobfile_adopted(*jf) && !cfg->quiet)
            fprintf(stderr, "fsnsa %s: %s: adopted (%zu jobs): the file "
                    "now records this data's fingerprint (job file format "
                    "2)\n", cmd, cfg->results, fsnsa_jobfile_count(*jf));
        if (fsnsa_jobfile_repaired(*jf) > 0 && !cfg->quiet)
            fprintf(stderr, "fsnsa %s: %s: removed a torn last line (%zu "
                    "bytes) left by an interrupted run\n", cmd, cfg->results,
                    fsnsa_jobfile_repaired(*jf));
        so->jobs = *jf;
    }
    return 0;
}

int exp_sweep_finish(const char *cmd, const exp_config *cfg, fsnsa_status st,
                     const fsnsa_error *err, fsnsa_jobfile *jf,
                     exp_progress *pr)
{
    if (pr->printed)
        fputc('\n', stderr);
    if (st == FSNSA_OK)
        return 0;
    if (st == FSNSA_ERR_INTERRUPTED) {
        if (cfg->results != NULL)
            cli_error(cmd, "interrupted; %zu finished jobs are in %s, rerun "
                      "the same command to continue", fsnsa_jobfile_count(jf),
                      cfg->results);
        else
            cli_error(cmd, "interrupted (use --results FILE to keep finished "
                      "jobs)");
        return CLI_FAIL;
    }
    cli_lib_error(cmd, st, err);
    return CLI_FAIL;
}

int exp_parse_sizes(const char *cmd, const char *name, const char *s,
                    size_t lo, size_t hi, size_t **out, size_t *n)
{
    size_t cap = 1;
    for (const char *q = s; *q; q++)
        cap += *q == ',';
    size_t *v = malloc(cap * sizeof *v);
    char *copy = strdup(s);
    if (v == NULL || copy == NULL) {
        free(v);
        free(copy);
        cli_error(cmd, "out of memory");
        return -1;
    }
    size_t k = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok != NULL;
         tok = strtok_r(NULL, ",", &save)) {
        if (cli_opt_size(cmd, name, tok, lo, hi, &v[k]) != 0) {
            free(v);
            free(copy);
            return -1;
        }
        k++;
    }
    free(copy);
    if (k == 0) {
        free(v);
        cli_error(cmd, "--%s: expected a comma-separated list", name);
        return -1;
    }
    *out = v;
    *n = k;
    return 0;
}

int exp_parse_doubles(const char *cmd, const char *name, const char *s,
                      double **out, size_t *n)
{
    size_t cap = 1;
    for (const char *q = s; *q; q++)
        cap += *q == ',';
    double *v = malloc(cap * sizeof *v);
    char *copy = strdup(s);
    if (v == NULL || copy == NULL) {
        free(v);
        free(copy);
        cli_error(cmd, "out of memory");
        return -1;
    }
    size_t k = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok != NULL;
         tok = strtok_r(NULL, ",", &save)) {
        if (cli_opt_double(cmd, name, tok, 0, 0, INFINITY, 0, &v[k]) != 0) {
            free(v);
            free(copy);
            return -1;
        }
        k++;
    }
    free(copy);
    if (k == 0) {
        free(v);
        cli_error(cmd, "--%s: expected a comma-separated list", name);
        return -1;
    }
    *out = v;
    *n = k;
    return 0;
}

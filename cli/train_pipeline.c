/* The train pipeline (see train_pipeline.h), one function per step. Each
 * step returns 0 or an exit code; the state they share is a `pipeline`,
 * freed in one place. */
#include "train_pipeline.h"
#include "train_select.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evaluate.h"
#include "label_task.h"
#include "messages.h"
#include "output.h"
#include "prepare.h"
#include "plot.h"
#include "progress.h"
#include "run_path.h"
#include "run_plot.h"
#include "signals.h"
#include "validation_options.h"

/* The per-epoch callback's state. */
typedef struct {
    int progress;   /* 1: a line per epoch on stderr; 2: one line in place */
    double t0, last; /* start of training, last in-place update */
    FILE *path;     /* selection path TSV, or NULL */
    FILE *plot;     /* the same rows for --plot, or NULL */
    cli_path_writer pw; /* names the features each epoch drops */
    int last_epoch;
    int regression; /* the loss is an MSE, the validation figure R^2 */
} progress_ctx;

typedef struct {
    const char *cmd;
    const cli_train_config *cfg;
    double t0;                  /* start of the run */
    fsnsa_read_options ro;      /* cfg->read; a warm start's schema */
    fsnsa_model *init;          /* the --init model, or NULL */
    fsnsa_dataset *train, *test;
    fsnsa_train_options opt;    /* resolved: what runs and is saved */
    progress_ctx pc;
    cli_out path;               /* --path */
    int path_is_new;            /* --path did not exist before the run */
    cli_run_plot plot;          /* --plot's rows */
    int plot_is_new;            /* --plot did not exist before the run */
    fsnsa_model *model;         /* fitted (fsnsa_model_fit), then saved */
    const fsnsa_net *net;       /* model->net */
    double train_seconds;
    cli_metrics mtrain, mtest;
    float *class_weights;       /* --class-weight NAME=W,..., by class id */
    fsnsa_train_report report;  /* of the fit (not with --restarts) */
    fsnsa_task task;            /* given, the --init model's, or detected */
    cli_train_selection sel;    /* --features/--hidden auto's curves */
} pipeline;

/* Every output is checked before any work: a training of hours must not
 * end in "no such directory". (MODEL '-' is a file of that name, not
 * stdout.) */
static int check_outputs(pipeline *p)
{
    const cli_train_config *cfg = p->cfg;
    const char *model_file = strcmp(cfg->model, "-") == 0 ? "./-" : cfg->model;
    if (cli_output_check(p->cmd, model_file, FSNSA_OUTPUT_REPLACE) != 0 ||
        cli_output_check(p->cmd, cfg->path, FSNSA_OUTPUT_REPLACE) != 0 ||
        cli_output_check(p->cmd, cfg->plot, FSNSA_OUTPUT_REPLACE) != 0 ||
        (cfg->plot != NULL && cli_plot_available(p->cmd) != 0))
        return CLI_FAIL;
    /* Only a path file or picture this run creates may be removed again. */
    struct stat st;
    p->path_is_new = !cli_is_stdout(cfg->path) && lstat(cfg->path, &st) != 0;
    p->plot_is_new = cfg->plot != NULL && lstat(cfg->plot, &st) != 0;
    return 0;
}

/* A warm start keeps the model's encoding and scaling, so the saved
 * weights mean the same thing on the new data. */
static int load_init(pipeline *p)
{
    p->ro = p->cfg->read;
    p->ro.schema = NULL;
    p->task = p->cfg->train.task;
    if (p->cfg->init == NULL)
        return 0;
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_model_load(p->cfg->init, &p->init, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(p->cmd, st, &err);
        return CLI_FAIL;
    }
    p->ro.schema = &p->init->schema;
    if (!p->cfg->task_given)
        p->task = p->init->options.task;
    if (p->task != p->init->options.task) {
        cli_error(p->cmd, "--task %s: the --init model %s is a %s model",
                  fsnsa_task_name(p->task), p->cfg->init,
                  fsnsa_task_name(p->init->options.task));
        return CLI_USAGE;
    }
    p->ro.task = p->task;
    return 0;
}

/* Without --task, a label column that looks numeric (fsnsa_task_detect)
 * stops the run: a continuous target must not silently become hundreds
 * of classes. */
static int check_task(const pipeline *p, const fsnsa_dataset *d)
{
    if (p->cfg->task_given || p->init != NULL)
        return 0;
    char hint[160];
    snprintf(hint, sizeof hint, "give --task regression to predict the "
             "number, or --task classification to train %zu classes",
             d->schema.n_classes);
    return cli_refuse_numeric_label(p->cmd, p->cfg->data, d, hint);
}

/* Read `path` with ro into *d, which must have labels (`what` needs them). */
static int read_labeled(pipeline *p, const char *path,
                        const fsnsa_read_options *ro, const char *what,
                        fsnsa_dataset **d)
{
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_dataset_read(path, ro, d, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(p->cmd, st, &err);
        cli_continuous_target_hint(p->cmd, p->cfg->task_given, &err,
                                   "predict the number");
        return CLI_FAIL;
    }
    if (!(*d)->has_labels) {
        cli_error(p->cmd, "%s: no label column; %s needs labels", path, what);
        return CLI_FAIL;
    }
    return 0;
}

/* DATA, split by --test-fraction, or the --test file: train and test. */
static int read_data(pipeline *p)
{
    const cli_train_config *cfg = p->cfg;
    fsnsa_dataset *all = NULL;
    if (read_labeled(p, cfg->data, &p->ro, "training", &all) != 0 ||
        check_task(p, all) != 0) {
        fsnsa_dataset_free(all);
        return CLI_FAIL;
    }
    if (cfg->test_fraction > 0) {
        int rc = cli_split(p->cmd, all, cfg->test_fraction, cfg->split_seed,
                           &p->train, &p->test);
        fsnsa_dataset_free(all);
        if (rc != 0)
            return CLI_FAIL;
        if (p->train->n == 0 || p->test->n == 0) {
            cli_error(p->cmd, "--test-fraction %g leaves %zu training and "
                      "%zu test rows", cfg->test_fraction, p->train->n,
                      p->test->n);
            return CLI_FAIL;
        }
    } else {
        p->train = all;
    }
    if (cfg->test != NULL) {
        fsnsa_read_options tro = cfg->read;
        tro.schema = &p->train->schema;
        tro.task = p->task;
        if (read_labeled(p, cfg->test, &tro, "--test", &p->test) != 0)
            return CLI_FAIL;
    }
    if (p->init != NULL && p->init->net->p_in != p->train->p) {
        cli_error(p->cmd, "--init %s: the model reads %zu encoded columns, "
                  "%s has %zu", cfg->init, p->init->net->p_in, cfg->data,
                  p->train->p);
        return CLI_FAIL;
    }
    return 0;
}

/* Continue the saved run unless told otherwise: its method and the sizes
 * its network has now. A warm start begins with the model's nodes and
 * reads inputs the model's scaler made: a request for others cannot be
 * kept, and the saved options say what was done. */
static int warm_start_options(pipeline *p)
{
    const cli_train_config *cfg = p->cfg;
    const fsnsa_model *init = p->init;
    fsnsa_train_options *opt = &p->opt;
    if (!cfg->given.method)
        opt->method = init->options.method;
    if (!cfg->given.hidden)
        opt->hidden = init->net->h;
    if (!cfg->given.features)
        opt->features = init->net->p;
    if (cfg->given.start_hidden && opt->start_hidden != init->net->h) {
        cli_error(p->cmd, "--start-hidden %zu: a warm start starts from the "
                  "%zu nodes of the --init model; leave --start-hidden out",
                  opt->start_hidden, init->net->h);
        return CLI_USAGE;
    }
    opt->start_hidden = init->net->h;
    if (cfg->scale_given && cfg->scale != init->scaler.kind) {
        cli_error(p->cmd, "--scale %s: the --init model's weights expect "
                  "inputs scaled by its own scaler (%s, fitted on the data "
                  "it was first trained on); leave --scale out",
                  fsnsa_scale_name(cfg->scale),
                  fsnsa_scale_name(init->scaler.kind));
        return CLI_USAGE;
    }
    return 0;
}

static int selects_features(fsnsa_method m)
{
    return m == FSNSA_METHOD_FSA || m == FSNSA_METHOD_FSA_NSA;
}

/* The options that run: the command line's, a warm start's, and the
 * library's automatic sizes (fsnsa_train_options_resolve), checked
 * against the data. */
static int resolve_options(pipeline *p)
{
    const cli_train_config *cfg = p->cfg;
    p->opt = cfg->train;
    p->opt.task = p->task;
    size_t p_avail = p->train->p;
    if (p->init != NULL) {
        int rc = warm_start_options(p);
        if (rc != 0)
            return rc;
        p_avail = p->init->net->p;
    }
    fsnsa_train_options *opt = &p->opt;
    if (selects_features(opt->method) && cfg->given.features &&
        opt->features > p_avail) {
        if (p->init != NULL)
            cli_error(p->cmd, "--features %zu is more than the %zu features "
                      "the --init model uses", opt->features, p_avail);
        else
            cli_error(p->cmd, "--features %zu is more than the %zu features "
                      "of %s", opt->features, p_avail, cfg->data);
        return CLI_USAGE;
    }
    if (p->init != NULL && (opt->method == FSNSA_METHOD_NSA ||
                            opt->method == FSNSA_METHOD_FSA_NSA) &&
        opt->hidden > p->init->net->h) {
        cli_error(p->cmd, "--hidden %zu is more than the %zu nodes of the "
                  "--init model", opt->hidden, p->init->net->h);
        return CLI_USAGE;
    }
    if (cfg->class_weight_spec != NULL) {
        if (cli_class_weights_resolve(p->cmd, cfg->class_weight_spec,
                                      &p->train->schema,
                                      &p->class_weights) != 0)
            return CLI_USAGE;
        opt->class_weights = p->class_weights;
    }
    /* --hidden auto: until h is chosen (after k) the default, at most H */
    if (cfg->given.hidden_auto &&
        fsnsa_train_default_hidden(opt->method) > opt->start_hidden)
        opt->hidden = opt->start_hidden;
    fsnsa_error err = {0};
    fsnsa_train_options given = *opt;
    fsnsa_status st = fsnsa_train_options_resolve(&given, p_avail, opt, &err);
    /* No k given: the library keeps half, a middle ground the user can
     * see and change (docs/cli.md). */
    if (selects_features(opt->method) && given.features == 0 &&
        !cfg->given.features_auto && !cfg->quiet)
        cli_error(p->cmd, "--features not given: keeping %zu of %zu "
                  "features", opt->features, p->train->p);
    if (st != FSNSA_OK) {
        cli_lib_error(p->cmd, st, &err);
        return st == FSNSA_ERR_ARG ? CLI_USAGE : CLI_FAIL;
    }
    return 0;
}

/* --features auto, --hidden auto: k, then h, by cross-validation on
 * the training rows (never --test), then the fit at those sizes. */
static int choose_sizes(pipeline *p)
{
    return cli_train_select(p->cmd, p->cfg, p->train, p->ro.missing, &p->opt,
                            &p->sel);
}

/* The terminal's one line, at most 10 times a second and at the end. */
static void show_line(progress_ctx *ctx, const fsnsa_epoch_info *e)
{
    double now = fsnsa_monotonic_seconds();
    if (e->epoch < e->epochs && e->epoch > 1 && now - ctx->last < 0.1)
        return;
    ctx->last = now;
    char left[32];
    cli_fmt_left(now - ctx->t0, (size_t)e->epoch, (size_t)e->epochs, left,
                 sizeof left);
    char val[64] = "";
    if (!isnan(e->validation_loss))
        snprintf(val, sizeof val, "  val %.6f %s %.4f", e->validation_loss,
                 ctx->regression ? "R2" : "acc", e->validation_accuracy);
    cli_progress_show(now - ctx->t0, left,
                      "epoch %d/%d  nodes %zu  features %zu  %s %.6f%s",
                      e->epoch, e->epochs, e->hidden, e->features,
                      ctx->regression ? "mse" : "loss", e->loss, val);
}

/* After the in-place line: its end, then one summary line. */
static void end_line(const progress_ctx *ctx, int epochs, const fsnsa_net *n)
{
    if (ctx->progress != 2 || ctx->last_epoch == 0)
        return;
    char el[32];
    cli_fmt_time(fsnsa_monotonic_seconds() - ctx->t0, el, sizeof el);
    fprintf(stderr, "\ntrained %d/%d epochs in %s", ctx->last_epoch, epochs,
            el);
    if (n != NULL)
        fprintf(stderr, ": %zu nodes, %zu features", n->h, n->p);
    fputc('\n', stderr);
}

/* --verbose's line per epoch; the validation figures when held out. */
static void print_epoch(const fsnsa_epoch_info *e, int regression)
{
    fprintf(stderr, "epoch %d/%d  nodes %zu  features %zu  %s %.6f",
            e->epoch, e->epochs, e->hidden, e->features,
            regression ? "mse" : "loss", e->loss);
    if (!isnan(e->validation_loss))
        fprintf(stderr, "  val_%s %.6f  val_%s %.4f",
                regression ? "mse" : "loss", e->validation_loss,
                regression ? "r2" : "accuracy", e->validation_accuracy);
    fprintf(stderr, "  %.3f s\n", e->seconds);
}

static int on_epoch(const fsnsa_epoch_info *e, void *ctx_)
{
    progress_ctx *ctx = ctx_;
    ctx->last_epoch = e->epoch;
    if (ctx->progress == 2)
        show_line(ctx, e);
    else if (ctx->progress)
        print_epoch(e, ctx->regression);
    /* the kept set moves on with the last file's row */
    if (ctx->path != NULL)
        cli_path_write_row(ctx->path, &ctx->pw, e, ctx->plot == NULL);
    if (ctx->plot != NULL)
        cli_path_write_row(ctx->plot, &ctx->pw, e, 1);
    return 0;
}

/* --keep-going: the library handed a failed training's network back. */
static void warn_kept(const pipeline *p, const fsnsa_error *err,
                      int not_finite)
{
    cli_warning(p->cmd, "%s", err->msg);
    if (not_finite)
        cli_warning(p->cmd, "--keep-going: saving the network of the last "
                    "finite epoch (%zu nodes, %zu features), not a finished "
                    "training", p->net->h, p->net->p);
    else
        cli_warning(p->cmd, "--keep-going: saving a network that predicts "
                    "worse than the %s", p->task == FSNSA_TASK_REGRESSION
                                             ? "training mean"
                                             : "class frequencies");
}

/* The restarts' table on stderr: every run's seed, final training loss
 * and kept columns, the kept run marked. */
static void print_runs(const pipeline *p, const fsnsa_restart_run *runs,
                       size_t R)
{
    char **names = p->train->feature_names;
    fprintf(stderr, "restart  seed  loss       features\n");
    for (size_t i = 0; i < R; i++) {
        const fsnsa_restart_run *r = &runs[i];
        fprintf(stderr, "%-7zu  %-4llu  %-9.6f  %s", i + 1,
                (unsigned long long)r->seed, r->loss,
                r->status == FSNSA_OK ? "" : "(broken, not kept) ");
        for (size_t j = 0; j < r->n_features; j++) {
            fputs(j ? "," : "", stderr);
            if (names != NULL)
                cli_put_name(stderr, names[r->features[j]]);
            else
                fprintf(stderr, "%zu", r->features[j]);
        }
        fprintf(stderr, "%s\n",
                r->seed == p->model->options.seed ? "  (kept)" : "");
    }
}

/* --restarts R: fsnsa_model_fit_restarts, the runs' table unless quiet. */
static int train_restarts(pipeline *p, const fsnsa_fit_options *fo)
{
    fsnsa_restart_run *runs = calloc(fo->restarts, sizeof *runs);
    if (runs == NULL) {
        cli_error(p->cmd, "out of memory");
        return CLI_FAIL;
    }
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_model_fit_restarts(p->train, fo, &p->model, runs,
                                               &err);
    p->net = p->model != NULL ? p->model->net : NULL;
    if (st == FSNSA_OK && !p->cfg->quiet)
        print_runs(p, runs, fo->restarts);
    fsnsa_restart_runs_clear(runs, fo->restarts);
    free(runs);
    if (st != FSNSA_OK) {
        cli_lib_error(p->cmd, st, &err);
        if (st == FSNSA_ERR_INTERRUPTED || st == FSNSA_ERR_NUMERIC)
            cli_error(p->cmd, "no model written");
        return CLI_FAIL;
    }
    p->train_seconds = fsnsa_monotonic_seconds() - p->t0;
    return 0;
}

/* The --path file and --plot's rows, each with its header line. */
static int open_paths(pipeline *p)
{
    const cli_train_config *cfg = p->cfg;
    if (cfg->path == NULL && cfg->plot == NULL)
        return 0;
    if (cli_path_writer_init(&p->pc.pw, p->train->p, p->train->feature_names,
                             p->opt.validation_fraction > 0) != 0) {
        cli_error(p->cmd, "out of memory");
        return CLI_FAIL;
    }
    if (cfg->path != NULL) {
        if (cli_out_open(p->cmd, cfg->path, &p->path) != 0)
            return CLI_FAIL;
        p->pc.path = p->path.f;
        cli_path_write_header(p->pc.path, &p->pc.pw);
    }
    if (cfg->plot != NULL) {
        if (cli_run_plot_open(p->cmd, &p->plot, &p->pc.pw) != 0)
            return CLI_FAIL;
        p->pc.plot = p->plot.f;
    }
    return 0;
}

/* Fit (fsnsa_model_fit: scaler, imputation, training, the model), with
 * the progress line, the --path file and Ctrl-C handled. */
static int train(pipeline *p)
{
    const cli_train_config *cfg = p->cfg;
    /* A terminal gets one line rewritten in place; a log (stderr not a
     * terminal) or --verbose a line per epoch, since \r would garble a
     * file and a log is read afterwards, epoch by epoch. */
    p->pc.progress = cfg->quiet ? 0 : cfg->verbose ? 1
                     : isatty(STDERR_FILENO) ? 2 : 1;
    p->pc.t0 = fsnsa_monotonic_seconds();
    p->pc.regression = p->task == FSNSA_TASK_REGRESSION;
    if (open_paths(p) != 0)
        return CLI_FAIL;
    fsnsa_train_options opt = p->opt;
    opt.on_epoch = on_epoch;
    opt.on_epoch_ctx = &p->pc;
    opt.stop = cli_stop_flag();
    cli_install_stop_handler();

    fsnsa_fit_options fo;
    fsnsa_fit_options_default(&fo);
    fo.train = opt;
    fo.scale = cfg->scale;
    fo.missing = p->ro.missing;
    fo.restarts = cfg->restarts;
    fo.threads = cfg->threads;
    fo.refit = cfg->refit;
    if (cfg->restarts > 1)
        return train_restarts(p, &fo);
    fsnsa_error err = {0};
    fsnsa_train_report report;
    fsnsa_status st = fsnsa_model_fit(p->train, &fo, p->init, &p->model,
                                      &report, &err);
    p->report = report;
    p->net = p->model != NULL ? p->model->net : NULL;
    end_line(&p->pc, opt.epochs, p->net);
    if (st == FSNSA_ERR_INTERRUPTED) {
        cli_error(p->cmd, "interrupted after epoch %d of %d; no model "
                  "written", p->pc.last_epoch, opt.epochs);
        return CLI_FAIL;
    }
    int not_finite = report.outcome == FSNSA_TRAIN_NOT_FINITE;
    if (st == FSNSA_ERR_NUMERIC && p->net != NULL) {
        warn_kept(p, &err, not_finite);
        st = FSNSA_OK;
    }
    if (st != FSNSA_OK) {
        cli_lib_error(p->cmd, st, &err);
        if (st == FSNSA_ERR_NUMERIC)
            cli_error(p->cmd, "no model written (--keep-going saves %s)",
                      not_finite ? "the last finite network"
                                 : "it anyway, with a warning");
        return CLI_FAIL;
    }
    p->train_seconds = fsnsa_monotonic_seconds() - p->t0;
    return 0;
}

/* How the data was read: predict reads new data the same way; how k and
 * h were chosen, when they were (inspect shows the curves). Then the
 * rows as the model reads them, for the figures printed. */
static int build_model(pipeline *p)
{
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_model_set_read(p->model, &p->train->layout,
                                           &p->ro, &err);
    if (st == FSNSA_OK)
        st = fsnsa_model_set_selection(p->model, &p->sel.k, &p->sel.h, &err);
    if (st == FSNSA_OK)
        st = fsnsa_model_transform(p->model, p->train, &err);
    if (st == FSNSA_OK && p->test != NULL)
        st = fsnsa_model_transform(p->model, p->test, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(p->cmd, st, &err);
        return CLI_FAIL;
    }
    return 0;
}

static int evaluate(pipeline *p)
{
    p->mtrain = p->mtest = cli_metrics_none();
    if (p->cfg->quiet)
        return 0;
    if (cli_evaluate_model(p->cmd, p->model, p->train, &p->mtrain) != 0 ||
        (p->test != NULL &&
         cli_evaluate_model(p->cmd, p->model, p->test, &p->mtest) != 0))
        return CLI_FAIL;
    return 0;
}

/* With a validation split, the path's last line names the kept epoch. */
static void end_paths(const pipeline *p)
{
    if (!p->pc.pw.validation)
        return;
    const char *keep = fsnsa_keep_name(p->model->options.keep);
    if (p->pc.path != NULL)
        cli_path_write_kept(p->pc.path, p->model->chosen_epoch, keep);
    if (p->pc.plot != NULL)
        cli_path_write_kept(p->pc.plot, p->model->chosen_epoch, keep);
}

/* The path file and the picture first: if the model is saved,
 * everything is. */
static int save(pipeline *p)
{
    const cli_train_config *cfg = p->cfg;
    end_paths(p);
    if (cfg->path != NULL && cli_out_commit(p->cmd, &p->path) != 0)
        return CLI_FAIL;
    int ok = 1;
    if (cfg->plot != NULL) {
        p->pc.plot = NULL;
        ok = cli_run_plot_draw(p->cmd, &p->plot, cfg->data, cfg->plot) == 0;
    }
    fsnsa_error err = {0};
    fsnsa_status st = ok ? fsnsa_model_save(p->model, cfg->model, &err)
                         : FSNSA_OK;
    if (st != FSNSA_OK)
        cli_lib_error(p->cmd, st, &err);
    if (!ok || st != FSNSA_OK) {
        if (p->path_is_new)
            unlink(cfg->path);
        if (ok && p->plot_is_new)
            unlink(cfg->plot);
        return CLI_FAIL;
    }
    return 0;
}

static void print_metrics(const char *what, size_t n, const cli_metrics *m,
                          fsnsa_task task)
{
    if (task == FSNSA_TASK_REGRESSION)
        printf("%-6s rows %-7zu mse %.6f (standardized)  RMSE %.6g  "
               "MAE %.6g  R2 %.4f\n", what, n, m->loss, m->rmse, m->mae,
               m->r2);
    else
        printf("%-6s rows %-7zu loss %.6f  accuracy %.4f  AUC %.4f\n", what,
               n, m->loss, m->accuracy, m->auc);
}

/* The kept features by name; wide data would make one line of hundreds
 * of names: inspect lists them all, ranked. */
static void print_selected(const pipeline *p, char **names)
{
    const fsnsa_net *net = p->net;
    const size_t show_max = 30;
    printf("selected");
    for (size_t i = 0; i < net->p && i < show_max; i++) {
        size_t j = net->features[i];
        if (names != NULL) {
            putchar(' ');
            cli_put_name(stdout, names[j]);
        } else {
            printf(" %zu", j);
        }
    }
    if (net->p > show_max)
        printf(" ... (%zu more: fsnsa inspect %s)", net->p - show_max,
               p->cfg->model);
    printf("\n");
}

/* With a validation split: the epoch whose network was saved, its
 * held-out figures, and an early stop. */
static void print_kept(const pipeline *p)
{
    const fsnsa_model *m = p->model;
    if (!(m->options.validation_fraction > 0))
        return;
    int reg = m->options.task == FSNSA_TASK_REGRESSION;
    printf("kept   epoch %d (%s)  validation %s %.6f  %s %.4f",
           m->chosen_epoch, fsnsa_keep_name(m->options.keep),
           reg ? "mse" : "loss", m->validation_loss, reg ? "R2" : "accuracy",
           m->validation_accuracy);
    if (p->cfg->restarts <= 1 && p->report.stopped_early)
        printf("  stopped early after epoch %d", p->report.epochs);
    printf("\n");
}

static int report(const pipeline *p)
{
    if (p->cfg->quiet)
        return 0;
    const fsnsa_net *net = p->net;
    char **names = cli_encoded_names(&p->model->schema);
    printf("model  %s\n", p->cfg->model);
    printf("method %s  features %zu of %zu  nodes %zu  weights %zu  "
           "time %.2f s\n", fsnsa_method_name(p->opt.method), net->p,
           net->p_in, net->h, fsnsa_net_weight_count(net), p->train_seconds);
    cli_train_select_report(&p->sel);
    print_selected(p, names);
    if (names != NULL)
        cli_free_names(names, p->model->schema.p);
    print_kept(p);
    print_metrics("train", p->train->n, &p->mtrain, p->task);
    if (p->test != NULL)
        print_metrics("test", p->test->n, &p->mtest, p->task);
    return cli_flush_stdout(p->cmd) == 0 ? 0 : CLI_FAIL;
}

static void pipeline_free(pipeline *p)
{
    cli_out_abort(&p->path);
    cli_run_plot_free(&p->plot);
    cli_path_writer_free(&p->pc.pw);
    fsnsa_model_free(p->model);
    fsnsa_dataset_free(p->train);
    fsnsa_dataset_free(p->test);
    fsnsa_model_free(p->init);
    free(p->class_weights);
    cli_train_selection_clear(&p->sel);
}

int cli_train_pipeline(const char *cmd, const cli_train_config *cfg)
{
    static int (*const steps[])(pipeline *) = {
        check_outputs, load_init,   read_data, resolve_options,
        choose_sizes,  train,       build_model, evaluate,
        save};
    pipeline p;
    memset(&p, 0, sizeof p);
    p.cmd = cmd;
    p.cfg = cfg;
    p.t0 = fsnsa_monotonic_seconds();
    int rc = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && rc == 0; i++)
        rc = steps[i](&p);
    if (rc == 0)
        rc = report(&p);
    pipeline_free(&p);
    return rc;
}

/* --features auto and --hidden auto: see train_select.h. */
#include "train_select.h"

#include <stdio.h>
#include <string.h>

#include "messages.h"
#include "signals.h"

/* What one chosen size is called in the messages. */
typedef struct {
    const char *option; /* "features" or "hidden" */
    const char *size;   /* the curve's column: "size" or "nodes" */
    const char *letter; /* the summary's "k" or "h" */
} what_t;

static const what_t WHAT_K = {"features", "size", "k"};
static const what_t WHAT_H = {"hidden", "nodes", "h"};

const char *cli_rule_words(fsnsa_select_rule rule)
{
    return rule == FSNSA_SELECT_RULE_MIN ? "lowest-mean rule"
                                         : "one-SE rule toward fewer";
}

void cli_put_curve(FILE *f, const char *size, const fsnsa_select_result *r)
{
    size_t lo = fsnsa_select_lowest(r);
    fprintf(f, "  %-5s held-out loss  se\n", size);
    for (size_t i = 0; i < r->n_sizes; i++) {
        const char *mark = i == r->chosen && i == lo ? "  <- chosen, lowest"
                           : i == r->chosen          ? "  <- chosen (one-SE)"
                           : i == lo                 ? "  <- lowest"
                                                     : "";
        fprintf(f, "  %4zu  %-13.6f  %.6f%s\n", r->sizes[i], r->mean[i],
                r->se[i], mark);
    }
}

/* The validation curve on stderr, after what it was measured on. */
static void print_curve(const what_t *w, const fsnsa_select_result *r,
                        size_t rows, const char *how, double seconds)
{
    fprintf(stderr, "%s auto: %zu-fold cross-validation on %zu training "
            "rows, %s, %.1f s\n", w->option, r->folds, rows, how, seconds);
    cli_put_curve(stderr, w->size, r);
}

/* The library's verdict as an exit code, the message printed. */
static int failed(const char *cmd, const what_t *w, fsnsa_status st,
                  const fsnsa_error *err)
{
    cli_lib_error(cmd, st, err);
    if (st == FSNSA_ERR_INTERRUPTED)
        cli_error(cmd, "interrupted while choosing %s; no model written",
                  w->letter);
    return st == FSNSA_ERR_ARG ? CLI_USAGE : CLI_FAIL;
}

static int none_finite(const char *cmd, const what_t *w)
{
    cli_error(cmd, "--%s auto: no candidate trained to a finite held-out "
              "loss; no model written", w->option);
    return CLI_FAIL;
}

static void fit_options(const cli_train_config *cfg, fsnsa_missing missing,
                        const fsnsa_train_options *opt, fsnsa_fit_options *fo)
{
    fsnsa_fit_options_default(fo);
    fo->train = *opt;
    fo->train.stop = cli_stop_flag();
    fo->scale = cfg->scale;
    fo->missing = missing;
    fo->threads = cfg->threads;
}

static int choose_k(const char *cmd, const cli_train_config *cfg,
                    const fsnsa_dataset *train, const fsnsa_fit_options *fo,
                    cli_train_selection *s)
{
    double t0 = fsnsa_monotonic_seconds();
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_select_features(train, fo, &cfg->select, &s->k,
                                            &err);
    s->k_seconds = fsnsa_monotonic_seconds() - t0;
    if (st != FSNSA_OK)
        return failed(cmd, &WHAT_K, st, &err);
    char how[64];
    snprintf(how, sizeof how, "%d fine-tune epochs per size",
             cfg->select.finetune_epochs);
    if (!cfg->quiet)
        print_curve(&WHAT_K, &s->k, train->n, how, s->k_seconds);
    return s->k.chosen < s->k.n_sizes ? 0 : none_finite(cmd, &WHAT_K);
}

static int choose_h(const char *cmd, const cli_train_config *cfg,
                    const fsnsa_dataset *train, const fsnsa_fit_options *fo,
                    cli_train_selection *s)
{
    fsnsa_select_options so = cfg->select;
    so.sizes = cfg->select_hidden;
    so.n_sizes = cfg->n_select_hidden;
    double t0 = fsnsa_monotonic_seconds();
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_select_hidden(train, fo, &so, &s->h, &err);
    s->h_seconds = fsnsa_monotonic_seconds() - t0;
    if (st != FSNSA_OK)
        return failed(cmd, &WHAT_H, st, &err);
    if (!cfg->quiet)
        print_curve(&WHAT_H, &s->h, train->n,
                    "one training per fold and node count", s->h_seconds);
    return s->h.chosen < s->h.n_sizes ? 0 : none_finite(cmd, &WHAT_H);
}

int cli_train_select(const char *cmd, const cli_train_config *cfg,
                     const fsnsa_dataset *train, fsnsa_missing missing,
                     fsnsa_train_options *opt, cli_train_selection *s)
{
    memset(s, 0, sizeof *s);
    if (!cfg->given.features_auto && !cfg->given.hidden_auto)
        return 0;
    cli_install_stop_handler();
    fsnsa_fit_options fo;
    int rc = 0;
    if (cfg->given.features_auto) {
        fit_options(cfg, missing, opt, &fo);
        rc = choose_k(cmd, cfg, train, &fo, s);
        if (rc == 0)
            opt->features = s->k.k;
    }
    if (rc == 0 && cfg->given.hidden_auto) {
        fit_options(cfg, missing, opt, &fo);
        rc = choose_h(cmd, cfg, train, &fo, s);
        if (rc == 0)
            opt->hidden = s->h.k;
    }
    return rc;
}

static void report_one(const what_t *w, const fsnsa_select_result *r,
                       double seconds)
{
    if (r->n_sizes == 0)
        return;
    size_t lo = fsnsa_select_lowest(r);
    printf("auto   %s %zu by %zu-fold cross-validation, %s, over "
           "%s", w->letter, r->k, r->folds,
           r->rule == FSNSA_SELECT_RULE_MIN ? "lowest-mean rule"
                                            : "one-SE rule",
           w == &WHAT_K ? "sizes" : "node counts");
    for (size_t i = 0; i < r->n_sizes; i++)
        printf("%c%zu", i ? ',' : ' ', r->sizes[i]);
    printf(" (lowest mean held-out loss %.6f +- %.6f at %s %zu, %.6f at %s "
           "%zu)  time %.2f s\n", r->mean[lo], r->se[lo], w->letter,
           r->sizes[lo], r->mean[r->chosen], w->letter, r->k, seconds);
}

void cli_train_select_report(const cli_train_selection *s)
{
    report_one(&WHAT_K, &s->k, s->k_seconds);
    report_one(&WHAT_H, &s->h, s->h_seconds);
}

void cli_train_selection_clear(cli_train_selection *s)
{
    fsnsa_select_result_clear(&s->k);
    fsnsa_select_result_clear(&s->h);
}

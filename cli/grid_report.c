/* fsnsa grid's report: see grid_report.h. */
#include "grid_report.h"

#include <math.h>
#include <stdio.h>

#include "messages.h"
#include "output.h"

/* The Table 2 columns, in order, NULL where that method was not run. */
static void table_columns(const fsnsa_grid_result *res,
                          const fsnsa_grid_final *cols[3])
{
    cols[0] = res->have_dense ? &res->best_dense : NULL;
    cols[1] = res->have_fsa ? &res->equivalent : NULL;
    cols[2] = res->have_fsa ? &res->best_fsa : NULL;
}

/* The final lines of the chosen columns, each by print_one. */
static void print_finals(const fsnsa_grid_result *res,
                         void (*print_one)(const char *,
                                           const fsnsa_grid_final *))
{
    if (res->have_dense)
        print_one("# final: NN(best)", &res->best_dense);
    if (res->have_fsa) {
        print_one("# final: NN(equivalent)", &res->equivalent);
        print_one("# final: FSA+NSA", &res->best_fsa);
    }
}

/* How many CV trainings and retrainings broke, and what that means. */
static void print_broken(const fsnsa_grid_result *res, const char *constant)
{
    size_t broken = 0;
    for (size_t i = 0; i < res->n_settings; i++)
        broken += res->settings[i].cv_broken;
    size_t fbroken = res->best_dense.broken + res->equivalent.broken +
                     res->best_fsa.broken;
    printf("# broken: %zu CV trainings and %zu retrainings (a final "
           "training loss worse than predicting %s, or NaN): left out of "
           "the means\n", broken, fbroken, constant);
}

/* The head of Table 2's row: which figures (note), the data (what: its
 * classes, or "regression") and the column names. */
static void print_table_head(const char *name, const char *what,
                             const char *note, const fsnsa_grid_result *res)
{
    printf("\n# Table 2 row (%s): %s\n", name, note);
    printf("| %s, p = %zu, n = %zu, %s | NN(best) | NN(equivalent) | "
           "FSA+NSA |\n", name, res->p, res->n_train + res->n_test, what);
    printf("|---|---|---|---|\n");
}

/* "| Number of weights (nodes) |" of Table 2's row; n_out outputs. */
static void print_weights_row(const fsnsa_grid_final *const cols[3],
                              size_t n_out)
{
    printf("| Number of weights (nodes) |");
    for (int i = 0; i < 3; i++) {
        const fsnsa_grid_final *f = cols[i];
        if (f == NULL)
            printf(" - |");
        else if (i < 2)
            printf(" %.0f (%zu) |", f->weights, f->hidden);
        else
            printf(" %zu+%zu = %.0f (k = %zu, h = %zu) |",
                   f->hidden * f->features, f->hidden * n_out, f->weights,
                   f->features, f->hidden);
    }
}

/* ---- classification ---- */

static void print_final(const char *what, const fsnsa_grid_final *f)
{
    printf("%s\t%zu\t%zu\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%g\t%zu\t%.2f\t%zu\n",
           what, f->hidden, f->features, f->weights, 100 * f->acc_mean,
           100 * f->acc_std, 100 * f->peek_mean, 100 * f->peek_std,
           f->setting.l2, f->setting.batch,
           isnan(f->setting.cv_acc) ? NAN : 100 * f->setting.cv_acc,
           f->broken);
}

/* Every setting's line: accuracy and cross-entropy, or a regression's R^2
 * and MSE (in the target's units, so %g). */
static void print_cv_lines(const fsnsa_grid_result *res)
{
    const int reg = res->task == FSNSA_TASK_REGRESSION;
    printf("method\tfeatures\thidden\tl2\tbatch\t%s\tcv_broken\n",
           reg ? "cv_r2\tcv_r2_std\tcv_mse" : "cv_acc\tcv_acc_std\tcv_loss");
    for (size_t i = 0; i < res->n_settings; i++) {
        const fsnsa_grid_setting *s = &res->settings[i];
        printf("%s\t%zu\t%zu\t%g\t%zu\t%.4f\t%.4f\t",
               fsnsa_method_name(s->method),
               s->features ? s->features : res->p, s->hidden, s->l2,
               s->batch, reg ? s->cv_r2 : s->cv_acc,
               reg ? s->cv_r2_std : s->cv_acc_std);
        printf(reg ? "%.4g\t%zu\n" : "%.4f\t%zu\n",
               reg ? s->cv_mse : s->cv_loss, s->cv_broken);
    }
}

/* Every setting's CV figures, then the final retrainings. */
static void print_settings(const fsnsa_grid_result *res)
{
    print_cv_lines(res);
    printf("# final: column\thidden\tfeatures\tweights\ttest_acc\tstd\t"
           "peek_acc\tpeek_std\tl2\tbatch\tcv_acc\tbroken\n");
    print_finals(res, print_final);
    print_broken(res, "the class frequencies");
}

/* Table 2's row as markdown: weights (nodes) and test accuracy of the
 * three columns. */
static void print_table2(const char *name, int peek,
                         const fsnsa_grid_result *res)
{
    char what[64];
    snprintf(what, sizeof what, "%zu classes", res->n_classes);
    print_table_head(name, what,
                     peek ? "PEEKING: best test accuracy over the epochs of "
                            "each retraining, as in the paper (the test set "
                            "chose the epoch)"
                          : "honest: test accuracy of the net after the "
                            "last epoch (the test set chose nothing)",
                     res);
    const fsnsa_grid_final *cols[3];
    table_columns(res, cols);
    print_weights_row(cols, res->n_classes == 2 ? 1 : res->n_classes);
    printf("\n| Test accuracy (%%) |");
    for (int i = 0; i < 3; i++) {
        const fsnsa_grid_final *f = cols[i];
        if (f == NULL)
            printf(" - |");
        else
            printf(" %.2f±%.2f |", 100 * (peek ? f->peek_mean : f->acc_mean),
                   100 * (peek ? f->peek_std : f->acc_std));
    }
    printf("\n");
}

/* ---- regression ---- */

static void print_final_regression(const char *what,
                                   const fsnsa_grid_final *f)
{
    printf("%s\t%zu\t%zu\t%.0f\t%.4f\t%.4f\t%.4g\t%.4g\t%.4g\t%.4g\t%.4f\t"
           "%.4f\t%g\t%zu\t%.4f\t%zu\n",
           what, f->hidden, f->features, f->weights, f->r2_mean, f->r2_std,
           f->rmse_mean, f->rmse_std, f->mae_mean, f->mae_std,
           f->peek_r2_mean, f->peek_r2_std, f->setting.l2, f->setting.batch,
           f->setting.cv_r2, f->broken);
}

static void print_settings_regression(const fsnsa_grid_result *res)
{
    print_cv_lines(res);
    printf("# final: column\thidden\tfeatures\tweights\ttest_r2\tstd\t"
           "test_rmse\trmse_std\ttest_mae\tmae_std\tpeek_r2\tpeek_std\tl2\t"
           "batch\tcv_r2\tbroken\n");
    print_finals(res, print_final_regression);
    print_broken(res, "the target's mean");
}

/* A regression figure of a final column: its mean and sd. */
typedef enum { FIG_R2, FIG_PEEK_R2, FIG_RMSE, FIG_MAE } figure;

static void figure_of(const fsnsa_grid_final *f, figure which, double *mean,
                      double *sd)
{
    switch (which) {
    case FIG_R2:
        *mean = f->r2_mean;
        *sd = f->r2_std;
        break;
    case FIG_PEEK_R2:
        *mean = f->peek_r2_mean;
        *sd = f->peek_r2_std;
        break;
    case FIG_RMSE:
        *mean = f->rmse_mean;
        *sd = f->rmse_std;
        break;
    default:
        *mean = f->mae_mean;
        *sd = f->mae_std;
        break;
    }
}

/* One row of Table 2: the figure's mean ± sd in each column, by fmt. */
static void print_figure_row(const fsnsa_grid_final *const cols[3],
                             const char *label, const char *fmt,
                             figure which)
{
    printf("\n| %s |", label);
    for (int i = 0; i < 3; i++) {
        if (cols[i] == NULL) {
            printf(" - |");
            continue;
        }
        double m, sd;
        figure_of(cols[i], which, &m, &sd);
        printf(fmt, m, sd);
    }
}

/* Table 2's row for a regression: weights (nodes), test R^2 (the peeked
 * one with --peek-test), RMSE and MAE after the last epoch. */
static void print_table2_regression(const char *name, int peek,
                                    const fsnsa_grid_result *res)
{
    print_table_head(name, "regression",
                     peek ? "PEEKING: R2 is the best test R2 over the epochs "
                            "of each retraining (the test set chose the "
                            "epoch); RMSE and MAE are after the last epoch"
                          : "honest: the net after the last epoch (the test "
                            "set chose nothing)",
                     res);
    const fsnsa_grid_final *cols[3];
    table_columns(res, cols);
    print_weights_row(cols, 1);
    print_figure_row(cols, "Test R2", " %.4f±%.4f |",
                     peek ? FIG_PEEK_R2 : FIG_R2);
    print_figure_row(cols, "Test RMSE", " %.4g±%.4g |", FIG_RMSE);
    print_figure_row(cols, "Test MAE", " %.4g±%.4g |", FIG_MAE);
    printf("\n");
}

int grid_report_print(const char *cmd, const grid_report *rep,
                      const fsnsa_grid_options *o,
                      const fsnsa_grid_result *res)
{
    const int regression = res->task == FSNSA_TASK_REGRESSION;
    char what[64];
    if (regression)
        snprintf(what, sizeof what, "regression");
    else
        snprintf(what, sizeof what, "%zu classes", res->n_classes);
    printf("# fsnsa grid: %s\n", rep->desc);
    printf("# %zu training + %zu test rows, p = %zu, %s; "
           "%zu-fold CV x %zu repeats; %zu retrains; epochs %d; "
           "FSA+NSA from %zu nodes\n", res->n_train, res->n_test, res->p,
           what, o->folds, o->repeats, o->retrains, rep->epochs,
           rep->start_hidden);
    if (regression) {
        print_settings_regression(res);
        print_table2_regression(rep->name, rep->peek, res);
    } else {
        print_settings(res);
        print_table2(rep->name, rep->peek, res);
    }
    return cli_flush_stdout(cmd) == 0 ? 0 : CLI_FAIL;
}

/* fsnsa grid --task regression: the command line over the library tested
 * in test_grid_regression.c. A tiny grid on a CSV of a known target
 * chooses the FSA+NSA size holding its four columns and prints CV R^2 and
 * test R^2, RMSE and MAE where a classification prints accuracies; the
 * job file names the task and its values; a grid continued from a cut
 * job file, or run on two threads, prints the same table. */
#include "testutil.h"

#include <math.h>

#include "interaction_data.inc"

/* The known target on x0..x5 (x4, x5 noise) as a CSV file in the scratch
 * directory: x0,...,x5,y with 300 rows. */
static void write_csv(char *path, size_t size)
{
    enum { N = 300, P = 6 };
    fsnsa_dataset *d = interaction_data_p(N, P, 11);
    size_t cap = (size_t)N * 128 + 64, o;
    char *text = malloc(cap);
    assert_non_null(text);
    o = (size_t)snprintf(text, cap, "x0,x1,x2,x3,x4,x5,y\n");
    for (size_t r = 0; r < N; r++) {
        for (size_t j = 0; j < P; j++)
            o += (size_t)snprintf(text + o, cap - o, "%.5f,",
                                  (double)d->x[r * P + j]);
        o += (size_t)snprintf(text + o, cap - o, "%.5f\n",
                              (double)d->target[r]);
    }
    assert_true(o < cap);
    tu_write_text(path, size, ".csv", text);
    free(text);
    fsnsa_dataset_free(d);
}

#define GRID "grid --task regression --methods fsa-nsa --sizes 2:16,4:16 " \
             "--grid-l2 0.0001 --grid-batch 32 --folds 3 --repeats 1 "     \
             "--retrains 2 --epochs 40 --start-hidden 64 --lr 0.003 "

/* The number after the last '|'-separated column's start in the table row
 * that begins with `row` (the FSA+NSA column). */
static double last_column(const char *out, const char *row)
{
    const char *line = strstr(out, row);
    assert_non_null(line);
    const char *end = strchr(line, '\n');
    assert_non_null(end);
    const char *bar = end - 1; /* the row's closing '|' */
    while (bar > line && bar[-1] != '|')
        bar--;
    return strtod(bar, NULL);
}

static void test_grid_regression(void **state)
{
    (void)state;
    char data[512], jobs[600], jobs2[600], *out, *again;
    snprintf(jobs, sizeof jobs, "%s/grid.jobs", tu_scratch_dir());
    snprintf(jobs2, sizeof jobs2, "%s/grid2.jobs", tu_scratch_dir());
    write_csv(data, sizeof data);
    assert_int_equal(tu_run(&out, GRID "--results %s %s", jobs, data), 0);
    print_message("%s", out);
    assert_non_null(strstr(out, "p = 6, regression; 3-fold CV x 1 repeats"));
    assert_non_null(strstr(out, "method\tfeatures\thidden\tl2\tbatch\t"
                                "cv_r2\tcv_r2_std\tcv_mse\tcv_broken\n"));
    assert_non_null(strstr(out, "\ttest_r2\tstd\ttest_rmse\trmse_std\t"
                                "test_mae\tmae_std\tpeek_r2\tpeek_std\t"));
    assert_null(strstr(out, "cv_acc"));
    assert_null(strstr(out, "accuracy"));
    /* the four columns the target depends on, 16 nodes */
    assert_non_null(strstr(out, "# final: FSA+NSA\t16\t4\t"));
    assert_non_null(strstr(out, "| Number of weights (nodes) | - | "));
    assert_non_null(strstr(out, "64+16 = 80 (k = 4, h = 16) |"));
    double r2 = last_column(out, "| Test R2 |");
    double rmse = last_column(out, "| Test RMSE |");
    double mae = last_column(out, "| Test MAE |");
    print_message("test R2 %g, RMSE %g, MAE %g\n", r2, rmse, mae);
    assert_true(r2 > 0.8 && r2 <= 1.0);
    /* in the target's units (sd ~ 16) */
    assert_true(rmse > 0.5 && rmse < 8.0 && mae > 0 && mae <= rmse);

    char *text = tu_slurp(jobs, NULL);
    assert_non_null(strstr(text, "\tvalues=cv=r2 mse seconds, final=r2 "
                                 "peek_r2 loss weights hidden features "
                                 "seconds rmse mae\t"));
    assert_non_null(strstr(text, "\ttask=regression\t"));
    /* cut after the CV lines and two retrainings: the rest runs again */
    char *cut = text;
    for (int lines = 0; lines < 1 + 6 + 2; lines++)
        cut = strchr(cut, '\n') + 1;
    FILE *f = fopen(jobs, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, (size_t)(cut - text), f),
                     (size_t)(cut - text));
    assert_int_equal(fclose(f), 0);
    free(text);
    assert_int_equal(tu_run(&again, GRID "--results %s %s", jobs, data), 0);
    assert_string_equal(again, out);
    free(again);
    /* two threads, a new file: the same figures */
    assert_int_equal(tu_run(&again, GRID "--threads 2 --results %s %s", jobs2,
                            data), 0);
    assert_string_equal(again, out);
    free(again);
    free(out);

    /* --peek-test: the best test R^2 over the epochs, said so */
    assert_int_equal(tu_run(&out, GRID "--peek-test --results %s %s", jobs,
                            data), 0);
    assert_non_null(strstr(out, "PEEKING: R2 is the best test R2"));
    assert_true(last_column(out, "| Test R2 |") >= r2 - 5e-5);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_regression),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

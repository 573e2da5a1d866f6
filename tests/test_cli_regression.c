/* fsnsa train --task, and what predict and inspect do with a regression
 * model: the command line over the library tested in test_regression.c.
 * Without --task a label column that looks numeric is refused with what
 * it holds; with --task regression the model predicts numbers. */
#include "testutil.h"

#include <math.h>


/* n rows of a,b,c,d,y; kind 0: y = 50 + 10 (2a - b + 3cd) + noise, 1: y
 * = i mod `levels` (integers), 2: y in {0.5, 1.5, 2.5}. */
static void write_table(char *path, size_t size, int n, int kind, int levels)
{
    size_t cap = (size_t)n * 80 + 64, o;
    char *text = malloc(cap);
    assert_non_null(text);
    o = (size_t)snprintf(text, cap, "a,b,c,d,y\n");
    unsigned s = 7;
    for (int i = 0; i < n; i++) {
        double v[5];
        for (int j = 0; j < 5; j++) {
            s = s * 1103515245u + 12345u;
            v[j] = (double)((s >> 8) % 20001) / 10000.0 - 1.0;
        }
        double y = kind == 0 ? 50 + 10 * (2 * v[0] - v[1] + 3 * v[2] * v[3]) +
                                   0.5 * v[4]
                   : kind == 1 ? (double)(i % levels)
                               : 0.5 + (double)(i % 3);
        o += (size_t)snprintf(text + o, cap - o, "%.4f,%.4f,%.4f,%.4f,%.6g\n",
                              v[0], v[1], v[2], v[3], y);
    }
    tu_write_text(path, size, ".csv", text);
    free(text);
}

static int exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* Without --task: refused on both sides of the threshold as the rule
 * says, the message naming what the column holds and both options. */
static void test_detection(void **state)
{
    (void)state;
    char data[512], model[600], *out;
    const char *dir = tu_scratch_dir();
    snprintf(model, sizeof model, "%s/detect.model", dir);
    write_table(data, sizeof data, 300, 1, FSNSA_TASK_MAX_INTEGER_CLASSES + 1);
    assert_int_equal(tu_run(&out, "train -q --method dense --epochs 1 %s %s", data,
                         model), 1);
    assert_non_null(strstr(out, "the label column 'y' holds 51 distinct "
                                "numbers, 0 not integers"));
    assert_non_null(strstr(out, "--task regression"));
    assert_non_null(strstr(out, "--task classification"));
    assert_false(exists(model));
    free(out);
    /* the same column with --task classification: 51 classes */
    assert_int_equal(tu_run(&out, "train -q --keep-going --task classification "
                         "--method dense --hidden 4 --epochs 1 %s %s", data,
                         model), 0);
    free(out);
    unlink(model);
    /* 50 distinct integers: classes, as before */
    write_table(data, sizeof data, 300, 1, FSNSA_TASK_MAX_INTEGER_CLASSES);
    assert_int_equal(tu_run(&out, "train -q --keep-going --method dense "
                         "--hidden 4 --epochs 1 %s %s", data, model), 0);
    free(out);
    assert_int_equal(tu_run(&out, "inspect %s", model), 0);
    assert_non_null(strstr(out, "task         classification\n"));
    assert_non_null(strstr(out, "classes      50:"));
    free(out);
    char *text = tu_slurp(model, NULL);
    /* a classifier is a 1.4 file for its recall, never for a task line */
    assert_null(strstr(text, "train.task"));
    assert_non_null(strstr(text, "\nrecall_rows training\n"));
    free(text);
    unlink(model);
    /* three values, none an integer */
    write_table(data, sizeof data, 60, 2, 0);
    assert_int_equal(tu_run(&out, "train -q --method dense --epochs 1 %s %s", data,
                         model), 1);
    assert_non_null(strstr(out, "holds 3 distinct numbers, 3 not integers"));
    free(out);
}

/* --task regression trains and reports RMSE, MAE, R2; predict writes one
 * number a row and the figures; inspect shows the task and the scaling. */
static void test_regression_run(void **state)
{
    (void)state;
    char data[512], model[600], pred[600], *out;
    const char *dir = tu_scratch_dir();
    snprintf(model, sizeof model, "%s/reg.model", dir);
    snprintf(pred, sizeof pred, "%s/pred.txt", dir);
    write_table(data, sizeof data, 400, 0, 0);
    assert_int_equal(tu_run(&out, "train --task regression --features 4 "
                         "--start-hidden 256 --hidden 32 --epochs 60 --lr 0.003 "
                         "--test-fraction 0.25 --validation-fraction 0.2 "
                         "--keep best %s %s", data, model), 0);
    assert_non_null(strstr(out, "  mse "));
    assert_non_null(strstr(out, "test   rows 100     mse "));
    assert_non_null(strstr(out, "RMSE "));
    const char *r2 = strstr(strstr(out, "test   rows"), "R2 ");
    assert_non_null(r2);
    print_message("test R2 %s", r2 + 3);
    assert_true(atof(r2 + 3) > 0.8);
    assert_non_null(strstr(out, "validation mse "));
    free(out);
    char *text = tu_slurp(model, NULL);
    assert_memory_equal(text, "fsnsa-model 1.4\n", 16);
    free(text);
    assert_int_equal(tu_run(&out, "predict %s %s %s", model, data, pred), 0);
    assert_non_null(strstr(out, "rows 400  RMSE "));
    free(out);
    text = tu_slurp(pred, NULL);
    int lines = 0;
    for (char *p = text; *p != '\0'; lines++) {
        char *end;
        double v = strtod(p, &end);
        assert_true(end != p && *end == '\n' && isfinite(v));
        assert_true(v > 0 && v < 120); /* in the target's units */
        p = end + 1;
    }
    assert_int_equal(lines, 400);
    free(text);
    assert_int_equal(tu_run(&out, "predict --proba %s %s", model, data), 2);
    assert_non_null(strstr(out, "regression model"));
    free(out);
    assert_int_equal(tu_run(&out, "inspect %s", model), 0);
    assert_non_null(strstr(out, "task         regression\n"));
    assert_non_null(strstr(out, "target       mean "));
    assert_null(strstr(out, "recall")); /* no classes to recall */
    free(out);
    assert_int_equal(tu_run(&out, "inspect --json %s", model), 0);
    assert_non_null(strstr(out, "\"task\": \"regression\", \"target_mean\": "));
    assert_non_null(strstr(out, "\"target_sd\": "));
    free(out);
    /* a label that is no number */
    tu_write_text(data, sizeof data, ".csv", "a,y\n1,2\n2,x\n3,4\n");
    assert_int_equal(tu_run(&out, "train --task regression %s %s", data, model), 1);
    assert_non_null(strstr(out, "'x' is not a finite number"));
    free(out);
}

/* grid, restarts and hittime refuse a numeric-looking label without
 * --task as train does (the same code, cli/label_task.c) instead of
 * training hundreds of classes, before anything is written to --results;
 * the message names this command's --task regression. --task
 * classification trains the classes; --xor is classes only. */
static void test_experiments_refuse(void **state)
{
    (void)state;
    char data[512], res[600], hint[128], *out;
    snprintf(res, sizeof res, "%s/exp.jobs", tu_scratch_dir());
    /* 51 distinct integers: the read takes them as classes (a continuous
     * column is refused by the read itself) */
    write_table(data, sizeof data, 300, 1, FSNSA_TASK_MAX_INTEGER_CLASSES + 1);
    const char *names[] = {"grid", "restarts", "hittime"};
    const char *cmds[] = {
        "grid %s --sizes 2:8 --folds 2 --epochs 1 --results %s %s",
        "restarts %s --restarts 2 --epochs 1 --results %s %s",
        "hittime %s --ps 2 --runs 1 --epochs 1 --features 1 --results %s %s"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        assert_int_equal(tu_run(&out, cmds[i], "", res, data), 1);
        assert_non_null(strstr(out, "the label column 'y' holds 51 distinct "
                                    "numbers, 0 not integers"));
        snprintf(hint, sizeof hint, "give --task regression to run fsnsa %s "
                 "on the number, or --task classification to train 51 "
                 "classes", names[i]);
        assert_non_null(strstr(out, hint));
        assert_false(exists(res));
        free(out);
        /* the XOR pools have classes only */
        assert_int_equal(tu_run(&out, "%s --task regression --xor 2 --epochs 1",
                                names[i]), 2);
        assert_non_null(strstr(out, "--task regression: the XOR pools' "
                                    "labels are classes"));
        free(out);
        assert_int_equal(tu_run(&out, "%s --task counting %s", names[i], data),
                         2);
        assert_non_null(strstr(out, "--task"));
        assert_non_null(strstr(out, "counting"));
        free(out);
    }
    /* told the column is classes, restarts trains them */
    assert_int_equal(tu_run(&out, "restarts --task classification --restarts 1 "
                            "--hidden 4 --epochs 1 --results %s %s", res,
                            data), 0);
    assert_non_null(strstr(out, "# R=1 seeds 1..1, 300 training rows"));
    free(out);
    char *text = tu_slurp(res, NULL);
    assert_null(strstr(text, "task=")); /* the header of before */
    free(text);
    unlink(res);
}

/* A column of mostly distinct numbers is refused by the read itself,
 * before any task detection: each command still names its way out. */
static void test_continuous_refused_by_read(void **state)
{
    (void)state;
    char data[512], res[600], model[600], hint[128], *out;
    snprintf(res, sizeof res, "%s/cont.jobs", tu_scratch_dir());
    snprintf(model, sizeof model, "%s/cont.model", tu_scratch_dir());
    write_table(data, sizeof data, 300, 0, 0);
    const char *names[] = {"grid", "restarts", "hittime"};
    const char *cmds[] = {"grid --sizes 2:8 --folds 2 --epochs 1 --results %s %s",
                          "restarts --restarts 2 --epochs 1 --results %s %s",
                          "hittime --ps 2 --runs 1 --epochs 1 --results %s %s"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        assert_int_equal(tu_run(&out, cmds[i], res, data), 1);
        assert_non_null(strstr(out, "it looks like a continuous target"));
        snprintf(hint, sizeof hint, "fsnsa %s: give --task regression to run "
                 "fsnsa %s on the number", names[i], names[i]);
        assert_non_null(strstr(out, hint));
        assert_false(exists(res));
        free(out);
    }
    assert_int_equal(tu_run(&out, "train -q --epochs 1 %s %s", data, model), 1);
    assert_non_null(strstr(out, "fsnsa train: give --task regression to "
                                "predict the number"));
    assert_false(exists(model));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detection),
        cmocka_unit_test(test_regression_run),
        cmocka_unit_test(test_experiments_refuse),
        cmocka_unit_test(test_continuous_refused_by_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* fsnsa train's --class-weight, --validation-fraction, --keep and
 * --early-stopping, and what predict and inspect print of them: the
 * command line over the library tested in test_validation.c. */
#include "testutil.h"

#include <sys/wait.h>

/* fsnsa ARGS through the shell, stdout and stderr into *out */
#define run tu_run_fsnsa

/* A 90/10 CSV with an informative first column, and a second file like
 * it for --test. */
static void write_skewed(char *path, size_t size, unsigned seed)
{
    char text[64 * 400];
    size_t o = (size_t)snprintf(text, sizeof text, "a,b,label\n");
    unsigned s = seed;
    for (int i = 0; i < 400; i++) {
        s = s * 1103515245u + 12345u;
        int yes = (s >> 16) % 10 == 0;
        s = s * 1103515245u + 12345u;
        double a = (double)((s >> 16) % 1000) / 500.0 - 1.0 + (yes ? 0.7 : 0);
        s = s * 1103515245u + 12345u;
        double b = (double)((s >> 16) % 1000) / 500.0 - 1.0;
        o += (size_t)snprintf(text + o, sizeof text - o, "%.3f,%.3f,%s\n", a,
                              b, yes ? "yes" : "no");
    }
    tu_write_text(path, size, ".csv", text);
}

/* --keep best decides on the held-out training rows alone: a run with
 * --test saves the same model, byte for byte, as one without. */
static void test_keep_best_ignores_test(void **state)
{
    (void)state;
    char data[512], test[512], *out;
    write_skewed(data, sizeof data, 1);
    write_skewed(test, sizeof test, 2);
    const char *dir = tu_scratch_dir();
    const char *opts = "--method dense --hidden 8 --epochs 20 --lr 0.01 "
                       "--validation-fraction 0.25 --keep best";
    assert_int_equal(run(&out, "train %s --test %s %s %s/with.model", opts, test,
                         data, dir), 0);
    assert_non_null(strstr(out, "kept   epoch "));
    assert_non_null(strstr(out, "test   rows 400"));
    free(out);
    assert_int_equal(run(&out, "train -q %s %s %s/without.model", opts, data,
                         dir), 0);
    free(out);
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/with.model", dir);
    snprintf(b, sizeof b, "%s/without.model", dir);
    size_t la, lb;
    char *ta = tu_slurp(a, &la), *tb = tu_slurp(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(ta, tb, la);
    assert_non_null(strstr(ta, "\nkeep best\n"));
    free(ta);
    free(tb);
    /* inspect shows the kept epoch */
    assert_int_equal(run(&out, "inspect %s", a), 0);
    assert_non_null(strstr(out, "kept epoch   "));
    assert_non_null(strstr(out, "validation   fraction 0.25  keep best"));
    free(out);
}

/* NAME=W weights by class name, stored; predict prints the balanced
 * accuracy and each class's recall. */
static void test_class_weight_by_name(void **state)
{
    (void)state;
    char data[512], model[512], *out;
    write_skewed(data, sizeof data, 3);
    snprintf(model, sizeof model, "%s/w.model", tu_scratch_dir());
    assert_int_equal(run(&out, "train -q --method dense --hidden 8 --epochs 5 "
                         "--class-weight yes=9 %s %s", data, model), 0);
    free(out);
    char *text = tu_slurp(model, NULL);
    assert_non_null(strstr(text, "\nclass_weight given\nclass_weights 1 9\n"));
    free(text);
    assert_int_equal(run(&out, "predict %s %s %s/p.tsv", model, data,
                         tu_scratch_dir()), 0);
    assert_non_null(strstr(out, "balanced accuracy "));
    assert_non_null(strstr(out, "  recall no "));
    free(out);
    assert_int_equal(run(&out, "inspect %s", model), 0);
    assert_non_null(strstr(out, "class weight given: no=1 yes=9"));
    free(out);
}

static void test_refusals(void **state)
{
    (void)state;
    char data[512], *out;
    write_skewed(data, sizeof data, 4);
    const char *dir = tu_scratch_dir();
    assert_int_equal(run(&out, "train --class-weight maybe=2 %s %s/x.model",
                         data, dir), 2);
    assert_non_null(strstr(out, "no class 'maybe'"));
    free(out);
    assert_int_equal(run(&out, "train --keep best %s %s/x.model", data, dir), 2);
    assert_non_null(strstr(out, "validation fraction"));
    free(out);
    assert_int_equal(run(&out, "train --class-weight heavy %s %s/x.model",
                         data, dir), 2);
    free(out);
    assert_int_equal(run(&out, "train --validation-fraction 1 %s %s/x.model",
                         data, dir), 2);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keep_best_ignores_test),
        cmocka_unit_test(test_class_weight_by_name),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests_name("cli_validation", tests, NULL, NULL);
}

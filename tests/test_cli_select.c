/* fsnsa train --features auto and --hidden auto: the command line over
 * the library's choice of k and h (tests/test_select_k.c,
 * test_select_h.c). On 2-D XOR in 8 columns the answer is known: k = 2,
 * the columns x0 and x1. */
#include "testutil.h"

/* Small and fast: 1000 rows, 64 -> 16 nodes, 100 epochs, 3 folds. */
#define SMALL "--start-hidden 64 --hidden 16 --epochs 100 --select-folds 3"

static char data[512], xor2[512];

static int setup(void **state)
{
    (void)state;
    char *out;
    snprintf(data, sizeof data, "%s/xor.csv", tu_scratch_dir());
    snprintf(xor2, sizeof xor2, "%s/xor2.csv", tu_scratch_dir());
    int rc = tu_run(&out, "xor --n 1000 --p 8 --k 2 -o %s", data);
    free(out);
    int rc2 = tu_run(&out, "xor --n 900 --p 2 --k 2 -o %s", xor2);
    free(out);
    return rc != 0 ? rc : rc2;
}

/* The model written by a run with --threads t, and its output. */
static char *train_auto(int t, char **out, size_t *len)
{
    char model[512];
    snprintf(model, sizeof model, "%s/t%d.model", tu_scratch_dir(), t);
    assert_int_equal(tu_run(out, "train --features auto " SMALL
                                  " --threads %d %s %s", t, data, model), 0);
    char *m = tu_slurp(model, len);
    assert_non_null(m);
    return m;
}

/* k = 2 among the default path 1, 2, 4, 6, 7, 8, the true columns kept, the
 * curve printed with its marks; the same model for 1 and 2 threads. */
static void test_xor_k(void **state)
{
    (void)state;
    char *out1, *out2;
    size_t l1, l2;
    char *m1 = train_auto(1, &out1, &l1), *m2 = train_auto(2, &out2, &l2);
    assert_non_null(strstr(out1, "features auto: 3-fold cross-validation "
                                 "on 1000 training rows"));
    assert_non_null(strstr(out1, "  size  held-out loss  se\n"));
    assert_non_null(strstr(out1, "<- chosen"));
    const char *row = strstr(out1, "\n     2  ");
    assert_non_null(row);
    assert_true(strchr(row + 1, '\n') > strstr(row, "<- chosen"));
    assert_non_null(strstr(out1, "auto   k 2 by 3-fold cross-validation, "
                                 "one-SE rule, over sizes 1,2,4,6,7,8"));
    assert_non_null(strstr(out1, "features 2 of 8"));
    assert_non_null(strstr(out1, "selected x0 x1\n"));
    assert_int_equal(l1, l2);
    assert_memory_equal(m1, m2, l1);
    free(m1);
    free(m2);
    free(out1);
    free(out2);
}

/* --select-sizes is a list; -q prints no curve; the fit runs on the
 * training rows only (a --test-fraction split leaves 800). */
static void test_sizes_quiet_split(void **state)
{
    (void)state;
    char *out;
    const char *dir = tu_scratch_dir();
    assert_int_equal(tu_run(&out, "train --features auto " SMALL
                                  " --select-sizes 8,3,2,1 --test-fraction "
                                  "0.2 %s %s/s.model", data, dir), 0);
    assert_non_null(strstr(out, "on 800 training rows"));
    assert_non_null(strstr(out, "over sizes 1,2,3,8"));
    assert_non_null(strstr(out, "test   rows 200"));
    free(out);
    assert_int_equal(tu_run(&out, "train -q --features auto " SMALL
                                  " %s %s/q.model", data, dir), 0);
    assert_string_equal(out, "");
    free(out);
}

/* The curve's table as train printed it: from its heading to the line
 * after the last size (malloc'ed). */
static char *curve_table(const char *out, const char *heading)
{
    const char *t = strstr(out, heading), *e = t;
    assert_non_null(t);
    while ((e = strchr(e, '\n')) != NULL && strncmp(e + 1, "  ", 2) == 0)
        e++;
    assert_non_null(e);
    return strndup(t, (size_t)(e + 1 - t));
}

/* --hidden auto, dense, on 2-D XOR with L2 1e-2: as in
 * test_select_h.c, one node is a half-plane, 8, 16 and 32 tie and the
 * rule takes 8; the curve has a nodes column. With --features auto too,
 * k comes first. */
static void test_hidden_auto(void **state)
{
    (void)state;
    char *out;
    const char *dir = tu_scratch_dir();
    assert_int_equal(tu_run(&out, "train --method dense --hidden auto "
                                  "--select-hidden 1,2,4,8,16,32 --epochs 200 "
                                  "--lr 0.01 --weight-decay 0.01 "
                                  "--select-folds 3 --threads 2 %s "
                                  "%s/h.model", xor2, dir), 0);
    assert_non_null(strstr(out, "hidden auto: 3-fold cross-validation on "
                                "900 training rows, one training per fold "
                                "and node count"));
    assert_non_null(strstr(out, "  nodes held-out loss  se\n"));
    assert_non_null(strstr(out, "auto   h 8 by 3-fold cross-validation, "
                                "one-SE rule, over node counts "
                                "1,2,4,8,16,32"));
    assert_non_null(strstr(out, "method dense  features 2 of 2  nodes 8 "));
    char *table = curve_table(out, "  nodes held-out loss  se\n"), *ins;
    free(out);
    /* the model records h's curve, and no k's */
    assert_int_equal(tu_run(&ins, "inspect %s/h.model", dir), 0);
    assert_non_null(strstr(ins, "chosen h     8 by 3-fold"));
    assert_non_null(strstr(ins, table));
    assert_null(strstr(ins, "chosen k"));
    free(ins);
    free(table);
    assert_int_equal(tu_run(&ins, "inspect --json %s/h.model", dir), 0);
    assert_non_null(strstr(ins, "\"selection\": {\"features\": null, "
                                "\"hidden\": {\"folds\": 3"));
    assert_non_null(strstr(ins, "\"chosen\": 8, \"curve\": [{\"size\": 1,"));
    free(ins);
    assert_int_equal(tu_run(&out, "train --features auto --hidden auto "
                                  "--start-hidden 64 --epochs 100 "
                                  "--select-folds 3 --select-hidden 2,4 %s "
                                  "%s/kh.model", data, dir), 0);
    const char *k = strstr(out, "features auto:"), *h = strstr(out, "hidden "
                                                                   "auto:");
    assert_true(k != NULL && h != NULL && k < h);
    assert_non_null(strstr(out, "auto   k 2 "));
    assert_non_null(strstr(out, "auto   h "));
    free(out);
    assert_int_equal(tu_run(&out, "inspect %s/kh.model", dir), 0);
    k = strstr(out, "chosen k     2 ");
    h = strstr(out, "chosen h     ");
    assert_true(k != NULL && h != NULL && k < h);
    free(out);
}

/* The model records the curve (format 1.5): inspect shows the table
 * train printed, the chosen row marked, and --json the same choice as
 * an object; a model whose k was given shows nothing of it. */
static void test_inspect_curve(void **state)
{
    (void)state;
    char *out, *ins, *js;
    const char *dir = tu_scratch_dir();
    assert_int_equal(tu_run(&out, "train --features auto " SMALL
                                  " %s %s/c.model", data, dir), 0);
    char *table = curve_table(out, "  size  held-out loss  se\n");
    assert_non_null(strstr(table, "\n     2  "));
    assert_non_null(strstr(table, "<- chosen"));
    assert_int_equal(tu_run(&ins, "inspect %s/c.model", dir), 0);
    assert_non_null(strstr(ins, "chosen k     2 by 3-fold cross-validation "
                                "on the training rows, one-SE rule toward "
                                "fewer\n"));
    if (strstr(ins, table) == NULL)
        fail_msg("inspect lacks the table\n%s\nof train:\n%s", table, ins);
    assert_null(strstr(ins, "chosen h"));
    assert_int_equal(tu_run(&js, "inspect --json %s/c.model", dir), 0);
    assert_non_null(strstr(js, "\"selection\": {\"features\": {\"folds\": "
                               "3, \"rule\": \"one-se\", \"figure\": "
                               "\"mean held-out cross-entropy\", "
                               "\"lowest\": "));
    assert_non_null(strstr(js, "\"chosen\": 2, \"curve\": [{\"size\": 1, "
                               "\"mean\": "));
    assert_non_null(strstr(js, "{\"size\": 8, \"mean\": "));
    assert_non_null(strstr(js, "]}]}, \"hidden\": null}"));
    free(out);
    free(ins);
    free(js);
    free(table);
    assert_int_equal(tu_run(&out, "train -q --features 2 --start-hidden 64 "
                                  "--hidden 16 --epochs 100 %s "
                                  "%s/given.model", data, dir), 0);
    assert_int_equal(tu_run(&ins, "inspect %s/given.model", dir), 0);
    assert_int_equal(tu_run(&js, "inspect --json %s/given.model", dir), 0);
    assert_null(strstr(ins, "chosen k"));
    assert_null(strstr(ins, "held-out"));
    assert_null(strstr(js, "selection"));
    free(out);
    free(ins);
    free(js);
}

/* --select-rule min: the lowest mean's size chosen, said in train's
 * summary and by inspect (text and --json), the model at format 1.7. */
static void test_select_rule_min(void **state)
{
    (void)state;
    char *out, *ins, model[512];
    snprintf(model, sizeof model, "%s/min.model", tu_scratch_dir());
    assert_int_equal(tu_run(&out, "train --features auto " SMALL
                                  " --select-rule min %s %s", data, model),
                     0);
    const char *sum = strstr(out, "auto   k ");
    assert_non_null(sum);
    assert_non_null(strstr(sum, "lowest-mean rule"));
    size_t k = 0, at = 1;
    assert_int_equal(sscanf(sum, "auto   k %zu", &k), 1);
    const char *lo = strstr(sum, "at k ");
    assert_non_null(lo);
    assert_int_equal(sscanf(lo, "at k %zu", &at), 1);
    assert_int_equal(k, at);
    assert_non_null(strstr(out, "<- chosen, lowest"));
    free(out);
    char *m = tu_slurp(model, NULL);
    assert_non_null(m);
    assert_true(strncmp(m, "fsnsa-model 1.7\n", 16) == 0);
    assert_non_null(strstr(m, "\nselect.rule min\n"));
    free(m);
    assert_int_equal(tu_run(&ins, "inspect %s", model), 0);
    assert_non_null(strstr(ins, "cross-validation on the training rows, "
                                "lowest-mean rule\n"));
    free(ins);
    assert_int_equal(tu_run(&ins, "inspect --json %s", model), 0);
    assert_non_null(strstr(ins, "\"rule\": \"min\""));
    free(ins);
}

/* Refused with a message that says why, and no model written. */
static void expect_refused(int code, const char *args, const char *msg)
{
    char *out;
    const char *dir = tu_scratch_dir();
    assert_int_equal(tu_run(&out, "train %s %s %s/no.model", args, data,
                                  dir), code);
    if (strstr(out, msg) == NULL)
        fail_msg("'%s': wanted '%s', got '%s'", args, msg, out);
    free(out);
    char model[512];
    snprintf(model, sizeof model, "%s/no.model", dir);
    assert_int_not_equal(access(model, F_OK), 0);
}

static void test_refusals(void **state)
{
    (void)state;
    expect_refused(2, "--features autox",
                   "--features: expected an integer in [1, 100000000] or "
                   "'auto', got 'autox'");
    expect_refused(2, "--features auto --method dense",
                   "--features auto chooses the number of features for fsa "
                   "and fsa-nsa; --method dense keeps every feature");
    expect_refused(2, "--features auto --method nsa", "--method nsa keeps");
    expect_refused(2, "--select-folds 3", "--select-folds needs --features "
                   "auto");
    expect_refused(2, "--features 2 --select-sizes 1,2",
                   "--select-sizes needs --features auto");
    expect_refused(2, "--features auto --select-folds 1",
                   "--select-folds: expected an integer in [2, 1000]");
    expect_refused(2, "--features auto --select-sizes 2,9",
                   "candidate size 9 is outside [1, 8]");
    expect_refused(2, "--hidden autox", "--hidden: expected an integer in "
                   "[1, 1000000] or 'auto', got 'autox'");
    expect_refused(2, "--select-hidden 4", "--select-hidden needs --hidden "
                   "auto");
    expect_refused(2, "--select-rule min", "--select-rule needs --features "
                   "auto or --hidden auto");
    expect_refused(2, "--features auto --select-rule lowest",
                   "--select-rule: expected one of one-se, min");
    expect_refused(2, "--hidden auto --start-hidden 16 --select-hidden 8,32",
                   "candidate node count 32 is outside [1, 16]");
    /* only train chooses k and h */
    char *out;
    assert_int_equal(tu_run(&out, "restarts --features auto --xor 2"),
                     2);
    assert_non_null(strstr(out, "expected an integer in [1, 100000000], got "
                                "'auto'"));
    free(out);
    assert_int_equal(tu_run(&out, "grid --hidden auto --xor 2"), 2);
    assert_non_null(strstr(out, "--hidden: expected an integer"));
    free(out);
}

/* --select-score refit --refit dense: k = 2 and x0, x1 still, the model
 * at format 1.6 with its refit shown by inspect (text and --json); the
 * refusals of what needs another option. */
static void test_refit(void **state)
{
    (void)state;
    char *out, model[512];
    snprintf(model, sizeof model, "%s/r.model", tu_scratch_dir());
    assert_int_equal(tu_run(&out, "train --features auto " SMALL
                                  " --select-score refit --refit dense "
                                  "--select-refit-epochs 60 %s %s", data,
                                  model), 0);
    assert_non_null(strstr(out, "auto   k 2 by 3-fold"));
    assert_non_null(strstr(out, "selected x0 x1\n"));
    free(out);
    char *m = tu_slurp(model, NULL);
    assert_non_null(m);
    assert_true(strncmp(m, "fsnsa-model 1.6\n", 16) == 0);
    assert_non_null(strstr(m, "\nrefit dense\n"));
    free(m);
    assert_int_equal(tu_run(&out, "inspect %s", model), 0);
    assert_non_null(strstr(out, "refit        dense: "));
    free(out);
    assert_int_equal(tu_run(&out, "inspect --json %s", model), 0);
    assert_non_null(strstr(out, "\"refit\": \"dense\""));
    free(out);
    assert_int_equal(tu_run(&out, "train --method dense --refit dense %s "
                                  "%s", data, model), 2);
    assert_non_null(strstr(out, "--method dense prunes nothing"));
    free(out);
    assert_int_equal(tu_run(&out, "train --features auto "
                                  "--select-refit-epochs 5 %s %s", data,
                                  model), 2);
    assert_non_null(strstr(out, "needs --select-score refit"));
    free(out);
    assert_int_equal(tu_run(&out, "train --select-score refit %s %s", data,
                                  model), 2);
    assert_non_null(strstr(out, "--select-score needs --features auto"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xor_k),
        cmocka_unit_test(test_sizes_quiet_split),
        cmocka_unit_test(test_hidden_auto),
        cmocka_unit_test(test_inspect_curve),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_refit),
        cmocka_unit_test(test_select_rule_min),
    };
    return cmocka_run_group_tests_name("cli_select", tests, setup, NULL);
}

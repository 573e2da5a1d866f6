/* Every fuzz corpus and regression file replayed through its target
 * (fuzz/fuzz_*.c, built here without libFuzzer): a target aborts on a
 * broken contract, so a finding fixed once stays fixed
 * (docs/RELIABILITY.md). Each target runs in a child whose address space
 * is limited, so an input asking for a huge allocation fails instead of
 * succeeding (the harnesses accept FSNSA_ERR_NOMEM as a refusal). */
#include "testutil.h"

#include "fuzz.h"

typedef int (*fuzz_fn)(const uint8_t *, size_t);

typedef struct {
    const char *name;
    fuzz_fn fn;
} target;

/* Feed every regular file of dir to fn; returns how many. */
static int replay_dir(const char *dir, fuzz_fn fn)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        size_t len = 0;
        char *data = tu_slurp(path, &len);
        assert_non_null(data);
        fn((const uint8_t *)data, len); /* aborts on a broken contract */
        free(data);
        count++;
    }
    closedir(d);
    return count;
}

/* In the limited child: the corpus, then the regressions. */
static int replay_target(void *arg)
{
    const target *t = arg;
    char dir[256];
    snprintf(dir, sizeof dir, "fuzz/corpus/%s", t->name);
    int seeds = replay_dir(dir, t->fn);
    snprintf(dir, sizeof dir, "fuzz/regressions/%s", t->name);
    int regs = replay_dir(dir, t->fn);
    fprintf(stderr, "replayed fuzz/%s: %d seeds, %d regressions\n", t->name,
            seeds, regs);
    /* run from the repository root (make does); the seeds must be there */
    return seeds > 0 ? 0 : 93;
}

static void replay(const char *name, fuzz_fn fn)
{
    target t = {name, fn};
    tu_run_limited((size_t)1 << 30, replay_target, &t);
}

static void test_replay_csv(void **state) { (void)state; replay("csv", fuzz_csv); }
static void test_replay_libsvm(void **state) { (void)state; replay("libsvm", fuzz_libsvm); }
static void test_replay_arff(void **state) { (void)state; replay("arff", fuzz_arff); }
static void test_replay_uci(void **state) { (void)state; replay("uci", fuzz_uci); }
static void test_replay_model(void **state) { (void)state; replay("model", fuzz_model); }
static void test_replay_options(void **state) { (void)state; replay("options", fuzz_options); }
static void test_replay_number(void **state) { (void)state; replay("number", fuzz_number); }
static void test_replay_lines(void **state) { (void)state; replay("lines", fuzz_lines); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_csv),
        cmocka_unit_test(test_replay_libsvm),
        cmocka_unit_test(test_replay_arff),
        cmocka_unit_test(test_replay_uci),
        cmocka_unit_test(test_replay_model),
        cmocka_unit_test(test_replay_options),
        cmocka_unit_test(test_replay_number),
        cmocka_unit_test(test_replay_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

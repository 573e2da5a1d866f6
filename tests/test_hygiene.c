/* Library hygiene, read from libfsnsa.a itself: no call that prints,
 * exits or aborts, and no writable global data beyond the few allowed
 * with their reasons (docs/RELIABILITY.md). */
#include "testutil.h"

static const char *argv0 = "build/tests/test_hygiene";

static void lib_path(char *buf, size_t size)
{
    /* argv0 is BUILD/tests/test_hygiene; the library BUILD/libfsnsa.a */
    snprintf(buf, size, "%s", argv0);
    char *slash = strrchr(buf, '/');
    if (slash != NULL) {
        *slash = '\0';
        slash = strrchr(buf, '/');
    }
    if (slash != NULL)
        *slash = '\0';
    else
        snprintf(buf, size, "build");
    size_t l = strlen(buf);
    snprintf(buf + l, size - l, "/libfsnsa.a");
}

static void test_no_printing_or_exiting(void **state)
{
    (void)state;
    char lib[512], cmd[700];
    lib_path(lib, sizeof lib);
    if (access(lib, R_OK) != 0 || system("nm --version >/dev/null 2>&1") != 0) {
        print_message("no %s or no nm\n", lib);
        skip();
    }
    snprintf(cmd, sizeof cmd, "nm -u '%s'", lib);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    /* A library reports errors through fsnsa_error, never by talking to
     * the terminal or ending the process. */
    static const char *const banned[] = {
        "printf", "fprintf", "vprintf", "vfprintf", "puts", "fputs", "putchar",
        "fputc", "putc", "perror", "stdout", "stderr", "exit", "_exit",
        "_Exit", "abort", "__assert_fail", "quick_exit", "system", "signal",
        "sigaction", "raise", "kill", "rand", "srand", "strtok", "setlocale",
        "__printf_chk", "__fprintf_chk", "__vfprintf_chk", "__vprintf_chk",
        "__stack_chk_fail_local_dummy"};
    char line[512];
    int bad = 0, seen = 0;
    while (fgets(line, sizeof line, p) != NULL) {
        char type[8], name[400];
        if (sscanf(line, " %7s %399s", type, name) != 2 ||
            strcmp(type, "U") != 0)
            continue;
        seen++;
        char *at = strchr(name, '@'); /* versioned symbols */
        if (at != NULL)
            *at = '\0';
        for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++)
            if (strcmp(name, banned[i]) == 0) {
                print_message("libfsnsa.a calls %s\n", name);
                bad++;
            }
    }
    assert_int_equal(pclose(p), 0);
    assert_true(seen > 10);
    assert_int_equal(bad, 0);
}

static void test_no_writable_globals(void **state)
{
    (void)state;
    char lib[512], cmd[700];
    lib_path(lib, sizeof lib);
    if (access(lib, R_OK) != 0 ||
        system("objdump --version >/dev/null 2>&1") != 0) {
        print_message("no %s or no objdump\n", lib);
        skip();
    }
    snprintf(cmd, sizeof cmd, "objdump -t '%s'", lib);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[1024], object[1024] = "";
    int bad = 0, objects = 0;
    while (fgets(line, sizeof line, p) != NULL) {
        /* "adam.o:     file format elf64-x86-64" names the member */
        char *ff = strstr(line, ":     file format");
        if (ff != NULL) {
            *ff = '\0';
            snprintf(object, sizeof object, "%s", line);
            objects++;
            continue;
        }
        /* value flags section size name: only data objects */
        char *o = strstr(line, " O ");
        if (o == NULL)
            continue;
        char section[128], size[64], name[400];
        if (sscanf(o + 3, "%127s %63s %399s", section, size, name) != 3)
            continue;
        /* read-only data (incl. relocated const tables), thread-locals */
        if (strncmp(section, ".rodata", 7) == 0 ||
            strncmp(section, ".data.rel.ro", 12) == 0 ||
            strncmp(section, ".tbss", 5) == 0 ||
            strncmp(section, ".tdata", 6) == 0)
            continue;
        /* Allowed, with the reason (docs/RELIABILITY.md):
         *  - OpenMP's lock for a named critical section (jobs.c) is a
         *    mutex, not state;
         *  - adam.c's cached CPU level is an atomic that every thread
         *    computes to the same value (idempotent, race-free);
         *  - sanitizer and coverage instrumentation data. */
        if (strncmp(name, ".gomp_critical_user_", 20) == 0 ||
            (strcmp(object, "adam.o") == 0 && strncmp(name, "cached", 6) == 0) ||
            strncmp(name, "__asan", 6) == 0 || strncmp(name, "__ubsan", 7) == 0 ||
            strncmp(name, ".L", 2) == 0 || strncmp(name, "__sancov", 8) == 0)
            continue;
        print_message("%s: writable global %s in %s\n", object, name, section);
        bad++;
    }
    assert_int_equal(pclose(p), 0);
    assert_true(objects > 5);
    assert_int_equal(bad, 0);
}

int main(int argc, char **argv)
{
    (void)argc;
    if (argv[0] != NULL)
        argv0 = argv[0];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_printing_or_exiting),
        cmocka_unit_test(test_no_writable_globals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

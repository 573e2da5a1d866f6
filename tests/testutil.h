/* Shared by the cmocka test programs: temp files (in a scratch directory
 * of the program's own), dataset paths, skips. */
#ifndef FSNSA_TESTUTIL_H
#define FSNSA_TESTUTIL_H

/* mknod (XSI) for the device tests; every test includes this file first. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fsnsa.h"

/* This test program's scratch directory (mkdtemp, under /tmp), made on
 * first use and removed with the files in it when the process that made
 * it exits; a forked child leaves it to its parent. */
static char tu_scratch_path[64];
static pid_t tu_scratch_owner;

static inline void tu_scratch_remove(void)
{
    if (tu_scratch_path[0] == '\0' || getpid() != tu_scratch_owner)
        return;
    DIR *d = opendir(tu_scratch_path);
    if (d != NULL) {
        struct dirent *e;
        char p[sizeof tu_scratch_path + 256];
        while ((e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
                snprintf(p, sizeof p, "%s/%s", tu_scratch_path, e->d_name);
                remove(p);
            }
        closedir(d);
    }
    rmdir(tu_scratch_path);
}

static inline const char *tu_scratch_dir(void)
{
    if (tu_scratch_path[0] == '\0') {
        snprintf(tu_scratch_path, sizeof tu_scratch_path,
                 "/tmp/fsnsa-test-XXXXXX");
        assert_non_null(mkdtemp(tu_scratch_path));
        tu_scratch_owner = getpid();
        assert_int_equal(atexit(tu_scratch_remove), 0);
    }
    return tu_scratch_path;
}

/* Write `text` to a fresh file in the scratch directory whose name ends
 * in `suffix`; the path goes to `path` (size >= 64). */
static inline void tu_write_file(char *path, size_t size, const char *suffix,
                                 const char *text, size_t len)
{
    static unsigned counter;
    int n = snprintf(path, size, "%s/f%u%s", tu_scratch_dir(), counter++,
                     suffix);
    assert_true(n > 0 && (size_t)n < size);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static inline void tu_write_text(char *path, size_t size, const char *suffix,
                                 const char *text)
{
    tu_write_file(path, size, suffix, text, strlen(text));
}

/* The whole file (NUL-terminated, malloc'ed) and its length, or NULL. */
static inline char *tu_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *s = malloc(cap + 1);
    assert_non_null(s);
    while ((got = fread(s + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            s = realloc(s, cap + 1);
            assert_non_null(s);
        }
    }
    fclose(f);
    s[n] = '\0';
    if (len != NULL)
        *len = n;
    return s;
}

/* Directory holding shared/datasets, or NULL (then the test skips). */
static inline const char *tu_datasets(void)
{
    const char *d = getenv("FSNSA_DATASETS");
    if (d == NULL || access(d, R_OK) != 0)
        return NULL;
    return d;
}

/* Path of the fsnsa command built by make. */
static inline const char *tu_bin(void)
{
    const char *b = getenv("FSNSA_BIN");
    return b != NULL ? b : "build/fsnsa";
}

/* Two networks with the same shape, features and parameter bits. */
static inline int tu_same_net(const fsnsa_net *a, const fsnsa_net *b)
{
    return a->p == b->p && a->h == b->h && a->n_out == b->n_out &&
           memcmp(a->features, b->features, a->p * sizeof(size_t)) == 0 &&
           memcmp(a->W, b->W, a->h * a->p * sizeof(float)) == 0 &&
           memcmp(a->b, b->b, a->h * sizeof(float)) == 0 &&
           memcmp(a->beta, b->beta, a->h * a->n_out * sizeof(float)) == 0 &&
           memcmp(a->c, b->c, a->n_out * sizeof(float)) == 0;
}

/* ---------------------------------------------------------------- */
/* A child under an address-space limit                              */
/* ---------------------------------------------------------------- */

/* ASan's shadow memory needs terabytes of address space, so under it the
 * sanitizer's own allocator limit stands in for RLIMIT_AS. */
#if defined(__SANITIZE_ADDRESS__)
#define TU_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TU_UNDER_ASAN 1
#endif
#endif
#ifndef TU_UNDER_ASAN
#define TU_UNDER_ASAN 0
#endif

/* Virtual memory of this process now, bytes. */
static inline size_t tu_vm_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (f != NULL) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* fn(arg) in a forked child whose address space may grow by at most
 * `headroom` bytes beyond this process's (not under ASan), so that an
 * input asking for a huge allocation fails instead of succeeding; fn's
 * return value is the child's exit status, which must be 0. */
static inline void tu_run_limited(size_t headroom, int (*fn)(void *),
                                  void *arg)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!TU_UNDER_ASAN) {
            struct rlimit rl;
            rl.rlim_cur = rl.rlim_max = tu_vm_bytes() + headroom;
            if (setrlimit(RLIMIT_AS, &rl) != 0)
                _exit(90);
        }
        int code = fn(arg);
        fflush(NULL);
        _exit(code);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---------------------------------------------------------------- */
/* Devices, FIFOs and temporaries for the output tests: always made  */
/* inside the test's own mkdtemp directory, never under /dev.        */
/* ---------------------------------------------------------------- */

/* A character device with the numbers of /dev/null (1:3) at `path`;
 * 0, or -1 when not allowed (not root): the caller skips. */
static inline int tu_make_null_device(const char *path)
{
    return mknod(path, S_IFCHR | 0666, makedev(1, 3));
}

/* Whether `path` is still that device. */
static inline int tu_is_null_device(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISCHR(st.st_mode) &&
           st.st_rdev == makedev(1, 3);
}

static inline int tu_is_symlink(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

static inline int tu_is_fifo(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* A thread that reads everything written to a FIFO into `data`. Both
 * ends are opened before the thread starts, and the test holds a write
 * end of its own until tu_fifo_join: so the code under test never waits
 * for a reader, and the reader sees the end only after join, whatever
 * that code did (even replacing the FIFO by a file, as the old writer
 * did). */
typedef struct {
    pthread_t thread;
    int fd;   /* read end */
    int keep; /* our write end, closed by join */
    char *data;
    size_t len;
} tu_fifo_reader;

static inline void *tu_fifo_read_all(void *arg)
{
    tu_fifo_reader *r = arg;
    size_t cap = 1 << 16;
    r->data = malloc(cap + 1);
    r->len = 0;
    while (r->data != NULL) {
        if (r->len == cap) {
            char *g = realloc(r->data, 2 * cap + 1);
            if (g == NULL)
                break;
            r->data = g;
            cap *= 2;
        }
        ssize_t n = read(r->fd, r->data + r->len, cap - r->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        r->len += (size_t)n;
    }
    if (r->data != NULL)
        r->data[r->len] = '\0';
    close(r->fd);
    return NULL;
}

/* mkfifo `path` and start reading it. */
static inline void tu_fifo_start(tu_fifo_reader *r, const char *path)
{
    memset(r, 0, sizeof *r);
    assert_int_equal(mkfifo(path, 0600), 0);
    r->fd = open(path, O_RDONLY | O_NONBLOCK); /* no writer needed */
    assert_true(r->fd >= 0);
    r->keep = open(path, O_WRONLY); /* a reader exists: no wait */
    assert_true(r->keep >= 0);
    assert_int_equal(fcntl(r->fd, F_SETFL, 0), 0); /* blocking reads */
    assert_int_equal(pthread_create(&r->thread, NULL, tu_fifo_read_all, r),
                     0);
}

/* After the writer is done: let the reader see the end, wait for it. */
static inline void tu_fifo_join(tu_fifo_reader *r)
{
    close(r->keep);
    pthread_join(r->thread, NULL);
}

/* Entries of `dir` other than . and ..; names of at most `max` of them
 * go to names[] (malloc'ed, free with tu_free_names). */
static inline size_t tu_dir_list(const char *dir, char **names, size_t max)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n < max)
            names[n] = strdup(e->d_name);
        n++;
    }
    closedir(d);
    return n;
}

static inline void tu_free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
}

/* Whether a name is one of the output writer's temporary files:
 * ".NAME.fsnsa-XXXXXX" (or the old "NAME.tmp.PID"). */
static inline int tu_is_temp_name(const char *name)
{
    const char *t = strstr(name, ".fsnsa-");
    return (name[0] == '.' && t != NULL && strlen(t) == 13) ||
           strstr(name, ".tmp.") != NULL;
}

/* Fail if `dir` holds a temporary output file. */
static inline void tu_expect_no_temps(const char *dir)
{
    char *names[64];
    size_t n = tu_dir_list(dir, names, 64);
    for (size_t i = 0; i < n && i < 64; i++) {
        if (tu_is_temp_name(names[i])) {
            print_message("left behind in %s: %s\n", dir, names[i]);
            tu_free_names(names, n < 64 ? n : 64);
            fail();
        }
    }
    tu_free_names(names, n < 64 ? n : 64);
}

/* Run `fsnsa ARGS` through the shell (every path in the scratch
 * directory, without blanks); *out gets stdout and stderr (the program
 * frees it). Returns the exit code. */
static inline int tu_run_fsnsa(char **out, const char *fmt, ...)
{
    char args[2048], cmd[4096], log[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(log, sizeof log, "%s/out.txt", tu_scratch_dir());
    snprintf(cmd, sizeof cmd, "%s %s >%s 2>&1", tu_bin(), args, log);
    int st = system(cmd);
    *out = tu_slurp(log, NULL);
    assert_non_null(*out);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#endif

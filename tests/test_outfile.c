/* Output files (src/outfile.c): devices and FIFOs are written in place,
 * symlinks are followed and stay links, a regular file is replaced whole
 * or not at all, temporary names never collide and never stay behind,
 * and modes follow the umask. Everything happens in mkdtemp directories;
 * the device is made there with mknod, never taken from /dev. */
#include "testutil.h"
#include "core/core.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

/* ---------------------------------------------------------------- */
/* Helpers                                                           */
/* ---------------------------------------------------------------- */

static void make_dir(char *dir, size_t size)
{
    snprintf(dir, size, "/tmp/fsnsa-outfile-XXXXXX");
    assert_non_null(mkdtemp(dir));
}

static void remove_tree(const char *dir)
{
    char cmd[300];
    /* dir is our own mkdtemp name */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static const char *in_dir(const char *dir, const char *name)
{
    static char buf[8][512];
    static int next;
    char *b = buf[next++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", dir, name);
    return b;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

static void expect_text(const char *path, const char *text)
{
    char *s = tu_slurp(path, NULL);
    assert_non_null(s);
    assert_string_equal(s, text);
    free(s);
}

/* Write `text` to `path` through an fsnsa_outfile; the status. */
static fsnsa_status put(const char *path, bool anonymous_ok,
                        const char *text, fsnsa_error *err)
{
    fsnsa_outfile *o;
    fsnsa_status st = fsnsa__outfile_open(path, anonymous_ok, &o, err);
    if (st != FSNSA_OK)
        return st;
    /* a failed write shows at commit (the stream's error flag) */
    fputs(text, fsnsa_outfile_stream(o));
    return fsnsa_outfile_commit(o, err);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

/* Whether the writer gets an anonymous (O_TMPFILE) file in dir: then an
 * open output adds no name to the directory. On Linux it must (ext4,
 * tmpfs, xfs, btrfs all support it): a silent fall back would hide a
 * broken O_TMPFILE path from these tests. */
static int tmpfile_supported(const char *dir)
{
    fsnsa_error err = {0};
    fsnsa_outfile *o;
    size_t before = tu_dir_list(dir, NULL, 0);
    assert_int_equal(fsnsa_outfile_open(in_dir(dir, "probe"), &o, &err),
                     FSNSA_OK);
    size_t during = tu_dir_list(dir, NULL, 0);
    fsnsa_outfile_abort(o);
    assert_int_equal(tu_dir_list(dir, NULL, 0), before);
#ifdef __linux__
    assert_int_equal(during, before);
#endif
    return during == before;
}

/* ---------------------------------------------------------------- */
/* Devices and FIFOs are written in place                            */
/* ---------------------------------------------------------------- */

static void test_device_written_in_place(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof dir);
    const char *dev = in_dir(dir, "null");
    if (tu_make_null_device(dev) != 0) {
        print_message("mknod not allowed (%s): skipped\n", strerror(errno));
        remove_tree(dir);
        skip();
    }
    fsnsa_error err = {0};
    for (int anon = 0; anon < 2; anon++) {
        assert_int_equal(put(dev, anon, "bytes for the device\n", &err),
                         FSNSA_OK);
        assert_true(tu_is_null_device(dev));
        assert_int_equal(fsnsa__write_atomic(dev, "abc", 3, &err), FSNSA_OK);
        assert_true(tu_is_null_device(dev));
        /* abort: still the device, nothing else in the directory */
        fsnsa_outfile *o;
        assert_int_equal(fsnsa__outfile_open(dev, anon, &o, &err), FSNSA_OK);
        fputs("dropped", fsnsa_outfile_stream(o));
        fsnsa_outfile_abort(o);
        assert_true(tu_is_null_device(dev));
    }
    /* through a symlink: the device is written, the link stays */
    assert_int_equal(symlink("null", in_dir(dir, "to-null")), 0);
    assert_int_equal(put(in_dir(dir, "to-null"), true, "x\n", &err),
                     FSNSA_OK);
    assert_true(tu_is_null_device(dev));
    assert_true(tu_is_symlink(in_dir(dir, "to-null")));
    char *names[8];
    size_t n = tu_dir_list(dir, names, 8);
    assert_int_equal(n, 2);
    tu_free_names(names, n);
    remove_tree(dir);
}

static void test_fifo_written_in_place(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof dir);
    const char *fifo = in_dir(dir, "fifo");
    /* larger than a pipe's buffer: the writer must wait for the reader */
    size_t big = 300000;
    char *text = malloc(big + 1);
    assert_non_null(text);
    for (size_t i = 0; i < big; i++)
        text[i] = (char)('a' + i % 26);
    text[big - 1] = '\n';
    text[big] = '\0';
    fsnsa_error err = {0};
    for (int anon = 0; anon < 2; anon++) {
        tu_fifo_reader r;
        tu_fifo_start(&r, fifo);
        assert_int_equal(put(fifo, anon, text, &err), FSNSA_OK);
        tu_fifo_join(&r);
        assert_int_equal(r.len, big);
        assert_memory_equal(r.data, text, big);
        free(r.data);
        assert_true(tu_is_fifo(fifo));
        char *names[4];
        size_t n = tu_dir_list(dir, names, 4);
        assert_int_equal(n, 1); /* no temporary file, no rename */
        tu_free_names(names, n);
        assert_int_equal(unlink(fifo), 0);
    }
    free(text);
    remove_tree(dir);
}

/* ---------------------------------------------------------------- */
/* Symlinks are followed; the final target is replaced               */
/* ---------------------------------------------------------------- */

static void test_symlink_chain_followed(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof dir);
    assert_int_equal(mkdir(in_dir(dir, "sub"), 0755), 0);
    assert_int_equal(mkdir(in_dir(dir, "other"), 0755), 0);
    /* a -> b (relative, same directory); b -> sub/../other/c (relative,
     * through ..); abs -> absolute path of other/c */
    write_text(in_dir(dir, "other/c"), "old\n");
    assert_int_equal(chmod(in_dir(dir, "other/c"), 0640), 0);
    assert_int_equal(symlink("b", in_dir(dir, "a")), 0);
    assert_int_equal(symlink("sub/../other/c", in_dir(dir, "b")), 0);
    assert_int_equal(symlink(in_dir(dir, "other/c"), in_dir(dir, "abs")),
                     0);
    /* a link inside sub pointing up: relative to sub, not to the cwd */
    assert_int_equal(symlink("../other/c", in_dir(dir, "sub/up")), 0);
    fsnsa_error err = {0};
    const char *via[] = {"a", "abs", "sub/up"};
    for (int anon = 0; anon < 2; anon++) {
        for (size_t i = 0; i < 3; i++) {
            char text[64];
            snprintf(text, sizeof text, "new via %s, mode %d\n", via[i],
                     anon);
            assert_int_equal(put(in_dir(dir, via[i]), anon, text, &err),
                             FSNSA_OK);
            expect_text(in_dir(dir, "other/c"), text);
            assert_true(tu_is_symlink(in_dir(dir, "a")));
            assert_true(tu_is_symlink(in_dir(dir, "b")));
            assert_true(tu_is_symlink(in_dir(dir, "abs")));
            assert_true(tu_is_symlink(in_dir(dir, "sub/up")));
            /* the replaced file keeps its permission bits */
            assert_int_equal(mode_of(in_dir(dir, "other/c")), 0640);
        }
    }
    char buf[64];
    ssize_t n = readlink(in_dir(dir, "b"), buf, sizeof buf - 1);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_string_equal(buf, "sub/../other/c");
    tu_expect_no_temps(dir);
    tu_expect_no_temps(in_dir(dir, "other"));
    tu_expect_no_temps(in_dir(dir, "sub"));

    /* a link to a directory is refused, naming the link and its target */
    assert_int_equal(symlink("sub", in_dir(dir, "to-dir")), 0);
    assert_int_equal(put(in_dir(dir, "to-dir"), true, "x", &err),
                     FSNSA_ERR_IO);
    assert_non_null(strstr(err.msg, "to-dir (a link to"));
    assert_non_null(strstr(err.msg, "is a directory"));
    /* a loop */
    assert_int_equal(symlink("loop", in_dir(dir, "loop")), 0);
    assert_int_equal(put(in_dir(dir, "loop"), true, "x", &err),
                     FSNSA_ERR_IO);
    assert_non_null(strstr(err.msg, strerror(ELOOP)));
    tu_expect_no_temps(dir);
    remove_tree(dir);
}

static void test_dangling_symlink(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof dir);
    fsnsa_error err = {0};
    /* the file the link names is created; the link stays */
    assert_int_equal(symlink("made.txt", in_dir(dir, "d")), 0);
    assert_int_equal(put(in_dir(dir, "d"), true, "made\n", &err), FSNSA_OK);
    assert_true(tu_is_symlink(in_dir(dir, "d")));
    expect_text(in_dir(dir, "made.txt"), "made\n");
    /* a link into a directory that does not exist: an error naming the
     * link, the target and the directory; nothing created */
    assert_int_equal(symlink("nodir/x", in_dir(dir, "e")), 0);
    assert_int_equal(put(in_dir(dir, "e"), true, "x", &err), FSNSA_ERR_IO);
    assert_non_null(strstr(err.msg, "/e (a link to"));
    assert_non_null(strstr(err.msg, "directory '"));
    assert_non_null(strstr(err.msg, "nodir' does not exist"));
    char *names[8];
    size_t n = tu_dir_list(dir, names, 8);
    assert_int_equal(n, 3); /* d, made.txt, e */
    tu_free_names(names, n);
    remove_tree(dir);
}

/* ---------------------------------------------------------------- */
/* Temporary files: unique, never left behind, umask respected       */
/* ---------------------------------------------------------------- */

static void test_temporary_names(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof dir);
    const char *path = in_dir(dir, "out.txt");
    fsnsa_error err = {0};
    char *names[8];
    size_t n;

    /* the fallback: a hidden, recognizable name while open */
    fsnsa_outfile *o;
    assert_int_equal(fsnsa__outfile_open(path, false, &o, &err), FSNSA_OK);
    fputs("one\n", fsnsa_outfile_stream(o));
    n = tu_dir_list(dir, names, 8);
    assert_int_equal(n, 1);
    assert_true(names[0][0] == '.');
    assert_int_equal(strncmp(names[0], ".out.txt.fsnsa-", 15), 0);
    assert_int_equal(strlen(names[0]), 21);
    assert_true(tu_is_temp_name(names[0]));
    tu_free_names(names, n);
    assert_false(access(path, F_OK) == 0); /* nothing at the name yet */
    assert_int_equal(fsnsa_outfile_commit(o, &err), FSNSA_OK);
    expect_text(path, "one\n");
    n = tu_dir_list(dir, names, 8);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "out.txt");
    tu_free_names(names, n);
    /* abort removes it and keeps the old file */
    assert_int_equal(fsnsa__outfile_open(path, false, &o, &err), FSNSA_OK);
    fputs("two\n", fsnsa_outfile_stream(o));
    fsnsa_outfile_abort(o);
    expect_text(path, "one\n");
    assert_int_equal(tu_dir_list(dir, names, 0), 1);

    /* O_TMPFILE: while open the directory holds nothing new */
    if (tmpfile_supported(dir)) {
        assert_int_equal(fsnsa_outfile_open(path, &o, &err), FSNSA_OK);
        fputs("three\n", fsnsa_outfile_stream(o));
        assert_int_equal(tu_dir_list(dir, names, 0), 1);
        assert_int_equal(fsnsa_outfile_commit(o, &err), FSNSA_OK);
        expect_text(path, "three\n");
        assert_int_equal(tu_dir_list(dir, names, 0), 1);
    } else {
        print_message("O_TMPFILE not supported in %s\n", dir);
    }
    remove_tree(dir);
}

static void test_modes_follow_umask(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof dir);
    fsnsa_error err = {0};
    const mode_t masks[] = {022, 077, 0, 027};
    mode_t old = umask(022);
    for (int anon = 0; anon < 2; anon++) {
        for (size_t i = 0; i < 4; i++) {
            /* a new file: what open(O_CREAT, 0666) gives */
            char name[32];
            snprintf(name, sizeof name, "new-%d-%zu", anon, i);
            umask(masks[i]);
            assert_int_equal(put(in_dir(dir, name), anon, "x\n", &err),
                             FSNSA_OK);
            umask(022);
            assert_int_equal(mode_of(in_dir(dir, name)), 0666 & ~masks[i]);
        }
        /* a replaced file keeps its bits, even under a stricter or a
         * looser umask */
        const char *kept = in_dir(dir, "kept");
        write_text(kept, "old\n");
        assert_int_equal(chmod(kept, 0604), 0);
        umask(077);
        assert_int_equal(put(kept, anon, "new\n", &err), FSNSA_OK);
        assert_int_equal(mode_of(kept), 0604);
        assert_int_equal(chmod(kept, 0600), 0);
        umask(0);
        assert_int_equal(put(kept, anon, "newer\n", &err), FSNSA_OK);
        assert_int_equal(mode_of(kept), 0600);
        expect_text(kept, "newer\n");
        umask(022);
        unlink(kept);
    }
    umask(old);
    remove_tree(dir);
}

/* Many threads writing the same path at once: every commit succeeds and
 * the file is one writer's complete text. */
typedef struct {
    const char *path;
    int id;
    bool anon;
    fsnsa_status st;
    char msg[sizeof ((fsnsa_error *)0)->msg];
} writer_job;

static char *writer_text(int id)
{
    /* 64 kB, so that writes overlap in time */
    size_t n = 1 << 16;
    char *t = malloc(n + 1);
    assert_non_null(t);
    for (size_t i = 0; i < n; i++)
        t[i] = (char)('A' + (id + (int)(i / 64)) % 26);
    t[n] = '\0';
    return t;
}

static void *writer_thread(void *arg)
{
    writer_job *j = arg;
    char *t = writer_text(j->id);
    fsnsa_error err = {0};
    fsnsa_outfile *o;
    j->st = fsnsa__outfile_open(j->path, j->anon, &o, &err);
    if (j->st == FSNSA_OK) {
        fputs(t, fsnsa_outfile_stream(o));
        j->st = fsnsa_outfile_commit(o, &err);
    }
    snprintf(j->msg, sizeof j->msg, "%s", err.msg);
    free(t);
    return NULL;
}

static void test_concurrent_writers(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof dir);
    enum { N = 60 };
    for (int anon = 0; anon < 2; anon++) {
        const char *path = in_dir(dir, "same.txt");
        pthread_t th[N];
        writer_job jobs[N];
        for (int i = 0; i < N; i++) {
            jobs[i] = (writer_job){path, i, anon, FSNSA_ERR_IO, ""};
            assert_int_equal(
                pthread_create(&th[i], NULL, writer_thread, &jobs[i]), 0);
        }
        for (int i = 0; i < N; i++)
            pthread_join(th[i], NULL);
        for (int i = 0; i < N; i++) {
            if (jobs[i].st != FSNSA_OK)
                print_message("writer %d: %s\n", i, jobs[i].msg);
            assert_int_equal(jobs[i].st, FSNSA_OK);
        }
        size_t len = 0;
        char *got = tu_slurp(path, &len);
        assert_non_null(got);
        int match = -1;
        for (int i = 0; i < N && match < 0; i++) {
            char *t = writer_text(i);
            if (len == strlen(t) && memcmp(got, t, len) == 0)
                match = i;
            free(t);
        }
        assert_true(match >= 0);
        free(got);
        char *names[4];
        size_t n = tu_dir_list(dir, names, 4);
        assert_int_equal(n, 1);
        tu_free_names(names, n);
        unlink(path);
    }
    remove_tree(dir);
}

/* A process killed (SIGKILL) while writing: with O_TMPFILE nothing is
 * left; with the fallback exactly one hidden temporary file stays (what
 * docs/RELIABILITY.md says). The old file is untouched either way. */
static void test_killed_writer(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof dir);
    const char *path = in_dir(dir, "w.model");
    write_text(path, "old\n");
    int supported = tmpfile_supported(dir);
    for (int anon = 0; anon < 2; anon++) {
        int ready[2];
        assert_int_equal(pipe(ready), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            fsnsa_error err;
            fsnsa_outfile *o;
            if (fsnsa__outfile_open(path, anon, &o, &err) != FSNSA_OK)
                _exit(1);
            FILE *f = fsnsa_outfile_stream(o);
            for (int i = 0; i < 100000; i++)
                fputs("a line of a large model file\n", f);
            fflush(f);
            if (write(ready[1], "x", 1) != 1)
                _exit(1);
            for (;;)
                pause();
        }
        close(ready[1]);
        char c;
        assert_int_equal(read(ready[0], &c, 1), 1);
        close(ready[0]);
        assert_int_equal(kill(pid, SIGKILL), 0);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        expect_text(path, "old\n");
        char *names[8];
        size_t n = tu_dir_list(dir, names, 8);
        if (anon && supported) {
            assert_int_equal(n, 1); /* only w.model */
        } else {
            assert_int_equal(n, 2);
            int temp = tu_is_temp_name(names[0]) ? 0 : 1;
            assert_int_equal(strncmp(names[temp], ".w.model.fsnsa-", 15),
                             0);
            unlink(in_dir(dir, names[temp]));
        }
        tu_free_names(names, n);
    }
    remove_tree(dir);
}

/* ---------------------------------------------------------------- */
/* Failures: the real path in the message, no temporary file left    */
/* ---------------------------------------------------------------- */

static void expect_failure(const char *path, bool anon, const char *dir,
                           const char *what)
{
    fsnsa_error err = {0};
    assert_int_equal(put(path, anon, "x\n", &err), FSNSA_ERR_IO);
    if (strstr(err.msg, path) == NULL || strstr(err.msg, what) == NULL ||
        strstr(err.msg, ".fsnsa-") != NULL) {
        print_message("message: %s\nwanted %s and %s\n", err.msg, path,
                      what);
        fail();
    }
    tu_expect_no_temps(dir);
}

static void test_failures_leave_nothing(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof dir);
    write_text(in_dir(dir, "file"), "a regular file\n");
    assert_int_equal(mkdir(in_dir(dir, "sub"), 0755), 0);
    for (int anon = 0; anon < 2; anon++) {
        expect_failure(in_dir(dir, "nodir/x"), anon, dir,
                       "nodir' does not exist");
        expect_failure(in_dir(dir, "file/x"), anon, dir,
                       "file' is not a directory");
        expect_failure(in_dir(dir, "sub"), anon, dir, "is a directory");
        expect_failure(in_dir(dir, "sub/"), anon, dir,
                       "names a directory");

        /* a write that fails half way (file size limit) */
        const char *path = in_dir(dir, "m.txt");
        write_text(path, "old\n");
        char *big = writer_text(1);
        struct rlimit old, lim;
        assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
        lim = old;
        lim.rlim_cur = 1000;
        void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
        fsnsa_error err = {0};
        fsnsa_status st = put(path, anon, big, &err);
        setrlimit(RLIMIT_FSIZE, &old);
        signal(SIGXFSZ, prev);
        free(big);
        assert_int_equal(st, FSNSA_ERR_IO);
        assert_non_null(strstr(err.msg, path));
        assert_null(strstr(err.msg, ".fsnsa-"));
        expect_text(path, "old\n");
        tu_expect_no_temps(dir);

        /* the target became a directory before the commit: the rename
         * fails, nothing stays */
        const char *late = in_dir(dir, "late");
        fsnsa_outfile *o;
        assert_int_equal(fsnsa__outfile_open(late, anon, &o, &err),
                         FSNSA_OK);
        fputs("x\n", fsnsa_outfile_stream(o));
        assert_int_equal(mkdir(late, 0755), 0);
        write_text(in_dir(dir, "late/keep"), "k");
        assert_int_equal(fsnsa_outfile_commit(o, &err), FSNSA_ERR_IO);
        assert_non_null(strstr(err.msg, late));
        assert_null(strstr(err.msg, ".fsnsa-"));
        tu_expect_no_temps(dir);
        unlink(in_dir(dir, "late/keep"));
        rmdir(late);
    }
    remove_tree(dir);
}

static void test_output_check(void **state)
{
    (void)state;
    char dir[64];
    make_dir(dir, sizeof dir);
    fsnsa_error err = {0};
    const fsnsa_output_use R = FSNSA_OUTPUT_REPLACE, A = FSNSA_OUTPUT_APPEND;
    /* a new file in an existing directory, an existing file */
    assert_int_equal(fsnsa_output_check(in_dir(dir, "new"), R, &err),
                     FSNSA_OK);
    assert_int_equal(fsnsa_output_check(in_dir(dir, "new"), A, &err),
                     FSNSA_OK);
    write_text(in_dir(dir, "old"), "x");
    assert_int_equal(fsnsa_output_check(in_dir(dir, "old"), R, &err),
                     FSNSA_OK);
    assert_int_equal(fsnsa_output_check(in_dir(dir, "old"), A, &err),
                     FSNSA_OK);
    /* a FIFO: fine to replace-write (checking never opens it, so never
     * blocks), refused as a results file */
    assert_int_equal(mkfifo(in_dir(dir, "fifo"), 0600), 0);
    assert_int_equal(fsnsa_output_check(in_dir(dir, "fifo"), R, &err),
                     FSNSA_OK);
    assert_int_equal(fsnsa_output_check(in_dir(dir, "fifo"), A, &err),
                     FSNSA_ERR_IO);
    assert_non_null(strstr(err.msg, "not a regular file"));
    if (tu_make_null_device(in_dir(dir, "null")) == 0) {
        assert_int_equal(fsnsa_output_check(in_dir(dir, "null"), R, &err),
                         FSNSA_OK);
        assert_int_equal(fsnsa_output_check(in_dir(dir, "null"), A, &err),
                         FSNSA_ERR_IO);
    }
    /* a socket */
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(s >= 0);
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", in_dir(dir, "sock"));
    assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(fsnsa_output_check(in_dir(dir, "sock"), R, &err),
                     FSNSA_ERR_IO);
    assert_non_null(strstr(err.msg, "socket"));
    close(s);
    /* refusals name the path and the reason */
    const char *nd = in_dir(dir, "nodir/x.model");
    assert_int_equal(fsnsa_output_check(nd, R, &err), FSNSA_ERR_IO);
    assert_non_null(strstr(err.msg, nd));
    assert_non_null(strstr(err.msg, "does not exist"));
    assert_int_equal(fsnsa_output_check(nd, A, &err), FSNSA_ERR_IO);
    assert_int_equal(fsnsa_output_check(dir, R, &err), FSNSA_ERR_IO);
    assert_non_null(strstr(err.msg, "is a directory"));
    assert_int_equal(fsnsa_output_check("", R, &err), FSNSA_ERR_ARG);
    assert_int_equal(fsnsa_output_check(NULL, R, &err), FSNSA_ERR_ARG);
    /* checking creates nothing */
    char *names[16];
    size_t n = tu_dir_list(dir, names, 16);
    tu_free_names(names, n < 16 ? n : 16);
    assert_int_equal(n, access(in_dir(dir, "null"), F_OK) == 0 ? 4 : 3);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_written_in_place),
        cmocka_unit_test(test_fifo_written_in_place),
        cmocka_unit_test(test_symlink_chain_followed),
        cmocka_unit_test(test_dangling_symlink),
        cmocka_unit_test(test_temporary_names),
        cmocka_unit_test(test_modes_follow_umask),
        cmocka_unit_test(test_concurrent_writers),
        cmocka_unit_test(test_killed_writer),
        cmocka_unit_test(test_failures_leave_nothing),
        cmocka_unit_test(test_output_check),
    };
    return cmocka_run_group_tests_name("outfile", tests, NULL, NULL);
}

/* Output files: the one place where the library and the command write a
 * file that may already exist (docs/RELIABILITY.md, "Outputs").
 *
 * A name that is new or a regular file is replaced atomically: the bytes go
 * to a temporary file in the same directory, which is fsync'd and renamed
 * onto the name at commit. On Linux the temporary file is anonymous
 * (O_TMPFILE) and gets a name only for the instant between linkat and
 * rename, so a process killed while writing leaves nothing behind; where
 * O_TMPFILE is missing it is ".NAME.fsnsa-XXXXXX". A symbolic link is
 * followed to the file it finally names, and that file is replaced in its
 * own directory, so the link stays a link. An existing device or FIFO is
 * written directly: a rename would replace the device node itself.
 *
 *     fsnsa_outfile *o;
 *     if (fsnsa_outfile_open("m.model", &o, &err) == FSNSA_OK) {
 *         fputs("...", fsnsa_outfile_stream(o));
 *         st = fsnsa_outfile_commit(o, &err);   // or fsnsa_outfile_abort(o)
 *     }
 */
#define _GNU_SOURCE /* O_TMPFILE, AT_EMPTY_PATH */
#include "core.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Hops of a symlink chain before giving up, as the kernel's ELOOP. */
enum { MAX_LINK_HOPS = 40 };

struct fsnsa_outfile {
    FILE *f;
    char *path;   /* as the caller named it: every message uses this */
    char *target; /* the file written: path with its symlinks followed */
    char *dir;    /* target's directory, for the rename and its fsync */
    char *temp;   /* name of the temporary file while it has one */
    int anonymous; /* O_TMPFILE: the temporary file has no name yet */
    int direct;    /* device or FIFO written in place */
};

/* ---------------------------------------------------------------- */
/* Resolving the name                                                */
/* ---------------------------------------------------------------- */

/* Directory part of a path: "a/b" -> "a", "b" -> ".", "/b" -> "/". */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return fsnsa__strdup(".");
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(len + 1);
    if (d != NULL) {
        memcpy(d, path, len);
        d[len] = '\0';
    }
    return d;
}

/* The contents of symlink `link`, joined to the link's directory when
 * relative; NULL with errno set. */
static char *read_link(const char *link)
{
    size_t cap = 256;
    for (;;) {
        char *buf = malloc(cap);
        if (buf == NULL)
            return NULL;
        ssize_t n = readlink(link, buf, cap);
        if (n < 0) {
            free(buf);
            return NULL;
        }
        if ((size_t)n < cap) {
            buf[n] = '\0';
            if (buf[0] == '/' || strchr(link, '/') == NULL)
                return buf;
            /* relative to the directory holding the link */
            size_t dlen = (size_t)(strrchr(link, '/') - link) + 1;
            char *j = malloc(dlen + (size_t)n + 1);
            if (j != NULL) {
                memcpy(j, link, dlen);
                memcpy(j + dlen, buf, (size_t)n + 1);
            }
            free(buf);
            return j;
        }
        free(buf);
        if (cap > (size_t)PATH_MAX * 16) {
            errno = ENAMETOOLONG;
            return NULL;
        }
        cap *= 2;
    }
}

/* What writing `path` would write to: the name with its chain of symlinks
 * followed (the directories on the way are left to the kernel). */
typedef struct {
    char *target;    /* malloc'ed */
    int exists;      /* the target exists; st is its lstat */
    struct stat st;
} resolved;

static fsnsa_status resolve(const char *path, resolved *r, fsnsa_error *err)
{
    memset(r, 0, sizeof *r);
    if (path == NULL || path[0] == '\0')
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no output file name");
    if (path[strlen(path) - 1] == '/')
        return fsnsa__fail(err, FSNSA_ERR_IO,
                           "%s: names a directory, not a file", path);
    r->target = fsnsa__strdup(path);
    if (r->target == NULL)
        return fsnsa__nomem(err, "a file name");
    for (int hop = 0;; hop++) {
        if (lstat(r->target, &r->st) != 0) {
            if (errno == ENOENT || errno == ENOTDIR)
                return FSNSA_OK; /* a new file; its directory is checked */
            fsnsa_status st = fsnsa__fail(err, FSNSA_ERR_IO, "%s: %s", path,
                                          strerror(errno));
            free(r->target);
            r->target = NULL;
            return st;
        }
        if (!S_ISLNK(r->st.st_mode)) {
            r->exists = 1;
            return FSNSA_OK;
        }
        char *next = hop < MAX_LINK_HOPS ? read_link(r->target) : NULL;
        if (next == NULL) {
            int e = hop < MAX_LINK_HOPS ? errno : ELOOP;
            free(r->target);
            r->target = NULL;
            return fsnsa__fail(err, FSNSA_ERR_IO, "%s: %s", path,
                               strerror(e));
        }
        free(r->target);
        r->target = next;
    }
}

/* "PATH" or "PATH (a link to TARGET)", for messages. */
#define NAME_FMT "%s%s%s%s"
#define NAME_ARGS(path, target)                                              \
    (path), strcmp((path), (target)) != 0 ? " (a link to " : "",             \
        strcmp((path), (target)) != 0 ? (target) : "",                       \
        strcmp((path), (target)) != 0 ? ")" : ""

/* Whether r can be written as `use` asks: an existing target must be of a
 * kind we write, a file that is to be created (or replaced by rename) needs
 * a writable directory. */
static fsnsa_status check_resolved(const char *path, const resolved *r,
                                   fsnsa_output_use use, fsnsa_error *err)
{
    const char *t = r->target;
    if (r->exists) {
        mode_t m = r->st.st_mode;
        if (S_ISDIR(m))
            return fsnsa__fail(err, FSNSA_ERR_IO, NAME_FMT ": is a directory",
                               NAME_ARGS(path, t));
        if (S_ISSOCK(m))
            return fsnsa__fail(err, FSNSA_ERR_IO,
                               NAME_FMT ": is a socket, not a file",
                               NAME_ARGS(path, t));
        if (!S_ISREG(m) && use == FSNSA_OUTPUT_APPEND)
            return fsnsa__fail(err, FSNSA_ERR_IO,
                               NAME_FMT ": not a regular file (a results "
                               "file is read back and appended to)",
                               NAME_ARGS(path, t));
        if (!S_ISREG(m) || use == FSNSA_OUTPUT_APPEND) {
            /* written in place: the file itself must be writable */
            if (access(t, use == FSNSA_OUTPUT_APPEND ? R_OK | W_OK : W_OK) !=
                0)
                return fsnsa__fail(err, FSNSA_ERR_IO,
                                   NAME_FMT ": cannot write: %s",
                                   NAME_ARGS(path, t), strerror(errno));
            return FSNSA_OK;
        }
    }
    char *dir = dir_of(t);
    if (dir == NULL)
        return fsnsa__nomem(err, "a file name");
    struct stat ds;
    fsnsa_status st = FSNSA_OK;
    if (stat(dir, &ds) != 0) {
        if (errno == ENOENT)
            st = fsnsa__fail(err, FSNSA_ERR_IO,
                             NAME_FMT ": directory '%s' does not exist",
                             NAME_ARGS(path, t), dir);
        else
            st = fsnsa__fail(err, FSNSA_ERR_IO, NAME_FMT ": '%s': %s",
                             NAME_ARGS(path, t), dir, strerror(errno));
    } else if (!S_ISDIR(ds.st_mode)) {
        st = fsnsa__fail(err, FSNSA_ERR_IO,
                         NAME_FMT ": '%s' is not a directory",
                         NAME_ARGS(path, t), dir);
    } else if (access(dir, W_OK | X_OK) != 0) {
        st = fsnsa__fail(err, FSNSA_ERR_IO,
                         NAME_FMT ": cannot create files in '%s': %s",
                         NAME_ARGS(path, t), dir, strerror(errno));
    }
    free(dir);
    return st;
}

fsnsa_status fsnsa_output_check(const char *path, fsnsa_output_use use,
                                fsnsa_error *err)
{
    resolved r;
    fsnsa_status st = resolve(path, &r, err);
    if (st == FSNSA_OK)
        st = check_resolved(path, &r, use, err);
    free(r.target);
    return st;
}

/* ---------------------------------------------------------------- */
/* Temporary names                                                   */
/* ---------------------------------------------------------------- */

/* dir/.BASE.fsnsa-XXXXXX with a fresh suffix per attempt. The suffix mixes
 * the process, the clock, the object's address and the attempt, so threads
 * and processes rarely collide, and a collision (EEXIST) only costs another
 * attempt. */
static char *temp_name(const fsnsa_outfile *o, unsigned attempt)
{
    const char *base = strrchr(o->target, '/');
    base = base != NULL ? base + 1 : o->target;
    size_t blen = strlen(base);
    if (blen > 200) /* keep the name under NAME_MAX */
        blen = 200;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t h = (uint64_t)getpid() * 0x9E3779B97F4A7C15u;
    h ^= (uint64_t)ts.tv_nsec + ((uint64_t)ts.tv_sec << 30);
    h ^= (uint64_t)(uintptr_t)o * 0xBF58476D1CE4E5B9u;
    h ^= (uint64_t)attempt * 0x94D049BB133111EBu;
    h ^= h >> 31;
    h *= 0xD6E8FEB86659FD93u;
    h ^= h >> 32;
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    char suffix[7];
    for (int i = 0; i < 6; i++) {
        suffix[i] = digits[h % 36];
        h /= 36;
    }
    suffix[6] = '\0';
    size_t dlen = strlen(o->dir);
    size_t len = dlen + 2 + blen + sizeof ".fsnsa-" + 6;
    char *s = malloc(len);
    if (s != NULL)
        snprintf(s, len, "%s/.%.*s.fsnsa-%s", o->dir, (int)blen, base,
                 suffix);
    return s;
}

enum { TEMP_ATTEMPTS = 100 };

/* Call make(name) with fresh temporary names until it succeeds or fails
 * with something else than EEXIST; on success o->temp keeps the name.
 * Returns make's result: >= 0, or -1 with errno set. */
static int on_fresh_name(fsnsa_outfile *o,
                         int (*make)(const char *name, void *ctx), void *ctx)
{
    for (unsigned a = 0; a < TEMP_ATTEMPTS; a++) {
        char *name = temp_name(o, a);
        if (name == NULL) {
            errno = ENOMEM;
            return -1;
        }
        int rc = make(name, ctx);
        if (rc >= 0) {
            o->temp = name;
            return rc;
        }
        int e = errno;
        free(name);
        if (e != EEXIST) {
            errno = e;
            return -1;
        }
    }
    errno = EEXIST;
    return -1;
}

static int open_new(const char *name, void *mode)
{
    return open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                *(const mode_t *)mode);
}

/* Create the named temporary file (the fallback); fd or -1 with errno. */
static int create_named(fsnsa_outfile *o, mode_t mode)
{
    return on_fresh_name(o, open_new, &mode);
}

#ifdef O_TMPFILE
static int proc_fd_path(int fd, char *buf, size_t size)
{
    return snprintf(buf, size, "/proc/self/fd/%d", fd) < (int)size;
}

/* An anonymous file in o->dir, if the kernel, the filesystem and /proc
 * (needed to give it a name at commit) allow; else -1. */
static int create_anonymous(fsnsa_outfile *o, mode_t mode)
{
    int fd = open(o->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
    if (fd < 0)
        return -1;
    char proc[64];
    struct stat st;
    if (!proc_fd_path(fd, proc, sizeof proc) || stat(proc, &st) != 0) {
        close(fd);
        return -1;
    }
    o->anonymous = 1;
    return fd;
}

static int link_fd(const char *name, void *fdp)
{
    int fd = *(const int *)fdp;
    char proc[64];
    proc_fd_path(fd, proc, sizeof proc);
    int rc = linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
    if (rc != 0 && errno == ENOENT) /* /proc gone since: root may */
        rc = linkat(fd, "", AT_FDCWD, name, AT_EMPTY_PATH);
    return rc;
}

/* Give the anonymous file a temporary name; 0 or -1 with errno. */
static int name_anonymous(fsnsa_outfile *o, int fd)
{
    if (on_fresh_name(o, link_fd, &fd) < 0)
        return -1;
    o->anonymous = 0;
    return 0;
}
#endif

/* ---------------------------------------------------------------- */
/* Open, commit, abort                                               */
/* ---------------------------------------------------------------- */

static void outfile_free(fsnsa_outfile *o)
{
    free(o->path);
    free(o->target);
    free(o->dir);
    free(o->temp);
    free(o);
}

/* The descriptor to write: a device or FIFO itself (a FIFO's open waits
 * for a reader, as a shell's '>' does), else a new temporary file next to
 * the target. -1 with errno on failure. */
static int open_fd(fsnsa_outfile *o, const resolved *r, bool anonymous_ok)
{
    if (r->exists && !S_ISREG(r->st.st_mode)) {
        o->direct = 1;
        return open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    }
    /* A replaced file keeps its permission bits; a new one gets what
     * open(O_CREAT, 0666) would give under the umask. Creating with the
     * old bits (under the umask) never exposes the file more than the old
     * one was. */
    mode_t mode = r->exists ? (r->st.st_mode & 0777) : 0666;
    int fd = -1;
#ifdef O_TMPFILE
    if (anonymous_ok)
        fd = create_anonymous(o, mode);
#else
    (void)anonymous_ok;
#endif
    if (fd < 0)
        fd = create_named(o, mode);
    if (fd >= 0 && r->exists && fchmod(fd, mode) != 0) {
        int e = errno;
        close(fd);
        fd = -1;
        errno = e;
    }
    return fd;
}

/* Why o could not be opened (errno e); its temporary file goes. */
static fsnsa_status open_error(const fsnsa_outfile *o, int e,
                               fsnsa_error *err)
{
    if (o->temp != NULL)
        unlink(o->temp);
    if (e == ENOMEM)
        return fsnsa__nomem(err, "a temporary file name");
    if (o->direct)
        return fsnsa__fail(err, FSNSA_ERR_IO, NAME_FMT ": cannot open: %s",
                           NAME_ARGS(o->path, o->target), strerror(e));
    return fsnsa__fail(err, FSNSA_ERR_IO,
                       NAME_FMT ": cannot create a temporary file in '%s': "
                       "%s",
                       NAME_ARGS(o->path, o->target), o->dir, strerror(e));
}

fsnsa_status fsnsa__outfile_open(const char *path, bool anonymous_ok,
                                 fsnsa_outfile **out, fsnsa_error *err)
{
    *out = NULL;
    resolved r;
    fsnsa_status st = resolve(path, &r, err);
    if (st == FSNSA_OK)
        st = check_resolved(path, &r, FSNSA_OUTPUT_REPLACE, err);
    if (st != FSNSA_OK) {
        free(r.target);
        return st;
    }
    fsnsa_outfile *o = calloc(1, sizeof *o);
    if (o == NULL) {
        free(r.target);
        return fsnsa__nomem(err, "an output file");
    }
    o->target = r.target;
    o->path = fsnsa__strdup(path);
    o->dir = dir_of(o->target);
    if (o->path == NULL || o->dir == NULL) {
        outfile_free(o);
        return fsnsa__nomem(err, "an output file");
    }
    int fd = open_fd(o, &r, anonymous_ok);
    if (fd >= 0 && (o->f = fdopen(fd, "w")) == NULL) {
        int e = errno;
        close(fd);
        fd = -1;
        errno = e;
    }
    if (fd < 0) {
        st = open_error(o, errno, err);
        outfile_free(o);
        return st;
    }
    *out = o;
    return FSNSA_OK;
}

fsnsa_status fsnsa_outfile_open(const char *path, fsnsa_outfile **out,
                                fsnsa_error *err)
{
    return fsnsa__outfile_open(path, true, out, err);
}

FILE *fsnsa_outfile_stream(fsnsa_outfile *o)
{
    return o != NULL ? o->f : NULL;
}

fsnsa_status fsnsa_outfile_commit(fsnsa_outfile *o, fsnsa_error *err)
{
    if (o == NULL || o->f == NULL) {
        fsnsa_outfile_abort(o);
        return fsnsa__fail(err, FSNSA_ERR_ARG, "no open output file");
    }
    int e = 0;
    const char *what = "cannot write";
    int fd = fileno(o->f);
    errno = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        e = errno != 0 ? errno : EIO;
    /* A FIFO or a character device cannot be fsync'd (EINVAL): what it
     * took is gone already. */
    if (e == 0 && fsync(fd) != 0 &&
        !(o->direct && (errno == EINVAL || errno == EROFS ||
                        errno == ENOTSUP)))
        e = errno;
#ifdef O_TMPFILE
    if (e == 0 && o->anonymous && name_anonymous(o, fd) != 0) {
        e = errno;
        what = "cannot name the temporary file";
    }
#endif
    /* fclose reports errors that some filesystems (NFS) keep until then. */
    if (fclose(o->f) != 0 && e == 0)
        e = errno;
    o->f = NULL;
    if (e == 0 && !o->direct && rename(o->temp, o->target) != 0) {
        e = errno;
        what = "cannot replace";
    }
    if (e != 0) {
        if (o->temp != NULL)
            unlink(o->temp);
        fsnsa_status st =
            e == ENOMEM
                ? fsnsa__nomem(err, "a temporary file name")
                : fsnsa__fail(err, FSNSA_ERR_IO, NAME_FMT ": %s: %s",
                              NAME_ARGS(o->path, o->target), what,
                              strerror(e));
        outfile_free(o);
        return st;
    }
    if (!o->direct) {
        /* Make the new name durable too. The file is in place already, so
         * a failure here is not reported as a failed write (and some
         * filesystems cannot sync a directory). */
        int dfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
        free(o->temp);
        o->temp = NULL;
    }
    outfile_free(o);
    return FSNSA_OK;
}

void fsnsa_outfile_abort(fsnsa_outfile *o)
{
    if (o == NULL)
        return;
    if (o->f != NULL)
        fclose(o->f);
    if (o->temp != NULL)
        unlink(o->temp);
    outfile_free(o);
}

fsnsa_status fsnsa__write_atomic(const char *path, const void *data,
                                 size_t size, fsnsa_error *err)
{
    fsnsa_outfile *o;
    fsnsa_status st = fsnsa_outfile_open(path, &o, err);
    if (st != FSNSA_OK)
        return st;
    if (size > 0 && fwrite(data, 1, size, o->f) != size) {
        int e = errno;
        fsnsa_status fst = fsnsa__fail(err, FSNSA_ERR_IO,
                                       NAME_FMT ": cannot write: %s",
                                       NAME_ARGS(o->path, o->target),
                                       strerror(e));
        fsnsa_outfile_abort(o);
        return fst;
    }
    return fsnsa_outfile_commit(o, err);
}

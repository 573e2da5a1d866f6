/* Scratch files and the data-reader harness shared by the fuzz targets. */
#include "fuzz.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One scratch file per extension per process, removed at exit. This is a
 * test harness, not the library: a little global state is fine here. */
#define N_SCRATCH 8
static char scratch[N_SCRATCH][128];
static int n_scratch;

static void remove_scratch(void)
{
    for (int i = 0; i < n_scratch; i++)
        unlink(scratch[i]);
}

const char *fuzz_scratch_file(const char *ext, const uint8_t *data,
                              size_t size)
{
    const char *path = NULL;
    size_t el = strlen(ext);
    for (int i = 0; i < n_scratch && path == NULL; i++) {
        size_t l = strlen(scratch[i]);
        if (l >= el && strcmp(scratch[i] + l - el, ext) == 0)
            path = scratch[i];
    }
    if (path == NULL) {
        if (n_scratch == N_SCRATCH)
            return NULL;
        struct stat st;
        const char *dir = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode)
                              ? "/dev/shm"
                              : getenv("TMPDIR") != NULL ? getenv("TMPDIR")
                                                         : "/tmp";
        snprintf(scratch[n_scratch], sizeof scratch[0],
                 "%s/fsnsa-fuzz-%ld-%d%s", dir, (long)getpid(), n_scratch,
                 ext);
        if (n_scratch == 0)
            atexit(remove_scratch);
        path = scratch[n_scratch++];
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return NULL;
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) {
            close(fd);
            return NULL;
        }
        off += (size_t)w;
    }
    close(fd);
    return path;
}

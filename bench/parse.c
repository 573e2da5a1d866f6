/* Parse benchmark: reads each UCI data set (median of several runs) and
 * prints a table, then one JSON line per file. Not a test: it only times.
 *   parse [DATASETS_DIR] [RUNS]   (default $FSNSA_DATASETS or
 *   ../shared/datasets, 5 runs) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "fsnsa.h"

typedef struct {
    const char *name;
    const char *file;
    const char *label_column;
    const char *labels_file;
} job;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : getenv("FSNSA_DATASETS");
    if (dir == NULL)
        dir = "../shared/datasets";
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    if (runs < 1 || runs > 100)
        runs = 5;
    static const job jobs[] = {
        {"car", "car/car.data", NULL, NULL},
        {"segmentation", "segmentation/segmentation.test", "first", NULL},
        {"segment-challenge.arff", "segmentation/segment-challenge.arff", NULL, NULL},
        {"optdigits", "optdigits/optdigits.tra", NULL, NULL},
        {"mfeat-fac", "mfeat/mfeat-fac", NULL, "mfeat/labels"},
        {"isolet", "isolet/isolet1+2+3+4.rebuilt.data.gz", NULL, NULL},
    };
    size_t nj = sizeof jobs / sizeof jobs[0];
    char json[sizeof jobs / sizeof jobs[0]][512];
    int status = 0;
    printf("%-24s %7s %6s %8s %10s %9s %10s\n", "file", "rows", "cols",
           "classes", "seconds", "MB/s", "maxrss_MB");
    for (size_t k = 0; k < nj; k++) {
        char path[1024], labels[1024];
        snprintf(path, sizeof path, "%s/%s", dir, jobs[k].file);
        if (jobs[k].labels_file)
            snprintf(labels, sizeof labels, "%s/%s", dir, jobs[k].labels_file);
        struct stat sb;
        if (stat(path, &sb) != 0) {
            fprintf(stderr, "parse: %s: missing, skipped\n", path);
            json[k][0] = '\0';
            continue;
        }
        fsnsa_read_options o;
        fsnsa_read_options_default(&o);
        o.label_column = jobs[k].label_column;
        o.labels_file = jobs[k].labels_file ? labels : NULL;
        double t[100];
        fsnsa_dataset *d = NULL;
        for (int r = 0; r < runs; r++) {
            fsnsa_error err;
            fsnsa_dataset_free(d);
            d = NULL;
            double t0 = now();
            if (fsnsa_dataset_read(path, &o, &d, &err) != FSNSA_OK) {
                fprintf(stderr, "parse: %s\n", err.msg);
                status = 1;
                break;
            }
            t[r] = now() - t0;
        }
        if (d == NULL) {
            json[k][0] = '\0';
            continue;
        }
        qsort(t, (size_t)runs, sizeof t[0], cmp_double);
        double med = t[runs / 2];
        /* bytes on disk (compressed for .gz) per second */
        double mbs = (double)sb.st_size / 1e6 / med;
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        double rss = (double)ru.ru_maxrss / 1024.0;
        printf("%-24s %7zu %6zu %8zu %10.4f %9.1f %10.1f\n", jobs[k].name, d->n,
               d->p, d->schema.n_classes, med, mbs, rss);
        snprintf(json[k], sizeof json[k],
                 "{\"bench\":\"parse\",\"file\":\"%s\",\"rows\":%zu,\"cols\":%zu,"
                 "\"classes\":%zu,\"seconds\":%.6f,\"mb_per_s\":%.2f,"
                 "\"bytes\":%lld,\"maxrss_mb\":%.1f,\"runs\":%d}",
                 jobs[k].name, d->n, d->p, d->schema.n_classes, med, mbs,
                 (long long)sb.st_size, rss, runs);
        fsnsa_dataset_free(d);
    }
    for (size_t k = 0; k < nj; k++)
        if (json[k][0])
            printf("%s\n", json[k]);
    return status;
}

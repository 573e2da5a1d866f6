/* fsnsa-bench: one workload of the performance suite (issue 5), timed
 * through the public library API; prints one JSON line. bench/run.py runs
 * every workload in its own process (so peak RSS is per workload) and
 * interleaves them with the PyTorch peer.
 *
 *   fsnsa-bench W1|W2|W3|W4|W5|W6 [--threads T] [--epochs E] [--sgemm]
 *               [--datasets DIR]
 *
 * W1-W4: median seconds per epoch over E epochs (epoch times come from the
 * training callback; the median drops the warm-up epoch). W5: the whole
 * 300-epoch FSA+NSA run, plus its time per phase. W6: 32 restarts of a
 * dense h=64 net as independent trainings over an OpenMP parallel for with
 * T threads; prints a checksum of all 32 nets (equal for every T).
 * --sgemm: instead of training, time cblas_sgemm/sgemv on the shapes of
 * one epoch (forward X W^T, backward dz^T X, output layer act beta and
 * beta^T g / act^T g), i.e. the same 6 n (p h + h C) flops.
 * --adam: instead of training, time one epoch of the library's Adam step
 * alone (PyTorch's arithmetic: two divisions and a square root per
 * parameter) over the network's h (p + 1 + C) + C parameters, one update
 * per batch: the part of an epoch no GEMM speed can remove.
 *
 * OpenBLAS is set to 1 thread: training does not call BLAS (see
 * docs/PERFORMANCE.md), and --sgemm measures the one-core ceiling unless
 * T > 1. */
#include "fsnsa.h"
#include "../src/nn/adam.h" /* internal: the Adam step alone (--adam) */

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

void openblas_set_num_threads(int);

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void die(const char *what, const fsnsa_error *e)
{
    fprintf(stderr, "fsnsa-bench: %s: %s\n", what, e ? e->msg : "failed");
    exit(1);
}

typedef struct {
    double *sec;
    size_t *hidden, *features;
    int n;
} epoch_log;

static int log_epoch(const fsnsa_epoch_info *info, void *ctx)
{
    epoch_log *l = ctx;
    l->sec[l->n] = info->seconds;
    l->hidden[l->n] = info->hidden;
    l->features[l->n] = info->features;
    l->n++;
    return 0;
}

typedef struct {
    const char *name;
    size_t n, p, k, C, h, batch;
    int epochs;
    const char *data; /* "xor", "random", "isolet" */
} workload;

/* ISOLET-sized random data as the peer's --data random: standard normal
 * features, labels from a random linear map (argmax); values differ from
 * numpy's, which does not matter for timing. */
static fsnsa_dataset *random_data(size_t n, size_t p, size_t C)
{
    fsnsa_rng r;
    fsnsa_rng_seed(&r, 12345);
    float *x = malloc(n * p * sizeof *x), *R = malloc(p * C * sizeof *R);
    int32_t *y = malloc(n * sizeof *y);
    if (!x || !R || !y)
        die("memory", NULL);
    for (size_t i = 0; i < n * p + p * C; i++) {
        /* Box-Muller */
        double u1 = (fsnsa_rng_uniform(&r) + 1e-7), u2 = fsnsa_rng_uniform(&r);
        float z = (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
        if (i < n * p)
            x[i] = z;
        else
            R[i - n * p] = z;
    }
    for (size_t i = 0; i < n; i++) {
        double best = -INFINITY;
        for (size_t c = 0; c < C; c++) {
            double s = 0;
            for (size_t j = 0; j < p; j++)
                s += (double)x[i * p + j] * R[j * C + c];
            if (s > best) {
                best = s;
                y[i] = (int32_t)c;
            }
        }
    }
    fsnsa_dataset *d;
    fsnsa_error e;
    if (fsnsa_dataset_from_arrays(n, p, x, y, C, &d, &e) != FSNSA_OK)
        die("random data", &e);
    free(x);
    free(R);
    free(y);
    return d;
}

static fsnsa_dataset *load(workload *w, const char *dsdir)
{
    fsnsa_dataset *d = NULL;
    fsnsa_error e;
    if (strcmp(w->data, "xor") == 0) {
        if (fsnsa_xor_generate(w->n, w->p, w->k, 0, 0, &d, &e) != FSNSA_OK)
            die("xor data", &e);
        return d;
    }
    if (dsdir != NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/isolet/isolet1+2+3+4.rebuilt.data.gz", dsdir);
        FILE *f = fopen(path, "rb");
        if (f != NULL) {
            fclose(f);
            fsnsa_read_options o;
            fsnsa_read_options_default(&o);
            if (fsnsa_dataset_read(path, &o, &d, &e) == FSNSA_OK) {
                fsnsa_scaler s;
                if (fsnsa_scaler_fit(d, FSNSA_SCALE_STANDARD, &s, &e) == FSNSA_OK &&
                    fsnsa_scaler_apply(&s, d, &e) == FSNSA_OK) {
                    fsnsa_scaler_clear(&s);
                    w->n = d->n;
                    w->p = d->p;
                    w->C = d->schema.n_classes;
                    w->data = "isolet";
                    return d;
                }
                fsnsa_scaler_clear(&s);
                fsnsa_dataset_free(d);
            }
            fprintf(stderr, "fsnsa-bench: %s unreadable (%s); random data instead\n",
                    path, e.msg);
        }
    }
    w->data = "random";
    return random_data(w->n, w->p, w->C);
}

static double flops_epoch(const workload *w)
{
    size_t C = w->C == 2 ? 1 : w->C;
    return 6.0 * (double)w->n * ((double)w->p * (double)w->h + (double)w->h * (double)C);
}

/* VmHWM of /proc/self/status in kB (0 if unavailable) */
static long vm_hwm_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    if (f == NULL)
        return 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = atol(line + 6);
    fclose(f);
    return kb;
}

/* Reset the peak-RSS mark to the current RSS (Linux), so that the peak
 * seen afterwards is training's, not the data generator's temporaries. */
static int reset_hwm(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f == NULL)
        return 0;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

static int hwm_was_reset;

static void json_common(const workload *w, int threads)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long hwm = hwm_was_reset ? vm_hwm_kb() : 0;
    printf("{\"workload\": \"%s\", \"impl\": \"fsnsa\", \"threads\": %d, \"data\": \"%s\", "
           "\"n\": %zu, \"p\": %zu, \"classes\": %zu, \"h\": %zu, \"batch\": %zu, "
           "\"maxrss_kb\": %ld, \"train_peak_rss_kb\": %ld, \"cpu_seconds\": %.4g, "
           "\"flops_epoch\": %.6g",
           w->name, threads, w->data, w->n, w->p, w->C, w->h, w->batch,
           (long)ru.ru_maxrss, hwm ? hwm : (long)ru.ru_maxrss,
           (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
               (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec,
           flops_epoch(w));
}

/* cblas on one epoch's shapes: forward X(B x p) W^T, output act beta,
 * backward beta^T g -> dz (C > 1), gbeta = act^T g, gW = dz^T X */
static void bench_sgemm(const workload *w, int threads, int reps)
{
    size_t B = w->batch ? w->batch : w->n, p = w->p, h = w->h;
    size_t C = w->C == 2 ? 1 : w->C, steps = (w->n + B - 1) / B;
    float *X = malloc(B * p * 4), *W = malloc(h * p * 4), *A = malloc(B * h * 4),
          *be = malloc(h * C * 4), *L = malloc(B * C * 4), *gW = malloc(h * p * 4),
          *gb = malloc(h * C * 4);
    for (size_t i = 0; i < B * p; i++)
        X[i] = (float)(i % 7) * 0.1f;
    for (size_t i = 0; i < h * p; i++)
        W[i] = (float)(i % 5) * 0.1f;
    for (size_t i = 0; i < B * h; i++)
        A[i] = (float)(i % 3) * 0.1f;
    for (size_t i = 0; i < h * C; i++)
        be[i] = 0.01f;
    for (size_t i = 0; i < B * C; i++)
        L[i] = 0.1f;
    double *t = malloc((size_t)reps * sizeof *t);
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        for (size_t s = 0; s < steps; s++) {
            int b = (int)(s + 1 == steps && w->n % B ? w->n % B : B);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, b, (int)h, (int)p, 1.0f,
                        X, (int)p, W, (int)p, 0.0f, A, (int)h);
            if (C == 1) {
                cblas_sgemv(CblasRowMajor, CblasNoTrans, b, (int)h, 1.0f, A, (int)h, be, 1,
                            0.0f, L, 1);
                cblas_sgemv(CblasRowMajor, CblasTrans, b, (int)h, 1.0f, A, (int)h, L, 1,
                            0.0f, gb, 1);
                /* the rank-1 dz = g beta^T is not a GEMM; counted with gW */
            } else {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, b, (int)C, (int)h,
                            1.0f, A, (int)h, be, (int)C, 0.0f, L, (int)C);
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)h, (int)C, b, 1.0f,
                            A, (int)h, L, (int)C, 0.0f, gb, (int)C);
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, b, (int)h, (int)C, 1.0f,
                            L, (int)C, be, (int)C, 0.0f, A, (int)h);
            }
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)h, (int)p, b, 1.0f, A,
                        (int)h, X, (int)p, 0.0f, gW, (int)p);
        }
        t[r] = now() - t0;
    }
    double med = median(t, (size_t)reps);
    json_common(w, threads);
    printf(", \"mode\": \"sgemm\", \"seconds_per_epoch\": %.6g, \"gflops\": %.4g}\n", med,
           flops_epoch(w) / med * 1e-9);
    free(X); free(W); free(A); free(be); free(L); free(gW); free(gb); free(t);
}

/* the library's Adam over one epoch's steps, alone (--adam) */
static void bench_adam(const workload *w, int threads, int reps)
{
    size_t B = w->batch ? w->batch : w->n, C = w->C == 2 ? 1 : w->C;
    size_t steps = (w->n + B - 1) / B, n = w->h * (w->p + 1 + C) + C;
    float *th = malloc(n * 4), *g = malloc(n * 4), *m = calloc(n, 4), *v = calloc(n, 4);
    double *t = malloc((size_t)reps * sizeof *t);
    if (!th || !g || !m || !v || !t)
        die("memory", NULL);
    for (size_t i = 0; i < n; i++) {
        th[i] = 0.01f * (float)(i % 101) - 0.5f;
        g[i] = 1e-3f * (float)(i % 37) - 0.018f;
    }
    fsnsa__adam a;
    fsnsa__adam_init(&a, 1e-3, 0.9, 0.999, 1e-8, 1e-4);
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        for (size_t s = 0; s < steps; s++) {
            fsnsa__adam_begin_step(&a);
            fsnsa__adam_update(&a, n, th, g, m, v);
        }
        t[r] = now() - t0;
    }
    double med = median(t, (size_t)reps);
    json_common(w, threads);
    printf(", \"mode\": \"adam\", \"params\": %zu, \"steps\": %zu, \"seconds_per_epoch\": %.6g}\n",
           n, steps, med);
    free(th); free(g); free(m); free(v); free(t);
}

static void train_opts(const workload *w, fsnsa_train_options *o)
{
    fsnsa_train_options_default(o);
    o->method = FSNSA_METHOD_DENSE;
    o->hidden = w->h;
    o->batch = w->batch;
    o->epochs = w->epochs;
    o->seed = 1;
}

static void bench_epochs(workload *w, fsnsa_dataset *d, int threads, int fsa)
{
    fsnsa_train_options o;
    train_opts(w, &o);
    if (fsa) {
        o.method = FSNSA_METHOD_FSA_NSA;
        o.start_hidden = 1024;
        o.hidden = 128;
        o.features = 3;
    }
    epoch_log l = {calloc((size_t)o.epochs, sizeof(double)),
                   calloc((size_t)o.epochs, sizeof(size_t)),
                   calloc((size_t)o.epochs, sizeof(size_t)), 0};
    o.on_epoch = log_epoch;
    o.on_epoch_ctx = &l;
    fsnsa_net *net;
    fsnsa_error e;
    double t0 = now();
    if (fsnsa_train(d, &o, NULL, &net, &e) != FSNSA_OK)
        die("training", &e);
    double wall = now() - t0, total = 0;
    for (int i = 0; i < l.n; i++)
        total += l.sec[i];
    double loss;
    if (fsnsa_net_loss(net, d, &loss, &e) != FSNSA_OK)
        die("loss", &e);
    json_common(w, threads);
    printf(", \"mode\": \"train\", \"epochs\": %d, \"seconds_total\": %.6g, \"seconds_wall\": %.6g",
           l.n, total, wall);
    if (fsa) {
        /* per phase: all nodes, pruning, final size */
        double ph[3] = {0, 0, 0};
        int pn[3] = {0, 0, 0};
        for (int i = 0; i < l.n; i++) {
            size_t hb = i == 0 ? 1024 : l.hidden[i - 1];
            int k = hb == 1024 ? 0 : (l.hidden[i] == 128 && l.features[i] == 3) ? 2 : 1;
            ph[k] += l.sec[i];
            pn[k]++;
        }
        printf(", \"seconds_epoch_full\": %.6g, \"seconds_epoch_pruning\": %.6g, "
               "\"seconds_epoch_final\": %.6g, \"final_hidden\": %zu, \"final_features\": %zu",
               pn[0] ? ph[0] / pn[0] : 0, pn[1] ? ph[1] / pn[1] : 0, pn[2] ? ph[2] / pn[2] : 0,
               net->h, net->p);
        printf(", \"selected_features\": [");
        for (size_t i = 0; i < net->p; i++)
            printf("%s%zu", i ? ", " : "", net->features[i]);
        printf("]");
    } else {
        double med = median(l.sec, (size_t)l.n);
        printf(", \"seconds_per_epoch\": %.6g, \"samples_per_s\": %.6g, \"gflops\": %.4g",
               med, (double)w->n / med, flops_epoch(w) / med * 1e-9);
    }
    printf(", \"train_loss\": %.9g}\n", loss);
    fsnsa_net_free(net);
    free(l.sec);
    free(l.hidden);
    free(l.features);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 1099511628211ull;
    return h;
}

static void bench_restarts(workload *w, fsnsa_dataset *d, int threads, int R)
{
    fsnsa_train_options o;
    train_opts(w, &o);
    fsnsa_net **nets = calloc((size_t)R, sizeof *nets);
    int failed = 0;
    double t0 = now();
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) reduction(+ : failed)
    for (int r = 0; r < R; r++) {
        fsnsa_train_options oi = o;
        oi.seed = (uint64_t)r + 1;
        if (fsnsa_train(d, &oi, NULL, &nets[r], NULL) != FSNSA_OK)
            failed++;
    }
    double wall = now() - t0;
    if (failed)
        die("a restart failed", NULL);
    uint64_t h = 1469598103934665603ull;
    double best = INFINITY;
    for (int r = 0; r < R; r++) {
        const fsnsa_net *n = nets[r];
        h = fnv(h, n->W, n->h * n->p * sizeof(float));
        h = fnv(h, n->b, n->h * sizeof(float));
        h = fnv(h, n->beta, n->h * n->n_out * sizeof(float));
        h = fnv(h, n->c, n->n_out * sizeof(float));
        double loss;
        fsnsa_net_loss(n, d, &loss, NULL);
        if (loss < best)
            best = loss;
        fsnsa_net_free(nets[r]);
    }
    free(nets);
    json_common(w, threads);
    printf(", \"mode\": \"restarts\", \"restarts\": %d, \"epochs\": %d, \"seconds_total\": %.6g, "
           "\"checksum\": \"%016llx\", \"best_train_loss\": %.9g}\n",
           R, w->epochs, wall, (unsigned long long)h, best);
}

int main(int argc, char **argv)
{
    static workload W[] = {
        {"W1", 3000, 15, 3, 2, 1024, 32, 10, "xor"},
        {"W2", 3000, 15, 3, 2, 1024, 256, 10, "xor"},
        {"W3", 3000, 15, 3, 2, 1024, 0, 10, "xor"},
        {"W4", 6238, 617, 0, 26, 512, 16, 3, "random"},
        {"W5", 3000, 15, 3, 2, 1024, 32, 300, "xor"},
        {"W6", 1000, 15, 3, 2, 64, 32, 300, "xor"},
    };
    if (argc < 2) {
        fprintf(stderr, "usage: %s W1..W6 [--threads T] [--epochs E] [--sgemm] [--adam] "
                        "[--datasets DIR]\n", argv[0]);
        return 2;
    }
    workload *w = NULL;
    for (size_t i = 0; i < sizeof W / sizeof W[0]; i++)
        if (strcmp(argv[1], W[i].name) == 0)
            w = &W[i];
    if (w == NULL) {
        fprintf(stderr, "fsnsa-bench: unknown workload %s\n", argv[1]);
        return 2;
    }
    int threads = 1, sgemm = 0, adam = 0, reps = 5;
    const char *dsdir = getenv("FSNSA_DATASETS");
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--epochs") == 0 && i + 1 < argc)
            w->epochs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--datasets") == 0 && i + 1 < argc)
            dsdir = argv[++i];
        else if (strcmp(argv[i], "--sgemm") == 0)
            sgemm = 1;
        else if (strcmp(argv[i], "--adam") == 0)
            adam = 1;
        else {
            fprintf(stderr, "fsnsa-bench: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (threads < 1)
        threads = 1;
    /* The library's own threads (within a step, or over restarts here) come
     * from OpenMP; BLAS is only used by --sgemm, with T threads. */
    openblas_set_num_threads(sgemm ? threads : 1);
    omp_set_num_threads(threads);
    fsnsa_dataset *d = NULL;
    if ((!sgemm && !adam) || strcmp(w->name, "W4") == 0)
        d = load(w, strcmp(w->name, "W4") == 0 ? dsdir : NULL);
    hwm_was_reset = reset_hwm();
    if (adam)
        bench_adam(w, threads, reps);
    else if (sgemm)
        bench_sgemm(w, threads, reps);
    else if (strcmp(w->name, "W6") == 0)
        bench_restarts(w, d, threads, 32);
    else
        bench_epochs(w, d, threads, strcmp(w->name, "W5") == 0);
    fsnsa_dataset_free(d);
    return 0;
}

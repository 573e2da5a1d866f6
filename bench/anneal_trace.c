/* The mechanism of FSA+NSA's blow-ups (issue 14): one training run on k-D
 * XOR driven through the library's own trainer, printing per epoch, before
 * Eq. 3 is applied, the sizes the rescaling moves between the layers and
 * how far Adam moved the parameters. A diagnostic, not a test:
 *
 *   anneal_trace P K N WD EPOCHS SEED VARIANT   (VARIANT: paper|stable)
 *
 * Columns (TSV): epoch, nodes, features, epoch loss; then over the nodes
 * before Eq. 3: the geometric mean, max and min of ||w_j|| (the factor Eq. 3
 * multiplies into beta_j), max |beta_j|, the sum |beta_j| (a bound on the
 * output scale |f - c| per unit ||relu||), max |b_j|; then Adam over the
 * epoch: ||W_end - W_start|| / ||W_start|| and the same for beta; and the
 * last step's RMS of Adam's update / RMS of the parameter, for W and beta
 * (its step relative to the parameter). */
#include "nn/train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double norm2(const float *a, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)a[i] * a[i];
    return sqrt(s);
}

static double dist2(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    return sqrt(s);
}

/* RMS of Adam's last update of theta / RMS of theta */
static double adam_rel(const fsnsa__adam *a, const float *th, const float *m,
                       const float *v, size_t n)
{
    double su = 0, st = 0;
    for (size_t i = 0; i < n; i++) {
        double u = a->step_size * m[i] / (sqrt(v[i]) / a->bc2_sqrt + a->eps);
        su += u * u;
        st += (double)th[i] * th[i];
    }
    return st > 0 ? sqrt(su / st) : NAN;
}

static void print_epoch(const fsnsa__trainer *t, const fsnsa_net *s, int e,
                        double loss)
{
    const fsnsa_net *n = t->net;
    double lg = 0, wmax = 0, wmin = INFINITY, bmax = 0, bsum = 0, bbias = 0;
    for (size_t j = 0; j < n->h; j++) {
        double w = norm2(n->W + j * n->p, n->p), b = fabs(n->beta[j]);
        lg += log(w);
        wmax = w > wmax ? w : wmax;
        wmin = w < wmin ? w : wmin;
        bmax = b > bmax ? b : bmax;
        bsum += b;
        bbias = fabs(n->b[j]) > bbias ? fabs(n->b[j]) : bbias;
    }
    size_t hw = n->h * n->p;
    printf("%d\t%zu\t%zu\t%.6g\t%.4g\t%.4g\t%.4g\t%.4g\t%.4g\t%.4g\t%.3g\t%.3g"
           "\t%.3g\t%.3g\n",
           e, n->h, n->p, loss, exp(lg / n->h), wmax, wmin, bmax, bsum, bbias,
           dist2(n->W, s->W, hw) / norm2(s->W, hw),
           dist2(n->beta, s->beta, n->h) / norm2(s->beta, n->h),
           adam_rel(&t->adam, n->W, t->mo.mW, t->mo.vW, hw),
           adam_rel(&t->adam, n->beta, t->mo.mbeta, t->mo.vbeta, n->h));
}

static double run_epoch(fsnsa__trainer *t)
{
    for (size_t i = 0; i < t->n; i++)
        t->perm[i] = i;
    fsnsa_rng_shuffle(&t->rng, t->perm, t->n);
    double sum = 0;
    for (size_t i = 0; i < t->n; i += t->B) {
        size_t B = t->n - i < t->B ? t->n - i : t->B;
        sum += fsnsa__trainer_step(t, t->perm + i, B);
    }
    return sum / (double)t->n;
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: anneal_trace P K N WD EPOCHS SEED paper|stable\n");
        return 2;
    }
    fsnsa_train_options o;
    fsnsa_train_options_default(&o);
    size_t p = strtoul(argv[1], NULL, 10), k = strtoul(argv[2], NULL, 10);
    size_t n = strtoul(argv[3], NULL, 10);
    o.weight_decay = atof(argv[4]);
    o.epochs = atoi(argv[5]);
    o.seed = strtoull(argv[6], NULL, 10);
    o.variant = fsnsa_variant_parse(argv[7]);
    o.features = k;
    fsnsa_error err;
    fsnsa_dataset *d = NULL;
    fsnsa_train_options r;
    fsnsa__trainer t;
    if ((int)o.variant < 0 ||
        fsnsa_xor_generate(n, p, k, 1, 0, &d, &err) != FSNSA_OK ||
        fsnsa_train_options_resolve(&o, p, &r, &err) != FSNSA_OK ||
        fsnsa__trainer_init(&t, d, &r, NULL, &err) != FSNSA_OK) {
        fprintf(stderr, "anneal_trace: cannot start\n");
        return 1;
    }
    for (int e = 1; e <= r.epochs; e++) {
        fsnsa_net *s = NULL;
        if (fsnsa_net_copy(t.net, &s, &err) != FSNSA_OK)
            return 1;
        double loss = run_epoch(&t);
        print_epoch(&t, s, e, loss);
        fsnsa_net_free(s);
        fsnsa__trainer_anneal(&t, &r, e);
    }
    fsnsa__trainer_free(&t);
    fsnsa_dataset_free(d);
    return 0;
}

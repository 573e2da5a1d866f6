/* The training options: see train_options.h. */
#include "train_options.h"

#include <getopt.h>
#include <math.h>
#include <string.h>

#include "args.h"
#include "help.h"
#include "messages.h"
#include "options.h"

/* --NAME n in [1, hi], or with auto_ok --NAME auto: the size chosen
 * later by cross-validation (*v = 0 until then, *is_auto = 1). */
static int size_or_auto(const char *cmd, const char *name, const char *arg,
                        size_t hi, int auto_ok, size_t *v, int *is_auto)
{
    *is_auto = 0;
    if (!auto_ok)
        return cli_opt_size(cmd, name, arg, 1, hi, v);
    if (strcmp(arg, "auto") == 0) {
        *is_auto = 1;
        *v = 0;
        return 0;
    }
    cli_msg m;
    uint64_t u;
    if (cli_parse_u64(arg, 1, hi, &u, &m) != NULL) {
        cli_error(cmd, "--%s: expected an integer in [1, %zu] or 'auto', "
                  "got '%s'", name, hi, arg);
        return -1;
    }
    *v = (size_t)u;
    return 0;
}

int cli_train_option(const char *cmd, int c, const char *arg,
                     fsnsa_train_options *t, cli_train_given *given)
{
    long long ll;
    int v;
    switch (c) {
    case CLI_OPT_METHOD:
        if (cli_opt_enum(cmd, "method", arg, fsnsa_method_parse,
                         fsnsa_method_names(), &v) != 0)
            return -1;
        t->method = (fsnsa_method)v;
        given->method = 1;
        return 0;
    case CLI_OPT_VARIANT:
        if (cli_opt_enum(cmd, "variant", arg, fsnsa_variant_parse,
                         fsnsa_variant_names(), &v) != 0)
            return -1;
        t->variant = (fsnsa_variant)v;
        return 0;
    case CLI_OPT_HIDDEN:
        given->hidden = 1;
        return size_or_auto(cmd, "hidden", arg, 1000000, given->auto_ok,
                            &t->hidden, &given->hidden_auto);
    case CLI_OPT_START_HIDDEN:
        given->start_hidden = 1;
        return cli_opt_size(cmd, "start-hidden", arg, 1, 1000000,
                            &t->start_hidden);
    case CLI_OPT_FEATURES:
        given->features = 1;
        return size_or_auto(cmd, "features", arg, 100000000, given->auto_ok,
                            &t->features, &given->features_auto);
    case CLI_OPT_EPOCHS:
        if (cli_opt_int(cmd, "epochs", arg, 1, 1000000, &ll) != 0)
            return -1;
        t->epochs = (int)ll;
        return 0;
    case CLI_OPT_MU:
        return cli_opt_double(cmd, "mu", arg, 0, 0, 1e6, 0, &t->mu);
    case CLI_OPT_BATCH:
        return cli_opt_batch(cmd, "batch", arg, 1000000000, &t->batch);
    case CLI_OPT_LR:
        return cli_opt_double(cmd, "lr", arg, 0, 1, INFINITY, 0, &t->lr);
    case CLI_OPT_WEIGHT_DECAY:
        return cli_opt_double(cmd, "weight-decay", arg, 0, 0, INFINITY, 0,
                              &t->weight_decay);
    default:
        return 1;
    }
}

/* "a", "a and b", "a, b and c": the methods i with nodes[i] == v */
static size_t put_methods_with(char *buf, size_t size, const size_t *nodes,
                               size_t n, size_t v)
{
    size_t count = 0, k = 0, o = 0;
    for (size_t i = 0; i < n; i++)
        count += nodes[i] == v;
    for (size_t i = 0; i < n && o < size; i++) {
        if (nodes[i] != v)
            continue;
        const char *sep = k == 0 ? "" : k + 1 == count ? " and " : ", ";
        k++;
        int w = snprintf(buf + o, size - o, "%s%s", sep,
                         fsnsa_method_name((fsnsa_method)i));
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return o;
}

const char *cli_hidden_default(const fsnsa_train_options *d, char *buf,
                               size_t size)
{
    if (d->hidden != 0) {
        snprintf(buf, size, "%zu", d->hidden);
        return buf;
    }
    /* one group per distinct count, in the order of the methods */
    size_t nodes[16], n = 0, o = 0;
    for (const char *const *m = fsnsa_method_names(); *m != NULL && n < 16;
         m++, n++)
        nodes[n] = fsnsa_train_default_hidden((fsnsa_method)n);
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < size; i++) {
        int first = 1;
        for (size_t j = 0; j < i; j++)
            first &= nodes[j] != nodes[i];
        if (!first)
            continue;
        int w = snprintf(buf + o, size - o, "%s%zu for ", o ? ", " : "",
                         nodes[i]);
        if (w < 0 || (size_t)w >= size - o)
            break;
        o += (size_t)w;
        o += put_methods_with(buf + o, size - o, nodes, n, nodes[i]);
    }
    return buf;
}

void cli_train_help_net(FILE *f, const fsnsa_train_options *d,
                        const char *features_auto, int auto_ok)
{
    char methods[128], hidden[160], features[32];
    if (d->features != 0)
        snprintf(features, sizeof features, "%zu", d->features);
    cli_help_opt(f, "--method M", "%s [%s]",
                 cli_help_choices(fsnsa_method_names(), methods,
                                  sizeof methods),
                 fsnsa_method_name(d->method));
    if (auto_ok)
        cli_help_opt(f, "--hidden h|auto", "final hidden nodes; auto "
                     "chooses h by cross-validation on the training rows "
                     "(--select-hidden) [%s]",
                     cli_hidden_default(d, hidden, sizeof hidden));
    else
        cli_help_opt(f, "--hidden h", "final hidden nodes [%s]",
                     cli_hidden_default(d, hidden, sizeof hidden));
    cli_help_opt(f, "--start-hidden H", "starting nodes for nsa and fsa-nsa "
                 "[%zu]", d->start_hidden);
    if (auto_ok)
        cli_help_opt(f, "--features k|auto", "features kept by fsa and "
                     "fsa-nsa; auto chooses k by cross-validation on the "
                     "training rows (--select-*) [%s]",
                     d->features != 0 ? features : features_auto);
    else
        cli_help_opt(f, "--features k", "features kept by fsa and fsa-nsa "
                     "[%s]", d->features != 0 ? features : features_auto);
    cli_help_opt(f, "--epochs N", "training epochs [%d]", d->epochs);
    cli_help_opt(f, "--mu M", "annealing parameter mu [%g]", d->mu);
    char variants[32];
    cli_help_opt(f, "--variant V", "%s: how nsa, fsa and fsa-nsa apply Eq. 3; "
                 "paper rewrites the parameters every epoch as the paper "
                 "does, stable ranks on normalized copies "
                 "(docs/algorithm.md) [%s]",
                 cli_help_choices(fsnsa_variant_names(), variants,
                                  sizeof variants),
                 fsnsa_variant_name(d->variant));
}

void cli_train_help_optimizer(FILE *f, const fsnsa_train_options *d)
{
    char batch[32] = "full";
    if (d->batch != 0)
        snprintf(batch, sizeof batch, "%zu", d->batch);
    cli_help_opt(f, "--batch B|full", "mini-batch size, or full batch [%s]",
                 batch);
    cli_help_opt(f, "--lr FLOAT", "Adam learning rate [%g]", d->lr);
    cli_help_opt(f, "--weight-decay FLOAT", "L2 term added to the gradient "
                 "[%g]", d->weight_decay);
}

/* Job-file headers and descriptions: see exp_header.h. */
#include "exp_header.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_options.h"

void exp_describe(const exp_config *cfg, int with_training, char *buf,
                  size_t size)
{
    const char *scale = fsnsa_scale_name(exp_scale_kind(cfg));
    int w;
    if (cfg->xor_k > 0)
        w = snprintf(buf, size, "data=xor k=%zu n=%zu p=%zu test-n=%zu "
                     "data-seed=%llu scale=%s", cfg->xor_k, cfg->n,
                     cfg->p_given ? cfg->p : cfg->xor_k, cfg->test_n,
                     (unsigned long long)cfg->data_seed, scale);
    else
        w = snprintf(buf, size, "data=%s test=%s test-fraction=%g "
                     "split-seed=%llu label=%s labels-file=%s missing=%d "
                     "scale=%s", cfg->data, cfg->test ? cfg->test : "-",
                     cfg->test_fraction, (unsigned long long)cfg->split_seed,
                     cfg->read.label_column ? cfg->read.label_column : "last",
                     cfg->read.labels_file ? cfg->read.labels_file : "-",
                     (int)cfg->read.missing, scale);
    if (w < 0 || (size_t)w >= size || !with_training)
        return;
    const fsnsa_train_options *t = &cfg->train;
    snprintf(buf + w, size - (size_t)w,
             " method=%s hidden=%zu start-hidden=%zu features=%zu epochs=%d "
             "mu=%g batch=%zu lr=%g weight-decay=%g",
             fsnsa_method_name(t->method), t->hidden, t->start_hidden,
             t->features, t->epochs, t->mu, t->batch, t->lr, t->weight_decay);
}

void exp_describe_variant(const fsnsa_train_options *t, char *buf,
                          size_t size)
{
    size_t w = strlen(buf);
    if (t->method != FSNSA_METHOD_DENSE && w < size)
        snprintf(buf + w, size - w, " variant=%s",
                 fsnsa_variant_name(t->variant));
}

void exp_header_add(exp_header *h, int note, const char *name,
                    const char *fmt, ...)
{
    if (h->n == EXP_HEADER_FIELDS || h->used >= sizeof h->text) {
        h->full = 1;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *v = h->text + h->used;
    int w = vsnprintf(v, sizeof h->text - h->used, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= sizeof h->text - h->used) {
        h->full = 1;
        return;
    }
    h->used += (size_t)w + 1;
    h->field[h->n++] = (fsnsa_job_field){name, v, note, NULL};
}

void exp_header_double(exp_header *h, const char *name, double v)
{
    /* %g when that reads back as v (30, 0.001), else the fewest digits
     * that do: exact, and not 0.0010000000000000000 */
    char buf[32];
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    exp_header_add(h, 0, name, "%s", buf);
}

void exp_header_init(exp_header *h, const char *sweep, const char *values)
{
    h->n = h->used = 0;
    h->full = 0;
    exp_header_add(h, 0, "sweep", "%s", sweep);
    exp_header_add(h, 0, "values", "%s", values);
    exp_header_add(h, 1, "fsnsa", "%s", FSNSA_VERSION);
}

void exp_header_data(exp_header *h, const exp_config *cfg,
                     const exp_data_id *id)
{
    const fsnsa_read_options *r = &cfg->read;
    /* compared: what the jobs' results depend on */
    if (cfg->xor_k > 0) {
        exp_header_add(h, 0, "xor-k", "%zu", cfg->xor_k);
        exp_header_add(h, 0, "n", "%zu", cfg->n);
        exp_header_add(h, 0, "p", "%zu", cfg->p_given ? cfg->p : cfg->xor_k);
        exp_header_add(h, 0, "test-n", "%zu", cfg->test_n);
        exp_header_add(h, 0, "data-seed", "%llu",
                       (unsigned long long)cfg->data_seed);
    } else {
        exp_header_double(h, "test-fraction", cfg->test_fraction);
        exp_header_add(h, 0, "split-seed", "%llu",
                       (unsigned long long)cfg->split_seed);
        exp_header_add(h, 0, "missing", "%s", fsnsa_missing_name(r->missing));
    }
    exp_header_add(h, 0, "scale", "%s",
                   fsnsa_scale_name(exp_scale_kind(cfg)));
    exp_header_add(h, 0, "data-sha256", "%s", id->data_sha);
    exp_header_add(h, 0, "test-sha256", "%s",
                   id->test_sha[0] != '\0' ? id->test_sha : "-");
    /* only for regression, so classification job files read as before */
    if (cfg->read.task == FSNSA_TASK_REGRESSION)
        exp_header_add(h, 0, "task", "%s", fsnsa_task_name(cfg->read.task));
    if (cfg->xor_k > 0)
        return;
    /* notes: which files, read how, gave those fingerprints */
    exp_header_add(h, 1, "data", "%s", cfg->data);
    exp_header_add(h, 1, "rows", "%zu", id->rows);
    exp_header_add(h, 1, "columns", "%zu", id->columns);
    exp_header_add(h, 1, "classes", "%zu", id->classes);
    exp_header_add(h, 1, "test", "%s", cfg->test != NULL ? cfg->test : "-");
    exp_header_add(h, 1, "test-rows", "%zu", id->test_rows);
    exp_header_add(h, 1, "format", "%s", fsnsa_format_name(r->format));
    exp_header_add(h, 1, "header", "%s", cli_header_name(r->header));
    exp_header_add(h, 1, "delimiter", "%s",
                   r->delimiter == 0 ? "auto" : r->delimiter == '\t' ? "tab"
                   : r->delimiter == ' ' ? "space"
                   : (char[2]){r->delimiter, '\0'});
    exp_header_add(h, 1, "decimal", "%s", cli_decimal_name(r->decimal));
    exp_header_add(h, 1, "label-column", "%s",
                   r->label_column != NULL ? r->label_column : "last");
    exp_header_add(h, 1, "labels-file", "%s",
                   r->labels_file != NULL ? r->labels_file : "-");
    /* "default" and "" (no tokens) differ */
    exp_header_add(h, 1, "na-values", "%s",
                   r->na_values == NULL ? "default" : r->na_values);
    exp_header_add(h, 1, "ignore-columns", "%s",
                   r->ignore_columns != NULL ? r->ignore_columns : "-");
}

void exp_header_training(exp_header *h, const fsnsa_train_options *t)
{
    exp_header_add(h, 0, "method", "%s", fsnsa_method_name(t->method));
    exp_header_add(h, 0, "hidden", "%zu", t->hidden);
    exp_header_add(h, 0, "start-hidden", "%zu", t->start_hidden);
    exp_header_add(h, 0, "features", "%zu", t->features);
    exp_header_add(h, 0, "epochs", "%d", t->epochs);
    exp_header_double(h, "mu", t->mu);
    exp_header_add(h, 0, "batch", "%zu", t->batch);
    exp_header_double(h, "lr", t->lr);
    exp_header_double(h, "weight-decay", t->weight_decay);
    /* only when not the paper's, so the paper's job files read as before */
    if (t->variant != FSNSA_VARIANT_PAPER)
        exp_header_add(h, 0, "variant", "%s", fsnsa_variant_name(t->variant));
}

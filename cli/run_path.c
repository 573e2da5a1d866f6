/* The --path file: see run_path.h. */
#include "run_path.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "messages.h"
#include "output.h"

int cli_path_writer_init(cli_path_writer *w, size_t p, char **names,
                         int validation)
{
    w->p = p;
    w->names = names;
    w->validation = validation;
    w->kept = malloc(p > 0 ? p : 1);
    if (w->kept == NULL)
        return -1;
    memset(w->kept, 1, p);
    return 0;
}

void cli_path_writer_free(cli_path_writer *w)
{
    free(w->kept);
    w->kept = NULL;
}

/* The validation columns come last, so that the columns of a path
 * without a split keep their places. */
void cli_path_write_header(FILE *f, const cli_path_writer *w)
{
    fprintf(f, "epoch\tnodes\tfeatures\tloss\tseconds\tfeature_ids\t"
               "dropped%s\n", w->validation ? "\tval_loss\tval_accuracy" : "");
}

void cli_path_write_kept(FILE *f, int epoch, const char *keep)
{
    fprintf(f, "# kept epoch %d (keep %s)\n", epoch, keep);
}

/* A name as one item of the comma-separated dropped list: control
 * characters as cli_put_name writes them, ',' and '\' escaped too. */
static void put_item(FILE *f, const char *s)
{
    char one[2] = {0, 0};
    for (; *s != 0; s++) {
        if (*s == ',')
            fputs("\\x2c", f);
        else if (*s == '\\')
            fputs("\\\\", f);
        else {
            one[0] = *s;
            cli_put_name(f, one);
        }
    }
}

void cli_path_write_row(FILE *f, cli_path_writer *w,
                        const fsnsa_epoch_info *e, int update)
{
    fprintf(f, "%d\t%zu\t%zu\t%.9g\t%.6f\t", e->epoch, e->hidden,
            e->features, e->loss, e->seconds);
    for (size_t i = 0; i < e->features; i++)
        fprintf(f, "%s%zu", i ? "," : "", e->feature_ids[i]);
    fputc('\t', f);
    /* The kept ids are a subset of the previous epoch's: mark this
     * epoch's, then every column still marked only before is dropped. */
    for (size_t i = 0; i < e->features; i++)
        if (e->feature_ids[i] < w->p && w->kept[e->feature_ids[i]])
            w->kept[e->feature_ids[i]] = 2;
    int first = 1;
    for (size_t j = 0; j < w->p; j++) {
        if (w->kept[j] == 1) {
            fputs(first ? "" : ",", f);
            first = 0;
            if (w->names != NULL)
                put_item(f, w->names[j]);
            else
                fprintf(f, "#%zu", j);
        }
        if (w->kept[j] != 0)
            w->kept[j] = update ? w->kept[j] == 2 : 1;
    }
    if (w->validation)
        fprintf(f, "\t%.9g\t%.9g", e->validation_loss,
                e->validation_accuracy);
    fputc('\n', f);
}

/* The columns plot needs, by header name; -1 = absent. */
enum { C_EPOCH, C_NODES, C_FEATURES, C_LOSS, C_VAL, C_IDS, C_DROPPED, C_N };
static const char *const COLUMN[C_N] = {"epoch", "nodes", "features", "loss",
                                        "val_loss", "feature_ids", "dropped"};

typedef struct {
    const char *cmd, *name;
    size_t line;
    int col[C_N];
    unsigned char *prev; /* old files: the previous epoch's ids */
    size_t prev_n;
    int have_prev;
} reader;

static int bad(const reader *r, size_t column, const char *what)
{
    cli_error(r->cmd, "%s:%zu:%zu: %s", r->name, r->line, column, what);
    return -1;
}

/* Split `s` at tabs in place: up to max fields, their starting columns. */
static size_t split_tabs(char *s, char **field, size_t *start, size_t max)
{
    size_t n = 0;
    char *c = s;
    for (;;) {
        if (n < max) {
            field[n] = c;
            start[n] = (size_t)(c - s) + 1;
        }
        n++;
        char *t = strchr(c, '\t');
        if (t == NULL)
            break;
        *t = 0;
        c = t + 1;
    }
    return n;
}

static int read_header(reader *r, char *line)
{
    char *field[64];
    size_t start[64];
    size_t n = split_tabs(line, field, start, 64);
    for (int c = 0; c < C_N; c++) {
        r->col[c] = -1;
        for (size_t i = 0; i < n && i < 64; i++)
            if (strcmp(field[i], COLUMN[c]) == 0 ||
                (c == C_VAL && strcmp(field[i], "validation_loss") == 0))
                r->col[c] = (int)i;
    }
    for (int c = C_EPOCH; c <= C_LOSS; c++)
        if (r->col[c] < 0) {
            char msg[128];
            snprintf(msg, sizeof msg, "not a selection path (fsnsa train "
                     "--path): no '%s' column in the header", COLUMN[c]);
            return bad(r, 1, msg);
        }
    return 0;
}

static int number(const reader *r, const char *s, size_t column,
                  const char *what, double *v)
{
    char *end;
    *v = strtod(s, &end);
    /* a diverged run's losses may be nan or inf */
    if (end == s || *end != 0 ||
        (!isfinite(*v) && strcmp(what, "loss") && strcmp(what, "val_loss")))
        return bad(r, column, "expected a number");
    return 0;
}

/* Old files name no dropped features: the ids the previous line kept and
 * this one does not, as "#id". */
static char *dropped_from_ids(reader *r, const char *ids)
{
    size_t cap = 16, n = 0;
    unsigned char *now = calloc(r->prev_n > 0 ? r->prev_n : 1, 1);
    char *out = malloc(cap);
    if (now == NULL || out == NULL) {
        free(now);
        free(out);
        return NULL;
    }
    for (const char *c = ids; *c != 0;) {
        char *end;
        unsigned long id = strtoul(c, &end, 10);
        if (end == c)
            break;
        if (id < r->prev_n)
            now[id] = 1;
        c = *end == ',' ? end + 1 : end;
    }
    out[0] = 0;
    for (size_t j = 0; j < r->prev_n && r->have_prev; j++) {
        if (!r->prev[j] || now[j])
            continue;
        char item[32];
        int k = snprintf(item, sizeof item, "%s#%zu", n ? "," : "", j);
        if (n + (size_t)k + 1 > cap) {
            char *o = realloc(out, cap = 2 * (n + (size_t)k + 1));
            if (o == NULL)
                break;
            out = o;
        }
        memcpy(out + n, item, (size_t)k + 1);
        n += (size_t)k;
    }
    free(r->prev);
    r->prev = now;
    r->have_prev = 1;
    return out;
}

/* Grow the id bitmap of old files to the largest id seen. */
static int note_ids(reader *r, const char *ids)
{
    for (const char *c = ids; *c != 0;) {
        char *end;
        unsigned long id = strtoul(c, &end, 10);
        if (end == c)
            return 0;
        if (id >= r->prev_n && !r->have_prev)
            r->prev_n = id + 1;
        c = *end == ',' ? end + 1 : end;
    }
    return 0;
}

static int grow(cli_path *p, size_t cap)
{
    int *e = realloc(p->epoch, cap * sizeof *e);
    if (e != NULL)
        p->epoch = e;
    double **d[] = {&p->nodes, &p->features, &p->loss, &p->val_loss};
    int ok = e != NULL;
    for (size_t i = 0; i < 4 && ok; i++) {
        double *v = realloc(*d[i], cap * sizeof *v);
        ok = v != NULL;
        if (ok)
            *d[i] = v;
    }
    char **s = ok ? realloc(p->dropped, cap * sizeof *s) : NULL;
    if (s != NULL)
        p->dropped = s;
    return s != NULL ? 0 : -1;
}

static int read_row(reader *r, char *line, cli_path *p)
{
    char *field[64];
    size_t start[64];
    size_t n = split_tabs(line, field, start, 64);
    for (int c = 0; c < C_N; c++)
        if (r->col[c] >= 0 && (size_t)r->col[c] >= n)
            return bad(r, strlen(line) + 1, "too few fields for the header");
    double v[C_IDS];
    for (int c = C_EPOCH; c < C_IDS; c++) {
        v[c] = NAN;
        if (r->col[c] >= 0 && number(r, field[r->col[c]], start[r->col[c]],
                                     COLUMN[c], &v[c]) != 0)
            return -1;
    }
    size_t i = p->n;
    p->epoch[i] = (int)v[C_EPOCH];
    p->nodes[i] = v[C_NODES];
    p->features[i] = v[C_FEATURES];
    p->loss[i] = v[C_LOSS];
    p->val_loss[i] = v[C_VAL];
    if (r->col[C_DROPPED] >= 0)
        p->dropped[i] = strdup(field[r->col[C_DROPPED]]);
    else if (r->col[C_IDS] >= 0)
        p->dropped[i] = dropped_from_ids(r, field[r->col[C_IDS]]);
    else
        p->dropped[i] = strdup("");
    if (p->dropped[i] == NULL)
        return bad(r, 1, "out of memory");
    p->n++;
    return 0;
}

/* Old files: a first pass would be needed for the number of columns; the
 * largest id of the first line is enough, since later lines keep a
 * subset. */
static int first_ids(reader *r, const char *line)
{
    if (r->col[C_DROPPED] >= 0 || r->col[C_IDS] < 0)
        return 0;
    char *copy = strdup(line);
    if (copy == NULL)
        return -1;
    char *field[64];
    size_t start[64];
    size_t n = split_tabs(copy, field, start, 64);
    if ((size_t)r->col[C_IDS] < n)
        note_ids(r, field[r->col[C_IDS]]);
    r->prev = calloc(r->prev_n > 0 ? r->prev_n : 1, 1);
    if (r->prev != NULL)
        memset(r->prev, 1, r->prev_n);
    free(copy);
    return r->prev != NULL ? 0 : -1;
}

/* A '#' line: "# kept epoch E" names the kept epoch; any other is a
 * note for the reader. */
static void comment(const char *line, cli_path *p)
{
    int e;
    if (sscanf(line, "# kept epoch %d", &e) == 1 && e >= 0)
        p->kept_epoch = e;
}

int cli_path_read(const char *cmd, FILE *f, const char *name, cli_path *out)
{
    memset(out, 0, sizeof *out);
    reader r = {cmd, name, 0, {0}, NULL, 0, 0};
    char *line = NULL;
    size_t size = 0, cap = 0;
    ssize_t len;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &size, f)) >= 0) {
        r.line++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (r.line == 1) {
            rc = read_header(&r, line);
            continue;
        }
        if (len == 0)
            continue;
        if (line[0] == '#') {
            comment(line, out);
            continue;
        }
        if (out->n == cap && grow(out, cap = 2 * cap + 64) != 0)
            rc = bad(&r, 1, "out of memory");
        else if (out->n == 0 && first_ids(&r, line) != 0)
            rc = bad(&r, 1, "out of memory");
        else
            rc = read_row(&r, line, out);
    }
    free(line);
    free(r.prev);
    if (rc == 0 && ferror(f))
        rc = bad(&r, 1, "read error");
    if (rc == 0 && out->n == 0)
        rc = bad(&r, 1, r.line == 0 ? "empty file, not a selection path"
                                   : "no epochs after the header");
    for (size_t i = 0; rc == 0 && i < out->n; i++)
        out->has_val |= !isnan(out->val_loss[i]);
    if (rc != 0)
        cli_path_free(out);
    return rc;
}

void cli_path_free(cli_path *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->dropped[i]);
    free(p->epoch);
    free(p->nodes);
    free(p->features);
    free(p->loss);
    free(p->val_loss);
    free(p->dropped);
    memset(p, 0, sizeof *p);
}

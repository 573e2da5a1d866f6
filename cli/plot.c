/* Drawing a selection path: see plot.h. gnuplot reads the script on its
 * standard input and writes the picture on its standard output, which is
 * the fsnsa_outfile's temporary file: a failed run leaves nothing. */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "messages.h"
#include "output.h"

/* Named features per picture: the last ones to leave matter most, and
 * hundreds of labels would hide each other. A label has at most
 * LABEL_CHARS characters of names, so that, rotated, it stays inside the
 * selection panel whose y range leaves room for it (put_selection_panel). */
enum { NAMED_MAX = 40, NAMES_PER_EPOCH = 3, LABEL_CHARS = 32 };

static int is_svg(const char *output)
{
    size_t n = strlen(output);
    return n >= 4 && strcmp(output + n - 4, ".svg") == 0;
}

int cli_plot_check_name(const char *cmd, const char *output)
{
    size_t n = strlen(output);
    if (n >= 4 && (strcmp(output + n - 4, ".png") == 0 || is_svg(output)))
        return 0;
    cli_error(cmd, "%s: the picture's name must end in .png or .svg",
              output);
    return -1;
}

/* s inside a gnuplot double-quoted string, noenhanced: \ and " escaped. */
static void put_quoted(FILE *f, const char *s, size_t max)
{
    fputc('"', f);
    for (size_t i = 0; s[i] != 0 && i < max; i++) {
        if (s[i] == '"' || s[i] == '\\')
            fputc('\\', f);
        fputc(s[i], f);
    }
    fputc('"', f);
}

/* The i-th name of a drop list (commas between names) into buf, its
 * \x2c escapes as commas, cut at max characters; the name's length in
 * the list, or 0 past the end. */
static size_t drop_name(const char *dropped, size_t i, char *buf, size_t max)
{
    const char *c = dropped;
    for (; i > 0 && *c != 0; c++)
        i -= *c == ',';
    size_t len = strcspn(c, ","), n = 0;
    for (size_t k = 0; k < len && n < max; k++, n++) {
        int comma = strncmp(c + k, "\\x2c", 4) == 0;
        buf[n] = comma ? ',' : c[k];
        k += comma ? 3 : 0;
    }
    buf[n] = 0;
    return len;
}

/* One epoch's label: up to NAMES_PER_EPOCH names in LABEL_CHARS (the
 * first one cut to fit), then "+N" for the others. */
static void put_label(FILE *f, const char *dropped)
{
    size_t total = 1;
    for (const char *c = dropped; *c != 0; c++)
        total += *c == ',';
    char buf[LABEL_CHARS + 32], name[LABEL_CHARS + 1];
    size_t n = 0, shown = 0;
    while (shown < total && shown < NAMES_PER_EPOCH) {
        drop_name(dropped, shown, name, LABEL_CHARS);
        size_t len = strlen(name), sep = shown > 0 ? 2 : 0;
        if (shown > 0 && n + sep + len > LABEL_CHARS)
            break;
        snprintf(buf + n, sizeof buf - n, "%s%s", sep ? ", " : "", name);
        n += sep + len;
        shown++;
    }
    if (shown < total)
        snprintf(buf + n, sizeof buf - n, " +%zu", total - shown);
    put_quoted(f, buf, sizeof buf);
}

static void put_data(FILE *f, const cli_path *p)
{
    fprintf(f, "$run << EOD\n");
    for (size_t i = 0; i < p->n; i++)
        fprintf(f, "%d %.9g %.9g %.9g %.9g\n", p->epoch[i], p->nodes[i],
                p->features[i], p->loss[i],
                p->has_val ? p->val_loss[i] : 0.0);
    fprintf(f, "EOD\n");
}

/* Labels for the last NAMED_MAX epochs that dropped a feature. */
static size_t put_labels(FILE *f, const cli_path *p)
{
    size_t first = p->n, named = 0;
    while (first > 0 && named < NAMED_MAX)
        if (p->dropped[--first][0] != 0)
            named++;
    size_t tag = 0;
    for (size_t i = first; i < p->n; i++) {
        if (p->dropped[i][0] == 0)
            continue;
        fprintf(f, "set label %zu ", ++tag);
        put_label(f, p->dropped[i]);
        fprintf(f, " at %d, %.9g rotate by 60 font \",8\" noenhanced "
                   "point pt 7 ps 0.4 offset 0.3,0.3\n", p->epoch[i],
                p->features[i]);
    }
    return tag;
}

/* Training and validation loss; the kept epoch (a "# kept epoch" line)
 * as a dotted vertical line with its own legend entry. */
static void put_loss_panel(FILE *f, const cli_path *p)
{
    fprintf(f, "set title \"Loss\"\nset ylabel \"mean loss\"\n");
    int kept = p->has_val && p->kept_epoch > 0;
    if (kept)
        fprintf(f, "set arrow 1 from %d, graph 0 to %d, graph 1 nohead "
                   "dt 3 lw 2 lc rgb \"gray30\"\n", p->kept_epoch,
                p->kept_epoch);
    fprintf(f, "plot $run using 1:4 with lines lw 2 title \"training\"");
    if (p->has_val)
        fprintf(f, ", $run using 1:5 with lines lw 2 dt 2 title "
                   "\"validation\"");
    if (kept)
        fprintf(f, ", keyentry with lines dt 3 lw 2 lc rgb \"gray30\" "
                   "title \"kept epoch %d\"", p->kept_epoch);
    fprintf(f, "\n%s", kept ? "unset arrow 1\n" : "");
}

/* The selection path with the dropped features named. The y range runs
 * to 2.2 times the most features, and the rotated labels (LABEL_CHARS at
 * 60 degrees take about half the panel's height) start at or below the
 * curve: they stay inside the panel instead of running into the one
 * above. No key: the title says what the one line is. */
static void put_selection_panel(FILE *f, const cli_path *p)
{
    double most = 1;
    for (size_t i = 0; i < p->n; i++)
        most = p->features[i] > most ? p->features[i] : most;
    size_t named = put_labels(f, p);
    fprintf(f, "set title \"Selection path: each dropped feature named at "
               "the epoch it left%s\"\nset ylabel \"features kept\"\n"
               "set yrange [0:%.9g]\nunset key\n"
               "plot $run using 1:3 with steps lw 2 title \"features\"\n"
               "unset multiplot\n",
            named >= NAMED_MAX ? " (the last 40 drops)" : "", ceil(2.2 * most));
}

static void put_script(FILE *f, const cli_path *p, const char *title,
                       int svg)
{
    fprintf(f, "set terminal %s size %s font \"sans,10\" noenhanced\n"
               "set encoding utf8\n", svg ? "svg dynamic" : "pngcairo",
            svg ? "900,1100" : "900,1100");
    put_data(f, p);
    fprintf(f, "set multiplot layout 3,1 title ");
    put_quoted(f, title, 200);
    fprintf(f, "\nset key outside right top box\nset grid\n"
               "set lmargin 10\nset rmargin 22\nset xlabel \"epoch\"\n"
               "set xrange [%d:%d]\n", p->epoch[0] < 1 ? p->epoch[0] : 0,
            p->epoch[p->n - 1]);
    put_loss_panel(f, p);
    fprintf(f, "set title \"Network size\"\nset ylabel \"nodes\"\n"
               "set y2label \"features\"\nset ytics nomirror\n"
               "set y2tics\nset yrange [0:*]\nset y2range [0:*]\n"
               "plot $run using 1:2 with steps lw 2 title \"nodes\", "
               "$run using 1:3 axes x1y2 with steps lw 2 dt 2 "
               "title \"features\"\n"
               "unset y2label\nunset y2tics\nset ytics mirror\n");
    put_selection_panel(f, p);
}

static void not_found(const char *cmd)
{
    cli_error(cmd, "gnuplot not found: install it (Debian: apt-get install "
              "gnuplot-nox, or scripts/deps.sh paper)");
}

int cli_plot_available(const char *cmd)
{
    const char *path = getenv("PATH");
    if (path == NULL)
        path = "/usr/bin:/bin";
    char buf[4096];
    for (const char *d = path; *d != 0;) {
        size_t n = strcspn(d, ":");
        /* an empty entry is the current directory, as for execlp */
        if (snprintf(buf, sizeof buf, "%.*s/gnuplot", n > 0 ? (int)n : 1,
                     n > 0 ? d : ".") < (int)sizeof buf &&
            access(buf, X_OK) == 0)
            return 0;
        d += n + (d[n] == ':');
    }
    not_found(cmd);
    return -1;
}

/* Run gnuplot with the script on its stdin and `out` as its stdout;
 * 0 when it exits 0. */
static int run_gnuplot(const char *cmd, const char *script, size_t len,
                       FILE *out)
{
    int in[2];
    if (fflush(out) != 0 || pipe(in) != 0) {
        cli_error(cmd, "cannot start gnuplot: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(in[1]);
        if (dup2(in[0], 0) >= 0 && dup2(fileno(out), 1) >= 0)
            execlp("gnuplot", "gnuplot", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    if (pid < 0) {
        close(in[1]);
        cli_error(cmd, "cannot start gnuplot: %s", strerror(errno));
        return -1;
    }
    /* gnuplot gone early (not installed) must not kill us with SIGPIPE. */
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    for (size_t done = 0; done < len;) {
        ssize_t k = write(in[1], script + done, len - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        done += (size_t)k;
    }
    close(in[1]);
    signal(SIGPIPE, old);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        not_found(cmd);
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        cli_error(cmd, "gnuplot failed (status %d); no picture written",
                  status);
        return -1;
    }
    return 0;
}

int cli_plot(const char *cmd, const cli_path *p, const char *title,
             const char *output)
{
    if (cli_plot_check_name(cmd, output) != 0)
        return -1;
    char *script = NULL;
    size_t len = 0;
    FILE *s = open_memstream(&script, &len);
    if (s == NULL) {
        cli_error(cmd, "out of memory");
        return -1;
    }
    put_script(s, p, title, is_svg(output));
    if (fclose(s) != 0) {
        free(script);
        cli_error(cmd, "out of memory");
        return -1;
    }
    cli_out o;
    int rc = cli_out_open(cmd, output, &o);
    if (rc == 0)
        rc = run_gnuplot(cmd, script, len, o.f);
    free(script);
    if (rc == 0)
        return cli_out_commit(cmd, &o);
    cli_out_abort(&o);
    return -1;
}

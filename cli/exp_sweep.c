/* The command side of a sweep: see exp_sweep.h. */
#include "exp_sweep.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "messages.h"
#include "signals.h"

static void fmt_time(double s, char *buf, size_t size)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, size, "%ld:%02ld", t / 60, t % 60);
}

static void on_progress(void *ctx, size_t done, size_t loaded, size_t total)
{
    exp_progress *pr = ctx;
    double now = fsnsa_monotonic_seconds();
    if (done == loaded)
        pr->sweep_t0 = now; /* a sweep's first call: nothing run yet */
    if (!pr->on || (done < total && now - pr->last < 0.5 && done != loaded))
        return;
    pr->last = now;
    char el[32], left[32] = "?";
    double elapsed = now - pr->t0;
    if (done > loaded && done < total)
        fmt_time((now - pr->sweep_t0) / (double)(done - loaded) *
                     (double)(total - done), left, sizeof left);
    else if (done >= total)
        snprintf(left, sizeof left, "0:00");
    fmt_time(elapsed, el, sizeof el);
    fprintf(stderr, "\r%s: %zu/%zu jobs", pr->cmd, done, total);
    if (loaded > 0)
        fprintf(stderr, " (%zu from file)", loaded);
    fprintf(stderr, "  elapsed %s  left ~%s   ", el, left);
    fflush(stderr);
    pr->printed = 1;
}

int exp_sweep_setup(const char *cmd, const exp_config *cfg,
                    const exp_header *header, const char *legacy_header,
                    fsnsa_sweep_options *so, fsnsa_jobfile **jf,
                    exp_progress *pr)
{
    memset(so, 0, sizeof *so);
    memset(pr, 0, sizeof *pr);
    *jf = NULL;
    /* Jobs are the unit of parallelism: each training runs on one thread
     * (the library's step uses one thread inside a parallel region). */
    so->threads = cfg->threads;
    so->stop = cli_stop_flag();
    cli_install_stop_handler();
    pr->cmd = cmd;
    pr->t0 = fsnsa_monotonic_seconds();
    pr->on = !cfg->quiet && (cfg->progress == 1 ||
                             (cfg->progress == -1 && isatty(STDERR_FILENO)));
    so->progress = on_progress;
    so->progress_ctx = pr;
    if (cfg->results != NULL) {
        if (header->full) {
            cli_error(cmd, "%s: the job file's header is too long (a file "
                      "name of thousands of characters?)", cfg->results);
            return CLI_FAIL;
        }
        fsnsa_job_header h = {header->field, header->n, legacy_header,
                              cfg->adopt_results,
                              "rerun with --adopt-results if it was made "
                              "from exactly this data"};
        fsnsa_error err = {0};
        fsnsa_status st = fsnsa_jobfile_open_fields(cfg->results, &h, jf,
                                                    &err);
        if (st != FSNSA_OK) {
            cli_lib_error(cmd, st, &err);
            return CLI_FAIL;
        }
        if (fsnsa_jobfile_adopted(*jf) && !cfg->quiet)
            cli_error(cmd, "%s: adopted (%zu jobs): the file now records "
                      "this data's fingerprint (job file format 2)",
                      cfg->results, fsnsa_jobfile_count(*jf));
        if (fsnsa_jobfile_repaired(*jf) > 0 && !cfg->quiet)
            cli_error(cmd, "%s: removed a torn last line (%zu bytes) left "
                      "by an interrupted run", cfg->results,
                      fsnsa_jobfile_repaired(*jf));
        so->jobs = *jf;
    }
    return 0;
}

int exp_sweep_finish(const char *cmd, const exp_config *cfg, fsnsa_status st,
                     const fsnsa_error *err, fsnsa_jobfile *jf,
                     exp_progress *pr)
{
    if (pr->printed)
        fputc('\n', stderr);
    if (st == FSNSA_OK)
        return 0;
    if (st == FSNSA_ERR_INTERRUPTED) {
        if (cfg->results != NULL)
            cli_error(cmd, "interrupted; %zu finished jobs are in %s, rerun "
                      "the same command to continue", fsnsa_jobfile_count(jf),
                      cfg->results);
        else
            cli_error(cmd, "interrupted (use --results FILE to keep finished "
                      "jobs)");
        return CLI_FAIL;
    }
    cli_lib_error(cmd, st, err);
    return CLI_FAIL;
}

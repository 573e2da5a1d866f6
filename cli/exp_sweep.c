/* The command side of a sweep: see exp_sweep.h. */
#include "exp_sweep.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "messages.h"
#include "progress.h"
#include "signals.h"

static void on_progress(void *ctx, size_t done, size_t loaded, size_t total)
{
    exp_progress *pr = ctx;
    double now = fsnsa_monotonic_seconds();
    if (done == loaded)
        pr->sweep_t0 = now; /* a sweep's first call: nothing run yet */
    if (!pr->on || (done < total && now - pr->last < 0.5 && done != loaded))
        return;
    pr->last = now;
    char left[32];
    /* Jobs loaded from the results file took no time in this run. */
    cli_fmt_left(now - pr->sweep_t0, done - loaded, total - loaded, left,
                 sizeof left);
    char from[48] = "";
    if (loaded > 0)
        snprintf(from, sizeof from, " (%zu from file)", loaded);
    cli_progress_show(now - pr->t0, left, "%s: %zu/%zu jobs%s", pr->cmd,
                      done, total, from);
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
    so->shard = cfg->shard;
    so->n_shards = cfg->n_shards;
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
    if (st == FSNSA_ERR_INTERRUPTED && cfg->n_shards > 0 &&
        !*cli_stop_flag()) {
        /* a shard that ran all its jobs: a success for a job array */
        if (!cfg->quiet)
            cli_error(cmd, "%s (%zu jobs in %s); merge the shards' files "
                      "(fsnsa merge FILES... -o FILE) and run this command "
                      "on the merged file without --shard for the results%s",
                      err->msg, fsnsa_jobfile_count(jf), cfg->results,
                      strcmp(cmd, "grid") == 0
                          ? " (a grid's shards stop after cross-validation "
                            "until every CV result is in their file: for "
                            "the retrainings run the shards again, each on "
                            "a copy of the merged file, and merge again)"
                          : "");
        return CLI_PROCEED;
    }
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

/* The command side of a sweep: see exp_sweep.h. */
#include "exp_sweep.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "messages.h"
#include "progress.h"
#include "signals.h"
#ifdef FSNSA_MPI
#include <omp.h>

#include "mpi/mpi_cli.h"
#endif

#ifdef FSNSA_MPI
static cli_mpi_ctx mpi_ctx; /* the runner's context, for the process */

/* The fingerprint of this run's compared header fields (FNV-1a): what a
 * worker's results must carry, so that a rank that read other data or
 * options cannot add to the file. */
static uint64_t config_print(const exp_header *h)
{
    uint64_t x = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < h->n; i++) {
        if (h->field[i].note)
            continue;
        const char *parts[] = {h->field[i].name, "=", h->field[i].value,
                               "\t"};
        for (size_t k = 0; k < 4; k++)
            for (const char *c = parts[k]; *c; c++)
                x = (x ^ (unsigned char)*c) * 0x100000001b3ull;
    }
    return x;
}

/* With several ranks: rank 0 opens the job file and hands out the jobs
 * (cli_mpi_runner), the workers train them; all check that they run the
 * same configuration. 0, or CLI_FAIL on every rank. */
static int mpi_setup(const char *cmd, const exp_config *cfg,
                     const exp_header *header, fsnsa_sweep_options *so,
                     exp_progress *pr)
{
    if (cli_mpi_size() <= 1)
        return 0;
    uint64_t config = config_print(header);
    mpi_ctx = (cli_mpi_ctx){config, cfg->threads, NULL};
    uint64_t first = cli_mpi_bcast_u64(config);
    int rc = first != config ? CLI_FAIL : 0;
    if (rc != 0)
        cli_error(cmd, "rank %d: other data or settings than rank 0's "
                  "(fingerprint %016llx, rank 0 %016llx)", cli_mpi_rank(),
                  (unsigned long long)config, (unsigned long long)first);
    so->runner = cli_mpi_runner;
    so->runner_ctx = &mpi_ctx;
    if (cli_mpi_rank() != 0) {
        pr->on = 0;
        /* --threads: the threads of the worker's training step */
        omp_set_num_threads(cfg->threads);
    }
    return cli_mpi_agree(rc);
}
#endif

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

static int open_results(const char *cmd, const exp_config *cfg,
                        const exp_header *header, const char *legacy_header,
                        fsnsa_sweep_options *so, fsnsa_jobfile **jf);

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
#ifdef FSNSA_MPI
    if (mpi_setup(cmd, cfg, header, so, pr) != 0)
        return CLI_FAIL;
    int rc = cli_mpi_rank() == 0 ? open_results(cmd, cfg, header,
                                                legacy_header, so, jf)
                                 : 0;
    if (rc == 0 && *jf != NULL && cli_mpi_size() > 1) {
        /* one writer for many ranks: lines synced in groups */
        mpi_ctx.jobs = *jf;
        fsnsa_jobfile_sync_every(*jf, CLI_MPI_SYNC_EVERY);
    }
    return cli_mpi_agree(rc);
#else
    return open_results(cmd, cfg, header, legacy_header, so, jf);
#endif
}

/* The --results file, opened and locked (exp_sweep_setup). */
static int open_results(const char *cmd, const exp_config *cfg,
                        const exp_header *header, const char *legacy_header,
                        fsnsa_sweep_options *so, fsnsa_jobfile **jf)
{
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
#ifdef FSNSA_MPI
    /* a worker prints nothing: the manager reports for all */
    if (cli_mpi_rank() != 0)
        return st == FSNSA_OK ? CLI_PROCEED : CLI_FAIL;
#endif
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

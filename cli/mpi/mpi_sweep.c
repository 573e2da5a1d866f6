/* The MPI dispatcher of fsnsa-mpi: see mpi_cli.h.
 *
 * Rank 0 runs the manager on its main thread, the only one that calls
 * MPI, and trains jobs on a thread of its own (mpi_local.h) fed from the
 * same queue.
 *
 * Messages (MPI_COMM_WORLD):
 *   manager -> worker  TAG_JOB    uint64 job number
 *   manager -> worker  TAG_STOP   nothing: the sweep is over
 *   worker -> manager  TAG_RESULT uint64 job, uint64 fingerprint, int32
 *                      status, then the job's key and its value text (or
 *                      the error message), each NUL-terminated
 * After TAG_STOP the manager broadcasts what every rank's sweep returns:
 * the known flags, the values and the outcome, so that the next step (the
 * grid's retrainings, the tables) is the same on every rank. */
#include "mpi_cli.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../messages.h"
#include "mpi_local.h"

enum { TAG_JOB = 1, TAG_STOP, TAG_RESULT };

/* The process's MPI state: set once by cli_mpi_init. */
static struct {
    int rank, size;
    int agreed;   /* every rank passed the last collective step */
    int funneled; /* threads other than main may exist (rank 0's worker) */
} mpi;

int cli_mpi_init(int *argc, char ***argv)
{
    int provided;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) !=
        MPI_SUCCESS)
        return CLI_FAIL;
    MPI_Comm_rank(MPI_COMM_WORLD, &mpi.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &mpi.size);
    mpi.agreed = 1;
    mpi.funneled = provided >= MPI_THREAD_FUNNELED;
    return 0;
}

int cli_mpi_finish(int rc)
{
    /* a rank that failed alone (before a step that all ranks share)
     * would leave the others waiting: end them all, as MPI does */
    if (rc != 0 && !mpi.agreed && mpi.size > 1)
        MPI_Abort(MPI_COMM_WORLD, rc);
    MPI_Finalize();
    return rc;
}

int cli_mpi_rank(void)
{
    return mpi.rank;
}

int cli_mpi_size(void)
{
    return mpi.size;
}

int cli_mpi_agree(int rc)
{
    int mine = rc != 0, any = 0;
    mpi.agreed = 0;
    if (MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD) !=
        MPI_SUCCESS)
        return CLI_FAIL;
    mpi.agreed = 1;
    return any ? (rc != 0 ? rc : CLI_FAIL) : 0;
}

uint64_t cli_mpi_bcast_u64(uint64_t v)
{
    MPI_Bcast(&v, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    return v;
}

/* ---------------------------------------------------------------- */
/* Manager                                                           */
/* ---------------------------------------------------------------- */

typedef struct {
    size_t j;
    double cost;
} ranked;

static int by_cost(const void *a_, const void *b_)
{
    const ranked *a = a_, *b = b_;
    if (a->cost != b->cost)
        return a->cost > b->cost ? -1 : 1;
    return (a->j > b->j) - (a->j < b->j);
}

/* Job numbers in the order they are handed out: costliest first (a long
 * job started last would end last), ties in job order. */
static size_t *dispatch_order(const fsnsa_sweep_exec *x)
{
    size_t n = fsnsa_sweep_exec_jobs(x);
    ranked *r = malloc((n + 1) * sizeof *r);
    size_t *order = malloc((n + 1) * sizeof *order);
    if (r == NULL || order == NULL) {
        free(r);
        free(order);
        return NULL;
    }
    for (size_t j = 0; j < n; j++)
        r[j] = (ranked){j, fsnsa_sweep_exec_cost(x, j)};
    qsort(r, n, sizeof *r, by_cost);
    for (size_t j = 0; j < n; j++)
        order[j] = r[j].j;
    free(r);
    return order;
}

/* One result from any worker: checked, then kept (or its error). */
static int receive_result(fsnsa_sweep_exec *x, uint64_t config)
{
    MPI_Status stt;
    int len;
    MPI_Probe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &stt);
    MPI_Get_count(&stt, MPI_BYTE, &len);
    char *msg = malloc((size_t)len + 2);
    fsnsa_error e = {0};
    if (msg == NULL) {
        MPI_Recv(NULL, 0, MPI_BYTE, stt.MPI_SOURCE, TAG_RESULT,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        fsnsa_sweep_exec_fail(x, FSNSA_ERR_NOMEM, &e);
        return stt.MPI_SOURCE;
    }
    MPI_Recv(msg, len, MPI_BYTE, stt.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    msg[len] = msg[len + 1] = '\0';
    uint64_t j, fp;
    int32_t status;
    const size_t head = 2 * sizeof j + sizeof status;
    memcpy(&j, msg, sizeof j);
    memcpy(&fp, msg + sizeof j, sizeof fp);
    memcpy(&status, msg + 2 * sizeof j, sizeof status);
    const char *key = msg + head, *text = key + strlen(key) + 1;
    fsnsa_status st = FSNSA_OK;
    if ((size_t)len < head || fp != config) {
        st = FSNSA_ERR_FORMAT;
        snprintf(e.msg, sizeof e.msg, "rank %d sent a result of other data "
                 "or settings (fingerprint %016llx, here %016llx)",
                 stt.MPI_SOURCE, (unsigned long long)fp,
                 (unsigned long long)config);
    } else if (status != FSNSA_OK) {
        st = (fsnsa_status)status;
        snprintf(e.msg, sizeof e.msg, "%s", text);
    } else {
        st = fsnsa_sweep_exec_keep(x, (size_t)j, key, text, &e);
    }
    if (st != FSNSA_OK) {
        e.code = st;
        fsnsa_sweep_exec_fail(x, st, &e);
    }
    free(msg);
    return stt.MPI_SOURCE;
}

/* Pauses between polls: none at first, then doubling up to 1 ms, so that
 * a quick result is taken at once and a manager waiting on long jobs
 * takes no core from the trainers (Open MPI's blocking MPI_Probe spins). */
static void poll_pause(long *ns)
{
    if (*ns > 0) {
        struct timespec t = {0, *ns};
        nanosleep(&t, NULL);
    }
    *ns = *ns == 0 ? 1000 : *ns < 1000000 ? 2 * *ns : 1000000;
}

/* The job file's deferred lines synced: nothing else is to be done. */
static void sync_jobs(fsnsa_sweep_exec *x, const cli_mpi_ctx *c)
{
    fsnsa_error e = {0};
    fsnsa_status st = c->jobs != NULL ? fsnsa_jobfile_sync(c->jobs, &e)
                                      : FSNSA_OK;
    if (st != FSNSA_OK) {
        e.code = st;
        fsnsa_sweep_exec_fail(x, st, &e);
    }
}

/* Wait for a job to end, on a worker rank or on rank 0's own thread
 * (local_busy): its result kept; the rank that is idle again (0: the
 * thread). */
static int wait_result(fsnsa_sweep_exec *x, const cli_mpi_ctx *c,
                       mpi_local *local, int local_busy)
{
    long pause = 0;
    for (;;) {
        if (local_busy && mpi_local_collect(local, x))
            return 0;
        int flag = 0;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag,
                   MPI_STATUS_IGNORE);
        if (flag)
            return receive_result(x, c->config);
        /* idle for 0.5 ms: a lull, not a gap between quick results */
        if (pause == 512000)
            sync_jobs(x, c);
        poll_pause(&pause);
    }
}

/* Hand the startable jobs out to idle workers (the ranks, then rank 0's
 * own thread) until none is left and every one is back, then stop them. */
static fsnsa_status manage(fsnsa_sweep_exec *x, const cli_mpi_ctx *c,
                           fsnsa_error *err)
{
    size_t n = fsnsa_sweep_exec_jobs(x), pos = 0, busy = 0;
    size_t *order = dispatch_order(x);
    int *idle = malloc((size_t)mpi.size * sizeof *idle);
    int n_idle = 0, local_busy = 0;
    fsnsa_status st = FSNSA_OK;
    if (order == NULL || idle == NULL) {
        snprintf(err->msg, sizeof err->msg, "out of memory: the jobs");
        st = err->code = FSNSA_ERR_NOMEM;
    }
    /* without a thread of its own (none allowed or none started) rank 0
     * only manages */
    mpi_local *local = st == FSNSA_OK && mpi.funneled
                           ? mpi_local_start(x, c->threads)
                           : NULL;
    for (int r = mpi.size - 1; r >= 1 && st == FSNSA_OK; r--)
        idle[n_idle++] = r;
    while (st == FSNSA_OK) {
        /* a job not startable now never is again: it is known, skipped
         * (hit time: enough hits before it) or the sweep stops */
        while ((n_idle > 0 || (local != NULL && !local_busy)) && pos < n) {
            size_t j = order[pos++];
            if (!fsnsa_sweep_exec_startable(x, j))
                continue;
            uint64_t job = j;
            if (n_idle > 0) {
                MPI_Send(&job, 1, MPI_UINT64_T, idle[--n_idle], TAG_JOB,
                         MPI_COMM_WORLD);
            } else {
                mpi_local_give(local, j);
                local_busy = 1;
            }
            busy++;
        }
        if (busy == 0)
            break;
        int r = wait_result(x, c, local, local_busy);
        if (r == 0)
            local_busy = 0;
        else
            idle[n_idle++] = r;
        busy--;
    }
    for (int r = 1; r < mpi.size; r++)
        MPI_Send(NULL, 0, MPI_BYTE, r, TAG_STOP, MPI_COMM_WORLD);
    mpi_local_stop(local, x);
    sync_jobs(x, c);
    free(order);
    free(idle);
    return st;
}

/* ---------------------------------------------------------------- */
/* Worker                                                            */
/* ---------------------------------------------------------------- */

/* Run job j and send its result (or error) to the manager. */
static void work_one(fsnsa_sweep_exec *x, uint64_t j, uint64_t config)
{
    char key[512] = "";
    char *line = NULL;
    fsnsa_error e = {0};
    fsnsa_status st = fsnsa_sweep_exec_key(x, (size_t)j, key, sizeof key)
                              == 0
                          ? fsnsa_sweep_exec_run(x, (size_t)j, &line, &e)
                          : FSNSA_ERR_ARG;
    const char *text = st == FSNSA_OK ? line : e.msg;
    int32_t status = (int32_t)st;
    size_t head = 2 * sizeof j + sizeof status;
    size_t kl = strlen(key) + 1, tl = strlen(text) + 1;
    char *msg = malloc(head + kl + tl);
    if (msg == NULL)
        MPI_Abort(MPI_COMM_WORLD, CLI_FAIL); /* the manager would wait */
    memcpy(msg, &j, sizeof j);
    memcpy(msg + sizeof j, &config, sizeof config);
    memcpy(msg + 2 * sizeof j, &status, sizeof status);
    memcpy(msg + head, key, kl);
    memcpy(msg + head + kl, text, tl);
    MPI_Send(msg, (int)(head + kl + tl), MPI_BYTE, 0, TAG_RESULT,
             MPI_COMM_WORLD);
    free(msg);
    free(line);
}

static void work(fsnsa_sweep_exec *x, uint64_t config)
{
    for (;;) {
        MPI_Status stt;
        MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &stt);
        if (stt.MPI_TAG == TAG_STOP) {
            MPI_Recv(NULL, 0, MPI_BYTE, 0, TAG_STOP, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            return;
        }
        uint64_t j;
        MPI_Recv(&j, 1, MPI_UINT64_T, 0, TAG_JOB, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        work_one(x, j, config);
    }
}

/* The manager's outcome to every rank. */
static void share_outcome(fsnsa_sweep_exec *x)
{
    unsigned char *done;
    double *values;
    size_t nv;
    fsnsa_status *first;
    fsnsa_error *first_err;
    fsnsa_sweep_exec_state(x, &done, &values, &nv, &first, &first_err);
    size_t n = fsnsa_sweep_exec_jobs(x);
    int code = (int)*first;
    MPI_Bcast(done, (int)n, MPI_UNSIGNED_CHAR, 0, MPI_COMM_WORLD);
    MPI_Bcast(values, (int)(n * nv), MPI_DOUBLE, 0, MPI_COMM_WORLD);
    MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Bcast(first_err, (int)sizeof *first_err, MPI_BYTE, 0,
              MPI_COMM_WORLD);
    *first = (fsnsa_status)code;
}

fsnsa_status cli_mpi_runner(void *ctx, fsnsa_sweep_exec *x, fsnsa_error *err)
{
    const cli_mpi_ctx *c = ctx;
    fsnsa_status st = FSNSA_OK;
    mpi.agreed = 0;
    if (mpi.rank == 0)
        st = manage(x, c, err);
    else
        work(x, c->config);
    if (st != FSNSA_OK)
        fsnsa_sweep_exec_fail(x, st, err);
    share_outcome(x);
    mpi.agreed = 1;
    return FSNSA_OK;
}

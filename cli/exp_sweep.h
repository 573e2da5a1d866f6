/* Running an experiment's sweep from the command: threads, Ctrl-C, the
 * progress line, the results file, and how the sweep ended. */
#ifndef FSNSA_CLI_EXP_SWEEP_H
#define FSNSA_CLI_EXP_SWEEP_H

#include "exp_header.h"
#include "exp_options.h"
#include "fsnsa_exp.h"

/* The progress line's state. */
typedef struct {
    const char *cmd;
    double t0, last;
    double sweep_t0;   /* start of the current sweep (grid runs two) */
    int on;
    size_t printed;
} exp_progress;

/* Sweep options from cfg: threads, stop flag, progress line, results file
 * (opened with `header`; a format-1 file with `legacy_header` is adopted
 * with --adopt-results). Returns 0 or an exit code. */
int exp_sweep_setup(const char *cmd, const exp_config *cfg,
                    const exp_header *header, const char *legacy_header,
                    fsnsa_sweep_options *so, fsnsa_jobfile **jf,
                    exp_progress *pr);
/* After the sweep: end the progress line, report an interruption. Returns
 * 0 when st is OK, CLI_PROCEED for a shard that ran all its jobs (exit 0
 * with nothing to print: the other shards' results are missing), else an
 * exit code after printing. */
int exp_sweep_finish(const char *cmd, const exp_config *cfg, fsnsa_status st,
                     const fsnsa_error *err, fsnsa_jobfile *jf,
                     exp_progress *pr);

#endif

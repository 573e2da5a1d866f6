/* Ctrl-C and SIGTERM stop a long run cleanly instead of killing it. */
#ifndef FSNSA_CLI_SIGNALS_H
#define FSNSA_CLI_SIGNALS_H

/* SIGINT/SIGTERM set *cli_stop_flag() instead of killing the process, so
 * training can stop at the next step and leave no half-written output; a
 * second signal kills at once. */
void cli_install_stop_handler(void);
/* The flag the library polls (fsnsa_train_options.stop, sweeps' stop). */
const volatile int *cli_stop_flag(void);

#endif

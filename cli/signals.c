/* The stop flag: see signals.h. */
#include "signals.h"

#include <signal.h>
#include <string.h>

/* The library polls a `const volatile int *`; on the platforms we build
 * for sig_atomic_t is int, so a handler may store to it. */
_Static_assert(sizeof(sig_atomic_t) == sizeof(int),
               "sig_atomic_t must be int for the stop flag");
static volatile int stop_flag;

static void on_signal(int sig)
{
    if (stop_flag) {
        /* A second signal: the user wants out now. */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    stop_flag = sig;
}

void cli_install_stop_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

const volatile int *cli_stop_flag(void)
{
    return &stop_flag;
}

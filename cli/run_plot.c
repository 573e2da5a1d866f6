/* The rows of train --plot: see run_plot.h. Kept in memory rather than
 * in a temporary file, so that nothing is left behind by a crash and no
 * directory but the picture's is written. */
#include "run_plot.h"

#include <stdlib.h>
#include <string.h>

#include "messages.h"
#include "plot.h"
#include "run_path.h"

int cli_run_plot_open(const char *cmd, cli_run_plot *rp,
                      const cli_path_writer *w)
{
    memset(rp, 0, sizeof *rp);
    rp->f = open_memstream(&rp->buf, &rp->len);
    if (rp->f == NULL) {
        cli_error(cmd, "out of memory");
        return -1;
    }
    cli_path_write_header(rp->f, w);
    return 0;
}

int cli_run_plot_draw(const char *cmd, cli_run_plot *rp, const char *title,
                      const char *output)
{
    int bad = ferror(rp->f);
    bad |= fclose(rp->f) != 0;
    rp->f = NULL;
    FILE *in = bad ? NULL : fmemopen(rp->buf, rp->len, "r");
    if (in == NULL) {
        cli_error(cmd, "out of memory");
        return -1;
    }
    cli_path p;
    int rc = cli_path_read(cmd, in, "the run's path", &p);
    fclose(in);
    if (rc != 0)
        return -1;
    rc = cli_plot(cmd, &p, title, output);
    cli_path_free(&p);
    return rc;
}

void cli_run_plot_free(cli_run_plot *rp)
{
    if (rp->f != NULL)
        fclose(rp->f);
    free(rp->buf);
    memset(rp, 0, sizeof *rp);
}

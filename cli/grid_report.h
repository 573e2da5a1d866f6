/* What fsnsa grid prints at the end: every setting's CV figures, the
 * final retrainings, and Table 2's row as markdown; a classification's
 * accuracies, or a regression's R^2, RMSE and MAE (docs/cli.md, "grid"). */
#ifndef FSNSA_CLI_GRID_REPORT_H
#define FSNSA_CLI_GRID_REPORT_H

#include "fsnsa_exp.h"

/* What the report says of the run besides the result. */
typedef struct {
    const char *name; /* the data set's name in the table */
    const char *desc; /* the data and scaling, as exp_describe gives them */
    int peek;         /* --peek-test */
    int epochs;
    size_t start_hidden;
} grid_report;

/* Print res (o: the options it ran with) to stdout: 0, or CLI_FAIL when
 * stdout cannot be written. */
int grid_report_print(const char *cmd, const grid_report *rep,
                      const fsnsa_grid_options *o,
                      const fsnsa_grid_result *res);

#endif

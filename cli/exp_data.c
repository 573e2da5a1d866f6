/* The experiment commands' data: see exp_data.h. */
#include "exp_data.h"

#include <stdio.h>
#include <string.h>

#include "label_task.h"
#include "messages.h"
#include "output.h"
#include "prepare.h"

/* The fingerprint and size of d as read, before anything changes it. */
static void identify(const fsnsa_dataset *d, exp_data_id *id, int test)
{
    if (test) {
        fsnsa_dataset_fingerprint(d, id->test_sha);
        id->test_rows = d->n;
        return;
    }
    fsnsa_dataset_fingerprint(d, id->data_sha);
    id->rows = d->n;
    id->columns = d->p;
    id->classes = d->has_labels ? d->schema.n_classes : 0;
}

/* The training pool, and the test pool when test is asked for and
 * --test-n is not 0. */
static int generate_xor(const char *cmd, const exp_config *cfg,
                        fsnsa_dataset **train, fsnsa_dataset **test,
                        exp_data_id *id)
{
    size_t p = cfg->p_given ? cfg->p : cfg->xor_k;
    if (p < cfg->xor_k) {
        cli_error(cmd, "--p %zu is less than --xor %zu", p, cfg->xor_k);
        return CLI_USAGE;
    }
    fsnsa_error err = {0};
    fsnsa_status st = fsnsa_xor_generate(cfg->n, p, cfg->xor_k,
                                         cfg->data_seed, 0, train, &err);
    if (st == FSNSA_OK && test != NULL && cfg->test_n > 0)
        st = fsnsa_xor_generate(cfg->test_n, p, cfg->xor_k, cfg->data_seed,
                                1, test, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        fsnsa_dataset_free(*train);
        *train = NULL;
        return CLI_FAIL;
    }
    identify(*train, id, 0);
    if (test != NULL && *test != NULL)
        identify(*test, id, 1);
    return 0;
}

/* Without --task, a label column that looks numeric stops the run, as
 * train's does: a continuous target must not silently become hundreds of
 * classes. */
static int refuse_numeric_label(const char *cmd, const exp_config *cfg,
                                const fsnsa_dataset *d)
{
    if (cfg->task_given)
        return 0;
    char hint[192];
    snprintf(hint, sizeof hint, "give --task regression to run fsnsa %s on "
             "the number, or --task classification to train %zu classes",
             cmd, d->schema.n_classes);
    return cli_refuse_numeric_label(cmd, cfg->data, d, hint);
}

/* DATA, and with test the --test file or a --test-fraction split. */
static int read_file(const char *cmd, const exp_config *cfg,
                     fsnsa_dataset **train, fsnsa_dataset **test,
                     exp_data_id *id)
{
    fsnsa_read_options ro = cfg->read;
    cli_data_warnings(cmd, &ro, cfg->quiet);
    fsnsa_error err = {0};
    fsnsa_dataset *all = NULL;
    fsnsa_status st = fsnsa_dataset_read(cfg->data, &ro, &all, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        char what[64];
        snprintf(what, sizeof what, "run fsnsa %s on the number", cmd);
        cli_continuous_target_hint(cmd, cfg->task_given, &err, what);
        return CLI_FAIL;
    }
    if (!all->has_labels) {
        cli_error(cmd, "%s: no label column", cfg->data);
        fsnsa_dataset_free(all);
        return CLI_FAIL;
    }
    if (refuse_numeric_label(cmd, cfg, all) != 0) {
        fsnsa_dataset_free(all);
        return CLI_FAIL;
    }
    identify(all, id, 0);
    if (test != NULL && cfg->test_fraction > 0) {
        int rc = cli_split(cmd, all, cfg->test_fraction, cfg->split_seed,
                           train, test);
        fsnsa_dataset_free(all);
        return rc == 0 ? 0 : CLI_FAIL;
    }
    *train = all;
    if (test == NULL || cfg->test == NULL)
        return 0;
    ro.schema = &all->schema;
    st = fsnsa_dataset_read(cfg->test, &ro, test, &err);
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        fsnsa_dataset_free(all);
        *train = NULL;
        return CLI_FAIL;
    }
    identify(*test, id, 1);
    return 0;
}

int exp_read(const char *cmd, const exp_config *cfg, fsnsa_dataset **train,
             fsnsa_dataset **test, exp_data_id *id)
{
    *train = NULL;
    if (test != NULL)
        *test = NULL;
    memset(id, 0, sizeof *id);
    /* The results file is checked before the data are read or made. */
    if (cli_output_check(cmd, cfg->results, FSNSA_OUTPUT_APPEND) != 0)
        return CLI_FAIL;
    return cfg->xor_k > 0 ? generate_xor(cmd, cfg, train, test, id)
                          : read_file(cmd, cfg, train, test, id);
}

int exp_scale(const char *cmd, const exp_config *cfg, fsnsa_scale kind,
              fsnsa_dataset *train, fsnsa_dataset *test)
{
    fsnsa_error err = {0};
    fsnsa_scaler sc = {0};
    fsnsa_status st = fsnsa_scaler_fit(train, kind, &sc, &err);
    int rc = 0;
    if (st != FSNSA_OK) {
        cli_lib_error(cmd, st, &err);
        rc = CLI_FAIL;
    } else if (cli_transform(cmd, &sc, cfg->read.missing, train) != 0 ||
               (test != NULL &&
                cli_transform(cmd, &sc, cfg->read.missing, test) != 0)) {
        rc = CLI_FAIL;
    }
    fsnsa_scaler_clear(&sc);
    return rc;
}

int exp_load(const char *cmd, const exp_config *cfg, fsnsa_dataset **train,
             fsnsa_dataset **test, exp_data_id *id)
{
    int rc = exp_read(cmd, cfg, train, test, id);
    if (rc == 0)
        rc = exp_scale(cmd, cfg, exp_scale_kind(cfg), *train, *test);
    if (rc != 0) {
        fsnsa_dataset_free(*train);
        fsnsa_dataset_free(*test);
        *train = *test = NULL;
    }
    return rc;
}

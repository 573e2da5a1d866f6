/* The grid imputes missing values inside every part it trains on, from
 * that part's rows only: the rows a part is scored on (a fold's
 * validation rows, the test rows) never inform the fill values. */
#include "testutil.h"

#include <math.h>

#include "exp/grid.h"

static void test_fill_from_training_part(void **state)
{
    (void)state;
    /* column 0: 1, 3, NaN on the training side; 100, NaN scored */
    const float x[] = {1, 0, 3, 1, NAN, 0, 100, 1, NAN, 0};
    const int32_t y[] = {0, 1, 0, 1, 0};
    fsnsa_dataset *all;
    assert_int_equal(fsnsa_dataset_from_arrays(5, 2, x, y, 2, &all, NULL),
                     FSNSA_OK);
    const size_t ia[] = {0, 1, 2}, ib[] = {3, 4};
    fsnsa_grid_options o;
    fsnsa_grid_options_default(&o);
    assert_int_equal(o.missing, FSNSA_MISSING_REFUSE);
    o.scale = FSNSA_SCALE_NONE;
    o.missing = FSNSA_MISSING_MEAN;
    fsnsa_dataset *a, *b;
    fsnsa_error err;
    fsnsa__grid_target t;
    assert_int_equal(fsnsa__grid_scaled_pair(&o, all, ia, 3, all, ib, 2, &a,
                                             &b, &t, &err),
                     FSNSA_OK);
    assert_true(t.mean == 0.0 && t.sd == 1.0); /* no target to scale */
    assert_true(a->x[4] == 2.0f); /* the mean of 1 and 3 */
    assert_true(b->x[2] == 2.0f); /* not (1 + 3 + 100) / 3 */
    assert_true(b->x[0] == 100.0f);
    fsnsa_dataset_free(a);
    fsnsa_dataset_free(b);
    o.missing = FSNSA_MISSING_ZERO;
    assert_int_equal(fsnsa__grid_scaled_pair(&o, all, ia, 3, all, ib, 2, &a,
                                             &b, &t, &err),
                     FSNSA_OK);
    assert_true(b->x[2] == 0.0f);
    fsnsa_dataset_free(a);
    fsnsa_dataset_free(b);
    fsnsa_dataset_free(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fill_from_training_part),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

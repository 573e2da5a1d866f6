"""scikit-learn's own estimator checks over FSNSAClassifier (small
epochs). Each expected failure says why it does not apply."""
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

import fsnsa

# check name -> why it is expected to fail
_HALF = ("fsa-nsa keeps half of the columns by default: 1 of the check's 2 "
         "blob coordinates, which cannot separate its 3 blobs to 83% "
         "accuracy; with n_features=2 the same data scores 0.94 "
         "(test_classifier.py::test_blobs_with_both_columns)")
XFAIL = {"check_classifiers_train": _HALF}


def _estimators():
    # keep_going: on the checks' tiny random tables a short training may
    # end a little above the class frequencies' loss, which the library
    # refuses by default (RuntimeError) and the checks do not expect.
    return [fsnsa.FSNSAClassifier(epochs=30, start_hidden=32, hidden=8,
                                  learning_rate=0.01, keep_going=True)]


@parametrize_with_checks(_estimators())
def test_sklearn_check(estimator, check, request):
    name = getattr(check, "func", check).__name__
    if name in XFAIL:
        request.applymarker(pytest.mark.xfail(reason=XFAIL[name]))
    check(estimator)

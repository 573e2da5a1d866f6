"""FSNSARegressor: fsnsa's training with task regression (one linear
output on the mean squared error) as a scikit-learn regressor and feature
selector."""
import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.validation import check_is_fitted, column_or_1d

from . import _lib
from ._base import FSNSAEstimator
from ._model import Dataset

__all__ = ["FSNSARegressor"]

REGRESSION = _lib.parse("task", "regression", "task")


class FSNSARegressor(RegressorMixin, FSNSAEstimator):
    """A one-hidden-layer ReLU network with one linear output trained on
    the mean squared error with node and/or feature selection with
    annealing (`fsnsa train --task regression`). The library standardizes
    y on the rows fit is given and predict answers in y's units; score is
    R^2 (RegressorMixin). Every keyword mirrors an option of `fsnsa train`
    with the same default (DEFAULTS); loss_ is the final training MSE of
    the standardized target."""

    _task = REGRESSION

    def fit(self, X, y):
        """Train on X (n x p numbers) and the numeric targets y (n); Ctrl-C
        stops it within a step and leaves the estimator unfitted."""
        options, X, y = self._start_fit(X, y)
        y = column_or_1d(y, warn=True)
        if y.dtype.kind not in "biuf":
            raise ValueError(f"y holds {y.dtype} values; FSNSARegressor "
                             "needs numbers (FSNSAClassifier takes labels)")
        with np.errstate(over="ignore"):
            t = np.ascontiguousarray(y, dtype=np.float32)
        bad = np.flatnonzero(~np.isfinite(t))
        if len(bad):
            raise ValueError(f"y has {float(y[bad[0]])!r} at row {bad[0]}: "
                             "the target must be finite in float32")
        data = Dataset(X)
        data.set_target(t)
        names = getattr(self, "feature_names_in_", None)
        data.set_names(names if names is not None else
                       [f"x{j}" for j in range(X.shape[1])], [])
        self._fit_data(data, options)
        return self

    def predict(self, X):
        """The predicted targets (float64), in y's units."""
        check_is_fitted(self, "model_")
        return self.model_.predict_values(self._check_X(X, False)) \
            .astype(np.float64)

    def _more_tags(self):
        return self._tags()

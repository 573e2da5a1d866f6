"""FSNSAClassifier: fsnsa's training (fsnsa_model_fit) as a scikit-learn
classifier and feature selector."""
import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from ._base import DEFAULTS, FSNSAEstimator, estimator_kwargs, restore
from ._model import Dataset, Model

__all__ = ["DEFAULTS", "FSNSAClassifier", "load"]


class FSNSAClassifier(ClassifierMixin, FSNSAEstimator):
    """A one-hidden-layer ReLU network trained with node and/or feature
    selection with annealing (`fsnsa train`), a softmax output on the
    cross-entropy. Every keyword mirrors an option of `fsnsa train` with
    the same default (DEFAULTS)."""

    def fit(self, X, y):
        """Train on X (n x p numbers) and labels y (strings or
        integers); Ctrl-C stops it within a step and leaves the estimator
        unfitted. With n_features="auto" k is first chosen by stratified
        cross-validation on these rows (`fsnsa train --features auto`):
        selection_curve_ and n_features_selected_ say how; with
        hidden="auto" then h (`--hidden auto`): hidden_selection_curve_
        and n_hidden_selected_."""
        options, X, y = self._start_fit(X, y)
        check_classification_targets(y)
        classes, yi = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError("FSNSAClassifier needs samples of at least 2 "
                             f"classes in the data; got {len(classes)} class")
        data = Dataset(X, yi.astype(np.int32), len(classes))
        names = getattr(self, "feature_names_in_", None)
        data.set_names(names if names is not None else
                       [f"x{j}" for j in range(X.shape[1])],
                       [str(c) for c in classes])
        auto_k, auto_h = self._auto_k(), self._auto_h()
        if auto_k:
            self._choose_k(data, options)
        if auto_h:
            self._choose_h(data, options)
        self._fit_data(data, options)
        if auto_k or auto_h:  # the saved file carries the curves too
            self.model_.set_selection(
                self.selection_curve_ if auto_k else None,
                self.hidden_selection_curve_ if auto_h else None)
        self.classes_ = classes
        return self

    # -- what the fit measured -----------------------------------------
    def _recall(self, i):
        check_is_fitted(self, "model_")
        rec = self.model_.recall()
        return None if rec is None else rec[i]

    @property
    def recall_(self):
        """Per class, in classes_ order, the share of its rows that the
        fitted network predicts as it (NaN for a class without rows), on
        the rows recall_rows_ names; None for a model file before format
        1.4. As `fsnsa inspect` shows it."""
        return self._recall(0)

    @property
    def balanced_accuracy_(self):
        """The mean of recall_ over the classes with rows (scikit-learn's
        balanced_accuracy_score), on the rows recall_rows_ names; None for
        a model file before format 1.4."""
        return self._recall(1)

    @property
    def recall_rows_(self):
        """Where recall_ and balanced_accuracy_ were measured at the end of
        the fit: "validation" (the rows a validation split held out) or
        "training" (every training row, when none were held out)."""
        return self._recall(2)

    # -- prediction ----------------------------------------------------
    def predict_proba(self, X):
        check_is_fitted(self, "model_")
        return self.model_.predict_proba(self._check_X(X, False)) \
            .astype(np.float64)

    def predict_log_proba(self, X):
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def decision_function(self, X):
        """Binary: log p1 - log p0 (the logit); more classes: log p."""
        lp = self.predict_log_proba(X)
        return lp[:, 1] - lp[:, 0] if lp.shape[1] == 2 else lp

    def predict(self, X):
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def _more_tags(self):
        # preserves_dtype empty: predict_proba is float64 whatever X is
        return dict(self._tags(), preserves_dtype=[])


def _classes(names):
    classes = np.array(names)
    try:
        as_int = np.array([int(c) for c in names])
        if [str(c) for c in as_int] == names:
            classes = as_int
    except ValueError:
        pass
    return classes


def load(path):
    """The estimator of a model file written by `fsnsa train` or save(): a
    FSNSAClassifier, or a FSNSARegressor for a regression model; its
    hyper-parameters are those the model was trained with."""
    from .regressor import FSNSARegressor, REGRESSION
    model = Model.load(path)
    if model.m.options.task == REGRESSION:
        return restore(FSNSARegressor(**estimator_kwargs(model)), model)
    est = FSNSAClassifier(**estimator_kwargs(model))
    est.classes_ = _classes(model.class_names())
    return restore(est, model)

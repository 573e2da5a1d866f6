"""The per-class recall and balanced accuracy every classifier fit
records (model format 1.4) on the estimator: recall_ in classes_ order,
balanced_accuracy_, recall_rows_; the same figures as `fsnsa inspect
--json` of the same file, and as scikit-learn's on the training rows."""
import json
import subprocess

import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score, recall_score

import fsnsa
from conftest import write_csv, xor_data

SMALL = dict(method="dense", hidden=8, epochs=30, learning_rate=0.01)


def three_classes(n=300):
    X, _ = xor_data(n, 4, seed=5)
    y = np.select([X[:, 0] < -0.3, X[:, 0] < 0.4], ["c", "a"], "b")
    return X, y


def inspect_json(fsnsa_bin, path):
    out = subprocess.run([fsnsa_bin, "inspect", "--json", str(path)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def test_recall_matches_inspect_and_sklearn(tmp_path, fsnsa_bin):
    X, y = three_classes()
    est = fsnsa.FSNSAClassifier(**SMALL).fit(X, y)
    assert list(est.classes_) == ["a", "b", "c"]
    assert est.recall_rows_ == "training"
    pred = est.predict(X)
    np.testing.assert_allclose(est.recall_, recall_score(
        y, pred, labels=est.classes_, average=None), atol=1e-12)
    assert est.balanced_accuracy_ == pytest.approx(
        balanced_accuracy_score(y, pred), abs=1e-12)
    assert len(set(np.round(est.recall_, 6))) > 1  # the classes differ
    path = tmp_path / "m.model"
    est.save(path)
    j = inspect_json(fsnsa_bin, path)
    assert j["classes"] == list(est.classes_)
    assert j["recall_rows"] == "training"
    np.testing.assert_allclose(j["recall"], est.recall_, rtol=1e-8)
    assert j["balanced_accuracy"] == pytest.approx(est.balanced_accuracy_,
                                                   rel=1e-8)
    back = fsnsa.load(path)
    np.testing.assert_array_equal(back.recall_, est.recall_)
    assert back.balanced_accuracy_ == est.balanced_accuracy_


def test_validation_rows_of_a_command_model(tmp_path, fsnsa_bin):
    X, y = three_classes()
    csv = tmp_path / "d.csv"
    write_csv(csv, X, y)
    path = tmp_path / "v.model"
    subprocess.run([fsnsa_bin, "train", "-q", "--method", "dense",
                    "--hidden", "8", "--epochs", "30", "--lr", "0.01",
                    "--validation-fraction", "0.3", str(csv), str(path)],
                   check=True)
    est = fsnsa.load(path)
    j = inspect_json(fsnsa_bin, path)
    assert est.recall_rows_ == j["recall_rows"] == "validation"
    # classes_ and the file's classes in the same order
    assert [str(c) for c in est.classes_] == j["classes"]
    np.testing.assert_allclose(est.recall_, j["recall"], rtol=1e-8)
    assert est.balanced_accuracy_ == pytest.approx(j["balanced_accuracy"],
                                                   rel=1e-8)


def test_a_regressor_has_no_recall():
    X, _ = xor_data(100, 3)
    est = fsnsa.FSNSARegressor(**SMALL).fit(X, X[:, 0] * 2.0)
    assert not hasattr(est, "recall_")

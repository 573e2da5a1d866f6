"""FSNSAClassifier: fitting, predicting, selection, defaults, threads."""
import re
import subprocess
import threading

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import fsnsa
from conftest import xor_data

SMALL = dict(epochs=40, start_hidden=64, hidden=8)


def test_defaults_are_the_commands(fsnsa_bin):
    # The estimator's defaults come from fsnsa_fit_options_default; the
    # command's --help prints the same function's values.
    text = subprocess.run([fsnsa_bin, "train", "--help"], check=True,
                          capture_output=True, text=True).stdout
    text = re.sub(r"\s+", " ", text)
    d = fsnsa.DEFAULTS
    for opt, value in [("--method M", d["method"]),
                       ("--start-hidden H", d["start_hidden"]),
                       ("--epochs N", d["epochs"]), ("--mu M", f"{d['mu']:g}"),
                       ("--batch B|full", d["batch_size"]),
                       ("--lr FLOAT", f"{d['learning_rate']:g}"),
                       ("--weight-decay FLOAT", f"{d['weight_decay']:.4f}"),
                       ("--seed S", d["random_state"]),
                       ("--restarts R", d["restarts"]),
                       ("--threads N", d["threads"]),
                       ("--scale S", d["scale"]),
                       ("--missing MODE", d["missing"]),
                       ("--variant V", d["variant"]),
                       ("--refit R", d["refit"]),
                       ("--select-score S", d["select_score"])]:
        m = re.search(re.escape(opt) + r" [^\[]*\[([^\]]*)\]", text)
        assert m, opt
        assert m.group(1).startswith(str(value)), (opt, m.group(1), value)
    est = fsnsa.FSNSAClassifier()
    assert est.get_params()["epochs"] == d["epochs"]


def test_variant(xor):
    # variant="paper" is the paper's FSA+NSA (Eq. 3 rewrites the
    # parameters every epoch), the default ranks on normalized copies:
    # same data and seed, different networks; a bad name is refused.
    X, y = xor
    kw = dict(SMALL, n_features=2, random_state=3)
    a = fsnsa.FSNSAClassifier(**kw).fit(X, y)
    b = fsnsa.FSNSAClassifier(variant="paper", **kw).fit(X, y)
    assert a.get_params()["variant"] == "stable"
    assert not np.array_equal(a.predict_proba(X), b.predict_proba(X))
    with pytest.raises(ValueError, match="variant='eq3'.*paper, stable"):
        fsnsa.FSNSAClassifier(variant="eq3", **kw).fit(X, y)


def test_refit(xor):
    # refit="dense" (fsnsa_fit_options.refit) keeps the columns the
    # annealing chose and replaces the network by a dense one trained on
    # them: same support, other probabilities, recorded in the model; a
    # bad name is refused.
    X, y = xor
    kw = dict(SMALL, n_features=2, random_state=3)
    a = fsnsa.FSNSAClassifier(**kw).fit(X, y)
    b = fsnsa.FSNSAClassifier(refit="dense", **kw).fit(X, y)
    assert a.get_params()["refit"] == "none"
    assert a.model_.m.refit == 0 and b.model_.m.refit == 1
    assert list(np.flatnonzero(b.support_)) == list(
        np.flatnonzero(a.support_))
    assert not np.array_equal(a.predict_proba(X), b.predict_proba(X))
    assert (b.predict(X) == y).mean() > 0.9
    with pytest.raises(ValueError, match="refit='lasso'.*none, dense"):
        fsnsa.FSNSAClassifier(refit="lasso", **kw).fit(X, y)


def test_xor_fit_selects_the_two_columns(xor):
    X, y = xor
    est = fsnsa.FSNSAClassifier(epochs=60, n_features=2).fit(X, y)
    assert list(est.classes_) == ["neg", "pos"]
    assert est.n_features_in_ == 6
    assert list(np.flatnonzero(est.get_support())) == [0, 1]
    assert est.score(X, y) > 0.95
    imp = est.feature_importances_
    assert imp.shape == (6,) and imp[:2].min() > imp[2:].max()
    assert est.transform(X).shape == (400, 2)
    assert list(est.get_feature_names_out()) == ["x0", "x1"]
    assert est.n_iter_ == 60 and np.isfinite(est.loss_)
    path = est.selection_path_
    assert len(path) == 60 and path[-1]["features"] == 2
    assert path[0]["features"] >= path[-1]["features"]


def test_proba_columns_follow_classes(xor):
    X, y = xor
    est = fsnsa.FSNSAClassifier(**SMALL).fit(X, y)
    proba = est.predict_proba(X)
    assert proba.shape == (400, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert (est.classes_[proba.argmax(1)] == est.predict(X)).all()
    dec = est.decision_function(X)
    assert ((dec > 0) == (est.predict(X) == est.classes_[1])).all()


def test_integer_and_multiclass_labels():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] > 0).astype(int) + 2 * (X[:, 1] > 0).astype(int) + 7
    est = fsnsa.FSNSAClassifier(method="dense", epochs=100).fit(X, y)
    assert list(est.classes_) == [7, 8, 9, 10]
    assert est.predict_proba(X).shape == (300, 4)
    assert est.decision_function(X).shape == (300, 4)
    assert est.score(X, y) > 0.8
    assert est.predict(X).dtype == y.dtype


def test_same_seed_same_bits_and_layouts(xor):
    X, y = xor
    a = fsnsa.FSNSAClassifier(**SMALL).fit(X, y).predict_proba(X)
    X64 = X.astype(np.float64)
    b = fsnsa.FSNSAClassifier(**SMALL).fit(np.asfortranarray(X64), y)
    wide = np.zeros((400, 12), dtype=np.float32)
    wide[:, ::2] = X
    ro = X.copy()
    ro.flags.writeable = False
    for Xv in (X64, np.asfortranarray(X), wide[:, ::2], ro):
        assert (b.predict_proba(Xv) == a).all()


def test_two_threads_give_the_sequential_results(xor):
    X, y = xor
    seq = [fsnsa.FSNSAClassifier(random_state=s, **SMALL).fit(X, y)
           .predict_proba(X) for s in (1, 2)]
    ests = [fsnsa.FSNSAClassifier(random_state=s, **SMALL) for s in (1, 2)]
    threads = [threading.Thread(target=e.fit, args=(X, y)) for e in ests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e, want in zip(ests, seq):
        assert (e.predict_proba(X) == want).all()


def test_missing_values():
    X, y = xor_data(200, 4)
    X[3, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fsnsa.FSNSAClassifier(**SMALL).fit(X, y)
    est = fsnsa.FSNSAClassifier(missing="mean", **SMALL).fit(X, y)
    assert np.isfinite(est.predict_proba(X)).all()


@pytest.mark.parametrize("bad", [
    dict(method="lasso"), dict(hidden=-1), dict(hidden=2.5),
    dict(epochs=-1), dict(scale="log"), dict(missing="drop"),
    dict(batch_size=0), dict(learning_rate=-1.0), dict(random_state=-3),
])
def test_bad_parameters_raise_value_error(xor, bad):
    X, y = xor
    with pytest.raises(ValueError):
        fsnsa.FSNSAClassifier(**{**SMALL, **bad}).fit(X, y)


def test_bad_data_raises_value_error(xor):
    X, y = xor
    est = fsnsa.FSNSAClassifier(**SMALL)
    for bX, by in [(X[:, 0], y), (X, y[:-1]), (X[:0], y[:0]),
                   (np.full_like(X, np.inf), y), (X, np.full(400, "a")),
                   (np.full(X.shape, "a"), y)]:
        with pytest.raises(ValueError):
            est.fit(bX, by)
    est.fit(X, y)
    with pytest.raises(ValueError, match="features"):
        est.predict(X[:, :3])
    with pytest.raises(ValueError):
        est.predict(np.where(X > 0, np.nan, X))


def test_diverged_training_is_runtime_error(xor):
    X, y = xor
    with pytest.raises(RuntimeError):
        fsnsa.FSNSAClassifier(epochs=5, learning_rate=1e6,
                              start_hidden=64, hidden=8).fit(X * 1e3, y)


def test_sklearn_tools(xor):
    X, y = xor
    est = fsnsa.FSNSAClassifier(**SMALL)
    assert clone(est).get_params() == est.get_params()
    assert cross_val_score(est, X, y, cv=3).mean() > 0.8
    grid = GridSearchCV(make_pipeline(StandardScaler(), est),
                        {"fsnsaclassifier__n_features": [2, 4]}, cv=2)
    grid.fit(X, y)
    assert grid.best_params_["fsnsaclassifier__n_features"] in (2, 4)


def test_blobs_with_both_columns():
    # The data of sklearn's check_classifiers_train, where the default
    # (half of the 2 columns) is expected to fall short.
    from sklearn.datasets import make_blobs
    from sklearn.preprocessing import StandardScaler
    X, y = make_blobs(n_samples=300, random_state=0)
    X = StandardScaler().fit_transform(X)
    est = fsnsa.FSNSAClassifier(epochs=30, start_hidden=32, hidden=8,
                                learning_rate=0.01, n_features=2).fit(X, y)
    assert est.score(X, y) > 0.83


def test_keep_going_keeps_a_poor_model_with_a_warning(xor):
    X, y = xor
    rng = np.random.RandomState(0)
    noise = rng.permutation(y)
    kw = dict(epochs=1, start_hidden=8, hidden=2, learning_rate=0.5)
    with pytest.raises(RuntimeError, match="worse"):
        fsnsa.FSNSAClassifier(**kw).fit(X, noise)
    with pytest.warns(RuntimeWarning, match="worse"):
        est = fsnsa.FSNSAClassifier(keep_going=True, **kw).fit(X, noise)
    assert est.predict(X).shape == (400,)


def test_dataframe_names_are_kept(tmp_path):
    pd = pytest.importorskip("pandas", reason="python3-pandas is optional")
    X, y = xor_data(300, 4)
    df = pd.DataFrame(X, columns=["a", "b", "noise1", "noise2"])
    est = fsnsa.FSNSAClassifier(n_features=2, epochs=60).fit(df, y)
    assert list(est.feature_names_in_) == ["a", "b", "noise1", "noise2"]
    assert list(est.get_feature_names_out()) == ["a", "b"]
    est.save(tmp_path / "m.model")
    back = fsnsa.load(tmp_path / "m.model")
    assert list(back.feature_names_model_) == ["a", "b", "noise1", "noise2"]
    with pytest.raises(ValueError):
        est.predict(df.rename(columns={"a": "z"}))

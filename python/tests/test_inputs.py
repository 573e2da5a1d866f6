"""Inputs as users have them, and every wrong one a Python exception with
a message that says what to do, never a crash."""
import numpy as np
import pytest

import fsnsa
from conftest import xor_data

SMALL = dict(epochs=20, start_hidden=32, hidden=8, learning_rate=0.01)


def proba(X, y, **kw):
    return fsnsa.FSNSAClassifier(**{**SMALL, **kw}).fit(X, y).predict_proba(X)


def test_any_layout_or_flag_trains_the_same_bits():
    X, y = xor_data(200, 5)
    want = proba(X, y)
    ro = X.copy()
    ro.flags.writeable = False
    wide = np.zeros((200, 10), dtype=np.float32)
    wide[:, 1::2] = X
    for Xv in (X.astype(np.float64), np.asfortranarray(X), ro, wide[:, 1::2],
               np.asfortranarray(X.astype(np.float64)), X.tolist()):
        assert (proba(Xv, y) == want).all()
    assert not ro.flags.writeable and (wide[:, 1::2] == X).all()


def test_integer_and_boolean_columns():
    X, y = xor_data(200, 4)
    Xi = np.round(X * 10).astype(np.int64)
    assert (proba(Xi, y) == proba(Xi.astype(np.float32), y)).all()
    Xb = X > 0
    assert proba(Xb, y).shape == (200, 2)


def test_nan_is_refused_naming_row_and_column():
    X, y = xor_data(200, 4)
    X[7, 2] = np.nan
    with pytest.raises(ValueError, match=r"NaN.*row 7, column 2.*missing="):
        fsnsa.FSNSAClassifier(**SMALL).fit(X, y)
    est = fsnsa.FSNSAClassifier(**SMALL).fit(np.nan_to_num(X), y)
    with pytest.raises(ValueError, match="row 7, column 2"):
        est.predict(X)


@pytest.mark.parametrize("missing", ["zero", "mean"])
def test_nan_is_imputed_as_missing_says(missing):
    X, y = xor_data(200, 4)
    X[7, 2] = np.nan
    est = fsnsa.FSNSAClassifier(missing=missing, **SMALL).fit(X, y)
    fill = 0.0 if missing == "zero" else np.nanmean(X[:, 2].astype(float))
    filled = X.copy()
    filled[7, 2] = fill
    np.testing.assert_allclose(est.predict_proba(X[7:8]),
                               est.predict_proba(filled[7:8]), atol=1e-6)


def test_inf_and_float32_overflow_are_refused():
    X, y = xor_data(200, 4)
    for v, msg in ((np.inf, r"inf at row 3, column 1"),
                   (-np.inf, r"inf at row 3, column 1"),
                   (1e300, r"1e\+300 at row 3, column 1, beyond float32")):
        bad = X.astype(np.float64)
        bad[3, 1] = v
        for missing in ("refuse", "mean"):
            with pytest.raises(ValueError, match=msg):
                fsnsa.FSNSAClassifier(missing=missing, **SMALL).fit(bad, y)


@pytest.mark.parametrize("X, y, msg", [
    (np.zeros(10), np.arange(10) % 2, "2D array"),
    (np.zeros((10, 2, 2)), np.arange(10) % 2, "dim"),
    (np.zeros((10, 2)), np.arange(9) % 2, "inconsistent numbers"),
    (np.zeros((0, 2)), np.zeros(0), "0 sample"),
    (np.zeros((10, 0)), np.arange(10) % 2, "0 feature"),
    (np.zeros((10, 2)), np.zeros(10), "at least 2 classes"),
    (np.full((10, 2), "a"), np.arange(10) % 2, "could not convert"),
    (np.ones((10, 2)) * 1j, np.arange(10) % 2, "[Cc]omplex"),
    (np.ones((10, 2)), np.linspace(0, 1, 10), "continuous"),
])
def test_wrong_data_is_value_error(X, y, msg):
    with pytest.raises(ValueError, match=msg):
        fsnsa.FSNSAClassifier(**SMALL).fit(X, y)


def test_wrong_width_or_unfitted_at_predict():
    X, y = xor_data(100, 4)
    with pytest.raises(ValueError, match="not fitted"):
        fsnsa.FSNSAClassifier().predict(X)
    est = fsnsa.FSNSAClassifier(**SMALL).fit(X, y)
    for bad in (X[:, :3], np.hstack([X, X]), X[0]):
        with pytest.raises(ValueError):
            est.predict(bad)
    with pytest.raises(ValueError, match="0 sample"):
        est.predict(X[:0])


def test_sparse_input_is_refused_clearly():
    sparse = pytest.importorskip("scipy.sparse")
    X, y = xor_data(100, 4)
    with pytest.raises(TypeError, match="sparse.*dense.*toarray"):
        fsnsa.FSNSAClassifier(**SMALL).fit(sparse.csr_matrix(X), y)
    est = fsnsa.FSNSAClassifier(**SMALL).fit(X, y)
    with pytest.raises(TypeError, match="sparse"):
        est.predict(sparse.csr_matrix(X))


def test_dataframe_columns():
    pd = pytest.importorskip("pandas", reason="python3-pandas is optional")
    X, y = xor_data(200, 3)
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    want = proba(X, y)
    df["c"] = df["c"].astype(np.float64)
    assert (proba(df, y) == want).all()
    for dtype, value in (("category", "u"), (object, "u"), ("string", "u"),
                         ("datetime64[ns]", "2020-01-01")):
        bad = df.copy()
        bad["colour"] = pd.Series([value] * 200, dtype=dtype)
        with pytest.raises(ValueError, match=r"column 'colour' holds .*"
                           r"one-hot encode it first.*get_dummies"):
            fsnsa.FSNSAClassifier(**SMALL).fit(bad, y)
    nan = df.copy()
    nan.iloc[5, 1] = np.nan
    with pytest.raises(ValueError, match=r"row 5, column 1 \('b'\)"):
        fsnsa.FSNSAClassifier(**SMALL).fit(nan, y)
    # a categorical column one-hot encoded by pandas trains, names kept
    enc = pd.get_dummies(df.assign(colour=pd.Categorical(
        np.where(X[:, 0] > 0, "red", "blue"))), columns=["colour"])
    est = fsnsa.FSNSAClassifier(**SMALL).fit(enc, pd.Series(y))
    assert list(est.feature_names_in_) == ["a", "b", "c", "colour_blue",
                                           "colour_red"]


def test_the_dataframe_message_names_the_estimator():
    pd = pytest.importorskip("pandas", reason="python3-pandas is optional")
    X, y = xor_data(50, 2)
    df = pd.DataFrame(X, columns=["a", "b"]).assign(colour="red")
    for est, target in ((fsnsa.FSNSAClassifier(**SMALL), y),
                        (fsnsa.FSNSARegressor(**SMALL), X[:, 0])):
        name = type(est).__name__
        with pytest.raises(ValueError) as e:
            est.fit(df, target)
        assert f"column 'colour' holds object values; {name} reads " \
            "numbers only" in str(e.value)
        other = ({"FSNSAClassifier", "FSNSARegressor"} - {name}).pop()
        assert other not in str(e.value)


def test_labels_of_any_kind():
    X, y = xor_data(200, 3)
    want = proba(X, y)
    for labels in (np.where(y == "pos", 5, -3), np.where(y == "pos", 1.0, 0),
                   y == "pos", list(y), y.astype(object)):
        est = fsnsa.FSNSAClassifier(**SMALL).fit(X, labels)
        assert (est.predict_proba(X) == want).all()
        assert set(est.predict(X)) <= set(np.asarray(labels).tolist())


@pytest.mark.parametrize("content", [b"", b"not a model\n",
                                     b"fsnsa-model 9.9\n", b"\x00" * 64])
def test_damaged_model_files_are_value_errors(tmp_path, content):
    (tmp_path / "bad.model").write_bytes(content)
    with pytest.raises(ValueError):
        fsnsa.load(tmp_path / "bad.model")
    with pytest.raises((ValueError, OSError)):
        fsnsa.load(tmp_path)


def test_out_of_memory_is_memory_error(tmp_path):
    # In a child under an address-space limit 1 GiB above what it uses: a
    # network of 2^24 nodes over 50 columns needs 3 GiB for W alone.
    import subprocess
    import sys
    script = (
        "import resource, numpy as np, fsnsa\n"
        "X = np.random.RandomState(0).rand(100, 50); y = np.arange(100) % 2\n"
        "vm = [int(s.split()[1]) for s in open('/proc/self/status')\n"
        "      if s.startswith('VmSize')][0] * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS,\n"
        "                   (vm + 2**30, resource.RLIM_INFINITY))\n"
        "try:\n"
        "    fsnsa.FSNSAClassifier(method='dense', hidden=2**24,\n"
        "                          epochs=1).fit(X, y)\n"
        "except MemoryError as e:\n"
        "    print('MemoryError:', e)\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("MemoryError: out of memory"), out.stdout

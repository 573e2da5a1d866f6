"""Models cross between Python and the command with identical predictions;
pickling goes through the same model-file text; damaged files are
ValueErrors."""
import pickle
import subprocess

import numpy as np
import pytest

import fsnsa
from conftest import write_csv, xor_data

SMALL = dict(epochs=40, start_hidden=64, hidden=8)


def command_proba(fsnsa_bin, model, data):
    out = subprocess.run([fsnsa_bin, "predict", "--proba", "-q", model, data],
                         check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()
    header = lines[0].split("\t")
    rows = [line.split("\t") for line in lines[1:]]
    return header[1:], [r[0] for r in rows], \
        np.array([[float(v) for v in r[1:]] for r in rows])


def decimals(proba, like):
    # The command prints probabilities as text: compare at its precision.
    return np.abs(proba - like).max()


def test_python_model_predicts_with_the_command(tmp_path, fsnsa_bin):
    X, y = xor_data()
    est = fsnsa.FSNSAClassifier(**SMALL).fit(X, y)
    est.save(tmp_path / "py.model")
    write_csv(tmp_path / "d.csv", X)
    classes, pred, proba = command_proba(fsnsa_bin, str(tmp_path / "py.model"),
                                         str(tmp_path / "d.csv"))
    assert classes == list(est.classes_)
    assert pred == list(est.predict(X))
    assert decimals(proba, est.predict_proba(X)) < 1e-6


def test_command_model_predicts_in_python(tmp_path, fsnsa_bin):
    X, y = xor_data(300, 5, seed=3)
    write_csv(tmp_path / "t.csv", X, y)
    subprocess.run([fsnsa_bin, "train", "-q", "--epochs", "30",
                    "--start-hidden", "64", "--hidden", "8",
                    str(tmp_path / "t.csv"), str(tmp_path / "c.model")],
                   check=True)
    est = fsnsa.load(tmp_path / "c.model")
    assert est.epochs == 30 and est.hidden == 8 and est.n_features_in_ == 5
    assert list(est.feature_names_model_) == [f"x{j}" for j in range(5)]
    classes, pred, proba = command_proba(fsnsa_bin, str(tmp_path / "c.model"),
                                         str(tmp_path / "t.csv"))
    assert classes == list(est.classes_)
    assert pred == list(est.predict(X))
    assert decimals(proba, est.predict_proba(X)) < 1e-6


def test_save_load_and_pickle_are_identical(tmp_path):
    X, y = xor_data()
    yi = (y == "pos").astype(int)
    est = fsnsa.FSNSAClassifier(**SMALL).fit(X, yi)
    est.save(tmp_path / "m.model")
    back = fsnsa.load(tmp_path / "m.model")
    assert list(back.classes_) == [0, 1]
    assert (back.predict_proba(X) == est.predict_proba(X)).all()
    assert (back.get_support() == est.get_support()).all()
    assert back.loss_ == est.loss_
    copy = pickle.loads(pickle.dumps(est))
    assert (copy.predict_proba(X) == est.predict_proba(X)).all()
    assert (copy.feature_importances_ == est.feature_importances_).all()
    unfitted = pickle.loads(pickle.dumps(fsnsa.FSNSAClassifier(epochs=3)))
    assert unfitted.epochs == 3


def test_damaged_model_file_is_value_error(tmp_path):
    X, y = xor_data()
    fsnsa.FSNSAClassifier(**SMALL).fit(X, y).save(tmp_path / "m.model")
    text = (tmp_path / "m.model").read_bytes()
    (tmp_path / "cut.model").write_bytes(text[: len(text) // 2])
    flipped = bytearray(text)
    flipped[len(text) // 2] ^= 0x01
    (tmp_path / "flip.model").write_bytes(bytes(flipped))
    for name in ("cut.model", "flip.model"):
        with pytest.raises(ValueError):
            fsnsa.load(tmp_path / name)
    with pytest.raises(OSError):
        fsnsa.load(tmp_path / "absent.model")

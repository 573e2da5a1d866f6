"""n_features="auto": k chosen by the library's cross-validation
(fsnsa_select_features), as `fsnsa train --features auto` does. On 2-D
XOR in 8 columns the answer is known (tests/test_cli_select.c): k = 2,
the columns 0 and 1."""
import json
import pickle
import re
import subprocess

import numpy as np
import pytest

import fsnsa
from fsnsa._model import select_options_default
from conftest import class_first, write_csv, xor_data

# As tests/test_cli_select.c's SMALL: 64 -> 16 nodes, 100 epochs, 3 folds.
KW = dict(n_features="auto", start_hidden=64, hidden=16, epochs=100,
          select_folds=3)
CLI = ["--start-hidden", "64", "--hidden", "16", "--epochs", "100",
       "--select-folds", "3"]


@pytest.fixture(scope="module")
def data():
    return class_first(*xor_data(1000, 8, seed=3))


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return fsnsa.FSNSAClassifier(**KW).fit(X, y)


def test_xor_picks_k_2_and_the_true_columns(fitted):
    assert fitted.n_features_selected_ == 2
    assert list(np.flatnonzero(fitted.support_)) == [0, 1]
    assert fitted.model_.net.p == 2


def test_the_curve_has_one_entry_per_candidate(fitted):
    c = fitted.selection_curve_
    # the library's two-ended path: keep 1, 2, 4 and drop 1, 2, 4 of 8
    assert list(c["sizes"]) == [1, 2, 4, 6, 7, 8]
    assert c["mean"].shape == c["se"].shape == (6,)
    assert c["fold_loss"].shape == (3, 6)
    assert np.isfinite(c["mean"]).all() and (c["se"] >= 0).all()
    assert c["sizes"][c["chosen"]] == 2
    np.testing.assert_allclose(c["mean"], c["fold_loss"].mean(axis=0))
    # one-SE rule: the chosen mean within one SE of the lowest
    lo = int(np.argmin(c["mean"]))
    assert c["mean"][c["chosen"]] <= c["mean"][lo] + c["se"][lo]


def test_candidate_sizes_and_fold_options(data):
    X, y = data
    est = fsnsa.FSNSAClassifier(**dict(KW, select_sizes=[8, 3, 2],
                                       select_epochs=2)).fit(X, y)
    assert list(est.selection_curve_["sizes"]) == [2, 3, 8]
    assert est.n_features_selected_ == 2


def test_the_same_k_and_curve_as_the_command(tmp_path, data, fitted,
                                             fsnsa_bin):
    X, y = data
    csv = tmp_path / "xor.csv"
    write_csv(csv, X, y)
    out = subprocess.run([fsnsa_bin, "train", "--features", "auto", *CLI,
                          "--seed", str(fitted.random_state), str(csv),
                          str(tmp_path / "m.model")], check=True,
                         capture_output=True, text=True)
    m = re.search(r"auto   k (\d+) by 3-fold", out.stdout)
    assert m, out.stdout
    assert int(m.group(1)) == fitted.n_features_selected_
    rows = re.findall(r"^\s+(\d+)\s+([0-9.]+)\s+([0-9.]+)", out.stderr,
                      re.M)
    c = fitted.selection_curve_
    assert [int(r[0]) for r in rows] == list(c["sizes"])
    np.testing.assert_allclose([float(r[1]) for r in rows], c["mean"],
                               atol=2e-6)


def test_defaults_are_the_librarys():
    so = select_options_default()
    assert fsnsa.DEFAULTS["select_folds"] == so.folds
    assert fsnsa.DEFAULTS["select_epochs"] == so.finetune_epochs
    assert fsnsa.DEFAULTS["select_sizes"] is None and so.n_sizes == 0
    assert fsnsa.DEFAULTS["select_rule"] == "one-se" and so.rule == 0
    est = fsnsa.FSNSAClassifier()
    assert est.get_params()["select_folds"] == so.folds


def test_a_fixed_k_sets_no_curve(data):
    X, y = data
    est = fsnsa.FSNSAClassifier(**dict(KW, n_features=2, epochs=5)).fit(X, y)
    assert not hasattr(est, "selection_curve_")
    assert not hasattr(est, "n_features_selected_")


@pytest.mark.parametrize("kw, msg", [
    (dict(method="dense"), "method 'fsa' or 'fsa-nsa'; got method='dense'"),
    (dict(method="nsa"), "got method='nsa'"),
    (dict(n_features="autox"), "n_features='autox': expected a positive integer, None (automatic) or 'auto'"),
    (dict(select_folds=1), "select_folds=1: expected an integer >= 2"),
    (dict(select_folds=2.5), "select_folds=2.5"),
    (dict(select_epochs=0), "select_epochs=0: expected an integer >= 1"),
    (dict(select_sizes=[]), "select_sizes=[]: expected None or"),
    (dict(select_sizes=[2, 0]), "select_sizes=[2, 0]"),
    (dict(select_sizes=[2, 9]), "candidate size 9 is outside [1, 8]"),
    (dict(select_folds=1001), "folds must be in [2, 200]"),
    (dict(select_rule="lowest"), "select_rule='lowest': expected one of "
     "one-se, min"),
    # hidden="auto" (test_select_hidden.py)
    (dict(hidden="autox"), "hidden='autox': expected a positive integer, "
     "None (automatic) or 'auto'"),
    (dict(hidden="auto", select_hidden=[]), "select_hidden=[]: expected "
     "None or a non-empty list of positive integers"),
    (dict(hidden="auto", select_hidden=[4, 0]), "select_hidden=[4, 0]"),
    (dict(hidden="auto", select_hidden=[4, 2.5]), "select_hidden=[4, 2.5]"),
    (dict(hidden="auto", select_hidden="8"), "select_hidden='8'"),
    (dict(n_features=2, hidden="auto", select_hidden=[4, 100]),
     "candidate node count 100 is outside [1, 64]"),
])
def test_bad_values_are_refused(kw, msg):
    X, y = xor_data(200, 8, seed=1)
    est = fsnsa.FSNSAClassifier(**dict(KW, epochs=5, **kw))
    with pytest.raises(ValueError, match=re.escape(msg)):
        est.fit(X, y)
    assert not hasattr(est, "model_")


@pytest.mark.parametrize("param", ["n_features", "hidden"])
def test_the_regressor_refuses_auto(param):
    X, _ = xor_data(100, 4)
    y = X[:, 0] * 2.0
    with pytest.raises(ValueError, match=f"{param}='auto' is for "
                       "FSNSAClassifier.*stratifies its folds by class"):
        fsnsa.FSNSARegressor(**{param: "auto"}, epochs=5).fit(X, y)


def test_refitting_forgets_the_curve(data):
    X, y = data
    est = fsnsa.FSNSAClassifier(**dict(KW, epochs=10, select_sizes=[2, 8]))
    est.fit(X, y)
    assert hasattr(est, "selection_curve_")
    est.set_params(n_features=3).fit(X, y)
    assert not hasattr(est, "selection_curve_")
    assert est.model_.net.p == 3



def test_the_curve_does_not_depend_on_threads(data, fitted):
    X, y = data
    est = fsnsa.FSNSAClassifier(**dict(KW, threads=2)).fit(X, y)
    np.testing.assert_array_equal(est.selection_curve_["fold_loss"],
                                  fitted.selection_curve_["fold_loss"])
    np.testing.assert_array_equal(est.predict_proba(X), fitted.predict_proba(X))


def test_verbose_prints_the_commands_curve(data, fitted, capsys, tmp_path,
                                           fsnsa_bin):
    X, y = data
    fsnsa.FSNSAClassifier(**dict(KW, verbose=True)).fit(X, y)
    err = capsys.readouterr().err
    csv = tmp_path / "xor.csv"
    write_csv(csv, X, y)
    out = subprocess.run([fsnsa_bin, "train", "--features", "auto", *CLI,
                          str(csv), str(tmp_path / "m.model")], check=True,
                         capture_output=True, text=True).stderr
    # the command's curve, from its table header to its last size
    head = "features auto: 3-fold cross-validation on 1000 training rows, " \
        "5 fine-tune epochs per size"
    assert head in err and head in out
    table = out[out.index("  size  held-out loss"):]
    table = table[:table.index("\n     8  ")]
    assert table in err


def test_the_curve_survives_pickling(data, fitted):
    X, _ = data
    again = pickle.loads(pickle.dumps(fitted))
    assert again.n_features_selected_ == 2
    np.testing.assert_array_equal(again.selection_curve_["mean"],
                                  fitted.selection_curve_["mean"])
    np.testing.assert_array_equal(again.predict_proba(X),
                                  fitted.predict_proba(X))


def test_the_min_rule_takes_the_lowest_mean(tmp_path, data, fitted,
                                            fsnsa_bin):
    """select_rule="min" (--select-rule min): the same curve as the
    one-SE fit, the lowest mean's size chosen, and a 1.7 file that says
    so to the command and to fsnsa.load."""
    X, y = data
    est = fsnsa.FSNSAClassifier(**dict(KW, select_rule="min")).fit(X, y)
    c, c1 = est.selection_curve_, fitted.selection_curve_
    np.testing.assert_array_equal(c["fold_loss"], c1["fold_loss"])
    assert c["rule"] == "min" and c1["rule"] == "one-se"
    assert c["chosen"] == int(np.argmin(c["mean"]))
    assert est.n_features_selected_ == c["sizes"][c["chosen"]]
    path = tmp_path / "min.model"
    est.save(path)
    assert path.read_bytes().startswith(b"fsnsa-model 1.7\n")
    out = subprocess.run([fsnsa_bin, "inspect", "--json", str(path)],
                         check=True, capture_output=True, text=True).stdout
    assert json.loads(out)["selection"]["features"]["rule"] == "min"
    back = fsnsa.load(path)
    assert back.selection_curve_["rule"] == "min"
    assert back.selection_curve_["chosen"] == c["chosen"]


def test_the_saved_file_carries_the_curve(tmp_path, data, fitted, fsnsa_bin):
    """fit -> save -> `fsnsa inspect --json` and fsnsa.load: the same
    choice and curve (model format 1.5)."""
    path = tmp_path / "auto.model"
    fitted.save(path)
    assert path.read_bytes().startswith(b"fsnsa-model 1.5\n")
    out = subprocess.run([fsnsa_bin, "inspect", "--json", str(path)],
                         check=True, capture_output=True, text=True).stdout
    sel = json.loads(out)["selection"]
    assert sel["hidden"] is None
    c, j = fitted.selection_curve_, sel["features"]
    assert j["chosen"] == fitted.n_features_selected_ == 2
    assert j["folds"] == 3 and j["rule"] == "one-se"
    assert j["lowest"] == c["sizes"][int(np.argmin(c["mean"]))]
    assert [e["size"] for e in j["curve"]] == list(c["sizes"])
    np.testing.assert_allclose([e["mean"] for e in j["curve"]], c["mean"],
                               rtol=1e-8)
    np.testing.assert_allclose([e["se"] for e in j["curve"]], c["se"],
                               rtol=1e-8)
    np.testing.assert_allclose([e["fold_loss"] for e in j["curve"]],
                               c["fold_loss"].T, rtol=1e-8)
    back = fsnsa.load(path)
    assert back.n_features_selected_ == fitted.n_features_selected_
    for key in ("sizes", "mean", "se", "fold_loss"):
        np.testing.assert_array_equal(back.selection_curve_[key], c[key])
    assert back.selection_curve_["chosen"] == c["chosen"]
    assert not hasattr(back, "hidden_selection_curve_")


def test_a_loaded_model_of_the_command_has_its_curves(tmp_path, data,
                                                      fsnsa_bin):
    """--features auto --hidden auto: both curves, as inspect shows them;
    a model whose sizes were given has none."""
    X, y = data
    csv = tmp_path / "xor.csv"
    write_csv(csv, X, y)
    model = tmp_path / "kh.model"
    subprocess.run([fsnsa_bin, "train", "-q", "--features", "auto",
                    "--hidden", "auto", "--select-hidden", "2,4",
                    "--start-hidden", "64", "--epochs", "50",
                    "--select-folds", "3", str(csv), str(model)], check=True)
    est = fsnsa.load(model)
    sel = json.loads(subprocess.run(
        [fsnsa_bin, "inspect", "--json", str(model)], check=True,
        capture_output=True, text=True).stdout)["selection"]
    assert est.n_features_selected_ == sel["features"]["chosen"]
    assert est.n_hidden_selected_ == sel["hidden"]["chosen"]
    assert list(est.hidden_selection_curve_["sizes"]) == [2, 4]
    assert est.model_.net.h == est.n_hidden_selected_
    assert est.model_.net.p == est.n_features_selected_
    given = tmp_path / "given.model"
    subprocess.run([fsnsa_bin, "train", "-q", "--features", "2",
                    "--start-hidden", "64", "--hidden", "4", "--epochs", "20",
                    str(csv), str(given)], check=True)
    est = fsnsa.load(given)
    assert not hasattr(est, "selection_curve_")
    assert not hasattr(est, "hidden_selection_curve_")

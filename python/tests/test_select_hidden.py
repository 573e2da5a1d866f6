"""hidden="auto": h chosen by the library's cross-validation
(fsnsa_select_hidden), as `fsnsa train --hidden auto` does, after k when
n_features is "auto" too. The estimator and the command, given the same
rows, options and seed, must reach the same curve bit for bit: the
command's model file records its curve (format 1.5) and fsnsa.load reads
it back exactly."""
import json
import re
import subprocess

import numpy as np
import pytest
from sklearn.base import clone

import fsnsa
from fsnsa._model import select_hidden_default
from conftest import class_first, write_csv, xor_data

# Small: 64 starting nodes, 3 folds, 4 candidate node counts.
KW = dict(hidden="auto", select_hidden=[2, 4, 8, 16], start_hidden=64,
          n_features=2, epochs=60, select_folds=3)
CLI = ["--hidden", "auto", "--select-hidden", "2,4,8,16", "--start-hidden",
       "64", "--features", "2", "--epochs", "60", "--select-folds", "3"]


@pytest.fixture(scope="module")
def data():
    return class_first(*xor_data(600, 6, seed=3))


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return fsnsa.FSNSAClassifier(**KW).fit(X, y)


def command(fsnsa_bin, tmp_path, data, args):
    """`fsnsa train args` on data written to CSV: (its model loaded, the
    model's path, stdout, stderr)."""
    X, y = data
    csv = tmp_path / "xor.csv"
    write_csv(csv, X, y)
    model = tmp_path / "cli.model"
    out = subprocess.run([fsnsa_bin, "train", *args, str(csv), str(model)],
                         check=True, capture_output=True, text=True)
    return fsnsa.load(model), model, out.stdout, out.stderr


def inspect_selection(fsnsa_bin, model):
    out = subprocess.run([fsnsa_bin, "inspect", "--json", str(model)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["selection"]


def assert_same_curve(a, b):
    for key in ("sizes", "mean", "se", "fold_loss"):
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    assert a["chosen"] == b["chosen"]


def test_the_curve_has_one_entry_per_candidate(fitted):
    c = fitted.hidden_selection_curve_
    assert list(c["sizes"]) == [2, 4, 8, 16]
    assert c["fold_loss"].shape == (3, 4)
    assert np.isfinite(c["mean"]).all() and (c["se"] >= 0).all()
    np.testing.assert_allclose(c["mean"], c["fold_loss"].mean(axis=0))
    lo = int(np.argmin(c["mean"]))
    assert c["mean"][c["chosen"]] <= c["mean"][lo] + c["se"][lo]
    assert fitted.n_hidden_selected_ == c["sizes"][c["chosen"]]
    assert fitted.model_.net.h == fitted.n_hidden_selected_
    assert not hasattr(fitted, "selection_curve_")  # k was given


def test_the_same_h_and_curve_as_the_command(tmp_path, data, fitted,
                                             fsnsa_bin):
    cli, model, out, _ = command(fsnsa_bin, tmp_path, data,
                                 CLI + ["--seed", str(fitted.random_state)])
    m = re.search(r"auto   h (\d+) by 3-fold", out)
    assert m, out
    assert int(m.group(1)) == fitted.n_hidden_selected_
    assert cli.n_hidden_selected_ == fitted.n_hidden_selected_
    assert_same_curve(cli.hidden_selection_curve_,
                      fitted.hidden_selection_curve_)
    sel = inspect_selection(fsnsa_bin, model)
    assert sel["features"] is None
    assert sel["hidden"]["chosen"] == fitted.n_hidden_selected_
    np.testing.assert_allclose(
        [e["fold_loss"] for e in sel["hidden"]["curve"]],
        fitted.hidden_selection_curve_["fold_loss"].T, rtol=1e-8)
    # the fit after the choice is the command's too
    X, _ = data
    np.testing.assert_array_equal(cli.predict_proba(X),
                                  fitted.predict_proba(X))


def test_k_then_h_as_the_command(tmp_path, data, fsnsa_bin):
    """n_features="auto" with hidden="auto": k first, at the default h
    held to start_hidden (128 > 64 here), then h at that k."""
    kw = dict(KW, n_features="auto", select_sizes=[1, 2, 6])
    est = fsnsa.FSNSAClassifier(**kw).fit(*data)
    args = [a for a in CLI if a not in ("--features", "2")]
    cli, model, _, _ = command(fsnsa_bin, tmp_path, data, args + [
        "--features", "auto", "--select-sizes", "1,2,6"])
    assert_same_curve(cli.selection_curve_, est.selection_curve_)
    assert_same_curve(cli.hidden_selection_curve_,
                      est.hidden_selection_curve_)
    assert est.model_.net.p == est.n_features_selected_
    assert est.model_.net.h == est.n_hidden_selected_
    np.testing.assert_array_equal(cli.predict_proba(data[0]),
                                  est.predict_proba(data[0]))
    sel = inspect_selection(fsnsa_bin, model)
    assert sel["features"]["chosen"] == est.n_features_selected_
    assert sel["hidden"]["chosen"] == est.n_hidden_selected_


def test_the_saved_file_carries_the_curve(tmp_path, data, fitted, fsnsa_bin):
    path = tmp_path / "auto.model"
    fitted.save(path)
    assert path.read_bytes().startswith(b"fsnsa-model 1.5\n")
    sel = inspect_selection(fsnsa_bin, path)
    assert sel["features"] is None
    assert sel["hidden"]["chosen"] == fitted.n_hidden_selected_
    assert [e["size"] for e in sel["hidden"]["curve"]] == [2, 4, 8, 16]
    back = fsnsa.load(path)
    assert back.n_hidden_selected_ == fitted.n_hidden_selected_
    assert_same_curve(back.hidden_selection_curve_,
                      fitted.hidden_selection_curve_)
    assert back.hidden == fitted.n_hidden_selected_
    assert not hasattr(back, "selection_curve_")


def test_the_default_candidates_are_the_librarys(data):
    """select_hidden None: fsnsa_select_hidden_default up to start_hidden."""
    assert fsnsa.DEFAULTS["select_hidden"] is None
    assert fsnsa.DEFAULTS["hidden"] is None
    est = fsnsa.FSNSAClassifier(**dict(KW, select_hidden=None,
                                       start_hidden=20, epochs=30))
    est.fit(*data)
    sizes = [h for h in select_hidden_default() if h <= 20]
    assert sizes and list(est.hidden_selection_curve_["sizes"]) == sizes


def test_verbose_prints_the_commands_curve(tmp_path, data, capsys,
                                           fsnsa_bin):
    fsnsa.FSNSAClassifier(**dict(KW, verbose=True)).fit(*data)
    err = capsys.readouterr().err
    _, _, _, out = command(fsnsa_bin, tmp_path, data, CLI)
    head = "hidden auto: 3-fold cross-validation on 600 training rows, " \
        "one training per fold and node count"
    assert head in err and head in out
    table = out[out.index("  nodes held-out loss  se\n"):]
    table = table[:table.index("\n    16  ")]
    assert table in err


def test_params_clone_and_refit(data):
    est = fsnsa.FSNSAClassifier(**dict(KW, epochs=5))
    params = est.get_params()
    assert params["hidden"] == "auto"
    assert params["select_hidden"] == [2, 4, 8, 16]
    assert clone(est).get_params() == params
    est.fit(*data)
    assert hasattr(est, "hidden_selection_curve_")
    est.set_params(hidden=4).fit(*data)
    assert not hasattr(est, "hidden_selection_curve_")
    assert not hasattr(est, "n_hidden_selected_")
    assert est.model_.net.h == 4


def test_the_docs_name_the_librarys_default_candidates():
    from conftest import ROOT
    text = (ROOT / "docs" / "python.md").read_text()
    assert ", ".join(map(str, select_hidden_default())) in text

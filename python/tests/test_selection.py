"""The selector's fitted attributes against independent oracles: the
importances against the network's weights (Eq. 3, 4) and `fsnsa inspect`,
the drop epochs against the per-epoch path, support_ and transform
against the kept columns."""
import json
import subprocess

import numpy as np
import pytest

import fsnsa
from conftest import xor_data

KW = dict(epochs=40, start_hidden=64, hidden=8, n_features=2)


@pytest.fixture(scope="module")
def fitted():
    X, y = xor_data(400, 10, seed=4)
    return X, y, fsnsa.FSNSAClassifier(**KW).fit(X, y)


def relevance_from_weights(est):
    # Eq. (3) scales node j so that ||w_j|| = 1; Eq. (4): r_i is the L2
    # norm of column i of W then.
    net = est.model_.net
    W = np.ctypeslib.as_array(net.W, (net.h, net.p)).astype(np.float64)
    norms = np.linalg.norm(W, axis=1, keepdims=True)
    W = np.where(norms > 0, W / np.where(norms > 0, norms, 1), W)
    return np.linalg.norm(W, axis=0)


def test_kept_columns_have_their_relevance(fitted):
    X, y, est = fitted
    imp = est.feature_importances_
    assert imp.shape == (10,) and np.isfinite(imp).all()
    kept = np.flatnonzero(est.support_)
    assert list(kept) == [0, 1]
    np.testing.assert_allclose(imp[kept], relevance_from_weights(est),
                               rtol=1e-5)
    assert imp[kept].min() > np.delete(imp, kept).max() > 0


def test_drop_epochs_follow_the_path(fitted):
    X, y, est = fitted
    path = est.selection_path_
    want = np.zeros(10, dtype=int)
    for step in path:
        alive = set(step["feature_ids"].tolist())
        for j in range(10):
            if j not in alive and want[j] == 0:
                want[j] = step["epoch"]
        assert sorted(step["dropped_ids"].tolist()) == \
            [j for j in range(10) if want[j] == step["epoch"]]
    assert (est.drop_epochs_ == want).all()
    # every dropped column below every kept one, the later dropped higher
    imp = est.feature_importances_
    gone = np.flatnonzero(want)
    for a in gone:
        for b in gone:
            if want[a] > want[b]:
                assert imp[a] > imp[b]
    assert len(set(imp.tolist())) == 10


def test_ranking_is_the_one_of_fsnsa_inspect(fitted, tmp_path, fsnsa_bin):
    X, y, est = fitted
    est.save(tmp_path / "m.model")
    out = subprocess.run([fsnsa_bin, "inspect", "--json",
                          str(tmp_path / "m.model")], check=True,
                         capture_output=True, text=True).stdout
    ranked = json.loads(out)["importance"]
    imp = est.feature_importances_
    assert [r["column"] for r in ranked] == list(np.argsort(-imp,
                                                            kind="stable"))
    for r in ranked:
        if r["drop_epoch"] is None:
            assert abs(r["relevance"] - imp[r["column"]]) < 1e-5
        else:
            assert r["drop_epoch"] == est.drop_epochs_[r["column"]]
    back = fsnsa.load(tmp_path / "m.model")
    assert (back.feature_importances_ == imp).all()


def test_path_loss_and_iterations(fitted):
    X, y, est = fitted
    path = est.selection_path_
    assert [s["epoch"] for s in path] == list(range(1, 41))
    assert est.n_iter_ == 40
    assert path[0]["nodes"] == 64 and path[-1]["nodes"] == 8
    assert path[0]["features"] == 10 and path[-1]["features"] == 2
    nodes = [s["nodes"] for s in path]
    assert nodes == sorted(nodes, reverse=True)
    # loss_ is the final network's loss on the training rows from logits
    # (the model file's train_loss): recompute it from predict_proba.
    p = est.predict_proba(X)
    yi = np.searchsorted(est.classes_, y)
    ce = -np.mean(np.log(p[np.arange(len(y)), yi]))
    assert abs(est.loss_ - ce) < 1e-4
    assert all(np.isfinite(s["loss"]) and s["seconds"] >= 0 for s in path)


def test_selector_interface(fitted):
    pd = pytest.importorskip("pandas", reason="python3-pandas is optional")
    X, y, _ = fitted
    names = [f"c{j}" for j in range(10)]
    df = pd.DataFrame(X, columns=names)
    est = fsnsa.FSNSAClassifier(**KW).fit(df, y)
    assert list(est.feature_names_in_) == names
    mask = est.get_support()
    assert list(est.get_support(indices=True)) == list(np.flatnonzero(mask))
    assert (est.transform(df) == X[:, mask]).all()
    assert list(est.get_feature_names_out()) == ["c0", "c1"]
    assert est.inverse_transform(est.transform(df)).shape == X.shape


def test_methods_without_feature_selection_keep_every_column():
    X, y = xor_data(200, 4)
    est = fsnsa.FSNSAClassifier(method="nsa", epochs=20, start_hidden=32,
                                hidden=8).fit(X, y)
    assert est.support_.all() and (est.drop_epochs_ == 0).all()
    np.testing.assert_allclose(est.feature_importances_,
                               relevance_from_weights(est), rtol=1e-5)


def test_restarts_keep_the_lowest_loss_and_score_stability():
    X, y = xor_data(300, 6, seed=2)
    kw = dict(epochs=30, start_hidden=32, hidden=8, n_features=2,
              keep_going=True, random_state=5)
    runs = [fsnsa.FSNSAClassifier(**{**kw, "random_state": 5 + i})
            .fit(X, y) for i in range(3)]
    best = min(runs, key=lambda e: (e.loss_, e.random_state))
    want = np.mean([e.support_ for e in runs], axis=0)
    for threads in (1, 2):
        est = fsnsa.FSNSAClassifier(restarts=3, threads=threads,
                                    **kw).fit(X, y)
        assert (est.predict_proba(X) == best.predict_proba(X)).all()
        np.testing.assert_allclose(est.stability_, want, rtol=1e-6)
        assert est.loss_ == best.loss_ and est.selection_path_ == []
    assert runs[0].stability_ is None
    with pytest.raises(ValueError, match="restarts"):
        fsnsa.FSNSAClassifier(restarts=0).fit(X, y)

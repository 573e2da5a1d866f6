"""A fitted fsnsa_model owned by Python: fit from arrays, predict, save,
load, the text of its model file, and what the estimator reads from it."""
import ctypes
import os
import tempfile
from ctypes import POINTER, byref, c_char_p, c_double, c_float, c_void_p

import numpy as np

from . import _lib
from ._lib import lib


def _strings(values):
    arr = (c_char_p * len(values))()
    arr[:] = [str(v).encode() for v in values]
    return arr


class Dataset:
    """An fsnsa_dataset built from a float32 C-ordered matrix (copied by
    the library), freed with the object."""

    def __init__(self, X, y=None, n_classes=0):
        self.ptr = c_void_p()
        err = _lib.Error()
        n, p = X.shape
        self.n = n
        st = lib.fsnsa_dataset_from_arrays(
            n, p, X.ctypes.data, None if y is None else y.ctypes.data,
            n_classes, byref(self.ptr), byref(err))
        _lib.raise_for(st, err)

    def set_names(self, columns, classes):
        err = _lib.Error()
        st = lib.fsnsa_dataset_set_names(self.ptr, _strings(columns), None,
                                         _strings(classes), byref(err))
        _lib.raise_for(st, err)

    def set_target(self, t):
        """Make it a regression data set with the targets t (float32)."""
        err = _lib.Error()
        st = lib.fsnsa_dataset_set_target(self.ptr, t.ctypes.data, byref(err))
        _lib.raise_for(st, err)

    def __del__(self):
        if getattr(self, "ptr", None):
            lib.fsnsa_dataset_free(self.ptr)
            self.ptr = None


class Model:
    def __init__(self, ptr):
        self.ptr = ptr

    def __del__(self):
        if getattr(self, "ptr", None):
            lib.fsnsa_model_free(self.ptr)
            self.ptr = None

    @classmethod
    def fit(cls, data, options):
        """fsnsa_model_fit; the GIL is released for the call (ctypes CDLL
        releases it around every foreign call)."""
        out = POINTER(_lib.Model)()
        rep = _lib.TrainReport()
        err = _lib.Error()
        st = lib.fsnsa_model_fit(data.ptr, byref(options), None, byref(out),
                                 byref(rep), byref(err))
        model = cls(out) if out else None
        if st == _lib.ERR_NUMERIC and model is not None:
            # keep_going: the library hands back the model it kept
            return model, rep, err.msg.decode("utf-8", "replace")
        _lib.raise_for(st, err)
        return model, rep, None

    @classmethod
    def fit_restarts(cls, data, options):
        """fsnsa_model_fit_restarts: options.restarts runs, the lowest
        final training loss kept, with each column's stability."""
        out = POINTER(_lib.Model)()
        err = _lib.Error()
        st = lib.fsnsa_model_fit_restarts(data.ptr, byref(options),
                                          byref(out), None, byref(err))
        model = cls(out) if out else None
        _lib.raise_for(st, err)
        return model

    def stability(self):
        """Per encoded column the fraction of the restarts that kept it,
        None when the model was not fitted with restarts."""
        m = self.m
        if not m.stability:
            return None
        p = self.net.p_in
        return np.ctypeslib.as_array(m.stability, (p,)).astype(np.float64)

    def recall(self):
        """(recall, balanced_accuracy, rows) as the model records them
        (format 1.4): per class id the share of its rows predicted as it
        (NaN for a class without rows), their mean over the classes with
        rows, and "validation" or "training", the rows they were measured
        on at the end of the fit. None when not recorded (a regression
        model, an older file)."""
        m = self.m
        if not m.recall:
            return None
        k = self.net.n_classes
        return (np.ctypeslib.as_array(m.recall, (k,)).copy(),
                float(m.balanced_accuracy),
                "validation" if m.recall_on_validation else "training")

    def selection(self, which="features"):
        """The curve that chose k ("features") or h ("hidden") by
        cross-validation as the model records it (format 1.5), the dict
        select_features returns; None when the size was given."""
        r = getattr(self.m, "select_" + which)
        return _curve(r) if r.n_sizes else None

    def set_selection(self, features, hidden=None):
        """Record in the model the curves (select_features' and
        select_hidden's dicts, None for a size that was given) that chose
        its k and its h, so that its file carries them
        (fsnsa_model_set_selection)."""
        keep = []  # the arrays the results point into, until the call
        rs = [None if c is None else _result(c, keep)
              for c in (features, hidden)]
        err = _lib.Error()
        _lib.raise_for(lib.fsnsa_model_set_selection(
            self.ptr, *[None if r is None else byref(r) for r in rs],
            byref(err)), err)

    @classmethod
    def load(cls, path):
        out = POINTER(_lib.Model)()
        err = _lib.Error()
        st = lib.fsnsa_model_load(os.fsencode(path), byref(out), byref(err))
        _lib.raise_for(st, err)
        return cls(out)

    @classmethod
    def from_text(cls, text):
        with tempfile.TemporaryDirectory(prefix="fsnsa-") as d:
            path = os.path.join(d, "model")
            with open(path, "wb") as f:
                f.write(text)
            return cls.load(path)

    def save(self, path):
        err = _lib.Error()
        st = lib.fsnsa_model_save(self.ptr, os.fsencode(path), byref(err))
        _lib.raise_for(st, err)

    def text(self):
        with tempfile.TemporaryDirectory(prefix="fsnsa-") as d:
            path = os.path.join(d, "model")
            self.save(path)
            with open(path, "rb") as f:
                return f.read()

    @property
    def m(self):
        return self.ptr.contents

    @property
    def net(self):
        return self.m.net.contents

    def predict_proba(self, X):
        n = X.shape[0]
        k = self.net.n_classes
        prob = np.empty((n, k), dtype=np.float32)
        if n == 0:
            return prob
        data = Dataset(X)
        err = _lib.Error()
        st = lib.fsnsa_model_predict(self.ptr, data.ptr, prob.ctypes.data,
                                     byref(err))
        _lib.raise_for(st, err)
        return prob

    def predict_values(self, X):
        """A regression model's predictions, in the target's units."""
        return self.predict_proba(X)[:, 0]

    def class_names(self):
        s = self.m.schema
        return [s.class_names[i].decode() for i in range(s.n_classes)]

    def feature_names(self):
        s = self.m.schema
        out = POINTER(c_char_p)()
        err = _lib.Error()
        _lib.raise_for(lib.fsnsa_schema_feature_names(
            byref(s), byref(out), byref(err)), err)
        try:
            return [out[i].decode() for i in range(s.p)]
        finally:
            lib.fsnsa_strings_free(out, s.p)

    def features(self):
        """Indices of the kept encoded columns, ascending."""
        net = self.net
        return np.ctypeslib.as_array(net.features, (net.p,)).astype(np.intp)

    def feature_scores(self):
        """Relevance r_i (Eq. 4) of each kept feature, after the nodes are
        normalized (Eq. 3) as `fsnsa inspect` and the pruning rank them."""
        net = POINTER(_lib.Net)()
        err = _lib.Error()
        _lib.raise_for(lib.fsnsa_net_copy(self.m.net, byref(net), byref(err)),
                       err)
        try:
            lib.fsnsa_net_normalize(net)
            out = (c_float * max(net.contents.p, 1))()
            lib.fsnsa_net_feature_scores(net, out)
            return np.array(out[:net.contents.p], dtype=np.float64)
        finally:
            lib.fsnsa_net_free(net)

    def importance(self):
        """(order, drop_epoch, relevance) over every encoded column as the
        model records them (format 1.2): the library's ranking
        (fsnsa_model_importance_order, the order of `fsnsa inspect`), the
        epoch that dropped each column (0: kept) and its r_i then. None
        when the model does not record them (an older file)."""
        m = self.m
        if not m.drop_epoch:
            return None
        p = self.net.p_in
        order = (ctypes.c_size_t * max(p, 1))()
        err = _lib.Error()
        _lib.raise_for(lib.fsnsa_model_importance_order(self.ptr, order,
                                                        byref(err)), err)
        return (np.array(order[:p], dtype=np.intp),
                np.ctypeslib.as_array(m.drop_epoch, (p,)).copy(),
                np.ctypeslib.as_array(m.relevance, (p,)).astype(np.float64))


def select_options_default():
    """fsnsa_select_options_default: the folds, fine-tune epochs and
    candidate sizes (n_sizes 0: the two-ended path of fsnsa_select_path)."""
    so = _lib.SelectOptions()
    lib.fsnsa_select_options_default(byref(so))
    return so


def select_features(data, options, folds, epochs, sizes,
                    score=0, rule=0):
    """fsnsa_select_features on data (a classification Dataset) with
    options (fsa or fsa-nsa): k by stratified cross-validation and rule
    (FSNSA_SELECT_RULE_ONE_SE 0, _MIN 1). Returns (k, curve): curve a
    dict of numpy arrays sizes (ascending), mean and se (the mean held-out
    loss per size and its standard error), fold_loss (folds x sizes),
    chosen (the index) and rule (its name)."""
    so = select_options_default()
    so.finetune_epochs = epochs
    so.score = score  # FSNSA_SELECT_SCORE_PATH 0, _REFIT 1
    so.rule = rule
    return _select(lib.fsnsa_select_features, data, options, so, folds,
                   sizes, "n_features='auto': no candidate size")


def select_hidden_default():
    """fsnsa_select_hidden_default: the candidate node counts that
    select_hidden tries when given none."""
    n = ctypes.c_size_t()
    arr = lib.fsnsa_select_hidden_default(byref(n))
    return [int(arr[i]) for i in range(n.value)]


def select_hidden(data, options, folds, sizes, rule=0):
    """fsnsa_select_hidden on data (a classification Dataset) with
    options (any method): h by stratified cross-validation, one full
    training per fold and candidate (sizes; None: the library's default
    ones up to start_hidden), and rule as select_features. Returns (h,
    curve) as select_features does."""
    so = select_options_default()
    so.rule = rule
    return _select(lib.fsnsa_select_hidden, data, options, so, folds, sizes,
                   "hidden='auto': no candidate node count")


def _select(fn, data, options, so, folds, sizes, none_finite):
    """fn (fsnsa_select_features or fsnsa_select_hidden) with so's folds
    and candidate sizes set; (the chosen size, its curve)."""
    so.folds = folds
    arr = None
    if sizes is not None:
        arr = (ctypes.c_size_t * len(sizes))(*sizes)
        so.n_sizes, so.sizes = len(sizes), arr
    r = _lib.SelectResult()
    err = _lib.Error()
    st = fn(data.ptr, byref(options), byref(so), byref(r), byref(err))
    try:
        _lib.raise_for(st, err)
        curve = _curve(r)
        if r.chosen >= r.n_sizes:
            raise RuntimeError(none_finite + " trained to a finite "
                               "held-out loss")
        return int(r.k), curve
    finally:
        lib.fsnsa_select_result_clear(byref(r))


def _result(c, keep):
    """A curve dict as an fsnsa_select_result pointing into arrays that
    are appended to keep (the caller holds them during the call)."""
    sizes = np.ascontiguousarray(c["sizes"], dtype=np.uintp)
    mean, se, fold_loss = (np.ascontiguousarray(c[key], dtype=np.float64)
                           for key in ("mean", "se", "fold_loss"))
    keep += [sizes, mean, se, fold_loss]
    r = _lib.SelectResult()
    r.n_sizes, r.folds = len(sizes), fold_loss.shape[0]
    r.sizes = sizes.ctypes.data_as(POINTER(ctypes.c_size_t))
    r.mean, r.se, r.fold_loss = (a.ctypes.data_as(POINTER(c_double))
                                 for a in (mean, se, fold_loss))
    r.chosen = c["chosen"]
    r.k = int(sizes[r.chosen])
    r.rule = _lib.parse("select_rule", c.get("rule", "one-se"), "rule")
    return r


def _curve(r):
    """An fsnsa_select_result as a dict of numpy arrays (copies): sizes,
    mean, se, fold_loss (folds x sizes), chosen (the index) and rule (the
    name of the rule that chose)."""
    n, f = r.n_sizes, r.folds

    def get(ptr, shape, dtype):
        return np.ctypeslib.as_array(ptr, shape).astype(dtype)
    return dict(sizes=get(r.sizes, (n,), np.intp),
                mean=get(r.mean, (n,), np.float64),
                se=get(r.se, (n,), np.float64),
                fold_loss=get(r.fold_loss, (f, n), np.float64),
                chosen=int(r.chosen),
                rule=_lib.name("select_rule", r.rule))


def default_options():
    o = _lib.FitOptions()
    lib.fsnsa_fit_options_default(byref(o))
    return o


__all__ = ["Dataset", "Model", "default_options", "select_features",
           "select_hidden", "select_hidden_default",
           "select_options_default", "ctypes"]

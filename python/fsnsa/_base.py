"""What FSNSAClassifier and FSNSARegressor share: the options of `fsnsa
train` as keyword arguments, the checks of X, the fit through the library
(fsnsa_model_fit, or fsnsa_model_fit_restarts), the selected columns and
their importances, saving and pickling."""
import numbers
import sys
import warnings

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin
from sklearn.utils.validation import check_is_fitted

from . import _lib
from ._inputs import check_values, refuse_non_numeric
from ._interrupt import run_stoppable
from ._model import (Model, default_options, select_features,
                     select_hidden, select_options_default)

# The defaults are the library's (fsnsa_fit_options_default), read once at
# import, so that they cannot drift from `fsnsa train --help`. The library's
# 0 ("automatic") for hidden and features is None here; n_features="auto"
# chooses k by cross-validation (fsnsa_select_features, with the select_*
# keywords: fsnsa_select_options_default, where None for select_sizes is
# the library's two-ended path, fsnsa_select_path); hidden="auto" chooses h
# after k (fsnsa_select_hidden, where None for select_hidden is the
# library's fsnsa_select_hidden_default).
_D = default_options()
_T = _D.train
_S = select_options_default()
DEFAULTS = dict(
    method=_lib.name("method", _T.method),
    variant=_lib.name("variant", _T.variant),
    n_features=_T.features or None,
    hidden=_T.hidden or None,
    start_hidden=int(_T.start_hidden),
    epochs=int(_T.epochs),
    mu=float(_T.mu),
    batch_size=int(_T.batch) if _T.batch else "full",
    learning_rate=float(_T.lr),
    weight_decay=float(_T.weight_decay),
    shuffle=bool(_T.shuffle),
    scale=_lib.name("scale", _D.scale),
    missing=_lib.name("missing", _D.missing),
    random_state=int(_T.seed),
    restarts=int(_D.restarts),
    threads=int(_D.threads),
    select_folds=int(_S.folds),
    select_epochs=int(_S.finetune_epochs),
    select_sizes=None,
    select_hidden=None,
    select_score=_lib.name("select_score", _S.score),
    select_rule=_lib.name("select_rule", _S.rule),
    refit=_lib.name("refit", _D.refit),
)

# The methods whose k fsnsa_select_features can choose.
_SELECTING = ("fsa", "fsa-nsa")


def _size(value, param, allow_none):
    if value is None and allow_none:
        return 0
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) \
            and value > 0:
        return int(value)
    raise ValueError(f"{param}={value!r}: expected a positive integer"
                     + (" or None (automatic)" if allow_none else ""))


def _size_or_auto(value, param):
    """_size for n_features and hidden, whose "auto" the caller handles."""
    if isinstance(value, str):
        raise ValueError(f"{param}={value!r}: expected a positive integer, "
                         "None (automatic) or 'auto' (by cross-validation)")
    return _size(value, param, True)


def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _sizes(value, param):
    """A list of candidate sizes as the library takes it (None: the
    library's own)."""
    if value is None:
        return None
    sizes = list(np.atleast_1d(value)) if not isinstance(
        value, (list, tuple)) else list(value)
    if not sizes or not all(_is_int(c) and c > 0 for c in sizes):
        raise ValueError(f"{param}={value!r}: expected None or a non-empty "
                         "list of positive integers")
    return [int(c) for c in sizes]


def _seed(random_state):
    if random_state is None or isinstance(random_state, np.random.RandomState):
        rs = np.random.RandomState() if random_state is None else random_state
        return int(rs.randint(0, 2**31 - 1))
    if isinstance(random_state, numbers.Integral) and random_state >= 0:
        return int(random_state)
    raise ValueError(f"random_state={random_state!r}: expected a "
                     "non-negative integer, a RandomState or None")


class FSNSAEstimator(SelectorMixin, BaseEstimator):
    """A one-hidden-layer ReLU network trained with node and/or feature
    selection with annealing (`fsnsa train`). Every keyword mirrors an
    option of `fsnsa train` with the same default (DEFAULTS)."""

    _task = 0  # FSNSA_TASK_CLASSIFICATION; the regressor sets its own

    def __init__(self, *, method=DEFAULTS["method"],
                 n_features=DEFAULTS["n_features"],
                 hidden=DEFAULTS["hidden"],
                 start_hidden=DEFAULTS["start_hidden"],
                 epochs=DEFAULTS["epochs"], mu=DEFAULTS["mu"],
                 batch_size=DEFAULTS["batch_size"],
                 learning_rate=DEFAULTS["learning_rate"],
                 weight_decay=DEFAULTS["weight_decay"],
                 shuffle=DEFAULTS["shuffle"], scale=DEFAULTS["scale"],
                 missing=DEFAULTS["missing"],
                 random_state=DEFAULTS["random_state"], keep_going=False,
                 verbose=False, restarts=DEFAULTS["restarts"],
                 threads=DEFAULTS["threads"],
                 select_folds=DEFAULTS["select_folds"],
                 select_epochs=DEFAULTS["select_epochs"],
                 select_sizes=DEFAULTS["select_sizes"],
                 select_hidden=DEFAULTS["select_hidden"],
                 variant=DEFAULTS["variant"], refit=DEFAULTS["refit"],
                 select_score=DEFAULTS["select_score"],
                 select_rule=DEFAULTS["select_rule"]):
        self.method = method
        self.n_features = n_features
        self.hidden = hidden
        self.start_hidden = start_hidden
        self.epochs = epochs
        self.mu = mu
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.shuffle = shuffle
        self.scale = scale
        self.missing = missing
        self.random_state = random_state
        self.keep_going = keep_going
        self.verbose = verbose
        self.restarts = restarts
        self.threads = threads
        self.select_folds = select_folds
        self.select_epochs = select_epochs
        self.select_sizes = select_sizes
        self.select_hidden = select_hidden
        self.variant = variant
        self.refit = refit
        self.select_score = select_score
        self.select_rule = select_rule

    # -- options -------------------------------------------------------
    def _options(self):
        o = default_options()
        t = o.train
        t.task = self._task
        t.method = _lib.parse("method", self.method, "method")
        t.variant = _lib.parse("variant", self.variant, "variant")
        t.features = 0 if self._auto_k() else \
            _size_or_auto(self.n_features, "n_features")
        t.start_hidden = _size(self.start_hidden, "start_hidden", False)
        t.hidden = self._hidden_until_chosen(t) if self._auto_h() else \
            _size_or_auto(self.hidden, "hidden")
        if not isinstance(self.epochs, numbers.Integral) or self.epochs < 0:
            raise ValueError(f"epochs={self.epochs!r}: expected an integer "
                             ">= 0")
        t.epochs = int(self.epochs)
        t.mu = float(self.mu)
        t.batch = 0 if self.batch_size in ("full", None) else \
            _size(self.batch_size, "batch_size", False)
        t.lr = float(self.learning_rate)
        t.weight_decay = float(self.weight_decay)
        t.shuffle = 1 if self.shuffle else 0
        t.seed = _seed(self.random_state)
        t.keep_going = 1 if self.keep_going else 0
        o.scale = _lib.parse("scale", self.scale, "scale")
        o.missing = _lib.parse("missing", self.missing, "missing")
        o.restarts = _size(self.restarts, "restarts", False)
        o.threads = _size(self.threads, "threads", False)
        o.refit = _lib.parse("refit", self.refit, "refit")
        return o

    def _auto_k(self):
        """Whether n_features is "auto"; refused where the library cannot
        choose k (a method that keeps every feature, or regression)."""
        if not (isinstance(self.n_features, str) and
                self.n_features == "auto"):
            return False
        if self._task != 0:
            raise ValueError("n_features='auto' is for FSNSAClassifier: the "
                             "library's choice of k by cross-validation "
                             "stratifies its folds by class; give "
                             "FSNSARegressor an integer n_features")
        method = _lib.name("method", _lib.parse("method", self.method,
                                                "method"))
        if method not in _SELECTING:
            raise ValueError(f"n_features='auto' chooses k for method "
                             f"{' or '.join(map(repr, _SELECTING))}; got "
                             f"method={self.method!r}")
        return True

    def _auto_h(self):
        """Whether hidden is "auto"; refused for regression, where the
        library cannot choose h."""
        if not (isinstance(self.hidden, str) and self.hidden == "auto"):
            return False
        if self._task != 0:
            raise ValueError("hidden='auto' is for FSNSAClassifier: the "
                             "library's choice of h by cross-validation "
                             "stratifies its folds by class; give "
                             "FSNSARegressor an integer hidden")
        return True

    def _hidden_until_chosen(self, t):
        """hidden="auto" before h is chosen (after k), as `fsnsa train
        --hidden auto` has it: the default, at most start_hidden; the
        select_hidden values checked first."""
        self._hidden_args()
        default = _lib.lib.fsnsa_train_default_hidden(t.method)
        return t.start_hidden if default > t.start_hidden else 0

    def _folds(self):
        folds = self.select_folds
        if not _is_int(folds) or folds < 2:
            raise ValueError(f"select_folds={folds!r}: expected an integer "
                             ">= 2")
        return int(folds)

    def _hidden_args(self):
        """select_folds, select_hidden and select_rule as
        fsnsa_select_hidden takes them (the library checks each count
        against start_hidden)."""
        return (self._folds(), _sizes(self.select_hidden, "select_hidden"),
                self._rule())

    def _rule(self):
        """select_rule as the library's fsnsa_select_rule."""
        return _lib.parse("select_rule", self.select_rule, "select_rule")

    def _select_args(self):
        """select_folds, select_epochs, select_sizes, select_score and
        select_rule as the library takes them (the library checks folds
        against the rows and each size against the columns)."""
        folds, epochs = self._folds(), self.select_epochs
        if not _is_int(epochs) or epochs < 1:
            raise ValueError(f"select_epochs={epochs!r}: expected an "
                             "integer >= 1")
        score = _lib.parse("select_score", self.select_score, "select_score")
        return (folds, int(epochs), _sizes(self.select_sizes, "select_sizes"),
                score, self._rule())

    def _choose_k(self, data, options):
        """n_features="auto": k by fsnsa_select_features on data (the
        training rows) with the estimator's options (threads, seed), set
        into options; selection_curve_ and n_features_selected_ kept."""
        folds, epochs, sizes, score, rule = self._select_args()
        k, curve = run_stoppable(select_features, options, data, options,
                                 folds, epochs, sizes, score, rule)
        options.train.features = k
        self.selection_curve_ = curve
        self.n_features_selected_ = k
        if self.verbose:
            _print_curve(curve, data.n, "features", "size",
                         f"{epochs} fine-tune epochs per size")

    def _choose_h(self, data, options):
        """hidden="auto": h by fsnsa_select_hidden on data at options'
        k (chosen first when n_features is "auto"), set into options;
        hidden_selection_curve_ and n_hidden_selected_ kept."""
        folds, sizes, rule = self._hidden_args()
        h, curve = run_stoppable(select_hidden, options, data, options,
                                 folds, sizes, rule)
        options.train.hidden = h
        self.hidden_selection_curve_ = curve
        self.n_hidden_selected_ = h
        if self.verbose:
            _print_curve(curve, data.n, "hidden", "nodes",
                         "one training per fold and node count")

    # -- data ----------------------------------------------------------
    def _check_X(self, X, reset, y=None):
        """X as one C-ordered float32 matrix (at most one conversion: none
        for C-ordered float32), its values checked here so that the
        message names the row and column."""
        refuse_non_numeric(X, type(self).__name__)
        kw = dict(dtype=[np.float32, np.float64], force_all_finite=False,
                  reset=reset)
        if y is None:
            X = self._validate_data(X, **kw)
        else:
            X, y = self._validate_data(X, y, **kw)
        with np.errstate(over="ignore"):  # check_values names the value
            X32 = np.ascontiguousarray(X, dtype=np.float32)
        check_values(X32, X, self.missing,
                     getattr(self, "feature_names_in_", None))
        return X32 if y is None else (X32, y)

    def _start_fit(self, X, y):
        """Forget a previous fit; the options, X and y checked."""
        for attr in ("model_", "classes_", "selection_path_", "loss_",
                     "n_iter_", "selection_curve_", "n_features_selected_",
                     "hidden_selection_curve_", "n_hidden_selected_"):
            self.__dict__.pop(attr, None)
        options = self._options()
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be "
                             "passed, but the target y is None")
        X, y = self._check_X(X, True, y)
        return options, X, y

    def _fit_data(self, data, options):
        """Train on an fsnsa_dataset; sets model_, selection_path_, loss_
        and n_iter_ (the subclass sets what is its own first)."""
        path = []
        verbose = bool(self.verbose)
        keep = _lib.EPOCH_FN(
            lambda info, ctx: self._on_epoch(info, path, verbose))
        options.train.on_epoch = keep
        if options.restarts > 1:
            # the runs go at once: the library calls no epoch callback
            model = run_stoppable(Model.fit_restarts, options, data, options)
            loss, epochs = model.m.train_loss, model.m.options.epochs
        else:
            model, report, failure = run_stoppable(Model.fit, options, data,
                                                   options)
            if failure is not None:
                warnings.warn(f"kept anyway (keep_going): {failure}",
                              RuntimeWarning)
            loss, epochs = report.loss, report.epochs
        self._set_model(model)
        self.selection_path_ = path
        self.loss_ = float(loss)
        self.n_iter_ = int(epochs)

    @staticmethod
    def _on_epoch(info, path, verbose):
        # Runs on the fitting thread with the GIL taken by ctypes. An
        # exception here cannot cross the C frames: it stops the training
        # (the library returns INTERRUPTED, a RuntimeError).
        try:
            i = info.contents
            path.append(dict(epoch=i.epoch, nodes=int(i.hidden),
                             features=int(i.features), loss=float(i.loss),
                             seconds=float(i.seconds),
                             feature_ids=_ids(i.feature_ids, i.features),
                             dropped_ids=_ids(i.dropped_ids, i.n_dropped)))
            if verbose:  # the line of `fsnsa train --verbose`
                print(f"epoch {i.epoch}/{i.epochs}  nodes {i.hidden}  "
                      f"features {i.features}  loss {i.loss:.6f}  "
                      f"{i.seconds:.3f} s", file=sys.stderr, flush=True)
            return 0
        except BaseException:
            return 1

    def _set_model(self, model):
        self.model_ = model
        self.n_features_in_ = int(model.net.p_in)

    # -- selection -----------------------------------------------------
    def _get_support_mask(self):
        check_is_fitted(self, "model_")
        mask = np.zeros(self.n_features_in_, dtype=bool)
        mask[self.model_.features()] = True
        return mask

    @property
    def support_(self):
        return self._get_support_mask()

    @property
    def feature_importances_(self):
        """A value for every input column, ranking them as `fsnsa inspect`
        does (fsnsa_model_importance_order): a kept column has its
        relevance r_i (Eq. 4, after Eq. 3) in the final network; the d
        dropped ones share the interval below the smallest kept r_i,
        lowest * (d - j) / (d + 1) for the j-th of them (j = 0 the last
        dropped; within an epoch by their r_i then), so the later a column
        was dropped the larger its value. A model file that does not record
        the drops (format 1.1) gives the dropped columns 0."""
        check_is_fitted(self, "model_")
        imp = np.zeros(self.n_features_in_)
        rec = self.model_.importance()
        if rec is None:
            imp[self.model_.features()] = self.model_.feature_scores()
            return imp
        order, drop_epoch, relevance = rec
        kept = drop_epoch == 0
        imp[kept] = relevance[kept]
        dropped = order[~kept[order]]
        d = len(dropped)
        if d:
            low = relevance[kept].min() if kept.any() else 1.0
            rank = np.arange(d, 0, -1, dtype=np.float64)
            # a kept column at r_i = 0 leaves no room above 0: go below it
            imp[dropped] = low * rank / (d + 1) if low > 0 else rank - d - 1
        return imp

    @property
    def stability_(self):
        """With restarts > 1, per input column the fraction of the runs
        that kept it (stability selection); None otherwise."""
        check_is_fitted(self, "model_")
        return self.model_.stability()

    @property
    def drop_epochs_(self):
        """Per input column the epoch after whose pruning it was dropped,
        0 for a kept one (None when the model file does not record it)."""
        check_is_fitted(self, "model_")
        rec = self.model_.importance()
        return None if rec is None else rec[1]

    # -- files and pickling --------------------------------------------
    def save(self, path):
        """Write the model file `fsnsa predict` and `fsnsa inspect` read."""
        check_is_fitted(self, "model_")
        self.model_.save(path)

    def __getstate__(self):
        state = dict(self.__dict__)
        if "model_" in state:
            state["model_"] = state["model_"].text()
        return state

    def __setstate__(self, state):
        if "model_" in state:
            state["model_"] = Model.from_text(state["model_"])
        self.__dict__.update(state)

    def _tags(self):
        return {"allow_nan": self.missing != "refuse",
                "requires_y": True}


def _print_curve(c, rows, option, column, how):
    """The curve as `fsnsa train --features auto` (option "features",
    column "size") or `--hidden auto` ("hidden", "nodes") prints it
    (without the seconds)."""
    lo = int(np.argmin(np.where(np.isfinite(c["mean"]), c["mean"], np.inf)))
    print(f"{option} auto: {c['fold_loss'].shape[0]}-fold cross-validation "
          f"on {rows} training rows, {how}", file=sys.stderr)
    print(f"  {column:<5} held-out loss  se", file=sys.stderr)
    for i, (size, mean, se) in enumerate(zip(c["sizes"], c["mean"],
                                             c["se"])):
        mark = ("  <- chosen, lowest" if i == c["chosen"] == lo else
                "  <- chosen (one-SE)" if i == c["chosen"] else
                "  <- lowest" if i == lo else "")
        print(f"  {size:4d}  {mean:<13.6f}  {se:.6f}{mark}", file=sys.stderr)
    sys.stderr.flush()


def _ids(ptr, n):
    if not n:
        return np.empty(0, dtype=np.intp)
    return np.ctypeslib.as_array(ptr, (n,)).astype(np.intp)


def estimator_kwargs(model):
    """The keyword arguments a model file was trained with."""
    t = model.m.options
    return dict(
        method=_lib.name("method", t.method), n_features=int(t.features) or None,
        hidden=int(t.hidden), start_hidden=int(t.start_hidden),
        epochs=int(t.epochs), mu=float(t.mu),
        batch_size=int(t.batch) if t.batch else "full",
        learning_rate=float(t.lr), weight_decay=float(t.weight_decay),
        shuffle=bool(t.shuffle), missing=_lib.name("missing", model.m.missing),
        scale=_lib.name("scale", model.m.scaler.kind),
        random_state=int(t.seed))


def restore(est, model):
    """est as fitted with model (loaded from a file): with the curves that
    chose k (selection_curve_, n_features_selected_) and h
    (hidden_selection_curve_, n_hidden_selected_) when the file records
    them (format 1.5)."""
    est._set_model(model)
    est.loss_ = float(model.m.train_loss)
    est.n_iter_ = int(model.m.options.epochs)
    est.feature_names_model_ = np.array(model.feature_names(), dtype=object)
    for which, curve_attr, size_attr in (
            ("features", "selection_curve_", "n_features_selected_"),
            ("hidden", "hidden_selection_curve_", "n_hidden_selected_")):
        curve = model.selection(which)
        if curve is not None:
            setattr(est, curve_attr, curve)
            setattr(est, size_attr, int(curve["sizes"][curve["chosen"]]))
    return est

"""What the estimator accepts as X beyond scikit-learn's own checks: the
library reads float32 numbers, so a DataFrame's non-numeric column is
refused by name, and a value float32 cannot hold (NaN unless `missing`
imputes it, inf, a float64 beyond float32's range) by row and column."""
import numpy as np

_NUMERIC_KINDS = "biuf"  # bool, signed, unsigned, float


def refuse_non_numeric(X, estimator):
    """ValueError naming the first column of a DataFrame that is not
    numbers (categorical, string, object, datetime), and the estimator
    (its class name) that refuses it."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(X, "columns") \
            or not hasattr(dtypes, "items"):
        return
    for name, dt in dtypes.items():
        if getattr(dt, "kind", "O") not in _NUMERIC_KINDS:
            raise ValueError(
                f"column {name!r} holds {dt} values; {estimator} reads "
                "numbers only: one-hot encode it first (pandas.get_dummies("
                f"X, columns=[{name!r}]) or sklearn's OneHotEncoder in a "
                "Pipeline), or train on the file with `fsnsa train`, which "
                "one-hot encodes nominal columns itself (docs/python.md)")


def _where(X, bad, names):
    i, j = (int(v) for v in np.argwhere(bad)[0])
    col = f"column {j}"
    if names is not None and j < len(names):
        col += f" ({names[j]!r})"
    return i, j, f"row {i}, {col}"


def check_values(X32, X, missing, names=None):
    """ValueError for the first entry of X32 (X as float32) the library
    would refuse. The message says NaN or inf, as scikit-learn's checks
    expect."""
    finite = np.isfinite(X32)
    if finite.all():
        return
    bad = ~finite
    if missing != "refuse":
        bad &= ~np.isnan(X32)
        if not bad.any():
            return
    i, j, where = _where(X32, bad, names)
    v = X[i, j]
    if np.isnan(v):
        raise ValueError(f"X has NaN (a missing value) at {where}: pass "
                         "missing='mean' or missing='zero' to impute "
                         "missing values")
    if np.isinf(v):
        raise ValueError(f"X has inf at {where}")
    raise ValueError(f"X has {float(v)!r} at {where}, beyond float32's "
                     "range (it would be inf)")

"""fsnsa from Python: the library (libfsnsa.so.0) through ctypes, with
scikit-learn estimators. docs/python.md says how it is found and used."""
from ._lib import lib  # noqa: F401  (loads the library, or ImportError)
from .classifier import DEFAULTS, FSNSAClassifier, load
from .regressor import FSNSARegressor

__version__ = "0.1.0"
__all__ = ["FSNSAClassifier", "FSNSARegressor", "load", "DEFAULTS"]

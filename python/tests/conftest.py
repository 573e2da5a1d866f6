"""Shared fixtures: the command next to the library, and small data sets."""
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def fsnsa_bin():
    path = os.environ.get("FSNSA_BIN") or str(ROOT / "build" / "fsnsa")
    if not os.access(path, os.X_OK):
        pytest.skip(f"the command {path} is not built (make)")
    return path


def xor_data(n=400, p=6, seed=0, dtype=np.float32):
    """XOR of the first two columns, the rest noise; float32-exact values."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, (n, p)).astype(np.float32).astype(dtype)
    y = np.where(X[:, 0] * X[:, 1] > 0, "pos", "neg")
    return X, y


@pytest.fixture
def xor():
    return xor_data()


def class_first(X, y, first="neg"):
    """X, y with a row of class first at the top. The command numbers the
    classes in the order the file first shows them, the estimator in sorted
    order (np.unique); the folds of a selection are stratified by that
    number, so the same curve needs the class that sorts first first."""
    i = int(np.flatnonzero(y == first)[0])
    order = np.r_[i, np.delete(np.arange(len(y)), i)]
    return np.ascontiguousarray(X[order]), y[order]


def write_csv(path, X, y=None, names=None):
    names = names or [f"x{j}" for j in range(X.shape[1])]
    with open(path, "w") as f:
        f.write(",".join(names + (["label"] if y is not None else [])) + "\n")
        for i, row in enumerate(X):
            cells = [repr(float(v)) for v in row]
            if y is not None:
                cells.append(str(y[i]))
            f.write(",".join(cells) + "\n")


def has(tool):
    return shutil.which(tool) is not None

#!/usr/bin/python3
"""The Python section of `make bench` (issue 16): FSNSAClassifier.fit
against scikit-learn's MLPClassifier(hidden_layer_sizes=(h,),
solver="adam") at the same epochs, mini-batch, width, learning rate and L2,
and the Python layer's overhead on the same work, measured two ways:

  - fit's wall time against the time of the one library call in it,
    fsnsa_model_fit (scaling, training, the model; timed by wrapping the
    package's Model.fit), and against the training epochs alone (the sum of
    the epochs' seconds the library reports through the epoch callback);
  - fit's wall time against `fsnsa train` on the same rows as a CSV file
    (the command also reads and parses the file and starts a process).

One-hidden-layer dense nets (method="dense"), one thread, one process for
everything; fsnsa and the command the fastest of --repeats runs,
MLPClassifier one run. Workloads: XOR (n 3000, p 15, h 128; y = x0 x1 x2 > 0) and,
not with --quick, an ISOLET-sized table (n 6238, p 617, 26 classes; random
values, the class from the first columns), since only the sizes matter.

  bench/python.py --library build/libfsnsa.so.0 --fsnsa build/fsnsa [--quick]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def xor(n=3000, p=15, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, (n, p)).astype(np.float32)
    return X, (X[:, 0] * X[:, 1] * X[:, 2] > 0).astype(int)


def isolet_sized(n=6238, p=617, k=26, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, p)).astype(np.float32)
    return X, np.argmax(X[:, :k], axis=1)


def write_csv(path, X, y):
    np.savetxt(path, np.column_stack([X.astype(np.float64), y]),
               delimiter=",", fmt=["%.9g"] * X.shape[1] + ["%d"],
               header=",".join([f"x{j}" for j in range(X.shape[1])]
                               + ["label"]), comments="")


def time_fsnsa(X, y, h, epochs, batch):
    import fsnsa
    from fsnsa import _model
    inner = _model.Model.fit.__func__
    spent = []

    def timed(cls, *args):
        t0 = time.perf_counter()
        try:
            return inner(cls, *args)
        finally:
            spent.append(time.perf_counter() - t0)
    _model.Model.fit = classmethod(timed)
    est = fsnsa.FSNSAClassifier(method="dense", hidden=h, epochs=epochs,
                                batch_size=batch, keep_going=True)
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X, y)
    wall = time.perf_counter() - t
    _model.Model.fit = classmethod(inner)
    epochs_s = sum(s["seconds"] for s in est.selection_path_)
    return wall, spent[0], epochs_s, est.score(X, y)


def time_mlp(X, y, h, epochs, batch):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    mlp = MLPClassifier(hidden_layer_sizes=(h,), solver="adam",
                        max_iter=epochs, batch_size=batch,
                        learning_rate_init=1e-3, alpha=1e-4, tol=0.0,
                        n_iter_no_change=epochs + 1, shuffle=True,
                        random_state=1)
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
    return time.perf_counter() - t, mlp.score(X, y)


def time_command(fsnsa_bin, X, y, h, epochs, batch):
    with tempfile.TemporaryDirectory(prefix="fsnsa-bench-") as d:
        data = os.path.join(d, "d.csv")
        write_csv(data, X, y)
        cmd = [fsnsa_bin, "train", "-q", "--method", "dense", "--hidden",
               str(h), "--epochs", str(epochs), "--batch", str(batch),
               "--keep-going", data, os.path.join(d, "m.model")]
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        return time.perf_counter() - t


def workload(name, X, y, h, epochs, batch, fsnsa_bin, repeats):
    # fsnsa and the command: the fastest of the repeats (they are cheap;
    # a shared machine's noise only ever adds); MLPClassifier once.
    wall, call, inside, acc = min(time_fsnsa(X, y, h, epochs, batch)
                                  for _ in range(repeats))
    mlp, mlp_acc = time_mlp(X, y, h, epochs, batch)
    cmd = min(time_command(fsnsa_bin, X, y, h, epochs, batch)
              for _ in range(repeats)) if fsnsa_bin else float("nan")
    return dict(workload=name, n=X.shape[0], p=X.shape[1], h=h,
                epochs=epochs, batch=batch, fsnsa_fit_s=wall,
                model_fit_s=call, epochs_s=inside, command_s=cmd, mlp_fit_s=mlp,
                mlp_over_fsnsa=mlp / wall,
                python_overhead=wall / call - 1,
                over_epochs=wall / inside - 1,
                fit_over_command=wall / cmd,
                fsnsa_train_accuracy=acc, mlp_train_accuracy=mlp_acc)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=
                                 argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--library", help="libfsnsa.so.0 (FSNSA_LIBRARY)")
    ap.add_argument("--fsnsa", help="the command, for the overhead")
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true",
                    help="XOR only, 20 epochs")
    ap.add_argument("--out", default=os.path.join(HERE, "python.json"))
    a = ap.parse_args()
    if a.library:
        os.environ["FSNSA_LIBRARY"] = os.path.abspath(a.library)
    sys.path.insert(0, os.path.join(HERE, "..", "python"))
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("python section skipped: python3-sklearn is not installed "
              "(scripts/deps.sh python)")
        return 0
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    epochs = a.epochs or (20 if a.quick else 300)
    runs = [("XOR", *xor(), 128)]
    if not a.quick:
        runs.append(("ISOLET-sized", *isolet_sized(), 128))
    rows = [workload(n, X, y, h, epochs, 32, a.fsnsa, a.repeats)
            for n, X, y, h in runs]
    print("Python: FSNSAClassifier.fit (dense) vs MLPClassifier(adam), "
          "1 thread")
    print(f"{'workload':14} {'n':>5} {'p':>4} {'h':>4} {'epochs':>6} "
          f"{'fit s':>8} {'MLP s':>8} {'MLP/fit':>8} {'call s':>8} "
          f"{'over':>8} {'epochs s':>8} {'over':>8} {'command s':>9}")
    for r in rows:
        print(f"{r['workload']:14} {r['n']:5} {r['p']:4} {r['h']:4} "
              f"{r['epochs']:6} {r['fsnsa_fit_s']:8.3f} {r['mlp_fit_s']:8.3f} "
              f"{r['mlp_over_fsnsa']:7.1f}x {r['model_fit_s']:8.3f} "
              f"{100 * r['python_overhead']:7.1f}% {r['epochs_s']:8.3f} "
              f"{100 * r['over_epochs']:7.1f}% {r['command_s']:9.3f}")
    with open(a.out, "w") as f:
        json.dump(rows, f, indent=1)
    print("(call s: fsnsa_model_fit inside fit; epochs s: the library's "
          "epoch times; over: fit's wall time above each; command s: fsnsa "
          f"train on the rows as CSV, read included; written to {a.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

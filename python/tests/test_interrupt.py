"""Ctrl-C stops a fit within a second through the library's stop flag and
leaves the estimator unfitted; verbose prints the command's progress
lines."""
import os
import re
import signal
import subprocess
import sys
import threading
import time
import warnings

import pytest

import fsnsa
from conftest import ROOT, xor_data

LONG = dict(epochs=3000, start_hidden=1024, hidden=128, batch_size=32)


def test_keyboard_interrupt_stops_the_fit_and_leaves_it_unfitted():
    X, y = xor_data(2000, 10)
    est = fsnsa.FSNSAClassifier(**LONG)
    sent = {}

    def interrupt():
        sent["at"] = time.monotonic()
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(1.0, interrupt)
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        est.fit(X, y)
    stopped = time.monotonic()
    timer.join()
    assert stopped - sent["at"] < 1.0, "the fit went on after Ctrl-C"
    assert stopped - start < 5
    assert not hasattr(est, "model_") and not hasattr(est, "classes_")
    with pytest.raises(ValueError, match="not fitted"):
        est.predict(X)
    # the estimator still fits afterwards (2 epochs of XOR may end above
    # the class frequencies' loss: kept anyway, with its warning)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.set_params(epochs=2, start_hidden=16, hidden=4,
                       keep_going=True).fit(X, y)
    assert est.n_iter_ == 2


def test_ctrl_c_in_a_script(tmp_path):
    # A real SIGINT to a separate interpreter running the fit as a user's
    # script: the traceback ends in KeyboardInterrupt, promptly (the child
    # tells when it caught it on the same monotonic clock: the time the
    # interpreter then takes to exit is no part of the stop).
    script = tmp_path / "fit.py"
    script.write_text(
        "import sys, time, numpy as np, fsnsa\n"
        "X = np.random.RandomState(0).uniform(-1, 1, (2000, 10))\n"
        "y = X[:, 0] * X[:, 1] > 0\n"
        "est = fsnsa.FSNSAClassifier(epochs=3000, verbose=True)\n"
        "try:\n"
        "    est.fit(X, y)\n"
        "except KeyboardInterrupt:\n"
        "    print(time.monotonic(), hasattr(est, 'model_'), flush=True)\n"
        "    raise\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "python"))
    proc = subprocess.Popen([sys.executable, str(script)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    first = proc.stderr.readline()  # the first epoch's line: training runs
    assert first.startswith("epoch 1/3000"), first
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    caught, fitted = out.split()
    assert float(caught) - sent < 1.0 and fitted == "False"
    assert proc.returncode != 0
    assert err.rstrip().endswith("KeyboardInterrupt")


def test_verbose_prints_the_commands_progress_lines(capsys, fsnsa_bin,
                                                    tmp_path):
    X, y = xor_data(100, 4)
    # numbers: the command orders numeric labels as Python does (sorted),
    # text labels by first appearance
    y = (y == "pos").astype(int)
    fsnsa.FSNSAClassifier(epochs=5, start_hidden=16, hidden=4,
                          keep_going=True, verbose=True).fit(X, y)
    lines = [s for s in capsys.readouterr().err.splitlines()
             if "keep_going" not in s and not s.startswith(" ")]
    line = r"epoch (\d)/5  nodes \d+  features \d+  loss \d+\.\d{6}  " \
        r"\d+\.\d{3} s"
    assert [re.fullmatch(line, s).group(1) for s in lines] == \
        ["1", "2", "3", "4", "5"]
    from conftest import write_csv
    write_csv(tmp_path / "d.csv", X, y)
    cmd = subprocess.run([fsnsa_bin, "train", "--verbose", "--epochs", "5",
                          "--start-hidden", "16", "--hidden", "4", "--keep-going",
                          str(tmp_path / "d.csv"), str(tmp_path / "m")],
                         capture_output=True, text=True, check=True).stderr
    ours = [re.sub(r"\d+\.\d{3} s$", "", s) for s in lines]
    theirs = [re.sub(r"\d+\.\d{3} s$", "", s) for s in cmd.splitlines()
              if s.startswith("epoch ")]
    assert ours == theirs
    fsnsa.FSNSAClassifier(epochs=5, start_hidden=16, hidden=4,
                          keep_going=True).fit(X, y)
    assert "epoch" not in capsys.readouterr().err

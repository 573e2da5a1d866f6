"""The package installs (make install-python; pip --no-build-isolation)
and imports from there, finding the library through FSNSA_LIBRARY."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

PY = "/usr/bin/python3"


def imports_from(site, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(site), PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run(
        [PY, "-c", "import fsnsa, sys; print(fsnsa.__file__); "
         "print(fsnsa.FSNSAClassifier(epochs=2).get_params()['epochs'])"],
        cwd=tmp_path, env=env, check=True, capture_output=True, text=True)
    path, epochs = out.stdout.split()
    assert path.startswith(str(site)) and epochs == "2"


def test_make_install_python(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is absent")
    dest = tmp_path / "dest"
    subprocess.run(["make", "-s", "-C", str(ROOT), "install-python",
                    f"DESTDIR={dest}", "PREFIX=/usr/local"], check=True,
                   capture_output=True)
    v = "python%d.%d" % sys.version_info[:2]
    site = dest / "usr" / "local" / "lib" / v / "dist-packages"
    assert sorted(p.name for p in (site / "fsnsa").iterdir()) == \
        sorted(p.name for p in (ROOT / "python" / "fsnsa").glob("*.py"))
    imports_from(site, tmp_path)


def test_pip_install_no_build_isolation(tmp_path):
    if subprocess.run([PY, "-m", "pip", "--version"],
                      capture_output=True).returncode != 0:
        pytest.skip("python3-pip is not installed (scripts/deps.sh python)")
    # pip builds in the source folder: give it a copy.
    src = tmp_path / "src"
    shutil.copytree(ROOT / "python", src,
                    ignore=shutil.ignore_patterns("tests", "__pycache__"))
    site = tmp_path / "site"
    subprocess.run([PY, "-m", "pip", "install", "-q", "--no-build-isolation",
                    "--no-deps", "--no-index", "--target", str(site),
                    str(src)], check=True, capture_output=True)
    imports_from(site, tmp_path)

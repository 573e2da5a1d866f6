"""The examples of docs/python.md and of the README's "From Python" run as
printed: every python block (in order, one namespace per block, in a
temporary directory), then every `fsnsa ...` line of the sh blocks with
the built command."""
import contextlib
import io
import os
import re
import shlex
import subprocess

import pytest

from conftest import ROOT


def blocks(text, lang):
    return re.findall(r"^```" + lang + r"\n(.*?)^```", text, re.S | re.M)


def section(text, title):
    m = re.search(r"^## " + re.escape(title) + r"\n(.*?)(?=^## |\Z)", text,
                  re.S | re.M)
    assert m, title
    return m.group(1)


def run_examples(text, tmp_path, fsnsa_bin):
    pytest.importorskip("pandas", reason="python3-pandas is optional")
    code = blocks(text, "python")
    assert code
    # In this interpreter (a new one would spend seconds importing
    # scikit-learn), in the temporary directory, printing into a buffer.
    printed = io.StringIO()
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(printed):
            for i, block in enumerate(code):
                exec(compile(block, f"example-{i}", "exec"), {})
    finally:
        os.chdir(here)
    shell = []
    for block in blocks(text, "sh"):
        for line in block.splitlines():
            if line.startswith("fsnsa "):
                args = shlex.split(line.split("#")[0])
                shell.append(subprocess.run(
                    [fsnsa_bin] + args[1:], cwd=tmp_path, check=True,
                    capture_output=True, text=True).stdout)
    return printed.getvalue(), shell


def test_docs_python_md(tmp_path, fsnsa_bin):
    text = (ROOT / "docs" / "python.md").read_text()
    out, shell = run_examples(text, tmp_path, fsnsa_bin)
    selected = re.search(r"selected: \[(.*)\]", out).group(1)
    names = re.findall(r"'([^']*)'", selected)
    assert len(names) == 5
    accuracy = float(re.search(r"test accuracy: (\S+)", out).group(1))
    assert accuracy > 0.9
    assert re.search(r"\{'select__n_features': \d+\} 0\.9", out), out
    # inspect lists the names the Python fit selected
    assert len(shell) == 1 and all(n in shell[0] for n in names)


def test_readme_from_python(tmp_path, fsnsa_bin):
    text = section((ROOT / "README.md").read_text(), "From Python")
    out, _ = run_examples(text, tmp_path, fsnsa_bin)
    assert out.strip()

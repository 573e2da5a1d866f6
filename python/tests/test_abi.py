"""The ctypes mirrors in fsnsa/_lib.py against the C compiler's layout of
include/fsnsa.h: a field added in C and not in Python shifts every later
field and makes the library write past a Python-owned struct."""
import ctypes
import shutil
import subprocess

import pytest

from fsnsa import _lib
from conftest import ROOT

MIRRORS = {"fsnsa_error": _lib.Error, "fsnsa_epoch_info": _lib.EpochInfo,
           "fsnsa_train_options": _lib.TrainOptions,
           "fsnsa_fit_options": _lib.FitOptions,
           "fsnsa_train_report": _lib.TrainReport, "fsnsa_net": _lib.Net,
           "fsnsa_schema": _lib.Schema, "fsnsa_scaler": _lib.Scaler,
           "fsnsa_layout": _lib.Layout, "fsnsa_read_record": _lib.ReadRecord,
           "fsnsa_select_options": _lib.SelectOptions,
           "fsnsa_select_result": _lib.SelectResult,
           "fsnsa_model": _lib.Model}


def c_layout(tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        pytest.skip("no C compiler to read the C layout")
    lines = ['#include <stdio.h>', '#include <stddef.h>', '#include "fsnsa.h"',
             'int main(void) {']
    for name, mirror in MIRRORS.items():
        lines.append(f'printf("{name} size %zu\\n", sizeof({name}));')
        for field, _ in mirror._fields_:
            lines.append(f'printf("{name} {field} %zu\\n", '
                         f'offsetof({name}, {field}));')
    lines.append("return 0; }")
    src = tmp_path / "layout.c"
    src.write_text("\n".join(lines) + "\n")
    exe = tmp_path / "layout"
    subprocess.run([cc, "-std=c11", "-I", str(ROOT / "include"), str(src),
                    "-o", str(exe)], check=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True,
                         text=True).stdout
    return {tuple(line.split()[:2]): int(line.split()[2])
            for line in out.splitlines()}


def test_mirrors_match_the_c_layout(tmp_path):
    c = c_layout(tmp_path)
    for name, mirror in MIRRORS.items():
        assert ctypes.sizeof(mirror) == c[(name, "size")], name
        for field, _ in mirror._fields_:
            assert getattr(mirror, field).offset == c[(name, field)], \
                f"{name}.{field}"

#!/bin/sh
# The Python package's tests (python/tests) with Debian's interpreter, from
# `make test`: skips with one line naming what is missing, otherwise runs
# pytest against the build tree's shared library and command.
# Usage: python/run-tests.sh BUILD_DIR [SAN]
build=$1
san=${2:-0}
py=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "python tests: skipped: $*"; exit 0; }

[ "$san" = 1 ] && skip "not under sanitizers (Debian's python3 is not built with ASan)"
[ -x "$py" ] || skip "$py is absent (apt-get install python3; scripts/deps.sh python)"
for mod in numpy:python3-numpy sklearn:python3-sklearn pytest:python3-pytest; do
    "$py" -c "import ${mod%%:*}" 2>/dev/null ||
        skip "${mod#*:} is not installed (scripts/deps.sh python)"
done
lib=$(cd "$build" && pwd)/libfsnsa.so.0
[ -f "$lib" ] || skip "$lib is not built"

# Nothing written into the source tree: no bytecode, no pytest cache.
FSNSA_LIBRARY=$lib FSNSA_BIN=$(cd "$build" && pwd)/fsnsa \
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" \
    exec "$py" -m pytest -q -p no:cacheprovider "$here/tests"

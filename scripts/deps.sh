#!/bin/sh
# Make sure the Debian packages fsnsa builds with are installed.
# As root: installs what is missing with apt-get. Otherwise: prints the
# exact apt-get line and fails, so nothing half-builds.
# Usage: scripts/deps.sh [build|blas|bench|paper|fuzz|python|install|man|mpi]...   (default: build)
set -eu

build="gcc make pkg-config libcmocka-dev zlib1g-dev libmd-dev"
blas="libopenblas-dev"   # only bench/'s cblas_sgemm yardstick
bench="python3-torch python3-sklearn python3-numpy"
paper="gnuplot-nox"
fuzz="clang libclang-rt-dev libomp-dev valgrind"
# make install: the man page generated from --help; man: reading it (its test)
install="help2man"
man="man-db"
# fsnsa-mpi (docs/distributed.md): mpicc and mpirun, Open MPI
mpi="openmpi-bin libopenmpi-dev"
# the Python package (python/) and its tests, on Debian's own interpreter;
# python3-torch for the regression test against nn.MSELoss
# (python/tests/test_regression_torch.py): with its libtorch1.13 about 52 MB
# to download and 270 MB installed (Debian 12's sizes)
python="python3 python3-numpy python3-sklearn python3-pytest python3-setuptools python3-pip python3-pandas python3-torch"

want=""
[ $# -eq 0 ] && set -- build
for group in "$@"; do
    case "$group" in
    build) want="$want $build" ;;
    blas)  want="$want $build $blas" ;;
    bench) want="$want $build $blas $bench" ;;
    paper) want="$want $build $paper" ;;
    fuzz)  want="$want $build $fuzz" ;;
    python) want="$want $build $python" ;;
    install) want="$want $build $install" ;;
    man)   want="$want $man" ;;
    mpi)   want="$want $build $mpi" ;;
    *) echo "deps.sh: unknown group '$group' (build, blas, bench, paper, fuzz, python, install, man, mpi)" >&2; exit 2 ;;
    esac
done

missing=""
for pkg in $want; do
    case " $missing " in *" $pkg "*) continue ;; esac
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "fsnsa: installing Debian packages:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2 || true
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing >&2
else
    echo "fsnsa: missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get install$missing" >&2
    exit 1
fi

#!/bin/sh
# make install into a temporary DESTDIR, then what a C user does with it:
# the README's example built with `pkg-config --cflags --libs fsnsa` only,
# run against libfsnsa.so.0 and again linked statically; the installed
# command runs; its man page says what --help says (tests/man.sh); make
# uninstall leaves no file behind. From `make test`; skips with one line
# when a tool is missing (.ci/run installs them).
# Usage: tests/install.sh BUILD_DIR SAN MAKE
build=$1 san=$2 make=$3
here=$(cd "$(dirname "$0")/.." && pwd)
skip() { echo "install test: skipped: $*"; exit 0; }
fail() { echo "install test: FAILED: $*" >&2; exit 1; }

[ "$san" = 1 ] && skip "not under sanitizers (a program linked against the installed library would need their runtime)"
for tool in pkg-config help2man cc; do
    command -v $tool >/dev/null 2>&1 || skip "$tool is absent (scripts/deps.sh install)"
done

tmp=$(mktemp -d) || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest prefix=/usr/local
$make -s --no-print-directory -C "$here" BUILD="$build" DESTDIR="$dest" \
    PREFIX=$prefix install >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; fail "make install"; }
root=$dest$prefix
for f in bin/fsnsa lib/libfsnsa.a lib/libfsnsa.so.0.1.0 lib/libfsnsa.so.0 \
         lib/libfsnsa.so include/fsnsa.h include/fsnsa_exp.h \
         lib/pkgconfig/fsnsa.pc share/man/man1/fsnsa.1; do
    [ -e "$root/$f" ] || fail "make install did not write $prefix/$f"
done
[ "$(readlink "$root/lib/libfsnsa.so")" = libfsnsa.so.0 ] &&
[ "$(readlink "$root/lib/libfsnsa.so.0")" = libfsnsa.so.0.1.0 ] ||
    fail "the libfsnsa.so symlinks"

# The README's C example, exactly as printed between its markers.
sed -n '/^<!-- readme-example: begin -->$/,/^<!-- readme-example: end -->$/p' \
    "$here/README.md" | sed '1,2d;$d' | sed '$d' > "$tmp/example.c"
grep -q 'int main' "$tmp/example.c" || fail "no C example between the README's markers"

export PKG_CONFIG_PATH="$root/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest"
flags=$(pkg-config --cflags --libs fsnsa) || fail "pkg-config --cflags --libs fsnsa"
sflags=$(pkg-config --static --cflags --libs fsnsa) || fail "pkg-config --static"
# shellcheck disable=SC2086
cc -std=c11 -Wall -Wextra -Werror "$tmp/example.c" $flags -o "$tmp/shared" ||
    fail "the README example does not build with: cc example.c $flags"
# -Wl,-Bstatic: the archive, not the .so beside it; the system's libraries
# (-lz, libgomp, libc) stay shared.
static=$(printf '%s\n' "$sflags" | sed 's/-lfsnsa/-Wl,-Bstatic -lfsnsa -Wl,-Bdynamic/')
# shellcheck disable=SC2086
cc -std=c11 -Wall -Wextra -Werror "$tmp/example.c" $static -o "$tmp/static" ||
    fail "the README example does not link statically with: cc example.c $static"
if readelf -d "$tmp/static" 2>/dev/null | grep -q 'libfsnsa'; then
    fail "the static program still needs libfsnsa.so"
fi

# Data from the installed command; each program selects 3 columns of it.
(cd "$tmp" && LD_LIBRARY_PATH="$root/lib" "$root/bin/fsnsa" xor --n 200 --p 5 --k 3 \
    --seed 3 -o train.csv) || fail "the installed fsnsa does not run"
"$root/bin/fsnsa" --version | grep -q '^fsnsa [0-9]' || fail "fsnsa --version"
(cd "$tmp" && LD_LIBRARY_PATH="$root/lib" ./shared > shared.out) || fail "the shared-library program"
ldd_lib=$(LD_LIBRARY_PATH="$root/lib" ldd "$tmp/shared" | sed -n 's/.*libfsnsa.so.0 => \([^ ]*\).*/\1/p')
[ "$ldd_lib" = "$root/lib/libfsnsa.so.0" ] || fail "the program loads '$ldd_lib', not the installed library"
(cd "$tmp" && ./static > static.out) || fail "the statically linked program"
[ "$(grep -c '^selected column' "$tmp/shared.out")" = 3 ] ||
    fail "the program did not print 3 selected columns: $(cat "$tmp/shared.out")"
cmp -s "$tmp/shared.out" "$tmp/static.out" || fail "shared and static programs disagree"

sh "$here/tests/man.sh" "$root/share/man/man1/fsnsa.1" "$root/bin/fsnsa" || fail "the man page"

$make -s --no-print-directory -C "$here" BUILD="$build" DESTDIR="$dest" \
    PREFIX=$prefix uninstall >"$tmp/uninstall.log" 2>&1 ||
    { cat "$tmp/uninstall.log"; fail "make uninstall"; }
left=$(find "$dest" ! -type d)
[ -z "$left" ] || fail "make uninstall left: $left"
echo "install test: passed (make install, pkg-config, shared and static builds of the README example, man page, make uninstall)"

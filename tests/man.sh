#!/bin/sh
# The man page says what --help says: rendered with man(1), its section of
# each command holds that command's --help text word for word, and every
# option of `fsnsa --help` is on it. Usage: tests/man.sh PAGE.1 FSNSA_BINARY
page=$1 bin=$2
fail() { echo "man page: $*" >&2; exit 1; }
command -v man >/dev/null 2>&1 || { echo "man page: not rendered: man is absent (scripts/deps.sh man)"; exit 0; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# wide lines: no paragraph is broken, so no word is hyphenated
LC_ALL=C MANWIDTH=1000 man -l "$page" > "$tmp/page" 2>"$tmp/err" || fail "man -l: $(cat "$tmp/err")"
[ -s "$tmp/err" ] && fail "man -l warns: $(cat "$tmp/err")"
words() { tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'; }

commands=$("$bin" --help | awk '/^Commands:/ { on = 1; next }
    on && !/^  / { exit }  on && $1 != "help" { print $1 }')
[ -n "$commands" ] || fail "no commands in --help"
for c in $commands; do
    "$bin" "$c" --help | words > "$tmp/help"
    awk -v h="   fsnsa $c" '$0 == h { on = 1; next }
        on && (/^   fsnsa / || /^[A-Z]/) { exit }  on' "$tmp/page" | words > "$tmp/section"
    [ -s "$tmp/section" ] || fail "no section 'fsnsa $c'"
    cmp -s "$tmp/help" "$tmp/section" ||
        fail "section 'fsnsa $c' differs from 'fsnsa $c --help': $(diff "$tmp/help" "$tmp/section" | head -5)"
done
words < "$tmp/page" > "$tmp/all"
for opt in $("$bin" --help | sed -n 's/^ *\(-[-a-z]*\).*/\1/p; s/^ *-h, \(--[a-z]*\).*/\1/p'); do
    grep -qe " $opt" "$tmp/all" || fail "fsnsa --help's $opt is not on the page"
done

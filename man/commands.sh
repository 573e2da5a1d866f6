#!/bin/sh
# The man page's COMMANDS section, as a help2man include file on stdout:
# one subsection per command that `fsnsa --help` lists, holding that
# command's `--help` text, so that the page says what --help says, word
# for word (tests/man.sh checks it). Usage: man/commands.sh FSNSA_BINARY
set -eu
bin=$1

# The commands: the lines of the "Commands:" block of `fsnsa --help`
# ("  NAME  summary"), except "help CMD", which is not one.
commands=$("$bin" --help | awk '
    /^Commands:/ { on = 1; next }
    on && !/^  / { exit }
    on && $1 != "help" { print $1 }')
[ -n "$commands" ] || { echo "$0: no commands in '$bin --help'" >&2; exit 1; }

echo "[COMMANDS]"
printf '%s\n' "Each command's options, as \\fBfsnsa\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR prints them."
for c in $commands; do
    printf '.SS "fsnsa %s"\n' "$c"
    "$bin" "$c" --help | awk -f "$(dirname "$0")/help2roff.awk"
done

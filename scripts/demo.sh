#!/bin/sh
# make demo: FSA+NSA against a dense network on 3-D XOR with 12 irrelevant
# features (p = 15, n = 3000 train + 3000 test), as in the paper's 4.1.
# Fails if FSA+NSA does not select exactly features 0, 1, 2 or if its test
# AUC is below the dense network's.
# Usage: scripts/demo.sh BIN
set -eu

bin=${1:?usage: scripts/demo.sh path/to/fsnsa}
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
[ -x "$bin" ] || { echo "demo: $bin is not built" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fsnsa-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

epochs=300
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "fsnsa demo: 3-D XOR, p = 15 (features 0, 1, 2 are the true ones), n = 3000"
"$bin" xor --n 3000 --p 15 --k 3 --seed 1 -o train.csv
"$bin" xor --n 3000 --p 15 --k 3 --seed 1 --test -o test.csv

t0=$(now)
"$bin" train -q --method fsa-nsa --features 3 --hidden 128 \
    --start-hidden 1024 --epochs $epochs train.csv fsa.model
t1=$(now)
"$bin" train -q --method dense --hidden 64 --epochs $epochs \
    train.csv dense.model
t2=$(now)

# The summary's "AUC x" field, from predict on the test file.
auc() {
    "$bin" predict "$1" test.csv "$1.pred" |
        awk '/^rows / { for (i = 1; i < NF; i++) if ($i == "AUC") print $(i + 1) }'
}
auc_fsa=$(auc fsa.model)
auc_dense=$(auc dense.model)
# Selected columns, in column order, from inspect's JSON "selected" list
# (its "importance" list names every column).
selected=$("$bin" inspect --json fsa.model |
    sed -n 's/.*"selected": \[\([^]]*\)\].*/\1/p' |
    grep -o '"column": [0-9]*' | awk '{ print $2 }' | sort -n |
    paste -sd, -)
size() { "$bin" inspect "$1" | awk '$1 == "weights" { print $2 }'; }

printf '\n%-10s %-22s %9s %9s %9s\n' method features weights "test AUC" seconds
printf '%-10s %-22s %9s %9s %9s\n' fsa-nsa "$selected" "$(size fsa.model)" \
    "$auc_fsa" "$(elapsed "$t0" "$t1")"
printf '%-10s %-22s %9s %9s %9s\n' dense "all 15" "$(size dense.model)" \
    "$auc_dense" "$(elapsed "$t1" "$t2")"
echo

ok=1
if [ "$selected" != "0,1,2" ]; then
    echo "demo: FAILED: FSA+NSA selected $selected, not 0,1,2" >&2
    ok=0
fi
if ! awk -v a="$auc_fsa" -v b="$auc_dense" 'BEGIN { exit !(a != "" && a >= b) }'; then
    echo "demo: FAILED: FSA+NSA test AUC $auc_fsa < dense $auc_dense" >&2
    ok=0
fi
[ $ok -eq 1 ] || exit 1
echo "demo: OK: FSA+NSA found the true features 0, 1, 2 and its test AUC" \
    "($auc_fsa) is at least the dense network's ($auc_dense)."

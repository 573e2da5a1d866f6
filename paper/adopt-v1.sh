#!/bin/sh
# Give the job files of a study made by fsnsa 0.1 (job file format 1: the
# data's file name, not its content) the format-2 header that records the
# data's fingerprint, after checking that they belong to the data that
# paper/run.sh reads today (docs/experiments.md, "Job files"):
#
#  1. per data set, the cheapest job of all its files is left out of a
#     scratch copy of its file and recomputed by the command that made
#     that file; the recomputed values must equal the recorded ones bit
#     for bit (all but the seconds): the data read today is the data the
#     results were computed from, and the code computes them the same;
#  2. each file of that data set is then opened by the command that made
#     it with --adopt-results, which requires its header to be exactly
#     the one that command wrote in format 1 (same data file, same
#     options), and records the fingerprints; no job is computed, and the
#     job lines stay byte for byte as they were.
#
#   paper/adopt-v1.sh [OUT]     (default paper/full, the committed study)
#
# Run from anywhere: the commands run in the repository's top folder,
# because the format-1 headers spell the data files as paper/run.sh was
# given them there (make paper: paper/full/data/isolet.csv). Files already
# in format 2 are skipped, so running it twice is harmless.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
out=${1:-paper/full}
B=${FSNSA_BIN:-$PWD/build/fsnsa}
D=${FSNSA_DATASETS:-$PWD/../shared/datasets}
D=$(cd "$D" 2>/dev/null && pwd -P || echo "$D")
T=${THREADS:-1}
. "$here/datasets.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fsnsa-adopt.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# hv HEADER KEY: the value of KEY=... in a format-1 header
hv() { printf '%s\n' "$1" | tr ' ;' '\n\n' | sed -n "s/^$2=//p" | head -n 1; }
# the line of key K in job file F, without its seconds field S and checksum
values() {
    awk -F '\t' -v OFS='\t' -v k="$1" -v s="$3" \
        '$1 == k { $s = ""; $NF = ""; print; exit }' "$2"
}

# plan FILE: what made FILE (a format-1 job file) and its cheapest job;
# returns 1 for a file to leave alone
plan() {
    f=$1
    name=$(basename "$f" .tsv)
    first=$(head -n 1 "$f")
    case $first in
    "#fsnsa-jobs 1	"*) ;;
    *) return 1 ;;
    esac
    h=${first#*	}
    ds=$(echo "$name" | cut -d- -f2)
    # shellcheck disable=SC2046
    set -- $(dataset "$ds")
    file=$1; shift
    ropts="$*"
    common="--test-fraction $(hv "$h" test-fraction) --split-seed $(hv "$h" split-seed)
        --scale $(hv "$h" scale) --start-hidden $(hv "$h" start-hidden)
        --epochs $(hv "$h" epochs) --mu $(hv "$h" mu) --lr $(hv "$h" lr)
        --threads $T --progress off -q"
    case $h in
    "fsnsa restarts;"*)
        kind=restarts sec=7
        key=$(awk -F '\t' 'NR > 1 && $1 ~ /^seed=/ && (m == "" || $7 + 0 < m) { m = $7 + 0; k = $1 } END { print k }' "$f")
        check_args=${key#seed=}
        adopt_args=$check_args ;;
    "fsnsa grid;"*)
        kind=grid sec=4
        key=$(awk -F '\t' 'NR > 1 && $1 ~ /^cv\/dense\// && (m == "" || $4 + 0 < m) { m = $4 + 0; k = $1 } END { print k }' "$f")
        # shellcheck disable=SC2046
        set -- $(setting "$key")
        check_args="$1 $2 $3 $(( $4 + 1 ))"
        # the best dense setting: its CV jobs and first retraining are there
        best=$(awk -F '\t' 'NR > 1 && $1 ~ /^final\/dense\/.*\/s0$/ { print $1; exit }' "$f")
        # shellcheck disable=SC2046
        set -- $(setting "$best")
        adopt_args="$1 $2 $3 1" ;;
    *) return 1 ;;
    esac
    secs=$(awk -F '\t' -v k="$key" -v s="$sec" '$1 == k { print $s; exit }' "$f")
}
# a dense setting and its repeats from a key .../h<H>/l2=<L>/b<B>/[rs]<N>...
setting() { echo "$1" | sed 's|^[a-z]*/dense/h\([0-9]*\)/l2=\([^/]*\)/b\([0-9]*\)/[rs]\([0-9]*\).*|\1 \2 \3 \4|'; }
# run RESULTS ARGS: the command of the planned file, into RESULTS
run() {
    # shellcheck disable=SC2086
    case $kind in
    restarts)
        "$B" restarts "$file" $ropts $common --method "$(hv "$h" method)" \
            --hidden "$(hv "$h" hidden)" --features "$(hv "$h" features)" \
            --batch "$(hv "$h" batch)" --weight-decay "$(hv "$h" weight-decay)" \
            --restarts 1 --seed "$2" --results "$1" --adopt-results < /dev/null > /dev/null ;;
    grid)
        set -- "$1" $2
        "$B" grid "$file" $ropts $common --folds "$(hv "$h" folds)" \
            --seed "$(hv "$h" seed)" --methods dense --grid-hidden "$2" \
            --grid-l2 "$3" --grid-batch "$4" --repeats "$5" --retrains 1 \
            --results "$1" --adopt-results < /dev/null > /dev/null ;;
    esac
}

# 1. the cheapest job of each data set, recomputed
: > "$tmp/plan"
for f in "$out"/jobs/*.tsv "$out"/extra/*.tsv; do
    [ -e "$f" ] || continue
    if plan "$f"; then
        echo "$ds $secs $f" >> "$tmp/plan"
    else
        echo "$(basename "$f"): not a format-1 file of restarts or grid, left as it is"
    fi
done
status=0
: > "$tmp/checked"
for ds in $(cut -d' ' -f1 "$tmp/plan" | sort -u); do
    f=$(awk -v d="$ds" '$1 == d' "$tmp/plan" | sort -k2,2g | head -n 1 | cut -d' ' -f3)
    plan "$f"
    awk -F '\t' -v k="$key" '$1 != k' "$f" > "$tmp/copy.tsv"
    if ! run "$tmp/copy.tsv" "$check_args" 2> "$tmp/err"; then
        echo "$ds: the check run failed, nothing adopted:" >&2
        cat "$tmp/err" >&2
        status=1
        continue
    fi
    want=$(values "$key" "$f" "$sec")
    got=$(values "$key" "$tmp/copy.tsv" "$sec")
    if [ -z "$want" ] || [ "$want" != "$got" ]; then
        echo "$ds: $name $key recomputed differs, nothing adopted:" >&2
        echo "  recorded:   $want" >&2
        echo "  recomputed: $got" >&2
        status=1
        continue
    fi
    echo "$ds: $name $key recomputed bit for bit (recorded in $secs s)"
    echo "$ds" >> "$tmp/checked"
done

# 2. adopt: nothing is computed, so the job lines stay as they are
while read -r ds secs f; do
    grep -qx "$ds" "$tmp/checked" || continue
    plan "$f"
    lines=$(wc -l < "$f")
    tail -n +2 "$f" > "$tmp/records"
    if ! run "$f" "$adopt_args" 2> "$tmp/err"; then
        echo "$name: not adopted:" >&2
        cat "$tmp/err" >&2
        status=1
    elif [ "$(wc -l < "$f")" != "$lines" ] || ! tail -n +2 "$f" | cmp -s - "$tmp/records"; then
        echo "$name: adopting changed its job lines" >&2
        status=1
    else
        echo "$name: adopted ($((lines - 1)) jobs)"
    fi
done < "$tmp/plan"
exit $status

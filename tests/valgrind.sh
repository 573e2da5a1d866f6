#!/bin/sh
# make test-valgrind: memcheck on the fast unit tests and a short CLI
# round trip (xor -> train -> predict -> inspect, and two refused inputs).
# usage: tests/valgrind.sh "VALGRIND COMMAND" BUILD
# A valgrind error exits 99 (not 1, which is the command's own "bad data"
# status), a definite or indirect leak counts as an error; see fuzz/fuzz.mk.
set -u
vg=$1; b=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=""; n=0
export FSNSA_SKIP_SLOW=1
# One OpenMP thread keeps valgrind (which serializes threads) fast; the
# thread-count independence of results is tested elsewhere.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

# run NAME EXPECTED_STATUS COMMAND...
run() {
    name=$1; want=$2; shift 2
    n=$((n + 1))
    # shellcheck disable=SC2086
    $vg --log-file="$tmp/vg.log" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 99 ] || [ -s "$tmp/vg.log" ]; then
        echo "valgrind: $name: memory errors or leaks" >&2
        cat "$tmp/vg.log" >&2
        fail="$fail $name"
    elif [ $rc -ne "$want" ]; then
        echo "valgrind: $name: exit status $rc, expected $want" >&2
        tail -n 20 "$tmp/out" "$tmp/err" >&2
        fail="$fail $name"
    else
        echo "valgrind: $name: clean"
    fi
}

for t in test_adam_schedule test_metrics test_split test_network test_model \
         test_outfile \
         test_data test_nomem; do
    run "$t" 0 "$b/tests/$t"
done

f=$b/fsnsa
run "fsnsa xor" 0 "$f" xor --n 300 --p 6 --k 2 -o "$tmp/x.csv"
# --keep-going: a few epochs may end worse than the class frequencies,
# which fails a training (docs/algorithm.md); memory is checked either way
run "fsnsa train" 0 "$f" train -q --epochs 8 --start-hidden 32 --hidden 4 \
    --features 2 --test-fraction 0.2 --path "$tmp/path.tsv" --keep-going \
    "$tmp/x.csv" "$tmp/x.model"
run "fsnsa predict" 0 "$f" predict --proba "$tmp/x.model" "$tmp/x.csv" \
    "$tmp/pred.tsv"
run "fsnsa inspect" 0 "$f" inspect "$tmp/x.model"
printf 'color,size,cls\nred,1,a\nblue,2,b\nred,3,a\ngreen,4,b\n' >"$tmp/n.csv"
run "fsnsa train nominal" 0 "$f" train -q --method dense --hidden 3 \
    --epochs 3 --keep-going "$tmp/n.csv" "$tmp/n.model"
printf 'a,b,c\n1,2,0\n3,1e39,1\n' >"$tmp/bad.csv"
run "fsnsa train bad data" 1 "$f" train -q "$tmp/bad.csv" "$tmp/bad.model"
head -c 300 "$tmp/x.model" >"$tmp/trunc.model"
run "fsnsa predict truncated model" 1 "$f" predict "$tmp/trunc.model" \
    "$tmp/x.csv"
run "fsnsa train diverging" 1 "$f" train -q --method dense --epochs 5 \
    --lr 1e30 --scale none "$tmp/x.csv" "$tmp/d.model"

if [ -n "$fail" ]; then
    echo "valgrind: $n runs, failed:$fail" >&2
    exit 1
fi
echo "valgrind: $n runs, no memory error, no definite or indirect leak"

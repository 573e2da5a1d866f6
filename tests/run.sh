#!/bin/sh
# Run every cmocka test program given, then print one summary line
# ("N passed, N failed, N skipped") and exit non-zero if any test failed.
pass=0; fail=0; skip=0; bad=""
for t in "$@"; do
    out=$(mktemp)
    "$t" >"$out" 2>&1
    rc=$?
    cat "$out"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
    pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0})); skip=$((skip + ${s:-0}))
    if [ $rc -ne 0 ] && [ -z "$f" ]; then
        # crashed or died before cmocka could count: one failure
        fail=$((fail + 1))
    fi
    [ $rc -ne 0 ] && bad="$bad $(basename "$t")"
    rm -f "$out"
done
echo "$pass passed, $fail failed, $skip skipped"
if [ -n "$bad" ]; then
    echo "failing programs:$bad" >&2
    exit 1
fi

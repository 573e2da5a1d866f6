#!/bin/sh
# Run each libFuzzer target for SECONDS: usage run.sh SECONDS BUILD TARGET...
# The seeds in fuzz/corpus/<t>/ stay as they are; what the fuzzer finds
# goes to BUILD/corpus/<t>/ (kept between runs), crashes to
# BUILD/crashes/<t>-*. Prints one line per target (executions, exec/s,
# coverage, corpus) and fails if any target crashed.
set -u
seconds=$1; build=$2; shift 2
fail=""
summary=""
for t in "$@"; do
    work="$build/corpus/$t"
    mkdir -p "$work" "$build/crashes"
    dict=""
    [ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
    log="$build/fuzz_$t.log"
    echo "== fuzz_$t for ${seconds}s"
    # malloc_limit: one allocation over 2 GiB from a small input is a bug
    # (docs/RELIABILITY.md, resource limits).
    # shellcheck disable=SC2086
    "$build/fuzz_$t" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2560 -malloc_limit_mb=2048 -max_len=16384 \
        -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" \
        $dict "$work" "fuzz/corpus/$t" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ncorp=$(ls "$work" | wc -l)
    line=$(printf '%-8s %10s execs %7s/s  cov %5s  corpus %5s  rc %s' \
        "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "$ncorp" "$rc")
    echo "$line"
    summary="$summary$line
"
    if [ $rc -ne 0 ]; then
        fail="$fail $t"
        grep -A30 -m1 'ERROR: \|runtime error\|fuzz contract broken' "$log" | head -40
        ls "$build/crashes/$t-"* 2>/dev/null
    fi
done
echo "== fuzz summary (${seconds}s per target)"
printf '%s' "$summary"
if [ -n "$fail" ]; then
    echo "fuzz: crashes in:$fail (inputs in $build/crashes/)" >&2
    exit 1
fi

#!/bin/sh
# Reproduce the paper's Figures 1-7 and Table 2 with the fsnsa command.
#
#   paper/run.sh quick|full|ci [OUT]      (make paper-quick / make paper)
#
# Every experiment is a `fsnsa restarts|hittime|grid|schedule` command
# whose finished jobs are appended to OUT/jobs/*.tsv: rerunning after an
# interruption continues where it stopped. Tables for the figures go to
# OUT/data, figures (PNG + SVG) to OUT/fig, Table 2 to OUT/table2.md, the
# wall time of every part to OUT/times.tsv. PARTS="fig1 fig3" runs only
# those parts. Settings of each mode: docs/RESULTS.md.
# MPIRUN="mpirun -np 64" runs every sweep with fsnsa-mpi under that
# launcher (docs/distributed.md; with THREADS=1, one job per rank).
set -eu
mode=${1:-quick}
here=$(cd "$(dirname "$0")" && pwd)
out=${2:-$here/out-$mode}
B=${FSNSA_BIN:-$here/../build/fsnsa}
D=${FSNSA_DATASETS:-$here/../../shared/datasets}
M=${FSNSA_MPI_BIN:-$here/../build/fsnsa-mpi}
# a sweep (restarts, hittime, grid): fsnsa, or fsnsa-mpi under $MPIRUN
sweep() {
    if [ -n "${MPIRUN:-}" ]; then
        # shellcheck disable=SC2086
        $MPIRUN "$M" "$@"
    else
        "$B" "$@"
    fi
}
# one spelling of the data path, whoever calls: the outputs' first lines
# name it (the job files compare the data's fingerprint, not its name)
D=$(cd "$D" 2>/dev/null && pwd -P || echo "$D")
T=${THREADS:-$(nproc 2>/dev/null || echo 2)}
PARTS=${PARTS:-"fig6 fig1 fig3 fig2 fig4 fig4x fig5 table2 fig7"}
mkdir -p "$out/jobs" "$out/data" "$out/fig" "$out/logs"

# Settings the paper does not give (docs/RESULTS.md): 300 epochs and
# batch 32 for every method; Adam lr 0.001, weight decay 1e-4; XOR data
# seed 1, test set n = 3000 from the test pool; seeds 1..R.
case "$mode" in
full)
    EP=300; R1=10; H1="2 4 8 16 32 64 128 256"; KS="3 4 5"
    R2=10; N2="300 1000 3000 10000"; H2="32 128 512"; RF2=3
    R3=100; R4=200; HITS4=10; N4=3000
    R5=10; N5=3000; P5="5 10 15 20 30 50"
    DATASETS="car segmentation optdigits mfeat isolet"
    GRID=""; R7=200; START=1024
    PX="15,25,50,75,100,150,200"; HX=128 ;;
quick)
    EP=100; R1=3; H1="4 16 64 256"; KS="3 4 5"
    R2=2; N2="300 1000 3000"; H2="32 128"; RF2=1
    R3=20; R4=30; HITS4=5; N4=1000
    R5=2; N5=1000; P5="5 10 15 30"
    DATASETS="car segmentation optdigits mfeat isolet"
    GRID="--folds 3 --repeats 1 --grid-hidden 16,64 --grid-l2 0.0001,0.01 --grid-batch 32 --retrains 3"
    R7=5; START=256
    PX="15,30,50"; HX=32 ;;
ci)
    EP=10; R1=2; H1="4 16"; KS="3"
    R2=1; N2="300 1000"; H2="16"; RF2=1
    R3=5; R4=4; HITS4=2; N4=300
    R5=1; N5=300; P5="5 10"
    DATASETS="car"
    GRID="--folds 2 --repeats 1 --grid-hidden 8 --grid-l2 0.001 --grid-batch 64 --retrains 2 --sizes 4:4"
    R7=2; START=32
    PX="3,6"; HX=8 ;;
*) echo "usage: paper/run.sh quick|full|ci [OUT]" >&2; exit 2 ;;
esac
# Pieces of a long run: DATASETS="car segmentation" limits Table 2 and
# Fig. 7; REPEATS=N runs N repeats of the CV (rerun with more to extend
# the same job file); R7=N sets Fig. 7's initializations.
DATASETS=${ONLY_DATASETS:-$DATASETS}
[ -n "${REPEATS:-}" ] && GRID="$GRID --repeats $REPEATS"
R7=${FIG7_INITS:-$R7}
# --variant paper: the paper's algorithm, whatever fsnsa train's default
TR="--epochs $EP --batch 32 --threads $T --progress off --variant paper -q"
TRV="--epochs $EP --batch 32 --threads $T --progress off --variant paper"

# Table 1 of the paper: hidden nodes for p = k, n = 1000
table1() { case $1 in 2) echo 4 ;; 3) echo 64 ;; *) echo 128 ;; esac; }

stamp() { date +%s; }
timed() { # timed NAME command...: run, record wall seconds
    name=$1; shift
    t0=$(stamp)
    "$@"
    echo "$name	$(( $(stamp) - t0 ))" >> "$out/times.tsv"
}
# the "# best" / "# mean" summary lines of fsnsa restarts, as fields
field() {
    awk -v tag="$1" -v key="$2" '$1 == "#" && $2 == tag {
        for (i = 3; i <= NF; i++)
            if (index($i, key "=") == 1) print substr($i, length(key) + 2) }'
}

want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

fig1() {
    f=$out/data/fig1.tsv
    echo "k	h	loss	train_auc	test_auc" > "$f"
    for k in $KS; do for h in $H1; do
        o=$(sweep restarts --xor "$k" --p "$k" --n 1000 --hidden "$h" \
            --restarts "$R1" $TRV --results "$out/jobs/fig1-k$k-h$h.tsv")
        echo "$k	$h	$(echo "$o" | field best loss)	$(echo "$o" | field best train_auc)	$(echo "$o" | field best test_auc)" >> "$f"
    done; done
}

fig2() {
    f=$out/data/fig2.tsv
    echo "k	p	net	n	mean_loss	mean_test_auc" > "$f"
    for k in $KS; do
        for p in "$k" 15; do for h in $H2; do for n in $N2; do
            o=$(sweep restarts --xor "$k" --p "$p" --n "$n" --hidden "$h" \
                --restarts "$R2" $TRV --results "$out/jobs/fig2-k$k-p$p-h$h-n$n.tsv")
            echo "$k	$p	h$h	$n	$(echo "$o" | field mean loss)	$(echo "$o" | field mean test_auc)" >> "$f"
        done; done; done
        # FSA+NSA (Section 4.1): p = 15, H = 1024 -> h = 128, k features
        for n in $N2; do
            o=$(sweep restarts --xor "$k" --p 15 --n "$n" --method fsa-nsa \
                --start-hidden 1024 --hidden 128 --features "$k" \
                --restarts "$RF2" $TRV --results "$out/jobs/fig2-k$k-fsa-n$n.tsv")
            echo "$k	15	fsa	$n	$(echo "$o" | field mean loss)	$(echo "$o" | field mean test_auc)" >> "$f"
        done
    done
}

fig3() {
    for k in $KS; do
        sweep restarts --xor "$k" --p "$k" --n 1000 --hidden "$(table1 "$k")" \
            --restarts "$R3" $TRV --results "$out/jobs/fig3-k$k.tsv" \
            > "$out/data/fig3-k$k.tsv"
    done
}

fig4() {
    for k in $KS; do
        case $k in
        3) ps="3,4,5,6,8,10,12,15,20,25,30,40,50" ;;
        4) ps="4,5,6,8,10,12,15,20,25,30" ;;
        *) ps="5,6,7,8,10,12,15,20" ;;
        esac
        [ "$mode" = ci ] && ps="$k,6"
        sweep hittime --xor "$k" --n "$N4" --ps "$ps" --hidden 20 \
            --runs "$R4" --hits "$HITS4" $TRV \
            --results "$out/jobs/fig4-k$k.tsv" > "$out/data/fig4-k$k.tsv"
    done
}

# Figure 4x, not in the paper: hit time against p for 3-D XOR up to
# p = 200, FSA+NSA (H = START -> h = HX, k = 3) in the paper's variant and
# the stable one, beside Figure 4's dense net of 20 nodes. --all-p: a
# censored p does not end the curve, the larger ones are still measured.
fig4x() {
    EPB="--epochs $EP --batch 32 --threads $T --progress off"
    for v in paper stable; do
        sweep hittime --xor 3 --n "$N4" --ps "$PX" --method fsa-nsa \
            --start-hidden "$START" --hidden "$HX" --features 3 --variant "$v" \
            --runs "$R4" --hits "$HITS4" --all-p $EPB \
            --results "$out/jobs/fig4x-$v.tsv" > "$out/data/fig4x-$v.tsv"
    done
    sweep hittime --xor 3 --n "$N4" --ps "$PX" --hidden 20 \
        --runs "$R4" --hits "$HITS4" --all-p $TRV \
        --results "$out/jobs/fig4x-dense.tsv" > "$out/data/fig4x-dense.tsv"
}

fig5() {
    f=$out/data/fig5.tsv
    echo "k	p	best_loss_test_auc	best_loss_train_auc" > "$f"
    for k in $KS; do for p in $P5; do
        [ "$p" -lt "$k" ] && continue
        o=$(sweep restarts --xor "$k" --p "$p" --n "$N5" --hidden 500 \
            --restarts "$R5" $TRV --results "$out/jobs/fig5-k$k-p$p.tsv")
        echo "$k	$p	$(echo "$o" | field best test_auc)	$(echo "$o" | field best train_auc)" >> "$f"
    done; done
}

fig6() {
    "$B" schedule --epochs 300 --start-hidden 1024 --hidden 128 --p 15 \
        --features 3 --mu 30 > "$out/data/fig6.tsv"
}

# dataset NAME -> "FILE OPTIONS..." (shared with paper/adopt-v1.sh)
. "$here/datasets.sh"
# FSA+NSA target sizes k:h per data set (full mode)
sizes() {
    case $1 in
    car) echo "5:8,10:8,15:8,10:16" ;;
    segmentation) echo "5:8,10:8,10:14,19:14" ;;
    optdigits) echo "16:16,32:16,32:32,48:16" ;;
    mfeat) echo "20:16,40:16,40:32,80:16" ;;
    isolet) echo "50:32,100:32,100:64,200:32" ;;
    esac
}
name() {
    case $1 in car) echo "Car Evaluation" ;; segmentation) echo "Image Segmentation" ;;
    optdigits) echo "Optical Recognition of Handwritten Digits" ;;
    mfeat) echo "Multiple Features" ;; isolet) echo "ISOLET" ;; esac
}

table2() {
    for ds in $DATASETS; do
        # the UCI tables are not in the repository: skip what is absent
        if [ ! -d "$D/$ds" ]; then
            echo "paper: table2: $ds skipped: $D/$ds is absent (set FSNSA_DATASETS)" >&2
            continue
        fi
        # shellcheck disable=SC2046
        set -- $(dataset "$ds")
        file=$1; shift
        sz=$(sizes "$ds"); [ "$mode" = quick ] && sz=$(sizes "$ds" | cut -d, -f1,2)
        [ "$mode" = ci ] && sz=4:4
        sweep grid "$file" "$@" --name "$(name "$ds")" --sizes "$sz" \
            --start-hidden "$START" $GRID $TRV \
            --results "$out/jobs/grid-$ds.tsv" > "$out/data/grid-$ds.tsv"
        sweep grid "$file" "$@" --name "$(name "$ds")" --sizes "$sz" \
            --start-hidden "$START" $GRID $TRV --peek-test \
            --results "$out/jobs/grid-$ds.tsv" > "$out/data/grid-$ds-peek.tsv"
        # (the second run only reads the job file: the per-epoch test
        # accuracies were recorded by the first)
    done
    # the table covers every data set run so far, not only this call's
    t=$out/table2.md
    echo "# Table 2 ($mode mode): test accuracy (%), honest (last epoch) and peeking (best epoch)" > "$t.new"
    for ds in car segmentation optdigits mfeat isolet; do
        [ -s "$out/data/grid-$ds-peek.tsv" ] || continue
        { echo; sed -n 's/^# Table 2 row/Honest/p; /^|/p' "$out/data/grid-$ds.tsv"
          echo; sed -n 's/^# Table 2 row/Peeking/p; /^|/p' "$out/data/grid-$ds-peek.tsv"; } >> "$t.new"
    done
    mv "$t.new" "$t"
}

# Fig. 7: sorted final losses of R7 initializations of the three nets of
# Table 2 (settings from the grid), on the grid's training rows.
fig7() {
    for ds in $DATASETS; do
        g=$out/data/grid-$ds.tsv
        [ -s "$g" ] || { echo "fig7: run table2 first for $ds" >&2; continue; }
        # shellcheck disable=SC2046
        set -- $(dataset "$ds")
        file=$1; shift
        for net in "NN(best)" "NN(equivalent)" "FSA+NSA"; do
            line=$(grep -F "# final: $net	" "$g")
            h=$(echo "$line" | cut -f2); k=$(echo "$line" | cut -f3)
            l2=$(echo "$line" | cut -f9); b=$(echo "$line" | cut -f10)
            case $net in
            FSA*) m="--method fsa-nsa --start-hidden $START --features $k" ; tag=fsa ;;
            *equiv*) m="--method dense"; tag=equiv ;;
            *) m="--method dense"; tag=best ;;
            esac
            # shellcheck disable=SC2086
            sweep restarts "$file" "$@" --test-fraction 0.2 --split-seed 0 $m \
                --hidden "$h" --weight-decay "$l2" --epochs "$EP" --batch "$b" \
                --restarts "$R7" --threads "$T" --progress off --variant paper \
                --results "$out/jobs/fig7-$ds-$tag.tsv" > "$out/data/fig7-$ds-$tag.tsv"
        done
    done
}

: > "$out/times.tsv.new"; [ -f "$out/times.tsv" ] && cat "$out/times.tsv" > "$out/times.tsv.new"; mv "$out/times.tsv.new" "$out/times.tsv"
for part in $PARTS; do
    want "$part" || continue
    echo "paper: $part ($mode)" >&2
    timed "$part" "$part"
done
sh "$here/plot.sh" "$out"
echo "paper: done; figures in $out/fig, Table 2 in $out/table2.md, times in $out/times.tsv" >&2

#!/bin/sh
# Draw the paper's figures from the tables paper/run.sh wrote:
#   paper/plot.sh OUT      -> OUT/fig/figN.png and figN.svg
# Layouts follow the paper: panels per k = 3, 4, 5 (left to right), loss
# on top and AUC below where the paper does so. Needs gnuplot (gnuplot-nox).
set -eu
out=$1
d=$out/data
f=$out/fig
mkdir -p "$f"
command -v gnuplot >/dev/null || { echo "plot.sh: gnuplot not found (sh scripts/deps.sh paper)" >&2; exit 1; }

# render NAME WIDTH HEIGHT: gnuplot commands on stdin, drawn as PNG and SVG
render() {
    name=$1; w=$2; h=$3
    body=$(cat)
    for t in png svg; do
        if [ $t = png ]; then term="pngcairo size $w,$h font 'sans,10'"
        else term="svg size $w,$h font 'sans,10' background '#ffffff'"; fi
        printf 'set terminal %s\nset output "%s/%s.%s"\nset datafile separator "\\t"\nset grid lc rgb "#dddddd"\n%s\nunset multiplot\nset output\n' \
            "$term" "$f" "$name" "$t" "$body" | gnuplot ||
            echo "plot.sh: $name.$t: gnuplot failed" >&2
    done
}
rows() { grep -v '^[#a-z]' "$1" 2>/dev/null || true; }   # data rows only
ks() { [ -s "$d/fig1.tsv" ] && cut -f1 "$d/fig1.tsv" | grep -v k | sort -un | tr '\n' ' ' || echo "3 4 5"; }
KS=$(ks)
NK=$(echo $KS | wc -w)

if [ -s "$d/fig1.tsv" ]; then
{ echo "set multiplot layout 2,$NK title 'Figure 1: best of the restarts (lowest loss) vs hidden nodes h, p = k, n = 1000'"
  echo "set logscale x 2; set key bottom right"
  for k in $KS; do
    echo "set title 'k = $k'; set xlabel 'h'; set ylabel 'training loss'"
    echo "plot '$d/fig1.tsv' skip 1 using 2:(\$1==$k?\$3:1/0) w lp pt 7 lc rgb '#c00000' title 'loss'"
  done
  for k in $KS; do
    echo "set title ''; set ylabel 'AUC'"
    echo "plot '$d/fig1.tsv' skip 1 using 2:(\$1==$k?\$4:1/0) w lp pt 7 lc rgb '#0050c0' title 'train AUC', '' skip 1 using 2:(\$1==$k?\$5:1/0) w lp pt 5 lc rgb '#008000' title 'test AUC'"
  done; } | render fig1 $((380 * NK)) 640
fi

if [ -s "$d/fig2.tsv" ]; then
NETS=$(cut -f3 "$d/fig2.tsv" | grep '^h' | sort -u -t h -k2n | tr '\n' ' ')
{ echo "set multiplot layout 2,$NK title 'Figure 2: mean training loss (top) and test AUC (bottom) vs n; dashed p = k, solid p = 15, black FSA+NSA (p = 15)'"
  echo "set logscale x 10; set key top right font ',8'"
  for row in loss auc; do
    for k in $KS; do
      if [ $row = loss ]; then col=5; echo "set title 'k = $k'; set ylabel 'training loss'; set key top right"; else col=6; echo "set title ''; set ylabel 'test AUC'; set key bottom right"; fi
      echo "set xlabel 'n'"
      plot="plot"; i=1
      for net in $NETS; do
        plot="$plot '$d/fig2.tsv' skip 1 using 4:(\$1==$k \&\& \$2==$k \&\& strcol(3) eq '$net' ? \$$col : 1/0) w lp dt 2 pt 6 lc $i title '$net, p=k', '' skip 1 using 4:(\$1==$k \&\& \$2==15 \&\& strcol(3) eq '$net' ? \$$col : 1/0) w lp dt 1 pt 7 lc $i title '$net, p=15',"
        i=$((i + 1))
      done
      echo "$plot '$d/fig2.tsv' skip 1 using 4:(\$1==$k \&\& strcol(3) eq 'fsa' ? \$$col : 1/0) w lp lw 2 pt 5 lc rgb 'black' title 'FSA+NSA'" | sed 's/\\&/\&/g'
    done
  done; } | render fig2 $((420 * NK)) 720
fi

if [ -s "$d/fig3-k$(echo $KS | cut -d' ' -f1).tsv" ]; then
{ echo "set multiplot layout 2,$NK title 'Figure 3: restarts sorted by training loss (h from Table 1, p = k, n = 1000)'"
  # below the panel: inside, the key's markers read as data points
  echo "set key outside below horizontal box"
  for k in $KS; do
    rows "$d/fig3-k$k.tsv" > "$d/.fig3-k$k"
    echo "set title 'k = $k'; set xlabel 'initialization (sorted)'; set ylabel 'training loss'"
    echo "plot '$d/.fig3-k$k' using 1:3 w p pt 7 ps 0.6 lc rgb '#c00000' title 'loss'"
  done
  for k in $KS; do
    echo "set title ''; set ylabel 'AUC'"
    echo "plot '$d/.fig3-k$k' using 1:4 w p pt 7 ps 0.6 lc rgb '#0050c0' title 'train AUC', '' using 1:5 w p pt 5 ps 0.6 lc rgb '#008000' title 'test AUC'"
  done; } | render fig3 $((380 * NK)) 640
fi

if [ -s "$d/fig4-k$(echo $KS | cut -d' ' -f1).tsv" ]; then
for k in $KS; do
  # estimated: p, hit time, lo, hi; censored ('>R'): p, R
  awk -F'\t' '$7=="ok"{print $1"\t"$4"\t"$5"\t"$6}' "$d/fig4-k$k.tsv" | sed 's/\tinf$/\t1e9/' > "$d/.fig4-k$k"
  awk -F'\t' '$7=="censored"{print $1"\t"$2}' "$d/fig4-k$k.tsv" > "$d/.fig4c-k$k"
done
{ echo "set title 'Figure 4: hit time vs p (h = 20); bars: 95% interval; triangles: > R'"
  echo "set logscale y; set xlabel 'p'; set ylabel 'hit time'; set key top left"
  plot="plot"; i=1
  for k in $KS; do
    # a k with no estimate (all censored) has no line: gnuplot would warn
    [ -s "$d/.fig4-k$k" ] && plot="$plot '$d/.fig4-k$k' using 1:2:3:4 w yerrorlines pt 7 lc $i title '${k}-D XOR',"
    [ -s "$d/.fig4c-k$k" ] && plot="$plot '$d/.fig4c-k$k' using 1:2 w p pt 9 ps 1.5 lc $i title '${k}-D: > R',"
    i=$((i + 1))
  done
  echo "${plot%,}"; } | render fig4 640 480
fi

# Figure 4x (not in the paper): 3-D XOR hit time vs p up to 200, FSA+NSA
# in both variants beside Figure 4's dense net of 20 nodes.
if [ -s "$d/fig4x-stable.tsv" ]; then
for v in paper stable dense; do
  awk -F'\t' '$7=="ok"{print $1"\t"$4"\t"$5"\t"$6}' "$d/fig4x-$v.tsv" 2>/dev/null | sed 's/\tinf$/\t1e9/' > "$d/.fig4x-$v"
  awk -F'\t' '$7=="censored"{print $1"\t"$2}' "$d/fig4x-$v.tsv" 2>/dev/null > "$d/.fig4xc-$v"
done
{ echo "set title 'Figure 4x: 3-D XOR hit time vs p; bars: 95% interval; triangles: > R (no hit in R runs)'"
  echo "set logscale y; set xlabel 'p'; set ylabel 'hit time (runs per hit)'; set key top left"
  plot="plot"; i=1
  for v in paper stable dense; do
    case $v in
    paper) t="FSA+NSA, paper variant" ;; stable) t="FSA+NSA, stable variant" ;; *) t="dense, h = 20 (Fig. 4; train AUC by memorizing from p = 75)" ;;
    esac
    [ -s "$d/.fig4x-$v" ] && plot="$plot '$d/.fig4x-$v' using 1:2:3:4 w yerrorlines pt 7 lc $i title '$t',"
    [ -s "$d/.fig4xc-$v" ] && plot="$plot '$d/.fig4xc-$v' using 1:2 w p pt 9 ps 1.5 lc $i title '$t: > R',"
    i=$((i + 1))
  done
  echo "${plot%,}"; } | render fig4x 720 480
fi

if [ -s "$d/fig5.tsv" ]; then
{ echo "set multiplot layout 1,$NK title 'Figure 5: test AUC of the lowest-loss of the restarts vs p, h = 500'"
  echo "set key bottom left"
  for k in $KS; do
    echo "set title 'k = $k'; set xlabel 'p'; set ylabel 'test AUC'"
    echo "plot '$d/fig5.tsv' skip 1 using 2:(\$1==$k?\$3:1/0) w lp pt 7 lc rgb '#008000' title 'test AUC', '' skip 1 using 2:(\$1==$k?\$4:1/0) w lp pt 6 lc rgb '#0050c0' title 'train AUC'"
  done; } | render fig5 $((380 * NK)) 360
fi

if [ -s "$d/fig6.tsv" ]; then
rows "$d/fig6.tsv" > "$d/.fig6"
{ echo "set title 'Figure 6: annealing schedules, N = 300, H = 1024 -> h = 128, p = 15 -> k = 3, mu = 30'"
  echo "set xlabel 'epoch'; set ylabel 'hidden nodes h_e'; set y2label 'features p_e'; set ytics nomirror; set y2tics; set key top right"
  echo "plot '$d/.fig6' using 1:2 w l lw 2 lc rgb '#0050c0' title 'h_e (nodes)', '' using 1:3 axes x1y2 w l lw 2 lc rgb '#c00000' title 'p_e (features)'"
} | render fig6 640 420
fi

DS=""
for ds in car segmentation optdigits mfeat isolet; do   # the paper's order
    # a data set whose three runs are not all finished is left out
    [ -s "$d/fig7-$ds-best.tsv" ] && [ -s "$d/fig7-$ds-equiv.tsv" ] &&
        [ -s "$d/fig7-$ds-fsa.tsv" ] && DS="$DS $ds"
done
if [ -n "$DS" ]; then
NDS=$(echo $DS | wc -w)
{ echo "set multiplot layout 1,$NDS title 'Figure 7: sorted training losses of the restarts on the real data sets'"
  # log scale: the losses of one panel span up to three decades
  echo "set key top left font ',8'; set logscale y; set format y '%.0e'"
  # the best run (x = 1) off the y axis; at most ~5 x labels, or 200
  # restarts' labels run into each other
  for ds in $DS; do
    for t in best equiv fsa; do rows "$d/fig7-$ds-$t.tsv" > "$d/.fig7-$ds-$t"; done
    R=$(wc -l < "$d/.fig7-$ds-best")
    step=1
    for s in 1 2 5 10 20 25 50 100 200 500 1000; do
        step=$s; [ $((s * 5)) -ge "$R" ] && break
    done
    # the data sit at x = 1..R: a margin of R/30 either side, not a
    # whole unit (which made 1..5 run from -1 to 6)
    echo "set xrange [$(awk -v r="$R" 'BEGIN { m = r / 30; if (m < 0.2) m = 0.2; printf "%g:%g", 1 - m, r + m }')]; set xtics 0, $step"
    echo "set title '$ds'; set xlabel 'initialization (sorted)'; set ylabel 'training loss'"
    echo "plot '$d/.fig7-$ds-best' using 1:3 w lp pt 7 ps 0.4 lc rgb '#0050c0' title 'NN(best)', '$d/.fig7-$ds-equiv' using 1:3 w lp pt 5 ps 0.4 lc rgb '#808080' title 'NN(equivalent)', '$d/.fig7-$ds-fsa' using 1:3 w lp pt 9 ps 0.4 lc rgb 'black' title 'FSA+NSA'"
  done; } | render fig7 $((NDS > 1 ? 330 * NDS : 660)) 380   # room for the title
fi
rm -f "$d"/.fig*
ls "$f"

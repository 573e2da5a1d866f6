# shellcheck shell=sh
# Sourced by paper/run.sh and paper/adopt-v1.sh (needs $out and $D).
# One data file per data set, all rows (the paper pools train and test).
dataset() { # dataset NAME -> prints "FILE OPTIONS..."
    c=$out/data/$1.csv
    case $1 in
    car) echo "$D/car/car.data" ;;
    segmentation)
        [ -s "$c" ] || { tail -n +6 "$D/segmentation/segmentation.data"
                         tail -n +6 "$D/segmentation/segmentation.test"; } > "$c"
        echo "$c --label-column first --header no" ;;
    optdigits)
        [ -s "$c" ] || cat "$D/optdigits/optdigits.tra" "$D/optdigits/optdigits.tes" > "$c"
        echo "$c --header no" ;;
    mfeat) echo "$D/mfeat/mfeat-fac --labels-file $D/mfeat/labels" ;;
    isolet)
        [ -s "$c" ] || { gzip -dc "$D/isolet/isolet1+2+3+4.rebuilt.data.gz"
                         gzip -dc "$D/isolet/isolet5.rebuilt.data.gz"; } > "$c"
        echo "$c --header no" ;;
    esac
}

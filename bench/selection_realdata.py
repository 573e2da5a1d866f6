"""The real-data goal of issue 14 (docs/RESULTS.md, "`--features auto` at
NN(best)'s settings"): `fsnsa train --features auto` on each UCI table of
Table 2 at the h, L2 and batch the grid's CV chose for NN(best), on the
grid's split, against NN(best)'s honest test accuracy. NN(best)'s figures
are read from the committed study, not written here: its nodes and honest
accuracy from paper/full/table2.md, its L2 and batch from the `final/dense`
lines of paper/full/jobs/grid-NAME.tsv at those nodes.
"""
import os
import re
import statistics
import subprocess
import time

TABLES = ["car", "segmentation", "optdigits", "mfeat", "isolet"]
TITLES = {"car": "Car Evaluation", "segmentation": "Image Segmentation",
          "optdigits": "Optical Recognition of Handwritten Digits",
          "mfeat": "Multiple Features", "isolet": "ISOLET"}
# --realdata-configs names -> the extra `fsnsa train` options
CONFIGS = {"one-se": [], "one-se-refit": ["--refit", "dense"],
           "min": ["--select-rule", "min"],
           "min-refit": ["--select-rule", "min", "--refit", "dense"]}


def nn_best(jobs_dir, name):
    """NN(best) of the committed grid: (nodes, L2, batch, honest accuracy
    in %, its sd), or None when the study lacks the table."""
    table2 = os.path.join(os.path.dirname(os.path.abspath(jobs_dir)), "table2.md")
    jobs = os.path.join(jobs_dir, "grid-%s.tsv" % name)
    if not (os.path.exists(table2) and os.path.exists(jobs)):
        return None
    text = open(table2).read()
    block = text.split("Honest (%s)" % TITLES[name])
    if len(block) < 2:
        return None
    nodes = re.search(r"Number of weights \(nodes\) \| \d+ \((\d+)\)", block[1])
    acc = re.search(r"Test accuracy \(%\) \| ([\d.]+)±([\d.]+)", block[1])
    if not (nodes and acc):
        return None
    h = int(nodes.group(1))
    with open(jobs) as f:
        for line in f:
            m = re.match(r"final/dense/h%d/l2=([^/]+)/b(\d+)/" % h, line)
            if m:
                return h, m.group(1), int(m.group(2)), float(acc.group(1)), float(acc.group(2))
    return None


def data_spec(datasets, work, name):
    """`FILE OPTIONS...` of paper/datasets.sh for name (building its csv in
    work/data), or None when the data set is absent."""
    os.makedirs(os.path.join(work, "data"), exist_ok=True)
    env = dict(os.environ, out=work, D=datasets)
    r = subprocess.run(["sh", "-c", '. paper/datasets.sh; dataset "$0"', name],
                       env=env, capture_output=True, text=True)
    spec = r.stdout.split()
    return spec if r.returncode == 0 and spec and os.path.exists(spec[0]) else None


def train_once(a, sh, work, spec, best, config, seed):
    """One `fsnsa train --features auto`: chosen k of p, test accuracy (%),
    wall seconds."""
    h, l2, batch = best[:3]
    model = os.path.join(work, "realdata.model")
    cmd = [a.fsnsa, "train", "--method", "fsa-nsa", "--features", "auto",
           "--hidden", str(h), "--weight-decay", l2, "--batch", str(batch),
           "--test-fraction", "0.2", "--split-seed", "0", "--threads", str(a.threads),
           "--seed", str(seed)] + CONFIGS[config] + spec + [model]
    t0 = time.time()
    r = sh(cmd, a.nice)
    wall = time.time() - t0
    k = re.search(r"^method .* features (\d+) of (\d+) ", r.stdout, re.M)
    acc = re.search(r"^test .* accuracy ([\d.]+)", r.stdout, re.M)
    if r.returncode != 0 or not (k and acc):
        raise SystemExit("fsnsa train failed (%s): %s%s" % (" ".join(cmd), r.stdout, r.stderr))
    return {"seed": seed, "k": int(k.group(1)), "p": int(k.group(2)),
            "accuracy": 100 * float(acc.group(1)), "seconds": round(wall, 2)}


def run(a, sh, work, seeds):
    """Every table present x config x seed; prints the table, returns rows."""
    out = []
    print("\n## Real data: --features auto at NN(best)'s h, L2 and batch (seeds %d..%d)"
          % (seeds[0], seeds[-1]))
    print("%-13s %-14s %-13s %-13s %-11s %s" % ("data", "config", "NN(best)", "accuracy",
                                                "k of p", "goal"))
    for name in a.tables:
        best = nn_best(a.grid_jobs, name)
        spec = data_spec(a.datasets, work, name) if best else None
        if spec is None:
            print("%-13s skipped: %s" % (name, "no data set in " + a.datasets if best
                                         else "no NN(best) in the committed study"))
            continue
        for config in a.realdata_configs:
            runs = [train_once(a, sh, work, spec, best, config, s) for s in seeds]
            accs = [r["accuracy"] for r in runs]
            ks = [r["k"] for r in runs]
            fewer = sum(r["k"] < r["p"] for r in runs)
            mean = statistics.mean(accs)
            sd = statistics.stdev(accs) if len(accs) > 1 else 0.0
            # NN(best)'s figure is printed with 2 decimals: compare at those
            met = round(mean, 2) >= best[3] and 2 * fewer > len(runs)
            row = {"data": name, "config": config, "nn_best": {"hidden": best[0], "l2": best[1],
                   "batch": best[2], "accuracy": best[3], "sd": best[4]},
                   "runs": runs, "accuracy": mean, "sd": sd,
                   "runs_on_fewer_columns": fewer, "goal_met": met}
            out.append(row)
            print("%-13s %-14s %6.2f±%-6.2f %6.2f±%-6.2f %-11s %s" % (
                name, config, best[3], best[4], mean, sd,
                "%d-%d of %d" % (min(ks), max(ks), runs[0]["p"]),
                "met" if met else "not met"))
    print("# goal: the mean test accuracy (2 decimals) at least NN(best)'s honest "
          "one, and most runs on fewer columns than the table has (docs/RESULTS.md)")
    return out

#!/usr/bin/python3
"""The feature-selection goals of issue 14 (docs/SELECTION.md).

For each case and variant, data seeds 1..SEEDS of `fsnsa xor` (k = 3), one
`fsnsa train --method fsa-nsa --features 3 --restarts R` per seed, then the
kept run again alone with --path for its largest epoch loss (a restart is
bit for bit the single run of its seed, docs/algorithm.md). Prints a table
per case and writes JSON. Cases:

  p100   n = 3000, p = P                 (goal: exactly {x0,x1,x2} in >= 9/10)
  p200   n = 10000, p = P2               (goal: >= 5/10)
  wd     n = 3000, p = P, wd 1e-2        (goal: below 0.69 or a message)
  curve  n = 3000, p in CURVE            (hits against p, where it bends)
  grid   the Table 2 grid's job files against L0
  realdata  `train --features auto` on the UCI tables at NN(best)'s h, L2
         and batch, per --realdata-configs, seeds 1..SEEDS, against
         NN(best)'s honest accuracy (bench/selection_realdata.py)

A run is *blown up* when its final training loss is worse than predicting
the class frequencies (fsnsa's rule: L > L0 + 1e-3 max(1, L0)) or it broke.
Only the standard library; runs fsnsa with nice -n 5 by default.

  bench/selection.py --fsnsa build/fsnsa --seeds 10 --restarts 16
  options: --cases p100 p200 wd --variants paper stable --p 100 --p2 200
           --curve 15 30 50 75 100 --threads 2 --json FILE --work DIR
"""
import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import selection_realdata

TRUE = ["x0", "x1", "x2"]


def sh(cmd, nice):
    full = (["nice", "-n", str(nice)] if nice else []) + cmd
    return subprocess.run(full, capture_output=True, text=True)


def default_variant(fsnsa):
    r = sh([fsnsa, "train", "--help"], 0)
    m = re.search(r"--variant V.*?\[(\w+)\]", r.stdout, re.S)
    return m.group(1) if m else "?"


def xor_data(a, work, n, p, seed, test):
    name = os.path.join(work, "x_n%d_p%d_s%d%s.csv" % (n, p, seed, "t" if test else ""))
    if not os.path.exists(name):
        cmd = [a.fsnsa, "xor", "--n", str(n), "--p", str(p), "--k", "3",
               "--seed", str(seed), "-o", name] + (["--test"] if test else [])
        r = sh(cmd, 0)
        if r.returncode != 0:
            raise SystemExit("fsnsa xor failed: " + r.stderr)
    return name


def constant_loss(path):
    ones = rows = 0
    with open(path) as f:
        next(f)
        for line in f:
            rows += 1
            ones += line.rstrip().endswith(",1")
    q = ones / rows
    return -(q * math.log(q) + (1 - q) * math.log(1 - q))


def parse_runs(stderr):
    runs = []
    for line in stderr.splitlines():
        m = re.match(r"(\d+)\s+(\d+)\s+(\S+)\s+(\(broken, not kept\) )?(\S*)", line)
        if m and not line.startswith("restart"):
            feats = sorted(m.group(5).split(",")) if m.group(5) else []
            runs.append({"seed": int(m.group(2)), "loss": float(m.group(3)),
                         "broken": bool(m.group(4)), "features": feats,
                         "kept": "(kept)" in line})
    return runs


def max_epoch_loss(a, base, seed, work):
    """The kept run again alone (base ends with DATA MODEL), its --path."""
    path = os.path.join(work, "path.tsv")
    model = os.path.join(work, "replay.model")
    cmd = [a.fsnsa] + base[:-2] + ["--seed", str(seed), "--keep-going", "-q",
                                   "--path", path, base[-2], model]
    sh(cmd, a.nice)
    if not os.path.exists(path):
        return None
    worst = 0.0
    with open(path) as f:
        for line in f:
            cols = line.split("\t")
            if cols[0].isdigit():
                v = float(cols[3])
                if math.isnan(v) or math.isnan(worst):
                    worst = float("nan")
                else:
                    worst = max(worst, v)
    for f in (path, model):
        if os.path.exists(f):
            os.remove(f)
    return worst


def run_one(a, work, case, variant, seed, n, p, wd):
    train = xor_data(a, work, n, p, seed, False)
    test = xor_data(a, work, n, p, seed, True)
    L0 = constant_loss(train)
    model = os.path.join(work, "m.model")
    base = ["train", "--method", "fsa-nsa", "--features", "3", "--variant", variant,
            "--threads", str(a.threads), "--test", test]
    if wd is not None:
        base += ["--weight-decay", repr(wd)]
    base += [train, model]
    t0 = time.time()
    r = sh([a.fsnsa] + base[:-2] + ["--restarts", str(a.restarts)] + base[-2:], a.nice)
    secs = time.time() - t0
    runs = parse_runs(r.stderr)
    sel = re.search(r"^selected (.*)$", r.stdout, re.M)
    loss = re.search(r"^train\s+rows \d+\s+loss (\S+)", r.stdout, re.M)
    auc = re.search(r"^test\s+rows \d+\s+loss \S+\s+accuracy \S+\s+AUC (\S+)", r.stdout, re.M)
    kept = [x for x in runs if x["kept"]]
    res = {"case": case, "variant": variant, "data_seed": seed, "n": n, "p": p,
           "weight_decay": wd, "restarts": a.restarts, "exit": r.returncode,
           "seconds": round(secs, 1), "constant_loss": L0,
           "selected": sorted(sel.group(1).split()) if sel else None,
           "final_loss": float(loss.group(1)) if loss else None,
           "test_auc": float(auc.group(1)) if auc else None,
           "runs": runs}
    res["hit"] = res["selected"] == TRUE
    res["run_hits"] = sum(x["features"] == TRUE for x in runs)
    margin = 1e-3 * max(1.0, L0)
    res["blown_runs"] = sum(x["broken"] or not x["loss"] <= L0 + margin for x in runs)
    if r.returncode != 0 and not runs and "worse than" in r.stderr:
        # the lowest final loss was worse than L0 (no table is printed):
        # so was every run's
        res["blown_runs"] = a.restarts
    if r.returncode != 0:
        res["message"] = " / ".join(l for l in r.stderr.strip().splitlines()
                                     if not re.match(r"\d+\s|restart\s", l))
    if kept:
        res["max_epoch_loss"] = max_epoch_loss(a, base, kept[0]["seed"], work)
    if os.path.exists(model):
        os.remove(model)
    return res


def fmt(v, f="%.4f"):
    return "-" if v is None else f % v


def table(results, case, default):
    rows = [r for r in results if r["case"] == case]
    if not rows:
        return
    r0 = rows[0]
    print("\n## %s: n = %d, p = %d%s, restarts %d" % (
        case, r0["n"], r0["p"], "" if r0["weight_decay"] is None
        else ", weight decay %g" % r0["weight_decay"], r0["restarts"]))
    print("%-8s %4s %-14s %9s %9s %8s %6s %6s %6s %s" % (
        "variant", "seed", "selected", "final", "max_ep", "test_auc", "L0",
        "hits/R", "blown", "seconds"))
    for r in rows:
        v = r["variant"] + ("*" if r["variant"] == default else "")
        sel = ",".join(r["selected"]) if r["selected"] else "(none: exit %d)" % r["exit"]
        print("%-8s %4d %-14s %9s %9s %8s %6.4f %3d/%-2d %6d %.0f" % (
            v, r["data_seed"], sel, fmt(r["final_loss"]), fmt(r.get("max_epoch_loss"), "%.4g"),
            fmt(r["test_auc"]), r["constant_loss"], r["run_hits"], len(r["runs"]),
            r["blown_runs"], r["seconds"]))
        if r.get("message"):
            print("         message: " + r["message"])
    for v in sorted({r["variant"] for r in rows}):
        vr = [r for r in rows if r["variant"] == v]
        print("# %s%s: exactly {x0,x1,x2} in %d of %d seeds; single runs %d of %d; "
              "blown-up runs %d; kept final loss %s..%s" % (
                  v, " (default)" if v == default else "", sum(r["hit"] for r in vr), len(vr),
                  sum(r["run_hits"] for r in vr), sum(len(r["runs"]) for r in vr),
                  sum(r["blown_runs"] for r in vr),
                  fmt(min((r["final_loss"] for r in vr if r["final_loss"] is not None), default=None)),
                  fmt(max((r["final_loss"] for r in vr if r["final_loss"] is not None), default=None))))
    sys.stdout.flush()

def grid_constant_loss(a, name, work):
    """L0 of the grid's training rows: `fsnsa restarts` on the same split."""
    os.makedirs(os.path.join(work, "data"), exist_ok=True)
    env = dict(os.environ, out=work, D=a.datasets)
    r = subprocess.run(["sh", "-c", '. paper/datasets.sh; dataset "$0"', name],
                       env=env, capture_output=True, text=True)
    spec = r.stdout.split()
    r = sh([a.fsnsa, "restarts"] + spec + ["--test-fraction", "0.2", "--split-seed", "0",
                                           "--restarts", "1", "--epochs", "1",
                                           "--hidden", "2", "--threads", "1"], a.nice)
    m = re.search(r"constant_loss=(\S+)", r.stdout)
    if not m:
        raise SystemExit("no constant loss for %s: %s" % (name, r.stderr))
    return float(m.group(1))


def grid_check(a, work):
    """Every line of paper/full's grid job files against L0 (docs/SELECTION.md)."""
    out = []
    print("\n## Table 2 grid job files (%s): final training loss against L0" % a.grid_jobs)
    print("%-13s %6s %6s %5s %9s %7s %9s %9s %9s" % (
        "data", "L0", "cv", "cvnan", "cv>L0/fn", "final", "final>L0", "max_final", "max_cv"))
    for name in ["car", "segmentation", "optdigits", "mfeat", "isolet"]:
        path = os.path.join(a.grid_jobs, "grid-%s.tsv" % name)
        if not os.path.exists(path):
            continue
        L0 = grid_constant_loss(a, name, work)
        margin = 1e-3 * max(1.0, L0)
        cv = []
        final = []
        with open(path) as f:
            for line in f:
                c = line.rstrip("\n").split("\t")
                if c[0].startswith("cv/"):
                    cv.append((c[0], float(c[1]), float(c[2])))
                elif c[0].startswith("final/"):
                    final.append((c[0], float(c[3])))
        bad_final = [k for k, l in final if not l <= L0 + margin]
        row = {"data": name, "constant_loss": L0, "cv_lines": len(cv),
               "cv_acc_nan": sum(math.isnan(x[1]) for x in cv),
               "cv_val_loss_above_L0": sum(not x[2] <= L0 + margin for x in cv),
               "cv_above_L0_fsa_nsa": sorted(x[0] for x in cv if not x[2] <= L0 + margin
                                             and x[0].startswith("cv/fsa-nsa/")),
               "final_lines": len(final), "final_loss_above_L0": bad_final,
               "max_final_loss": max((l for k, l in final), default=None),
               "max_cv_val_loss": max((x[2] for x in cv), default=None),
               "worst_cv": max(cv, key=lambda x: x[2])[0] if cv else None}
        out.append(row)
        print("%-13s %6.4f %6d %5d %5d/%-3d %7d %9d %9s %9s" % (
            name, L0, len(cv), row["cv_acc_nan"], row["cv_val_loss_above_L0"],
            len(row["cv_above_L0_fsa_nsa"]), len(final),
            len(bad_final), fmt(row["max_final_loss"]), fmt(row["max_cv_val_loss"])))
    print("# cv: validation loss (a CV line records no training loss), /fn: of them "
          "FSA+NSA folds; final: the retrainings' final training loss, the figure "
          "fsnsa's broken check compares")
    sys.stdout.flush()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fsnsa", default="build/fsnsa")
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--restarts", type=int, default=16)
    ap.add_argument("--p", type=int, default=100)
    ap.add_argument("--p2", type=int, default=200)
    ap.add_argument("--n2", type=int, default=10000)
    ap.add_argument("--curve", type=int, nargs="*", default=[15, 30, 50, 75, 100])
    ap.add_argument("--cases", nargs="*", default=["p100", "p200", "wd"])
    ap.add_argument("--variants", nargs="*", default=["paper", "stable"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--nice", type=int, default=5)
    ap.add_argument("--json", default="bench/selection.json")
    ap.add_argument("--work", default=None)
    ap.add_argument("--grid-jobs", default="paper/full/jobs")
    ap.add_argument("--tables", nargs="*", default=selection_realdata.TABLES)
    ap.add_argument("--realdata-configs", nargs="*", default=["one-se", "min-refit"],
                    choices=sorted(selection_realdata.CONFIGS))
    ap.add_argument("--datasets", default=os.environ.get(
        "FSNSA_DATASETS", os.path.abspath("../shared/datasets")))
    a = ap.parse_args()
    default = default_variant(a.fsnsa)
    work = a.work or tempfile.mkdtemp(prefix="fsnsa-selection-")
    os.makedirs(work, exist_ok=True)
    seeds = range(a.first_seed, a.first_seed + a.seeds)
    plan = []
    for case in a.cases:
        if case in ("grid", "realdata"):
            continue
        if case == "curve":
            plan += [("curve-p%d" % p, 3000, p, None) for p in a.curve]
        else:
            plan.append({"p100": (case, 3000, a.p, None), "p200": (case, a.n2, a.p2, None),
                         "wd": (case, 3000, a.p, 1e-2)}[case])
    start = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    print("# fsnsa selection benchmark, %s; default variant: %s (marked *); "
          "seeds %d..%d, restarts %d, threads %d, nice %d" % (
              start, default, seeds[0], seeds[-1], a.restarts, a.threads, a.nice))
    results = []
    out = {"started": start, "default_variant": default, "restarts": a.restarts,
           "threads": a.threads, "seeds": list(seeds), "results": results}
    for case, n, p, wd in plan:
        for v in a.variants:
            for s in seeds:
                results.append(run_one(a, work, case, v, s, n, p, wd))
                out["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
                with open(a.json + ".tmp", "w") as f:
                    json.dump(out, f, indent=1)
                os.replace(a.json + ".tmp", a.json)
        table(results, case, default)
    if "grid" in a.cases:
        out["grid"] = grid_check(a, work)
        with open(a.json + ".tmp", "w") as f:
            json.dump(out, f, indent=1)
        os.replace(a.json + ".tmp", a.json)
    if "realdata" in a.cases:
        out["realdata"] = selection_realdata.run(a, sh, work, seeds)
        out["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        with open(a.json + ".tmp", "w") as f:
            json.dump(out, f, indent=1)
        os.replace(a.json + ".tmp", a.json)
    print("# finished %s; JSON: %s" % (out.get("finished", start), a.json))
    if a.work is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()

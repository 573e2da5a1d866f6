#!/usr/bin/python3
"""fsnsa performance suite (issue 5): fsnsa against the PyTorch peer.

Runs workloads W1-W6 with fsnsa (bench/fsnsa-bench, one process per run, so
peak RSS is per workload) and with ../shared/peers/torch_fsa_nsa.py (the
same command lines as the peer's bench_peers.py), round-robin over all
configurations and repeats, at 1 and 2 threads; prints a table and writes
bench/results.json. Only the standard library is needed; the peer is skipped
with a note when python3-torch is missing (scripts/deps.sh bench installs it).

  bench/run.py --bench build/bench/fsnsa-bench            # full (~10 min)
  bench/run.py --bench build/bench/fsnsa-bench --quick    # ~2 min
  options: --repeats N --threads 1 2 --workloads W1 W5 --no-torch
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.abspath(os.path.join(HERE, "..", "..", "shared"))
PEERS = os.path.join(SHARED, "peers")
TORCH_PY = "/usr/bin/python3"

TARGETS = {  # workload -> (minimum torch/fsnsa ratio, text)
    "W1": (10.0, ">= 10x torch"),
    "W2": (3.0, ">= 3x torch"),
    "W3": (1.5, ">= 1.5x torch and >= 70% of sgemm GFLOP/s"),
    "W4": (3.0, ">= 3x torch; RSS <= 1.5 x (data+params+Adam+batch) + 10 MB"),
    "W5": (10.0, ">= 10x torch; total <= 0.45 x 300 dense H=1024 epochs"),
    "W6": (None, "2 threads >= 1.8x the throughput of 1, identical results"),
}


def peer_workloads():
    sys.path.insert(0, PEERS)
    try:
        import bench_peers  # the peer's own definitions: the same command lines
        return bench_peers.WORKLOADS
    finally:
        sys.path.pop(0)


def have_torch():
    try:
        r = subprocess.run([TORCH_PY, "-c", "import torch"], capture_output=True)
        return r.returncode == 0
    except OSError:
        return False


def run_json(cmd, env):
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr[-2000:])
        raise SystemExit("failed: " + " ".join(cmd))
    return json.loads(r.stdout.strip().splitlines()[-1])


def env_for(threads, blas_threads):
    e = dict(os.environ)
    e["OMP_NUM_THREADS"] = str(threads)
    e["OPENBLAS_NUM_THREADS"] = str(blas_threads)
    # libgomp's default wait policy unless the caller sets one: it is what
    # users of the command get (docs/PERFORMANCE.md, "OpenMP waiting")
    return e


def torch_cmd(w, spec, t, epochs):
    args = list(spec["args"])
    if epochs is not None and "--epochs" in args:
        args[args.index("--epochs") + 1] = str(epochs)
    if w == "W6":
        extra = ["--threads", "1", "--jobs", str(t), "--log-every", "0", "--method", "nn"]
    else:
        extra = ["--threads", str(t), "--log-every", "0"]
        if "--method" not in args:
            extra += ["--method", "nn"]
    return [TORCH_PY, os.path.join(PEERS, "torch_fsa_nsa.py")] + args + extra


def torch_value(w, res):
    if w in ("W5", "W6"):
        return res["seconds_total"]
    return res.get("seconds_per_epoch_median") or res["seconds_per_epoch"]


def fsnsa_value(w, res):
    return res["seconds_total"] if w in ("W5", "W6") else res["seconds_per_epoch"]


def mem_model_w4(res):
    """bytes of data + params + Adam (2 moments) + one batch of activations"""
    n, p, C, h, B = res["n"], res["p"], res["classes"], res["h"], res["batch"]
    data = n * p * 4 + n * 4
    params = (h * p + h + h * C + C) * 4
    adam = 2 * params
    batch = B * (p + h + C) * 4
    return data + params + adam + batch


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", required=True, help="the fsnsa-bench program")
    ap.add_argument("--workloads", nargs="+", default=["W1", "W2", "W3", "W4", "W5", "W6"])
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="1 repeat, W5 and W6 torch skipped")
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--parse", default=None, help="bench/parse (data set reading), run once at the end")
    ap.add_argument("--out", default=os.path.join(HERE, "results.json"))
    a = ap.parse_args()
    if a.quick:
        a.repeats = 1
    torch_ok = not a.no_torch and have_torch() and os.path.exists(os.path.join(PEERS, "torch_fsa_nsa.py"))
    note = None
    if not torch_ok:
        note = ("PyTorch peer skipped: " + ("--no-torch" if a.no_torch else
                "python3-torch not installed or ../shared/peers missing (scripts/deps.sh bench)"))
        print("note:", note)
    specs = peer_workloads() if torch_ok else {}

    configs = []
    for w in a.workloads:
        for t in a.threads:
            # fsnsa: W6 = T threads over restarts; otherwise T threads within a step
            configs.append(dict(w=w, impl="fsnsa", t=t, env=env_for(t, 1),
                                cmd=[a.bench, w, "--threads", str(t)], vals=[], runs=[]))
            if w in ("W3", "W4") or (w == "W1" and t == 1):
                configs.append(dict(w=w, impl="sgemm", t=t, env=env_for(t, t),
                                    cmd=[a.bench, w, "--threads", str(t), "--sgemm"], vals=[], runs=[]))
            if w in ("W1", "W4") and t == 1:
                configs.append(dict(w=w, impl="adam", t=t, env=env_for(1, 1),
                                    cmd=[a.bench, w, "--adam"], vals=[], runs=[]))
            if torch_ok and not (a.quick and w in ("W5", "W6")):
                configs.append(dict(w=w, impl="torch", t=t, env=env_for(t, t),
                                    cmd=torch_cmd(w, specs[w], t, None), vals=[], runs=[],
                                    reps=1 if w == "W6" else None))
    t0 = time.time()
    for rep in range(a.repeats):
        for c in configs:
            if c.get("reps") is not None and rep >= c["reps"]:
                continue
            res = run_json(c["cmd"], c["env"])
            c["runs"].append(res)
            c["vals"].append(torch_value(c["w"], res) if c["impl"] == "torch"
                             else res["seconds_per_epoch"] if c["impl"] in ("sgemm", "adam")
                             else fsnsa_value(c["w"], res))
            sys.stderr.write("  %-3s %-6s %dT rep %d: %.5g s\n" % (c["w"], c["impl"], c["t"], rep, c["vals"][-1]))

    def get(w, impl, t):
        for c in configs:
            if c["w"] == w and c["impl"] == impl and c["t"] == t and c["vals"]:
                return c
        return None

    rows = []
    for w in a.workloads:
        for t in a.threads:
            f, tc, sg = get(w, "fsnsa", t), get(w, "torch", t), get(w, "sgemm", t)
            fv = statistics.median(f["vals"])
            last = f["runs"][-1]
            row = dict(workload=w, threads=t, fsnsa=fv, unit="s total" if w in ("W5", "W6") else "s/epoch",
                       fsnsa_runs=f["vals"], maxrss_mb=max(r["train_peak_rss_kb"] for r in f["runs"]) / 1024.0,
                       process_maxrss_mb=max(r["maxrss_kb"] for r in f["runs"]) / 1024.0,
                       target=TARGETS[w][1], checks={})
            if "gflops" in last:
                row["gflops"] = last["flops_epoch"] / fv * 1e-9
                row["samples_per_s"] = last["n"] / fv
            if tc:
                row["torch"] = statistics.median(tc["vals"])
                row["torch_runs"] = tc["vals"]
                row["ratio"] = row["torch"] / fv
                if TARGETS[w][0] is not None:
                    row["checks"]["vs_torch"] = row["ratio"] >= TARGETS[w][0]
            ad = get(w, "adam", 1)
            if ad:
                # torch-exact Adam alone, one epoch of steps: a floor for any
                # implementation with the same optimizer arithmetic
                row["adam_floor"] = statistics.median(ad["vals"])
            if sg:
                sv = statistics.median(sg["vals"])
                row["sgemm_s"] = sv
                row["sgemm_gflops"] = last["flops_epoch"] / sv * 1e-9
                row["fraction_of_sgemm"] = row["gflops"] / row["sgemm_gflops"]
                if w == "W3":
                    row["checks"]["sgemm_70pct"] = row["fraction_of_sgemm"] >= 0.70
            if w == "W4":
                need = mem_model_w4(last)
                row["mem_model_mb"] = need / 2**20
                row["mem_limit_mb"] = (1.5 * need + 10 * 2**20) / 2**20
                row["checks"]["rss"] = row["maxrss_mb"] <= row["mem_limit_mb"]
                row["data"] = last["data"]
            if w == "W5":
                w1 = get("W1", "fsnsa", t)
                if w1:
                    dense = 300 * statistics.median(w1["vals"])
                    row["dense_300_epochs"] = dense
                    row["pruning_fraction"] = fv / dense
                    row["checks"]["pruning_0.45"] = row["pruning_fraction"] <= 0.45
                row["phases_s_per_epoch"] = [last["seconds_epoch_full"], last["seconds_epoch_pruning"],
                                             last["seconds_epoch_final"]]
                row["selected_features"] = last["selected_features"]
            if w == "W6":
                row["checksum"] = last["checksum"]
                one = get("W6", "fsnsa", 1)
                if one and t != 1:
                    row["speedup_vs_1"] = statistics.median(one["vals"]) / fv
                    row["checks"]["speedup_1.8"] = row["speedup_vs_1"] >= 1.8
                    row["checks"]["identical"] = all(r["checksum"] == one["runs"][0]["checksum"]
                                                     for r in one["runs"] + f["runs"])
            rows.append(row)

    print("\nfsnsa vs PyTorch peer (%s, %s; medians of %d run(s), round-robin)" %
          (platform.processor() or platform.machine(), cpu_name(), a.repeats))
    hdr = "%-3s %2s %10s %10s %7s %8s %8s %7s  %s" % ("", "T", "fsnsa", "torch", "ratio", "GFLOP/s",
                                                      "sgemm", "RSS MB", "target: met?")
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        checks = ", ".join("%s %s" % (k, "yes" if v else "NO") for k, v in r["checks"].items()) or "-"
        extra = ""
        if "pruning_fraction" in r:
            extra = "; %.2f x dense" % r["pruning_fraction"]
        if "speedup_vs_1" in r:
            extra = "; %.2fx vs 1T" % r["speedup_vs_1"]
        if "fraction_of_sgemm" in r:
            extra = "; %.0f%% of sgemm" % (100 * r["fraction_of_sgemm"])
        if "adam_floor" in r:
            extra += "; Adam alone %.4g s" % r["adam_floor"]
            if "sgemm_s" in r:
                extra += ", sgemm shapes + Adam %.4g s" % (r["sgemm_s"] + r["adam_floor"])
        print("%-3s %2d %10.4g %10s %7s %8s %8s %7.1f  %s%s" % (
            r["workload"], r["threads"], r["fsnsa"],
            "%.4g" % r["torch"] if "torch" in r else "-",
            "%.1fx" % r["ratio"] if "ratio" in r else "-",
            "%.1f" % r["gflops"] if "gflops" in r else "-",
            "%.1f" % r["sgemm_gflops"] if "sgemm_gflops" in r else "-",
            r["maxrss_mb"], checks, extra))
    print("units: W1-W4 s/epoch, W5-W6 s total; %.0f s" % (time.time() - t0))
    parse = None
    if a.parse:
        ds = os.environ.get("FSNSA_DATASETS") or os.path.join(SHARED, "datasets")
        if os.path.isdir(ds):
            r = subprocess.run([a.parse, ds, "1" if a.quick else "3"], capture_output=True, text=True)
            print("\ndata set reading (bench/parse):")
            print("\n".join(l for l in r.stdout.splitlines() if not l.startswith("{")))
            parse = [json.loads(l) for l in r.stdout.splitlines() if l.startswith("{")]
            if r.returncode != 0:
                print("bench/parse failed:", r.stderr.strip()[-500:])
        else:
            print("data set reading skipped: no", ds)
    out = dict(parse=parse, machine=dict(cpu=cpu_name(), nproc=os.cpu_count(), python=platform.python_version()),
               repeats=a.repeats, quick=a.quick, note=note, rows=rows)
    with open(a.out, "w") as fh:
        json.dump(out, fh, indent=1)
    print("wrote", a.out)


def cpu_name():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


if __name__ == "__main__":
    main()

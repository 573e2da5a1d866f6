#!/usr/bin/python3
"""fsnsa-mpi scaling (issue 17, docs/distributed.md): make bench's section.

1. Table 2's grid on Car (paper/run.sh's full settings, one CV repeat) at
   np = 1 and np = 2, one after the other in this run: wall times, parallel
   efficiency t1 / (2 t2), and whether the printed tables and the job lines
   (sorted, the seconds left out) are identical.
2. The dispatcher's throughput: restarts of a 2-node net for 1 epoch on 4
   rows (about 20 us each) at np = 4 (oversubscribed), with a job file, for
   a small and a large number of jobs; jobs per second = the extra jobs /
   the extra wall time, and how many workers that rate keeps busy at the
   median job time of the committed job files (paper/full/jobs).

  bench/scaling.py --mpi build/fsnsa-mpi [--quick] [--out bench/scaling.json]

--quick: a reduced Car grid (hidden 16,64, L2 0.0001,0.01, batch 32, one
FSA+NSA size, 5 folds) and fewer dispatcher jobs. Wall times are of
`mpirun --oversubscribe -np N` and include Open MPI's start (about 0.5 s).
"""
import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.abspath(os.path.join(HERE, "..", "..", "shared"))

# paper/run.sh, full mode, Table 2 on Car (one CV repeat: --repeats 1)
CAR_GRID = ["--name", "Car Evaluation", "--sizes", "5:8,10:8,15:8,10:16",
            "--start-hidden", "1024", "--epochs", "300", "--batch", "32",
            "--progress", "off", "--variant", "paper", "--repeats", "1",
            "--threads", "1"]
CAR_QUICK = ["--grid-hidden", "16,64", "--grid-l2", "0.0001,0.01",
             "--grid-batch", "32", "--sizes", "10:8", "--retrains", "3"]
EMPTY_JOB = ["restarts", "--xor", "2", "--n", "4", "--test-n", "0",
             "--hidden", "2", "--epochs", "1", "--batch", "full",
             "--progress", "off", "-q", "--threads", "1"]


def mpirun(np_):
    return ["mpirun", "--oversubscribe", "-np", str(np_)]


def env():
    e = dict(os.environ)
    e.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
    e.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    e["OMP_NUM_THREADS"] = "1"
    return e


def timed(cmd, out_path=None, timeout=3600):
    t0 = time.monotonic()
    with open(out_path or os.devnull, "w") as out:
        r = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True,
                           env=env(), timeout=timeout)
    dt = time.monotonic() - t0
    if r.returncode != 0:
        sys.stderr.write(r.stderr[-2000:])
        raise SystemExit("failed: " + " ".join(cmd))
    return dt


def job_lines(path, seconds_cols):
    """The job lines sorted, without the seconds a job took."""
    with open(path) as fh:
        fh.readline()
        out = []
        for line in fh:
            f = line.rstrip("\n").split("\t")[:-1]  # and not the checksum
            kind = f[0].split("/")[0]
            drop = seconds_cols.get(kind)
            out.append("\t".join(v for i, v in enumerate(f)
                                 if drop is None or i != drop + 1))
    return sorted(out)


def job_seconds(path):
    """The sum of the seconds the grid's jobs took (as they ran)."""
    total = 0.0
    with open(path) as fh:
        fh.readline()
        for line in fh:
            f = line.split("\t")
            total += float(f[3] if f[0].startswith("cv/") else f[7])
    return total


def car_section(mpi, quick, tmp):
    data = os.path.join(os.environ.get("FSNSA_DATASETS") or
                        os.path.join(SHARED, "datasets"), "car", "car.data")
    if not os.path.exists(data):
        return {"skipped": "no " + data}
    args = CAR_GRID + (CAR_QUICK if quick else [])
    res = {"command": "grid car.data " + " ".join(args), "runs": {}}
    tables = {}
    for np_ in (1, 2):
        jobs = os.path.join(tmp, "car%d.tsv" % np_)
        table = os.path.join(tmp, "car%d.md" % np_)
        load = os.getloadavg()[0]
        dt = timed(mpirun(np_) + [mpi, "grid", data] + args +
                   ["--results", jobs], table)
        # busy: the share of the trainers' time spent in jobs; unlike the
        # wall times it does not gain from the CPU share of more processes
        # on a machine loaded by others
        res["runs"][np_] = {"wall_s": dt, "load_before": load,
                            "load_after": os.getloadavg()[0],
                            "busy": job_seconds(jobs) / (np_ * dt)}
        with open(table) as fh:
            tables[np_] = fh.read()
    # cv=acc loss seconds, final=acc peek_acc loss weights hidden features seconds
    cols = {"cv": 2, "final": 6}
    res["same_table"] = tables[1] == tables[2]
    res["same_jobs"] = (job_lines(os.path.join(tmp, "car1.tsv"), cols) ==
                        job_lines(os.path.join(tmp, "car2.tsv"), cols))
    res["n_jobs"] = len(job_lines(os.path.join(tmp, "car1.tsv"), cols))
    t1, t2 = res["runs"][1]["wall_s"], res["runs"][2]["wall_s"]
    res["speedup"] = t1 / t2
    res["efficiency"] = t1 / (2 * t2)
    return res


def median_job_seconds():
    times = []
    for path in glob.glob(os.path.join(HERE, "..", "paper", "full", "jobs",
                                       "*.tsv")):
        with open(path) as fh:
            head = fh.readline()
            grid = "sweep=grid" in head
            for line in fh:
                f = line.split("\t")
                if grid:
                    times.append(float(f[3] if f[0].startswith("cv/") else f[7]))
                elif len(f) > 6:
                    times.append(float(f[6]))
    return statistics.median(times) if times else None


def dispatch_section(mpi, quick, tmp, np_=4):
    small, large = (2000, 50000) if quick else (10000, 200000)
    res = {"np": np_, "runs": {}}
    for n in (small, large):
        walls = []
        for rep in range(3):
            jobs = os.path.join(tmp, "empty.tsv")
            if os.path.exists(jobs):
                os.remove(jobs)
            walls.append(timed(mpirun(np_) + [mpi] + EMPTY_JOB +
                               ["--restarts", str(n), "--results", jobs]))
        res["runs"][n] = min(walls)
    res["load"] = os.getloadavg()[0]
    res["jobs_per_s"] = (large - small) / max(res["runs"][large] -
                                              res["runs"][small], 1e-9)
    m = median_job_seconds()
    res["median_job_s"] = m
    res["workers_kept_busy"] = res["jobs_per_s"] * m if m else None
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mpi", required=True, help="build/fsnsa-mpi")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=os.path.join(HERE, "scaling.json"))
    a = ap.parse_args()
    if shutil.which("mpirun") is None or not os.path.exists(a.mpi):
        print("\nscaling (fsnsa-mpi) skipped: no mpirun or no %s" % a.mpi)
        return
    start = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    tmp = tempfile.mkdtemp(prefix="fsnsa-scaling.")
    try:
        car = car_section(a.mpi, a.quick, tmp)
        disp = dispatch_section(a.mpi, a.quick, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("\nfsnsa-mpi scaling (%s, %d cores, started %s)" %
          ("quick: reduced Car grid" if a.quick else "Car grid, one CV repeat",
           os.cpu_count(), start))
    if "skipped" in car:
        print("Car grid skipped:", car["skipped"])
    else:
        print("%-4s %10s %8s %8s %8s" % ("np", "wall s", "load1", "busy",
                                          "eff"))
        for np_, r in car["runs"].items():
            print("%-4s %10.1f %8.1f %7.0f%% %8s" % (
                np_, r["wall_s"], r["load_before"], 100 * r["busy"],
                "%.0f%%" % (100 * car["efficiency"]) if np_ == 2 else "-"))
        print("%d jobs; np=2 same table: %s, same job lines: %s" % (
            car["n_jobs"], car["same_table"], car["same_jobs"]))
    print("dispatcher: %.0f jobs/s at np=%d (near-empty jobs, job file; "
          "%d vs %d jobs: %.2f s vs %.2f s; load %.1f)" % (
              disp["jobs_per_s"], disp["np"], *disp["runs"].keys(),
              *disp["runs"].values(), disp["load"]))
    if disp["workers_kept_busy"]:
        print("  keeps %.0f workers busy at the median job time %.3g s "
              "(paper/full/jobs)" % (disp["workers_kept_busy"],
                                     disp["median_job_s"]))
    with open(a.out, "w") as fh:
        json.dump({"started": start, "quick": a.quick, "car": car,
                   "dispatcher": disp}, fh, indent=1)
    print("wrote", a.out)


if __name__ == "__main__":
    main()

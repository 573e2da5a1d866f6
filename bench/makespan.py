#!/usr/bin/python3
"""Simulated cluster makespans of the paper's sweeps (docs/distributed.md).

Reads the committed job files of Table 2 (grid-*.tsv) and Figure 7
(fig7-*.tsv) under paper/full/jobs, whose lines carry each job's measured
seconds, and replays fsnsa-mpi's dispatch on R ranks (every rank trains,
rank 0 too): jobs handed out one at a time to whichever rank is idle,
costliest first by the grid's estimate (fsnsa__grid_cost: a dense net's
hidden nodes, FSA+NSA's start-hidden / 2; restarts: seed order), with the
manager handing out at most one job per --dispatch-us. A grid's
retrainings wait for all its CV jobs (two phases). The ideal of a phase
is max(total work / R, its longest job).

  bench/makespan.py [--jobs paper/full/jobs] [--ranks 16 64 256 1024]
                    [--repeats 10] [--dispatch-us 50] [--json FILE]

--repeats N fills a grid that ran fewer CV repeats (ISOLET: 1) up to N
with its measured repeats' times, cycled: the paper's 10 repeats.
"""
import argparse
import glob
import heapq
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def header_field(header, name):
    m = re.search(r"(?:^|\t)" + re.escape(name) + r"=([^\t]*)", header)
    return m.group(1) if m else None


def seconds_columns(values):
    """values= of a job file -> {kind: index of 'seconds'} ('' for one
    kind): 'cv=acc loss seconds, final=... seconds' or 'loss ... seconds'."""
    out = {}
    for part in values.split(","):
        part = part.strip()
        kind, _, names = part.rpartition("=")
        out[kind] = names.split().index("seconds")
    return out


def grid_cost(key, start_hidden):
    """fsnsa__grid_cost without the factors common to one grid."""
    m = re.search(r"/dense/h(\d+)/", key)
    return float(m.group(1)) if m else start_hidden / 2.0


def tie_order(key):
    """The grid's job order among equal costs: settings, repeat, fold."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", key)]


def read_jobs(path):
    with open(path, encoding="utf-8") as fh:
        header = fh.readline()
        cols = seconds_columns(header_field(header, "values") or "seconds")
        sweep = header_field(header, "sweep")
        start = float(header_field(header, "start-hidden") or 0)
        jobs = []
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 3:
                continue
            kind = f[0].split("/")[0] if sweep == "grid" else ""
            idx = cols.get(kind, cols.get("", None))
            jobs.append((f[0], float(f[1 + idx])))
    return sweep, start, jobs


def fill_repeats(jobs, want):
    """CV jobs of the missing repeats, with the measured repeats' times."""
    have = sorted({int(m.group(1)) for k, _ in jobs
                   for m in [re.search(r"/r(\d+)/", k)] if m})
    if not have or len(have) >= want:
        return jobs
    by_key = dict(jobs)
    extra = []
    for k, _ in jobs:
        m = re.search(r"/r(\d+)/", k)
        if not m or int(m.group(1)) != have[0]:
            continue
        for r in range(len(have), want):
            src = k.replace("/r%d/" % have[0], "/r%d/" % have[r % len(have)])
            extra.append((k.replace("/r%d/" % have[0], "/r%d/" % r),
                          by_key[src]))
    return jobs + extra


def simulate(times, ranks, dispatch):
    """Makespan of handing out `times` in this order to `ranks` ranks."""
    free = [0.0] * min(ranks, max(len(times), 1))
    heapq.heapify(free)
    last = -dispatch
    end = 0.0
    for t in times:
        start = max(heapq.heappop(free), last + dispatch)
        last = start
        heapq.heappush(free, start + t)
        end = max(end, start + t)
    return end


def phases(sweep, start, jobs, costly_first=True):
    """Each phase's job times in dispatch order (costly_first False: in
    job order, as without a cost estimate)."""
    if sweep != "grid":
        key = lambda kj: int(kj[0].split("=")[1])  # seed order
        return [[t for _, t in sorted(jobs, key=key)]]
    out = []
    for kind in ("cv", "final"):
        ph = [kj for kj in jobs if kj[0].startswith(kind + "/")]
        ph.sort(key=lambda kj: (-grid_cost(kj[0], start) if costly_first
                                else 0, tie_order(kj[0])))
        out.append([t for _, t in ph])
    return out


def fmt(s):
    if s >= 3600:
        return "%.1f h" % (s / 3600)
    if s >= 60:
        return "%.1f min" % (s / 60)
    return "%.1f s" % s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jobs", default=os.path.join(HERE, "..", "paper", "full", "jobs"))
    ap.add_argument("--ranks", type=int, nargs="+", default=[16, 64, 256, 1024])
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--dispatch-us", type=float, default=50.0,
                    help="the manager's time per job handed out")
    ap.add_argument("--json")
    a = ap.parse_args()
    d = a.dispatch_us * 1e-6
    files = sorted(glob.glob(os.path.join(a.jobs, "grid-*.tsv"))) + \
        sorted(glob.glob(os.path.join(a.jobs, "fig7-*.tsv")))
    if not files:
        sys.exit("makespan.py: no job files in %s" % a.jobs)
    groups = {}  # "Table 2" / "Figure 7" -> list of phases
    plain = {}  # the same in job order
    all_times = []
    measured = []  # the committed lines alone, for the median
    for path in files:
        sweep, start, jobs = read_jobs(path)
        measured.extend(t for _, t in jobs)
        if sweep == "grid":
            jobs = fill_repeats(jobs, a.repeats)
        g = "Table 2" if sweep == "grid" else "Figure 7"
        ph = phases(sweep, start, jobs)
        groups.setdefault(g, []).extend(ph)
        plain.setdefault(g, []).extend(phases(sweep, start, jobs, False))
        all_times.extend(t for p in ph for t in p)
    both = "make paper (Table 2 + Figure 7)"
    groups[both] = groups["Table 2"] + groups["Figure 7"]
    plain[both] = plain["Table 2"] + plain["Figure 7"]
    all_sorted = sorted(all_times)
    median = sorted(measured)[len(measured) // 2]
    print("Simulated makespans from %d measured jobs (%s); %d CV repeats; "
          "%.0f us per job handed out" % (len(all_times), os.path.relpath(a.jobs),
                                          a.repeats, a.dispatch_us))
    print("job seconds: median %.3g of the %d committed lines; longest "
          "%.3g, total %s (one core)" % (median, len(measured),
                                         all_sorted[-1], fmt(sum(all_times))))
    print()
    print("| sweeps | ranks | makespan | in job order | work / ranks "
          "| longest job | bound | makespan / bound | efficiency |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    out = {"median_job_s": median, "longest_job_s": all_sorted[-1],
           "total_s": sum(all_times), "repeats": a.repeats,
           "dispatch_us": a.dispatch_us, "rows": []}
    for g, ph in groups.items():
        total = sum(sum(p) for p in ph)
        longest = max(max(p, default=0) for p in ph)
        for r in a.ranks:
            ms = sum(simulate(p, r, d) for p in ph)
            ms_plain = sum(simulate(p, r, d) for p in plain[g])
            ideal = sum(max(sum(p) / r, max(p, default=0)) for p in ph)
            print("| %s | %d | %s | %s | %s | %s | %s | %.2f | %.0f%% |" % (
                g, r, fmt(ms), fmt(ms_plain), fmt(total / r), fmt(longest),
                fmt(ideal), ms / ideal, 100 * total / (r * ms)))
            out["rows"].append({"sweeps": g, "ranks": r, "makespan_s": ms,
                                "job_order_s": ms_plain, "bound_s": ideal,
                                "work_per_rank_s": total / r,
                                "longest_s": longest, "total_s": total})
    print("\nbound: the sum over the sweeps' phases (run one after another) "
          "of max(work / ranks, longest job);\nefficiency: work / (ranks x "
          "makespan)")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()

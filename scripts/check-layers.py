#!/usr/bin/python3
"""Check the library's layering from the objects make built.

The library is five layers, one folder each, in one direction:
    core -> data -> nn -> model -> exp        (then the command, cli/)
A file may call (or include the headers of) its own layer and the layers
below it, never above; no two files may depend on each other, directly or
through others (no cycle); and the command uses the public API only (no
fsnsa__ internal symbol). Calls are read from the objects (nm: what each
object defines and what it needs), includes from the sources, so the check
sees what the compiler saw, not what comments say.

Usage: scripts/check-layers.py BUILD_DIR     (exit 1 and a list on failure)
"""
import os
import re
import subprocess
import sys

LAYERS = ["core", "data", "nn", "model", "exp", "cli"]


def layer_of(path):
    parts = path.split(os.sep)
    if parts[0] == "cli":
        return "cli"
    return parts[1] if parts[0] == "src" and len(parts) > 2 else None


def symbols(obj):
    out = subprocess.run(["nm", "-P", obj], capture_output=True, text=True,
                         check=True).stdout
    defined, needed = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) < 2 or not f[0].startswith("fsnsa"):
            continue
        (needed if f[1] == "U" else defined).add(f[0])
    return defined, needed


def includes(src):
    """Headers of the tree a source includes, as paths from the top."""
    found = []
    here = os.path.dirname(src)
    for m in re.finditer(r'^\s*#\s*include\s+"([^"]+)"', open(src).read(),
                         re.M):
        name = m.group(1)
        for base in (here, "src", "include", "cli"):
            p = os.path.normpath(os.path.join(base, name))
            if os.path.exists(p):
                found.append(p)
                break
    return found


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    sources = []
    for top in ("src", "cli"):
        for d, _, files in os.walk(top):
            sources += [os.path.join(d, f) for f in files if f.endswith(".c")]
    problems = []
    owner, needs = {}, {}
    for src in sorted(sources):
        obj = os.path.join(build, src[:-2] + ".o")
        if src.startswith("cli/mpi/"):
            # fsnsa-mpi's own files: compiled by mpicc only (make MPI=1)
            obj = os.path.join(build, "mpi", src[:-2] + ".o")
            if not os.path.exists(obj):
                continue
        if not os.path.exists(obj):
            problems.append(f"{src}: no object {obj} (run make first)")
            continue
        defined, needed = symbols(obj)
        for s in defined:
            owner[s] = src
        needs[src] = needed
    rank = {name: i for i, name in enumerate(LAYERS)}
    graph = {src: set() for src in needs}
    for src, needed in needs.items():
        lay = layer_of(src)
        for s in sorted(needed):
            dep = owner.get(s)
            if dep is None or dep == src:
                continue
            graph[src].add(dep)
            dl = layer_of(dep)
            if lay == "cli" and s.startswith("fsnsa__"):
                problems.append(f"{src}: the command uses the internal {s} ({dep})")
            elif rank[dl] > rank[lay]:
                problems.append(f"{src} ({lay}) calls {s} of {dep} ({dl}), a layer above")
    for src in needs:
        lay = layer_of(src)
        for h in includes(src):
            hl = layer_of(h)
            if hl is not None and hl != "cli" and rank[hl] > rank[lay]:
                problems.append(f"{src} ({lay}) includes {h} ({hl}), a layer above")
    # cycles: strongly connected components of more than one file (Tarjan)
    index, low, stack, on, comps, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    for comp in comps:
        problems.append("cycle: " + " <-> ".join(comp))
    if problems:
        print("\n".join(problems))
        print(f"check-layers: {len(problems)} problem(s)")
        return 1
    edges = sum(len(v) for v in graph.values())
    print(f"check-layers: {len(graph)} files, {edges} dependencies between "
          f"them, layers {' -> '.join(LAYERS)}: no upward call or include, "
          f"no cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())

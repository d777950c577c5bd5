#!/usr/bin/python3
"""placement.py: the placement matcher on its fixtures and on OR-Library GAP, next to glpsol and cbc.

    bench/placement.py BUILD_DIR [--limits 10,60] [--gap-limit 10] [--no-gap] [--no-baseline]
                       [--only NAME,...] [--large N]

Figures, not assertions. Fixture rows run the daemon's own solve process
(`roosterd --solve-child`, kind placement), so time and peak memory are those
of one solve; glpsol and cbc get the same integer program (`build/pm_run` with
PM_RUN_LP writes it) at the longest limit, under `timeout -s KILL`. --large N
adds a generated instance of N participants (fixtures/generate_placement.py).
GAP rows read ../shared/benchmarks/gap (or $ROOSTER_BENCHMARKS): the first
problem of each OR-Library file and Yagiura's type E files, as minimisation,
with the known optimum (or best known value) beside; skipped with a message
when the directory is absent.
"""

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from solve import BENCHMARKS, ROOT, fmt, gap, run_child, run_lp_baselines, table  # noqa: E402

FIXTURES = ["placement-tholen", "placement-hilversum", "placement-den-haag"]
GAP_FILES = ["gap1", "gap4", "gap8", "gap12", "gapa", "gapb", "gapc", "gapd", "e05100", "e10200",
             "e20200"]


def run_tool(cmd, env=None):
    """A command's stdout, wall seconds and peak MiB (reaped here to read its rusage)."""
    t0 = time.time()
    # variables through env(1), not Popen's env: with env= Python forks instead of
    # vfork, and the child's peak RSS then counts Python's own pages before exec
    pre = ["env"] + ["%s=%s" % kv for kv in (env or {}).items()] if env else []
    p = subprocess.Popen(pre + cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = p.stdout.read()
    _, _, ru = os.wait4(p.pid, 0)
    p.returncode = 0
    return out, time.time() - t0, ru.ru_maxrss / 1024.0


def lp_constant(req):
    w = dict(unplaced=1000, wait_week=10, moved=0)
    w.update(req.get("weights", {}))
    as_of = req.get("as_of")
    c = 0.0
    for p in req["participants"]:
        weeks = 0
        if as_of and p.get("waiting_since"):
            days = (dt.date.fromisoformat(as_of) - dt.date.fromisoformat(p["waiting_since"])).days
            weeks = max(0, days) // 7
        c += w["unplaced"] + w["wait_week"] * weeks
        if p.get("current") is not None:
            c += w["moved"]
    return c


def bench_fixtures(build, names, limits, baseline, large):
    rows = []
    tmp = tempfile.mkdtemp(prefix="roosterd-bench-pm-")
    paths = [(n, os.path.join(ROOT, "fixtures", n + ".json")) for n in names]
    if large:
        path = os.path.join(tmp, "large.json")
        with open(path, "w") as f:
            subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "fixtures", "generate_placement.py"),
                            "--n", str(large), "--placements", str(max(10, large // 4)),
                            "--seed", "7", "--name", "generated-%d" % large], stdout=f, check=True)
        paths.append(("generated-%d" % large, path))
    for name, path in paths:
        if not os.path.exists(path):
            print("skipped %s: no file %s" % (name, path), file=sys.stderr)
            continue
        with open(path) as f:
            req = json.load(f)
        n = "%d/%d" % (len(req["participants"]), len(req["placements"]))
        for lim in limits:
            ans, secs, peak = run_child(build, dict(req, gap=0), lim, kind="placement")
            ok = ans and ans.get("check", {}).get("ok")
            rows.append([name, n, "roosterd", lim, "%.1f" % secs,
                         fmt((ans or {}).get("objective")), fmt((ans or {}).get("bound")),
                         gap((ans or {}).get("objective"), (ans or {}).get("bound")),
                         "%.0f" % peak if peak else "-",
                         (ans or {}).get("status", "-") + ("" if ok else " CHECK FAILED")])
            print("  ".join(str(c) for c in rows[-1]), file=sys.stderr, flush=True)
        if baseline:
            lp = os.path.join(tmp, name + ".lp")
            subprocess.run([os.path.join(build, "pm_run"), path, "0.01"], capture_output=True,
                           env=dict(os.environ, PM_RUN_LP=lp))
            for solver, secs, o, b, st in run_lp_baselines(lp, max(limits), lp_constant(req)):
                rows.append([name, n, solver, max(limits), secs, fmt(o), fmt(b), gap(o, b), "-", st])
    table("Placement matching (objective minimised; gap = (objective - bound) / objective)",
          ["instance", "participants/placements", "solver", "limit s", "time s", "objective",
           "bound", "gap", "peak MiB", "status"], rows)


def known_values():
    v = {}
    path = os.path.join(BENCHMARKS, "gap", "known_values.csv")
    with open(path) as f:
        for line in f.readlines()[1:]:
            c = line.strip().split(",")
            if c[4] == "min":
                v[(c[0], int(c[1]))] = (float(c[5]), c[6])
    return v


def bench_gap(build, lim, baseline):
    d = os.path.join(BENCHMARKS, "gap")
    if not os.path.isdir(d):
        print("\nGAP rows skipped: no %s (set ROOSTER_BENCHMARKS)" % d)
        return
    known = known_values()
    rows = []
    tmp = tempfile.mkdtemp(prefix="roosterd-bench-gap-")
    for name in GAP_FILES:
        path = os.path.join(d, name + ".txt")
        if not os.path.exists(path):
            path = os.path.join(d, "gape", name)
        key = (os.path.basename(path) if name.startswith("gap") else "gape/" + name, 0)
        kv = known.get(key) or known.get((name, 0)) or known.get((name + ".txt", 0))
        kv_s = "%g (%s)" % kv if kv else "-"
        lp = os.path.join(tmp, name + ".lp")
        out, secs, peak = run_tool([os.path.join(build, "pm_run"), "--gap", path, "0", str(lim)],
                                   env={"PM_RUN_LP": lp} if baseline else None)
        f = out.split()
        if len(f) < 7:
            rows.append([name, "roosterd", lim, "-", "-", "-", "-", "-", "failed", kv_s])
            continue
        rows.append([name, "roosterd", lim, "%.1f" % secs, f[1], f[2], gap(float(f[1]), float(f[2])),
                     "%.0f" % peak if peak else "-", f[0] + ("" if f[6] == "ok" else " CHECK FAILED"),
                     kv_s])
        print("  ".join(str(c) for c in rows[-1]), file=sys.stderr, flush=True)
        if baseline:
            for solver, secs, o, b, st in run_lp_baselines(lp, lim):
                rows.append([name, solver, lim, secs, fmt(o), fmt(b), gap(o, b), "-", st, kv_s])
    table("Generalised assignment, OR-Library and Yagiura type E, first problem of each file, "
          "minimised", ["instance", "solver", "limit s", "time s", "objective", "bound", "gap",
                        "peak MiB", "status", "known"], rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--limits", default="10,60")
    ap.add_argument("--gap-limit", type=float, default=10)
    ap.add_argument("--only", default=",".join(FIXTURES))
    ap.add_argument("--large", type=int, default=5000)
    ap.add_argument("--no-gap", action="store_true")
    ap.add_argument("--no-baseline", action="store_true")
    a = ap.parse_args()
    limits = [float(x) for x in a.limits.split(",")]
    bench_fixtures(a.build, [x for x in a.only.split(",") if x], limits, not a.no_baseline, a.large)
    if not a.no_gap:
        bench_gap(a.build, a.gap_limit, not a.no_baseline)


if __name__ == "__main__":
    main()

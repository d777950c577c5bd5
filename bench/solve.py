#!/usr/bin/python3
"""solve.py: roosterd's solver on the fixtures and ITC2007, next to glpsol and cbc.

    bench/solve.py BUILD_DIR [--only NAME,...] [--limits 10,60] [--itc SECONDS] [--no-itc]
                   [--no-baseline] [--replan NAME,...] [--no-replan]

Figures, not assertions. Each roosterd run is the daemon's own solve process
(`roosterd --solve-child`, request on stdin, answer and the checker's verdict
on stdout) so time and peak memory are those of one solve. glpsol and cbc
get the straightforward model of the same instance (`rooster solve
--export-lp`), run under `timeout -s KILL` since both overrun their limits;
sizes whose model would not fit are skipped with the estimated size.
ITC2007 rows read ../shared/benchmarks/itc2007 (or $ROOSTER_BENCHMARKS) and
are skipped with a message when it is absent.

The re-solve table: a fixture solved at the longest limit, then changed as a
term changes (5 % of its learners leave and as many new ones arrive, one room
no running group uses is gone; seeded, so the same every run) and solved at
the shortest limit three times: from scratch, from the first answer (`start`),
and from it with weights.moved 100 (a price on each learner whose lessons
change; what a re-plan takes by default). "moved": learners placed in the first
answer and still in the request whose lessons changed (other dagdelen or
location, or none); "restaffed" and "teachers" from `rooster diff` against the
first answer: learners with another room or teacher on the same dagdelen, and
teachers whose week changed. glpsol and cbc get the straightforward model of the
third request (its moved term included) at the same limit.
"""

import argparse
import copy
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import msgpack

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCHMARKS = os.environ.get("ROOSTER_BENCHMARKS", os.path.join(ROOT, "..", "shared", "benchmarks"))
FIXTURES = ["tholen", "zutphen", "hilversum", "eindhoven", "den-haag", "region-2000", "region"]
# the straightforward model grows with learners x candidate groups x dagdelen; past this
# many learners its LP file does not fit in memory on this machine size
BASELINE_MAX_LEARNERS = 700
# the re-solve table's third row: a price per learner whose lessons change
REPLAN_MOVED = 100  # what a re-plan (timetable.solve with replan) takes by default


def run_child(build, request, time_limit, kind="timetable"):
    """One solve in roosterd's solve process. Returns (answer, seconds, peak MiB)."""
    hdr = {"job": "bench", "plan": "bench", "tenant": "bench", "kind": kind, "version": 1,
           "time_limit": float(time_limit)}
    data = msgpack.packb(hdr) + msgpack.packb(request)
    t0 = time.time()
    p = subprocess.Popen([os.path.join(build, "roosterd"), "--solve-child"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    writer = threading.Thread(target=lambda: (p.stdin.write(data), p.stdin.close()))
    writer.start()
    out = p.stdout.read()
    writer.join()
    _, _, ru = os.wait4(p.pid, 0)  # reap it ourselves to read its peak memory
    p.returncode = 0
    secs = time.time() - t0
    peak = ru.ru_maxrss / 1024.0
    answer = None
    u = msgpack.Unpacker(raw=False, max_buffer_size=1 << 30)
    u.feed(out)
    for f in u:
        if f[0] == "answer":
            answer = f[1]
        elif f[0] == "error":
            answer = {"status": "error: " + str(f[2])}
    return answer, secs, peak


def run_baseline(cmd, limit):
    t0 = time.time()
    r = subprocess.run(["timeout", "-s", "KILL", str(int(limit + 30))] + cmd, capture_output=True,
                       text=True)
    return r.stdout + r.stderr, time.time() - t0, r.returncode


def parse_glpsol(out):
    obj = bound = None
    for m in re.finditer(r"^\+\s*\d+:\s+(?:mip|>>>>>)\s*=\s*(\S+)\s+(?:>=|<=)\s+(\S+)", out, re.M):
        obj, bound = m.group(1), m.group(2)
    if obj == "not":
        obj = None
    try:
        obj = float(obj) if obj else None
    except ValueError:
        obj = None
    try:
        bound = float(bound) if bound and bound != "tree" else None
    except ValueError:
        bound = None
    if "INTEGER OPTIMAL SOLUTION FOUND" in out and obj is not None:
        bound = obj
    return obj, bound


def parse_cbc(out):
    obj = bound = None
    m = re.search(r"Objective value:\s+(\S+)", out)
    if m:
        obj = float(m.group(1))
    m = re.search(r"Lower bound:\s+(\S+)", out)
    if m:
        bound = float(m.group(1))
    if "Result - Optimal solution found" in out and obj is not None:
        bound = obj
    if "No feasible solution found" in out:
        obj = None
    return obj, bound


def gap(obj, bound):
    if obj is None or bound is None:
        return "-"
    if abs(obj) < 1e-9:
        return "0.00 %"
    return "%.2f %%" % (100.0 * (obj - bound) / abs(obj))


def fmt(x):
    return "-" if x is None else ("%.1f" % x if isinstance(x, float) else str(x))


def table(title, head, rows):
    w = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    print("\n" + title)
    print("  ".join(str(h).ljust(w[i]) for i, h in enumerate(head)))
    print("  ".join("-" * w[i] for i in range(len(head))))
    for r in rows:
        print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)), flush=True)


def baselines(build, path, lp, lim):
    """glpsol and cbc on the straightforward model of the request at path (written to
    lp): rows [solver, limit, time, objective, bound, gap, peak, status]."""
    r = subprocess.run([os.path.join(build, "rooster"), "solve", path, "--export-lp", lp],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return [["glpsol/cbc", "-", "-", "-", "-", "-", "-",
                 "export failed: " + r.stderr.strip()[:60]]]
    return [[solver, lim, secs, fmt(o), fmt(b), gap(o, b), "-", st]
            for solver, secs, o, b, st in run_lp_baselines(lp, lim)]


def run_lp_baselines(lp, lim, constant=0.0):
    """glpsol and cbc on an LP file at limit lim: [solver, time, objective, bound, status]
    each (None where a solver found none), constant (an objective term the LP file
    lacks) added back."""
    rows = []
    for solver, cmd, parse in (
            ("glpsol", ["glpsol", "--lp", lp, "--tmlim", str(int(lim))], parse_glpsol),
            ("cbc", ["cbc", lp, "sec", str(lim), "threads", "1", "solve"], parse_cbc)):
        out, secs, rc = run_baseline(cmd, lim)
        o, b = parse(out)
        rows.append([solver, "%.1f" % secs, None if o is None else o + constant,
                     None if b is None else b + constant,
                     "killed" if rc in (-9, 137) else "exit %d" % rc])
    return rows


def bench_fixtures(build, names, limits, baseline):
    rows = []
    tmp = tempfile.mkdtemp(prefix="roosterd-bench-")
    try:
        for name in names:
            path = os.path.join(ROOT, "fixtures", name + ".json")
            with open(path) as f:
                req = json.load(f)
            n = len(req["learners"])
            for lim in limits:
                ans, secs, peak = run_child(build, dict(req, gap=0), lim)
                ok = ans and ans.get("check", {}).get("ok")
                rows.append([name, n, "roosterd", lim, "%.1f" % secs,
                             fmt(ans.get("objective")) if ans else "-",
                             fmt(ans.get("bound")) if ans else "-",
                             gap(ans.get("objective"), ans.get("bound")) if ans else "-",
                             "%.0f" % peak if peak else "-",
                             (ans or {}).get("status", "-") + ("" if ok else " CHECK FAILED")])
                print("  ".join(str(c) for c in rows[-1]), file=sys.stderr, flush=True)
            if not baseline:
                continue
            lp = os.path.join(tmp, name + ".lp")
            if n > BASELINE_MAX_LEARNERS:
                est = "skipped: model ~%d M rows (estimated)" % (n * n // 8 * 10 // 1000000 + 1)
                rows.append([name, n, "glpsol/cbc", "-", "-", "-", "-", "-", "-", est])
                continue
            for b in baselines(build, path, lp, max(limits)):
                rows.append([name, n] + b)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    table("Term timetables (objective minimised; gap = (objective - bound) / objective)",
          ["instance", "learners", "solver", "limit s", "time s", "objective", "bound", "gap",
           "peak MiB", "status"], rows)


def changed_request(req, seed=1):
    """The request a few weeks on: 5 % of the learners gone, as many new ones (copies
    of others under new ids, without a household), one room no running group uses gone."""
    rng = random.Random(seed)
    r = copy.deepcopy(req)
    k = max(1, len(r["learners"]) // 20)
    gone = set(rng.sample(sorted(l["id"] for l in r["learners"]), k))
    r["learners"] = [l for l in r["learners"] if l["id"] not in gone]
    for j in range(k):
        c = copy.deepcopy(rng.choice(r["learners"]))
        c["id"] = "new-%04d" % j
        c.pop("household", None)
        c.pop("partners_apart", None)
        r["learners"].append(c)
    used = {g.get("room") for g in r.get("running_groups", [])}
    rooms = sorted(x["id"] for x in r["rooms"] if x["id"] not in used)
    if rooms:
        drop = rng.choice(rooms)
        r["rooms"] = [x for x in r["rooms"] if x["id"] != drop]
    return r


def slots(ans):
    """learner -> (dagdelen, location) of the group it is in (new or joined)."""
    out = {}
    for g in (ans or {}).get("groups", []):
        for l in g.get("learners", []):
            out[l] = (tuple(sorted(g.get("dagdelen", []))), g.get("location"))
    return out


def moved(prev, ans):
    """Learners of the first answer's groups, still in the request, whose lessons changed
    (other dagdelen or location, or none): what a re-plan costs the people in it."""
    a, b = slots(prev), slots(ans)
    known = {l for g in (ans or {}).get("groups", []) for l in g.get("learners", [])}
    known |= {u.get("learner") for u in (ans or {}).get("unplaced", [])}
    return sum(1 for l, s in a.items() if l in known and b.get(l) != s), \
        sum(1 for l in a if l in known)


def diff_summary(build, prev, ans):
    """rooster diff of the first answer and this one: its summary counts."""
    if not ans:
        return {}
    with tempfile.TemporaryDirectory() as d:
        a, b = os.path.join(d, "a.json"), os.path.join(d, "b.json")
        for path, x in ((a, prev), (b, ans)):
            with open(path, "w") as f:
                json.dump(x, f)
        r = subprocess.run([os.path.join(build, "rooster"), "diff", a, b, "--format", "json"],
                           capture_output=True, text=True)
        return json.loads(r.stdout)["summary"] if r.returncode == 0 else {}


def bench_replan(build, names, limits, baseline):
    rows = []
    first, short = max(limits), min(limits)
    tmp = tempfile.mkdtemp(prefix="roosterd-bench-")
    try:
        bench_replan_rows(build, names, first, short, baseline, tmp, rows)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    table("Re-solve after a change (first answer at %g s; 5 %% of learners changed, a room gone)"
          % first,
          ["instance", "from", "limit s", "time s", "objective", "bound", "gap", "start",
           "moved", "restaffed", "teachers", "status"], rows)


def bench_replan_rows(build, names, first, short, baseline, tmp, rows):
    for name in names:
        with open(os.path.join(ROOT, "fixtures", name + ".json")) as f:
            req = json.load(f)
        prev, _, _ = run_child(build, dict(req, gap=0), first)
        if not prev or "groups" not in prev:
            rows.append([name, "-", "-", "-", "-", "-", "first solve failed"])
            continue
        changed = dict(changed_request(req), gap=0)
        priced = dict(changed, start=prev,
                      weights=dict(changed.get("weights", {}), moved=REPLAN_MOVED))
        for how, r in (("scratch", changed), ("start", dict(changed, start=prev)),
                       ("start, moved %g" % REPLAN_MOVED, priced)):
            ans, secs, _ = run_child(build, r, short)
            ok = ans and ans.get("check", {}).get("ok")
            st = (ans or {}).get("start") or {}
            kept = ("%d/%d kept, %d dropped" % (st["kept"], st["groups"], st["dropped"])
                    if st else "-")
            mv, of = moved(prev, ans)
            ds = diff_summary(build, prev, ans)
            rows.append([name, how, short, "%.1f" % secs,
                         fmt(ans.get("objective")) if ans else "-",
                         fmt(ans.get("bound")) if ans else "-",
                         gap(ans.get("objective"), ans.get("bound")) if ans else "-", kept,
                         "%d of %d" % (mv, of), ds.get("restaffed", "-"),
                         ds.get("teachers_changed", "-"),
                         (ans or {}).get("status", "-") + ("" if ok else " CHECK FAILED")])
            print("  ".join(str(c) for c in rows[-1]), file=sys.stderr, flush=True)
        if not baseline or len(changed["learners"]) > BASELINE_MAX_LEARNERS:
            continue
        # glpsol and cbc on the straightforward model of the priced re-solve (its
        # moved term included), at the same limit
        path, lp = os.path.join(tmp, name + ".replan.json"), os.path.join(tmp, name + ".lp")
        with open(path, "w") as f:
            json.dump(priced, f)
        for b in baselines(build, path, lp, short):
            rows.append([name, "start, moved %g" % REPLAN_MOVED, b[1], b[2], b[3], b[4], b[5],
                         "-", "-", "-", "-", b[0] + ": " + b[7]])


def bench_itc(build, seconds):
    d = os.path.join(BENCHMARKS, "itc2007")
    if not os.path.isdir(d):
        print("\nITC2007: skipped, no benchmarks at %s" % d)
        return
    known = {}
    kv = os.path.join(d, "known_values.csv")
    if os.path.exists(kv):
        for line in open(kv).read().splitlines()[1:]:
            parts = line.split(",")
            known[parts[0]] = parts[1]
    rows = []
    for i in range(1, 22):
        name = "comp%02d" % i
        ctt = os.path.join(d, name + ".ctt")
        r = subprocess.run([os.path.join(build, "rooster"), "import", "ctt", ctt],
                           capture_output=True, text=True)
        if r.returncode != 0:
            rows.append([name, "-", "-", "-", "-", "import failed"])
            continue
        req = json.loads(r.stdout)
        ans, secs, peak = run_child(build, req, seconds, kind="itc2007")
        sc = (ans or {}).get("score", {})
        rows.append([name, sc.get("hard", "-"), (ans or {}).get("objective", "-"),
                     known.get(name, "-"), "%.1f" % secs, (ans or {}).get("status", "-")])
        print("  ".join(str(c) for c in rows[-1]), file=sys.stderr, flush=True)
    table("ITC2007 track 3 (UD2), %d s each" % seconds,
          ["instance", "hard", "penalty", "reference", "time s", "status"], rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--only", default=",".join(FIXTURES))
    ap.add_argument("--limits", default="10,60")
    ap.add_argument("--itc", type=float, default=60)
    ap.add_argument("--no-itc", action="store_true")
    ap.add_argument("--no-fixtures", action="store_true")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--replan", default="hilversum,den-haag")
    ap.add_argument("--no-replan", action="store_true")
    a = ap.parse_args()
    limits = [float(x) for x in a.limits.split(",")]
    if not a.no_fixtures:
        bench_fixtures(a.build, [x for x in a.only.split(",") if x], limits, not a.no_baseline)
    if not a.no_replan:
        bench_replan(a.build, [x for x in a.replan.split(",") if x], limits, not a.no_baseline)
    if not a.no_itc:
        bench_itc(a.build, a.itc)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""run.py: integration tests against the real roosterd on a temporary socket.

Each test starts from a daemon the harness launches (`roosterd -f --socket
... --state-dir ...`), talks to it over the wire, and asserts behaviour. Tests
never measure speed; time limits and cancels are checked within generous
margins. Prints one closing line "integration: N passed, N failed".

    tests/integration/run.py [-k SUBSTRING]
"""

import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
import msgpack  # noqa: E402
from rooster import CallTimeout, Client, ConnectionLost, NO_LIMIT, RoosterError, StreamError  # noqa: E402

BUILD = os.path.join(ROOT, os.environ.get("ROOSTER_BUILD", "build"))
ROOSTERD = os.environ.get("ROOSTERD", os.path.join(BUILD, "roosterd"))
ROOSTER = os.path.join(BUILD, "rooster")
TINY = os.path.join(ROOT, "tests", "data", "tiny.json")
# sanitizer builds reserve terabytes of address space: no RLIMIT_AS on their solves
EXTRA_ARGS = ["--set", "solver_memory_mb=0"] if "san" in os.path.basename(BUILD) else []
BENCHMARKS = os.environ.get("ROOSTER_BENCHMARKS", os.path.join(ROOT, "..", "shared", "benchmarks"))

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


SANITIZED = "san" in os.path.basename(BUILD)


def sanitizers_skip():
    """True, saying so, in the sanitizer pass, for a test of behaviour
    sanitizers add nothing to (the same plan twice, a browser's rendering)
    that takes several times longer under them; the plain pass runs it."""
    if SANITIZED:
        print("    skipped under sanitizers (the plain pass runs it)")
    return SANITIZED


def load(path):
    with open(path) as f:
        return json.load(f)


class Daemon:
    """A roosterd on a temporary socket and state directory."""

    def __init__(self, tmp, *extra, state=None, new_session=False):
        self.tmp = tmp
        self.new_session = new_session
        self.sock = os.path.join(tmp, "roosterd.sock")
        self.state = state or os.path.join(tmp, "state")
        self.extra = list(extra)
        self.log = open(os.path.join(tmp, "roosterd.log"), "ab")
        self.proc = None
        self.start()

    def start(self):
        args = [ROOSTERD, "-f", "--socket", self.sock, "--state-dir", self.state,
                "--set", "log_level=debug"] + EXTRA_ARGS + self.extra
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log,
                                     start_new_session=self.new_session)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("roosterd exited with %s; log: %s" % (self.proc.returncode, self.logtext()))
            try:
                with Client(self.sock, timeout=2) as c:
                    c.call("server.hello")
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("roosterd did not come up")

    def client(self, timeout=120):
        return Client(self.sock, timeout=timeout)

    def raw(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(20)
        s.connect(self.sock)
        return s

    def logtext(self):
        with open(os.path.join(self.tmp, "roosterd.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def read_messages(s, until, timeout=20):
    """Read msgpack messages from a raw socket until until(msg) is true or it closes."""
    u = msgpack.Unpacker(raw=False)
    got = []
    s.settimeout(timeout)
    while True:
        for m in u:
            got.append(m)
            if until(m):
                return got, False
        try:
            data = s.recv(65536)
        except socket.timeout:
            raise AssertionError("no answer within %s s; got %r" % (timeout, got))
        if not data:
            return got, True
        u.feed(data)


def assert_served(d):
    with d.client() as c:
        assert c.call("server.hello")["server"] == "roosterd"


# ---------------------------------------------------------------- protocol

@test
def hello(d):
    with d.client() as c:
        h = c.call("server.hello")
    assert h["protocol"] == 1
    assert h["limits"]["max_message"] == 16 << 20
    assert "timetable.solve" in h["methods"]
    assert h["solvers"]["glpk"]


@test
def small_solve(d):
    notes = []
    with d.client() as c:
        ans = c.call("timetable.solve", load(TINY), on_notify=lambda m, p: notes.append(m))
    assert notes and notes[0] == "job.accepted", notes
    assert ans["status"] in ("optimal", "feasible", "time_limit"), ans["status"]
    assert ans["check"]["ok"], ans["check"]
    assert ans["bound"] <= ans["objective"] + 1e-6
    placed = sum(len(g["learners"]) for g in ans["groups"])
    assert placed + len(ans["unplaced"]) == 8
    for g in ans["groups"]:
        assert g["room"]["id"] in ("R1", "R2") and g["teacher"]["id"] in ("T1", "T2")
    for u in ans["unplaced"]:
        assert u["reasons"], u


@test
def no_wait_then_result(d):
    with d.client() as c:
        job = c.call("timetable.solve", dict(load(TINY), wait=False))
        assert job["state"] in ("queued", "running", "done"), job
        ans = c.call("job.result", {"job": job["job"], "tenant": "test", "wait": True})
        st = c.call("job.status", {"job": job["job"], "tenant": "test"})
        plan = c.call("plan.get", {"plan": ans["plan"], "tenant": "test"})
        lst = c.call("job.list", {"tenant": "test"})
    assert ans["job"] == job["job"]
    assert st["state"] == "done" and st["status"] == ans["status"]
    assert st["objective"] == ans["objective"] and st["started"] > 0, st
    assert plan["groups"] == ans["groups"]
    assert job["job"] in [j["job"] for j in lst["jobs"]]


@test
def idempotency_key(d):
    req = dict(load(TINY), idempotency_key="case-4711", wait=False)
    with d.client() as c:
        a = c.call("timetable.solve", req)
        b = c.call("timetable.solve", req)
        other = c.call("timetable.solve", dict(req, idempotency_key="case-4712"))
        c.call("job.result", {"job": a["job"], "tenant": a["tenant"], "wait": True})
        # a waited retry of the finished job: job.accepted (existing), then the answer
        notes = []
        ans = c.call("timetable.solve", dict(req, wait=True),
                     on_notify=lambda m, p: notes.append((m, p)))
    assert a["job"] == b["job"]
    assert other["job"] != a["job"]
    assert ans["job"] == a["job"], ans["job"]
    assert [m for m, p in notes] == ["job.accepted", "job.done"], notes
    assert notes[1][1]["state"] == "done" and notes[1][1]["plan"] == ans["plan"], notes
    assert notes[0][1]["existing"] is True and notes[0][1]["job"] == a["job"], notes
    # the key sent again with another request, or by another kind, is a reuse:
    # refused on the key, naming the job it holds; the first job is kept
    with d.client() as c:
        pm = dict(load(os.path.join(ROOT, "fixtures", "placement-tholen.json")),
                  tenant=req["tenant"], idempotency_key=req["idempotency_key"], wait=False)
        pm.pop("kind")
        for params, method in ((dict(req, seed=9), "timetable.solve"),
                               (dict(pm, kind="placement"), "timetable.solve"),
                               (pm, "placement.match")):
            try:
                c.call(method, params)
                raise AssertionError("reuse accepted: %s" % method)
            except RoosterError as e:
                assert e.name == "E_BAD_REQUEST" and "idempotency_key" in str(e) \
                    and a["job"] in str(e), str(e)
        # fields in another order are the same request
        flipped = dict(reversed(list(req.items())))
        assert c.call("timetable.solve", flipped)["job"] == a["job"]
        try:
            c.call("timetable.solve", dict(req, idempotency_key=""))
            raise AssertionError("an empty key was taken")
        except RoosterError as e:
            assert "idempotency_key" in str(e) and "1 to 128" in str(e), str(e)


@test
def same_request_same_answer(d):
    """Ended by a work limit (node_limit), the same request and seed give the same plan."""
    if sanitizers_skip():
        return
    req = dict(load(os.path.join(ROOT, "fixtures", "zutphen.json")), node_limit=30, time_limit=60,
               seed=3)
    with d.client() as c:
        a = c.call("timetable.solve", req)
        b = c.call("timetable.solve", req)
    assert a["job"] != b["job"]
    assert a["status"] != "time_limit", a["status"]
    assert a["groups"] == b["groups"] and a["objective"] == b["objective"], (a["objective"], b["objective"])
    assert [u["learner"] for u in a["unplaced"]] == [u["learner"] for u in b["unplaced"]]


@test
def bound_run_on_second_thread(d):
    """zutphen: the bound run (cuts, count branching) closes the gap, on a second thread
    (threads 2, the default) or on the solving thread (threads 1): the same optimum."""
    req = dict(load(os.path.join(ROOT, "fixtures", "zutphen.json")), time_limit=30)
    with d.client() as c:
        two = c.call("timetable.solve", req)
        one = c.call("timetable.solve", dict(req, threads=1))
    for a in (two, one):
        assert a["status"] == "optimal" and a["check"]["ok"], (a["status"], a["check"])
        assert a["bound"] == a["objective"], (a["bound"], a["objective"])
    assert two["objective"] == one["objective"], (two["objective"], one["objective"])


@test
def bad_fields_keep_connection(d):
    with d.client() as c:
        req = load(TINY)
        req["learners"][2]["level"] = "C9"
        try:
            c.call("timetable.solve", req)
            raise AssertionError("accepted a bad level")
        except RoosterError as e:
            assert e.name == "E_BAD_REQUEST" and e.field == "learners[2].level", (e.name, e.field)
        req = load(TINY)
        req["rooms"][0]["capacity"] = "ten"
        try:
            c.call("timetable.solve", req)
            raise AssertionError("accepted a string capacity")
        except RoosterError as e:
            assert e.field == "rooms[0].capacity" and "integer" in e.message, e
        try:
            c.call("no.such.method", {})
            raise AssertionError("unknown method accepted")
        except RoosterError as e:
            assert e.name == "E_NO_METHOD"
        try:
            c.call("job.status", {"job": 17})
            raise AssertionError("wrong type accepted")
        except RoosterError as e:
            assert e.name == "E_BAD_REQUEST" and e.field == "job"
        # an integer past int64 is refused as sent, not clamped into range
        try:
            c.call("timetable.solve", dict(load(TINY), node_limit=2**64 - 1))
            raise AssertionError("node_limit 2^64-1 accepted")
        except RoosterError as e:
            assert e.field == "node_limit" and "18446744073709551615 is outside" in e.message, e
        try:
            c.call("learner.erase", {"learner": "", "tenant": "test"})
            raise AssertionError("an empty learner id accepted")
        except RoosterError as e:
            assert e.name == "E_BAD_REQUEST" and e.field == "learner", (e.field, e.message)
        # the same connection still works
        assert c.call("server.hello")["server"] == "roosterd"


@test
def method_params_checked(d):
    """Every method names a field it does not know, and job.list a state
    that is none; job.cancel of a finished job says "finished"."""
    with d.client() as c:
        job = c.call("timetable.solve", dict(load(TINY), wait=False))
        cases = [("job.result", {"job": job["job"], "tenant": "test", "wiat": True}, "wiat", "wait"),
                 ("job.status", {"job": job["job"], "tenant": "test", "jobs": 1}, "jobs", "job"),
                 ("job.list", {"tenant": "test", "limt": 3}, "limt", "limit"),
                 ("server.hello", {"verbose": True}, "verbose", None),
                 ("plan.get", {"plan": "p-1", "versoin": 2}, "versoin", "version")]
        for method, params, field, near in cases:
            try:
                c.call(method, params)
                raise AssertionError("%s accepted %r" % (method, field))
            except RoosterError as e:
                assert e.name == "E_BAD_REQUEST" and e.field == field, (method, e.name, e.field)
                assert (near is None) or ("'%s'" % near) in e.message, e.message
        # field names packed as bin are read as mp_get reads them
        s2 = d.raw()
        s2.sendall(msgpack.packb([0, 5, "job.list", [{b"tenant": b"test", b"limit": 1}]],
                                 use_bin_type=True))
        got, _ = read_messages(s2, lambda m: m[0] == 1)
        s2.close()
        assert got[-1][2] is None and len(got[-1][3]["jobs"]) == 1, got
        try:
            c.call("job.list", {"tenant": "test", "state": "finished"})
            raise AssertionError("job.list accepted state 'finished'")
        except RoosterError as e:
            assert e.field == "state" and "queued, running, done" in e.message, e
        try:
            c.call("tenant.erase", {"tenant": "test", "confirm": False})
            raise AssertionError("tenant.erase without confirm")
        except RoosterError as e:
            assert e.field == "confirm", e
        c.call("job.result", {"job": job["job"], "tenant": "test", "wait": True})
        r = c.call("job.cancel", {"job": job["job"], "tenant": "test"})
        assert r["state"] == "finished", r
        assert len(c.call("job.list", {"tenant": "test", "state": "done"})["jobs"]) >= 1
        try:
            c.call("job.cancel", {"job": "j-000000000000000000000000", "tenant": "test"})
            raise AssertionError("cancel of no job")
        except RoosterError as e:
            assert e.name == "E_NOT_FOUND", e


@test
def python_client_for_case_systems(d, tmp):
    """clients/python/rooster.py: solve() passes on_notify (job.accepted gives the
    job id); a call that outruns its timeout raises CallTimeout carrying the job
    id, and after reconnect() job.result fetches the answer; a stream error
    raises StreamError, closes the client, and reconnect() serves again."""
    hil = load(os.path.join(ROOT, "fixtures", "hilversum.json"))
    with d.client(timeout=30) as c:
        seen = []
        ans = c.solve(load(TINY), on_notify=lambda m, p: seen.append((m, p)))
        accepted = [p for m, p in seen if m == "job.accepted"]
        assert accepted and accepted[0]["job"] == ans["job"], seen
        try:
            c.solve(hil, time_limit=3, idempotency_key="py-timeout", timeout=0.5)
            raise AssertionError("no timeout")
        except CallTimeout as e:
            assert e.job and e.job.startswith("j-"), e
            job = e.job
        c.reconnect()
        late = c.call("job.result", {"job": job, "tenant": "hilversum", "wait": True}, timeout=60)
        assert late["job"] == job and late["check"]["ok"], late.get("status")
        try:
            c.call("server.hello", {"x": "y" * (2 << 20)})  # past max_string: a stream error
            raise AssertionError("no stream error")
        except StreamError as e:
            assert e.name == "E_TOO_LARGE" and not e.retryable, e
        assert c.sock is None
        c.reconnect()
        assert c.call("server.hello")["server"] == "roosterd"
        # a per-call NO_LIMIT outlasts the Client's timeout
        c.timeout = 0.5
        ans = c.call("job.result", {"job": job, "tenant": "hilversum", "wait": True},
                     timeout=NO_LIMIT)
        assert ans["job"] == job
        # a reconnect that fails leaves the client closed: the next call says so
        d.stop()
        try:
            c.reconnect()
            raise AssertionError("connected to a stopped daemon")
        except OSError:
            pass
        assert c.sock is None
        try:
            c.call("server.hello")
            raise AssertionError("a closed client called")
        except ConnectionLost:
            pass


@test
def solve_out_of_memory_says_so(d, tmp):
    """A solve process that hits solver_memory_mb fails the job with E_SOLVER
    naming the option (whether exec, unpacking or the solver ran out), and
    the daemon serves on."""
    d.stop()
    d.extra = ["--set", "solver_memory_mb=14"]
    d.start()
    with d.client() as c:
        try:
            c.call("timetable.solve", dict(load(os.path.join(ROOT, "fixtures", "den-haag.json")),
                                           time_limit=2))
            raise AssertionError("solved in 14 MiB")
        except RoosterError as e:
            assert e.name == "E_SOLVER" and "solver_memory_mb" in e.message, e
    assert_served(d)


@test
def watch_and_wait_notify_once(d):
    """A connection that watches a job and waits for its result gets each
    notification once."""
    hil = os.path.join(ROOT, "fixtures", "hilversum.json")
    notes = []
    with d.client() as c:
        job = c.call("timetable.solve", dict(load(hil), wait=False, time_limit=3))
        c.call("job.watch", {"job": job["job"], "tenant": job["tenant"]})
        c.call("job.result", {"job": job["job"], "tenant": job["tenant"], "wait": True},
               on_notify=lambda m, p: notes.append((m, json.dumps(p, sort_keys=True))))
    done = [n for n in notes if n[0] == "job.done"]
    assert len(done) == 1, notes
    progress = [n for n in notes if n[0] == "job.progress"]
    assert len(progress) == len(set(progress)), progress
    # watching a job that has finished: its state, and its job.done at once
    # (a fast job submitted with wait: false may end before the watch)
    late = []
    with d.client() as c:
        r = c.call("job.watch", {"job": job["job"], "tenant": job["tenant"]},
                   on_notify=lambda m, p: late.append((m, p)))
        assert r == {"job": job["job"], "state": "done"}, r
        assert late == [("job.done", json.loads(done[0][1]))], (late, done)
        try:
            c.call("job.watch", {"job": "j-000000000000000000000000", "tenant": job["tenant"]})
            raise AssertionError("watching an unknown job succeeded")
        except RoosterError as e:
            assert e.name == "E_NOT_FOUND", e


@test
def connection_over_the_limit_gets_busy(d, tmp):
    """Past max_connections a client that writes first still reads E_BUSY."""
    d.stop()
    d.extra = ["--set", "max_connections=2"]
    d.start()
    held = [d.raw(), d.raw()]
    time.sleep(0.2)
    s = d.raw()
    try:
        s.sendall(msgpack.packb([0, 1, "server.hello", [{}]]) * 200)
    except OSError as e:
        raise AssertionError("the write failed: %r" % e)
    got, closed = read_messages(s, lambda m: False, timeout=10)
    assert closed and got and got[0][1] == "error" and got[0][2][0]["name"] == "E_BUSY", got
    # the refused connection still lingers (the daemon drops what it reads
    # for up to 3 s) but holds no place: once one of the two leaves, a new
    # client is served at once
    held.pop().close()
    time.sleep(0.2)
    assert_served(d)
    s.close()
    for h in held:
        h.close()
    time.sleep(0.2)
    assert_served(d)


def raw_str(b):
    """A msgpack str header and body for bytes b (any bytes, valid UTF-8 or not)."""
    assert len(b) < 256
    return (bytes([0xa0 | len(b)]) if len(b) < 32 else bytes([0xd9, len(b)])) + b


@test
def error_texts_stay_utf8(d):
    """Errors quoting what a client sent are valid UTF-8 msgpack strings: a
    method name with broken UTF-8 or a NUL, one cut at 64 bytes mid-character;
    a request without params is answered under its own msgid. A request whose
    strings are not UTF-8 is refused, naming the field: answers carry them."""
    s = d.raw()
    names = [b"bad\xff\xfename", b"nul\x00inside", "é".encode() * 40]
    for i, name in enumerate(names):
        s.sendall(bytes([0x94, 0x00, 10 + i]) + raw_str(name) + bytes([0x91, 0x80]))
    s.sendall(bytes([0x93, 0x00, 42]) + raw_str(b"server.hello"))
    # a msgid out of range (-1, 2^32): no msgid to answer under, so an error
    # notification; never a response under msgid 0
    s.sendall(msgpack.packb([0, -1, "server.hello", [{}]]) +
              msgpack.packb([0, 1 << 32, "server.hello", [{}]]))
    # a request whose room name is not UTF-8 (bytes packed as a msgpack str)
    req = load(TINY)
    req["rooms"][0]["name"] = b"Q\xff\xfeQ"
    s.sendall(msgpack.packb([0, 43, "timetable.solve", [req]], use_bin_type=False))
    got, _ = read_messages(s, lambda m: m[0] == 1 and m[1] == 43)
    s.close()
    replies = {m[1]: m for m in got if m[0] == 1}  # decoding with raw=False checks UTF-8
    bad_ids = [m for m in got if m[0] == 2 and m[1] == "error" and "msgid" in m[2][0]["message"]]
    assert len(bad_ids) == 2, got
    for i in range(len(names)):
        err = replies[10 + i][2]
        assert err and err["name"] == "E_NO_METHOD", replies[10 + i]
    assert "bad??name" in replies[10][2]["message"], replies[10]
    assert replies[42][2] and "params missing" in replies[42][2]["message"], replies.get(42)
    assert 0 not in replies, replies.get(0)
    err = replies[43][2]
    assert err and err["name"] == "E_BAD_REQUEST" and err["data"]["field"] == "rooms[0].name", err
    assert "not valid UTF-8 (byte 2)" in err["message"], err
    assert_served(d)


@test
def weekly_hours_through_daemon(d):
    """A placed learner who can take 5 h a week (a Z group meets 2 x 3 h) waits, and says why;
    the envelope field threads takes 1 or 2."""
    with d.client() as c:
        base = c.call("timetable.solve", load(TINY))
        who = base["groups"][0]["learners"][0]
        req = load(TINY)
        idx = [l["id"] for l in req["learners"]].index(who)
        req["learners"][idx]["weekly_hours"] = 5
        ans = c.call("timetable.solve", req)
        assert ans["check"]["ok"], ans["check"]
        assert all(who not in g["learners"] for g in ans["groups"]), ans["groups"]
        u = [u for u in ans["unplaced"] if u["learner"] == who]
        assert u and u[0]["reasons"][0]["code"] == "no_pattern", u
        assert "can take 5 h of lessons a week" in u[0]["reasons"][0]["text"], u
        req["learners"][idx]["weekly_hours"] = 61
        try:
            c.call("timetable.solve", req)
            raise AssertionError("accepted 61 weekly hours")
        except RoosterError as e:
            assert e.field == "learners[%d].weekly_hours" % idx and "0..60" in e.message, e
        try:
            c.call("timetable.solve", dict(load(TINY), threads=3))
            raise AssertionError("accepted 3 threads")
        except RoosterError as e:
            assert e.field == "threads" and "1..2" in e.message, e
        one = c.call("timetable.solve", dict(load(TINY), threads=1))
        assert one["check"]["ok"] and one["objective"] == base["objective"], (one["objective"], base["objective"])


@test
def room_facilities_through_daemon(d, tmp):
    """A placed learner who needs a step-free room gets one, the answer's room lists its
    facilities, and `rooster check` finds the breach when the request takes the facility away."""
    with d.client() as c:
        base = c.call("timetable.solve", load(TINY))
        who = base["groups"][0]["learners"][0]
        req = load(TINY)
        idx = [l["id"] for l in req["learners"]].index(who)
        req["learners"][idx]["room_needs"] = ["step_free"]
        req["rooms"][1]["facilities"] = ["step_free", "computers"]
        ans = c.call("timetable.solve", req)
        assert ans["check"]["ok"], ans["check"]
        g = [g for g in ans["groups"] if who in g["learners"]]
        assert g and g[0]["room"]["id"] == req["rooms"][1]["id"], ans["groups"]
        assert g[0]["room"]["facilities"] == ["step_free", "computers"], g[0]["room"]
    good = os.path.join(tmp, "req.json")
    with open(good, "w") as f:
        json.dump(req, f)
    out = os.path.join(tmp, "ans.json")
    with open(out, "w") as f:
        json.dump(ans, f)
    cli(d, "check", good, out, check=0)
    req["rooms"][1]["facilities"] = ["computers"]
    bad = os.path.join(tmp, "bad.json")
    with open(bad, "w") as f:
        json.dump(req, f)
    r = cli(d, "check", bad, out, check=1)
    assert "room_facilities" in r.stdout and "step_free" in r.stdout, r.stdout


@test
def new_request_fields_through_daemon(d):
    """Pace weight, route hours, per-skill levels and children by age band reach the solver
    over the wire: the answer carries each group's pace, the pace term and the route's hours,
    and passes the checker."""
    req = load(TINY)
    req["weights"] = {"pace": 10}
    req["routes"] = {"Z": {"min_hours": 6, "max_hours": 6}}
    for i, l in enumerate(req["learners"]):
        l["pace"] = ["slow", "average", "fast"][i % 3]
    l0 = req["learners"][0]
    del l0["level"]
    l0["levels"] = {"speaking": "A1", "writing": "A0"}
    # school closes at 10:00: mornings (until 12:00) are out, afternoons (from 13:00) are not
    req["learners"][1]["children"] = [{"age_band": "12+"},
                                      {"age_band": "4-12", "school_close": "10:00"}]
    with d.client() as c:
        ans = c.call("timetable.solve", req)
    assert ans["check"]["ok"], ans["check"]
    assert "pace" in ans["terms"], ans["terms"]
    assert ans["routes"]["Z"]["min_hours"] == 6 and ans["routes"]["Z"]["max_hours"] == 6, ans["routes"]
    assert ans["groups"], ans
    for g in ans["groups"]:
        assert g["pace"] in ("slow", "average", "fast"), g
    paces = {l["id"]: l["pace"] for l in req["learners"]}
    steps = sum(abs(["slow", "average", "fast"].index(paces[i]) -
                    ["slow", "average", "fast"].index(g["pace"]))
                for g in ans["groups"] for i in g["learners"])
    assert ans["terms"]["pace"] == 10 * steps, (ans["terms"]["pace"], steps)
    who = req["learners"][1]["id"]
    mine = [g for g in ans["groups"] if who in g["learners"]]
    if mine:
        assert all(t.endswith("-pm") for t in mine[0]["dagdelen"]), mine
    else:
        u = [u for u in ans["unplaced"] if u["learner"] == who]
        assert u and any(r["code"] == "school" for r in u[0]["reasons"]), u
    print("  learner with a 10:00 school close:", mine[0]["dagdelen"] if mine else "waits")


@test
def wrong_shapes_keep_connection(d):
    s = d.raw()
    s.sendall(msgpack.packb(42) + msgpack.packb([0, 1, "server.hello", "notalist"]))
    got, closed = read_messages(s, lambda m: isinstance(m, list) and m[0] == 1)
    assert not closed
    assert got[0][0] == 2 and got[0][1] == "error", got
    assert got[-1][2]["name"] == "E_BAD_REQUEST", got
    s.sendall(msgpack.packb([0, 2, "server.hello", []]))
    got, closed = read_messages(s, lambda m: m[0] == 1)
    assert got[-1][2] is None and got[-1][3]["server"] == "roosterd"
    s.close()


@test
def bin_method_name_and_unknown_notification(d):
    s = d.raw()
    s.sendall(msgpack.packb([2, b"nvim_set_client_info", [1, 2]], use_bin_type=True))
    s.sendall(msgpack.packb([0, 9, b"server.hello", [{}]], use_bin_type=True))
    got, _ = read_messages(s, lambda m: m[0] == 1)
    assert got[-1][1] == 9 and got[-1][3]["server"] == "roosterd", got
    s.close()
    assert "ignoring notification" in d.logtext()


def tcp_daemon(d, tmp, base, *extra):
    """Restart d with a TCP listener on a port from base and one token,
    tenant gemeente-a, token 0123456789abcdef0123 (and extra options); the port."""
    tokf = os.path.join(tmp, "tokens")
    with open(tokf, "w") as f:
        f.write("gemeente-a 0123456789abcdef0123\n")
    d.stop()
    port = base + os.getpid() % 20000
    d.extra = ["--tcp", "127.0.0.1:%d" % port, "--set", "token_file=" + tokf] + list(extra)
    d.start()
    return port


@test
def tcp_silent_connections_closed(d, tmp):
    """TCP peers that never authenticate are closed after auth_timeout, so they
    cannot hold the connections Unix clients share; hello reports the limits."""
    port = tcp_daemon(d, tmp, 24000, "--set", "auth_timeout=1", "--set", "max_connections=4")
    with d.client() as c:
        lim = c.call("server.hello", {})["limits"]
    assert (lim["auth_timeout"], lim["max_connections"]) == (1, 4), lim
    silent = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(4)]
    got, closed = read_messages(silent[0], lambda m: False, timeout=10)
    assert closed and got and got[0][1] == "error", got
    assert got[0][2][0]["name"] == "E_TIMEOUT" and "auth_timeout" in got[0][2][0]["message"], got
    for x in silent:
        x.close()
    time.sleep(0.3)
    assert_served(d)


def expect_stream_error(d, payload, name):
    s = d.raw()
    s.sendall(payload)
    got, closed = read_messages(s, lambda m: False, timeout=10)
    assert closed, "connection left open"
    assert got and got[0][0] == 2 and got[0][1] == "error", got
    assert got[0][2][0]["name"] == name, got
    s.close()
    assert_served(d)


@test
def string_claiming_4gib(d):
    expect_stream_error(d, b"\x94\x00\x01\xa5hello\x91\xdb\xff\xff\xff\xff", "E_TOO_LARGE")


@test
def map_claiming_2_32_entries(d):
    expect_stream_error(d, b"\x94\x00\x01\xa5hello\x91\xdf\xff\xff\xff\xff", "E_TOO_LARGE")


@test
def nesting_depth_1000(d):
    expect_stream_error(d, b"\x91" * 1000 + b"\xc0", "E_TOO_LARGE")


@test
def reserved_byte(d):
    expect_stream_error(d, b"\xc1", "E_MALFORMED")


@test
def oversized_message(d):
    # a 20 MiB string over the 16 MiB limit: refused from its header
    expect_stream_error(d, b"\x94\x00\x01\xa5hello\x91\xdb" + (20 << 20).to_bytes(4, "big"),
                        "E_TOO_LARGE")


@test
def oversized_message_error_survives_the_body(d, tmp):
    """A TCP client that sends a whole message over max_message (header and 20
    MiB body in one go) reads the E_TOO_LARGE error: the daemon drops what
    follows the error instead of closing with it unread (a TCP reset that
    destroys the error before the client reads it)."""
    port = tcp_daemon(d, tmp, 22000)
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    body = b"\x94\x00\x01\xa5hello\x91\xdb" + (20 << 20).to_bytes(4, "big") + b"x" * (20 << 20)
    s.sendall(body)  # a plain client: send it all, then read the answer
    got, closed = read_messages(s, lambda m: m[0] == 2, timeout=20)
    s.close()
    assert got and got[0][1] == "error" and got[0][2][0]["name"] == "E_TOO_LARGE", got
    assert "before server.auth" in got[0][2][0]["message"], got
    assert_served(d)


@test
def unsent_answers_are_capped(d, tmp):
    """A client that asks and never reads is closed once the answers it has
    not taken pass max_unsent_mb; the daemon keeps serving the others."""
    d.stop()
    d.extra = ["--set", "max_unsent_mb=1"]
    d.start()
    with d.client() as c:
        ans = c.call("timetable.solve", dict(load(os.path.join(ROOT, "fixtures", "eindhoven.json")),
                                             time_limit=2))
    size = len(msgpack.packb(ans))
    n = (8 << 20) // size + 1  # 8 MiB of answers: past 1 MiB whatever the kernel buffers
    s = d.raw()
    s.sendall(b"".join(msgpack.packb([0, i, "plan.get", [{"plan": ans["plan"], "tenant": "test"}]])
                       for i in range(n)))
    deadline = time.time() + 30
    while "pass max_unsent_mb" not in d.logtext():
        assert time.time() < deadline, "a client not reading was not closed"
        time.sleep(0.1)
    s.close()
    assert_served(d)


@test
def buffered_bytes_are_capped(d, tmp):
    d.stop()
    d.extra = ["--set", "max_buffered_mb=16"]
    d.start()
    big = []
    refused = 0
    chunk = b"\xdb" + (1000000).to_bytes(4, "big") + b"x" * 1000000
    for i in range(4):  # each announces 12 strings of 1 MB and sends 6 of them
        s = d.raw()
        try:
            s.sendall(b"\x94\x00\x01\xa5hello\x91\x9c" + chunk * 6)
        except OSError:
            pass
        big.append(s)
    time.sleep(0.5)
    for s in big:
        s.settimeout(0.5)
        try:
            data = s.recv(65536)
            if data and msgpack.unpackb(data, raw=False)[2][0]["name"] == "E_BUSY":
                refused += 1
        except (socket.timeout, ValueError):
            pass
    assert refused >= 1, "no connection was refused"
    assert refused < 4, "every connection was refused"
    assert_served(d)
    for s in big:
        s.close()


@test
def truncated_message(d):
    s = d.raw()
    whole = msgpack.packb([0, 1, "server.hello", [{}]])
    s.sendall(whole[: len(whole) // 2])
    s.close()
    assert_served(d)


@test
def slow_client_one_byte_a_second(d):
    s = d.raw()
    msg = msgpack.packb([0, 5, "server.hello", []])
    stop = threading.Event()
    served = []

    def others():
        while not stop.is_set():
            with d.client() as c:
                c.call("server.hello")
            served.append(time.time())
            time.sleep(0.2)

    t = threading.Thread(target=others)
    t.start()
    for b in msg:
        s.sendall(bytes([b]))
        time.sleep(1.0 if len(served) < 3 else 0.2)
    got, _ = read_messages(s, lambda m: m[0] == 1)
    stop.set()
    t.join()
    assert got[-1][1] == 5 and got[-1][3]["server"] == "roosterd"
    assert len(served) >= 3, "others were not served while the slow client trickled"
    s.close()


@test
def stalled_message_times_out(d, tmp):
    d.stop()
    d.extra = ["--set", "message_timeout=3"]
    d.start()
    s = d.raw()
    whole = msgpack.packb([0, 1, "server.hello", [{}]])
    t0 = time.time()
    for b in whole[:3]:  # a byte a second, then silence
        s.sendall(bytes([b]))
        assert_served(d)
        time.sleep(1.0)
    got, closed = read_messages(s, lambda m: False, timeout=15)
    assert closed and got and got[0][1] == "error", got
    assert got[0][2][0]["name"] == "E_TIMEOUT", got
    assert time.time() - t0 < 15
    assert_served(d)


@test
def fifty_concurrent_clients(d):
    errors = []
    req = dict(load(TINY), time_limit=5)

    def one(i):
        try:
            with d.client() as c:
                assert c.call("server.hello")["server"] == "roosterd"
                if i % 5 == 0:
                    ans = c.call("timetable.solve", dict(req, seed=i))
                    assert ans["check"]["ok"]
                else:
                    c.call("job.list", {"tenant": "test", "limit": 5})
                    c.call("server.stats")
        except Exception as e:  # noqa: BLE001
            errors.append("%d: %r" % (i, e))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors, errors[:5]
    with d.client() as c:
        st = c.call("server.stats")
    assert st["solves"]["finished"] >= 10, st


@test
def cancel_running_solve(d):
    big = os.path.join(ROOT, "fixtures", "region.json")
    with d.client() as c:
        job = c.call("timetable.solve", dict(load(big), wait=False, time_limit=120, gap=0))
        t0 = time.time()
        while c.call("job.status", {"job": job["job"], "tenant": job["tenant"]})["state"] == "queued":
            time.sleep(0.05)
        time.sleep(1.0)
        r = c.call("job.cancel", {"job": job["job"], "tenant": job["tenant"]})
        assert r["state"] in ("cancelling", "finished"), r
        t1 = time.time()
        try:
            c.call("job.result", {"job": job["job"], "tenant": job["tenant"], "wait": True})
        except RoosterError as e:
            assert e.name == "E_CANCELLED", e
        st = c.call("job.status", {"job": job["job"], "tenant": job["tenant"]})
    assert st["state"] == "cancelled", st
    assert time.time() - t1 < 30, "cancel took %.1f s" % (time.time() - t1)
    assert time.time() - t0 < 60


@test
def cancel_at_once_keeps_serving(d):
    """job.cancel right after the job is sent can reach its solve process between fork and
    exec, when it still had the daemon's signal handlers: that SIGTERM stopped roosterd.
    Twenty times over, the daemon goes on serving."""
    req = {"kind": "placement", "tenant": "test", "time_limit": 2,
           "placements": [{"id": "w-A", "location": "LA", "capacity": 2}],
           "participants": [{"id": "d-%d" % i, "travel": {"LA": 10}} for i in range(3)]}
    with d.client() as c:
        for _ in range(20):
            j = c.call("placement.match", dict(req, wait=False))
            c.call("job.cancel", {"job": j["job"], "tenant": "test"})
        time.sleep(0.5)
        assert c.call("server.hello")["server"] == "roosterd"
    assert d.proc.poll() is None, "roosterd exited"
    assert "stopping" not in d.logtext()


@test
def sigterm_to_the_process_group_lets_solves_finish(d, tmp):
    """A SIGTERM to roosterd's whole process group (a terminal's Ctrl-C, a killpg) reaches
    roosterd only: its solve processes have their own group, so a running solve finishes
    within shutdown_grace as documented instead of returning its best plan as cancelled."""
    os.makedirs(os.path.join(tmp, "grp"), exist_ok=True)
    own = Daemon(os.path.join(tmp, "grp"), new_session=True)
    try:
        req = dict(load(os.path.join(ROOT, "fixtures", "hilversum.json")), time_limit=4,
                   wait=False)
        with own.client() as c:
            j = c.call("timetable.solve", req)
            deadline = time.time() + 20
            while c.call("job.status", {"job": j["job"], "tenant": j["tenant"]})["state"] != "running":
                assert time.time() < deadline, "the job never ran"
                time.sleep(0.05)
        time.sleep(0.5)
        os.killpg(os.getpgid(own.proc.pid), signal.SIGTERM)
        own.proc.wait(60)
        own.start()
        with own.client() as c:
            st = c.call("job.result", {"job": j["job"], "tenant": j["tenant"], "wait": True})
        assert st["status"] != "cancelled", st["status"]
    finally:
        own.stop()


@test
def cancel_queued_job(d, tmp):
    """A job still waiting for a solver thread is cancelled at once. With the
    queue full, a retry of a stored job still gets that job (its only way to
    learn it was accepted); a new job gets E_BUSY."""
    d.stop()
    d.extra = ["--set", "solver_threads=1", "--set", "max_queue=1"]
    d.start()
    long = dict(load(os.path.join(ROOT, "fixtures", "eindhoven.json")), wait=False, time_limit=30,
                gap=0, idempotency_key="k-long")
    with d.client() as c:
        first = c.call("timetable.solve", long)
        second = c.call("timetable.solve", dict(load(TINY), wait=False, idempotency_key="k-77"))
        st = c.call("job.status", {"job": second["job"], "tenant": second["tenant"]})
        assert st["state"] == "queued", st
        # what it does not have yet is null, not 0 (0 would read as a perfect plan)
        assert [st[k] for k in ("status", "started", "finished", "objective", "bound", "gap")] \
            == [None] * 6, st
        for req, job in ((dict(load(TINY), wait=False, idempotency_key="k-77"), second),
                         (long, first)):
            again = c.call("timetable.solve", req)
            assert again["job"] == job["job"], (job, again)
        try:
            c.call("timetable.solve", dict(load(TINY), wait=False, idempotency_key="k-new"))
            raise AssertionError("a new job was queued past max_queue")
        except RoosterError as e:
            assert e.name == "E_BUSY" and e.retryable, e
        # on the Unix socket a request that names another tenant reads its
        # jobs but does not cancel them
        try:
            c.call("job.cancel", {"job": second["job"], "tenant": "someone-else"})
            raise AssertionError("another tenant cancelled the job")
        except RoosterError as e:
            assert e.name == "E_NOT_FOUND", e
        st = c.call("job.status", {"job": second["job"], "tenant": "someone-else"})
        assert st["state"] == "queued", st
        r = c.call("job.cancel", {"job": second["job"], "tenant": second["tenant"]})
        assert r["state"] == "cancelling", r
        try:
            c.call("job.result", {"job": second["job"], "tenant": second["tenant"], "wait": True})
            raise AssertionError("a cancelled job gave a result")
        except RoosterError as e:
            assert e.name == "E_CANCELLED", e
        st = c.call("job.status", {"job": second["job"], "tenant": second["tenant"]})
        assert st["state"] == "cancelled" and "before it started" in st["error"], st
        assert st["status"] is None and st["objective"] is None and st["started"] is None, st
        assert st["finished"] > 0, st
        # watched now: its end at once, naming no plan (it stored none)
        notes = []
        r = c.call("job.watch", {"job": second["job"], "tenant": second["tenant"]},
                   on_notify=lambda m, p: notes.append((m, p)))
        assert r["state"] == "cancelled", r
        assert notes == [("job.done", {"job": second["job"], "state": "cancelled",
                                       "status": None, "plan": None})], notes
        # a retry that waits gets the same error, not a success
        try:
            c.call("timetable.solve", dict(load(TINY), wait=True, idempotency_key="k-77"))
            raise AssertionError("a waiting retry of a cancelled job succeeded")
        except RoosterError as e:
            assert e.name == "E_CANCELLED" and second["job"] in str(e), e
        again = c.call("timetable.solve", dict(load(TINY), wait=False, idempotency_key="k-77"))
        assert again["job"] == second["job"] and again["state"] == "cancelled", again
        try:
            c.call("job.cancel", {"job": "j-0000000000000000", "tenant": "test"})
            raise AssertionError("cancelling an unknown job succeeded")
        except RoosterError as e:
            assert e.name == "E_NOT_FOUND", e
        r = c.call("job.cancel", {"job": first["job"], "tenant": first["tenant"]})
        assert r["state"] == "cancelling", r
        # asked again while the solve winds down: still cancelling, not finished
        r = c.call("job.cancel", {"job": first["job"], "tenant": first["tenant"]})
        assert r["state"] == "cancelling", r
    assert_served(d)


@test
def time_limit_honoured(d):
    big = os.path.join(ROOT, "fixtures", "region-2000.json")
    with d.client() as c:
        t0 = time.time()
        ans = c.call("timetable.solve", dict(load(big), time_limit=3, gap=0))
        took = time.time() - t0
    assert ans["status"] in ("optimal", "feasible", "time_limit"), ans["status"]
    assert ans["check"]["ok"], ans["check"]["violations"][:3]
    assert took < 3 + 30, "3 s limit took %.1f s" % took


@test
def pynvim_generic_client(d):
    code = (
        "import sys, json\n"
        "from pynvim.msgpack_rpc import socket_session\n"
        "s = socket_session(sys.argv[1])\n"
        "h = s.request('server.hello', {})\n"
        "assert (h.get('server') or h.get(b'server')) in ('roosterd', b'roosterd'), h\n"
        "req = json.load(open(sys.argv[2]))\n"
        "req['wait'] = False\n"
        "job = s.request('timetable.solve', req)\n"
        "jid = job.get('job') or job.get(b'job')\n"
        "res = s.request('job.result', {'job': jid, 'tenant': 'test', 'wait': True})\n"
        "st = res.get('status') or res.get(b'status')\n"
        "print('OK', jid if isinstance(jid, str) else jid.decode(), st if isinstance(st, str) else st.decode())\n"
    )
    out = subprocess.run(["/usr/bin/python3", "-c", code, d.sock, TINY], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.startswith("OK j-"), out.stdout + out.stderr


@test
def docs_client_round_trip(d):
    out = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "clients", "python", "example.py"),
                          d.sock, TINY], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "status " in out.stdout and "queued" in out.stdout, out.stdout


# ---------------------------------------------------------------- durability

@test
def kill9_during_solve_then_restart(d, tmp):
    big = os.path.join(ROOT, "fixtures", "region-2000.json")
    with d.client() as c:
        job = c.call("timetable.solve", dict(load(big), wait=False, time_limit=6))
        while c.call("job.status", {"job": job["job"], "tenant": job["tenant"]})["state"] == "queued":
            time.sleep(0.05)
    time.sleep(0.5)
    d.stop(signal.SIGKILL)
    d.start()
    with d.client() as c:
        ans = c.call("job.result", {"job": job["job"], "tenant": job["tenant"], "wait": True})
        st = c.call("job.status", {"job": job["job"], "tenant": job["tenant"]})
    assert ans["job"] == job["job"] and ans["check"]["ok"]
    assert st["state"] == "done" and st["attempts"] if "attempts" in st else st["state"] == "done"
    assert "recovered" in d.logtext()


@test
def poison_job_abandoned_after_three_attempts(d, tmp):
    with d.client() as c:
        job = c.call("timetable.solve", dict(load(TINY), wait=False))
        c.call("job.result", {"job": job["job"], "tenant": "test", "wait": True})
    d.stop()
    db = os.path.join(d.state, "roosterd.db")
    subprocess.run(["sqlite3", db, "UPDATE jobs SET state = 'running', attempts = 3 WHERE id = '%s'"
                    % job["job"]], check=True)
    d.start()  # must come up, not hang on its own store
    with d.client() as c:
        st = c.call("job.status", {"job": job["job"], "tenant": "test"})
    assert st["state"] == "failed" and "3 times" in st["error"], st


@test
def shutdowns_do_not_abandon_a_job(d, tmp):
    """A job interrupted by clean shutdowns is not a crashing request: after
    three SIGTERMs mid-solve it still runs to its answer (the 3-attempt
    limit counts only starts that did not end in a shutdown)."""
    d.stop()
    d.extra = ["--set", "shutdown_grace=0"]
    d.start()
    req = dict(load(os.path.join(ROOT, "fixtures", "eindhoven.json")), wait=False, time_limit=3)
    with d.client() as c:
        job = c.call("timetable.solve", req)
    waited, notes = {}, []

    def waiter(c):
        try:
            waited["answer"] = c.call("job.result", {"job": job["job"], "tenant": job["tenant"],
                                                     "wait": True},
                                      on_notify=lambda m, p: notes.append(m))
        except Exception as e:  # noqa: BLE001
            waited["error"] = e

    for k in range(3):
        with d.client() as c:
            deadline = time.time() + 30
            while c.call("job.status", {"job": job["job"], "tenant": job["tenant"]})["state"] != "running":
                assert time.time() < deadline, "the job never started"
                time.sleep(0.05)
        if k == 0:  # a client waiting for it: E_SHUTDOWN, and no job.done (it is not done)
            wc = d.client()
            t = threading.Thread(target=waiter, args=(wc,))
            t.start()
            time.sleep(0.3)
        assert d.stop(signal.SIGTERM) == 0
        if k == 0:
            t.join(30)
            wc.close()
            assert isinstance(waited.get("error"), RoosterError), waited
            assert waited["error"].name == "E_SHUTDOWN", waited
            assert "job.done" not in notes, notes
        d.start()
    with d.client() as c:
        ans = c.call("job.result", {"job": job["job"], "tenant": job["tenant"], "wait": True})
    assert ans["check"]["ok"], ans
    assert d.logtext().count("interrupted by shutdown") >= 3


@test
def waited_retries_while_stopping(d, tmp):
    """Waited idempotent retries of a running job sent while the daemon stops
    (the job goes back to the queue) get E_SHUTDOWN or the plan, never the
    job's row in place of a plan."""
    if sanitizers_skip():
        return
    d.stop()
    d.extra = ["--set", "solver_threads=1", "--set", "shutdown_grace=1"]
    d.start()
    req = dict(load(os.path.join(ROOT, "fixtures", "eindhoven.json")), time_limit=3, gap=0,
               idempotency_key="k-stop")
    with d.client() as c:
        first = c.call("timetable.solve", dict(req, wait=False))
        deadline = time.time() + 30
        while c.call("job.status", {"job": first["job"], "tenant": first["tenant"]})["state"] != "running":
            assert time.time() < deadline, "the job never started"
            time.sleep(0.05)
    results = []

    def retry():
        try:
            c = d.client(timeout=20)
        except OSError:
            return
        while True:
            try:
                results.append(c.call("timetable.solve", dict(req, wait=True)))
                return
            except RoosterError as e:
                results.append(e.name)
                if e.name != "E_SHUTDOWN":
                    return
            except OSError:
                return

    ts = [threading.Thread(target=retry) for _ in range(3)]
    for t in ts:
        t.start()
    time.sleep(0.3)
    assert d.stop(signal.SIGTERM) == 0
    for t in ts:
        t.join(40)
    assert results, "no retry was answered"
    for r in results:
        assert r == "E_SHUTDOWN" or (isinstance(r, dict) and "groups" in r), r
    d.start()


@test
def pipelined_requests_all_answered(d):
    s = d.raw()
    n = 2000  # far more than max_pending_per_conn, in one write
    s.sendall(b"".join(msgpack.packb([0, i, "server.hello", [{}]]) for i in range(n)))
    seen = set()
    got, _ = read_messages(s, lambda m: m[0] == 1 and (seen.add(m[1]) or len(seen) == n), timeout=60)
    assert len(seen) == n
    s.close()


@test
def half_closed_client_gets_answers(d):
    """A client that shuts down its sending side (printf ... | nc -U) still gets
    every answer, including a solve's, and then the daemon closes."""
    s = d.raw()
    n = 200  # more than max_pending_per_conn: some wait in the buffer
    req = load(TINY)
    s.sendall(b"".join(msgpack.packb([0, i, "server.hello", [{}]]) for i in range(n)) +
              msgpack.packb([0, n, "timetable.solve", [req]]))
    s.shutdown(socket.SHUT_WR)
    got, closed = read_messages(s, lambda m: False, timeout=60)
    answers = {m[1]: m for m in got if m[0] == 1}
    assert sorted(answers) == list(range(n + 1)), sorted(answers)[-5:]
    solve = answers[n]
    assert solve[2] is None and solve[3]["check"]["ok"], solve[2]
    assert closed
    s.close()
    assert_served(d)


@test
def sigterm_delivers_answers_then_closes(d, tmp):
    """A waiting client gets its whole answer (or E_SHUTDOWN) before the daemon
    exits; job.done comes only with an answer (a job sent back to the queue is
    not done)."""
    big = os.path.join(ROOT, "fixtures", "region-2000.json")
    result = {}
    notes = []

    def waiter():
        try:
            with d.client() as c:
                result["answer"] = c.call("timetable.solve", dict(load(big), time_limit=3),
                                          on_notify=lambda m, p: notes.append(m))
        except Exception as e:  # noqa: BLE001
            result["error"] = e

    t = threading.Thread(target=waiter)
    t.start()
    time.sleep(1.0)
    rc = d.stop(signal.SIGTERM)
    t.join(60)
    assert rc == 0, rc
    if "answer" in result:
        assert result["answer"]["check"]["ok"] and len(result["answer"]["groups"]) > 0
        assert notes.count("job.done") == 1, notes
    else:
        assert isinstance(result.get("error"), RoosterError), result
        assert result["error"].name == "E_SHUTDOWN", result
        assert "job.done" not in notes, notes


@test
def sigterm_exits_cleanly(d, tmp):
    with d.client() as c:
        job = c.call("timetable.solve", dict(load(TINY), wait=False))
    rc = d.stop(signal.SIGTERM)
    assert rc == 0, "exit code %s" % rc
    assert not os.path.exists(d.sock), "socket left behind"
    d.start()
    with d.client() as c:
        st = c.call("job.status", {"job": job["job"], "tenant": "test"})
    assert st["state"] in ("done", "queued", "running"), st


@test
def erasure_leaves_no_trace(d, tmp):
    who = "t-03"
    with d.client() as c:
        ans = c.call("timetable.solve", load(TINY))
        r = c.call("learner.erase", {"tenant": "test", "learner": who})
        plan = c.call("plan.get", {"plan": ans["plan"], "tenant": "test"})
    assert r["requests_edited"] >= 1 and r["answers_edited"] >= 1, r
    assert who not in json.dumps(plan)
    d.stop()
    for f in glob.glob(os.path.join(d.state, "*")):
        with open(f, "rb") as fh:
            assert who.encode() not in fh.read(), "%s still holds the learner" % f
    d.start()
    with d.client() as c:
        r = c.call("tenant.erase", {"tenant": "test", "confirm": True})
        assert r["jobs_deleted"] >= 1
        assert c.call("job.list", {"tenant": "test"})["jobs"] == []


@test
def erasure_of_ids_stored_before_checks(d, tmp):
    """Ids stored before the daemon refused control characters (a learner
    't<TAB>03', written into the store here) can still be erased one by one."""
    import sqlite3
    with d.client() as c:
        ans = c.call("timetable.solve", load(TINY))
    d.stop()
    db = sqlite3.connect(os.path.join(d.state, "roosterd.db"))
    for table, col in (("jobs", "request"), ("plans", "answer")):
        for rowid, blob in db.execute("SELECT rowid, %s FROM %s" % (col, table)).fetchall():
            if blob:
                db.execute("UPDATE %s SET %s = ? WHERE rowid = ?" % (table, col),
                           (bytes(blob).replace(b"t-03", b"t\t03"), rowid))
    db.commit()
    db.close()
    d.start()
    with d.client() as c:
        r = c.call("learner.erase", {"tenant": "test", "learner": "t\t03"})
        plan = c.call("plan.get", {"plan": ans["plan"], "tenant": "test"})
    assert r["requests_edited"] >= 1 and r["answers_edited"] >= 1, r
    assert "t\t03" not in json.dumps(plan) and "t\\t03" not in json.dumps(plan)


@test
def erasure_while_solving(d, tmp):
    """A learner erased while a solve of their request runs does not come back
    with its answer: not in the answer, not in the store."""
    who = "l-0001"
    req = dict(load(os.path.join(ROOT, "fixtures", "eindhoven.json")), wait=False, time_limit=4, gap=0)
    with d.client() as c:
        job = c.call("timetable.solve", req)
        while c.call("job.status", {"job": job["job"], "tenant": job["tenant"]})["state"] == "queued":
            time.sleep(0.05)
        r = c.call("learner.erase", {"tenant": job["tenant"], "learner": who})
        assert r["requests_edited"] == 1, r
        st = c.call("job.status", {"job": job["job"], "tenant": job["tenant"]})
        assert st["state"] == "running", st  # the erasure came while it ran
        ans = c.call("job.result", {"job": job["job"], "tenant": job["tenant"], "wait": True})
        plan = c.call("plan.get", {"plan": ans["plan"], "tenant": job["tenant"]})
    assert ans["check"]["ok"]
    assert who not in json.dumps(ans) and who not in json.dumps(plan)
    d.stop()
    for f in glob.glob(os.path.join(d.state, "*")):
        with open(f, "rb") as fh:
            assert who.encode() not in fh.read(), "%s still holds the learner" % f
    d.start()


@test
def erasure_keeps_queued_job_valid(d, tmp):
    """Erasing a learner listed in a queued request's running group leaves a
    request that still solves: the group's members count follows its list,
    and a room with the same string as id keeps it."""
    d.stop()
    d.extra = ["--set", "solver_threads=1"]
    d.start()
    who = "R2"  # a learner id equal to a room id of the request
    req = load(TINY)
    req["running_groups"] = [{"id": "G1", "route": "Z", "level": "A0", "dagdelen": ["mon-am"],
                              "room": "R1", "teacher": "T1", "members": 3,
                              "learners": [who, "old-2", "old-3"]}]
    blocker = dict(load(os.path.join(ROOT, "fixtures", "eindhoven.json")), wait=False,
                   time_limit=3, tenant="test")
    with d.client() as c:
        b = c.call("timetable.solve", blocker)
        while c.call("job.status", {"job": b["job"], "tenant": "test"})["state"] == "queued":
            time.sleep(0.05)
        job = c.call("timetable.solve", dict(req, wait=False))
        st = c.call("job.status", {"job": job["job"], "tenant": "test"})
        assert st["state"] == "queued", st
        r = c.call("learner.erase", {"tenant": "test", "learner": who})
        assert r["requests_edited"] == 1, r
        ans = c.call("job.result", {"job": job["job"], "tenant": "test", "wait": True})
    assert ans["status"] in ("optimal", "feasible"), ans.get("message")
    assert ans["check"]["ok"], ans["check"]
    g = [x for x in ans["groups"] if x.get("running") or x["id"] == "G1"]
    assert g and g[0]["existing"] == 2, g


@test
def tcp_needs_token(d, tmp):
    port = tcp_daemon(d, tmp, 20000)
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(msgpack.packb([0, 1, "server.hello", [{}]]))
    got, _ = read_messages(s, lambda m: m[0] == 1)
    assert got[-1][2]["name"] == "E_AUTH", got
    s.close()
    # a wrong token: the error, the connection closed, the daemon still up
    for _ in range(2):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(msgpack.packb([0, 1, "server.auth", [{"token": "wrong"}]]) +
                  msgpack.packb([0, 2, "server.hello", [{}]]))
        got, closed = read_messages(s, lambda m: False)
        assert closed and got and got[0][2]["name"] == "E_AUTH", got
        s.close()
    assert_served(d)
    # before authenticating, large messages are refused from their header
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"\x94\x00\x01\xa5hello\x91\xdb" + (200000).to_bytes(4, "big"))
    got, closed = read_messages(s, lambda m: False)
    assert closed and got[0][2][0]["name"] == "E_TOO_LARGE", got
    s.close()
    c = Client(host="127.0.0.1", port=port, token="0123456789abcdef0123", timeout=60)
    ans = c.call("timetable.solve", dict(load(TINY), tenant=None))
    assert ans["tenant"] == "gemeente-a"
    try:
        c.call("job.status", {"job": ans["job"], "tenant": "test"})
        raise AssertionError("reached another tenant")
    except RoosterError as e:
        assert e.name == "E_FORBIDDEN"
    c.close()
    try:
        Client(host="127.0.0.1", port=port, token="wrong-token-wrong-token", timeout=10)
        raise AssertionError("bad token accepted")
    except RoosterError as e:
        assert e.name == "E_AUTH"


@test
def sighup_reloads_tokens(d, tmp):
    tokf = os.path.join(tmp, "tokens")
    conf = os.path.join(tmp, "roosterd.conf")
    port = 21000 + os.getpid() % 20000
    with open(tokf, "w") as f:
        f.write("gemeente-a aaaaaaaaaaaaaaaaaaaa\n")
    with open(conf, "w") as f:
        f.write("tcp_listen = 127.0.0.1:%d\ntoken_file = %s\n" % (port, tokf))
    d.stop()
    d.extra = ["-c", conf]
    d.start()
    Client(host="127.0.0.1", port=port, token="aaaaaaaaaaaaaaaaaaaa", timeout=10).close()
    with open(tokf, "w") as f:
        f.write("gemeente-b bbbbbbbbbbbbbbbbbbbb\n")
    d.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + 10
    while "configuration reloaded" not in d.logtext() and time.time() < deadline:
        time.sleep(0.1)
    c = Client(host="127.0.0.1", port=port, token="bbbbbbbbbbbbbbbbbbbb", timeout=10)
    assert c.call("job.list", {})["jobs"] == []
    c.close()
    try:
        Client(host="127.0.0.1", port=port, token="aaaaaaaaaaaaaaaaaaaa", timeout=10)
        raise AssertionError("a withdrawn token still works")
    except RoosterError as e:
        assert e.name == "E_AUTH"
    # without a configuration file (token_file from --set), SIGHUP reads the
    # token file again too
    d.stop()
    d.extra = ["--tcp", "127.0.0.1:%d" % port, "--set", "token_file=" + tokf]
    d.start()
    with open(tokf, "w") as f:
        f.write("gemeente-c cccccccccccccccccccc\n")
    n = d.logtext().count("configuration reloaded")
    d.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + 10
    while d.logtext().count("configuration reloaded") == n and time.time() < deadline:
        time.sleep(0.1)
    Client(host="127.0.0.1", port=port, token="cccccccccccccccccccc", timeout=10).close()


@test
def sighup_keeps_command_line_options(d, tmp):
    """A reload reads the file and applies the command line's --set over it
    again; a reloaded file whose default time limit exceeds the maximum is
    refused and the running configuration kept."""
    conf = os.path.join(tmp, "roosterd.conf")
    # a maximum below the default time limit: the default follows it down,
    # unless the configuration sets the default too
    base = [os.path.join(BUILD, "roosterd"), "-n", "--socket", os.path.join(tmp, "n.sock"),
            "--state-dir", os.path.join(tmp, "n-state"), "--set", "max_time_limit=5"]
    r = subprocess.run(base, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(base + ["--set", "default_time_limit=30"], capture_output=True, text=True)
    assert r.returncode == 1 and "default_time_limit 30 exceeds max_time_limit 5" in r.stderr, r
    with open(conf, "w") as f:
        f.write("max_time_limit = 600\ndefault_time_limit = 3\n")
    d.stop()
    d.extra = ["-c", conf, "--set", "max_time_limit=5"]
    d.start()

    def reload(marker):
        n = d.logtext().count(marker)
        d.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 10
        while d.logtext().count(marker) == n:
            assert time.time() < deadline, "no '%s' after SIGHUP" % marker
            time.sleep(0.05)

    def capped():
        with d.client() as c:
            job = c.call("timetable.solve", dict(load(TINY), wait=False, time_limit=60))
            return c.call("job.status", {"job": job["job"], "tenant": job["tenant"]})["time_limit"]

    assert capped() == 5
    reload("configuration reloaded")
    assert capped() == 5, "the reload dropped --set max_time_limit=5"
    with open(conf, "w") as f:
        f.write("default_time_limit = 9\n")  # over the command line's maximum
    reload("keeping the old configuration")
    assert "default_time_limit 9 exceeds max_time_limit 5" in d.logtext()
    assert capped() == 5


@test
def config_check_flag(d, tmp):
    good = os.path.join(tmp, "good.conf")
    bad = os.path.join(tmp, "bad.conf")
    with open(good, "w") as f:
        f.write("# roosterd\nmax_message = 1048576\nsolver_threads = 1\n")
    with open(bad, "w") as f:
        f.write("max_message = 12\n")
    r = subprocess.run([ROOSTERD, "-n", "-c", good], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([ROOSTERD, "-n", "-c", bad], capture_output=True, text=True)
    assert r.returncode != 0 and "bad.conf:1: max_message" in r.stderr, r.stderr
    r = subprocess.run([ROOSTERD, "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "retention_days" in r.stdout


@test
def systemd_units(d, tmp):
    if not shutil.which("systemd-analyze"):
        print("    skipped: systemd-analyze not installed")
        return
    svc = os.path.join(tmp, "roosterd.service")
    with open(os.path.join(ROOT, "systemd", "roosterd.service")) as f:
        text = f.read().replace("@SBINDIR@", os.path.dirname(os.path.abspath(ROOSTERD)))
    with open(svc, "w") as f:
        f.write(text)
    shutil.copy(os.path.join(ROOT, "systemd", "roosterd.socket"), tmp)
    r = subprocess.run(["systemd-analyze", "verify", "roosterd.service", "roosterd.socket"],
                       cwd=tmp, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run(["systemd-analyze", "security", "--offline=yes", "roosterd.service"],
                       cwd=tmp, capture_output=True, text=True)
    line = [x for x in r.stdout.splitlines() if "Overall exposure level" in x]
    assert line, r.stdout + r.stderr
    level = float(line[0].split(":")[1].split()[0])
    assert level <= 2.0, line[0]


@test
def socket_activation_and_notify(d, tmp):
    """LISTEN_FDS and NOTIFY_SOCKET as systemd passes them, without systemd."""
    sock = os.path.join(tmp, "act.sock")
    notify_path = os.path.join(tmp, "notify.sock")
    lst = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    lst.bind(sock)
    lst.listen(16)
    note = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    note.bind(notify_path)
    note.settimeout(20)
    fd = lst.fileno()
    code = ("import os, sys\n"
            "os.dup2(%d, 3)\n"
            "os.environ['LISTEN_FDS'] = '1'\n"
            "os.environ['LISTEN_PID'] = str(os.getpid())\n"
            "os.environ['NOTIFY_SOCKET'] = %r\n"
            "os.execv(%r, [%r, '-f', '--state-dir', %r])\n") % (
        fd, notify_path, ROOSTERD, ROOSTERD, os.path.join(tmp, "st2"))
    proc = subprocess.Popen(["/usr/bin/python3", "-c", code], pass_fds=(fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        msg = note.recv(256).decode()
        assert "READY=1" in msg, msg
        with Client(sock, timeout=20) as c:
            assert c.call("server.hello")["server"] == "roosterd"
        proc.send_signal(signal.SIGTERM)
        msg = note.recv(256).decode()
        assert "STOPPING=1" in msg, msg
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        lst.close()
        note.close()


# ---------------------------------------------------------------- CLI

def cli(d, *args, check=None):
    r = subprocess.run([ROOSTER, "--socket", d.sock] + list(args), capture_output=True, text=True,
                       timeout=300)
    if check is not None:
        assert r.returncode == check, "rooster %s -> %d\n%s%s" % (" ".join(args), r.returncode,
                                                                 r.stdout, r.stderr)
    return r


@test
def cli_solve_formats(d, tmp):
    out = os.path.join(tmp, "ans.json")
    cli(d, "solve", TINY, "--format", "json", "-o", out, check=0)
    ans = load(out)
    assert ans["check"]["ok"]
    r = cli(d, "check", TINY, out, check=0)
    assert "0 violations" in r.stdout
    r = cli(d, "render", out, check=0)
    assert "Unplaced" in r.stdout or "unplaced" in r.stdout
    sessions = sum(len(g["dagdelen"]) for g in ans["groups"])
    for fmt in ("csv", "ics", "html"):
        f = os.path.join(tmp, "ans." + fmt)
        cli(d, "render", out, "--format", fmt, "-o", f, check=0)
        args = [f, str(sessions)] if fmt == "csv" else [f]
        r = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "render_check.py"), fmt] + args,
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
    r = cli(d, "ping", check=0)
    assert r.stdout.startswith("roosterd ")


@test
def running_group_members_and_start_rendered(d, tmp):
    """A running group that begins after the term starts, its members listed:
    the answer echoes its start and members, the calendar begins its lessons
    on its first day, and a member's own calendar and grid have them."""
    req = load(TINY)
    req["running_groups"] = [{"id": "G-late", "route": "Z", "level": "A0", "alfa": True,
                              "dagdelen": ["mon-am", "wed-am"], "room": "R1", "teacher": "T2",
                              "learners": ["m-1", "m-2", "m-3"], "start": "2027-03-01"}]
    f = os.path.join(tmp, "req.json")
    with open(f, "w") as fh:
        json.dump(req, fh)
    out = os.path.join(tmp, "ans.json")
    cli(d, "solve", f, "--format", "json", "-o", out, check=0)
    g = [g for g in load(out)["groups"] if g["id"] == "G-late"][0]
    assert g["start"] == "2027-03-01" and g["existing_learners"] == ["m-1", "m-2", "m-3"], g
    r = cli(d, "render", out, "--format", "ics", "--by", "group", "--filter", "G-late", check=0)
    starts = re.findall(r"DTSTART;TZID=[^:]+:(\d{8})T", r.stdout)
    assert sorted(starts) == ["20270301", "20270303"], starts  # its first Monday, Wednesday
    for fmt in ("text", "ics", "csv"):
        r = cli(d, "render", out, "--format", fmt, "--by", "learner", "--filter", "m-2", check=0)
        assert "G-late" in r.stdout, r.stdout[:400]


@test
def render_ids_uids_and_midnight(d, tmp):
    """New groups never take a running group's id (a running group named g1
    makes the first new group g1.2), so calendar UIDs stay distinct; ids with
    '/' cannot make two UIDs meet; a dagdeel ending at 24:00 renders in every
    format, its events ending at midnight."""
    req = load(TINY)
    req["running_groups"] = [{"id": "g1", "route": "Z", "level": "A0", "alfa": True,
                              "dagdelen": ["mon-am", "wed-am"], "room": "R1", "teacher": "T2",
                              "members": 3, "start": "2026-09-01"}]
    f = os.path.join(tmp, "req.json")
    with open(f, "w") as fh:
        json.dump(req, fh)
    out = os.path.join(tmp, "ans.json")
    cli(d, "solve", f, "--format", "json", "-o", out, check=0)
    ans = load(out)
    ids = [g["id"] for g in ans["groups"]]
    assert len(ids) == len(set(ids)) and "g1" in ids and "g1.2" in ids, ids
    cli(d, "check", f, out, check=0)
    r = cli(d, "render", out, "--format", "ics", check=0)
    uids = [line for line in r.stdout.splitlines() if line.startswith("UID:")]
    assert uids and len(uids) == len(set(uids)), uids
    # ids with '/' in the answer: encoded in the UID
    a = load(out)
    a["groups"][0]["id"] = "g/x"
    bad = os.path.join(tmp, "slash.json")
    with open(bad, "w") as fh:
        json.dump(a, fh)
    r = cli(d, "render", bad, "--format", "ics", check=0)
    assert "/g%2Fx/" in r.stdout, r.stdout[:400]
    # a dagdeel ending at midnight
    a = load(out)
    used = a["groups"][0]["dagdelen"][0]
    used = used if isinstance(used, str) else used["id"]
    for dd in a["dagdelen"]:
        if dd["id"] == used:
            dd["start"], dd["end"] = "20:00", "24:00"
    mid = os.path.join(tmp, "mid.json")
    with open(mid, "w") as fh:
        json.dump(a, fh)
    for fmt in ("text", "csv", "ics", "html"):
        f = os.path.join(tmp, "mid." + fmt)
        r = cli(d, "render", mid, "--format", fmt, "-o", f, check=0)
        with open(f) as fh:
            assert "24:00" in fh.read() or fmt == "ics", fmt
        if fmt != "text":
            args = [f, str(sum(len(g["dagdelen"]) for g in a["groups"]))] if fmt == "csv" else [f]
            r = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "render_check.py"), fmt] + args,
                               capture_output=True, text=True)
            assert r.returncode == 0, r.stdout + r.stderr
    # a UID built from long ids is whole (no cut, no overflow)
    a2 = load(out)
    a2["plan"] = "p" * 3000
    a2["groups"][0]["id"] = "/" * 300 + "a"
    huge = os.path.join(tmp, "huge.json")
    with open(huge, "w") as fh:
        json.dump(a2, fh)
    r = cli(d, "render", huge, "--format", "ics", check=0)
    assert "UID:" in r.stdout and "%2F" * 10 in r.stdout.replace("\r\n ", "").replace("\n ", "")
    r = cli(d, "render", mid, "--format", "ics", check=0)
    assert re.search(r"DTEND;TZID=[^:]+:\d{8}T000000", r.stdout), r.stdout[:1200]
    # a learner's own HTML view names that learner alone in their group
    g = next(g for g in ans["groups"] if len(g["learners"]) >= 2)
    me, other = g["learners"][0], g["learners"][1]
    r = cli(d, "render", out, "--format", "html", "--by", "learner", "--filter", me, check=0)
    assert me in r.stdout and other not in r.stdout, (me, other)
    # the text format's unplaced list keeps long ids whole
    a = load(out)
    long_id = "learner-with-a-rather-long-identifier-0001"
    a["unplaced"].append({"learner": long_id, "route": "Z", "level": "A0", "weeks_waiting": 1,
                          "reasons": [{"code": "optimised", "text": "left waiting"}]})
    with open(bad, "w") as fh:
        json.dump(a, fh)
    r = cli(d, "render", bad, "--format", "text", check=0)
    assert long_id + " Z A0" in r.stdout, r.stdout[-600:]


@test
def cli_node_limit_and_export_lp(d, tmp):
    """--node-limit reaches the request (the same plan twice, not cut by the clock);
    --export-lp writes the straightforward model instead of solving, and glpsol reads it."""
    a, b = os.path.join(tmp, "a.json"), os.path.join(tmp, "b.json")
    for out in (a, b):
        cli(d, "solve", TINY, "--node-limit", "20", "--seed", "5", "--format", "json", "-o", out,
            check=0)
    ja, jb = load(a), load(b)
    assert ja["status"] != "time_limit", ja["status"]
    assert ja["groups"] == jb["groups"] and ja["objective"] == jb["objective"]
    r = cli(d, "solve", TINY, "--node-limit", "x", check=2)
    assert "--node-limit" in r.stderr
    lp = os.path.join(tmp, "tiny.lp")
    cli(d, "solve", TINY, "--export-lp", lp, check=0)
    with open(lp) as f:
        text = f.read()
    assert "Minimize" in text and "Subject To" in text, text[:200]
    if shutil.which("glpsol"):
        r = subprocess.run(["glpsol", "--lp", lp, "--check"], capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr


@test
def cli_check_catches_violations(d, tmp):
    out = os.path.join(tmp, "ans.json")
    cli(d, "solve", TINY, "--format", "json", "-o", out, check=0)
    ans = load(out)
    if not ans["groups"]:
        return
    ans["groups"][0]["room"] = {"id": "R2"}
    ans["groups"][0]["learners"] = ans["groups"][0]["learners"] + ["t-01", "t-02", "t-03", "t-04", "t-05", "t-06", "t-07", "t-08"]
    bad = os.path.join(tmp, "bad.json")
    with open(bad, "w") as f:
        json.dump(ans, f)
    r = cli(d, "check", TINY, bad, check=1)
    assert "violation:" in r.stdout
    # an answer its checker flagged (check.ok false) exits 1 in every format
    flagged = dict(load(out), check=dict(load(out)["check"], ok=False))
    fl = os.path.join(tmp, "flagged.json")
    with open(fl, "w") as f:
        json.dump(flagged, f)
    for fmt in ("text", "json", "csv"):
        cli(d, "render", fl, "--format", fmt, check=1)
    cli(d, "render", out, check=0)
    # the answer's own figures are checked too: a term, the bound, the gap
    for field, value, words in (("terms", "travel", "term travel"), ("bound", None, "above the objective"),
                                ("gap", None, "gap")):
        tampered = dict(ans)
        tampered["groups"] = load(out)["groups"]
        if field == "terms":
            tampered["terms"] = dict(ans["terms"], travel=ans["terms"]["travel"] + 7)
        elif field == "bound":
            tampered["bound"] = ans["objective"] + 100
            tampered["gap"] = (ans["objective"] - tampered["bound"]) / ans["objective"]
        else:
            tampered["gap"] = ans["gap"] + 0.25
        with open(bad, "w") as f:
            json.dump(tampered, f)
        r = cli(d, "check", TINY, bad, check=1)
        assert words in r.stdout, (field, r.stdout)
    r = cli(d, "check", TINY, out, check=0)


def changed_request(req, ans, tmp):
    """The request at req after a change: the first learner of answer ans's first
    new group leaves, the room of its second new group (one no running group uses)
    is no longer there. Written to tmp/changed.json; (request, path, learner, room)."""
    new = [g for g in ans["groups"] if g.get("running") is None]
    changed = load(req)
    gone = new[0]["learners"][0]
    changed["learners"] = [l for l in changed["learners"] if l["id"] != gone]
    room = new[1]["room"]["id"]
    used = {g["room"] for g in changed.get("running_groups", [])}
    assert room not in used, room
    changed["rooms"] = [r for r in changed["rooms"] if r["id"] != room]
    creq = os.path.join(tmp, "changed.json")
    with open(creq, "w") as f:
        json.dump(changed, f)
    return changed, creq, gone, room


@test
def solve_from_an_earlier_answer(d, tmp):
    """rooster solve --start ANSWER: the answer's groups are the start; given
    back unchanged every group is kept at the same cost, and after the request
    changed (a learner gone, a room gone) the start is repaired and checked."""
    req = os.path.join(ROOT, "fixtures", "zutphen.json")
    a_out, b_out, c_out = (os.path.join(tmp, n) for n in ("a.json", "b.json", "c.json"))
    cli(d, "solve", req, "--format", "json", "-o", a_out, check=0)
    a = load(a_out)
    assert a["start"] is None, a["start"]
    new = [g for g in a["groups"] if g.get("running") is None]
    assert len(new) >= 2, len(new)
    cli(d, "solve", req, "--start", a_out, "--seed", "7", "--format", "json", "-o", b_out,
        check=0)
    b = load(b_out)
    st = b["start"]
    assert st == {"groups": len(new), "kept": len(new), "restaffed": 0, "dropped": 0,
                  "topped_up": 0, "learners_left_out": 0, "unknown_learners": 0,
                  "objective": a["objective"],
                  "outcomes": [{"group": g["id"], "outcome": "kept", "reason": None}
                               for g in new], "changed": []}, st
    assert b["objective"] <= a["objective"] + 1e-6, (b["objective"], a["objective"])
    assert b["check"]["ok"]
    r = cli(d, "render", b_out, check=0)
    want = "start      %d groups: %d kept, 0 restaffed, 0 dropped; 0 topped up, 0 left out, " \
           "0 unknown; " \
           "objective %.1f" % (len(new), len(new), a["objective"])
    assert want in r.stdout, (want, r.stdout[:600])
    # the request changes: one learner of the first new group leaves, the
    # second new group's room is no longer there
    changed, creq, gone, room = changed_request(req, a, tmp)
    # and another learner of the first new group cannot come on its first dagdeel
    who, dd0 = new[0]["learners"][1], new[0]["dagdelen"][0]
    alld = [x["id"] for x in changed["dagdelen"]]
    for x in changed["learners"]:
        if x["id"] == who:
            x["available"] = [t for t in x.get("available", alld) if t != dd0]
    with open(creq, "w") as f:
        json.dump(changed, f)
    cli(d, "solve", creq, "--start", a_out, "--time-limit", "3", "--format", "json", "-o",
        c_out, check=0)
    c = load(c_out)
    st = c["start"]
    assert st["unknown_learners"] == 1, st
    assert st["restaffed"] + st["dropped"] >= 1, st
    assert st["kept"] + st["restaffed"] + st["dropped"] == len(new), st
    # each group's outcome, counted as above; the one whose room went says so
    oc = st["outcomes"]
    assert [o["group"] for o in oc] == [g["id"] for g in new], oc
    for kind in ("kept", "restaffed", "dropped"):
        assert sum(o["outcome"] == kind for o in oc) == st[kind], (kind, oc)
    assert all((o["reason"] is None) == (o["outcome"] == "kept") for o in oc), oc
    o1 = oc[1]
    assert o1["outcome"] != "kept", o1
    if o1["outcome"] == "restaffed":
        assert o1["reason"] == "its room %s is not in this request" % room, o1
    # each learner whose lessons changed has a rule and a reason, and its
    # outcome says whether it is placed now
    placed_c = {x for g in c["groups"] for x in g["learners"]}
    rules = {"route", "level_spread", "alfa_separation", "women_only", "availability",
             "travel", "location_closed", "household", "childcare", "school",
             "group_dropped", "running_join", "optimised"}
    for ch in st["changed"]:
        assert ch["outcome"] == ("moved" if ch["learner"] in placed_c else "unplaced"), ch
        assert ch["rule"] in rules and ch["reason"], ch
    mine = [ch for ch in st["changed"] if ch["learner"] == who]
    assert len(mine) == 1 and mine[0]["rule"] == "availability", st["changed"]
    assert mine[0]["group"] == new[0]["id"], mine
    assert mine[0]["reason"].endswith("when group %s meets" % new[0]["id"]), mine
    assert c["check"]["ok"]
    cli(d, "check", creq, c_out, check=0)
    # with a price on each learner whose lessons change: the term is in the
    # answer, the checker recomputes it, and the export refuses the request
    changed["weights"] = dict(changed.get("weights", {}), moved=50)
    with open(creq, "w") as f:
        json.dump(changed, f)
    m_out = os.path.join(tmp, "m.json")
    cli(d, "solve", creq, "--start", a_out, "--time-limit", "3", "--format", "json", "-o",
        m_out, check=0)
    mv = load(m_out)
    assert mv["check"]["ok"], mv["check"]
    assert mv["terms"]["moved"] % 50 == 0, mv["terms"]
    # offline, the checker needs the start the answer was solved from
    if mv["terms"]["moved"] > 0:
        r = cli(d, "check", creq, m_out, check=1)
        assert "term moved is" in r.stdout, r.stdout
        assert "hint: the answer counts %g for learners moved from its start: check with " \
               "--start" % mv["terms"]["moved"] in r.stdout, r.stdout
    cli(d, "check", creq, m_out, "--start", a_out, check=0)
    mv["terms"]["moved"] += 50
    mv["objective"] += 50
    with open(m_out, "w") as f:
        json.dump(mv, f)
    r = cli(d, "check", creq, m_out, "--start", a_out, check=1)
    assert "term moved is" in r.stdout + r.stderr, r.stdout + r.stderr
    withstart = os.path.join(tmp, "withstart.json")
    with open(withstart, "w") as f:
        json.dump(dict(changed, start=a), f)
    # the straightforward model carries the moved term: one mv_ column per
    # learner the start lists who is in this request
    lp = os.path.join(tmp, "m.lp")
    cli(d, "solve", withstart, "--export-lp", lp, check=0)
    with open(lp) as f:
        mv_cols = set(re.findall(r"\bmv_\d+\b", f.read()))
    ids = {l["id"] for l in changed["learners"]}
    listed = {i for g in a["groups"] for i in g["learners"] if i in ids}
    assert listed and len(mv_cols) == len(listed), (len(mv_cols), len(listed))
    # a start that is not an answer
    bad = os.path.join(tmp, "bad.json")
    with open(bad, "w") as f:
        f.write("[1, 2]")
    r = cli(d, "solve", req, "--start", bad, check=2)
    assert "--start needs an answer" in r.stderr, r.stderr


@test
def replan_versions_and_diff(d, tmp):
    """timetable.solve with replan: the changed request is solved from the
    plan's last answer (weights.moved 100 unless set) and stored as the plan's
    next version; plan history lists the versions, plan diff says who moved,
    the same as rooster diff offline and as the answer's moved term; an
    acknowledged re-plan survives a crash; wrong re-plans are refused by field."""
    req = os.path.join(ROOT, "fixtures", "zutphen.json")
    a_out, b_out = os.path.join(tmp, "a.json"), os.path.join(tmp, "b.json")
    cli(d, "solve", req, "--time-limit", "3", "--format", "json", "-o", a_out, check=0)
    a = load(a_out)
    plan = a["plan"]
    assert a["version"] == 1, a["version"]
    changed, creq, gone, _ = changed_request(req, a, tmp)
    cli(d, "solve", creq, "--replan", plan, "--time-limit", "3", "--format", "json", "-o",
        b_out, check=0)
    b = load(b_out)
    assert (b["plan"], b["version"], b["parent"]) == (plan, 2, 1), (b["plan"], b["version"])
    assert a["parent"] is None, a["parent"]
    assert b["check"]["ok"], b["check"]
    # offline, the checker takes the re-plan's moved weight (the request sets none)
    r = cli(d, "check", creq, b_out, "--start", a_out, check=0)
    assert "a re-plan of version 1: weights.moved 100" in r.stdout, r.stdout
    assert b["start"] and b["start"]["unknown_learners"] == 1, b["start"]
    assert b["terms"]["moved"] % 100 == 0, b["terms"]
    # the versions, oldest first, each with its parent and figures
    h = json.loads(cli(d, "plan", "history", plan, check=0).stdout)
    vs = h["versions"]
    assert [(v["version"], v["parent"]) for v in vs] == [(1, None), (2, 1)], vs
    assert vs[1]["objective"] == b["objective"] and vs[1]["status"] == b["status"], vs
    # plan diff: version 2 against its parent; the learners the start listed
    # who changed are those the moved term counts
    r = cli(d, "plan", "diff", plan, "--format", "json", check=0)
    df = json.loads(r.stdout)
    assert (df["plan"], df["from"], df["to"]) == (plan, 1, 2), df
    sm = df["summary"]
    assert sm["moved"] + sm["unplaced"] == b["terms"]["moved"] / 100, (sm, b["terms"])
    assert sm["removed"] == 1 and [l["learner"] for l in df["learners"]
                                   if l["change"] == "removed"] == [gone], df["learners"]
    off = json.loads(cli(d, "diff", a_out, b_out, "--format", "json", check=0).stdout)
    assert off == {k: v for k, v in df.items() if k not in ("plan", "from", "to")}
    assert any(l["why"] for l in df["learners"]), df["learners"]
    t = cli(d, "plan", "diff", plan, check=0).stdout
    assert t.startswith("plan %s: version 1 -> 2\n" % plan), t[:200]
    assert ("%d moved" % sm["moved"]) in t and ("removed    %s" % gone) in t, t
    # as a calendar, version 2 cancels the lessons of version 1 it no longer has
    ics = cli(d, "plan", "get", plan, "--format", "ics", check=0).stdout
    slots = lambda ans: {(g["id"], t) for g in ans["groups"] for t in g["dagdelen"]}
    gone_slots = slots(a) - slots(b)
    assert ics.count("STATUS:CANCELLED") == len(gone_slots), (ics.count("STATUS:CANCELLED"),
                                                               sorted(gone_slots))
    assert ics.count("BEGIN:VEVENT") == len(slots(b)) + len(gone_slots)
    for g, t in gone_slots:
        assert "UID:%s/%s/%s@roosterd" % (plan, g, t) in ics, (g, t)
    # the learner who left: a calendar of its version 1 lessons, cancelled
    ics = cli(d, "plan", "get", plan, "--format", "ics", "--by", "learner", "--filter", gone,
              check=0).stdout
    was = [g for g in a["groups"] if gone in g["learners"]][0]
    assert ics.count("STATUS:CANCELLED") == ics.count("BEGIN:VEVENT") == len(was["dagdelen"]), ics
    # version 1 stays readable
    with d.client() as c:
        assert c.call("plan.get", {"plan": plan, "version": 1, "tenant": "zutphen"})["objective"] == a["objective"]
        for params, field in (({"plan": plan, "version": 99}, "version"),
                              ({"plan": "p-nothing", "version": 2}, "plan")):
            try:
                c.call("plan.get", dict(params, tenant="zutphen"))
                raise AssertionError("found %r" % params)
            except RoosterError as e:
                assert e.field == field, (params, e.field, e.message)
        # refused, each naming its field
        for params, field, words in (
                ({"replan": "p-nothing"}, "replan.plan", "no plan 'p-nothing'"),
                ({"replan": {"plan": plan, "version": 9}}, "replan.plan", "no version 9"),
                ({"replan": 7}, "replan", "expected a plan id"),
                ({"replan": {"plan": plan, "versoin": 1}}, "replan.versoin", "version"),
                ({"replan": plan, "start": a}, "start", "leave start out"),
                ({"replan": plan, "tenant": "another"}, "replan.plan", "no plan"),
                ({"replan": plan, "kind": "itc2007"}, "replan", "only timetable and placement plans")):
            try:
                c.call("timetable.solve", dict(changed, **params))
                raise AssertionError("accepted %r" % params)
            except RoosterError as e:
                assert e.field == field and words in e.message, (params, e.field, e.message)
        for params, field, words in (({"plan": plan, "from": 5}, "from", "no version 5"),
                                     ({"plan": plan, "to": 1}, "from", "is its first"),
                                     ({"plan": "p-nothing"}, "plan", "no plan")):
            try:
                c.call("plan.diff", dict(params, tenant="zutphen"))
                raise AssertionError("accepted %r" % params)
            except RoosterError as e:
                assert e.field == field and words in e.message, (params, e.field, e.message)
        # acknowledged, then the daemon is killed: the re-plan still becomes version 3
        job = c.call("timetable.solve", dict(changed, replan=plan, wait=False, time_limit=2))
        assert job["plan"] == plan, job
    d.stop(signal.SIGKILL)
    d.start()
    with d.client() as c:
        ans = c.call("job.result", {"job": job["job"], "wait": True, "tenant": "zutphen"})
        assert (ans["plan"], ans["version"]) == (plan, 3), (ans["plan"], ans["version"])
        assert ans["start"] is not None and ans["check"]["ok"]
        hv = c.call("plan.history", {"plan": plan, "tenant": "zutphen"})["versions"]
        assert [(v["version"], v["parent"]) for v in hv] == [(1, None), (2, 1), (3, 2)], hv
    # in text on stdout, a re-plan ends with who it moves
    r = cli(d, "solve", creq, "--replan", plan, "--time-limit", "2", check=0)
    assert ("plan %s: version 3 -> 4\nlearners " % plan) in r.stdout, r.stdout[-600:]
    assert r.stdout.rstrip().endswith("details: rooster plan diff %s" % plan), r.stdout[-300:]
    # weights null, or moved null, still take the re-plan's moved weight: the
    # checker, which applies it, passes the answer (from version 1 again)
    for w in (None, {"moved": None}):
        nreq = os.path.join(tmp, "null-weights.json")
        with open(nreq, "w") as f:
            json.dump(dict(changed, weights=w), f)
        n_out = os.path.join(tmp, "n.json")
        cli(d, "solve", nreq, "--replan", plan, "--version", "1", "--time-limit", "2",
            "--format", "json", "-o", n_out, check=0)
        n = load(n_out)
        assert n["parent"] == 1 and n["terms"]["moved"] > 0, (w, n["parent"], n["terms"])
        cli(d, "check", nreq, n_out, "--start", a_out, check=0)
    # group ids: the parent's group_seq reaches the re-plan through the
    # daemon, so an id the plan gave is never given to another class (one
    # start without the top group, then one with its learners back)
    last = json.loads(cli(d, "plan", "get", plan, "--format", "json", check=0).stdout)
    new_a = [g for g in last["groups"] if g["running"] is None]
    top = max(new_a, key=lambda g: int(g["id"][1:]))
    cut = dict(load(req))
    cut["learners"] = [x for x in cut["learners"] if x["id"] not in set(top["learners"])]
    creq2 = os.path.join(tmp, "cut.json")
    with open(creq2, "w") as f:
        json.dump(cut, f)
    seqs = [last["group_seq"]]
    for i, rq in enumerate((creq2, req)):
        out = os.path.join(tmp, "seq%d.json" % i)
        cli(d, "solve", rq, "--replan", plan, "--time-limit", "1", "--format", "json", "-o",
            out, check=0)
        v = load(out)
        given = {g["id"] for g in v["groups"] if g["running"] is None}
        assert v["group_seq"] >= seqs[-1], (v["group_seq"], seqs)
        # dropped with its learners, and not given again when they are back
        assert top["id"] not in given, (i, top["id"], given)
        seqs.append(v["group_seq"])

@test
def cli_check_reads_the_answers_statements(d, tmp):
    """rooster check holds an answer to what it states besides its groups: its
    unplaced list, every running group, its counts, its status and bound."""
    req = os.path.join(ROOT, "fixtures", "tholen.json")
    out = os.path.join(tmp, "ans.json")
    cli(d, "solve", req, "--format", "json", "-o", out, check=0)
    ans = load(out)
    assert ans["unplaced"] and ans["groups"], ans["status"]
    assert ans["wanted_gap"] == 0.0001, ans["wanted_gap"]
    cli(d, "check", req, out, check=0)
    new = [g for g in ans["groups"] if g.get("running") is None and g["learners"]]
    assert new
    bad = os.path.join(tmp, "bad.json")

    def check(a, code, words, *extra):
        with open(bad, "w") as f:
            json.dump(a, f)
        r = cli(d, "check", req, bad, *extra, check=code)
        assert words in r.stdout + r.stderr, (words, r.stdout, r.stderr)

    def copy():
        return json.loads(json.dumps(ans))

    a = copy()
    a["unplaced"].append({"learner": new[0]["learners"][0]})
    check(a, 1, "also listed as unplaced")
    a = copy()
    gone = a["unplaced"].pop()["learner"]
    check(a, 1, "learner %s is neither in a group nor listed" % gone)
    a = copy()
    a["unplaced"].append(a["unplaced"][0])
    check(a, 1, "listed as unplaced 2 times")
    a = copy()
    a["unplaced"].append({"learner": "l-9999"})
    check(a, 2, "unknown learner 'l-9999'")
    a = copy()
    a["status"] = "splendid"
    check(a, 2, "status: expected optimal")
    a = copy()
    a["groups"] = [g for g in a["groups"] if g.get("running") is None]
    check(a, 1, "is missing from the plan")
    a = copy()
    a["placed"] += 1
    check(a, 1, "placed says")
    a = copy()
    del a["terms"]
    a["bound"] = a["objective"] + 100
    check(a, 1, "above the objective")
    # an answer with no groups and no unplaced list is checked in full
    a = copy()
    a["status"], a["groups"], a["unplaced"] = "cancelled", [], []
    check(a, 1, "is neither in a group nor listed")
    # optimal: within the wanted gap (--gap, else the answer's wanted_gap,
    # else the request's)
    a = copy()
    a["status"] = "optimal"
    a["bound"] = a["objective"] / 2
    a["gap"] = 0.5
    check(a, 1, "above the wanted gap")
    check(a, 0, "0 violations", "--gap", "0.6")
    a["wanted_gap"] = 0.6
    check(a, 0, "0 violations")
    del a["wanted_gap"]
    check(a, 1, "above the wanted gap 0.0001")


@test
def cli_errors_and_exit_codes(d, tmp):
    badjson = os.path.join(tmp, "bad.json")
    with open(badjson, "w") as f:
        f.write('{"term": {"start": "2027-01-04",\n  "end": }\n')
    r = cli(d, "solve", badjson, check=2)
    assert "bad.json:2:" in r.stderr, r.stderr
    req = load(TINY)
    req["teachers"][1]["max_per_day"] = 9
    badfield = os.path.join(tmp, "badfield.json")
    with open(badfield, "w") as f:
        json.dump(req, f)
    r = cli(d, "solve", badfield, check=4)
    assert "teachers[1].max_per_day" in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1 and r.stderr.rstrip().endswith("(field teachers[1].max_per_day)"), r.stderr
    # output options are checked before the request goes out: no job is made
    with d.client() as c:
        before = len(c.call("job.list", {"tenant": "test"})["jobs"])
    for opts, words in ((["--format", "pdf"], "--format pdf"), (["--by", "bogus"], "--by 'bogus'"),
                        (["-o", os.path.join(tmp, "no", "such", "dir.txt")], "No such file"),
                        (["-o", tmp], "is a directory"), (["--format", "sol"], "--format sol")):
        r = cli(d, "solve", TINY, *opts, check=2)
        assert words in r.stderr, (opts, r.stderr)
    with d.client() as c:
        assert len(c.call("job.list", {"tenant": "test"})["jobs"]) == before
    cli(d, "solve", TINY, "--format", "csv", "-o", os.path.join(tmp, "ok.csv"), check=0)
    with d.client() as c:  # the count does see a solve
        assert len(c.call("job.list", {"tenant": "test"})["jobs"]) == before + 1
    r = subprocess.run([ROOSTER, "--socket", os.path.join(tmp, "nope.sock"), "ping"],
                       capture_output=True, text=True)
    assert r.returncode == 3, r.returncode
    r = subprocess.run([ROOSTER, "frobnicate"], capture_output=True, text=True)
    assert r.returncode == 2
    deep = os.path.join(tmp, "deep.json")
    with open(deep, "w") as f:
        f.write('{"a": ' * 40 + '1' + '}' * 40)
    r = subprocess.run([ROOSTER, "check", deep, deep], capture_output=True, text=True)
    assert r.returncode == 2 and "nested deeper than 32 levels" in r.stderr, r.stderr


@test
def cli_time_zones_and_kept_output(d, tmp):
    """A time zone tzdata does not have is refused at the door; an answer that
    cannot be rendered leaves -o's file as it was; an itc2007 timetable with
    hard violations exits 1 in every format."""
    if os.path.isdir("/usr/share/zoneinfo"):
        req = load(TINY)
        req["term"]["tz"] = "europe/amsterdam"
        bad = os.path.join(tmp, "tz.json")
        with open(bad, "w") as f:
            json.dump(req, f)
        r = cli(d, "solve", bad, "--format", "ics", "-o", os.path.join(tmp, "tz.ics"), check=4)
        assert "term.tz" in r.stderr and "case-sensitive" in r.stderr, r.stderr
        assert not os.path.exists(os.path.join(tmp, "tz.ics"))
    else:
        print("    skipped the tzdata check: no /usr/share/zoneinfo")
    ans = os.path.join(tmp, "ans.json")
    cli(d, "solve", TINY, "--format", "json", "-o", ans, check=0)
    a = load(ans)
    a["term"]["tz"] = "Mars/Olympus"
    mars = os.path.join(tmp, "mars.json")
    with open(mars, "w") as f:
        json.dump(a, f)
    kept = os.path.join(tmp, "kept.ics")
    with open(kept, "w") as f:
        f.write("earlier calendar\n")
    r = cli(d, "render", mars, "--format", "ics", "-o", kept, check=2)
    assert "Mars/Olympus" in r.stderr, r.stderr
    with open(kept) as f:
        assert f.read() == "earlier calendar\n"
    assert sorted(os.listdir(tmp)).count("kept.ics") == 1
    assert not [n for n in os.listdir(tmp) if n.startswith("kept.ics.")], os.listdir(tmp)
    cli(d, "render", ans, "--format", "ics", "-o", kept, check=0)
    with open(kept) as f:
        assert f.read().startswith("BEGIN:VCALENDAR")
    assert oct(os.stat(kept).st_mode & 0o777) != "0o600"  # as fopen makes it, not mkstemp's
    # an existing file keeps its mode; a symlink stays a link and its target is written
    os.chmod(kept, 0o600)
    cli(d, "render", ans, "--format", "csv", "-o", kept, check=0)
    assert os.stat(kept).st_mode & 0o777 == 0o600, oct(os.stat(kept).st_mode)
    link = os.path.join(tmp, "link.ics")
    os.symlink(kept, link)
    cli(d, "render", ans, "--format", "ics", "-o", link, check=0)
    assert os.path.islink(link)
    with open(kept) as f:
        assert f.read().startswith("BEGIN:VCALENDAR")
    # one lecture of b has no period left (both are unavailable): hard 1;
    # z has no lectures, which the format allows and the daemon takes too
    ctt = os.path.join(tmp, "inf.ctt")
    with open(ctt, "w") as f:
        f.write("Name: Inf\nCourses: 3\nRooms: 1\nDays: 1\nPeriods_per_day: 2\nCurricula: 0\n"
                "Constraints: 2\n\nCOURSES:\na t1 2 1 10\nb t2 1 1 10\nz t3 0 1 10\n\nROOMS:\nr 10\n\n"
                "CURRICULA:\n\nUNAVAILABILITY_CONSTRAINTS:\nb 0 0\nb 0 1\n\nEND.\n")
    req = os.path.join(tmp, "inf.json")
    cli(d, "import", "ctt", ctt, "-o", req, check=0)
    out = os.path.join(tmp, "inf-answer.json")
    for fmt in ("json", "text", "csv"):
        cli(d, "solve", req, "--time-limit", "1", "--format", fmt, "-o", out + "." + fmt, check=1)


@test
def placement_match_through_the_daemon(d, tmp):
    fx = os.path.join(ROOT, "fixtures", "placement-tholen.json")
    req = dict(load(fx), time_limit=20)
    with d.client() as c:
        ans = c.call("placement.match", req)
        assert ans["kind"] == "placement" and ans["status"] == "optimal", ans["status"]
        assert ans["check"]["ok"], ans["check"]
        assert ans["bound"] <= ans["objective"] + 1e-6
        assert ans["placed"] + len(ans["unplaced"]) == len(req["participants"])
        assert ans["placed"] == len(ans["matches"]) > 0
        for mt in ans["matches"]:
            assert mt["dagdelen"] and mt["hours"] > 0, mt
        for u in ans["unplaced"]:
            assert u["reasons"] and all(r["code"] and r["text"] for r in u["reasons"]), u
        # stored as a plan like a timetable, its kind kept
        plan = c.call("plan.get", {"plan": ans["plan"], "tenant": req["tenant"]})
        assert plan["kind"] == "placement" and plan["objective"] == ans["objective"]
        same = c.call("plan.diff", {"plan": ans["plan"], "from": 1, "to": 1, "tenant": req["tenant"]})
        assert same["participants"] == [] and \
            same["summary"]["unchanged"] == len(req["participants"]), same["summary"]
        # timetable.solve with kind placement is the same method, and the Python
        # client's match() calls it
        again = c.call("timetable.solve", dict(req, kind="placement"))
        assert again["objective"] == ans["objective"]
        third = c.match(req, time_limit=20)
        assert third["kind"] == "placement" and third["objective"] == ans["objective"]
        # bad requests name the field and the limit; the daemon goes on serving
        for params, field in ((dict(req, kind="timetable"), "kind"),
                              (dict(req, participants=[dict(req["participants"][0], level="C1")]),
                               "participants[0].level"),
                              (dict(req, placements=[dict(req["placements"][0], capacity=5000)]),
                               "placements[0].capacity"),
                              (dict(req, replan="p-nonesuch"), "replan.plan")):
            try:
                c.call("placement.match", params)
                raise AssertionError("accepted: %s" % field)
            except RoosterError as e:
                assert e.name in ("E_BAD_REQUEST", "E_NOT_FOUND") and field in str(e), \
                    (field, str(e))
        assert "placement.match" in c.call("server.hello")["methods"]
        # a participant's erasure reaches the stored placement requests and answers
        gone = ans["matches"][0]["participant"]
        c.call("learner.erase", {"learner": gone, "tenant": req["tenant"]})
        plan = c.call("plan.get", {"plan": ans["plan"], "tenant": req["tenant"]})
        assert gone not in json.dumps(plan) and plan["placed"] == ans["placed"] - 1, plan["placed"]
        # placement.match's default kind: a request stored without one is erased from too
        bare = {k: v for k, v in req.items() if k != "kind"}
        bare["participants"] = [dict(bare["participants"][0], id="erase-me")] + bare["participants"][1:]
        c.call("placement.match", bare)
        r = c.call("learner.erase", {"learner": "erase-me", "tenant": req["tenant"]})
        assert r["requests_edited"] == 1 and r["answers_edited"] == 1, r
    # the CLI: text, CSV, JSON, and the offline checker
    text = cli(d, "solve", fx, "--time-limit", "20", check=0).stdout
    assert "Placed %d of %d participants" % (ans["placed"], len(req["participants"])) in text, text
    csv = cli(d, "solve", fx, "--time-limit", "20", "--format", "csv", check=0).stdout
    rows = csv.strip().splitlines()
    assert rows[0].startswith("participant,status,placement") and len(rows) == 1 + len(req["participants"])
    out = os.path.join(tmp, "match.json")
    cli(d, "solve", fx, "--time-limit", "20", "--format", "json", "-o", out, check=0)
    r = subprocess.run([ROOSTER, "check", fx, out], capture_output=True, text=True)
    assert r.returncode == 0 and "0 violations" in r.stdout, r.stdout + r.stderr
    # a tampered answer: someone put where the placement's rules forbid
    a = load(out)
    u = a["unplaced"][0]["participant"]
    full = [w for w in a["placements"] if w["used"] >= w["capacity"]][0]
    a["matches"].append({"participant": u, "placement": full["id"], "dagdelen": ["mon-am"]})
    with open(out, "w") as f:
        json.dump(a, f)
    r = subprocess.run([ROOSTER, "check", fx, out], capture_output=True, text=True)
    assert r.returncode == 1 and "violation: capacity" in r.stdout and "DIFFERS" in r.stdout, r.stdout
    r = cli(d, "solve", fx, "--format", "html")
    assert r.returncode == 2 and "text, json, csv or ics" in r.stderr, r.stderr
    # iCalendar: a participant's work as weekly events from the match's start, until
    # the placement's last day when it has one
    import icalendar
    ics = cli(d, "solve", fx, "--time-limit", "20", "--format", "ics", "--filter",
              ans["matches"][0]["participant"], check=0).stdout
    cal = icalendar.Calendar.from_ical(ics)
    evs = [e for e in cal.walk("VEVENT")]
    m0 = ans["matches"][0]
    assert len(evs) == len(m0["dagdelen"]), (len(evs), m0)
    days = {x["id"]: x for x in ans["dagdelen"]}
    wd = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    for e in evs:
        start = e.decoded("dtstart")
        dd = days[str(e["uid"]).split("/")[-1].split("@")[0]]
        assert wd[start.weekday()] == dd["day"] and start.strftime("%H:%M") == dd["start"], (start, dd)
        assert str(start.date()) >= m0["start"] and str(e["rrule"]["FREQ"][0]) == "WEEKLY"
        assert str(start.tzinfo) in ("Europe/Amsterdam", "CET"), start.tzinfo
    ends = dict(load(fx), time_limit=20)
    ends["placements"] = [dict(w, available_until="2027-03-31") for w in ends["placements"]]
    endf = os.path.join(tmp, "ends.json")
    with open(endf, "w") as f:
        json.dump(ends, f)
    ics = cli(d, "solve", endf, "--format", "ics", "--filter", m0["participant"], check=0).stdout
    evs = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert evs
    for e in evs:
        start = e.decoded("dtstart")
        last = e["rrule"]["UNTIL"][0].astimezone(start.tzinfo)
        assert str(last.date()) == "2027-03-31" and last.time() == start.time(), (last, start)
    # --by participant|placement and --filter: one participant's row (a letter, a
    # hand-over), or one placement's participants; an id that names nobody is an error
    m0 = a["matches"][0]  # (a: the file as rendered, its tampered match included)
    one = cli(d, "render", out, "--format", "csv", "--filter", m0["participant"], check=0).stdout
    assert one.strip().splitlines()[1:] and all(
        row.startswith(m0["participant"] + ",") for row in one.strip().splitlines()[1:]), one
    at = [mt["participant"] for mt in a["matches"] if mt["placement"] == m0["placement"]]
    rows = cli(d, "render", out, "--format", "csv", "--by", "placement", "--filter",
               m0["placement"], check=0).stdout.strip().splitlines()[1:]
    assert sorted(r.split(",")[0] for r in rows) == sorted(at), (rows, at)
    text = cli(d, "render", out, "--by", "participant", "--filter", u, check=0).stdout
    assert "Without a placement (1)" in text and u in text, text
    for args, words in ((("--by", "placement", "--filter", m0["participant"]), "no placement"),
                        (("--filter", "nobody-here"), "no participant or placement"),
                        (("--by", "teacher"), "by participant or placement")):
        r = cli(d, "render", out, *args)
        assert r.returncode == 2 and words in r.stderr, (args, r.stderr)


def minutes(hhmm):
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


@test
def one_daemon_per_state_dir_and_socket(d, tmp):
    """A second roosterd on the same state directory is refused (it would run the
    first one's jobs again), and so is one on a socket another server answers on;
    the first goes on serving, its socket in place."""
    for state, words in ((d.state, "in use by another roosterd (pid %d)" % d.proc.pid),
                         (os.path.join(tmp, "other-state"), "another server listens")):
        r = subprocess.run([ROOSTERD, "-f", "--socket", d.sock, "--state-dir", state]
                           + EXTRA_ARGS, capture_output=True, text=True, timeout=30)
        assert r.returncode != 0 and words in r.stderr, (r.returncode, r.stderr)
    with d.client() as c:
        assert c.call("server.hello")["server"] == "roosterd"


@test
def placement_lessons_from_a_timetable_plan(d, tmp):
    """lessons_from: a placement request takes each participant's lessons from a
    stored timetable plan (its groups' and module groups' dagdelen, by their times),
    pinned to the version it read; no match then works during or too near a lesson."""
    tt = dict(load(os.path.join(ROOT, "fixtures", "tholen.json")), time_limit=20)
    pm = dict(load(os.path.join(ROOT, "fixtures", "placement-tholen.json")), time_limit=20)
    pm["tenant"] = tt["tenant"]
    with d.client() as c:
        a = c.call("timetable.solve", tt)
        dd = {x["id"]: x for x in a["dagdelen"]}
        lessons = {}
        for g in a["groups"]:
            for l in g["learners"]:
                lessons[l] = [dd[t] for t in g["dagdelen"]]
        assert len(lessons) >= 6, len(lessons)
        # the first participants are learners of the plan (with travel that reaches
        # every placement); one keeps lessons of its own, one is not in the plan
        inplan = sorted(lessons)[:6]
        parts = pm["participants"]
        for k, l in enumerate(inplan):
            parts[k] = dict(parts[k], id=l, travel={x: 25 for x in parts[k]["travel"]})
            if k:
                parts[k].pop("lessons", None)
        # the first keeps a lessons field of its own, in its place (not the last key)
        assert list(parts[0]).index("lessons") < len(parts[0]) - 1
        parts[0]["lessons"] = ["wed-am"]
        pm["lessons_from"] = a["plan"]
        b = c.call("placement.match", pm)
        assert b["check"]["ok"], b["check"]
        want = sum(len(lessons[l]) for l in inplan)
        assert b["lessons_from"] == {"plan": a["plan"], "version": a["version"],
                                     "participants": 6, "lessons": want}, b["lessons_from"]
        pdd = {x["id"]: x for x in b["dagdelen"]}
        worked = 0
        for mt in b["matches"]:
            if mt["participant"] not in lessons:
                continue
            assert mt["participant"] != inplan[0] or "wed-am" not in mt["dagdelen"], mt
            for t in mt["dagdelen"]:
                w = pdd[t]
                for les in lessons[mt["participant"]]:
                    if les["day"] != w["day"]:
                        continue
                    worked += 1
                    gap = (minutes(w["start"]) - minutes(les["end"])
                           if minutes(les["end"]) <= minutes(w["start"])
                           else minutes(les["start"]) - minutes(w["end"]))
                    assert gap >= mt["travel"], (mt, les)
        assert worked > 0  # some work shares a day with a lesson: the rule was exercised
        # the same request without lessons_from puts someone where a lesson is
        free = c.call("placement.match", dict(pm, lessons_from=None))
        clash = [mt for mt in free["matches"] if mt["participant"] in lessons and any(
            pdd[t]["day"] == les["day"] and minutes(pdd[t]["start"]) < minutes(les["end"])
            and minutes(les["start"]) < minutes(pdd[t]["end"])
            for t in mt["dagdelen"] for les in lessons[mt["participant"]])]
        assert clash, "without the plan's lessons nobody works during one: the test shows nothing"
        # a later version of the timetable does not change what version 1 gives
        c.call("timetable.solve", dict(tt, replan=a["plan"]))
        v1 = c.call("placement.match", dict(pm, lessons_from={"plan": a["plan"], "version": 1}))
        assert v1["lessons_from"]["version"] == 1 and v1["objective"] == b["objective"]
        latest = c.call("placement.match", pm)
        assert latest["lessons_from"]["version"] == 2, latest["lessons_from"]
        # errors name the field; a placement plan is not a timetable
        for ref, field, words in (("p-nonesuch", "lessons_from.plan", "no plan"),
                                  ({"plan": a["plan"], "version": 9}, "lessons_from.plan",
                                   "no version 9"),
                                  (b["plan"], "lessons_from", "not a timetable plan"),
                                  (7, "lessons_from", "a plan id or {plan, version}"),
                                  # a filled-in map (a stored request sent again) must
                                  # still name a stored version of the tenant's
                                  ({"plan": "p-nonesuch", "version": 1, "participants": 1,
                                    "lessons": 1}, "lessons_from.plan", "no version 1")):
            try:
                c.call("placement.match", dict(pm, lessons_from=ref))
                raise AssertionError("accepted: %r" % (ref,))
            except RoosterError as e:
                assert e.name in ("E_BAD_REQUEST", "E_NOT_FOUND") and field in str(e) \
                    and words in str(e), (ref, str(e))
        # a retry with a key: the same job, though the daemon rebuilt the request it
        # stored and the retry sends a participant's fields in another order and a
        # whole number as 5.0
        keyed = dict(pm, idempotency_key="lf-1", time_limit=20)
        first = c.call("placement.match", dict(keyed, wait=False))
        shuffled = dict(keyed, time_limit=20.0,
                        participants=[dict(reversed(list(p.items()))) for p in parts])
        again = c.call("placement.match", dict(shuffled, wait=False))
        assert again["job"] == first["job"], (first, again)
        # the plan's lessons past the limit of 128 are the plan's doing, said so
        many = dict(pm, participants=[dict(parts[1], lessons=[
            {"day": "sun", "start": "%02d:00" % (h % 20), "end": "%02d:30" % (h % 20)}
            for h in range(127)])] + parts[2:])
        try:
            c.call("placement.match", many)
            raise AssertionError("more than 128 lessons accepted")
        except RoosterError as e:
            assert e.field == "lessons_from" and "more than 128" in e.message, (e.field, e.message)
        # a module group of the timetable's request counts as lessons too
        x = inplan[1]
        free_dd = [t for t in dd if t not in [les["id"] for les in lessons[x]]]
        mod = [{"id": "MAP-1", "module": "MAP", "dagdelen": [free_dd[0]], "learners": [x]}]
        a2 = c.call("timetable.solve", dict(tt, module_groups=mod))
        n2 = sum(len(g["dagdelen"]) for g in a2["groups"] for l in g["learners"] if l in inplan)
        b2 = c.call("placement.match", dict(pm, lessons_from=a2["plan"]))
        assert b2["lessons_from"]["lessons"] == n2 + 1, (b2["lessons_from"], n2)
        try:
            c.call("timetable.solve", dict(tt, lessons_from=a["plan"]))
            raise AssertionError("a timetable took lessons_from")
        except RoosterError as e:
            assert "lessons_from" in str(e), str(e)
    # the CLI says where the lessons came from; the offline checker says the
    # request file does not hold them
    req = os.path.join(tmp, "pm.json")
    with open(req, "w") as f:
        json.dump(pm, f)
    out = os.path.join(tmp, "pm-answer.json")
    with open(out, "w") as f:
        json.dump(b, f)
    r = cli(d, "render", out, check=0)
    assert "Lessons from timetable %s version 1: %d lessons of 6 participants" % (
        a["plan"], want) in r.stdout, r.stdout
    r = subprocess.run([ROOSTER, "check", req, out], capture_output=True, text=True)
    assert "added by the daemon" in r.stderr and "0 violations" in r.stdout, r.stdout + r.stderr
    # job.request: the request as stored, the plan's lessons in it, which the checker reads
    stored = os.path.join(tmp, "stored.json")
    cli(d, "job", "request", b["job"], "--tenant", tt["tenant"], "-o", stored, check=0)
    sreq = load(stored)
    assert sreq["lessons_from"]["lessons"] == want, sreq["lessons_from"]
    assert sum(isinstance(x, dict) for p in sreq["participants"] for x in p.get("lessons", [])) \
        == want
    r = subprocess.run([ROOSTER, "check", stored, out], capture_output=True, text=True)
    assert r.returncode == 0 and "added by the daemon" not in r.stderr \
        and "0 violations" in r.stdout, r.stdout + r.stderr
    # an answer that works during one of those lessons: caught with the stored request
    bad = json.loads(json.dumps(b))
    mine = [m for m in bad["matches"] if m["participant"] in inplan]
    assert mine, "no participant of the plan was matched: nothing to tamper with"
    les = lessons[mine[0]["participant"]][0]
    during = [x["id"] for x in b["dagdelen"] if x["day"] == les["day"] and
              minutes(x["start"]) < minutes(les["end"]) and minutes(les["start"]) < minutes(x["end"])]
    mine[0]["dagdelen"] = sorted(set(mine[0]["dagdelen"]) | {during[0]})
    with open(out, "w") as f:
        json.dump(bad, f)
    r = subprocess.run([ROOSTER, "check", stored, out], capture_output=True, text=True)
    assert r.returncode == 1 and "violation: lesson" in r.stdout, r.stdout + r.stderr


@test
def placement_rematch_with_replan(d, tmp):
    """replan of a placement plan: each participant's match as its current placement
    and days, weights.moved 300 unless set, the next version of the same plan; a
    closed placement moves only its own participants, the others keep placement and
    days (more than a fresh match keeps); plan.diff and rooster diff say who changed
    and why."""
    pm = dict(load(os.path.join(ROOT, "fixtures", "placement-hilversum.json")), time_limit=20)
    with d.client() as c:
        a = c.call("placement.match", pm)
        gone = a["matches"][0]["placement"]
        on_gone = {m["participant"] for m in a["matches"] if m["placement"] == gone}
        pm2 = dict(pm, placements=[w for w in pm["placements"] if w["id"] != gone])
        # (the request still carries the fixture's own `current` for some: the plan
        # version is where everyone is now, and wins)
        assert any("current" in p for p in pm["participants"])
        pm2["participants"] = [dict(p, preferred=[x for x in p.get("preferred", []) if x != gone])
                               for p in pm["participants"]]
        b = c.call("placement.match", dict(pm2, replan=a["plan"]))
        assert b["check"]["ok"] and b["plan"] == a["plan"], b["check"]
        assert b["version"] == 2 and b["parent"] == 1, (b["version"], b["parent"])
        before = {m["participant"]: m for m in a["matches"]}
        after = {m["participant"]: m for m in b["matches"]}
        kept = [p for p in before if p not in on_gone and p in after
                and after[p]["placement"] == before[p]["placement"]
                and after[p]["dagdelen"] == before[p]["dagdelen"]]
        fresh = c.call("placement.match", pm2)
        fa = {m["participant"]: m for m in fresh["matches"]}
        fresh_kept = [p for p in before if p in fa and fa[p]["placement"] == before[p]["placement"]
                      and fa[p]["dagdelen"] == before[p]["dagdelen"]]
        assert len(kept) == len(before) - len(on_gone), (len(kept), len(before), len(on_gone))
        assert len(kept) > len(fresh_kept), (len(kept), len(fresh_kept))
        # moved costs 300 each for those the closed placement let go, and nobody else;
        # the answer's moved flags are the diff's moves
        left = [p for p in on_gone if p not in after or after[p]["placement"] != gone]
        assert b["terms"]["moved"] == 300 * len(left), (b["terms"]["moved"], left)
        flagged = {m["participant"] for m in b["matches"] if m["moved"]}
        hist = c.call("plan.history", {"plan": a["plan"], "tenant": pm["tenant"]})
        assert [(v["version"], v["parent"]) for v in hist["versions"]] == [(1, None), (2, 1)]
        diff = c.call("plan.diff", {"plan": a["plan"], "tenant": pm["tenant"]})
        assert diff["from"] == 1 and diff["to"] == 2
        changed = {e["participant"]: e for e in diff["participants"]}
        assert set(changed) == on_gone, (set(changed), on_gone)
        assert flagged == {p for p, e in changed.items() if e["change"] == "moved"}, flagged
        for e in changed.values():
            assert e["change"] in ("moved", "unplaced") and gone in e["why"], e
        # a timetable plan is not re-matched, nor a placement plan re-planned as one
        tt = c.call("timetable.solve", dict(load(TINY), time_limit=5, tenant=pm["tenant"]))
        for params, method, words in ((dict(pm2, replan=tt["plan"]), "placement.match",
                                       "not a placement plan"),
                                      (dict(load(TINY), tenant=pm["tenant"], replan=a["plan"]),
                                       "timetable.solve", "not a timetable plan")):
            try:
                c.call(method, params)
                raise AssertionError("accepted: %s" % words)
            except RoosterError as e:
                assert e.field == "replan" and words in e.message, (e.field, e.message)
    # the calendar of version 2 cancels what version 1 had and 2 has not (the same UID,
    # a higher SEQUENCE): the events of version 1 repeat weekly without an end
    import icalendar
    r = cli(d, "plan", "get", a["plan"], "--tenant", pm["tenant"], "--format", "ics", check=0)
    cal = icalendar.Calendar.from_ical(r.stdout)
    gone_slots = {(p, before[p]["placement"], t) for p in on_gone for t in before[p]["dagdelen"]} - \
        {(p, after[p]["placement"], t) for p in after for t in after[p]["dagdelen"]}
    cancelled = {tuple(str(e["uid"]).split("@")[0].split("/")[1:]) for e in cal.walk("VEVENT")
                 if str(e.get("status", "")) == "CANCELLED"}
    assert cancelled == gone_slots and gone_slots, (cancelled, gone_slots)
    assert all(int(e["sequence"]) >= 1 for e in cal.walk("VEVENT")), "no SEQUENCE"
    # the unchanged request re-matched keeps everyone's placement and days, also where
    # seats per dagdeel are limited (there the program names the days itself)
    seat = json.loads(json.dumps(pm))
    for w in seat["placements"]:
        if w.get("capacity", 1) >= 2:
            w["max_per_dagdeel"] = w["capacity"] // 2
    with d.client() as c:
        s1 = c.call("placement.match", seat)
        s2 = c.call("placement.match", dict(seat, replan=s1["plan"]))
        sd = c.call("plan.diff", {"plan": s1["plan"], "tenant": pm["tenant"]})
    assert s2["objective"] == s1["objective"] and sd["participants"] == [], sd["summary"]
    # replan given twice (a map with the key twice, as msgpack allows): named, not E_INTERNAL
    pairs = list(pm2.items()) + [("replan", a["plan"]), ("replan", a["plan"])]
    body = b"\xde" + len(pairs).to_bytes(2, "big") + b"".join(
        msgpack.packb(k) + msgpack.packb(v) for k, v in pairs)
    s = d.raw()
    s.sendall(b"\x94\x00" + msgpack.packb(77) + msgpack.packb("placement.match") + b"\x91" + body)
    got, _ = read_messages(s, lambda m: m[0] == 1 and m[1] == 77)
    s.close()
    err = got[-1][2]
    assert err and err["data"]["field"] == "replan" and "given 2 times" in err["message"], err
    # offline, from the two answers
    p1, p2 = os.path.join(tmp, "v1.json"), os.path.join(tmp, "v2.json")
    for path, ans in ((p1, a), (p2, b)):
        with open(path, "w") as f:
            json.dump(ans, f)
    r = subprocess.run([ROOSTER, "diff", p1, p2], capture_output=True, text=True)
    assert r.returncode == 0 and "participants %d:" % len(pm["participants"]) in r.stdout \
        and "is not in this request" in r.stdout, r.stdout + r.stderr
    # rooster check: the request as sent (with replan) does not hold what the daemon
    # filled in, and says so; the stored one (job.request) checks clean
    sent, stored = os.path.join(tmp, "sent.json"), os.path.join(tmp, "stored.json")
    with open(sent, "w") as f:
        json.dump(dict(pm2, replan=a["plan"]), f)
    r = subprocess.run([ROOSTER, "check", sent, p2], capture_output=True, text=True)
    assert "a re-match" in r.stderr and b["job"] in r.stderr, r.stderr
    cli(d, "job", "request", b["job"], "--tenant", pm["tenant"], "-o", stored, check=0)
    assert "replan" not in load(stored) and load(stored)["weights"]["moved"] == 300
    r = subprocess.run([ROOSTER, "check", stored, p2], capture_output=True, text=True)
    assert r.returncode == 0 and "matches" in r.stdout and "re-match" not in r.stderr, \
        r.stdout + r.stderr


@test
def placement_time_limit_on_a_large_request(d, tmp):
    """A city of 3 000 participants (about a million pairs) at 2 s: an answer that
    passes the checker, within a generous margin of the limit (no speed is measured)."""
    if sanitizers_skip():
        return
    path = os.path.join(tmp, "large.json")
    with open(path, "w") as f:
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "fixtures", "generate_placement.py"),
                        "--n", "3000", "--placements", "750", "--seed", "5", "--name", "large"],
                       stdout=f, check=True, timeout=120)
    req = dict(load(path), time_limit=2)
    t0 = time.time()
    with d.client() as c:
        ans = c.call("placement.match", req, timeout=120)
    wall = time.time() - t0
    assert ans["check"]["ok"], ans["check"]["violations"][:3]
    assert ans["status"] in ("time_limit", "optimal", "feasible"), ans["status"]
    assert ans["bound"] <= ans["objective"] + 1e-6
    assert ans["seconds"] < 2 + 3 and wall < 30, (ans["seconds"], wall)


@test
def placement_gap_known_optima(d):
    """OR-Library GAP instances (minimisation) solved to their known optima."""
    known = os.path.join(BENCHMARKS, "gap", "known_values.csv")
    if not os.path.exists(known):
        print("    skipped: no GAP instances at %s (set ROOSTER_BENCHMARKS)" % BENCHMARKS)
        return
    if sanitizers_skip():
        return
    want = {}
    with open(known) as f:
        for line in f.readlines()[1:]:
            c = line.strip().split(",")
            if c[4] == "min" and c[6] == "optimal":
                want[(c[0], int(c[1]))] = float(c[5])
    for name in ("gap1.txt", "gap4.txt", "gap8.txt", "gapa.txt"):
        out = subprocess.run([os.path.join(BUILD, "pm_run"), "--gap",
                              os.path.join(BENCHMARKS, "gap", name), "0", "60"],
                             capture_output=True, text=True, timeout=120).stdout.split()
        assert out[0] == "optimal" and out[6] == "ok", (name, out)
        assert abs(float(out[1]) - want[(name, 0)]) < 1e-6, (name, out, want[(name, 0)])


@test
def itc2007_through_the_daemon(d, tmp):
    ctt = os.path.join(ROOT, "tests", "data", "ctt_small.ctt")
    req = os.path.join(tmp, "small.json")
    cli(d, "import", "ctt", ctt, "-o", req, check=0)
    ans = os.path.join(tmp, "small-answer.json")
    cli(d, "solve", req, "--time-limit", "3", "--format", "json", "-o", ans, check=0)
    a = load(ans)
    assert a["kind"] == "itc2007" and a["score"]["hard"] == 0, a["score"]
    assert a["objective"] == a["check"]["penalty"]
    r = subprocess.run([ROOSTER, "check", "--ctt", ctt, ans], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert ("penalty %d " % a["objective"]) in r.stdout, r.stdout
    # an answer claiming another penalty than its lectures have is caught
    t = dict(a, objective=a["objective"] + 1, score=dict(a["score"], room_stability=99))
    tampered = os.path.join(tmp, "tampered.json")
    with open(tampered, "w") as f:
        f.write("\ufeff\r\n" + json.dumps(t))  # a BOM and CRLF before the JSON, too
    r = subprocess.run([ROOSTER, "check", "--ctt", ctt, tampered], capture_output=True, text=True)
    assert r.returncode == 1 and r.stdout.count("DIFFERS") == 2, r.stdout + r.stderr
    # a directory is not an empty file; an instance without courses is not imported
    r = subprocess.run([ROOSTER, "check", "--ctt", ctt, tmp], capture_output=True, text=True)
    assert r.returncode == 2 and "Is a directory" in r.stderr, r.stdout + r.stderr
    empty = os.path.join(tmp, "empty.ctt")
    with open(empty, "w") as f:
        f.write("Name: E\nCourses: 0\nRooms: 1\nDays: 1\nPeriods_per_day: 1\nCurricula: 0\n"
                "Constraints: 0\nCOURSES:\nROOMS:\nr 5\nCURRICULA:\nUNAVAILABILITY_CONSTRAINTS:\nEND.\n")
    r = subprocess.run([ROOSTER, "import", "ctt", empty], capture_output=True, text=True)
    assert r.returncode == 2 and "no courses" in r.stderr, r.stdout + r.stderr
    sol = cli(d, "render", ans, "--format", "sol", check=0).stdout
    assert len(sol.splitlines()) == len(a["lectures"])
    # bad requests are refused at the door, naming the field
    base = load(req)
    bad = [({"rooms": []}, "rooms", "at least one room"),
           ({"courses": [dict(base["courses"][0], id="c\x0b1")] + base["courses"][1:]},
            "courses[0].id", "control character"),
           ({"courses": [dict(base["courses"][0], id="c\x001")] + base["courses"][1:]},
            "courses[0].id", "control character")]
    bad.append(({"curicula": []}, "curicula", "did you mean 'curricula'"))
    # ids the .ctt text would read as a section
    for weird in ("c02:", "END."):
        bad.append(({"courses": [dict(base["courses"][0], id=weird)] + base["courses"][1:]},
                    "courses[0].id", "neither end in ':' nor be END."))
    bad.append(({"courses": [dict(base["courses"][0], lecturs=2)] + base["courses"][1:]},
                "courses[0].lecturs", "did you mean 'lectures'"))
    bad.append(({"rooms": [dict(base["rooms"][0], capacty=2)] + base["rooms"][1:]},
                "rooms[0].capacty", "did you mean 'capacity'"))
    dup = [dict(c) for c in base["courses"]]
    dup[1]["id"] = dup[0]["id"]
    bad.append(({"courses": dup}, "courses[1]", "duplicate course"))
    if base.get("curricula"):
        q = dict(base["curricula"][0], courses=["nope"])
        bad.append(({"curricula": [q] + base["curricula"][1:]}, "curricula[0]",
                    "unknown course 'nope'"))
        q = dict(base["curricula"][0], courses=["a\x0cb"])
        bad.append(({"curricula": [q] + base["curricula"][1:]}, "curricula[0].courses[0]",
                    "control character"))
    with d.client() as c:
        for patch, field, words in bad:
            try:
                c.call("timetable.solve", dict(base, **patch))
                raise AssertionError("accepted %r" % patch)
            except RoosterError as e:
                assert e.name == "E_BAD_REQUEST" and e.field == field and words in e.message, e


@test
def cli_ctrl_c_detach_and_cancel(d, tmp):
    """On a terminal: a progress line, Ctrl-C asks; 'd' detaches, 'c' cancels.
    (The CLI's terminal handling: the plain pass runs it; under sanitizers it
    took 9 s of the suite's budget.)"""
    if sanitizers_skip():
        return
    import pty
    import select

    def session(answer):
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(ROOSTER, [ROOSTER, "--socket", d.sock, "solve",
                               os.path.join(ROOT, "fixtures", "region.json"), "--time-limit", "60",
                               "-o", os.path.join(tmp, "out-" + answer + ".txt")])
        seen = b""

        def read_until(token, limit=60):
            nonlocal seen
            end = time.time() + limit
            while token not in seen and time.time() < end:
                r, _, _ = select.select([fd], [], [], 0.5)
                if r:
                    try:
                        seen += os.read(fd, 4096)
                    except OSError:
                        break
            assert token in seen, "waited for %r, saw %r" % (token, seen[-400:])

        read_until(b"incumbent")
        os.write(fd, b"\x03")
        read_until(b"or detach")
        os.write(fd, answer.encode() + b"\n")
        read_until(b"detached" if answer == "d" else b"cancelling")
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        return os.WEXITSTATUS(status), seen

    rc, seen = session("d")
    assert rc == 0
    job = re.search(rb"job (j-[0-9a-f]+) accepted", seen).group(1).decode()
    with d.client() as c:
        assert c.call("job.status", {"job": job, "tenant": "region"})["state"] in ("queued", "running", "done")
        c.call("job.cancel", {"job": job, "tenant": "region"})
    rc, seen = session("c")
    assert rc == 0, seen[-300:]
    with open(os.path.join(tmp, "out-c.txt")) as f:
        assert "cancelled" in f.read()


@test
def cli_import_and_check_ctt(d, tmp):
    ctt = os.path.join(BENCHMARKS, "itc2007", "comp01.ctt")
    sol = os.path.join(BENCHMARKS, "itc2007", "ref_solutions", "comp01.sol")
    if not os.path.exists(ctt):
        print("    skipped: ITC2007 benchmarks not found at %s" % BENCHMARKS)
        return
    r = subprocess.run([ROOSTER, "check", "--ctt", ctt, sol], capture_output=True, text=True)
    assert r.returncode == 0 and "penalty 5 " in r.stdout, r.stdout + r.stderr
    out = os.path.join(tmp, "comp01.json")
    r = subprocess.run([ROOSTER, "import", "ctt", ctt, "-o", out], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    req = load(out)
    assert req["kind"] == "itc2007" and len(req["courses"]) == 30 and len(req["rooms"]) == 6


@test
def fixtures_are_deterministic(d):
    r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "fixtures", "generate.py"), "--check"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    a = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "fixtures", "generate.py"), "--n", "40",
                        "--seed", "7", "--name", "x"], capture_output=True, text=True, timeout=60)
    b = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "fixtures", "generate.py"), "--n", "40",
                        "--seed", "7", "--name", "x"], capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, PYTHONHASHSEED="123"))
    c = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "fixtures", "generate.py"), "--n", "40",
                        "--seed", "8", "--name", "x"], capture_output=True, text=True, timeout=60)
    assert a.returncode == 0 and a.stdout == b.stdout and a.stdout != c.stdout
    assert len(json.loads(a.stdout)["learners"]) == 40
    # and the placement fixtures
    gp = os.path.join(ROOT, "fixtures", "generate_placement.py")
    r = subprocess.run(["/usr/bin/python3", gp, "--check"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    a, b = (subprocess.run(["/usr/bin/python3", gp, "--n", "40", "--placements", "12", "--seed", "7",
                            "--name", "x"], capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, PYTHONHASHSEED=h)) for h in ("0", "123"))
    assert a.returncode == 0 and a.stdout == b.stdout, a.stderr
    assert len(json.loads(a.stdout)["participants"]) == 40


@test
def html_renders_in_chromium(d, tmp):
    if sanitizers_skip():
        return
    browser = shutil.which("chromium")
    if not browser:
        print("    skipped: chromium not installed (scripts/install-deps installs it)")
        return
    out = os.path.join(tmp, "ans.json")
    cli(d, "solve", os.path.join(ROOT, "fixtures", "hilversum.json"), "--time-limit", "5",
        "--format", "json", "-o", out, check=0)
    html = os.path.join(tmp, "plan.html")
    cli(d, "render", out, "--format", "html", "-o", html, check=0)
    png = os.path.join(tmp, "plan.png")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--user-data-dir=" + os.path.join(tmp, "chrome"),
                    "--screenshot=" + png, "--window-size=1400,1800", "file://" + html],
                   capture_output=True, timeout=120)
    with open(png, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "no PNG written"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert (width, height) == (1400, 1800), (width, height)
    assert os.path.getsize(png) > 20000, "the page rendered blank"


# ---------------------------------------------------------------- harness

def main():
    only = sys.argv[sys.argv.index("-k") + 1] if "-k" in sys.argv else None
    passed = failed = 0
    shared_tmp = tempfile.mkdtemp(prefix="roosterd-it-")
    shared = None
    try:
        shared = Daemon(shared_tmp)
        for fn in TESTS:
            if only and only not in fn.__name__:
                continue
            own = fn.__code__.co_argcount == 2
            tmp = tempfile.mkdtemp(prefix="roosterd-it-") if own else shared_tmp
            d = Daemon(tmp) if own else shared
            t0 = time.time()
            try:
                fn(d, tmp) if own else fn(d)
                passed += 1
                print("ok    %-40s %5.1f s" % (fn.__name__, time.time() - t0), flush=True)
            except Exception:  # noqa: BLE001
                failed += 1
                print("FAIL  %-40s %5.1f s" % (fn.__name__, time.time() - t0), flush=True)
                traceback.print_exc()
                print("---- daemon log (tail) ----\n" + d.logtext()[-3000:])
            finally:
                if own:
                    d.stop()
                    shutil.rmtree(tmp, ignore_errors=True)
    finally:
        if shared:
            rc = shared.stop()
            if rc != 0:
                print("shared daemon exited with %s; its log's tail:" % rc)
                print("\n".join(shared.logtext().splitlines()[-60:]))
                failed += 1
        shutil.rmtree(shared_tmp, ignore_errors=True)
    print("integration: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""server.py: roosterd request rates and latency (figures, not assertions).

    bench/server.py BUILD_DIR

Starts roosterd on a temporary socket and prints a table:
- server.hello requests per second on one connection (pipelined in batches of 64);
- the same over 100 connections driven by 4 processes;
- server.hello latency (p50, p99, max) on an idle server and while a long solve runs.
"""

import json
import multiprocessing as mp
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import msgpack

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
from rooster import Client, RoosterError  # noqa: E402

HELLO = msgpack.packb([0, 1, "server.hello", [{}]])


def pipelined(path, seconds, batch=64):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    u = msgpack.Unpacker(raw=False)
    done = 0
    t0 = time.time()
    while time.time() - t0 < seconds:
        s.sendall(HELLO * batch)
        got = 0
        while got < batch:
            u.feed(s.recv(1 << 16))
            for _ in u:
                got += 1
        done += batch
    s.close()
    return done, time.time() - t0


def worker(path, conns, seconds, q):
    socks = []
    for _ in range(conns):
        s = socket.socket(socket.AF_UNIX)
        s.connect(path)
        socks.append((s, msgpack.Unpacker(raw=False)))
    done = 0
    t0 = time.time()
    while time.time() - t0 < seconds:
        for s, _ in socks:
            s.sendall(HELLO)
        for s, u in socks:
            got = 0
            while not got:
                u.feed(s.recv(1 << 16))
                for _ in u:
                    got += 1
        done += len(socks)
    q.put((done, time.time() - t0))


def many(path, seconds, conns=100, procs=4):
    q = mp.Queue()
    ps = [mp.Process(target=worker, args=(path, conns // procs, seconds, q)) for _ in range(procs)]
    for p in ps:
        p.start()
    res = [q.get() for _ in ps]
    for p in ps:
        p.join()
    return sum(r[0] for r in res), max(r[1] for r in res)


def latencies(path, n=300):
    lat = []
    with Client(path) as c:
        for _ in range(n):
            t = time.perf_counter()
            c.call("server.hello")
            lat.append((time.perf_counter() - t) * 1000)
            time.sleep(0.01)
    lat.sort()
    return lat[len(lat) // 2], lat[int(len(lat) * 0.99) - 1], lat[-1]


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    tmp = tempfile.mkdtemp(prefix="roosterd-bench-")
    sock = os.path.join(tmp, "s.sock")
    d = subprocess.Popen([os.path.join(build, "roosterd"), "-f", "--socket", sock, "--state-dir",
                          os.path.join(tmp, "st"), "--set", "log_level=warn"])
    try:
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        time.sleep(0.2)
        rows = []
        n, t = pipelined(sock, 5)
        rows.append(("server.hello, 1 connection, pipelined x64", "%.0f req/s" % (n / t)))
        n, t = many(sock, 5)
        rows.append(("server.hello, 100 connections", "%.0f req/s" % (n / t)))
        p50, p99, mx = latencies(sock)
        rows.append(("server.hello latency, idle", "p50 %.2f ms, p99 %.2f ms, max %.2f ms" % (p50, p99, mx)))
        with open(os.path.join(ROOT, "fixtures", "region.json")) as f:
            req = json.load(f)
        with Client(sock) as c:
            job = c.call("timetable.solve", dict(req, wait=False, time_limit=30, gap=0))
        time.sleep(1)
        p50, p99, mx = latencies(sock)
        rows.append(("server.hello latency, 5,000-learner solve running",
                     "p50 %.2f ms, p99 %.2f ms, max %.2f ms" % (p50, p99, mx)))
        with Client(sock) as c:
            try:
                c.call("job.cancel", {"job": job["job"], "tenant": job["tenant"]})
            except RoosterError:
                pass  # it finished already
        w = max(len(r[0]) for r in rows)
        print("\n%-*s  %s" % (w, "server benchmark", "figure"))
        print("%s  %s" % ("-" * w, "-" * 40))
        for a, b in rows:
            print("%-*s  %s" % (w, a, b))
    finally:
        d.terminate()
        d.wait(60)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""example.py: what a case system does with roosterd, end to end.

    clients/python/example.py SOCKET fixtures/tholen.json

Submits a timetable request without waiting, follows its progress, fetches
the plan, and prints one line per group.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rooster import Client, RoosterError  # noqa: E402


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    sock, path = sys.argv[1], sys.argv[2]
    with open(path) as f:
        request = json.load(f)
    with Client(sock) as c:
        hello = c.call("server.hello")
        print("connected to roosterd %s (GLPK %s)" % (hello["version"], hello["solvers"]["glpk"]))
        try:
            job = c.solve(request, wait=False, time_limit=10)
        except RoosterError as e:
            print("request refused: %s" % e, file=sys.stderr)
            return 1
        print("job %s queued" % job["job"])

        def progress(method, params):
            if method == "job.progress":
                print("  %.1f s: incumbent %s, bound %s" % (params["elapsed"], params["incumbent"],
                                                          params["bound"]))

        answer = c.call("job.result", {"job": job["job"], "wait": True, "tenant": job["tenant"]},
                        on_notify=progress)
        print("status %s, objective %s, bound %s, gap %s" % (
            answer["status"], answer["objective"], answer["bound"], answer["gap"]))
        for g in answer["groups"]:
            print("  %-8s %-3s %-3s %-22s %-10s %-10s %d learners" % (
                g["id"], g["route"], g["level"], ",".join(g["dagdelen"]), g["room"]["id"],
                g["teacher"]["id"], g["size"]))
        print("%d learners not placed" % len(answer["unplaced"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""rooster.py: a small roosterd client for case systems (Python 3, python3-msgpack).

Written from docs/protocol.md only: msgpack-rpc over a Unix or TCP socket.
Drop this one file into a case system:

    from rooster import Client
    with Client("/run/roosterd/roosterd.sock") as c:
        print(c.call("server.hello"))
        answer = c.call("timetable.solve", request)          # waits for the plan
        job = c.call("timetable.solve", dict(request, wait=False))["job"]
        answer = c.call("job.result", {"job": job, "wait": True})

Errors from the server raise RoosterError with .code, .name, .message and
.field (the path of a bad request field). Notifications (job.accepted,
job.progress, job.done) that arrive while a call waits go to on_notify.
"""

import socket

import msgpack

__all__ = ["Client", "RoosterError"]


class RoosterError(Exception):
    def __init__(self, err):
        err = err if isinstance(err, dict) else {"message": str(err)}
        self.code = err.get("code")
        self.name = err.get("name", "E_UNKNOWN")
        self.message = err.get("message", "")
        self.field = (err.get("data") or {}).get("field")
        super().__init__("%s: %s%s" % (self.name, self.message,
                                        " (field %s)" % self.field if self.field else ""))


class Client:
    """One connection to roosterd. Not thread-safe: one Client per thread."""

    def __init__(self, path=None, host=None, port=7878, token=None, timeout=None):
        if host:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        else:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            self.sock.connect(path or "/run/roosterd/roosterd.sock")
        # stored answers from before the daemon refused invalid UTF-8 may hold
        # it: such bytes become U+FFFD instead of breaking the stream
        self.unpacker = msgpack.Unpacker(raw=False, unicode_errors="replace",
                                         max_buffer_size=1 << 30)
        self.next_id = 0
        self.on_notify = None
        if host:
            self.call("server.auth", {"token": token or ""})

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.sock.close()

    def call(self, method, params=None, on_notify=None):
        """Send one request and wait for its response; returns the result."""
        self.next_id = (self.next_id + 1) & 0xFFFFFFFF
        msgid = self.next_id
        self.sock.sendall(msgpack.packb([0, msgid, method, [params or {}]], use_bin_type=True))
        notify = on_notify or self.on_notify
        while True:
            for msg in self.unpacker:
                if msg[0] == 2:
                    if msg[1] == "error":
                        raise RoosterError(msg[2][0] if msg[2] else {})
                    if notify:
                        notify(msg[1], msg[2][0] if msg[2] else None)
                    continue
                if msg[0] == 1 and msg[1] == msgid:
                    if msg[2] is not None:
                        raise RoosterError(msg[2])
                    return msg[3]
            data = self.sock.recv(1 << 16)
            if not data:
                raise ConnectionError("roosterd closed the connection")
            self.unpacker.feed(data)

    def solve(self, request, **overrides):
        """timetable.solve with envelope overrides (time_limit=, seed=, tenant=, wait=);
        start=ANSWER begins from an earlier answer (docs/schema.md, `start`);
        replan=PLAN makes the stored plan's next version from its latest one
        (docs/protocol.md, "Re-planning"; then plan.diff says who moved)."""
        req = dict(request)
        req.update(overrides)
        return self.call("timetable.solve", req)

"""rooster.py: a small roosterd client for case systems (Python 3, python3-msgpack).

Written from docs/protocol.md only: msgpack-rpc over a Unix or TCP socket.
Drop this one file into a case system:

    from rooster import Client
    with Client("/run/roosterd/roosterd.sock", timeout=30) as c:
        print(c.call("server.hello"))
        answer = c.solve(request, on_notify=log)              # waits for the plan
        job = c.call("timetable.solve", dict(request, wait=False))["job"]
        answer = c.call("job.result", {"job": job, "wait": True}, timeout=900)

Errors from the server raise RoosterError with .code, .name, .message,
.field (the path of a bad request field) and .retryable (E_BUSY, E_SHUTDOWN,
E_AGAIN, E_IO: the same request may succeed later; send it with an
idempotency_key, and a retry returns the job the first one made).
Notifications (job.accepted, job.progress, job.done) that arrive while a
call waits go to on_notify, whichever job they are about.

A stream error (bytes the server could not take: it sends an `error`
notification and closes) raises StreamError; the Client is then closed and
reconnect() opens a new connection (and authenticates again on TCP), as it
does after ConnectionLost.

timeout (seconds, None = no limit) bounds connecting and each call as a
whole: a waited solve needs at least its time_limit, so pass a longer one
to such a call (call(..., timeout=T), or NO_LIMIT for none). A call that runs out raises
CallTimeout and one that loses the connection ConnectionLost; both carry
.job, the job id when job.accepted had come, so the caller can fetch the
answer later (job.result) instead of solving again.
"""

import socket
import time

import msgpack

__all__ = ["Client", "RoosterError", "StreamError", "CallTimeout", "ConnectionLost", "NO_LIMIT"]

RETRYABLE = frozenset(("E_BUSY", "E_SHUTDOWN", "E_AGAIN", "E_IO"))
NO_LIMIT = float("inf")  # call(..., timeout=NO_LIMIT): wait as long as it takes


class RoosterError(Exception):
    def __init__(self, err):
        err = err if isinstance(err, dict) else {"message": str(err)}
        self.code = err.get("code")
        self.name = err.get("name", "E_UNKNOWN")
        self.message = err.get("message", "")
        self.field = (err.get("data") or {}).get("field")
        self.retryable = self.name in RETRYABLE
        super().__init__("%s: %s%s" % (self.name, self.message,
                                        " (field %s)" % self.field if self.field else ""))


class StreamError(RoosterError):
    """The server refused the byte stream and closed the connection."""


class CallTimeout(TimeoutError):
    """A call ran out of its timeout; .job is the job id when known."""

    def __init__(self, method, seconds, job=None):
        self.method, self.job = method, job
        super().__init__("%s: no answer within %.0f s%s" % (
            method, seconds, " (job %s: fetch it with job.result)" % job if job else ""))


class ConnectionLost(ConnectionError):
    """The connection closed before the answer came; .job as for CallTimeout."""

    def __init__(self, method, job=None):
        self.method, self.job = method, job
        super().__init__("%s: roosterd closed the connection%s" % (
            method, " (job %s: fetch it with job.result)" % job if job else ""))


class Client:
    """One connection to roosterd. Not thread-safe: one Client per thread."""

    def __init__(self, path=None, host=None, port=7878, token=None, timeout=None):
        self.path, self.host, self.port, self.token = path, host, port, token
        self.timeout = timeout
        self.on_notify = None
        self.next_id = 0
        self.sock = None
        self.reconnect()

    def reconnect(self):
        """Open a fresh connection (the old one, if any, is closed). On failure
        (OSError, or RoosterError from server.auth) the Client stays closed."""
        self.close()
        if self.host:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        else:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.timeout)
                sock.connect(self.path or "/run/roosterd/roosterd.sock")
            except OSError:
                sock.close()
                raise
        self.sock = sock
        # stored answers from before the daemon refused invalid UTF-8 may hold
        # it: such bytes become U+FFFD instead of breaking the stream
        self.unpacker = msgpack.Unpacker(raw=False, unicode_errors="replace",
                                         max_buffer_size=1 << 30)
        if self.host:
            try:
                self.call("server.auth", {"token": self.token or ""})
            except BaseException:
                self.close()
                raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def call(self, method, params=None, on_notify=None, timeout=None):
        """Send one request and wait for its response; returns the result.
        timeout: seconds for this call (None: the Client's; NO_LIMIT: none)."""
        if self.sock is None:
            raise ConnectionLost(method)
        limit = self.timeout if timeout is None else timeout
        if limit is not None and limit == NO_LIMIT:
            limit = None
        deadline = None if limit is None else time.monotonic() + limit
        self.next_id = (self.next_id + 1) & 0xFFFFFFFF
        msgid = self.next_id
        notify = on_notify or self.on_notify
        job = None
        try:
            self.sock.settimeout(limit)
            self.sock.sendall(msgpack.packb([0, msgid, method, [params or {}]],
                                            use_bin_type=True))
            while True:
                for msg in self.unpacker:
                    if msg[0] == 2:
                        body = msg[2][0] if msg[2] else None
                        if msg[1] == "error":
                            self.close()
                            raise StreamError(body or {})
                        if msg[1] == "job.accepted" and isinstance(body, dict) and \
                                body.get("msgid") == msgid:
                            job = body.get("job")
                        if notify:
                            notify(msg[1], body)
                        continue
                    if msg[0] == 1 and msg[1] == msgid:
                        if msg[2] is not None:
                            raise RoosterError(msg[2])
                        return msg[3]
                if deadline is not None:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise socket.timeout()
                    self.sock.settimeout(left)
                data = self.sock.recv(1 << 16)
                if not data:
                    self.close()
                    raise ConnectionLost(method, job)
                self.unpacker.feed(data)
        except socket.timeout:
            # the answer may still come: this connection is out of step now
            self.close()
            raise CallTimeout(method, limit, job) from None
        except (BrokenPipeError, ConnectionResetError):
            self.close()
            raise ConnectionLost(method, job) from None

    def solve(self, request, on_notify=None, timeout=None, **overrides):
        """timetable.solve with envelope overrides (time_limit=, seed=, tenant=, wait=,
        idempotency_key=); start=ANSWER begins from an earlier answer (docs/schema.md,
        `start`); replan=PLAN makes the stored plan's next version from its latest one
        (docs/protocol.md, "Re-planning"; then plan.diff says who moved). on_notify and
        timeout go to call()."""
        req = dict(request)
        req.update(overrides)
        return self.call("timetable.solve", req, on_notify=on_notify, timeout=timeout)

    def match(self, request, on_notify=None, timeout=None, **overrides):
        """placement.match (docs/placement.md) with envelope overrides as in solve();
        replan=PLAN re-matches a stored placement plan (each participant's match there
        becomes its `current`; the answer is the plan's next version, plan.diff says who
        changed), lessons_from=PLAN takes the participants' lessons from a stored
        timetable plan."""
        req = dict(request)
        req.update(overrides)
        return self.call("placement.match", req, on_notify=on_notify, timeout=timeout)

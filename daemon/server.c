/* server.c: listeners (Unix, TCP, systemd sockets), connections, framing and writes. */
#include "srv.h"

#include "log.h"
#include "mp.h"
#include "rs_error.h"
#include "sdnotify.h"
#include "xalloc.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define WRITE_QUEUE_MAX ((size_t)256 << 20) /* a reader this far behind is dropped */
#define UNAUTH_MAX_MESSAGE ((size_t)64 << 10) /* before server.auth on TCP */

typedef struct wreq {
	uv_write_t req;
	uv_buf_t buf;
} wreq;

double srv_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

conn *srv_conn_find(srv *s, uint64_t id)
{
	for (conn *c = s->conns; c; c = c->next)
		if (c->id == id && !c->closing)
			return c;
	return NULL;
}

static void on_closed(uv_handle_t *h)
{
	conn *c = h->data;
	c->srv->buffered -= c->cap;
	free(c->buf);
	free(c);
}

void srv_conn_close(conn *c)
{
	if (c->closing)
		return;
	c->closing = true;
	srv *s = c->srv;
	if (c->lingering)
		s->n_lingering--;
	for (conn **pp = &s->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	__atomic_sub_fetch(&s->n_conns, 1, __ATOMIC_RELAXED);
	log_debug("connection %llu closed", (unsigned long long)c->id);
	uv_close(&c->u.h, on_closed);
}

/* A client that shut down its sending side (EOF) still gets every answer
 * it is owed; the connection closes once they are written. */
static void conn_maybe_finish(conn *c)
{
	if (c->eof && !c->closing && !c->lingering && c->pending == 0 && c->owed == 0 && c->writes == 0)
		srv_conn_close(c);
}

static void on_written(uv_write_t *req, int status)
{
	wreq *w = (wreq *)req;
	conn *c = req->handle->data;
	c->srv->unsent -= w->buf.len;
	free(w->buf.base);
	free(w);
	(void)status;
	if (!c->closing) {
		c->writes--;
		conn_maybe_finish(c);
	}
}

void conn_owe(conn *c)
{
	c->owed++;
}

void conn_owed_done(conn *c)
{
	if (c->owed > 0)
		c->owed--;
	conn_maybe_finish(c);
}

void conn_write(conn *c, const void *data, size_t len)
{
	if (c->closing || c->lingering)
		return;
	size_t queued = uv_stream_get_write_queue_size(&c->u.s);
	if (queued > WRITE_QUEUE_MAX) {
		log_warn("connection %llu: client not reading, closing", (unsigned long long)c->id);
		srv_conn_close(c);
		return;
	}
	/* over all connections: a client with nothing waiting is always
	 * written to; one still behind on earlier answers is dropped */
	if (queued > 0 && c->srv->unsent + len > (size_t)c->srv->cfg.max_unsent_mb << 20) {
		log_warn("connection %llu: %zu bytes unsent and the server's answers not taken "
			 "pass max_unsent_mb; closing this client",
			 (unsigned long long)c->id, queued);
		srv_conn_close(c);
		return;
	}
	wreq *w = xmalloc(sizeof *w);
	w->buf = uv_buf_init(xmalloc(len), (unsigned)len);
	memcpy(w->buf.base, data, len);
	int rc = uv_write(&w->req, &c->u.s, &w->buf, 1, on_written);
	if (rc) {
		free(w->buf.base);
		free(w);
		srv_conn_close(c);
		return;
	}
	c->srv->unsent += len;
	c->writes++;
}

void conn_respond(conn *c, uint64_t msgid, const void *result, size_t rlen)
{
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 4);
	msgpack_pack_int(&pk, 1);
	msgpack_pack_uint64(&pk, msgid);
	msgpack_pack_nil(&pk);
	if (result)
		msgpack_sbuffer_write(&sb, (const char *)result, rlen);
	else
		msgpack_pack_nil(&pk);
	conn_write(c, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
}

static void pack_error(msgpack_packer *pk, int code, const char *message, const char *field)
{
	msgpack_pack_map(pk, 4);
	mp_pack_kv_int(pk, "code", code);
	mp_pack_kv_str(pk, "name", rs_err_name(code));
	mp_pack_kv_str(pk, "message", message && *message ? message : rs_err_message(code));
	mp_pack_str(pk, "data");
	if (field && *field) {
		msgpack_pack_map(pk, 1);
		mp_pack_kv_str(pk, "field", field);
	} else {
		msgpack_pack_nil(pk);
	}
}

void conn_respond_error(conn *c, uint64_t msgid, int code, const char *message, const char *field)
{
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 4);
	msgpack_pack_int(&pk, 1);
	msgpack_pack_uint64(&pk, msgid);
	pack_error(&pk, code, message, field);
	msgpack_pack_nil(&pk);
	conn_write(c, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	__atomic_add_fetch(&c->srv->stats.errors, 1, __ATOMIC_RELAXED);
}

void conn_notify(conn *c, const char *method, const void *params, size_t plen)
{
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 3);
	msgpack_pack_int(&pk, 2);
	mp_pack_str(&pk, method);
	msgpack_pack_array(&pk, 1);
	msgpack_sbuffer_write(&sb, (const char *)params, plen);
	conn_write(c, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
}

void conn_notify_error(conn *c, int code, const char *message)
{
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	pack_error(&pk, code, message, NULL);
	conn_notify(c, "error", sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
}

/* The connection's buffer back to 64 KiB (c->len fits). */
static void conn_buf_shrink(conn *c)
{
	c->srv->buffered -= c->cap - 65536;
	c->cap = 65536;
	c->buf = xrealloc(c->buf, c->cap);
}

#define LINGER_SECONDS 3.0
#define LINGER_MAX 64

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf);

static void on_linger_shutdown(uv_shutdown_t *req, int status)
{
	conn *c = req->data;
	(void)status;
	free(req);
	if (c->eof)
		srv_conn_close(c); /* nothing more comes in: done */
}

static void conn_linger(conn *c);

void conn_fail(conn *c, int code, const char *message)
{
	if (c->closing || c->lingering)
		return;
	conn_notify_error(c, code, message);
	__atomic_add_fetch(&c->srv->stats.bad_streams, 1, __ATOMIC_RELAXED);
	log_info("connection %llu: %s: %s; closing", (unsigned long long)c->id, rs_err_name(code),
		 message);
	conn_linger(c);
}

/* After an error notification: shut down the sending side and drop what
 * the client still sends for up to LINGER_SECONDS, then close. */
static void conn_linger(conn *c)
{
	/* closing now, with the client's bytes unread, would reset the
	 * connection and could destroy the error before the client reads it
	 * (past LINGER_MAX such connections at once, they close at once) */
	if (c->srv->n_lingering >= LINGER_MAX) {
		srv_conn_close(c);
		return;
	}
	c->srv->n_lingering++;
	c->lingering = true;
	c->linger_until = srv_mono() + LINGER_SECONDS;
	c->len = 0;
	c->msg_started = 0;
	if (c->cap > 65536)
		conn_buf_shrink(c);
	uv_shutdown_t *req = xmalloc(sizeof *req);
	req->data = c;
	if (uv_shutdown(req, &c->u.s, on_linger_shutdown) != 0) {
		free(req);
		srv_conn_close(c);
		return;
	}
	if (!c->eof && (c->paused || !uv_is_active(&c->u.h))) {
		c->paused = false;
		uv_read_start(&c->u.s, on_alloc, on_read);
	}
}

/* Connection buffers grow to the message being received; over all
 * connections they stay under max_buffered_mb (a read that would pass it
 * gets no buffer, and on_read refuses the connection with E_BUSY). The
 * first 64 KiB of every connection are always granted, so small requests
 * are served while large ones wait. */
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	conn *c = h->data;
	size_t want = suggested < 65536 ? 65536 : suggested;
	if (c->cap - c->len < want) {
		size_t cap = c->cap ? c->cap : 65536;
		while (cap - c->len < want)
			cap *= 2;
		size_t limit = (size_t)c->srv->cfg.max_buffered_mb << 20;
		if (cap > 65536 && c->srv->buffered - c->cap + cap > limit) {
			*buf = uv_buf_init(NULL, 0);
			return;
		}
		c->buf = xrealloc(c->buf, cap);
		c->srv->buffered += cap - c->cap;
		c->cap = cap;
	}
	*buf = uv_buf_init((char *)c->buf + c->len, (unsigned)(c->cap - c->len));
}

static void maybe_pause(conn *c)
{
	if (!c->paused && c->pending >= c->srv->cfg.max_pending_per_conn) {
		uv_read_stop(&c->u.s);
		c->paused = true;
	}
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf);
static void drain(conn *c);

void conn_call_done(conn *c)
{
	if (c->pending > 0)
		c->pending--;
	if (c->paused && !c->closing && !c->lingering &&
	    c->pending < c->srv->cfg.max_pending_per_conn) {
		c->paused = false;
		drain(c); /* messages that arrived while paused */
		if (!c->closing && !c->paused && !c->eof)
			uv_read_start(&c->u.s, on_alloc, on_read);
	}
	conn_maybe_finish(c);
}

/* Hand every complete message in the buffer to the dispatcher. */
static void drain(conn *c)
{
	size_t off = 0;
	while (!c->closing && off < c->len) {
		size_t obj_len = 0;
		int rc = wire_scanner_feed(&c->scan, c->buf + off, c->len - off, &obj_len);
		if (rc == RS_EAGAIN)
			break;
		if (rc) {
			char msg[300];
			if (rc == RS_ETOOLARGE && !c->authed)
				snprintf(msg, sizeof msg,
					 "%s (before server.auth a TCP message may be at most %zu bytes)",
					 wire_scanner_error(&c->scan), UNAUTH_MAX_MESSAGE);
			else
				snprintf(msg, sizeof msg, "%s", wire_scanner_error(&c->scan));
			conn_fail(c, rc, msg);
			return;
		}
		__atomic_add_fetch(&c->srv->stats.requests, 1, __ATOMIC_RELAXED);
		rpc_dispatch(c, c->buf + off, obj_len);
		if (c->closing || c->lingering)
			return; /* failed inline (a wrong token, say): the buffer is gone */
		wire_scanner_reset(&c->scan);
		off += obj_len;
		maybe_pause(c);
		if (c->paused)
			break;
	}
	if (off && !c->closing) {
		memmove(c->buf, c->buf + off, c->len - off);
		c->len -= off;
		c->msg_started = 0;
	}
	if (!c->closing && c->len && !c->msg_started)
		c->msg_started = srv_mono();
	/* give memory back after a large message */
	if (!c->closing && c->cap > ((size_t)1 << 20) && c->len < 65536)
		conn_buf_shrink(c);
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
	conn *c = st->data;
	(void)buf;
	if (c->lingering) {
		if (n < 0) { /* the client closed (or reset): done */
			c->eof = true;
			srv_conn_close(c);
		}
		return; /* what it sent after the error is dropped */
	}
	if (n == UV_ENOBUFS) {
		conn_fail(c, RS_EBUSY, "the server holds too many unfinished messages; retry later");
		return;
	}
	if (n == UV_EOF && !c->closing) {
		/* half-closed: answer what was asked, then close */
		c->eof = true;
		uv_read_stop(&c->u.s);
		conn_maybe_finish(c);
		return;
	}
	if (n < 0) {
		srv_conn_close(c);
		return;
	}
	c->len += (size_t)n;
	drain(c);
	if (!c->closing && !c->lingering)
		maybe_pause(c);
}

static void on_connection(uv_stream_t *server, int status)
{
	srv *s = server->data;
	if (status < 0 || s->stopping)
		return;
	conn *c = xcalloc(1, sizeof *c);
	c->srv = s;
	c->is_tcp = server->type == UV_TCP;
	if (c->is_tcp)
		uv_tcp_init(s->loop, &c->u.tcp);
	else
		uv_pipe_init(s->loop, &c->u.pipe, 0);
	c->u.h.data = c;
	if (uv_accept(server, &c->u.s) != 0) {
		uv_close(&c->u.h, on_closed);
		return;
	}
	c->id = ++s->next_conn_id;
	/* lingering connections (refused or failed, closing within
	 * LINGER_SECONDS) hold no place */
	if (s->n_conns - s->n_lingering >= s->cfg.max_connections) {
		c->next = s->conns, s->conns = c;
		__atomic_add_fetch(&s->n_conns, 1, __ATOMIC_RELAXED);
		/* the error, then the linger of any stream error (a client that
		 * writes first would otherwise get a reset instead of the error);
		 * past LINGER_MAX lingering connections it closes at once, so a
		 * flood of connections does not hold fds */
		conn_notify_error(c, RS_EBUSY, "too many connections (max_connections)");
		conn_linger(c);
		return;
	}
	c->authed = !c->is_tcp; /* Unix clients are trusted by file permissions */
	c->opened = srv_mono();
	/* before server.auth a TCP client may send small messages only */
	wire_limits small = s->wlim;
	if (!c->authed && small.max_message > UNAUTH_MAX_MESSAGE)
		small.max_message = UNAUTH_MAX_MESSAGE;
	wire_scanner_init(&c->scan, &small);
	c->next = s->conns;
	s->conns = c;
	__atomic_add_fetch(&s->n_conns, 1, __ATOMIC_RELAXED);
	log_debug("connection %llu (%s)", (unsigned long long)c->id, c->is_tcp ? "tcp" : "unix");
	uv_read_start(&c->u.s, on_alloc, on_read);
}

static int add_listener(srv *s, uv_handle_t *h)
{
	if (s->n_listeners == (int)(sizeof s->listeners / sizeof s->listeners[0])) {
		log_err("more than %d listening sockets; ignoring the rest", s->n_listeners);
		return UV_EMFILE;
	}
	h->data = s;
	int rc = uv_listen((uv_stream_t *)h, 128, on_connection);
	if (rc)
		return rc;
	s->listeners[s->n_listeners++] = h;
	return 0;
}

/* Whether a process accepts connections on the Unix socket at path. */
static bool socket_live(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof a.sun_path)
		return false;
	memcpy(a.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	bool live = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	close(fd);
	return live;
}

static int listen_unix(srv *s, const char *path)
{
	struct stat sb;
	if (lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode)) {
			log_err("socket %s exists and is not a socket", path);
			return -EEXIST;
		}
		if (socket_live(path)) {
			log_err("socket %s: another server listens on it", path);
			return -EADDRINUSE;
		}
		unlink(path); /* a stale socket from an earlier run */
	}
	uv_pipe_t *p = xcalloc(1, sizeof *p);
	uv_pipe_init(s->loop, p, 0);
	mode_t old = umask(0177);
	int rc = uv_pipe_bind(p, path);
	umask(old);
	if (rc) {
		log_err("socket %s: %s", path, uv_strerror(rc));
		uv_close((uv_handle_t *)p, (uv_close_cb)free);
		return rc;
	}
	chmod(path, (mode_t)s->cfg.socket_mode);
	s->unix_owned = lstat(path, &sb) == 0;
	s->unix_ino = sb.st_ino, s->unix_dev = sb.st_dev;
	if ((rc = add_listener(s, (uv_handle_t *)p)))
		log_err("listen %s: %s", path, uv_strerror(rc));
	else
		log_info("listening on %s", path);
	return rc;
}

static int listen_tcp(srv *s, const char *spec)
{
	char host[256];
	const char *colon = strrchr(spec, ':');
	if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof host) {
		log_err("tcp_listen '%s': expected HOST:PORT", spec);
		return -EINVAL;
	}
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	int port = atoi(colon + 1);
	struct sockaddr_storage ss;
	char *h = host;
	if (h[0] == '[') {
		h++;
		h[strlen(h) - 1] = '\0';
	}
	if (uv_ip4_addr(h, port, (struct sockaddr_in *)&ss) &&
	    uv_ip6_addr(h, port, (struct sockaddr_in6 *)&ss)) {
		log_err("tcp_listen '%s': not an IP address", spec);
		return -EINVAL;
	}
	if (s->cfg.n_tokens == 0)
		log_warn("tcp_listen without tokens: every TCP client will be refused");
	uv_tcp_t *t = xcalloc(1, sizeof *t);
	uv_tcp_init(s->loop, t);
	int rc = uv_tcp_bind(t, (struct sockaddr *)&ss, 0);
	if (!rc)
		rc = add_listener(s, (uv_handle_t *)t);
	if (rc) {
		log_err("tcp_listen %s: %s", spec, uv_strerror(rc));
		uv_close((uv_handle_t *)t, (uv_close_cb)free);
		return rc;
	}
	log_info("listening on tcp %s", spec);
	return 0;
}

static int listen_systemd(srv *s, int n)
{
	for (int fd = 3; fd < 3 + n; fd++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof ss;
		if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
			continue;
		int rc;
		if (ss.ss_family == AF_UNIX) {
			uv_pipe_t *p = xcalloc(1, sizeof *p);
			uv_pipe_init(s->loop, p, 0);
			rc = uv_pipe_open(p, fd);
			if (!rc)
				rc = add_listener(s, (uv_handle_t *)p);
		} else {
			uv_tcp_t *t = xcalloc(1, sizeof *t);
			uv_tcp_init(s->loop, t);
			rc = uv_tcp_open(t, fd);
			if (!rc)
				rc = add_listener(s, (uv_handle_t *)t);
		}
		if (rc) {
			log_err("socket from systemd (fd %d): %s", fd, uv_strerror(rc));
			return rc;
		}
		log_info("listening on socket fd %d from systemd", fd);
	}
	return 0;
}

int srv_listen(srv *s)
{
	int n = sd_listen_fds();
	if (n > 0) {
		/* systemd's sockets are the listeners: a TCP port is a
		 * ListenStream= line of the socket unit (docs/protocol.md) */
		if (s->cfg.tcp_listen && *s->cfg.tcp_listen)
			log_warn("tcp_listen '%s' is ignored under socket activation; add "
				 "ListenStream=%s to roosterd.socket instead",
				 s->cfg.tcp_listen, s->cfg.tcp_listen);
		return listen_systemd(s, n);
	}
	int rc = listen_unix(s, s->cfg.socket);
	if (!rc && s->cfg.tcp_listen && *s->cfg.tcp_listen)
		rc = listen_tcp(s, s->cfg.tcp_listen);
	return rc;
}

void srv_close_listeners(srv *s)
{
	for (int i = 0; i < s->n_listeners; i++)
		uv_close(s->listeners[i], (uv_close_cb)free);
	s->n_listeners = 0;
	struct stat sb;
	/* only our own: a server started after us may have bound the path */
	if (s->unix_owned && lstat(s->cfg.socket, &sb) == 0 && sb.st_ino == s->unix_ino &&
	    sb.st_dev == s->unix_dev) {
		unlink(s->cfg.socket);
		s->unix_owned = false;
	}
}

void srv_expire(srv *s, double now)
{
	conn *next;
	for (conn *c = s->conns; c; c = next) {
		next = c->next;
		if (c->lingering) {
			if (now > c->linger_until)
				srv_conn_close(c);
			continue;
		}
		if (!c->authed && !c->closing && now - c->opened > s->cfg.auth_timeout) {
			/* a TCP peer that never authenticates would hold one of
			 * max_connections (shared with the Unix clients) */
			char msg[128];
			snprintf(msg, sizeof msg, "no server.auth within %.0f s (auth_timeout)",
				 s->cfg.auth_timeout);
			conn_fail(c, RS_ETIMEOUT, msg);
			continue;
		}
		if (c->msg_started && !c->paused && now - c->msg_started > s->cfg.message_timeout) {
			char msg[128];
			snprintf(msg, sizeof msg, "a message took longer than %.0f s (message_timeout)",
				 s->cfg.message_timeout);
			conn_fail(c, RS_ETIMEOUT, msg);
		}
	}
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	conn *c = req->data;
	(void)status;
	free(req);
	srv_conn_close(c); /* a no-op when the connection is closing already */
}

/* Close every connection once what was written to it has gone out. */
void srv_close_all(srv *s)
{
	conn *next;
	for (conn *c = s->conns; c; c = next) {
		next = c->next;
		if (c->closing)
			continue;
		uv_read_stop(&c->u.s);
		uv_shutdown_t *req = xmalloc(sizeof *req);
		req->data = c;
		if (uv_shutdown(req, &c->u.s, on_shutdown) != 0) {
			free(req);
			srv_conn_close(c);
		}
	}
}

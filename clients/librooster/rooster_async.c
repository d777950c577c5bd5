/* rooster_async.c: asynchronous msgpack-rpc calls to roosterd on a libuv loop. */
#include "rooster_async.h"

#include "mp.h"
#include "rs_error.h"
#include "xalloc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pending {
	uint32_t id;
	rooster_result_cb cb;
	void *ud;
	struct pending *next;
} pending;

struct rooster_async {
	uv_pipe_t pipe;
	uv_connect_t conn;
	rooster_open_cb open_cb;
	void *open_ud;
	rooster_notify_cb notify;
	void *notify_ud;
	msgpack_unpacker up;
	pending *calls;
	uint32_t next_id;
	bool closing;
	bool broken; /* the server closed, or a write failed: calls fail at once */
};

typedef struct wreq {
	uv_write_t req;
	uv_buf_t buf;
} wreq;

static void fill_err(rooster_error *e, int code, const char *msg)
{
	memset(e, 0, sizeof *e);
	e->code = code;
	snprintf(e->name, sizeof e->name, "%s", rs_err_name(code));
	snprintf(e->message, sizeof e->message, "%s", msg);
}

static void fail_all(rooster_async *a, int code, const char *msg)
{
	rooster_error e;
	fill_err(&e, code, msg);
	while (a->calls) {
		pending *p = a->calls;
		a->calls = p->next;
		p->cb(a, code, NULL, &e, p->ud);
		free(p);
	}
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	rooster_async *a = h->data;
	(void)suggested;
	msgpack_unpacker_reserve_buffer(&a->up, 1 << 16);
	*buf = uv_buf_init(msgpack_unpacker_buffer(&a->up),
			   (unsigned)msgpack_unpacker_buffer_capacity(&a->up));
}

static void deliver(rooster_async *a, const msgpack_object *o)
{
	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size < 3)
		return;
	const msgpack_object *v = o->via.array.ptr;
	if (v[0].via.u64 == 2) {
		const char *p;
		size_t n;
		char name[64] = "";
		if (mp_str(&v[1], &p, &n))
			snprintf(name, sizeof name, "%.*s", (int)n, p);
		const msgpack_object *np =
			v[2].type == MSGPACK_OBJECT_ARRAY && v[2].via.array.size ? &v[2].via.array.ptr[0]
										 : &v[2];
		if (a->notify)
			a->notify(a->notify_ud, name, np);
		return;
	}
	if (v[0].via.u64 != 1 || o->via.array.size != 4)
		return;
	for (pending **pp = &a->calls; *pp; pp = &(*pp)->next) {
		pending *p = *pp;
		if (p->id != v[1].via.u64)
			continue;
		*pp = p->next;
		if (v[2].type == MSGPACK_OBJECT_NIL) {
			p->cb(a, 0, &v[3], NULL, p->ud);
		} else {
			rooster_error e;
			rooster_error_from(&v[2], &e);
			p->cb(a, e.code, NULL, &e, p->ud);
		}
		free(p);
		return;
	}
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	rooster_async *a = s->data;
	(void)buf;
	if (n < 0) {
		a->broken = true;
		uv_read_stop(s);
		fail_all(a, RS_EIO, "the server closed the connection");
		return;
	}
	msgpack_unpacker_buffer_consumed(&a->up, (size_t)n);
	msgpack_unpacked u;
	msgpack_unpacked_init(&u);
	msgpack_unpack_return r;
	while ((r = msgpack_unpacker_next(&a->up, &u)) == MSGPACK_UNPACK_SUCCESS)
		deliver(a, &u.data);
	msgpack_unpacked_destroy(&u);
	if (r == MSGPACK_UNPACK_PARSE_ERROR) {
		fail_all(a, RS_EMALFORMED, "the server sent bytes that are not msgpack");
		uv_read_stop(s);
	}
}

static void on_connect(uv_connect_t *req, int status)
{
	rooster_async *a = req->data;
	if (status == 0)
		uv_read_start((uv_stream_t *)&a->pipe, on_alloc, on_read);
	if (a->open_cb)
		a->open_cb(a, status ? RS_EIO : 0, a->open_ud);
}

int rooster_async_open(uv_loop_t *loop, const char *path, rooster_open_cb cb, void *ud,
		       rooster_async **out)
{
	/* a write to a server that went away raises SIGPIPE, whose default
	 * ends the process; the error comes back as EPIPE instead (a program
	 * that set its own handler keeps it) */
	struct sigaction sa;
	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
		signal(SIGPIPE, SIG_IGN);
	rooster_async *a = xcalloc(1, sizeof *a);
	if (!msgpack_unpacker_init(&a->up, 1 << 16))
		abort();
	a->open_cb = cb;
	a->open_ud = ud;
	uv_pipe_init(loop, &a->pipe, 0);
	a->pipe.data = a;
	a->conn.data = a;
	uv_pipe_connect(&a->conn, &a->pipe, path, on_connect);
	*out = a;
	return 0;
}

void rooster_async_on_notify(rooster_async *a, rooster_notify_cb cb, void *ud)
{
	a->notify = cb;
	a->notify_ud = ud;
}

static void on_written(uv_write_t *req, int status)
{
	wreq *w = (wreq *)req;
	rooster_async *a = w->req.handle->data;
	free(w->buf.base);
	free(w);
	if (status < 0 && status != UV_ECANCELED && !a->broken) {
		/* the request never reached the server (it went away): nothing
		 * will answer the calls waiting on this connection */
		char msg[128];
		snprintf(msg, sizeof msg, "could not send to the server: %s", uv_strerror(status));
		a->broken = true;
		uv_read_stop((uv_stream_t *)&a->pipe);
		fail_all(a, RS_EIO, msg);
	}
}

int rooster_async_call(rooster_async *a, const char *method, const void *params, size_t plen,
		       rooster_result_cb cb, void *ud)
{
	if (a->closing)
		return RS_ESHUTDOWN;
	if (a->broken)
		return RS_EIO;
	pending *p = xcalloc(1, sizeof *p);
	p->id = ++a->next_id;
	p->cb = cb;
	p->ud = ud;
	p->next = a->calls;
	a->calls = p;
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 4);
	msgpack_pack_int(&pk, 0);
	msgpack_pack_uint32(&pk, p->id);
	mp_pack_str(&pk, method);
	msgpack_pack_array(&pk, 1);
	if (params)
		msgpack_sbuffer_write(&sb, params, plen);
	else
		msgpack_pack_map(&pk, 0);
	wreq *w = xmalloc(sizeof *w);
	w->buf = uv_buf_init(sb.data, (unsigned)sb.size); /* ownership moves to the write */
	int rc = uv_write(&w->req, (uv_stream_t *)&a->pipe, &w->buf, 1, on_written);
	if (rc) {
		free(w->buf.base);
		free(w);
		a->calls = p->next; /* p is the head: no callback for a call that never left */
		free(p);
		return RS_EIO;
	}
	return 0;
}

static void on_closed(uv_handle_t *h)
{
	rooster_async *a = h->data;
	msgpack_unpacker_destroy(&a->up);
	free(a);
}

void rooster_async_close(rooster_async *a)
{
	if (a->closing)
		return;
	a->closing = true;
	fail_all(a, RS_ESHUTDOWN, "the client closed the connection");
	uv_close((uv_handle_t *)&a->pipe, on_closed);
}

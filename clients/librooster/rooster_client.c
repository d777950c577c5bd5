/* rooster_client.c: librooster's blocking msgpack-rpc client. */
#include "rooster_client.h"

#include "mp.h"
#include "rs_error.h"
#include "xalloc.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define CLIENT_MAX_MESSAGE ((size_t)1 << 30)

struct rooster_client {
	int fd;
	uint32_t next_id;
	msgpack_unpacker up;
	msgpack_unpacked msg; /* the last response; owns the result */
	rooster_notify_cb notify;
	void *notify_ud;
	rooster_interrupt_cb interrupt;
	void *interrupt_ud;
};

static int seterr(rooster_error *e, int code, const char *fmt, ...)
{
	if (!e)
		return code;
	memset(e, 0, sizeof *e);
	e->code = code;
	snprintf(e->name, sizeof e->name, "%s", rs_err_name(code));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
	return code;
}

static rooster_client *client_new(int fd)
{
	rooster_client *c = xcalloc(1, sizeof *c);
	c->fd = fd;
	if (!msgpack_unpacker_init(&c->up, 1 << 16))
		abort();
	msgpack_unpacked_init(&c->msg);
	return c;
}

int rooster_connect_unix(const char *path, rooster_client **out, rooster_error *err)
{
	*out = NULL;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sa.sun_path)
		return seterr(err, RS_EIO, "socket path too long: %s", path);
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return seterr(err, RS_EIO, "socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		int e = errno;
		close(fd);
		return seterr(err, RS_EIO, "cannot connect to %s: %s", path, strerror(e));
	}
	*out = client_new(fd);
	return 0;
}

int rooster_connect_tcp(const char *host, int port, const char *token, rooster_client **out,
			rooster_error *err)
{
	*out = NULL;
	char ps[16];
	snprintf(ps, sizeof ps, "%d", port);
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
	int g = getaddrinfo(host, ps, &hints, &ai);
	if (g)
		return seterr(err, RS_EIO, "%s: %s", host, gai_strerror(g));
	int fd = -1, e = 0;
	for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
			e = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(ai);
	if (fd < 0)
		return seterr(err, RS_EIO, "cannot connect to %s:%d: %s", host, port, strerror(e));
	rooster_client *c = client_new(fd);
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 1);
	mp_pack_kv_str(&pk, "token", token ? token : "");
	msgpack_object res;
	int rc = rooster_call(c, "server.auth", sb.data, sb.size, &res, err);
	msgpack_sbuffer_destroy(&sb);
	if (rc) {
		rooster_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

void rooster_close(rooster_client *c)
{
	if (!c)
		return;
	close(c->fd);
	msgpack_unpacked_destroy(&c->msg);
	msgpack_unpacker_destroy(&c->up);
	free(c);
}

void rooster_on_notify(rooster_client *c, rooster_notify_cb cb, void *ud)
{
	c->notify = cb;
	c->notify_ud = ud;
}

void rooster_on_interrupt(rooster_client *c, rooster_interrupt_cb cb, void *ud)
{
	c->interrupt = cb;
	c->interrupt_ud = ud;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return RS_EIO;
		p += w, n -= (size_t)w;
	}
	return 0;
}

void rooster_error_from(const msgpack_object *e, rooster_error *err)
{
	int64_t code = RS_EINTERNAL;
	mp_ctx c;
	mp_init(&c);
	mp_field_int(&c, e, "code", false, INT32_MIN, INT32_MAX, &code);
	seterr(err, (int)code, "%s", "");
	const char *p;
	size_t n;
	if (err) {
		if (mp_str(mp_get(e, "name"), &p, &n))
			snprintf(err->name, sizeof err->name, "%.*s", (int)n, p);
		if (mp_str(mp_get(e, "message"), &p, &n))
			snprintf(err->message, sizeof err->message, "%.*s", (int)n, p);
		if (mp_str(mp_get(mp_get(e, "data"), "field"), &p, &n))
			snprintf(err->field, sizeof err->field, "%.*s", (int)n, p);
	}
}

int rooster_call(rooster_client *c, const char *method, const void *params, size_t plen,
		 msgpack_object *result, rooster_error *err)
{
	uint32_t id = ++c->next_id;
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 4);
	msgpack_pack_int(&pk, 0);
	msgpack_pack_uint32(&pk, id);
	mp_pack_str(&pk, method);
	msgpack_pack_array(&pk, 1);
	if (params)
		msgpack_sbuffer_write(&sb, params, plen);
	else
		msgpack_pack_map(&pk, 0);
	int rc = send_all(c->fd, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	if (rc)
		return seterr(err, RS_EIO, "connection lost while sending");
	for (;;) {
		msgpack_unpack_return ur;
		while ((ur = msgpack_unpacker_next(&c->up, &c->msg)) == MSGPACK_UNPACK_SUCCESS) {
			const msgpack_object *o = &c->msg.data;
			if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size < 3)
				continue;
			const msgpack_object *a = o->via.array.ptr;
			if (a[0].via.u64 == 2) {
				const char *p;
				size_t n;
				char name[64] = "";
				if (mp_str(&a[1], &p, &n))
					snprintf(name, sizeof name, "%.*s", (int)n, p);
				const msgpack_object *np = a[2].type == MSGPACK_OBJECT_ARRAY &&
								   a[2].via.array.size
							   ? &a[2].via.array.ptr[0]
							   : &a[2];
				if (strcmp(name, "error") == 0) {
					rooster_error_from(np, err);
					return err ? err->code : RS_EIO;
				}
				if (c->notify)
					c->notify(c->notify_ud, name, np);
				continue;
			}
			if (a[0].via.u64 != 1 || o->via.array.size != 4 || a[1].via.u64 != id)
				continue;
			if (a[2].type != MSGPACK_OBJECT_NIL) {
				rooster_error_from(&a[2], err);
				return err ? err->code : RS_EINTERNAL;
			}
			*result = a[3];
			return 0;
		}
		if (ur == MSGPACK_UNPACK_PARSE_ERROR)
			return seterr(err, RS_EMALFORMED, "the server sent bytes that are not msgpack");
		if (msgpack_unpacker_message_size(&c->up) > CLIENT_MAX_MESSAGE)
			return seterr(err, RS_ETOOLARGE, "response larger than 1 GiB");
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		int pr = poll(&pfd, 1, 200);
		if (pr < 0 && errno != EINTR)
			return seterr(err, RS_EIO, "poll: %s", strerror(errno));
		if (pr <= 0) {
			if (c->interrupt && c->interrupt(c->interrupt_ud))
				return seterr(err, RS_ECANCELLED, "interrupted");
			continue;
		}
		if (!msgpack_unpacker_reserve_buffer(&c->up, 1 << 16))
			return seterr(err, RS_ENOMEM, "out of memory");
		ssize_t n = recv(c->fd, msgpack_unpacker_buffer(&c->up),
				 msgpack_unpacker_buffer_capacity(&c->up), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return seterr(err, RS_EIO, "the server closed the connection");
		msgpack_unpacker_buffer_consumed(&c->up, (size_t)n);
	}
}

int rooster_get_str(const msgpack_object *map, const char *key, char *buf, size_t n)
{
	const char *p;
	size_t len;
	if (!mp_str(mp_get(map, key), &p, &len))
		return RS_ENOTFOUND;
	snprintf(buf, n, "%.*s", (int)len, p);
	return 0;
}

int rooster_job(rooster_client *c, const char *method, const char *job, const char *tenant,
		bool wait, msgpack_object *result, rooster_error *err)
{
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, (size_t)(1 + (tenant ? 1 : 0) + (wait ? 1 : 0)));
	mp_pack_kv_str(&pk, "job", job);
	if (tenant)
		mp_pack_kv_str(&pk, "tenant", tenant);
	if (wait)
		mp_pack_kv_bool(&pk, "wait", true);
	int rc = rooster_call(c, method, sb.data, sb.size, result, err);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

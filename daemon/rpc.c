/* rpc.c: msgpack-rpc message routing: requests to the method table, errors back. */
#include "rpc.h"

#include "log.h"
#include "mp.h"
#include "rs_error.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INLINE_UNPACK_MAX 65536 /* larger messages are unpacked on the pool */

/* The fields each method reads (docs/protocol.md); a misspelt one is an
 * error rather than a default taken in silence ("wiat": true). */
static const char *const k_tenant[] = {"tenant", NULL};
static const char *const k_auth[] = {"token", NULL};
static const char *const k_job[] = {"job", "tenant", NULL};
static const char *const k_result[] = {"job", "wait", "tenant", NULL};
static const char *const k_list[] = {"state", "limit", "tenant", NULL};
static const char *const k_plan[] = {"plan", "version", "tenant", NULL};
static const char *const k_history[] = {"plan", "tenant", NULL};
static const char *const k_diff[] = {"plan", "from", "to", "tenant", NULL};
static const char *const k_erase_tenant[] = {"confirm", "tenant", NULL};
static const char *const k_erase_learner[] = {"learner", "tenant", NULL};

static const rpc_method methods[] = {
	{"server.hello", m_server_hello, NULL, NULL, false, k_tenant},
	{"server.stats", NULL, m_server_stats, NULL, false, k_tenant},
	{"server.auth", m_server_auth, NULL, NULL, true, k_auth},
	{"timetable.solve", NULL, m_solve_pool, m_solve_after, false, NULL},
	{"job.status", NULL, m_job_status_pool, NULL, false, k_job},
	{"job.request", NULL, m_job_request_pool, NULL, false, k_job},
	{"job.result", NULL, m_job_result_pool, m_job_result_after, false, k_result},
	{"job.cancel", NULL, m_job_cancel_pool, NULL, false, k_job},
	{"job.list", NULL, m_job_list_pool, NULL, false, k_list},
	{"job.watch", NULL, m_job_watch_pool, m_job_watch_after, false, k_job},
	{"plan.get", NULL, m_plan_get_pool, NULL, false, k_plan},
	{"plan.history", NULL, m_plan_history_pool, NULL, false, k_history},
	{"plan.diff", NULL, m_plan_diff_pool, NULL, false, k_diff},
	{"tenant.erase", NULL, m_tenant_erase_pool, NULL, false, k_erase_tenant},
	{"learner.erase", NULL, m_learner_erase_pool, NULL, false, k_erase_learner},
	{"placement.match", NULL, m_solve_pool, m_solve_after, false, NULL},
	/* a re-plan is timetable.solve with `replan` (m_solve.c) */
};

const rpc_method *rpc_methods(int *n)
{
	*n = (int)(sizeof methods / sizeof methods[0]);
	return methods;
}

int call_fail(call *c, int code, const char *fmt, ...)
{
	if (c->rc || c->mp.rc)
		return c->rc ? c->rc : c->mp.rc;
	c->rc = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->mp.err, sizeof c->mp.err, fmt, ap);
	va_end(ap);
	mp_text_clean(c->mp.err);
	return code;
}

static bool tenant_ok(const char *t, size_t n)
{
	if (n == 0 || n > TENANT_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = t[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || ch == '-' || ch == '.'))
			return false;
	}
	return true;
}

int call_tenant(call *c, conn *cn)
{
	const msgpack_object *t = c->params ? mp_get(c->params, "tenant") : NULL;
	const char *p = NULL;
	size_t n = 0;
	if (t && t->type != MSGPACK_OBJECT_NIL && !mp_str(t, &p, &n)) {
		mp_push_key(&c->mp, "tenant");
		return mp_fail(&c->mp, RS_EBADREQ, "expected a string");
	}
	if (p && !tenant_ok(p, n)) {
		mp_push_key(&c->mp, "tenant");
		return mp_fail(&c->mp, RS_EBADREQ,
			       "tenant must be 1..%d characters of A-Z a-z 0-9 _ . -", TENANT_MAX);
	}
	c->tenant_named = p != NULL;
	if (cn->is_tcp) {
		if (p && (strlen(cn->tenant) != n || memcmp(cn->tenant, p, n) != 0))
			return call_fail(c, RS_EFORBIDDEN,
					 "this token belongs to tenant '%s', not '%.*s'", cn->tenant,
					 (int)n, p);
		snprintf(c->tenant, sizeof c->tenant, "%s", cn->tenant);
		c->admin = false;
	} else {
		snprintf(c->tenant, sizeof c->tenant, "%.*s", p ? (int)n : 7, p ? p : "default");
		c->admin = true;
	}
	return 0;
}

const char *call_scope(const call *c)
{
	return c->admin ? NULL : c->tenant;
}

const char *call_write_scope(const call *c)
{
	return c->admin && !c->tenant_named ? NULL : c->tenant;
}

int call_id_param(call *c, const char *key, char *buf, size_t n)
{
	char *id = NULL;
	int rc = mp_field_str(&c->mp, c->params, key, true, STORE_ID_LEN - 1, &id);
	if (!rc)
		snprintf(buf, n, "%s", id);
	free(id);
	return rc;
}

static void call_free(call *c)
{
	if (c->zone)
		msgpack_zone_free(c->zone);
	msgpack_sbuffer_destroy(&c->result);
	free(c->bytes);
	free(c->blob);
	free(c->params_buf);
	free(c);
}

/* Send the outcome of a call (if the client is still there) and free it. */
static void call_finish(call *c, conn *cn)
{
	if (!c->rc && c->mp.rc)
		c->rc = c->mp.rc;
	if (cn) {
		if (c->rc)
			conn_respond_error(cn, c->msgid, c->rc, c->mp.err, c->mp.field);
		else if (c->has_result)
			conn_respond(cn, c->msgid, c->result.data, c->result.size);
		conn_call_done(cn);
	}
	call_free(c);
}

static void on_pool(uv_work_t *w)
{
	call *c = w->data;
	c->m->pool_fn(c);
	if (!c->rc && c->mp.rc)
		c->rc = c->mp.rc; /* a field error recorded by the mp getters */
}

static void after_pool(uv_work_t *w, int status)
{
	call *c = w->data;
	conn *cn = srv_conn_find(c->s, c->conn_id);
	if (status == UV_ECANCELED)
		call_fail(c, RS_ESHUTDOWN, "server is shutting down");
	int again = c->again;
	if (c->m->after_fn)
		c->m->after_fn(c, cn);
	if (c->again > again && c->again <= 3 && !c->rc) {
		/* the job finished between the store read and now: read it again */
		msgpack_sbuffer_clear(&c->result);
		c->has_result = false;
		free(c->blob);
		c->blob = NULL;
		c->blob_len = 0;
		uv_queue_work(c->s->loop, &c->work, on_pool, after_pool);
		return;
	}
	call_finish(c, cn);
}

/* The message is unpacked: check its shape and run the method. */
static void route(call *c, conn *cn)
{
	const msgpack_object *o = &c->msg;
	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size < 3 ||
	    o->via.array.size > 4 || o->via.array.ptr[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER) {
		/* well-formed msgpack, not an rpc message: say so, keep the connection */
		conn_notify_error(cn, RS_EBADREQ,
				  "expected [0, msgid, method, params] or [2, method, params]");
		call_finish(c, NULL);
		conn_call_done(cn);
		return;
	}
	const msgpack_object *a = o->via.array.ptr;
	uint64_t type = a[0].via.u64;
	if (type == 2 && o->via.array.size == 3) {
		const char *p = "";
		size_t n = 0;
		mp_str(&a[1], &p, &n);
		log_info("connection %llu: ignoring notification '%.*s'",
			 (unsigned long long)cn->id, (int)(n > 64 ? 64 : n), p);
		call_finish(c, NULL);
		conn_call_done(cn);
		return;
	}
	if (type == 1) { /* a response from a client: we never ask, so ignore it */
		call_finish(c, NULL);
		conn_call_done(cn);
		return;
	}
	bool msgid_ok = a[1].type == MSGPACK_OBJECT_POSITIVE_INTEGER && a[1].via.u64 <= UINT32_MAX;
	if (type != 0 || o->via.array.size != 4 || !msgid_ok) {
		if (type != 0 || !msgid_ok) {
			/* no msgid to answer under (a response under 0 would be taken
			 * for the answer of a request sent as 0): a notification */
			conn_notify_error(cn, RS_EBADREQ,
					  "expected a request [0, msgid, method, params] with msgid "
					  "0..2^32-1");
			call_finish(c, NULL);
			conn_call_done(cn);
			return;
		}
		c->msgid = a[1].via.u64;
		call_fail(c, RS_EBADREQ, "params missing: expected [0, msgid, method, params]");
		call_finish(c, cn);
		return;
	}
	c->msgid = a[1].via.u64;
	const char *name;
	size_t nlen;
	if (!mp_str(&a[2], &name, &nlen)) {
		call_fail(c, RS_EBADREQ, "method: expected a string, got %s", mp_type_name(&a[2]));
		call_finish(c, cn);
		return;
	}
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strlen(methods[i].name) == nlen && memcmp(methods[i].name, name, nlen) == 0)
			c->m = &methods[i];
	if (!c->m) {
		call_fail(c, RS_ENOMETHOD, "unknown method '%.*s'", (int)(nlen > 64 ? 64 : nlen),
			  name);
		call_finish(c, cn);
		return;
	}
	if (cn->is_tcp && !cn->authed && !c->m->no_auth) {
		call_fail(c, RS_EAUTH, "authenticate first: server.auth {token}");
		call_finish(c, cn);
		return;
	}
	/* params: an array holding one map (an empty array means {}) */
	static const msgpack_object empty_map = {.type = MSGPACK_OBJECT_MAP};
	if (a[3].type != MSGPACK_OBJECT_ARRAY || a[3].via.array.size > 1 ||
	    (a[3].via.array.size == 1 && a[3].via.array.ptr[0].type != MSGPACK_OBJECT_MAP)) {
		call_fail(c, RS_EBADREQ, "params: expected an array holding one map, [{...}]");
		call_finish(c, cn);
		return;
	}
	c->params = a[3].via.array.size ? &a[3].via.array.ptr[0] : &empty_map;
	if (c->m->keys && mp_known_keys(&c->mp, c->params, c->m->keys, "docs/protocol.md")) {
		call_finish(c, cn);
		return;
	}
	if (c->m->inline_fn) {
		c->m->inline_fn(c, cn);
		bool refused = c->m->inline_fn == m_server_auth && c->rc;
		call_finish(c, cn);
		if (refused)
			conn_fail(cn, RS_EAUTH, "authentication failed");
		return;
	}
	if (call_tenant(c, cn)) {
		call_finish(c, cn);
		return;
	}
	c->work.data = c;
	uv_queue_work(c->s->loop, &c->work, on_pool, after_pool);
}

static void unpack_work(uv_work_t *w)
{
	call *c = w->data;
	c->zone = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	c->rc = wire_unpack(c->bytes, c->len, c->zone, &c->msg);
}

static void unpack_after(uv_work_t *w, int status)
{
	call *c = w->data;
	conn *cn = srv_conn_find(c->s, c->conn_id);
	if (!cn || status == UV_ECANCELED) {
		call_free(c);
		return;
	}
	if (c->rc) {
		conn_fail(cn, c->rc, "message could not be unpacked");
		call_free(c);
		return;
	}
	route(c, cn);
}

void rpc_dispatch(conn *cn, const uint8_t *bytes, size_t len)
{
	call *c = xcalloc(1, sizeof *c);
	c->s = cn->srv;
	c->conn_id = cn->id;
	c->bytes = xmalloc(len);
	c->len = len;
	memcpy(c->bytes, bytes, len);
	mp_init(&c->mp);
	msgpack_sbuffer_init(&c->result);
	msgpack_packer_init(&c->pk, &c->result, msgpack_sbuffer_write);
	cn->pending++;
	if (len > INLINE_UNPACK_MAX) {
		c->work.data = c;
		uv_queue_work(c->s->loop, &c->work, unpack_work, unpack_after);
		return;
	}
	c->zone = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	int rc = wire_unpack(c->bytes, c->len, c->zone, &c->msg);
	if (rc) {
		conn_fail(cn, rc, "message could not be unpacked");
		call_free(c);
		return;
	}
	route(c, cn);
}

void rpc_pack_job(msgpack_packer *pk, const store_job *j)
{
	msgpack_pack_map(pk, 15);
	mp_pack_kv_str(pk, "job", j->id);
	mp_pack_kv_str(pk, "tenant", j->tenant);
	mp_pack_kv_str(pk, "kind", j->kind);
	mp_pack_kv_str(pk, "state", j->state);
	mp_pack_kv_str(pk, "status", *j->status ? j->status : NULL);
	mp_pack_kv_str(pk, "plan", j->plan);
	mp_pack_kv_int(pk, "version", j->version);
	mp_pack_kv_num(pk, "created", j->created);
	/* what the job does not have yet (or never will) is nil, not 0 */
	const char *const keys[] = {"started", "finished", "objective", "bound", "gap"};
	const double vals[] = {j->started, j->finished, j->objective, j->bound, j->gap};
	const bool known[] = {j->started > 0, j->finished > 0, j->has_figures, j->has_figures,
			      j->has_figures};
	for (int k = 0; k < 5; k++) {
		mp_pack_str(pk, keys[k]);
		if (known[k])
			msgpack_pack_double(pk, vals[k]);
		else
			msgpack_pack_nil(pk);
	}
	mp_pack_kv_num(pk, "time_limit", j->time_limit);
	mp_pack_kv_str(pk, "error", *j->error ? j->error : NULL);
}

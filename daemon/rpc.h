/* rpc.h: the method table and the call context handlers receive.
 *
 * A method is either inline (runs on the loop: cheap, no store access) or
 * pooled (runs on the libuv pool with the store, then an optional `after`
 * step on the loop). Handlers pack their result map into call->result; an
 * error is call->rc with call->err/field. One m_<family>.c file per family. */
#ifndef RPC_H
#define RPC_H

#include "srv.h"

typedef struct call {
	uv_work_t work;
	srv *s;
	uint64_t conn_id;
	uint64_t msgid;
	const struct rpc_method *m;
	uint8_t *bytes; /* copy of the message; msg points into it */
	size_t len;
	msgpack_zone *zone;
	msgpack_object msg;
	const msgpack_object *params; /* the one map argument */
	char tenant[TENANT_MAX + 8];
	bool admin; /* Unix socket: may read any tenant's jobs and plans */
	bool tenant_named; /* the request named its tenant */
	int rc;
	mp_ctx mp;  /* error message and field path */
	msgpack_sbuffer result;
	msgpack_packer pk;
	bool has_result;
	/* method scratch */
	store_job job;
	bool existing, wait, finished;
	int again; /* after_fn asks for the pool step once more (a job finished meanwhile) */
	uint8_t *blob;
	size_t blob_len;
	uint8_t *params_buf; /* a re-plan's request, params point into it (m_solve.c) */
	const msgpack_object *sent; /* params as the caller sent them (m_solve.c) */
} call;

typedef struct rpc_method {
	const char *name;
	void (*inline_fn)(call *c, conn *cn);
	void (*pool_fn)(call *c);
	void (*after_fn)(call *c, conn *cn /* NULL when the client left */);
	bool no_auth; /* allowed before TCP authentication */
	/* the params' fields (NULL-terminated); NULL: the method checks them
	 * itself (timetable.solve: the request decoder) */
	const char *const *keys;
} rpc_method;

/* Fail the call: code + printf message; field path from c->mp when set. */
int call_fail(call *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Resolve the tenant of the call from params (Unix) or the connection (TCP). */
int call_tenant(call *c, conn *cn);
/* The tenant whose jobs and plans the call may read: NULL (any) for a Unix
 * client, its own for a TCP one. */
const char *call_scope(const call *c);
/* The tenant whose jobs a call may change (cancel): on TCP the token's; on
 * the Unix socket the tenant the request names, or any (NULL) when it names
 * none (an operator's `rooster job cancel`). */
const char *call_write_scope(const call *c);
/* A job or plan id field of the params (required, < STORE_ID_LEN) copied
 * into buf; 0 or the field's error. */
int call_id_param(call *c, const char *key, char *buf, size_t n);

/* m_server.c */
void m_server_hello(call *c, conn *cn);
void m_server_stats(call *c);
void m_server_auth(call *c, conn *cn);
/* m_solve.c */
void m_solve_pool(call *c);
void m_solve_after(call *c, conn *cn);
/* A plan reference at params' key: a plan id, or {plan, version} (0: the
 * latest); *id malloc'd. 0 or the field's error. */
int plan_ref_parse(call *c, const char *key, const msgpack_object *r, char **id,
		   int64_t *version);
/* The tenant's plan of that kind ("timetable", "placement") unpacked into
 * *ans (in z; *buf holds its bytes, the caller frees them); an error under
 * key when it is not stored or of another kind. */
int plan_ref_get(call *c, const char *key, const char *id, int version, const char *kind,
		 msgpack_zone *z, msgpack_object *ans, uint8_t **buf);
/* Packs "weights" with w's fields (w NULL or nil: none) and moved where w
 * has none or nil (a re-plan's default). */
void pack_weights_moved(msgpack_packer *pk, const msgpack_object *w, int64_t moved);
/* The version a stored answer says it is (else the one asked for, 0 for
 * the latest), and a re-plan's parent: plan id (copied to plan) and it. */
int plan_version_of(const msgpack_object *ans, int asked);
void plan_parent_set(store_parent *parent, const msgpack_object *ans, const char *id, int asked,
		     char *plan, size_t plan_len);
/* The call's params become sb's map (the request as it is stored). */
void call_set_params(call *c, msgpack_sbuffer *sb);
/* m_pm.c: placement.match with lessons_from: each participant's lessons
 * in that timetable plan added to the request. */
int lessons_request(call *c, const msgpack_object *lf);
/* m_pm.c: placement.match with replan: each participant's match in that
 * placement plan version as its current placement (docs/placement.md);
 * *parent and plan (plan_len bytes) say which version the new one follows. */
int rematch_request(call *c, const msgpack_object *r, store_parent *parent, char *plan,
		    size_t plan_len);
/* m_job.c */
void m_job_status_pool(call *c);
void m_job_request_pool(call *c);
void m_job_result_pool(call *c);
/* Fail a call on finished job c->job whose answer store_job_answer did not
 * give (arc): the store's error, or the job's own when it has no answer. */
void call_fail_unanswered(call *c, int arc);
void m_job_result_after(call *c, conn *cn);
void m_job_cancel_pool(call *c);
void m_job_list_pool(call *c);
void m_job_watch_pool(call *c);
void m_job_watch_after(call *c, conn *cn);
/* m_plan.c */
void m_plan_get_pool(call *c);
void m_plan_history_pool(call *c);
void m_plan_diff_pool(call *c);
/* m_erase.c */
void m_tenant_erase_pool(call *c);
void m_learner_erase_pool(call *c);

/* Pack a job row as a map. */
void rpc_pack_job(msgpack_packer *pk, const store_job *j);
const rpc_method *rpc_methods(int *n);

#endif

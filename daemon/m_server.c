/* m_server.c: server.hello, server.stats and server.auth. */
#include "rpc.h"

#include "log.h"
#include "mp.h"
#include "rs_error.h"

#include <glpk.h>
#include <string.h>

void m_server_hello(call *c, conn *cn)
{
	srv *s = c->s;
	msgpack_packer *pk = &c->pk;
	int n;
	const rpc_method *ms = rpc_methods(&n);
	msgpack_pack_map(pk, 7);
	mp_pack_kv_str(pk, "server", "roosterd");
	mp_pack_kv_str(pk, "version", ROOSTERD_VERSION);
	mp_pack_kv_int(pk, "protocol", PROTOCOL_VERSION);
	mp_pack_str(pk, "limits");
	msgpack_pack_map(pk, 18);
	mp_pack_kv_int(pk, "max_message", (int64_t)s->wlim.max_message);
	mp_pack_kv_int(pk, "max_depth", s->wlim.max_depth);
	mp_pack_kv_int(pk, "max_container", s->wlim.max_container);
	mp_pack_kv_int(pk, "max_string", s->wlim.max_str);
	mp_pack_kv_int(pk, "max_learners", s->tlim.max_learners);
	mp_pack_kv_int(pk, "max_rooms", s->tlim.max_rooms);
	mp_pack_kv_int(pk, "max_teachers", s->tlim.max_teachers);
	mp_pack_kv_num(pk, "max_time_limit", s->cfg.max_time_limit);
	mp_pack_kv_int(pk, "max_queue", s->cfg.max_queue);
	mp_pack_kv_int(pk, "max_childcare", s->tlim.max_childcare);
	mp_pack_kv_int(pk, "max_running_groups", s->tlim.max_running);
	mp_pack_kv_int(pk, "max_module_groups", s->tlim.max_running);
	mp_pack_kv_int(pk, "max_id", s->tlim.max_id);
	mp_pack_kv_int(pk, "max_buffered_mb", s->cfg.max_buffered_mb);
	mp_pack_kv_int(pk, "max_unsent_mb", s->cfg.max_unsent_mb);
	mp_pack_kv_num(pk, "message_timeout", s->cfg.message_timeout);
	mp_pack_kv_int(pk, "max_connections", s->cfg.max_connections);
	mp_pack_kv_num(pk, "auth_timeout", s->cfg.auth_timeout);
	mp_pack_str(pk, "solvers");
	msgpack_pack_map(pk, 1);
	mp_pack_kv_str(pk, "glpk", glp_version());
	mp_pack_str(pk, "methods");
	msgpack_pack_array(pk, (size_t)n);
	for (int i = 0; i < n; i++)
		mp_pack_str(pk, ms[i].name);
	mp_pack_kv_bool(pk, "authenticated", cn->authed);
	c->has_result = true;
}

/* On the pool: the store's counts join the in-memory ones. */
void m_server_stats(call *c)
{
	srv *s = c->s;
	msgpack_packer *pk = &c->pk;
	pthread_mutex_lock(&s->jlock);
	int queued = s->n_queued, running = s->n_running;
	srv_stats st = {0}; /* the solve counters change under jlock */
	st.solves = s->stats.solves;
	st.solve_failures = s->stats.solve_failures;
	st.solve_seconds_total = s->stats.solve_seconds_total;
	st.solve_seconds_max = s->stats.solve_seconds_max;
	pthread_mutex_unlock(&s->jlock);
	/* the loop's counters change atomically */
	st.requests = __atomic_load_n(&s->stats.requests, __ATOMIC_RELAXED);
	st.errors = __atomic_load_n(&s->stats.errors, __ATOMIC_RELAXED);
	int conns = __atomic_load_n(&s->n_conns, __ATOMIC_RELAXED);
	long counts[5] = {0};
	store_job_counts(s->st, counts);
	msgpack_pack_map(pk, 6);
	mp_pack_kv_int(pk, "connections", conns);
	mp_pack_str(pk, "jobs");
	msgpack_pack_map(pk, 5);
	mp_pack_kv_int(pk, "queued", queued);
	mp_pack_kv_int(pk, "running", running);
	mp_pack_kv_int(pk, "done", counts[2]);
	mp_pack_kv_int(pk, "failed", counts[3]);
	mp_pack_kv_int(pk, "cancelled", counts[4]);
	mp_pack_kv_int(pk, "requests", (int64_t)st.requests);
	mp_pack_kv_int(pk, "errors", (int64_t)st.errors);
	mp_pack_kv_int(pk, "solver_threads", s->n_workers);
	mp_pack_str(pk, "solves");
	msgpack_pack_map(pk, 4);
	mp_pack_kv_int(pk, "finished", (int64_t)st.solves);
	mp_pack_kv_int(pk, "failed", (int64_t)st.solve_failures);
	mp_pack_kv_num(pk, "seconds_mean",
		       st.solves ? st.solve_seconds_total / (double)st.solves : 0);
	mp_pack_kv_num(pk, "seconds_max", st.solve_seconds_max);
	c->has_result = true;
}

void m_server_auth(call *c, conn *cn)
{
	const msgpack_object *t = mp_get(c->params, "token");
	const char *p;
	size_t n;
	if (!mp_str(t, &p, &n)) {
		call_fail(c, RS_EAUTH, "token: required");
		return;
	}
	const char *tenant = config_token_tenant(&c->s->cfg, p, n);
	if (!tenant) {
		log_warn("connection %llu: authentication failed", (unsigned long long)cn->id);
		call_fail(c, RS_EAUTH, "unknown token");
		return;
	}
	cn->authed = true;
	snprintf(cn->tenant, sizeof cn->tenant, "%s", tenant);
	wire_scanner_init(&cn->scan, &c->s->wlim); /* full-size messages from now on */
	msgpack_pack_map(&c->pk, 1);
	mp_pack_kv_str(&c->pk, "tenant", tenant);
	c->has_result = true;
}

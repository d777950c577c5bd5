/* m_job.c: job.status, job.request, job.result, job.cancel, job.list and
 * job.watch. */
#include "rpc.h"

#include "log.h"
#include "mp.h"
#include "rs_error.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The params' job (of the tenant the call may read) into c->job; 0 or the
 * call's error. */
static int job_row(call *c, char *id, size_t n)
{
	if (call_id_param(c, "job", id, n))
		return -1;
	int rc = store_job_get(c->s->st, call_scope(c), id, &c->job);
	if (rc)
		call_fail(c, rc, "no job '%s' for this tenant", id);
	return rc;
}

void m_job_status_pool(call *c)
{
	char id[STORE_ID_LEN];
	if (job_row(c, id, sizeof id))
		return;
	rpc_pack_job(&c->pk, &c->job);
	c->has_result = true;
}

/* The request as the job stored it: what the daemon solved, with what a
 * re-plan or lessons_from added (an audit of a plan version, or the file
 * `rooster check` needs). */
void m_job_request_pool(call *c)
{
	char id[STORE_ID_LEN];
	if (job_row(c, id, sizeof id))
		return;
	int rc = store_job_request(c->s->st, id, (void **)&c->blob, &c->blob_len);
	if (rc) {
		call_fail(c, rc, "the request of job %s could not be read", id);
		return;
	}
	msgpack_sbuffer_write(&c->result, (const char *)c->blob, c->blob_len);
	c->has_result = true;
}

void m_job_result_pool(call *c)
{
	char id[STORE_ID_LEN];
	if (mp_field_bool(&c->mp, c->params, "wait", false, &c->wait) || job_row(c, id, sizeof id))
		return;
	if (!strcmp(c->job.state, "queued") || !strcmp(c->job.state, "running"))
		return; /* after: wait for it, or say it is not finished */
	c->finished = true;
	int arc = store_job_answer(c->s->st, NULL, id, (void **)&c->blob, &c->blob_len);
	if (arc == 0) {
		msgpack_sbuffer_write(&c->result, (const char *)c->blob, c->blob_len);
		c->has_result = true;
	} else {
		call_fail_unanswered(c, arc);
	}
}

void call_fail_unanswered(call *c, int arc)
{
	if (arc != RS_ENOTFOUND)
		call_fail(c, arc, "the answer of job %s could not be read", c->job.id);
	else
		call_fail(c, strcmp(c->job.state, "cancelled") ? RS_ESOLVER : RS_ECANCELLED,
			  "job %s %s without a plan: %s", c->job.id, c->job.state,
			  *c->job.error ? c->job.error : c->job.state);
}

void m_job_result_after(call *c, conn *cn)
{
	if (c->rc || c->finished || !cn)
		return;
	job *j = jobs_find(c->s, c->job.id);
	if (c->wait && j) {
		jobs_add_waiter(j, cn->id, c->msgid, true);
		conn_owe(cn);
		return;
	}
	if (c->wait && !j && c->again < 3) {
		c->again++; /* it finished meanwhile: the store has its answer now */
		return;
	}
	call_fail(c, RS_EAGAIN, "job %s is %s; ask again or pass wait: true", c->job.id,
		  c->job.state);
}

/* A job in memory this call may touch, or NULL. */
static job *my_job(call *c, const char *id)
{
	job *j = jobs_find(c->s, id);
	if (j && !c->admin && strcmp(j->tenant, c->tenant) != 0)
		return NULL;
	return j;
}

/* On the pool: cancelling a queued job writes its row (sqlite, fsync). */
void m_job_cancel_pool(call *c)
{
	char id[STORE_ID_LEN];
	if (call_id_param(c, "job", id, sizeof id))
		return;
	int rc = jobs_cancel_id(c->s, id, call_write_scope(c), CANCEL_USER);
	const char *state = rc == 1 ? "cancelling" : "finished";
	if (rc < 0 || rc == 2) {
		/* not (or no longer) this process's to run: a shutdown sent it back
		 * to the queue, so its row is what would run it after a restart */
		int src = store_job_cancel_unrun(c->s->st, call_write_scope(c), id);
		if (src < 0) {
			call_fail(c, RS_EIO, "job '%s' could not be cancelled in the store", id);
			return;
		}
		if (src == 0 && rc < 0) {
			/* not in memory and nothing to cancel in the store: it had
			 * ended (done, failed or cancelled), or there is no such job */
			store_job row;
			if (store_job_get(c->s->st, call_write_scope(c), id, &row) != 0) {
				call_fail(c, RS_ENOTFOUND, "no job '%s' for this tenant", id);
				return;
			}
			state = "finished";
		} else {
			state = "cancelled";
		}
	}
	msgpack_pack_map(&c->pk, 2);
	mp_pack_kv_str(&c->pk, "job", id);
	mp_pack_kv_str(&c->pk, "state", state);
	c->has_result = true;
	log_info("job %s: cancel requested", id);
}

typedef struct job_listing {
	msgpack_sbuffer sb;
	msgpack_packer pk;
	size_t n;
} job_listing;

static void list_one(void *ud, const store_job *j)
{
	job_listing *l = ud;
	rpc_pack_job(&l->pk, j);
	l->n++;
}

void m_job_list_pool(call *c)
{
	char *state = NULL;
	int64_t limit = 100;
	if (mp_field_str(&c->mp, c->params, "state", false, 16, &state) ||
	    mp_field_int(&c->mp, c->params, "limit", false, 1, 10000, &limit)) {
		free(state);
		return;
	}
	static const char *const states[] = {"queued", "running", "done", "failed", "cancelled"};
	bool known = !state;
	for (size_t k = 0; k < sizeof states / sizeof states[0] && !known; k++)
		known = strcmp(state, states[k]) == 0;
	if (!known) {
		mp_push_key(&c->mp, "state");
		mp_fail(&c->mp, RS_EBADREQ,
			"'%s' is not a job state: queued, running, done, failed or cancelled", state);
		free(state);
		return;
	}
	/* one query; the array header is written once the count is known */
	job_listing l = {.n = 0};
	msgpack_sbuffer_init(&l.sb);
	msgpack_packer_init(&l.pk, &l.sb, msgpack_sbuffer_write);
	store_job_list(c->s->st, c->tenant, state, (int)limit, list_one, &l);
	msgpack_pack_map(&c->pk, 1);
	mp_pack_str(&c->pk, "jobs");
	msgpack_pack_array(&c->pk, l.n);
	msgpack_sbuffer_write(&c->result, l.sb.data, l.sb.size);
	msgpack_sbuffer_destroy(&l.sb);
	c->has_result = true;
	free(state);
}

/* job.watch: a queued or running job's notifications come to this
 * connection; for a job that has finished, the response says its state and
 * its job.done comes at once (so a client that watches a job it submitted
 * with wait: false learns of its end either way). */
void m_job_watch_pool(call *c)
{
	char id[STORE_ID_LEN];
	if (call_id_param(c, "job", id, sizeof id))
		return;
	int rc = store_job_get(c->s->st, call_scope(c), id, &c->job);
	if (rc) {
		call_fail(c, rc, "no job '%s' for this tenant", id);
		return;
	}
	c->finished = strcmp(c->job.state, "queued") && strcmp(c->job.state, "running");
	/* a finished job's plan is named only when it stored an answer (a job
	 * cancelled before it ran has a status but none) */
	if (c->finished &&
	    store_job_answer(c->s->st, NULL, id, (void **)&c->blob, &c->blob_len) != 0) {
		free(c->blob);
		c->blob = NULL;
	}
}

void m_job_watch_after(call *c, conn *cn)
{
	if (c->rc || !cn)
		return;
	const char *state = c->job.state;
	if (!c->finished) {
		job *j = my_job(c, c->job.id);
		if (!j) {
			if (c->again < 3)
				c->again++; /* it finished meanwhile: read its row again */
			else if (c->s->stopping) /* a shutdown sent it back to the queue
						  * (the flag is set on this thread) */
				call_fail(c, RS_ESHUTDOWN,
					  "the server is stopping; job %s runs again after restart",
					  c->job.id);
			else
				call_fail(c, RS_EAGAIN, "job %s is ending; ask again", c->job.id);
			return;
		}
		jobs_add_waiter(j, cn->id, c->msgid, false);
		state = j->state == JOB_QUEUED ? "queued" : "running";
	} else {
		msgpack_sbuffer note;
		msgpack_sbuffer_init(&note);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &note, msgpack_sbuffer_write);
		jobs_pack_done(&pk, c->job.id, c->job.state, c->blob ? c->job.status : NULL,
			       c->blob ? c->job.plan : NULL);
		conn_notify(cn, "job.done", note.data, note.size);
		msgpack_sbuffer_destroy(&note);
	}
	msgpack_pack_map(&c->pk, 2);
	mp_pack_kv_str(&c->pk, "job", c->job.id);
	mp_pack_kv_str(&c->pk, "state", state);
	c->has_result = true;
}

/* m_erase.c: tenant.erase and learner.erase (the right to erasure). */
#include "rpc.h"

#include "log.h"
#include "mp.h"
#include "rs_error.h"

#include <stdlib.h>

static void pack_erased(call *c, const store_erased *e)
{
	msgpack_pack_map(&c->pk, 5);
	mp_pack_kv_str(&c->pk, "tenant", c->tenant);
	mp_pack_kv_int(&c->pk, "jobs_deleted", e->jobs);
	mp_pack_kv_int(&c->pk, "plans_deleted", e->plans);
	mp_pack_kv_int(&c->pk, "requests_edited", e->requests_edited);
	mp_pack_kv_int(&c->pk, "answers_edited", e->answers_edited);
	c->has_result = true;
}

void m_tenant_erase_pool(call *c)
{
	bool confirm = false;
	if (mp_field_bool(&c->mp, c->params, "confirm", true, &confirm))
		return;
	if (!confirm) {
		mp_push_key(&c->mp, "confirm");
		mp_fail(&c->mp, RS_EBADREQ, "must be true to erase a tenant");
		return;
	}
	store_erased e;
	pthread_mutex_lock(&c->s->elock);
	jobs_note_erasure(c->s, c->tenant, NULL);
	int rc = store_erase_tenant(c->s->st, c->tenant, &e);
	pthread_mutex_unlock(&c->s->elock);
	if (rc) {
		call_fail(c, rc, "erasure failed");
		return;
	}
	log_info("tenant %s erased: %d jobs, %d plans", c->tenant, e.jobs, e.plans);
	pack_erased(c, &e);
}

void m_learner_erase_pool(call *c)
{
	char *learner = NULL;
	/* any bytes: ids stored before the daemon refused control characters
	 * and invalid UTF-8 must stay erasable */
	if (mp_field_key(&c->mp, c->params, "learner", true, c->s->tlim.max_id, &learner))
		return;
	if (!*learner) {
		mp_push_key(&c->mp, "learner");
		mp_fail(&c->mp, RS_EBADREQ, "must not be empty");
		free(learner);
		return;
	}
	store_erased e;
	pthread_mutex_lock(&c->s->elock);
	jobs_note_erasure(c->s, c->tenant, learner);
	int rc = store_erase_learner(c->s->st, c->tenant, learner, &e);
	pthread_mutex_unlock(&c->s->elock);
	free(learner);
	if (rc) {
		call_fail(c, rc, "erasure failed");
		return;
	}
	log_info("tenant %s: a learner was erased from %d requests and %d answers", c->tenant,
		 e.requests_edited, e.answers_edited);
	pack_erased(c, &e);
}

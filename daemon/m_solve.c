/* m_solve.c: timetable.solve: validate, store durably, acknowledge, queue. */
#include "rpc.h"

#include "log.h"
#include "mp.h"
#include "rs_error.h"
#include "xalloc.h"
#include "ctt_request.h"
#include "pm.h"
#include "wire.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Envelope fields every solve method shares (docs/protocol.md). */
static int envelope(call *c, double *time_limit, char **idem, char *kind_out, size_t kn)
{
	srv *s = c->s;
	mp_ctx *m = &c->mp;
	const msgpack_object *p = c->params;
	char *kind = NULL;
	bool match = strcmp(c->m->name, "placement.match") == 0;
	int rc = mp_field_str(m, p, "kind", false, 32, &kind);
	if (!rc && kind && match && strcmp(kind, "placement") != 0) {
		mp_push_key(m, "kind");
		rc = mp_fail(m, RS_EBADREQ, "placement.match takes kind \"placement\", not \"%s\"",
			     kind);
	} else if (!rc && kind && strcmp(kind, "timetable") != 0 && strcmp(kind, "itc2007") != 0 &&
		   strcmp(kind, "placement") != 0) {
		mp_push_key(m, "kind");
		rc = mp_fail(m, RS_EBADREQ,
			     "timetable.solve takes kind \"timetable\", \"itc2007\" or \"placement\", "
			     "not \"%s\"",
			     kind);
	}
	snprintf(kind_out, kn, "%s", kind ? kind : match ? "placement" : "timetable");
	free(kind);
	c->wait = true;
	*time_limit = s->cfg.default_time_limit;
	double gap = 0;
	int64_t seed = 1, nodes = 0, threads = 2;
	if (!rc)
		rc = mp_field_bool(m, p, "wait", false, &c->wait);
	if (!rc)
		rc = mp_field_num(m, p, "time_limit", false, 0.1, 1e7, time_limit);
	if (!rc)
		rc = mp_field_num(m, p, "gap", false, 0, 1, &gap);
	if (!rc)
		rc = mp_field_int(m, p, "seed", false, 0, UINT32_MAX, &seed);
	if (!rc)
		rc = mp_field_int(m, p, "node_limit", false, 0, INT64_MAX, &nodes);
	if (!rc)
		rc = mp_field_int(m, p, "threads", false, 1, 2, &threads);
	if (!rc)
		rc = mp_field_str(m, p, "idempotency_key", false, 128, idem);
	if (!rc && *idem && !**idem) {
		mp_push_key(m, "idempotency_key");
		rc = mp_fail(m, RS_EBADREQ, "a key of 1 to 128 bytes, or no key");
	}
	if (*time_limit > s->cfg.max_time_limit)
		*time_limit = s->cfg.max_time_limit;
	return rc;
}

#define ZONEINFO "/usr/share/zoneinfo"

/* The decoder checks a time zone's form; here it must also be a zone of the
 * system's tzdata (the iCalendar output and any client rendering local
 * times need it). Without tzdata on this machine it cannot be told, and
 * the name is taken as it is. */
static bool tz_known(const char *tz)
{
	struct stat st;
	if (!tz || strcmp(tz, "UTC") == 0 || stat(ZONEINFO, &st) != 0 || !S_ISDIR(st.st_mode))
		return true;
	char path[256];
	if (snprintf(path, sizeof path, "%s/%s", ZONEINFO, tz) >= (int)sizeof path)
		return false;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int plan_ref_parse(call *c, const char *key, const msgpack_object *r, char **id,
		   int64_t *version)
{
	mp_ctx *m = &c->mp;
	size_t sv = mp_push_key(m, key);
	int rc = 0;
	*id = NULL;
	*version = 0;
	if (r->type == MSGPACK_OBJECT_STR) {
		rc = mp_text_check(m, r->via.str.ptr, r->via.str.size);
		if (!rc && (r->via.str.size == 0 || r->via.str.size >= STORE_ID_LEN))
			rc = mp_fail(m, RS_EBADREQ, "a plan id of 1 to %d characters",
				     STORE_ID_LEN - 1);
		if (!rc)
			*id = xstrndup(r->via.str.ptr, r->via.str.size);
	} else if (r->type == MSGPACK_OBJECT_MAP) {
		static const char *const known[] = {"plan", "version", NULL};
		rc = mp_known_keys(m, r, known, "docs/protocol.md");
		if (!rc)
			rc = mp_field_str(m, r, "plan", true, STORE_ID_LEN - 1, id);
		if (!rc)
			rc = mp_field_int(m, r, "version", false, 0, INT32_MAX, version);
	} else {
		rc = mp_fail(m, RS_EBADREQ, "expected a plan id or {plan, version}, got %s",
			     mp_type_name(r));
	}
	mp_pop(m, sv);
	if (rc) {
		free(*id);
		*id = NULL;
	}
	return rc;
}

int plan_ref_get(call *c, const char *key, const char *id, int version, const char *kind,
		 msgpack_zone *z, msgpack_object *ans, uint8_t **buf)
{
	mp_ctx *m = &c->mp;
	size_t alen = 0;
	*buf = NULL;
	/* only the tenant's own plan, also on the Unix socket */
	int rc = store_plan_get(c->s->st, c->tenant, id, version, (void **)buf, &alen);
	if (rc) {
		size_t sv = mp_push_key(m, key);
		mp_push_key(m, "plan");
		if (version)
			mp_fail(m, rc, "no version %d of plan '%s' for tenant %s", version, id,
				c->tenant);
		else
			mp_fail(m, rc, "no plan '%s' for tenant %s", id, c->tenant);
		mp_pop(m, sv);
		return rc;
	}
	size_t off = 0;
	/* (an answer without kind is a timetable's) */
	const msgpack_object *k = NULL;
	if (msgpack_unpack((const char *)*buf, alen, &off, z, ans) != MSGPACK_UNPACK_SUCCESS ||
	    ans->type != MSGPACK_OBJECT_MAP ||
	    ((k = mp_get(ans, "kind")) ? !mp_eq(k, kind) : strcmp(kind, "timetable") != 0)) {
		size_t sv = mp_push_key(m, key);
		rc = mp_fail(m, RS_EBADREQ, "plan '%s' is not a %s plan", id, kind);
		mp_pop(m, sv);
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

int plan_version_of(const msgpack_object *ans, int asked)
{
	const msgpack_object *v = mp_get(ans, "version");
	return v && v->type == MSGPACK_OBJECT_POSITIVE_INTEGER ? (int)v->via.u64 : asked;
}

void plan_parent_set(store_parent *parent, const msgpack_object *ans, const char *id, int asked,
		     char *plan, size_t plan_len)
{
	parent->version = plan_version_of(ans, asked);
	snprintf(plan, plan_len, "%s", id);
	parent->plan = plan;
}

void call_set_params(call *c, msgpack_sbuffer *sb)
{
	msgpack_object *np = msgpack_zone_malloc(c->zone, sizeof *np);
	size_t n = sb->size;
	free(c->params_buf);
	c->params_buf = (uint8_t *)msgpack_sbuffer_release(sb);
	if (!np || wire_unpack(c->params_buf, n, c->zone, np))
		call_fail(c, RS_EINTERNAL, "the request could not be rebuilt");
	else
		c->params = np;
}

void pack_weights_moved(msgpack_packer *pk, const msgpack_object *w, int64_t moved)
{
	mp_pack_str(pk, "weights");
	if (!w || w->type == MSGPACK_OBJECT_NIL) {
		msgpack_pack_map(pk, 1);
		mp_pack_kv_int(pk, "moved", moved);
		return;
	}
	if (w->type != MSGPACK_OBJECT_MAP) { /* the decoder's error to name */
		msgpack_pack_object(pk, *w);
		return;
	}
	/* moved nil reads as the default 0: the re-plan's then */
	const msgpack_object *mv = mp_get(w, "moved");
	bool unset = !mv || mv->type == MSGPACK_OBJECT_NIL;
	msgpack_pack_map(pk, w->via.map.size + (mv ? 0 : 1));
	for (uint32_t j = 0; j < w->via.map.size; j++) {
		const msgpack_object_kv *e = &w->via.map.ptr[j];
		msgpack_pack_object(pk, e->key);
		if (unset && mp_eq(&e->key, "moved"))
			msgpack_pack_int64(pk, moved);
		else
			msgpack_pack_object(pk, e->val);
	}
	if (!mv)
		mp_pack_kv_int(pk, "moved", moved);
}

/* timetable.solve with `replan`: the request becomes the same request with
 * the plan version's answer as its start (and weights.moved, when absent,
 * TT_REPLAN_MOVED), so that the stored job holds all it needs; *parent says
 * which plan version the new one follows. */
static int replan_request(call *c, const msgpack_object *r, store_parent *parent,
			  char *plan, size_t plan_len)
{
	mp_ctx *m = &c->mp;
	const msgpack_object *p = c->params;
	char *id = NULL;
	int64_t version = 0;
	uint8_t *ans = NULL;
	msgpack_zone *z = NULL;
	int rc = plan_ref_parse(c, "replan", r, &id, &version);
	if (rc)
		goto end;
	/* (a kind that is not a string is the envelope's error to name) */
	const msgpack_object *kind = mp_get(p, "kind");
	if (kind && kind->type == MSGPACK_OBJECT_STR && !mp_eq(kind, "timetable")) {
		mp_push_key(m, "replan");
		rc = mp_fail(m, RS_EBADREQ, "only timetable and placement plans are re-planned");
		goto end;
	}
	if (mp_get(p, "start")) {
		mp_push_key(m, "start");
		rc = mp_fail(m, RS_EBADREQ,
			     "a re-plan starts from its plan's answer: leave start out, or send "
			     "start without replan");
		goto end;
	}
	/* the new version belongs to the plan's tenant */
	z = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	msgpack_object a;
	rc = plan_ref_get(c, "replan", id, (int)version, "timetable", z, &a, &ans);
	if (rc)
		goto end;
	plan_parent_set(parent, &a, id, (int)version, plan, plan_len);
	/* the request again, less replan, with start and the moved weight */
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	/* a weights map without moved (or with moved nil, which reads as the
	 * default 0) gets the re-plan's; nil weights too */
	const msgpack_object *w = mp_get(p, "weights");
	bool add_w = !w;
	msgpack_pack_map(&pk, p->via.map.size + (add_w ? 1 : 0));
	for (uint32_t i = 0; i < p->via.map.size; i++) {
		const msgpack_object_kv *kv = &p->via.map.ptr[i];
		if (mp_eq(&kv->key, "replan")) {
			/* the answer's groups are what a start is read for, and its
			 * group_seq (the ids the plan gave, never given again) */
			const msgpack_object *g = mp_get(&a, "groups"),
					     *gs = mp_get(&a, "group_seq");
			bool has_seq = gs && gs->type == MSGPACK_OBJECT_POSITIVE_INTEGER;
			mp_pack_str(&pk, "start");
			msgpack_pack_map(&pk, has_seq ? 2 : 1);
			mp_pack_str(&pk, "groups");
			if (g)
				msgpack_pack_object(&pk, *g);
			else
				msgpack_pack_array(&pk, 0);
			if (has_seq) {
				mp_pack_str(&pk, "group_seq");
				msgpack_pack_object(&pk, *gs);
			}
		} else if (mp_eq(&kv->key, "weights")) {
			pack_weights_moved(&pk, &kv->val, TT_REPLAN_MOVED);
		} else {
			msgpack_pack_object(&pk, kv->key);
			msgpack_pack_object(&pk, kv->val);
		}
	}
	if (add_w)
		pack_weights_moved(&pk, NULL, TT_REPLAN_MOVED);
	call_set_params(c, &sb);
	rc = c->rc;
end:
	if (z)
		msgpack_zone_free(z);
	free(id);
	free(ans);
	return rc;
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

#define FNV0 0xcbf29ce484222325ULL

#define DIGEST_FORM "d2:"

/* A digest of o that does not depend on the order of a map's fields or on
 * how a whole number is written (5, 5.0). The wire limits its depth. */
static uint64_t digest_of(const msgpack_object *o)
{
	uint64_t h;
	int64_t i;
	switch (o->type) {
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		if (o->via.u64 > (uint64_t)INT64_MAX)
			return mix(fnv1a(FNV0 ^ 'u', &o->via.u64, sizeof o->via.u64));
		i = (int64_t)o->via.u64;
		return mix(fnv1a(FNV0 ^ 'i', &i, sizeof i));
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		i = o->via.i64;
		return mix(fnv1a(FNV0 ^ 'i', &i, sizeof i));
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		if (o->via.f64 == floor(o->via.f64) && fabs(o->via.f64) < 9e18) {
			i = (int64_t)o->via.f64;
			return mix(fnv1a(FNV0 ^ 'i', &i, sizeof i));
		}
		return mix(fnv1a(FNV0 ^ 'f', &o->via.f64, sizeof o->via.f64));
	case MSGPACK_OBJECT_STR:
		return mix(fnv1a(FNV0 ^ 's', o->via.str.ptr, o->via.str.size));
	case MSGPACK_OBJECT_BIN:
		return mix(fnv1a(FNV0 ^ 'b', o->via.bin.ptr, o->via.bin.size));
	case MSGPACK_OBJECT_EXT:
		return mix(fnv1a(FNV0 ^ 'e' ^ ((uint64_t)(uint8_t)o->via.ext.type << 8),
				 o->via.ext.ptr, o->via.ext.size));
	case MSGPACK_OBJECT_ARRAY:
		h = mix(FNV0 ^ 'a' ^ o->via.array.size);
		for (uint32_t k = 0; k < o->via.array.size; k++)
			h = mix(h ^ digest_of(&o->via.array.ptr[k]));
		return h;
	case MSGPACK_OBJECT_MAP:
		h = 0; /* a sum: any order */
		for (uint32_t k = 0; k < o->via.map.size; k++)
			h += mix(digest_of(&o->via.map.ptr[k].key) * 31 +
				 digest_of(&o->via.map.ptr[k].val));
		return mix(h ^ FNV0 ^ 'm' ^ o->via.map.size);
	case MSGPACK_OBJECT_BOOLEAN:
		return mix(FNV0 ^ 't' ^ o->via.boolean);
	default:
		return mix(FNV0 ^ 'n');
	}
}

/* A digest of what a solve call sent, less `wait` (a retry may wait where
 * the first call did not), with the kind it resolved to: an idempotency key
 * sent again with another request is a reuse, not a retry. Fields count in
 * any order, and 5 as 5.0. */
static void request_digest(const msgpack_object *p, const char *kind, char *out, size_t n)
{
	uint64_t sum = fnv1a(FNV0, kind, strlen(kind));
	for (uint32_t i = 0; p->type == MSGPACK_OBJECT_MAP && i < p->via.map.size; i++) {
		const msgpack_object_kv *kv = &p->via.map.ptr[i];
		if (!mp_eq(&kv->key, "wait"))
			sum += mix(digest_of(&kv->key) * 31 + digest_of(&kv->val));
	}
	/* (the form's version first: a digest of another form, kept by an
	 * earlier daemon, cannot be compared and is taken as a retry's) */
	snprintf(out, n, "%s%016llx", DIGEST_FORM, (unsigned long long)mix(sum));
}

void m_solve_pool(call *c)
{
	srv *s = c->s;
	double time_limit;
	char *idem = NULL;
	char kind[32], parent_plan[STORE_ID_LEN];
	store_parent parent = {0};
	/* what the caller sent: a re-plan and lessons_from rebuild c->params,
	 * and a second pass of this step (m_solve_after's) starts over */
	if (!c->sent)
		c->sent = c->params;
	c->params = c->sent;
	char digest[24];
	const msgpack_object *r = mp_get(c->params, "replan");
	if (envelope(c, &time_limit, &idem, kind, sizeof kind)) {
		free(idem); /* (an empty key is read, then refused) */
		return;
	}
	request_digest(c->sent, kind, digest, sizeof digest);
	/* a retry is answered with its job before anything else is read: the
	 * plans a re-plan or lessons_from named may be gone since */
	int rc = idem ? store_job_by_key(s->st, c->tenant, idem, &c->job) : RS_ENOTFOUND;
	if (rc == 0) {
		c->existing = true;
		r = NULL; /* (no elock taken) */
		goto have_job;
	}
	if (rc != RS_ENOTFOUND) {
		call_fail(c, rc, "the job store could not be read");
		free(idem);
		return;
	}
	/* a re-plan copies its parent's learners into the request it stores:
	 * an erasure between that read and the insert would miss the copy, so
	 * erasures wait (elock before jlock and the store, as everywhere) */
	if (r)
		pthread_mutex_lock(&s->elock);
	int n_replan = 0;
	for (uint32_t i = 0; r && i < c->params->via.map.size; i++)
		n_replan += mp_eq(&c->params->via.map.ptr[i].key, "replan");
	if (n_replan > 1) {
		mp_push_key(&c->mp, "replan");
		mp_fail(&c->mp, RS_EBADREQ, "given %d times", n_replan);
		goto end;
	}
	if (r && (strcmp(kind, "placement") == 0
		      ? rematch_request(c, r, &parent, parent_plan, sizeof parent_plan)
		      : replan_request(c, r, &parent, parent_plan, sizeof parent_plan)))
		goto end;

	const msgpack_object *lf = mp_get(c->params, "lessons_from");
	if (strcmp(kind, "placement") == 0 && lf && lf->type != MSGPACK_OBJECT_NIL &&
	    lessons_request(c, lf))
		goto end;
	if (strcmp(kind, "placement") == 0) {
		pm_model pm;
		pm_limits plim;
		pm_limits_default(&plim);
		if (pm_decode(c->params, &plim, &pm, &c->mp))
			goto end;
		log_info("tenant %s: placement request: %d participants, %d placements", c->tenant,
			 pm.n_participants, pm.n_placements);
		pm_model_free(&pm);
	} else if (strcmp(kind, "itc2007") == 0) {
		ctt_instance inst;
		if (ctt_from_request(c->params, &inst, &c->mp))
			goto end;
		log_info("tenant %s: itc2007 request: %d courses, %d rooms", c->tenant,
			 inst.n_courses, inst.n_rooms);
		ctt_instance_free(&inst);
	} else {
		tt_model model;
		if (tt_decode(c->params, &s->tlim, &model, &c->mp))
			goto end;
		if (!tz_known(model.tz)) {
			mp_push_key(&c->mp, "term");
			mp_push_key(&c->mp, "tz");
			mp_fail(&c->mp, RS_EBADREQ,
				"'%s' is not a time zone of this server's tzdata (%s); names are "
				"case-sensitive, e.g. Europe/Amsterdam",
				model.tz, ZONEINFO);
			tt_model_free(&model);
			goto end;
		}
		log_info("tenant %s: timetable request: %d learners, %d rooms, %d teachers",
			 c->tenant, model.n_learners, model.n_rooms, model.n_teachers);
		tt_model_free(&model);
	}
	pthread_mutex_lock(&s->jlock);
	bool full = s->n_queued >= s->cfg.max_queue, stopping = s->stopping;
	pthread_mutex_unlock(&s->jlock);
	if (stopping || full) {
		/* a retry of a job already stored is answered with that job even
		 * now: it is the caller's only way to learn it was accepted */
		rc = idem ? store_job_by_key(s->st, c->tenant, idem, &c->job) : RS_ENOTFOUND;
		if (rc == 0) {
			c->existing = true;
		} else if (rc != RS_ENOTFOUND) {
			call_fail(c, rc, "the job store could not be read");
			goto end;
		} else if (stopping) {
			call_fail(c, RS_ESHUTDOWN,
				  "the server is stopping; send the request again after restart");
			goto end;
		} else {
			call_fail(c, RS_EBUSY, "%d jobs queued (max_queue); try again later",
				  s->n_queued);
			goto end;
		}
	} else {
		/* the request verbatim: the params map, with the capped time
		 * limit recorded on the row */
		msgpack_sbuffer sb;
		msgpack_sbuffer_init(&sb);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		msgpack_pack_object(&pk, *c->params);
		rc = store_job_insert(s->st, c->tenant, kind, idem, digest, sb.data, sb.size,
				      time_limit, parent.plan ? &parent : NULL, &c->job, &c->existing);
		msgpack_sbuffer_destroy(&sb);
	}
	if (rc == RS_ENOTFOUND && parent.plan) {
		mp_push_key(&c->mp, "replan");
		mp_push_key(&c->mp, "plan");
		mp_fail(&c->mp, rc, "version %d of plan '%s' is no longer stored (erased meanwhile)",
			parent.version, parent.plan);
		goto end;
	}
	if (rc) {
		call_fail(c, rc, "the job could not be stored");
		goto end;
	}
have_job:
	if (c->existing && strcmp(c->job.tenant, c->tenant) != 0) {
		call_fail(c, RS_EINTERNAL, "idempotency key collision");
		goto end;
	}
	/* (jobs stored before the digest was kept, or with another form of it,
	 * are taken as retries) */
	if (c->existing && !strncmp(c->job.req_hash, DIGEST_FORM, strlen(DIGEST_FORM)) &&
	    strcmp(c->job.req_hash, digest) != 0) {
		mp_push_key(&c->mp, "idempotency_key");
		mp_fail(&c->mp, RS_EBADREQ,
			"already used for another request (job %s, a %s): a retry sends the same "
			"request, another request needs a key of its own",
			c->job.id, c->job.kind);
		c->existing = false;
		goto end;
	}
	if (c->existing && strcmp(c->job.state, "queued") && strcmp(c->job.state, "running")) {
		c->finished = true;
		/* a retry that waits gets what the first call got: the answer, or
		 * the error of a job that ended without one */
		int arc = store_job_answer(s->st, NULL, c->job.id, (void **)&c->blob, &c->blob_len);
		if (arc && c->wait)
			call_fail_unanswered(c, arc);
	}
end:
	if (r)
		pthread_mutex_unlock(&s->elock);
	free(idem);
}

void m_solve_after(call *c, conn *cn)
{
	if (c->rc)
		return;
	srv *s = c->s;
	job *j = NULL;
	if (!c->existing) {
		j = jobs_enqueue(s, &c->job);
		log_info("job %s accepted (tenant %s, time limit %.0f s)", c->job.id, c->tenant,
			 c->job.time_limit);
	} else if (!c->finished) {
		j = jobs_find(s, c->job.id);
		if (!j && c->again < 3) {
			c->again++; /* it finished meanwhile: the retry reads its answer */
			return;
		}
	}
	if (!cn)
		return;
	bool answered = c->wait && c->finished && c->blob;
	if (c->wait && (j || answered)) {
		/* the job id first, also for a retry whose job had finished: a
		 * client reads job.accepted before every waited answer */
		msgpack_sbuffer sb;
		msgpack_sbuffer_init(&sb);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		msgpack_pack_map(&pk, 5);
		mp_pack_kv_str(&pk, "job", c->job.id);
		mp_pack_kv_str(&pk, "plan", c->job.plan);
		mp_pack_kv_int(&pk, "version", c->job.version);
		mp_pack_kv_int(&pk, "msgid", (int64_t)c->msgid);
		mp_pack_kv_bool(&pk, "existing", c->existing);
		conn_notify(cn, "job.accepted", sb.data, sb.size);
		msgpack_sbuffer_destroy(&sb);
	}
	if (answered) {
		/* and its end, as a waited solve's notifications end */
		msgpack_sbuffer sb;
		msgpack_sbuffer_init(&sb);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		jobs_pack_done(&pk, c->job.id, c->job.state, c->job.status, c->job.plan);
		conn_notify(cn, "job.done", sb.data, sb.size);
		msgpack_sbuffer_destroy(&sb);
		msgpack_sbuffer_write(&c->result, (const char *)c->blob, c->blob_len);
		c->has_result = true;
		return;
	}
	if (c->wait && j) {
		jobs_add_waiter(j, cn->id, c->msgid, true);
		conn_owe(cn);
		return; /* answered when the job is done */
	}
	if (c->wait && !c->finished) {
		/* stored as queued or running but not in this process: a shutdown
		 * sent it back to the queue; a waited call gets what its first
		 * call got then, not the job's row in place of a plan */
		if (s->stopping) /* (set on this, the loop's thread) */
			call_fail(c, RS_ESHUTDOWN,
				  "the server is stopping; job %s runs again after restart", c->job.id);
		else
			call_fail(c, RS_EAGAIN, "job %s is %s; ask again", c->job.id, c->job.state);
		return;
	}
	rpc_pack_job(&c->pk, &c->job);
	c->has_result = true;
}

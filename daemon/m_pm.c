/* m_pm.c: what the daemon adds to a placement request from stored plans
 * before it stores it (docs/placement.md).
 *
 * lessons_from:
 * The participants' lessons in a stored timetable plan (their groups'
 * dagdelen, and the module groups of the request that made the plan) are
 * added to the request before it is stored, as lessons given by their
 * times: the stored job then holds all it needs, and a later version of
 * the timetable does not change what this one was matched against. */
#include "rpc.h"

#include "mp.h"
#include "pm.h"
#include "rs_error.h"
#include "store.h"
#include "strmap.h"
#include "tt_model.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct lessons {
	/* the timetable's dagdelen: ids → index, and each one's map */
	strmap dagdelen;
	const msgpack_object *dd[TT_MAX_DAGDELEN];
	/* learner id → index into mask: the dagdelen of its lessons */
	strmap learners;
	uint32_t *mask;
	int n, cap;
} lessons;

static void read_dagdelen(lessons *l, const msgpack_object *ans)
{
	const msgpack_object *a = mp_get(ans, "dagdelen");
	if (!a || a->type != MSGPACK_OBJECT_ARRAY)
		return;
	for (uint32_t t = 0; t < a->via.array.size && t < TT_MAX_DAGDELEN; t++) {
		const msgpack_object *o = &a->via.array.ptr[t];
		const char *id;
		size_t n;
		if (o->type == MSGPACK_OBJECT_MAP && mp_str(mp_get(o, "id"), &id, &n)) {
			strmap_put(&l->dagdelen, id, n, (int)t);
			l->dd[t] = o;
		}
	}
}

/* The dagdelen of a group (or module group) listed at g.dagdelen. */
static uint32_t group_mask(const lessons *l, const msgpack_object *g)
{
	const msgpack_object *a = mp_get(g, "dagdelen");
	uint32_t mask = 0;
	for (uint32_t k = 0; a && a->type == MSGPACK_OBJECT_ARRAY && k < a->via.array.size; k++) {
		const char *id;
		size_t n;
		int t;
		if (mp_str(&a->via.array.ptr[k], &id, &n) &&
		    (t = strmap_get(&l->dagdelen, id, n)) >= 0)
			mask |= (uint32_t)1 << t;
	}
	return mask;
}

static void add_members(lessons *l, const msgpack_object *a, uint32_t mask)
{
	for (uint32_t k = 0; a && a->type == MSGPACK_OBJECT_ARRAY && k < a->via.array.size; k++) {
		const char *id;
		size_t n;
		if (!mp_str(&a->via.array.ptr[k], &id, &n))
			continue;
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 64;
			l->mask = xrealloc(l->mask, (size_t)l->cap * sizeof *l->mask);
		}
		int i = strmap_put(&l->learners, id, n, l->n);
		if (i == l->n)
			l->mask[l->n++] = 0;
		l->mask[i] |= mask;
	}
}

/* Each group's dagdelen to its learners: new groups' members and running
 * groups' joiners and current members. */
static void read_groups(lessons *l, const msgpack_object *groups, const char *members)
{
	for (uint32_t g = 0; groups && groups->type == MSGPACK_OBJECT_ARRAY && g < groups->via.array.size;
	     g++) {
		const msgpack_object *o = &groups->via.array.ptr[g];
		if (o->type != MSGPACK_OBJECT_MAP)
			continue;
		uint32_t mask = group_mask(l, o);
		add_members(l, mp_get(o, "learners"), mask);
		if (members)
			add_members(l, mp_get(o, members), mask);
	}
}

/* The module groups of the request that made the plan (its job row may
 * be gone by retention; then the answer's groups are all there is). */
static void read_modules(lessons *l, call *c, const msgpack_object *ans)
{
	const char *job;
	size_t n;
	if (!mp_str(mp_get(ans, "job"), &job, &n) || n >= STORE_ID_LEN)
		return;
	char id[STORE_ID_LEN];
	memcpy(id, job, n);
	id[n] = 0;
	void *buf = NULL;
	size_t len = 0;
	if (store_job_request(c->s->st, id, &buf, &len))
		return;
	msgpack_zone *z = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	msgpack_object req;
	size_t off = 0;
	if (msgpack_unpack(buf, len, &off, z, &req) == MSGPACK_UNPACK_SUCCESS &&
	    req.type == MSGPACK_OBJECT_MAP)
		read_groups(l, mp_get(&req, "module_groups"), NULL);
	msgpack_zone_free(z);
	free(buf);
}

static void pack_slot(msgpack_packer *pk, const msgpack_object *dd)
{
	static const char *const keys[] = {"day", "start", "end"};
	msgpack_pack_map(pk, 3);
	for (int k = 0; k < 3; k++) {
		const msgpack_object *v = mp_get(dd, keys[k]);
		mp_pack_str(pk, keys[k]);
		if (v)
			msgpack_pack_object(pk, *v);
		else
			msgpack_pack_nil(pk);
	}
}

/* The lessons a participant lists, then those of the plan in mask. */
static void pack_lessons(msgpack_packer *pk, const lessons *l, const msgpack_object *ls,
			 uint32_t mask)
{
	uint32_t had = ls && ls->type == MSGPACK_OBJECT_ARRAY ? ls->via.array.size : 0;
	msgpack_pack_array(pk, had + (uint32_t)__builtin_popcount(mask));
	for (uint32_t k = 0; k < had; k++)
		msgpack_pack_object(pk, ls->via.array.ptr[k]);
	for (int t = 0; t < TT_MAX_DAGDELEN; t++)
		if (mask >> t & 1)
			pack_slot(pk, l->dd[t]);
}

/* One participant, with its lessons of the plan after those it lists (in
 * the place of its lessons field, or a new one last); counts what it
 * added. -1 when that would pass PM_MAX_LESSONS. */
static int pack_participant(msgpack_packer *pk, const lessons *l, const msgpack_object *o,
			    int *n_part, int *n_less)
{
	const char *id;
	size_t n;
	int i = -1;
	if (o->type == MSGPACK_OBJECT_MAP && mp_str(mp_get(o, "id"), &id, &n))
		i = strmap_get(&l->learners, id, n);
	const msgpack_object *ls = o->type == MSGPACK_OBJECT_MAP ? mp_get(o, "lessons") : NULL;
	uint32_t mask = i >= 0 ? l->mask[i] : 0;
	/* a lessons field of the wrong type is left for the decoder to name */
	if (!mask || (ls && ls->type != MSGPACK_OBJECT_ARRAY && ls->type != MSGPACK_OBJECT_NIL)) {
		msgpack_pack_object(pk, *o);
		return 0;
	}
	int add = __builtin_popcount(mask);
	if ((ls && ls->type == MSGPACK_OBJECT_ARRAY ? (int)ls->via.array.size : 0) + add >
	    PM_MAX_LESSONS)
		return -1;
	(*n_part)++, *n_less += add;
	msgpack_pack_map(pk, o->via.map.size + (ls ? 0 : 1));
	for (uint32_t k = 0; k < o->via.map.size; k++) {
		const msgpack_object_kv *kv = &o->via.map.ptr[k];
		msgpack_pack_object(pk, kv->key);
		if (&kv->val == ls)
			pack_lessons(pk, l, ls, mask);
		else
			msgpack_pack_object(pk, kv->val);
	}
	if (!ls) {
		mp_pack_str(pk, "lessons");
		pack_lessons(pk, l, NULL, mask);
	}
	return 0;
}

/* The plan that params' key refers to (an id or {plan, version}), of that
 * kind, unpacked into *ans; *id (malloc'd) and *version as given. */
static int fetch(call *c, const char *key, const msgpack_object *ref, const char *kind,
		 msgpack_zone *z, msgpack_object *ans, uint8_t **buf, char **id, int64_t *version)
{
	int rc = plan_ref_parse(c, key, ref, id, version);
	return rc ? rc : plan_ref_get(c, key, *id, (int)*version, kind, z, ans, buf);
}

int lessons_request(call *c, const msgpack_object *lf)
{
	const msgpack_object *p = c->params;
	char *id = NULL;
	int64_t version = 0;
	msgpack_zone *z = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	msgpack_object ans;
	uint8_t *buf = NULL;
	int rc;
	if (lf->type == MSGPACK_OBJECT_MAP && mp_get(lf, "participants")) {
		/* a request the daemon filled in already (a stored one sent
		 * again) keeps its lessons; the version it names must still be
		 * the tenant's timetable (the decoder checks the rest) */
		size_t sv = mp_push_key(&c->mp, "lessons_from");
		rc = mp_field_str(&c->mp, lf, "plan", true, STORE_ID_LEN - 1, &id);
		if (!rc)
			rc = mp_field_int(&c->mp, lf, "version", true, 1, INT32_MAX, &version);
		if (!rc)
			mp_pop(&c->mp, sv);
		if (!rc)
			rc = plan_ref_get(c, "lessons_from", id, (int)version, "timetable", z, &ans,
					  &buf);
		goto end;
	}
	rc = fetch(c, "lessons_from", lf, "timetable", z, &ans, &buf, &id, &version);
	if (rc)
		goto end;
	lessons l = {0};
	strmap_init(&l.dagdelen), strmap_init(&l.learners);
	read_dagdelen(&l, &ans);
	read_groups(&l, mp_get(&ans, "groups"), "existing_learners");
	read_modules(&l, c, &ans);
	int n_part = 0, n_less = 0;

	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	/* participants first, so that lessons_from can carry the counts */
	msgpack_sbuffer parts;
	msgpack_sbuffer_init(&parts);
	msgpack_packer ppk;
	msgpack_packer_init(&ppk, &parts, msgpack_sbuffer_write);
	const msgpack_object *pa = mp_get(p, "participants");
	if (pa && pa->type == MSGPACK_OBJECT_ARRAY) {
		msgpack_pack_array(&ppk, pa->via.array.size);
		for (uint32_t k = 0; k < pa->via.array.size && !c->mp.rc; k++)
			if (pack_participant(&ppk, &l, &pa->via.array.ptr[k], &n_part, &n_less)) {
				size_t sv = mp_push_key(&c->mp, "lessons_from");
				mp_fail(&c->mp, RS_EBADREQ,
					"participants[%u] would have more than %d lessons with those "
					"of plan '%s'",
					k, PM_MAX_LESSONS, id);
				mp_pop(&c->mp, sv);
			}
	}
	msgpack_pack_map(&pk, p->via.map.size);
	for (uint32_t k = 0; k < p->via.map.size; k++) {
		const msgpack_object_kv *kv = &p->via.map.ptr[k];
		msgpack_pack_object(&pk, kv->key);
		if (&kv->val == lf) {
			msgpack_pack_map(&pk, 4);
			mp_pack_kv_str(&pk, "plan", id);
			mp_pack_kv_int(&pk, "version", plan_version_of(&ans, (int)version));
			mp_pack_kv_int(&pk, "participants", n_part);
			mp_pack_kv_int(&pk, "lessons", n_less);
		} else if (&kv->val == pa && pa->type == MSGPACK_OBJECT_ARRAY) {
			msgpack_sbuffer_write(&sb, parts.data, parts.size);
		} else {
			msgpack_pack_object(&pk, kv->val);
		}
	}
	msgpack_sbuffer_destroy(&parts);
	strmap_free(&l.dagdelen), strmap_free(&l.learners);
	free(l.mask);
	if (c->mp.rc)
		msgpack_sbuffer_destroy(&sb);
	else
		call_set_params(c, &sb);
	rc = c->mp.rc ? c->mp.rc : c->rc;
end:
	msgpack_zone_free(z);
	free(buf);
	free(id);
	return rc;
}

/* One participant of a re-match: one the plan version lists gets its match
 * there as current (and its dagdelen as current_dagdelen), or none when the
 * version left it out, whatever the request says (the version is where
 * everyone is now); one the version does not list is as sent. */
static void pack_current(msgpack_packer *pk, const msgpack_object *o, const strmap *who,
			 const msgpack_object *ma)
{
	const char *s;
	size_t n;
	int mk = o->type == MSGPACK_OBJECT_MAP && mp_str(mp_get(o, "id"), &s, &n)
		     ? strmap_get(who, s, n)
		     : -1;
	if (mk == -1) {
		msgpack_pack_object(pk, *o);
		return;
	}
	const msgpack_object *m = mk >= 0 ? &ma->via.array.ptr[mk] : NULL;
	const msgpack_object *pl = m ? mp_get(m, "placement") : NULL,
			     *dd = m ? mp_get(m, "dagdelen") : NULL;
	uint32_t keep = 0;
	for (uint32_t j = 0; j < o->via.map.size; j++)
		keep += !mp_eq(&o->via.map.ptr[j].key, "current") &&
			!mp_eq(&o->via.map.ptr[j].key, "current_dagdelen");
	msgpack_pack_map(pk, keep + (pl ? 1 : 0) + (pl && dd ? 1 : 0));
	for (uint32_t j = 0; j < o->via.map.size; j++) {
		const msgpack_object_kv *e = &o->via.map.ptr[j];
		if (mp_eq(&e->key, "current") || mp_eq(&e->key, "current_dagdelen"))
			continue;
		msgpack_pack_object(pk, e->key);
		msgpack_pack_object(pk, e->val);
	}
	if (pl) {
		mp_pack_str(pk, "current");
		msgpack_pack_object(pk, *pl);
	}
	if (pl && dd) {
		mp_pack_str(pk, "current_dagdelen");
		msgpack_pack_object(pk, *dd);
	}
}

/* replan of a placement plan (a re-match): each participant gets its match
 * in that version as `current` (pack_current); weights.moved, when absent
 * or nil, becomes PM_REPLAN_MOVED. */
int rematch_request(call *c, const msgpack_object *r, store_parent *parent, char *plan,
		    size_t plan_len)
{
	const msgpack_object *p = c->params;
	char *id = NULL;
	int64_t version = 0;
	msgpack_zone *z = msgpack_zone_new(MSGPACK_ZONE_CHUNK_SIZE);
	msgpack_object ans;
	uint8_t *buf = NULL;
	strmap who;
	strmap_init(&who);
	int rc = fetch(c, "replan", r, "placement", z, &ans, &buf, &id, &version);
	if (rc)
		goto end;
	plan_parent_set(parent, &ans, id, (int)version, plan, plan_len);
	/* participant id → its match; and those the version left out */
	const msgpack_object *ma = mp_get(&ans, "matches"), *un = mp_get(&ans, "unplaced");
	for (uint32_t k = 0; ma && ma->type == MSGPACK_OBJECT_ARRAY && k < ma->via.array.size; k++) {
		const char *s;
		size_t n;
		if (mp_str(mp_get(&ma->via.array.ptr[k], "participant"), &s, &n))
			strmap_put(&who, s, n, (int)k);
	}
	for (uint32_t k = 0; un && un->type == MSGPACK_OBJECT_ARRAY && k < un->via.array.size; k++) {
		const char *s;
		size_t n;
		if (mp_str(mp_get(&un->via.array.ptr[k], "participant"), &s, &n))
			strmap_put(&who, s, n, -2);
	}
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	const msgpack_object *w = mp_get(p, "weights");
	/* (replan once: m_solve_pool refuses it twice) */
	msgpack_pack_map(&pk, p->via.map.size - 1 + (w ? 0 : 1));
	for (uint32_t k = 0; k < p->via.map.size; k++) {
		const msgpack_object_kv *kv = &p->via.map.ptr[k];
		if (mp_eq(&kv->key, "replan"))
			continue;
		if (mp_eq(&kv->key, "weights")) {
			pack_weights_moved(&pk, &kv->val, PM_REPLAN_MOVED);
			continue;
		}
		msgpack_pack_object(&pk, kv->key);
		if (!mp_eq(&kv->key, "participants") || kv->val.type != MSGPACK_OBJECT_ARRAY) {
			msgpack_pack_object(&pk, kv->val);
			continue;
		}
		msgpack_pack_array(&pk, kv->val.via.array.size);
		for (uint32_t i = 0; i < kv->val.via.array.size; i++)
			pack_current(&pk, &kv->val.via.array.ptr[i], &who, ma);
	}
	if (!w)
		pack_weights_moved(&pk, NULL, PM_REPLAN_MOVED);
	call_set_params(c, &sb);
	rc = c->rc;
end:
	strmap_free(&who);
	msgpack_zone_free(z);
	free(buf);
	free(id);
	return rc;
}

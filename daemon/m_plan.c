/* m_plan.c: plan.get, plan.history and plan.diff: a plan's stored versions. */
#include "rpc.h"

#include "mp.h"
#include "rs_error.h"
#include "pm_diff.h"
#include "tt_diff.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void m_plan_get_pool(call *c)
{
	char id[STORE_ID_LEN];
	int64_t version = 0;
	if (call_id_param(c, "plan", id, sizeof id) ||
	    mp_field_int(&c->mp, c->params, "version", false, 0, INT32_MAX, &version))
		return;
	int rc =
	    store_plan_get(c->s->st, call_scope(c), id, (int)version, (void **)&c->blob, &c->blob_len);
	if (rc == RS_ENOTFOUND) {
		/* a missing version of a plan that is there, or no such plan */
		void *any = NULL;
		size_t n = 0;
		bool plan_there = version && store_plan_get(c->s->st, call_scope(c), id, 0, &any, &n) == 0;
		free(any);
		mp_push_key(&c->mp, plan_there ? "version" : "plan");
		if (plan_there)
			mp_fail(&c->mp, rc, "no version %d of plan '%s' for this tenant",
				(int)version, id);
		else
			mp_fail(&c->mp, rc, "no plan '%s' for this tenant", id);
		return;
	}
	if (rc) {
		call_fail(c, rc, "the store could not read plan '%s'", id);
		return;
	}
	msgpack_sbuffer_write(&c->result, (const char *)c->blob, c->blob_len);
	c->has_result = true;
}

typedef struct versions {
	store_version *v;
	int n, cap;
} versions;

static void add_version(void *ud, const store_version *v)
{
	versions *vs = ud;
	if (vs->n == vs->cap) {
		vs->cap = vs->cap ? 2 * vs->cap : 8;
		vs->v = xrealloc(vs->v, (size_t)vs->cap * sizeof *vs->v);
	}
	vs->v[vs->n++] = *v;
}

static int load_versions(call *c, const char *id, versions *vs)
{
	*vs = (versions){0};
	int rc = store_plan_history(c->s->st, call_scope(c), id, add_version, vs);
	if (rc == RS_ENOTFOUND) {
		mp_push_key(&c->mp, "plan");
		mp_fail(&c->mp, rc, "no plan '%s' for this tenant", id);
	} else if (rc) {
		call_fail(c, rc, "the store could not read plan '%s'", id);
	}
	return rc;
}

void m_plan_history_pool(call *c)
{
	char id[STORE_ID_LEN];
	versions vs;
	if (call_id_param(c, "plan", id, sizeof id) || load_versions(c, id, &vs))
		return;
	msgpack_pack_map(&c->pk, 2);
	mp_pack_kv_str(&c->pk, "plan", id);
	mp_pack_str(&c->pk, "versions");
	msgpack_pack_array(&c->pk, (size_t)vs.n);
	for (int i = 0; i < vs.n; i++) {
		const store_version *v = &vs.v[i];
		msgpack_pack_map(&c->pk, 8);
		mp_pack_kv_int(&c->pk, "version", v->version);
		mp_pack_str(&c->pk, "parent");
		if (v->parent_version)
			msgpack_pack_int(&c->pk, v->parent_version);
		else
			msgpack_pack_nil(&c->pk);
		mp_pack_kv_str(&c->pk, "job", v->job);
		mp_pack_kv_num(&c->pk, "created", v->created);
		mp_pack_kv_str(&c->pk, "status", *v->status ? v->status : NULL);
		const char *fig[3] = {"objective", "bound", "gap"};
		const double val[3] = {v->objective, v->bound, v->gap};
		for (int k = 0; k < 3; k++) {
			mp_pack_str(&c->pk, fig[k]);
			if (v->has_figures)
				msgpack_pack_double(&c->pk, val[k]);
			else
				msgpack_pack_nil(&c->pk);
		}
	}
	free(vs.v);
	c->has_result = true;
}

/* Version `want` of the versions read (0: none such). */
static const store_version *find_version(const versions *vs, int want)
{
	for (int i = 0; i < vs->n; i++)
		if (vs->v[i].version == want)
			return &vs->v[i];
	return NULL;
}

void m_plan_diff_pool(call *c)
{
	char id[STORE_ID_LEN];
	int64_t from = 0, to = 0;
	versions vs = {0};
	void *blob[2] = {NULL, NULL};
	size_t len[2];
	msgpack_unpacked u[2];
	msgpack_unpacked_init(&u[0]);
	msgpack_unpacked_init(&u[1]);
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	if (call_id_param(c, "plan", id, sizeof id) ||
	    mp_field_int(&c->mp, c->params, "from", false, 1, INT32_MAX, &from) ||
	    mp_field_int(&c->mp, c->params, "to", false, 1, INT32_MAX, &to) ||
	    load_versions(c, id, &vs))
		goto end;
	const store_version *t = to ? find_version(&vs, (int)to) : &vs.v[vs.n - 1];
	if (!t) {
		mp_push_key(&c->mp, "to");
		mp_fail(&c->mp, RS_ENOTFOUND, "plan '%s' has no version %d (the latest is %d)", id,
			(int)to, vs.v[vs.n - 1].version);
		goto end;
	}
	to = t->version;
	if (!from)
		from = t->parent_version ? t->parent_version : t->version - 1;
	if (from < 1 || !find_version(&vs, (int)from)) {
		mp_push_key(&c->mp, "from");
		if (from < 1)
			mp_fail(&c->mp, RS_EBADREQ,
				"version %d of plan '%s' is its first: give from and to", (int)to, id);
		else
			mp_fail(&c->mp, RS_ENOTFOUND, "plan '%s' has no version %d", id, (int)from);
		goto end;
	}
	const int64_t ver[2] = {from, to};
	for (int k = 0; k < 2; k++) {
		int rc = store_plan_get(c->s->st, call_scope(c), id, (int)ver[k], &blob[k], &len[k]);
		size_t off = 0;
		if (rc) {
			call_fail(c, rc, "version %d of plan '%s' could not be read", (int)ver[k],
				  id);
			goto end;
		}
		if (msgpack_unpack_next(&u[k], blob[k], len[k], &off) != MSGPACK_UNPACK_SUCCESS) {
			call_fail(c, RS_EIO, "version %d of plan '%s' is not readable", (int)ver[k],
				  id);
			goto end;
		}
	}
	const msgpack_object *kind = mp_get(&u[1].data, "kind");
	bool pm = mp_eq(kind, "placement");
	if (kind && !pm && !mp_eq(kind, "timetable")) {
		/* (the differ would name its own field, before.kind, not one of ours) */
		mp_push_key(&c->mp, "plan");
		mp_fail(&c->mp, RS_EBADREQ,
			"'%s' is a %.*s plan; plan.diff compares timetables and placements", id,
			kind->type == MSGPACK_OBJECT_STR ? (int)kind->via.str.size : 1,
			kind->type == MSGPACK_OBJECT_STR ? kind->via.str.ptr : "?");
		goto end;
	}
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	/* why only from a version's own parent: group ids repeat */
	if (pm ? pm_diff(&u[0].data, &u[1].data, &pk, &c->mp)
	       : tt_diff(&u[0].data, &u[1].data, t->parent_version == from, &pk, &c->mp))
		goto end;
	msgpack_unpacked d;
	msgpack_unpacked_init(&d);
	size_t off = 0;
	msgpack_unpack_next(&d, sb.data, sb.size, &off);
	const msgpack_object_map *m = &d.data.via.map;
	msgpack_pack_map(&c->pk, 3 + m->size);
	mp_pack_kv_str(&c->pk, "plan", id);
	mp_pack_kv_int(&c->pk, "from", from);
	mp_pack_kv_int(&c->pk, "to", to);
	for (uint32_t i = 0; i < m->size; i++) {
		msgpack_pack_object(&c->pk, m->ptr[i].key);
		msgpack_pack_object(&c->pk, m->ptr[i].val);
	}
	msgpack_unpacked_destroy(&d);
	c->has_result = true;
end:
	msgpack_sbuffer_destroy(&sb);
	msgpack_unpacked_destroy(&u[0]);
	msgpack_unpacked_destroy(&u[1]);
	free(blob[0]);
	free(blob[1]);
	free(vs.v);
}

/* tt_encode.c: tt_solution → msgpack answer (docs/schema.md), and back for the checker. */
#include "tt_encode.h"

#include "rs_error.h"
#include "strmap.h"
#include "tt_decode.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const reason_names[] = {
	[TT_R_NO_PATTERN] = "no_pattern", [TT_R_NO_LOCATION] = "no_location",
	[TT_R_CHILDCARE] = "childcare",   [TT_R_SCHOOL] = "school",
	[TT_R_GROUP_SIZE] = "group_size", [TT_R_ROOM] = "room",
	[TT_R_TEACHER] = "teacher",       [TT_R_HOUSEHOLD] = "household",
	[TT_R_OPTIMISED] = "optimised",   [TT_R_RUNNING_JOIN] = "running_join",
	[TT_R_CONFLICT] = "conflict",
};

const char *tt_reason_name(int code)
{
	if (code > 0 && code <= TT_R_CONFLICT && reason_names[code])
		return reason_names[code];
	return "other";
}

static void pack_mask(msgpack_packer *pk, const tt_model *m, tt_mask mask)
{
	int n = 0;
	for (int t = 0; t < m->n_dagdelen; t++)
		n += (mask >> t) & 1;
	msgpack_pack_array(pk, (size_t)n);
	for (int t = 0; t < m->n_dagdelen; t++)
		if ((mask >> t) & 1)
			mp_pack_str(pk, m->dagdelen[t].id);
}

static void pack_terms(msgpack_packer *pk, const tt_terms *t)
{
	msgpack_pack_map(pk, 10);
	mp_pack_kv_num(pk, "unplaced", t->unplaced);
	mp_pack_kv_num(pk, "wait", t->wait);
	mp_pack_kv_num(pk, "group", t->group);
	mp_pack_kv_num(pk, "spread", t->spread);
	mp_pack_kv_num(pk, "level", t->level);
	mp_pack_kv_num(pk, "pref", t->pref);
	mp_pack_kv_num(pk, "travel", t->travel);
	mp_pack_kv_num(pk, "room_over", t->room_over);
	mp_pack_kv_num(pk, "pace", t->pace);
	mp_pack_kv_num(pk, "moved", t->moved);
}

static void pack_term(msgpack_packer *pk, const tt_model *m)
{
	msgpack_pack_map(pk, 5);
	mp_pack_kv_str(pk, "start", m->term_start);
	mp_pack_kv_str(pk, "end", m->term_end);
	mp_pack_kv_str(pk, "tz", m->tz);
	mp_pack_kv_str(pk, "as_of", m->as_of);
	mp_pack_str(pk, "holidays");
	msgpack_pack_array(pk, (size_t)m->n_holidays);
	for (int i = 0; i < m->n_holidays; i++)
		mp_pack_str(pk, m->holidays[i]);
}

static void pack_group(msgpack_packer *pk, const tt_model *m, const tt_solution *s, int k)
{
	char buf[32];
	const tt_group *g = &s->groups[k];
	const tt_running *rg = g->running >= 0 ? &m->running[g->running] : NULL;
	const char *gid = tt_group_name(m, s, k, buf, sizeof buf);
	int existing = rg ? rg->n_members : 0;
	static const char *const paces[] = {"slow", "average", "fast"};
	msgpack_pack_map(pk, 16);
	mp_pack_kv_str(pk, "id", rg ? rg->id : gid);
	mp_pack_kv_str(pk, "running", rg ? rg->id : NULL);
	/* a running group's first day, when the request gave it (a calendar
	 * starts its lessons then if that is after the term's start) */
	mp_pack_kv_str(pk, "start", rg ? rg->start : NULL);
	mp_pack_kv_str(pk, "route", tt_route_name(g->route));
	mp_pack_kv_str(pk, "level", tt_level_name(g->level));
	mp_pack_kv_str(pk, "pace", g->pace >= 0 && g->pace <= 2 ? paces[g->pace] : "average");
	mp_pack_kv_bool(pk, "alfa", g->alfa);
	mp_pack_kv_bool(pk, "women_only", g->women_only);
	mp_pack_str(pk, "dagdelen");
	pack_mask(pk, m, g->sessions);
	mp_pack_kv_str(pk, "location",
		       g->location >= 0 && g->location < m->n_locations ? m->locations[g->location].id
									: NULL);
	mp_pack_str(pk, "room");
	if (g->room >= 0 && g->room < m->n_rooms) {
		const tt_room *rm = &m->rooms[g->room];
		msgpack_pack_map(pk, 4);
		mp_pack_kv_str(pk, "id", rm->id);
		mp_pack_kv_str(pk, "name", rm->name);
		mp_pack_kv_int(pk, "capacity", rm->capacity);
		mp_pack_str(pk, "facilities");
		size_t nf = 0;
		for (int k = 0; k < m->n_facilities && k < 32; k++)
			nf += rm->facilities >> k & 1;
		msgpack_pack_array(pk, nf);
		for (int k = 0; k < m->n_facilities && k < 32; k++)
			if (rm->facilities >> k & 1)
				mp_pack_str(pk, m->facilities[k]);
	} else {
		msgpack_pack_nil(pk);
	}
	mp_pack_str(pk, "teacher");
	if (g->teacher >= 0 && g->teacher < m->n_teachers) {
		msgpack_pack_map(pk, 2);
		mp_pack_kv_str(pk, "id", m->teachers[g->teacher].id);
		mp_pack_kv_str(pk, "name", m->teachers[g->teacher].name);
	} else {
		msgpack_pack_nil(pk);
	}
	mp_pack_str(pk, "learners");
	msgpack_pack_array(pk, (size_t)g->n_members);
	for (int i = 0; i < g->n_members; i++)
		mp_pack_str(pk, m->learners[g->members[i]].id);
	mp_pack_kv_int(pk, "existing", existing);
	mp_pack_str(pk, "existing_learners");
	if (rg && rg->member_ids) {
		msgpack_pack_array(pk, (size_t)rg->n_members);
		for (int i = 0; i < rg->n_members; i++)
			mp_pack_str(pk, rg->member_ids[i]);
	} else {
		msgpack_pack_nil(pk);
	}
	mp_pack_kv_int(pk, "size", existing + g->n_members);
}

void tt_encode_answer(msgpack_packer *pk, const tt_model *m, const tt_solution *s,
		      const tt_check_result *chk, const tt_answer_meta *meta)
{
	msgpack_pack_map(pk, 28);
	mp_pack_kv_str(pk, "job", meta ? meta->job : NULL);
	mp_pack_kv_str(pk, "plan", meta ? meta->plan : NULL);
	mp_pack_kv_int(pk, "version", meta ? meta->version : 0);
	mp_pack_str(pk, "parent");
	if (meta && meta->parent > 0)
		msgpack_pack_int(pk, meta->parent);
	else
		msgpack_pack_nil(pk);
	mp_pack_kv_str(pk, "kind", "timetable");
	mp_pack_kv_int(pk, "group_seq", tt_group_seq(s));
	mp_pack_kv_str(pk, "tenant", meta ? meta->tenant : NULL);
	mp_pack_kv_str(pk, "status", tt_status_name(s->status));
	mp_pack_kv_num(pk, "objective", s->objective);
	mp_pack_kv_num(pk, "bound", s->bound);
	mp_pack_kv_num(pk, "gap", s->gap);
	mp_pack_kv_num(pk, "wanted_gap", s->gap_wanted);
	mp_pack_str(pk, "terms");
	pack_terms(pk, &s->terms);
	mp_pack_kv_num(pk, "seconds", s->seconds);
	mp_pack_kv_int(pk, "nodes", s->nodes);
	mp_pack_kv_str(pk, "message", s->message);
	mp_pack_str(pk, "start");
	if (s->start.used) {
		const tt_start_info *si = &s->start;
		msgpack_pack_map(pk, 10);
		mp_pack_kv_int(pk, "groups", si->groups);
		mp_pack_kv_int(pk, "kept", si->kept);
		mp_pack_kv_int(pk, "restaffed", si->restaffed);
		mp_pack_kv_int(pk, "dropped", si->dropped);
		mp_pack_kv_int(pk, "topped_up", si->topped_up);
		mp_pack_kv_int(pk, "learners_left_out", si->left_out);
		mp_pack_kv_int(pk, "unknown_learners", si->unknown);
		mp_pack_kv_num(pk, "objective", si->objective);
		static const char *const fates[] = {"kept", "restaffed", "dropped"};
		mp_pack_str(pk, "outcomes");
		msgpack_pack_array(pk, (size_t)si->n_out);
		for (int k = 0; k < si->n_out; k++) {
			const tt_start_outcome *oc = &si->out[k];
			msgpack_pack_map(pk, 3);
			mp_pack_kv_str(pk, "group", m->start[oc->q].id);
			mp_pack_kv_str(pk, "outcome", fates[oc->fate]);
			mp_pack_kv_str(pk, "reason", oc->reason);
		}
		mp_pack_str(pk, "changed");
		msgpack_pack_array(pk, (size_t)si->n_changed);
		for (int k = 0; k < si->n_changed; k++) {
			const tt_start_change *ch = &si->changed[k];
			msgpack_pack_map(pk, 5);
			mp_pack_kv_str(pk, "learner", m->learners[ch->learner].id);
			mp_pack_kv_str(pk, "group", m->start[ch->q].id);
			mp_pack_kv_str(pk, "outcome", ch->placed ? "moved" : "unplaced");
			mp_pack_kv_str(pk, "rule", ch->rule);
			mp_pack_kv_str(pk, "reason", ch->reason);
		}
	} else {
		msgpack_pack_nil(pk);
	}

	mp_pack_str(pk, "check");
	if (chk) {
		msgpack_pack_map(pk, 3);
		mp_pack_kv_bool(pk, "ok", chk->n_violations == 0 && chk->objective_matches);
		mp_pack_kv_num(pk, "objective", chk->objective);
		mp_pack_str(pk, "violations");
		msgpack_pack_array(pk, (size_t)chk->n_violations);
		for (int i = 0; i < chk->n_violations; i++) {
			msgpack_pack_map(pk, 2);
			mp_pack_kv_str(pk, "constraint", chk->violations[i].constraint);
			mp_pack_kv_str(pk, "message", chk->violations[i].message);
		}
	} else {
		msgpack_pack_nil(pk);
	}

	mp_pack_str(pk, "term");
	pack_term(pk, m);
	mp_pack_str(pk, "dagdelen");
	msgpack_pack_array(pk, (size_t)m->n_dagdelen);
	for (int t = 0; t < m->n_dagdelen; t++)
		mp_pack_dagdeel(pk, m->dagdelen[t].id, tt_day_name(m->dagdelen[t].day),
				m->dagdelen[t].start_min, m->dagdelen[t].end_min);
	mp_pack_str(pk, "locations");
	msgpack_pack_array(pk, (size_t)m->n_locations);
	for (int l = 0; l < m->n_locations; l++) {
		msgpack_pack_map(pk, 3);
		mp_pack_kv_str(pk, "id", m->locations[l].id);
		mp_pack_kv_str(pk, "name", m->locations[l].name);
		mp_pack_str(pk, "closed_dates");
		msgpack_pack_array(pk, (size_t)m->locations[l].n_closed_dates);
		for (int k = 0; k < m->locations[l].n_closed_dates; k++)
			mp_pack_str(pk, m->locations[l].closed_dates[k]);
	}
	mp_pack_str(pk, "routes");
	msgpack_pack_map(pk, TT_N_ROUTES);
	for (int r = 0; r < TT_N_ROUTES; r++) {
		mp_pack_str(pk, tt_route_name(r));
		const tt_route *rt = &m->routes[r];
		msgpack_pack_map(pk, 3 + (rt->min_minutes >= 0) + (rt->max_minutes >= 0));
		mp_pack_kv_int(pk, "min_size", rt->min_size);
		mp_pack_kv_int(pk, "max_size", rt->max_size);
		mp_pack_kv_int(pk, "sessions", rt->sessions);
		if (rt->min_minutes >= 0) {
			mp_pack_str(pk, "min_hours");
			msgpack_pack_double(pk, rt->min_minutes / 60.0);
		}
		if (rt->max_minutes >= 0) {
			mp_pack_str(pk, "max_hours");
			msgpack_pack_double(pk, rt->max_minutes / 60.0);
		}
	}
	mp_pack_str(pk, "groups");
	msgpack_pack_array(pk, (size_t)s->n_groups);
	for (int k = 0; k < s->n_groups; k++)
		pack_group(pk, m, s, k);
	int placed = 0;
	for (int k = 0; k < s->n_groups; k++)
		placed += s->groups[k].n_members;
	mp_pack_kv_int(pk, "placed", placed);
	mp_pack_kv_int(pk, "learners", m->n_learners);
	mp_pack_str(pk, "unplaced");
	msgpack_pack_array(pk, (size_t)s->n_unplaced);
	for (int k = 0; k < s->n_unplaced; k++) {
		const tt_unplaced *u = &s->unplaced[k];
		const tt_learner *l = &m->learners[u->learner];
		msgpack_pack_map(pk, 5);
		mp_pack_kv_str(pk, "learner", l->id);
		mp_pack_kv_str(pk, "route", tt_route_name(l->route));
		mp_pack_kv_str(pk, "level", tt_level_name(l->level));
		mp_pack_kv_int(pk, "weeks_waiting", l->weeks_waiting);
		mp_pack_str(pk, "reasons");
		msgpack_pack_array(pk, (size_t)u->n_reasons);
		for (int r = 0; r < u->n_reasons; r++) {
			msgpack_pack_map(pk, 2);
			mp_pack_kv_str(pk, "code", tt_reason_name(u->reasons[r].code));
			mp_pack_kv_str(pk, "text", u->reasons[r].text);
		}
	}
	mp_pack_str(pk, "conflicts");
	msgpack_pack_array(pk, (size_t)s->n_conflicts);
	for (int k = 0; k < s->n_conflicts; k++)
		mp_pack_str(pk, s->conflicts[k]);
	mp_pack_kv_bool(pk, "conflicts_complete", !s->conflicts_partial);
}

/* ---- answer → tt_solution (for the offline checker) ---- */

static int find_id(const char *p, size_t n, int count, const void *base, size_t stride,
		   size_t off)
{
	for (int i = 0; i < count; i++) {
		const char *id = *(char *const *)((const char *)base + (size_t)i * stride + off);
		if (strlen(id) == n && memcmp(id, p, n) == 0)
			return i;
	}
	return -1;
}

#define FIND(m, arr, cnt, type, p, n) find_id(p, n, (m)->cnt, (m)->arr, sizeof(type), offsetof(type, id))

static int ref_of(mp_ctx *c, const msgpack_object *o, const char **p, size_t *n)
{
	if (o && o->type == MSGPACK_OBJECT_MAP)
		o = mp_get(o, "id");
	if (!mp_str(o, p, n))
		return mp_fail(c, RS_EBADREQ, "expected an id");
	return 0;
}

static int dec_group(mp_ctx *c, const msgpack_object *o, const tt_model *m, strmap *learners,
		     tt_group *g)
{
	const char *p;
	size_t n;
	g->running = g->room = g->teacher = g->location = -1;
	const msgpack_object *v = mp_get(o, "running");
	if (v && mp_str(v, &p, &n)) {
		g->running = FIND(m, running, n_running, tt_running, p, n);
		if (g->running < 0)
			return mp_fail(c, RS_EBADREQ, "running: unknown running group '%.*s'", (int)n,
				       p);
	}
	if (!mp_str(mp_get(o, "route"), &p, &n) || (g->route = tt_parse_route(p, n)) < 0)
		return mp_fail(c, RS_EBADREQ, "route: expected B1, Z or OR");
	if (!mp_str(mp_get(o, "level"), &p, &n) || (g->level = tt_parse_level(p, n)) < 0)
		return mp_fail(c, RS_EBADREQ, "level: expected A0..B2");
	/* pace: optional (answers before the pace term had none) */
	g->pace = 1;
	const msgpack_object *pv = mp_get(o, "pace");
	if (pv && pv->type != MSGPACK_OBJECT_NIL) {
		static const char *const paces[] = {"slow", "average", "fast"};
		g->pace = -1;
		for (int k = 0; k < 3 && mp_str(pv, &p, &n); k++)
			if (strlen(paces[k]) == n && !memcmp(paces[k], p, n))
				g->pace = k;
		if (g->pace < 0)
			return mp_fail(c, RS_EBADREQ, "pace: expected slow, average or fast");
	}
	if (mp_field_bool(c, o, "alfa", false, &g->alfa) ||
	    mp_field_bool(c, o, "women_only", false, &g->women_only))
		return c->rc;
	const msgpack_object_array *a;
	if (mp_field_array(c, o, "dagdelen", true, TT_MAX_DAGDELEN, &a))
		return c->rc;
	for (uint32_t i = 0; i < a->size; i++) {
		int t = -1;
		if (mp_str(&a->ptr[i], &p, &n))
			for (int k = 0; k < m->n_dagdelen && t < 0; k++)
				if (strlen(m->dagdelen[k].id) == n && !memcmp(m->dagdelen[k].id, p, n))
					t = k;
		if (t < 0)
			return mp_fail(c, RS_EBADREQ, "dagdelen[%u]: unknown dagdeel", i);
		g->sessions |= (tt_mask)1 << t;
	}
	if (ref_of(c, mp_get(o, "location"), &p, &n) ||
	    (g->location = FIND(m, locations, n_locations, tt_location, p, n)) < 0)
		return mp_fail(c, RS_EBADREQ, "location: unknown location");
	if (ref_of(c, mp_get(o, "room"), &p, &n) ||
	    (g->room = FIND(m, rooms, n_rooms, tt_room, p, n)) < 0)
		return mp_fail(c, RS_EBADREQ, "room: unknown room");
	if (ref_of(c, mp_get(o, "teacher"), &p, &n) ||
	    (g->teacher = FIND(m, teachers, n_teachers, tt_teacher, p, n)) < 0)
		return mp_fail(c, RS_EBADREQ, "teacher: unknown teacher");
	if (mp_field_array(c, o, "learners", true, 1000000, &a))
		return c->rc;
	g->members = xcalloc(a->size, sizeof(int));
	for (uint32_t i = 0; i < a->size; i++) {
		int l = mp_str(&a->ptr[i], &p, &n) ? strmap_get(learners, p, n) : -1;
		if (l < 0)
			return mp_fail(c, RS_EBADREQ, "learners[%u]: unknown learner", i);
		g->members[g->n_members++] = l;
	}
	return 0;
}

int tt_decode_solution(const msgpack_object *ans, const tt_model *m, tt_solution *s, mp_ctx *c)
{
	memset(s, 0, sizeof *s);
	if (ans->type != MSGPACK_OBJECT_MAP)
		return mp_fail(c, RS_EBADREQ, "the solution must be a map");
	strmap learners;
	strmap_init(&learners);
	for (int i = 0; i < m->n_learners; i++)
		strmap_put(&learners, m->learners[i].id, strlen(m->learners[i].id), i);
	const msgpack_object *st = mp_get(ans, "status");
	s->status = st ? -1 : TT_FEASIBLE;
	for (int k = 0; k <= TT_CANCELLED; k++)
		if (mp_eq(st, tt_status_name(k)))
			s->status = k;
	if (s->status < 0) {
		strmap_free(&learners);
		return mp_fail(c, RS_EBADREQ,
			       "status: expected optimal, feasible, time_limit, infeasible or cancelled");
	}
	mp_field_num(c, ans, "objective", false, -1e18, 1e18, &s->objective);
	/* the gap the solve was asked for (answers since 2026-11-29) */
	mp_field_num(c, ans, "wanted_gap", false, 0, 1, &s->gap_wanted);
	mp_field_num(c, ans, "bound", false, -1e18, 1e18, &s->bound);
	/* the answer's terms, bound and gap, when it states them all, are
	 * claims the checker verifies */
	const msgpack_object_map *tmap = NULL;
	if (!c->rc)
		mp_field_map(c, ans, "terms", false, &tmap);
	const msgpack_object *tm = tmap ? mp_get(ans, "terms") : NULL;
	if (!c->rc && tm && mp_get(ans, "bound") && mp_get(ans, "gap")) {
		mp_field_num(c, ans, "gap", true, -1e18, 1e18, &s->gap);
		size_t sv = mp_push_key(c, "terms");
		double *f[] = {&s->terms.unplaced, &s->terms.wait,   &s->terms.group,
			       &s->terms.spread,   &s->terms.level,  &s->terms.pref,
			       &s->terms.travel,   &s->terms.room_over, &s->terms.pace,
			       &s->terms.moved};
		/* (answers before the moved weight have no "moved": 0) */
		static const char *const names[] = {"unplaced", "wait",   "group",
						    "spread",   "level",  "pref",
						    "travel",   "room_over", "pace", "moved"};
		for (int k = 0; k < 10 && !c->rc; k++)
			mp_field_num(c, tm, names[k], false, -1e18, 1e18, f[k]);
		mp_pop(c, sv);
		s->claims = !c->rc;
	}
	const msgpack_object_array *cf = NULL;
	if (!c->rc)
		mp_field_array(c, ans, "conflicts", false, 64, &cf);
	if (cf) {
		/* for the checker's test of an infeasible answer's families */
		s->conflicts = xcalloc(cf->size + 1, sizeof *s->conflicts);
		for (uint32_t k = 0; k < cf->size; k++) {
			const msgpack_object *v = &cf->ptr[k];
			s->conflicts[s->n_conflicts++] =
				v->type == MSGPACK_OBJECT_STR
					? xstrndup(v->via.str.ptr, v->via.str.size)
					: xstrdup("(not a string)");
		}
	}
	const msgpack_object_array *a = NULL;
	if (!c->rc)
		mp_field_array(c, ans, "groups", true, 100000, &a);
	if (a) {
		s->groups = xcalloc(a->size, sizeof *s->groups);
		for (uint32_t i = 0; i < a->size && !c->rc; i++) {
			size_t sv = mp_push_key(c, "groups");
			mp_push_idx(c, i);
			s->n_groups = (int)i + 1;
			dec_group(c, &a->ptr[i], m, &learners, &s->groups[i]);
			/* a new group's id, for the checker's messages */
			const char *gp;
			size_t gn;
			const msgpack_object *gi = mp_get(&a->ptr[i], "id");
			if (!c->rc && s->groups[i].running < 0 && gi && mp_str(gi, &gp, &gn) && gn < 64 &&
			    !memchr(gp, 0, gn)) {
				if (!s->names)
					s->names = xcalloc(a->size, sizeof *s->names);
				s->names[i] = xstrndup(gp, gn);
			}
			mp_pop(c, sv);
		}
	}
	/* the placed and learners counts, when stated, are claims too */
	if (!c->rc && (mp_get(ans, "placed") || mp_get(ans, "learners"))) {
		int64_t placed = 0, n = 0;
		mp_field_int(c, ans, "placed", true, 0, INT32_MAX, &placed);
		mp_field_int(c, ans, "learners", true, 0, INT32_MAX, &n);
		s->said_counts = true;
		s->said_placed = (int)placed;
		s->said_learners = (int)n;
	}
	/* the learners the answer lists as waiting, as listed (the checker
	 * finds one listed twice, or also in a group, or left out) */
	const msgpack_object_array *ua = NULL;
	if (!c->rc)
		mp_field_array(c, ans, "unplaced", false, 10000000, &ua);
	if (ua) {
		s->unplaced = xcalloc((size_t)ua->size + 1, sizeof *s->unplaced);
		for (uint32_t k = 0; k < ua->size && !c->rc; k++) {
			const char *p;
			size_t n;
			size_t sv = mp_push_key(c, "unplaced");
			mp_push_idx(c, k);
			const msgpack_object *u = &ua->ptr[k];
			const msgpack_object *v = u->type == MSGPACK_OBJECT_MAP ? mp_get(u, "learner") : u;
			bool str = v && mp_str(v, &p, &n);
			int i = str ? strmap_get(&learners, p, n) : -1;
			if (!str)
				mp_fail(c, RS_EBADREQ, "learner: expected a learner id");
			else if (i < 0)
				mp_fail(c, RS_EBADREQ, "learner: unknown learner '%.*s'",
					n > 64 ? 64 : (int)n, p);
			else
				s->unplaced[s->n_unplaced++].learner = i;
			mp_pop(c, sv);
		}
	}
	/* without a list, everyone not in a group is unplaced */
	if (!c->rc && !ua) {
		char *in = xcalloc((size_t)m->n_learners + 1, 1);
		for (int k = 0; k < s->n_groups; k++)
			for (int i = 0; i < s->groups[k].n_members; i++)
				in[s->groups[k].members[i]] = 1;
		s->unplaced = xcalloc((size_t)m->n_learners + 1, sizeof *s->unplaced);
		for (int i = 0; i < m->n_learners; i++)
			if (!in[i])
				s->unplaced[s->n_unplaced++].learner = i;
		free(in);
	}
	strmap_free(&learners);
	if (c->rc)
		tt_solution_free(s);
	return c->rc;
}

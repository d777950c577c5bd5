/* pm_encode.c: a placement matching → the answer map (docs/placement.md).
 * Everything a renderer needs travels with it: names, dagdelen, capacities. */
#include "pm.h"

#include "tt_decode.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void pack_mask(msgpack_packer *pk, const pm_model *m, pm_mask d)
{
	msgpack_pack_array(pk, (size_t)__builtin_popcount(d));
	for (int t = 0; t < m->n_dagdelen; t++)
		if (d >> t & 1)
			mp_pack_str(pk, m->dagdelen[t].id);
}

/* The later of as_of and the placement's available_from (either may be NULL). */
static const char *start_of(const pm_model *m, const pm_placement *w)
{
	if (!w->available_from)
		return m->as_of;
	if (!m->as_of)
		return w->available_from;
	return strcmp(w->available_from, m->as_of) > 0 ? w->available_from : m->as_of;
}

static void pack_terms(msgpack_packer *pk, const pm_terms *t)
{
	msgpack_pack_map(pk, 7);
	mp_pack_kv_num(pk, "unplaced", t->unplaced);
	mp_pack_kv_num(pk, "wait", t->wait);
	mp_pack_kv_num(pk, "travel", t->travel);
	mp_pack_kv_num(pk, "not_preferred", t->not_preferred);
	mp_pack_kv_num(pk, "hours_short", t->hours_short);
	mp_pack_kv_num(pk, "same_tongue", t->same_tongue);
	mp_pack_kv_num(pk, "moved", t->moved);
}

void pm_encode_answer(msgpack_packer *pk, const pm_model *m, const pm_solution *s,
		      const pm_check_result *chk, const pm_answer_meta *meta)
{
	int P = m->n_participants, W = m->n_placements, placed = 0;
	int *used = xcalloc((size_t)(W ? W : 1), sizeof(int));
	double *hours = xcalloc((size_t)(W ? W : 1), sizeof(double));
	for (int p = 0; p < P; p++) {
		int w = s->placement[p];
		if (w < 0)
			continue;
		placed++;
		used[w]++;
		hours[w] += m->pair_hours ? m->pair_hours[(size_t)p * (size_t)W + (size_t)w]
					  : pm_mask_hours(m, s->dagdelen[p]);
	}
	msgpack_pack_map(pk, 25);
	mp_pack_kv_str(pk, "job", meta ? meta->job : NULL);
	mp_pack_kv_str(pk, "plan", meta ? meta->plan : NULL);
	mp_pack_kv_int(pk, "version", meta ? meta->version : 0);
	mp_pack_str(pk, "parent");
	if (meta && meta->parent)
		msgpack_pack_int(pk, meta->parent);
	else
		msgpack_pack_nil(pk);
	mp_pack_kv_str(pk, "kind", "placement");
	mp_pack_kv_str(pk, "tenant", meta ? meta->tenant : NULL);
	mp_pack_kv_str(pk, "status", s->status);
	mp_pack_kv_num(pk, "objective", s->objective);
	mp_pack_kv_num(pk, "bound", s->bound);
	mp_pack_kv_num(pk, "gap", s->gap);
	mp_pack_kv_num(pk, "wanted_gap", meta && meta->wanted_gap > 0 ? meta->wanted_gap : 1e-4);
	mp_pack_str(pk, "terms");
	pack_terms(pk, &s->terms);
	mp_pack_kv_num(pk, "seconds", s->seconds);
	mp_pack_kv_int(pk, "nodes", s->nodes);
	mp_pack_kv_str(pk, "message", s->message);

	mp_pack_str(pk, "check");
	msgpack_pack_map(pk, 3);
	mp_pack_kv_bool(pk, "ok", chk && chk->n_violations == 0 && chk->objective_matches);
	mp_pack_kv_num(pk, "objective", chk ? chk->objective : s->objective);
	mp_pack_str(pk, "violations");
	msgpack_pack_array(pk, chk ? (size_t)chk->n_violations : 0);
	for (int i = 0; chk && i < chk->n_violations; i++) {
		msgpack_pack_map(pk, 2);
		mp_pack_kv_str(pk, "constraint", chk->violations[i].constraint);
		mp_pack_kv_str(pk, "message", chk->violations[i].message);
	}

	mp_pack_kv_str(pk, "as_of", m->as_of);
	mp_pack_str(pk, "lessons_from");
	if (m->lessons_from.plan) {
		msgpack_pack_map(pk, 4);
		mp_pack_kv_str(pk, "plan", m->lessons_from.plan);
		mp_pack_kv_int(pk, "version", m->lessons_from.version);
		mp_pack_kv_int(pk, "participants", m->lessons_from.participants);
		mp_pack_kv_int(pk, "lessons", m->lessons_from.lessons);
	} else {
		msgpack_pack_nil(pk);
	}
	mp_pack_str(pk, "dagdelen");
	msgpack_pack_array(pk, (size_t)m->n_dagdelen);
	for (int t = 0; t < m->n_dagdelen; t++)
		mp_pack_dagdeel(pk, m->dagdelen[t].id, tt_day_name(m->dagdelen[t].day),
				m->dagdelen[t].start_min, m->dagdelen[t].end_min);

	mp_pack_str(pk, "placements");
	msgpack_pack_array(pk, (size_t)W);
	for (int w = 0; w < W; w++) {
		const pm_placement *pw = &m->placements[w];
		msgpack_pack_map(pk, 11);
		mp_pack_kv_str(pk, "id", pw->id);
		mp_pack_kv_str(pk, "name", pw->name);
		mp_pack_kv_str(pk, "type", pm_type_name(pw->type));
		mp_pack_kv_str(pk, "location", m->locations[pw->location].id);
		mp_pack_kv_str(pk, "location_name", m->locations[pw->location].name);
		mp_pack_kv_int(pk, "capacity", pw->capacity);
		mp_pack_kv_int(pk, "used", used[w]);
		mp_pack_kv_num(pk, "hours", hours[w]);
		mp_pack_str(pk, "hours_capacity");
		if (pw->hours_capacity >= 0)
			msgpack_pack_double(pk, pw->hours_capacity);
		else
			msgpack_pack_nil(pk);
		mp_pack_kv_str(pk, "start", start_of(m, pw));
		mp_pack_kv_str(pk, "until", pw->available_until);
	}

	mp_pack_str(pk, "matches");
	msgpack_pack_array(pk, (size_t)placed);
	for (int p = 0; p < P; p++) {
		int w = s->placement[p];
		if (w < 0)
			continue;
		const pm_participant *pp = &m->participants[p];
		const pm_placement *pw = &m->placements[w];
		msgpack_pack_map(pk, 8);
		mp_pack_kv_str(pk, "participant", pp->id);
		mp_pack_kv_str(pk, "placement", pw->id);
		mp_pack_str(pk, "dagdelen");
		pack_mask(pk, m, s->dagdelen[p]);
		mp_pack_kv_num(pk, "hours", m->pair_hours ? m->pair_hours[(size_t)p * (size_t)W + (size_t)w]
							   : pm_mask_hours(m, s->dagdelen[p]));
		mp_pack_kv_int(pk, "travel", m->pair_hours ? 0 : pp->travel[pw->location]);
		mp_pack_kv_str(pk, "start", start_of(m, pw));
		mp_pack_kv_str(pk, "until", pw->available_until);
		mp_pack_kv_bool(pk, "moved", pp->current != -1 && pp->current != w);
	}
	mp_pack_kv_int(pk, "placed", placed);
	mp_pack_kv_int(pk, "participants", P);

	mp_pack_str(pk, "unplaced");
	msgpack_pack_array(pk, (size_t)(P - placed));
	for (int p = 0; p < P; p++) {
		if (s->placement[p] >= 0)
			continue;
		const pm_participant *pp = &m->participants[p];
		msgpack_pack_map(pk, 5);
		mp_pack_kv_str(pk, "participant", pp->id);
		mp_pack_kv_int(pk, "weeks_waiting", pp->weeks_waiting);
		mp_pack_kv_str(pk, "current", pp->current_id);
		mp_pack_kv_bool(pk, "must_place", pp->must_place);
		mp_pack_str(pk, "reasons");
		int nr = s->n_reasons ? s->n_reasons[p] : 0;
		msgpack_pack_array(pk, (size_t)nr);
		for (int k = 0; k < nr; k++) {
			msgpack_pack_map(pk, 2);
			mp_pack_kv_str(pk, "code", s->reasons[p][k].code);
			mp_pack_kv_str(pk, "text", s->reasons[p][k].text);
		}
	}
	/* what the request weighed, so a renderer can show the terms' prices */
	mp_pack_str(pk, "weights");
	msgpack_pack_map(pk, 7);
	mp_pack_kv_num(pk, "unplaced", m->w.unplaced);
	mp_pack_kv_num(pk, "wait_week", m->w.wait_week);
	mp_pack_kv_num(pk, "travel", m->w.travel);
	mp_pack_kv_num(pk, "not_preferred", m->w.not_preferred);
	mp_pack_kv_num(pk, "hours_short", m->w.hours_short);
	mp_pack_kv_num(pk, "same_tongue", m->w.same_tongue);
	mp_pack_kv_num(pk, "moved", m->w.moved);
	free(used), free(hours);
}

/* tt_model.c: defaults, names and release of the timetable model and solution. */
#include "tt_model.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tt_mask_minutes(const tt_model *m, tt_mask mask)
{
	int min = 0;
	for (int t = 0; t < m->n_dagdelen; t++)
		if (mask >> t & 1)
			min += m->dagdelen[t].end_min - m->dagdelen[t].start_min;
	return min;
}

int tt_load_unit(const tt_model *m)
{
	int g = 0;
	for (int t = 0; t < m->n_dagdelen; t++) {
		int a = m->dagdelen[t].end_min - m->dagdelen[t].start_min;
		if (a <= 0)
			continue;
		while (a) {
			int r = g % a;
			g = a;
			a = r;
		}
	}
	return g > 0 ? g : 180;
}

int tt_mask_load(const tt_model *m, tt_mask mask)
{
	int unit = tt_load_unit(m), load = 0;
	for (int t = 0; t < m->n_dagdelen; t++)
		if (mask >> t & 1) {
			int len = m->dagdelen[t].end_min - m->dagdelen[t].start_min;
			load += len > 0 ? len / unit : 0;
		}
	return load;
}

void tt_model_defaults(tt_model *m)
{
	static const tt_route def[TT_N_ROUTES] = {
		[TT_ROUTE_B1] = {.min_size = 10, .max_size = 20, .sessions = 3, .max_level_spread = 1,
				 .same_day_ok = false, .alfa_separate = true, .quals = TT_QUAL_NT2,
				 .level_skill = -1, .min_minutes = -1, .max_minutes = -1},
		[TT_ROUTE_Z] = {.min_size = 3, .max_size = 8, .sessions = 2, .max_level_spread = 1,
				.same_day_ok = false, .alfa_separate = true,
				.quals = TT_QUAL_NT2 | TT_QUAL_Z, .level_skill = -1, .min_minutes = -1,
				.max_minutes = -1},
		[TT_ROUTE_OR] = {.min_size = 6, .max_size = 16, .sessions = 4, .max_level_spread = 1,
				 .same_day_ok = false, .alfa_separate = true, .quals = TT_QUAL_NT2,
				 .level_skill = -1, .min_minutes = -1, .max_minutes = -1},
	};
	memcpy(m->routes, def, sizeof def);
	m->w = (tt_weights){.unplaced = 1000, .wait_week = 10, .group = 300, .spread = 20,
			    .level = 20, .pref = 5, .travel = 1};
	m->room_capacity_soft = false;
	m->room_seat_penalty = 0;
}

void tt_model_free(tt_model *m)
{
	if (!m)
		return;
	free(m->term_start);
	free(m->term_end);
	free(m->as_of);
	free(m->tz);
	for (int i = 0; i < m->n_holidays; i++)
		free(m->holidays[i]);
	free(m->holidays);
	for (int i = 0; i < m->n_dagdelen; i++)
		free(m->dagdelen[i].id);
	free(m->dagdelen);
	for (int i = 0; i < m->n_locations; i++) {
		free(m->locations[i].id);
		free(m->locations[i].name);
		for (int k = 0; k < m->locations[i].n_closed_dates; k++)
			free(m->locations[i].closed_dates[k]);
		free(m->locations[i].closed_dates);
	}
	free(m->locations);
	for (int i = 0; i < m->n_rooms; i++) {
		free(m->rooms[i].id);
		free(m->rooms[i].name);
	}
	free(m->rooms);
	for (int i = 0; i < m->n_modules; i++) {
		free(m->modules[i].id);
		free(m->modules[i].module);
		free(m->modules[i].members);
	}
	free(m->modules);
	for (int i = 0; i < m->n_start; i++) {
		free(m->start[i].members);
		free(m->start[i].id);
		free(m->start[i].lost);
		free(m->start[i].room_gone);
		free(m->start[i].teacher_gone);
	}
	free(m->start);
	for (int i = 0; i < m->n_teachers; i++) {
		free(m->teachers[i].id);
		free(m->teachers[i].name);
	}
	free(m->teachers);
	for (int i = 0; i < m->n_childcare; i++) {
		free(m->childcare[i].id);
		free(m->childcare[i].name);
		free(m->childcare[i].places);
		free(m->childcare[i].travel);
	}
	free(m->childcare);
	for (int i = 0; i < m->n_learners; i++) {
		free(m->learners[i].id);
		free(m->learners[i].travel);
	}
	free(m->learners);
	for (int i = 0; i < m->n_running; i++) {
		free(m->running[i].id);
		free(m->running[i].start);
		free(m->running[i].households);
		for (int k = 0; m->running[i].member_ids && k < m->running[i].n_members; k++)
			free(m->running[i].member_ids[k]);
		free(m->running[i].member_ids);
	}
	free(m->running);
	for (int i = 0; i < m->n_facilities; i++)
		free(m->facilities[i]);
	free(m->facilities);
	memset(m, 0, sizeof *m);
}

void tt_start_info_free(tt_start_info *si)
{
	for (int k = 0; k < si->n_out; k++)
		free(si->out[k].reason);
	free(si->out);
	si->out = NULL;
	si->n_out = 0;
	tt_start_changes_free(si);
}

void tt_start_changes_free(tt_start_info *si)
{
	for (int k = 0; k < si->n_changed; k++)
		free(si->changed[k].reason);
	free(si->changed);
	si->changed = NULL;
	si->n_changed = 0;
}

void tt_solution_free(tt_solution *s)
{
	if (!s)
		return;
	tt_start_info_free(&s->start);
	if (s->names)
		for (int k = 0; k < s->n_groups; k++)
			free(s->names[k]);
	free(s->names);
	for (int i = 0; i < s->n_groups; i++)
		free(s->groups[i].members);
	free(s->groups);
	for (int i = 0; i < s->n_unplaced; i++) {
		for (int k = 0; k < s->unplaced[i].n_reasons; k++)
			free(s->unplaced[i].reasons[k].text);
		free(s->unplaced[i].reasons);
	}
	free(s->unplaced);
	for (int i = 0; i < s->n_conflicts; i++)
		free(s->conflicts[i]);
	free(s->conflicts);
	free(s->message);
	memset(s, 0, sizeof *s);
}

static bool tt_running_id_taken(const tt_model *m, const char *id)
{
	for (int r = 0; r < m->n_running; r++)
		if (m->running[r].id && strcmp(m->running[r].id, id) == 0)
			return true;
	return false;
}

char *tt_new_group_id(const tt_model *m, int k, char *buf, size_t n)
{
	snprintf(buf, n, "g%d", k + 1);
	for (int v = 2; tt_running_id_taken(m, buf); v++)
		snprintf(buf, n, "g%d.%d", k + 1, v);
	return buf;
}

const char *tt_group_name(const tt_model *m, const tt_solution *s, int k, char *buf, size_t n)
{
	if (s && s->names && k >= 0 && k < s->n_groups && s->names[k])
		return s->names[k];
	return tt_new_group_id(m, k, buf, n);
}

int tt_group_seq(const tt_solution *s)
{
	if (s->group_seq > 0) /* (a start may state up to the maximum) */
		return s->group_seq < TT_MAX_GROUP_SEQ ? s->group_seq : TT_MAX_GROUP_SEQ;
	int seq = 0;
	for (int k = 0; k < s->n_groups; k++)
		if (s->groups[k].running < 0 && !(s->names && s->names[k]))
			seq = k + 1;
	return seq;
}

typedef struct tt_pair {
	int shared, k, q;
} tt_pair;

static int tt_pair_cmp(const void *a, const void *b)
{
	const tt_pair *x = a, *y = b;
	if (x->shared != y->shared)
		return y->shared - x->shared;
	if (x->k != y->k)
		return x->k - y->k;
	return x->q - y->q;
}

/* Is id taken: a running group's, a start group's, or given already? */
static bool tt_id_taken(const tt_model *m, char **names, int n, const char *id)
{
	if (tt_running_id_taken(m, id))
		return true;
	for (int q = 0; q < m->n_start; q++)
		if (m->start[q].id && strcmp(m->start[q].id, id) == 0)
			return true;
	for (int k = 0; k < n; k++)
		if (names[k] && strcmp(names[k], id) == 0)
			return true;
	return false;
}

void tt_name_groups(const tt_model *m, tt_solution *s)
{
	if (!m->has_start)
		return;
	int ng = s->n_groups;
	char **names = xcalloc((size_t)ng + 1, sizeof *names);
	int *in = xmalloc(((size_t)m->n_learners + 1) * sizeof *in);
	for (int i = 0; i < m->n_learners; i++)
		in[i] = -1;
	for (int k = 0; k < ng; k++)
		for (int a = 0; a < s->groups[k].n_members; a++) {
			int i = s->groups[k].members[a];
			if (i >= 0 && i < m->n_learners && in[i] < 0)
				in[i] = k;
		}
	tt_pair *pr = NULL;
	size_t np = 0;
	for (int q = 0; q < m->n_start; q++) {
		const tt_start_group *sg = &m->start[q];
		if (sg->running != -1 || !sg->id || sg->sessions_lost || tt_running_id_taken(m, sg->id))
			continue;
		for (int k = 0; k < ng; k++) {
			const tt_group *g = &s->groups[k];
			if (g->running >= 0 || g->sessions != sg->sessions || g->location != sg->location)
				continue;
			int shared = 0;
			for (int a = 0; a < sg->n_members; a++) {
				int i = sg->members[a];
				shared += i >= 0 && i < m->n_learners && in[i] == k;
			}
			if (shared > 0) {
				pr = xrealloc(pr, (np + 1) * sizeof *pr);
				pr[np++] = (tt_pair){shared, k, q};
			}
		}
	}
	if (np)
		qsort(pr, np, sizeof *pr, tt_pair_cmp);
	bool *qused = xcalloc((size_t)m->n_start + 1, sizeof *qused);
	for (size_t t = 0; t < np; t++) {
		const char *id = m->start[pr[t].q].id;
		if (names[pr[t].k] || qused[pr[t].q])
			continue;
		bool dup = false; /* a start may list one id twice */
		for (int k = 0; k < ng && !dup; k++)
			dup = names[k] && strcmp(names[k], id) == 0;
		if (dup)
			continue;
		names[pr[t].k] = xstrdup(id);
		qused[pr[t].q] = true;
	}
	/* on from the highest number given: the start's group_seq, or its
	 * own gN ids (a start from before group_seq) */
	int next = m->start_seq;
	for (int q = 0; q < m->n_start; q++) {
		const char *id = m->start[q].id;
		if (!id || id[0] != 'g' || id[1] < '1' || id[1] > '9')
			continue;
		char *end;
		long v = strtol(id + 1, &end, 10);
		if (!*end && v > next && v < 100000000)
			next = (int)v;
	}
	char buf[32];
	for (int k = 0; k < ng; k++) {
		if (s->groups[k].running >= 0 || names[k])
			continue;
		do
			snprintf(buf, sizeof buf, "g%d", ++next);
		while (tt_id_taken(m, names, ng, buf));
		names[k] = xstrdup(buf);
	}
	s->group_seq = next;
	free(pr);
	free(qused);
	free(in);
	if (s->names)
		for (int k = 0; k < ng; k++)
			free(s->names[k]);
	free(s->names);
	s->names = names;
}

const char *tt_status_name(int status)
{
	switch (status) {
	case TT_OPTIMAL:
		return "optimal";
	case TT_FEASIBLE:
		return "feasible";
	case TT_INFEASIBLE:
		return "infeasible";
	case TT_TIME_LIMIT:
		return "time_limit";
	case TT_CANCELLED:
		return "cancelled";
	}
	return "unknown";
}

void tt_start_first(const tt_model *m, int *first)
{
	for (int i = 0; i < m->n_learners; i++)
		first[i] = -1;
	for (int q = 0; q < m->n_start; q++)
		for (int k = 0; k < m->start[q].n_members; k++) {
			int i = m->start[q].members[k];
			if (i >= 0 && i < m->n_learners && first[i] < 0)
				first[i] = q;
		}
}

bool tt_start_moves(const tt_model *m, int q, int run, tt_mask mask, int loc)
{
	const tt_start_group *g = &m->start[q];
	if (g->running >= 0)
		return run != g->running;
	if (g->running != -1 || g->sessions_lost || g->location < 0 || run >= 0 || loc < 0)
		return true; /* its group is gone, or it joins or waits now */
	return mask != g->sessions || loc != g->location;
}

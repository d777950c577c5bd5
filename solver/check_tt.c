/* check_tt.c: the independent checker of term timetables: verifies every hard
 * constraint of a tt_solution against its tt_model, names each violation by
 * constraint family with ids, and recomputes the objective from the weights.
 * Written from the model's definition only; shares no code with the solver. */
#include "check_tt.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_error.h"
#include "xalloc.h"

/* At most this many violations are listed; one more entry says how many
 * were left out (a broken plan of thousands of learners stays readable). */
#define CHK_MAX_LISTED 500

/* One group as it really runs this week: a group of the plan, or a running
 * group of the model the plan does not list (it still holds its room and
 * teacher). Running groups take their fixed fields from the model. */
typedef struct chk_group {
	int plan;        /* index into s->groups, -1 = running group not in the plan */
	int running;     /* index into m->running, -1 = new group */
	int route, level;
	int pace;        /* 0 slow, 1 average, 2 fast */
	bool alfa, women_only;
	tt_mask sessions;
	int location, room, teacher; /* -1 when unknown */
	int existing;    /* members already in a running group */
	int n_new;       /* valid members placed by the plan */
	bool ok;         /* route, location, room and teacher are usable */
	char *name;
} chk_group;

typedef struct chk {
	const tt_model *m;
	const tt_solution *s;
	tt_check_result *r;
	int cap;
	int left_out;
	tt_mask all; /* every dagdeel of the model */
	int n_eg;
	chk_group *eg;
} chk;

static void vadd(chk *c, const char *family, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void vadd(chk *c, const char *family, const char *fmt, ...)
{
	tt_check_result *r = c->r;
	if (r->n_violations >= CHK_MAX_LISTED) {
		c->left_out++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (r->n_violations == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		r->violations = xrealloc(r->violations, sizeof *r->violations * (size_t)c->cap);
	}
	r->violations[r->n_violations].constraint = xstrdup(family);
	r->violations[r->n_violations].message = msg;
	r->n_violations++;
}

static int popcount(tt_mask x)
{
	return __builtin_popcount(x);
}

/* Learner index of member j of plan group g, -1 when the plan lacks one. */
static int member(const tt_group *g, int j)
{
	return g->members ? g->members[j] : -1;
}

static const char *learner_id(const chk *c, int i)
{
	return c->m->learners[i].id;
}

static const char *dd_id(const chk *c, int t)
{
	return c->m->dagdelen[t].id;
}

static bool has_loc(uint64_t set, int l)
{
	return l >= 0 && l < 64 && (set >> l & 1);
}

static void hhmm(char *buf, size_t n, int min)
{
	if (min < 0)
		snprintf(buf, n, "--:--");
	else
		snprintf(buf, n, "%02d:%02d", min / 60 % 100, min % 60);
}

/* ---- building the effective groups ---- */

static void build_groups(chk *c)
{
	const tt_model *m = c->m;
	const tt_solution *s = c->s;
	bool *listed = xcalloc((size_t)m->n_running + 1, sizeof(bool));
	c->eg = xcalloc((size_t)s->n_groups + (size_t)m->n_running + 1, sizeof *c->eg);
	for (int k = 0; k < s->n_groups; k++) {
		const tt_group *g = &s->groups[k];
		chk_group *e = &c->eg[c->n_eg++];
		e->plan = k;
		e->running = -1;
		e->ok = true;
		if (g->running >= m->n_running || g->running < -1) {
			char gid[48];
			e->name = xstrdup(tt_group_name(m, s, k, gid, sizeof gid));
			vadd(c, "group_fields", "group %s names running group index %d, which does not exist",
			     e->name, g->running);
			e->ok = false;
		} else if (g->running >= 0) {
			const tt_running *rg = &m->running[g->running];
			e->name = xstrdup(rg->id);
			if (listed[g->running]) {
				vadd(c, "group_fields", "running group %s appears more than once in the plan",
				     rg->id);
				e->ok = false;
			}
			listed[g->running] = true;
			e->running = g->running;
		} else {
			char gid[48];
			e->name = xstrdup(tt_group_name(m, s, k, gid, sizeof gid));
		}
		for (int i = 0; i < g->n_members; i++) {
			int l = member(g, i);
			if (l < 0 || l >= m->n_learners)
				vadd(c, "group_fields", "group %s lists learner index %d, which does not exist",
				     e->name, l);
			else
				e->n_new++;
		}
		if (g->sessions & ~c->all)
			vadd(c, "sessions", "group %s has sessions outside the %d dagdelen of the week",
			     e->name, m->n_dagdelen);
		if (e->running >= 0) {
			/* the fixed fields decide; the plan must repeat them */
			const tt_running *rg = &m->running[e->running];
			e->route = rg->route;
			e->level = rg->level;
			e->pace = rg->pace;
			e->alfa = rg->alfa;
			e->women_only = rg->women_only;
			e->sessions = rg->sessions & c->all;
			e->room = rg->room >= 0 && rg->room < m->n_rooms ? rg->room : -1;
			e->teacher = rg->teacher >= 0 && rg->teacher < m->n_teachers ? rg->teacher : -1;
			e->location = e->room >= 0 ? m->rooms[e->room].location : -1;
			e->existing = rg->n_members;
			if (g->route != rg->route || g->level != rg->level || g->alfa != rg->alfa ||
			    g->women_only != rg->women_only)
				vadd(c, "group_fields",
				     "running group %s: route, level, alfa or women_only differ from the "
				     "running group's",
				     e->name);
			if (m->w.pace > 0 && g->pace != rg->pace)
				vadd(c, "group_fields", "running group %s: pace differs from the running "
							"group's", e->name);
			if (g->sessions != rg->sessions)
				vadd(c, "group_fields",
				     "running group %s: dagdelen differ from its fixed dagdelen", e->name);
			if (g->room != rg->room)
				vadd(c, "group_fields", "running group %s: room differs from its fixed room",
				     e->name);
			if (g->teacher != rg->teacher)
				vadd(c, "group_fields",
				     "running group %s: teacher differs from its fixed teacher", e->name);
			if (g->location != e->location)
				vadd(c, "group_fields",
				     "running group %s: location differs from its room's location", e->name);
		} else {
			e->route = g->route;
			e->level = g->level;
			e->pace = g->pace;
			e->alfa = g->alfa;
			e->women_only = g->women_only;
			e->sessions = g->sessions & c->all;
			e->location = g->location >= 0 && g->location < m->n_locations ? g->location : -1;
			e->room = g->room >= 0 && g->room < m->n_rooms ? g->room : -1;
			e->teacher = g->teacher >= 0 && g->teacher < m->n_teachers ? g->teacher : -1;
			if (e->location < 0)
				vadd(c, "group_fields", "group %s has no valid location", e->name);
			if (e->room < 0)
				vadd(c, "group_fields", "group %s has no valid room", e->name);
			if (e->teacher < 0)
				vadd(c, "group_fields", "group %s has no valid teacher", e->name);
		}
		if (e->route < 0 || e->route >= TT_N_ROUTES) {
			vadd(c, "group_fields", "group %s has route %d, which does not exist", e->name,
			     e->route);
			e->ok = false;
		}
		if (e->level < 0 || e->level > TT_MAX_LEVEL)
			vadd(c, "group_fields", "group %s has level %d, outside 0..%d", e->name, e->level,
			     TT_MAX_LEVEL);
		if (e->pace < 0 || e->pace > 2) {
			vadd(c, "group_fields", "group %s has pace %d, outside 0..2", e->name, e->pace);
			e->pace = 1;
		}
		if (e->location < 0 || e->room < 0 || e->teacher < 0)
			e->ok = false;
	}
	/* running groups the plan leaves alone still hold room and teacher;
	 * an answer lists every one, joined or not */
	for (int j = 0; j < m->n_running; j++) {
		if (listed[j])
			continue;
		const tt_running *rg = &m->running[j];
		vadd(c, "group_fields", "running group %s is missing from the plan", rg->id);
		chk_group *e = &c->eg[c->n_eg++];
		e->plan = -1;
		e->running = j;
		e->name = xstrdup(rg->id);
		e->route = rg->route;
		e->level = rg->level;
		e->pace = rg->pace;
		e->alfa = rg->alfa;
		e->women_only = rg->women_only;
		e->sessions = rg->sessions & c->all;
		e->room = rg->room >= 0 && rg->room < m->n_rooms ? rg->room : -1;
		e->teacher = rg->teacher >= 0 && rg->teacher < m->n_teachers ? rg->teacher : -1;
		e->location = e->room >= 0 ? m->rooms[e->room].location : -1;
		e->existing = rg->n_members;
		e->ok = e->route >= 0 && e->route < TT_N_ROUTES && e->room >= 0 && e->teacher >= 0;
	}
	free(listed);
}

/* ---- coverage: each learner placed once or listed unplaced once ---- */

static void check_cover(chk *c, int *placed_in)
{
	const tt_model *m = c->m;
	const tt_solution *s = c->s;
	int *times = xcalloc((size_t)m->n_learners + 1, sizeof(int));
	int *listed = xcalloc((size_t)m->n_learners + 1, sizeof(int));
	bool must_out = false;
	for (int i = 0; i < m->n_learners; i++)
		placed_in[i] = -1;
	for (int e = 0; e < c->n_eg; e++) {
		if (c->eg[e].plan < 0)
			continue;
		const tt_group *g = &s->groups[c->eg[e].plan];
		for (int k = 0; k < g->n_members; k++) {
			int i = member(g, k);
			if (i < 0 || i >= m->n_learners)
				continue;
			if (times[i]++ == 0)
				placed_in[i] = e;
			else
				vadd(c, "one_group_per_learner", "learner %s is in groups %s and %s",
				     learner_id(c, i), c->eg[placed_in[i]].name, c->eg[e].name);
		}
	}
	for (int k = 0; k < s->n_unplaced; k++) {
		int i = s->unplaced[k].learner;
		if (i < 0 || i >= m->n_learners) {
			vadd(c, "one_group_per_learner",
			     "the unplaced list names learner index %d, which does not exist", i);
			continue;
		}
		listed[i]++;
	}
	for (int i = 0; i < m->n_learners; i++) {
		if (listed[i] > 1)
			vadd(c, "one_group_per_learner", "learner %s is listed as unplaced %d times",
			     learner_id(c, i), listed[i]);
		if (times[i] && listed[i])
			vadd(c, "one_group_per_learner",
			     "learner %s is in group %s and also listed as unplaced", learner_id(c, i),
			     c->eg[placed_in[i]].name);
		if (!times[i] && !listed[i])
			vadd(c, "one_group_per_learner",
			     "learner %s is neither in a group nor listed as unplaced", learner_id(c, i));
		if (!times[i] && m->learners[i].must_place && c->s->status != TT_INFEASIBLE)
			vadd(c, "must_place", "learner %s must be placed but is not", learner_id(c, i));
		must_out |= !times[i] && m->learners[i].must_place;
	}
	/* an infeasible answer's plan leaves out a must-place learner: one that
	 * places them all shows the request feasible */
	if (c->s->status == TT_INFEASIBLE && !must_out)
		vadd(c, "infeasible",
		     "the answer says infeasible, but its plan places every must-place learner");
	free(times);
	free(listed);
}

/* Facility names of the bits in mask, comma-separated. */
static const char *facility_list(const tt_model *m, uint32_t mask, char *buf, size_t n)
{
	size_t w = 0;
	buf[0] = '\0';
	for (int k = 0; k < 32 && w < n; k++)
		if (mask >> k & 1)
			w += (size_t)snprintf(buf + w, n - w, "%s%s", w ? ", " : "",
					      k < m->n_facilities ? m->facilities[k] : "?");
	return buf;
}

static const char *route_name(int r)
{
	static const char *const names[TT_N_ROUTES] = {"B1", "Z", "OR"};
	return r >= 0 && r < TT_N_ROUTES ? names[r] : "?";
}

/* ---- one group: size, sessions, room and teacher ---- */

static void check_group_shape(chk *c, const chk_group *e, bool any_alfa)
{
	const tt_model *m = c->m;
	const tt_route *rt = &m->routes[e->route];
	int total = e->existing + e->n_new;
	if (e->running < 0) {
		if (e->n_new < rt->min_size || e->n_new > rt->max_size)
			vadd(c, "group_size", "group %s has %d learners; route allows %d..%d", e->name,
			     e->n_new, rt->min_size, rt->max_size);
		int n = popcount(e->sessions);
		if (n != rt->sessions)
			vadd(c, "sessions", "group %s has %d sessions; its route needs %d", e->name, n,
			     rt->sessions);
		int minutes = 0;
		for (int t = 0; t < m->n_dagdelen; t++)
			if (e->sessions >> t & 1)
				minutes += m->dagdelen[t].end_min - m->dagdelen[t].start_min;
		if ((rt->min_minutes >= 0 && minutes < rt->min_minutes) ||
		    (rt->max_minutes >= 0 && minutes > rt->max_minutes)) {
			char lo[16] = "0", hi[16] = "any";
			if (rt->min_minutes >= 0)
				snprintf(lo, sizeof lo, "%g", rt->min_minutes / 60.0);
			if (rt->max_minutes >= 0)
				snprintf(hi, sizeof hi, "%g", rt->max_minutes / 60.0);
			vadd(c, "route_hours",
			     "group %s meets %g h a week; route %s allows %s to %s h", e->name,
			     minutes / 60.0, route_name(e->route), lo, hi);
		}
		if (!rt->same_day_ok) {
			for (int a = 0; a < m->n_dagdelen; a++)
				for (int b = a + 1; b < m->n_dagdelen; b++)
					if ((e->sessions >> a & 1) && (e->sessions >> b & 1) &&
					    m->dagdelen[a].day == m->dagdelen[b].day)
						vadd(c, "sessions",
						     "group %s has two sessions on one day: %s and %s",
						     e->name, dd_id(c, a), dd_id(c, b));
		}
		tt_mask shut = e->sessions & m->locations[e->location].closed;
		for (int t = 0; t < m->n_dagdelen; t++)
			if (shut >> t & 1)
				vadd(c, "location_closed", "group %s meets on %s when location %s is closed",
				     e->name, dd_id(c, t), m->locations[e->location].id);
		const tt_room *rm = &m->rooms[e->room];
		if (rm->location != e->location)
			vadd(c, "room_location", "group %s at location %s uses room %s of another location",
			     e->name, m->locations[e->location].id, rm->id);
		uint32_t lack = rt->room_needs & ~rm->facilities;
		if (lack) {
			char fl[256];
			vadd(c, "room_facilities", "group %s: room %s lacks %s, which route %s needs",
			     e->name, rm->id, facility_list(m, lack, fl, sizeof fl),
			     route_name(e->route));
		}
		tt_mask off = e->sessions & ~rm->avail;
		for (int t = 0; t < m->n_dagdelen; t++)
			if (off >> t & 1)
				vadd(c, "room_available", "group %s: room %s is not available on %s", e->name,
				     rm->id, dd_id(c, t));
		const tt_teacher *tc = &m->teachers[e->teacher];
		int need = rt->quals | (e->alfa || any_alfa ? TT_QUAL_ALFA : 0);
		if ((tc->quals & need) != need)
			vadd(c, "teacher_qualified",
			     "group %s: teacher %s lacks a qualification the group needs%s", e->name,
			     tc->id, (need & TT_QUAL_ALFA) && !(tc->quals & TT_QUAL_ALFA) ? " (alfa)" : "");
		off = e->sessions & ~tc->avail;
		for (int t = 0; t < m->n_dagdelen; t++)
			if (off >> t & 1)
				vadd(c, "teacher_available", "group %s: teacher %s is not available on %s",
				     e->name, tc->id, dd_id(c, t));
		if (!has_loc(tc->locations, e->location))
			vadd(c, "teacher_location", "group %s: teacher %s cannot reach location %s",
			     e->name, tc->id, m->locations[e->location].id);
	} else if (e->plan >= 0 && e->n_new > 0) {
		const tt_running *rg = &m->running[e->running];
		if (!rg->may_join)
			vadd(c, "group_size", "running group %s takes %d new learners but is closed to joining",
			     e->name, e->n_new);
		if (total > rt->max_size)
			vadd(c, "group_size", "running group %s: %d existing + %d new exceeds route maximum %d",
			     e->name, e->existing, e->n_new, rt->max_size);
		if (rg->has_free_seats && e->n_new > rg->free_seats)
			vadd(c, "group_size", "running group %s takes %d new learners; it offers %d free seats",
			     e->name, e->n_new, rg->free_seats);
		/* an alfa learner joining a non-alfa group (alfa_separate off)
		 * needs the group's teacher to be alfa-qualified */
		if (any_alfa && !rg->alfa && !rt->alfa_separate &&
		    (rg->teacher < 0 || rg->teacher >= m->n_teachers ||
		     !(m->teachers[rg->teacher].quals & TT_QUAL_ALFA)))
			vadd(c, "teacher_qualified",
			     "running group %s takes an alfa learner but its teacher %s is not "
			     "alfa-qualified",
			     e->name, rg->teacher >= 0 && rg->teacher < m->n_teachers
					      ? m->teachers[rg->teacher].id
					      : "(none)");
	}
}

/* Seats over capacity: a hard violation for groups the plan fills, or the
 * soft room_over term. Running groups the plan leaves unchanged are input
 * and never violate; under the soft rule their seats over still count. */
static double room_over_seats(chk *c)
{
	const tt_model *m = c->m;
	double over = 0;
	for (int k = 0; k < c->n_eg; k++) {
		const chk_group *e = &c->eg[k];
		if (e->room < 0)
			continue;
		int total = e->existing + e->n_new;
		int cap = m->rooms[e->room].capacity;
		if (total <= cap)
			continue;
		if (m->room_capacity_soft)
			over += total - cap;
		else if (e->running < 0 || e->n_new > 0)
			vadd(c, "room_capacity", "group %s: room %s holds %d, group has %d", e->name,
			     m->rooms[e->room].id, cap, total);
	}
	return over;
}

/* One group per room and per teacher each dagdeel; teacher week and day
 * loads. Clashes between running groups alone are input, not the plan, and
 * so is a day's load on a day no new group meets. */
static void check_clashes(chk *c)
{
	const tt_model *m = c->m;
	int nd = m->n_dagdelen;
	int *room_at = xmalloc(sizeof(int) * ((size_t)m->n_rooms * (size_t)nd + 1));
	int *teach_at = xmalloc(sizeof(int) * ((size_t)m->n_teachers * (size_t)nd + 1));
	int *week = xcalloc((size_t)m->n_teachers + 1, sizeof(int));
	int *day = xcalloc((size_t)m->n_teachers * 7 + 1, sizeof(int));
	bool *day_new = xcalloc((size_t)m->n_teachers * 7 + 1, sizeof(bool));
	bool *teaches_new = xcalloc((size_t)m->n_teachers + 1, sizeof(bool));
	for (size_t i = 0; i < (size_t)m->n_rooms * (size_t)nd; i++)
		room_at[i] = -1;
	for (size_t i = 0; i < (size_t)m->n_teachers * (size_t)nd; i++)
		teach_at[i] = -1;
	for (int k = 0; k < c->n_eg; k++) {
		const chk_group *e = &c->eg[k];
		for (int t = 0; t < nd; t++) {
			if (!(e->sessions >> t & 1))
				continue;
			if (e->room >= 0) {
				int *o = &room_at[(size_t)e->room * (size_t)nd + (size_t)t];
				if (*o < 0)
					*o = k;
				else if (e->running < 0 || c->eg[*o].running < 0)
					vadd(c, "room_clash", "room %s on %s holds both group %s and group %s",
					     m->rooms[e->room].id, dd_id(c, t), c->eg[*o].name, e->name);
			}
			if (e->teacher >= 0) {
				int *o = &teach_at[(size_t)e->teacher * (size_t)nd + (size_t)t];
				if (*o < 0)
					*o = k;
				else if (e->running < 0 || c->eg[*o].running < 0)
					vadd(c, "teacher_clash",
					     "teacher %s on %s teaches both group %s and group %s",
					     m->teachers[e->teacher].id, dd_id(c, t), c->eg[*o].name,
					     e->name);
				week[e->teacher] += m->dagdelen[t].end_min - m->dagdelen[t].start_min;
				int d = m->dagdelen[t].day;
				if (d >= 0 && d < 7) {
					day[e->teacher * 7 + d]++;
					if (e->running < 0)
						day_new[e->teacher * 7 + d] = true;
				}
			}
		}
		if (e->teacher >= 0 && e->running < 0)
			teaches_new[e->teacher] = true;
	}
	static const char *const dname[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	int unit = tt_load_unit(m); /* the contract's unit in minutes */
	for (int j = 0; j < m->n_teachers; j++) {
		if (!teaches_new[j])
			continue;
		const tt_teacher *tc = &m->teachers[j];
		/* week[] holds lesson minutes */
		if (week[j] > (long)tc->max_load * unit)
			vadd(c, "teacher_load",
			     "teacher %s teaches %.1f hours a week; contract allows %.1f",
			     tc->id, week[j] / 60.0, (double)tc->max_load * unit / 60.0);
		for (int d = 0; d < 7; d++)
			if (day_new[j * 7 + d] && day[j * 7 + d] > tc->max_per_day)
				vadd(c, "teacher_load", "teacher %s teaches %d dagdelen on %s; at most %d a day",
				     tc->id, day[j * 7 + d], dname[d], tc->max_per_day);
	}
	free(room_at);
	free(teach_at);
	free(week);
	free(day);
	free(day_new);
	free(teaches_new);
}

/* ---- one member of one group ---- */

static void check_member(chk *c, const chk_group *e, int i)
{
	const tt_model *m = c->m;
	const tt_learner *l = &m->learners[i];
	const tt_route *rt = &m->routes[e->route];
	const char *lid = l->id;
	if (l->route != e->route)
		vadd(c, "level_spread", "learner %s of another route is in group %s", lid, e->name);
	else if (l->level < e->level || l->level > e->level + rt->max_level_spread)
		vadd(c, "level_spread", "learner %s at level %d is in group %s of level %d (spread %d)",
		     lid, l->level, e->name, e->level, rt->max_level_spread);
	if (rt->alfa_separate && l->alfa != e->alfa)
		vadd(c, "alfa_separation", "learner %s (%s) is in %s group %s", lid,
		     l->alfa ? "alfa" : "not alfa", e->alfa ? "an alfa" : "a non-alfa", e->name);
	if (e->women_only && l->gender != TT_GENDER_F)
		vadd(c, "women_only", "learner %s is in women-only group %s", lid, e->name);
	uint32_t lack = e->room >= 0 ? l->room_needs & ~m->rooms[e->room].facilities : 0;
	if (lack) {
		char fl[256];
		vadd(c, "room_facilities", "learner %s needs %s; room %s of group %s lacks it", lid,
		     facility_list(m, lack, fl, sizeof fl), m->rooms[e->room].id, e->name);
	}
	if (l->women_only && !e->women_only)
		vadd(c, "women_only", "learner %s wants a women-only group; group %s is not one", lid,
		     e->name);
	tt_mask off = e->sessions & ~l->avail;
	for (int t = 0; t < m->n_dagdelen; t++)
		if (off >> t & 1)
			vadd(c, "availability", "learner %s in group %s is not available on %s", lid,
			     e->name, dd_id(c, t));
	for (int k = 0; k < m->n_modules; k++) {
		const tt_module_group *mg = &m->modules[k];
		tt_mask both = mg->sessions & e->sessions;
		if (!both)
			continue;
		for (int q = 0; q < mg->n_members; q++)
			if (mg->members[q] == i)
				vadd(c, "module_overlap",
				     "learner %s in group %s meets on %s, when module group %s (%s) meets",
				     lid, e->name, dd_id(c, __builtin_ctz(both)), mg->id, mg->module);
	}
	if (l->weekly_min >= 0) {
		int minutes = 0;
		for (int t = 0; t < m->n_dagdelen; t++)
			if (e->sessions >> t & 1)
				minutes += m->dagdelen[t].end_min - m->dagdelen[t].start_min;
		if (minutes > l->weekly_min)
			vadd(c, "weekly_hours",
			     "learner %s can take %d min of lessons a week; group %s meets %d min", lid,
			     l->weekly_min, e->name, minutes);
	}
	int loc = e->location;
	if (loc < 0)
		return;
	int tr = l->travel ? l->travel[loc] : -1;
	if (tr < 0)
		vadd(c, "travel", "learner %s cannot reach location %s of group %s", lid,
		     m->locations[loc].id, e->name);
	if (l->young_children > 0) {
		if (l->childcare < 0 || l->childcare >= m->n_childcare) {
			vadd(c, "childcare", "learner %s needs childcare but has no confirmed provider (group %s)",
			     lid, e->name);
		} else {
			const tt_childcare *k = &m->childcare[l->childcare];
			int kt = k->travel ? k->travel[loc] : -1;
			if (kt < 0) {
				vadd(c, "childcare", "learner %s: provider %s cannot reach location %s", lid,
				     k->id, m->locations[loc].id);
			} else {
				for (int t = 0; t < m->n_dagdelen; t++) {
					if (!(e->sessions >> t & 1))
						continue;
					const tt_dagdeel *dd = &m->dagdelen[t];
					int d = dd->day;
					bool open = d >= 0 && d < 7 && k->open_min[d] >= 0;
					if (open && k->open_min[d] <= dd->start_min - kt &&
					    dd->end_min + kt <= k->close_min[d])
						continue;
					char a[8], b[8];
					hhmm(a, sizeof a, open ? k->open_min[d] : -1);
					hhmm(b, sizeof b, open ? k->close_min[d] : -1);
					vadd(c, "childcare",
					     "learner %s: provider %s (open %s-%s) does not cover %s plus %d "
					     "min travel to location %s",
					     lid, k->id, a, b, dd_id(c, t), kt, m->locations[loc].id);
				}
			}
		}
	}
	if (l->school_close_min >= 0 && tr >= 0) {
		for (int t = 0; t < m->n_dagdelen; t++) {
			const tt_dagdeel *dd = &m->dagdelen[t];
			/* an evening lesson after school closing is not affected */
			if (!(e->sessions >> t & 1) || dd->day < 0 || dd->day > 4 ||
			    dd->start_min >= l->school_close_min)
				continue;
			if (dd->end_min + tr > l->school_close_min) {
				char a[8];
				hhmm(a, sizeof a, l->school_close_min);
				vadd(c, "school",
				     "learner %s: %s ends at the location %d min from home, after school "
				     "closes at %s",
				     lid, dd_id(c, t), tr, a);
			}
		}
	}
}

/* Childcare places per provider per dagdeel, shared by attending parents. */
static void check_childcare_places(chk *c, const int *placed_in)
{
	const tt_model *m = c->m;
	int nd = m->n_dagdelen;
	int *used = xcalloc((size_t)m->n_childcare * (size_t)nd + 1, sizeof(int));
	for (int i = 0; i < m->n_learners; i++) {
		const tt_learner *l = &m->learners[i];
		if (placed_in[i] < 0 || l->young_children <= 0 || l->childcare < 0 ||
		    l->childcare >= m->n_childcare)
			continue;
		tt_mask ss = c->eg[placed_in[i]].sessions;
		for (int t = 0; t < nd; t++)
			if (ss >> t & 1)
				used[(size_t)l->childcare * (size_t)nd + (size_t)t] += l->young_children;
	}
	for (int k = 0; k < m->n_childcare; k++) {
		const tt_childcare *p = &m->childcare[k];
		for (int t = 0; t < nd; t++) {
			int u = used[(size_t)k * (size_t)nd + (size_t)t];
			int have = p->places ? p->places[t] : 0;
			if (u > have)
				vadd(c, "childcare",
				     "provider %s on %s: %d children of attending parents, %d places", p->id,
				     dd_id(c, t), u, have);
		}
	}
	free(used);
}

/* Partners of one household (partners_apart on any member) never share a dagdeel,
 * nor a dagdeel of a running group a partner is in. */
static void check_households(chk *c, const int *placed_in)
{
	const tt_model *m = c->m;
	int nd = m->n_dagdelen, nh = 0;
	for (int i = 0; i < m->n_learners; i++)
		if (m->learners[i].household >= nh)
			nh = m->learners[i].household + 1;
	if (!nh)
		return;
	bool *apart = xcalloc((size_t)nh, sizeof(bool));
	int *first = xmalloc(sizeof(int) * (size_t)nh * (size_t)(nd ? nd : 1));
	for (size_t i = 0; i < (size_t)nh * (size_t)(nd ? nd : 1); i++)
		first[i] = -1;
	for (int i = 0; i < m->n_learners; i++)
		if (m->learners[i].household >= 0 && m->learners[i].partners_apart)
			apart[m->learners[i].household] = true;
	for (int i = 0; i < m->n_learners; i++) {
		int h = m->learners[i].household;
		if (h < 0 || !apart[h] || placed_in[i] < 0)
			continue;
		tt_mask ss = c->eg[placed_in[i]].sessions;
		/* a partner already in a running group is in class on its dagdelen */
		for (int g = 0; g < m->n_running; g++) {
			const tt_running *rg = &m->running[g];
			if (tt_running_has_household(rg, h) && (rg->sessions & ss))
				vadd(c, "household",
				     "learner %s attends on %s, when a partner of the household is in "
				     "running group %s",
				     learner_id(c, i), dd_id(c, __builtin_ctz(rg->sessions & ss)), rg->id);
		}
		for (int t = 0; t < nd; t++) {
			if (!(ss >> t & 1))
				continue;
			int *o = &first[(size_t)h * (size_t)nd + (size_t)t];
			if (*o < 0)
				*o = i;
			else
				vadd(c, "household",
				     "learners %s and %s of one household both attend on %s",
				     learner_id(c, *o), learner_id(c, i), dd_id(c, t));
		}
	}
	free(apart);
	free(first);
}

/* ---- the objective ---- */

static void objective(chk *c, const int *placed_in, double seats_over)
{
	const tt_model *m = c->m;
	const tt_weights *w = &m->w;
	tt_terms *T = &c->r->terms;
	memset(T, 0, sizeof *T);
	long n_unplaced = 0, weeks = 0;
	for (int i = 0; i < m->n_learners; i++) {
		if (placed_in[i] >= 0)
			continue;
		n_unplaced++;
		weeks += m->learners[i].weeks_waiting > 0 ? m->learners[i].weeks_waiting : 0;
	}
	T->unplaced = w->unplaced * (double)n_unplaced;
	T->wait = w->wait_week * (double)weeks;
	long groups = 0, pairs = 0, steps = 0, outside = 0, minutes = 0, pace_steps = 0;
	for (int k = 0; k < c->n_eg; k++) {
		const chk_group *e = &c->eg[k];
		if (e->running < 0 && e->plan >= 0) {
			groups++;
			for (int a = 0; a < m->n_dagdelen; a++)
				for (int b = 0; b < m->n_dagdelen; b++)
					if ((e->sessions >> a & 1) && (e->sessions >> b & 1) &&
					    m->dagdelen[b].day == m->dagdelen[a].day + 1)
						pairs++;
		}
		if (e->plan < 0)
			continue;
		const tt_group *g = &c->s->groups[e->plan];
		for (int j = 0; j < g->n_members; j++) {
			int i = member(g, j);
			if (i < 0 || i >= m->n_learners)
				continue;
			const tt_learner *l = &m->learners[i];
			steps += l->level - e->level;
			pace_steps += l->pace > e->pace ? l->pace - e->pace : e->pace - l->pace;
			if (l->pref)
				outside += popcount(e->sessions & ~l->pref);
			if (e->location >= 0 && l->travel && l->travel[e->location] > 0)
				minutes += l->travel[e->location];
		}
	}
	T->group = w->group * (double)groups;
	T->spread = w->spread * (double)pairs;
	T->level = w->level * (double)steps;
	T->pref = w->pref * (double)outside;
	T->travel = w->travel * (double)minutes;
	T->room_over = m->room_capacity_soft ? m->room_seat_penalty * seats_over : 0;
	T->pace = w->pace * (double)pace_steps;
	/* the start's learners whose lessons change: each is compared with the
	 * first start group that lists it */
	if (w->moved > 0 && m->n_start > 0) {
		long moved = 0;
		bool *seen = calloc((size_t)m->n_learners + 1, sizeof *seen);
		for (int q = 0; seen && q < m->n_start; q++) {
			const tt_start_group *sg = &m->start[q];
			for (int j = 0; j < sg->n_members; j++) {
				int i = sg->members[j];
				if (i < 0 || i >= m->n_learners || seen[i])
					continue;
				seen[i] = true;
				if (placed_in[i] < 0) {
					moved++; /* lessons then, none now */
					continue;
				}
				const chk_group *e = &c->eg[placed_in[i]];
				bool same;
				if (sg->running >= 0)
					same = e->running == sg->running;
				else if (sg->running == -1 && !sg->sessions_lost && sg->location >= 0)
					same = e->running < 0 && e->sessions == sg->sessions &&
					       e->location == sg->location;
				else
					same = false; /* its running group, dagdeel or location is gone */
				moved += !same;
			}
		}
		free(seen);
		T->moved = w->moved * (double)moved;
	}
	c->r->objective = T->unplaced + T->wait + T->group + T->spread + T->level + T->pref +
			  T->travel + T->room_over + T->pace + T->moved;
	double claimed = c->s->objective;
	c->r->objective_matches =
		fabs(c->r->objective - claimed) <= 1e-6 * fmax(1.0, fabs(claimed));
}

/* The answer's own figures: each term as recomputed, the bound at most the
 * objective, the gap (objective - bound) / objective. */
static void check_claims(chk *c)
{
	const tt_solution *s = c->s;
	double tol = 1e-6 * fmax(1.0, fabs(s->objective));
	/* said whatever else the answer states */
	if (s->bound > s->objective + tol)
		vadd(c, "bound", "bound %.10g is above the objective %.10g", s->bound, s->objective);
	double gap = s->objective > 0 ? (s->objective - s->bound) / s->objective : 0;
	if (s->status == TT_OPTIMAL && s->gap_wanted > 0 && gap > s->gap_wanted + 1e-9)
		vadd(c, "status",
		     "status optimal, but (objective - bound) / objective is %.6g, above the wanted gap "
		     "%.6g",
		     gap, s->gap_wanted);
	if (s->said_counts) {
		int placed = 0;
		for (int k = 0; k < s->n_groups; k++)
			placed += s->groups[k].n_members;
		if (s->said_placed != placed)
			vadd(c, "counts", "placed says %d, the groups hold %d new learners",
			     s->said_placed, placed);
		if (s->said_learners != c->m->n_learners)
			vadd(c, "counts", "learners says %d, the request has %d", s->said_learners,
			     c->m->n_learners);
	}
	if (!s->claims)
		return;
	const tt_terms *a = &s->terms, *b = &c->r->terms;
	const struct {
		const char *name;
		double said, is;
	} t[] = {{"unplaced", a->unplaced, b->unplaced}, {"wait", a->wait, b->wait},
		 {"group", a->group, b->group},          {"spread", a->spread, b->spread},
		 {"level", a->level, b->level},          {"pref", a->pref, b->pref},
		 {"travel", a->travel, b->travel},       {"room_over", a->room_over, b->room_over},
		 {"pace", a->pace, b->pace},             {"moved", a->moved, b->moved}};
	for (size_t k = 0; k < sizeof t / sizeof *t; k++)
		if (fabs(t[k].said - t[k].is) > 1e-6 * fmax(1.0, fabs(t[k].is)))
			vadd(c, "objective_terms", "term %s is %.10g, recomputed %.10g", t[k].name,
			     t[k].said, t[k].is);
	if (fabs(s->gap - gap) > 1e-6)
		vadd(c, "bound", "gap %.6g, but (objective - bound) / objective is %.6g", s->gap, gap);
}

/* An infeasible answer claims that some must-place learner cannot be
 * placed: the request must have one, and the conflict families it names
 * must be known ones, each named once. */
static void check_infeasible(chk *c)
{
	const tt_model *m = c->m;
	const tt_solution *s = c->s;
	static const char *const fam[] = {
		"availability",    "childcare",  "school",   "household",
		"room_capacity",   "teacher",    "group_size", "travel",
		"room_facilities", "level_spread", "alfa_separation", "women_only",
		"same_day",        "room_availability", "location_closed", "route_hours",
		"running_join"};
	bool must = false;
	for (int i = 0; i < m->n_learners; i++)
		must |= m->learners[i].must_place;
	if (!must)
		vadd(c, "infeasible", "the answer is infeasible but no learner must be placed");
	for (int k = 0; k < s->n_conflicts; k++) {
		const char *f = s->conflicts ? s->conflicts[k] : NULL;
		bool known = false;
		for (size_t q = 0; f && q < sizeof fam / sizeof *fam; q++)
			known |= strcmp(f, fam[q]) == 0;
		if (!known)
			vadd(c, "infeasible", "unknown conflict family '%s'", f ? f : "(null)");
		for (int j = 0; j < k && f; j++)
			if (s->conflicts[j] && strcmp(s->conflicts[j], f) == 0)
				vadd(c, "infeasible", "conflict family '%s' named twice", f);
	}
}

/* One closing entry counts the violations past the listed ones. */
static void note_left_out(chk *c)
{
	if (!c->left_out)
		return;
	int keep = c->r->n_violations;
	c->r->violations = xrealloc(c->r->violations, sizeof *c->r->violations * (size_t)(keep + 1));
	c->r->violations[keep].constraint = xstrdup("more");
	c->r->violations[keep].message = xasprintf("%d more violations not listed", c->left_out);
	c->r->n_violations++;
}

int tt_check(const tt_model *m, const tt_solution *s, tt_check_result *out)
{
	if (!out)
		return RS_EINTERNAL;
	memset(out, 0, sizeof *out);
	if (!m || !s || m->n_dagdelen < 0 || m->n_dagdelen > TT_MAX_DAGDELEN ||
	    m->n_locations < 0 || m->n_locations > TT_MAX_LOCATIONS)
		return RS_EINTERNAL;
	/* An infeasible answer's claims are checked with the same list (and
	 * the same count of violations left out) as its plan. */
	chk c = {.m = m, .s = s, .r = out};
	if (s->status == TT_INFEASIBLE)
		check_infeasible(&c);
	/* no plan to verify: infeasible or cancelled before any plan, told by
	 * no groups and no unplaced list at all (an infeasible answer with a
	 * plan has its plan checked; a decoded answer always has the list, if
	 * empty, so "groups": [] with "unplaced": [] is checked in full) */
	if ((s->status == TT_INFEASIBLE || s->status == TT_CANCELLED) && s->n_groups == 0 &&
	    s->n_unplaced == 0 && !s->unplaced) {
		out->objective = s->objective;
		out->objective_matches = true;
		note_left_out(&c);
		return 0;
	}
	c.all = m->n_dagdelen == 32 ? ~(tt_mask)0 : (((tt_mask)1 << m->n_dagdelen) - 1);
	build_groups(&c);
	int *placed_in = xmalloc(sizeof(int) * ((size_t)m->n_learners + 1));
	check_cover(&c, placed_in);
	for (int k = 0; k < c.n_eg; k++) {
		const chk_group *e = &c.eg[k];
		if (!e->ok)
			continue;
		bool any_alfa = false;
		if (e->plan >= 0) {
			const tt_group *g = &s->groups[e->plan];
			for (int j = 0; j < g->n_members; j++) {
				int i = member(g, j);
				if (i < 0 || i >= m->n_learners)
					continue;
				any_alfa |= m->learners[i].alfa;
				check_member(&c, e, i);
			}
		}
		check_group_shape(&c, e, any_alfa);
	}
	double over = room_over_seats(&c);
	check_clashes(&c);
	check_childcare_places(&c, placed_in);
	check_households(&c, placed_in);
	objective(&c, placed_in, over);
	check_claims(&c);
	note_left_out(&c);
	for (int k = 0; k < c.n_eg; k++)
		free(c.eg[k].name);
	free(c.eg);
	free(placed_in);
	return 0;
}

void tt_check_free(tt_check_result *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->n_violations; i++) {
		free(r->violations[i].constraint);
		free(r->violations[i].message);
	}
	free(r->violations);
	memset(r, 0, sizeof *r);
}

/* tt_explain.c: plain-English reasons why a learner was left unplaced.
 *
 * For every unplaced learner the options are filtered in a fixed order and
 * the first filter that leaves nothing names the reason: availability (no
 * session pattern), reachable open locations, childcare and school hours,
 * household partners, compatible learners for the minimum group size (the
 * household's reason when the partner's dagdelen are what leaves too few),
 * free rooms and qualified teachers with contract hours left given the
 * plan, and otherwise "optimised" (no single rule).
 * For a request with a `start`, every learner it placed whose lessons
 * change gets one reason too: the learner against its earlier group's
 * fields and dagdelen, then what became of the group, else "optimised".
 * Options are kept per location as masks of usable dagdelen; a new group
 * needs a session pattern inside one mask, a running group its fixed
 * dagdelen. Written from the model alone; shares no code with the solver. */
#include "check_tt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Search nodes allowed per learner when counting compatible learners; when
 * exhausted the group-size reason is not claimed. */
#define EX_NODE_LIMIT 200000

typedef struct ex {
	const tt_model *m;
	tt_solution *s;
	int nd, nl;
	tt_mask all;
	tt_mask day_mask[7];
	int *placed_in;     /* [n_learners] plan group, -1 */
	bool *apart;        /* [n_households seen] partners apart */
	int n_hh;
	int *care_used;     /* [n_childcare * nd] children of attending parents */
	tt_mask *room_busy; /* [n_rooms] */
	tt_mask *teach_busy;
	int *teach_week;   /* [n_teachers] load units (tt_load_unit) */
	int min_dload;     /* smallest load of one dagdeel */
	int unit;          /* minutes of a load unit */
	int max_dmin;      /* minutes of the longest dagdeel */
	int *teach_day;     /* [n_teachers * 7] */
	int *run_new;       /* [n_running] learners the plan adds */
	uint64_t loc_rooms; /* bit l: location l has a room */
	uint64_t *reach;    /* [n_learners] bit l: learner travels to location l */
} ex;

static const char *const day_names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const level_names[TT_MAX_LEVEL + 1] = {"A0", "A1", "A2", "B1", "B2"};
static const char *const route_names[TT_N_ROUTES] = {"B1", "Z", "OR"};

static int popcount(tt_mask x)
{
	return __builtin_popcount(x);
}

static int dd_part(const tt_dagdeel *d)
{
	return d->start_min < 12 * 60 ? 0 : d->start_min < 17 * 60 ? 1 : 2;
}

/* "Tue morning": weekday and part of the day from the start time; "Tue
 * 08:30" when another dagdeel of that day falls in the same part. */
static void dd_name(const ex *e, int t, char *buf, size_t n)
{
	static const char *const parts[3] = {"morning", "afternoon", "evening"};
	const tt_dagdeel *d = &e->m->dagdelen[t];
	const char *day = d->day >= 0 && d->day < 7 ? day_names[d->day] : "?";
	bool shared = false;
	for (int u = 0; u < e->nd && !shared; u++)
		shared = u != t && e->m->dagdelen[u].day == d->day &&
			 dd_part(&e->m->dagdelen[u]) == dd_part(d);
	if (shared)
		snprintf(buf, n, "%s %02d:%02d", day, d->start_min / 60, d->start_min % 60);
	else
		snprintf(buf, n, "%s %s", day, parts[dd_part(d)]);
}

/* "Mon morning, Wed morning and 2 more"; "no dagdelen" when empty. */
static void dd_list(const ex *e, tt_mask mask, char *buf, size_t n)
{
	size_t k = 0;
	int shown = 0, total = popcount(mask);
	buf[0] = '\0';
	if (!total) {
		snprintf(buf, n, "no dagdelen");
		return;
	}
	for (int t = 0; t < e->nd && k < n; t++) {
		if (!(mask >> t & 1))
			continue;
		if (shown == 4) {
			snprintf(buf + k, n - k, " and %d more", total - shown);
			return;
		}
		char nm[32];
		dd_name(e, t, nm, sizeof nm);
		int w = snprintf(buf + k, n - k, "%s%s", shown ? ", " : "", nm);
		if (w < 0)
			return;
		k += (size_t)w;
		shown++;
	}
}

static void hhmm(char *buf, size_t n, int min)
{
	snprintf(buf, n, "%02d:%02d", min / 60 % 100, min % 60);
}

static void add_reason(tt_unplaced *u, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_reason(tt_unplaced *u, int code, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	u->reasons = xrealloc(u->reasons, sizeof *u->reasons * (size_t)(u->n_reasons + 1));
	u->reasons[u->n_reasons].code = code;
	u->reasons[u->n_reasons].text = xstrdup(buf);
	u->n_reasons++;
}

/* Patterns under the route's hours a week: a search over sets of
 * rt->sessions dagdelen of mask (one a day unless same_day_ok, at most
 * cap[d] on day d), for the fewest minutes within the hours. Gives up
 * after HR_NODE_LIMIT nodes, and then claims nothing is ruled out. */
#define HR_NODE_LIMIT 200000

typedef struct hr_search {
	const ex *e;
	const tt_route *rt;
	tt_mask mask;
	const int *cap;
	int per_day[7];
	long nodes;
	int best; /* fewest minutes found, -1 none */
	bool first; /* stop at the first pattern found */
} hr_search;

static void hr_dfs(hr_search *h, int from, int left, int minutes)
{
	const tt_model *m = h->e->m;
	if (h->nodes > HR_NODE_LIMIT || (h->first && h->best >= 0))
		return;
	if (left == 0) {
		if (tt_route_minutes_ok(h->rt, minutes) && (h->best < 0 || minutes < h->best))
			h->best = minutes;
		return;
	}
	for (int t = from; t < h->e->nd; t++) {
		if (!(h->mask >> t & 1) || popcount(h->mask >> t) < left)
			continue;
		int d = m->dagdelen[t].day;
		if (d < 0 || d > 6)
			continue;
		int lim = h->rt->same_day_ok ? 1 << 20 : 1;
		if (h->cap && h->cap[d] < lim)
			lim = h->cap[d];
		if (h->per_day[d] >= lim)
			continue;
		h->nodes++;
		h->per_day[d]++;
		hr_dfs(h, t + 1, left - 1,
		       minutes + m->dagdelen[t].end_min - m->dagdelen[t].start_min);
		h->per_day[d]--;
	}
}

static bool route_has_hours(const tt_route *rt)
{
	return rt->min_minutes >= 0 || rt->max_minutes >= 0;
}

/* " of 9 to 12 h a week", " of at least 9 h a week", "" without hours. */
static const char *hours_words(const tt_route *rt, char *buf, size_t n)
{
	if (rt->min_minutes >= 0 && rt->max_minutes >= 0)
		snprintf(buf, n, " of %g to %g h a week", rt->min_minutes / 60.0,
			 rt->max_minutes / 60.0);
	else if (rt->min_minutes >= 0)
		snprintf(buf, n, " of at least %g h a week", rt->min_minutes / 60.0);
	else if (rt->max_minutes >= 0)
		snprintf(buf, n, " of at most %g h a week", rt->max_minutes / 60.0);
	else
		buf[0] = '\0';
	return buf;
}

/* The fewest minutes of a pattern within the route's hours; -1 when none,
 * -2 when the search gave up. */
static int hours_pattern_minutes(const ex *e, tt_mask mask, const tt_route *rt, const int *cap)
{
	hr_search h = {.e = e, .rt = rt, .mask = mask, .cap = cap, .best = -1};
	if (rt->sessions > 0)
		hr_dfs(&h, 0, rt->sessions, 0);
	return h.best < 0 && h.nodes > HR_NODE_LIMIT ? -2 : h.best;
}

/* Is there any pattern within the route's hours (true when undecided)? */
static bool hours_pattern_exists(const ex *e, tt_mask mask, const tt_route *rt, const int *cap)
{
	hr_search h = {.e = e, .rt = rt, .mask = mask, .cap = cap, .best = -1, .first = true};
	if (rt->sessions > 0)
		hr_dfs(&h, 0, rt->sessions, 0);
	return h.best >= 0 || h.nodes > HR_NODE_LIMIT;
}

/* Can a new group of route rt meet on dagdelen of mask, with at most cap[d]
 * sessions on day d (NULL: no cap beyond the route's one-a-day rule)? */
static bool pattern_ok(const ex *e, tt_mask mask, const tt_route *rt, const int *cap)
{
	if (route_has_hours(rt))
		return hours_pattern_exists(e, mask, rt, cap);
	int n = 0;
	for (int d = 0; d < 7; d++) {
		int k = popcount(mask & e->day_mask[d]);
		if (!rt->same_day_ok && k > 1)
			k = 1;
		if (cap && k > cap[d])
			k = cap[d] > 0 ? cap[d] : 0;
		n += k;
	}
	return rt->sessions > 0 && n >= rt->sessions;
}

static int running_location(const ex *e, int j)
{
	int r = e->m->running[j].room;
	int loc = r >= 0 && r < e->m->n_rooms ? e->m->rooms[r].location : -1;
	return loc >= 0 && loc < e->m->n_locations ? loc : -1;
}

/* What the rules read of a group, running or new. */
typedef struct grp_shape {
	int route, level;
	bool alfa, women_only;
	tt_mask sessions;
	int room, teacher;
} grp_shape;

/* Does learner l fit a group of shape g by its fields (route, level, alfa,
 * women-only, weekly hours, room facilities), whatever its seats? */
static bool shape_fields_fit(const ex *e, const tt_learner *l, const grp_shape *g)
{
	const tt_model *m = e->m;
	if (g->route != l->route || g->route < 0 || g->route >= TT_N_ROUTES || g->room < 0 ||
	    g->room >= m->n_rooms)
		return false;
	const tt_route *rt = &m->routes[g->route];
	if (l->level < g->level || l->level > g->level + rt->max_level_spread)
		return false;
	if (rt->alfa_separate && l->alfa != g->alfa)
		return false;
	if ((g->women_only && l->gender != TT_GENDER_F) || (l->women_only && !g->women_only))
		return false;
	if (l->weekly_min >= 0 && tt_mask_minutes(m, g->sessions & e->all) > l->weekly_min)
		return false;
	return (m->rooms[g->room].facilities & l->room_needs) == l->room_needs;
}

/* An alfa learner in a group of shape g that is not alfa: its teacher must
 * be alfa-qualified. */
static bool shape_teacher_ok(const ex *e, const tt_learner *l, const grp_shape *g)
{
	const tt_route *rt = &e->m->routes[g->route];
	return rt->alfa_separate || !l->alfa || g->alfa ||
	       (g->teacher >= 0 && g->teacher < e->m->n_teachers &&
		(e->m->teachers[g->teacher].quals & TT_QUAL_ALFA));
}

static grp_shape running_shape(const ex *e, int j)
{
	const tt_running *g = &e->m->running[j];
	return (grp_shape){.route = g->route, .level = g->level, .alfa = g->alfa,
			   .women_only = g->women_only, .sessions = g->sessions, .room = g->room,
			   .teacher = g->teacher};
}

/* Does learner i fit running group j by its fields, whether or not it
 * takes newcomers and whatever its teacher's qualifications? */
static bool running_fields_fit(const ex *e, const tt_learner *l, int j)
{
	grp_shape g = running_shape(e, j);
	return running_location(e, j) >= 0 && shape_fields_fit(e, l, &g);
}

static bool running_teacher_ok(const ex *e, const tt_learner *l, int j)
{
	grp_shape g = running_shape(e, j);
	return shape_teacher_ok(e, l, &g);
}

/* May learner i join running group j by its fields and its rules? */
static bool running_fits(const ex *e, const tt_learner *l, int j)
{
	return e->m->running[j].may_join && running_fields_fit(e, l, j) &&
	       running_teacher_ok(e, l, j);
}

/* Does new group gr of the plan fit learner l (its fields, its teacher for
 * an alfa learner) and have a seat left (route maximum, room)? */
static bool plan_group_has_seat(const ex *e, const tt_learner *l, const tt_group *gr)
{
	const tt_model *m = e->m;
	grp_shape g = {.route = gr->route, .level = gr->level, .alfa = gr->alfa,
		       .women_only = gr->women_only, .sessions = gr->sessions, .room = gr->room,
		       .teacher = gr->teacher};
	if (gr->running >= 0 || gr->location < 0 || gr->location >= m->n_locations ||
	    !shape_fields_fit(e, l, &g) || !shape_teacher_ok(e, l, &g))
		return false;
	const tt_route *rt = &m->routes[gr->route];
	int cap = rt->max_size;
	if (!m->room_capacity_soft && m->rooms[gr->room].capacity < cap)
		cap = m->rooms[gr->room].capacity;
	return gr->n_members < cap;
}

/* The facilities the room of a new group with learner l must have. */
static uint32_t room_needs_of(const tt_model *m, const tt_learner *l)
{
	return m->routes[l->route].room_needs | l->room_needs;
}

static bool room_has(const tt_model *m, int r, uint32_t need)
{
	return (m->rooms[r].facilities & need) == need;
}

/* Has location loc a room with the facilities in need? */
static bool loc_has_room(const tt_model *m, int loc, uint32_t need)
{
	for (int r = 0; r < m->n_rooms; r++)
		if (m->rooms[r].location == loc && room_has(m, r, need))
			return true;
	return false;
}

/* Facility names of the bits in mask, comma-separated. */
static void facility_names(const tt_model *m, uint32_t mask, char *buf, size_t n)
{
	size_t w = 0;
	buf[0] = '\0';
	for (int k = 0; k < m->n_facilities && k < 32 && w < n; k++)
		if (mask >> k & 1)
			w += (size_t)snprintf(buf + w, n - w, "%s%s", w ? ", " : "", m->facilities[k]);
}

static bool running_has_seat(const ex *e, int j)
{
	const tt_model *m = e->m;
	const tt_running *g = &m->running[j];
	int total = g->n_members + e->run_new[j];
	if (total >= m->routes[g->route].max_size)
		return false;
	if (g->has_free_seats && e->run_new[j] >= g->free_seats)
		return false;
	return m->room_capacity_soft || total < m->rooms[g->room].capacity;
}

/* Running groups the learner fits by fields, meeting on dagdelen the
 * learner can attend (ok), that one of their rules keeps closed: the
 * four-week rule, no seat, or (alfa learner) a teacher without the alfa
 * qualification. Adds a running_join reason for each (at most 3). */
static void explain_running_closed(const ex *e, const tt_learner *l, const tt_mask *ok,
				   tt_unplaced *u)
{
	const tt_model *m = e->m;
	int n = 0;
	for (int j = 0; j < m->n_running && n < 3; j++) {
		const tt_running *g = &m->running[j];
		if (!running_fields_fit(e, l, j))
			continue;
		int loc = running_location(e, j);
		if (((g->sessions & e->all) & ~ok[loc]) != 0)
			continue;
		if (!g->may_join) {
			add_reason(u, TT_R_RUNNING_JOIN,
				   "running group %s meets on dagdelen this learner can attend, but "
				   "started 4 weeks or more before newcomers would join (the term's "
				   "start, or term.as_of when later): newcomers join a group only in "
				   "its first 4 weeks",
				   g->id);
		} else if (!running_has_seat(e, j)) {
			int total = g->n_members + e->run_new[j];
			const tt_room *rm = &m->rooms[g->room];
			if (total >= m->routes[g->route].max_size)
				add_reason(u, TT_R_RUNNING_JOIN,
					   "running group %s meets on dagdelen this learner can attend, "
					   "but has %d learners: the route maximum is %d",
					   g->id, total, m->routes[g->route].max_size);
			else if (g->has_free_seats && g->free_seats == 0)
				add_reason(u, TT_R_RUNNING_JOIN,
					   "running group %s meets on dagdelen this learner can attend, "
					   "but takes no newcomers (free_seats 0)",
					   g->id);
			else if (g->has_free_seats && e->run_new[j] >= g->free_seats)
				add_reason(u, TT_R_RUNNING_JOIN,
					   "running group %s meets on dagdelen this learner can attend, "
					   "but its %d free seat%s (free_seats) are taken by others",
					   g->id, g->free_seats, g->free_seats == 1 ? "" : "s");
			else
				add_reason(u, TT_R_RUNNING_JOIN,
					   "running group %s meets on dagdelen this learner can attend, "
					   "but has %d learners and its room %s seats %d",
					   g->id, total, rm->id, rm->capacity);
		} else if (!running_teacher_ok(e, l, j)) {
			add_reason(u, TT_R_RUNNING_JOIN,
				   "running group %s meets on dagdelen this learner can attend, but is "
				   "not an alfa group and its teacher %s is not alfa-qualified",
				   g->id, m->teachers[g->teacher].id);
		} else {
			continue;
		}
		n++;
	}
}

/* Is there any option left with usable dagdelen ok[l] per location: a new
 * group pattern somewhere, or a fitting running group (with a seat if asked)? */
static bool any_option(const ex *e, const tt_learner *l, const tt_mask *ok, bool need_seat)
{
	const tt_route *rt = &e->m->routes[l->route];
	for (int k = 0; k < e->m->n_locations; k++)
		if (pattern_ok(e, ok[k], rt, NULL))
			return true;
	for (int j = 0; j < e->m->n_running; j++) {
		if (!running_fits(e, l, j))
			continue;
		int loc = running_location(e, j);
		tt_mask ss = e->m->running[j].sessions & e->all;
		if ((ss & ~ok[loc]) == 0 && (!need_seat || running_has_seat(e, j)))
			return true;
	}
	return false;
}

/* The fewest lesson minutes a group of route rt can meet on the dagdelen
 * in mask (the shortest dagdeel of each day, the shortest days first;
 * any dagdelen when sessions may share a day); -1 when none fits. */
static int min_pattern_minutes(const ex *e, tt_mask mask, const tt_route *rt)
{
	if (route_has_hours(rt)) {
		int v = hours_pattern_minutes(e, mask, rt, NULL);
		return v == -2 ? 0 : v; /* undecided: claim nothing */
	}
	const tt_model *m = e->m;
	int len[TT_MAX_DAGDELEN], n = 0;
	for (int d = 0; d < 7; d++) {
		int best = -1;
		for (int t = 0; t < m->n_dagdelen; t++) {
			if (!(mask & e->day_mask[d] & ((tt_mask)1 << t)))
				continue;
			int v = m->dagdelen[t].end_min - m->dagdelen[t].start_min;
			if (rt->same_day_ok)
				len[n++] = v;
			else if (best < 0 || v < best)
				best = v;
		}
		if (best >= 0)
			len[n++] = best;
	}
	if (rt->sessions <= 0 || n < rt->sessions)
		return -1;
	for (int a = 1; a < n; a++) /* insertion sort: at most 32 entries */
		for (int b = a; b > 0 && len[b] < len[b - 1]; b--) {
			int t = len[b];
			len[b] = len[b - 1];
			len[b - 1] = t;
		}
	int sum = 0;
	for (int k = 0; k < rt->sessions; k++)
		sum += len[k];
	return sum;
}

/* Does learner l's weekly limit leave it an option on the dagdelen in
 * mask (a new group, or a running group that fits by its fields)? */
static bool hours_leave_option(const ex *e, const tt_learner *l, tt_mask mask)
{
	const tt_model *m = e->m;
	int need = min_pattern_minutes(e, mask, &m->routes[l->route]);
	if (need >= 0 && need <= l->weekly_min)
		return true;
	for (int j = 0; j < m->n_running; j++) {
		tt_mask ss = m->running[j].sessions & e->all;
		if (running_fits(e, l, j) && !(ss & ~mask) && tt_mask_minutes(m, ss) <= l->weekly_min)
			return true;
	}
	return false;
}

/* ---- childcare and school, per dagdeel and location ---- */

/* Does childcare keep learner l from dagdeel t at location loc? Writes why. */
static bool childcare_blocks(const ex *e, const tt_learner *l, int t, int loc, char *why,
			     size_t n)
{
	const tt_model *m = e->m;
	if (l->young_children <= 0)
		return false;
	char dn[32], ln[160];
	dd_name(e, t, dn, sizeof dn);
	snprintf(ln, sizeof ln, "%s", m->locations[loc].id);
	if (l->childcare < 0 || l->childcare >= m->n_childcare) {
		snprintf(why, n, "no childcare place on %s at location %s (no childcare provider confirmed)",
			 dn, ln);
		return true;
	}
	const tt_childcare *k = &m->childcare[l->childcare];
	int kt = k->travel ? k->travel[loc] : -1;
	if (kt < 0) {
		snprintf(why, n, "no childcare for %s at location %s (provider %s cannot reach location %s)",
			 dn, ln, k->id, ln);
		return true;
	}
	const tt_dagdeel *d = &m->dagdelen[t];
	int day = d->day >= 0 && d->day < 7 ? d->day : 0;
	if (k->open_min[day] < 0) {
		snprintf(why, n, "no childcare on %s at location %s (provider %s is closed on %s)", dn,
			 ln, k->id, day_names[day]);
		return true;
	}
	if (k->open_min[day] > d->start_min - kt || d->end_min + kt > k->close_min[day]) {
		char a[8], b[8];
		hhmm(a, sizeof a, k->open_min[day]);
		hhmm(b, sizeof b, k->close_min[day]);
		snprintf(why, n,
			 "no childcare on %s at location %s (provider %s is open %s-%s, too short for "
			 "the lesson plus %d min travel each way)",
			 dn, ln, k->id, a, b, kt);
		return true;
	}
	int have = k->places ? k->places[t] : 0;
	int free_places = have - e->care_used[(size_t)l->childcare * (size_t)e->nd + (size_t)t];
	if (free_places < 0)
		free_places = 0;
	if (free_places < l->young_children) {
		if (l->young_children > 1)
			snprintf(why, n,
				 "no childcare places on %s at location %s for %d children (provider "
				 "%s has %d free)",
				 dn, ln, l->young_children, k->id, free_places);
		else
			snprintf(why, n,
				 "no childcare place on %s at location %s (provider %s has %d free)", dn,
				 ln, k->id, free_places);
		return true;
	}
	return false;
}

static bool school_blocks(const ex *e, const tt_learner *l, int t, int loc, char *why, size_t n)
{
	const tt_dagdeel *d = &e->m->dagdelen[t];
	if (l->school_close_min < 0 || d->day < 0 || d->day > 4 ||
	    d->start_min >= l->school_close_min)
		return false;
	int tr = l->travel ? l->travel[loc] : -1;
	if (tr < 0 || d->end_min + tr <= l->school_close_min)
		return false;
	char dn[32], a[8], b[8];
	dd_name(e, t, dn, sizeof dn);
	hhmm(a, sizeof a, d->end_min);
	hhmm(b, sizeof b, l->school_close_min);
	snprintf(why, n,
		 "cannot be home by school closing (%s) after %s at location %s (lesson ends %s, %d min "
		 "travel)",
		 b, dn, e->m->locations[loc].id, a, tr);
	return true;
}

/* ---- counting compatible learners on a common pattern ---- */

typedef struct cnt_search {
	const ex *e;
	const tt_route *rt;
	tt_mask **level_sets; /* [depth] candidate masks still containing the chosen set */
	int *level_n;
	long nodes;
	int best;
	tt_mask best_mask;
	int need;
	bool gave_up;
} cnt_search;

static void cnt_dfs(cnt_search *cs, int depth, tt_mask chosen, int start, tt_mask pool, int used_days)
{
	if (cs->best >= cs->need || cs->gave_up)
		return;
	if (depth == cs->rt->sessions) {
		if (!tt_route_minutes_ok(cs->rt, tt_mask_minutes(cs->e->m, chosen)))
			return;
		if (cs->level_n[depth] > cs->best) {
			cs->best = cs->level_n[depth];
			cs->best_mask = chosen;
		}
		return;
	}
	for (int t = start; t < cs->e->nd; t++) {
		if (!(pool >> t & 1))
			continue;
		int d = cs->e->m->dagdelen[t].day;
		int dbit = d >= 0 && d < 7 ? 1 << d : 0;
		if (!cs->rt->same_day_ok && (used_days & dbit))
			continue;
		if (++cs->nodes > EX_NODE_LIMIT) {
			cs->gave_up = true;
			return;
		}
		tt_mask *src = cs->level_sets[depth], *dst = cs->level_sets[depth + 1];
		int k = 0;
		for (int c = 0; c < cs->level_n[depth]; c++)
			if (src[c] >> t & 1)
				dst[k++] = src[c];
		if (k <= cs->best)
			continue; /* counts only shrink deeper down */
		cs->level_n[depth + 1] = k;
		cnt_dfs(cs, depth + 1, chosen | (tt_mask)1 << t, t + 1, pool, used_days | dbit);
		if (cs->best >= cs->need || cs->gave_up)
			return;
	}
}

/* Largest number of other learners, compatible with l in a group of level gl
 * (women-only or not), who share a session pattern inside pool and reach a
 * location in locs with a room that has l's and their facilities. */
static void count_compatible(const ex *e, int i, int gl, bool wo, tt_mask pool, uint64_t locs,
			     cnt_search *cs)
{
	const tt_model *m = e->m;
	const tt_learner *l = &m->learners[i];
	uint32_t fneed = room_needs_of(m, l);
	const tt_route *rt = &m->routes[l->route];
	tt_mask *cand = cs->level_sets[0];
	int n = 0;
	/* the locations of locs with a room for fneed plus a learner's needs,
	 * per distinct needs (a request has a few) */
	enum { NEED_CACHE = 8 };
	uint32_t cneed[NEED_CACHE];
	uint64_t clocs[NEED_CACHE];
	int ncache = 0;
	for (int j = 0; j < m->n_learners; j++) {
		const tt_learner *o = &m->learners[j];
		if (j == i || o->route != l->route || o->level < gl ||
		    o->level > gl + rt->max_level_spread)
			continue;
		if (rt->alfa_separate && o->alfa != l->alfa)
			continue;
		if (wo ? o->gender != TT_GENDER_F : o->women_only)
			continue;
		if (!(o->avail & pool) || !(e->reach[j] & locs))
			continue;
		uint32_t need = fneed | o->room_needs;
		int q = 0;
		while (q < ncache && cneed[q] != need)
			q++;
		uint64_t with_room = 0;
		if (q < ncache) {
			with_room = clocs[q];
		} else {
			for (int k = 0; k < m->n_locations; k++)
				if ((locs >> k & 1) && loc_has_room(m, k, need))
					with_room |= (uint64_t)1 << k;
			if (ncache < NEED_CACHE)
				cneed[ncache] = need, clocs[ncache++] = with_room;
		}
		if (!(e->reach[j] & with_room))
			continue;
		cand[n++] = o->avail & pool;
	}
	cs->level_n[0] = n;
	cs->nodes = 0;
	cnt_dfs(cs, 0, 0, 0, pool, 0);
}

/* ---- rooms and teachers free under the plan ---- */

static int need_quals(const tt_model *m, const tt_learner *l)
{
	return m->routes[l->route].quals | (l->alfa ? TT_QUAL_ALFA : 0);
}

static bool teacher_usable(const ex *e, int tc, int loc, int quals)
{
	const tt_teacher *t = &e->m->teachers[tc];
	return (t->quals & quals) == quals && loc < 64 && (t->locations >> loc & 1);
}

/* Can teacher tc teach a new group of route rt on dagdelen of mask (at most
 * cap[d] on day d) within the contract it has left? True when undecided. */
static bool teacher_pattern_ok(const ex *e, int tc, tt_mask mask, const tt_route *rt,
			       const int *cap)
{
	if (!pattern_ok(e, mask, rt, cap))
		return false;
	int left = e->m->teachers[tc].max_load - e->teach_week[tc];
	if (left < rt->sessions * e->min_dload)
		return false;
	if ((long)left * e->unit >= (long)rt->sessions * e->max_dmin)
		return true; /* any pattern fits */
	int fewest = hours_pattern_minutes(e, mask, rt, cap);
	return fewest == -2 || (fewest >= 0 && fewest <= (long)left * e->unit);
}

static tt_mask teacher_free(const ex *e, int tc, int *cap)
{
	const tt_teacher *t = &e->m->teachers[tc];
	for (int d = 0; d < 7; d++)
		cap[d] = t->max_per_day - e->teach_day[tc * 7 + d];
	return t->avail & ~e->teach_busy[tc];
}

static tt_mask room_free(const ex *e, int r, int min_size)
{
	const tt_room *rm = &e->m->rooms[r];
	if (!e->m->room_capacity_soft && rm->capacity < min_size)
		return 0;
	return rm->avail & ~e->room_busy[r];
}

static const char *qual_word(int quals)
{
	if (quals & TT_QUAL_ALFA)
		return "alfa-qualified";
	if (quals & TT_QUAL_Z)
		return "Z-qualified";
	return "NT2-qualified";
}

/* Room and teacher stage; true when a reason was added. */
static bool explain_resources(const ex *e, const tt_learner *l, const tt_mask *ok, tt_unplaced *u)
{
	const tt_model *m = e->m;
	const tt_route *rt = &m->routes[l->route];
	int quals = need_quals(m, l);
	uint32_t fneed = room_needs_of(m, l);
	bool room_any = false, teacher_any = false, joint = false;
	bool contract_short = false; /* a teacher free then, without the contract left */
	bool day_short = false;      /* a teacher free then, but not that often a day */
	int cap[7];
	int first_loc = -1;
	for (int loc = 0; loc < m->n_locations && !joint; loc++) {
		if (!pattern_ok(e, ok[loc], rt, NULL) || !loc_has_room(m, loc, fneed))
			continue;
		if (first_loc < 0)
			first_loc = loc;
		for (int r = 0; r < m->n_rooms && !joint; r++) {
			if (m->rooms[r].location != loc || !room_has(m, r, fneed))
				continue;
			tt_mask rf = ok[loc] & room_free(e, r, rt->min_size);
			if (!pattern_ok(e, rf, rt, NULL))
				continue;
			room_any = true;
			for (int tc = 0; tc < m->n_teachers && !joint; tc++) {
				if (!teacher_usable(e, tc, loc, quals))
					continue;
				tt_mask tf = teacher_free(e, tc, cap);
				if (teacher_pattern_ok(e, tc, rf & tf, rt, cap))
					joint = true;
			}
		}
		for (int tc = 0; tc < m->n_teachers && !teacher_any; tc++) {
			if (!teacher_usable(e, tc, loc, quals))
				continue;
			tt_mask tf = teacher_free(e, tc, cap);
			if (teacher_pattern_ok(e, tc, ok[loc] & tf, rt, cap))
				teacher_any = true;
			else if (pattern_ok(e, ok[loc] & tf, rt, cap))
				contract_short = true;
			else if (pattern_ok(e, ok[loc] & tf, rt, NULL))
				day_short = true;
		}
	}
	if (joint || first_loc < 0)
		return false;
	char dn[32], list[256];
	const char *lid = m->locations[first_loc].id;
	if (!room_any) {
		/* name a dagdeel where no room at the location is free */
		tt_mask any_free = 0;
		bool sized = false;
		for (int r = 0; r < m->n_rooms; r++)
			if (m->rooms[r].location == first_loc && room_has(m, r, fneed)) {
				any_free |= room_free(e, r, rt->min_size);
				sized |= m->room_capacity_soft || m->rooms[r].capacity >= rt->min_size;
			}
		tt_mask none = ok[first_loc] & ~any_free;
		if (!sized) {
			add_reason(u, TT_R_ROOM,
				   "no room at location %s seats the minimum group size of %d", lid,
				   rt->min_size);
		} else if (none) {
			dd_name(e, __builtin_ctz(none), dn, sizeof dn);
			if (m->room_capacity_soft)
				add_reason(u, TT_R_ROOM, "no room free on %s at location %s", dn, lid);
			else
				add_reason(u, TT_R_ROOM,
					   "no room seating the minimum group size of %d is free on %s at "
					   "location %s",
					   rt->min_size, dn, lid);
		} else {
			dd_list(e, ok[first_loc], list, sizeof list);
			add_reason(u, TT_R_ROOM,
				   "no room at location %s is free on %d of the dagdelen this learner "
				   "can attend (%s)",
				   lid, rt->sessions, list);
		}
	}
	if (!teacher_any) {
		tt_mask any_free = 0;
		bool qualified = false, reaches = false;
		for (int tc = 0; tc < m->n_teachers; tc++) {
			bool q = (m->teachers[tc].quals & quals) == quals;
			qualified |= q;
			for (int loc = 0; q && loc < m->n_locations && !reaches; loc++)
				reaches = pattern_ok(e, ok[loc], rt, NULL) && loc_has_room(m, loc, fneed) &&
					  teacher_usable(e, tc, loc, quals);
			if (teacher_usable(e, tc, first_loc, quals))
				any_free |= teacher_free(e, tc, cap);
		}
		tt_mask none = ok[first_loc] & ~any_free;
		char hw[64];
		if (!qualified) {
			add_reason(u, TT_R_TEACHER, "no teacher in the request is %s (qualifications)",
				   qual_word(quals));
		} else if (!reaches) {
			add_reason(u, TT_R_TEACHER,
				   "no %s teacher teaches at a location this learner can reach with a "
				   "room (teachers' locations)",
				   qual_word(quals));
		} else if (contract_short) {
			dd_list(e, ok[first_loc], list, sizeof list);
			add_reason(u, TT_R_TEACHER,
				   "every %s teacher free on %d of the dagdelen this learner can attend "
				   "(%s) has too few contract hours left for a %s group%s",
				   qual_word(quals), rt->sessions, list, route_names[l->route],
				   hours_words(rt, hw, sizeof hw));
		} else if (day_short) {
			dd_list(e, ok[first_loc], list, sizeof list);
			add_reason(u, TT_R_TEACHER,
				   "every %s teacher free on the dagdelen this learner can attend (%s) "
				   "may teach too few of them a day (max_per_day) for a %s group of %d "
				   "dagdelen",
				   qual_word(quals), list, route_names[l->route], rt->sessions);
		} else if (none) {
			dd_name(e, __builtin_ctz(none), dn, sizeof dn);
			add_reason(u, TT_R_TEACHER, "no %s teacher free on %s at location %s",
				   qual_word(quals), dn, lid);
		} else {
			dd_list(e, ok[first_loc], list, sizeof list);
			add_reason(u, TT_R_TEACHER,
				   "no %s teacher at location %s is free for %d of the dagdelen this "
				   "learner can attend (%s)",
				   qual_word(quals), lid, rt->sessions, list);
		}
	}
	if (room_any && teacher_any) {
		dd_list(e, ok[first_loc], list, sizeof list);
		add_reason(u, TT_R_ROOM,
			   "no room and %s teacher are free together on %d of the dagdelen this "
			   "learner can attend at location %s (%s)",
			   qual_word(quals), rt->sessions, lid, list);
		add_reason(u, TT_R_TEACHER,
			   "no %s teacher is free together with a room on %d of the dagdelen at "
			   "location %s (%s)",
			   qual_word(quals), rt->sessions, lid, list);
	}
	return true;
}

/* ---- one learner ---- */

/* The dagdelen of the locations where a new group with learner l could
 * meet on ok[] (a pattern and a room with its facilities); *locs those
 * locations. */
static tt_mask group_pool(const ex *e, const tt_learner *l, const tt_mask *ok, uint64_t *locs)
{
	const tt_route *rt = &e->m->routes[l->route];
	uint32_t fneed = room_needs_of(e->m, l);
	tt_mask pool = 0;
	*locs = 0;
	for (int k = 0; k < e->m->n_locations; k++)
		if (pattern_ok(e, ok[k], rt, NULL) && loc_has_room(e->m, k, fneed)) {
			pool |= ok[k];
			*locs |= (uint64_t)1 << k;
		}
	return pool;
}

typedef struct cnt_best {
	int best; /* most other learners found on one pattern, -1 none */
	int gl;   /* at group level */
	bool wo;  /* in a women-only group */
	tt_mask mask;
	bool gave_up;
} cnt_best;

/* The most other learners who could form a new group with learner i on
 * a pattern inside pool at locs, over the group levels and women-only or
 * not, stopping once need are found. */
static cnt_best count_best(const ex *e, int i, tt_mask pool, uint64_t locs, int need)
{
	const tt_model *m = e->m;
	const tt_learner *l = &m->learners[i];
	const tt_route *rt = &m->routes[l->route];
	cnt_best b = {.best = -1, .gl = l->level};
	cnt_search cs = {.e = e, .rt = rt, .need = need, .best = -1};
	int depth = rt->sessions + 1;
	cs.level_sets = xcalloc((size_t)depth, sizeof *cs.level_sets);
	cs.level_n = xcalloc((size_t)depth, sizeof(int));
	for (int d = 0; d < depth; d++)
		cs.level_sets[d] = xmalloc(sizeof(tt_mask) * ((size_t)m->n_learners + 1));
	for (int gl = l->level - rt->max_level_spread; gl <= l->level; gl++) {
		if (gl < 0)
			continue;
		for (int wo = 0; wo < 2; wo++) {
			if (wo ? l->gender != TT_GENDER_F : l->women_only)
				continue;
			cs.best = -1;
			cs.best_mask = 0;
			cs.gave_up = false;
			count_compatible(e, i, gl, wo, pool, locs, &cs);
			b.gave_up |= cs.gave_up;
			if (cs.best > b.best) {
				b.best = cs.best;
				b.gl = gl;
				b.wo = wo;
				b.mask = cs.best_mask;
			}
		}
	}
	for (int d = 0; d < depth; d++)
		free(cs.level_sets[d]);
	free(cs.level_sets);
	free(cs.level_n);
	return b;
}

/* Dagdelen on which a partner of learner i's household, kept apart, is in a
 * running group (0 when none). */
static tt_mask partner_running(const ex *e, int i)
{
	int h = e->m->learners[i].household;
	if (h < 0 || h >= e->n_hh || !e->apart[h])
		return 0;
	tt_mask busy = 0;
	for (int g = 0; g < e->m->n_running; g++)
		if (tt_running_has_household(&e->m->running[g], h))
			busy |= e->m->running[g].sessions;
	return busy;
}

/* The learners who could meet with learner i (its route, a level within
 * the spread either way, literacy where it separates, on some dagdeel of
 * the pool at a location both reach; i included) fill the plan's groups
 * it could attend and are too few for one more group of the minimum size,
 * and those groups are full: then no free room or teacher for a new group
 * would place it, only a seat in one of them, and the reason names the
 * first and what limits it (its room, or the route maximum). Every group
 * it fits on dagdelen it can reach and is available for (reach_ok) must be
 * full, its room seating at least the minimum (else another rule holds a
 * seat, or the room reasons say more), and some teacher of the request
 * must have its qualifications; the groups counted are those it can attend
 * (ok, after childcare and school) with a teacher it may have. */
static bool explain_groups_full(const ex *e, int i, const tt_mask *reach_ok, const tt_mask *ok,
				tt_mask pool, uint64_t locs, tt_unplaced *u)
{
	const tt_model *m = e->m;
	const tt_learner *l = &m->learners[i];
	const tt_route *rt = &m->routes[l->route];
	int quals = need_quals(m, l), n_full = 0, first = -1, first_cap = 0;
	bool qualified = false;
	for (int tc = 0; tc < m->n_teachers && !qualified; tc++)
		qualified = (m->teachers[tc].quals & quals) == quals;
	if (!qualified)
		return false;
	for (int g = 0; g < e->s->n_groups; g++) {
		const tt_group *gr = &e->s->groups[g];
		if (gr->running >= 0 || gr->location < 0 || gr->location >= m->n_locations ||
		    gr->room < 0 || gr->room >= m->n_rooms)
			continue;
		grp_shape sh = {.route = gr->route, .level = gr->level, .alfa = gr->alfa,
				.women_only = gr->women_only, .sessions = gr->sessions,
				.room = gr->room, .teacher = gr->teacher};
		tt_mask ss = gr->sessions & e->all;
		/* a group it fits on dagdelen it is available for there */
		if (!shape_fields_fit(e, l, &sh) || (ss & ~reach_ok[gr->location]))
			continue;
		int cap = rt->max_size;
		if (!m->room_capacity_soft && m->rooms[gr->room].capacity < cap)
			cap = m->rooms[gr->room].capacity;
		/* a seat (another rule may hold it: childcare, a partner, its
		 * teacher), or a room too small for a group at all: not this */
		if (gr->n_members < cap || cap < rt->min_size || m->room_capacity_soft)
			return false;
		if ((ss & ~ok[gr->location]) || !shape_teacher_ok(e, l, &sh))
			continue;
		if (first < 0)
			first = g, first_cap = cap;
		n_full++;
	}
	if (!n_full)
		return false;
	/* the learners who could meet with it in any group: its route, a level
	 * within the spread either way, literacy where it separates, on some
	 * dagdeel of the pool at a location both reach (women-only wishes
	 * aside: the count is never too low) */
	int total = 1;
	for (int j = 0; j < m->n_learners; j++) {
		const tt_learner *o = &m->learners[j];
		if (j == i || o->route != l->route || o->level < l->level - rt->max_level_spread ||
		    o->level > l->level + rt->max_level_spread ||
		    (rt->alfa_separate && o->alfa != l->alfa) || !(o->avail & pool) ||
		    !(e->reach[j] & locs))
			continue;
		total++;
	}
	if (total >= (n_full + 1) * rt->min_size)
		return false;
	const tt_group *gr = &e->s->groups[first];
	char gb[32], dl[160];
	const char *gid = tt_group_name(m, e->s, first, gb, sizeof gb);
	dd_list(e, gr->sessions & e->all, dl, sizeof dl);
	const tt_room *rm = &m->rooms[gr->room];
	char more[64] = "";
	if (n_full > 1)
		snprintf(more, sizeof more, " (and %d more full group%s)", n_full - 1,
			 n_full > 2 ? "s" : "");
	if (first_cap < rt->max_size)
		add_reason(u, TT_R_ROOM,
			   "group %s (%s at location %s) is full: its room %s seats %d%s; the %d "
			   "learners who could meet with this one, this one included, are too few "
			   "for another group (minimum group size %d)",
			   gid, dl, m->locations[gr->location].id, rm->id, rm->capacity, more, total,
			   rt->min_size);
	else
		add_reason(u, TT_R_GROUP_SIZE,
			   "group %s (%s at location %s) is full at the route maximum of %d%s; the "
			   "%d learners who could meet with this one, this one included, are too "
			   "few for another group (minimum group size %d)",
			   gid, dl, m->locations[gr->location].id, rt->max_size, more, total,
			   rt->min_size);
	return true;
}

/* A learner too few to group with whom no teacher of the request could
 * teach at all (its qualifications): a second reason, since more learners
 * alone would not place it. */
static void note_no_qualified_teacher(const ex *e, const tt_learner *l, tt_unplaced *u)
{
	int quals = need_quals(e->m, l);
	for (int tc = 0; tc < e->m->n_teachers; tc++)
		if ((e->m->teachers[tc].quals & quals) == quals)
			return;
	add_reason(u, TT_R_TEACHER, "no teacher in the request is %s (qualifications)",
		   qual_word(quals));
}

/* "group G1 (Mon morning); group G2 (...)": the running groups a partner
 * of l's household (kept apart) is in, with their dagdelen in prun. */
static void partner_groups(const ex *e, const tt_learner *l, tt_mask prun, char *list, size_t sz)
{
	char dl[160];
	size_t n = 0;
	list[0] = '\0';
	for (int g = 0; g < e->m->n_running && n < sz; g++) {
		const tt_running *rg = &e->m->running[g];
		if (!tt_running_has_household(rg, l->household) || !(rg->sessions & prun))
			continue;
		dd_list(e, rg->sessions & prun, dl, sizeof dl);
		n += (size_t)snprintf(list + n, sz - n, "%sgroup %s (%s)", n ? "; " : "", rg->id, dl);
	}
}

/* A learner too few to group with, whose partner kept apart is in a
 * running group on dagdelen it could otherwise attend (prun): the
 * household narrowed its options too, and the answer says where. */
static void note_partner_running(const ex *e, const tt_learner *l, tt_mask prun, tt_unplaced *u)
{
	if (!prun)
		return;
	char list[256];
	partner_groups(e, l, prun, list, sizeof list);
	add_reason(u, TT_R_HOUSEHOLD,
		   "a partner (household kept apart) is in running %s: those dagdelen were not "
		   "open to this learner either",
		   list);
}

static void explain_one(const ex *e, tt_unplaced *u)
{
	const tt_model *m = e->m;
	int i = u->learner;
	const tt_learner *l = &m->learners[i];
	if (l->route < 0 || l->route >= TT_N_ROUTES)
		return;
	const tt_route *rt = &m->routes[l->route];
	int nloc = m->n_locations;
	int seat = -1; /* a running group with a seat for this learner */
	tt_mask ok[TT_MAX_LOCATIONS] = {0}, okc[TT_MAX_LOCATIONS] = {0};
	tt_mask oks[TT_MAX_LOCATIONS] = {0}, okcs[TT_MAX_LOCATIONS] = {0};
	char buf[512], list[256];

	/* 0. the route itself: more sessions than the week has days (or
	 * dagdelen), whoever the learner, when no running group it may join
	 * (by its fields and rules, seats aside), reach and attend (its
	 * availability) could take it either */
	int days = 0;
	for (int d = 0; d < 7; d++)
		days += e->day_mask[d] != 0;
	int room_for = rt->same_day_ok ? e->nd : days;
	bool run_fits = false;
	for (int j = 0; j < m->n_running && !run_fits; j++) {
		int rl = running_location(e, j);
		run_fits = running_fits(e, l, j) && rl >= 0 && (e->reach[i] >> rl & 1) &&
			   !((m->running[j].sessions & e->all) & ~(l->avail & ~l->busy));
	}
	if (rt->sessions > room_for && !run_fits) {
		add_reason(u, TT_R_NO_PATTERN,
			   "route %s meets %d dagdelen a week%s, but the request's week has only "
			   "%d %s (routes.%s.sessions)",
			   route_names[l->route], rt->sessions,
			   rt->same_day_ok ? "" : " on different days", room_for,
			   rt->same_day_ok ? "dagdelen" : "days with dagdelen", route_names[l->route]);
		return;
	}

	/* 1. availability alone */
	tt_mask avail = l->avail & e->all;
	for (int k = 0; k < nloc; k++)
		ok[k] = avail;
	if (!any_option(e, l, ok, false)) {
		dd_list(e, avail, list, sizeof list);
		char hw[64];
		add_reason(u, TT_R_NO_PATTERN,
			   "availability leaves no set of %d dagdelen%s%s (available: %s)",
			   rt->sessions, rt->same_day_ok ? "" : " on different days",
			   hours_words(rt, hw, sizeof hw), list);
		return;
	}

	/* 1a. the learner's module groups take dagdelen */
	if (avail & l->busy) {
		tt_mask freed = avail & ~l->busy;
		for (int k = 0; k < nloc; k++)
			ok[k] = freed;
		if (!any_option(e, l, ok, false)) {
			size_t n = 0;
			list[0] = '\0';
			for (int k = 0; k < m->n_modules && n < sizeof list; k++) {
				const tt_module_group *mg = &m->modules[k];
				bool in = false;
				for (int q = 0; q < mg->n_members && !in; q++)
					in = mg->members[q] == i;
				if (!in || !(mg->sessions & avail))
					continue;
				char dl[160];
				dd_list(e, mg->sessions & avail, dl, sizeof dl);
				n += (size_t)snprintf(list + n, sizeof list - n, "%s%s group %s (%s)",
						      n ? "; " : "", mg->module, mg->id, dl);
			}
			char hw[64];
			add_reason(u, TT_R_NO_PATTERN,
				   "module groups take dagdelen this learner is available (%s): the "
				   "rest leave no set of %d dagdelen%s%s",
				   list, rt->sessions, rt->same_day_ok ? "" : " on different days",
				   hours_words(rt, hw, sizeof hw));
			return;
		}
		avail = freed;
	}

	/* 1a'. a partner kept apart is in a running group on some of them */
	tt_mask prun = partner_running(e, i) & avail;
	tt_mask prun_taken = 0; /* for the group-size reasons below */
	if (prun) {
		tt_mask freed = avail & ~prun;
		for (int k = 0; k < nloc; k++)
			ok[k] = freed;
		if (!any_option(e, l, ok, false)) {
			partner_groups(e, l, prun, list, sizeof list);
			char hw[64];
			add_reason(u, TT_R_HOUSEHOLD,
				   "a partner (household kept apart) is in running %s: the dagdelen "
				   "left leave no set of %d dagdelen%s%s",
				   list, rt->sessions, rt->same_day_ok ? "" : " on different days",
				   hours_words(rt, hw, sizeof hw));
			return;
		}
		prun_taken = prun;
		avail = freed;
	}

	/* 1b. the weekly hours the learner can take */
	if (l->weekly_min >= 0 && !hours_leave_option(e, l, avail)) {
		int need = min_pattern_minutes(e, avail, rt);
		char hw[64];
		if (need < 0) /* no new group at all: only running groups, too long */
			add_reason(u, TT_R_NO_PATTERN,
				   "can take %g h of lessons a week; no new %s group of %d dagdelen%s "
				   "fits the dagdelen this learner is available, and the running "
				   "groups that do meet longer",
				   l->weekly_min / 60.0, route_names[l->route], rt->sessions,
				   hours_words(rt, hw, sizeof hw));
		else
			add_reason(u, TT_R_NO_PATTERN,
				   "can take %g h of lessons a week; a %s group meets %d dagdelen, at "
				   "least %g h on the dagdelen this learner is available",
				   l->weekly_min / 60.0, route_names[l->route], rt->sessions,
				   need / 60.0);
		return;
	}

	/* 2. reachable, open locations with a room */
	bool reach = false;
	for (int k = 0; k < nloc; k++) {
		bool r = l->travel && l->travel[k] >= 0 && (e->loc_rooms >> k & 1);
		reach |= r;
		ok[k] = r ? avail & ~m->locations[k].closed : 0;
	}
	if (!any_option(e, l, ok, false)) {
		if (!reach) {
			add_reason(u, TT_R_NO_LOCATION, "no teaching location with a room is within reach");
		} else {
			size_t n = 0;
			list[0] = '\0';
			for (int k = 0; k < nloc && n < sizeof list; k++)
				if (l->travel && l->travel[k] >= 0 && (e->loc_rooms >> k & 1))
					n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
							      n ? ", " : "", m->locations[k].id);
			add_reason(u, TT_R_NO_LOCATION,
				   "the reachable locations (%s) are closed on the dagdelen this "
				   "learner can attend: no set of %d dagdelen remains",
				   list, rt->sessions);
		}
		return;
	}

	/* 2a. rooms with the facilities the learner and the route need */
	uint32_t fneed = room_needs_of(m, l);
	if (fneed) {
		tt_mask okf[TT_MAX_LOCATIONS] = {0};
		size_t n = 0;
		list[0] = '\0';
		for (int k = 0; k < nloc; k++) {
			if (!ok[k])
				continue;
			okf[k] = loc_has_room(m, k, fneed) ? ok[k] : 0;
			if (n < sizeof list)
				n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "",
						      m->locations[k].id);
		}
		/* a running group the learner may join (its room has the
		 * learner's needs; the route's do not bind it) keeps every
		 * location: then nothing is narrowed or claimed here */
		bool run_ok = false;
		for (int j = 0; j < m->n_running && !run_ok; j++) {
			int loc = running_location(e, j);
			tt_mask ss = m->running[j].sessions & e->all;
			run_ok = running_fits(e, l, j) && !(ss & ~ok[loc]) &&
				 (l->weekly_min < 0 || tt_mask_minutes(m, ss) <= l->weekly_min);
		}
		if (!run_ok && !any_option(e, l, okf, false)) {
			char fl[256];
			uint32_t own = l->room_needs, route = m->routes[l->route].room_needs & ~own;
			facility_names(m, fneed, fl, sizeof fl);
			add_reason(u, TT_R_ROOM,
				   "no room at the reachable locations (%s) has %s, which %s%s%s needs",
				   list, fl, own ? "this learner" : "",
				   own && route ? " or the route " : route ? "route " : "",
				   route ? route_names[l->route] : "");
			return;
		}
		for (int k = 0; k < nloc && !run_ok; k++)
			ok[k] = okf[k];
	}

	/* 3. childcare and school */
	if (l->young_children > 0 && (l->childcare < 0 || l->childcare >= m->n_childcare)) {
		add_reason(u, TT_R_CHILDCARE,
			   "no childcare place: no childcare provider is confirmed, and a place is "
			   "needed before a lesson can be attended");
		return;
	}
	char care_why[512] = "", school_why[512] = "";
	int care_more = 0, school_more = 0;
	for (int k = 0; k < nloc; k++) {
		okc[k] = oks[k] = ok[k];
		for (int t = 0; t < e->nd; t++) {
			if (!(ok[k] >> t & 1))
				continue;
			if (childcare_blocks(e, l, t, k, buf, sizeof buf)) {
				okc[k] &= ~((tt_mask)1 << t);
				if (!care_why[0])
					snprintf(care_why, sizeof care_why, "%s", buf);
				else
					care_more++;
			}
			if (school_blocks(e, l, t, k, buf, sizeof buf)) {
				oks[k] &= ~((tt_mask)1 << t);
				if (!school_why[0])
					snprintf(school_why, sizeof school_why, "%s", buf);
				else
					school_more++;
			}
		}
		okcs[k] = okc[k] & oks[k];
	}
	if (!any_option(e, l, okcs, false)) {
		bool c_alone = !any_option(e, l, okc, false);
		bool s_alone = !any_option(e, l, oks, false);
		if (c_alone || !s_alone) {
			if (care_more)
				add_reason(u, TT_R_CHILDCARE, "%s; childcare also rules out %d more "
							      "dagdeel/location combinations",
					   care_why, care_more);
			else
				add_reason(u, TT_R_CHILDCARE, "%s", care_why);
		}
		if (s_alone || !c_alone) {
			if (school_more)
				add_reason(u, TT_R_SCHOOL, "%s; school hours also rule out %d more "
							   "dagdeel/location combinations",
					   school_why, school_more);
			else
				add_reason(u, TT_R_SCHOOL, "%s", school_why);
		}
		return;
	}

	/* 4. household partners */
	tt_mask okpre[TT_MAX_LOCATIONS] = {0}; /* the options before them */
	tt_mask partner = 0;
	int who = -1;
	for (int k = 0; k < nloc; k++)
		okpre[k] = okcs[k];
	if (l->household >= 0 && l->household < e->n_hh && e->apart[l->household]) {
		for (int j = 0; j < m->n_learners; j++) {
			if (j == i || m->learners[j].household != l->household ||
			    e->placed_in[j] < 0)
				continue;
			tt_mask ss = e->s->groups[e->placed_in[j]].sessions & e->all;
			if ((ss & avail) && who < 0)
				who = j;
			partner |= ss;
		}
		tt_mask okh[TT_MAX_LOCATIONS] = {0};
		for (int k = 0; k < nloc; k++)
			okh[k] = okcs[k] & ~partner;
		if (partner && !any_option(e, l, okh, false)) {
			dd_list(e, partner & avail, list, sizeof list);
			add_reason(u, TT_R_HOUSEHOLD, "partner %s in the same household attends on %s",
				   who >= 0 ? m->learners[who].id : "(another learner)", list);
			return;
		}
		for (int k = 0; k < nloc; k++)
			okcs[k] = okh[k];
	}

	/* 5. a running group with a seat, or enough compatible learners */
	for (int j = 0; j < m->n_running; j++) {
		if (!running_fits(e, l, j))
			continue;
		int loc = running_location(e, j);
		tt_mask ss = m->running[j].sessions & e->all;
		if ((ss & ~okcs[loc]) == 0 && running_has_seat(e, j)) {
			seat = j;
			goto optimised; /* a seat in a running group: nothing forbids it */
		}
	}
	/* where the partner's dagdelen take what a group needs, the household
	 * is the reason (the group-size reasons below would blame others) */
	uint64_t locs, locs_pre;
	tt_mask pool = group_pool(e, l, okcs, &locs);
	tt_mask pool_pre = (partner & avail) ? group_pool(e, l, okpre, &locs_pre) : 0;
	int need = rt->min_size - 1;
	cnt_best b = {.best = -1, .gl = l->level};
	if (pool && need > 0)
		b = count_best(e, i, pool, locs, need);
	bool short_here = !pool || (need > 0 && !b.gave_up && b.best < need);
	if (short_here && pool_pre) {
		cnt_best bp = need > 0 ? count_best(e, i, pool_pre, locs_pre, need)
				       : (cnt_best){.best = 0};
		if (!bp.gave_up && bp.best >= need) {
			dd_list(e, partner & avail, list, sizeof list);
			add_reason(u, TT_R_HOUSEHOLD,
				   "partner %s in the same household attends on %s, and without those "
				   "dagdelen no %s group can form with this learner",
				   who >= 0 ? m->learners[who].id : "(another learner)", list,
				   route_names[l->route]);
			return;
		}
	}
	if (!pool) {
		add_reason(u, TT_R_GROUP_SIZE,
			   "no new %s group can meet on the dagdelen left, and every running group "
			   "that fits is full (route maximum %d)",
			   route_names[l->route], rt->max_size);
		explain_running_closed(e, l, okcs, u);
		note_partner_running(e, l, prun_taken, u);
		note_no_qualified_teacher(e, l, u);
		return;
	}
	if (short_here) {
		char band[16];
		int top = b.gl + rt->max_level_spread;
		if (top > TT_MAX_LEVEL)
			top = TT_MAX_LEVEL;
		if (top == b.gl)
			snprintf(band, sizeof band, "%s", level_names[b.gl]);
		else
			snprintf(band, sizeof band, "%s-%s", level_names[b.gl], level_names[top]);
		const char *kind = rt->alfa_separate ? (l->alfa ? " alfa" : " non-alfa") : "";
		if (b.mask && b.best > 0) {
			dd_list(e, b.mask, list, sizeof list);
			add_reason(u, TT_R_GROUP_SIZE,
				   "only %d learners at level %s%s%s (route %s), this one included, "
				   "share a set of %d dagdelen (the most on %s): minimum group size %d",
				   b.best + 1, band, kind,
				   b.wo ? (l->women_only ? " women-only (this learner's wish)"
							 : " women-only")
					: "",
				   route_names[l->route], rt->sessions, list, rt->min_size);
		} else {
			add_reason(u, TT_R_GROUP_SIZE,
				   "no other learner at level %s%s (route %s)%s shares %d dagdelen "
				   "with this learner: minimum group size %d",
				   band, kind, route_names[l->route],
				   l->women_only ? " who may join a women-only group (this learner's "
						   "wish: women only)"
						 : "",
				   rt->sessions, rt->min_size);
		}
		explain_running_closed(e, l, okcs, u);
		note_partner_running(e, l, prun_taken, u);
		note_no_qualified_teacher(e, l, u);
		return;
	}

	/* 5b. enough learners in all, but the plan's groups they fill are full
	 * and the rest are too few for another: no free room or teacher helps */
	if (need > 0 && !b.gave_up && explain_groups_full(e, i, ok, okcs, pool, locs, u))
		return;

	/* 6. rooms and teachers free under the plan */
	if (explain_resources(e, l, okcs, u))
		return;

	/* 7. no rule alone: the rules together with the other learners' places,
	 * or the objective */
optimised:;
	/* an infeasible answer: no plan places every must-place learner, so
	 * no objective chose to leave this one out */
	if (e->s->status == TT_INFEASIBLE && l->must_place) {
		size_t w = 0;
		list[0] = 0;
		for (int k = 0; k < e->s->n_conflicts && w + 2 < sizeof list; k++)
			w += (size_t)snprintf(list + w, sizeof list - w, "%s%s", k ? ", " : "",
					      e->s->conflicts[k]);
		add_reason(u, TT_R_CONFLICT,
			   "no plan places every must-place learner, and this plan leaves this "
			   "learner out; no single rule checked here rules them out, the rules "
			   "together do (%s%s)",
			   e->s->n_conflicts ? "conflicting rule families: " : "no family settles it",
			   list);
		return;
	}
	int weeks = l->weeks_waiting > 0 ? l->weeks_waiting : 0;
	/* a learner of the start pays the moved weight for waiting too */
	bool listed = false;
	for (int q = 0; m->w.moved > 0 && q < m->n_start && !listed; q++)
		for (int k = 0; k < m->start[q].n_members && !listed; k++)
			listed = m->start[q].members[k] == i;
	char moved[48] = "";
	if (listed)
		snprintf(moved, sizeof moved, " + moved %g", m->w.moved);
	char cost[160];
	snprintf(cost, sizeof cost,
		 "objective term unplaced %g + wait %g (%d week%s)%s for this learner", m->w.unplaced,
		 m->w.wait_week * weeks, weeks, weeks == 1 ? "" : "s", moved);
	if (seat >= 0) {
		add_reason(u, TT_R_OPTIMISED,
			   "running group %s has a seat on dagdelen this learner can attend and no "
			   "rule checked here forbids it; the plan left them waiting (%s)",
			   m->running[seat].id, cost);
		return;
	}
	/* a new group of the plan with a seat: free to take, or held by one rule */
	for (int g = 0; g < e->s->n_groups; g++) {
		const tt_group *gr = &e->s->groups[g];
		if (!plan_group_has_seat(e, l, gr))
			continue;
		int loc = gr->location;
		tt_mask ss = gr->sessions & e->all;
		if ((ss & ~ok[loc]) != 0)
			continue;
		char gbuf[32];
		const char *gid = tt_group_name(m, e->s, g, gbuf, sizeof gbuf);
		if ((ss & ~okcs[loc]) == 0) {
			add_reason(u, TT_R_OPTIMISED,
				   "new group %s has a seat on dagdelen this learner can attend and no "
				   "rule checked here forbids it; the plan left them waiting (%s)",
				   gid, cost);
			return;
		}
		if ((ss & ~okpre[loc]) == 0 && (ss & partner)) {
			dd_list(e, ss & partner, list, sizeof list);
			add_reason(u, TT_R_HOUSEHOLD,
				   "new group %s has a seat, but partner %s in the same household "
				   "attends on %s",
				   gid, who >= 0 ? m->learners[who].id : "(another learner)", list);
			return;
		}
		for (int t = 0; t < e->nd; t++)
			if ((ss >> t & 1) && !(okc[loc] >> t & 1) &&
			    childcare_blocks(e, l, t, loc, buf, sizeof buf)) {
				add_reason(u, TT_R_CHILDCARE, "new group %s has a seat, but %s", gid, buf);
				return;
			}
	}
	add_reason(u, TT_R_OPTIMISED,
			   "no single rule rules this learner out; the rules together with the other "
			   "learners' places, or the objective, left them waiting (%s)",
			   cost);
}

/* ---- learners the start placed whose lessons change ---- */

typedef struct st_why {
	const char *rule;
	char text[640];
} st_why;

static bool st_set(st_why *w, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool st_set(st_why *w, const char *rule, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->text, sizeof w->text, fmt, ap);
	va_end(ap);
	w->rule = rule;
	return true;
}

/* Learner l against a group's stated fields (-1: not stated): route,
 * level band, literacy, women-only, weekly hours. */
static bool st_fields(const ex *e, const tt_learner *l, const char *gid, int route, int level,
		      int alfa, int wo, tt_mask sessions, st_why *w)
{
	const tt_model *m = e->m;
	if (route >= 0 && route < TT_N_ROUTES && route != l->route)
		return st_set(w, "route", "route is %s now; group %s is a %s group",
			      route_names[l->route], gid, route_names[route]);
	const tt_route *rt = &m->routes[route >= 0 && route < TT_N_ROUTES ? route : l->route];
	if (level >= 0 && level <= TT_MAX_LEVEL &&
	    (l->level < level || l->level > level + rt->max_level_spread)) {
		int top = level + rt->max_level_spread;
		top = top > TT_MAX_LEVEL ? TT_MAX_LEVEL : top;
		if (top == level)
			return st_set(w, "level_spread", "level %s now; group %s is at level %s",
				      level_names[l->level], gid, level_names[level]);
		return st_set(w, "level_spread", "level %s now; group %s takes levels %s-%s",
			      level_names[l->level], gid, level_names[level], level_names[top]);
	}
	if (rt->alfa_separate && alfa >= 0 && (alfa != 0) != l->alfa)
		return st_set(w, "alfa_separation",
			      l->alfa ? "needs literacy teaching (alfa) now; group %s is not an "
					"alfa group"
				      : "no longer needs literacy teaching (alfa); group %s is an "
					"alfa group",
			      gid);
	if (l->women_only && wo == 0)
		return st_set(w, "women_only", "wishes a women-only group; group %s is mixed", gid);
	if (wo == 1 && l->gender != TT_GENDER_F)
		return st_set(w, "women_only", "group %s is women-only", gid);
	int mins = tt_mask_minutes(m, sessions & e->all);
	if (l->weekly_min >= 0 && mins > l->weekly_min)
		return st_set(w, "availability",
			      "can take %g h of lessons a week; group %s meets %g h", l->weekly_min / 60.0,
			      gid, mins / 60.0);
	return false;
}

/* The dagdelen of a group at location loc against learner i: reach,
 * availability, module groups, closing, a partner kept apart, childcare,
 * school. */
static bool st_dagdelen(const ex *e, int i, const char *gid, tt_mask sessions, int loc,
			st_why *w)
{
	const tt_model *m = e->m;
	const tt_learner *l = &m->learners[i];
	if (loc < 0 || loc >= m->n_locations)
		return false;
	const char *ln = m->locations[loc].id;
	if (!(e->reach[i] >> loc & 1))
		return st_set(w, "travel", "location %s of group %s is out of reach", ln, gid);
	tt_mask ss = sessions & e->all;
	char dl[256], why[512];
	if (ss & ~l->avail) {
		dd_list(e, ss & ~l->avail, dl, sizeof dl);
		return st_set(w, "availability", "not available on %s, when group %s meets", dl, gid);
	}
	if (ss & l->busy) {
		dd_list(e, ss & l->busy, dl, sizeof dl);
		return st_set(w, "availability",
			      "a module group takes %s, when group %s meets", dl, gid);
	}
	if (ss & m->locations[loc].closed) {
		dd_list(e, ss & m->locations[loc].closed, dl, sizeof dl);
		return st_set(w, "location_closed", "location %s is closed on %s, when group %s meets",
			      ln, dl, gid);
	}
	/* a partner kept apart, in a running group or in the plan */
	if (l->household >= 0 && l->household < e->n_hh && e->apart[l->household]) {
		tt_mask pr = partner_running(e, i) & ss;
		if (pr) {
			dd_list(e, pr, dl, sizeof dl);
			return st_set(w, "household",
				      "a partner (household kept apart) attends a running group on %s, "
				      "when group %s meets",
				      dl, gid);
		}
		for (int j = 0; j < m->n_learners; j++) {
			if (j == i || m->learners[j].household != l->household || e->placed_in[j] < 0)
				continue;
			tt_mask ps = e->s->groups[e->placed_in[j]].sessions & ss;
			if (ps) {
				dd_list(e, ps, dl, sizeof dl);
				return st_set(w, "household",
					      "partner %s in the same household attends on %s, when "
					      "group %s meets",
					      m->learners[j].id, dl, gid);
			}
		}
	}
	/* childcare: the learner's own children counted where it attends now */
	tt_mask now = e->placed_in[i] >= 0 ? e->s->groups[e->placed_in[i]].sessions & e->all : 0;
	bool care = l->young_children > 0 && l->childcare >= 0 && l->childcare < m->n_childcare;
	for (int t = 0; t < e->nd; t++) {
		if (!(ss >> t & 1))
			continue;
		size_t at = care ? (size_t)l->childcare * (size_t)e->nd + (size_t)t : 0;
		bool own = care && (now >> t & 1);
		if (own)
			e->care_used[at] -= l->young_children;
		bool blocked = childcare_blocks(e, l, t, loc, why, sizeof why);
		if (own)
			e->care_used[at] += l->young_children;
		if (blocked)
			return st_set(w, "childcare", "%s, when group %s meets", why, gid);
		if (school_blocks(e, l, t, loc, why, sizeof why))
			return st_set(w, "school", "%s, when group %s meets", why, gid);
	}
	return false;
}

/* The plan's new group that carries on start group q: the one with its id
 * (tt_name_groups), else on the same dagdelen and location with the most
 * of its members (at least one: a group another start group's id went to,
 * when their learners were merged); -1 when none. */
static int st_successor(const ex *e, const tt_start_group *sg)
{
	const tt_solution *s = e->s;
	int best = -1, most = 0;
	for (int k = 0; k < s->n_groups; k++) {
		const tt_group *g = &s->groups[k];
		if (g->running >= 0 || g->sessions != sg->sessions || g->location != sg->location)
			continue;
		if (sg->id && s->names && s->names[k] && strcmp(s->names[k], sg->id) == 0)
			return k;
		int n = 0;
		for (int a = 0; a < sg->n_members; a++) {
			int i = sg->members[a];
			n += i >= 0 && i < e->nl && e->placed_in[i] == k;
		}
		if (n > most)
			best = k, most = n;
	}
	return best;
}

/* Why learner i, placed by start group q, has other lessons (or waits). */
static void st_explain(const ex *e, int i, int q, st_why *w)
{
	const tt_model *m = e->m;
	const tt_learner *l = &m->learners[i];
	const tt_start_group *sg = &m->start[q];
	const char *gid = sg->id ? sg->id : "(unnamed)";
	char dl[256];
	double mw = m->w.moved;
	char cost[96];
	if (mw > 0)
		snprintf(cost, sizeof cost,
			 "weights.moved: each learner whose lessons change costs %g", mw);
	else
		snprintf(cost, sizeof cost, "weights.moved is 0: keeping lessons is not weighed");
	if (sg->running == -2) {
		st_set(w, "group_dropped", "running group %s is not in this request", gid);
		return;
	}
	if (sg->running >= 0 && sg->running < m->n_running) {
		int j = sg->running;
		const tt_running *rg = &m->running[j];
		grp_shape sh = running_shape(e, j);
		if (st_fields(e, l, rg->id, sh.route, sh.level, sh.alfa, sh.women_only, sh.sessions,
			      w) ||
		    st_dagdelen(e, i, rg->id, rg->sessions, running_location(e, j), w))
			return;
		if (!rg->may_join) {
			st_set(w, "running_join",
			       "running group %s started 4 weeks or more before newcomers would join "
			       "(the term's start, or term.as_of when later): newcomers join a group "
			       "only in its first 4 weeks",
			       rg->id);
			return;
		}
		if (!running_teacher_ok(e, l, j)) {
			bool known = rg->teacher >= 0 && rg->teacher < m->n_teachers;
			st_set(w, "running_join",
			       "running group %s is not an alfa group and its teacher%s%s is not "
			       "alfa-qualified",
			       rg->id, known ? " " : "", known ? m->teachers[rg->teacher].id : "");
			return;
		}
		if (rg->has_free_seats && rg->free_seats == 0) {
			st_set(w, "running_join", "running group %s takes no newcomers (free_seats 0)",
			       rg->id);
			return;
		}
		if (!running_has_seat(e, j)) {
			st_set(w, "optimised",
			       "running group %s has no seat left: the plan that scored best gave its "
			       "seats to others (%s)",
			       rg->id, cost);
			return;
		}
		st_set(w, "optimised",
		       "running group %s still has a seat, but the plan that scored best %s (%s)",
		       rg->id, e->placed_in[i] >= 0 ? "gives this learner other lessons"
						    : "leaves this learner waiting",
		       cost);
		return;
	}
	if (st_fields(e, l, gid, sg->route, sg->level, sg->alfa, sg->women_only, sg->sessions, w) ||
	    (!sg->sessions_lost && st_dagdelen(e, i, gid, sg->sessions, sg->location, w)))
		return;
	const tt_start_outcome *oc = NULL;
	for (int k = 0; k < e->s->start.n_out && !oc; k++)
		if (e->s->start.out[k].q == q)
			oc = &e->s->start.out[k];
	if (!oc || oc->fate == TT_SG_DROPPED) {
		if (oc && oc->reason)
			st_set(w, "group_dropped", "group %s was dropped: %s", gid, oc->reason);
		else
			st_set(w, "group_dropped", "group %s was dropped", gid);
		return;
	}
	int k = st_successor(e, sg);
	dd_list(e, sg->sessions & e->all, dl, sizeof dl);
	const char *gives = e->placed_in[i] >= 0 ? "gives this learner other lessons"
						 : "leaves this learner waiting";
	if (k < 0) {
		st_set(w, "optimised",
		       "the plan that scored best no longer has group %s (%s at location %s) and "
		       "%s (%s)",
		       gid, dl,
		       sg->location >= 0 && sg->location < m->n_locations
			       ? m->locations[sg->location].id
			       : "?",
		       gives, cost);
		return;
	}
	const tt_group *g = &e->s->groups[k];
	int cap = m->routes[g->route].max_size;
	if (!m->room_capacity_soft && g->room >= 0 && g->room < m->n_rooms &&
	    m->rooms[g->room].capacity < cap)
		cap = m->rooms[g->room].capacity;
	/* the successor under another id: group g2's learners merged into g1 */
	char gb[32], now[96];
	const char *nm = tt_group_name(m, e->s, k, gb, sizeof gb);
	if (sg->id && strcmp(nm, sg->id) != 0)
		snprintf(now, sizeof now, "the group of %s's learners (%s now)", gid, nm);
	else
		snprintf(now, sizeof now, "group %s", gid);
	if (g->n_members >= cap)
		st_set(w, "optimised",
		       "%s still meets on %s and is full (%d learners): the plan that scored best "
		       "gave its seats to others (%s)",
		       now, dl, g->n_members, cost);
	else
		st_set(w, "optimised", "%s still meets on %s, but the plan that scored best %s (%s)",
		       now, dl, gives, cost);
}

/* For every learner a start placed whose lessons change: why. */
static void explain_start(const ex *e, tt_solution *s)
{
	const tt_model *m = e->m;
	int *first = xmalloc(((size_t)m->n_learners + 1) * sizeof *first);
	tt_start_first(m, first);
	for (int i = 0; i < m->n_learners; i++) {
		int q = first[i];
		if (q < 0)
			continue;
		int k = e->placed_in[i], run = -1, loc = -1;
		tt_mask mask = 0;
		if (k >= 0) {
			run = s->groups[k].running;
			mask = s->groups[k].sessions;
			loc = run >= 0 ? -1 : s->groups[k].location;
		}
		if (!tt_start_moves(m, q, run, mask, loc))
			continue;
		st_why w = {0};
		st_explain(e, i, q, &w);
		s->start.changed = xrealloc(s->start.changed,
					    ((size_t)s->start.n_changed + 1) * sizeof *s->start.changed);
		s->start.changed[s->start.n_changed++] = (tt_start_change){
			.learner = i, .q = q, .placed = k >= 0, .rule = w.rule, .reason = xstrdup(w.text)};
	}
	free(first);
}

void tt_explain(const tt_model *m, tt_solution *s)
{
	if (!m || !s || m->n_dagdelen < 0 || m->n_dagdelen > TT_MAX_DAGDELEN ||
	    m->n_locations < 0 || m->n_locations > TT_MAX_LOCATIONS)
		return;
	for (int k = 0; k < s->n_unplaced; k++) {
		for (int r = 0; r < s->unplaced[k].n_reasons; r++)
			free(s->unplaced[k].reasons[r].text);
		free(s->unplaced[k].reasons);
		s->unplaced[k].reasons = NULL;
		s->unplaced[k].n_reasons = 0;
	}
	tt_start_changes_free(&s->start);
	if (!s->n_unplaced && !(s->start.used && m->n_start > 0))
		return;
	ex e = {.m = m, .s = s, .nd = m->n_dagdelen, .nl = m->n_learners};
	e.all = e.nd == 32 ? ~(tt_mask)0 : (((tt_mask)1 << e.nd) - 1);
	for (int t = 0; t < e.nd; t++) {
		int d = m->dagdelen[t].day;
		if (d >= 0 && d < 7)
			e.day_mask[d] |= (tt_mask)1 << t;
	}
	for (int r = 0; r < m->n_rooms; r++)
		if (m->rooms[r].location >= 0 && m->rooms[r].location < m->n_locations)
			e.loc_rooms |= (uint64_t)1 << m->rooms[r].location;
	e.placed_in = xmalloc(sizeof(int) * ((size_t)m->n_learners + 1));
	e.care_used = xcalloc((size_t)m->n_childcare * (size_t)e.nd + 1, sizeof(int));
	e.room_busy = xcalloc((size_t)m->n_rooms + 1, sizeof(tt_mask));
	e.teach_busy = xcalloc((size_t)m->n_teachers + 1, sizeof(tt_mask));
	e.teach_week = xcalloc((size_t)m->n_teachers + 1, sizeof(int));
	e.min_dload = 1 << 20;
	for (int t = 0; t < m->n_dagdelen; t++) {
		int l = tt_mask_load(m, (tt_mask)1 << t);
		if (l < e.min_dload)
			e.min_dload = l;
	}
	if (e.min_dload == 1 << 20)
		e.min_dload = 1;
	e.unit = tt_load_unit(m);
	for (int t = 0; t < m->n_dagdelen; t++)
		if (m->dagdelen[t].end_min - m->dagdelen[t].start_min > e.max_dmin)
			e.max_dmin = m->dagdelen[t].end_min - m->dagdelen[t].start_min;
	e.teach_day = xcalloc((size_t)m->n_teachers * 7 + 1, sizeof(int));
	e.run_new = xcalloc((size_t)m->n_running + 1, sizeof(int));
	for (int i = 0; i < m->n_learners; i++) {
		e.placed_in[i] = -1;
		if (m->learners[i].household >= e.n_hh)
			e.n_hh = m->learners[i].household + 1;
	}
	e.reach = xcalloc((size_t)m->n_learners + 1, sizeof *e.reach);
	for (int i = 0; i < m->n_learners; i++)
		for (int k = 0; k < m->n_locations; k++)
			if (m->learners[i].travel && m->learners[i].travel[k] >= 0)
				e.reach[i] |= (uint64_t)1 << k;
	e.apart = xcalloc((size_t)e.n_hh + 1, sizeof(bool));
	for (int i = 0; i < m->n_learners; i++)
		if (m->learners[i].household >= 0 && m->learners[i].partners_apart)
			e.apart[m->learners[i].household] = true;
	/* the plan's groups and the running groups hold rooms and teachers */
	for (int k = 0; k < s->n_groups; k++) {
		const tt_group *g = &s->groups[k];
		for (int j = 0; j < g->n_members; j++) {
			int i = g->members ? g->members[j] : -1;
			if (i >= 0 && i < m->n_learners && e.placed_in[i] < 0)
				e.placed_in[i] = k;
		}
		if (g->running >= 0 && g->running < m->n_running) {
			e.run_new[g->running] += g->n_members;
			continue;
		}
		if (g->running >= 0)
			continue;
		tt_mask ss = g->sessions & e.all;
		if (g->room >= 0 && g->room < m->n_rooms)
			e.room_busy[g->room] |= ss;
		if (g->teacher >= 0 && g->teacher < m->n_teachers) {
			e.teach_busy[g->teacher] |= ss;
			e.teach_week[g->teacher] += tt_mask_load(m, ss);
			for (int d = 0; d < 7; d++)
				e.teach_day[g->teacher * 7 + d] += popcount(ss & e.day_mask[d]);
		}
	}
	for (int j = 0; j < m->n_running; j++) {
		const tt_running *g = &m->running[j];
		tt_mask ss = g->sessions & e.all;
		if (g->room >= 0 && g->room < m->n_rooms)
			e.room_busy[g->room] |= ss;
		if (g->teacher >= 0 && g->teacher < m->n_teachers) {
			e.teach_busy[g->teacher] |= ss;
			e.teach_week[g->teacher] += tt_mask_load(m, ss);
			for (int d = 0; d < 7; d++)
				e.teach_day[g->teacher * 7 + d] += popcount(ss & e.day_mask[d]);
		}
	}
	for (int i = 0; i < m->n_learners; i++) {
		const tt_learner *l = &m->learners[i];
		if (e.placed_in[i] < 0 || l->young_children <= 0 || l->childcare < 0 ||
		    l->childcare >= m->n_childcare)
			continue;
		tt_mask ss = s->groups[e.placed_in[i]].sessions & e.all;
		for (int t = 0; t < e.nd; t++)
			if (ss >> t & 1)
				e.care_used[(size_t)l->childcare * (size_t)e.nd + (size_t)t] +=
					l->young_children;
	}
	for (int k = 0; k < s->n_unplaced; k++)
		if (s->unplaced[k].learner >= 0 && s->unplaced[k].learner < m->n_learners)
			explain_one(&e, &s->unplaced[k]);
	if (s->start.used)
		explain_start(&e, s);
	free(e.placed_in);
	free(e.care_used);
	free(e.room_busy);
	free(e.teach_busy);
	free(e.teach_week);
	free(e.teach_day);
	free(e.run_new);
	free(e.apart);
	free(e.reach);
}

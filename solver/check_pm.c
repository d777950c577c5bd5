/* check_pm.c: the independent checker of placement matches
 * (docs/placement.md): verifies every hard constraint of a pm_solution
 * against its pm_model, names each violation by constraint family with ids,
 * and recomputes the objective from the weights. Written from the spec and
 * pm.h only; shares no code with the model builder (pm_solve.c) or the
 * decoder (pm_decode.c), so it computes hours and level names itself. */
#include "pm.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_error.h"
#include "xalloc.h"

/* At most this many violations are listed; one more entry says how many
 * were left out (a broken answer for 20 000 participants stays readable). */
#define CHK_MAX_LISTED 500

/* Hours and supervision are sums of doubles: a bound holds within this. */
#define CHK_EPS 1e-9

typedef struct chk {
	const pm_model *m;
	const pm_solution *s;
	pm_check_result *r;
	int cap;
	int left_out;
	pm_mask all; /* every dagdeel of the model */
	bool pairs;  /* explicit pair tables: dagdelen play no part */
} chk;

/* What the participants of one placement add up to. */
typedef struct chk_load {
	int n;
	double hours;    /* hours a week (pair_hours in pair mode) */
	double coaching; /* supervision they need */
	int per_dd[PM_MAX_DAGDELEN];
} chk_load;

static void vadd(chk *c, const char *family, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void vadd(chk *c, const char *family, const char *fmt, ...)
{
	pm_check_result *r = c->r;
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

/* Ids may be missing in a half-built model; messages still print. */
static const char *nz(const char *s)
{
	return s ? s : "?";
}

static const char *pid(const chk *c, int p)
{
	return nz(c->m->participants[p].id);
}

static const char *wid(const chk *c, int w)
{
	return nz(c->m->placements[w].id);
}

static const char *did(const chk *c, int d)
{
	return nz(c->m->dagdelen[d].id);
}

static const char *level_name(int l)
{
	static const char *const names[PM_MAX_LEVEL + 1] = {"A0", "A1", "A2", "B1", "B2"};
	return l >= 0 && l <= PM_MAX_LEVEL ? names[l] : "?";
}

static bool has_limit(double x)
{
	return x >= 0; /* PM_NO_LIMIT is -1; any negative means none */
}

/* Minutes of a set of dagdelen (bits beyond the model are not counted);
 * whole minutes keep sums exact. */
static long mask_minutes(const pm_model *m, pm_mask d)
{
	long min = 0;
	for (int t = 0; t < m->n_dagdelen; t++)
		if (d >> t & 1)
			min += m->dagdelen[t].end_min - m->dagdelen[t].start_min;
	return min;
}

static double mask_hours(const pm_model *m, pm_mask d)
{
	return (double)mask_minutes(m, d) / 60.0;
}

/* Dagdeel ids of the bits in mask, comma-separated. */
static const char *dd_list(const chk *c, pm_mask mask, char *buf, size_t n)
{
	size_t w = 0;
	buf[0] = '\0';
	for (int t = 0; t < c->m->n_dagdelen && w < n; t++)
		if (mask >> t & 1)
			w += (size_t)snprintf(buf + w, n - w, "%s%s", w ? ", " : "", did(c, t));
	return buf;
}

/* Certificate names of the bits in mask, comma-separated. */
static const char *cert_list(const pm_model *m, uint64_t mask, char *buf, size_t n)
{
	size_t w = 0;
	buf[0] = '\0';
	for (int k = 0; k < 64 && w < n; k++)
		if (mask >> k & 1)
			w += (size_t)snprintf(buf + w, n - w, "%s%s", w ? ", " : "",
					      k < m->n_certs && m->certs ? nz(m->certs[k]) : "?");
	return buf;
}

/* Travel minutes from p to w's location; -1 when unlisted or unknown. */
static int travel_minutes(const pm_model *m, int p, int w)
{
	const pm_participant *pp = &m->participants[p];
	int loc = m->placements[w].location;
	if (!pp->travel || loc < 0 || loc >= m->n_locations)
		return -1;
	return pp->travel[loc] < 0 ? -1 : pp->travel[loc];
}

/* The placement of p as the solution gives it: an index, or -1 for none
 * and for an index that does not exist (reported as unknown). */
static int placed_at(const chk *c, int p)
{
	if (!c->s->placement)
		return -1;
	int w = c->s->placement[p];
	return w >= 0 && w < c->m->n_placements ? w : -1;
}

static pm_mask worked(const chk *c, int p)
{
	return c->s->dagdelen ? c->s->dagdelen[p] : 0;
}

static bool pair_ok(const pm_model *m, int p, int w)
{
	return m->pair_hours[(size_t)p * (size_t)m->n_placements + (size_t)w] >= 0;
}

/* ---- one match: the participant's own rules ---- */

/* The work on dagdeel d and a lesson [start, end) of the same day, named
 * `what`, must not overlap and must leave the travel time between them (the
 * lesson before: its end to d's start; after: d's end to its start). */
static void check_one_lesson(chk *c, int p, int w, int d, int start, int end, const char *what,
			     int need)
{
	const pm_dagdeel *dd = &c->m->dagdelen[d];
	if (start < dd->end_min && dd->start_min < end) {
		vadd(c, "lesson", "participant %s at %s works on %s, during lesson %s", pid(c, p),
		     wid(c, w), did(c, d), what);
		return;
	}
	int gap = start < dd->start_min ? dd->start_min - end : start - dd->end_min;
	if (gap < need)
		vadd(c, "lesson_travel",
		     "participant %s at %s: %d minutes between lesson %s and work on %s, travel "
		     "takes %d",
		     pid(c, p), wid(c, w), gap, what, did(c, d), need);
}

/* Every lesson on the day of a dagdeel worked: those on dagdelen of the
 * request (the dagdeel itself is the `lesson` check's) and those given by
 * their times. */
static void check_lesson_travel(chk *c, int p, int w, pm_mask d_set, int need)
{
	const pm_model *m = c->m;
	const pm_participant *pp = &m->participants[p];
	pm_mask lessons = pp->lessons & c->all;
	for (int d = 0; d < m->n_dagdelen; d++) {
		if (!(d_set >> d & 1))
			continue;
		int day = m->dagdelen[d].day;
		for (int l = 0; l < m->n_dagdelen; l++) {
			const pm_dagdeel *ld = &m->dagdelen[l];
			if (l != d && (lessons >> l & 1) && ld->day == day)
				check_one_lesson(c, p, w, d, ld->start_min, ld->end_min, did(c, l),
						 need);
		}
		for (int k = 0; k < pp->n_lesson_times; k++) {
			const pm_lesson *e = &pp->lesson_times[k];
			char when[32];
			snprintf(when, sizeof when, "%02d:%02d-%02d:%02d", e->start_min / 60,
				 e->start_min % 60, e->end_min / 60, e->end_min % 60);
			if (e->day == day)
				check_one_lesson(c, p, w, d, e->start_min, e->end_min, when, need);
		}
	}
}

static void check_match(chk *c, int p, int w)
{
	const pm_model *m = c->m;
	const pm_participant *pp = &m->participants[p];
	const pm_placement *pw = &m->placements[w];
	char buf[512];
	pm_mask raw = worked(c, p);
	if (raw & ~c->all)
		vadd(c, "unknown", "participant %s at %s works dagdelen outside the %d of the week",
		     pid(c, p), wid(c, w), m->n_dagdelen);
	pm_mask d = raw & c->all;

	if (pp->level < pw->min_level)
		vadd(c, "level", "participant %s at %s: level %s, needs %s", pid(c, p), wid(c, w),
		     level_name(pp->level), level_name(pw->min_level));
	uint64_t lack = pw->certs & ~pp->certs;
	if (lack)
		vadd(c, "certificates", "participant %s at %s lacks certificate %s", pid(c, p),
		     wid(c, w), cert_list(m, lack, buf, sizeof buf));

	int tm = travel_minutes(m, p, w);
	if (pw->location < 0 || pw->location >= m->n_locations)
		vadd(c, "travel", "participant %s at %s: the placement has no valid location",
		     pid(c, p), wid(c, w));
	else if (tm < 0)
		vadd(c, "travel", "participant %s at %s: location %s is not reachable (unlisted)",
		     pid(c, p), wid(c, w), m->locations ? nz(m->locations[pw->location].id) : "?");
	else if (tm > pp->max_travel)
		vadd(c, "travel", "participant %s at %s: %d minutes travel, limit %d", pid(c, p),
		     wid(c, w), tm, pp->max_travel);

	pm_mask off = d & ~pw->dagdelen;
	if (off)
		vadd(c, "availability", "participant %s works %s, not a dagdeel of placement %s",
		     pid(c, p), dd_list(c, off, buf, sizeof buf), wid(c, w));
	off = d & ~pp->available;
	if (off)
		vadd(c, "availability", "participant %s at %s is not available on %s", pid(c, p),
		     wid(c, w), dd_list(c, off, buf, sizeof buf));
	off = d & pp->lessons;
	if (off)
		vadd(c, "lesson", "participant %s at %s works on %s, when they have lessons",
		     pid(c, p), wid(c, w), dd_list(c, off, buf, sizeof buf));
	/* an unreachable location is already a travel violation; the lesson
	 * and the work must at least not overlap */
	check_lesson_travel(c, p, w, d, tm > 0 ? tm : 0);

	if (pw->fixed && d != pw->dagdelen) {
		char want[512];
		vadd(c, "fixed",
		     "participant %s at fixed placement %s works %s; it is worked on %s", pid(c, p),
		     wid(c, w), d ? dd_list(c, d, buf, sizeof buf) : "nothing",
		     dd_list(c, pw->dagdelen & c->all, want, sizeof want));
	}

	/* a match is at least one dagdeel, whatever the minimum hours */
	if (!d) {
		vadd(c, "hours", "participant %s at %s works no dagdeel", pid(c, p), wid(c, w));
		return;
	}
	double h = mask_hours(m, d);
	double lo = fmax(fmax(pp->min_hours, pw->min_hours), 0);
	double hi = -1;
	if (has_limit(pp->max_hours))
		hi = pp->max_hours;
	if (has_limit(pw->max_hours) && (hi < 0 || pw->max_hours < hi))
		hi = pw->max_hours;
	if (h < lo - CHK_EPS)
		vadd(c, "hours", "participant %s at %s works %g h a week, at least %g", pid(c, p),
		     wid(c, w), h, lo);
	if (hi >= 0 && h > hi + CHK_EPS)
		vadd(c, "hours", "participant %s at %s works %g h a week, at most %g", pid(c, p),
		     wid(c, w), h, hi);
}

/* ---- every match in turn, and the placements' totals ---- */

static void check_matches(chk *c, chk_load *load)
{
	const pm_model *m = c->m;
	const pm_solution *s = c->s;
	/* an infeasible answer says it leaves a must-place participant out */
	bool admits = strncmp(s->status, "infeasible", sizeof s->status) == 0;
	for (int p = 0; p < m->n_participants; p++) {
		int raw = s->placement ? s->placement[p] : -1;
		if (raw < -1 || raw >= m->n_placements)
			vadd(c, "unknown",
			     "participant %s is matched to placement index %d, which does not "
			     "exist",
			     pid(c, p), raw);
		int w = placed_at(c, p);
		if (w < 0) {
			if (m->participants[p].must_place && !admits)
				vadd(c, "must_place", "participant %s must be placed but is not",
				     pid(c, p));
			continue;
		}
		chk_load *L = &load[w];
		L->n++;
		if (c->pairs) {
			if (!pair_ok(m, p, w)) {
				vadd(c, "availability",
				     "participant %s cannot take placement %s (no pair)", pid(c, p),
				     wid(c, w));
				continue;
			}
			L->hours += m->pair_hours[(size_t)p * (size_t)m->n_placements + (size_t)w];
			continue;
		}
		check_match(c, p, w);
		pm_mask d = worked(c, p) & c->all;
		L->hours += mask_hours(m, d);
		L->coaching += m->participants[p].coaching;
		for (int t = 0; t < m->n_dagdelen; t++)
			L->per_dd[t] += d >> t & 1;
	}
}

static void check_placements(chk *c, const chk_load *load)
{
	const pm_model *m = c->m;
	for (int w = 0; w < m->n_placements; w++) {
		const pm_placement *pw = &m->placements[w];
		const chk_load *L = &load[w];
		/* benchmarks without a person cap give capacity 0 */
		bool capped = !c->pairs || pw->capacity > 0;
		if (capped && L->n > pw->capacity)
			vadd(c, "capacity", "placement %s: %d participants, capacity %d", wid(c, w),
			     L->n, pw->capacity);
		if (has_limit(pw->hours_capacity) &&
		    L->hours > pw->hours_capacity + CHK_EPS * fmax(1, pw->hours_capacity))
			vadd(c, "hours_capacity", "placement %s: %g h a week, hours capacity %g",
			     wid(c, w), L->hours, pw->hours_capacity);
		if (c->pairs)
			continue;
		for (int t = 0; t < m->n_dagdelen; t++)
			if (L->per_dd[t] > pw->max_per_dagdeel)
				vadd(c, "max_per_dagdeel",
				     "placement %s: %d participants on %s, at most %d", wid(c, w),
				     L->per_dd[t], did(c, t), pw->max_per_dagdeel);
		if (has_limit(pw->coach_hours) &&
		    L->coaching > pw->coach_hours + CHK_EPS * fmax(1, pw->coach_hours))
			vadd(c, "coach_hours",
			     "placement %s: %g h of supervision a week needed, coach hours %g",
			     wid(c, w), L->coaching, pw->coach_hours);
	}
}

/* ---- the objective (pm.h, top comment) ---- */

static bool prefers(const pm_model *m, const pm_participant *pp, int w)
{
	for (int k = 0; k < pp->n_preferred; k++)
		if (pp->preferred && pp->preferred[k] == w)
			return true;
	int type = m->placements[w].type;
	return type >= 0 && type < PM_N_TYPES && (pp->pref_types >> type & 1);
}

static void objective(chk *c)
{
	const pm_model *m = c->m;
	const pm_weights *W = &m->w;
	pm_terms *T = &c->r->terms;
	memset(T, 0, sizeof *T);
	double travel = 0, short_h = 0, pair = 0;
	long unplaced = 0, weeks = 0, not_pref = 0, moved = 0, over = 0, must_left = 0;
	for (int p = 0; p < m->n_participants; p++) {
		const pm_participant *pp = &m->participants[p];
		int w = placed_at(c, p);
		/* compared as given: a placement index out of range is never the
		 * current one, and -2 (named, not in the request) never either */
		int given = c->s->placement ? c->s->placement[p] : -1;
		if (pp->current != -1 && given != pp->current)
			moved++;
		if (w < 0) {
			unplaced++;
			must_left += pp->must_place;
			weeks += pp->weeks_waiting;
			continue;
		}
		if (c->pairs) {
			size_t k = (size_t)p * (size_t)m->n_placements + (size_t)w;
			if (m->pair_cost && pair_ok(m, p, w))
				pair += m->pair_cost[k];
			continue;
		}
		const pm_placement *pw = &m->placements[w];
		int tm = travel_minutes(m, p, w);
		if (tm > 0)
			travel += tm;
		if ((pp->n_preferred > 0 || pp->pref_types != 0) && !prefers(m, pp, w))
			not_pref++;
		double target = pp->target_hours;
		if (has_limit(pp->max_hours))
			target = fmin(target, pp->max_hours);
		if (has_limit(pw->max_hours))
			target = fmin(target, pw->max_hours);
		double h = mask_hours(m, worked(c, p) & c->all);
		if (target > h)
			short_h += target - h;
	}
	/* same tongue: per placement with a cap, each tongue's excess */
	int nt = m->n_tongues > 0 ? m->n_tongues : 0;
	int *count = xcalloc((size_t)nt + 1, sizeof(int));
	for (int w = 0; w < m->n_placements; w++) {
		int cap = m->placements[w].max_same_tongue;
		if (cap < 0)
			continue;
		memset(count, 0, sizeof(int) * ((size_t)nt + 1));
		for (int p = 0; p < m->n_participants; p++) {
			int t = m->participants[p].tongue;
			if (placed_at(c, p) == w && t >= 0 && t < nt)
				count[t]++;
		}
		for (int t = 0; t < nt; t++)
			if (count[t] > cap)
				over += count[t] - cap;
	}
	free(count);
	T->unplaced = W->unplaced * (double)unplaced + PM_MUST_WEIGHT * (double)must_left;
	T->wait = W->wait_week * (double)weeks;
	/* in pair mode a match's whole cost is its pair_cost; pm_terms has no
	 * name of its own for it, and travel is the per-match cost it replaces */
	T->travel = c->pairs ? pair : W->travel * travel;
	T->not_preferred = W->not_preferred * (double)not_pref;
	T->hours_short = W->hours_short * short_h;
	T->same_tongue = W->same_tongue * (double)over;
	T->moved = W->moved * (double)moved;
	c->r->objective = T->unplaced + T->wait + T->travel + T->not_preferred + T->hours_short +
			  T->same_tongue + T->moved;
	double claimed = c->s->objective;
	c->r->objective_matches =
		fabs(c->r->objective - claimed) <= 1e-6 * fmax(1.0, fabs(claimed));
}

/* One closing entry counts the violations past the listed ones. */
static void note_left_out(chk *c)
{
	if (!c->left_out)
		return;
	int keep = c->r->n_violations;
	c->r->violations =
		xrealloc(c->r->violations, sizeof *c->r->violations * (size_t)(keep + 1));
	c->r->violations[keep].constraint = xstrdup("more");
	c->r->violations[keep].message = xasprintf("%d more violations not listed", c->left_out);
	c->r->n_violations++;
}

int pm_check(const pm_model *m, const pm_solution *s, pm_check_result *out)
{
	if (!out)
		return RS_EINTERNAL;
	memset(out, 0, sizeof *out);
	if (!m || !s || m->n_dagdelen < 0 || m->n_dagdelen > PM_MAX_DAGDELEN ||
	    m->n_placements < 0 || m->n_participants < 0 || m->n_locations < 0 ||
	    (m->n_placements > 0 && !m->placements) ||
	    (m->n_participants > 0 && !m->participants) ||
	    (m->n_dagdelen > 0 && !m->dagdelen))
		return RS_EINTERNAL;
	/* no matches to verify: infeasible or cancelled before any answer */
	bool stopped = strncmp(s->status, "infeasible", sizeof s->status) == 0 ||
		       strncmp(s->status, "cancelled", sizeof s->status) == 0;
	if (!s->placement && stopped) {
		out->objective = s->objective;
		out->objective_matches = true;
		return 0;
	}
	chk c = {.m = m, .s = s, .r = out, .pairs = m->pair_hours != NULL};
	c.all = m->n_dagdelen == 32 ? ~(pm_mask)0 : (((pm_mask)1 << m->n_dagdelen) - 1);
	chk_load *load = xcalloc((size_t)m->n_placements + 1, sizeof *load);
	check_matches(&c, load);
	check_placements(&c, load);
	free(load);
	objective(&c);
	note_left_out(&c);
	return 0;
}

void pm_check_free(pm_check_result *r)
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

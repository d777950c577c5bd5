/* pm_explain.c: why a participant is left without a placement, in words
 * that name the constraint (docs/placement.md, "unplaced[].reasons"). */
#include "pm_internal.h"

#include "xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reasons {
	pm_reason *r;
	int n;
} reasons;

static void add(reasons *rs, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add(reasons *rs, const char *code, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	rs->r = xrealloc(rs->r, sizeof *rs->r * (size_t)(rs->n + 1));
	snprintf(rs->r[rs->n].code, sizeof rs->r[rs->n].code, "%s", code);
	rs->r[rs->n++].text = xstrdup(buf);
}

static const char *plural(int n, const char *one, const char *more)
{
	return n == 1 ? one : more;
}

/* What the solution leaves of each placement. */
typedef struct usage {
	int *used;
	double *hours, *coach;
	int *seats; /* [w * PM_MAX_DAGDELEN + t] */
	int *tongue; /* [w * n_tongues + t]: matches of each mother tongue */
} usage;

static void usage_of(const pm_model *m, const pm_solution *s, usage *u)
{
	size_t W = (size_t)(m->n_placements ? m->n_placements : 1);
	u->used = xcalloc(W, sizeof(int));
	u->hours = xcalloc(W, sizeof(double));
	u->coach = xcalloc(W, sizeof(double));
	u->seats = xcalloc(W * PM_MAX_DAGDELEN, sizeof(int));
	u->tongue = xcalloc(W * (size_t)(m->n_tongues ? m->n_tongues : 1), sizeof(int));
	for (int p = 0; p < m->n_participants; p++) {
		int w = s->placement[p];
		if (w < 0)
			continue;
		u->used[w]++;
		u->hours[w] += m->pair_hours ? m->pair_hours[(size_t)p * W + (size_t)w]
					     : pm_mask_hours(m, s->dagdelen[p]);
		u->coach[w] += m->participants[p].coaching;
		if (m->participants[p].tongue >= 0)
			u->tongue[(size_t)w * (size_t)m->n_tongues + (size_t)m->participants[p].tongue]++;
		for (int t = 0; t < m->n_dagdelen; t++)
			if (s->dagdelen[p] >> t & 1)
				u->seats[(size_t)w * PM_MAX_DAGDELEN + (size_t)t]++;
	}
}

/* What keeps participant p out of placement w, which fits it: the code,
 * and the words in buf. */
static const char *blocked(const pm_model *m, const usage *u, int p, int w, char *buf, size_t n)
{
	const pm_participant *P = &m->participants[p];
	const pm_placement *W = &m->placements[w];
	pm_pair pk;
	pm_pair_check(m, p, w, &pk);
	pm_mask free_dd = pk.allowed, pick;
	for (int t = 0; t < m->n_dagdelen; t++)
		if (u->seats[(size_t)w * PM_MAX_DAGDELEN + (size_t)t] >= W->max_per_dagdeel)
			free_dd &= ~((pm_mask)1 << t);
	double left = W->hours_capacity >= 0 ? fmax(0, W->hours_capacity - u->hours[w]) : 1e9;
	/* the hours it could get with the seats and the hours left, together */
	double seats_h, joint_h, want = pk.target;
	if (m->pair_hours) {
		seats_h = pk.lo;
		joint_h = pk.lo <= left + 1e-9 ? pk.lo : -1;
	} else if (W->fixed) {
		seats_h = (W->dagdelen & ~free_dd) ? -1 : pm_mask_hours(m, W->dagdelen);
		joint_h = seats_h >= 0 && seats_h <= left + 1e-9 ? seats_h : -1;
	} else {
		seats_h = pm_pick_hours(m, p, -1, free_dd, pk.lo, pk.hi, 0, &pick);
		joint_h = pm_pick_hours(m, p, -1, free_dd, pk.lo, fmin(pk.hi, left), want, &pick);
	}
	if (W->capacity > 0 && u->used[w] >= W->capacity) {
		snprintf(buf, n, "%s (%s) fits, but is full: %d of %d %s taken", W->id, W->name,
			 u->used[w], W->capacity, plural(W->capacity, "place", "places"));
		return "capacity";
	}
	if (!m->pair_hours && W->coach_hours >= 0 &&
	    W->coach_hours - u->coach[w] < P->coaching - 1e-9) {
		snprintf(buf, n,
			 "%s (%s) fits, but its supervision is taken: %.1f of %.1f hours a week left, "
			 "this participant needs %.1f",
			 W->id, W->name, fmax(0, W->coach_hours - u->coach[w]), W->coach_hours,
			 P->coaching);
		return "coach_hours";
	}
	if (seats_h < 0) {
		snprintf(buf, n,
			 "%s (%s) fits, but its dagdelen this participant could work are full (%d on "
			 "site per dagdeel)",
			 W->id, W->name, W->max_per_dagdeel);
		return "max_per_dagdeel";
	}
	if (joint_h < 0) {
		snprintf(buf, n,
			 "%s (%s) fits, but has %.1f of its %.1f hours a week left; this participant "
			 "needs at least %.1f on the dagdelen still free",
			 W->id, W->name, left, W->hours_capacity, seats_h);
		return "hours_capacity";
	}
	/* what a match there costs at least: the most hours that fit (hours
	 * short is the only term hours change), and one more of its mother tongue
	 * past the placement's cap */
	double most_h = joint_h;
	if (!m->pair_hours && !W->fixed)
		most_h = pm_pick_hours(m, p, -1, free_dd, pk.lo, fmin(pk.hi, left), fmin(pk.hi, left),
				       &pick);
	double cost = pk.cost + (m->pair_hours || W->fixed
					 ? 0
					 : m->w.hours_short * fmax(0, pk.target - most_h));
	if (P->current == w)
		cost -= m->w.moved;
	if (!m->pair_hours && W->max_same_tongue >= 0 && P->tongue >= 0 &&
	    u->tongue[(size_t)w * (size_t)m->n_tongues + (size_t)P->tongue] >= W->max_same_tongue)
		cost += m->w.same_tongue;
	double out = pm_unplaced_cost(m, p);
	if (cost >= out - 1e-9) {
		snprintf(buf, n,
			 "%s (%s) fits and has room, but a match there costs %.0f (travel, preference, "
			 "hours short, same mother tongue), not less than leaving this participant out "
			 "(%.0f)",
			 W->id, W->name, cost, out);
		return "cost";
	}
	snprintf(buf, n,
		 "%s (%s) fits and has room; the matching as a whole came out cheaper with others "
		 "placed where this participant would have gone (leaving them out costs %.0f)",
		 W->id, W->name, out);
	return "optimised";
}

/* A participant some placements fit: what keeps each of them out; past the
 * first four, how many more for each reason. */
static void taken(const pm_model *m, const usage *u, int p, const int *fit, int n_fit,
		  reasons *rs)
{
	static const char *const codes[] = {"capacity", "hours_capacity", "coach_hours",
					    "max_per_dagdeel", "cost", "optimised"};
	static const char *const words[] = {"full", "without the hours", "without supervision left",
					    "full on its dagdelen", "dearer than leaving them out",
					    "with room"};
	enum { N_CODES = sizeof codes / sizeof *codes };
	int more[N_CODES] = {0}, n_more = 0;
	for (int i = 0; i < n_fit; i++) {
		char buf[512];
		const char *code = blocked(m, u, p, fit[i], buf, sizeof buf);
		if (i < 4) {
			add(rs, code, "%s", buf);
			continue;
		}
		for (int k = 0; k < N_CODES; k++)
			if (strcmp(code, codes[k]) == 0)
				more[k]++;
		n_more++;
	}
	if (!n_more)
		return;
	char list[256] = "";
	int first = -1;
	for (int k = 0; k < N_CODES; k++)
		if (more[k]) {
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%d %s",
				 *list ? ", " : "", more[k], words[k]);
			if (first < 0)
				first = k;
		}
	add(rs, codes[first], "%d more %s that %s: %s", n_more,
	    plural(n_more, "placement", "placements"), plural(n_more, "fits", "fit"), list);
}

/* A participant no placement fits: per rule, how many placements it keeps out. */
static void unfit(const pm_model *m, int p, const int *why, reasons *rs)
{
	const pm_participant *P = &m->participants[p];
	int count[PM_N_WHY] = {0}, min_level = 99, nearest = -1;
	uint64_t missing = 0;
	for (int w = 0; w < m->n_placements; w++) {
		const pm_placement *W = &m->placements[w];
		count[why[w]]++;
		if (why[w] == PM_WHY_LEVEL && W->min_level < min_level)
			min_level = W->min_level;
		if (why[w] == PM_WHY_CERTS)
			missing |= W->certs & ~P->certs;
		if (why[w] == PM_WHY_TRAVEL && P->travel && P->travel[W->location] >= 0 &&
		    (nearest < 0 || P->travel[W->location] < nearest))
			nearest = P->travel[W->location];
	}
	if (!m->n_placements) {
		add(rs, "capacity", "the request has no placements");
		return;
	}
	int n;
	if ((n = count[PM_WHY_LEVEL]))
		add(rs, "level", "%d %s a higher language level (%s or more; has %s)", n,
		    plural(n, "placement needs", "placements need"), pm_level_name(min_level),
		    pm_level_name(P->level));
	if ((n = count[PM_WHY_CERTS])) {
		char list[256] = "";
		for (int k = 0; k < m->n_certs; k++)
			if (missing >> k & 1)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					 *list ? ", " : "", m->certs[k]);
		add(rs, "certificates", "%d %s a certificate this participant lacks (%s)", n,
		    plural(n, "placement needs", "placements need"), list);
	}
	if ((n = count[PM_WHY_TRAVEL])) {
		if (nearest >= 0)
			add(rs, "travel",
			    "%d %s out of reach: the nearest is %d minutes away, the limit is %d", n,
			    plural(n, "placement is", "placements are"), nearest, P->max_travel);
		else
			add(rs, "travel", "%d %s at a location this participant cannot reach", n,
			    plural(n, "placement is", "placements are"));
	}
	if ((n = count[PM_WHY_AVAIL]))
		add(rs, "availability",
		    "%d %s only on dagdelen this participant has lessons or is not available", n,
		    plural(n, "placement works", "placements work"));
	if ((n = count[PM_WHY_LESSON_TRAVEL]))
		add(rs, "lesson_travel",
		    "%d %s no dagdeel far enough from a lesson on the same day for the travel "
		    "there",
		    n, plural(n, "placement leaves", "placements leave"));
	if ((n = count[PM_WHY_FIXED]))
		add(rs, "fixed",
		    "%d %s worked on all of its dagdelen, and this participant cannot take some "
		    "of them (lessons or availability)",
		    n, plural(n, "placement is", "placements are each"));
	if ((n = count[PM_WHY_HOURS]))
		add(rs, "hours",
		    "%d %s no set of dagdelen within the hours (this participant: %.1f to %.1f h "
		    "a week)",
		    n, plural(n, "placement has", "placements have"), P->min_hours, P->max_hours);
	if ((n = count[PM_WHY_COACH]))
		add(rs, "coach_hours",
		    "%d %s less supervision in all than the %.1f hours a week this participant "
		    "needs",
		    n, plural(n, "placement has", "placements have"), P->coaching);
	if ((n = count[PM_WHY_HOURS_CAP]))
		add(rs, "hours_capacity",
		    "%d %s fewer hours a week in all than this participant needs at least", n,
		    plural(n, "placement has", "placements have"));
}

/* The participant's current placement (a re-match) no longer fits: said
 * first, by the rule that keeps it out, since that is what changed for them. */
static void current_unfit(const pm_model *m, int w, enum pm_why why, reasons *rs)
{
	static const char *const code[PM_N_WHY] = {
	    "", "level", "certificates", "travel", "availability", "lesson_travel", "fixed",
	    "hours", "coach_hours", "hours_capacity"};
	static const char *const words[PM_N_WHY] = {
	    "",
	    "it needs a higher language level",
	    "it needs a certificate this participant lacks",
	    "it is out of reach",
	    "it works only on dagdelen this participant has lessons or is not available",
	    "none of its dagdelen is far enough from a lesson on the same day for the travel",
	    "it is worked on all of its dagdelen, and this participant cannot take some of them",
	    "no set of its dagdelen fits the hours",
	    "it has less supervision in all than this participant needs",
	    "it has fewer hours in all than this participant needs"};
	const pm_placement *W = &m->placements[w];
	add(rs, code[why], "the current placement %s (%s) no longer fits: %s", W->id, W->name,
	    words[why]);
}

void pm_explain(const pm_model *m, pm_solution *s)
{
	int P = m->n_participants, W = m->n_placements;
	s->n = P;
	s->n_reasons = xcalloc((size_t)(P ? P : 1), sizeof(int));
	s->reasons = xcalloc((size_t)(P ? P : 1), sizeof(pm_reason *));
	usage u;
	usage_of(m, s, &u);
	int *why = xmalloc(sizeof(int) * (size_t)(W ? W : 1));
	int *fit = xmalloc(sizeof(int) * (size_t)(W ? W : 1));
	for (int p = 0; p < P; p++) {
		if (s->placement[p] >= 0)
			continue;
		int n_fit = 0;
		for (int w = 0; w < W; w++) {
			pm_pair pk;
			why[w] = pm_pair_check(m, p, w, &pk);
			if (why[w] == PM_OK)
				fit[n_fit++] = w;
		}
		reasons rs = {0};
		/* a re-match: what became of the current placement comes first */
		int cur = m->participants[p].current;
		if (cur >= 0 && why[cur] != PM_OK)
			current_unfit(m, cur, why[cur], &rs);
		for (int k = 1; cur >= 0 && k < n_fit; k++)
			if (fit[k] == cur) {
				memmove(fit + 1, fit, sizeof *fit * (size_t)k);
				fit[0] = cur;
			}
		if (n_fit)
			taken(m, &u, p, fit, n_fit, &rs);
		else
			unfit(m, p, why, &rs);
		s->reasons[p] = rs.r;
		s->n_reasons[p] = rs.n;
	}
	free(why), free(fit);
	free(u.used), free(u.hours), free(u.coach), free(u.seats), free(u.tongue);
}

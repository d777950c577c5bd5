/* pm_pair.c: which placements a participant can take, on which dagdelen and
 * for how many hours; and the objective of a matching (solver side). */
#include "pm_internal.h"

#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CLASSES PM_MAX_LENGTHS
#define MAX_COMBOS (1L << 20)

/* Dagdelen of `allowed` by length: len[c] minutes, mask[c], cnt[c]. */
int pm_length_classes(const pm_model *m, pm_mask allowed, int *len, pm_mask *mask, int *cnt)
{
	int n = 0;
	for (int t = 0; t < m->n_dagdelen; t++) {
		if (!(allowed >> t & 1))
			continue;
		int l = m->dagdelen[t].end_min - m->dagdelen[t].start_min, c = 0;
		while (c < n && len[c] != l)
			c++;
		if (c == n) {
			if (n == MAX_CLASSES)
				return -1;
			len[n] = l, mask[n] = 0, cnt[n] = 0, n++;
		}
		mask[c] |= (pm_mask)1 << t;
		cnt[c]++;
	}
	return n;
}

/* k dagdelen of `from`, spread: each goes to the day with the fewest
 * dagdelen picked so far (the earliest such day, then its first dagdeel). */
static pm_mask spread(const pm_model *m, pm_mask from, int k, int *per_day)
{
	pm_mask got = 0;
	for (int j = 0; j < k; j++) {
		int best = -1;
		for (int t = 0; t < m->n_dagdelen; t++)
			if ((from >> t & 1) && !(got >> t & 1) &&
			    (best < 0 || per_day[m->dagdelen[t].day] < per_day[m->dagdelen[best].day]))
				best = t;
		if (best < 0)
			break;
		got |= (pm_mask)1 << best;
		per_day[m->dagdelen[best].day]++;
	}
	return got;
}

double pm_pick_hours(const pm_model *m, int p, int w, pm_mask allowed, double lo, double hi,
		     double want, pm_mask *pick)
{
	int len[MAX_CLASSES], cnt[MAX_CLASSES];
	pm_mask mask[MAX_CLASSES];
	int n = pm_length_classes(m, allowed, len, mask, cnt);
	*pick = 0;
	if (n <= 0)
		return -1;
	long combos = 1; /* at most 8 lengths (the decoder's limit) of 32 dagdelen */
	for (int c = 0; c < n; c++)
		combos *= cnt[c] + 1;
	int lo_min = (int)ceil(lo * 60 - 1e-6), hi_min = hi < 0 ? 1 << 30 : (int)floor(hi * 60 + 1e-6);
	int want_min = (int)lround(want * 60);
	int k[MAX_CLASSES] = {0}, best[MAX_CLASSES] = {0}, best_sum = -1;
	if (combos > MAX_COMBOS)
		return -1;
	for (long it = 0; it < combos; it++) {
		long r = it;
		int sum = 0, any = 0;
		for (int c = 0; c < n; c++) {
			k[c] = (int)(r % (cnt[c] + 1));
			r /= cnt[c] + 1;
			sum += k[c] * len[c];
			any += k[c];
		}
		if (!any || sum < lo_min || sum > hi_min)
			continue;
		/* the least hours at or above what is wanted, else the most below it
		 * (with the target wanted: the cheapest, as hours short is the one
		 * term hours change; 2.5 h short of a 3 h target costs, 5 h does not) */
		bool up = sum >= want_min, best_up = best_sum >= want_min;
		if (best_sum < 0 || (up && (!best_up || sum < best_sum)) ||
		    (!up && !best_up && sum > best_sum)) {
			best_sum = sum;
			memcpy(best, k, sizeof k);
		}
	}
	if (best_sum < 0)
		return -1;
	*pick = pm_spread_counts(m, p, w, mask, best, n);
	return best_sum / 60.0;
}

pm_mask pm_spread_counts(const pm_model *m, int p, int w, const pm_mask *mask, const int *k,
			 int n)
{
	int per_day[7] = {0};
	const pm_participant *pp = p >= 0 ? &m->participants[p] : NULL;
	if (pp) { /* a day with a lesson counts as taken once */
		for (int t = 0; t < m->n_dagdelen; t++)
			if (pp->lessons >> t & 1)
				per_day[m->dagdelen[t].day] = 1;
		for (int k = 0; k < pp->n_lesson_times; k++)
			per_day[pp->lesson_times[k].day] = 1;
	}
	pm_mask keep = pp && w >= 0 && pp->current == w ? pp->current_dagdelen : 0, got = 0;
	for (int c = 0; c < n; c++) {
		pm_mask first = spread(m, mask[c] & keep, k[c], per_day);
		got |= first | spread(m, mask[c] & ~first, k[c] - __builtin_popcount(first), per_day);
	}
	return got;
}

static bool prefers(const pm_participant *p, int w, int type)
{
	for (int k = 0; k < p->n_preferred; k++)
		if (p->preferred[k] == w)
			return true;
	return p->pref_types >> type & 1;
}

/* Minutes between a lesson [start, end) and work on d of the same day
 * (the lesson before: its end to d's start; after: d's end to its start);
 * negative when they overlap. */
static int gap_between(int start, int end, const pm_dagdeel *d)
{
	return end <= d->start_min ? d->start_min - end : start - d->end_min;
}

/* The dagdelen a lesson takes: those listed, and those a lesson given by
 * its times overlaps. */
static pm_mask lesson_mask(const pm_model *m, const pm_participant *P)
{
	pm_mask taken = P->lessons;
	for (int k = 0; k < P->n_lesson_times; k++) {
		const pm_lesson *e = &P->lesson_times[k];
		for (int t = 0; t < m->n_dagdelen; t++) {
			const pm_dagdeel *d = &m->dagdelen[t];
			if (d->day == e->day && d->start_min < e->end_min && e->start_min < d->end_min)
				taken |= (pm_mask)1 << t;
		}
	}
	return taken;
}

enum pm_why pm_pair_check(const pm_model *m, int p, int w, pm_pair *out)
{
	const pm_participant *P = &m->participants[p];
	const pm_placement *W = &m->placements[w];
	memset(out, 0, sizeof *out);
	out->p = p, out->w = w;
	if (m->pair_hours) {
		double h = m->pair_hours[(size_t)p * (size_t)m->n_placements + (size_t)w];
		out->lo = out->hi = h;
		out->cost = m->pair_cost[(size_t)p * (size_t)m->n_placements + (size_t)w];
		if (h < 0)
			return PM_WHY_HOURS;
		return W->hours_capacity >= 0 && h > W->hours_capacity + 1e-9 ? PM_WHY_HOURS_CAP
									       : PM_OK;
	}
	if (P->level < W->min_level)
		return PM_WHY_LEVEL;
	if (W->certs & ~P->certs)
		return PM_WHY_CERTS;
	int tr = P->travel[W->location];
	if (tr < 0 || tr > P->max_travel)
		return PM_WHY_TRAVEL;
	pm_mask avail = W->dagdelen & P->available & ~lesson_mask(m, P);
	if (!avail)
		return PM_WHY_AVAIL;
	if (W->fixed && (W->dagdelen & ~avail))
		return PM_WHY_FIXED;
	pm_mask ok = avail;
	for (int t = 0; t < m->n_dagdelen; t++) {
		if (!(avail >> t & 1))
			continue;
		const pm_dagdeel *d = &m->dagdelen[t];
		for (int l = 0; l < m->n_dagdelen; l++) {
			const pm_dagdeel *e = &m->dagdelen[l];
			if ((P->lessons >> l & 1) && e->day == d->day &&
			    gap_between(e->start_min, e->end_min, d) < tr)
				ok &= ~((pm_mask)1 << t);
		}
		for (int k = 0; k < P->n_lesson_times; k++) {
			const pm_lesson *e = &P->lesson_times[k];
			if (e->day == d->day && gap_between(e->start_min, e->end_min, d) < tr)
				ok &= ~((pm_mask)1 << t);
		}
	}
	if (!ok || (W->fixed && ok != W->dagdelen))
		return PM_WHY_LESSON_TRAVEL;
	out->allowed = ok;
	out->lo = fmax(P->min_hours, W->min_hours);
	out->hi = W->max_hours >= 0 ? fmin(P->max_hours, W->max_hours) : P->max_hours;
	out->target = fmin(P->target_hours, out->hi);
	double least;
	if (W->fixed) {
		least = pm_mask_hours(m, W->dagdelen);
		if (least < out->lo - 1e-9 || least > out->hi + 1e-9)
			return PM_WHY_HOURS;
		out->cost += m->w.hours_short * fmax(0, out->target - least);
	} else {
		pm_mask pick;
		least = pm_pick_hours(m, p, w, ok, out->lo, out->hi, 0, &pick);
		if (least < 0)
			return PM_WHY_HOURS;
	}
	if (W->coach_hours >= 0 && P->coaching > W->coach_hours + 1e-9)
		return PM_WHY_COACH;
	if (W->hours_capacity >= 0 && least > W->hours_capacity + 1e-9)
		return PM_WHY_HOURS_CAP;
	out->cost += m->w.travel * tr;
	if ((P->n_preferred || P->pref_types) && !prefers(P, w, W->type))
		out->cost += m->w.not_preferred;
	return PM_OK;
}

double pm_unplaced_cost(const pm_model *m, int p)
{
	return m->w.unplaced + m->w.wait_week * m->participants[p].weeks_waiting;
}

double pm_evaluate(const pm_model *m, const int *placement, const pm_mask *dagdelen, pm_terms *t)
{
	memset(t, 0, sizeof *t);
	int nt = m->n_tongues;
	int *same = nt ? xcalloc((size_t)m->n_placements * (size_t)nt, sizeof(int)) : NULL;
	for (int p = 0; p < m->n_participants; p++) {
		const pm_participant *P = &m->participants[p];
		int w = placement[p];
		if (P->current != -1 && w != P->current)
			t->moved += m->w.moved;
		if (w < 0) {
			t->unplaced += m->w.unplaced + (P->must_place ? PM_MUST_WEIGHT : 0);
			t->wait += m->w.wait_week * P->weeks_waiting;
			continue;
		}
		if (m->pair_hours) {
			t->travel += m->pair_cost[(size_t)p * (size_t)m->n_placements + (size_t)w];
			continue;
		}
		const pm_placement *W = &m->placements[w];
		t->travel += m->w.travel * P->travel[W->location];
		if ((P->n_preferred || P->pref_types) && !prefers(P, w, W->type))
			t->not_preferred += m->w.not_preferred;
		double hi = W->max_hours >= 0 ? fmin(P->max_hours, W->max_hours) : P->max_hours;
		double short_h = fmin(P->target_hours, hi) - pm_mask_hours(m, dagdelen[p]);
		if (short_h > 1e-9)
			t->hours_short += m->w.hours_short * short_h;
		if (same && P->tongue >= 0)
			same[(size_t)w * (size_t)nt + (size_t)P->tongue]++;
	}
	for (int w = 0; same && w < m->n_placements; w++) {
		int cap = m->placements[w].max_same_tongue;
		for (int k = 0; cap >= 0 && k < nt; k++)
			if (same[(size_t)w * (size_t)nt + (size_t)k] > cap)
				t->same_tongue +=
					m->w.same_tongue * (same[(size_t)w * (size_t)nt + (size_t)k] - cap);
	}
	free(same);
	return t->unplaced + t->wait + t->travel + t->not_preferred + t->hours_short +
	       t->same_tongue + t->moved;
}
